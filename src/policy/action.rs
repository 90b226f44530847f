//! The action catalogue (`docs/semantics.md`, "The engine", the catalogue): one table mapping
//! each action to the scopes it requires (all of), the role permissions it requires (all of)
//! and its object check.
//!
//! Hosts add their own actions with [`ActionSpec`] and
//! [`PolicyBuilder::action`](crate::PolicyBuilder::action); a built-in action is named by an
//! associated constant of [`Action`] (`Action::SCAN_RUN`), a host action by the handle the
//! policy returns for its name ([`Policy::action`](crate::Policy::action)).

use super::Resource;
use crate::access::{AccessPermissions, Change};
use crate::role::RoleOperation;
use crate::role::permission::Permissions;
use crate::scope::{Scope, ScopeSet};
use crate::tags::PermissionAction;
use std::borrow::Cow;
use std::fmt;

/// What an action checks on its object (layer 3), beyond scopes and role permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectCheck {
    /// Nothing: layers 1 and 2 decide.
    None,
    /// The subject must hold `permission` on the asset through an access group that
    /// contains it. With `required: false` the check applies only when an asset is given.
    Asset {
        /// `CAN_VIEW` or `CAN_SCAN`.
        permission: AccessPermissions,
        /// Whether an asset must be given.
        required: bool,
    },
    /// Every scan target must be in an access group granting the subject `CAN_SCAN`
    /// (applies when targets are given).
    ScanTargets,
    /// Reading a user group: members may; so may an API key holding `groups:admin` and a
    /// role holding `permManageGroups` (applies when a group is given).
    GroupMembership,
    /// Giving a role to a user group: the role must be within the requester's own
    /// permissions (no escalation; applies when a role is given).
    AssignRole,
    /// Reading a role: the role must be visible to the requester (applies when a role is
    /// given).
    ReadRole,
    /// Creating, editing or deleting a role: the role rules of [`RoleCatalog`](crate::role::RoleCatalog).
    ChangeRole(RoleOperation),
    /// Reading an access group: the Administrator reads all; others the groups that name
    /// them (applies when a group is given).
    ReadAccessGroup,
    /// Creating, editing or deleting an access group: the limits and codes of
    /// [`AccessGroups`](crate::access::AccessGroups).
    ChangeAccessGroup(Change),
    /// Editing or using a tag value (`CanEdit`, `CanUse`): a v3 permission must grant the
    /// action on the tag, through a `Tag` object naming it or `AllObjects` (a tag is
    /// required).
    Tag(PermissionAction),
}

impl ObjectCheck {
    /// Which resources this check reads: `Ok(true)` when it applies to `resource`,
    /// `Ok(false)` when it does not apply (no object check, or an optional object not
    /// given), `Err` with what it expects when `resource` is of another kind. This is the
    /// resource column of the action table: `check` dispatches on it and on nothing else.
    pub(crate) fn accepts(self, resource: &Resource<'_>) -> Result<bool, &'static str> {
        use Resource as R;
        let applies = match (self, resource) {
            (ObjectCheck::None, _) => return Ok(false),
            (
                ObjectCheck::Asset {
                    required: false, ..
                },
                R::None,
            ) => return Ok(false),
            (ObjectCheck::Asset { .. }, R::Asset(_))
            | (ObjectCheck::ScanTargets, R::Targets(_))
            | (ObjectCheck::GroupMembership, R::UserGroup(_))
            | (ObjectCheck::AssignRole | ObjectCheck::ReadRole, R::Role(_))
            | (ObjectCheck::ChangeRole(RoleOperation::Create), R::RoleDraft(_))
            | (ObjectCheck::ChangeRole(RoleOperation::Edit), R::Role(_) | R::RolePatch(..))
            | (ObjectCheck::ChangeRole(RoleOperation::Delete), R::Role(_))
            | (ObjectCheck::ReadAccessGroup, R::AccessGroup(_))
            | (
                ObjectCheck::ChangeAccessGroup(Change::Create | Change::Edit),
                R::AccessGroupDraft(_),
            )
            | (ObjectCheck::ChangeAccessGroup(Change::Delete), R::AccessGroup(_)) => true,
            (ObjectCheck::Tag(_), R::Tag(_)) => true,
            (ObjectCheck::Asset { required: true, .. } | ObjectCheck::Tag(_), _) => false,
            (_, R::None) => return Ok(false),
            _ => false,
        };
        if applies {
            Ok(true)
        } else {
            Err(self.expected())
        }
    }

    /// What the check expects as its resource, as a denial names it ("needs …").
    pub(crate) fn expected(self) -> &'static str {
        match self {
            ObjectCheck::None => "nothing",
            ObjectCheck::Asset { required: true, .. } => "an asset",
            ObjectCheck::Asset {
                required: false, ..
            } => "an asset or nothing",
            ObjectCheck::ScanTargets => "a target list or nothing",
            ObjectCheck::GroupMembership => "a user group or nothing",
            ObjectCheck::ChangeRole(RoleOperation::Create) => "a role draft or nothing",
            ObjectCheck::ChangeRole(RoleOperation::Edit) => "a role, a role patch or nothing",
            ObjectCheck::AssignRole
            | ObjectCheck::ReadRole
            | ObjectCheck::ChangeRole(RoleOperation::Delete | RoleOperation::Assign) => {
                "a role or nothing"
            }
            ObjectCheck::ReadAccessGroup | ObjectCheck::ChangeAccessGroup(Change::Delete) => {
                "an access group or nothing"
            }
            ObjectCheck::ChangeAccessGroup(Change::Create | Change::Edit) => {
                "an access group draft or nothing"
            }
            ObjectCheck::Tag(_) => "a tag",
        }
    }
}

/// One action: its name, the scopes and permissions it requires, and its object check.
///
/// An action that names no scope is not available to API keys.
///
/// ```
/// use scangate::{Permissions, Scope, ScopeSet};
/// use scangate::policy::{ActionSpec, ObjectCheck};
/// let export = ActionSpec::new("report.export")
///     .with_scopes(ScopeSet::of(&[Scope::ScansRead]))
///     .with_permissions(Permissions::SHARE_OBJECTS);
/// assert_eq!(export.name(), "report.export");
/// assert_eq!(export.object(), ObjectCheck::None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionSpec {
    name: Cow<'static, str>,
    scopes: ScopeSet,
    permissions: Permissions,
    object: ObjectCheck,
}

impl ActionSpec {
    /// An action requiring nothing yet (so: no scope, not available to API keys).
    #[must_use]
    pub fn new(name: impl Into<Cow<'static, str>>) -> ActionSpec {
        ActionSpec {
            name: name.into(),
            scopes: ScopeSet::EMPTY,
            permissions: Permissions::empty(),
            object: ObjectCheck::None,
        }
    }

    const fn builtin(
        name: &'static str,
        scopes: ScopeSet,
        permissions: Permissions,
        object: ObjectCheck,
    ) -> ActionSpec {
        ActionSpec {
            name: Cow::Borrowed(name),
            scopes,
            permissions,
            object,
        }
    }

    /// Requires every scope of `scopes` from API keys.
    #[must_use]
    pub fn with_scopes(mut self, scopes: ScopeSet) -> ActionSpec {
        self.scopes = scopes;
        self
    }

    /// Requires every permission of `permissions` from the subject's role.
    #[must_use]
    pub fn with_permissions(mut self, permissions: Permissions) -> ActionSpec {
        self.permissions = permissions;
        self
    }

    /// Sets the object check.
    #[must_use]
    pub fn with_object(mut self, object: ObjectCheck) -> ActionSpec {
        self.object = object;
        self
    }

    /// The action's name, e.g. `scan.run`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scopes an API key must grant (empty: not available to API keys).
    #[must_use]
    pub fn scopes(&self) -> ScopeSet {
        self.scopes
    }

    /// The permissions the subject's role must hold.
    #[must_use]
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }

    /// The object check.
    #[must_use]
    pub fn object(&self) -> ObjectCheck {
        self.object
    }
}

/// A handle to an action of a policy's catalogue.
///
/// Built-in actions are associated constants; host actions come from
/// [`Policy::action`](crate::Policy::action). A handle that the policy does not know
/// (from another policy) is denied as an unknown action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Action(pub(crate) u16);

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match BUILTIN_ACTIONS.get(usize::from(self.0)) {
            Some(spec) => f.write_str(spec.name()),
            None => write!(f, "action #{}", self.0),
        }
    }
}

/// Generates the [`Action`] constants and [`BUILTIN_ACTIONS`] from one table.
macro_rules! action_table {
    ($( $konst:ident = $name:literal, [$($scope:ident),*], $perms:expr, $object:expr; )*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u16)]
        enum Builtin { $($konst,)* }

        impl Action {
            $(
                #[doc = concat!("`", $name, "`")]
                pub const $konst: Action = Action(Builtin::$konst as u16);
            )*
        }

        /// The built-in catalogue, indexed by [`Action`].
        pub(crate) const BUILTIN_ACTIONS: &[ActionSpec] = &[
            $( ActionSpec::builtin($name, ScopeSet::of(&[$(Scope::$scope),*]), $perms, $object), )*
        ];
    };
}

use AccessPermissions as Access;
use ObjectCheck as O;
use Permissions as P;

const VIEW_ASSET_IF_GIVEN: ObjectCheck = O::Asset {
    permission: Access::CAN_VIEW,
    required: false,
};

action_table! {
    SCAN_READ = "scan.read", [ScansRead], P::empty(), O::None;
    SCAN_MANAGE = "scan.manage", [ScansManage], P::SCAN, O::None;
    SCAN_RUN = "scan.run", [ScansRun, ProjectsRead], P::SCAN, O::ScanTargets;
    SCAN_STOP = "scan.stop", [ScansStop], P::SCAN, O::None;
    SCAN_DELETE = "scan.delete", [ScansDelete], P::PURGE_SCAN_RESULTS, O::None;
    ISSUE_READ = "issue.read", [IssuesRead], P::empty(), VIEW_ASSET_IF_GIVEN;
    ISSUE_MANAGE = "issue.manage", [IssuesManage], P::empty(), VIEW_ASSET_IF_GIVEN;
    PROJECT_READ = "project.read", [ProjectsRead], P::empty(), O::None;
    PROJECT_MANAGE = "project.manage", [ProjectsManage], P::empty(), O::None;
    PROJECT_DELETE = "project.delete", [ProjectsDelete], P::empty(), O::None;
    GROUP_READ = "group.read", [GroupsRead], P::empty(), O::GroupMembership;
    GROUP_MANAGE = "group.manage", [GroupsManage], P::MANAGE_GROUPS, O::None;
    GROUP_DELETE = "group.delete", [GroupsDelete], P::MANAGE_GROUPS, O::None;
    GROUP_ASSIGN_ROLE = "group.assign_role", [GroupsAdmin], P::MANAGE_GROUP_RELATIONSHIPS, O::AssignRole;
    ROLE_READ = "role.read", [RolesRead], P::empty(), O::ReadRole;
    ROLE_CREATE = "role.create", [RolesWrite], P::MANAGE_ROLES, O::ChangeRole(RoleOperation::Create);
    ROLE_EDIT = "role.edit", [RolesWrite], P::MANAGE_ROLES, O::ChangeRole(RoleOperation::Edit);
    ROLE_DELETE = "role.delete", [RolesWrite], P::MANAGE_ROLES, O::ChangeRole(RoleOperation::Delete);
    FILE_READ = "file.read", [FilesRead], P::empty(), O::None;
    FILE_WRITE = "file.write", [FilesWrite], P::empty(), O::None;
    TARGET_VERIFY = "target.verify", [FilesRead], P::empty(), O::None;
    REPEATER_READ = "repeater.read", [RepeatersRead], P::empty(), O::None;
    REPEATER_WRITE = "repeater.write", [RepeatersWrite], P::empty(), O::None;
    REPEATER_CONNECT = "repeater.connect", [Bot], P::empty(), O::None;
    SCRIPT_READ = "script.read", [ScriptsRead], P::empty(), O::None;
    SCRIPT_WRITE = "script.write", [ScriptsWrite], P::empty(), O::None;
    INTEGRATION_REPO_READ = "integration_repo.read", [IntegrationReposRead], P::empty(), O::None;
    SCIM_PROVISION = "scim.provision", [Scim], P::empty(), O::None;
    ORG_READ = "org.read", [OrgRead], P::empty(), O::None;
    ORG_WRITE = "org.write", [OrgWrite], P::empty(), O::None;
    ORG_MEMBERSHIP_READ = "org_membership.read", [OrgMembershipsRead], P::empty(), O::None;
    ORG_MEMBERSHIP_MANAGE = "org_membership.manage", [OrgMembershipsManage], P::empty(), O::None;
    ASSET_VIEW = "asset.view", [], P::empty(), O::Asset { permission: Access::CAN_VIEW, required: true };
    ASSET_SCAN = "asset.scan", [], P::SCAN, O::Asset { permission: Access::CAN_SCAN, required: true };
    ACCESS_GROUP_READ = "access_group.read", [], P::empty(), O::ReadAccessGroup;
    ACCESS_GROUP_CREATE = "access_group.create", [], P::MANAGE_APP, O::ChangeAccessGroup(Change::Create);
    ACCESS_GROUP_EDIT = "access_group.edit", [], P::MANAGE_APP, O::ChangeAccessGroup(Change::Edit);
    ACCESS_GROUP_DELETE = "access_group.delete", [], P::MANAGE_APP, O::ChangeAccessGroup(Change::Delete);
    TAG_EDIT = "tag.edit", [], P::empty(), O::Tag(PermissionAction::CanEdit);
    TAG_USE = "tag.use", [], P::empty(), O::Tag(PermissionAction::CanUse);
    // One action for each role permission no row above uses.
    APP_MANAGE = "app.manage", [], P::MANAGE_APP, O::None;
    IMAGE_MANAGE = "image.manage", [], P::MANAGE_IMAGES, O::None;
    BLACKOUT_WINDOW_MANAGE = "blackout_window.manage", [], P::MANAGE_BLACKOUT_WINDOWS, O::None;
    ATTRIBUTE_SET_MANAGE = "attribute_set.manage", [], P::MANAGE_ATTRIBUTE_SETS, O::None;
    TICKET_CREATE = "ticket.create", [], P::CREATE_TICKETS, O::None;
    ALERT_CREATE = "alert.create", [], P::CREATE_ALERTS, O::None;
    AUDIT_FILE_CREATE = "audit_file.create", [], P::CREATE_AUDIT_FILES, O::None;
    LDAP_ASSET_CREATE = "ldap_asset.create", [], P::CREATE_LDAP_ASSETS, O::None;
    POLICY_CREATE = "policy.create", [], P::CREATE_POLICIES, O::None;
    TICKET_PURGE = "ticket.purge", [], P::PURGE_TICKETS, O::None;
    REPORT_RESULT_PURGE = "report_result.purge", [], P::PURGE_REPORT_RESULTS, O::None;
    AGENT_SCAN_RUN = "agent_scan.run", [], P::AGENTS_SCAN, O::None;
    AGENT_SYNC = "agent.sync", [], P::AGENTS_SYNC, O::None;
    OBJECT_SHARE = "object.share", [], P::SHARE_OBJECTS, O::None;
    FEED_UPDATE = "feed.update", [], P::UPDATE_FEEDS, O::None;
    NESSUS_RESULT_UPLOAD = "nessus_result.upload", [], P::UPLOAD_NESSUS_RESULTS, O::None;
    ORG_LOG_VIEW = "org_log.view", [], P::VIEW_ORG_LOGS, O::None;
    ACCEPT_RISK_RULE_MANAGE = "accept_risk_rule.manage", [], P::MANAGE_ACCEPT_RISK_RULES, O::None;
    RECAST_RISK_RULE_MANAGE = "recast_risk_rule.manage", [], P::MANAGE_RECAST_RISK_RULES, O::None;
    ACR_MANAGE = "acr.manage", [], P::MANAGE_ACR, O::None;
    DOMAIN_INVENTORY_ASSET_VIEW = "domain_inventory_asset.view", [], P::VIEW_DOMAIN_INVENTORY_ASSETS, O::None;
    ATTACK_SURFACE_DOMAIN_MANAGE = "attack_surface_domain.manage", [], P::MANAGE_ATTACK_SURFACE_DOMAINS, O::None;
    VULN_ROUTING_RULE_MANAGE = "vuln_routing_rule.manage", [], P::MANAGE_VULN_ROUTING_RULES, O::None;
    HOST_ASSET_VIEW = "host_asset.view", [], P::VIEW_HOST_ASSETS, O::None;
    RISK_RULE_MANAGE = "risk_rule.manage", [], P::MANAGE_RISK_RULES, O::None;
}

impl Action {
    /// Every built-in action, in catalogue order.
    pub fn builtin() -> impl Iterator<Item = Action> {
        (0..BUILTIN_ACTIONS.len())
            .filter_map(|i| u16::try_from(i).ok())
            .map(Action)
    }

    /// The built-in action of this name.
    ///
    /// ```
    /// use scangate::Action;
    /// assert_eq!(Action::builtin_named("scan.run"), Some(Action::SCAN_RUN));
    /// assert_eq!(Action::builtin_named("scan.launch"), None);
    /// ```
    #[must_use]
    pub fn builtin_named(name: &str) -> Option<Action> {
        Action::builtin().find(|action| {
            action
                .builtin_spec()
                .is_some_and(|spec| spec.name() == name)
        })
    }

    /// The specification of a built-in action (`None` for host actions).
    #[must_use]
    pub fn builtin_spec(self) -> Option<&'static ActionSpec> {
        BUILTIN_ACTIONS.get(usize::from(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = BUILTIN_ACTIONS.iter().map(ActionSpec::name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}
