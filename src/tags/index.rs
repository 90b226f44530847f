//! The compiled v3 access control: what a decision about tags and permissions looks up.

use super::AccessControl;

/// A policy's tags and permissions, compiled for decisions.
#[derive(Debug, Default)]
pub(crate) struct TagIndex {
    pub(crate) control: AccessControl,
}

impl TagIndex {
    /// Compiles `control`.
    pub(crate) fn new(control: AccessControl) -> TagIndex {
        TagIndex { control }
    }
}
