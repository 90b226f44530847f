//! The compiled access-group index: the layer-3 fast path.
//!
//! [`GroupIndex`] is built once from an [`AccessGroups`] and answers the questions the
//! engine asks per request and per asset row, with exactly the answers of
//! [`AccessGroup::grant`] and `ReferenceMatcher` (proptests check this on random groups
//! weighted toward overlap).
//!
//! Containment is answered as sets. Every key an asset value can reach (an elementary IP
//! interval, an exact value, a pattern piece) leads to the set of groups holding it,
//! interned in a pool so that equal sets are stored once (`pool.rs`); a lookup is a binary
//! search or a hash probe, then an AND of that set with the subject's granting set. So the
//! cost of a decision depends on the number of the asset's values and their length, not on
//! how many groups overlap there:
//!
//! - IP terms: one table of elementary intervals per family, each interval's set told as a
//!   small difference from a shared checkpoint set (`ip.rs`);
//! - `eq` on names and texts, MACs, Qualys ids, UUIDs: hash tables (`keys.rs`);
//! - `starts`, `ends`, `match`: one Aho–Corasick automaton over every pattern piece of an
//!   attribute (`names.rs`), linear in the value's length.
//!
//! `is_allowed` asks whether any key's set meets the granting set and stops at the first;
//! `check` asks for the lowest such group, then explains it: the lowest rule and term of
//! that one group matching the asset, from the keys' hits (the lowest term of each group
//! under a key) and per-group IP intervals.

mod hash;
mod ip;
mod keys;
mod names;
mod pool;
mod principals;
mod set;

pub(crate) use hash::FxMap;
pub use set::GroupSet;

use std::sync::Arc;

use self::ip::{GroupIntervals, IpTable};
use self::keys::{Hits, Keyed, Scalar, ScalarTable, StrTable};
use self::names::{NameTerm, Patterns, lower};
use self::pool::{Pool, SetId, SetView, to_u32};
use self::principals::Principals;
use super::asset::{Asset, Target};
#[allow(unused_imports)] // doc links
use super::group::AccessGroup;
use super::group::AccessGroupType;
use super::groups::AccessGroups;
use super::membership::Membership;
use super::principal::AccessPermissions;
use super::rule_type::RuleType;
use super::term::{AssetValue, TermValue};

/// What a walk over an asset's keys does with each set of groups it reaches.
trait Offer {
    /// Takes `set`, the groups holding a key the value reached; `holds` tells whether the
    /// key really matches (a multi-piece pattern is verified only when its groups matter).
    /// Returns `true` to stop the walk.
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool;

    /// Whether a key of these groups could change the answer (else the walk skips the
    /// keys it stands for).
    fn wants(&mut self, set: SetView<'_>) -> bool;
}

/// The structures of one attribute.
#[derive(Debug, Default)]
struct AttrIndex {
    v4: IpTable<u32>,
    v6: IpTable<u128>,
    exact: StrTable,
    scalars: ScalarTable,
    names: Patterns,
    /// The groups with an IP or exact term on this attribute, and those with a name
    /// pattern: a subject granted by none of them skips the lookups (one set test).
    exact_groups: SetId,
    pattern_groups: SetId,
    /// Whether those tests are worth making: not when the set holds half the groups or
    /// more (a subject granted by none of them is unlikely, and the test would cost every
    /// other subject a pass over its set).
    test_exact: bool,
    test_patterns: bool,
}

impl AttrIndex {
    fn is_empty(&self) -> bool {
        self.v4.is_empty()
            && self.v6.is_empty()
            && self.exact.is_empty()
            && self.scalars.is_empty()
            && self.names.is_empty()
    }

    /// Offers the sets of the exact keys (`exact`) or of the patterns the values reach,
    /// unless none of the groups holding such keys on this attribute could matter.
    #[inline]
    fn visit(&self, exact: bool, values: &[AssetValue], offer: &mut impl Offer) -> bool {
        if exact {
            (!self.test_exact || offer.wants(SetView::of(self.exact_groups)))
                && values.iter().any(|v| self.visit_exact(v, offer))
        } else {
            (!self.test_patterns || offer.wants(SetView::of(self.pattern_groups)))
                && values.iter().any(|v| self.visit_patterns(v, offer))
        }
    }

    /// Offers the set of the exact key `value` reaches (an IP interval, an exact name or
    /// text, an id), if any.
    #[inline]
    fn visit_exact(&self, value: &AssetValue, offer: &mut impl Offer) -> bool {
        let set = match value {
            AssetValue::Ipv4(a) => self.v4.find(u32::from(*a)),
            AssetValue::Ipv6(a) => self.v6.find(u128::from(*a)),
            AssetValue::Str(s) => self.exact.get(s.as_bytes()).map(Keyed::view),
            AssetValue::Mac(_) | AssetValue::Digits(_) | AssetValue::Uuid(_) => scalar(value)
                .and_then(|s| self.scalars.get(s))
                .map(Keyed::view),
        };
        set.is_some_and(|set| offer.offer(set, || true))
    }

    /// Offers the sets of the patterns `value` matches.
    #[inline]
    fn visit_patterns(&self, value: &AssetValue, offer: &mut impl Offer) -> bool {
        match value {
            AssetValue::Str(s) => self.names.visit(s, offer),
            _ => false,
        }
    }

    /// Lowers `best` to the lowest ordinal of group `g`'s terms that match `value` through
    /// the keys of `phase` (IP terms are explained by [`GroupIntervals`] instead).
    fn lowest(&self, phase: u8, value: &AssetValue, g: u32, core: &Core, best: &mut Option<u32>) {
        // Only the structures that hold a term of `g` can explain it.
        let holds = if phase == 0 {
            self.exact_groups
        } else {
            self.pattern_groups
        };
        if !core.pool.contains(holds, g) {
            return;
        }
        let hits = &core.hits;
        let found = match (phase, value) {
            (0, AssetValue::Str(s)) => self.exact.get(s.as_bytes()).and_then(|k| hits.lowest(k, g)),
            (1, AssetValue::Str(s)) => self.names.lowest(s, g, hits, *best),
            (0, AssetValue::Mac(_) | AssetValue::Digits(_) | AssetValue::Uuid(_)) => scalar(value)
                .and_then(|s| self.scalars.get(s))
                .and_then(|k| hits.lowest(k, g)),
            _ => None,
        };
        lower(best, found);
    }

    fn heap_bytes(&self) -> usize {
        self.v4.heap_bytes()
            + self.v6.heap_bytes()
            + self.exact.heap_bytes()
            + self.scalars.heap_bytes()
            + self.names.heap_bytes()
    }
}

/// Whether rules of type `t` count in a SCAN_TARGETS group: the attributes a scan target
/// can be (`docs/semantics.md`, "Membership and matching").
fn is_address(t: RuleType) -> bool {
    matches!(
        t,
        RuleType::Ipv4 | RuleType::Ipv6 | RuleType::Fqdn | RuleType::Hostname
    )
}

fn scalar(value: &AssetValue) -> Option<Scalar> {
    match value {
        AssetValue::Mac(m) => Some((0, u128::from(m.to_u64()))),
        AssetValue::Digits(d) => Some((1, u128::from(*d))),
        AssetValue::Uuid(u) => Some((2, u.to_u128())),
        _ => None,
    }
}

/// The terms of one attribute, gathered before the structures are built; each with its
/// `(group, ordinal)`.
#[derive(Default)]
struct Raw<'a> {
    v4: Vec<(u32, u32, u32)>,
    v6: Vec<(u128, u128, u32)>,
    exact: Vec<(&'a str, (u32, u32))>,
    scalars: Vec<(Scalar, (u32, u32))>,
    names: Vec<(NameTerm<'a>, (u32, u32))>,
}

impl<'a> Raw<'a> {
    /// The groups of the IP and exact terms, and of the name terms (sorted, distinct).
    fn groups(&self) -> (Vec<u32>, Vec<u32>) {
        let mut exact: Vec<u32> = self
            .v4
            .iter()
            .map(|t| t.2)
            .chain(self.v6.iter().map(|t| t.2))
            .chain(self.exact.iter().map(|t| t.1.0))
            .chain(self.scalars.iter().map(|t| t.1.0))
            .collect();
        let mut names: Vec<u32> = self.names.iter().map(|t| t.1.0).collect();
        for list in [&mut exact, &mut names] {
            list.sort_unstable();
            list.dedup();
        }
        (exact, names)
    }

    fn add(&mut self, value: &'a TermValue, group: u32, ordinal: u32) {
        let hit = (group, ordinal);
        match value {
            TermValue::Ipv4 { first, last } => self.v4.push((*first, *last, group)),
            TermValue::Ipv6 { first, last } => self.v6.push((*first, *last, group)),
            TermValue::Equals(s) => self.exact.push((s, hit)),
            TermValue::Starts(s) => self.names.push((NameTerm::Starts(s), hit)),
            TermValue::Ends(s) => self.names.push((NameTerm::Ends(s), hit)),
            TermValue::Contains(s) => self.names.push((NameTerm::Match(s), hit)),
            TermValue::Mac(m) => self.scalars.push(((0, u128::from(m.to_u64())), hit)),
            TermValue::Digits(d) => self.scalars.push(((1, u128::from(*d)), hit)),
            TermValue::Uuid(u) => self.scalars.push(((2, u.to_u128()), hit)),
        }
    }
}

/// The containment structures over a universe of group positions: what [`GroupIndex`]
/// and [`GroupFilter`] share.
#[derive(Debug)]
struct Core {
    pool: Pool,
    hits: Hits,
    /// By [`RuleType::index`].
    attrs: Vec<AttrIndex>,
    /// The attributes with at least one key.
    indexed: Vec<RuleType>,
    /// The attributes with at least one name pattern.
    patterned: Vec<RuleType>,
}

impl Core {
    fn build(raw: Vec<Raw<'_>>, universe: usize) -> Core {
        let mut pool = Pool::new(universe);
        let mut hits = Hits::default();
        let attrs: Vec<AttrIndex> = raw
            .into_iter()
            .map(|raw| {
                let (exact_groups, pattern_groups) = raw.groups();
                AttrIndex {
                    v4: IpTable::build(&raw.v4, &mut pool),
                    v6: IpTable::build(&raw.v6, &mut pool),
                    exact: StrTable::build(&raw.exact, &mut pool, &mut hits),
                    scalars: ScalarTable::build(&raw.scalars, &mut pool, &mut hits),
                    names: Patterns::build(&raw.names, &mut pool, &mut hits),
                    test_exact: exact_groups.len() * 2 < universe,
                    test_patterns: pattern_groups.len() * 2 < universe,
                    exact_groups: pool.intern_members(&exact_groups),
                    pattern_groups: pool.intern_members(&pattern_groups),
                }
            })
            .collect();
        pool.finish();
        hits.shrink();
        let with = |has: fn(&AttrIndex) -> bool| {
            RuleType::ALL
                .iter()
                .copied()
                .filter(|t| attrs.get(t.index()).is_some_and(has))
                .collect()
        };
        Core {
            indexed: with(|a| !a.is_empty()),
            patterned: with(|a| !a.names.is_empty()),
            pool,
            hits,
            attrs,
        }
    }

    /// Offers the sets of every key the asset's values reach, exact lookups first;
    /// returns `true` when `offer` stopped.
    #[inline]
    fn walk_asset(&self, asset: &Asset, offer: &mut impl Offer) -> bool {
        let mut walk = |attrs: &[RuleType], visit: fn(&AttrIndex, &AssetValue, &mut _) -> bool| {
            attrs.iter().any(|attr| {
                let values = asset.values(*attr);
                !values.is_empty()
                    && self
                        .attrs
                        .get(attr.index())
                        .is_some_and(|ix| values.iter().any(|v| visit(ix, v, offer)))
            })
        };
        walk(&self.indexed, AttrIndex::visit_exact)
            || walk(&self.patterned, AttrIndex::visit_patterns)
    }

    /// The same for a scan target: its one value, for the attributes of its format.
    #[inline]
    fn walk_target(&self, target: &Target, offer: &mut impl Offer) -> bool {
        let mut walk = |exact: bool| {
            target.attributes().iter().any(|attr| {
                match (target.value_for(*attr), self.attrs.get(attr.index())) {
                    (Some(value), Some(ix)) => ix.visit(exact, core::slice::from_ref(value), offer),
                    _ => false,
                }
            })
        };
        walk(true) || walk(false)
    }

    /// The same structures restricted to the keys whose set meets `among`, every key
    /// filed under the one group 0.
    fn restricted(&self, among: &GroupSet) -> Core {
        let keep = |set: SetView<'_>| self.pool.meets(set, among);
        let raw: Vec<Raw<'_>> = self
            .attrs
            .iter()
            .map(|a| {
                let mut raw = Raw::default();
                for (first, next, set) in a.v4.intervals() {
                    if keep(set) {
                        let last = next.map_or(u32::MAX, |n| n - 1);
                        raw.v4.push((first, last, 0));
                    }
                }
                for (first, next, set) in a.v6.intervals() {
                    if keep(set) {
                        let last = next.map_or(u128::MAX, |n| n - 1);
                        raw.v6.push((first, last, 0));
                    }
                }
                raw.exact = a
                    .exact
                    .iter()
                    .filter(|(_, k)| keep(k.view()))
                    .map(|(s, _)| (s, (0, 0)))
                    .collect();
                raw.scalars = a
                    .scalars
                    .iter()
                    .filter(|(_, k)| keep(k.view()))
                    .map(|(s, _)| (s, (0, 0)))
                    .collect();
                raw.names = a
                    .names
                    .keys()
                    .filter(|(_, k)| keep(k.view()))
                    .map(|(t, _)| (t, (0, 0)))
                    .collect();
                raw
            })
            .collect();
        Core::build(raw, 1)
    }

    fn heap_bytes(&self) -> usize {
        self.pool.heap_bytes()
            + self.hits.heap_bytes()
            + self.attrs.capacity() * size_of::<AttrIndex>()
            + self.attrs.iter().map(AttrIndex::heap_bytes).sum::<usize>()
    }
}

/// Where each group's terms start in its ordinal numbering: the terms of a group are
/// numbered in rule order, then term order, so that "lowest rule, then lowest term" is
/// "lowest ordinal".
#[derive(Debug, Default)]
struct Ordinals {
    /// Group `g`'s rules are `rule_starts[groups[g]..groups[g + 1]]`.
    groups: Vec<u32>,
    /// The ordinal of each rule's first term.
    rule_starts: Vec<u32>,
}

impl Ordinals {
    fn membership(&self, g: u32, ordinal: u32) -> Option<Membership> {
        let a = *self.groups.get(g as usize)? as usize;
        let b = *self.groups.get(g as usize + 1)? as usize;
        let starts = self.rule_starts.get(a..b)?;
        let rule = starts.partition_point(|s| *s <= ordinal).checked_sub(1)?;
        let term = ordinal - starts.get(rule)?;
        Some(Membership::Rule {
            rule,
            term: term as usize,
        })
    }
}

/// The compiled index of a list of access groups: the layer-3 fast path. Build it once
/// per policy version; every query takes `&self`, never fails and does not allocate
/// except where it returns an owned collection. `Send + Sync`. Positions are indexes into
/// the order of the [`AccessGroups`] it was built from.
///
/// Its answers are exactly those of [`AccessGroup::grant`] and `ReferenceMatcher`
/// (proptests check this on random groups):
///
/// - which groups grant a subject a permission ([`GroupIndex::granting`]): user id →
///   groups, user-group id → groups, plus the sets every user gets;
/// - whether one of a set of groups contains an asset or a scan target
///   ([`GroupIndex::any_containing`], [`GroupIndex::any_containing_target`]): the
///   `is_allowed` question, answered at the first key whose groups meet the set;
/// - the first of a set of groups containing an asset or a scan target, and why
///   ([`GroupIndex::first_containing`], [`GroupIndex::first_containing_target`]);
/// - every group containing an asset ([`GroupIndex::containing`], for `who_can`);
/// - an [`GroupFilter`] compiled for one subject, for list endpoints.
///
/// Every key an asset value can reach (an elementary IP interval, an exact value, a
/// pattern piece) leads to the interned set of groups holding it; a lookup is a binary
/// search or a hash probe (or, for name patterns, one pass of an Aho–Corasick automaton
/// over the value), then an AND with the subject's set. The cost does not depend on how
/// many groups overlap at the asset. See `docs/performance.md` ("Layer 3 index").
///
/// # Examples
///
/// ```
/// use scangate::{AccessGroup, Asset};
/// use scangate::access::{
///     AccessGroupType, AccessGroups, AccessPermissions, GroupIndex, Membership, Principal, Rule,
/// };
/// let groups = AccessGroups::from_server([
///     AccessGroup::new("Lab", AccessGroupType::ManageAssets)
///         .with_rule(Rule::parse("fqdn", "match", ["*.lab.example"])?)
///         .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW)),
///     AccessGroup::new("Net", AccessGroupType::ManageAssets)
///         .with_rule(Rule::parse("hostname", "eq", ["db01"])?)
///         .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8", "10.1.2.3"])?)
///         .with_principal(Principal::group("ops", AccessPermissions::all())),
/// ]);
/// let index = GroupIndex::new(&groups);
/// let granted = index.granting("alice", &["ops"], AccessPermissions::CAN_VIEW);
/// assert_eq!(granted.iter().collect::<Vec<_>>(), [0, 1]);
///
/// let asset = Asset::new().with("ipv4", "10.1.2.3")?.with("fqdn", "x.lab.example")?;
/// assert!(index.any_containing(&asset, &granted));
/// assert_eq!(
///     index.first_containing(&asset, &granted),
///     Some((0, Membership::Rule { rule: 0, term: 0 }))
/// );
/// let scan = index.granting("alice", &["ops"], AccessPermissions::CAN_SCAN);
/// assert_eq!(
///     index.first_containing(&asset, &scan),
///     Some((1, Membership::Rule { rule: 1, term: 0 }))
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct GroupIndex {
    principals: Principals,
    /// Groups with `all_assets: true`, ascending: they contain everything.
    all_assets: Vec<u32>,
    core: Core,
    v4: GroupIntervals<u32>,
    v6: GroupIntervals<u128>,
    ordinals: Ordinals,
    terms: usize,
}

impl GroupIndex {
    /// Builds the index of `groups`.
    ///
    /// Cost: one pass over the terms, one sort per IP family and one sweep over its
    /// interval bounds, one automaton per attribute with name patterns; memory is about
    /// one hit and a share of its key per term (see `docs/performance.md`).
    #[must_use]
    pub fn new(groups: &AccessGroups) -> GroupIndex {
        let principals = Principals::build(groups.iter());
        let mut raw: Vec<Raw<'_>> = RuleType::ALL.iter().map(|_| Raw::default()).collect();
        let mut all_assets = Vec::new();
        let mut ordinals = Ordinals::default();
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut terms = 0;
        for (position, group) in groups.iter().enumerate() {
            let g = to_u32(position);
            ordinals.groups.push(to_u32(ordinals.rule_starts.len()));
            if group.all_assets() {
                // The reference answers All Assets before looking at rules.
                all_assets.push(g);
                continue;
            }
            // A SCAN_TARGETS group holds addresses: its rules of other types never match
            // an asset or a target (`ReferenceMatcher::contains_asset`), so they are not
            // indexed; their terms keep their ordinals, so the others' explanations hold.
            let scan_targets = group.group_type() == AccessGroupType::ScanTargets;
            let mut ordinal = 0u32;
            for rule in group.rules() {
                ordinals.rule_starts.push(ordinal);
                let raw = match raw.get_mut(rule.rule_type().index()) {
                    Some(raw) if !scan_targets || is_address(rule.rule_type()) => raw,
                    _ => {
                        let count = u32::try_from(rule.terms().len()).unwrap_or(u32::MAX);
                        ordinal = ordinal.saturating_add(count);
                        continue;
                    }
                };
                for term in rule.terms() {
                    terms += 1;
                    match term.value() {
                        TermValue::Ipv4 { first, last } => v4.push((*first, *last, g, ordinal)),
                        TermValue::Ipv6 { first, last } => v6.push((*first, *last, g, ordinal)),
                        _ => {}
                    }
                    raw.add(term.value(), g, ordinal);
                    ordinal = ordinal.saturating_add(1);
                }
            }
        }
        ordinals.groups.push(to_u32(ordinals.rule_starts.len()));
        ordinals.groups.shrink_to_fit();
        ordinals.rule_starts.shrink_to_fit();
        // The explanation tables first, so that their input is freed before the rest is
        // built (a lower peak).
        let explain_v4 = GroupIntervals::build(&v4, groups.len());
        let explain_v6 = GroupIntervals::build(&v6, groups.len());
        drop((v4, v6));
        GroupIndex {
            principals,
            all_assets,
            core: Core::build(raw, groups.len()),
            v4: explain_v4,
            v6: explain_v6,
            ordinals,
            terms,
        }
    }

    /// An index of bare terms over positions `0..universe` (no principals, no All Assets
    /// groups): each `(position, attribute, term)` files the position under the term's
    /// keys, as a group's rule term is. The tag index (`src/tags/index.rs`) files each
    /// dynamic tag under the conditions its filter cannot hold without, so that tags are
    /// found by the same lookups as access groups and only the tags a key reaches are
    /// evaluated. Explanations (ordinals) are not kept: callers explain themselves.
    pub(crate) fn from_terms<'a>(
        universe: usize,
        terms: impl IntoIterator<Item = (u32, RuleType, &'a TermValue)>,
    ) -> GroupIndex {
        let mut raw: Vec<Raw<'_>> = RuleType::ALL.iter().map(|_| Raw::default()).collect();
        let mut count = 0;
        for (position, attribute, value) in terms {
            if let Some(raw) = raw.get_mut(attribute.index()) {
                raw.add(value, position, 0);
                count += 1;
            }
        }
        GroupIndex {
            principals: Principals::none(universe),
            all_assets: Vec::new(),
            core: Core::build(raw, universe),
            v4: GroupIntervals::build(&[], universe),
            v6: GroupIntervals::build(&[], universe),
            ordinals: Ordinals::default(),
            terms: count,
        }
    }

    /// The lowest position `g` in `among`, below `below`, that a key of `asset` reaches
    /// and for which `verify(g)` holds; with `any`, the first such position found instead
    /// (not necessarily the lowest). Each position is verified at most once per key that
    /// reaches it. Allocation-free.
    pub(crate) fn first_verified(
        &self,
        asset: &Asset,
        among: &GroupSet,
        below: u32,
        any: bool,
        verify: impl FnMut(u32) -> bool,
    ) -> Option<u32> {
        if among.is_empty() {
            return None;
        }
        let mut search = Verified {
            pool: &self.core.pool,
            among,
            best: below,
            found: false,
            any,
            verify,
        };
        self.core.walk_asset(asset, &mut search);
        search.found.then_some(search.best)
    }

    /// Marks `reached[i]` for each of `positions` (few: one subject's tags) that a key of
    /// `asset` reaches; stops once all are marked. Each key's set is tested against the
    /// positions not yet marked, one bit or short search each. The tag index excludes
    /// filters with it: a position reached there is a filter that fails. Allocation-free.
    pub(crate) fn mark_reached(&self, asset: &Asset, positions: &[u32], reached: &mut [bool]) {
        let left = reached.iter().filter(|r| !**r).count();
        if left == 0 {
            return;
        }
        let mut walk = Marked {
            pool: &self.core.pool,
            positions,
            reached,
            left,
        };
        self.core.walk_asset(asset, &mut walk);
    }

    /// Removes from `set` every position a key of `asset` reaches; stops once `set` is
    /// empty. [`GroupIndex::mark_reached`] for many positions: a key costs the words of
    /// its set that meet `set`, not the positions.
    pub(crate) fn remove_reached(&self, asset: &Asset, set: &mut GroupSet) {
        if set.is_empty() {
            return;
        }
        let mut walk = Removed {
            pool: &self.core.pool,
            set,
        };
        self.core.walk_asset(asset, &mut walk);
    }

    /// The number of groups indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.principals.positions()
    }

    /// Whether no group is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of rule terms indexed (terms of All Assets groups are not, nor those of
    /// a SCAN_TARGETS group's rules on attributes other than addresses and names: they
    /// never decide).
    #[must_use]
    pub fn term_count(&self) -> usize {
        self.terms
    }

    /// The number of distinct group sets the index stores (equal sets are stored once).
    #[must_use]
    pub fn set_count(&self) -> usize {
        self.core.pool.len()
    }

    /// An estimate of the heap memory the index holds, in bytes: the sum of the
    /// capacities of its vectors times their element sizes, hash tables counted as
    /// capacity × (entry + 1 control byte), plus stored strings and the automata's own
    /// count. Allocator overhead is not counted.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.principals.heap_bytes()
            + self.all_assets.capacity() * 4
            + self.core.heap_bytes()
            + self.v4.heap_bytes()
            + self.v6.heap_bytes()
            + (self.ordinals.groups.capacity() + self.ordinals.rule_starts.capacity()) * 4
    }

    /// The groups (positions) granting `user`, a member of the user groups
    /// `user_groups`, every permission in `permission` — exactly those for which
    /// [`AccessGroup::grant`] is `Some`. An empty `permission` gives the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::AccessGroup;
    /// use scangate::access::{
    ///     AccessGroupType, AccessGroups, AccessPermissions, GroupIndex, Principal,
    /// };
    /// let groups = AccessGroups::from_server([
    ///     AccessGroup::all_assets_group("aa"), // no principals listed: everyone
    ///     AccessGroup::new("g", AccessGroupType::ScanTargets)
    ///         .with_principal(Principal::user("bob", AccessPermissions::CAN_SCAN)),
    /// ]);
    /// let index = GroupIndex::new(&groups);
    /// let scan = index.granting("bob", &[] as &[&str], AccessPermissions::CAN_SCAN);
    /// assert_eq!(scan.iter().collect::<Vec<_>>(), [0, 1]);
    /// ```
    #[must_use]
    pub fn granting<S: AsRef<str>>(
        &self,
        user: &str,
        user_groups: &[S],
        permission: AccessPermissions,
    ) -> GroupSet {
        let mut out = GroupSet::with_capacity(self.len());
        self.granting_into(user, user_groups, permission, &mut out);
        out
    }

    /// [`GroupIndex::granting`] into a caller's set (cleared first), reusing its
    /// allocation.
    pub fn granting_into<S: AsRef<str>>(
        &self,
        user: &str,
        user_groups: &[S],
        permission: AccessPermissions,
        out: &mut GroupSet,
    ) {
        self.principals
            .granting_into(user, user_groups, permission, out);
    }

    /// Whether some group in `among` contains `asset`: exactly
    /// `first_containing(asset, among).is_some()`, answered at the first key whose groups
    /// meet `among` (and before any lookup when `among` is empty or holds an All Assets
    /// group). Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset};
    /// use scangate::access::{AccessGroupType, AccessGroups, GroupIndex, GroupSet, Rule};
    /// let groups = AccessGroups::from_server([
    ///     AccessGroup::new("a", AccessGroupType::ManageAssets)
    ///         .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"])?),
    ///     AccessGroup::new("b", AccessGroupType::ManageAssets)
    ///         .with_rule(Rule::parse("fqdn", "ends", [".corp.example"])?),
    /// ]);
    /// let index = GroupIndex::new(&groups);
    /// let asset = Asset::new().with("ipv4", "10.1.2.3")?;
    /// assert!(index.any_containing(&asset, &[0].into_iter().collect()));
    /// assert!(!index.any_containing(&asset, &[1].into_iter().collect()));
    /// assert!(!index.any_containing(&asset, &GroupSet::new()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn any_containing(&self, asset: &Asset, among: &GroupSet) -> bool {
        self.any_where(among, |core, any| core.walk_asset(asset, any))
    }

    /// Whether some group in `among` contains the scan target `target` (see
    /// [`GroupIndex::first_containing_target`]). Allocation-free.
    #[must_use]
    pub fn any_containing_target(&self, target: &Target, among: &GroupSet) -> bool {
        self.any_where(among, |core, any| core.walk_target(target, any))
    }

    #[inline]
    fn any_where(&self, among: &GroupSet, walk: impl FnOnce(&Core, &mut Any<'_>) -> bool) -> bool {
        if among.is_empty() {
            return false;
        }
        if self.all_assets.iter().any(|g| among.contains(*g as usize)) {
            return true;
        }
        walk(
            &self.core,
            &mut Any {
                pool: &self.core.pool,
                among,
            },
        )
    }

    /// The lowest position `g` in `among` whose group contains `asset`, with the
    /// reference [`Membership`] (All Assets, or the lowest rule, then the lowest term):
    /// what a loop over `among` in ascending order calling
    /// `ReferenceMatcher::contains_asset` returns. Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset};
    /// use scangate::access::{
    ///     AccessGroupType, AccessGroups, GroupIndex, GroupSet, Membership, Rule,
    /// };
    /// let groups = AccessGroups::from_server([
    ///     AccessGroup::new("a", AccessGroupType::ManageAssets)
    ///         .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/24"])?),
    ///     AccessGroup::new("b", AccessGroupType::ManageAssets)
    ///         .with_rule(Rule::parse("tag_uuid", "set-has", ["a59ae831-2695-40b1-a9f9-9a26258f5486"])?)
    ///         .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.1-10.0.0.9"])?),
    /// ]);
    /// let index = GroupIndex::new(&groups);
    /// let asset = Asset::new().with("ipv4", "10.0.0.5")?;
    /// let only_b: GroupSet = [1].into_iter().collect();
    /// assert_eq!(
    ///     index.first_containing(&asset, &only_b),
    ///     Some((1, Membership::Rule { rule: 1, term: 0 }))
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn first_containing(&self, asset: &Asset, among: &GroupSet) -> Option<(usize, Membership)> {
        let first = self.first_where(among, |core, first| {
            core.walk_asset(asset, first);
        })?;
        Some(self.answer(first, |g| self.explain_asset(asset, g)))
    }

    /// The lowest position in `among` whose group contains `asset`, without working out
    /// why (for a denial that names a containing group).
    pub(crate) fn first_group_containing(&self, asset: &Asset, among: &GroupSet) -> Option<usize> {
        self.first_where(among, |core, first| {
            core.walk_asset(asset, first);
        })
        .map(|found| match found {
            Found::AllAssets(g) | Found::Rules(g) => g as usize,
        })
    }

    /// The same for a scan target.
    pub(crate) fn first_group_containing_target(
        &self,
        target: &Target,
        among: &GroupSet,
    ) -> Option<usize> {
        self.first_where(among, |core, first| {
            core.walk_target(target, first);
        })
        .map(|found| match found {
            Found::AllAssets(g) | Found::Rules(g) => g as usize,
        })
    }

    /// The lowest position `g` in `among` whose group contains the scan target `target`
    /// (`ReferenceMatcher::contains_target`: All Assets contains every target; IP
    /// targets match only `ipv4`/`ipv6` rules, names only `fqdn`/`hostname` rules), with
    /// the reference membership. Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Target};
    /// use scangate::access::{
    ///     AccessGroupType, AccessGroups, GroupIndex, GroupSet, Membership, Rule,
    /// };
    /// let groups = AccessGroups::from_server([AccessGroup::new("s", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("hostname", "starts", ["web"])?)]);
    /// let index = GroupIndex::new(&groups);
    /// let all = GroupSet::full(index.len());
    /// let t: Target = "WEB01.corp".parse()?;
    /// assert!(index.any_containing_target(&t, &all));
    /// assert_eq!(
    ///     index.first_containing_target(&t, &all),
    ///     Some((0, Membership::Rule { rule: 0, term: 0 }))
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn first_containing_target(
        &self,
        target: &Target,
        among: &GroupSet,
    ) -> Option<(usize, Membership)> {
        let first = self.first_where(among, |core, first| {
            core.walk_target(target, first);
        })?;
        Some(self.answer(first, |g| self.explain_target(target, g)))
    }

    /// The lowest group of `among` containing what `walk` walks: a rule group, or the
    /// lowest All Assets group of `among` when no rule group below it does.
    fn first_where(
        &self,
        among: &GroupSet,
        walk: impl FnOnce(&Core, &mut First<'_>),
    ) -> Option<Found> {
        if among.is_empty() {
            return None;
        }
        // The lowest All Assets group in `among`: only lower groups can beat it.
        let all = self
            .all_assets
            .iter()
            .copied()
            .find(|g| among.contains(*g as usize));
        let mut first = First {
            pool: &self.core.pool,
            among,
            best: all.unwrap_or(u32::MAX),
        };
        walk(&self.core, &mut first);
        match all {
            Some(a) if first.best == a => Some(Found::AllAssets(a)),
            _ if first.best == u32::MAX => None,
            _ => Some(Found::Rules(first.best)),
        }
    }

    fn answer(
        &self,
        found: Found,
        explain: impl FnOnce(u32) -> Option<u32>,
    ) -> (usize, Membership) {
        match found {
            Found::AllAssets(g) => (g as usize, Membership::AllAssets),
            Found::Rules(g) => {
                // The group contains the value, so some term of it matches: explaining
                // cannot fail unless the index is inconsistent, which a proptest rules out.
                let membership = explain(g)
                    .and_then(|ordinal| self.ordinals.membership(g, ordinal))
                    .unwrap_or(Membership::Rule { rule: 0, term: 0 });
                (g as usize, membership)
            }
        }
    }

    /// The lowest ordinal of group `g`'s terms that match one of the asset's values: IP
    /// intervals and exact keys first, so that only patterns that could still be lower
    /// are verified.
    fn explain_asset(&self, asset: &Asset, g: u32) -> Option<u32> {
        let mut best = None;
        for phase in 0..2 {
            for attr in &self.core.indexed {
                for value in asset.values(*attr) {
                    self.lowest(phase, *attr, value, g, &mut best);
                }
            }
        }
        best
    }

    fn explain_target(&self, target: &Target, g: u32) -> Option<u32> {
        let mut best = None;
        for phase in 0..2 {
            for attr in target.attributes() {
                if let Some(value) = target.value_for(*attr) {
                    self.lowest(phase, *attr, value, g, &mut best);
                }
            }
        }
        best
    }

    fn lowest(
        &self,
        phase: u8,
        attr: RuleType,
        value: &AssetValue,
        g: u32,
        best: &mut Option<u32>,
    ) {
        match (phase, value) {
            (0, AssetValue::Ipv4(a)) => lower(best, self.v4.lowest(g, u32::from(*a))),
            (0, AssetValue::Ipv6(a)) => lower(best, self.v6.lowest(g, u128::from(*a))),
            _ => {
                if let Some(ix) = self.core.attrs.get(attr.index()) {
                    ix.lowest(phase, value, g, &self.core, best);
                }
            }
        }
    }

    /// Every group containing `asset`, ascending, with its reference membership (for
    /// `who_can`). Allocates the answer.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset};
    /// use scangate::access::{AccessGroupType, AccessGroups, GroupIndex, Membership, Rule};
    /// let groups = AccessGroups::from_server([
    ///     AccessGroup::all_assets_group("aa"),
    ///     AccessGroup::new("mac", AccessGroupType::ManageAssets)
    ///         .with_rule(Rule::parse("mac_address", "eq", ["00:11:22:33:44:55"])?),
    /// ]);
    /// let index = GroupIndex::new(&groups);
    /// let asset = Asset::new().with("mac_address", "00-11-22-33-44-55")?;
    /// assert_eq!(
    ///     index.containing(&asset),
    ///     [(0, Membership::AllAssets), (1, Membership::Rule { rule: 0, term: 0 })]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn containing(&self, asset: &Asset) -> Vec<(usize, Membership)> {
        let mut all = Union {
            pool: &self.core.pool,
            out: GroupSet::with_capacity(self.len()),
        };
        self.core.walk_asset(asset, &mut all);
        let mut groups = all.out;
        for g in &self.all_assets {
            groups.insert(*g as usize);
        }
        groups
            .iter()
            .map(|g| {
                let found = if self.all_assets.binary_search(&to_u32(g)).is_ok() {
                    Found::AllAssets(to_u32(g))
                } else {
                    Found::Rules(to_u32(g))
                };
                self.answer(found, |g| self.explain_asset(asset, g))
            })
            .collect()
    }

    /// A [`GroupFilter`] for the subject granted `granting` (usually
    /// [`GroupIndex::granting`] for one user and permission): it tells whether any of
    /// those groups contains an asset, for list endpoints. Building it costs one pass over
    /// the index's keys; it keeps only the keys of the granted groups, so a row costs a
    /// lookup in structures about as small as those groups' terms.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset};
    /// use scangate::access::{
    ///     AccessGroupType, AccessGroups, AccessPermissions, GroupIndex, Principal, Rule,
    /// };
    /// let groups = AccessGroups::from_server([AccessGroup::new("a", AccessGroupType::ManageAssets)
    ///     .with_rule(Rule::parse("fqdn", "ends", [".corp.example"])?)
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW))]);
    /// let index = GroupIndex::new(&groups);
    /// let filter = index.filter(&index.granting("alice", &[] as &[&str], AccessPermissions::CAN_VIEW));
    /// assert!(filter.allows(&Asset::new().with("fqdn", "db.corp.example")?));
    /// assert!(!filter.allows(&Asset::new().with("fqdn", "db.other.example")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn filter(&self, granting: &GroupSet) -> GroupFilter {
        let everything = self
            .all_assets
            .iter()
            .any(|g| granting.contains(*g as usize));
        let core = if everything || granting.is_empty() {
            None
        } else {
            Some(Arc::new(self.core.restricted(granting)))
        };
        GroupFilter { everything, core }
    }
}

/// The lowest group found.
#[derive(Clone, Copy)]
enum Found {
    AllAssets(u32),
    Rules(u32),
}

/// Stops at the first set meeting `among`.
struct Any<'a> {
    pool: &'a Pool,
    among: &'a GroupSet,
}

impl Offer for Any<'_> {
    #[inline]
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        !set.is_empty() && self.pool.meets(set, self.among) && holds()
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty() && self.pool.meets(set, self.among)
    }
}

/// Keeps the lowest group of `among` below `best`.
struct First<'a> {
    pool: &'a Pool,
    among: &'a GroupSet,
    best: u32,
}

impl Offer for First<'_> {
    #[inline]
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        if set.is_empty() {
            return false;
        }
        if let Some(g) = self.pool.first_common(set, self.among, self.best) {
            if holds() {
                self.best = g;
            }
        }
        // Nothing is below group 0.
        self.best == 0
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty() && self.pool.first_common(set, self.among, self.best).is_some()
    }
}

/// Keeps the lowest position of `among` below `best` that `verify` accepts (or, with
/// `any`, stops at the first accepted).
struct Verified<'a, F> {
    pool: &'a Pool,
    among: &'a GroupSet,
    best: u32,
    found: bool,
    any: bool,
    verify: F,
}

impl<F: FnMut(u32) -> bool> Offer for Verified<'_, F> {
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        if set.is_empty() {
            return false;
        }
        let mut holds = Some(holds);
        let mut held = false;
        let (best, found, any, verify) =
            (&mut self.best, &mut self.found, self.any, &mut self.verify);
        self.pool.any_common(set, self.among, |g| {
            if g >= *best {
                return false;
            }
            if !held {
                // The key is verified once, when a candidate first needs it; a key that
                // does not hold ends the walk over its set.
                let Some(h) = holds.take() else { return true };
                if !h() {
                    return true;
                }
                held = true;
            }
            if verify(g) {
                *best = g;
                *found = true;
                return any;
            }
            false
        });
        (any && self.found) || self.best == 0
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty() && self.pool.first_common(set, self.among, self.best).is_some()
    }
}

/// Marks the positions a key reaches (see [`GroupIndex::mark_reached`]).
struct Marked<'a> {
    pool: &'a Pool,
    positions: &'a [u32],
    reached: &'a mut [bool],
    left: usize,
}

impl Marked<'_> {
    /// Whether a position not yet marked is in `set`.
    fn meets(&self, set: SetView<'_>) -> bool {
        self.positions
            .iter()
            .zip(self.reached.iter())
            .any(|(g, r)| !*r && self.pool.view_contains(set, *g))
    }
}

impl Offer for Marked<'_> {
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        if set.is_empty() {
            return false;
        }
        // The key is verified once, when a position first needs it.
        let mut holds = Some(holds);
        for (g, r) in self.positions.iter().zip(self.reached.iter_mut()) {
            if *r || !self.pool.view_contains(set, *g) {
                continue;
            }
            if let Some(h) = holds.take() {
                if !h() {
                    return false;
                }
            }
            *r = true;
            self.left -= 1;
        }
        self.left == 0
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty() && self.meets(set)
    }
}

/// Removes the positions a key reaches (see [`GroupIndex::remove_reached`]).
struct Removed<'a> {
    pool: &'a Pool,
    set: &'a mut GroupSet,
}

impl Offer for Removed<'_> {
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        if set.is_empty() || !self.pool.meets(set, self.set) || !holds() {
            return false;
        }
        self.pool.subtract_from(set, self.set);
        self.set.is_empty()
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty() && self.pool.meets(set, self.set)
    }
}

/// Collects every group.
struct Union<'a> {
    pool: &'a Pool,
    out: GroupSet,
}

impl Offer for Union<'_> {
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        if holds() {
            self.pool.union_into(set, &mut self.out);
        }
        false
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty()
    }
}

/// Stops at the first key (in a filter's index every key is the subject's).
struct AnyKey;

impl Offer for AnyKey {
    #[inline]
    fn offer(&mut self, set: SetView<'_>, holds: impl FnOnce() -> bool) -> bool {
        !set.is_empty() && holds()
    }

    fn wants(&mut self, set: SetView<'_>) -> bool {
        !set.is_empty()
    }
}

/// Whether some group of one subject's granted set contains an asset: the per-row test
/// of a list endpoint, compiled by [`GroupIndex::filter`].
///
/// It holds its own index of the keys (addresses, names, patterns, ids) of the granted
/// groups, with intervals merged; a check stops at the first key that matches.
/// Allocation-free. Owned, `Send + Sync`, cheap to clone: build it once per subject and
/// permission and keep it as long as the policy.
#[derive(Debug, Clone)]
pub struct GroupFilter {
    everything: bool,
    core: Option<Arc<Core>>,
}

impl GroupFilter {
    /// Whether a granted group contains `asset` (exactly:
    /// `first_containing(asset, granting).is_some()`).
    #[must_use]
    #[inline]
    pub fn allows(&self, asset: &Asset) -> bool {
        self.everything
            || self
                .core
                .as_ref()
                .is_some_and(|core| core.walk_asset(asset, &mut AnyKey))
    }

    /// Whether a granted group contains the scan target `target` (exactly:
    /// `first_containing_target(target, granting).is_some()`).
    #[must_use]
    pub fn allows_target(&self, target: &Target) -> bool {
        self.everything
            || self
                .core
                .as_ref()
                .is_some_and(|core| core.walk_target(target, &mut AnyKey))
    }

    /// Whether every asset is allowed (an All Assets group is granted).
    #[must_use]
    pub fn allows_everything(&self) -> bool {
        self.everything
    }

    /// An estimate of the heap memory the filter holds, in bytes (counted as
    /// [`GroupIndex::heap_bytes`]).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.core.as_ref().map_or(0, |core| core.heap_bytes())
    }
}
