//! Building a [`Plan`] from a policy, a subject and an action: the same steps as
//! [`Policy::asset_filter`] (layers 1–2, then the groups granting the subject the
//! permission), then every term of those groups' rules that can contain an asset becomes
//! a condition.

use std::collections::BTreeMap;

use super::{Condition, Filter, Plan, Source, Test};
use crate::Action;
use crate::access::{AccessGroupType, RuleType};
use crate::policy::ObjectCheck;
use crate::{Denial, Policy, Subject};

impl Policy {
    /// The query plan for `subject` and an asset action (`asset.view`, `asset.scan`,
    /// `issue.read`, … or a host action with an asset check): which assets the subject may
    /// perform it on, as one expression (see the [`plan`](crate::plan) module). It decides
    /// every asset exactly as [`Policy::is_allowed`] with [`Resource::Asset`](crate::Resource::Asset)
    /// (and so as [`Policy::asset_filter`]), and denies with the denial
    /// [`Policy::check`] gives when layers 1–2 or the subject refuse.
    ///
    /// The plan borrows the policy: its sources name the policy's groups. Building it costs
    /// a walk over the terms of the groups granting the subject the permission, and a sort.
    ///
    /// ```
    /// use scangate::plan::Plan;
    /// use scangate::{Action, Policy, RoleId, Subject, User};
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR)).build()?;
    /// // No access group grants ann anything.
    /// let plan = policy.plan(&Subject::user("ann"), Action::ASSET_VIEW);
    /// assert!(matches!(plan, Plan::None(_)));
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn plan<'a>(&'a self, subject: &Subject<'a>, action: Action) -> Plan<'a> {
        let Some(spec) = self.action_spec(action) else {
            return Plan::None(Denial::UnknownAction);
        };
        let resolved = match self.resolve(subject) {
            Ok(resolved) => resolved,
            Err(denial) => return Plan::None(denial),
        };
        if let Err(denial) = self.subject_layers(spec, &resolved) {
            return Plan::None(denial);
        }
        let ObjectCheck::Asset { permission, .. } = spec.object() else {
            // As `asset_filter`: no object check, layers 1–2 decide every asset; an object
            // other than an asset is refused.
            return match spec.object() {
                ObjectCheck::None => Plan::All(None),
                _ => Plan::None(Denial::MissingResource("not an asset")),
            };
        };
        let Some(user) = resolved.user else {
            return Plan::None(Denial::NoUser);
        };
        let granting = self.granting(&resolved, user, permission, true);
        let mut v4: Vec<(u32, u32, Source<'a>)> = Vec::new();
        let mut v6: Vec<(u128, u128, Source<'a>)> = Vec::new();
        let mut strings: BTreeMap<(RuleType, Test), Vec<Source<'a>>> = BTreeMap::new();
        for position in granting.iter() {
            let Some(group) = self.data.groups.at(position) else {
                continue;
            };
            if group.all_assets() {
                return Plan::All(Some(group));
            }
            // A SCAN_TARGETS group contains an asset through its address and name rules
            // only (`docs/semantics.md`, "Membership and matching"); it is in the granting
            // set only for scanning.
            let scan_targets = group.group_type() == AccessGroupType::ScanTargets;
            for (rule_index, rule) in group.rules().iter().enumerate() {
                let attribute = rule.rule_type();
                if scan_targets && !is_address(attribute) {
                    continue;
                }
                for (term_index, term) in rule.terms().iter().enumerate() {
                    let source = Source {
                        group,
                        position,
                        rule: rule_index,
                        term: term_index,
                        attribute,
                    };
                    match Test::from_term(term) {
                        Test::Ipv4 { first, last } => v4.push((first, last, source)),
                        Test::Ipv6 { first, last } => v6.push((first, last, source)),
                        test => strings.entry((attribute, test)).or_default().push(source),
                    }
                }
            }
        }
        let mut conditions = Vec::new();
        for (first, last, sources) in merge(v4) {
            conditions.push(Condition {
                attribute: RuleType::Ipv4,
                test: Test::Ipv4 { first, last },
                sources,
            });
        }
        for (first, last, sources) in merge(v6) {
            conditions.push(Condition {
                attribute: RuleType::Ipv6,
                test: Test::Ipv6 { first, last },
                sources,
            });
        }
        for ((attribute, test), sources) in strings {
            conditions.push(Condition {
                attribute,
                test,
                sources,
            });
        }
        if conditions.is_empty() {
            // No granting group can contain any asset: the denial `check` gives an asset
            // that no group contains.
            return Plan::None(Denial::Asset {
                user,
                permission,
                containing: None,
            });
        }
        Plan::Filter(Filter { conditions })
    }
}

fn is_address(attribute: RuleType) -> bool {
    matches!(
        attribute,
        RuleType::Ipv4 | RuleType::Ipv6 | RuleType::Fqdn | RuleType::Hostname
    )
}

/// Inclusive intervals merged into disjoint, sorted, non-adjacent ones (adjacent intervals
/// are one: no address lies between them), each with the sources of the terms it covers
/// in policy order.
fn merge<'a, T>(mut intervals: Vec<(T, T, Source<'a>)>) -> Vec<(T, T, Vec<Source<'a>>)>
where
    T: Copy + Ord + Successor,
{
    intervals.sort_by_key(|&(first, last, _)| (first, last));
    let mut merged: Vec<(T, T, Vec<Source<'a>>)> = Vec::new();
    for (first, last, source) in intervals {
        match merged.last_mut() {
            Some((_, end, sources)) if end.successor().is_none_or(|next| first <= next) => {
                if last > *end {
                    *end = last;
                }
                sources.push(source);
            }
            _ => merged.push((first, last, vec![source])),
        }
    }
    for (_, _, sources) in &mut merged {
        sources.sort_by_key(|s| (s.position, s.rule, s.term));
    }
    merged
}

/// The next address, `None` after the last one.
trait Successor: Sized {
    fn successor(self) -> Option<Self>;
}

impl Successor for u32 {
    fn successor(self) -> Option<u32> {
        self.checked_add(1)
    }
}

impl Successor for u128 {
    fn successor(self) -> Option<u128> {
        self.checked_add(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessGroup;

    fn src(group: &AccessGroup, term: usize) -> Source<'_> {
        Source {
            group,
            position: 0,
            rule: 0,
            term,
            attribute: RuleType::Ipv4,
        }
    }

    #[test]
    fn overlapping_adjacent_and_nested_intervals_merge_apart_from_gaps() {
        let g = AccessGroup::new("g", AccessGroupType::ManageAssets);
        let merged = merge(vec![
            (20u32, 30, src(&g, 0)),
            (0, 9, src(&g, 1)),
            (10, 12, src(&g, 2)), // adjacent to 0-9
            (22, 25, src(&g, 3)), // nested in 20-30
            (32, 40, src(&g, 4)), // a gap of one address (31)
            (u32::MAX - 1, u32::MAX, src(&g, 5)),
            (u32::MAX, u32::MAX, src(&g, 6)),
        ]);
        let spans: Vec<(u32, u32, Vec<usize>)> = merged
            .iter()
            .map(|(a, b, s)| (*a, *b, s.iter().map(|s| s.term).collect()))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 12, vec![1, 2]),
                (20, 30, vec![0, 3]),
                (32, 40, vec![4]),
                (u32::MAX - 1, u32::MAX, vec![5, 6]),
            ]
        );
    }
}
