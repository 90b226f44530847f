//! Why a group contains an asset or a target, as the index and the engine report it.

/// Why a group contains an asset or a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Membership {
    /// The group has `all_assets: true`: it contains everything.
    AllAssets,
    /// Rule `rule`'s term `term` matched. The reference reports the lowest rule index,
    /// then the lowest term index of that rule.
    Rule {
        /// Index in the group's rules.
        rule: usize,
        /// Index in the rule's terms.
        term: usize,
    },
}
