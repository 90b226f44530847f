//! Query plans (issue 12) in memory: the plan's own evaluation decides every asset as
//! `Policy::is_allowed` does, a plan that selects nothing carries `check`'s denial, a
//! filter explains a row with the group, rule and term `check` names, and the pieces of
//! the expression are what `docs/semantics.md` ("Query plans") says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[path = "support/plan_policies.rs"]
mod plan_policies;

use plan_policies::{ACTIONS, asset, policy, subjects};
use proptest::prelude::*;
use scangate::access::NIL_UUID;
use scangate::access::{
    AccessGroupType, AccessGroups, AccessPermissions, Membership, Principal, Rule, RuleType,
};
use scangate::plan::{Plan, Test};
use scangate::policy::ObjectGrant;
use scangate::{AccessGroup, Action, Asset, Denial, Policy, Resource, RoleId, Subject, User};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every subject kind, the four asset actions, random policies and assets.
    #[test]
    fn the_plan_decides_every_asset_as_is_allowed(
        policy in policy(12),
        assets in prop::collection::vec(asset(), 1..30),
    ) {
        for subject in subjects() {
            for action in ACTIONS {
                let plan = policy.plan(&subject, action);
                for asset in &assets {
                    let expected = policy.is_allowed(&subject, action, Resource::Asset(asset));
                    prop_assert_eq!(plan.allows(asset), expected, "{:?} {:?} {:?}", subject, action, plan.kind());
                    let decision = policy.check(&subject, action, Resource::Asset(asset));
                    match &plan {
                        Plan::None(denial) => {
                            let given = decision.denial().unwrap();
                            if !matches!(denial, Denial::Asset { .. }) {
                                prop_assert_eq!(given, denial);
                            } else {
                                // No granting group contains any asset: `check` names the
                                // same user and permission (and perhaps a containing group
                                // that grants nothing).
                                let (Denial::Asset { user: u1, permission: p1, .. }, Denial::Asset { user: u2, permission: p2, .. }) = (given, denial) else {
                                    panic!("{given:?} {denial:?}");
                                };
                                prop_assert_eq!((u1, p1), (u2, p2));
                            }
                        }
                        Plan::Filter(filter) if expected => {
                            let Some(ObjectGrant::Asset { group, membership, .. }) = decision.object() else {
                                panic!("{decision:?}");
                            };
                            let reason = filter.explain(asset).unwrap();
                            let source = reason.source().unwrap();
                            prop_assert!(std::ptr::eq(source.group, *group));
                            prop_assert_eq!(
                                Membership::Rule { rule: source.rule, term: source.term },
                                *membership
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The expression's shape: IPv4 then IPv6 intervals sorted, disjoint and not adjacent;
    /// string conditions sorted and unique; every source names a term of a group that
    /// grants the subject, and its term's test is covered by its condition.
    #[test]
    fn filters_are_merged_sorted_and_traceable(policy in policy(12)) {
        for subject in subjects() {
            for action in ACTIONS {
                let Plan::Filter(filter) = policy.plan(&subject, action) else { continue };
                let conditions = filter.conditions();
                prop_assert!(!conditions.is_empty());
                for pair in conditions.windows(2) {
                    match (pair[0].test(), pair[1].test()) {
                        (Test::Ipv4 { last, .. }, Test::Ipv4 { first, .. }) => prop_assert!(u64::from(*last) + 1 < u64::from(*first)),
                        (Test::Ipv6 { last, .. }, Test::Ipv6 { first, .. }) => prop_assert!(last.checked_add(1).unwrap() < *first),
                        (a, b) => {
                            let ip = matches!(a, Test::Ipv4 { .. } | Test::Ipv6 { .. });
                            let sorted = (pair[0].attribute(), a) < (pair[1].attribute(), b);
                            prop_assert!(ip || sorted);
                        }
                    }
                }
                for condition in conditions {
                    prop_assert!(!condition.sources().is_empty());
                    for source in condition.sources() {
                        let term = source.term().unwrap();
                        prop_assert_eq!(source.attribute, condition.attribute());
                        prop_assert!(std::ptr::eq(policy.access_groups().at(source.position).unwrap(), source.group));
                        match (Test::from_term(term), condition.test()) {
                            (Test::Ipv4 { first: a, last: b }, Test::Ipv4 { first, last }) => prop_assert!(*first <= a && b <= *last),
                            (Test::Ipv6 { first: a, last: b }, Test::Ipv6 { first, last }) => prop_assert!(*first <= a && b <= *last),
                            (own, test) => prop_assert_eq!(&own, test),
                        }
                    }
                }
            }
        }
    }
}

fn group(name: &str, rules: Vec<Rule>) -> AccessGroup {
    AccessGroup::new(name, AccessGroupType::ManageAssets)
        .with_id(name)
        .with_rules(rules)
        .with_principal(Principal::user("alice", AccessPermissions::all()))
}

fn policy_of(groups: Vec<AccessGroup>) -> Policy {
    Policy::builder()
        .access_groups(AccessGroups::from_server(groups))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .user(User::new("ann", RoleId::AUDITOR))
        .build()
        .unwrap()
}

#[test]
fn ip_terms_of_every_granting_group_merge_into_disjoint_intervals() {
    let policy = policy_of(vec![
        group(
            "a",
            vec![Rule::parse("ipv4", "eq", ["10.0.0.0/24", "10.0.2.5-10.0.2.9"]).unwrap()],
        ),
        group(
            "b",
            vec![Rule::parse("ipv4", "eq", ["10.0.1.0/24", "10.0.0.7"]).unwrap()],
        ),
        group(
            "c",
            vec![Rule::parse("ipv6", "eq", ["2001:db8::/127", "2001:db8::2"]).unwrap()],
        ),
    ]);
    let Plan::Filter(filter) = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW) else {
        panic!()
    };
    let tests: Vec<&Test> = filter.conditions().iter().map(|c| c.test()).collect();
    assert_eq!(
        tests,
        [
            &Test::Ipv4 {
                first: 0x0A00_0000,
                last: 0x0A00_01FF
            },
            &Test::Ipv4 {
                first: 0x0A00_0205,
                last: 0x0A00_0209
            },
            &Test::Ipv6 {
                first: 0x2001_0db8 << 96,
                last: (0x2001_0db8 << 96) + 2
            },
        ]
    );
    // 10.0.0.0/24 (a, rule 0 term 0), 10.0.0.7 (b term 1), 10.0.1.0/24 (b term 0).
    let sources: Vec<(&str, usize)> = filter.conditions()[0]
        .sources()
        .iter()
        .map(|s| (s.group.name(), s.term))
        .collect();
    assert_eq!(sources, [("a", 0), ("b", 0), ("b", 1)]);
}

#[test]
fn names_are_normalized_as_the_matcher_does_and_equalities_deduplicated() {
    let policy = policy_of(vec![
        group(
            "a",
            vec![Rule::parse("fqdn", "eq", ["Web.Example.COM.", "db.example.com"]).unwrap()],
        ),
        group(
            "b",
            vec![
                Rule::parse("fqdn", "eq", ["web.example.com"]).unwrap(),
                Rule::parse("hostname", "starts", ["WEB."]).unwrap(),
                Rule::parse("mac_address", "eq", ["0A-1B-2C-3D-4E-5F"]).unwrap(),
                Rule::parse("qualys_host_id", "eq", ["00042"]).unwrap(),
                Rule::parse("network_id", "eq", [NIL_UUID]).unwrap(),
            ],
        ),
    ]);
    let Plan::Filter(filter) = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW) else {
        panic!()
    };
    let summary: Vec<(RuleType, Test, usize)> = filter
        .conditions()
        .iter()
        .map(|c| (c.attribute(), c.test().clone(), c.sources().len()))
        .collect();
    assert_eq!(
        summary,
        [
            (RuleType::Fqdn, Test::Equals("db.example.com".into()), 1),
            (RuleType::Fqdn, Test::Equals("web.example.com".into()), 2),
            (RuleType::Hostname, Test::Starts("web".into()), 1),
            (
                RuleType::MacAddress,
                Test::Equals("0a:1b:2c:3d:4e:5f".into()),
                1
            ),
            (RuleType::NetworkId, Test::Equals(NIL_UUID.into()), 1),
            (RuleType::QualysHostId, Test::Equals("42".into()), 1),
        ]
    );
    let row = Asset::new().with("hostname", "Webmail.").unwrap();
    assert!(filter.allows(&row));
    assert_eq!(
        filter
            .explain(&row)
            .and_then(|r| r.source().map(|s| (s.group.name(), s.rule))),
        Some(("b", 1))
    );
}

#[test]
fn all_none_and_scan_targets() {
    let scan = AccessGroup::new("scan", AccessGroupType::ScanTargets)
        .with_id("scan")
        .with_rule(Rule::parse("tag_uuid", "set-has", [NIL_UUID]).unwrap())
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.1"]).unwrap())
        .with_principal(Principal::user("alice", AccessPermissions::CAN_SCAN));
    let policy = policy_of(vec![scan]);
    let alice = Subject::user("alice");
    // Viewing: SCAN_TARGETS groups hold no asset records.
    let view = policy.plan(&alice, Action::ASSET_VIEW);
    assert!(
        matches!(
            view,
            Plan::None(Denial::Asset {
                containing: None,
                ..
            })
        ),
        "{view:?}"
    );
    // Scanning: through the address rule only, never the tag rule.
    let Plan::Filter(filter) = policy.plan(&alice, Action::ASSET_SCAN) else {
        panic!()
    };
    assert_eq!(filter.conditions().len(), 1);
    assert_eq!(filter.conditions()[0].attribute(), RuleType::Ipv4);
    // Layer 2 refuses the auditor scanning: the denial `check` gives.
    let ann = Subject::user("ann");
    let Plan::None(denial) = policy.plan(&ann, Action::ASSET_SCAN) else {
        panic!()
    };
    let empty = Asset::new();
    let decision = policy.check(&ann, Action::ASSET_SCAN, Resource::Asset(&empty));
    assert_eq!(Some(&denial), decision.denial());
    // The All Assets group with its default grant: everything.
    let all = Policy::builder()
        .access_groups(AccessGroups::from_server([AccessGroup::all_assets_group(
            "all",
        )]))
        .user(User::new("alice", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    assert!(
        matches!(all.plan(&alice, Action::ASSET_VIEW), Plan::All(Some(g)) if g.group().and_then(AccessGroup::id) == Some("all"))
    );
    // An action with no asset check: layers 1–2 decide.
    assert!(matches!(
        all.plan(&alice, Action::ORG_LOG_VIEW),
        Plan::All(None)
    ));
}
