//! The engine's layer 3 (compiled index, precomputed grants) against plain loops with the
//! reference matcher, on random policies: same decision, same deciding group, rule, term
//! and principal, for directory users, inline subjects, assets and scan targets. The groups,
//! assets and targets come from `tests/support/world.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

mod support;

use proptest::prelude::*;
use scangate::{
    AccessGroup, Action, Policy, Resource, RoleId, Subject, User,
    access::{AccessGroupType, AccessPermissions, Grant, Membership, ReferenceMatcher},
    policy::ObjectGrant,
};
use support::world::{self, TEAMS, USERS, World, asset, target};

/// Every directory user holds the Security Analyst's role (which passes layers 1–2 of
/// `asset.view`, `asset.scan` and `scan.run`), and teams by parity.
fn policy() -> impl Strategy<Value = Policy> {
    world::groups(1..12).prop_map(|groups| {
        let users = USERS.iter().enumerate().map(|(i, u)| {
            User::new(*u, RoleId::SECURITY_ANALYST).with_groups(
                TEAMS
                    .iter()
                    .enumerate()
                    .filter(|(t, _)| (i + t) % 2 == 0)
                    .map(|(_, t)| *t),
            )
        });
        World {
            roles: Vec::new(),
            groups,
            users: users.collect(),
        }
        .policy()
    })
}

/// Plain loops: the first group in order that takes part (any group for targets and for
/// scanning an asset, where the reference matcher lets a SCAN_TARGETS group contain the
/// asset through its addresses only; groups that hold assets for viewing one), grants the
/// permission and contains the object.
fn reference<'a>(
    policy: &'a Policy,
    user: &str,
    groups: &[String],
    permission: AccessPermissions,
    contains: impl Fn(&AccessGroup) -> Option<Membership>,
    assets: bool,
) -> Option<(&'a AccessGroup, Membership, Grant<'a>)> {
    let scanning = permission == AccessPermissions::CAN_SCAN;
    policy
        .access_groups()
        .iter()
        .filter(|g| !assets || scanning || g.group_type() != AccessGroupType::ScanTargets)
        .find_map(|g| {
            let grant = g.grant(user, groups, permission)?;
            Some((g, contains(g)?, grant))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn asset_and_target_decisions_match_the_reference(policy in policy(), asset in asset(), target in target(), inline in any::<bool>()) {
        for user in USERS.iter().chain(["stranger"].iter()) {
            let directory_groups: Vec<String> = policy.user(user).map(|u| u.groups().to_vec()).unwrap_or_default();
            let inline_groups = vec!["t1".to_owned()];
            let (subject, groups) = if inline || policy.user(user).is_none() {
                (Subject::user(user).with_role(RoleId::SECURITY_ANALYST).with_groups(&inline_groups), inline_groups.clone())
            } else {
                (Subject::user(user), directory_groups)
            };
            for (action, permission) in [(Action::ASSET_VIEW, AccessPermissions::CAN_VIEW), (Action::ASSET_SCAN, AccessPermissions::CAN_SCAN)] {
                let decision = policy.check(&subject, action, Resource::Asset(&asset));
                let expected = reference(&policy, user, &groups, permission, |g| ReferenceMatcher.contains_asset(g, &asset), true);
                prop_assert_eq!(decision.is_allowed(), expected.is_some(), "{} {} {:?}", user, action, asset);
                prop_assert_eq!(policy.is_allowed(&subject, action, Resource::Asset(&asset)), expected.is_some());
                if let (Some(ObjectGrant::Asset { group, membership, grant, .. }), Some((g, m, gr))) = (decision.object(), expected) {
                    prop_assert!(std::ptr::eq(*group, g));
                    prop_assert_eq!(*membership, m);
                    prop_assert_eq!(grant, &gr);
                }
                let filter = policy.asset_filter(&subject, action);
                prop_assert_eq!(filter.allows(&asset), expected.is_some());
            }
            let targets = [target.clone()];
            let decision = policy.check(&subject, Action::SCAN_RUN, Resource::Targets(&targets));
            let expected = reference(&policy, user, &groups, AccessPermissions::CAN_SCAN, |g| ReferenceMatcher.contains_target(g, &target), false);
            prop_assert_eq!(decision.is_allowed(), expected.is_some(), "{} scan {}", user, target);
            if let (Some(ObjectGrant::Targets(grants)), Some((g, m, _))) = (decision.object(), expected) {
                prop_assert!(std::ptr::eq(grants[0].by.group().unwrap(), g));
                prop_assert_eq!(grants[0].by.membership(), Some(m));
            }
        }
    }
}
