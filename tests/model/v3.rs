//! The model of layer 3's second source of grants, Tenable VM access control v3
//! (`docs/semantics.md`, "Layer 3 v3: permissions and tags"): tag values (static, or
//! dynamic with a filter), permissions (actions on objects for subjects), and which
//! permission grants an action on an asset or a tag, with the explanation the documented
//! order picks.
//!
//! Written from the text with plain data and loops. The one piece shared with the rest of
//! the model is its own term matching (`matching::term_matches`), which restates the
//! access-group matchers that filter conditions reuse; nothing of `scangate::tags` takes
//! part. Uuids are kept as written and compared in one canonical spelling (lowercase):
//! tag uuids are uuids, whatever their case. Subject uuids are compared with user and
//! group ids as written, as access-group principals are.

use super::matching::term_matches;
use super::{Asset, NIL_UUID};

// ---------------------------------------------------------------------------------------
// The filter fields (`GET /tags/assets/filters`): which asset attribute each reads and the
// operators each takes. Restated from the recorded server list; the attribute is the
// access-group rule type's where the field is the same attribute under another name.

/// One filter field.
pub struct FieldRow {
    /// Wire name.
    pub name: &'static str,
    /// The asset attribute it reads.
    pub attribute: &'static str,
    /// The operators it takes.
    pub operators: &'static [&'static str],
}

const fn field(
    name: &'static str,
    attribute: &'static str,
    operators: &'static [&'static str],
) -> FieldRow {
    FieldRow {
        name,
        attribute,
        operators,
    }
}

const EQ: &[&str] = &["eq"];
const EQ_NEQ: &[&str] = &["eq", "neq"];
const TEXT: &[&str] = &["eq", "neq", "match", "nmatch"];
const SET: &[&str] = &["set-has", "set-hasnot"];

/// The 32 fixed fields, in the server's order.
pub const FIELDS: [FieldRow; 32] = [
    field("tenable_uuid", "tenable_uuid", EQ_NEQ),
    field("mac_address", "mac_address", EQ_NEQ),
    field("netbios_name", "netbios_name", TEXT),
    field("fqdn", "fqdn", TEXT),
    field("operating_system", "operating_system", TEXT),
    field("property_list", "property_list", SET),
    field("aws_ec2_instance_id", "aws_ec2_instance_id", EQ_NEQ),
    field("aws_ec2_instance_ami_id", "aws_ec2_ami_id", EQ_NEQ),
    field("aws_owner_id", "aws_account", EQ_NEQ),
    field("aws_region", "aws_region", EQ_NEQ),
    field("aws_availability_zone", "aws_availability_zone", EQ_NEQ),
    field("aws_vpc_id", "aws_vpc_id", EQ_NEQ),
    field("aws_ec2_instance_type", "aws_ec2_instance_type", EQ_NEQ),
    field(
        "aws_ec2_instance_state_name",
        "aws_ec2_instance_state_name",
        EQ_NEQ,
    ),
    field("aws_ec2_instance_group_name", "aws_security_group", EQ_NEQ),
    field("aws_subnet_id", "aws_subnet_id", EQ_NEQ),
    field("aws_ec2_product_code", "aws_ec2_product_code", EQ_NEQ),
    field("aws_ec2_name", "aws_ec2_name", EQ_NEQ),
    field("azure_vm_id", "azure_vm_id", EQ_NEQ),
    field("azure_resource_id", "azure_resource_id", EQ_NEQ),
    field("gcp_project_id", "gcp_project_id", EQ),
    field("gcp_zone", "gcp_zone", EQ),
    field("gcp_instance_id", "gcp_instance_id", EQ),
    field("qualys_asset_id", "qualys_asset_id", EQ_NEQ),
    field("qualys_host_id", "qualys_host_id", EQ_NEQ),
    field("servicenow_sysid", "servicenow_sysid", EQ_NEQ),
    field("has_plugin_results", "has_plugin_results", EQ),
    field("ipv4", "ipv4", EQ),
    field("installed_software", "installed_software", TEXT),
    field("asset_assessed", "asset_assessed", EQ),
    field(
        "sources",
        "sources",
        &["set-has", "set-hasnot", "set-hasonly"],
    ),
    field("network_id", "network_id", EQ_NEQ),
];

/// The operators of the `tag.<category>` fields.
pub const TAG_FIELD_OPERATORS: &[&str] = SET;

/// The row of a fixed field.
pub fn field_row(name: &str) -> Option<&'static FieldRow> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The operators `field` takes (`tag.<category>` included).
pub fn field_operators(name: &str) -> &'static [&'static str] {
    match name.strip_prefix("tag.") {
        Some(category) if !category.is_empty() => TAG_FIELD_OPERATORS,
        _ => field_row(name).map_or(&[], |f| f.operators),
    }
}

// ---------------------------------------------------------------------------------------
// Data.

/// One condition `{field, operator, value}`, the value a comma-separated list as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// A fixed field or `tag.<category>`.
    pub field: String,
    /// `eq`, `neq`, `match`, `nmatch`, `set-has`, `set-hasnot`, `set-hasonly`.
    pub operator: String,
    /// The value as written.
    pub value: String,
}

/// A filter expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// Every member holds.
    And(Vec<Filter>),
    /// Some member holds.
    Or(Vec<Filter>),
    /// One condition.
    Condition(Condition),
}

/// A tag value `Category:Value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// Uuid as written.
    pub uuid: String,
    /// Category name.
    pub category: String,
    /// Value name.
    pub value: String,
    /// `dynamic` (else `static`).
    pub dynamic: bool,
    /// The filter of a dynamic tag, when known.
    pub filter: Option<Filter>,
}

/// A permission object's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// One tag, by uuid.
    Tag,
    /// Every asset and target.
    AllAssets,
    /// Every asset, target and tag.
    AllObjects,
}

/// A permission object.
#[derive(Clone, Debug, PartialEq)]
pub struct PermObject {
    /// Type.
    pub kind: ObjectKind,
    /// The tag's uuid as written (`Tag` objects).
    pub uuid: Option<String>,
}

/// A permission subject's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// One user.
    User,
    /// A user group's members; the nil uuid is All Users.
    UserGroup,
    /// Everyone.
    AllUsers,
    /// The users whose role is the Administrator role.
    AllAdmins,
}

/// A permission subject.
#[derive(Clone, Debug, PartialEq)]
pub struct PermSubject {
    /// Type.
    pub kind: SubjectKind,
    /// Uuid as written (`User`, `UserGroup`; optional for the others).
    pub uuid: Option<String>,
    /// Display name, if any.
    pub name: Option<String>,
}

/// A permission: each action on each object for each subject.
#[derive(Clone, Debug, PartialEq)]
pub struct Permission {
    /// Uuid.
    pub uuid: String,
    /// Name.
    pub name: String,
    /// Actions as the wire spells them.
    pub actions: Vec<&'static str>,
    /// Objects.
    pub objects: Vec<PermObject>,
    /// Subjects.
    pub subjects: Vec<PermSubject>,
}

/// The actions that grant something this library decides; the others are read and grant
/// nothing.
pub const GRANTING: [&str; 4] = ["CanView", "CanScan", "CanEdit", "CanUse"];

/// The later actions of Tenable's client model: read, grant nothing.
pub const NON_GRANTING: [&str; 5] = [
    "CanViewMssp",
    "CanEditMssp",
    "CanImpersonateAdmin",
    "CanImpersonateScanManager",
    "CanImpersonateScanOperator",
];

/// Who asks: user id, user-group ids, whether the role is the Administrator.
#[derive(Clone, Copy, Debug)]
pub struct Who<'a> {
    /// User id.
    pub user: &'a str,
    /// User-group ids.
    pub teams: &'a [String],
    /// Role is the Administrator role.
    pub admin: bool,
}

/// A uuid in one spelling.
pub fn canonical(uuid: &str) -> String {
    uuid.to_ascii_lowercase()
}

impl PermSubject {
    /// Whether the subject names `who`.
    pub fn applies(&self, who: Who<'_>) -> bool {
        let id = self.uuid.as_deref();
        match self.kind {
            SubjectKind::AllUsers => true,
            SubjectKind::UserGroup => {
                id == Some(NIL_UUID) || id.is_some_and(|id| who.teams.iter().any(|t| t == id))
            }
            SubjectKind::User => id == Some(who.user),
            SubjectKind::AllAdmins => who.admin,
        }
    }
}

impl Permission {
    /// Whether the permission lists `action` and the action grants.
    pub fn grants(&self, action: &str) -> bool {
        GRANTING.contains(&action) && self.actions.contains(&action)
    }

    /// The first subject naming `who`.
    pub fn subject_for(&self, who: Who<'_>) -> Option<usize> {
        self.subjects.iter().position(|s| s.applies(who))
    }

    /// The first object covering every object `action` is about: `AllObjects`, or for
    /// viewing and scanning `AllAssets` too (a tag is not an asset).
    pub fn covering_object(&self, action: &str) -> Option<usize> {
        self.objects.iter().position(|o| match o.kind {
            ObjectKind::AllObjects => true,
            ObjectKind::AllAssets => matches!(action, "CanView" | "CanScan"),
            ObjectKind::Tag => false,
        })
    }

    /// Whether a `Tag` object names the tag `uuid`.
    pub fn names_tag(&self, uuid: &str) -> bool {
        self.objects.iter().any(|o| {
            o.kind == ObjectKind::Tag && o.uuid.as_deref().map(canonical) == Some(canonical(uuid))
        })
    }
}

// ---------------------------------------------------------------------------------------
// Which tags an asset carries.

/// The asset's `tag_uuid` values.
fn named_uuids(asset: &Asset) -> impl Iterator<Item = String> + '_ {
    asset
        .values
        .iter()
        .filter(|(attribute, _)| attribute == "tag_uuid")
        .map(|(_, v)| canonical(v))
}

/// The defined tag with this uuid.
pub fn defined<'t>(tags: &'t [Tag], uuid: &str) -> Option<&'t Tag> {
    tags.iter().find(|t| canonical(&t.uuid) == canonical(uuid))
}

/// The value names of the defined tags of `category` (exactly) the asset names: what a
/// `tag.<category>` condition compares with. Dynamic tags the asset does not name do not
/// count (the server applies them).
fn category_values(asset: &Asset, tags: &[Tag], category: &str) -> Vec<String> {
    named_uuids(asset)
        .filter_map(|u| defined(tags, &u))
        .filter(|t| t.category == category)
        .map(|t| t.value.clone())
        .collect()
}

/// The access-group operator whose matcher a filter operator's values use.
fn positive(operator: &str) -> &'static str {
    match operator {
        "eq" | "neq" => "eq",
        "match" | "nmatch" => "match",
        _ => "set-has",
    }
}

impl Condition {
    /// Whether the condition holds for the asset, and which of its values decided:
    /// `Some(Some(i))` for the lowest value `i` matching some asset value (`eq`, `match`,
    /// `set-has`), `Some(None)` when a negated operator or `set-hasonly` holds, `None` when
    /// it does not hold. An asset without the attribute fails every condition on it.
    pub fn holds(&self, asset: &Asset, tags: &[Tag]) -> Option<Option<usize>> {
        let items: Vec<&str> = self.value.split(',').map(str::trim).collect();
        let (values, attribute): (Vec<String>, Option<&str>) = match self.field.strip_prefix("tag.")
        {
            Some(category) => (category_values(asset, tags, category), None),
            None => {
                let row = field_row(&self.field).expect("a field of the table");
                let values = asset
                    .values
                    .iter()
                    .filter(|(a, _)| a == row.attribute)
                    .map(|(_, v)| v.clone())
                    .collect();
                (values, Some(row.attribute))
            }
        };
        if values.is_empty() {
            return None;
        }
        let op = positive(&self.operator);
        let item_matches = |item: &str, value: &str| match attribute {
            Some(attribute) => term_matches(attribute, op, item, value),
            None => item == value,
        };
        let some_item = |value: &String| items.iter().any(|i| item_matches(i, value));
        match self.operator.as_str() {
            "neq" | "nmatch" | "set-hasnot" => values.iter().all(|v| !some_item(v)).then_some(None),
            "set-hasonly" => values.iter().all(some_item).then_some(None),
            _ => (0..items.len())
                .find(|&i| values.iter().any(|v| item_matches(items[i], v)))
                .map(Some),
        }
    }
}

impl Filter {
    /// The number of conditions.
    pub fn count(&self) -> usize {
        match self {
            Filter::Condition(_) => 1,
            Filter::And(m) | Filter::Or(m) => m.iter().map(Filter::count).sum(),
        }
    }

    /// The conditions, depth-first in the order written.
    pub fn conditions(&self) -> Vec<&Condition> {
        match self {
            Filter::Condition(c) => vec![c],
            Filter::And(m) | Filter::Or(m) => m.iter().flat_map(Filter::conditions).collect(),
        }
    }

    /// Whether the filter holds.
    pub fn holds(&self, asset: &Asset, tags: &[Tag]) -> bool {
        match self {
            Filter::Condition(c) => c.holds(asset, tags).is_some(),
            Filter::And(m) => m.iter().all(|f| f.holds(asset, tags)),
            Filter::Or(m) => m.iter().any(|f| f.holds(asset, tags)),
        }
    }

    /// When the filter holds, the condition that decided (its depth-first number, counting
    /// from `first`) and its value: the first member of an `and`, the first holding member
    /// of an `or`.
    pub fn decider(
        &self,
        first: usize,
        asset: &Asset,
        tags: &[Tag],
    ) -> Option<(usize, Option<usize>)> {
        if !self.holds(asset, tags) {
            return None;
        }
        match self {
            Filter::Condition(c) => c.holds(asset, tags).map(|v| (first, v)),
            Filter::And(m) => m.first()?.decider(first, asset, tags),
            Filter::Or(m) => {
                let mut at = first;
                for member in m {
                    if member.holds(asset, tags) {
                        return member.decider(at, asset, tags);
                    }
                    at += member.count();
                }
                None
            }
        }
    }
}

/// Every tag uuid the policy knows, in position order: the defined tags in order, then the
/// uuids only `Tag` objects of permissions name, in order of first mention.
pub fn positions(tags: &[Tag], permissions: &[Permission]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mentioned = tags.iter().map(|t| t.uuid.as_str()).chain(
        permissions
            .iter()
            .flat_map(|p| p.objects.iter())
            .filter(|o| o.kind == ObjectKind::Tag)
            .filter_map(|o| o.uuid.as_deref()),
    );
    for uuid in mentioned {
        let uuid = canonical(uuid);
        if !out.contains(&uuid) {
            out.push(uuid);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Decisions.

/// How the asset carries the tag through which a permission grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Carried {
    /// Its `tag_uuid` values name the tag.
    Named,
    /// The tag's filter selects it: the deciding condition and value.
    Filter {
        /// Depth-first number of the condition.
        condition: usize,
        /// Its value that matched (positive operators).
        value: Option<usize>,
    },
    /// The request is about the tag itself.
    Itself,
}

/// The object through which a permission grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Granted {
    /// Object `index` of the permission, `AllAssets` or `AllObjects`.
    All(usize),
    /// A tag.
    Tag {
        /// Its uuid, canonical.
        uuid: String,
        /// Whether the policy defines it.
        defined: bool,
        /// How the asset carries it.
        carried: Carried,
    },
}

/// Why a permission grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermGrant {
    /// The permission's position.
    pub permission: usize,
    /// The action.
    pub action: &'static str,
    /// The first subject of the permission naming the user.
    pub subject: usize,
    /// The object.
    pub object: Granted,
}

/// The first permission (policy order) granting `action` to `who` on an object covering
/// everything the action is about.
fn all_covering(
    permissions: &[Permission],
    who: Who<'_>,
    action: &'static str,
) -> Option<PermGrant> {
    permissions.iter().enumerate().find_map(|(p, perm)| {
        if !perm.grants(action) {
            return None;
        }
        let subject = perm.subject_for(who)?;
        let object = perm.covering_object(action)?;
        Some(PermGrant {
            permission: p,
            action,
            subject,
            object: Granted::All(object),
        })
    })
}

/// The first permission (policy order) whose `Tag` objects name `uuid` and that grants
/// `action` to `who`, with its subject.
fn first_naming(
    permissions: &[Permission],
    uuid: &str,
    who: Who<'_>,
    action: &str,
) -> Option<(usize, usize)> {
    permissions.iter().enumerate().find_map(|(p, perm)| {
        (perm.grants(action) && perm.names_tag(uuid))
            .then(|| perm.subject_for(who))
            .flatten()
            .map(|s| (p, s))
    })
}

/// Whether a permission grants `action` (`CanView` or `CanScan`) on the asset, and why: a
/// permission covering every asset first (the lowest), else the lowest tag position the
/// asset carries with a permission granting the action through it (named before the
/// filter at one position), and the first permission naming that tag.
pub fn asset_grant(
    tags: &[Tag],
    permissions: &[Permission],
    who: Who<'_>,
    action: &'static str,
    asset: &Asset,
) -> Option<PermGrant> {
    if let Some(grant) = all_covering(permissions, who, action) {
        return Some(grant);
    }
    for uuid in positions(tags, permissions) {
        let Some((permission, subject)) = first_naming(permissions, &uuid, who, action) else {
            continue;
        };
        let tag = defined(tags, &uuid);
        let carried = if named_uuids(asset).any(|u| u == uuid) {
            Carried::Named
        } else {
            match tag
                .and_then(|t| t.filter.as_ref())
                .and_then(|f| f.decider(0, asset, tags))
            {
                Some((condition, value)) => Carried::Filter { condition, value },
                None => continue,
            }
        };
        return Some(PermGrant {
            permission,
            action,
            subject,
            object: Granted::Tag {
                uuid,
                defined: tag.is_some(),
                carried,
            },
        });
    }
    None
}

/// Whether a permission grants `action` (`CanEdit` or `CanUse`) on the tag `uuid`: one on
/// `AllObjects` first, else the first whose `Tag` objects name it.
pub fn tag_grant(
    tags: &[Tag],
    permissions: &[Permission],
    who: Who<'_>,
    action: &'static str,
    uuid: &str,
) -> Option<PermGrant> {
    if let Some(grant) = all_covering(permissions, who, action) {
        return Some(grant);
    }
    let (permission, subject) = first_naming(permissions, uuid, who, action)?;
    Some(PermGrant {
        permission,
        action,
        subject,
        object: Granted::Tag {
            uuid: canonical(uuid),
            defined: defined(tags, uuid).is_some(),
            carried: Carried::Itself,
        },
    })
}

/// The per-user answer: the positions of the permissions granted to `user` in `teams`
/// (a subject names them, not counting `AllAdmins`), and of those available (the others,
/// except those whose every subject is `AllAdmins`: the server lists them in neither).
pub fn permissions_for(
    permissions: &[Permission],
    user: &str,
    teams: &[String],
) -> (Vec<usize>, Vec<usize>) {
    let who = Who {
        user,
        teams,
        admin: false,
    };
    let mut granted = Vec::new();
    let mut available = Vec::new();
    for (i, p) in permissions.iter().enumerate() {
        let admins_only =
            !p.subjects.is_empty() && p.subjects.iter().all(|s| s.kind == SubjectKind::AllAdmins);
        if p.subject_for(who).is_some() {
            granted.push(i);
        } else if !admins_only {
            available.push(i);
        }
    }
    (granted, available)
}
