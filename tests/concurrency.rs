//! Sharing a policy between threads (SPEC §6: `Policy` is `Send + Sync` and cheap to
//! share; a change returns a new policy): four readers check requests while a writer
//! derives the next version of the policy with the mutation APIs and swaps it in behind an
//! `RwLock<Policy>`, cycling through three versions whose answers differ.
//!
//! Each reader takes the current policy, identifies its version from the policy itself
//! (the name of a marker role), and asserts that every answer of a batch is that version's
//! expected answer (no torn state: a snapshot never mixes two versions), and now and then
//! derives the next version from its snapshot itself and asserts the derived policy's
//! answers (changes made on several threads at once). That a snapshot is unchanged by a
//! change derived from it is not asserted: the mutation APIs take `&self` and a policy
//! has no interior mutability, so it cannot fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use scangate::{
    AccessGroup, Action, Asset, Decision, Permissions, Policy, Resource, Role, RoleId, Subject,
    Target, User,
    access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule},
    policy::AssetFilter,
    role::RolePatch,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, RwLock};
use std::thread;
use std::time::{Duration, Instant};

// What the SPEC promises, checked when the test compiles: a policy, a decision borrowed from
// it and an asset filter can cross and be shared between threads.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Policy>();
    send_sync::<Decision<'static>>();
    send_sync::<AssetFilter<'static>>();
};

const MARKER: RoleId = RoleId::new(1_000_001);
const READERS: usize = 4;
/// Batches each reader runs at least (and until it has seen every version).
const MIN_BATCHES: usize = 2_000;
const DEADLINE: Duration = Duration::from_secs(8);

fn lab(wide: bool) -> AccessGroup {
    let (range, permissions) = if wide {
        ("10.0.0.0/16", AccessPermissions::all())
    } else {
        ("10.0.0.0/24", AccessPermissions::CAN_VIEW)
    };
    AccessGroup::new("Lab", AccessGroupType::ManageAssets)
        .with_id("g-lab")
        .with_rule(Rule::parse("ipv4", "eq", [range]).unwrap())
        .with_principal(Principal::user("alice", permissions))
}

fn extra() -> AccessGroup {
    AccessGroup::new("Extra", AccessGroupType::ManageAssets)
        .with_id("g-extra")
        .with_rule(Rule::parse("ipv4", "eq", ["192.168.0.0/16"]).unwrap())
        .with_principal(Principal::user("bob", AccessPermissions::CAN_VIEW))
}

/// Version 0: the marker role lets `tia` create tickets; the Lab group lets `alice` view
/// 10.0.0.0/24.
fn version_zero() -> Policy {
    Policy::builder()
        .role(Role::new(MARKER, "version 0").with_permissions(Permissions::CREATE_TICKETS))
        .access_groups(AccessGroups::from_server([lab(false)]))
        .users([
            User::new("root", RoleId::ADMINISTRATOR),
            User::new("alice", RoleId::SECURITY_ANALYST),
            User::new("bob", RoleId::AUDITOR),
            User::new("tia", MARKER),
        ])
        .build()
        .unwrap()
}

/// The version a policy is, read from the marker role's name.
fn version(policy: &Policy) -> usize {
    let name = policy.roles().get(MARKER).unwrap().name();
    name.strip_prefix("version ").unwrap().parse().unwrap()
}

/// The next version, derived with the mutation APIs as the Administrator:
/// 0 → 1: tickets become alerts; Lab widens to 10.0.0.0/16 and lets alice scan;
/// 1 → 2: tickets come back; a group "Extra" lets bob view 192.168.0.0/16;
/// 2 → 0: alerts go; Extra is deleted; Lab narrows again.
fn next(policy: &Policy) -> Policy {
    let root = Subject::user("root");
    match version(policy) {
        0 => {
            let patch = RolePatch::new()
                .rename("version 1")
                .revoke(Permissions::CREATE_TICKETS)
                .grant(Permissions::CREATE_ALERTS);
            let p = policy.edit_role(&root, MARKER, &patch).unwrap();
            p.edit_access_group(&root, lab(true)).unwrap()
        }
        1 => {
            let patch = RolePatch::new()
                .rename("version 2")
                .grant(Permissions::CREATE_TICKETS);
            let p = policy.edit_role(&root, MARKER, &patch).unwrap();
            p.create_access_group(&root, extra()).unwrap()
        }
        _ => {
            let patch = RolePatch::new()
                .rename("version 0")
                .revoke(Permissions::CREATE_ALERTS);
            let p = policy.edit_role(&root, MARKER, &patch).unwrap();
            let p = p.delete_access_group(&root, "g-extra").unwrap();
            p.edit_access_group(&root, lab(false)).unwrap()
        }
    }
}

/// The answers a version must give, one per decision of `answers`.
const EXPECTED: [[bool; 14]; 3] = [
    [
        true, false, true, false, false, false, false, false, true, true, true, false, false, false,
    ],
    [
        false, true, true, true, true, true, false, false, true, true, true, true, false, true,
    ],
    [
        true, true, true, true, true, true, true, true, true, true, true, true, false, true,
    ],
];

/// One batch of decisions: `check`, `is_allowed`, an asset filter and a partition.
fn answers(policy: &Policy) -> Vec<bool> {
    let asset = |ip: &str| Asset::new().with("ipv4", ip).unwrap();
    let (near, far, other) = (asset("10.0.0.5"), asset("10.0.5.5"), asset("192.168.1.1"));
    let targets: [Target; 1] = ["10.0.0.7".parse().unwrap()];
    let (tia, alice, bob, root) = (
        Subject::user("tia"),
        Subject::user("alice"),
        Subject::user("bob"),
        Subject::user("root"),
    );
    let filter = policy.asset_filter(&alice, Action::ASSET_VIEW);
    let split = policy.partition_targets(&alice, &["10.0.0.9", "10.0.9.9"]);
    vec![
        policy
            .check(&tia, Action::TICKET_CREATE, Resource::None)
            .is_allowed(),
        policy.is_allowed(&tia, Action::ALERT_CREATE, Resource::None),
        policy
            .check(&alice, Action::ASSET_VIEW, Resource::Asset(&near))
            .is_allowed(),
        policy.is_allowed(&alice, Action::ASSET_VIEW, Resource::Asset(&far)),
        policy
            .check(&alice, Action::ASSET_SCAN, Resource::Asset(&near))
            .is_allowed(),
        policy.is_allowed(&alice, Action::SCAN_RUN, Resource::Targets(&targets)),
        policy
            .check(&bob, Action::ASSET_VIEW, Resource::Asset(&other))
            .is_allowed(),
        policy.is_allowed(
            &bob,
            Action::ACCESS_GROUP_READ,
            Resource::AccessGroup("g-extra"),
        ),
        // Unchanged by every version: controls.
        policy
            .check(&root, Action::ROLE_READ, Resource::Role(MARKER))
            .is_allowed(),
        policy.is_allowed(
            &alice,
            Action::ACCESS_GROUP_READ,
            Resource::AccessGroup("g-lab"),
        ),
        filter.allows(&near),
        filter.allows(&far),
        filter.allows(&other),
        split.allowed.len() == 2,
    ]
}

#[test]
fn the_version_cycle_gives_the_expected_answers() {
    // The table is right for each version, and the cycle comes back to version 0.
    let mut policy = version_zero();
    for step in 0..6 {
        let v = version(&policy);
        assert_eq!(v, step % 3);
        assert_eq!(answers(&policy), EXPECTED[v], "version {v}");
        policy = next(&policy);
    }
    // The versions differ on some answer (else the readers could not tell a torn state).
    assert_ne!(EXPECTED[0], EXPECTED[1]);
    assert_ne!(EXPECTED[1], EXPECTED[2]);
    assert_ne!(EXPECTED[2], EXPECTED[0]);
}

#[test]
fn readers_see_whole_versions_while_a_writer_swaps_them() {
    let shared = Arc::new(RwLock::new(version_zero()));
    let finished = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(READERS + 1));
    let began = Instant::now();

    let writer = {
        let (shared, finished, start) = (shared.clone(), finished.clone(), start.clone());
        thread::spawn(move || {
            start.wait();
            while finished.load(Ordering::Acquire) < READERS {
                let current = shared.read().unwrap().clone();
                // Derived while readers still check `current`.
                let following = next(&current);
                *shared.write().unwrap() = following;
                thread::yield_now();
            }
        })
    };

    let readers: Vec<_> = (0..READERS)
        .map(|reader| {
            let (shared, finished, start) = (shared.clone(), finished.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                let (mut batches, mut seen) = (0usize, [false; 3]);
                // Until the reader has seen every version (so that it did read while the
                // writer swapped them).
                while batches < MIN_BATCHES || seen.contains(&false) {
                    assert!(
                        began.elapsed() < DEADLINE,
                        "reader {reader} saw versions {seen:?} after {batches} batches"
                    );
                    let snapshot: Policy = shared.read().unwrap().clone();
                    let v = version(&snapshot);
                    seen[v] = true;
                    assert_eq!(
                        answers(&snapshot),
                        EXPECTED[v],
                        "reader {reader}, version {v}"
                    );
                    // The next version derived from this snapshot here, while the writer
                    // derives its own.
                    if batches % 25 == 0 {
                        let derived = next(&snapshot);
                        assert_eq!(
                            answers(&derived),
                            EXPECTED[(v + 1) % 3],
                            "reader {reader}, derived from version {v}"
                        );
                    }
                    batches += 1;
                }
                finished.fetch_add(1, Ordering::Release);
            })
        })
        .collect();

    // A reader's or the writer's failed assertion is a panic, returned by `join`.
    for reader in readers {
        reader.join().unwrap();
    }
    writer.join().unwrap();
    // The last version in place still answers as its version must.
    let last = shared.read().unwrap().clone();
    assert_eq!(answers(&last), EXPECTED[version(&last)]);
}
