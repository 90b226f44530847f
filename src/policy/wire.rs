//! The engine's JSON (feature `serde`), reusing the real wire formats (`docs/semantics.md`,
//! "The engine", files and requests):
//!
//! - the policy file / snapshot: `{"roles": [Tenable role objects], "access_groups":
//!   [Tenable access-group objects, v1 or v2], "users": [{"id", "role", "groups"}],
//!   "deleted_builtin_roles": [role ids], "tags": [Tenable VM tag values],
//!   "permissions": [Tenable VM v3 permissions]}`;
//! - one request: `{"subject": {...}, "action": "...", "resource": {...}}`;
//! - a decision as a JSON explanation.

use super::decision::{
    Decision, Denial, GrantedObject, ObjectGrant, PermissionGrant, TagCarried, TargetBy,
    TargetGrant, requirement_names,
};
use super::engine::PolicyBuilder;
use super::{Policy, PolicyError, Resource, Subject, User};
use crate::access::{
    AccessGroup, AccessGroupError, AccessGroupType, AccessGroups, Asset, Grant, MAX_ACCESS_GROUPS,
    Membership, StreamedGroup, Target,
};
use crate::json::Strict;
use crate::role::{Role, RoleCatalog, RoleDraft, RoleId, RolePatch, RoleRead};
use crate::scope::ScopeSet;
use crate::tags::wire::{Read, locate, read_permission, read_tag};
use crate::tags::{AccessControl, Permission, TagValue};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A policy file (or request) that cannot be used, with where the problem is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct Problem {
    /// Where: `roles[2]`, `access_groups[0]`, `users[3].role`, `line 4 column 7`, …
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn at(location: impl Into<String>, message: impl ToString) -> Problem {
        Problem {
            location: location.into(),
            message: message.to_string(),
        }
    }
}

/// A policy file that cannot be loaded: the first problem found
/// ([`Policy::validate_json`] reports all of them).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy: {0}")]
pub struct PolicyFileError(pub Problem);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserWire {
    id: String,
    role: RoleId,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Serialize)]
struct UserOut<'a> {
    id: &'a str,
    role: RoleId,
    groups: &'a [String],
}

/// The top level of a policy file: `R`, `G` and `U` say how a role, an access group and a
/// user element is read. The file is read as a stream: no element is held as JSON beyond
/// its own reading. (Named `FileWire` in messages: `expected struct FileWire`.)
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "FileWire")]
struct FileWire<R, G, U> {
    #[serde(default = "Vec::new")]
    roles: Vec<R>,
    #[serde(default = "Vec::new")]
    access_groups: Vec<G>,
    #[serde(default = "Vec::new")]
    users: Vec<U>,
    /// The deletable built-in roles that were deleted (absent: none).
    #[serde(default = "Vec::new")]
    deleted_builtin_roles: Vec<RoleId>,
    /// The v3 tag values, as `GET /tags/values/{uuid}` returns them (absent: none).
    #[serde(default = "Vec::new")]
    tags: Vec<V3Element<TagValue>>,
    /// The v3 permissions, as `GET /api/v3/access-control/permissions` lists them
    /// (absent: none).
    #[serde(default = "Vec::new")]
    permissions: Vec<V3Element<Permission>>,
}

/// A v3 element (tag value or permission) read strictly like [`Element`], then walked
/// once for every problem it has, each with its path (`actions[1]`, `filters.asset`):
/// both readings of a file read these the same way.
struct V3Element<T>(Read<T>);

/// How a v3 element is read from its JSON value.
trait V3Read: Sized {
    fn read(value: &Value) -> Read<Self>;
}

impl V3Read for TagValue {
    fn read(value: &Value) -> Read<TagValue> {
        read_tag(value)
    }
}

impl V3Read for Permission {
    fn read(value: &Value) -> Read<Permission> {
        read_permission(value)
    }
}

impl<'de, T: V3Read> Deserialize<'de> for V3Element<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        Ok(V3Element(T::read(&value)))
    }
}

/// An element converted from its JSON value, or why it could not be.
trait FromElement: Sized {
    fn from_element(value: &Value) -> Result<Self, String>;
}

impl FromElement for RoleRead {
    fn from_element(value: &Value) -> Result<RoleRead, String> {
        Role::from_json_value(role_object(value)).map_err(|error| error.to_string())
    }
}

impl FromElement for UserWire {
    fn from_element(value: &Value) -> Result<UserWire, String> {
        UserWire::deserialize(value).map_err(|error| crate::text::json_error(&error))
    }
}

/// One element read strictly (a duplicate key anywhere in it is an error, and so is
/// invalid JSON: those stop the reading), then converted on its own: a conversion error
/// is kept, not raised, so that the rest of the file is still read and every problem is
/// reported with its location. Only this element's JSON value is held while it is read.
struct Element<T>(Result<T, String>);

impl<'de, T: FromElement> Deserialize<'de> for Element<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        Ok(Element(T::from_element(&value)))
    }
}

/// An access group element that could not be converted: why, and the name it gives when
/// it gives one as a string, so that a later group of the same name is still reported as
/// a duplicate (`validate_json` reports every problem).
struct GroupFailure {
    name: Option<String>,
    error: String,
}

/// An access group element, read strictly like [`Element`]; a failure keeps the name.
struct GroupElement(Result<AccessGroup, GroupFailure>);

impl<'de> Deserialize<'de> for GroupElement {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Strict(value) = Strict::deserialize(deserializer)?;
        Ok(GroupElement(AccessGroup::deserialize(&value).map_err(
            |error| GroupFailure {
                name: value.get("name").and_then(Value::as_str).map(str::to_owned),
                error: crate::text::json_error(&error),
            },
        )))
    }
}

/// What reading a policy file found: the builder (when every element read) and the
/// problems, in file order.
struct FileRead {
    builder: PolicyBuilder,
    problems: Vec<Problem>,
    /// Problems that only `validate` reports (create/edit rules, unknown `perm*` fields);
    /// loading accepts data as a server returned it.
    lints: Vec<Problem>,
}

/// A role element: a role object, or an envelope around one (`GET /role/{id}` as is).
fn role_object(value: &Value) -> &Value {
    match value.get("response") {
        Some(inner) if value.get("error_code").is_some() => inner,
        _ => value,
    }
}

/// The location of a `serde_json` error that stops the reading.
fn syntax_problem(error: &serde_json::Error) -> Problem {
    Problem::at(
        format!("line {} column {}", error.line(), error.column()),
        crate::text::json_error(error),
    )
}

/// Reads a policy file in one pass when it can: the access groups (nearly all of a large
/// file) straight from the stream ([`StreamedGroup`]), and so the users (`UserWire`
/// rejects duplicate and unknown fields itself). When that fails, the file is read again
/// with every access group and user through its own `Value`: that reading decides, and
/// names every problem with its location, exactly as it would have alone. The fast pass
/// accepts no file that the second would refuse, and gives the same groups and users.
/// Roles are read through their own `Value` in both (a file holds few, and a role element
/// may be an envelope, known only at its end).
fn read_file(text: &str) -> Result<FileRead, Problem> {
    if let Ok(file) =
        serde_json::from_str::<FileWire<Element<RoleRead>, StreamedGroup, UserWire>>(text)
    {
        let groups = file.access_groups.into_iter().map(|StreamedGroup(g)| Ok(g));
        let users = file.users.into_iter().map(Ok);
        let mut read = collect(file.roles, &file.deleted_builtin_roles, groups, users);
        collect_v3(&mut read, file.tags, file.permissions);
        return Ok(read);
    }
    let file: FileWire<Element<RoleRead>, GroupElement, Element<UserWire>> =
        serde_json::from_str(text).map_err(|e| syntax_problem(&e))?;
    let groups = file.access_groups.into_iter().map(|GroupElement(g)| g);
    let users = file.users.into_iter().map(|Element(u)| u);
    let mut read = collect(file.roles, &file.deleted_builtin_roles, groups, users);
    collect_v3(&mut read, file.tags, file.permissions);
    Ok(read)
}

/// Checks the v3 elements read and gives them to the builder: every problem of every
/// element with its location (`tags[0].filters`, `permissions[3].actions[1]`), then
/// repeated uuids; the notes (actions read that grant nothing) as lints.
fn collect_v3(
    read: &mut FileRead,
    tags: Vec<V3Element<TagValue>>,
    permissions: Vec<V3Element<Permission>>,
) {
    fn elements<T>(
        read: &mut FileRead,
        key: &str,
        list: Vec<V3Element<T>>,
        uuid: impl Fn(&T) -> crate::access::Uuid,
        what: &str,
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(list.len());
        let mut first: HashMap<crate::access::Uuid, usize> = HashMap::new();
        for (i, V3Element(element)) in list.into_iter().enumerate() {
            let base = format!("{key}[{i}]");
            for p in element.problems {
                read.problems
                    .push(Problem::at(locate(&base, &p.path), p.message));
            }
            for n in element.notes {
                read.lints
                    .push(Problem::at(locate(&base, &n.path), n.message));
            }
            if let Some(value) = element.value {
                match first.entry(uuid(&value)) {
                    Entry::Occupied(at) => read.problems.push(Problem::at(
                        base,
                        format!(
                            "duplicate {what} uuid `{}`: already used by {key}[{}]",
                            uuid(&value),
                            at.get()
                        ),
                    )),
                    Entry::Vacant(slot) => {
                        slot.insert(i);
                        out.push(value);
                    }
                }
            }
        }
        out
    }
    let tags = elements(read, "tags", tags, TagValue::uuid, "tag value");
    let permissions = elements(
        read,
        "permissions",
        permissions,
        Permission::uuid,
        "permission",
    );
    if tags.is_empty() && permissions.is_empty() {
        return;
    }
    match AccessControl::new(tags, permissions) {
        Ok(control) => {
            read.builder = std::mem::take(&mut read.builder).access_control(control);
        }
        // Repeated uuids were reported above with their locations.
        Err(error) => read.problems.push(Problem::at("policy", error)),
    }
}

/// Checks the elements read and puts them in a builder: the problems and lints in the
/// order roles, deleted built-in roles, access groups, users, each in file order.
fn collect(
    roles: Vec<Element<RoleRead>>,
    deleted_builtins: &[RoleId],
    access_groups: impl ExactSizeIterator<Item = Result<AccessGroup, GroupFailure>>,
    users: impl Iterator<Item = Result<UserWire, String>>,
) -> FileRead {
    let mut problems = Vec::new();
    let mut lints = Vec::new();
    let mut builder = Policy::builder();

    for (i, Element(read)) in roles.into_iter().enumerate() {
        match read {
            Ok(read) => {
                for field in read.unknown_permissions {
                    lints.push(Problem::at(
                        format!("roles[{i}].{field}"),
                        "unknown permission field (ignored: grants nothing)",
                    ));
                }
                builder = builder.role(read.value);
            }
            Err(error) => problems.push(Problem::at(format!("roles[{i}]"), error)),
        }
    }
    for (i, id) in deleted_builtins.iter().enumerate() {
        if let Err(error) = RoleCatalog::check_deletable_builtin(*id) {
            problems.push(Problem::at(format!("deleted_builtin_roles[{i}]"), error));
        }
    }
    builder = builder.without_builtin_roles(deleted_builtins.iter().copied());

    let mut groups = Vec::with_capacity(access_groups.len());
    let mut names: HashMap<String, usize> = HashMap::new();
    for (i, read) in access_groups.enumerate() {
        // The name is taken whatever else is wrong with the group, so that a later group
        // of the same name is reported too: every problem, not the first of each group.
        let name = match &read {
            Ok(group) => Some(group.name()),
            Err(failure) => failure.name.as_deref(),
        };
        // A later duplicate names the first group of the name.
        let duplicate = name.and_then(|name| match names.entry(name.to_lowercase()) {
            Entry::Occupied(first) => Some(Problem::at(
                format!("access_groups[{i}]"),
                format!(
                    "duplicate: access group name `{}` is already used by access_groups[{}] (names are case-insensitive)",
                    crate::text::Cut(name),
                    first.get()
                ),
            )),
            Entry::Vacant(slot) => {
                slot.insert(i);
                None
            }
        });
        match read {
            // Server data never pairs `all_assets: true` with a type other than `ALL`;
            // loading it would make the group hold every asset (and, while its principals
            // are not listed, grant every user view and scan).
            Ok(group) if group.all_assets() && group.group_type() != AccessGroupType::All => {
                problems.push(Problem::at(
                    format!("access_groups[{i}]"),
                    AccessGroupError::AllAssetsWithType {
                        group: crate::text::echo(group.name()),
                        group_type: group.group_type(),
                    },
                ));
            }
            Ok(group) => {
                if !group.all_assets() {
                    if let Err(error) = group.validate() {
                        lints.push(Problem::at(format!("access_groups[{i}]"), error));
                    }
                }
                groups.push(group);
            }
            Err(failure) => {
                problems.push(Problem::at(format!("access_groups[{i}]"), failure.error))
            }
        }
        lints.extend(duplicate);
    }
    if groups.len() > MAX_ACCESS_GROUPS {
        lints.push(Problem::at(
            "access_groups",
            AccessGroupError::MaxEntries {
                group: format!("#{}", MAX_ACCESS_GROUPS + 1),
            },
        ));
    }
    builder = builder.access_groups(AccessGroups::from_server(groups));

    for (i, read) in users.enumerate() {
        match read {
            Ok(user) => {
                builder = builder.user(User {
                    id: user.id,
                    role: user.role,
                    groups: user.groups,
                })
            }
            Err(error) => problems.push(Problem::at(format!("users[{i}]"), error)),
        }
    }
    FileRead {
        builder,
        problems,
        lints,
    }
}

/// Locates a build error in the file.
fn build_problem(error: &PolicyError) -> Problem {
    let location = match error {
        PolicyError::UnknownUserRole { user, .. } | PolicyError::DuplicateUser(user) => {
            format!("users (`{user}`)")
        }
        PolicyError::Role(_) => "roles".to_owned(),
        PolicyError::AccessControl(_) => "tags and permissions".to_owned(),
        _ => "policy".to_owned(),
    };
    Problem::at(location, error)
}

impl Policy {
    /// Loads a policy file (`{"roles", "access_groups", "users", "deleted_builtin_roles",
    /// "tags", "permissions"}`): `tags` and `permissions` are Tenable VM v3 tag values and
    /// permissions as the server returns them (`docs/guide.md`, "Tags and v3
    /// permissions").
    /// Roles and access groups are taken as a server returns them: the create/edit rules
    /// are not applied (use [`Policy::validate_json`] for those). `deleted_builtin_roles`
    /// lists the deletable built-in roles that were deleted (absent: none).
    ///
    /// ```
    /// use scangate::{Policy, RoleId};
    /// let policy = Policy::from_json(r#"{"deleted_builtin_roles": ["7"]}"#)?;
    /// assert!(policy.roles().get(RoleId::AUDITOR).is_none());
    /// let error = Policy::from_json(r#"{"users": [{"id": "ann", "role": "7"}], "deleted_builtin_roles": ["7"]}"#).unwrap_err();
    /// assert_eq!(error.to_string(), "invalid policy: users (`ann`): user `ann` has role `7`, which does not exist");
    /// # Ok::<(), scangate::policy::PolicyFileError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PolicyFileError`] with the first problem and its location.
    ///
    /// ```
    /// use scangate::{Action, Policy, Resource, Subject};
    /// let policy = Policy::from_json(r#"{
    ///     "roles": [{"id": "1000001", "name": "Ticketing", "permCreateTickets": "true"}],
    ///     "users": [{"id": "tia", "role": "1000001"}]
    /// }"#)?;
    /// assert!(policy.is_allowed(&Subject::user("tia"), Action::TICKET_CREATE, Resource::None));
    /// # Ok::<(), scangate::policy::PolicyFileError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Policy, PolicyFileError> {
        let read = read_file(text).map_err(PolicyFileError)?;
        if let Some(problem) = read.problems.into_iter().next() {
            return Err(PolicyFileError(problem));
        }
        read.builder
            .build()
            .map_err(|error| PolicyFileError(build_problem(&error)))
    }

    /// Every problem of a policy file, each with its location: what stops it loading, and
    /// what the create/edit rules would refuse (names, limits, duplicates, empty term
    /// lists) or what is ignored (unknown permission fields, v3 permission actions that
    /// grant nothing here). Empty means valid.
    ///
    /// ```
    /// use scangate::Policy;
    /// let problems = Policy::validate_json(r#"{"access_groups": [
    ///     {"name": "a,b", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.0/24"]}]},
    ///     {"name": "x", "rules": [{"type": "ipv4", "operator": "eq", "terms": ["10.0.0.0/33"]}]}
    /// ]}"#);
    /// assert_eq!(problems.len(), 2);
    /// assert_eq!(problems[0].location, "access_groups[1]");
    /// assert_eq!(problems[1].location, "access_groups[0]");
    /// ```
    #[must_use]
    pub fn validate_json(text: &str) -> Vec<Problem> {
        let read = match read_file(text) {
            Ok(read) => read,
            Err(problem) => return vec![problem],
        };
        let mut problems = read.problems;
        if problems.is_empty() {
            if let Err(error) = read.builder.build() {
                problems.push(build_problem(&error));
            }
        }
        problems.extend(read.lints);
        problems
    }

    /// The policy as a policy file: custom roles, access groups, users and (when any
    /// was deleted) the deleted built-in roles. Loading it gives back an equal policy
    /// (host-defined actions are code, and are not written).
    ///
    /// ```
    /// use scangate::{Policy, RoleId, User};
    /// let policy = Policy::builder().user(User::new("ann", RoleId::AUDITOR).with_groups(["g1"])).build()?;
    /// let text = policy.to_json();
    /// assert_eq!(Policy::from_json(&text).unwrap().to_json(), text);
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let deleted: Vec<RoleId> = self.data.roles.deleted_builtins().collect();
        let control = self.access_control();
        let entries = 3
            + usize::from(!deleted.is_empty())
            + usize::from(!control.tags().is_empty())
            + usize::from(!control.permissions().is_empty());
        let mut map = serializer.serialize_map(Some(entries))?;
        map.serialize_entry("roles", &self.data.roles.custom().collect::<Vec<_>>())?;
        map.serialize_entry(
            "access_groups",
            &self.data.groups.iter().collect::<Vec<_>>(),
        )?;
        let users: Vec<UserOut<'_>> = self
            .users()
            .map(|user| UserOut {
                id: &user.id,
                role: user.role,
                groups: &user.groups,
            })
            .collect();
        map.serialize_entry("users", &users)?;
        // Written only when a built-in role was deleted, so that a file without deletions
        // reads as files written before the key existed (docs/semantics.md, "Files and
        // requests").
        if !deleted.is_empty() {
            map.serialize_entry("deleted_builtin_roles", &deleted)?;
        }
        // Likewise written only when there are any: a file without v3 access control
        // reads as before.
        if !control.tags().is_empty() {
            map.serialize_entry("tags", control.tags())?;
        }
        if !control.permissions().is_empty() {
            map.serialize_entry("permissions", control.permissions())?;
        }
        map.end()
    }
}

/// A request that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid request: {0}")]
pub struct RequestError(String);

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SubjectWire {
    user: Option<String>,
    role: Option<RoleId>,
    groups: Option<Vec<String>>,
    scopes: Option<ScopeSet>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ResourceWire {
    asset: Option<Asset>,
    targets: Option<Vec<Target>>,
    role: Option<RoleId>,
    role_draft: Option<RoleDraft>,
    role_patch: Option<RolePatch>,
    group: Option<String>,
    access_group: Option<String>,
    access_group_draft: Option<AccessGroup>,
    /// A tag value's uuid (as written: checked when the request is read).
    tag: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestWire {
    subject: SubjectWire,
    action: String,
    #[serde(default)]
    resource: ResourceWire,
}

/// The resource of a request, owned.
#[derive(Clone, Debug, Default)]
enum OwnedResource {
    #[default]
    None,
    Asset(Box<Asset>),
    Targets(Vec<Target>),
    Role(RoleId),
    RoleDraft(RoleDraft),
    RolePatch(RoleId, RolePatch),
    UserGroup(String),
    AccessGroup(String),
    AccessGroupDraft(Box<AccessGroup>),
    Tag(crate::access::Uuid),
}

/// One request in the command-line format (`docs/semantics.md`, "The engine", files and requests), read from JSON:
/// `{"subject": {"user", "role", "groups", "scopes"}, "action": "...", "resource": {one of
/// "asset", "targets", "role", "role_draft", "role" + "role_patch", "group",
/// "access_group", "access_group_draft", "tag" (a tag value's uuid)}}`. Unknown keys are errors: a misspelt resource
/// must not silently turn into "no resource".
///
/// ```
/// use scangate::Policy;
/// use scangate::policy::Request;
/// let request = Request::from_json(r#"{"subject": {"scopes": ["scans:read"]}, "action": "scan.read"}"#)?;
/// assert!(Policy::default().check_request(&request).is_allowed());
/// assert!(Request::from_json(r#"{"subject": {}, "action": "scan.read", "resource": {"asets": {}}}"#).is_err());
/// # Ok::<(), scangate::policy::RequestError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Request {
    user: Option<String>,
    role: Option<RoleId>,
    groups: Option<Vec<String>>,
    scopes: Option<ScopeSet>,
    action: String,
    resource: OwnedResource,
}

impl Request {
    /// Reads one request.
    ///
    /// # Errors
    ///
    /// [`RequestError`] naming what is wrong: invalid JSON, unknown or duplicate keys, a
    /// bad scope, role id, asset value, target or tag uuid, or more than one resource.
    pub fn from_json(text: &str) -> Result<Request, RequestError> {
        let wire: RequestWire =
            serde_json::from_str(text).map_err(|e| RequestError(crate::text::json_error(&e)))?;
        let r = wire.resource;
        let mut given: Vec<OwnedResource> = Vec::new();
        if let Some(asset) = r.asset {
            given.push(OwnedResource::Asset(Box::new(asset)));
        }
        if let Some(targets) = r.targets {
            given.push(OwnedResource::Targets(targets));
        }
        match (r.role, r.role_patch) {
            (Some(id), Some(patch)) => given.push(OwnedResource::RolePatch(id, patch)),
            (None, Some(_)) => {
                return Err(RequestError(
                    "`role_patch` needs `role`, the id of the role to change".to_owned(),
                ));
            }
            (Some(id), None) => given.push(OwnedResource::Role(id)),
            (None, None) => {}
        }
        if let Some(draft) = r.role_draft {
            given.push(OwnedResource::RoleDraft(draft));
        }
        if let Some(group) = r.group {
            given.push(OwnedResource::UserGroup(group));
        }
        if let Some(group) = r.access_group {
            given.push(OwnedResource::AccessGroup(group));
        }
        if let Some(draft) = r.access_group_draft {
            given.push(OwnedResource::AccessGroupDraft(Box::new(draft)));
        }
        if let Some(tag) = r.tag {
            let uuid = tag.parse().map_err(|_| {
                RequestError(format!(
                    "resource `tag`: {}",
                    crate::tags::AccessControlError::BadUuid(crate::text::echo(&tag))
                ))
            })?;
            given.push(OwnedResource::Tag(uuid));
        }
        if given.len() > 1 {
            return Err(RequestError(
                "the resource names more than one object".to_owned(),
            ));
        }
        let s = wire.subject;
        Ok(Request {
            user: s.user,
            role: s.role,
            groups: s.groups,
            scopes: s.scopes,
            action: wire.action,
            resource: given.pop().unwrap_or_default(),
        })
    }

    /// The action's name.
    #[must_use]
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The subject, borrowing the request.
    #[must_use]
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            user: self.user.as_deref(),
            role: self.role,
            groups: self.groups.as_deref(),
            scopes: self.scopes,
            resolution: None,
        }
    }

    /// The resource, borrowing the request.
    #[must_use]
    pub fn resource(&self) -> Resource<'_> {
        match &self.resource {
            OwnedResource::None => Resource::None,
            OwnedResource::Asset(asset) => Resource::Asset(asset),
            OwnedResource::Targets(targets) => Resource::Targets(targets),
            OwnedResource::Role(id) => Resource::Role(*id),
            OwnedResource::RoleDraft(draft) => Resource::RoleDraft(draft),
            OwnedResource::RolePatch(id, patch) => Resource::RolePatch(*id, patch),
            OwnedResource::UserGroup(group) => Resource::UserGroup(group),
            OwnedResource::AccessGroup(group) => Resource::AccessGroup(group),
            OwnedResource::AccessGroupDraft(draft) => Resource::AccessGroupDraft(draft),
            OwnedResource::Tag(uuid) => Resource::Tag(*uuid),
        }
    }
}

impl Policy {
    /// Decides a [`Request`] (the command-line format).
    #[must_use]
    pub fn check_request<'a>(&'a self, request: &'a Request) -> Decision<'a> {
        self.check_named(&request.subject(), &request.action, request.resource())
    }
}

fn group_json(group: &AccessGroup) -> Value {
    json!({"id": group.id(), "name": group.name()})
}

fn membership_json(group: &AccessGroup, membership: Membership) -> Value {
    match membership {
        Membership::AllAssets => json!({"all_assets": true}),
        Membership::Rule { rule, term } => {
            let found = group
                .rules()
                .get(rule)
                .and_then(|r| r.terms().get(term).map(|t| (r, t)));
            match found {
                Some((r, t)) => {
                    json!({"rule": rule, "term": term, "type": r.rule_type().as_str(), "operator": r.operator().as_str(), "value": t.to_string()})
                }
                None => json!({"rule": rule, "term": term}),
            }
        }
    }
}

fn grant_json(grant: &Grant<'_>) -> Value {
    match grant {
        Grant::AllAssetsDefault => json!({"everyone": "all_assets_default"}),
        Grant::AllUsers => json!({"everyone": "all_users"}),
        Grant::Principal { index, principal } => json!({
            "index": index,
            "type": principal.kind().as_str(),
            "id": principal.id(),
            "everyone": principal.is_everyone(),
        }),
    }
}

fn target_json(grant: &TargetGrant<'_>) -> Value {
    match &grant.by {
        TargetBy::Group {
            group,
            membership,
            grant: principal,
        } => json!({
            "target": grant.target.to_string(),
            "access_group": group_json(group),
            "membership": membership_json(group, *membership),
            "principal": grant_json(principal),
        }),
        TargetBy::Permission(permission) => json!({
            "target": grant.target.to_string(),
            "permission": permission_grant_json(permission),
        }),
    }
}

fn object_json(object: &ObjectGrant<'_>) -> Value {
    match object {
        ObjectGrant::Asset {
            group,
            membership,
            grant,
            permission,
        } => json!({
            "access_group": group_json(group),
            "membership": membership_json(group, *membership),
            "principal": grant_json(grant),
            "permission": permission.wire_names().collect::<Vec<_>>(),
        }),
        ObjectGrant::Targets(grants) => {
            json!({"targets": grants.iter().map(target_json).collect::<Vec<_>>()})
        }
        ObjectGrant::Member(group) => json!({"member_of": group}),
        ObjectGrant::AnyGroup => json!({"any_group": true}),
        ObjectGrant::Role(role) => json!({"role": {"id": role.id(), "name": role.name()}}),
        ObjectGrant::RoleChange => json!({"role_change": "valid"}),
        ObjectGrant::AccessGroup(group) => json!({"access_group": group_json(group)}),
        ObjectGrant::AccessGroupChange => json!({"access_group_change": "valid"}),
        ObjectGrant::Permission(grant) => json!({"permission": permission_grant_json(grant)}),
    }
}

/// A v3 permission's grant: the permission (uuid and name), the action, the subject and
/// the object (for a tag: uuid, `Category:Value` and how the asset carries it).
fn permission_grant_json(grant: &PermissionGrant<'_>) -> Value {
    let object = match &grant.object {
        GrantedObject::All(object) => json!({"type": object.kind().as_str()}),
        GrantedObject::Tag { uuid, tag, carried } => {
            let carried = match carried {
                TagCarried::Named => json!("named"),
                TagCarried::Filter {
                    position,
                    condition,
                    value,
                } => json!({"filter": {
                    "condition": position,
                    "field": condition.field().to_string(),
                    "operator": condition.operator().as_str(),
                    "value": condition.value(),
                    "matched_value": value,
                }}),
                TagCarried::Itself => json!("requested"),
            };
            json!({
                "type": "Tag",
                "uuid": uuid.to_string(),
                "name": tag.map(|t| t.to_string()),
                "carried": carried,
            })
        }
    };
    json!({
        "permission_uuid": grant.permission.uuid().to_string(),
        "name": grant.permission.name(),
        "action": grant.action.as_str(),
        "subject": {
            "type": grant.subject.kind().as_str(),
            "uuid": grant.subject.uuid(),
            "name": grant.subject.name(),
        },
        "object": object,
    })
}

/// The details of a denial, as ordered `(key, value)` entries.
fn denial_details(denial: &Denial<'_>) -> Vec<(&'static str, Value)> {
    let mut details = Vec::new();
    match denial {
        Denial::MissingScopes(missing) => {
            details.push((
                "missing_scopes",
                json!(missing.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
            ));
        }
        Denial::MissingPermissions { role, missing } => {
            details.push(("role", json!({"id": role.id(), "name": role.name()})));
            details.push(("missing_permissions", json!(requirement_names(*missing))));
        }
        Denial::Asset { containing, .. } => {
            details.push((
                "containing_access_group",
                containing.map_or(Value::Null, group_json),
            ));
        }
        Denial::Target {
            index,
            target,
            containing,
            ..
        } => {
            details.push((
                "target",
                json!({"index": index, "value": target.to_string()}),
            ));
            details.push((
                "containing_access_group",
                containing.map_or(Value::Null, group_json),
            ));
        }
        Denial::UnknownRole(id) => details.push(("role", json!({"id": id, "name": null}))),
        Denial::Role(error) => {
            if let Some((id, name)) = error.role() {
                details.push(("role", json!({"id": id, "name": name})));
            }
            details.push(("http_status", json!(error.http_status())));
        }
        Denial::AccessGroup(error) => {
            details.push(("code", json!(error.code())));
            details.push(("http_status", json!(error.http_status())));
        }
        _ => {}
    }
    details
}

/// The JSON explanation, keys in this order: `decision`, `action`; for an allow the layers
/// that applied (`scopes`, `role`, `object`); for a deny `denied_by`, `reason` and the
/// details (`missing_scopes`, `missing_permissions`, `target`, `code`, …).
impl Serialize for Decision<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("decision", if self.is_allowed() { "allow" } else { "deny" })?;
        map.serialize_entry("action", self.action)?;
        match &self.denial {
            Some(denial) => {
                map.serialize_entry("denied_by", denial.layer().as_str())?;
                map.serialize_entry("reason", &denial.to_string())?;
                for (key, value) in denial_details(denial) {
                    map.serialize_entry(key, &value)?;
                }
            }
            None => {
                if let Some((required, key)) = self.scopes {
                    map.serialize_entry("scopes", &json!({"required": required, "key": key}))?;
                }
                if let Some((role, required)) = self.role {
                    let required = if required.is_empty() {
                        String::new()
                    } else {
                        requirement_names(required)
                    };
                    map.serialize_entry(
                        "role",
                        &json!({"id": role.id(), "name": role.name(), "required": required}),
                    )?;
                }
                if let Some(object) = &self.object {
                    map.serialize_entry("object", &object_json(object))?;
                }
            }
        }
        map.end()
    }
}
