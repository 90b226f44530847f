//! The one table of dynamic-tag filter fields (`GET /tags/assets/filters`): each field's
//! wire name, the asset attribute it reads and the operators it takes; and the filter
//! operators (`docs/semantics.md`, "Layer 3 v3: permissions and tags").

use core::fmt;
use core::str::FromStr;

use crate::access::{Attribute, ExtraAttribute, Operator, RuleType};

/// A filter operator, as spelled on the wire.
///
/// Each is a rule operator of the access groups, or its negation: a negated operator holds
/// when the asset carries the attribute and the positive one does not hold (a condition on
/// an attribute the asset lacks is false either way: fail closed).
///
/// # Examples
///
/// ```
/// use scangate::{access::Operator, tags::FilterOperator};
/// let op: FilterOperator = "nmatch".parse().unwrap();
/// assert_eq!(op.positive(), Operator::Match);
/// assert!(op.is_negated());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilterOperator {
    /// `eq`: some value equals some term (for `ipv4`, lies in an address, CIDR or range).
    Eq,
    /// `neq`: no value equals any term.
    Neq,
    /// `match`: some value contains some term (`*` is a wildcard).
    Match,
    /// `nmatch`: no value contains any term.
    Nmatch,
    /// `set-has`: the set holds some term.
    SetHas,
    /// `set-hasnot`: the set holds no term.
    SetHasnot,
    /// `set-hasonly`: every member of the set is a term.
    SetHasonly,
}

impl FilterOperator {
    /// Every operator, in the order of the server's filter list.
    pub const ALL: [FilterOperator; 7] = [
        FilterOperator::Eq,
        FilterOperator::Neq,
        FilterOperator::Match,
        FilterOperator::Nmatch,
        FilterOperator::SetHas,
        FilterOperator::SetHasnot,
        FilterOperator::SetHasonly,
    ];

    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            FilterOperator::Eq => "eq",
            FilterOperator::Neq => "neq",
            FilterOperator::Match => "match",
            FilterOperator::Nmatch => "nmatch",
            FilterOperator::SetHas => "set-has",
            FilterOperator::SetHasnot => "set-hasnot",
            FilterOperator::SetHasonly => "set-hasonly",
        }
    }

    /// The access-group operator whose matcher the terms use (`eq`, `match`, `set-has`).
    #[must_use]
    pub const fn positive(self) -> Operator {
        match self {
            FilterOperator::Eq | FilterOperator::Neq => Operator::Eq,
            FilterOperator::Match | FilterOperator::Nmatch => Operator::Match,
            FilterOperator::SetHas | FilterOperator::SetHasnot | FilterOperator::SetHasonly => {
                Operator::SetHas
            }
        }
    }

    /// Whether the operator holds when no value matches (`neq`, `nmatch`, `set-hasnot`).
    #[must_use]
    pub const fn is_negated(self) -> bool {
        matches!(
            self,
            FilterOperator::Neq | FilterOperator::Nmatch | FilterOperator::SetHasnot
        )
    }

    /// The operator's rule over an asset's values of the field, given whether one value
    /// matches the condition's values: none present fails every operator (fail closed);
    /// `set-hasonly` needs every value to match, a negated operator none, the others one.
    /// (`FilterCondition::first_match` applies the same rule and also says which value
    /// decided.)
    #[inline]
    pub(crate) fn rule<V>(
        self,
        values: impl Iterator<Item = V> + Clone,
        matches: impl Fn(V) -> bool,
    ) -> bool {
        let mut values = values;
        if values.clone().next().is_none() {
            return false;
        }
        match self {
            FilterOperator::SetHasonly => values.all(matches),
            op if op.is_negated() => !values.any(matches),
            _ => values.any(matches),
        }
    }
}

impl fmt::Display for FilterOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FilterOperator {
    type Err = String;

    /// The error is the operator as given (cut), for the caller's message.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FilterOperator::ALL
            .iter()
            .copied()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| crate::text::echo(s))
    }
}

macro_rules! filter_fields {
    ($( $variant:ident = $wire:literal, $attr:expr, [$($op:ident),+]; )+) => {
        /// A fixed field of the dynamic-tag filters, one of the 32 the Tenable VM API lists
        /// in `GET /tags/assets/filters` besides one `tag.<category>` field per tag
        /// category ([`Field::TagCategory`]). This table is the one source of truth for
        /// their wire names, the attribute each reads and the operators each takes.
        ///
        /// # Examples
        ///
        /// ```
        /// use scangate::access::{Attribute, RuleType};
        /// use scangate::tags::{FilterField, FilterOperator};
        /// let f: FilterField = "aws_owner_id".parse().unwrap();
        /// assert_eq!(f.attribute(), Attribute::Rule(RuleType::AwsAccount));
        /// assert!(f.allows(FilterOperator::Neq));
        /// assert!(!FilterField::Ipv4.allows(FilterOperator::Neq));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FilterField {
            $( #[doc = concat!("`", $wire, "`")] $variant, )+
        }

        impl FilterField {
            /// Every fixed field, in the order of the server's list.
            pub const ALL: [FilterField; filter_fields!(@count $($variant)+)] =
                [$(FilterField::$variant,)+];

            /// The wire name.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( FilterField::$variant => $wire, )+ }
            }

            /// The asset attribute the field reads: a rule type's where the field is the
            /// same attribute under another name (`aws_owner_id` is `aws_account`).
            #[must_use]
            pub const fn attribute(self) -> Attribute {
                match self { $( FilterField::$variant => $attr, )+ }
            }

            /// The operators the field takes.
            #[must_use]
            pub const fn operators(self) -> &'static [FilterOperator] {
                match self { $( FilterField::$variant => &[$(FilterOperator::$op),+], )+ }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + filter_fields!(@count $($tail)*) };
}

use Attribute::{Extra as X, Rule as R};

filter_fields! {
    TenableUuid = "tenable_uuid", X(ExtraAttribute::TenableUuid), [Eq, Neq];
    MacAddress = "mac_address", R(RuleType::MacAddress), [Eq, Neq];
    NetbiosName = "netbios_name", R(RuleType::NetbiosName), [Eq, Neq, Match, Nmatch];
    Fqdn = "fqdn", R(RuleType::Fqdn), [Eq, Neq, Match, Nmatch];
    OperatingSystem = "operating_system", R(RuleType::OperatingSystem), [Eq, Neq, Match, Nmatch];
    PropertyList = "property_list", X(ExtraAttribute::PropertyList), [SetHas, SetHasnot];
    AwsEc2InstanceId = "aws_ec2_instance_id", R(RuleType::AwsEc2InstanceId), [Eq, Neq];
    AwsEc2InstanceAmiId = "aws_ec2_instance_ami_id", R(RuleType::AwsEc2AmiId), [Eq, Neq];
    AwsOwnerId = "aws_owner_id", R(RuleType::AwsAccount), [Eq, Neq];
    AwsRegion = "aws_region", R(RuleType::AwsRegion), [Eq, Neq];
    AwsAvailabilityZone = "aws_availability_zone", R(RuleType::AwsAvailabilityZone), [Eq, Neq];
    AwsVpcId = "aws_vpc_id", R(RuleType::AwsVpcId), [Eq, Neq];
    AwsEc2InstanceType = "aws_ec2_instance_type", X(ExtraAttribute::AwsEc2InstanceType), [Eq, Neq];
    AwsEc2InstanceStateName = "aws_ec2_instance_state_name", X(ExtraAttribute::AwsEc2InstanceStateName), [Eq, Neq];
    AwsEc2InstanceGroupName = "aws_ec2_instance_group_name", R(RuleType::AwsSecurityGroup), [Eq, Neq];
    AwsSubnetId = "aws_subnet_id", R(RuleType::AwsSubnetId), [Eq, Neq];
    AwsEc2ProductCode = "aws_ec2_product_code", R(RuleType::AwsEc2ProductCode), [Eq, Neq];
    AwsEc2Name = "aws_ec2_name", R(RuleType::AwsEc2Name), [Eq, Neq];
    AzureVmId = "azure_vm_id", R(RuleType::AzureVmId), [Eq, Neq];
    AzureResourceId = "azure_resource_id", R(RuleType::AzureResourceId), [Eq, Neq];
    GcpProjectId = "gcp_project_id", R(RuleType::GcpProjectId), [Eq];
    GcpZone = "gcp_zone", R(RuleType::GcpZone), [Eq];
    GcpInstanceId = "gcp_instance_id", R(RuleType::GcpInstanceId), [Eq];
    QualysAssetId = "qualys_asset_id", R(RuleType::QualysAssetId), [Eq, Neq];
    QualysHostId = "qualys_host_id", R(RuleType::QualysHostId), [Eq, Neq];
    ServicenowSysid = "servicenow_sysid", R(RuleType::ServicenowSysid), [Eq, Neq];
    HasPluginResults = "has_plugin_results", X(ExtraAttribute::HasPluginResults), [Eq];
    Ipv4 = "ipv4", R(RuleType::Ipv4), [Eq];
    InstalledSoftware = "installed_software", X(ExtraAttribute::InstalledSoftware), [Eq, Neq, Match, Nmatch];
    AssetAssessed = "asset_assessed", X(ExtraAttribute::AssetAssessed), [Eq];
    Sources = "sources", X(ExtraAttribute::Sources), [SetHas, SetHasnot, SetHasonly];
    NetworkId = "network_id", R(RuleType::NetworkId), [Eq, Neq];
}

impl FilterField {
    /// Whether the field takes `op`.
    #[must_use]
    pub fn allows(self, op: FilterOperator) -> bool {
        self.operators().contains(&op)
    }
}

impl fmt::Display for FilterField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FilterField {
    type Err = String;

    /// The error is the field as given (cut), for the caller's message.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FilterField::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| crate::text::echo(s))
    }
}

/// The prefix of the per-category fields (`tag.<category>`).
pub const TAG_FIELD_PREFIX: &str = "tag.";

/// The operators of the `tag.<category>` fields.
pub const TAG_FIELD_OPERATORS: [FilterOperator; 2] =
    [FilterOperator::SetHas, FilterOperator::SetHasnot];

/// What a condition tests: a fixed field, or `tag.<category>` (the values of the tags of
/// that category the asset carries, by name).
///
/// # Examples
///
/// ```
/// use scangate::tags::{Field, FilterField};
/// assert_eq!("ipv4".parse(), Ok(Field::Fixed(FilterField::Ipv4)));
/// assert_eq!("tag.Location".parse(), Ok(Field::TagCategory("Location".into())));
/// assert!("tag.".parse::<Field>().is_err());
/// assert!("colour".parse::<Field>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// One of the table's fields.
    Fixed(FilterField),
    /// `tag.<category>`: the category's name as written.
    TagCategory(Box<str>),
}

impl Field {
    /// The operators the field takes.
    #[must_use]
    pub fn operators(&self) -> &'static [FilterOperator] {
        match self {
            Field::Fixed(f) => f.operators(),
            Field::TagCategory(_) => &TAG_FIELD_OPERATORS,
        }
    }

    /// Whether the field takes `op`.
    #[must_use]
    pub fn allows(&self, op: FilterOperator) -> bool {
        self.operators().contains(&op)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Fixed(field) => field.fmt(f),
            Field::TagCategory(c) => write!(f, "{TAG_FIELD_PREFIX}{c}"),
        }
    }
}

impl FromStr for Field {
    type Err = String;

    /// The error is the field as given (cut), for the caller's message.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_prefix(TAG_FIELD_PREFIX) {
            Some(category) if !category.is_empty() => {
                if category.chars().count() > crate::tags::MAX_TAG_NAME_CHARS {
                    return Err(crate::text::echo(s));
                }
                Ok(Field::TagCategory(category.into()))
            }
            Some(_) => Err(crate::text::echo(s)),
            None => s.parse().map(Field::Fixed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_32_distinct_fields_each_with_operators() {
        assert_eq!(FilterField::ALL.len(), 32);
        let mut names: Vec<_> = FilterField::ALL.iter().map(|f| f.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 32);
        for f in FilterField::ALL {
            assert_eq!(f.as_str().parse::<FilterField>(), Ok(f));
            assert!(!f.operators().is_empty());
        }
    }
}
