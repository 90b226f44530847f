//! Name patterns (`starts`, `ends`, `match`) of one attribute, all groups together, in one
//! Aho–Corasick automaton: one pass over a value finds every pattern piece it contains,
//! whatever the number of patterns, in time linear in the value's length plus the matches.
//!
//! - a `starts` term is a piece that must match at the start of the value, an `ends` term
//!   one that must match at its end, a `match` term with one literal piece (`*.corp.com`,
//!   `web*`) a piece that may match anywhere (`match` is unanchored);
//! - a `match` term with several pieces (`web*corp`) is filed under its rarest piece (the
//!   one fewest such patterns share); when a value contains that piece, the pattern is
//!   a candidate, checked with the reference matcher only if its groups could still
//!   change the answer (they meet the subject's granting set, or precede the best group
//!   found so far);
//! - a pattern of only `*` matches every value.
//!
//! Each piece leads to three keys (anywhere, at the start, at the end) and to its candidate
//! patterns; each key to an interned group set and its hits (`keys.rs`).

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, MatchKind, Span, dfa};

use super::Offer;
use super::hash::FxMap;
use super::keys::{Hits, Keyed, group_by_key};
use super::pool::{Pool, SetId, SetView, to_u32};
use crate::access::term::contains_pattern;

/// A name term: its kind and its normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum NameTerm<'a> {
    Starts(&'a str),
    Ends(&'a str),
    Match(&'a str),
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    /// `text[a..b]`: the piece.
    text: (u32, u32),
    anywhere: Keyed,
    start: Keyed,
    end: Keyed,
    /// `candidates[a..b]`: the multi-piece patterns filed under this piece.
    candidates: (u32, u32),
    /// The groups of all those patterns: when it does not matter to the question asked,
    /// none of them is looked at.
    candidate_groups: SetId,
    /// The groups of the "anywhere" keys and candidates of every piece that is a suffix of
    /// this one (itself included): whenever this piece ends at a position, all those end
    /// there too, so when the longest piece ending at a position has groups that cannot
    /// matter, none of the pieces ending there is looked at.
    suffix_groups: SetId,
}

#[derive(Debug, Clone, Copy)]
struct Multi {
    /// `text[a..b]`: the pattern.
    text: (u32, u32),
    key: Keyed,
}

/// The largest transition table built as a DFA (one table lookup per byte), in bytes,
/// estimated as trie states × the alphabet rounded up to a power of two × 4; past it, a
/// contiguous NFA (failure transitions, far smaller, about twice as slow per byte). A DFA of
/// this size still sits in the second-level cache.
const DFA_TABLE_BYTES: usize = 512 << 10;

/// The states of the trie of `pieces` (distinct): one per distinct prefix, plus the root.
fn trie_states(pieces: &[&str]) -> usize {
    let mut sorted: Vec<&[u8]> = pieces.iter().map(|p| p.as_bytes()).collect();
    sorted.sort_unstable();
    let mut states = 1;
    let mut previous: &[u8] = &[];
    for piece in sorted {
        let common = piece
            .iter()
            .zip(previous)
            .take_while(|(a, b)| a == b)
            .count();
        states += piece.len() - common;
        previous = piece;
    }
    states
}

/// The automaton over every piece (`aho-corasick`'s, driven byte by byte here so that a
/// match costs a few loads rather than a call into its iterator).
#[derive(Debug)]
enum Machine {
    Dfa(dfa::DFA),
    Nfa(contiguous::NFA),
}

impl Machine {
    fn build(pieces: &[&str]) -> Option<Machine> {
        let nfa = noncontiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .build(pieces)
            .ok()?;
        let mut used = [false; 256];
        for b in pieces.iter().flat_map(|p| p.bytes()) {
            if let Some(u) = used.get_mut(usize::from(b)) {
                *u = true;
            }
        }
        let classes = (used.iter().filter(|u| **u).count() + 1).next_power_of_two();
        if trie_states(pieces)
            .saturating_mul(classes)
            .saturating_mul(4)
            <= DFA_TABLE_BYTES
        {
            if let Ok(dfa) = dfa::Builder::new().build_from_noncontiguous(&nfa) {
                return Some(Machine::Dfa(dfa));
            }
        }
        contiguous::Builder::new()
            .build_from_noncontiguous(&nfa)
            .ok()
            .map(Machine::Nfa)
    }

    #[inline]
    fn scan(&self, value: &[u8], f: impl FnMut(usize, &[u32], bool) -> bool) -> bool {
        match self {
            Machine::Dfa(a) => scan(a, value, f),
            Machine::Nfa(a) => scan(a, value, f),
        }
    }

    fn memory_usage(&self) -> usize {
        match self {
            Machine::Dfa(a) => a.memory_usage(),
            Machine::Nfa(a) => a.memory_usage(),
        }
    }
}

/// Pieces passed to the caller at once (a match list longer than this is passed in parts).
const LIST: usize = 16;

/// Every position of `value` where pieces end, as `f(end, pieces, whole)`: `pieces` lists
/// the pieces ending there (`whole` when it is the whole list, not a part of a longer
/// one). One transition per byte, a match state listing every piece ending there
/// (Standard semantics); from the start state, the automaton's prefilter (`memchr` on the
/// pieces' rare bytes) skips to the next place a piece could begin, so a value with no
/// piece costs a few vector scans.
#[inline]
fn scan<A: Automaton>(a: &A, value: &[u8], mut f: impl FnMut(usize, &[u32], bool) -> bool) -> bool {
    let Ok(mut state) = a.start_state(Anchored::No) else {
        return false;
    };
    let prefilter = a.prefilter();
    let mut at: usize = 0;
    let mut list = [0u32; LIST];
    loop {
        if a.is_special(state) {
            if a.is_match(state) {
                let len = a.match_len(state);
                let whole = len <= LIST;
                let mut k = 0;
                while k < len {
                    let part = (len - k).min(LIST);
                    for (slot, i) in list.iter_mut().zip(k..k + part) {
                        *slot = to_u32(a.match_pattern(state, i).as_usize());
                    }
                    if f(at, list.get(..part).unwrap_or_default(), whole) {
                        return true;
                    }
                    k += part;
                }
            } else if let Some(prefilter) = prefilter {
                // Special and not a match: the start state (the only other kind here).
                match prefilter
                    .find_in(value, Span::from(at..value.len()))
                    .into_option()
                {
                    None => return false,
                    Some(next) if next > at => {
                        at = next;
                        continue;
                    }
                    Some(_) => {}
                }
            }
        }
        let Some(byte) = value.get(at) else {
            return false;
        };
        state = a.next_state(Anchored::No, state, *byte);
        at += 1;
    }
}

/// The name patterns of one attribute.
#[derive(Debug, Default)]
pub(super) struct Patterns {
    automaton: Option<Machine>,
    pieces: Vec<Piece>,
    candidates: Vec<u32>,
    multis: Vec<Multi>,
    text: String,
    /// Patterns of only `*`.
    always: Option<Keyed>,
    /// The length of the longest piece with a `starts` key: past it, no piece can start the
    /// value where it ends.
    max_start: usize,
    /// Per group, the lowest ordinal of its name terms here: an explanation that already
    /// has a lower term of the group does not scan the value.
    lowest_ordinal: FxMap<u32, u32>,
}

/// Pieces recently seen in the value being scanned: a piece found again adds nothing to
/// its "anywhere" key or its candidates.
struct Seen([u32; 16]);

impl Seen {
    fn first_time(&mut self, piece: u32) -> bool {
        let slot = self.0.get_mut(piece as usize % 16);
        match slot {
            Some(s) if *s == piece.wrapping_add(1) => false,
            Some(s) => {
                *s = piece.wrapping_add(1);
                true
            }
            None => true,
        }
    }
}

/// The distinct pieces of one attribute's patterns, numbered in first-seen order, each with
/// its hits anywhere, at the start and at the end.
#[derive(Default)]
struct PieceSet<'a> {
    ids: FxMap<&'a str, usize>,
    texts: Vec<&'a str>,
    hits: Vec<[Vec<(u32, u32)>; 3]>,
}

impl<'a> PieceSet<'a> {
    fn id(&mut self, text: &'a str) -> usize {
        *self.ids.entry(text).or_insert_with(|| {
            self.texts.push(text);
            self.hits.push([Vec::new(), Vec::new(), Vec::new()]);
            self.texts.len() - 1
        })
    }
}

/// Lowers `best` to `found`, if lower.
pub(super) fn lower(best: &mut Option<u32>, found: Option<u32>) {
    if let Some(o) = found {
        *best = Some(best.map_or(o, |b| b.min(o)));
    }
}

impl Patterns {
    /// Builds from `(term, (group, ordinal))` pairs.
    pub(super) fn build(
        terms: &[(NameTerm<'_>, (u32, u32))],
        pool: &mut Pool,
        hits: &mut Hits,
    ) -> Patterns {
        let mut out = Patterns::default();
        if terms.is_empty() {
            return out;
        }
        for &(_, (group, ordinal)) in terms {
            out.lowest_ordinal
                .entry(group)
                .and_modify(|o| *o = (*o).min(ordinal))
                .or_insert(ordinal);
        }
        out.lowest_ordinal.shrink_to_fit();
        // Sort the terms into per-piece keys, multi-piece patterns and `*`.
        let mut pieces = PieceSet {
            ids: FxMap::with_capacity_and_hasher(terms.len(), Default::default()),
            ..PieceSet::default()
        };
        let mut always = Vec::new();
        let mut multi_pairs: Vec<(&str, (u32, u32))> = Vec::new();
        for &(term, hit) in terms {
            let (text, slot) = match term {
                NameTerm::Starts(t) => (t, 1),
                NameTerm::Ends(t) => (t, 2),
                NameTerm::Match(p) => {
                    let mut parts = p.split('*').filter(|s| !s.is_empty());
                    match (parts.next(), parts.next()) {
                        (None, _) => {
                            always.push(hit);
                            continue;
                        }
                        (Some(one), None) => (one, 0),
                        (Some(_), Some(_)) => {
                            multi_pairs.push((p, hit));
                            continue;
                        }
                    }
                }
            };
            let id = pieces.id(text);
            if let Some(list) = pieces.hits.get_mut(id).and_then(|h| h.get_mut(slot)) {
                list.push(hit);
            }
        }
        // Multi-piece patterns: each under the piece fewest of them share (then the longest).
        let multis = group_by_key(&multi_pairs);
        let mut shared: FxMap<&str, u32> =
            FxMap::with_capacity_and_hasher(multis.len() * 2, Default::default());
        for (pattern, _) in &multis {
            let mut distinct: Vec<&str> = pattern.split('*').filter(|s| !s.is_empty()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            for piece in distinct {
                *shared.entry(piece).or_insert(0) += 1;
            }
        }
        let mut filed: Vec<(usize, u32)> = Vec::with_capacity(multis.len());
        let mut multi_groups: Vec<Vec<u32>> = Vec::with_capacity(multis.len());
        for (pattern, mut pattern_hits) in multis {
            let anchor = pattern
                .split('*')
                .filter(|s| !s.is_empty())
                .min_by_key(|piece| {
                    (
                        shared.get(piece).copied().unwrap_or(0),
                        usize::MAX - piece.len(),
                    )
                });
            let Some(anchor) = anchor else { continue };
            let id = to_u32(out.multis.len());
            let start = to_u32(out.text.len());
            out.text.push_str(pattern);
            multi_groups.push(pattern_hits.iter().map(|h| h.0).collect());
            out.multis.push(Multi {
                text: (start, to_u32(out.text.len())),
                key: hits.key(&mut pattern_hits, pool),
            });
            filed.push((pieces.id(anchor), id));
        }
        filed.sort_unstable();
        out.always = (!always.is_empty()).then(|| hits.key(&mut always, pool));
        // The pieces' keys and candidate lists, by piece id.
        let mut next = filed.iter().peekable();
        let PieceSet {
            ids,
            texts,
            hits: piece_hits,
        } = pieces;
        // Build-time maps are freed before the automaton is built, so that they do not add
        // to the build's peak memory.
        drop(ids);
        drop(shared);
        // Per piece: the groups of its "anywhere" key and of its candidates (for the
        // suffix unions below).
        let mut own_groups: Vec<Vec<u32>> = Vec::with_capacity(piece_hits.len());
        for (id, [anywhere, start, end]) in piece_hits.into_iter().enumerate() {
            let first = to_u32(out.candidates.len());
            let mut groups: Vec<u32> = Vec::new();
            while let Some((_, multi)) = next.next_if(|(piece, _)| *piece == id) {
                out.candidates.push(*multi);
                groups.extend(multi_groups.get(*multi as usize).into_iter().flatten());
            }
            groups.sort_unstable();
            groups.dedup();
            let mut mine: Vec<u32> = anywhere
                .iter()
                .map(|h| h.0)
                .chain(groups.iter().copied())
                .collect();
            mine.sort_unstable();
            mine.dedup();
            own_groups.push(mine);
            let text = texts.get(id).copied().unwrap_or_default();
            if !start.is_empty() {
                out.max_start = out.max_start.max(text.len());
            }
            let mut key = |mut list: Vec<(u32, u32)>| hits.key(&mut list, pool);
            let start_at = to_u32(out.text.len());
            out.text.push_str(text);
            out.pieces.push(Piece {
                text: (start_at, to_u32(out.text.len())),
                anywhere: key(anywhere),
                start: key(start),
                end: key(end),
                candidates: (first, to_u32(out.candidates.len())),
                candidate_groups: pool.intern_members(&groups),
                suffix_groups: SetId::EMPTY,
            });
        }
        drop(filed);
        drop(multi_groups);
        if !texts.is_empty() {
            // The build fails only past 2^31 automaton states (gigabytes of distinct
            // pieces); the pieces are then searched one by one, exact but slow.
            out.automaton = Machine::build(&texts);
        }
        // Each piece's suffix union: the pieces ending where it ends, when it is scanned
        // on its own (without the automaton, its own groups: the lists are then never
        // whole, and the unions are not used).
        let own_of = |id: usize| own_groups.get(id).map_or(&[][..], Vec::as_slice);
        let mut union: Vec<u32> = Vec::new();
        for (id, text) in texts.iter().enumerate() {
            union.clear();
            union.extend_from_slice(own_of(id));
            if let Some(automaton) = &out.automaton {
                automaton.scan(text.as_bytes(), |at, ids, _| {
                    if at == text.len() {
                        for other in ids {
                            union.extend_from_slice(own_of(*other as usize));
                        }
                    }
                    false
                });
            }
            union.sort_unstable();
            union.dedup();
            let set = pool.intern_members(&union);
            if let Some(piece) = out.pieces.get_mut(id) {
                piece.suffix_groups = set;
            }
        }
        out.pieces.shrink_to_fit();
        out.candidates.shrink_to_fit();
        out.multis.shrink_to_fit();
        out.text.shrink_to_fit();
        out
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pieces.is_empty() && self.always.is_none()
    }

    fn multi_holds(&self, multi: Multi, value: &str) -> bool {
        self.text
            .get(multi.text.0 as usize..multi.text.1 as usize)
            .is_some_and(|pattern| contains_pattern(pattern, value))
    }

    /// Calls `f(end, pieces, whole)` for every position of `value` where pieces end (see
    /// [`scan`]); stops when `f` returns `true` and returns whether it did.
    #[inline]
    fn occurrences(&self, value: &str, mut f: impl FnMut(usize, &[u32], bool) -> bool) -> bool {
        if let Some(automaton) = &self.automaton {
            return automaton.scan(value.as_bytes(), f);
        }
        // Without the automaton: each piece searched for on its own. Its first occurrence
        // is the one that can start the value; one at the end is reported too.
        for (id, piece) in self.pieces.iter().enumerate() {
            let Some(text) = self.text.get(piece.text.0 as usize..piece.text.1 as usize) else {
                continue;
            };
            let id = [to_u32(id)];
            if let Some(at) = value.find(text) {
                if f(at + text.len(), &id, false) {
                    return true;
                }
                if at + text.len() != value.len()
                    && value.ends_with(text)
                    && f(value.len(), &id, false)
                {
                    return true;
                }
            }
        }
        false
    }

    fn piece_len(piece: &Piece) -> usize {
        piece.text.1.saturating_sub(piece.text.0) as usize
    }

    /// Offers the keys `value` reaches; returns `true` when `offer` stopped.
    #[inline]
    pub(super) fn visit(&self, value: &str, offer: &mut impl Offer) -> bool {
        if let Some(always) = self.always {
            if offer.offer(always.view(), || true) {
                return true;
            }
        }
        let mut seen = Seen([0; 16]);
        self.occurrences(value, |at, ids, whole| {
            let pieces = || {
                ids.iter()
                    .filter_map(|id| Some((*id, self.pieces.get(*id as usize)?)))
            };
            // Keys that depend on where the piece lies: only near the start, and at the end.
            if at <= self.max_start || at == value.len() {
                for (_, piece) in pieces() {
                    if at == Self::piece_len(piece) && offer.offer(piece.start.view(), || true) {
                        return true;
                    }
                    if at == value.len() && offer.offer(piece.end.view(), || true) {
                        return true;
                    }
                }
            }
            // The rest: skipped at once when the longest piece's suffix union cannot matter.
            if whole {
                let longest = pieces().max_by_key(|(_, p)| Self::piece_len(p));
                if let Some((_, longest)) = longest {
                    if !offer.wants(SetView::of(longest.suffix_groups)) {
                        return false;
                    }
                }
            }
            for (id, piece) in pieces() {
                if !seen.first_time(id) {
                    continue;
                }
                if offer.offer(piece.anywhere.view(), || true) {
                    return true;
                }
                if !offer.wants(SetView::of(piece.candidate_groups)) {
                    continue;
                }
                let (a, b) = piece.candidates;
                for multi in self
                    .candidates
                    .get(a as usize..b as usize)
                    .unwrap_or_default()
                {
                    let Some(&m) = self.multis.get(*multi as usize) else {
                        continue;
                    };
                    if offer.offer(m.key.view(), || self.multi_holds(m, value)) {
                        return true;
                    }
                }
            }
            false
        })
    }

    /// The lowest ordinal of group `g`'s terms that match `value`, if lower than `best`
    /// (a multi-piece pattern is verified only when it would be).
    pub(super) fn lowest(
        &self,
        value: &str,
        g: u32,
        hits: &Hits,
        best: Option<u32>,
    ) -> Option<u32> {
        let beaten = |lowest: &u32| best.is_some_and(|b| b <= *lowest);
        if self.lowest_ordinal.get(&g).is_none_or(beaten) {
            return best;
        }
        let mut best = best;
        if let Some(always) = self.always {
            lower(&mut best, hits.lowest(always, g));
        }
        self.occurrences(value, |at, ids, _| {
            for piece in ids.iter().filter_map(|id| self.pieces.get(*id as usize)) {
                if at == Self::piece_len(piece) {
                    lower(&mut best, hits.lowest(piece.start, g));
                }
                if at == value.len() {
                    lower(&mut best, hits.lowest(piece.end, g));
                }
                lower(&mut best, hits.lowest(piece.anywhere, g));
                let (a, b) = piece.candidates;
                for multi in self
                    .candidates
                    .get(a as usize..b as usize)
                    .unwrap_or_default()
                {
                    let Some(&m) = self.multis.get(*multi as usize) else {
                        continue;
                    };
                    let o = hits.lowest(m.key, g);
                    if o.is_some_and(|o| best.is_none_or(|b| o < b)) && self.multi_holds(m, value) {
                        lower(&mut best, o);
                    }
                }
            }
            false
        });
        best
    }

    /// Every key with the term it stands for (for building a filter).
    pub(super) fn keys(&self) -> impl Iterator<Item = (NameTerm<'_>, Keyed)> + '_ {
        let text = |(a, b): (u32, u32)| self.text.get(a as usize..b as usize).unwrap_or_default();
        let pieces = self.pieces.iter().flat_map(move |p| {
            let t = text(p.text);
            [
                (NameTerm::Match(t), p.anywhere),
                (NameTerm::Starts(t), p.start),
                (NameTerm::Ends(t), p.end),
            ]
        });
        let multis = self
            .multis
            .iter()
            .map(move |m| (NameTerm::Match(text(m.text)), m.key));
        self.always
            .map(|k| (NameTerm::Match("*"), k))
            .into_iter()
            .chain(pieces)
            .chain(multis)
            .filter(|(_, k)| k.set != SetId::EMPTY)
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.automaton.as_ref().map_or(0, Machine::memory_usage)
            + self.pieces.capacity() * size_of::<Piece>()
            + self.candidates.capacity() * 4
            + self.multis.capacity() * size_of::<Multi>()
            + self.text.capacity()
            + self.lowest_ordinal.capacity() * (size_of::<(u32, u32)>() + 1)
    }
}
