//! The dynamic-tag workloads of issue 13 ("a dynamic-tag asset check at 5,000 tags of 10
//! conditions stays within 2× an access-group check of the same size"), used by
//! `benches/tags.rs`. Written against the public API only (`scangate::tags`, `AccessGroup`,
//! `Rule`, `Principal`, `ReferenceMatcher`, `User`, `Policy`), so that they keep compiling
//! whatever the tag index looks like inside.
//!
//! Each workload is deterministic (SplitMix64 seeded from the layout and the size) and
//! holds, for `n` positions: `n` dynamic tags of 10 conditions each (tag `i` at position
//! `i`), and beside them `n` access groups (`g{i}`) built from the same values: each
//! condition becomes one rule with the same terms (`neq`/`nmatch` become `eq`/`match`, a
//! `tag.<Category> set-has V` becomes `tag_uuid set-has` the uuid of the static tag
//! `Category:V`), so that group `i` is the `or` reading of tag `i`'s filter. Position `i`'s
//! subjects are the same on both sides: access-group principals, and on the tag side one
//! permission per distinct action set (`CanView`, `CanScan` or both) on tag `i`; an
//! `all_users` group is a `CanView` permission for `AllUsers` (the group's principals are
//! ignored, so the permission names no one else).
//!
//! # The subject, the allowed and the denied asset
//!
//! As in `benches/support/workloads.rs`: a directory of 2,000 users (uuid ids) in 200 user
//! groups; the subject is user 0, in user groups 0 and 1. The subject's positions
//! ("special": `clamp(n / 20, 1, 4)` spread evenly, plus `L = n - 1 - n / 200`) grant it
//! `CanView` in turn through its user id, `AllUsers` and user group 0; `L` through user
//! group 1. The **allowed** asset carries tag `L` (built from `L`'s values) and no other
//! special tag; the **denied** asset carries no special tag and, of 16 eligible
//! candidates, lies in the most groups (the `or` reading: the keys of the most tags
//! reach it). Traps: up to three positions containing the denied asset give the subject
//! `CanScan` only; from 1,000 positions, `n / 1,000` positions carrying and containing
//! neither asset are `AllUsers`. Where the layout's groups can decide as its tags do
//! ([`Layout::groups_agree`]), the groups must decide the same on both assets (the only
//! group granting the allowed asset is `g{L}`).
//!
//! # The layouts
//!
//! Assets carry `ipv4` (2 addresses), `fqdn` (2 names `host{h}.zone{z}.example.com`, 1,000
//! hosts in 40 zones), `operating_system` (one of 40 names such as `Ubuntu 2012`) and, in
//! the `tag_category` layout, `tag_uuid` (6 static tags).
//!
//! - [`Layout::DenseOr`]: the dense layout of `benches/support/workloads.rs` as an `or` of
//!   10 conditions: about 0.4 `ipv4 eq /16` and 0.45 `fqdn match *.zoneN.example.com` per
//!   filter, plus about 0.3 `operating_system eq`, the rest 45 % `/24`, 15 % ranges in a
//!   `/24`, 40 % `fqdn eq`, each with 1–3 values; every condition is an anchor. The
//!   subject's tags hold narrow conditions only, the first a `/24`.
//! - [`Layout::DenseAnd`]: an `and` of 1 narrow anchor (a `/24`, a range in a `/24` or an
//!   `fqdn eq`) and 9 conditions an asset of the tag's subnet, host and system meets:
//!   two `/24`s, the `/16`, two host names, the zone wildcard, `operating_system eq`, a
//!   range, and three negations (`fqdn nmatch` another zone, `operating_system neq`
//!   another system, `fqdn neq` another host). "Servers of subnet B named in zone Z,
//!   running O, outside the lab zone".
//! - [`Layout::Shared8`] (hostile): an `and` whose anchor is `ipv4 eq 10.0.0.0/8` in every
//!   tag, the subject's included, then 9 narrow positive conditions (the tag's `/24`, host,
//!   system, range, zone, …); the denied asset (two addresses in the /8) fails all 9 of
//!   every subject's tag, so every granted tag is a candidate its verification rejects.
//!   Groups: the subject's groups leave the `/8` rule out (else they would grant the
//!   denied asset): the groups are `shared8` of `benches/layer3.rs`.
//! - [`Layout::Negation`] (hostile): an `and` of 10 negated conditions, which no index key
//!   can anchor: `fqdn nmatch` 4 of the first 8 zones, `operating_system neq` 3 of the
//!   first 8 systems, `fqdn neq` 2 hosts, `operating_system nmatch Windows XP`. The assets
//!   are in the first 8 zones and systems. The groups (the positive rules) contain the
//!   complement of what the tags select, so they do not decide the same; the bench records
//!   their decisions.
//! - [`Layout::TagCategory`] (hostile): an `or` of 10 `tag.<Category> set-has` conditions
//!   (category `k` for condition `k`, 100 values per category, 1–3 values each) over
//!   1,000 static tags that the assets name in `tag_uuid`; the groups use `tag_uuid
//!   set-has` on the same static tags, so they decide the same.
#![allow(dead_code)] // each user takes the parts it needs

use std::net::Ipv4Addr;

use scangate::{
    AccessGroup, Asset, Policy, PolicyError, RoleId, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, ReferenceMatcher, Rule},
    tags::{
        AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionObject,
        PermissionSubject, TagFilter, TagValue,
    },
};

use crate::workloads::{Rng, special_positions};

/// Conditions per tag (rules per group).
pub const CONDITIONS: usize = 10;
/// Users in the directory.
pub const USERS: usize = 2_000;
/// User groups in the directory.
pub const USER_GROUPS: usize = 200;

/// The uuid of directory user `k` (the subject is user 0).
pub fn user_uuid(k: usize) -> String {
    format!("05e40000-0000-4000-8000-{k:012x}")
}

/// The uuid of user group `k`.
pub fn group_uuid(k: usize) -> String {
    format!("06e00000-0000-4000-8000-{k:012x}")
}

fn tag_uuid(i: usize) -> String {
    format!("7a900000-0000-4000-8000-{i:012x}")
}

fn static_uuid(category: usize, value: usize) -> String {
    format!("5a7a0000-0000-4000-8000-{:012x}", category * 1_000 + value)
}

fn permission_uuid(k: usize) -> String {
    format!("9e400000-0000-4000-8000-{k:012x}")
}

/// The subject: directory user 0.
pub fn subject() -> String {
    user_uuid(0)
}

/// The subject's user groups: 0 and 1.
pub fn subject_groups() -> Vec<String> {
    vec![group_uuid(0), group_uuid(1)]
}

/// `USERS` Security Analysts, each in 0–3 of the user groups; user 0 in groups 0 and 1.
pub fn directory(seed: u64) -> Vec<User> {
    let mut rng = Rng::new(seed ^ 0xD1EC_7042);
    (0..USERS)
        .map(|k| {
            let groups: Vec<String> = if k == 0 {
                subject_groups()
            } else {
                let mut groups: Vec<String> = (0..rng.below(4))
                    .map(|_| group_uuid(rng.below(USER_GROUPS as u64) as usize))
                    .collect();
                groups.sort();
                groups.dedup();
                groups
            };
            User::new(user_uuid(k), RoleId::SECURITY_ANALYST).with_groups(groups)
        })
        .collect()
}

/// The layouts (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    DenseOr,
    DenseAnd,
    Shared8,
    Negation,
    TagCategory,
}

impl Layout {
    pub const ALL: [Layout; 5] = [
        Layout::DenseOr,
        Layout::DenseAnd,
        Layout::Shared8,
        Layout::Negation,
        Layout::TagCategory,
    ];

    /// The name used in benchmark ids (`tags/{name}/…`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::DenseOr => "dense_or",
            Layout::DenseAnd => "dense_and",
            Layout::Shared8 => "shared8",
            Layout::Negation => "negation",
            Layout::TagCategory => "tag_category",
        }
    }

    /// Whether the groups built from the same values decide as the tags do on the allowed
    /// and the denied asset (checked when the workload is built).
    pub fn groups_agree(self) -> bool {
        self != Layout::Negation
    }

    fn seed(self) -> u64 {
        match self {
            Layout::DenseOr => 11,
            Layout::DenseAnd => 12,
            Layout::Shared8 => 13,
            Layout::Negation => 14,
            Layout::TagCategory => 15,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values

const SLASH8: u32 = 0x0A00_0000; // 10.0.0.0/8
const SLASH11: u32 = 0x0A20_0000; // 10.32.0.0/11
const ZONES: u64 = 40;
const HOSTS: u64 = 1_000;
const SYSTEMS: u64 = 40;
/// The zones and systems the negation filters exclude: the first `LAB` of each.
const LAB: u64 = 8;
const FAMILIES: [&str; 5] = ["Ubuntu", "Debian", "CentOS", "Windows Server", "RHEL"];
const CATEGORIES: [&str; 10] = [
    "Location",
    "Owner",
    "Environment",
    "BusinessUnit",
    "Criticality",
    "Compliance",
    "Application",
    "Team",
    "Cloud",
    "DataClass",
];
const VALUES_PER_CATEGORY: u64 = 100;

fn ip(a: u32) -> String {
    Ipv4Addr::from(a).to_string()
}

fn host(h: u64, z: u64) -> String {
    format!("host{h}.zone{z}.example.com")
}

fn random_host(rng: &mut Rng) -> String {
    let h = rng.below(HOSTS);
    host(h, rng.below(ZONES))
}

fn zone_pattern(z: u64) -> String {
    format!("*.zone{z}.example.com")
}

fn system(k: u64) -> String {
    let family = FAMILIES.get((k % 5) as usize).copied().unwrap_or("Ubuntu");
    format!("{family} {}", 2010 + k / 5)
}

fn static_value(v: u64) -> String {
    format!("value-{v:02}")
}

fn in_slash11(rng: &mut Rng) -> u32 {
    SLASH11 + rng.below(1 << 21) as u32
}

fn in_slash8(rng: &mut Rng) -> u32 {
    SLASH8 + rng.below(1 << 24) as u32
}

/// A random `/24` of the /11, as its first address.
fn slash24(rng: &mut Rng) -> u32 {
    SLASH11 + ((rng.below(1 << 13) as u32) << 8)
}

/// A random `/24` of the /8.
fn slash24_of_8(rng: &mut Rng) -> u32 {
    SLASH8 + ((rng.below(1 << 16) as u32) << 8)
}

/// A range inside the `/24` at `base` that holds `w` (itself in that `/24`).
fn range_holding(rng: &mut Rng, base: u32, w: u32) -> String {
    let at = w - base;
    let lo = rng.below(u64::from(at) + 1) as u32;
    let hi = at + rng.below(u64::from(256 - at)) as u32;
    format!("{}-{}", ip(base + lo), ip(base + hi))
}

/// A range inside a random `/24` of the /11.
fn range24(rng: &mut Rng) -> String {
    let base = slash24(rng);
    let a = rng.below(256) as u32;
    let b = a + rng.below(u64::from(256 - a)) as u32;
    format!("{}-{}", ip(base + a), ip(base + b))
}

/// 1 value (80 %), 2 (15 %) or 3 (5 %).
fn value_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..80 => 1,
        80..95 => 2,
        _ => 3,
    }
}

/// `k` distinct numbers below `n` (k < n).
fn distinct(rng: &mut Rng, k: usize, n: u64) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(k);
    while out.len() < k {
        let x = rng.below(n);
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// A number below `n` other than `not`.
fn other_than(rng: &mut Rng, not: u64, n: u64) -> u64 {
    (not + 1 + rng.below(n - 1)) % n
}

// ---------------------------------------------------------------------------------------
// Conditions, and their access-group rule

/// One condition as written, and the access-group rule of the same values.
#[derive(Clone, Debug)]
pub struct Cond {
    field: String,
    op: &'static str,
    values: Vec<String>,
    rule_type: &'static str,
    rule_op: &'static str,
    rule_terms: Vec<String>,
}

/// A condition on a fixed field whose wire name is also the rule type's.
fn cond(field: &'static str, op: &'static str, values: Vec<String>) -> Cond {
    let rule_op = match op {
        "eq" | "neq" => "eq",
        "match" | "nmatch" => "match",
        other => other,
    };
    Cond {
        field: field.to_owned(),
        op,
        rule_terms: values.clone(),
        values,
        rule_type: field,
        rule_op,
    }
}

/// `tag.<category k> set-has` values `vs`: `tag_uuid set-has` their static tags.
fn tag_cond(k: usize, vs: &[u64]) -> Cond {
    let category = CATEGORIES.get(k).copied().unwrap_or("Location");
    Cond {
        field: format!("tag.{category}"),
        op: "set-has",
        values: vs.iter().map(|v| static_value(*v)).collect(),
        rule_type: "tag_uuid",
        rule_op: "set-has",
        rule_terms: vs.iter().map(|v| static_uuid(k, *v as usize)).collect(),
    }
}

/// What an asset carrying the tag is made of.
#[derive(Clone, Debug, Default)]
struct Home {
    /// An address every address condition of the tag holds.
    ip: u32,
    host: Option<String>,
    system: Option<u64>,
    /// Negation: the lab zones and systems the tag does not exclude.
    zones: Vec<u64>,
    systems: Vec<u64>,
    /// Tag category: a static tag (category, value) of its first condition.
    named: Option<(usize, u64)>,
}

/// One tag's filter (and the group's rules).
#[derive(Clone, Debug)]
struct Spec {
    and: bool,
    conds: Vec<Cond>,
    home: Home,
}

fn spec(layout: Layout, special: bool, rng: &mut Rng) -> Spec {
    match layout {
        Layout::DenseOr => dense_or(special, rng),
        Layout::DenseAnd => dense_and(rng),
        Layout::Shared8 => shared8(rng),
        Layout::Negation => negation(rng),
        Layout::TagCategory => tag_category(rng),
    }
}

/// Narrow dense condition: 45 % `/24`, 15 % range in a `/24`, 40 % `fqdn eq`.
fn dense_narrow(rng: &mut Rng, count: usize) -> Cond {
    match rng.below(100) {
        0..45 => cond(
            "ipv4",
            "eq",
            (0..count)
                .map(|_| format!("{}/24", ip(slash24(rng))))
                .collect(),
        ),
        45..60 => cond("ipv4", "eq", (0..count).map(|_| range24(rng)).collect()),
        _ => cond("fqdn", "eq", (0..count).map(|_| random_host(rng)).collect()),
    }
}

/// Expected conditions per filter, in thousandths: `/16`, zone wildcard, system.
const SLASH16_PER_TAG: u64 = 400;
const WILDCARDS_PER_TAG: u64 = 450;
const SYSTEMS_PER_TAG: u64 = 300;

fn dense_or(special: bool, rng: &mut Rng) -> Spec {
    let b = slash24(rng);
    let w = b + rng.below(256) as u32;
    let mut conds = Vec::with_capacity(CONDITIONS);
    for r in 0..CONDITIONS {
        let count = value_count(rng);
        let roll = rng.below(1_000 * CONDITIONS as u64);
        if special && r == 0 {
            conds.push(cond("ipv4", "eq", vec![format!("{}/24", ip(b))]));
        } else if special || roll >= SLASH16_PER_TAG + WILDCARDS_PER_TAG + SYSTEMS_PER_TAG {
            conds.push(dense_narrow(rng, count));
        } else if roll < SLASH16_PER_TAG {
            let values = (0..count)
                .map(|_| format!("{}/16", ip(SLASH11 + ((rng.below(32) as u32) << 16))))
                .collect();
            conds.push(cond("ipv4", "eq", values));
        } else if roll < SLASH16_PER_TAG + WILDCARDS_PER_TAG {
            let values = (0..count).map(|_| zone_pattern(rng.below(ZONES))).collect();
            conds.push(cond("fqdn", "match", values));
        } else {
            let values = (0..count).map(|_| system(rng.below(SYSTEMS))).collect();
            conds.push(cond("operating_system", "eq", values));
        }
    }
    Spec {
        and: false,
        conds,
        home: Home {
            ip: w,
            ..Home::default()
        },
    }
}

fn dense_and(rng: &mut Rng) -> Spec {
    let b = slash24(rng);
    let w = b + rng.below(256) as u32;
    let z = rng.below(ZONES);
    let name = host(rng.below(HOSTS), z);
    let sys = rng.below(SYSTEMS);
    let anchor = match rng.below(100) {
        0..45 => cond("ipv4", "eq", vec![format!("{}/24", ip(b))]),
        45..60 => cond("ipv4", "eq", vec![range_holding(rng, b, w)]),
        _ => cond("fqdn", "eq", vec![name.clone()]),
    };
    let conds = vec![
        anchor,
        cond(
            "ipv4",
            "eq",
            vec![format!("{}/24", ip(b)), format!("{}/24", ip(slash24(rng)))],
        ),
        cond("ipv4", "eq", vec![format!("{}/16", ip(w & 0xFFFF_0000))]),
        cond("fqdn", "eq", vec![name.clone(), random_host(rng)]),
        cond("fqdn", "match", vec![zone_pattern(z)]),
        cond("operating_system", "eq", vec![system(sys)]),
        cond(
            "fqdn",
            "nmatch",
            vec![zone_pattern(other_than(rng, z, ZONES))],
        ),
        cond(
            "operating_system",
            "neq",
            vec![system(other_than(rng, sys, SYSTEMS))],
        ),
        cond("ipv4", "eq", vec![range_holding(rng, b, w)]),
        cond("fqdn", "neq", vec![random_host(rng)]),
    ];
    Spec {
        and: true,
        conds,
        home: Home {
            ip: w,
            host: Some(name),
            system: Some(sys),
            ..Home::default()
        },
    }
}

fn shared8(rng: &mut Rng) -> Spec {
    let b = slash24_of_8(rng);
    let w = b + rng.below(256) as u32;
    let z = rng.below(ZONES);
    let name = host(rng.below(HOSTS), z);
    let sys = rng.below(SYSTEMS);
    let conds = vec![
        cond("ipv4", "eq", vec!["10.0.0.0/8".to_owned()]),
        cond("ipv4", "eq", vec![format!("{}/24", ip(b))]),
        cond("fqdn", "eq", vec![name.clone()]),
        cond("operating_system", "eq", vec![system(sys)]),
        cond("ipv4", "eq", vec![range_holding(rng, b, w)]),
        cond("fqdn", "match", vec![zone_pattern(z)]),
        cond("fqdn", "eq", vec![name.clone(), random_host(rng)]),
        cond("ipv4", "eq", vec![format!("{}/28", ip(w & !15))]),
        cond(
            "operating_system",
            "eq",
            vec![system(sys), system(rng.below(SYSTEMS))],
        ),
        cond(
            "ipv4",
            "eq",
            vec![
                format!("{}/24", ip(b)),
                format!("{}/24", ip(slash24_of_8(rng))),
            ],
        ),
    ];
    Spec {
        and: true,
        conds,
        home: Home {
            ip: w,
            host: Some(name),
            system: Some(sys),
            ..Home::default()
        },
    }
}

fn negation(rng: &mut Rng) -> Spec {
    let zones = distinct(rng, 4, LAB);
    let systems = distinct(rng, 3, LAB);
    let mut conds: Vec<Cond> = zones
        .iter()
        .map(|z| cond("fqdn", "nmatch", vec![zone_pattern(*z)]))
        .collect();
    conds.extend(
        systems
            .iter()
            .map(|s| cond("operating_system", "neq", vec![system(*s)])),
    );
    conds.push(cond("fqdn", "neq", vec![random_host(rng)]));
    conds.push(cond("fqdn", "neq", vec![random_host(rng)]));
    conds.push(cond(
        "operating_system",
        "nmatch",
        vec!["Windows XP".to_owned()],
    ));
    Spec {
        and: true,
        conds,
        home: Home {
            zones: (0..LAB).filter(|z| !zones.contains(z)).collect(),
            systems: (0..LAB).filter(|s| !systems.contains(s)).collect(),
            ..Home::default()
        },
    }
}

fn tag_category(rng: &mut Rng) -> Spec {
    let mut named = None;
    let conds = (0..CONDITIONS)
        .map(|k| {
            let count = value_count(rng);
            let vs = distinct(rng, count, VALUES_PER_CATEGORY);
            if k == 0 {
                named = vs.first().map(|v| (0, *v));
            }
            tag_cond(k, &vs)
        })
        .collect();
    Spec {
        and: false,
        conds,
        home: Home {
            named,
            ..Home::default()
        },
    }
}

/// The 1,000 static tags `Category:value-NN` of the tag-category layout.
fn static_tags(layout: Layout) -> Result<Vec<TagValue>, String> {
    if layout != Layout::TagCategory {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(CATEGORIES.len() * VALUES_PER_CATEGORY as usize);
    for (k, category) in CATEGORIES.iter().enumerate() {
        for v in 0..VALUES_PER_CATEGORY {
            let uuid = static_uuid(k, v as usize)
                .parse()
                .map_err(|e| format!("{e}"))?;
            out.push(
                TagValue::static_value(uuid, category, &static_value(v))
                    .map_err(|e| e.to_string())?,
            );
        }
    }
    Ok(out)
}

fn filter(spec: &Spec) -> Result<TagFilter, String> {
    let members = spec
        .conds
        .iter()
        .map(|c| {
            FilterCondition::parse(&c.field, c.op, &c.values.join(", "))
                .map(FilterExpr::Condition)
                .map_err(|e| format!("{} {} {:?}: {e}", c.field, c.op, c.values))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let expr = if spec.and {
        FilterExpr::And(members)
    } else {
        FilterExpr::Or(members)
    };
    TagFilter::new(expr).map_err(|e| e.to_string())
}

/// The group of position `i`: the same values as rules (without the `/8` for the
/// subject's groups in `shared8`), no principals yet.
fn group_of(layout: Layout, i: usize, spec: &Spec, special: bool) -> Result<AccessGroup, String> {
    let skip = usize::from(layout == Layout::Shared8 && special);
    let rules = spec
        .conds
        .iter()
        .skip(skip)
        .map(|c| {
            Rule::parse(c.rule_type, c.rule_op, &c.rule_terms)
                .map_err(|e| format!("{} {} {:?}: {e}", c.rule_type, c.rule_op, c.rule_terms))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(
        AccessGroup::new(&format!("group {i}"), AccessGroupType::ManageAssets)
            .with_id(&format!("g{i}"))
            .with_rules(rules),
    )
}

// ---------------------------------------------------------------------------------------
// Assets

fn make_asset(ips: &[u32], names: &[String], sys: u64, tags: &[String]) -> Result<Asset, String> {
    let mut asset = Asset::new();
    for a in ips {
        asset = asset.with("ipv4", &ip(*a)).map_err(|e| e.to_string())?;
    }
    for name in names {
        asset = asset.with("fqdn", name).map_err(|e| e.to_string())?;
    }
    asset = asset
        .with("operating_system", &system(sys))
        .map_err(|e| e.to_string())?;
    for t in tags {
        asset = asset.with("tag_uuid", t).map_err(|e| e.to_string())?;
    }
    Ok(asset)
}

fn random_static_tags(rng: &mut Rng, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            static_uuid(
                rng.below(CATEGORIES.len() as u64) as usize,
                rng.below(VALUES_PER_CATEGORY) as usize,
            )
        })
        .collect()
}

fn pick(rng: &mut Rng, from: &[u64]) -> u64 {
    from.get(rng.below(from.len() as u64) as usize)
        .copied()
        .unwrap_or(0)
}

/// A typical asset of the layout.
fn typical(layout: Layout, rng: &mut Rng) -> Result<Asset, String> {
    let ips = match layout {
        Layout::Shared8 => [in_slash8(rng), in_slash8(rng)],
        _ => [in_slash11(rng), in_slash11(rng)],
    };
    let names = [random_host(rng), random_host(rng)];
    let sys = rng.below(SYSTEMS);
    let tags = if layout == Layout::TagCategory {
        random_static_tags(rng, 6)
    } else {
        Vec::new()
    };
    make_asset(&ips, &names, sys, &tags)
}

/// A candidate for the denied asset: typical, except for negation (in the lab zones and
/// systems the filters exclude).
fn deny_candidate(layout: Layout, rng: &mut Rng) -> Result<Asset, String> {
    if layout != Layout::Negation {
        return typical(layout, rng);
    }
    let ips = [in_slash11(rng), in_slash11(rng)];
    let names = [
        host(rng.below(HOSTS), rng.below(LAB)),
        host(rng.below(HOSTS), rng.below(LAB)),
    ];
    make_asset(&ips, &names, rng.below(LAB), &[])
}

/// An asset carrying the tag of `home` (with random other values).
fn home_asset(layout: Layout, home: &Home, rng: &mut Rng) -> Result<Asset, String> {
    match layout {
        Layout::DenseOr => {
            let names = [random_host(rng), random_host(rng)];
            let other = in_slash11(rng);
            make_asset(&[home.ip, other], &names, rng.below(SYSTEMS), &[])
        }
        Layout::DenseAnd | Layout::Shared8 => {
            let other = if layout == Layout::Shared8 {
                in_slash8(rng)
            } else {
                in_slash11(rng)
            };
            let names = [home.host.clone().unwrap_or_default(), random_host(rng)];
            make_asset(&[home.ip, other], &names, home.system.unwrap_or(0), &[])
        }
        Layout::Negation => {
            let ips = [in_slash11(rng), in_slash11(rng)];
            let (y, z) = (pick(rng, &home.zones), pick(rng, &home.zones));
            let names = [host(rng.below(HOSTS), y), host(rng.below(HOSTS), z)];
            make_asset(&ips, &names, pick(rng, &home.systems), &[])
        }
        Layout::TagCategory => {
            let (k, v) = home.named.unwrap_or((0, 0));
            let mut tags = vec![static_uuid(k, v as usize)];
            tags.extend(random_static_tags(rng, 5));
            let ips = [in_slash11(rng), in_slash11(rng)];
            let names = [random_host(rng), random_host(rng)];
            make_asset(&ips, &names, rng.below(SYSTEMS), &tags)
        }
    }
}

// ---------------------------------------------------------------------------------------
// The workload

/// What the generator checked about its workload.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Tags carrying the allowed asset (whoever they grant).
    pub allowed_carried: usize,
    /// Groups containing the allowed asset.
    pub allowed_in: usize,
    /// Tags carrying the denied asset.
    pub denied_carried: usize,
    /// Groups containing the denied asset.
    pub denied_in: usize,
    /// The tag positions granting the subject `CanView` (the plain loop's list).
    pub granted: Vec<usize>,
    /// Permissions.
    pub permissions: usize,
    /// The groups' decisions on the allowed and the denied asset (plain loop).
    pub groups_allow: (bool, bool),
}

/// A workload (see the module docs).
#[derive(Clone, Debug)]
pub struct TagWorkload {
    pub layout: Layout,
    /// The dynamic tags (positions `0..n`), then the static ones.
    pub tags: Vec<TagValue>,
    pub permissions: Vec<Permission>,
    pub groups: AccessGroups,
    pub users: Vec<User>,
    pub subject: String,
    pub subject_groups: Vec<String>,
    /// Carries tag `granting_position` only of the subject's tags.
    pub allowed: Asset,
    /// Carries none of the subject's tags.
    pub denied: Asset,
    pub specials: Vec<usize>,
    pub granting_position: usize,
    pub facts: Facts,
}

impl TagWorkload {
    /// The tags and permissions.
    pub fn control(&self) -> Result<AccessControl, String> {
        AccessControl::new(self.tags.clone(), self.permissions.clone()).map_err(|e| e.to_string())
    }

    /// The policy of the tags, the permissions and the directory (no access group).
    pub fn tag_policy(&self) -> Result<Policy, String> {
        Policy::builder()
            .access_control(self.control()?)
            .users(self.users.clone())
            .build()
            .map_err(|e: PolicyError| e.to_string())
    }

    /// The policy of the groups and the directory (no tag).
    pub fn group_policy(&self) -> Result<Policy, String> {
        Policy::builder()
            .access_groups(self.groups.clone())
            .users(self.users.clone())
            .build()
            .map_err(|e: PolicyError| e.to_string())
    }

    /// `count` typical assets.
    pub fn typical_assets(&self, count: usize, seed: u64) -> Result<Vec<Asset>, String> {
        let mut rng = Rng::new(seed ^ 0x7E57_A55E);
        (0..count).map(|_| typical(self.layout, &mut rng)).collect()
    }
}

/// The plain loop over the granted tags: the first position of `granted` (ascending)
/// whose filter selects `asset` ([`TagFilter::matches`]).
pub fn plain_first(control: &AccessControl, granted: &[usize], asset: &Asset) -> Option<usize> {
    granted.iter().copied().find(|p| {
        control
            .tags()
            .get(*p)
            .and_then(TagValue::filter)
            .is_some_and(|f| f.matches(asset, |u| control.tag_name(u)))
    })
}

/// The tag positions on which `control`'s permissions grant `user` `CanView` (through
/// `Tag` objects), ascending.
pub fn granted_view(control: &AccessControl, user: &str, groups: &[String]) -> Vec<usize> {
    let mut out: Vec<usize> = control
        .permissions_for(user, groups)
        .granted
        .iter()
        .filter(|p| p.grants(PermissionAction::CanView))
        .flat_map(|p| p.objects().iter())
        .filter_map(|o| o.uuid())
        .filter_map(|u| control.tag_position(&u))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

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

/// Who a position grants to.
#[derive(Clone, Debug)]
enum Who {
    User(String),
    Group(String),
}

/// The reference answers of one workload under construction.
struct Reference {
    control: AccessControl,
    filters: Vec<TagFilter>,
    groups: Vec<AccessGroup>,
}

impl Reference {
    fn carries(&self, i: usize, asset: &Asset) -> bool {
        self.filters
            .get(i)
            .is_some_and(|f| f.matches(asset, |u| self.control.tag_name(u)))
    }

    fn contains(&self, i: usize, asset: &Asset) -> bool {
        self.groups
            .get(i)
            .is_some_and(|g| ReferenceMatcher.contains_asset(g, asset).is_some())
    }
}

/// The workload `layout` at `n` positions, checked (see the module docs).
///
/// # Errors
///
/// A message when `n < 2` or when the generator could not find the assets it needs.
pub fn build(layout: Layout, n: usize) -> Result<TagWorkload, String> {
    if n < 2 {
        return Err("needs 2 tags".to_owned());
    }
    let seed = (layout.seed() << 56) ^ ((n as u64) << 24) ^ CONDITIONS as u64;
    let mut rng = Rng::new(seed);
    let specials = special_positions(n);
    let last = specials.last().copied().unwrap_or_default();
    let is_special = |i: usize| specials.contains(&i);
    let mut specs: Vec<Spec> = (0..n)
        .map(|i| spec(layout, is_special(i), &mut rng))
        .collect();
    let statics = static_tags(layout)?;
    let mut reference = Reference {
        control: AccessControl::new(statics.clone(), Vec::new()).map_err(|e| e.to_string())?,
        filters: specs.iter().map(filter).collect::<Result<Vec<_>, _>>()?,
        groups: specs
            .iter()
            .enumerate()
            .map(|(i, s)| group_of(layout, i, s, is_special(i)))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let agree = layout.groups_agree();
    let others: Vec<usize> = specials.iter().copied().filter(|p| *p != last).collect();

    // The allowed asset: carries `L` and no other special tag (and, where the groups
    // agree, lies in `g{L}` and no other special group); `L` is drawn again if needed.
    let mut allowed = None;
    'search: for _ in 0..500 {
        let home = specs.get(last).map(|s| s.home.clone()).unwrap_or_default();
        for _ in 0..50 {
            let asset = home_asset(layout, &home, &mut rng)?;
            let tags_ok = reference.carries(last, &asset)
                && others.iter().all(|p| !reference.carries(*p, &asset));
            let groups_ok = !agree
                || (reference.contains(last, &asset)
                    && others.iter().all(|p| !reference.contains(*p, &asset)));
            if tags_ok && groups_ok {
                allowed = Some(asset);
                break 'search;
            }
        }
        let again = spec(layout, true, &mut rng);
        if let (Some(f), Some(g), Some(s)) = (
            reference.filters.get_mut(last),
            reference.groups.get_mut(last),
            specs.get_mut(last),
        ) {
            *f = filter(&again)?;
            *g = group_of(layout, last, &again, true)?;
            *s = again;
        }
    }
    let allowed = allowed.ok_or_else(|| format!("{}/{n}: no allowed asset", layout.name()))?;

    // The denied asset: of 16 eligible candidates, the one in the most groups.
    let mut eligible = Vec::new();
    for _ in 0..20_000 {
        if eligible.len() >= 16 {
            break;
        }
        let asset = deny_candidate(layout, &mut rng)?;
        let tags_ok = specials.iter().all(|p| !reference.carries(*p, &asset));
        let groups_ok = !agree || specials.iter().all(|p| !reference.contains(*p, &asset));
        if tags_ok && groups_ok {
            eligible.push(asset);
        }
    }
    let reach = |a: &Asset| (0..n).filter(|i| reference.contains(*i, a)).count();
    let mut best: Option<(usize, Asset)> = None;
    for asset in eligible {
        let r = reach(&asset);
        if best.as_ref().is_none_or(|(b, _)| r > *b) {
            best = Some((r, asset));
        }
    }
    let (_, denied) = best.ok_or_else(|| format!("{}/{n}: no denied asset", layout.name()))?;

    // Traps and all-users positions.
    let holding_denied: Vec<usize> = (0..n)
        .filter(|i| {
            !is_special(*i) && (reference.contains(*i, &denied) || reference.carries(*i, &denied))
        })
        .collect();
    let traps = spread(&holding_denied, 3);
    let outside: Vec<usize> = (0..n)
        .filter(|i| {
            !is_special(*i)
                && !traps.contains(i)
                && [&allowed, &denied]
                    .iter()
                    .all(|a| !(reference.carries(*i, a) || (agree && reference.contains(*i, a))))
        })
        .collect();
    let all_users = spread(&outside, n / 1_000);

    // Principals, permissions and groups.
    let mut prng = Rng::new(seed ^ 0x9121_C1BA);
    let mut permissions = Vec::new();
    let mut tags = Vec::with_capacity(n + statics.len());
    let mut groups = Vec::with_capacity(n);
    let view = AccessPermissions::CAN_VIEW;
    let scan = AccessPermissions::CAN_SCAN;
    for (i, (tag_filter, group)) in reference
        .filters
        .iter()
        .zip(reference.groups.iter())
        .enumerate()
    {
        let uuid = tag_uuid(i).parse().map_err(|e| format!("{e}"))?;
        let name = format!("tag {i:05}");
        tags.push(
            TagValue::dynamic(uuid, "Workload", &name, tag_filter.clone())
                .map_err(|e| e.to_string())?,
        );
        let mut principals: Vec<(Who, AccessPermissions)> = (0..1 + prng.below(5))
            .map(|_| {
                let permissions = match prng.below(10) {
                    0 => scan,
                    1 => view | scan,
                    _ => view,
                };
                let who = if prng.below(100) < 55 {
                    Who::User(user_uuid(1 + prng.below(USERS as u64 - 1) as usize))
                } else {
                    Who::Group(group_uuid(2 + prng.below(USER_GROUPS as u64 - 2) as usize))
                };
                (who, permissions)
            })
            .collect();
        let mut everyone = false;
        if let Some(j) = specials.iter().position(|p| *p == i) {
            principals.truncate(prng.below(3) as usize);
            if i == last {
                principals.push((Who::Group(group_uuid(1)), view));
            } else {
                match j % 3 {
                    0 => principals.push((Who::User(subject()), view)),
                    1 => everyone = true,
                    _ => principals.push((Who::Group(group_uuid(0)), view | scan)),
                }
            }
        } else if traps.contains(&i) {
            let at = prng.below(principals.len() as u64 + 1) as usize;
            principals.insert(at.min(principals.len()), (Who::User(subject()), scan));
        } else if all_users.contains(&i) {
            everyone = true;
        }
        // The tag side: one permission per distinct action set (an all-users position:
        // one `CanView` permission for `AllUsers`, as the group ignores its principals).
        let object = PermissionObject::tag(uuid);
        if everyone {
            permissions.push(
                Permission::new(
                    permission_uuid(permissions.len())
                        .parse()
                        .map_err(|e| format!("{e}"))?,
                    &format!("{name} [CanView] all users"),
                )
                .with_actions([PermissionAction::CanView])
                .with_object(object.clone())
                .with_subject(PermissionSubject::all_users()),
            );
        } else {
            for set in [view, scan, view | scan] {
                let subjects: Vec<PermissionSubject> = principals
                    .iter()
                    .filter(|(_, p)| *p == set)
                    .map(|(who, _)| {
                        match who {
                            Who::User(u) => PermissionSubject::user(u),
                            Who::Group(g) => PermissionSubject::user_group(g),
                        }
                        .map_err(|e| e.to_string())
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if subjects.is_empty() {
                    continue;
                }
                let mut actions = Vec::new();
                if set.contains(view) {
                    actions.push(PermissionAction::CanView);
                }
                if set.contains(scan) {
                    actions.push(PermissionAction::CanScan);
                }
                let mut p = Permission::new(
                    permission_uuid(permissions.len())
                        .parse()
                        .map_err(|e| format!("{e}"))?,
                    &format!("{name} {actions:?}"),
                )
                .with_actions(actions)
                .with_object(object.clone());
                for s in subjects {
                    p = p.with_subject(s);
                }
                permissions.push(p);
            }
        }
        let principals = principals
            .into_iter()
            .map(|(who, p)| match who {
                Who::User(u) => Principal::user(&u, p),
                Who::Group(g) => Principal::group(&g, p),
            })
            .collect();
        groups.push(
            group
                .clone()
                .with_principals(Some(principals))
                .with_all_users(everyone),
        );
    }
    tags.extend(statics);
    let groups = AccessGroups::from_server(groups);
    let users = directory(seed);
    let subject_groups = subject_groups();

    // The checks.
    let control =
        AccessControl::new(tags.clone(), permissions.clone()).map_err(|e| e.to_string())?;
    let granted = granted_view(&control, &subject(), &subject_groups);
    let mut expected: Vec<usize> = specials
        .iter()
        .copied()
        .chain(all_users.iter().copied())
        .collect();
    expected.sort_unstable();
    if granted != expected {
        return Err(format!(
            "{}/{n}: granted tags {granted:?}, expected {expected:?}",
            layout.name()
        ));
    }
    let first = plain_first(&control, &granted, &allowed);
    if first != Some(last) {
        return Err(format!(
            "{}/{n}: the allowed asset is granted by {first:?}, expected {last}",
            layout.name()
        ));
    }
    if let Some(p) = plain_first(&control, &granted, &denied) {
        return Err(format!(
            "{}/{n}: tag {p} grants the denied asset",
            layout.name()
        ));
    }
    let group_first = |asset: &Asset| {
        groups.iter().position(|g| {
            g.grant(&subject(), &subject_groups, view).is_some()
                && ReferenceMatcher.contains_asset(g, asset).is_some()
        })
    };
    let groups_allow = (group_first(&allowed), group_first(&denied));
    if agree && groups_allow != (Some(last), None) {
        return Err(format!(
            "{}/{n}: the groups grant the allowed and the denied asset through {groups_allow:?}, \
             expected (Some({last}), None)",
            layout.name()
        ));
    }
    let count = |f: &dyn Fn(usize) -> bool| (0..n).filter(|i| f(*i)).count();
    let facts = Facts {
        allowed_carried: count(&|i| reference.carries(i, &allowed)),
        allowed_in: count(&|i| reference.contains(i, &allowed)),
        denied_carried: count(&|i| reference.carries(i, &denied)),
        denied_in: count(&|i| reference.contains(i, &denied)),
        granted,
        permissions: permissions.len(),
        groups_allow: (groups_allow.0.is_some(), groups_allow.1.is_some()),
    };
    Ok(TagWorkload {
        layout,
        tags,
        permissions,
        groups,
        users,
        subject: subject(),
        subject_groups,
        allowed,
        denied,
        specials,
        granting_position: last,
        facts,
    })
}
