//! The `match` index: every `*` pattern is filed under one 4-byte piece of text
//! ("gram") that any value it matches must contain, chosen as the rarest such gram across
//! the patterns; a value's grams are looked up (a 64 Kibit filter first, so most grams
//! cost one bit test) and the patterns found are checked with the reference pattern
//! test. Patterns without a 4-byte piece are checked one by one; patterns of only `*`
//! match every value.

use super::Visit;
use super::tables::{FxMap, Grouped, Hit, Lists, NONE, to_u32};
use crate::access::term::contains_pattern;

const FILTER_BITS: u32 = 16;

#[derive(Debug, Clone, Copy)]
struct Pattern {
    start: u32,
    len: u32,
    list: u32,
}

/// The `match` terms of one attribute.
#[derive(Debug)]
pub(super) struct Contains {
    always: u32,
    short: Vec<u32>,
    grams: FxMap<u32, (u32, u32)>,
    by_gram: Vec<u32>,
    filter: Vec<u64>,
    patterns: Vec<Pattern>,
    text: String,
    /// The first and one-past-last list ids of this table.
    pub(super) ids: (u32, u32),
}

impl Default for Contains {
    fn default() -> Contains {
        Contains {
            always: NONE,
            short: Vec::new(),
            grams: FxMap::default(),
            by_gram: Vec::new(),
            filter: Vec::new(),
            patterns: Vec::new(),
            text: String::new(),
            ids: (0, 0),
        }
    }
}

#[inline]
fn filter_bit(gram: u32) -> usize {
    (gram.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)) as usize
}

fn grams_of(piece: &str) -> impl Iterator<Item = u32> + '_ {
    piece
        .as_bytes()
        .windows(4)
        .filter_map(|w| <[u8; 4]>::try_from(w).ok())
        .map(u32::from_le_bytes)
}

impl Contains {
    /// Builds from `(pattern, hit)` pairs, hits in ascending order.
    pub(super) fn build(pairs: &[(&str, Hit)], lists: &mut Lists) -> Contains {
        let first_id = lists.count();
        let mut out = Contains {
            ids: (first_id, first_id),
            ..Contains::default()
        };
        if pairs.is_empty() {
            return out;
        }
        let is_always = |p: &str| p.bytes().all(|b| b == b'*');
        let always: Vec<Hit> = pairs
            .iter()
            .filter(|(p, _)| is_always(p))
            .map(|(_, h)| *h)
            .collect();
        if !always.is_empty() {
            out.always = lists.push(always);
        }
        let rest: Vec<(&str, Hit)> = pairs
            .iter()
            .filter(|(p, _)| !is_always(p))
            .copied()
            .collect();
        let grouped = Grouped::new(&rest);
        // How many patterns hold each gram.
        let mut freq: FxMap<u32, u32> = FxMap::default();
        for (pattern, _) in grouped.iter() {
            for piece in pattern.split('*') {
                for g in grams_of(piece) {
                    *freq.entry(g).or_insert(0) += 1;
                }
            }
        }
        let mut filed: Vec<(u32, u32)> = Vec::new();
        for (pattern, hits) in grouped.iter() {
            let id = to_u32(out.patterns.len());
            out.patterns.push(Pattern {
                start: to_u32(out.text.len()),
                len: to_u32(pattern.len()),
                list: lists.push(hits.iter().copied()),
            });
            out.text.push_str(pattern);
            let rarest = pattern
                .split('*')
                .flat_map(grams_of)
                .min_by_key(|g| freq.get(g).copied().unwrap_or(0));
            match rarest {
                Some(g) => filed.push((g, id)),
                None => out.short.push(id),
            }
        }
        filed.sort_unstable();
        if !filed.is_empty() {
            out.filter = vec![0; 1 << (FILTER_BITS - 6)];
        }
        let mut i = 0;
        while let Some(&(g, _)) = filed.get(i) {
            let run = filed
                .get(i..)
                .map_or(0, |r| r.iter().take_while(|(h, _)| *h == g).count());
            out.grams.insert(g, (to_u32(i), to_u32(i + run)));
            let bit = filter_bit(g);
            if let Some(w) = out.filter.get_mut(bit / 64) {
                *w |= 1u64 << (bit % 64);
            }
            i += run;
        }
        out.by_gram = filed.into_iter().map(|(_, id)| id).collect();
        out.patterns.shrink_to_fit();
        out.text.shrink_to_fit();
        out.short.shrink_to_fit();
        out.ids.1 = lists.count();
        out
    }

    pub(super) fn is_empty(&self) -> bool {
        self.always == NONE && self.patterns.is_empty()
    }

    #[inline]
    fn check(&self, id: u32, value: &str, v: &mut impl Visit) -> bool {
        let Some(p) = self.patterns.get(id as usize) else {
            return false;
        };
        if !v.wants(p.list) {
            return false;
        }
        let pattern = self
            .text
            .get(p.start as usize..(p.start + p.len) as usize)
            .unwrap_or("");
        contains_pattern(pattern, value) && v.visit(p.list)
    }

    /// Visits the list of every pattern matching `value`; returns `true` when the visitor
    /// stopped.
    #[inline]
    pub(super) fn visit(&self, value: &str, v: &mut impl Visit) -> bool {
        if self.always != NONE && v.wants(self.always) && v.visit(self.always) {
            return true;
        }
        for id in &self.short {
            if self.check(*id, value, v) {
                return true;
            }
        }
        if self.grams.is_empty() {
            return false;
        }
        for g in grams_of(value) {
            let bit = filter_bit(g);
            let maybe = self
                .filter
                .get(bit / 64)
                .is_some_and(|w| w & (1u64 << (bit % 64)) != 0);
            if !maybe {
                continue;
            }
            let Some(&(a, b)) = self.grams.get(&g) else {
                continue;
            };
            for id in self.by_gram.get(a as usize..b as usize).unwrap_or(&[]) {
                if self.check(*id, value, v) {
                    return true;
                }
            }
        }
        false
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.short.capacity() * 4
            + self.grams.capacity() * (size_of::<(u32, (u32, u32))>() + 1)
            + self.by_gram.capacity() * 4
            + self.filter.capacity() * 8
            + self.patterns.capacity() * size_of::<Pattern>()
            + self.text.capacity()
    }
}
