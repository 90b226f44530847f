//! Query plans at scale (issue 12; `docs/performance.md`, "Query plans in the database"):
//! 1,000,000 assets in SQLite (in memory) and, when `SCANGATE_PG_URL` is set, PostgreSQL;
//! 5,000 access groups of one `/24` each, a subject granted by 50 of them. Prints the plan
//! build time, then per database the count and the first page of 100 visible assets
//! (`ORDER BY id`) through the plan's SQL, against fetching every row and filtering in
//! memory with `Policy::asset_filter`.
//!
//! ```text
//! cargo run --release --example plan_scale [ASSETS]
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use postgres::types::ToSql;
use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
use scangate::plan::{Dialect, Schema, SqlValue};
use scangate::{AccessGroup, Action, Asset, Policy, RoleId, Subject, User};

const GROUPS: u32 = 5_000;
const BASE: u32 = 0x0A00_0000; // 10.0.0.0

fn address(i: u32) -> Ipv4Addr {
    Ipv4Addr::from(BASE + i)
}

fn policy() -> Policy {
    let groups = (0..GROUPS).map(|g| {
        let net = format!("{}/24", Ipv4Addr::from(BASE + (g << 8)));
        let group = AccessGroup::new(&format!("net {g}"), AccessGroupType::ManageAssets)
            .with_id(&format!("g{g}"))
            .with_rule(Rule::parse("ipv4", "eq", [net]).unwrap());
        // Every 100th group grants alice: 50 groups.
        let who = if g % 100 == 0 {
            "alice".to_owned()
        } else {
            format!("user{g}")
        };
        group.with_principal(Principal::user(&who, AccessPermissions::CAN_VIEW))
    });
    Policy::builder()
        .access_groups(AccessGroups::from_server(groups))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed());
    }
    (median(times), last.unwrap())
}

/// Rows of (id, attribute, value) in id order, grouped into assets, filtered in memory.
fn filter_rows(
    policy: &Policy,
    rows: impl Iterator<Item = (i64, String, String)>,
) -> (usize, Vec<i64>) {
    let filter = policy.asset_filter(&Subject::user("alice"), Action::ASSET_VIEW);
    let (mut count, mut page) = (0usize, Vec::new());
    let mut current: Option<(i64, Asset)> = None;
    let mut finish = |id: i64, asset: &Asset| {
        if filter.allows(asset) {
            count += 1;
            if page.len() < 100 {
                page.push(id);
            }
        }
    };
    for (id, attribute, value) in rows {
        match &mut current {
            Some((at, asset)) if *at == id => {
                asset.insert(attribute.parse().unwrap(), &value).unwrap();
            }
            _ => {
                if let Some((at, asset)) = current.take() {
                    finish(at, &asset);
                }
                let mut asset = Asset::new();
                asset.insert(attribute.parse().unwrap(), &value).unwrap();
                current = Some((id, asset));
            }
        }
    }
    if let Some((at, asset)) = current.take() {
        finish(at, &asset);
    }
    (count, page)
}

fn report(db: &str, planned: (Duration, Duration), fetched: Duration, count: usize) {
    let total = planned.0 + planned.1;
    println!(
        "{db}: {count} visible; plan: count {:.1} ms + first page {:.1} ms = {:.1} ms; fetch and filter {:.0} ms; ratio {:.0}x",
        planned.0.as_secs_f64() * 1e3,
        planned.1.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        fetched.as_secs_f64() * 1e3,
        fetched.as_secs_f64() / total.as_secs_f64()
    );
}

fn sqlite(policy: &Policy, assets: u32) {
    let start = Instant::now();
    let mut db = rusqlite::Connection::open_in_memory().unwrap();
    let schema = Schema::default();
    for s in schema.create_statements(Dialect::Sqlite, "INTEGER") {
        db.execute(&s, []).unwrap();
    }
    let tx = db.transaction().unwrap();
    {
        let mut a = tx.prepare("INSERT INTO assets (id) VALUES (?)").unwrap();
        let mut v = tx
            .prepare(&schema.insert_statement(Dialect::Sqlite))
            .unwrap();
        for i in 0..assets {
            let asset = Asset::new()
                .with("ipv4", &address(i).to_string())
                .unwrap()
                .with("fqdn", &format!("host{i}.example.com"))
                .unwrap();
            a.execute([i]).unwrap();
            for row in Schema::rows(&asset, Dialect::Sqlite).unwrap() {
                let ip = match row.ip {
                    Some(SqlValue::Blob(b)) => Some(b),
                    _ => None,
                };
                v.execute(rusqlite::params![i, row.attribute, row.value, ip])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    db.execute("ANALYZE", []).unwrap();
    println!(
        "sqlite: {assets} assets loaded in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
    let clause = plan.to_sql(Dialect::Sqlite, &schema);
    let params: Vec<rusqlite::types::Value> = clause
        .params
        .iter()
        .map(|p| match p {
            SqlValue::Text(t) => rusqlite::types::Value::Text(t.clone()),
            SqlValue::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    let count_sql = format!("SELECT count(*) FROM assets WHERE {}", clause.sql);
    let page_sql = format!(
        "SELECT id FROM assets WHERE {} ORDER BY id LIMIT 100",
        clause.sql
    );
    let (count_time, count): (Duration, i64) = timed(5, || {
        db.prepare_cached(&count_sql)
            .unwrap()
            .query_row(rusqlite::params_from_iter(&params), |r| r.get(0))
            .unwrap()
    });
    let (page_time, page): (Duration, Vec<i64>) = timed(5, || {
        db.prepare_cached(&page_sql)
            .unwrap()
            .query_map(rusqlite::params_from_iter(&params), |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let (fetch_time, (all_count, all_page)) = timed(1, || {
        let mut statement = db
            .prepare("SELECT asset_id, attribute, value FROM asset_values ORDER BY asset_id")
            .unwrap();
        let rows = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap);
        filter_rows(policy, rows)
    });
    assert_eq!(
        (usize::try_from(count).unwrap(), page.clone()),
        (all_count, all_page)
    );
    report("sqlite", (count_time, page_time), fetch_time, all_count);
}

fn postgres(policy: &Policy, assets: u32) {
    let Ok(url) = std::env::var("SCANGATE_PG_URL") else {
        println!("postgres: SCANGATE_PG_URL is not set, skipped");
        return;
    };
    let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let start = Instant::now();
    db.batch_execute("DROP SCHEMA IF EXISTS plan_scale CASCADE; CREATE SCHEMA plan_scale; SET search_path TO plan_scale")
        .unwrap();
    let schema = Schema::default();
    for s in schema.create_statements(Dialect::Postgres, "bigint") {
        db.batch_execute(&s).unwrap();
    }
    // The same rows as `Schema::rows` gives, generated by the server.
    db.batch_execute(&format!(
        "INSERT INTO assets (id) SELECT generate_series(0, {n});
         INSERT INTO asset_values (asset_id, attribute, value, ip)
           SELECT i, 'ipv4', host('10.0.0.0'::inet + i), '10.0.0.0'::inet + i FROM generate_series(0, {n}) AS i;
         INSERT INTO asset_values (asset_id, attribute, value)
           SELECT i, 'fqdn', 'host' || i || '.example.com' FROM generate_series(0, {n}) AS i;
         ANALYZE assets; ANALYZE asset_values;",
        n = assets - 1
    ))
    .unwrap();
    println!(
        "postgres: {assets} assets loaded in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
    let clause = plan.to_sql(Dialect::Postgres, &schema);
    let owned: Vec<Box<dyn ToSql + Sync>> = clause
        .params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                SqlValue::Text(t) => Box::new(t.clone()),
                SqlValue::Inet(ip) => Box::new(*ip),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    let params: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|p| &**p).collect();
    let count_sql = format!("SELECT count(*) FROM assets WHERE {}", clause.sql);
    let page_sql = format!(
        "SELECT id FROM assets WHERE {} ORDER BY id LIMIT 100",
        clause.sql
    );
    let (count_time, count): (Duration, i64) = timed(5, || {
        db.query_one(count_sql.as_str(), &params).unwrap().get(0)
    });
    let (page_time, page): (Duration, Vec<i64>) = timed(5, || {
        db.query(page_sql.as_str(), &params)
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    });
    let (fetch_time, (all_count, all_page)) = timed(1, || {
        let rows = db
            .query(
                "SELECT asset_id, attribute, value FROM asset_values ORDER BY asset_id",
                &[],
            )
            .unwrap();
        filter_rows(policy, rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))))
    });
    assert_eq!(
        (usize::try_from(count).unwrap(), page.clone()),
        (all_count, all_page)
    );
    report("postgres", (count_time, page_time), fetch_time, all_count);
    db.batch_execute("DROP SCHEMA plan_scale CASCADE").unwrap();
}

fn main() {
    let assets: u32 = std::env::args()
        .nth(1)
        .map_or(1_000_000, |n| n.parse().unwrap());
    let policy = policy();
    let alice = Subject::user("alice");
    let (build, plan) = timed(1_001, || policy.plan(&alice, Action::ASSET_VIEW));
    let scangate::plan::Plan::Filter(filter) = &plan else {
        panic!("a filter")
    };
    println!(
        "plan over {GROUPS} groups (50 granting): built in {:.1} µs (median of 1,001), {} conditions",
        build.as_secs_f64() * 1e6,
        filter.conditions().len()
    );
    sqlite(&policy, assets);
    postgres(&policy, assets);
}
