//! Table-driven decisions for every rule type × operator (tests/data/access/*.txt), plus
//! asset, target and principal semantics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use std::collections::BTreeSet;

use scangate::{
    AccessGroup, Asset, Target,
    access::{
        AccessGroupType, AccessPermissions, AssetValue, Grant, Membership, Operator, Principal,
        PrincipalKind, ReferenceMatcher, Rule, RuleType, TargetError, Term, TermError,
    },
};

fn rows(file: &str) -> Vec<(usize, Vec<String>)> {
    let path = format!("{}/tests/data/access/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let cols = l
                .split(" | ")
                .map(|c| {
                    if c == "<empty>" {
                        String::new()
                    } else {
                        c.to_owned()
                    }
                })
                .collect();
            (i + 1, cols)
        })
        .collect()
}

#[test]
fn decision_table() {
    let mut seen_yes = BTreeSet::new();
    let mut seen_no = BTreeSet::new();
    let rows = rows("decisions.txt");
    assert!(rows.len() > 100);
    for (line, cols) in rows {
        let [ty, op, term, value, expected] = cols.as_slice() else {
            panic!("decisions.txt line {line}: expected 5 columns, got {cols:?}");
        };
        let rule_type: RuleType = ty.parse().unwrap();
        let operator: Operator = op.parse().unwrap();
        let expected = match expected.as_str() {
            "yes" => true,
            "no" => false,
            other => panic!("line {line}: bad expectation {other}"),
        };
        let t = Term::parse(rule_type, operator, term)
            .unwrap_or_else(|e| panic!("line {line}: term `{term}`: {e}"));
        let v = AssetValue::parse(rule_type, value)
            .unwrap_or_else(|e| panic!("line {line}: value `{value}`: {e}"));
        assert_eq!(
            t.matches(&v),
            expected,
            "line {line}: {ty} {op} `{term}` vs `{value}`"
        );

        // The same decision through a group, the reference matcher, and an asset that also
        // holds an unrelated value for the attribute and values of other attributes.
        let rule = Rule::new(rule_type, operator, [term]).unwrap();
        let group = AccessGroup::new("g", AccessGroupType::ManageAssets).with_rule(rule);
        let mut asset = Asset::new();
        asset.insert(rule_type, value).unwrap();
        assert_eq!(
            ReferenceMatcher.contains_asset(&group, &asset),
            expected.then_some(Membership::Rule { rule: 0, term: 0 }),
            "line {line}"
        );
        // A value of the same text under every other attribute never matches.
        let mut others = Asset::new();
        for other in RuleType::ALL.iter().filter(|o| **o != rule_type) {
            let _ = others.insert(*other, value);
        }
        assert_eq!(
            ReferenceMatcher.contains_asset(&group, &others),
            None,
            "line {line}"
        );

        if expected {
            seen_yes.insert((rule_type, operator));
        } else {
            seen_no.insert((rule_type, operator));
        }
    }
    for t in RuleType::ALL {
        for op in t.operators() {
            assert!(seen_yes.contains(&(t, *op)), "no matching row for {t} {op}");
            assert!(
                seen_no.contains(&(t, *op)),
                "no non-matching row for {t} {op}"
            );
        }
    }
}

#[test]
fn bad_term_table() {
    let rows = rows("bad_terms.txt");
    assert!(rows.len() > 30);
    for (line, cols) in rows {
        let [ty, op, term, message] = cols.as_slice() else {
            panic!("bad_terms.txt line {line}: expected 4 columns, got {cols:?}");
        };
        let err = Rule::parse(ty, op, [term]).expect_err(&format!("line {line} should fail"));
        assert_eq!(&err.to_string(), message, "line {line}");
    }
}

#[test]
fn any_rule_any_term_any_value() {
    let group = AccessGroup::new("g", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("fqdn", "eq", ["a.example", "b.example"]).unwrap())
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8", "192.168.1.1"]).unwrap())
        .with_rule(
            Rule::parse(
                "tag_uuid",
                "set-has",
                ["a59ae831-2695-40b1-a9f9-9a26258f5486"],
            )
            .unwrap(),
        );
    let m = |a: &Asset| ReferenceMatcher.contains_asset(&group, a);
    let asset = Asset::new()
        .with("ipv4", "172.16.0.1")
        .unwrap()
        .with("ipv4", "192.168.1.1")
        .unwrap()
        .with("fqdn", "c.example")
        .unwrap();
    assert_eq!(m(&asset), Some(Membership::Rule { rule: 1, term: 1 }));
    let asset = asset.with("fqdn", "B.EXAMPLE.").unwrap();
    assert_eq!(m(&asset), Some(Membership::Rule { rule: 0, term: 1 }));
    // set-has: the tag set contains the term
    let tagged = Asset::new()
        .with("tag_uuid", "309a5bdb-94f4-40fc-92ce-dcf6f7a8e37f")
        .unwrap()
        .with("tag_uuid", "A59AE831-2695-40B1-A9F9-9A26258F5486")
        .unwrap();
    assert_eq!(m(&tagged), Some(Membership::Rule { rule: 2, term: 0 }));
    let untagged = Asset::new()
        .with("tag_uuid", "309a5bdb-94f4-40fc-92ce-dcf6f7a8e37f")
        .unwrap();
    assert_eq!(m(&untagged), None);
    assert_eq!(m(&Asset::new()), None);
    // a group without rules contains nothing; All Assets contains everything
    let empty = AccessGroup::new("e", AccessGroupType::ManageAssets);
    assert_eq!(ReferenceMatcher.contains_asset(&empty, &asset), None);
    let all = AccessGroup::all_assets_group("aa");
    assert_eq!(
        ReferenceMatcher.contains_asset(&all, &Asset::new()),
        Some(Membership::AllAssets)
    );
}

#[test]
fn ipv4_mapped_ipv6_is_not_ipv4() {
    let v4 = AccessGroup::new("v4", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap());
    let v6 = AccessGroup::new("v6", AccessGroupType::ManageAssets)
        .with_rule(Rule::parse("ipv6", "eq", ["::ffff:10.0.0.0/104"]).unwrap());
    let mapped = Asset::new().with("ipv6", "::ffff:10.1.2.3").unwrap();
    let plain = Asset::new().with("ipv4", "10.1.2.3").unwrap();
    assert_eq!(ReferenceMatcher.contains_asset(&v4, &mapped), None);
    assert!(ReferenceMatcher.contains_asset(&v6, &mapped).is_some());
    assert_eq!(ReferenceMatcher.contains_asset(&v6, &plain), None);
    assert!(ReferenceMatcher.contains_asset(&v4, &plain).is_some());
    // as scan targets, too
    let t: Target = "::ffff:10.1.2.3".parse().unwrap();
    assert!(t.ipv6().is_some());
    assert_eq!(ReferenceMatcher.contains_target(&v4, &t), None);
    assert!(ReferenceMatcher.contains_target(&v6, &t).is_some());
    // asset values are single addresses
    assert!(Asset::new().with("ipv4", "10.0.0.0/8").is_err());
    assert!(Asset::new().with("ipv6", "::1-::2").is_err());
}

#[test]
fn scan_targets_format_must_match_rule_type() {
    let scan = AccessGroup::new("scan", AccessGroupType::ScanTargets)
        .with_rule(Rule::parse("fqdn", "eq", ["web01.corp.example"]).unwrap())
        .with_rule(Rule::parse("hostname", "starts", ["db"]).unwrap())
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/24"]).unwrap())
        .with_rule(Rule::parse("ipv6", "eq", ["2001:db8::/64"]).unwrap())
        .with_rule(
            Rule::parse(
                "tag_uuid",
                "set-has",
                ["a59ae831-2695-40b1-a9f9-9a26258f5486"],
            )
            .unwrap(),
        );
    let t = |s: &str| s.parse::<Target>().unwrap();
    let m = |s: &str| ReferenceMatcher.contains_target(&scan, &t(s));
    assert_eq!(
        m("WEB01.corp.example."),
        Some(Membership::Rule { rule: 0, term: 0 })
    );
    assert_eq!(m("db-7"), Some(Membership::Rule { rule: 1, term: 0 }));
    assert_eq!(m("10.0.0.200"), Some(Membership::Rule { rule: 2, term: 0 }));
    assert_eq!(
        m("2001:db8::9"),
        Some(Membership::Rule { rule: 3, term: 0 })
    );
    assert_eq!(m("10.0.1.1"), None);
    assert_eq!(m("web02.corp.example"), None);
    // a name that looks like the IP's hostname is still a name
    assert_eq!(m("10-0-0-1"), None);

    // The host knows 10.9.9.9 is web01's address: a SCAN_TARGETS group looks at the
    // target as written only; a MANAGE_ASSETS group with the same rules covers it.
    let asset = Asset::new()
        .with("ipv4", "10.9.9.9")
        .unwrap()
        .with("fqdn", "web01.corp.example")
        .unwrap();
    assert_eq!(
        ReferenceMatcher.contains_target_of_asset(&scan, &t("10.9.9.9"), &asset),
        None
    );
    let manage = scan.clone().with_type(AccessGroupType::ManageAssets);
    assert_eq!(
        ReferenceMatcher.contains_target_of_asset(&manage, &t("10.9.9.9"), &asset),
        Some(Membership::Rule { rule: 0, term: 0 })
    );
    // bare targets: MANAGE_ASSETS treats the target as a one-value asset
    for s in [
        "web01.corp.example",
        "db1",
        "10.0.0.1",
        "10.0.1.1",
        "2001:db8::1",
        "x.y",
    ] {
        let target = t(s);
        assert_eq!(
            ReferenceMatcher.contains_target(&manage, &target),
            ReferenceMatcher.contains_asset(&manage, &Asset::from_target(&target)),
            "{s}"
        );
    }
    let all = AccessGroup::all_assets_group("aa");
    assert_eq!(
        ReferenceMatcher.contains_target(&all, &t("1.2.3.4")),
        Some(Membership::AllAssets)
    );
}

#[test]
fn target_parsing() {
    let ok = |s: &str| s.parse::<Target>().unwrap().to_string();
    assert_eq!(ok("WEB01.Example.com."), "web01.example.com");
    assert_eq!(ok("web-01"), "web-01");
    assert_eq!(ok("my_host"), "my_host");
    assert_eq!(ok("10.0.0.1"), "10.0.0.1");
    assert_eq!(ok("2001:DB8::1"), "2001:db8::1");
    let err = |s: &str| s.parse::<Target>().unwrap_err();
    assert_eq!(err(""), TargetError::Empty);
    assert!(matches!(err("10.0.0.0/24"), TargetError::NotSingle(_)));
    assert!(matches!(
        err("10.0.0.1-10.0.0.5"),
        TargetError::NotSingle(_)
    ));
    assert!(matches!(err("10.0.0.256"), TargetError::BadIpv4(_)));
    assert!(matches!(err("1.2.3.4.5"), TargetError::BadIpv4(_)));
    assert!(matches!(err("fe80::1%eth0"), TargetError::BadIpv6(_)));
    assert!(matches!(err("bad name"), TargetError::BadName(_)));
    assert!(matches!(err("a..b"), TargetError::BadName(_)));
    // A label over 63 characters is refused for its length, naming it.
    assert!(matches!(
        err(&"a".repeat(64)),
        TargetError::TooLong {
            reason: TermError::LabelTooLong { chars: 64, .. },
            ..
        }
    ));
    assert_eq!(
        err("web01!").to_string(),
        "scan target `web01!` is not a host name (letters, digits, `-` and `_` in dot-separated labels of 1-63 characters, at most 253 in all)"
    );
}

fn none() -> &'static [&'static str] {
    &[]
}

#[test]
fn principal_semantics() {
    let view = AccessPermissions::CAN_VIEW;
    let scan = AccessPermissions::CAN_SCAN;
    let g = AccessGroup::new("g", AccessGroupType::ManageAssets)
        .with_principal(Principal::all_users(AccessPermissions::empty()))
        .with_principal(Principal::user("alice", view))
        .with_principal(Principal::group("ops", scan))
        .with_principal(Principal::user("alice", view | scan))
        .with_principal(Principal::new(
            PrincipalKind::Other("access_group".into()),
            Some("x"),
            None,
            view | scan,
        ))
        .with_principal(Principal::new(
            PrincipalKind::User,
            None,
            Some("bob@example.com"),
            view | scan,
        ));
    // first principal in order that holds the permission
    assert!(matches!(
        g.grant("alice", none(), view),
        Some(Grant::Principal { index: 1, .. })
    ));
    assert!(matches!(
        g.grant("alice", none(), scan),
        Some(Grant::Principal { index: 3, .. })
    ));
    assert!(matches!(
        g.grant("carol", &["ops"], scan),
        Some(Grant::Principal { index: 2, .. })
    ));
    // `[]` grants nothing; ids compare exactly; other kinds and name-only principals name nobody
    assert_eq!(g.grant("carol", none(), view), None);
    assert_eq!(g.grant("Alice", none(), view), None);
    assert_eq!(g.grant("x", &["x"], view), None);
    assert_eq!(g.grant("bob@example.com", none(), view), None);
    assert_eq!(g.grant("carol", &["OPS"], scan), None);
    assert_eq!(g.permissions_for("carol", &["ops"]), scan);
    assert_eq!(g.permissions_for("alice", &["ops"]), view | scan);
    assert_eq!(g.grant("alice", none(), AccessPermissions::empty()), None);

    // all_users: true gives everyone CAN_VIEW only and ignores the principals
    let au = g.clone().with_all_users(true);
    assert_eq!(au.grant("zed", none(), view), Some(Grant::AllUsers));
    assert_eq!(au.grant("alice", none(), scan), None);
    assert_eq!(au.permissions_for("alice", &["ops"]), view);

    // a group principal with the nil UUID means all users
    let nil = AccessGroup::new("n", AccessGroupType::ScanTargets).with_principal(Principal::group(
        "00000000-0000-0000-0000-000000000000",
        scan,
    ));
    assert!(matches!(
        nil.grant("anyone", none(), scan),
        Some(Grant::Principal { index: 0, .. })
    ));
    assert_eq!(nil.grant("anyone", none(), view), None);
    // ... but a user principal with the nil UUID is just an id
    let nil_user = AccessGroup::new("n", AccessGroupType::ScanTargets).with_principal(
        Principal::user("00000000-0000-0000-0000-000000000000", scan),
    );
    assert_eq!(nil_user.grant("anyone", none(), scan), None);

    // All Assets: by default everyone views and scans; listed principals replace the default
    let aa = AccessGroup::all_assets_group("aa");
    assert_eq!(
        aa.grant("anyone", none(), view | scan),
        Some(Grant::AllAssetsDefault)
    );
    let aa_listed = aa.clone().with_principal(Principal::user("alice", view));
    assert!(aa_listed.grant("alice", none(), view).is_some());
    assert_eq!(aa_listed.grant("alice", none(), scan), None);
    assert_eq!(aa_listed.grant("bob", none(), view), None);

    // a group whose principals were not listed (list endpoint) grants nothing
    let unlisted = AccessGroup::new("u", AccessGroupType::ManageAssets).with_principals(None);
    assert_eq!(
        unlisted.permissions_for("alice", none()),
        AccessPermissions::empty()
    );
}
