//! Role and access-group changes (`docs/semantics.md`, "The engine"): each is checked like the
//! matching action (layers 1 and 2 for the subject), then validated by the role or access-group
//! rules, and returns a new [`Policy`] or the precise error. A rejected change leaves the old
//! policy untouched; an accepted one shares everything it did not change.

use super::decision::Layer;
use super::{Policy, PolicyData, PolicyError, Resource, Subject, User};
use crate::access::{AccessGroup, AccessGroups, Requester};
use crate::policy::action::Action;
use crate::role::{Role, RoleCatalog, RoleDraft, RoleId, RolePatch};
use std::sync::Arc;

impl Policy {
    /// The requester's role after layers 1 and 2 of `action` allowed the subject.
    fn requester<'a>(
        &'a self,
        subject: &Subject<'a>,
        action: Action,
    ) -> Result<Option<&'a Role>, PolicyError> {
        let decision = self.check(subject, action, Resource::None);
        if let Some(layer) = decision.denied_by() {
            return Err(PolicyError::Denied {
                action: Some(action),
                layer,
                reason: decision.to_string(),
            });
        }
        Ok(self
            .resolve(subject)
            .ok()
            .and_then(|resolved| resolved.role))
    }

    fn requester_role<'a>(
        &'a self,
        subject: &Subject<'a>,
        action: Action,
    ) -> Result<&'a Role, PolicyError> {
        self.requester(subject, action)?
            .ok_or_else(|| PolicyError::Denied {
                action: Some(action),
                // As a check denies a role change without the requester's role.
                layer: Layer::Object,
                reason: format!("`{action}` needs a requester with a role"),
            })
    }

    /// A policy with some parts replaced; the others (and whatever was compiled from them)
    /// are shared with `self`.
    fn with(
        &self,
        roles: Option<RoleCatalog>,
        groups: Option<AccessGroups>,
        users: Option<Vec<User>>,
    ) -> Policy {
        let data = &self.data;
        let roles = roles.unwrap_or_else(|| data.roles.clone());
        let actions = data.actions.clone();
        let Some(groups) = groups else {
            let Some(users) = users else {
                return Policy::from_data(PolicyData {
                    roles,
                    groups: data.groups.clone(),
                    compiled: Arc::clone(&data.compiled),
                    control: Arc::clone(&data.control),
                    users: Arc::clone(&data.users),
                    actions,
                });
            };
            return Policy::from_data(PolicyData::with_compiled(
                roles,
                data.groups.clone(),
                Arc::clone(&data.compiled),
                Arc::clone(&data.control),
                users,
                actions,
            ));
        };
        let users = users.unwrap_or_else(|| self.users().cloned().collect());
        Policy::from_data(PolicyData::new(
            roles,
            groups,
            Arc::clone(&data.control),
            users,
            actions,
        ))
    }

    /// Creates a role (`role.create`), returning the new policy and the role's id.
    ///
    /// # Errors
    ///
    /// [`PolicyError::Denied`] when layers 1–2 refuse the subject; [`PolicyError::Role`] for
    /// the role rules (no `permManageApp`, no escalation, names).
    ///
    /// ```
    /// use scangate::{Permissions, Policy, PolicyError, RoleError, RoleId, Subject, User};
    /// use scangate::role::RoleDraft;
    /// let policy = Policy::builder().user(User::new("sam", RoleId::SECURITY_MANAGER)).build()?;
    /// let sam = Subject::user("sam");
    /// let (policy, id) = policy.create_role(&sam, RoleDraft::new("Tickets").with_permissions(Permissions::CREATE_TICKETS))?;
    /// assert_eq!(policy.roles().get(id).unwrap().name(), "Tickets");
    /// let error = policy.create_role(&sam, RoleDraft::new("ACR").with_permissions(Permissions::MANAGE_ACR)).unwrap_err();
    /// assert!(matches!(error, PolicyError::Role(RoleError::Escalation { .. })));
    /// # Ok::<(), PolicyError>(())
    /// ```
    pub fn create_role(
        &self,
        subject: &Subject<'_>,
        draft: RoleDraft,
    ) -> Result<(Policy, RoleId), PolicyError> {
        let requester = self.requester_role(subject, Action::ROLE_CREATE)?;
        let (roles, id) = self.data.roles.create(requester.id(), draft)?;
        Ok((self.with(Some(roles), None, None), id))
    }

    /// Edits a role (`role.edit`): only the fields the patch names change.
    ///
    /// # Errors
    ///
    /// As [`Policy::create_role`], plus immutable and unknown roles.
    pub fn edit_role(
        &self,
        subject: &Subject<'_>,
        id: RoleId,
        patch: &RolePatch,
    ) -> Result<Policy, PolicyError> {
        let requester = self.requester_role(subject, Action::ROLE_EDIT)?;
        let roles = self.data.roles.edit(requester.id(), id, patch)?;
        Ok(self.with(Some(roles), None, None))
    }

    /// Deletes a role (`role.delete`); its users fall back to No Role (id 0). Returns the
    /// new policy and the ids of the users moved.
    ///
    /// # Errors
    ///
    /// As [`Policy::edit_role`].
    ///
    /// ```
    /// use scangate::{Policy, RoleId, Subject, User};
    /// let policy = Policy::builder()
    ///     .user(User::new("root", RoleId::ADMINISTRATOR))
    ///     .user(User::new("ann", RoleId::AUDITOR))
    ///     .build()?;
    /// let (policy, moved) = policy.delete_role(&Subject::user("root"), RoleId::AUDITOR)?;
    /// assert_eq!(moved, ["ann"]);
    /// assert_eq!(policy.user("ann").unwrap().role(), RoleId::NO_ROLE);
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    pub fn delete_role(
        &self,
        subject: &Subject<'_>,
        id: RoleId,
    ) -> Result<(Policy, Vec<String>), PolicyError> {
        let requester = self.requester_role(subject, Action::ROLE_DELETE)?;
        let holders = self.users().map(|user| (user.id(), user.role()));
        let (roles, moved) = self.data.roles.delete(requester.id(), id, holders)?;
        let moved: Vec<String> = moved.into_iter().map(str::to_owned).collect();
        let users = self
            .users()
            .map(|user| {
                let mut user = user.clone();
                if user.role == id {
                    user.role = RoleId::NO_ROLE;
                }
                user
            })
            .collect();
        Ok((self.with(Some(roles), None, Some(users)), moved))
    }

    fn group_requester(
        &self,
        subject: &Subject<'_>,
        action: Action,
    ) -> Result<Requester, PolicyError> {
        Ok(Requester::of_role(self.requester(subject, action)?))
    }

    /// Creates an access group (`access_group.create`; the Administrator only).
    ///
    /// # Errors
    ///
    /// [`PolicyError::Denied`] when layers 1–2 refuse the subject;
    /// [`PolicyError::AccessGroup`] with the API's codes (`forbidden`, `protected`,
    /// `max_entries`, `duplicate`) and the validation errors.
    pub fn create_access_group(
        &self,
        subject: &Subject<'_>,
        group: AccessGroup,
    ) -> Result<Policy, PolicyError> {
        let admin = self.group_requester(subject, Action::ACCESS_GROUP_CREATE)?;
        let groups = self.data.groups.create(admin, group)?;
        Ok(self.with(None, Some(groups), None))
    }

    /// Replaces the access group with the draft's id (`access_group.edit`).
    ///
    /// # Errors
    ///
    /// As [`Policy::create_access_group`], plus a draft without an id
    /// ([`PolicyError::Denied`]) and unknown groups.
    pub fn edit_access_group(
        &self,
        subject: &Subject<'_>,
        group: AccessGroup,
    ) -> Result<Policy, PolicyError> {
        let admin = self.group_requester(subject, Action::ACCESS_GROUP_EDIT)?;
        let Some(id) = group.id().map(str::to_owned) else {
            return Err(PolicyError::Denied {
                action: Some(Action::ACCESS_GROUP_EDIT),
                // As a check denies an edit whose draft has no id.
                layer: Layer::Object,
                reason: "an access group to edit needs its id".to_owned(),
            });
        };
        let groups = self.data.groups.edit(admin, &id, group)?;
        Ok(self.with(None, Some(groups), None))
    }

    /// Deletes an access group (`access_group.delete`).
    ///
    /// # Errors
    ///
    /// As [`Policy::create_access_group`], plus unknown groups and the All Assets group.
    pub fn delete_access_group(
        &self,
        subject: &Subject<'_>,
        id: &str,
    ) -> Result<Policy, PolicyError> {
        let admin = self.group_requester(subject, Action::ACCESS_GROUP_DELETE)?;
        let groups = self.data.groups.delete(admin, id)?;
        Ok(self.with(None, Some(groups), None))
    }
}
