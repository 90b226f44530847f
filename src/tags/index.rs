//! The compiled v3 access control (`docs/semantics.md`, "Layer 3 v3: permissions and
//! tags"): tag positions, which permissions name each tag and each subject, what every
//! user is granted per action, and an index of the dynamic tags' filters.
//!
//! Every tag uuid the policy knows gets a position: the defined tags first (their order in
//! [`AccessControl::tags`]), then the uuids only permissions name. A subject's grant for one
//! action is a [`GroupSet`] of positions plus the first permission covering every asset;
//! an asset question is then "does the asset carry a granted tag": its `tag_uuid` values are
//! looked up by hash, and the dynamic tags it may carry are found through a
//! [`GroupIndex`] of their filters' anchor conditions (the conditions a filter cannot hold
//! without), so that only the tags a key of the asset reaches are evaluated. Filters with
//! no anchor (only negated conditions, or only attributes the index does not hold) are
//! evaluated one by one.

use super::AccessControl;
use super::filter::ConditionMatch;
use super::permission::{ObjectKind, Permission, PermissionAction};
use super::tag::TagValue;
use crate::access::{Asset, AssetValue, Attribute, FxMap, GroupIndex, GroupSet, RuleType, Uuid};
use crate::tags::Field;

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
    /// The dynamic tags' anchor conditions, by tag position.
    dynamic: Option<GroupIndex>,
    /// Dynamic tags with a filter but no anchor, ascending.
    unanchored: Vec<u32>,
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
        let mut anchors = Vec::new();
        let mut unanchored = Vec::new();
        for (i, tag) in control.tags().iter().enumerate() {
            let Some(filter) = tag.filter() else { continue };
            match filter.anchors() {
                Some(conditions) => {
                    for c in conditions {
                        if let Field::Fixed(f) = c.field() {
                            if let Attribute::Rule(rule_type) = f.attribute() {
                                for term in c.terms() {
                                    anchors.push((to_u32(i), rule_type, term.value().clone()));
                                }
                            }
                        }
                    }
                }
                None => unanchored.push(to_u32(i)),
            }
        }
        let dynamic = (!anchors.is_empty())
            .then(|| GroupIndex::from_terms(universe, anchors.iter().map(|(g, t, v)| (*g, *t, v))));
        TagIndex {
            positions,
            named_only,
            dynamic,
            unanchored,
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
        self.control.tag_name(uuid)
    }

    /// The lowest granted tag position the asset carries, and how; with `any`, the first
    /// found. Assigned tags are looked up first (a hash probe per `tag_uuid` value), then
    /// dynamic tags below the best so far through the anchor index, then the unanchored.
    pub(crate) fn carried(
        &self,
        asset: &Asset,
        granted: &GroupSet,
        any: bool,
    ) -> Option<(u32, Carried)> {
        if granted.is_empty() {
            return None;
        }
        let mut best: Option<(u32, Carried)> = None;
        for value in asset.values(RuleType::TagUuid) {
            let AssetValue::Uuid(u) = value else { continue };
            if let Some(at) = self.position(u) {
                if granted.contains(at as usize) && best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, Carried::Named));
                    if any {
                        return best;
                    }
                }
            }
        }
        let below = best.map_or(u32::MAX, |(b, _)| b);
        // The verification keeps the condition that decided, so the deciding filter is
        // evaluated once.
        let mut decided: Option<(u32, ConditionMatch)> = None;
        let mut verify = |g: u32| {
            let m = self
                .tag_at(g)
                .and_then(TagValue::filter)
                .and_then(|f| f.first_match(asset, |u| self.tag_name(u)));
            if let Some(m) = m {
                decided = Some((g, m));
            }
            m.is_some()
        };
        let mut found = self
            .dynamic
            .as_ref()
            .and_then(|index| index.first_verified(asset, granted, below, any, &mut verify));
        if !(any && found.is_some()) {
            let limit = found.unwrap_or(below);
            if let Some(g) = self
                .unanchored
                .iter()
                .copied()
                .take_while(|g| *g < limit)
                .find(|g| granted.contains(*g as usize) && verify(*g))
            {
                found = Some(g);
            }
        }
        match found {
            Some(g) => {
                let how = decided
                    .filter(|(d, _)| *d == g)
                    .map_or(Carried::Named, |(_, m)| Carried::Filter(m));
                Some((g, how))
            }
            None => best,
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
/// for `Policy::asset_filter`): the anchor index is built again over the granted dynamic
/// tags only, so that a row reaches only their keys and evaluates only their filters.
/// Decides as [`TagIndex::carried`] with `any` over the same set.
#[derive(Debug)]
pub(crate) struct GrantedTags<'a> {
    control: &'a TagIndex,
    granted: GroupSet,
    /// The granted dynamic tags' anchor conditions.
    dynamic: Option<GroupIndex>,
    /// The granted dynamic tags with a filter but no anchor, ascending.
    unanchored: Vec<u32>,
}

impl TagIndex {
    /// The tags of `granted` compiled for rows (see [`GrantedTags`]). Costs a pass over
    /// the granted tags' anchor conditions, not over every tag.
    pub(crate) fn granted(&self, granted: &GroupSet) -> GrantedTags<'_> {
        let mut anchors = Vec::new();
        let mut unanchored = Vec::new();
        for g in granted.iter() {
            let position = to_u32(g);
            let Some(filter) = self.tag_at(position).and_then(TagValue::filter) else {
                continue;
            };
            // The same anchors as `TagIndex::new` files, for the granted tags only.
            match filter.anchors() {
                Some(conditions) => {
                    for c in conditions {
                        if let Field::Fixed(f) = c.field() {
                            if let Attribute::Rule(rule_type) = f.attribute() {
                                for term in c.terms() {
                                    anchors.push((position, rule_type, term.value()));
                                }
                            }
                        }
                    }
                }
                None => unanchored.push(position),
            }
        }
        let dynamic = (!anchors.is_empty()).then(|| {
            GroupIndex::from_terms(
                self.positions.len(),
                anchors.iter().map(|(g, t, v)| (*g, *t, *v)),
            )
        });
        GrantedTags {
            control: self,
            granted: granted.clone(),
            dynamic,
            unanchored,
        }
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

impl GrantedTags<'_> {
    /// Whether the asset carries a granted tag: its `tag_uuid` values by hash, then the
    /// granted dynamic tags a key of the asset reaches, then the unanchored ones.
    /// Allocation-free.
    pub(crate) fn carries(&self, asset: &Asset) -> bool {
        let control = self.control;
        let named = asset.values(RuleType::TagUuid).iter().any(|value| {
            matches!(value, AssetValue::Uuid(u)
                if control.position(u).is_some_and(|at| self.granted.contains(at as usize)))
        });
        if named {
            return true;
        }
        let verify = |g: u32| {
            control
                .tag_at(g)
                .and_then(TagValue::filter)
                .is_some_and(|f| f.matches(asset, |u| control.tag_name(u)))
        };
        self.dynamic.as_ref().is_some_and(|index| {
            index
                .first_verified(asset, &self.granted, u32::MAX, true, verify)
                .is_some()
        }) || self.unanchored.iter().any(|g| verify(*g))
    }

    /// Heap bytes held (the granted set and the anchor index; the tags are the policy's).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.granted.heap_bytes()
            + self.dynamic.as_ref().map_or(0, GroupIndex::heap_bytes)
            + self.unanchored.capacity() * core::mem::size_of::<u32>()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
