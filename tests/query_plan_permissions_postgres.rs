//! Query plans with v3 permissions and tags rendered for PostgreSQL select exactly the
//! assets `is_allowed` accepts, on a real server (`tests/support/pg.rs`: runs when
//! `SCANGATE_PG_URL` is set; `.ci/run` starts one; under CI an unreachable server fails the
//! test): the sample of `tests/query_plan_permissions_sqlite.rs` (5,000 assets, 24 random
//! policies with groups, tags and permissions, every subject and asset action), addresses
//! as `inet`, and the hostile filters.
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
#[path = "support/plan_tags.rs"]
mod plan_tags;
#[path = "support/plan_tags_sql.rs"]
mod plan_tags_sql;

use plan_db::{pg_load, pg_select};
use plan_tags::{ACTIONS, subjects};
use plan_tags_sql::Coverage;
use scangate::plan::{Dialect, Plan, Schema};

#[test]
fn postgres_selects_what_is_allowed_with_permissions_and_tags() {
    let Some(mut db) = pg::schema("query_plan_permissions") else {
        return;
    };
    let start = std::time::Instant::now();
    let assets = plan_tags_sql::assets();
    pg_load(db.client(), &assets);
    let loaded = start.elapsed();
    let mut coverage = Coverage::default();
    let (mut cases, mut filters, mut selected) = (0usize, 0usize, 0usize);
    for policy in plan_tags_sql::policies() {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                let ids = pg_select(db.client(), &plan);
                let expected = plan_tags_sql::accepted(&policy, &subject, action, &assets);
                assert_eq!(
                    ids,
                    expected,
                    "{subject:?} {action:?}\n{plan:?}\n{:?}",
                    plan.to_sql(Dialect::Postgres, &Schema::default())
                );
                coverage.add(&plan);
                cases += 1;
                filters += usize::from(matches!(plan, Plan::Filter(_)));
                selected += ids.len();
            }
        }
    }
    eprintln!(
        "postgres (permissions): {cases} plans ({filters} filters, {} with a tag filter) over {} assets, {selected} rows selected; loaded by {loaded:?}, done in {:?}",
        coverage.filtered_plans,
        assets.len(),
        start.elapsed()
    );
    assert!(filters > cases / 4, "{filters} of {cases}");
    assert!(coverage.filtered_plans > cases / 8, "{coverage:?}");
    assert_eq!(coverage.operators.len(), 7, "{coverage:?}");
    assert!(selected > 0 && selected < cases * assets.len() / 2);
}

#[test]
fn postgres_hostile_filters_are_parameters_and_match_only_themselves() {
    let Some(mut db) = pg::schema("query_plan_permissions_hostile") else {
        return;
    };
    let (policy, assets, expected) = plan_tags_sql::hostile();
    pg_load(db.client(), &assets);
    let alice = plan_tags_sql::alice();
    let plan = policy.plan(&alice, scangate::Action::ASSET_VIEW);
    let ids = pg_select(db.client(), &plan);
    assert_eq!(ids, expected);
    assert_eq!(
        ids,
        plan_tags_sql::accepted(&policy, &alice, scangate::Action::ASSET_VIEW, &assets)
    );
    let count: i64 = db
        .query_one("SELECT count(*) FROM assets", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, i64::try_from(assets.len()).unwrap());
}
