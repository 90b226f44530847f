//! Property tests: term Display/parse round-trips, IP containment and name patterns
//! against independent models, and group JSON write→read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use std::net::{Ipv4Addr, Ipv6Addr};

mod support;

use proptest::prelude::*;
#[cfg(feature = "serde")]
use scangate::AccessGroup;
use scangate::{
    Target,
    access::{AccessPermissions, AssetValue, MacAddress, Operator, Rule, RuleType, Term, Uuid},
};
#[cfg(feature = "serde")]
use support::values::{GroupMix, group};
use support::values::{Texts, principal, rule};

fn v4_in_cidr(x: u32, net: u32, prefix: u32) -> bool {
    // model: compare the top `prefix` bits one by one
    (0..prefix).all(|i| (x >> (31 - i)) & 1 == (net >> (31 - i)) & 1)
}

fn v6_in_cidr(x: u128, net: u128, prefix: u32) -> bool {
    (0..prefix).all(|i| (x >> (127 - i)) & 1 == (net >> (127 - i)) & 1)
}

/// Model for `match`: a backtracking glob over `*pattern*`.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{0,6}"
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..4).prop_map(|ls| ls.join("."))
}

/// Randomly upper-cases letters.
fn shout(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn ipv4_cidr_matches_model(net in any::<u32>(), prefix in 0u32..=32, x in any::<u32>(), near in any::<bool>()) {
        let text = format!("{}/{prefix}", Ipv4Addr::from(net));
        let t = Term::parse(RuleType::Ipv4, Operator::Eq, &text).unwrap();
        prop_assert_eq!(t.to_string(), text.clone());
        prop_assert_eq!(Term::parse(RuleType::Ipv4, Operator::Eq, &t.to_string()).unwrap(), t.clone());
        // half the time pick an address sharing the network's high bits
        let x = if near { (net & 0xffff_0000) | (x & 0xffff) } else { x };
        let v = AssetValue::parse(RuleType::Ipv4, &Ipv4Addr::from(x).to_string()).unwrap();
        prop_assert_eq!(t.matches(&v), v4_in_cidr(x, net, prefix));
    }

    #[test]
    fn ipv6_cidr_matches_model(net in any::<u128>(), prefix in 0u32..=128, x in any::<u128>(), near in any::<bool>()) {
        let text = format!("{}/{prefix}", Ipv6Addr::from(net));
        let t = Term::parse(RuleType::Ipv6, Operator::Eq, &text).unwrap();
        let x = if near { (net & !0xffff_ffff) | (x & 0xffff_ffff) } else { x };
        let v = AssetValue::parse(RuleType::Ipv6, &Ipv6Addr::from(x).to_string()).unwrap();
        prop_assert_eq!(t.matches(&v), v6_in_cidr(x, net, prefix));
    }

    #[test]
    fn ipv4_range_matches_model(a in any::<u32>(), b in any::<u32>(), x in any::<u32>()) {
        let text = format!("{}-{}", Ipv4Addr::from(a), Ipv4Addr::from(b));
        match Term::parse(RuleType::Ipv4, Operator::Eq, &text) {
            Ok(t) => {
                prop_assert!(a <= b);
                prop_assert_eq!(t.to_string(), text);
                for probe in [x, a, b, a.wrapping_sub(1), b.wrapping_add(1)] {
                    let v = AssetValue::parse(RuleType::Ipv4, &Ipv4Addr::from(probe).to_string()).unwrap();
                    prop_assert_eq!(t.matches(&v), a <= probe && probe <= b);
                }
            }
            Err(_) => prop_assert!(a > b),
        }
    }

    #[test]
    fn ipv6_range_matches_model(a in any::<u128>(), b in any::<u128>(), x in any::<u128>()) {
        let text = format!("{}-{}", Ipv6Addr::from(a), Ipv6Addr::from(b));
        match Term::parse(RuleType::Ipv6, Operator::Eq, &text) {
            Ok(t) => {
                for probe in [x, a, b, a.wrapping_sub(1), b.wrapping_add(1)] {
                    let v = AssetValue::parse(RuleType::Ipv6, &Ipv6Addr::from(probe).to_string()).unwrap();
                    prop_assert_eq!(t.matches(&v), a <= probe && probe <= b);
                }
            }
            Err(_) => prop_assert!(a > b),
        }
    }

    #[test]
    fn match_pattern_agrees_with_glob_model(p in "[ab*]{0,6}", s in "[ab]{0,8}") {
        prop_assume!(!p.is_empty());
        let t = Term::parse(RuleType::Fqdn, Operator::Match, &p).unwrap();
        let v = AssetValue::parse(RuleType::Fqdn, &format!("{s}x")).unwrap();
        let model = glob(format!("*{p}*").as_bytes(), format!("{s}x").as_bytes());
        prop_assert_eq!(t.matches(&v), model);
    }

    #[test]
    fn names_ignore_case_and_trailing_dot(n in name(), m1 in any::<u64>(), m2 in any::<u64>(), dot1 in any::<bool>(), dot2 in any::<bool>(), cut in 0usize..32) {
        let term_text = format!("{}{}", shout(&n, m1), if dot1 { "." } else { "" });
        let value_text = format!("{}{}", shout(&n, m2), if dot2 { "." } else { "" });
        for ty in [RuleType::Fqdn, RuleType::Hostname] {
            let v = AssetValue::parse(ty, &value_text).unwrap();
            prop_assert!(Term::parse(ty, Operator::Eq, &term_text).unwrap().matches(&v));
            let cut = cut.min(n.len() - 1) + 1; // non-empty prefix / suffix
            let prefix = shout(&n[..cut], m1);
            let suffix = shout(&n[n.len() - cut..], m1);
            prop_assert!(Term::parse(ty, Operator::Starts, &prefix).unwrap().matches(&v));
            prop_assert!(Term::parse(ty, Operator::Ends, &suffix).unwrap().matches(&v));
            prop_assert!(Term::parse(ty, Operator::Match, &shout(&n[1..cut.max(2).min(n.len())], m2)).map_or(true, |t| t.matches(&v)));
            // a different name does not match eq
            let other = AssetValue::parse(ty, &format!("{n}z")).unwrap();
            prop_assert!(!Term::parse(ty, Operator::Eq, &term_text).unwrap().matches(&other));
        }
    }

    #[test]
    fn mac_uuid_display_parse(mac in 0u64..(1 << 48), uuid in any::<u128>(), dash in any::<bool>(), upper in any::<bool>()) {
        let m: MacAddress = {
            let bytes = mac.to_be_bytes();
            let sep = if dash { "-" } else { ":" };
            let text = bytes[2..].iter().map(|b| if upper { format!("{b:02X}") } else { format!("{b:02x}") }).collect::<Vec<_>>().join(sep);
            text.parse().unwrap()
        };
        prop_assert_eq!(m.to_u64(), mac);
        prop_assert_eq!(m.to_string().parse::<MacAddress>().unwrap(), m);
        let u: Uuid = {
            let s = format!("{:032x}", uuid);
            let text = format!("{}-{}-{}-{}-{}", &s[..8], &s[8..12], &s[12..16], &s[16..20], &s[20..]);
            let text = if upper { text.to_uppercase() } else { text };
            text.parse().unwrap()
        };
        prop_assert_eq!(u.to_u128(), uuid);
        prop_assert_eq!(u.to_string().parse::<Uuid>().unwrap(), u);
    }

    #[test]
    fn target_display_parse(ip4 in any::<u32>(), ip6 in any::<u128>(), n in name(), mask in any::<u64>(), which in 0u8..3) {
        let text = match which {
            0 => Ipv4Addr::from(ip4).to_string(),
            1 => Ipv6Addr::from(ip6).to_string(),
            _ => shout(&n, mask),
        };
        // all-digit names like "1.2" are read as (bad) IPv4 addresses
        if let Ok(t) = text.parse::<Target>() {
            prop_assert_eq!(t.to_string().parse::<Target>().unwrap(), t);
        } else {
            prop_assert!(which == 2 && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_rule_term_display_parse(r in rule(Texts::NEAR)) {
        for t in r.terms() {
            prop_assert_eq!(&Term::parse(r.rule_type(), r.operator(), &t.to_string()).unwrap(), t);
        }
        let strings: Vec<String> = r.terms().iter().map(ToString::to_string).collect();
        prop_assert_eq!(Rule::new(r.rule_type(), r.operator(), &strings).unwrap(), r);
    }
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn group_json_write_read(
        g in group(GroupMix::WIRE),
        version in proptest::option::of(0u32..100),
    ) {
        let mut g = g;
        if let Some(v) = version {
            // metadata comes only from reading: add some through JSON
            let mut json = serde_json::to_value(&g).unwrap();
            json["version"] = v.into();
            json["status"] = "COMPLETED".into();
            g = serde_json::from_value(json).unwrap();
            prop_assert_eq!(g.metadata().get("version").unwrap(), &serde_json::Value::from(v));
        }
        let text = serde_json::to_string(&g).unwrap();
        let back: AccessGroup = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &g);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

proptest! {
    /// `grant` of one permission agrees with `permissions_for`, and the grant it reports
    /// really names the user and holds the permission.
    #[test]
    fn grant_agrees_with_permissions_for(
        principals in prop::collection::vec(principal(), 0..6),
        all_users in any::<bool>(),
        user in "[a-z0-9@.-]{1,3}",
        groups in prop::collection::vec("[a-z0-9@.-]{1,3}", 0..3),
    ) {
        let g = scangate::AccessGroup::new("g", scangate::access::AccessGroupType::ManageAssets)
            .with_all_users(all_users)
            .with_principals(Some(principals));
        let held = g.permissions_for(&user, &groups);
        for p in [AccessPermissions::CAN_VIEW, AccessPermissions::CAN_SCAN] {
            let grant = g.grant(&user, &groups, p);
            prop_assert_eq!(grant.is_some(), held.contains(p));
            if let Some(scangate::access::Grant::Principal { index, principal }) = grant {
                prop_assert!(!all_users);
                prop_assert_eq!(&g.principals()[index], principal);
                prop_assert!(principal.applies_to(&user, &groups) && principal.permissions().contains(p));
            }
        }
        if all_users {
            prop_assert_eq!(held, AccessPermissions::CAN_VIEW);
        }
    }
}
