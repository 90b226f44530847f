//! Query plans with v3 permissions and tags rendered for SQLite select exactly the assets
//! `is_allowed` accepts: 5,000 random assets (every filter field's attribute, the extra
//! ones included, `tag_uuid` values naming the policies' tags, hostile strings) in the
//! default schema of an in-memory database (bundled SQLite), and every subject and asset
//! action of 24 random policies with groups, tags and permissions (`docs/semantics.md`,
//! "Query plans").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/plan_db.rs"]
mod plan_db;
#[path = "support/plan_tags.rs"]
mod plan_tags;
#[path = "support/plan_tags_sql.rs"]
mod plan_tags_sql;

use plan_db::{sqlite_database, sqlite_select};
use plan_tags::{ACTIONS, subjects};
use plan_tags_sql::Coverage;
use scangate::plan::{Dialect, Plan, Schema};

#[test]
fn sqlite_selects_what_is_allowed_with_permissions_and_tags() {
    let start = std::time::Instant::now();
    let assets = plan_tags_sql::assets();
    let db = sqlite_database(&assets);
    let loaded = start.elapsed();
    let mut coverage = Coverage::default();
    let (mut cases, mut filters, mut selected, mut by_tags) = (0usize, 0usize, 0usize, 0usize);
    for policy in plan_tags_sql::policies() {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                let ids = sqlite_select(&db, &plan);
                let expected = plan_tags_sql::accepted(&policy, &subject, action, &assets);
                assert_eq!(
                    ids,
                    expected,
                    "{subject:?} {action:?}\n{plan:?}\n{:?}",
                    plan.to_sql(Dialect::Sqlite, &Schema::default())
                );
                coverage.add(&plan);
                if let Plan::Filter(filter) = &plan {
                    filters += 1;
                    // Rows only a granted tag selects (no group's condition).
                    by_tags += ids
                        .iter()
                        .filter(|id| {
                            let asset = &assets[usize::try_from(**id).unwrap()];
                            !filter.conditions().iter().any(|c| c.passes(asset))
                        })
                        .count();
                }
                cases += 1;
                selected += ids.len();
            }
        }
    }
    eprintln!(
        "sqlite (permissions): {cases} plans ({filters} filters, {} with a tag filter) over {} assets, {selected} rows selected ({by_tags} by tags only); loaded by {loaded:?}, done in {:?}; {coverage:?}",
        coverage.filtered_plans,
        assets.len(),
        start.elapsed()
    );
    // The sample must exercise filters that select some assets and leave others, through
    // tags, with every operator, nesting, `tag.<Category>` and the extra attributes.
    assert!(filters > cases / 4, "{filters} of {cases}");
    assert!(coverage.filtered_plans > cases / 8, "{coverage:?}");
    assert!(by_tags > 1_000, "{by_tags}");
    assert!(selected > 0 && selected < cases * assets.len() / 2);
    assert_eq!(coverage.operators.len(), 7, "{coverage:?}");
    assert!(coverage.categories > 0 && coverage.extra > 0 && coverage.nested > 0);
}

#[test]
fn hostile_filters_are_parameters_and_match_only_themselves() {
    let (policy, assets, expected) = plan_tags_sql::hostile();
    let db = sqlite_database(&assets);
    let alice = plan_tags_sql::alice();
    let plan = policy.plan(&alice, scangate::Action::ASSET_VIEW);
    let clause = plan.to_sql(Dialect::Sqlite, &Schema::default());
    for term in ["drop", "50", "brien", "it's", "run"] {
        assert!(!clause.sql.to_lowercase().contains(term), "{}", clause.sql);
    }
    let ids = sqlite_select(&db, &plan);
    assert_eq!(ids, expected);
    assert_eq!(
        ids,
        plan_tags_sql::accepted(&policy, &alice, scangate::Action::ASSET_VIEW, &assets)
    );
}
