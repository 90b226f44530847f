//! The compiled index decides exactly as the reference: `granting` against
//! `AccessGroup::grant`, `first_containing` / `first_containing_target` / `containing`
//! against loops over `ReferenceMatcher`, and `AssetFilter` against `first_containing`,
//! on random groups (every rule type and operator, overlapping ranges, nested CIDRs, /0
//! and /32, single-address ranges, wildcards anywhere, empty groups, all-users groups,
//! All Assets, principals of every kind with random permissions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use scangate::access::{
    AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, GroupIndex, GroupSet,
    Membership, NIL_UUID, Principal, PrincipalKind, ReferenceMatcher, Rule, RuleType, Target,
};

/// IPv4 addresses near each other (so that terms overlap and nest), plus the ends of
/// the space and anything.
fn v4() -> BoxedStrategy<u32> {
    prop_oneof![
        6 => (0u32..600).prop_map(|x| 0x0A00_0000 + x),
        1 => Just(0u32),
        1 => Just(u32::MAX),
        1 => u32::MAX - 3..=u32::MAX,
        1 => any::<u32>(),
    ]
    .boxed()
}

fn v6() -> BoxedStrategy<u128> {
    let base: u128 = 0x2001_0db8 << 96;
    prop_oneof![
        6 => (0u128..600).prop_map(move |x| base + x),
        1 => Just(0u128),
        1 => Just(u128::MAX),
        1 => (0u32..600).prop_map(|x| 0xffff_0a00_0000 + u128::from(x)), // ::ffff:10.0.x.x
        1 => any::<u128>(),
    ]
    .boxed()
}

fn v4_term() -> BoxedStrategy<String> {
    prop_oneof![
        v4().prop_map(|a| Ipv4Addr::from(a).to_string()),
        (
            v4(),
            prop::sample::select(vec![0u32, 1, 8, 16, 22, 23, 24, 26, 28, 30, 31, 32])
        )
            .prop_map(|(a, p)| format!("{}/{p}", Ipv4Addr::from(a))),
        (v4(), v4()).prop_map(|(a, b)| format!(
            "{}-{}",
            Ipv4Addr::from(a.min(b)),
            Ipv4Addr::from(a.max(b))
        )),
        v4().prop_map(|a| format!("{0}-{0}", Ipv4Addr::from(a))),
    ]
    .boxed()
}

fn v6_term() -> BoxedStrategy<String> {
    prop_oneof![
        v6().prop_map(|a| Ipv6Addr::from(a).to_string()),
        (
            v6(),
            prop::sample::select(vec![0u32, 1, 32, 96, 104, 118, 120, 122, 124, 127, 128])
        )
            .prop_map(|(a, p)| format!("{}/{p}", Ipv6Addr::from(a))),
        (v6(), v6()).prop_map(|(a, b)| format!(
            "{}-{}",
            Ipv6Addr::from(a.min(b)),
            Ipv6Addr::from(a.max(b))
        )),
    ]
    .boxed()
}

fn mac() -> BoxedStrategy<String> {
    (0u8..4, any::<bool>())
        .prop_map(|(x, dash)| {
            let s = if dash { '-' } else { ':' };
            format!("0a{s}00{s}00{s}00{s}00{s}0{x}")
        })
        .boxed()
}

fn uuid() -> BoxedStrategy<String> {
    (0u8..4, any::<bool>())
        .prop_map(|(x, up)| {
            let u = format!("a59ae831-2695-40b1-a9f9-9a26258f548{x}");
            if up { u.to_uppercase() } else { u }
        })
        .boxed()
}

/// Names over a tiny alphabet so that `eq`, `starts`, `ends` and `match` often hit;
/// some pieces are 4+ bytes (the gram path), some shorter (the scanned path).
fn name_text() -> BoxedStrategy<String> {
    "[abAB.]{1,10}".boxed()
}

fn pattern_text() -> BoxedStrategy<String> {
    prop_oneof![
        "[abAB.*]{1,10}",
        Just("*".to_owned()),
        Just("**".to_owned()),
        "\\*[ab.]{4,6}",
        "[ab.]{4,6}\\*",
        "[ab]{1,3}\\*[ab.]{4,6}\\*[ab]{0,2}",
        "[ab.]{4,6}\\*[ab.]{4,9}",
        "\\*?[ab.]{8,10}\\*?",
    ]
    .boxed()
}

fn term_text(ty: RuleType, op: &str) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4_term(),
        RuleType::Ipv6 => v6_term(),
        RuleType::MacAddress => mac(),
        RuleType::QualysAssetId | RuleType::QualysHostId => "0{0,2}[1-3]".boxed(),
        RuleType::TagUuid | RuleType::NetworkId => uuid(),
        RuleType::Fqdn | RuleType::Hostname | RuleType::OperatingSystem if op == "match" => {
            pattern_text()
        }
        RuleType::Fqdn | RuleType::Hostname => name_text(),
        RuleType::OperatingSystem => "[abAB ]{1,6}".boxed(),
        _ => "[aAbB]{1,3}".boxed(),
    }
}

fn value_text(ty: RuleType) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4().prop_map(|a| Ipv4Addr::from(a).to_string()).boxed(),
        RuleType::Ipv6 => v6().prop_map(|a| Ipv6Addr::from(a).to_string()).boxed(),
        RuleType::Fqdn | RuleType::Hostname => "[abAB.]{1,20}".boxed(),
        RuleType::OperatingSystem => "[abAB ]{1,10}".boxed(),
        other => term_text(other, "eq"),
    }
}

/// A rule type, weighted towards the ones with interesting structures.
fn rule_type() -> BoxedStrategy<RuleType> {
    prop_oneof![
        3 => Just(RuleType::Ipv4),
        2 => Just(RuleType::Ipv6),
        3 => Just(RuleType::Fqdn),
        2 => Just(RuleType::Hostname),
        1 => Just(RuleType::OperatingSystem),
        1 => Just(RuleType::TagUuid),
        2 => (0..RuleType::COUNT).prop_map(|i| RuleType::ALL[i]),
    ]
    .boxed()
}

fn rule() -> impl Strategy<Value = Rule> {
    (rule_type(), any::<prop::sample::Index>())
        .prop_flat_map(|(ty, op)| {
            let op = *op.get(ty.operators());
            (
                Just(ty),
                Just(op),
                prop::collection::vec(term_text(ty, op.as_str()), 0..4),
            )
        })
        .prop_filter_map(
            "term rejected (e.g. a name of only `.`)",
            |(ty, op, terms)| Rule::new(ty, op, &terms).ok(),
        )
}

const IDS: [&str; 6] = ["alice", "bob", "ops", "dev", NIL_UUID, "Alice"];

fn principal() -> impl Strategy<Value = Principal> {
    (
        0u8..5,
        prop::option::weighted(0.9, 0usize..IDS.len()),
        0u8..8,
    )
        .prop_map(|(k, id, bits)| {
            let kind = match k {
                0 | 1 => PrincipalKind::User,
                2 => PrincipalKind::Group,
                3 => PrincipalKind::AllUsers,
                _ => PrincipalKind::Other("access_group".into()),
            };
            // Bit 4 is no flag: it must grant nothing that was not asked with it.
            let bits = if bits == 7 { 5 } else { bits & 3 };
            Principal::new(
                kind,
                id.map(|i| IDS[i]),
                None,
                AccessPermissions::from_bits_retain(bits),
            )
        })
}

fn group() -> impl Strategy<Value = AccessGroup> {
    (
        0u8..20,
        0u8..3,
        prop::option::weighted(0.85, prop::collection::vec(principal(), 0..4)),
        prop::collection::vec(rule(), 0..5),
    )
        .prop_map(|(flags, ty, principals, rules)| {
            let ty = [
                AccessGroupType::ManageAssets,
                AccessGroupType::ScanTargets,
                AccessGroupType::All,
            ][usize::from(ty)];
            AccessGroup::new("g", ty)
                .with_all_assets(flags == 0)
                .with_all_users(flags == 1 || flags == 2)
                .with_principals(principals)
                .with_rules(rules)
        })
}

fn asset() -> impl Strategy<Value = Asset> {
    prop::collection::vec(
        rule_type().prop_flat_map(|ty| (Just(ty), value_text(ty))),
        0..6,
    )
    .prop_map(|values| {
        let mut asset = Asset::new();
        for (ty, v) in values {
            let _ = asset.insert(ty, &v); // a name of only `.` is rejected: skip it
        }
        asset
    })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        v4().prop_map(|a| Ipv4Addr::from(a).to_string()),
        v6().prop_map(|a| Ipv6Addr::from(a).to_string()),
        prop::collection::vec("[abAB]{1,4}", 1..4).prop_map(|l| l.join(".")),
        "[ab]{1,3}\\.[ab]{1,3}\\.",
    ]
    .prop_map(|t| t.parse().unwrap())
}

fn subject() -> impl Strategy<Value = (String, Vec<String>, AccessPermissions)> {
    (
        0usize..IDS.len(),
        prop::collection::vec(0usize..IDS.len(), 0..3),
        prop::sample::select(vec![0u8, 1, 2, 3, 1, 2, 3, 5]),
    )
        .prop_map(|(u, gs, bits)| {
            (
                IDS[u].to_owned(),
                gs.into_iter().map(|g| IDS[g].to_owned()).collect(),
                AccessPermissions::from_bits_retain(bits),
            )
        })
}

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
        groups in prop::collection::vec(group(), 0..10),
        assets in prop::collection::vec(asset(), 1..6),
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
        groups in prop::collection::vec(group(), 60..90),
        assets in prop::collection::vec(asset(), 4..10),
        targets in prop::collection::vec(target(), 2..6),
        subjects in prop::collection::vec(subject(), 2..5),
        among in any::<u64>(),
    ) {
        let groups = AccessGroups::from_server(groups);
        check(&groups, &assets, &targets, &subjects, among)?;
    }
}

fn match_group() -> impl Strategy<Value = AccessGroup> {
    prop::collection::vec(pattern_text(), 1..3).prop_filter_map("a term of only `.`", |terms| {
        let rule = Rule::parse("fqdn", "match", &terms).ok()?;
        Some(AccessGroup::new("m", AccessGroupType::ManageAssets).with_rule(rule))
    })
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

/// An IPv4 term from a structured family around `10.0.0.0/8`: prefixes of every length
/// nested around a few centres, ranges crossing `/24` and `/16` boundaries, single
/// addresses; so that hundreds of groups overlap at every address.
fn overlapping_v4_term() -> BoxedStrategy<String> {
    const CENTRES: [u32; 3] = [0x0A25_8E4D, 0x0A25_8F00, 0x0A80_0001];
    prop_oneof![
        (0usize..3, 8u32..=32, 0u32..3).prop_map(|(c, p, jitter)| {
            let a = CENTRES[c].wrapping_add(jitter << (32 - p).min(31));
            format!("{}/{p}", Ipv4Addr::from(a))
        }),
        (0usize..3, 0u32..700, 0u32..700).prop_map(|(c, a, b)| {
            let base = CENTRES[c] & 0xFFFF_FF00;
            let (a, b) = (base - 350 + a.min(b), base - 350 + a.max(b));
            format!("{}-{}", Ipv4Addr::from(a), Ipv4Addr::from(b))
        }),
        (0usize..3, 0u32..600).prop_map(|(c, d)| Ipv4Addr::from(CENTRES[c] - 300 + d).to_string()),
    ]
    .boxed()
}

fn overlapping_v6_term() -> BoxedStrategy<String> {
    let base: u128 = 0x2001_0db8 << 96;
    prop_oneof![
        (96u32..=128).prop_map(move |p| format!("{}/{p}", Ipv6Addr::from(base + 0x1234))),
        (0u128..600, 0u128..600).prop_map(move |(a, b)| format!(
            "{}-{}",
            Ipv6Addr::from(base + a.min(b)),
            Ipv6Addr::from(base + a.max(b))
        )),
    ]
    .boxed()
}

fn overlapping_group() -> impl Strategy<Value = AccessGroup> {
    (
        0u8..40,
        prop::collection::vec(overlapping_v4_term(), 0..4),
        prop::collection::vec(overlapping_v6_term(), 0..2),
        prop::collection::vec(pattern_text(), 0..2),
    )
        .prop_map(|(flags, v4, v6, patterns)| {
            let mut group = AccessGroup::new("o", AccessGroupType::ManageAssets)
                .with_all_assets(flags == 0)
                .with_all_users(flags == 1);
            for (ty, op, terms) in [
                ("ipv4", "eq", v4),
                ("ipv6", "eq", v6),
                ("fqdn", "match", patterns),
            ] {
                if let Ok(rule) = Rule::parse(ty, op, &terms) {
                    if !terms.is_empty() {
                        group = group.with_rule(rule);
                    }
                }
            }
            group
        })
}

fn overlapping_asset() -> impl Strategy<Value = Asset> {
    (
        prop::collection::vec(overlapping_v4_term(), 0..3),
        prop::collection::vec(0u128..700, 0..2),
        prop::collection::vec("[ab.]{1,16}", 0..2),
    )
        .prop_map(|(v4, v6, names)| {
            let mut asset = Asset::new();
            for t in v4 {
                // The first address of each term, and one past its end.
                let first = t.split(['/', '-']).next().unwrap_or_default();
                let _ = asset.insert(RuleType::Ipv4, first);
            }
            for d in v6 {
                let a = Ipv6Addr::from((0x2001_0db8u128 << 96) + d);
                let _ = asset.insert(RuleType::Ipv6, &a.to_string());
            }
            for n in names {
                let _ = asset.insert(RuleType::Fqdn, &n);
            }
            asset
        })
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
    both::<scangate::access::AssetFilter>();
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
