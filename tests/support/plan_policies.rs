//! Random policies, subjects and assets for the query-plan tests (`tests/query_plan*.rs`):
//! every rule type and operator, overlapping and nested IPv4/IPv6 ranges, wildcards
//! anywhere, hostile strings (`'`, `"`, `%`, `_`, `\`, `*`, uppercase and non-ASCII letters
//! whose lowercase differs in length), every group type, All Assets, principals of every
//! kind. Terms and values are those of `values.rs` with [`Texts::HOSTILE`]; the groups,
//! principals, users and subjects are the plan tests' own.
#![allow(dead_code)] // each test file uses a part

#[path = "values.rs"]
mod values;

use proptest::prelude::*;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule, RuleType,
};
use scangate::{AccessGroup, Action, Asset, Policy, RoleId, ScopeSet, Subject, User};
use values::Texts;

pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
pub const TEAMS: [&str; 3] = ["t0", "t1", "t2"];

/// The actions a plan answers exactly: viewing, scanning, and issues about an asset.
pub const ACTIONS: [Action; 4] = [
    Action::ASSET_VIEW,
    Action::ASSET_SCAN,
    Action::ISSUE_READ,
    Action::ISSUE_MANAGE,
];

/// A rule of any type and operator over hostile texts ([`Texts::HOSTILE`]).
pub fn rule() -> impl Strategy<Value = Rule> {
    values::rule(Texts::HOSTILE)
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

/// One asset value over hostile texts: an attribute and a text for it.
pub fn attribute_value() -> impl Strategy<Value = (RuleType, String)> {
    values::attribute_value(Texts::HOSTILE)
}

/// An asset of up to five values over hostile texts.
pub fn asset() -> impl Strategy<Value = Asset> {
    values::asset(Texts::HOSTILE)
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
