//! Reading term and asset-value text: the length bounds, checked before anything else,
//! then addresses (single, or a CIDR or a range as an interval), MACs, UUIDs, Qualys ids and
//! normalized names and texts.
//!
//! Every term and asset value is bounded in length before anything else is done with it
//! (see [`ValueKind::max_chars`]): asset names come from the scanned hosts themselves, so an
//! attacker chooses them, and an unbounded name would make every check against it slower.

use core::fmt;
use core::str::FromStr;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::rule_type::ValueKind;
use super::term::TermError;

/// At most this many characters in a DNS name: an `fqdn` or `hostname` term (any
/// operator), asset value or scan target, not counting one trailing dot (RFC 1035 §2.3.4:
/// 255 octets on the wire are 253 characters written out).
pub const MAX_DNS_NAME_CHARS: usize = 253;

/// At most this many characters in one label (a dot-separated part) of a DNS name (RFC 1035
/// §2.3.4). In a `match` term the limit holds for each run of characters between `.` and
/// `*`, as a `*` may stand for dots.
pub const MAX_DNS_LABEL_CHARS: usize = 63;

/// At most this many characters in any other term or asset value (operating systems,
/// cloud and ServiceNow ids, NetBIOS names, and the fixed forms: addresses, MACs, Qualys ids,
/// UUIDs).
pub const MAX_VALUE_CHARS: usize = 1_024;

impl ValueKind {
    /// The most characters a term or an asset value of this kind may have:
    /// [`MAX_DNS_NAME_CHARS`] for names (one trailing dot not counted, and labels of at
    /// most [`MAX_DNS_LABEL_CHARS`]), [`MAX_VALUE_CHARS`] for every other kind. Characters
    /// are counted as written (before lowercasing), a `*` as one.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{Operator, RuleType, Term, TermError, ValueKind};
    /// assert_eq!(ValueKind::Name.max_chars(), 253);
    /// assert_eq!(ValueKind::TextNoCase.max_chars(), 1024);
    /// let long = "a".repeat(1025);
    /// assert_eq!(
    ///     Term::parse(RuleType::OperatingSystem, Operator::Match, &long),
    ///     Err(TermError::ValueTooLong { chars: 1025, max: 1024 })
    /// );
    /// ```
    #[must_use]
    pub const fn max_chars(self) -> usize {
        match self {
            ValueKind::Name => MAX_DNS_NAME_CHARS,
            ValueKind::Ipv4
            | ValueKind::Ipv6
            | ValueKind::TextNoCase
            | ValueKind::Text
            | ValueKind::Mac
            | ValueKind::Digits
            | ValueKind::Uuid => MAX_VALUE_CHARS,
        }
    }
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
        let bad = || TermError::BadMac(crate::text::echo(s));
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
        let bad = || TermError::BadUuid(crate::text::echo(s));
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

/// The length of `text` in characters when it is over `max`, counted only when its length
/// in bytes is (at most `max` bytes are at most `max` characters). Linear, allocation-free.
fn chars_over(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let chars = text.chars().count();
    (chars > max).then_some(chars)
}

/// Checks the length of a term or value of `kind` as written, before any other work on it:
/// at most `kind.max_chars()` characters (a name without one trailing dot), and for names
/// labels of at most [`MAX_DNS_LABEL_CHARS`]. `wildcard` (a `match` term): a `*` ends a
/// label as a `.` does, since it may stand for dots.
pub(super) fn check_length(kind: ValueKind, wildcard: bool, text: &str) -> Result<(), TermError> {
    match kind {
        ValueKind::Name => check_name_length(text.strip_suffix('.').unwrap_or(text), wildcard),
        _ => match chars_over(text, kind.max_chars()) {
            Some(chars) => Err(TermError::ValueTooLong {
                chars,
                max: kind.max_chars(),
            }),
            None => Ok(()),
        },
    }
}

/// Checks a name (its trailing dot already removed) against [`MAX_DNS_NAME_CHARS`], then
/// each label against [`MAX_DNS_LABEL_CHARS`]. Empty labels are within the limits.
pub(crate) fn check_name_length(name: &str, wildcard: bool) -> Result<(), TermError> {
    if let Some(chars) = chars_over(name, MAX_DNS_NAME_CHARS) {
        return Err(TermError::NameTooLong {
            chars,
            max: MAX_DNS_NAME_CHARS,
        });
    }
    let ends_label = |c: char| c == '.' || (wildcard && c == '*');
    for label in name.split(ends_label) {
        if let Some(chars) = chars_over(label, MAX_DNS_LABEL_CHARS) {
            return Err(TermError::LabelTooLong {
                label: crate::text::echo(label),
                chars,
                max: MAX_DNS_LABEL_CHARS,
            });
        }
    }
    Ok(())
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

pub(super) fn parse_digits(text: &str) -> Result<u64, TermError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TermError::BadDigits(crate::text::echo(text)));
    }
    text.parse::<u64>()
        .map_err(|_| TermError::BadDigits(crate::text::echo(text)))
}

pub(crate) fn parse_single_ipv4(text: &str) -> Result<Ipv4Addr, TermError> {
    if text.contains(['/', '-']) {
        return Err(TermError::NotSingleAddress(crate::text::echo(text)));
    }
    text.parse::<Ipv4Addr>()
        .map_err(|_| TermError::BadIpv4(crate::text::echo(text)))
}

pub(crate) fn parse_single_ipv6(text: &str) -> Result<Ipv6Addr, TermError> {
    if text.contains(['/', '-']) {
        return Err(TermError::NotSingleAddress(crate::text::echo(text)));
    }
    text.parse::<Ipv6Addr>()
        .map_err(|_| TermError::BadIpv6(crate::text::echo(text)))
}

fn parse_prefix(text: &str, max: u8) -> Result<u32, TermError> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(TermError::BadPrefix(crate::text::echo(text)));
    }
    let prefix = text
        .parse::<u32>()
        .map_err(|_| TermError::BadPrefix(crate::text::echo(text)))?;
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
                first: crate::text::echo(a),
                last: crate::text::echo(b),
            });
        }
        Ok((first, last))
    } else {
        let a = addr(text)?;
        Ok((a, a))
    }
}

pub(super) fn parse_ipv4_interval(text: &str) -> Result<(u32, u32), TermError> {
    let addr = |s: &str| {
        s.parse::<Ipv4Addr>()
            .map(u32::from)
            .map_err(|_| TermError::BadIpv4(crate::text::echo(s)))
    };
    parse_interval(text, 32, addr, |prefix| {
        u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
    })
}

pub(super) fn parse_ipv6_interval(text: &str) -> Result<(u128, u128), TermError> {
    let addr = |s: &str| {
        s.parse::<Ipv6Addr>()
            .map(u128::from)
            .map_err(|_| TermError::BadIpv6(crate::text::echo(s)))
    };
    parse_interval(text, 128, addr, |prefix| {
        u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_and_mac_display_round_trip() {
        let u: Uuid = "a59ae831-2695-40b1-a9f9-9a26258f5486".parse().unwrap();
        assert_eq!(u.to_string(), "a59ae831-2695-40b1-a9f9-9a26258f5486");
        let m: MacAddress = "0A:1b-2C:3d-4E:5f".parse().unwrap();
        assert_eq!(m.to_string(), "0a:1b:2c:3d:4e:5f");
    }
}
