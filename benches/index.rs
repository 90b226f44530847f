//! Layer 3 hot paths on the compiled access-group index (`GroupIndex`): the principal
//! index (`granting`), `first_containing` (hit and miss), the per-subject `AssetFilter`
//! and the build, at 10, 100, 1,000 and 5,000 groups of 10 and of 1,000 rules. The
//! workload is described in `benches/support/index_data.rs`.
//!
//! Run: `cargo bench --bench index -- --warm-up-time 1 --measurement-time 3`. Figures are
//! recorded in docs/performance.md ("Layer 3 index"). The build of 5,000 × 1,000 rules is
//! timed by `cargo run --release --example index_memory` instead (a criterion run of ten
//! samples would take a minute).
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

#[path = "support/index_data.rs"]
mod index_data;

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use scangate::access::AccessPermissions;
use scangate::access::GroupIndex;

use index_data::{USER, USER_GROUPS, asset_in, asset_miss, assets, groups, last_granted};

const SIZES: [(usize, usize); 8] = [
    (10, 10),
    (100, 10),
    (1000, 10),
    (5000, 10),
    (10, 1000),
    (100, 1000),
    (1000, 1000),
    (5000, 1000),
];

fn label(n: usize, rules: usize) -> String {
    format!("{n}x{rules}")
}

fn lookups(c: &mut Criterion) {
    let mut granting = c.benchmark_group("index/granting");
    let mut built = Vec::new();
    for (n, rules) in SIZES {
        let index = GroupIndex::new(&groups(n, rules));
        granting.bench_with_input(
            BenchmarkId::from_parameter(label(n, rules)),
            &index,
            |b, ix| {
                b.iter(|| ix.granting(black_box(USER), &USER_GROUPS, AccessPermissions::CAN_VIEW))
            },
        );
        let mut reused = index.granting(USER, &USER_GROUPS, AccessPermissions::CAN_VIEW);
        granting.bench_with_input(
            BenchmarkId::new("into", label(n, rules)),
            &index,
            |b, ix| {
                b.iter(|| {
                    ix.granting_into(
                        black_box(USER),
                        &USER_GROUPS,
                        AccessPermissions::CAN_VIEW,
                        &mut reused,
                    )
                })
            },
        );
        built.push((n, rules, index));
    }
    granting.finish();

    let mut first = c.benchmark_group("index/first_containing");
    for (n, rules, index) in &built {
        let among = index.granting(USER, &USER_GROUPS, AccessPermissions::CAN_VIEW);
        let hit = asset_in(last_granted(*n));
        let miss = asset_miss();
        let id = label(*n, *rules);
        first.bench_with_input(
            BenchmarkId::new("hit", &id),
            &(index, &among),
            |b, (ix, s)| b.iter(|| ix.first_containing(black_box(&hit), s)),
        );
        first.bench_with_input(
            BenchmarkId::new("miss", &id),
            &(index, &among),
            |b, (ix, s)| b.iter(|| ix.first_containing(black_box(&miss), s)),
        );
    }
    first.finish();

    let mut filter = c.benchmark_group("index/filter");
    for (n, rules, index) in &built {
        let among = index.granting(USER, &USER_GROUPS, AccessPermissions::CAN_VIEW);
        let f = index.filter(&among);
        // A list page: 1,000 rows, 20% of them in some group (about 2% of those granted).
        let rows = assets(*n, 1000, 20);
        filter.throughput(Throughput::Elements(rows.len() as u64));
        filter.bench_with_input(
            BenchmarkId::new("allows", label(*n, *rules)),
            &rows,
            |b, rows| b.iter(|| rows.iter().filter(|a| f.allows(a)).count()),
        );
    }
    filter.finish();
}

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("index/build");
    g.sample_size(10);
    for (n, rules) in SIZES.into_iter().filter(|&(n, r)| n * r < 5_000_000) {
        let groups = groups(n, rules);
        g.bench_with_input(
            BenchmarkId::from_parameter(label(n, rules)),
            &groups,
            |b, gs| b.iter(|| GroupIndex::new(gs)),
        );
        let index = GroupIndex::new(&groups);
        let among = index.granting(USER, &USER_GROUPS, AccessPermissions::CAN_VIEW);
        g.bench_with_input(
            BenchmarkId::new("filter", label(n, rules)),
            &(&index, &among),
            |b, (ix, s)| b.iter(|| ix.filter(s)),
        );
    }
    g.finish();
}

criterion_group!(benches, lookups, build);
criterion_main!(benches);
