//! Repeats one access-group decision of the layer-3 workloads
//! (`benches/support/workloads.rs`), for instruction counts under `valgrind
//! --tool=callgrind` and for profilers; the access-group twin of `examples/tags_prof.rs`.
//!
//! `layer3_prof KIND N CASE ITERATIONS`, e.g. `layer3_prof dense 5000 deny 200000`: `KIND`
//! a workload of `benches/layer3.rs` (`dense`, `shared8`, `nested`, …), `N` groups of 10 rules,
//! `CASE` `allow` or `deny` (the allowed or denied asset), with `/check` for `check`
//! instead of `is_allowed`. Prints the time per call; for instructions per call, take the
//! difference of two runs' totals (`docs/performance.md`, "Dynamic tags (v3)").
#![allow(missing_docs, clippy::unwrap_used)]
#[path = "../benches/support/workloads.rs"]
mod workloads;
use scangate::{Action, Policy, Resource, Subject};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = workloads::Kind::from_name(args.get(1).map_or("dense", |s| s)).unwrap();
    let n: usize = args.get(2).map_or(5000, |s| s.parse().unwrap());
    let which = args.get(3).map_or("deny", |s| s.as_str()).to_owned();
    let iters: usize = args.get(4).map_or(200000, |s| s.parse().unwrap());
    let w = workloads::build(kind, n, 10).unwrap();
    let p: Policy = w.policy().unwrap();
    let s = Subject::user(w.subject);
    let asset = if which.starts_with("deny") {
        &w.denied
    } else {
        &w.allowed
    };
    let check = which.ends_with("check");
    let t = std::time::Instant::now();
    let mut c = 0;
    for _ in 0..iters {
        if check {
            c += usize::from(
                p.check(
                    &s,
                    Action::ASSET_VIEW,
                    Resource::Asset(std::hint::black_box(asset)),
                )
                .is_allowed(),
            );
        } else {
            c += usize::from(p.is_allowed(
                &s,
                Action::ASSET_VIEW,
                Resource::Asset(std::hint::black_box(asset)),
            ));
        }
    }
    println!(
        "{} {:.1} ns/call ({c})",
        which,
        t.elapsed().as_nanos() as f64 / iters as f64
    );
}
