//! Small conversions shared by the classes: decimals to exact strings and chart numbers,
//! values to JSON text.

use par_index::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value as Json};

/// Powers of ten that are exact doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The double nearest to a decimal, for charts. Exact mantissas below 2^53 with at most 22
/// places (every figure of a PAR table) take one correctly rounded division, so the result is
/// what `Number(text)` gives in JavaScript; longer exact quotients fall back to the core's
/// conversion, within an ulp or so (a float parser would cost 15 KB of the size budget).
pub fn nearest_f64(d: Decimal) -> Json {
    let m = d.mantissa();
    let scale = d.scale() as usize;
    let x = if m.unsigned_abs() < (1u128 << 53) && scale < POW10.len() {
        m as f64 / POW10[scale]
    } else {
        d.to_f64().unwrap_or(f64::NAN)
    };
    serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number)
}

/// `nearest_f64` of a decimal given as text (null when it is not one).
pub fn number_of_text(s: &str) -> Json {
    s.parse::<Decimal>().map_or(Json::Null, nearest_f64)
}

/// An optional double (a float figure of the core) as a number or null.
pub fn opt_f64(x: Option<f64>) -> Json {
    x.and_then(serde_json::Number::from_f64)
        .map_or(Json::Null, Json::Number)
}

/// Puts a decimal under `key` and its double under `keyNumber`.
pub fn put_decimal(row: &mut Map<String, Json>, key: &str, d: Option<Decimal>) {
    let (t, n) = match d {
        Some(d) => (Json::String(d.to_string()), nearest_f64(d)),
        None => (Json::Null, Json::Null),
    };
    row.insert(key.to_owned(), t);
    row.insert(format!("{key}Number"), n);
}

/// Any serializable value as JSON (a label, a status); null if it cannot be written.
pub fn to_json<T: serde::Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// JSON text of rows.
pub fn rows(rows: Vec<Json>) -> String {
    json_text(&Json::Array(rows))
}

/// JSON text of a value, written straight to bytes (the `Display` route goes through a slower
/// formatter adapter).
pub fn json_text(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}
