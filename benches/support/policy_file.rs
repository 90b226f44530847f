//! The policy-loader benchmark workload, shared by `benches/loader.rs` and
//! `examples/load_policy.rs`: the access groups of `index_data::groups(groups, rules)`,
//! twenty custom roles (each with a creator and organization counts, as a server returns
//! them) and `users` users, written out with `Policy::to_json`.
//!
//! Needs `mod index_data;` beside it in the including crate.
#![allow(dead_code)] // each user takes the parts it needs

use scangate::{
    Permissions, Policy, PolicyError, Role, RoleId, User,
    role::{OrganizationCount, RoleCreator, ScanLevel},
};

use crate::index_data;

/// The number of custom roles in the workload.
pub const ROLES: u32 = 20;

/// The workload as a policy.
///
/// # Errors
///
/// If it does not build (it does for every size that `index_data::groups` makes).
pub fn policy(groups: usize, rules: usize, users: usize) -> Result<Policy, PolicyError> {
    let roles = (0..ROLES).map(|k| {
        let permissions = if k % 2 == 0 {
            Permissions::CREATE_TICKETS | Permissions::SHARE_OBJECTS
        } else {
            Permissions::CREATE_TICKETS | ScanLevel::Policy.permissions()
        };
        Role::new(
            RoleId::new(1_000_000 + u64::from(k)),
            format!("custom role {k}"),
        )
        .with_description(format!("generated role {k}"))
        .with_permissions(permissions)
        .with_times(1_445_013_119, 1_445_013_119 + u64::from(k))
        .with_creator(RoleCreator {
            id: "1".to_owned(),
            username: "admin".to_owned(),
            firstname: "Ada".to_owned(),
            lastname: "Admin".to_owned(),
            uuid: None,
        })
        .with_organization_counts(vec![OrganizationCount {
            id: 1,
            user_count: u64::from(k),
        }])
    });
    let mut builder = Policy::builder().access_groups(index_data::groups(groups, rules));
    for role in roles {
        builder = builder.role(role);
    }
    builder
        .users((0..users).map(|k| {
            let role = if k % 3 == 0 {
                RoleId::SECURITY_ANALYST
            } else {
                RoleId::new(1_000_000 + (k as u64) % u64::from(ROLES))
            };
            User::new(format!("user{k}"), role).with_groups([
                format!("team{}", k % 100),
                format!("team{}", (k + 42) % 100),
            ])
        }))
        .build()
}

/// The workload as a policy file.
///
/// # Errors
///
/// As [`policy`].
pub fn file(groups: usize, rules: usize, users: usize) -> Result<String, PolicyError> {
    policy(groups, rules, users).map(|policy| policy.to_json())
}
