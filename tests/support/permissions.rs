//! Layers 1–2: scopes, scope sets, scan levels, role permissions and roles.

use proptest::prelude::*;
use scangate::{
    Permissions, Role, RoleId, Scope, ScopeSet,
    role::{OrganizationCount, RoleCreator, ScanLevel},
};

/// Any scope.
pub fn scope() -> impl Strategy<Value = Scope> {
    (0..Scope::ALL.len()).prop_map(|i| Scope::ALL[i])
}

/// Sets of up to twelve scopes drawn with repetition (often empty or small, sometimes
/// holding a scope and the scopes it implies).
pub fn scope_set() -> impl Strategy<Value = ScopeSet> {
    proptest::collection::vec(scope(), 0..12).prop_map(|scopes| scopes.into_iter().collect())
}

/// Any scan level.
pub fn scan_level() -> impl Strategy<Value = ScanLevel> {
    prop_oneof![
        Just(ScanLevel::None),
        Just(ScanLevel::Policy),
        Just(ScanLevel::Full)
    ]
}

/// Any valid permission set: any of the 29 flags plus a scan level.
pub fn permissions() -> impl Strategy<Value = Permissions> {
    let flags: Vec<Permissions> = Permissions::all()
        .iter()
        .filter(|f| !f.intersects(Permissions::SCAN_FULL))
        .collect();
    assert_eq!(flags.len(), 29);
    (proptest::collection::vec(any::<bool>(), 29), scan_level()).prop_map(move |(bits, level)| {
        flags
            .iter()
            .zip(bits)
            .filter(|(_, on)| *on)
            .fold(level.permissions(), |acc, (flag, _)| acc | *flag)
    })
}

/// Any bits but `permManageApp` (which no custom role may hold), the stray full-scan bit
/// included: roles built in code can hold any bits.
pub fn custom_permissions() -> impl Strategy<Value = Permissions> {
    any::<u64>().prop_map(|bits| Permissions::from_bits_truncate(bits) - Permissions::MANAGE_APP)
}

/// Tenable's `creator` of a role, or none.
pub fn creator() -> impl Strategy<Value = Option<RoleCreator>> {
    proptest::option::of(
        (
            "[0-9]{1,6}",
            ".{0,12}",
            ".{0,12}",
            ".{0,12}",
            proptest::option::of("[0-9A-F-]{36}"),
        )
            .prop_map(|(id, username, firstname, lastname, uuid)| RoleCreator {
                id,
                username,
                firstname,
                lastname,
                uuid,
            }),
    )
}

/// A role with every field random: any id, any text, valid permissions, and sometimes a
/// creator, times and organization counts.
pub fn role() -> impl Strategy<Value = Role> {
    (
        any::<u64>(),
        ".{0,40}",
        ".{0,80}",
        permissions(),
        creator(),
        proptest::option::of((any::<u64>(), any::<u64>())),
        proptest::option::of(proptest::collection::vec(
            (any::<u64>(), any::<u64>()),
            0..3,
        )),
    )
        .prop_map(
            |(id, name, description, permissions, creator, times, counts)| {
                let mut role = Role::new(RoleId::new(id), name)
                    .with_description(description)
                    .with_permissions(permissions);
                if let Some(creator) = creator {
                    role = role.with_creator(creator);
                }
                if let Some((created, modified)) = times {
                    role = role.with_times(created, modified);
                }
                if let Some(counts) = counts {
                    role = role.with_organization_counts(
                        counts
                            .into_iter()
                            .map(|(id, user_count)| OrganizationCount { id, user_count })
                            .collect(),
                    );
                }
                role
            },
        )
}
