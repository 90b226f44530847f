//! Tag values: `{uuid, category_name, value, type, filters}` as `GET /tags/values/{uuid}`
//! returns them (`docs/semantics.md`, "Layer 3 v3: permissions and tags").

use core::fmt;

use super::AccessControlError;
use super::filter::{TagFilter, check_tag_name};
use crate::access::{Metadata, Uuid};

/// Whether a tag value is assigned by hand or by its filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// `static`: assets carry it when it is assigned to them.
    Static,
    /// `dynamic`: assets carry it when its filter selects them (or the server applied it).
    Dynamic,
}

impl TagKind {
    /// The wire name (`static`, `dynamic`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TagKind::Static => "static",
            TagKind::Dynamic => "dynamic",
        }
    }
}

/// A tag value (`Category:Value`). An asset carries it when its `tag_uuid` values name it
/// (a static assignment, or a dynamic tag the server already applied), or when it is
/// dynamic and its filter selects the asset.
///
/// A dynamic value without a filter (list responses omit filters) is carried only by the
/// assets that name it.
///
/// # Examples
///
/// ```
/// use scangate::{Asset, tags::{FilterCondition, FilterExpr, TagFilter, TagValue}};
/// let filter = TagFilter::new(FilterExpr::And(vec![FilterExpr::Condition(
///     FilterCondition::parse("ipv4", "eq", "192.168.0.0/24")?,
/// )]))?;
/// let tag = TagValue::dynamic("001a56ef-2039-47c7-9dba-6ae6bd9c17c4".parse()?, "Example", "Custom Test", filter)?;
/// assert_eq!(tag.to_string(), "Example:Custom Test");
/// assert!(tag.carried_by(&Asset::new().with("ipv4", "192.168.0.7")?, |_| None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TagValue {
    uuid: Uuid,
    category: Box<str>,
    value: Box<str>,
    kind: TagKind,
    filter: Option<TagFilter>,
    pub(crate) metadata: Metadata,
}

impl TagValue {
    /// A static tag value.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::BadName`] for an empty or overlong category or value.
    pub fn static_value(
        uuid: Uuid,
        category: &str,
        value: &str,
    ) -> Result<TagValue, AccessControlError> {
        TagValue::new(uuid, category, value, TagKind::Static, None)
    }

    /// A dynamic tag value with its filter.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::BadName`] for an empty or overlong category or value.
    pub fn dynamic(
        uuid: Uuid,
        category: &str,
        value: &str,
        filter: TagFilter,
    ) -> Result<TagValue, AccessControlError> {
        TagValue::new(uuid, category, value, TagKind::Dynamic, Some(filter))
    }

    /// A tag value from its wire parts.
    ///
    /// # Errors
    ///
    /// [`AccessControlError::BadName`] for an empty or overlong category or value;
    /// [`AccessControlError::StaticWithFilter`] for a static value with a filter.
    pub fn new(
        uuid: Uuid,
        category: &str,
        value: &str,
        kind: TagKind,
        filter: Option<TagFilter>,
    ) -> Result<TagValue, AccessControlError> {
        for (what, text) in [("category_name", category), ("value", value)] {
            check_tag_name(text).map_err(|reason| AccessControlError::BadName {
                field: what,
                name: crate::text::echo(text),
                reason,
            })?;
        }
        if kind == TagKind::Static && filter.is_some() {
            return Err(AccessControlError::StaticWithFilter(uuid));
        }
        Ok(TagValue {
            uuid,
            category: category.into(),
            value: value.into(),
            kind,
            filter,
            metadata: Metadata::default(),
        })
    }

    /// The value's uuid.
    #[must_use]
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }

    /// The category's name.
    #[must_use]
    pub fn category(&self) -> &str {
        &self.category
    }

    /// The value's name.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Static or dynamic.
    #[must_use]
    pub fn kind(&self) -> TagKind {
        self.kind
    }

    /// The filter of a dynamic value, when known.
    #[must_use]
    pub fn filter(&self) -> Option<&TagFilter> {
        self.filter.as_ref()
    }

    /// The server's other fields (`access_control`, `created_at`, …).
    #[must_use]
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Whether `asset` carries this tag: it names it in `tag_uuid`, or the filter selects
    /// it (`tag_name` as for [`TagFilter::matches`]).
    pub fn carried_by<'t>(
        &self,
        asset: &crate::Asset,
        tag_name: impl Fn(&Uuid) -> Option<(&'t str, &'t str)>,
    ) -> bool {
        let named = asset
            .values(crate::access::RuleType::TagUuid)
            .contains(&crate::access::AssetValue::Uuid(self.uuid));
        named
            || self
                .filter
                .as_ref()
                .is_some_and(|f| f.matches(asset, tag_name))
    }
}

impl fmt::Display for TagValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.category, self.value)
    }
}
