//! The engine (`docs/semantics.md`, "The engine"): a [`Policy`] built once
//! from roles, access groups, a user directory and the action catalogue, answering
//! [`Policy::check`] with an explained [`Decision`](crate::Decision).
//!
//! The everyday types (`Policy`, `PolicyBuilder`, `User`, `Subject`, `Resource`, `Action`,
//! `Decision`, `Denial`, `PolicyError`) are at the crate root; the rest of the engine is
//! here.
//!
//! - `engine`: the policy, its builder, resources and the policy errors;
//! - `action`: the one action table ([`ActionSpec`], [`ObjectCheck`]);
//! - `subject`, `directory`: who asks, and the user directory;
//! - `check`: the decision rule across the three layers;
//! - `decision`: decisions, denials and their explanations;
//! - `effective`, `who_can`, `asset_filter`, `partition`: what the engine offers beyond
//!   `check` (effective permissions, who reaches an asset, a per-row asset filter, scan
//!   target partitioning);
//! - `keys`: which scopes a user may put on a new API key;
//! - `mutate`: role and access-group changes returning a new policy;
//! - `wire` (feature `serde`): the policy file, requests, decisions as JSON.

pub(crate) mod action;
mod asset_filter;
mod check;
pub(crate) mod decision;
pub(crate) mod directory;
mod effective;
pub(crate) mod engine;
mod keys;
mod mutate;
mod partition;
pub(crate) mod subject;
mod who_can;
#[cfg(feature = "serde")]
mod wire;

pub use action::{ActionSpec, ObjectCheck};
pub use asset_filter::AssetFilter;
pub use decision::{
    GrantedObject, Layer, ObjectGrant, PermissionGrant, TagCarried, TargetBy, TargetGrant,
};
pub use directory::DirectoryUser;
pub(crate) use directory::{DirectoryEntry, User};
pub use effective::Effective;
pub(crate) use engine::{Compiled, Policy, PolicyData, PolicyError, Resource};
pub use partition::{AllowedTarget, Partition, SkippedTarget};
pub use subject::OwnedSubject;
pub(crate) use subject::Subject;
pub use who_can::{Reach, Via, WhoCan};
#[cfg(feature = "serde")]
pub use wire::{PolicyFileError, Problem, Request, RequestError};
