//! The SQL renderers: a plan as a `WHERE` fragment over the default schema
//! ([`Schema`]) and its bind values, for PostgreSQL and SQLite. Text only, no I/O.
//!
//! No term is ever written into the SQL text: every attribute name, address, string and tag
//! uuid is a bind value; `starts`, `ends` and `match` become `LIKE … ESCAPE` with `%`, `_`
//! and the escape character `\` of the term escaped. Identifiers come from the host's
//! [`Schema`] and are quoted.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::schema::{Schema, ip_value};
use super::{Condition, GrantedTag, Plan, Quantifier, TagCondition, TagExpr, Test};

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

    fn attribute_is(&mut self, attribute: &str) {
        self.sql.push_str(&self.schema.attribute_column());
        self.sql.push_str(" = ");
        self.text(attribute);
    }

    /// `"value" = ?` for one text, `"value" IN (?, …)` for several.
    fn value_in<S: AsRef<str>>(&mut self, values: &[S]) {
        self.sql.push_str(&self.schema.value_column());
        if let [only] = values {
            self.sql.push_str(" = ");
            self.text(only.as_ref());
        } else {
            self.sql.push_str(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    self.sql.push_str(", ");
                }
                self.text(v.as_ref());
            }
            self.sql.push(')');
        }
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
    /// Granted tags ([`Filter::tags`](super::Filter::tags)) add one more test to that
    /// subquery, `("attribute" = 'tag_uuid' AND "value" IN (<their uuids>))`, and each
    /// dynamic tag's filter is one more disjunct beside the subquery, `(<subquery> OR
    /// <filter> OR …)`: its `and`/`or` as written, each condition an `EXISTS (SELECT 1 FROM
    /// "asset_values" WHERE "asset_id" = "assets"."id" AND "attribute" = ? AND (<tests>))`;
    /// a negated condition (`neq`, `nmatch`, `set-hasnot`) is `EXISTS` of a value of the
    /// attribute `AND NOT EXISTS` of one passing the tests, `set-hasonly` `EXISTS … AND NOT
    /// EXISTS` of one passing none (fail closed: no value, no match). Long `AND`/`OR` lists
    /// are nested 16 to a level, so that SQLite's expression depth limit is not reached.
    ///
    /// A string test holding U+0000 is left out: no stored value holds one
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
        let conditions: Vec<&Condition<'_>> = filter
            .conditions
            .iter()
            .filter(|c| storable(&c.test))
            .collect();
        let mut parts: Vec<Part<'_, '_>> = Vec::new();
        if !conditions.is_empty() || !filter.tags.is_empty() {
            parts.push(Part::Values(&conditions, &filter.tags));
        }
        parts.extend(
            filter
                .tags
                .iter()
                .filter_map(|t| t.filter.as_ref())
                .map(Part::Tag),
        );
        match parts.as_slice() {
            [] => return constant(false),
            [only] => only.render(&mut w),
            _ => {
                w.sql.push('(');
                join(&mut w, &parts, " OR ", &mut |w, part| part.render(w));
                w.sql.push(')');
            }
        }
        WhereClause {
            sql: w.sql,
            params: w.params,
        }
    }
}

/// One disjunct of a filter's SQL: the values subquery (the access groups' conditions and
/// the granted tags' uuids), or one granted tag's filter.
enum Part<'p, 'a> {
    Values(&'p [&'p Condition<'a>], &'p [GrantedTag<'a>]),
    Tag(&'p TagExpr<'a>),
}

impl Part<'_, '_> {
    fn render(&self, w: &mut Writer<'_>) {
        match self {
            Part::Values(conditions, tags) => values_subquery(w, conditions, tags),
            Part::Tag(expr) => tag_expr(w, expr),
        }
    }
}

/// `"assets"."id" IN (SELECT "asset_id" FROM "asset_values" WHERE …)`: one parenthesized
/// test per condition (equalities of one attribute in one `IN` list), then the granted
/// tags' uuids as one `tag_uuid` test; nested as [`join`] does past [`FAN_OUT`] tests.
fn values_subquery(w: &mut Writer<'_>, conditions: &[&Condition<'_>], tags: &[GrantedTag<'_>]) {
    /// One parenthesized test of the subquery: an attribute and its test.
    enum Piece<'p> {
        Equals(&'static str, Vec<&'p str>),
        One(&'static str, &'p Test),
    }
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    for condition in conditions {
        let attribute = condition.attribute.as_str();
        match (&condition.test, pieces.last_mut()) {
            // The equalities of one attribute are consecutive (conditions are sorted by
            // attribute, then test kind): one `IN` list.
            (Test::Equals(v), Some(Piece::Equals(a, values))) if *a == attribute => values.push(v),
            (Test::Equals(v), _) => pieces.push(Piece::Equals(attribute, vec![v])),
            (test, _) => pieces.push(Piece::One(attribute, test)),
        }
    }
    let uuids: Vec<String> = tags.iter().map(|t| t.uuid.to_string()).collect();
    if !uuids.is_empty() {
        pieces.push(Piece::Equals(
            crate::access::RuleType::TagUuid.as_str(),
            uuids.iter().map(String::as_str).collect(),
        ));
    }
    let schema = w.schema;
    let _ = write!(
        w.sql,
        "{} IN (SELECT {} FROM {} WHERE ",
        schema.qualified_id(),
        schema.asset_id_column(),
        schema.values_table()
    );
    join(w, &pieces, " OR ", &mut |w, piece| {
        w.sql.push('(');
        match piece {
            Piece::Equals(attribute, values) => {
                w.attribute_is(attribute);
                w.sql.push_str(" AND ");
                w.value_in(values);
            }
            Piece::One(attribute, test) => {
                w.attribute_is(attribute);
                w.sql.push_str(" AND ");
                single_test(w, test, false);
            }
        }
        w.sql.push(')');
    });
    w.sql.push(')');
}

/// One test on the row's address or value (not an equality list): `BETWEEN`/`=` on the
/// address, `LIKE` on the value. With `guard`, an address test is `FALSE` rather than
/// `NULL` on a row without an address, so that `NOT` of it holds there.
fn single_test(w: &mut Writer<'_>, test: &Test, guard: bool) {
    let ip = |w: &mut Writer<'_>, first: IpAddr, last: IpAddr| {
        if guard {
            let _ = write!(w.sql, "({} IS NOT NULL AND ", w.schema.ip_column());
            between(w, first, last);
            w.sql.push(')');
        } else {
            between(w, first, last);
        }
    };
    match test {
        Test::Ipv4 { first, last } => ip(
            w,
            IpAddr::V4(Ipv4Addr::from(*first)),
            IpAddr::V4(Ipv4Addr::from(*last)),
        ),
        Test::Ipv6 { first, last } => ip(
            w,
            IpAddr::V6(Ipv6Addr::from(*first)),
            IpAddr::V6(Ipv6Addr::from(*last)),
        ),
        Test::Equals(value) => w.value_in(&[value]),
        Test::Starts(prefix) => w.like(format!("{}%", escape_like(prefix))),
        Test::Ends(suffix) => w.like(format!("%{}", escape_like(suffix))),
        Test::Match(pattern) => w.like(match_pattern(pattern)),
    }
}

/// How many members one parenthesized `AND`/`OR` list holds before it is split into nested
/// lists: SQLite limits an expression's depth (1,000 by default), and `a OR b OR c …` is as
/// deep as it is long; nested lists of at most this many keep it logarithmic.
const FAN_OUT: usize = 16;

/// `items` rendered and joined by `separator` (` AND `, ` OR `), as nested parenthesized
/// lists of at most [`FAN_OUT`] members.
fn join<T>(
    w: &mut Writer<'_>,
    items: &[T],
    separator: &str,
    render: &mut dyn FnMut(&mut Writer<'_>, &T),
) {
    if items.len() <= FAN_OUT {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                w.sql.push_str(separator);
            }
            render(w, item);
        }
        return;
    }
    let size = items.len().div_ceil(FAN_OUT);
    for (i, chunk) in items.chunks(size).enumerate() {
        if i > 0 {
            w.sql.push_str(separator);
        }
        w.sql.push('(');
        join(w, chunk, separator, render);
        w.sql.push(')');
    }
}

/// A granted tag's filter: `and`/`or` as written, each condition an `EXISTS` test.
fn tag_expr(w: &mut Writer<'_>, expr: &TagExpr<'_>) {
    let (members, separator) = match expr {
        TagExpr::Condition(c) => return tag_condition(w, c),
        TagExpr::And(members) => (members, " AND "),
        TagExpr::Or(members) => (members, " OR "),
    };
    match members.as_slice() {
        [] => w.sql.push_str(if separator == " AND " {
            "1 = 1"
        } else {
            "1 = 0"
        }),
        [only] => tag_expr(w, only),
        _ => {
            w.sql.push('(');
            join(w, members, separator, &mut |w, m| tag_expr(w, m));
            w.sql.push(')');
        }
    }
}

/// One filter condition (`docs/semantics.md`, "Query plans"):
///
/// - `Any`: `EXISTS` a value of the attribute passing a test;
/// - `NoneOf`: `EXISTS` a value that counts `AND NOT EXISTS` one passing a test;
/// - `Only`: `EXISTS` a value that counts `AND NOT EXISTS` one that counts and passes no
///   test.
///
/// Tests holding U+0000 are left out (no stored value holds one); a condition then left
/// without a test, or a `tag.<Category>` condition whose category has no tag, is the
/// constant it is for every stored asset.
fn tag_condition(w: &mut Writer<'_>, c: &TagCondition<'_>) {
    let tests: Vec<&Test> = c.tests.iter().filter(|t| storable(t)).collect();
    let among: Option<Vec<&Test>> = c
        .among
        .as_ref()
        .map(|a| a.iter().filter(|t| storable(t)).collect());
    if among.as_ref().is_some_and(Vec::is_empty) {
        // No value counts: the asset never has one.
        w.sql.push_str("1 = 0");
        return;
    }
    let among = among.as_deref();
    let attribute = c.attribute.as_str();
    match c.quantifier {
        Quantifier::Any if tests.is_empty() => w.sql.push_str("1 = 0"),
        // Every test is among the values that count: no need to restrict to them.
        Quantifier::Any => exists(w, attribute, None, Some((&tests, false))),
        Quantifier::NoneOf => {
            w.sql.push('(');
            exists(w, attribute, among, None);
            if !tests.is_empty() {
                w.sql.push_str(" AND NOT ");
                exists(w, attribute, None, Some((&tests, false)));
            }
            w.sql.push(')');
        }
        Quantifier::Only if tests.is_empty() => w.sql.push_str("1 = 0"),
        Quantifier::Only => {
            w.sql.push('(');
            exists(w, attribute, among, None);
            w.sql.push_str(" AND NOT ");
            exists(w, attribute, among, Some((&tests, true)));
            w.sql.push(')');
        }
    }
}

/// `EXISTS (SELECT 1 FROM "asset_values" WHERE "asset_id" = "assets"."id" AND "attribute"
/// = ? [AND <among>] [AND [NOT] (<tests>)])`.
fn exists(
    w: &mut Writer<'_>,
    attribute: &str,
    among: Option<&[&Test]>,
    tests: Option<(&[&Test], bool)>,
) {
    let schema = w.schema;
    let _ = write!(
        w.sql,
        "EXISTS (SELECT 1 FROM {} WHERE {} = {} AND ",
        schema.values_table(),
        schema.asset_id_column(),
        schema.qualified_id()
    );
    w.attribute_is(attribute);
    if let Some(among) = among {
        w.sql.push_str(" AND ");
        any_test(w, among, false);
    }
    if let Some((tests, negated)) = tests {
        w.sql.push_str(if negated { " AND NOT " } else { " AND " });
        any_test(w, tests, negated);
    }
    w.sql.push(')');
}

/// `(<test> OR …)` over the row, equalities in one `IN` list (tests are sorted: they are
/// consecutive); `guard` as for [`single_test`].
fn any_test(w: &mut Writer<'_>, tests: &[&Test], guard: bool) {
    enum Piece<'t> {
        In(Vec<&'t str>),
        One(&'t Test),
    }
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    for test in tests {
        match (test, pieces.last_mut()) {
            (Test::Equals(v), Some(Piece::In(values))) => values.push(v),
            (Test::Equals(v), _) => pieces.push(Piece::In(vec![v])),
            (test, _) => pieces.push(Piece::One(test)),
        }
    }
    w.sql.push('(');
    join(w, &pieces, " OR ", &mut |w, piece| match piece {
        Piece::In(values) => w.value_in(values),
        Piece::One(test) => single_test(w, test, guard),
    });
    w.sql.push(')');
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
