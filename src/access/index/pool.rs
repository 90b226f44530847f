//! Interned group sets: every distinct set of group positions the index files a key under
//! is stored once, and keys refer to it by a [`SetId`].
//!
//! A set is stored as a bitset (one bit per group, `words` machine words) when that is
//! small or fast enough, else as its sorted members; either way the question the engine
//! asks, "does it meet the subject's granting set", costs at most one pass over `words`
//! words or over the members. A [`SetView`] is a pooled set with a small correction (a few
//! members added, a few removed): the IP tables use it to share one stored set between
//! neighbouring address intervals (see `ip.rs`).

use smallvec::SmallVec;

use super::hash::FxMap;
use super::set::GroupSet;

/// A set in the pool. [`SetId::EMPTY`] (the default) is the empty set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct SetId(pub(super) u32);

impl SetId {
    /// The empty set (never stored).
    pub(super) const EMPTY: SetId = SetId(0);
}

/// A pooled set with a correction: `(base ∖ minus) ∪ plus`, where every member of `minus`
/// is in `base` and no member of `plus` is. Both lists are sorted and short.
#[derive(Debug, Clone, Copy)]
pub(super) struct SetView<'a> {
    pub(super) base: SetId,
    pub(super) plus: &'a [u32],
    pub(super) minus: &'a [u32],
}

impl SetView<'_> {
    /// Whether the view is the empty set.
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.base == SetId::EMPTY && self.plus.is_empty()
    }

    /// The pooled set `id` as it is.
    pub(super) fn of(id: SetId) -> SetView<'static> {
        SetView {
            base: id,
            plus: &[],
            minus: &[],
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Stored {
    /// `words` words at this offset of `Pool::words`.
    Dense(u32),
    /// Members `start..end` of `Pool::members`.
    Sparse(u32, u32),
}

/// The pool of interned sets over a universe of group positions `0..universe`.
#[derive(Debug, Default)]
pub(super) struct Pool {
    /// Words per dense set: `universe.div_ceil(64)`.
    words_per_set: usize,
    /// By `SetId`; entry 0 stands for the empty set.
    sets: Vec<Stored>,
    words: Vec<u64>,
    members: Vec<u32>,
    /// Content hash → sets with that hash (build time only; dropped by `finish`). A set's
    /// form follows from its size (sparse up to [`sparse_limit`] members), so equal sets
    /// always have the same form, and each form is hashed its own way (members, words).
    interned: FxMap<u64, Vec<SetId>>,
    /// Build-time scratch buffers (no allocation per set interned).
    scratch: Vec<u32>,
    bits: Vec<u64>,
}

/// The hash of a small set's members, in ascending order.
fn hash_members(members: impl Iterator<Item = u32>) -> u64 {
    members.fold(0x9E37_79B9u64, |h, m| {
        (h.rotate_left(7) ^ u64::from(m)).wrapping_mul(0x517c_c1b7_2722_0a95)
    })
}

/// The hash of a large set's bitset (one multiply per word, not per member).
fn hash_words(words: &[u64]) -> u64 {
    words.iter().fold(0x7F4A_7C15u64, |h, w| {
        (h.rotate_left(7) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
    })
}

/// Largest member count kept sparse: past it a bitset is smaller, or a member scan would
/// cost more than a pass over the words.
fn sparse_limit(words: usize) -> usize {
    (words / 2).clamp(1, 8)
}

impl Pool {
    pub(super) fn new(universe: usize) -> Pool {
        Pool {
            words_per_set: universe.div_ceil(64).max(1),
            sets: vec![Stored::Sparse(0, 0)],
            ..Pool::default()
        }
    }

    /// Words in a bitset of this universe.
    pub(super) fn words_per_set(&self) -> usize {
        self.words_per_set
    }

    /// The id of the set whose bitset is `bits` (`words_per_set` words), storing it if new.
    pub(super) fn intern_bits(&mut self, bits: &[u64]) -> SetId {
        let count: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
        if count == 0 {
            return SetId::EMPTY;
        }
        if count <= sparse_limit(self.words_per_set) {
            let mut members = core::mem::take(&mut self.scratch);
            members.clear();
            members.extend(BitIter::new(bits));
            let id = self.intern_sparse(&members);
            self.scratch = members;
            return id;
        }
        let hash = hash_words(bits);
        let found = self.interned.get(&hash).and_then(|ids| {
            ids.iter().copied().find(
                |id| matches!(self.stored(*id), Some(Stored::Dense(at)) if self.dense(at) == bits),
            )
        });
        if let Some(id) = found {
            return id;
        }
        let start = to_u32(self.words.len());
        self.words.extend_from_slice(bits);
        self.words.resize(start as usize + self.words_per_set, 0);
        self.store(Stored::Dense(start), hash)
    }

    /// The id of the set of `members` (sorted, distinct, in the universe).
    pub(super) fn intern_members(&mut self, members: &[u32]) -> SetId {
        if members.is_empty() {
            return SetId::EMPTY;
        }
        if members.len() <= sparse_limit(self.words_per_set) {
            return self.intern_sparse(members);
        }
        let mut bits = core::mem::take(&mut self.bits);
        bits.clear();
        bits.resize(self.words_per_set, 0);
        for m in members {
            if let Some(w) = bits.get_mut(*m as usize / 64) {
                *w |= 1u64 << (m % 64);
            }
        }
        let id = self.intern_bits(&bits);
        self.bits = bits;
        id
    }

    /// A set small enough to be kept as its members (sorted, distinct).
    fn intern_sparse(&mut self, members: &[u32]) -> SetId {
        let hash = hash_members(members.iter().copied());
        let found = self.interned.get(&hash).and_then(|ids| {
            ids.iter().copied().find(
                |id| matches!(self.stored(*id), Some(Stored::Sparse(a, b)) if self.sparse(a, b) == members),
            )
        });
        if let Some(id) = found {
            return id;
        }
        let start = to_u32(self.members.len());
        self.members.extend_from_slice(members);
        self.store(Stored::Sparse(start, to_u32(self.members.len())), hash)
    }

    fn store(&mut self, stored: Stored, hash: u64) -> SetId {
        let id = SetId(to_u32(self.sets.len()));
        self.sets.push(stored);
        self.interned.entry(hash).or_default().push(id);
        id
    }

    /// Drops the build-time interning table.
    pub(super) fn finish(&mut self) {
        self.interned = FxMap::default();
        self.scratch = Vec::new();
        self.bits = Vec::new();
        self.sets.shrink_to_fit();
        self.words.shrink_to_fit();
        self.members.shrink_to_fit();
    }

    /// The number of stored sets (for statistics).
    pub(super) fn len(&self) -> usize {
        self.sets.len() - 1
    }

    #[inline]
    fn dense(&self, at: u32) -> &[u64] {
        let at = at as usize;
        self.words
            .get(at..at + self.words_per_set)
            .unwrap_or_default()
    }

    #[inline]
    fn sparse(&self, a: u32, b: u32) -> &[u32] {
        self.members.get(a as usize..b as usize).unwrap_or_default()
    }

    #[inline]
    fn stored(&self, id: SetId) -> Option<Stored> {
        if id == SetId::EMPTY {
            return None;
        }
        self.sets.get(id.0 as usize).copied()
    }

    /// Whether group `g` is in set `id`.
    pub(super) fn contains(&self, id: SetId, g: u32) -> bool {
        match self.stored(id) {
            None => false,
            Some(Stored::Sparse(a, b)) => self.sparse(a, b).binary_search(&g).is_ok(),
            Some(Stored::Dense(at)) => self
                .dense(at)
                .get(g as usize / 64)
                .is_some_and(|w| w & (1u64 << (g % 64)) != 0),
        }
    }

    /// Whether group `g` is in the set `view` stands for.
    #[inline]
    pub(super) fn view_contains(&self, view: SetView<'_>, g: u32) -> bool {
        view.plus.contains(&g) || (self.contains(view.base, g) && !view.minus.contains(&g))
    }

    /// Whether the set meets `among`.
    #[inline]
    pub(super) fn meets(&self, view: SetView<'_>, among: &GroupSet) -> bool {
        if view.plus.iter().any(|g| among.contains(*g as usize)) {
            return true;
        }
        match self.stored(view.base) {
            None => false,
            Some(Stored::Sparse(a, b)) => {
                let members = self.sparse(a, b);
                if view.minus.is_empty() {
                    members.iter().any(|g| among.contains(*g as usize))
                } else {
                    members.iter().any(|g| {
                        among.contains(*g as usize) && view.minus.binary_search(g).is_err()
                    })
                }
            }
            Some(Stored::Dense(at)) => {
                let words = self.dense(at);
                if view.minus.is_empty() {
                    return among
                        .nonzero_words()
                        .any(|(i, w)| words.get(i as usize).is_some_and(|b| b & w != 0));
                }
                // Clear the removed members' bits only in the words that meet `among`.
                let mut minus = view.minus.iter().peekable();
                among.nonzero_words().any(|(i, w)| {
                    let mut x = words.get(i as usize).copied().unwrap_or(0) & w;
                    if x == 0 {
                        return false;
                    }
                    while minus.next_if(|m| **m / 64 < i).is_some() {}
                    while let Some(m) = minus.next_if(|m| **m / 64 == i) {
                        x &= !(1u64 << (m % 64));
                    }
                    x != 0
                })
            }
        }
    }

    /// The lowest member of the set that is in `among` and below `below`.
    pub(super) fn first_common(
        &self,
        view: SetView<'_>,
        among: &GroupSet,
        below: u32,
    ) -> Option<u32> {
        let from_plus = view
            .plus
            .iter()
            .copied()
            .find(|g| *g < below && among.contains(*g as usize));
        let limit = from_plus.unwrap_or(below);
        let from_base = match self.stored(view.base) {
            None => None,
            Some(Stored::Sparse(a, b)) => self
                .sparse(a, b)
                .iter()
                .copied()
                .take_while(|g| *g < limit)
                .find(|g| among.contains(*g as usize) && view.minus.binary_search(g).is_err()),
            Some(Stored::Dense(at)) => {
                let words = self.dense(at);
                let mut found = None;
                for (w, granted) in among.nonzero_words() {
                    let w = w as usize;
                    if w * 64 >= limit as usize {
                        break;
                    }
                    let mut x = words.get(w).copied().unwrap_or(0) & granted;
                    if x == 0 {
                        continue;
                    }
                    for m in view.minus {
                        if *m as usize / 64 == w {
                            x &= !(1u64 << (m % 64));
                        }
                    }
                    if x != 0 {
                        let g = to_u32(w * 64) + x.trailing_zeros();
                        found = (g < limit).then_some(g);
                        break;
                    }
                }
                found
            }
        };
        match (from_plus, from_base) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Calls `f` on every member of the set that is in `among` (base members ascending,
    /// then the correction's), until it returns `true`; returns whether it did.
    pub(super) fn any_common(
        &self,
        view: SetView<'_>,
        among: &GroupSet,
        mut f: impl FnMut(u32) -> bool,
    ) -> bool {
        let kept = |g: &u32| among.contains(*g as usize) && view.minus.binary_search(g).is_err();
        let found = match self.stored(view.base) {
            None => false,
            Some(Stored::Sparse(a, b)) => {
                self.sparse(a, b).iter().filter(|g| kept(g)).any(|g| f(*g))
            }
            Some(Stored::Dense(at)) => {
                let words = self.dense(at);
                among.nonzero_words().any(|(w, granted)| {
                    let x = words.get(w as usize).copied().unwrap_or(0) & granted;
                    BitIter::new(&[x])
                        .map(|bit| to_u32(w as usize * 64) + bit)
                        .filter(|g| view.minus.binary_search(g).is_err())
                        .any(&mut f)
                })
            }
        };
        found
            || view
                .plus
                .iter()
                .filter(|g| among.contains(**g as usize))
                .any(|g| f(*g))
    }

    /// Adds every member of the set to `out`.
    pub(super) fn union_into(&self, view: SetView<'_>, out: &mut GroupSet) {
        let mut add = |g: u32| {
            if view.minus.binary_search(&g).is_err() {
                out.insert(g as usize);
            }
        };
        match self.stored(view.base) {
            None => {}
            Some(Stored::Sparse(a, b)) => self.sparse(a, b).iter().copied().for_each(&mut add),
            Some(Stored::Dense(at)) => BitIter::new(self.dense(at)).for_each(&mut add),
        }
        for g in view.plus {
            out.insert(*g as usize);
        }
    }

    /// Removes the set's members from `out`: word by word for a bitset, so that a set of
    /// thousands costs its words, not its members.
    pub(super) fn subtract_from(&self, view: SetView<'_>, out: &mut GroupSet) {
        match self.stored(view.base) {
            None => {}
            Some(Stored::Sparse(a, b)) => {
                for g in self.sparse(a, b) {
                    if view.minus.binary_search(g).is_err() {
                        out.remove(*g as usize);
                    }
                }
            }
            Some(Stored::Dense(at)) => {
                // The view leaves out its `minus` members (at most a few): those `out` holds
                // are put back after the words are cleared.
                let keep: SmallVec<[u32; 16]> = view
                    .minus
                    .iter()
                    .copied()
                    .filter(|m| out.contains(*m as usize))
                    .collect();
                let words = self.dense(at);
                out.fill(|o| {
                    for (x, w) in o.iter_mut().zip(words) {
                        *x &= !w;
                    }
                });
                for m in keep {
                    out.insert(m as usize);
                }
            }
        }
        for g in view.plus {
            out.remove(*g as usize);
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.sets.capacity() * size_of::<Stored>()
            + self.words.capacity() * 8
            + self.members.capacity() * 4
            + self.interned.capacity() * (size_of::<(u64, Vec<SetId>)>() + 1)
    }
}

/// The positions of the set bits of a bitset, ascending.
pub(super) struct BitIter<'a> {
    words: &'a [u64],
    at: usize,
    rest: u64,
}

impl<'a> BitIter<'a> {
    pub(super) fn new(words: &'a [u64]) -> BitIter<'a> {
        BitIter {
            words,
            at: 0,
            rest: words.first().copied().unwrap_or(0),
        }
    }
}

impl Iterator for BitIter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.rest == 0 {
            self.at += 1;
            self.rest = *self.words.get(self.at)?;
        }
        let bit = self.rest.trailing_zeros();
        self.rest &= self.rest - 1;
        Some(to_u32(self.at * 64) + bit)
    }
}

/// Positions and counts fit in `u32` (5,000 groups × 1,000 rules × 100,000 terms is over
/// that only for groups no server accepts; they saturate).
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[usize]) -> GroupSet {
        members.iter().copied().collect()
    }

    #[test]
    fn interning_shares_equal_sets_in_both_forms() {
        let mut pool = Pool::new(300);
        let small = pool.intern_members(&[3, 200]);
        assert_eq!(pool.intern_members(&[3, 200]), small);
        let big: Vec<u32> = (0..300).step_by(2).collect();
        let dense = pool.intern_members(&big);
        assert_eq!(pool.intern_members(&big), dense);
        assert_ne!(small, dense);
        assert_eq!(pool.intern_members(&[]), SetId::EMPTY);
        assert_eq!(pool.len(), 2);
        assert!(matches!(pool.stored(small), Some(Stored::Sparse(..))));
        assert!(matches!(pool.stored(dense), Some(Stored::Dense(..))));
    }

    #[test]
    fn views_answer_as_the_set_they_stand_for() {
        let mut pool = Pool::new(300);
        let big: Vec<u32> = (0..300).step_by(2).collect();
        let cases = [
            (pool.intern_members(&big), &[4, 250][..]),
            (pool.intern_members(&[4, 10, 250]), &[4, 250][..]),
            (SetId::EMPTY, &[][..]),
        ];
        for (base, minus) in cases {
            let view = SetView {
                base,
                plus: &[7, 299],
                minus,
            };
            let mut expected = GroupSet::new();
            pool.union_into(SetView::of(base), &mut expected);
            expected.remove(4);
            expected.remove(250);
            expected.insert(7);
            expected.insert(299);
            let mut got = GroupSet::new();
            pool.union_into(view, &mut got);
            assert_eq!(got, expected);
            for among in [
                set(&[4]),
                set(&[250, 4]),
                set(&[10]),
                set(&[7]),
                set(&[299]),
                set(&[5, 251]),
                set(&[]),
                set(&[4, 250, 12]),
            ] {
                let truth = expected.intersects(&among);
                let first = expected.intersection(&among).first().map(|g| g as u32);
                assert_eq!(pool.meets(view, &among), truth, "{among:?}");
                assert_eq!(pool.first_common(view, &among, u32::MAX), first);
                assert_eq!(pool.first_common(view, &among, 8), first.filter(|g| *g < 8));
            }
        }
    }
}
