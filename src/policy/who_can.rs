//! Who reaches an asset with a permission, group by group.

use super::Policy;
use crate::access::{AccessGroup, AccessPermissions, Asset, Grant, Membership, Principal};

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

impl Policy {
    /// Every access group that contains `asset` and who it gives `permission` to, in
    /// policy order, as in asset checks: for `CAN_SCAN` a SCAN_TARGETS group contains the
    /// asset through its `ipv4`, `ipv6`, `fqdn` and `hostname` values (scanning an asset
    /// is scanning its addresses); for any other permission SCAN_TARGETS groups hold no
    /// asset records and are left out.
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset, Policy};
    /// use scangate::access::{AccessGroups, AccessGroupType, AccessPermissions, Principal, Rule};
    /// use scangate::policy::Reach;
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
