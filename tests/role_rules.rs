//! Layer 2 rules as tables: field visibility, create/edit/delete/assign with no escalation,
//! immutable built-in roles, and the `subset` filter.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    Permissions as P, RoleError, RoleId,
    role::{RoleCatalog, RoleDraft, RoleFieldSet, RoleOperation, RolePatch, RoleQuery, ScanLevel},
};

const ADMIN: RoleId = RoleId::ADMINISTRATOR;
const SM: RoleId = RoleId::SECURITY_MANAGER;
const SA: RoleId = RoleId::SECURITY_ANALYST;
const VA: RoleId = RoleId::VULNERABILITY_ANALYST;
const AUDITOR: RoleId = RoleId::AUDITOR;
const NO_ROLE: RoleId = RoleId::NO_ROLE;

/// The name of role `id` of `catalog`, as role errors carry it.
fn name(catalog: &RoleCatalog, id: RoleId) -> String {
    catalog.get(id).unwrap().name().to_owned()
}

/// Built-in roles plus two custom ones: a delegated role manager (manage roles + tickets +
/// policy scans) and a role beyond the Security Manager (it holds `permManageACR`).
fn catalog() -> (RoleCatalog, RoleId, RoleId) {
    let catalog = RoleCatalog::builtin();
    let (catalog, delegate) = catalog
        .create(
            ADMIN,
            RoleDraft::new("Delegate")
                .with_permissions(P::MANAGE_ROLES | P::CREATE_TICKETS | P::SCAN),
        )
        .unwrap();
    let (catalog, beyond) = catalog
        .create(
            ADMIN,
            RoleDraft::new("ACR").with_permissions(P::MANAGE_ACR | P::CREATE_TICKETS),
        )
        .unwrap();
    (catalog, delegate, beyond)
}

#[test]
fn created_roles_get_fresh_ids_above_the_built_in_range() {
    let (catalog, delegate, beyond) = catalog();
    assert_eq!(
        (delegate, beyond),
        (RoleId::new(1_000_001), RoleId::new(1_000_002))
    );
    assert_eq!(catalog.len(), 10);
    assert_eq!(catalog.custom().count(), 2);
    let created = catalog.get(delegate).unwrap();
    assert_eq!(created.description(), "");
    assert_eq!(created.scan_level(), ScanLevel::Policy);
}

#[test]
fn field_visibility_table() {
    let (catalog, delegate, _) = catalog();
    let (all, basic, none) = (RoleFieldSet::ALL, RoleFieldSet::BASIC, RoleFieldSet::EMPTY);
    let fields = |text: &str| RoleFieldSet::parse(text).unwrap();
    let detail = fields("permScan,creator"); // parse adds id
    // (requester, target, fields asked, expected shown, expected withheld)
    let cases: Vec<(RoleId, RoleId, Option<&str>, RoleFieldSet, RoleFieldSet)> = vec![
        (ADMIN, ADMIN, None, all, none),
        (ADMIN, AUDITOR, None, all, none),
        (SM, AUDITOR, None, all, none), // permManageRoles sees details
        (delegate, SM, None, all, none), // so does a custom role with it
        (AUDITOR, SM, None, basic, all.difference(basic)), // others: id, name, description
        (AUDITOR, AUDITOR, None, all, none), // ...except for their own role
        (
            AUDITOR,
            SM,
            Some("permScan,creator"),
            RoleFieldSet::ID,
            detail.difference(RoleFieldSet::ID),
        ),
        (AUDITOR, SM, Some("name"), fields("id,name"), none),
        (SM, AUDITOR, Some("permScan,creator"), detail, none),
        (
            NO_ROLE,
            NO_ROLE,
            Some("permScan"),
            fields("id,permScan"),
            none,
        ),
    ];
    for (requester, target, asked, shown, withheld) in cases {
        let query = match asked {
            Some(asked) => RoleQuery::new().with_fields(asked).unwrap(),
            None => RoleQuery::new(),
        };
        let view = catalog.view(requester, target, &query).unwrap();
        assert_eq!(
            view.shown(),
            shown,
            "{requester} viewing {target} with {asked:?}"
        );
        assert_eq!(
            view.withheld(),
            withheld,
            "{requester} viewing {target} with {asked:?}"
        );
    }
}

#[test]
fn organization_users_cannot_see_the_administrator_role() {
    let (catalog, delegate, _) = catalog();
    for requester in [NO_ROLE, SM, SA, AUDITOR, delegate] {
        let error = catalog
            .view(requester, ADMIN, &RoleQuery::new())
            .unwrap_err();
        assert_eq!(
            error,
            RoleError::NotVisible {
                id: ADMIN,
                name: "Administrator".to_owned(),
            }
        );
        assert_eq!(error.http_status(), 404);
        let listed: Vec<RoleId> = catalog
            .list(requester, &RoleQuery::new())
            .unwrap()
            .iter()
            .map(|v| v.role().id())
            .collect();
        assert!(!listed.contains(&ADMIN));
        assert_eq!(listed.len(), catalog.len() - 1);
    }
    assert_eq!(
        catalog.list(ADMIN, &RoleQuery::new()).unwrap().len(),
        catalog.len()
    );
    assert_eq!(
        catalog
            .view(RoleId::new(99), SA, &RoleQuery::new())
            .unwrap_err(),
        RoleError::UnknownRole(RoleId::new(99))
    );
    assert_eq!(
        RoleQuery::new()
            .with_fields("id,permscan")
            .unwrap_err()
            .to_string(),
        "unknown role field `permscan`"
    );
}

#[test]
fn list_without_fields_returns_id_name_description() {
    let (catalog, _, _) = catalog();
    for view in catalog.list(SM, &RoleQuery::new()).unwrap() {
        assert_eq!(view.shown(), RoleFieldSet::BASIC);
    }
}

#[derive(Debug)]
enum Expect {
    Ok,
    Err(RoleError),
}

#[test]
fn create_table() {
    let (catalog, delegate, _) = catalog();
    let long = "n".repeat(256);
    let max = "m".repeat(255);
    let escalation = |requester, excess| RoleError::Escalation {
        requester,
        requester_name: name(&catalog, requester),
        operation: RoleOperation::Create,
        excess,
    };
    let cases: Vec<(RoleId, RoleDraft, Expect)> = vec![
        (
            ADMIN,
            RoleDraft::new("Everything").with_permissions(P::all() - P::MANAGE_APP),
            Expect::Ok,
        ),
        (
            ADMIN,
            RoleDraft::new("App").with_permissions(P::MANAGE_APP),
            Expect::Err(RoleError::ManageApp {
                operation: RoleOperation::Create,
            }),
        ),
        (
            SM,
            RoleDraft::new("Scanner").with_permissions(P::SCAN_FULL | P::CREATE_TICKETS),
            Expect::Ok,
        ),
        (
            SM,
            RoleDraft::new("Same as me").with_permissions(catalog.get(SM).unwrap().permissions()),
            Expect::Ok,
        ),
        (
            SM,
            RoleDraft::new("More").with_permissions(P::SCAN | P::MANAGE_ACR),
            Expect::Err(escalation(SM, P::MANAGE_ACR)),
        ),
        (
            SM,
            RoleDraft::new("App").with_permissions(P::MANAGE_APP),
            Expect::Err(RoleError::ManageApp {
                operation: RoleOperation::Create,
            }),
        ),
        (
            delegate,
            RoleDraft::new("Policy scanner").with_permissions(P::SCAN),
            Expect::Ok,
        ),
        // policy ⊂ full: a policy-level delegate cannot create a full-scan role.
        (
            delegate,
            RoleDraft::new("Full scanner").with_permissions(P::SCAN_FULL),
            Expect::Err(escalation(delegate, P::SCAN_FULL - P::SCAN)),
        ),
        (
            VA,
            RoleDraft::new("Nope"),
            Expect::Err(RoleError::Forbidden {
                requester: VA,
                requester_name: name(&catalog, VA),
                operation: RoleOperation::Create,
            }),
        ),
        (
            AUDITOR,
            RoleDraft::new("Nope"),
            Expect::Err(RoleError::Forbidden {
                requester: AUDITOR,
                requester_name: name(&catalog, AUDITOR),
                operation: RoleOperation::Create,
            }),
        ),
        (
            RoleId::new(42),
            RoleDraft::new("Ghost"),
            Expect::Err(RoleError::UnknownRole(RoleId::new(42))),
        ),
        (
            ADMIN,
            RoleDraft::new(""),
            Expect::Err(RoleError::MissingName),
        ),
        (
            ADMIN,
            RoleDraft::new("   "),
            Expect::Err(RoleError::MissingName),
        ),
        (
            ADMIN,
            RoleDraft::new("AUDITOR"),
            Expect::Err(RoleError::DuplicateName("AUDITOR".to_owned())),
        ),
        (
            ADMIN,
            RoleDraft::new(long.clone()),
            Expect::Err(RoleError::NameTooLong(format!("{}…", "n".repeat(64)))),
        ),
        (ADMIN, RoleDraft::new(max), Expect::Ok),
    ];
    for (requester, draft, expect) in cases {
        let result = catalog.create(requester, draft.clone());
        match (&result, &expect) {
            (Ok((created, id)), Expect::Ok) => {
                let role = created.get(*id).unwrap();
                assert_eq!(
                    (role.name(), role.permissions()),
                    (draft.name.as_str(), draft.permissions)
                );
                assert_eq!(created.len(), catalog.len() + 1);
            }
            (Err(error), Expect::Err(expected)) => {
                assert_eq!(error, expected, "{requester} creating {}", draft.name)
            }
            _ => panic!(
                "{requester} creating {:?}: got {result:?}, expected {expect:?}",
                draft.name
            ),
        }
    }
}

#[test]
fn rule_messages_read_correctly() {
    let (catalog, delegate, _) = catalog();
    let message = |result: Result<RoleCatalog, RoleError>| result.unwrap_err().to_string();
    assert_eq!(
        message(catalog.delete(ADMIN, NO_ROLE, []).map(|(c, _)| c)),
        "built-in role `No Role` (0) cannot be deleted"
    );
    assert_eq!(
        message(catalog.edit(ADMIN, SM, &RolePatch::new().rename("x"))),
        "built-in role `Security Manager` (2) cannot be edited"
    );
    assert_eq!(
        message(catalog.edit(ADMIN, SA, &RolePatch::new().grant(P::MANAGE_APP))),
        "no role may be edited to hold `permManageApp`"
    );
    assert_eq!(
        message(
            catalog
                .create(ADMIN, RoleDraft::new("x").with_permissions(P::MANAGE_APP))
                .map(|(c, _)| c)
        ),
        "no role may be created to hold `permManageApp`"
    );
    // A policy-level delegate asking for a full-scan role: the excess is named.
    assert_eq!(
        message(
            catalog
                .create(delegate, RoleDraft::new("x").with_permissions(P::SCAN_FULL))
                .map(|(c, _)| c)
        ),
        "role `Delegate` may not create a role holding permScan=full, which it lacks"
    );
}

#[test]
fn escalation_errors_name_the_excess() {
    let (catalog, _, _) = catalog();
    let error = catalog
        .create(
            SM,
            RoleDraft::new("x")
                .with_permissions(P::MANAGE_ACR | P::VIEW_HOST_ASSETS | P::CREATE_TICKETS),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Security Manager` may not create a role holding permManageACR, permViewHostAssets, which it lacks"
    );
    assert_eq!(error.http_status(), 403);
}

#[test]
fn edit_table() {
    let (catalog, delegate, beyond) = catalog();
    let immutable = |id, name| RoleError::Immutable {
        id,
        name,
        operation: RoleOperation::Edit,
    };
    let escalation = |requester, excess| RoleError::Escalation {
        requester,
        requester_name: name(&catalog, requester),
        operation: RoleOperation::Edit,
        excess,
    };
    let cases: Vec<(RoleId, RoleId, RolePatch, Expect)> = vec![
        (
            ADMIN,
            ADMIN,
            RolePatch::new().rename("Root"),
            Expect::Err(immutable(ADMIN, "Administrator")),
        ),
        (
            ADMIN,
            NO_ROLE,
            RolePatch::new().grant(P::CREATE_TICKETS),
            Expect::Err(immutable(NO_ROLE, "No Role")),
        ),
        (
            ADMIN,
            SM,
            RolePatch::new().describe("x"),
            Expect::Err(immutable(SM, "Security Manager")),
        ),
        (
            ADMIN,
            AUDITOR,
            RolePatch::new().scan_level(ScanLevel::Full),
            Expect::Ok,
        ),
        (
            ADMIN,
            SA,
            RolePatch::new().grant(P::MANAGE_APP),
            Expect::Err(RoleError::ManageApp {
                operation: RoleOperation::Edit,
            }),
        ),
        (
            SM,
            AUDITOR,
            RolePatch::new().grant(P::CREATE_TICKETS),
            Expect::Ok,
        ),
        (
            SM,
            AUDITOR,
            RolePatch::new().grant(P::MANAGE_ACR),
            Expect::Err(escalation(SM, P::MANAGE_ACR)),
        ),
        // A role already beyond the requester cannot be touched, not even renamed.
        (
            SM,
            beyond,
            RolePatch::new().rename("Renamed"),
            Expect::Err(escalation(SM, P::MANAGE_ACR)),
        ),
        (
            ADMIN,
            beyond,
            RolePatch::new().rename("Renamed"),
            Expect::Ok,
        ),
        (
            delegate,
            AUDITOR,
            RolePatch::new().grant(P::CREATE_TICKETS),
            Expect::Err(escalation(delegate, P::VIEW_ORG_LOGS)),
        ),
        (
            delegate,
            delegate,
            RolePatch::new().revoke(P::CREATE_TICKETS),
            Expect::Ok,
        ),
        (
            delegate,
            delegate,
            RolePatch::new().scan_level(ScanLevel::Full),
            Expect::Err(escalation(delegate, P::SCAN_FULL - P::SCAN)),
        ),
        (
            SA,
            AUDITOR,
            RolePatch::new().rename("x"),
            Expect::Err(RoleError::Forbidden {
                requester: SA,
                requester_name: name(&catalog, SA),
                operation: RoleOperation::Edit,
            }),
        ),
        (
            ADMIN,
            RoleId::new(77),
            RolePatch::new().rename("x"),
            Expect::Err(RoleError::UnknownRole(RoleId::new(77))),
        ),
        (
            ADMIN,
            AUDITOR,
            RolePatch::new().rename("executive"),
            Expect::Err(RoleError::DuplicateName("executive".to_owned())),
        ),
        (
            ADMIN,
            AUDITOR,
            RolePatch::new().rename("AUDITOR"),
            Expect::Ok,
        ), // its own name, recased
        (
            ADMIN,
            AUDITOR,
            RolePatch::new().rename(""),
            Expect::Err(RoleError::MissingName),
        ),
    ];
    for (requester, target, patch, expect) in cases {
        let before = catalog.get(target).cloned();
        let result = catalog.edit(requester, target, &patch);
        match (&result, &expect) {
            (Ok(edited), Expect::Ok) => {
                let before = before.clone().unwrap();
                let after = edited.get(target).unwrap();
                assert_eq!(after, &patch.apply_to(&before));
                // Only the passed fields changed.
                if patch.name().is_none() {
                    assert_eq!(after.name(), before.name());
                }
                if patch.description().is_none() {
                    assert_eq!(after.description(), before.description());
                }
                let (mask, _) = patch.permission_changes();
                assert_eq!(after.permissions() & !mask, before.permissions() & !mask);
            }
            (Err(error), Expect::Err(expected)) => {
                assert_eq!(error, expected, "{requester} editing {target}")
            }
            _ => panic!(
                "{requester} editing {target} with {patch:?}: got {result:?}, expected {expect:?}"
            ),
        }
    }
}

#[test]
fn delete_table_and_fallback_to_no_role() {
    let (catalog, delegate, beyond) = catalog();
    let users = [
        ("ann", AUDITOR),
        ("bob", SA),
        ("cy", AUDITOR),
        ("dee", beyond),
    ];
    let immutable = |id, name| RoleError::Immutable {
        id,
        name,
        operation: RoleOperation::Delete,
    };
    type Case<'a> = (RoleId, RoleId, Result<Vec<&'a str>, RoleError>);
    let cases: Vec<Case> = vec![
        (ADMIN, AUDITOR, Ok(vec!["ann", "cy"])),
        (SM, SA, Ok(vec!["bob"])),
        (ADMIN, beyond, Ok(vec!["dee"])),
        (
            SM,
            beyond,
            Err(RoleError::Escalation {
                requester: SM,
                requester_name: name(&catalog, SM),
                operation: RoleOperation::Delete,
                excess: P::MANAGE_ACR,
            }),
        ),
        (ADMIN, ADMIN, Err(immutable(ADMIN, "Administrator"))),
        (ADMIN, NO_ROLE, Err(immutable(NO_ROLE, "No Role"))),
        (SM, SM, Err(immutable(SM, "Security Manager"))),
        (
            SA,
            AUDITOR,
            Err(RoleError::Forbidden {
                requester: SA,
                requester_name: name(&catalog, SA),
                operation: RoleOperation::Delete,
            }),
        ),
        (
            delegate,
            RoleId::new(5_000_000),
            Err(RoleError::UnknownRole(RoleId::new(5_000_000))),
        ),
    ];
    for (requester, target, expected) in cases {
        match (catalog.delete(requester, target, users), expected) {
            (Ok((after, moved)), Ok(expected_moved)) => {
                assert_eq!(moved, expected_moved);
                assert!(after.get(target).is_none());
                assert_eq!(after.len(), catalog.len() - 1);
            }
            (Err(error), Err(expected)) => assert_eq!(error, expected),
            (got, expected) => {
                panic!("{requester} deleting {target}: got {got:?}, expected {expected:?}")
            }
        }
    }
    assert_eq!(catalog.len(), 10);
}

#[test]
fn assign_table_and_subset_filter() {
    let (catalog, delegate, beyond) = catalog();
    let cases: Vec<(RoleId, RoleId, Result<(), RoleError>)> = vec![
        (SM, VA, Ok(())),
        (SM, SM, Ok(())),
        (
            SM,
            ADMIN,
            Err(RoleError::NotVisible {
                id: ADMIN,
                name: "Administrator".to_owned(),
            }),
        ),
        (
            SM,
            beyond,
            Err(RoleError::Escalation {
                requester: SM,
                requester_name: name(&catalog, SM),
                operation: RoleOperation::Assign,
                excess: P::MANAGE_ACR,
            }),
        ),
        (ADMIN, ADMIN, Ok(())),
        (ADMIN, beyond, Ok(())),
        (
            VA,
            AUDITOR,
            Err(RoleError::Forbidden {
                requester: VA,
                requester_name: name(&catalog, VA),
                operation: RoleOperation::Assign,
            }),
        ),
        (delegate, RoleId::EXECUTIVE, Ok(())),
        (
            delegate,
            AUDITOR,
            Err(RoleError::Escalation {
                requester: delegate,
                requester_name: name(&catalog, delegate),
                operation: RoleOperation::Assign,
                excess: P::VIEW_ORG_LOGS,
            }),
        ),
    ];
    for (requester, target, expected) in cases {
        assert_eq!(
            catalog.check_assign(requester, target).map(|_| ()),
            expected,
            "{requester} assigning {target}"
        );
    }
    let subset = |requester| -> Vec<u64> {
        catalog
            .list(requester, &RoleQuery::new().subset())
            .unwrap()
            .iter()
            .map(|v| v.role().id().get())
            .collect()
    };
    assert_eq!(
        subset(ADMIN),
        [0, 1, 2, 3, 4, 5, 6, 7, 1_000_001, 1_000_002]
    );
    assert_eq!(subset(SM), [0, 2, 3, 4, 5, 6, 7, 1_000_001]); // Delegate is within SM; ACR is not
    assert_eq!(subset(delegate), [0, 5, 1_000_001]);
    assert!(subset(AUDITOR).is_empty());
    let assignable: Vec<u64> = catalog.assignable(delegate).map(|r| r.id().get()).collect();
    assert_eq!(assignable, subset(delegate));
}

#[test]
fn catalogs_from_data_refuse_overrides_duplicates_and_manage_app() {
    use scangate::Role;
    let custom = Role::new(RoleId::new(3), "Fake Analyst").with_permissions(P::all());
    assert_eq!(
        RoleCatalog::new([custom]).unwrap_err(),
        RoleError::BuiltinOverride(RoleId::new(3))
    );
    let holder = Role::new(RoleId::new(9), "Sneaky").with_permissions(P::MANAGE_APP);
    assert_eq!(
        RoleCatalog::new([holder]).unwrap_err(),
        RoleError::ManageAppHolder {
            id: RoleId::new(9),
            name: "Sneaky".to_owned()
        }
    );
    let twice = [
        Role::new(RoleId::new(9), "a"),
        Role::new(RoleId::new(9), "b"),
    ];
    assert_eq!(
        RoleCatalog::new(twice).unwrap_err(),
        RoleError::DuplicateId(RoleId::new(9))
    );
    // Stored names are taken as they are (a 300-character name from a server is accepted).
    let stored = Role::new(RoleId::new(10), "x".repeat(300));
    assert_eq!(RoleCatalog::new([stored]).unwrap().len(), 9);
}
