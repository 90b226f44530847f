//! scangate: embeddable authorization for security platforms.
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

mod access;
pub use access::{
    AccessGroup, AccessGroupError, AccessGroupType, AccessGroups, AccessPermissions, AllAssetsPart,
    Asset, AssetError, AssetValue, Change, Grant, MAX_ACCESS_GROUPS, MAX_NAME_CHARS,
    MAX_RULES_PER_GROUP, MAX_TERMS_PER_RULE, MacAddress, Membership, Metadata, NIL_UUID, Operator,
    Principal, PrincipalKind, ReferenceMatcher, Rule, RuleError, RuleType, Target, TargetError,
    Term, TermError, TermValue, UnknownAccessGroupType, UnknownOperator, UnknownPermission,
    UnknownRuleType, Uuid, ValueKind, validate_access_group_name,
};
#[cfg(feature = "serde")]
pub use access::{AccessGroupList, ApiErrorBody};
