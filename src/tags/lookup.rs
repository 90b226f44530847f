//! The dynamic tags' filters, indexed like access-group rules (`docs/performance.md`,
//! "Dynamic tags (v3)"): which tags a key of an asset selects, without evaluating every
//! filter.
//!
//! Each filter is filed three ways (see [`TagFilter::keys`]):
//! - under its *deciding* anchors, the positive conditions with only `or`s above them: a
//!   key reaching the tag there means the filter holds, no evaluation needed (an `or` of
//!   conditions is then exactly an access group);
//! - under its other anchors (an `and`'s member of lowest estimated reach, see
//!   [`anchor_cost`]): a key reaching the tag there makes it a candidate, whose filter is
//!   evaluated;
//! - a filter with no anchor (only negated conditions, or attributes the index does not
//!   hold) is *unanchored*: it is filed under its negated conditions' values, which
//!   exclude it when a key reaches them. A filter that is only an `and` of such
//!   conditions then holds exactly when it is not excluded and the asset has every
//!   attribute it names; other unanchored filters not excluded are evaluated.
//!
//! `tag.<Category> set-has V` (and `set-hasnot`) is filed under the `tag_uuid` of every
//! policy tag named `Category:V`: the asset names such a tag exactly when the condition's
//! value matches (`docs/semantics.md`: the names of the tags the asset names, compared
//! exactly).

use smallvec::{SmallVec, smallvec};

use super::filter::{FilterCondition, FilterKeys};
use super::tag::TagValue;
use super::{Field, TagFilter};
use crate::access::{Asset, FxMap, GroupIndex, GroupSet, RuleType, TermValue, Uuid};

/// The policy's tags by category and value name (for `tag.<Category>` conditions).
#[derive(Debug, Default)]
pub(crate) struct TagNames(FxMap<Box<str>, FxMap<Box<str>, Vec<Uuid>>>);

impl TagNames {
    /// The names of `tags`.
    pub(crate) fn new(tags: &[TagValue]) -> TagNames {
        let mut names: FxMap<Box<str>, FxMap<Box<str>, Vec<Uuid>>> = FxMap::default();
        for tag in tags {
            names
                .entry(tag.category().into())
                .or_default()
                .entry(tag.value().into())
                .or_default()
                .push(tag.uuid());
        }
        TagNames(names)
    }

    /// The index keys of `condition`: its terms, or for `tag.<Category>` the uuids of the
    /// tags of those names.
    fn keys_of(&self, condition: &FilterCondition, out: &mut Vec<(RuleType, TermValue)>) {
        match condition.field() {
            Field::Fixed(_) => {
                if let Some(rule_type) = condition.rule_type() {
                    out.extend(
                        condition
                            .terms()
                            .iter()
                            .map(|t| (rule_type, t.value().clone())),
                    );
                }
            }
            Field::TagCategory(category) => {
                for value in condition.tag_values() {
                    let uuids = self.0.get(&**category).and_then(|v| v.get(&**value));
                    for uuid in uuids.into_iter().flatten() {
                        out.push((RuleType::TagUuid, TermValue::Uuid(*uuid)));
                    }
                }
            }
        }
    }
}

/// The filters of some tags, indexed (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct FilterIndex {
    /// Tags under their deciding anchors.
    deciding: Option<GroupIndex>,
    /// Tags under anchors that make them candidates.
    candidates: Option<GroupIndex>,
    /// The unanchored tags.
    unanchored: GroupSet,
    /// The unanchored tags under their negated conditions' values.
    excluding: Option<GroupIndex>,
    /// The unanchored tags that hold when not excluded, with the attributes (bits of
    /// [`RuleType::index`]) the asset must have.
    required: FxMap<u32, AttributeBits>,
    /// The same tags by the attributes they need (one set per distinct need): for a
    /// subject granted many, the tags an asset lacks attributes for are removed by set.
    by_need: Vec<(AttributeBits, GroupSet)>,
}

/// A bit per access-group attribute.
type AttributeBits = u64;

const _: () = assert!(RuleType::ALL.len() <= AttributeBits::BITS as usize);

fn attribute_bit(rule_type: RuleType) -> AttributeBits {
    1u64.checked_shl(u32::try_from(rule_type.index()).unwrap_or(u32::MAX))
        .unwrap_or(0)
}

/// The attributes `asset` has a value of.
fn present(asset: &Asset) -> AttributeBits {
    RuleType::ALL
        .iter()
        .filter(|t| !asset.values(**t).is_empty())
        .fold(0, |bits, t| bits | attribute_bit(*t))
}

impl FilterIndex {
    /// Indexes `filters` (tag positions below `universe`, each with its filter).
    pub(crate) fn new<'f>(
        universe: usize,
        filters: impl IntoIterator<Item = (u32, &'f TagFilter)>,
        names: &TagNames,
    ) -> FilterIndex {
        let mut deciding = Vec::new();
        let mut candidates = Vec::new();
        let mut excluding = Vec::new();
        let mut index = FilterIndex::default();
        let mut keys = Vec::new();
        let filters: Vec<(u32, &TagFilter)> = filters.into_iter().collect();
        let cost = anchor_cost(&filters);
        for &(position, filter) in &filters {
            let FilterKeys {
                anchors,
                exclusions,
                only_exclusions,
            } = filter.keys(&cost);
            if let Some(anchors) = anchors {
                for (condition, decides) in anchors {
                    keys.clear();
                    names.keys_of(condition, &mut keys);
                    let into = if decides {
                        &mut deciding
                    } else {
                        &mut candidates
                    };
                    into.extend(keys.drain(..).map(|(t, v)| (position, t, v)));
                }
                continue;
            }
            index.unanchored.insert(position as usize);
            let mut required = 0;
            for condition in exclusions {
                keys.clear();
                names.keys_of(condition, &mut keys);
                excluding.extend(keys.drain(..).map(|(t, v)| (position, t, v)));
                if let Some(rule_type) = condition.rule_type() {
                    required |= attribute_bit(rule_type);
                }
            }
            if only_exclusions {
                index.required.insert(position, required);
                match index.by_need.iter_mut().find(|(need, _)| *need == required) {
                    Some((_, tags)) => {
                        tags.insert(position as usize);
                    }
                    None => index
                        .by_need
                        .push((required, core::iter::once(position as usize).collect())),
                }
            }
        }
        let build = |terms: &[(u32, RuleType, TermValue)]| {
            (!terms.is_empty()).then(|| {
                GroupIndex::from_terms(universe, terms.iter().map(|(g, t, v)| (*g, *t, v)))
            })
        };
        FilterIndex {
            deciding: build(&deciding),
            candidates: build(&candidates),
            excluding: build(&excluding),
            ..index
        }
    }

    /// Whether the filter of some tag in `granted` selects `asset`; `holds(g)` evaluates
    /// tag `g`'s filter (for candidates and unanchored tags not decided by the index).
    pub(crate) fn any(
        &self,
        asset: &Asset,
        granted: &GroupSet,
        mut holds: impl FnMut(u32) -> bool,
    ) -> bool {
        self.deciding
            .as_ref()
            .is_some_and(|index| index.any_containing(asset, granted))
            || self.candidates.as_ref().is_some_and(|index| {
                index
                    .first_verified(asset, granted, u32::MAX, true, &mut holds)
                    .is_some()
            })
            || self
                .first_unanchored(asset, granted, u32::MAX, holds)
                .is_some()
    }

    /// The lowest tag in `granted`, below `below`, whose filter selects `asset`.
    pub(crate) fn lowest(
        &self,
        asset: &Asset,
        granted: &GroupSet,
        below: u32,
        mut holds: impl FnMut(u32) -> bool,
    ) -> Option<u32> {
        let mut best = below;
        if let Some(g) = self
            .deciding
            .as_ref()
            .and_then(|index| index.first_group_containing(asset, granted))
        {
            best = best.min(u32::try_from(g).unwrap_or(u32::MAX));
        }
        if let Some(g) = self
            .candidates
            .as_ref()
            .and_then(|index| index.first_verified(asset, granted, best, false, &mut holds))
        {
            best = best.min(g);
        }
        if let Some(g) = self.first_unanchored(asset, granted, best, holds) {
            best = best.min(g);
        }
        (best < below).then_some(best)
    }

    /// The lowest unanchored tag in `granted`, below `below`, whose filter selects `asset`:
    /// the keys of the asset exclude tags through their negated conditions, then the
    /// others are decided by the attributes the asset has, or evaluated.
    fn first_unanchored(
        &self,
        asset: &Asset,
        granted: &GroupSet,
        below: u32,
        mut holds: impl FnMut(u32) -> bool,
    ) -> Option<u32> {
        /// Up to this many candidates, they are listed on the stack and tested one by one.
        const FEW: usize = 64;
        let mine = self.unanchored.words();
        let mut candidates: SmallVec<[u32; 16]> = SmallVec::new();
        for (w, bits) in granted.nonzero_words() {
            let both = bits & mine.get(w as usize).copied().unwrap_or(0);
            candidates.extend(set_bits(w, both).take_while(|g| *g < below));
            if candidates.len() > FEW {
                return self.first_of_many(asset, granted, below, holds);
            }
        }
        if candidates.is_empty() {
            return None;
        }
        let mut excluded: SmallVec<[bool; 16]> = smallvec![false; candidates.len()];
        if let Some(index) = &self.excluding {
            index.mark_reached(asset, &candidates, &mut excluded);
        }
        let mut has: Option<AttributeBits> = None;
        candidates
            .iter()
            .zip(&excluded)
            .filter(|(_, excluded)| !**excluded)
            .map(|(g, _)| *g)
            .find(|g| match self.required.get(g) {
                Some(needed) => {
                    let has = *has.get_or_insert_with(|| present(asset));
                    needed & !has == 0
                }
                None => holds(*g),
            })
    }

    /// [`FilterIndex::first_unanchored`] for a subject granted many unanchored tags, with
    /// sets: the candidates are a bitset, the tags whose attributes the asset lacks are
    /// removed by need; the lowest 16 are tried as for few candidates (an allowed asset
    /// usually ends there); else the keys' sets remove the excluded ones word by word,
    /// and the first left that is not decided already is evaluated. At most two walks.
    fn first_of_many(
        &self,
        asset: &Asset,
        granted: &GroupSet,
        below: u32,
        mut holds: impl FnMut(u32) -> bool,
    ) -> Option<u32> {
        let mut candidates = granted.intersection(&self.unanchored);
        let has = present(asset);
        candidates.fill(|words| {
            for (need, tags) in &self.by_need {
                if need & !has != 0 {
                    for (w, t) in words.iter_mut().zip(tags.words()) {
                        *w &= !t;
                    }
                }
            }
            // Positions from `below` on do not count.
            let first = (below / 64) as usize;
            if let Some(w) = words.get_mut(first) {
                *w &= 1u64.checked_shl(below % 64).map_or(u64::MAX, |b| b - 1);
            }
            for w in words.iter_mut().skip(first + 1) {
                *w = 0;
            }
        });
        let mut decide = |g: u32| self.required.contains_key(&g) || holds(g);
        let Some(index) = &self.excluding else {
            return candidates.iter().map(to_u32).find(|g| decide(*g));
        };
        // The lowest few first, as for a subject granted few: one walk marks them, and
        // the lowest that survives is the answer, whatever the others.
        let probe: SmallVec<[u32; 16]> = candidates.iter().take(16).map(to_u32).collect();
        let mut excluded: SmallVec<[bool; 16]> = smallvec![false; probe.len()];
        index.mark_reached(asset, &probe, &mut excluded);
        for (g, excluded) in probe.iter().zip(&excluded) {
            if !excluded && decide(*g) {
                return Some(*g);
            }
            candidates.remove(*g as usize);
        }
        index.remove_reached(asset, &mut candidates);
        candidates.iter().map(to_u32).find(|g| decide(*g))
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        [&self.deciding, &self.candidates, &self.excluding]
            .into_iter()
            .flatten()
            .map(GroupIndex::heap_bytes)
            .sum::<usize>()
            + self.unanchored.heap_bytes()
            + self.required.capacity() * size_of::<(u32, AttributeBits)>()
            + self
                .by_need
                .iter()
                .map(|(_, tags)| size_of::<(AttributeBits, GroupSet)>() + tags.heap_bytes())
                .sum::<usize>()
    }
}

/// The cost of filing a tag under a condition, for choosing an `and`'s anchor: about how
/// many tags a key reaching it makes candidates. Each term counts the filters whose
/// anchor conditions hold the same term (the index's own statistics: a system name that
/// 600 tags test is no narrow anchor), times a measure of its breadth (1 plus the bits of
/// the addresses an IP range spans; 21 for a pattern, which matches names without
/// bound); a `tag.<Category>` value counts 1.
fn anchor_cost<'f>(filters: &[(u32, &'f TagFilter)]) -> impl Fn(&'f FilterCondition) -> u64 {
    let mut popularity: FxMap<(RuleType, &'f TermValue), u64> = FxMap::default();
    for (_, filter) in filters {
        for condition in filter.conditions() {
            if let (true, Some(rule_type)) = (condition.is_anchor(), condition.rule_type()) {
                for term in condition.terms() {
                    *popularity.entry((rule_type, term.value())).or_default() += 1;
                }
            }
        }
    }
    move |condition: &'f FilterCondition| match condition.rule_type() {
        Some(rule_type) => condition.terms().iter().fold(0u64, |sum, term| {
            let value = term.value();
            let count = popularity.get(&(rule_type, value)).copied().unwrap_or(1);
            sum.saturating_add(count.saturating_mul(breadth_bits(value)))
        }),
        None => u64::try_from(condition.tag_values().len()).unwrap_or(u64::MAX),
    }
}

/// 1 plus the bits of the number of values a term matches (see [`anchor_cost`]).
fn breadth_bits(value: &TermValue) -> u64 {
    let bits = |span: u128| u64::from(u128::BITS - span.leading_zeros());
    match value {
        TermValue::Ipv4 { first, last } => 1 + bits(u128::from(last.saturating_sub(*first))),
        TermValue::Ipv6 { first, last } => 1 + bits(last.saturating_sub(*first)),
        TermValue::Starts(_) | TermValue::Ends(_) | TermValue::Contains(_) => 21,
        _ => 1,
    }
}

fn to_u32(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

/// The positions of the set bits of word `w`.
fn set_bits(w: u32, mut bits: u64) -> impl Iterator<Item = u32> {
    core::iter::from_fn(move || {
        if bits == 0 {
            return None;
        }
        let bit = bits.trailing_zeros();
        bits &= bits - 1;
        Some(w.saturating_mul(64).saturating_add(bit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::{FilterCondition, FilterExpr};

    fn uuid(i: u8) -> Uuid {
        format!("00000000-0000-4000-8000-0000000000{i:02x}")
            .parse()
            .unwrap()
    }

    fn c(field: &str, op: &str, value: &str) -> FilterExpr {
        FilterExpr::Condition(FilterCondition::parse(field, op, value).unwrap())
    }

    /// One filter of every way the index files filters, and the static tags
    /// `tag.<Category>` conditions name (two share a name, one differs in case, one no
    /// condition names).
    fn tags() -> Vec<TagValue> {
        let and = FilterExpr::And;
        let or = FilterExpr::Or;
        let filters = [
            // Deciding anchors: an `or` of conditions, and an `and` of one member.
            or(vec![
                c("ipv4", "eq", "10.0.0.0/24"),
                c("fqdn", "match", "*.lab.example"),
            ]),
            and(vec![c("operating_system", "eq", "linux")]),
            // Candidates: an `and` (filed under its member of lowest estimated reach), and
            // an `or` whose second member is an `and`.
            and(vec![
                c("ipv4", "eq", "10.0.0.0/8"),
                c("fqdn", "nmatch", "a*lab"),
            ]),
            or(vec![
                c("tag.Site", "set-has", "Paris"),
                and(vec![
                    c("ipv4", "eq", "10.1.0.0/16"),
                    c("sources", "set-has", "AWS"),
                ]),
            ]),
            // Unanchored: only exclusions (exact; one a pattern of two pieces), exclusions on
            // tags, and a negation inside an `or` (evaluated).
            and(vec![
                c("fqdn", "neq", "a.lab.example"),
                c("operating_system", "nmatch", "w*n"),
            ]),
            and(vec![
                c("tag.Site", "set-hasnot", "Paris, Rome"),
                c("operating_system", "neq", "linux"),
            ]),
            or(vec![
                c("fqdn", "nmatch", "*.lab.example"),
                c("sources", "set-hasnot", "AWS"),
            ]),
            and(vec![
                c("tag.site", "set-has", "Paris"),
                c("fqdn", "neq", "c.corp"),
            ]),
        ];
        let mut tags: Vec<TagValue> = filters
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let filter = TagFilter::new(f).unwrap();
                TagValue::dynamic(
                    uuid(u8::try_from(i).unwrap()),
                    "Dyn",
                    &i.to_string(),
                    filter,
                )
                .unwrap()
            })
            .collect();
        for (i, (category, value)) in [
            ("Site", "Paris"),
            ("Site", "Paris"),
            ("site", "Paris"),
            ("Site", "Rome"),
            ("Site", "Berlin"),
        ]
        .into_iter()
        .enumerate()
        {
            tags.push(
                TagValue::static_value(uuid(0x40 + u8::try_from(i).unwrap()), category, value)
                    .unwrap(),
            );
        }
        tags
    }

    fn assets(tags: &[TagValue]) -> Vec<Asset> {
        let named = |i: usize| tags[8 + i].uuid().to_string();
        let mut out = vec![Asset::new()];
        for ip in [
            "10.0.0.1",
            "10.0.0.7",
            "10.1.2.3",
            "10.200.0.1",
            "192.168.0.1",
        ] {
            for fqdn in [
                None,
                Some("a.lab.example"),
                Some("b.lab.example"),
                Some("c.corp"),
            ] {
                for os in [None, Some("Linux"), Some("Windows 11"), Some("Nowhere")] {
                    for tag in [None, Some(0), Some(1), Some(2), Some(3), Some(4)] {
                        let mut a = Asset::new().with("ipv4", ip).unwrap();
                        if let Some(f) = fqdn {
                            a = a.with("fqdn", f).unwrap();
                        }
                        if let Some(o) = os {
                            a = a.with("operating_system", o).unwrap();
                        }
                        if let Some(t) = tag {
                            a = a.with("tag_uuid", &named(t)).unwrap();
                        }
                        if tag == Some(3) {
                            a = a.with("sources", "AWS").unwrap();
                        }
                        out.push(a);
                    }
                }
            }
        }
        out
    }

    /// The index of `tags`' filters.
    fn index_of(tags: &[TagValue]) -> FilterIndex {
        let filters = tags
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((u32::try_from(i).ok()?, t.filter()?)));
        FilterIndex::new(tags.len(), filters, &TagNames::new(tags))
    }

    /// Asserts that `any` and `lowest` (at each of `bounds`) answer for `asset` what
    /// evaluating the filters of `granted` in order does; returns whether one selects it.
    fn assert_decides_as_the_filters(
        index: &FilterIndex,
        tags: &[TagValue],
        asset: &Asset,
        granted: &GroupSet,
        bounds: &[u32],
    ) -> bool {
        let name = |u: &Uuid| {
            tags.iter()
                .find(|t| t.uuid() == *u)
                .map(|t| (t.category(), t.value()))
        };
        let holds = |g: u32| tags[g as usize].filter().unwrap().matches(asset, name);
        let expected = granted.iter().map(|g| g as u32).find(|g| holds(*g));
        assert_eq!(
            index.any(asset, granted, holds),
            expected.is_some(),
            "{asset:?}"
        );
        for below in bounds {
            assert_eq!(
                index.lowest(asset, granted, *below, holds),
                expected.filter(|g| g < below),
                "below {below} {asset:?}"
            );
        }
        expected.is_some()
    }

    /// `any` and `lowest` agree with evaluating every granted filter, for every subset of
    /// the filters granted and every bound.
    #[test]
    fn the_index_decides_as_the_filters() {
        let tags = tags();
        let index = index_of(&tags);
        let assets = assets(&tags);
        let mut selected = 0;
        for subset in 0u32..256 {
            let granted: GroupSet = (0..8).filter(|i| subset & (1 << i) != 0).collect();
            for asset in &assets {
                let one = assert_decides_as_the_filters(
                    &index,
                    &tags,
                    asset,
                    &granted,
                    &[u32::MAX, 3, 6],
                );
                selected += usize::from(one);
            }
        }
        // Both answers occur often.
        assert!(selected > 10_000 && selected < 100_000, "{selected}");
    }

    /// Over 64 granted unanchored tags the candidates are a bitset, the lowest 16 tried
    /// first, the rest excluded through the keys' sets (`GroupIndex::remove_reached`): the
    /// same answers.
    #[test]
    fn many_unanchored_tags_decide_as_the_filters() {
        let tags: Vec<TagValue> = (0..130u8)
            .map(|i| {
                // The first 40 exclude every host: the lowest 16 tried first are all
                // excluded, and the rest goes through the sets.
                let zone = if i < 40 {
                    "*.example".to_owned()
                } else {
                    format!("*.z{}.example", i % 5)
                };
                let filter = TagFilter::new(FilterExpr::And(vec![
                    c("fqdn", "nmatch", &zone),
                    c("operating_system", "neq", &format!("sys{}", i % 7)),
                    c(
                        "fqdn",
                        "neq",
                        &format!("h{}.z{}.example", i % 3, (i + 1) % 5),
                    ),
                ]))
                .unwrap();
                TagValue::dynamic(uuid(i), "Dyn", &i.to_string(), filter).unwrap()
            })
            .collect();
        let index = index_of(&tags);
        let all: GroupSet = (0..130).collect();
        let odd: GroupSet = (0..130).filter(|i| i % 2 == 1).collect();
        let late: GroupSet = (60..130).collect();
        let mut selected = 0;
        for h in 0..4 {
            for z in 0..6 {
                for os in [None, Some(0), Some(3), Some(6), Some(9)] {
                    let mut asset = Asset::new()
                        .with("fqdn", &format!("h{h}.z{z}.example"))
                        .unwrap();
                    if let Some(o) = os {
                        asset = asset.with("operating_system", &format!("sys{o}")).unwrap();
                    }
                    for granted in [&all, &odd, &late] {
                        let one = assert_decides_as_the_filters(
                            &index,
                            &tags,
                            &asset,
                            granted,
                            &[u32::MAX, 100],
                        );
                        selected += usize::from(one);
                    }
                }
            }
        }
        assert!(selected > 50 && selected < 300, "{selected}");
    }
}
