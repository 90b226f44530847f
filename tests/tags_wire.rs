//! The v3 JSON of permissions, tag values and filters built in code: what is written
//! reads back equal; errors say where; nothing the model does not keep is dropped.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use scangate::tags::{
    AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction, PermissionList,
    PermissionObject, PermissionSubject, PermissionsAnswer, TagFilter, TagKind, TagValue,
    TagValueList,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn back<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Value {
    let written = serde_json::to_value(value).unwrap();
    let read: T = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(&read, value);
    written
}

fn condition(field: &str, operator: &str, value: &str) -> FilterExpr {
    FilterExpr::Condition(FilterCondition::parse(field, operator, value).unwrap())
}

fn nested_filter() -> TagFilter {
    TagFilter::new(FilterExpr::Or(vec![
        FilterExpr::And(vec![
            condition("ipv4", "eq", "10.0.0.0/8, 192.168.1.1-192.168.1.9"),
            condition("operating_system", "nmatch", "windows"),
        ]),
        condition("tag.Location", "set-has", "Paris,Berlin"),
        FilterExpr::And(vec![FilterExpr::Or(vec![condition(
            "sources",
            "set-hasonly",
            "AWS,NESSUS_AGENT",
        )])]),
    ]))
    .unwrap()
}

#[test]
fn built_permissions_and_tags_read_back_equal() {
    let tag = TagValue::dynamic(
        "001a56ef-2039-47c7-9dba-6ae6bd9c17c4".parse().unwrap(),
        "Example",
        "Custom Test",
        nested_filter(),
    )
    .unwrap();
    let written = back(&tag);
    let asset = written["filters"]["asset"].as_str().unwrap();
    assert_eq!(
        asset,
        r#"{"or":[{"and":[{"field":"ipv4","operator":"eq","value":"10.0.0.0/8, 192.168.1.1-192.168.1.9"},{"field":"operating_system","operator":"nmatch","value":"windows"}]},{"field":"tag.Location","operator":"set-has","value":"Paris,Berlin"},{"and":[{"or":[{"field":"sources","operator":"set-hasonly","value":"AWS,NESSUS_AGENT"}]}]}]}"#
    );
    let fixed = TagValue::static_value(
        "e04f4d91-1892-4207-a5c0-58b2a771d454".parse().unwrap(),
        "Site",
        "Lab",
    )
    .unwrap();
    assert_eq!(
        back(&fixed),
        json!({"uuid": "e04f4d91-1892-4207-a5c0-58b2a771d454", "category_name": "Site", "value": "Lab", "type": "static"})
    );
    let p = Permission::new(
        "4c931fce-699c-4052-a43c-c953e71dd37b".parse().unwrap(),
        "Lab",
    )
    .with_actions([PermissionAction::CanView, PermissionAction::CanEditMssp])
    .with_object(PermissionObject::tag(tag.uuid()).with_name("Example:Custom Test"))
    .with_object(PermissionObject::all_assets())
    .with_subject(PermissionSubject::user_group("00000000-0000-0000-0000-000000000000").unwrap())
    .with_subject(PermissionSubject::all_admins());
    assert_eq!(
        back(&p),
        json!({
            "permission_uuid": "4c931fce-699c-4052-a43c-c953e71dd37b",
            "name": "Lab",
            "subjects": [{"type": "UserGroup", "uuid": "00000000-0000-0000-0000-000000000000"}, {"type": "AllAdmins"}],
            "actions": ["CanView", "CanEditMssp"],
            "objects": [{"type": "Tag", "uuid": "001a56ef-2039-47c7-9dba-6ae6bd9c17c4", "name": "Example:Custom Test"}, {"type": "AllAssets"}]
        })
    );
    back(&PermissionList {
        permissions: vec![p.clone()],
    });
    back(&TagValueList {
        values: vec![tag.clone(), fixed.clone()],
        pagination: None,
    });
    let control = AccessControl::new(vec![tag, fixed], vec![p]).unwrap();
    let answer = PermissionsAnswer::from(&control.permissions_for("u", &[] as &[&str]));
    assert_eq!(answer.permissions_granted.len(), 1);
    back(&answer);
    back(&nested_filter());
}

#[test]
fn a_filter_object_reads_as_its_string_and_is_written_as_a_string() {
    let object = json!({"and": [{"field": "ipv4", "operator": "eq", "value": "192.168.0.0/24"}]});
    let tag = |asset: Value| -> TagValue {
        serde_json::from_value(json!({
            "uuid": "001a56ef-2039-47c7-9dba-6ae6bd9c17c4", "category_name": "Example",
            "value": "Custom Test", "type": "dynamic", "filters": {"asset": asset}
        }))
        .unwrap()
    };
    let from_object = tag(object.clone());
    let from_string = tag(json!(object.to_string()));
    assert_eq!(from_object, from_string);
    assert_eq!(
        serde_json::to_value(&from_object).unwrap()["filters"]["asset"],
        json!(object.to_string())
    );
    assert_eq!(from_object.kind(), TagKind::Dynamic);
}

#[test]
fn subject_uuids_are_kept_as_written_and_object_uuids_normalised() {
    let p: Permission = serde_json::from_value(json!({
        "permission_uuid": "4C931FCE-699C-4052-A43C-C953E71DD37B", "name": "x",
        "subjects": [{"type": "User", "uuid": "B83FAEEC-F790-433F-893C-88C48C82562E"}],
        "actions": [], "objects": [{"type": "Tag", "uuid": "55BA39C1-9498-4090-B81A-E17B3A0CCBCB"}]
    }))
    .unwrap();
    let written = back(&p);
    assert_eq!(
        written["permission_uuid"],
        "4c931fce-699c-4052-a43c-c953e71dd37b"
    );
    assert_eq!(
        written["subjects"][0]["uuid"],
        "B83FAEEC-F790-433F-893C-88C48C82562E"
    );
    assert_eq!(
        written["objects"][0]["uuid"],
        "55ba39c1-9498-4090-b81a-e17b3a0ccbcb"
    );
}

#[test]
fn errors_say_where() {
    let error = |v: Value| {
        serde_json::from_value::<PermissionsAnswer>(v)
            .unwrap_err()
            .to_string()
    };
    let good = json!({"permission_uuid": "4c931fce-699c-4052-a43c-c953e71dd37b", "name": "x",
        "subjects": [], "actions": [], "objects": []});
    let mut bad = good.clone();
    bad["subjects"] = json!([{"type": "AllUsers"}, {"type": "User"}]);
    assert_eq!(
        error(json!({"permissions_granted": [good.clone(), bad], "permissions_available": []})),
        "permissions_granted[1].subjects[1]: a `User` needs a uuid"
    );
    assert_eq!(
        error(json!({"permissions_granted": []})),
        "missing key `permissions_available`"
    );
    let mut bad = good.clone();
    bad["objects"] = json!([{"type": "Tag"}]);
    assert_eq!(
        error(json!({"permissions_granted": [], "permissions_available": [bad]})),
        "permissions_available[0].objects[0]: a `Tag` needs a uuid"
    );
    assert_eq!(
        serde_json::from_str::<Permission>("[1]")
            .unwrap_err()
            .to_string(),
        "expected a permission object, found an array"
    );
    // A key twice anywhere is an error (the strict reader), inside metadata too.
    let twice = r#"{"permission_uuid": "4c931fce-699c-4052-a43c-c953e71dd37b", "name": "x",
        "subjects": [], "actions": [], "objects": [], "created_by": {"a": 1, "a": 2}}"#;
    assert!(
        serde_json::from_str::<Permission>(twice)
            .unwrap_err()
            .to_string()
            .contains("duplicate key `a`")
    );
    let tag_error = serde_json::from_value::<TagValue>(json!({
        "uuid": "e04f4d91-1892-4207-a5c0-58b2a771d454", "category_name": "", "value": "x", "type": "static"
    }))
    .unwrap_err()
    .to_string();
    assert!(tag_error.starts_with("category_name: "), "{tag_error}");
    let condition = serde_json::from_value::<FilterCondition>(
        json!({"field": "ipv4", "operator": "eq", "value": "10.0.0.300"}),
    )
    .unwrap_err()
    .to_string();
    assert!(
        condition.starts_with("value: field `ipv4` value 0"),
        "{condition}"
    );
}

#[test]
fn the_enums_are_their_wire_names() {
    for a in PermissionAction::ALL {
        assert_eq!(serde_json::to_value(a).unwrap(), json!(a.as_str()));
        assert_eq!(
            serde_json::from_value::<PermissionAction>(json!(a.as_str())).unwrap(),
            a
        );
    }
    assert!(serde_json::from_value::<PermissionAction>(json!("CAN_VIEW")).is_err());
    assert_eq!(
        serde_json::from_value::<TagKind>(json!("dynamic")).unwrap(),
        TagKind::Dynamic
    );
}
