//! The one table of the asset attributes that only tag filters read (`docs/semantics.md`,
//! "Layer 3 v3: permissions and tags"), and [`Attribute`], which names any attribute an
//! asset may carry: a rule type or one of these.

use core::fmt;
use core::str::FromStr;

use super::asset::AssetError;
use super::rule_type::{RuleType, UnknownRuleType, ValueKind};
use super::term::{AssetValue, TermError};

macro_rules! extra_attributes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, $kind:ident, $choices:expr; )+) => {
        /// An asset attribute that dynamic tag filters test and access-group rules do not
        /// (Tenable's `GET /tags/assets/filters` lists them beside the rule types' own
        /// attributes). Assets carry them under these wire names.
        ///
        /// # Examples
        ///
        /// ```
        /// use scangate::access::ExtraAttribute;
        /// let a: ExtraAttribute = "installed_software".parse().unwrap();
        /// assert_eq!(a, ExtraAttribute::InstalledSoftware);
        /// assert_eq!(ExtraAttribute::Sources.as_str(), "sources");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ExtraAttribute {
            $( $(#[$doc])* $variant, )+
        }

        impl ExtraAttribute {
            /// Every extra attribute, in table order.
            pub const ALL: [ExtraAttribute; extra_attributes!(@count $($variant)+)] =
                [$(ExtraAttribute::$variant,)+];

            /// The number of extra attributes.
            pub const COUNT: usize = extra_attributes!(@count $($variant)+);

            /// The wire name.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( ExtraAttribute::$variant => $wire, )+ }
            }

            /// The kind of value the attribute holds (parsed and normalized as the rule
            /// types' values of that kind are).
            #[must_use]
            pub const fn kind(self) -> ValueKind {
                match self { $( ExtraAttribute::$variant => ValueKind::$kind, )+ }
            }

            /// The only values the attribute takes (normalized), when the server's filter
            /// list fixes them (`true`/`false`); `None` when any value of its kind is valid.
            #[must_use]
            pub const fn choices(self) -> Option<&'static [&'static str]> {
                match self { $( ExtraAttribute::$variant => $choices, )+ }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + extra_attributes!(@count $($tail)*) };
}

/// The two values of the boolean filter fields.
const BOOLEAN: Option<&[&str]> = Some(&["true", "false"]);

extra_attributes! {
    /// `tenable_uuid`: the asset's id (hyphenated or 32 hex digits, as exports write it).
    TenableUuid = "tenable_uuid", Uuid, None;
    /// `property_list`: the names of the properties the asset has values for.
    PropertyList = "property_list", Text, None;
    /// `aws_ec2_instance_type` (`t2.micro`, …).
    AwsEc2InstanceType = "aws_ec2_instance_type", Text, None;
    /// `aws_ec2_instance_state_name` (`running`, `stopped`, …).
    AwsEc2InstanceStateName = "aws_ec2_instance_state_name", Text, None;
    /// `has_plugin_results`: `true` or `false`.
    HasPluginResults = "has_plugin_results", TextNoCase, BOOLEAN;
    /// `installed_software`: CPE names (case-insensitive).
    InstalledSoftware = "installed_software", TextNoCase, None;
    /// `asset_assessed`: `true` or `false`.
    AssetAssessed = "asset_assessed", TextNoCase, BOOLEAN;
    /// `sources`: the sources that reported the asset (`NESSUS_SCAN`, `AWS`, …).
    Sources = "sources", Text, None;
}

impl ExtraAttribute {
    /// The position of this attribute in [`ExtraAttribute::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Parses and normalizes one value (of an asset, or of a filter condition): by the
    /// attribute's kind, a UUID also as 32 hex digits, and within its choices.
    pub(crate) fn parse_value(self, text: &str) -> Result<AssetValue, TermError> {
        let value = AssetValue::parse_kind(self.kind(), &self.spelled(text))?;
        match (self.choices(), &value) {
            (Some(choices), AssetValue::Str(s)) if !choices.contains(&&**s) => {
                Err(TermError::NotAChoice {
                    value: crate::text::echo(text),
                    choices,
                })
            }
            _ => Ok(value),
        }
    }

    /// `text` in the form the kind's parser reads: a 32-hex-digit `tenable_uuid` gains its
    /// hyphens (exports write the asset id without them).
    pub(crate) fn spelled(self, text: &str) -> std::borrow::Cow<'_, str> {
        let bare_hex = text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit());
        match (self, text.get(..8), text.get(8..12), text.get(12..16)) {
            (ExtraAttribute::TenableUuid, Some(a), Some(b), Some(c)) if bare_hex => {
                let (d, e) = (text.get(16..20), text.get(20..));
                std::borrow::Cow::Owned(format!(
                    "{a}-{b}-{c}-{}-{}",
                    d.unwrap_or(""),
                    e.unwrap_or("")
                ))
            }
            _ => std::borrow::Cow::Borrowed(text),
        }
    }
}

impl fmt::Display for ExtraAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExtraAttribute {
    type Err = AssetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExtraAttribute::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| AssetError::UnknownAttribute(UnknownRuleType(crate::text::echo(s))))
    }
}

/// Any attribute an asset may carry: one of the 27 rule types, or an
/// [`ExtraAttribute`] that only tag filters read. Parsed from its wire name.
///
/// # Examples
///
/// ```
/// use scangate::access::{Attribute, ExtraAttribute, RuleType};
/// assert_eq!("fqdn".parse(), Ok(Attribute::Rule(RuleType::Fqdn)));
/// assert_eq!("sources".parse(), Ok(Attribute::Extra(ExtraAttribute::Sources)));
/// assert!("colour".parse::<Attribute>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attribute {
    /// An attribute access-group rules test.
    Rule(RuleType),
    /// An attribute only tag filters test.
    Extra(ExtraAttribute),
}

impl Attribute {
    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Attribute::Rule(t) => t.as_str(),
            Attribute::Extra(a) => a.as_str(),
        }
    }

    /// The kind of value it holds.
    #[must_use]
    pub const fn kind(self) -> ValueKind {
        match self {
            Attribute::Rule(t) => t.kind(),
            Attribute::Extra(a) => a.kind(),
        }
    }

    /// Parses and normalizes one value of this attribute.
    ///
    /// # Errors
    ///
    /// A [`TermError`] as [`AssetValue::parse`] gives, or
    /// [`TermError::NotAChoice`] for a value outside a fixed list.
    pub fn parse_value(self, text: &str) -> Result<AssetValue, TermError> {
        match self {
            Attribute::Rule(t) => AssetValue::parse(t, text),
            Attribute::Extra(a) => a.parse_value(text),
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<RuleType> for Attribute {
    fn from(t: RuleType) -> Attribute {
        Attribute::Rule(t)
    }
}

impl From<ExtraAttribute> for Attribute {
    fn from(a: ExtraAttribute) -> Attribute {
        Attribute::Extra(a)
    }
}

impl FromStr for Attribute {
    type Err = AssetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<RuleType>() {
            Ok(t) => Ok(Attribute::Rule(t)),
            Err(_) => s.parse::<ExtraAttribute>().map(Attribute::Extra),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_from_rule_types_and_round_trip() {
        for a in ExtraAttribute::ALL {
            assert!(a.as_str().parse::<RuleType>().is_err(), "{a}");
            assert_eq!(a.as_str().parse::<Attribute>(), Ok(Attribute::Extra(a)));
            assert_eq!(ExtraAttribute::ALL.get(a.index()), Some(&a));
        }
    }

    #[test]
    fn booleans_take_only_their_choices_and_uuids_both_spellings() {
        let b = ExtraAttribute::HasPluginResults;
        assert_eq!(b.parse_value("TRUE"), Ok(AssetValue::Str("true".into())));
        assert!(matches!(
            b.parse_value("yes"),
            Err(TermError::NotAChoice { .. })
        ));
        let u = ExtraAttribute::TenableUuid;
        assert_eq!(
            u.parse_value("123e4567e89b12d3a456426655440000"),
            u.parse_value("123E4567-E89B-12D3-A456-426655440000")
        );
        assert!(u.parse_value("123e4567e89b12d3a45642665544000g").is_err());
    }
}
