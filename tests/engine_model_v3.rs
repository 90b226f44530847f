//! Differential test of layer 3 with Tenable VM access control v3 (`docs/semantics.md`,
//! "Layer 3 v3: permissions and tags") against the reference model (`tests/model/v3.rs`).
//!
//! Each case is a random policy (directory users with uuid ids, user groups and roles, the
//! Administrator often; up to six static and dynamic tags whose filters nest `and`/`or` up
//! to three levels, with negated operators, `set-hasonly` on sources, `tag.<Category>`
//! conditions, lists of several values and overlapping IPv4 CIDRs and ranges; up to five
//! permissions on tags the policy defines, on tags only permissions name, on all assets and
//! on all objects, for users, user groups, All Users, all users and all administrators;
//! and, in one of the two tests, up to two access groups) and a batch of requests:
//! `asset.view`, `asset.scan`, `issue.read` with an asset carrying tag uuids and filter
//! attributes, `tag.edit` and `tag.use` with a tag, and each with a resource of the wrong
//! kind or none now and then. Engine and model must agree on allow/deny and the denying
//! layer; on the access group that decides when one grants (layer 3 is group *or*
//! permission, the group explaining when both grant); and, when a permission grants, on
//! the explanation: the permission, its subject naming the user, and the object (all
//! assets / all objects, or the tag, whether the policy defines it, and how the asset
//! carries it: named, or the filter condition and value that decided), i.e. the one the
//! documented order picks. `is_allowed` (and the request format, for a third of the asset
//! requests) must agree with `check`. `AccessControl::permissions_for` and
//! `permissions_for_group` are compared with the model for every user and group.
//!
//! Cases: 20,000 by default, half without access groups, half with (two tests, so the
//! harness runs them on two threads); `SCANGATE_MODEL_CASES` sets the count (as for
//! `tests/engine_model.rs`). `SCANGATE_MODEL_STATS=1` with `--nocapture` prints the
//! allow/deny counts per action and how each allow was explained.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic
#![cfg(feature = "serde")]

mod model;

use model::convert::{CrateResource, builder_engine, crate_subject, engine_outcome, request_json};
use model::generate::{model_cases, runner_config};
use model::generate_v3::{
    self as gen3, PolicyRaw, RequestRaw, STRANGER, TEAMS, USERS, build_policy, build_resource,
    build_subject, policy_raw, request_raw,
};
use model::tables::ADMINISTRATOR;
use model::v3::{self, Carried, Granted};
use model::{Layer as MLayer, NIL_UUID, ObjectDetail};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use scangate::{Policy, policy::Request, tags::Permission};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Clone, Debug)]
struct Case {
    policy: PolicyRaw,
    requests: Vec<RequestRaw>,
}

/// Requests per generated policy (building a policy costs about as much as a few requests
/// in a debug build).
const REQUESTS_PER_CASE: usize = 8;

fn case(groups: bool) -> impl Strategy<Value = Case> {
    (
        policy_raw(groups),
        proptest::collection::vec(request_raw(), REQUESTS_PER_CASE),
    )
        .prop_map(|(policy, requests)| Case { policy, requests })
}

/// How an allow was explained (for the tally).
fn reason(detail: &ObjectDetail) -> &'static str {
    match detail {
        ObjectDetail::Asset(_) => "access group",
        ObjectDetail::Permission(g) => match &g.object {
            Granted::All(_) => "permission on all",
            Granted::Tag { carried, .. } => match carried {
                Carried::Named => "permission, tag named",
                Carried::Filter { value: Some(_), .. } => "permission, tag filter (a value)",
                Carried::Filter { value: None, .. } => "permission, tag filter (negated/only)",
                Carried::Itself => "permission on the tag",
            },
        },
        _ => "no object check",
    }
}

#[derive(Default)]
struct Tally {
    per_action: BTreeMap<&'static str, (u64, u64)>,
    reasons: BTreeMap<&'static str, u64>,
    per_layer: BTreeMap<MLayer, u64>,
    /// Allowed through a permission on an undefined tag.
    undefined_tag_allows: u64,
    /// Allowed through a permission although an access group contains the asset (without
    /// granting) — and allowed by a group although a permission would have granted too.
    group_and_permission: u64,
    requests: u64,
}

/// The permissions a list holds, as positions in the policy's list.
fn positions(all: &[Permission], some: &[&Permission]) -> Vec<usize> {
    some.iter()
        .map(|p| all.iter().position(|q| std::ptr::eq(q, *p)).unwrap())
        .collect()
}

/// `permissions_for` for every directory user (with its groups), the stranger, and
/// `permissions_for_group` for every group and the nil uuid.
fn compare_per_user_answers(
    model_policy: &model::Policy,
    engine: &Policy,
) -> Result<(), TestCaseError> {
    let control = engine.access_control();
    let all = control.permissions();
    let mut askers: Vec<(&str, Vec<String>)> = model_policy
        .users
        .iter()
        .map(|u| (u.id.as_str(), u.teams.clone()))
        .collect();
    askers.push((STRANGER, Vec::new()));
    askers.push((USERS[0], TEAMS.iter().map(|t| (*t).to_owned()).collect()));
    for (user, teams) in &askers {
        let answer = control.permissions_for(user, teams);
        let (granted, available) = v3::permissions_for(&model_policy.permissions, user, teams);
        prop_assert_eq!(
            positions(all, &answer.granted),
            granted,
            "granted to {}",
            user
        );
        prop_assert_eq!(
            positions(all, &answer.available),
            available,
            "available to {}",
            user
        );
    }
    for group in TEAMS.iter().chain([&NIL_UUID]) {
        let answer = control.permissions_for_group(group);
        let (granted, available) =
            v3::permissions_for(&model_policy.permissions, "", &[(*group).to_owned()]);
        prop_assert_eq!(
            positions(all, &answer.granted),
            granted,
            "granted to group {}",
            group
        );
        prop_assert_eq!(
            positions(all, &answer.available),
            available,
            "available to group {}",
            group
        );
    }
    Ok(())
}

/// Who the subject is for the v3 rules: its inline groups and role, else the directory's.
fn v3_who<'a>(policy: &'a model::Policy, subject: &'a model::Subject) -> Option<v3::Who<'a>> {
    let user = subject.user.as_deref()?;
    let entry = policy.users.iter().find(|u| u.id == user);
    let teams = subject
        .groups
        .as_deref()
        .or(entry.map(|u| u.teams.as_slice()))
        .unwrap_or_default();
    let role = subject.role.or(entry.map(|u| u.role));
    Some(v3::Who {
        user,
        teams,
        admin: role == Some(ADMINISTRATOR),
    })
}

/// The engine's explanation of a permission grant holds, fact by fact, whatever order
/// picked it: the permission grants the action, its subject names the user, and the object
/// covers the request (all assets / all objects, or a tag the permission names that the
/// asset names, whose filter holds with the condition and value given, or that the request
/// is about).
fn check_explanation(
    policy: &model::Policy,
    subject: &model::Subject,
    resource: &model::Resource,
    grant: &v3::PermGrant,
) -> Result<(), TestCaseError> {
    let who = v3_who(policy, subject).expect("a permission grants to a user");
    let permission = &policy.permissions[grant.permission];
    prop_assert!(permission.grants(grant.action), "{grant:?}");
    prop_assert!(permission.subjects[grant.subject].applies(who), "{grant:?}");
    match (&grant.object, resource) {
        (Granted::All(i), _) => {
            let kind = permission.objects[*i].kind;
            prop_assert!(
                kind == v3::ObjectKind::AllObjects
                    || (kind == v3::ObjectKind::AllAssets
                        && matches!(grant.action, "CanView" | "CanScan")),
                "{grant:?}"
            );
        }
        (Granted::Tag { uuid, carried, .. }, resource) => {
            prop_assert!(permission.names_tag(uuid), "{grant:?}");
            match (carried, resource) {
                (Carried::Itself, model::Resource::Tag(asked)) => {
                    prop_assert_eq!(&v3::canonical(asked), uuid);
                }
                (Carried::Named, model::Resource::Asset(asset)) => {
                    prop_assert!(
                        asset
                            .values
                            .iter()
                            .any(|(a, v)| a == "tag_uuid" && &v3::canonical(v) == uuid)
                    );
                }
                (Carried::Filter { condition, value }, model::Resource::Asset(asset)) => {
                    let filter = v3::defined(&policy.tags, uuid)
                        .and_then(|t| t.filter.as_ref())
                        .expect("a defined dynamic tag");
                    prop_assert!(filter.holds(asset, &policy.tags), "{grant:?}");
                    prop_assert_eq!(
                        filter.conditions()[*condition].holds(asset, &policy.tags),
                        Some(*value),
                        "{:?}",
                        grant
                    );
                }
                _ => prop_assert!(false, "{grant:?} for {resource:?}"),
            }
        }
    }
    Ok(())
}

fn run_case(case: &Case, tally: &Mutex<Tally>) -> Result<(), TestCaseError> {
    let model_policy = build_policy(&case.policy);
    let engine = builder_engine(&model_policy);
    compare_per_user_answers(&model_policy, &engine)?;
    for raw in &case.requests {
        let subject = build_subject(&raw.subject);
        let resource = build_resource(&raw.resource);
        let action = raw.action;
        let expected = model::decide(&model_policy, &subject, action, &resource);
        let handle = engine.action(action).expect("a catalogue action");
        let s = crate_subject(&subject);
        let owned = CrateResource::new(&resource);
        let r = owned.resource();
        let decision = engine.check(&s, handle, r);
        let got = engine_outcome(&engine, &decision);
        let quick = engine.is_allowed(&s, handle, r);
        let context = || {
            format!(
                "action {action}\nsubject {subject:?}\nresource {resource:?}\npolicy {model_policy:#?}\ndecision {decision}"
            )
        };
        prop_assert_eq!(&got, &expected, "engine vs model\n{}", context());
        prop_assert_eq!(quick, got.allowed, "is_allowed vs check\n{}", context());
        if let ObjectDetail::Permission(grant) = &got.detail {
            check_explanation(&model_policy, &subject, &resource, grant)?;
        }
        // The explanation reads (and does not panic) whatever it holds.
        let _ = decision.to_string();
        // Assets also through the request format (tag resources are not in it yet).
        if raw.json && matches!(resource, model::Resource::Asset(_)) {
            let text = request_json(&subject, action, &resource);
            let request = Request::from_json(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let through_json = engine_outcome(&engine, &engine.check_request(&request));
            prop_assert_eq!(
                &through_json,
                &expected,
                "request JSON\n{}\n{}",
                text,
                context()
            );
        }
        let mut tally = tally.lock().unwrap();
        tally.requests += 1;
        let entry = tally.per_action.entry(action).or_default();
        if expected.allowed {
            entry.0 += 1;
            *tally.reasons.entry(reason(&expected.detail)).or_default() += 1;
        } else {
            entry.1 += 1;
        }
        if let Some(layer) = expected.layer {
            *tally.per_layer.entry(layer).or_default() += 1;
        }
        if let ObjectDetail::Permission(v3::PermGrant {
            object: Granted::Tag { defined: false, .. },
            ..
        }) = &expected.detail
        {
            tally.undefined_tag_allows += 1;
        }
        // Both an access group and a permission grant: the group explains.
        if let (ObjectDetail::Asset(_), model::Resource::Asset(asset)) =
            (&expected.detail, &resource)
        {
            let without_groups = model::Policy {
                groups: Vec::new(),
                ..model_policy.clone()
            };
            if model::decide(
                &without_groups,
                &subject,
                action,
                &model::Resource::Asset(asset.clone()),
            )
            .allowed
            {
                tally.group_and_permission += 1;
            }
        }
    }
    Ok(())
}

fn run(groups: bool) {
    // 20,000 cases unless `SCANGATE_MODEL_CASES` says otherwise, split between
    // the two tests below (which the test harness runs on two threads).
    let cases = model_cases(20_000).div_ceil(2);
    let config = runner_config(cases, file!());
    let tally = Mutex::new(Tally::default());
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&case(groups), |case| run_case(&case, &tally)) {
        panic!("{error}");
    }
    let tally = tally.into_inner().unwrap();
    let (allows, denies) = tally
        .per_action
        .values()
        .fold((0, 0), |(a, d), (x, y)| (a + x, d + y));
    eprintln!(
        "engine_model_v3 ({}): {cases} cases, {} requests in {:.1?}: {allows} allowed, {denies} denied; allows by {:?}; denials by layer {:?}; {} through undefined tags; {} granted by both a group and a permission",
        if groups {
            "with access groups"
        } else {
            "permissions only"
        },
        tally.requests,
        started.elapsed(),
        tally.reasons,
        tally.per_layer,
        tally.undefined_tag_allows,
        tally.group_and_permission,
    );
    if std::env::var_os("SCANGATE_MODEL_STATS").is_some() {
        for (action, (allows, denies)) in &tally.per_action {
            eprintln!("  {action:<12} {allows:>8} allowed {denies:>8} denied");
        }
    }
    if cases >= 2_000 {
        // The generators must keep reaching every kind of answer.
        for (action, _) in gen3::ACTIONS {
            let (allows, denies) = tally.per_action.get(action).copied().unwrap_or_default();
            assert!(
                allows * 10 > allows + denies && denies * 10 > allows + denies,
                "{action}: {allows} allows, {denies} denials (each should be over 10%)"
            );
        }
        for reason in [
            "permission on all",
            "permission, tag named",
            "permission, tag filter (a value)",
            "permission, tag filter (negated/only)",
            "permission on the tag",
        ] {
            assert!(
                tally.reasons.get(reason).copied().unwrap_or(0) > 0,
                "{reason}"
            );
        }
        assert!(tally.undefined_tag_allows > 0);
        if groups {
            assert!(tally.reasons.get("access group").copied().unwrap_or(0) > 0);
            assert!(tally.group_and_permission > 0);
        }
    }
}

#[test]
fn engine_agrees_with_the_v3_model_on_permissions_and_tags() {
    run(false);
}

#[test]
fn engine_agrees_with_the_v3_model_with_access_groups_beside_permissions() {
    run(true);
}
