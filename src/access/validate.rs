//! Create/edit validation: limits, names, and the API's error codes.

use core::fmt;

use super::group::{AccessGroup, AccessGroupType, UnknownAccessGroupType};
use super::principal::{Principal, PrincipalKind, UnknownPermission};
use super::rule::RuleError;

/// At most this many access groups per container (`max_entries`).
pub const MAX_ACCESS_GROUPS: usize = 5_000;
/// At most this many rules per access group.
pub const MAX_RULES_PER_GROUP: usize = 1_000;
/// At most this many terms per rule.
pub const MAX_TERMS_PER_RULE: usize = 100_000;
/// At most this many characters in an access group name.
pub const MAX_NAME_CHARS: usize = 255;

/// A change to the access groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// Create (`POST /access-groups`).
    Create,
    /// Edit (`PUT /access-groups/{id}`).
    Edit,
    /// Delete (`DELETE /access-groups/{id}`).
    Delete,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Create => "create",
            Change::Edit => "edit",
            Change::Delete => "delete",
        })
    }
}

/// What of the All Assets group a change tried to alter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllAssetsPart {
    /// Its name.
    Name,
    /// Its type (`ALL`).
    Type,
    /// Its `all_assets: true`.
    AllAssetsFlag,
    /// Its existence.
    Existence,
}

impl fmt::Display for AllAssetsPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AllAssetsPart::Name => "its name cannot be changed",
            AllAssetsPart::Type => "its type cannot be changed",
            AllAssetsPart::AllAssetsFlag => "all_assets cannot be turned off",
            AllAssetsPart::Existence => "it cannot be deleted",
        })
    }
}

/// Why an access group could not be read, created, edited or deleted.
///
/// Every variant names the group (by name, or by id when only the id is known), and
/// the rule and term where relevant. [`AccessGroupError::code`] gives the API's error
/// code where Tenable's API defines one; [`AccessGroupError::http_status`] the HTTP status
/// (`docs/semantics.md`, "Layer 3", "Create, edit, delete").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessGroupError {
    /// `max_entries`: the container already holds 5,000 groups.
    #[error(
        "max_entries: cannot create access group `{group}`: the limit of {max} access groups is reached",
        max = MAX_ACCESS_GROUPS
    )]
    MaxEntries {
        /// The group that could not be added.
        group: String,
    },
    /// `duplicate`: another group has the same name, compared case-insensitively.
    #[error(
        "duplicate: cannot name access group `{group}`: access group `{existing}` already exists (names are case-insensitive)"
    )]
    Duplicate {
        /// The name asked for.
        group: String,
        /// The existing group's name.
        existing: String,
    },
    /// `protected`: `all_assets: true` (or type `ALL`) on create, or turning a group
    /// into an all-assets group on edit: only the system All Assets group has it.
    #[error(
        "protected: access group `{group}` cannot have all_assets true or type `ALL`: only the system all assets group has them"
    )]
    Protected {
        /// The group.
        group: String,
    },
    /// `forbidden` (HTTP 403): the requester is not the Administrator.
    #[error(
        "forbidden: only the administrator can {change} access groups (access group `{group}`)"
    )]
    Forbidden {
        /// The group (name, or id for edit and delete).
        group: String,
        /// What was attempted.
        change: Change,
    },
    /// HTTP 404: no group has this id.
    #[error("access group `{id}` not found")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// A group to create has no id (the library does not make ids).
    #[error("access group `{group}` has no id")]
    MissingId {
        /// The group.
        group: String,
    },
    /// A group to create has the id of an existing group.
    #[error("access group `{group}`: id `{id}` is already used")]
    DuplicateId {
        /// The group.
        group: String,
        /// The id.
        id: String,
    },
    /// The name is empty.
    #[error("access group name is empty")]
    EmptyName,
    /// The name is over 255 characters.
    #[error(
        "access group name `{group}` is {chars} characters long: at most {max} are allowed",
        max = MAX_NAME_CHARS
    )]
    NameTooLong {
        /// The name.
        group: String,
        /// Its length in characters.
        chars: usize,
    },
    /// The name holds a character other than letters, digits, space, `_ - ( ) [ ] :`.
    #[error(
        "access group name `{group}` contains `{character}`: only letters, digits, space and `_ - ( ) [ ] :` are allowed"
    )]
    NameBadCharacter {
        /// The name.
        group: String,
        /// The first bad character.
        character: char,
    },
    /// More than 1,000 rules.
    #[error(
        "access group `{group}` has {count} rules: at most {max} are allowed",
        max = MAX_RULES_PER_GROUP
    )]
    TooManyRules {
        /// The group.
        group: String,
        /// How many rules it has.
        count: usize,
    },
    /// More than 100,000 terms in one rule.
    #[error(
        "access group `{group}` rule {rule} has {count} terms: at most {max} are allowed",
        max = MAX_TERMS_PER_RULE
    )]
    TooManyTerms {
        /// The group.
        group: String,
        /// The rule index.
        rule: usize,
        /// How many terms it has.
        count: usize,
    },
    /// A rule with no terms.
    #[error("access group `{group}` rule {rule} has an empty term list")]
    EmptyTerms {
        /// The group.
        group: String,
        /// The rule index.
        rule: usize,
    },
    /// A rule that cannot be read: an unknown rule type or operator, an operator the type
    /// does not allow, or a bad term (the [`RuleError`], its `source`, says which).
    #[error("access group `{group}` rule {rule}{}{source}", rule_separator(source))]
    Rule {
        /// The group.
        group: String,
        /// The rule index.
        rule: usize,
        /// What is wrong with the rule.
        #[source]
        source: RuleError,
    },
    /// Rules given with `all_assets: true` (the All Assets group has no rules).
    #[error(
        "access group `{group}` has all_assets true and {count} rules: rules are only allowed when all_assets is false"
    )]
    RulesWithAllAssets {
        /// The group.
        group: String,
        /// How many rules were given.
        count: usize,
    },
    /// A principal type other than `user`, `group`, `all_users` (an access group cannot
    /// be a principal).
    #[error(
        "access group `{group}` principal {principal}: type `{kind}` is not allowed (an access group cannot be a principal; use `user`, `group` or `all_users`)"
    )]
    BadPrincipalType {
        /// The group.
        group: String,
        /// The principal index.
        principal: usize,
        /// The type as written.
        kind: String,
    },
    /// A `user` or `group` principal without `principal_id` (names are not resolved).
    #[error("access group `{group}` principal {principal} has no principal_id")]
    PrincipalWithoutId {
        /// The group.
        group: String,
        /// The principal index.
        principal: usize,
    },
    /// A principal permission other than `CAN_VIEW` / `CAN_SCAN` (when reading).
    #[error("access group `{group}` principal {principal}: {source}")]
    UnknownPermission {
        /// The group.
        group: String,
        /// The principal index.
        principal: usize,
        /// The permission as written.
        #[source]
        source: UnknownPermission,
    },
    /// An `access_group_type` other than `MANAGE_ASSETS`, `SCAN_TARGETS`, `ALL` (when
    /// reading).
    #[error("access group `{group}`: {source}")]
    UnknownGroupType {
        /// The group.
        group: String,
        /// The type as written.
        #[source]
        source: UnknownAccessGroupType,
    },
    /// `all_assets: true` beside an `access_group_type` other than `ALL`, in a policy file:
    /// the two fields disagree about whether the group holds every asset, so the file is
    /// refused rather than read the way that grants more. (A create or edit body with them
    /// reads, and is refused as `protected`.)
    #[error(
        "access group `{group}` has all_assets true but access_group_type `{group_type}`: all_assets true goes with `ALL` only"
    )]
    AllAssetsWithType {
        /// The group.
        group: String,
        /// The type as read.
        group_type: AccessGroupType,
    },
    /// A change to what is fixed in the All Assets group (only its principals can change).
    #[error("access group `{group}` is the all assets group: {part}")]
    AllAssetsFixed {
        /// The group.
        group: String,
        /// What the change tried to alter.
        part: AllAssetsPart,
    },
}

impl AccessGroupError {
    /// The API's error code, where Tenable's API defines one: `max_entries`, `duplicate`,
    /// `protected`, `forbidden` (`docs/semantics.md`, "Layer 3", "Create, edit, delete").
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::AccessGroupError;
    /// let e = AccessGroupError::MaxEntries { group: "x".into() };
    /// assert_eq!(e.code(), Some("max_entries"));
    /// assert_eq!(e.http_status(), 400);
    /// ```
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        match self {
            AccessGroupError::MaxEntries { .. } => Some("max_entries"),
            AccessGroupError::Duplicate { .. } => Some("duplicate"),
            AccessGroupError::Protected { .. } => Some("protected"),
            AccessGroupError::Forbidden { .. } => Some("forbidden"),
            _ => None,
        }
    }

    /// The HTTP status the API answers with: 403 for `forbidden`, 404 for an unknown id,
    /// 400 otherwise.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            AccessGroupError::Forbidden { .. } => 403,
            AccessGroupError::NotFound { .. } => 404,
            _ => 400,
        }
    }
}

/// What joins "rule N" to the rule's own message: a space before "term N …" (a position
/// within the rule), a colon before anything else.
fn rule_separator(source: &RuleError) -> &'static str {
    match source {
        RuleError::BadTerm { .. } => " ",
        _ => ": ",
    }
}

impl RuleError {
    /// This error inside group `group` at rule index `rule`
    /// ([`AccessGroupError::Rule`], with this error as its `source`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error;
    /// use scangate::access::{Rule, RuleError, TermError};
    /// let e = Rule::parse("ipv4", "eq", ["10.0.0.0/33"]).unwrap_err().in_group("Lab", 2);
    /// assert_eq!(e.to_string(), "access group `Lab` rule 2 term 0 `10.0.0.0/33`: cidr prefix /33 is over 32");
    /// let source = e.source().and_then(|s| s.downcast_ref::<RuleError>());
    /// assert!(matches!(
    ///     source,
    ///     Some(RuleError::BadTerm { index: 0, reason: TermError::PrefixTooLong { prefix: 33, .. }, .. })
    /// ));
    /// ```
    #[must_use]
    pub fn in_group(self, group: &str, rule: usize) -> AccessGroupError {
        AccessGroupError::Rule {
            group: crate::text::echo(group),
            rule,
            source: self,
        }
    }
}

fn name_char_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '(' | ')' | '[' | ']' | ':')
}

/// Checks an access group name for create and edit: 1 to 255 characters of ASCII
/// letters, digits, space and `_ - ( ) [ ] :`.
///
/// # Errors
///
/// [`AccessGroupError::EmptyName`], [`AccessGroupError::NameTooLong`] or
/// [`AccessGroupError::NameBadCharacter`] (checked in that order).
///
/// # Examples
///
/// ```
/// assert!(scangate::access::validate_access_group_name("Servers (prod) [eu]: web_1-2").is_ok());
/// assert_eq!(
///     scangate::access::validate_access_group_name("a,b").unwrap_err().to_string(),
///     "access group name `a,b` contains `,`: only letters, digits, space and `_ - ( ) [ ] :` are allowed"
/// );
/// ```
pub fn validate_access_group_name(name: &str) -> Result<(), AccessGroupError> {
    if name.is_empty() {
        return Err(AccessGroupError::EmptyName);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(AccessGroupError::NameTooLong {
            group: crate::text::echo(name),
            chars,
        });
    }
    if let Some(character) = name.chars().find(|c| !name_char_allowed(*c)) {
        return Err(AccessGroupError::NameBadCharacter {
            group: crate::text::echo(name),
            character,
        });
    }
    Ok(())
}

impl AccessGroup {
    /// Checks what create and edit require of the group on its own (not against the other
    /// groups): the name, rules only without `all_assets`, at most 1,000 rules, 1 to
    /// 100,000 terms per rule, and, unless `all_users` is true (principals are then
    /// ignored), principals of type `user`/`group`/`all_users` with ids. Groups read from
    /// a server are not required to pass.
    ///
    /// # Errors
    ///
    /// The first problem found, in the order above.
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::AccessGroup;
    /// use scangate::access::{AccessGroupType, Rule};
    /// let g = AccessGroup::new("Lab", AccessGroupType::ManageAssets)
    ///     .with_rule(Rule::parse("ipv4", "eq", [] as [&str; 0])?);
    /// assert_eq!(g.validate().unwrap_err().to_string(), "access group `Lab` rule 0 has an empty term list");
    /// # Ok::<(), scangate::access::RuleError>(())
    /// ```
    pub fn validate(&self) -> Result<(), AccessGroupError> {
        self.validate_with_principals(self.principals())
    }

    /// [`AccessGroup::validate`] of the group as it would be with these principals (an edit
    /// of the All Assets group that lists none keeps the old ones), without building it.
    pub(crate) fn validate_with_principals(
        &self,
        principals: &[Principal],
    ) -> Result<(), AccessGroupError> {
        validate_access_group_name(&self.name)?;
        let group = || crate::text::echo(&self.name);
        if self.all_assets && !self.rules.is_empty() {
            return Err(AccessGroupError::RulesWithAllAssets {
                group: group(),
                count: self.rules.len(),
            });
        }
        if self.rules.len() > MAX_RULES_PER_GROUP {
            return Err(AccessGroupError::TooManyRules {
                group: group(),
                count: self.rules.len(),
            });
        }
        for (rule, r) in self.rules.iter().enumerate() {
            let count = r.terms().len();
            if count == 0 {
                return Err(AccessGroupError::EmptyTerms {
                    group: group(),
                    rule,
                });
            }
            if count > MAX_TERMS_PER_RULE {
                return Err(AccessGroupError::TooManyTerms {
                    group: group(),
                    rule,
                    count,
                });
            }
        }
        if !self.all_users {
            for (principal, p) in principals.iter().enumerate() {
                match p.kind() {
                    PrincipalKind::Other(kind) => {
                        return Err(AccessGroupError::BadPrincipalType {
                            group: group(),
                            principal,
                            kind: crate::text::echo(kind),
                        });
                    }
                    PrincipalKind::User | PrincipalKind::Group if p.id().is_none() => {
                        return Err(AccessGroupError::PrincipalWithoutId {
                            group: group(),
                            principal,
                        });
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}
