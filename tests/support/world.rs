//! Small worlds: four users, three teams, custom roles with any permissions, and access
//! groups of every type whose rules, assets and targets are drawn from small pools
//! (addresses `10.0.a.b`, `2001:db8::x`, names `h{n}.example.com`, a few tags and MAC
//! addresses), so that rules and objects meet, overlap and miss often. A [`World`] is plain
//! data, so that a test can change one thing and build the policy again.

use std::ops::Range;

use proptest::prelude::*;
use scangate::access::NIL_UUID;
use scangate::{
    AccessGroup, Asset, Policy, Role, RoleId, Target, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
};

use super::permissions::custom_permissions;

/// The users of a world's directory (each may be left out of it).
pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
/// A user id no directory entry names; principals name it sometimes.
pub const STRANGER: &str = "stranger";
/// The teams (user groups).
pub const TEAMS: [&str; 3] = ["t0", "t1", "t2"];
/// The id of the first custom role.
pub const FIRST_CUSTOM: u64 = 1_000_001;

/// Address `10.0.a.b`.
pub fn ip(a: u8, b: u8) -> String {
    format!("10.0.{a}.{b}")
}

/// Tag UUID number `n` (`n` < 10).
pub fn tag(n: u8) -> String {
    format!("00000000-0000-0000-0000-00000000000{n}")
}

/// The rule types and operators of the worlds, IPv4 most often: addresses (single, CIDR,
/// range), names under every operator, tags and MAC addresses.
pub const RULE_KINDS: [(&str, &str); 16] = [
    ("ipv4", "eq"),
    ("ipv4", "eq"),
    ("ipv4", "eq"),
    ("ipv4", "eq"),
    ("ipv6", "eq"),
    ("fqdn", "eq"),
    ("fqdn", "starts"),
    ("fqdn", "ends"),
    ("fqdn", "match"),
    ("hostname", "eq"),
    ("hostname", "starts"),
    ("hostname", "ends"),
    ("hostname", "match"),
    ("tag_uuid", "set-has"),
    ("tag_uuid", "set-has"),
    ("mac_address", "eq"),
];

/// A term of this type and operator (one of [`RULE_KINDS`]) from a seed, so that terms and
/// assets often meet. IPv4 terms are `/24` networks, single addresses, ranges of 60
/// addresses, networks of prefix 16, 24, 30 or 32 around `10.0.a.(30·k)` (host bits set),
/// and ranges of up to 55 addresses.
pub fn term(ty: &str, op: &str, seed: u32) -> String {
    let a = (seed % 4) as u8;
    let b = (seed / 4 % 256) as u8;
    let more = seed >> 16;
    let n = seed % 6;
    match (ty, op) {
        ("ipv4", _) => match (seed >> 10) % 5 {
            0 => format!("{}/24", ip(a, 0)),
            1 => ip(a, b),
            2 => format!("{}-{}", ip(a, b / 2), ip(a, b / 2 + 60)),
            3 => {
                let prefix = [16, 24, 30, 32][(more % 4) as usize];
                format!("{}/{prefix}", ip(a, b % 8 * 30))
            }
            _ => {
                let (first, width) = (b % 200, (more % 55) as u8);
                format!("{}-{}", ip(a, first), ip(a, first + width))
            }
        },
        ("ipv6", _) => format!("2001:db8::{:x}/126", seed % 32),
        (_, "eq") if ty != "tag_uuid" && ty != "mac_address" => format!("h{n}.example.com"),
        (_, "starts") => format!("h{n}"),
        (_, "ends") => format!("{n}.example.com"),
        (_, "match") => format!("h*{n}.ex*"),
        ("tag_uuid", _) => tag((seed % 4) as u8),
        ("mac_address", _) => format!("0a:00:00:00:00:0{}", seed % 4),
        _ => unreachable!("{ty} {op}"),
    }
}

/// A rule of one of [`RULE_KINDS`] with one or two terms.
pub fn rule() -> impl Strategy<Value = Rule> {
    (
        0..RULE_KINDS.len(),
        proptest::collection::vec(any::<u32>(), 1..3),
    )
        .prop_map(|(kind, seeds)| {
            let (ty, op) = RULE_KINDS[kind];
            Rule::parse(ty, op, seeds.iter().map(|s| term(ty, op, *s))).unwrap()
        })
}

/// Any access-group permissions.
pub fn access() -> impl Strategy<Value = AccessPermissions> {
    (0u8..4).prop_map(AccessPermissions::from_bits_truncate)
}

/// A principal naming a user (of the directory, or the stranger), a team, everyone by the
/// nil UUID, or all users.
pub fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        3 => (0..=USERS.len(), access())
            .prop_map(|(u, p)| Principal::user(USERS.get(u).copied().unwrap_or(STRANGER), p)),
        3 => (0..TEAMS.len(), access()).prop_map(|(t, p)| Principal::group(TEAMS[t], p)),
        1 => access().prop_map(|p| Principal::group(NIL_UUID, p)),
        1 => access().prop_map(Principal::all_users),
    ]
}

/// Group number `index` (id `g{index}`, name `group {index}`): MANAGE_ASSETS, SCAN_TARGETS
/// or the All Assets group (with its principals listed or not), with up to three rules
/// and two principals, sometimes granting all users.
pub fn group(index: usize) -> impl Strategy<Value = AccessGroup> {
    (
        prop_oneof![
            4 => Just(AccessGroupType::ManageAssets),
            2 => Just(AccessGroupType::ScanTargets),
            1 => Just(AccessGroupType::All),
        ],
        proptest::collection::vec(rule(), 0..4),
        proptest::collection::vec(principal(), 0..3),
        proptest::bool::weighted(0.25),
        any::<bool>(),
    )
        .prop_map(move |(kind, rules, principals, all_users, listed)| {
            let (id, name) = (format!("g{index}"), format!("group {index}"));
            if kind == AccessGroupType::All {
                let all = AccessGroup::all_assets_group(&id).with_name(&name);
                return if listed {
                    all.with_principals(Some(principals))
                } else {
                    all
                };
            }
            AccessGroup::new(&name, kind)
                .with_id(&id)
                .with_rules(rules)
                .with_principals(Some(principals))
                .with_all_users(all_users)
        })
}

/// Groups `g0`, `g1`, … in policy order, as many as `count` says.
pub fn groups(count: Range<usize>) -> impl Strategy<Value = Vec<AccessGroup>> {
    count.prop_flat_map(|n| (0..n).map(group).collect::<Vec<_>>())
}

/// An asset with some of: an IPv4 address, an IPv6 address, a name (as `fqdn` or
/// `hostname`), a tag, a MAC address; or none of them.
pub fn asset() -> impl Strategy<Value = Asset> {
    (
        proptest::option::of((0u8..4, any::<u8>())),
        proptest::option::weighted(0.2, 0u8..40),
        proptest::option::of((0u8..7, any::<bool>())),
        proptest::option::weighted(0.3, 0u8..5),
        proptest::option::weighted(0.2, 0u8..5),
    )
        .prop_map(|(v4, v6, name, tag_n, mac)| {
            let mut asset = Asset::new();
            if let Some((a, b)) = v4 {
                asset = asset.with("ipv4", &ip(a, b)).unwrap();
            }
            if let Some(x) = v6 {
                asset = asset.with("ipv6", &format!("2001:db8::{x:x}")).unwrap();
            }
            if let Some((n, fqdn)) = name {
                let attribute = if fqdn { "fqdn" } else { "hostname" };
                asset = asset.with(attribute, &format!("h{n}.example.com")).unwrap();
            }
            if let Some(t) = tag_n {
                asset = asset.with("tag_uuid", &tag(t)).unwrap();
            }
            if let Some(m) = mac {
                asset = asset
                    .with("mac_address", &format!("0a:00:00:00:00:0{m}"))
                    .unwrap();
            }
            asset
        })
}

/// A scan target as written: an IPv4 or IPv6 address, or a name (in lower case, or in
/// upper case with a trailing dot).
pub fn target_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u8..4, any::<u8>()).prop_map(|(a, b)| ip(a, b)),
        1 => (0u8..40).prop_map(|x| format!("2001:db8::{x:x}")),
        1 => (0u8..7).prop_map(|n| format!("h{n}.example.com")),
        1 => (0u8..7).prop_map(|n| format!("H{n}.example.com.")),
    ]
}

/// A scan target.
pub fn target() -> impl Strategy<Value = Target> {
    target_text().prop_map(|t| t.parse().unwrap())
}

/// Custom role number `i`.
pub fn custom_id(i: usize) -> RoleId {
    RoleId::new(FIRST_CUSTOM + i as u64)
}

/// Roles for users and inline subjects: every built-in role, the `customs` custom ones,
/// weighted towards roles that pass many actions.
pub fn role_choices(customs: usize) -> Vec<RoleId> {
    let mut ids: Vec<RoleId> = (0..=7).map(RoleId::new).collect();
    ids.extend([
        RoleId::ADMINISTRATOR,
        RoleId::SECURITY_MANAGER,
        RoleId::SECURITY_ANALYST,
    ]);
    ids.extend((0..customs).flat_map(|i| [custom_id(i), custom_id(i)]));
    ids
}

/// The teams whose bits `mask` sets.
pub fn teams(mask: u8) -> Vec<String> {
    TEAMS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, t)| (*t).to_owned())
        .collect()
}

/// A policy as plain data.
#[derive(Clone, Debug)]
pub struct World {
    /// Custom roles.
    pub roles: Vec<Role>,
    /// Access groups, in policy order.
    pub groups: Vec<AccessGroup>,
    /// Directory users.
    pub users: Vec<User>,
}

impl World {
    /// The policy of this world.
    pub fn policy(&self) -> Policy {
        Policy::builder()
            .roles(self.roles.clone())
            .access_groups(AccessGroups::from_server(self.groups.clone()))
            .users(self.users.clone())
            .build()
            .unwrap()
    }
}

/// Up to two custom roles (`custom 0`, `custom 1`) with any permissions, up to six groups,
/// and a directory of the [`USERS`] (`u0` always, the others mostly) with any role and
/// teams.
pub fn world() -> impl Strategy<Value = World> {
    (
        proptest::collection::vec(custom_permissions(), 0..3),
        groups(0..7),
    )
        .prop_flat_map(|(permissions, groups)| {
            let roles: Vec<Role> = permissions
                .iter()
                .enumerate()
                .map(|(i, p)| Role::new(custom_id(i), format!("custom {i}")).with_permissions(*p))
                .collect();
            let users = proptest::collection::vec(
                (
                    proptest::sample::select(role_choices(roles.len())),
                    0u8..8,
                    proptest::bool::weighted(0.85),
                ),
                USERS.len(),
            );
            (Just(roles), Just(groups), users)
        })
        .prop_map(|(roles, groups, users)| World {
            roles,
            groups,
            users: users
                .into_iter()
                .zip(USERS)
                // `u0` is always in the directory, so that every scene allows something.
                .filter(|((_, _, present), id)| *present || *id == "u0")
                .map(|((role, mask, _), id)| User::new(id, role).with_groups(teams(mask)))
                .collect(),
        })
}
