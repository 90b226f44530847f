//! The v3 part of a plan (`docs/semantics.md`, "Query plans"): the tags the subject's
//! permissions grant the action on, and the filters of the dynamic ones as conditions on
//! asset values.
//!
//! A filter condition becomes one [`TagCondition`]: an attribute, a [`Quantifier`] and the
//! [`Test`]s its values are compared with (the same tests as the access groups' terms:
//! [`Test::from_term`] of the condition's parsed terms, IP intervals merged). Negated
//! operators and `set-hasonly` keep the fail-closed rule of the matcher: the asset must have
//! a value of the attribute. A `tag.<Category>` condition compares `tag_uuid` values with
//! the uuids of the policy's tags of that category.

use super::Test;
use crate::access::{Asset, AssetValue, Attribute, RuleType, Uuid};
use crate::policy::PermissionGrant;
use crate::tags::{FilterCondition, TagValue};

/// A tag whose carriers a v3 permission lets the subject view or scan: the assets naming
/// its uuid in `tag_uuid`, and, for a dynamic tag with a filter, the assets its filter
/// selects (`docs/semantics.md`, "Layer 3 v3: permissions and tags").
///
/// ```
/// use scangate::plan::{Plan, Quantifier};
/// use scangate::tags::{AccessControl, FilterCondition, FilterExpr, Permission, PermissionAction,
///     PermissionObject, PermissionSubject, TagFilter, TagValue};
/// use scangate::{Action, Asset, Policy, RoleId, Subject, User};
///
/// let filter = TagFilter::new(FilterExpr::And(vec![
///     FilterExpr::Condition(FilterCondition::parse("ipv4", "eq", "10.0.0.0/24, 10.0.1.0/24")?),
///     FilterExpr::Condition(FilterCondition::parse("operating_system", "nmatch", "windows")?),
/// ]))?;
/// let tag = TagValue::dynamic("55ba39c1-9498-4090-b81a-e17b3a0ccbcb".parse()?, "Site", "Lab", filter)?;
/// let view = Permission::new("4c931fce-699c-4052-a43c-c953e71dd37b".parse()?, "Lab viewers")
///     .with_actions([PermissionAction::CanView])
///     .with_object(PermissionObject::tag(tag.uuid()))
///     .with_subject(PermissionSubject::all_users());
/// let policy = Policy::builder()
///     .access_control(AccessControl::new(vec![tag], vec![view])?)
///     .user(User::new("alice", RoleId::SECURITY_ANALYST))
///     .build()?;
/// let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
/// let Plan::Filter(filter) = &plan else { panic!("a filter") };
/// let lab = &filter.tags()[0];
/// assert_eq!(lab.tag().map(|t| t.to_string()).as_deref(), Some("Site:Lab"));
/// let scangate::plan::TagExpr::And(members) = lab.filter().unwrap() else { panic!() };
/// let scangate::plan::TagExpr::Condition(os) = &members[1] else { panic!() };
/// assert_eq!(os.quantifier(), Quantifier::NoneOf);
/// // Linux in the lab: selected; no operating system known: not (fail closed).
/// let linux = Asset::new().with("ipv4", "10.0.1.9")?.with("operating_system", "Ubuntu")?;
/// assert!(plan.allows(&linux));
/// assert!(!plan.allows(&Asset::new().with("ipv4", "10.0.1.9")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GrantedTag<'a> {
    pub(crate) uuid: Uuid,
    pub(crate) position: usize,
    pub(crate) tag: Option<&'a TagValue>,
    pub(crate) grant: Option<PermissionGrant<'a>>,
    pub(crate) filter: Option<TagExpr<'a>>,
}

impl<'a> GrantedTag<'a> {
    /// The tag's uuid.
    #[must_use]
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }

    /// The tag, when the policy defines it (a permission may name a tag the policy's `tags`
    /// do not hold: the assets naming it still carry it).
    #[must_use]
    pub fn tag(&self) -> Option<&'a TagValue> {
        self.tag
    }

    /// The tag's position: the policy's tags in order, then the uuids only permissions
    /// name, in order of first mention. Explanations name the carried tag with the lowest.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// The grant [`Policy::check`](crate::Policy::check) names for an asset that names the
    /// tag (the first permission naming the tag that grants the action to the subject).
    #[must_use]
    pub fn grant(&self) -> Option<&PermissionGrant<'a>> {
        self.grant.as_ref()
    }

    /// The dynamic tag's filter as conditions on asset values (`None` for a static tag, a
    /// dynamic one without a filter, or a uuid the policy does not define).
    #[must_use]
    pub fn filter(&self) -> Option<&TagExpr<'a>> {
        self.filter.as_ref()
    }

    /// Whether `asset` names the tag in its `tag_uuid` values.
    #[must_use]
    pub fn named_by(&self, asset: &Asset) -> bool {
        asset
            .values(RuleType::TagUuid)
            .iter()
            .any(|v| matches!(v, AssetValue::Uuid(u) if *u == self.uuid))
    }

    /// Whether `asset` carries the tag: names it, or the filter selects it.
    #[must_use]
    pub fn carried_by(&self, asset: &Asset) -> bool {
        self.named_by(asset) || self.filter.as_ref().is_some_and(|f| f.holds(asset))
    }
}

/// A dynamic tag's filter as an expression over asset values: `and`/`or` nesting as
/// written, each condition a [`TagCondition`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TagExpr<'a> {
    /// Every member holds.
    And(Vec<TagExpr<'a>>),
    /// Some member holds.
    Or(Vec<TagExpr<'a>>),
    /// One condition.
    Condition(TagCondition<'a>),
}

impl TagExpr<'_> {
    /// Whether the expression holds for `asset`.
    #[must_use]
    pub fn holds(&self, asset: &Asset) -> bool {
        match self {
            TagExpr::And(members) => members.iter().all(|m| m.holds(asset)),
            TagExpr::Or(members) => members.iter().any(|m| m.holds(asset)),
            TagExpr::Condition(c) => c.holds(asset),
        }
    }
}

/// How a [`TagCondition`] reads the values of its attribute that count (all of them, or
/// for `tag.<Category>` the uuids of that category's tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Quantifier {
    /// Some value passes a test (`eq`, `match`, `set-has`).
    Any,
    /// The asset has a value that counts, and none passes a test (`neq`, `nmatch`,
    /// `set-hasnot`; fail closed: no value, no match).
    NoneOf,
    /// The asset has a value that counts, and every one passes a test (`set-hasonly`).
    Only,
}

/// One condition of a dynamic tag's filter, as tests on the values of one attribute.
///
/// A condition on a fixed field tests the values of its attribute (rule type or
/// [`ExtraAttribute`](crate::access::ExtraAttribute)) with the tests of its terms. A
/// `tag.<Category>` condition tests `tag_uuid` values: the values that count are the uuids
/// of the policy's tags of that category ([`TagCondition::among`]), and the tests are the
/// uuids of those whose value name is listed (names compared exactly, as the matcher does).
#[derive(Clone, Debug, PartialEq)]
pub struct TagCondition<'a> {
    pub(crate) condition: &'a FilterCondition,
    pub(crate) position: usize,
    pub(crate) attribute: Attribute,
    pub(crate) quantifier: Quantifier,
    pub(crate) tests: Vec<Test>,
    pub(crate) among: Option<Vec<Test>>,
}

impl<'a> TagCondition<'a> {
    /// The filter's condition this stands for.
    #[must_use]
    pub fn condition(&self) -> &'a FilterCondition {
        self.condition
    }

    /// Its position in the filter, depth-first in the order written (as
    /// [`TagFilter::conditions`](crate::tags::TagFilter::conditions) lists them).
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// The attribute whose values are tested (`tag_uuid` for `tag.<Category>`).
    #[must_use]
    pub fn attribute(&self) -> Attribute {
        self.attribute
    }

    /// How the values are read.
    #[must_use]
    pub fn quantifier(&self) -> Quantifier {
        self.quantifier
    }

    /// The tests a value may pass (any one): IPv4 then IPv6 intervals (merged, sorted),
    /// then strings (sorted, each once). May be empty (a `tag.<Category>` condition naming
    /// no value of the policy's tags).
    #[must_use]
    pub fn tests(&self) -> &[Test] {
        &self.tests
    }

    /// For `tag.<Category>`: the values that count (the uuids of the policy's tags of that
    /// category; none when it has none). `None`: every value of the attribute counts.
    #[must_use]
    pub fn among(&self) -> Option<&[Test]> {
        self.among.as_deref()
    }

    /// Whether the condition holds for `asset`.
    #[must_use]
    pub fn holds(&self, asset: &Asset) -> bool {
        let passes = |v: &&AssetValue| self.tests.iter().any(|t| t.passes(v));
        let mut counted = asset
            .attribute_values(self.attribute)
            .iter()
            .filter(|v| {
                self.among
                    .as_ref()
                    .is_none_or(|among| among.iter().any(|t| t.passes(v)))
            })
            .peekable();
        match self.quantifier {
            Quantifier::Any => counted.any(|v| passes(&v)),
            Quantifier::NoneOf => counted.peek().is_some() && counted.all(|v| !passes(&v)),
            Quantifier::Only => counted.peek().is_some() && counted.all(|v| passes(&v)),
        }
    }
}
