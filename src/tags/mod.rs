//! Layer 3, second model: Tenable VM access control v3, permissions on tags
//! (`docs/semantics.md`, "Layer 3 v3: permissions and tags").
//!
//! Tenable replaced access groups by **tags** (static, or dynamic with a filter that
//! selects assets) and **permissions** that grant actions on tags, on all assets or on all
//! objects to users, user groups, all users or all administrators. A policy holds both
//! models; layer 3 allows when an access group *or* a permission allows.
//!
//! - [`FilterField`] / [`FilterOperator`]: the one table of filter fields.
//! - [`FilterCondition`] / [`TagFilter`]: dynamic tag filters, parsed with the access-group term
//!   parsers and matched by the same matcher.
//! - [`TagValue`]: a static or dynamic tag value.
//! - [`Permission`] (actions, objects, subjects): who may do what on which tags.
//! - [`AccessControl`]: a container's tags and permissions; the per-user answer.
//! - `wire` (feature `serde`): the v3 JSON of permissions, tag values and filters, and
//!   the list and per-user envelopes.

mod control;
mod field;
mod filter;
pub(crate) mod index;
mod lookup;
mod permission;
mod tag;
#[cfg(feature = "serde")]
pub(crate) mod wire;

pub use control::{AccessControl, AccessControlError, UserPermissions};
pub use permission::{
    ObjectKind, Permission, PermissionAction, PermissionObject, PermissionSubject, SubjectKind,
};
pub use tag::{TagKind, TagValue};
#[cfg(feature = "serde")]
pub use wire::{PermissionList, PermissionsAnswer, TagValueList};

pub use field::{Field, FilterField, FilterOperator, TAG_FIELD_OPERATORS, TAG_FIELD_PREFIX};
pub use filter::{
    ConditionMatch, FilterCondition, FilterError, FilterExpr, MAX_CONDITIONS_PER_FILTER,
    MAX_FILTER_DEPTH, MAX_VALUES_PER_CONDITION, TagFilter,
};

/// The longest tag category or value name, in characters (Tenable's tag schema gives 127
/// for categories; values get the same bound).
pub const MAX_TAG_NAME_CHARS: usize = 127;
