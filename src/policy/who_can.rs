//! Who reaches an asset with a permission: group by group, then v3 permission by
//! permission (`docs/semantics.md`, "Beyond `check`").

use super::Policy;
use super::decision::GrantedObject;
use crate::access::{AccessGroup, AccessPermissions, Asset, FxMap, Grant, Membership, Principal};
use crate::tags::index::{Carried, TagIndex};
use crate::tags::{ObjectKind, Permission, PermissionAction, PermissionSubject};

/// Who reaches an asset with a permission through one access group or one v3 permission.
#[derive(Clone, Debug, PartialEq)]
pub struct WhoCan<'a> {
    /// What puts the asset within reach.
    pub via: Via<'a>,
    /// Who it gives the permission to.
    pub reach: Reach<'a>,
}

impl<'a> WhoCan<'a> {
    /// The access group, when the entry is one.
    #[must_use]
    pub fn group(&self) -> Option<&'a AccessGroup> {
        match self.via {
            Via::Group { group, .. } => Some(group),
            Via::Permission { .. } => None,
        }
    }

    /// The v3 permission, when the entry is one.
    #[must_use]
    pub fn permission(&self) -> Option<&'a Permission> {
        match self.via {
            Via::Permission { permission, .. } => Some(permission),
            Via::Group { .. } => None,
        }
    }
}

/// What puts an asset within someone's reach.
#[derive(Clone, Debug, PartialEq)]
pub enum Via<'a> {
    /// An access group containing the asset.
    Group {
        /// The access group.
        group: &'a AccessGroup,
        /// Which rule and term put the asset in it.
        membership: Membership,
    },
    /// A v3 permission granting the action on an object that covers the asset.
    Permission {
        /// The permission.
        permission: &'a Permission,
        /// The action it grants (`CanView` or `CanScan`).
        action: PermissionAction,
        /// The object: `AllAssets`/`AllObjects`, else the tag the asset carries and how
        /// (chosen as explanations choose: see [`Policy::who_can`]).
        object: GrantedObject<'a>,
    },
}

/// The principals one access group, or the subjects one v3 permission, gives a permission
/// to.
#[derive(Clone, Debug, PartialEq)]
pub enum Reach<'a> {
    /// Every user (the All Assets default, `all_users`, or an everyone principal).
    Everyone(Grant<'a>),
    /// These principals (users and user groups), in the group's order.
    Principals(Vec<&'a Principal>),
    /// A v3 permission's subjects, in the permission's order (each is granted):
    /// users, user groups (the nil-uuid group is All Users), `AllUsers`, `AllAdmins`.
    Subjects(Vec<&'a PermissionSubject>),
}

impl Reach<'_> {
    /// Whether the reach names `user`, a member of `groups`, who is an administrator when
    /// `admin` (for `AllAdmins` subjects).
    ///
    /// ```
    /// use scangate::access::{AccessPermissions, Grant};
    /// use scangate::policy::Reach;
    /// use scangate::tags::PermissionSubject;
    /// let admins = PermissionSubject::all_admins();
    /// let reach = Reach::Subjects(vec![&admins]);
    /// assert!(reach.reaches("alice", &[] as &[&str], true));
    /// assert!(!reach.reaches("alice", &[] as &[&str], false));
    /// assert!(Reach::Everyone(Grant::AllUsers).reaches("bob", &[] as &[&str], false));
    /// ```
    #[must_use]
    pub fn reaches<S: AsRef<str>>(&self, user: &str, groups: &[S], admin: bool) -> bool {
        match self {
            Reach::Everyone(_) => true,
            Reach::Principals(principals) => principals.iter().any(|p| p.applies_to(user, groups)),
            Reach::Subjects(subjects) => subjects.iter().any(|s| s.applies_to(user, groups, admin)),
        }
    }
}

impl Policy {
    /// Every access group that contains `asset` and who it gives `permission` to, in
    /// policy order, as in asset checks: for `CAN_SCAN` a SCAN_TARGETS group contains the
    /// asset through its `ipv4`, `ipv6`, `fqdn` and `hostname` values (scanning an asset
    /// is scanning its addresses); for any other permission SCAN_TARGETS groups hold no
    /// asset records and are left out.
    ///
    /// Then every v3 permission, in policy order, that grants the matching action
    /// (`CanScan` for `CAN_SCAN`, else `CanView`, as asset checks map it) on an object
    /// covering the asset, with its subjects. The object named is the one an explanation
    /// would name: the permission's first `AllAssets`/`AllObjects` object, else, of its
    /// tags the asset carries, the one with the lowest position (the policy's tags in
    /// order, then the uuids only permissions name), named in `tag_uuid` or selected by
    /// the tag's filter (with the condition that decided).
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
    ///
    /// A v3 permission on a tag:
    ///
    /// ```
    /// use scangate::{Asset, Policy};
    /// use scangate::access::AccessPermissions;
    /// use scangate::policy::{GrantedObject, Reach, TagCarried, Via};
    /// use scangate::tags::{AccessControl, Permission, PermissionAction, PermissionObject,
    ///     PermissionSubject, TagValue};
    /// let web = TagValue::static_value("7ad1d2c3-0a44-4f06-9bd2-0bbf2a4b6a01".parse()?, "Env", "Web")?;
    /// let ops = PermissionSubject::user_group("5bd3e4c2-51b9-4e86-a0b9-1b8d3b2c1a90")?;
    /// let scan_web = Permission::new("b930505e-bf64-4621-a8bd-6c5eb9c5e628".parse()?, "Scan web")
    ///     .with_actions([PermissionAction::CanScan])
    ///     .with_object(PermissionObject::tag(web.uuid()))
    ///     .with_subject(ops.clone());
    /// let policy = Policy::builder()
    ///     .access_control(AccessControl::new(vec![web.clone()], vec![scan_web])?)
    ///     .build()?;
    /// let asset = Asset::new().with("tag_uuid", "7ad1d2c3-0a44-4f06-9bd2-0bbf2a4b6a01")?;
    /// let who = policy.who_can(&asset, AccessPermissions::CAN_SCAN);
    /// assert_eq!(who.len(), 1);
    /// assert_eq!(who[0].permission().map(|p| p.name()), Some("Scan web"));
    /// assert!(matches!(&who[0].via, Via::Permission {
    ///     object: GrantedObject::Tag { carried: TagCarried::Named, .. }, ..
    /// }));
    /// assert_eq!(who[0].reach, Reach::Subjects(vec![&ops]));
    /// // Viewing is another action: nobody.
    /// assert!(policy.who_can(&asset, AccessPermissions::CAN_VIEW).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn who_can(&self, asset: &Asset, permission: AccessPermissions) -> Vec<WhoCan<'_>> {
        let compiled = &self.data.compiled;
        let mut entries: Vec<WhoCan<'_>> = compiled
            .index
            .containing(asset)
            .into_iter()
            .filter(|(position, _)| compiled.asset_groups(permission).contains(*position))
            .filter_map(|(position, membership)| {
                let group = self.data.groups.at(position)?;
                let reach = reach(group, permission)?;
                Some(WhoCan {
                    via: Via::Group { group, membership },
                    reach,
                })
            })
            .collect();
        entries.extend(self.permission_reach(asset, permission));
        entries
    }

    /// The v3 part of [`Policy::who_can`].
    fn permission_reach(&self, asset: &Asset, permission: AccessPermissions) -> Vec<WhoCan<'_>> {
        let control = &self.data.control;
        if control.is_inert() {
            return Vec::new();
        }
        let action = PermissionAction::on_assets(permission);
        // Whether (and how) the asset carries each tag a permission names, worked out once
        // per tag: several permissions often name the same tag.
        let mut carried: FxMap<u32, Option<Carried>> = FxMap::default();
        let mut entries = Vec::new();
        for p in control.control.permissions() {
            if !p.grants(action) || p.subjects().is_empty() {
                continue;
            }
            let object = match p.objects().iter().find(|o| o.covers_all_assets()) {
                Some(all) => Some(GrantedObject::All(all)),
                None => lowest_carried_tag(control, p, asset, &mut carried),
            };
            if let Some(object) = object {
                entries.push(WhoCan {
                    via: Via::Permission {
                        permission: p,
                        action,
                        object,
                    },
                    reach: Reach::Subjects(p.subjects().iter().collect()),
                });
            }
        }
        entries
    }
}

/// Of the tags permission `p` names, the one the asset carries with the lowest position,
/// as the object an explanation names.
fn lowest_carried_tag<'a>(
    control: &'a TagIndex,
    p: &Permission,
    asset: &Asset,
    memo: &mut FxMap<u32, Option<Carried>>,
) -> Option<GrantedObject<'a>> {
    let mut best: Option<(u32, Carried)> = None;
    for object in p.objects() {
        let (ObjectKind::Tag, Some(uuid)) = (object.kind(), object.uuid()) else {
            continue;
        };
        let Some(position) = control.position(&uuid) else {
            continue;
        };
        if best.is_some_and(|(b, _)| b <= position) {
            continue;
        }
        let how = *memo
            .entry(position)
            .or_insert_with(|| control.carried_at(asset, position));
        if let Some(how) = how {
            best = Some((position, how));
        }
    }
    let (position, how) = best?;
    let tag = control.tag_at(position);
    // The same explanation as the asset check's.
    let carried = super::check::tag_carried(tag, how)?;
    Some(GrantedObject::Tag {
        uuid: control.uuid_at(position)?,
        tag,
        carried,
    })
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
