//! Scanning targets through v3 permissions (`docs/semantics.md`, "Layer 3 v3: permissions
//! and tags"): a target no access group grants may be scanned through `CanScan` on every
//! asset or on a dynamic tag whose filter selects the target (as the asset a bare target
//! stands for: one `ipv4`/`ipv6` value, or a name as both `fqdn` and `hostname`). A static
//! tag never covers a bare target; a filter needing another attribute fails closed.
//! `check`, `is_allowed` and `partition_targets` agree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    AccessGroup, Action, Policy, Resource, RoleId, Subject, Target, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
    policy::{GrantedObject, ObjectGrant, TagCarried, TargetBy},
    tags::{
        AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
        PermissionSubject, TagFilter, TagValue,
    },
};

const ALICE: &str = "b83faeec-f790-433f-893c-88c48c82562e";
const CAROL: &str = "65b4e207-23a9-4338-996b-d075d813b03a";
const DMZ: &str = "001a56ef-2039-47c7-9dba-6ae6bd9c17c4";
const WINDOWS: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbcb";
const STATIC: &str = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

fn expr(field: &str, operator: &str, value: &str) -> FilterExpr {
    FilterExpr::Condition(FilterCondition::parse(field, operator, value).unwrap())
}

fn policy() -> Policy {
    let dmz = TagValue::dynamic(
        DMZ.parse().unwrap(),
        "Network",
        "DMZ",
        TagFilter::new(FilterExpr::Or(vec![
            expr("ipv4", "eq", "203.0.113.0/24"),
            expr("fqdn", "match", "dmz.example"),
        ]))
        .unwrap(),
    )
    .unwrap();
    // Needs an operating system: a bare target has none, so it never carries this tag.
    let windows = TagValue::dynamic(
        WINDOWS.parse().unwrap(),
        "OS",
        "Windows",
        TagFilter::new(FilterExpr::And(vec![
            expr("ipv4", "eq", "198.51.100.0/24"),
            expr("operating_system", "match", "windows"),
        ]))
        .unwrap(),
    )
    .unwrap();
    let fixed = TagValue::static_value(STATIC.parse().unwrap(), "Site", "Lab").unwrap();
    let scan_tags = Permission::new(
        "4c931fce-699c-4052-a43c-c953e71dd37b".parse().unwrap(),
        "Tag scanners",
    )
    .with_actions([PermissionAction::CanScan])
    .with_object(PermissionObject::tag(DMZ.parse().unwrap()))
    .with_object(PermissionObject::tag(WINDOWS.parse().unwrap()))
    .with_object(PermissionObject::tag(STATIC.parse().unwrap()))
    .with_subject(PermissionSubject::user(ALICE).unwrap());
    let view_only = Permission::new(
        "724884f3-24c4-42ca-a420-f630e3450e24".parse().unwrap(),
        "Viewers",
    )
    .with_actions([PermissionAction::CanView])
    .with_object(PermissionObject::all_assets())
    .with_subject(PermissionSubject::all_users());
    let scan_all = Permission::new(
        "b930505e-bf64-4621-a8bd-6c5eb9c5e628".parse().unwrap(),
        "Scan everything",
    )
    .with_actions([PermissionAction::CanScan])
    .with_object(PermissionObject::all_assets())
    .with_subject(PermissionSubject::user(CAROL).unwrap());
    let control = AccessControl::new(
        vec![dmz, windows, fixed],
        vec![scan_tags, view_only, scan_all],
    )
    .unwrap();
    let groups = AccessGroups::from_server([AccessGroup::new("Lab", AccessGroupType::ScanTargets)
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_SCAN))]);
    Policy::builder()
        .access_groups(groups)
        .access_control(control)
        .users([
            User::new(ALICE, RoleId::SECURITY_ANALYST),
            User::new(CAROL, RoleId::SECURITY_ANALYST),
        ])
        .build()
        .unwrap()
}

fn targets(list: &[&str]) -> Vec<Target> {
    list.iter().map(|t| t.parse().unwrap()).collect()
}

/// `check` and `is_allowed` give the same answer.
fn scan(policy: &Policy, user: &str, list: &[&str]) -> bool {
    let targets = targets(list);
    let subject = Subject::user(user);
    let decision = policy.check(&subject, Action::SCAN_RUN, Resource::Targets(&targets));
    let quick = policy.is_allowed(&subject, Action::SCAN_RUN, Resource::Targets(&targets));
    assert_eq!(decision.is_allowed(), quick, "{user} {list:?}: {decision}");
    decision.is_allowed()
}

#[test]
fn a_dynamic_tag_covers_the_targets_its_filter_selects() {
    let policy = policy();
    let list = targets(&["10.1.2.3", "203.0.113.9", "web.dmz.example"]);
    let decision = policy.check(
        &Subject::user(ALICE),
        Action::SCAN_RUN,
        Resource::Targets(&list),
    );
    let Some(ObjectGrant::Targets(grants)) = decision.object() else {
        panic!("{decision}");
    };
    // The access group first, then the permission through the DMZ tag (one condition each).
    assert_eq!(grants[0].by.group().map(AccessGroup::name), Some("Lab"));
    for (grant, condition) in grants[1..].iter().zip([0, 1]) {
        let TargetBy::Permission(p) = &grant.by else {
            panic!("{decision}");
        };
        assert_eq!(p.permission.name(), "Tag scanners");
        assert_eq!(p.action, PermissionAction::CanScan);
        let GrantedObject::Tag { tag, carried, .. } = &p.object else {
            panic!("{decision}");
        };
        assert_eq!(tag.unwrap().to_string(), "Network:DMZ");
        assert!(matches!(carried, TagCarried::Filter { position, .. } if *position == condition));
    }
    assert!(decision.to_string().contains(
        "`203.0.113.9` through permission `Tag scanners` grants CanScan on tag `Network:DMZ` \
         (filter condition 0: ipv4 eq `203.0.113.0/24`)"
    ));
}

#[test]
fn filters_needing_other_attributes_and_static_tags_cover_no_bare_target() {
    let policy = policy();
    // In the Windows tag's range, but a bare target has no operating system.
    assert!(!scan(&policy, ALICE, &["198.51.100.7"]));
    // Nothing covers it; the denial names the target.
    let list = targets(&["10.1.1.1", "192.0.2.1"]);
    let decision = policy.check(
        &Subject::user(ALICE),
        Action::SCAN_RUN,
        Resource::Targets(&list),
    );
    assert_eq!(
        decision.to_string(),
        format!(
            "deny `scan.run`: target `192.0.2.1` (#1) is in no access group, so `{ALICE}` may not scan it"
        )
    );
    assert!(scan(
        &policy,
        ALICE,
        &["10.1.1.1", "203.0.113.1", "a.dmz.example"]
    ));
}

#[test]
fn can_view_does_not_scan_and_all_assets_scans_everything() {
    let policy = policy();
    // Viewers (CanView on all assets, all users) do not make anyone a scanner.
    assert!(!scan(&policy, ALICE, &["192.0.2.1"]));
    // Carol holds CanScan on all assets.
    assert!(scan(
        &policy,
        CAROL,
        &["192.0.2.1", "2001:db8::1", "anything.example"]
    ));
    let list = targets(&["192.0.2.1"]);
    let decision = policy.check(
        &Subject::user(CAROL),
        Action::SCAN_RUN,
        Resource::Targets(&list),
    );
    assert!(decision.to_string().ends_with(
        "`192.0.2.1` through permission `Scan everything` grants CanScan on AllAssets to user `65b4e207-23a9-4338-996b-d075d813b03a`"
    ), "{decision}");
}

#[test]
fn partition_names_what_allows_each_target() {
    let policy = policy();
    let written = ["10.9.9.9", "203.0.113.200", "198.51.100.7", "not a target!"];
    let split = policy.partition_targets(&Subject::user(ALICE), &written);
    let allowed: Vec<&str> = split.allowed.iter().map(|a| a.written).collect();
    assert_eq!(allowed, ["10.9.9.9", "203.0.113.200"]);
    assert!(matches!(split.allowed[0].by, TargetBy::Group { .. }));
    assert!(matches!(split.allowed[1].by, TargetBy::Permission(_)));
    let skipped: Vec<usize> = split.skipped.iter().map(|s| s.index).collect();
    assert_eq!(skipped, [2, 3]);
    // Each allowed target is explained as `check` explains it alone.
    for allowed in &split.allowed {
        let one = [allowed.target.clone()];
        let decision = policy.check(
            &Subject::user(ALICE),
            Action::SCAN_RUN,
            Resource::Targets(&one),
        );
        let Some(ObjectGrant::Targets(grants)) = decision.object() else {
            panic!("{decision}");
        };
        assert_eq!(grants[0].by, allowed.by);
    }
}
