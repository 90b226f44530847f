//! Tenable VM v3 JSON (feature `serde`): permissions as `GET
//! /api/v3/access-control/permissions` returns them, tag values as `GET
//! /tags/values/{uuid}` returns them, their filters, and the list and per-user envelopes
//! (`docs/semantics.md`, "Files and requests", v3 `tags` and `permissions`).
//!
//! Every reader goes through the strict JSON reader (a key twice in any object is an
//! error) and then through one function per shape that walks the JSON value, collecting
//! every problem with its path (`actions[1]`, `filters.asset.and[0].value`, …): the
//! policy-file loader reports all of them, a `Deserialize` impl the first. Keys the model
//! does not interpret are kept as [`Metadata`] at the top of a permission or tag value,
//! and refused inside objects, subjects, filters and conditions (there is nowhere to keep
//! them, and dropping one would change what was read).

use serde::de::Error as _;
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::control::UserPermissions;
use super::filter::{
    FilterCondition, FilterError, FilterExpr, MAX_CONDITIONS_PER_FILTER, MAX_FILTER_DEPTH,
    TagFilter,
};
use super::permission::{
    ObjectKind, Permission, PermissionAction, PermissionObject, PermissionSubject, SubjectKind,
};
use super::tag::{TagKind, TagValue};
use super::{AccessControlError, FilterOperator};
use crate::access::{Metadata, Uuid};
use crate::json::Strict;

/// One problem found while reading: where (a path relative to the element read, empty for
/// the element itself) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireProblem {
    /// `actions[1]`, `filters.asset.and[0].value`, or empty.
    pub(crate) path: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl WireProblem {
    /// The problem as one message: `path: message`.
    fn into_message(self) -> String {
        if self.path.is_empty() {
            self.message
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

/// What reading one element found: the element when nothing was wrong, the problems, and
/// notes (what is read and kept but decides nothing: `validate` reports them).
#[derive(Debug)]
pub(crate) struct Read<T> {
    pub(crate) value: Option<T>,
    pub(crate) problems: Vec<WireProblem>,
    pub(crate) notes: Vec<WireProblem>,
}

impl<T> Read<T> {
    /// The element, or the first problem as one message.
    fn into_result(self) -> Result<T, String> {
        match (self.value, self.problems.into_iter().next()) {
            (Some(value), None) => Ok(value),
            (_, Some(problem)) => Err(problem.into_message()),
            // A reader that gives no element reports why; this is never reached.
            (None, None) => Err("could not be read".to_owned()),
        }
    }
}

/// Collects problems while walking a value.
#[derive(Default)]
struct Reader {
    problems: Vec<WireProblem>,
    notes: Vec<WireProblem>,
}

impl Reader {
    fn problem(&mut self, path: &str, message: impl ToString) {
        self.problems.push(WireProblem {
            path: path.to_owned(),
            message: message.to_string(),
        });
    }

    fn note(&mut self, path: &str, message: impl ToString) {
        self.notes.push(WireProblem {
            path: path.to_owned(),
            message: message.to_string(),
        });
    }

    fn finish<T>(self, value: Option<T>) -> Read<T> {
        let value = if self.problems.is_empty() {
            value
        } else {
            None
        };
        Read {
            value,
            problems: self.problems,
            notes: self.notes,
        }
    }

    /// `value` as an object, or a problem.
    fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.problem(path, format_args!("expected {what}, found {}", kind(value)));
        }
        object
    }

    /// The string at `key`: a problem when it is missing (and `required`) or not a string.
    fn string<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
        required: bool,
    ) -> Option<&'v str> {
        match map.get(key) {
            None => {
                if required {
                    self.problem(path, format_args!("missing key `{key}`"));
                }
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format_args!("expected a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// The array at `key` (required), or a problem.
    fn array<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v [Value]> {
        match map.get(key) {
            None => {
                self.problem(path, format_args!("missing key `{key}`"));
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                self.problem(
                    &join(path, key),
                    format_args!("expected an array, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// A problem for every key of `map` not in `known`.
    fn only(&mut self, path: &str, map: &Map<String, Value>, known: &[&str], what: &str) {
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(
                &join(path, key),
                format_args!(
                    "unknown key (a {what} has {})",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

/// `path.key` (or `key` at the top).
fn join(path: &str, key: &str) -> String {
    let key = crate::text::Cut(key);
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `base.path` (or `base` for an empty path): where a problem of an element is in the
/// document that holds it.
pub(crate) fn locate(base: &str, path: &str) -> String {
    if path.is_empty() {
        base.to_owned()
    } else {
        format!("{base}.{path}")
    }
}

/// `path[index]`.
fn at(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A uuid, or a problem at `path`.
fn uuid(r: &mut Reader, path: &str, text: &str) -> Option<Uuid> {
    match text.parse() {
        Ok(uuid) => Some(uuid),
        Err(_) => {
            r.problem(path, AccessControlError::BadUuid(crate::text::echo(text)));
            None
        }
    }
}

/// The keys of `map` not in `known`, kept as read.
fn metadata(map: &Map<String, Value>, known: &[&str]) -> Metadata {
    Metadata {
        fields: map
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

// --- permissions -------------------------------------------------------------------------

const PERMISSION_KEYS: &[&str] = &["permission_uuid", "name", "subjects", "actions", "objects"];
const OBJECT_KEYS: &[&str] = &["type", "uuid", "name"];

/// Reads a permission object: every problem, with its path.
pub(crate) fn read_permission(value: &Value) -> Read<Permission> {
    let mut r = Reader::default();
    let Some(map) = r.object("", value, "a permission object") else {
        return r.finish(None);
    };
    let id = r
        .string("", map, "permission_uuid", true)
        .and_then(|text| uuid(&mut r, "permission_uuid", text));
    let name = r.string("", map, "name", true);
    let subjects = r.array("", map, "subjects").map(|items| {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_subject(&mut r, &at("subjects", i), v))
            .collect::<Vec<_>>()
    });
    let actions = r.array("", map, "actions").map(|items| {
        let mut actions = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            let path = at("actions", i);
            let Some(text) = v.as_str() else {
                r.problem(&path, format_args!("expected a string, found {}", kind(v)));
                continue;
            };
            match text.parse::<PermissionAction>() {
                Ok(action) => {
                    if !action.grants() {
                        r.note(
                            &path,
                            format_args!(
                                "permission action `{action}` is read and kept, but grants nothing here"
                            ),
                        );
                    }
                    actions.push(action);
                }
                Err(error) => r.problem(&path, error),
            }
        }
        actions
    });
    let objects = r.array("", map, "objects").map(|items| {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_object(&mut r, &at("objects", i), v))
            .collect::<Vec<_>>()
    });
    let built = match (id, name, subjects, actions, objects) {
        (Some(id), Some(name), Some(subjects), Some(actions), Some(objects)) => {
            let mut p = Permission::new(id, name).with_actions(actions);
            for o in objects {
                p = p.with_object(o);
            }
            for s in subjects {
                p = p.with_subject(s);
            }
            p.metadata = metadata(map, PERMISSION_KEYS);
            Some(p)
        }
        _ => None,
    };
    r.finish(built)
}

/// The `type`, `uuid` and `name` of an object or subject.
fn parts<'v>(
    r: &mut Reader,
    path: &str,
    value: &'v Value,
    what: &str,
) -> Option<(Option<&'v str>, Option<&'v str>, Option<&'v str>)> {
    let map = r.object(path, value, &format!("a {what} object"))?;
    r.only(path, map, OBJECT_KEYS, what);
    let before = r.problems.len();
    let kind = r.string(path, map, "type", true);
    let id = r.string(path, map, "uuid", false);
    let name = r.string(path, map, "name", false);
    (r.problems.len() == before).then_some((kind, id, name))
}

fn read_object(r: &mut Reader, path: &str, value: &Value) -> Option<PermissionObject> {
    let (kind, id, name) = parts(r, path, value, "permission object")?;
    let kind = match kind?.parse::<ObjectKind>() {
        Ok(kind) => kind,
        Err(error) => {
            r.problem(&join(path, "type"), error);
            return None;
        }
    };
    let id = match id {
        Some(text) => Some(uuid(r, &join(path, "uuid"), text)?),
        None => None,
    };
    PermissionObject::new(kind, id, name)
        .map_err(|error| r.problem(path, error))
        .ok()
}

fn read_subject(r: &mut Reader, path: &str, value: &Value) -> Option<PermissionSubject> {
    let (kind, id, name) = parts(r, path, value, "permission subject")?;
    let kind = match kind?.parse::<SubjectKind>() {
        Ok(kind) => kind,
        Err(error) => {
            r.problem(&join(path, "type"), error);
            return None;
        }
    };
    PermissionSubject::new(kind, id, name)
        .map_err(|error| {
            let at = match error {
                AccessControlError::BadUuid(_) => join(path, "uuid"),
                _ => path.to_owned(),
            };
            r.problem(&at, error);
        })
        .ok()
}

/// Reads a permission (`GET /api/v3/access-control/permissions/{uuid}`, an entry of the
/// list): `permission_uuid`, `name`, `subjects`, `actions`, `objects` are required; every
/// other key is kept as [`Metadata`]. An unknown action, object or subject type, a bad
/// uuid, or an unknown key inside an object or subject is an error naming where it is.
///
/// # Examples
///
/// ```
/// use scangate::tags::{Permission, PermissionAction};
/// let p: Permission = serde_json::from_str(r#"{
///     "permission_uuid": "b930505e-bf64-4621-a8bd-6c5eb9c5e628", "name": "All Assets [CanScan]",
///     "subjects": [{"type": "AllUsers"}], "actions": ["CanScan"], "objects": [{"type": "AllAssets"}],
///     "created_at": 1648130642138}"#)?;
/// assert!(p.grants(PermissionAction::CanScan));
/// assert_eq!(p.metadata().get("created_at"), Some(&serde_json::json!(1648130642138u64)));
/// let bad = serde_json::from_str::<Permission>(r#"{"permission_uuid": "b930505e-bf64-4621-a8bd-6c5eb9c5e628",
///     "name": "x", "subjects": [], "actions": ["CanView", "CanFly"], "objects": []}"#).unwrap_err();
/// assert!(bad.to_string().starts_with("actions[1]: unknown permission action `CanFly`"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        read_permission(&value)
            .into_result()
            .map_err(D::Error::custom)
    }
}

/// Writes the server's order: `permission_uuid`, `name`, `subjects`, `actions`,
/// `objects`, then the metadata.
impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = &self.metadata().fields;
        let mut map = s.serialize_map(Some(5 + fields.len()))?;
        map.serialize_entry("permission_uuid", &self.uuid().to_string())?;
        map.serialize_entry("name", self.name())?;
        map.serialize_entry("subjects", self.subjects())?;
        map.serialize_entry("actions", self.actions())?;
        map.serialize_entry("objects", self.objects())?;
        for (k, v) in fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Reads `{type, uuid?, name?}`; any other key is an error.
impl<'de> Deserialize<'de> for PermissionObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let mut r = Reader::default();
        let object = read_object(&mut r, "", &value);
        r.finish(object).into_result().map_err(D::Error::custom)
    }
}

/// Writes `{type, uuid, name}`, leaving out the absent keys.
impl Serialize for PermissionObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let uuid = self.uuid().map(|u| u.to_string());
        write_parts(s, self.kind().as_str(), uuid.as_deref(), self.name())
    }
}

/// Reads `{type, uuid?, name?}`; any other key is an error.
impl<'de> Deserialize<'de> for PermissionSubject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let mut r = Reader::default();
        let subject = read_subject(&mut r, "", &value);
        r.finish(subject).into_result().map_err(D::Error::custom)
    }
}

/// Writes `{type, uuid, name}`, leaving out the absent keys (the uuid as written).
impl Serialize for PermissionSubject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        write_parts(s, self.kind().as_str(), self.uuid(), self.name())
    }
}

fn write_parts<S: Serializer>(
    s: S,
    kind: &str,
    uuid: Option<&str>,
    name: Option<&str>,
) -> Result<S::Ok, S::Error> {
    let len = 1 + usize::from(uuid.is_some()) + usize::from(name.is_some());
    let mut map = s.serialize_map(Some(len))?;
    map.serialize_entry("type", kind)?;
    if let Some(uuid) = uuid {
        map.serialize_entry("uuid", uuid)?;
    }
    if let Some(name) = name {
        map.serialize_entry("name", name)?;
    }
    map.end()
}

macro_rules! wire_name_serde {
    ($($ty:ty),+) => {$(
        /// The wire name, as a string.
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// From the wire name.
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(D::Error::custom)
            }
        }
    )+};
}

wire_name_serde!(PermissionAction, ObjectKind, SubjectKind, FilterOperator);

impl Serialize for TagKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TagKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        tag_kind(&text).ok_or_else(|| D::Error::custom(unknown_tag_kind(&text)))
    }
}

fn tag_kind(text: &str) -> Option<TagKind> {
    [TagKind::Static, TagKind::Dynamic]
        .into_iter()
        .find(|k| k.as_str() == text)
}

fn unknown_tag_kind(text: &str) -> String {
    format!(
        "unknown tag type `{}`: expected `static` or `dynamic`",
        crate::text::Cut(text)
    )
}

// --- filters -----------------------------------------------------------------------------

const CONDITION_KEYS: &[&str] = &["field", "operator", "value"];
const FILTERS_KEYS: &[&str] = &["asset"];

/// Reads a filter `{"and"|"or": [...]}` at `path`.
fn read_filter(r: &mut Reader, path: &str, value: &Value) -> Option<TagFilter> {
    let before = r.problems.len();
    let mut count = 0;
    let expr = read_expr(r, path, value, 0, &mut count)?;
    if let FilterExpr::Condition(_) = expr {
        r.problem(path, "the top level of a filter must be `and` or `or`");
        return None;
    }
    if r.problems.len() != before {
        return None;
    }
    // The walk checked depth, emptiness and the count; building checks them again.
    TagFilter::new(expr)
        .map_err(|error| r.problem(path, error))
        .ok()
}

/// One level of a filter: `{"and"|"or": [...]}` or a condition. Stops at
/// [`MAX_FILTER_DEPTH`] levels and after [`MAX_CONDITIONS_PER_FILTER`] conditions, so that
/// a hostile filter costs no more than one within the limits.
fn read_expr(
    r: &mut Reader,
    path: &str,
    value: &Value,
    depth: usize,
    count: &mut usize,
) -> Option<FilterExpr> {
    let map = r.object(
        path,
        value,
        "`{\"and\"|\"or\": [...]}` or a condition `{field, operator, value}`",
    )?;
    let group = ["and", "or"].into_iter().find(|k| map.contains_key(*k));
    let Some(keyword) = group else {
        return read_condition(r, path, map, count).map(FilterExpr::Condition);
    };
    if map.len() != 1 {
        let keys: Vec<String> = map
            .keys()
            .map(|k| format!("`{}`", crate::text::Cut(k)))
            .collect();
        r.problem(
            path,
            format_args!(
                "a filter level has one key, `and` or `or` (found {})",
                keys.join(", ")
            ),
        );
        return None;
    }
    let inner = join(path, keyword);
    if depth >= MAX_FILTER_DEPTH {
        r.problem(
            &inner,
            FilterError::TooDeep {
                max: MAX_FILTER_DEPTH,
            },
        );
        return None;
    }
    let items = r.array(path, map, keyword)?;
    if items.is_empty() {
        r.problem(&inner, FilterError::Empty(keyword_static(keyword)));
        return None;
    }
    let mut members = Vec::with_capacity(items.len().min(MAX_CONDITIONS_PER_FILTER));
    let mut complete = true;
    for (i, item) in items.iter().enumerate() {
        if *count > MAX_CONDITIONS_PER_FILTER {
            return None;
        }
        match read_expr(r, &at(&inner, i), item, depth + 1, count) {
            Some(member) => members.push(member),
            None => complete = false,
        }
    }
    if !complete {
        return None;
    }
    Some(if keyword == "and" {
        FilterExpr::And(members)
    } else {
        FilterExpr::Or(members)
    })
}

fn keyword_static(keyword: &str) -> &'static str {
    if keyword == "and" { "and" } else { "or" }
}

/// A condition `{field, operator, value}`; its value must be a string (a comma-separated
/// list), and any other key is an error.
fn read_condition(
    r: &mut Reader,
    path: &str,
    map: &Map<String, Value>,
    count: &mut usize,
) -> Option<FilterCondition> {
    *count += 1;
    if *count > MAX_CONDITIONS_PER_FILTER {
        r.problem(
            path,
            FilterError::TooManyConditions {
                count: *count,
                max: MAX_CONDITIONS_PER_FILTER,
            },
        );
        return None;
    }
    let before = r.problems.len();
    r.only(path, map, CONDITION_KEYS, "filter condition");
    let field = r.string(path, map, "field", true);
    let operator = r.string(path, map, "operator", true);
    let value = r.string(path, map, "value", true);
    if r.problems.len() != before {
        return None;
    }
    let (field, operator, value) = (field?, operator?, value?);
    FilterCondition::parse(field, operator, value)
        .map_err(|error| {
            let key = match error {
                FilterError::UnknownField(_) => "field",
                FilterError::UnknownOperator(_) | FilterError::OperatorNotAllowed { .. } => {
                    "operator"
                }
                _ => "value",
            };
            r.problem(&join(path, key), error);
        })
        .ok()
}

/// `filters`: `{"asset": <filter>}`, the filter a JSON string (as servers return it) or an
/// object (as requests send it).
fn read_filters(r: &mut Reader, path: &str, value: &Value) -> Option<TagFilter> {
    let map = r.object(path, value, "`{\"asset\": <filter>}`")?;
    let before = r.problems.len();
    r.only(path, map, FILTERS_KEYS, "`filters` object");
    let asset_path = join(path, "asset");
    let filter = match map.get("asset") {
        None => {
            r.problem(path, "missing key `asset`");
            None
        }
        Some(Value::String(text)) => match crate::json::from_str(text) {
            // serde_json's recursion limit (128) stops a deeply nested string with an
            // error before any walk over it.
            Ok(parsed) => read_filter(r, &asset_path, &parsed),
            Err(error) => {
                r.problem(
                    &asset_path,
                    format_args!(
                        "the filter string is not JSON: {}",
                        crate::text::json_error(&error)
                    ),
                );
                None
            }
        },
        Some(object @ Value::Object(_)) => read_filter(r, &asset_path, object),
        Some(other) => {
            r.problem(
                &asset_path,
                format_args!(
                    "expected a filter (a JSON string or an object), found {}",
                    kind(other)
                ),
            );
            None
        }
    };
    if r.problems.len() != before {
        return None;
    }
    filter
}

/// Reads `{"and"|"or": [...]}` (one key per level; conditions `{field, operator, value}`
/// with a string value), within the limits.
///
/// # Examples
///
/// ```
/// use scangate::tags::TagFilter;
/// let f: TagFilter = serde_json::from_str(r#"{"or": [{"field": "ipv4", "operator": "eq", "value": "10.0.0.0/8"},
///     {"and": [{"field": "fqdn", "operator": "match", "value": "db"}]}]}"#)?;
/// assert_eq!(f.condition_count(), 2);
/// let e = serde_json::from_str::<TagFilter>(r#"{"and": [{"field": "ipv4", "operator": "eq", "value": 7}]}"#).unwrap_err();
/// assert!(e.to_string().starts_with("and[0].value: expected a string"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for TagFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let mut r = Reader::default();
        let filter = read_filter(&mut r, "", &value);
        r.finish(filter).into_result().map_err(D::Error::custom)
    }
}

/// Writes the expression (`{"and"|"or": [...]}`).
impl Serialize for TagFilter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.expr().serialize(s)
    }
}

/// Writes `{"and": [...]}`, `{"or": [...]}` or a condition.
impl Serialize for FilterExpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FilterExpr::And(members) | FilterExpr::Or(members) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(self.keyword(), members)?;
                map.end()
            }
            FilterExpr::Condition(c) => c.serialize(s),
        }
    }
}

/// Reads `{field, operator, value}` (value a string); any other key is an error.
impl<'de> Deserialize<'de> for FilterCondition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let mut r = Reader::default();
        let condition = r
            .object("", &value, "a condition `{field, operator, value}`")
            .and_then(|map| read_condition(&mut r, "", map, &mut 0));
        r.finish(condition).into_result().map_err(D::Error::custom)
    }
}

/// Writes `{field, operator, value}`, the value as written, as the server does.
impl Serialize for FilterCondition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("field", &self.field().to_string())?;
        map.serialize_entry("operator", self.operator().as_str())?;
        map.serialize_entry("value", self.value())?;
        map.end()
    }
}

// --- tag values --------------------------------------------------------------------------

const TAG_KEYS: &[&str] = &["uuid", "category_name", "value", "type", "filters"];

/// Reads a tag value object: every problem, with its path.
pub(crate) fn read_tag(value: &Value) -> Read<TagValue> {
    let mut r = Reader::default();
    let Some(map) = r.object("", value, "a tag value object") else {
        return r.finish(None);
    };
    let id = r
        .string("", map, "uuid", true)
        .and_then(|text| uuid(&mut r, "uuid", text));
    let category = r.string("", map, "category_name", true);
    let name = r.string("", map, "value", true);
    let tag_kind = r
        .string("", map, "type", true)
        .and_then(|text| match tag_kind(text) {
            Some(k) => Some(k),
            None => {
                r.problem("type", unknown_tag_kind(text));
                None
            }
        });
    let filter = map
        .get("filters")
        .map(|v| read_filters(&mut r, "filters", v));
    let (Some(id), Some(category), Some(name), Some(tag_kind)) = (id, category, name, tag_kind)
    else {
        return r.finish(None);
    };
    let filter = match filter {
        Some(None) => return r.finish(None),
        Some(Some(f)) => Some(f),
        None => None,
    };
    match TagValue::new(id, category, name, tag_kind, filter) {
        Ok(mut tag) => {
            tag.metadata = metadata(map, TAG_KEYS);
            r.finish(Some(tag))
        }
        Err(error) => {
            let at = match &error {
                AccessControlError::BadName { field, .. } => (*field).to_owned(),
                AccessControlError::StaticWithFilter(_) => "filters".to_owned(),
                _ => String::new(),
            };
            r.problem(&at, error);
            r.finish(None)
        }
    }
}

/// Reads a tag value as `GET /tags/values/{uuid}` returns it: `uuid`, `category_name`,
/// `value`, `type` (`static`/`dynamic`) are required; `filters` is `{"asset": <filter>}`
/// with the filter a JSON string (responses) or an object (requests); every other key is
/// kept as [`Metadata`]. A static value with filters is an error.
///
/// # Examples
///
/// ```
/// use scangate::{Asset, tags::TagValue};
/// let tag: TagValue = serde_json::from_str(r#"{"uuid": "001a56ef-2039-47c7-9dba-6ae6bd9c17c4",
///     "category_name": "Example", "value": "Custom Test", "type": "dynamic",
///     "filters": {"asset": "{\"and\":[{\"field\":\"ipv4\",\"operator\":\"eq\",\"value\":\"192.168.0.0/24\"}]}"}}"#)?;
/// assert!(tag.carried_by(&Asset::new().with("ipv4", "192.168.0.7").unwrap(), |_| None));
/// let back = serde_json::to_value(&tag)?;
/// assert_eq!(back["filters"]["asset"], r#"{"and":[{"field":"ipv4","operator":"eq","value":"192.168.0.0/24"}]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for TagValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        read_tag(&value).into_result().map_err(D::Error::custom)
    }
}

/// Writes `uuid`, `category_name`, `value`, `type`, `filters` (when there is a filter:
/// `{"asset": <the filter as a compact JSON string>}`, as the server writes it), then the
/// metadata.
impl Serialize for TagValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = &self.metadata().fields;
        let filter = match self.filter() {
            Some(f) => Some(serde_json::to_string(f.expr()).map_err(S::Error::custom)?),
            None => None,
        };
        let mut map = s.serialize_map(Some(4 + usize::from(filter.is_some()) + fields.len()))?;
        map.serialize_entry("uuid", &self.uuid().to_string())?;
        map.serialize_entry("category_name", self.category())?;
        map.serialize_entry("value", self.value())?;
        map.serialize_entry("type", self.kind().as_str())?;
        if let Some(filter) = filter {
            map.serialize_entry("filters", &serde_json::json!({ "asset": filter }))?;
        }
        for (k, v) in fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

// --- envelopes ---------------------------------------------------------------------------

/// Reads the array at `key` of `map` with `read`, the problems located `key[i].…`.
fn read_list<T>(
    map: &Map<String, Value>,
    key: &str,
    read: impl Fn(&Value) -> Read<T>,
) -> Result<Vec<T>, String> {
    let mut r = Reader::default();
    let Some(items) = r.array("", map, key) else {
        return r.finish(None::<Vec<T>>).into_result();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let read = read(item);
        match (read.value, read.problems.into_iter().next()) {
            (Some(v), None) => out.push(v),
            (_, problem) => {
                let problem = problem.unwrap_or_else(|| WireProblem {
                    path: String::new(),
                    message: "could not be read".to_owned(),
                });
                return Err(format!(
                    "{}: {}",
                    locate(&at(key, i), &problem.path),
                    problem.message
                ));
            }
        }
    }
    Ok(out)
}

/// An object envelope, or the error.
fn envelope<'v>(value: &'v Value, what: &str) -> Result<&'v Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("expected {what}, found {}", kind(value)))
}

/// The list envelope of `GET /api/v3/access-control/permissions`: `{"permissions":
/// [...]}`. Other keys of the envelope are ignored.
///
/// # Examples
///
/// ```
/// let list: scangate::tags::PermissionList = serde_json::from_str(r#"{"permissions": [
///     {"permission_uuid": "00000000-0000-0000-0000-000000000000", "name": "Administrators",
///      "subjects": [{"type": "AllAdmins"}], "actions": ["CanView"], "objects": [{"type": "AllObjects"}]}]}"#)?;
/// assert_eq!(list.permissions[0].name(), "Administrators");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionList {
    /// The permissions, in the order listed.
    pub permissions: Vec<Permission>,
}

impl<'de> Deserialize<'de> for PermissionList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let map = envelope(&value, "`{\"permissions\": [...]}`").map_err(D::Error::custom)?;
        let permissions =
            read_list(map, "permissions", read_permission).map_err(D::Error::custom)?;
        Ok(PermissionList { permissions })
    }
}

impl Serialize for PermissionList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("permissions", &self.permissions)?;
        map.end()
    }
}

/// The per-user (and per-group) answer, owned: `{"permissions_granted": [...],
/// "permissions_available": [...]}` as `GET
/// /api/v3/access-control/permissions/users/{uuid}` returns it. Other keys of the envelope
/// are ignored.
///
/// [`PermissionsAnswer::from`] an [`AccessControl::permissions_for`] answer writes what
/// this library computes in the server's shape; [`PermissionsAnswer::agrees_with`]
/// compares a recorded answer with a computed one by uuid (the `users/me` variant filters
/// each permission's subjects, so whole permissions may differ where the uuids agree).
///
/// [`AccessControl::permissions_for`]: super::AccessControl::permissions_for
///
/// # Examples
///
/// ```
/// use scangate::tags::{AccessControl, PermissionsAnswer};
/// let recorded: PermissionsAnswer = serde_json::from_str(r#"{"permissions_granted": [
///     {"permission_uuid": "b930505e-bf64-4621-a8bd-6c5eb9c5e628", "name": "All Assets [CanScan, CanView]",
///      "subjects": [{"type": "AllUsers"}], "actions": ["CanView", "CanScan"], "objects": [{"type": "AllAssets"}]}],
///     "permissions_available": []}"#)?;
/// let control = AccessControl::new(vec![], recorded.permissions_granted.clone()).unwrap();
/// let computed = control.permissions_for("b83faeec-f790-433f-893c-88c48c82562e", &[] as &[&str]);
/// assert!(recorded.agrees_with(&computed));
/// assert_eq!(PermissionsAnswer::from(&computed), recorded);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionsAnswer {
    /// The permissions that apply to the user (or group).
    pub permissions_granted: Vec<Permission>,
    /// The others (the server leaves out the built-in Administrators permission).
    pub permissions_available: Vec<Permission>,
}

impl PermissionsAnswer {
    /// Whether `answer` lists the same permissions (by uuid, in the same order) as granted
    /// and as available.
    #[must_use]
    pub fn agrees_with(&self, answer: &UserPermissions<'_>) -> bool {
        let same = |owned: &[Permission], computed: &[&Permission]| {
            owned.len() == computed.len()
                && owned
                    .iter()
                    .zip(computed)
                    .all(|(a, b)| a.uuid() == b.uuid())
        };
        same(&self.permissions_granted, &answer.granted)
            && same(&self.permissions_available, &answer.available)
    }
}

impl From<&UserPermissions<'_>> for PermissionsAnswer {
    fn from(answer: &UserPermissions<'_>) -> PermissionsAnswer {
        PermissionsAnswer {
            permissions_granted: answer.granted.iter().map(|p| (*p).clone()).collect(),
            permissions_available: answer.available.iter().map(|p| (*p).clone()).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for PermissionsAnswer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let map = envelope(
            &value,
            "`{\"permissions_granted\": [...], \"permissions_available\": [...]}`",
        )
        .map_err(D::Error::custom)?;
        let permissions_granted =
            read_list(map, "permissions_granted", read_permission).map_err(D::Error::custom)?;
        let permissions_available =
            read_list(map, "permissions_available", read_permission).map_err(D::Error::custom)?;
        Ok(PermissionsAnswer {
            permissions_granted,
            permissions_available,
        })
    }
}

/// Writes `permissions_granted`, then `permissions_available` (the server's order).
impl Serialize for PermissionsAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("permissions_granted", &self.permissions_granted)?;
        map.serialize_entry("permissions_available", &self.permissions_available)?;
        map.end()
    }
}

/// The list envelope of `GET /tags/values`: `{"values": [...], "pagination": {...}}`.
/// List entries carry no filters (a dynamic value listed is carried only by the assets
/// that name it). Other keys of the envelope are ignored.
///
/// # Examples
///
/// ```
/// let list: scangate::tags::TagValueList = serde_json::from_str(r#"{"values": [
///     {"uuid": "8a3043ef-7f97-4a99-ba18-9a9004d14358", "category_name": "Example", "value": "Test", "type": "static"}],
///     "pagination": {"offset": 0, "limit": 1000, "total": 1}}"#)?;
/// assert_eq!(list.values[0].to_string(), "Example:Test");
/// let bad = serde_json::from_str::<scangate::tags::TagValueList>(r#"{"values": [{"category_name": "Example2", "type": "static"}]}"#).unwrap_err();
/// assert!(bad.to_string().starts_with("values[0]: missing key `uuid`"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TagValueList {
    /// The tag values of this page.
    pub values: Vec<TagValue>,
    /// The pagination object, kept as read.
    pub pagination: Option<Value>,
}

impl<'de> Deserialize<'de> for TagValueList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(d)?;
        let map = envelope(&value, "`{\"values\": [...]}`").map_err(D::Error::custom)?;
        let values = read_list(map, "values", read_tag).map_err(D::Error::custom)?;
        Ok(TagValueList {
            values,
            pagination: map.get("pagination").cloned(),
        })
    }
}

impl Serialize for TagValueList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1 + usize::from(self.pagination.is_some())))?;
        map.serialize_entry("values", &self.values)?;
        if let Some(pagination) = &self.pagination {
            map.serialize_entry("pagination", pagination)?;
        }
        map.end()
    }
}
