//! The engine's hot paths: scope- and role-only decisions (size-independent), and asset
//! decisions over growing numbers of access groups.
//!
//! Run: `cargo bench --bench engine`. Figures are recorded in docs/performance.md.
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use scangate::{
    AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Action, Asset, Policy,
    Principal, Resource, RoleId, Rule, ScopeSet, Subject, User,
};

/// `groups` access groups of `rules` rules each (IPv4 CIDRs and ranges, FQDN `eq` and
/// wildcards), principals by user and by group; "alice" is named only by the last group.
fn policy(groups: usize, rules: usize) -> Policy {
    let mut built = Vec::with_capacity(groups);
    for g in 0..groups {
        let mut group = AccessGroup::new(&format!("group {g}"), AccessGroupType::ManageAssets)
            .with_id(&format!("g{g}"));
        for r in 0..rules {
            let (a, b) = ((g % 250) + 1, (r % 250) + 1);
            let rule = match r % 4 {
                0 => Rule::parse("ipv4", "eq", [format!("10.{a}.{b}.0/24")]),
                1 => Rule::parse("ipv4", "eq", [format!("172.16.{a}.1-172.16.{a}.{b}")]),
                2 => Rule::parse("fqdn", "eq", [format!("host{r}.g{g}.example.com")]),
                _ => Rule::parse("fqdn", "match", [format!("*.r{r}.g{g}.example.*")]),
            };
            if let Ok(rule) = rule {
                group = group.with_rule(rule);
            }
        }
        let principal = if g + 1 == groups {
            Principal::user("alice", AccessPermissions::all())
        } else if g % 2 == 0 {
            Principal::user(&format!("user{g}"), AccessPermissions::CAN_VIEW)
        } else {
            Principal::group(&format!("team{g}"), AccessPermissions::all())
        };
        built.push(group.with_principal(principal));
    }
    Policy::builder()
        .access_groups(AccessGroups::from_server(built))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .user(User::new("ann", RoleId::AUDITOR))
        .build()
        .unwrap_or_default()
}

fn scope_and_role_only(c: &mut Criterion) {
    let policy = policy(10, 10);
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

fn asset_view(c: &mut Criterion) {
    let mut group = c.benchmark_group("asset.view/10 rules");
    for groups in [10, 100, 1_000, 5_000] {
        let policy = policy(groups, 10);
        let g = groups - 1;
        let hit = Asset::new()
            .with("ipv4", &format!("10.{}.1.7", (g % 250) + 1))
            .unwrap_or_default();
        let alice = Subject::user("alice");
        group.bench_with_input(BenchmarkId::new("is_allowed", groups), &hit, |b, asset| {
            b.iter(|| {
                policy.is_allowed(
                    black_box(&alice),
                    Action::ASSET_VIEW,
                    Resource::Asset(asset),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("check", groups), &hit, |b, asset| {
            b.iter(|| {
                policy
                    .check(
                        black_box(&alice),
                        Action::ASSET_VIEW,
                        Resource::Asset(asset),
                    )
                    .is_allowed()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scope_and_role_only, asset_view);
criterion_main!(benches);
