//! The default schema the SQL renderers query, its host-supplied names, its DDL and
//! indexes, and the rows to store for an asset (`docs/guide.md`, "List endpoints in your
//! database").
//!
//! ```sql
//! assets       (id <host type> PRIMARY KEY, …the host's own columns)
//! asset_values (asset_id  <host type> NOT NULL REFERENCES assets (id),
//!               attribute text NOT NULL,   -- the attribute: ipv4, fqdn, tag_uuid, sources, …
//!               value     text NOT NULL,   -- the normalized value (canonical_text)
//!               ip        inet | BLOB)     -- ipv4/ipv6 rows only, NULL otherwise
//! index (attribute, ip), index (attribute, value), index (asset_id)
//! ```

use std::net::IpAddr;

use super::canonical_text;
use super::sql::{Dialect, SqlValue};
use crate::Asset;
use crate::access::{AssetValue, Attribute};

/// Table and column names of the default schema, as the host names them. Every name is
/// quoted when rendered (`"` doubled); a name with `.` is quoted part by part, so
/// `reporting.assets` is the table `assets` of the schema `reporting`.
///
/// The renderers refer to the assets table's id column as `<assets>.<id>`: when the host's
/// query gives the table an alias (`FROM assets a`), give the alias as the assets table.
///
/// ```
/// use scangate::plan::Schema;
/// let schema = Schema::default().with_values_table("inventory.host_values").with_id_column("host_id");
/// assert_eq!(schema.qualified_id(), r#""assets"."host_id""#);
/// assert_eq!(schema.values_table(), r#""inventory"."host_values""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    assets: String,
    id: String,
    values: String,
    asset_id: String,
    attribute: String,
    value: String,
    ip: String,
}

impl Default for Schema {
    /// `assets(id)` and `asset_values(asset_id, attribute, value, ip)`.
    fn default() -> Schema {
        Schema {
            assets: "assets".into(),
            id: "id".into(),
            values: "asset_values".into(),
            asset_id: "asset_id".into(),
            attribute: "attribute".into(),
            value: "value".into(),
            ip: "ip".into(),
        }
    }
}

/// Quotes an identifier, part by part at each `.`.
fn quote(name: &str) -> String {
    name.split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

/// The last part of a possibly qualified name, for index names (an index lives in its
/// table's schema).
fn last_part(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

macro_rules! names {
    ($( $field:ident: $with:ident, $get:ident, $what:literal; )+) => {
        impl Schema {
            $(
                #[doc = concat!("Names ", $what, ".")]
                #[must_use]
                pub fn $with(mut self, name: &str) -> Schema {
                    self.$field = name.to_owned();
                    self
                }

                #[doc = concat!($what, ", quoted.")]
                #[must_use]
                pub fn $get(&self) -> String {
                    quote(&self.$field)
                }
            )+
        }
    };
}

names! {
    assets: with_assets_table, assets_table, "the assets table (default `assets`)";
    id: with_id_column, id_column, "the assets table's id column (default `id`)";
    values: with_values_table, values_table, "the values table (default `asset_values`)";
    asset_id: with_asset_id_column, asset_id_column, "the values table's asset id column (default `asset_id`)";
    attribute: with_attribute_column, attribute_column, "the values table's attribute column (default `attribute`)";
    value: with_value_column, value_column, "the values table's value column (default `value`)";
    ip: with_ip_column, ip_column, "the values table's address column (default `ip`)";
}

impl Schema {
    /// The assets table's id column qualified by the table: `"assets"."id"`.
    #[must_use]
    pub fn qualified_id(&self) -> String {
        format!("{}.{}", self.assets_table(), self.id_column())
    }

    /// The statements creating the two tables and the indexes the plans use, for
    /// `dialect`, with `id_type` the SQL type of asset ids (`TEXT`, `bigint`, …; host
    /// code, written as given). `IF NOT EXISTS` throughout.
    ///
    /// - `(attribute, ip)`: IP conditions (`attribute = ? AND ip BETWEEN ? AND ?`) are one
    ///   index range each;
    /// - `(attribute, value)` (`text_pattern_ops` in PostgreSQL, so that a `starts`
    ///   pattern `LIKE 'abc%'` is an index range too): equalities (`IN` lists), and the
    ///   attribute prefix for `ends` and `match`;
    /// - `(asset_id)`: replacing an asset's rows, and explaining a listed row.
    ///
    /// ```
    /// use scangate::plan::{Dialect, Schema};
    /// let ddl = Schema::default().create_statements(Dialect::Sqlite, "TEXT");
    /// assert_eq!(ddl[0], r#"CREATE TABLE IF NOT EXISTS "assets" ("id" TEXT PRIMARY KEY)"#);
    /// ```
    #[must_use]
    pub fn create_statements(&self, dialect: Dialect, id_type: &str) -> Vec<String> {
        let (text, ip_type, pattern_ops) = match dialect {
            Dialect::Sqlite => ("TEXT", "BLOB", ""),
            Dialect::Postgres => ("text", "inet", " text_pattern_ops"),
        };
        let values = self.values_table();
        let index = |suffix: &str| quote(&format!("{}_{suffix}", last_part(&self.values)));
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({} {id_type} PRIMARY KEY)",
                self.assets_table(),
                self.id_column()
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {values} ({} {id_type} NOT NULL REFERENCES {} ({}) ON DELETE CASCADE, {} {text} NOT NULL, {} {text} NOT NULL, {} {ip_type})",
                self.asset_id_column(),
                self.assets_table(),
                self.id_column(),
                self.attribute_column(),
                self.value_column(),
                self.ip_column(),
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {values} ({}, {})",
                index("ip"),
                self.attribute_column(),
                self.ip_column()
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {values} ({}, {}{pattern_ops})",
                index("value"),
                self.attribute_column(),
                self.value_column()
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {values} ({})",
                index("asset"),
                self.asset_id_column()
            ),
        ]
    }

    /// The statement inserting one row of [`Schema::rows`]: bind the asset id, then the
    /// row's `attribute`, `value` and `ip` (NULL when `None`).
    ///
    /// ```
    /// use scangate::plan::{Dialect, Schema};
    /// assert_eq!(
    ///     Schema::default().insert_statement(Dialect::Postgres),
    ///     r#"INSERT INTO "asset_values" ("asset_id", "attribute", "value", "ip") VALUES ($1, $2, $3, $4)"#
    /// );
    /// ```
    #[must_use]
    pub fn insert_statement(&self, dialect: Dialect) -> String {
        let placeholders = match dialect {
            Dialect::Sqlite => "?, ?, ?, ?",
            Dialect::Postgres => "$1, $2, $3, $4",
        };
        format!(
            "INSERT INTO {} ({}, {}, {}, {}) VALUES ({placeholders})",
            self.values_table(),
            self.asset_id_column(),
            self.attribute_column(),
            self.value_column(),
            self.ip_column()
        )
    }

    /// The rows of the values table for `asset` (one per value, in attribute then insertion
    /// order: the rule types, then the attributes only tag filters read, such as `sources`
    /// and `installed_software`), with addresses in the form `dialect` compares: big-endian `BLOB`s in SQLite,
    /// `inet` in PostgreSQL.
    ///
    /// # Errors
    ///
    /// [`RowError::Nul`] for a text value holding U+0000, which PostgreSQL `text` cannot
    /// store; it is refused in both dialects so that both select the same rows.
    ///
    /// ```
    /// use scangate::Asset;
    /// use scangate::plan::{Dialect, Schema, SqlValue};
    /// let asset = Asset::new().with("ipv4", "10.0.0.1")?.with("fqdn", "Web01.Example.COM.")?;
    /// let rows = Schema::rows(&asset, Dialect::Sqlite).unwrap();
    /// assert_eq!(rows[0].attribute, "fqdn");
    /// assert_eq!(rows[0].value, "web01.example.com");
    /// assert_eq!(rows[1].ip, Some(SqlValue::Blob(vec![10, 0, 0, 1])));
    /// # Ok::<(), scangate::access::AssetError>(())
    /// ```
    pub fn rows(asset: &Asset, dialect: Dialect) -> Result<Vec<AssetRow>, RowError> {
        let mut rows = Vec::new();
        for (attribute, values) in asset.attributes() {
            for value in values {
                let ip = match value {
                    AssetValue::Ipv4(a) => Some(ip_value(dialect, IpAddr::V4(*a))),
                    AssetValue::Ipv6(a) => Some(ip_value(dialect, IpAddr::V6(*a))),
                    _ => None,
                };
                let text = canonical_text(value);
                if text.contains('\0') {
                    return Err(RowError::Nul { attribute });
                }
                rows.push(AssetRow {
                    attribute: attribute.as_str(),
                    value: text.into_owned(),
                    ip,
                });
            }
        }
        Ok(rows)
    }
}

/// An address as `dialect` stores and compares it.
pub(crate) fn ip_value(dialect: Dialect, ip: IpAddr) -> SqlValue {
    match (dialect, ip) {
        (Dialect::Postgres, ip) => SqlValue::Inet(ip),
        (Dialect::Sqlite, IpAddr::V4(a)) => SqlValue::Blob(a.octets().to_vec()),
        (Dialect::Sqlite, IpAddr::V6(a)) => SqlValue::Blob(a.octets().to_vec()),
    }
}

/// One row of the values table for an asset (the asset id is the host's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetRow {
    /// The attribute's name: a rule type's (`ipv4`, `fqdn`, `tag_uuid`, …) or an
    /// [`ExtraAttribute`](crate::access::ExtraAttribute)'s (`sources`, …).
    pub attribute: &'static str,
    /// The normalized value ([`canonical_text`]).
    pub value: String,
    /// The address, for `ipv4` and `ipv6` rows.
    pub ip: Option<SqlValue>,
}

/// An asset that cannot be stored in the default schema.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowError {
    /// A text value holds U+0000 (PostgreSQL `text` cannot).
    #[error("asset attribute `{attribute}` has a value holding U+0000, which cannot be stored")]
    Nul {
        /// The attribute.
        attribute: Attribute,
    },
}
