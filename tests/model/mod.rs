//! A reference model of SPEC §1–§5 for differential testing of the engine
//! (`tests/engine_model.rs`), with layer 3's v3 permissions and tags (`v3`,
//! `tests/engine_model_v3.rs`).
//!
//! It is written from SPEC.md, the seeds and `docs/semantics.md` alone, with plain data and
//! loops: no crate type or function takes part in a decision (no `ReferenceMatcher`, no
//! `Rule::matches`, no `ScopeSet`, no `Permissions`, no action table). Its input is its own
//! structs; `convert` gives the same data to the crate (and reads its decisions back), and
//! `generate` draws random model data. Where the engine and the model disagree one of them
//! misreads the spec; the test says which request.

#![allow(dead_code)] // not every accessor is used by every test binary that includes the model

pub mod convert;
pub mod generate;
pub mod generate_v3;
pub mod matching;
pub mod tables;
pub mod v3;

use matching::{target_format, target_rule_types, term_matches};
use tables::{ADMINISTRATOR, AccessPerm, BUILTIN_ROLES, IMMUTABLE_ROLES, Object, Perms};

/// The nil UUID: a `group` principal with it means every user (SPEC §4).
pub const NIL_UUID: &str = "00000000-0000-0000-0000-000000000000";

/// A custom role.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// Id (never 0–7).
    pub id: u64,
    /// Name (stored data: any text, duplicates allowed).
    pub name: String,
    /// Permissions.
    pub perms: Perms,
}

/// A directory user.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// User id.
    pub id: String,
    /// Role id (exists).
    pub role: u64,
    /// User-group (team) ids.
    pub teams: Vec<String>,
}

/// `access_group_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupType {
    /// `MANAGE_ASSETS`.
    ManageAssets,
    /// `SCAN_TARGETS`.
    ScanTargets,
    /// `ALL`.
    All,
}

/// A principal's `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `user`.
    User,
    /// `group`.
    Group,
    /// `all_users`.
    AllUsers,
    /// Anything else (e.g. `access_group`): names nobody.
    Other(String),
}

/// One principal.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// Type.
    pub kind: PrincipalKind,
    /// `principal_id`, if given.
    pub id: Option<String>,
    /// Holds `CAN_VIEW`.
    pub view: bool,
    /// Holds `CAN_SCAN`.
    pub scan: bool,
}

impl Principal {
    fn holds(&self, perm: AccessPerm) -> bool {
        match perm {
            AccessPerm::View => self.view,
            AccessPerm::Scan => self.scan,
        }
    }

    /// Whether the principal names `user`, a member of `teams` (SPEC §4: by user id, by
    /// group id, or everyone: `all_users` of any id, a `group` with the nil UUID).
    pub fn names(&self, user: &str, teams: &[String]) -> bool {
        match (&self.kind, self.id.as_deref()) {
            (PrincipalKind::AllUsers, _) => true,
            (PrincipalKind::User, Some(id)) => id == user,
            (PrincipalKind::Group, Some(id)) => id == NIL_UUID || teams.iter().any(|t| t == id),
            _ => false,
        }
    }
}

/// One rule: type, operator, terms as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Rule type.
    pub rule_type: String,
    /// Operator.
    pub operator: String,
    /// Terms as written.
    pub terms: Vec<String>,
}

/// An access group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Id, if any.
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Type.
    pub group_type: GroupType,
    /// `all_assets`.
    pub all_assets: bool,
    /// `all_users`.
    pub all_users: bool,
    /// `principals`, `None` when not listed.
    pub principals: Option<Vec<Principal>>,
    /// Rules.
    pub rules: Vec<Rule>,
}

/// The policy: custom roles (the built-ins are implied), access groups in order, users,
/// and the v3 tags and permissions (`v3`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Policy {
    /// Custom roles.
    pub roles: Vec<Role>,
    /// Access groups, in policy order.
    pub groups: Vec<Group>,
    /// Directory users.
    pub users: Vec<User>,
    /// v3 tag values, in policy order.
    pub tags: Vec<v3::Tag>,
    /// v3 permissions, in policy order.
    pub permissions: Vec<v3::Permission>,
}

/// Who asks.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Subject {
    /// User id.
    pub user: Option<String>,
    /// Inline role.
    pub role: Option<u64>,
    /// Inline groups.
    pub groups: Option<Vec<String>>,
    /// The API key's scopes (as written), when the request came with a key.
    pub scopes: Option<Vec<String>>,
}

/// An asset: (attribute, value) pairs as written.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Asset {
    /// Values.
    pub values: Vec<(String, String)>,
}

/// A `POST /role` body.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleDraft {
    /// Name.
    pub name: String,
    /// Permissions (may include `permManageApp`, which must be refused).
    pub perms: Perms,
}

/// A `PATCH /role/{id}` body: only the fields present change.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RolePatch {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Flags set (`true`) or cleared (`false`), each field at most once.
    pub flags: Vec<(&'static str, bool)>,
    /// New scan level.
    pub scan: Option<tables::Scan>,
}

/// What the request is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Resource {
    /// Nothing.
    None,
    /// An asset.
    Asset(Asset),
    /// Scan targets as written.
    Targets(Vec<String>),
    /// A role by id.
    Role(u64),
    /// A role to create.
    RoleDraft(RoleDraft),
    /// A change to a role.
    RolePatch(u64, RolePatch),
    /// A user group by id.
    UserGroup(String),
    /// An access group by id.
    AccessGroup(String),
    /// An access group to create, or the new content of the group with its id.
    AccessGroupDraft(Group),
    /// A v3 tag value by uuid (as written).
    Tag(String),
}

/// The layer that denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// Unknown action.
    Action,
    /// Unresolvable subject.
    Subject,
    /// Layer 1.
    Scopes,
    /// Layer 2.
    Role,
    /// Layer 3.
    Object,
}

/// Which fact of a group grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantFact {
    /// The All Assets group with no principals listed.
    AllAssetsDefault,
    /// `all_users: true`.
    AllUsers,
    /// The principal at this index.
    Principal(usize),
}

/// Which rule and term put an object in a group (`None`: `all_assets`).
pub type Membership = Option<(usize, usize)>;

/// Why layer 3 allowed an asset or one target: group position, membership, grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Granted {
    /// Position of the deciding group in policy order.
    pub group: usize,
    /// Rule and term.
    pub membership: Membership,
    /// The grant.
    pub grant: GrantFact,
}

/// Details of a layer-3 answer about assets or targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectDetail {
    /// Nothing to compare (other checks, or layer 3 did not run).
    None,
    /// The asset was allowed through this group.
    Asset(Granted),
    /// Every target was allowed, each through its group.
    Targets(Vec<Granted>),
    /// The asset was refused; the first group containing it, if any.
    AssetDenied(Option<usize>),
    /// Target `index` was refused; the first group containing it, if any.
    TargetDenied(usize, Option<usize>),
    /// No access group granted; a v3 permission did (an asset, or a tag for `tag.*`).
    Permission(v3::PermGrant),
    /// `tag.*` was refused; whether the policy defines the tag.
    TagDenied(bool),
}

/// The model's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Allowed.
    pub allowed: bool,
    /// The denying layer.
    pub layer: Option<Layer>,
    /// Layer-3 detail.
    pub detail: ObjectDetail,
}

fn deny(layer: Layer) -> Outcome {
    Outcome {
        allowed: false,
        layer: Some(layer),
        detail: ObjectDetail::None,
    }
}

fn allow(detail: ObjectDetail) -> Outcome {
    Outcome {
        allowed: true,
        layer: None,
        detail,
    }
}

fn object(allowed: bool) -> Outcome {
    if allowed {
        allow(ObjectDetail::None)
    } else {
        deny(Layer::Object)
    }
}

/// A role of the policy (built-in or custom) as (id, name, permissions).
#[derive(Clone, Debug)]
struct RoleView {
    id: u64,
    name: String,
    perms: Perms,
}

impl Policy {
    fn all_roles(&self) -> Vec<RoleView> {
        let builtin = BUILTIN_ROLES.iter().map(|b| RoleView {
            id: b.id,
            name: b.name.to_owned(),
            perms: Perms::of(b.flags, b.scan),
        });
        let custom = self.roles.iter().map(|r| RoleView {
            id: r.id,
            name: r.name.clone(),
            perms: r.perms.clone(),
        });
        builtin.chain(custom).collect()
    }

    /// The permissions of role `id` (built-in or custom), if it exists.
    pub fn role_perms(&self, id: u64) -> Option<Perms> {
        self.role(id).map(|r| r.perms)
    }

    fn role(&self, id: u64) -> Option<RoleView> {
        if let Some(b) = BUILTIN_ROLES.iter().find(|b| b.id == id) {
            return Some(RoleView {
                id,
                name: b.name.to_owned(),
                perms: Perms::of(b.flags, b.scan),
            });
        }
        self.roles.iter().find(|r| r.id == id).map(|r| RoleView {
            id,
            name: r.name.clone(),
            perms: r.perms.clone(),
        })
    }
}

/// The resolved subject.
struct Resolved {
    user: Option<String>,
    role: Option<RoleView>,
    teams: Vec<String>,
    scopes: Option<Vec<String>>,
}

/// SPEC §7 / semantics "Subjects": inline role and groups take precedence over the
/// directory; an unknown user needs an inline role; an inline role must exist; neither a
/// user nor a key is nobody.
fn resolve(policy: &Policy, subject: &Subject) -> Result<Resolved, Layer> {
    let Some(user) = &subject.user else {
        if subject.scopes.is_none() {
            return Err(Layer::Subject);
        }
        // An organization key: no user, so no groups. A role given inline with it is not
        // ignored (semantics, "Subjects"): it must exist, and layer 2 applies, so the key
        // never does more than that role. Inline groups without a user name no principal.
        let role = match subject.role {
            Some(id) => Some(policy.role(id).ok_or(Layer::Subject)?),
            None => None,
        };
        return Ok(Resolved {
            user: None,
            role,
            teams: Vec::new(),
            scopes: subject.scopes.clone(),
        });
    };
    let directory = policy.users.iter().find(|u| &u.id == user);
    let role_id = match (subject.role, directory) {
        (Some(id), _) => id,
        (None, Some(d)) => d.role,
        (None, None) => return Err(Layer::Subject),
    };
    let role = policy.role(role_id).ok_or(Layer::Subject)?;
    let teams = match (&subject.groups, directory) {
        (Some(groups), _) => groups.clone(),
        (None, Some(d)) => d.teams.clone(),
        (None, None) => Vec::new(),
    };
    Ok(Resolved {
        user: Some(user.clone()),
        role: Some(role),
        teams,
        scopes: subject.scopes.clone(),
    })
}

/// Decides one request.
pub fn decide(policy: &Policy, subject: &Subject, action: &str, resource: &Resource) -> Outcome {
    let Some(row) = tables::action(action) else {
        return deny(Layer::Action);
    };
    let who = match resolve(policy, subject) {
        Ok(who) => who,
        Err(layer) => return deny(layer),
    };
    // Layer 1: a key must hold every required scope; an action naming none is not for keys.
    if let Some(scopes) = &who.scopes {
        if row.scopes.is_empty() || !tables::key_grants_all(scopes, row.scopes) {
            return deny(Layer::Scopes);
        }
    }
    // Layer 2: a role must hold every required permission.
    if let Some(role) = &who.role {
        if !role.perms.holds_all(row.perms) {
            return deny(Layer::Role);
        }
    }
    object_check(policy, &who, row.object, resource)
}

/// Layer 3 (semantics: an object check applies when its resource is given; `asset.*`
/// require an asset; a resource of the wrong kind is denied, never ignored).
fn object_check(policy: &Policy, who: &Resolved, check: Object, resource: &Resource) -> Outcome {
    match (check, resource) {
        // An action with no object check has no layer 3: whatever resource is given
        // cannot grant anything, so it is not looked at (the "never ignored" rule of the
        // semantics is about actions whose check the resource would skip).
        (Object::None, _) => allow(ObjectDetail::None),
        (Object::Asset(_, false), Resource::None) => allow(ObjectDetail::None),
        (Object::Asset(perm, _), Resource::Asset(asset)) => asset_check(policy, who, perm, asset),
        (Object::Targets, Resource::None) => allow(ObjectDetail::None),
        (Object::Targets, Resource::Targets(targets)) => target_check(policy, who, targets),
        (Object::Membership, Resource::None) => allow(ObjectDetail::None),
        (Object::Membership, Resource::UserGroup(group)) => object(group_read(who, group)),
        (Object::AssignRole, Resource::None) => allow(ObjectDetail::None),
        (Object::AssignRole, Resource::Role(id)) => object(assign_role(policy, who, *id)),
        (Object::ReadRole, Resource::None) => allow(ObjectDetail::None),
        (Object::ReadRole, Resource::Role(id)) => object(read_role(policy, who, *id)),
        (Object::CreateRole, Resource::None) => allow(ObjectDetail::None),
        (Object::CreateRole, Resource::RoleDraft(draft)) => object(create_role(policy, who, draft)),
        (Object::EditRole, Resource::None) => allow(ObjectDetail::None),
        (Object::EditRole, Resource::RolePatch(id, patch)) => {
            object(edit_role(policy, who, *id, patch))
        }
        // A role without a patch asks whether the role may be edited at all: the edit
        // rules with no change (semantics: "with a draft, a role (and a patch)").
        (Object::EditRole, Resource::Role(id)) => {
            object(edit_role(policy, who, *id, &RolePatch::default()))
        }
        (Object::DeleteRole, Resource::None) => allow(ObjectDetail::None),
        (Object::DeleteRole, Resource::Role(id)) => object(delete_role(policy, who, *id)),
        (Object::ReadAccessGroup, Resource::None) => allow(ObjectDetail::None),
        (Object::ReadAccessGroup, Resource::AccessGroup(id)) => {
            object(read_access_group(policy, who, id))
        }
        (Object::CreateAccessGroup, Resource::None) => allow(ObjectDetail::None),
        (Object::CreateAccessGroup, Resource::AccessGroupDraft(draft)) => {
            object(create_access_group(policy, who, draft))
        }
        (Object::EditAccessGroup, Resource::None) => allow(ObjectDetail::None),
        (Object::EditAccessGroup, Resource::AccessGroupDraft(draft)) => {
            object(edit_access_group(policy, who, draft))
        }
        (Object::DeleteAccessGroup, Resource::None) => allow(ObjectDetail::None),
        (Object::DeleteAccessGroup, Resource::AccessGroup(id)) => {
            object(delete_access_group(policy, who, id))
        }
        (Object::Tag(action), Resource::Tag(uuid)) => tag_check(policy, who, action, uuid),
        // Everything else is a resource of the wrong kind (or a missing required asset).
        _ => deny(Layer::Object),
    }
}

/// Which fact of `group` grants `perm` to `user` in `teams` (semantics, first answer
/// wins): All Assets with no principals listed grants view and scan; `all_users` grants
/// view only and ignores principals; else the first listed principal naming the user and
/// holding `perm`.
pub fn grant(group: &Group, user: &str, teams: &[String], perm: AccessPerm) -> Option<GrantFact> {
    if group.all_assets && group.principals.is_none() {
        return Some(GrantFact::AllAssetsDefault);
    }
    if group.all_users {
        return (perm == AccessPerm::View).then_some(GrantFact::AllUsers);
    }
    group
        .principals
        .as_deref()
        .unwrap_or_default()
        .iter()
        .position(|p| p.names(user, teams) && p.holds(perm))
        .map(GrantFact::Principal)
}

/// The rule types through which a SCAN_TARGETS group contains an asset (SPEC §4
/// "Scanning": scanning an asset is scanning its addresses).
const ADDRESS_TYPES: [&str; 4] = ["ipv4", "ipv6", "fqdn", "hostname"];

/// Whether `group` contains the asset: `all_assets`, or the lowest rule with a term
/// matching one of the asset's values for the rule's attribute (lowest term). Of a
/// SCAN_TARGETS group only the `ipv4`, `ipv6`, `fqdn` and `hostname` rules count.
pub fn contains_asset(group: &Group, asset: &Asset) -> Option<Membership> {
    if group.all_assets {
        return Some(None);
    }
    for (r, rule) in group.rules.iter().enumerate() {
        if group.group_type == GroupType::ScanTargets
            && !ADDRESS_TYPES.contains(&rule.rule_type.as_str())
        {
            continue;
        }
        for (t, term) in rule.terms.iter().enumerate() {
            let hit = asset.values.iter().any(|(attribute, value)| {
                attribute == &rule.rule_type
                    && term_matches(&rule.rule_type, &rule.operator, term, value)
            });
            if hit {
                return Some(Some((r, t)));
            }
        }
    }
    None
}

/// Whether `group` contains the scan target: `all_assets`, or a rule of the type the
/// target's format calls for (SPEC §4) with a matching term.
pub fn contains_target(group: &Group, target: &str) -> Option<Membership> {
    if group.all_assets {
        return Some(None);
    }
    let types = target_rule_types(target_format(target));
    for (r, rule) in group.rules.iter().enumerate() {
        if !types.contains(&rule.rule_type.as_str()) {
            continue;
        }
        for (t, term) in rule.terms.iter().enumerate() {
            if term_matches(&rule.rule_type, &rule.operator, term, target) {
                return Some(Some((r, t)));
            }
        }
    }
    None
}

/// Asset checks: viewing takes MANAGE_ASSETS groups and All Assets only; scanning takes
/// every group, a SCAN_TARGETS one containing the asset through its addresses (SPEC §4
/// "Scanning"). The deciding group is the first in policy order that contains the asset
/// and grants; a denial names the first group taking part that contains it.
fn asset_check(policy: &Policy, who: &Resolved, perm: AccessPerm, asset: &Asset) -> Outcome {
    let Some(user) = &who.user else {
        return deny(Layer::Object);
    };
    let holding = |g: &&Group| perm == AccessPerm::Scan || g.group_type != GroupType::ScanTargets;
    for (i, group) in policy.groups.iter().enumerate() {
        if !holding(&group) {
            continue;
        }
        if let (Some(membership), Some(grant)) = (
            contains_asset(group, asset),
            grant(group, user, &who.teams, perm),
        ) {
            return allow(ObjectDetail::Asset(Granted {
                group: i,
                membership,
                grant,
            }));
        }
    }
    // No access group grants: a v3 permission may (an access group or a permission; the
    // group explains when both do).
    let action = match perm {
        AccessPerm::View => "CanView",
        AccessPerm::Scan => "CanScan",
    };
    let v3_who = v3::Who {
        user,
        teams: &who.teams,
        admin: is_admin(who),
    };
    if let Some(g) = v3::asset_grant(&policy.tags, &policy.permissions, v3_who, action, asset) {
        return allow(ObjectDetail::Permission(g));
    }
    let containing = policy
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| holding(g))
        .find(|(_, g)| contains_asset(g, asset).is_some())
        .map(|(i, _)| i);
    Outcome {
        allowed: false,
        layer: Some(Layer::Object),
        detail: ObjectDetail::AssetDenied(containing),
    }
}

/// Scan targets: every target must be in some group (any type) granting `CAN_SCAN`; the
/// first refused target is the denial.
fn target_check(policy: &Policy, who: &Resolved, targets: &[String]) -> Outcome {
    let Some(user) = &who.user else {
        return deny(Layer::Object);
    };
    let mut granted = Vec::new();
    for (index, target) in targets.iter().enumerate() {
        let found = policy.groups.iter().enumerate().find_map(|(i, group)| {
            let membership = contains_target(group, target)?;
            let grant = grant(group, user, &who.teams, AccessPerm::Scan)?;
            Some(Granted {
                group: i,
                membership,
                grant,
            })
        });
        match found {
            Some(g) => granted.push(g),
            None => {
                let containing = policy
                    .groups
                    .iter()
                    .position(|g| contains_target(g, target).is_some());
                return Outcome {
                    allowed: false,
                    layer: Some(Layer::Object),
                    detail: ObjectDetail::TargetDenied(index, containing),
                };
            }
        }
    }
    allow(ObjectDetail::Targets(granted))
}

/// `tag.edit` / `tag.use`: a permission must grant the action on the tag (`v3::tag_grant`).
fn tag_check(policy: &Policy, who: &Resolved, action: &'static str, uuid: &str) -> Outcome {
    let Some(user) = &who.user else {
        return deny(Layer::Object);
    };
    let v3_who = v3::Who {
        user,
        teams: &who.teams,
        admin: is_admin(who),
    };
    match v3::tag_grant(&policy.tags, &policy.permissions, v3_who, action, uuid) {
        Some(g) => allow(ObjectDetail::Permission(g)),
        None => Outcome {
            allowed: false,
            layer: Some(Layer::Object),
            detail: ObjectDetail::TagDenied(v3::defined(&policy.tags, uuid).is_some()),
        },
    }
}

/// `group.read`: members may; reading any group needs `groups:admin` from the key (when
/// there is one) and `permManageGroups` from the role (when there is one).
fn group_read(who: &Resolved, group: &str) -> bool {
    if who.user.is_some() && who.teams.iter().any(|t| t == group) {
        return true;
    }
    let key_ok = who
        .scopes
        .as_ref()
        .is_none_or(|s| tables::key_grants_all(s, &["groups:admin"]));
    let role_ok = who
        .role
        .as_ref()
        .is_none_or(|r| r.perms.holds("permManageGroups"));
    key_ok && role_ok
}

fn is_admin(who: &Resolved) -> bool {
    who.role.as_ref().is_some_and(|r| r.id == ADMINISTRATOR)
}

/// The Administrator role is invisible to everyone but the Administrator (SPEC §3).
fn visible(who: &Resolved, id: u64) -> bool {
    id != ADMINISTRATOR || is_admin(who)
}

fn read_role(policy: &Policy, who: &Resolved, id: u64) -> bool {
    policy.role(id).is_some() && visible(who, id)
}

/// `group.assign_role`: the role must exist, be visible, and (for anyone but the
/// Administrator) lie within the requester's permissions.
fn assign_role(policy: &Policy, who: &Resolved, id: u64) -> bool {
    let (Some(requester), Some(role)) = (&who.role, policy.role(id)) else {
        return false;
    };
    visible(who, id) && (is_admin(who) || role.perms.within(&requester.perms))
}

/// A created or renamed role's name: 1–255 characters, not blank, not another role's
/// name (case-insensitive).
fn role_name_ok(policy: &Policy, name: &str, except: Option<u64>) -> bool {
    let length = name.chars().count();
    if length == 0 || length > 255 || name.trim().is_empty() {
        return false;
    }
    let folded = name.to_lowercase();
    !policy
        .all_roles()
        .iter()
        .any(|r| Some(r.id) != except && r.name.to_lowercase() == folded)
}

fn create_role(policy: &Policy, who: &Resolved, draft: &RoleDraft) -> bool {
    let Some(requester) = &who.role else {
        return false;
    };
    role_name_ok(policy, &draft.name, None)
        && !draft.perms.holds("permManageApp")
        && (is_admin(who) || draft.perms.within(&requester.perms))
}

/// PATCH semantics: only the fields present change.
pub fn apply_patch(perms: &Perms, patch: &RolePatch) -> Perms {
    let mut next = perms.clone();
    for (field, value) in &patch.flags {
        if *value {
            next.flags.insert(field);
        } else {
            next.flags.remove(field);
        }
    }
    if let Some(scan) = patch.scan {
        next.scan = scan;
    }
    next
}

fn edit_role(policy: &Policy, who: &Resolved, id: u64, patch: &RolePatch) -> bool {
    let (Some(requester), Some(role)) = (&who.role, policy.role(id)) else {
        return false;
    };
    if IMMUTABLE_ROLES.contains(&id) {
        return false;
    }
    let after = apply_patch(&role.perms, patch);
    if after.holds("permManageApp") {
        return false;
    }
    // Checked before and after the change (semantics).
    let within = role.perms.within(&requester.perms) && after.within(&requester.perms);
    if !(is_admin(who) || within) {
        return false;
    }
    patch
        .name
        .as_deref()
        .is_none_or(|name| role_name_ok(policy, name, Some(id)))
}

fn delete_role(policy: &Policy, who: &Resolved, id: u64) -> bool {
    let (Some(requester), Some(role)) = (&who.role, policy.role(id)) else {
        return false;
    };
    !IMMUTABLE_ROLES.contains(&id) && (is_admin(who) || role.perms.within(&requester.perms))
}

/// The first group with this id (semantics: duplicate ids resolve to the first).
fn group_by_id<'p>(policy: &'p Policy, id: &str) -> Option<(usize, &'p Group)> {
    policy
        .groups
        .iter()
        .enumerate()
        .find(|(_, g)| g.id.as_deref() == Some(id))
}

/// `access_group.read`: the Administrator reads every group, others the groups naming
/// them (`all_users`, All Assets with no principals listed, or any principal applying to
/// them, whatever its permissions).
fn read_access_group(policy: &Policy, who: &Resolved, id: &str) -> bool {
    let Some((_, group)) = group_by_id(policy, id) else {
        return false;
    };
    if is_admin(who) {
        return true;
    }
    let Some(user) = &who.user else {
        return false;
    };
    group.all_users
        || (group.all_assets && group.principals.is_none())
        || group
            .principals
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|p| p.names(user, &who.teams))
}

/// SPEC §4 limits.
pub const MAX_GROUPS: usize = 5_000;
/// Rules per group.
pub const MAX_RULES: usize = 1_000;
/// Terms per rule.
pub const MAX_TERMS: usize = 100_000;

/// The create/edit rules of one group (SPEC §4 and semantics): the name (1–255 letters,
/// digits, space, `_ - ( ) [ ] :`), rule and term counts, principals (when `all_users`
/// is false: user/group principals need an id, other types are refused).
fn group_valid(group: &Group) -> bool {
    let length = group.name.chars().count();
    let name_ok = (1..=255).contains(&length)
        && group
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-()[]:".contains(c));
    let rules_ok = group.rules.len() <= MAX_RULES
        && group
            .rules
            .iter()
            .all(|r| (1..=MAX_TERMS).contains(&r.terms.len()));
    let principals_ok = group.all_users
        || group
            .principals
            .as_deref()
            .unwrap_or_default()
            .iter()
            .all(|p| match p.kind {
                PrincipalKind::User | PrincipalKind::Group => p.id.is_some(),
                PrincipalKind::AllUsers => true,
                PrincipalKind::Other(_) => false,
            });
    // An all-assets group has no rules.
    let rules_allowed = !group.all_assets || group.rules.is_empty();
    name_ok && rules_ok && principals_ok && rules_allowed
}

fn name_taken(policy: &Policy, name: &str, except: Option<usize>) -> bool {
    let folded = name.to_lowercase();
    policy
        .groups
        .iter()
        .enumerate()
        .any(|(i, g)| Some(i) != except && g.name.to_lowercase() == folded)
}

fn create_access_group(policy: &Policy, who: &Resolved, draft: &Group) -> bool {
    if !is_admin(who) {
        return false;
    }
    if draft.all_assets || draft.group_type == GroupType::All {
        return false; // protected
    }
    let Some(id) = &draft.id else {
        return false;
    };
    group_valid(draft)
        && policy.groups.len() < MAX_GROUPS
        && group_by_id(policy, id).is_none()
        && !name_taken(policy, &draft.name, None)
}

fn edit_access_group(policy: &Policy, who: &Resolved, draft: &Group) -> bool {
    if !is_admin(who) {
        return false;
    }
    let Some((position, current)) = draft.id.as_deref().and_then(|id| group_by_id(policy, id))
    else {
        return false;
    };
    if current.all_assets {
        // All Assets: only its principals and all_users may change; no rules.
        if draft.name != current.name
            || draft.group_type != current.group_type
            || !draft.all_assets
            || !draft.rules.is_empty()
        {
            return false;
        }
    } else if draft.all_assets || draft.group_type == GroupType::All {
        return false; // protected
    }
    // The edit is a full overwrite, except that All Assets keeps its principals when the
    // draft lists none (semantics); the rules apply to the group the edit produces.
    let mut edited = draft.clone();
    if current.all_assets && draft.principals.is_none() {
        edited.principals.clone_from(&current.principals);
    }
    group_valid(&edited) && !name_taken(policy, &draft.name, Some(position))
}

fn delete_access_group(policy: &Policy, who: &Resolved, id: &str) -> bool {
    is_admin(who) && group_by_id(policy, id).is_some_and(|(_, g)| !g.all_assets)
}
