#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

pub mod access;
#[cfg(feature = "serde")]
mod json;
mod policy;
mod role;
mod scope;
mod text;

pub use access::{
    AccessGroup, AccessGroupError, AccessGroupType, AccessGroups, AccessPermissions, Asset, Grant,
    Membership, Operator, Principal, PrincipalKind, ReferenceMatcher, Rule, RuleType, Target, Term,
};
pub use policy::action::{Action, ActionSpec, ObjectCheck};
pub use policy::{
    AllowedTarget, AssetFilter, Decision, Denial, DirectoryUser, Effective, Layer, ObjectGrant,
    OwnedSubject, Partition, Policy, PolicyBuilder, PolicyError, Reach, Resource, SkippedTarget,
    Subject, TargetGrant, User, WhoCan,
};
#[cfg(feature = "serde")]
pub use policy::{PolicyFileError, Problem, Request, RequestError};
pub use role::permission::{Permissions, ScanLevel};
#[cfg(feature = "serde")]
pub use role::{ApiError, Envelope, RoleJsonError, RoleRead};
pub use role::{
    OrganizationCount, Role, RoleCatalog, RoleCreator, RoleDraft, RoleError, RoleFieldSet, RoleId,
    RoleIdError, RoleOperation, RolePatch, RoleQuery, RoleView,
};
pub use scope::{Scope, ScopeError, ScopeErrorKind, ScopeSet};

/// The examples of `docs/guide.md`, compiled and run as doctests.
#[cfg(all(doctest, feature = "serde"))]
#[doc = include_str!("../docs/guide.md")]
struct GuideDoctests;
