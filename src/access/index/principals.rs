//! The principal index: which groups grant a user a permission.

use super::hash::FxMap;
use super::pool::to_u32;
use super::set::GroupSet;
use crate::access::group::AccessGroup;
use crate::access::principal::{AccessPermissions, PrincipalKind};

/// Groups by principal: the sets every user gets (All Assets default, `all_users`,
/// everyone principals) per permission, and per user id and per user-group id the
/// `(group, permissions)` of the principals naming it.
#[derive(Debug, Default)]
pub(super) struct Principals {
    positions: usize,
    /// All Assets groups whose principals are not listed: every user, any permission.
    default_all: GroupSet,
    /// Every `(group, permissions)` of an everyone principal (for unknown permission
    /// bits only; the three known permission sets are in `base`).
    everyone: Vec<(u32, u8)>,
    /// For `CAN_VIEW`, `CAN_SCAN`, both: the groups granting it to every user.
    base: [GroupSet; 3],
    by_user: FxMap<Box<str>, (u32, u32)>,
    by_group: FxMap<Box<str>, (u32, u32)>,
    entries: Vec<(u32, u8)>,
}

impl Principals {
    /// No principal, over `positions` positions (an index of keyed terms, not groups).
    pub(super) fn none(positions: usize) -> Principals {
        Principals {
            positions,
            ..Principals::default()
        }
    }

    pub(super) fn build<'a>(groups: impl Iterator<Item = &'a AccessGroup>) -> Principals {
        let mut out = Principals::default();
        let mut all_users = GroupSet::new();
        let mut users: FxMap<&str, Vec<(u32, u8)>> = FxMap::default();
        let mut user_groups: FxMap<&str, Vec<(u32, u8)>> = FxMap::default();
        for (position, group) in groups.enumerate() {
            out.positions = position + 1;
            let g = to_u32(position);
            if group.all_assets() && !group.principals_listed() {
                out.default_all.insert(position);
                continue;
            }
            if group.all_users() {
                all_users.insert(position);
                continue;
            }
            for p in group.principals() {
                let bits = p.permissions().bits();
                if p.is_everyone() {
                    out.everyone.push((g, bits));
                    continue;
                }
                match (p.kind(), p.id()) {
                    (PrincipalKind::User, Some(id)) => users.entry(id).or_default().push((g, bits)),
                    (PrincipalKind::Group, Some(id)) => {
                        user_groups.entry(id).or_default().push((g, bits));
                    }
                    _ => {}
                }
            }
        }
        for (slot, perm) in out.base.iter_mut().zip([1u8, 2, 3]) {
            *slot = out.default_all.clone();
            if perm == AccessPermissions::CAN_VIEW.bits() {
                slot.union_with(&all_users);
            }
            for (g, bits) in &out.everyone {
                if bits & perm == perm {
                    slot.insert(*g as usize);
                }
            }
        }
        for (map, source) in [(&mut out.by_user, users), (&mut out.by_group, user_groups)] {
            for (id, list) in source {
                let start = to_u32(out.entries.len());
                out.entries.extend(list);
                map.insert(id.into(), (start, to_u32(out.entries.len())));
            }
        }
        out.entries.shrink_to_fit();
        out
    }

    pub(super) fn granting_into<S: AsRef<str>>(
        &self,
        user: &str,
        user_groups: &[S],
        permission: AccessPermissions,
        out: &mut GroupSet,
    ) {
        out.clear();
        out.reserve_positions(self.positions);
        let want = permission.bits();
        if want == 0 {
            return;
        }
        let set = |words: &mut [u64], g: u32| {
            if let Some(w) = words.get_mut(g as usize / 64) {
                *w |= 1u64 << (g % 64);
            }
        };
        // Every bit first, the set's nonzero-word index once at the end.
        out.fill(|words| {
            match self.base.get(usize::from(want) - 1) {
                Some(base) if want <= 3 => {
                    for (w, b) in words.iter_mut().zip(base.words()) {
                        *w |= b;
                    }
                }
                _ => {
                    // Bits no flag names: only the All Assets default, and principals whose
                    // permissions hold those bits too.
                    for (w, b) in words.iter_mut().zip(self.default_all.words()) {
                        *w |= b;
                    }
                    for (g, bits) in &self.everyone {
                        if bits & want == want {
                            set(words, *g);
                        }
                    }
                }
            }
            let mut add = |range: Option<&(u32, u32)>| {
                if let Some(&(a, b)) = range {
                    for (g, bits) in self.entries.get(a as usize..b as usize).unwrap_or(&[]) {
                        if bits & want == want {
                            set(words, *g);
                        }
                    }
                }
            };
            add(self.by_user.get(user));
            for group in user_groups {
                add(self.by_group.get(group.as_ref()));
            }
        });
    }

    pub(super) fn positions(&self) -> usize {
        self.positions
    }

    pub(super) fn heap_bytes(&self) -> usize {
        let map = |m: &FxMap<Box<str>, (u32, u32)>| {
            m.capacity() * (size_of::<(Box<str>, (u32, u32))>() + 1)
                + m.keys().map(|k| k.len()).sum::<usize>()
        };
        self.default_all.heap_bytes()
            + self.base.iter().map(GroupSet::heap_bytes).sum::<usize>()
            + self.everyone.capacity() * 8
            + self.entries.capacity() * 8
            + map(&self.by_user)
            + map(&self.by_group)
    }
}
