//! Plans with more than a thousand tests run on SQLite, whose expressions may be at most
//! 1,000 deep (`SQLITE_MAX_EXPR_DEPTH`) while `a OR b OR …` is as deep as it is long: the
//! renderer nests long `OR`/`AND` lists 16 to a level (`docs/semantics.md`, "Query plans").
//! Before, 1,500 address intervals of one group, or a tag filter of 1,000 conditions, were
//! "Expression tree is too large" errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/plan_db.rs"]
mod plan_db;

use plan_db::{sqlite_database, sqlite_select};
use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
use scangate::plan::Plan;
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
    PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Policy, Resource, RoleId, Subject, User};

const ALICE: &str = "00000000-0000-4000-8000-00000000000a";

/// The ids SQLite selects for `alice`'s view plan, and those `is_allowed` accepts.
fn run(policy: &Policy, assets: &[Asset]) -> (Vec<i64>, Vec<i64>) {
    let db = sqlite_database(assets);
    let alice = Subject::user(ALICE);
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    assert!(matches!(plan, Plan::Filter(_)));
    let ids = sqlite_select(&db, &plan);
    let expected = assets
        .iter()
        .enumerate()
        .filter(|(_, a)| policy.is_allowed(&alice, Action::ASSET_VIEW, Resource::Asset(a)))
        .map(|(id, _)| i64::try_from(id).unwrap())
        .collect();
    (ids, expected)
}

fn asset(attribute: &str, value: &str) -> Asset {
    Asset::new().with(attribute, value).unwrap()
}

#[test]
fn fifteen_hundred_address_intervals_of_access_groups() {
    // 10.0.x.y for even y: no two adjacent, so 1,500 intervals.
    let terms: Vec<String> = (0..1_500u32)
        .map(|i| {
            format!(
                "10.{}.{}.{}",
                (i * 2) >> 16,
                ((i * 2) >> 8) & 255,
                (i * 2) & 255
            )
        })
        .collect();
    let group = AccessGroup::new("many", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("ipv4", "eq", terms.iter().map(String::as_str)).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let policy = Policy::builder()
        .access_groups(AccessGroups::from_server([group]))
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    let assets: Vec<Asset> = ["10.0.0.0", "10.0.0.1", "10.0.11.182", "10.0.11.183"]
        .iter()
        .map(|a| asset("ipv4", a))
        .collect();
    let (ids, expected) = run(&policy, &assets);
    assert_eq!(ids, [0, 2]);
    assert_eq!(ids, expected);
}

#[test]
fn tag_filters_of_a_thousand_conditions_and_a_thousand_values() {
    let uuid = |i: usize| format!("5ca1ab1e-0000-4000-8000-{i:012}");
    // An `or` of 1,000 conditions, an `and` of 1,000, and one condition of 1,024 patterns.
    let or = TagFilter::new(FilterExpr::Or(
        (0..1_000)
            .map(|i| {
                FilterExpr::Condition(
                    FilterCondition::parse("fqdn", "match", &format!("host{i}x")).unwrap(),
                )
            })
            .collect(),
    ))
    .unwrap();
    let and = TagFilter::new(FilterExpr::And(
        (0..1_000)
            .map(|i| {
                FilterExpr::Condition(
                    FilterCondition::parse("operating_system", "nmatch", &format!("os{i}x"))
                        .unwrap(),
                )
            })
            .collect(),
    ))
    .unwrap();
    let patterns: Vec<String> = (0..1_024).map(|i| format!("cpe{i}x")).collect();
    let wide = TagFilter::new(FilterExpr::Or(vec![FilterExpr::Condition(
        FilterCondition::parse("installed_software", "match", &patterns.join(",")).unwrap(),
    )]))
    .unwrap();
    let tags = vec![
        TagValue::dynamic(uuid(0).parse().unwrap(), "C", "or", or).unwrap(),
        TagValue::dynamic(uuid(1).parse().unwrap(), "C", "and", and).unwrap(),
        TagValue::dynamic(uuid(2).parse().unwrap(), "C", "wide", wide).unwrap(),
    ];
    let view = tags.iter().fold(
        Permission::new(uuid(99).parse().unwrap(), "view")
            .with_actions([PermissionAction::CanView])
            .with_subject(PermissionSubject::user(ALICE).unwrap()),
        |p, t| p.with_object(PermissionObject::tag(t.uuid())),
    );
    let policy = Policy::builder()
        .access_control(AccessControl::new(tags, vec![view]).unwrap())
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    let assets = vec![
        asset("fqdn", "a.host999x.example"),         // 0: the `or`
        asset("fqdn", "a.host1000x.example"),        // 1: no
        asset("operating_system", "linux"),          // 2: the `and`
        asset("operating_system", "os17x"),          // 3: no
        asset("installed_software", "cpe:cpe1023x"), // 4: the wide condition
        asset("installed_software", "cpe1024x"),     // 5: no
    ];
    let (ids, expected) = run(&policy, &assets);
    assert_eq!(ids, [0, 2, 4]);
    assert_eq!(ids, expected);
}
