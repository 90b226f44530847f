//! Query plans: which assets a subject may view or scan, as one expression a database can
//! evaluate (issues 12 and 13; `docs/semantics.md`, "Query plans").
//!
//! [`Policy::plan`](crate::Policy::plan) answers for every asset at once: [`Plan::All`]
//! (a group holding every asset grants the permission, or a v3 permission covers every
//! asset, or the action checks no asset), [`Plan::None`] (with the [`Denial`] that
//! [`Policy::check`](crate::Policy::check) gives), or [`Plan::Filter`]: an OR of
//! [`Condition`]s on single asset values, built from the groups granting the subject the
//! permission only, and of [`GrantedTag`]s, the tags v3 permissions grant the subject the
//! action on. A condition is one attribute and one [`Test`]: an IP interval (the terms of
//! every granting group merged into disjoint sorted intervals), or a comparison with a
//! normalized string (names lowercased and without their trailing dot, exactly as the
//! matcher normalizes them; MACs, Qualys ids and UUIDs in their canonical text). Each
//! condition keeps the [`Source`]s it came from: group, rule and term. A granted tag is its
//! uuid (assets naming it in `tag_uuid`) and, for a dynamic tag, its filter as a
//! [`TagExpr`] of [`TagCondition`]s on asset values with the same tests; each keeps the
//! grant `check` names. [`Filter::explain`] gives the [`Reason`] `check` gives.
//!
//! - `build.rs`: the plan from a policy, a subject and an action;
//! - `tags.rs`: the v3 part: granted tags and their filters as conditions on values;
//! - `sql.rs`: the SQL renderers (PostgreSQL and SQLite): a `WHERE` fragment and its bind
//!   values, never a term in the SQL text;
//! - `schema.rs`: the default schema, its host-supplied names, and the rows to store for an
//!   asset.
//!
//! ```
//! use scangate::plan::{Plan, Test};
//! use scangate::{AccessGroup, Action, Asset, Policy, RoleId, Subject, User};
//! use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
//!
//! let lab = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
//!     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/25", "10.0.0.128-10.0.0.200"]).unwrap())
//!     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW));
//! let policy = Policy::builder()
//!     .access_groups(AccessGroups::from_server([lab]))
//!     .user(User::new("alice", RoleId::SECURITY_ANALYST))
//!     .build()?;
//! let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
//! let Plan::Filter(filter) = &plan else { panic!("a filter") };
//! // Two adjacent terms, one interval.
//! assert_eq!(filter.conditions().len(), 1);
//! assert_eq!(*filter.conditions()[0].test(), Test::Ipv4 { first: 0x0A00_0000, last: 0x0A00_00C8 });
//! assert_eq!(filter.conditions()[0].sources().len(), 2);
//! assert!(plan.allows(&Asset::new().with("ipv4", "10.0.0.150").unwrap()));
//! # Ok::<(), scangate::PolicyError>(())
//! ```

mod build;
mod schema;
mod sql;
mod tags;

pub use schema::{AssetRow, RowError, Schema};
pub use sql::{Dialect, SqlValue, WhereClause};
pub use tags::{GrantedTag, Quantifier, TagCondition, TagExpr};

use crate::Denial;
use crate::access::{AssetValue, RuleType, Term, TermValue, contains_pattern};
use crate::policy::{GrantedObject, PermissionGrant, TagCarried};
use crate::tags::AccessControl;
use crate::{AccessGroup, Asset};

/// The answer to "which assets may this subject view (or scan)?" for every asset at once.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Plan<'a> {
    /// Every asset: a group containing every asset (`all_assets`) grants the permission
    /// (the first such group in policy order), else a v3 permission covering every asset
    /// grants the action; or the action has no asset check (`None`: layers 1–2 allowed it).
    All(Option<Everything<'a>>),
    /// No asset, and why: the denial [`Policy::check`](crate::Policy::check) gives for
    /// layers 1–2 or the subject, or [`Denial::Asset`] (with no containing group) when
    /// neither a group granting the permission can contain an asset nor a permission
    /// grants the action on a tag.
    None(Denial<'a>),
    /// The assets having at least one value that passes one of the conditions, or carrying
    /// one of the granted tags.
    Filter(Filter<'a>),
}

/// Why a plan selects every asset.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Everything<'a> {
    /// An access group containing every asset grants the permission (the first in policy
    /// order).
    Group(&'a AccessGroup),
    /// No such group does, and a v3 permission on `AllAssets`/`AllObjects` grants the
    /// action: the grant [`Policy::check`](crate::Policy::check) names for an asset no
    /// granting group contains (the first such permission in policy order).
    Permission(PermissionGrant<'a>),
}

impl<'a> Everything<'a> {
    /// The group, when a group is the reason.
    #[must_use]
    pub fn group(&self) -> Option<&'a AccessGroup> {
        match self {
            Everything::Group(group) => Some(group),
            Everything::Permission(_) => None,
        }
    }
}

/// Why a filter selects an asset ([`Filter::explain`]): what
/// [`Policy::check`](crate::Policy::check) names for it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reason<'a> {
    /// A term of a granting access group's rule contains the asset: the first in policy
    /// order.
    Term(Source<'a>),
    /// No granting group contains the asset, and it carries a granted tag: the tag with the
    /// lowest position, the permission, its subject, and how the asset carries the tag (it
    /// names it, or the filter's deciding condition).
    Permission(PermissionGrant<'a>),
}

impl<'a> Reason<'a> {
    /// The access group's term, when a term is the reason.
    #[must_use]
    pub fn source(&self) -> Option<&Source<'a>> {
        match self {
            Reason::Term(source) => Some(source),
            Reason::Permission(_) => None,
        }
    }
}

impl Plan<'_> {
    /// Whether the plan selects `asset`: the plan's own evaluation in memory, which decides
    /// every asset as [`Policy::is_allowed`](crate::Policy::is_allowed) does (tested).
    #[must_use]
    pub fn allows(&self, asset: &Asset) -> bool {
        match self {
            Plan::All(_) => true,
            Plan::None(_) => false,
            Plan::Filter(filter) => filter.allows(asset),
        }
    }

    /// The plan's name in the command-line example's JSON: `all`, `none` or `filter`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Plan::All(_) => "all",
            Plan::None(_) => "none",
            Plan::Filter(_) => "filter",
        }
    }
}

/// An OR of [`Condition`]s and [`GrantedTag`]s: an asset passes when one of its values
/// passes one of the conditions (the access groups' terms), or it carries one of the tags
/// a v3 permission grants. Never empty (a plan that can select nothing is [`Plan::None`]).
///
/// Conditions come in a fixed order: the IPv4 intervals (sorted, disjoint and not adjacent),
/// the IPv6 intervals (likewise), then the string conditions sorted by attribute, test kind
/// and value, each (attribute, test) once. Tags come by position.
#[derive(Clone, PartialEq)]
pub struct Filter<'a> {
    pub(crate) conditions: Vec<Condition<'a>>,
    pub(crate) tags: Vec<GrantedTag<'a>>,
    /// The policy's tags and permissions, for the names `tag.<Category>` conditions compare
    /// (explanations); `None` when no tag is granted.
    pub(crate) control: Option<&'a AccessControl>,
}

impl core::fmt::Debug for Filter<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Filter")
            .field("conditions", &self.conditions)
            .field("tags", &self.tags)
            .finish_non_exhaustive()
    }
}

impl<'a> Filter<'a> {
    /// The access groups' conditions, in the order described above.
    #[must_use]
    pub fn conditions(&self) -> &[Condition<'a>] {
        &self.conditions
    }

    /// The tags v3 permissions grant the subject the action on, by position (empty when the
    /// policy has no permission granting it).
    #[must_use]
    pub fn tags(&self) -> &[GrantedTag<'a>] {
        &self.tags
    }

    /// Whether one of `asset`'s values passes one of the conditions, or it carries one of
    /// the granted tags.
    #[must_use]
    pub fn allows(&self, asset: &Asset) -> bool {
        self.conditions.iter().any(|c| c.passes(asset))
            || self.tags.iter().any(|t| t.carried_by(asset))
    }

    /// Why the plan lists `asset`, as [`Policy::check`](crate::Policy::check) says it:
    ///
    /// - [`Reason::Term`]: the source, among the conditions the asset passes, that comes
    ///   first in policy order (lowest group position, then rule, then term) and whose own
    ///   term matches one of the asset's values: the group, rule and term `check` names;
    /// - else [`Reason::Permission`]: the granted tag with the lowest position that the
    ///   asset carries (naming it wins over its filter), with the permission and subject
    ///   of [`GrantedTag::grant`] and, when the filter decides, the condition the tag's
    ///   filter names ([`TagFilter::first_match`](crate::tags::TagFilter::first_match)).
    #[must_use]
    pub fn explain(&self, asset: &Asset) -> Option<Reason<'a>> {
        let term = self
            .conditions
            .iter()
            .filter(|c| c.passes(asset))
            .flat_map(|c| c.sources.iter())
            .filter(|s| {
                s.term()
                    .is_some_and(|term| asset.values(s.attribute).iter().any(|v| term.matches(v)))
            })
            .min_by_key(|s| (s.position, s.rule, s.term));
        if let Some(source) = term {
            return Some(Reason::Term(*source));
        }
        let granted = self.tags.iter().find(|t| t.carried_by(asset))?;
        let mut grant = granted.grant.clone()?;
        if !granted.named_by(asset) {
            // The filter selects it: the deciding condition, found by the tag's own filter
            // (the matcher `check` uses).
            let filter = granted.tag.and_then(|t| t.filter());
            let found = filter.and_then(|f| {
                let control = self.control;
                let m = f.first_match(asset, |u| control.and_then(|c| c.tag_name(u)))?;
                let condition = f.conditions().get(m.condition).copied()?;
                Some(TagCarried::Filter {
                    position: m.condition,
                    condition,
                    value: m.value,
                })
            });
            if let (Some(carried), GrantedObject::Tag { carried: slot, .. }) =
                (found, &mut grant.object)
            {
                *slot = carried;
            }
        }
        Some(Reason::Permission(grant))
    }
}

/// One condition on one asset value: the value is of `attribute` and passes `test`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition<'a> {
    pub(crate) attribute: RuleType,
    pub(crate) test: Test,
    pub(crate) sources: Vec<Source<'a>>,
}

impl<'a> Condition<'a> {
    /// The attribute (rule type) whose values are tested.
    #[must_use]
    pub fn attribute(&self) -> RuleType {
        self.attribute
    }

    /// The test.
    #[must_use]
    pub fn test(&self) -> &Test {
        &self.test
    }

    /// The terms this condition stands for, in policy order (group, rule, term). An IP
    /// interval merged from several terms lists them all.
    #[must_use]
    pub fn sources(&self) -> &[Source<'a>] {
        &self.sources
    }

    /// Whether one of `asset`'s values of the attribute passes the test.
    #[must_use]
    pub fn passes(&self, asset: &Asset) -> bool {
        asset
            .values(self.attribute)
            .iter()
            .any(|value| self.test.passes(value))
    }
}

/// What a value must be to pass a [`Condition`]. Strings are compared with the value's
/// normalized text ([`canonical_text`]): exact, case-sensitive comparisons of normalized
/// strings, as the matcher does.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Test {
    /// An IPv4 address in `first..=last`.
    Ipv4 {
        /// First address as an integer.
        first: u32,
        /// Last address as an integer.
        last: u32,
    },
    /// An IPv6 address in `first..=last`.
    Ipv6 {
        /// First address as an integer.
        first: u128,
        /// Last address as an integer.
        last: u128,
    },
    /// The normalized text equals this string (`eq` on strings, `set-has` on tags, and
    /// MACs, Qualys ids, UUIDs in their canonical text).
    Equals(Box<str>),
    /// The normalized text starts with this string (`starts`).
    Starts(Box<str>),
    /// The normalized text ends with this string (`ends`).
    Ends(Box<str>),
    /// The normalized text contains the `*`-separated pieces of this pattern in order,
    /// without overlapping (`match`); a pattern of only `*` passes every value.
    Match(Box<str>),
}

impl Test {
    /// Whether one (normalized) asset value passes.
    #[must_use]
    pub fn passes(&self, value: &AssetValue) -> bool {
        match (self, value) {
            (Test::Ipv4 { first, last }, AssetValue::Ipv4(a)) => {
                (*first..=*last).contains(&u32::from(*a))
            }
            (Test::Ipv6 { first, last }, AssetValue::Ipv6(a)) => {
                (*first..=*last).contains(&u128::from(*a))
            }
            (Test::Ipv4 { .. } | Test::Ipv6 { .. }, _) => false,
            (_, AssetValue::Ipv4(_) | AssetValue::Ipv6(_)) => false,
            (test, value) => {
                let text = canonical_text(value);
                match test {
                    Test::Equals(s) => *text == **s,
                    Test::Starts(s) => text.starts_with(&**s),
                    Test::Ends(s) => text.ends_with(&**s),
                    Test::Match(p) => contains_pattern(p, &text),
                    Test::Ipv4 { .. } | Test::Ipv6 { .. } => false,
                }
            }
        }
    }

    /// The test a term stands for (its normalized value; MACs, Qualys ids and UUIDs as
    /// their canonical text).
    ///
    /// ```
    /// use scangate::plan::Test;
    /// use scangate::access::{Operator, RuleType, Term};
    /// let term = Term::parse(RuleType::Fqdn, Operator::Ends, ".Example.COM.").unwrap();
    /// assert_eq!(Test::from_term(&term), Test::Ends(".example.com".into()));
    /// ```
    #[must_use]
    pub fn from_term(term: &Term) -> Test {
        match term.value() {
            TermValue::Ipv4 { first, last } => Test::Ipv4 {
                first: *first,
                last: *last,
            },
            TermValue::Ipv6 { first, last } => Test::Ipv6 {
                first: *first,
                last: *last,
            },
            TermValue::Equals(s) => Test::Equals(s.clone()),
            TermValue::Starts(s) => Test::Starts(s.clone()),
            TermValue::Ends(s) => Test::Ends(s.clone()),
            TermValue::Contains(s) => Test::Match(s.clone()),
            TermValue::Mac(m) => Test::Equals(m.to_string().into()),
            TermValue::Digits(d) => Test::Equals(d.to_string().into()),
            TermValue::Uuid(u) => Test::Equals(u.to_string().into()),
        }
    }
}

/// The text a value is stored and compared as: names and case-insensitive texts as
/// normalized (lowercase, names without their trailing dot), case-sensitive texts as
/// given, MACs lowercase with `:`, Qualys ids in decimal without leading zeros, UUIDs
/// lowercase hyphenated, IP addresses in their standard form.
///
/// ```
/// use scangate::access::{AssetValue, RuleType};
/// use scangate::plan::canonical_text;
/// let mac = AssetValue::parse(RuleType::MacAddress, "0A-1B-2C-3D-4E-5F").unwrap();
/// assert_eq!(canonical_text(&mac), "0a:1b:2c:3d:4e:5f");
/// let id = AssetValue::parse(RuleType::QualysHostId, "000123").unwrap();
/// assert_eq!(canonical_text(&id), "123");
/// ```
#[must_use]
pub fn canonical_text(value: &AssetValue) -> std::borrow::Cow<'_, str> {
    match value {
        AssetValue::Str(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}

/// Where a condition comes from: one term of one rule of one access group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Source<'a> {
    /// The access group.
    pub group: &'a AccessGroup,
    /// Its position in the policy's access groups.
    pub position: usize,
    /// The rule's index in the group.
    pub rule: usize,
    /// The term's index in the rule.
    pub term: usize,
    /// The rule's attribute.
    pub attribute: RuleType,
}

impl<'a> Source<'a> {
    /// The term itself (`None` only if the indexes do not name one, which a plan never
    /// builds).
    #[must_use]
    pub fn term(&self) -> Option<&'a Term> {
        self.group.rules().get(self.rule)?.terms().get(self.term)
    }
}
