//! Memory per rule term and build time of the compiled access-group index, on the
//! benchmark workload (`benches/support/index_data.rs`).
//!
//! Run: `cargo run --release --example index_memory` (add sizes as `groups x rules`
//! arguments, e.g. `5000x1000`). Memory is `GroupIndex::heap_bytes`: the sum of the
//! capacities of the index's vectors times their element sizes, hash tables as capacity ×
//! (entry + 1 control byte), plus stored string bytes; the groups themselves are not
//! counted. Build time is the median of three builds.

#[path = "../benches/support/index_data.rs"]
mod index_data;

use std::time::Instant;

use scangate::access::GroupIndex;

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
    println!("groups x rules | terms | heap bytes | bytes/term | build (median of 3)");
    for (n, rules) in sizes {
        let groups = index_data::groups(n, rules);
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let start = Instant::now();
            let index = GroupIndex::new(&groups);
            times.push(start.elapsed());
            last = Some(index);
        }
        times.sort();
        let Some(index) = last else { continue };
        let bytes = index.heap_bytes();
        let terms = index.term_count().max(1);
        println!(
            "{n} x {rules} | {terms} | {bytes} | {:.1} | {:.2?}",
            bytes as f64 / terms as f64,
            times.get(1).copied().unwrap_or_default()
        );
    }
}
