//! The engine beyond `check`: sharing, snapshots, mutations, and the consistency of the
//! asset filter, `who_can`, target partitioning and effective permissions with `check`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use scangate::{
    AccessGroup, Action, Asset, Permissions, Policy, PolicyError, Resource, RoleError, RoleId,
    Subject, Target,
    access::{AccessGroupType, AccessPermissions, Rule},
    policy::{Layer, Reach, Request},
    role::{RoleDraft, RolePatch},
};

const POLICY: &str = include_str!("data/engine/policy.json");
const TABLE: &str = include_str!("data/engine/decisions.jsonl");

fn policy() -> Policy {
    Policy::from_json(POLICY).unwrap()
}

fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

#[test]
fn policy_is_send_sync_and_cheap_to_clone() {
    assert_send_sync::<Policy>();
    let policy = policy();
    let copy = policy.clone();
    assert!(
        std::ptr::eq(policy.roles(), copy.roles()),
        "a clone shares the data"
    );
}

/// Assets over every attribute the test policy's rules use, hitting and missing each group.
fn assets() -> Vec<Asset> {
    let mut assets = Vec::new();
    for ipv4 in [
        "10.1.2.3",
        "10.2.0.1",
        "192.168.7.10",
        "192.168.7.21",
        "172.16.0.9",
        "8.8.8.8",
    ] {
        assets.push(Asset::new().with("ipv4", ipv4).unwrap());
    }
    for fqdn in [
        "app.web.corp.example.com",
        "web.corp.example.com",
        "lab-db1",
        "db.example.com",
    ] {
        assets.push(Asset::new().with("fqdn", fqdn).unwrap());
        assets.push(Asset::new().with("hostname", fqdn).unwrap());
    }
    assets.push(
        Asset::new()
            .with("tag_uuid", "24ec0790-eb18-4c9c-b787-9c1164a9c1b9")
            .unwrap(),
    );
    assets.push(
        Asset::new()
            .with("tag_uuid", "24ec0790-eb18-4c9c-b787-9c1164a9c1ba")
            .unwrap(),
    );
    assets.push(
        Asset::new()
            .with("ipv4", "8.8.8.8")
            .unwrap()
            .with("fqdn", "x.web.corp.example.com")
            .unwrap(),
    );
    assets
}

fn users(policy: &Policy) -> Vec<String> {
    let mut users: Vec<String> = policy.users().map(|u| u.id().to_owned()).collect();
    users.push("stranger".to_owned());
    users
}

#[test]
fn asset_filter_decides_every_row_as_is_allowed() {
    let policy = policy();
    let mut allowed = 0;
    for user in users(&policy) {
        let subject = Subject::user(&user).with_role(
            policy
                .user(&user)
                .map_or(RoleId::SECURITY_ANALYST, |u| u.role()),
        );
        for action in [
            Action::ASSET_VIEW,
            Action::ASSET_SCAN,
            Action::ISSUE_READ,
            Action::ISSUE_MANAGE,
            Action::TICKET_CREATE,
        ] {
            let filter = policy.asset_filter(&subject, action);
            for asset in assets() {
                let expected = policy.is_allowed(&subject, action, Resource::Asset(&asset));
                assert_eq!(filter.allows(&asset), expected, "{user} {action} {asset:?}");
                allowed += usize::from(expected);
            }
        }
    }
    assert!(allowed > 20, "the grid exercises allows too ({allowed})");
}

#[test]
fn who_can_reaches_exactly_the_users_check_allows() {
    let policy = policy();
    for asset in assets() {
        for (permission, action) in [
            (AccessPermissions::CAN_VIEW, Action::ASSET_VIEW),
            (AccessPermissions::CAN_SCAN, Action::ASSET_SCAN),
        ] {
            let who = policy.who_can(&asset, permission);
            for user in policy.users() {
                let reached = who.iter().any(|entry| match &entry.reach {
                    Reach::Everyone(_) => true,
                    Reach::Principals(principals) => principals
                        .iter()
                        .any(|p| p.applies_to(user.id(), user.groups())),
                    // v3 permissions (none here); the role below is not the Administrator.
                    Reach::Subjects(subjects) => subjects
                        .iter()
                        .any(|s| s.applies_to(user.id(), user.groups(), false)),
                });
                // Layer 3 alone: compare with a role that passes layers 1-2 for both actions.
                let subject = Subject::user(user.id()).with_role(RoleId::SECURITY_ANALYST);
                assert_eq!(
                    reached,
                    policy.is_allowed(&subject, action, Resource::Asset(&asset)),
                    "{} {action} {asset:?}",
                    user.id()
                );
            }
        }
    }
}

#[test]
fn partition_agrees_with_check_target_by_target() {
    let policy = policy();
    let written = [
        "10.1.2.3",
        "192.168.7.15",
        "172.16.0.9",
        "lab-db1",
        "app.web.corp.example.com",
        "10.9.9.9",
        "not a host",
        "10.0.0.0/8",
    ];
    for user in ["alice", "bob", "scanner", "ann", "stranger"] {
        let subject = Subject::user(user);
        let split = policy.partition_targets(&subject, &written);
        assert_eq!(split.allowed.len() + split.skipped.len(), written.len());
        for allowed in &split.allowed {
            let targets = [allowed.target.clone()];
            assert!(
                policy.is_allowed(&subject, Action::SCAN_RUN, Resource::Targets(&targets)),
                "{user} {}",
                allowed.written
            );
        }
        for skipped in &split.skipped {
            if let Ok(target) = skipped.written.parse::<Target>() {
                let targets = [target];
                let decision =
                    policy.check(&subject, Action::SCAN_RUN, Resource::Targets(&targets));
                assert!(!decision.is_allowed(), "{user} {}", skipped.written);
            }
        }
    }
    let alice = policy.partition_targets(&Subject::user("alice"), &written);
    let allowed: Vec<&str> = alice.allowed.iter().map(|a| a.written).collect();
    assert_eq!(
        allowed,
        ["10.1.2.3", "192.168.7.15", "app.web.corp.example.com"]
    );
    let reasons: Vec<&str> = alice.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons[3],
        "scan target `not a host` is not a host name (letters, digits, `-` and `_` in dot-separated labels of 1-63 characters, at most 253 in all)"
    );
    // Layers 1-2 refusing skips every target with the reason.
    let ann = policy.partition_targets(&Subject::user("ann"), &written);
    assert!(ann.allowed.is_empty());
    assert!(
        ann.skipped.iter().all(|s| s.reason
            == "deny `scan.run`: role `Auditor` lacks permScan, required by `scan.run`")
    );
}

#[test]
fn effective_lists_the_actions_layers_one_and_two_allow() {
    let policy = policy();
    for user in users(&policy) {
        for scopes in [
            None,
            Some("scans bot projects:read"),
            Some("groups:admin roles:read"),
        ] {
            let mut subject = Subject::user(&user);
            if let Some(scopes) = scopes {
                subject = subject.with_scopes(scopes.parse().unwrap());
            }
            let Ok(effective) = policy.effective(&subject) else {
                assert_eq!(user, "stranger");
                continue;
            };
            for (action, _) in policy.actions() {
                let decision = policy.check(&subject, action, Resource::None);
                let passes = decision.is_allowed() || decision.denied_by() == Some(Layer::Object);
                assert_eq!(
                    effective.actions.contains(&action),
                    passes,
                    "{user} {scopes:?} {action}"
                );
            }
        }
    }
    let alice = policy
        .effective(&Subject::user("alice").with_scopes("scans".parse().unwrap()))
        .unwrap();
    assert_eq!(
        alice.scopes.unwrap().to_string(),
        "scans scans:read scans:manage scans:run scans:stop scans:delete"
    );
    assert!(alice.permissions.contains(Permissions::SCAN_FULL));
}

#[test]
fn snapshots_round_trip_and_decide_the_same() {
    let policy = policy();
    let text = policy.to_json();
    let reloaded = Policy::from_json(&text).unwrap();
    assert_eq!(reloaded.to_json(), text);
    for line in TABLE.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let request = Request::from_json(&row["request"].to_string()).unwrap();
        assert_eq!(
            policy.check_request(&request).to_string(),
            reloaded.check_request(&request).to_string()
        );
    }
}

#[test]
fn mutations_return_a_new_policy_or_the_precise_error() {
    let policy = policy();
    let sam = Subject::user("sam");
    let (changed, id) = policy
        .create_role(
            &sam,
            RoleDraft::new("Tickets").with_permissions(Permissions::CREATE_TICKETS),
        )
        .unwrap();
    assert!(changed.roles().get(id).is_some());
    assert!(
        policy.roles().get(id).is_none(),
        "the old policy is untouched"
    );

    let error = policy
        .create_role(
            &sam,
            RoleDraft::new("ACR").with_permissions(Permissions::MANAGE_ACR),
        )
        .unwrap_err();
    assert!(
        matches!(error, PolicyError::Role(RoleError::Escalation { excess, .. }) if excess == Permissions::MANAGE_ACR)
    );
    let error = policy
        .create_role(&Subject::user("alice"), RoleDraft::new("X"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "deny `role.create`: role `Security Analyst` lacks permManageRoles, required by `role.create`"
    );
    let error = policy
        .create_role(
            &Subject::user("sam").with_scopes("roles:read".parse().unwrap()),
            RoleDraft::new("X"),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "deny `role.create`: API key lacks `roles:write`, required by `role.create`"
    );

    let edited = policy
        .edit_role(
            &Subject::user("root"),
            RoleId::AUDITOR,
            &RolePatch::new().grant(Permissions::CREATE_TICKETS),
        )
        .unwrap();
    assert!(edited.is_allowed(&Subject::user("ann"), Action::TICKET_CREATE, Resource::None));
    assert!(!policy.is_allowed(&Subject::user("ann"), Action::TICKET_CREATE, Resource::None));

    let (deleted, moved) = policy
        .delete_role(&Subject::user("root"), RoleId::new(1_000_001))
        .unwrap();
    assert_eq!(moved, ["scanner"]);
    assert_eq!(deleted.user("scanner").unwrap().role(), RoleId::NO_ROLE);
    let targets = ["172.16.0.9".parse::<Target>().unwrap()];
    assert!(policy.is_allowed(
        &Subject::user("scanner"),
        Action::SCAN_RUN,
        Resource::Targets(&targets)
    ));
    assert!(!deleted.is_allowed(
        &Subject::user("scanner"),
        Action::SCAN_RUN,
        Resource::Targets(&targets)
    ));

    let group = AccessGroup::new("Finance", AccessGroupType::ManageAssets)
        .with_id("ag-fin")
        .with_rule(Rule::parse("ipv4", "eq", ["10.3.0.0/16"]).unwrap());
    let grown = policy
        .create_access_group(&Subject::user("root"), group.clone())
        .unwrap();
    assert_eq!(
        grown.access_groups().len(),
        policy.access_groups().len() + 1
    );
    let error = policy
        .create_access_group(&Subject::user("sam"), group.clone())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "deny `access_group.create`: role `Security Manager` lacks permManageApp, required by `access_group.create`"
    );
    let error = grown
        .create_access_group(
            &Subject::user("root"),
            group.with_name("FINANCE").with_id("ag-fin2"),
        )
        .unwrap_err();
    assert!(
        matches!(&error, PolicyError::AccessGroup(e) if e.code() == Some("duplicate")),
        "{error}"
    );
    let shrunk = grown
        .delete_access_group(&Subject::user("root"), "ag-fin")
        .unwrap();
    assert_eq!(shrunk.to_json(), policy.to_json());
}

#[test]
fn policy_files_report_problems_with_locations() {
    let error =
        Policy::from_json(r#"{"roles": [], "users": [{"id": "x", "role": "77"}]}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid policy: users (`x`): user `x` has role `77`, which does not exist"
    );
    let error = Policy::from_json(r#"{"roles": [{"id": "3", "name": "Fake"}]}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid policy: roles: role id `3` belongs to a built-in role and cannot be overridden"
    );
    let error = Policy::from_json(r#"{"rolez": []}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid policy: line 1 column 8: unknown field `rolez`"),
        "{error}"
    );
    let problems = Policy::validate_json(
        r#"{"roles": [{"id": "1000001", "permScan": "yes"}, {"id": "1000002", "permFuture": "true"}],
            "access_groups": [
              {"name": "A", "rules": [{"type": "ipv5", "operator": "eq", "terms": ["x"]}]},
              {"name": "B", "rules": [{"type": "ipv4", "operator": "eq", "terms": []}]},
              {"name": "b", "rules": [{"type": "fqdn", "operator": "eq", "terms": ["x.example.com"]}]}
            ],
            "users": [{"id": "u", "role": "abc"}]}"#,
    );
    let locations: Vec<&str> = problems.iter().map(|p| p.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "roles[0]",
            "access_groups[0]",
            "users[0]",
            "roles[1].permFuture",
            "access_groups[1]",
            "access_groups[2]"
        ]
    );
    assert!(
        problems[5].message.starts_with("duplicate: "),
        "{}",
        problems[5].message
    );
    assert!(Policy::validate_json(POLICY).is_empty());
}

#[test]
fn requests_fail_closed_on_anything_unexpected() {
    let cases = [
        (
            r#"{"subject": {"user": "a"}, "action": "asset.view", "resource": {"asset": {"ipv4": ["10.0.0.256"]}}}"#,
            "10.0.0.256",
        ),
        (
            r#"{"subject": {"user": "a"}, "action": "scan.run", "resource": {"targets": ["10.0.0.0/8"]}}"#,
            "cidr or range",
        ),
        (
            r#"{"subject": {"user": "a", "scopes": ["scans : run"]}, "action": "scan.run"}"#,
            "did you mean `scans:run`?",
        ),
        (
            r#"{"subject": {"user": "a"}, "action": "x", "resource": {"role": "1", "group": "g"}}"#,
            "more than one object",
        ),
        (
            r#"{"subject": {"user": "a"}, "action": "x", "resource": {"role_patch": {"name": "x"}}}"#,
            "`role_patch` needs `role`",
        ),
        (
            r#"{"subject": {"user": "a", "admin": true}, "action": "x"}"#,
            "unknown field `admin`",
        ),
        (
            r#"{"subject": {"user": "a"}, "action": "x", "action": "y"}"#,
            "duplicate field `action`",
        ),
        (r#"{"subject": {"user": "a"}}"#, "missing field `action`"),
        (
            r#"{"subject": {"user": "a"}, "action": "x", "resource": {"asset": {"ipv4": "10.0.0.1"}}}"#,
            "",
        ),
    ];
    for (text, needle) in cases {
        let error = Request::from_json(text).unwrap_err().to_string();
        assert!(error.contains(needle), "{text}: {error}");
    }
}

#[test]
fn new_keys_hold_only_scopes_the_owners_role_can_exercise() {
    // The rule, as the Bright documentation states it for custom roles and keys.
    let rules: serde_json::Value = serde_json::from_str(include_str!(
        "fixtures/bright/roles_and_delegation_rules.json"
    ))
    .unwrap();
    assert!(rules["rules"].as_array().unwrap().iter().any(|r| {
        r.as_str()
            .unwrap()
            .contains("cannot delegate beyond own scopes")
    }));

    let policy = policy();
    let delegable = |user: &str| {
        policy
            .delegable_scopes(&Subject::user(user))
            .unwrap()
            .to_string()
    };
    // The Auditor holds no permission any scan-changing, group-changing or role-writing
    // action needs; `scans` implies scopes it cannot use.
    assert_eq!(
        delegable("ann"),
        "scans:read issues:read issues:manage projects:manage projects:read projects:delete groups:read roles:read \
         files:read files:write integration.repos:read repeaters:read repeaters:write scim bot scripts:read \
         scripts:write org:read org:write org.memberships:manage org.memberships:read"
    );
    // The Security Analyst scans and purges, but manages neither groups nor roles.
    let analyst = policy.delegable_scopes(&Subject::user("alice")).unwrap();
    assert!(
        analyst.contains(scangate::Scope::Scans) && analyst.contains(scangate::Scope::ScansDelete)
    );
    assert!(
        !analyst.contains(scangate::Scope::GroupsManage)
            && !analyst.contains(scangate::Scope::RolesWrite)
    );
    // The Security Manager can exercise every scope.
    assert_eq!(
        policy
            .delegable_scopes(&Subject::user("sam"))
            .unwrap()
            .len(),
        30
    );

    assert!(
        policy
            .check_new_key(
                &Subject::user("alice"),
                "scans projects:read".parse().unwrap()
            )
            .is_ok()
    );
    let error = policy
        .check_new_key(
            &Subject::user("alice"),
            "scans groups:admin roles:write".parse().unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "role `Security Analyst` cannot exercise `groups:admin roles:write`, so a key of `alice` may not hold it"
    );
    let error = policy
        .check_new_key(
            &Subject::api_key("scans".parse().unwrap()),
            "scans".parse().unwrap(),
        )
        .unwrap_err();
    assert_eq!(error.to_string(), "needs a requester with a role");
    let error = policy
        .check_new_key(&Subject::user("mallory"), "scans".parse().unwrap())
        .unwrap_err();
    assert_eq!(error.to_string(), "unknown user `mallory`");
}
