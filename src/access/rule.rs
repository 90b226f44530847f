//! Rules: a rule type, an operator and typed terms.

use super::asset::Asset;
use super::rule_type::{Operator, OperatorNotAllowed, RuleType, UnknownOperator, UnknownRuleType};
use super::term::{Term, TermError};

/// Why a rule could not be built (outside any group; see
/// [`RuleError::in_group`] for the error naming the group and the rule index, which
/// holds this one as its `source`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The rule type is not one of the 27.
    #[error(transparent)]
    UnknownRuleType(#[from] UnknownRuleType),
    /// The operator is not one of `eq`, `match`, `starts`, `ends`, `set-has`.
    #[error(transparent)]
    UnknownOperator(#[from] UnknownOperator),
    /// The operator is not allowed for the rule type.
    #[error(transparent)]
    OperatorNotAllowed(#[from] OperatorNotAllowed),
    /// A term is not valid for the rule type: the term, and why (its `source`).
    #[error("term {index} `{term}`: {reason}")]
    BadTerm {
        /// Position of the term in the rule.
        index: usize,
        /// The term as written.
        term: String,
        /// Why it is not valid.
        #[source]
        reason: TermError,
    },
}

/// An access-group rule: `{type, operator, terms}`. It matches an asset when any of its
/// terms matches any of the asset's values for the rule's attribute.
///
/// # Examples
///
/// ```
/// use scangate::Asset;
/// use scangate::access::{Operator, Rule, RuleType};
/// let rule = Rule::new(RuleType::Ipv4, Operator::Eq, ["10.0.0.5-10.0.0.90", "192.168.0.0/24"])?;
/// let asset = Asset::new().with("ipv4", "192.168.0.200").unwrap();
/// assert_eq!(rule.first_match(&asset), Some(1));
/// # Ok::<(), scangate::access::RuleError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rule {
    rule_type: RuleType,
    operator: Operator,
    terms: Vec<Term>,
}

impl Rule {
    /// Builds a rule, parsing every term for `rule_type` and `operator`. An empty term
    /// list is accepted here (it matches nothing) and rejected by create/edit validation.
    ///
    /// # Errors
    ///
    /// [`RuleError::OperatorNotAllowed`] or [`RuleError::BadTerm`] (naming the first bad
    /// term).
    pub fn new<I, S>(rule_type: RuleType, operator: Operator, terms: I) -> Result<Rule, RuleError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        if !rule_type.allows(operator) {
            return Err(OperatorNotAllowed {
                rule_type,
                operator,
            }
            .into());
        }
        // Sized to the terms given (`collect` through `Result` would start at four: most
        // rules hold one term, and a policy holds many rules).
        let terms = terms.into_iter();
        let mut parsed = Vec::with_capacity(terms.size_hint().0);
        for (index, t) in terms.enumerate() {
            let t = t.as_ref();
            parsed.push(Term::parse(rule_type, operator, t).map_err(|reason| {
                RuleError::BadTerm {
                    index,
                    term: crate::text::echo(t),
                    reason,
                }
            })?);
        }
        parsed.shrink_to_fit();
        let terms = parsed;
        Ok(Rule {
            rule_type,
            operator,
            terms,
        })
    }

    /// Builds a rule from wire names.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownRuleType`], [`RuleError::UnknownOperator`], and the errors of
    /// [`Rule::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use scangate::access::Rule;
    /// let err = Rule::parse("ipv4", "match", ["10.0.0.1"]).unwrap_err();
    /// assert_eq!(err.to_string(), "operator `match` is not allowed for `ipv4` (allowed: `eq`)");
    /// ```
    pub fn parse<I, S>(rule_type: &str, operator: &str, terms: I) -> Result<Rule, RuleError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let rule_type: RuleType = rule_type.parse()?;
        let operator: Operator = operator.parse()?;
        Rule::new(rule_type, operator, terms)
    }

    /// The rule type (the asset attribute it tests).
    #[must_use]
    pub fn rule_type(&self) -> RuleType {
        self.rule_type
    }

    /// The operator.
    #[must_use]
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The terms, in order.
    #[must_use]
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The index of the first term matching any of `asset`'s values for this rule's
    /// attribute. Plain loops; allocation-free.
    #[must_use]
    pub fn first_match(&self, asset: &Asset) -> Option<usize> {
        let values = asset.values(self.rule_type);
        self.terms
            .iter()
            .position(|term| values.iter().any(|v| term.matches(v)))
    }
}
