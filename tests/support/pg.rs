//! The PostgreSQL harness for integration tests (issue 12: the SQL a query plan renders is
//! checked on a real server). Include it with `#[path = "support/pg.rs"] mod pg;`.
//!
//! The server comes from `SCANGATE_PG_URL` (a `postgres` connection string, e.g.
//! `host=127.0.0.1 port=54329 user=scangate dbname=scangate`), which `.ci/run` exports after
//! starting a throwaway server with `.ci/postgres.sh`; locally,
//! `eval "$(.ci/postgres.sh start)"` does the same. Without a reachable server a test skips
//! with a message on stderr, except under CI (`CI` is `true` or `1`), where it fails: a CI run
//! must never pass by silently testing nothing.
//!
//! Tests run in parallel against one database: each takes its own schema with [`schema`],
//! dropped when the guard goes out of scope.
// Each test crate uses a part of the harness.
#![allow(dead_code, clippy::panic, clippy::expect_used)]

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use postgres::Client;

/// The variable holding the connection string.
pub const URL_VAR: &str = "SCANGATE_PG_URL";

/// Whether this run is under CI, where a PostgreSQL test must not skip.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case("true")
    })
}

/// A client connected to the test server, or `None` (after a message on stderr) when there
/// is none and this is not CI. Under CI a missing or unreachable server panics.
pub fn connect() -> Option<Client> {
    let url = match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => return unavailable(&format!("{URL_VAR} is not set")),
    };
    let mut config: postgres::Config = match url.parse() {
        Ok(config) => config,
        // A malformed string is a mistake, not a missing server: fail everywhere.
        Err(e) => panic!("{URL_VAR}={url:?} is not a valid connection string: {e}"),
    };
    // A filtered port would otherwise hang the test until the OS gives up.
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    match config.connect(postgres::NoTls) {
        Ok(client) => Some(client),
        Err(e) => unavailable(&format!("no PostgreSQL at {url:?} ({})", chain(&e))),
    }
}

/// An error with its causes: the client's own message alone ("error connecting to server")
/// does not say whether the port was closed or the password wrong.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn unavailable(why: &str) -> Option<Client> {
    if under_ci() {
        panic!(
            "{why}: PostgreSQL tests cannot run, and CI is set, so this fails \
             (.ci/run starts the server; locally: eval \"$(.ci/postgres.sh start)\")"
        );
    }
    eprintln!(
        "skipping: {why}; run `eval \"$(.ci/postgres.sh start)\"` to run the PostgreSQL tests"
    );
    None
}

/// A connection whose `search_path` is a schema of its own, created for one test and dropped
/// (with everything in it) when this guard is dropped. Derefs to the [`Client`].
pub struct Schema {
    client: Client,
    name: String,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("name", &self.name).finish()
    }
}

/// Connects ([`connect`]) and creates a fresh schema named after `label` (a test name) plus
/// a unique suffix, set as the session's `search_path`, so unqualified tables are the test's
/// own and parallel tests never see each other's.
pub fn schema(label: &str) -> Option<Schema> {
    let mut client = connect()?;
    let name = unique_name(label);
    client
        .batch_execute(&format!(
            "CREATE SCHEMA \"{name}\"; SET search_path TO \"{name}\""
        ))
        .unwrap_or_else(|e| panic!("creating schema {name}: {e}"));
    Some(Schema { client, name })
}

impl Schema {
    /// The schema's name (already safe to write between double quotes).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client, for APIs that take `&mut Client`.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl Deref for Schema {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl DerefMut for Schema {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // A failed test may leave the session inside an aborted transaction: end it first.
        let sql = format!("ROLLBACK; DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name);
        if let Err(e) = self.client.batch_execute(&sql) {
            eprintln!("warning: could not drop test schema {}: {e}", self.name);
        }
    }
}

/// `test_<label>_<pid>_<counter>_<nanos>`: lowercase ASCII, at most 63 bytes (PostgreSQL's
/// identifier limit), unique across the threads and processes of one test run.
fn unique_name(label: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(24)
        .collect();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("test_{label}_{}_{n}_{nanos}", std::process::id())
}
