//! One assessed value: a number, yes/no, or not applicable.

use crate::number::{decimal_from_f64, parse_decimal};
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A value given for a leaf or an adjustment.
///
/// Text forms: numbers with a dot (`61.86`), percentages (`95%`, read as 95), yes/no
/// (`yes`/`no`, `true`/`false`, `có`/`không`), and not applicable (`NA`, `N/A`, `KĐG`,
/// `không đánh giá`). In JSON a value may also be a number or a boolean.
///
/// ```
/// use par_index::Value;
/// assert_eq!(Value::parse("95%"), Some(Value::Number(95.into())));
/// assert_eq!(Value::parse("KĐG"), Some(Value::NotApplicable));
/// assert_eq!(Value::parse("1,5"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A number: points, a ratio or a percentage, as the leaf's rule reads it.
    Number(Decimal),
    /// Yes (met).
    Yes,
    /// No (not met).
    No,
    /// Not applicable to this unit ("không đánh giá").
    NotApplicable,
}

impl Value {
    /// Reads a value from text; `None` when it is none of the accepted forms. Empty text is not a
    /// value (callers treat it as missing).
    pub fn parse(text: &str) -> Option<Value> {
        let t = text.trim();
        match t.to_lowercase().as_str() {
            "yes" | "true" | "có" | "co" | "y" => return Some(Value::Yes),
            "no" | "false" | "không" | "khong" | "n" => return Some(Value::No),
            "na" | "n/a" | "kđg" | "kdg" | "không đánh giá" | "not applicable" => {
                return Some(Value::NotApplicable)
            }
            _ => {}
        }
        let number = t.strip_suffix('%').map(str::trim_end).unwrap_or(t);
        parse_decimal(number).map(Value::Number)
    }

    /// The value as text, in the form [`Value::parse`] reads back.
    pub fn to_text(&self) -> String {
        match self {
            Value::Number(d) => d.normalize().to_string(),
            Value::Yes => "yes".to_owned(),
            Value::No => "no".to_owned(),
            Value::NotApplicable => "NA".to_owned(),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Yes => s.serialize_bool(true),
            Value::No => s.serialize_bool(false),
            other => s.serialize_str(&other.to_text()),
        }
    }
}

struct ValueVisitor;

impl Visitor<'_> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a decimal string, a percentage, yes/no, a boolean or \"NA\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(if v { Value::Yes } else { Value::No })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        decimal_from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{v} is not a finite number in range")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Value::parse(v).ok_or_else(|| E::custom(format!("{v:?} is not a number, yes/no, percentage or NA")))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}
