//! Repeats one decision of the dynamic-tag workloads (`benches/support/tag_workloads.rs`),
//! for instruction counts under `valgrind --tool=callgrind` (which the machine's load does
//! not change) and for profilers.
//!
//! `tags_prof LAYOUT N CASE/MODE ITERATIONS`, e.g. `tags_prof dense_and 5000
//! allow/is_allowed 20000`: `CASE` is `allow` or `deny`, `MODE` is `is_allowed`, `check`
//! or `filter` (the deciding tag's `TagFilter::matches`); with `USE_GROUPS` set, the
//! access groups of the same values decide instead. Instructions per call: (total at
//! `ITERATIONS + 1` − total at 1) / `ITERATIONS` (`docs/performance.md`, "Dynamic tags").
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/workloads.rs"]
mod workloads;

#[path = "../benches/support/tag_workloads.rs"]
mod tag_workloads;

use scangate::{Action, Resource, Subject};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("dense_and", String::as_str);
    let layout = tag_workloads::Layout::ALL
        .into_iter()
        .find(|l| l.name() == name)
        .expect("a layout name");
    let n: usize = args.get(2).map_or(5_000, |s| s.parse().unwrap());
    let which = args.get(3).map_or("allow/is_allowed", String::as_str);
    let iters: u32 = args.get(4).map_or(200_000, |s| s.parse().unwrap());
    let w = tag_workloads::build(layout, n).unwrap();
    let policy = if std::env::var_os("USE_GROUPS").is_some() {
        w.group_policy().unwrap()
    } else {
        w.tag_policy().unwrap()
    };
    let control = w.control().unwrap();
    let subject = Subject::user(&w.subject);
    let asset = if which.starts_with("deny") {
        &w.denied
    } else {
        &w.allowed
    };
    let mode = which.split('/').nth(1).unwrap_or("is_allowed");
    let filter = control
        .tags()
        .get(w.granting_position)
        .and_then(|t| t.filter())
        .unwrap();
    let start = std::time::Instant::now();
    let mut allowed = 0u32;
    for _ in 0..iters {
        let a = std::hint::black_box(asset);
        allowed += u32::from(match mode {
            "check" => policy
                .check(&subject, Action::ASSET_VIEW, Resource::Asset(a))
                .is_allowed(),
            "filter" => filter.matches(a, |u| control.tag_name(u)),
            _ => policy.is_allowed(&subject, Action::ASSET_VIEW, Resource::Asset(a)),
        });
    }
    println!(
        "{allowed} of {iters} allowed, {:?} per call",
        start.elapsed() / iters.max(1)
    );
}
