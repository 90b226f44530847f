//! One failure is one type: the error a name, a rule or a term fails with is the same value
//! wherever it is reported, and an error that adds context (the group, the rule, the
//! attribute) holds it as its `source` instead of copying its cases. A refused change says
//! which action and which layer refused it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use std::error::Error;

use scangate::access::{
    Operator, OperatorNotAllowed, Rule, RuleError, RuleType, Term, TermError, UnknownOperator,
    UnknownRuleType,
};
use scangate::policy::Layer;
use scangate::role::RoleDraft;
use scangate::{
    AccessGroup, AccessGroupError, Action, Asset, Policy, PolicyError, RoleId, Subject, Target,
    User,
};

/// The `source` of `error`, as a `T`.
fn source_of<'e, T: Error + 'static>(error: &'e (dyn Error + 'static)) -> &'e T {
    error
        .source()
        .and_then(|source| source.downcast_ref::<T>())
        .unwrap_or_else(|| panic!("no source of the expected type in `{error}`"))
}

/// A wrapper's message is its context followed by its source's message, so that
/// `to_string()` alone says everything (as a 400 body needs).
fn ends_with_source(error: &(dyn Error + 'static)) {
    let source = error.source().expect("a source");
    assert!(
        error.to_string().ends_with(&source.to_string()),
        "`{error}` does not end with `{source}`"
    );
}

#[test]
fn an_unknown_operator_is_one_type_from_the_name_to_the_group() {
    let parsed = "EQ".parse::<Operator>().unwrap_err();
    assert_eq!(parsed, UnknownOperator("EQ".to_owned()));
    let rule = Rule::parse("ipv4", "EQ", ["10.0.0.1"]).unwrap_err();
    assert_eq!(rule, RuleError::UnknownOperator(parsed.clone()));
    assert_eq!(rule.to_string(), parsed.to_string());
    let group = rule.clone().in_group("Lab", 4);
    assert_eq!(
        group,
        AccessGroupError::Rule {
            group: "Lab".to_owned(),
            rule: 4,
            source: rule.clone(),
        }
    );
    assert_eq!(source_of::<RuleError>(&group), &rule);
    assert_eq!(
        group.to_string(),
        "access group `Lab` rule 4: unknown operator `EQ` (expected one of `eq`, `match`, `starts`, `ends`, `set-has`)"
    );
    ends_with_source(&group);
    assert_eq!(group.code(), None);
    assert_eq!(group.http_status(), 400);
}

#[test]
fn an_unknown_rule_type_is_one_type_in_rules_and_assets() {
    let parsed = "colour".parse::<RuleType>().unwrap_err();
    assert_eq!(parsed, UnknownRuleType("colour".to_owned()));
    let rule = Rule::parse("colour", "eq", ["x"]).unwrap_err();
    assert_eq!(rule, RuleError::UnknownRuleType(parsed.clone()));
    let group = rule.clone().in_group("G", 1);
    assert_eq!(
        group.to_string(),
        "access group `G` rule 1: unknown rule type `colour`"
    );
    assert_eq!(source_of::<RuleError>(&group), &rule);
    // An asset attribute that is not a rule type: the same error, as the source.
    let asset = Asset::new().with("colour", "blue").unwrap_err();
    assert_eq!(asset.to_string(), "unknown asset attribute `colour`");
    assert_eq!(source_of::<UnknownRuleType>(&asset), &parsed);
}

#[test]
fn an_operator_not_allowed_is_one_type_for_rules_and_terms() {
    let expected = OperatorNotAllowed {
        rule_type: RuleType::TagUuid,
        operator: Operator::Eq,
    };
    let term = Term::parse(RuleType::TagUuid, Operator::Eq, "x").unwrap_err();
    assert_eq!(term, TermError::OperatorNotAllowed(expected));
    let rule = Rule::new(RuleType::TagUuid, Operator::Eq, ["x"]).unwrap_err();
    assert_eq!(rule, RuleError::OperatorNotAllowed(expected));
    // The same message, with the allowed operators, however it is reached.
    let message = "operator `eq` is not allowed for `tag_uuid` (allowed: `set-has`)";
    assert_eq!(expected.to_string(), message);
    assert_eq!(term.to_string(), message);
    assert_eq!(rule.to_string(), message);
    let group = rule.in_group("Lab", 0);
    assert_eq!(
        group.to_string(),
        format!("access group `Lab` rule 0: {message}")
    );
    ends_with_source(&group);
}

#[test]
fn a_bad_term_keeps_its_reason_as_the_source_at_every_level() {
    let rule = Rule::parse("ipv4", "eq", ["10.0.0.1", "10.0.0.0/33"]).unwrap_err();
    let reason = TermError::PrefixTooLong {
        prefix: 33,
        max: 32,
    };
    assert_eq!(source_of::<TermError>(&rule), &reason);
    ends_with_source(&rule);
    let group = rule.in_group("Lab", 3);
    let inner = source_of::<RuleError>(&group);
    assert!(matches!(inner, RuleError::BadTerm { index: 1, .. }));
    assert_eq!(source_of::<TermError>(inner), &reason);
    assert_eq!(
        group.to_string(),
        "access group `Lab` rule 3 term 1 `10.0.0.0/33`: cidr prefix /33 is over 32"
    );
    ends_with_source(&group);
    // Asset values and scan targets name what they read, with the term error as source.
    let asset = Asset::new().with("ipv4", "10.0.0.256").unwrap_err();
    assert_eq!(
        source_of::<TermError>(&asset),
        &TermError::BadIpv4("10.0.0.256".to_owned())
    );
    ends_with_source(&asset);
    let target = "a".repeat(300).parse::<Target>().unwrap_err();
    assert_eq!(
        source_of::<TermError>(&target),
        &TermError::NameTooLong {
            chars: 300,
            max: 253
        }
    );
    ends_with_source(&target);
}

#[cfg(feature = "serde")]
#[test]
fn unknown_permissions_and_group_types_are_the_parsers_errors_in_context() {
    use scangate::access::{
        AccessGroupType, AccessPermissions, UnknownAccessGroupType, UnknownPermission,
    };

    let parsed = AccessPermissions::from_wire_names(["CAN_DELETE"]).unwrap_err();
    assert_eq!(parsed, UnknownPermission("CAN_DELETE".to_owned()));
    let group = serde_json::from_str::<AccessGroup>(
        r#"{"name": "G", "principals": [{"type": "user", "principal_id": "u", "permissions": ["CAN_DELETE"]}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        group.starts_with(&format!("access group `G` principal 0: {parsed}")),
        "{group}"
    );
    assert!(group.starts_with(
        "access group `G` principal 0: unknown permission `CAN_DELETE` (expected `CAN_VIEW` or `CAN_SCAN`)"
    ));

    let parsed = "MANAGE".parse::<AccessGroupType>().unwrap_err();
    assert_eq!(parsed, UnknownAccessGroupType("MANAGE".to_owned()));
    let group =
        serde_json::from_str::<AccessGroup>(r#"{"name": "G", "access_group_type": "MANAGE"}"#)
            .unwrap_err()
            .to_string();
    assert!(
        group.starts_with(&format!("access group `G`: {parsed}")),
        "{group}"
    );
    assert!(group.starts_with(
        "access group `G`: unknown access group type `MANAGE` (expected `MANAGE_ASSETS`, `SCAN_TARGETS` or `ALL`)"
    ));
}

#[test]
fn a_refused_change_names_its_action_and_layer() {
    let policy = Policy::builder()
        .user(User::new("ann", RoleId::AUDITOR))
        .user(User::new("root", RoleId::ADMINISTRATOR))
        .build()
        .unwrap();
    // Layer 2: an Auditor lacks permManageRoles.
    let error = policy
        .create_role(&Subject::user("ann"), RoleDraft::new("Tickets"))
        .unwrap_err();
    let PolicyError::Denied {
        action,
        layer,
        reason,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!((*action, *layer), (Some(Action::ROLE_CREATE), Layer::Role));
    assert!(
        reason.starts_with("deny `role.create`: role `Auditor` lacks"),
        "{reason}"
    );
    assert_eq!(&error.to_string(), reason);
    // The subject: nobody of that name.
    let error = policy
        .delete_role(&Subject::user("mallory"), RoleId::AUDITOR)
        .unwrap_err();
    assert!(matches!(
        error,
        PolicyError::Denied {
            action: Some(Action::ROLE_DELETE),
            layer: Layer::Subject,
            ..
        }
    ));
    // Layer 1: a key without `roles:write`.
    let error = policy
        .create_role(
            &Subject::user("root").with_scopes("scans".parse().unwrap()),
            RoleDraft::new("Tickets"),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        PolicyError::Denied {
            action: Some(Action::ROLE_CREATE),
            layer: Layer::Scopes,
            ..
        }
    ));
    // The change lacks what it needs: a requester with a role, an id to edit.
    let error = policy
        .create_role(
            &Subject::api_key("roles:write".parse().unwrap()),
            RoleDraft::new("Tickets"),
        )
        .unwrap_err();
    assert_eq!(
        error,
        PolicyError::Denied {
            action: Some(Action::ROLE_CREATE),
            layer: Layer::Object,
            reason: "`role.create` needs a requester with a role".to_owned(),
        }
    );
    let error = policy
        .edit_access_group(
            &Subject::user("root"),
            AccessGroup::new("Lab", scangate::access::AccessGroupType::ManageAssets),
        )
        .unwrap_err();
    assert_eq!(
        error,
        PolicyError::Denied {
            action: Some(Action::ACCESS_GROUP_EDIT),
            layer: Layer::Object,
            reason: "an access group to edit needs its id".to_owned(),
        }
    );
    // A new API key is no action of the catalogue.
    let error = policy
        .check_new_key(&Subject::user("mallory"), "scans".parse().unwrap())
        .unwrap_err();
    assert_eq!(
        error,
        PolicyError::Denied {
            action: None,
            layer: Layer::Subject,
            reason: "unknown user `mallory`".to_owned(),
        }
    );
}
