//! Every fixture file is documented in its SOURCES.md and is valid JSON; the layer tests
//! (`role_wire`, `bright_fixtures`, `access_*`) read each one for its meaning.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_is_documented_and_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let top_sources = std::fs::read_to_string(root.join("SOURCES.md")).unwrap();
    let mut checked = 0;
    for (dir, sources) in [
        ("tenable-sc", top_sources.clone()),
        ("tenable-vm", top_sources.clone()),
        (
            "bright",
            std::fs::read_to_string(root.join("bright/SOURCES.md")).unwrap(),
        ),
    ] {
        for name in files(&root.join(dir)) {
            if name == "SOURCES.md" {
                continue;
            }
            // bright/SOURCES.md lists the Markdown rendering beside its JSON as "`x.json` / `.md`".
            let listed_as = name
                .strip_suffix(".md")
                .map_or(name.clone(), |stem| format!("{stem}.json"));
            assert!(
                sources.contains(&format!("`{listed_as}`")),
                "{dir}/{name} is not in SOURCES.md"
            );
            let text = std::fs::read_to_string(root.join(dir).join(&name)).unwrap();
            if name.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{dir}/{name}: {e}"));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 16 + 23 + 9);
}

#[test]
fn seeds_are_the_four_source_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let names = files(&root);
    assert_eq!(names.len(), 5);
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for name in names.iter().filter(|n| n.ends_with(".txt")) {
        assert!(
            readme.contains(name.as_str()),
            "{name} not in seeds/README.md"
        );
    }
}
