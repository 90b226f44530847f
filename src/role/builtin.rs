//! The eight built-in roles: the one table of their ids, names, descriptions, permissions
//! and mutability, exactly as Tenable's documented example responses give them
//! (`docs/semantics.md`, "Layer 2", "Built-in roles"). Permissions those responses do not
//! show are false.

use super::{Role, RoleId};
use crate::role::permission::Permissions as P;

/// One row of the built-in role table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BuiltinRole {
    pub(crate) id: RoleId,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) permissions: P,
    /// Administrator, No Role and Security Manager cannot be edited or deleted
    /// (`docs/semantics.md`, "Layer 2", "Changes").
    pub(crate) immutable: bool,
}

/// The built-in roles, by id.
pub(crate) const BUILTIN_ROLES: [BuiltinRole; 8] = [
    BuiltinRole {
        id: RoleId::NO_ROLE,
        name: "No Role",
        description: "This role is available as a catch-all role if a role gets deleted. It has virtually no permissions.",
        permissions: P::empty(),
        immutable: true,
    },
    BuiltinRole {
        id: RoleId::ADMINISTRATOR,
        name: "Administrator",
        description: "Role defining an administrator of the application",
        permissions: P::MANAGE_APP
            .union(P::MANAGE_ROLES)
            .union(P::CREATE_AUDIT_FILES)
            .union(P::CREATE_POLICIES)
            .union(P::UPDATE_FEEDS)
            .union(P::VIEW_ORG_LOGS)
            .union(P::MANAGE_ACCEPT_RISK_RULES)
            .union(P::MANAGE_RECAST_RISK_RULES),
        immutable: true,
    },
    BuiltinRole {
        id: RoleId::SECURITY_MANAGER,
        name: "Security Manager",
        description: "The Security Manager role has full access to all actions at the organization level. A Security Manager has the ability to create new groups and manage existing ones. A Security Manager can also define how users interact with other groups.\n\nThe ability to manage other users and their objects can be configured using group permissions on the Access tab of User add/edit. This includes viewing and stopping running scans and reports.",
        permissions: SECURITY_ANALYST
            .union(P::MANAGE_GROUPS)
            .union(P::MANAGE_ROLES)
            .union(P::MANAGE_GROUP_RELATIONSHIPS),
        immutable: true,
    },
    BuiltinRole {
        id: RoleId::SECURITY_ANALYST,
        name: "Security Analyst",
        description: "The Security Analyst role has the permission to perform all actions at the organizational level except managing groups and users. A Security Analyst is most likely an advanced user who can be trusted with some system related tasks such as setting blackout windows or updating plugins.",
        permissions: SECURITY_ANALYST,
        immutable: false,
    },
    BuiltinRole {
        id: RoleId::VULNERABILITY_ANALYST,
        name: "Vulnerability Analyst",
        description: "The Vulnerability Analyst role can perform basic tasks within the application. A Vulnerability Analyst is allowed to look at security data, perform scans, share objects, view logs and work with tickets.",
        permissions: P::CREATE_TICKETS
            .union(P::CREATE_ALERTS)
            .union(P::CREATE_AUDIT_FILES)
            .union(P::CREATE_LDAP_ASSETS)
            .union(P::CREATE_POLICIES)
            .union(P::SCAN_FULL)
            .union(P::AGENTS_SCAN)
            .union(P::SHARE_OBJECTS)
            .union(P::UPDATE_FEEDS)
            .union(P::UPLOAD_NESSUS_RESULTS)
            .union(P::VIEW_ORG_LOGS),
        immutable: false,
    },
    BuiltinRole {
        id: RoleId::EXECUTIVE,
        name: "Executive",
        description: "The Executive role is intended for users who are interested in a high level overview of their security posture and risk profile. Executives would most likely be browsing dashboards and reviewing reports but would not be concerned with monitoring running scans or managing users. Executives would also be able to assign tasks to other users using the Ticketing interface.",
        permissions: P::CREATE_TICKETS,
        immutable: false,
    },
    BuiltinRole {
        id: RoleId::CREDENTIAL_MANAGER,
        name: "Credential Manager",
        description: "The Credential Manager role can be used specifically for handling credentials. A Credential Manager can create and share credentials without revealing the contents of the credential. This can be used by someone outside the security team to keep scanning credentials up to date.",
        permissions: P::SHARE_OBJECTS,
        immutable: false,
    },
    BuiltinRole {
        id: RoleId::AUDITOR,
        name: "Auditor",
        description: "The Auditor role can access summary information to perform 3rd party audits. An Auditor can view dashboards, reports, and logs but cannot perform scans or create tickets. Restricting access to vulnerability and event data can be achieved by placing the user in an appropriately configured group.",
        permissions: P::VIEW_ORG_LOGS,
        immutable: false,
    },
];

/// Security Analyst's permissions; Security Manager's are these plus managing groups,
/// roles and group relationships (`docs/semantics.md`, "Layer 2", "Built-in roles").
const SECURITY_ANALYST: P = P::MANAGE_IMAGES
    .union(P::MANAGE_BLACKOUT_WINDOWS)
    .union(P::MANAGE_ATTRIBUTE_SETS)
    .union(P::CREATE_TICKETS)
    .union(P::CREATE_ALERTS)
    .union(P::CREATE_AUDIT_FILES)
    .union(P::CREATE_LDAP_ASSETS)
    .union(P::CREATE_POLICIES)
    .union(P::PURGE_TICKETS)
    .union(P::PURGE_SCAN_RESULTS)
    .union(P::PURGE_REPORT_RESULTS)
    .union(P::SCAN_FULL)
    .union(P::AGENTS_SCAN)
    .union(P::SHARE_OBJECTS)
    .union(P::UPDATE_FEEDS)
    .union(P::UPLOAD_NESSUS_RESULTS)
    .union(P::VIEW_ORG_LOGS)
    .union(P::MANAGE_ACCEPT_RISK_RULES)
    .union(P::MANAGE_RECAST_RISK_RULES);

impl BuiltinRole {
    /// The row for `id`, if `id` is a built-in role.
    pub(crate) fn get(id: RoleId) -> Option<&'static BuiltinRole> {
        BUILTIN_ROLES.iter().find(|role| role.id == id)
    }

    /// The role as a [`Role`] value, with `createdTime`/`modifiedTime` `"0"` as in Tenable's
    /// example responses (`docs/semantics.md`, "Layer 2", "Built-in roles").
    pub(crate) fn to_role(self) -> Role {
        Role::new(self.id, self.name)
            .with_description(self.description)
            .with_permissions(self.permissions)
            .with_times(0, 0)
    }
}
