//! The scope table, [`ScopeSet`] and the scope errors.

use std::fmt;
use std::str::FromStr;

/// Generates [`Scope`] and its lookup functions from one table.
macro_rules! scope_table {
    ($( $variant:ident => $wire:literal, $description:literal; )*) => {
        /// One organization API-key scope, spelled exactly as the platform spells it.
        ///
        /// Parse with [`str::parse`] / [`Scope::parse`]; print with `Display`. The two
        /// round-trip. Parsing is strict (case-sensitive, no whitespace); a near miss gets a
        /// suggestion:
        ///
        /// ```
        /// use scangate::Scope;
        ///
        /// assert_eq!("scans:run".parse::<Scope>(), Ok(Scope::ScansRun));
        /// assert_eq!(Scope::ScansRun.to_string(), "scans:run");
        /// let err = "scans : run".parse::<Scope>().unwrap_err();
        /// assert_eq!(err.suggestion(), Some(Scope::ScansRun));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum Scope {
            $(
                #[doc = concat!("`", $wire, "`: ", $description)]
                $variant,
            )*
        }

        impl Scope {
            /// Every scope, in catalogue order (the order of Tenable's table:
            /// `docs/semantics.md`, "Layer 1", "Catalogue").
            pub const ALL: &'static [Scope] = &[$(Scope::$variant,)*];

            /// The scope as the platform spells it, e.g. `"scans:read"`.
            ///
            /// ```
            /// assert_eq!(scangate::Scope::OrgMembershipsManage.as_str(), "org.memberships:manage");
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(Scope::$variant => $wire,)* }
            }

            /// What the scope allows, in Tenable's words (verbatim).
            ///
            /// ```
            /// assert_eq!(scangate::Scope::ScansRead.description(), "Allows viewing existing scans.");
            /// ```
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self { $(Scope::$variant => $description,)* }
            }

            fn from_wire(text: &str) -> Option<Scope> {
                match text {
                    $($wire => Some(Scope::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

scope_table! {
    Scans => "scans", "Provides unrestricted access to scan management.";
    ScansRead => "scans:read", "Allows viewing existing scans.";
    ScansManage => "scans:manage", "Allows managing scans, for example editing scan settings or retesting a scan.";
    ScansRun => "scans:run", "Allows running scans.";
    ScansStop => "scans:stop", "Allows stopping scans.";
    ScansDelete => "scans:delete", "Allows deleting scans.";
    IssuesRead => "issues:read", "Allows viewing detected issues.";
    IssuesManage => "issues:manage", "Allows managing detected issues, for example assigning a user to an issue, marking an issue as resolved, or retesting an issue.";
    ProjectsManage => "projects:manage", "Allows managing projects, for example creating a new project or editing an existing one.";
    ProjectsRead => "projects:read", "Allows displaying available projects. This scope is required for running a scan.";
    ProjectsDelete => "projects:delete", "Allows deleting projects.";
    GroupsAdmin => "groups:admin", "Provides unrestricted access to all organization groups, including the possibility to assign a role to a group and view all group members.";
    GroupsManage => "groups:manage", "Allow managing groups, for example creating a new group or editing an existing group.";
    GroupsRead => "groups:read", "Allows viewing information about groups that a user has been added to.";
    GroupsDelete => "groups:delete", "Allows deleting groups.";
    RolesRead => "roles:read", "Allows viewing a list of roles.";
    RolesWrite => "roles:write", "Allows creating and editing custom roles. The default roles (for example, “Admin”, “Owner”, etc.) are read-only.";
    FilesRead => "files:read", "Allows reading files from the storage and verifying targets.";
    FilesWrite => "files:write", "Allows managing files in the storage, for example uploading or deleting them.";
    IntegrationReposRead => "integration.repos:read", "Allows viewing associated repositories, for example GitHub repositories , Slack channels, or Jira boards.";
    RepeatersRead => "repeaters:read", "Allows viewing organization’s repeaters.";
    RepeatersWrite => "repeaters:write", "Allows creating, editing, deleting a repeater, as well as testing repeater connection to a network.";
    Scim => "scim", "Enables user and group provisioning from ADFS to a Nexploit organization.";
    Bot => "bot", "Enables communication between a Repeater and the Nexploit engine.";
    ScriptsRead => "scripts:read", "Allows viewing repeater’s scripts.";
    ScriptsWrite => "scripts:write", "Allows creating, editing and deleting scripts.";
    OrgRead => "org:read", "Allows viewing basic information about an organization.";
    OrgWrite => "org:write", "Allows editing basic information about an organization and managing its basic settings, for example, enforcing MFA.";
    OrgMembershipsManage => "org.memberships:manage", "Allows managing organization members, for example adding a member to an organization, deleting a member from an organization, or viewing a member’s profile.";
    OrgMembershipsRead => "org.memberships:read", "Allows viewing members of an organization.";
}

/// What holding one scope grants beyond itself.
#[derive(Clone, Copy, Debug)]
enum Implies {
    /// A bare resource scope (`scans`) grants every `resource:verb` scope of that resource.
    EveryVerbOfItsResource,
    /// Exactly these scopes.
    These(&'static [Scope]),
}

/// The implication table: the only implications there are (`docs/semantics.md`,
/// "Layer 1", implication).
///
/// `scans` is "unrestricted access to scan management"; `groups:admin` is "unrestricted
/// access to all organization groups". Nothing else implies anything: `:manage` does not
/// imply `:read`, and `org:*` does not reach `org.memberships:*`.
const IMPLICATIONS: &[(Scope, Implies)] = &[
    (Scope::Scans, Implies::EveryVerbOfItsResource),
    (
        Scope::GroupsAdmin,
        Implies::These(&[Scope::GroupsRead, Scope::GroupsManage, Scope::GroupsDelete]),
    ),
];

// A `ScopeSet` is a `u64` bitset: the catalogue must fit.
const _: () = assert!(Scope::ALL.len() <= 64, "ScopeSet holds at most 64 scopes");

impl Scope {
    /// Parses one scope strictly; the same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// [`ScopeError`] naming the text, what is wrong with it and, when one is close, the
    /// scope that was probably meant.
    ///
    /// ```
    /// use scangate::Scope;
    /// assert_eq!(Scope::parse("groups:admin"), Ok(Scope::GroupsAdmin));
    /// assert_eq!(
    ///     Scope::parse("scan:read").unwrap_err().to_string(),
    ///     "unknown scope `scan:read`; did you mean `scans:read`?"
    /// );
    /// ```
    pub fn parse(text: &str) -> Result<Scope, ScopeError> {
        if let Some(scope) = Scope::from_wire(text) {
            return Ok(scope);
        }
        Err(ScopeError::new(
            text,
            check_grammar(text).err().unwrap_or(ScopeErrorKind::Unknown),
        ))
    }

    /// The scope's position in the catalogue, which is its bit in a [`ScopeSet`].
    const fn bit(self) -> u64 {
        1 << (self as u8)
    }

    /// The scope itself plus everything it implies, as bits.
    const fn closure_bits(self) -> u64 {
        let mut bits = self.bit();
        let mut table = IMPLICATIONS;
        while let Some(((holder, implies), rest)) = table.split_first() {
            if *holder as u8 == self as u8 {
                bits |= match implies {
                    Implies::EveryVerbOfItsResource => verbs_of(self.as_str().as_bytes()),
                    Implies::These(scopes) => bits_of(scopes),
                };
            }
            table = rest;
        }
        bits
    }

    /// The scopes this scope grants beyond itself, in catalogue order.
    ///
    /// ```
    /// use scangate::Scope;
    /// let implied: Vec<Scope> = Scope::GroupsAdmin.implies().iter().collect();
    /// assert_eq!(implied, [Scope::GroupsManage, Scope::GroupsRead, Scope::GroupsDelete]);
    /// assert!(Scope::ScansManage.implies().is_empty());
    /// ```
    #[must_use]
    pub const fn implies(self) -> ScopeSet {
        ScopeSet::from_bits(self.closure_bits() & !self.bit())
    }
}

/// Bits of every `resource:verb` scope whose resource is exactly `resource`.
const fn verbs_of(resource: &[u8]) -> u64 {
    let mut bits = 0;
    let mut all = Scope::ALL;
    while let Some((scope, rest)) = all.split_first() {
        if is_verb_of(scope.as_str().as_bytes(), resource) {
            bits |= scope.bit();
        }
        all = rest;
    }
    bits
}

/// `scope` is `resource` followed by `:` and a non-empty verb.
const fn is_verb_of(mut scope: &[u8], mut resource: &[u8]) -> bool {
    loop {
        match (scope.split_first(), resource.split_first()) {
            (Some((a, scope_rest)), Some((b, resource_rest))) => {
                if *a != *b {
                    return false;
                }
                scope = scope_rest;
                resource = resource_rest;
            }
            (Some((colon, verb)), None) => return *colon == b':' && !verb.is_empty(),
            _ => return false,
        }
    }
}

const fn bits_of(mut scopes: &[Scope]) -> u64 {
    let mut bits = 0;
    while let Some((scope, rest)) = scopes.split_first() {
        bits |= scope.bit();
        scopes = rest;
    }
    bits
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Scope::parse(text)
    }
}

/// What is wrong with a scope's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeErrorKind {
    /// The text is empty.
    Empty,
    /// The text contains whitespace (`scans : run`).
    Whitespace,
    /// The text contains an uppercase letter; scopes are lowercase.
    Uppercase,
    /// The text contains a character outside `a-z`, `0-9`, `-`, `.` and `:`.
    Character(char),
    /// A resource or the verb is empty (`scans:`, `.org`, `org..memberships`).
    EmptySegment,
    /// More than one `:` (`agents:write:repeater`, a retired three-part form).
    ExtraColon,
    /// Well-formed, but not a scope of the catalogue.
    Unknown,
}

impl fmt::Display for ScopeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeErrorKind::Empty => f.write_str("is empty"),
            ScopeErrorKind::Whitespace => f.write_str("contains whitespace"),
            ScopeErrorKind::Uppercase => f.write_str("contains uppercase letters"),
            ScopeErrorKind::Character(c) => {
                write!(f, "contains the character `{}`", c.escape_default())
            }
            ScopeErrorKind::EmptySegment => f.write_str("has an empty segment"),
            ScopeErrorKind::ExtraColon => f.write_str("has more than one `:`"),
            ScopeErrorKind::Unknown => f.write_str("is not a known scope"),
        }
    }
}

/// A scope that did not parse.
///
/// The message is lowercase, names the offending text (cut to 64 characters, so hostile
/// input cannot balloon an error) and suggests the closest scope when there is one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ScopeError {
    input: String,
    kind: ScopeErrorKind,
    suggestion: Option<Scope>,
}

/// Inputs longer than this get no suggestion (and are echoed cut by [`crate::text::echo`]).
const ECHO_LIMIT: usize = 64;

impl ScopeError {
    fn new(text: &str, kind: ScopeErrorKind) -> Self {
        let input = crate::text::echo(text);
        let suggestion = if text.len() <= ECHO_LIMIT {
            closest_scope(text)
        } else {
            None
        };
        ScopeError {
            input,
            kind,
            suggestion,
        }
    }

    /// The offending text (cut to 64 characters).
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong with it.
    #[must_use]
    pub fn kind(&self) -> ScopeErrorKind {
        self.kind
    }

    /// The scope that was probably meant, if one is close.
    #[must_use]
    pub fn suggestion(&self) -> Option<Scope> {
        self.suggestion
    }

    fn render(&self) -> String {
        let mut message = match self.kind {
            ScopeErrorKind::Empty => "empty scope".to_owned(),
            ScopeErrorKind::Unknown => format!("unknown scope `{}`", self.input),
            kind => format!("invalid scope `{}`: {kind}", self.input),
        };
        if let Some(scope) = self.suggestion {
            message.push_str(&format!("; did you mean `{scope}`?"));
        }
        message
    }
}

/// Checks `resource(.resource)*(:verb)?` over `a-z 0-9 -`.
fn check_grammar(text: &str) -> Result<(), ScopeErrorKind> {
    if text.is_empty() {
        return Err(ScopeErrorKind::Empty);
    }
    if let Some(bad) = text.chars().find(|c| !is_scope_char(*c)) {
        return Err(if bad.is_whitespace() {
            ScopeErrorKind::Whitespace
        } else if bad.is_uppercase() {
            ScopeErrorKind::Uppercase
        } else {
            ScopeErrorKind::Character(bad)
        });
    }
    let (resources, verb) = match text.split_once(':') {
        Some((resources, verb)) => (resources, Some(verb)),
        None => (text, None),
    };
    if verb.is_some_and(|verb| verb.contains(':')) {
        return Err(ScopeErrorKind::ExtraColon);
    }
    if resources.split('.').any(str::is_empty) || verb.is_some_and(str::is_empty) {
        return Err(ScopeErrorKind::EmptySegment);
    }
    Ok(())
}

fn is_scope_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | ':')
}

/// The catalogue scope nearest to `text` once whitespace is dropped and case folded, if it
/// is near enough to be a plausible typo (edit distance at most 2, and less than a third of
/// the text).
fn closest_scope(text: &str) -> Option<Scope> {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if folded.is_empty() {
        return None;
    }
    let (distance, scope) = Scope::ALL
        .iter()
        .map(|scope| {
            (
                edit_distance(folded.as_bytes(), scope.as_str().as_bytes()),
                *scope,
            )
        })
        .min_by_key(|(distance, _)| *distance)?;
    (distance <= 2 && distance * 3 < folded.len().max(3)).then_some(scope)
}

/// Levenshtein distance over bytes, one row at a time.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &byte_a) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        for (cell, &byte_b) in row.iter_mut().skip(1).zip(b) {
            let up = *cell;
            let value = (diagonal + usize::from(byte_a != byte_b))
                .min(up + 1)
                .min(left + 1);
            diagonal = up;
            *cell = value;
            left = value;
        }
    }
    row.last().copied().unwrap_or_default()
}

/// A set of scopes, as an API key holds them, with their implications already applied.
///
/// Stored as two `u64` bitsets (the scopes as declared, and the scopes granted after
/// implication), so "does this key grant every scope an action needs" is one AND and one
/// compare, and the set is `Copy`.
///
/// ```
/// use scangate::{Scope, ScopeSet};
///
/// let key: ScopeSet = "scans, projects:read".parse().unwrap();
/// assert!(key.grants(Scope::ScansRun)); // `scans` implies every `scans:*`
/// let needed: ScopeSet = [Scope::ScansRun, Scope::ProjectsRead].into_iter().collect();
/// assert!(key.grants_all(needed));
/// assert_eq!(key.to_string(), "scans projects:read");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet {
    declared: u64,
    granted: u64,
}

impl ScopeSet {
    /// The empty set.
    pub const EMPTY: ScopeSet = ScopeSet {
        declared: 0,
        granted: 0,
    };

    /// Builds a set from declared-scope bits; unknown bits are dropped.
    const fn from_bits(bits: u64) -> ScopeSet {
        let declared = bits & bits_of(Scope::ALL);
        let mut granted = 0;
        let mut all = Scope::ALL;
        while let Some((scope, rest)) = all.split_first() {
            if declared & scope.bit() != 0 {
                granted |= scope.closure_bits();
            }
            all = rest;
        }
        ScopeSet { declared, granted }
    }

    /// A set of the given scopes (a `const` constructor for action tables).
    ///
    /// ```
    /// use scangate::{Scope, ScopeSet};
    /// const RUN: ScopeSet = ScopeSet::of(&[Scope::ScansRun, Scope::ProjectsRead]);
    /// assert_eq!(RUN.len(), 2);
    /// ```
    #[must_use]
    pub const fn of(scopes: &[Scope]) -> ScopeSet {
        ScopeSet::from_bits(bits_of(scopes))
    }

    /// Parses a space- or comma-separated list (`"scans:read, issues:read"`); the same as
    /// [`str::parse`]. Duplicates are allowed; an empty text is the empty set.
    ///
    /// # Errors
    ///
    /// The [`ScopeError`] of the first scope that does not parse. A `:` with whitespace
    /// around it is kept inside the scope, so `scans : run` is reported whole.
    ///
    /// ```
    /// use scangate::{Scope, ScopeSet};
    /// let err = ScopeSet::parse("scans:read scans : run").unwrap_err();
    /// assert_eq!(err.input(), "scans : run");
    /// assert_eq!(err.suggestion(), Some(Scope::ScansRun));
    /// ```
    pub fn parse(text: &str) -> Result<ScopeSet, ScopeError> {
        split_scope_list(text).map(Scope::parse).collect()
    }

    /// Adds a scope (and what it implies).
    pub fn insert(&mut self, scope: Scope) {
        self.declared |= scope.bit();
        self.granted |= scope.closure_bits();
    }

    /// Whether `scope` was declared in the set (not merely implied).
    #[must_use]
    pub const fn contains(self, scope: Scope) -> bool {
        self.declared & scope.bit() != 0
    }

    /// Whether the set grants `scope`, directly or by implication.
    #[must_use]
    pub const fn grants(self, scope: Scope) -> bool {
        self.granted & scope.bit() != 0
    }

    /// Whether the set grants every scope of `required`: one AND and one compare.
    #[inline]
    #[must_use]
    pub const fn grants_all(self, required: ScopeSet) -> bool {
        required.declared & !self.granted == 0
    }

    /// The scopes of `required` that this set does not grant.
    ///
    /// ```
    /// use scangate::{Scope, ScopeSet};
    /// let key = ScopeSet::of(&[Scope::ScansRun]);
    /// let needed = ScopeSet::of(&[Scope::ScansRun, Scope::ProjectsRead]);
    /// assert_eq!(key.missing(needed), ScopeSet::of(&[Scope::ProjectsRead]));
    /// ```
    #[must_use]
    pub const fn missing(self, required: ScopeSet) -> ScopeSet {
        ScopeSet::from_bits(required.declared & !self.granted)
    }

    /// Every scope the set grants after implication, as a set of declared scopes (so that
    /// `effective().iter()` lists them all).
    ///
    /// ```
    /// use scangate::{Scope, ScopeSet};
    /// let admin = ScopeSet::of(&[Scope::GroupsAdmin]);
    /// assert_eq!(admin.effective().len(), 4);
    /// assert_eq!(admin.effective().effective(), admin.effective());
    /// ```
    #[must_use]
    pub const fn effective(self) -> ScopeSet {
        ScopeSet::from_bits(self.granted)
    }

    /// The union of two sets.
    #[must_use]
    pub const fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet {
            declared: self.declared | other.declared,
            granted: self.granted | other.granted,
        }
    }

    /// Number of declared scopes.
    #[must_use]
    pub const fn len(self) -> usize {
        self.declared.count_ones() as usize
    }

    /// Whether no scope is declared.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.declared == 0
    }

    /// The declared scopes, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .iter()
            .copied()
            .filter(move |scope| self.contains(*scope))
    }
}

/// Splits a scope list on commas and whitespace, except whitespace touching a `:`, which
/// stays inside the token so that `scans : run` is reported as one bad scope.
fn split_scope_list(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        for (at, c) in rest.char_indices() {
            if c == ',' {
                end = at;
                break;
            }
            if c.is_whitespace() {
                let after = rest.get(at..).unwrap_or_default().trim_start();
                let before = rest.get(..at).unwrap_or_default();
                if !(after.starts_with(':') || before.ends_with(':')) {
                    end = at;
                    break;
                }
            }
        }
        let (token, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
        rest = tail;
        Some(token.trim_end())
    })
}

impl FromStr for ScopeSet {
    type Err = ScopeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ScopeSet::parse(text)
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        let mut set = ScopeSet::EMPTY;
        for scope in scopes {
            set.insert(scope);
        }
        set
    }
}

impl Extend<Scope> for ScopeSet {
    fn extend<I: IntoIterator<Item = Scope>>(&mut self, scopes: I) {
        for scope in scopes {
            self.insert(scope);
        }
    }
}

/// Canonical form: the declared scopes in catalogue order, separated by one space.
impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, scope) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Scope::as_str))
            .finish()
    }
}

#[cfg(feature = "serde")]
mod wire {
    use super::{Scope, ScopeSet};
    use serde::de::{self, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::fmt;

    impl Serialize for Scope {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }

    impl<'de> Deserialize<'de> for Scope {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct ScopeVisitor;
            impl Visitor<'_> for ScopeVisitor {
                type Value = Scope;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a scope string such as \"scans:read\"")
                }
                fn visit_str<E: de::Error>(self, text: &str) -> Result<Scope, E> {
                    Scope::parse(text).map_err(E::custom)
                }
            }
            deserializer.deserialize_str(ScopeVisitor)
        }
    }

    /// Written as a JSON array of scope strings in catalogue order.
    impl Serialize for ScopeSet {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(Some(self.len()))?;
            for scope in self.iter() {
                seq.serialize_element(scope.as_str())?;
            }
            seq.end()
        }
    }

    /// Read from a JSON array of scope strings, or from one space- or comma-separated string.
    impl<'de> Deserialize<'de> for ScopeSet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct SetVisitor;
            impl<'de> Visitor<'de> for SetVisitor {
                type Value = ScopeSet;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an array of scope strings or a space/comma-separated string")
                }
                fn visit_str<E: de::Error>(self, text: &str) -> Result<ScopeSet, E> {
                    ScopeSet::parse(text).map_err(E::custom)
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ScopeSet, A::Error> {
                    let mut set = ScopeSet::EMPTY;
                    while let Some(scope) = seq.next_element::<Scope>()? {
                        set.insert(scope);
                    }
                    Ok(set)
                }
            }
            deserializer.deserialize_any(SetVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_matches_hand_computed_values() {
        assert_eq!(edit_distance(b"", b""), 0);
        assert_eq!(edit_distance(b"scan", b"scans"), 1);
        assert_eq!(edit_distance(b"kitten", b"sitting"), 3);
        assert_eq!(edit_distance(b"abc", b""), 3);
    }

    #[test]
    fn split_keeps_spaced_colons_together() {
        let tokens: Vec<&str> = split_scope_list(" a, b  c:d ,e : f,, g :h").collect();
        assert_eq!(tokens, ["a", "b", "c:d", "e : f", "g :h"]);
    }
}
