//! Layer 1: organization API-key scopes and their implications (`docs/semantics.md`,
//! "Layer 1: API-key scopes").
//!
//! The `scope_table!` invocation in `scopes` is the single source of truth: the enum, the
//! wire spelling, the description and the catalogue order all come from it. Adding a scope
//! is one line there; the implication table `IMPLICATIONS` beside it is the only other
//! place scopes are related to each other.

pub(crate) mod scopes;

pub use scopes::ScopeErrorKind;
pub(crate) use scopes::{Scope, ScopeSet};
