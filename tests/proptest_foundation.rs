//! Property tests for layers 1 and 2: round-trips, implication against a naive model,
//! and parsers that never panic on arbitrary text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

mod support;

use proptest::prelude::*;
use scangate::{RoleId, Scope, ScopeSet};
use support::permissions::{permissions, scan_level, scope, scope_set};

/// The implication rule of SPEC §2 as a string model.
fn model_grants(holder: &str, wanted: &str) -> bool {
    holder == wanted
        || (holder == "scans" && wanted.starts_with("scans:"))
        || (holder == "groups:admin"
            && ["groups:read", "groups:manage", "groups:delete"].contains(&wanted))
}

proptest! {
    #[test]
    fn scope_display_parse_round_trip(scope in scope()) {
        prop_assert_eq!(scope.to_string().parse::<Scope>(), Ok(scope));
    }

    #[test]
    fn spaced_or_uppercased_scopes_suggest_themselves(scope in scope(), before in "[ \t]{0,2}", after in "[ \t]{0,2}") {
        let spaced = scope.as_str().replacen(':', &format!("{before}:{after}"), 1);
        if spaced != scope.as_str() {
            prop_assert_eq!(Scope::parse(&spaced).unwrap_err().suggestion(), Some(scope));
        }
        let upper = scope.as_str().to_uppercase();
        prop_assert_eq!(Scope::parse(&upper).unwrap_err().suggestion(), Some(scope));
    }

    #[test]
    fn scope_set_display_parse_round_trip(set in scope_set()) {
        prop_assert_eq!(set.to_string().parse::<ScopeSet>(), Ok(set));
        let comma = set.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
        prop_assert_eq!(comma.parse::<ScopeSet>(), Ok(set));
    }

    #[test]
    fn implication_matches_the_model_and_closure_is_idempotent(holder in scope_set(), required in scope_set()) {
        let model = required.iter().all(|r| holder.iter().any(|h| model_grants(h.as_str(), r.as_str())));
        prop_assert_eq!(holder.grants_all(required), model);
        prop_assert_eq!(holder.missing(required).is_empty(), model);
        prop_assert_eq!(holder.effective().effective(), holder.effective());
        prop_assert!(holder.effective().grants_all(holder));
        // Adding a scope never takes a grant away.
        for extra in Scope::ALL {
            let mut more = holder;
            more.insert(*extra);
            prop_assert!(!holder.grants_all(required) || more.grants_all(required));
        }
    }

    #[test]
    fn scope_and_role_parsers_never_panic(text in ".{0,80}") {
        let _ = Scope::parse(&text);
        let _ = ScopeSet::parse(&text);
        let _ = text.parse::<RoleId>();
        #[cfg(feature = "serde")]
        {
            let _ = scangate::Role::from_json(&text);
            let _ = scangate::role::RolePatch::from_json(&text);
        }
    }

    #[test]
    fn permission_checks_are_set_inclusion(a in permissions(), b in permissions()) {
        prop_assert_eq!(a.grants_all(b), a.contains(b));
        prop_assert!((a | b).grants_all(a) && (a | b).grants_all(b));
        // Every permission named in the description is one `a` holds.
        prop_assert_eq!(a.field_names().count(), a.iter_names().filter(|(name, _)| *name != "SCAN_FULL").count());
    }

    #[test]
    fn subset_order_on_permissions_matches_scan_levels(a in scan_level(), b in scan_level()) {
        prop_assert_eq!(a.permissions().grants_all(b.permissions()), a >= b);
    }
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;
    use scangate::{
        Role,
        role::{RoleDraft, RolePatch},
    };
    use support::permissions::role;

    proptest! {
        #[test]
        fn roles_written_read_back_equal(role in role()) {
            let text = serde_json::to_string(&role).unwrap();
            let read = Role::from_json(&text).unwrap();
            prop_assert!(read.unknown_permissions.is_empty());
            prop_assert_eq!(read.value, role);
        }

        #[test]
        fn scope_sets_round_trip_through_json(set in scope_set()) {
            let json = serde_json::to_string(&set).unwrap();
            prop_assert_eq!(serde_json::from_str::<ScopeSet>(&json).unwrap(), set);
            let as_string = serde_json::to_string(&set.to_string()).unwrap();
            prop_assert_eq!(serde_json::from_str::<ScopeSet>(&as_string).unwrap(), set);
        }

        #[test]
        fn drafts_and_patches_round_trip(name in ".{1,20}", permissions in permissions(), grant in permissions(), revoke in permissions(), level in proptest::option::of(scan_level())) {
            let draft = RoleDraft::new(name.clone()).with_permissions(permissions);
            let text = serde_json::to_string(&draft).unwrap();
            prop_assert_eq!(RoleDraft::from_json(&text).unwrap().value, draft);

            let mut patch = RolePatch::new().rename(name).grant(grant).revoke(revoke);
            if let Some(level) = level {
                patch = patch.scan_level(level);
            }
            let text = serde_json::to_string(&patch).unwrap();
            let back = RolePatch::from_json(&text).unwrap().value;
            // Same effect on any role.
            let base = Role::new(RoleId::new(9), "base").with_permissions(permissions);
            prop_assert_eq!(back.apply_to(&base), patch.apply_to(&base));
        }
    }
}
