//! Layer 2: Tenable Security Center role permissions as one bitset (`docs/semantics.md`, "Layer 2").
//!
//! The `permission_table!` invocation below is the single source of truth for the 30
//! permission fields: their order (the order Tenable documents them in), their bit, their wire name
//! and their kind. Flags, serde field names and explanations all come from it.

use crate::role::RoleError;
use std::fmt;
use std::str::FromStr;

/// Generates [`Permissions`] and [`PERMISSION_FIELDS`] from one table.
macro_rules! permission_table {
    ($( $flag:ident = $bit:literal => $wire:literal, $kind:ident, $doc:literal; )*) => {
        bitflags::bitflags! {
            /// A role's permissions: the 30 `perm*` fields of a Tenable Security Center role
            /// as one bitset, so checking a requirement is one AND and one compare.
            ///
            /// `permScan` is three-valued on the wire (`none`, `policy`, `full`). It is two
            /// nested flags here: [`Permissions::SCAN`] is held at `policy` and at `full`;
            /// [`Permissions::SCAN_FULL`] (which includes `SCAN`) only at `full`. So
            /// `none ⊂ policy ⊂ full` is plain set inclusion, and "may scan" is `SCAN`.
            ///
            /// ```
            /// use scangate::Permissions;
            ///
            /// let analyst = Permissions::SCAN_FULL | Permissions::CREATE_TICKETS;
            /// assert!(analyst.contains(Permissions::SCAN));
            /// assert!(!analyst.contains(Permissions::MANAGE_ROLES));
            /// assert_eq!(analyst.scan_level(), scangate::role::ScanLevel::Full);
            /// ```
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub struct Permissions: u64 {
                $(
                    #[doc = concat!("`", $wire, "`: ", $doc)]
                    const $flag = 1 << $bit;
                )*
                /// `permScan` is `full` (not merely `policy`). Includes [`Permissions::SCAN`].
                const SCAN_FULL = Self::SCAN.bits() | FULL_SCAN_BIT;
            }
        }

        /// The 30 permission fields in the order Tenable documents them in
        /// (`docs/semantics.md`, "Layer 2", "Permissions").
        pub(crate) const PERMISSION_FIELDS: &[PermissionField] = &[
            $( PermissionField { flag: Permissions::$flag, wire: $wire, kind: FieldKind::$kind }, )*
        ];
    };
}

/// The bit that, with [`Permissions::SCAN`], makes `permScan` `full`.
const FULL_SCAN_BIT: u64 = 1 << 32;

permission_table! {
    MANAGE_APP = 0 => "permManageApp", Flag, "manage the application (the Administrator role only; no role can be created or edited to hold it).";
    MANAGE_GROUPS = 1 => "permManageGroups", Flag, "create and manage user groups.";
    MANAGE_ROLES = 2 => "permManageRoles", Flag, "create, edit, delete and view the details of roles.";
    MANAGE_IMAGES = 3 => "permManageImages", Flag, "manage images.";
    MANAGE_GROUP_RELATIONSHIPS = 4 => "permManageGroupRelationships", Flag, "manage relationships between groups (assign roles to groups).";
    MANAGE_BLACKOUT_WINDOWS = 5 => "permManageBlackoutWindows", Flag, "manage scan blackout windows.";
    MANAGE_ATTRIBUTE_SETS = 6 => "permManageAttributeSets", Flag, "manage attribute sets.";
    CREATE_TICKETS = 7 => "permCreateTickets", Flag, "create tickets.";
    CREATE_ALERTS = 8 => "permCreateAlerts", Flag, "create alerts.";
    CREATE_AUDIT_FILES = 9 => "permCreateAuditFiles", Flag, "create audit files.";
    CREATE_LDAP_ASSETS = 10 => "permCreateLDAPAssets", Flag, "create LDAP assets.";
    CREATE_POLICIES = 11 => "permCreatePolicies", Flag, "create scan policies.";
    PURGE_TICKETS = 12 => "permPurgeTickets", Flag, "purge tickets.";
    PURGE_SCAN_RESULTS = 13 => "permPurgeScanResults", Flag, "purge scan results.";
    PURGE_REPORT_RESULTS = 14 => "permPurgeReportResults", Flag, "purge report results.";
    SCAN = 15 => "permScan", Scan, "scan, at `policy` or `full` level.";
    AGENTS_SCAN = 16 => "permAgentsScan", Flag, "run agent scans.";
    AGENTS_SYNC = 17 => "permAgentsSync", Flag, "synchronize agents.";
    SHARE_OBJECTS = 18 => "permShareObjects", Flag, "share objects with other users.";
    UPDATE_FEEDS = 19 => "permUpdateFeeds", Flag, "update plugin feeds.";
    UPLOAD_NESSUS_RESULTS = 20 => "permUploadNessusResults", Flag, "upload Nessus scan results.";
    VIEW_ORG_LOGS = 21 => "permViewOrgLogs", Flag, "view organization logs.";
    MANAGE_ACCEPT_RISK_RULES = 22 => "permManageAcceptRiskRules", Flag, "manage accept-risk rules.";
    MANAGE_RECAST_RISK_RULES = 23 => "permManageRecastRiskRules", Flag, "manage recast-risk rules.";
    MANAGE_ACR = 24 => "permManageACR", Flag, "manage asset criticality ratings.";
    VIEW_DOMAIN_INVENTORY_ASSETS = 25 => "permViewDomainInventoryAssets", Flag, "view domain inventory assets.";
    MANAGE_ATTACK_SURFACE_DOMAINS = 26 => "permManageAttackSurfaceDomains", Flag, "manage attack surface domains.";
    MANAGE_VULN_ROUTING_RULES = 27 => "permManageVulnRoutingRules", Flag, "manage vulnerability routing rules.";
    VIEW_HOST_ASSETS = 28 => "permViewHostAssets", Flag, "view host assets.";
    MANAGE_RISK_RULES = 29 => "permManageRiskRules", Flag, "manage risk rules.";
}

/// How a permission field is spelled on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// `"true"` / `"false"`.
    Flag,
    /// `"full"` / `"policy"` / `"none"` (`permScan` only).
    Scan,
}

/// One row of the permission table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PermissionField {
    /// The flag (for `permScan`, [`Permissions::SCAN`]).
    pub(crate) flag: Permissions,
    /// The wire name, e.g. `permScan`.
    pub(crate) wire: &'static str,
    /// How its value is spelled.
    pub(crate) kind: FieldKind,
}

impl PermissionField {
    /// Every bit this field controls (for `permScan`, both scan bits).
    pub(crate) fn mask(&self) -> Permissions {
        match self.kind {
            FieldKind::Flag => self.flag,
            FieldKind::Scan => Permissions::SCAN_FULL,
        }
    }

    #[cfg(feature = "serde")]
    /// The wire value of this field in `permissions`.
    pub(crate) fn wire_value(&self, permissions: Permissions) -> &'static str {
        match self.kind {
            FieldKind::Flag if permissions.contains(self.flag) => "true",
            FieldKind::Flag => "false",
            FieldKind::Scan => permissions.scan_level().as_str(),
        }
    }

    #[cfg(feature = "serde")]
    /// Parses this field's wire value into the bits it sets, or `None` if the value is not
    /// one of the field's spellings. JSON booleans are accepted for flags.
    pub(crate) fn parse_value(&self, value: WireValue<'_>) -> Option<Permissions> {
        match (self.kind, value) {
            (FieldKind::Flag, WireValue::Bool(true) | WireValue::Text("true")) => Some(self.flag),
            (FieldKind::Flag, WireValue::Bool(false) | WireValue::Text("false")) => {
                Some(Permissions::empty())
            }
            (FieldKind::Scan, WireValue::Text(text)) => {
                ScanLevel::parse(text).map(ScanLevel::permissions)
            }
            _ => None,
        }
    }

    #[cfg(feature = "serde")]
    /// The spellings this field accepts, for error messages.
    pub(crate) fn expected(&self) -> &'static str {
        match self.kind {
            FieldKind::Flag => "`\"true\"` or `\"false\"`",
            FieldKind::Scan => "`\"full\"`, `\"policy\"` or `\"none\"`",
        }
    }

    /// Looks a field up by wire name.
    pub(crate) fn by_wire(name: &str) -> Option<&'static PermissionField> {
        PERMISSION_FIELDS.iter().find(|field| field.wire == name)
    }
}

/// A permission value as it appears in JSON, before parsing.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug)]
pub(crate) enum WireValue<'a> {
    /// A JSON string.
    Text(&'a str),
    /// A JSON boolean (accepted when reading, never written).
    Bool(bool),
}

/// The three values of `permScan`.
///
/// ```
/// use scangate::Permissions;
/// use scangate::role::ScanLevel;
/// assert_eq!(ScanLevel::Policy.permissions(), Permissions::SCAN);
/// assert_eq!(ScanLevel::parse("full"), Some(ScanLevel::Full));
/// assert_eq!(ScanLevel::parse("Full"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ScanLevel {
    /// `"none"`: may not scan.
    #[default]
    None,
    /// `"policy"`: may scan (sent by real servers; in none of Tenable's example responses:
    /// `docs/semantics.md`, "Layer 2", "Permissions").
    Policy,
    /// `"full"`: may scan, with full access.
    Full,
}

impl ScanLevel {
    /// The wire spelling.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ScanLevel::None => "none",
            ScanLevel::Policy => "policy",
            ScanLevel::Full => "full",
        }
    }

    /// Parses the exact wire spelling (lowercase).
    #[must_use]
    pub fn parse(text: &str) -> Option<ScanLevel> {
        match text {
            "none" => Some(ScanLevel::None),
            "policy" => Some(ScanLevel::Policy),
            "full" => Some(ScanLevel::Full),
            _ => None,
        }
    }

    /// The permission bits this level holds.
    #[must_use]
    pub const fn permissions(self) -> Permissions {
        match self {
            ScanLevel::None => Permissions::empty(),
            ScanLevel::Policy => Permissions::SCAN,
            ScanLevel::Full => Permissions::SCAN_FULL,
        }
    }
}

impl fmt::Display for ScanLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Permissions {
    /// The `permScan` level these permissions hold. A stray full-scan bit without
    /// [`Permissions::SCAN`] counts as `none`: stray bits never grant.
    #[must_use]
    pub const fn scan_level(self) -> ScanLevel {
        if self.contains(Permissions::SCAN_FULL) {
            ScanLevel::Full
        } else if self.contains(Permissions::SCAN) {
            ScanLevel::Policy
        } else {
            ScanLevel::None
        }
    }

    /// These permissions without a stray full-scan bit (one set without
    /// [`Permissions::SCAN`]). No wire value spells a stray bit, so roles, drafts and
    /// patches drop it: what a role holds is what its JSON says, and the no-escalation
    /// rule never counts a bit that grants nothing.
    #[must_use]
    pub(crate) const fn canonical(self) -> Permissions {
        if self.contains(Permissions::SCAN) {
            self
        } else {
            Permissions::from_bits_retain(self.bits() & !FULL_SCAN_BIT)
        }
    }

    /// Whether these permissions hold every permission of `required`: one AND, one compare.
    #[inline]
    #[must_use]
    pub const fn grants_all(self, required: Permissions) -> bool {
        self.bits() & required.bits() == required.bits()
    }

    /// The wire names of the fields set in `self`, in the documented order; `permScan` is
    /// written with its level (`permScan=full`).
    ///
    /// ```
    /// use scangate::Permissions;
    /// let p = Permissions::MANAGE_ROLES | Permissions::SCAN;
    /// assert_eq!(p.field_names().collect::<Vec<_>>(), ["permManageRoles", "permScan=policy"]);
    /// ```
    ///
    /// `permScan` is named whenever any scan bit is set: as `permScan=full` when the full
    /// bit is (so that an escalation from `policy` to `full`, whose excess is the full bit
    /// alone, is named), else as `permScan=policy`.
    pub fn field_names(self) -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
        PERMISSION_FIELDS
            .iter()
            .filter(move |field| self.intersects(field.mask()))
            .map(move |field| match field.kind {
                FieldKind::Flag => std::borrow::Cow::Borrowed(field.wire),
                FieldKind::Scan if self.bits() & FULL_SCAN_BIT != 0 => {
                    std::borrow::Cow::Owned(format!("{}=full", field.wire))
                }
                FieldKind::Scan => std::borrow::Cow::Owned(format!("{}=policy", field.wire)),
            })
    }

    /// The field names of `self` read as a requirement: like
    /// [`Permissions::field_names`], except that "may scan" ([`Permissions::SCAN`]) is
    /// named plainly `permScan`, and only a full-scan requirement says `permScan=full`.
    ///
    /// ```
    /// use scangate::Permissions;
    /// let required = Permissions::SCAN | Permissions::CREATE_TICKETS;
    /// assert_eq!(required.requirement_names().collect::<Vec<_>>(), ["permCreateTickets", "permScan"]);
    /// ```
    pub fn requirement_names(self) -> impl Iterator<Item = std::borrow::Cow<'static, str>> {
        PERMISSION_FIELDS
            .iter()
            .filter(move |field| self.intersects(field.mask()))
            .map(move |field| match field.kind {
                FieldKind::Scan if self.bits() & FULL_SCAN_BIT == 0 => {
                    std::borrow::Cow::Borrowed(field.wire)
                }
                _ => self
                    .intersection(field.mask())
                    .field_names()
                    .next()
                    .unwrap_or(std::borrow::Cow::Borrowed(field.wire)),
            })
    }

    /// The permissions named by these wire names, together: each name read as `parse`
    /// reads one (the `FromStr` impl; duplicates are allowed). It reads back what
    /// [`Permissions::field_names`] and [`Permissions::requirement_names`] write.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownPermission`] for the first name that is not a permission's.
    ///
    /// ```
    /// use scangate::{Permissions, RoleError};
    /// let stored = ["permScan", "permManageRoles"];
    /// assert_eq!(Permissions::from_field_names(stored)?, Permissions::SCAN | Permissions::MANAGE_ROLES);
    /// let p = Permissions::SCAN_FULL | Permissions::CREATE_TICKETS;
    /// assert_eq!(Permissions::from_field_names(p.field_names())?, p);
    /// assert!(Permissions::from_field_names(["permScan", "permFly"]).is_err());
    /// # Ok::<(), RoleError>(())
    /// ```
    pub fn from_field_names<I, S>(names: I) -> Result<Permissions, RoleError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        names
            .into_iter()
            .try_fold(Permissions::empty(), |permissions, name| {
                Ok(permissions | name.as_ref().parse::<Permissions>()?)
            })
    }

    /// The permissions as a comma-separated list of field names, `(none)` when empty.
    ///
    /// ```
    /// use scangate::Permissions;
    /// assert_eq!(Permissions::empty().describe(), "(none)");
    /// assert_eq!(Permissions::SCAN_FULL.describe(), "permScan=full");
    /// ```
    #[must_use]
    pub fn describe(self) -> String {
        let names: Vec<_> = self.field_names().collect();
        if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// One permission from its wire name, as hosts store it: a field of the permission table
/// (`permCreateTickets`; `permScan` is "may scan", [`Permissions::SCAN`]), or `permScan`
/// with a level as [`Permissions::field_names`] writes it (`permScan=full`,
/// `permScan=policy`, `permScan=none`). Names are case-sensitive and exact.
///
/// ```
/// use scangate::{Permissions, RoleError};
/// assert_eq!("permCreateTickets".parse::<Permissions>()?, Permissions::CREATE_TICKETS);
/// assert_eq!("permScan=full".parse::<Permissions>()?, Permissions::SCAN_FULL);
/// assert_eq!(
///     "permcreatetickets".parse::<Permissions>(),
///     Err(RoleError::UnknownPermission("permcreatetickets".to_owned()))
/// );
/// # Ok::<(), RoleError>(())
/// ```
impl FromStr for Permissions {
    type Err = RoleError;

    fn from_str(name: &str) -> Result<Permissions, RoleError> {
        let (wire, level) = match name.split_once('=') {
            Some((wire, level)) => (wire, Some(level)),
            None => (name, None),
        };
        PermissionField::by_wire(wire)
            .and_then(|field| match (field.kind, level) {
                (_, None) => Some(field.flag),
                (FieldKind::Scan, Some(level)) => {
                    ScanLevel::parse(level).map(ScanLevel::permissions)
                }
                (FieldKind::Flag, Some(_)) => None,
            })
            .ok_or_else(|| RoleError::UnknownPermission(crate::text::echo(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_fields_with_distinct_bits_in_documented_order() {
        assert_eq!(PERMISSION_FIELDS.len(), 30);
        let union = PERMISSION_FIELDS
            .iter()
            .fold(Permissions::empty(), |acc, f| {
                assert!(!acc.intersects(f.flag), "{} reuses a bit", f.wire);
                acc | f.flag
            });
        assert_eq!(union | Permissions::SCAN_FULL, Permissions::all());
    }

    #[test]
    fn every_field_of_the_table_reads_back_from_its_wire_name() {
        for field in PERMISSION_FIELDS {
            assert_eq!(
                field.wire.parse::<Permissions>(),
                Ok(field.flag),
                "{}",
                field.wire
            );
        }
    }

    #[test]
    fn stray_full_bit_does_not_scan() {
        let stray = Permissions::from_bits_retain(FULL_SCAN_BIT);
        assert_eq!(stray.scan_level(), ScanLevel::None);
        assert!(!stray.grants_all(Permissions::SCAN));
    }
}
