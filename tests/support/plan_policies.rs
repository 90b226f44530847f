//! Random policies, subjects and assets for the query-plan tests (`tests/query_plan*.rs`):
//! every rule type and operator, overlapping and nested IPv4/IPv6 ranges, wildcards
//! anywhere, hostile strings (`'`, `"`, `%`, `_`, `\`, `*`, uppercase and non-ASCII letters
//! whose lowercase differs in length), every group type, All Assets, principals of every
//! kind. Adapted from the generators of `tests/index_equivalence.rs` and
//! `tests/engine_reference.rs`, over small alphabets so that terms and values meet often.
#![allow(dead_code)] // each test file uses a part

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule, RuleType,
};
use scangate::{AccessGroup, Action, Asset, Policy, RoleId, ScopeSet, Subject, User};

pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
pub const TEAMS: [&str; 3] = ["t0", "t1", "t2"];

/// The actions a plan answers exactly: viewing, scanning, and issues about an asset.
pub const ACTIONS: [Action; 4] = [
    Action::ASSET_VIEW,
    Action::ASSET_SCAN,
    Action::ISSUE_READ,
    Action::ISSUE_MANAGE,
];

fn v4() -> BoxedStrategy<u32> {
    prop_oneof![
        6 => (0u32..600).prop_map(|x| 0x0A00_0000 + x),
        1 => Just(0u32),
        1 => u32::MAX - 3..=u32::MAX,
        1 => any::<u32>(),
    ]
    .boxed()
}

fn v6() -> BoxedStrategy<u128> {
    let base: u128 = 0x2001_0db8 << 96;
    prop_oneof![
        6 => (0u128..600).prop_map(move |x| base + x),
        1 => Just(0u128),
        1 => Just(u128::MAX),
        1 => (0u32..600).prop_map(|x| 0xffff_0a00_0000 + u128::from(x)), // ::ffff:10.0.x.x
        1 => any::<u128>(),
    ]
    .boxed()
}

fn v4_term() -> BoxedStrategy<String> {
    prop_oneof![
        v4().prop_map(|a| Ipv4Addr::from(a).to_string()),
        (
            v4(),
            prop::sample::select(vec![0u32, 1, 8, 16, 22, 24, 26, 28, 30, 31, 32])
        )
            .prop_map(|(a, p)| format!("{}/{p}", Ipv4Addr::from(a))),
        (v4(), v4()).prop_map(|(a, b)| format!(
            "{}-{}",
            Ipv4Addr::from(a.min(b)),
            Ipv4Addr::from(a.max(b))
        )),
    ]
    .boxed()
}

fn v6_term() -> BoxedStrategy<String> {
    prop_oneof![
        v6().prop_map(|a| Ipv6Addr::from(a).to_string()),
        (
            v6(),
            prop::sample::select(vec![0u32, 1, 32, 96, 104, 120, 124, 127, 128])
        )
            .prop_map(|(a, p)| format!("{}/{p}", Ipv6Addr::from(a))),
        (v6(), v6()).prop_map(|(a, b)| format!(
            "{}-{}",
            Ipv6Addr::from(a.min(b)),
            Ipv6Addr::from(a.max(b))
        )),
    ]
    .boxed()
}

fn mac() -> BoxedStrategy<String> {
    (0u8..4, any::<bool>(), any::<bool>())
        .prop_map(|(x, dash, up)| {
            let s = if dash { '-' } else { ':' };
            let m = format!("0a{s}0b{s}00{s}00{s}00{s}0{x}");
            if up { m.to_uppercase() } else { m }
        })
        .boxed()
}

fn uuid() -> BoxedStrategy<String> {
    (0u8..4, any::<bool>())
        .prop_map(|(x, up)| {
            let u = format!("a59ae831-2695-40b1-a9f9-9a26258f548{x}");
            if up { u.to_uppercase() } else { u }
        })
        .boxed()
}

/// Hostile characters: SQL quotes, `LIKE` wildcards and escape, the `match` wildcard,
/// uppercase, and letters whose lowercase is longer (`İ`) or ASCII (`K`, the Kelvin sign).
const HOSTILE: &str = "[ab%_'\"\\\\AB.éİK]";

fn re(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern).unwrap().boxed()
}

fn name_text() -> BoxedStrategy<String> {
    prop_oneof![3 => re("[abAB.]{1,8}"), 1 => re(&format!("{HOSTILE}{{1,6}}"))].boxed()
}

fn pattern_text() -> BoxedStrategy<String> {
    prop_oneof![
        re("[abAB.*]{1,8}"),
        Just("*".to_owned()).boxed(),
        re("[ab]{1,3}\\*[ab.]{1,4}\\*[ab]{0,2}"),
        re(&format!("{HOSTILE}{{0,3}}\\*{HOSTILE}{{1,3}}")),
        re("[ab%_*\\\\']{1,6}"),
    ]
    .boxed()
}

fn term_text(ty: RuleType, op: &str) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4_term(),
        RuleType::Ipv6 => v6_term(),
        RuleType::MacAddress => mac(),
        RuleType::QualysAssetId | RuleType::QualysHostId => "0{0,2}[1-3]".boxed(),
        RuleType::TagUuid | RuleType::NetworkId => uuid(),
        RuleType::Fqdn | RuleType::Hostname | RuleType::OperatingSystem if op == "match" => {
            pattern_text()
        }
        RuleType::Fqdn | RuleType::Hostname => name_text(),
        RuleType::OperatingSystem => {
            prop_oneof![re("[abAB ]{1,5}"), re(&format!("{HOSTILE}{{1,5}}"))].boxed()
        }
        _ => prop_oneof![re("[aAbB]{1,2}"), re(&format!("{HOSTILE}{{1,3}}"))].boxed(),
    }
}

fn value_text(ty: RuleType) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4().prop_map(|a| Ipv4Addr::from(a).to_string()).boxed(),
        RuleType::Ipv6 => v6().prop_map(|a| Ipv6Addr::from(a).to_string()).boxed(),
        RuleType::Fqdn | RuleType::Hostname => {
            prop_oneof![3 => re("[abAB.]{1,14}"), 1 => re(&format!("{HOSTILE}{{1,10}}"))].boxed()
        }
        RuleType::OperatingSystem => {
            prop_oneof![re("[abAB ]{1,8}"), re(&format!("{HOSTILE}{{1,8}}"))].boxed()
        }
        other => term_text(other, "eq"),
    }
}

fn rule_type() -> BoxedStrategy<RuleType> {
    prop_oneof![
        3 => Just(RuleType::Ipv4),
        2 => Just(RuleType::Ipv6),
        3 => Just(RuleType::Fqdn),
        2 => Just(RuleType::Hostname),
        2 => Just(RuleType::OperatingSystem),
        1 => Just(RuleType::TagUuid),
        3 => (0..RuleType::COUNT).prop_map(|i| RuleType::ALL[i]),
    ]
    .boxed()
}

pub fn rule() -> impl Strategy<Value = Rule> {
    (rule_type(), any::<prop::sample::Index>())
        .prop_flat_map(|(ty, op)| {
            let op = *op.get(ty.operators());
            (
                Just(ty),
                Just(op),
                prop::collection::vec(term_text(ty, op.as_str()), 0..4),
            )
        })
        .prop_filter_map("term rejected (a name of only `.`)", |(ty, op, terms)| {
            Rule::new(ty, op, &terms).ok()
        })
}

fn permissions() -> impl Strategy<Value = AccessPermissions> {
    (0u8..4).prop_map(AccessPermissions::from_bits_truncate)
}

fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        3 => (0..USERS.len(), permissions()).prop_map(|(u, p)| Principal::user(USERS[u], p)),
        2 => (0..TEAMS.len(), permissions()).prop_map(|(t, p)| Principal::group(TEAMS[t], p)),
        1 => permissions().prop_map(|p| Principal::group("00000000-0000-0000-0000-000000000000", p)),
        1 => permissions().prop_map(Principal::all_users),
    ]
}

fn group(index: usize) -> impl Strategy<Value = AccessGroup> {
    (
        prop_oneof![8 => Just(AccessGroupType::ManageAssets), 5 => Just(AccessGroupType::ScanTargets), 1 => Just(AccessGroupType::All)],
        prop::collection::vec(rule(), 0..5),
        prop::collection::vec(principal(), 0..3),
        0u8..8,
    )
        .prop_map(move |(kind, rules, principals, flags)| {
            let name = format!("group {index}");
            if kind == AccessGroupType::All {
                let group = AccessGroup::all_assets_group(&format!("g{index}")).with_name(&name);
                return if flags % 2 == 0 { group.with_principals(Some(principals)) } else { group };
            }
            AccessGroup::new(&name, kind)
                .with_id(&format!("g{index}"))
                .with_rules(rules)
                .with_principals(Some(principals))
                .with_all_users(flags == 0)
        })
}

/// A policy of 1 to `max_groups - 1` groups and four directory users: `u0`–`u2` Security
/// Analysts (may scan) in some teams, `u3` an Auditor (may not scan).
pub fn policy(max_groups: usize) -> impl Strategy<Value = Policy> {
    (1usize..max_groups)
        .prop_flat_map(|n| (0..n).map(group).collect::<Vec<_>>())
        .prop_map(|groups| {
            let users = USERS.iter().enumerate().map(|(i, u)| {
                let role = if i == 3 {
                    RoleId::AUDITOR
                } else {
                    RoleId::SECURITY_ANALYST
                };
                User::new(*u, role).with_groups(
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

/// One asset value: an attribute and a text for it.
pub fn attribute_value() -> impl Strategy<Value = (RuleType, String)> {
    rule_type().prop_flat_map(|ty| (Just(ty), value_text(ty)))
}

pub fn asset() -> impl Strategy<Value = Asset> {
    prop::collection::vec(
        rule_type().prop_flat_map(|ty| (Just(ty), value_text(ty))),
        0..6,
    )
    .prop_map(|values| {
        let mut asset = Asset::new();
        for (ty, v) in values {
            let _ = asset.insert(ty, &v); // a name of only `.` is rejected: skip it
        }
        asset
    })
}

/// The inline teams of [`subjects`]' inline subject.
pub static INLINE_TEAMS: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| vec!["t2".to_owned()]);

/// The subjects to ask about: the directory users, a user with an inline role and
/// inline teams, a user missing from the directory, and an organization key.
pub fn subjects() -> Vec<Subject<'static>> {
    let mut subjects: Vec<Subject<'static>> = USERS.iter().map(|u| Subject::user(u)).collect();
    subjects.push(
        Subject::user("u1")
            .with_role(RoleId::SECURITY_MANAGER)
            .with_groups(&INLINE_TEAMS),
    );
    subjects.push(Subject::user("nobody"));
    subjects.push(Subject::api_key(
        "issues:read scans:run".parse::<ScopeSet>().unwrap(),
    ));
    subjects
}
