//! What the engine offers beyond `check` (SPEC §6): effective permissions, `who_can`, an
//! asset filter compiled for one subject, and scan-target partitioning.

use super::check::Resolved;
use super::decision::Denial;
use super::{Policy, Resource, Subject};
use crate::access::{AccessGroup, AccessPermissions, Asset, Grant, Membership, Principal, Target};
use crate::action::{Action, ObjectCheck};
use crate::permission::Permissions;
use crate::scope::ScopeSet;

/// Everything a subject holds, for a UI: the scopes after implication, the role's
/// permissions and the actions that pass layers 1 and 2 (the object check of an action
/// depends on the resource, so it is not part of this list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The API key's scopes after implication (`None` when the request has no key).
    pub scopes: Option<ScopeSet>,
    /// The role's permissions (empty when the subject has no role).
    pub permissions: Permissions,
    /// The actions that pass layers 1 and 2, in catalogue order.
    pub actions: Vec<Action>,
}

/// Who reaches an asset with a permission through one access group.
#[derive(Clone, Debug, PartialEq)]
pub struct WhoCan<'a> {
    /// The access group.
    pub group: &'a AccessGroup,
    /// Which rule and term put the asset in it.
    pub membership: Membership,
    /// Who it grants the permission to.
    pub reach: Reach<'a>,
}

/// The principals one access group gives a permission to.
#[derive(Clone, Debug, PartialEq)]
pub enum Reach<'a> {
    /// Every user (the All Assets default, `all_users`, or an everyone principal).
    Everyone(Grant<'a>),
    /// These principals (users and user groups), in the group's order.
    Principals(Vec<&'a Principal>),
}

/// An asset filter compiled for one subject and one asset action: layers 1 and 2 and the
/// subject's access groups are worked out once, so each row costs only the membership
/// test. It decides exactly as [`Policy::is_allowed`] with [`Resource::Asset`].
///
/// ```
/// use scangate::{AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Action, Asset, Policy, Principal, RoleId, Rule, Subject, User};
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
    compiled: Option<crate::access::AssetFilter>,
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
            .map_or(0, crate::access::AssetFilter::heap_bytes)
    }
}

/// A scan's target list split the way Tenable runs it: the allowed targets are scanned,
/// the rest skipped, each with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Partition<'a> {
    /// Targets that may be scanned, with the group and principal that allow each.
    pub allowed: Vec<AllowedTarget<'a>>,
    /// Targets skipped, each with why.
    pub skipped: Vec<SkippedTarget<'a>>,
}

/// A target that will be scanned, and which access group allows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AllowedTarget<'a> {
    /// The target as written.
    pub written: &'a str,
    /// Position in the list.
    pub index: usize,
    /// The target as parsed (names lowercased, trailing dot removed).
    pub target: Target,
    /// The access group containing it.
    pub group: &'a AccessGroup,
    /// Which rule and term.
    pub membership: Membership,
    /// Which principal grants `CAN_SCAN`.
    pub grant: Grant<'a>,
}

/// A target that will not be scanned, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedTarget<'a> {
    /// The target as written.
    pub written: &'a str,
    /// Position in the list.
    pub index: usize,
    /// Why it is skipped (a parse error is reported as its message).
    pub reason: String,
}

impl Policy {
    /// What `subject` holds: scopes after implication, role permissions, and every action
    /// that passes layers 1 and 2.
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

    /// Every access group that contains `asset` and who it gives `permission` to, in
    /// policy order, as in asset checks: for `CAN_SCAN` a SCAN_TARGETS group contains the
    /// asset through its `ipv4`, `ipv6`, `fqdn` and `hostname` values (scanning an asset
    /// is scanning its addresses); for any other permission SCAN_TARGETS groups hold no
    /// asset records and are left out.
    ///
    /// ```
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, Policy, Principal, Reach, Rule};
    /// let g = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
    ///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap())
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW))
    ///     .with_principal(Principal::group("ops", AccessPermissions::all()));
    /// let policy = Policy::builder().access_groups(AccessGroups::from_server([g])).build()?;
    /// let asset = Asset::new().with("ipv4", "10.1.2.3").unwrap();
    /// let who = policy.who_can(&asset, AccessPermissions::CAN_SCAN);
    /// assert!(matches!(&who[0].reach, Reach::Principals(p) if p.len() == 1 && p[0].id() == Some("ops")));
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn who_can(&self, asset: &Asset, permission: AccessPermissions) -> Vec<WhoCan<'_>> {
        let compiled = &self.data.compiled;
        compiled
            .index
            .containing(asset)
            .into_iter()
            .filter(|(position, _)| compiled.asset_groups(permission).contains(*position))
            .filter_map(|(position, membership)| {
                let group = self.data.groups.at(position)?;
                let reach = reach(group, permission)?;
                Some(WhoCan {
                    group,
                    membership,
                    reach,
                })
            })
            .collect()
    }

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

    /// Splits a scan's target list into the targets `subject` may scan and those Tenable
    /// would skip, each with its reason. Layers 1 and 2 of `scan.run` apply first: if they
    /// deny, every target is skipped with that reason.
    ///
    /// ```
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Policy, Principal, RoleId, Rule, Subject, User};
    /// let g = AccessGroup::new("Lab", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/24"]).unwrap())
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_SCAN));
    /// let policy = Policy::builder()
    ///     .access_groups(AccessGroups::from_server([g]))
    ///     .user(User::new("alice", RoleId::SECURITY_ANALYST))
    ///     .build()?;
    /// let split = policy.partition_targets(&Subject::user("alice"), &["10.0.0.7", "10.9.9.9", "not a host"]);
    /// assert_eq!(split.allowed.len(), 1);
    /// assert_eq!(split.skipped.iter().map(|s| s.index).collect::<Vec<_>>(), [1, 2]);
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn partition_targets<'a>(
        &'a self,
        subject: &Subject<'a>,
        targets: &[&'a str],
    ) -> Partition<'a> {
        let mut partition = Partition {
            allowed: Vec::new(),
            skipped: Vec::new(),
        };
        let skip_all = |partition: &mut Partition<'a>, reason: String| {
            partition.skipped = targets
                .iter()
                .enumerate()
                .map(|(index, written)| SkippedTarget {
                    written,
                    index,
                    reason: reason.clone(),
                })
                .collect();
        };
        let layers = self.check(subject, Action::SCAN_RUN, Resource::None);
        if !layers.is_allowed() {
            skip_all(&mut partition, layers.to_string());
            return partition;
        }
        let resolved = match self.resolve(subject) {
            Ok(resolved) => resolved,
            Err(denial) => {
                skip_all(&mut partition, denial.to_string());
                return partition;
            }
        };
        let Some(user) = resolved.user else {
            skip_all(&mut partition, Denial::NoUser.to_string());
            return partition;
        };
        for (index, written) in targets.iter().enumerate() {
            match written.parse::<Target>() {
                Err(error) => partition.skipped.push(SkippedTarget {
                    written,
                    index,
                    reason: error.to_string(),
                }),
                Ok(target) => match self.first_target_group(&resolved, user, &target) {
                    Some((group, membership, grant)) => {
                        partition.allowed.push(AllowedTarget {
                            written,
                            index,
                            target,
                            group,
                            membership,
                            grant,
                        });
                    }
                    None => {
                        let reason = match self.group_containing_target(&target) {
                            Some(group) => format!(
                                "in no access group granting `{}` CAN_SCAN (it is in `{}`)",
                                crate::Cut(user),
                                crate::Cut(group.name())
                            ),
                            None => format!(
                                "in no access group, so `{}` may not scan it",
                                crate::Cut(user)
                            ),
                        };
                        partition.skipped.push(SkippedTarget {
                            written,
                            index,
                            reason,
                        });
                    }
                },
            }
        }
        partition
    }
}

/// Who `group` gives `permission` to, or `None` if nobody.
fn reach(group: &AccessGroup, permission: AccessPermissions) -> Option<Reach<'_>> {
    if group.all_assets() && !group.principals_listed() {
        return Some(Reach::Everyone(Grant::AllAssetsDefault));
    }
    if group.all_users() {
        return AccessPermissions::CAN_VIEW
            .contains(permission)
            .then_some(Reach::Everyone(Grant::AllUsers));
    }
    let holders: Vec<&Principal> = group
        .principals()
        .iter()
        .filter(|p| p.permissions().contains(permission) && !permission.is_empty())
        .collect();
    if let Some((index, principal)) = group
        .principals()
        .iter()
        .enumerate()
        .find(|(_, p)| p.is_everyone() && holders.contains(p))
    {
        return Some(Reach::Everyone(Grant::Principal { index, principal }));
    }
    (!holders.is_empty()).then_some(Reach::Principals(holders))
}
