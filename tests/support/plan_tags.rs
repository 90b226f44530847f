//! Random policies with v3 permissions and tags, subjects and assets for the query-plan tests
//! that cover them (`tests/query_plan_permissions*.rs`):
//!
//! - access groups of every type over the hostile terms of `values.rs` ([`Texts::HOSTILE`]);
//! - six tag positions (static, dynamic without a filter, dynamic with a filter nested up to
//!   three levels: every fixed field and operator, `tag.<Category>` conditions), category
//!   and value names with SQL quotes and `LIKE` wildcards, names shared by several tags;
//! - permissions of every action (those that grant nothing too) on tags (defined ones, and
//!   two uuids only permissions name), `AllAssets` and `AllObjects`, for users, user
//!   groups, All Users (both spellings) and All Admins;
//! - assets whose values are near the filters' terms: every filter field's attribute (the
//!   extra attributes included), the rule types, and `tag_uuid` values naming the policy's
//!   tags.
//!
//! User and group ids are UUIDs, as permission subjects name them.
#![allow(dead_code)] // each test file uses a part

#[path = "values.rs"]
mod values;

use proptest::prelude::*;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, Attribute, ExtraAttribute, NIL_UUID,
    Principal,
};
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, FilterField, FilterOperator, Permission,
    PermissionAction, PermissionObject, PermissionSubject, TagFilter, TagKind, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Policy, RoleId, ScopeSet, Subject, User};
use values::{HOSTILE_CHARS, Texts};

/// Directory users: 0–2 Security Analysts, 3 an Auditor (may view, not scan), 4 the
/// Administrator (All Admins).
pub const USERS: [&str; 5] = [
    "00000000-0000-4000-8000-0000000000a0",
    "00000000-0000-4000-8000-0000000000a1",
    "00000000-0000-4000-8000-0000000000a2",
    "00000000-0000-4000-8000-0000000000a3",
    "00000000-0000-4000-8000-0000000000a4",
];

/// User groups.
pub const TEAMS: [&str; 3] = [
    "00000000-0000-4000-8000-0000000000b0",
    "00000000-0000-4000-8000-0000000000b1",
    "00000000-0000-4000-8000-0000000000b2",
];

/// Tag uuids: the first [`DEFINED`] positions may be defined by the policy's `tags`, the
/// last two only ever named by permissions (and assets).
pub const TAGS: [&str; 8] = [
    "7a9c0000-0000-4000-8000-000000000000",
    "7a9c0000-0000-4000-8000-000000000001",
    "7a9c0000-0000-4000-8000-000000000002",
    "7a9c0000-0000-4000-8000-000000000003",
    "7a9c0000-0000-4000-8000-000000000004",
    "7a9c0000-0000-4000-8000-000000000005",
    "7a9c0000-0000-4000-8000-000000000006",
    "7a9c0000-0000-4000-8000-000000000007",
];

/// How many of [`TAGS`] the policy may define.
pub const DEFINED: usize = 6;

/// Category names (one with quotes, `LIKE` wildcards and a backslash).
pub const CATEGORIES: [&str; 3] = ["Site", "Env", "O'Brien_%\\"];

/// Tag value names (shared across categories and tags, compared exactly).
pub const TAG_VALUES: [&str; 4] = ["a", "B", "50%_off'\\", "b"];

/// The actions a plan answers exactly: viewing, scanning, and issues about an asset.
pub const ACTIONS: [Action; 4] = [
    Action::ASSET_VIEW,
    Action::ASSET_SCAN,
    Action::ISSUE_READ,
    Action::ISSUE_MANAGE,
];

const T: Texts = Texts::HOSTILE;

fn re(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern).unwrap().boxed()
}

/// Texts of the attributes only tag filters read: near each other, sometimes hostile.
fn extra_text(attribute: ExtraAttribute, pattern: bool) -> BoxedStrategy<String> {
    match attribute {
        ExtraAttribute::TenableUuid => (0u8..3, any::<bool>(), any::<bool>())
            .prop_map(|(x, hyphens, up)| {
                let u = format!("c0ffee00-0000-4000-8000-00000000000{x}");
                let u = if hyphens { u } else { u.replace('-', "") };
                if up { u.to_uppercase() } else { u }
            })
            .boxed(),
        ExtraAttribute::HasPluginResults | ExtraAttribute::AssetAssessed => {
            prop::sample::select(vec!["true", "false", "TRUE", "False"])
                .prop_map(str::to_owned)
                .boxed()
        }
        ExtraAttribute::InstalledSoftware if pattern => values::pattern_text(T),
        _ => prop_oneof![
            4 => re("[aAbB]{1,2}"),
            1 => Just("NESSUS_SCAN".to_owned()),
            2 => re(&format!("{HOSTILE_CHARS}{{1,3}}")),
        ]
        .boxed(),
    }
}

/// A value of a filter field's attribute, near the conditions' terms.
fn field_value(field: FilterField) -> BoxedStrategy<String> {
    match field.attribute() {
        Attribute::Rule(t) => values::value_text(T, t),
        Attribute::Extra(a) => extra_text(a, false),
    }
}

/// One item of a condition's value list.
fn field_term(field: FilterField, op: FilterOperator) -> BoxedStrategy<String> {
    let matching = op.positive().as_str() == "match";
    match field.attribute() {
        Attribute::Rule(t) => values::term_text(T, t, op.positive().as_str()),
        Attribute::Extra(a) => extra_text(a, matching),
    }
}

/// A filter condition: any fixed field with any of its operators and one to three values,
/// or `tag.<Category>` with `set-has`/`set-hasnot` over the value names.
pub fn condition() -> BoxedStrategy<FilterCondition> {
    let fixed = (0..FilterField::ALL.len(), any::<prop::sample::Index>())
        .prop_flat_map(|(f, op)| {
            let field = FilterField::ALL[f];
            let op = *op.get(field.operators());
            (
                Just(field),
                Just(op),
                prop::collection::vec(field_term(field, op), 1..4),
            )
        })
        .prop_filter_map("value rejected (e.g. only spaces)", |(field, op, items)| {
            FilterCondition::parse(field.as_str(), op.as_str(), &items.join(", ")).ok()
        });
    let category = (
        prop::sample::select(CATEGORIES.to_vec()),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(TAG_VALUES.to_vec()), 1..3),
    )
        .prop_map(|(c, has, names)| {
            let op = if has { "set-has" } else { "set-hasnot" };
            FilterCondition::parse(&format!("tag.{c}"), op, &names.join(",")).unwrap()
        });
    prop_oneof![5 => fixed, 1 => category].boxed()
}

/// A filter: an `and` or `or` at the top, nested up to three levels.
pub fn filter() -> BoxedStrategy<TagFilter> {
    let leaf = condition().prop_map(FilterExpr::Condition);
    let expr = leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(FilterExpr::And),
            prop::collection::vec(inner, 1..4).prop_map(FilterExpr::Or),
        ]
    });
    (any::<bool>(), prop::collection::vec(expr, 1..4))
        .prop_map(|(and, members)| {
            let top = if and {
                FilterExpr::And(members)
            } else {
                FilterExpr::Or(members)
            };
            TagFilter::new(top).unwrap()
        })
        .boxed()
}

/// The tag at position `i` of [`TAGS`], or none: static, dynamic without a filter, or
/// dynamic with one (most often).
fn tag(i: usize) -> impl Strategy<Value = Option<TagValue>> {
    (
        0u8..10,
        prop::sample::select(CATEGORIES.to_vec()),
        prop::sample::select(TAG_VALUES.to_vec()),
        filter(),
    )
        .prop_map(move |(kind, category, value, filter)| {
            let uuid = TAGS[i].parse().unwrap();
            match kind {
                0 => None,
                1 | 2 => Some(TagValue::static_value(uuid, category, value).unwrap()),
                3 => Some(TagValue::new(uuid, category, value, TagKind::Dynamic, None).unwrap()),
                _ => Some(TagValue::dynamic(uuid, category, value, filter).unwrap()),
            }
        })
}

fn object() -> impl Strategy<Value = PermissionObject> {
    prop_oneof![
        12 => (0..TAGS.len()).prop_map(|i| PermissionObject::tag(TAGS[i].parse().unwrap())),
        1 => Just(PermissionObject::all_assets()),
        1 => Just(PermissionObject::all_objects()),
    ]
}

fn subject() -> impl Strategy<Value = PermissionSubject> {
    prop_oneof![
        4 => (0..USERS.len()).prop_map(|u| PermissionSubject::user(USERS[u]).unwrap()),
        3 => (0..TEAMS.len()).prop_map(|t| PermissionSubject::user_group(TEAMS[t]).unwrap()),
        1 => Just(PermissionSubject::user_group(NIL_UUID).unwrap()),
        1 => Just(PermissionSubject::all_users()),
        1 => Just(PermissionSubject::all_admins()),
    ]
}

fn action() -> impl Strategy<Value = PermissionAction> {
    prop_oneof![
        4 => Just(PermissionAction::CanView),
        3 => Just(PermissionAction::CanScan),
        1 => Just(PermissionAction::CanEdit),
        1 => Just(PermissionAction::CanUse),
        1 => Just(PermissionAction::CanViewMssp),
    ]
}

fn permission(i: usize) -> impl Strategy<Value = Permission> {
    (
        prop::collection::vec(action(), 1..3),
        prop::collection::vec(object(), 1..4),
        prop::collection::vec(subject(), 1..3),
    )
        .prop_map(move |(actions, objects, subjects)| {
            let uuid = format!("9e000000-0000-4000-8000-{i:012}").parse().unwrap();
            let p = Permission::new(uuid, &format!("permission {i}")).with_actions(actions);
            let p = objects.into_iter().fold(p, Permission::with_object);
            subjects.into_iter().fold(p, Permission::with_subject)
        })
}

fn group_permissions() -> impl Strategy<Value = AccessPermissions> {
    (0u8..4).prop_map(AccessPermissions::from_bits_truncate)
}

fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        3 => (0..USERS.len(), group_permissions()).prop_map(|(u, p)| Principal::user(USERS[u], p)),
        2 => (0..TEAMS.len(), group_permissions()).prop_map(|(t, p)| Principal::group(TEAMS[t], p)),
        1 => group_permissions().prop_map(Principal::all_users),
    ]
}

fn group(index: usize) -> impl Strategy<Value = AccessGroup> {
    (
        prop_oneof![8 => Just(AccessGroupType::ManageAssets), 4 => Just(AccessGroupType::ScanTargets), 1 => Just(AccessGroupType::All)],
        prop::collection::vec(values::rule(T), 0..4),
        prop::collection::vec(principal(), 0..3),
    )
        .prop_map(move |(kind, rules, principals)| {
            let name = format!("group {index}");
            if kind == AccessGroupType::All {
                return AccessGroup::all_assets_group(&format!("g{index}"))
                    .with_name(&name)
                    .with_principals(Some(principals));
            }
            AccessGroup::new(&name, kind)
                .with_id(&format!("g{index}"))
                .with_rules(rules)
                .with_principals(Some(principals))
        })
}

fn users() -> Vec<User> {
    USERS
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let role = match i {
                3 => RoleId::AUDITOR,
                4 => RoleId::ADMINISTRATOR,
                _ => RoleId::SECURITY_ANALYST,
            };
            User::new(*u, role).with_groups(
                TEAMS
                    .iter()
                    .enumerate()
                    .filter(|(t, _)| (i + t) % 2 == 0)
                    .map(|(_, t)| *t),
            )
        })
        .collect()
}

/// A policy of up to `max_groups - 1` access groups, up to [`DEFINED`] tags and up to
/// `max_permissions - 1` permissions, and the five [`USERS`].
pub fn policy(max_groups: usize, max_permissions: usize) -> impl Strategy<Value = Policy> {
    let groups = (0usize..max_groups).prop_flat_map(|n| (0..n).map(group).collect::<Vec<_>>());
    let tags = (0..DEFINED).map(tag).collect::<Vec<_>>();
    let permissions =
        (0usize..max_permissions).prop_flat_map(|n| (0..n).map(permission).collect::<Vec<_>>());
    (groups, tags, permissions).prop_map(|(groups, tags, permissions)| {
        let tags: Vec<TagValue> = tags.into_iter().flatten().collect();
        Policy::builder()
            .access_groups(AccessGroups::from_server(groups))
            .access_control(AccessControl::new(tags, permissions).unwrap())
            .users(users())
            .build()
            .unwrap()
    })
}

/// One asset value: a filter field's attribute (weight 4), any rule type (2), or a
/// `tag_uuid` naming one of [`TAGS`] (2).
pub fn attribute_value() -> impl Strategy<Value = (Attribute, String)> {
    prop_oneof![
        4 => (0..FilterField::ALL.len()).prop_flat_map(|f| {
            let field = FilterField::ALL[f];
            (Just(field.attribute()), field_value(field))
        }),
        2 => values::attribute_value(T).prop_map(|(t, v)| (Attribute::Rule(t), v)),
        2 => (0..TAGS.len(), any::<bool>()).prop_map(|(i, up)| {
            let u = if up { TAGS[i].to_uppercase() } else { TAGS[i].to_owned() };
            (Attribute::Rule(scangate::access::RuleType::TagUuid), u)
        }),
    ]
}

/// An asset of up to seven values.
pub fn asset() -> impl Strategy<Value = Asset> {
    prop::collection::vec(attribute_value(), 0..8).prop_map(|values| {
        let mut asset = Asset::new();
        for (attribute, value) in values {
            let _ = asset.insert_attribute(attribute, &value); // a name of only `.`: skipped
        }
        asset
    })
}

/// The inline teams of [`subjects`]' inline subjects.
pub static INLINE_TEAMS: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| vec![TEAMS[1].to_owned()]);

/// The subjects to ask about: the directory users; a Security Analyst given the
/// Administrator role inline with inline teams (All Admins applies; grants worked out per
/// call); the Auditor given a Security Manager role inline (the directory's groups); a key
/// acting for a user; a user missing from the directory; an organization key.
pub fn subjects() -> Vec<Subject<'static>> {
    let mut subjects: Vec<Subject<'static>> = USERS.iter().map(|u| Subject::user(u)).collect();
    subjects.push(
        Subject::user(USERS[1])
            .with_role(RoleId::ADMINISTRATOR)
            .with_groups(&INLINE_TEAMS),
    );
    subjects.push(Subject::user(USERS[3]).with_role(RoleId::SECURITY_MANAGER));
    subjects.push(
        Subject::user(USERS[2]).with_scopes(
            "issues:read issues:manage scans:run"
                .parse::<ScopeSet>()
                .unwrap(),
        ),
    );
    subjects.push(Subject::user("00000000-0000-4000-8000-0000000000ff"));
    subjects.push(Subject::api_key(
        "issues:read scans:run".parse::<ScopeSet>().unwrap(),
    ));
    subjects
}
