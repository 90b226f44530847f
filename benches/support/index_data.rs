//! The layer-3 benchmark workload, shared by `benches/index.rs` and
//! `examples/index_memory.rs`.
//!
//! Group `i` of `n` owns the IPv4 block `10.0.0.0 + i * 2048` (2,048 addresses) and the
//! names `*.g{i}.corp.example`. Its rules cycle through ten kinds: 2 × IPv4 CIDR (/28,
//! /29), 2 × IPv4 range, 3 × FQDN `eq`, 2 × FQDN `match` wildcard (`web*.g{i}.…`,
//! `*.s{r}.g{i}.…`) and 1 × FQDN `ends`; every rule has one term, and every 100th group
//! also holds a /16 that overlaps a hundred other groups' blocks (nested CIDRs).
//! Principals: the user `user{i % 500}` (view and scan) and the user group
//! `team{i % 100}` (view), and every 50th group is `all_users`.
//!
//! The subject is `user7`, member of `team3` and `team42`: about 4% of the groups grant
//! it `CAN_VIEW` (its own 0.2%, its teams' 2%, the `all_users` groups' 2%). The hit asset lies in the last group granting it (so a scan in group
//! order would visit every group); the miss asset is in no group.
#![allow(dead_code)] // each user takes the parts it needs

use std::net::Ipv4Addr;

use scangate::{
    AccessGroup, Asset,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
};

/// A deterministic generator (SplitMix64).
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
}

const BLOCK: u32 = 2048;

fn base(i: usize) -> u32 {
    0x0A00_0000 + (i as u32) * BLOCK
}

fn ip(a: u32) -> String {
    Ipv4Addr::from(a).to_string()
}

/// `n` groups of `rules` rules each (see the module docs).
pub fn groups(n: usize, rules: usize) -> AccessGroups {
    let mut rng = Rng::new(0x5eed ^ (n as u64) << 20 ^ rules as u64);
    AccessGroups::from_server((0..n).map(|i| group(i, rules, &mut rng)))
}

fn group(i: usize, rules: usize, rng: &mut Rng) -> AccessGroup {
    let mut g = AccessGroup::new(&format!("group {i}"), AccessGroupType::ManageAssets)
        .with_id(&format!("g{i}"))
        .with_principal(Principal::user(
            &format!("user{}", i % 500),
            AccessPermissions::all(),
        ))
        .with_principal(Principal::group(
            &format!("team{}", i % 100),
            AccessPermissions::CAN_VIEW,
        ));
    if i % 50 == 49 {
        g = g.with_all_users(true);
    }
    let b = base(i);
    let mut out = Vec::with_capacity(rules + 1);
    for r in 0..rules {
        let off = rng.below(u64::from(BLOCK - 64)) as u32;
        let (ty, op, term) = match r % 10 {
            0 => ("ipv4", "eq", format!("{}/28", ip(b + off))),
            1 => ("ipv4", "eq", format!("{}/29", ip(b + off))),
            2 | 3 => (
                "ipv4",
                "eq",
                format!("{}-{}", ip(b + off), ip(b + off + 1 + off % 40)),
            ),
            4..=6 => ("fqdn", "eq", format!("host{r}.g{i}.corp.example")),
            7 => ("fqdn", "match", format!("web{r}*.g{i}.corp.example")),
            8 => ("fqdn", "match", format!("*.s{r}.g{i}.corp.example")),
            _ => ("fqdn", "ends", format!(".d{r}.g{i}.corp.example")),
        };
        if let Ok(rule) = Rule::parse(ty, op, [term]) {
            out.push(rule);
        }
    }
    if i % 100 == 0 {
        if let Ok(rule) = Rule::parse("ipv4", "eq", [format!("{}/16", ip(b))]) {
            out.push(rule);
        }
    }
    g.with_rules(out)
}

/// The subject: `user7`, member of `team3` and `team42`.
pub const USER: &str = "user7";
/// The subject's user groups.
pub const USER_GROUPS: [&str; 2] = ["team3", "team42"];

/// The last group position granting the subject `CAN_VIEW` (through `team42`).
pub fn last_granted(n: usize) -> usize {
    (0..n)
        .rev()
        .find(|i| i % 100 == 42 || i % 100 == 3 || i % 500 == 7 || i % 50 == 49)
        .unwrap_or(0)
}

/// An asset in group `i` (two IPv4 addresses and two FQDNs, one of which its `eq` rule
/// names) when `i` has at least 5 rules.
pub fn asset_in(i: usize) -> Asset {
    let b = base(i);
    Asset::new()
        .with("ipv4", &ip(b + BLOCK - 1))
        .and_then(|a| a.with("ipv4", &ip(b + 5)))
        .and_then(|a| a.with("fqdn", &format!("other.g{i}.corp.example.net")))
        .and_then(|a| a.with("fqdn", &format!("host4.g{i}.corp.example")))
        .unwrap_or_default()
}

/// An asset in no group.
pub fn asset_miss() -> Asset {
    Asset::new()
        .with("ipv4", "172.16.0.1")
        .and_then(|a| a.with("ipv4", "192.168.1.1"))
        .and_then(|a| a.with("fqdn", "db01.unknown.example.org"))
        .and_then(|a| a.with("fqdn", "web01.unknown.example.org"))
        .unwrap_or_default()
}

/// `count` assets, a fraction `hits_per_100 / 100` of them in random groups, the rest
/// misses with random addresses and names.
pub fn assets(n: usize, count: usize, hits_per_100: u64) -> Vec<Asset> {
    let mut rng = Rng::new(42);
    (0..count)
        .map(|_| {
            if rng.below(100) < hits_per_100 {
                asset_in(rng.below(n as u64) as usize)
            } else {
                let a = 0xAC10_0000 + rng.below(1 << 20) as u32;
                Asset::new()
                    .with("ipv4", &ip(a))
                    .and_then(|x| {
                        x.with("fqdn", &format!("h{}.unknown.example.org", rng.below(1000)))
                    })
                    .unwrap_or_default()
            }
        })
        .collect()
}
