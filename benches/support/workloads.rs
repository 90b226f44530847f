//! The layer-3 workloads of issue 10 ("a layer-3 index that stays fast when access groups
//! overlap"), shared by `benches/layer3.rs` and `examples/layer3_scale.rs`. Written against
//! the public API only (`AccessGroup`, `Rule`, `Principal`, `Asset`, `ReferenceMatcher`,
//! `User`, `Policy`), so that they keep compiling whatever the index looks like inside.
//!
//! Every workload is deterministic (SplitMix64, seeded from the kind and the size) and
//! returns the access groups, a directory of 2,000 users in 200 user groups (each user in
//! 0–3 of them), the subject `u0000` (in `ug000` and `ug001`), an *allowed* asset and a
//! *denied* asset for it, and a few typical assets. Groups are `g0`, `g1`, … in policy order.
//!
//! # The subject's groups, the allowed and the denied asset
//!
//! A few groups are the subject's ("special"): `clamp(n / 20, 1, 4)` spread evenly through
//! the order, plus `L = n - 1 - n / 200`, late in the order. The subject holds `CAN_VIEW`
//! on them in turn through its user id, through an `all_users` group, and through
//! `ug000`; on `L` through `ug001`, the last of `L`'s principals. They hold narrow rules
//! only (no /8 or /16, no zone wildcard: see each kind), so that assets can avoid them.
//! Every other group names other users and user groups only (1–5 principals, 80 %
//! `CAN_VIEW`, 10 % `CAN_SCAN`, 10 % both), except for three traps that a correct engine
//! must see through, all on groups containing the denied asset: up to three groups give
//! the subject `CAN_SCAN` only, and up to two more are `SCAN_TARGETS` groups giving its
//! user group `ug000` `CAN_VIEW`. From 1,000 groups, `n / 1,000` further groups containing
//! neither asset are `all_users`.
//!
//! - The **denied** asset is the candidate (typical ones and hot-spot ones, see each kind)
//!   that lies in the most groups while in none of the subject's: no group grants it, yet a
//!   lookup finds every group it lies in.
//! - The **allowed** asset is a typical asset with one value taken from a rule of `L`: the
//!   only group that contains it and grants the subject `CAN_VIEW` is `L`, late in policy
//!   order, while it lies in as many other groups as a typical asset.
//!
//! [`build`] checks both with [`ReferenceMatcher`] and [`AccessGroup::grant`] (the plain
//! loop) before returning, so a benchmark never measures the wrong case.
//!
//! # The kinds
//!
//! - [`Kind::Dense`], the realistic corporate inventory: every address in `10.32.0.0/11`.
//!   Per group, about 0.4 `/16` rules and 0.45 zone wildcards (`*.zoneN.example.com`, 40
//!   zones) whatever the number of rules; the other rules are 45 % `/24` CIDRs, 15 % ranges
//!   inside a `/24` and 40 % FQDN `eq` (`host{h}.zone{z}.example.com`, h < 1,000). Each rule
//!   has 1 term (80 %), 2 (15 %) or 3 (5 %). A typical asset has 2 addresses in the /11 and
//!   2 host names in random zones; at 5,000 groups × 10 rules it lies in about 300 groups
//!   (`cargo run --release --example layer3_scale -- calibrate`). Hot-spot deny candidates
//!   take the two `/16`s and the two zones with the most groups.
//! - [`Kind::Shared8`]: every group but the subject's has the same `10.0.0.0/8` rule (at
//!   rule `i % rules`), the other rules narrower inside it (10 % `/16`, 45 % `/24`, 20 %
//!   ranges, 25 % single addresses). Every address of the /8 lies in every such group.
//! - [`Kind::Nested`]: each group has a chain of nested CIDRs `/8 ⊃ /11 ⊃ /14 ⊃ /16 ⊃ /18 ⊃
//!   /20 ⊃ /22 ⊃ /24 ⊃ /26 ⊃ /28` around `10.37.142.77` (at each level the child holding that
//!   address half the time, else one up to three blocks away, so the boundaries differ by
//!   group); with more than 10 rules, further chains from `/11` down. Rules are shuffled.
//! - [`Kind::Ranges`]: each rule one IPv4 range with random endpoints in `10.20.0.0/16`;
//!   at 5,000 groups × 10 rules an address near the middle is covered by ~25,000 terms of
//!   almost every group.
//! - [`Kind::ShortPieces`]: each rule one FQDN `match` pattern `*a*b*c*{i}*` (three random
//!   letters and the group's number); assets have ~130-character names of letters and
//!   digit runs (each run a group number), so no 4-byte piece helps. Hot-spot deny
//!   candidates choose the runs that add the most group numbers.
//! - [`Kind::LongNames`]: the dense groups, with 253-character FQDNs (labels ≤ 63): the
//!   allowed asset's names end in zones (`.zoneN.example.com`), the denied asset's in
//!   `.zoneN.example.net` (in no zone) with hot-spot addresses.
#![allow(dead_code)] // each user takes the parts it needs

use std::net::Ipv4Addr;

use scangate::{
    AccessGroup, Asset, Policy, PolicyError, RoleId, User,
    access::{
        AccessGroupType, AccessGroups, AccessPermissions, Membership, Principal, ReferenceMatcher,
        Rule,
    },
};

/// A deterministic generator (SplitMix64, as `index_data.rs`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    fn letter(&mut self) -> char {
        char::from(b'a' + self.below(26) as u8)
    }
}

/// Users in the directory of every workload.
pub const USERS: usize = 2_000;
/// User groups in the directory.
pub const USER_GROUPS: usize = 200;
/// The subject of every workload: a directory user.
pub const SUBJECT: &str = "u0000";
/// The subject's user groups.
pub const SUBJECT_GROUPS: [&str; 2] = ["ug000", "ug001"];

fn user_id(k: usize) -> String {
    format!("u{k:04}")
}

fn user_group_id(k: usize) -> String {
    format!("ug{k:03}")
}

/// A directory of `users` users (`u0000`, `u0001`, …), Security Analysts, each in 0–3 of
/// the 200 user groups `ug000`–`ug199` at random; `u0000` is in `ug000` and `ug001`.
pub fn directory(users: usize, seed: u64) -> Vec<User> {
    let mut rng = Rng::new(seed ^ 0xD1EC_7042);
    (0..users)
        .map(|k| {
            let groups: Vec<String> = if k == 0 {
                SUBJECT_GROUPS.iter().map(|g| (*g).to_owned()).collect()
            } else {
                let mut groups: Vec<String> = (0..rng.below(4))
                    .map(|_| user_group_id(rng.index(USER_GROUPS)))
                    .collect();
                groups.sort();
                groups.dedup();
                groups
            };
            User::new(user_id(k), RoleId::SECURITY_ANALYST).with_groups(groups)
        })
        .collect()
}

/// The workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dense,
    Shared8,
    Nested,
    Ranges,
    ShortPieces,
    LongNames,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Dense,
        Kind::Shared8,
        Kind::Nested,
        Kind::Ranges,
        Kind::ShortPieces,
        Kind::LongNames,
    ];

    /// The name used in benchmark ids (`layer3/{name}/…`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Dense => "dense",
            Kind::Shared8 => "shared8",
            Kind::Nested => "nested",
            Kind::Ranges => "ranges",
            Kind::ShortPieces => "short_pieces",
            Kind::LongNames => "long_names",
        }
    }

    /// The kind of this name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The seed of the groups (`LongNames` has the dense groups).
    fn layout_seed(self) -> u64 {
        match self {
            Kind::Dense | Kind::LongNames => 1,
            Kind::Shared8 => 2,
            Kind::Nested => 3,
            Kind::Ranges => 4,
            Kind::ShortPieces => 5,
        }
    }
}

/// What a generator checked about its workload.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Rule terms in all groups.
    pub terms: usize,
    /// Groups containing the allowed asset (whoever they grant).
    pub allowed_in: usize,
    /// Groups containing the denied asset.
    pub denied_in: usize,
    /// The position of the only group that contains the allowed asset and grants the
    /// subject `CAN_VIEW`.
    pub granting_position: usize,
    /// Asset-holding groups granting the subject `CAN_VIEW`.
    pub subject_view_groups: usize,
    /// Groups with `all_users`.
    pub all_users_groups: usize,
    /// `SCAN_TARGETS` groups.
    pub scan_targets_groups: usize,
}

/// A workload: groups, directory, subject, and the assets to decide.
#[derive(Clone, Debug)]
pub struct Workload {
    pub kind: Kind,
    pub rules_per_group: usize,
    pub groups: AccessGroups,
    pub users: Vec<User>,
    /// The subject's user id (a directory user).
    pub subject: &'static str,
    /// The subject's user groups (as in the directory).
    pub subject_groups: Vec<String>,
    /// An asset the subject may view: only group `facts.granting_position` grants it.
    pub allowed: Asset,
    /// An asset the subject may not view, in `facts.denied_in` groups.
    pub denied: Asset,
    /// The subject's groups (see the module docs), the last one is `L`.
    pub specials: Vec<usize>,
    pub facts: Facts,
}

impl Workload {
    /// The policy of these groups and this directory.
    pub fn policy(&self) -> Result<Policy, PolicyError> {
        Policy::builder()
            .access_groups(self.groups.clone())
            .users(self.users.clone())
            .build()
    }

    /// `count` typical assets of this workload (what the calibration measures).
    pub fn typical_assets(&self, count: usize, seed: u64) -> Result<Vec<Asset>, String> {
        let mut rng = Rng::new(seed ^ 0x7E57_A55E);
        let digits = special_numbers(&self.specials);
        (0..count)
            .map(|_| typical(self.kind, self.groups.len(), &digits, &mut rng))
            .collect()
    }

    /// How many groups contain each of `assets` ([`ReferenceMatcher`]).
    pub fn containing_counts(&self, assets: &[Asset]) -> Vec<usize> {
        assets
            .iter()
            .map(|a| self.groups.iter().filter(|g| contains(g, a)).count())
            .collect()
    }
}

/// The plain loop anyone would write: in policy order, skip `SCAN_TARGETS` groups, ask
/// [`AccessGroup::grant`] for `CAN_VIEW`, then [`ReferenceMatcher::contains_asset`].
pub fn plain_is_allowed(
    groups: &AccessGroups,
    user: &str,
    user_groups: &[String],
    asset: &Asset,
) -> bool {
    plain_check(groups, user, user_groups, asset).is_some()
}

/// [`plain_is_allowed`] with the deciding group's position and membership (what
/// `Policy::check` explains).
pub fn plain_check(
    groups: &AccessGroups,
    user: &str,
    user_groups: &[String],
    asset: &Asset,
) -> Option<(usize, Membership)> {
    groups.iter().enumerate().find_map(|(position, group)| {
        if group.group_type() == AccessGroupType::ScanTargets
            || group
                .grant(user, user_groups, AccessPermissions::CAN_VIEW)
                .is_none()
        {
            return None;
        }
        ReferenceMatcher
            .contains_asset(group, asset)
            .map(|membership| (position, membership))
    })
}

/// Every position whose group holds assets, grants `user` `CAN_VIEW` and contains `asset`.
fn granting_containing(
    groups: &AccessGroups,
    user: &str,
    user_groups: &[String],
    asset: &Asset,
) -> Vec<usize> {
    groups
        .iter()
        .enumerate()
        .filter(|(_, group)| {
            group.group_type() != AccessGroupType::ScanTargets
                && group
                    .grant(user, user_groups, AccessPermissions::CAN_VIEW)
                    .is_some()
                && contains(group, asset)
        })
        .map(|(position, _)| position)
        .collect()
}

fn contains(group: &AccessGroup, asset: &Asset) -> bool {
    ReferenceMatcher.contains_asset(group, asset).is_some()
}

/// The subject's groups: `clamp(n / 20, 1, 4)` spread evenly, then `n - 1 - n / 200`.
pub fn special_positions(n: usize) -> Vec<usize> {
    let dedicated = (n / 20).clamp(1, 4);
    let last = n.saturating_sub(1 + n / 200);
    let mut out: Vec<usize> = (1..=dedicated)
        .map(|j| j * n / (dedicated + 1))
        .filter(|p| *p < last)
        .collect();
    out.dedup();
    out.push(last);
    out
}

fn special_numbers(specials: &[usize]) -> Vec<String> {
    specials.iter().map(ToString::to_string).collect()
}

/// The workload `kind` at `n` groups of `rules` rules, checked (see the module docs).
///
/// # Errors
///
/// A message when the sizes are too small (fewer than 2 groups, no rule) or when the
/// generator could not find assets with the required properties (a bug to fix here).
pub fn build(kind: Kind, n: usize, rules: usize) -> Result<Workload, String> {
    if n < 2 || rules == 0 {
        return Err(format!("{}: needs 2 groups and 1 rule", kind.name()));
    }
    let seed = (kind.layout_seed() << 56) ^ ((n as u64) << 24) ^ rules as u64;
    let specials = special_positions(n);
    let mut rng = Rng::new(seed);
    let draft = match kind {
        Kind::Dense | Kind::LongNames => {
            dense(n, rules, &specials, kind == Kind::LongNames, &mut rng)?
        }
        Kind::Shared8 => shared8(n, rules, &specials, &mut rng)?,
        Kind::Nested => nested(n, rules, &specials, &mut rng)?,
        Kind::Ranges => ranges(n, rules, &specials, &mut rng)?,
        Kind::ShortPieces => short_pieces(n, rules, &specials, &mut rng)?,
    };
    finish(kind, rules, draft, specials, seed)
}

/// Rule-only groups and the two assets, before principals are given.
struct Draft {
    groups: Vec<AccessGroup>,
    allowed: Asset,
    denied: Asset,
}

fn ip(a: u32) -> String {
    Ipv4Addr::from(a).to_string()
}

fn rule(ty: &str, op: &str, terms: &[String]) -> Result<Rule, String> {
    Rule::parse(ty, op, terms).map_err(|e| format!("{ty} {op} {terms:?}: {e}"))
}

fn group(i: usize, rules: Vec<Rule>) -> AccessGroup {
    AccessGroup::new(&format!("group {i}"), AccessGroupType::ManageAssets)
        .with_id(&format!("g{i}"))
        .with_rules(rules)
}

fn make_asset(ipv4: &[u32], fqdn: &[String]) -> Result<Asset, String> {
    let mut asset = Asset::new();
    for a in ipv4 {
        asset = asset.with("ipv4", &ip(*a)).map_err(|e| e.to_string())?;
    }
    for name in fqdn {
        asset = asset.with("fqdn", name).map_err(|e| e.to_string())?;
    }
    Ok(asset)
}

/// 1 term (80 %), 2 (15 %) or 3 (5 %).
fn term_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..80 => 1,
        80..95 => 2,
        _ => 3,
    }
}

/// The first asset `make` gives that lies in special group `last` and in no other special
/// group.
fn pick_allowed(
    groups: &[AccessGroup],
    specials: &[usize],
    mut make: impl FnMut() -> Result<Asset, String>,
) -> Result<Asset, String> {
    let last = specials.last().copied().unwrap_or_default();
    for _ in 0..1_000 {
        let asset = make()?;
        let hits: Vec<usize> = specials
            .iter()
            .copied()
            .filter(|p| groups.get(*p).is_some_and(|g| contains(g, &asset)))
            .collect();
        if hits == [last] {
            return Ok(asset);
        }
    }
    Err("no allowed asset found".to_owned())
}

/// Of `candidates`, the asset in no special group that lies in the most groups (the first
/// on ties).
fn pick_denied(
    groups: &[AccessGroup],
    specials: &[usize],
    candidates: Vec<Asset>,
) -> Result<Asset, String> {
    let mut best: Option<(usize, Asset)> = None;
    for asset in candidates {
        if specials
            .iter()
            .any(|p| groups.get(*p).is_some_and(|g| contains(g, &asset)))
        {
            continue;
        }
        let count = groups.iter().filter(|g| contains(g, &asset)).count();
        if best.as_ref().is_none_or(|(b, _)| count > *b) {
            best = Some((count, asset));
        }
    }
    best.map(|(_, asset)| asset)
        .ok_or_else(|| "no denied asset found".to_owned())
}

/// How many deny candidates of each sort to try: fewer when the groups are large (each
/// costs one reference pass over every term).
fn candidate_count(n: usize, rules: usize) -> usize {
    (2_000_000 / (n * rules).max(1)).clamp(2, 16)
}

// ---------------------------------------------------------------------------------------
// Dense (and long names)

const SLASH11: u32 = 0x0A20_0000; // 10.32.0.0/11
const ZONES: u64 = 40;
const HOSTS: u64 = 1_000;
/// Expected `/16` rules per group, in thousandths, whatever the number of rules.
const SLASH16_PER_GROUP: u64 = 400;
/// Expected zone wildcard rules per group, in thousandths.
const WILDCARDS_PER_GROUP: u64 = 450;

fn host(h: u64, z: u64) -> String {
    format!("host{h}.zone{z}.example.com")
}

fn random_host(rng: &mut Rng) -> String {
    let h = rng.below(HOSTS);
    host(h, rng.below(ZONES))
}

fn in_slash11(rng: &mut Rng) -> u32 {
    SLASH11 + rng.below(1 << 21) as u32
}

/// A random `/24` of the /11, as its first address.
fn slash24(rng: &mut Rng) -> u32 {
    SLASH11 + ((rng.below(1 << 13) as u32) << 8)
}

/// A range inside a random `/24` of the /11.
fn range24(rng: &mut Rng, base: u32) -> String {
    let a = rng.below(256) as u32;
    let b = a + rng.below(u64::from(256 - a)) as u32;
    format!("{}-{}", ip(base + a), ip(base + b))
}

/// A 253-character name (labels ≤ 63 characters of letters and digits) ending in `suffix`.
fn long_name(rng: &mut Rng, suffix: &str) -> String {
    let mut out = String::with_capacity(253);
    let mut remaining = 253usize.saturating_sub(suffix.len());
    fn label(out: &mut String, len: usize, rng: &mut Rng) {
        for k in 0..len {
            let c = if k == 0 || rng.below(3) > 0 {
                rng.letter()
            } else {
                char::from(b'0' + rng.below(10) as u8)
            };
            out.push(c);
        }
    }
    while remaining > 63 {
        let len = 63.min(remaining - 2);
        label(&mut out, len, rng);
        out.push('.');
        remaining -= len + 1;
    }
    label(&mut out, remaining, rng);
    out.push_str(suffix);
    out
}

fn zone_suffix(z: u64) -> String {
    format!(".zone{z}.example.com")
}

/// In no zone: `.zoneN.example.net` (no `match` wildcard of the dense groups matches).
fn no_zone_suffix(z: u64) -> String {
    format!(".zone{z}.example.net")
}

/// Narrow dense rule: 45 % `/24`, 15 % range in a `/24`, 40 % FQDN `eq`.
fn dense_narrow(rng: &mut Rng, terms: usize) -> Result<Rule, String> {
    match rng.below(100) {
        0..45 => dense_slash24(rng, terms).map(|(r, _)| r),
        45..60 => {
            let t: Vec<String> = (0..terms)
                .map(|_| {
                    let base = slash24(rng);
                    range24(rng, base)
                })
                .collect();
            rule("ipv4", "eq", &t)
        }
        _ => {
            let t: Vec<String> = (0..terms).map(|_| random_host(rng)).collect();
            rule("fqdn", "eq", &t)
        }
    }
}

/// A rule of `/24`s and the first address of its first one.
fn dense_slash24(rng: &mut Rng, terms: usize) -> Result<(Rule, u32), String> {
    let bases: Vec<u32> = (0..terms).map(|_| slash24(rng)).collect();
    let t: Vec<String> = bases.iter().map(|b| format!("{}/24", ip(*b))).collect();
    Ok((
        rule("ipv4", "eq", &t)?,
        bases.first().copied().unwrap_or(SLASH11),
    ))
}

fn dense(
    n: usize,
    rules: usize,
    specials: &[usize],
    long: bool,
    rng: &mut Rng,
) -> Result<Draft, String> {
    let last = specials.last().copied().unwrap_or_default();
    let mut by16 = [0usize; 32];
    let mut by_zone = [0usize; ZONES as usize];
    let mut witness = SLASH11;
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let special = specials.contains(&i);
        let mut seen16 = [false; 32];
        let mut seen_zone = [false; ZONES as usize];
        let mut out = Vec::with_capacity(rules);
        for r in 0..rules {
            let terms = term_count(rng);
            let roll = rng.below(1_000 * rules as u64);
            if special && r == 0 {
                // The subject's groups: narrow rules only, the first a /24 (the witness of
                // the allowed asset for `L`).
                let (rule, base) = dense_slash24(rng, terms)?;
                if i == last {
                    witness = base + rng.below(256) as u32;
                }
                out.push(rule);
            } else if special || roll >= SLASH16_PER_GROUP + WILDCARDS_PER_GROUP {
                out.push(dense_narrow(rng, terms)?);
            } else if roll < SLASH16_PER_GROUP {
                let t: Vec<String> = (0..terms)
                    .map(|_| {
                        let k = rng.below(32) as usize;
                        if let Some(s) = seen16.get_mut(k) {
                            *s = true;
                        }
                        format!("{}/16", ip(SLASH11 + ((k as u32) << 16)))
                    })
                    .collect();
                out.push(rule("ipv4", "eq", &t)?);
            } else {
                let t: Vec<String> = (0..terms)
                    .map(|_| {
                        let z = rng.below(ZONES);
                        if let Some(s) = seen_zone.get_mut(z as usize) {
                            *s = true;
                        }
                        format!("*.zone{z}.example.com")
                    })
                    .collect();
                out.push(rule("fqdn", "match", &t)?);
            }
        }
        for (count, seen) in by16.iter_mut().zip(seen16) {
            *count += usize::from(seen);
        }
        for (count, seen) in by_zone.iter_mut().zip(seen_zone) {
            *count += usize::from(seen);
        }
        groups.push(group(i, out));
    }
    let top = |counts: &[usize]| -> [u64; 2] {
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by_key(|k| std::cmp::Reverse(counts.get(*k).copied().unwrap_or(0)));
        [
            order.first().copied().unwrap_or(0) as u64,
            order.get(1).copied().unwrap_or(1) as u64,
        ]
    };
    let hot16 = top(&by16);
    let hot_zones = top(&by_zone);

    let names = |rng: &mut Rng, zones: [u64; 2], in_zone: bool| -> Vec<String> {
        zones
            .iter()
            .map(|z| match (long, in_zone) {
                (false, _) => host(rng.below(HOSTS), *z),
                (true, true) => long_name(rng, &zone_suffix(*z)),
                (true, false) => long_name(rng, &no_zone_suffix(*z)),
            })
            .collect()
    };
    let allowed = pick_allowed(&groups, specials, || {
        let zones = [rng.below(ZONES), rng.below(ZONES)];
        let other = in_slash11(rng);
        make_asset(&[witness, other], &names(rng, zones, true))
    })?;
    let per_sort = candidate_count(n, rules);
    let mut candidates = Vec::with_capacity(2 * per_sort);
    for _ in 0..per_sort {
        let a = SLASH11 + ((hot16[0] as u32) << 16) + rng.below(1 << 16) as u32;
        let b = SLASH11 + ((hot16[1] as u32) << 16) + rng.below(1 << 16) as u32;
        candidates.push(make_asset(&[a, b], &names(rng, hot_zones, false))?);
    }
    for _ in 0..per_sort {
        let zones = [rng.below(ZONES), rng.below(ZONES)];
        let (a, b) = (in_slash11(rng), in_slash11(rng));
        candidates.push(make_asset(&[a, b], &names(rng, zones, false))?);
    }
    let denied = pick_denied(&groups, specials, candidates)?;
    Ok(Draft {
        groups,
        allowed,
        denied,
    })
}

// ---------------------------------------------------------------------------------------
// Shared /8

const SLASH8: u32 = 0x0A00_0000; // 10.0.0.0/8

fn in_slash8(rng: &mut Rng) -> u32 {
    SLASH8 + rng.below(1 << 24) as u32
}

/// A narrow rule inside the /8: 10 % `/16`, 45 % `/24`, 20 % ranges in a `/24`, 25 %
/// single addresses.
fn narrow8(rng: &mut Rng, terms: usize) -> Result<Rule, String> {
    let kind = rng.below(100);
    let t: Vec<String> = (0..terms)
        .map(|_| match kind {
            0..10 => format!("{}/16", ip(SLASH8 + ((rng.below(256) as u32) << 16))),
            10..55 => format!("{}/24", ip(SLASH8 + ((rng.below(1 << 16) as u32) << 8))),
            55..75 => {
                let base = SLASH8 + ((rng.below(1 << 16) as u32) << 8);
                range24(rng, base)
            }
            _ => ip(in_slash8(rng)),
        })
        .collect();
    rule("ipv4", "eq", &t)
}

fn shared8(n: usize, rules: usize, specials: &[usize], rng: &mut Rng) -> Result<Draft, String> {
    let last = specials.last().copied().unwrap_or_default();
    let mut witness = SLASH8;
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let special = specials.contains(&i);
        let mut out = Vec::with_capacity(rules);
        for r in 0..rules {
            let terms = term_count(rng);
            if special && r == 0 {
                let base = SLASH8 + ((rng.below(1 << 16) as u32) << 8);
                if i == last {
                    witness = base + rng.below(256) as u32;
                }
                out.push(rule("ipv4", "eq", &[format!("{}/24", ip(base))])?);
            } else if !special && r == i % rules {
                out.push(rule("ipv4", "eq", &["10.0.0.0/8".to_owned()])?);
            } else {
                out.push(narrow8(rng, terms)?);
            }
        }
        groups.push(group(i, out));
    }
    let allowed = pick_allowed(&groups, specials, || {
        let other = in_slash8(rng);
        make_asset(&[witness, other], &[random_host(rng), random_host(rng)])
    })?;
    let candidates = (0..candidate_count(n, rules))
        .map(|_| {
            let (a, b) = (in_slash8(rng), in_slash8(rng));
            make_asset(&[a, b], &[random_host(rng), random_host(rng)])
        })
        .collect::<Result<Vec<_>, _>>()?;
    let denied = pick_denied(&groups, specials, candidates)?;
    Ok(Draft {
        groups,
        allowed,
        denied,
    })
}

// ---------------------------------------------------------------------------------------
// Nested prefixes

/// The shared area: `10.37.142.77`.
const CENTRE: u32 = 0x0A25_8E4D;
const LEVELS: [u32; 10] = [8, 11, 14, 16, 18, 20, 22, 24, 26, 28];

fn block_size(len: u32) -> u32 {
    1u32 << (32 - len)
}

/// A chain of nested CIDRs from level `from` (whose block starts at `block`), each child
/// one of its parent's blocks: the one holding `toward` half the time (when it is inside),
/// else one up to three blocks away, clamped inside the parent. Returns the CIDRs and the
/// innermost block.
fn chain(rng: &mut Rng, from: usize, mut block: u32, toward: Option<u32>) -> (Vec<String>, u32) {
    let mut out = Vec::new();
    let levels = LEVELS.get(from..).unwrap_or(&[]);
    for (k, len) in levels.iter().enumerate() {
        out.push(format!("{}/{len}", ip(block)));
        let Some(child_len) = levels.get(k + 1) else {
            break;
        };
        let (parent, child) = (block_size(*len), block_size(*child_len));
        let children = parent / child;
        let holding = toward
            .filter(|t| t.wrapping_sub(block) < parent)
            .map(|t| (t - block) / child);
        let index = match holding {
            Some(h) if rng.below(2) == 0 => h,
            Some(h) => {
                let step = 1 + rng.below(3) as u32;
                if rng.below(2) == 0 {
                    h.saturating_sub(step)
                } else {
                    (h + step).min(children - 1)
                }
            }
            None => rng.below(u64::from(children)) as u32,
        };
        block += index * child;
    }
    (out, block)
}

fn nested(n: usize, rules: usize, specials: &[usize], rng: &mut Rng) -> Result<Draft, String> {
    let last = specials.last().copied().unwrap_or_default();
    let mut witness = SLASH8;
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let special = specials.iter().position(|p| *p == i);
        let mut cidrs: Vec<String> = Vec::with_capacity(rules + LEVELS.len());
        let mut first = true;
        while cidrs.len() < rules {
            let (more, inner) = if let Some(j) = special {
                // The subject's groups: chains from /16, each group in its own /16 from
                // 10.200.0.0, away from the shared area.
                chain(rng, 3, 0x0AC8_0000 + ((j as u32) << 16), None)
            } else if first {
                chain(rng, 0, SLASH8, Some(CENTRE))
            } else {
                // Further chains from /11: the one holding the centre half the time.
                let eleven = if rng.below(2) == 0 {
                    CENTRE & !(block_size(11) - 1)
                } else {
                    SLASH8 + ((rng.below(8) as u32) << 21)
                };
                chain(rng, 1, eleven, Some(CENTRE))
            };
            if first && i == last {
                witness = inner + rng.below(u64::from(block_size(28))) as u32;
            }
            first = false;
            cidrs.extend(more);
        }
        cidrs.truncate(rules);
        // Shuffle the order of the rules (Fisher–Yates).
        for k in (1..cidrs.len()).rev() {
            let j = rng.index(k + 1);
            cidrs.swap(k, j);
        }
        let out = cidrs
            .iter()
            .map(|c| rule("ipv4", "eq", std::slice::from_ref(c)))
            .collect::<Result<Vec<_>, _>>()?;
        groups.push(group(i, out));
    }
    let near = |rng: &mut Rng| (CENTRE & !(block_size(12) - 1)) + rng.below(1 << 20) as u32;
    let allowed = pick_allowed(&groups, specials, || {
        let other = near(rng);
        make_asset(&[witness, other], &[random_host(rng), random_host(rng)])
    })?;
    let mut candidates = vec![make_asset(
        &[CENTRE, CENTRE ^ 1],
        &[random_host(rng), random_host(rng)],
    )?];
    for _ in 0..candidate_count(n, rules) {
        let (a, b) = (near(rng), near(rng));
        candidates.push(make_asset(&[a, b], &[random_host(rng), random_host(rng)])?);
    }
    let denied = pick_denied(&groups, specials, candidates)?;
    Ok(Draft {
        groups,
        allowed,
        denied,
    })
}

// ---------------------------------------------------------------------------------------
// Overlapping ranges

const RANGES16: u32 = 0x0A14_0000; // 10.20.0.0/16
const SPECIAL16: u32 = 0x0A15_0000; // 10.21.0.0/16

fn ranges(n: usize, rules: usize, specials: &[usize], rng: &mut Rng) -> Result<Draft, String> {
    let last = specials.last().copied().unwrap_or_default();
    let mut witness = SPECIAL16;
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let special = specials.contains(&i);
        let mut out = Vec::with_capacity(rules);
        for r in 0..rules {
            let (a, b) = if special {
                // The subject's groups: short ranges in 10.21.0.0/16.
                let a = SPECIAL16 + rng.below(65_536 - 256) as u32;
                if i == last && r == 0 {
                    witness = a;
                }
                (a, a + rng.below(256) as u32)
            } else {
                let (x, y) = (rng.below(65_536) as u32, rng.below(65_536) as u32);
                (RANGES16 + x.min(y), RANGES16 + x.max(y))
            };
            out.push(rule("ipv4", "eq", &[format!("{}-{}", ip(a), ip(b))])?);
        }
        groups.push(group(i, out));
    }
    let allowed = pick_allowed(&groups, specials, || {
        let other = RANGES16 + rng.below(65_536) as u32;
        make_asset(&[witness, other], &[random_host(rng), random_host(rng)])
    })?;
    let mut candidates = Vec::new();
    for _ in 0..candidate_count(n, rules) {
        // Near the middle, where random ranges overlap most.
        let a = RANGES16 + 0x8000 - 2_048 + rng.below(4_096) as u32;
        let b = RANGES16 + 0x8000 - 2_048 + rng.below(4_096) as u32;
        candidates.push(make_asset(&[a, b], &[random_host(rng), random_host(rng)])?);
    }
    let denied = pick_denied(&groups, specials, candidates)?;
    Ok(Draft {
        groups,
        allowed,
        denied,
    })
}

// ---------------------------------------------------------------------------------------
// Short-piece wildcards

/// Characters of the names of the short-piece assets (with `.example.com`).
const PIECE_NAME_CHARS: usize = 130;

/// Whether the digit run `run` contains no special group's number (so a name made of
/// such runs between letters lies in no special group).
fn safe(run: &str, specials: &[String]) -> bool {
    !specials.iter().any(|s| run.contains(s.as_str()))
}

/// Cuts `raw` into labels of at most 50 characters and appends `.example.com`.
fn with_dots(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 50 + 12);
    for (k, c) in raw.chars().enumerate() {
        if k > 0 && k % 50 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(".example.com");
    out
}

/// A typical short-piece name: ~130 characters of 1–3 letters and digit runs, each run a
/// random group number containing no special group's number.
fn piece_name(rng: &mut Rng, n: usize, specials: &[String]) -> String {
    let target = PIECE_NAME_CHARS - 12 - PIECE_NAME_CHARS / 50;
    let mut raw = String::with_capacity(target + 8);
    while raw.len() < target {
        for _ in 0..1 + rng.below(3) {
            raw.push(rng.letter());
        }
        if rng.below(2) == 0 {
            for _ in 0..8 {
                let run = rng.index(n).to_string();
                if safe(&run, specials) {
                    raw.push_str(&run);
                    break;
                }
            }
        }
    }
    with_dots(&raw)
}

/// The group numbers (below `n`) that the digit run `run` contains.
fn numbers_in(run: &str, n: usize) -> Vec<usize> {
    let bytes = run.as_bytes();
    let mut out = Vec::new();
    for i in 0..bytes.len() {
        for j in i + 1..=bytes.len() {
            let Some(s) = run.get(i..j) else { continue };
            if s.len() > 1 && s.starts_with('0') {
                continue;
            }
            if let Ok(k) = s.parse::<usize>() {
                if k < n {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// A hot-spot short-piece name: the alphabet, then two random letters before each digit
/// run, each run the one adding the most group numbers not yet in `covered`.
fn piece_hot(rng: &mut Rng, n: usize, specials: &[String], covered: &mut [bool]) -> String {
    let target = PIECE_NAME_CHARS - 12 - PIECE_NAME_CHARS / 50;
    let mut raw: String = "abcdefghijklmnopqrstuvwxyz".to_owned();
    let start = rng.index(n);
    while raw.len() < target {
        raw.push(rng.letter());
        raw.push(rng.letter());
        let mut best: Option<(usize, String)> = None;
        for k in (0..n).map(|k| (k + start) % n) {
            let run = k.to_string();
            if !safe(&run, specials) {
                continue;
            }
            let new = numbers_in(&run, n)
                .into_iter()
                .filter(|x| !covered.get(*x).copied().unwrap_or(true))
                .count();
            if best.as_ref().is_none_or(|(b, _)| new > *b) {
                best = Some((new, run));
            }
        }
        let Some((_, run)) = best else { break };
        for x in numbers_in(&run, n) {
            if let Some(c) = covered.get_mut(x) {
                *c = true;
            }
        }
        raw.push_str(&run);
    }
    with_dots(&raw)
}

fn short_pieces(
    n: usize,
    rules: usize,
    specials: &[usize],
    rng: &mut Rng,
) -> Result<Draft, String> {
    let last = specials.last().copied().unwrap_or_default();
    let mut letters_of_last = String::new();
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let mut out = Vec::with_capacity(rules);
        for r in 0..rules {
            let (a, b, c) = (rng.letter(), rng.letter(), rng.letter());
            if i == last && r == 0 {
                letters_of_last = format!("{a}{b}{c}");
            }
            out.push(rule("fqdn", "match", &[format!("*{a}*{b}*{c}*{i}*")])?);
        }
        groups.push(group(i, out));
    }
    let numbers = special_numbers(specials);
    let allowed = pick_allowed(&groups, specials, || {
        // One typical name, and one of letters only ending in `L`'s first pattern.
        let mut witness: String = (0..100).map(|_| rng.letter()).collect();
        witness.push_str(&letters_of_last);
        witness.push_str(&last.to_string());
        let typical = piece_name(rng, n, &numbers);
        make_asset(
            &[0xC0A8_0000 + rng.below(1 << 16) as u32],
            &[typical, with_dots(&witness)],
        )
    })?;
    let mut candidates = Vec::new();
    for _ in 0..4 {
        let mut covered = vec![false; n];
        let hot = [
            piece_hot(rng, n, &numbers, &mut covered),
            piece_hot(rng, n, &numbers, &mut covered),
        ];
        candidates.push(make_asset(&[0xC0A8_0001], &hot)?);
    }
    for _ in 0..candidate_count(n, rules) {
        let names = [piece_name(rng, n, &numbers), piece_name(rng, n, &numbers)];
        candidates.push(make_asset(
            &[0xC0A8_0000 + rng.below(1 << 16) as u32],
            &names,
        )?);
    }
    let denied = pick_denied(&groups, specials, candidates)?;
    Ok(Draft {
        groups,
        allowed,
        denied,
    })
}

// ---------------------------------------------------------------------------------------
// Typical assets (for the calibration and the sanity checks of the benches)

fn typical(kind: Kind, n: usize, specials: &[String], rng: &mut Rng) -> Result<Asset, String> {
    match kind {
        Kind::Dense => {
            let (a, b) = (in_slash11(rng), in_slash11(rng));
            make_asset(&[a, b], &[random_host(rng), random_host(rng)])
        }
        Kind::LongNames => {
            let (a, b) = (in_slash11(rng), in_slash11(rng));
            let (y, z) = (rng.below(ZONES), rng.below(ZONES));
            let names = [
                long_name(rng, &zone_suffix(y)),
                long_name(rng, &zone_suffix(z)),
            ];
            make_asset(&[a, b], &names)
        }
        Kind::Shared8 => {
            let (a, b) = (in_slash8(rng), in_slash8(rng));
            make_asset(&[a, b], &[random_host(rng), random_host(rng)])
        }
        Kind::Nested => {
            let base = CENTRE & !(block_size(12) - 1);
            let (a, b) = (
                base + rng.below(1 << 20) as u32,
                base + rng.below(1 << 20) as u32,
            );
            make_asset(&[a, b], &[random_host(rng), random_host(rng)])
        }
        Kind::Ranges => {
            let (a, b) = (
                RANGES16 + rng.below(65_536) as u32,
                RANGES16 + rng.below(65_536) as u32,
            );
            make_asset(&[a, b], &[random_host(rng), random_host(rng)])
        }
        Kind::ShortPieces => {
            let names = [piece_name(rng, n, specials), piece_name(rng, n, specials)];
            make_asset(&[0xC0A8_0000 + rng.below(1 << 16) as u32], &names)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Principals and the checks

/// `k` positions of `from`, evenly spread (all of them when there are fewer).
fn spread(from: &[usize], k: usize) -> Vec<usize> {
    if from.len() <= k {
        return from.to_vec();
    }
    (0..k)
        .filter_map(|j| from.get(j * from.len() / k + from.len() / (2 * k)))
        .copied()
        .collect()
}

/// 1–5 principals naming other users and user groups than the subject's.
fn random_principals(rng: &mut Rng, count: usize) -> Vec<Principal> {
    (0..count)
        .map(|_| {
            let permissions = match rng.below(10) {
                0 => AccessPermissions::CAN_SCAN,
                1 => AccessPermissions::all(),
                _ => AccessPermissions::CAN_VIEW,
            };
            if rng.below(100) < 55 {
                Principal::user(&user_id(1 + rng.index(USERS - 1)), permissions)
            } else {
                Principal::group(&user_group_id(2 + rng.index(USER_GROUPS - 2)), permissions)
            }
        })
        .collect()
}

fn finish(
    kind: Kind,
    rules: usize,
    draft: Draft,
    specials: Vec<usize>,
    seed: u64,
) -> Result<Workload, String> {
    let Draft {
        groups,
        allowed,
        denied,
    } = draft;
    let n = groups.len();
    let last = specials.last().copied().unwrap_or_default();
    let mut rng = Rng::new(seed ^ 0x9121_C1BA);
    let in_allowed: Vec<bool> = groups.iter().map(|g| contains(g, &allowed)).collect();
    let in_denied: Vec<bool> = groups.iter().map(|g| contains(g, &denied)).collect();
    let denied_positions: Vec<usize> = (0..n)
        .filter(|p| in_denied.get(*p).copied().unwrap_or(false) && !specials.contains(p))
        .collect();
    let scan_only = spread(&denied_positions, 3);
    let rest: Vec<usize> = denied_positions
        .iter()
        .copied()
        .filter(|p| !scan_only.contains(p))
        .collect();
    let scan_targets = spread(&rest, 2);
    let outside: Vec<usize> = (0..n)
        .filter(|p| {
            !specials.contains(p)
                && !in_allowed.get(*p).copied().unwrap_or(true)
                && !in_denied.get(*p).copied().unwrap_or(true)
        })
        .collect();
    let all_users = spread(&outside, n / 1_000);

    let mut terms = 0;
    let mut out = Vec::with_capacity(n);
    for (i, mut g) in groups.into_iter().enumerate() {
        terms += g.rules().iter().map(|r| r.terms().len()).sum::<usize>();
        let count = 1 + rng.index(5);
        let mut principals = random_principals(&mut rng, count);
        if let Some(j) = specials.iter().position(|p| *p == i) {
            principals.truncate(rng.index(3));
            if i == last {
                principals.push(Principal::group(
                    SUBJECT_GROUPS[1],
                    AccessPermissions::CAN_VIEW,
                ));
            } else {
                match j % 3 {
                    0 => principals.push(Principal::user(SUBJECT, AccessPermissions::CAN_VIEW)),
                    1 => g = g.with_all_users(true),
                    _ => principals.push(Principal::group(
                        SUBJECT_GROUPS[0],
                        AccessPermissions::all(),
                    )),
                }
            }
        } else if scan_only.contains(&i) {
            let at = rng.index(principals.len() + 1);
            principals.insert(at, Principal::user(SUBJECT, AccessPermissions::CAN_SCAN));
        } else if scan_targets.contains(&i) {
            g = g.with_type(AccessGroupType::ScanTargets);
            principals.push(Principal::group(
                SUBJECT_GROUPS[0],
                AccessPermissions::CAN_VIEW,
            ));
        } else if all_users.contains(&i) {
            g = g.with_all_users(true);
        }
        out.push(g.with_principals(Some(principals)));
    }
    let groups = AccessGroups::from_server(out);
    let users = directory(USERS, seed);
    let subject_groups: Vec<String> = SUBJECT_GROUPS.iter().map(|g| (*g).to_owned()).collect();

    // The checks: the only group allowing is `last`; none allows the denied asset.
    let allowing = granting_containing(&groups, SUBJECT, &subject_groups, &allowed);
    if allowing != [last] {
        return Err(format!(
            "{}: groups allowing the allowed asset: {allowing:?}, expected [{last}]",
            kind.name()
        ));
    }
    let denying = granting_containing(&groups, SUBJECT, &subject_groups, &denied);
    if !denying.is_empty() {
        return Err(format!(
            "{}: groups allowing the denied asset: {denying:?}",
            kind.name()
        ));
    }
    let view_groups = groups
        .iter()
        .filter(|g| {
            g.group_type() != AccessGroupType::ScanTargets
                && g.grant(SUBJECT, &subject_groups, AccessPermissions::CAN_VIEW)
                    .is_some()
        })
        .count();
    let facts = Facts {
        terms,
        allowed_in: in_allowed.iter().filter(|x| **x).count(),
        denied_in: in_denied.iter().filter(|x| **x).count(),
        granting_position: last,
        subject_view_groups: view_groups,
        all_users_groups: groups.iter().filter(|g| g.all_users()).count(),
        scan_targets_groups: groups
            .iter()
            .filter(|g| g.group_type() == AccessGroupType::ScanTargets)
            .count(),
    };
    Ok(Workload {
        kind,
        rules_per_group: rules,
        groups,
        users,
        subject: SUBJECT,
        subject_groups,
        allowed,
        denied,
        specials,
        facts,
    })
}
