//! The command-line example's `plan` and `select` with v3 tags and permissions (issue 13):
//! `plan` lists the granted tags with their permission and filter, and `select` stores the
//! attributes only tag filters read, so a `set-hasonly` on `sources` selects in SQLite what
//! `check` allows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

#[path = "support/example_binary.rs"]
mod example_binary;

use example_binary::binary;
use serde_json::{Value, json};
use std::process::{Command, Output};

const POLICY: &str = r#"{
  "users": [{"id": "00000000-0000-4000-8000-00000000000a", "role": 3}],
  "tags": [
    {"uuid": "55ba39c1-9498-4090-b81a-e17b3a0ccbc0", "category_name": "Source", "value": "Scanned",
     "type": "dynamic",
     "filters": {"asset": "{\"or\":[{\"field\":\"sources\",\"operator\":\"set-hasonly\",\"value\":\"NESSUS_SCAN,AWS\"},{\"field\":\"fqdn\",\"operator\":\"nmatch\",\"value\":\"db*\"}]}"}}
  ],
  "permissions": [
    {"permission_uuid": "4c931fce-699c-4052-a43c-c953e71dd37b", "name": "Scanned viewers",
     "subjects": [{"type": "User", "uuid": "00000000-0000-4000-8000-00000000000a"}],
     "actions": ["CanView"],
     "objects": [{"type": "Tag", "uuid": "55ba39c1-9498-4090-b81a-e17b3a0ccbc0"},
                 {"type": "Tag", "uuid": "55ba39c1-9498-4090-b81a-e17b3a0ccbc1"}]}
  ]
}"#;

const ASSETS: &str = r#"{"id": "only-listed", "sources": ["AWS", "NESSUS_SCAN"]}
{"id": "other-source", "sources": ["AWS", "AGENT"]}
{"id": "web", "fqdn": ["web.example"]}
{"id": "db", "fqdn": ["db.example"]}
{"id": "named", "tag_uuid": ["55BA39C1-9498-4090-B81A-E17B3A0CCBC1"]}
{"id": "nothing"}
"#;

const REQUEST: &str =
    r#"{"subject": {"user": "00000000-0000-4000-8000-00000000000a"}, "action": "asset.view"}"#;

fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn files() -> (String, String) {
    let dir = std::env::temp_dir().join(format!("scangate-cli-plan-tags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    let assets = dir.join("assets.jsonl");
    std::fs::write(&policy, POLICY).unwrap();
    std::fs::write(&assets, ASSETS).unwrap();
    (
        policy.to_str().unwrap().to_owned(),
        assets.to_str().unwrap().to_owned(),
    )
}

#[test]
fn plan_lists_the_granted_tags_with_their_permission_and_filter() {
    let (policy, _) = files();
    let output = run(&["plan", "--policy", &policy, "--request", REQUEST]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["plan"], "filter");
    assert_eq!(plan["tags"][0]["tag"], "Source:Scanned");
    assert_eq!(plan["tags"][0]["permission"], "Scanned viewers");
    assert_eq!(
        plan["tags"][0]["filter"]["or"][0],
        json!({"field": "sources", "operator": "set-hasonly", "value": "NESSUS_SCAN,AWS"})
    );
    // A uuid only the permission names: matched by `tag_uuid` alone.
    assert_eq!(
        plan["tags"][1],
        json!({"uuid": "55ba39c1-9498-4090-b81a-e17b3a0ccbc1", "tag": null, "permission": "Scanned viewers", "filter": null})
    );
    let sql = plan["sql"].as_str().unwrap();
    assert!(sql.contains("NOT EXISTS"), "{sql}");
    assert!(!sql.contains("NESSUS"), "{sql}");
}

#[test]
fn select_stores_extra_attributes_and_selects_what_check_allows() {
    let (policy, assets) = files();
    let output = run(&[
        "select",
        "--policy",
        &policy,
        "--request",
        REQUEST,
        "--assets",
        &assets,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ids: Vec<&str> = std::str::from_utf8(&output.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(ids, ["only-listed", "web", "named"]);
}
