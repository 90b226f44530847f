//! Decisions and their explanations.
//!
//! A [`Decision`] says allow or deny and why: for an allow, which scopes, which role and
//! permissions, which access group (rule, term, principal) granted; for a deny, the first
//! layer that refused and exactly what was missing ([`Denial`]). `Display` renders one
//! sentence fit for a 403 body or an audit log.

use crate::access::Uuid;
use crate::access::{AccessGroup, AccessGroupError, AccessPermissions, Grant, Membership, Target};
use crate::role::permission::Permissions;
use crate::role::{Role, RoleError, RoleId};
use crate::scope::{Scope, ScopeSet};
use crate::tags::{
    FilterCondition, Permission, PermissionAction, PermissionObject, PermissionSubject, TagValue,
};
use crate::text::Cut;
use std::fmt;

/// The layers a request passes, in order. A denial names the layer that refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// The action is not in the policy's catalogue.
    Action,
    /// The subject could not be resolved (unknown user or role, nobody at all).
    Subject,
    /// Layer 1: the API key's scopes.
    Scopes,
    /// Layer 2: the role's permissions.
    Role,
    /// Layer 3: the object (asset, targets, role, group, access group).
    Object,
}

impl Layer {
    /// The layer's name as written in JSON explanations.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Layer::Action => "action",
            Layer::Subject => "subject",
            Layer::Scopes => "scopes",
            Layer::Role => "role",
            Layer::Object => "object",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request was denied: the first layer that refused, and what was missing.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Denial<'a> {
    /// The action is not in the catalogue.
    UnknownAction,
    /// The user is not in the directory and no role was given inline.
    UnknownUser(&'a str),
    /// The subject's role does not exist.
    UnknownRole(RoleId),
    /// Neither a user nor an API key.
    NoSubject,
    /// The action names no scope, so API keys may not perform it.
    NotForApiKeys,
    /// The API key lacks these scopes.
    MissingScopes(ScopeSet),
    /// The role lacks these permissions.
    MissingPermissions {
        /// The subject's role.
        role: &'a Role,
        /// What it lacks.
        missing: Permissions,
    },
    /// The action needs a resource of this kind (e.g. "an asset") and got none or another.
    MissingResource(&'static str),
    /// The object check needs a user to match access-group principals (an API key without
    /// a user has none).
    NoUser,
    /// The object check needs the requester's role (an API key without a user has none).
    NoRole,
    /// No access group grants the user the permission on the asset.
    Asset {
        /// The user.
        user: &'a str,
        /// `CAN_VIEW` or `CAN_SCAN`.
        permission: AccessPermissions,
        /// The first group that contains the asset (granting nothing to the user), if any.
        containing: Option<&'a AccessGroup>,
    },
    /// A scan target is in no access group granting the user `CAN_SCAN`.
    Target {
        /// The user.
        user: &'a str,
        /// Position of the target in the list.
        index: usize,
        /// The target.
        target: &'a Target,
        /// The first group that contains the target (granting nothing to the user), if any.
        containing: Option<&'a AccessGroup>,
    },
    /// The subject is not a member of the user group and may not read other groups.
    NotAMember {
        /// The user, if any.
        user: Option<&'a str>,
        /// The user group.
        group: &'a str,
    },
    /// A role rule refused (visibility, escalation, immutable role, …).
    Role(RoleError),
    /// An access-group rule refused (limits, codes).
    AccessGroup(Box<AccessGroupError>),
    /// No access group has this id.
    UnknownAccessGroup(&'a str),
    /// No v3 permission grants the user the action on the tag.
    Tag {
        /// The user.
        user: &'a str,
        /// `CanEdit` or `CanUse`.
        action: PermissionAction,
        /// The tag's uuid.
        uuid: Uuid,
        /// The tag, when the policy defines it.
        tag: Option<&'a TagValue>,
    },
    /// The access group does not name the user (and the user is not the Administrator).
    AccessGroupNotVisible {
        /// The user.
        user: &'a str,
        /// The group.
        group: &'a AccessGroup,
    },
}

impl Denial<'_> {
    /// The layer that refused.
    #[must_use]
    pub fn layer(&self) -> Layer {
        match self {
            Denial::UnknownAction => Layer::Action,
            Denial::UnknownUser(_) | Denial::UnknownRole(_) | Denial::NoSubject => Layer::Subject,
            Denial::NotForApiKeys | Denial::MissingScopes(_) => Layer::Scopes,
            Denial::MissingPermissions { .. } => Layer::Role,
            _ => Layer::Object,
        }
    }
}

/// Why the object check (layer 3) allowed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ObjectGrant<'a> {
    /// An access group contains the asset and grants the user the permission.
    Asset {
        /// The group.
        group: &'a AccessGroup,
        /// Which rule and term put the asset in the group.
        membership: Membership,
        /// Which principal (or default) of the group grants.
        grant: Grant<'a>,
        /// `CAN_VIEW` or `CAN_SCAN`.
        permission: AccessPermissions,
    },
    /// Every scan target is in an access group granting `CAN_SCAN` (one entry per target;
    /// empty from [`Policy::is_allowed`](crate::Policy::is_allowed), which does not explain).
    Targets(Vec<TargetGrant<'a>>),
    /// The subject is a member of the user group.
    Member(&'a str),
    /// The subject may read every user group (`groups:admin` and/or `permManageGroups`).
    AnyGroup,
    /// The role is visible to the requester, or within the requester's permissions.
    Role(&'a Role),
    /// The role change passes every role rule.
    RoleChange,
    /// The access group names the user, or the requester is the Administrator.
    AccessGroup(&'a AccessGroup),
    /// The access-group change passes every limit.
    AccessGroupChange,
    /// A v3 permission grants the action on the asset or the tag (no access group did).
    Permission(PermissionGrant<'a>),
}

/// Why a v3 permission grants (`docs/semantics.md`, "Layer 3 v3: permissions and tags"):
/// the permission, the action, the subject of it that names the user, and the object.
#[derive(Clone, Debug, PartialEq)]
pub struct PermissionGrant<'a> {
    /// The permission.
    pub permission: &'a Permission,
    /// The action granted (`CanView`, `CanScan`, `CanEdit`, `CanUse`).
    pub action: PermissionAction,
    /// The first subject of the permission that names the user.
    pub subject: &'a PermissionSubject,
    /// What the permission grants on.
    pub object: GrantedObject<'a>,
}

/// The object through which a permission grants.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GrantedObject<'a> {
    /// `AllAssets` or `AllObjects`.
    All(&'a PermissionObject),
    /// A tag value.
    Tag {
        /// Its uuid.
        uuid: Uuid,
        /// The tag, when the policy defines it (a permission may name a tag the policy's
        /// `tags` do not hold: assets naming it still carry it).
        tag: Option<&'a TagValue>,
        /// How the asset carries it.
        carried: TagCarried<'a>,
    },
}

/// How an asset (or target) carries the tag through which a permission grants.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TagCarried<'a> {
    /// The asset names the tag in its `tag_uuid` values.
    Named,
    /// The tag's filter selects the asset; `condition` is the condition that decided
    /// (the first member of an `and`, the first holding member of an `or`).
    Filter {
        /// The condition's position, depth-first in the order written.
        position: usize,
        /// The condition.
        condition: &'a FilterCondition,
        /// Which of its values matched (positive operators).
        value: Option<usize>,
    },
    /// The request is about the tag itself (`tag.edit`, `tag.use`).
    Itself,
}

impl fmt::Display for PermissionGrant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "permission `{}` grants {} on ",
            Cut(self.permission.name()),
            self.action
        )?;
        match &self.object {
            GrantedObject::All(object) => write!(f, "{}", object.kind().as_str())?,
            GrantedObject::Tag { uuid, tag, carried } => {
                match tag {
                    Some(tag) => write!(f, "tag `{}`", Cut(&tag.to_string()))?,
                    None => write!(f, "tag `{uuid}`")?,
                }
                match carried {
                    TagCarried::Named => f.write_str(" (the asset names it)")?,
                    TagCarried::Filter {
                        position,
                        condition,
                        ..
                    } => write!(f, " (filter condition {position}: {condition})")?,
                    TagCarried::Itself => {}
                }
            }
        }
        write!(f, " to {}", describe_subject(self.subject))
    }
}

/// A permission subject as explanations name it.
pub(crate) fn describe_subject(subject: &PermissionSubject) -> String {
    use crate::tags::SubjectKind;
    let label = subject.name().or(subject.uuid()).map(Cut);
    match (subject.kind(), label) {
        (SubjectKind::UserGroup, _) if subject.is_everyone() => "user group All Users".to_owned(),
        (SubjectKind::User, Some(l)) => format!("user `{l}`"),
        (SubjectKind::UserGroup, Some(l)) => format!("user group `{l}`"),
        (SubjectKind::AllUsers, _) => "all users".to_owned(),
        (SubjectKind::AllAdmins, _) => "all administrators".to_owned(),
        (kind, _) => kind.as_str().to_owned(),
    }
}

/// Why one scan target may be scanned.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetGrant<'a> {
    /// The target.
    pub target: &'a Target,
    /// What grants `CAN_SCAN` on it.
    pub by: TargetBy<'a>,
}

/// What lets a user scan one target: an access group containing it, or (when none does)
/// a v3 permission granting `CanScan` on every asset or on a dynamic tag whose filter
/// selects the target.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum TargetBy<'a> {
    /// An access group contains the target and grants `CAN_SCAN`.
    Group {
        /// The access group containing it.
        group: &'a AccessGroup,
        /// Which rule and term.
        membership: Membership,
        /// Which principal grants `CAN_SCAN`.
        grant: Grant<'a>,
    },
    /// A v3 permission grants `CanScan` on it.
    Permission(PermissionGrant<'a>),
}

impl<'a> TargetBy<'a> {
    /// The access group, when one grants.
    #[must_use]
    pub fn group(&self) -> Option<&'a AccessGroup> {
        match self {
            TargetBy::Group { group, .. } => Some(group),
            TargetBy::Permission(_) => None,
        }
    }

    /// The access group's membership, when one grants.
    #[must_use]
    pub fn membership(&self) -> Option<Membership> {
        match self {
            TargetBy::Group { membership, .. } => Some(*membership),
            TargetBy::Permission(_) => None,
        }
    }

    /// The access group's principal, when one grants.
    #[must_use]
    pub fn grant(&self) -> Option<&Grant<'a>> {
        match self {
            TargetBy::Group { grant, .. } => Some(grant),
            TargetBy::Permission(_) => None,
        }
    }
}

impl fmt::Display for TargetBy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetBy::Group {
                group,
                membership,
                grant,
            } => write!(
                f,
                "by {} through {}",
                describe_grant(grant),
                describe_membership(group, *membership)
            ),
            TargetBy::Permission(grant) => write!(f, "through {grant}"),
        }
    }
}

/// The answer to one request: allow or deny, with its explanation.
///
/// `Display` gives one sentence; with the `serde` feature it serializes to a JSON
/// explanation (`"decision": "allow" | "deny"`, the layers, the reason).
#[derive(Clone, Debug, PartialEq)]
pub struct Decision<'a> {
    pub(crate) action: &'a str,
    /// The scopes required and the key's scopes (allowed, with a key).
    pub(crate) scopes: Option<(ScopeSet, ScopeSet)>,
    /// The subject's role and the permissions required (allowed, with a role).
    pub(crate) role: Option<(&'a Role, Permissions)>,
    pub(crate) object: Option<ObjectGrant<'a>>,
    pub(crate) denial: Option<Denial<'a>>,
}

impl<'a> Decision<'a> {
    pub(crate) fn deny(action: &'a str, denial: Denial<'a>) -> Decision<'a> {
        Decision {
            action,
            scopes: None,
            role: None,
            object: None,
            denial: Some(denial),
        }
    }

    /// Whether the request is allowed.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        self.denial.is_none()
    }

    /// The action's name.
    #[must_use]
    pub fn action(&self) -> &'a str {
        self.action
    }

    /// Why the request was denied, if it was.
    #[must_use]
    pub fn denial(&self) -> Option<&Denial<'a>> {
        self.denial.as_ref()
    }

    /// The layer that denied, if the request was denied.
    #[must_use]
    pub fn denied_by(&self) -> Option<Layer> {
        self.denial.as_ref().map(Denial::layer)
    }

    /// For an allowed decision where layer 1 applied: the scopes the action requires and
    /// the key's scopes. A denial carries what was missing instead ([`Denial`]).
    #[must_use]
    pub fn scopes(&self) -> Option<(ScopeSet, ScopeSet)> {
        self.scopes
    }

    /// For an allowed decision where layer 2 applied: the subject's role and the
    /// permissions the action requires.
    #[must_use]
    pub fn role(&self) -> Option<(&'a Role, Permissions)> {
        self.role
    }

    /// What the object check found, when layer 3 applied and allowed.
    #[must_use]
    pub fn object(&self) -> Option<&ObjectGrant<'a>> {
        self.object.as_ref()
    }
}

/// The key scope that grants `wanted`: itself if declared, else the declared scope implying
/// it.
pub(crate) fn granted_via(key: ScopeSet, wanted: Scope) -> Option<Scope> {
    if key.contains(wanted) {
        return Some(wanted);
    }
    key.iter().find(|holder| holder.implies().contains(wanted))
}

/// Requirement names: `permScan` for "may scan", `permScan=full` only when full is needed.
pub(crate) fn requirement_names(required: Permissions) -> String {
    required.requirement_names().collect::<Vec<_>>().join(", ")
}

pub(crate) fn describe_membership(group: &AccessGroup, membership: Membership) -> String {
    match membership {
        Membership::AllAssets => format!("access group `{}` (all assets)", Cut(group.name())),
        Membership::Rule { rule, term } => {
            let detail = group.rules().get(rule).and_then(|r| {
                r.terms().get(term).map(|t| {
                    format!(
                        ": `{}` `{}` `{}`",
                        r.rule_type(),
                        r.operator(),
                        Cut(t.as_str())
                    )
                })
            });
            format!(
                "access group `{}` (rule {rule}, term {term}{})",
                Cut(group.name()),
                detail.unwrap_or_default()
            )
        }
    }
}

pub(crate) fn describe_grant(grant: &Grant<'_>) -> String {
    match grant {
        Grant::AllAssetsDefault => "every user by default".to_owned(),
        Grant::AllUsers => "all users".to_owned(),
        Grant::Principal { principal, .. } => match principal.id() {
            Some(id) if principal.is_everyone() => {
                format!("principal {} `{}` (everyone)", principal.kind(), Cut(id))
            }
            Some(id) => format!("principal {} `{}`", principal.kind(), Cut(id)),
            None => format!("principal {}", principal.kind()),
        },
    }
}

fn permission_names(permission: AccessPermissions) -> String {
    permission.wire_names().collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Denial<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::UnknownAction => f.write_str("unknown action"),
            Denial::UnknownUser(user) => write!(f, "unknown user `{}`", Cut(user)),
            Denial::UnknownRole(role) => write!(f, "role `{role}` does not exist"),
            Denial::NoSubject => f.write_str("no user and no API key"),
            Denial::NotForApiKeys => f.write_str("not available to API keys"),
            Denial::MissingScopes(missing) => write!(f, "API key lacks `{missing}`"),
            Denial::MissingPermissions { role, missing } => {
                write!(
                    f,
                    "role `{}` lacks {}",
                    Cut(role.name()),
                    requirement_names(*missing)
                )
            }
            Denial::MissingResource(what) => write!(f, "needs {what}"),
            Denial::NoUser => {
                f.write_str("an API key without a user holds no access-group permission")
            }
            Denial::NoRole => f.write_str("needs a requester with a role"),
            Denial::Asset {
                user,
                permission,
                containing: None,
            } => {
                write!(
                    f,
                    "no access group contains the asset, so `{}` lacks {}",
                    Cut(user),
                    permission_names(*permission)
                )
            }
            Denial::Asset {
                user,
                permission,
                containing: Some(group),
            } => write!(
                f,
                "no access group containing the asset grants `{}` {} (the asset is in `{}`)",
                Cut(user),
                permission_names(*permission),
                Cut(group.name())
            ),
            Denial::Target {
                user,
                index,
                target,
                containing: None,
            } => {
                write!(
                    f,
                    "target `{target}` (#{index}) is in no access group, so `{}` may not scan it",
                    Cut(user)
                )
            }
            Denial::Target {
                user,
                index,
                target,
                containing: Some(group),
            } => write!(
                f,
                "target `{target}` (#{index}) is in no access group granting `{}` CAN_SCAN (it is in `{}`)",
                Cut(user),
                Cut(group.name())
            ),
            Denial::NotAMember {
                user: Some(user),
                group,
            } => write!(
                f,
                "`{}` is not a member of user group `{}`",
                Cut(user),
                Cut(group)
            ),
            Denial::NotAMember { user: None, group } => write!(
                f,
                "the API key may not read user group `{}` (needs `groups:admin`)",
                Cut(group)
            ),
            Denial::Role(error) => write!(f, "{error}"),
            Denial::AccessGroup(error) => write!(f, "{error}"),
            Denial::UnknownAccessGroup(id) => {
                write!(f, "access group `{}` does not exist", Cut(id))
            }
            Denial::Tag {
                user,
                action,
                uuid,
                tag,
            } => {
                write!(f, "no permission grants `{}` {action} on tag ", Cut(user))?;
                match tag {
                    Some(tag) => write!(f, "`{}` (`{uuid}`)", Cut(&tag.to_string())),
                    None => write!(f, "`{uuid}`"),
                }
            }
            Denial::AccessGroupNotVisible { user, group } => {
                write!(
                    f,
                    "access group `{}` does not name `{}`",
                    Cut(group.name()),
                    Cut(user)
                )
            }
        }
    }
}

impl fmt::Display for ObjectGrant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectGrant::Asset {
                group,
                membership,
                grant,
                permission,
            } => write!(
                f,
                "{} contains the asset and grants {} to {}",
                describe_membership(group, *membership),
                permission_names(*permission),
                describe_grant(grant)
            ),
            ObjectGrant::Targets(grants) if grants.is_empty() => {
                f.write_str("every target may be scanned")
            }
            ObjectGrant::Targets(grants) => {
                f.write_str("every target may be scanned: ")?;
                for (i, grant) in grants.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{}` {}", grant.target, grant.by)?;
                }
                Ok(())
            }
            ObjectGrant::Member(group) => write!(f, "member of user group `{}`", Cut(group)),
            ObjectGrant::AnyGroup => f.write_str("may read every user group"),
            ObjectGrant::Role(role) => write!(f, "role `{}` is within reach", Cut(role.name())),
            ObjectGrant::RoleChange => f.write_str("the role change passes every role rule"),
            ObjectGrant::AccessGroup(group) => {
                write!(f, "access group `{}` is visible", Cut(group.name()))
            }
            ObjectGrant::AccessGroupChange => {
                f.write_str("the access-group change passes every rule")
            }
            ObjectGrant::Permission(grant) => grant.fmt(f),
        }
    }
}

/// One sentence: `allow `scan.run`: …` or `deny `scan.run`: API key lacks …`.
impl fmt::Display for Decision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = Cut(self.action);
        match &self.denial {
            Some(denial @ (Denial::MissingScopes(_) | Denial::MissingPermissions { .. })) => {
                write!(f, "deny `{action}`: {denial}, required by `{action}`")
            }
            Some(Denial::UnknownAction) => write!(f, "deny `{action}`: unknown action `{action}`"),
            Some(denial) => write!(f, "deny `{action}`: {denial}"),
            None => {
                write!(f, "allow `{action}`: ")?;
                let mut parts: Vec<String> = Vec::new();
                if let Some((required, key)) = self.scopes {
                    let granted: Vec<String> = required
                        .iter()
                        .map(|scope| match granted_via(key, scope) {
                            Some(via) if via != scope => format!("`{scope}` (via `{via}`)"),
                            _ => format!("`{scope}`"),
                        })
                        .collect();
                    parts.push(format!("API key grants {}", granted.join(", ")));
                }
                if let Some((role, required)) = self.role {
                    if required.is_empty() {
                        parts.push(format!(
                            "role `{}` needs no permission for it",
                            Cut(role.name())
                        ));
                    } else {
                        parts.push(format!(
                            "role `{}` holds {}",
                            Cut(role.name()),
                            requirement_names(required)
                        ));
                    }
                }
                if let Some(object) = &self.object {
                    parts.push(object.to_string());
                }
                if parts.is_empty() {
                    parts.push("nothing is required".to_owned());
                }
                f.write_str(&parts.join("; "))
            }
        }
    }
}
