//! The policy-file loader: `Policy::from_json` on the generated 5,000-group × 10-rule file
//! (`benches/support/policy_file.rs`: twenty custom roles, 300 users, written with
//! `Policy::to_json`, about 10 MB), and the same file with its last access group made
//! invalid, which is read twice (the streaming pass fails at the end, the element-by-element
//! pass names the problem). `Policy::from_json` includes the policy build (validation, the
//! index, the user directory).
//!
//! Run: `cargo bench --bench loader -- --warm-up-time 1 --measurement-time 3`. Figures are
//! recorded in docs/performance.md ("Policy loader"), with CPython's `json.load` of the
//! same file and the peak memory (`examples/load_policy.rs`).
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

#[path = "support/index_data.rs"]
mod index_data;
#[path = "support/policy_file.rs"]
mod policy_file;

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use scangate::Policy;

fn load(c: &mut Criterion) {
    let Ok(text) = policy_file::file(5000, 10, 300) else {
        eprintln!("the workload does not build");
        return;
    };
    // The last group's type made unknown: the load fails at `access_groups[4999]`.
    let mut bad = text.clone();
    if let Some(at) = bad.rfind(r#""MANAGE_ASSETS""#) {
        bad.replace_range(at..at + 15, r#""MANAGE_ALL!!""#);
    }
    let mut g = c.benchmark_group("loader");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("from_json/5000x10", |b| {
        // The policy is dropped outside the timing.
        b.iter_with_large_drop(|| Policy::from_json(black_box(&text)))
    });
    g.bench_function("from_json/5000x10_last_group_bad", |b| {
        b.iter(|| Policy::from_json(black_box(&bad)).is_err())
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
