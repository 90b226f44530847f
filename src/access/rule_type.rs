//! The one table of access-group rule types, their wire names, the kind of value they
//! hold and the operators each allows.

use core::fmt;
use core::str::FromStr;

/// A rule operator, as spelled on the wire.
///
/// # Examples
///
/// ```
/// use scangate::access::Operator;
/// assert_eq!("set-has".parse::<Operator>(), Ok(Operator::SetHas));
/// assert_eq!(Operator::Starts.to_string(), "starts");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// `eq`: equality; for IP rules, a CIDR or a range is containment.
    Eq,
    /// `match`: partial (substring) match, `*` is a wildcard.
    Match,
    /// `starts`: the value starts with the term.
    Starts,
    /// `ends`: the value ends with the term.
    Ends,
    /// `set-has`: the asset's set (of tags) contains the term.
    SetHas,
}

impl Operator {
    /// Every operator, in wire-name order of the server's filter lists.
    pub const ALL: [Operator; 5] = [
        Operator::Eq,
        Operator::Match,
        Operator::Starts,
        Operator::Ends,
        Operator::SetHas,
    ];

    /// The wire name (`eq`, `match`, `starts`, `ends`, `set-has`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(scangate::access::Operator::SetHas.as_str(), "set-has");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Match => "match",
            Operator::Starts => "starts",
            Operator::Ends => "ends",
            Operator::SetHas => "set-has",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operator name that is not one of `eq`, `match`, `starts`, `ends`, `set-has`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operator `{0}` (expected one of `eq`, `match`, `starts`, `ends`, `set-has`)")]
pub struct UnknownOperator(pub String);

impl FromStr for Operator {
    type Err = UnknownOperator;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Operator::ALL
            .iter()
            .copied()
            .find(|op| op.as_str() == s)
            .ok_or_else(|| UnknownOperator(crate::text::echo(s)))
    }
}

/// The kind of value a rule type's terms and an asset's attribute values hold. It decides
/// how terms are parsed and normalized (`docs/semantics.md`, "Layer 3", "Rules and terms").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// IPv4 addresses; terms may be an address, a CIDR or a range.
    Ipv4,
    /// IPv6 addresses; terms may be an address, a CIDR or a range.
    Ipv6,
    /// DNS names: case-insensitive, one trailing dot ignored.
    Name,
    /// Free text compared case-insensitively (operating systems, NetBIOS names, Azure ids).
    TextNoCase,
    /// Free text compared exactly, case-sensitively (AWS, GCP and ServiceNow ids).
    Text,
    /// MAC addresses (`:` or `-` separators, any case).
    Mac,
    /// Decimal ids (Qualys), digits only.
    Digits,
    /// UUIDs (`8-4-4-4-12` hex, any case).
    Uuid,
}

macro_rules! rule_types {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, $kind:ident, [$($op:ident),+]; )+) => {
        /// An access-group rule type (an asset attribute), one of the 27 the Tenable VM
        /// API lists in `GET /access-groups/rules/filters` (v1, 2019) and
        /// `GET /v2/access-groups/rules/filters` (v2, 2021).
        ///
        /// This table is the one source of truth for wire names, value kinds and
        /// allowed operators.
        ///
        /// # Examples
        ///
        /// ```
        /// use scangate::access::{Operator, RuleType};
        /// let t: RuleType = "hostname".parse().unwrap();
        /// assert!(t.allows(Operator::Starts));
        /// assert!(!RuleType::Ipv4.allows(Operator::Match));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleType {
            $( $(#[$doc])* $variant, )+
        }

        impl RuleType {
            /// Every rule type, in table order.
            pub const ALL: [RuleType; rule_types!(@count $($variant)+)] = [$(RuleType::$variant,)+];

            /// The number of rule types.
            pub const COUNT: usize = rule_types!(@count $($variant)+);

            /// The wire name (`ipv4`, `tag_uuid`, …).
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( RuleType::$variant => $wire, )+ }
            }

            /// The kind of value this attribute holds.
            #[must_use]
            pub const fn kind(self) -> ValueKind {
                match self { $( RuleType::$variant => ValueKind::$kind, )+ }
            }

            /// The operators this rule type allows.
            #[must_use]
            pub const fn operators(self) -> &'static [Operator] {
                match self { $( RuleType::$variant => &[$(Operator::$op),+], )+ }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + rule_types!(@count $($tail)*) };
}

rule_types! {
    /// `aws_account`
    AwsAccount = "aws_account", Text, [Eq];
    /// `aws_availability_zone`
    AwsAvailabilityZone = "aws_availability_zone", Text, [Eq];
    /// `aws_ec2_ami_id`
    AwsEc2AmiId = "aws_ec2_ami_id", Text, [Eq];
    /// `aws_ec2_instance_id`
    AwsEc2InstanceId = "aws_ec2_instance_id", Text, [Eq];
    /// `aws_ec2_name`
    AwsEc2Name = "aws_ec2_name", Text, [Eq];
    /// `aws_ec2_product_code`
    AwsEc2ProductCode = "aws_ec2_product_code", Text, [Eq];
    /// `aws_region`
    AwsRegion = "aws_region", Text, [Eq];
    /// `aws_security_group`
    AwsSecurityGroup = "aws_security_group", Text, [Eq];
    /// `aws_subnet_id`
    AwsSubnetId = "aws_subnet_id", Text, [Eq];
    /// `aws_vpc_id`
    AwsVpcId = "aws_vpc_id", Text, [Eq];
    /// `azure_resource_id` (Azure resource ids are case-insensitive)
    AzureResourceId = "azure_resource_id", TextNoCase, [Eq];
    /// `azure_vm_id` (Azure resource ids are case-insensitive)
    AzureVmId = "azure_vm_id", TextNoCase, [Eq];
    /// `fqdn`
    Fqdn = "fqdn", Name, [Eq, Match, Starts, Ends];
    /// `gcp_instance_id`
    GcpInstanceId = "gcp_instance_id", Text, [Eq];
    /// `gcp_project_id`
    GcpProjectId = "gcp_project_id", Text, [Eq];
    /// `gcp_zone`
    GcpZone = "gcp_zone", Text, [Eq];
    /// `hostname`
    Hostname = "hostname", Name, [Eq, Match, Starts, Ends];
    /// `ipv4`
    Ipv4 = "ipv4", Ipv4, [Eq];
    /// `ipv6`
    Ipv6 = "ipv6", Ipv6, [Eq];
    /// `mac_address`
    MacAddress = "mac_address", Mac, [Eq];
    /// `netbios_name` (NetBIOS names are case-insensitive)
    NetbiosName = "netbios_name", TextNoCase, [Eq];
    /// `network_id` (a network UUID; the default network is the nil UUID)
    NetworkId = "network_id", Uuid, [Eq];
    /// `operating_system`
    OperatingSystem = "operating_system", TextNoCase, [Eq, Match];
    /// `qualys_asset_id`
    QualysAssetId = "qualys_asset_id", Digits, [Eq];
    /// `qualys_host_id`
    QualysHostId = "qualys_host_id", Digits, [Eq];
    /// `servicenow_sysid`
    ServicenowSysid = "servicenow_sysid", Text, [Eq];
    /// `tag_uuid`
    TagUuid = "tag_uuid", Uuid, [SetHas];
}

impl RuleType {
    /// Whether `op` is allowed for this rule type.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{Operator, RuleType};
    /// assert!(RuleType::TagUuid.allows(Operator::SetHas));
    /// assert!(!RuleType::TagUuid.allows(Operator::Eq));
    /// ```
    #[must_use]
    pub fn allows(self, op: Operator) -> bool {
        self.operators().contains(&op)
    }

    /// The position of this rule type in [`RuleType::ALL`] (`0..RuleType::COUNT`).
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for RuleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operator that the rule type does not allow (`match` on `ipv4`, `eq` on `tag_uuid`):
/// the one error for it, whether a rule or a single term was being read.
///
/// # Examples
///
/// ```
/// use scangate::access::{Operator, OperatorNotAllowed, RuleType};
/// let e = OperatorNotAllowed { rule_type: RuleType::Ipv4, operator: Operator::Match };
/// assert_eq!(e.to_string(), "operator `match` is not allowed for `ipv4` (allowed: `eq`)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("operator `{operator}` is not allowed for `{rule_type}` (allowed: {})", allowed_list(*rule_type))]
pub struct OperatorNotAllowed {
    /// The rule type.
    pub rule_type: RuleType,
    /// The operator.
    pub operator: Operator,
}

/// The operators `rule_type` allows, quoted and comma-separated.
fn allowed_list(rule_type: RuleType) -> String {
    rule_type
        .operators()
        .iter()
        .map(|op| format!("`{op}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rule type name that is not in the table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule type `{0}`")]
pub struct UnknownRuleType(pub String);

impl FromStr for RuleType {
    type Err = UnknownRuleType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownRuleType(crate::text::echo(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_27_distinct_names_and_index_matches_position() {
        assert_eq!(RuleType::COUNT, 27);
        for (i, t) in RuleType::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(t.as_str().parse::<RuleType>(), Ok(*t));
        }
        let mut names: Vec<_> = RuleType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 27);
    }
}
