//! Who is asking: [`Subject`] (borrowed, `Copy`, made per request) and [`OwnedSubject`]
//! (owned, kept by a host between requests).

#[allow(unused_imports)] // doc links
use super::directory::DirectoryUser;
use crate::role::RoleId;
use crate::scope::ScopeSet;

/// Who is asking: a user (of the directory, or described inline), an API key, or an API
/// key acting for a user.
///
/// - [`Subject::user`]: a user of the policy's directory; role and groups come from it.
/// - [`Subject::with_role`] / [`Subject::with_groups`]: give them inline (any principal id,
///   directory or not; inline values take precedence over the directory).
/// - [`Subject::with_scopes`]: the request came with an API key holding these scopes;
///   layer 1 applies. [`Subject::api_key`]: a key with no user (an organization key);
///   a role given to it inline must exist and applies at layer 2 (its groups are ignored).
///
/// ```
/// use scangate::{RoleId, ScopeSet, Subject};
/// let groups = vec!["ops".to_owned()];
/// let key: ScopeSet = "scans:run projects:read".parse().unwrap();
/// let subject = Subject::user("alice").with_role(RoleId::SECURITY_ANALYST).with_groups(&groups).with_scopes(key);
/// assert_eq!(subject.user_id(), Some("alice"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject<'a> {
    pub(crate) user: Option<&'a str>,
    pub(crate) role: Option<RoleId>,
    pub(crate) groups: Option<&'a [String]>,
    pub(crate) scopes: Option<ScopeSet>,
    /// Where the user was found in a directory (set by [`DirectoryUser::subject`]).
    pub(crate) resolution: Option<Resolution>,
}

impl<'a> Subject<'a> {
    /// The user `id`.
    #[must_use]
    pub fn user(id: &'a str) -> Subject<'a> {
        Subject {
            user: Some(id),
            role: None,
            groups: None,
            scopes: None,
            resolution: None,
        }
    }

    /// An API key with no user behind it (an organization key).
    #[must_use]
    pub fn api_key(scopes: ScopeSet) -> Subject<'a> {
        Subject {
            user: None,
            role: None,
            groups: None,
            scopes: Some(scopes),
            resolution: None,
        }
    }

    /// Gives the user's role inline. For an action without an object check the directory
    /// is then not consulted at all (the user's groups play no part), which saves hashing
    /// the user id: the cheapest way to ask role-only questions per request.
    #[must_use]
    pub fn with_role(mut self, role: RoleId) -> Subject<'a> {
        self.role = Some(role);
        self
    }

    /// Gives the user's groups inline.
    #[must_use]
    pub fn with_groups(mut self, groups: &'a [String]) -> Subject<'a> {
        self.groups = Some(groups);
        self
    }

    /// Says the request came with an API key holding `scopes`.
    #[must_use]
    pub fn with_scopes(mut self, scopes: ScopeSet) -> Subject<'a> {
        self.scopes = Some(scopes);
        self
    }

    /// The user id, if any.
    #[must_use]
    pub fn user_id(&self) -> Option<&'a str> {
        self.user
    }

    /// The API key's scopes, if the request came with a key.
    #[must_use]
    pub fn scopes(&self) -> Option<ScopeSet> {
        self.scopes
    }

    /// Remembers where the user was found.
    pub(crate) fn with_resolution(mut self, resolution: Resolution) -> Subject<'a> {
        self.resolution = Some(resolution);
        self
    }

    /// An owned copy of this subject, to store and reuse (it keeps the directory handle's
    /// resolution, if any).
    ///
    /// ```
    /// use scangate::Subject;
    /// use scangate::policy::OwnedSubject;
    /// let stored: OwnedSubject = Subject::user("alice").to_owned_subject();
    /// assert_eq!(stored.subject(), Subject::user("alice"));
    /// ```
    #[must_use]
    pub fn to_owned_subject(&self) -> OwnedSubject {
        OwnedSubject {
            user: self.user.map(Box::from),
            role: self.role,
            groups: self.groups.map(<[String]>::to_vec),
            scopes: self.scopes,
            resolution: self.resolution,
        }
    }
}

/// Where a user was found: the directory (by its number) and the position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Resolution {
    pub(crate) directory: u32,
    pub(crate) index: u32,
}

/// A [`Subject`] that owns its parts, for a host to keep (in a session, a connection, a
/// job) and ask with again and again: [`OwnedSubject::subject`] borrows it as a `Subject`.
/// Made from a [`DirectoryUser`] it keeps the handle's resolution, so the id is not hashed
/// again while the policy's directory stays the same (after a swap it is looked up by id).
///
/// ```
/// use scangate::{Action, Policy, Resource, RoleId, ScopeSet, User};
/// use scangate::policy::OwnedSubject;
/// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
/// let key: ScopeSet = "org:read".parse()?;
/// let stored: OwnedSubject = policy.user("ann").expect("known").subject().with_scopes(key).to_owned_subject();
/// assert!(policy.is_allowed(&stored.subject(), Action::ORG_READ, Resource::None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnedSubject {
    user: Option<Box<str>>,
    role: Option<RoleId>,
    groups: Option<Vec<String>>,
    scopes: Option<ScopeSet>,
    resolution: Option<Resolution>,
}

impl OwnedSubject {
    /// The subject, borrowing this one.
    #[must_use]
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            user: self.user.as_deref(),
            role: self.role,
            groups: self.groups.as_deref(),
            scopes: self.scopes,
            resolution: self.resolution,
        }
    }
}

impl From<Subject<'_>> for OwnedSubject {
    fn from(subject: Subject<'_>) -> OwnedSubject {
        subject.to_owned_subject()
    }
}
