//! One role, its id, and the two change requests (POST and PATCH).

use crate::role::permission::{PERMISSION_FIELDS, Permissions, ScanLevel};
use std::fmt;
use std::str::FromStr;

/// A role id. Tenable writes ids as strings of digits (`"1000006"`); built-in roles are
/// 0–7.
///
/// ```
/// use scangate::RoleId;
/// let id: RoleId = "1000006".parse().unwrap();
/// assert_eq!(id, RoleId::new(1_000_006));
/// assert_eq!(id.to_string(), "1000006");
/// assert!("-1".parse::<RoleId>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleId(pub(super) u64);

impl RoleId {
    /// 0, No Role: the catch-all role users fall back to when theirs is deleted.
    pub const NO_ROLE: RoleId = RoleId(0);
    /// 1, Administrator.
    pub const ADMINISTRATOR: RoleId = RoleId(1);
    /// 2, Security Manager.
    pub const SECURITY_MANAGER: RoleId = RoleId(2);
    /// 3, Security Analyst.
    pub const SECURITY_ANALYST: RoleId = RoleId(3);
    /// 4, Vulnerability Analyst.
    pub const VULNERABILITY_ANALYST: RoleId = RoleId(4);
    /// 5, Executive.
    pub const EXECUTIVE: RoleId = RoleId(5);
    /// 6, Credential Manager.
    pub const CREDENTIAL_MANAGER: RoleId = RoleId(6);
    /// 7, Auditor.
    pub const AUDITOR: RoleId = RoleId(7);

    /// A role id from its number.
    #[must_use]
    pub const fn new(id: u64) -> RoleId {
        RoleId(id)
    }

    /// The id's number.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// Whether this is one of the built-in roles 0–7.
    ///
    /// ```
    /// assert!(scangate::RoleId::AUDITOR.is_builtin());
    /// assert!(!scangate::RoleId::new(8).is_builtin());
    /// ```
    #[must_use]
    pub fn is_builtin(self) -> bool {
        super::builtin::BuiltinRole::get(self).is_some()
    }
}

impl fmt::Display for RoleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A role id that is not a string of ASCII digits fitting in 64 bits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid role id `{0}`: expected decimal digits")]
pub struct RoleIdError(pub(super) String);

impl FromStr for RoleId {
    type Err = RoleIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_digits(text)
            .map(RoleId)
            .ok_or_else(|| RoleIdError(crate::text::echo(text)))
    }
}

/// Parses a non-empty string of ASCII digits (no sign, no whitespace) into a `u64`.
pub(crate) fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The user who created a role, as Tenable embeds it (`creator`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleCreator {
    /// The creator's user id (a string of digits on the wire, kept as written).
    pub id: String,
    /// Login name.
    pub username: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// The creator's UUID (newer servers only).
    pub uuid: Option<String>,
}

/// How many users of one organization hold a role (`organizationCounts`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrganizationCount {
    /// Organization id.
    pub id: u64,
    /// Users of that organization holding the role.
    pub user_count: u64,
}

/// One Tenable Security Center role: id, name, description, permissions and the server's
/// metadata.
///
/// ```
/// use scangate::{Permissions, Role, RoleId};
///
/// let role = Role::new(RoleId::new(1_000_001), "Scanner")
///     .with_permissions(Permissions::SCAN_FULL | Permissions::CREATE_TICKETS);
/// assert_eq!(role.name(), "Scanner");
/// assert!(role.permissions().contains(Permissions::SCAN));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub(super) id: RoleId,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) permissions: Permissions,
    pub(super) creator: Option<RoleCreator>,
    pub(super) creator_id: Option<String>,
    pub(super) created_time: Option<u64>,
    pub(super) modified_time: Option<u64>,
    pub(super) organization_counts: Option<Vec<OrganizationCount>>,
}

impl Role {
    /// A role with no permissions, an empty description and no server metadata.
    #[must_use]
    pub fn new(id: RoleId, name: impl Into<String>) -> Role {
        Role {
            id,
            name: name.into(),
            description: String::new(),
            permissions: Permissions::empty(),
            creator: None,
            creator_id: None,
            created_time: None,
            modified_time: None,
            organization_counts: None,
        }
    }

    /// The built-in role `id` (0–7), exactly as Tenable's documentation gives it
    /// (`docs/semantics.md`, "Layer 2", "Built-in roles").
    ///
    /// ```
    /// use scangate::{Permissions, Role, RoleId};
    /// let auditor = Role::builtin(RoleId::AUDITOR).unwrap();
    /// assert_eq!(auditor.name(), "Auditor");
    /// assert_eq!(auditor.permissions(), Permissions::VIEW_ORG_LOGS);
    /// assert!(Role::builtin(RoleId::new(8)).is_none());
    /// ```
    #[must_use]
    pub fn builtin(id: RoleId) -> Option<Role> {
        super::builtin::BuiltinRole::get(id).map(|row| row.to_role())
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Role {
        self.description = description.into();
        self
    }

    /// Sets the permissions (a stray full-scan bit, set without [`Permissions::SCAN`], is
    /// dropped: no wire value spells it).
    #[must_use]
    pub fn with_permissions(mut self, permissions: Permissions) -> Role {
        self.permissions = permissions.canonical();
        self
    }

    /// Sets `createdTime` and `modifiedTime` (Unix seconds).
    #[must_use]
    pub fn with_times(mut self, created: u64, modified: u64) -> Role {
        self.created_time = Some(created);
        self.modified_time = Some(modified);
        self
    }

    /// Sets the `creator` object.
    #[must_use]
    pub fn with_creator(mut self, creator: RoleCreator) -> Role {
        self.creator = Some(creator);
        self
    }

    /// Sets `organizationCounts`.
    #[must_use]
    pub fn with_organization_counts(mut self, counts: Vec<OrganizationCount>) -> Role {
        self.organization_counts = Some(counts);
        self
    }

    /// The role's id.
    #[must_use]
    pub fn id(&self) -> RoleId {
        self.id
    }

    /// The role's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role's description.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The role's permissions.
    #[must_use]
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }

    /// The role's `permScan` level.
    #[must_use]
    pub fn scan_level(&self) -> ScanLevel {
        self.permissions.scan_level()
    }

    /// The `creator` object, when the server sent one.
    #[must_use]
    pub fn creator(&self) -> Option<&RoleCreator> {
        self.creator.as_ref()
    }

    /// The `creatorID` field of POST/PATCH responses, when present.
    #[must_use]
    pub fn creator_id(&self) -> Option<&str> {
        self.creator_id.as_deref()
    }

    /// `createdTime` (Unix seconds), when present.
    #[must_use]
    pub fn created_time(&self) -> Option<u64> {
        self.created_time
    }

    /// `modifiedTime` (Unix seconds), when present.
    #[must_use]
    pub fn modified_time(&self) -> Option<u64> {
        self.modified_time
    }

    /// `organizationCounts`, when present.
    #[must_use]
    pub fn organization_counts(&self) -> Option<&[OrganizationCount]> {
        self.organization_counts.as_deref()
    }

    /// Whether this is the Administrator role (id 1).
    #[must_use]
    pub fn is_administrator(&self) -> bool {
        self.id == RoleId::ADMINISTRATOR
    }
}

/// A role to create (`POST /role`): a name, a description (default `""`) and permissions
/// (default: none).
///
/// ```
/// use scangate::Permissions;
/// use scangate::role::RoleDraft;
/// let draft = RoleDraft::new("Ticketing").with_permissions(Permissions::CREATE_TICKETS);
/// assert_eq!(draft.description, "");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleDraft {
    /// Required, non-empty.
    pub name: String,
    /// Defaults to `""`.
    pub description: String,
    /// Defaults to none; may never include `permManageApp`.
    pub permissions: Permissions,
}

impl RoleDraft {
    /// A draft with this name and nothing else.
    #[must_use]
    pub fn new(name: impl Into<String>) -> RoleDraft {
        RoleDraft {
            name: name.into(),
            ..RoleDraft::default()
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> RoleDraft {
        self.description = description.into();
        self
    }

    /// Sets the permissions.
    #[must_use]
    pub fn with_permissions(mut self, permissions: Permissions) -> RoleDraft {
        self.permissions = permissions;
        self
    }
}

/// A change to a role (`PATCH /role/{id}`): only the fields it names change.
///
/// ```
/// use scangate::{Permissions, Role, RoleId};
/// use scangate::role::{RolePatch, ScanLevel};
///
/// let role = Role::new(RoleId::new(9), "Old").with_permissions(Permissions::CREATE_TICKETS);
/// let patch = RolePatch::new().rename("New").scan_level(ScanLevel::Policy);
/// let role = patch.apply_to(&role);
/// assert_eq!(role.name(), "New");
/// assert_eq!(role.permissions(), Permissions::CREATE_TICKETS | Permissions::SCAN);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolePatch {
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    /// The permission bits the patch sets (a field passed sets all of its bits).
    pub(super) mask: Permissions,
    /// Their new values.
    pub(super) values: Permissions,
}

impl RolePatch {
    /// A patch that changes nothing.
    #[must_use]
    pub fn new() -> RolePatch {
        RolePatch::default()
    }

    /// Changes the name.
    #[must_use]
    pub fn rename(mut self, name: impl Into<String>) -> RolePatch {
        self.name = Some(name.into());
        self
    }

    /// Changes the description.
    #[must_use]
    pub fn describe(mut self, description: impl Into<String>) -> RolePatch {
        self.description = Some(description.into());
        self
    }

    /// Sets these permission fields to true. Passing [`Permissions::SCAN`] sets `permScan`
    /// to `policy`; [`Permissions::SCAN_FULL`] sets it to `full`.
    #[must_use]
    pub fn grant(mut self, permissions: Permissions) -> RolePatch {
        let mask = field_mask(permissions);
        self.mask |= mask;
        self.values = (self.values & !mask) | permissions;
        self
    }

    /// Sets these permission fields to false (`none` for `permScan`).
    #[must_use]
    pub fn revoke(mut self, permissions: Permissions) -> RolePatch {
        let mask = field_mask(permissions);
        self.mask |= mask;
        self.values &= !mask;
        self
    }

    /// Sets `permScan`.
    #[must_use]
    pub fn scan_level(mut self, level: ScanLevel) -> RolePatch {
        self.mask |= Permissions::SCAN_FULL;
        self.values = (self.values & !Permissions::SCAN_FULL) | level.permissions();
        self
    }

    /// The new name, if the patch changes it.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The new description, if the patch changes it.
    #[must_use]
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The permission bits the patch sets, and their new values.
    #[must_use]
    pub fn permission_changes(&self) -> (Permissions, Permissions) {
        (self.mask, self.values)
    }

    /// Whether the patch changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.description.is_none() && self.mask.is_empty()
    }

    /// The role as it is after the patch (no rule is checked here; see
    /// [`RoleCatalog::edit`](super::RoleCatalog::edit)).
    #[must_use]
    pub fn apply_to(&self, role: &Role) -> Role {
        let mut patched = role.clone();
        if let Some(name) = &self.name {
            patched.name.clone_from(name);
        }
        if let Some(description) = &self.description {
            patched.description.clone_from(description);
        }
        patched.permissions = self.permissions_of(role);
        patched
    }

    /// The permissions `role` has after the patch.
    pub(crate) fn permissions_of(&self, role: &Role) -> Permissions {
        ((role.permissions & !self.mask) | (self.values & self.mask)).canonical()
    }
}

/// The union of the masks of every field that `permissions` touches, so that naming any
/// scan bit covers both.
fn field_mask(permissions: Permissions) -> Permissions {
    PERMISSION_FIELDS
        .iter()
        .filter(|field| permissions.intersects(field.mask()))
        .fold(Permissions::empty(), |acc, field| acc | field.mask())
}
