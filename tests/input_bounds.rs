//! Bounded inputs (docs/semantics.md, layer 3, "Lengths"): names follow DNS limits (253
//! characters without one trailing dot, labels of 63) and every other term and asset value is
//! at most 1,024 characters, for asset values, terms of every operator, scan targets and the
//! JSON readers. At the limit is accepted; over it is an error naming the attribute, the
//! length and the limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::access::Requester;
use scangate::{
    AccessGroup, Asset, Target,
    access::{AccessGroupType, AccessGroups, Rule, RuleType},
};
use scangate::{
    AccessGroupError,
    access::{
        AssetError, MAX_DNS_LABEL_CHARS, MAX_DNS_NAME_CHARS, MAX_VALUE_CHARS, RuleError,
        TargetError, TermError, ValueKind,
    },
};

/// A name of exactly 253 characters in labels of 63, 63, 63 and 61.
fn name_253() -> String {
    format!(
        "{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(61)
    )
}

/// The first 64 characters of `text` and `…`, as errors quote input.
fn cut(text: &str) -> String {
    format!("{}…", text.chars().take(64).collect::<String>())
}

const NAME_OPERATORS: [&str; 4] = ["eq", "match", "starts", "ends"];

#[test]
fn the_limits() {
    assert_eq!(MAX_DNS_NAME_CHARS, 253);
    assert_eq!(MAX_DNS_LABEL_CHARS, 63);
    assert_eq!(MAX_VALUE_CHARS, 1_024);
    for rule_type in RuleType::ALL {
        let expected = match rule_type {
            RuleType::Fqdn | RuleType::Hostname => MAX_DNS_NAME_CHARS,
            _ => MAX_VALUE_CHARS,
        };
        assert_eq!(rule_type.kind().max_chars(), expected, "{rule_type}");
    }
    assert_eq!(ValueKind::Name.max_chars(), 253);
}

#[test]
fn asset_names_at_and_over_the_limits() {
    let at = name_253();
    assert_eq!(at.len(), 253);
    for attribute in ["fqdn", "hostname"] {
        // At the limit, with and without the trailing dot, in any case.
        let asset = Asset::new()
            .with(attribute, &at)
            .unwrap()
            .with(attribute, &format!("{}.", at.to_uppercase()))
            .unwrap();
        let rule_type: RuleType = attribute.parse().unwrap();
        let values = asset.values(rule_type);
        assert_eq!(values[0], values[1]);
        assert_eq!(values[0].to_string(), at);

        // One more character: the name's length is the error.
        let over = format!("x{at}");
        let err = Asset::new().with(attribute, &over).unwrap_err();
        assert_eq!(
            err,
            AssetError::BadValue {
                attribute: scangate::access::Attribute::Rule(rule_type),
                value: cut(&over),
                reason: TermError::NameTooLong {
                    chars: 254,
                    max: 253
                },
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "asset attribute `{attribute}` value `{}`: name is 254 characters long, over 253",
                cut(&over)
            )
        );
        // 253 and a trailing dot is the most; a second dot is an empty label, counted.
        assert!(Asset::new().with(attribute, &format!("{at}..")).is_err());

        // A label of 63 is accepted, 64 is not.
        let label_63 = format!("{}.corp.example.com", "l".repeat(63));
        assert!(Asset::new().with(attribute, &label_63).is_ok());
        let label_64 = format!("www.{}.example.com", "l".repeat(64));
        assert_eq!(
            Asset::new()
                .with(attribute, &label_64)
                .unwrap_err()
                .to_string(),
            format!(
                "asset attribute `{attribute}` value `{}`: label `{}` is 64 characters long, over 63",
                cut(&label_64),
                "l".repeat(64)
            )
        );
    }
}

#[test]
fn non_ascii_names_are_counted_in_characters() {
    // 253 two-byte characters (506 bytes) are 253 characters: accepted.
    let name = format!(
        "{}.{}.{}.{}",
        "é".repeat(63),
        "é".repeat(63),
        "é".repeat(63),
        "é".repeat(61)
    );
    assert_eq!(name.chars().count(), 253);
    let asset = Asset::new().with("fqdn", &name).unwrap();
    assert_eq!(asset.values(RuleType::Fqdn)[0].to_string(), name);
    let err = Asset::new().with("fqdn", &format!("é{name}")).unwrap_err();
    assert!(matches!(
        err,
        AssetError::BadValue {
            reason: TermError::NameTooLong {
                chars: 254,
                max: 253
            },
            ..
        }
    ));
    // Uppercase that lowercases longer (`İ` is two characters in lowercase) is measured as
    // written.
    let dotted_i = "İ".repeat(63);
    assert!(Asset::new().with("hostname", &dotted_i).is_ok());
}

#[test]
fn name_terms_of_every_operator_at_and_over_the_limits() {
    let at = name_253();
    for rule_type in ["fqdn", "hostname"] {
        for operator in NAME_OPERATORS {
            for term in [at.clone(), format!("{at}.")] {
                assert!(
                    Rule::parse(rule_type, operator, [&term]).is_ok(),
                    "{rule_type} {operator}"
                );
            }
            let over = format!("{at}x");
            let err = Rule::parse(rule_type, operator, ["ok", &over]).unwrap_err();
            assert_eq!(
                err,
                RuleError::BadTerm {
                    index: 1,
                    term: cut(&over),
                    reason: TermError::NameTooLong {
                        chars: 254,
                        max: 253
                    }
                },
                "{rule_type} {operator}"
            );
            assert_eq!(
                err.to_string(),
                format!(
                    "term 1 `{}`: name is 254 characters long, over 253",
                    cut(&over)
                )
            );
            let label_64 = format!("{}.example.com", "l".repeat(64));
            assert!(
                matches!(
                    Rule::parse(rule_type, operator, [&label_64]),
                    Err(RuleError::BadTerm {
                        reason: TermError::LabelTooLong {
                            chars: 64,
                            max: 63,
                            ..
                        },
                        ..
                    })
                ),
                "{rule_type} {operator}"
            );
        }
    }
}

#[test]
fn terms_at_the_limit_match_values_at_the_limit() {
    let at = name_253();
    let asset = Asset::new().with("fqdn", &format!("{at}.")).unwrap();
    for (operator, term) in [
        ("eq", at.clone()),
        ("starts", at[..200].to_owned()),
        ("ends", at[53..].to_owned()),
        ("match", format!("{}*{}", &at[..100], &at[200..])),
    ] {
        let rule = Rule::parse("fqdn", operator, [&term]).unwrap();
        assert_eq!(rule.first_match(&asset), Some(0), "{operator}");
    }
}

#[test]
fn match_terms_count_a_star_as_one_character_and_as_a_label_end() {
    // 253 characters of which 5 are `*`, runs of 62: accepted; one more `*`: refused.
    let pattern = format!("*{}", format!("{}*", "a".repeat(62)).repeat(4));
    assert_eq!(pattern.len(), 253);
    assert!(Rule::parse("hostname", "match", [&pattern]).is_ok());
    assert!(matches!(
        Rule::parse("hostname", "match", [format!("{pattern}*")]),
        Err(RuleError::BadTerm {
            reason: TermError::NameTooLong {
                chars: 254,
                max: 253
            },
            ..
        })
    ));
    // A `*` may stand for dots: labels of a `match` term are the runs between `.` and `*`.
    let runs_63 = format!("{}*{}", "x".repeat(63), "y".repeat(63));
    let rule = Rule::parse("hostname", "match", [&runs_63]).unwrap();
    let value = format!("{}.{}", "x".repeat(63), "y".repeat(63));
    assert_eq!(
        rule.first_match(&Asset::new().with("hostname", &value).unwrap()),
        Some(0)
    );
    assert!(matches!(
        Rule::parse("hostname", "match", [format!("{}*", "x".repeat(64))]),
        Err(RuleError::BadTerm {
            reason: TermError::LabelTooLong { chars: 64, .. },
            ..
        })
    ));
    // In `eq`, `starts` and `ends` a `*` is a character of its label.
    for operator in ["eq", "starts", "ends"] {
        assert!(
            matches!(
                Rule::parse("hostname", operator, [&runs_63]),
                Err(RuleError::BadTerm {
                    reason: TermError::LabelTooLong { chars: 127, .. },
                    ..
                })
            ),
            "{operator}"
        );
    }
}

#[test]
fn empty_labels_are_accepted_in_terms_and_values() {
    for operator in NAME_OPERATORS {
        assert!(Rule::parse("fqdn", operator, [".corp.example.com"]).is_ok());
        assert!(Rule::parse("fqdn", operator, ["a..b"]).is_ok());
    }
    let asset = Asset::new().with("fqdn", "web..corp.example.com").unwrap();
    let rule = Rule::parse("fqdn", "ends", [".corp.example.com"]).unwrap();
    assert_eq!(rule.first_match(&asset), Some(0));
    // Scan targets keep their stricter syntax.
    assert!(matches!(
        "a..b".parse::<Target>(),
        Err(TargetError::BadName(_))
    ));
}

#[test]
fn scan_targets_at_and_over_the_limits() {
    let at = name_253();
    for written in [at.clone(), format!("{}.", at.to_uppercase())] {
        let target: Target = written.parse().unwrap();
        assert!(target.is_name());
        assert_eq!(target.to_string(), at);
    }
    let over = format!("{at}x");
    let err = over.parse::<Target>().unwrap_err();
    assert_eq!(
        err,
        TargetError::TooLong {
            target: cut(&over),
            reason: TermError::NameTooLong {
                chars: 254,
                max: 253
            }
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "scan target `{}`: name is 254 characters long, over 253",
            cut(&over)
        )
    );
    let label_64 = format!("{}.example.com", "h".repeat(64));
    assert_eq!(
        label_64.parse::<Target>().unwrap_err().to_string(),
        format!(
            "scan target `{}`: label `{}` is 64 characters long, over 63",
            cut(&label_64),
            "h".repeat(64)
        )
    );
    // Checked before anything else: a long address-like target is refused for its length.
    let digits = "1.".repeat(200);
    assert!(matches!(
        digits.parse::<Target>(),
        Err(TargetError::TooLong {
            reason: TermError::NameTooLong { chars: 399, .. },
            ..
        })
    ));
    // Addresses are unaffected.
    assert!(
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
            .parse::<Target>()
            .is_ok()
    );
}

#[test]
fn other_attributes_at_and_over_1024_characters() {
    for rule_type in RuleType::ALL {
        if rule_type.kind() == ValueKind::Name {
            continue;
        }
        let attribute = rule_type.as_str();
        let operator = rule_type.operators()[0];
        let over = "z".repeat(1_025);
        let err = Asset::new().with(attribute, &over).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "asset attribute `{attribute}` value `{}`: value is 1025 characters long, over 1024",
                cut(&over)
            )
        );
        let err = Rule::new(rule_type, operator, [&over]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "term 0 `{}`: value is 1025 characters long, over 1024",
                cut(&over)
            )
        );
        // Free texts take anything up to the limit, however many bytes.
        if matches!(rule_type.kind(), ValueKind::Text | ValueKind::TextNoCase) {
            for at in ["z".repeat(1_024), "ß".repeat(1_024)] {
                let asset = Asset::new().with(attribute, &at).unwrap();
                let rule = Rule::new(rule_type, operator, [&at]).unwrap();
                assert_eq!(rule.first_match(&asset), Some(0), "{attribute}");
            }
        }
    }
}

#[test]
fn real_values_are_well_within_the_limits() {
    let azure = "/subscriptions/5b1a6e2c-5d3f-4f3c-9e1a-0d4b8c2f7a61/resourceGroups/production-web-eastus2-rg/providers/Microsoft.Compute/virtualMachines/web-frontend-vm-001";
    let asset = Asset::new()
        .with("azure_resource_id", azure)
        .unwrap()
        .with(
            "operating_system",
            "Microsoft Windows Server 2019 Datacenter Build 17763",
        )
        .unwrap()
        .with(
            "operating_system",
            "Linux Kernel 3.10.0-957.12.1.el7.x86_64 on CentOS Linux release 7.6.1810 (Core)",
        )
        .unwrap()
        .with("netbios_name", "......SERVER01")
        .unwrap()
        .with("fqdn", "ip-172-31-19-78.ec2.internal")
        .unwrap();
    assert_eq!(asset.values(RuleType::OperatingSystem).len(), 2);
}

#[test]
fn a_100_kb_value_is_refused_with_its_length() {
    let big = "a".repeat(100 * 1024);
    for (attribute, reason) in [
        (
            "fqdn",
            TermError::NameTooLong {
                chars: 102_400,
                max: 253,
            },
        ),
        (
            "hostname",
            TermError::NameTooLong {
                chars: 102_400,
                max: 253,
            },
        ),
        (
            "operating_system",
            TermError::ValueTooLong {
                chars: 102_400,
                max: 1_024,
            },
        ),
        (
            "ipv4",
            TermError::ValueTooLong {
                chars: 102_400,
                max: 1_024,
            },
        ),
    ] {
        let err = Asset::new().with(attribute, &big).unwrap_err();
        assert_eq!(
            err,
            AssetError::BadValue {
                attribute: attribute.parse().unwrap(),
                value: cut(&big),
                reason: reason.clone(),
            }
        );
        let rule_type: RuleType = attribute.parse().unwrap();
        let operator = rule_type.operators()[0];
        assert!(matches!(
            Rule::new(rule_type, operator, [&big]),
            Err(RuleError::BadTerm { reason: r, .. }) if r == reason
        ));
    }
    assert!(matches!(
        big.parse::<Target>(),
        Err(TargetError::TooLong {
            reason: TermError::NameTooLong { chars: 102_400, .. },
            ..
        })
    ));
}

#[test]
fn create_and_edit_name_the_group_rule_and_term() {
    let over = format!("{}.example.com", "n".repeat(250));
    let err = Rule::parse("fqdn", "ends", ["ok.example.com", &over])
        .unwrap_err()
        .in_group("Web", 2);
    assert!(matches!(
        err,
        AccessGroupError::Rule {
            rule: 2,
            source: RuleError::BadTerm {
                index: 1,
                reason: TermError::NameTooLong { chars: 262, .. },
                ..
            },
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "access group `Web` rule 2 term 1 `{}`: name is 262 characters long, over 253",
            cut(&over)
        )
    );
    // A group whose terms are at the limit is created.
    let group = AccessGroup::new("Web", AccessGroupType::ManageAssets)
        .with_id("web")
        .with_rule(Rule::parse("fqdn", "eq", [name_253()]).unwrap());
    assert!(
        AccessGroups::new()
            .create(Requester::Administrator, group)
            .is_ok()
    );
}

#[cfg(feature = "serde")]
mod json {
    use super::*;
    use scangate::{Policy, policy::Request};

    #[test]
    fn a_group_read_with_an_over_long_term_fails_naming_it() {
        let over = "t".repeat(300);
        let group = format!(
            r#"{{"id": "g", "name": "G", "access_group_type": "MANAGE_ASSETS", "rules": [{{"type": "hostname", "operator": "starts", "terms": ["{over}"]}}]}}"#
        );
        let err = serde_json::from_str::<AccessGroup>(&group)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "term 0 `{}`: name is 300 characters long, over 253",
                cut(&over)
            )),
            "{err}"
        );
        let policy = format!(r#"{{"access_groups": [{group}]}}"#);
        let err = Policy::from_json(&policy).unwrap_err().to_string();
        assert!(err.contains("access_groups[0]"), "{err}");
        assert!(
            err.contains("name is 300 characters long, over 253"),
            "{err}"
        );
    }

    #[test]
    fn requests_with_over_long_values_do_not_read() {
        let big = "a".repeat(100 * 1024);
        for (resource, expected) in [
            (
                format!(r#"{{"asset": {{"fqdn": ["{big}"]}}}}"#),
                format!(
                    "asset attribute `fqdn` value `{}`: name is 102400 characters long, over 253",
                    cut(&big)
                ),
            ),
            (
                format!(r#"{{"asset": {{"netbios_name": ["{big}"]}}}}"#),
                format!(
                    "asset attribute `netbios_name` value `{}`: value is 102400 characters long, over 1024",
                    cut(&big)
                ),
            ),
            (
                format!(r#"{{"targets": ["10.0.0.1", "{big}"]}}"#),
                format!(
                    "scan target `{}`: name is 102400 characters long, over 253",
                    cut(&big)
                ),
            ),
        ] {
            let text = format!(
                r#"{{"subject": {{"user": "alice"}}, "action": "asset.view", "resource": {resource}}}"#
            );
            let err = Request::from_json(&text).unwrap_err().to_string();
            assert!(err.contains(&expected), "{err}");
            assert!(err.len() < 300, "{err}");
        }
        // At the limit, the request reads.
        let text = format!(
            r#"{{"subject": {{"user": "alice"}}, "action": "asset.view", "resource": {{"asset": {{"fqdn": ["{}."]}}}}}}"#,
            name_253()
        );
        assert!(Request::from_json(&text).is_ok());
    }
}
