//! The engine's layer 3 (compiled index, precomputed grants) against plain loops with the
//! reference matcher, on random policies: same decision, same deciding group, rule, term
//! and principal, for directory users, inline subjects, assets and scan targets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use proptest::prelude::*;
use scangate::{
    AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Action, Asset, Grant,
    Membership, ObjectGrant, Policy, Principal, ReferenceMatcher, Resource, RoleId, Rule, Subject,
    Target, User,
};

const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
const TEAMS: [&str; 3] = ["t0", "t1", "t2"];

fn ip(a: u8, b: u8) -> String {
    format!("10.0.{a}.{b}")
}

fn rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        (
            0u8..4,
            0u8..8,
            prop_oneof![Just(24u8), Just(30), Just(32), Just(16)]
        )
            .prop_map(|(a, b, p)| Rule::parse(
                "ipv4",
                "eq",
                [format!("{}/{p}", ip(a, b * 30))]
            )
            .unwrap()),
        (0u8..4, 0u8..200, 0u8..55).prop_map(|(a, b, w)| Rule::parse(
            "ipv4",
            "eq",
            [format!("{}-{}", ip(a, b), ip(a, b + w))]
        )
        .unwrap()),
        (
            0u8..5,
            prop_oneof![Just("eq"), Just("starts"), Just("ends"), Just("match")]
        )
            .prop_map(|(n, op)| {
                let term = match op {
                    "eq" => format!("h{n}.example.com"),
                    "starts" => format!("h{n}"),
                    "ends" => format!("{n}.example.com"),
                    _ => format!("h*{n}.ex*"),
                };
                Rule::parse(if n % 2 == 0 { "fqdn" } else { "hostname" }, op, [term]).unwrap()
            }),
        (0u8..3).prop_map(|n| Rule::parse(
            "tag_uuid",
            "set-has",
            [format!("00000000-0000-0000-0000-00000000000{n}")]
        )
        .unwrap()),
    ]
}

fn permissions() -> impl Strategy<Value = AccessPermissions> {
    (0u8..4).prop_map(AccessPermissions::from_bits_truncate)
}

fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        (0..USERS.len(), permissions()).prop_map(|(u, p)| Principal::user(USERS[u], p)),
        (0..TEAMS.len(), permissions()).prop_map(|(t, p)| Principal::group(TEAMS[t], p)),
        permissions().prop_map(|p| Principal::group("00000000-0000-0000-0000-000000000000", p)),
        permissions().prop_map(Principal::all_users),
    ]
}

fn group(index: usize) -> impl Strategy<Value = AccessGroup> {
    (
        prop_oneof![3 => Just(AccessGroupType::ManageAssets), 2 => Just(AccessGroupType::ScanTargets), 1 => Just(AccessGroupType::All)],
        proptest::collection::vec(rule(), 0..4),
        proptest::collection::vec(principal(), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(kind, rules, principals, all_users, listed)| {
            let name = format!("group {index}");
            if kind == AccessGroupType::All {
                let group = AccessGroup::all_assets_group(&format!("g{index}")).with_name(&name);
                return if listed { group.with_principals(Some(principals)) } else { group };
            }
            AccessGroup::new(&name, kind)
                .with_id(&format!("g{index}"))
                .with_rules(rules)
                .with_principals(Some(principals))
                .with_all_users(all_users)
        })
}

fn policy() -> impl Strategy<Value = Policy> {
    (1usize..12)
        .prop_flat_map(|n| (0..n).map(group).collect::<Vec<_>>())
        .prop_map(|groups| {
            let users = USERS.iter().enumerate().map(|(i, u)| {
                User::new(*u, RoleId::SECURITY_ANALYST).with_groups(
                    TEAMS
                        .iter()
                        .enumerate()
                        .filter(|(t, _)| (i + t) % 2 == 0)
                        .map(|(_, t)| *t),
                )
            });
            Policy::builder()
                .access_groups(AccessGroups::from_server(groups))
                .users(users)
                .build()
                .unwrap()
        })
}

fn asset() -> impl Strategy<Value = Asset> {
    (
        proptest::option::of((0u8..4, any::<u8>())),
        proptest::option::of(0u8..6),
        proptest::option::of(0u8..4),
        any::<bool>(),
    )
        .prop_map(|(address, name, tag, as_fqdn)| {
            let mut asset = Asset::new();
            if let Some((a, b)) = address {
                asset = asset.with("ipv4", &ip(a, b)).unwrap();
            }
            if let Some(n) = name {
                asset = asset
                    .with(
                        if as_fqdn { "fqdn" } else { "hostname" },
                        &format!("h{n}.example.com"),
                    )
                    .unwrap();
            }
            if let Some(t) = tag {
                asset = asset
                    .with(
                        "tag_uuid",
                        &format!("00000000-0000-0000-0000-00000000000{t}"),
                    )
                    .unwrap();
            }
            asset
        })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        (0u8..4, any::<u8>()).prop_map(|(a, b)| ip(a, b).parse().unwrap()),
        (0u8..6).prop_map(|n| format!("h{n}.example.com").parse().unwrap()),
    ]
}

/// Plain loops: the first group in order that takes part (any group for targets and for
/// scanning an asset, where the reference matcher lets a SCAN_TARGETS group contain the
/// asset through its addresses only; groups that hold assets for viewing one), grants the
/// permission and contains the object.
fn reference<'a>(
    policy: &'a Policy,
    user: &str,
    groups: &[String],
    permission: AccessPermissions,
    contains: impl Fn(&AccessGroup) -> Option<Membership>,
    assets: bool,
) -> Option<(&'a AccessGroup, Membership, Grant<'a>)> {
    let scanning = permission == AccessPermissions::CAN_SCAN;
    policy
        .access_groups()
        .iter()
        .filter(|g| !assets || scanning || g.group_type() != AccessGroupType::ScanTargets)
        .find_map(|g| {
            let grant = g.grant(user, groups, permission)?;
            Some((g, contains(g)?, grant))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn asset_and_target_decisions_match_the_reference(policy in policy(), asset in asset(), target in target(), inline in any::<bool>()) {
        for user in USERS.iter().chain(["stranger"].iter()) {
            let directory_groups: Vec<String> = policy.user(user).map(|u| u.groups().to_vec()).unwrap_or_default();
            let inline_groups = vec!["t1".to_owned()];
            let (subject, groups) = if inline || policy.user(user).is_none() {
                (Subject::user(user).with_role(RoleId::SECURITY_ANALYST).with_groups(&inline_groups), inline_groups.clone())
            } else {
                (Subject::user(user), directory_groups)
            };
            for (action, permission) in [(Action::ASSET_VIEW, AccessPermissions::CAN_VIEW), (Action::ASSET_SCAN, AccessPermissions::CAN_SCAN)] {
                let decision = policy.check(&subject, action, Resource::Asset(&asset));
                let expected = reference(&policy, user, &groups, permission, |g| ReferenceMatcher.contains_asset(g, &asset), true);
                prop_assert_eq!(decision.is_allowed(), expected.is_some(), "{} {} {:?}", user, action, asset);
                prop_assert_eq!(policy.is_allowed(&subject, action, Resource::Asset(&asset)), expected.is_some());
                if let (Some(ObjectGrant::Asset { group, membership, grant, .. }), Some((g, m, gr))) = (decision.object(), expected) {
                    prop_assert!(std::ptr::eq(*group, g));
                    prop_assert_eq!(*membership, m);
                    prop_assert_eq!(grant, &gr);
                }
                let filter = policy.asset_filter(&subject, action);
                prop_assert_eq!(filter.allows(&asset), expected.is_some());
            }
            let targets = [target.clone()];
            let decision = policy.check(&subject, Action::SCAN_RUN, Resource::Targets(&targets));
            let expected = reference(&policy, user, &groups, AccessPermissions::CAN_SCAN, |g| ReferenceMatcher.contains_target(g, &target), false);
            prop_assert_eq!(decision.is_allowed(), expected.is_some(), "{} scan {}", user, target);
            if let (Some(ObjectGrant::Targets(grants)), Some((g, m, _))) = (decision.object(), expected) {
                prop_assert!(std::ptr::eq(grants[0].group, g));
                prop_assert_eq!(grants[0].membership, m);
            }
        }
    }
}
