//! Query plans rendered for SQLite select exactly the assets the in-memory filter accepts:
//! 10,000 random assets (every attribute, IPv4 and IPv6, hostile strings) stored in the
//! default schema of an in-memory database (bundled SQLite), and every subject and asset
//! action of 12 random policies (`docs/guide.md`, "List endpoints in your database").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/plan_db.rs"]
mod plan_db;
#[path = "support/plan_policies.rs"]
mod plan_policies;
#[path = "support/plan_sql.rs"]
mod plan_sql;

use plan_db::{sqlite_database, sqlite_select};
use plan_policies::{ACTIONS, subjects};
use scangate::plan::{Dialect, Plan, Schema};

#[test]
fn sqlite_selects_what_the_filter_accepts() {
    let start = std::time::Instant::now();
    let assets = plan_sql::assets();
    let generated = start.elapsed();
    let db = sqlite_database(&assets);
    let loaded = start.elapsed();
    let schema = Schema::default();
    let (mut cases, mut filters, mut selected) = (0usize, 0usize, 0usize);
    for policy in plan_sql::policies() {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                let clause = plan.to_sql(Dialect::Sqlite, &schema);
                let ids = sqlite_select(&db, &plan);
                let expected = plan_sql::accepted(&policy, &subject, action, &assets);
                assert_eq!(
                    ids, expected,
                    "{subject:?} {action:?}\n{}\n{:?}",
                    clause.sql, clause.params
                );
                cases += 1;
                filters += usize::from(matches!(plan, Plan::Filter(_)));
                selected += ids.len();
            }
        }
    }
    eprintln!(
        "sqlite: {cases} plans ({filters} filters) over {} assets, {selected} rows selected; generated in {generated:?}, loaded by {loaded:?}, done in {:?}",
        assets.len(),
        start.elapsed()
    );
    // The sample must exercise filters that select some assets and leave others.
    assert!(filters > cases / 4, "{filters} of {cases}");
    assert!(selected > 0 && selected < cases * assets.len() / 2);
}

#[test]
fn hostile_terms_are_parameters_and_match_only_themselves() {
    use scangate::{Action, Subject};
    let (policy, assets, expected) = plan_sql::hostile();
    let db = sqlite_database(&assets);
    let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
    let clause = plan.to_sql(Dialect::Sqlite, &Schema::default());
    for term in ["DROP", "50", "slash", "it", "Brien"] {
        assert!(
            !clause.sql.to_lowercase().contains(&term.to_lowercase()),
            "{}",
            clause.sql
        );
    }
    let ids = sqlite_select(&db, &plan);
    assert_eq!(ids, expected);
    assert_eq!(
        ids,
        plan_sql::accepted(
            &policy,
            &Subject::user("alice"),
            Action::ASSET_VIEW,
            &assets
        )
    );
}
