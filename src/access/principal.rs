//! Principals of an access group and their permissions.

use core::fmt;

bitflags::bitflags! {
    /// Access-group permissions of a principal (v2 `permissions`). The flag names are the
    /// wire names. The empty set (`[]` on the wire) grants nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::AccessPermissions;
    /// let p = AccessPermissions::from_wire_names(["CAN_SCAN", "CAN_VIEW"]).unwrap();
    /// assert_eq!(p, AccessPermissions::all());
    /// assert!(AccessPermissions::from_wire_names(["can_view"]).is_err());
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct AccessPermissions: u8 {
        /// `CAN_VIEW`: view the group's assets (MANAGE_ASSETS) or the results of scans
        /// of its targets (SCAN_TARGETS).
        const CAN_VIEW = 1;
        /// `CAN_SCAN`: scan the group's targets.
        const CAN_SCAN = 1 << 1;
    }
}

/// A permission name that is not `CAN_VIEW` or `CAN_SCAN` (names are case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission `{0}` (expected `CAN_VIEW` or `CAN_SCAN`)")]
pub struct UnknownPermission(pub String);

impl AccessPermissions {
    /// Parses a list of wire names (`CAN_VIEW`, `CAN_SCAN`); duplicates are allowed.
    ///
    /// # Errors
    ///
    /// [`UnknownPermission`] for any other name (unknown names never grant anything).
    pub fn from_wire_names<I, S>(names: I) -> Result<AccessPermissions, UnknownPermission>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = AccessPermissions::empty();
        for name in names {
            let name = name.as_ref();
            out |= AccessPermissions::from_name(name)
                .ok_or_else(|| UnknownPermission(crate::text::echo(name)))?;
        }
        Ok(out)
    }

    /// The wire names of the permissions held, `CAN_VIEW` first.
    pub fn wire_names(self) -> impl Iterator<Item = &'static str> {
        self.iter_names().map(|(name, _)| name)
    }
}

/// The id the API uses for "all users": a `group` principal with this id (and the
/// `all_users` principal) applies to every user.
pub const NIL_UUID: &str = "00000000-0000-0000-0000-000000000000";

/// The kind of a principal (`type` on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `user`: `principal_id` is a user id.
    User,
    /// `group`: `principal_id` is a user-group id; the nil UUID means all users.
    Group,
    /// `all_users`: every user.
    AllUsers,
    /// Any other type, kept as read from a server (for example an access group). It
    /// applies to nobody; creating or editing a group with it is rejected.
    Other(Box<str>),
}

impl PrincipalKind {
    /// The wire name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::AllUsers => "all_users",
            PrincipalKind::Other(s) => s,
        }
    }

    /// Parses a wire name; names other than `user`, `group`, `all_users` become
    /// [`PrincipalKind::Other`].
    #[must_use]
    pub fn from_wire(s: &str) -> PrincipalKind {
        match s {
            "user" => PrincipalKind::User,
            "group" => PrincipalKind::Group,
            "all_users" => PrincipalKind::AllUsers,
            other => PrincipalKind::Other(other.into()),
        }
    }
}

impl fmt::Display for PrincipalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A principal of an access group: who it names and what it grants them.
///
/// `principal_id` is opaque and compared exactly (host directories may use ids such as
/// `alice`). A principal given only by name (`principal_name`, which the API resolves
/// when creating) applies to nobody here.
///
/// # Examples
///
/// ```
/// use scangate::access::{AccessPermissions, Principal};
/// let p = Principal::group("c037612b-9c5c-40a7-afbd-0e776915c9cd", AccessPermissions::CAN_VIEW);
/// assert!(p.applies_to("alice", &["c037612b-9c5c-40a7-afbd-0e776915c9cd"]));
/// assert!(!p.applies_to("alice", &["other"]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    kind: PrincipalKind,
    id: Option<Box<str>>,
    name: Option<Box<str>>,
    permissions: AccessPermissions,
}

impl Principal {
    /// A principal of any kind.
    #[must_use]
    pub fn new(
        kind: PrincipalKind,
        id: Option<&str>,
        name: Option<&str>,
        permissions: AccessPermissions,
    ) -> Principal {
        Principal {
            kind,
            id: id.map(Into::into),
            name: name.map(Into::into),
            permissions,
        }
    }

    /// A `user` principal.
    #[must_use]
    pub fn user(id: &str, permissions: AccessPermissions) -> Principal {
        Principal::new(PrincipalKind::User, Some(id), None, permissions)
    }

    /// A `group` (user group) principal.
    #[must_use]
    pub fn group(id: &str, permissions: AccessPermissions) -> Principal {
        Principal::new(PrincipalKind::Group, Some(id), None, permissions)
    }

    /// The `all_users` principal, with the nil UUID as id as the API writes it.
    #[must_use]
    pub fn all_users(permissions: AccessPermissions) -> Principal {
        Principal::new(
            PrincipalKind::AllUsers,
            Some(NIL_UUID),
            Some("All Users"),
            permissions,
        )
    }

    /// Returns the principal with `principal_name` set.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> Principal {
        self.name = Some(name.into());
        self
    }

    /// The kind.
    #[must_use]
    pub fn kind(&self) -> &PrincipalKind {
        &self.kind
    }

    /// `principal_id`, if given.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `principal_name`, if given (display only, never used to decide).
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The permissions it grants.
    #[must_use]
    pub fn permissions(&self) -> AccessPermissions {
        self.permissions
    }

    /// Whether this principal names every user (`all_users`, or a `group` with the nil
    /// UUID).
    #[must_use]
    pub fn is_everyone(&self) -> bool {
        match self.kind {
            PrincipalKind::AllUsers => true,
            PrincipalKind::Group => self.id.as_deref() == Some(NIL_UUID),
            _ => false,
        }
    }

    /// Whether this principal names user `user`, a member of the user groups
    /// `user_groups`. Ids are compared exactly.
    #[must_use]
    pub fn applies_to<S: AsRef<str>>(&self, user: &str, user_groups: &[S]) -> bool {
        if self.is_everyone() {
            return true;
        }
        let Some(id) = self.id.as_deref() else {
            return false;
        };
        match self.kind {
            PrincipalKind::User => id == user,
            PrincipalKind::Group => user_groups.iter().any(|g| g.as_ref() == id),
            _ => false,
        }
    }
}
