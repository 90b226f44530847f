//! Properties of the whole engine on random policies (custom roles with any permissions,
//! access groups of every type with several rule types, principals by user, user group,
//! the nil UUID and all users, directory users, API keys with and without a user) and
//! requests over every action of `policy.actions()`:
//!
//! - deny by default: what an empty policy allows is exactly what layers 1–2 of the action
//!   table allow with no resource; unknown users, unknown roles, unknown actions and
//!   resources of the wrong kind always deny;
//! - monotonicity: adding a scope to a key, a permission to a role, a principal to a group,
//!   a rule to a group, a term to a rule or a user to a user group never turns an allow into
//!   a deny (with the two exceptions the semantics make, stated where they are excluded,
//!   and shown necessary by a fixed test); every missing scope is also tried one by one;
//! - the scope closure is monotone and distributes over union (idempotence and
//!   extensiveness are in `proptest_foundation.rs`);
//! - `check`, `check_named`, `is_allowed`, the asset filter, `who_can`, `partition_targets`
//!   and `effective` agree with each other;
//! - (feature `serde`) JSON round-trips of every serde type, of whole policies and of
//!   requests, and the documented shape of decision JSON.
//!
//! Differences with the other property files: `engine_reference.rs` compares layer 3 with
//! reference loops for directory users with one role; `index_equivalence.rs` the compiled
//! index with the reference matcher; `engine_api.rs` checks the same agreements as here on
//! one fixed policy. This file varies roles, keys, subjects and resources of every kind.
//! The random worlds (roles, groups, rules, principals, users, assets, targets) come from
//! `tests/support/world.rs`; subjects, objects and additions are drawn here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

mod support;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use scangate::access::Change;
use scangate::{
    AccessGroup, Action, Asset, Permissions, Policy, Resource, Role, RoleId, Scope, ScopeSet,
    Subject, Target, User,
    access::{AccessGroupType, AccessPermissions, Principal, Rule},
    policy::{ActionSpec, Layer, ObjectCheck, ObjectGrant, Reach},
    role::{RoleDraft, RoleOperation, RolePatch},
};
use support::permissions::{custom_permissions, scope_set};
use support::world::{
    STRANGER, TEAMS, USERS, World, asset, custom_id, principal, role_choices, rule, target,
    target_text, teams, term, world,
};

/// A role id no policy here holds.
const UNKNOWN_ROLE: RoleId = RoleId::new(999);

// ---------------------------------------------------------------------------------------
// Subjects and resources, owned so that requests can borrow them.

/// A subject: a user (of the directory or not), inline role and groups, an API key.
#[derive(Clone, Debug)]
struct Who {
    user: Option<&'static str>,
    role: Option<RoleId>,
    groups: Option<Vec<String>>,
    scopes: Option<ScopeSet>,
}

impl Who {
    fn user(id: &'static str) -> Who {
        Who {
            user: Some(id),
            role: None,
            groups: None,
            scopes: None,
        }
    }

    fn subject(&self) -> Subject<'_> {
        let mut subject = match (self.user, self.scopes) {
            (Some(user), _) => Subject::user(user),
            (None, Some(scopes)) => Subject::api_key(scopes),
            (None, None) => unreachable!("a subject is a user or a key"),
        };
        if let Some(role) = self.role {
            subject = subject.with_role(role);
        }
        if let Some(groups) = &self.groups {
            subject = subject.with_groups(groups);
        }
        if let Some(scopes) = self.scopes {
            subject = subject.with_scopes(scopes);
        }
        subject
    }
}

/// API-key scopes: random subsets, often holding what common actions need.
fn key() -> impl Strategy<Value = ScopeSet> {
    prop_oneof![
        2 => any::<u32>().prop_map(|bits| {
            Scope::ALL.iter().enumerate().filter(|(i, _)| bits >> i & 1 == 1).map(|(_, s)| *s).collect()
        }),
        1 => Just("scans projects:read groups:admin issues:read roles:read roles:write".parse().unwrap()),
        1 => proptest::sample::select(Scope::ALL.to_vec()).prop_map(|s| ScopeSet::of(&[s])),
    ]
}

/// Subjects of every kind; `customs` custom roles exist.
fn who(customs: usize) -> impl Strategy<Value = Who> {
    let mut roles = role_choices(customs);
    roles.push(UNKNOWN_ROLE);
    let user = prop_oneof![
        4 => (0..USERS.len()).prop_map(|u| Some(USERS[u])),
        1 => Just(Some(STRANGER)),
        1 => Just(None),
    ];
    (
        user,
        proptest::option::weighted(0.4, proptest::sample::select(roles)),
        proptest::option::weighted(0.3, (0u8..8).prop_map(teams)),
        proptest::option::weighted(0.4, key()),
        key(),
    )
        .prop_map(|(user, role, groups, scopes, fallback)| Who {
            user,
            role,
            groups,
            // A subject with no user is an organization key.
            scopes: if user.is_none() {
                Some(scopes.unwrap_or(fallback))
            } else {
                scopes
            },
        })
}

/// One resource of every kind the catalogue reads, and some that name nothing.
#[derive(Clone, Debug)]
struct Objects {
    assets: Vec<Asset>,
    targets: Vec<Vec<Target>>,
    roles: Vec<RoleId>,
    drafts: Vec<RoleDraft>,
    patches: Vec<(RoleId, RolePatch)>,
    user_groups: Vec<String>,
    access_groups: Vec<String>,
    group_drafts: Vec<AccessGroup>,
}

impl Objects {
    /// Every resource, `Resource::None` first.
    fn all(&self) -> Vec<Resource<'_>> {
        let mut all = vec![Resource::None];
        all.extend(self.assets.iter().map(Resource::Asset));
        all.extend(self.targets.iter().map(|t| Resource::Targets(t)));
        all.extend(self.roles.iter().map(|r| Resource::Role(*r)));
        all.extend(self.drafts.iter().map(Resource::RoleDraft));
        all.extend(
            self.patches
                .iter()
                .map(|(id, p)| Resource::RolePatch(*id, p)),
        );
        all.extend(self.user_groups.iter().map(|g| Resource::UserGroup(g)));
        all.extend(self.access_groups.iter().map(|g| Resource::AccessGroup(g)));
        all.extend(self.group_drafts.iter().map(Resource::AccessGroupDraft));
        all
    }

    /// The resources an action's object check reads, and `Resource::None`. An action with
    /// no object check ignores its resource (tested separately), so it gets `None` only.
    fn read_by(&self, check: ObjectCheck) -> Vec<Resource<'_>> {
        self.all()
            .into_iter()
            .filter(|r| matches!(r, Resource::None) || reads(check, r))
            .collect()
    }
}

/// Whether `check` reads a resource of this kind (`docs/semantics.md`, "Layer 3, when it
/// applies"); any other kind but `Resource::None` is denied.
fn reads(check: ObjectCheck, resource: &Resource<'_>) -> bool {
    use Resource as R;
    match check {
        ObjectCheck::Asset { .. } => matches!(resource, R::Asset(_)),
        ObjectCheck::ScanTargets => matches!(resource, R::Targets(_)),
        ObjectCheck::GroupMembership => matches!(resource, R::UserGroup(_)),
        ObjectCheck::AssignRole | ObjectCheck::ReadRole => matches!(resource, R::Role(_)),
        ObjectCheck::ChangeRole(RoleOperation::Create) => matches!(resource, R::RoleDraft(_)),
        ObjectCheck::ChangeRole(RoleOperation::Edit) => {
            matches!(resource, R::Role(_) | R::RolePatch(..))
        }
        ObjectCheck::ChangeRole(_) => matches!(resource, R::Role(_)),
        ObjectCheck::ReadAccessGroup | ObjectCheck::ChangeAccessGroup(Change::Delete) => {
            matches!(resource, R::AccessGroup(_))
        }
        ObjectCheck::ChangeAccessGroup(_) => matches!(resource, R::AccessGroupDraft(_)),
        _ => false,
    }
}

fn role_patch() -> impl Strategy<Value = RolePatch> {
    (custom_permissions(), custom_permissions(), any::<bool>()).prop_map(
        |(grant, revoke, rename)| {
            let patch = RolePatch::new().grant(grant).revoke(revoke);
            if rename {
                patch.rename("Renamed")
            } else {
                patch
            }
        },
    )
}

fn objects(customs: usize, groups: usize) -> impl Strategy<Value = Objects> {
    let mut roles = role_choices(customs);
    roles.push(UNKNOWN_ROLE);
    let role = proptest::sample::select(roles);
    let group_id = (0..groups + 2).prop_map(|g| format!("g{g}"));
    (
        proptest::collection::vec(asset(), 3),
        proptest::collection::vec(proptest::collection::vec(target(), 1..3), 2),
        proptest::collection::vec(role.clone(), 3),
        proptest::collection::vec(
            (
                prop_oneof![Just("Fresh"), Just("custom 0"), Just("AUDITOR"), Just(" ")],
                custom_permissions(),
            ),
            2,
        ),
        proptest::collection::vec((role, role_patch()), 2),
        (0..TEAMS.len() + 1).prop_map(|t| TEAMS.get(t).copied().unwrap_or("t9").to_owned()),
        proptest::collection::vec(group_id.clone(), 2),
        proptest::collection::vec((group_id, any::<bool>(), rule()), 2),
    )
        .prop_map(
            |(assets, mut targets, roles, drafts, patches, team, access_groups, group_drafts)| {
                targets.push(Vec::new()); // an empty target list: vacuously every target
                Objects {
                    assets,
                    targets,
                    roles,
                    drafts: drafts
                        .into_iter()
                        .map(|(name, p)| RoleDraft::new(name).with_permissions(p))
                        .collect(),
                    patches,
                    user_groups: vec![team],
                    access_groups,
                    group_drafts: group_drafts
                        .into_iter()
                        .map(|(id, fresh_name, rule)| {
                            let name = if fresh_name { "Fresh group" } else { "GROUP 0" };
                            AccessGroup::new(name, AccessGroupType::ManageAssets)
                                .with_id(&id)
                                .with_rule(rule)
                        })
                        .collect(),
                }
            },
        )
}

/// A world, the subjects asking (every directory user plainly, and random ones), and the
/// objects they ask about.
fn scene() -> impl Strategy<Value = (World, Vec<Who>, Objects)> {
    world().prop_flat_map(|world| {
        let customs = world.roles.len();
        let groups = world.groups.len();
        (
            Just(world),
            proptest::collection::vec(who(customs), 3..6),
            objects(customs, groups),
        )
    })
}

/// Every user id plainly (directory users, or unknown ones), then the random subjects.
fn subjects(random: &[Who]) -> Vec<Who> {
    let mut all: Vec<Who> = USERS.iter().map(|u| Who::user(u)).collect();
    all.extend(random.iter().cloned());
    all
}

/// `(subject index, action, resource)` for every action and every resource its object check
/// reads.
fn requests<'o>(
    policy: &Policy,
    who: &[Who],
    objects: &'o Objects,
) -> Vec<(usize, Action, Resource<'o>)> {
    let mut requests = Vec::new();
    for (action, spec) in policy.actions() {
        for resource in objects.read_by(spec.object()) {
            for w in 0..who.len() {
                requests.push((w, action, resource));
            }
        }
    }
    requests
}

// ---------------------------------------------------------------------------------------
// Deny by default.

/// Layers 1–2 as the action table states them (SPEC §1): with a key, the action names a
/// scope and the key grants all it names; with a role, the role holds all it names.
fn table_allows(spec: &ActionSpec, key: Option<ScopeSet>, role: Option<&Role>) -> bool {
    key.is_none_or(|k| !spec.scopes().is_empty() && k.grants_all(spec.scopes()))
        && role.is_none_or(|r| r.permissions().contains(spec.permissions()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// An empty policy (built-in roles and actions, no users, no access groups):
    /// - a subject naming a user without an inline role is denied everything, at the
    ///   subject layer (nobody is in the directory);
    /// - an asset, a non-empty target list or an access-group id is denied for every
    ///   subject and every action that reads it (no group holds anything), as is every row
    ///   of an asset filter; `who_can` is empty and `partition_targets` allows nothing;
    /// - with no resource, a request is allowed exactly when layers 1–2 of the table allow
    ///   it (inline built-in role, or an organization key) and the action does not require
    ///   an asset: the spec grants scope-only actions to any user with a role and
    ///   permission-free actions to any role (SPEC §1, "an action that names no permission
    ///   passes layer 2"), and those need no data.
    ///
    /// Role ids, drafts, patches and user-group ids are decided from built-in roles and
    /// inline data, which an empty policy still has; they are covered by the other
    /// properties.
    #[test]
    fn an_empty_policy_allows_only_what_the_table_allows_without_data((_, who, objects) in scene()) {
        let empty = Policy::builder().build().unwrap();
        for w in &who {
            let subject = w.subject();
            // An inline role must exist; a user without one is unknown (nobody is in the
            // directory); an organization key without one has none.
            let role = w.role.and_then(|r| empty.roles().get(r));
            let resolves = if w.role.is_some() { role.is_some() } else { w.user.is_none() };
            for (action, spec) in empty.actions() {
                for resource in objects.all() {
                    let decision = empty.check(&subject, action, resource);
                    prop_assert_eq!(decision.is_allowed(), empty.is_allowed(&subject, action, resource));
                    if w.user.is_some() && w.role.is_none() {
                        prop_assert_eq!(decision.denied_by(), Some(Layer::Subject), "{:?} {}", w, action);
                    }
                    let holds_data = matches!(resource, Resource::Asset(_) | Resource::AccessGroup(_))
                        || matches!(resource, Resource::Targets(t) if !t.is_empty());
                    if holds_data && reads(spec.object(), &resource) {
                        prop_assert!(!decision.is_allowed(), "{:?} {} {:?}", w, action, resource);
                    }
                    if matches!(resource, Resource::None) {
                        // `asset.*` require an asset and `tag.*` a tag.
                        let requires_object = matches!(
                            spec.object(),
                            ObjectCheck::Asset { required: true, .. } | ObjectCheck::Tag(_)
                        );
                        let expected = resolves && !requires_object && table_allows(spec, w.scopes, role);
                        prop_assert_eq!(decision.is_allowed(), expected, "{:?} {}: {}", w, action, decision);
                    }
                }
                let filter = empty.asset_filter(&subject, action);
                for asset in &objects.assets {
                    if matches!(spec.object(), ObjectCheck::Asset { .. }) {
                        prop_assert!(!filter.allows(asset));
                    }
                }
            }
            let written: Vec<String> = objects.targets.iter().flatten().map(ToString::to_string).collect();
            let written: Vec<&str> = written.iter().map(String::as_str).collect();
            prop_assert!(empty.partition_targets(&subject, &written).allowed.is_empty());
        }
        for asset in &objects.assets {
            prop_assert!(empty.who_can(asset, AccessPermissions::CAN_VIEW).is_empty());
            prop_assert!(empty.who_can(asset, AccessPermissions::CAN_SCAN).is_empty());
        }
    }

    /// On any policy: a user who is not in the directory and has no inline role, and a
    /// subject whose inline role does not exist, are denied every action on every
    /// resource; so is an action the policy does not know (a handle from another policy,
    /// or an unknown name); and an action with an object check denies a resource of
    /// another kind (an action with none ignores its resource).
    #[test]
    fn unknown_subjects_roles_actions_and_wrong_resources_deny((world, who, objects) in scene()) {
        let policy = world.policy();
        let mut unknown: Vec<Who> = vec![
            Who::user(STRANGER),
            Who { scopes: Some(ScopeSet::of(Scope::ALL)), ..Who::user(STRANGER) },
            Who { groups: Some(teams(7)), ..Who::user(STRANGER) },
        ];
        for w in &who {
            unknown.push(Who { role: Some(UNKNOWN_ROLE), ..w.clone() });
        }
        for w in &unknown {
            let subject = w.subject();
            for (action, _) in policy.actions() {
                for resource in objects.all() {
                    let decision = policy.check(&subject, action, resource);
                    prop_assert_eq!(decision.denied_by(), Some(Layer::Subject), "{:?} {} {:?}", w, action, resource);
                    prop_assert!(!policy.is_allowed(&subject, action, resource));
                }
                prop_assert!(!policy.asset_filter(&subject, action).allows(&Asset::new()));
            }
            prop_assert!(policy.effective(&subject).is_err());
        }

        // A handle to a host action of another policy, and names the catalogue lacks.
        let other = world_with_host_action(&world);
        let foreign = other.action("report.export").unwrap();
        prop_assert!(policy.action_spec(foreign).is_none());
        for w in &who {
            let subject = w.subject();
            for resource in objects.all() {
                let decision = policy.check(&subject, foreign, resource);
                prop_assert_eq!(decision.denied_by(), Some(Layer::Action));
                prop_assert!(!policy.is_allowed(&subject, foreign, resource));
                for name in ["report.export", "scan.launch", "", "SCAN.RUN"] {
                    prop_assert_eq!(policy.check_named(&subject, name, resource).denied_by(), Some(Layer::Action));
                }
            }
            prop_assert!(!policy.asset_filter(&subject, foreign).allows(&Asset::new()));

            for (action, spec) in policy.actions() {
                let none = policy.check(&subject, action, Resource::None);
                for resource in objects.all() {
                    let decision = policy.check(&subject, action, resource);
                    if spec.object() == ObjectCheck::None {
                        prop_assert_eq!(decision.is_allowed(), none.is_allowed(), "{:?} {} {:?}", w, action, resource);
                    } else if !matches!(resource, Resource::None) && !reads(spec.object(), &resource) {
                        prop_assert!(!decision.is_allowed(), "{:?} {} {:?}: {}", w, action, resource, decision);
                    }
                }
            }
        }
    }
}

fn world_with_host_action(world: &World) -> Policy {
    Policy::builder()
        .roles(world.roles.clone())
        .action(ActionSpec::new("report.export").with_scopes(ScopeSet::of(&[Scope::ScansRead])))
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Monotonicity.

/// One addition to a world or to a subject. Indices pick among what exists.
#[derive(Clone, Debug)]
enum Addition {
    /// A scope the key lacks, on the key of a subject holding one (a subject without a key
    /// is left alone: giving one makes layer 1 apply, which is not an addition).
    Scope { who: Index, scope: Index },
    /// A permission the role lacks, on a custom role (never `permManageApp`, which no
    /// custom role may hold).
    Permission { role: Index, permission: Index },
    /// A principal appended to a group.
    Principal { group: Index, principal: Principal },
    /// A rule appended to a group.
    Rule { group: Index, rule: Rule },
    /// A term appended to a rule of a group.
    Term {
        group: Index,
        rule: Index,
        seed: u32,
    },
    /// A directory user joins user group `team`.
    Join { user: Index, team: usize },
}

/// Every permission flag a custom role may hold.
fn custom_flags() -> Vec<Permissions> {
    Permissions::all()
        .iter()
        .filter(|f| *f != Permissions::MANAGE_APP)
        .collect()
}

fn addition() -> impl Strategy<Value = Addition> {
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(who, scope)| Addition::Scope { who, scope }),
        (any::<Index>(), any::<Index>())
            .prop_map(|(role, permission)| Addition::Permission { role, permission }),
        (any::<Index>(), principal())
            .prop_map(|(group, principal)| Addition::Principal { group, principal }),
        (any::<Index>(), rule()).prop_map(|(group, rule)| Addition::Rule { group, rule }),
        (any::<Index>(), any::<Index>(), any::<u32>())
            .prop_map(|(group, rule, seed)| Addition::Term { group, rule, seed }),
        (any::<Index>(), 0..TEAMS.len()).prop_map(|(user, team)| Addition::Join { user, team }),
    ]
}

/// The element `index` picks, or `None` when there is none.
fn pick<'a, T>(items: &'a mut [T], index: &Index) -> Option<&'a mut T> {
    if items.is_empty() {
        None
    } else {
        let at = index.index(items.len());
        items.get_mut(at)
    }
}

/// The world and subjects after `addition`, with the position of the group or role it
/// changed; `None` when it names nothing that exists.
fn apply(addition: &Addition, world: &World, who: &[Who]) -> Option<(World, Vec<Who>, usize)> {
    let mut world = world.clone();
    let mut who = who.to_vec();
    let mut position = 0;
    match addition {
        Addition::Scope { who: w, scope } => {
            let mut keyed: Vec<&mut Who> = who.iter_mut().filter(|w| w.scopes.is_some()).collect();
            let key = pick(&mut keyed, w)?.scopes.as_mut()?;
            let mut missing: Vec<Scope> = Scope::ALL
                .iter()
                .copied()
                .filter(|s| !key.contains(*s))
                .collect();
            key.insert(*pick(&mut missing, scope)?);
        }
        Addition::Permission { role, permission } => {
            position = role.index(world.roles.len().max(1));
            let r = world.roles.get_mut(position)?;
            let mut missing: Vec<Permissions> = custom_flags()
                .into_iter()
                .filter(|f| !r.permissions().contains(*f))
                .collect();
            let added = *pick(&mut missing, permission)?;
            *r = r.clone().with_permissions(r.permissions() | added);
        }
        Addition::Principal { group, principal } => {
            position = group.index(world.groups.len().max(1));
            let g = world.groups.get_mut(position)?;
            *g = g.clone().with_principal(principal.clone());
        }
        Addition::Rule { group, rule } => {
            position = group.index(world.groups.len().max(1));
            let g = world.groups.get_mut(position)?;
            *g = g.clone().with_rule(rule.clone());
        }
        Addition::Term { group, rule, seed } => {
            let mut with_rules: Vec<&mut AccessGroup> = world
                .groups
                .iter_mut()
                .filter(|g| !g.rules().is_empty())
                .collect();
            let g = pick(&mut with_rules, group)?;
            let mut rules = g.rules().to_vec();
            let r = pick(&mut rules, rule)?;
            let (ty, op) = (r.rule_type().as_str(), r.operator().as_str());
            let mut terms: Vec<String> = r.terms().iter().map(ToString::to_string).collect();
            terms.push(term(ty, op, *seed));
            *r = Rule::parse(ty, op, &terms).unwrap();
            **g = g.clone().with_rules(rules);
        }
        Addition::Join { user, team } => {
            let u = pick(&mut world.users, user)?;
            let mut groups = u.groups().to_vec();
            groups.push(TEAMS[*team].to_owned());
            *u = u.clone().with_groups(groups);
        }
    }
    Some((world, who, position))
}

/// The role a subject resolves to, if any (inline first, then the directory).
fn role_of(policy: &Policy, w: &Who) -> Option<RoleId> {
    w.user?;
    w.role.or_else(|| policy.user(w.user?).map(|u| u.role()))
}

/// The requests an addition may legitimately turn from allow to deny; `docs/semantics.md`
/// makes both.
fn exempt(
    addition: &Addition,
    position: usize,
    before: &World,
    policy: &Policy,
    w: &Who,
    resource: &Resource<'_>,
) -> bool {
    match addition {
        // No escalation (SPEC §3): a role may be assigned, edited or deleted only by a
        // requester holding every permission it holds. A permission added to role R
        // makes R harder to reach for everyone else: antitone in the *target* role. The
        // requester's own role growing only helps, so only requests whose resource is R,
        // by a subject whose role is not R, are exempt.
        Addition::Permission { .. } => {
            let target = before.roles[position].id();
            let names_target = match resource {
                Resource::Role(id) | Resource::RolePatch(id, _) => *id == target,
                _ => false,
            };
            names_target && role_of(policy, w) != Some(target)
        }
        // The All Assets group with no principals listed grants every user view and scan
        // by default (SPEC §4, seed 003); listing a first principal replaces that default
        // with the list. Additions to such a group are exempt entirely; to every other
        // group (All Assets with its principals listed included) they are checked.
        Addition::Principal { .. } => {
            let g = &before.groups[position];
            g.all_assets() && !g.principals_listed()
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Adding never takes an allow away: every request allowed before the addition is
    /// allowed after it, for every subject, every action and every resource its object
    /// check reads (the deciding group or principal may change; the answer may not).
    /// The exemptions are in `exempt`.
    #[test]
    fn additions_never_turn_an_allow_into_a_deny(
        (world, random, objects) in scene(),
        addition in addition(),
    ) {
        let who = subjects(&random);
        let Some((after_world, after_who, position)) = apply(&addition, &world, &who) else {
            return Ok(());
        };
        let before = world.policy();
        let after = after_world.policy();
        let mut allowed = 0usize;
        for (w, action, resource) in requests(&before, &who, &objects) {
            if !before.is_allowed(&who[w].subject(), action, resource) {
                continue;
            }
            allowed += 1;
            if exempt(&addition, position, &world, &before, &who[w], &resource) {
                continue;
            }
            let decision = after.check(&after_who[w].subject(), action, resource);
            prop_assert!(
                decision.is_allowed(),
                "{:?} turned an allow into a deny: {:?} {} {:?}: {}",
                addition, after_who[w], action, resource, decision
            );
        }
        // Sanity: the scenes allow things (else the property would hold vacuously).
        prop_assert!(allowed > 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Every scope a key lacks, added alone, keeps every allow of that key's subject (no
    /// exemption: scopes only ever widen layer 1 and `groups:admin`'s reach).
    #[test]
    fn every_missing_scope_keeps_every_allow((world, random, objects) in scene()) {
        let policy = world.policy();
        for w in random.iter().filter(|w| w.scopes.is_some()) {
            let subject = w.subject();
            let allowed: Vec<(Action, Resource<'_>)> = policy
                .actions()
                .flat_map(|(action, spec)| objects.read_by(spec.object()).into_iter().map(move |r| (action, r)))
                .filter(|(action, resource)| policy.is_allowed(&subject, *action, *resource))
                .collect();
            for scope in Scope::ALL {
                let mut more = w.clone();
                let Some(key) = more.scopes.as_mut() else { continue };
                if key.contains(*scope) {
                    continue;
                }
                key.insert(*scope);
                for (action, resource) in &allowed {
                    let decision = policy.check(&more.subject(), *action, *resource);
                    prop_assert!(decision.is_allowed(), "adding {} to {:?}: {} {:?}: {}", scope, w, action, resource, decision);
                }
            }
        }
    }
}

/// The exemptions above are real: without them the property fails.
#[test]
fn the_exemptions_are_needed() {
    // A permission added to a role a lesser requester could assign.
    let world = World {
        roles: vec![
            Role::new(custom_id(0), "custom 0").with_permissions(Permissions::CREATE_TICKETS),
        ],
        groups: vec![AccessGroup::all_assets_group("g0")],
        users: vec![User::new("u0", RoleId::SECURITY_MANAGER)],
    };
    let before = world.policy();
    let u0 = Who::user("u0");
    let assign = |p: &Policy| {
        p.is_allowed(
            &u0.subject(),
            Action::GROUP_ASSIGN_ROLE,
            Resource::Role(custom_id(0)),
        )
    };
    assert!(assign(&before));
    let mut grown = world.clone();
    grown.roles[0] = grown.roles[0]
        .clone()
        .with_permissions(Permissions::CREATE_TICKETS | Permissions::MANAGE_ACR);
    assert!(
        !assign(&grown.policy()),
        "MANAGE_ACR is beyond the Security Manager"
    );

    // A first principal listed on the default All Assets group.
    let asset = Asset::new().with("ipv4", "10.0.0.1").unwrap();
    let view =
        |p: &Policy| p.is_allowed(&u0.subject(), Action::ASSET_VIEW, Resource::Asset(&asset));
    assert!(view(&before));
    let mut listed = world.clone();
    listed.groups[0] = listed.groups[0]
        .clone()
        .with_principal(Principal::user("u1", AccessPermissions::CAN_VIEW));
    assert!(!view(&listed.policy()));
}

// ---------------------------------------------------------------------------------------
// The scope closure.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The closure is monotone (a superset's closure grants everything the subset's does)
    /// and distributes over union (implication is per scope: nothing is implied by two
    /// scopes together). Idempotence and extensiveness are in `proptest_foundation.rs`.
    #[test]
    fn closure_is_monotone_and_distributes_over_union(a in scope_set(), b in scope_set()) {
        let union = a.union(b);
        prop_assert!(union.effective().grants_all(a.effective()));
        prop_assert!(union.effective().grants_all(b.effective()));
        prop_assert_eq!(union.effective(), a.effective().union(b.effective()));
        for scope in Scope::ALL {
            prop_assert_eq!(union.grants(*scope), a.grants(*scope) || b.grants(*scope));
        }
    }
}

// ---------------------------------------------------------------------------------------
// The ways of asking agree.

/// Whether `who_can` reaches directory user `user`.
fn reached(policy: &Policy, asset: &Asset, permission: AccessPermissions, user: &User) -> bool {
    policy
        .who_can(asset, permission)
        .iter()
        .any(|entry| match &entry.reach {
            Reach::Everyone(_) => true,
            Reach::Principals(principals) => principals
                .iter()
                .any(|p| p.applies_to(user.id(), user.groups())),
            // v3 permissions (none in these worlds); the role asked with is not the
            // Administrator.
            Reach::Subjects(subjects) => subjects
                .iter()
                .any(|s| s.applies_to(user.id(), user.groups(), false)),
        })
}

fn ways_of_asking_agree(
    world: &World,
    who: &[Who],
    objects: &Objects,
    written: &[String],
) -> Result<(), TestCaseError> {
    let policy = world.policy();
    let resources = objects.all();
    for w in who {
        let subject = w.subject();
        for (action, spec) in policy.actions() {
            for resource in &resources {
                let decision = policy.check(&subject, action, *resource);
                prop_assert_eq!(
                    decision.is_allowed(),
                    policy.is_allowed(&subject, action, *resource),
                    "{:?} {} {:?}",
                    w,
                    action,
                    resource
                );
                let named = policy.check_named(&subject, spec.name(), *resource);
                prop_assert_eq!(&named, &decision);
            }
            // The filter decides each row as `is_allowed` (every action: those without an
            // asset check decide by layers 1–2, those with another check deny).
            let filter = policy.asset_filter(&subject, action);
            for asset in &objects.assets {
                prop_assert_eq!(
                    filter.allows(asset),
                    policy.is_allowed(&subject, action, Resource::Asset(asset)),
                    "filter {:?} {} {:?}",
                    w,
                    action,
                    asset
                );
            }
        }

        // `effective` lists exactly the actions layers 1–2 pass.
        match policy.effective(&subject) {
            Ok(effective) => {
                for (action, _) in policy.actions() {
                    let decision = policy.check(&subject, action, Resource::None);
                    let passes =
                        decision.is_allowed() || decision.denied_by() == Some(Layer::Object);
                    prop_assert_eq!(
                        effective.actions.contains(&action),
                        passes,
                        "{:?} {}",
                        w,
                        action
                    );
                }
                prop_assert_eq!(effective.scopes, w.scopes.map(ScopeSet::effective));
            }
            Err(_) => {
                let decision = policy.check(&subject, Action::SCAN_READ, Resource::None);
                prop_assert_eq!(decision.denied_by(), Some(Layer::Subject));
            }
        }

        // Partitioning agrees with one check per target, and with the whole list.
        let refs: Vec<&str> = written.iter().map(String::as_str).collect();
        let split = policy.partition_targets(&subject, &refs);
        let mut seen: Vec<usize> = split
            .allowed
            .iter()
            .map(|a| a.index)
            .chain(split.skipped.iter().map(|s| s.index))
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..written.len()).collect::<Vec<_>>());
        for allowed in &split.allowed {
            let one = [allowed.target.clone()];
            let decision = policy.check(&subject, Action::SCAN_RUN, Resource::Targets(&one));
            match decision.object() {
                Some(ObjectGrant::Targets(grants)) => {
                    prop_assert_eq!(&grants[0].by, &allowed.by);
                    prop_assert!(std::ptr::eq(
                        grants[0].by.group().unwrap(),
                        allowed.by.group().unwrap()
                    ));
                }
                other => prop_assert!(
                    false,
                    "{:?} {}: {:?} {}",
                    w,
                    allowed.written,
                    other,
                    decision
                ),
            }
        }
        let mut parsed = Vec::new();
        for skipped in &split.skipped {
            if let Ok(target) = skipped.written.parse::<Target>() {
                let one = [target];
                prop_assert!(
                    !policy.is_allowed(&subject, Action::SCAN_RUN, Resource::Targets(&one)),
                    "{:?} {}",
                    w,
                    skipped.written
                );
            }
        }
        for text in written {
            if let Ok(target) = text.parse::<Target>() {
                parsed.push(target);
            }
        }
        // When layers 1–2 refuse `scan.run`, every target is skipped. A key without a user
        // holds no access-group permission: any target list is denied to it, even an empty
        // one (which is vacuously allowed to a user).
        let layers = policy.is_allowed(&subject, Action::SCAN_RUN, Resource::None);
        prop_assert!(layers || split.allowed.is_empty());
        if parsed.len() == written.len() {
            prop_assert_eq!(
                policy.is_allowed(&subject, Action::SCAN_RUN, Resource::Targets(&parsed)),
                layers && split.skipped.is_empty() && w.user.is_some(),
                "{:?} {:?} {:?}",
                w,
                written,
                split
            );
        }
    }

    // `who_can` names a directory user exactly when layer 3 allows them: compared with the
    // Security Manager's role given inline (it passes layers 1–2 of both actions; the
    // Administrator does not hold permScan) and the
    // user's directory groups; and with the user's own role, `check` allows exactly when
    // `who_can` reaches them and their role passes layer 2.
    for user in policy.users() {
        for asset in &objects.assets {
            for (action, permission) in [
                (Action::ASSET_VIEW, AccessPermissions::CAN_VIEW),
                (Action::ASSET_SCAN, AccessPermissions::CAN_SCAN),
            ] {
                let reach = reached(&policy, asset, permission, user);
                let layer3 = Subject::user(user.id()).with_role(RoleId::SECURITY_MANAGER);
                prop_assert_eq!(
                    reach,
                    policy.is_allowed(&layer3, action, Resource::Asset(asset)),
                    "{} {} {:?}",
                    user.id(),
                    action,
                    asset
                );
                let role = policy.roles().get(user.role()).unwrap();
                let layer2 = role
                    .permissions()
                    .contains(policy.action_spec(action).unwrap().permissions());
                prop_assert_eq!(
                    reach && layer2,
                    policy.is_allowed(&Subject::user(user.id()), action, Resource::Asset(asset))
                );
            }
        }
    }
    Ok(())
}

fn written_targets() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            6 => target_text(),
            1 => Just("not a host".to_owned()),
            1 => Just("10.0.0.0/8".to_owned()),
            1 => Just("10.0.0.256".to_owned()),
        ],
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `check` ≡ `check_named` ≡ `is_allowed` on every request; the asset filter ≡
    /// `is_allowed` on every row and action; `who_can` ≡ layer 3 for every directory user;
    /// `partition_targets` ≡ one check per target; `effective` ≡ layers 1–2.
    #[test]
    fn check_is_allowed_filter_who_can_and_partition_agree(
        (world, random, objects) in scene(),
        written in written_targets(),
    ) {
        let who = subjects(&random);
        ways_of_asking_agree(&world, &who, &objects, &written)?;
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: the bugs these properties found, as fixed examples.

/// Found by the JSON round-trip properties: a role built in code with the full-scan bit
/// but not `SCAN` (a "stray" bit, which grants nothing and which no wire value spells)
/// kept it, so the no-escalation rule counted it as an excess ("permScan=full") while the
/// role's JSON said `none`: a policy decided differently after `to_json`/`from_json`.
/// Roles, drafts and patches now drop the stray bit.
#[test]
fn regression_a_stray_full_scan_bit_is_dropped() {
    let stray = Permissions::SCAN_FULL - Permissions::SCAN;
    assert!(!stray.is_empty());
    let tickets = Permissions::CREATE_TICKETS;
    let role = Role::new(custom_id(1), "target").with_permissions(tickets | stray);
    assert_eq!(role.permissions(), tickets);
    assert_eq!(
        RolePatch::new().grant(stray).apply_to(&role).permissions(),
        tickets
    );

    let manager = Permissions::MANAGE_ROLES | Permissions::MANAGE_GROUP_RELATIONSHIPS | tickets;
    let policy = Policy::builder()
        .role(Role::new(custom_id(0), "manager").with_permissions(manager))
        .role(role)
        .user(User::new("m", custom_id(0)))
        .build()
        .unwrap();
    let m = Subject::user("m");
    let assign = policy.check(&m, Action::GROUP_ASSIGN_ROLE, Resource::Role(custom_id(1)));
    assert!(assign.is_allowed(), "{assign}");
    let draft = RoleDraft::new("drafted").with_permissions(tickets | stray);
    assert!(policy.is_allowed(&m, Action::ROLE_CREATE, Resource::RoleDraft(&draft)));
    let (created, id) = policy.create_role(&m, draft).unwrap();
    assert_eq!(created.roles().get(id).unwrap().permissions(), tickets);
}

/// Found by "unknown roles always deny": an organization key (no user) given a role
/// inline ignored the role, so a role that does not exist was not denied, and an existing
/// role did not apply at layer 2 (an Auditor's role with a scanning key could scan). The
/// role is now looked up and applied.
#[test]
fn regression_an_organization_key_with_an_inline_role() {
    let policy = Policy::default();
    let key: ScopeSet = "scans projects:read".parse().unwrap();
    let unknown = Subject::api_key(key).with_role(UNKNOWN_ROLE);
    let decision = policy.check(&unknown, Action::SCAN_READ, Resource::None);
    assert_eq!(
        decision.to_string(),
        "deny `scan.read`: role `999` does not exist"
    );
    let auditor = Subject::api_key(key).with_role(RoleId::AUDITOR);
    assert_eq!(
        policy
            .check(&auditor, Action::SCAN_RUN, Resource::None)
            .to_string(),
        "deny `scan.run`: role `Auditor` lacks permScan, required by `scan.run`"
    );
    assert!(policy.is_allowed(&auditor, Action::SCAN_READ, Resource::None));
    // Without the role the key alone decides, as before.
    assert!(policy.is_allowed(&Subject::api_key(key), Action::SCAN_RUN, Resource::None));
}

// ---------------------------------------------------------------------------------------
// JSON.

#[cfg(feature = "serde")]
mod json {
    use super::*;
    use scangate::access::{AccessGroupList, ApiErrorBody};
    use scangate::{
        policy::Request,
        role::{Envelope, RoleQuery},
    };
    use serde_json::{Value, json};

    fn resource_json(resource: &Resource<'_>) -> Value {
        match resource {
            Resource::None => json!({}),
            Resource::Asset(asset) => json!({"asset": asset}),
            Resource::Targets(targets) => json!({"targets": targets}),
            Resource::Role(id) => json!({"role": id}),
            Resource::RoleDraft(draft) => json!({"role_draft": draft}),
            Resource::RolePatch(id, patch) => json!({"role": id, "role_patch": patch}),
            Resource::UserGroup(group) => json!({"group": group}),
            Resource::AccessGroup(id) => json!({"access_group": id}),
            Resource::AccessGroupDraft(draft) => json!({"access_group_draft": draft}),
            other => panic!("no JSON for {other:?}"),
        }
    }

    fn request_json(w: &Who, action: &str, resource: &Resource<'_>) -> String {
        let mut subject = serde_json::Map::new();
        if let Some(user) = w.user {
            subject.insert("user".into(), json!(user));
        }
        if let Some(role) = w.role {
            subject.insert("role".into(), json!(role));
        }
        if let Some(groups) = &w.groups {
            subject.insert("groups".into(), json!(groups));
        }
        if let Some(scopes) = w.scopes {
            subject.insert("scopes".into(), json!(scopes));
        }
        json!({"subject": subject, "action": action, "resource": resource_json(resource)})
            .to_string()
    }

    /// The documented keys of decision JSON, in their order (`docs/semantics.md`,
    /// "Explanations").
    const ALLOW_KEYS: [&str; 5] = ["decision", "action", "scopes", "role", "object"];
    const DENY_KEYS: [&str; 10] = [
        "decision",
        "action",
        "denied_by",
        "reason",
        "role",
        "missing_scopes",
        "missing_permissions",
        "target",
        "containing_access_group",
        "code",
    ];

    /// The keys of a JSON object's top level in the order written (`serde_json::Value`
    /// sorts them).
    fn top_level_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let mut current = String::new();
        let mut last_string = None;
        for c in text.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        in_string = false;
                        last_string = Some(std::mem::take(&mut current));
                        continue;
                    }
                    _ => {}
                }
                current.push(c);
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                ':' if depth == 1 => keys.extend(last_string.take()),
                _ => {}
            }
        }
        keys
    }

    /// Decision JSON is write-only: it is an object whose keys are the documented ones in
    /// the documented order, and it says what the decision says.
    fn decision_json_is_documented(decision: &scangate::Decision<'_>) -> Result<(), TestCaseError> {
        let text = serde_json::to_string(decision).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let object = value.as_object().unwrap();
        let keys = top_level_keys(&text);
        prop_assert_eq!(keys.len(), object.len());
        let documented: &[&str] = if decision.is_allowed() {
            &ALLOW_KEYS
        } else {
            &DENY_KEYS
        };
        let mut last = 0;
        for key in &keys {
            let key = key.as_str();
            let at = documented.iter().position(|d| *d == key);
            // `http_status` follows `code` (or stands alone for role errors).
            let at = at.or_else(|| (key == "http_status").then_some(documented.len()));
            prop_assert!(
                at.is_some_and(|at| at >= last),
                "key `{}` out of place in {}",
                key,
                text
            );
            last = at.unwrap();
        }
        prop_assert_eq!(keys[0].as_str(), "decision");
        prop_assert_eq!(keys[1].as_str(), "action");
        prop_assert_eq!(
            object["decision"].as_str(),
            Some(if decision.is_allowed() {
                "allow"
            } else {
                "deny"
            })
        );
        prop_assert_eq!(object["action"].as_str(), Some(decision.action()));
        if let Some(denial) = decision.denial() {
            prop_assert_eq!(object["denied_by"].as_str(), Some(denial.layer().as_str()));
            prop_assert_eq!(
                object["reason"].as_str().map(str::to_owned),
                Some(denial.to_string())
            );
        } else {
            prop_assert_eq!(object.contains_key("scopes"), decision.scopes().is_some());
            prop_assert_eq!(object.contains_key("role"), decision.role().is_some());
            prop_assert_eq!(object.contains_key("object"), decision.object().is_some());
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// A policy written with `to_json` loads back (`from_json`), writes the same text,
        /// and decides every request the same (same sentence, same JSON); requests written
        /// as the command-line format read back (`Request::from_json`) and decide as the
        /// values they were written from; every decision's JSON has the documented shape.
        #[test]
        fn policies_and_requests_round_trip_and_decide_the_same((world, random, objects) in scene()) {
            let who = subjects(&random);
            let policy = world.policy();
            let text = policy.to_json();
            let reloaded = Policy::from_json(&text).unwrap();
            prop_assert_eq!(reloaded.to_json(), text.clone());
            let written: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(written["roles"].as_array().unwrap().len(), world.roles.len());
            prop_assert_eq!(written["access_groups"].as_array().unwrap().len(), world.groups.len());
            prop_assert_eq!(written["users"].as_array().unwrap().len(), world.users.len());

            let mut checked = 0;
            for (w, action, resource) in requests(&policy, &who, &objects) {
                let subject = who[w].subject();
                let decision = policy.check(&subject, action, resource);
                let again = reloaded.check(&subject, action, resource);
                prop_assert_eq!(decision.to_string(), again.to_string());
                prop_assert_eq!(serde_json::to_value(&decision).unwrap(), serde_json::to_value(&again).unwrap());
                decision_json_is_documented(&decision)?;

                // One request in five through the request format (it costs a parse).
                checked += 1;
                if checked % 5 == 0 {
                    let name = policy.action_spec(action).unwrap().name();
                    let line = request_json(&who[w], name, &resource);
                    let request = Request::from_json(&line).unwrap();
                    let read = policy.check_request(&request);
                    prop_assert_eq!(read.to_string(), decision.to_string(), "{}", line);
                    prop_assert_eq!(serde_json::to_value(&read).unwrap(), serde_json::to_value(&decision).unwrap());
                }
            }
        }

        /// Roles in Tenable's envelope and as lists, role ids, the access-group list
        /// envelope, error bodies, assets, targets, rules, principals and group types read
        /// back equal; a group written in the v1 shape (no `access_group_type`, principals
        /// without `permissions` where they hold `CAN_VIEW` alone) reads back equal; a role
        /// view is the role's JSON restricted to the fields shown.
        #[test]
        fn every_serde_type_round_trips((world, _, objects) in scene(), timestamp in any::<i64>(), id in any::<u64>()) {
            let policy = world.policy();
            let roles: Vec<Role> = policy.roles().iter().cloned().collect();
            let envelope = Envelope::ok(roles.clone(), timestamp);
            let text = serde_json::to_string(&envelope).unwrap();
            prop_assert_eq!(serde_json::from_str::<Envelope<Vec<Role>>>(&text).unwrap(), envelope);
            for role in &roles {
                let one = Envelope::ok(role.clone(), timestamp);
                let text = serde_json::to_string(&one).unwrap();
                prop_assert_eq!(serde_json::from_str::<Envelope<Role>>(&text).unwrap(), one);
            }

            let role_id = RoleId::new(id);
            prop_assert_eq!(serde_json::from_value::<RoleId>(serde_json::to_value(role_id).unwrap()).unwrap(), role_id);
            prop_assert_eq!(serde_json::from_value::<RoleId>(json!(id)).unwrap(), role_id);

            let list = AccessGroupList {
                access_groups: world.groups.clone(),
                pagination: Some(json!({"offset": 0, "limit": 50, "total": world.groups.len()})),
            };
            let text = serde_json::to_string(&list).unwrap();
            prop_assert_eq!(serde_json::from_str::<AccessGroupList>(&text).unwrap(), list);

            let body = ApiErrorBody { error: format!("HTTP 404 Not Found {id}") };
            prop_assert_eq!(serde_json::from_str::<ApiErrorBody>(&serde_json::to_string(&body).unwrap()).unwrap(), body);

            for asset in &objects.assets {
                let text = serde_json::to_string(asset).unwrap();
                prop_assert_eq!(&serde_json::from_str::<Asset>(&text).unwrap(), asset);
            }
            for target in objects.targets.iter().flatten() {
                let text = serde_json::to_string(target).unwrap();
                prop_assert_eq!(&serde_json::from_str::<Target>(&text).unwrap(), target);
            }
            for group in &world.groups {
                prop_assert_eq!(serde_json::from_value::<AccessGroupType>(serde_json::to_value(group.group_type()).unwrap()).unwrap(), group.group_type());
                for rule in group.rules() {
                    prop_assert_eq!(&serde_json::from_value::<Rule>(serde_json::to_value(rule).unwrap()).unwrap(), rule);
                }
                for principal in group.principals() {
                    prop_assert_eq!(&serde_json::from_value::<Principal>(serde_json::to_value(principal).unwrap()).unwrap(), principal);
                }

                // The v1 shape: the type is inferred (ALL for all_assets, else
                // MANAGE_ASSETS), and a principal without permissions holds CAN_VIEW.
                let v1_type = if group.all_assets() { AccessGroupType::All } else { AccessGroupType::ManageAssets };
                if group.group_type() == v1_type {
                    let mut v1 = serde_json::to_value(group).unwrap();
                    v1.as_object_mut().unwrap().remove("access_group_type");
                    if let Some(principals) = v1.get_mut("principals").and_then(Value::as_array_mut) {
                        for p in principals {
                            if p["permissions"] == json!(["CAN_VIEW"]) {
                                p.as_object_mut().unwrap().remove("permissions");
                            }
                        }
                    }
                    prop_assert_eq!(&serde_json::from_value::<AccessGroup>(v1).unwrap(), group);
                }
            }

            // A role view is a projection of the role's own JSON.
            for requester in [RoleId::ADMINISTRATOR, RoleId::AUDITOR, RoleId::SECURITY_MANAGER] {
                for role in &roles {
                    let Ok(view) = policy.roles().view(requester, role.id(), &RoleQuery::new()) else {
                        prop_assert!(role.is_administrator() && requester != RoleId::ADMINISTRATOR);
                        continue;
                    };
                    let shown = serde_json::to_value(view).unwrap();
                    let full = serde_json::to_value(role).unwrap();
                    let shown = shown.as_object().unwrap();
                    prop_assert!(shown.contains_key("id"));
                    for (key, value) in shown {
                        prop_assert_eq!(Some(value), full.get(key), "{}", key);
                    }
                }
            }
        }
    }
}
