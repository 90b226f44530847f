//! The decision rule (`docs/semantics.md`, "The engine"): every layer that applies must allow;
//! a layer that does not apply is skipped; anything not allowed is denied.
//!
//! 1. the action must be in the catalogue, and the subject must resolve (a directory user,
//!    or a role given inline, or an API key);
//! 2. layer 1 applies when the request came with an API key: the key must grant every scope
//!    the action requires, and an action requiring no scope is not available to keys;
//! 3. layer 2 applies when the subject has a role: it must hold every permission required
//!    (a key acting for a user passes both 1 and 2, so a key never exceeds its owner);
//! 4. layer 3 applies when the action has an object check and the resource it concerns is
//!    given.

use super::decision::{
    Decision, Denial, GrantedObject, ObjectGrant, PermissionGrant, TagCarried, TargetBy,
    TargetGrant,
};
use super::{DirectoryEntry, Policy, Resource, Subject};
use crate::access::{
    AccessGroup, AccessGroupType, AccessPermissions, Asset, Change, Grant, GroupSet, Membership,
    Requester, Target, Uuid,
};
use crate::policy::action::{Action, ActionSpec, ObjectCheck};
use crate::role::permission::Permissions;
use crate::role::{Role, RoleError, RoleId, RoleOperation, RolePatch};
use crate::scope::{Scope, ScopeSet};
use crate::tags::index::{Carried, TagGrants};
use crate::tags::{ObjectKind, PermissionAction};
use std::borrow::Cow;

/// A subject with its role and groups looked up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resolved<'a> {
    /// The directory entry, when the subject's groups are the directory's (its grant sets
    /// are then precomputed).
    pub(crate) entry: Option<&'a DirectoryEntry>,
    pub(crate) user: Option<&'a str>,
    pub(crate) role: Option<&'a Role>,
    pub(crate) groups: &'a [String],
    pub(crate) scopes: Option<ScopeSet>,
}

/// Name for an action handle the policy does not know.
const UNKNOWN_ACTION: &str = "(unknown action)";

/// Which of layers 1 and 2 refused, before the explanation is worked out: `check` turns
/// it into a [`Denial`], `is_allowed` only asks whether there is one, so both apply the
/// same rule and the fast path computes no missing sets.
#[derive(Clone, Copy)]
enum SubjectRefusal<'a> {
    /// The request came with a key and the action names no scope.
    NotForApiKeys,
    /// The key does not grant every scope required.
    Scopes(ScopeSet),
    /// The role lacks a permission required.
    Permissions(&'a Role),
}

/// Whether layer 3 can apply to the action at all.
#[inline]
fn has_object_check(spec: &ActionSpec) -> bool {
    !matches!(spec.object(), ObjectCheck::None)
}

/// Layer 1 (when the subject came with a key), then layer 2 (when it has a role).
#[inline]
fn subject_refusal<'a>(spec: &ActionSpec, resolved: &Resolved<'a>) -> Option<SubjectRefusal<'a>> {
    if let Some(key) = resolved.scopes {
        if spec.scopes().is_empty() {
            return Some(SubjectRefusal::NotForApiKeys);
        }
        if !key.grants_all(spec.scopes()) {
            return Some(SubjectRefusal::Scopes(key));
        }
    }
    match resolved.role {
        Some(role) if !role.permissions().grants_all(spec.permissions()) => {
            Some(SubjectRefusal::Permissions(role))
        }
        _ => None,
    }
}

impl Policy {
    /// Decides whether `subject` may perform `action` on `resource`, and explains why.
    ///
    /// Never fails and never panics: anything unknown or malformed is a deny naming what
    /// was wrong.
    ///
    /// ```
    /// use scangate::{Action, Policy, Resource, ScopeSet, Subject};
    /// let policy = Policy::default();
    /// let key: ScopeSet = "scans:run".parse().unwrap();
    /// let decision = policy.check(&Subject::api_key(key), Action::SCAN_RUN, Resource::None);
    /// assert_eq!(decision.to_string(), "deny `scan.run`: API key lacks `projects:read`, required by `scan.run`");
    /// ```
    #[must_use]
    pub fn check<'a>(
        &'a self,
        subject: &Subject<'a>,
        action: Action,
        resource: Resource<'a>,
    ) -> Decision<'a> {
        match self.action_spec(action) {
            Some(spec) => self.decide(subject, spec, resource),
            None => Decision::deny(UNKNOWN_ACTION, Denial::UnknownAction),
        }
    }

    /// [`Policy::check`] with the action given by name (built-in or host-defined); an
    /// unknown name is denied as [`Denial::UnknownAction`].
    ///
    /// ```
    /// use scangate::{Policy, Resource, ScopeSet, Subject};
    /// let policy = Policy::default();
    /// let key: ScopeSet = "scans:read".parse().unwrap();
    /// assert!(policy.check_named(&Subject::api_key(key), "scan.read", Resource::None).is_allowed());
    /// let unknown = policy.check_named(&Subject::api_key(key), "scan.launch", Resource::None);
    /// assert_eq!(unknown.to_string(), "deny `scan.launch`: unknown action `scan.launch`");
    /// ```
    #[must_use]
    pub fn check_named<'a>(
        &'a self,
        subject: &Subject<'a>,
        action: &'a str,
        resource: Resource<'a>,
    ) -> Decision<'a> {
        match self
            .action(action)
            .and_then(|action| self.action_spec(action))
        {
            Some(spec) => self.decide(subject, spec, resource),
            None => Decision::deny(action, Denial::UnknownAction),
        }
    }

    /// Whether `subject` may perform `action` on `resource`: the same answer as
    /// [`Policy::check`] without the explanation. It does not allocate for actions without
    /// an object check, nor for directory users (whose granting sets are precomputed); for
    /// a subject whose groups are given inline, an asset or target check computes the
    /// subject's granting set (one bitset) per call: use [`Policy::asset_filter`] for rows.
    #[must_use]
    pub fn is_allowed(
        &self,
        subject: &Subject<'_>,
        action: Action,
        resource: Resource<'_>,
    ) -> bool {
        let Some(spec) = self.action_spec(action) else {
            return false;
        };
        let Ok(resolved) = self.resolve_for(subject, has_object_check(spec)) else {
            return false;
        };
        // The same predicate `check` applies to layers 1 and 2, without building the
        // denial; layer 3 is skipped outright when the action has no object check, which
        // is what keeps scope- and role-only answers to a few instructions.
        subject_refusal(spec, &resolved).is_none()
            && (!has_object_check(spec) || self.object_allowed(spec, &resolved, resource))
    }

    /// Layer 3 as a bare answer: for assets and targets the index asks whether *any*
    /// granting group contains the object (stopping at the first), where `check` needs the
    /// first in policy order and its explanation.
    fn object_allowed(
        &self,
        spec: &ActionSpec,
        resolved: &Resolved<'_>,
        resource: Resource<'_>,
    ) -> bool {
        let index = &self.data.compiled.index;
        match (spec.object(), resource) {
            (ObjectCheck::Asset { permission, .. }, Resource::Asset(asset)) => {
                resolved.user.is_some_and(|user| {
                    let granting = self.granting(resolved, user, permission, true);
                    index.any_containing(asset, &granting)
                        || self.permission_carries(resolved, user, asset, permission)
                })
            }
            (ObjectCheck::ScanTargets, Resource::Targets(targets)) => {
                resolved.user.is_some_and(|user| {
                    let granting =
                        self.granting(resolved, user, AccessPermissions::CAN_SCAN, false);
                    targets.iter().all(|target| {
                        index.any_containing_target(target, &granting)
                            || self.permission_scans_target(resolved, user, target)
                    })
                })
            }
            _ => self.object_layer(spec, resolved, resource, false).is_ok(),
        }
    }

    /// Looks the subject up: inline role and groups first, then the directory.
    #[inline]
    pub(crate) fn resolve<'a>(&'a self, subject: &Subject<'a>) -> Result<Resolved<'a>, Denial<'a>> {
        self.resolve_for(subject, true)
    }

    /// [`Policy::resolve`] for one action: when the action has no object check, a
    /// subject's groups play no part, so a subject giving its role inline is not looked up
    /// in the directory at all (the answer is the same; the hash of the user id is saved).
    /// Always inlined: as a call, its prologue and the returned `Resolved` cost an
    /// organization key's check about a third of its instructions (callgrind).
    #[inline(always)]
    fn resolve_for<'a>(
        &'a self,
        subject: &Subject<'a>,
        needs_groups: bool,
    ) -> Result<Resolved<'a>, Denial<'a>> {
        match (subject.user, subject.scopes) {
            (Some(user), _) => self.resolve_user(user, subject, needs_groups),
            (None, Some(scopes)) => {
                // An organization key has no role; a role given inline with it is not
                // ignored: it must exist, and layer 2 applies (fail closed). Inline groups
                // name no access-group principal without a user, so they are not used.
                let role = match subject.role {
                    Some(id) => Some(self.data.roles.get(id).ok_or(Denial::UnknownRole(id))?),
                    None => None,
                };
                Ok(Resolved {
                    entry: None,
                    user: None,
                    role,
                    groups: &[],
                    scopes: Some(scopes),
                })
            }
            (None, None) => Err(Denial::NoSubject),
        }
    }

    /// [`Policy::resolve`] for a subject naming a user (a function of its own, so that
    /// the directory lookup is not inlined into an organization key's check).
    fn resolve_user<'a>(
        &'a self,
        user: &'a str,
        subject: &Subject<'a>,
        needs_groups: bool,
    ) -> Result<Resolved<'a>, Denial<'a>> {
        // The directory is consulted only for what the subject does not give inline.
        let known = if subject.role.is_some() && (subject.groups.is_some() || !needs_groups) {
            None
        } else {
            // A handle resolved against this very directory saves hashing the id.
            match subject.resolution.and_then(|r| self.data.users.resolved(r)) {
                Some(entry) if entry.user.id == user => Some(entry),
                _ => self.data.users.get(user),
            }
        };
        let role_id = match (subject.role, known) {
            (Some(role), _) => role,
            (None, Some(known)) => known.user.role(),
            (None, None) => return Err(Denial::UnknownUser(user)),
        };
        let role = self
            .data
            .roles
            .get(role_id)
            .ok_or(Denial::UnknownRole(role_id))?;
        let groups = match (subject.groups, known) {
            (Some(groups), _) => groups,
            (None, Some(known)) => known.user.groups(),
            (None, None) => &[],
        };
        Ok(Resolved {
            entry: known.filter(|_| subject.groups.is_none()),
            user: Some(user),
            role: Some(role),
            groups,
            scopes: subject.scopes,
        })
    }

    /// Layers 1 and 2, explained.
    pub(crate) fn subject_layers<'a>(
        &self,
        spec: &ActionSpec,
        resolved: &Resolved<'a>,
    ) -> Result<(), Denial<'a>> {
        match subject_refusal(spec, resolved) {
            None => Ok(()),
            Some(SubjectRefusal::NotForApiKeys) => Err(Denial::NotForApiKeys),
            Some(SubjectRefusal::Scopes(key)) => {
                Err(Denial::MissingScopes(key.missing(spec.scopes())))
            }
            Some(SubjectRefusal::Permissions(role)) => Err(Denial::MissingPermissions {
                role,
                missing: spec.permissions() & !role.permissions(),
            }),
        }
    }

    /// The decision rule; `check` explains its outcome, `is_allowed` only looks at it.
    fn evaluate<'a>(
        &'a self,
        subject: &Subject<'a>,
        spec: &ActionSpec,
        resource: Resource<'a>,
        explain: bool,
    ) -> Result<(Resolved<'a>, Option<ObjectGrant<'a>>), Denial<'a>> {
        let resolved = self.resolve_for(subject, has_object_check(spec))?;
        self.subject_layers(spec, &resolved)?;
        let object = self.object_layer(spec, &resolved, resource, explain)?;
        Ok((resolved, object))
    }

    fn decide<'a>(
        &'a self,
        subject: &Subject<'a>,
        spec: &'a ActionSpec,
        resource: Resource<'a>,
    ) -> Decision<'a> {
        match self.evaluate(subject, spec, resource, true) {
            Ok((resolved, object)) => Decision {
                action: spec.name(),
                scopes: resolved.scopes.map(|key| (spec.scopes(), key)),
                role: resolved.role.map(|role| (role, spec.permissions())),
                object,
                denial: None,
            },
            Err(denial) => Decision::deny(spec.name(), denial),
        }
    }

    /// Layer 3: `Ok(None)` when it does not apply.
    fn object_layer<'a>(
        &'a self,
        spec: &ActionSpec,
        resolved: &Resolved<'a>,
        resource: Resource<'a>,
        explain: bool,
    ) -> Result<Option<ObjectGrant<'a>>, Denial<'a>> {
        let object = spec.object();
        // Which resources the check reads is the action table's (`ObjectCheck::accepts`).
        let accepted = object.accepts(&resource);
        if accepted == Ok(false) {
            return Ok(None);
        }
        if let ObjectCheck::ChangeRole(_) = object {
            // A role change needs the requester's role before it looks at the resource.
            resolved.role.ok_or(Denial::NoRole)?;
        }
        accepted.map_err(Denial::MissingResource)?;
        match (object, resource) {
            (ObjectCheck::Asset { permission, .. }, Resource::Asset(asset)) => self
                .asset_grant(resolved, asset, permission, explain)
                .map(Some),
            (ObjectCheck::ScanTargets, Resource::Targets(targets)) => {
                self.targets_grant(resolved, targets, explain).map(Some)
            }
            (ObjectCheck::GroupMembership, Resource::UserGroup(group)) => {
                self.group_grant(resolved, group).map(Some)
            }
            (ObjectCheck::AssignRole, Resource::Role(id)) => {
                let requester = resolved.role.ok_or(Denial::NoRole)?;
                let role = self
                    .data
                    .roles
                    .check_delegable(requester.id(), id)
                    .map_err(Denial::Role)?;
                Ok(Some(ObjectGrant::Role(role)))
            }
            (ObjectCheck::ReadRole, Resource::Role(id)) => {
                let role = self
                    .data
                    .roles
                    .get(id)
                    .ok_or(Denial::Role(RoleError::UnknownRole(id)))?;
                if role.is_administrator() && !resolved.role.is_some_and(Role::is_administrator) {
                    return Err(Denial::Role(RoleError::not_visible(role)));
                }
                Ok(Some(ObjectGrant::Role(role)))
            }
            (ObjectCheck::ChangeRole(operation), resource) => {
                self.role_change(resolved, operation, resource).map(Some)
            }
            (ObjectCheck::ReadAccessGroup, Resource::AccessGroup(id)) => {
                self.access_group_read(resolved, id).map(Some)
            }
            (ObjectCheck::ChangeAccessGroup(change), resource) => self
                .access_group_change(resolved, change, resource)
                .map(Some),
            (ObjectCheck::Tag(action), Resource::Tag(uuid)) => {
                self.tag_grant(resolved, action, uuid).map(Some)
            }
            // `accepts` admits no other pair.
            (object, _) => Err(Denial::MissingResource(object.expected())),
        }
    }

    /// The groups granting the subject `permission` (limited to the groups that take part
    /// in asset questions about it when `assets`): precomputed for directory users, else
    /// worked out from the index.
    pub(crate) fn granting<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        permission: AccessPermissions,
        assets: bool,
    ) -> Cow<'a, GroupSet> {
        let compiled = &self.data.compiled;
        match resolved.entry {
            Some(entry) if permission == AccessPermissions::CAN_VIEW && assets => {
                Cow::Borrowed(&entry.view_assets)
            }
            // Every group type takes part in scanning, of targets and of assets alike.
            Some(entry) if permission == AccessPermissions::CAN_SCAN => Cow::Borrowed(&entry.scan),
            _ => Cow::Owned(compiled.granting(user, resolved.groups, permission, assets)),
        }
    }

    /// The first access group, in policy order, that grants the user `permission` and
    /// contains the asset, with the rule, term and principal that decide. SCAN_TARGETS
    /// groups hold targets, not asset records: they take part in scanning an asset only
    /// (through its addresses and names), not in viewing it.
    pub(crate) fn first_asset_group<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        asset: &Asset,
        permission: AccessPermissions,
    ) -> Option<(&'a AccessGroup, Membership, Grant<'a>)> {
        let granting = self.granting(resolved, user, permission, true);
        let hit = self.data.compiled.index.first_containing(asset, &granting);
        self.deciding_group(hit, resolved, user, permission)
    }

    /// The group at an index hit, with the principal of it that grants `permission` (the
    /// first in list order, as the explanation names it).
    fn deciding_group<'a>(
        &'a self,
        hit: Option<(usize, Membership)>,
        resolved: &Resolved<'a>,
        user: &str,
        permission: AccessPermissions,
    ) -> Option<(&'a AccessGroup, Membership, Grant<'a>)> {
        let (position, membership) = hit?;
        let group = self.data.groups.at(position)?;
        let grant = group.grant(user, resolved.groups, permission)?;
        Some((group, membership, grant))
    }

    fn asset_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        asset: &Asset,
        permission: AccessPermissions,
        explain: bool,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let user = resolved.user.ok_or(Denial::NoUser)?;
        match self.first_asset_group(resolved, user, asset, permission) {
            Some((group, membership, grant)) => Ok(ObjectGrant::Asset {
                group,
                membership,
                grant,
                permission,
            }),
            None => {
                // No access group grants: a v3 permission may (`docs/semantics.md`,
                // "Layer 3 v3: permissions and tags").
                if let Some(grant) = self.permission_asset_grant(resolved, user, asset, permission)
                {
                    return Ok(ObjectGrant::Permission(grant));
                }
                let compiled = &self.data.compiled;
                let containing = if explain {
                    compiled
                        .index
                        .first_group_containing(asset, compiled.asset_groups(permission))
                        .and_then(|position| self.data.groups.at(position))
                } else {
                    None
                };
                Err(Denial::Asset {
                    user,
                    permission,
                    containing,
                })
            }
        }
    }

    /// The first access group, in policy order, that grants the user `CAN_SCAN` and
    /// contains the target.
    pub(crate) fn first_target_group<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        target: &Target,
    ) -> Option<(&'a AccessGroup, Membership, Grant<'a>)> {
        let granting = self.granting(resolved, user, AccessPermissions::CAN_SCAN, false);
        let hit = self
            .data
            .compiled
            .index
            .first_containing_target(target, &granting);
        self.deciding_group(hit, resolved, user, AccessPermissions::CAN_SCAN)
    }

    /// What lets the user scan the target: the first access group (policy order) that
    /// contains it and grants `CAN_SCAN`, else a v3 permission granting `CanScan` on every
    /// asset or on a dynamic tag whose filter selects the target (as the asset a bare
    /// target stands for, [`Asset::from_target`]).
    pub(crate) fn target_by<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        target: &Target,
    ) -> Option<TargetBy<'a>> {
        if let Some((group, membership, grant)) = self.first_target_group(resolved, user, target) {
            return Some(TargetBy::Group {
                group,
                membership,
                grant,
            });
        }
        if self.data.control.is_inert() {
            return None;
        }
        let asset = Asset::from_target(target);
        self.permission_asset_grant(resolved, user, &asset, AccessPermissions::CAN_SCAN)
            .map(TargetBy::Permission)
    }

    /// Whether a v3 permission lets the user scan the target (`is_allowed`'s question).
    fn permission_scans_target(
        &self,
        resolved: &Resolved<'_>,
        user: &str,
        target: &Target,
    ) -> bool {
        !self.data.control.is_inert()
            && self.permission_carries(
                resolved,
                user,
                &Asset::from_target(target),
                AccessPermissions::CAN_SCAN,
            )
    }

    /// The first group containing the target, whoever it grants (for explanations).
    pub(crate) fn group_containing_target(&self, target: &Target) -> Option<&AccessGroup> {
        let compiled = &self.data.compiled;
        let position = compiled
            .index
            .first_group_containing_target(target, &compiled.all)?;
        self.data.groups.at(position)
    }

    pub(crate) fn target_denial<'a>(
        &'a self,
        user: &'a str,
        index: usize,
        target: &'a Target,
        explain: bool,
    ) -> Denial<'a> {
        let containing = if explain {
            self.group_containing_target(target)
        } else {
            None
        };
        Denial::Target {
            user,
            index,
            target,
            containing,
        }
    }

    fn targets_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        targets: &'a [Target],
        explain: bool,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let user = resolved.user.ok_or(Denial::NoUser)?;
        let mut grants = Vec::new();
        for (index, target) in targets.iter().enumerate() {
            match self.target_by(resolved, user, target) {
                Some(by) => {
                    if explain {
                        grants.push(TargetGrant { target, by });
                    }
                }
                None => return Err(self.target_denial(user, index, target, explain)),
            }
        }
        Ok(ObjectGrant::Targets(grants))
    }

    fn group_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        group: &'a str,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        if resolved.groups.iter().any(|member_of| member_of == group) {
            return Ok(ObjectGrant::Member(group));
        }
        // Reaching every group takes `groups:admin` from a key and `permManageGroups` from a
        // role, each where it applies (a key never exceeds its owner).
        let key_reaches = resolved
            .scopes
            .is_none_or(|key| key.grants(Scope::GroupsAdmin));
        let role_reaches = resolved
            .role
            .is_none_or(|role| role.permissions().contains(Permissions::MANAGE_GROUPS));
        if key_reaches && role_reaches {
            Ok(ObjectGrant::AnyGroup)
        } else {
            Err(Denial::NotAMember {
                user: resolved.user,
                group,
            })
        }
    }

    fn role_change<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        operation: RoleOperation,
        resource: Resource<'a>,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let requester = resolved.role.ok_or(Denial::NoRole)?.id();
        let roles = &self.data.roles;
        // The rules are checked against the catalog as it is; the change is not made
        // (docs/semantics.md, "Checking a change").
        let outcome = match (operation, resource) {
            (RoleOperation::Create, Resource::RoleDraft(draft)) => {
                roles.validate_create(requester, draft).map(drop)
            }
            (RoleOperation::Edit, Resource::Role(id)) => roles
                .validate_edit(requester, id, &RolePatch::new())
                .map(drop),
            (RoleOperation::Edit, Resource::RolePatch(id, patch)) => {
                roles.validate_edit(requester, id, patch).map(drop)
            }
            (RoleOperation::Delete, Resource::Role(id)) => roles.validate_delete(requester, id),
            (operation, _) => {
                return Err(Denial::MissingResource(
                    ObjectCheck::ChangeRole(operation).expected(),
                ));
            }
        };
        outcome
            .map(|()| ObjectGrant::RoleChange)
            .map_err(Denial::Role)
    }

    fn access_group_read<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        id: &'a str,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let group = self
            .data
            .groups
            .get(id)
            .ok_or(Denial::UnknownAccessGroup(id))?;
        if resolved.role.is_some_and(Role::is_administrator) {
            return Ok(ObjectGrant::AccessGroup(group));
        }
        let user = resolved.user.ok_or(Denial::NoUser)?;
        if names_user(group, user, resolved.groups) {
            Ok(ObjectGrant::AccessGroup(group))
        } else {
            Err(Denial::AccessGroupNotVisible { user, group })
        }
    }

    fn access_group_change<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        change: Change,
        resource: Resource<'a>,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let admin = Requester::of_role(resolved.role);
        let groups = &self.data.groups;
        // The rules are checked against the groups as they are; the change is not made
        // (docs/semantics.md, "Checking a change").
        let outcome = match (change, resource) {
            (Change::Create, Resource::AccessGroupDraft(draft)) => {
                groups.validate_create(admin, draft)
            }
            (Change::Edit, Resource::AccessGroupDraft(draft)) => match draft.id() {
                Some(id) => groups.validate_edit(admin, id, draft).map(drop),
                None => return Err(Denial::MissingResource("an access group draft with an id")),
            },
            (Change::Delete, Resource::AccessGroup(id)) => {
                groups.validate_delete(admin, id).map(drop)
            }
            (change, _) => {
                return Err(Denial::MissingResource(
                    ObjectCheck::ChangeAccessGroup(change).expected(),
                ));
            }
        };
        outcome
            .map(|()| ObjectGrant::AccessGroupChange)
            .map_err(|error| Denial::AccessGroup(Box::new(error)))
    }
}

impl Policy {
    /// What the v3 permissions grant the subject: precomputed for a directory user asked
    /// about with the directory's role and groups, else worked out.
    pub(crate) fn tag_grants<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
    ) -> Cow<'a, TagGrants> {
        match resolved.entry {
            Some(entry) if resolved.role.map(Role::id) == Some(entry.user.role) => {
                Cow::Borrowed(&entry.tags)
            }
            _ => Cow::Owned(
                self.data.control.grants(
                    user,
                    resolved.groups,
                    resolved
                        .role
                        .is_some_and(|r| r.id() == RoleId::ADMINISTRATOR),
                ),
            ),
        }
    }

    /// Whether a v3 permission grants the subject `permission` on the asset
    /// (`is_allowed`'s question: no position, no explanation). Free when the policy has no
    /// permission.
    pub(crate) fn permission_carries(
        &self,
        resolved: &Resolved<'_>,
        user: &str,
        asset: &Asset,
        permission: AccessPermissions,
    ) -> bool {
        let control = &self.data.control;
        if control.is_inert() {
            return false;
        }
        let grants = self.tag_grants(resolved, user);
        grants
            .get(PermissionAction::on_assets(permission))
            .is_some_and(|grant| grant.all.is_some() || control.carries(asset, &grant.tags))
    }

    /// Whether a v3 permission grants the subject `permission` on the asset: `Some(None)`
    /// through a permission on every asset, `Some(Some((tag, how)))` through the lowest
    /// tag position the asset carries, `None` otherwise. Free when the policy has no
    /// permission.
    pub(crate) fn permission_carried(
        &self,
        resolved: &Resolved<'_>,
        user: &str,
        asset: &Asset,
        permission: AccessPermissions,
    ) -> Option<Option<(u32, Carried)>> {
        let control = &self.data.control;
        if control.is_inert() {
            return None;
        }
        let grants = self.tag_grants(resolved, user);
        let grant = grants.get(PermissionAction::on_assets(permission))?;
        if grant.all.is_some() {
            return Some(None);
        }
        control.carried(asset, &grant.tags).map(Some)
    }

    /// The explanation of a v3 permission granting `permission` on the asset: the first
    /// permission covering every asset, else the lowest granted tag the asset carries and
    /// the first permission naming it.
    fn permission_asset_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        asset: &Asset,
        permission: AccessPermissions,
    ) -> Option<PermissionGrant<'a>> {
        let action = PermissionAction::on_assets(permission);
        match self.permission_carried(resolved, user, asset, permission)? {
            None => {
                let grants = self.tag_grants(resolved, user);
                let p = grants.get(action)?.all?;
                self.all_objects_grant(resolved, user, p, action)
            }
            Some((position, carried)) => {
                self.tag_position_grant(resolved, user, position, action, carried)
            }
        }
    }

    /// The grant of permission `p`, which covers every object for `action`.
    pub(crate) fn all_objects_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        p: u32,
        action: PermissionAction,
    ) -> Option<PermissionGrant<'a>> {
        let permission = self.data.control.control.permissions().get(p as usize)?;
        let tags_too = matches!(action, PermissionAction::CanEdit | PermissionAction::CanUse);
        let object = permission
            .objects()
            .iter()
            .find(|o| o.kind() == ObjectKind::AllObjects || (!tags_too && o.covers_all_assets()))?;
        Some(PermissionGrant {
            permission,
            action,
            subject: permission.subject_for(user, resolved.groups, is_admin(resolved))?,
            object: GrantedObject::All(object),
        })
    }

    /// The grant through the tag at `position`: the first permission naming it that grants
    /// `action` to the subject.
    pub(crate) fn tag_position_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        user: &str,
        position: u32,
        action: PermissionAction,
        carried: Carried,
    ) -> Option<PermissionGrant<'a>> {
        let control = &self.data.control;
        let admin = is_admin(resolved);
        let permission =
            control.permission_for_tag(position, action, user, resolved.groups, admin)?;
        let tag = control.tag_at(position);
        let carried = tag_carried(tag, carried)?;
        Some(PermissionGrant {
            permission,
            action,
            subject: permission.subject_for(user, resolved.groups, admin)?,
            object: GrantedObject::Tag {
                uuid: control.uuid_at(position)?,
                tag,
                carried,
            },
        })
    }

    /// `tag.edit` / `tag.use`: a permission must grant `action` on the tag (`AllObjects`, or a
    /// `Tag` object naming it).
    fn tag_grant<'a>(
        &'a self,
        resolved: &Resolved<'a>,
        action: PermissionAction,
        uuid: Uuid,
    ) -> Result<ObjectGrant<'a>, Denial<'a>> {
        let user = resolved.user.ok_or(Denial::NoUser)?;
        let control = &self.data.control;
        let denial = || Denial::Tag {
            user,
            action,
            uuid,
            tag: control.position(&uuid).and_then(|p| control.tag_at(p)),
        };
        let grants = self.tag_grants(resolved, user);
        let grant = grants.get(action).ok_or_else(denial)?;
        let explained = match (grant.all, control.position(&uuid)) {
            (Some(p), _) => self.all_objects_grant(resolved, user, p, action),
            (None, Some(position)) if grant.tags.contains(position as usize) => {
                self.tag_position_grant(resolved, user, position, action, Carried::Itself)
            }
            _ => None,
        };
        explained.map(ObjectGrant::Permission).ok_or_else(denial)
    }
}

/// Whether the subject's role is the Administrator role (`AllAdmins` subjects).
fn is_admin(resolved: &Resolved<'_>) -> bool {
    resolved
        .role
        .is_some_and(|r| r.id() == RoleId::ADMINISTRATOR)
}

/// Whether a group holds asset records (MANAGE_ASSETS and the All Assets group do;
/// SCAN_TARGETS groups hold scan targets).
pub(crate) fn holds_assets(group: &AccessGroup) -> bool {
    group.group_type() != AccessGroupType::ScanTargets
}

/// Whether SCAN_TARGETS groups take part in an asset question about `permission`: for
/// scanning only, since scanning an asset is scanning its addresses; viewing an asset
/// record (and `issue.*`) stays with the groups that hold assets (`docs/semantics.md`,
/// "Choice (asset checks)").
pub(crate) fn scan_targets_take_part(permission: AccessPermissions) -> bool {
    permission == AccessPermissions::CAN_SCAN
}

/// Whether an access group "names" a user for listing: `all_users`, the All Assets default,
/// or a principal that applies to the user (whatever its permissions).
pub(crate) fn names_user(group: &AccessGroup, user: &str, groups: &[String]) -> bool {
    group.all_users()
        || (group.all_assets() && !group.principals_listed())
        || group
            .principals()
            .iter()
            .any(|principal| principal.applies_to(user, groups))
}

/// How a decision explains that the asset carries `tag` (`None` when a filter decided but
/// the tag has no such condition, which the index never reports).
pub(crate) fn tag_carried(
    tag: Option<&crate::tags::TagValue>,
    how: Carried,
) -> Option<TagCarried<'_>> {
    Some(match how {
        Carried::Named => TagCarried::Named,
        Carried::Itself => TagCarried::Itself,
        Carried::Filter(m) => {
            let conditions = tag.and_then(|t| t.filter()).map(|f| f.conditions());
            TagCarried::Filter {
                position: m.condition,
                condition: conditions.and_then(|c| c.get(m.condition).copied())?,
                value: m.value,
            }
        }
    })
}
