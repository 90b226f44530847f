//! Layer 1 through the public API: the scope catalogue against seed 000, implications,
//! strict parsing with exact errors, scope-set parsing and printing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{Scope, ScopeSet, scope::ScopeErrorKind};

const SEED_000: &str = include_str!("fixtures/seeds/000_4647228c4585d079.txt");

/// The seed's table rows: `scope description`, between the header and the page footer.
fn seed_rows() -> Vec<(&'static str, &'static str)> {
    SEED_000
        .lines()
        .skip_while(|line| *line != "Scope Description")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .map(|line| line.split_once(' ').unwrap())
        .collect()
}

#[test]
fn catalogue_is_the_seed_table_in_order_with_its_descriptions() {
    let rows = seed_rows();
    assert_eq!(rows.len(), 30);
    assert_eq!(Scope::ALL.len(), 30);
    for (scope, (wire, description)) in Scope::ALL.iter().zip(&rows) {
        assert_eq!(scope.as_str(), *wire);
        assert_eq!(scope.description(), *description, "description of {wire}");
    }
}

#[test]
fn every_scope_round_trips_through_display_and_parse() {
    for scope in Scope::ALL {
        assert_eq!(scope.to_string().parse::<Scope>(), Ok(*scope));
        assert_eq!(Scope::parse(scope.as_str()), Ok(*scope));
    }
}

/// The implication rule of SPEC §2, written as a string model independent of the table.
fn model_grants(holder: &str, wanted: &str) -> bool {
    holder == wanted
        || (holder == "scans" && wanted.starts_with("scans:"))
        || (holder == "groups:admin"
            && ["groups:read", "groups:manage", "groups:delete"].contains(&wanted))
}

#[test]
fn every_implication_and_no_other() {
    let mut implied_pairs = 0;
    for holder in Scope::ALL {
        let set = ScopeSet::of(&[*holder]);
        for wanted in Scope::ALL {
            let expected = model_grants(holder.as_str(), wanted.as_str());
            assert_eq!(set.grants(*wanted), expected, "{holder} grants {wanted}?");
            assert_eq!(set.grants_all(ScopeSet::of(&[*wanted])), expected);
            assert_eq!(
                holder.implies().contains(*wanted),
                expected && holder != wanted
            );
            if expected && holder != wanted {
                implied_pairs += 1;
            }
        }
    }
    // scans ⇒ 5 scans:* scopes, groups:admin ⇒ 3 groups scopes.
    assert_eq!(implied_pairs, 8);
}

#[test]
fn manage_does_not_imply_read_and_org_does_not_reach_memberships() {
    let key = ScopeSet::of(&[
        Scope::ScansManage,
        Scope::OrgWrite,
        Scope::OrgRead,
        Scope::GroupsManage,
    ]);
    assert!(!key.grants(Scope::ScansRead));
    assert!(!key.grants(Scope::OrgMembershipsRead));
    assert!(!key.grants(Scope::OrgMembershipsManage));
    assert!(!key.grants(Scope::GroupsRead));
    assert!(!ScopeSet::of(&[Scope::GroupsAdmin]).grants(Scope::ScansRead));
}

#[test]
fn rejections_name_the_text_and_suggest_the_closest_scope() {
    let cases: &[(&str, ScopeErrorKind, &str)] = &[
        (
            "scans : run",
            ScopeErrorKind::Whitespace,
            "invalid scope `scans : run`: contains whitespace; did you mean `scans:run`?",
        ),
        (
            "scan : read",
            ScopeErrorKind::Whitespace,
            "invalid scope `scan : read`: contains whitespace; did you mean `scans:read`?",
        ),
        (
            "scan:read",
            ScopeErrorKind::Unknown,
            "unknown scope `scan:read`; did you mean `scans:read`?",
        ),
        (
            "SCANS",
            ScopeErrorKind::Uppercase,
            "invalid scope `SCANS`: contains uppercase letters; did you mean `scans`?",
        ),
        ("", ScopeErrorKind::Empty, "empty scope"),
        (
            "scans:read ",
            ScopeErrorKind::Whitespace,
            "invalid scope `scans:read `: contains whitespace; did you mean `scans:read`?",
        ),
        (
            " scans:read",
            ScopeErrorKind::Whitespace,
            "invalid scope ` scans:read`: contains whitespace; did you mean `scans:read`?",
        ),
        (
            "scans:",
            ScopeErrorKind::EmptySegment,
            "invalid scope `scans:`: has an empty segment; did you mean `scans`?",
        ),
        (
            "org..memberships:read",
            ScopeErrorKind::EmptySegment,
            "invalid scope `org..memberships:read`: has an empty segment; did you mean `org.memberships:read`?",
        ),
        (
            "agents:write:repeater",
            ScopeErrorKind::ExtraColon,
            "invalid scope `agents:write:repeater`: has more than one `:`",
        ),
        (
            "scans*",
            ScopeErrorKind::Character('*'),
            "invalid scope `scans*`: contains the character `*`; did you mean `scans`?",
        ),
        (
            "discoveries:read",
            ScopeErrorKind::Unknown,
            "unknown scope `discoveries:read`",
        ),
        (
            "Scans:Read",
            ScopeErrorKind::Uppercase,
            "invalid scope `Scans:Read`: contains uppercase letters; did you mean `scans:read`?",
        ),
    ];
    for (input, kind, message) in cases {
        let error = Scope::parse(input).unwrap_err();
        assert_eq!(error.kind(), *kind, "kind for {input:?}");
        assert_eq!(error.to_string(), *message, "message for {input:?}");
        assert_eq!(error.input(), *input);
    }
}

#[test]
fn hostile_input_is_echoed_cut_and_gets_no_suggestion() {
    let long = format!("scans:{}", "x".repeat(1_000_000));
    let error = Scope::parse(&long).unwrap_err();
    assert_eq!(error.kind(), ScopeErrorKind::Unknown);
    assert_eq!(error.input().chars().count(), 65); // 64 characters and an ellipsis
    assert!(error.suggestion().is_none());
    assert!(error.to_string().len() < 120);
}

#[test]
fn scope_sets_parse_from_space_and_comma_lists_and_print_canonically() {
    let expected = ScopeSet::of(&[Scope::IssuesRead, Scope::ScansRead]);
    for text in [
        "scans:read issues:read",
        "scans:read,issues:read",
        "issues:read, scans:read",
        " scans:read ,\tissues:read\n",
        "issues:read scans:read issues:read",
    ] {
        assert_eq!(text.parse::<ScopeSet>(), Ok(expected), "{text:?}");
    }
    assert_eq!(expected.to_string(), "scans:read issues:read");
    assert_eq!(expected.to_string().parse::<ScopeSet>(), Ok(expected));
    assert_eq!("".parse::<ScopeSet>(), Ok(ScopeSet::EMPTY));
    assert_eq!(ScopeSet::EMPTY.to_string(), "");
}

#[test]
fn scope_set_errors_report_the_whole_spaced_scope() {
    let error = "bot, scans : run, scan : read"
        .parse::<ScopeSet>()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid scope `scans : run`: contains whitespace; did you mean `scans:run`?"
    );
    let error = "bot scans:stop scans:".parse::<ScopeSet>().unwrap_err();
    assert_eq!(error.input(), "scans:");
}

#[test]
fn effective_lists_every_scope_after_implication() {
    let key = ScopeSet::of(&[Scope::Scans, Scope::GroupsAdmin]);
    assert_eq!(
        key.effective().to_string(),
        "scans scans:read scans:manage scans:run scans:stop scans:delete groups:admin groups:manage groups:read groups:delete"
    );
    assert_eq!(key.to_string(), "scans groups:admin");
    assert_eq!(
        key.missing(ScopeSet::of(&[Scope::ScansRun, Scope::ProjectsRead])),
        ScopeSet::of(&[Scope::ProjectsRead])
    );
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    #[test]
    fn scope_sets_are_json_arrays_and_also_read_from_strings() {
        let set = ScopeSet::of(&[Scope::OrgMembershipsRead, Scope::Bot]);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"["bot","org.memberships:read"]"#);
        assert_eq!(serde_json::from_str::<ScopeSet>(&json).unwrap(), set);
        assert_eq!(
            serde_json::from_str::<ScopeSet>(r#""bot org.memberships:read""#).unwrap(),
            set
        );
        let error = serde_json::from_str::<ScopeSet>(r#"["bot", "scans : run"]"#).unwrap_err();
        assert!(
            error.to_string().contains("did you mean `scans:run`?"),
            "{error}"
        );
        assert!(serde_json::from_str::<ScopeSet>("42").is_err());
        assert!(serde_json::from_str::<ScopeSet>(r#"[["bot"]]"#).is_err());
    }
}
