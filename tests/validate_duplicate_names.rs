//! `Policy::validate_json` reports a duplicate access group name even when the earlier
//! group with that name has a problem of its own (an unknown rule type, a bad term, an
//! unknown permission, `all_assets` with a type other than `ALL`): every problem of the
//! file is reported, the earlier group's and the duplicate's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use scangate::{Policy, policy::Problem};

/// A file with `first` as access group 0 and a valid group named `WEB` (a case variant of
/// `first`'s name `Web`) as access group 1.
fn file_with(first: &str) -> String {
    format!(
        r#"{{"access_groups": [
            {first},
            {{"id": "g1", "name": "WEB", "access_group_type": "MANAGE_ASSETS",
              "rules": [{{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"]}}]}}
        ]}}"#
    )
}

fn at<'a>(problems: &'a [Problem], location: &str) -> Vec<&'a Problem> {
    problems.iter().filter(|p| p.location == location).collect()
}

#[track_caller]
fn assert_both_reported(first: &str, first_problem: &str) {
    let problems = Policy::validate_json(&file_with(first));
    let earlier = at(&problems, "access_groups[0]");
    assert!(
        earlier.iter().any(|p| p.message.contains(first_problem)),
        "{problems:#?}"
    );
    let duplicate = at(&problems, "access_groups[1]");
    assert_eq!(duplicate.len(), 1, "{problems:#?}");
    assert_eq!(
        duplicate[0].message,
        "duplicate: access group name `WEB` is already used by access_groups[0] (names are case-insensitive)"
    );
}

#[test]
fn a_duplicate_of_a_group_with_an_unknown_rule_type_is_reported() {
    assert_both_reported(
        r#"{"id": "g0", "name": "Web", "access_group_type": "MANAGE_ASSETS",
            "rules": [{"type": "no_such_type", "operator": "eq", "terms": ["x"]}]}"#,
        "unknown rule type `no_such_type`",
    );
}

#[test]
fn a_duplicate_of_a_group_with_a_bad_term_is_reported() {
    assert_both_reported(
        r#"{"id": "g0", "name": "Web", "access_group_type": "MANAGE_ASSETS",
            "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.0/33"]}]}"#,
        "cidr prefix /33 is over 32",
    );
}

#[test]
fn a_duplicate_of_a_group_with_an_unknown_permission_is_reported() {
    assert_both_reported(
        r#"{"id": "g0", "name": "Web", "access_group_type": "MANAGE_ASSETS",
            "principals": [{"type": "user", "principal_id": "ann", "permissions": ["CAN_FLY"]}]}"#,
        "unknown permission `CAN_FLY`",
    );
}

#[test]
fn a_duplicate_of_an_all_assets_group_of_the_wrong_type_is_reported() {
    assert_both_reported(
        r#"{"id": "g0", "name": "Web", "access_group_type": "SCAN_TARGETS", "all_assets": true}"#,
        "all_assets true goes with `ALL` only",
    );
}

#[test]
fn a_third_group_is_compared_with_the_first_of_the_name() {
    // Both later groups name the first, bad one: the name is taken where it first occurs.
    let text = r#"{"access_groups": [
        {"id": "g0", "name": "Web", "rules": [{"type": "nope", "operator": "eq", "terms": ["x"]}]},
        {"id": "g1", "name": "web"},
        {"id": "g2", "name": "wEb", "rules": [{"type": "nope", "operator": "eq", "terms": ["x"]}]}
    ]}"#;
    let problems = Policy::validate_json(text);
    assert_eq!(at(&problems, "access_groups[0]").len(), 1, "{problems:#?}");
    assert_eq!(
        at(&problems, "access_groups[1]")[0].message,
        "duplicate: access group name `web` is already used by access_groups[0] (names are case-insensitive)"
    );
    let third: Vec<&str> = at(&problems, "access_groups[2]")
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(third.len(), 2, "{problems:#?}");
    assert!(third.iter().any(|m| m.contains("unknown rule type `nope`")));
    assert!(third.contains(
        &"duplicate: access group name `wEb` is already used by access_groups[0] (names are case-insensitive)"
    ));
}

#[test]
fn a_load_still_stops_at_the_first_problem() {
    let text = file_with(
        r#"{"id": "g0", "name": "Web", "rules": [{"type": "nope", "operator": "eq", "terms": ["x"]}]}"#,
    );
    let error = Policy::from_json(&text).unwrap_err();
    assert_eq!(error.0.location, "access_groups[0]");
}
