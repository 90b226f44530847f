//! The engine's decision table (`tests/data/engine/decisions.jsonl`) against the policy in
//! `tests/data/engine/policy.json`: every catalogue action allowed and denied, keys ∩
//! roles, every fail-closed case, and the explanation each decision must give.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use scangate::{Action, Policy, policy::Request};
use serde_json::Value;
use std::collections::BTreeMap;

const POLICY: &str = include_str!("data/engine/policy.json");
const TABLE: &str = include_str!("data/engine/decisions.jsonl");

fn rows() -> Vec<Value> {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_row_decides_and_explains_as_the_table_says() {
    let policy = Policy::from_json(POLICY).unwrap();
    let mut failures = Vec::new();
    let rows = rows();
    for (number, row) in rows.iter().enumerate() {
        let request = Request::from_json(&row["request"].to_string())
            .unwrap_or_else(|e| panic!("row {}: {e}", number + 1));
        let decision = policy.check_request(&request);
        let sentence = decision.to_string();
        let expected = row["expect"].as_str().unwrap();
        let got = if decision.is_allowed() {
            "allow"
        } else {
            "deny"
        };
        if got != expected {
            failures.push(format!(
                "row {}: expected {expected}, got: {sentence}",
                number + 1
            ));
            continue;
        }
        if let Some(layer) = row.get("layer").and_then(Value::as_str) {
            let denied_by = decision.denied_by().map(|l| l.as_str());
            if denied_by != Some(layer) {
                failures.push(format!(
                    "row {}: expected denial by {layer}, got {denied_by:?}: {sentence}",
                    number + 1
                ));
            }
        }
        if let Some(text) = row.get("explains").and_then(Value::as_str) {
            if !sentence.contains(text) {
                failures.push(format!(
                    "row {}: explanation lacks {text:?}: {sentence}",
                    number + 1
                ));
            }
        }
        // The JSON explanation agrees with the decision.
        let json = serde_json::to_value(&decision).unwrap();
        assert_eq!(json["decision"], got);
        assert_eq!(json["action"], request.action());
        // is_allowed agrees with check.
        if let Some(action) = policy.action(request.action()) {
            assert_eq!(
                policy.is_allowed(&request.subject(), action, request.resource()),
                decision.is_allowed(),
                "row {}",
                number + 1
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_covers_every_catalogue_action_allowed_and_denied() {
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for row in rows() {
        let action = row["request"]["action"].as_str().unwrap().to_owned();
        let entry = seen.entry(action).or_default();
        if row["expect"] == "allow" {
            entry.0 += 1
        } else {
            entry.1 += 1
        }
    }
    let mut missing = Vec::new();
    for action in Action::builtin() {
        let name = action.to_string();
        match seen.get(&name) {
            Some((allows, denies)) if *allows > 0 && *denies > 0 => {}
            other => missing.push(format!("{name}: {other:?}")),
        }
    }
    assert!(
        missing.is_empty(),
        "actions without an allow and a deny row: {missing:?}"
    );
    assert_eq!(Action::builtin().count(), 65);
}
