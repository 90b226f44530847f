//! Every file in tests/fixtures/tenable-vm is read here.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic

use std::collections::{BTreeMap, BTreeSet};

use scangate::access::Requester;
use scangate::{
    AccessGroup, AccessGroupError, Asset,
    access::{
        AccessGroupList, AccessGroupType, AccessGroups, AccessPermissions, ApiErrorBody, Grant,
        Membership, Operator, Principal, PrincipalKind, ReferenceMatcher, RuleType,
    },
};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tenable-vm");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

fn group(name: &str) -> AccessGroup {
    let g: AccessGroup =
        serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_round_trip(&g, name);
    g
}

/// Writing v2 and reading it back gives the same group; writing again gives the same JSON.
fn assert_round_trip(g: &AccessGroup, name: &str) {
    let written = serde_json::to_value(g).unwrap();
    let back: AccessGroup = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(&back, g, "{name}: v2 write/read");
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        written,
        "{name}: second write"
    );
    assert!(
        written.get("access_group_type").is_some(),
        "{name}: v2 has a type"
    );
}

const GROUP_FILES: &[&str] = &[
    "v1_access_group_create_request_ipv4_cidr.json",
    "v1_access_group_create_response_processing.json",
    "v1_access_group_edit_request_os_rule_group_principal.json",
    "v1_access_group_edit_request_single_ip_sdk.json",
    "v1_access_group_edit_response_empty_principals_sdk.json",
    "v1_access_group_edit_response_group_principal.json",
    "v2_access_group_create_request_manage_assets.json",
    "v2_access_group_create_response_all_users_principal.json",
    "v2_access_group_details_response_completed.json",
    "v2_access_group_details_response_tag_uuid_set_has.json",
    "v2_access_group_edit_request_hostname_starts_can_scan.json",
    "v2_access_group_edit_request_rename.json",
    "v2_access_group_edit_response_hostname_starts_can_scan.json",
    "v2_access_group_edit_response_rename.json",
];
const LIST_FILES: &[&str] = &[
    "v1_access_groups_list_response_all_assets_only.json",
    "v2_access_groups_list_response.json",
    "v2_access_groups_list_response_mixed_types.json",
];
const RULE_FILTER_FILES: &[&str] = &[
    "v1_access_group_rule_filters_response_2019.json",
    "v2_access_group_rule_filters_response_2021.json",
];
const LIST_FILTER_FILES: &[&str] = &[
    "v1_access_group_list_filters_response.json",
    "v2_access_group_list_filters_response.json",
];
const OTHER_FILES: &[&str] = &[
    "v1_access_group_delete_response_404_already_deleted.json",
    "v2_principals_request_examples_from_pytenable_tests.json",
];

#[test]
fn every_fixture_is_covered_by_a_test() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let covered: BTreeSet<String> = [
        GROUP_FILES,
        LIST_FILES,
        RULE_FILTER_FILES,
        LIST_FILTER_FILES,
        OTHER_FILES,
    ]
    .concat()
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(on_disk, covered);
}

#[test]
fn every_group_fixture_reads_and_round_trips() {
    for name in GROUP_FILES {
        let g = group(name);
        assert!(!g.rules().is_empty(), "{name}");
        // every fixture group is valid for create/edit as well
        g.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn rule_filters(name: &str) -> BTreeMap<String, Vec<String>> {
    let v: Value = serde_json::from_str(&read(name)).unwrap();
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let ops = r["operators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_str().unwrap().to_owned())
                .collect();
            (r["name"].as_str().unwrap().to_owned(), ops)
        })
        .collect()
}

#[test]
fn rule_type_table_matches_the_servers_filter_lists() {
    let v1 = rule_filters(RULE_FILTER_FILES[0]);
    let v2 = rule_filters(RULE_FILTER_FILES[1]);
    // v2 (2021) lists all 27; v1 (2019) a subset with the same operators
    assert_eq!(v2.len(), 27);
    assert_eq!(v1.len(), 23);
    for (name, ops) in &v1 {
        assert_eq!(v2.get(name), Some(ops), "{name}: v1 and v2 disagree");
    }
    let v2_only: BTreeSet<&str> = v2
        .keys()
        .filter(|k| !v1.contains_key(*k))
        .map(String::as_str)
        .collect();
    assert_eq!(
        v2_only,
        BTreeSet::from(["hostname", "ipv6", "network_id", "tag_uuid"])
    );

    let ours: BTreeMap<String, Vec<String>> = RuleType::ALL
        .iter()
        .map(|t| {
            (
                t.as_str().to_owned(),
                t.operators()
                    .iter()
                    .map(|o| o.as_str().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(ours, v2);
    for name in v2.keys() {
        assert_eq!(name.parse::<RuleType>().unwrap().as_str(), name);
    }
}

#[test]
fn list_filters_name_known_rule_types_and_operators() {
    for file in LIST_FILTER_FILES {
        let v: Value = serde_json::from_str(&read(file)).unwrap();
        let mut rule_filters = 0;
        for f in v["filters"].as_array().unwrap() {
            let Some(rule) = f["name"].as_str().unwrap().strip_prefix("rule.") else {
                continue;
            };
            rule_filters += 1;
            let t: RuleType = rule.parse().unwrap_or_else(|e| panic!("{file}: {e}"));
            for op in f["operators"].as_array().unwrap() {
                let op: Operator = op.as_str().unwrap().parse().unwrap();
                assert!(t.allows(op), "{file}: {t} {op}");
            }
        }
        assert_eq!(rule_filters, 4, "{file}");
    }
}

#[test]
fn list_envelopes() {
    let v1: AccessGroupList = serde_json::from_str(&read(LIST_FILES[0])).unwrap();
    assert_eq!(v1.access_groups.len(), 1);
    let aa = &v1.access_groups[0];
    assert!(aa.all_assets() && aa.all_users());
    assert_eq!(aa.group_type(), AccessGroupType::All); // v1 has no type: inferred
    assert!(!aa.principals_listed());
    assert_eq!(aa.metadata().get("created_by_name").unwrap(), "system");
    assert_eq!(v1.pagination.as_ref().unwrap()["total"], 1);
    // the default: every user views and scans All Assets
    assert_eq!(
        aa.grant("anyone", &[] as &[&str], AccessPermissions::all()),
        Some(Grant::AllAssetsDefault)
    );

    let v2: AccessGroupList = serde_json::from_str(&read(LIST_FILES[1])).unwrap();
    let types: Vec<_> = v2
        .access_groups
        .iter()
        .map(AccessGroup::group_type)
        .collect();
    assert_eq!(types, [AccessGroupType::All, AccessGroupType::ManageAssets]);
    assert!(!v2.access_groups[1].all_users()); // omitted in v2

    let mixed: AccessGroupList = serde_json::from_str(&read(LIST_FILES[2])).unwrap();
    assert_eq!(mixed.access_groups.len(), 4);
    // a name a create would reject is accepted as read
    let odd = &mixed.access_groups[3];
    assert!(odd.name().contains(','));
    assert!(odd.validate().is_err());
    let groups = AccessGroups::from_server(mixed.access_groups.clone());
    assert_eq!(groups.len(), 4);
    // list entries have no rules or principals: they contain nothing and grant nothing
    let asset = Asset::new().with("ipv4", "192.168.0.1").unwrap();
    for g in groups.iter().skip(1) {
        assert_eq!(ReferenceMatcher.contains_asset(g, &asset), None);
        assert_eq!(g.permissions_for("u", &["g"]), AccessPermissions::empty());
    }

    for (name, list) in [
        (LIST_FILES[0], v1),
        (LIST_FILES[1], v2),
        (LIST_FILES[2], mixed),
    ] {
        let back: AccessGroupList =
            serde_json::from_value(serde_json::to_value(&list).unwrap()).unwrap();
        assert_eq!(back, list, "{name}");
    }
}

#[test]
fn v1_create_and_edit() {
    let req = group("v1_access_group_create_request_ipv4_cidr.json");
    assert_eq!(req.id(), None);
    assert_eq!(req.group_type(), AccessGroupType::ManageAssets);
    let resp = group("v1_access_group_create_response_processing.json");
    assert_eq!(resp.id(), Some("b87e7714-27ad-4d94-9ca2-1c49a577981a"));
    assert_eq!(resp.rules(), req.rules());
    assert!(!resp.principals_listed()); // "no principals key"
    assert_eq!(resp.metadata().get("status").unwrap(), "PROCESSING");
    assert_eq!(resp.metadata().get("version").unwrap(), 1);
    let inside = Asset::new().with("ipv4", "192.168.0.254").unwrap();
    let outside = Asset::new().with("ipv4", "192.168.1.0").unwrap();
    assert_eq!(
        ReferenceMatcher.contains_asset(&resp, &inside),
        Some(Membership::Rule { rule: 0, term: 0 })
    );
    assert_eq!(ReferenceMatcher.contains_asset(&resp, &outside), None);

    // a v1 principal without permissions gets CAN_VIEW only
    let edit = group("v1_access_group_edit_request_os_rule_group_principal.json");
    let p = &edit.principals()[0];
    assert_eq!(p.kind(), &PrincipalKind::Group);
    assert_eq!(p.permissions(), AccessPermissions::CAN_VIEW);
    let member = ["c037612b-9c5c-40a7-afbd-0e776915c9cd"];
    assert!(
        edit.grant("u", &member, AccessPermissions::CAN_VIEW)
            .is_some()
    );
    assert_eq!(edit.grant("u", &member, AccessPermissions::CAN_SCAN), None);
    assert_eq!(
        edit.grant("u", &["other"], AccessPermissions::CAN_VIEW),
        None
    );
    let windows = Asset::new().with("operating_system", "windows nt").unwrap();
    assert!(ReferenceMatcher.contains_asset(&edit, &windows).is_some());
    let edited = group("v1_access_group_edit_response_group_principal.json");
    assert_eq!(edited.principals()[0].name(), Some("VM Scan Manager"));
    assert_eq!(edited.rules(), edit.rules());

    let sdk_req = group("v1_access_group_edit_request_single_ip_sdk.json");
    assert!(!sdk_req.principals_listed());
    let sdk_resp = group("v1_access_group_edit_response_empty_principals_sdk.json");
    assert!(sdk_resp.principals_listed() && sdk_resp.principals().is_empty());

    // replaying the SDK edit through the collection: unlisted principals become []
    let before = AccessGroups::from_server([sdk_resp.clone()]);
    let after = before
        .edit(
            Requester::Administrator,
            "e4cf5a58-38be-4a78-a7b9-1778cf199ca4",
            sdk_req,
        )
        .unwrap();
    let g = after.get("e4cf5a58-38be-4a78-a7b9-1778cf199ca4").unwrap();
    assert_eq!(g.rules(), sdk_resp.rules());
    assert!(g.principals_listed() && g.principals().is_empty());
    assert_eq!(g.metadata(), sdk_resp.metadata());
}

#[test]
fn v2_all_users_principal_with_empty_permissions_grants_nothing() {
    for name in [
        "v2_access_group_create_response_all_users_principal.json",
        "v2_access_group_details_response_completed.json",
        "v2_access_group_details_response_tag_uuid_set_has.json",
        "v2_access_group_edit_request_rename.json",
        "v2_access_group_edit_response_rename.json",
    ] {
        let g = group(name);
        assert!(!g.all_users(), "{name}");
        let p = &g.principals()[0];
        assert_eq!(p.kind(), &PrincipalKind::AllUsers);
        assert!(p.is_everyone());
        assert_eq!(p.permissions(), AccessPermissions::empty());
        assert_eq!(
            g.permissions_for("anyone", &["any"]),
            AccessPermissions::empty(),
            "{name}"
        );
    }
    let req = group("v2_access_group_create_request_manage_assets.json");
    let resp = group("v2_access_group_create_response_all_users_principal.json");
    assert_eq!(req.rules(), resp.rules());
    assert_eq!(req.group_type(), resp.group_type());
}

#[test]
fn v2_tag_rule_and_nil_group_principal() {
    let tags = group("v2_access_group_details_response_tag_uuid_set_has.json");
    let tagged = Asset::new()
        .with("tag_uuid", "24EC0790-EB18-4C9C-B787-9C1164A9C1B9")
        .unwrap()
        .with("tag_uuid", "a59ae831-2695-40b1-a9f9-9a26258f5486")
        .unwrap();
    assert_eq!(
        ReferenceMatcher.contains_asset(&tags, &tagged),
        Some(Membership::Rule { rule: 0, term: 0 })
    );
    let other = Asset::new()
        .with("tag_uuid", "a59ae831-2695-40b1-a9f9-9a26258f5486")
        .unwrap();
    assert_eq!(ReferenceMatcher.contains_asset(&tags, &other), None);

    let req = group("v2_access_group_edit_request_hostname_starts_can_scan.json");
    let resp = group("v2_access_group_edit_response_hostname_starts_can_scan.json");
    assert_eq!(req.rules(), resp.rules());
    // the group principal with the nil UUID (the server names it "All Users") grants every
    // user scan and view; the extra all_users principal with [] adds and removes nothing
    assert_eq!(resp.principals().len(), 2);
    assert_eq!(resp.principals()[0].name(), Some("All Users"));
    for g in [&req, &resp] {
        assert_eq!(
            g.permissions_for("whoever", &[] as &[&str]),
            AccessPermissions::all()
        );
        let grant = g.grant("whoever", &[] as &[&str], AccessPermissions::CAN_SCAN);
        assert!(matches!(grant, Some(Grant::Principal { index: 0, .. })));
    }
    let host = Asset::new().with("hostname", "DEMOHOSTNAME-7").unwrap();
    assert!(ReferenceMatcher.contains_asset(&resp, &host).is_some());
    let host = Asset::new().with("hostname", "demo3").unwrap();
    assert!(ReferenceMatcher.contains_asset(&resp, &host).is_none());

    // replay the edit: tags rule replaced by the hostname rule, id and metadata kept
    let before = AccessGroups::from_server([tags.clone()]);
    let after = before
        .edit(Requester::Administrator, tags.id().unwrap(), req)
        .unwrap();
    let g = after.get(tags.id().unwrap()).unwrap();
    assert_eq!(g.rules(), resp.rules());
    assert_eq!(g.metadata(), tags.metadata());
    assert_eq!(before.get(tags.id().unwrap()).unwrap(), &tags);
}

#[test]
fn v2_rename_replay() {
    let created = group("v2_access_group_create_response_all_users_principal.json");
    let req = group("v2_access_group_edit_request_rename.json");
    let resp = group("v2_access_group_edit_response_rename.json");
    let groups = AccessGroups::from_server([created.clone()]);
    let after = groups
        .edit(Requester::Administrator, created.id().unwrap(), req)
        .unwrap();
    let g = after.get(created.id().unwrap()).unwrap();
    assert_eq!(g.name(), resp.name());
    assert_eq!(g.rules(), resp.rules());
    assert_eq!(g.principals(), resp.principals());
    assert_eq!(g.group_type(), resp.group_type());
}

#[test]
fn error_body_404_and_second_delete() {
    let body: ApiErrorBody = serde_json::from_str(&read(OTHER_FILES[0])).unwrap();
    assert_eq!(body.error, "HTTP 404 Not Found");
    let groups =
        AccessGroups::from_server([group("v1_access_group_create_response_processing.json")]);
    let once = groups
        .delete(
            Requester::Administrator,
            "b87e7714-27ad-4d94-9ca2-1c49a577981a",
        )
        .unwrap();
    let err = once
        .delete(
            Requester::Administrator,
            "b87e7714-27ad-4d94-9ca2-1c49a577981a",
        )
        .unwrap_err();
    assert!(matches!(err, AccessGroupError::NotFound { .. }));
    assert_eq!(Some(err.http_status()), body.http_status());
    assert_eq!(
        ApiErrorBody::from_error(&err).error,
        "access group `b87e7714-27ad-4d94-9ca2-1c49a577981a` not found"
    );
}

#[test]
fn pytenable_principal_examples() {
    let v: Value = serde_json::from_str(&read(OTHER_FILES[1])).unwrap();
    let mut seen = 0;
    for (key, examples) in v.as_object().unwrap() {
        if key.starts_with('_') {
            continue;
        }
        let principals: Vec<Principal> = serde_json::from_value(examples.clone()).unwrap();
        for p in &principals {
            seen += 1;
            assert_eq!(p.kind(), &PrincipalKind::User, "{key}");
            assert_eq!(p.permissions(), AccessPermissions::CAN_VIEW, "{key}");
            // name-only principals name nobody here, not even the user called that name
            if p.id().is_none() {
                assert_eq!(p.name(), Some("test@test.com"));
                assert!(!p.applies_to("test@test.com", &[] as &[&str]));
            }
            let back: Principal = serde_json::from_value(serde_json::to_value(p).unwrap()).unwrap();
            assert_eq!(&back, p);
        }
        // as a create body, a principal without an id is rejected
        let draft: AccessGroup = serde_json::from_value(serde_json::json!({
            "name": "pyTenable", "principals": examples,
            "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1"]}]
        }))
        .unwrap();
        let res = draft.validate();
        if principals[0].id().is_none() {
            assert_eq!(
                res.unwrap_err().to_string(),
                "access group `pyTenable` principal 0 has no principal_id"
            );
        } else {
            res.unwrap();
        }
    }
    assert_eq!(seen, 4);
}

#[test]
fn reading_fails_loudly_on_what_decides_access() {
    let bad = |json: Value| {
        serde_json::from_value::<AccessGroup>(json)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        bad(
            serde_json::json!({"name": "G", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.1", "10.0.0.9-10.0.0.1"]}]})
        ),
        "access group `G` rule 0 term 1 `10.0.0.9-10.0.0.1`: reversed range: `10.0.0.9` is after `10.0.0.1`"
    );
    assert_eq!(
        bad(
            serde_json::json!({"name": "G", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["1.1.1.1"]}, {"type": "color", "operator": "eq", "terms": ["red"]}]})
        ),
        "access group `G` rule 1: unknown rule type `color`"
    );
    assert_eq!(
        bad(
            serde_json::json!({"name": "G", "principals": [{"type": "user", "principal_id": "a", "permissions": ["CAN_VIEW", "CAN_DELETE"]}]})
        ),
        "access group `G` principal 0: unknown permission `CAN_DELETE` (expected `CAN_VIEW` or `CAN_SCAN`)"
    );
    assert_eq!(
        bad(serde_json::json!({"name": "G", "access_group_type": "MANAGE"})),
        "access group `G`: unknown access group type `MANAGE` (expected `MANAGE_ASSETS`, `SCAN_TARGETS` or `ALL`)"
    );
    // unknown metadata and unknown principal types are kept, not fatal
    let g: AccessGroup = serde_json::from_value(serde_json::json!({
        "name": "G", "future_field": {"x": [1, 2]},
        "principals": [{"type": "access_group", "principal_id": "ag1", "permissions": ["CAN_VIEW"]}]
    }))
    .unwrap();
    assert_eq!(g.metadata().get("future_field").unwrap()["x"][1], 2);
    assert_eq!(
        g.principals()[0].kind(),
        &PrincipalKind::Other("access_group".into())
    );
    assert_eq!(
        g.permissions_for("ag1", &["ag1"]),
        AccessPermissions::empty()
    );
    assert_round_trip(&g, "inline");
    assert!(matches!(
        g.validate(),
        Err(AccessGroupError::BadPrincipalType { .. })
    ));
}
