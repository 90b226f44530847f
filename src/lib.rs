#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]

pub mod access;
#[cfg(feature = "serde")]
mod json;
pub mod plan;
pub mod policy;
pub mod role;
pub mod scope;
pub mod tags;
mod text;

pub use access::asset::{Asset, Target};
pub use access::group::AccessGroup;
pub use access::validate::AccessGroupError;
pub use policy::action::Action;
pub use policy::decision::{Decision, Denial};
pub use policy::directory::User;
pub use policy::engine::{Policy, PolicyBuilder, PolicyError, Resource};
pub use policy::subject::Subject;
pub use role::catalog::RoleError;
pub use role::definition::{Role, RoleId};
pub use role::permission::Permissions;
pub use scope::scopes::{Scope, ScopeError, ScopeSet};

/// The examples of `docs/guide.md`, compiled and run as doctests.
#[cfg(all(doctest, feature = "serde"))]
#[doc = include_str!("../docs/guide.md")]
struct GuideDoctests;
