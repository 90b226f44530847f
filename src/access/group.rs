//! Access groups.

use core::fmt;
use core::str::FromStr;

use super::principal::{AccessPermissions, Principal};
use super::rule::Rule;

/// The type of an access group (`access_group_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessGroupType {
    /// `MANAGE_ASSETS`: principals can view the matching asset records and scan the
    /// targets associated with them.
    ManageAssets,
    /// `SCAN_TARGETS`: principals can scan the matching targets and view those scans'
    /// results. A rule only matches a target written in its format.
    ScanTargets,
    /// `ALL`: only the system "All Assets" group.
    All,
}

impl AccessGroupType {
    /// Every type.
    pub const ALL_TYPES: [AccessGroupType; 3] = [
        AccessGroupType::ManageAssets,
        AccessGroupType::ScanTargets,
        AccessGroupType::All,
    ];

    /// The wire name (`MANAGE_ASSETS`, `SCAN_TARGETS`, `ALL`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            AccessGroupType::ManageAssets => "MANAGE_ASSETS",
            AccessGroupType::ScanTargets => "SCAN_TARGETS",
            AccessGroupType::All => "ALL",
        }
    }
}

impl fmt::Display for AccessGroupType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An access group type name that is not `MANAGE_ASSETS`, `SCAN_TARGETS` or `ALL`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown access group type `{0}` (expected `MANAGE_ASSETS`, `SCAN_TARGETS` or `ALL`)")]
pub struct UnknownAccessGroupType(pub String);

impl FromStr for AccessGroupType {
    type Err = UnknownAccessGroupType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccessGroupType::ALL_TYPES
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownAccessGroupType(crate::text::echo(s)))
    }
}

/// Server metadata of an access group (`created_at`, `version`, `status`,
/// `container_uuid`, …): every JSON field the model does not interpret, kept as read so
/// that writing the group gives it back. Never used to decide anything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    #[cfg(feature = "serde")]
    pub(crate) fields: serde_json::Map<String, serde_json::Value>,
}

impl Metadata {
    /// The value of field `key`, if the server sent it.
    #[cfg(feature = "serde")]
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.fields.get(key)
    }

    /// All fields.
    #[cfg(feature = "serde")]
    #[must_use]
    pub fn fields(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.fields
    }

    /// Whether there is no metadata.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        #[cfg(feature = "serde")]
        {
            self.fields.is_empty()
        }
        #[cfg(not(feature = "serde"))]
        {
            true
        }
    }
}

/// Why a user holds a permission on an access group's objects: the deciding fact, for
/// explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant<'a> {
    /// The All Assets group lists no principals: by default every user can view and scan.
    AllAssetsDefault,
    /// `all_users: true`: every user can view (principals are ignored).
    AllUsers,
    /// This principal (at this index of `principals`) names the user and grants the
    /// permission.
    Principal {
        /// Position in the group's principals.
        index: usize,
        /// The principal.
        principal: &'a Principal,
    },
}

/// A Tenable VM access group: `{id, name, access_group_type, all_assets, all_users,
/// principals, rules}` plus server [`Metadata`].
///
/// Building a group (or reading one from JSON) accepts it as it is, with typed rules;
/// the create/edit limits are checked by [`AccessGroup::validate`] and by
/// [`AccessGroups`](crate::access::AccessGroups).
///
/// # Examples
///
/// ```
/// use scangate::AccessGroup;
/// use scangate::access::{AccessGroupType, AccessPermissions, Principal, Rule};
/// let g = AccessGroup::new("Web servers", AccessGroupType::ManageAssets)
///     .with_id("g1")
///     .with_rule(Rule::parse("fqdn", "ends", [".web.example.com"])?)
///     .with_principal(Principal::user("alice", AccessPermissions::all()));
/// assert!(g.grant("alice", &[] as &[&str], AccessPermissions::CAN_SCAN).is_some());
/// assert!(g.grant("bob", &[] as &[&str], AccessPermissions::CAN_VIEW).is_none());
/// # Ok::<(), scangate::access::RuleError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AccessGroup {
    pub(crate) id: Option<Box<str>>,
    pub(crate) name: String,
    pub(crate) group_type: AccessGroupType,
    pub(crate) all_assets: bool,
    pub(crate) all_users: bool,
    pub(crate) principals: Option<Vec<Principal>>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) metadata: Metadata,
}

impl AccessGroup {
    /// A group with no id, no rules, no principals (listed as `[]`), `all_assets` and
    /// `all_users` false.
    #[must_use]
    pub fn new(name: &str, group_type: AccessGroupType) -> AccessGroup {
        AccessGroup {
            id: None,
            name: name.to_owned(),
            group_type,
            all_assets: false,
            all_users: false,
            principals: Some(Vec::new()),
            rules: Vec::new(),
            metadata: Metadata::default(),
        }
    }

    /// The system "All Assets" group as servers return it: type `ALL`, `all_assets:
    /// true`, no rules and no principals listed (so every user can view and scan).
    #[must_use]
    pub fn all_assets_group(id: &str) -> AccessGroup {
        AccessGroup {
            id: Some(id.into()),
            all_assets: true,
            principals: None,
            ..AccessGroup::new("All Assets", AccessGroupType::All)
        }
    }

    /// Returns the group with `id` set.
    #[must_use]
    pub fn with_id(mut self, id: &str) -> AccessGroup {
        self.id = Some(id.into());
        self
    }

    /// Returns the group renamed.
    #[must_use]
    pub fn with_name(mut self, name: &str) -> AccessGroup {
        name.clone_into(&mut self.name);
        self
    }

    /// Returns the group with `rule` appended.
    #[must_use]
    pub fn with_rule(mut self, rule: Rule) -> AccessGroup {
        self.rules.push(rule);
        self
    }

    /// Returns the group with its rules replaced.
    #[must_use]
    pub fn with_rules(mut self, rules: Vec<Rule>) -> AccessGroup {
        self.rules = rules;
        self
    }

    /// Returns the group with `principal` appended (listing principals if they were not).
    #[must_use]
    pub fn with_principal(mut self, principal: Principal) -> AccessGroup {
        self.principals.get_or_insert_with(Vec::new).push(principal);
        self
    }

    /// Returns the group with its principals replaced; `None` means "not listed" (as in
    /// the list endpoint, and the All Assets group's default).
    #[must_use]
    pub fn with_principals(mut self, principals: Option<Vec<Principal>>) -> AccessGroup {
        self.principals = principals;
        self
    }

    /// Returns the group with `all_users` set.
    #[must_use]
    pub fn with_all_users(mut self, all_users: bool) -> AccessGroup {
        self.all_users = all_users;
        self
    }

    /// Returns the group with `all_assets` set.
    #[must_use]
    pub fn with_all_assets(mut self, all_assets: bool) -> AccessGroup {
        self.all_assets = all_assets;
        self
    }

    /// Returns the group with its type set.
    #[must_use]
    pub fn with_type(mut self, group_type: AccessGroupType) -> AccessGroup {
        self.group_type = group_type;
        self
    }

    /// The id, if any (create request bodies have none).
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The name, as given (groups read from a server may hold any characters).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type.
    #[must_use]
    pub fn group_type(&self) -> AccessGroupType {
        self.group_type
    }

    /// `all_assets`: the group contains every asset (it is the All Assets group).
    #[must_use]
    pub fn all_assets(&self) -> bool {
        self.all_assets
    }

    /// `all_users`: every user can view; principals are ignored.
    #[must_use]
    pub fn all_users(&self) -> bool {
        self.all_users
    }

    /// The principals (empty when not listed).
    #[must_use]
    pub fn principals(&self) -> &[Principal] {
        self.principals.as_deref().unwrap_or(&[])
    }

    /// Whether the principals were listed (`principals` present in the JSON).
    #[must_use]
    pub fn principals_listed(&self) -> bool {
        self.principals.is_some()
    }

    /// The rules, in order.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The server metadata.
    #[must_use]
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Which fact of this group grants user `user` (a member of the user groups
    /// `user_groups`) every permission in `permission`, or `None`. Checked in this
    /// order, first answer wins:
    ///
    /// 1. the All Assets group with no principals listed: every user, view and scan;
    /// 2. `all_users: true`: every user, `CAN_VIEW` only (principals ignored);
    /// 3. the first principal, in list order, that names the user (by user id, by one
    ///    of their group ids, or everyone: `all_users` type or a `group` with the nil
    ///    UUID) and holds all of `permission` (`[]` grants nothing).
    ///
    /// An empty `permission` is never granted. Permissions of several principals are not
    /// combined here: ask one permission at a time, or use
    /// [`AccessGroup::permissions_for`].
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::AccessGroup;
    /// use scangate::access::{AccessGroupType, AccessPermissions, Grant, Principal};
    /// let g = AccessGroup::new("g", AccessGroupType::ManageAssets)
    ///     .with_principal(Principal::all_users(AccessPermissions::empty()))
    ///     .with_principal(Principal::group("ops", AccessPermissions::CAN_SCAN));
    /// let grant = g.grant("alice", &["ops"], AccessPermissions::CAN_SCAN);
    /// assert!(matches!(grant, Some(Grant::Principal { index: 1, .. })));
    /// assert_eq!(g.grant("alice", &["ops"], AccessPermissions::CAN_VIEW), None);
    /// ```
    #[must_use]
    pub fn grant<S: AsRef<str>>(
        &self,
        user: &str,
        user_groups: &[S],
        permission: AccessPermissions,
    ) -> Option<Grant<'_>> {
        if permission.is_empty() {
            return None;
        }
        if self.all_assets && self.principals.is_none() {
            return Some(Grant::AllAssetsDefault);
        }
        if self.all_users {
            return AccessPermissions::CAN_VIEW
                .contains(permission)
                .then_some(Grant::AllUsers);
        }
        self.principals()
            .iter()
            .enumerate()
            .find(|(_, p)| p.permissions().contains(permission) && p.applies_to(user, user_groups))
            .map(|(index, principal)| Grant::Principal { index, principal })
    }

    /// Every permission this group gives `user` (union over its principals, with the
    /// same rules as [`AccessGroup::grant`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::AccessGroup;
    /// use scangate::access::{AccessGroupType, AccessPermissions, Principal};
    /// let g = AccessGroup::new("g", AccessGroupType::ScanTargets)
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW))
    ///     .with_principal(Principal::group("ops", AccessPermissions::CAN_SCAN));
    /// assert_eq!(g.permissions_for("alice", &["ops"]), AccessPermissions::all());
    /// assert_eq!(g.permissions_for("bob", &[] as &[&str]), AccessPermissions::empty());
    /// ```
    #[must_use]
    pub fn permissions_for<S: AsRef<str>>(
        &self,
        user: &str,
        user_groups: &[S],
    ) -> AccessPermissions {
        if self.all_assets && self.principals.is_none() {
            return AccessPermissions::all();
        }
        if self.all_users {
            return AccessPermissions::CAN_VIEW;
        }
        self.principals()
            .iter()
            .filter(|p| p.applies_to(user, user_groups))
            .fold(AccessPermissions::empty(), |acc, p| acc | p.permissions())
    }
}
