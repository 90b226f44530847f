//! The compiled access-group index: the layer-3 fast path.
//!
//! [`GroupIndex`] is built once from an [`AccessGroups`] and answers the questions the
//! engine asks per request and per asset row, with exactly the answers of
//! [`AccessGroup::grant`] and [`ReferenceMatcher`] (a proptest checks this on random
//! groups):
//!
//! - which groups grant a subject a permission ([`GroupIndex::granting`]): a principal
//!   index (user id → groups, user-group id → groups, plus the sets every user gets);
//! - the first of those groups containing an asset or a scan target, and why
//!   ([`GroupIndex::first_containing`], [`GroupIndex::first_containing_target`]);
//! - every group containing an asset ([`GroupIndex::containing`], for `who_can`);
//! - an [`AssetFilter`] compiled for one subject, for list endpoints.
//!
//! Per attribute, every term is filed under its value: IP terms in a table of elementary
//! intervals (binary search on the address), `eq` names and texts in a hash table,
//! `starts` / `ends` in hash tables probed with every prefix / suffix length present
//! (hashed in one pass over the value), `match` patterns under their rarest 4-byte piece,
//! MACs, Qualys ids and UUIDs (tags) in a hash map. Each key leads to a list of hits
//! `(group, rule, term)` sorted by group with the lowest `(rule, term)` of that group, so
//! the reference membership (lowest rule, then lowest term) falls out of a minimum. No
//! lookup allocates.

mod grams;
mod principals;
mod set;
mod tables;

pub use set::GroupSet;

use self::grams::Contains;
use self::principals::Principals;
use self::tables::{Affix, FxMap, Hit, IpTable, Lists, StrTable, to_u32};
use super::asset::{Asset, Target};
use super::groups::AccessGroups;
use super::principal::AccessPermissions;
use super::reference::Membership;
use super::rule_type::RuleType;
use super::term::{AssetValue, TermValue};
#[allow(unused_imports)] // doc links
use super::{group::AccessGroup, reference::ReferenceMatcher};

/// What a lookup does with the hit lists it finds.
pub(super) trait Visit {
    /// Whether list `list` is worth looking at (checked before a `match` pattern is run).
    fn wants(&mut self, list: u32) -> bool;
    /// Takes list `list`, whose key matched; returns `true` to stop the lookup.
    fn visit(&mut self, list: u32) -> bool;
}

/// The structures of one attribute.
#[derive(Debug, Default)]
struct AttrIndex {
    v4: IpTable<u32>,
    v6: IpTable<u128>,
    eq: StrTable,
    starts: StrTable,
    ends: StrTable,
    contains: Contains,
    scalars: FxMap<(u8, u128), u32>,
}

impl AttrIndex {
    fn is_empty(&self) -> bool {
        self.v4.ids.0 == self.v4.ids.1
            && self.v6.ids.0 == self.v6.ids.1
            && self.eq.ids.0 == self.eq.ids.1
            && self.starts.ids.0 == self.starts.ids.1
            && self.ends.ids.0 == self.ends.ids.1
            && self.contains.is_empty()
            && self.scalars.is_empty()
    }

    /// The structures restricted to the keys whose list passes `keep`, every key filed
    /// under one placeholder hit.
    fn restricted(&self, keep: &impl Fn(u32) -> bool, lists: &mut Lists) -> AttrIndex {
        let v4 = self.v4.restricted(keep, lists);
        let v6 = self.v6.restricted(keep, lists);
        let eq = self.eq.restricted(keep, lists);
        let starts = self.starts.restricted(keep, lists);
        let ends = self.ends.restricted(keep, lists);
        let contains = self.contains.restricted(keep, lists);
        let mut scalars = FxMap::default();
        for (key, list) in &self.scalars {
            if keep(*list) {
                scalars.insert(*key, lists.push([tables::ANY]));
            }
        }
        AttrIndex {
            v4,
            v6,
            eq,
            starts,
            ends,
            contains,
            scalars,
        }
    }

    /// Phase 0: the exact lookups (IP tables, `eq`, ids); phase 1: `starts` / `ends`;
    /// phase 2: `match`. Cheap answers first, so that a lookup can stop (or prune) before
    /// the costlier ones.
    #[inline]
    fn visit(&self, phase: u8, value: &AssetValue, v: &mut impl Visit) -> bool {
        let mut take = |list: u32| v.wants(list) && v.visit(list);
        match (phase, value) {
            (0, AssetValue::Ipv4(a)) => self.v4.find(u32::from(*a)).is_some_and(take),
            (0, AssetValue::Ipv6(a)) => self.v6.find(u128::from(*a)).is_some_and(take),
            (0, AssetValue::Str(s)) => self.eq.visit(s.as_bytes(), take),
            (1, AssetValue::Str(s)) => {
                self.starts.visit(s.as_bytes(), &mut take) || self.ends.visit(s.as_bytes(), take)
            }
            (2, AssetValue::Str(s)) => self.contains.visit(s, v),
            (0, AssetValue::Mac(m)) => self.scalar((0, u128::from(m.to_u64())), take),
            (0, AssetValue::Digits(d)) => self.scalar((1, u128::from(*d)), take),
            (0, AssetValue::Uuid(u)) => self.scalar((2, u.to_u128()), take),
            _ => false,
        }
    }

    #[inline]
    fn scalar(&self, key: (u8, u128), take: impl FnOnce(u32) -> bool) -> bool {
        !self.scalars.is_empty() && self.scalars.get(&key).is_some_and(|l| take(*l))
    }

    fn heap_bytes(&self) -> usize {
        self.v4.heap_bytes()
            + self.v6.heap_bytes()
            + self.eq.heap_bytes()
            + self.starts.heap_bytes()
            + self.ends.heap_bytes()
            + self.contains.heap_bytes()
            + self.scalars.capacity() * (size_of::<((u8, u128), u32)>() + 1)
    }
}

/// The terms of one attribute, gathered before the structures are built.
#[derive(Default)]
struct Raw<'a> {
    v4: Vec<(u32, u32, Hit)>,
    v6: Vec<(u128, u128, Hit)>,
    eq: Vec<(&'a str, Hit)>,
    starts: Vec<(&'a str, Hit)>,
    ends: Vec<(&'a str, Hit)>,
    contains: Vec<(&'a str, Hit)>,
    scalars: Vec<((u8, u128), Hit)>,
}

/// The compiled index of a list of access groups: the layer-3 fast path. Build it once
/// per policy version; every query takes `&self`, never fails and does not allocate
/// except where it returns an owned collection. `Send + Sync`. Positions are indexes into
/// the order of the [`AccessGroups`] it was built from.
///
/// Its answers are exactly those of [`AccessGroup::grant`] and [`ReferenceMatcher`] (a
/// proptest checks this on random groups):
///
/// - which groups grant a subject a permission ([`GroupIndex::granting`]): user id →
///   groups, user-group id → groups, plus the sets every user gets;
/// - the first of a set of groups containing an asset or a scan target, and why
///   ([`GroupIndex::first_containing`], [`GroupIndex::first_containing_target`]);
/// - every group containing an asset ([`GroupIndex::containing`], for `who_can`);
/// - an [`AssetFilter`] compiled for one subject, for list endpoints.
///
/// Per attribute, every term is filed under its value: IP terms in a table of elementary
/// intervals (binary search on the address), `eq` names and texts in a hash table,
/// `starts` / `ends` in hash tables probed once per key length present, `match` patterns
/// under their rarest 8-byte (else 4-byte) piece, MACs, Qualys ids and UUIDs (tags) in a
/// hash map. Each key leads to a list of hits `(group, rule, term)` sorted by group, with
/// the lowest `(rule, term)` of each group, so the reference membership (lowest rule,
/// then lowest term) is a minimum over the lists the asset's values reach. See
/// `docs/performance.md` ("Layer 3 index") for costs.
///
/// # Examples
///
/// ```
/// use scangate::access::GroupIndex;
/// use scangate::{
///     AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, Membership,
///     Principal, Rule,
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
    /// By [`RuleType::index`].
    attrs: Vec<AttrIndex>,
    /// The attributes with at least one term.
    indexed: Vec<RuleType>,
    lists: Lists,
    terms: usize,
}

impl GroupIndex {
    /// Builds the index of `groups`.
    ///
    /// Cost: one pass over the terms, then one sort per IP attribute; memory is about one
    /// list entry per term plus its key (see `docs/performance.md`). Heavily overlapping IP
    /// intervals are the costly case: an address range covered by `k` terms of `k`
    /// different groups stores those `k` hits once per elementary interval inside it.
    #[must_use]
    pub fn new(groups: &AccessGroups) -> GroupIndex {
        let principals = Principals::build(groups.iter());
        let mut raw: Vec<Raw<'_>> = RuleType::ALL.iter().map(|_| Raw::default()).collect();
        let mut all_assets = Vec::new();
        let mut terms = 0;
        for (position, group) in groups.iter().enumerate() {
            let g = to_u32(position);
            if group.all_assets() {
                // The reference answers All Assets before looking at rules.
                all_assets.push(g);
                continue;
            }
            for (r, rule) in group.rules().iter().enumerate() {
                let Some(raw) = raw.get_mut(rule.rule_type().index()) else {
                    continue;
                };
                for (t, term) in rule.terms().iter().enumerate() {
                    terms += 1;
                    let hit = Hit {
                        group: g,
                        rule: to_u32(r),
                        term: to_u32(t),
                    };
                    match term.value() {
                        TermValue::Ipv4 { first, last } => raw.v4.push((*first, *last, hit)),
                        TermValue::Ipv6 { first, last } => raw.v6.push((*first, *last, hit)),
                        TermValue::Equals(s) => raw.eq.push((s, hit)),
                        TermValue::Starts(s) => raw.starts.push((s, hit)),
                        TermValue::Ends(s) => raw.ends.push((s, hit)),
                        TermValue::Contains(s) => raw.contains.push((s, hit)),
                        TermValue::Mac(m) => raw.scalars.push(((0, u128::from(m.to_u64())), hit)),
                        TermValue::Digits(d) => raw.scalars.push(((1, u128::from(*d)), hit)),
                        TermValue::Uuid(u) => raw.scalars.push(((2, u.to_u128()), hit)),
                    }
                }
            }
        }
        let mut lists = Lists::new();
        let mut attrs = Vec::with_capacity(RuleType::COUNT);
        for raw in raw {
            let v4 = IpTable::build(&raw.v4, &mut lists);
            let v6 = IpTable::build(&raw.v6, &mut lists);
            let eq = StrTable::build(&raw.eq, Affix::Whole, &mut lists);
            let starts = StrTable::build(&raw.starts, Affix::Prefix, &mut lists);
            let ends = StrTable::build(&raw.ends, Affix::Suffix, &mut lists);
            let contains = Contains::build(&raw.contains, &mut lists);
            let mut scalars = FxMap::default();
            for (key, hits) in tables::Grouped::new(&raw.scalars).iter() {
                scalars.insert(key, lists.push(hits.iter().copied()));
            }
            scalars.shrink_to_fit();
            attrs.push(AttrIndex {
                v4,
                v6,
                eq,
                starts,
                ends,
                contains,
                scalars,
            });
        }
        lists.shrink();
        let indexed = RuleType::ALL
            .iter()
            .copied()
            .filter(|t| attrs.get(t.index()).is_some_and(|a| !a.is_empty()))
            .collect();
        GroupIndex {
            principals,
            all_assets,
            attrs,
            indexed,
            lists,
            terms,
        }
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

    /// The number of rule terms indexed (terms of All Assets groups are not: they never
    /// decide).
    #[must_use]
    pub fn term_count(&self) -> usize {
        self.terms
    }

    /// An estimate of the heap memory the index holds, in bytes: the sum of the
    /// capacities of its vectors times their element sizes, hash tables counted as
    /// capacity × (entry + 1 control byte), plus the bytes of stored strings. Allocator
    /// overhead is not counted.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.principals.heap_bytes()
            + self.all_assets.capacity() * 4
            + self.attrs.capacity() * size_of::<AttrIndex>()
            + self.attrs.iter().map(AttrIndex::heap_bytes).sum::<usize>()
            + self.lists.heap_bytes()
    }

    /// The groups (positions) granting `user`, a member of the user groups
    /// `user_groups`, every permission in `permission` — exactly those for which
    /// [`AccessGroup::grant`] is `Some`. An empty `permission` gives the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::GroupIndex;
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Principal};
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

    /// The lowest position `g` in `among` whose group contains `asset`, with the
    /// reference [`Membership`] (All Assets, or the lowest rule, then the lowest term):
    /// what a loop over `among` in ascending order calling
    /// [`ReferenceMatcher::contains_asset`] returns. Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{GroupIndex, GroupSet};
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, Asset, Membership, Rule};
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
        let mut first = self.first_visitor(among);
        visit_asset(&self.attrs, &self.indexed, asset, &mut first);
        first.result()
    }

    /// The lowest position `g` in `among` whose group contains the scan target `target`
    /// ([`ReferenceMatcher::contains_target`]: All Assets contains every target; IP
    /// targets match only `ipv4`/`ipv6` rules, names only `fqdn`/`hostname` rules), with
    /// the reference membership. Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{GroupIndex, GroupSet};
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, Membership, Rule, Target};
    /// let groups = AccessGroups::from_server([AccessGroup::new("s", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("hostname", "starts", ["web"])?)]);
    /// let index = GroupIndex::new(&groups);
    /// let all = GroupSet::full(index.len());
    /// let t: Target = "WEB01.corp".parse()?;
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
        let mut first = self.first_visitor(among);
        visit_target(&self.attrs, target, &mut first);
        first.result()
    }

    /// Every group containing `asset`, ascending, with its reference membership (for
    /// `who_can`). Allocates the answer; cost grows with the number of matching terms.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::GroupIndex;
    /// use scangate::{AccessGroup, AccessGroupType, AccessGroups, Asset, Membership, Rule};
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
        let mut all = Collect {
            lists: &self.lists,
            hits: Vec::new(),
        };
        visit_asset(&self.attrs, &self.indexed, asset, &mut all);
        let mut hits = all.hits;
        hits.extend(self.all_assets.iter().map(|g| Hit {
            group: *g,
            rule: u32::MAX,
            term: u32::MAX,
        }));
        hits.sort_unstable();
        hits.dedup_by_key(|h| h.group);
        hits.into_iter().map(answer).collect()
    }

    /// An [`AssetFilter`] for the subject granted `granting` (usually
    /// [`GroupIndex::granting`] for one user and permission): it tells whether any of
    /// those groups contains an asset, as fast as the index allows, for list endpoints.
    /// Building it costs one pass over the index's hit lists.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::GroupIndex;
    /// use scangate::{
    ///     AccessGroup, AccessGroupType, AccessGroups, AccessPermissions, Asset, Principal, Rule,
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
    pub fn filter(&self, granting: &GroupSet) -> AssetFilter {
        let everything = self
            .all_assets
            .iter()
            .any(|g| granting.contains(*g as usize));
        let mut allowed = GroupSet::with_capacity(self.lists.count() as usize);
        if !everything {
            for list in 0..self.lists.count() {
                if self
                    .lists
                    .get(list)
                    .iter()
                    .any(|h| granting.contains(h.group as usize))
                {
                    allowed.insert(list as usize);
                }
            }
        }
        let keep = |list: u32| allowed.contains(list as usize);
        let mut lists = Lists::new();
        let attrs: Vec<AttrIndex> = self
            .attrs
            .iter()
            .map(|a| a.restricted(&keep, &mut lists))
            .collect();
        lists.shrink();
        let indexed = RuleType::ALL
            .iter()
            .copied()
            .filter(|t| attrs.get(t.index()).is_some_and(|a| !a.is_empty()))
            .collect();
        AssetFilter {
            everything,
            attrs,
            indexed,
        }
    }

    fn first_visitor<'a>(&'a self, among: &'a GroupSet) -> First<'a> {
        // The lowest All Assets group in `among`: only lower groups can beat it.
        let all = self
            .all_assets
            .iter()
            .copied()
            .find(|g| among.contains(*g as usize));
        First {
            lists: &self.lists,
            among,
            limit: all.unwrap_or(u32::MAX),
            all,
            best: None,
        }
    }
}

/// Visits the lists of every key matching a value of `asset` for the attributes `attrs`,
/// phase by phase; returns `true` when the visitor stopped.
#[inline]
fn visit_asset(index: &[AttrIndex], attrs: &[RuleType], asset: &Asset, v: &mut impl Visit) -> bool {
    (0..3).any(|phase| {
        attrs.iter().any(|attr| {
            let values = asset.values(*attr);
            !values.is_empty()
                && index
                    .get(attr.index())
                    .is_some_and(|ix| values.iter().any(|value| ix.visit(phase, value, v)))
        })
    })
}

/// The same for a scan target (its one value, for the attributes of its format).
#[inline]
fn visit_target(index: &[AttrIndex], target: &Target, v: &mut impl Visit) -> bool {
    (0..3).any(|phase| {
        target.attributes().iter().any(|attr| {
            match (target.value_for(*attr), index.get(attr.index())) {
                (Some(value), Some(ix)) => ix.visit(phase, value, v),
                _ => false,
            }
        })
    })
}

fn answer(hit: Hit) -> (usize, Membership) {
    let membership = if hit.rule == u32::MAX {
        Membership::AllAssets
    } else {
        Membership::Rule {
            rule: hit.rule as usize,
            term: hit.term as usize,
        }
    };
    (hit.group as usize, membership)
}

/// Finds the lowest `(group, rule, term)` hit with the group in `among` and below
/// `limit`.
struct First<'a> {
    lists: &'a Lists,
    among: &'a GroupSet,
    limit: u32,
    all: Option<u32>,
    best: Option<Hit>,
}

impl First<'_> {
    fn bound(&self) -> u32 {
        self.best.map_or(self.limit, |b| b.group.saturating_add(1))
    }

    fn result(&self) -> Option<(usize, Membership)> {
        match (self.best, self.all) {
            (Some(hit), _) => Some(answer(hit)),
            (None, Some(g)) => Some((g as usize, Membership::AllAssets)),
            (None, None) => None,
        }
    }
}

impl Visit for First<'_> {
    #[inline]
    fn wants(&mut self, list: u32) -> bool {
        // Lists are sorted by group with one hit per group: a list whose first hit is not
        // below the best so far cannot improve it.
        self.lists
            .get(list)
            .first()
            .is_some_and(|h| h.group < self.limit && self.best.is_none_or(|b| *h < b))
    }

    #[inline]
    fn visit(&mut self, list: u32) -> bool {
        let bound = self.bound();
        for hit in self.lists.get(list) {
            if hit.group >= bound {
                break;
            }
            if self.among.contains(hit.group as usize) {
                if self.best.is_none_or(|b| *hit < b) {
                    self.best = Some(*hit);
                }
                break;
            }
        }
        false
    }
}

/// Collects every hit.
struct Collect<'a> {
    lists: &'a Lists,
    hits: Vec<Hit>,
}

impl Visit for Collect<'_> {
    fn wants(&mut self, _list: u32) -> bool {
        true
    }

    fn visit(&mut self, list: u32) -> bool {
        self.hits.extend_from_slice(self.lists.get(list));
        false
    }
}

/// Whether some group of one subject's granted set contains an asset: the per-row test
/// of a list endpoint, compiled by [`GroupIndex::filter`].
///
/// It holds its own copy of the index's structures restricted to the keys (addresses,
/// names, patterns, ids) of the granted groups, with intervals merged; a check stops at
/// the first key that matches. Allocation-free. Owned, `Send + Sync`: build it once per
/// subject and permission and keep it as long as the policy.
#[derive(Debug)]
pub struct AssetFilter {
    everything: bool,
    attrs: Vec<AttrIndex>,
    indexed: Vec<RuleType>,
}

impl AssetFilter {
    /// Whether a granted group contains `asset` (exactly: `first_containing(asset,
    /// granting).is_some()`).
    #[must_use]
    #[inline]
    pub fn allows(&self, asset: &Asset) -> bool {
        self.everything || visit_asset(&self.attrs, &self.indexed, asset, &mut Stop)
    }

    /// Whether a granted group contains the scan target `target` (exactly:
    /// `first_containing_target(target, granting).is_some()`).
    #[must_use]
    pub fn allows_target(&self, target: &Target) -> bool {
        self.everything || visit_target(&self.attrs, target, &mut Stop)
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
        self.attrs.capacity() * size_of::<AttrIndex>()
            + self.attrs.iter().map(AttrIndex::heap_bytes).sum::<usize>()
    }
}

/// Stops at the first matching key.
struct Stop;

impl Visit for Stop {
    #[inline]
    fn wants(&mut self, _list: u32) -> bool {
        true
    }

    #[inline]
    fn visit(&mut self, _list: u32) -> bool {
        true
    }
}
