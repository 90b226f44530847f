//! The compiled index decides exactly as the reference: `granting` against
//! `AccessGroup::grant`, `first_containing` / `first_containing_target` / `containing`
//! against loops over `ReferenceMatcher`, and `GroupFilter` against `first_containing`,
//! on random groups (every rule type and operator, overlapping ranges, nested CIDRs, /0
//! and /32, single-address ranges, wildcards anywhere, empty groups, all-users groups,
//! All Assets, principals of every kind with random permissions; the generators are in
//! `tests/support/values.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

mod support;

use proptest::prelude::*;
use scangate::{
    AccessGroup, Asset, Target,
    access::{
        AccessGroupType, AccessGroups, AccessPermissions, GroupIndex, GroupSet, Membership,
        ReferenceMatcher, Rule, RuleType,
    },
};
use support::values::{
    GroupMix, Texts, asset, group, match_group, overlapping_asset, overlapping_group, subject,
    target,
};

/// A SCAN_TARGETS group as the MANAGE_ASSETS group that contains the same assets: its
/// rules on attributes other than `ipv4`, `ipv6`, `fqdn` and `hostname` emptied (so the
/// rule indexes stay), since scanning an asset is scanning its addresses
/// (`docs/semantics.md`, "Membership and matching"). Other groups are unchanged.
fn addresses_only(group: &AccessGroup) -> AccessGroup {
    if group.group_type() != AccessGroupType::ScanTargets {
        return group.clone();
    }
    let rules = group
        .rules()
        .iter()
        .map(|rule| match rule.rule_type() {
            RuleType::Ipv4 | RuleType::Ipv6 | RuleType::Fqdn | RuleType::Hostname => rule.clone(),
            other => {
                Rule::parse(other.as_str(), rule.operator().as_str(), [] as [&str; 0]).unwrap()
            }
        })
        .collect();
    group
        .clone()
        .with_type(AccessGroupType::ManageAssets)
        .with_rules(rules)
}

fn reference_first(
    groups: &AccessGroups,
    among: &GroupSet,
    contains: impl Fn(&AccessGroup) -> Option<Membership>,
) -> Option<(usize, Membership)> {
    groups
        .iter()
        .enumerate()
        .filter(|(g, _)| among.contains(*g))
        .find_map(|(g, group)| contains(group).map(|m| (g, m)))
}

fn check(
    groups: &AccessGroups,
    assets: &[Asset],
    targets: &[Target],
    subjects: &[(String, Vec<String>, AccessPermissions)],
    among_bits: u64,
) -> Result<(), TestCaseError> {
    let index = GroupIndex::new(groups);
    prop_assert_eq!(index.len(), groups.len());
    let mut sets: Vec<GroupSet> = vec![
        GroupSet::full(groups.len()),
        (0..64).filter(|i| among_bits >> i & 1 == 1).collect(),
        GroupSet::new(),
    ];
    for (user, user_groups, perm) in subjects {
        let expected: GroupSet = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.grant(user, user_groups, *perm).is_some())
            .map(|(i, _)| i)
            .collect();
        let got = index.granting(user, user_groups, *perm);
        prop_assert_eq!(
            &got,
            &expected,
            "granting {} {:?} {:?}",
            user,
            user_groups,
            perm
        );
        sets.push(got);
    }
    let m = ReferenceMatcher;
    for asset in assets {
        for group in groups.iter() {
            prop_assert_eq!(
                m.contains_asset(group, asset),
                m.contains_asset(&addresses_only(group), asset),
                "SCAN_TARGETS by address {:?} {:?}",
                group,
                asset
            );
        }
        let all: Vec<_> = groups
            .iter()
            .enumerate()
            .filter_map(|(g, group)| m.contains_asset(group, asset).map(|x| (g, x)))
            .collect();
        prop_assert_eq!(index.containing(asset), all, "containing {:?}", asset);
        for among in &sets {
            let expected = reference_first(groups, among, |g| m.contains_asset(g, asset));
            prop_assert_eq!(
                index.first_containing(asset, among),
                expected,
                "first_containing {:?} among {:?}",
                asset,
                among
            );
            prop_assert_eq!(index.any_containing(asset, among), expected.is_some());
            prop_assert_eq!(index.filter(among).allows(asset), expected.is_some());
        }
    }
    for target in targets {
        for among in &sets {
            let expected = reference_first(groups, among, |g| m.contains_target(g, target));
            prop_assert_eq!(
                index.first_containing_target(target, among),
                expected,
                "first_containing_target {} among {:?}",
                target,
                among
            );
            prop_assert_eq!(
                index.any_containing_target(target, among),
                expected.is_some()
            );
            prop_assert_eq!(
                index.filter(among).allows_target(target),
                expected.is_some()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn index_decides_as_the_reference(
        groups in prop::collection::vec(group(GroupMix::DECIDING), 0..10),
        assets in prop::collection::vec(asset(Texts::NEAR), 1..6),
        targets in prop::collection::vec(target(), 1..5),
        subjects in prop::collection::vec(subject(), 1..4),
        among in any::<u64>(),
    ) {
        let groups = AccessGroups::from_server(groups);
        check(&groups, &assets, &targets, &subjects, among)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// More groups than a word of the set, longer hit lists.
    #[test]
    fn index_decides_as_the_reference_with_many_groups(
        groups in prop::collection::vec(group(GroupMix::DECIDING), 60..90),
        assets in prop::collection::vec(asset(Texts::NEAR), 4..10),
        targets in prop::collection::vec(target(), 2..6),
        subjects in prop::collection::vec(subject(), 2..5),
        among in any::<u64>(),
    ) {
        let groups = AccessGroups::from_server(groups);
        check(&groups, &assets, &targets, &subjects, among)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Many `match` patterns over a tiny alphabet: pieces shared by many patterns, so that
    /// one piece leads to long candidate lists and one value position ends many pieces;
    /// single-piece, multi-piece and all-`*` patterns.
    #[test]
    fn match_patterns_decide_as_the_reference(
        groups in prop::collection::vec(match_group(), 20..80),
        names in prop::collection::vec("[ab.]{1,24}", 5..15),
        among in any::<u64>(),
    ) {
        let groups = AccessGroups::from_server(groups);
        let assets: Vec<Asset> = names
            .iter()
            .filter_map(|n| Asset::new().with("fqdn", n).ok())
            .collect();
        check(&groups, &assets, &[], &[], among)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// Hundreds of groups overlapping at every address (shared and nested prefixes,
    /// ranges across boundaries, IPv6), so that the interval sets are told as checkpoints
    /// and differences; the granting sets are random subsets of every density.
    #[test]
    fn overlapping_groups_decide_as_the_reference(
        groups in prop::collection::vec(overlapping_group(), 40..260),
        assets in prop::collection::vec(overlapping_asset(), 3..8),
        densities in prop::collection::vec((1u64..100, any::<u64>()), 3),
    ) {
        let groups = AccessGroups::from_server(groups);
        let index = GroupIndex::new(&groups);
        let m = ReferenceMatcher;
        let mut sets = vec![GroupSet::full(groups.len()), GroupSet::new()];
        for (density, seed) in densities {
            let mut x = seed;
            sets.push((0..groups.len()).filter(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (x >> 33) % 100 < density
            }).collect());
        }
        for asset in &assets {
            let all: Vec<_> = groups
                .iter()
                .enumerate()
                .filter_map(|(g, group)| m.contains_asset(group, asset).map(|x| (g, x)))
                .collect();
            prop_assert_eq!(index.containing(asset), all);
            for among in &sets {
                let expected = reference_first(&groups, among, |g| m.contains_asset(g, asset));
                prop_assert_eq!(index.first_containing(asset, among), expected);
                prop_assert_eq!(index.any_containing(asset, among), expected.is_some());
                prop_assert_eq!(index.filter(among).allows(asset), expected.is_some());
            }
        }
    }
}

#[test]
fn index_is_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<GroupIndex>();
    both::<GroupSet>();
    both::<scangate::access::GroupFilter>();
}

#[test]
fn edge_cases() {
    let groups = AccessGroups::from_server([
        AccessGroup::new("top", AccessGroupType::ManageAssets)
            .with_rule(Rule::parse("ipv4", "eq", ["255.255.255.255", "0.0.0.0/0"]).unwrap())
            .with_rule(Rule::parse("ipv6", "eq", ["::/0"]).unwrap()),
        AccessGroup::new("names", AccessGroupType::ScanTargets)
            .with_rule(Rule::parse("hostname", "match", ["*"]).unwrap())
            .with_rule(Rule::parse("fqdn", "ends", ["EXAMPLE.com."]).unwrap()),
    ]);
    let index = GroupIndex::new(&groups);
    let all = GroupSet::full(2);
    let top = Asset::new().with("ipv4", "255.255.255.255").unwrap();
    assert_eq!(
        index.first_containing(&top, &all),
        Some((0, Membership::Rule { rule: 0, term: 0 }))
    );
    let t: Target = "notexample.com".parse().unwrap();
    assert_eq!(
        index.first_containing_target(&t, &[1].into_iter().collect()),
        Some((1, Membership::Rule { rule: 0, term: 0 }))
    );
    assert_eq!(index.first_containing(&Asset::new(), &all), None);
    assert!(
        index
            .granting("alice", &[] as &[&str], AccessPermissions::CAN_VIEW)
            .is_empty()
    );
}
