//! The policy file's `tags` and `permissions` (Tenable VM v3): read into the policy's
//! access control, written back by `to_json` (read back equal), every problem reported by
//! `validate` with its location, and `{"tag": "<uuid>"}` resources in requests.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

#[path = "support/example_binary.rs"]
mod example_binary;

use scangate::policy::Request;
use scangate::tags::{MAX_CONDITIONS_PER_FILTER, MAX_FILTER_DEPTH, MAX_VALUES_PER_CONDITION};
use scangate::{Policy, Resource};
use serde_json::{Value, json};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tenable-vm-v3");

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn permissions() -> Value {
    fixture("v3_permissions_list_response.json")["permissions"].clone()
}

fn tags() -> Value {
    json!([
        fixture("tag_value_create_response_dynamic_filters.json"),
        fixture("tag_value_edit_response_dynamic_filters.json"),
        fixture("tag_value_create_response_static.json"),
    ])
}

fn locations(text: &str) -> Vec<(String, String)> {
    Policy::validate_json(text)
        .into_iter()
        .map(|p| (p.location, p.message))
        .collect()
}

const PERMISSION_UUID: &str = "b930505e-bf64-4621-a8bd-6c5eb9c5e628";

fn permission(actions: Value) -> Value {
    json!({
        "permission_uuid": PERMISSION_UUID,
        "name": "All Assets",
        "subjects": [{"type": "AllUsers"}],
        "actions": actions,
        "objects": [{"type": "AllAssets"}]
    })
}

fn dynamic(asset: Value) -> Value {
    json!({
        "uuid": "001a56ef-2039-47c7-9dba-6ae6bd9c17c4",
        "category_name": "Example",
        "value": "Custom Test",
        "type": "dynamic",
        "filters": {"asset": asset}
    })
}

#[test]
fn tags_and_permissions_load_write_back_and_read_back_equal() {
    let text = json!({"tags": tags(), "permissions": permissions()}).to_string();
    assert_eq!(locations(&text), []);
    let policy = Policy::from_json(&text).unwrap();
    let control = policy.access_control();
    assert_eq!(control.tags().len(), 3);
    assert_eq!(control.permissions().len(), 216);
    let written = policy.to_json();
    let loaded = Policy::from_json(&written).unwrap();
    assert_eq!(loaded.access_control(), control);
    assert_eq!(loaded.to_json(), written);
    // Each element is written as the server returned it.
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["tags"], tags());
    assert_eq!(value["permissions"], permissions());
}

#[test]
fn a_policy_without_v3_access_control_writes_no_v3_keys() {
    let written = Policy::default().to_json();
    let value: Value = serde_json::from_str(&written).unwrap();
    assert!(value.get("tags").is_none() && value.get("permissions").is_none());
    // Only tags: no `permissions` key.
    let only_tags = Policy::from_json(&json!({"tags": tags()}).to_string()).unwrap();
    let value: Value = serde_json::from_str(&only_tags.to_json()).unwrap();
    assert!(value.get("permissions").is_none());
    assert_eq!(value["tags"], tags());
}

#[test]
fn validate_names_every_problem_with_its_location() {
    let mut list = permissions();
    let entries = list.as_array_mut().unwrap();
    entries[3]["actions"] = json!(["CanView", "CanFly", 7]);
    entries[4]["subjects"][0]["uuid"] = json!("not-a-uuid");
    entries[5]["objects"][0]["type"] = json!("Asset");
    entries[6]["objects"][0]["colour"] = json!("red");
    entries[7].as_object_mut().unwrap().remove("name");
    let mut bad_tags = tags();
    bad_tags[0]["filters"]["asset"] =
        json!(r#"{"and":[{"field":"ipv5","operator":"eq","value":"10.0.0.1"}]}"#);
    bad_tags[1]["filters"]["asset"] = json!({"and": [
        {"field": "ipv4", "operator": "neq", "value": "10.0.0.1"},
        {"field": "fqdn", "operator": "eq", "value": 7}
    ]});
    bad_tags[2]["type"] = json!("sticky");
    let text = json!({"tags": bad_tags, "permissions": list}).to_string();
    let found = locations(&text);
    let at: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        at,
        [
            "tags[0].filters.asset.and[0].field",
            "tags[1].filters.asset.and[0].operator",
            "tags[1].filters.asset.and[1].value",
            "tags[2].type",
            "permissions[3].actions[1]",
            "permissions[3].actions[2]",
            "permissions[4].subjects[0].uuid",
            "permissions[5].objects[0].type",
            "permissions[6].objects[0].colour",
            "permissions[7]",
        ],
        "{found:#?}"
    );
    let message = |i: usize| found[i].1.as_str();
    assert_eq!(message(0), "unknown filter field `ipv5`");
    assert!(message(1).starts_with("operator `neq` is not allowed for field `ipv4`"));
    assert_eq!(message(2), "expected a string, found a number");
    assert!(message(3).starts_with("unknown tag type `sticky`"));
    assert_eq!(message(4), "unknown permission action `CanFly`");
    assert!(message(6).contains("not a uuid"), "{}", message(6));
    assert_eq!(message(9), "missing key `name`");
    // Loading stops at the first, with its location.
    let error = Policy::from_json(&text).unwrap_err().to_string();
    assert_eq!(
        error,
        "invalid policy: tags[0].filters.asset.and[0].field: unknown filter field `ipv5`"
    );
}

/// Later actions of the client's model are read and kept, and grant nothing: `validate`
/// reports them as it reports unknown `perm*` role fields; loading accepts them.
#[test]
fn later_actions_are_lints_not_errors() {
    let text = json!({"permissions": [permission(json!(["CanView", "CanViewMssp", "CanImpersonateAdmin"]))]})
        .to_string();
    let policy = Policy::from_json(&text).unwrap();
    assert_eq!(policy.access_control().permissions()[0].actions().len(), 3);
    let found = locations(&text);
    let at: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        at,
        ["permissions[0].actions[1]", "permissions[0].actions[2]"]
    );
    assert!(found[0].1.contains("grants nothing"), "{}", found[0].1);
    // Written back as read.
    let value: Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(
        value["permissions"][0]["actions"],
        json!(["CanView", "CanViewMssp", "CanImpersonateAdmin"])
    );
}

/// The 2019 tag list has an entry without `uuid` and `value`: both are reported, at that
/// entry; loading fails there.
#[test]
fn the_2019_entry_without_uuid_is_an_error_at_its_index() {
    let values = fixture("tag_values_list_response_2019.json")["values"].clone();
    let text = json!({ "tags": values }).to_string();
    assert_eq!(
        locations(&text),
        [
            ("tags[1]".to_owned(), "missing key `uuid`".to_owned()),
            ("tags[1]".to_owned(), "missing key `value`".to_owned()),
        ]
    );
    assert_eq!(
        Policy::from_json(&text).unwrap_err().to_string(),
        "invalid policy: tags[1]: missing key `uuid`"
    );
}

#[test]
fn repeated_uuids_name_the_first_use() {
    let text = json!({
        "permissions": [permission(json!(["CanView"])), permission(json!(["CanScan"]))],
        "tags": [tags()[0].clone(), tags()[0].clone()],
    })
    .to_string();
    let found = locations(&text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "tags[1]");
    assert!(
        found[0].1.ends_with("already used by tags[0]"),
        "{}",
        found[0].1
    );
    assert_eq!(found[1].0, "permissions[1]");
    assert_eq!(
        found[1].1,
        format!("duplicate permission uuid `{PERMISSION_UUID}`: already used by permissions[0]")
    );
    assert!(Policy::from_json(&text).is_err());
}

#[test]
fn filter_shape_errors_are_located() {
    let cases = [
        (
            json!({"and": [{"field": "ipv4", "operator": "eq", "value": "10.0.0.1", "negate": true}]}),
            "tags[0].filters.asset.and[0].negate",
            "unknown key",
        ),
        (
            json!({"and": [{"field": "ipv4", "operator": "eq", "value": "10.0.0.1"}], "or": []}),
            "tags[0].filters.asset",
            "a filter level has one key, `and` or `or`",
        ),
        (
            json!({"and": []}),
            "tags[0].filters.asset.and",
            "empty `and` in filter",
        ),
        (
            json!({"field": "ipv4", "operator": "eq", "value": "10.0.0.1"}),
            "tags[0].filters.asset",
            "the top level of a filter must be `and` or `or`",
        ),
        (json!(7), "tags[0].filters.asset", "expected a filter"),
        (
            json!("{\"and\": [}"),
            "tags[0].filters.asset",
            "the filter string is not JSON",
        ),
        (
            json!(
                r#"{"and":[{"field":"ipv4","operator":"eq","value":"1.2.3.4","value":"5.6.7.8"}]}"#
            ),
            "tags[0].filters.asset",
            "duplicate key `value`",
        ),
    ];
    for (asset, location, message) in cases {
        let text = json!({ "tags": [dynamic(asset.clone())] }).to_string();
        let found = locations(&text);
        assert_eq!(found.len(), 1, "{asset}: {found:?}");
        assert_eq!(found[0].0, location, "{asset}");
        assert!(found[0].1.contains(message), "{asset}: {}", found[0].1);
    }
    // `filters` itself: one key, `asset`; a static value has none.
    let mut extra =
        dynamic(json!({"and": [{"field": "ipv4", "operator": "eq", "value": "10.0.0.1"}]}));
    extra["filters"]["webapp"] = json!({});
    assert_eq!(
        locations(&json!({ "tags": [extra] }).to_string())[0].0,
        "tags[0].filters.webapp"
    );
    let mut fixed =
        dynamic(json!({"and": [{"field": "ipv4", "operator": "eq", "value": "10.0.0.1"}]}));
    fixed["type"] = json!("static");
    let found = locations(&json!({ "tags": [fixed] }).to_string());
    assert_eq!(found[0].0, "tags[0].filters");
    assert!(found[0].1.contains("is static but has a filter"));
}

fn nested(depth: usize) -> Value {
    let mut expr = json!({"field": "ipv4", "operator": "eq", "value": "10.0.0.1"});
    for _ in 0..depth {
        expr = json!({ "and": [expr] });
    }
    expr
}

#[test]
fn filter_limits_are_errors() {
    // 16 levels of and/or are allowed, 17 are not.
    let ok = json!({ "tags": [dynamic(nested(MAX_FILTER_DEPTH))] }).to_string();
    assert_eq!(locations(&ok), []);
    let deep = json!({ "tags": [dynamic(nested(MAX_FILTER_DEPTH + 1))] }).to_string();
    let found = locations(&deep);
    assert_eq!(found.len(), 1);
    let expected = format!(
        "tags[0].filters.asset{}.and",
        ".and[0]".repeat(MAX_FILTER_DEPTH)
    );
    assert_eq!(found[0].0, expected);
    assert_eq!(found[0].1, "filter is nested deeper than 16 levels");
    // The same as a string.
    let deep_string = json!({ "tags": [dynamic(json!(nested(MAX_FILTER_DEPTH + 1).to_string()))] });
    assert_eq!(locations(&deep_string.to_string())[0].0, expected);

    let condition = json!({"field": "ipv4", "operator": "eq", "value": "10.0.0.1"});
    let many = json!({"or": vec![condition.clone(); MAX_CONDITIONS_PER_FILTER + 5]});
    let found = locations(&json!({ "tags": [dynamic(many)] }).to_string());
    assert_eq!(found.len(), 1, "reported once: {found:?}");
    assert_eq!(
        found[0].0,
        format!("tags[0].filters.asset.or[{MAX_CONDITIONS_PER_FILTER}]")
    );
    assert!(
        found[0]
            .1
            .starts_with("filter has 1001 conditions, over 1000")
    );
    let enough = json!({"or": vec![condition; MAX_CONDITIONS_PER_FILTER]});
    assert_eq!(
        locations(&json!({ "tags": [dynamic(enough)] }).to_string()),
        []
    );

    let values = vec!["10.0.0.1"; MAX_VALUES_PER_CONDITION + 1].join(",");
    let wide = json!({"and": [{"field": "ipv4", "operator": "eq", "value": values}]});
    let found = locations(&json!({ "tags": [dynamic(wide)] }).to_string());
    assert_eq!(found[0].0, "tags[0].filters.asset.and[0].value");
    assert!(
        found[0].1.contains("lists 1025 values, over 1024"),
        "{}",
        found[0].1
    );
}

/// A filter string nested far past serde_json's recursion limit (128) is an error, not a
/// stack overflow, in a policy file and read on its own.
#[test]
fn a_hostile_nesting_in_the_filter_string_is_an_error() {
    let depth = 100_000;
    let hostile = format!("{}{}", "{\"and\":[".repeat(depth), "]}".repeat(depth));
    let text = json!({ "tags": [dynamic(json!(hostile))] }).to_string();
    let found = locations(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "tags[0].filters.asset");
    assert!(
        found[0].1.contains("recursion limit exceeded"),
        "{}",
        found[0].1
    );
    let error = serde_json::from_value::<scangate::tags::TagValue>(dynamic(json!(hostile)))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("filters.asset: the filter string is not JSON"),
        "{error}"
    );
}

#[test]
fn a_tag_resource_is_read_from_requests() {
    let request = Request::from_json(
        r#"{"subject": {"user": "u"}, "action": "tag.use", "resource": {"tag": "55ba39c1-9498-4090-b81a-e17b3a0ccbcb"}}"#,
    )
    .unwrap();
    match request.resource() {
        Resource::Tag(uuid) => assert_eq!(uuid.to_string(), "55ba39c1-9498-4090-b81a-e17b3a0ccbcb"),
        _ => panic!("not a tag resource"),
    }
    let error = Request::from_json(
        r#"{"subject": {"user": "u"}, "action": "tag.use", "resource": {"tag": "Example:Custom Test"}}"#,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "invalid request: resource `tag`: `Example:Custom Test` is not a uuid (8-4-4-4-12 hex digits)"
    );
    let two = Request::from_json(
        r#"{"subject": {}, "action": "tag.use", "resource": {"tag": "55ba39c1-9498-4090-b81a-e17b3a0ccbcb", "role": "1"}}"#,
    );
    assert!(two.is_err());
}

#[test]
fn the_cli_validate_reports_v3_problems() {
    let mut list = permissions();
    list[3]["actions"] = json!(["CanView", "CanFly"]);
    let text = json!({ "permissions": list }).to_string();
    let path = std::env::temp_dir().join(format!("scangate_policy_v3_{}.json", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let output = std::process::Command::new(example_binary::binary())
        .args(["validate", "--policy", path.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let first: Value = serde_json::from_str(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        first,
        json!({"location": "permissions[3].actions[1]", "message": "unknown permission action `CanFly`"})
    );
}
