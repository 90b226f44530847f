//! The ordered collection of a container's access groups, with validated create, edit
//! and delete.

use std::sync::Arc;

use super::group::{AccessGroup, AccessGroupType};
use super::validate::{AccessGroupError, AllAssetsPart, Change, MAX_ACCESS_GROUPS};
use crate::role::Role;

/// Who asks for an access-group change: only an administrator may create, edit or delete
/// access groups (`docs/semantics.md`, "Create, edit, delete").
///
/// ```
/// use scangate::access::Requester;
/// use scangate::{Role, RoleId};
/// let admin = Role::builtin(RoleId::ADMINISTRATOR).unwrap();
/// assert_eq!(Requester::of(&admin), Requester::Administrator);
/// let auditor = Role::builtin(RoleId::AUDITOR).unwrap();
/// assert_eq!(Requester::of(&auditor), Requester::Other);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Requester {
    /// An administrator (a user whose role is the Administrator role).
    Administrator,
    /// Anyone else: every change is `forbidden`.
    Other,
}

impl Requester {
    /// The requester holding `role`.
    #[must_use]
    pub fn of(role: &Role) -> Requester {
        Requester::of_role(Some(role))
    }

    /// The requester holding `role`, if any (no role: [`Requester::Other`]).
    pub(crate) fn of_role(role: Option<&Role>) -> Requester {
        if role.is_some_and(Role::is_administrator) {
            Requester::Administrator
        } else {
            Requester::Other
        }
    }
}

/// The access groups of one container, in order. Cheap to clone (groups are shared).
///
/// [`AccessGroups::from_server`] accepts groups read back from a server as they are;
/// [`create`](AccessGroups::create), [`edit`](AccessGroups::edit) and
/// [`delete`](AccessGroups::delete) enforce the API's rules and return a new collection,
/// leaving `self` untouched.
///
/// Checks run in this order: `forbidden` (403), unknown id (404), the All Assets and
/// `protected` rules, [`AccessGroup::validate`], `max_entries`, duplicate id, `duplicate`
/// name.
///
/// # Examples
///
/// ```
/// use scangate::access::{AccessGroupType, AccessGroups, Requester, Rule};
/// use scangate::AccessGroup;
/// let groups = AccessGroups::from_server([AccessGroup::all_assets_group("aa")]);
/// let draft = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
///     .with_id("g1")
///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap());
/// let groups2 = groups.create(Requester::Administrator, draft.clone())?;
/// assert_eq!(groups2.len(), 2);
/// assert_eq!(groups.len(), 1); // untouched
/// let err = groups2.create(Requester::Administrator, draft.with_id("g2").with_name("LAB")).unwrap_err();
/// assert_eq!(err.code(), Some("duplicate"));
/// # Ok::<(), scangate::AccessGroupError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessGroups {
    groups: Vec<Arc<AccessGroup>>,
}

/// Case-insensitive name equality (Unicode lowercase, allocation-free).
fn same_name(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

impl AccessGroups {
    /// No groups.
    #[must_use]
    pub fn new() -> AccessGroups {
        AccessGroups::default()
    }

    /// The groups as a server returned them, accepted as they are (no limits, names or
    /// uniqueness checked).
    #[must_use]
    pub fn from_server<I: IntoIterator<Item = AccessGroup>>(groups: I) -> AccessGroups {
        AccessGroups {
            groups: groups.into_iter().map(Arc::new).collect(),
        }
    }

    /// The number of groups.
    #[must_use]
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there is no group.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The groups, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &AccessGroup> + '_ {
        self.groups.iter().map(|g| &**g)
    }

    /// The group at `position` (the order of [`AccessGroups::iter`], which the
    /// [`GroupIndex`](crate::access::GroupIndex) numbers groups by).
    #[must_use]
    pub fn at(&self, position: usize) -> Option<&AccessGroup> {
        self.groups.get(position).map(|g| &**g)
    }

    /// The first group with id `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&AccessGroup> {
        self.iter().find(|g| g.id() == Some(id))
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id() == Some(id))
    }

    /// The position and the group of the first group with id `id`.
    fn find(&self, id: &str) -> Option<(usize, &AccessGroup)> {
        self.iter().enumerate().find(|(_, g)| g.id() == Some(id))
    }

    fn check_unique_name(&self, name: &str, except: Option<usize>) -> Result<(), AccessGroupError> {
        if let Some(existing) = self
            .groups
            .iter()
            .enumerate()
            .find(|(i, g)| Some(*i) != except && same_name(g.name(), name))
        {
            return Err(AccessGroupError::Duplicate {
                group: crate::text::echo(name),
                existing: crate::text::echo(existing.1.name()),
            });
        }
        Ok(())
    }

    /// Creates `draft` (`POST /access-groups`). The draft must carry its id; principals
    /// not listed become an empty list.
    ///
    /// # Errors
    ///
    /// [`AccessGroupError::Forbidden`] unless the requester is [`Requester::Administrator`];
    /// [`AccessGroupError::Protected`] for `all_assets: true` or type `ALL`; the errors of
    /// [`AccessGroup::validate`]; [`AccessGroupError::MaxEntries`] when 5,000 groups
    /// exist; [`AccessGroupError::MissingId`] / [`AccessGroupError::DuplicateId`];
    /// [`AccessGroupError::Duplicate`] for a name already used (case-insensitively).
    pub fn create(
        &self,
        requester: Requester,
        mut draft: AccessGroup,
    ) -> Result<AccessGroups, AccessGroupError> {
        self.validate_create(requester, &draft)?;
        draft.principals.get_or_insert_with(Vec::new);
        let mut groups = self.groups.clone();
        groups.push(Arc::new(draft));
        Ok(AccessGroups { groups })
    }

    /// The rules of [`AccessGroups::create`], in its order, checked against the groups as
    /// they are: `check` of `access_group.create` asks this and builds nothing
    /// (docs/semantics.md, "Checking a change").
    pub(crate) fn validate_create(
        &self,
        requester: Requester,
        draft: &AccessGroup,
    ) -> Result<(), AccessGroupError> {
        if requester != Requester::Administrator {
            return Err(AccessGroupError::Forbidden {
                group: crate::text::echo(draft.name()),
                change: Change::Create,
            });
        }
        if draft.all_assets() || draft.group_type() == AccessGroupType::All {
            return Err(AccessGroupError::Protected {
                group: crate::text::echo(draft.name()),
            });
        }
        draft.validate()?;
        if self.groups.len() >= MAX_ACCESS_GROUPS {
            return Err(AccessGroupError::MaxEntries {
                group: crate::text::echo(draft.name()),
            });
        }
        let Some(id) = draft.id() else {
            return Err(AccessGroupError::MissingId {
                group: crate::text::echo(draft.name()),
            });
        };
        if self.position(id).is_some() {
            return Err(AccessGroupError::DuplicateId {
                group: crate::text::echo(draft.name()),
                id: crate::text::echo(id),
            });
        }
        self.check_unique_name(draft.name(), None)
    }

    /// Replaces group `id` with `draft` (`PUT /access-groups/{id}`, a full overwrite).
    /// The group keeps its id and its server metadata. Principals not listed in the draft
    /// become an empty list, except for the All Assets group, which keeps its principals.
    /// Of the All Assets group only the principals (and `all_users`) can change.
    ///
    /// # Errors
    ///
    /// [`AccessGroupError::Forbidden`], [`AccessGroupError::NotFound`];
    /// for the All Assets group [`AccessGroupError::AllAssetsFixed`] (name, type,
    /// `all_assets`) and [`AccessGroupError::RulesWithAllAssets`]; for other groups
    /// [`AccessGroupError::Protected`] for `all_assets: true` or type `ALL`; then the
    /// errors of [`AccessGroup::validate`] and [`AccessGroupError::Duplicate`].
    pub fn edit(
        &self,
        requester: Requester,
        id: &str,
        mut draft: AccessGroup,
    ) -> Result<AccessGroups, AccessGroupError> {
        let (at, old) = self.validate_edit(requester, id, &draft)?;
        if draft.principals.is_none() {
            if old.all_assets() {
                draft.principals.clone_from(&old.principals);
            } else {
                draft.principals = Some(Vec::new());
            }
        }
        draft.id = old.id.clone();
        draft.metadata = old.metadata.clone();
        let mut groups = self.groups.clone();
        if let Some(slot) = groups.get_mut(at) {
            *slot = Arc::new(draft);
        }
        Ok(AccessGroups { groups })
    }

    /// The rules of [`AccessGroups::edit`], in its order, checked against the groups as they
    /// are; the position and the group edited when they pass. `check` of
    /// `access_group.edit` asks this and builds nothing (docs/semantics.md, "Checking a
    /// change").
    pub(crate) fn validate_edit(
        &self,
        requester: Requester,
        id: &str,
        draft: &AccessGroup,
    ) -> Result<(usize, &AccessGroup), AccessGroupError> {
        if requester != Requester::Administrator {
            return Err(AccessGroupError::Forbidden {
                group: crate::text::echo(id),
                change: Change::Edit,
            });
        }
        let Some((at, old)) = self.find(id) else {
            return Err(AccessGroupError::NotFound {
                id: crate::text::echo(id),
            });
        };
        let fixed = |part| AccessGroupError::AllAssetsFixed {
            group: crate::text::echo(old.name()),
            part,
        };
        // The principals the edited group would have: the All Assets group keeps its own
        // when the draft lists none; any other group gets an empty list.
        let mut principals = draft.principals();
        if old.all_assets() {
            if draft.name() != old.name() {
                return Err(fixed(AllAssetsPart::Name));
            }
            if !draft.all_assets() {
                return Err(fixed(AllAssetsPart::AllAssetsFlag));
            }
            if draft.group_type() != old.group_type() {
                return Err(fixed(AllAssetsPart::Type));
            }
            if draft.principals.is_none() {
                principals = old.principals();
            }
        } else if draft.all_assets() || draft.group_type() == AccessGroupType::All {
            return Err(AccessGroupError::Protected {
                group: crate::text::echo(draft.name()),
            });
        }
        draft.validate_with_principals(principals)?;
        self.check_unique_name(draft.name(), Some(at))?;
        Ok((at, old))
    }

    /// Deletes group `id` (`DELETE /access-groups/{id}`).
    ///
    /// # Errors
    ///
    /// [`AccessGroupError::Forbidden`], [`AccessGroupError::NotFound`] (also for a second
    /// delete of the same id), [`AccessGroupError::AllAssetsFixed`] for the All Assets
    /// group.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{AccessGroupType, AccessGroups, Requester};
    /// use scangate::AccessGroup;
    /// let groups = AccessGroups::from_server([
    ///     AccessGroup::new("Lab", AccessGroupType::ScanTargets).with_id("g1"),
    /// ]);
    /// let after = groups.delete(Requester::Administrator, "g1")?;
    /// assert_eq!(after.delete(Requester::Administrator, "g1").unwrap_err().http_status(), 404);
    /// # Ok::<(), scangate::AccessGroupError>(())
    /// ```
    pub fn delete(&self, requester: Requester, id: &str) -> Result<AccessGroups, AccessGroupError> {
        let at = self.validate_delete(requester, id)?;
        let mut groups = self.groups.clone();
        groups.remove(at);
        Ok(AccessGroups { groups })
    }

    /// The rules of [`AccessGroups::delete`], checked against the groups as they are; the
    /// position of the group when they pass. `check` of `access_group.delete` asks this and
    /// builds nothing (docs/semantics.md, "Checking a change").
    pub(crate) fn validate_delete(
        &self,
        requester: Requester,
        id: &str,
    ) -> Result<usize, AccessGroupError> {
        if requester != Requester::Administrator {
            return Err(AccessGroupError::Forbidden {
                group: crate::text::echo(id),
                change: Change::Delete,
            });
        }
        let Some((at, old)) = self.find(id) else {
            return Err(AccessGroupError::NotFound {
                id: crate::text::echo(id),
            });
        };
        if old.all_assets() {
            return Err(AccessGroupError::AllAssetsFixed {
                group: crate::text::echo(old.name()),
                part: AllAssetsPart::Existence,
            });
        }
        Ok(at)
    }
}

impl FromIterator<AccessGroup> for AccessGroups {
    fn from_iter<I: IntoIterator<Item = AccessGroup>>(iter: I) -> Self {
        AccessGroups::from_server(iter)
    }
}
