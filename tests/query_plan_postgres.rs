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
#[path = "support/plan_policies.rs"]
mod plan_policies;
#[path = "support/plan_sql.rs"]
mod plan_sql;

use plan_policies::{ACTIONS, subjects};
use postgres::types::ToSql;
use scangate::Asset;
use scangate::plan::{Dialect, Plan, Schema, SqlValue};

/// A bind value as the `postgres` crate takes it.
fn to_pg(value: &SqlValue) -> Box<dyn ToSql + Sync> {
    match value {
        SqlValue::Text(s) => Box::new(s.clone()),
        SqlValue::Inet(ip) => Box::new(*ip),
        other => panic!("not a PostgreSQL value: {other:?}"),
    }
}

/// Loads `assets` (ids are positions) in one transaction, 500 rows a statement.
fn load(client: &mut postgres::Client, assets: &[Asset]) {
    let schema = Schema::default();
    for statement in schema.create_statements(Dialect::Postgres, "bigint") {
        client.batch_execute(&statement).unwrap();
    }
    let mut tx = client.transaction().unwrap();
    let ids: Vec<i64> = (0..i64::try_from(assets.len()).unwrap()).collect();
    tx.execute(
        "INSERT INTO assets (id) SELECT unnest($1::bigint[])",
        &[&ids],
    )
    .unwrap();
    let mut rows: Vec<(i64, &'static str, String, Option<std::net::IpAddr>)> = Vec::new();
    for (id, asset) in ids.iter().zip(assets) {
        for row in Schema::rows(asset, Dialect::Postgres).unwrap() {
            let ip = match row.ip {
                Some(SqlValue::Inet(ip)) => Some(ip),
                None => None,
                Some(other) => panic!("{other:?}"),
            };
            rows.push((*id, row.attribute, row.value, ip));
        }
    }
    for chunk in rows.chunks(500) {
        let mut sql =
            String::from("INSERT INTO asset_values (asset_id, attribute, value, ip) VALUES ");
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        for (i, (id, attribute, value, ip)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let n = i * 4;
            sql.push_str(&format!("(${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4));
            params.extend([id as &(dyn ToSql + Sync), attribute, value, ip]);
        }
        tx.execute(sql.as_str(), &params).unwrap();
    }
    tx.commit().unwrap();
    client
        .batch_execute("ANALYZE assets; ANALYZE asset_values")
        .unwrap();
}

fn select(client: &mut postgres::Client, plan: &Plan<'_>) -> Vec<i64> {
    let clause = plan.to_sql(Dialect::Postgres, &Schema::default());
    let sql = format!("SELECT id FROM assets WHERE {} ORDER BY id", clause.sql);
    let owned: Vec<Box<dyn ToSql + Sync>> = clause.params.iter().map(to_pg).collect();
    let params: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|p| &**p).collect();
    client
        .query(sql.as_str(), &params)
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn postgres_selects_what_the_filter_accepts() {
    let Some(mut db) = pg::schema("query_plan") else {
        return;
    };
    let start = std::time::Instant::now();
    let assets = plan_sql::assets();
    load(db.client(), &assets);
    let loaded = start.elapsed();
    let (mut cases, mut filters, mut selected) = (0usize, 0usize, 0usize);
    for policy in plan_sql::policies() {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                let ids = select(db.client(), &plan);
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
    load(db.client(), &assets);
    let alice = Subject::user("alice");
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    let ids = select(db.client(), &plan);
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
