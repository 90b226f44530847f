//! Tenable Security Center role JSON: lenient reading, strict writing.
//!
//! Reading accepts what real servers and clients send: `"true"`/`"false"` strings or JSON
//! booleans, ids and times as digit strings or numbers, missing permission fields (false, or
//! `none` for `permScan`: the older API has only 23 of them), and unknown `perm*` fields,
//! which grant nothing and are reported in [`RoleRead`]. A bad value (`"yes"`) is an
//! error. Writing always uses Tenable's spelling: strings for every id, time and flag.

use super::visibility::RoleFieldSet;
use super::{
    OrganizationCount, Role, RoleCreator, RoleDraft, RoleId, RolePatch, RoleView, parse_digits,
};
use crate::json::Strict;
use crate::role::permission::{PERMISSION_FIELDS, PermissionField, Permissions, WireValue};
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Role JSON that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoleJsonError {
    /// Not JSON at all.
    #[error("invalid role JSON: {0}")]
    Syntax(String),
    /// JSON, but not an object.
    #[error("a role must be a JSON object")]
    NotAnObject,
    /// A required field is absent.
    #[error("role JSON is missing `{0}`")]
    Missing(&'static str),
    /// A field holds a value of the wrong kind or spelling.
    #[error("role field `{field}` has invalid value `{value}`; expected {expected}")]
    BadValue {
        /// The field's wire name.
        field: String,
        /// The value as written (cut to 64 characters).
        value: String,
        /// What the field accepts.
        expected: &'static str,
    },
}

/// A role read from JSON, with what the reader noticed but did not fail on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRead<T = Role> {
    /// What was read.
    pub value: T,
    /// `perm*` fields this crate does not know: ignored, so they grant nothing.
    pub unknown_permissions: Vec<String>,
}

fn bad(field: &str, value: &Value, expected: &'static str) -> RoleJsonError {
    RoleJsonError::BadValue {
        field: field.to_owned(),
        value: crate::text::echo(&value.to_string()),
        expected,
    }
}

/// Everything a role object may hold, each field optional.
#[derive(Default)]
struct Fields {
    id: Option<RoleId>,
    name: Option<String>,
    description: Option<String>,
    mask: Permissions,
    values: Permissions,
    creator: Option<RoleCreator>,
    creator_id: Option<String>,
    created_time: Option<u64>,
    modified_time: Option<u64>,
    organization_counts: Option<Vec<OrganizationCount>>,
    unknown_permissions: Vec<String>,
}

const DIGITS: &str = "a string of digits";
const TEXT: &str = "a string";

/// A string field; `null` counts as absent.
fn text(map: &Map<String, Value>, field: &str) -> Result<Option<String>, RoleJsonError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(bad(field, other, TEXT)),
    }
}

/// A digit string or a non-negative integer; `null` counts as absent.
fn digits(map: &Map<String, Value>, field: &str) -> Result<Option<u64>, RoleJsonError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::String(text)) => parse_digits(text)
            .map(Some)
            .ok_or_else(|| bad(field, value, DIGITS)),
        Some(value @ Value::Number(number)) => number
            .as_u64()
            .map(Some)
            .ok_or_else(|| bad(field, value, DIGITS)),
        Some(other) => Err(bad(field, other, DIGITS)),
    }
}

/// An id kept as text (`creatorID`, `creator.id`): a string or an integer.
fn id_text(map: &Map<String, Value>, field: &str) -> Result<Option<String>, RoleJsonError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(value @ Value::Number(number)) => number
            .as_i64()
            .map(|n| Some(n.to_string()))
            .ok_or_else(|| bad(field, value, DIGITS)),
        Some(other) => Err(bad(field, other, DIGITS)),
    }
}

fn read_creator(value: &Value) -> Result<RoleCreator, RoleJsonError> {
    let map = value
        .as_object()
        .ok_or_else(|| bad("creator", value, "an object"))?;
    Ok(RoleCreator {
        id: id_text(map, "id")?.unwrap_or_default(),
        username: text(map, "username")?.unwrap_or_default(),
        firstname: text(map, "firstname")?.unwrap_or_default(),
        lastname: text(map, "lastname")?.unwrap_or_default(),
        uuid: text(map, "uuid")?,
    })
}

fn read_counts(value: &Value) -> Result<Vec<OrganizationCount>, RoleJsonError> {
    let items = value
        .as_array()
        .ok_or_else(|| bad("organizationCounts", value, "an array"))?;
    items
        .iter()
        .map(|item| {
            let map = item
                .as_object()
                .ok_or_else(|| bad("organizationCounts", item, "an array of objects"))?;
            Ok(OrganizationCount {
                id: digits(map, "id")?.ok_or(RoleJsonError::Missing("organizationCounts.id"))?,
                user_count: digits(map, "userCount")?
                    .ok_or(RoleJsonError::Missing("organizationCounts.userCount"))?,
            })
        })
        .collect()
}

fn read_permission(field: &PermissionField, value: &Value) -> Result<Permissions, RoleJsonError> {
    let wire = match value {
        Value::String(text) => WireValue::Text(text),
        Value::Bool(flag) => WireValue::Bool(*flag),
        _ => return Err(bad(field.wire, value, field.expected())),
    };
    field
        .parse_value(wire)
        .ok_or_else(|| bad(field.wire, value, field.expected()))
}

fn read_fields(value: &Value) -> Result<Fields, RoleJsonError> {
    let map = value.as_object().ok_or(RoleJsonError::NotAnObject)?;
    let mut fields = Fields {
        id: digits(map, "id")?.map(RoleId::new),
        name: text(map, "name")?,
        description: text(map, "description")?,
        creator_id: id_text(map, "creatorID")?,
        created_time: digits(map, "createdTime")?,
        modified_time: digits(map, "modifiedTime")?,
        ..Fields::default()
    };
    if let Some(creator) = map.get("creator").filter(|v| !v.is_null()) {
        fields.creator = Some(read_creator(creator)?);
    }
    if let Some(counts) = map.get("organizationCounts").filter(|v| !v.is_null()) {
        fields.organization_counts = Some(read_counts(counts)?);
    }
    for (key, value) in map {
        match PermissionField::by_wire(key) {
            Some(field) => {
                fields.mask |= field.mask();
                fields.values |= read_permission(field, value)?;
            }
            None if key.starts_with("perm") => {
                fields.unknown_permissions.push(crate::text::echo(key))
            }
            None => {}
        }
    }
    Ok(fields)
}

fn parse_value(text: &str) -> Result<Value, RoleJsonError> {
    crate::json::from_str(text)
        .map_err(|error| RoleJsonError::Syntax(crate::text::json_error(&error)))
}

impl Role {
    /// Reads one role object as `GET /role/{id}` (inside `response`) returns it.
    ///
    /// Only `id` is required; absent fields read as empty, false or `none`, so a projected
    /// response (`?fields=id,name`) reads as a role holding no permissions. Other fields than
    /// the documented ones are ignored.
    ///
    /// # Errors
    ///
    /// [`RoleJsonError`] for invalid JSON, a missing `id`, or a bad value.
    ///
    /// ```
    /// use scangate::{Permissions, Role};
    /// let read = Role::from_json(r#"{"id": "9", "name": "Ops", "permScan": "policy",
    ///                                "permCreateTickets": true, "permFuture": "true"}"#).unwrap();
    /// assert_eq!(read.value.permissions(), Permissions::SCAN | Permissions::CREATE_TICKETS);
    /// assert_eq!(read.unknown_permissions, ["permFuture"]);
    /// assert!(Role::from_json(r#"{"id": "9", "permScan": "yes"}"#).is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<RoleRead, RoleJsonError> {
        Role::from_json_value(&parse_value(text)?)
    }

    /// Reads one role from a parsed JSON value; see [`Role::from_json`].
    ///
    /// # Errors
    ///
    /// As [`Role::from_json`].
    pub fn from_json_value(value: &Value) -> Result<RoleRead, RoleJsonError> {
        let fields = read_fields(value)?;
        let id = fields.id.ok_or(RoleJsonError::Missing("id"))?;
        let role = Role {
            id,
            name: fields.name.unwrap_or_default(),
            description: fields.description.unwrap_or_default(),
            permissions: fields.values,
            creator: fields.creator,
            creator_id: fields.creator_id,
            created_time: fields.created_time,
            modified_time: fields.modified_time,
            organization_counts: fields.organization_counts,
        };
        Ok(RoleRead {
            value: role,
            unknown_permissions: fields.unknown_permissions,
        })
    }

    /// The role as Tenable writes it.
    ///
    /// ```
    /// use scangate::{Role, RoleId};
    /// let json = Role::builtin(RoleId::AUDITOR).unwrap().to_json_value();
    /// assert_eq!(json["permViewOrgLogs"], "true");
    /// assert_eq!(json["permScan"], "none");
    /// ```
    #[must_use]
    pub fn to_json_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl RoleDraft {
    /// Reads a `POST /role` body: `name` required, `description` defaulting to `""`, every
    /// permission defaulting to false/none.
    ///
    /// # Errors
    ///
    /// [`RoleJsonError`] for invalid JSON, a missing `name`, or a bad value.
    ///
    /// ```
    /// use scangate::Permissions;
    /// use scangate::role::RoleDraft;
    /// let draft = RoleDraft::from_json(r#"{"name": "Example", "permShareObjects": "true"}"#).unwrap();
    /// assert_eq!(draft.value.permissions, Permissions::SHARE_OBJECTS);
    /// ```
    pub fn from_json(text: &str) -> Result<RoleRead<RoleDraft>, RoleJsonError> {
        let fields = read_fields(&parse_value(text)?)?;
        let draft = RoleDraft {
            name: fields.name.ok_or(RoleJsonError::Missing("name"))?,
            description: fields.description.unwrap_or_default(),
            permissions: fields.values,
        };
        Ok(RoleRead {
            value: draft,
            unknown_permissions: fields.unknown_permissions,
        })
    }
}

impl RolePatch {
    /// Reads a `PATCH /role/{id}` body: every field optional; only those present change.
    ///
    /// # Errors
    ///
    /// [`RoleJsonError`] for invalid JSON or a bad value.
    ///
    /// ```
    /// use scangate::role::RolePatch;
    /// let patch = RolePatch::from_json(r#"{"name": "Updated Role"}"#).unwrap().value;
    /// assert_eq!(patch, RolePatch::new().rename("Updated Role"));
    /// ```
    pub fn from_json(text: &str) -> Result<RoleRead<RolePatch>, RoleJsonError> {
        let fields = read_fields(&parse_value(text)?)?;
        let patch = RolePatch {
            name: fields.name,
            description: fields.description,
            mask: fields.mask,
            values: fields.values,
        };
        Ok(RoleRead {
            value: patch,
            unknown_permissions: fields.unknown_permissions,
        })
    }
}

/// Writes the chosen fields of `role` in the order of Tenable's example responses
/// (`docs/semantics.md`, "Layer 2", "Writing role JSON").
fn write_role<M: SerializeMap>(
    map: &mut M,
    role: &Role,
    fields: RoleFieldSet,
    with_creator_id: bool,
) -> Result<(), M::Error> {
    map.serialize_entry("id", &role.id.to_string())?;
    if with_creator_id {
        if let Some(creator_id) = &role.creator_id {
            map.serialize_entry("creatorID", creator_id)?;
        }
    }
    if fields.has_name() {
        map.serialize_entry("name", &role.name)?;
    }
    if fields.has_description() {
        map.serialize_entry("description", &role.description)?;
    }
    if let Some(time) = role.created_time.filter(|_| fields.has_created_time()) {
        map.serialize_entry("createdTime", &time.to_string())?;
    }
    if let Some(time) = role.modified_time.filter(|_| fields.has_modified_time()) {
        map.serialize_entry("modifiedTime", &time.to_string())?;
    }
    for index in fields.permission_fields() {
        let field = PERMISSION_FIELDS
            .get(index)
            .ok_or_else(|| M::Error::custom("permission index"))?;
        map.serialize_entry(field.wire, field.wire_value(role.permissions))?;
    }
    if let Some(counts) = role
        .organization_counts
        .as_ref()
        .filter(|_| fields.has_organization_counts())
    {
        map.serialize_entry("organizationCounts", &CountsWire(counts))?;
    }
    if let Some(creator) = role.creator.as_ref().filter(|_| fields.has_creator()) {
        map.serialize_entry("creator", &CreatorWire(creator))?;
    }
    Ok(())
}

struct CountsWire<'a>(&'a [OrganizationCount]);

impl Serialize for CountsWire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|count| {
            let mut object = Map::new();
            object.insert("id".to_owned(), Value::String(count.id.to_string()));
            object.insert(
                "userCount".to_owned(),
                Value::String(count.user_count.to_string()),
            );
            object
        }))
    }
}

struct CreatorWire<'a>(&'a RoleCreator);

impl Serialize for CreatorWire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let creator = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &creator.id)?;
        map.serialize_entry("username", &creator.username)?;
        map.serialize_entry("firstname", &creator.firstname)?;
        map.serialize_entry("lastname", &creator.lastname)?;
        if let Some(uuid) = &creator.uuid {
            map.serialize_entry("uuid", uuid)?;
        }
        map.end()
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_role(&mut map, self, RoleFieldSet::ALL, true)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        Role::from_json_value(&value)
            .map(|read| read.value)
            .map_err(serde::de::Error::custom)
    }
}

/// The JSON object `GET /role` returns for this role to this requester.
impl Serialize for RoleView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_role(&mut map, self.role(), self.shown(), false)?;
        map.end()
    }
}

/// A `POST /role` body: name, description and every permission field except
/// `permManageApp` (which no request may set).
impl Serialize for RoleDraft {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("description", &self.description)?;
        for field in PERMISSION_FIELDS
            .iter()
            .filter(|f| f.flag != Permissions::MANAGE_APP || self.permissions.contains(f.flag))
        {
            map.serialize_entry(field.wire, field.wire_value(self.permissions))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RoleDraft {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        RoleDraft::from_json(&value.to_string())
            .map(|read| read.value)
            .map_err(serde::de::Error::custom)
    }
}

/// A `PATCH /role/{id}` body: only the fields the patch changes.
impl Serialize for RolePatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        for field in PERMISSION_FIELDS
            .iter()
            .filter(|field| self.mask.intersects(field.mask()))
        {
            map.serialize_entry(field.wire, field.wire_value(self.values))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RolePatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        RolePatch::from_json(&value.to_string())
            .map(|read| read.value)
            .map_err(serde::de::Error::custom)
    }
}

/// Written as Tenable writes ids: a string of digits.
impl Serialize for RoleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read from a string of digits or a non-negative integer (`"roleID": 2` in user requests).
impl<'de> Deserialize<'de> for RoleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let mut map = Map::new();
        map.insert("id".to_owned(), value);
        digits(&map, "id")
            .map_err(serde::de::Error::custom)?
            .map(RoleId::new)
            .ok_or_else(|| serde::de::Error::custom("a role id cannot be null"))
    }
}
