//! The engine's hot paths: scope- and role-only decisions (size-independent); `asset.view`
//! (hit and miss, `is_allowed` and `check`) and the asset filter at 10, 100, 1,000 and
//! 5,000 access groups of 10 and of 1,000 rules; `check` of `access_group.edit` at 10 and
//! 5,000 groups; and the policy build.
//!
//! Run: `cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3`. Figures are
//! recorded in docs/performance.md.
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

#[path = "support/index_data.rs"]
mod index_data;

use criterion::{
    BatchSize, BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main,
};
use index_data::{USER, USER_GROUPS, asset_in, asset_miss, last_granted};
use scangate::{Action, Policy, Resource, RoleId, ScopeSet, Subject, Target, User};

fn scope_and_role_only(c: &mut Criterion) {
    let policy = layer3_policy(10, 10);
    let key: ScopeSet = "scans:read".parse().unwrap_or_default();
    let org_key = Subject::api_key(key);
    let ann = Subject::user("ann");
    c.bench_function("is_allowed/scope-only (org key, scan.read)", |b| {
        b.iter(|| policy.is_allowed(black_box(&org_key), Action::SCAN_READ, Resource::None))
    });
    c.bench_function("check/scope-only (org key, scan.read)", |b| {
        b.iter(|| {
            policy
                .check(black_box(&org_key), Action::SCAN_READ, Resource::None)
                .is_allowed()
        })
    });
    c.bench_function("is_allowed/role-only (user, org_log.view)", |b| {
        b.iter(|| policy.is_allowed(black_box(&ann), Action::ORG_LOG_VIEW, Resource::None))
    });
    let with_role = Subject::user("ann").with_role(RoleId::AUDITOR);
    c.bench_function(
        "is_allowed/role-only (user, role given, org_log.view)",
        |b| {
            b.iter(|| {
                policy.is_allowed(black_box(&with_role), Action::ORG_LOG_VIEW, Resource::None)
            })
        },
    );
    let no_groups: Vec<String> = Vec::new();
    let inline = Subject::user("ann")
        .with_role(RoleId::AUDITOR)
        .with_groups(&no_groups);
    c.bench_function("is_allowed/role-only (inline role, org_log.view)", |b| {
        b.iter(|| policy.is_allowed(black_box(&inline), Action::ORG_LOG_VIEW, Resource::None))
    });
    c.bench_function("check/role-only deny (user, ticket.create)", |b| {
        b.iter(|| {
            policy
                .check(black_box(&ann), Action::TICKET_CREATE, Resource::None)
                .is_allowed()
        })
    });
}

/// The engine over the layer-3 workload of `benches/support/index_data.rs`: `groups`
/// groups of `rules` rules, a directory of 500 users, the subject `user7` (in `team3` and
/// `team42`) and its hit and miss assets; and `ann`, an Auditor, for the role-only checks.
fn layer3_policy(groups: usize, rules: usize) -> Policy {
    let users = (0..500).map(|k| {
        let user = User::new(format!("user{k}"), RoleId::SECURITY_ANALYST);
        if k == 7 {
            user.with_groups(USER_GROUPS)
        } else {
            user.with_groups([format!("team{}", k % 100)])
        }
    });
    Policy::builder()
        .access_groups(index_data::groups(groups, rules))
        .users(users)
        .user(User::new("ann", RoleId::AUDITOR))
        .build()
        .unwrap_or_default()
}

const SIZES: [(usize, usize); 8] = [
    (10, 10),
    (100, 10),
    (1_000, 10),
    (5_000, 10),
    (10, 1_000),
    (100, 1_000),
    (1_000, 1_000),
    (5_000, 1_000),
];

fn asset_view(c: &mut Criterion) {
    let mut group = c.benchmark_group("asset.view");
    let subject = Subject::user(USER);
    for (groups, rules) in SIZES {
        let policy = layer3_policy(groups, rules);
        let hit = asset_in(last_granted(groups));
        let miss = asset_miss();
        let id = format!("{groups}x{rules}");
        // Measure what the names say: the hit is allowed, the miss denied.
        assert!(policy.is_allowed(&subject, Action::ASSET_VIEW, Resource::Asset(&hit)));
        assert!(!policy.is_allowed(&subject, Action::ASSET_VIEW, Resource::Asset(&miss)));
        for (name, asset) in [("hit", &hit), ("miss", &miss)] {
            group.bench_with_input(
                BenchmarkId::new(format!("is_allowed {name}"), &id),
                asset,
                |b, asset| {
                    b.iter(|| {
                        policy.is_allowed(
                            black_box(&subject),
                            Action::ASSET_VIEW,
                            Resource::Asset(asset),
                        )
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("check {name}"), &id),
                asset,
                |b, asset| {
                    b.iter(|| {
                        policy
                            .check(
                                black_box(&subject),
                                Action::ASSET_VIEW,
                                Resource::Asset(asset),
                            )
                            .is_allowed()
                    })
                },
            );
        }
        // `scan.run` over three targets the subject may scan (CAN_SCAN from its own user
        // principal, in the last group naming it), as a host checks a scan's target list.
        let own = (0..groups).rev().find(|i| i % 500 == 7).unwrap_or(0);
        let targets: Vec<Target> = [
            format!("host4.g{own}.corp.example"),
            format!("host5.g{own}.corp.example"),
            format!("host6.g{own}.corp.example"),
        ]
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
        assert_eq!(targets.len(), 3);
        assert!(policy.is_allowed(&subject, Action::SCAN_RUN, Resource::Targets(&targets)));
        group.bench_with_input(
            BenchmarkId::new("scan.run 3 targets", &id),
            &targets,
            |b, targets| {
                b.iter(|| {
                    policy.is_allowed(
                        black_box(&subject),
                        Action::SCAN_RUN,
                        Resource::Targets(targets),
                    )
                })
            },
        );
        // `Policy::asset_filter` over a list page of 1,000 rows, 20 % of them in some group.
        let rows = index_data::assets(groups, 1_000, 20);
        let filter = policy.asset_filter(&subject, Action::ASSET_VIEW);
        group.throughput(Throughput::Elements(rows.len() as u64));
        group.bench_with_input(BenchmarkId::new("filter", &id), &rows, |b, rows| {
            b.iter(|| rows.iter().filter(|row| filter.allows(row)).count())
        });
        group.throughput(Throughput::Elements(1));
    }
    group.finish();
}

/// `PolicyBuilder::build` (validation, the compiled index, each directory user's granting
/// sets). The 5,000 × 1,000 build is timed by `examples/index_memory.rs` instead.
fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy/build");
    group.sample_size(10);
    for (groups, rules) in SIZES.into_iter().filter(|&(g, r)| g * r < 5_000_000) {
        let data = index_data::groups(groups, rules);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{groups}x{rules}")),
            &data,
            |b, data| {
                // The groups are cloned outside the timing: the build takes them by value.
                b.iter_batched(
                    || data.clone(),
                    |data| {
                        Policy::builder()
                            .access_groups(data)
                            .user(
                                User::new(USER, RoleId::SECURITY_ANALYST).with_groups(USER_GROUPS),
                            )
                            .build()
                    },
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
}

/// `check` of `access_group.edit` (the Administrator renaming a group) at 10 and 5,000
/// groups: the rules are checked against the collection as it is, nothing is built
/// (docs/semantics.md, "Checking a change"), so the cost is the draft's validation and one
/// pass over the names.
fn access_group_edit(c: &mut Criterion) {
    let mut group = c.benchmark_group("access_group.edit");
    let root = Subject::user("root");
    for groups in [10, 5_000] {
        let policy = Policy::builder()
            .access_groups(index_data::groups(groups, 10))
            .user(User::new("root", RoleId::ADMINISTRATOR))
            .build()
            .unwrap_or_default();
        let Some(draft) = policy.access_groups().at(groups / 2).cloned() else {
            continue;
        };
        let draft = draft.with_name("renamed group");
        let resource = Resource::AccessGroupDraft(&draft);
        assert!(policy.is_allowed(&root, Action::ACCESS_GROUP_EDIT, resource));
        group.bench_function(BenchmarkId::new("check", groups), |b| {
            b.iter(|| {
                policy
                    .check(black_box(&root), Action::ACCESS_GROUP_EDIT, resource)
                    .is_allowed()
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    scope_and_role_only,
    asset_view,
    access_group_edit,
    build
);
criterion_main!(benches);
