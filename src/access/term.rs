//! Typed rule terms and the typed values they are compared with.
//!
//! A term is parsed once, when its rule is built, into a [`TermValue`]: IP terms become an
//! inclusive `[first, last]` interval of integers (an address, a CIDR and a range are all
//! intervals), names and texts are normalized strings, MACs, Qualys ids and UUIDs are
//! integers. The written form is kept for `Display` and JSON.

use core::fmt;
use core::str::FromStr;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::rule_type::{Operator, RuleType, ValueKind};

/// Why a term (or an asset value) could not be parsed for its rule type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TermError {
    /// The term is the empty string.
    #[error("empty term")]
    Empty,
    /// A name that is empty once its trailing dot is removed (`.`).
    #[error("empty name")]
    EmptyName,
    /// Not an IPv4 address.
    #[error("`{0}` is not an ipv4 address")]
    BadIpv4(String),
    /// Not an IPv6 address (zone ids such as `%eth0` are not accepted).
    #[error("`{0}` is not an ipv6 address")]
    BadIpv6(String),
    /// A CIDR prefix length that is not a decimal number.
    #[error("`{0}` is not a cidr prefix length")]
    BadPrefix(String),
    /// A CIDR prefix longer than the address (over 32 for IPv4, 128 for IPv6).
    #[error("cidr prefix /{prefix} is over {max}")]
    PrefixTooLong {
        /// The prefix written.
        prefix: u32,
        /// 32 or 128.
        max: u8,
    },
    /// A range whose first address is after its last.
    #[error("reversed range: `{first}` is after `{last}`")]
    ReversedRange {
        /// The first address as written.
        first: String,
        /// The last address as written.
        last: String,
    },
    /// A single address was required (asset values and scan targets are not ranges).
    #[error("`{0}` is not a single address")]
    NotSingleAddress(String),
    /// Not a MAC address.
    #[error("`{0}` is not a mac address (six hex pairs separated by `:` or `-`)")]
    BadMac(String),
    /// Not a Qualys id.
    #[error("`{0}` is not a qualys id (decimal digits only, at most 64 bits)")]
    BadDigits(String),
    /// Not a UUID.
    #[error("`{0}` is not a uuid (8-4-4-4-12 hex digits)")]
    BadUuid(String),
    /// The operator is not allowed for the rule type.
    #[error("operator `{operator}` is not allowed for `{rule_type}`")]
    OperatorNotAllowed {
        /// The rule type.
        rule_type: RuleType,
        /// The operator.
        operator: Operator,
    },
}

/// A MAC address (48 bits). Parses `01:23:45:67:89:AB` and `01-23-45-67-89-ab` (any case,
/// either separator); displays lowercase with `:`.
///
/// # Examples
///
/// ```
/// use scangate::access::MacAddress;
/// let a: MacAddress = "01-23-45-67-89-AB".parse().unwrap();
/// assert_eq!(a, "01:23:45:67:89:ab".parse().unwrap());
/// assert_eq!(a.to_string(), "01:23:45:67:89:ab");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddress(u64);

impl MacAddress {
    /// The address as the low 48 bits of a `u64`.
    #[must_use]
    pub const fn to_u64(self) -> u64 {
        self.0
    }
}

impl FromStr for MacAddress {
    type Err = TermError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || TermError::BadMac(crate::echo(s));
        if s.len() != 17 {
            return Err(bad());
        }
        let mut value: u64 = 0;
        for (i, b) in s.bytes().enumerate() {
            if i % 3 == 2 {
                if b != b':' && b != b'-' {
                    return Err(bad());
                }
            } else {
                let digit = hex_digit(b).ok_or_else(bad)?;
                value = (value << 4) | u64::from(digit);
            }
        }
        Ok(MacAddress(value))
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.to_be_bytes();
        let [_, _, a, c, d, e, g, h] = b;
        write!(f, "{a:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}:{h:02x}")
    }
}

/// A UUID (128 bits). Parses the hyphenated `8-4-4-4-12` form in any case; displays
/// lowercase.
///
/// # Examples
///
/// ```
/// use scangate::access::Uuid;
/// let u: Uuid = "24EC0790-eb18-4c9c-b787-9c1164a9c1b9".parse().unwrap();
/// assert_eq!(u.to_string(), "24ec0790-eb18-4c9c-b787-9c1164a9c1b9");
/// assert!(Uuid::NIL.is_nil());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid(u128);

impl Uuid {
    /// `00000000-0000-0000-0000-000000000000`.
    pub const NIL: Uuid = Uuid(0);

    /// The UUID as a `u128` (big-endian reading of its hex digits).
    #[must_use]
    pub const fn to_u128(self) -> u128 {
        self.0
    }

    /// Whether this is the nil UUID.
    #[must_use]
    pub const fn is_nil(self) -> bool {
        self.0 == 0
    }
}

impl FromStr for Uuid {
    type Err = TermError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || TermError::BadUuid(crate::echo(s));
        if s.len() != 36 {
            return Err(bad());
        }
        let mut value: u128 = 0;
        for (i, b) in s.bytes().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return Err(bad());
                }
            } else {
                let digit = hex_digit(b).ok_or_else(bad)?;
                value = (value << 4) | u128::from(digit);
            }
        }
        Ok(Uuid(value))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            v >> 96,
            (v >> 80) & 0xffff,
            (v >> 64) & 0xffff,
            (v >> 48) & 0xffff,
            v & 0xffff_ffff_ffff
        )
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The parsed, normalized meaning of a term: what it is compared with.
///
/// Strings are normalized like the asset values they are compared with: lowercase for
/// [`ValueKind::Name`] and [`ValueKind::TextNoCase`], with one trailing dot removed for
/// names; unchanged for [`ValueKind::Text`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermValue {
    /// An inclusive interval of IPv4 addresses (`first <= last`), from a single address,
    /// a CIDR (host bits cleared) or a range.
    Ipv4 {
        /// First address as an integer.
        first: u32,
        /// Last address as an integer.
        last: u32,
    },
    /// An inclusive interval of IPv6 addresses (`first <= last`).
    Ipv6 {
        /// First address as an integer.
        first: u128,
        /// Last address as an integer.
        last: u128,
    },
    /// `eq` on names and texts: the normalized value equals this string.
    Equals(Box<str>),
    /// `starts`: the normalized value starts with this string.
    Starts(Box<str>),
    /// `ends`: the normalized value ends with this string.
    Ends(Box<str>),
    /// `match`: the normalized value contains the `*`-separated pieces of this string in
    /// order (a substring match where `*` stands for any run of characters).
    Contains(Box<str>),
    /// A MAC address.
    Mac(MacAddress),
    /// A Qualys id.
    Digits(u64),
    /// A UUID (`tag_uuid` with `set-has`, `network_id` with `eq`).
    Uuid(Uuid),
}

/// One term of a rule: its written form and its parsed [`TermValue`].
///
/// # Examples
///
/// ```
/// use scangate::access::{Operator, RuleType, Term, TermValue};
/// let t = Term::parse(RuleType::Ipv4, Operator::Eq, "172.204.81.57/24").unwrap();
/// assert_eq!(t.to_string(), "172.204.81.57/24"); // written form kept
/// assert_eq!(
///     *t.value(),
///     TermValue::Ipv4 { first: 0xACCC_5100, last: 0xACCC_51FF } // 172.204.81.0-255
/// );
/// assert!(Term::parse(RuleType::Ipv4, Operator::Eq, "10.0.0.9-10.0.0.1").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    written: Box<str>,
    value: TermValue,
}

impl Term {
    /// Parses `text` as a term of a rule of type `rule_type` with operator `operator`.
    ///
    /// # Errors
    ///
    /// A [`TermError`] when the operator is not allowed for the rule type or the text is
    /// not a valid term of that type (bad IP, CIDR prefix over 32/128, reversed range, bad
    /// MAC, non-digit Qualys id, bad UUID, empty).
    pub fn parse(rule_type: RuleType, operator: Operator, text: &str) -> Result<Term, TermError> {
        if !rule_type.allows(operator) {
            return Err(TermError::OperatorNotAllowed {
                rule_type,
                operator,
            });
        }
        if text.is_empty() {
            return Err(TermError::Empty);
        }
        let value = match rule_type.kind() {
            ValueKind::Ipv4 => {
                let (first, last) = parse_ipv4_interval(text)?;
                TermValue::Ipv4 { first, last }
            }
            ValueKind::Ipv6 => {
                let (first, last) = parse_ipv6_interval(text)?;
                TermValue::Ipv6 { first, last }
            }
            ValueKind::Mac => TermValue::Mac(text.parse()?),
            ValueKind::Digits => TermValue::Digits(parse_digits(text)?),
            ValueKind::Uuid => TermValue::Uuid(text.parse()?),
            kind @ (ValueKind::Name | ValueKind::TextNoCase | ValueKind::Text) => {
                let s = normalize_text(kind, text)?;
                match operator {
                    Operator::Eq | Operator::SetHas => TermValue::Equals(s),
                    Operator::Starts => TermValue::Starts(s),
                    Operator::Ends => TermValue::Ends(s),
                    Operator::Match => TermValue::Contains(s),
                }
            }
        };
        Ok(Term {
            written: text.into(),
            value,
        })
    }

    /// The term as written (what `Display` and JSON give back).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The parsed meaning of the term.
    #[must_use]
    pub fn value(&self) -> &TermValue {
        &self.value
    }

    /// Whether this term matches one asset value (of the rule's attribute). Values of
    /// another kind never match. Allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{AssetValue, Operator, RuleType, Term};
    /// let t = Term::parse(RuleType::Fqdn, Operator::Match, "web*corp").unwrap();
    /// let v = AssetValue::parse(RuleType::Fqdn, "WEB01.Corp.Example.com.").unwrap();
    /// assert!(t.matches(&v));
    /// ```
    #[must_use]
    pub fn matches(&self, value: &AssetValue) -> bool {
        match (&self.value, value) {
            (TermValue::Ipv4 { first, last }, AssetValue::Ipv4(v)) => {
                let v = u32::from(*v);
                *first <= v && v <= *last
            }
            (TermValue::Ipv6 { first, last }, AssetValue::Ipv6(v)) => {
                let v = u128::from(*v);
                *first <= v && v <= *last
            }
            (TermValue::Equals(t), AssetValue::Str(v)) => **t == **v,
            (TermValue::Starts(t), AssetValue::Str(v)) => v.starts_with(&**t),
            (TermValue::Ends(t), AssetValue::Str(v)) => v.ends_with(&**t),
            (TermValue::Contains(t), AssetValue::Str(v)) => contains_pattern(t, v),
            (TermValue::Mac(t), AssetValue::Mac(v)) => t == v,
            (TermValue::Digits(t), AssetValue::Digits(v)) => t == v,
            (TermValue::Uuid(t), AssetValue::Uuid(v)) => t == v,
            _ => false,
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// One normalized value of an asset attribute (or of a scan target).
///
/// # Examples
///
/// ```
/// use scangate::access::{AssetValue, RuleType};
/// assert_eq!(
///     AssetValue::parse(RuleType::Hostname, "DemoHost.").unwrap(),
///     AssetValue::parse(RuleType::Hostname, "demohost").unwrap()
/// );
/// assert!(AssetValue::parse(RuleType::Ipv4, "10.0.0.0/24").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetValue {
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address (IPv4-mapped addresses stay IPv6).
    Ipv6(Ipv6Addr),
    /// A normalized name or text (see [`TermValue`] for the normalization).
    Str(Box<str>),
    /// A MAC address.
    Mac(MacAddress),
    /// A Qualys id.
    Digits(u64),
    /// A UUID.
    Uuid(Uuid),
}

impl AssetValue {
    /// Parses and normalizes one value of attribute `rule_type`.
    ///
    /// # Errors
    ///
    /// A [`TermError`] when the value is empty or not of the attribute's kind; IP
    /// attributes take single addresses only.
    pub fn parse(rule_type: RuleType, text: &str) -> Result<AssetValue, TermError> {
        if text.is_empty() {
            return Err(TermError::Empty);
        }
        Ok(match rule_type.kind() {
            ValueKind::Ipv4 => AssetValue::Ipv4(parse_single_ipv4(text)?),
            ValueKind::Ipv6 => AssetValue::Ipv6(parse_single_ipv6(text)?),
            ValueKind::Mac => AssetValue::Mac(text.parse()?),
            ValueKind::Digits => AssetValue::Digits(parse_digits(text)?),
            ValueKind::Uuid => AssetValue::Uuid(text.parse()?),
            kind @ (ValueKind::Name | ValueKind::TextNoCase | ValueKind::Text) => {
                AssetValue::Str(normalize_text(kind, text)?)
            }
        })
    }
}

impl fmt::Display for AssetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetValue::Ipv4(a) => a.fmt(f),
            AssetValue::Ipv6(a) => a.fmt(f),
            AssetValue::Str(s) => f.write_str(s),
            AssetValue::Mac(m) => m.fmt(f),
            AssetValue::Digits(d) => d.fmt(f),
            AssetValue::Uuid(u) => u.fmt(f),
        }
    }
}

/// Normalizes a name or text: lowercase for names and case-insensitive texts, one
/// trailing dot removed for names.
pub(crate) fn normalize_text(kind: ValueKind, text: &str) -> Result<Box<str>, TermError> {
    if text.is_empty() {
        return Err(TermError::Empty);
    }
    match kind {
        ValueKind::Name => {
            let lower = text.to_lowercase();
            let trimmed = lower.strip_suffix('.').unwrap_or(&lower);
            if trimmed.is_empty() {
                return Err(TermError::EmptyName);
            }
            Ok(trimmed.into())
        }
        ValueKind::TextNoCase => Ok(text.to_lowercase().into()),
        _ => Ok(text.into()),
    }
}

/// `match`: every `*`-separated piece of `pattern` occurs in `value`, in order, without
/// overlapping. A pattern of only `*` matches every value.
pub(crate) fn contains_pattern(pattern: &str, value: &str) -> bool {
    let mut rest = value;
    for piece in pattern.split('*') {
        if piece.is_empty() {
            continue;
        }
        match rest.find(piece) {
            Some(at) => rest = rest.get(at + piece.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

fn parse_digits(text: &str) -> Result<u64, TermError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TermError::BadDigits(crate::echo(text)));
    }
    text.parse::<u64>()
        .map_err(|_| TermError::BadDigits(crate::echo(text)))
}

pub(crate) fn parse_single_ipv4(text: &str) -> Result<Ipv4Addr, TermError> {
    if text.contains(['/', '-']) {
        return Err(TermError::NotSingleAddress(crate::echo(text)));
    }
    text.parse::<Ipv4Addr>()
        .map_err(|_| TermError::BadIpv4(crate::echo(text)))
}

pub(crate) fn parse_single_ipv6(text: &str) -> Result<Ipv6Addr, TermError> {
    if text.contains(['/', '-']) {
        return Err(TermError::NotSingleAddress(crate::echo(text)));
    }
    text.parse::<Ipv6Addr>()
        .map_err(|_| TermError::BadIpv6(crate::echo(text)))
}

fn parse_prefix(text: &str, max: u8) -> Result<u32, TermError> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(TermError::BadPrefix(crate::echo(text)));
    }
    let prefix = text
        .parse::<u32>()
        .map_err(|_| TermError::BadPrefix(crate::echo(text)))?;
    if prefix > u32::from(max) {
        return Err(TermError::PrefixTooLong { prefix, max });
    }
    Ok(prefix)
}

/// Parses a single address, a CIDR (`a/prefix`, host bits allowed) or a range (`a-b`) into
/// the inclusive interval it covers. `addr` parses one address; `mask(prefix)` is the
/// network mask of that prefix length; `bits` is the address width.
fn parse_interval<T>(
    text: &str,
    bits: u8,
    addr: impl Fn(&str) -> Result<T, TermError>,
    mask: impl Fn(u32) -> T,
) -> Result<(T, T), TermError>
where
    T: Copy
        + Ord
        + std::ops::BitAnd<Output = T>
        + std::ops::BitOr<Output = T>
        + std::ops::Not<Output = T>,
{
    if let Some((a, p)) = text.split_once('/') {
        let base = addr(a)?;
        let mask = mask(parse_prefix(p, bits)?);
        let first = base & mask;
        Ok((first, first | !mask))
    } else if let Some((a, b)) = text.split_once('-') {
        let (first, last) = (addr(a)?, addr(b)?);
        if first > last {
            return Err(TermError::ReversedRange {
                first: crate::echo(a),
                last: crate::echo(b),
            });
        }
        Ok((first, last))
    } else {
        let a = addr(text)?;
        Ok((a, a))
    }
}

fn parse_ipv4_interval(text: &str) -> Result<(u32, u32), TermError> {
    let addr = |s: &str| {
        s.parse::<Ipv4Addr>()
            .map(u32::from)
            .map_err(|_| TermError::BadIpv4(crate::echo(s)))
    };
    parse_interval(text, 32, addr, |prefix| {
        u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
    })
}

fn parse_ipv6_interval(text: &str) -> Result<(u128, u128), TermError> {
    let addr = |s: &str| {
        s.parse::<Ipv6Addr>()
            .map(u128::from)
            .map_err(|_| TermError::BadIpv6(crate::echo(s)))
    };
    parse_interval(text, 128, addr, |prefix| {
        u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_pieces_in_order() {
        assert!(contains_pattern("web*corp", "xweb01.corp.y"));
        assert!(!contains_pattern("corp*web", "web01.corp"));
        assert!(contains_pattern("*", "a"));
        assert!(!contains_pattern("aa*aa", "aaa"));
        assert!(contains_pattern("aa*aa", "aaaa"));
    }

    #[test]
    fn uuid_and_mac_display_round_trip() {
        let u: Uuid = "a59ae831-2695-40b1-a9f9-9a26258f5486".parse().unwrap();
        assert_eq!(u.to_string(), "a59ae831-2695-40b1-a9f9-9a26258f5486");
        let m: MacAddress = "0A:1b-2C:3d-4E:5f".parse().unwrap();
        assert_eq!(m.to_string(), "0a:1b:2c:3d:4e:5f");
    }
}
