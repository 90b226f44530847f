//! Dynamic tag filters: conditions `{field, operator, value}` combined by `and`/`or`, their
//! limits, and how one is decided for an asset (`docs/semantics.md`, "Layer 3 v3").
//!
//! A condition's values are parsed by the access-group term parsers and matched by the
//! same [`Term::matches`]: one matcher per fact.

use core::fmt;

use super::field::{Field, FilterOperator};
use crate::access::{Asset, AssetValue, Attribute, RuleType, Term, TermError, Uuid};

/// The most conditions one filter may hold (Tenable's documented limit).
pub const MAX_CONDITIONS_PER_FILTER: usize = 1_000;

/// The most values one condition may list (Tenable's documented limit).
pub const MAX_VALUES_PER_CONDITION: usize = 1_024;

/// The deepest nesting of `and`/`or` a filter may have (ours: the server's clients build one
/// level; the bound keeps every walk over a filter shallow).
pub const MAX_FILTER_DEPTH: usize = 16;

/// A filter or condition that could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// The field is not in the filter table and not `tag.<category>`.
    #[error("unknown filter field `{0}`")]
    UnknownField(String),
    /// The operator is not one of the seven filter operators.
    #[error(
        "unknown filter operator `{0}`: expected one of `eq`, `neq`, `match`, `nmatch`, `set-has`, `set-hasnot`, `set-hasonly`"
    )]
    UnknownOperator(String),
    /// The field does not take the operator.
    #[error("operator `{operator}` is not allowed for field `{field}` (allowed: {allowed})")]
    OperatorNotAllowed {
        /// The field.
        field: String,
        /// The operator.
        operator: FilterOperator,
        /// The operators it takes, comma-separated.
        allowed: String,
    },
    /// One of the condition's comma-separated values is not valid for the field.
    #[error("field `{field}` value {index} `{value}`: {reason}")]
    BadValue {
        /// The field.
        field: String,
        /// Position of the value in the comma-separated list.
        index: usize,
        /// The value as written (cut).
        value: String,
        /// Why it is not valid.
        #[source]
        reason: TermError,
    },
    /// More than [`MAX_VALUES_PER_CONDITION`] values.
    #[error("field `{field}` lists {count} values, over {max}")]
    TooManyValues {
        /// The field.
        field: String,
        /// How many were given.
        count: usize,
        /// [`MAX_VALUES_PER_CONDITION`].
        max: usize,
    },
    /// More than [`MAX_CONDITIONS_PER_FILTER`] conditions.
    #[error("filter has {count} conditions, over {max}")]
    TooManyConditions {
        /// How many were given (counted up to one past the limit).
        count: usize,
        /// [`MAX_CONDITIONS_PER_FILTER`].
        max: usize,
    },
    /// `and`/`or` nested deeper than [`MAX_FILTER_DEPTH`].
    #[error("filter is nested deeper than {max} levels")]
    TooDeep {
        /// [`MAX_FILTER_DEPTH`].
        max: usize,
    },
    /// An `and` or `or` with no member: it would hold for every asset (`and`) or none
    /// (`or`), which no server sends; refused rather than guessed.
    #[error("empty `{0}` in filter")]
    Empty(&'static str),
    /// The JSON is not a filter (`{"and"|"or": [...]}` of conditions and nested groups).
    #[error("malformed filter: {0}")]
    Malformed(String),
}

impl FilterError {
    /// The error code of a limit (`max_entries`, as for access groups), `None` otherwise.
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        match self {
            FilterError::TooManyValues { .. } | FilterError::TooManyConditions { .. } => {
                Some("max_entries")
            }
            _ => None,
        }
    }
}

/// What a condition compares with: terms of a fixed field, or tag value names of a
/// `tag.<category>` field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Values {
    Terms(Vec<Term>),
    Names(Vec<Box<str>>),
}

/// One condition of a dynamic tag filter: `{field, operator, value}`, its value a
/// comma-separated list, each item parsed when the condition is built.
///
/// # Examples
///
/// ```
/// use scangate::{Asset, tags::FilterCondition};
/// let c = FilterCondition::parse("ipv4", "eq", "192.168.0.0/24, 10.0.0.1-10.0.0.9")?;
/// assert_eq!(c.terms().len(), 2);
/// let asset = Asset::new().with("ipv4", "10.0.0.5")?;
/// assert_eq!(c.first_match(&asset, |_| None), Some(Some(1)));
/// // An asset without the attribute fails every condition on it, negative ones too.
/// let neq = FilterCondition::parse("fqdn", "neq", "db.corp")?;
/// assert_eq!(neq.first_match(&asset, |_| None), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FilterCondition {
    field: Field,
    operator: FilterOperator,
    written: Box<str>,
    values: Values,
}

impl FilterCondition {
    /// Builds a condition from its wire parts.
    ///
    /// # Errors
    ///
    /// [`FilterError::UnknownField`], [`FilterError::UnknownOperator`],
    /// [`FilterError::OperatorNotAllowed`], [`FilterError::TooManyValues`] (counted before
    /// any value is parsed), or [`FilterError::BadValue`] naming the first bad value.
    pub fn parse(field: &str, operator: &str, value: &str) -> Result<FilterCondition, FilterError> {
        let field: Field = field.parse().map_err(FilterError::UnknownField)?;
        let operator: FilterOperator = operator.parse().map_err(FilterError::UnknownOperator)?;
        if !field.allows(operator) {
            let allowed: Vec<&str> = field.operators().iter().map(|o| o.as_str()).collect();
            return Err(FilterError::OperatorNotAllowed {
                field: field.to_string(),
                operator,
                allowed: allowed.join(", "),
            });
        }
        let count = value.split(',').count();
        if count > MAX_VALUES_PER_CONDITION {
            return Err(FilterError::TooManyValues {
                field: field.to_string(),
                count,
                max: MAX_VALUES_PER_CONDITION,
            });
        }
        let bad = |index: usize, text: &str, reason: TermError| FilterError::BadValue {
            field: field.to_string(),
            index,
            value: crate::text::echo(text),
            reason,
        };
        let items = value.split(',').map(str::trim).enumerate();
        let values = match &field {
            Field::Fixed(f) => {
                let attribute = f.attribute();
                let mut terms = Vec::with_capacity(count);
                for (index, text) in items {
                    let term = parse_term(attribute, operator, text)
                        .map_err(|reason| bad(index, text, reason))?;
                    terms.push(term);
                }
                Values::Terms(terms)
            }
            Field::TagCategory(_) => {
                let mut names = Vec::with_capacity(count);
                for (index, text) in items {
                    check_tag_name(text).map_err(|reason| bad(index, text, reason))?;
                    names.push(text.into());
                }
                Values::Names(names)
            }
        };
        Ok(FilterCondition {
            field,
            operator,
            written: value.into(),
            values,
        })
    }

    /// The field tested.
    #[must_use]
    pub fn field(&self) -> &Field {
        &self.field
    }

    /// The operator.
    #[must_use]
    pub fn operator(&self) -> FilterOperator {
        self.operator
    }

    /// The value as written (the comma-separated list).
    #[must_use]
    pub fn value(&self) -> &str {
        &self.written
    }

    /// The parsed terms of a fixed field (empty for `tag.<category>`).
    #[must_use]
    pub fn terms(&self) -> &[Term] {
        match &self.values {
            Values::Terms(t) => t,
            Values::Names(_) => &[],
        }
    }

    /// The tag value names of a `tag.<category>` field (empty for a fixed field).
    #[must_use]
    pub fn tag_values(&self) -> &[Box<str>] {
        match &self.values {
            Values::Names(n) => n,
            Values::Terms(_) => &[],
        }
    }

    /// Whether the condition holds for `asset`, and why: `Some(Some(i))` when the
    /// condition's `i`-th value matched (positive operators), `Some(None)` when it holds
    /// without one value deciding (negated operators, `set-hasonly`), `None` when it does
    /// not hold. `tag_name` gives the category and value name of a tag the asset carries
    /// (for `tag.<category>` fields; the policy's tags).
    ///
    /// An asset without the attribute fails the condition whatever the operator.
    pub fn first_match<'t>(
        &self,
        asset: &Asset,
        tag_name: impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> Option<Option<usize>> {
        match (&self.field, &self.values) {
            (Field::Fixed(f), Values::Terms(terms)) => {
                let values = asset.attribute_values(f.attribute());
                self.decide(
                    values.iter(),
                    |v, i| terms.get(i).is_some_and(|t| t.matches(v)),
                    terms.len(),
                )
            }
            (Field::TagCategory(category), Values::Names(names)) => self.decide(
                category_values(asset, category, &tag_name),
                |v, i| names.get(i).is_some_and(|n| **n == **v),
                names.len(),
            ),
            _ => None,
        }
    }

    /// Whether the condition holds for `asset` ([`FilterCondition::first_match`] without
    /// working out which value decided: what a yes/no question needs).
    pub(crate) fn holds<'t>(
        &self,
        asset: &Asset,
        tag_name: &impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> bool {
        match (&self.field, &self.values) {
            (Field::Fixed(f), Values::Terms(terms)) => self
                .operator
                .rule(asset.attribute_values(f.attribute()).iter(), |v| {
                    terms.iter().any(|t| t.matches(v))
                }),
            (Field::TagCategory(category), Values::Names(names)) => self
                .operator
                .rule(category_values(asset, category, tag_name), |v| {
                    names.iter().any(|n| **n == *v)
                }),
            _ => false,
        }
    }

    /// The operator's rule over the asset's `values`: `matches(v, i)` tells whether value
    /// `v` matches the condition's `i`-th value (of `count`).
    fn decide<V>(
        &self,
        values: impl Iterator<Item = V>,
        matches: impl Fn(&V, usize) -> bool,
        count: usize,
    ) -> Option<Option<usize>> {
        let mut values = values.peekable();
        values.peek()?;
        let first_matching = |v: &V| (0..count).find(|i| matches(v, *i));
        match self.operator {
            FilterOperator::SetHasonly => {
                values.all(|v| first_matching(&v).is_some()).then_some(None)
            }
            op if op.is_negated() => values.all(|v| first_matching(&v).is_none()).then_some(None),
            _ => values.filter_map(|v| first_matching(&v)).min().map(Some),
        }
    }
}

impl fmt::Display for FilterCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} `{}`",
            self.field,
            self.operator,
            crate::text::Cut(&self.written)
        )
    }
}

/// The value names of the policy tags of `category` that the asset's `tag_uuid` values
/// name (what a `tag.<category>` condition reads; `tag_name` gives a tag's names).
fn category_values<'a, 't: 'a>(
    asset: &'a Asset,
    category: &'a str,
    tag_name: &'a impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
) -> impl Iterator<Item = &'t str> + Clone + 'a {
    asset
        .values(RuleType::TagUuid)
        .iter()
        .filter_map(move |v| match v {
            AssetValue::Uuid(u) => tag_name(u)
                .filter(|(c, _)| *c == category)
                .map(|(_, value)| value),
            _ => None,
        })
}

/// Parses one value of a fixed field's condition with the access-group term parser of its
/// attribute's kind (a `tenable_uuid` also as 32 hex digits; a boolean field within its
/// choices).
fn parse_term(
    attribute: Attribute,
    operator: FilterOperator,
    text: &str,
) -> Result<Term, TermError> {
    match attribute {
        Attribute::Rule(t) => Term::parse_kind(t.kind(), operator.positive(), text),
        Attribute::Extra(a) => {
            let term = Term::parse_kind(a.kind(), operator.positive(), &a.spelled(text))?;
            // The choices are checked as asset values are: the same parser decides.
            if a.choices().is_some() {
                a.parse_value(text)?;
            }
            Ok(term)
        }
    }
}

/// A tag category or value name: not empty, at most [`MAX_TAG_NAME_CHARS`](super::MAX_TAG_NAME_CHARS) characters.
pub(crate) fn check_tag_name(text: &str) -> Result<(), TermError> {
    if text.is_empty() {
        return Err(TermError::Empty);
    }
    let chars = text.chars().count();
    if chars > super::MAX_TAG_NAME_CHARS {
        return Err(TermError::ValueTooLong {
            chars,
            max: super::MAX_TAG_NAME_CHARS,
        });
    }
    Ok(())
}

/// A filter expression: a condition, or an `and`/`or` of expressions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilterExpr {
    /// Every member holds.
    And(Vec<FilterExpr>),
    /// Some member holds.
    Or(Vec<FilterExpr>),
    /// One condition.
    Condition(FilterCondition),
}

impl FilterExpr {
    /// The `i`-th condition of the expression that matched (conditions numbered depth-first
    /// in the order written) and the value that matched (see [`FilterCondition::first_match`]):
    /// for `or` the first member that holds, for `and` its first member (all hold).
    fn first_match<'t>(
        &self,
        asset: &Asset,
        tag_name: &impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
        numbered: &mut usize,
    ) -> Option<ConditionMatch> {
        match self {
            FilterExpr::Condition(c) => {
                let at = *numbered;
                *numbered += 1;
                c.first_match(asset, tag_name).map(|value| ConditionMatch {
                    condition: at,
                    value,
                })
            }
            FilterExpr::And(members) => {
                let start = *numbered;
                let mut first = None;
                for m in members {
                    let Some(found) = m.first_match(asset, tag_name, numbered) else {
                        // The members not tried still count: numbering is over the whole
                        // filter, and an enclosing `or` goes on after this `and`.
                        *numbered = start + self.condition_count();
                        return None;
                    };
                    first.get_or_insert(found);
                }
                first
            }
            FilterExpr::Or(members) => {
                let mut found = None;
                for m in members {
                    if found.is_some() {
                        *numbered += m.condition_count();
                    } else {
                        found = m.first_match(asset, tag_name, numbered);
                    }
                }
                found
            }
        }
    }

    /// Whether the expression holds for `asset` (see [`FilterExpr::first_match`]).
    fn holds<'t>(
        &self,
        asset: &Asset,
        tag_name: &impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> bool {
        match self {
            FilterExpr::Condition(c) => c.holds(asset, tag_name),
            FilterExpr::And(members) => members.iter().all(|m| m.holds(asset, tag_name)),
            FilterExpr::Or(members) => members.iter().any(|m| m.holds(asset, tag_name)),
        }
    }

    /// The number of conditions.
    fn condition_count(&self) -> usize {
        match self {
            FilterExpr::Condition(_) => 1,
            FilterExpr::And(m) | FilterExpr::Or(m) => m.iter().map(Self::condition_count).sum(),
        }
    }

    fn conditions<'a>(&'a self, out: &mut Vec<&'a FilterCondition>) {
        match self {
            FilterExpr::Condition(c) => out.push(c),
            FilterExpr::And(m) | FilterExpr::Or(m) => m.iter().for_each(|e| e.conditions(out)),
        }
    }

    /// Checks depth, emptiness and the number of conditions.
    fn check(&self, depth: usize, count: &mut usize) -> Result<(), FilterError> {
        match self {
            FilterExpr::Condition(_) => {
                *count += 1;
                if *count > MAX_CONDITIONS_PER_FILTER {
                    return Err(FilterError::TooManyConditions {
                        count: *count,
                        max: MAX_CONDITIONS_PER_FILTER,
                    });
                }
                Ok(())
            }
            FilterExpr::And(m) | FilterExpr::Or(m) => {
                if depth >= MAX_FILTER_DEPTH {
                    return Err(FilterError::TooDeep {
                        max: MAX_FILTER_DEPTH,
                    });
                }
                if m.is_empty() {
                    return Err(FilterError::Empty(self.keyword()));
                }
                m.iter().try_for_each(|e| e.check(depth + 1, count))
            }
        }
    }

    /// `and` or `or` (`condition` for a leaf).
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            FilterExpr::And(_) => "and",
            FilterExpr::Or(_) => "or",
            FilterExpr::Condition(_) => "condition",
        }
    }

    /// Conditions such that the expression can hold only when one of them holds (index
    /// keys for the tag), each with whether it decides alone (it holding makes the whole
    /// expression hold: only `or`s, or `and`s of one member, above it); `None` when no such
    /// set of anchor conditions ([`FilterCondition::is_anchor`]) exists. A condition is its
    /// own anchor; an `or` needs anchors for every member; an `and` takes the member of
    /// lowest `cost` (the tag index's estimate of how many tags a key reaching it makes
    /// candidates), so that a broad condition every tag shares (`ipv4 eq 10.0.0.0/8`) does
    /// not make every tag a candidate.
    fn anchors<'a>(
        &'a self,
        deciding: bool,
        cost: &impl Fn(&'a FilterCondition) -> u64,
    ) -> Option<Vec<(&'a FilterCondition, bool)>> {
        match self {
            FilterExpr::Condition(c) => c.is_anchor().then(|| vec![(c, deciding)]),
            FilterExpr::Or(members) => {
                let mut all = Vec::new();
                for m in members {
                    all.extend(m.anchors(deciding, cost)?);
                }
                Some(all)
            }
            FilterExpr::And(members) => match members.as_slice() {
                [only] => only.anchors(deciding, cost),
                _ => members
                    .iter()
                    .filter_map(|m| m.anchors(false, cost))
                    .min_by_key(|a| {
                        a.iter()
                            .fold(0u64, |sum, (c, _)| sum.saturating_add(cost(c)))
                    }),
            },
        }
    }

    /// The negated conditions the expression cannot hold without (only `and`s above
    /// them), which [`FilterCondition::is_exclusion`] can index: a key reaching one of
    /// them fails the expression.
    fn exclusions<'a>(&'a self, out: &mut Vec<&'a FilterCondition>) {
        match self {
            FilterExpr::Condition(c) => {
                if c.is_exclusion() {
                    out.push(c);
                }
            }
            FilterExpr::And(members) => members.iter().for_each(|m| m.exclusions(out)),
            FilterExpr::Or(members) => {
                if let [only] = members.as_slice() {
                    only.exclusions(out);
                }
            }
        }
    }

    /// Whether the expression is only an `and` of negated conditions on access-group
    /// attributes: it then holds exactly when the asset has each condition's attribute
    /// and no key of it reaches one of them.
    fn only_exclusions(&self) -> bool {
        match self {
            FilterExpr::Condition(c) => c.is_exclusion() && matches!(c.field, Field::Fixed(_)),
            FilterExpr::And(members) => members.iter().all(Self::only_exclusions),
            FilterExpr::Or(members) => {
                matches!(members.as_slice(), [only] if only.only_exclusions())
            }
        }
    }
}

impl FilterCondition {
    /// The access-group attribute a fixed field's condition reads (`None` for the extra
    /// attributes only tag filters read, and for `tag.<category>`).
    pub(crate) fn rule_type(&self) -> Option<RuleType> {
        match self.field {
            Field::Fixed(f) => match f.attribute() {
                Attribute::Rule(rule_type) => Some(rule_type),
                Attribute::Extra(_) => None,
            },
            Field::TagCategory(_) => None,
        }
    }

    /// Whether the condition can be filed in an index as access-group rule terms are: a
    /// positive `eq`, `match` or `set-has` on an access-group attribute (its terms), or
    /// `tag.<category> set-has` (the uuids of the policy's tags of those names).
    pub(crate) fn is_anchor(&self) -> bool {
        match self.field {
            Field::Fixed(_) => {
                self.rule_type().is_some()
                    && matches!(
                        self.operator,
                        FilterOperator::Eq | FilterOperator::Match | FilterOperator::SetHas
                    )
            }
            Field::TagCategory(_) => self.operator == FilterOperator::SetHas,
        }
    }

    /// The negated form: `neq`, `nmatch`, `set-hasnot` on an access-group attribute, or
    /// `tag.<category> set-hasnot`. Its values are indexed as an anchor's are; a key
    /// reaching one fails the condition.
    pub(crate) fn is_exclusion(&self) -> bool {
        match self.field {
            Field::Fixed(_) => self.rule_type().is_some() && self.operator.is_negated(),
            Field::TagCategory(_) => self.operator == FilterOperator::SetHasnot,
        }
    }
}

/// How the tag index files one filter (`src/tags/lookup.rs`).
#[derive(Debug)]
pub(crate) struct FilterKeys<'a> {
    /// See [`FilterExpr::anchors`].
    pub(crate) anchors: Option<Vec<(&'a FilterCondition, bool)>>,
    /// See [`FilterExpr::exclusions`].
    pub(crate) exclusions: Vec<&'a FilterCondition>,
    /// See [`FilterExpr::only_exclusions`].
    pub(crate) only_exclusions: bool,
}

/// Which condition of a filter decided that it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionMatch {
    /// The condition's position, depth-first in the order written ([`TagFilter::conditions`]).
    pub condition: usize,
    /// Which of its values matched (positive operators), `None` for negated operators and
    /// `set-hasonly`.
    pub value: Option<usize>,
}

/// A dynamic tag's filter on assets (`filters.asset`): an `and`/`or` of conditions, checked
/// against the limits when built.
///
/// # Examples
///
/// ```
/// use scangate::{Asset, tags::{FilterCondition, FilterExpr, TagFilter}};
/// let filter = TagFilter::new(FilterExpr::And(vec![
///     FilterExpr::Condition(FilterCondition::parse("ipv4", "eq", "10.0.0.0/8")?),
///     FilterExpr::Condition(FilterCondition::parse("operating_system", "nmatch", "windows")?),
/// ]))?;
/// let linux = Asset::new().with("ipv4", "10.1.1.1")?.with("operating_system", "Ubuntu 22.04")?;
/// assert!(filter.matches(&linux, |_| None));
/// // No operating system: `nmatch` does not hold (fail closed).
/// assert!(!filter.matches(&Asset::new().with("ipv4", "10.1.1.1")?, |_| None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagFilter {
    expr: FilterExpr,
    conditions: usize,
}

impl TagFilter {
    /// A filter of `expr`, whose top level is an `and` or an `or` (as on the wire).
    ///
    /// # Errors
    ///
    /// [`FilterError::Malformed`] for a bare condition at the top,
    /// [`FilterError::Empty`], [`FilterError::TooDeep`] or
    /// [`FilterError::TooManyConditions`].
    pub fn new(expr: FilterExpr) -> Result<TagFilter, FilterError> {
        if let FilterExpr::Condition(_) = expr {
            return Err(FilterError::Malformed(
                "the top level must be `and` or `or`".into(),
            ));
        }
        let mut conditions = 0;
        expr.check(0, &mut conditions)?;
        Ok(TagFilter { expr, conditions })
    }

    /// The expression.
    #[must_use]
    pub fn expr(&self) -> &FilterExpr {
        &self.expr
    }

    /// The conditions, depth-first in the order written.
    #[must_use]
    pub fn conditions(&self) -> Vec<&FilterCondition> {
        let mut out = Vec::with_capacity(self.conditions);
        self.expr.conditions(&mut out);
        out
    }

    /// The number of conditions.
    #[must_use]
    pub fn condition_count(&self) -> usize {
        self.conditions
    }

    /// Whether the filter selects `asset` (`tag_name` as for [`FilterCondition::first_match`]).
    pub fn matches<'t>(
        &self,
        asset: &Asset,
        tag_name: impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> bool {
        self.expr.holds(asset, &tag_name)
    }

    /// Whether the filter selects `asset`, and which condition decided.
    pub fn first_match<'t>(
        &self,
        asset: &Asset,
        tag_name: impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> Option<ConditionMatch> {
        self.expr.first_match(asset, &tag_name, &mut 0)
    }

    /// How the tag index files the filter (see [`FilterKeys`]); an `and` is filed under
    /// its member of lowest `cost`.
    pub(crate) fn keys<'a>(&'a self, cost: &impl Fn(&'a FilterCondition) -> u64) -> FilterKeys<'a> {
        let mut exclusions = Vec::new();
        self.expr.exclusions(&mut exclusions);
        FilterKeys {
            anchors: self.expr.anchors(true, cost),
            exclusions,
            only_exclusions: self.expr.only_exclusions(),
        }
    }
}
