//! Checking a role or access-group change does not perform it: `check` and `is_allowed` on
//! `role.*` and `access_group.*` with a draft, a patch or an id validate the change against
//! the catalogue or the collection as they are, and build no new state. What they allocate
//! is therefore bounded and does not grow with the number of roles or groups (the old
//! check cloned the draft and the whole catalogue or collection per call).
//!
//! Allocations are counted per thread by `allocation_counter`, so the other tests of this
//! binary, running on other threads, do not disturb the counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use allocation_counter::AllocationInfo;
use scangate::{
    AccessGroup, Action, Permissions, Policy, Resource, Role, RoleId, Subject, User,
    access::{AccessGroupType, AccessGroups, Rule},
    role::{RoleDraft, RolePatch},
};

const FEW: usize = 10;
const MANY: usize = 2_000;

/// The most bytes one check may allocate, whatever the size of the collection (the old code
/// allocated tens of kilobytes at `MANY`: a clone of the collection).
const BYTES_BOUND: u64 = 2_048;

fn group(i: usize) -> AccessGroup {
    AccessGroup::new(&format!("Group {i}"), AccessGroupType::ManageAssets)
        .with_id(&format!("g{i}"))
        .with_rule(Rule::parse("ipv4", "eq", [format!("10.{}.{}.0/24", i / 256, i % 256)]).unwrap())
}

fn group_policy(groups: usize) -> Policy {
    Policy::builder()
        .access_groups(AccessGroups::from_server((0..groups).map(group)))
        .user(User::new("root", RoleId::ADMINISTRATOR))
        .build()
        .unwrap()
}

fn custom_role(i: usize) -> Role {
    Role::new(RoleId::new(1_000_001 + i as u64), format!("Role {i}"))
        .with_description(format!("custom role number {i}"))
        .with_permissions(Permissions::CREATE_TICKETS)
}

fn role_policy(roles: usize) -> Policy {
    Policy::builder()
        .roles((0..roles).map(custom_role))
        .user(User::new("root", RoleId::ADMINISTRATOR))
        .user(User::new("sam", RoleId::SECURITY_MANAGER))
        .build()
        .unwrap()
}

/// What `check` and `is_allowed` allocate for one allowed change, both measured on this thread.
fn measure(policy: &Policy, user: &str, action: Action, resource: Resource<'_>) -> AllocationInfo {
    let subject = Subject::user(user);
    let decision = policy.check(&subject, action, resource);
    assert!(decision.is_allowed(), "{decision}");
    assert!(policy.is_allowed(&subject, action, resource));
    let mut info = allocation_counter::measure(|| {
        std::hint::black_box(policy.check(&subject, action, resource));
    });
    info += allocation_counter::measure(|| {
        std::hint::black_box(policy.is_allowed(&subject, action, resource));
    });
    info
}

/// The check allocates little, and no more at `MANY` than at `FEW`.
fn assert_bounded(what: &str, few: AllocationInfo, many: AllocationInfo) {
    assert!(
        many.bytes_total <= BYTES_BOUND,
        "{what}: {} bytes in {} allocations at {MANY}",
        many.bytes_total,
        many.count_total
    );
    assert_eq!(
        (few.count_total, few.bytes_total),
        (many.count_total, many.bytes_total),
        "{what}: allocations grow with the collection ({FEW} vs {MANY})"
    );
}

#[test]
fn checking_an_access_group_change_allocates_independently_of_the_groups() {
    let policies = [group_policy(FEW), group_policy(MANY)];
    let new = AccessGroup::new("New lab", AccessGroupType::ScanTargets)
        .with_id("new")
        .with_rule(Rule::parse("fqdn", "ends", [".lab.example"]).unwrap());
    // An edit of the middle group that renames it (the name is checked against every other).
    let edited = group(FEW / 2)
        .with_name("Renamed lab")
        .with_rule(Rule::parse("hostname", "eq", ["build-1"]).unwrap());
    let cases = [
        (
            "access_group.create",
            Action::ACCESS_GROUP_CREATE,
            Resource::AccessGroupDraft(&new),
        ),
        (
            "access_group.edit",
            Action::ACCESS_GROUP_EDIT,
            Resource::AccessGroupDraft(&edited),
        ),
        (
            "access_group.delete",
            Action::ACCESS_GROUP_DELETE,
            Resource::AccessGroup("g3"),
        ),
    ];
    for (what, action, resource) in cases {
        let [few, many] = &policies;
        let few = measure(few, "root", action, resource);
        let many = measure(many, "root", action, resource);
        assert_bounded(what, few, many);
    }
}

#[test]
fn checking_a_role_change_allocates_independently_of_the_roles() {
    let policies = [role_policy(FEW), role_policy(MANY)];
    let draft = RoleDraft::new("Ticket desk")
        .with_description("opens tickets")
        .with_permissions(Permissions::CREATE_TICKETS);
    let rename = RolePatch::new().rename("Renamed role").describe("new text");
    let custom = RoleId::new(1_000_004);
    let cases = [
        (
            "role.create",
            Action::ROLE_CREATE,
            Resource::RoleDraft(&draft),
        ),
        (
            "role.edit",
            Action::ROLE_EDIT,
            Resource::RolePatch(custom, &rename),
        ),
        (
            "role.edit (no patch)",
            Action::ROLE_EDIT,
            Resource::Role(custom),
        ),
        ("role.delete", Action::ROLE_DELETE, Resource::Role(custom)),
    ];
    for user in ["root", "sam"] {
        for (what, action, resource) in cases {
            let [few, many] = &policies;
            let few = measure(few, user, action, resource);
            let many = measure(many, user, action, resource);
            assert_bounded(&format!("{what} by {user}"), few, many);
        }
    }
}
