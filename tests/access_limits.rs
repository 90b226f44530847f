//! Create/edit/delete validation: limits at their boundaries, codes, statuses and messages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use scangate::access::Requester;
use scangate::{
    AccessGroup, AccessGroupError,
    access::{
        AccessGroupType, AccessGroups, AccessPermissions, AllAssetsPart, MAX_ACCESS_GROUPS,
        MAX_RULES_PER_GROUP, MAX_TERMS_PER_RULE, Principal, PrincipalKind, Rule, RuleError,
        TermError,
    },
};

fn draft(name: &str, id: &str) -> AccessGroup {
    AccessGroup::new(name, AccessGroupType::ManageAssets)
        .with_id(id)
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap())
}

fn many(n: usize) -> AccessGroups {
    AccessGroups::from_server((0..n).map(|i| {
        AccessGroup::new(&format!("group {i}"), AccessGroupType::ManageAssets)
            .with_id(&format!("id{i}"))
    }))
}

#[test]
fn five_thousand_groups_then_max_entries() {
    assert_eq!(MAX_ACCESS_GROUPS, 5_000);
    let groups = many(4_999);
    let full = groups
        .create(Requester::Administrator, draft("last", "last"))
        .unwrap();
    assert_eq!(full.len(), 5_000);
    let err = full
        .create(Requester::Administrator, draft("one more", "more"))
        .unwrap_err();
    assert_eq!(err.code(), Some("max_entries"));
    assert_eq!(err.http_status(), 400);
    assert_eq!(
        err.to_string(),
        "max_entries: cannot create access group `one more`: the limit of 5000 access groups is reached"
    );
    // a server may hold more; it is accepted as read, but nothing more can be created
    let over = many(5_001);
    assert_eq!(over.len(), 5_001);
    assert!(matches!(
        over.create(Requester::Administrator, draft("x", "x")),
        Err(AccessGroupError::MaxEntries { .. })
    ));
    // after a delete there is room again
    let room = full.delete(Requester::Administrator, "id0").unwrap();
    assert_eq!(
        room.create(Requester::Administrator, draft("again", "again"))
            .unwrap()
            .len(),
        5_000
    );
}

fn rules(n: usize) -> Vec<Rule> {
    (0..n)
        .map(|i| Rule::parse("hostname", "starts", [format!("h{i}")]).unwrap())
        .collect()
}

#[test]
fn thousand_rules_ok_thousand_and_one_rejected() {
    assert_eq!(MAX_RULES_PER_GROUP, 1_000);
    let ok = draft("rules", "r").with_rules(rules(1_000));
    assert!(ok.validate().is_ok());
    assert!(
        AccessGroups::new()
            .create(Requester::Administrator, ok)
            .is_ok()
    );
    let too_many = draft("rules", "r").with_rules(rules(1_001));
    let err = AccessGroups::new()
        .create(Requester::Administrator, too_many.clone())
        .unwrap_err();
    assert!(matches!(
        err,
        AccessGroupError::TooManyRules { count: 1_001, .. }
    ));
    assert_eq!(
        err.to_string(),
        "access group `rules` has 1001 rules: at most 1000 are allowed"
    );
    assert_eq!(err.code(), None);
    // read back from a server, the same group is accepted as it is
    assert_eq!(AccessGroups::from_server([too_many]).len(), 1);
}

#[test]
fn hundred_thousand_terms_ok_one_more_rejected() {
    assert_eq!(MAX_TERMS_PER_RULE, 100_000);
    let terms: Vec<String> = (0..=100_000u32)
        .map(|i| std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string())
        .collect();
    let ok_rule = Rule::parse("ipv4", "eq", &terms[..100_000]).unwrap();
    let over_rule = Rule::parse("ipv4", "eq", &terms).unwrap();
    let ok = draft("terms", "t").with_rule(ok_rule);
    assert!(ok.validate().is_ok());
    let over = draft("terms", "t").with_rule(over_rule);
    let err = over.validate().unwrap_err();
    assert!(matches!(
        err,
        AccessGroupError::TooManyTerms {
            rule: 1,
            count: 100_001,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "access group `terms` rule 1 has 100001 terms: at most 100000 are allowed"
    );
}

#[test]
fn empty_term_list_rejected_on_create_and_edit() {
    let empty = draft("e", "e").with_rule(Rule::parse("fqdn", "eq", [] as [&str; 0]).unwrap());
    let err = AccessGroups::new()
        .create(Requester::Administrator, empty.clone())
        .unwrap_err();
    assert_eq!(
        err,
        AccessGroupError::EmptyTerms {
            group: "e".into(),
            rule: 1
        }
    );
    let groups = AccessGroups::new()
        .create(Requester::Administrator, draft("e", "e"))
        .unwrap();
    assert_eq!(
        groups
            .edit(Requester::Administrator, "e", empty)
            .unwrap_err()
            .to_string(),
        "access group `e` rule 1 has an empty term list"
    );
}

#[test]
fn names() {
    let ok = |n: &str| scangate::access::validate_access_group_name(n);
    assert!(ok(&"a".repeat(255)).is_ok());
    assert!(ok("Servers (prod) [eu]: web_1-2").is_ok());
    assert_eq!(ok(""), Err(AccessGroupError::EmptyName));
    let long = "b".repeat(256);
    // The name is echoed cut to 64 characters (docs/security.md, bounded echoes).
    assert_eq!(
        ok(&long).unwrap_err().to_string(),
        format!(
            "access group name `{}…` is 256 characters long: at most 255 are allowed",
            &long[..64]
        )
    );
    for (name, bad) in [
        ("a,b", ','),
        ("café", 'é'),
        ("a.b", '.'),
        ("a/b", '/'),
        ("tab\there", '\t'),
        ("x{y}", '{'),
    ] {
        assert_eq!(
            ok(name),
            Err(AccessGroupError::NameBadCharacter {
                group: name.into(),
                character: bad
            }),
            "{name}"
        );
    }
    let err = AccessGroups::new()
        .create(Requester::Administrator, draft("a,b", "x"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "access group name `a,b` contains `,`: only letters, digits, space and `_ - ( ) [ ] :` are allowed"
    );
}

#[test]
fn duplicate_names_are_case_insensitive() {
    let groups = AccessGroups::new()
        .create(Requester::Administrator, draft("Web Servers", "w"))
        .unwrap();
    let err = groups
        .create(Requester::Administrator, draft("WEB servers", "w2"))
        .unwrap_err();
    assert_eq!(err.code(), Some("duplicate"));
    assert_eq!(
        err.to_string(),
        "duplicate: cannot name access group `WEB servers`: access group `Web Servers` already exists (names are case-insensitive)"
    );
    // renaming a group to its own name in another case is fine; to another's name is not
    let groups = groups
        .create(Requester::Administrator, draft("DB", "d"))
        .unwrap();
    assert!(
        groups
            .edit(
                Requester::Administrator,
                "w",
                draft("web SERVERS", "ignored")
            )
            .is_ok()
    );
    let err = groups
        .edit(Requester::Administrator, "d", draft("web servers", "d"))
        .unwrap_err();
    assert_eq!(err.code(), Some("duplicate"));
    // ids are the host's: one is required and must be new
    assert!(matches!(
        groups.create(Requester::Administrator, draft("New", "d")),
        Err(AccessGroupError::DuplicateId { .. })
    ));
    let no_id = AccessGroup::new("No id", AccessGroupType::ScanTargets);
    assert!(matches!(
        groups.create(Requester::Administrator, no_id),
        Err(AccessGroupError::MissingId { .. })
    ));
}

#[test]
fn forbidden_for_non_administrators() {
    let groups = AccessGroups::new()
        .create(Requester::Administrator, draft("G", "g"))
        .unwrap();
    let errs = [
        groups
            .create(Requester::Other, draft("H", "h"))
            .unwrap_err(),
        groups
            .edit(Requester::Other, "g", draft("G2", "g"))
            .unwrap_err(),
        groups.delete(Requester::Other, "g").unwrap_err(),
        // forbidden comes before not found
        groups.delete(Requester::Other, "nope").unwrap_err(),
    ];
    for e in &errs {
        assert_eq!(e.code(), Some("forbidden"));
        assert_eq!(e.http_status(), 403);
    }
    assert_eq!(
        errs[0].to_string(),
        "forbidden: only the administrator can create access groups (access group `H`)"
    );
    assert_eq!(
        errs[2].to_string(),
        "forbidden: only the administrator can delete access groups (access group `g`)"
    );
}

#[test]
fn protected_and_all_assets() {
    let aa = AccessGroup::all_assets_group("aa");
    let groups = AccessGroups::from_server([aa.clone()]);
    // creating an all-assets group, or one of type ALL
    let err = groups
        .create(
            Requester::Administrator,
            AccessGroup::new("Mine", AccessGroupType::ManageAssets)
                .with_id("m")
                .with_all_assets(true),
        )
        .unwrap_err();
    assert_eq!(err.code(), Some("protected"));
    assert_eq!(
        err.to_string(),
        "protected: access group `Mine` cannot have all_assets true or type `ALL`: only the system all assets group has them"
    );
    let err = groups
        .create(
            Requester::Administrator,
            AccessGroup::new("Mine", AccessGroupType::All).with_id("m"),
        )
        .unwrap_err();
    assert_eq!(err.code(), Some("protected"));

    // All Assets: only the principals change
    let with_p = aa
        .clone()
        .with_principal(Principal::group("ops", AccessPermissions::all()));
    let edited = groups.edit(Requester::Administrator, "aa", with_p).unwrap();
    assert_eq!(edited.get("aa").unwrap().principals().len(), 1);
    let err = groups
        .edit(
            Requester::Administrator,
            "aa",
            aa.clone().with_name("Everything"),
        )
        .unwrap_err();
    assert_eq!(
        err,
        AccessGroupError::AllAssetsFixed {
            group: "All Assets".into(),
            part: AllAssetsPart::Name
        }
    );
    assert_eq!(
        err.to_string(),
        "access group `All Assets` is the all assets group: its name cannot be changed"
    );
    let err = groups
        .edit(
            Requester::Administrator,
            "aa",
            aa.clone()
                .with_all_assets(false)
                .with_type(AccessGroupType::ManageAssets),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        AccessGroupError::AllAssetsFixed {
            part: AllAssetsPart::AllAssetsFlag,
            ..
        }
    ));
    let err = groups
        .edit(
            Requester::Administrator,
            "aa",
            aa.clone().with_type(AccessGroupType::ScanTargets),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        AccessGroupError::AllAssetsFixed {
            part: AllAssetsPart::Type,
            ..
        }
    ));
    let err = groups
        .edit(
            Requester::Administrator,
            "aa",
            aa.clone()
                .with_rule(Rule::parse("ipv4", "eq", ["1.1.1.1"]).unwrap()),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "access group `All Assets` has all_assets true and 1 rules: rules are only allowed when all_assets is false"
    );
    let err = groups.delete(Requester::Administrator, "aa").unwrap_err();
    assert_eq!(
        err.to_string(),
        "access group `All Assets` is the all assets group: it cannot be deleted"
    );
    // an edit that omits principals keeps All Assets' default
    let kept = groups
        .edit(Requester::Administrator, "aa", aa.clone())
        .unwrap();
    assert!(!kept.get("aa").unwrap().principals_listed());

    // turning an ordinary group into an all-assets group
    let groups = groups
        .create(Requester::Administrator, draft("G", "g"))
        .unwrap();
    let err = groups
        .edit(
            Requester::Administrator,
            "g",
            draft("G", "g").with_rules(vec![]).with_all_assets(true),
        )
        .unwrap_err();
    assert_eq!(err.code(), Some("protected"));
    let err = groups
        .edit(Requester::Administrator, "nope", draft("G", "g"))
        .unwrap_err();
    assert_eq!(
        (err.http_status(), err.to_string()),
        (404, "access group `nope` not found".to_owned())
    );
}

#[test]
fn principals_on_create() {
    let base = draft("P", "p");
    let ag = base.clone().with_principal(Principal::new(
        PrincipalKind::Other("access_group".into()),
        Some("ag-1"),
        None,
        AccessPermissions::CAN_VIEW,
    ));
    let err = AccessGroups::new()
        .create(Requester::Administrator, ag.clone())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "access group `P` principal 0: type `access_group` is not allowed (an access group cannot be a principal; use `user`, `group` or `all_users`)"
    );
    // with all_users true the principals are ignored, as the API does
    assert!(
        AccessGroups::new()
            .create(Requester::Administrator, ag.with_all_users(true))
            .is_ok()
    );
    let no_id = base.clone().with_principal(Principal::new(
        PrincipalKind::Group,
        None,
        Some("Ops"),
        AccessPermissions::CAN_VIEW,
    ));
    assert!(matches!(
        no_id.validate(),
        Err(AccessGroupError::PrincipalWithoutId { principal: 0, .. })
    ));
    assert!(
        base.with_principal(Principal::all_users(AccessPermissions::empty()))
            .validate()
            .is_ok()
    );
}

#[test]
fn term_errors_name_group_rule_and_term() {
    let e = Rule::parse("ipv4", "eq", ["10.0.0.1", "10.0.0.0/33"])
        .unwrap_err()
        .in_group("Lab", 3);
    assert_eq!(
        e,
        AccessGroupError::Rule {
            group: "Lab".into(),
            rule: 3,
            source: RuleError::BadTerm {
                index: 1,
                term: "10.0.0.0/33".into(),
                reason: TermError::PrefixTooLong {
                    prefix: 33,
                    max: 32
                },
            },
        }
    );
    assert_eq!(
        e.to_string(),
        "access group `Lab` rule 3 term 1 `10.0.0.0/33`: cidr prefix /33 is over 32"
    );
    let e = Rule::parse("tag_uuid", "eq", ["x"])
        .unwrap_err()
        .in_group("Lab", 0);
    assert_eq!(
        e.to_string(),
        "access group `Lab` rule 0: operator `eq` is not allowed for `tag_uuid` (allowed: `set-has`)"
    );
}
