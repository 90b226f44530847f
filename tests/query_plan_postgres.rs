//! Query plans rendered for PostgreSQL select exactly the assets the in-memory filter
//! accepts, on a real server (`tests/support/pg.rs`: `.ci/run` starts one; under CI an
//! unreachable server fails the test): 10,000 random assets stored in the default schema
//! (addresses as `inet`), and every subject and asset action of 12 random policies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/pg.rs"]
mod pg;
#[path = "support/plan_db.rs"]
mod plan_db;
#[path = "support/plan_policies.rs"]
mod plan_policies;
#[path = "support/plan_sql.rs"]
mod plan_sql;

use plan_db::{pg_load, pg_select};
use plan_policies::{ACTIONS, subjects};
use scangate::plan::{Dialect, Plan, Schema};

#[test]
fn postgres_selects_what_the_filter_accepts() {
    let Some(mut db) = pg::schema("query_plan") else {
        return;
    };
    let start = std::time::Instant::now();
    let assets = plan_sql::assets();
    pg_load(db.client(), &assets);
    let loaded = start.elapsed();
    let (mut cases, mut filters, mut selected) = (0usize, 0usize, 0usize);
    for policy in plan_sql::policies() {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                let ids = pg_select(db.client(), &plan);
                let expected = plan_sql::accepted(&policy, &subject, action, &assets);
                assert_eq!(
                    ids,
                    expected,
                    "{subject:?} {action:?} {:?}",
                    plan.to_sql(Dialect::Postgres, &Schema::default())
                );
                cases += 1;
                filters += usize::from(matches!(plan, Plan::Filter(_)));
                selected += ids.len();
            }
        }
    }
    eprintln!(
        "postgres: {cases} plans ({filters} filters) over {} assets, {selected} rows selected; loaded by {loaded:?}, done in {:?}",
        assets.len(),
        start.elapsed()
    );
    assert!(filters > cases / 4, "{filters} of {cases}");
    assert!(selected > 0 && selected < cases * assets.len() / 2);
}

#[test]
fn postgres_hostile_terms_are_parameters_and_match_only_themselves() {
    use scangate::{Action, Subject};
    let Some(mut db) = pg::schema("query_plan_hostile") else {
        return;
    };
    let (policy, assets, expected) = plan_sql::hostile();
    pg_load(db.client(), &assets);
    let alice = Subject::user("alice");
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    let ids = pg_select(db.client(), &plan);
    assert_eq!(ids, expected);
    assert_eq!(
        ids,
        plan_sql::accepted(&policy, &alice, Action::ASSET_VIEW, &assets)
    );
    // The table is still there.
    let count: i64 = db
        .query_one("SELECT count(*) FROM assets", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 13);
}
