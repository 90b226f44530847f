//! Random v3 model data (`docs/semantics.md`, "Layer 3 v3: permissions and tags") for the
//! differential test `tests/engine_model_v3.rs`: directory users with uuid ids, user groups
//! and roles (the Administrator often), static and dynamic tags with nested filters,
//! permissions on tags, on all assets and on all objects, access groups beside them, and
//! requests about assets and tags.
//!
//! Everything is drawn from small pools on purpose, so that conditions hit, miss, overlap
//! and nest often and both allows and denials are frequent: CIDRs and ranges that overlap,
//! values that differ only in case (which some fields ignore and others do not), tag uuids
//! that the policy defines, that only permissions name, and that nobody knows, and subject
//! uuids that name users, groups, the nil uuid, or nobody (an upper-case variant: subjects
//! compare as written).

use proptest::prelude::*;
use proptest::sample::Index;

use super::generate::{self, pick};
use super::tables::ADMINISTRATOR;
use super::v3::{self, Condition, Filter, ObjectKind, PermObject, PermSubject, SubjectKind, Tag};
use super::{self as model, NIL_UUID, PrincipalKind};

// ---------------------------------------------------------------------------------------
// Pools.

/// Directory users.
pub const USERS: [&str; 4] = [
    "b83faeec-f790-433f-893c-88c48c82562e",
    "5e6d4c3b-2a19-4f08-9e7d-6c5b4a392817",
    "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
];
/// A user the directory does not hold.
pub const STRANGER: &str = "11111111-2222-4333-8444-555555555555";
/// User groups.
pub const TEAMS: [&str; 3] = [
    "7d9e1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
    "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
    "c0ffee00-1234-4abc-8def-0123456789ab",
];
/// Uuids `User` subjects name: users, a stranger, a case variant, the nil uuid.
pub const USER_SUBJECT_IDS: [&str; 7] = [
    USERS[0],
    USERS[1],
    USERS[2],
    USERS[3],
    STRANGER,
    "B83FAEEC-F790-433F-893C-88C48C82562E",
    NIL_UUID,
];
/// Uuids `UserGroup` subjects name: groups, a case variant, a user's id.
pub const GROUP_SUBJECT_IDS: [&str; 5] = [
    TEAMS[0],
    TEAMS[1],
    TEAMS[2],
    "7D9E1A2B-3C4D-4E5F-8A6B-7C8D9E0F1A2B",
    USERS[1],
];
/// Tag value uuids. The first six may be defined by a policy, the last two never are (the
/// first of those only permissions name, the last nobody but assets and requests).
pub const TAG_UUIDS: [&str; 8] = [
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c0",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c1",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c2",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c3",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c4",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c5",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c6",
    "001a56ef-2039-47c7-9dba-6ae6bd9c17c7",
];
/// How many of `TAG_UUIDS` a policy may define.
pub const DEFINABLE_TAGS: usize = 6;
/// Tag uuids permissions, assets and tag requests name: the pool, case variants, and a
/// uuid nobody knows.
pub const TAG_REFS: [&str; 11] = [
    TAG_UUIDS[0],
    TAG_UUIDS[1],
    TAG_UUIDS[2],
    TAG_UUIDS[3],
    TAG_UUIDS[4],
    TAG_UUIDS[5],
    TAG_UUIDS[6],
    TAG_UUIDS[7],
    "001A56EF-2039-47C7-9DBA-6AE6BD9C17C0",
    "001A56EF-2039-47C7-9DBA-6AE6BD9C17C3",
    "ffffffff-2039-47c7-9dba-6ae6bd9c17c0",
];
/// Tag categories and their value names (`location` differs from `Location` only in case:
/// names compare exactly).
pub const CATEGORIES: [(&str, &[&str]); 3] = [
    ("Location", &["Paris", "London", "Tokyo"]),
    ("Env", &["prod", "dev"]),
    ("location", &["Paris"]),
];

/// The filter fields conditions use, with weights (`tag.` stands for the `tag.<category>`
/// fields).
pub const CONDITION_FIELDS: [(&str, u32); 18] = [
    ("ipv4", 8),
    ("fqdn", 3),
    ("operating_system", 2),
    ("netbios_name", 1),
    ("sources", 4),
    ("tag.", 5),
    ("installed_software", 1),
    ("has_plugin_results", 1),
    ("asset_assessed", 1),
    ("property_list", 1),
    ("aws_owner_id", 1),
    ("aws_ec2_instance_type", 1),
    ("aws_ec2_instance_state_name", 1),
    ("mac_address", 1),
    ("tenable_uuid", 1),
    ("qualys_asset_id", 1),
    ("network_id", 1),
    ("gcp_zone", 1),
];

/// The values a condition on `field` with `operator` lists items from.
pub fn condition_pool(field: &str, operator: &str) -> &'static [&'static str] {
    let matching = matches!(operator, "match" | "nmatch");
    match field {
        "ipv4" => &[
            "192.168.0.0/24",
            "192.168.0.0/16",
            "192.168.0.10-192.168.0.20",
            "192.168.0.15",
            "10.0.0.0/8",
            "192.168.1.0/24",
            "192.168.0.128/25",
            "192.168.0.77/24",
            "10.1.2.3",
        ],
        "fqdn" if matching => &["corp", "*.corp.*", "web*", "EXAMPLE"],
        "fqdn" => &[
            "web.corp.example",
            "WEB.corp.example.",
            "db.corp.example",
            "mail.other.example",
        ],
        "operating_system" if matching => &["windows", "linux", "win*2019"],
        "operating_system" => &["Linux 5.4", "windows server 2019", "macOS"],
        "netbios_name" if matching => &["host", "*1"],
        "netbios_name" => &["HOST1", "host2"],
        "sources" => &["NESSUS_SCAN", "AWS", "NESSUS_AGENT", "nessus_scan"],
        "installed_software" if matching => &["nginx", "openssl*3"],
        "installed_software" => &["cpe:/a:nginx:nginx:1.0", "CPE:/A:OPENSSL:OPENSSL:3.0"],
        "has_plugin_results" | "asset_assessed" => &["true", "false", "TRUE"],
        "property_list" => &["operating_system", "servicenow_sysid"],
        "aws_owner_id" => &["123456789012", "123456789013"],
        "aws_ec2_instance_type" => &["t2.micro", "m5.large"],
        "aws_ec2_instance_state_name" => &["running", "stopped"],
        "mac_address" => &[
            "00:11:22:33:44:55",
            "00-11-22-33-44-55",
            "aa:bb:cc:dd:ee:ff",
        ],
        "tenable_uuid" => &[
            "123e4567-e89b-12d3-a456-426655440000",
            "123e4567e89b12d3a456426655440000",
            "123E4567-E89B-12D3-A456-426655440001",
        ],
        "qualys_asset_id" => &["123", "0123", "124"],
        "network_id" => &[
            "00000000-0000-0000-0000-000000000000",
            "dd3ca7f9-ee9f-4a5b-8c2d-000000000001",
        ],
        "gcp_zone" => &["us-central1-a", "US-central1-a"],
        other => panic!("no pool for {other}"),
    }
}

/// The values an asset's `attribute` draws from.
pub fn asset_pool(attribute: &str) -> &'static [&'static str] {
    match attribute {
        "ipv4" => &[
            "192.168.0.7",
            "192.168.0.15",
            "192.168.0.200",
            "192.168.1.3",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.10",
        ],
        "fqdn" => &[
            "web.corp.example",
            "DB.corp.example.",
            "mail.other.example",
            "web01.lab",
        ],
        "operating_system" => &["Windows Server 2019", "Linux 5.4", "linux", "macOS"],
        "netbios_name" => &["HOST1", "host2", "other"],
        "sources" => &["NESSUS_SCAN", "AWS", "NESSUS_AGENT", "AZURE"],
        "installed_software" => &["cpe:/a:nginx:nginx:1.0", "cpe:/a:openssl:openssl:3.0"],
        "has_plugin_results" | "asset_assessed" => &["true", "false", "False"],
        "property_list" => &["operating_system", "servicenow_sysid"],
        "aws_account" => &["123456789012", "123456789013"],
        "aws_ec2_instance_type" => &["t2.micro", "m5.large", "T2.micro"],
        "aws_ec2_instance_state_name" => &["running", "stopped"],
        "mac_address" => &[
            "00:11:22:33:44:55",
            "AA:BB:CC:DD:EE:FF",
            "00:11:22:33:44:56",
        ],
        "tenable_uuid" => &[
            "123e4567-e89b-12d3-a456-426655440000",
            "123e4567e89b12d3a456426655440001",
            "abcdef00-e89b-12d3-a456-426655440000",
        ],
        "qualys_asset_id" => &["123", "124", "7"],
        "network_id" => &[
            "00000000-0000-0000-0000-000000000000",
            "DD3CA7F9-EE9F-4A5B-8C2D-000000000001",
        ],
        "gcp_zone" => &["us-central1-a", "europe-west1-b"],
        "tag_uuid" => &TAG_REFS,
        other => panic!("no pool for {other}"),
    }
}

/// The attributes assets carry, with weights (tag uuids are drawn separately).
pub const ASSET_ATTRIBUTES: [(&str, u32); 17] = [
    ("ipv4", 8),
    ("fqdn", 3),
    ("operating_system", 2),
    ("netbios_name", 1),
    ("sources", 5),
    ("installed_software", 1),
    ("has_plugin_results", 1),
    ("asset_assessed", 1),
    ("property_list", 1),
    ("aws_account", 1),
    ("aws_ec2_instance_type", 1),
    ("aws_ec2_instance_state_name", 1),
    ("mac_address", 1),
    ("tenable_uuid", 1),
    ("qualys_asset_id", 1),
    ("network_id", 1),
    ("gcp_zone", 1),
];

/// An element of a weighted table.
fn weighted<T: Copy + std::fmt::Debug + 'static>(
    table: &'static [(T, u32)],
) -> impl Strategy<Value = T> {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    (0..total).prop_map(move |mut n| {
        for (item, w) in table {
            if n < *w {
                return *item;
            }
            n -= w;
        }
        table[0].0
    })
}

// ---------------------------------------------------------------------------------------
// Tags and filters.

/// A condition: a weighted field, one of its operators, one to three items of its pool
/// (repeats allowed), joined with `,` or `, ` (items are trimmed).
pub fn condition() -> impl Strategy<Value = Condition> {
    (
        weighted(&CONDITION_FIELDS),
        any::<Index>(),
        any::<Index>(),
        proptest::collection::vec(any::<Index>(), 1..=3),
        any::<bool>(),
    )
        .prop_map(|(field, op, category, items, spaced)| {
            let (field, pool): (String, Vec<&str>) = if field == "tag." {
                let (name, values) = pick(&CATEGORIES, &category);
                let mut pool = values.to_vec();
                pool.push("Berlin");
                (format!("tag.{name}"), pool)
            } else {
                (field.to_owned(), Vec::new())
            };
            let operator = pick(v3::field_operators(&field), &op);
            let pool = if pool.is_empty() {
                condition_pool(&field, operator).to_vec()
            } else {
                pool
            };
            let items: Vec<&str> = items.iter().map(|i| pick(&pool, i)).collect();
            Condition {
                field,
                operator: operator.to_owned(),
                value: items.join(if spaced { ", " } else { "," }),
            }
        })
}

/// An `and`/`or` of one to three members, nested up to `depth` levels (members are
/// conditions or, below the last level, nested filters).
pub fn filter(depth: u32) -> BoxedStrategy<Filter> {
    let member = if depth <= 1 {
        condition().prop_map(Filter::Condition).boxed()
    } else {
        prop_oneof![
            2 => condition().prop_map(Filter::Condition),
            1 => filter(depth - 1),
        ]
        .boxed()
    };
    (any::<bool>(), proptest::collection::vec(member, 1..=3))
        .prop_map(|(and, members)| {
            if and {
                Filter::And(members)
            } else {
                Filter::Or(members)
            }
        })
        .boxed()
}

/// A filter of depth 1, 2 or 3.
pub fn any_filter() -> BoxedStrategy<Filter> {
    prop_oneof![2 => filter(1), 2 => filter(2), 1 => filter(3)].boxed()
}

/// A tag's shape before it gets its uuid: category, value, and static / dynamic with a
/// filter / dynamic without one (list responses omit filters).
#[derive(Clone, Debug)]
pub struct TagRaw {
    pub category: Index,
    pub value: Index,
    pub kind: u8,
    pub filter: Filter,
}

/// A tag's shape: dynamic with a filter most often.
pub fn tag_raw() -> impl Strategy<Value = TagRaw> {
    (
        any::<Index>(),
        any::<Index>(),
        prop_oneof![3 => Just(0u8), 6 => Just(1u8), 1 => Just(2u8)],
        any_filter(),
    )
        .prop_map(|(category, value, kind, filter)| TagRaw {
            category,
            value,
            kind,
            filter,
        })
}

/// The tag of `raw` with this uuid.
pub fn build_tag(raw: &TagRaw, uuid: &str) -> Tag {
    let (category, values) = pick(&CATEGORIES, &raw.category);
    Tag {
        uuid: uuid.to_owned(),
        category: category.to_owned(),
        value: pick(values, &raw.value).to_owned(),
        dynamic: raw.kind != 0,
        filter: (raw.kind == 1).then(|| raw.filter.clone()),
    }
}

// ---------------------------------------------------------------------------------------
// Permissions.

/// A position in `TAG_REFS`: one of the first three tags more often than not, so that
/// permissions, assets and requests meet on the same few tags.
pub fn tag_ref() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0..3usize, 2 => 0..TAG_REFS.len()]
}

/// A permission object: a tag most often (one a policy may define, the first tag that
/// policies never define, or a case variant; not the uuid nobody knows), rarely all assets
/// or all objects.
pub fn perm_object() -> impl Strategy<Value = PermObject> {
    prop_oneof![
        40 => tag_ref().prop_map(|i| PermObject {
            kind: ObjectKind::Tag,
            uuid: Some(TAG_REFS[if i == TAG_REFS.len() - 1 { 0 } else { i }].to_owned()),
        }),
        1 => Just(PermObject { kind: ObjectKind::AllAssets, uuid: None }),
        1 => Just(PermObject { kind: ObjectKind::AllObjects, uuid: None }),
    ]
}

/// A permission subject of every kind.
pub fn perm_subject() -> impl Strategy<Value = PermSubject> {
    (0u8..14, any::<Index>(), any::<bool>()).prop_map(|(kind, id, named)| {
        let (kind, uuid) = match kind {
            0..=3 => (SubjectKind::User, Some(pick(&USER_SUBJECT_IDS, &id))),
            4..=7 => (SubjectKind::UserGroup, Some(pick(&GROUP_SUBJECT_IDS, &id))),
            8 | 9 => (SubjectKind::UserGroup, Some(NIL_UUID)),
            10 | 11 => (SubjectKind::AllUsers, None),
            _ => (SubjectKind::AllAdmins, None),
        };
        PermSubject {
            kind,
            uuid: uuid.map(str::to_owned),
            name: named.then(|| format!("{kind:?} name")),
        }
    })
}

/// A permission's content (its uuid and name come from its position).
#[derive(Clone, Debug)]
pub struct PermRaw {
    pub actions: Vec<&'static str>,
    pub objects: Vec<PermObject>,
    pub subjects: Vec<PermSubject>,
}

/// A permission: viewing most often, then scanning, editing and using; sometimes an action
/// that grants nothing; rarely no object or no subject.
pub fn perm_raw() -> impl Strategy<Value = PermRaw> {
    (
        (
            proptest::bool::weighted(0.6),
            proptest::bool::weighted(0.5),
            proptest::bool::weighted(0.45),
            proptest::bool::weighted(0.45),
            proptest::option::weighted(0.15, 0..v3::NON_GRANTING.len()),
        ),
        prop_oneof![
            1 => Just(Vec::new()),
            19 => proptest::collection::vec(perm_object(), 1..=3),
        ],
        prop_oneof![
            1 => Just(Vec::new()),
            19 => proptest::collection::vec(perm_subject(), 1..=3),
        ],
    )
        .prop_map(|((view, scan, edit, use_, other), objects, subjects)| {
            let mut actions = Vec::new();
            for (on, action) in [
                (view, "CanView"),
                (scan, "CanScan"),
                (edit, "CanEdit"),
                (use_, "CanUse"),
            ] {
                if on {
                    actions.push(action);
                }
            }
            if let Some(i) = other {
                actions.push(v3::NON_GRANTING[i]);
            }
            PermRaw {
                actions,
                objects,
                subjects,
            }
        })
}

/// The uuid of the permission at `index`.
pub fn permission_uuid(index: usize) -> String {
    format!("4c931fce-699c-4052-a43c-c953e71dd3{index:02x}")
}

// ---------------------------------------------------------------------------------------
// Policies.

/// A v3 policy before it is resolved.
#[derive(Clone, Debug)]
pub struct PolicyRaw {
    /// Per directory user: role and teams (a mask), or absent.
    pub users: Vec<Option<(u64, u8)>>,
    /// Defined tags: which of the definable uuids, in policy order, and their shapes.
    pub tags: Vec<(usize, TagRaw)>,
    pub permissions: Vec<PermRaw>,
    pub groups: Vec<generate::GroupRaw>,
}

/// A role id: the Administrator often (which may not scan: its `permScan` is `none`), the
/// roles that may scan often, every built-in role sometimes.
pub fn role_id() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(ADMINISTRATOR),
        4 => proptest::sample::select(vec![2u64, 3, 4]),
        2 => 0u64..8,
    ]
}

/// A policy: up to four directory users, up to six tags, up to five permissions, and
/// (`groups`) up to two access groups.
pub fn policy_raw(groups: bool) -> impl Strategy<Value = PolicyRaw> {
    let max_groups = if groups { 2 } else { 0 };
    (
        proptest::collection::vec(
            prop_oneof![1 => Just(None), 11 => (role_id(), 0u8..8).prop_map(Some)],
            USERS.len(),
        ),
        proptest::sample::subsequence((0..DEFINABLE_TAGS).collect::<Vec<_>>(), 0..=DEFINABLE_TAGS)
            .prop_shuffle()
            .prop_flat_map(|ids| {
                let n = ids.len();
                (Just(ids), proptest::collection::vec(tag_raw(), n))
            })
            .prop_map(|(ids, raws)| ids.into_iter().zip(raws).collect::<Vec<_>>()),
        prop_oneof![
            1 => Just(Vec::new()),
            12 => proptest::collection::vec(perm_raw(), 1..=6),
        ],
        proptest::collection::vec(generate::group_raw(), 0..=max_groups),
    )
        .prop_map(|(users, tags, permissions, groups)| PolicyRaw {
            users,
            tags,
            permissions,
            groups,
        })
}

/// The principal ids of the access-group generator mapped to this pool's uuids (users,
/// teams, their case variants, a stranger; the nil uuid stays).
fn principal_id(id: &str) -> String {
    match id {
        "u0" => USERS[0].to_owned(),
        "u1" => USERS[1].to_owned(),
        "u2" => USERS[2].to_owned(),
        "u3" => USERS[3].to_owned(),
        "U0" => USER_SUBJECT_IDS[5].to_owned(),
        "t0" => TEAMS[0].to_owned(),
        "t1" => TEAMS[1].to_owned(),
        "t2" => TEAMS[2].to_owned(),
        "T0" => GROUP_SUBJECT_IDS[3].to_owned(),
        "stranger" => STRANGER.to_owned(),
        other => other.to_owned(),
    }
}

/// The model policy of `raw`.
pub fn build_policy(raw: &PolicyRaw) -> model::Policy {
    let mut policy = model::Policy::default();
    for (user, spec) in USERS.iter().zip(&raw.users) {
        if let Some((role, teams)) = spec {
            policy.users.push(model::User {
                id: (*user).to_owned(),
                role: *role,
                teams: team_list(*teams),
            });
        }
    }
    policy.tags = raw
        .tags
        .iter()
        .map(|(i, t)| build_tag(t, TAG_UUIDS[*i]))
        .collect();
    policy.permissions = raw
        .permissions
        .iter()
        .enumerate()
        .map(|(i, p)| v3::Permission {
            uuid: permission_uuid(i),
            name: format!("Permission {i}"),
            actions: p.actions.clone(),
            objects: p.objects.clone(),
            subjects: p.subjects.clone(),
        })
        .collect();
    for (i, g) in raw.groups.iter().enumerate() {
        let mut group = generate::build_group(g, Some(format!("ag{i}")), format!("Group {i}"));
        for principal in group.principals.iter_mut().flatten() {
            if principal.kind != PrincipalKind::AllUsers {
                principal.id = principal.id.as_deref().map(principal_id);
            }
        }
        policy.groups.push(group);
    }
    policy
}

/// The teams of a mask.
pub fn team_list(mask: u8) -> Vec<String> {
    TEAMS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, t)| (*t).to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Requests.

/// The actions asked about, with weights.
pub const ACTIONS: [(&str, u32); 5] = [
    ("asset.view", 3),
    ("asset.scan", 2),
    ("issue.read", 2),
    ("tag.edit", 2),
    ("tag.use", 2),
];

/// Who asks.
#[derive(Clone, Debug)]
pub enum SubjectRaw {
    /// A directory user (index), with inline groups and / or an inline role.
    Directory(usize, Option<u8>, Option<u64>),
    /// A user the directory does not hold, with an inline role (else unresolvable).
    Stranger(Option<u64>, Option<u8>),
    /// An API key for a directory user, holding `issues:read`.
    Key(usize),
}

/// A subject: directory users mostly.
pub fn subject_raw() -> impl Strategy<Value = SubjectRaw> {
    prop_oneof![
        14 => (0..USERS.len()).prop_map(|u| SubjectRaw::Directory(u, None, None)),
        2 => (0..USERS.len(), 0u8..8).prop_map(|(u, t)| SubjectRaw::Directory(u, Some(t), None)),
        2 => (0..USERS.len(), role_id()).prop_map(|(u, r)| SubjectRaw::Directory(u, None, Some(r))),
        2 => (proptest::option::weighted(0.9, role_id()), proptest::option::of(0u8..8))
            .prop_map(|(r, t)| SubjectRaw::Stranger(r, t)),
        1 => (0..USERS.len()).prop_map(SubjectRaw::Key),
    ]
}

/// The model subject of `raw`.
pub fn build_subject(raw: &SubjectRaw) -> model::Subject {
    match raw {
        SubjectRaw::Directory(u, teams, role) => model::Subject {
            user: Some(USERS[*u].to_owned()),
            role: *role,
            groups: teams.map(team_list),
            scopes: None,
        },
        SubjectRaw::Stranger(role, teams) => model::Subject {
            user: Some(STRANGER.to_owned()),
            role: *role,
            groups: teams.map(team_list),
            scopes: None,
        },
        SubjectRaw::Key(u) => model::Subject {
            user: Some(USERS[*u].to_owned()),
            role: None,
            groups: None,
            scopes: Some(vec!["issues:read".to_owned()]),
        },
    }
}

/// What a request is about.
#[derive(Clone, Debug)]
pub enum ResourceRaw {
    None,
    /// Attribute values and tag uuids (positions in `TAG_REFS`).
    Asset(Vec<(&'static str, Index)>, Vec<usize>),
    /// A position in `TAG_REFS`.
    Tag(usize),
}

/// An asset: an IPv4 address most often, sources often, up to four other attribute values
/// and up to three tag uuids.
pub fn asset_raw() -> impl Strategy<Value = ResourceRaw> {
    (
        (
            proptest::option::weighted(0.8, any::<Index>()),
            proptest::collection::vec(any::<Index>(), 0..=2),
            proptest::collection::vec((weighted(&ASSET_ATTRIBUTES), any::<Index>()), 0..=4),
        )
            .prop_map(|(ipv4, sources, mut others)| {
                others.extend(ipv4.map(|i| ("ipv4", i)));
                others.extend(sources.into_iter().map(|i| ("sources", i)));
                others
            }),
        prop_oneof![
            1 => Just(0usize),
            3 => Just(1usize),
            3 => Just(2usize),
            2 => Just(3usize),
        ]
        .prop_flat_map(|n| proptest::collection::vec(tag_ref(), n)),
    )
        .prop_map(|(values, tags)| ResourceRaw::Asset(values, tags))
}

/// The model resource of `raw`.
pub fn build_resource(raw: &ResourceRaw) -> model::Resource {
    match raw {
        ResourceRaw::None => model::Resource::None,
        ResourceRaw::Asset(values, tags) => {
            let mut out: Vec<(String, String)> = values
                .iter()
                .map(|(a, i)| ((*a).to_owned(), pick(asset_pool(a), i).to_owned()))
                .collect();
            out.extend(
                tags.iter()
                    .map(|i| ("tag_uuid".to_owned(), TAG_REFS[*i].to_owned())),
            );
            model::Resource::Asset(model::Asset { values: out })
        }
        ResourceRaw::Tag(i) => model::Resource::Tag(TAG_REFS[*i].to_owned()),
    }
}

/// A request: an action, a subject, a resource (of the kind the action takes, mostly),
/// and whether it goes through the request format.
#[derive(Clone, Debug)]
pub struct RequestRaw {
    pub action: &'static str,
    pub subject: SubjectRaw,
    pub resource: ResourceRaw,
    pub json: bool,
}

/// A request.
pub fn request_raw() -> impl Strategy<Value = RequestRaw> {
    (
        weighted(&ACTIONS),
        subject_raw(),
        asset_raw(),
        tag_ref(),
        prop_oneof![12 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        prop_oneof![2 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(action, subject, asset, tag, kind, json)| {
            let tag = ResourceRaw::Tag(tag);
            let natural_is_tag = action.starts_with("tag.");
            // 0: the natural kind; 1: nothing; 2: the other kind.
            let resource = match (kind, natural_is_tag) {
                (0, true) | (2, false) => tag,
                (0, false) | (2, true) => asset,
                _ => ResourceRaw::None,
            };
            RequestRaw {
                action,
                subject,
                resource,
                json,
            }
        })
}
