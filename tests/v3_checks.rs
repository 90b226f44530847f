//! Layer 3 with Tenable VM access control v3 (`docs/semantics.md`, "Layer 3 v3: permissions
//! and tags"), case by case: what a permission grants through a dynamic tag, a named tag,
//! all assets and all objects; to whom (a user, a user group, All Users, all
//! administrators); how conditions treat an asset lacking the attribute, `set-hasonly`
//! and `tag.<Category>`; the tag actions; and the sentences that explain each decision.
//! The random counterpart is `tests/engine_model_v3.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    AccessGroup, Action, Asset, Policy, Resource, RoleId, Subject, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule, Uuid},
    policy::{GrantedObject, ObjectGrant, TagCarried},
    tags::{
        AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
        PermissionSubject, TagFilter, TagValue,
    },
};

/// Alice: a Security Analyst in the Lab team.
const ALICE: &str = "b83faeec-f790-433f-893c-88c48c82562e";
/// Bob: an Administrator, in no team.
const BOB: &str = "5e6d4c3b-2a19-4f08-9e7d-6c5b4a392817";
/// The Lab team.
const LAB_TEAM: &str = "7d9e1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b";
/// All Users: the user group with the nil uuid.
const ALL_USERS: &str = "00000000-0000-0000-0000-000000000000";

const EXAMPLE_TAG: &str = "001a56ef-2039-47c7-9dba-6ae6bd9c17c4";
const PARIS_TAG: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbcb";
const EU_TAG: &str = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
/// A tag the policy does not define; a permission names it.
const UNDEFINED_TAG: &str = "a59ae831-2695-40b1-a9f9-9a26258f5486";

fn uuid(text: &str) -> Uuid {
    text.parse().unwrap()
}

fn condition(field: &str, operator: &str, value: &str) -> FilterExpr {
    FilterExpr::Condition(FilterCondition::parse(field, operator, value).unwrap())
}

/// A dynamic tag whose filter is an `and` of `conditions`.
fn dynamic(uuid_text: &str, category: &str, value: &str, conditions: Vec<FilterExpr>) -> TagValue {
    TagValue::dynamic(
        uuid(uuid_text),
        category,
        value,
        TagFilter::new(FilterExpr::And(conditions)).unwrap(),
    )
    .unwrap()
}

/// A permission granting `actions` on `object` to `subject`.
fn permission(
    n: u8,
    name: &str,
    actions: &[PermissionAction],
    object: PermissionObject,
    subject: PermissionSubject,
) -> Permission {
    Permission::new(
        uuid(&format!("4c931fce-699c-4052-a43c-c953e71dd3{n:02x}")),
        name,
    )
    .with_actions(actions.iter().copied())
    .with_object(object)
    .with_subject(subject)
}

fn policy(tags: Vec<TagValue>, permissions: Vec<Permission>) -> Policy {
    policy_with_groups(tags, permissions, Vec::new())
}

fn policy_with_groups(
    tags: Vec<TagValue>,
    permissions: Vec<Permission>,
    groups: Vec<AccessGroup>,
) -> Policy {
    Policy::builder()
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST).with_groups([LAB_TEAM]))
        .user(User::new(BOB, RoleId::ADMINISTRATOR))
        .access_groups(AccessGroups::from_server(groups))
        .access_control(AccessControl::new(tags, permissions).unwrap())
        .build()
        .unwrap()
}

fn asset(values: &[(&str, &str)]) -> Asset {
    values.iter().fold(Asset::new(), |a, (attribute, value)| {
        a.with(attribute, value).unwrap()
    })
}

/// The decision's sentence, checked against `is_allowed` on the way.
fn explain(policy: &Policy, user: &str, action: Action, resource: Resource<'_>) -> String {
    let subject = Subject::user(user);
    let decision = policy.check(&subject, action, resource);
    assert_eq!(
        policy.is_allowed(&subject, action, resource),
        decision.is_allowed(),
        "{decision}"
    );
    decision.to_string()
}

fn allowed(policy: &Policy, user: &str, action: Action, asset: &Asset) -> bool {
    policy.is_allowed(&Subject::user(user), action, Resource::Asset(asset))
}

/// Tenable's own example: the dynamic tag `Example:Custom Test` selects `192.168.0.0/24`,
/// and a permission grants `CanView` on it to the All Users group.
#[test]
fn a_dynamic_tag_on_a_subnet_grants_view_to_all_users() {
    let example = dynamic(
        EXAMPLE_TAG,
        "Example",
        "Custom Test",
        vec![condition("ipv4", "eq", "192.168.0.0/24")],
    );
    let policy = policy(
        vec![example],
        vec![permission(
            0,
            "Example viewers",
            &[PermissionAction::CanView],
            PermissionObject::tag(uuid(EXAMPLE_TAG)),
            PermissionSubject::user_group(ALL_USERS).unwrap(),
        )],
    );
    let inside = asset(&[("ipv4", "192.168.0.7")]);
    let outside = asset(&[("ipv4", "192.168.1.7")]);

    let decision = policy.check(
        &Subject::user(ALICE),
        Action::ASSET_VIEW,
        Resource::Asset(&inside),
    );
    match decision.object() {
        Some(ObjectGrant::Permission(grant)) => {
            assert_eq!(grant.permission.name(), "Example viewers");
            assert_eq!(grant.action, PermissionAction::CanView);
            assert!(grant.subject.is_everyone());
            match &grant.object {
                GrantedObject::Tag {
                    uuid: granted,
                    tag: Some(tag),
                    carried:
                        TagCarried::Filter {
                            position: 0,
                            value: Some(0),
                            ..
                        },
                } => {
                    assert_eq!(*granted, uuid(EXAMPLE_TAG));
                    assert_eq!(tag.to_string(), "Example:Custom Test");
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        decision.to_string(),
        "allow `asset.view`: role `Security Analyst` needs no permission for it; permission `Example viewers` grants CanView on tag `Example:Custom Test` (filter condition 0: ipv4 eq `192.168.0.0/24`) to user group All Users"
    );
    // Everyone: the administrator too, and a user the directory does not hold.
    assert!(allowed(&policy, BOB, Action::ASSET_VIEW, &inside));
    let stranger = Subject::user("11111111-2222-4333-8444-555555555555").with_role(RoleId::AUDITOR);
    assert!(policy.is_allowed(&stranger, Action::ASSET_VIEW, Resource::Asset(&inside)));
    // Viewing is not scanning.
    assert!(!allowed(&policy, ALICE, Action::ASSET_SCAN, &inside));
    // Outside the subnet nothing grants.
    assert_eq!(
        explain(
            &policy,
            ALICE,
            Action::ASSET_VIEW,
            Resource::Asset(&outside)
        ),
        format!(
            "deny `asset.view`: no access group contains the asset, so `{ALICE}` lacks CAN_VIEW"
        )
    );
}

/// A condition on an attribute the asset does not carry is false, for `neq` and `nmatch`
/// as for `eq` and `match`: a filter cannot select an asset for what it lacks.
#[test]
fn negated_conditions_on_a_missing_attribute_deny() {
    let not_db = dynamic(
        EXAMPLE_TAG,
        "Role",
        "Not the database",
        vec![condition("fqdn", "neq", "db.corp.example")],
    );
    let not_windows = dynamic(
        PARIS_TAG,
        "OS",
        "Not Windows",
        vec![condition("operating_system", "nmatch", "windows")],
    );
    let policy = policy(
        vec![not_db, not_windows],
        vec![
            permission(
                0,
                "Everyone views both",
                &[PermissionAction::CanView],
                PermissionObject::tag(uuid(EXAMPLE_TAG)),
                PermissionSubject::all_users(),
            )
            .with_object(PermissionObject::tag(uuid(PARIS_TAG))),
        ],
    );
    // Neither attribute: denied.
    let bare = asset(&[("ipv4", "10.0.0.1")]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &bare));
    // The attribute, not matching: allowed (the negated condition holds).
    let web = asset(&[("fqdn", "web.corp.example")]);
    assert_eq!(
        explain(&policy, ALICE, Action::ASSET_VIEW, Resource::Asset(&web)),
        "allow `asset.view`: role `Security Analyst` needs no permission for it; permission `Everyone views both` grants CanView on tag `Role:Not the database` (filter condition 0: fqdn neq `db.corp.example`) to all users"
    );
    let linux = asset(&[("operating_system", "Ubuntu 22.04")]);
    assert!(allowed(&policy, ALICE, Action::ASSET_VIEW, &linux));
    // The attribute, matching (in another case: names and operating systems ignore it).
    let db = asset(&[("fqdn", "DB.corp.example.")]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &db));
    let windows = asset(&[("operating_system", "Microsoft Windows Server 2019")]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &windows));
}

/// `set-hasonly` on sources: every source of the asset is listed (and it has one).
#[test]
fn set_hasonly_on_sources() {
    let scanned_only = dynamic(
        EXAMPLE_TAG,
        "Origin",
        "Scanned only",
        vec![condition(
            "sources",
            "set-hasonly",
            "NESSUS_SCAN, NESSUS_AGENT",
        )],
    );
    let policy = policy(
        vec![scanned_only],
        vec![permission(
            0,
            "Lab scans scanned assets",
            &[PermissionAction::CanScan],
            PermissionObject::tag(uuid(EXAMPLE_TAG)),
            PermissionSubject::user_group(LAB_TEAM).unwrap(),
        )],
    );
    let scanned = asset(&[("sources", "NESSUS_SCAN")]);
    let both = asset(&[("sources", "NESSUS_AGENT"), ("sources", "NESSUS_SCAN")]);
    let cloud_too = asset(&[("sources", "NESSUS_SCAN"), ("sources", "AWS")]);
    let unknown_origin = asset(&[("ipv4", "192.168.0.7")]);
    assert!(allowed(&policy, ALICE, Action::ASSET_SCAN, &scanned));
    assert!(allowed(&policy, ALICE, Action::ASSET_SCAN, &both));
    assert!(!allowed(&policy, ALICE, Action::ASSET_SCAN, &cloud_too));
    assert!(!allowed(
        &policy,
        ALICE,
        Action::ASSET_SCAN,
        &unknown_origin
    ));
    // Sources compare exactly.
    let lower = asset(&[("sources", "nessus_scan")]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_SCAN, &lower));
    // The explanation names the condition; no single value decided.
    let decision = policy.check(
        &Subject::user(ALICE),
        Action::ASSET_SCAN,
        Resource::Asset(&both),
    );
    match decision.object() {
        Some(ObjectGrant::Permission(grant)) => match &grant.object {
            GrantedObject::Tag {
                carried: TagCarried::Filter { value, .. },
                ..
            } => assert_eq!(*value, None),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(
        decision.to_string(),
        format!(
            "allow `asset.scan`: role `Security Analyst` holds permScan; permission `Lab scans scanned assets` grants CanScan on tag `Origin:Scanned only` (filter condition 0: sources set-hasonly `NESSUS_SCAN, NESSUS_AGENT`) to user group `{LAB_TEAM}`"
        )
    );
    // Bob is not in the Lab team.
    assert!(!allowed(&policy, BOB, Action::ASSET_SCAN, &scanned));
}

/// `tag.Location` conditions look at the tags of category `Location` the asset names in
/// `tag_uuid` (defined in the policy), by value name, exactly.
#[test]
fn tag_category_conditions() {
    let paris = TagValue::static_value(uuid(PARIS_TAG), "Location", "Paris").unwrap();
    let eu = dynamic(
        EU_TAG,
        "Zone",
        "EU",
        vec![condition("tag.Location", "set-has", "London, Paris")],
    );
    let not_tokyo = dynamic(
        EXAMPLE_TAG,
        "Zone",
        "Not Tokyo",
        vec![condition("tag.location", "set-hasnot", "Tokyo")],
    );
    let policy = policy(
        vec![paris, eu, not_tokyo],
        vec![
            permission(
                0,
                "EU viewers",
                &[PermissionAction::CanView],
                PermissionObject::tag(uuid(EU_TAG)),
                PermissionSubject::user(ALICE).unwrap(),
            )
            .with_object(PermissionObject::tag(uuid(EXAMPLE_TAG))),
        ],
    );
    // Naming Location:Paris (in any case: tag uuids are uuids) puts the asset in Zone:EU.
    let in_paris = asset(&[("tag_uuid", &PARIS_TAG.to_uppercase())]);
    assert_eq!(
        explain(
            &policy,
            ALICE,
            Action::ASSET_VIEW,
            Resource::Asset(&in_paris)
        ),
        "allow `asset.view`: role `Security Analyst` needs no permission for it; permission `EU viewers` grants CanView on tag `Zone:EU` (filter condition 0: tag.Location set-has `London, Paris`) to user `b83faeec-f790-433f-893c-88c48c82562e`"
    );
    // No Location tag at all: `set-has` fails, and `set-hasnot` on `location` (another
    // category: names compare exactly) fails too, the asset having no such tag.
    let nowhere = asset(&[("ipv4", "192.168.0.7")]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &nowhere));
    // A uuid the policy does not define names no category.
    let unknown = asset(&[("tag_uuid", UNDEFINED_TAG)]);
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &unknown));
    // Zone:EU applied by the server (named) counts as well, without its filter.
    let applied = asset(&[("tag_uuid", EU_TAG)]);
    assert!(allowed(&policy, ALICE, Action::ASSET_VIEW, &applied));
    // Bob is not the permission's subject.
    assert!(!allowed(&policy, BOB, Action::ASSET_VIEW, &in_paris));
}

/// `AllAdmins`: the users whose role is the Administrator role (the directory's, or given
/// inline).
#[test]
fn all_admins_are_the_administrators() {
    let policy = policy(
        Vec::new(),
        vec![permission(
            0,
            "Administrators",
            &[PermissionAction::CanView, PermissionAction::CanScan],
            PermissionObject::all_assets(),
            PermissionSubject::all_admins(),
        )],
    );
    let any = asset(&[("ipv4", "10.0.0.1")]);
    assert_eq!(
        explain(&policy, BOB, Action::ASSET_VIEW, Resource::Asset(&any)),
        "allow `asset.view`: role `Administrator` needs no permission for it; permission `Administrators` grants CanView on AllAssets to all administrators"
    );
    assert!(!allowed(&policy, ALICE, Action::ASSET_VIEW, &any));
    let alice_as_admin = Subject::user(ALICE).with_role(RoleId::ADMINISTRATOR);
    assert!(policy.is_allowed(&alice_as_admin, Action::ASSET_VIEW, Resource::Asset(&any)));
    // The per-user answer lists it for nobody, as the server does.
    let answer = policy.access_control().permissions_for(BOB, &[] as &[&str]);
    assert!(answer.granted.is_empty() && answer.available.is_empty());
}

/// A permission may name a tag the policy's `tags` do not hold: assets naming it carry it.
#[test]
fn a_permission_on_an_undefined_tag_grants_on_assets_naming_it() {
    let policy = policy(
        Vec::new(),
        vec![permission(
            0,
            "Legacy tag",
            &[PermissionAction::CanView],
            PermissionObject::tag(uuid(UNDEFINED_TAG)),
            PermissionSubject::user(ALICE).unwrap(),
        )],
    );
    let named = asset(&[("tag_uuid", UNDEFINED_TAG)]);
    assert_eq!(
        explain(&policy, ALICE, Action::ASSET_VIEW, Resource::Asset(&named)),
        format!(
            "allow `asset.view`: role `Security Analyst` needs no permission for it; permission `Legacy tag` grants CanView on tag `{UNDEFINED_TAG}` (the asset names it) to user `{ALICE}`"
        )
    );
    assert!(!allowed(
        &policy,
        ALICE,
        Action::ASSET_VIEW,
        &asset(&[("tag_uuid", EU_TAG)])
    ));
}

/// `CanViewMssp` (like the impersonation actions) is read and grants nothing here.
#[test]
fn can_view_mssp_grants_nothing() {
    let policy = policy(
        Vec::new(),
        vec![permission(
            0,
            "MSSP",
            &[PermissionAction::CanViewMssp],
            PermissionObject::all_objects(),
            PermissionSubject::all_users(),
        )],
    );
    let any = asset(&[("ipv4", "10.0.0.1")]);
    for user in [ALICE, BOB] {
        for action in [Action::ASSET_VIEW, Action::ASSET_SCAN, Action::ISSUE_READ] {
            assert!(!allowed(&policy, user, action, &any));
        }
    }
    assert!(!policy.is_allowed(
        &Subject::user(BOB),
        Action::TAG_USE,
        Resource::Tag(uuid(EU_TAG))
    ));
    // It still applies to everyone in the per-user answer.
    let answer = policy.access_control().permissions_for(ALICE, &[LAB_TEAM]);
    assert_eq!(answer.granted.len(), 1);
}

/// `tag.edit` / `tag.use`: `CanEdit` / `CanUse` on the tag, through a `Tag` object naming
/// it or `AllObjects`; `AllAssets` does not cover tags.
#[test]
fn tag_edit_and_tag_use() {
    let lab = TagValue::static_value(uuid(PARIS_TAG), "Site", "Lab").unwrap();
    let policy = policy(
        vec![lab],
        vec![
            permission(
                0,
                "Lab editors",
                &[PermissionAction::CanEdit],
                PermissionObject::tag(uuid(PARIS_TAG)),
                PermissionSubject::user_group(LAB_TEAM).unwrap(),
            ),
            permission(
                1,
                "Everything for admins",
                &[PermissionAction::CanUse, PermissionAction::CanEdit],
                PermissionObject::all_objects(),
                PermissionSubject::all_admins(),
            ),
            permission(
                2,
                "Assets for all",
                &[PermissionAction::CanUse, PermissionAction::CanEdit],
                PermissionObject::all_assets(),
                PermissionSubject::all_users(),
            ),
        ],
    );
    let lab_tag = Resource::Tag(uuid(PARIS_TAG));
    assert_eq!(
        explain(&policy, ALICE, Action::TAG_EDIT, lab_tag),
        format!(
            "allow `tag.edit`: role `Security Analyst` needs no permission for it; permission `Lab editors` grants CanEdit on tag `Site:Lab` to user group `{LAB_TEAM}`"
        )
    );
    assert_eq!(
        explain(&policy, ALICE, Action::TAG_USE, lab_tag),
        format!(
            "deny `tag.use`: no permission grants `{ALICE}` CanUse on tag `Site:Lab` (`{PARIS_TAG}`)"
        )
    );
    assert_eq!(
        explain(
            &policy,
            ALICE,
            Action::TAG_EDIT,
            Resource::Tag(uuid(EU_TAG))
        ),
        format!("deny `tag.edit`: no permission grants `{ALICE}` CanEdit on tag `{EU_TAG}`")
    );
    assert_eq!(
        explain(&policy, BOB, Action::TAG_USE, Resource::Tag(uuid(EU_TAG))),
        "allow `tag.use`: role `Administrator` needs no permission for it; permission `Everything for admins` grants CanUse on AllObjects to all administrators"
    );
    // The tag is required.
    assert_eq!(
        explain(&policy, BOB, Action::TAG_USE, Resource::None),
        "deny `tag.use`: needs a tag"
    );
    let any = asset(&[("ipv4", "10.0.0.1")]);
    assert_eq!(
        explain(&policy, BOB, Action::TAG_USE, Resource::Asset(&any)),
        "deny `tag.use`: needs a tag"
    );
}

/// Layer 3 allows when an access group or a permission does; when both do, the access
/// group explains (as without permissions).
#[test]
fn an_access_group_granting_too_explains() {
    let group = AccessGroup::new("Lab net", AccessGroupType::ManageAssets)
        .with_id("ag1")
        .with_rule(Rule::parse("ipv4", "eq", ["192.168.0.0/24"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let policy = policy_with_groups(
        Vec::new(),
        vec![permission(
            0,
            "All assets for all",
            &[PermissionAction::CanView],
            PermissionObject::all_assets(),
            PermissionSubject::all_users(),
        )],
        vec![group],
    );
    let inside = asset(&[("ipv4", "192.168.0.7")]);
    assert_eq!(
        explain(&policy, ALICE, Action::ASSET_VIEW, Resource::Asset(&inside)),
        format!(
            "allow `asset.view`: role `Security Analyst` needs no permission for it; access group `Lab net` (rule 0, term 0: `ipv4` `eq` `192.168.0.0/24`) contains the asset and grants CAN_VIEW to principal user `{ALICE}`"
        )
    );
    // Outside the group the permission grants.
    let outside = asset(&[("ipv4", "10.0.0.1")]);
    assert_eq!(
        explain(
            &policy,
            ALICE,
            Action::ASSET_VIEW,
            Resource::Asset(&outside)
        ),
        "allow `asset.view`: role `Security Analyst` needs no permission for it; permission `All assets for all` grants CanView on AllAssets to all users"
    );
}
