//! `effective` with v3 permissions (`docs/semantics.md`, "Beyond `check`"): the actions
//! listed are those passing layers 1 and 2, as for access groups: an action with an object
//! check (`asset.view`, `asset.scan`, `tag.edit`, `tag.use`) is listed whatever the
//! subject's access groups and v3 grants, so the list is an upper bound of what `check`
//! allows on any resource, and grants never change it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/v3.rs"]
mod v3;

use proptest::prelude::*;
use scangate::policy::Layer;
use scangate::tags::{
    AccessControl, Permission, PermissionAction, PermissionObject, PermissionSubject, TagValue,
};
use scangate::{Action, Asset, Policy, Resource, RoleId, ScopeSet, Subject, User};

const ALICE: &str = "b83faeec-f790-433f-893c-88c48c82562e";
const WEB: &str = "7ad1d2c3-0a44-4f06-9bd2-0bbf2a4b6a01";

fn uuid(s: &str) -> scangate::access::Uuid {
    s.parse().unwrap()
}

/// alice (Auditor) may edit `Env:Web`, and nothing else through permissions.
fn policy() -> Policy {
    let edit_web = Permission::new(uuid("40000000-0000-4000-8000-000000000001"), "Edit web")
        .with_actions([PermissionAction::CanEdit])
        .with_object(PermissionObject::tag(uuid(WEB)))
        .with_subject(PermissionSubject::user(ALICE).unwrap());
    Policy::builder()
        .access_control(
            AccessControl::new(
                vec![TagValue::static_value(uuid(WEB), "Env", "Web").unwrap()],
                vec![edit_web],
            )
            .unwrap(),
        )
        .user(User::new(ALICE, RoleId::AUDITOR))
        .build()
        .unwrap()
}

#[test]
fn tag_actions_are_listed_when_layers_1_and_2_pass() {
    let policy = policy();
    let alice = Subject::user(ALICE);
    let effective = policy.effective(&alice).unwrap();
    // Granted CanEdit on the tag: `tag.edit` is listed, and `check` allows it.
    assert!(effective.actions.contains(&Action::TAG_EDIT));
    assert!(policy.is_allowed(&alice, Action::TAG_EDIT, Resource::Tag(uuid(WEB))));
    // `tag.use` and `asset.view` are listed too, though nothing grants them: the object
    // check depends on the resource (as with access groups, which grant alice nothing).
    assert!(effective.actions.contains(&Action::TAG_USE));
    assert!(effective.actions.contains(&Action::ASSET_VIEW));
    let decision = policy.check(&alice, Action::TAG_USE, Resource::Tag(uuid(WEB)));
    assert_eq!(decision.denial().map(|d| d.layer()), Some(Layer::Object));
    // The Auditor lacks permScan: `asset.scan` is not listed, whatever is granted.
    assert!(!effective.actions.contains(&Action::ASSET_SCAN));
}

#[test]
fn tag_actions_are_not_for_api_keys() {
    // No scope names `tag.edit` or `tag.use`: a key acting for alice passes neither, though
    // her permission grants CanEdit.
    let policy = policy();
    let key: ScopeSet = "scans:read issues:read".parse().unwrap();
    let with_key = Subject::user(ALICE).with_scopes(key);
    let effective = policy.effective(&with_key).unwrap();
    assert!(!effective.actions.contains(&Action::TAG_EDIT));
    assert!(!effective.actions.contains(&Action::TAG_USE));
    assert!(!policy.is_allowed(&with_key, Action::TAG_EDIT, Resource::Tag(uuid(WEB))));
}

/// The actions whose layers 1–2 pass, as `check` decides them (no resource: any denial
/// is then layer 1's or 2's, or layer 3's for a resource it requires).
fn layers_1_and_2(policy: &Policy, subject: &Subject<'_>) -> Vec<Action> {
    policy
        .actions()
        .map(|(action, _)| action)
        .filter(|action| {
            let decision = policy.check(subject, *action, Resource::None);
            decision.denial().is_none_or(|d| d.layer() == Layer::Object)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// On random policies with permissions, tags and access groups, for directory users,
    /// inline subjects and keys: `effective` lists exactly the actions passing layers 1–2;
    /// every asset and tag action `is_allowed` on some asset or tag is listed; and the list
    /// is the same without any access group, tag or permission.
    #[test]
    fn effective_is_layers_1_and_2_and_bounds_check(
        world in v3::world(),
        assets in proptest::collection::vec(v3::asset(), 1..6),
        scopes in proptest::collection::vec(0..scangate::Scope::ALL.len(), 0..6),
    ) {
        let policy = world.policy();
        let bare = Policy::builder().users(world.users.clone()).build().unwrap();
        let key: ScopeSet = scopes.iter().map(|i| scangate::Scope::ALL[*i]).collect();
        let ids: Vec<String> = (0..v3::USERS).map(v3::user).chain([v3::stranger()]).collect();
        let teams: Vec<String> = vec![v3::team(0)];
        let mut subjects: Vec<Subject<'_>> = vec![Subject::api_key(key)];
        for id in &ids {
            subjects.push(Subject::user(id));
            subjects.push(Subject::user(id).with_scopes(key));
            subjects.push(Subject::user(id).with_role(RoleId::ADMINISTRATOR).with_groups(&teams));
        }
        let tags: Vec<scangate::access::Uuid> =
            (0..v3::TAGS).map(|i| v3::tag(i).parse().unwrap()).collect();
        for subject in &subjects {
            let Ok(effective) = policy.effective(subject) else {
                prop_assert!(bare.effective(subject).is_err());
                continue;
            };
            prop_assert_eq!(&effective.actions, &layers_1_and_2(&policy, subject));
            prop_assert_eq!(&effective.actions, &bare.effective(subject).unwrap().actions);
            let possible = |action: Action| {
                let on_tag = tags.iter().any(|t| policy.is_allowed(subject, action, Resource::Tag(*t)));
                let on_asset = assets
                    .iter()
                    .chain([&Asset::new()])
                    .any(|a| policy.is_allowed(subject, action, Resource::Asset(a)));
                on_tag || on_asset
            };
            for action in [Action::TAG_EDIT, Action::TAG_USE, Action::ASSET_VIEW, Action::ASSET_SCAN, Action::ISSUE_READ] {
                if possible(action) {
                    prop_assert!(effective.actions.contains(&action), "{:?} {}", subject, action);
                }
            }
        }
    }
}
