//! The `match` index: every `*` pattern is filed under one 8-byte piece of text
//! ("gram") that any value it matches must contain — or a 4-byte one when no piece
//! between its `*`s is 8 bytes long — chosen as the rarest such gram across the patterns;
//! a value's grams are looked up (a 64 Kibit filter first, so most grams cost one bit
//! test) and the patterns found are checked with the reference pattern test. Patterns
//! without a 4-byte piece are checked one by one; patterns of only `*` match every value.

use core::hash::BuildHasherDefault;

use super::Visit;
use super::tables::{ANY, FxMap, Grouped, Hit, Lists, NONE, to_u32};

#[derive(Debug, Clone, Copy)]
struct Pattern {
    start: u32,
    len: u32,
    list: u32,
    /// The [`bloom_bit`] of a second gram the pattern requires, from another piece when
    /// it has one (a candidate whose value lacks it is dropped without running the
    /// pattern), or [`NO_GRAM`].
    second: u16,
}

const NO_GRAM: u16 = u16::MAX;

/// A position in the 512-bit Bloom filter of a value's grams.
#[inline]
fn bloom_bit(gram: u64) -> u16 {
    // Truncation intended: the top 9 bits.
    (gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as u16
}

/// The 512-bit Bloom filter of every 4- and 8-byte gram of `value`.
fn value_bloom(value: &str) -> [u64; 8] {
    let mut bloom = [0u64; 8];
    let mut set = |g: u64| {
        let bit = usize::from(bloom_bit(g));
        if let Some(w) = bloom.get_mut(bit / 64) {
            *w |= 1u64 << (bit % 64);
        }
    };
    let mut roll = 0u64;
    for (i, b) in value.bytes().enumerate() {
        roll = (roll >> 8) | (u64::from(b) << 56);
        if i >= 7 {
            set(roll);
        }
        if i >= 3 {
            set(roll >> 32);
        }
    }
    bloom
}

/// Patterns filed by grams of one width.
#[derive(Debug, Default)]
struct GramTable {
    grams: FxMap<u64, (u32, u32)>,
    by_gram: Vec<u32>,
    /// A one-hash Bloom filter of the grams: about 16 bits per gram, at least 2^12.
    filter: Vec<u64>,
    /// `64 - log2(filter bits)`.
    shift: u32,
}

fn grams_of(text: &str, width: usize) -> impl Iterator<Item = u64> + '_ {
    text.as_bytes().windows(width).map(|w| {
        let mut g = [0u8; 8];
        for (a, b) in g.iter_mut().zip(w) {
            *a = *b;
        }
        u64::from_le_bytes(g)
    })
}

impl GramTable {
    fn build(mut filed: Vec<(u64, u32)>) -> GramTable {
        let mut out = GramTable::default();
        if filed.is_empty() {
            return out;
        }
        filed.sort_unstable();
        let bits = (filed.len() * 16)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 22);
        out.shift = 64 - bits.trailing_zeros();
        out.filter = vec![0; bits / 64];
        let mut i = 0;
        while let Some(&(g, _)) = filed.get(i) {
            let run = filed
                .get(i..)
                .map_or(1, |r| r.iter().take_while(|(h, _)| *h == g).count());
            out.grams.insert(g, (to_u32(i), to_u32(i + run)));
            let bit = out.filter_bit(g);
            if let Some(w) = out.filter.get_mut(bit / 64) {
                *w |= 1u64 << (bit % 64);
            }
            i += run;
        }
        out.grams.shrink_to_fit();
        out.by_gram = filed.into_iter().map(|(_, id)| id).collect();
        out
    }

    #[inline]
    fn filter_bit(&self, gram: u64) -> usize {
        (gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Whether `gram` may be filed here (the one-bit filter test).
    #[inline(always)]
    fn maybe(&self, gram: u64) -> bool {
        let bit = self.filter_bit(gram);
        self.filter
            .get(bit / 64)
            .is_some_and(|w| w & (1u64 << (bit % 64)) != 0)
    }

    /// Calls `f` with every pattern filed under `gram`.
    #[inline(never)]
    fn visit(&self, gram: u64, f: &mut impl FnMut(u32) -> bool) -> bool {
        let Some(&(a, b)) = self.grams.get(&gram) else {
            return false;
        };
        for id in self.by_gram.get(a as usize..b as usize).unwrap_or(&[]) {
            if f(*id) {
                return true;
            }
        }
        false
    }

    fn heap_bytes(&self) -> usize {
        self.grams.capacity() * (size_of::<(u64, (u32, u32))>() + 1)
            + self.by_gram.capacity() * 4
            + self.filter.capacity() * 8
    }
}

/// The `match` terms of one attribute.
#[derive(Debug)]
pub(super) struct Contains {
    always: u32,
    short: Vec<u32>,
    wide: GramTable,
    narrow: GramTable,
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
            wide: GramTable::default(),
            narrow: GramTable::default(),
            patterns: Vec::new(),
            text: String::new(),
            ids: (0, 0),
        }
    }
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
        let room = rest.iter().map(|(p, _)| p.len()).sum::<usize>() / 4;
        let mut freq: [FxMap<u64, u32>; 2] = [
            FxMap::with_capacity_and_hasher(room, BuildHasherDefault::default()),
            FxMap::with_capacity_and_hasher(room, BuildHasherDefault::default()),
        ];
        for (pattern, _) in grouped.iter() {
            for (f, width) in freq.iter_mut().zip([8, 4]) {
                for g in pattern.split('*').flat_map(|p| grams_of(p, width)) {
                    *f.entry(g).or_insert(0) += 1;
                }
            }
        }
        let mut filed: [Vec<(u64, u32)>; 2] = [Vec::new(), Vec::new()];
        for (pattern, hits) in grouped.iter() {
            let id = to_u32(out.patterns.len());
            // Every gram of every piece, with its piece and frequency.
            let grams: Vec<(usize, u64, usize, u32)> = pattern
                .split('*')
                .enumerate()
                .flat_map(|(piece, text)| {
                    [(8, 0), (4, 1)].into_iter().flat_map(move |(width, f)| {
                        grams_of(text, width).map(move |g| (piece, g, width, f))
                    })
                })
                .map(|(piece, g, width, f)| {
                    let n = freq.get(f).and_then(|m| m.get(&g)).copied().unwrap_or(0);
                    (piece, g, width, n)
                })
                .collect();
            // File under the rarest 8-byte gram, else the rarest 4-byte one.
            let filed_under = [8, 4].into_iter().find_map(|width| {
                grams
                    .iter()
                    .filter(|x| x.2 == width)
                    .min_by_key(|x| x.3)
                    .copied()
            });
            let second = filed_under.and_then(|(piece, g, _, _)| {
                let others = || grams.iter().filter(move |x| x.1 != g);
                others()
                    .filter(|x| x.0 != piece)
                    .min_by_key(|x| x.3)
                    .or_else(|| others().min_by_key(|x| x.3))
                    .map(|x| bloom_bit(x.1))
            });
            out.patterns.push(Pattern {
                start: to_u32(out.text.len()),
                len: to_u32(pattern.len()),
                list: lists.push(hits.iter().copied()),
                second: second.unwrap_or(NO_GRAM),
            });
            out.text.push_str(pattern);
            let [w8, w4] = &mut filed;
            match filed_under {
                Some((_, g, 8, _)) => w8.push((g, id)),
                Some((_, g, _, _)) => w4.push((g, id)),
                None => out.short.push(id),
            }
        }
        let [w8, w4] = filed;
        out.wide = GramTable::build(w8);
        out.narrow = GramTable::build(w4);
        out.patterns.shrink_to_fit();
        out.text.shrink_to_fit();
        out.short.shrink_to_fit();
        out.ids.1 = lists.count();
        out
    }

    pub(super) fn is_empty(&self) -> bool {
        self.always == NONE && self.patterns.is_empty()
    }

    /// The index of the patterns whose list passes `keep`.
    pub(super) fn restricted(&self, keep: &impl Fn(u32) -> bool, lists: &mut Lists) -> Contains {
        let mut pairs: Vec<(&str, Hit)> = Vec::new();
        if self.always != NONE && keep(self.always) {
            pairs.push(("*", ANY));
        }
        pairs.extend(
            self.patterns
                .iter()
                .filter(|p| keep(p.list))
                .filter_map(|p| {
                    let text = self
                        .text
                        .get(p.start as usize..(p.start + p.len) as usize)?;
                    Some((text, ANY))
                }),
        );
        Contains::build(&pairs, lists)
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
        pieces_in_order(pattern.as_bytes(), value.as_bytes()) && v.visit(p.list)
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
        let (wide, narrow) = (
            !self.wide.by_gram.is_empty(),
            !self.narrow.by_gram.is_empty(),
        );
        if !wide && !narrow {
            return false;
        }
        // Past a few candidates, a filter of the value's grams pays for itself.
        let mut candidates = 0u32;
        let mut bloom: Option<[u64; 8]> = None;
        let mut check = |id: u32| {
            let second = self.patterns.get(id as usize).map_or(NO_GRAM, |p| p.second);
            candidates += 1;
            if second != NO_GRAM && candidates > 3 {
                let bloom = bloom.get_or_insert_with(|| value_bloom(value));
                let bit = usize::from(second);
                if bloom
                    .get(bit / 64)
                    .is_none_or(|w| w & (1u64 << (bit % 64)) == 0)
                {
                    return false;
                }
            }
            self.check(id, value, v)
        };
        // The last 8 bytes seen, the oldest in the low byte: the window's
        // `u64::from_le_bytes`, as the grams were filed.
        let mut roll = 0u64;
        for (i, b) in value.bytes().enumerate() {
            roll = (roll >> 8) | (u64::from(b) << 56);
            if wide && i >= 7 && self.wide.maybe(roll) && self.wide.visit(roll, &mut check) {
                return true;
            }
            if narrow
                && i >= 3
                && self.narrow.maybe(roll >> 32)
                && self.narrow.visit(roll >> 32, &mut check)
            {
                return true;
            }
        }
        false
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.short.capacity() * 4
            + self.wide.heap_bytes()
            + self.narrow.heap_bytes()
            + self.patterns.capacity() * size_of::<Pattern>()
            + self.text.capacity()
    }
}

/// The `match` test of the reference (`*`-separated pieces occur in order without
/// overlapping, each at its first occurrence after the previous one), on bytes with a
/// plain search: for the short names matched here it beats `str::find`'s set-up. Equal to
/// the reference because a UTF-8 needle can only match a UTF-8 haystack at a character
/// boundary.
#[inline]
fn pieces_in_order(pattern: &[u8], value: &[u8]) -> bool {
    let mut rest = value;
    for piece in pattern.split(|b| *b == b'*') {
        let Some(&head) = piece.first() else {
            continue;
        };
        let mut found = None;
        let mut at = 0;
        while let Some(window) = rest.get(at..at + piece.len()) {
            if window.first() == Some(&head) && window == piece {
                found = Some(at + piece.len());
                break;
            }
            at += 1;
        }
        match found {
            Some(end) => rest = rest.get(end..).unwrap_or(&[]),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::pieces_in_order;

    #[test]
    fn pieces_agree_with_the_reference_cases() {
        let t = |p: &str, v: &str| pieces_in_order(p.as_bytes(), v.as_bytes());
        assert!(t("web*corp", "xweb01.corp.y"));
        assert!(!t("corp*web", "web01.corp"));
        assert!(t("*", "a"));
        assert!(!t("aa*aa", "aaa"));
        assert!(t("aa*aa", "aaaa"));
        assert!(t("é*b", "xéyb"));
        assert!(!t("abc", "ab"));
    }
}
