//! The policy, its builder, the resources an action is about, and the policy errors.

use super::directory::{Directory, DirectoryEntry, DirectoryUser, User};
use crate::access::{
    AccessGroup, AccessGroups, AccessPermissions, Asset, GroupIndex, GroupSet, Target,
};
use crate::policy::action::{Action, ActionSpec, BUILTIN_ACTIONS};
use crate::policy::decision::Layer;
use crate::role::{Role, RoleCatalog, RoleDraft, RoleError, RoleId, RolePatch};
use crate::scope::ScopeSet;
use crate::tags::AccessControl;
use crate::tags::index::TagIndex;
use std::sync::Arc;

/// What an action is about.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub enum Resource<'a> {
    /// Nothing in particular (listing, or an action with no object).
    #[default]
    None,
    /// An asset row.
    Asset(&'a Asset),
    /// A scan's target list.
    Targets(&'a [Target]),
    /// A role, by id.
    Role(RoleId),
    /// A role to create.
    RoleDraft(&'a RoleDraft),
    /// A change to role `id`.
    RolePatch(RoleId, &'a RolePatch),
    /// A user group, by id.
    UserGroup(&'a str),
    /// An access group, by id.
    AccessGroup(&'a str),
    /// An access group to create, or the new content of the group with the draft's id.
    AccessGroupDraft(&'a AccessGroup),
    /// A tag value, by uuid (`tag.edit`, `tag.use`).
    Tag(crate::access::Uuid),
}

/// A policy that cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A role problem (override of a built-in role, duplicate id, …).
    #[error(transparent)]
    Role(#[from] RoleError),
    /// An access-group problem.
    #[error(transparent)]
    AccessGroup(#[from] crate::access::AccessGroupError),
    /// A tag or v3 permission problem (duplicate uuids, a bad filter).
    #[error(transparent)]
    AccessControl(Box<crate::tags::AccessControlError>),
    /// A user names a role that does not exist.
    #[error("user `{user}` has role `{role}`, which does not exist")]
    UnknownUserRole {
        /// The user.
        user: String,
        /// The missing role.
        role: RoleId,
    },
    /// Two users share an id.
    #[error("user `{0}` is listed twice")]
    DuplicateUser(String),
    /// A host action reuses a name.
    #[error("action `{0}` is defined twice")]
    DuplicateAction(String),
    /// More actions than a handle can number.
    #[error("too many actions")]
    TooManyActions,
    /// A change was refused by the policy itself, before the role or access-group rules
    /// were asked: the subject was refused the action the change is checked as (it did not
    /// resolve, or layer 1 or 2 refused), or the change lacks what it needs (a requester
    /// with a role, the id of the access group to edit).
    ///
    /// ```
    /// use scangate::{Action, Policy, PolicyError, RoleId, Subject, User};
    /// use scangate::policy::Layer;
    /// use scangate::role::RoleDraft;
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
    /// let error = policy.create_role(&Subject::user("ann"), RoleDraft::new("Tickets")).unwrap_err();
    /// assert!(matches!(
    ///     error,
    ///     PolicyError::Denied { action: Some(Action::ROLE_CREATE), layer: Layer::Role, .. }
    /// ));
    /// assert!(error.to_string().starts_with("deny `role.create`: role `Auditor` lacks"));
    /// # Ok::<(), PolicyError>(())
    /// ```
    #[error("{reason}")]
    Denied {
        /// The action the change was checked as (`Action::ROLE_CREATE`, …); `None` for
        /// [`Policy::check_new_key`], which stands for no action of the catalogue.
        action: Option<Action>,
        /// The layer that refused ([`Layer::Object`] when the change lacks what it needs,
        /// as a check would deny it).
        layer: Layer,
        /// The explanation, one sentence: for a refused action, the denied decision's
        /// (``deny `role.create`: …``).
        reason: String,
    },
    /// A new API key asks for scopes its owner's role cannot exercise.
    #[error("role `{role}` cannot exercise `{excess}`, so a key of `{owner}` may not hold it")]
    KeyScopes {
        /// The key's owner.
        owner: String,
        /// The owner's role name.
        role: String,
        /// The scopes beyond the role.
        excess: ScopeSet,
    },
}

impl From<crate::tags::AccessControlError> for PolicyError {
    fn from(e: crate::tags::AccessControlError) -> Self {
        PolicyError::AccessControl(Box::new(e))
    }
}

/// The access groups compiled for decisions.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) index: GroupIndex,
    /// Groups that hold asset records (not SCAN_TARGETS).
    pub(crate) asset_holders: GroupSet,
    /// Every group.
    pub(crate) all: GroupSet,
}

impl Compiled {
    fn new(groups: &AccessGroups) -> Compiled {
        let asset_holders = groups
            .iter()
            .enumerate()
            .filter(|(_, group)| super::check::holds_assets(group))
            .map(|(position, _)| position)
            .collect();
        Compiled {
            index: GroupIndex::new(groups),
            asset_holders,
            all: GroupSet::full(groups.len()),
        }
    }

    /// The groups that take part in an asset question about `permission`: every group
    /// for scanning (a SCAN_TARGETS group contains an asset through its addresses, which
    /// the index knows), the asset holders otherwise (`docs/semantics.md`, "Choice (asset
    /// checks)").
    pub(crate) fn asset_groups(&self, permission: AccessPermissions) -> &GroupSet {
        if super::check::scan_targets_take_part(permission) {
            &self.all
        } else {
            &self.asset_holders
        }
    }

    /// The groups granting `permission` to `user` in `groups`, limited to the groups that
    /// take part in asset questions about it when `assets`.
    pub(crate) fn granting(
        &self,
        user: &str,
        groups: &[String],
        permission: AccessPermissions,
        assets: bool,
    ) -> GroupSet {
        let mut set = self.index.granting(user, groups, permission);
        if assets && !super::check::scan_targets_take_part(permission) {
            set.intersect_with(&self.asset_holders);
        }
        set
    }

    pub(super) fn entry(&self, user: User, control: &TagIndex) -> DirectoryEntry {
        let (id, groups) = (user.id.as_str(), user.groups.as_slice());
        DirectoryEntry {
            view_assets: self.granting(id, groups, AccessPermissions::CAN_VIEW, true),
            scan: self.granting(id, groups, AccessPermissions::CAN_SCAN, false),
            tags: control.grants(id, groups, user.role == RoleId::ADMINISTRATOR),
            user,
        }
    }
}

/// The data behind a [`Policy`].
#[derive(Debug)]
pub(crate) struct PolicyData {
    pub(crate) roles: RoleCatalog,
    pub(crate) groups: AccessGroups,
    /// Shared between policies whose access groups are the same.
    pub(crate) compiled: Arc<Compiled>,
    /// The v3 tags and permissions, compiled; shared between policies whose tags and
    /// permissions are the same.
    pub(crate) control: Arc<TagIndex>,
    /// Shared between policies whose groups and users are the same.
    pub(crate) users: Arc<Directory>,
    pub(crate) actions: Vec<ActionSpec>,
}

impl PolicyData {
    /// Compiles the access groups and the directory's grants.
    pub(crate) fn new(
        roles: RoleCatalog,
        groups: AccessGroups,
        control: Arc<TagIndex>,
        users: Vec<User>,
        actions: Vec<ActionSpec>,
    ) -> PolicyData {
        let compiled = Arc::new(Compiled::new(&groups));
        PolicyData::with_compiled(roles, groups, compiled, control, users, actions)
    }

    /// As [`PolicyData::new`], reusing an index compiled from the same `groups`.
    pub(crate) fn with_compiled(
        roles: RoleCatalog,
        groups: AccessGroups,
        compiled: Arc<Compiled>,
        control: Arc<TagIndex>,
        users: Vec<User>,
        actions: Vec<ActionSpec>,
    ) -> PolicyData {
        let users = Arc::new(Directory::new(users, &compiled, &control));
        PolicyData {
            roles,
            groups,
            compiled,
            control,
            users,
            actions,
        }
    }
}

/// Everything needed to decide: roles, access groups, users, actions. Built once with
/// [`PolicyBuilder`], all validation done; then [`Policy::check`] is infallible.
///
/// `Policy` is `Send + Sync`, and cloning it clones an `Arc`: share it between threads and
/// swap in a new one when the data changes.
///
/// ```
/// use scangate::{Action, Policy, Resource, RoleId, Subject, User};
///
/// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
/// let decision = policy.check(&Subject::user("ann"), Action::TICKET_CREATE, Resource::None);
/// assert!(!decision.is_allowed());
/// assert_eq!(decision.to_string(), "deny `ticket.create`: role `Auditor` lacks permCreateTickets, required by `ticket.create`");
/// assert!(policy.is_allowed(&Subject::user("ann"), Action::ORG_LOG_VIEW, Resource::None));
/// # Ok::<(), scangate::PolicyError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Policy {
    pub(crate) data: Arc<PolicyData>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::from_data(PolicyData::new(
            RoleCatalog::builtin(),
            AccessGroups::new(),
            Arc::default(),
            Vec::new(),
            BUILTIN_ACTIONS.to_vec(),
        ))
    }
}

impl Policy {
    /// A builder with the built-in roles and actions, and nothing else.
    #[must_use]
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    pub(crate) fn from_data(data: PolicyData) -> Policy {
        Policy {
            data: Arc::new(data),
        }
    }

    /// The roles.
    #[must_use]
    pub fn roles(&self) -> &RoleCatalog {
        &self.data.roles
    }

    /// The access groups.
    #[must_use]
    pub fn access_groups(&self) -> &AccessGroups {
        &self.data.groups
    }

    /// The v3 tags and permissions.
    #[must_use]
    pub fn access_control(&self) -> &AccessControl {
        &self.data.control.control
    }

    /// The user `id` of the directory.
    #[must_use]
    pub fn user(&self, id: &str) -> Option<DirectoryUser<'_>> {
        self.data.users.handle(id)
    }

    /// The directory's users, in the order they were given.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.data.users.users()
    }

    /// The action of this name (built-in or host-defined).
    ///
    /// ```
    /// use scangate::{Action, Policy};
    /// assert_eq!(Policy::default().action("scan.run"), Some(Action::SCAN_RUN));
    /// ```
    #[must_use]
    pub fn action(&self, name: &str) -> Option<Action> {
        self.data
            .actions
            .iter()
            .position(|spec| spec.name() == name)
            .and_then(|at| u16::try_from(at).ok())
            .map(Action)
    }

    /// The specification of an action of this policy.
    #[must_use]
    pub fn action_spec(&self, action: Action) -> Option<&ActionSpec> {
        self.data.actions.get(usize::from(action.0))
    }

    /// Every action of this policy, built-in first.
    pub fn actions(&self) -> impl Iterator<Item = (Action, &ActionSpec)> {
        self.data
            .actions
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| Some((Action(u16::try_from(i).ok()?), spec)))
    }

    /// A builder holding this policy's data, to change and build again.
    #[must_use]
    pub fn to_builder(&self) -> PolicyBuilder {
        PolicyBuilder {
            custom_roles: self.data.roles.custom().cloned().collect(),
            deleted_builtins: self.data.roles.deleted_builtins().collect(),
            groups: self.data.groups.clone(),
            control: self.data.control.control.clone(),
            users: self.users().cloned().collect(),
            actions: self
                .data
                .actions
                .get(BUILTIN_ACTIONS.len()..)
                .unwrap_or_default()
                .to_vec(),
        }
    }
}

/// Builds a [`Policy`]; [`PolicyBuilder::build`] does all validation.
#[derive(Clone, Debug, Default)]
pub struct PolicyBuilder {
    custom_roles: Vec<Role>,
    /// The built-in roles to leave out (deleted), as the catalog records them.
    deleted_builtins: Vec<RoleId>,
    groups: AccessGroups,
    control: AccessControl,
    users: Vec<User>,
    actions: Vec<ActionSpec>,
}

impl PolicyBuilder {
    /// Sets the v3 tags and permissions (`docs/semantics.md`, "Layer 3 v3: permissions and
    /// tags"): layer 3 then allows when an access group or a permission allows.
    #[must_use]
    pub fn access_control(mut self, control: AccessControl) -> PolicyBuilder {
        self.control = control;
        self
    }

    /// Adds a custom role (the built-in roles 0–7 are always present).
    #[must_use]
    pub fn role(mut self, role: Role) -> PolicyBuilder {
        self.custom_roles.push(role);
        self
    }

    /// Adds custom roles.
    #[must_use]
    pub fn roles(mut self, roles: impl IntoIterator<Item = Role>) -> PolicyBuilder {
        self.custom_roles.extend(roles);
        self
    }

    /// Leaves out these deletable built-in roles, deleted earlier (by
    /// [`Policy::delete_role`] or on a server). Users may not be assigned to them.
    ///
    /// ```
    /// use scangate::{Policy, PolicyError, RoleId, User};
    /// let builder = Policy::builder().without_builtin_roles([RoleId::AUDITOR]);
    /// assert!(builder.clone().build()?.roles().get(RoleId::AUDITOR).is_none());
    /// let error = builder.user(User::new("ann", RoleId::AUDITOR)).build().unwrap_err();
    /// assert!(matches!(error, PolicyError::UnknownUserRole { .. }));
    /// # Ok::<(), PolicyError>(())
    /// ```
    #[must_use]
    pub fn without_builtin_roles(mut self, ids: impl IntoIterator<Item = RoleId>) -> PolicyBuilder {
        self.deleted_builtins.extend(ids);
        self
    }

    /// Sets the access groups (as read from a server: accepted as they are).
    #[must_use]
    pub fn access_groups(mut self, groups: AccessGroups) -> PolicyBuilder {
        self.groups = groups;
        self
    }

    /// Adds a user to the directory.
    #[must_use]
    pub fn user(mut self, user: User) -> PolicyBuilder {
        self.users.push(user);
        self
    }

    /// Adds users to the directory.
    #[must_use]
    pub fn users(mut self, users: impl IntoIterator<Item = User>) -> PolicyBuilder {
        self.users.extend(users);
        self
    }

    /// Adds a host-defined action.
    ///
    /// ```
    /// use scangate::{Permissions, Policy, Resource, RoleId, Subject, User};
    /// use scangate::policy::ActionSpec;
    /// let policy = Policy::builder()
    ///     .action(ActionSpec::new("report.export").with_permissions(Permissions::SHARE_OBJECTS))
    ///     .user(User::new("cm", RoleId::CREDENTIAL_MANAGER))
    ///     .build()?;
    /// let export = policy.action("report.export").unwrap();
    /// assert!(policy.is_allowed(&Subject::user("cm"), export, Resource::None));
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn action(mut self, action: ActionSpec) -> PolicyBuilder {
        self.actions.push(action);
        self
    }

    /// Validates everything and builds the policy.
    ///
    /// # Errors
    ///
    /// [`PolicyError`]: a custom role overriding a built-in one, duplicate role ids, a
    /// custom role holding `permManageApp`, a deleted built-in role that is not a
    /// deletable built-in role, a user whose role does not exist (or was deleted), a user
    /// listed twice, a host action reusing a name.
    pub fn build(self) -> Result<Policy, PolicyError> {
        let roles = RoleCatalog::new(self.custom_roles)?.without_builtins(self.deleted_builtins)?;
        let mut seen = std::collections::HashSet::with_capacity(self.users.len());
        for user in &self.users {
            if roles.get(user.role).is_none() {
                return Err(PolicyError::UnknownUserRole {
                    user: crate::text::echo(&user.id),
                    role: user.role,
                });
            }
            if !seen.insert(user.id.as_str()) {
                return Err(PolicyError::DuplicateUser(crate::text::echo(&user.id)));
            }
        }
        let mut actions = BUILTIN_ACTIONS.to_vec();
        for action in self.actions {
            if actions.iter().any(|known| known.name() == action.name()) {
                return Err(PolicyError::DuplicateAction(action.name().to_owned()));
            }
            actions.push(action);
        }
        if actions.len() > usize::from(u16::MAX) {
            return Err(PolicyError::TooManyActions);
        }
        Ok(Policy::from_data(PolicyData::new(
            roles,
            self.groups,
            Arc::new(TagIndex::new(self.control)),
            self.users,
            actions,
        )))
    }
}
