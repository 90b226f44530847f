//! Scanning an asset is scanning its addresses (`docs/semantics.md`, "Choice (asset
//! checks)"): for `asset.scan`, the asset filter and `who_can` with `CAN_SCAN`, a
//! SCAN_TARGETS group contains an asset when one of the asset's `ipv4`, `ipv6`, `fqdn` or
//! `hostname` values matches a rule of that same type. Its rules of other types never
//! count; `asset.view` stays with MANAGE_ASSETS groups and All Assets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    AccessGroup, Action, Asset, Policy, Resource, RoleId, Subject, Target, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Membership, Principal, Rule},
    policy::{ObjectGrant, Reach, Via},
};

/// bob may scan `192.168.5.10-192.168.5.20` through a SCAN_TARGETS group, whose rule 0 is a
/// tag rule (which must not count for assets).
fn policy() -> Policy {
    let scan = AccessGroup::new("Scan lab", AccessGroupType::ScanTargets)
        .with_id("s1")
        .with_rule(
            Rule::parse(
                "tag_uuid",
                "set-has",
                ["a59ae831-2695-40b1-a9f9-9a26258f5486"],
            )
            .unwrap(),
        )
        .with_rule(Rule::parse("fqdn", "eq", ["lab.example.com"]).unwrap())
        .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.1", "192.168.5.10-192.168.5.20"]).unwrap())
        .with_principal(Principal::user("bob", AccessPermissions::CAN_SCAN));
    Policy::builder()
        .access_groups(AccessGroups::from_server([scan]))
        .user(User::new("bob", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap()
}

fn bob() -> Subject<'static> {
    Subject::user("bob")
}

#[test]
fn asset_scan_agrees_with_scanning_the_assets_address() {
    let policy = policy();
    // The target, through `scan.run`.
    let targets: [Target; 1] = ["192.168.5.15".parse().unwrap()];
    assert!(policy.is_allowed(&bob(), Action::SCAN_RUN, Resource::Targets(&targets)));

    // The asset whose ipv4 is that address, through `asset.scan`.
    let asset = Asset::new().with("ipv4", "192.168.5.15").unwrap();
    assert!(policy.is_allowed(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset)));
    let decision = policy.check(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset));
    assert!(decision.is_allowed(), "{decision}");
    match decision.object() {
        Some(ObjectGrant::Asset {
            group, membership, ..
        }) => {
            assert_eq!(group.id(), Some("s1"));
            assert_eq!(*membership, Membership::Rule { rule: 2, term: 1 });
        }
        other => panic!("{other:?}"),
    }
    let explanation = decision.to_string();
    assert!(
        explanation.ends_with(
            "access group `Scan lab` (rule 2, term 1: `ipv4` `eq` `192.168.5.10-192.168.5.20`) contains the asset and grants CAN_SCAN to principal user `bob`"
        ),
        "{explanation}"
    );

    // The asset filter and `who_can` answer the same.
    let filter = policy.asset_filter(&bob(), Action::ASSET_SCAN);
    assert!(filter.allows(&asset));
    let who = policy.who_can(&asset, AccessPermissions::CAN_SCAN);
    assert_eq!(who.len(), 1);
    assert!(matches!(
        &who[0].via,
        Via::Group { group, membership: Membership::Rule { rule: 2, term: 1 } }
            if group.id() == Some("s1")
    ));
    assert!(
        matches!(&who[0].reach, Reach::Principals(p) if p.len() == 1 && p[0].id() == Some("bob"))
    );
}

#[test]
fn an_fqdn_value_matches_an_fqdn_rule() {
    let policy = policy();
    let asset = Asset::new().with("fqdn", "LAB.example.com.").unwrap();
    let decision = policy.check(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset));
    assert!(decision.is_allowed(), "{decision}");
    assert!(matches!(
        decision.object(),
        Some(ObjectGrant::Asset {
            membership: Membership::Rule { rule: 1, term: 0 },
            ..
        })
    ));
    // A hostname value is matched by hostname rules only: the group has none.
    let asset = Asset::new().with("hostname", "lab.example.com").unwrap();
    assert!(!policy.is_allowed(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset)));
}

#[test]
fn a_tag_rule_of_a_scan_targets_group_does_not_count() {
    let policy = policy();
    let tagged = Asset::new()
        .with("tag_uuid", "a59ae831-2695-40b1-a9f9-9a26258f5486")
        .unwrap();
    assert!(!policy.is_allowed(&bob(), Action::ASSET_SCAN, Resource::Asset(&tagged)));
    let decision = policy.check(&bob(), Action::ASSET_SCAN, Resource::Asset(&tagged));
    assert_eq!(
        decision.to_string(),
        "deny `asset.scan`: no access group contains the asset, so `bob` lacks CAN_SCAN"
    );
    assert!(
        !policy
            .asset_filter(&bob(), Action::ASSET_SCAN)
            .allows(&tagged)
    );
    assert!(
        policy
            .who_can(&tagged, AccessPermissions::CAN_SCAN)
            .is_empty()
    );
    // With an address of the group beside the tag, the address decides.
    let both = tagged.clone().with("ipv4", "10.0.0.1").unwrap();
    let decision = policy.check(&bob(), Action::ASSET_SCAN, Resource::Asset(&both));
    assert!(matches!(
        decision.object(),
        Some(ObjectGrant::Asset {
            membership: Membership::Rule { rule: 2, term: 0 },
            ..
        })
    ));
}

#[test]
fn asset_view_stays_with_manage_assets_and_all_assets() {
    let policy = policy();
    let asset = Asset::new().with("ipv4", "192.168.5.15").unwrap();
    let decision = policy.check(&bob(), Action::ASSET_VIEW, Resource::Asset(&asset));
    assert!(!decision.is_allowed());
    assert!(!policy.is_allowed(&bob(), Action::ASSET_VIEW, Resource::Asset(&asset)));
    assert!(
        !policy
            .asset_filter(&bob(), Action::ASSET_VIEW)
            .allows(&asset)
    );
    assert!(
        policy
            .who_can(&asset, AccessPermissions::CAN_VIEW)
            .is_empty()
    );
    // Even a SCAN_TARGETS group granting CAN_VIEW shows no asset records.
    let viewing = AccessGroup::new("View too", AccessGroupType::ScanTargets)
        .with_rule(Rule::parse("ipv4", "eq", ["192.168.5.0/24"]).unwrap())
        .with_principal(Principal::user("bob", AccessPermissions::all()));
    let policy = Policy::builder()
        .access_groups(AccessGroups::from_server([viewing]))
        .user(User::new("bob", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    assert!(!policy.is_allowed(&bob(), Action::ASSET_VIEW, Resource::Asset(&asset)));
    assert!(!policy.is_allowed(&bob(), Action::ISSUE_READ, Resource::Asset(&asset)));
    assert!(
        policy
            .who_can(&asset, AccessPermissions::CAN_VIEW)
            .is_empty()
    );
    assert!(policy.is_allowed(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset)));
}

#[test]
fn a_denial_names_the_scan_targets_group_that_contains_the_asset() {
    // carol is not granted by the group that contains the address.
    let policy = Policy::builder()
        .access_groups(policy().access_groups().clone())
        .user(User::new("carol", RoleId::SECURITY_ANALYST))
        .build()
        .unwrap();
    let asset = Asset::new().with("ipv4", "192.168.5.15").unwrap();
    let decision = policy.check(
        &Subject::user("carol"),
        Action::ASSET_SCAN,
        Resource::Asset(&asset),
    );
    assert_eq!(
        decision.to_string(),
        "deny `asset.scan`: no access group containing the asset grants `carol` CAN_SCAN (the asset is in `Scan lab`)"
    );
    // For viewing, a SCAN_TARGETS group is no holder of the asset: it is not named.
    let decision = policy.check(
        &Subject::user("carol"),
        Action::ASSET_VIEW,
        Resource::Asset(&asset),
    );
    assert_eq!(
        decision.to_string(),
        "deny `asset.view`: no access group contains the asset, so `carol` lacks CAN_VIEW"
    );
}

#[cfg(feature = "serde")]
#[test]
fn the_json_explanation_names_the_group_rule_and_term() {
    let policy = policy();
    let asset = Asset::new().with("ipv4", "192.168.5.15").unwrap();
    let decision = policy.check(&bob(), Action::ASSET_SCAN, Resource::Asset(&asset));
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["decision"], "allow");
    assert_eq!(json["object"]["access_group"]["id"], "s1");
    assert_eq!(json["object"]["membership"]["rule"], 2);
    assert_eq!(json["object"]["membership"]["term"], 1);
    assert_eq!(json["object"]["membership"]["type"], "ipv4");
}
