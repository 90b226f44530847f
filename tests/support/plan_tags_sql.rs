//! Shared by the database tests of plans with permissions and tags
//! (`tests/query_plan_permissions_sqlite.rs`, `tests/query_plan_permissions_postgres.rs`): a
//! fixed sample of random assets and policies (the generators of `plan_tags.rs`), the ids
//! `is_allowed` accepts, what the sample's filters exercise, and a hostile fixed case.
#![allow(dead_code)]

use std::collections::BTreeSet;

use super::plan_db::{pooled_assets, sample};
use scangate::access::{AccessGroups, AccessPermissions, Attribute, Principal, Rule};
use scangate::plan::{Plan, TagExpr};
use scangate::tags::{
    AccessControl, Field, FilterCondition, FilterExpr, Permission, PermissionAction,
    PermissionObject, PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Policy, Resource, RoleId, Subject, User};

/// How many assets each database holds.
pub const ASSETS: usize = 5_000;
/// How many random policies are asked about them.
pub const POLICIES: usize = 24;

/// The assets (their ids are their positions): 0 to 7 values each, drawn from 3,000 random
/// attribute values (`plan_db::pooled_assets`).
pub fn assets() -> Vec<Asset> {
    let pool = sample(super::plan_tags::attribute_value(), 3_000, 17);
    // A name of only `.` is refused: skipped.
    pooled_assets(
        &pool,
        ASSETS,
        8,
        0x2545_F491_4F6C_DD1D,
        |asset, attribute, value| {
            let _ = asset.insert_attribute(*attribute, value);
        },
    )
}

/// The policies: up to four groups, six tags and six permissions each.
pub fn policies() -> Vec<Policy> {
    sample(super::plan_tags::policy(5, 7), POLICIES, 23)
}

/// The ids (positions) of the assets `is_allowed` accepts, in order.
pub fn accepted(
    policy: &Policy,
    subject: &Subject<'_>,
    action: Action,
    assets: &[Asset],
) -> Vec<i64> {
    assets
        .iter()
        .enumerate()
        .filter(|(_, asset)| policy.is_allowed(subject, action, Resource::Asset(asset)))
        .map(|(id, _)| i64::try_from(id).unwrap())
        .collect()
}

/// What the filters of a set of plans exercise: the operators, `tag.<Category>` fields,
/// attributes only tag filters read, `and`/`or` nested in one another.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Operators seen (wire names).
    pub operators: BTreeSet<&'static str>,
    /// `tag.<Category>` conditions seen.
    pub categories: usize,
    /// Conditions on an extra attribute seen.
    pub extra: usize,
    /// `and`/`or` nodes inside another `and`/`or`.
    pub nested: usize,
    /// Plans with a granted tag having a filter.
    pub filtered_plans: usize,
}

impl Coverage {
    /// Counts what `plan` exercises.
    pub fn add(&mut self, plan: &Plan<'_>) {
        let Plan::Filter(filter) = plan else { return };
        let mut any = false;
        for granted in filter.tags() {
            if let Some(expr) = granted.filter() {
                any = true;
                self.walk(expr, 0);
            }
        }
        self.filtered_plans += usize::from(any);
    }

    fn walk(&mut self, expr: &TagExpr<'_>, depth: usize) {
        match expr {
            TagExpr::And(members) | TagExpr::Or(members) => {
                self.nested += usize::from(depth > 0);
                for m in members {
                    self.walk(m, depth + 1);
                }
            }
            TagExpr::Condition(c) => {
                let written: &FilterCondition = c.condition();
                self.operators.insert(written.operator().as_str());
                match written.field() {
                    Field::TagCategory(_) => self.categories += 1,
                    Field::Fixed(f) => {
                        self.extra += usize::from(matches!(f.attribute(), Attribute::Extra(_)));
                    }
                }
            }
            _ => {}
        }
    }
}

const ALICE: &str = "00000000-0000-4000-8000-00000000000a";

fn condition(field: &str, operator: &str, value: &str) -> FilterExpr {
    FilterExpr::Condition(FilterCondition::parse(field, operator, value).unwrap())
}

/// The hostile case both databases run: `alice` may view what three dynamic tags and an
/// access group select, their terms and names full of SQL quotes, `LIKE` wildcards and
/// backslashes, every operator among them. Returns the policy, the assets and the ids that
/// must be selected.
pub fn hostile() -> (Policy, Vec<Asset>, Vec<i64>) {
    let uuid = |i: u8| format!("5ca1ab1e-0000-4000-8000-0000000000{i:02}");
    let statics = [
        TagValue::static_value(uuid(0).parse().unwrap(), "O'Brien_%\\", "50%_off'").unwrap(),
        TagValue::static_value(uuid(1).parse().unwrap(), "O'Brien_%\\", "x").unwrap(),
        TagValue::static_value(uuid(2).parse().unwrap(), "O'Brien%", "50%_off'").unwrap(),
    ];
    let software = TagFilter::new(FilterExpr::And(vec![
        condition("installed_software", "match", "50%_off'; drop*\\"),
        condition("installed_software", "nmatch", "*it's_*"),
    ]))
    .unwrap();
    let sources = TagFilter::new(FilterExpr::Or(vec![
        condition("sources", "set-hasonly", "A'B, %, _"),
        FilterExpr::And(vec![
            condition("aws_ec2_name", "eq", "O'Brien_%"),
            condition("aws_ec2_instance_state_name", "neq", "run%"),
        ]),
    ]))
    .unwrap();
    let names = TagFilter::new(FilterExpr::Or(vec![
        condition("tag.O'Brien_%\\", "set-hasnot", "50%_off'"),
        condition("fqdn", "nmatch", "a_\\*"),
        condition("tenable_uuid", "neq", "c0ffee00000040008000000000000000"),
        condition("property_list", "set-hasnot", "'"),
    ]))
    .unwrap();
    let dynamics = [
        TagValue::dynamic(uuid(3).parse().unwrap(), "S", "software", software).unwrap(),
        TagValue::dynamic(uuid(4).parse().unwrap(), "S", "sources", sources).unwrap(),
        TagValue::dynamic(uuid(5).parse().unwrap(), "S", "names", names).unwrap(),
    ];
    let mut view = Permission::new(
        "9e000000-0000-4000-8000-000000000001".parse().unwrap(),
        "hostile",
    )
    .with_actions([PermissionAction::CanView])
    .with_subject(PermissionSubject::user(ALICE).unwrap());
    for t in &dynamics {
        view = view.with_object(PermissionObject::tag(t.uuid()));
    }
    let group = AccessGroup::new("os", scangate::access::AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("operating_system", "match", ["it's*50%"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let tags: Vec<TagValue> = statics.into_iter().chain(dynamics).collect();
    let policy = Policy::builder()
        .access_groups(AccessGroups::from_server([group]))
        .access_control(AccessControl::new(tags, vec![view]).unwrap())
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    let u = |i: u8| uuid(i);
    let rows: Vec<(Vec<(&str, String)>, bool)> = vec![
        // software: `match` with quotes and wildcards as literals, `nmatch` fail closed.
        (
            vec![("installed_software", "x 50%_OFF'; DROP y\\z".into())],
            true,
        ),
        (
            vec![("installed_software", "50x_off'; drop \\".into())],
            false,
        ), // `%` literal
        (
            vec![("installed_software", "50%yoff'; drop \\".into())],
            false,
        ), // `_` literal
        (
            vec![("installed_software", "50%_off'; drop it's_ \\".into())],
            false,
        ), // nmatch
        (
            vec![
                ("installed_software", "50%_off'; drop \\".into()),
                ("installed_software", "IT'S_x".into()),
            ],
            false,
        ),
        // sources: `set-hasonly` over hostile values, present.
        (
            vec![("sources", "A'B".into()), ("sources", "%".into())],
            true,
        ),
        (
            vec![("sources", "A'B".into()), ("sources", "a'b".into())],
            false,
        ), // case-sensitive
        (
            vec![("sources", "_".into()), ("sources", "x".into())],
            false,
        ),
        // aws: `eq` exact, `neq` with a `LIKE` wildcard taken literally, fail closed.
        (
            vec![
                ("aws_ec2_name", "O'Brien_%".into()),
                ("aws_ec2_instance_state_name", "running".into()),
            ],
            true,
        ),
        (
            vec![
                ("aws_ec2_name", "O'Brien_%".into()),
                ("aws_ec2_instance_state_name", "run%".into()),
            ],
            false,
        ),
        (vec![("aws_ec2_name", "O'Brien_%".into())], false),
        (
            vec![
                ("aws_ec2_name", "O'BrienX%".into()),
                ("aws_ec2_instance_state_name", "x".into()),
            ],
            false,
        ),
        // tag.<Category> with a hostile name: present and none listed.
        (vec![("tag_uuid", u(1))], true),
        (vec![("tag_uuid", u(1)), ("tag_uuid", u(0))], false),
        (vec![("tag_uuid", u(2))], false), // another category, same value name
        (vec![("tag_uuid", u(3))], true),  // names a granted tag
        // fqdn `nmatch` with `_` and `\`.
        (vec![("fqdn", "ab\\c.example".into())], true),
        (vec![("fqdn", "A_\\c.example".into())], false),
        // tenable_uuid `neq` (both spellings of one uuid), property_list `set-hasnot`.
        (
            vec![(
                "tenable_uuid",
                "C0FFEE00-0000-4000-8000-000000000000".into(),
            )],
            false,
        ),
        (
            vec![(
                "tenable_uuid",
                "c0ffee00-0000-4000-8000-000000000001".into(),
            )],
            true,
        ),
        (
            vec![("property_list", "'".into()), ("property_list", "a".into())],
            false,
        ),
        (vec![("property_list", "''".into())], true),
        // the access group.
        (vec![("operating_system", "IT'S 50%".into())], true),
        (vec![("operating_system", "its 50%".into())], false),
        (vec![], false),
    ];
    let mut expected = Vec::new();
    let mut assets = Vec::new();
    for (id, (values, selected)) in rows.into_iter().enumerate() {
        let asset = values
            .iter()
            .fold(Asset::new(), |a, (k, v)| a.with(k, v).unwrap());
        assets.push(asset);
        if selected {
            expected.push(i64::try_from(id).unwrap());
        }
    }
    (policy, assets, expected)
}

/// The subject of [`hostile`].
pub fn alice() -> Subject<'static> {
    Subject::user(ALICE)
}
