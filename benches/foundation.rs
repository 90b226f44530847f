//! Layers 1 and 2 hot paths: scope and permission checks (size-independent), role lookup
//! and role JSON at several catalog sizes.
//!
//! Run: `cargo bench --bench foundation`. Figures are recorded in docs/performance.md.
#![allow(missing_docs)] // criterion's macros generate undocumented public functions

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use scangate::{Permissions, Role, RoleId, Scope, ScopeSet, role::RoleCatalog};

fn scope_checks(c: &mut Criterion) {
    let key: ScopeSet = "scans projects:read issues:read"
        .parse()
        .unwrap_or_default();
    let needed = ScopeSet::of(&[Scope::ScansRun, Scope::ProjectsRead]);
    let lacking = ScopeSet::of(&[Scope::OrgWrite]);
    c.bench_function("scope/grants_all(allow)", |b| {
        b.iter(|| black_box(key).grants_all(black_box(needed)))
    });
    c.bench_function("scope/grants_all(deny)", |b| {
        b.iter(|| black_box(key).grants_all(black_box(lacking)))
    });
    c.bench_function("scope/missing(deny)", |b| {
        b.iter(|| black_box(key).missing(black_box(lacking)))
    });
    c.bench_function("scope/parse(5 scopes)", |b| {
        b.iter(|| {
            black_box("bot scans:run scans:read scans:stop projects:read").parse::<ScopeSet>()
        })
    });
}

fn permission_checks(c: &mut Criterion) {
    let analyst = Role::builtin(RoleId::SECURITY_ANALYST)
        .map(|r| r.permissions())
        .unwrap_or_default();
    let needed = Permissions::SCAN | Permissions::CREATE_TICKETS;
    c.bench_function("permissions/grants_all", |b| {
        b.iter(|| black_box(analyst).grants_all(black_box(needed)))
    });
}

fn catalog(custom: u64) -> RoleCatalog {
    let roles = (0..custom).map(|i| {
        Role::new(RoleId::new(1_000_001 + i), format!("role {i}"))
            .with_permissions(Permissions::CREATE_TICKETS)
    });
    RoleCatalog::new(roles).unwrap_or_default()
}

fn role_lookup(c: &mut Criterion) {
    let mut group = c.benchmark_group("catalog/get");
    for size in [10_u64, 100, 1_000, 5_000] {
        let catalog = catalog(size);
        let probe = RoleId::new(1_000_001 + size / 2);
        group.bench_with_input(BenchmarkId::from_parameter(size), &catalog, |b, catalog| {
            b.iter(|| catalog.get(black_box(probe)).map(Role::permissions))
        });
    }
    group.finish();
}

fn role_json(c: &mut Criterion) {
    let role =
        Role::builtin(RoleId::SECURITY_MANAGER).unwrap_or_else(|| Role::new(RoleId::new(2), "x"));
    let text = serde_json::to_string(&role).unwrap_or_default();
    c.bench_function("role/from_json(Security Manager)", |b| {
        b.iter(|| Role::from_json(black_box(&text)))
    });
    c.bench_function("role/to_json(Security Manager)", |b| {
        b.iter(|| serde_json::to_string(black_box(&role)))
    });
}

criterion_group!(
    benches,
    scope_checks,
    permission_checks,
    role_lookup,
    role_json
);
criterion_main!(benches);
