//! Every file in tests/fixtures/tenable-vm-v3 is read here: permissions, tag values and
//! their filters, the per-user answers, the filter field list, and the tag, category,
//! assignment and asset-search exchanges around them.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use std::collections::{BTreeMap, BTreeSet};

use scangate::Asset;
use scangate::access::{ApiErrorBody, RuleType, Uuid};
use scangate::tags::{
    AccessControl, Field, FilterField, MAX_TAG_NAME_CHARS, ObjectKind, Permission,
    PermissionAction, PermissionList, PermissionsAnswer, SubjectKind, TAG_FIELD_OPERATORS,
    TagFilter, TagKind, TagValue, TagValueList,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tenable-vm-v3");

const USER: &str = "b83faeec-f790-433f-893c-88c48c82562e";
const NIL: &str = "00000000-0000-0000-0000-000000000000";

fn text(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap()
}

/// Reads `name` as a `T`, and checks that writing it gives back the recorded JSON value
/// and that what is written reads back equal.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str) -> T {
    let read: T = serde_json::from_str(&text(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(written, json(name), "{name}: written differs from recorded");
    let back: T = serde_json::from_value(written).unwrap();
    assert_eq!(back, read, "{name}: read back differs");
    read
}

fn uuid(text: &str) -> Uuid {
    text.parse().unwrap()
}

const PERMISSION_RESPONSES: &[&str] = &[
    "v3_permission_details_response_tag_default_permissions.json",
    "v3_permission_create_response_tag_user.json",
    "v3_permission_details_response_after_update.json",
];
/// Request bodies and the response of the same exchange (or the GET after it).
const PERMISSION_REQUESTS: &[(&str, &str)] = &[
    (
        "v3_permission_create_request_tag_user.json",
        "v3_permission_create_response_tag_user.json",
    ),
    (
        "v3_permission_update_request_actions_canview.json",
        "v3_permission_details_response_after_update.json",
    ),
];
const PERMISSION_LISTS: &[&str] = &[
    "v3_permissions_list_response.json",
    "v3_permissions_list_excerpt_nontag_and_canscan_entries.json",
];
const ANSWERS: &[&str] = &[
    "v3_permissions_user_response.json",
    "v3_permissions_user_group_all_users_response.json",
    "v3_permissions_current_user_me_response.json",
];
const PERMISSION_OTHER: &[&str] = &[
    "v3_permission_details_response_404.json",
    "v3_permissions_list_summary_derived.json",
    "v3_permission_model_derived.json",
];
const FILTER_DEFINITIONS: &[&str] = &[
    "tags_asset_filters_response.json",
    "tags_asset_filters_response_2021-05.json",
    "tags_asset_filters_fields_operators_derived.json",
];
const TAG_RESPONSES: &[&str] = &[
    "tag_value_create_response_dynamic_filters.json",
    "tag_value_details_response_dynamic.json",
    "tag_value_edit_response_dynamic_filters.json",
    "tag_value_details_response_dynamic_2021-06.json",
    "tag_value_edit_response_resend_existing_filters.json",
    "tag_value_create_response_static.json",
    "tag_value_edit_response_static_rename.json",
    "tag_value_create_response_default_acl_can_use_2021-04.json",
];
/// Request bodies and the response of the same exchange.
const TAG_REQUESTS: &[(&str, &str)] = &[
    (
        "tag_value_create_request_dynamic_filters.json",
        "tag_value_create_response_dynamic_filters.json",
    ),
    (
        "tag_value_edit_request_dynamic_filters_single_ip.json",
        "tag_value_edit_response_dynamic_filters.json",
    ),
    (
        "tag_value_edit_request_resend_existing_filters.json",
        "tag_value_edit_response_resend_existing_filters.json",
    ),
    (
        "tag_value_create_request_static.json",
        "tag_value_create_response_static.json",
    ),
    (
        "tag_value_edit_request_static_rename.json",
        "tag_value_edit_response_static_rename.json",
    ),
    (
        "tag_value_create_request_no_access_control_2021-04.json",
        "tag_value_create_response_default_acl_can_use_2021-04.json",
    ),
];
const TAG_OTHER: &[&str] = &[
    "tag_values_list_response.json",
    "tag_values_list_response_2019.json",
    "tag_values_delete_requests_request_bulk.json",
    "tag_value_filters_and_acl_model_derived.json",
];
const CATEGORY_FILES: &[&str] = &[
    "tag_categories_filter_categories_response.json",
    "tag_categories_list_response.json",
    "tag_category_create_request.json",
    "tag_category_create_response.json",
    "tag_category_details_response.json",
    "tag_category_edit_request_rename.json",
    "tag_category_edit_response_rename.json",
];
const ASSIGNMENT_FILES: &[&str] = &[
    "tag_assets_assignments_request_add.json",
    "tag_assets_assignments_response_add.json",
    "tag_assets_assignments_request_remove.json",
    "tag_assets_assignments_response_remove.json",
];
const ASSET_FILES: &[&str] = &[
    "v1_asset_details_response_empty_tags.json",
    "v3_assets_host_search_response_with_tags.json",
    "v3_assets_search_request_os_sources_types.json",
    "v3_assets_search_response_with_dynamic_tags.json",
    "v3_assets_webapp_search_request_filter_by_tag_uuid.json",
    "v3_assets_webapp_search_response_with_static_tag.json",
    "asset_tag_shapes_derived.json",
];

#[test]
fn every_fixture_is_covered_by_a_test_and_documented() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let pairs = |list: &[(&'static str, &'static str)]| -> Vec<&'static str> {
        list.iter().map(|(request, _)| *request).collect()
    };
    let covered: BTreeSet<String> = [
        PERMISSION_RESPONSES,
        &pairs(PERMISSION_REQUESTS),
        PERMISSION_LISTS,
        ANSWERS,
        PERMISSION_OTHER,
        FILTER_DEFINITIONS,
        TAG_RESPONSES,
        &pairs(TAG_REQUESTS),
        TAG_OTHER,
        CATEGORY_FILES,
        ASSIGNMENT_FILES,
        ASSET_FILES,
    ]
    .concat()
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(on_disk, covered);
    assert_eq!(on_disk.len(), 52);
    let sources = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/SOURCES.md"
    ))
    .unwrap();
    let section = sources
        .split("## tenable-vm-v3/")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    for name in &on_disk {
        assert!(
            section.contains(&format!("| `{name}` |")),
            "{name} is not in the tenable-vm-v3 section of SOURCES.md"
        );
    }
}

// --- permissions -------------------------------------------------------------------------

#[test]
fn permission_responses_read_and_write_back_the_recorded_json() {
    for name in PERMISSION_RESPONSES {
        let p: Permission = round_trip(name);
        assert_eq!(p.objects().len(), 1, "{name}");
        assert_eq!(p.objects()[0].kind(), ObjectKind::Tag, "{name}");
        assert!(p.metadata().get("created_at").is_some(), "{name}");
    }
    let default: Permission = round_trip(PERMISSION_RESPONSES[0]);
    assert_eq!(
        default.actions(),
        [PermissionAction::CanUse, PermissionAction::CanEdit]
    );
    assert!(default.subjects()[0].is_everyone(), "All Users group");
    assert_eq!(default.subjects()[1].kind(), SubjectKind::User);
    assert_eq!(
        default.objects()[0].uuid(),
        Some(uuid("55ba39c1-9498-4090-b81a-e17b3a0ccbcb"))
    );
    assert_eq!(default.metadata().get("created_by"), Some(&json!("SYSTEM")));
    // Keys are written in the server's order: uuid, name, subjects, actions, objects.
    let written = serde_json::to_string(&default).unwrap();
    let positions: Vec<usize> = [
        "\"permission_uuid\"",
        "\"name\"",
        "\"subjects\"",
        "\"actions\"",
        "\"objects\"",
        "\"created_at\"",
    ]
    .iter()
    .map(|k| written.find(k).unwrap())
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{written}");
}

/// A create or update body has no `permission_uuid`: it is not a permission. With the
/// uuid the server gave it, it reads as the permission the server answered, but for the
/// names the server rewrote (subject: the real user name; object: `Category:Value`).
#[test]
fn permission_requests_are_the_answered_permissions_but_for_names() {
    for (request, response) in PERMISSION_REQUESTS {
        let error = serde_json::from_str::<Permission>(&text(request)).unwrap_err();
        assert!(
            error.to_string().contains("missing key `permission_uuid`"),
            "{request}: {error}"
        );
        let answered: Permission = serde_json::from_str(&text(response)).unwrap();
        let mut body = json(request);
        body["permission_uuid"] = json!(answered.uuid().to_string());
        let sent: Permission = serde_json::from_value(body).unwrap();
        assert_eq!(sent.name(), answered.name(), "{request}");
        assert_eq!(sent.actions(), answered.actions(), "{request}");
        let kinds = |p: &Permission| {
            (
                p.objects()
                    .iter()
                    .map(|o| (o.kind(), o.uuid()))
                    .collect::<Vec<_>>(),
                p.subjects()
                    .iter()
                    .map(|s| (s.kind(), s.uuid().map(str::to_owned)))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(kinds(&sent), kinds(&answered), "{request}");
        assert_eq!(sent.objects()[0].name(), Some("Category,dummy_value"));
        assert_eq!(answered.objects()[0].name(), Some("Category:dummy_value"));
        assert_eq!(sent.subjects()[0].name(), Some("User sub"));
        assert_eq!(answered.subjects()[0].name(), Some("admin_a@sandbox.a.io"));
    }
}

fn full_list() -> Vec<Permission> {
    let list: PermissionList = round_trip(PERMISSION_LISTS[0]);
    list.permissions
}

#[test]
fn the_216_permission_list_reads_into_an_access_control() {
    let permissions = full_list();
    assert_eq!(permissions.len(), 216);
    let control = AccessControl::new(vec![], permissions).unwrap();
    assert_eq!(control.permissions().len(), 216);
    let admins = &control.permissions()[0];
    assert_eq!(admins.name(), "Administrators");
    assert_eq!(admins.uuid(), Uuid::NIL);
    assert!(admins.metadata().is_empty(), "no created_*/updated_* keys");
    // Every action recorded grants something here: no later action is in the list.
    assert!(
        control
            .permissions()
            .iter()
            .flat_map(Permission::actions)
            .all(|a| a.grants())
    );
}

#[test]
fn the_excerpt_is_verbatim_entries_of_the_list() {
    let list = full_list();
    let excerpt: PermissionList = round_trip(PERMISSION_LISTS[1]);
    assert_eq!(excerpt.permissions.len(), 4);
    for p in &excerpt.permissions {
        let in_list = list.iter().find(|q| q.uuid() == p.uuid()).unwrap();
        assert_eq!(in_list, p);
        let notable = p.objects().iter().any(|o| o.kind() != ObjectKind::Tag)
            || p.subjects()
                .iter()
                .any(|s| matches!(s.kind(), SubjectKind::AllUsers | SubjectKind::AllAdmins))
            || p.actions().contains(&PermissionAction::CanScan);
        assert!(notable, "{}", p.name());
    }
}

/// The derived summary's counts, computed again from the list as read.
#[test]
fn the_list_summary_counts_what_the_list_holds() {
    let list = full_list();
    let summary = json("v3_permissions_list_summary_derived.json");
    assert_eq!(summary["permission_count"], json!(list.len()));
    let count = |keys: Vec<String>| -> Value {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
        serde_json::to_value(counts).unwrap()
    };
    let objects = list
        .iter()
        .flat_map(|p| p.objects().iter().map(|o| o.kind().as_str().to_owned()))
        .collect();
    assert_eq!(count(objects), summary["object_types"]);
    let subjects = list
        .iter()
        .flat_map(|p| p.subjects().iter().map(|s| s.kind().as_str().to_owned()))
        .collect();
    assert_eq!(count(subjects), summary["subject_types"]);
    let actions = list
        .iter()
        .map(|p| {
            p.actions()
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    assert_eq!(count(actions), summary["action_combinations"]);
    let per = |n: usize| n.to_string();
    assert_eq!(
        count(list.iter().map(|p| per(p.objects().len())).collect()),
        summary["objects_per_permission"]
    );
    assert_eq!(
        count(list.iter().map(|p| per(p.subjects().len())).collect()),
        summary["subjects_per_permission"]
    );
}

fn answer(name: &str) -> PermissionsAnswer {
    round_trip(name)
}

/// The per-user answer is what `permissions_for` computes from the permissions it lists
/// plus the built-in Administrators permission (listed in neither).
#[test]
fn the_per_user_answer_is_permissions_for_the_user() {
    let recorded = answer(ANSWERS[0]);
    assert_eq!(recorded.permissions_granted.len(), 210);
    assert_eq!(recorded.permissions_available.len(), 3);
    let admins = full_list()
        .into_iter()
        .find(|p| p.name() == "Administrators")
        .unwrap();
    let permissions: Vec<Permission> = recorded
        .permissions_granted
        .iter()
        .chain(&recorded.permissions_available)
        .cloned()
        .chain([admins])
        .collect();
    let control = AccessControl::new(vec![], permissions).unwrap();
    let computed = control.permissions_for(USER, &[] as &[&str]);
    let uuids = |ps: &[Permission]| ps.iter().map(Permission::uuid).collect::<Vec<_>>();
    let computed_uuids = |ps: &[&Permission]| ps.iter().map(|p| p.uuid()).collect::<Vec<_>>();
    assert_eq!(
        computed_uuids(&computed.granted),
        uuids(&recorded.permissions_granted)
    );
    assert_eq!(
        computed_uuids(&computed.available),
        uuids(&recorded.permissions_available)
    );
    assert!(recorded.agrees_with(&computed));
    // The full subject lists: the computed answer, written, is the recorded one.
    assert_eq!(PermissionsAnswer::from(&computed), recorded);
    // Another user is granted only what everyone is.
    let other = control.permissions_for("65b4e207-23a9-4338-996b-d075d813b03a", &[] as &[&str]);
    assert!(!recorded.agrees_with(&other));
}

#[test]
fn the_all_users_group_answer_is_permissions_for_the_group() {
    let recorded = answer(ANSWERS[1]);
    assert_eq!(recorded.permissions_granted.len(), 52);
    assert_eq!(recorded.permissions_available.len(), 161);
    let admins = full_list()
        .into_iter()
        .find(|p| p.uuid() == Uuid::NIL)
        .unwrap();
    let permissions: Vec<Permission> = recorded
        .permissions_granted
        .iter()
        .chain(&recorded.permissions_available)
        .cloned()
        .chain([admins])
        .collect();
    let control = AccessControl::new(vec![], permissions).unwrap();
    let computed = control.permissions_for_group(NIL);
    assert!(recorded.agrees_with(&computed));
    assert_eq!(PermissionsAnswer::from(&computed), recorded);
}

/// `users/me` lists the same granted permissions as the per-user call for the same user,
/// with each subject list cut to the caller and everyone (so only the uuids agree).
#[test]
fn users_me_grants_what_the_per_user_call_grants() {
    let me = answer(ANSWERS[2]);
    let user = answer(ANSWERS[0]);
    assert!(me.permissions_available.is_empty());
    let uuids = |ps: &[Permission]| ps.iter().map(Permission::uuid).collect::<Vec<_>>();
    assert_eq!(
        uuids(&me.permissions_granted),
        uuids(&user.permissions_granted)
    );
    let shorter = me
        .permissions_granted
        .iter()
        .zip(&user.permissions_granted)
        .filter(|(m, u)| m.subjects().len() < u.subjects().len())
        .count();
    assert_eq!(shorter, 161);
    for p in &me.permissions_granted {
        assert!(p.subject_for(USER, &[] as &[&str], false).is_some());
    }
}

#[test]
fn the_404_body_is_an_error_body_and_not_a_permission() {
    let name = PERMISSION_OTHER[0];
    let body: ApiErrorBody = serde_json::from_str(&text(name)).unwrap();
    assert_eq!(body.error, "Not Found");
    assert_eq!(body.http_status(), None, "not an `HTTP <status>` message");
    let error = serde_json::from_str::<Permission>(&text(name)).unwrap_err();
    assert!(error.to_string().contains("missing key `permission_uuid`"));
}

fn literals(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_client_model_has_our_actions_objects_and_subjects() {
    let model = json("v3_permission_model_derived.json");
    let latest = &model["models_latest"];
    let actions: BTreeSet<&str> = latest["ACActions (lines 34-44)"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let ours: BTreeSet<&str> = PermissionAction::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(actions, ours);
    // The earlier model had exactly the actions that grant something here.
    let earlier: BTreeSet<&str> = model["models_earlier"]["ACActions (line 31)"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let granting: BTreeSet<&str> = PermissionAction::ALL
        .iter()
        .filter(|a| a.grants())
        .map(|a| a.as_str())
        .collect();
    assert_eq!(earlier, granting);
    let object_types = literals(
        latest["AccessControlPermObj (lines 182-189)"]["type"]
            .as_str()
            .unwrap(),
    );
    let ours: BTreeSet<String> = [
        ObjectKind::Tag,
        ObjectKind::AllAssets,
        ObjectKind::AllObjects,
    ]
    .iter()
    .map(|k| k.as_str().to_owned())
    .collect();
    assert_eq!(object_types, ours);
    let subject_types = literals(
        latest["AccessControlSubject (lines 192-197)"]["type"]
            .as_str()
            .unwrap(),
    );
    let ours: BTreeSet<String> = [
        SubjectKind::User,
        SubjectKind::UserGroup,
        SubjectKind::AllUsers,
        SubjectKind::AllAdmins,
    ]
    .iter()
    .map(|k| k.as_str().to_owned())
    .collect();
    assert_eq!(subject_types, ours);
    // The client omits absent names and uuids, as the writer does.
    let mut body =
        model["client_test_payloads"]["create_request_match_json (test_permission_create)"].clone();
    body["permission_uuid"] = json!("12345678-1234-1234-1234-123456789012");
    let p: Permission = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&p).unwrap(), body);
    assert_eq!(p.objects()[0].kind(), ObjectKind::AllAssets);
}

// --- filter fields -----------------------------------------------------------------------

fn definitions(name: &str) -> Vec<(String, Vec<String>)> {
    json(name)["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let operators = f["operators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap().to_owned())
                .collect();
            (f["name"].as_str().unwrap().to_owned(), operators)
        })
        .collect()
}

/// The server's filter list names exactly the table's 32 fields, each with exactly its
/// operators, plus one `tag.<Category>` field taking `TAG_FIELD_OPERATORS`.
#[test]
fn the_filter_lists_are_the_field_table() {
    for name in &FILTER_DEFINITIONS[..2] {
        let listed = definitions(name);
        assert_eq!(listed.len(), 33, "{name}");
        let mut fixed = BTreeMap::new();
        let mut tag_fields = Vec::new();
        for (field, operators) in listed {
            match field
                .parse::<Field>()
                .unwrap_or_else(|e| panic!("{name}: {e}"))
            {
                Field::Fixed(f) => {
                    assert!(
                        fixed.insert(f, operators).is_none(),
                        "{name}: {field} twice"
                    );
                }
                Field::TagCategory(c) => tag_fields.push((c, operators)),
            }
        }
        for f in FilterField::ALL {
            let ours: Vec<&str> = f.operators().iter().map(|o| o.as_str()).collect();
            assert_eq!(
                fixed
                    .get(&f)
                    .unwrap_or_else(|| panic!("{name}: {f} missing")),
                &ours,
                "{name}: {f}"
            );
        }
        assert_eq!(fixed.len(), 32, "{name}");
        let tag_ops: Vec<&str> = TAG_FIELD_OPERATORS.iter().map(|o| o.as_str()).collect();
        assert_eq!(tag_fields.len(), 1, "{name}");
        assert_eq!(&*tag_fields[0].0, "Test");
        assert_eq!(tag_fields[0].1, tag_ops, "{name}");
    }
}

#[test]
fn the_derived_field_table_agrees_with_the_response() {
    let derived = definitions(FILTER_DEFINITIONS[2]);
    let response = definitions(FILTER_DEFINITIONS[0]);
    assert_eq!(derived, response);
    let usage = &json(FILTER_DEFINITIONS[2])["operator_usage"];
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (_, operators) in &response {
        for o in operators {
            *counts.entry(o.clone()).or_default() += 1;
        }
    }
    assert_eq!(&serde_json::to_value(counts).unwrap(), usage);
}

// --- tag values --------------------------------------------------------------------------

fn tag(name: &str) -> TagValue {
    round_trip(name)
}

#[test]
fn tag_value_responses_read_and_write_back_the_recorded_json() {
    for name in TAG_RESPONSES {
        let t = tag(name);
        let recorded = json(name);
        assert_eq!(t.uuid(), uuid(recorded["uuid"].as_str().unwrap()));
        assert_eq!(t.category(), recorded["category_name"]);
        assert_eq!(t.value(), recorded["value"]);
        assert_eq!(t.kind().as_str(), recorded["type"]);
        // Responses send the filter as a string, and only for dynamic values.
        assert_eq!(
            t.filter().is_some(),
            recorded["filters"]["asset"].is_string()
        );
        assert_eq!(t.kind() == TagKind::Dynamic, t.filter().is_some(), "{name}");
        assert!(t.metadata().get("access_control").is_some(), "{name}");
    }
}

fn ip(address: &str) -> Asset {
    Asset::new().with("ipv4", address).unwrap()
}

/// The recorded dynamic filters select the assets they name.
#[test]
fn the_recorded_dynamic_filters_select_their_assets() {
    let subnet = tag("tag_value_create_response_dynamic_filters.json");
    assert!(subnet.carried_by(&ip("192.168.0.7"), |_| None));
    assert!(!subnet.carried_by(&ip("10.0.0.1"), |_| None));
    assert!(
        !subnet.carried_by(&Asset::new(), |_| None),
        "no address: not selected"
    );
    assert_eq!(
        subnet.filter(),
        tag("tag_value_details_response_dynamic.json").filter()
    );
    for name in [
        "tag_value_edit_response_dynamic_filters.json",
        "tag_value_details_response_dynamic_2021-06.json",
        "tag_value_edit_response_resend_existing_filters.json",
    ] {
        let loopback = tag(name);
        assert!(loopback.carried_by(&ip("127.0.0.1"), |_| None), "{name}");
        assert!(!loopback.carried_by(&ip("127.0.0.2"), |_| None), "{name}");
        assert!(!loopback.carried_by(&ip("192.168.0.7"), |_| None), "{name}");
    }
    // A static value is carried only by the assets that name it.
    let fixed = tag("tag_value_create_response_static.json");
    assert!(!fixed.carried_by(&ip("192.168.0.7"), |_| None));
    let named = ip("192.168.0.7")
        .with("tag_uuid", &fixed.uuid().to_string())
        .unwrap();
    assert!(fixed.carried_by(&named, |_| None));
}

/// Request bodies send `filters.asset` as an object (and no uuid or type): the filter is
/// the one the server answered with as a string; with the answer's uuid and type the body
/// reads as the answered value, but for the metadata.
#[test]
fn tag_value_requests_carry_the_answered_filters_and_names() {
    for (request, response) in TAG_REQUESTS {
        let answered = tag(response);
        let mut body = json(request);
        assert!(
            serde_json::from_value::<TagValue>(body.clone())
                .unwrap_err()
                .to_string()
                .contains("missing key `uuid`"),
            "{request}"
        );
        let asset = &body["filters"]["asset"];
        if asset.is_null() {
            assert!(answered.filter().is_none(), "{request}");
        } else {
            assert!(asset.is_object(), "{request}: requests send an object");
            let sent: TagFilter = serde_json::from_value(asset.clone()).unwrap();
            assert_eq!(Some(&sent), answered.filter(), "{request}");
        }
        body["uuid"] = json!(answered.uuid().to_string());
        body["type"] = json!(answered.kind().as_str());
        if body.get("category_name").is_none() {
            body["category_name"] = json!(answered.category());
        }
        if body["value"].is_null() {
            // The edit requests send `value: null`: the server keeps the name.
            assert!(
                serde_json::from_value::<TagValue>(body.clone())
                    .unwrap_err()
                    .to_string()
                    .starts_with("value: expected a string, found null"),
                "{request}"
            );
            body["value"] = json!(answered.value());
        }
        let sent: TagValue = serde_json::from_value(body).unwrap();
        assert_eq!(sent.category(), answered.category(), "{request}");
        assert_eq!(sent.value(), answered.value(), "{request}");
        assert_eq!(sent.filter(), answered.filter(), "{request}");
    }
    // The 2021-04 server filled in its default ACL when none was sent.
    let older = tag("tag_value_create_response_default_acl_can_use_2021-04.json");
    assert!(
        json("tag_value_create_request_no_access_control_2021-04.json")
            .get("access_control")
            .is_none()
    );
    assert_eq!(
        older.metadata().get("access_control").unwrap()["all_users_permissions"],
        json!(["ALL", "CAN_EDIT", "CAN_SET_PERMISSIONS", "CAN_USE"])
    );
}

#[test]
fn the_tag_value_list_reads_without_filters() {
    let list: TagValueList = round_trip("tag_values_list_response.json");
    assert_eq!(list.values.len(), 3);
    assert_eq!(list.pagination.as_ref().unwrap()["total"], json!(3));
    let dynamic = list
        .values
        .iter()
        .find(|t| t.kind() == TagKind::Dynamic)
        .unwrap();
    // Listed without its filter: carried only by the assets that name it.
    assert!(dynamic.filter().is_none());
    assert!(!dynamic.carried_by(&ip("127.0.0.1"), |_| None));
    assert_eq!(
        dynamic.uuid(),
        tag("tag_value_details_response_dynamic_2021-06.json").uuid()
    );
    AccessControl::new(list.values, vec![]).unwrap();
}

/// The 2019 list has an entry without uuid and value: an error naming that entry.
#[test]
fn the_2019_list_entry_without_uuid_is_an_error_naming_it() {
    let error = serde_json::from_str::<TagValueList>(&text("tag_values_list_response_2019.json"))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("values[1]: missing key `uuid`"),
        "{error}"
    );
    let entries = &json("tag_values_list_response_2019.json")["values"];
    let first: TagValue = serde_json::from_value(entries[0].clone()).unwrap();
    assert_eq!(first.to_string(), "Example:Test");
}

#[test]
fn the_bulk_delete_names_a_value_created_before() {
    let body = json("tag_values_delete_requests_request_bulk.json");
    let uuids: Vec<Uuid> = body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| uuid(v.as_str().unwrap()))
        .collect();
    assert_eq!(uuids.len(), 2);
    let created = tag("tag_value_create_response_default_acl_can_use_2021-04.json");
    assert!(uuids.contains(&created.uuid()));
}

/// The derived notes on the wire format: the response example string is the recorded
/// filter, the request placeholder `and|or` is not a filter key, and the category name
/// bound is ours.
#[test]
fn the_derived_filter_model_matches_the_reader() {
    let model = json("tag_value_filters_and_acl_model_derived.json");
    let format = &model["dynamic_filters_wire_format"];
    let response = format["response"].as_str().unwrap();
    let example = response.split("e.g. ").nth(1).unwrap();
    let example: String = serde_json::from_str(example).unwrap();
    let parsed: TagFilter = serde_json::from_str(&example).unwrap();
    assert_eq!(
        Some(&parsed),
        tag("tag_value_create_response_dynamic_filters.json").filter()
    );
    assert_eq!(serde_json::to_string(&parsed).unwrap(), example);
    let placeholder = format["request"]["filters"]["asset"].clone();
    let error = serde_json::from_value::<TagFilter>(placeholder)
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown key"), "{error}");
    let schema = model["pyTenable_unmerged_v3 (tenable/io/v3/vm/tags/schema.py @ b7e83e8f2ebb2d93407253fc338519bfdc966189 = refs/pull/545/head, 2022-05-03, never merged to main)"]["TagCategorySchema (lines 11-19)"]["name"]
        .as_str()
        .unwrap();
    assert!(
        schema.contains(&format!("Length(1, {MAX_TAG_NAME_CHARS})")),
        "{schema}"
    );
}

// --- categories, assignments, assets -----------------------------------------------------

#[test]
fn categories_name_tag_fields_and_values() {
    let categories = |name: &str| json(name)["categories"].as_array().unwrap().clone();
    for c in categories("tag_categories_list_response.json") {
        uuid(c["uuid"].as_str().unwrap());
        let name = c["name"].as_str().unwrap();
        assert_eq!(
            format!("tag.{name}").parse::<Field>(),
            Ok(Field::TagCategory(name.into()))
        );
        assert_eq!(c["reserved"], json!(false));
    }
    // filter-categories: category -> values; each value a static tag named Category:Value.
    let mut tags = Vec::new();
    for c in categories("tag_categories_filter_categories_response.json") {
        let values = c["values"].as_array().unwrap();
        assert_eq!(c["value_count"], json!(values.len()));
        for v in values {
            tags.push(
                TagValue::static_value(
                    uuid(v["uuid"].as_str().unwrap()),
                    c["name"].as_str().unwrap(),
                    v["value"].as_str().unwrap(),
                )
                .unwrap(),
            );
        }
    }
    let control = AccessControl::new(tags, vec![]).unwrap();
    assert_eq!(
        control.tag_name(&uuid("f038fd3a-a844-438f-b7a7-7acc6369f3e9")),
        Some(("NO", "UPDATE"))
    );
    for (request, response) in [
        (
            "tag_category_create_request.json",
            "tag_category_create_response.json",
        ),
        (
            "tag_category_edit_request_rename.json",
            "tag_category_edit_response_rename.json",
        ),
    ] {
        assert_eq!(json(request)["name"], json(response)["name"], "{request}");
        uuid(json(response)["uuid"].as_str().unwrap());
    }
    let details = json("tag_category_details_response.json");
    assert_eq!(details["name"], json!("Example3"));
    uuid(details["uuid"].as_str().unwrap());
}

#[test]
fn assignments_add_and_remove_static_tags_by_uuid() {
    for (request, response, action) in [
        (
            "tag_assets_assignments_request_add.json",
            "tag_assets_assignments_response_add.json",
            "add",
        ),
        (
            "tag_assets_assignments_request_remove.json",
            "tag_assets_assignments_response_remove.json",
            "remove",
        ),
    ] {
        let body = json(request);
        assert_eq!(body["action"], json!(action));
        let assets: Vec<Uuid> = body["assets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| uuid(a.as_str().unwrap()))
            .collect();
        assert_eq!(assets.len(), 13);
        for t in body["tags"].as_array().unwrap() {
            let t = t.as_str().unwrap();
            let value = TagValue::static_value(uuid(t), "Example", "Test").unwrap();
            // After an `add`, the assets name the tag in `tag_uuid` and so carry it.
            let asset = Asset::new().with("tag_uuid", t).unwrap();
            assert!(value.carried_by(&asset, |_| None));
            assert!(!value.carried_by(&Asset::new(), |_| None));
        }
        let job = json(response)["job_uuid"].as_str().unwrap().to_owned();
        assert!(job.contains(':'), "{job}");
    }
}

/// A v3 explore asset as a request asset: its addresses and names, and its `tags[].id`
/// as `tag_uuid` values; its tags as tag values (dynamic, already applied by the server).
fn explore_asset(a: &Value) -> (Asset, Vec<TagValue>) {
    let mut asset = Asset::new();
    for (key, attribute) in [("ipv4_addresses", "ipv4"), ("fqdns", "fqdn")] {
        for v in a[key].as_array().into_iter().flatten() {
            asset = asset.with(attribute, v.as_str().unwrap()).unwrap();
        }
    }
    let mut tags = Vec::new();
    for t in a["tags"].as_array().unwrap() {
        let keys: BTreeSet<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["id", "category", "value", "type"]));
        let id = t["id"].as_str().unwrap();
        asset = asset.with("tag_uuid", id).unwrap();
        let kind = match t["type"].as_str().unwrap() {
            "static" => TagKind::Static,
            "dynamic" => TagKind::Dynamic,
            other => panic!("{other}"),
        };
        let value = TagValue::new(
            uuid(id),
            t["category"].as_str().unwrap(),
            t["value"].as_str().unwrap(),
            kind,
            None,
        )
        .unwrap();
        if !tags.iter().any(|v: &TagValue| v.uuid() == value.uuid()) {
            tags.push(value);
        }
    }
    (asset, tags)
}

#[test]
fn searched_assets_carry_their_tags_by_uuid() {
    for (name, assets, tags_per_asset) in [
        (
            "v3_assets_search_response_with_dynamic_tags.json",
            2,
            vec![3, 3],
        ),
        (
            "v3_assets_host_search_response_with_tags.json",
            3,
            vec![2, 1, 1],
        ),
        (
            "v3_assets_webapp_search_response_with_static_tag.json",
            1,
            vec![1],
        ),
    ] {
        let listed = json(name)["assets"].as_array().unwrap().clone();
        assert_eq!(listed.len(), assets, "{name}");
        for (a, count) in listed.iter().zip(tags_per_asset) {
            let (asset, tags) = explore_asset(a);
            assert_eq!(asset.values(RuleType::TagUuid).len(), count, "{name}");
            assert!(!asset.values(RuleType::Ipv4).is_empty(), "{name}");
            let control = AccessControl::new(tags.clone(), vec![]).unwrap();
            for t in &tags {
                assert!(t.carried_by(&asset, |u| control.tag_name(u)), "{name}: {t}");
                assert_eq!(control.tag_name(&t.uuid()), Some((t.category(), t.value())));
            }
            // A `tag.<category>` condition sees the tags the asset names.
            let first = &tags[0];
            let filter: TagFilter = serde_json::from_value(json!({"and": [{
                "field": format!("tag.{}", first.category()),
                "operator": "set-has",
                "value": first.value(),
            }]}))
            .unwrap();
            assert!(filter.matches(&asset, |u| control.tag_name(u)), "{name}");
            assert!(!filter.matches(&Asset::new(), |u| control.tag_name(u)));
        }
    }
}

/// The v3 explore search filters by tag uuid with `property`, another language than the
/// tag filters' `field`: not a tag filter.
#[test]
fn explore_search_requests_are_not_tag_filters() {
    let webapp = json("v3_assets_webapp_search_request_filter_by_tag_uuid.json");
    let by_tag = webapp["filter"]["and"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["property"] == "tags")
        .unwrap();
    let listed = json("v3_assets_webapp_search_response_with_static_tag.json");
    assert_eq!(by_tag["value"][0], listed["assets"][0]["tags"][0]["id"]);
    assert_eq!(listed["assets"][0]["tags"][0]["type"], json!("static"));
    for name in [
        "v3_assets_webapp_search_request_filter_by_tag_uuid.json",
        "v3_assets_search_request_os_sources_types.json",
    ] {
        let error = serde_json::from_value::<TagFilter>(json(name)["filter"].clone())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("and[0].property: unknown key"),
            "{name}: {error}"
        );
    }
}

#[test]
fn the_v1_asset_details_carry_no_tag() {
    let details = json("v1_asset_details_response_empty_tags.json");
    assert_eq!(details["tags"], json!([]));
    let mut asset = Asset::new();
    for i in details["interfaces"].as_array().unwrap() {
        for v in i["ipv4"].as_array().unwrap() {
            asset = asset.with("ipv4", v.as_str().unwrap()).unwrap();
        }
    }
    assert!(asset.values(RuleType::TagUuid).is_empty());
    let subnet = tag("tag_value_create_response_dynamic_filters.json");
    assert!(
        !subnet.carried_by(&asset, |_| None),
        "162.159.130.79 is not in 192.168.0.0/24"
    );
}

#[test]
fn the_derived_asset_shapes_match_the_recordings() {
    let shapes = json("asset_tag_shapes_derived.json");
    let item: BTreeSet<String> = shapes["v3_explore_asset_tags (recorded)"]["item"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let recorded: BTreeSet<String> =
        json("v3_assets_host_search_response_with_tags.json")["assets"][0]["tags"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
    assert_eq!(item, recorded);
    for key in shapes["export_filter_by_tag (client model)"]["example"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(
            matches!(key.parse::<Field>(), Ok(Field::TagCategory(_))),
            "{key}"
        );
    }
    let rule = &shapes["dynamic_rule_on_other_tags (recorded filter definition)"]["example"];
    let ops: Vec<&str> = TAG_FIELD_OPERATORS.iter().map(|o| o.as_str()).collect();
    assert_eq!(rule["operators"], json!(ops));
}
