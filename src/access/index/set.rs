//! [`GroupSet`]: a bitset of group positions.

use core::fmt;

/// A set of group positions (indexes into the order of an
/// [`AccessGroups`](crate::AccessGroups)), as a bitset: one bit per position, so
/// `contains` is a shift and a mask, and a set over 5,000 groups is 79 words.
///
/// # Examples
///
/// ```
/// use scangate::access::GroupSet;
/// let mut a: GroupSet = [3, 70].into_iter().collect();
/// let b: GroupSet = [70, 5].into_iter().collect();
/// assert!(a.contains(70) && !a.contains(5));
/// assert_eq!(a.union(&b).iter().collect::<Vec<_>>(), [3, 5, 70]);
/// assert_eq!(a.intersection(&b).iter().collect::<Vec<_>>(), [70]);
/// a.insert(5);
/// assert_eq!(a.len(), 3);
/// ```
#[derive(Clone, Default)]
pub struct GroupSet {
    words: Vec<u64>,
}

impl GroupSet {
    /// The empty set.
    #[must_use]
    pub fn new() -> GroupSet {
        GroupSet::default()
    }

    /// The empty set, with room for positions `0..positions` without growing.
    #[must_use]
    pub fn with_capacity(positions: usize) -> GroupSet {
        GroupSet {
            words: vec![0; positions.div_ceil(64)],
        }
    }

    /// The set of every position in `0..positions`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(scangate::access::GroupSet::full(3).iter().collect::<Vec<_>>(), [0, 1, 2]);
    /// ```
    #[must_use]
    pub fn full(positions: usize) -> GroupSet {
        let mut set = GroupSet::with_capacity(positions);
        set.words.iter_mut().for_each(|w| *w = u64::MAX);
        if positions % 64 != 0 {
            if let Some(last) = set.words.last_mut() {
                *last = (1u64 << (positions % 64)) - 1;
            }
        }
        set
    }

    /// Adds `position`; returns whether it was not already in the set.
    pub fn insert(&mut self, position: usize) -> bool {
        let (word, bit) = (position / 64, 1u64 << (position % 64));
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        match self.words.get_mut(word) {
            Some(w) => {
                let added = *w & bit == 0;
                *w |= bit;
                added
            }
            None => false,
        }
    }

    /// Makes room for positions `0..positions` (never shrinks).
    pub(crate) fn reserve_positions(&mut self, positions: usize) {
        let words = positions.div_ceil(64);
        if words > self.words.len() {
            self.words.resize(words, 0);
        }
    }

    /// Adds `position` when it is within the room made (no growth, no answer).
    #[inline]
    pub(crate) fn set_within(&mut self, position: usize) {
        if let Some(w) = self.words.get_mut(position / 64) {
            *w |= 1u64 << (position % 64);
        }
    }

    /// Removes `position`; returns whether it was in the set.
    pub fn remove(&mut self, position: usize) -> bool {
        match self.words.get_mut(position / 64) {
            Some(w) => {
                let bit = 1u64 << (position % 64);
                let present = *w & bit != 0;
                *w &= !bit;
                present
            }
            None => false,
        }
    }

    /// Whether `position` is in the set.
    #[inline]
    #[must_use]
    pub fn contains(&self, position: usize) -> bool {
        self.words
            .get(position / 64)
            .is_some_and(|w| w & (1u64 << (position % 64)) != 0)
    }

    /// The positions in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut rest = w;
            core::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(i * 64 + bit)
            })
        })
    }

    /// The lowest position, if any.
    #[must_use]
    pub fn first(&self) -> Option<usize> {
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The number of positions in the set.
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Removes every position (keeps the allocation).
    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    /// Adds every position of `other`.
    pub fn union_with(&mut self, other: &GroupSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
    }

    /// Keeps only the positions also in `other`.
    pub fn intersect_with(&mut self, other: &GroupSet) {
        for (i, a) in self.words.iter_mut().enumerate() {
            *a &= other.words.get(i).copied().unwrap_or(0);
        }
    }

    /// The positions in `self` or `other`.
    #[must_use]
    pub fn union(&self, other: &GroupSet) -> GroupSet {
        let mut out = self.clone();
        out.union_with(other);
        out
    }

    /// The positions in both `self` and `other`.
    #[must_use]
    pub fn intersection(&self, other: &GroupSet) -> GroupSet {
        let mut out = self.clone();
        out.intersect_with(other);
        out
    }

    /// Whether some position is in both sets.
    #[must_use]
    pub fn intersects(&self, other: &GroupSet) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    /// The bitset's words (bit `p % 64` of word `p / 64` is position `p`).
    #[inline]
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

impl PartialEq for GroupSet {
    fn eq(&self, other: &GroupSet) -> bool {
        let n = self.words.len().max(other.words.len());
        (0..n).all(|i| self.words.get(i).unwrap_or(&0) == other.words.get(i).unwrap_or(&0))
    }
}

impl Eq for GroupSet {}

impl fmt::Debug for GroupSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<usize> for GroupSet {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> GroupSet {
        let mut set = GroupSet::new();
        set.extend(iter);
        set
    }
}

impl Extend<usize> for GroupSet {
    fn extend<I: IntoIterator<Item = usize>>(&mut self, iter: I) {
        for position in iter {
            self.insert(position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut s = GroupSet::with_capacity(10);
        assert!(s.is_empty());
        assert!(s.insert(200));
        assert!(!s.insert(200));
        assert!(s.insert(0));
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 200]);
        assert_eq!(s.first(), Some(0));
        assert!(s.remove(0));
        assert!(!s.remove(5000));
        assert_eq!(s, [200].into_iter().collect());
        assert_eq!(GroupSet::full(65).len(), 65);
        assert_eq!(GroupSet::full(64).len(), 64);
        let t: GroupSet = [1, 200].into_iter().collect();
        assert!(s.intersects(&t));
        assert_eq!(s.union(&t).len(), 2);
        assert_eq!(GroupSet::new(), GroupSet::with_capacity(1000));
    }
}
