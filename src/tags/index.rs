//! The compiled v3 access control (`docs/semantics.md`, "Layer 3 v3: permissions and
//! tags"): tag positions, which permissions name each tag and each subject, what every
//! user is granted per action, and an index of the dynamic tags' filters.
//!
//! Every tag uuid the policy knows gets a position: the defined tags first (their order in
//! [`AccessControl::tags`]), then the uuids only permissions name. A subject's grant for one
//! action is a [`GroupSet`] of positions plus the first permission covering every asset;
//! an asset question is then "does the asset carry a granted tag": its `tag_uuid` values are
//! looked up by hash, and the dynamic tags it carries are found through the
//! [`FilterIndex`] of their filters (`src/tags/lookup.rs`), so that only the filters a key
//! of the asset cannot decide alone are evaluated.

use super::AccessControl;
use super::filter::ConditionMatch;
use super::lookup::{FilterIndex, TagNames};
use super::permission::{ObjectKind, Permission, PermissionAction};
use super::tag::TagValue;
use crate::access::{Asset, AssetValue, FxMap, GroupSet, RuleType, Uuid};

/// The four actions that grant, in [`PermissionAction`] order.
pub(crate) const GRANTING: [PermissionAction; 4] = [
    PermissionAction::CanView,
    PermissionAction::CanScan,
    PermissionAction::CanEdit,
    PermissionAction::CanUse,
];

/// What one subject is granted for one action.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActionGrant {
    /// The first permission (position) that covers every object of the action's kind
    /// (`AllAssets`/`AllObjects` for viewing and scanning, `AllObjects` for tags).
    pub(crate) all: Option<u32>,
    /// The tag positions granted.
    pub(crate) tags: GroupSet,
}

/// What one subject is granted, per granting action ([`GRANTING`] order).
#[derive(Debug, Clone, Default)]
pub(crate) struct TagGrants(pub(crate) [ActionGrant; 4]);

impl TagGrants {
    /// The grant for `action` (nothing for an action that grants nothing).
    pub(crate) fn get(&self, action: PermissionAction) -> Option<&ActionGrant> {
        self.0.get(action.index()).filter(|_| action.grants())
    }
}

/// How an asset carries a granted tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carried {
    /// Its `tag_uuid` values name the tag.
    Named,
    /// The tag's filter selects it.
    Filter(ConditionMatch),
    /// The request is about the tag itself.
    Itself,
}

/// A policy's tags and permissions, compiled for decisions.
#[derive(Debug, Default)]
pub(crate) struct TagIndex {
    pub(crate) control: AccessControl,
    /// Position of every tag uuid the policy knows.
    positions: FxMap<u128, u32>,
    /// The uuids of positions `control.tags().len()..`: named by permissions only.
    named_only: Vec<Uuid>,
    /// The policy's tags by name (for `tag.<Category>` conditions).
    names: TagNames,
    /// The dynamic tags' filters, indexed.
    filters: FilterIndex,
    /// Per position, the permissions whose `Tag` objects name it, ascending.
    naming: Vec<Vec<u32>>,
    /// Permissions by the subjects they name.
    by_user: FxMap<Box<str>, Vec<u32>>,
    by_group: FxMap<Box<str>, Vec<u32>>,
    everyone: Vec<u32>,
    admins: Vec<u32>,
}

impl TagIndex {
    /// Compiles `control`.
    pub(crate) fn new(control: AccessControl) -> TagIndex {
        let mut positions: FxMap<u128, u32> = FxMap::default();
        for (i, tag) in control.tags().iter().enumerate() {
            positions.insert(tag.uuid().to_u128(), to_u32(i));
        }
        let mut named_only = Vec::new();
        let mut naming: Vec<Vec<u32>> = vec![Vec::new(); control.tags().len()];
        let mut index = TagIndex::default();
        for (p, permission) in control.permissions().iter().enumerate() {
            let p = to_u32(p);
            for object in permission.objects() {
                let (ObjectKind::Tag, Some(uuid)) = (object.kind(), object.uuid()) else {
                    continue;
                };
                let next = to_u32(positions.len());
                let at = *positions.entry(uuid.to_u128()).or_insert_with(|| {
                    named_only.push(uuid);
                    next
                });
                if naming.len() <= at as usize {
                    naming.resize(at as usize + 1, Vec::new());
                }
                if let Some(list) = naming.get_mut(at as usize) {
                    if list.last() != Some(&p) {
                        list.push(p);
                    }
                }
            }
            for subject in permission.subjects() {
                use super::permission::SubjectKind as K;
                let list = match (subject.kind(), subject.uuid()) {
                    _ if subject.is_everyone() => &mut index.everyone,
                    (K::User, Some(id)) => index.by_user.entry(id.into()).or_default(),
                    (K::UserGroup, Some(id)) => index.by_group.entry(id.into()).or_default(),
                    (K::AllAdmins, _) => &mut index.admins,
                    _ => continue,
                };
                if list.last() != Some(&p) {
                    list.push(p);
                }
            }
        }
        let universe = positions.len();
        let names = TagNames::new(control.tags());
        let filters = FilterIndex::new(
            universe,
            control
                .tags()
                .iter()
                .enumerate()
                .filter_map(|(i, tag)| Some((to_u32(i), tag.filter()?))),
            &names,
        );
        TagIndex {
            positions,
            named_only,
            names,
            filters,
            naming,
            control,
            ..index
        }
    }

    /// Whether the policy has no permission at all (layer 3 is then the access groups').
    pub(crate) fn is_inert(&self) -> bool {
        self.control.permissions().is_empty()
    }

    /// The position of tag `uuid`.
    pub(crate) fn position(&self, uuid: &Uuid) -> Option<u32> {
        self.positions.get(&uuid.to_u128()).copied()
    }

    /// The uuid of the tag at `position`.
    pub(crate) fn uuid_at(&self, position: u32) -> Option<Uuid> {
        let defined = self.control.tags().len();
        match (position as usize).checked_sub(defined) {
            None => self
                .control
                .tags()
                .get(position as usize)
                .map(TagValue::uuid),
            Some(i) => self.named_only.get(i).copied(),
        }
    }

    /// The tag defined at `position`, if it is defined.
    pub(crate) fn tag_at(&self, position: u32) -> Option<&TagValue> {
        self.control.tags().get(position as usize)
    }

    /// What `user`, a member of `groups`, is granted (an administrator when `admin`).
    pub(crate) fn grants(&self, user: &str, groups: &[String], admin: bool) -> TagGrants {
        let mut applicable: Vec<u32> = self.everyone.clone();
        if let Some(list) = self.by_user.get(user) {
            applicable.extend_from_slice(list);
        }
        for g in groups {
            if let Some(list) = self.by_group.get(g.as_str()) {
                applicable.extend_from_slice(list);
            }
        }
        if admin {
            applicable.extend_from_slice(&self.admins);
        }
        applicable.sort_unstable();
        applicable.dedup();
        // Sets grow to the highest position granted: a user granted nothing costs nothing.
        let mut grants = TagGrants::default();
        for p in applicable {
            let Some(permission) = self.control.permissions().get(p as usize) else {
                continue;
            };
            for (slot, action) in grants.0.iter_mut().zip(GRANTING) {
                if !permission.grants(action) {
                    continue;
                }
                for object in permission.objects() {
                    let all = match object.kind() {
                        ObjectKind::AllObjects => true,
                        ObjectKind::AllAssets => {
                            matches!(
                                action,
                                PermissionAction::CanView | PermissionAction::CanScan
                            )
                        }
                        ObjectKind::Tag => {
                            if let Some(at) = object.uuid().and_then(|u| self.position(&u)) {
                                slot.tags.insert(at as usize);
                            }
                            false
                        }
                    };
                    if all && slot.all.is_none() {
                        slot.all = Some(p);
                    }
                }
            }
        }
        grants
    }

    /// The category and value names of tag `uuid` (for `tag.<category>` fields).
    pub(crate) fn tag_name(&self, uuid: &Uuid) -> Option<(&str, &str)> {
        // The index's FxHash positions, not `AccessControl`'s map: this runs per value.
        let tag = self.tag_at(self.position(uuid)?)?;
        Some((tag.category(), tag.value()))
    }

    /// Whether the filter of the tag at `position` selects `asset`.
    fn selects(&self, position: u32, asset: &Asset) -> bool {
        self.tag_at(position)
            .and_then(TagValue::filter)
            .is_some_and(|f| f.matches(asset, |u| self.tag_name(u)))
    }

    /// Whether the asset carries a tag of `granted`: its `tag_uuid` values by hash, then
    /// the filters through the [`FilterIndex`].
    pub(crate) fn carries(&self, asset: &Asset, granted: &GroupSet) -> bool {
        !granted.is_empty()
            && (self.names_granted(asset, granted).is_some()
                || self.filters.any(asset, granted, |g| self.selects(g, asset)))
    }

    /// The lowest position of `granted` that the asset's `tag_uuid` values name.
    fn names_granted(&self, asset: &Asset, granted: &GroupSet) -> Option<u32> {
        asset
            .values(RuleType::TagUuid)
            .iter()
            .filter_map(|value| match value {
                AssetValue::Uuid(u) => self.position(u),
                _ => None,
            })
            .filter(|at| granted.contains(*at as usize))
            .min()
    }

    /// The lowest granted tag position the asset carries, and how: named by its
    /// `tag_uuid` values (a hash probe each), else selected by a filter below that (the
    /// [`FilterIndex`]), with its deciding condition (each filter evaluated at most once).
    pub(crate) fn carried(&self, asset: &Asset, granted: &GroupSet) -> Option<(u32, Carried)> {
        if granted.is_empty() {
            return None;
        }
        let named = self.names_granted(asset, granted);
        let below = named.unwrap_or(u32::MAX);
        let first_match = |g: u32| {
            self.tag_at(g)
                .and_then(TagValue::filter)
                .and_then(|f| f.first_match(asset, |u| self.tag_name(u)))
        };
        // A filter the index has to evaluate is evaluated for its deciding condition right
        // away (the last one that holds is the lowest), so that it is not evaluated twice.
        let mut decided: Option<(u32, ConditionMatch)> = None;
        let selected = self.filters.lowest(asset, granted, below, |g| {
            let m = first_match(g);
            if let Some(m) = m {
                decided = Some((g, m));
            }
            m.is_some()
        });
        match selected {
            Some(g) => {
                let how = match decided {
                    Some((d, m)) if d == g => Some(m),
                    // Decided by the index alone: one evaluation for the condition.
                    _ => first_match(g),
                };
                Some((g, how.map_or(Carried::Named, Carried::Filter)))
            }
            None => named.map(|at| (at, Carried::Named)),
        }
    }

    /// The first permission (in policy order) naming the tag at `position` that grants
    /// `action` to the subject, with the subject that matched.
    pub(crate) fn permission_for_tag<'a>(
        &'a self,
        position: u32,
        action: PermissionAction,
        user: &str,
        groups: &[String],
        admin: bool,
    ) -> Option<&'a Permission> {
        self.naming
            .get(position as usize)?
            .iter()
            .filter_map(|p| self.control.permissions().get(*p as usize))
            .find(|p| p.grants(action) && p.subject_for(user, groups, admin).is_some())
    }
}

/// One subject's granted tags for one action, compiled for rows ([`TagIndex::granted`],
/// for `Policy::asset_filter`): the filter index is built again over the granted dynamic
/// tags only, so that a row reaches only their keys and evaluates only their filters.
/// Decides as [`TagIndex::carries`] over the same set.
#[derive(Debug)]
pub(crate) struct GrantedTags<'a> {
    control: &'a TagIndex,
    granted: GroupSet,
    /// The granted dynamic tags' filters.
    filters: FilterIndex,
}

impl TagIndex {
    /// The tags of `granted` compiled for rows (see [`GrantedTags`]). Costs a pass over
    /// the granted tags' filters, not over every tag.
    pub(crate) fn granted(&self, granted: &GroupSet) -> GrantedTags<'_> {
        let filters = FilterIndex::new(
            self.positions.len(),
            granted.iter().filter_map(|g| {
                let position = to_u32(g);
                Some((position, self.tag_at(position)?.filter()?))
            }),
            &self.names,
        );
        GrantedTags {
            control: self,
            granted: granted.clone(),
            filters,
        }
    }
}

impl GrantedTags<'_> {
    /// Whether the asset carries a granted tag (as [`TagIndex::carries`]).
    pub(crate) fn carries(&self, asset: &Asset) -> bool {
        let control = self.control;
        !self.granted.is_empty()
            && (control.names_granted(asset, &self.granted).is_some()
                || self
                    .filters
                    .any(asset, &self.granted, |g| control.selects(g, asset)))
    }

    /// Heap bytes held (the granted set and the filter index; the tags are the policy's).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.granted.heap_bytes() + self.filters.heap_bytes()
    }
}

impl TagIndex {
    /// How the asset carries the tag at `position`, if it does: named in its `tag_uuid`
    /// values first (as [`TagIndex::carried`] prefers at one position), else selected by
    /// the tag's filter (with the condition that decided). For `Policy::who_can`, which
    /// asks about the tags the permissions name one by one.
    pub(crate) fn carried_at(&self, asset: &Asset, position: u32) -> Option<Carried> {
        let uuid = self.uuid_at(position)?;
        let named = asset
            .values(RuleType::TagUuid)
            .iter()
            .any(|value| matches!(value, AssetValue::Uuid(u) if *u == uuid));
        if named {
            return Some(Carried::Named);
        }
        self.tag_at(position)?
            .filter()?
            .first_match(asset, |u| self.tag_name(u))
            .map(Carried::Filter)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
