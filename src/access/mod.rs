//! Layer 3: Tenable Vulnerability Management access groups (`docs/semantics.md`, "Layer 3").
//!
//! [`AccessGroup`], [`Asset`],
//! [`Target`] and [`AccessGroupError`] are at the
//! crate root; everything else of the layer is here.
//!
//! - [`RuleType`] / [`Operator`]: the one table of the 27 rule types and their operators.
//! - [`Term`] / [`Rule`]: typed terms, parsed when a rule is built.
//! - [`Asset`] / [`Target`]: what is matched.
//! - [`Principal`] / [`AccessPermissions`]: who gets what.
//! - [`AccessGroup`] / [`AccessGroups`]: the groups and their validated changes.
//! - [`Membership`]: why a group contains an asset or a target.
//! - `ReferenceMatcher` (feature `reference`, for tests and benches, not part of the
//!   stable API): the obviously-correct matcher the index is checked against.
//! - [`GroupIndex`] / [`GroupSet`] / [`GroupFilter`]: the compiled index, the fast path
//!   that decides as the reference does.
//! - `wire` (feature `serde`): v1/v2 JSON.
//!
//! The choices made where the sources are silent are recorded in
//! `docs/semantics.md` ("Layer 3").

pub(crate) mod asset;
mod extra;
pub(crate) mod group;
mod groups;
mod index;
mod membership;
mod parse;
mod principal;
#[cfg(feature = "reference")]
mod reference;
mod rule;
mod rule_type;
mod term;
pub(crate) mod validate;
#[cfg(feature = "serde")]
mod wire;

pub(crate) use asset::{Asset, Target};
pub use asset::{AssetError, TargetError};
pub use extra::{Attribute, ExtraAttribute};
pub(crate) use group::AccessGroup;
pub use group::{AccessGroupType, Grant, Metadata, UnknownAccessGroupType};
pub use groups::{AccessGroups, Requester};
pub(crate) use index::FxMap;
pub use index::{GroupFilter, GroupIndex, GroupSet};
pub use membership::Membership;
pub use parse::{MAX_DNS_LABEL_CHARS, MAX_DNS_NAME_CHARS, MAX_VALUE_CHARS, MacAddress, Uuid};
pub use principal::{AccessPermissions, NIL_UUID, Principal, PrincipalKind, UnknownPermission};
#[cfg(feature = "reference")]
pub use reference::ReferenceMatcher;
pub use rule::{Rule, RuleError};
pub use rule_type::{
    Operator, OperatorNotAllowed, RuleType, UnknownOperator, UnknownRuleType, ValueKind,
};
/// The `match` test, shared with the query plans (`src/plan`).
pub(crate) use term::contains_pattern;
pub use term::{AssetValue, Term, TermError, TermValue};
pub(crate) use validate::AccessGroupError;
pub use validate::{
    AllAssetsPart, Change, MAX_ACCESS_GROUPS, MAX_NAME_CHARS, MAX_RULES_PER_GROUP,
    MAX_TERMS_PER_RULE, validate_access_group_name,
};
#[cfg(feature = "serde")]
pub(crate) use wire::StreamedGroup;
#[cfg(feature = "serde")]
pub use wire::{AccessGroupList, ApiErrorBody};
