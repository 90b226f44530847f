//! `Schema::rows` stores the attributes only tag filters read (`sources`,
//! `installed_software`, …) beside the rule types' (`docs/semantics.md`, "Query plans"):
//! a plan's `tag` conditions on them must find their rows.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic

use scangate::Asset;
use scangate::access::{Attribute, ExtraAttribute};
use scangate::plan::{Dialect, RowError, Schema};

#[test]
fn rows_hold_the_extra_attributes_after_the_rule_types() {
    let asset = Asset::new()
        .with("sources", "NESSUS_SCAN")
        .unwrap()
        .with("installed_software", "CPE:/a:Vendor:Thing")
        .unwrap()
        .with("tenable_uuid", "0A1B2C3D4E5F60718293A4B5C6D7E8F9")
        .unwrap()
        .with("fqdn", "Web.Example.")
        .unwrap();
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let rows = Schema::rows(&asset, dialect).unwrap();
        let rows: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.attribute, r.value.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("fqdn", "web.example"),
                ("tenable_uuid", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"),
                ("installed_software", "cpe:/a:vendor:thing"),
                ("sources", "NESSUS_SCAN"),
            ]
        );
    }
}

#[test]
fn an_extra_attribute_holding_nul_is_refused_by_name() {
    let asset = Asset::new().with("sources", "a\0b").unwrap();
    assert_eq!(
        Schema::rows(&asset, Dialect::Sqlite),
        Err(RowError::Nul {
            attribute: Attribute::Extra(ExtraAttribute::Sources)
        })
    );
}
