//! An asset filter compiled for one subject and one asset action.

use super::check::Resolved;
use super::decision::Denial;
use super::{Policy, Subject};
use crate::access::Asset;
use crate::policy::action::{Action, ObjectCheck};

/// An asset filter compiled for one subject and one asset action: layers 1 and 2 and the
/// subject's access groups are worked out once, so each row costs only the membership
/// test. It decides exactly as [`Policy::is_allowed`] with [`Resource::Asset`](crate::Resource::Asset).
///
/// ```
/// use scangate::{AccessGroup, Action, Asset, Policy, RoleId, Subject, User};
/// use scangate::access::{AccessGroups, AccessGroupType, AccessPermissions, Principal, Rule};
///
/// let web = AccessGroup::new("Web", AccessGroupType::ManageAssets)
///     .with_id("g1")
///     .with_rule(Rule::parse("fqdn", "ends", [".web.example.com"]).unwrap())
///     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW));
/// let policy = Policy::builder()
///     .access_groups(AccessGroups::from_server([web]))
///     .user(User::new("alice", RoleId::SECURITY_ANALYST))
///     .build()?;
/// let filter = policy.asset_filter(&Subject::user("alice"), Action::ASSET_VIEW);
/// let rows = [
///     Asset::new().with("fqdn", "a.web.example.com").unwrap(),
///     Asset::new().with("fqdn", "db.example.com").unwrap(),
/// ];
/// let visible: Vec<bool> = rows.iter().map(|row| filter.allows(row)).collect();
/// assert_eq!(visible, [true, false]);
/// # Ok::<(), scangate::PolicyError>(())
/// ```
#[derive(Debug)]
pub struct AssetFilter<'a> {
    /// The compiled filter over the groups that grant the subject the permission and take
    /// part in asset questions about it; `None` when layers 1–2 deny, or when the action
    /// checks no asset.
    compiled: Option<crate::access::GroupFilter>,
    /// Why every row is denied, when layers 1–2 (or the subject) deny.
    denial: Option<Denial<'a>>,
}

impl<'a> AssetFilter<'a> {
    /// Whether the subject may perform the action on this asset row.
    #[inline]
    #[must_use]
    pub fn allows(&self, asset: &Asset) -> bool {
        match (&self.denial, &self.compiled) {
            (Some(_), _) => false,
            (None, Some(compiled)) => compiled.allows(asset),
            // No asset check: layers 1–2 allowed every row.
            (None, None) => true,
        }
    }

    /// Why every row is denied, if layers 1–2 (or the subject) deny.
    #[must_use]
    pub fn denial(&self) -> Option<&Denial<'a>> {
        self.denial.as_ref()
    }

    /// Heap bytes held by the compiled filter.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.compiled
            .as_ref()
            .map_or(0, crate::access::GroupFilter::heap_bytes)
    }
}

impl Policy {
    /// An asset filter for `subject` and an asset action (`asset.view`, `asset.scan`,
    /// `issue.read`, … or a host action with an asset check), deciding each row exactly as
    /// [`Policy::is_allowed`] would.
    #[must_use]
    pub fn asset_filter<'a>(&'a self, subject: &Subject<'a>, action: Action) -> AssetFilter<'a> {
        let denied = |denial| AssetFilter {
            compiled: None,
            denial: Some(denial),
        };
        let Some(spec) = self.action_spec(action) else {
            return denied(Denial::UnknownAction);
        };
        let resolved: Resolved<'a> = match self.resolve(subject) {
            Ok(resolved) => resolved,
            Err(denial) => return denied(denial),
        };
        if let Err(denial) = self.subject_layers(spec, &resolved) {
            return denied(denial);
        }
        let ObjectCheck::Asset { permission, .. } = spec.object() else {
            // No asset check: layers 1–2 decide every row. An action whose object is not an
            // asset is refused as with `check`.
            return match spec.object() {
                ObjectCheck::None => AssetFilter {
                    compiled: None,
                    denial: None,
                },
                _ => denied(Denial::MissingResource("not an asset")),
            };
        };
        let Some(user) = resolved.user else {
            return denied(Denial::NoUser);
        };
        let granting = self.granting(&resolved, user, permission, true);
        AssetFilter {
            compiled: Some(self.data.compiled.index.filter(&granting)),
            denial: None,
        }
    }
}
