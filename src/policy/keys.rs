//! API-key creation (`docs/semantics.md`, "The engine", creating API keys): a user may give a
//! key only the scopes their own role could exercise; asking for more is an error naming the
//! excess.

use super::decision::Denial;
use super::{Policy, PolicyError, Subject};
use crate::scope::{Scope, ScopeSet};

impl Policy {
    /// The scopes `owner` may put on a new API key: a scope qualifies when some action of
    /// the catalogue requires each scope it grants (itself or by implication) and the
    /// owner's role holds every permission of that action. So an Auditor may delegate
    /// `scans:read` but not `scans:run` (which only `permScan` roles can exercise), nor
    /// `scans`, which implies it.
    ///
    /// # Errors
    ///
    /// The [`Denial`] when the owner does not resolve to a user with a role.
    ///
    /// ```
    /// use scangate::{Policy, RoleId, Scope, Subject, User};
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
    /// let delegable = policy.delegable_scopes(&Subject::user("ann")).unwrap();
    /// assert!(delegable.contains(Scope::ScansRead));
    /// assert!(!delegable.contains(Scope::ScansRun));
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    pub fn delegable_scopes<'a>(&'a self, owner: &Subject<'a>) -> Result<ScopeSet, Denial<'a>> {
        if owner.user_id().is_none() {
            return Err(Denial::NoRole);
        }
        // The owner's own reach: the key being checked is not part of it.
        let resolved = self.resolve(&Subject {
            scopes: None,
            ..*owner
        })?;
        if resolved.role.is_none() {
            return Err(Denial::NoRole);
        }
        // The scopes some action the owner's role may perform requires.
        let mut exercisable = ScopeSet::EMPTY;
        for (_, spec) in self.actions() {
            if self.subject_layers(spec, &resolved).is_ok() {
                exercisable = exercisable.union(spec.scopes());
            }
        }
        let required_anywhere = self
            .actions()
            .fold(ScopeSet::EMPTY, |acc, (_, spec)| acc.union(spec.scopes()));
        Ok(Scope::ALL
            .iter()
            .copied()
            .filter(|scope| {
                let used: Vec<Scope> = ScopeSet::of(&[*scope])
                    .effective()
                    .iter()
                    .filter(|t| required_anywhere.contains(*t))
                    .collect();
                !used.is_empty() && used.iter().all(|t| exercisable.contains(*t))
            })
            .collect())
    }

    /// Checks the scopes asked for a new API key owned by `owner`.
    ///
    /// # Errors
    ///
    /// [`PolicyError::KeyScopes`] naming the scopes beyond the owner's role;
    /// [`PolicyError::Denied`] when the owner does not resolve to a user with a role.
    ///
    /// ```
    /// use scangate::{Policy, RoleId, Subject, User};
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
    /// let error = policy.check_new_key(&Subject::user("ann"), "scans:read scans:run".parse().unwrap()).unwrap_err();
    /// assert_eq!(error.to_string(), "role `Auditor` cannot exercise `scans:run`, so a key of `ann` may not hold it");
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    pub fn check_new_key(
        &self,
        owner: &Subject<'_>,
        requested: ScopeSet,
    ) -> Result<(), PolicyError> {
        let delegable = self
            .delegable_scopes(owner)
            .map_err(|denial| PolicyError::Denied {
                action: None,
                layer: denial.layer(),
                reason: denial.to_string(),
            })?;
        let excess: ScopeSet = requested
            .iter()
            .filter(|scope| !delegable.contains(*scope))
            .collect();
        if excess.is_empty() {
            return Ok(());
        }
        let role = self
            .resolve(owner)
            .ok()
            .and_then(|r| r.role)
            .map_or_else(String::new, |role| crate::text::echo(role.name()));
        Err(PolicyError::KeyScopes {
            owner: crate::text::echo(owner.user_id().unwrap_or_default()),
            role,
            excess,
        })
    }
}
