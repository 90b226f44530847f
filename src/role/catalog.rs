//! The set of roles a deployment has, and the rules for changing and reading it.
//!
//! Every change returns a new catalog or a precise error; a rejected change leaves the old
//! catalog untouched. The rules (`docs/semantics.md`, "Layer 2", changes):
//! - only the Administrator and requesters whose role has `permManageRoles` may create, edit
//!   or delete roles;
//! - no role may be created or edited to hold `permManageApp`;
//! - Administrator, No Role and Security Manager cannot be edited or deleted;
//! - no escalation: a requester other than the Administrator may create, edit, delete or
//!   assign only roles whose permissions are a subset of their own role's;
//! - deleting a role moves its users to No Role.

use super::builtin::{BUILTIN_ROLES, BuiltinRole};
use super::visibility::{self, RoleQuery, RoleView};
use super::{Role, RoleDraft, RoleFieldSet, RoleId, RolePatch};
use crate::role::permission::Permissions;
use std::fmt;

/// Role names are 1–255 characters (our bound; Tenable documents none: `docs/semantics.md`,
/// "Layer 2", "Changes").
pub(crate) const MAX_ROLE_NAME_CHARS: usize = 255;

/// The first id given to a created role when no custom role exists yet (Tenable's custom
/// role ids start above one million: `1000006` in the recorded responses).
const FIRST_CUSTOM_ID: u64 = 1_000_001;

/// Whether two names are equal once lowercased (`str::to_lowercase`, the comparison role
/// names have always had), without allocating: character by character, except for a name
/// holding a capital sigma, whose lowercase depends on its neighbours (final `ς`).
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.contains('Σ') || b.contains('Σ') {
        return a.to_lowercase() == b.to_lowercase();
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// What a requester tried to do with a role, for errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoleOperation {
    /// `POST /role`.
    Create,
    /// `PATCH /role/{id}`.
    Edit,
    /// `DELETE /role/{id}`.
    Delete,
    /// Giving the role to a user or user group.
    Assign,
}

impl RoleOperation {
    /// "created", "edited", "deleted", "assigned", for messages.
    #[must_use]
    pub const fn participle(self) -> &'static str {
        match self {
            RoleOperation::Create => "created",
            RoleOperation::Edit => "edited",
            RoleOperation::Delete => "deleted",
            RoleOperation::Assign => "assigned",
        }
    }
}

impl fmt::Display for RoleOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RoleOperation::Create => "create",
            RoleOperation::Edit => "edit",
            RoleOperation::Delete => "delete",
            RoleOperation::Assign => "assign",
        })
    }
}

/// A role change or read that the rules refuse, or role data that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoleError {
    /// No role has this id.
    #[error("role `{0}` does not exist")]
    UnknownRole(RoleId),
    /// The requester's role lacks `permManageRoles` (and is not the Administrator).
    #[error("role `{requester_name}` may not {operation} roles: it lacks `permManageRoles`")]
    Forbidden {
        /// The requester's role.
        requester: RoleId,
        /// Its name (at most 64 characters, then `…`).
        requester_name: String,
        /// What was tried.
        operation: RoleOperation,
    },
    /// The role would hold `permManageApp`.
    #[error("no role may be {} to hold `permManageApp`", .operation.participle())]
    ManageApp {
        /// What was tried.
        operation: RoleOperation,
    },
    /// Administrator, No Role and Security Manager cannot be edited or deleted.
    #[error("built-in role `{name}` ({id}) cannot be {}", .operation.participle())]
    Immutable {
        /// The role.
        id: RoleId,
        /// Its name.
        name: &'static str,
        /// What was tried.
        operation: RoleOperation,
    },
    /// The role holds permissions the requester's own role lacks.
    #[error("role `{requester_name}` may not {operation} a role holding {}, which it lacks", .excess.describe())]
    Escalation {
        /// The requester's role.
        requester: RoleId,
        /// Its name (at most 64 characters, then `…`).
        requester_name: String,
        /// What was tried.
        operation: RoleOperation,
        /// The permissions beyond the requester's.
        excess: Permissions,
    },
    /// The name is empty or blank.
    #[error("a role needs a name")]
    MissingName,
    /// The name is longer than 255 characters.
    #[error("role name `{0}` is longer than 255 characters")]
    NameTooLong(String),
    /// Another role already has this name (compared case-insensitively).
    #[error("a role named `{0}` already exists")]
    DuplicateName(String),
    /// Two roles share an id.
    #[error("role id `{0}` is used twice")]
    DuplicateId(RoleId),
    /// A custom role tried to take the id of a built-in role (0–7).
    #[error("role id `{0}` belongs to a built-in role and cannot be overridden")]
    BuiltinOverride(RoleId),
    /// Stored data lists a role as a deleted built-in role, but its id is not a built-in
    /// role's (0–7).
    #[error("role id `{0}` is not a built-in role's, so it cannot be a deleted built-in role")]
    NotBuiltin(RoleId),
    /// A custom role read from data holds `permManageApp`, which only the Administrator may.
    #[error(
        "role `{name}` ({id}) holds `permManageApp`, which only the Administrator role may hold"
    )]
    ManageAppHolder {
        /// The role.
        id: RoleId,
        /// Its name (at most 64 characters, then `…`).
        name: String,
    },
    /// The Administrator role is invisible to organization users.
    #[error("role `{name}` is not visible to organization users")]
    NotVisible {
        /// The role.
        id: RoleId,
        /// Its name (at most 64 characters, then `…`).
        name: String,
    },
    /// A `fields` name that is not an allowed field.
    #[error("unknown role field `{0}`")]
    UnknownField(String),
    /// A name that is not a role permission's wire name (`permCreateTickets`, or
    /// `permScan=<level>`), when reading [`Permissions`] from names (names are
    /// case-sensitive; the name is cut to 64 characters).
    #[error(
        "unknown role permission `{0}`: expected a field name such as `permCreateTickets` (or `permScan=full`)"
    )]
    UnknownPermission(String),
}

impl RoleError {
    /// [`RoleError::NotVisible`] for `role`.
    pub(crate) fn not_visible(role: &Role) -> RoleError {
        RoleError::NotVisible {
            id: role.id,
            name: crate::text::echo(&role.name),
        }
    }

    /// The role the error is about, by id and (when it exists) name: the requester's for
    /// `Forbidden` and `Escalation`, the target's otherwise. For the JSON of a denial,
    /// which keeps the id beside the name (docs/semantics.md, "Explanations").
    #[cfg(feature = "serde")]
    pub(crate) fn role(&self) -> Option<(RoleId, Option<&str>)> {
        match self {
            RoleError::UnknownRole(id) => Some((*id, None)),
            RoleError::Forbidden {
                requester,
                requester_name,
                ..
            }
            | RoleError::Escalation {
                requester,
                requester_name,
                ..
            } => Some((*requester, Some(requester_name))),
            RoleError::Immutable { id, name, .. } => Some((*id, Some(name))),
            RoleError::ManageAppHolder { id, name } | RoleError::NotVisible { id, name } => {
                Some((*id, Some(name)))
            }
            _ => None,
        }
    }

    /// The HTTP status Tenable answers with: 403 for refusals, 404 for unknown or invisible
    /// roles, 400 for bad input.
    ///
    /// ```
    /// use scangate::{RoleError, RoleId};
    /// assert_eq!(RoleError::UnknownRole(RoleId::new(9)).http_status(), 404);
    /// ```
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            RoleError::UnknownRole(_) | RoleError::NotVisible { .. } => 404,
            RoleError::Forbidden { .. }
            | RoleError::ManageApp { .. }
            | RoleError::Immutable { .. }
            | RoleError::Escalation { .. } => 403,
            _ => 400,
        }
    }
}

/// Every role of a deployment: the built-in roles (never overridden; the five deletable ones
/// present unless deleted) and the custom roles, sorted by id.
///
/// Which built-in roles exist is the catalog's own fact: [`RoleCatalog::deleted_builtins`]
/// reads it, [`RoleCatalog::without_builtins`] sets it, and a policy's builder and its
/// policy file carry it (docs/semantics.md, "Layer 2", changes).
///
/// ```
/// use scangate::{Permissions, RoleId};
/// use scangate::role::{RoleCatalog, RoleDraft};
///
/// let catalog = RoleCatalog::builtin();
/// // A Security Manager may create a role within their own permissions...
/// let (catalog, id) = catalog
///     .create(RoleId::SECURITY_MANAGER, RoleDraft::new("Ticketing").with_permissions(Permissions::CREATE_TICKETS))
///     .unwrap();
/// assert_eq!(catalog.get(id).unwrap().name(), "Ticketing");
/// // ...but an Auditor may not create roles at all.
/// assert!(catalog.create(RoleId::AUDITOR, RoleDraft::new("Mine")).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleCatalog {
    roles: Vec<Role>,
}

impl Default for RoleCatalog {
    fn default() -> Self {
        RoleCatalog::builtin()
    }
}

impl RoleCatalog {
    /// The eight built-in roles only.
    #[must_use]
    pub fn builtin() -> RoleCatalog {
        RoleCatalog {
            roles: BUILTIN_ROLES.iter().map(|row| row.to_role()).collect(),
        }
    }

    /// The built-in roles plus these custom roles, as read from a server or a database.
    /// Names are taken as they are (no name rule is applied to stored data). Built-in roles
    /// deleted in that data are then removed with [`RoleCatalog::without_builtins`].
    ///
    /// # Errors
    ///
    /// [`RoleError::BuiltinOverride`] for a custom role with id 0–7,
    /// [`RoleError::DuplicateId`] for two roles with one id, and
    /// [`RoleError::ManageAppHolder`] for a custom role holding `permManageApp` (no server
    /// can create one, so such data is refused rather than trusted).
    pub fn new(custom: impl IntoIterator<Item = Role>) -> Result<RoleCatalog, RoleError> {
        let mut roles = RoleCatalog::builtin().roles;
        for role in custom {
            if role.id.is_builtin() {
                return Err(RoleError::BuiltinOverride(role.id));
            }
            if role.permissions.contains(Permissions::MANAGE_APP) {
                return Err(RoleError::ManageAppHolder {
                    id: role.id,
                    name: crate::text::echo(&role.name),
                });
            }
            roles.push(role);
        }
        roles.sort_by_key(Role::id);
        if let Some(pair) = roles
            .windows(2)
            .find(|pair| pair.first().map(Role::id) == pair.last().map(Role::id))
        {
            return Err(RoleError::DuplicateId(
                pair.first().map_or(RoleId::NO_ROLE, Role::id),
            ));
        }
        Ok(RoleCatalog { roles })
    }

    /// This catalog without the built-in roles `deleted`: how stored data (a database, a
    /// policy file's `deleted_builtin_roles`) says which built-in roles were deleted. Naming
    /// a role that is already absent is no error: the ids are a set.
    ///
    /// # Errors
    ///
    /// [`RoleError::NotBuiltin`] for an id that is not a built-in role's (0–7), and
    /// [`RoleError::Immutable`] for No Role, the Administrator and the Security Manager,
    /// which cannot be deleted.
    ///
    /// ```
    /// use scangate::RoleId;
    /// use scangate::role::RoleCatalog;
    /// let catalog = RoleCatalog::builtin().without_builtins([RoleId::AUDITOR])?;
    /// assert!(catalog.get(RoleId::AUDITOR).is_none());
    /// assert_eq!(catalog.deleted_builtins().collect::<Vec<_>>(), [RoleId::AUDITOR]);
    /// assert!(RoleCatalog::builtin().without_builtins([RoleId::ADMINISTRATOR]).is_err());
    /// # Ok::<(), scangate::RoleError>(())
    /// ```
    pub fn without_builtins(
        mut self,
        deleted: impl IntoIterator<Item = RoleId>,
    ) -> Result<RoleCatalog, RoleError> {
        for id in deleted {
            RoleCatalog::check_deletable_builtin(id)?;
            self.roles.retain(|role| role.id != id);
        }
        Ok(self)
    }

    /// Fails unless `id` is a built-in role that may be deleted.
    pub(crate) fn check_deletable_builtin(id: RoleId) -> Result<(), RoleError> {
        if BuiltinRole::get(id).is_none() {
            return Err(RoleError::NotBuiltin(id));
        }
        RoleCatalog::immutable(id, RoleOperation::Delete)
    }

    /// The built-in roles this catalog lacks because they were deleted, by id.
    ///
    /// ```
    /// use scangate::role::RoleCatalog;
    /// assert_eq!(RoleCatalog::builtin().deleted_builtins().count(), 0);
    /// ```
    pub fn deleted_builtins(&self) -> impl Iterator<Item = RoleId> + '_ {
        BUILTIN_ROLES
            .iter()
            .map(|row| row.id)
            .filter(|id| self.get(*id).is_none())
    }

    /// The role with this id.
    #[must_use]
    pub fn get(&self, id: RoleId) -> Option<&Role> {
        // Built-in roles lead the id-sorted list, at the position of their id while none
        // before them was deleted: the common lookup is one bounds check and one compare.
        if let Some(role) = usize::try_from(id.get())
            .ok()
            .and_then(|at| self.roles.get(at))
            .filter(|role| role.id == id)
        {
            return Some(role);
        }
        self.roles
            .binary_search_by_key(&id, Role::id)
            .ok()
            .and_then(|at| self.roles.get(at))
    }

    /// Every role, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Role> {
        self.roles.iter()
    }

    /// The custom roles (not built-in), by id.
    pub fn custom(&self) -> impl Iterator<Item = &Role> {
        self.roles.iter().filter(|role| !role.id.is_builtin())
    }

    /// Number of roles, built-in ones included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Always false: No Role, the Administrator and the Security Manager cannot be deleted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    fn role(&self, id: RoleId) -> Result<&Role, RoleError> {
        self.get(id).ok_or(RoleError::UnknownRole(id))
    }

    /// The requester's role, which must exist and be allowed to manage roles.
    fn manager(&self, requester: RoleId, operation: RoleOperation) -> Result<&Role, RoleError> {
        let role = self.role(requester)?;
        if role.is_administrator() || role.permissions.contains(Permissions::MANAGE_ROLES) {
            Ok(role)
        } else {
            Err(RoleError::Forbidden {
                requester,
                requester_name: crate::text::echo(&role.name),
                operation,
            })
        }
    }

    /// Fails unless `permissions` are within `requester`'s own (the Administrator exempt).
    fn within(
        requester: &Role,
        permissions: Permissions,
        operation: RoleOperation,
    ) -> Result<(), RoleError> {
        let excess = permissions & !requester.permissions;
        if requester.is_administrator() || excess.is_empty() {
            Ok(())
        } else {
            Err(RoleError::Escalation {
                requester: requester.id,
                requester_name: crate::text::echo(&requester.name),
                operation,
                excess,
            })
        }
    }

    /// Checks a name for a new or renamed role: 1–255 characters, not blank, not the name of
    /// another role (case-insensitively).
    fn check_name(&self, name: &str, except: Option<RoleId>) -> Result<(), RoleError> {
        if name.trim().is_empty() {
            return Err(RoleError::MissingName);
        }
        if name.chars().count() > MAX_ROLE_NAME_CHARS {
            return Err(RoleError::NameTooLong(crate::text::echo(name)));
        }
        let taken = self
            .roles
            .iter()
            .any(|role| Some(role.id) != except && same_lowercase(&role.name, name));
        if taken {
            return Err(RoleError::DuplicateName(crate::text::echo(name)));
        }
        Ok(())
    }

    fn immutable(id: RoleId, operation: RoleOperation) -> Result<(), RoleError> {
        match BuiltinRole::get(id) {
            Some(row) if row.immutable => Err(RoleError::Immutable {
                id,
                name: row.name,
                operation,
            }),
            _ => Ok(()),
        }
    }

    fn with_role(&self, role: Role) -> RoleCatalog {
        let mut roles = self.roles.clone();
        match roles.binary_search_by_key(&role.id, Role::id) {
            Ok(at) => {
                if let Some(slot) = roles.get_mut(at) {
                    *slot = role;
                }
            }
            Err(at) => roles.insert(at, role),
        }
        RoleCatalog { roles }
    }

    /// Creates a role (`POST /role`), giving it the next free custom id.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`] for an unknown requester role; [`RoleError::Forbidden`]
    /// without `permManageRoles`; [`RoleError::ManageApp`]; [`RoleError::Escalation`];
    /// [`RoleError::MissingName`], [`RoleError::NameTooLong`], [`RoleError::DuplicateName`].
    pub fn create(
        &self,
        requester: RoleId,
        draft: RoleDraft,
    ) -> Result<(RoleCatalog, RoleId), RoleError> {
        let permissions = self.validate_create(requester, &draft)?;
        let id = self.next_id();
        let role = Role::new(id, draft.name)
            .with_description(draft.description)
            .with_permissions(permissions);
        Ok((self.with_role(role), id))
    }

    /// The rules of [`RoleCatalog::create`], in its order, checked against the catalog as it
    /// is; the new role's permissions when they pass. `check` of `role.create` asks this
    /// and builds nothing (docs/semantics.md, "Checking a change").
    pub(crate) fn validate_create(
        &self,
        requester: RoleId,
        draft: &RoleDraft,
    ) -> Result<Permissions, RoleError> {
        let operation = RoleOperation::Create;
        let manager = self.manager(requester, operation)?;
        self.check_name(&draft.name, None)?;
        let permissions = draft.permissions.canonical();
        if permissions.contains(Permissions::MANAGE_APP) {
            return Err(RoleError::ManageApp { operation });
        }
        RoleCatalog::within(manager, permissions, operation)?;
        Ok(permissions)
    }

    fn next_id(&self) -> RoleId {
        let highest = self.roles.last().map_or(0, |role| role.id.get());
        RoleId(highest.saturating_add(1).max(FIRST_CUSTOM_ID))
    }

    /// Edits a role (`PATCH /role/{id}`): only the fields the patch names change.
    ///
    /// # Errors
    ///
    /// As [`RoleCatalog::create`], plus [`RoleError::UnknownRole`] for the target and
    /// [`RoleError::Immutable`] for Administrator, No Role and Security Manager. The
    /// escalation rule applies to the role both before and after the change.
    pub fn edit(
        &self,
        requester: RoleId,
        id: RoleId,
        patch: &RolePatch,
    ) -> Result<RoleCatalog, RoleError> {
        let current = self.validate_edit(requester, id, patch)?;
        Ok(self.with_role(patch.apply_to(current)))
    }

    /// The rules of [`RoleCatalog::edit`], in its order, checked against the catalog as it
    /// is, without building the edited role; the role edited when they pass. `check` of
    /// `role.edit` asks this and builds nothing (docs/semantics.md, "Checking a change").
    pub(crate) fn validate_edit(
        &self,
        requester: RoleId,
        id: RoleId,
        patch: &RolePatch,
    ) -> Result<&Role, RoleError> {
        let operation = RoleOperation::Edit;
        let manager = self.manager(requester, operation)?;
        let current = self.role(id)?;
        RoleCatalog::immutable(id, operation)?;
        RoleCatalog::within(manager, current.permissions, operation)?;
        if let Some(name) = patch.name() {
            self.check_name(name, Some(id))?;
        }
        let permissions = patch.permissions_of(current);
        if permissions.contains(Permissions::MANAGE_APP) {
            return Err(RoleError::ManageApp { operation });
        }
        RoleCatalog::within(manager, permissions, operation)?;
        Ok(current)
    }

    /// Deletes a role (`DELETE /role/{id}`) and says which of `users` (user id, role id)
    /// fall back to No Role.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`], [`RoleError::Forbidden`], [`RoleError::Immutable`], and
    /// [`RoleError::Escalation`] when the role holds permissions the requester lacks.
    ///
    /// ```
    /// use scangate::RoleId;
    /// use scangate::role::RoleCatalog;
    /// let catalog = RoleCatalog::builtin();
    /// let users = [("ann", RoleId::AUDITOR), ("bob", RoleId::EXECUTIVE)];
    /// let (catalog, moved) = catalog.delete(RoleId::ADMINISTRATOR, RoleId::AUDITOR, users).unwrap();
    /// assert_eq!(moved, ["ann"]);
    /// assert!(catalog.get(RoleId::AUDITOR).is_none());
    /// ```
    pub fn delete<'u>(
        &self,
        requester: RoleId,
        id: RoleId,
        users: impl IntoIterator<Item = (&'u str, RoleId)>,
    ) -> Result<(RoleCatalog, Vec<&'u str>), RoleError> {
        self.validate_delete(requester, id)?;
        let moved = users
            .into_iter()
            .filter(|(_, role)| *role == id)
            .map(|(user, _)| user)
            .collect();
        let roles = self
            .roles
            .iter()
            .filter(|role| role.id != id)
            .cloned()
            .collect();
        Ok((RoleCatalog { roles }, moved))
    }

    /// The rules of [`RoleCatalog::delete`], checked against the catalog as it is. `check`
    /// of `role.delete` asks this and builds nothing (docs/semantics.md, "Checking a
    /// change").
    pub(crate) fn validate_delete(&self, requester: RoleId, id: RoleId) -> Result<(), RoleError> {
        let operation = RoleOperation::Delete;
        let manager = self.manager(requester, operation)?;
        let target = self.role(id)?;
        RoleCatalog::immutable(id, operation)?;
        RoleCatalog::within(manager, target.permissions, operation)
    }

    /// Checks that `requester` may give role `id` to a user or user group.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`], [`RoleError::Forbidden`] without `permManageRoles`,
    /// [`RoleError::NotVisible`] for the Administrator role, [`RoleError::Escalation`] for a
    /// role beyond the requester's permissions.
    pub fn check_assign(&self, requester: RoleId, id: RoleId) -> Result<&Role, RoleError> {
        self.manager(requester, RoleOperation::Assign)?;
        self.check_delegable(requester, id)
    }

    /// Checks only the no-escalation half of assigning: role `id` is visible to `requester`
    /// and within its permissions (the Administrator exempt). Used where another permission
    /// than `permManageRoles` governs the assignment (`group.assign_role` needs
    /// `permManageGroupRelationships`).
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`], [`RoleError::NotVisible`], [`RoleError::Escalation`].
    ///
    /// ```
    /// use scangate::RoleId;
    /// use scangate::role::RoleCatalog;
    /// let catalog = RoleCatalog::builtin();
    /// assert!(catalog.check_delegable(RoleId::SECURITY_MANAGER, RoleId::AUDITOR).is_ok());
    /// assert!(catalog.check_delegable(RoleId::AUDITOR, RoleId::SECURITY_MANAGER).is_err());
    /// ```
    pub fn check_delegable(&self, requester: RoleId, id: RoleId) -> Result<&Role, RoleError> {
        let operation = RoleOperation::Assign;
        let requester = self.role(requester)?;
        let target = self.role(id)?;
        if !visibility::sees_role(requester, target) {
            return Err(RoleError::not_visible(target));
        }
        RoleCatalog::within(requester, target.permissions, operation)?;
        Ok(target)
    }

    /// The roles `requester` could assign (empty for an unknown requester or one without
    /// `permManageRoles`).
    pub fn assignable(&self, requester: RoleId) -> impl Iterator<Item = &Role> {
        self.roles
            .iter()
            .filter(move |role| self.check_assign(requester, role.id).is_ok())
    }

    /// `GET /role/{id}` for `requester`: the role with the fields they asked for and may see.
    /// Without `fields`, every field the requester may see.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`] for an unknown requester or target role;
    /// [`RoleError::NotVisible`] for the Administrator role asked by anyone else.
    ///
    /// ```
    /// use scangate::RoleId;
    /// use scangate::role::{RoleCatalog, RoleQuery};
    /// let catalog = RoleCatalog::builtin();
    /// let view = catalog.view(RoleId::AUDITOR, RoleId::SECURITY_MANAGER, &RoleQuery::new()).unwrap();
    /// assert_eq!(view.shown().to_string(), "id,name,description");
    /// assert!(catalog.view(RoleId::AUDITOR, RoleId::ADMINISTRATOR, &RoleQuery::new()).is_err());
    /// ```
    pub fn view(
        &self,
        requester: RoleId,
        id: RoleId,
        query: &RoleQuery,
    ) -> Result<RoleView<'_>, RoleError> {
        let requester = self.role(requester)?;
        visibility::project(
            requester,
            self.role(id)?,
            query.fields_or(RoleFieldSet::ALL),
        )
    }

    /// `GET /role` for `requester`: every role they may see (with `subset`, only those they
    /// could assign), each with the fields asked for and visible. Without `fields`: `id`,
    /// `name`, `description`.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownRole`] for an unknown requester role.
    pub fn list(
        &self,
        requester: RoleId,
        query: &RoleQuery,
    ) -> Result<Vec<RoleView<'_>>, RoleError> {
        let requester_role = self.role(requester)?;
        let fields = query.fields_or(RoleFieldSet::BASIC);
        Ok(self
            .roles
            .iter()
            .filter(|role| !query.is_subset() || self.check_assign(requester, role.id).is_ok())
            .filter_map(|role| visibility::project(requester_role, role, fields).ok())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::same_lowercase;

    /// The allocation-free comparison agrees with comparing `str::to_lowercase`, the final
    /// sigma included.
    #[test]
    fn same_lowercase_agrees_with_to_lowercase() {
        let pairs = [
            ("Ops", "OPS"),
            ("Ops", "Opt"),
            ("İx", "i\u{307}x"),
            ("ΟΔΟΣ", "οδοσ"),
            ("ΟΔΟΣ", "οδος"),
            ("Σ", "σ"),
            ("ΑΣ Β", "ας β"),
            ("ẞ", "ß"),
            ("", ""),
        ];
        for (a, b) in pairs {
            let expected = a.to_lowercase() == b.to_lowercase();
            assert_eq!(same_lowercase(a, b), expected, "{a} vs {b}");
            assert_eq!(same_lowercase(b, a), expected, "{b} vs {a}");
        }
    }
}
