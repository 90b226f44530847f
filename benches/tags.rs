//! Layer 3 through v3 dynamic tags (issue 13): `asset.view` decided by `is_allowed` and by
//! `check` for the allowed and the denied asset of each layout of
//! `benches/support/tag_workloads.rs` (`dense_or`, `dense_and`, and the hostile `shared8`,
//! `negation`, `tag_category`) at 100, 1,000 and 5,000 tags of 10 conditions, through
//! `Subject::user(<uuid of user 0>)`, a directory user; beside it the access-group check
//! of the same size (the groups built from the same values, with the same subjects) and
//! the plain loop over the subject's granted tags (`TagFilter::matches` on each, in
//! position order, the list worked out beforehand), and one evaluation of the deciding
//! tag's filter on the allowed asset (`deciding_filter`: what verifying it costs). Plus
//! `tags/build`: `Policy` builds at 5,000 positions, tags and groups; and `tags/granted_all`:
//! a subject granted every one of `n` negation-only tags (see [`granted_all`]).
//!
//! Ids: `tags/{layout}/{tags_is_allowed|tags_check|groups_is_allowed|groups_check|plain}/{allow|deny}/{n}`,
//! `tags/{layout}/deciding_filter/allow/{n}`
//! `tags/build/{tags|groups}/{layout}/{n}` and `tags/granted_all/{tags_is_allowed|plain}/{allow|deny}/{n}`.
//!
//! Run: `cargo bench --bench tags -- --warm-up-time 1 --measurement-time 3`. To build fewer,
//! set `TAGS_LAYOUTS` (names, comma-separated, `build` for the builds, `granted_all`) and `TAGS_SIZES`
//! (e.g. `100,5000`; the builds take the largest). A case whose single call takes over
//! 200 µs is measured with 10 samples instead of 100.
//!
//! Before timing anything, each workload is checked: the tag policy must allow the allowed
//! asset and deny the denied one, agree with the plain loop on 16 typical assets, and
//! `check` must name tag `L` and the condition that decided; the group policy must decide
//! as the plain loop over the groups (and, where the layout's groups agree with its tags,
//! allow through `g{L}` and deny).
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

#[path = "support/workloads.rs"]
mod workloads;

#[path = "support/tag_workloads.rs"]
mod tag_workloads;

use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use scangate::{
    Action, Asset, Policy, Resource, Subject,
    policy::{GrantedObject, ObjectGrant, TagCarried},
    tags::AccessControl,
};

use tag_workloads::{Layout, TagWorkload, build, plain_first};

const SIZES: [usize; 3] = [100, 1_000, 5_000];

/// The comma-separated values of environment variable `name`, if set.
fn env_list(name: &str) -> Option<Vec<String>> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
}

fn wanted(name: &str) -> bool {
    env_list("TAGS_LAYOUTS").is_none_or(|list| list.iter().any(|w| w == name))
}

fn sizes() -> Vec<usize> {
    match env_list("TAGS_SIZES") {
        Some(list) => list.iter().filter_map(|s| s.parse().ok()).collect(),
        None => SIZES.to_vec(),
    }
}

fn view(policy: &Policy, subject: &Subject<'_>, asset: &Asset) -> bool {
    policy.is_allowed(subject, Action::ASSET_VIEW, Resource::Asset(asset))
}

/// What `check` names for `asset`: the tag's position, and the condition (position, value)
/// that decided.
fn explained(
    policy: &Policy,
    subject: &Subject<'_>,
    control: &AccessControl,
    asset: &Asset,
) -> Option<(usize, usize, Option<usize>)> {
    let decision = policy.check(subject, Action::ASSET_VIEW, Resource::Asset(asset));
    match decision.object() {
        Some(ObjectGrant::Permission(grant)) => match &grant.object {
            GrantedObject::Tag {
                uuid,
                carried:
                    TagCarried::Filter {
                        position, value, ..
                    },
                ..
            } => Some((control.tag_position(uuid)?, *position, *value)),
            _ => None,
        },
        _ => None,
    }
}

/// The same from the plain loop: the first granted tag whose filter selects `asset`, and
/// [`TagFilter::first_match`](scangate::tags::TagFilter::first_match).
fn expected(
    control: &AccessControl,
    granted: &[usize],
    asset: &Asset,
) -> Option<(usize, usize, Option<usize>)> {
    let p = plain_first(control, granted, asset)?;
    let m = control
        .tags()
        .get(p)?
        .filter()?
        .first_match(asset, |u| control.tag_name(u))?;
    Some((p, m.condition, m.value))
}

/// Checks both policies against the plain loops on this workload (see the module docs).
fn check_workload(w: &TagWorkload, tags: &Policy, groups: &Policy, control: &AccessControl) {
    let subject = Subject::user(&w.subject);
    let name = format!("{}/{}", w.layout.name(), w.granting_position);
    assert!(
        view(tags, &subject, &w.allowed),
        "{name}: allowed asset denied"
    );
    assert!(
        !view(tags, &subject, &w.denied),
        "{name}: denied asset allowed"
    );
    assert_eq!(
        explained(tags, &subject, control, &w.allowed),
        expected(control, &w.facts.granted, &w.allowed),
        "{name}: check explains the allowed asset otherwise than the plain loop"
    );
    assert!(
        expected(control, &w.facts.granted, &w.allowed)
            .is_some_and(|(p, _, _)| p == w.granting_position)
    );
    assert!(
        !tags
            .check(&subject, Action::ASSET_VIEW, Resource::Asset(&w.denied))
            .is_allowed()
    );
    let samples = w.typical_assets(16, 99).unwrap_or_default();
    assert_eq!(samples.len(), 16);
    for asset in &samples {
        assert_eq!(
            view(tags, &subject, asset),
            plain_first(control, &w.facts.granted, asset).is_some(),
            "{name}: is_allowed and the plain loop disagree on a typical asset"
        );
        assert_eq!(
            explained(tags, &subject, control, asset),
            expected(control, &w.facts.granted, asset),
            "{name}: check and the plain loop disagree on a typical asset"
        );
    }
    let (allow, deny) = w.facts.groups_allow;
    assert_eq!(view(groups, &subject, &w.allowed), allow);
    assert_eq!(view(groups, &subject, &w.denied), deny);
    if w.layout.groups_agree() {
        let decision = groups.check(&subject, Action::ASSET_VIEW, Resource::Asset(&w.allowed));
        let group = match decision.object() {
            Some(ObjectGrant::Asset { group, .. }) => group.id().map(str::to_owned),
            _ => None,
        };
        assert_eq!(group, Some(format!("g{}", w.granting_position)));
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
    for layout in Layout::ALL {
        if !wanted(layout.name()) {
            continue;
        }
        let mut group = c.benchmark_group(format!("tags/{}", layout.name()));
        for n in sizes() {
            let built = build(layout, n);
            assert!(built.is_ok(), "{}/{n}: {:?}", layout.name(), built.err());
            let Ok(w) = built else { continue };
            let policies = (w.tag_policy(), w.group_policy(), w.control());
            assert!(
                policies.0.is_ok() && policies.1.is_ok() && policies.2.is_ok(),
                "{}/{n}: {:?}",
                layout.name(),
                (policies.0.err(), policies.1.err(), policies.2.err())
            );
            let (Ok(tags), Ok(groups), Ok(control)) = policies else {
                continue;
            };
            check_workload(&w, &tags, &groups, &control);
            eprintln!(
                "tags/{}/{n}: {} permissions; subject granted {} tags; allowed asset carries {} \
                 tags, in {} groups (groups allow: {}); denied asset carries {} tags, in {} \
                 groups (groups allow: {})",
                layout.name(),
                w.facts.permissions,
                w.facts.granted.len(),
                w.facts.allowed_carried,
                w.facts.allowed_in,
                w.facts.groups_allow.0,
                w.facts.denied_carried,
                w.facts.denied_in,
                w.facts.groups_allow.1,
            );
            let subject = Subject::user(&w.subject);
            for (case, asset) in [("allow", &w.allowed), ("deny", &w.denied)] {
                for (side, policy) in [("tags", &tags), ("groups", &groups)] {
                    let is_allowed = || {
                        policy.is_allowed(
                            black_box(&subject),
                            Action::ASSET_VIEW,
                            Resource::Asset(black_box(asset)),
                        )
                    };
                    group.sample_size(samples_for(one_call(is_allowed)));
                    group.bench_function(
                        BenchmarkId::new(format!("{side}_is_allowed/{case}"), n),
                        |b| b.iter(is_allowed),
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
                    group
                        .bench_function(BenchmarkId::new(format!("{side}_check/{case}"), n), |b| {
                            b.iter(check)
                        });
                }
                if case == "allow" {
                    // One evaluation of the deciding tag's filter: what verifying it costs.
                    let deciding = control
                        .tags()
                        .get(w.granting_position)
                        .and_then(|t| t.filter());
                    assert!(deciding.is_some_and(|f| f.matches(asset, |u| control.tag_name(u))));
                    if let Some(f) = deciding {
                        group.sample_size(100);
                        group.bench_function(BenchmarkId::new("deciding_filter/allow", n), |b| {
                            b.iter(|| f.matches(black_box(asset), |u| control.tag_name(u)))
                        });
                    }
                }
                let looped = || {
                    plain_first(&control, black_box(&w.facts.granted), black_box(asset)).is_some()
                };
                group.sample_size(samples_for(one_call(looped)));
                group.bench_function(BenchmarkId::new(format!("plain/{case}"), n), |b| {
                    b.iter(looped)
                });
            }
        }
        group.finish();
    }
}

/// `Policy` builds at the largest size: the tags and permissions (filters already parsed:
/// `AccessControl` built outside the timing) with the directory, and the groups with it.
fn builds(c: &mut Criterion) {
    if !wanted("build") {
        return;
    }
    let Some(n) = sizes().into_iter().max() else {
        return;
    };
    let mut group = c.benchmark_group("tags/build");
    group.sample_size(10);
    for layout in Layout::ALL {
        let built = build(layout, n);
        assert!(built.is_ok(), "{}/{n}: {:?}", layout.name(), built.err());
        let Ok(w) = built else { continue };
        let control = w.control();
        assert!(
            control.is_ok(),
            "{}/{n}: {:?}",
            layout.name(),
            control.err()
        );
        let Ok(control) = control else { continue };
        group.bench_function(
            BenchmarkId::new(format!("tags/{}", layout.name()), n),
            |b| {
                b.iter_batched(
                    || (control.clone(), w.users.clone()),
                    |(control, users)| {
                        Policy::builder()
                            .access_control(control)
                            .users(users)
                            .build()
                            .is_ok()
                    },
                    BatchSize::LargeInput,
                )
            },
        );
        group.bench_function(
            BenchmarkId::new(format!("groups/{}", layout.name()), n),
            |b| {
                b.iter_batched(
                    || (w.groups.clone(), w.users.clone()),
                    |(groups, users)| {
                        Policy::builder()
                            .access_groups(groups)
                            .users(users)
                            .build()
                            .is_ok()
                    },
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
}

/// A subject granted every tag, all negation-only (`and` of `fqdn nmatch` a zone,
/// `operating_system neq` a system, `fqdn neq` a host; 50 zones, 7 systems): the worst
/// case for unanchored filters, whose exclusions then run over sets of thousands of
/// candidates. `deny`: an asset without a system (every filter fails closed); `allow`: an
/// asset the first two filters exclude (the first survivor is at position 2). Beside it
/// the plain loop over the granted tags in order.
fn granted_all(c: &mut Criterion) {
    use scangate::tags::{
        FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
        PermissionSubject, TagFilter, TagValue,
    };
    use scangate::{RoleId, User};
    if !wanted("granted_all") {
        return;
    }
    let uuid = |i: usize| -> Option<scangate::access::Uuid> {
        format!("00000000-0000-4000-8000-{i:012x}").parse().ok()
    };
    let condition =
        |f: &str, o: &str, v: &str| FilterCondition::parse(f, o, v).map(FilterExpr::Condition);
    let mut group = c.benchmark_group("tags/granted_all");
    for n in sizes() {
        let built = (|| -> Result<(Policy, AccessControl), Box<dyn std::error::Error>> {
            let mut tags = Vec::with_capacity(n);
            let mut permission = Permission::new(uuid(1 << 40).ok_or("uuid")?, "every tag")
                .with_actions([PermissionAction::CanView])
                .with_subject(PermissionSubject::all_users());
            for i in 0..n {
                let filter = TagFilter::new(FilterExpr::And(vec![
                    condition("fqdn", "nmatch", &format!("*.z{}.example", i % 50))?,
                    condition("operating_system", "neq", &format!("sys{}", i % 7))?,
                    condition(
                        "fqdn",
                        "neq",
                        &format!("h{}.z{}.example", i % 3, (i + 1) % 50),
                    )?,
                ]))?;
                let id = uuid(i).ok_or("uuid")?;
                tags.push(TagValue::dynamic(id, "Dyn", &i.to_string(), filter)?);
                permission = permission.with_object(PermissionObject::tag(id));
            }
            let control = AccessControl::new(tags, vec![permission])?;
            let policy = Policy::builder()
                .access_control(control.clone())
                .user(User::new("u", RoleId::SECURITY_ANALYST))
                .build()?;
            Ok((policy, control))
        })();
        assert!(built.is_ok(), "granted_all/{n}: {:?}", built.err());
        let Ok((policy, control)) = built else {
            continue;
        };
        let denied = Asset::new().with("fqdn", "h0.z1.example");
        let allowed = Asset::new()
            .with("fqdn", "h0.z1.example")
            .and_then(|a| a.with("operating_system", "sys3"));
        let (Ok(denied), Ok(allowed)) = (denied, allowed) else {
            continue;
        };
        let subject = Subject::user("u");
        let granted: Vec<usize> = (0..n).collect();
        for (case, asset) in [("allow", &allowed), ("deny", &denied)] {
            let first = plain_first(&control, &granted, asset);
            assert_eq!(
                view(&policy, &subject, asset),
                first.is_some(),
                "granted_all/{case}/{n}"
            );
            assert_eq!(first.is_some(), case == "allow");
            let is_allowed = || view(&policy, black_box(&subject), black_box(asset));
            group.sample_size(samples_for(one_call(is_allowed)));
            group.bench_function(
                BenchmarkId::new(format!("tags_is_allowed/{case}"), n),
                |b| b.iter(is_allowed),
            );
            let looped = || plain_first(&control, black_box(&granted), black_box(asset)).is_some();
            group.sample_size(samples_for(one_call(looped)));
            group.bench_function(BenchmarkId::new(format!("plain/{case}"), n), |b| {
                b.iter(looped)
            });
        }
    }
    group.finish();
}

criterion_group!(benches, workloads, builds, granted_all);
criterion_main!(benches);
