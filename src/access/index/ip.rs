//! IP tables: for each elementary address interval (the points where the set of covering
//! terms changes), the set of groups whose terms cover it; and, per group, the lowest term
//! covering each address (for explanations).
//!
//! Neighbouring intervals usually differ by a group or two, and in dense networks every
//! interval's set is large (one /8 shared by thousands of groups), so storing each
//! interval's set in full would cost `intervals × groups` bits. Instead the sweep keeps a
//! *checkpoint* set in the [`Pool`] and gives each interval its difference from it (at
//! most [`MAX_DELTA`] groups added or removed); past that it takes a new checkpoint. A
//! lookup is a binary search and one [`SetView`], whatever the overlap.

use super::pool::{Pool, SetId, SetView, to_u32};

/// An IP address family's integer.
pub(super) trait Addr: Copy + Ord + Default + core::fmt::Debug {
    /// `self + 1`, or `None` at the top of the family.
    fn succ(self) -> Option<Self>;
    /// The number of significant bits of `self - base` (`self >= base`).
    fn bits_above(self, base: Self) -> u32;
    /// `(self - base) >> shift`, saturated to `usize` (`self >= base`).
    fn bucket(self, base: Self, shift: u32) -> usize;
}

impl Addr for u32 {
    fn succ(self) -> Option<u32> {
        self.checked_add(1)
    }
    fn bits_above(self, base: u32) -> u32 {
        32 - self.wrapping_sub(base).leading_zeros()
    }
    #[inline]
    fn bucket(self, base: u32, shift: u32) -> usize {
        self.wrapping_sub(base).checked_shr(shift).unwrap_or(0) as usize
    }
}

impl Addr for u128 {
    fn succ(self) -> Option<u128> {
        self.checked_add(1)
    }
    fn bits_above(self, base: u128) -> u32 {
        128 - self.wrapping_sub(base).leading_zeros()
    }
    #[inline]
    fn bucket(self, base: u128, shift: u32) -> usize {
        usize::try_from(self.wrapping_sub(base).checked_shr(shift).unwrap_or(0))
            .unwrap_or(usize::MAX)
    }
}

/// Most groups an interval's set may differ from its checkpoint by.
const MAX_DELTA: usize = 16;

/// At most 2^this radix buckets (a 256 KiB table) per IP table.
const MAX_BUCKETS_LOG2: u32 = 16;

/// Bounds per radix bucket, on average: a bucket's bounds share a cache line or two, and
/// the table of buckets stays a small fraction of the bounds (so it stays in cache).
const BOUNDS_PER_BUCKET: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    base: SetId,
    /// `deltas[delta..delta + plus]` are added, the next `minus` removed.
    delta: u32,
    plus: u8,
    minus: u8,
}

/// The covering groups of every address of one family.
#[derive(Debug, Default)]
pub(super) struct IpTable<T> {
    /// Segment `i` is `[bounds[i], bounds[i + 1])`; addresses below `bounds[0]` have none.
    bounds: Vec<T>,
    /// A radix table over the bounds: the addresses from `bounds[0]` are cut into buckets of
    /// `2^shift`; `buckets[b]` is the first segment whose bound is in bucket `b` or later,
    /// so a lookup searches only the few bounds of its own bucket (about one per bucket)
    /// instead of the whole table.
    buckets: Vec<u32>,
    shift: u32,
    segments: Vec<Segment>,
    deltas: Vec<u32>,
}

impl<T: Addr> IpTable<T> {
    /// Builds from `(first, last, group)` intervals (inclusive), groups in the pool's
    /// universe.
    pub(super) fn build(terms: &[(T, T, u32)], pool: &mut Pool) -> IpTable<T> {
        let mut table = IpTable::default();
        if terms.is_empty() {
            return table;
        }
        // An interval enters at `first` and leaves at `last + 1` (never, at the top).
        let mut events: Vec<(T, bool, u32)> = Vec::with_capacity(terms.len() * 2);
        for &(first, last, group) in terms {
            events.push((first, true, group));
            if let Some(end) = last.succ() {
                events.push((end, false, group));
            }
        }
        events.sort_unstable_by_key(|e| e.0);
        let words = pool.words_per_set();
        let mut sweep = Sweep {
            count: vec![0; words * 64],
            active: vec![0; words],
            active_len: 0,
            base_bits: vec![0; words],
            base: SetId::EMPTY,
            touched: Vec::new(),
            marked: vec![0; words],
        };
        let (mut plus, mut minus) = (Vec::new(), Vec::new());
        let mut at = 0;
        while let Some(&(point, _, _)) = events.get(at) {
            while let Some(&(p, enter, group)) = events.get(at) {
                if p != point {
                    break;
                }
                sweep.apply(group, enter);
                at += 1;
            }
            sweep.delta(&mut plus, &mut minus);
            if plus.len() + minus.len() > MAX_DELTA || sweep.active_len == 0 {
                sweep.checkpoint(pool);
                plus.clear();
                minus.clear();
            }
            plus.sort_unstable();
            minus.sort_unstable();
            if let Some(last) = table.segments.last() {
                let same = last.base == sweep.base
                    && table.delta_lists(*last) == (plus.as_slice(), minus.as_slice());
                if same {
                    continue;
                }
            }
            table.bounds.push(point);
            table.segments.push(Segment {
                base: sweep.base,
                delta: to_u32(table.deltas.len()),
                plus: u8::try_from(plus.len()).unwrap_or(u8::MAX),
                minus: u8::try_from(minus.len()).unwrap_or(u8::MAX),
            });
            table.deltas.extend_from_slice(&plus);
            table.deltas.extend_from_slice(&minus);
        }
        table.index_buckets();
        table.bounds.shrink_to_fit();
        table.segments.shrink_to_fit();
        table.deltas.shrink_to_fit();
        table
    }

    fn delta_lists(&self, s: Segment) -> (&[u32], &[u32]) {
        let a = s.delta as usize;
        let b = a + usize::from(s.plus);
        let c = b + usize::from(s.minus);
        (
            self.deltas.get(a..b).unwrap_or_default(),
            self.deltas.get(b..c).unwrap_or_default(),
        )
    }

    /// Builds the radix table: one bucket per [`BOUNDS_PER_BUCKET`] bounds, at most 2^16.
    fn index_buckets(&mut self) {
        let (Some(&first), Some(&last)) = (self.bounds.first(), self.bounds.last()) else {
            return;
        };
        let wanted = (self.bounds.len() / BOUNDS_PER_BUCKET)
            .max(1)
            .next_power_of_two()
            .trailing_zeros()
            .min(MAX_BUCKETS_LOG2);
        self.shift = last.bits_above(first).saturating_sub(wanted);
        let count = last.bucket(first, self.shift) + 2;
        let mut buckets = Vec::with_capacity(count);
        let mut at = 0;
        for b in 0..count {
            while self
                .bounds
                .get(at)
                .is_some_and(|x| x.bucket(first, self.shift) < b)
            {
                at += 1;
            }
            buckets.push(to_u32(at));
        }
        self.buckets = buckets;
    }

    /// Whether the table has no interval.
    pub(super) fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The groups covering `x`, if any.
    #[inline]
    pub(super) fn find(&self, x: T) -> Option<SetView<'_>> {
        let segment = self.segment_of(x)?;
        let s = *self.segments.get(segment)?;
        let (plus, minus) = self.delta_lists(s);
        (s.base != SetId::EMPTY || !plus.is_empty()).then_some(SetView {
            base: s.base,
            plus,
            minus,
        })
    }

    #[inline]
    fn segment_of(&self, x: T) -> Option<usize> {
        let first = *self.bounds.first()?;
        if x < first {
            return None;
        }
        // The segment holding `x` starts in `x`'s bucket or is the last one before it.
        let b = x.bucket(first, self.shift);
        let (lo, hi) = match (self.buckets.get(b), self.buckets.get(b.saturating_add(1))) {
            (Some(&lo), Some(&hi)) => (lo as usize, hi as usize),
            _ => return Some(self.bounds.len() - 1),
        };
        let within = self.bounds.get(lo..hi)?.partition_point(|p| *p <= x);
        (lo + within).checked_sub(1)
    }

    /// The intervals, each with its groups (for building a filter): `(first, last, set)`.
    pub(super) fn intervals(&self) -> impl Iterator<Item = (T, Option<T>, SetView<'_>)> + '_ {
        self.bounds
            .iter()
            .zip(&self.segments)
            .enumerate()
            .map(move |(i, (first, s))| {
                let (plus, minus) = self.delta_lists(*s);
                let next = self.bounds.get(i + 1).copied();
                (
                    *first,
                    next,
                    SetView {
                        base: s.base,
                        plus,
                        minus,
                    },
                )
            })
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.bounds.capacity() * size_of::<T>()
            + self.buckets.capacity() * 4
            + self.segments.capacity() * size_of::<Segment>()
            + self.deltas.capacity() * 4
    }
}

/// The state of a build sweep: how many terms of each group cover the current point, the
/// groups covering it, and the checkpoint its set is told relative to.
struct Sweep {
    count: Vec<u32>,
    active: Vec<u64>,
    active_len: usize,
    base_bits: Vec<u64>,
    base: SetId,
    /// Groups whose membership changed since the checkpoint (`marked` has their bits).
    touched: Vec<u32>,
    marked: Vec<u64>,
}

fn bit(words: &[u64], g: u32) -> bool {
    words
        .get(g as usize / 64)
        .is_some_and(|w| w & (1u64 << (g % 64)) != 0)
}

fn flip(words: &mut [u64], g: u32) {
    if let Some(w) = words.get_mut(g as usize / 64) {
        *w ^= 1u64 << (g % 64);
    }
}

impl Sweep {
    fn apply(&mut self, group: u32, enter: bool) {
        let Some(count) = self.count.get_mut(group as usize) else {
            return;
        };
        let was = *count;
        *count = if enter {
            was.saturating_add(1)
        } else {
            was.saturating_sub(1)
        };
        if (was == 0) != (*count == 0) {
            flip(&mut self.active, group);
            if *count == 0 {
                self.active_len -= 1;
            } else {
                self.active_len += 1;
            }
            if !bit(&self.marked, group) {
                flip(&mut self.marked, group);
                self.touched.push(group);
            }
        }
    }

    /// The groups added to and removed from the checkpoint at the current point.
    fn delta(&mut self, plus: &mut Vec<u32>, minus: &mut Vec<u32>) {
        plus.clear();
        minus.clear();
        for &g in &self.touched {
            match (bit(&self.active, g), bit(&self.base_bits, g)) {
                (true, false) => plus.push(g),
                (false, true) => minus.push(g),
                _ => {}
            }
        }
        // Groups that came back to their checkpoint state need not be looked at again.
        if self.touched.len() > 4 * MAX_DELTA {
            let (active, base, marked) = (&self.active, &self.base_bits, &mut self.marked);
            self.touched.retain(|g| {
                let keep = bit(active, *g) != bit(base, *g);
                if !keep {
                    flip(marked, *g);
                }
                keep
            });
        }
    }

    fn checkpoint(&mut self, pool: &mut Pool) {
        self.base = pool.intern_bits(&self.active);
        self.base_bits.copy_from_slice(&self.active);
        for g in self.touched.drain(..) {
            flip(&mut self.marked, g);
        }
    }
}

/// For each group, its own IP terms of one family as elementary intervals, each with the
/// lowest term (ordinal) covering it: the explanation of a membership, `O(log terms)`.
#[derive(Debug, Default)]
pub(super) struct GroupIntervals<T> {
    /// Group `g`'s intervals are `starts[g]..starts[g + 1]`.
    starts: Vec<u32>,
    bounds: Vec<T>,
    /// The lowest ordinal covering each interval, or `u32::MAX` for a gap.
    ordinals: Vec<u32>,
}

impl<T: Addr> GroupIntervals<T> {
    /// Builds from `(first, last, group, ordinal)` terms of `groups` groups.
    pub(super) fn build(terms: &[(T, T, u32, u32)], groups: usize) -> GroupIntervals<T> {
        let mut out = GroupIntervals {
            starts: Vec::with_capacity(groups + 1),
            ..GroupIntervals::default()
        };
        let mut by_group: Vec<(u32, T, T, u32)> =
            terms.iter().map(|&(a, b, g, o)| (g, a, b, o)).collect();
        by_group.sort_unstable_by_key(|t| t.0);
        let mut at = 0;
        for g in 0..groups {
            out.starts.push(to_u32(out.bounds.len()));
            let begin = at;
            while by_group.get(at).is_some_and(|t| t.0 as usize == g) {
                at += 1;
            }
            out.sweep(by_group.get(begin..at).unwrap_or_default());
        }
        out.starts.push(to_u32(out.bounds.len()));
        out.bounds.shrink_to_fit();
        out.ordinals.shrink_to_fit();
        out
    }

    fn sweep(&mut self, terms: &[(u32, T, T, u32)]) {
        let mut events: Vec<(T, bool, u32)> = Vec::with_capacity(terms.len() * 2);
        for &(_, first, last, ordinal) in terms {
            events.push((first, true, ordinal));
            if let Some(end) = last.succ() {
                events.push((end, false, ordinal));
            }
        }
        events.sort_unstable_by_key(|e| e.0);
        let mut active = std::collections::BTreeSet::new();
        let mut at = 0;
        let first_bound = self.bounds.len();
        while let Some(&(point, _, _)) = events.get(at) {
            while let Some(&(p, enter, ordinal)) = events.get(at) {
                if p != point {
                    break;
                }
                if enter {
                    active.insert(ordinal);
                } else {
                    active.remove(&ordinal);
                }
                at += 1;
            }
            let lowest = active.first().copied().unwrap_or(u32::MAX);
            if self.bounds.len() > first_bound && self.ordinals.last() == Some(&lowest) {
                continue;
            }
            self.bounds.push(point);
            self.ordinals.push(lowest);
        }
    }

    /// The lowest ordinal of group `g`'s terms covering `x`.
    pub(super) fn lowest(&self, g: u32, x: T) -> Option<u32> {
        let a = *self.starts.get(g as usize)? as usize;
        let b = *self.starts.get(g as usize + 1)? as usize;
        let bounds = self.bounds.get(a..b)?;
        let i = bounds.partition_point(|p| *p <= x).checked_sub(1)?;
        self.ordinals.get(a + i).copied().filter(|o| *o != u32::MAX)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 4
            + self.bounds.capacity() * size_of::<T>()
            + self.ordinals.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::index::set::GroupSet;

    /// Every address's set equals the groups whose terms cover it, on heavily
    /// overlapping terms (many checkpoints and deltas).
    #[test]
    fn sets_equal_the_covering_groups() {
        let mut terms = Vec::new();
        for g in 0..150u32 {
            terms.push((g, 400 - g, g));
            terms.push((g * 3, g * 3 + 7, (g * 7) % 150));
        }
        terms.push((0, u32::MAX, 149));
        let mut pool = Pool::new(150);
        let table = IpTable::build(&terms, &mut pool);
        for x in 0..460u32 {
            let mut expected = GroupSet::new();
            for (a, b, g) in &terms {
                if *a <= x && x <= *b {
                    expected.insert(*g as usize);
                }
            }
            let mut got = GroupSet::new();
            if let Some(view) = table.find(x) {
                pool.union_into(view, &mut got);
            }
            assert_eq!(got, expected, "address {x}");
        }
        assert!(table.find(u32::MAX).is_some());
    }

    /// The radix buckets find the same segment as a binary search over all bounds, for
    /// tables of every spread (one bucket, many, addresses past the last bound).
    #[test]
    fn buckets_find_every_segment() {
        for (terms, probes) in [
            (vec![(5u32, 5u32, 0u32)], vec![0u32, 4, 5, 6, u32::MAX]),
            (
                (0..300u32)
                    .map(|i| (i * 1000, i * 1000 + 499, i % 7))
                    .collect(),
                (0..310_000u32).step_by(97).collect(),
            ),
            (
                vec![
                    (0, 10, 1),
                    (u32::MAX - 10, u32::MAX, 2),
                    (1 << 31, 1 << 31, 3),
                ],
                vec![0, 10, 11, 1 << 31, (1 << 31) + 1, u32::MAX - 11, u32::MAX],
            ),
        ] {
            let mut pool = Pool::new(8);
            let table = IpTable::build(&terms, &mut pool);
            for x in probes {
                let expected = table.bounds.partition_point(|b| *b <= x).checked_sub(1);
                assert_eq!(table.segment_of(x), expected, "address {x}");
            }
        }
        // IPv6: buckets of 2^112 addresses and more, addresses far past the last bound.
        let terms = [
            (0u128, 5u128, 0u32),
            (1 << 100, 1 << 101, 1),
            (u128::MAX - 1, u128::MAX - 1, 2),
        ];
        let mut pool = Pool::new(4);
        let table = IpTable::build(&terms, &mut pool);
        for x in [
            0,
            6,
            1 << 100,
            (1 << 101) + 1,
            1 << 127,
            u128::MAX - 1,
            u128::MAX,
        ] {
            let expected = table.bounds.partition_point(|b| *b <= x).checked_sub(1);
            assert_eq!(table.segment_of(x), expected, "address {x}");
        }
    }

    #[test]
    fn lowest_term_per_group() {
        let terms = [
            (10u32, 20, 0, 5),
            (15, 30, 0, 2),
            (0, 100, 1, 9),
            (25, 25, 0, 1),
        ];
        let ex = GroupIntervals::build(&terms, 3);
        assert_eq!(ex.lowest(0, 9), None);
        assert_eq!(ex.lowest(0, 12), Some(5));
        assert_eq!(ex.lowest(0, 16), Some(2));
        assert_eq!(ex.lowest(0, 25), Some(1));
        assert_eq!(ex.lowest(0, 31), None);
        assert_eq!(ex.lowest(1, 50), Some(9));
        assert_eq!(ex.lowest(2, 50), None);
    }
}
