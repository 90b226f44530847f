//! Keys and what they lead to: every key of the index (an exact value, a pattern piece, a
//! pattern) leads to a [`Keyed`]: the interned set of the groups holding it (what a
//! decision needs) and its hits, the lowest term of each of those groups (what an
//! explanation needs). Also the exact-value tables: a string table for `eq` on names and
//! texts, and a map for MACs, Qualys ids and UUIDs.

use super::hash::{FxMap, hash_bytes};
use super::pool::{Pool, SetId, SetView, to_u32};

/// One key's groups and hits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Keyed {
    pub(super) set: SetId,
    /// `Hits::list[a..b]`: `(group, ordinal)`, ascending by group, one per group.
    hits: (u32, u32),
}

impl Keyed {
    pub(super) const NONE: Keyed = Keyed {
        set: SetId::EMPTY,
        hits: (0, 0),
    };

    pub(super) fn view(self) -> SetView<'static> {
        SetView::of(self.set)
    }
}

/// The hits of every key, in one arena.
#[derive(Debug, Default)]
pub(super) struct Hits {
    list: Vec<(u32, u32)>,
}

impl Hits {
    /// Files `hits` (`(group, ordinal)`, any order) under a new key: keeps the lowest
    /// ordinal of each group and interns the set of groups.
    pub(super) fn key(&mut self, hits: &mut [(u32, u32)], pool: &mut Pool) -> Keyed {
        if hits.is_empty() {
            return Keyed::NONE;
        }
        hits.sort_unstable();
        let start = to_u32(self.list.len());
        let mut groups = Vec::with_capacity(hits.len());
        for &(g, o) in hits.iter() {
            if groups.last() != Some(&g) {
                groups.push(g);
                self.list.push((g, o));
            }
        }
        Keyed {
            set: pool.intern_members(&groups),
            hits: (start, to_u32(self.list.len())),
        }
    }

    /// The lowest ordinal of group `g` under `key`.
    #[inline]
    pub(super) fn lowest(&self, key: Keyed, g: u32) -> Option<u32> {
        let hits = self
            .list
            .get(key.hits.0 as usize..key.hits.1 as usize)
            .unwrap_or_default();
        let at = hits.binary_search_by_key(&g, |h| h.0).ok()?;
        hits.get(at).map(|h| h.1)
    }

    pub(super) fn shrink(&mut self) {
        self.list.shrink_to_fit();
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.list.capacity() * 8
    }
}

/// Groups `(key, hit)` pairs by key: each distinct key once, in first-seen order, with its
/// hits.
pub(super) fn group_by_key<K: core::hash::Hash + Eq + Copy>(
    pairs: &[(K, (u32, u32))],
) -> Vec<(K, Vec<(u32, u32)>)> {
    let mut at: FxMap<K, usize> = FxMap::with_capacity_and_hasher(pairs.len(), Default::default());
    let mut out: Vec<(K, Vec<(u32, u32)>)> = Vec::new();
    for (key, hit) in pairs {
        let i = *at.entry(*key).or_insert_with(|| {
            out.push((*key, Vec::new()));
            out.len() - 1
        });
        if let Some((_, hits)) = out.get_mut(i) {
            hits.push(*hit);
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    start: u32,
    len: u32,
    key: Keyed,
}

/// Exact strings (`eq` on names and texts): open addressing, linear probing, keys stored
/// back to back.
#[derive(Debug, Default)]
pub(super) struct StrTable {
    slots: Vec<u32>,
    entries: Vec<Entry>,
    bytes: Vec<u8>,
}

impl StrTable {
    /// Builds from `(value, (group, ordinal))` pairs.
    pub(super) fn build(
        pairs: &[(&str, (u32, u32))],
        pool: &mut Pool,
        hits: &mut Hits,
    ) -> StrTable {
        let mut table = StrTable::default();
        if pairs.is_empty() {
            return table;
        }
        for (value, mut key_hits) in group_by_key(pairs) {
            let key = hits.key(&mut key_hits, pool);
            let bytes = value.as_bytes();
            table.entries.push(Entry {
                hash: hash_bytes(bytes),
                start: to_u32(table.bytes.len()),
                len: to_u32(bytes.len()),
                key,
            });
            table.bytes.extend_from_slice(bytes);
        }
        let size = (table.entries.len() * 2).next_power_of_two().max(8);
        table.slots = vec![0; size];
        let mask = size - 1;
        for (i, e) in table.entries.iter().enumerate() {
            let mut at = slot_of(e.hash, mask);
            while table.slots.get(at).is_some_and(|s| *s != 0) {
                at = (at + 1) & mask;
            }
            if let Some(s) = table.slots.get_mut(at) {
                *s = to_u32(i + 1);
            }
        }
        table.entries.shrink_to_fit();
        table.bytes.shrink_to_fit();
        table
    }

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The key equal to `value`.
    #[inline]
    pub(super) fn get(&self, value: &[u8]) -> Option<Keyed> {
        if self.entries.is_empty() {
            return None;
        }
        let hash = hash_bytes(value);
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = slot_of(hash, mask);
        loop {
            let slot = *self.slots.get(at)?;
            let e = self.entries.get(slot.checked_sub(1)? as usize)?;
            if e.hash == hash
                && self
                    .bytes
                    .get(e.start as usize..(e.start + e.len) as usize)
                    .is_some_and(|k| k == value)
            {
                return Some(e.key);
            }
            at = (at + 1) & mask;
        }
    }

    /// Every key with its value (for building a filter).
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, Keyed)> + '_ {
        self.entries.iter().filter_map(|e| {
            let bytes = self
                .bytes
                .get(e.start as usize..(e.start + e.len) as usize)?;
            Some((core::str::from_utf8(bytes).ok()?, e.key))
        })
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 4
            + self.entries.capacity() * size_of::<Entry>()
            + self.bytes.capacity()
    }
}

#[inline]
fn slot_of(hash: u64, mask: usize) -> usize {
    // Truncation intended: the high bits of the multiply are the well-mixed ones.
    ((hash >> 40) as usize ^ hash as usize) & mask
}

/// A scalar value: MAC (kind 0), Qualys id (1) or UUID (2), as an integer.
pub(super) type Scalar = (u8, u128);

/// Exact scalars.
#[derive(Debug, Default)]
pub(super) struct ScalarTable {
    map: FxMap<Scalar, Keyed>,
}

impl ScalarTable {
    pub(super) fn build(
        pairs: &[(Scalar, (u32, u32))],
        pool: &mut Pool,
        hits: &mut Hits,
    ) -> ScalarTable {
        let keys = group_by_key(pairs);
        let mut map = FxMap::with_capacity_and_hasher(keys.len(), Default::default());
        for (value, mut key_hits) in keys {
            map.insert(value, hits.key(&mut key_hits, pool));
        }
        map.shrink_to_fit();
        ScalarTable { map }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    #[inline]
    pub(super) fn get(&self, value: Scalar) -> Option<Keyed> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&value).copied()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (Scalar, Keyed)> + '_ {
        self.map.iter().map(|(k, v)| (*k, *v))
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.map.capacity() * (size_of::<(Scalar, Keyed)>() + 1)
    }
}
