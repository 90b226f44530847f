//! Random model data for differential tests: policies (custom roles, directory users,
//! access groups of every type with every rule type and operator and every kind of
//! principal), subjects and resources of every kind, and requests over every catalogue
//! action (and an unknown one).
//!
//! Generation is in two steps: strategies draw raw random choices (`*Raw`), and plain
//! functions (`build_*`) resolve them into the model's data against a policy, so that
//! resources can name the policy's roles and groups and role changes can be chosen
//! relative to the requester's own role. Values and terms come from small pools on
//! purpose: drawn from the same few strings, rules hit, miss, overlap and nest often.

use proptest::prelude::*;
use proptest::sample::Index;

use super::tables::{self, ACTIONS, Perms, Scan};
use super::{self as model, GroupType, PrincipalKind as MKind};

// ---------------------------------------------------------------------------------------
// Pools.

/// Directory users (each may be left out of a policy).
pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
/// Teams (user groups) of directory users.
pub const TEAMS: [&str; 3] = ["t0", "t1", "t2"];
/// The nil UUID (a `group` principal with it names every user).
pub const NIL: &str = model::NIL_UUID;
/// Ids a subject may claim: directory users, a stranger, a case variant.
pub const SUBJECT_USERS: [&str; 6] = ["u0", "u1", "u2", "u3", "stranger", "U0"];
/// Inline groups a subject may claim (a user id among them: it must not match a `user`
/// principal).
pub const SUBJECT_TEAMS: [&str; 4] = ["t0", "t1", "t2", "u0"];
/// Ids `user` principals name: users, a case variant, a stranger, a team, the nil UUID.
pub const USER_PRINCIPAL_IDS: [&str; 8] = ["u0", "u1", "u2", "u3", "U0", "stranger", "t0", NIL];
/// Ids `group` principals name: teams, a user, the nil UUID, a case variant.
pub const GROUP_PRINCIPAL_IDS: [&str; 6] = ["t0", "t1", "t2", "u1", NIL, "T0"];
/// Ids of custom roles (8 is the first free id; the largest is beyond `u32`).
pub const CUSTOM_ROLE_IDS: [u64; 5] = [8, 1_000_001, 1_000_002, 1_000_003, 4_000_000_000];
/// Stored custom role names: duplicates and case variants of each other and of built-in
/// names are allowed in stored data.
pub const ROLE_NAMES: [&str; 7] = [
    "Scanner",
    "Ops",
    "auditor",
    "Security Manager",
    "ops",
    "R",
    "Ünïcode",
];
/// Role ids that do not exist in any generated policy.
pub const MISSING_ROLES: [u64; 2] = [99, 1_000_099];

/// IPv4 terms: single addresses, CIDRs (host bits set, `/0`, `/31`, `/32`), ranges.
pub const IPV4_TERMS: [&str; 18] = [
    "10.0.1.5",
    "10.0.1.0/24",
    "10.0.1.77/24",
    "10.0.0.0/16",
    "10.0.0.0/8",
    "0.0.0.0/0",
    "10.0.1.4/30",
    "10.0.1.5/32",
    "10.0.1.6/31",
    "10.0.1.0-10.0.1.10",
    "10.0.1.5-10.0.1.5",
    "10.0.0.200-10.0.2.3",
    "10.0.2.0/23",
    "192.168.1.1",
    "255.255.255.255",
    "10.0.3.128/25",
    "10.0.1.10-10.0.1.200",
    "255.255.255.254/31",
];
/// IPv4 values and targets: inside, at the edges of and outside the terms.
pub const IPV4_VALUES: [&str; 16] = [
    "10.0.1.5",
    "10.0.1.4",
    "10.0.1.6",
    "10.0.1.7",
    "10.0.1.10",
    "10.0.1.11",
    "10.0.0.255",
    "10.0.2.3",
    "10.0.2.4",
    "10.0.3.200",
    "10.0.3.127",
    "10.1.0.1",
    "192.168.1.1",
    "255.255.255.255",
    "0.0.0.0",
    "10.0.1.255",
];
/// IPv6 terms: single addresses, CIDRs, IPv4-mapped, ranges, upper case.
pub const IPV6_TERMS: [&str; 13] = [
    "2001:db8::5",
    "2001:db8::/32",
    "2001:db8::/64",
    "2001:db8::/120",
    "2001:db8::4/126",
    "2001:db8::5/128",
    "::/0",
    "::ffff:10.0.0.0/104",
    "2001:db8::1-2001:db8::ff",
    "2001:db8::ff-2001:db8:0:1::",
    "fe80::/10",
    "2001:DB8::A",
    "2001:db8::7f/121",
];
/// IPv6 values and targets, in several spellings.
pub const IPV6_VALUES: [&str; 13] = [
    "2001:db8::5",
    "2001:DB8::5",
    "2001:db8:0:0::a",
    "2001:db8::100",
    "2001:db8::ff",
    "2001:db8:0:1::5",
    "2001:db9::1",
    "::ffff:10.0.1.5",
    "fe80::1",
    "::1",
    "2001:db8::4",
    "2001:db8::7f",
    "2001:db8::80",
];
/// Host names usable both as asset values and as scan targets.
pub const TARGET_NAMES: [&str; 12] = [
    "h1.example.com",
    "H1.Example.COM.",
    "h2.example.com",
    "web01.corp.example.com",
    "webmail",
    "web",
    "lab-db1",
    "notexample.com",
    "a_b.example.com",
    "xweb01.corp.y",
    "corp-web",
    "LAB-DB1.",
];
/// Name values only assets can have: Unicode (one that lowercases to two characters, a
/// final sigma), a literal `*`.
pub const ASSET_ONLY_NAMES: [&str; 5] = [
    "Ünï.example.com",
    "*.example.com",
    "İZMİR.example.com",
    "ΟΔΟΣ.example.com",
    "STRAßE.example.com",
];
/// Name `eq` terms: case variants, trailing dots, Unicode that folds.
pub const NAME_EQ: [&str; 12] = [
    "h1.example.com",
    "H1.EXAMPLE.COM",
    "h1.example.com.",
    "webmail",
    "web",
    "*.example.com",
    "Ünï.example.com",
    "ÜNÏ.EXAMPLE.COM",
    "lab-db1",
    "i̇zmi̇r.example.com",
    "οδος.example.com",
    "odoς.example.com",
];
/// Name `starts` terms.
pub const NAME_STARTS: [&str; 10] = [
    "h1",
    "H",
    "web",
    "WEB.",
    "lab-",
    "web01.corp",
    "*",
    "x",
    "İ",
    "straß",
];
/// Name `ends` terms.
pub const NAME_ENDS: [&str; 7] = [
    ".example.com",
    "example.com",
    "EXAMPLE.COM.",
    "1.example.com",
    "corp",
    ".corp.example.com",
    "mail",
];
/// Name `match` patterns.
pub const NAME_MATCH: [&str; 14] = [
    "h*1.ex*", "*", "**", "web*corp", "*.com", "b01", "ü*", "WEB*", "e*e*e", "co*rp", "h1*com.",
    "*ς.*", "i̇*r", "Σ*Σ",
];
/// Operating-system values.
pub const OS_VALUES: [&str; 7] = [
    "Windows Server 2019",
    "Linux 5.4",
    "linux",
    "Microsoft Windows 10 Pro",
    "macOS.",
    "macOS",
    "οδος",
];
/// Operating-system `eq` terms.
pub const OS_EQ: [&str; 5] = ["linux", "WINDOWS SERVER 2019", "macOS", "macos.", "ΟΔΟΣ"];
/// Operating-system `match` patterns.
pub const OS_MATCH: [&str; 6] = ["windows*2019", "*server*", "LIN", "*", "win*pro", "os."];
/// Tag UUIDs (one a case variant of another).
pub const TAGS: [&str; 3] = [
    "24ec0790-eb18-4c9c-b787-9c1164a9c1b9",
    "24EC0790-EB18-4C9C-B787-9C1164A9C1B9",
    "24ec0790-eb18-4c9c-b787-9c1164a9c1ba",
];

/// Values (and `eq` terms) of the 21 eq-only types: case variants, MAC spellings, Qualys
/// ids with leading zeros, UUIDs in both cases.
pub fn eq_pool(rule_type: &str) -> &'static [&'static str] {
    match rule_type {
        "aws_account" => &["123456789012", "123456789013"],
        "aws_availability_zone" => &["us-east-1a", "US-EAST-1A"],
        "aws_ec2_ami_id" => &["ami-0abc", "ami-0ABC"],
        "aws_ec2_instance_id" => &["i-0123", "i-0124"],
        "aws_ec2_name" => &["Web", "web"],
        "aws_ec2_product_code" => &["pc1", "PC1"],
        "aws_region" => &["us-east-1", "eu-west-1"],
        "aws_security_group" => &["sg-1", "SG-1"],
        "aws_subnet_id" => &["subnet-1", "subnet-2"],
        "aws_vpc_id" => &["vpc-1", "VPC-1"],
        "azure_resource_id" => &[
            "/subscriptions/ABC/vm1",
            "/subscriptions/abc/vm1",
            "/subscriptions/abc/vm2",
        ],
        "azure_vm_id" => &["ABC-def", "abc-DEF", "xyz"],
        "gcp_instance_id" => &["123", "0123"],
        "gcp_project_id" => &["proj", "Proj"],
        "gcp_zone" => &["us-central1-a", "US-central1-a"],
        "mac_address" => &[
            "00:11:22:33:44:55",
            "00-11-22-33-44-55",
            "00:11:22:33:44:5F",
            "00:11:22:33:44:5f",
            "00:11-22:33-44:55",
            "aa:bb:cc:dd:ee:ff",
        ],
        "netbios_name" => &["HOST1", "host1", "host2"],
        "network_id" => &[
            "00000000-0000-0000-0000-000000000001",
            "00000000-0000-0000-0000-00000000000A",
            "00000000-0000-0000-0000-00000000000a",
        ],
        "qualys_asset_id" => &["123", "0123", "124", "18446744073709551615"],
        "qualys_host_id" => &["7", "007", "8"],
        "servicenow_sysid" => &["abc", "ABC"],
        _ => &[],
    }
}

/// Every rule type, each with a weight (IP and names most often).
pub const RULE_TYPES: [(&str, u32); 27] = [
    ("ipv4", 12),
    ("ipv6", 5),
    ("fqdn", 8),
    ("hostname", 8),
    ("operating_system", 3),
    ("tag_uuid", 3),
    ("aws_account", 1),
    ("aws_availability_zone", 1),
    ("aws_ec2_ami_id", 1),
    ("aws_ec2_instance_id", 1),
    ("aws_ec2_name", 1),
    ("aws_ec2_product_code", 1),
    ("aws_region", 1),
    ("aws_security_group", 1),
    ("aws_subnet_id", 1),
    ("aws_vpc_id", 1),
    ("azure_resource_id", 1),
    ("azure_vm_id", 1),
    ("gcp_instance_id", 1),
    ("gcp_project_id", 1),
    ("gcp_zone", 1),
    ("mac_address", 2),
    ("netbios_name", 2),
    ("network_id", 1),
    ("qualys_asset_id", 2),
    ("qualys_host_id", 1),
    ("servicenow_sysid", 1),
];

/// The terms a rule of this type and operator draws from.
pub fn term_pool(rule_type: &str, operator: &str) -> &'static [&'static str] {
    match (rule_type, operator) {
        ("ipv4", _) => &IPV4_TERMS,
        ("ipv6", _) => &IPV6_TERMS,
        ("fqdn" | "hostname", "eq") => &NAME_EQ,
        ("fqdn" | "hostname", "starts") => &NAME_STARTS,
        ("fqdn" | "hostname", "ends") => &NAME_ENDS,
        ("fqdn" | "hostname", _) => &NAME_MATCH,
        ("operating_system", "eq") => &OS_EQ,
        ("operating_system", _) => &OS_MATCH,
        ("tag_uuid", _) => &TAGS,
        (t, _) => eq_pool(t),
    }
}

/// The values an asset attribute draws from.
pub fn value_pool(attribute: &str) -> Vec<&'static str> {
    match attribute {
        "ipv4" => IPV4_VALUES.to_vec(),
        "ipv6" => IPV6_VALUES.to_vec(),
        "fqdn" | "hostname" => TARGET_NAMES
            .iter()
            .chain(ASSET_ONLY_NAMES.iter())
            .copied()
            .collect(),
        "operating_system" => OS_VALUES.to_vec(),
        "tag_uuid" => TAGS.to_vec(),
        t => eq_pool(t).to_vec(),
    }
}

/// The element of `pool` that `index` picks.
pub fn pick<T: Copy>(pool: &[T], index: &Index) -> T {
    *index.get(pool)
}

// ---------------------------------------------------------------------------------------
// Generation: raw random choices, resolved into model data by plain functions.

/// A rule type by the weights of `RULE_TYPES`.
pub fn weighted_rule_type() -> impl Strategy<Value = &'static str> {
    let total: u32 = RULE_TYPES.iter().map(|(_, w)| w).sum();
    (0..total).prop_map(|mut n| {
        for (t, w) in RULE_TYPES {
            if n < w {
                return t;
            }
            n -= w;
        }
        "ipv4"
    })
}

/// A rule of any type with any of its operators and up to three pooled terms (none, rarely).
pub fn rule() -> impl Strategy<Value = model::Rule> {
    (
        weighted_rule_type(),
        any::<Index>(),
        proptest::array::uniform3(any::<Index>()),
        prop_oneof![1 => Just(0usize), 6 => Just(1usize), 3 => Just(2usize), 2 => Just(3usize)],
    )
        .prop_map(|(rule_type, op, terms, count)| {
            let operator = pick(model::matching::operators(rule_type), &op);
            let pool = term_pool(rule_type, operator);
            model::Rule {
                rule_type: rule_type.to_owned(),
                operator: operator.to_owned(),
                terms: terms[..count]
                    .iter()
                    .map(|i| pick(pool, i).to_owned())
                    .collect(),
            }
        })
}

/// A principal of every kind, with and without an id, with any permissions.
pub fn principal() -> impl Strategy<Value = model::Principal> {
    (0u8..14, any::<Index>(), any::<bool>(), any::<bool>()).prop_map(|(kind, id, view, scan)| {
        let (kind, id) = match kind {
            0..=4 => (MKind::User, Some(pick(&USER_PRINCIPAL_IDS, &id))),
            5..=8 => (MKind::Group, Some(pick(&GROUP_PRINCIPAL_IDS, &id))),
            9 | 10 => (MKind::AllUsers, pick(&[Some(NIL), Some("x"), None], &id)),
            11 => (MKind::Other("access_group".to_owned()), Some("t0")),
            12 => (MKind::User, None),
            _ => (MKind::Group, None),
        };
        model::Principal {
            kind,
            id: id.map(str::to_owned),
            view,
            scan,
        }
    })
}

/// A group's shape before it gets an id and a name.
#[derive(Clone, Debug)]
pub struct GroupRaw {
    /// 0 MANAGE_ASSETS, 1 SCAN_TARGETS, 2 All Assets, 3 odd combinations servers never
    /// send (type and `all_assets` disagreeing).
    pub shape: u8,
    pub odd: Index,
    pub rules: Vec<model::Rule>,
    pub principals: Option<Vec<model::Principal>>,
    pub all_users: bool,
}

/// A group's shape: mostly MANAGE_ASSETS or SCAN_TARGETS, sometimes All Assets or odd.
pub fn group_raw() -> impl Strategy<Value = GroupRaw> {
    (
        prop_oneof![8 => Just(0u8), 6 => Just(1u8), 2 => Just(2u8), 1 => Just(3u8)],
        any::<Index>(),
        proptest::collection::vec(rule(), 0..4),
        prop_oneof![
            1 => Just(None),
            6 => proptest::collection::vec(principal(), 0..4).prop_map(Some)
        ],
        prop_oneof![4 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(shape, odd, rules, principals, all_users)| GroupRaw {
            shape,
            odd,
            rules,
            principals,
            all_users,
        })
}

/// The model group of `raw` with this id and name (the All Assets group keeps its name).
pub fn build_group(raw: &GroupRaw, id: Option<String>, name: String) -> model::Group {
    let (group_type, all_assets) = match raw.shape {
        0 => (GroupType::ManageAssets, false),
        1 => (GroupType::ScanTargets, false),
        2 => (GroupType::All, true),
        _ => pick(
            &[
                (GroupType::All, false),
                (GroupType::ManageAssets, true),
                (GroupType::ScanTargets, true),
            ],
            &raw.odd,
        ),
    };
    model::Group {
        id,
        name: if raw.shape == 2 {
            "All Assets".to_owned()
        } else {
            name
        },
        group_type,
        all_assets,
        all_users: raw.all_users,
        principals: raw.principals.clone(),
        // The system All Assets group has no rules.
        rules: if raw.shape == 2 {
            Vec::new()
        } else {
            raw.rules.clone()
        },
    }
}

/// Random permissions: uniform, sparse, dense, a built-in role with some flags removed,
/// or nothing.
#[derive(Clone, Debug)]
pub struct PermsRaw {
    pub mode: u8,
    pub a: u32,
    pub b: u32,
    pub scan: u8,
}

/// Random permissions, before they are resolved.
pub fn perms_raw() -> impl Strategy<Value = PermsRaw> {
    (0u8..5, any::<u32>(), any::<u32>(), 0u8..3).prop_map(|(mode, a, b, scan)| PermsRaw {
        mode,
        a,
        b,
        scan,
    })
}

/// The permissions `raw` stands for (`permManageApp` only where allowed).
pub fn perms_from(raw: &PermsRaw, allow_manage_app: bool) -> Perms {
    let flags: Vec<&'static str> = tables::flag_fields().collect();
    let scan = [Scan::None, Scan::Policy, Scan::Full][usize::from(raw.scan)];
    let mut perms = match raw.mode {
        0..=2 => {
            let bits = match raw.mode {
                0 => raw.a,
                1 => raw.a & raw.b,
                _ => raw.a | raw.b,
            };
            Perms {
                flags: flags
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits >> i & 1 == 1)
                    .map(|(_, f)| *f)
                    .collect(),
                scan,
            }
        }
        3 => {
            let base = &tables::BUILTIN_ROLES[(raw.a % 8) as usize];
            let mut perms = Perms::of(base.flags, base.scan);
            let drop = raw.b & raw.a.rotate_left(7);
            perms.flags = perms
                .flags
                .iter()
                .enumerate()
                .filter(|(i, _)| drop >> i & 1 == 0)
                .map(|(_, f)| *f)
                .collect();
            if raw.b >> 31 == 1 {
                perms.scan = scan.min(perms.scan);
            }
            perms
        }
        _ => Perms::none(),
    };
    if !allow_manage_app {
        perms.flags.remove("permManageApp");
    }
    perms
}

#[derive(Clone, Debug)]
pub struct PolicyRaw {
    pub roles: Vec<(u64, Index, PermsRaw)>,
    pub users: Vec<Option<(Index, u8)>>,
    pub groups: Vec<(GroupRaw, u8, Index)>,
}

/// A policy before it is resolved: up to three custom roles, four users, six groups.
pub fn policy_raw() -> impl Strategy<Value = PolicyRaw> {
    (
        proptest::sample::subsequence(CUSTOM_ROLE_IDS.to_vec(), 0..=3)
            .prop_flat_map(|ids| {
                let n = ids.len();
                (
                    Just(ids),
                    proptest::collection::vec((any::<Index>(), perms_raw()), n),
                )
            })
            .prop_map(|(ids, rest)| {
                ids.into_iter()
                    .zip(rest)
                    .map(|(id, (name, perms))| (id, name, perms))
                    .collect::<Vec<_>>()
            }),
        proptest::collection::vec(
            prop_oneof![1 => Just(None), 6 => (any::<Index>(), 0u8..8).prop_map(Some)],
            4,
        ),
        proptest::collection::vec(
            (
                group_raw(),
                prop_oneof![18 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
                any::<Index>(),
            ),
            0..=6,
        ),
    )
        .prop_map(|(roles, users, groups)| PolicyRaw {
            roles,
            users,
            groups,
        })
}

/// Ids of every role a policy holds.
pub fn role_ids(policy: &model::Policy) -> Vec<u64> {
    (0..8).chain(policy.roles.iter().map(|r| r.id)).collect()
}

/// Stored group names: duplicates and case variants allowed.
pub const GROUP_NAMES: [&str; 6] = ["Web", "web", "Lab (1)", "Ops:[x]", "All Assets", "Shared"];

/// The model policy of `raw`.
pub fn build_policy(raw: &PolicyRaw) -> model::Policy {
    let roles: Vec<model::Role> = raw
        .roles
        .iter()
        .map(|(id, name, perms)| model::Role {
            id: *id,
            name: pick(&ROLE_NAMES, name).to_owned(),
            // Stored custom roles never hold permManageApp (the catalog refuses them).
            perms: perms_from(perms, false),
        })
        .collect();
    let mut policy = model::Policy {
        roles,
        ..model::Policy::default()
    };
    let ids = role_ids(&policy);
    for (user, spec) in USERS.iter().zip(&raw.users) {
        if let Some((role, teams)) = spec {
            policy.users.push(model::User {
                id: (*user).to_owned(),
                role: pick(&ids, role),
                teams: TEAMS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| teams >> i & 1 == 1)
                    .map(|(_, t)| (*t).to_owned())
                    .collect(),
            });
        }
    }
    for (i, (group, id_mode, name)) in raw.groups.iter().enumerate() {
        // Mostly unique ids; sometimes a repeated id (the first wins) or none.
        let id = match id_mode {
            0 => Some(format!("ag{i}")),
            1 => Some(format!("ag{}", i.saturating_sub(1))),
            _ => None,
        };
        // Mostly unique names; sometimes a pool name (duplicates, case variants).
        let name = if name.index(3) == 0 {
            pick(&GROUP_NAMES, name).to_owned()
        } else {
            format!("Group {i}")
        };
        policy.groups.push(build_group(group, id, name));
    }
    policy
}

#[derive(Clone, Debug)]
pub struct SubjectRaw {
    pub user: Option<usize>,
    pub role: Option<Index>,
    pub groups: Option<u8>,
    pub scopes: Option<(u8, u32, u32)>,
}

/// A subject before it is resolved against a policy.
pub fn subject_raw() -> impl Strategy<Value = SubjectRaw> {
    (
        // Mostly directory users; sometimes a stranger, a case variant, or no user.
        prop_oneof![
            2 => Just(None),
            20 => (0..4usize).prop_map(Some),
            2 => Just(Some(4usize)),
            1 => Just(Some(5usize)),
        ],
        prop_oneof![4 => Just(None), 1 => any::<Index>().prop_map(Some)],
        prop_oneof![4 => Just(None), 1 => (0u8..16).prop_map(Some)],
        prop_oneof![7 => Just(None), 3 => (0u8..5, any::<u32>(), any::<u32>()).prop_map(Some)],
    )
        .prop_map(|(user, role, groups, scopes)| SubjectRaw {
            user,
            role,
            groups,
            scopes,
        })
}

/// The model subject of `raw`: roles drawn from the policy's (and missing ones).
pub fn build_subject(policy: &model::Policy, raw: &SubjectRaw) -> model::Subject {
    let mut roles = role_ids(policy);
    roles.extend(MISSING_ROLES);
    model::Subject {
        user: raw.user.map(|i| SUBJECT_USERS[i].to_owned()),
        role: raw.role.as_ref().map(|i| pick(&roles, i)),
        groups: raw.groups.map(|mask| {
            SUBJECT_TEAMS
                .iter()
                .enumerate()
                .filter(|(i, _)| mask >> i & 1 == 1)
                .map(|(_, t)| (*t).to_owned())
                .collect()
        }),
        scopes: raw.scopes.map(|(mode, a, b)| {
            let bits = match mode {
                0 => a,
                1 => a & b,
                2 => a | b,
                3 => u32::MAX,
                _ => 0,
            };
            tables::SCOPES
                .iter()
                .enumerate()
                .filter(|(i, _)| bits >> i & 1 == 1)
                .map(|(_, s)| (*s).to_owned())
                .collect()
        }),
    }
}

/// A resource before it is resolved against the policy.
#[derive(Clone, Debug)]
pub enum ResourceRaw {
    None,
    Asset(Vec<(&'static str, Index)>),
    Targets(Vec<Index>),
    Role(Index),
    /// Name, permissions (random, or relative to the requester's role: see
    /// `Relative`), `permManageApp` added.
    RoleDraft(Index, PermsRaw, Relative, bool),
    RolePatch {
        role: Index,
        name: Option<Index>,
        description: bool,
        flags: Vec<(Index, bool)>,
        scan: Option<u8>,
        relative: Relative,
    },
    UserGroup(Index),
    AccessGroup(Index),
    /// An access-group draft: a fresh group or a change to an existing one.
    Draft {
        base: Option<Index>,
        group: GroupRaw,
        id: u8,
        name: Option<Index>,
        keep_rules: bool,
    },
}

/// Names for created and renamed roles: free, taken (in any case, Unicode too), empty,
/// blank (ASCII and Unicode spaces).
pub const DRAFT_ROLE_NAMES: [&str; 13] = [
    "New role",
    "Scanner",
    "SCANNER",
    "auditor",
    "Auditor",
    "",
    "   ",
    "x",
    "Another",
    "Ops",
    "ÜNÏCODE",
    "\u{a0}\u{3000}",
    " padded ",
];
/// Names for created and edited access groups: free, taken (in any case), invalid.
pub const DRAFT_GROUP_NAMES: [&str; 12] = [
    "New group",
    "Fresh (1)",
    "Web",
    "WEB",
    "group 0",
    "All Assets",
    "",
    "bad,name",
    "tab\tname",
    "Ünïcode",
    "a:b-c_d [e]",
    "Shared",
];
/// User-group ids resources name (an unknown one, a user id).
pub const USER_GROUPS: [&str; 5] = ["t0", "t1", "t2", "t9", "u0"];

/// A resource of any kind.
pub fn any_resource() -> BoxedStrategy<ResourceRaw> {
    prop_oneof![
        Just(ResourceRaw::None),
        asset_raw(),
        targets_raw(),
        any::<Index>().prop_map(ResourceRaw::Role),
        role_draft_raw(),
        role_patch_raw(),
        any::<Index>().prop_map(ResourceRaw::UserGroup),
        any::<Index>().prop_map(ResourceRaw::AccessGroup),
        draft_raw(),
    ]
    .boxed()
}

/// An asset: up to four values of weighted rule types.
pub fn asset_raw() -> BoxedStrategy<ResourceRaw> {
    proptest::collection::vec((weighted_rule_type(), any::<Index>()), 0..5)
        .prop_map(ResourceRaw::Asset)
        .boxed()
}

/// Target lists: mostly one target, sometimes none, two or four.
pub fn targets_raw() -> BoxedStrategy<ResourceRaw> {
    prop_oneof![
        1 => Just(0usize),
        8 => Just(1usize),
        3 => Just(2usize),
        2 => Just(4usize)
    ]
    .prop_flat_map(|n| proptest::collection::vec(any::<Index>(), n))
    .prop_map(ResourceRaw::Targets)
    .boxed()
}

/// Role permissions chosen relative to the requester's own role, so that the
/// no-escalation rule is tested at its edge and not only by chance.
#[derive(Clone, Debug)]
pub enum Relative {
    /// As generated, whoever asks.
    Random,
    /// Draft: exactly the requester's permissions. Patch: revoke what the role holds
    /// beyond the requester (allowed only if the rule checks the role after the change,
    /// refused because it also checks it before).
    Within,
    /// One flag (this index among those the requester lacks) beyond the requester.
    Beyond(Index),
}

/// How role permissions relate to the requester's.
pub fn relative() -> impl Strategy<Value = Relative> {
    prop_oneof![
        2 => Just(Relative::Random),
        1 => Just(Relative::Within),
        1 => any::<Index>().prop_map(Relative::Beyond),
    ]
}

/// A role to create.
pub fn role_draft_raw() -> BoxedStrategy<ResourceRaw> {
    (
        any::<Index>(),
        perms_raw(),
        relative(),
        prop_oneof![9 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(n, p, r, app)| ResourceRaw::RoleDraft(n, p, r, app))
        .boxed()
}

/// A change to a role.
pub fn role_patch_raw() -> BoxedStrategy<ResourceRaw> {
    (
        any::<Index>(),
        proptest::option::of(any::<Index>()),
        any::<bool>(),
        proptest::collection::vec((any::<Index>(), any::<bool>()), 0..4),
        proptest::option::of(0u8..3),
        relative(),
    )
        .prop_map(
            |(role, name, description, flags, scan, relative)| ResourceRaw::RolePatch {
                role,
                name,
                description,
                flags,
                scan,
                relative,
            },
        )
        .boxed()
}

/// An access-group draft.
pub fn draft_raw() -> BoxedStrategy<ResourceRaw> {
    (
        proptest::option::of(any::<Index>()),
        group_raw(),
        0u8..4,
        proptest::option::of(any::<Index>()),
        any::<bool>(),
    )
        .prop_map(|(base, group, id, name, keep_rules)| ResourceRaw::Draft {
            base,
            group,
            id,
            name,
            keep_rules,
        })
        .boxed()
}

/// The resource kind an action takes, most of the time; any kind otherwise.
pub fn resource_for(action: usize) -> BoxedStrategy<ResourceRaw> {
    let natural = match ACTIONS.get(action).map(|a| a.object) {
        Some(tables::Object::Asset(..)) => asset_raw(),
        Some(tables::Object::Targets) => targets_raw(),
        Some(
            tables::Object::AssignRole | tables::Object::ReadRole | tables::Object::DeleteRole,
        ) => any::<Index>().prop_map(ResourceRaw::Role).boxed(),
        Some(tables::Object::CreateRole) => role_draft_raw(),
        Some(tables::Object::EditRole) => role_patch_raw(),
        Some(tables::Object::Membership) => any::<Index>().prop_map(ResourceRaw::UserGroup).boxed(),
        Some(tables::Object::ReadAccessGroup | tables::Object::DeleteAccessGroup) => {
            any::<Index>().prop_map(ResourceRaw::AccessGroup).boxed()
        }
        Some(tables::Object::CreateAccessGroup | tables::Object::EditAccessGroup) => draft_raw(),
        _ => Just(ResourceRaw::None).boxed(),
    };
    prop_oneof![5 => natural, 2 => Just(ResourceRaw::None), 2 => any_resource()].boxed()
}

/// The permissions of the role the subject acts with, if it resolves.
pub fn requester_perms(policy: &model::Policy, subject: &model::Subject) -> Option<Perms> {
    let id = subject.role.or_else(|| {
        let user = subject.user.as_ref()?;
        policy.users.iter().find(|u| &u.id == user).map(|u| u.role)
    })?;
    policy.role_perms(id)
}

/// `base` with one flag it lacks (the `pick`-th of them) added, or its scan level raised
/// when it lacks no flag.
pub fn one_beyond(base: &Perms, pick: &Index) -> Perms {
    let lacking: Vec<&'static str> = tables::flag_fields()
        .filter(|f| !base.flags.contains(f) && *f != "permManageApp")
        .collect();
    let mut perms = base.clone();
    if lacking.is_empty() {
        perms.scan = Scan::Full;
    } else {
        perms.flags.insert(*pick.get(&lacking));
    }
    perms
}

/// The model resource of `raw` against `policy`, relative to the requester's permissions.
pub fn build_resource(
    policy: &model::Policy,
    raw: &ResourceRaw,
    requester: Option<&Perms>,
) -> model::Resource {
    let mut roles = role_ids(policy);
    roles.extend(MISSING_ROLES);
    match raw {
        ResourceRaw::None => model::Resource::None,
        ResourceRaw::Asset(values) => model::Resource::Asset(model::Asset {
            values: values
                .iter()
                .map(|(attribute, i)| {
                    (
                        (*attribute).to_owned(),
                        pick(&value_pool(attribute), i).to_owned(),
                    )
                })
                .collect(),
        }),
        ResourceRaw::Targets(targets) => {
            let pool: Vec<&str> = IPV4_VALUES
                .iter()
                .chain(IPV6_VALUES.iter())
                .chain(TARGET_NAMES.iter())
                .copied()
                .collect();
            model::Resource::Targets(targets.iter().map(|i| pick(&pool, i).to_owned()).collect())
        }
        ResourceRaw::Role(i) => model::Resource::Role(pick(&roles, i)),
        ResourceRaw::RoleDraft(name, perms, relative, app) => {
            let mut perms = match (relative, requester) {
                (Relative::Within, Some(r)) => r.clone(),
                (Relative::Beyond(i), Some(r)) => one_beyond(r, i),
                _ => perms_from(perms, false),
            };
            perms.flags.remove("permManageApp");
            if *app {
                perms.flags.insert("permManageApp");
            }
            model::Resource::RoleDraft(model::RoleDraft {
                name: draft_role_name(name),
                perms,
            })
        }
        ResourceRaw::RolePatch {
            role,
            name,
            description,
            flags,
            scan,
            relative,
        } => {
            let id = pick(&roles, role);
            let fields: Vec<&'static str> = tables::flag_fields().collect();
            let mut patch_flags: Vec<(&'static str, bool)> = Vec::new();
            let mut scan = scan.map(|s| [Scan::None, Scan::Policy, Scan::Full][usize::from(s)]);
            let target = policy.role_perms(id);
            match (relative, requester, &target) {
                (Relative::Within, Some(r), Some(t)) => {
                    // Revoke exactly what the role holds beyond the requester.
                    for field in t.flags.difference(&r.flags) {
                        patch_flags.push((field, false));
                    }
                    scan = (t.scan > r.scan).then_some(r.scan);
                }
                (Relative::Beyond(i), Some(r), Some(t)) => {
                    let beyond = one_beyond(r, i);
                    for field in beyond.flags.difference(&t.flags) {
                        patch_flags.push((field, true));
                    }
                    scan = (beyond.scan > t.scan).then_some(beyond.scan);
                }
                _ => {
                    for (field, value) in flags {
                        let field = pick(&fields, field);
                        if !patch_flags.iter().any(|(f, _)| *f == field) {
                            patch_flags.push((field, *value));
                        }
                    }
                }
            }
            model::Resource::RolePatch(
                id,
                model::RolePatch {
                    name: name.as_ref().map(draft_role_name),
                    description: description.then(|| "changed".to_owned()),
                    flags: patch_flags,
                    scan,
                },
            )
        }
        ResourceRaw::UserGroup(i) => model::Resource::UserGroup(pick(&USER_GROUPS, i).to_owned()),
        ResourceRaw::AccessGroup(i) => model::Resource::AccessGroup(format!("ag{}", i.index(8))),
        ResourceRaw::Draft {
            base,
            group,
            id,
            name,
            keep_rules,
        } => model::Resource::AccessGroupDraft(build_draft(
            policy,
            base.as_ref(),
            group,
            *id,
            name.as_ref(),
            *keep_rules,
        )),
    }
}

/// A name for a created or renamed role, at and over the length limit included.
pub fn draft_role_name(index: &Index) -> String {
    // Lengths count characters: 255 two-byte characters are allowed.
    match index.index(DRAFT_ROLE_NAMES.len() + 3) {
        n if n < DRAFT_ROLE_NAMES.len() => DRAFT_ROLE_NAMES[n].to_owned(),
        n if n == DRAFT_ROLE_NAMES.len() => "r".repeat(255),
        n if n == DRAFT_ROLE_NAMES.len() + 1 => "é".repeat(255),
        _ => "r".repeat(256),
    }
}

/// A draft for create or edit: based on an existing group (an edit that may change little)
/// or fresh; with an existing id, a new one, or none.
pub fn build_draft(
    policy: &model::Policy,
    base: Option<&Index>,
    raw: &GroupRaw,
    id_mode: u8,
    name: Option<&Index>,
    keep_rules: bool,
) -> model::Group {
    let existing = base.and_then(|i| {
        (!policy.groups.is_empty()).then(|| policy.groups[i.index(policy.groups.len())].clone())
    });
    let id = match id_mode {
        0 => Some("new".to_owned()),
        1 => existing
            .as_ref()
            .and_then(|g| g.id.clone())
            .or(Some("ag0".to_owned())),
        2 => Some(format!("ag{}", raw.odd.index(7))),
        _ => None,
    };
    let name = name.map_or_else(
        || {
            let n = raw.odd.index(DRAFT_GROUP_NAMES.len() + 2);
            match n {
                n if n < DRAFT_GROUP_NAMES.len() => DRAFT_GROUP_NAMES[n].to_owned(),
                n if n == DRAFT_GROUP_NAMES.len() => "n".repeat(255),
                _ => "n".repeat(256),
            }
        },
        |i| format!("Draft {}", i.index(3)),
    );
    match existing {
        Some(mut group) => {
            // Keep the group, change its principals and all_users (what an All Assets
            // edit may change), sometimes its rules.
            group.id = id;
            group.principals = raw.principals.clone();
            group.all_users = raw.all_users;
            if !keep_rules {
                group.rules = raw.rules.clone();
            }
            if raw.shape == 3 {
                group.name = name;
            }
            group
        }
        None => build_group(raw, id, name),
    }
}

#[derive(Clone, Debug)]
pub struct RequestRaw {
    pub action: usize,
    pub subject: SubjectRaw,
    pub resource: ResourceRaw,
    pub json: bool,
}

/// Action index `ACTIONS.len()` is an action no catalogue has.
pub const UNKNOWN_ACTION: &str = "scan.launch";

/// An action index: actions with an object check four times as often as others (they have
/// more to get wrong), asset and target checks eight times; `ACTIONS.len()` is the unknown
/// action.
pub fn action_index() -> impl Strategy<Value = usize> {
    let weights: Vec<u32> = ACTIONS
        .iter()
        .map(|a| match a.object {
            tables::Object::None => 1,
            tables::Object::Asset(..) | tables::Object::Targets => 8,
            _ => 4,
        })
        .chain([1])
        .collect();
    let total: u32 = weights.iter().sum();
    (0..total).prop_map(move |mut n| {
        for (i, w) in weights.iter().enumerate() {
            if n < *w {
                return i;
            }
            n -= w;
        }
        ACTIONS.len()
    })
}

/// A request: an action, a subject, a resource (mostly of the kind the action takes),
/// and whether it goes through the request format.
pub fn request_raw() -> impl Strategy<Value = RequestRaw> {
    // One resource strategy per action, built once (a strategy per generated request
    // would dominate the run in a debug build).
    let resources: std::rc::Rc<Vec<BoxedStrategy<ResourceRaw>>> =
        std::rc::Rc::new((0..=ACTIONS.len()).map(resource_for).collect());
    action_index()
        .prop_flat_map(move |action| {
            (
                Just(action),
                subject_raw(),
                resources[action].clone(),
                prop_oneof![2 => Just(false), 1 => Just(true)],
            )
        })
        .prop_map(|(action, subject, resource, json)| RequestRaw {
            action,
            subject,
            resource,
            json,
        })
}

/// How many cases a differential test runs: `SCANGATE_MODEL_CASES` when set, else
/// `default`.
pub fn model_cases(default: u32) -> u32 {
    std::env::var("SCANGATE_MODEL_CASES")
        .ok()
        .map(|v| v.parse().expect("SCANGATE_MODEL_CASES is a number"))
        .unwrap_or(default)
}

/// The runner configuration of the differential tests: `cases` cases, failures kept in
/// `proptest-regressions` beside `source_file` (the test's `file!()`), two minutes of
/// shrinking.
pub fn runner_config(cases: u32, source_file: &'static str) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm};
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(source_file),
        max_shrink_time: 120_000,
        // ChaCha in a debug build costs a quarter of the run; the cases need no
        // cryptographic randomness.
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    }
}
