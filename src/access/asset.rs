//! Assets (many values per attribute) and scan targets.

use core::fmt;
use core::str::FromStr;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::extra::{Attribute, ExtraAttribute};
use super::parse::{
    MAX_DNS_LABEL_CHARS, MAX_DNS_NAME_CHARS, check_name_length, parse_single_ipv4,
    parse_single_ipv6,
};
use super::rule_type::{RuleType, UnknownRuleType};
use super::term::{AssetValue, TermError};

/// An asset value that could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AssetError {
    /// The attribute name is not a rule type name (the name, cut, is the source's `.0`).
    #[error("unknown asset attribute `{}`", .0.0)]
    UnknownAttribute(#[from] UnknownRuleType),
    /// The value is not valid for the attribute.
    #[error("asset attribute `{attribute}` value `{value}`: {reason}")]
    BadValue {
        /// The attribute.
        attribute: Attribute,
        /// The value as given.
        value: String,
        /// Why it is not valid.
        #[source]
        reason: TermError,
    },
}

/// What a host knows about an asset: for each attribute (keyed by the rule type names,
/// `ipv4`, `fqdn`, `tag_uuid`, …) any number of values, normalized once when added
/// (names lowercased with the trailing dot removed, IPs, MACs and UUIDs parsed).
///
/// # Examples
///
/// ```
/// use scangate::Asset;
/// use scangate::access::RuleType;
/// let asset = Asset::new()
///     .with("ipv4", "10.1.2.3")?
///     .with("ipv4", "192.168.0.7")?
///     .with("fqdn", "Web01.Corp.Example.com.")?;
/// assert_eq!(asset.values(RuleType::Ipv4).len(), 2);
/// assert_eq!(asset.values(RuleType::Fqdn)[0].to_string(), "web01.corp.example.com");
/// # Ok::<(), scangate::access::AssetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asset {
    values: [Vec<AssetValue>; RuleType::COUNT],
    /// The attributes only tag filters read (`docs/semantics.md`, "Layer 3 v3").
    extra: [Vec<AssetValue>; ExtraAttribute::COUNT],
}

impl Asset {
    /// An asset with no values (no rule matches it; All Assets still contains it).
    #[must_use]
    pub fn new() -> Asset {
        Asset::default()
    }

    /// Adds `value` to `attribute`.
    ///
    /// # Errors
    ///
    /// [`AssetError::BadValue`] when the value is not valid for the attribute (IP
    /// attributes take single addresses).
    pub fn insert(&mut self, attribute: RuleType, value: &str) -> Result<(), AssetError> {
        self.insert_attribute(Attribute::Rule(attribute), value)
    }

    /// Adds `value` to any attribute (a rule type or an [`ExtraAttribute`]).
    ///
    /// # Errors
    ///
    /// [`AssetError::BadValue`] when the value is not valid for the attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{Asset, access::{Attribute, ExtraAttribute}};
    /// let mut asset = Asset::new();
    /// asset.insert_attribute(Attribute::Extra(ExtraAttribute::AssetAssessed), "TRUE")?;
    /// assert_eq!(asset.extra_values(ExtraAttribute::AssetAssessed)[0].to_string(), "true");
    /// # Ok::<(), scangate::access::AssetError>(())
    /// ```
    pub fn insert_attribute(
        &mut self,
        attribute: Attribute,
        value: &str,
    ) -> Result<(), AssetError> {
        let parsed = attribute
            .parse_value(value)
            .map_err(|reason| AssetError::BadValue {
                attribute,
                value: crate::text::echo(value),
                reason,
            })?;
        let slot = match attribute {
            Attribute::Rule(t) => self.values.get_mut(t.index()),
            Attribute::Extra(a) => self.extra.get_mut(a.index()),
        };
        if let Some(slot) = slot {
            slot.push(parsed);
        }
        Ok(())
    }

    /// Adds `value` to the attribute named `attribute` and returns the asset.
    ///
    /// # Errors
    ///
    /// [`AssetError::UnknownAttribute`] for a name that is not a rule type,
    /// [`AssetError::BadValue`] for a bad value.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = scangate::Asset::new().with("ipv4", "10.0.0.256").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "asset attribute `ipv4` value `10.0.0.256`: `10.0.0.256` is not an ipv4 address"
    /// );
    /// ```
    pub fn with(mut self, attribute: &str, value: &str) -> Result<Asset, AssetError> {
        let attribute: Attribute = attribute.parse()?;
        self.insert_attribute(attribute, value)?;
        Ok(self)
    }

    /// The values of `attribute`, in the order added.
    #[must_use]
    pub fn values(&self, attribute: RuleType) -> &[AssetValue] {
        self.values
            .get(attribute.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The values of an attribute only tag filters read, in the order added.
    #[must_use]
    pub fn extra_values(&self, attribute: ExtraAttribute) -> &[AssetValue] {
        self.extra
            .get(attribute.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The values of any attribute, in the order added.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{Asset, access::{Attribute, ExtraAttribute}};
    /// let asset = Asset::new().with("sources", "NESSUS_SCAN")?;
    /// let sources = Attribute::Extra(ExtraAttribute::Sources);
    /// assert_eq!(asset.attribute_values(sources)[0].to_string(), "NESSUS_SCAN");
    /// # Ok::<(), scangate::access::AssetError>(())
    /// ```
    #[must_use]
    pub fn attribute_values(&self, attribute: Attribute) -> &[AssetValue] {
        match attribute {
            Attribute::Rule(t) => self.values(t),
            Attribute::Extra(a) => self.extra_values(a),
        }
    }

    /// Whether the asset has no value at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Vec::is_empty) && self.extra.iter().all(Vec::is_empty)
    }

    /// The asset a bare scan target stands for: an IPv4 target is an asset with that one
    /// `ipv4` value, an IPv6 target one `ipv6` value, a name target that name as both its
    /// `fqdn` and its `hostname`.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::{Asset, Target};
    /// use scangate::access::RuleType;
    /// let t: Target = "db01.corp".parse().unwrap();
    /// let a = Asset::from_target(&t);
    /// assert_eq!(a.values(RuleType::Hostname), a.values(RuleType::Fqdn));
    /// ```
    #[must_use]
    pub fn from_target(target: &Target) -> Asset {
        let mut asset = Asset::new();
        for attribute in target.attributes() {
            if let Some(slot) = asset.values.get_mut(attribute.index()) {
                slot.push(target.value.clone());
            }
        }
        asset
    }

    /// The rule-type attributes that have at least one value, with their values.
    pub fn iter(&self) -> impl Iterator<Item = (RuleType, &[AssetValue])> + '_ {
        RuleType::ALL
            .iter()
            .map(|t| (*t, self.values(*t)))
            .filter(|(_, v)| !v.is_empty())
    }

    /// Every attribute (rule types, then the extra attributes) that has at least one
    /// value, with its values.
    pub fn attributes(&self) -> impl Iterator<Item = (Attribute, &[AssetValue])> + '_ {
        let extra = ExtraAttribute::ALL
            .iter()
            .map(|a| (Attribute::Extra(*a), self.extra_values(*a)))
            .filter(|(_, v)| !v.is_empty());
        self.iter()
            .map(|(t, v)| (Attribute::Rule(t), v))
            .chain(extra)
    }
}

/// A scan target string that is not an IPv4 address, an IPv6 address or a host name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The empty string.
    #[error("empty scan target")]
    Empty,
    /// Looks like an IPv4 address (digits and dots) but is not one.
    #[error("scan target `{0}` is not an ipv4 address")]
    BadIpv4(String),
    /// Contains `:` but is not an IPv6 address.
    #[error("scan target `{0}` is not an ipv6 address")]
    BadIpv6(String),
    /// A CIDR or a range: a target is one address or one name.
    #[error("scan target `{0}` is a cidr or range; give single addresses or names")]
    NotSingle(String),
    /// Not a valid host name (a character other than letters, digits, `-` and `_`, or an
    /// empty label).
    #[error(
        "scan target `{0}` is not a host name (letters, digits, `-` and `_` in dot-separated labels of 1-{label} characters, at most {name} in all)",
        label = MAX_DNS_LABEL_CHARS,
        name = MAX_DNS_NAME_CHARS
    )]
    BadName(String),
    /// Longer than a DNS name ([`MAX_DNS_NAME_CHARS`], one trailing dot not counted;
    /// checked before anything else), or a name with a label over [`MAX_DNS_LABEL_CHARS`].
    #[error("scan target `{target}`: {reason}")]
    TooLong {
        /// The target as written, cut to 64 characters.
        target: String,
        /// [`TermError::NameTooLong`] or [`TermError::LabelTooLong`].
        #[source]
        reason: TermError,
    },
}

/// One scan target, as written in a scan's target list: an IPv4 address, an IPv6 address
/// or a host name (FQDN or short host name). Names are normalized like asset names
/// (lowercase, trailing dot removed). A target is at most [`MAX_DNS_NAME_CHARS`]
/// characters (one trailing dot not counted), checked before anything else, and a name's
/// labels at most [`MAX_DNS_LABEL_CHARS`] ([`TargetError::TooLong`]).
///
/// # Examples
///
/// ```
/// use scangate::Target;
/// assert_eq!("10.0.0.1".parse::<Target>().unwrap().ipv4(), Some([10, 0, 0, 1].into()));
/// let t: Target = "Web01.Example.COM.".parse().unwrap();
/// assert_eq!(t.to_string(), "web01.example.com");
/// assert!(t.is_name());
/// assert!("10.0.0.0/24".parse::<Target>().is_err());
/// let long = format!("{}.example.com", "a".repeat(300));
/// assert_eq!(
///     long.parse::<Target>().unwrap_err().to_string(),
///     format!("scan target `{}…`: name is 312 characters long, over 253", "a".repeat(64))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    value: AssetValue,
}

impl Target {
    /// Whether the target is written as a name (not an IP address).
    #[must_use]
    pub fn is_name(&self) -> bool {
        matches!(self.value, AssetValue::Str(_))
    }

    /// The IPv4 address, when the target is written as one.
    #[must_use]
    pub fn ipv4(&self) -> Option<Ipv4Addr> {
        match self.value {
            AssetValue::Ipv4(a) => Some(a),
            _ => None,
        }
    }

    /// The IPv6 address, when the target is written as one.
    #[must_use]
    pub fn ipv6(&self) -> Option<Ipv6Addr> {
        match self.value {
            AssetValue::Ipv6(a) => Some(a),
            _ => None,
        }
    }

    /// The rule types whose rules can match this target in a SCAN_TARGETS group: `ipv4`
    /// for an IPv4 target, `ipv6` for an IPv6 target, `fqdn` and `hostname` for a name.
    #[must_use]
    pub fn attributes(&self) -> &'static [RuleType] {
        match self.value {
            AssetValue::Ipv4(_) => &[RuleType::Ipv4],
            AssetValue::Ipv6(_) => &[RuleType::Ipv6],
            _ => &[RuleType::Fqdn, RuleType::Hostname],
        }
    }

    /// The target's value as seen by rules of type `attribute`, or `None` when such a
    /// rule cannot match this target's format.
    #[must_use]
    pub fn value_for(&self, attribute: RuleType) -> Option<&AssetValue> {
        self.attributes()
            .contains(&attribute)
            .then_some(&self.value)
    }
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(TargetError::Empty);
        }
        let too_long = |reason| TargetError::TooLong {
            target: crate::text::echo(s),
            reason,
        };
        // Bounded before anything else: no address is longer than a name may be.
        let name = s.strip_suffix('.').unwrap_or(s);
        if name.len() > MAX_DNS_NAME_CHARS {
            check_name_length(name, false).map_err(too_long)?;
        }
        if s.contains('/') {
            return Err(TargetError::NotSingle(crate::text::echo(s)));
        }
        if let Some((a, b)) = s.split_once('-') {
            let is_ip = |x: &str| x.parse::<Ipv4Addr>().is_ok() || x.parse::<Ipv6Addr>().is_ok();
            if is_ip(a) && is_ip(b) {
                return Err(TargetError::NotSingle(crate::text::echo(s)));
            }
        }
        if s.contains(':') {
            return parse_single_ipv6(s)
                .map(|a| Target {
                    value: AssetValue::Ipv6(a),
                })
                .map_err(|_| TargetError::BadIpv6(crate::text::echo(s)));
        }
        if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return parse_single_ipv4(s)
                .map(|a| Target {
                    value: AssetValue::Ipv4(a),
                })
                .map_err(|_| TargetError::BadIpv4(crate::text::echo(s)));
        }
        check_name_length(name, false).map_err(too_long)?;
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !name.split('.').all(label_ok) {
            return Err(TargetError::BadName(crate::text::echo(s)));
        }
        Ok(Target {
            value: AssetValue::Str(name.to_ascii_lowercase().into()),
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}
