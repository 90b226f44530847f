//! Layer 2: Tenable Security Center roles (`docs/semantics.md`, "Layer 2").
//!
//! - [`Role`] is one role with its [`Permissions`](crate::Permissions); [`RoleDraft`] (POST) and [`RolePatch`]
//!   (PATCH) are the two change requests.
//! - `builtin` holds the one table of built-in roles.
//! - `definition` holds [`Role`], [`RoleId`], [`RoleDraft`] and [`RolePatch`].
//! - `permission` holds [`Permissions`](crate::Permissions) and [`ScanLevel`].
//! - `catalog` holds [`RoleCatalog`]: the built-in plus custom roles, and the rules for
//!   creating, editing, deleting, assigning and listing them.
//! - `visibility` computes what `GET /role` returns to a requester (`fields`, who may see
//!   what).
//! - `wire` (feature `serde`) reads and writes Tenable's JSON; `envelope` (feature
//!   `serde`) is the API's response envelope around it.

mod builtin;
pub(crate) mod catalog;
pub(crate) mod definition;
#[cfg(feature = "serde")]
mod envelope;
pub(crate) mod permission;
mod visibility;
#[cfg(feature = "serde")]
mod wire;

pub(crate) use catalog::RoleError;
pub use catalog::{RoleCatalog, RoleOperation};
#[cfg(feature = "serde")]
pub(crate) use definition::parse_digits;
pub use definition::{OrganizationCount, RoleCreator, RoleDraft, RoleIdError, RolePatch};
pub(crate) use definition::{Role, RoleId};
#[cfg(feature = "serde")]
pub use envelope::{ApiError, Envelope};
pub use permission::ScanLevel;
pub use visibility::{RoleFieldSet, RoleQuery, RoleView};
#[cfg(feature = "serde")]
pub use wire::{RoleJsonError, RoleRead};
