//! Typed rule terms and the typed values they are compared with.
//!
//! A term is parsed once, when its rule is built, into a [`TermValue`]: IP terms become an
//! inclusive `[first, last]` interval of integers (an address, a CIDR and a range are all
//! intervals), names and texts are normalized strings, MACs, Qualys ids and UUIDs are
//! integers. The written form is kept for `Display` and JSON. Reading the text (its length
//! first, then addresses, intervals and the fixed forms) is `parse.rs`.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::parse::{
    MacAddress, Uuid, check_length, normalize_text, parse_digits, parse_ipv4_interval,
    parse_ipv6_interval, parse_single_ipv4, parse_single_ipv6,
};
use super::rule_type::{Operator, OperatorNotAllowed, RuleType, ValueKind};

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
    /// A name (`fqdn`, `hostname`) over [`MAX_DNS_NAME_CHARS`](crate::access::MAX_DNS_NAME_CHARS) characters, one trailing dot
    /// not counted.
    #[error("name is {chars} characters long, over {max}")]
    NameTooLong {
        /// Its length in characters (without the trailing dot).
        chars: usize,
        /// [`MAX_DNS_NAME_CHARS`](crate::access::MAX_DNS_NAME_CHARS).
        max: usize,
    },
    /// A label of a name over [`MAX_DNS_LABEL_CHARS`](crate::access::MAX_DNS_LABEL_CHARS) characters (in a `match` term, a run
    /// of characters between `.` and `*`).
    #[error("label `{label}` is {chars} characters long, over {max}")]
    LabelTooLong {
        /// The label, cut to 64 characters.
        label: String,
        /// Its length in characters.
        chars: usize,
        /// [`MAX_DNS_LABEL_CHARS`](crate::access::MAX_DNS_LABEL_CHARS).
        max: usize,
    },
    /// Any other term or value over [`MAX_VALUE_CHARS`](crate::access::MAX_VALUE_CHARS) characters.
    #[error("value is {chars} characters long, over {max}")]
    ValueTooLong {
        /// Its length in characters.
        chars: usize,
        /// [`MAX_VALUE_CHARS`](crate::access::MAX_VALUE_CHARS).
        max: usize,
    },
    /// A value outside the fixed list an attribute takes (the boolean filter fields).
    #[error("`{value}` is not one of {}", .choices.join(", "))]
    NotAChoice {
        /// The value as given.
        value: String,
        /// The values allowed.
        choices: &'static [&'static str],
    },
    /// The operator is not allowed for the rule type.
    #[error(transparent)]
    OperatorNotAllowed(#[from] OperatorNotAllowed),
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
    /// A [`TermError`] when the operator is not allowed for the rule type, the text is
    /// longer than its kind allows ([`ValueKind::max_chars`]; for names, also a label over
    /// [`MAX_DNS_LABEL_CHARS`](crate::access::MAX_DNS_LABEL_CHARS)), or the text is not a valid term of that type (bad IP, CIDR
    /// prefix over 32/128, reversed range, bad MAC, non-digit Qualys id, bad UUID, empty).
    /// The length is checked before any other work on the text.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{Operator, RuleType, Term, TermError};
    /// // 253 characters and a trailing dot: at the limit.
    /// let name = format!("{}.{}.{}.{}.", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
    /// assert!(Term::parse(RuleType::Fqdn, Operator::Eq, &name).is_ok());
    /// let err = Term::parse(RuleType::Fqdn, Operator::Ends, &format!("x{name}")).unwrap_err();
    /// assert_eq!(err, TermError::NameTooLong { chars: 254, max: 253 });
    /// assert_eq!(err.to_string(), "name is 254 characters long, over 253");
    /// // A `*` may stand for dots: only the runs between `.` and `*` are labels.
    /// let pattern = format!("{}*{}", "x".repeat(40), "y".repeat(40));
    /// assert!(Term::parse(RuleType::Hostname, Operator::Match, &pattern).is_ok());
    /// ```
    pub fn parse(rule_type: RuleType, operator: Operator, text: &str) -> Result<Term, TermError> {
        if !rule_type.allows(operator) {
            return Err(OperatorNotAllowed {
                rule_type,
                operator,
            }
            .into());
        }
        Term::parse_kind(rule_type.kind(), operator, text)
    }

    /// [`Term::parse`] for a value kind, whatever attribute holds it: the tag filters'
    /// conditions (`src/tags`) parse their values with the same code as rule terms, on
    /// attributes whose operators differ from the access-group table's.
    pub(crate) fn parse_kind(
        kind: ValueKind,
        operator: Operator,
        text: &str,
    ) -> Result<Term, TermError> {
        if text.is_empty() {
            return Err(TermError::Empty);
        }
        check_length(kind, operator == Operator::Match, text)?;
        let value = match kind {
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
    /// A [`TermError`] when the value is empty, longer than its kind allows
    /// ([`ValueKind::max_chars`]; for names, also a label over [`MAX_DNS_LABEL_CHARS`](crate::access::MAX_DNS_LABEL_CHARS)), or
    /// not of the attribute's kind; IP attributes take single addresses only. The length is
    /// checked before the value is lowercased or parsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::{AssetValue, RuleType, TermError};
    /// let label = "a".repeat(64);
    /// assert_eq!(
    ///     AssetValue::parse(RuleType::Hostname, &format!("{label}.corp")).unwrap_err().to_string(),
    ///     format!("label `{label}` is 64 characters long, over 63")
    /// );
    /// assert_eq!(
    ///     AssetValue::parse(RuleType::Fqdn, &"a".repeat(100 * 1024)),
    ///     Err(TermError::NameTooLong { chars: 102_400, max: 253 })
    /// );
    /// ```
    pub fn parse(rule_type: RuleType, text: &str) -> Result<AssetValue, TermError> {
        AssetValue::parse_kind(rule_type.kind(), text)
    }

    /// [`AssetValue::parse`] for a value kind (the attributes of
    /// [`ExtraAttribute`](super::ExtraAttribute) share the rule types' kinds).
    pub(crate) fn parse_kind(kind: ValueKind, text: &str) -> Result<AssetValue, TermError> {
        if text.is_empty() {
            return Err(TermError::Empty);
        }
        check_length(kind, false, text)?;
        Ok(match kind {
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

/// `match`: every `*`-separated piece of `pattern` occurs in `value`, in order, without
/// overlapping. A pattern of only `*` matches every value.
pub(crate) fn contains_pattern(pattern: &str, value: &str) -> bool {
    let mut rest = value;
    // Split on the byte: `*` is ASCII, so every piece is valid UTF-8 too.
    for piece in pattern.as_bytes().split(|b| *b == b'*') {
        if piece.is_empty() {
            continue;
        }
        match find_piece(rest, piece) {
            Some(at) => rest = rest.get(at + piece.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

/// Where `piece` (not empty, valid UTF-8) first occurs in `haystack`, as `str::find` says.
/// Most asset values are short (names of a few dozen bytes): there a scan for the first
/// byte then a comparison beats setting up `str::find`'s two-way searcher (which took 2,800
/// of the 8,300 instructions of a 10-condition filter). A byte match of valid UTF-8 in
/// valid UTF-8 starts and ends at character boundaries, so both find the same position.
/// The scan's worst case is haystack × piece, so it is kept to haystacks under 64 bytes;
/// longer ones go to `str::find`, whose cost stays linear.
fn find_piece(haystack: &str, piece: &[u8]) -> Option<usize> {
    const SHORT: usize = 64;
    let bytes = haystack.as_bytes();
    if bytes.len() >= SHORT {
        return std::str::from_utf8(piece)
            .ok()
            .and_then(|p| haystack.find(p));
    }
    let (&first, tail) = piece.split_first()?;
    let last_start = bytes.len().checked_sub(piece.len())?;
    bytes
        .get(..=last_start)?
        .iter()
        .enumerate()
        .find_map(|(at, b)| {
            (*b == first && bytes.get(at + 1..at + piece.len()) == Some(tail)).then_some(at)
        })
}

#[cfg(test)]
mod tests {
    use super::super::parse::MAX_VALUE_CHARS;
    use super::*;

    #[test]
    fn pattern_pieces_in_order() {
        assert!(contains_pattern("web*corp", "xweb01.corp.y"));
        assert!(!contains_pattern("corp*web", "web01.corp"));
        assert!(contains_pattern("*", "a"));
        assert!(!contains_pattern("aa*aa", "aaa"));
        assert!(contains_pattern("aa*aa", "aaaa"));
    }

    /// The byte scan and `str::find` agree, on both sides of the 64-byte switch and on
    /// multi-byte characters.
    #[test]
    fn byte_search_agrees_with_str_find() {
        let long = format!("{}b.zone7.example.com", "a".repeat(70));
        let hay = [
            "",
            "a",
            "abcabcabd",
            "xx.zone7.example.com",
            "é中é中x",
            "aaaaaaaaaaaaaaaaaaaaaab",
            long.as_str(),
        ];
        let needles = [
            "a",
            "abd",
            "bca",
            "zone7.example",
            ".com",
            "中é",
            "中x",
            "aaaaaaaaaaaaaaaaab",
            "aaaaaaaaaaaaaaaaaaaaaab",
            "aaaaaaaaaaaaaaaaaaaaaaab",
            "é",
            "x",
        ];
        for h in hay {
            for n in needles {
                assert_eq!(find_piece(h, n.as_bytes()), h.find(n), "{h:?} {n:?}");
            }
        }
    }

    /// A name of `len` characters of `c` in labels of 63 (the last one shorter).
    fn name_of(c: char, len: usize) -> String {
        let label: String = std::iter::repeat_n(c, 63).collect();
        let mut name = String::new();
        while name.chars().count() + 64 <= len {
            name.push_str(&label);
            name.push('.');
        }
        let rest = len - name.chars().count();
        name.extend(std::iter::repeat_n(c, rest));
        name
    }

    #[test]
    fn names_at_and_over_253_characters() {
        for c in ['a', 'é', '中'] {
            let at = name_of(c, 253);
            assert_eq!(at.chars().count(), 253);
            for op in Operator::ALL
                .into_iter()
                .filter(|op| RuleType::Fqdn.allows(*op))
            {
                assert!(Term::parse(RuleType::Fqdn, op, &at).is_ok(), "{op} {c}");
                assert!(Term::parse(RuleType::Hostname, op, &format!("{at}.")).is_ok());
                let over = format!("{at}x");
                assert_eq!(
                    Term::parse(RuleType::Hostname, op, &over),
                    Err(TermError::NameTooLong {
                        chars: 254,
                        max: 253
                    }),
                    "{op} {c}"
                );
            }
            assert!(AssetValue::parse(RuleType::Fqdn, &format!("{at}.")).is_ok());
            // Only one trailing dot is removed: the second is an empty label, counted.
            assert_eq!(
                AssetValue::parse(RuleType::Fqdn, &format!("{at}..")),
                Err(TermError::NameTooLong {
                    chars: 254,
                    max: 253
                })
            );
        }
    }

    #[test]
    fn labels_at_and_over_63_characters() {
        for c in ['a', 'é'] {
            let at: String = std::iter::repeat_n(c, 63).collect();
            let over = format!("{at}{c}");
            assert!(AssetValue::parse(RuleType::Hostname, &format!("x.{at}.y")).is_ok());
            let err = AssetValue::parse(RuleType::Hostname, &format!("x.{over}.y")).unwrap_err();
            assert_eq!(
                err,
                TermError::LabelTooLong {
                    label: over.clone(),
                    chars: 64,
                    max: 63
                }
            );
            assert_eq!(
                err.to_string(),
                format!("label `{over}` is 64 characters long, over 63")
            );
            for op in [
                Operator::Eq,
                Operator::Starts,
                Operator::Ends,
                Operator::Match,
            ] {
                assert!(matches!(
                    Term::parse(RuleType::Fqdn, op, &format!("{over}.corp")),
                    Err(TermError::LabelTooLong { chars: 64, .. })
                ));
            }
        }
        // A label over 64 characters is quoted cut.
        let long = "l".repeat(100);
        assert_eq!(
            AssetValue::parse(RuleType::Fqdn, &long)
                .unwrap_err()
                .to_string(),
            format!(
                "label `{}…` is 100 characters long, over 63",
                "l".repeat(64)
            )
        );
    }

    #[test]
    fn a_star_counts_as_one_character_and_ends_a_label_in_match_terms() {
        let stars = "*".repeat(253);
        assert!(Term::parse(RuleType::Fqdn, Operator::Match, &stars).is_ok());
        assert_eq!(
            Term::parse(RuleType::Fqdn, Operator::Match, &format!("{stars}*")),
            Err(TermError::NameTooLong {
                chars: 254,
                max: 253
            })
        );
        // 127 characters without a dot: each run between `*`s fits a label.
        let runs = format!("{}*{}", "x".repeat(63), "y".repeat(63));
        let term = Term::parse(RuleType::Fqdn, Operator::Match, &runs).unwrap();
        let value = AssetValue::parse(
            RuleType::Fqdn,
            &format!("{}.{}", "x".repeat(63), "y".repeat(63)),
        )
        .unwrap();
        assert!(term.matches(&value));
        let long_run = format!("{}*", "x".repeat(64));
        assert!(matches!(
            Term::parse(RuleType::Fqdn, Operator::Match, &long_run),
            Err(TermError::LabelTooLong { chars: 64, .. })
        ));
        // Elsewhere `*` is a literal character of its label.
        assert!(matches!(
            Term::parse(RuleType::Fqdn, Operator::Eq, &runs),
            Err(TermError::LabelTooLong { chars: 127, .. })
        ));
    }

    #[test]
    fn empty_labels_are_within_the_limits() {
        assert!(Term::parse(RuleType::Fqdn, Operator::Ends, ".corp.example.com").is_ok());
        assert!(Term::parse(RuleType::Fqdn, Operator::Eq, "a..b").is_ok());
        assert!(AssetValue::parse(RuleType::Hostname, "a..b").is_ok());
        let dotted = format!(".{}", name_of('a', 252));
        assert!(Term::parse(RuleType::Fqdn, Operator::Ends, &dotted).is_ok());
        assert!(Term::parse(RuleType::Fqdn, Operator::Ends, &format!(".{dotted}")).is_err());
    }

    #[test]
    fn every_other_kind_at_and_over_1024_characters() {
        for rule_type in RuleType::ALL {
            let kind = rule_type.kind();
            if kind == ValueKind::Name {
                continue;
            }
            assert_eq!(kind.max_chars(), MAX_VALUE_CHARS);
            let op = rule_type.operators().first().copied().unwrap();
            for c in ['a', 'é'] {
                let over: String = std::iter::repeat_n(c, 1025).collect();
                let expected = TermError::ValueTooLong {
                    chars: 1025,
                    max: 1024,
                };
                assert_eq!(
                    Term::parse(rule_type, op, &over),
                    Err(expected.clone()),
                    "{rule_type}"
                );
                assert_eq!(
                    AssetValue::parse(rule_type, &over),
                    Err(expected),
                    "{rule_type}"
                );
            }
            if matches!(kind, ValueKind::Text | ValueKind::TextNoCase) {
                let at = "é".repeat(1024);
                assert!(Term::parse(rule_type, op, &at).is_ok(), "{rule_type}");
                assert!(AssetValue::parse(rule_type, &at).is_ok(), "{rule_type}");
            }
        }
        // Leading zeros of a Qualys id are bounded too.
        let id = format!("{}123", "0".repeat(1021));
        assert_eq!(
            AssetValue::parse(RuleType::QualysHostId, &id),
            Ok(AssetValue::Digits(123))
        );
        assert!(AssetValue::parse(RuleType::QualysHostId, &format!("0{id}")).is_err());
    }

    #[test]
    fn the_length_is_checked_before_the_text_is_read() {
        // A megabyte that is neither a name nor an address: the length is the error.
        let big = "A.".repeat(1 << 19);
        assert_eq!(
            AssetValue::parse(RuleType::Fqdn, &big),
            Err(TermError::NameTooLong {
                chars: (1 << 20) - 1,
                max: 253
            })
        );
        assert_eq!(
            Term::parse(RuleType::Ipv4, Operator::Eq, &big),
            Err(TermError::ValueTooLong {
                chars: 1 << 20,
                max: 1024
            })
        );
    }
}
