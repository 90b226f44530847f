//! A dynamic tag's deciding condition is numbered depth-first over the whole filter
//! (`docs/semantics.md`, "Layer 3 v3: permissions and tags"), also when an `and` before it
//! fails at its first member: the `and`'s later conditions still count.
//!
//! Found by `tests/engine_model_v3.rs`: the `and` stopped counting at its first failing
//! member, so the explanation named the wrong condition of the filter.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic

use scangate::Asset;
use scangate::tags::{FilterCondition, FilterExpr, TagFilter};

fn condition(field: &str, operator: &str, value: &str) -> FilterExpr {
    FilterExpr::Condition(FilterCondition::parse(field, operator, value).unwrap())
}

#[test]
fn a_failed_and_counts_all_its_conditions() {
    // 0: fqdn eq, 1: operating_system eq (both in the `and`), 2: ipv4 eq.
    let filter = TagFilter::new(FilterExpr::Or(vec![
        FilterExpr::And(vec![
            condition("fqdn", "eq", "web.corp.example"),
            condition("operating_system", "eq", "linux"),
        ]),
        condition("ipv4", "eq", "192.168.0.0/24"),
    ]))
    .unwrap();
    // No fqdn: the `and` fails at its first member; the `or`'s second member decides.
    let asset = Asset::new()
        .with("ipv4", "192.168.0.10")
        .unwrap()
        .with("operating_system", "Linux")
        .unwrap();
    let decided = filter.first_match(&asset, |_| None).unwrap();
    assert_eq!(decided.condition, 2);
    assert_eq!(decided.value, Some(0));
    assert_eq!(
        filter.conditions()[decided.condition].to_string(),
        "ipv4 eq `192.168.0.0/24`"
    );
}

#[test]
fn a_failed_nested_or_and_its_and_count_all_their_conditions() {
    // 0: sources set-has, 1: fqdn eq (an `and` inside an `or` inside an `and` that fails at
    // its second member), 2: netbios_name eq, 3: ipv4 eq.
    let filter = TagFilter::new(FilterExpr::Or(vec![
        FilterExpr::And(vec![
            condition("sources", "set-has", "AWS"),
            FilterExpr::Or(vec![FilterExpr::And(vec![
                condition("fqdn", "eq", "web.corp.example"),
                condition("netbios_name", "eq", "HOST1"),
            ])]),
        ]),
        condition("ipv4", "eq", "10.0.0.0/8"),
    ]))
    .unwrap();
    let asset = Asset::new()
        .with("sources", "AWS")
        .unwrap()
        .with("ipv4", "10.1.2.3")
        .unwrap();
    let decided = filter.first_match(&asset, |_| None).unwrap();
    assert_eq!(decided.condition, 3);
}
