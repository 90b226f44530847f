//! Tenable VM access-group JSON: v1 and v2 groups, lists of them, the list envelope, rules
//! and principals. Whatever reads must write (v2) and read back equal, and survive the
//! create/edit checks and matching; whatever fails must fail with a bounded message.
#![no_main]

#[path = "common.rs"]
mod common;

use common::bounded;
use libfuzzer_sys::fuzz_target;
use scangate::access::AccessGroupList;
use scangate::{
    AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, Principal,
    ReferenceMatcher, Rule, Target,
};

fn exercise(group: &AccessGroup) {
    let json = serde_json::to_string(group).unwrap();
    let back: AccessGroup = serde_json::from_str(&json).expect("a written group reads back");
    assert_eq!(&back, group, "{json}");

    match group.validate() {
        Ok(()) => {}
        Err(error) => bounded(&error.to_string()),
    }
    // Create and edit against a collection holding the All Assets group and one other.
    let existing = AccessGroups::from_server([
        AccessGroup::all_assets_group("all"),
        AccessGroup::new("Existing", AccessGroupType::ScanTargets).with_id("g1"),
    ]);
    for admin in [false, true] {
        match existing.create(admin, group.clone().with_id("new")) {
            Ok(created) => {
                assert!(admin);
                assert_eq!(created.len(), 3);
                assert!(group.validate().is_ok());
            }
            Err(error) => bounded(&error.to_string()),
        }
        for id in ["g1", "all", "missing"] {
            match existing.edit(admin, id, group.clone()) {
                Ok(edited) => {
                    assert!(admin);
                    assert_eq!(edited.len(), 2);
                }
                Err(error) => bounded(&error.to_string()),
            }
        }
    }

    let matcher = ReferenceMatcher;
    let groups = ["ops".to_owned()];
    for permission in [AccessPermissions::CAN_VIEW, AccessPermissions::CAN_SCAN] {
        let _ = group.grant("alice", &groups, permission);
    }
    let _ = group.permissions_for("alice", &groups);
    for written in ["10.0.0.1", "::1", "web01.corp.example.com"] {
        let target: Target = written.parse().unwrap();
        let direct = matcher.contains_target(group, &target);
        let asset = Asset::from_target(&target);
        let via_asset = matcher.contains_target_of_asset(group, &target, &asset);
        if direct.is_some() {
            assert!(via_asset.is_some());
        }
        let _ = matcher.contains_asset(group, &asset);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match serde_json::from_str::<AccessGroup>(text) {
        Ok(group) => exercise(&group),
        Err(error) => {
            // The message of serde_json's own errors (syntax) is serde_json's; ours, inside
            // it, are bounded.
            bounded(&error.to_string());
        }
    }

    if let Ok(list) = serde_json::from_str::<AccessGroupList>(text) {
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(
            serde_json::from_str::<AccessGroupList>(&json).unwrap(),
            list,
            "{json}"
        );
        for group in list.access_groups.iter().take(8) {
            exercise(group);
        }
    }

    if let Ok(groups) = serde_json::from_str::<Vec<AccessGroup>>(text) {
        let json = serde_json::to_string(&groups).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<AccessGroup>>(&json).unwrap(),
            groups
        );
        let all = AccessGroups::from_server(groups);
        for group in all.iter().take(8) {
            exercise(group);
        }
    }

    if let Ok(rule) = serde_json::from_str::<Rule>(text) {
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule, "{json}");
    }

    if let Ok(principal) = serde_json::from_str::<Principal>(text) {
        let json = serde_json::to_string(&principal).unwrap();
        assert_eq!(
            serde_json::from_str::<Principal>(&json).unwrap(),
            principal,
            "{json}"
        );
    }

    if let Ok(asset) = serde_json::from_str::<Asset>(text) {
        let json = serde_json::to_string(&asset).unwrap();
        assert_eq!(
            serde_json::from_str::<Asset>(&json).unwrap(),
            asset,
            "{json}"
        );
    }
});
