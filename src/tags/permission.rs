//! v3 permissions: who (subjects) may do what (actions) on which objects (a tag, all
//! assets, all objects): `GET /api/v3/access-control/permissions` (`docs/semantics.md`,
//! "Layer 3 v3: permissions and tags").

use core::fmt;
use core::str::FromStr;

use super::AccessControlError;
use crate::access::{Metadata, NIL_UUID, Uuid};

macro_rules! permission_actions {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, $grants:literal; )+) => {
        /// A permission action, as the wire spells it. The first four grant what this
        /// library decides; the later ones of Tenable's client model are read, kept and
        /// grant nothing here ([`PermissionAction::grants`]).
        ///
        /// # Examples
        ///
        /// ```
        /// use scangate::tags::PermissionAction;
        /// let a: PermissionAction = "CanScan".parse().unwrap();
        /// assert!(a.grants());
        /// assert!(!PermissionAction::CanViewMssp.grants());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum PermissionAction {
            $( $(#[$doc])* $variant, )+
        }

        impl PermissionAction {
            /// Every action, in table order.
            pub const ALL: [PermissionAction; permission_actions!(@count $($variant)+)] =
                [$(PermissionAction::$variant,)+];

            /// The wire name.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( PermissionAction::$variant => $wire, )+ }
            }

            /// Whether the action grants anything this library decides.
            #[must_use]
            pub const fn grants(self) -> bool {
                match self { $( PermissionAction::$variant => $grants, )+ }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + permission_actions!(@count $($tail)*) };
}

permission_actions! {
    /// View the asset records the object covers (`asset.view`, `issue.*`).
    CanView = "CanView", true;
    /// Scan the assets and the targets the object covers (`asset.scan`, `scan.run`).
    CanScan = "CanScan", true;
    /// Edit the tag itself (`tag.edit`).
    CanEdit = "CanEdit", true;
    /// Use the tag: assign it, filter by it (`tag.use`).
    CanUse = "CanUse", true;
    /// MSSP portal view (read, grants nothing here).
    CanViewMssp = "CanViewMssp", false;
    /// MSSP portal edit (read, grants nothing here).
    CanEditMssp = "CanEditMssp", false;
    /// Impersonate an administrator (read, grants nothing here).
    CanImpersonateAdmin = "CanImpersonateAdmin", false;
    /// Impersonate a scan manager (read, grants nothing here).
    CanImpersonateScanManager = "CanImpersonateScanManager", false;
    /// Impersonate a scan operator (read, grants nothing here).
    CanImpersonateScanOperator = "CanImpersonateScanOperator", false;
}

impl PermissionAction {
    /// The action that grants an access-group permission on assets: `CanScan` for
    /// `CAN_SCAN`, else `CanView` (`docs/semantics.md`, "Layer 3 v3: permissions and tags").
    pub(crate) fn on_assets(permission: crate::access::AccessPermissions) -> PermissionAction {
        if permission == crate::access::AccessPermissions::CAN_SCAN {
            PermissionAction::CanScan
        } else {
            PermissionAction::CanView
        }
    }

    /// The position of the action in [`PermissionAction::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for PermissionAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PermissionAction {
    type Err = AccessControlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PermissionAction::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| AccessControlError::UnknownAction(crate::text::echo(s)))
    }
}

/// What a permission's object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    /// `Tag`: the assets carrying one tag value (and, for `CanEdit`/`CanUse`, the tag).
    Tag,
    /// `AllAssets`: every asset and scan target.
    AllAssets,
    /// `AllObjects`: every asset, target and tag.
    AllObjects,
}

impl ObjectKind {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Tag => "Tag",
            ObjectKind::AllAssets => "AllAssets",
            ObjectKind::AllObjects => "AllObjects",
        }
    }
}

impl FromStr for ObjectKind {
    type Err = AccessControlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            ObjectKind::Tag,
            ObjectKind::AllAssets,
            ObjectKind::AllObjects,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| AccessControlError::UnknownObjectType(crate::text::echo(s)))
    }
}

/// A permission's object: `{type, uuid, name}` (`uuid` for a tag; `name` as the server
/// gives it, `Category:Value` for a tag).
///
/// # Examples
///
/// ```
/// use scangate::tags::{ObjectKind, PermissionObject};
/// let tag = PermissionObject::tag("55ba39c1-9498-4090-b81a-e17b3a0ccbcb".parse()?);
/// assert_eq!(tag.kind(), ObjectKind::Tag);
/// assert_eq!(PermissionObject::all_assets().uuid(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PermissionObject {
    kind: ObjectKind,
    uuid: Option<Uuid>,
    name: Option<Box<str>>,
}

impl PermissionObject {
    /// The tag value `uuid`.
    #[must_use]
    pub fn tag(uuid: Uuid) -> PermissionObject {
        PermissionObject {
            kind: ObjectKind::Tag,
            uuid: Some(uuid),
            name: None,
        }
    }

    /// All assets.
    #[must_use]
    pub fn all_assets() -> PermissionObject {
        PermissionObject {
            kind: ObjectKind::AllAssets,
            uuid: None,
            name: None,
        }
    }

    /// All objects.
    #[must_use]
    pub fn all_objects() -> PermissionObject {
        PermissionObject {
            kind: ObjectKind::AllObjects,
            uuid: None,
            name: None,
        }
    }

    /// An object from its wire parts.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::MissingUuid`] for a tag without a uuid.
    pub fn new(
        kind: ObjectKind,
        uuid: Option<Uuid>,
        name: Option<&str>,
    ) -> Result<PermissionObject, AccessControlError> {
        if kind == ObjectKind::Tag && uuid.is_none() {
            return Err(AccessControlError::MissingUuid("Tag"));
        }
        Ok(PermissionObject {
            kind,
            uuid,
            name: name.map(Into::into),
        })
    }

    /// The same object with its display name.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> PermissionObject {
        self.name = Some(name.into());
        self
    }

    /// The kind.
    #[must_use]
    pub fn kind(&self) -> ObjectKind {
        self.kind
    }

    /// The tag's uuid (for [`ObjectKind::Tag`]; kept as given for the others).
    #[must_use]
    pub fn uuid(&self) -> Option<Uuid> {
        self.uuid
    }

    /// The name as given.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether the object covers every asset and scan target.
    #[must_use]
    pub fn covers_all_assets(&self) -> bool {
        matches!(self.kind, ObjectKind::AllAssets | ObjectKind::AllObjects)
    }
}

/// What a permission's subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubjectKind {
    /// One user, by uuid.
    User,
    /// The members of a user group, by uuid; the nil uuid is All Users.
    UserGroup,
    /// Every user.
    AllUsers,
    /// The users whose role is the Administrator role.
    AllAdmins,
}

impl SubjectKind {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SubjectKind::User => "User",
            SubjectKind::UserGroup => "UserGroup",
            SubjectKind::AllUsers => "AllUsers",
            SubjectKind::AllAdmins => "AllAdmins",
        }
    }
}

impl FromStr for SubjectKind {
    type Err = AccessControlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            SubjectKind::User,
            SubjectKind::UserGroup,
            SubjectKind::AllUsers,
            SubjectKind::AllAdmins,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| AccessControlError::UnknownSubjectType(crate::text::echo(s)))
    }
}

/// A permission's subject: `{type, uuid, name}`. Ids are compared with the directory's
/// user and group ids as written, as access-group principals are.
///
/// # Examples
///
/// ```
/// use scangate::tags::PermissionSubject;
/// let everyone = PermissionSubject::user_group("00000000-0000-0000-0000-000000000000")?;
/// assert!(everyone.applies_to("b83faeec-f790-433f-893c-88c48c82562e", &[] as &[&str], false));
/// let admins = PermissionSubject::all_admins();
/// assert!(!admins.applies_to("b83faeec-f790-433f-893c-88c48c82562e", &[] as &[&str], false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PermissionSubject {
    kind: SubjectKind,
    uuid: Option<Box<str>>,
    name: Option<Box<str>>,
}

impl PermissionSubject {
    /// A subject from its wire parts.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::MissingUuid`] for a user or user group without a uuid,
    /// [`AccessControlError::BadUuid`] for a uuid that is not one.
    pub fn new(
        kind: SubjectKind,
        uuid: Option<&str>,
        name: Option<&str>,
    ) -> Result<PermissionSubject, AccessControlError> {
        match (kind, uuid) {
            (SubjectKind::User | SubjectKind::UserGroup, None) => {
                return Err(AccessControlError::MissingUuid(kind.as_str()));
            }
            (_, Some(u)) => {
                u.parse::<Uuid>()
                    .map_err(|_| AccessControlError::BadUuid(crate::text::echo(u)))?;
            }
            _ => {}
        }
        Ok(PermissionSubject {
            kind,
            uuid: uuid.map(Into::into),
            name: name.map(Into::into),
        })
    }

    /// The user `uuid`.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::BadUuid`].
    pub fn user(uuid: &str) -> Result<PermissionSubject, AccessControlError> {
        PermissionSubject::new(SubjectKind::User, Some(uuid), None)
    }

    /// The user group `uuid` (the nil uuid: All Users).
    ///
    /// # Errors
    ///
    /// [`AccessControlError::BadUuid`].
    pub fn user_group(uuid: &str) -> Result<PermissionSubject, AccessControlError> {
        PermissionSubject::new(SubjectKind::UserGroup, Some(uuid), None)
    }

    /// Every user.
    #[must_use]
    pub fn all_users() -> PermissionSubject {
        PermissionSubject {
            kind: SubjectKind::AllUsers,
            uuid: None,
            name: None,
        }
    }

    /// Every administrator.
    #[must_use]
    pub fn all_admins() -> PermissionSubject {
        PermissionSubject {
            kind: SubjectKind::AllAdmins,
            uuid: None,
            name: None,
        }
    }

    /// The same subject with its display name.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> PermissionSubject {
        self.name = Some(name.into());
        self
    }

    /// The kind.
    #[must_use]
    pub fn kind(&self) -> SubjectKind {
        self.kind
    }

    /// The uuid as written.
    #[must_use]
    pub fn uuid(&self) -> Option<&str> {
        self.uuid.as_deref()
    }

    /// The name as given.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether the subject stands for every user: `AllUsers`, or the user group with the
    /// nil uuid (All Users).
    #[must_use]
    pub fn is_everyone(&self) -> bool {
        match self.kind {
            SubjectKind::AllUsers => true,
            SubjectKind::UserGroup => self.uuid.as_deref() == Some(NIL_UUID),
            _ => false,
        }
    }

    /// Whether the subject applies to `user`, a member of `groups`, who is an
    /// administrator when `admin` is true.
    #[must_use]
    pub fn applies_to<S: AsRef<str>>(&self, user: &str, groups: &[S], admin: bool) -> bool {
        if self.is_everyone() {
            return true;
        }
        match (self.kind, self.uuid.as_deref()) {
            (SubjectKind::User, Some(id)) => id == user,
            (SubjectKind::UserGroup, Some(id)) => groups.iter().any(|g| g.as_ref() == id),
            (SubjectKind::AllAdmins, _) => admin,
            _ => false,
        }
    }
}

/// A v3 permission: `{permission_uuid, name, actions, objects, subjects}` plus the server's
/// other fields ([`Metadata`]). It grants each of its actions on each of its objects to
/// each of its subjects.
///
/// # Examples
///
/// ```
/// use scangate::tags::{Permission, PermissionAction, PermissionObject, PermissionSubject};
/// let p = Permission::new("b930505e-bf64-4621-a8bd-6c5eb9c5e628".parse()?, "All Assets [CanScan, CanView]")
///     .with_actions([PermissionAction::CanView, PermissionAction::CanScan])
///     .with_object(PermissionObject::all_assets())
///     .with_subject(PermissionSubject::all_users());
/// assert!(p.grants(PermissionAction::CanScan));
/// assert!(!p.grants(PermissionAction::CanEdit));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Permission {
    uuid: Uuid,
    name: Box<str>,
    actions: Vec<PermissionAction>,
    objects: Vec<PermissionObject>,
    subjects: Vec<PermissionSubject>,
    pub(crate) metadata: Metadata,
}

impl Permission {
    /// A permission with no actions, objects or subjects.
    #[must_use]
    pub fn new(uuid: Uuid, name: &str) -> Permission {
        Permission {
            uuid,
            name: name.into(),
            actions: Vec::new(),
            objects: Vec::new(),
            subjects: Vec::new(),
            metadata: Metadata::default(),
        }
    }

    /// Adds actions.
    #[must_use]
    pub fn with_actions(
        mut self,
        actions: impl IntoIterator<Item = PermissionAction>,
    ) -> Permission {
        self.actions.extend(actions);
        self
    }

    /// Adds an object.
    #[must_use]
    pub fn with_object(mut self, object: PermissionObject) -> Permission {
        self.objects.push(object);
        self
    }

    /// Adds a subject.
    #[must_use]
    pub fn with_subject(mut self, subject: PermissionSubject) -> Permission {
        self.subjects.push(subject);
        self
    }

    /// The permission's uuid.
    #[must_use]
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }

    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The actions, as given.
    #[must_use]
    pub fn actions(&self) -> &[PermissionAction] {
        &self.actions
    }

    /// The objects.
    #[must_use]
    pub fn objects(&self) -> &[PermissionObject] {
        &self.objects
    }

    /// The subjects.
    #[must_use]
    pub fn subjects(&self) -> &[PermissionSubject] {
        &self.subjects
    }

    /// The server's other fields (`created_at`, `created_by`, …).
    #[must_use]
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Whether the permission lists `action` (and the action grants anything).
    #[must_use]
    pub fn grants(&self, action: PermissionAction) -> bool {
        action.grants() && self.actions.contains(&action)
    }

    /// The first subject that applies to the user (see [`PermissionSubject::applies_to`]).
    #[must_use]
    pub fn subject_for<S: AsRef<str>>(
        &self,
        user: &str,
        groups: &[S],
        admin: bool,
    ) -> Option<&PermissionSubject> {
        self.subjects
            .iter()
            .find(|s| s.applies_to(user, groups, admin))
    }
}
