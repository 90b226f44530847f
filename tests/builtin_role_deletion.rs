//! A deleted built-in role stays deleted: through the policy file (`to_json` → `from_json`),
//! through `to_builder().build()`, and users assigned to it are refused like users of any
//! unknown role (docs/semantics.md, "Layer 2", changes; "Files and requests").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    Policy, PolicyError, RoleError, RoleId, Subject, User,
    role::{RoleCatalog, RoleOperation},
};

/// A policy whose Administrator deleted the Auditor role (ann, an Auditor, falls back to
/// No Role).
fn without_auditor() -> Policy {
    let policy = Policy::builder()
        .user(User::new("root", RoleId::ADMINISTRATOR))
        .user(User::new("ann", RoleId::AUDITOR))
        .build()
        .unwrap();
    let (policy, moved) = policy
        .delete_role(&Subject::user("root"), RoleId::AUDITOR)
        .unwrap();
    assert_eq!(moved, ["ann"]);
    assert!(policy.roles().get(RoleId::AUDITOR).is_none());
    policy
}

#[test]
fn to_builder_keeps_a_deleted_builtin_role_deleted() {
    let rebuilt = without_auditor().to_builder().build().unwrap();
    assert!(rebuilt.roles().get(RoleId::AUDITOR).is_none());
    assert_eq!(rebuilt.roles().len(), 7);
}

#[test]
fn to_builder_refuses_a_user_of_a_deleted_builtin_role() {
    let error = without_auditor()
        .to_builder()
        .user(User::new("new", RoleId::AUDITOR))
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        PolicyError::UnknownUserRole {
            user: "new".to_owned(),
            role: RoleId::AUDITOR
        }
    );
}

#[test]
fn the_catalog_the_builder_and_the_policy_agree_on_the_deleted_builtin_roles() {
    let policy = without_auditor();
    assert_eq!(
        policy.roles().deleted_builtins().collect::<Vec<_>>(),
        [RoleId::AUDITOR]
    );
    let built = Policy::builder()
        .without_builtin_roles([RoleId::AUDITOR])
        .build()
        .unwrap();
    assert_eq!(built.roles(), policy.roles());
    assert_eq!(
        RoleCatalog::builtin()
            .without_builtins([RoleId::AUDITOR])
            .unwrap(),
        *policy.roles()
    );
}

#[test]
fn only_deletable_builtin_roles_can_be_left_out() {
    for id in [
        RoleId::NO_ROLE,
        RoleId::ADMINISTRATOR,
        RoleId::SECURITY_MANAGER,
    ] {
        match Policy::builder().without_builtin_roles([id]).build() {
            Err(PolicyError::Role(RoleError::Immutable {
                id: refused,
                operation,
                ..
            })) => {
                assert_eq!((refused, operation), (id, RoleOperation::Delete));
            }
            other => panic!("{id}: {:?}", other.map(|p| p.roles().len())),
        }
    }
    let custom = RoleId::new(1_000_001);
    assert_eq!(
        RoleCatalog::builtin().without_builtins([custom]),
        Err(RoleError::NotBuiltin(custom))
    );
}

#[cfg(feature = "serde")]
mod file {
    use super::without_auditor;
    use scangate::{Policy, RoleId};

    #[test]
    fn the_policy_file_keeps_a_deleted_builtin_role_deleted() {
        let policy = without_auditor();
        let text = policy.to_json();
        let loaded = Policy::from_json(&text).unwrap();
        assert!(loaded.roles().get(RoleId::AUDITOR).is_none());
        assert_eq!(loaded.roles().len(), 7);
        // What is written reads back equal.
        assert_eq!(loaded.to_json(), text);
    }

    #[test]
    fn the_key_lists_the_deleted_ids_and_is_left_out_when_none_is_deleted() {
        let written: serde_json::Value =
            serde_json::from_str(&without_auditor().to_json()).unwrap();
        assert_eq!(written["deleted_builtin_roles"], serde_json::json!(["7"]));
        let text = Policy::default().to_json();
        assert!(!text.contains("deleted_builtin_roles"), "{text}");
        // A file without the key (as written before it existed) deletes nothing.
        let loaded = Policy::from_json(r#"{"roles": [], "users": []}"#).unwrap();
        assert_eq!(loaded.roles().len(), 8);
    }

    #[test]
    fn the_key_names_only_deletable_builtin_roles() {
        let problems =
            Policy::validate_json(r#"{"deleted_builtin_roles": ["7", "1", 1000001, "5"]}"#);
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.location.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "deleted_builtin_roles[1]",
                    "built-in role `Administrator` (1) cannot be deleted"
                ),
                (
                    "deleted_builtin_roles[2]",
                    "role id `1000001` is not a built-in role's, so it cannot be a deleted built-in role"
                ),
            ]
        );
        let loaded = Policy::from_json(r#"{"deleted_builtin_roles": ["7", "5", "7"]}"#).unwrap();
        assert_eq!(
            loaded.roles().deleted_builtins().collect::<Vec<_>>(),
            [RoleId::EXECUTIVE, RoleId::AUDITOR]
        );
        assert!(
            loaded
                .to_json()
                .contains("\"deleted_builtin_roles\": [\n    \"5\",\n    \"7\"\n  ]")
        );
    }

    #[test]
    fn the_policy_file_refuses_a_user_of_a_deleted_builtin_role() {
        let text = without_auditor().to_json();
        let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
        file["users"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"id": "new", "role": "7"}));
        let error = Policy::from_json(&file.to_string()).unwrap_err();
        assert_eq!(error.0.location, "users (`new`)");
        assert_eq!(
            error.0.message,
            "user `new` has role `7`, which does not exist"
        );
    }
}
