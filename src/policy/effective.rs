//! Everything a subject holds, for a UI (`docs/semantics.md`, the engine).

use super::decision::Denial;
use super::{Policy, Subject};
use crate::policy::action::Action;
use crate::role::permission::Permissions;
use crate::scope::ScopeSet;

/// Everything a subject holds, for a UI: the scopes after implication, the role's
/// permissions and the actions that pass layers 1 and 2 (the object check of an action
/// depends on the resource, so it is not part of this list).
///
/// The list is an upper bound for layer 3 of both models alike: an action with an object
/// check (`asset.view`, `asset.scan`, `issue.*`, `scan.run`, `tag.edit`, `tag.use`, …) is
/// listed when layers 1 and 2 pass, whether or not an access group or a v3 permission
/// grants the subject anything; whatever `check` allows on some resource is listed
/// (`docs/semantics.md`, "Beyond `check`").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The API key's scopes after implication (`None` when the request has no key).
    pub scopes: Option<ScopeSet>,
    /// The role's permissions (empty when the subject has no role).
    pub permissions: Permissions,
    /// The actions that pass layers 1 and 2, in catalogue order.
    pub actions: Vec<Action>,
}

impl Policy {
    /// What `subject` holds: scopes after implication, role permissions, and every action
    /// that passes layers 1 and 2 (see [`Effective`]: object checks, access groups and v3
    /// permissions alike, are not part of it).
    ///
    /// # Errors
    ///
    /// The [`Denial`] when the subject does not resolve (unknown user or role, nobody).
    ///
    /// ```
    /// use scangate::{Action, Policy, RoleId, Subject, User};
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
    /// let effective = policy.effective(&Subject::user("ann")).unwrap();
    /// assert!(effective.actions.contains(&Action::ORG_LOG_VIEW));
    /// assert!(!effective.actions.contains(&Action::TICKET_CREATE));
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    pub fn effective<'a>(&'a self, subject: &Subject<'a>) -> Result<Effective, Denial<'a>> {
        let resolved = self.resolve(subject)?;
        let actions = self
            .actions()
            .filter(|(_, spec)| self.subject_layers(spec, &resolved).is_ok())
            .map(|(action, _)| action)
            .collect();
        Ok(Effective {
            scopes: resolved.scopes.map(ScopeSet::effective),
            permissions: resolved
                .role
                .map(|role| role.permissions())
                .unwrap_or_default(),
            actions,
        })
    }
}
