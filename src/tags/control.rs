//! [`AccessControl`]: a container's tags and permissions, checked together (distinct
//! uuids), looked up by uuid, and the per-user answer of
//! `GET /api/v3/access-control/permissions/users/{uuid}`.

use std::collections::HashMap;

use super::filter::FilterError;
use super::permission::{Permission, SubjectKind};
use super::tag::TagValue;
use crate::access::{TermError, Uuid};

/// A tag or permission that could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessControlError {
    /// An action name that is not in the action table.
    #[error("unknown permission action `{0}`")]
    UnknownAction(String),
    /// An object type other than `Tag`, `AllAssets`, `AllObjects`.
    #[error("unknown permission object type `{0}`: expected `Tag`, `AllAssets` or `AllObjects`")]
    UnknownObjectType(String),
    /// A subject type other than `User`, `UserGroup`, `AllUsers`, `AllAdmins`.
    #[error(
        "unknown permission subject type `{0}`: expected `User`, `UserGroup`, `AllUsers` or `AllAdmins`"
    )]
    UnknownSubjectType(String),
    /// A tag object, user or user group without its uuid.
    #[error("a `{0}` needs a uuid")]
    MissingUuid(&'static str),
    /// A uuid that is not one.
    #[error("`{0}` is not a uuid (8-4-4-4-12 hex digits)")]
    BadUuid(String),
    /// Two permissions with one uuid.
    #[error("duplicate permission uuid `{0}`")]
    DuplicatePermission(Uuid),
    /// Two tag values with one uuid.
    #[error("duplicate tag value uuid `{0}`")]
    DuplicateTag(Uuid),
    /// An empty or overlong category or value name.
    #[error("tag `{field}` `{name}`: {reason}")]
    BadName {
        /// `category_name` or `value`.
        field: &'static str,
        /// The name as given (cut).
        name: String,
        /// Why it is not valid.
        #[source]
        reason: TermError,
    },
    /// A static tag value with a filter.
    #[error("tag value `{0}` is static but has a filter")]
    StaticWithFilter(Uuid),
    /// A dynamic tag's filter is not valid.
    #[error("tag value `{tag}` filter: {source}")]
    Filter {
        /// The tag value.
        tag: Uuid,
        /// What is wrong with the filter.
        #[source]
        source: FilterError,
    },
}

impl AccessControlError {
    /// The error code of a limit (`max_entries`), `None` otherwise.
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        match self {
            AccessControlError::Filter { source, .. } => source.code(),
            _ => None,
        }
    }
}

/// The per-user (or per-group) answer: which permissions apply and which do not, as
/// `GET /api/v3/access-control/permissions/users/{uuid}` lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPermissions<'a> {
    /// The permissions whose subjects name the user, one of their groups, or all users.
    pub granted: Vec<&'a Permission>,
    /// The others, except those whose every subject is `AllAdmins` (the built-in
    /// Administrators permission, which the server lists in neither).
    pub available: Vec<&'a Permission>,
}

/// A container's v3 access control: its tag values and permissions, uuids distinct.
///
/// # Examples
///
/// ```
/// use scangate::tags::{AccessControl, Permission, PermissionAction, PermissionObject, PermissionSubject, TagValue};
/// let tag = TagValue::static_value("55ba39c1-9498-4090-b81a-e17b3a0ccbcb".parse()?, "Site", "Lab")?;
/// let perm = Permission::new("4c931fce-699c-4052-a43c-c953e71dd37b".parse()?, "Lab viewers")
///     .with_actions([PermissionAction::CanView])
///     .with_object(PermissionObject::tag(tag.uuid()))
///     .with_subject(PermissionSubject::user_group("00000000-0000-0000-0000-000000000000")?);
/// let control = AccessControl::new(vec![tag], vec![perm])?;
/// let answer = control.permissions_for("any-user", &[] as &[&str]);
/// assert_eq!(answer.granted.len(), 1);
/// assert_eq!(control.tag_name(&"55ba39c1-9498-4090-b81a-e17b3a0ccbcb".parse()?), Some(("Site", "Lab")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessControl {
    tags: Vec<TagValue>,
    permissions: Vec<Permission>,
    tag_at: HashMap<Uuid, usize>,
}

impl AccessControl {
    /// Tags and permissions, in the order given.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::DuplicateTag`] or [`AccessControlError::DuplicatePermission`]
    /// for the first repeated uuid.
    pub fn new(
        tags: Vec<TagValue>,
        permissions: Vec<Permission>,
    ) -> Result<AccessControl, AccessControlError> {
        let mut tag_at = HashMap::with_capacity(tags.len());
        for (i, t) in tags.iter().enumerate() {
            if tag_at.insert(t.uuid(), i).is_some() {
                return Err(AccessControlError::DuplicateTag(t.uuid()));
            }
        }
        let mut seen = HashMap::with_capacity(permissions.len());
        for p in &permissions {
            if seen.insert(p.uuid(), ()).is_some() {
                return Err(AccessControlError::DuplicatePermission(p.uuid()));
            }
        }
        Ok(AccessControl {
            tags,
            permissions,
            tag_at,
        })
    }

    /// The tag values, in order.
    #[must_use]
    pub fn tags(&self) -> &[TagValue] {
        &self.tags
    }

    /// The permissions, in order.
    #[must_use]
    pub fn permissions(&self) -> &[Permission] {
        &self.permissions
    }

    /// Whether there is neither a tag nor a permission.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.permissions.is_empty()
    }

    /// The tag value `uuid`.
    #[must_use]
    pub fn tag(&self, uuid: &Uuid) -> Option<&TagValue> {
        self.tags.get(*self.tag_at.get(uuid)?)
    }

    /// The position of tag value `uuid` in [`AccessControl::tags`].
    #[must_use]
    pub fn tag_position(&self, uuid: &Uuid) -> Option<usize> {
        self.tag_at.get(uuid).copied()
    }

    /// The category and value names of tag value `uuid` (what `tag.<category>` filter
    /// fields compare with).
    #[must_use]
    pub fn tag_name(&self, uuid: &Uuid) -> Option<(&str, &str)> {
        self.tag(uuid).map(|t| (t.category(), t.value()))
    }

    /// The permissions granted to `user`, a member of `groups`, and those available, as
    /// the per-user endpoint answers: granted when a `User` subject names the user, a
    /// `UserGroup` subject one of their groups, or the subject is all users; `AllAdmins`
    /// subjects do not count here (see [`UserPermissions::available`]).
    #[must_use]
    pub fn permissions_for<S: AsRef<str>>(&self, user: &str, groups: &[S]) -> UserPermissions<'_> {
        let mut answer = UserPermissions {
            granted: Vec::new(),
            available: Vec::new(),
        };
        for p in &self.permissions {
            if p.subject_for(user, groups, false).is_some() {
                answer.granted.push(p);
            } else if !p
                .subjects()
                .iter()
                .all(|s| s.kind() == SubjectKind::AllAdmins)
                || p.subjects().is_empty()
            {
                answer.available.push(p);
            }
        }
        answer
    }

    /// The same answer for a user group (`GET …/permissions/user-groups/{uuid}`): granted
    /// when a subject names the group or all users (the nil uuid is All Users).
    #[must_use]
    pub fn permissions_for_group(&self, group: &str) -> UserPermissions<'_> {
        // A group is asked about as a member of itself, with no user id that could match.
        self.permissions_for("", &[group])
    }
}
