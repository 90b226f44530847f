//! [`GroupSet`]: a bitset of group positions.

use core::fmt;

/// A set of group positions (indexes into the order of an
/// [`AccessGroups`](crate::access::AccessGroups)), as a bitset: one bit per position, so
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
    /// The indexes of the nonzero words, ascending: a set test against another bitset
    /// only looks at these (a subject granted by a few dozen of 5,000 groups touches a few
    /// dozen of 79 words).
    nonzero: Vec<u32>,
}

/// Word indexes are `u32` (a set of more than 2^38 positions cannot be allocated anyway).
fn word_index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
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
            nonzero: Vec::new(),
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
        set.reindex();
        set
    }

    /// Rebuilds the nonzero-word index after a change to many words.
    fn reindex(&mut self) {
        // Branch-free: every index is written, the count advances only past nonzero words.
        self.nonzero.resize(self.words.len(), 0);
        let mut len = 0;
        for (i, w) in self.words.iter().enumerate() {
            if let Some(slot) = self.nonzero.get_mut(len) {
                *slot = word_index(i);
            }
            len += usize::from(*w != 0);
        }
        self.nonzero.truncate(len);
    }

    /// Sets bit `bit` of word `word` (which exists); returns whether it was clear.
    fn set_bit(&mut self, word: usize, bit: u64) -> bool {
        let Some(w) = self.words.get_mut(word) else {
            return false;
        };
        let was = *w;
        *w |= bit;
        if was == 0 {
            let at = word_index(word);
            if let Err(i) = self.nonzero.binary_search(&at) {
                self.nonzero.insert(i, at);
            }
        }
        was & bit == 0
    }

    /// Adds `position`; returns whether it was not already in the set.
    pub fn insert(&mut self, position: usize) -> bool {
        let word = position / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.set_bit(word, 1u64 << (position % 64))
    }

    /// Makes room for positions `0..positions` (never shrinks).
    pub(crate) fn reserve_positions(&mut self, positions: usize) {
        let words = positions.div_ceil(64);
        if words > self.words.len() {
            self.words.resize(words, 0);
        }
    }

    /// Changes the words in place with `f` (positions beyond the room made are not
    /// reachable), then rebuilds the nonzero-word index once: for sets built from many
    /// bits at a time.
    pub(crate) fn fill(&mut self, f: impl FnOnce(&mut [u64])) {
        f(&mut self.words);
        self.reindex();
    }

    /// The words (bit `p % 64` of word `p / 64` is position `p`).
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    /// Removes `position`; returns whether it was in the set.
    pub fn remove(&mut self, position: usize) -> bool {
        let word = position / 64;
        let Some(w) = self.words.get_mut(word) else {
            return false;
        };
        let bit = 1u64 << (position % 64);
        let present = *w & bit != 0;
        *w &= !bit;
        if present && *w == 0 {
            if let Ok(i) = self.nonzero.binary_search(&word_index(word)) {
                self.nonzero.remove(i);
            }
        }
        present
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
        self.nonzero.iter().flat_map(|&i| {
            let mut rest = self.words.get(i as usize).copied().unwrap_or(0);
            core::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(i as usize * 64 + bit)
            })
        })
    }

    /// The lowest position, if any.
    #[must_use]
    pub fn first(&self) -> Option<usize> {
        let i = *self.nonzero.first()? as usize;
        let w = self.words.get(i)?;
        Some(i * 64 + w.trailing_zeros() as usize)
    }

    /// The number of positions in the set.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nonzero_words()
            .map(|(_, w)| w.count_ones() as usize)
            .sum()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nonzero.is_empty()
    }

    /// Removes every position (keeps the allocation).
    pub fn clear(&mut self) {
        for i in self.nonzero.drain(..) {
            if let Some(w) = self.words.get_mut(i as usize) {
                *w = 0;
            }
        }
    }

    /// Adds every position of `other`.
    pub fn union_with(&mut self, other: &GroupSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
        self.reindex();
    }

    /// Keeps only the positions also in `other`.
    pub fn intersect_with(&mut self, other: &GroupSet) {
        for (i, a) in self.words.iter_mut().enumerate() {
            *a &= other.words.get(i).copied().unwrap_or(0);
        }
        self.reindex();
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
        self.nonzero_words()
            .any(|(i, w)| other.words.get(i as usize).is_some_and(|o| o & w != 0))
    }

    /// The nonzero words with their indexes, ascending.
    #[inline]
    pub(crate) fn nonzero_words(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.nonzero
            .iter()
            .map(|&i| (i, self.words.get(i as usize).copied().unwrap_or(0)))
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8 + self.nonzero.capacity() * 4
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

    /// The nonzero-word index follows every change.
    #[test]
    fn nonzero_index_follows_changes() {
        let index = |s: &GroupSet| s.nonzero_words().map(|(i, _)| i).collect::<Vec<_>>();
        let mut s = GroupSet::with_capacity(640);
        s.insert(300);
        s.fill(|words| words[0] |= 1 << 5);
        s.insert(70);
        s.insert(71);
        assert_eq!(index(&s), [0, 1, 4]);
        s.remove(70);
        assert_eq!(index(&s), [0, 1, 4]);
        s.remove(71);
        assert_eq!(index(&s), [0, 4]);
        s.union_with(&[700].into_iter().collect());
        assert_eq!(index(&s), [0, 4, 10]);
        s.intersect_with(&[5, 700].into_iter().collect());
        assert_eq!(index(&s), [0, 10]);
        assert_eq!(s.first(), Some(5));
        s.clear();
        assert!(s.is_empty() && index(&s).is_empty());
        assert_eq!(GroupSet::full(130).nonzero_words().count(), 3);
    }
}
