//! Resolved subjects: a directory handle (`Policy::user`) and an owned subject decide as the
//! subject they stand for, never as someone else, across policy versions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    AccessGroup, Action, Asset, Policy, Resource, RoleId, ScopeSet, Subject, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
    policy::OwnedSubject,
};

fn groups() -> AccessGroups {
    AccessGroups::from_server([
        AccessGroup::new("Ann's", AccessGroupType::ManageAssets)
            .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/24"]).unwrap())
            .with_principal(Principal::user("ann", AccessPermissions::CAN_VIEW)),
        AccessGroup::new("Ops", AccessGroupType::ManageAssets)
            .with_rule(Rule::parse("fqdn", "ends", [".ops.example"]).unwrap())
            .with_principal(Principal::group("ops", AccessPermissions::all())),
    ])
}

fn policy(users: Vec<User>) -> Policy {
    Policy::builder()
        .access_groups(groups())
        .users(users)
        .build()
        .unwrap()
}

fn assets() -> Vec<Asset> {
    vec![
        Asset::new().with("ipv4", "10.0.0.7").unwrap(),
        Asset::new().with("fqdn", "db.ops.example").unwrap(),
        Asset::new().with("ipv4", "10.9.0.7").unwrap(),
    ]
}

const ACTIONS: [Action; 4] = [
    Action::ASSET_VIEW,
    Action::ASSET_SCAN,
    Action::TICKET_CREATE,
    Action::ORG_LOG_VIEW,
];

/// Every decision through `subject` equals the one through `Subject::user(id)`.
fn same_decisions(policy: &Policy, subject: &Subject<'_>, id: &str) {
    let plain = Subject::user(id);
    for action in ACTIONS {
        for asset in assets() {
            let resource = Resource::Asset(&asset);
            assert_eq!(
                policy.check(subject, action, resource).to_string(),
                policy.check(&plain, action, resource).to_string(),
                "{id} {action:?} {asset:?}"
            );
            assert_eq!(
                policy.is_allowed(subject, action, resource),
                policy.is_allowed(&plain, action, resource)
            );
        }
    }
}

#[test]
fn a_handle_decides_as_the_user_id() {
    let p = policy(vec![
        User::new("ann", RoleId::SECURITY_ANALYST),
        User::new("bob", RoleId::AUDITOR).with_groups(["ops"]),
    ]);
    for id in ["ann", "bob"] {
        let handle = p.user(id).unwrap();
        assert_eq!(handle.id(), id);
        same_decisions(&p, &handle.subject(), id);
    }
    let ann = p.user("ann").unwrap().subject();
    assert!(p.is_allowed(&ann, Action::ASSET_VIEW, Resource::Asset(&assets()[0])));
    assert!(!p.is_allowed(&ann, Action::ASSET_VIEW, Resource::Asset(&assets()[1])));
    assert!(p.user("carol").is_none());
}

#[test]
fn a_handle_from_another_directory_is_looked_up_by_id() {
    // In `old`, ann is the first user; in `new`, the first user is bob, and ann is an
    // Auditor in ops. A handle made against `old` must be ann in `new`, with ann's data
    // there, not "whoever is first".
    let old = policy(vec![
        User::new("ann", RoleId::SECURITY_ANALYST),
        User::new("bob", RoleId::SECURITY_ANALYST).with_groups(["ops"]),
    ]);
    let new = policy(vec![
        User::new("bob", RoleId::SECURITY_ANALYST).with_groups(["ops"]),
        User::new("ann", RoleId::AUDITOR).with_groups(["ops"]),
    ]);
    let ann = old.user("ann").unwrap().subject();
    same_decisions(&new, &ann, "ann");
    let ops_asset = &assets()[1];
    assert!(new.is_allowed(&ann, Action::ASSET_VIEW, Resource::Asset(ops_asset)));
    assert!(!old.is_allowed(&ann, Action::ASSET_VIEW, Resource::Asset(ops_asset)));
    assert!(!new.is_allowed(&ann, Action::TICKET_CREATE, Resource::None));

    // Removed from the directory: unknown, denied.
    let without = policy(vec![User::new("bob", RoleId::SECURITY_ANALYST)]);
    let decision = without.check(&ann, Action::ORG_LOG_VIEW, Resource::None);
    assert_eq!(
        decision.to_string(),
        "deny `org_log.view`: unknown user `ann`"
    );
}

#[test]
fn a_derived_policy_keeps_or_renews_the_directory() {
    let p = policy(vec![User::new("ann", RoleId::SECURITY_ANALYST)]);
    let stored: OwnedSubject = p.user("ann").unwrap().subject().to_owned_subject();
    // A role change moves nobody: the derived policy decides as a fresh lookup would.
    let draft = scangate::role::RoleDraft::new("Viewer");
    let (changed, _) = p
        .create_role(
            &Subject::user("ann").with_role(RoleId::ADMINISTRATOR),
            draft,
        )
        .unwrap();
    same_decisions(&changed, &stored.subject(), "ann");
}

#[test]
fn an_owned_subject_keeps_every_part() {
    let p = policy(vec![
        User::new("ann", RoleId::SECURITY_ANALYST),
        User::new("bob", RoleId::AUDITOR).with_groups(["ops"]),
    ]);
    let key: ScopeSet = "issues:read".parse().unwrap();
    let groups = vec!["ops".to_owned()];
    let borrowed = Subject::user("ann")
        .with_role(RoleId::AUDITOR)
        .with_groups(&groups)
        .with_scopes(key);
    let owned = borrowed.to_owned_subject();
    assert_eq!(owned.subject(), borrowed);
    assert_eq!(OwnedSubject::from(borrowed), owned);
    for asset in assets() {
        let resource = Resource::Asset(&asset);
        assert_eq!(
            p.check(&owned.subject(), Action::ISSUE_READ, resource)
                .to_string(),
            p.check(&borrowed, Action::ISSUE_READ, resource).to_string()
        );
    }
    let from_handle = p.user("bob").unwrap().subject().with_scopes(key);
    same_owned(&p, &from_handle.to_owned_subject(), &from_handle);
}

fn same_owned(p: &Policy, owned: &OwnedSubject, subject: &Subject<'_>) {
    assert_eq!(owned.subject(), *subject);
    for action in [Action::ISSUE_READ, Action::ASSET_VIEW] {
        for asset in assets() {
            let resource = Resource::Asset(&asset);
            assert_eq!(
                p.is_allowed(&owned.subject(), action, resource),
                p.is_allowed(subject, action, resource)
            );
        }
    }
}

#[test]
fn handles_and_owned_subjects_are_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<scangate::policy::DirectoryUser<'static>>();
    both::<OwnedSubject>();
}
