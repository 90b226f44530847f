//! The Bright (NeuraLegion) scope fixtures: every file is read, every scope they spell is
//! held to the catalogue and grammar, and the documented semantics are checked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use scangate::{Scope, ScopeSet, scope::ScopeErrorKind};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/bright/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// A scope of the catalogue, or a well-formed scope this crate does not (yet) list: adding
/// it would be one line in the table.
fn assert_catalogue_or_well_formed(text: &str) {
    match Scope::parse(text) {
        Ok(scope) => assert_eq!(scope.as_str(), text),
        Err(error) => assert_eq!(error.kind(), ScopeErrorKind::Unknown, "`{text}`: {error}"),
    }
}

#[test]
fn the_2022_organization_key_list_is_exactly_the_catalogue() {
    let snapshots = fixture("scope_catalogue_snapshots.json");
    let org = strings(&snapshots["readme-2022"]["key_types"]["organization_api_key"]["scopes"]);
    let parsed: ScopeSet = org.iter().map(|s| s.parse::<Scope>().unwrap()).collect();
    assert_eq!(org.len(), 30);
    assert_eq!(parsed.len(), 30);
    assert_eq!(parsed, Scope::ALL.iter().copied().collect());
}

#[test]
fn every_snapshot_scope_is_in_the_catalogue_or_well_formed() {
    let snapshots = fixture("scope_catalogue_snapshots.json");
    let mut seen = 0;
    for snapshot in snapshots.as_object().unwrap().values() {
        for key_type in snapshot["key_types"].as_object().unwrap().values() {
            for field in ["scopes", "visible_prefix", "older_crawl_prefix"] {
                if let Some(list) = key_type.get(field) {
                    for scope in strings(list) {
                        assert_catalogue_or_well_formed(scope);
                        seen += 1;
                    }
                }
            }
        }
        if let Some(list) = snapshot.get("scopes_seen_only_in_current_docs") {
            strings(list)
                .into_iter()
                .for_each(assert_catalogue_or_well_formed);
        }
    }
    assert!(seen > 300, "read {seen} scopes");
}

#[test]
fn documented_operations_parse_and_misspellings_get_the_documented_fix() {
    let operations = fixture("operation_required_scopes.json");
    let mut corrected = 0;
    for row in operations.as_array().unwrap() {
        for field in [
            "required_scopes",
            "optional_scopes",
            "required_scopes_partial",
        ] {
            if let Some(list) = row.get(field) {
                for scope in strings(list) {
                    match scope {
                        // The retired three-part Repeater scope (scope_history_and_grammar.json).
                        "agents:write:repeater" => {
                            assert_eq!(
                                Scope::parse(scope).unwrap_err().kind(),
                                ScopeErrorKind::ExtraColon
                            );
                        }
                        _ => assert_catalogue_or_well_formed(scope),
                    }
                }
            }
        }
        if let (Some(written), Some(normalised)) =
            (row.get("scopes_as_written"), row.get("required_scopes"))
        {
            for (written, normalised) in strings(written).into_iter().zip(strings(normalised)) {
                if let Ok(intended) = Scope::parse(normalised) {
                    match Scope::parse(written) {
                        Ok(scope) => assert_eq!(scope, intended),
                        Err(error) => {
                            assert_eq!(error.suggestion(), Some(intended), "`{written}`");
                            corrected += 1;
                        }
                    }
                }
            }
        }
    }
    // `scans : run`, `scan : read`, `scans : stop` in two rows.
    assert_eq!(corrected, 6);
    let markdown = std::fs::read_to_string(format!(
        "{}/tests/fixtures/bright/operation_required_scopes.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    for row in operations.as_array().unwrap() {
        assert!(
            markdown.contains(&format!("| {} |", row["id"].as_str().unwrap())),
            "md lacks {}",
            row["id"]
        );
    }
}

#[test]
fn documented_semantics_hold_for_catalogue_scopes() {
    let semantics = fixture("documented_semantics.json");
    // Bare `scans` is unrestricted access to scan management.
    let scans = ScopeSet::of(&[Scope::Scans]);
    for scope in Scope::ALL
        .iter()
        .filter(|s| s.as_str().starts_with("scans:"))
    {
        assert!(scans.grants(*scope));
    }
    // manage never implies read, for every documented pair in the catalogue.
    let mut pairs = 0;
    for pair in semantics["manage_vs_read"].as_array().unwrap() {
        let pair = strings(&pair["pair"]);
        if let (Ok(manage), Ok(read)) = (Scope::parse(pair[0]), Scope::parse(pair[1])) {
            assert!(
                !ScopeSet::of(&[manage]).grants(read),
                "{manage} must not grant {read}"
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 2);
    // No source has a wildcard form; neither does the grammar.
    assert!(semantics["wildcards"].as_str().unwrap().starts_with("None"));
    assert_eq!(
        Scope::parse("scans:*").unwrap_err().kind(),
        ScopeErrorKind::Character('*')
    );
}

#[test]
fn the_matrix_and_history_spell_only_well_formed_scopes() {
    let matrix = fixture("manage_access_scopes_matrix_partial.json");
    for row in matrix["rows"].as_array().unwrap() {
        assert_catalogue_or_well_formed(row["scope"].as_str().unwrap());
    }
    let history = fixture("scope_history_and_grammar.json");
    let renames: Vec<&str> = history["repeater_scope_renames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scope"].as_str().unwrap())
        .collect();
    assert_eq!(renames, ["agents:write:repeater", "repeaters:write", "bot"]);
    assert!(Scope::parse(renames[0]).is_err());
    assert_eq!(Scope::parse(renames[1]), Ok(Scope::RepeatersWrite));
    assert_eq!(Scope::parse(renames[2]), Ok(Scope::Bot));
}

#[test]
fn inferred_endpoint_scopes_name_well_formed_scopes() {
    let endpoints = fixture("endpoint_scope_inferred_from_clients.json");
    let rows = endpoints["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 19);
    for row in rows {
        // "scans:run (+ projects:read / org:read per docs)": the first word is the scope.
        let first = row["inferred_scope"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        assert_catalogue_or_well_formed(first);
    }
}
