//! The command-line example's `plan` and `select` (issue 12).
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

const POLICY: &str = "tests/data/plan/policy.json";
const ASSETS: &str = "tests/data/plan/assets.jsonl";
const ALICE_VIEW: &str = r#"{"subject": {"user": "alice"}, "action": "asset.view"}"#;

fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn plan_prints_one_object_with_the_filter_sql_and_params() {
    let output = run(&[
        "plan",
        "--policy",
        POLICY,
        "--request",
        ALICE_VIEW,
        "--dialect",
        "postgres",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1);
    let plan: Value = serde_json::from_str(&text).unwrap();
    // Keys in this order (serde_json's `Value` would sort them: look at the text).
    let at: Vec<usize> = ["\"plan\"", "\"filter\"", "\"sql\"", "\"params\""]
        .iter()
        .map(|key| text.find(key).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(plan["plan"], "filter");
    // Two IPv4 terms, one interval; the OS pattern's `%` and `_` escaped in a parameter.
    assert_eq!(
        plan["filter"][0]["between"],
        json!(["10.0.0.0", "10.0.0.200"])
    );
    assert_eq!(plan["filter"][0]["sources"].as_array().unwrap().len(), 2);
    assert_eq!(
        plan["params"],
        json!(["ipv4", {"inet": "10.0.0.0"}, {"inet": "10.0.0.200"}, "fqdn", "%.web.example.com",
               "operating_system", r"%50\%\_off%'; drop%"])
    );
    let sql = plan["sql"].as_str().unwrap();
    assert!(
        sql.contains("$7") && !sql.contains("drop") && !sql.contains("web"),
        "{sql}"
    );
    // SQLite: `?` placeholders and addresses as blobs.
    let output = run(&["plan", "--policy", POLICY, "--request", ALICE_VIEW]);
    let plan: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(plan["params"][1], json!({"blob": "0a000000"}));
    assert!(
        plan["sql"]
            .as_str()
            .unwrap()
            .contains("\"ip\" BETWEEN ? AND ?")
    );
}

#[test]
fn plan_none_gives_the_reason_and_usage_errors_exit_2() {
    let output = run(&[
        "plan",
        "--policy",
        POLICY,
        "--request",
        r#"{"subject": {"user": "ann"}, "action": "asset.scan"}"#,
    ]);
    let plan: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        plan,
        json!({"plan": "none", "reason": "role `Auditor` lacks permScan", "sql": "1 = 0", "params": []})
    );
    let output = run(&[
        "plan",
        "--policy",
        POLICY,
        "--request",
        ALICE_VIEW,
        "--dialect",
        "mysql",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown dialect `mysql`"));
    // A request naming a resource is not a plan's question.
    let output = run(&[
        "plan",
        "--policy",
        POLICY,
        "--request",
        r#"{"subject": {"user": "alice"}, "action": "asset.view", "resource": {"asset": {}}}"#,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
}

#[test]
fn select_prints_the_selected_ids_in_file_order() {
    let output = run(&[
        "select",
        "--policy",
        POLICY,
        "--request",
        ALICE_VIEW,
        "--assets",
        ASSETS,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // a3 (10.0.0.201, db.example.com) and a5 (`x` where the pattern has `%_`) are not.
    assert_eq!(stdout(&output), "a1\na2\na4\na6\n");
    let output = run(&[
        "select",
        "--policy",
        POLICY,
        "--request",
        r#"{"subject": {"user": "ann"}, "action": "asset.view"}"#,
        "--assets",
        ASSETS,
    ]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_malformed_assets_line_is_an_error_naming_it_and_nothing_is_selected() {
    let dir = std::env::temp_dir().join(format!("scangate-cli-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, content, line) in [
        (
            "bad_ip.jsonl",
            "{\"id\": \"x\", \"ipv4\": [\"10.0.0.1\"]}\n\n{\"id\": \"y\", \"ipv4\": [\"10.0.0.300\"]}\n",
            3,
        ),
        (
            "no_id.jsonl",
            "{\"id\": \"x\", \"ipv4\": [\"10.0.0.1\"]}\n{\"ipv4\": [\"10.0.0.2\"]}\n",
            2,
        ),
        (
            "not_json.jsonl",
            "{\"id\": \"x\"}\n{\"id\": \"y\"}\n{\"id\": \n",
            3,
        ),
        ("unknown.jsonl", "{\"id\": \"x\", \"ipv5\": []}\n", 1),
        (
            "duplicate_id.jsonl",
            "{\"id\": \"x\"}\n{\"id\": \"x\", \"ipv4\": [\"10.0.0.1\"]}\n",
            2,
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let output = run(&[
            "select",
            "--policy",
            POLICY,
            "--request",
            ALICE_VIEW,
            "--assets",
            path.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert_eq!(stdout(&output), "", "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("line {line}:")),
            "{name}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
