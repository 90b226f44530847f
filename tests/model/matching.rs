//! The model's access-group matching (SPEC §4 and the "Rules and terms" and "Membership and
//! matching" sections of `docs/semantics.md`), written from the text with std only: its own
//! IPv4/IPv6 interval arithmetic, name folding, wildcard search and value normalization.
//! Terms and values are kept as written and parsed at every use, so the model has no
//! precomputed state that could hide a parsing difference.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The 21 rule types that take only `eq` (SPEC §4's table).
pub const EQ_ONLY_TYPES: [&str; 21] = [
    "aws_account",
    "aws_availability_zone",
    "aws_ec2_ami_id",
    "aws_ec2_instance_id",
    "aws_ec2_name",
    "aws_ec2_product_code",
    "aws_region",
    "aws_security_group",
    "aws_subnet_id",
    "aws_vpc_id",
    "azure_resource_id",
    "azure_vm_id",
    "gcp_instance_id",
    "gcp_project_id",
    "gcp_zone",
    "mac_address",
    "netbios_name",
    "network_id",
    "qualys_asset_id",
    "qualys_host_id",
    "servicenow_sysid",
];

/// The operators SPEC §4 allows for `rule_type`.
pub fn operators(rule_type: &str) -> &'static [&'static str] {
    match rule_type {
        "ipv4" | "ipv6" => &["eq"],
        "fqdn" | "hostname" => &["eq", "match", "starts", "ends"],
        "operating_system" => &["eq", "match"],
        "tag_uuid" => &["set-has"],
        t if EQ_ONLY_TYPES.contains(&t) => &["eq"],
        _ => &[],
    }
}

/// An address as a number, with the family's width in bits.
fn address(family: &str, text: &str) -> Option<(u128, u32)> {
    match family {
        "ipv4" => text
            .parse::<Ipv4Addr>()
            .ok()
            .map(|a| (u128::from(u32::from(a)), 32)),
        _ => text.parse::<Ipv6Addr>().ok().map(|a| (u128::from(a), 128)),
    }
}

/// An IP term as the inclusive interval it covers: a single address, a CIDR (host bits
/// allowed and cleared) or a range `a-b`.
fn interval(family: &str, term: &str) -> Option<(u128, u128)> {
    if let Some((base, prefix)) = term.split_once('/') {
        let (value, bits) = address(family, base)?;
        let prefix: u32 = prefix.parse().ok()?;
        if prefix > bits {
            return None;
        }
        let free = bits - prefix;
        if free == 128 {
            return Some((0, u128::MAX));
        }
        // Clear the `free` low bits for the bottom; the block is 2^free addresses.
        let low = (value >> free) << free;
        let high = low + ((1u128 << free) - 1);
        return Some((low, high));
    }
    if let Some((from, to)) = term.split_once('-') {
        let (from, _) = address(family, from)?;
        let (to, _) = address(family, to)?;
        return (from <= to).then_some((from, to));
    }
    let (value, _) = address(family, term)?;
    Some((value, value))
}

/// A name folded for comparison: Unicode lowercase, one trailing dot removed.
pub fn fold_name(text: &str) -> String {
    let lower = text.to_lowercase();
    match lower.strip_suffix('.') {
        Some(stripped) => stripped.to_owned(),
        None => lower,
    }
}

/// Partial, unanchored `*` pattern: the pieces between `*`s occur in order without
/// overlapping.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    for piece in pattern.split('*') {
        if piece.is_empty() {
            continue;
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// A MAC address (six hex pairs, `:` or `-`, mixed allowed) as a number.
fn mac(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split([':', '-']).collect();
    if parts.len() != 6 {
        return None;
    }
    let mut value = 0u64;
    for part in parts {
        if part.len() != 2 {
            return None;
        }
        value = value * 256 + u64::from_str_radix(part, 16).ok()?;
    }
    Some(value)
}

/// How a value of `attribute` is compared: the normalized form as a string.
fn normalize(attribute: &str, text: &str) -> Option<String> {
    match attribute {
        "fqdn" | "hostname" => Some(fold_name(text)),
        "operating_system" | "netbios_name" | "azure_resource_id" | "azure_vm_id" => {
            Some(text.to_lowercase())
        }
        "mac_address" => mac(text).map(|m| m.to_string()),
        "qualys_asset_id" | "qualys_host_id" => {
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            text.parse::<u64>().ok().map(|n| n.to_string())
        }
        "tag_uuid" | "network_id" => Some(text.to_ascii_lowercase()),
        // The attributes only tag filters read (`docs/semantics.md`, "Layer 3 v3:
        // permissions and tags"): CPE names and the two booleans compare without case, the
        // asset id is a UUID also written as 32 hex digits; the others compare exactly.
        "installed_software" | "has_plugin_results" | "asset_assessed" => Some(text.to_lowercase()),
        "tenable_uuid" => Some(text.replace('-', "").to_ascii_lowercase()),
        _ => Some(text.to_owned()),
    }
}

/// Whether term `term` of a rule (`attribute`, `operator`) matches the asset value `value`
/// (both as written).
pub fn term_matches(attribute: &str, operator: &str, term: &str, value: &str) -> bool {
    match attribute {
        "ipv4" | "ipv6" => {
            let Some((low, high)) = interval(attribute, term) else {
                return false;
            };
            let Some((v, _)) = address(attribute, value) else {
                return false;
            };
            low <= v && v <= high
        }
        _ => {
            let (Some(term), Some(value)) =
                (normalize(attribute, term), normalize(attribute, value))
            else {
                return false;
            };
            match operator {
                "eq" | "set-has" => term == value,
                "starts" => value.starts_with(&term),
                "ends" => value.ends_with(&term),
                "match" => wildcard(&term, &value),
                _ => false,
            }
        }
    }
}

/// A scan target's format (semantics: only digits and dots is IPv4, a `:` is IPv6,
/// anything else a host name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetFormat {
    /// IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// Host name.
    Name,
}

/// The format of a written target.
pub fn target_format(target: &str) -> TargetFormat {
    if target.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        TargetFormat::Ipv4
    } else if target.contains(':') {
        TargetFormat::Ipv6
    } else {
        TargetFormat::Name
    }
}

/// The rule types that can match a target of `format` (SPEC §4: the rule type must match
/// the target's format).
pub fn target_rule_types(format: TargetFormat) -> &'static [&'static str] {
    match format {
        TargetFormat::Ipv4 => &["ipv4"],
        TargetFormat::Ipv6 => &["ipv6"],
        TargetFormat::Name => &["fqdn", "hostname"],
    }
}
