//! Tenable VM JSON (feature `serde`): reading the v1 and v2 shapes that GET/POST/PUT
//! return and the create/edit request bodies, writing v2.
//!
//! Reading is lenient about what it does not interpret (unknown fields of a group are
//! kept as [`Metadata`]; unknown fields of rules and principals are ignored) and strict
//! about what decides access (rule types, operators, terms, permissions, group type):
//! those fail with an [`AccessGroupError`] naming the group, the rule and the term.

use std::collections::BTreeSet;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::asset::{Asset, Target};
use super::extra::Attribute;
use super::group::{AccessGroup, AccessGroupType, Metadata};
use super::principal::{AccessPermissions, Principal, PrincipalKind, UnknownPermission};
use super::rule::Rule;
use super::validate::AccessGroupError;
use crate::json::{Key, Strict, duplicate, next_key};

#[derive(Deserialize)]
struct RuleIn {
    #[serde(rename = "type")]
    rule_type: String,
    operator: String,
    #[serde(default)]
    terms: Vec<String>,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    #[serde(rename = "type")]
    rule_type: &'static str,
    operator: &'static str,
    terms: Vec<&'a str>,
}

impl<'a> From<&'a Rule> for RuleOut<'a> {
    fn from(r: &'a Rule) -> Self {
        RuleOut {
            rule_type: r.rule_type().as_str(),
            operator: r.operator().as_str(),
            terms: r.terms().iter().map(|t| t.as_str()).collect(),
        }
    }
}

#[derive(Deserialize)]
struct PrincipalIn {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    principal_id: Option<String>,
    #[serde(default)]
    principal_name: Option<String>,
    /// Absent (`None`), `null` (`Some(None)`) or a list.
    #[serde(default, deserialize_with = "present")]
    permissions: Option<Option<Vec<String>>>,
}

/// A field that may be absent (`None`, through `#[serde(default)]`), `null` (`Some(None)`)
/// or a value: for the two fields where absent and empty mean different things.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Serialize)]
struct PrincipalOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal_name: Option<&'a str>,
    permissions: Vec<&'static str>,
}

impl<'a> From<&'a Principal> for PrincipalOut<'a> {
    fn from(p: &'a Principal) -> Self {
        PrincipalOut {
            kind: p.kind().as_str(),
            principal_id: p.id(),
            principal_name: p.name(),
            permissions: p.permissions().wire_names().collect(),
        }
    }
}

/// A principal without `permissions` (v1, or a v2 request relying on the default) gets
/// `CAN_VIEW` only; `[]` grants nothing, and so does `null` (the narrower of its two
/// readings, "absent" and "empty").
fn principal_from_wire(p: PrincipalIn) -> Result<Principal, UnknownPermission> {
    let permissions = match p.permissions {
        None => AccessPermissions::CAN_VIEW,
        Some(None) => AccessPermissions::empty(),
        Some(Some(names)) => AccessPermissions::from_wire_names(&names)?,
    };
    Ok(Principal::new(
        PrincipalKind::from_wire(&p.kind),
        p.principal_id.as_deref(),
        p.principal_name.as_deref(),
        permissions,
    ))
}

#[derive(Deserialize)]
struct GroupIn {
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    access_group_type: Option<String>,
    #[serde(default)]
    all_assets: Option<bool>,
    #[serde(default)]
    all_users: Option<bool>,
    /// Absent (`None`), `null` (`Some(None)`) or a list.
    #[serde(default, deserialize_with = "present")]
    principals: Option<Option<Vec<PrincipalIn>>>,
    #[serde(default)]
    rules: Option<Vec<RuleIn>>,
    #[serde(flatten)]
    metadata: Map<String, Value>,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    access_group_type: &'static str,
    all_assets: bool,
    all_users: bool,
    rules: Vec<RuleOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principals: Option<Vec<PrincipalOut<'a>>>,
    #[serde(flatten)]
    metadata: &'a Map<String, Value>,
}

fn group_from_wire(w: GroupIn) -> Result<AccessGroup, AccessGroupError> {
    let name = w.name;
    let all_assets = w.all_assets.unwrap_or(false);
    let group_type = match w.access_group_type {
        // v1 has no type: the all-assets group is ALL, every other group manages assets.
        None if all_assets => AccessGroupType::All,
        None => AccessGroupType::ManageAssets,
        Some(t) => t
            .parse()
            .map_err(|source| AccessGroupError::UnknownGroupType {
                group: crate::text::echo(&name),
                source,
            })?,
    };
    // The lists are sized exactly (`collect` through `Result` would not be): a policy
    // holds thousands of groups.
    let wire_rules = w.rules.unwrap_or_default();
    let mut rules = Vec::with_capacity(wire_rules.len());
    for (i, r) in wire_rules.into_iter().enumerate() {
        rules.push(
            Rule::parse(&r.rule_type, &r.operator, &r.terms).map_err(|e| e.in_group(&name, i))?,
        );
    }
    // `principals: null` reads as `[]`: listed and empty. Read as "not listed" it would
    // give the All Assets group its default (every user, view and scan).
    let principals = match w.principals {
        None => None,
        Some(listed) => {
            let listed = listed.unwrap_or_default();
            let mut principals = Vec::with_capacity(listed.len());
            for (i, p) in listed.into_iter().enumerate() {
                principals.push(principal_from_wire(p).map_err(|source| {
                    AccessGroupError::UnknownPermission {
                        group: crate::text::echo(&name),
                        principal: i,
                        source,
                    }
                })?);
            }
            Some(principals)
        }
    };
    Ok(AccessGroup {
        id: w.id.map(Into::into),
        name,
        group_type,
        all_assets,
        all_users: w.all_users.unwrap_or(false),
        principals,
        rules,
        metadata: Metadata { fields: w.metadata },
    })
}

/// Reads a v1 or v2 access group (a GET/POST/PUT response, a create/edit request body,
/// or an entry of a list). Missing `all_assets`/`all_users` are false; a missing
/// `access_group_type` (v1) is `ALL` for the all-assets group and `MANAGE_ASSETS`
/// otherwise; a missing `principals` stays "not listed".
impl<'de> Deserialize<'de> for AccessGroup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w: GroupIn = crate::json::read(d)?;
        group_from_wire(w).map_err(D::Error::custom)
    }
}

/// An access group read straight from a JSON stream, without a `Value` of the group: the
/// policy-file loader's fast path. It reads what [`AccessGroup::deserialize`] reads and
/// gives the same group, as strictly (a key twice in any object is an error, values it
/// does not interpret are read as [`Strict`](crate::json::Strict) values), but it is not
/// meant to explain a failure: it refuses anything unusual (a group written as an array,
/// say) and its messages may differ. A caller that reports problems reads the input again
/// through `AccessGroup::deserialize` when it fails.
pub(crate) struct StreamedGroup(pub(crate) AccessGroup);

impl<'de> Deserialize<'de> for StreamedGroup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = d.deserialize_map(GroupVisitor)?;
        group_from_wire(w)
            .map(StreamedGroup)
            .map_err(D::Error::custom)
    }
}

const GROUP_FIELDS: &[&str] = &[
    "id",
    "name",
    "access_group_type",
    "all_assets",
    "all_users",
    "principals",
    "rules",
];

struct GroupVisitor;

impl<'de> Visitor<'de> for GroupVisitor {
    type Value = GroupIn;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an access group object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GroupIn, A::Error> {
        let mut seen = 0;
        let mut name = None;
        let mut w = GroupIn {
            id: None,
            name: String::new(),
            access_group_type: None,
            all_assets: None,
            all_users: None,
            principals: None,
            rules: None,
            metadata: Map::new(),
        };
        while let Some(key) = next_key(&mut map, GROUP_FIELDS, &mut seen)? {
            match key {
                Key::Known(0) => w.id = map.next_value()?,
                Key::Known(1) => name = Some(map.next_value::<String>()?),
                Key::Known(2) => w.access_group_type = map.next_value()?,
                Key::Known(3) => w.all_assets = map.next_value()?,
                Key::Known(4) => w.all_users = map.next_value()?,
                Key::Known(5) => {
                    let principals: Option<Vec<StreamedPrincipal>> = map.next_value()?;
                    w.principals = Some(principals.map(|ps| ps.into_iter().map(|p| p.0).collect()));
                }
                Key::Known(6) => {
                    let rules: Option<Vec<StreamedRule>> = map.next_value()?;
                    w.rules = rules.map(|rs| rs.into_iter().map(|r| r.0).collect());
                }
                Key::Known(_) => return Err(A::Error::custom("unexpected field")),
                Key::Other(key) => {
                    if w.metadata.contains_key(&key) {
                        return Err(duplicate(&key));
                    }
                    let Strict(value) = map.next_value()?;
                    w.metadata.insert(key, value);
                }
            }
        }
        w.name = name.ok_or_else(|| A::Error::missing_field("name"))?;
        Ok(w)
    }
}

/// A rule read from a stream (see [`StreamedGroup`]).
struct StreamedRule(RuleIn);

const RULE_FIELDS: &[&str] = &["type", "operator", "terms"];

impl<'de> Deserialize<'de> for StreamedRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RuleVisitor).map(StreamedRule)
    }
}

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = RuleIn;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a rule object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleIn, A::Error> {
        let mut seen = 0;
        let mut others = Others::default();
        let (mut rule_type, mut operator, mut terms) = (None, None, Vec::new());
        while let Some(key) = next_key(&mut map, RULE_FIELDS, &mut seen)? {
            match key {
                Key::Known(0) => rule_type = Some(map.next_value()?),
                Key::Known(1) => operator = Some(map.next_value()?),
                Key::Known(2) => terms = map.next_value()?,
                Key::Known(_) => return Err(A::Error::custom("unexpected field")),
                Key::Other(key) => others.skip(key, &mut map)?,
            }
        }
        Ok(RuleIn {
            rule_type: rule_type.ok_or_else(|| A::Error::missing_field("type"))?,
            operator: operator.ok_or_else(|| A::Error::missing_field("operator"))?,
            terms,
        })
    }
}

/// A principal read from a stream (see [`StreamedGroup`]).
struct StreamedPrincipal(PrincipalIn);

const PRINCIPAL_FIELDS: &[&str] = &["type", "principal_id", "principal_name", "permissions"];

impl<'de> Deserialize<'de> for StreamedPrincipal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PrincipalVisitor).map(StreamedPrincipal)
    }
}

struct PrincipalVisitor;

impl<'de> Visitor<'de> for PrincipalVisitor {
    type Value = PrincipalIn;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a principal object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PrincipalIn, A::Error> {
        let mut seen = 0;
        let mut others = Others::default();
        let mut kind = None;
        let mut p = PrincipalIn {
            kind: String::new(),
            principal_id: None,
            principal_name: None,
            permissions: None,
        };
        while let Some(key) = next_key(&mut map, PRINCIPAL_FIELDS, &mut seen)? {
            match key {
                Key::Known(0) => kind = Some(map.next_value()?),
                Key::Known(1) => p.principal_id = map.next_value()?,
                Key::Known(2) => p.principal_name = map.next_value()?,
                Key::Known(3) => p.permissions = Some(map.next_value()?),
                Key::Known(_) => return Err(A::Error::custom("unexpected field")),
                Key::Other(key) => others.skip(key, &mut map)?,
            }
        }
        p.kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
        Ok(p)
    }
}

/// The keys of an object that a streaming visitor does not interpret: each is refused the
/// second time, and its value is read strictly, then dropped.
#[derive(Default)]
struct Others(BTreeSet<String>);

impl Others {
    fn skip<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        if self.0.contains(&key) {
            return Err(duplicate(&key));
        }
        let Strict(_) = map.next_value()?;
        self.0.insert(key);
        Ok(())
    }
}

/// Writes the v2 shape: `id` (when known), `name`, `access_group_type`, `all_assets`,
/// `all_users`, `rules`, `principals` (when listed, each with explicit `permissions`),
/// then the metadata fields.
impl Serialize for AccessGroup {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        GroupOut {
            id: self.id(),
            name: self.name(),
            access_group_type: self.group_type().as_str(),
            all_assets: self.all_assets(),
            all_users: self.all_users(),
            rules: self.rules().iter().map(RuleOut::from).collect(),
            principals: self
                .principals
                .as_ref()
                .map(|ps| ps.iter().map(PrincipalOut::from).collect()),
            metadata: &self.metadata().fields,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r: RuleIn = crate::json::read(d)?;
        Rule::parse(&r.rule_type, &r.operator, &r.terms).map_err(D::Error::custom)
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RuleOut::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Principal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p: PrincipalIn = crate::json::read(d)?;
        principal_from_wire(p).map_err(D::Error::custom)
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PrincipalOut::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for AccessGroupType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(D::Error::custom)
    }
}

impl Serialize for AccessGroupType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Reads `{"ipv4": ["10.0.0.1", …], "fqdn": […], …}`: keys are rule type names (or the
/// names of the attributes only tag filters read, [`Attribute`]), values arrays of strings.
impl<'de> Deserialize<'de> for Asset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map: Map<String, Value> = crate::json::read(d)?;
        let mut asset = Asset::new();
        for (key, values) in map {
            let attribute: Attribute = key.parse().map_err(D::Error::custom)?;
            let Value::Array(values) = values else {
                return Err(D::Error::custom(format!(
                    "asset attribute `{}` must be an array of strings",
                    attribute.as_str()
                )));
            };
            for v in values {
                let Value::String(v) = v else {
                    return Err(D::Error::custom(format!(
                        "asset attribute `{}` must be an array of strings",
                        attribute.as_str()
                    )));
                };
                asset
                    .insert_attribute(attribute, &v)
                    .map_err(D::Error::custom)?;
            }
        }
        Ok(asset)
    }
}

/// Writes the normalized values, attributes in table order (rule types, then the extra
/// attributes).
impl Serialize for Asset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let map: Map<String, Value> = self
            .attributes()
            .map(|(t, vs)| {
                (
                    t.as_str().to_owned(),
                    Value::Array(vs.iter().map(|v| Value::String(v.to_string())).collect()),
                )
            })
            .collect();
        map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(D::Error::custom)
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The list envelope of `GET /access-groups` and `GET /v2/access-groups`:
/// `{access_groups: [...], pagination: {...}}`. List entries carry no rules or
/// principals.
///
/// # Examples
///
/// ```
/// let list: scangate::access::AccessGroupList = serde_json::from_str(
///     r#"{"access_groups": [{"id": "a", "name": "All Assets", "all_assets": true}],
///         "pagination": {"offset": 0, "limit": 50, "total": 1}}"#,
/// )?;
/// assert!(list.access_groups[0].all_assets());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AccessGroupList {
    /// The groups of this page.
    pub access_groups: Vec<AccessGroup>,
    /// The pagination object, kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Value>,
}

/// A Tenable VM error body such as `{"error": "HTTP 404 Not Found"}`.
///
/// # Examples
///
/// ```
/// let body: scangate::access::ApiErrorBody = serde_json::from_str(r#"{"error": "HTTP 404 Not Found"}"#)?;
/// assert_eq!(body.http_status(), Some(404));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ApiErrorBody {
    /// The message.
    pub error: String,
}

impl ApiErrorBody {
    /// The HTTP status named by an `HTTP <status> <reason>` message, if it is one.
    #[must_use]
    pub fn http_status(&self) -> Option<u16> {
        let rest = self.error.strip_prefix("HTTP ")?;
        let code = rest.split(' ').next()?;
        if code.len() != 3 {
            return None;
        }
        code.parse().ok()
    }

    /// The body for an access-group error (`error` is the error's message).
    #[must_use]
    pub fn from_error(e: &AccessGroupError) -> ApiErrorBody {
        ApiErrorBody {
            error: e.to_string(),
        }
    }
}
