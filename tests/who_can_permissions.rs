//! `who_can` covers v3 permissions (`docs/semantics.md`, "Beyond `check`"): after the
//! access groups containing the asset, every permission granting the matching action
//! (`CanView` for `CAN_VIEW`, `CanScan` for `CAN_SCAN`) on an object that covers the asset
//! (All Assets, All Objects, or a tag the asset carries), with its subjects, the object and
//! how the asset carries the tag.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/v3.rs"]
mod v3;

use proptest::prelude::*;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, NIL_UUID, Principal, Rule,
};
use scangate::policy::{GrantedObject, ObjectGrant, Reach, TagCarried, Via};
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, ObjectKind, Permission, PermissionAction,
    PermissionObject, PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Policy, Resource, RoleId, Subject, User};

const ALICE: &str = "b83faeec-f790-433f-893c-88c48c82562e";
const OPS: &str = "5bd3e4c2-51b9-4e86-a0b9-1b8d3b2c1a90";
const WEB: &str = "7ad1d2c3-0a44-4f06-9bd2-0bbf2a4b6a01";
const LINUX: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbcb";

fn uuid(s: &str) -> scangate::access::Uuid {
    s.parse().unwrap()
}

fn permission(n: u8, actions: &[PermissionAction]) -> Permission {
    Permission::new(
        uuid(&format!("40000000-0000-4000-8000-0000000000{n:02}")),
        &format!("p{n}"),
    )
    .with_actions(actions.iter().copied())
}

/// `Env:Web` static; `OS:Linux` dynamic: an `or` of 10.1.0.0/16 and `fqdn` matching
/// `linux`.
fn tags() -> Vec<TagValue> {
    let linux = TagFilter::new(FilterExpr::Or(vec![
        FilterExpr::Condition(FilterCondition::parse("ipv4", "eq", "10.1.0.0/16").unwrap()),
        FilterExpr::Condition(FilterCondition::parse("fqdn", "match", "linux").unwrap()),
    ]))
    .unwrap();
    vec![
        TagValue::static_value(uuid(WEB), "Env", "Web").unwrap(),
        TagValue::dynamic(uuid(LINUX), "OS", "Linux", linux).unwrap(),
    ]
}

fn policy(permissions: Vec<Permission>, groups: Vec<AccessGroup>) -> Policy {
    Policy::builder()
        .access_control(AccessControl::new(tags(), permissions).unwrap())
        .access_groups(AccessGroups::from_server(groups))
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap()
}

fn asset(pairs: &[(&str, &str)]) -> Asset {
    pairs
        .iter()
        .fold(Asset::new(), |a, (k, v)| a.with(k, v).unwrap())
}

#[test]
fn a_static_tag_names_the_permission_its_subjects_and_the_tag() {
    let ops = PermissionSubject::user_group(OPS).unwrap().with_name("Ops");
    let alice = PermissionSubject::user(ALICE).unwrap();
    let view_web = permission(1, &[PermissionAction::CanView])
        .with_object(PermissionObject::tag(uuid(WEB)))
        .with_subject(ops.clone())
        .with_subject(alice.clone());
    let policy = policy(vec![view_web], vec![]);
    let web = asset(&[("tag_uuid", WEB)]);
    let who = policy.who_can(&web, AccessPermissions::CAN_VIEW);
    assert_eq!(who.len(), 1);
    assert_eq!(who[0].group(), None);
    assert_eq!(who[0].permission().map(Permission::name), Some("p1"));
    match &who[0].via {
        Via::Permission {
            action,
            object:
                GrantedObject::Tag {
                    uuid: u,
                    tag,
                    carried,
                },
            ..
        } => {
            assert_eq!(*action, PermissionAction::CanView);
            assert_eq!(*u, uuid(WEB));
            assert_eq!(tag.map(ToString::to_string).as_deref(), Some("Env:Web"));
            assert_eq!(*carried, TagCarried::Named);
        }
        other => panic!("{other:?}"),
    }
    // Every subject, in the permission's order.
    assert_eq!(who[0].reach, Reach::Subjects(vec![&ops, &alice]));
    assert!(who[0].reach.reaches(ALICE, &[] as &[&str], false));
    assert!(who[0].reach.reaches("someone", &[OPS], false));
    // Viewing is not scanning.
    assert!(policy.who_can(&web, AccessPermissions::CAN_SCAN).is_empty());
}

#[test]
fn a_dynamic_tag_names_the_condition_that_selected_the_asset() {
    let scan_linux = permission(1, &[PermissionAction::CanScan])
        .with_object(PermissionObject::tag(uuid(LINUX)))
        .with_subject(PermissionSubject::all_admins());
    let policy = policy(vec![scan_linux], vec![]);
    let by_name = asset(&[("fqdn", "linux-01.example.com")]);
    let who = policy.who_can(&by_name, AccessPermissions::CAN_SCAN);
    assert_eq!(who.len(), 1);
    match &who[0].via {
        Via::Permission {
            object:
                GrantedObject::Tag {
                    carried:
                        TagCarried::Filter {
                            position,
                            condition,
                            ..
                        },
                    ..
                },
            ..
        } => {
            // The second member of the `or` held.
            assert_eq!(*position, 1);
            assert_eq!(condition.to_string(), "fqdn match `linux`");
        }
        other => panic!("{other:?}"),
    }
    // `AllAdmins` reaches administrators only.
    assert!(who[0].reach.reaches(ALICE, &[] as &[&str], true));
    assert!(!who[0].reach.reaches(ALICE, &[] as &[&str], false));
    // An asset the filter does not select, naming no tag: nobody.
    let other = asset(&[("ipv4", "10.2.0.1"), ("fqdn", "db.example.com")]);
    assert!(
        policy
            .who_can(&other, AccessPermissions::CAN_SCAN)
            .is_empty()
    );
}

#[test]
fn all_assets_covers_every_asset_and_comes_before_the_tags() {
    let everything = permission(1, &[PermissionAction::CanView, PermissionAction::CanScan])
        .with_object(PermissionObject::tag(uuid(WEB)))
        .with_object(PermissionObject::all_assets())
        .with_subject(PermissionSubject::all_users());
    let policy = policy(vec![everything], vec![]);
    for a in [Asset::new(), asset(&[("tag_uuid", WEB)])] {
        let who = policy.who_can(&a, AccessPermissions::CAN_SCAN);
        assert_eq!(who.len(), 1);
        assert!(matches!(
            &who[0].via,
            Via::Permission { object: GrantedObject::All(o), .. } if o.kind() == ObjectKind::AllAssets
        ));
        assert!(who[0].reach.reaches("anyone", &[] as &[&str], false));
    }
}

#[test]
fn the_lowest_tag_the_asset_carries_is_named() {
    // The permission names Linux first, but Web is the policy's first tag.
    let both = permission(1, &[PermissionAction::CanView])
        .with_object(PermissionObject::tag(uuid(LINUX)))
        .with_object(PermissionObject::tag(uuid(WEB)))
        .with_subject(PermissionSubject::user(ALICE).unwrap());
    let policy = policy(vec![both], vec![]);
    let carries_both = asset(&[("tag_uuid", WEB), ("ipv4", "10.1.0.9")]);
    let who = policy.who_can(&carries_both, AccessPermissions::CAN_VIEW);
    assert!(matches!(
        &who[0].via,
        Via::Permission { object: GrantedObject::Tag { uuid: u, carried: TagCarried::Named, .. }, .. }
            if *u == uuid(WEB)
    ));
    // As `check` explains it.
    let decision = policy.check(
        &Subject::user(ALICE),
        Action::ASSET_VIEW,
        Resource::Asset(&carries_both),
    );
    let Some(ObjectGrant::Permission(grant)) = decision.object() else {
        panic!("{decision}")
    };
    assert_eq!(
        who[0].via,
        Via::Permission {
            permission: grant.permission,
            action: grant.action,
            object: grant.object.clone()
        }
    );
}

#[test]
fn access_groups_come_first_and_are_unchanged() {
    let group = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
        .with_id("g1")
        .with_rule(Rule::parse("ipv4", "eq", ["10.1.0.0/16"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let everyone = permission(1, &[PermissionAction::CanView])
        .with_object(PermissionObject::tag(uuid(LINUX)))
        .with_subject(PermissionSubject::user_group(NIL_UUID).unwrap());
    let policy = policy(vec![everyone], vec![group]);
    let who = policy.who_can(&asset(&[("ipv4", "10.1.0.9")]), AccessPermissions::CAN_VIEW);
    assert_eq!(who.len(), 2);
    assert_eq!(who[0].group().and_then(AccessGroup::id), Some("g1"));
    assert!(
        matches!(&who[0].reach, Reach::Principals(p) if p.len() == 1 && p[0].id() == Some(ALICE))
    );
    assert_eq!(who[1].permission().map(Permission::name), Some("p1"));
    // The All Users group (the nil uuid) reaches everyone.
    assert!(who[1].reach.reaches("anyone", &[] as &[&str], false));
}

#[test]
fn permissions_without_the_action_or_subjects_reach_nobody() {
    let edit_only = permission(1, &[PermissionAction::CanEdit, PermissionAction::CanUse])
        .with_object(PermissionObject::all_objects())
        .with_subject(PermissionSubject::all_users());
    let nobody =
        permission(2, &[PermissionAction::CanView]).with_object(PermissionObject::all_objects());
    let mssp = permission(3, &[PermissionAction::CanViewMssp])
        .with_object(PermissionObject::all_objects())
        .with_subject(PermissionSubject::all_users());
    let policy = policy(vec![edit_only, nobody, mssp], vec![]);
    assert!(
        policy
            .who_can(&Asset::new(), AccessPermissions::CAN_VIEW)
            .is_empty()
    );
    assert!(
        policy
            .who_can(&Asset::new(), AccessPermissions::CAN_SCAN)
            .is_empty()
    );
}

/// Whether `who_can` reaches directory user `user` (an administrator when `admin`),
/// read from the entries themselves.
fn reached(who: &[scangate::policy::WhoCan<'_>], user: &User, admin: bool) -> bool {
    who.iter().any(|entry| match &entry.reach {
        Reach::Everyone(_) => true,
        Reach::Principals(principals) => principals
            .iter()
            .any(|p| p.applies_to(user.id(), user.groups())),
        Reach::Subjects(subjects) => subjects
            .iter()
            .any(|s| s.applies_to(user.id(), user.groups(), admin)),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// On random policies with permissions, tags and access groups: `who_can` reaches a
    /// directory user exactly when layer 3 allows them (`is_allowed` with a role that
    /// passes layers 1–2: the user's own for viewing, whose `AllAdmins` standing it
    /// decides; the Security Manager's for scanning, which the Administrator lacks
    /// permScan for); every permission entry grants the action on an object covering the
    /// asset; and the permission `check` names for a user is listed with the same object.
    #[test]
    fn who_can_agrees_with_check(
        world in v3::world(),
        assets in proptest::collection::vec(v3::asset(), 1..10),
    ) {
        let policy = world.policy();
        for asset in &assets {
            for (permission, action, granting) in [
                (AccessPermissions::CAN_VIEW, Action::ASSET_VIEW, PermissionAction::CanView),
                (AccessPermissions::CAN_SCAN, Action::ASSET_SCAN, PermissionAction::CanScan),
            ] {
                let who = policy.who_can(asset, permission);
                for user in policy.users() {
                    let (subject, admin) = if permission == AccessPermissions::CAN_VIEW {
                        (Subject::user(user.id()), user.role() == RoleId::ADMINISTRATOR)
                    } else {
                        (Subject::user(user.id()).with_role(RoleId::SECURITY_MANAGER), false)
                    };
                    prop_assert_eq!(
                        reached(&who, user, admin),
                        policy.is_allowed(&subject, action, Resource::Asset(asset)),
                        "{} {} {:?} {:?}", user.id(), action, asset, who
                    );
                    let decision = policy.check(&subject, action, Resource::Asset(asset));
                    if let Some(ObjectGrant::Permission(grant)) = decision.object() {
                        let listed = Via::Permission {
                            permission: grant.permission,
                            action: grant.action,
                            object: grant.object.clone(),
                        };
                        prop_assert!(who.iter().any(|w| w.via == listed), "{} {:?}", decision, who);
                    }
                }
                for entry in &who {
                    let Via::Permission { permission: p, action: a, object } = &entry.via else {
                        prop_assert!(entry.permission().is_none());
                        continue;
                    };
                    prop_assert_eq!(*a, granting);
                    prop_assert!(p.grants(granting));
                    prop_assert_eq!(&entry.reach, &Reach::Subjects(p.subjects().iter().collect()));
                    match object {
                        GrantedObject::All(o) => {
                            prop_assert!(o.covers_all_assets() && p.objects().contains(o));
                        }
                        GrantedObject::Tag { uuid: u, tag, carried } => {
                            prop_assert!(p.objects().iter().all(|o| !o.covers_all_assets()));
                            prop_assert!(p.objects().contains(&PermissionObject::tag(*u)));
                            let named = asset.values(scangate::access::RuleType::TagUuid).iter()
                                .any(|v| v.to_string() == u.to_string());
                            match carried {
                                TagCarried::Named => prop_assert!(named),
                                TagCarried::Filter { .. } => {
                                    prop_assert!(!named);
                                    let control = policy.access_control();
                                    let filter = tag.and_then(TagValue::filter).unwrap();
                                    prop_assert!(filter.matches(asset, |x| control.tag_name(x)));
                                }
                                other => prop_assert!(false, "{:?}", other),
                            }
                        }
                        other => prop_assert!(false, "{:?}", other),
                    }
                }
            }
        }
    }
}
