//! Layer 3 when access groups overlap (issue 10): `asset.view` decided by `is_allowed` and
//! by `check`, for the allowed and the denied asset of each workload of
//! `benches/support/workloads.rs` (dense, shared /8, nested prefixes, overlapping ranges,
//! short-piece wildcards, names at the length limit) at 10, 100, 1,000 and 5,000 groups of
//! 10 rules, through `Subject::user("u0000")`, a directory user; beside it the plain loop
//! anyone would write (`workloads::plain_is_allowed`, with the subject's groups looked up
//! in the policy's directory) on the same data. Plus `layer3/directory`: a role-only
//! `is_allowed` (`org_log.view`) through `Subject::user(id)` in directories of 10 and of
//! 10,000 users.
//!
//! Beside `plain`, `plain_granted` is the plain loop given the subject's granting set
//! worked out beforehand (one bit test per group, the reference matcher on the granting
//! ones): the strongest plain loop, the baseline of the targets; and
//! `is_allowed_handle` asks through the directory handle (`Policy::user(..).subject()`),
//! which skips hashing the user id.
//!
//! Ids: `layer3/{workload}/{is_allowed|is_allowed_handle|check|plain|plain_granted}/{allow|deny}/{groups}`,
//! `layer3/directory/is_allowed/org_log.view/{users}` and `layer3/directory/user/{users}`
//! (`Policy::user`, the lookup itself).
//!
//! Run: `cargo bench --bench layer3 -- --warm-up-time 1 --measurement-time 2`. Each policy is
//! built once, outside the timing (builds and memory: `docs/performance.md`). To build fewer, set `LAYER3_WORKLOADS` (names,
//! comma-separated: `dense,shared8,nested,ranges,short_pieces,long_names,directory`) and
//! `LAYER3_SIZES` (e.g. `10,100`). A case whose single call takes over 200 µs is measured
//! with 10 samples instead of 100. The 5,000 × 1,000 case is
//! `cargo run --release --example layer3_scale -- big`.
//!
//! Before timing anything, each workload is checked against the engine: `is_allowed` and
//! the plain loop must allow the allowed asset and deny the denied one, agree on 16
//! typical assets, and `check` must name the same group and membership as the plain loop.
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

#[path = "support/workloads.rs"]
mod workloads;

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use scangate::{Action, Asset, Policy, Resource, Subject, policy::ObjectGrant};

use workloads::{Kind, Workload, build, directory, plain_check, plain_is_allowed};

const SIZES: [usize; 4] = [10, 100, 1_000, 5_000];
const RULES: usize = 10;

/// The comma-separated values of environment variable `name`, if set.
fn env_list(name: &str) -> Option<Vec<String>> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
}

fn wanted(name: &str) -> bool {
    env_list("LAYER3_WORKLOADS").is_none_or(|list| list.iter().any(|w| w == name))
}

fn sizes() -> Vec<usize> {
    match env_list("LAYER3_SIZES") {
        Some(list) => list.iter().filter_map(|s| s.parse().ok()).collect(),
        None => SIZES.to_vec(),
    }
}

/// The plain loop as a host would run it: the subject's groups from the directory, then
/// the loop over the policy's groups.
fn plain(policy: &Policy, user: &str, asset: &Asset) -> bool {
    let groups = policy.user(user).map(|u| u.groups()).unwrap_or_default();
    plain_is_allowed(policy.access_groups(), user, groups, asset)
}

/// The plain loop with the subject's granting set worked out beforehand (as a host that
/// caches it per user would): one bit test per group, the reference matcher on the
/// granting ones. The strongest plain loop; what the index must beat tenfold.
fn plain_granted(groups: &scangate::access::AccessGroups, granted: &[bool], asset: &Asset) -> bool {
    groups.iter().zip(granted).any(|(group, granted)| {
        *granted
            && scangate::access::ReferenceMatcher
                .contains_asset(group, asset)
                .is_some()
    })
}

/// Checks the engine against the plain loop on this workload (see the module docs).
fn check_workload(w: &Workload, policy: &Policy) {
    let subject = Subject::user(w.subject);
    let name = w.kind.name();
    let n = w.groups.len();
    let view =
        |asset: &Asset| policy.is_allowed(&subject, Action::ASSET_VIEW, Resource::Asset(asset));
    assert!(view(&w.allowed), "{name}/{n}: the allowed asset is denied");
    assert!(plain(policy, w.subject, &w.allowed));
    assert!(!view(&w.denied), "{name}/{n}: the denied asset is allowed");
    assert!(!plain(policy, w.subject, &w.denied));
    assert!(
        !policy
            .check(&subject, Action::ASSET_VIEW, Resource::Asset(&w.denied))
            .is_allowed()
    );
    let expected = plain_check(&w.groups, w.subject, &w.subject_groups, &w.allowed);
    let decision = policy.check(&subject, Action::ASSET_VIEW, Resource::Asset(&w.allowed));
    let explained = match decision.object() {
        Some(ObjectGrant::Asset {
            group, membership, ..
        }) => Some((group.id().map(str::to_owned), *membership)),
        _ => None,
    };
    let expected =
        expected.map(|(position, membership)| (Some(format!("g{position}")), membership));
    assert_eq!(
        explained, expected,
        "{name}/{n}: check explains another group"
    );
    assert_eq!(
        expected.as_ref().and_then(|(id, _)| id.clone()),
        Some(format!("g{}", w.facts.granting_position))
    );
    let samples = w.typical_assets(16, 99).unwrap_or_default();
    assert_eq!(samples.len(), 16);
    for asset in &samples {
        assert_eq!(
            view(asset),
            plain(policy, w.subject, asset),
            "{name}/{n}: is_allowed and the plain loop disagree on a typical asset"
        );
    }
}

/// The median of three single calls: to choose the sample size.
fn one_call(mut f: impl FnMut() -> bool) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times.get(1).copied().unwrap_or_default()
}

fn samples_for(call: Duration) -> usize {
    if call > Duration::from_micros(200) {
        10
    } else {
        100
    }
}

fn workloads(c: &mut Criterion) {
    for kind in Kind::ALL {
        if !wanted(kind.name()) {
            continue;
        }
        let mut group = c.benchmark_group(format!("layer3/{}", kind.name()));
        for n in sizes() {
            let built = build(kind, n, RULES);
            assert!(built.is_ok(), "{}/{n}: {:?}", kind.name(), built.err());
            let Ok(w) = built else { continue };
            let policy = w.policy();
            assert!(policy.is_ok(), "{}/{n}: {:?}", kind.name(), policy.err());
            let Ok(policy) = policy else { continue };
            check_workload(&w, &policy);
            let subject = Subject::user(w.subject);
            let handle = policy.user(w.subject).map(|u| u.subject());
            assert!(handle.is_some());
            let Some(handle) = handle else { continue };
            let granted: Vec<bool> = w
                .groups
                .iter()
                .map(|g| {
                    g.group_type() != scangate::access::AccessGroupType::ScanTargets
                        && g.grant(
                            w.subject,
                            &w.subject_groups,
                            scangate::access::AccessPermissions::CAN_VIEW,
                        )
                        .is_some()
                })
                .collect();
            for (case, asset) in [("allow", &w.allowed), ("deny", &w.denied)] {
                let is_allowed = || {
                    policy.is_allowed(
                        black_box(&subject),
                        Action::ASSET_VIEW,
                        Resource::Asset(black_box(asset)),
                    )
                };
                group.sample_size(samples_for(one_call(is_allowed)));
                group.bench_function(BenchmarkId::new(format!("is_allowed/{case}"), n), |b| {
                    b.iter(is_allowed)
                });
                let by_handle = || {
                    policy.is_allowed(
                        black_box(&handle),
                        Action::ASSET_VIEW,
                        Resource::Asset(black_box(asset)),
                    )
                };
                group.bench_function(
                    BenchmarkId::new(format!("is_allowed_handle/{case}"), n),
                    |b| b.iter(by_handle),
                );
                let check = || {
                    policy
                        .check(
                            black_box(&subject),
                            Action::ASSET_VIEW,
                            Resource::Asset(black_box(asset)),
                        )
                        .is_allowed()
                };
                group.sample_size(samples_for(one_call(check)));
                group.bench_function(BenchmarkId::new(format!("check/{case}"), n), |b| {
                    b.iter(check)
                });
                let looped = || plain(&policy, black_box(w.subject), black_box(asset));
                group.sample_size(samples_for(one_call(looped)));
                group.bench_function(BenchmarkId::new(format!("plain/{case}"), n), |b| {
                    b.iter(looped)
                });
                assert_eq!(plain_granted(&w.groups, &granted, asset), case == "allow");
                let looped = || plain_granted(&w.groups, &granted, black_box(asset));
                group.sample_size(samples_for(one_call(looped)));
                group.bench_function(BenchmarkId::new(format!("plain_granted/{case}"), n), |b| {
                    b.iter(looped)
                });
            }
        }
        group.finish();
    }
}

/// A role-only decision through the directory: its cost should not grow with it.
fn directory_lookup(c: &mut Criterion) {
    if !wanted("directory") {
        return;
    }
    let groups = build(Kind::Dense, 1_000, RULES).map(|w| w.groups);
    assert!(groups.is_ok());
    let groups = groups.unwrap_or_default();
    let mut group = c.benchmark_group("layer3/directory");
    for users in [10, 10_000] {
        let policy = Policy::builder()
            .access_groups(groups.clone())
            .users(directory(users, 1))
            .build();
        assert!(policy.is_ok());
        let Ok(policy) = policy else { continue };
        let id = format!("u{:04}", users / 2);
        let subject = Subject::user(&id);
        assert!(policy.is_allowed(&subject, Action::ORG_LOG_VIEW, Resource::None));
        group.bench_function(BenchmarkId::new("is_allowed/org_log.view", users), |b| {
            b.iter(|| policy.is_allowed(black_box(&subject), Action::ORG_LOG_VIEW, Resource::None))
        });
        // Resolving the user once per request: the directory lookup alone.
        group.bench_function(BenchmarkId::new("user", users), |b| {
            b.iter(|| policy.user(black_box(&id)).is_some())
        });
    }
    group.finish();
}

criterion_group!(benches, workloads, directory_lookup);
criterion_main!(benches);
