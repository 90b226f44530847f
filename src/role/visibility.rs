//! What `GET /role` and `GET /role/{id}` return to a requester (`docs/semantics.md`,
//! "Layer 2", "Visibility"):
//!
//! - `id` always comes back; with no `fields`, GET-all returns `id`, `name`, `description`
//!   and GET-one returns every field the requester may see;
//! - the other fields are visible only to the Administrator, to a requester whose role has
//!   `permManageRoles`, and to any requester for their own role; requested fields the
//!   requester may not see are withheld (left out), as in Tenable's documented example with
//!   `permManageRoles` disabled;
//! - organization users (everyone but the Administrator) cannot see the Administrator role.

use super::{Role, RoleError};
use crate::role::permission::{PERMISSION_FIELDS, Permissions};
use std::fmt;

/// The fields that are not permissions, by their bit in [`RoleFieldSet`]; the permission
/// fields follow them, in the order of the permission table, then `organizationCounts`.
const LEADING_FIELDS: [&str; 6] = [
    "id",
    "name",
    "description",
    "creator",
    "createdTime",
    "modifiedTime",
];
const ORGANIZATION_COUNTS: &str = "organizationCounts";
const FIRST_PERMISSION_BIT: usize = LEADING_FIELDS.len();
const ORGANIZATION_COUNTS_BIT: usize = FIRST_PERMISSION_BIT + PERMISSION_FIELDS.len();

/// The wire name of field `bit`, if there is one.
fn field_name(bit: usize) -> Option<&'static str> {
    if let Some(name) = LEADING_FIELDS.get(bit) {
        return Some(name);
    }
    if bit == ORGANIZATION_COUNTS_BIT {
        return Some(ORGANIZATION_COUNTS);
    }
    PERMISSION_FIELDS
        .get(bit.checked_sub(FIRST_PERMISSION_BIT)?)
        .map(|field| field.wire)
}

/// A set of role fields, as the `fields` query parameter names them.
///
/// ```
/// use scangate::role::RoleFieldSet;
/// let fields = RoleFieldSet::parse("name,permScan").unwrap();
/// assert!(fields.contains("id")); // id always comes back
/// assert!(fields.contains("permScan"));
/// assert_eq!(fields.to_string(), "id,name,permScan");
/// assert!(RoleFieldSet::parse("name,secret").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleFieldSet(u64);

impl RoleFieldSet {
    /// No field (what [`RoleView::withheld`] is when nothing was withheld).
    pub const EMPTY: RoleFieldSet = RoleFieldSet(0);
    /// `id` only.
    pub const ID: RoleFieldSet = RoleFieldSet(1);
    /// `id`, `name`, `description`: what GET-all returns without `fields`, and all that a
    /// requester without detail visibility may see.
    pub const BASIC: RoleFieldSet = RoleFieldSet(0b111);
    /// Every allowed field.
    pub const ALL: RoleFieldSet = RoleFieldSet((1 << (ORGANIZATION_COUNTS_BIT + 1)) - 1);

    /// Parses a comma-separated `fields` value. `id` is always included.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownField`] for a name that is not an allowed field (names are
    /// case-sensitive; an empty item is unknown too).
    pub fn parse(text: &str) -> Result<RoleFieldSet, RoleError> {
        let mut set = RoleFieldSet::ID;
        for name in text.split(',') {
            let bit = (0..=ORGANIZATION_COUNTS_BIT)
                .find(|bit| field_name(*bit) == Some(name))
                .ok_or_else(|| RoleError::UnknownField(crate::text::echo(name)))?;
            set.0 |= 1 << bit;
        }
        Ok(set)
    }

    /// Whether the set holds the field of this wire name.
    #[must_use]
    pub fn contains(self, name: &str) -> bool {
        self.names().any(|field| field == name)
    }

    /// The field names in the set, in the documented order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        (0..=ORGANIZATION_COUNTS_BIT)
            .filter(move |bit| self.has_bit(*bit))
            .filter_map(field_name)
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields in both sets.
    #[must_use]
    pub const fn intersection(self, other: RoleFieldSet) -> RoleFieldSet {
        RoleFieldSet(self.0 & other.0)
    }

    /// The fields of `self` not in `other`.
    #[must_use]
    pub const fn difference(self, other: RoleFieldSet) -> RoleFieldSet {
        RoleFieldSet(self.0 & !other.0)
    }

    /// The fields in either set.
    #[must_use]
    pub const fn union(self, other: RoleFieldSet) -> RoleFieldSet {
        RoleFieldSet(self.0 | other.0)
    }

    fn has_bit(self, bit: usize) -> bool {
        self.0 & (1 << bit) != 0
    }

    #[cfg(feature = "serde")]
    pub(crate) fn has_name(self) -> bool {
        self.has_bit(1)
    }
    #[cfg(feature = "serde")]
    pub(crate) fn has_description(self) -> bool {
        self.has_bit(2)
    }
    #[cfg(feature = "serde")]
    pub(crate) fn has_creator(self) -> bool {
        self.has_bit(3)
    }
    #[cfg(feature = "serde")]
    pub(crate) fn has_created_time(self) -> bool {
        self.has_bit(4)
    }
    #[cfg(feature = "serde")]
    pub(crate) fn has_modified_time(self) -> bool {
        self.has_bit(5)
    }
    #[cfg(feature = "serde")]
    pub(crate) fn has_organization_counts(self) -> bool {
        self.has_bit(ORGANIZATION_COUNTS_BIT)
    }
    /// The indexes (in the permission table) of the permission fields in the set.
    #[cfg(feature = "serde")]
    pub(crate) fn permission_fields(self) -> impl Iterator<Item = usize> {
        (0..PERMISSION_FIELDS.len()).filter(move |i| self.has_bit(FIRST_PERMISSION_BIT + i))
    }
}

impl fmt::Display for RoleFieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl fmt::Debug for RoleFieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RoleFieldSet({self})")
    }
}

/// The query parameters of `GET /role` and `GET /role/{id}`.
///
/// ```
/// use scangate::role::RoleQuery;
/// let query = RoleQuery::new().with_fields("name,permScan").unwrap().subset();
/// assert!(query.is_subset());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoleQuery {
    fields: Option<RoleFieldSet>,
    subset: bool,
}

impl RoleQuery {
    /// No `fields`, no `subset`.
    #[must_use]
    pub fn new() -> RoleQuery {
        RoleQuery::default()
    }

    /// Sets `fields` from its comma-separated text.
    ///
    /// # Errors
    ///
    /// [`RoleError::UnknownField`] for a name that is not an allowed field.
    pub fn with_fields(mut self, fields: &str) -> Result<RoleQuery, RoleError> {
        self.fields = Some(RoleFieldSet::parse(fields)?);
        Ok(self)
    }

    /// Sets `fields` from a parsed set.
    #[must_use]
    pub fn with_field_set(mut self, fields: RoleFieldSet) -> RoleQuery {
        self.fields = Some(fields.union(RoleFieldSet::ID));
        self
    }

    /// Sets the `subset` filter of GET-all, read as "only the roles the requester could
    /// assign" (Tenable's documentation says only "Removes subset roles from the return
    /// response"; `docs/semantics.md`, "Layer 2", "Changes").
    #[must_use]
    pub fn subset(mut self) -> RoleQuery {
        self.subset = true;
        self
    }

    /// Whether the `subset` filter is set.
    #[must_use]
    pub fn is_subset(&self) -> bool {
        self.subset
    }

    /// The requested fields, or `default` when none were given.
    pub(crate) fn fields_or(&self, default: RoleFieldSet) -> RoleFieldSet {
        self.fields.unwrap_or(default)
    }
}

/// One role as the API returns it to one requester: the role and the fields shown.
///
/// With the `serde` feature it serializes to exactly the JSON object the API returns.
#[derive(Clone, Copy, Debug)]
pub struct RoleView<'a> {
    role: &'a Role,
    shown: RoleFieldSet,
    withheld: RoleFieldSet,
}

impl<'a> RoleView<'a> {
    /// The role.
    #[must_use]
    pub fn role(&self) -> &'a Role {
        self.role
    }

    /// The fields the response holds.
    #[must_use]
    pub fn shown(&self) -> RoleFieldSet {
        self.shown
    }

    /// Requested fields left out because the requester may not see them.
    #[must_use]
    pub fn withheld(&self) -> RoleFieldSet {
        self.withheld
    }
}

/// Whether `requester` may see the detail fields of `target`.
pub(crate) fn sees_details(requester: &Role, target: &Role) -> bool {
    requester.is_administrator()
        || requester.permissions().contains(Permissions::MANAGE_ROLES)
        || requester.id() == target.id()
}

/// Whether `requester` may see `target` at all.
pub(crate) fn sees_role(requester: &Role, target: &Role) -> bool {
    !target.is_administrator() || requester.is_administrator()
}

/// The view of `target` for `requester` asking for `requested` fields.
pub(crate) fn project<'a>(
    requester: &Role,
    target: &'a Role,
    requested: RoleFieldSet,
) -> Result<RoleView<'a>, RoleError> {
    if !sees_role(requester, target) {
        return Err(RoleError::not_visible(target));
    }
    let requested = requested.union(RoleFieldSet::ID);
    let visible = if sees_details(requester, target) {
        RoleFieldSet::ALL
    } else {
        RoleFieldSet::BASIC
    };
    Ok(RoleView {
        role: target,
        shown: requested.intersection(visible),
        withheld: requested.difference(visible),
    })
}
