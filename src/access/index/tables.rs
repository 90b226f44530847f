//! The lookup tables of the index: hit lists, IP interval tables, string tables for
//! `eq`/`starts`/`ends`, the 4-gram index for `match`, and a small fast hasher.

use core::hash::{BuildHasherDefault, Hasher};
use std::collections::HashMap;

/// No list (an uncovered IP segment).
pub(super) const NONE: u32 = u32::MAX;

/// One matching term: group position, rule index, term index. Ordered as the reference
/// reports: lowest group, then lowest rule, then lowest term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Hit {
    pub(super) group: u32,
    pub(super) rule: u32,
    pub(super) term: u32,
}

/// A multiply-rotate hasher (the `FxHash` mix): keys here are short and not chosen by an
/// attacker who could also observe timings, and `std`'s SipHash costs more than the rest
/// of a lookup.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

#[inline]
pub(super) fn step(h: u64, b: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K)
}

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        // The low bits of a product depend only on the low bits of its factors, and hash
        // tables index by the low bits: fold the well-mixed high half in.
        self.0 ^ (self.0 >> 32)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = step(self.0, *b);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(K);
    }
    fn write_u128(&mut self, i: u128) {
        // Truncations keep the low and high halves.
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// A `HashMap` with [`FxHasher`].
pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Every hit list, in one arena (compressed rows): list `l` is
/// `hits[starts[l]..starts[l + 1]]`, sorted by group with one hit per group (the lowest
/// rule, then term, of that group).
#[derive(Debug, Default)]
pub(super) struct Lists {
    starts: Vec<u32>,
    hits: Vec<Hit>,
}

impl Lists {
    pub(super) fn new() -> Lists {
        Lists {
            starts: vec![0],
            hits: Vec::new(),
        }
    }

    /// Appends a list from hits sorted by (group, rule, term); keeps the first hit of
    /// each group. Returns its id.
    pub(super) fn push(&mut self, sorted: impl IntoIterator<Item = Hit>) -> u32 {
        let begin = self.hits.len();
        for hit in sorted {
            if self.hits.len() > begin && self.hits.last().is_some_and(|l| l.group == hit.group) {
                continue;
            }
            self.hits.push(hit);
        }
        self.starts.push(to_u32(self.hits.len()));
        to_u32(self.starts.len() - 2)
    }

    /// The hits of list `list`.
    #[inline]
    pub(super) fn get(&self, list: u32) -> &[Hit] {
        let l = list as usize;
        match (self.starts.get(l), self.starts.get(l + 1)) {
            (Some(&a), Some(&b)) => self.hits.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Removes the last list (used to merge equal neighbouring IP segments).
    pub(super) fn pop(&mut self) {
        if self.starts.len() > 1 {
            self.starts.pop();
            let end = self.starts.last().copied().unwrap_or(0) as usize;
            self.hits.truncate(end);
        }
    }

    pub(super) fn count(&self) -> u32 {
        to_u32(self.starts.len() - 1)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 4 + self.hits.capacity() * size_of::<Hit>()
    }

    pub(super) fn shrink(&mut self) {
        self.starts.shrink_to_fit();
        self.hits.shrink_to_fit();
    }
}

/// Positions and counts are at most `u32::MAX` (5,000 groups × 1,000 rules × 100,000
/// terms is over that only for groups no server accepts; they saturate).
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An IP address family's integer.
pub(super) trait Addr: Copy + Ord + Default + core::fmt::Debug {
    /// The last address of the family.
    const MAX: Self;
    /// `self + 1`, or `None` at the top of the family.
    fn succ(self) -> Option<Self>;
    /// `self - 1`, or `None` at 0.
    fn pred(self) -> Option<Self>;
}

impl Addr for u32 {
    const MAX: u32 = u32::MAX;
    fn succ(self) -> Option<u32> {
        self.checked_add(1)
    }
    fn pred(self) -> Option<u32> {
        self.checked_sub(1)
    }
}

impl Addr for u128 {
    const MAX: u128 = u128::MAX;
    fn succ(self) -> Option<u128> {
        self.checked_add(1)
    }
    fn pred(self) -> Option<u128> {
        self.checked_sub(1)
    }
}

/// The hit a restricted structure files every key under (only "some key matched"
/// matters to a filter).
pub(super) const ANY: Hit = Hit {
    group: 0,
    rule: 0,
    term: 0,
};

/// Elementary intervals of one IP attribute: `bounds` are the sorted points where the set
/// of covering terms changes; segment `i` is `[bounds[i], bounds[i + 1])` and `lists[i]`
/// is its hit list (or [`NONE`]). A lookup is a binary search — first in `top` (every
/// 64th bound, small enough to stay in cache), then in one block of 64.
#[derive(Debug, Default)]
pub(super) struct IpTable<T> {
    bounds: Vec<T>,
    lists: Vec<u32>,
    top: Vec<T>,
    /// The first and one-past-last list ids of this table.
    pub(super) ids: (u32, u32),
}

const BLOCK: usize = 64;

impl<T: Addr> IpTable<T> {
    /// Builds from `(first, last, hit)` intervals.
    pub(super) fn build(terms: &[(T, T, Hit)], lists: &mut Lists) -> IpTable<T> {
        let first_id = lists.count();
        // Sweep: an interval enters at `first` and leaves at `last + 1` (never, at the
        // top of the family).
        let mut starts: Vec<(T, Hit)> = terms.iter().map(|t| (t.0, t.2)).collect();
        starts.sort_unstable();
        let mut ends: Vec<(T, Hit)> = terms
            .iter()
            .filter_map(|t| t.1.succ().map(|e| (e, t.2)))
            .collect();
        ends.sort_unstable();
        let mut active = std::collections::BTreeSet::new();
        let (mut si, mut ei) = (0, 0);
        let mut bounds = Vec::new();
        let mut seg_lists: Vec<u32> = Vec::new();
        loop {
            let point = match (starts.get(si), ends.get(ei)) {
                (Some(a), Some(b)) => a.0.min(b.0),
                (Some(a), None) => a.0,
                (None, Some(b)) => b.0,
                (None, None) => break,
            };
            while let Some(e) = ends.get(ei).filter(|e| e.0 == point) {
                active.remove(&e.1);
                ei += 1;
            }
            while let Some(s) = starts.get(si).filter(|s| s.0 == point) {
                active.insert(s.1);
                si += 1;
            }
            let id = if active.is_empty() {
                NONE
            } else {
                lists.push(active.iter().copied())
            };
            // Merge with the previous segment when the answer did not change.
            if let Some(&prev) = seg_lists.last() {
                let same = match (prev, id) {
                    (NONE, NONE) => true,
                    (NONE, _) | (_, NONE) => false,
                    (p, n) => lists.get(p) == lists.get(n),
                };
                if same {
                    if id != NONE {
                        lists.pop();
                    }
                    continue;
                }
            }
            bounds.push(point);
            seg_lists.push(id);
        }
        bounds.shrink_to_fit();
        seg_lists.shrink_to_fit();
        let top = bounds.iter().step_by(BLOCK).copied().collect();
        IpTable {
            bounds,
            lists: seg_lists,
            top,
            ids: (first_id, lists.count()),
        }
    }

    /// The table of the segments whose list passes `keep` (merged where they touch).
    pub(super) fn restricted(&self, keep: &impl Fn(u32) -> bool, lists: &mut Lists) -> IpTable<T> {
        let intervals: Vec<(T, T, Hit)> = self
            .bounds
            .iter()
            .zip(&self.lists)
            .enumerate()
            .filter(|(_, (_, l))| **l != NONE && keep(**l))
            .map(|(i, (first, _))| {
                let last = self
                    .bounds
                    .get(i + 1)
                    .and_then(|b| b.pred())
                    .unwrap_or(T::MAX);
                (*first, last, ANY)
            })
            .collect();
        IpTable::build(&intervals, lists)
    }

    /// The hit list of the segment holding `x`, if it has one.
    #[inline]
    pub(super) fn find(&self, x: T) -> Option<u32> {
        let block = self.top.partition_point(|b| *b <= x).checked_sub(1)?;
        let lo = block * BLOCK;
        let hi = (lo + BLOCK).min(self.bounds.len());
        let within = self.bounds.get(lo..hi)?.partition_point(|b| *b <= x);
        let segment = (lo + within).checked_sub(1)?;
        self.lists.get(segment).copied().filter(|l| *l != NONE)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.bounds.capacity() + self.top.capacity()) * size_of::<T>() + self.lists.capacity() * 4
    }
}

/// Which part of a value a [`StrTable`]'s keys are compared with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Affix {
    /// The whole value (`eq`).
    #[default]
    Whole,
    /// A prefix (`starts`).
    Prefix,
    /// A suffix (`ends`).
    Suffix,
}

/// A string table keyed by [`hash_bytes`] (eight bytes per multiply). Open addressing,
/// linear probing. For `starts` / `ends` a value is probed once per distinct key length
/// (sorted, at most the value's length), after a one-bit test of the value's first
/// (last) byte against the keys' first (last) bytes.
#[derive(Debug, Default)]
pub(super) struct StrTable {
    slots: Vec<u32>,
    entries: Vec<StrEntry>,
    bytes: Vec<u8>,
    /// The distinct key lengths, ascending, each with the set of the inner edge bytes of
    /// the keys of that length (the first byte of a suffix key, the last of a prefix key).
    lengths: Vec<(u32, [u64; 4])>,
    /// The keys' first (`starts`) or last (`ends`) bytes.
    edge: [u64; 4],
    affix: Affix,
    /// The first and one-past-last list ids of this table.
    pub(super) ids: (u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct StrEntry {
    hash: u64,
    start: u32,
    len: u32,
    list: u32,
}

/// A hash of a byte string, eight bytes at a time.
#[inline]
pub(super) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let word = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        if let Some(t) = tail.get_mut(..rest.len()) {
            t.copy_from_slice(rest);
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

#[inline]
fn edge_has(edge: &[u64; 4], b: u8) -> bool {
    edge.get(usize::from(b >> 6))
        .is_some_and(|w| w & (1u64 << (b & 63)) != 0)
}

impl StrTable {
    /// Builds from `(key, hit)` pairs, hits in ascending order.
    pub(super) fn build(pairs: &[(&str, Hit)], affix: Affix, lists: &mut Lists) -> StrTable {
        let first_id = lists.count();
        let mut table = StrTable {
            affix,
            ids: (first_id, first_id),
            ..StrTable::default()
        };
        if pairs.is_empty() {
            return table;
        }
        for (key, hits) in Grouped::new(pairs).iter() {
            let list = lists.push(hits.iter().copied());
            let bytes = key.as_bytes();
            table.entries.push(StrEntry {
                hash: hash_bytes(bytes),
                start: to_u32(table.bytes.len()),
                len: to_u32(bytes.len()),
                list,
            });
            table.bytes.extend_from_slice(bytes);
            let inner = match affix {
                Affix::Suffix => bytes.first(),
                _ => bytes.last(),
            };
            let mut set = [0u64; 4];
            if let Some(&b) = inner {
                if let Some(w) = set.get_mut(usize::from(b >> 6)) {
                    *w |= 1u64 << (b & 63);
                }
            }
            table.lengths.push((to_u32(bytes.len()), set));
            let edge = match affix {
                Affix::Suffix => bytes.last(),
                _ => bytes.first(),
            };
            if let Some(&b) = edge {
                if let Some(w) = table.edge.get_mut(usize::from(b >> 6)) {
                    *w |= 1u64 << (b & 63);
                }
            }
        }
        table.lengths.sort_unstable_by_key(|l| l.0);
        table.lengths.dedup_by(|later, kept| {
            if later.0 != kept.0 {
                return false;
            }
            for (k, l) in kept.1.iter_mut().zip(later.1) {
                *k |= l;
            }
            true
        });
        table.lengths.shrink_to_fit();
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
        table.ids.1 = lists.count();
        table
    }

    /// The table of the keys whose list passes `keep`.
    pub(super) fn restricted(&self, keep: &impl Fn(u32) -> bool, lists: &mut Lists) -> StrTable {
        let pairs: Vec<(&str, Hit)> = self
            .entries
            .iter()
            .filter(|e| keep(e.list))
            .filter_map(|e| {
                let bytes = self
                    .bytes
                    .get(e.start as usize..(e.start + e.len) as usize)?;
                Some((core::str::from_utf8(bytes).ok()?, ANY))
            })
            .collect();
        StrTable::build(&pairs, self.affix, lists)
    }

    #[inline]
    fn lookup(&self, key: &[u8]) -> Option<u32> {
        let hash = hash_bytes(key);
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = slot_of(hash, mask);
        loop {
            let slot = *self.slots.get(at)?;
            let e = self.entries.get(slot.checked_sub(1)? as usize)?;
            if e.hash == hash
                && self
                    .bytes
                    .get(e.start as usize..(e.start + e.len) as usize)
                    .is_some_and(|k| k == key)
            {
                return Some(e.list);
            }
            at = (at + 1) & mask;
        }
    }

    /// Calls `f` with the list of every key that equals (is a prefix of, a suffix of)
    /// `value`; stops when `f` returns `true` and returns whether it did.
    #[inline]
    pub(super) fn visit(&self, value: &[u8], mut f: impl FnMut(u32) -> bool) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let n = value.len();
        match self.affix {
            Affix::Whole => self.lookup(value).is_some_and(f),
            Affix::Prefix => {
                if !value.first().is_some_and(|b| edge_has(&self.edge, *b)) {
                    return false;
                }
                for (len, inner) in &self.lengths {
                    let len = *len as usize;
                    if len > n {
                        break;
                    }
                    if !value.get(len - 1).is_some_and(|b| edge_has(inner, *b)) {
                        continue;
                    }
                    if value
                        .get(..len)
                        .and_then(|key| self.lookup(key))
                        .is_some_and(&mut f)
                    {
                        return true;
                    }
                }
                false
            }
            Affix::Suffix => {
                if !value.last().is_some_and(|b| edge_has(&self.edge, *b)) {
                    return false;
                }
                for (len, inner) in &self.lengths {
                    let len = *len as usize;
                    if len > n {
                        break;
                    }
                    if !value.get(n - len).is_some_and(|b| edge_has(inner, *b)) {
                        continue;
                    }
                    if value
                        .get(n - len..)
                        .and_then(|key| self.lookup(key))
                        .is_some_and(&mut f)
                    {
                        return true;
                    }
                }
                false
            }
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 4
            + self.entries.capacity() * size_of::<StrEntry>()
            + self.bytes.capacity()
            + self.lengths.capacity() * size_of::<(u32, [u64; 4])>()
    }
}

#[inline]
fn slot_of(hash: u64, mask: usize) -> usize {
    // Truncation intended: the high bits of the multiply are the well-mixed ones.
    ((hash >> 40) as usize ^ hash as usize) & mask
}

/// `(key, hit)` pairs grouped by key, in first-seen key order, hits in input order
/// within a key (a stable counting sort).
pub(super) struct Grouped<K> {
    keys: Vec<K>,
    offsets: Vec<u32>,
    hits: Vec<Hit>,
}

impl<K: core::hash::Hash + Eq + Copy> Grouped<K> {
    pub(super) fn new(pairs: &[(K, Hit)]) -> Grouped<K> {
        let mut ids: FxMap<K, u32> =
            FxMap::with_capacity_and_hasher(pairs.len(), BuildHasherDefault::default());
        let mut keys: Vec<K> = Vec::new();
        let mut key_of: Vec<u32> = Vec::with_capacity(pairs.len());
        for (k, _) in pairs {
            let id = *ids.entry(*k).or_insert_with(|| {
                keys.push(*k);
                to_u32(keys.len() - 1)
            });
            key_of.push(id);
        }
        let mut offsets = vec![0u32; keys.len() + 1];
        for id in &key_of {
            if let Some(c) = offsets.get_mut(*id as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..offsets.len() {
            let prev = offsets.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = offsets.get_mut(i) {
                *c += prev;
            }
        }
        let blank = Hit {
            group: 0,
            rule: 0,
            term: 0,
        };
        let mut hits = vec![blank; pairs.len()];
        let mut fill = offsets.clone();
        for ((_, hit), id) in pairs.iter().zip(&key_of) {
            if let Some(at) = fill.get_mut(*id as usize) {
                if let Some(slot) = hits.get_mut(*at as usize) {
                    *slot = *hit;
                }
                *at += 1;
            }
        }
        Grouped {
            keys,
            offsets,
            hits,
        }
    }

    /// Each key with its hits.
    pub(super) fn iter(&self) -> impl Iterator<Item = (K, &[Hit])> + '_ {
        self.keys.iter().enumerate().map(|(i, k)| {
            let a = self.offsets.get(i).copied().unwrap_or(0) as usize;
            let b = self.offsets.get(i + 1).copied().unwrap_or(0) as usize;
            (*k, self.hits.get(a..b).unwrap_or(&[]))
        })
    }
}
