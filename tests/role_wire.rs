//! Layer 2 wire formats: every example response of seeds 001 and 002 and every file of
//! `fixtures/tenable-sc/` is read; built-in roles are checked field by field against the
//! seeds; what is written reads back equal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use scangate::{
    Permissions, Role, RoleId,
    role::{Envelope, RoleCatalog, RoleDraft, RoleFieldSet, RolePatch, RoleQuery},
};
use serde_json::{Map, Value, json};

const SEED_001: &str = include_str!("fixtures/seeds/001_5829cb09eda6dfd4.txt");
const SEED_002: &str = include_str!("fixtures/seeds/002_9dff7fb58ea9a609.txt");

/// The 30 permission field names as the seed 002 POST documentation lists them (read from
/// the seed, not from the crate), in order.
fn seed_002_permission_fields() -> Vec<String> {
    let post = SEED_002
        .lines()
        .find(|l| l.starts_with("{ \"name\" : <string>"))
        .unwrap();
    post.split('"')
        .filter(|part| part.starts_with("perm"))
        .map(str::to_owned)
        .collect()
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/tenable-sc/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every example response of seed 002 (each is one line starting with `{ "type"`).
fn seed_002_examples() -> Vec<Value> {
    SEED_002
        .lines()
        .filter(|l| l.starts_with("{ \"type\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Seed 001's one example response (a multi-line JSON document).
fn seed_001_example() -> Value {
    let start = SEED_001.find("{\n\t\"type\"").unwrap();
    serde_json::from_str(&SEED_001[start..]).unwrap()
}

/// Asserts that every key of `expected` is in `actual` with the same value.
fn assert_superset(actual: &Value, expected: &Value) {
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(actual.get(key), Some(value), "field `{key}`");
    }
}

/// Asserts that a role object from a seed matches a role of the crate field by field: every
/// one of the 30 permission fields (absent in the seed = false/none), name, description.
fn assert_same_role(seed: &Value, role: &Role) {
    let written = role.to_json_value();
    assert_eq!(seed["id"].as_str().unwrap(), role.id().to_string());
    assert_eq!(seed["name"], written["name"]);
    assert_eq!(seed["description"], written["description"]);
    for field in seed_002_permission_fields()
        .iter()
        .chain(["permManageApp".to_owned()].iter())
    {
        let expected = seed
            .get(field)
            .cloned()
            .unwrap_or_else(|| json!(if field == "permScan" { "none" } else { "false" }));
        assert_eq!(written[field], expected, "{} {field}", role.name());
    }
}

#[test]
fn seed_002_documents_the_30_fields_in_the_crates_order() {
    let fields = seed_002_permission_fields();
    let mut documented = vec!["permManageApp".to_owned()];
    documented.extend(fields.iter().cloned());
    assert_eq!(documented.len(), 30);
    let all: Vec<&str> = RoleFieldSet::ALL
        .names()
        .filter(|n| n.starts_with("perm"))
        .collect();
    assert_eq!(all, documented);
}

#[test]
fn seed_001_built_in_roles_match_field_by_field() {
    let envelope: Envelope<Vec<Value>> = serde_json::from_value(seed_001_example()).unwrap();
    assert_eq!(envelope.response.len(), 7);
    for seed_role in &envelope.response {
        let id: RoleId = seed_role["id"].as_str().unwrap().parse().unwrap();
        assert_same_role(seed_role, &Role::builtin(id).unwrap());
        // And the seed object itself reads with nothing unknown, to the same permissions.
        let read = Role::from_json_value(seed_role).unwrap();
        assert!(read.unknown_permissions.is_empty());
        assert_eq!(
            read.value.permissions(),
            Role::builtin(id).unwrap().permissions()
        );
        assert_eq!(read.value.creator().unwrap().username, "head");
        assert_eq!(read.value.organization_counts().unwrap()[0].id, 12);
        // Older API: 23 permission fields present.
        assert_eq!(
            seed_role
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| k.starts_with("perm"))
                .count(),
            23
        );
    }
}

#[test]
fn seed_002_examples_all_read_and_match_the_crate() {
    let examples = seed_002_examples();
    assert_eq!(
        examples.len(),
        7,
        "GET all, POST, GET admin, GET manageRole, GET no manageRole, GET self, DELETE"
    );
    let catalog = RoleCatalog::builtin();

    // GET /role without fields, as an organization user sees it: no Administrator, and id,
    // name, description only. Our projection writes exactly the example.
    let list = catalog
        .list(RoleId::SECURITY_ANALYST, &RoleQuery::new())
        .unwrap();
    assert_eq!(
        serde_json::to_value(&list).unwrap(),
        examples[0]["response"]
    );

    // POST response and GET /role/1 for the admin: the Administrator role.
    for example in [&examples[1], &examples[2]] {
        let envelope: Envelope<Role> = serde_json::from_value(example.clone()).unwrap();
        assert_same_role(
            &example["response"],
            &Role::builtin(RoleId::ADMINISTRATOR).unwrap(),
        );
        assert_eq!(
            envelope.response.creator().unwrap().uuid.as_deref(),
            Some("96F2AD1B-1B83-462E-908A-84E6054F6B64")
        );
        let admin_view = catalog
            .view(
                RoleId::ADMINISTRATOR,
                RoleId::ADMINISTRATOR,
                &RoleQuery::new(),
            )
            .unwrap();
        let written = serde_json::to_value(admin_view).unwrap();
        let mut expected = example["response"].as_object().unwrap().clone();
        expected.remove("creator"); // server metadata the built-in table does not invent
        expected.remove("organizationCounts");
        assert_eq!(written, Value::Object(expected));
    }

    // GET /role/2 by a user with manageRole: every field; without: id, name, description.
    assert_same_role(
        &examples[3]["response"],
        &Role::builtin(RoleId::SECURITY_MANAGER).unwrap(),
    );
    let full = catalog
        .view(
            RoleId::SECURITY_MANAGER,
            RoleId::SECURITY_MANAGER,
            &RoleQuery::new(),
        )
        .unwrap();
    assert_superset(
        &examples[3]["response"],
        &serde_json::to_value(full).unwrap(),
    );
    let basic = catalog
        .view(RoleId::AUDITOR, RoleId::SECURITY_MANAGER, &RoleQuery::new())
        .unwrap();
    assert_eq!(
        serde_json::to_value(basic).unwrap(),
        examples[4]["response"]
    );

    // GET own role (id 8, manageRole disabled): every field.
    let self_role = Role::from_json_value(&examples[5]["response"])
        .unwrap()
        .value;
    assert!(!self_role.permissions().contains(Permissions::MANAGE_ROLES));
    let catalog = RoleCatalog::new([self_role.clone()]).unwrap();
    let own = catalog
        .view(RoleId::new(8), RoleId::new(8), &RoleQuery::new())
        .unwrap();
    assert_eq!(serde_json::to_value(own).unwrap(), examples[5]["response"]);
    // ...while another role's details stay hidden from it.
    let other = catalog
        .view(RoleId::new(8), RoleId::SECURITY_MANAGER, &RoleQuery::new())
        .unwrap();
    assert_eq!(other.shown(), RoleFieldSet::BASIC);

    // DELETE: an empty string response.
    let deleted: Envelope<String> = serde_json::from_value(examples[6].clone()).unwrap();
    assert_eq!(deleted.into_result().unwrap(), "");
}

#[test]
fn create_response_reads_and_writes_back_equal() {
    for name in [
        "role_create_response.json",
        "role_edit_response.json",
        "role_details_response_with_creator_and_org_counts.json",
    ] {
        let document = fixture(name);
        let envelope: Envelope<Role> = serde_json::from_value(document.clone()).unwrap();
        let role = &envelope.response;
        assert_eq!(role.permissions(), Permissions::empty(), "{name}");
        let written = serde_json::to_value(&envelope).unwrap();
        // Everything the server sent is written back as sent (we add the 7 newer fields).
        assert_superset(&written["response"], &document["response"]);
        assert_eq!(written["response"]["permViewHostAssets"], "false");
        let reread: Envelope<Role> = serde_json::from_value(written).unwrap();
        assert_eq!(&reread, &envelope, "{name}");
    }
    let created: Envelope<Role> =
        serde_json::from_value(fixture("role_create_response.json")).unwrap();
    assert_eq!(created.response.id(), RoleId::new(1_000_006));
    assert_eq!(created.response.creator_id(), Some("2"));
    assert_eq!(created.response.created_time(), Some(1_554_132_029));
    let details: Envelope<Role> = serde_json::from_value(fixture(
        "role_details_response_with_creator_and_org_counts.json",
    ))
    .unwrap();
    let counts = details.response.organization_counts().unwrap();
    assert_eq!((counts[0].id, counts[0].user_count), (1, 0));
    assert_eq!(details.response.creator().unwrap().username, "api");
    assert_eq!(details.response.creator().unwrap().uuid, None);
}

#[test]
fn projected_responses_read_and_our_projection_writes_them() {
    let document = fixture("role_details_response_fields_id_name_description.json");
    let envelope: Envelope<Role> = serde_json::from_value(document.clone()).unwrap();
    let catalog = RoleCatalog::new([envelope.response.clone()]).unwrap();
    let query = RoleQuery::new().with_fields("id,name,description").unwrap();
    let view = catalog
        .view(RoleId::ADMINISTRATOR, RoleId::new(1_000_003), &query)
        .unwrap();
    assert_eq!(serde_json::to_value(view).unwrap(), document["response"]);

    // The hand-edited list repeats one role four times: it reads, and a catalog refuses it.
    let list: Envelope<Vec<Role>> =
        serde_json::from_value(fixture("role_list_response_fields_id_name.json")).unwrap();
    assert_eq!(list.response.len(), 4);
    assert!(
        list.response
            .iter()
            .all(|r| r.name() == "Example Role" && r.permissions().is_empty())
    );
    assert_eq!(
        RoleCatalog::new(list.response).unwrap_err().to_string(),
        "role id `1000003` is used twice"
    );
}

#[test]
fn docs_list_example_is_what_the_catalog_lists() {
    let entries = fixture("role_list_docs_example_first_two_entries.json");
    let catalog = RoleCatalog::builtin();
    let list = catalog.list(RoleId::AUDITOR, &RoleQuery::new()).unwrap();
    let written = serde_json::to_value(&list[..2]).unwrap();
    assert_eq!(written, entries);
}

#[test]
fn create_and_edit_requests_read_and_write_back() {
    let name_only =
        RoleDraft::from_json(&fixture("role_create_request_name_only.json").to_string()).unwrap();
    assert_eq!(name_only.value, RoleDraft::new("Example Role"));

    let constructor = fixture("role_create_request_pytenable_constructor_example.json");
    let draft = RoleDraft::from_json(&constructor.to_string())
        .unwrap()
        .value;
    assert_eq!(
        draft.permissions,
        Permissions::MANAGE_ATTRIBUTE_SETS
            | Permissions::SHARE_OBJECTS
            | Permissions::CREATE_POLICIES
    );
    assert_eq!(draft.description, "stuff");
    let written = serde_json::to_value(&draft).unwrap();
    assert_superset(&written, &constructor);
    assert_eq!(
        written.get("permManageApp"),
        None,
        "a POST body never carries permManageApp"
    );
    assert_eq!(serde_json::from_value::<RoleDraft>(written).unwrap(), draft);

    let rename = fixture("role_edit_request_rename.json");
    let patch = RolePatch::from_json(&rename.to_string()).unwrap().value;
    assert_eq!(patch, RolePatch::new().rename("Updated Role"));
    assert_eq!(serde_json::to_value(&patch).unwrap(), rename);

    // The PATCH applied to the created role gives the edit response's name and nothing else.
    let created: Envelope<Role> =
        serde_json::from_value(fixture("role_create_response.json")).unwrap();
    let edited: Envelope<Role> =
        serde_json::from_value(fixture("role_edit_response.json")).unwrap();
    let patched = patch.apply_to(&created.response);
    assert_eq!(patched.name(), edited.response.name());
    assert_eq!(patched.permissions(), edited.response.permissions());
    assert_eq!(patched.description(), created.response.description());
}

#[test]
fn pytenable_field_map_names_only_permission_fields() {
    let map = fixture("pytenable_role_kwarg_to_api_field_map.json");
    let fields: Vec<&str> = map
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(_, v)| v.as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 22);
    for field in fields {
        let set = RoleFieldSet::parse(field).unwrap();
        assert!(set.contains(field) && field.starts_with("perm"), "{field}");
    }
}

#[test]
fn allowed_fields_are_exactly_the_field_set() {
    let allowed = fixture("role_allowed_fields.json");
    let mut names: Vec<String> = [
        "always",
        "default_when_no_fields",
        "older_docs_sccv_5x",
        "added_in_current_docs",
    ]
    .iter()
    .flat_map(|key| {
        allowed[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
    })
    .collect();
    names.sort();
    let mut ours: Vec<String> = RoleFieldSet::ALL.names().map(str::to_owned).collect();
    ours.sort();
    assert_eq!(names, ours);
    let basic: Vec<&str> = RoleFieldSet::BASIC.names().collect();
    assert_eq!(basic, ["id", "name", "description"]);
}

#[test]
fn user_payloads_carry_role_ids_and_role_summaries() {
    let request = fixture("user_create_request_roleID.json");
    assert_eq!(
        serde_json::from_value::<RoleId>(request["roleID"].clone()).unwrap(),
        RoleId::SECURITY_MANAGER
    );
    let response = fixture("user_create_response_with_role_object.json");
    let role = Role::from_json_value(&response["response"]["role"])
        .unwrap()
        .value;
    let builtin = Role::builtin(role.id()).unwrap();
    assert_eq!(
        (role.name(), role.description()),
        (builtin.name(), builtin.description())
    );
}

#[test]
fn error_envelopes_become_api_errors() {
    for (name, code, message) in [
        (
            "error_403_delete_nonexistent_policy_code147.json",
            147,
            "tenable error 147: Unable to find existing Policy #1000011 to delete.\nPolicy #1000011 does not exist.",
        ),
        (
            "error_403_invalid_token_code12.json",
            12,
            "tenable error 12: This request contains an invalid token.",
        ),
    ] {
        let envelope: Envelope<String> = serde_json::from_value(fixture(name)).unwrap();
        let error = envelope.into_result().unwrap_err();
        assert_eq!(error.code, code);
        assert_eq!(error.to_string(), message);
    }
    let deleted: Envelope<String> =
        serde_json::from_value(fixture("role_delete_response.json")).unwrap();
    assert_eq!(deleted.clone().into_result().unwrap(), "");
    assert_eq!(
        serde_json::to_value(&deleted).unwrap(),
        fixture("role_delete_response.json")
    );
}

#[test]
fn lenient_reading_and_its_limits() {
    // JSON booleans and numeric ids are accepted; strings are written.
    let read = Role::from_json(r#"{"id": 12, "name": "x", "permScan": "policy", "permCreateTickets": true, "permShareObjects": false}"#).unwrap();
    assert_eq!(
        read.value.permissions(),
        Permissions::SCAN | Permissions::CREATE_TICKETS
    );
    let written = read.value.to_json_value();
    assert_eq!(
        (
            written["id"].clone(),
            written["permCreateTickets"].clone(),
            written["permScan"].clone()
        ),
        (json!("12"), json!("true"), json!("policy"))
    );
    // Unknown perm* fields are reported, not fatal, and grant nothing.
    let read = Role::from_json(r#"{"id": "12", "permLaunchMissiles": "true", "permScan": "none"}"#)
        .unwrap();
    assert_eq!(read.unknown_permissions, ["permLaunchMissiles"]);
    assert!(read.value.permissions().is_empty());
    // Bad values are errors naming the field and value.
    let cases = [
        (
            r#"{"id": "1", "permScan": "yes"}"#,
            "role field `permScan` has invalid value `\"yes\"`; expected `\"full\"`, `\"policy\"` or `\"none\"`",
        ),
        (
            r#"{"id": "1", "permScan": true}"#,
            "role field `permScan` has invalid value `true`; expected `\"full\"`, `\"policy\"` or `\"none\"`",
        ),
        (
            r#"{"id": "1", "permCreateTickets": "yes"}"#,
            "role field `permCreateTickets` has invalid value `\"yes\"`; expected `\"true\"` or `\"false\"`",
        ),
        (
            r#"{"id": "1", "permCreateTickets": "True"}"#,
            "role field `permCreateTickets` has invalid value `\"True\"`; expected `\"true\"` or `\"false\"`",
        ),
        (
            r#"{"id": "1", "permCreateTickets": 1}"#,
            "role field `permCreateTickets` has invalid value `1`; expected `\"true\"` or `\"false\"`",
        ),
        (
            r#"{"id": "-1"}"#,
            "role field `id` has invalid value `\"-1\"`; expected a string of digits",
        ),
        (
            r#"{"id": "99999999999999999999"}"#,
            "role field `id` has invalid value `\"99999999999999999999\"`; expected a string of digits",
        ),
        (r#"{"name": "x"}"#, "role JSON is missing `id`"),
        (r#"["id"]"#, "a role must be a JSON object"),
        (
            r#"{"id": "1", "createdTime": "yesterday"}"#,
            "role field `createdTime` has invalid value `\"yesterday\"`; expected a string of digits",
        ),
        (
            r#"{"id": "1", "name": 7}"#,
            "role field `name` has invalid value `7`; expected a string",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(
            Role::from_json(text).unwrap_err().to_string(),
            message,
            "{text}"
        );
    }
    assert!(
        Role::from_json("{\"id\": ")
            .unwrap_err()
            .to_string()
            .starts_with("invalid role JSON: ")
    );
}

#[test]
fn every_built_in_role_writes_and_reads_back_equal() {
    for role in RoleCatalog::builtin().iter() {
        let text = serde_json::to_string(role).unwrap();
        let back: Role = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, role);
        let object: Map<String, Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(object.keys().filter(|k| k.starts_with("perm")).count(), 30);
        assert!(
            object.values().all(Value::is_string),
            "every value is written as a string"
        );
    }
}
