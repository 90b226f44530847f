//! An asset filter compiled for one subject and one asset action.

use super::check::Resolved;
use super::decision::Denial;
use super::{Policy, Subject};
use crate::access::Asset;
use crate::policy::action::{Action, ObjectCheck};
use crate::tags::PermissionAction;
use crate::tags::index::GrantedTags;

/// An asset filter compiled for one subject and one asset action: layers 1 and 2, the
/// subject's access groups and the tags its v3 permissions grant are worked out once, so
/// each row costs only the membership tests (the granted groups' keys, then the asset's
/// `tag_uuid` values and the keys of the granted dynamic tags). It decides exactly as [`Policy::is_allowed`] with [`Resource::Asset`](crate::Resource::Asset).
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
    /// What decides a row when layers 1–2 allow; unused when `denial` is set.
    rows: Rows<'a>,
    /// Why every row is denied, when layers 1–2 (or the subject) deny.
    denial: Option<Denial<'a>>,
}

/// How an asset filter decides a row once layers 1–2 allowed.
#[derive(Debug)]
enum Rows<'a> {
    /// Every row: the action checks no asset, or a v3 permission covers every asset.
    All,
    /// A row is allowed when a granted access group contains it or it carries a tag a v3
    /// permission grants the subject the action on (`docs/semantics.md`, "Layer 3 v3:
    /// permissions and tags"); `tags` is `None` when no permission grants any tag.
    Checked {
        /// The compiled filter over the groups that grant the subject the permission and
        /// take part in asset questions about it.
        groups: crate::access::GroupFilter,
        /// Boxed: the filter index is large beside the other variant.
        tags: Option<Box<GrantedTags<'a>>>,
    },
}

impl<'a> AssetFilter<'a> {
    /// Whether the subject may perform the action on this asset row.
    #[inline]
    #[must_use]
    pub fn allows(&self, asset: &Asset) -> bool {
        if self.denial.is_some() {
            return false;
        }
        match &self.rows {
            Rows::All => true,
            Rows::Checked { groups, tags } => {
                groups.allows(asset) || tags.as_ref().is_some_and(|tags| tags.carries(asset))
            }
        }
    }

    /// Why every row is denied, if layers 1–2 (or the subject) deny.
    #[must_use]
    pub fn denial(&self) -> Option<&Denial<'a>> {
        self.denial.as_ref()
    }

    /// Heap bytes held by the compiled filter (the access groups' part and the granted
    /// tags' filter index).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        match &self.rows {
            Rows::All => 0,
            Rows::Checked { groups, tags } => {
                groups.heap_bytes()
                    + tags
                        .as_ref()
                        .map_or(0, |t| size_of::<GrantedTags<'_>>() + t.heap_bytes())
            }
        }
    }
}

impl Policy {
    /// An asset filter for `subject` and an asset action (`asset.view`, `asset.scan`,
    /// `issue.read`, … or a host action with an asset check), deciding each row exactly as
    /// [`Policy::is_allowed`] would.
    #[must_use]
    pub fn asset_filter<'a>(&'a self, subject: &Subject<'a>, action: Action) -> AssetFilter<'a> {
        let denied = |denial| AssetFilter {
            rows: Rows::All,
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
                    rows: Rows::All,
                    denial: None,
                },
                _ => denied(Denial::MissingResource("not an asset")),
            };
        };
        let Some(user) = resolved.user else {
            return denied(Denial::NoUser);
        };
        // The v3 part first: a permission covering every asset makes the groups moot.
        let control = &self.data.control;
        let tags = if control.is_inert() {
            None
        } else {
            let grants = self.tag_grants(&resolved, user);
            match grants.get(PermissionAction::on_assets(permission)) {
                Some(grant) if grant.all.is_some() => {
                    return AssetFilter {
                        rows: Rows::All,
                        denial: None,
                    };
                }
                Some(grant) if !grant.tags.is_empty() => {
                    Some(Box::new(control.granted(&grant.tags)))
                }
                _ => None,
            }
        };
        let granting = self.granting(&resolved, user, permission, true);
        AssetFilter {
            rows: Rows::Checked {
                groups: self.data.compiled.index.filter(&granting),
                tags,
            },
            denial: None,
        }
    }
}
