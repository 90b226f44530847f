//! A scan's target list split the way Tenable runs it.

use super::decision::{Denial, TargetBy};
use super::{Policy, Resource, Subject};
use crate::access::Target;
use crate::policy::action::Action;

/// A scan's target list split the way Tenable runs it: the allowed targets are scanned,
/// the rest skipped, each with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Partition<'a> {
    /// Targets that may be scanned, with what allows each.
    pub allowed: Vec<AllowedTarget<'a>>,
    /// Targets skipped, each with why.
    pub skipped: Vec<SkippedTarget<'a>>,
}

/// A target that will be scanned, and what allows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AllowedTarget<'a> {
    /// The target as written.
    pub written: &'a str,
    /// Position in the list.
    pub index: usize,
    /// The target as parsed (names lowercased, trailing dot removed).
    pub target: Target,
    /// What allows it: an access group (with its rule, term and principal) or a v3
    /// permission, as `check` explains `scan.run` on that target.
    pub by: TargetBy<'a>,
}

/// A target that will not be scanned, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedTarget<'a> {
    /// The target as written.
    pub written: &'a str,
    /// Position in the list.
    pub index: usize,
    /// Why it is skipped (a parse error is reported as its message).
    pub reason: String,
}

impl Policy {
    /// Splits a scan's target list into the targets `subject` may scan and those Tenable
    /// would skip, each with its reason. Layers 1 and 2 of `scan.run` apply first: if they
    /// deny, every target is skipped with that reason.
    ///
    /// ```
    /// use scangate::{AccessGroup, Policy, RoleId, Subject, User};
    /// use scangate::access::{AccessGroups, AccessGroupType, AccessPermissions, Principal, Rule};
    /// let g = AccessGroup::new("Lab", AccessGroupType::ScanTargets)
    ///     .with_rule(Rule::parse("ipv4", "eq", ["10.0.0.0/24"]).unwrap())
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_SCAN));
    /// let policy = Policy::builder()
    ///     .access_groups(AccessGroups::from_server([g]))
    ///     .user(User::new("alice", RoleId::SECURITY_ANALYST))
    ///     .build()?;
    /// let split = policy.partition_targets(&Subject::user("alice"), &["10.0.0.7", "10.9.9.9", "not a host"]);
    /// assert_eq!(split.allowed.len(), 1);
    /// assert_eq!(split.skipped.iter().map(|s| s.index).collect::<Vec<_>>(), [1, 2]);
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn partition_targets<'a>(
        &'a self,
        subject: &Subject<'a>,
        targets: &[&'a str],
    ) -> Partition<'a> {
        let mut partition = Partition {
            allowed: Vec::new(),
            skipped: Vec::new(),
        };
        let skip_all = |partition: &mut Partition<'a>, reason: String| {
            partition.skipped = targets
                .iter()
                .enumerate()
                .map(|(index, written)| SkippedTarget {
                    written,
                    index,
                    reason: reason.clone(),
                })
                .collect();
        };
        let layers = self.check(subject, Action::SCAN_RUN, Resource::None);
        if !layers.is_allowed() {
            skip_all(&mut partition, layers.to_string());
            return partition;
        }
        let resolved = match self.resolve(subject) {
            Ok(resolved) => resolved,
            Err(denial) => {
                skip_all(&mut partition, denial.to_string());
                return partition;
            }
        };
        let Some(user) = resolved.user else {
            skip_all(&mut partition, Denial::NoUser.to_string());
            return partition;
        };
        for (index, written) in targets.iter().enumerate() {
            match written.parse::<Target>() {
                Err(error) => partition.skipped.push(SkippedTarget {
                    written,
                    index,
                    reason: error.to_string(),
                }),
                Ok(target) => match self.target_by(&resolved, user, &target) {
                    Some(by) => {
                        partition.allowed.push(AllowedTarget {
                            written,
                            index,
                            target,
                            by,
                        });
                    }
                    None => {
                        let reason = match self.group_containing_target(&target) {
                            Some(group) => format!(
                                "in no access group granting `{}` CAN_SCAN (it is in `{}`)",
                                crate::text::Cut(user),
                                crate::text::Cut(group.name())
                            ),
                            None => format!(
                                "in no access group, so `{}` may not scan it",
                                crate::text::Cut(user)
                            ),
                        };
                        partition.skipped.push(SkippedTarget {
                            written,
                            index,
                            reason,
                        });
                    }
                },
            }
        }
        partition
    }
}
