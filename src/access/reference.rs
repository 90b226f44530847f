//! The reference matcher: plain loops over groups, rules, terms and values, written to
//! be obviously correct. It is the oracle that the compiled index
//! ([`GroupIndex`](super::GroupIndex)) is checked against, so it favours clarity over speed
//! (it does not allocate either).
//!
//! Compiled only with the cargo feature `reference`: it exists for tests and benches and is
//! not part of the stable API.

use super::asset::{Asset, Target};
use super::group::{AccessGroup, AccessGroupType};
use super::membership::Membership;
use super::rule_type::RuleType;

/// The reference matcher (see the module docs): membership of assets and scan targets in
/// access groups, by plain loops.
///
/// # Examples
///
/// ```
/// use scangate::{AccessGroup, Asset};
/// use scangate::access::{AccessGroupType, Membership, ReferenceMatcher, Rule};
/// let g = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
///     .with_rule(Rule::parse("hostname", "starts", ["db"]).unwrap())
///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8", "192.168.1.1"]).unwrap());
/// let asset = Asset::new().with("ipv4", "192.168.1.1").unwrap();
/// assert_eq!(
///     ReferenceMatcher.contains_asset(&g, &asset),
///     Some(Membership::Rule { rule: 1, term: 1 })
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferenceMatcher;

impl ReferenceMatcher {
    /// Whether `group` contains `asset`, and why: All Assets contains every asset;
    /// otherwise the first rule with a term matching any of the asset's values for the
    /// rule's attribute. A SCAN_TARGETS group holds addresses, so only its `ipv4`,
    /// `ipv6`, `fqdn` and `hostname` rules count (scanning an asset is scanning its
    /// addresses: `docs/semantics.md`, "Membership and matching"); its rules of any other
    /// type never match an asset.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Asset};
    /// use scangate::access::{AccessGroupType, Membership, ReferenceMatcher, Rule};
    /// let g = AccessGroup::new("Scan", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("tag_uuid", "set-has", ["a59ae831-2695-40b1-a9f9-9a26258f5486"]).unwrap())
    ///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/8"]).unwrap());
    /// let tagged = Asset::new().with("tag_uuid", "a59ae831-2695-40b1-a9f9-9a26258f5486").unwrap();
    /// assert_eq!(ReferenceMatcher.contains_asset(&g, &tagged), None);
    /// let addressed = tagged.with("ipv4", "10.1.2.3").unwrap();
    /// assert_eq!(
    ///     ReferenceMatcher.contains_asset(&g, &addressed),
    ///     Some(Membership::Rule { rule: 1, term: 0 })
    /// );
    /// ```
    #[must_use]
    pub fn contains_asset(&self, group: &AccessGroup, asset: &Asset) -> Option<Membership> {
        if group.all_assets() {
            return Some(Membership::AllAssets);
        }
        let scan_targets = group.group_type() == AccessGroupType::ScanTargets;
        for (rule_index, rule) in group.rules().iter().enumerate() {
            let address = matches!(
                rule.rule_type(),
                RuleType::Ipv4 | RuleType::Ipv6 | RuleType::Fqdn | RuleType::Hostname
            );
            if scan_targets && !address {
                continue;
            }
            for (term_index, term) in rule.terms().iter().enumerate() {
                for value in asset.values(rule.rule_type()) {
                    if term.matches(value) {
                        return Some(Membership::Rule {
                            rule: rule_index,
                            term: term_index,
                        });
                    }
                }
            }
        }
        None
    }

    /// Whether `group` contains the bare scan target `target`: All Assets contains every
    /// target; otherwise only rules of the target's format can match (`ipv4` for an IPv4
    /// target, `ipv6` for an IPv6 target, `fqdn` and `hostname` for a name). This is the
    /// SCAN_TARGETS rule, and also what a MANAGE_ASSETS group gives a target treated as
    /// an asset with that one value.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{AccessGroup, Target};
    /// use scangate::access::{AccessGroupType, ReferenceMatcher, Rule};
    /// let g = AccessGroup::new("Scan", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("fqdn", "ends", [".corp.example"]).unwrap());
    /// let name: Target = "web.corp.example".parse().unwrap();
    /// let ip: Target = "10.0.0.1".parse().unwrap();
    /// assert!(ReferenceMatcher.contains_target(&g, &name).is_some());
    /// assert!(ReferenceMatcher.contains_target(&g, &ip).is_none());
    /// ```
    #[must_use]
    pub fn contains_target(&self, group: &AccessGroup, target: &Target) -> Option<Membership> {
        if group.all_assets() {
            return Some(Membership::AllAssets);
        }
        for (rule_index, rule) in group.rules().iter().enumerate() {
            let Some(value) = target.value_for(rule.rule_type()) else {
                continue;
            };
            for (term_index, term) in rule.terms().iter().enumerate() {
                if term.matches(value) {
                    return Some(Membership::Rule {
                        rule: rule_index,
                        term: term_index,
                    });
                }
            }
        }
        None
    }

    /// Whether `group` covers scanning `target`, when the host knows that `target` is a
    /// target of the asset `asset`. A SCAN_TARGETS group looks at the target as written
    /// only ([`ReferenceMatcher::contains_target`]); a MANAGE_ASSETS group also covers
    /// the targets of the assets it contains ("scan the associated targets for those
    /// assets"), so the asset is tried when the target itself does not match.
    #[must_use]
    pub fn contains_target_of_asset(
        &self,
        group: &AccessGroup,
        target: &Target,
        asset: &Asset,
    ) -> Option<Membership> {
        let direct = self.contains_target(group, target);
        if direct.is_some() || group.group_type() == AccessGroupType::ScanTargets {
            return direct;
        }
        self.contains_asset(group, asset)
    }
}
