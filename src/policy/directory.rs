//! The user directory: users, each with the access groups that grant them each
//! permission (worked out when the policy is built), looked up by id once per request, and
//! the handle a host keeps so that it is not looked up again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use super::Compiled;
use super::subject::{Resolution, Subject};
use crate::access::GroupSet;
use crate::role::RoleId;
use crate::tags::index::{TagGrants, TagIndex};

/// A user of the host's directory: an id, a role and the user groups they belong to.
///
/// ```
/// use scangate::{RoleId, User};
/// let alice = User::new("alice", RoleId::SECURITY_ANALYST).with_groups(["ops"]);
/// assert_eq!(alice.groups(), ["ops"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub(crate) id: String,
    pub(crate) role: RoleId,
    pub(crate) groups: Vec<String>,
}

impl User {
    /// A user with a role and no groups.
    #[must_use]
    pub fn new(id: impl Into<String>, role: RoleId) -> User {
        User {
            id: id.into(),
            role,
            groups: Vec::new(),
        }
    }

    /// Sets the user groups (ids) the user belongs to.
    #[must_use]
    pub fn with_groups<I, S>(mut self, groups: I) -> User
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.groups = groups.into_iter().map(Into::into).collect();
        self
    }

    /// The user's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The user's role.
    #[must_use]
    pub fn role(&self) -> RoleId {
        self.role
    }

    /// The user groups the user belongs to.
    #[must_use]
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
}

/// A directory user with the access groups that grant them each permission, worked out
/// when the policy is built so that a per-row decision only looks them up.
#[derive(Debug)]
pub(crate) struct DirectoryEntry {
    pub(crate) user: User,
    /// Asset-holding groups granting `CAN_VIEW`.
    pub(crate) view_assets: GroupSet,
    /// Groups of any type granting `CAN_SCAN` (for scan targets and assets alike).
    pub(crate) scan: GroupSet,
    /// What the v3 permissions grant the user (with the directory's role and groups).
    pub(crate) tags: TagGrants,
}

/// Directories are numbered as they are built, so that a [`Resolution`] made against one
/// is not taken for a position in another. The number wraps after 2^32 directories; a
/// resolution is used only when the entry it points to also has the subject's id, so even
/// then it can only ever find the same user (in the directory it is checked against).
static DIRECTORIES: AtomicU32 = AtomicU32::new(1);

/// The users of a policy, in the order given, with an index by id.
///
/// The index hashes ids with the standard library's keyed SipHash: user ids can come from
/// self-service sign-up or SCIM, and an unkeyed hash would let chosen ids slow every
/// lookup. Hosts that ask many questions per request resolve the user once
/// ([`Policy::user`](super::Policy::user)) and pass the handle.
#[derive(Debug)]
pub(crate) struct Directory {
    /// This directory's number (see [`DIRECTORIES`]).
    generation: u32,
    entries: Vec<DirectoryEntry>,
    by_id: HashMap<String, u32>,
}

impl Directory {
    /// The directory of `users` (ids already checked to be distinct), with each user's
    /// granting sets over the compiled groups.
    pub(crate) fn new(users: Vec<User>, compiled: &Compiled, control: &TagIndex) -> Directory {
        let by_id = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Directory {
            generation: DIRECTORIES.fetch_add(1, Ordering::Relaxed),
            entries: users
                .into_iter()
                .map(|u| compiled.entry(u, control))
                .collect(),
            by_id,
        }
    }

    /// The entry of user `id`.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<&DirectoryEntry> {
        let at = *self.by_id.get(id)?;
        self.entries.get(at as usize)
    }

    /// The entry a resolution made against this directory points to.
    #[inline]
    pub(crate) fn resolved(&self, resolution: Resolution) -> Option<&DirectoryEntry> {
        if resolution.directory != self.generation {
            return None;
        }
        self.entries.get(resolution.index as usize)
    }

    /// The handle of user `id`.
    pub(crate) fn handle(&self, id: &str) -> Option<DirectoryUser<'_>> {
        let index = *self.by_id.get(id)?;
        let entry = self.entries.get(index as usize)?;
        Some(DirectoryUser {
            entry,
            resolution: Resolution {
                directory: self.generation,
                index,
            },
        })
    }

    /// The users, in the order given.
    pub(crate) fn users(&self) -> impl Iterator<Item = &User> {
        self.entries.iter().map(|e| &e.user)
    }
}

/// A user of a policy's directory, looked up once: the handle a host resolves at the start
/// of a request ([`Policy::user`](super::Policy::user)) and turns into a [`Subject`] for as
/// many checks as the request makes, without hashing the id again. `Copy`.
///
/// A subject made from it remembers which directory it came from: checked against a policy
/// whose directory is another (a newer version swapped in meanwhile), it is looked up by id
/// there, so it is never taken for someone else.
///
/// # Examples
///
/// ```
/// use scangate::{Action, Policy, Resource, RoleId, User};
/// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
/// let ann = policy.user("ann").expect("in the directory");
/// assert_eq!(ann.role(), RoleId::AUDITOR);
/// let subject = ann.subject();
/// assert!(policy.is_allowed(&subject, Action::ORG_LOG_VIEW, Resource::None));
/// assert!(!policy.is_allowed(&subject, Action::TICKET_CREATE, Resource::None));
/// assert!(policy.user("nobody").is_none());
/// # Ok::<(), scangate::PolicyError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DirectoryUser<'p> {
    entry: &'p DirectoryEntry,
    resolution: Resolution,
}

impl<'p> DirectoryUser<'p> {
    /// The user.
    #[must_use]
    pub fn user(&self) -> &'p User {
        &self.entry.user
    }

    /// The user's id.
    #[must_use]
    pub fn id(&self) -> &'p str {
        &self.entry.user.id
    }

    /// The user's role.
    #[must_use]
    pub fn role(&self) -> RoleId {
        self.entry.user.role
    }

    /// The user groups the user belongs to.
    #[must_use]
    pub fn groups(&self) -> &'p [String] {
        &self.entry.user.groups
    }

    /// The subject this user stands for: role and groups from the directory. Add
    /// [`Subject::with_scopes`] for a request made with the user's API key.
    #[must_use]
    pub fn subject(self) -> Subject<'p> {
        Subject::user(self.id()).with_resolution(self.resolution)
    }
}

impl<'p> From<DirectoryUser<'p>> for Subject<'p> {
    fn from(user: DirectoryUser<'p>) -> Subject<'p> {
        user.subject()
    }
}

impl PartialEq for DirectoryUser<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.resolution == other.resolution
    }
}

impl Eq for DirectoryUser<'_> {}
