//! Differential test of the whole engine (`Policy::check`, `check_named`, `check_request`,
//! `is_allowed`) against the separate reference model of SPEC §1–§5 in `tests/model/`.
//!
//! Each case is a random policy (custom roles beside the built-ins, directory users with
//! roles and teams, 0–6 access groups of every type with every rule type and operator and
//! every kind of principal) and a batch of requests: every catalogue action (and an unknown
//! one), with the resource kind it takes and with wrong kinds, from directory users, inline
//! subjects, strangers, API keys with and without a user, and nobody. The same data is
//! given to the model as plain structs and to the engine through the builder or through the
//! JSON policy and request formats. Engine and model must agree on allow/deny, on the
//! denying layer, on the deciding access group (with its rule, term and grant) for asset
//! and target allows, and on the target and containing group of those denials; and
//! `is_allowed` and `check_named` must agree with `check`.
//!
//! Cases: 100,000 by default (CI), half with policies built through the builder, half
//! through the JSON file format (two tests, so the harness runs them on two threads). A
//! long run is `SCANGATE_MODEL_CASES=10000000 cargo test --release --test engine_model`
//! (proptest's `PROPTEST_CASES` is not used: the count is set explicitly);
//! `SCANGATE_MODEL_STATS=1` with `--nocapture` prints how often each action was allowed
//! and denied.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

mod model;

use model::tables::{self, ACTIONS, Perms, Scan};
use model::{GrantFact, GroupType, Layer as MLayer, ObjectDetail, PrincipalKind as MKind};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestRunner,
};
use scangate::{
    AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, Decision, Denial, Grant,
    Layer, Membership, ObjectGrant, Permissions, Policy, PrincipalKind, Request, Resource, Role,
    RoleDraft, RoleId, RolePatch, Rule, ScanLevel, ScopeSet, Subject, Target, User,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

// ---------------------------------------------------------------------------------------
// Pools. Small on purpose: values and terms are drawn from the same few strings so that
// rules hit, miss, overlap and nest often.

const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
const TEAMS: [&str; 3] = ["t0", "t1", "t2"];
const NIL: &str = model::NIL_UUID;
/// Ids a subject may claim: directory users, a stranger, a case variant.
const SUBJECT_USERS: [&str; 6] = ["u0", "u1", "u2", "u3", "stranger", "U0"];
/// Inline groups a subject may claim (a user id among them: it must not match a `user`
/// principal).
const SUBJECT_TEAMS: [&str; 4] = ["t0", "t1", "t2", "u0"];
const USER_PRINCIPAL_IDS: [&str; 8] = ["u0", "u1", "u2", "u3", "U0", "stranger", "t0", NIL];
const GROUP_PRINCIPAL_IDS: [&str; 6] = ["t0", "t1", "t2", "u1", NIL, "T0"];
const CUSTOM_ROLE_IDS: [u64; 5] = [8, 1_000_001, 1_000_002, 1_000_003, 4_000_000_000];
/// Stored custom role names: duplicates and case variants of each other and of built-in
/// names are allowed in stored data.
const ROLE_NAMES: [&str; 7] = [
    "Scanner",
    "Ops",
    "auditor",
    "Security Manager",
    "ops",
    "R",
    "Ünïcode",
];
/// Role ids that do not exist in any generated policy.
const MISSING_ROLES: [u64; 2] = [99, 1_000_099];

const IPV4_TERMS: [&str; 18] = [
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
const IPV4_VALUES: [&str; 16] = [
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
const IPV6_TERMS: [&str; 13] = [
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
const IPV6_VALUES: [&str; 13] = [
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
const TARGET_NAMES: [&str; 12] = [
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
/// Name values only assets can have.
/// Name values only assets can have: Unicode (one that lowercases to two characters, a
/// final sigma), a literal `*`.
const ASSET_ONLY_NAMES: [&str; 5] = [
    "Ünï.example.com",
    "*.example.com",
    "İZMİR.example.com",
    "ΟΔΟΣ.example.com",
    "STRAßE.example.com",
];
const NAME_EQ: [&str; 12] = [
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
const NAME_STARTS: [&str; 10] = [
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
const NAME_ENDS: [&str; 7] = [
    ".example.com",
    "example.com",
    "EXAMPLE.COM.",
    "1.example.com",
    "corp",
    ".corp.example.com",
    "mail",
];
const NAME_MATCH: [&str; 14] = [
    "h*1.ex*", "*", "**", "web*corp", "*.com", "b01", "ü*", "WEB*", "e*e*e", "co*rp", "h1*com.",
    "*ς.*", "i̇*r", "Σ*Σ",
];
const OS_VALUES: [&str; 7] = [
    "Windows Server 2019",
    "Linux 5.4",
    "linux",
    "Microsoft Windows 10 Pro",
    "macOS.",
    "macOS",
    "οδος",
];
const OS_EQ: [&str; 5] = ["linux", "WINDOWS SERVER 2019", "macOS", "macos.", "ΟΔΟΣ"];
const OS_MATCH: [&str; 6] = ["windows*2019", "*server*", "LIN", "*", "win*pro", "os."];
const TAGS: [&str; 3] = [
    "24ec0790-eb18-4c9c-b787-9c1164a9c1b9",
    "24EC0790-EB18-4C9C-B787-9C1164A9C1B9",
    "24ec0790-eb18-4c9c-b787-9c1164a9c1ba",
];

/// Values (and `eq` terms) of the 21 eq-only types: case variants, MAC spellings, Qualys
/// ids with leading zeros, UUIDs in both cases.
fn eq_pool(rule_type: &str) -> &'static [&'static str] {
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
const RULE_TYPES: [(&str, u32); 27] = [
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

fn term_pool(rule_type: &str, operator: &str) -> &'static [&'static str] {
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

fn value_pool(attribute: &str) -> Vec<&'static str> {
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

fn pick<T: Copy>(pool: &[T], index: &Index) -> T {
    *index.get(pool)
}

// ---------------------------------------------------------------------------------------
// Generation: raw random choices, resolved into model data by plain functions.

fn weighted_rule_type() -> impl Strategy<Value = &'static str> {
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

fn rule() -> impl Strategy<Value = model::Rule> {
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

fn principal() -> impl Strategy<Value = model::Principal> {
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
struct GroupRaw {
    /// 0 MANAGE_ASSETS, 1 SCAN_TARGETS, 2 All Assets, 3 odd combinations servers never
    /// send (type and `all_assets` disagreeing).
    shape: u8,
    odd: Index,
    rules: Vec<model::Rule>,
    principals: Option<Vec<model::Principal>>,
    all_users: bool,
}

fn group_raw() -> impl Strategy<Value = GroupRaw> {
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

fn build_group(raw: &GroupRaw, id: Option<String>, name: String) -> model::Group {
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
struct PermsRaw {
    mode: u8,
    a: u32,
    b: u32,
    scan: u8,
}

fn perms_raw() -> impl Strategy<Value = PermsRaw> {
    (0u8..5, any::<u32>(), any::<u32>(), 0u8..3).prop_map(|(mode, a, b, scan)| PermsRaw {
        mode,
        a,
        b,
        scan,
    })
}

fn perms_from(raw: &PermsRaw, allow_manage_app: bool) -> Perms {
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
struct PolicyRaw {
    roles: Vec<(u64, Index, PermsRaw)>,
    users: Vec<Option<(Index, u8)>>,
    groups: Vec<(GroupRaw, u8, Index)>,
}

fn policy_raw() -> impl Strategy<Value = PolicyRaw> {
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
fn role_ids(policy: &model::Policy) -> Vec<u64> {
    (0..8).chain(policy.roles.iter().map(|r| r.id)).collect()
}

const GROUP_NAMES: [&str; 6] = ["Web", "web", "Lab (1)", "Ops:[x]", "All Assets", "Shared"];

fn build_policy(raw: &PolicyRaw) -> model::Policy {
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
struct SubjectRaw {
    user: Option<usize>,
    role: Option<Index>,
    groups: Option<u8>,
    scopes: Option<(u8, u32, u32)>,
}

fn subject_raw() -> impl Strategy<Value = SubjectRaw> {
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

fn build_subject(policy: &model::Policy, raw: &SubjectRaw) -> model::Subject {
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
enum ResourceRaw {
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
const DRAFT_ROLE_NAMES: [&str; 13] = [
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
const DRAFT_GROUP_NAMES: [&str; 12] = [
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
const USER_GROUPS: [&str; 5] = ["t0", "t1", "t2", "t9", "u0"];

fn any_resource() -> BoxedStrategy<ResourceRaw> {
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

fn asset_raw() -> BoxedStrategy<ResourceRaw> {
    proptest::collection::vec((weighted_rule_type(), any::<Index>()), 0..5)
        .prop_map(ResourceRaw::Asset)
        .boxed()
}

fn targets_raw() -> BoxedStrategy<ResourceRaw> {
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
enum Relative {
    /// As generated, whoever asks.
    Random,
    /// Draft: exactly the requester's permissions. Patch: revoke what the role holds
    /// beyond the requester (allowed only if the rule checks the role after the change,
    /// refused because it also checks it before).
    Within,
    /// One flag (this index among those the requester lacks) beyond the requester.
    Beyond(Index),
}

fn relative() -> impl Strategy<Value = Relative> {
    prop_oneof![
        2 => Just(Relative::Random),
        1 => Just(Relative::Within),
        1 => any::<Index>().prop_map(Relative::Beyond),
    ]
}

fn role_draft_raw() -> BoxedStrategy<ResourceRaw> {
    (
        any::<Index>(),
        perms_raw(),
        relative(),
        prop_oneof![9 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(n, p, r, app)| ResourceRaw::RoleDraft(n, p, r, app))
        .boxed()
}

fn role_patch_raw() -> BoxedStrategy<ResourceRaw> {
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

fn draft_raw() -> BoxedStrategy<ResourceRaw> {
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
fn resource_for(action: usize) -> BoxedStrategy<ResourceRaw> {
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
fn requester_perms(policy: &model::Policy, subject: &model::Subject) -> Option<Perms> {
    let id = subject.role.or_else(|| {
        let user = subject.user.as_ref()?;
        policy.users.iter().find(|u| &u.id == user).map(|u| u.role)
    })?;
    policy.role_perms(id)
}

/// `base` with one flag it lacks (the `pick`-th of them) added, or its scan level raised
/// when it lacks no flag.
fn one_beyond(base: &Perms, pick: &Index) -> Perms {
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

fn build_resource(
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

fn draft_role_name(index: &Index) -> String {
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
fn build_draft(
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
struct RequestRaw {
    action: usize,
    subject: SubjectRaw,
    resource: ResourceRaw,
    json: bool,
}

/// Action index `ACTIONS.len()` is an action no catalogue has.
const UNKNOWN_ACTION: &str = "scan.launch";

/// An action index: actions with an object check four times as often as others (they have
/// more to get wrong), asset and target checks eight times; `ACTIONS.len()` is the unknown
/// action.
fn action_index() -> impl Strategy<Value = usize> {
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

fn request_raw() -> impl Strategy<Value = RequestRaw> {
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

/// How the engine's policy is built: builder, or the JSON file in one of its dialects.
#[derive(Clone, Copy, Debug)]
struct Style {
    json: bool,
    /// v1 shapes: no `access_group_type` where it can be inferred, no `permissions` on
    /// view-only principals.
    v1: bool,
    /// Role flags as JSON booleans.
    booleans: bool,
    /// Role flags that are false left out.
    sparse: bool,
}

#[derive(Clone, Debug)]
struct Case {
    policy: PolicyRaw,
    style: Style,
    requests: Vec<RequestRaw>,
}

/// Requests per generated policy: building the policy (compiled index included) costs
/// about as much as eight requests in a debug build, so a batch keeps the run short.
const REQUESTS_PER_CASE: usize = 8;

/// Cases whose policy the engine gets through the builder (`json: false`) or through the
/// policy file format (`json: true`, in its v1/v2, string/boolean, full/sparse dialects).
fn case(json: bool) -> impl Strategy<Value = Case> {
    (
        policy_raw(),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        proptest::collection::vec(request_raw(), REQUESTS_PER_CASE),
    )
        .prop_map(move |(policy, (v1, booleans, sparse), requests)| Case {
            policy,
            style: Style {
                json,
                v1,
                booleans,
                sparse,
            },
            requests,
        })
}

// ---------------------------------------------------------------------------------------
// Conversion of model data to the crate's types and formats. The permission table below
// is this test's own spelling of which constant carries which wire name.

const PERMISSION_CONSTANTS: [(&str, Permissions); 29] = [
    ("permManageApp", Permissions::MANAGE_APP),
    ("permManageGroups", Permissions::MANAGE_GROUPS),
    ("permManageRoles", Permissions::MANAGE_ROLES),
    ("permManageImages", Permissions::MANAGE_IMAGES),
    (
        "permManageGroupRelationships",
        Permissions::MANAGE_GROUP_RELATIONSHIPS,
    ),
    (
        "permManageBlackoutWindows",
        Permissions::MANAGE_BLACKOUT_WINDOWS,
    ),
    (
        "permManageAttributeSets",
        Permissions::MANAGE_ATTRIBUTE_SETS,
    ),
    ("permCreateTickets", Permissions::CREATE_TICKETS),
    ("permCreateAlerts", Permissions::CREATE_ALERTS),
    ("permCreateAuditFiles", Permissions::CREATE_AUDIT_FILES),
    ("permCreateLDAPAssets", Permissions::CREATE_LDAP_ASSETS),
    ("permCreatePolicies", Permissions::CREATE_POLICIES),
    ("permPurgeTickets", Permissions::PURGE_TICKETS),
    ("permPurgeScanResults", Permissions::PURGE_SCAN_RESULTS),
    ("permPurgeReportResults", Permissions::PURGE_REPORT_RESULTS),
    ("permAgentsScan", Permissions::AGENTS_SCAN),
    ("permAgentsSync", Permissions::AGENTS_SYNC),
    ("permShareObjects", Permissions::SHARE_OBJECTS),
    ("permUpdateFeeds", Permissions::UPDATE_FEEDS),
    (
        "permUploadNessusResults",
        Permissions::UPLOAD_NESSUS_RESULTS,
    ),
    ("permViewOrgLogs", Permissions::VIEW_ORG_LOGS),
    (
        "permManageAcceptRiskRules",
        Permissions::MANAGE_ACCEPT_RISK_RULES,
    ),
    (
        "permManageRecastRiskRules",
        Permissions::MANAGE_RECAST_RISK_RULES,
    ),
    ("permManageACR", Permissions::MANAGE_ACR),
    (
        "permViewDomainInventoryAssets",
        Permissions::VIEW_DOMAIN_INVENTORY_ASSETS,
    ),
    (
        "permManageAttackSurfaceDomains",
        Permissions::MANAGE_ATTACK_SURFACE_DOMAINS,
    ),
    (
        "permManageVulnRoutingRules",
        Permissions::MANAGE_VULN_ROUTING_RULES,
    ),
    ("permViewHostAssets", Permissions::VIEW_HOST_ASSETS),
    ("permManageRiskRules", Permissions::MANAGE_RISK_RULES),
];

fn flag(field: &str) -> Permissions {
    PERMISSION_CONSTANTS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| panic!("no constant for {field}"))
}

fn scan_level(scan: Scan) -> ScanLevel {
    match scan {
        Scan::None => ScanLevel::None,
        Scan::Policy => ScanLevel::Policy,
        Scan::Full => ScanLevel::Full,
    }
}

fn crate_perms(perms: &Perms) -> Permissions {
    let mut out = match perms.scan {
        Scan::None => Permissions::empty(),
        Scan::Policy => Permissions::SCAN,
        Scan::Full => Permissions::SCAN_FULL,
    };
    for field in &perms.flags {
        out |= flag(field);
    }
    out
}

fn crate_group_type(t: GroupType) -> AccessGroupType {
    match t {
        GroupType::ManageAssets => AccessGroupType::ManageAssets,
        GroupType::ScanTargets => AccessGroupType::ScanTargets,
        GroupType::All => AccessGroupType::All,
    }
}

fn access_perms(view: bool, scan: bool) -> AccessPermissions {
    let mut p = AccessPermissions::empty();
    if view {
        p |= AccessPermissions::CAN_VIEW;
    }
    if scan {
        p |= AccessPermissions::CAN_SCAN;
    }
    p
}

fn crate_group(g: &model::Group) -> AccessGroup {
    let principals = g.principals.as_ref().map(|ps| {
        ps.iter()
            .map(|p| {
                let kind = match &p.kind {
                    MKind::User => PrincipalKind::User,
                    MKind::Group => PrincipalKind::Group,
                    MKind::AllUsers => PrincipalKind::AllUsers,
                    MKind::Other(other) => PrincipalKind::Other(other.as_str().into()),
                };
                scangate::Principal::new(kind, p.id.as_deref(), None, access_perms(p.view, p.scan))
            })
            .collect()
    });
    let rules = g
        .rules
        .iter()
        .map(|r| {
            Rule::parse(&r.rule_type, &r.operator, &r.terms)
                .unwrap_or_else(|e| panic!("{r:?}: {e}"))
        })
        .collect();
    let mut group = AccessGroup::new(&g.name, crate_group_type(g.group_type))
        .with_all_assets(g.all_assets)
        .with_all_users(g.all_users)
        .with_principals(principals)
        .with_rules(rules);
    if let Some(id) = &g.id {
        group = group.with_id(id);
    }
    group
}

fn group_json(g: &model::Group, v1: bool) -> Value {
    let mut object = serde_json::Map::new();
    if let Some(id) = &g.id {
        object.insert("id".into(), json!(id));
    }
    object.insert("name".into(), json!(g.name));
    let inferred = if g.all_assets {
        GroupType::All
    } else {
        GroupType::ManageAssets
    };
    if !(v1 && g.group_type == inferred) {
        object.insert(
            "access_group_type".into(),
            json!(crate_group_type(g.group_type).as_str()),
        );
    }
    object.insert("all_assets".into(), json!(g.all_assets));
    object.insert("all_users".into(), json!(g.all_users));
    object.insert(
        "rules".into(),
        g.rules
            .iter()
            .map(|r| json!({"type": r.rule_type, "operator": r.operator, "terms": r.terms}))
            .collect(),
    );
    if let Some(principals) = &g.principals {
        let list: Vec<Value> = principals
            .iter()
            .map(|p| {
                let mut o = serde_json::Map::new();
                let kind = match &p.kind {
                    MKind::User => "user",
                    MKind::Group => "group",
                    MKind::AllUsers => "all_users",
                    MKind::Other(other) => other.as_str(),
                };
                o.insert("type".into(), json!(kind));
                if let Some(id) = &p.id {
                    o.insert("principal_id".into(), json!(id));
                }
                // v1: a principal without `permissions` holds CAN_VIEW only.
                if !(v1 && p.view && !p.scan) {
                    let mut names = Vec::new();
                    if p.view {
                        names.push("CAN_VIEW");
                    }
                    if p.scan {
                        names.push("CAN_SCAN");
                    }
                    o.insert("permissions".into(), json!(names));
                }
                Value::Object(o)
            })
            .collect();
        object.insert("principals".into(), Value::Array(list));
    }
    Value::Object(object)
}

fn perms_json(object: &mut serde_json::Map<String, Value>, perms: &Perms, style: Style) {
    for field in tables::flag_fields() {
        let held = perms.flags.contains(field);
        if style.sparse && !held {
            continue;
        }
        let value = if style.booleans {
            json!(held)
        } else {
            json!(if held { "true" } else { "false" })
        };
        object.insert(field.into(), value);
    }
    if !(style.sparse && perms.scan == Scan::None) {
        object.insert("permScan".into(), json!(perms.scan.wire()));
    }
}

fn policy_json(policy: &model::Policy, style: Style) -> String {
    let roles: Vec<Value> = policy
        .roles
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            o.insert("id".into(), json!(r.id.to_string()));
            o.insert("name".into(), json!(r.name));
            perms_json(&mut o, &r.perms, style);
            Value::Object(o)
        })
        .collect();
    let groups: Vec<Value> = policy
        .groups
        .iter()
        .map(|g| group_json(g, style.v1))
        .collect();
    let users: Vec<Value> = policy
        .users
        .iter()
        .map(|u| json!({"id": u.id, "role": u.role.to_string(), "groups": u.teams}))
        .collect();
    json!({"roles": roles, "access_groups": groups, "users": users}).to_string()
}

/// The engine's policy, or `None` when a policy file must be refused: a group pairing
/// `all_assets: true` with a type other than `ALL` contradicts itself, and the file reader
/// refuses it rather than read it the way that grants more (semantics, layer 3). The
/// builder takes such a group as the code states it, and the model decides it by the flag.
fn build_engine(policy: &model::Policy, style: Style) -> Option<Policy> {
    if style.json {
        let text = policy_json(policy, style);
        let contradictory = policy
            .groups
            .iter()
            .any(|g| g.all_assets && g.group_type != GroupType::All);
        return match Policy::from_json(&text) {
            Ok(engine) if !contradictory => Some(engine),
            Err(error) if contradictory => {
                let message = error.to_string();
                assert!(
                    message.contains("all_assets true goes with `ALL` only"),
                    "{message}\n{text}"
                );
                None
            }
            Ok(_) => panic!("a contradictory group was loaded\n{text}"),
            Err(error) => panic!("{error}\n{text}"),
        };
    }
    let roles = policy.roles.iter().map(|r| {
        Role::new(RoleId::new(r.id), r.name.clone()).with_permissions(crate_perms(&r.perms))
    });
    let groups = policy.groups.iter().map(crate_group);
    let users = policy
        .users
        .iter()
        .map(|u| User::new(u.id.clone(), RoleId::new(u.role)).with_groups(u.teams.iter()));
    let engine = Policy::builder()
        .roles(roles)
        .access_groups(AccessGroups::from_server(groups))
        .users(users)
        .build()
        .unwrap();
    Some(engine)
}

fn scope_set(scopes: &[String]) -> ScopeSet {
    ScopeSet::parse(&scopes.join(" ")).unwrap()
}

fn crate_asset(asset: &model::Asset) -> Asset {
    let mut out = Asset::new();
    for (attribute, value) in &asset.values {
        out = out
            .with(attribute, value)
            .unwrap_or_else(|e| panic!("{attribute} {value}: {e}"));
    }
    out
}

fn crate_patch(patch: &model::RolePatch) -> RolePatch {
    let mut out = RolePatch::new();
    if let Some(name) = &patch.name {
        out = out.rename(name.clone());
    }
    if let Some(description) = &patch.description {
        out = out.describe(description.clone());
    }
    for (field, value) in &patch.flags {
        out = if *value {
            out.grant(flag(field))
        } else {
            out.revoke(flag(field))
        };
    }
    if let Some(scan) = patch.scan {
        out = out.scan_level(scan_level(scan));
    }
    out
}

fn request_json(subject: &model::Subject, action: &str, resource: &model::Resource) -> String {
    let mut s = serde_json::Map::new();
    if let Some(user) = &subject.user {
        s.insert("user".into(), json!(user));
    }
    if let Some(role) = subject.role {
        s.insert("role".into(), json!(role.to_string()));
    }
    if let Some(groups) = &subject.groups {
        s.insert("groups".into(), json!(groups));
    }
    if let Some(scopes) = &subject.scopes {
        s.insert("scopes".into(), json!(scopes));
    }
    let style = Style {
        json: true,
        v1: false,
        booleans: false,
        sparse: true,
    };
    let r = match resource {
        model::Resource::None => None,
        model::Resource::Asset(asset) => {
            let mut by_attribute: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (attribute, value) in &asset.values {
                by_attribute.entry(attribute).or_default().push(value);
            }
            Some(json!({"asset": by_attribute}))
        }
        model::Resource::Targets(targets) => Some(json!({"targets": targets})),
        model::Resource::Role(id) => Some(json!({"role": id.to_string()})),
        model::Resource::RoleDraft(draft) => {
            let mut o = serde_json::Map::new();
            o.insert("name".into(), json!(draft.name));
            perms_json(&mut o, &draft.perms, style);
            if draft.perms.flags.contains("permManageApp") {
                o.insert("permManageApp".into(), json!("true"));
            }
            Some(json!({"role_draft": o}))
        }
        model::Resource::RolePatch(id, patch) => {
            let mut o = serde_json::Map::new();
            if let Some(name) = &patch.name {
                o.insert("name".into(), json!(name));
            }
            if let Some(description) = &patch.description {
                o.insert("description".into(), json!(description));
            }
            for (field, value) in &patch.flags {
                o.insert(
                    (*field).into(),
                    json!(if *value { "true" } else { "false" }),
                );
            }
            if let Some(scan) = patch.scan {
                o.insert("permScan".into(), json!(scan.wire()));
            }
            Some(json!({"role": id.to_string(), "role_patch": o}))
        }
        model::Resource::UserGroup(g) => Some(json!({"group": g})),
        model::Resource::AccessGroup(id) => Some(json!({"access_group": id})),
        model::Resource::AccessGroupDraft(g) => {
            Some(json!({"access_group_draft": group_json(g, false)}))
        }
    };
    let mut request = json!({"subject": s, "action": action});
    if let Some(r) = r {
        request["resource"] = r;
    }
    request.to_string()
}

// ---------------------------------------------------------------------------------------
// Comparison.

fn model_layer(layer: Layer) -> MLayer {
    match layer {
        Layer::Action => MLayer::Action,
        Layer::Subject => MLayer::Subject,
        Layer::Scopes => MLayer::Scopes,
        Layer::Role => MLayer::Role,
        Layer::Object => MLayer::Object,
    }
}

fn position(policy: &Policy, group: &AccessGroup) -> usize {
    policy
        .access_groups()
        .iter()
        .position(|g| std::ptr::eq(g, group))
        .expect("a group of the policy")
}

fn model_membership(m: Membership) -> model::Membership {
    match m {
        Membership::AllAssets => None,
        Membership::Rule { rule, term } => Some((rule, term)),
    }
}

fn model_grant(g: &Grant<'_>) -> GrantFact {
    match g {
        Grant::AllAssetsDefault => GrantFact::AllAssetsDefault,
        Grant::AllUsers => GrantFact::AllUsers,
        Grant::Principal { index, .. } => GrantFact::Principal(*index),
    }
}

/// What the engine's decision says, in the model's terms.
fn engine_outcome(policy: &Policy, decision: &Decision<'_>) -> model::Outcome {
    let detail = match (decision.object(), decision.denial()) {
        (
            Some(ObjectGrant::Asset {
                group,
                membership,
                grant,
                ..
            }),
            _,
        ) => ObjectDetail::Asset(model::Granted {
            group: position(policy, group),
            membership: model_membership(*membership),
            grant: model_grant(grant),
        }),
        (Some(ObjectGrant::Targets(grants)), _) => ObjectDetail::Targets(
            grants
                .iter()
                .map(|t| model::Granted {
                    group: position(policy, t.group),
                    membership: model_membership(t.membership),
                    grant: model_grant(&t.grant),
                })
                .collect(),
        ),
        (_, Some(Denial::Asset { containing, .. })) => {
            ObjectDetail::AssetDenied(containing.map(|g| position(policy, g)))
        }
        (
            _,
            Some(Denial::Target {
                index, containing, ..
            }),
        ) => ObjectDetail::TargetDenied(*index, containing.map(|g| position(policy, g))),
        _ => ObjectDetail::None,
    };
    model::Outcome {
        allowed: decision.is_allowed(),
        layer: decision.denied_by().map(model_layer),
        detail,
    }
}

/// Tally of what the run exercised, checked at the end so that the generators cannot
/// silently stop reaching an action or a layer.
#[derive(Default)]
struct Tally {
    per_action: BTreeMap<&'static str, (u64, u64)>,
    per_layer: BTreeMap<MLayer, u64>,
    asset_allows: u64,
    /// Asset checks allowed through a SCAN_TARGETS group (`asset.scan` by address).
    scan_targets_asset_allows: u64,
    target_allows: u64,
    requests: u64,
}

impl Tally {
    fn record(&mut self, action: &'static str, outcome: &model::Outcome) {
        self.requests += 1;
        let entry = self.per_action.entry(action).or_default();
        if outcome.allowed {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
        if let Some(layer) = outcome.layer {
            *self.per_layer.entry(layer).or_default() += 1;
        }
        match outcome.detail {
            ObjectDetail::Asset(_) => self.asset_allows += 1,
            ObjectDetail::Targets(ref t) if !t.is_empty() => self.target_allows += 1,
            _ => {}
        }
    }
}

fn run_case(case: &Case, tally: &Mutex<Tally>) -> Result<(), TestCaseError> {
    let model_policy = build_policy(&case.policy);
    let Some(engine) = build_engine(&model_policy, case.style) else {
        return Ok(());
    };
    for raw in &case.requests {
        let subject = build_subject(&model_policy, &raw.subject);
        let requester = requester_perms(&model_policy, &subject);
        let resource = build_resource(&model_policy, &raw.resource, requester.as_ref());
        let action: &'static str = ACTIONS.get(raw.action).map_or(UNKNOWN_ACTION, |a| a.name);
        let expected = model::decide(&model_policy, &subject, action, &resource);
        // Nobody (no user, no key) has no builder form: only a request can say it.
        let json = raw.json || (subject.user.is_none() && subject.scopes.is_none());
        let (got, quick) = if json {
            let text = request_json(&subject, action, &resource);
            let request = Request::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let decision = engine.check_request(&request);
            let got = engine_outcome(&engine, &decision);
            let quick = engine
                .action(request.action())
                .map(|a| engine.is_allowed(&request.subject(), a, request.resource()));
            (got, quick)
        } else {
            let groups = subject.groups.clone();
            let mut s = match &subject.user {
                Some(user) => Subject::user(user),
                None => Subject::api_key(ScopeSet::EMPTY),
            };
            if let Some(role) = subject.role {
                s = s.with_role(RoleId::new(role));
            }
            if let Some(groups) = &groups {
                s = s.with_groups(groups);
            }
            if let Some(scopes) = &subject.scopes {
                s = s.with_scopes(scope_set(scopes));
            }
            let asset;
            let targets: Vec<Target>;
            let draft;
            let patch;
            let group;
            let r = match &resource {
                model::Resource::None => Resource::None,
                model::Resource::Asset(a) => {
                    asset = crate_asset(a);
                    Resource::Asset(&asset)
                }
                model::Resource::Targets(t) => {
                    targets = t
                        .iter()
                        .map(|t| t.parse().unwrap_or_else(|e| panic!("{t}: {e}")))
                        .collect();
                    Resource::Targets(&targets)
                }
                model::Resource::Role(id) => Resource::Role(RoleId::new(*id)),
                model::Resource::RoleDraft(d) => {
                    draft = RoleDraft::new(d.name.clone()).with_permissions(crate_perms(&d.perms));
                    Resource::RoleDraft(&draft)
                }
                model::Resource::RolePatch(id, p) => {
                    patch = crate_patch(p);
                    Resource::RolePatch(RoleId::new(*id), &patch)
                }
                model::Resource::UserGroup(g) => Resource::UserGroup(g),
                model::Resource::AccessGroup(id) => Resource::AccessGroup(id),
                model::Resource::AccessGroupDraft(g) => {
                    group = crate_group(g);
                    Resource::AccessGroupDraft(&group)
                }
            };
            let decision = match engine.action(action) {
                Some(handle) => engine.check(&s, handle, r),
                None => engine.check_named(&s, action, r),
            };
            // Looking the action up by name decides the same, explanation included.
            prop_assert_eq!(&engine.check_named(&s, action, r), &decision);
            let got = engine_outcome(&engine, &decision);
            let quick = engine.action(action).map(|a| engine.is_allowed(&s, a, r));
            (got, quick)
        };
        let context = || {
            format!(
                "action {action}\nsubject {subject:?}\nresource {resource:?}\nvia {}\npolicy {}",
                if json { "request JSON" } else { "builder" },
                policy_json(&model_policy, case.style)
            )
        };
        prop_assert_eq!(&got, &expected, "engine vs model\n{}", context());
        if let Some(quick) = quick {
            prop_assert_eq!(quick, got.allowed, "is_allowed vs check\n{}", context());
        }
        let mut tally = tally.lock().unwrap();
        tally.record(action, &expected);
        if let ObjectDetail::Asset(granted) = &expected.detail {
            if model_policy.groups[granted.group].group_type == GroupType::ScanTargets {
                tally.scan_targets_asset_allows += 1;
            }
        }
    }
    Ok(())
}

/// 100,000 cases unless `SCANGATE_MODEL_CASES` says otherwise, split between the two
/// tests below (which the test harness runs on two threads).
fn cases() -> u32 {
    std::env::var("SCANGATE_MODEL_CASES")
        .ok()
        .map(|v| v.parse().expect("SCANGATE_MODEL_CASES is a number"))
        .unwrap_or(100_000)
}

fn run(json: bool) {
    let cases = cases().div_ceil(2);
    let config = Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(file!()),
        max_shrink_time: 120_000,
        // ChaCha in a debug build costs a quarter of the run; the cases need no
        // cryptographic randomness.
        rng_algorithm: RngAlgorithm::XorShift,
        ..Config::default()
    };
    let tally = Mutex::new(Tally::default());
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&case(json), |case| run_case(&case, &tally)) {
        panic!("{error}");
    }
    let tally = tally.into_inner().unwrap();
    eprintln!(
        "engine_model ({} policies): {cases} cases, {} requests, {} asset allows ({} through SCAN_TARGETS), {} target allows, denials by layer {:?}",
        if json { "JSON" } else { "builder" },
        tally.requests,
        tally.asset_allows,
        tally.scan_targets_asset_allows,
        tally.target_allows,
        tally.per_layer
    );
    if std::env::var_os("SCANGATE_MODEL_STATS").is_some() {
        for (action, (allows, denies)) in &tally.per_action {
            eprintln!("  {action:<30} {allows:>8} allowed {denies:>8} denied");
        }
    }
    if cases >= 5_000 {
        // Every action allowed and denied, every layer denying, layer 3 granting: the
        // generators must not silently stop reaching something.
        for row in &ACTIONS {
            let (allows, denies) = tally.per_action.get(row.name).copied().unwrap_or_default();
            assert!(
                allows > 0 && denies > 0,
                "{}: {allows} allows, {denies} denials",
                row.name
            );
        }
        for layer in [
            MLayer::Action,
            MLayer::Subject,
            MLayer::Scopes,
            MLayer::Role,
            MLayer::Object,
        ] {
            assert!(
                tally.per_layer.get(&layer).copied().unwrap_or(0) > 0,
                "{layer:?}"
            );
        }
        assert!(tally.asset_allows > 0 && tally.target_allows > 0);
        assert!(tally.scan_targets_asset_allows > 0);
    }
}

#[test]
fn engine_agrees_with_the_model_on_builder_policies() {
    run(false);
}

#[test]
fn engine_agrees_with_the_model_on_json_policies() {
    run(true);
}

/// The model's tables against what they restate: the catalogue names the engine has (a
/// completeness check only: requirements are compared through decisions, above), the
/// scopes of seed 000, and every field of the built-in roles in seeds 001 and 002 (the
/// fixture copies).
#[test]
fn model_tables_restate_the_seeds_and_name_every_engine_action() {
    let mut engine: Vec<String> = Policy::default()
        .actions()
        .map(|(a, _)| a.to_string())
        .collect();
    let mut model: Vec<String> = ACTIONS.iter().map(|a| a.name.to_owned()).collect();
    engine.sort();
    model.sort();
    assert_eq!(engine, model);

    let seed = include_str!("fixtures/seeds/000_4647228c4585d079.txt");
    let listed: Vec<&str> = seed
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(scope, _)| scope))
        .filter(|scope| tables::SCOPES.contains(scope))
        .collect();
    assert_eq!(listed, tables::SCOPES);

    let check_role = |role: &Value, fields: &[&str]| {
        let id: u64 = role["id"].as_str().unwrap().parse().unwrap();
        let row = tables::BUILTIN_ROLES.iter().find(|r| r.id == id).unwrap();
        assert_eq!(role["name"], row.name);
        for field in tables::flag_fields() {
            let shown = role.get(field).and_then(Value::as_str);
            assert!(shown.is_some() || !fields.contains(&field), "{id} {field}");
            assert_eq!(
                row.flags.contains(&field),
                shown == Some("true"),
                "role {id} {field}"
            );
        }
        assert_eq!(role["permScan"], row.scan.wire(), "role {id}");
    };
    // Seed 001: roles 0 and 2-7 with the 27 older fields; the others are false.
    let seed = include_str!("fixtures/seeds/001_5829cb09eda6dfd4.txt");
    let response: Value =
        serde_json::from_str(&seed[seed.find("{\n\t\"type\"").unwrap()..]).unwrap();
    let roles = response["response"].as_array().unwrap();
    assert_eq!(roles.len(), 7);
    for role in roles {
        check_role(role, &[]);
    }
    // Seed 002: the Administrator with all 30 fields.
    let seed = include_str!("fixtures/seeds/002_9dff7fb58ea9a609.txt");
    let line = seed
        .lines()
        .find(|l| l.starts_with(r#"{ "type" : "regular", "response" : { "id" : "1""#))
        .unwrap();
    let admin: Value = serde_json::from_str(line).unwrap();
    check_role(&admin["response"], &tables::PERMISSION_FIELDS);
}
