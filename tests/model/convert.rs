//! The bridge between the reference model and the crate: model data converted to the
//! crate's types (through the builder) and to its JSON formats (policy files in every
//! dialect, requests), and the engine's decisions converted back to the model's terms so
//! that the two can be compared. Nothing here takes part in the model's decisions.

#[cfg(feature = "serde")]
use std::collections::BTreeMap;

use scangate::{
    AccessGroup, Asset, Decision, Denial, Permissions, Policy, Resource, Role, RoleId, ScopeSet,
    Subject, Target, User,
    access::{
        AccessGroupType, AccessGroups, AccessPermissions, Grant, Membership, PrincipalKind, Rule,
        Uuid,
    },
    policy::{GrantedObject, Layer, ObjectGrant, TagCarried, TargetBy},
    role::{RoleDraft, RolePatch, ScanLevel},
    tags::{
        AccessControl, FilterCondition, FilterExpr, ObjectKind, Permission, PermissionObject,
        PermissionSubject, SubjectKind, TagFilter, TagKind, TagValue,
    },
};
#[cfg(feature = "serde")]
use serde_json::{Value, json};

#[cfg(feature = "serde")]
use super::tables;
use super::tables::{Perms, Scan};
use super::v3;
use super::{
    self as model, GrantFact, GroupType, Layer as MLayer, ObjectDetail, PrincipalKind as MKind,
};

/// How the engine's policy is built: builder, or the JSON file in one of its dialects.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Through the policy file format (else through the builder).
    pub json: bool,
    /// v1 shapes: no `access_group_type` where it can be inferred, no `permissions` on
    /// view-only principals.
    pub v1: bool,
    /// Role flags as JSON booleans.
    pub booleans: bool,
    /// Role flags that are false left out.
    pub sparse: bool,
}

// ---------------------------------------------------------------------------------------
// Model data to the crate's types and formats. The permission table below is the tests'
// own spelling of which constant carries which wire name.

/// Which permission constant carries which wire name.
pub const PERMISSION_CONSTANTS: [(&str, Permissions); 29] = [
    ("permManageApp", Permissions::MANAGE_APP),
    ("permManageGroups", Permissions::MANAGE_GROUPS),
    ("permManageRoles", Permissions::MANAGE_ROLES),
    ("permManageImages", Permissions::MANAGE_IMAGES),
    (
        "permManageGroupRelationships",
        Permissions::MANAGE_GROUP_RELATIONSHIPS,
    ),
    (
        "permManageBlackoutWindows",
        Permissions::MANAGE_BLACKOUT_WINDOWS,
    ),
    (
        "permManageAttributeSets",
        Permissions::MANAGE_ATTRIBUTE_SETS,
    ),
    ("permCreateTickets", Permissions::CREATE_TICKETS),
    ("permCreateAlerts", Permissions::CREATE_ALERTS),
    ("permCreateAuditFiles", Permissions::CREATE_AUDIT_FILES),
    ("permCreateLDAPAssets", Permissions::CREATE_LDAP_ASSETS),
    ("permCreatePolicies", Permissions::CREATE_POLICIES),
    ("permPurgeTickets", Permissions::PURGE_TICKETS),
    ("permPurgeScanResults", Permissions::PURGE_SCAN_RESULTS),
    ("permPurgeReportResults", Permissions::PURGE_REPORT_RESULTS),
    ("permAgentsScan", Permissions::AGENTS_SCAN),
    ("permAgentsSync", Permissions::AGENTS_SYNC),
    ("permShareObjects", Permissions::SHARE_OBJECTS),
    ("permUpdateFeeds", Permissions::UPDATE_FEEDS),
    (
        "permUploadNessusResults",
        Permissions::UPLOAD_NESSUS_RESULTS,
    ),
    ("permViewOrgLogs", Permissions::VIEW_ORG_LOGS),
    (
        "permManageAcceptRiskRules",
        Permissions::MANAGE_ACCEPT_RISK_RULES,
    ),
    (
        "permManageRecastRiskRules",
        Permissions::MANAGE_RECAST_RISK_RULES,
    ),
    ("permManageACR", Permissions::MANAGE_ACR),
    (
        "permViewDomainInventoryAssets",
        Permissions::VIEW_DOMAIN_INVENTORY_ASSETS,
    ),
    (
        "permManageAttackSurfaceDomains",
        Permissions::MANAGE_ATTACK_SURFACE_DOMAINS,
    ),
    (
        "permManageVulnRoutingRules",
        Permissions::MANAGE_VULN_ROUTING_RULES,
    ),
    ("permViewHostAssets", Permissions::VIEW_HOST_ASSETS),
    ("permManageRiskRules", Permissions::MANAGE_RISK_RULES),
];

/// The permission constant of a wire field.
pub fn flag(field: &str) -> Permissions {
    PERMISSION_CONSTANTS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| panic!("no constant for {field}"))
}

/// The crate's scan level.
pub fn scan_level(scan: Scan) -> ScanLevel {
    match scan {
        Scan::None => ScanLevel::None,
        Scan::Policy => ScanLevel::Policy,
        Scan::Full => ScanLevel::Full,
    }
}

/// The crate's permissions.
pub fn crate_perms(perms: &Perms) -> Permissions {
    let mut out = match perms.scan {
        Scan::None => Permissions::empty(),
        Scan::Policy => Permissions::SCAN,
        Scan::Full => Permissions::SCAN_FULL,
    };
    for field in &perms.flags {
        out |= flag(field);
    }
    out
}

/// The crate's access-group type.
pub fn crate_group_type(t: GroupType) -> AccessGroupType {
    match t {
        GroupType::ManageAssets => AccessGroupType::ManageAssets,
        GroupType::ScanTargets => AccessGroupType::ScanTargets,
        GroupType::All => AccessGroupType::All,
    }
}

/// The crate's access-group permissions.
pub fn access_perms(view: bool, scan: bool) -> AccessPermissions {
    let mut p = AccessPermissions::empty();
    if view {
        p |= AccessPermissions::CAN_VIEW;
    }
    if scan {
        p |= AccessPermissions::CAN_SCAN;
    }
    p
}

/// The crate's access group.
pub fn crate_group(g: &model::Group) -> AccessGroup {
    let principals = g.principals.as_ref().map(|ps| {
        ps.iter()
            .map(|p| {
                let kind = match &p.kind {
                    MKind::User => PrincipalKind::User,
                    MKind::Group => PrincipalKind::Group,
                    MKind::AllUsers => PrincipalKind::AllUsers,
                    MKind::Other(other) => PrincipalKind::Other(other.as_str().into()),
                };
                scangate::access::Principal::new(
                    kind,
                    p.id.as_deref(),
                    None,
                    access_perms(p.view, p.scan),
                )
            })
            .collect()
    });
    let rules = g
        .rules
        .iter()
        .map(|r| {
            Rule::parse(&r.rule_type, &r.operator, &r.terms)
                .unwrap_or_else(|e| panic!("{r:?}: {e}"))
        })
        .collect();
    let mut group = AccessGroup::new(&g.name, crate_group_type(g.group_type))
        .with_all_assets(g.all_assets)
        .with_all_users(g.all_users)
        .with_principals(principals)
        .with_rules(rules);
    if let Some(id) = &g.id {
        group = group.with_id(id);
    }
    group
}

#[cfg(feature = "serde")]
pub fn group_json(g: &model::Group, v1: bool) -> Value {
    let mut object = serde_json::Map::new();
    if let Some(id) = &g.id {
        object.insert("id".into(), json!(id));
    }
    object.insert("name".into(), json!(g.name));
    let inferred = if g.all_assets {
        GroupType::All
    } else {
        GroupType::ManageAssets
    };
    if !(v1 && g.group_type == inferred) {
        object.insert(
            "access_group_type".into(),
            json!(crate_group_type(g.group_type).as_str()),
        );
    }
    object.insert("all_assets".into(), json!(g.all_assets));
    object.insert("all_users".into(), json!(g.all_users));
    object.insert(
        "rules".into(),
        g.rules
            .iter()
            .map(|r| json!({"type": r.rule_type, "operator": r.operator, "terms": r.terms}))
            .collect(),
    );
    if let Some(principals) = &g.principals {
        let list: Vec<Value> = principals
            .iter()
            .map(|p| {
                let mut o = serde_json::Map::new();
                let kind = match &p.kind {
                    MKind::User => "user",
                    MKind::Group => "group",
                    MKind::AllUsers => "all_users",
                    MKind::Other(other) => other.as_str(),
                };
                o.insert("type".into(), json!(kind));
                if let Some(id) = &p.id {
                    o.insert("principal_id".into(), json!(id));
                }
                // v1: a principal without `permissions` holds CAN_VIEW only.
                if !(v1 && p.view && !p.scan) {
                    let mut names = Vec::new();
                    if p.view {
                        names.push("CAN_VIEW");
                    }
                    if p.scan {
                        names.push("CAN_SCAN");
                    }
                    o.insert("permissions".into(), json!(names));
                }
                Value::Object(o)
            })
            .collect();
        object.insert("principals".into(), Value::Array(list));
    }
    Value::Object(object)
}

#[cfg(feature = "serde")]
pub fn perms_json(object: &mut serde_json::Map<String, Value>, perms: &Perms, style: Style) {
    for field in tables::flag_fields() {
        let held = perms.flags.contains(field);
        if style.sparse && !held {
            continue;
        }
        let value = if style.booleans {
            json!(held)
        } else {
            json!(if held { "true" } else { "false" })
        };
        object.insert(field.into(), value);
    }
    if !(style.sparse && perms.scan == Scan::None) {
        object.insert("permScan".into(), json!(perms.scan.wire()));
    }
}

#[cfg(feature = "serde")]
pub fn policy_json(policy: &model::Policy, style: Style) -> String {
    let roles: Vec<Value> = policy
        .roles
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            o.insert("id".into(), json!(r.id.to_string()));
            o.insert("name".into(), json!(r.name));
            perms_json(&mut o, &r.perms, style);
            Value::Object(o)
        })
        .collect();
    let groups: Vec<Value> = policy
        .groups
        .iter()
        .map(|g| group_json(g, style.v1))
        .collect();
    let users: Vec<Value> = policy
        .users
        .iter()
        .map(|u| json!({"id": u.id, "role": u.role.to_string(), "groups": u.teams}))
        .collect();
    json!({"roles": roles, "access_groups": groups, "users": users}).to_string()
}

/// The engine's policy, or `None` when a policy file must be refused: a group pairing
/// `all_assets: true` with a type other than `ALL` contradicts itself, and the file reader
/// refuses it rather than read it the way that grants more (semantics, layer 3). The
/// builder takes such a group as the code states it, and the model decides it by the flag.
pub fn build_engine(policy: &model::Policy, style: Style) -> Option<Policy> {
    if style.json {
        #[cfg(feature = "serde")]
        return json_engine(policy, style);
        #[cfg(not(feature = "serde"))]
        panic!("the policy file format needs the `serde` feature");
    }
    Some(builder_engine(policy))
}

/// The engine's policy through the builder.
pub fn builder_engine(policy: &model::Policy) -> Policy {
    let roles = policy.roles.iter().map(|r| {
        Role::new(RoleId::new(r.id), r.name.clone()).with_permissions(crate_perms(&r.perms))
    });
    let groups = policy.groups.iter().map(crate_group);
    let users = policy
        .users
        .iter()
        .map(|u| User::new(u.id.clone(), RoleId::new(u.role)).with_groups(u.teams.iter()));
    Policy::builder()
        .roles(roles)
        .access_groups(AccessGroups::from_server(groups))
        .users(users)
        .access_control(crate_access_control(policy))
        .build()
        .unwrap()
}

/// A uuid of the model (as written).
pub fn uuid(text: &str) -> Uuid {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The crate's filter expression.
pub fn crate_filter_expr(filter: &v3::Filter) -> FilterExpr {
    match filter {
        v3::Filter::And(m) => FilterExpr::And(m.iter().map(crate_filter_expr).collect()),
        v3::Filter::Or(m) => FilterExpr::Or(m.iter().map(crate_filter_expr).collect()),
        v3::Filter::Condition(c) => FilterExpr::Condition(
            FilterCondition::parse(&c.field, &c.operator, &c.value)
                .unwrap_or_else(|e| panic!("{c:?}: {e}")),
        ),
    }
}

/// The crate's tag value.
pub fn crate_tag(tag: &v3::Tag) -> TagValue {
    let filter = tag
        .filter
        .as_ref()
        .map(|f| TagFilter::new(crate_filter_expr(f)).unwrap_or_else(|e| panic!("{f:?}: {e}")));
    let kind = if tag.dynamic {
        TagKind::Dynamic
    } else {
        TagKind::Static
    };
    TagValue::new(uuid(&tag.uuid), &tag.category, &tag.value, kind, filter)
        .unwrap_or_else(|e| panic!("{tag:?}: {e}"))
}

/// The crate's permission.
pub fn crate_permission(p: &v3::Permission) -> Permission {
    let mut out = Permission::new(uuid(&p.uuid), &p.name).with_actions(
        p.actions
            .iter()
            .map(|a| a.parse().unwrap_or_else(|e| panic!("{a}: {e}"))),
    );
    for o in &p.objects {
        let kind = match o.kind {
            v3::ObjectKind::Tag => ObjectKind::Tag,
            v3::ObjectKind::AllAssets => ObjectKind::AllAssets,
            v3::ObjectKind::AllObjects => ObjectKind::AllObjects,
        };
        let object = PermissionObject::new(kind, o.uuid.as_deref().map(uuid), None)
            .unwrap_or_else(|e| panic!("{o:?}: {e}"));
        out = out.with_object(object);
    }
    for s in &p.subjects {
        let kind = match s.kind {
            v3::SubjectKind::User => SubjectKind::User,
            v3::SubjectKind::UserGroup => SubjectKind::UserGroup,
            v3::SubjectKind::AllUsers => SubjectKind::AllUsers,
            v3::SubjectKind::AllAdmins => SubjectKind::AllAdmins,
        };
        let subject = PermissionSubject::new(kind, s.uuid.as_deref(), s.name.as_deref())
            .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        out = out.with_subject(subject);
    }
    out
}

/// The crate's v3 access control of the policy.
pub fn crate_access_control(policy: &model::Policy) -> AccessControl {
    AccessControl::new(
        policy.tags.iter().map(crate_tag).collect(),
        policy.permissions.iter().map(crate_permission).collect(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The engine's policy through the policy file format in `style`'s dialect, or `None` when
/// the file must be refused (see [`build_engine`]).
#[cfg(feature = "serde")]
pub fn json_engine(policy: &model::Policy, style: Style) -> Option<Policy> {
    assert!(
        policy.tags.is_empty() && policy.permissions.is_empty(),
        "v3 tags and permissions go through the builder only"
    );
    let text = policy_json(policy, style);
    let contradictory = policy
        .groups
        .iter()
        .any(|g| g.all_assets && g.group_type != GroupType::All);
    match Policy::from_json(&text) {
        Ok(engine) if !contradictory => Some(engine),
        Err(error) if contradictory => {
            let message = error.to_string();
            assert!(
                message.contains("all_assets true goes with `ALL` only"),
                "{message}\n{text}"
            );
            None
        }
        Ok(_) => panic!("a contradictory group was loaded\n{text}"),
        Err(error) => panic!("{error}\n{text}"),
    }
}

/// The crate's scope set of scopes as written.
pub fn scope_set(scopes: &[String]) -> ScopeSet {
    ScopeSet::parse(&scopes.join(" ")).unwrap()
}

/// The crate's asset.
pub fn crate_asset(asset: &model::Asset) -> Asset {
    let mut out = Asset::new();
    for (attribute, value) in &asset.values {
        out = out
            .with(attribute, value)
            .unwrap_or_else(|e| panic!("{attribute} {value}: {e}"));
    }
    out
}

/// The crate's role patch.
pub fn crate_patch(patch: &model::RolePatch) -> RolePatch {
    let mut out = RolePatch::new();
    if let Some(name) = &patch.name {
        out = out.rename(name.clone());
    }
    if let Some(description) = &patch.description {
        out = out.describe(description.clone());
    }
    for (field, value) in &patch.flags {
        out = if *value {
            out.grant(flag(field))
        } else {
            out.revoke(flag(field))
        };
    }
    if let Some(scan) = patch.scan {
        out = out.scan_level(scan_level(scan));
    }
    out
}

/// The crate's subject for a model subject. Nobody (no user, no key) has no builder form:
/// it becomes an organization key with no scopes; only a request can say nobody.
pub fn crate_subject(subject: &model::Subject) -> Subject<'_> {
    let mut s = match &subject.user {
        Some(user) => Subject::user(user),
        None => Subject::api_key(ScopeSet::EMPTY),
    };
    if let Some(role) = subject.role {
        s = s.with_role(RoleId::new(role));
    }
    if let Some(groups) = &subject.groups {
        s = s.with_groups(groups);
    }
    if let Some(scopes) = &subject.scopes {
        s = s.with_scopes(scope_set(scopes));
    }
    s
}

/// A model resource as the crate's owned values; [`CrateResource::resource`] borrows it as
/// a `Resource`.
#[derive(Debug)]
pub enum CrateResource {
    /// `Resource::None`.
    None,
    /// An asset (boxed: it is far larger than the other variants).
    Asset(Box<Asset>),
    /// Scan targets.
    Targets(Vec<Target>),
    /// A role id.
    Role(RoleId),
    /// A role draft.
    RoleDraft(RoleDraft),
    /// A role id and a patch.
    RolePatch(RoleId, RolePatch),
    /// A user-group id.
    UserGroup(String),
    /// An access-group id.
    AccessGroup(String),
    /// An access-group draft.
    AccessGroupDraft(AccessGroup),
    /// A tag value's uuid.
    Tag(Uuid),
}

impl CrateResource {
    /// The crate's values for `resource`.
    pub fn new(resource: &model::Resource) -> CrateResource {
        match resource {
            model::Resource::None => CrateResource::None,
            model::Resource::Asset(a) => CrateResource::Asset(Box::new(crate_asset(a))),
            model::Resource::Targets(t) => CrateResource::Targets(
                t.iter()
                    .map(|t| t.parse().unwrap_or_else(|e| panic!("{t}: {e}")))
                    .collect(),
            ),
            model::Resource::Role(id) => CrateResource::Role(RoleId::new(*id)),
            model::Resource::RoleDraft(d) => CrateResource::RoleDraft(
                RoleDraft::new(d.name.clone()).with_permissions(crate_perms(&d.perms)),
            ),
            model::Resource::RolePatch(id, p) => {
                CrateResource::RolePatch(RoleId::new(*id), crate_patch(p))
            }
            model::Resource::UserGroup(g) => CrateResource::UserGroup(g.clone()),
            model::Resource::AccessGroup(id) => CrateResource::AccessGroup(id.clone()),
            model::Resource::AccessGroupDraft(g) => CrateResource::AccessGroupDraft(crate_group(g)),
            model::Resource::Tag(u) => CrateResource::Tag(uuid(u)),
        }
    }

    /// The resource, borrowed.
    pub fn resource(&self) -> Resource<'_> {
        match self {
            CrateResource::None => Resource::None,
            CrateResource::Asset(asset) => Resource::Asset(asset),
            CrateResource::Targets(targets) => Resource::Targets(targets),
            CrateResource::Role(id) => Resource::Role(*id),
            CrateResource::RoleDraft(draft) => Resource::RoleDraft(draft),
            CrateResource::RolePatch(id, patch) => Resource::RolePatch(*id, patch),
            CrateResource::UserGroup(group) => Resource::UserGroup(group),
            CrateResource::AccessGroup(id) => Resource::AccessGroup(id),
            CrateResource::AccessGroupDraft(group) => Resource::AccessGroupDraft(group),
            CrateResource::Tag(uuid) => Resource::Tag(*uuid),
        }
    }
}

#[cfg(feature = "serde")]
pub fn request_json(subject: &model::Subject, action: &str, resource: &model::Resource) -> String {
    let mut s = serde_json::Map::new();
    if let Some(user) = &subject.user {
        s.insert("user".into(), json!(user));
    }
    if let Some(role) = subject.role {
        s.insert("role".into(), json!(role.to_string()));
    }
    if let Some(groups) = &subject.groups {
        s.insert("groups".into(), json!(groups));
    }
    if let Some(scopes) = &subject.scopes {
        s.insert("scopes".into(), json!(scopes));
    }
    let style = Style {
        json: true,
        v1: false,
        booleans: false,
        sparse: true,
    };
    let r = match resource {
        model::Resource::None => None,
        model::Resource::Asset(asset) => {
            let mut by_attribute: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (attribute, value) in &asset.values {
                by_attribute.entry(attribute).or_default().push(value);
            }
            Some(json!({"asset": by_attribute}))
        }
        model::Resource::Targets(targets) => Some(json!({"targets": targets})),
        model::Resource::Role(id) => Some(json!({"role": id.to_string()})),
        model::Resource::RoleDraft(draft) => {
            let mut o = serde_json::Map::new();
            o.insert("name".into(), json!(draft.name));
            perms_json(&mut o, &draft.perms, style);
            if draft.perms.flags.contains("permManageApp") {
                o.insert("permManageApp".into(), json!("true"));
            }
            Some(json!({"role_draft": o}))
        }
        model::Resource::RolePatch(id, patch) => {
            let mut o = serde_json::Map::new();
            if let Some(name) = &patch.name {
                o.insert("name".into(), json!(name));
            }
            if let Some(description) = &patch.description {
                o.insert("description".into(), json!(description));
            }
            for (field, value) in &patch.flags {
                o.insert(
                    (*field).into(),
                    json!(if *value { "true" } else { "false" }),
                );
            }
            if let Some(scan) = patch.scan {
                o.insert("permScan".into(), json!(scan.wire()));
            }
            Some(json!({"role": id.to_string(), "role_patch": o}))
        }
        model::Resource::UserGroup(g) => Some(json!({"group": g})),
        model::Resource::AccessGroup(id) => Some(json!({"access_group": id})),
        model::Resource::AccessGroupDraft(g) => {
            Some(json!({"access_group_draft": group_json(g, false)}))
        }
        model::Resource::Tag(uuid) => Some(json!({"tag": uuid})),
    };
    let mut request = json!({"subject": s, "action": action});
    if let Some(r) = r {
        request["resource"] = r;
    }
    request.to_string()
}

// ---------------------------------------------------------------------------------------
// The engine's decisions in the model's terms.

/// The model's layer.
pub fn model_layer(layer: Layer) -> MLayer {
    match layer {
        Layer::Action => MLayer::Action,
        Layer::Subject => MLayer::Subject,
        Layer::Scopes => MLayer::Scopes,
        Layer::Role => MLayer::Role,
        Layer::Object => MLayer::Object,
    }
}

/// The position of `group` (one of the policy's) in policy order.
pub fn position(policy: &Policy, group: &AccessGroup) -> usize {
    policy
        .access_groups()
        .iter()
        .position(|g| std::ptr::eq(g, group))
        .expect("a group of the policy")
}

/// The model's membership.
pub fn model_membership(m: Membership) -> model::Membership {
    match m {
        Membership::AllAssets => None,
        Membership::Rule { rule, term } => Some((rule, term)),
    }
}

/// The model's grant fact.
pub fn model_grant(g: &Grant<'_>) -> GrantFact {
    match g {
        Grant::AllAssetsDefault => GrantFact::AllAssetsDefault,
        Grant::AllUsers => GrantFact::AllUsers,
        Grant::Principal { index, .. } => GrantFact::Principal(*index),
    }
}

/// What the engine's decision says, in the model's terms.
pub fn engine_outcome(policy: &Policy, decision: &Decision<'_>) -> model::Outcome {
    let detail = match (decision.object(), decision.denial()) {
        (
            Some(ObjectGrant::Asset {
                group,
                membership,
                grant,
                ..
            }),
            _,
        ) => ObjectDetail::Asset(model::Granted {
            group: position(policy, group),
            membership: model_membership(*membership),
            grant: model_grant(grant),
        }),
        (Some(ObjectGrant::Targets(grants)), _) => ObjectDetail::Targets(
            grants
                .iter()
                .filter_map(|t| match &t.by {
                    TargetBy::Group {
                        group,
                        membership,
                        grant,
                    } => Some(model::Granted {
                        group: position(policy, group),
                        membership: model_membership(*membership),
                        grant: model_grant(grant),
                    }),
                    _ => None,
                })
                .collect(),
        ),
        (_, Some(Denial::Asset { containing, .. })) => {
            ObjectDetail::AssetDenied(containing.map(|g| position(policy, g)))
        }
        (
            _,
            Some(Denial::Target {
                index, containing, ..
            }),
        ) => ObjectDetail::TargetDenied(*index, containing.map(|g| position(policy, g))),
        (Some(ObjectGrant::Permission(grant)), _) => {
            ObjectDetail::Permission(model_permission_grant(policy, grant))
        }
        (_, Some(Denial::Tag { uuid, tag, .. })) => {
            if let Some(tag) = tag {
                assert_eq!(tag.uuid(), *uuid, "the denial's tag is the one asked about");
            }
            ObjectDetail::TagDenied(tag.is_some())
        }
        _ => ObjectDetail::None,
    };
    model::Outcome {
        allowed: decision.is_allowed(),
        layer: decision.denied_by().map(model_layer),
        detail,
    }
}

/// The position of `item` (one of `list`) in `list`.
fn index_of<T>(list: &[T], item: &T) -> usize {
    list.iter()
        .position(|x| std::ptr::eq(x, item))
        .expect("an item of the list")
}

/// A permission grant in the model's terms. The references the explanation holds are
/// checked on the way: the permission is the policy's, the subject and object are that
/// permission's, a tag is the policy's tag with that uuid, and a deciding condition is
/// that tag's filter's condition at the position given.
pub fn model_permission_grant(
    policy: &Policy,
    grant: &scangate::policy::PermissionGrant<'_>,
) -> v3::PermGrant {
    let control = policy.access_control();
    let permission = index_of(control.permissions(), grant.permission);
    let subject = index_of(grant.permission.subjects(), grant.subject);
    let action = v3::GRANTING
        .iter()
        .copied()
        .find(|a| *a == grant.action.as_str())
        .unwrap_or_else(|| panic!("{} grants nothing", grant.action));
    let object = match &grant.object {
        GrantedObject::All(object) => {
            v3::Granted::All(index_of(grant.permission.objects(), *object))
        }
        GrantedObject::Tag { uuid, tag, carried } => {
            if let Some(tag) = tag {
                assert!(
                    std::ptr::eq(*tag, control.tag(uuid).expect("a defined tag")),
                    "the explanation's tag is the policy's tag {uuid}"
                );
            } else {
                assert!(control.tag(uuid).is_none(), "{uuid} is defined");
            }
            let carried = match carried {
                TagCarried::Named => v3::Carried::Named,
                TagCarried::Itself => v3::Carried::Itself,
                TagCarried::Filter {
                    position,
                    condition,
                    value,
                } => {
                    let conditions = tag
                        .and_then(|t| t.filter())
                        .expect("a filter decided: the tag is defined with one")
                        .conditions();
                    assert!(
                        std::ptr::eq(*condition, conditions[*position]),
                        "condition {position} of the tag's filter"
                    );
                    v3::Carried::Filter {
                        condition: *position,
                        value: *value,
                    }
                }
                other => panic!("unknown TagCarried {other:?}"),
            };
            v3::Granted::Tag {
                uuid: uuid.to_string(),
                defined: tag.is_some(),
                carried,
            }
        }
        other => panic!("unknown GrantedObject {other:?}"),
    };
    v3::PermGrant {
        permission,
        action,
        subject,
        object,
    }
}
