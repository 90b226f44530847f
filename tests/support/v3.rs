//! Small v3 worlds: four users and three teams named by UUID (permission subjects are
//! UUIDs), static and dynamic tags whose filters nest `and`/`or` over a few fields and
//! every operator (negations and extra attributes included), permissions with any mix of
//! actions, objects (tags defined or not, All Assets, All Objects) and subjects (users,
//! teams, All Users by the nil group, `AllUsers`, `AllAdmins`), and a few access groups,
//! so that the asset filter, `who_can` and `effective` can be compared with `check` where
//! both models meet. Values come from small pools so that filters, tags and assets meet
//! often.

use proptest::prelude::*;
use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, NIL_UUID, Principal};
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
    PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Asset, Policy, RoleId, User};

/// User UUID number `i` (`i` < 10; 9 is a stranger no directory names).
pub fn user(i: usize) -> String {
    format!("10000000-0000-4000-8000-00000000000{i}")
}

/// The stranger's UUID.
pub fn stranger() -> String {
    user(9)
}

/// Team UUID number `i`.
pub fn team(i: usize) -> String {
    format!("20000000-0000-4000-8000-00000000000{i}")
}

/// Tag UUID number `i` (`i` < 10): tags `0..n` are defined, the others only named.
pub fn tag(i: usize) -> String {
    format!("30000000-0000-4000-8000-00000000000{i}")
}

/// The number of tag UUIDs in the pool.
pub const TAGS: usize = 10;
/// The number of directory users.
pub const USERS: usize = 4;
/// The number of teams.
pub const TEAMS: usize = 3;

/// Tag `i`'s category and value names: two categories, two values each.
pub fn tag_name(i: usize) -> (&'static str, &'static str) {
    [
        ("Env", "Prod"),
        ("Site", "Lab"),
        ("Env", "Dev"),
        ("Site", "HQ"),
    ][i % 4]
}

/// One filter condition, `(field, operator, value)`, over small pools.
pub fn condition() -> impl Strategy<Value = (String, String, String)> {
    let ipv4 = prop_oneof![
        (0u8..3).prop_map(|a| format!("10.0.{a}.0/24")),
        (0u8..3, 0u8..8).prop_map(|(a, b)| format!("10.0.{a}.{b}")),
        (0u8..3, 0u8..4).prop_map(|(a, b)| format!("10.0.{a}.{b}-10.0.{a}.{}", b + 3)),
        ((0u8..3, 0u8..8), (0u8..3)).prop_map(|((a, b), c)| format!("10.0.{a}.{b}, 10.0.{c}.0/24")),
    ];
    let op = |ops: &'static [&'static str]| proptest::sample::select(ops).prop_map(str::to_owned);
    prop_oneof![
        4 => ipv4.prop_map(|v| ("ipv4".to_owned(), "eq".to_owned(), v)),
        2 => (op(&["eq", "neq"]), 0u8..4)
            .prop_map(|(o, n)| ("fqdn".to_owned(), o, format!("h{n}.example.com"))),
        2 => (op(&["match", "nmatch"]), 0u8..4)
            .prop_map(|(o, n)| ("fqdn".to_owned(), o, format!("h{n}"))),
        2 => (op(&["eq", "neq", "match", "nmatch"]), proptest::sample::select(&["linux", "windows"][..]))
            .prop_map(|(o, v)| ("operating_system".to_owned(), o, v.to_owned())),
        1 => (op(&["eq", "neq"]), proptest::sample::select(&["us-east-1", "eu-west-1"][..]))
            .prop_map(|(o, v)| ("aws_region".to_owned(), o, v.to_owned())),
        1 => (op(&["set-has", "set-hasnot", "set-hasonly"]),
              proptest::sample::select(&["NESSUS_SCAN", "AWS", "NESSUS_SCAN,AWS"][..]))
            .prop_map(|(o, v)| ("sources".to_owned(), o, v.to_owned())),
        1 => proptest::sample::select(&["true", "false"][..])
            .prop_map(|v| ("has_plugin_results".to_owned(), "eq".to_owned(), v.to_owned())),
        1 => (op(&["set-has", "set-hasnot"]), 0usize..4).prop_map(|(o, i)| {
            let (category, value) = tag_name(i);
            (format!("tag.{category}"), o, value.to_owned())
        }),
    ]
}

/// A filter: an `and` or `or` at the top, members nested up to three levels.
pub fn filter() -> impl Strategy<Value = TagFilter> {
    let leaf = condition()
        .prop_map(|(f, o, v)| FilterExpr::Condition(FilterCondition::parse(&f, &o, &v).unwrap()));
    let expr = leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(FilterExpr::And),
            proptest::collection::vec(inner, 1..4).prop_map(FilterExpr::Or),
        ]
    });
    (any::<bool>(), proptest::collection::vec(expr, 1..4)).prop_map(|(and, members)| {
        TagFilter::new(if and {
            FilterExpr::And(members)
        } else {
            FilterExpr::Or(members)
        })
        .unwrap()
    })
}

/// Tag number `i`: static, dynamic with a filter, or dynamic without one (as list
/// responses give them).
pub fn tag_value(i: usize) -> impl Strategy<Value = TagValue> {
    let uuid = tag(i).parse().unwrap();
    let (category, value) = tag_name(i);
    prop_oneof![
        2 => Just(TagValue::static_value(uuid, category, value).unwrap()),
        4 => filter().prop_map(move |f| TagValue::dynamic(uuid, category, value, f).unwrap()),
        1 => Just(TagValue::new(uuid, category, value, scangate::tags::TagKind::Dynamic, None).unwrap()),
    ]
}

/// A permission subject.
pub fn subject() -> impl Strategy<Value = PermissionSubject> {
    prop_oneof![
        4 => (0..=USERS).prop_map(|i| {
            PermissionSubject::user(&if i == USERS { stranger() } else { user(i) }).unwrap()
        }),
        3 => (0..TEAMS).prop_map(|i| PermissionSubject::user_group(&team(i)).unwrap()),
        1 => Just(PermissionSubject::user_group(NIL_UUID).unwrap()),
        1 => Just(PermissionSubject::all_users()),
        2 => Just(PermissionSubject::all_admins()),
    ]
}

/// A permission object: mostly tags (defined or not), sometimes everything.
pub fn object() -> impl Strategy<Value = PermissionObject> {
    prop_oneof![
        8 => (0..TAGS).prop_map(|i| PermissionObject::tag(tag(i).parse().unwrap())),
        1 => Just(PermissionObject::all_assets()),
        1 => Just(PermissionObject::all_objects()),
    ]
}

/// Permission number `i`.
pub fn permission(i: usize) -> impl Strategy<Value = Permission> {
    (
        proptest::sample::subsequence(
            vec![
                PermissionAction::CanView,
                PermissionAction::CanScan,
                PermissionAction::CanEdit,
                PermissionAction::CanUse,
                PermissionAction::CanViewMssp,
            ],
            0..=5,
        ),
        proptest::collection::vec(object(), 0..4),
        proptest::collection::vec(subject(), 0..3),
    )
        .prop_map(move |(actions, objects, subjects)| {
            let uuid = format!("40000000-0000-4000-8000-{i:012}").parse().unwrap();
            let mut p = Permission::new(uuid, &format!("permission {i}")).with_actions(actions);
            for o in objects {
                p = p.with_object(o);
            }
            for s in subjects {
                p = p.with_subject(s);
            }
            p
        })
}

/// An access group over an IPv4 `/24`, granting a user or a team view, scan or both.
pub fn group(i: usize) -> impl Strategy<Value = AccessGroup> {
    (0u8..3, 0..USERS + TEAMS, 1u8..4).prop_map(move |(a, who, bits)| {
        let permissions = AccessPermissions::from_bits_truncate(bits);
        let principal = if who < USERS {
            Principal::user(&user(who), permissions)
        } else {
            Principal::group(&team(who - USERS), permissions)
        };
        AccessGroup::new(&format!("group {i}"), AccessGroupType::ManageAssets)
            .with_id(&format!("g{i}"))
            .with_rule(
                scangate::access::Rule::parse("ipv4", "eq", [format!("10.0.{a}.0/24")]).unwrap(),
            )
            .with_principal(principal)
    })
}

/// Roles of the directory users: the Administrator (for `AllAdmins`), roles passing both
/// asset actions, and the Auditor.
pub const ROLES: [RoleId; 4] = [
    RoleId::ADMINISTRATOR,
    RoleId::SECURITY_MANAGER,
    RoleId::SECURITY_ANALYST,
    RoleId::AUDITOR,
];

/// A v3 world as plain data.
#[derive(Clone, Debug)]
pub struct V3World {
    /// The defined tags.
    pub tags: Vec<TagValue>,
    /// The permissions, in policy order.
    pub permissions: Vec<Permission>,
    /// Access groups beside them.
    pub groups: Vec<AccessGroup>,
    /// The directory.
    pub users: Vec<User>,
}

impl V3World {
    /// The policy of this world.
    pub fn policy(&self) -> Policy {
        Policy::builder()
            .access_control(
                AccessControl::new(self.tags.clone(), self.permissions.clone()).unwrap(),
            )
            .access_groups(AccessGroups::from_server(self.groups.clone()))
            .users(self.users.clone())
            .build()
            .unwrap()
    }
}

/// Up to seven defined tags, up to six permissions, up to two access groups, the four
/// users with any of [`ROLES`] and teams.
pub fn world() -> impl Strategy<Value = V3World> {
    (0usize..8, 0usize..7, 0usize..3)
        .prop_flat_map(|(tags, permissions, groups)| {
            (
                (0..tags).map(tag_value).collect::<Vec<_>>(),
                (0..permissions).map(permission).collect::<Vec<_>>(),
                (0..groups).map(group).collect::<Vec<_>>(),
                proptest::collection::vec((0..ROLES.len(), 0u8..8), USERS),
            )
        })
        .prop_map(|(tags, permissions, groups, users)| V3World {
            tags,
            permissions,
            groups,
            users: users
                .into_iter()
                .enumerate()
                .map(|(i, (role, mask))| {
                    User::new(user(i), ROLES[role])
                        .with_groups((0..TEAMS).filter(|t| mask >> t & 1 == 1).map(team))
                })
                .collect(),
        })
}

/// An asset with some of: an address, a name, an operating system, a region, sources,
/// `has_plugin_results`, and up to three tag UUIDs of the pool.
pub fn asset() -> impl Strategy<Value = Asset> {
    (
        proptest::option::of((0u8..3, 0u8..10)),
        proptest::option::of(0u8..5),
        proptest::option::of(proptest::sample::select(&["Linux 6.1", "Windows 11"][..])),
        proptest::option::weighted(
            0.3,
            proptest::sample::select(&["us-east-1", "eu-west-1"][..]),
        ),
        proptest::sample::subsequence(vec!["NESSUS_SCAN", "AWS"], 0..=2),
        proptest::option::weighted(0.3, any::<bool>()),
        proptest::collection::vec(0..TAGS, 0..3),
    )
        .prop_map(|(v4, name, os, region, sources, plugins, tags)| {
            let mut asset = Asset::new();
            if let Some((a, b)) = v4 {
                asset = asset.with("ipv4", &format!("10.0.{a}.{b}")).unwrap();
            }
            if let Some(n) = name {
                asset = asset.with("fqdn", &format!("h{n}.example.com")).unwrap();
            }
            if let Some(os) = os {
                asset = asset.with("operating_system", os).unwrap();
            }
            if let Some(region) = region {
                asset = asset.with("aws_region", region).unwrap();
            }
            for s in sources {
                asset = asset.with("sources", s).unwrap();
            }
            if let Some(p) = plugins {
                asset = asset.with("has_plugin_results", &p.to_string()).unwrap();
            }
            for t in tags {
                asset = asset.with("tag_uuid", &tag(t)).unwrap();
            }
            asset
        })
}
