//! The policy-file loader (`Policy::from_json`, `Policy::validate_json`): it streams the
//! file, reading access groups and users straight from the JSON, and reads the file again
//! element by element when that fails. These tests hold it to the strictness and the
//! reports of a reader that builds the whole file as JSON first: a duplicate key at any
//! depth stops the load with its position, every bad element is reported with its
//! location, and a large file loads equal to the policy it was written from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

#[path = "../benches/support/index_data.rs"]
mod index_data;
#[path = "../benches/support/policy_file.rs"]
mod policy_file;

use scangate::{AccessGroup, Policy, policy::Problem};

/// A valid access group, so that bad elements sit between good ones.
const GROUP: &str = r#"{"id": "g0", "name": "Web", "access_group_type": "MANAGE_ASSETS",
    "rules": [{"type": "fqdn", "operator": "match", "terms": ["web*.example.com"]}],
    "principals": [{"type": "user", "principal_id": "ann", "permissions": ["CAN_VIEW"]}]}"#;

/// `text` fails to load with a duplicate-key error naming `key` at `line:column` (where
/// `serde_json` puts it: the key's closing quote), and `validate_json` reports that one
/// problem.
#[track_caller]
fn assert_duplicate_at(text: &str, key: &str, line: usize, column: usize) {
    let error = Policy::from_json(text).unwrap_err();
    let location = format!("line {line} column {column}");
    assert_eq!(
        error.0,
        Problem {
            location: location.clone(),
            message: format!("duplicate key `{key}` at {location}"),
        },
        "{text}"
    );
    assert_eq!(Policy::validate_json(text), [error.0]);
}

#[test]
fn duplicate_keys_at_every_depth_stop_the_load() {
    let cases: &[(&str, &str)] = &[
        // An access group: a known field, and a kept metadata field.
        (r#"{"name": "g", "name": "h"}"#, "name"),
        (r#"{"name": "g", "status": "a", "status": "b"}"#, "status"),
        // Inside kept metadata.
        (
            r#"{"name": "g", "meta": {"a": 1, "b": [{"c": 1, "c": 2}]}}"#,
            "c",
        ),
        // A rule: known fields, and fields the reader ignores (and their insides).
        (
            r#"{"name": "g", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"], "terms": ["0.0.0.0/0"]}]}"#,
            "terms",
        ),
        (
            r#"{"name": "g", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"], "note": 1, "note": 2}]}"#,
            "note",
        ),
        (
            r#"{"name": "g", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"], "x": {"y": 1, "y": 1}}]}"#,
            "y",
        ),
        // A principal.
        (
            r#"{"name": "g", "principals": [{"type": "user", "principal_id": "a", "permissions": [], "permissions": ["CAN_SCAN"]}]}"#,
            "permissions",
        ),
        (
            r#"{"name": "g", "principals": [{"type": "user", "principal_id": "a", "extra": 1, "extra": 1}]}"#,
            "extra",
        ),
    ];
    for (group, key) in cases {
        // The bad group after a good one, on a line of its own.
        let text = format!("{{\"access_groups\": [{GROUP},\n{group}]}}");
        let column = group.rfind(&format!("\"{key}\"")).unwrap() + key.len() + 2;
        assert_duplicate_at(&text, key, 4, column);
    }

    // Roles: a permission, the creator, the organization counts, an envelope.
    let roles: &[(&str, &str)] = &[
        (
            r#"{"id": "1000001", "permScan": "none", "permScan": "full"}"#,
            "permScan",
        ),
        (
            r#"{"id": "1000001", "creator": {"id": "1", "username": "a", "username": "b"}}"#,
            "username",
        ),
        (
            r#"{"id": "1000001", "organizationCounts": [{"id": "1", "userCount": "2", "userCount": "3"}]}"#,
            "userCount",
        ),
        (
            r#"{"type": "regular", "response": {"id": "1000001", "id": "1000002"}, "error_code": 0}"#,
            "id",
        ),
    ];
    for (role, key) in roles {
        let text = format!("{{\"access_groups\": [{GROUP}],\n\"roles\": [\n{role}]}}");
        let column = role.rfind(&format!("\"{key}\"")).unwrap() + key.len() + 2;
        assert_duplicate_at(&text, key, 5, column);
    }

    // Users: a known field, and a value holding an object.
    for (user, key) in [
        (r#"{"id": "u", "role": "7", "role": "1"}"#, "role"),
        (
            r#"{"id": "u", "role": "7", "groups": [], "groups": ["g"]}"#,
            "groups",
        ),
        (r#"{"id": "u", "role": {"a": 1, "a": 2}}"#, "a"),
    ] {
        let text = format!("{{\"access_groups\": [{GROUP}],\n\"users\": [\n{user}]}}");
        let column = user.rfind(&format!("\"{key}\"")).unwrap() + key.len() + 2;
        assert_duplicate_at(&text, key, 5, column);
    }

    // The top level.
    let text = "{\"users\": [],\n\"users\": []}";
    let error = Policy::from_json(text).unwrap_err();
    assert_eq!(error.0.location, "line 2 column 7");
    assert_eq!(
        error.0.message,
        "duplicate field `users` at line 2 column 7"
    );
    let text = "{\"users\": [], \"extra\": []}";
    let error = Policy::from_json(text).unwrap_err();
    assert!(
        error.0.message.starts_with(
            "unknown field `extra`, expected one of `roles`, `access_groups`, `users`"
        ),
        "{error}"
    );
}

#[test]
fn a_duplicate_key_is_found_after_an_element_that_does_not_convert() {
    // The first group does not convert (an unknown rule type); the duplicate key after it
    // still stops the load, as it would in a file read whole.
    let text = "{\"access_groups\": [{\"name\": \"a\", \"rules\": [{\"type\": \"ipv5\", \"operator\": \"eq\", \"terms\": [\"1\"]}]},\n{\"name\": \"b\", \"name\": \"c\"}]}";
    assert_duplicate_at(text, "name", 2, 20);
    // Likewise inside the element that does not convert, after the problem.
    let text = "{\"access_groups\": [\n{\"rules\": [{\"type\": \"ipv5\", \"operator\": \"eq\", \"terms\": [\"1\"]}], \"q\": 1, \"q\": 2}]}";
    assert_duplicate_at(text, "q", 2, 75);
}

#[test]
fn validate_reports_every_bad_element_with_its_location() {
    let text = format!(
        r#"{{
  "users": [
    {{"id": "ann", "role": "2"}},
    {{"id": "bob", "role": "2", "team": "x"}},
    {{"id": "cy", "role": "abc"}}
  ],
  "access_groups": [
    {GROUP},
    {{"name": "Bad CIDR", "rules": [{{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.0/33"]}}]}},
    {GROUP},
    {{"name": "No rule type", "rules": [{{"operator": "eq", "terms": ["x"]}}]}},
    {{"name": "Bad permission", "principals": [{{"type": "user", "principal_id": "a", "permissions": ["CAN_FLY"]}}]}},
    {{"name": "Typed all", "all_assets": true, "access_group_type": "MANAGE_ASSETS"}}
  ],
  "roles": [
    {{"id": "1000001", "name": "Fine", "permFuture": "true"}},
    {{"id": "1000002", "permScan": "sometimes"}},
    {{"name": "No id"}}
  ]
}}"#
    );
    let problems = Policy::validate_json(&text);
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "roles[1]",
                "role field `permScan` has invalid value `\"sometimes\"`; expected `\"full\"`, `\"policy\"` or `\"none\"`"
            ),
            ("roles[2]", "role JSON is missing `id`"),
            (
                "access_groups[1]",
                "access group `Bad CIDR` rule 0 term 0 `10.0.0.0/33`: cidr prefix /33 is over 32"
            ),
            ("access_groups[3]", "missing field `type`"),
            (
                "access_groups[4]",
                "access group `Bad permission` principal 0: unknown permission `CAN_FLY` (expected `CAN_VIEW` or `CAN_SCAN`)"
            ),
            (
                "access_groups[5]",
                "access group `Typed all` has all_assets true but access_group_type `MANAGE_ASSETS`: all_assets true goes with `ALL` only"
            ),
            (
                "users[1]",
                "unknown field `team`, expected one of `id`, `role`, `groups`"
            ),
            (
                "users[2]",
                "role field `id` has invalid value `\"abc\"`; expected a string of digits"
            ),
            (
                "roles[0].permFuture",
                "unknown permission field (ignored: grants nothing)"
            ),
            (
                "access_groups[2]",
                "duplicate: access group name `Web` is already used by access_groups[0] (names are case-insensitive)"
            ),
        ]
    );
    // Loading stops at the first of them.
    assert_eq!(Policy::from_json(&text).unwrap_err().0, problems[0]);
}

#[test]
fn a_large_generated_file_loads_equal_to_its_policy() {
    let policy = policy_file::policy(5000, 10, 300).unwrap();
    let text = policy.to_json();
    assert!(text.len() > 9_000_000, "{}", text.len());
    let loaded = Policy::from_json(&text).unwrap();
    assert_eq!(loaded.access_groups().len(), 5000);
    assert_eq!(loaded.users().count(), 300);
    assert_eq!(loaded.to_json(), text);
    assert_eq!(Policy::validate_json(&text), []);

    // One bad group at the end: reported alone, with its location.
    let at = text
        .rfind(r#""access_group_type": "MANAGE_ASSETS""#)
        .unwrap();
    let mut bad = text.clone();
    bad.replace_range(at..at + 36, r#""access_group_type": "MANAGE_ALL!!""#);
    let problems = Policy::validate_json(&bad);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location, "access_groups[4999]");
    assert!(
        problems[0].message.contains("`MANAGE_ALL!!`"),
        "{}",
        problems[0].message
    );
    // A duplicate key there stops the load, with its position.
    let mut duplicate = text.clone();
    duplicate.insert_str(at, r#""access_group_type": "ALL", "#);
    let error = Policy::from_json(&duplicate).unwrap_err();
    assert!(
        error
            .0
            .message
            .starts_with("duplicate key `access_group_type` at line "),
        "{error}"
    );
}

#[test]
fn groups_load_as_access_group_reads_them() {
    // Shapes the streaming reader must read as `AccessGroup::deserialize` does: v1 (no
    // type), `null` fields, `principals` absent, `null` and listed, `permissions` absent
    // and `null`, kept metadata of every JSON kind, ignored rule and principal fields.
    let groups = [
        r#"{"id": "a", "name": "All Assets", "all_assets": true}"#,
        r#"{"name": "v1", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"]}]}"#,
        r#"{"id": null, "name": "nulls", "access_group_type": null, "all_assets": null, "all_users": null, "rules": null, "principals": null}"#,
        r#"{"name": "principals", "access_group_type": "SCAN_TARGETS", "all_users": true, "principals": [
            {"type": "user", "principal_id": "a"},
            {"type": "group", "principal_name": "team", "permissions": null},
            {"type": "user", "principal_id": "b", "principal_name": "Bee", "permissions": ["CAN_VIEW", "CAN_SCAN"], "ignored": [1, {"x": null}]}]}"#,
        r#"{"name": "meta", "status": "COMPLETED", "version": 3, "ratio": 1.5, "neg": -7, "flag": false, "none": null,
            "list": [1, "two", {"three": [3]}], "created_at": "2021-01-01T00:00:00Z",
            "rules": [{"type": "fqdn", "operator": "ends", "terms": [".example.com", ".example.org"], "note": {"a": 1}}]}"#,
    ];
    let text = format!(r#"{{"access_groups": [{}]}}"#, groups.join(", "));
    let loaded = Policy::from_json(&text).unwrap();
    let read: Vec<&AccessGroup> = loaded.access_groups().iter().collect();
    assert_eq!(read.len(), groups.len());
    for (group, text) in read.iter().zip(groups) {
        let alone: AccessGroup = serde_json::from_str(text).unwrap();
        assert_eq!(**group, alone, "{text}");
    }
}
