//! The databases of the query-plan equivalence tests, written once for the access-group
//! plans (`tests/query_plan_sqlite.rs`, `tests/query_plan_postgres.rs`) and the plans with
//! v3 permissions and tags (`tests/query_plan_permissions_{sqlite,postgres}.rs`,
//! `tests/query_plan_sqlite_depth.rs`): a fixed sample of assets, the assets stored in the
//! default schema (SQLite in memory, or a PostgreSQL server from `pg.rs`), and the ids a
//! plan selects there.
#![allow(dead_code)]

use postgres::types::ToSql;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rusqlite::{Connection, params_from_iter};
use scangate::Asset;
use scangate::plan::{Dialect, Plan, Schema, SqlValue};

/// `n` values of `strategy`, the same on every run (`seed` chooses which).
pub fn sample<S: Strategy>(strategy: S, n: usize, seed: u8) -> Vec<S::Value> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// `count` assets (their ids are their positions) of fewer than `most` values each, drawn
/// from `pool` by a xorshift generator started at `state`, each put on the asset by
/// `insert` (a value the asset refuses is skipped). Generating thousands of assets through
/// proptest's strategies takes seconds in a debug build; drawing from a pool is instant
/// and covers the same values.
pub fn pooled_assets<A>(
    pool: &[(A, String)],
    count: usize,
    most: usize,
    state: u64,
    insert: impl Fn(&mut Asset, &A, &str),
) -> Vec<Asset> {
    let mut x = state;
    let mut next = move |below: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        usize::try_from(x % u64::try_from(below).unwrap()).unwrap()
    };
    (0..count)
        .map(|_| {
            let mut asset = Asset::new();
            for _ in 0..next(most) {
                let (attribute, value) = &pool[next(pool.len())];
                insert(&mut asset, attribute, value);
            }
            asset
        })
        .collect()
}

/// The statement that selects a plan's ids in order.
fn select_sql(where_clause: &str) -> String {
    format!("SELECT id FROM assets WHERE {where_clause} ORDER BY id")
}

/// A bind value as `rusqlite` takes it.
pub fn to_sqlite(value: &SqlValue) -> rusqlite::types::Value {
    match value {
        SqlValue::Text(s) => rusqlite::types::Value::Text(s.clone()),
        SqlValue::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
        other => panic!("not a SQLite value: {other:?}"),
    }
}

/// An in-memory SQLite database holding `assets` (ids are positions) in the default
/// schema, analyzed.
pub fn sqlite_database(assets: &[Asset]) -> Connection {
    let mut db = Connection::open_in_memory().unwrap();
    let schema = Schema::default();
    for statement in schema.create_statements(Dialect::Sqlite, "INTEGER") {
        db.execute(&statement, []).unwrap();
    }
    let tx = db.transaction().unwrap();
    {
        let mut asset_row = tx.prepare("INSERT INTO assets (id) VALUES (?)").unwrap();
        let mut value_row = tx
            .prepare(&schema.insert_statement(Dialect::Sqlite))
            .unwrap();
        for (id, asset) in assets.iter().enumerate() {
            let id = i64::try_from(id).unwrap();
            asset_row.execute([id]).unwrap();
            for row in Schema::rows(asset, Dialect::Sqlite).unwrap() {
                let ip = row.ip.as_ref().map(to_sqlite);
                value_row
                    .execute(rusqlite::params![id, row.attribute, row.value, ip])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    db.execute("ANALYZE", []).unwrap();
    db
}

/// The ids `plan` selects in `db`, in order.
pub fn sqlite_select(db: &Connection, plan: &Plan<'_>) -> Vec<i64> {
    let clause = plan.to_sql(Dialect::Sqlite, &Schema::default());
    let sql = select_sql(&clause.sql);
    let mut statement = db
        .prepare_cached(&sql)
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    statement
        .query_map(params_from_iter(clause.params.iter().map(to_sqlite)), |r| {
            r.get(0)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A bind value as the `postgres` crate takes it.
pub fn to_pg(value: &SqlValue) -> Box<dyn ToSql + Sync> {
    match value {
        SqlValue::Text(s) => Box::new(s.clone()),
        SqlValue::Inet(ip) => Box::new(*ip),
        other => panic!("not a PostgreSQL value: {other:?}"),
    }
}

/// Loads `assets` (ids are positions) into the default schema in one transaction, 500
/// rows a statement, and analyzes the tables.
pub fn pg_load(client: &mut postgres::Client, assets: &[Asset]) {
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

/// The ids `plan` selects on the server, in order.
pub fn pg_select(client: &mut postgres::Client, plan: &Plan<'_>) -> Vec<i64> {
    let clause = plan.to_sql(Dialect::Postgres, &Schema::default());
    let sql = select_sql(&clause.sql);
    let owned: Vec<Box<dyn ToSql + Sync>> = clause.params.iter().map(to_pg).collect();
    let params: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|p| &**p).collect();
    client
        .query(sql.as_str(), &params)
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .iter()
        .map(|row| row.get(0))
        .collect()
}
