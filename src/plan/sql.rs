//! The SQL renderers: a plan as a `WHERE` fragment over the default schema
//! ([`Schema`]) and its bind values, for PostgreSQL and SQLite. Text only, no I/O.
//!
//! No term is ever written into the SQL text: every attribute name, address and string is
//! a bind value; `starts`, `ends` and `match` become `LIKE … ESCAPE` with `%`, `_` and the
//! escape character `\` of the term escaped. Identifiers come from the host's [`Schema`]
//! and are quoted.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::schema::{Schema, ip_value};
use super::{Condition, Plan, Test};
use crate::access::RuleType;

/// The SQL dialect to render for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3 (3.8.3 or later): `?` placeholders, addresses as big-endian `BLOB`s.
    Sqlite,
    /// PostgreSQL (9.1 or later): `$1`, `$2`, … placeholders, addresses as `inet`.
    Postgres,
}

impl Dialect {
    /// The dialect of a name: `sqlite` or `postgres` (also `postgresql`).
    ///
    /// ```
    /// use scangate::plan::Dialect;
    /// assert_eq!(Dialect::from_name("postgres"), Some(Dialect::Postgres));
    /// assert_eq!(Dialect::from_name("mysql"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name {
            "sqlite" => Some(Dialect::Sqlite),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            _ => None,
        }
    }

    /// The placeholder of the `n`-th bind value (1-based).
    fn placeholder(self, n: usize, out: &mut String) {
        match self {
            Dialect::Sqlite => out.push('?'),
            Dialect::Postgres => {
                let _ = write!(out, "${n}");
            }
        }
    }

    /// The `ESCAPE` clause's character, written so that it reads as one backslash whatever
    /// the server's settings: PostgreSQL's `E''` string does not depend on
    /// `standard_conforming_strings`.
    fn escape_clause(self) -> &'static str {
        match self {
            Dialect::Sqlite => " ESCAPE '\\'",
            Dialect::Postgres => " ESCAPE E'\\\\'",
        }
    }
}

/// One bind value, in the form the dialect compares.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqlValue {
    /// A text value (attribute names, normalized strings, `LIKE` patterns).
    Text(String),
    /// An address as big-endian bytes (4 for IPv4, 16 for IPv6): SQLite.
    Blob(Vec<u8>),
    /// An address as `inet`: PostgreSQL (bind it with the driver's `inet` type: in the
    /// `postgres` crate, `std::net::IpAddr` is `inet`).
    Inet(IpAddr),
}

/// A `WHERE` fragment and its bind values, in placeholder order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhereClause {
    /// The fragment: a boolean SQL expression over the assets table's row.
    pub sql: String,
    /// The bind values, in the order of the placeholders.
    pub params: Vec<SqlValue>,
}

/// Accumulates SQL text and bind values.
struct Writer<'s> {
    dialect: Dialect,
    schema: &'s Schema,
    sql: String,
    params: Vec<SqlValue>,
}

impl Writer<'_> {
    fn bind(&mut self, value: SqlValue) {
        self.params.push(value);
        self.dialect.placeholder(self.params.len(), &mut self.sql);
    }

    fn text(&mut self, text: &str) {
        self.bind(SqlValue::Text(text.to_owned()));
    }

    fn attribute_is(&mut self, attribute: RuleType) {
        self.sql.push_str(&self.schema.attribute_column());
        self.sql.push_str(" = ");
        self.text(attribute.as_str());
    }

    fn like(&mut self, pattern: String) {
        self.sql.push_str(&self.schema.value_column());
        self.sql.push_str(" LIKE ");
        self.bind(SqlValue::Text(pattern));
        self.sql.push_str(self.dialect.escape_clause());
    }
}

impl Plan<'_> {
    /// The plan as a `WHERE` fragment over `schema` in `dialect`, and its bind values.
    ///
    /// [`Plan::All`] is `1 = 1`, [`Plan::None`] is `1 = 0`; a filter is
    /// `"assets"."id" IN (SELECT "asset_id" FROM "asset_values" WHERE <conditions>)`, each
    /// condition naming its attribute (`"attribute" = ?`) and testing the address
    /// (`"ip" BETWEEN ? AND ?`, `"ip" = ?`) or the text (`"value" IN (?, …)` for the
    /// equalities of one attribute, `"value" LIKE ? ESCAPE '\'` for `starts`, `ends` and
    /// `match`). See `docs/guide.md`, "List endpoints in your database".
    ///
    /// A string condition holding U+0000 is left out: no stored value holds one
    /// ([`Schema::rows`] refuses them, as PostgreSQL `text` cannot hold them).
    ///
    /// ```
    /// use scangate::plan::{Dialect, Schema, SqlValue};
    /// use scangate::{AccessGroup, Action, Policy, RoleId, Subject, User};
    /// use scangate::access::{AccessGroupType, AccessGroups, AccessPermissions, Principal, Rule};
    /// let g = AccessGroup::new("OS", AccessGroupType::ManageAssets)
    ///     .with_rule(Rule::parse("operating_system", "match", ["50%_off*'; DROP"]).unwrap())
    ///     .with_principal(Principal::user("alice", AccessPermissions::CAN_VIEW));
    /// let policy = Policy::builder()
    ///     .access_groups(AccessGroups::from_server([g]))
    ///     .user(User::new("alice", RoleId::SECURITY_ANALYST))
    ///     .build()?;
    /// let plan = policy.plan(&Subject::user("alice"), Action::ASSET_VIEW);
    /// let clause = plan.to_sql(Dialect::Postgres, &Schema::default());
    /// assert_eq!(
    ///     clause.sql,
    ///     r#""assets"."id" IN (SELECT "asset_id" FROM "asset_values" WHERE ("attribute" = $1 AND "value" LIKE $2 ESCAPE E'\\'))"#
    /// );
    /// assert_eq!(clause.params, [
    ///     SqlValue::Text("operating_system".into()),
    ///     SqlValue::Text(r"%50\%\_off%'; drop%".into()),
    /// ]);
    /// # Ok::<(), scangate::PolicyError>(())
    /// ```
    #[must_use]
    pub fn to_sql(&self, dialect: Dialect, schema: &Schema) -> WhereClause {
        let filter = match self {
            Plan::All(_) => return constant(true),
            Plan::None(_) => return constant(false),
            Plan::Filter(filter) => filter,
        };
        let mut w = Writer {
            dialect,
            schema,
            sql: String::new(),
            params: Vec::new(),
        };
        let _ = write!(
            w.sql,
            "{} IN (SELECT {} FROM {} WHERE ",
            schema.qualified_id(),
            schema.asset_id_column(),
            schema.values_table()
        );
        let mut written = 0usize;
        let conditions: Vec<&Condition<'_>> = filter
            .conditions
            .iter()
            .filter(|c| storable(&c.test))
            .collect();
        let mut rest = conditions.as_slice();
        while let Some((first, tail)) = rest.split_first() {
            if written > 0 {
                w.sql.push_str(" OR ");
            }
            written += 1;
            w.sql.push('(');
            w.attribute_is(first.attribute);
            w.sql.push_str(" AND ");
            rest = tail;
            match &first.test {
                Test::Ipv4 { first: a, last: b } => {
                    between(
                        &mut w,
                        IpAddr::V4(Ipv4Addr::from(*a)),
                        IpAddr::V4(Ipv4Addr::from(*b)),
                    );
                }
                Test::Ipv6 { first: a, last: b } => {
                    between(
                        &mut w,
                        IpAddr::V6(Ipv6Addr::from(*a)),
                        IpAddr::V6(Ipv6Addr::from(*b)),
                    );
                }
                Test::Equals(value) => {
                    // The equalities of one attribute are consecutive (conditions are
                    // sorted by attribute, then test kind): one `IN` list.
                    let mut values = vec![value];
                    while let Some((next, tail)) = rest.split_first() {
                        match &next.test {
                            Test::Equals(v) if next.attribute == first.attribute => {
                                values.push(v);
                                rest = tail;
                            }
                            _ => break,
                        }
                    }
                    w.sql.push_str(&schema.value_column());
                    if let [only] = values.as_slice() {
                        w.sql.push_str(" = ");
                        w.text(only);
                    } else {
                        w.sql.push_str(" IN (");
                        for (i, v) in values.into_iter().enumerate() {
                            if i > 0 {
                                w.sql.push_str(", ");
                            }
                            w.text(v);
                        }
                        w.sql.push(')');
                    }
                }
                Test::Starts(prefix) => w.like(format!("{}%", escape_like(prefix))),
                Test::Ends(suffix) => w.like(format!("%{}", escape_like(suffix))),
                Test::Match(pattern) => w.like(match_pattern(pattern)),
            }
            w.sql.push(')');
        }
        if written == 0 {
            return constant(false);
        }
        w.sql.push(')');
        WhereClause {
            sql: w.sql,
            params: w.params,
        }
    }
}

fn constant(value: bool) -> WhereClause {
    WhereClause {
        sql: if value { "1 = 1" } else { "1 = 0" }.to_owned(),
        params: Vec::new(),
    }
}

/// `"ip" = ?` for one address, `"ip" BETWEEN ? AND ?` for an interval.
fn between(w: &mut Writer<'_>, first: IpAddr, last: IpAddr) {
    w.sql.push_str(&w.schema.ip_column());
    if first == last {
        w.sql.push_str(" = ");
        w.bind(ip_value(w.dialect, first));
    } else {
        w.sql.push_str(" BETWEEN ");
        w.bind(ip_value(w.dialect, first));
        w.sql.push_str(" AND ");
        w.bind(ip_value(w.dialect, last));
    }
}

/// Whether a stored value could pass the test: no stored value holds U+0000.
fn storable(test: &Test) -> bool {
    match test {
        Test::Ipv4 { .. } | Test::Ipv6 { .. } => true,
        Test::Equals(s) | Test::Starts(s) | Test::Ends(s) | Test::Match(s) => !s.contains('\0'),
    }
}

/// `text` with the `LIKE` wildcards `%` and `_` and the escape character `\` escaped
/// (`ESCAPE '\'`), so it matches itself only.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `match` pattern as `LIKE`: its `*`-separated pieces escaped, in order, with `%`
/// around and between them (`web*corp` → `%web%corp%`; `*` → `%`). `LIKE` then holds
/// exactly when the pieces occur in order without overlapping, as `match` does
/// (`docs/semantics.md`, "Rules and terms").
fn match_pattern(pattern: &str) -> String {
    let mut out = String::from("%");
    for piece in pattern.split('*').filter(|p| !p.is_empty()) {
        out.push_str(&escape_like(piece));
        out.push('%');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards_and_the_escape_character() {
        assert_eq!(escape_like(r"a%b_c\d'e"), r"a\%b\_c\\d'e");
        assert_eq!(match_pattern("web*corp"), "%web%corp%");
        assert_eq!(match_pattern("**"), "%");
        assert_eq!(match_pattern("*a_%*"), r"%a\_\%%");
    }
}
