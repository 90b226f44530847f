//! Query plans with v3 permissions and tags (issue 13), in memory: the plan decides every
//! asset as `Policy::is_allowed` does when layer 3 is access groups **or** permissions,
//! explains an allowed asset as `check` does (the access group's term, else the permission,
//! the tag and the deciding filter condition), carries `check`'s denial when it selects
//! nothing, and its pieces are what `docs/semantics.md` ("Query plans") says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/plan_tags.rs"]
mod plan_tags;

use plan_tags::{ACTIONS, asset, policy, subjects};
use proptest::prelude::*;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, Attribute, ExtraAttribute, Membership,
    Principal, Rule, RuleType,
};
use scangate::plan::{Everything, Plan, Quantifier, Reason, TagExpr, Test};
use scangate::policy::{GrantedObject, ObjectGrant, TagCarried};
use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, FilterOperator, Permission, PermissionAction,
    PermissionObject, PermissionSubject, TagFilter, TagValue,
};
use scangate::{AccessGroup, Action, Asset, Denial, Policy, Resource, RoleId, Subject, User};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(250))]

    /// Every subject kind, the four asset actions, random policies with groups, tags and
    /// permissions, random assets near the filters' terms.
    #[test]
    fn the_plan_decides_and_explains_every_asset_as_check_does(
        policy in policy(5, 7),
        assets in prop::collection::vec(asset(), 1..25),
    ) {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                for asset in &assets {
                    let expected = policy.is_allowed(&subject, action, Resource::Asset(asset));
                    prop_assert_eq!(plan.allows(asset), expected, "{:?} {:?} {:?}\n{:?}", subject, action, plan, asset);
                    let decision = policy.check(&subject, action, Resource::Asset(asset));
                    match &plan {
                        Plan::None(denial) => {
                            let given = decision.denial().unwrap();
                            if let (
                                Denial::Asset { user: u1, permission: p1, .. },
                                Denial::Asset { user: u2, permission: p2, .. },
                            ) = (given, denial)
                            {
                                prop_assert_eq!((u1, p1), (u2, p2));
                            } else {
                                prop_assert_eq!(given, denial);
                            }
                        }
                        Plan::All(Some(Everything::Permission(grant))) => {
                            // An asset no granting group contains: the same permission.
                            match decision.object() {
                                Some(ObjectGrant::Permission(given)) => prop_assert_eq!(given, grant),
                                Some(ObjectGrant::Asset { .. }) => {}
                                other => panic!("{other:?}"),
                            }
                        }
                        Plan::All(_) => prop_assert!(expected),
                        Plan::Filter(filter) if expected => {
                            match (decision.object(), filter.explain(asset)) {
                                (
                                    Some(ObjectGrant::Asset { group, membership, .. }),
                                    Some(Reason::Term(source)),
                                ) => {
                                    prop_assert!(std::ptr::eq(source.group, *group));
                                    prop_assert_eq!(
                                        Membership::Rule { rule: source.rule, term: source.term },
                                        *membership
                                    );
                                }
                                (Some(ObjectGrant::Permission(given)), Some(Reason::Permission(grant))) => {
                                    prop_assert_eq!(given, &grant);
                                }
                                (given, explained) => panic!("{given:?} {explained:?}"),
                            }
                        }
                        Plan::Filter(filter) => prop_assert!(filter.explain(asset).is_none()),
                        _ => panic!("{plan:?}"),
                    }
                }
            }
        }
    }
}

/// The filter's shape: `tag_expr` mirrors `expr` (same nesting, conditions numbered
/// depth-first), each condition's tests sorted and merged, its quantifier its operator's.
fn same_shape(
    tag_expr: &TagExpr<'_>,
    expr: &FilterExpr,
    conditions: &[&FilterCondition],
    next: &mut usize,
) -> Result<(), TestCaseError> {
    match (tag_expr, expr) {
        (TagExpr::And(a), FilterExpr::And(b)) | (TagExpr::Or(a), FilterExpr::Or(b)) => {
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(b) {
                same_shape(x, y, conditions, next)?;
            }
        }
        (TagExpr::Condition(c), FilterExpr::Condition(written)) => {
            prop_assert_eq!(c.position(), *next);
            prop_assert!(std::ptr::eq(c.condition(), written));
            prop_assert!(std::ptr::eq(conditions[*next], written));
            *next += 1;
            let quantifier = match written.operator() {
                FilterOperator::SetHasonly => Quantifier::Only,
                FilterOperator::Neq | FilterOperator::Nmatch | FilterOperator::SetHasnot => {
                    Quantifier::NoneOf
                }
                _ => Quantifier::Any,
            };
            prop_assert_eq!(c.quantifier(), quantifier);
            for pair in c.tests().windows(2) {
                match (&pair[0], &pair[1]) {
                    (Test::Ipv4 { last, .. }, Test::Ipv4 { first, .. }) => {
                        prop_assert!(u64::from(*last) + 1 < u64::from(*first));
                    }
                    (a, b) => prop_assert!(a < b, "{:?} {:?}", a, b),
                }
            }
            match c.among() {
                Some(among) => {
                    prop_assert_eq!(c.attribute(), Attribute::Rule(RuleType::TagUuid));
                    prop_assert!(c.tests().iter().all(|t| among.contains(t)));
                }
                None => prop_assert_eq!(written.terms().len() >= c.tests().len(), true),
            }
        }
        (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Granted tags come by position, each once, with the grant `check` names for an asset
    /// naming it, and the dynamic ones' filters mirrored condition by condition.
    #[test]
    fn granted_tags_are_ordered_and_traceable(policy in policy(3, 7)) {
        let control = policy.access_control();
        for subject in subjects() {
            for action in ACTIONS {
                let Plan::Filter(filter) = policy.plan(&subject, action) else { continue };
                for pair in filter.tags().windows(2) {
                    prop_assert!(pair[0].position() < pair[1].position());
                }
                for granted in filter.tags() {
                    match granted.tag() {
                        Some(tag) => {
                            prop_assert!(std::ptr::eq(&control.tags()[granted.position()], tag));
                            prop_assert_eq!(tag.uuid(), granted.uuid());
                        }
                        None => prop_assert!(control.tag(&granted.uuid()).is_none()),
                    }
                    let grant = granted.grant().unwrap();
                    let named = Asset::new().with("tag_uuid", &granted.uuid().to_string()).unwrap();
                    let decision = policy.check(&subject, action, Resource::Asset(&named));
                    // (A lower tag's filter may select that asset too: `check` names it.)
                    if let Some(ObjectGrant::Permission(given)) = decision.object() {
                        if matches!(given.object, GrantedObject::Tag { uuid, .. } if uuid == granted.uuid()) {
                            prop_assert_eq!(given, grant);
                        }
                    }
                    let GrantedObject::Tag { uuid, carried, .. } = &grant.object else { panic!() };
                    prop_assert_eq!(*uuid, granted.uuid());
                    prop_assert_eq!(carried, &TagCarried::Named);
                    match (granted.filter(), granted.tag().and_then(TagValue::filter)) {
                        (Some(tag_expr), Some(written)) => {
                            let mut next = 0;
                            same_shape(tag_expr, written.expr(), &written.conditions(), &mut next)?;
                            prop_assert_eq!(next, written.condition_count());
                        }
                        (None, None) => {}
                        (a, b) => prop_assert!(false, "{:?} {:?}", a, b),
                    }
                }
            }
        }
    }
}

const LAB: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc0";
const PROD: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc1";
const ENV_LAB: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc2";
const NOT_PROD: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc3";
const NAMED_ONLY: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc4";
const FILTERED: &str = "55ba39c1-9498-4090-b81a-e17b3a0ccbc5";
const ALICE: &str = "00000000-0000-4000-8000-00000000000a";

fn filter_of(and: bool, conditions: &[(&str, &str, &str)]) -> TagFilter {
    let members = conditions
        .iter()
        .map(|(f, o, v)| FilterExpr::Condition(FilterCondition::parse(f, o, v).unwrap()))
        .collect();
    TagFilter::new(if and {
        FilterExpr::And(members)
    } else {
        FilterExpr::Or(members)
    })
    .unwrap()
}

fn view(i: u8, objects: &[PermissionObject]) -> Permission {
    let p = Permission::new(
        format!("9e000000-0000-4000-8000-0000000000{i:02}")
            .parse()
            .unwrap(),
        &format!("view {i}"),
    )
    .with_actions([PermissionAction::CanView])
    .with_subject(PermissionSubject::user(ALICE).unwrap());
    objects.iter().cloned().fold(p, Permission::with_object)
}

fn tag_object(uuid: &str) -> PermissionObject {
    PermissionObject::tag(uuid.parse().unwrap())
}

fn policy_with(
    groups: Vec<AccessGroup>,
    tags: Vec<TagValue>,
    permissions: Vec<Permission>,
) -> Policy {
    Policy::builder()
        .access_groups(AccessGroups::from_server(groups))
        .access_control(AccessControl::new(tags, permissions).unwrap())
        .user(User::new(ALICE, RoleId::SECURITY_ANALYST))
        .build()
        .unwrap()
}

fn asset_of(values: &[(&str, &str)]) -> Asset {
    values
        .iter()
        .fold(Asset::new(), |a, (k, v)| a.with(k, v).unwrap())
}

#[test]
fn tag_category_conditions_compare_the_names_of_the_tags_the_asset_names() {
    let static_tag =
        |uuid: &str, c: &str, v: &str| TagValue::static_value(uuid.parse().unwrap(), c, v).unwrap();
    let not_prod = TagValue::dynamic(
        NOT_PROD.parse().unwrap(),
        "Derived",
        "Not prod",
        filter_of(true, &[("tag.Site", "set-hasnot", "Prod")]),
    )
    .unwrap();
    let policy = policy_with(
        vec![],
        vec![
            static_tag(LAB, "Site", "Lab"),
            static_tag(PROD, "Site", "Prod"),
            static_tag(ENV_LAB, "Env", "Prod"),
            not_prod,
        ],
        vec![view(0, &[tag_object(NOT_PROD)])],
    );
    let alice = Subject::user(ALICE);
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    let Plan::Filter(filter) = &plan else {
        panic!("{plan:?}")
    };
    let [granted] = filter.tags() else { panic!() };
    let Some(TagExpr::And(members)) = granted.filter() else {
        panic!()
    };
    let TagExpr::Condition(site) = &members[0] else {
        panic!()
    };
    // The values that count: the Site tags; the test: the one named Prod.
    let uuid = |u: &str| Test::Equals(u.into());
    assert_eq!(site.among(), Some(&[uuid(LAB), uuid(PROD)][..]));
    assert_eq!(site.tests(), [uuid(PROD)]);
    assert_eq!(site.quantifier(), Quantifier::NoneOf);
    let cases = [
        (vec![("tag_uuid", LAB)], true), // a Site tag, not Prod
        (vec![("tag_uuid", LAB), ("tag_uuid", PROD)], false), // Prod among them
        (vec![("tag_uuid", ENV_LAB)], false), // no Site tag: fail closed
        (vec![("tag_uuid", NAMED_ONLY)], false), // not a policy tag
        (vec![("tag_uuid", NOT_PROD)], true), // names the granted tag
        (vec![], false),
    ];
    for (values, expected) in cases {
        let asset = asset_of(&values);
        assert_eq!(plan.allows(&asset), expected, "{values:?}");
        assert_eq!(
            policy.is_allowed(&alice, Action::ASSET_VIEW, Resource::Asset(&asset)),
            expected
        );
    }
}

#[test]
fn negations_fail_closed_and_set_hasonly_needs_a_value() {
    let tag = TagValue::dynamic(
        FILTERED.parse().unwrap(),
        "Derived",
        "Scanned",
        filter_of(
            false,
            &[
                ("sources", "set-hasonly", "NESSUS_SCAN, AWS"),
                ("installed_software", "nmatch", "*openssl*"),
            ],
        ),
    )
    .unwrap();
    let policy = policy_with(vec![], vec![tag], vec![view(0, &[tag_object(FILTERED)])]);
    let alice = Subject::user(ALICE);
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    let Plan::Filter(filter) = &plan else {
        panic!("{plan:?}")
    };
    let Some(TagExpr::Or(members)) = filter.tags()[0].filter() else {
        panic!()
    };
    let TagExpr::Condition(sources) = &members[0] else {
        panic!()
    };
    assert_eq!(
        sources.attribute(),
        Attribute::Extra(ExtraAttribute::Sources)
    );
    assert_eq!(sources.quantifier(), Quantifier::Only);
    assert_eq!(
        sources.tests(),
        [
            Test::Equals("AWS".into()),
            Test::Equals("NESSUS_SCAN".into())
        ]
    );
    let cases = [
        (vec![("sources", "AWS")], true),
        (vec![("sources", "AWS"), ("sources", "NESSUS_SCAN")], true),
        (vec![("sources", "AWS"), ("sources", "AGENT")], false), // not only listed ones
        (vec![("installed_software", "cpe:/a:zlib")], true),     // no openssl
        (vec![("installed_software", "CPE:/a:OpenSSL:1.1")], false),
        (vec![("ipv4", "10.0.0.1")], false), // neither attribute: fail closed
        (vec![], false),
    ];
    for (values, expected) in cases {
        let asset = asset_of(&values);
        assert_eq!(plan.allows(&asset), expected, "{values:?}");
        assert_eq!(
            policy.is_allowed(&alice, Action::ASSET_VIEW, Resource::Asset(&asset)),
            expected
        );
    }
    // The explanation names the deciding condition, as `check` does.
    let scanned = asset_of(&[("installed_software", "cpe:/a:zlib")]);
    let Some(Reason::Permission(grant)) = filter.explain(&scanned) else {
        panic!()
    };
    let GrantedObject::Tag {
        carried: TagCarried::Filter { position, .. },
        ..
    } = &grant.object
    else {
        panic!("{grant:?}")
    };
    assert_eq!(*position, 1);
    let decision = policy.check(&alice, Action::ASSET_VIEW, Resource::Asset(&scanned));
    assert_eq!(decision.object(), Some(&ObjectGrant::Permission(grant)));
}

#[test]
fn all_assets_permissions_are_all_after_all_assets_groups_and_edit_grants_no_view() {
    let everything = view(0, &[PermissionObject::all_assets()]);
    let alice = Subject::user(ALICE);
    let policy = policy_with(vec![], vec![], vec![everything.clone()]);
    let Plan::All(Some(Everything::Permission(grant))) = policy.plan(&alice, Action::ASSET_VIEW)
    else {
        panic!()
    };
    let any = Asset::new();
    let decision = policy.check(&alice, Action::ASSET_VIEW, Resource::Asset(&any));
    assert_eq!(decision.object(), Some(&ObjectGrant::Permission(grant)));
    // CanView does not grant scanning: nothing to scan.
    assert!(matches!(
        policy.plan(&alice, Action::ASSET_SCAN),
        Plan::None(Denial::Asset {
            containing: None,
            ..
        })
    ));
    // An All Assets group granting the permission comes first.
    let group = AccessGroup::all_assets_group("all").with_principals(Some(vec![Principal::user(
        ALICE,
        AccessPermissions::CAN_VIEW,
    )]));
    let both = policy_with(vec![group], vec![], vec![everything]);
    assert!(matches!(
        both.plan(&alice, Action::ASSET_VIEW),
        Plan::All(Some(Everything::Group(g))) if g.id() == Some("all")
    ));
    // CanEdit on every object grants editing tags, not viewing assets.
    let edit = Permission::new(
        "9e000000-0000-4000-8000-000000000001".parse().unwrap(),
        "edit",
    )
    .with_actions([PermissionAction::CanEdit, PermissionAction::CanUse])
    .with_object(PermissionObject::all_objects())
    .with_subject(PermissionSubject::all_users());
    let editors = policy_with(vec![], vec![], vec![edit]);
    assert!(matches!(
        editors.plan(&alice, Action::ASSET_VIEW),
        Plan::None(_)
    ));
}

#[test]
fn groups_and_named_only_tags_share_the_filter_and_groups_explain_first() {
    let group = AccessGroup::new("web", AccessGroupType::ManageAssets)
        .with_id("web")
        .with_rule(Rule::parse("fqdn", "ends", [".web.example"]).unwrap())
        .with_principal(Principal::user(ALICE, AccessPermissions::CAN_VIEW));
    let policy = policy_with(
        vec![group],
        vec![],
        vec![view(0, &[tag_object(NAMED_ONLY)])],
    );
    let alice = Subject::user(ALICE);
    let plan = policy.plan(&alice, Action::ASSET_VIEW);
    let Plan::Filter(filter) = &plan else {
        panic!()
    };
    assert_eq!(filter.conditions().len(), 1);
    assert_eq!(filter.tags().len(), 1);
    assert!(filter.tags()[0].tag().is_none());
    let both = asset_of(&[("fqdn", "a.web.example"), ("tag_uuid", NAMED_ONLY)]);
    assert!(matches!(filter.explain(&both), Some(Reason::Term(s)) if s.group.name() == "web"));
    let tagged = asset_of(&[("tag_uuid", &NAMED_ONLY.to_uppercase())]);
    let Some(Reason::Permission(grant)) = filter.explain(&tagged) else {
        panic!()
    };
    assert_eq!(grant.permission.name(), "view 0");
    assert_eq!(
        policy
            .check(&alice, Action::ASSET_VIEW, Resource::Asset(&tagged))
            .object(),
        Some(&ObjectGrant::Permission(grant))
    );
    assert!(!plan.allows(&asset_of(&[("fqdn", "a.example")])));
}
