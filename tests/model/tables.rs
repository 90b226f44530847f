//! The model's own tables, copied by hand from SPEC §2, §3, §5, the seeds and the choices of
//! `docs/semantics.md`. Nothing here is taken from the crate: a wrong row in the crate's
//! tables then shows up as a disagreement instead of being shared by both sides.

use std::collections::BTreeSet;

/// The 30 organization API-key scopes of SPEC §2 (seed 000), spelled exactly.
pub const SCOPES: [&str; 30] = [
    "scans",
    "scans:read",
    "scans:manage",
    "scans:run",
    "scans:stop",
    "scans:delete",
    "issues:read",
    "issues:manage",
    "projects:manage",
    "projects:read",
    "projects:delete",
    "groups:admin",
    "groups:manage",
    "groups:read",
    "groups:delete",
    "roles:read",
    "roles:write",
    "files:read",
    "files:write",
    "integration.repos:read",
    "repeaters:read",
    "repeaters:write",
    "scim",
    "bot",
    "scripts:read",
    "scripts:write",
    "org:read",
    "org:write",
    "org.memberships:manage",
    "org.memberships:read",
];

/// SPEC §2 implication, "and only this": a key holding `held` is granted `required`.
/// Written as string tests rather than a table so that it cannot share a mistake with the
/// crate's `IMPLICATIONS`.
pub fn scope_grants(held: &str, required: &str) -> bool {
    if held == required {
        return true;
    }
    match held {
        // `scans` grants every `scans:*` scope (semantics: the bare resource scope grants
        // every verb of the same resource; `bot` and `scim` are bare but imply nothing).
        "scans" => required.starts_with("scans:"),
        "groups:admin" => matches!(required, "groups:read" | "groups:manage" | "groups:delete"),
        _ => false,
    }
}

/// Whether a key holding `held` is granted every scope of `required`.
pub fn key_grants_all(held: &[String], required: &[&str]) -> bool {
    required
        .iter()
        .all(|r| held.iter().any(|h| scope_grants(h, r)))
}

/// The 30 role permission fields of SPEC §3 in the documented order.
pub const PERMISSION_FIELDS: [&str; 30] = [
    "permManageApp",
    "permManageGroups",
    "permManageRoles",
    "permManageImages",
    "permManageGroupRelationships",
    "permManageBlackoutWindows",
    "permManageAttributeSets",
    "permCreateTickets",
    "permCreateAlerts",
    "permCreateAuditFiles",
    "permCreateLDAPAssets",
    "permCreatePolicies",
    "permPurgeTickets",
    "permPurgeScanResults",
    "permPurgeReportResults",
    "permScan",
    "permAgentsScan",
    "permAgentsSync",
    "permShareObjects",
    "permUpdateFeeds",
    "permUploadNessusResults",
    "permViewOrgLogs",
    "permManageAcceptRiskRules",
    "permManageRecastRiskRules",
    "permManageACR",
    "permViewDomainInventoryAssets",
    "permManageAttackSurfaceDomains",
    "permManageVulnRoutingRules",
    "permViewHostAssets",
    "permManageRiskRules",
];

/// The 29 `"true"`/`"false"` fields (every field but `permScan`).
pub fn flag_fields() -> impl Iterator<Item = &'static str> {
    PERMISSION_FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "permScan")
}

/// `permScan`'s three values, ordered `none < policy < full` (semantics: nested levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scan {
    /// `"none"`.
    None,
    /// `"policy"`.
    Policy,
    /// `"full"`.
    Full,
}

impl Scan {
    /// The wire spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Scan::None => "none",
            Scan::Policy => "policy",
            Scan::Full => "full",
        }
    }
}

/// A role's permissions: the flags it holds (by wire name) and its scan level.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Perms {
    /// Wire names of the `"true"` flags (never `permScan`).
    pub flags: BTreeSet<&'static str>,
    /// `permScan`.
    pub scan: Scan,
}

impl Perms {
    /// Every flag false, `permScan` none.
    pub fn none() -> Perms {
        Perms {
            flags: BTreeSet::new(),
            scan: Scan::None,
        }
    }

    /// The given flags and scan level.
    pub fn of(flags: &[&'static str], scan: Scan) -> Perms {
        Perms {
            flags: flags.iter().copied().collect(),
            scan,
        }
    }

    /// Whether the role holds the field named `field`; `permScan` is held at `policy` and
    /// at `full` (semantics: "may scan").
    pub fn holds(&self, field: &str) -> bool {
        if field == "permScan" {
            self.scan != Scan::None
        } else {
            self.flags.contains(field)
        }
    }

    /// Whether every field of `required` is held.
    pub fn holds_all(&self, required: &[&str]) -> bool {
        required.iter().all(|f| self.holds(f))
    }

    /// Set inclusion (no escalation): every flag of `self` is in `other` and the scan level
    /// is not above `other`'s.
    pub fn within(&self, other: &Perms) -> bool {
        self.flags.is_subset(&other.flags) && self.scan <= other.scan
    }
}

/// One built-in role: id, name and its permissions.
pub struct BuiltinRole {
    /// Role id.
    pub id: u64,
    /// Name.
    pub name: &'static str,
    /// The `"true"` flags as the seed's example response gives them.
    pub flags: &'static [&'static str],
    /// `permScan`.
    pub scan: Scan,
}

/// The 8 built-in roles (SPEC §3): the Administrator from seed 002's example response, the
/// others from seed 001's (fields that seed does not show are false). Re-read from the
/// seeds for this table, not from `src/role/builtin.rs`.
pub const BUILTIN_ROLES: [BuiltinRole; 8] = [
    BuiltinRole {
        id: 0,
        name: "No Role",
        flags: &[],
        scan: Scan::None,
    },
    BuiltinRole {
        id: 1,
        name: "Administrator",
        flags: &[
            "permManageApp",
            "permManageRoles",
            "permCreateAuditFiles",
            "permCreatePolicies",
            "permUpdateFeeds",
            "permViewOrgLogs",
            "permManageAcceptRiskRules",
            "permManageRecastRiskRules",
        ],
        scan: Scan::None,
    },
    BuiltinRole {
        id: 2,
        name: "Security Manager",
        flags: &[
            "permManageGroups",
            "permManageRoles",
            "permManageImages",
            "permManageGroupRelationships",
            "permManageBlackoutWindows",
            "permManageAttributeSets",
            "permCreateTickets",
            "permCreateAlerts",
            "permCreateAuditFiles",
            "permCreateLDAPAssets",
            "permCreatePolicies",
            "permPurgeTickets",
            "permPurgeScanResults",
            "permPurgeReportResults",
            "permAgentsScan",
            "permShareObjects",
            "permUpdateFeeds",
            "permUploadNessusResults",
            "permViewOrgLogs",
            "permManageAcceptRiskRules",
            "permManageRecastRiskRules",
        ],
        scan: Scan::Full,
    },
    BuiltinRole {
        id: 3,
        name: "Security Analyst",
        flags: &[
            "permManageImages",
            "permManageBlackoutWindows",
            "permManageAttributeSets",
            "permCreateTickets",
            "permCreateAlerts",
            "permCreateAuditFiles",
            "permCreateLDAPAssets",
            "permCreatePolicies",
            "permPurgeTickets",
            "permPurgeScanResults",
            "permPurgeReportResults",
            "permAgentsScan",
            "permShareObjects",
            "permUpdateFeeds",
            "permUploadNessusResults",
            "permViewOrgLogs",
            "permManageAcceptRiskRules",
            "permManageRecastRiskRules",
        ],
        scan: Scan::Full,
    },
    BuiltinRole {
        id: 4,
        name: "Vulnerability Analyst",
        flags: &[
            "permCreateTickets",
            "permCreateAlerts",
            "permCreateAuditFiles",
            "permCreateLDAPAssets",
            "permCreatePolicies",
            "permAgentsScan",
            "permShareObjects",
            "permUpdateFeeds",
            "permUploadNessusResults",
            "permViewOrgLogs",
        ],
        scan: Scan::Full,
    },
    BuiltinRole {
        id: 5,
        name: "Executive",
        flags: &["permCreateTickets"],
        scan: Scan::None,
    },
    BuiltinRole {
        id: 6,
        name: "Credential Manager",
        flags: &["permShareObjects"],
        scan: Scan::None,
    },
    BuiltinRole {
        id: 7,
        name: "Auditor",
        flags: &["permViewOrgLogs"],
        scan: Scan::None,
    },
];

/// The Administrator's id (semantics: "organization users" are every other requester).
pub const ADMINISTRATOR: u64 = 1;

/// Roles that can be neither edited nor deleted (SPEC §3): No Role, Administrator,
/// Security Manager.
pub const IMMUTABLE_ROLES: [u64; 3] = [0, 1, 2];

/// `CAN_VIEW` or `CAN_SCAN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessPerm {
    /// `CAN_VIEW`.
    View,
    /// `CAN_SCAN`.
    Scan,
}

/// What an action checks on its object (SPEC §5's last column, with the semantics'
/// choices on which resource kinds apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    /// No object check.
    None,
    /// `CAN_VIEW`/`CAN_SCAN` on an asset; `required`: the asset must be given.
    Asset(AccessPerm, bool),
    /// Every scan target `CAN_SCAN`.
    Targets,
    /// User-group membership (`group.read`).
    Membership,
    /// No escalation when giving a role to a group.
    AssignRole,
    /// Role visibility.
    ReadRole,
    /// Role rules as a dry run.
    CreateRole,
    /// Role rules as a dry run.
    EditRole,
    /// Role rules as a dry run.
    DeleteRole,
    /// Access-group listing visibility.
    ReadAccessGroup,
    /// Access-group limits and codes as a dry run.
    CreateAccessGroup,
    /// Access-group limits and codes as a dry run.
    EditAccessGroup,
    /// Access-group limits and codes as a dry run.
    DeleteAccessGroup,
    /// A v3 permission action (`CanEdit`, `CanUse`) on a tag; the tag is required.
    Tag(&'static str),
}

/// One catalogue row: name, scopes (all of), permissions (all of), object check.
pub struct ActionRow {
    /// Action name.
    pub name: &'static str,
    /// Required scopes; empty: not available to API keys.
    pub scopes: &'static [&'static str],
    /// Required role permissions (wire names).
    pub perms: &'static [&'static str],
    /// Object check.
    pub object: Object,
}

const fn row(
    name: &'static str,
    scopes: &'static [&'static str],
    perms: &'static [&'static str],
    object: Object,
) -> ActionRow {
    ActionRow {
        name,
        scopes,
        perms,
        object,
    }
}

use AccessPerm::{Scan as CanScan, View as CanView};

/// SPEC §5, row by row, then "one action per remaining role permission" with the names
/// `docs/semantics.md` lists. `group.read` requires `groups:read` (which `groups:admin`
/// implies); reading *any* group is the object check's business.
pub const ACTIONS: [ActionRow; 65] = [
    row("scan.read", &["scans:read"], &[], Object::None),
    row(
        "scan.manage",
        &["scans:manage"],
        &["permScan"],
        Object::None,
    ),
    row(
        "scan.run",
        &["scans:run", "projects:read"],
        &["permScan"],
        Object::Targets,
    ),
    row("scan.stop", &["scans:stop"], &["permScan"], Object::None),
    row(
        "scan.delete",
        &["scans:delete"],
        &["permPurgeScanResults"],
        Object::None,
    ),
    row(
        "issue.read",
        &["issues:read"],
        &[],
        Object::Asset(CanView, false),
    ),
    row(
        "issue.manage",
        &["issues:manage"],
        &[],
        Object::Asset(CanView, false),
    ),
    row("project.read", &["projects:read"], &[], Object::None),
    row("project.manage", &["projects:manage"], &[], Object::None),
    row("project.delete", &["projects:delete"], &[], Object::None),
    row("group.read", &["groups:read"], &[], Object::Membership),
    row(
        "group.manage",
        &["groups:manage"],
        &["permManageGroups"],
        Object::None,
    ),
    row(
        "group.delete",
        &["groups:delete"],
        &["permManageGroups"],
        Object::None,
    ),
    row(
        "group.assign_role",
        &["groups:admin"],
        &["permManageGroupRelationships"],
        Object::AssignRole,
    ),
    row("role.read", &["roles:read"], &[], Object::ReadRole),
    row(
        "role.create",
        &["roles:write"],
        &["permManageRoles"],
        Object::CreateRole,
    ),
    row(
        "role.edit",
        &["roles:write"],
        &["permManageRoles"],
        Object::EditRole,
    ),
    row(
        "role.delete",
        &["roles:write"],
        &["permManageRoles"],
        Object::DeleteRole,
    ),
    row("file.read", &["files:read"], &[], Object::None),
    row("file.write", &["files:write"], &[], Object::None),
    row("target.verify", &["files:read"], &[], Object::None),
    row("repeater.read", &["repeaters:read"], &[], Object::None),
    row("repeater.write", &["repeaters:write"], &[], Object::None),
    row("repeater.connect", &["bot"], &[], Object::None),
    row("script.read", &["scripts:read"], &[], Object::None),
    row("script.write", &["scripts:write"], &[], Object::None),
    row(
        "integration_repo.read",
        &["integration.repos:read"],
        &[],
        Object::None,
    ),
    row("scim.provision", &["scim"], &[], Object::None),
    row("org.read", &["org:read"], &[], Object::None),
    row("org.write", &["org:write"], &[], Object::None),
    row(
        "org_membership.read",
        &["org.memberships:read"],
        &[],
        Object::None,
    ),
    row(
        "org_membership.manage",
        &["org.memberships:manage"],
        &[],
        Object::None,
    ),
    row("asset.view", &[], &[], Object::Asset(CanView, true)),
    row(
        "asset.scan",
        &[],
        &["permScan"],
        Object::Asset(CanScan, true),
    ),
    row("access_group.read", &[], &[], Object::ReadAccessGroup),
    row(
        "access_group.create",
        &[],
        &["permManageApp"],
        Object::CreateAccessGroup,
    ),
    row(
        "access_group.edit",
        &[],
        &["permManageApp"],
        Object::EditAccessGroup,
    ),
    row(
        "access_group.delete",
        &[],
        &["permManageApp"],
        Object::DeleteAccessGroup,
    ),
    // The v3 tag actions (`docs/semantics.md`, "Layer 3 v3: permissions and tags"): no
    // scope (not for API keys), no role permission; a permission must grant `CanEdit` /
    // `CanUse` on the tag.
    row("tag.edit", &[], &[], Object::Tag("CanEdit")),
    row("tag.use", &[], &[], Object::Tag("CanUse")),
    // One action per remaining role permission (every field but the five used above:
    // permManageGroups, permManageRoles, permManageGroupRelationships,
    // permPurgeScanResults, permScan; permManageApp also gets `app.manage`).
    row("app.manage", &[], &["permManageApp"], Object::None),
    row("image.manage", &[], &["permManageImages"], Object::None),
    row(
        "blackout_window.manage",
        &[],
        &["permManageBlackoutWindows"],
        Object::None,
    ),
    row(
        "attribute_set.manage",
        &[],
        &["permManageAttributeSets"],
        Object::None,
    ),
    row("ticket.create", &[], &["permCreateTickets"], Object::None),
    row("alert.create", &[], &["permCreateAlerts"], Object::None),
    row(
        "audit_file.create",
        &[],
        &["permCreateAuditFiles"],
        Object::None,
    ),
    row(
        "ldap_asset.create",
        &[],
        &["permCreateLDAPAssets"],
        Object::None,
    ),
    row("policy.create", &[], &["permCreatePolicies"], Object::None),
    row("ticket.purge", &[], &["permPurgeTickets"], Object::None),
    row(
        "report_result.purge",
        &[],
        &["permPurgeReportResults"],
        Object::None,
    ),
    row("agent_scan.run", &[], &["permAgentsScan"], Object::None),
    row("agent.sync", &[], &["permAgentsSync"], Object::None),
    row("object.share", &[], &["permShareObjects"], Object::None),
    row("feed.update", &[], &["permUpdateFeeds"], Object::None),
    row(
        "nessus_result.upload",
        &[],
        &["permUploadNessusResults"],
        Object::None,
    ),
    row("org_log.view", &[], &["permViewOrgLogs"], Object::None),
    row(
        "accept_risk_rule.manage",
        &[],
        &["permManageAcceptRiskRules"],
        Object::None,
    ),
    row(
        "recast_risk_rule.manage",
        &[],
        &["permManageRecastRiskRules"],
        Object::None,
    ),
    row("acr.manage", &[], &["permManageACR"], Object::None),
    row(
        "domain_inventory_asset.view",
        &[],
        &["permViewDomainInventoryAssets"],
        Object::None,
    ),
    row(
        "attack_surface_domain.manage",
        &[],
        &["permManageAttackSurfaceDomains"],
        Object::None,
    ),
    row(
        "vuln_routing_rule.manage",
        &[],
        &["permManageVulnRoutingRules"],
        Object::None,
    ),
    row(
        "host_asset.view",
        &[],
        &["permViewHostAssets"],
        Object::None,
    ),
    row(
        "risk_rule.manage",
        &[],
        &["permManageRiskRules"],
        Object::None,
    ),
];

/// The catalogue row named `name`.
pub fn action(name: &str) -> Option<&'static ActionRow> {
    ACTIONS.iter().find(|a| a.name == name)
}
