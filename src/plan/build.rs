//! Building a [`Plan`] from a policy, a subject and an action: the same steps as
//! [`Policy::asset_filter`] (layers 1–2, then the groups granting the subject the
//! permission), then every term of those groups' rules that can contain an asset becomes
//! a condition; then the v3 permissions: one covering every asset makes the plan `All`,
//! else every tag granted to the subject for the action joins the filter, with its filter
//! compiled to conditions on values.

use std::collections::{BTreeMap, HashMap};

use super::{
    Condition, Everything, Filter, GrantedTag, Plan, Quantifier, Source, TagCondition, TagExpr,
    Test,
};
use crate::Action;
use crate::access::{AccessGroupType, Attribute, RuleType};
use crate::policy::ObjectCheck;
use crate::tags::index::Carried;
use crate::tags::{Field, FilterExpr, FilterOperator, PermissionAction, TagValue};
use crate::{Denial, Policy, Subject};

impl Policy {
    /// The query plan for `subject` and an asset action (`asset.view`, `asset.scan`,
    /// `issue.read`, … or a host action with an asset check): which assets the subject may
    /// perform it on, as one expression (see the [`plan`](crate::plan) module). It decides
    /// every asset exactly as [`Policy::is_allowed`] with [`Resource::Asset`](crate::Resource::Asset)
    /// (and so as [`Policy::asset_filter`]), and denies with the denial
    /// [`Policy::check`] gives when layers 1–2 or the subject refuse.
    ///
    /// With v3 permissions (`docs/semantics.md`, "Layer 3 v3: permissions and tags"), an
    /// asset is selected when a granting group contains it **or** it carries a tag a
    /// permission grants the subject the action on (`CanView` for viewing and `issue.*`,
    /// `CanScan` for scanning); a permission on `AllAssets`/`AllObjects` makes the plan
    /// [`Plan::All`] ([`Everything::Permission`](crate::plan::Everything::Permission)).
    ///
    /// The plan borrows the policy: its sources name the policy's groups, tags, permissions
    /// and filter conditions. Building it costs a walk over the terms of the groups granting
    /// the subject the permission and over the filters of the granted tags, and sorts.
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
                return Plan::All(Some(Everything::Group(group)));
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
        for (first, last, mut sources) in merge(v4) {
            sources.sort_by_key(|s| (s.position, s.rule, s.term));
            conditions.push(Condition {
                attribute: RuleType::Ipv4,
                test: Test::Ipv4 { first, last },
                sources,
            });
        }
        for (first, last, mut sources) in merge(v6) {
            sources.sort_by_key(|s| (s.position, s.rule, s.term));
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
        // The v3 permissions (`docs/semantics.md`, "Query plans"): a permission covering
        // every asset makes the plan `All`; else the granted tags join the filter.
        let control = &self.data.control;
        let mut tags = Vec::new();
        if !control.is_inert() {
            let action = PermissionAction::on_assets(permission);
            let grants = self.tag_grants(&resolved, user);
            if let Some(grant) = grants.get(action) {
                if let Some(p) = grant.all {
                    let why = self.all_objects_grant(&resolved, user, p, action);
                    return Plan::All(why.map(Everything::Permission));
                }
                let mut categories = None;
                for position in grant.tags.iter() {
                    let Ok(at) = u32::try_from(position) else {
                        continue;
                    };
                    let Some(uuid) = control.uuid_at(at) else {
                        continue;
                    };
                    let tag = control.tag_at(at);
                    let filter = tag.and_then(TagValue::filter).map(|f| {
                        let categories = categories
                            .get_or_insert_with(|| Categories::of(control.control.tags()));
                        compile(f.expr(), &mut 0, categories)
                    });
                    tags.push(GrantedTag {
                        uuid,
                        position,
                        tag,
                        grant: self.tag_position_grant(&resolved, user, at, action, Carried::Named),
                        filter,
                    });
                }
            }
        }
        if conditions.is_empty() && tags.is_empty() {
            // Neither a granting group can contain an asset nor a tag is granted: the
            // denial `check` gives an asset that nothing grants.
            return Plan::None(Denial::Asset {
                user,
                permission,
                containing: None,
            });
        }
        let control = (!tags.is_empty()).then_some(&control.control);
        Plan::Filter(Filter {
            conditions,
            tags,
            control,
        })
    }
}

/// The policy's tags by category name, for `tag.<Category>` conditions.
struct Categories<'a>(HashMap<&'a str, Vec<&'a TagValue>>);

impl<'a> Categories<'a> {
    fn of(tags: &'a [TagValue]) -> Categories<'a> {
        let mut map: HashMap<&'a str, Vec<&'a TagValue>> = HashMap::new();
        for tag in tags {
            map.entry(tag.category()).or_default().push(tag);
        }
        Categories(map)
    }

    fn get(&self, category: &str) -> &[&'a TagValue] {
        self.0.get(category).map_or(&[], Vec::as_slice)
    }
}

/// A filter expression as tests on asset values; `next` numbers the conditions depth-first
/// in the order written (as `TagFilter::conditions` lists them).
fn compile<'a>(expr: &'a FilterExpr, next: &mut usize, categories: &Categories<'a>) -> TagExpr<'a> {
    match expr {
        FilterExpr::And(members) => TagExpr::And(
            members
                .iter()
                .map(|m| compile(m, next, categories))
                .collect(),
        ),
        FilterExpr::Or(members) => TagExpr::Or(
            members
                .iter()
                .map(|m| compile(m, next, categories))
                .collect(),
        ),
        FilterExpr::Condition(condition) => {
            let position = *next;
            *next += 1;
            let quantifier = match condition.operator() {
                FilterOperator::SetHasonly => Quantifier::Only,
                op if op.is_negated() => Quantifier::NoneOf,
                _ => Quantifier::Any,
            };
            let (attribute, tests, among) = match condition.field() {
                Field::Fixed(field) => (
                    field.attribute(),
                    tests_of(condition.terms().iter().map(Test::from_term)),
                    None,
                ),
                Field::TagCategory(category) => {
                    // The asset's `tag_uuid` values that name a tag of the category count;
                    // a listed value name selects the uuids of the tags so named.
                    let of_category = categories.get(category);
                    let uuid = |t: &&TagValue| Test::Equals(t.uuid().to_string().into());
                    let listed = of_category.iter().filter(|t| {
                        condition
                            .tag_values()
                            .iter()
                            .any(|name| **name == *t.value())
                    });
                    (
                        Attribute::Rule(RuleType::TagUuid),
                        tests_of(listed.map(uuid)),
                        Some(tests_of(of_category.iter().map(uuid))),
                    )
                }
            };
            TagExpr::Condition(TagCondition {
                condition,
                position,
                attribute,
                quantifier,
                tests,
                among,
            })
        }
    }
}

/// Tests in a condition's order: IPv4 and IPv6 intervals merged, then strings sorted, each
/// once.
fn tests_of(tests: impl Iterator<Item = Test>) -> Vec<Test> {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    let mut strings = Vec::new();
    for test in tests {
        match test {
            Test::Ipv4 { first, last } => v4.push((first, last, ())),
            Test::Ipv6 { first, last } => v6.push((first, last, ())),
            other => strings.push(other),
        }
    }
    strings.sort();
    strings.dedup();
    let mut out: Vec<Test> = merge(v4)
        .into_iter()
        .map(|(first, last, _)| Test::Ipv4 { first, last })
        .collect();
    out.extend(
        merge(v6)
            .into_iter()
            .map(|(first, last, _)| Test::Ipv6 { first, last }),
    );
    out.extend(strings);
    out
}

fn is_address(attribute: RuleType) -> bool {
    matches!(
        attribute,
        RuleType::Ipv4 | RuleType::Ipv6 | RuleType::Fqdn | RuleType::Hostname
    )
}

/// Inclusive intervals merged into disjoint, sorted, non-adjacent ones (adjacent intervals
/// are one: no address lies between them), each with the payloads (sources) of the terms it
/// covers, in interval order.
fn merge<T, S>(mut intervals: Vec<(T, T, S)>) -> Vec<(T, T, Vec<S>)>
where
    T: Copy + Ord + Successor,
{
    intervals.sort_by_key(|&(first, last, _)| (first, last));
    let mut merged: Vec<(T, T, Vec<S>)> = Vec::new();
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
