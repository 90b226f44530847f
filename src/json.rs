//! JSON read strictly (feature `serde`): a [`Strict`] value is a `serde_json::Value` whose
//! objects were checked for duplicate keys while reading.
//!
//! `serde_json::Value` keeps the last of duplicate keys, so `{"permScan": "none",
//! "permScan": "full"}` would silently mean `full`: a document whose two readings disagree
//! on what it grants. Every reader of role, access-group, policy-file and request JSON goes
//! through [`Strict`] (or a derived struct, which rejects duplicate fields itself), so a
//! duplicate key anywhere is an error naming the key. Nesting depth stays bounded by
//! `serde_json`'s recursion limit (128), which applies to any visitor.
//!
//! Readers that stream a known shape without a `Value` (the access groups of a policy
//! file) read their keys with [`next_key`], which refuses a known field seen twice, and
//! check their other keys themselves; any value they do not interpret is read as a
//! [`Strict`] value, so the guarantee is the same.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// A JSON value read with every object checked for duplicate keys.
pub(crate) struct Strict(pub(crate) Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(value.into())))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(value.into())))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Strict, E> {
        Ok(Strict(
            Number::from_f64(value).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(value)))
    }

    fn visit_none<E: de::Error>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Strict, D::Error> {
        Strict::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Strict(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Strict, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(duplicate(&key));
            }
            let Strict(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Strict(Value::Object(map)))
    }
}

/// The error for a key that an object holds twice.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate key `{}`", crate::text::Cut(key)))
}

/// A key of an object read by a streaming visitor: the position of a known field in the
/// visitor's list of field names, or another key.
pub(crate) enum Key {
    /// `fields[i]`.
    Known(usize),
    /// A key not in the list.
    Other(String),
}

/// Reads one key against a list of field names.
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|field| *field == key) {
            Some(i) => Key::Known(i),
            None => Key::Other(key.to_owned()),
        })
    }
}

/// The next key of an object whose known fields are `fields` (at most 64): a known field
/// seen before (`seen` holds one bit per field) is an error naming it; the caller checks
/// the other keys.
pub(crate) fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    seen: &mut u64,
) -> Result<Option<Key>, A::Error> {
    let key = map.next_key_seed(KeySeed(fields))?;
    if let Some(Key::Known(i)) = key {
        // Fail closed past 64 fields rather than stop checking.
        let bit = u32::try_from(i)
            .ok()
            .and_then(|i| 1u64.checked_shl(i))
            .ok_or_else(|| de::Error::custom("too many fields to check for duplicates"))?;
        if *seen & bit != 0 {
            return Err(duplicate(fields.get(i).copied().unwrap_or_default()));
        }
        *seen |= bit;
    }
    Ok(key)
}

/// Reads `text` as one strict JSON value.
pub(crate) fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Strict>(text).map(|Strict(value)| value)
}

/// Reads a `T` through a [`Strict`] value: duplicate keys are rejected, and `T`'s own
/// errors (which may quote input at any length) are cut by [`crate::text::json_error`].
pub(crate) fn read<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: de::DeserializeOwned,
{
    let Strict(value) = Strict::deserialize(deserializer)?;
    T::deserialize(value).map_err(|error| de::Error::custom(crate::text::json_error(&error)))
}
