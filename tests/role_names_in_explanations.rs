//! Explanations and role errors name a role by its name, like every other explanation
//! ("role `Security Manager` may not create …", not "role `2` …"); the JSON of a decision
//! keeps the id beside the name (docs/semantics.md, "Explanations").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    Action, Permissions as P, Policy, Resource, Role, RoleId, Subject, User,
    role::{RoleCatalog, RoleDraft},
};

fn policy() -> Policy {
    Policy::builder()
        .user(User::new("sam", RoleId::SECURITY_MANAGER))
        .user(User::new("ann", RoleId::AUDITOR))
        .user(User::new("ops", RoleId::new(1_000_001)))
        .role(Role::new(RoleId::new(1_000_001), "Ops").with_permissions(P::MANAGE_ROLES))
        .build()
        .unwrap()
}

#[test]
fn an_escalation_names_the_requesters_role() {
    let error = RoleCatalog::builtin()
        .create(
            RoleId::SECURITY_MANAGER,
            RoleDraft::new("x").with_permissions(P::MANAGE_ACR),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Security Manager` may not create a role holding permManageACR, which it lacks"
    );
    // Through the policy too (a change, and a check of it).
    let policy = policy();
    let draft = RoleDraft::new("x").with_permissions(P::MANAGE_ACR);
    let error = policy
        .create_role(&Subject::user("sam"), draft.clone())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Security Manager` may not create a role holding permManageACR, which it lacks"
    );
    let decision = policy.check(
        &Subject::user("sam"),
        Action::ROLE_CREATE,
        Resource::RoleDraft(&draft),
    );
    assert_eq!(
        decision.to_string(),
        "deny `role.create`: role `Security Manager` may not create a role holding permManageACR, which it lacks"
    );
}

#[test]
fn a_forbidden_change_names_the_requesters_role() {
    let error = RoleCatalog::builtin()
        .create(RoleId::AUDITOR, RoleDraft::new("x"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Auditor` may not create roles: it lacks `permManageRoles`"
    );
}

#[test]
fn an_invisible_role_is_named() {
    let policy = policy();
    let decision = policy.check(
        &Subject::user("ann"),
        Action::ROLE_READ,
        Resource::Role(RoleId::ADMINISTRATOR),
    );
    assert_eq!(
        decision.to_string(),
        "deny `role.read`: role `Administrator` is not visible to organization users"
    );
    let decision = policy.check(
        &Subject::user("sam"),
        Action::GROUP_ASSIGN_ROLE,
        Resource::Role(RoleId::ADMINISTRATOR),
    );
    assert_eq!(
        decision.to_string(),
        "deny `group.assign_role`: role `Administrator` is not visible to organization users"
    );
}

#[test]
fn a_custom_role_is_named_too() {
    // Ops manages roles but holds nothing else: deleting the Auditor is an escalation.
    let error = policy()
        .delete_role(&Subject::user("ops"), RoleId::AUDITOR)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Ops` may not delete a role holding permViewOrgLogs, which it lacks"
    );
    let holder = Role::new(RoleId::new(9), "Sneaky").with_permissions(P::MANAGE_APP);
    assert_eq!(
        RoleCatalog::new([holder]).unwrap_err().to_string(),
        "role `Sneaky` (9) holds `permManageApp`, which only the Administrator role may hold"
    );
}

#[test]
fn an_unknown_role_falls_back_to_its_id() {
    let error = RoleCatalog::builtin()
        .create(RoleId::new(42), RoleDraft::new("x"))
        .unwrap_err();
    assert_eq!(error.to_string(), "role `42` does not exist");
}

#[cfg(feature = "serde")]
mod json {
    use super::policy;
    use scangate::{Action, Permissions as P, Resource, RoleId, Subject, role::RoleDraft};
    use serde_json::{Value, json};

    #[test]
    fn a_role_denial_keeps_the_id_beside_the_name() {
        let policy = policy();
        let draft = RoleDraft::new("x").with_permissions(P::MANAGE_ACR);
        let decision = policy.check(
            &Subject::user("sam"),
            Action::ROLE_CREATE,
            Resource::RoleDraft(&draft),
        );
        let value: Value = serde_json::to_value(&decision).unwrap();
        assert_eq!(
            value["reason"],
            "role `Security Manager` may not create a role holding permManageACR, which it lacks"
        );
        assert_eq!(
            value["role"],
            json!({"id": "2", "name": "Security Manager"})
        );

        let decision = policy.check(
            &Subject::user("ann"),
            Action::ROLE_READ,
            Resource::Role(RoleId::ADMINISTRATOR),
        );
        let value: Value = serde_json::to_value(&decision).unwrap();
        assert_eq!(value["role"], json!({"id": "1", "name": "Administrator"}));
        assert_eq!(value["http_status"], 404);

        // An unknown role has only its id.
        let decision = policy.check(
            &Subject::user("ann"),
            Action::ROLE_READ,
            Resource::Role(RoleId::new(42)),
        );
        let value: Value = serde_json::to_value(&decision).unwrap();
        assert_eq!(value["reason"], "role `42` does not exist");
        assert_eq!(value["role"], json!({"id": "42", "name": null}));
    }
}
