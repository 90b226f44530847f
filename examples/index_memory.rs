//! Memory per rule term and build time of the compiled access-group index, on the
//! benchmark workload (`benches/support/index_data.rs`).
//!
//! Run: `cargo run --release --example index_memory` (add sizes as `groups x rules`
//! arguments, e.g. `5000x1000`). Memory is `GroupIndex::heap_bytes`: the sum of the
//! capacities of the index's vectors times their element sizes, hash tables as capacity ×
//! (entry + 1 control byte), plus stored string bytes; the groups themselves are not
//! counted. Build times are the median of three builds: of the index alone, and of a whole
//! `Policy` (validation, the index, and the granting sets of a directory of 500 users).

#[path = "../benches/support/index_data.rs"]
mod index_data;

use std::time::Instant;

use scangate::access::GroupIndex;
use scangate::{Policy, RoleId, User};

/// The median of three timed runs of `build` (inputs prepared outside the timing).
fn median_of_three<T, R>(
    mut prepare: impl FnMut() -> T,
    mut build: impl FnMut(T) -> R,
) -> std::time::Duration {
    let mut times = Vec::new();
    for _ in 0..3 {
        let input = prepare();
        let start = Instant::now();
        let built = build(input);
        times.push(start.elapsed());
        drop(built);
    }
    times.sort();
    times.get(1).copied().unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<(usize, usize)> = if args.is_empty() {
        vec![(10, 10), (100, 10), (1000, 10), (5000, 10), (5000, 1000)]
    } else {
        args.iter()
            .filter_map(|a| a.split_once('x'))
            .filter_map(|(g, r)| Some((g.parse().ok()?, r.parse().ok()?)))
            .collect()
    };
    println!(
        "groups x rules | terms | heap bytes | bytes/term | index build | policy build (median of 3)"
    );
    for (n, rules) in sizes {
        let groups = index_data::groups(n, rules);
        let index_build = median_of_three(|| (), |()| GroupIndex::new(&groups));
        let users: Vec<User> = (0..500)
            .map(|k| {
                User::new(format!("user{k}"), RoleId::SECURITY_ANALYST)
                    .with_groups([format!("team{}", k % 100)])
            })
            .collect();
        if let Err(error) = Policy::builder().access_groups(groups.clone()).build() {
            eprintln!("{n} x {rules}: the policy does not build: {error}");
            continue;
        }
        let policy_build = median_of_three(
            || (groups.clone(), users.clone()),
            |(groups, users)| Policy::builder().access_groups(groups).users(users).build(),
        );
        let index = GroupIndex::new(&groups);
        let bytes = index.heap_bytes();
        let terms = index.term_count().max(1);
        println!(
            "{n} x {rules} | {terms} | {bytes} | {:.1} | {index_build:.2?} | {policy_build:.2?}",
            bytes as f64 / terms as f64,
        );
    }
}
