#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

pub mod access;
mod action;
mod permission;
mod policy;
mod role;
mod scope;

pub use access::{
    AccessGroup, AccessGroupError, AccessGroupType, AccessGroups, AccessPermissions, Asset, Grant,
    Membership, Operator, Principal, PrincipalKind, ReferenceMatcher, Rule, RuleType, Target, Term,
};
pub use action::{Action, ActionSpec, ObjectCheck};
pub use permission::{Permissions, ScanLevel};
pub use policy::{
    AllowedTarget, AssetFilter, Decision, Denial, Effective, Layer, ObjectGrant, Partition, Policy,
    PolicyBuilder, PolicyError, Reach, Resource, SkippedTarget, Subject, TargetGrant, User, WhoCan,
};
#[cfg(feature = "serde")]
pub use policy::{PolicyFileError, Problem, Request, RequestError};
#[cfg(feature = "serde")]
pub use role::{ApiError, Envelope, RoleJsonError, RoleRead};
pub use role::{
    OrganizationCount, Role, RoleCatalog, RoleCreator, RoleDraft, RoleError, RoleFieldSet, RoleId,
    RoleIdError, RoleOperation, RolePatch, RoleQuery, RoleView,
};
pub use scope::{Scope, ScopeError, ScopeErrorKind, ScopeSet};

/// User input echoed in an error message, cut to 64 characters so that hostile input cannot
/// make errors large.
pub(crate) fn echo(text: &str) -> String {
    const LIMIT: usize = 64;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// The examples of `docs/guide.md`, compiled and run as doctests.
#[cfg(all(doctest, feature = "serde"))]
#[doc = include_str!("../docs/guide.md")]
struct GuideDoctests;
