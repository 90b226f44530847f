//! The layer-3 workloads of issue 10 (`benches/support/workloads.rs`) outside criterion:
//! their calibration, and the big case (the dense workload at 5,000 groups × 1,000 rules,
//! about 6 M terms), too slow to build for a criterion run.
//!
//! ```text
//! cargo run --release --example layer3_scale -- calibrate [RULES] [KIND…]
//! cargo run --release --example layer3_scale -- big [KIND] [GROUPSxRULES]
//! /usr/bin/time -v cargo run --release --example layer3_scale -- big   # peak RSS
//! ```
//!
//! `calibrate` (default 10 rules per group, every kind) builds each workload at 10, 100,
//! 1,000 and 5,000 groups and prints its checked facts and how many groups contain a
//! typical asset ([`ReferenceMatcher`](scangate::access::ReferenceMatcher), 201 assets: median,
//! 10th and 90th percentiles).
//!
//! `big` (default `dense 5000x1000`) prints the term count, `GroupIndex::heap_bytes` and
//! bytes per term, the index build and `Policy` build times (median of 3; the policy build
//! also works out the granting sets of the 2,000 directory users), then the median time
//! per call of `is_allowed`, `check` and the plain loop on the allowed and the denied asset
//! through `Subject::user("u0000")`: each a loop of N calls (N chosen so that a loop takes
//! about half a second, at most 100,000) timed with `Instant`, 5 loops, the median loop
//! divided by N. Peak RSS is the process's `VmHWM` (Linux), or run it under
//! `/usr/bin/time -v` ("Maximum resident set size").
#![allow(missing_docs)]

#[path = "../benches/support/workloads.rs"]
mod workloads;

use std::hint::black_box;
use std::time::{Duration, Instant};

use scangate::access::GroupIndex;
use scangate::{Action, Asset, Policy, Resource, Subject};

use workloads::{Kind, Workload, build, plain_is_allowed};

const SIZES: [usize; 4] = [10, 100, 1_000, 5_000];

fn percentile(sorted: &[usize], p: usize) -> usize {
    sorted
        .get(sorted.len().saturating_sub(1) * p / 100)
        .copied()
        .unwrap_or(0)
}

fn calibrate(rules: usize, kinds: &[Kind]) {
    println!(
        "kind | groups x rules | terms | typical asset in groups: median (p10–p90) | allowed in | denied in | granting group | subject's view groups | all_users | SCAN_TARGETS"
    );
    for kind in kinds {
        for n in SIZES {
            let workload = match build(*kind, n, rules) {
                Ok(w) => w,
                Err(error) => {
                    eprintln!("{}: {error}", kind.name());
                    continue;
                }
            };
            let assets = match workload.typical_assets(201, 7) {
                Ok(a) => a,
                Err(error) => {
                    eprintln!("{}: {error}", kind.name());
                    continue;
                }
            };
            let mut counts = workload.containing_counts(&assets);
            counts.sort_unstable();
            let f = &workload.facts;
            println!(
                "{} | {n} x {rules} | {} | {} ({}–{}) | {} | {} | g{} | {} | {} | {}",
                kind.name(),
                f.terms,
                percentile(&counts, 50),
                percentile(&counts, 10),
                percentile(&counts, 90),
                f.allowed_in,
                f.denied_in,
                f.granting_position,
                f.subject_view_groups,
                f.all_users_groups,
                f.scan_targets_groups,
            );
        }
    }
}

/// The median of three timed runs of `run` (inputs prepared outside the timing).
fn median_of_three<T, R>(
    mut prepare: impl FnMut() -> T,
    mut run: impl FnMut(T) -> R,
) -> (Duration, Option<R>) {
    let mut times = Vec::new();
    let mut kept = None;
    for _ in 0..3 {
        let input = prepare();
        drop(kept.take()); // the previous result goes before the next is built
        let start = Instant::now();
        let out = run(input);
        times.push(start.elapsed());
        kept = Some(out);
    }
    times.sort();
    (times.get(1).copied().unwrap_or_default(), kept)
}

/// Median time per call of `f`: 5 loops of N calls, N such that a loop takes about 0.5 s
/// (at most 100,000 calls).
fn per_call(mut f: impl FnMut() -> bool) -> (Duration, u32) {
    let start = Instant::now();
    let mut probes = 0u32;
    while start.elapsed() < Duration::from_millis(50) && probes < 10_000 {
        black_box(f());
        probes += 1;
    }
    let each = start.elapsed() / probes.max(1);
    let calls = (Duration::from_millis(500).as_nanos() / each.as_nanos().max(1)).clamp(10, 100_000);
    let calls = u32::try_from(calls).unwrap_or(100_000);
    let mut loops: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                black_box(f());
            }
            start.elapsed() / calls
        })
        .collect();
    loops.sort();
    (loops.get(2).copied().unwrap_or_default(), calls)
}

fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
}

fn big(kind: Kind, n: usize, rules: usize) {
    let start = Instant::now();
    let workload = match build(kind, n, rules) {
        Ok(w) => w,
        Err(error) => {
            eprintln!("{}: {error}", kind.name());
            return;
        }
    };
    println!(
        "{} {n} x {rules}: generated and checked in {:.2?}",
        kind.name(),
        start.elapsed()
    );
    let f = &workload.facts;
    println!(
        "terms {} | allowed asset in {} groups (granting: g{}) | denied asset in {} groups | subject's view groups {}",
        f.terms, f.allowed_in, f.granting_position, f.denied_in, f.subject_view_groups
    );

    let (index_build, index) = median_of_three(|| (), |()| GroupIndex::new(&workload.groups));
    if let Some(index) = index {
        let bytes = index.heap_bytes();
        let terms = index.term_count().max(1);
        println!(
            "GroupIndex: {terms} terms, heap {bytes} bytes ({:.1} MiB), {:.1} bytes/term, build {index_build:.2?} (median of 3)",
            bytes as f64 / (1024.0 * 1024.0),
            bytes as f64 / terms as f64
        );
    }

    let (policy_build, policy) = median_of_three(
        || workload.users.clone(),
        |users| policy_of(&workload, users),
    );
    println!(
        "Policy build (groups, index, {} directory users): {policy_build:.2?} (median of 3)",
        workload.users.len()
    );
    let Some(Some(policy)) = policy else {
        eprintln!("the policy does not build");
        return;
    };
    time_decisions(&workload, &policy);
    if let Some(rss) = peak_rss() {
        println!("peak RSS (VmHWM): {rss}");
    }
}

fn policy_of(workload: &Workload, users: Vec<scangate::User>) -> Option<Policy> {
    Policy::builder()
        .access_groups(workload.groups.clone())
        .users(users)
        .build()
        .ok()
}

fn time_decisions(workload: &Workload, policy: &Policy) {
    let subject = Subject::user(workload.subject);
    let cases: [(&str, &Asset, bool); 2] = [
        ("allow", &workload.allowed, true),
        ("deny", &workload.denied, false),
    ];
    for (name, asset, expected) in cases {
        let is_allowed = policy.is_allowed(&subject, Action::ASSET_VIEW, Resource::Asset(asset));
        let plain = plain_is_allowed(
            &workload.groups,
            workload.subject,
            &workload.subject_groups,
            asset,
        );
        if is_allowed != expected || plain != expected {
            eprintln!("{name}: is_allowed {is_allowed}, plain loop {plain}, expected {expected}");
            return;
        }
        let (t, calls) = per_call(|| {
            policy.is_allowed(
                black_box(&subject),
                Action::ASSET_VIEW,
                Resource::Asset(black_box(asset)),
            )
        });
        println!("is_allowed {name}: {t:.2?} per call (median of 5 loops of {calls})");
        let (t, calls) = per_call(|| {
            policy
                .check(
                    black_box(&subject),
                    Action::ASSET_VIEW,
                    Resource::Asset(black_box(asset)),
                )
                .is_allowed()
        });
        println!("check {name}: {t:.2?} per call (median of 5 loops of {calls})");
        let (t, calls) = per_call(|| {
            let groups = policy
                .user(black_box(workload.subject))
                .map(|u| u.groups())
                .unwrap_or_default();
            plain_is_allowed(
                policy.access_groups(),
                workload.subject,
                groups,
                black_box(asset),
            )
        });
        println!("plain loop {name}: {t:.2?} per call (median of 5 loops of {calls})");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("big", String::as_str);
    let rest = args.get(1..).unwrap_or(&[]);
    match mode {
        "calibrate" => {
            let rules = rest.first().and_then(|r| r.parse().ok()).unwrap_or(10usize);
            let mut kinds: Vec<Kind> = rest.iter().filter_map(|k| Kind::from_name(k)).collect();
            if kinds.is_empty() {
                kinds = Kind::ALL.to_vec();
            }
            calibrate(rules, &kinds);
        }
        "big" => {
            let kind = rest
                .iter()
                .find_map(|k| Kind::from_name(k))
                .unwrap_or(Kind::Dense);
            let (n, rules) = rest
                .iter()
                .filter_map(|a| a.split_once('x'))
                .find_map(|(g, r)| Some((g.parse().ok()?, r.parse().ok()?)))
                .unwrap_or((5_000, 1_000));
            big(kind, n, rules);
        }
        other => eprintln!("unknown mode `{other}`: expected `calibrate` or `big`"),
    }
}
