//! The asset filter covers v3 permissions (`docs/semantics.md`, "Beyond `check`"): a row
//! is allowed when a granted access group contains it **or** a permission grants the
//! subject the action on every asset or on a tag the row carries (named in `tag_uuid`, or
//! selected by a dynamic tag's filter), exactly as `is_allowed` decides it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/v3.rs"]
mod v3;

use proptest::prelude::*;
use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
    PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Policy, Resource, RoleId, ScopeSet, Subject, User};

const ALICE: &str = "b83faeec-f790-433f-893c-88c48c82562e";
const WEB: &str = "7ad1d2c3-0a44-4f06-9bd2-0bbf2a4b6a01";
const LINUX: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbcb";
const UNDEFINED: &str = "0c1b2a39-8d7e-4f60-9a5b-4c3d2e1f0a9b";

fn uuid(s: &str) -> scangate::access::Uuid {
    s.parse().unwrap()
}

/// A permission granting `actions` on `object` to alice.
fn grant(n: u8, actions: &[PermissionAction], object: PermissionObject) -> Permission {
    Permission::new(
        uuid(&format!("40000000-0000-4000-8000-0000000000{n:02}")),
        &format!("p{n}"),
    )
    .with_actions(actions.iter().copied())
    .with_object(object)
    .with_subject(PermissionSubject::user(ALICE).unwrap())
}

/// `Env:Web` is static; `OS:Linux` is dynamic: 10.1.0.0/16 assets whose operating system
/// does not match `windows`.
fn tags() -> Vec<TagValue> {
    let linux = TagFilter::new(FilterExpr::And(vec![
        FilterExpr::Condition(FilterCondition::parse("ipv4", "eq", "10.1.0.0/16").unwrap()),
        FilterExpr::Condition(
            FilterCondition::parse("operating_system", "nmatch", "windows").unwrap(),
        ),
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

fn alice() -> Subject<'static> {
    Subject::user(ALICE)
}

fn asset(pairs: &[(&str, &str)]) -> Asset {
    pairs
        .iter()
        .fold(Asset::new(), |a, (k, v)| a.with(k, v).unwrap())
}

/// The filter and `is_allowed` agree on `rows`; returns the filter's answers.
fn rows(policy: &Policy, subject: &Subject<'_>, action: Action, rows: &[Asset]) -> Vec<bool> {
    let filter = policy.asset_filter(subject, action);
    rows.iter()
        .map(|row| {
            let allowed = filter.allows(row);
            assert_eq!(
                allowed,
                policy.is_allowed(subject, action, Resource::Asset(row)),
                "{action} {row:?}"
            );
            allowed
        })
        .collect()
}

#[test]
fn a_static_tag_grant_shows_the_rows_naming_the_tag() {
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanView],
            PermissionObject::tag(uuid(WEB)),
        )],
        vec![],
    );
    let named = asset(&[("tag_uuid", WEB)]);
    let other = asset(&[("tag_uuid", LINUX), ("ipv4", "10.2.0.1")]);
    assert_eq!(
        rows(
            &policy,
            &alice(),
            Action::ASSET_VIEW,
            &[named.clone(), other]
        ),
        [true, false]
    );
    // Viewing is not scanning.
    assert_eq!(
        rows(&policy, &alice(), Action::ASSET_SCAN, &[named]),
        [false]
    );
}

#[test]
fn a_dynamic_tag_grant_shows_the_rows_its_filter_selects() {
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanScan],
            PermissionObject::tag(uuid(LINUX)),
        )],
        vec![],
    );
    let linux = asset(&[("ipv4", "10.1.2.3"), ("operating_system", "Ubuntu 22.04")]);
    let windows = asset(&[("ipv4", "10.1.2.4"), ("operating_system", "Windows 11")]);
    // No operating system: `nmatch` does not hold (fail closed).
    let unknown_os = asset(&[("ipv4", "10.1.2.5")]);
    let elsewhere = asset(&[("ipv4", "10.2.2.3"), ("operating_system", "Ubuntu 22.04")]);
    // Naming the dynamic tag carries it too (the server applied it).
    let applied = asset(&[("tag_uuid", LINUX)]);
    assert_eq!(
        rows(
            &policy,
            &alice(),
            Action::ASSET_SCAN,
            &[linux, windows, unknown_os, elsewhere, applied]
        ),
        [true, false, false, false, true]
    );
}

#[test]
fn all_assets_shows_every_row_without_any_group() {
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanView],
            PermissionObject::all_assets(),
        )],
        vec![],
    );
    let filter = policy.asset_filter(&alice(), Action::ASSET_VIEW);
    assert!(filter.allows(&Asset::new()));
    assert_eq!(filter.heap_bytes(), 0, "nothing to look up per row");
    assert_eq!(
        rows(
            &policy,
            &alice(),
            Action::ISSUE_READ,
            &[asset(&[("ipv4", "10.9.9.9")])]
        ),
        [true]
    );
    // All Assets is not a tag: it grants no `CanScan` it does not list.
    assert_eq!(
        rows(&policy, &alice(), Action::ASSET_SCAN, &[Asset::new()]),
        [false]
    );
}

#[test]
fn a_tag_only_a_permission_names_is_carried_by_the_rows_naming_it() {
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanView],
            PermissionObject::tag(uuid(UNDEFINED)),
        )],
        vec![],
    );
    assert_eq!(
        rows(
            &policy,
            &alice(),
            Action::ASSET_VIEW,
            &[
                asset(&[("tag_uuid", UNDEFINED)]),
                asset(&[("tag_uuid", WEB)])
            ]
        ),
        [true, false]
    );
}

#[test]
fn groups_and_permissions_each_allow_rows() {
    let group = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("ipv4", "eq", ["10.3.0.0/16"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanView],
            PermissionObject::tag(uuid(WEB)),
        )],
        vec![group],
    );
    assert_eq!(
        rows(
            &policy,
            &alice(),
            Action::ASSET_VIEW,
            &[
                asset(&[("ipv4", "10.3.0.1")]),
                asset(&[("tag_uuid", WEB)]),
                asset(&[("ipv4", "10.4.0.1")]),
            ]
        ),
        [true, true, false]
    );
}

#[test]
fn permissions_grant_only_their_subjects() {
    let policy = policy(
        vec![grant(
            1,
            &[PermissionAction::CanView],
            PermissionObject::all_objects(),
        )],
        vec![],
    );
    let row = [Asset::new()];
    // Another user, given inline.
    let bob =
        Subject::user("6f0c8d4e-0f5a-4c1e-9f3b-2a7d5e6c4b1a").with_role(RoleId::SECURITY_ANALYST);
    assert_eq!(rows(&policy, &bob, Action::ASSET_VIEW, &row), [false]);
    // An organization key holds no permission.
    let key: ScopeSet = "issues:read".parse().unwrap();
    let filter = policy.asset_filter(&Subject::api_key(key), Action::ISSUE_READ);
    assert!(!filter.allows(&Asset::new()));
    assert!(filter.denial().is_some());
}

/// 5,000 dynamic tags of 10 conditions (an /24 anchor each, then nine `nmatch`
/// conditions), granted to alice one in `every`.
fn five_thousand_tags(every: u32) -> Policy {
    let mut tags = Vec::new();
    for i in 0..5_000u32 {
        let mut members = vec![FilterExpr::Condition(
            FilterCondition::parse("ipv4", "eq", &format!("10.{}.{}.0/24", i / 256, i % 256))
                .unwrap(),
        )];
        for k in 0..9 {
            members.push(FilterExpr::Condition(
                FilterCondition::parse("operating_system", "nmatch", &format!("os{k}x{i}"))
                    .unwrap(),
            ));
        }
        let filter = TagFilter::new(FilterExpr::And(members)).unwrap();
        tags.push(
            TagValue::dynamic(
                uuid(&format!("30000000-0000-4000-8000-{i:012}")),
                "Net",
                &format!("n{i}"),
                filter,
            )
            .unwrap(),
        );
    }
    let mut granted = Permission::new(uuid("40000000-0000-4000-8000-000000000001"), "nets")
        .with_actions([PermissionAction::CanView])
        .with_subject(PermissionSubject::user(ALICE).unwrap());
    for t in tags.iter().step_by(every as usize) {
        granted = granted.with_object(PermissionObject::tag(t.uuid()));
    }
    Policy::builder()
        .access_control(AccessControl::new(tags, vec![granted]).unwrap())
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap()
}

#[test]
fn a_filter_over_five_thousand_tags_decides_rows_fast() {
    // Rows hit one tag's /24 or none. Timed, not asserted: the rates are printed
    // (`cargo test --release --test asset_filter_permissions five_thousand -- --nocapture`).
    let rows: Vec<Asset> = (0..2_000u32)
        .map(|i| {
            // Half the rows outside every tag's /24; a third of the rest run `os0x…`.
            let first = if i % 2 == 0 { 10 } else { 30 };
            let os = if i % 3 == 0 {
                format!("os0x{i}")
            } else {
                "linux".to_owned()
            };
            asset(&[
                ("ipv4", &format!("{first}.{}.{}.7", i / 256, i % 256)),
                ("operating_system", &os),
            ])
        })
        .collect();
    for every in [1, 100] {
        let policy = five_thousand_tags(every);
        let started = std::time::Instant::now();
        let filter = policy.asset_filter(&alice(), Action::ASSET_VIEW);
        let compiled = started.elapsed();
        let rate = |f: &dyn Fn(&Asset) -> bool| {
            let started = std::time::Instant::now();
            let mut allowed = 0;
            for _ in 0..5 {
                allowed += rows.iter().filter(|r| f(r)).count();
            }
            (
                (5 * rows.len()) as f64 / started.elapsed().as_secs_f64(),
                allowed / 5,
            )
        };
        let (filter_rate, allowed) = rate(&|r| filter.allows(r));
        let (check_rate, checked) =
            rate(&|r| policy.is_allowed(&alice(), Action::ASSET_VIEW, Resource::Asset(r)));
        println!(
            "5,000 dynamic tags, 1 in {every} granted: filter compiled in {compiled:?}, \
             {filter_rate:.0} rows/s (is_allowed: {check_rate:.0} rows/s); {allowed} of {} rows allowed",
            rows.len()
        );
        let expected = (0..2_000u32)
            .filter(|i| i % 2 == 0 && i % 3 != 0 && i % every == 0)
            .count();
        assert_eq!((allowed, checked), (expected, expected));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// On random policies with permissions, static and dynamic tags (nested filters,
    /// negations, extra attributes, `tag.<category>`), tags only permissions name, and
    /// access groups: the filter of every subject and asset action allows exactly the
    /// rows `is_allowed` allows.
    #[test]
    fn the_filter_decides_every_row_as_is_allowed(
        world in v3::world(),
        assets in proptest::collection::vec(v3::asset(), 1..12),
        inline_teams in 0u8..8,
    ) {
        let policy = world.policy();
        let teams: Vec<String> = (0..v3::TEAMS)
            .filter(|t| inline_teams >> t & 1 == 1)
            .map(v3::team)
            .collect();
        let ids: Vec<String> = (0..v3::USERS).map(v3::user).chain([v3::stranger()]).collect();
        let mut subjects: Vec<Subject<'_>> = Vec::new();
        for id in &ids {
            subjects.push(Subject::user(id));
            subjects.push(Subject::user(id).with_role(RoleId::ADMINISTRATOR));
            subjects.push(Subject::user(id).with_role(RoleId::SECURITY_MANAGER).with_groups(&teams));
        }
        let key: ScopeSet = "issues:read scans:read".parse().unwrap();
        subjects.push(Subject::api_key(key));
        subjects.push(Subject::user(&ids[0]).with_scopes(key));
        for subject in &subjects {
            for action in [Action::ASSET_VIEW, Action::ASSET_SCAN, Action::ISSUE_READ, Action::TAG_EDIT, Action::SCAN_READ] {
                let filter = policy.asset_filter(subject, action);
                for asset in &assets {
                    prop_assert_eq!(
                        filter.allows(asset),
                        policy.is_allowed(subject, action, Resource::Asset(asset)),
                        "{:?} {} {:?}", subject, action, asset
                    );
                }
            }
        }
    }
}
