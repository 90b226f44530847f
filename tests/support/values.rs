//! Layer-3 values spread wide: rules of every type and operator, principals of every kind,
//! access groups, assets and targets. Most terms and values are near each other (addresses
//! around `10.0.0.0` and `2001:db8::`, names over the alphabet `abAB.`) so that terms
//! overlap and nest (overlapping ranges, nested CIDRs, `/0` and `/32`, single-address
//! ranges, wildcards anywhere) and values hit them; the rest are anywhere in their type's
//! space (any address and prefix, any MAC address and UUID, printable text), as the wire
//! formats must carry them.
//!
//! [`Texts`] says which texts the term and value generators draw: [`Texts::NEAR`] for the
//! index, engine and wire tests, [`Texts::HOSTILE`] for the query-plan tests, whose names,
//! patterns and texts also carry SQL quotes, `LIKE` wildcards and case folds
//! ([`HOSTILE_CHARS`]).

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use scangate::{
    AccessGroup, Asset, Target,
    access::{
        AccessGroupType, AccessPermissions, NIL_UUID, Principal, PrincipalKind, Rule, RuleType,
    },
};

/// IPv4 addresses near each other (so that terms overlap and nest), plus the ends of
/// the space and anything.
pub fn v4() -> BoxedStrategy<u32> {
    prop_oneof![
        6 => (0u32..600).prop_map(|x| 0x0A00_0000 + x),
        1 => Just(0u32),
        1 => Just(u32::MAX),
        1 => u32::MAX - 3..=u32::MAX,
        1 => any::<u32>(),
    ]
    .boxed()
}

/// IPv6 addresses near each other, the ends of the space, IPv4-mapped ones and anything.
pub fn v6() -> BoxedStrategy<u128> {
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

/// Which texts the term and value generators draw.
#[derive(Clone, Copy, Debug)]
pub struct Texts {
    /// Also draw names, `match` patterns and free texts over [`HOSTILE_CHARS`].
    pub hostile: bool,
    /// One term in six from anywhere in its type's space rather than near the others.
    pub wide: bool,
    /// Shorter names and texts, and `match` patterns of short pieces only: terms and values
    /// meet in fewer cases.
    pub short: bool,
    /// The weights of `ipv4`, `ipv6`, `fqdn`, `hostname`, `operating_system`, `tag_uuid`
    /// and of any type (so every type occurs).
    pub rule_types: [u32; 7],
}

impl Texts {
    /// For the index, the engine and the wire formats: names over `abAB.`, long pattern
    /// pieces as well as short ones, and some terms from anywhere.
    pub const NEAR: Texts = Texts {
        hostile: false,
        wide: true,
        short: false,
        rule_types: [3, 2, 3, 2, 1, 1, 2],
    };
    /// For query plans, whose terms and values end up in SQL: hostile characters in every
    /// name, pattern and text, short texts (each case runs against a database, so there are
    /// fewer), only terms near the others, and free text (`operating_system`, any type)
    /// drawn more often.
    pub const HOSTILE: Texts = Texts {
        hostile: true,
        wide: false,
        short: true,
        rule_types: [3, 2, 3, 2, 2, 1, 3],
    };

    /// `short` when texts are short, `long` otherwise.
    fn len(self, short: usize, long: usize) -> usize {
        if self.short { short } else { long }
    }

    /// `plain`, or, with hostile texts, `plain` (weight `plain_weight`) or 1 to
    /// `hostile_len` of [`HOSTILE_CHARS`] (weight 1).
    fn or_hostile(
        self,
        plain: BoxedStrategy<String>,
        plain_weight: u32,
        hostile_len: usize,
    ) -> BoxedStrategy<String> {
        if self.hostile {
            prop_oneof![
                plain_weight => plain,
                1 => re(&format!("{HOSTILE_CHARS}{{1,{hostile_len}}}")),
            ]
            .boxed()
        } else {
            plain
        }
    }
}

/// Hostile characters: SQL quotes, `LIKE` wildcards and escape, the `match` wildcard,
/// uppercase, and letters whose lowercase is longer (`İ`) or ASCII (`K`, the Kelvin sign).
pub const HOSTILE_CHARS: &str = "[ab%_'\"\\\\AB.éİK]";

fn re(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern).unwrap().boxed()
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

/// Four MAC addresses, either separator, either case.
fn mac() -> BoxedStrategy<String> {
    (0u8..4, any::<bool>(), any::<bool>())
        .prop_map(|(x, dash, up)| {
            let s = if dash { '-' } else { ':' };
            let m = format!("0a{s}0b{s}00{s}00{s}00{s}0{x}");
            if up { m.to_uppercase() } else { m }
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

/// Names over a tiny alphabet so that `eq`, `starts`, `ends` and `match` often hit.
fn name_text(texts: Texts) -> BoxedStrategy<String> {
    texts.or_hostile(re(&format!("[abAB.]{{1,{}}}", texts.len(8, 10))), 3, 6)
}

/// `match` patterns over the names' alphabet: wildcards anywhere, all-`*` patterns, short
/// pieces and (unless texts are short) long ones.
pub fn pattern_text(texts: Texts) -> BoxedStrategy<String> {
    let middle = if texts.short { "1,4" } else { "4,6" };
    let mut patterns = vec![
        re(&format!("[abAB.*]{{1,{}}}", texts.len(8, 10))),
        Just("*".to_owned()).boxed(),
        re(&format!("[ab]{{1,3}}\\*[ab.]{{{middle}}}\\*[ab]{{0,2}}")),
    ];
    if !texts.short {
        patterns.extend([
            Just("**".to_owned()).boxed(),
            re("\\*[ab.]{4,6}"),
            re("[ab.]{4,6}\\*"),
            re("[ab.]{4,6}\\*[ab.]{4,9}"),
            re("\\*?[ab.]{8,10}\\*?"),
        ]);
    }
    if texts.hostile {
        patterns.extend([
            re(&format!("{HOSTILE_CHARS}{{0,3}}\\*{HOSTILE_CHARS}{{1,3}}")),
            re("[ab%_*\\\\']{1,6}"),
        ]);
    }
    proptest::strategy::Union::new(patterns).boxed()
}

/// A term near the others (see the module documentation).
fn near_term(texts: Texts, ty: RuleType, op: &str) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4_term(),
        RuleType::Ipv6 => v6_term(),
        RuleType::MacAddress => mac(),
        RuleType::QualysAssetId | RuleType::QualysHostId => "0{0,2}[1-3]".boxed(),
        RuleType::TagUuid | RuleType::NetworkId => uuid(),
        RuleType::Fqdn | RuleType::Hostname | RuleType::OperatingSystem if op == "match" => {
            pattern_text(texts)
        }
        RuleType::Fqdn | RuleType::Hostname => name_text(texts),
        RuleType::OperatingSystem => {
            texts.or_hostile(re(&format!("[abAB ]{{1,{}}}", texts.len(5, 6))), 1, 5)
        }
        _ => texts.or_hostile(re(&format!("[aAbB]{{1,{}}}", texts.len(2, 3))), 1, 3),
    }
}
/// A term anywhere in its type's space.
fn wide_term(ty: RuleType) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => prop_oneof![
            any::<u32>().prop_map(|a| Ipv4Addr::from(a).to_string()),
            (any::<u32>(), 0u32..=32).prop_map(|(a, p)| format!("{}/{p}", Ipv4Addr::from(a))),
            (any::<u32>(), any::<u32>()).prop_map(|(a, b)| format!(
                "{}-{}",
                Ipv4Addr::from(a.min(b)),
                Ipv4Addr::from(a.max(b))
            )),
        ]
        .boxed(),
        RuleType::Ipv6 => (any::<u128>(), 0u32..=128)
            .prop_map(|(a, p)| format!("{}/{p}", Ipv6Addr::from(a)))
            .boxed(),
        RuleType::MacAddress => (0u64..(1 << 48))
            .prop_map(|m| {
                let b = m.to_be_bytes();
                format!(
                    "{:02X}-{:02x}-{:02x}-{:02x}-{:02x}-{:02X}",
                    b[2], b[3], b[4], b[5], b[6], b[7]
                )
            })
            .boxed(),
        RuleType::QualysAssetId | RuleType::QualysHostId => "[0-9]{1,12}".boxed(),
        RuleType::TagUuid | RuleType::NetworkId => any::<u128>()
            .prop_map(|u| {
                let s = format!("{u:032X}");
                format!(
                    "{}-{}-{}-{}-{}",
                    &s[..8],
                    &s[8..12],
                    &s[12..16],
                    &s[16..20],
                    &s[20..]
                )
            })
            .boxed(),
        RuleType::Fqdn | RuleType::Hostname => "[A-Za-z0-9*.-]{0,12}[A-Za-z0-9]".boxed(),
        _ => "[ -~]{1,16}".boxed(),
    }
}

/// A term of this type for operator `op`: near the others, or, when `texts.wide`, near
/// five times in six and anywhere otherwise. A few (a name of only `.`) are rejected by the
/// parser.
pub fn term_text(texts: Texts, ty: RuleType, op: &str) -> BoxedStrategy<String> {
    if texts.wide {
        prop_oneof![5 => near_term(texts, ty, op), 1 => wide_term(ty)].boxed()
    } else {
        near_term(texts, ty, op)
    }
}

/// An asset value of this type, near the terms.
pub fn value_text(texts: Texts, ty: RuleType) -> BoxedStrategy<String> {
    match ty {
        RuleType::Ipv4 => v4().prop_map(|a| Ipv4Addr::from(a).to_string()).boxed(),
        RuleType::Ipv6 => v6().prop_map(|a| Ipv6Addr::from(a).to_string()).boxed(),
        RuleType::Fqdn | RuleType::Hostname => {
            texts.or_hostile(re(&format!("[abAB.]{{1,{}}}", texts.len(14, 20))), 3, 10)
        }
        RuleType::OperatingSystem => {
            texts.or_hostile(re(&format!("[abAB ]{{1,{}}}", texts.len(8, 10))), 1, 8)
        }
        other => term_text(texts, other, "eq"),
    }
}

/// A rule type, weighted by `texts.rule_types` towards the ones with interesting
/// structures (every type occurs).
pub fn rule_type(texts: Texts) -> BoxedStrategy<RuleType> {
    let [ipv4, ipv6, fqdn, hostname, os, tag, any] = texts.rule_types;
    prop_oneof![
        ipv4 => Just(RuleType::Ipv4),
        ipv6 => Just(RuleType::Ipv6),
        fqdn => Just(RuleType::Fqdn),
        hostname => Just(RuleType::Hostname),
        os => Just(RuleType::OperatingSystem),
        tag => Just(RuleType::TagUuid),
        any => (0..RuleType::COUNT).prop_map(|i| RuleType::ALL[i]),
    ]
    .boxed()
}

/// A rule of any type with any of its operators and up to three terms (none included).
pub fn rule(texts: Texts) -> impl Strategy<Value = Rule> {
    (rule_type(texts), any::<prop::sample::Index>())
        .prop_flat_map(move |(ty, op)| {
            let op = *op.get(ty.operators());
            (
                Just(ty),
                Just(op),
                prop::collection::vec(term_text(texts, ty, op.as_str()), 0..4),
            )
        })
        .prop_filter_map(
            "term rejected (e.g. a name of only `.`)",
            |(ty, op, terms)| Rule::new(ty, op, &terms).ok(),
        )
}

/// Ids that principals name and subjects claim (a case variant, the nil UUID).
pub const IDS: [&str; 6] = ["alice", "bob", "ops", "dev", NIL_UUID, "Alice"];

fn principal_with(stray_bit: bool) -> impl Strategy<Value = Principal> {
    (
        0u8..5,
        prop_oneof![
            7 => (0usize..IDS.len()).prop_map(|i| Some(IDS[i].to_owned())),
            1 => "[a-z0-9@.-]{1,12}".prop_map(Some),
            1 => Just(None),
        ],
        proptest::option::of("[A-Za-z ]{1,10}"),
        0u8..8,
    )
        .prop_map(move |(k, id, name, bits)| {
            let kind = match k {
                0 | 1 => PrincipalKind::User,
                2 => PrincipalKind::Group,
                3 => PrincipalKind::AllUsers,
                _ => PrincipalKind::Other("access_group".into()),
            };
            // Bit 4 is no flag: it must grant nothing that was not asked with it.
            let bits = if stray_bit && bits == 7 { 5 } else { bits & 3 };
            Principal::new(
                kind,
                id.as_deref(),
                name.as_deref(),
                AccessPermissions::from_bits_retain(bits),
            )
        })
}

/// A principal of any kind (`access_group` included), naming one of [`IDS`], any id or
/// none, with or without a name, with any permissions; one in eight holds a bit that is no
/// flag besides `CAN_VIEW`.
pub fn principal() -> impl Strategy<Value = Principal> {
    principal_with(true)
}

/// As [`principal`], with only the permissions the wire format spells.
pub fn wire_principal() -> impl Strategy<Value = Principal> {
    principal_with(false)
}

/// How often groups set their flags, and which principals they hold.
#[derive(Clone, Copy, Debug)]
pub struct GroupMix {
    /// The chance of `all_assets: true`.
    pub all_assets: f64,
    /// The chance of `all_users: true`.
    pub all_users: f64,
    /// Principals may hold a permission bit that is no flag ([`principal`] rather than
    /// [`wire_principal`]).
    pub stray_bits: bool,
}

impl GroupMix {
    /// For decisions: groups that contain every asset or grant every user are rare (they
    /// would decide before the rest), principals may hold stray bits.
    pub const DECIDING: GroupMix = GroupMix {
        all_assets: 0.05,
        all_users: 0.1,
        stray_bits: true,
    };
    /// For the wire formats: flags set half the time, only the permissions JSON spells.
    pub const WIRE: GroupMix = GroupMix {
        all_assets: 0.5,
        all_users: 0.5,
        stray_bits: false,
    };
}

/// A group of any type (flags and type may disagree, as servers never send), any name,
/// an id or none, principals listed (up to three) or not, up to four rules.
pub fn group(mix: GroupMix) -> impl Strategy<Value = AccessGroup> {
    (
        "[ -~]{1,20}",
        proptest::option::of("[a-f0-9-]{1,36}"),
        0usize..3,
        proptest::bool::weighted(mix.all_assets),
        proptest::bool::weighted(mix.all_users),
        prop::option::weighted(
            0.85,
            prop::collection::vec(principal_with(mix.stray_bits), 0..4),
        ),
        prop::collection::vec(rule(Texts::NEAR), 0..5),
    )
        .prop_map(|(name, id, ty, all_assets, all_users, principals, rules)| {
            let group = AccessGroup::new(&name, AccessGroupType::ALL_TYPES[ty])
                .with_all_assets(all_assets)
                .with_all_users(all_users)
                .with_principals(principals)
                .with_rules(rules);
            match id {
                Some(id) => group.with_id(&id),
                None => group,
            }
        })
}

/// One asset value: an attribute and a text for it, near the terms.
pub fn attribute_value(texts: Texts) -> impl Strategy<Value = (RuleType, String)> {
    rule_type(texts).prop_flat_map(move |ty| (Just(ty), value_text(texts, ty)))
}

/// An asset with up to five values of any types, near the terms.
pub fn asset(texts: Texts) -> impl Strategy<Value = Asset> {
    prop::collection::vec(attribute_value(texts), 0..6).prop_map(|values| {
        let mut asset = Asset::new();
        for (ty, v) in values {
            let _ = asset.insert(ty, &v); // a name of only `.` is rejected: skip it
        }
        asset
    })
}

/// A scan target: an IPv4 or IPv6 address near the terms, or a name over the names'
/// alphabet (sometimes with a trailing dot).
pub fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        v4().prop_map(|a| Ipv4Addr::from(a).to_string()),
        v6().prop_map(|a| Ipv6Addr::from(a).to_string()),
        prop::collection::vec("[abAB]{1,4}", 1..4).prop_map(|l| l.join(".")),
        "[ab]{1,3}\\.[ab]{1,3}\\.",
    ]
    .prop_map(|t| t.parse().unwrap())
}

/// A subject for layer 3: a user id and group ids from [`IDS`], and the permission asked
/// (sometimes none, sometimes with a stray bit).
pub fn subject() -> impl Strategy<Value = (String, Vec<String>, AccessPermissions)> {
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

/// A MANAGE_ASSETS group with one `fqdn match` rule of one or two patterns.
pub fn match_group() -> impl Strategy<Value = AccessGroup> {
    prop::collection::vec(pattern_text(Texts::NEAR), 1..3).prop_filter_map(
        "a term of only `.`",
        |terms| {
            let rule = Rule::parse("fqdn", "match", &terms).ok()?;
            Some(AccessGroup::new("m", AccessGroupType::ManageAssets).with_rule(rule))
        },
    )
}

/// An IPv4 term from a structured family around `10.0.0.0/8`: prefixes of every length
/// nested around a few centres, ranges crossing `/24` and `/16` boundaries, single
/// addresses; so that hundreds of groups overlap at every address.
pub fn overlapping_v4_term() -> BoxedStrategy<String> {
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

/// A MANAGE_ASSETS group of overlapping IPv4 and IPv6 terms and `fqdn match` patterns
/// (rarely all assets or all users).
pub fn overlapping_group() -> impl Strategy<Value = AccessGroup> {
    (
        0u8..40,
        prop::collection::vec(overlapping_v4_term(), 0..4),
        prop::collection::vec(overlapping_v6_term(), 0..2),
        prop::collection::vec(pattern_text(Texts::NEAR), 0..2),
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

/// An asset at the edges of overlapping terms: the first address of IPv4 terms, IPv6
/// addresses near `2001:db8::`, names over the names' alphabet.
pub fn overlapping_asset() -> impl Strategy<Value = Asset> {
    (
        prop::collection::vec(overlapping_v4_term(), 0..3),
        prop::collection::vec(0u128..700, 0..2),
        prop::collection::vec("[ab.]{1,16}", 0..2),
    )
        .prop_map(|(v4, v6, names)| {
            let mut asset = Asset::new();
            for t in v4 {
                // The first address of each term.
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
