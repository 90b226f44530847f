//! Layer 3: Tenable Vulnerability Management access groups (SPEC §4).
//!
//! - [`RuleType`] / [`Operator`]: the one table of the 27 rule types and their operators.
//! - [`Term`] / [`Rule`]: typed terms, parsed when a rule is built.
//! - [`Asset`] / [`Target`]: what is matched.
//! - [`Principal`] / [`AccessPermissions`]: who gets what.
//! - [`AccessGroup`] / [`AccessGroups`]: the groups and their validated changes.
//! - [`ReferenceMatcher`]: the obviously-correct matcher.
//! - [`GroupIndex`] / [`GroupSet`] / [`GroupFilter`]: the compiled index, the fast path
//!   that decides as the reference does.
//! - `wire` (feature `serde`): v1/v2 JSON.
//!
//! The choices made where the sources are silent are recorded in
//! `docs/semantics.md (layer 3)`.

mod asset;
mod group;
mod groups;
mod index;
mod principal;
mod reference;
mod rule;
mod rule_type;
mod term;
mod validate;
#[cfg(feature = "serde")]
mod wire;

pub use asset::{Asset, AssetError, Target, TargetError};
pub use group::{AccessGroup, AccessGroupType, Grant, Metadata, UnknownAccessGroupType};
pub use groups::AccessGroups;
pub use index::{GroupFilter, GroupIndex, GroupSet};
pub use principal::{AccessPermissions, NIL_UUID, Principal, PrincipalKind, UnknownPermission};
pub use reference::{Membership, ReferenceMatcher};
pub use rule::{Rule, RuleError};
pub use rule_type::{Operator, RuleType, UnknownOperator, UnknownRuleType, ValueKind};
pub use term::{
    AssetValue, MAX_DNS_LABEL_CHARS, MAX_DNS_NAME_CHARS, MAX_VALUE_CHARS, MacAddress, Term,
    TermError, TermValue, Uuid,
};
pub use validate::{
    AccessGroupError, AllAssetsPart, Change, MAX_ACCESS_GROUPS, MAX_NAME_CHARS,
    MAX_RULES_PER_GROUP, MAX_TERMS_PER_RULE, validate_access_group_name,
};
#[cfg(feature = "serde")]
pub(crate) use wire::StreamedGroup;
#[cfg(feature = "serde")]
pub use wire::{AccessGroupList, ApiErrorBody};
