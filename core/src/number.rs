//! Exact numbers: reading decimals from text and floats, checked arithmetic that names where it
//! overflowed, and percentages.

use crate::error::ArithmeticError;
use rust_decimal::Decimal;
use std::fmt::Display;
use std::str::FromStr;

/// Reads a decimal written with a dot (`61.86`), optionally in scientific notation (`1e-3`).
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.starts_with('+') && t[1..].starts_with(['+', '-']) {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str(t).ok()
    }
}

/// The decimal a person meant by a float: the shortest text that reads back as the same float
/// (`61.86_f64` gives `61.86`, not `61.8599999…`). `None` for NaN, infinities or out of range.
pub(crate) fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    parse_decimal(&format!("{value:?}"))
}

/// `a + b`, or an overflow error at `path`.
pub(crate) fn add(a: Decimal, b: Decimal, path: &dyn Display) -> Result<Decimal, ArithmeticError> {
    a.checked_add(b).ok_or_else(|| overflow(path, "addition"))
}

/// `a - b`, or an overflow error at `path`.
pub(crate) fn sub(a: Decimal, b: Decimal, path: &dyn Display) -> Result<Decimal, ArithmeticError> {
    a.checked_sub(b).ok_or_else(|| overflow(path, "subtraction"))
}

/// `a * b`, or an overflow error at `path`.
pub(crate) fn mul(a: Decimal, b: Decimal, path: &dyn Display) -> Result<Decimal, ArithmeticError> {
    a.checked_mul(b).ok_or_else(|| overflow(path, "multiplication"))
}

/// `a / b` (`b` non-zero), or an overflow error at `path`.
pub(crate) fn div(a: Decimal, b: Decimal, path: &dyn Display) -> Result<Decimal, ArithmeticError> {
    a.checked_div(b).ok_or_else(|| overflow(path, "division"))
}

/// `points / max × 100`, multiplying first so that exact ratios stay exact; `None` when `max`
/// is zero (a node worth no points has no percentage).
pub(crate) fn percent(points: Decimal, max: Decimal, path: &dyn Display) -> Result<Option<Decimal>, ArithmeticError> {
    if max.is_zero() {
        return Ok(None);
    }
    let scaled = mul(points, Decimal::ONE_HUNDRED, path)?;
    Ok(Some(div(scaled, max, path)?.normalize()))
}

/// The error, with the path formatted only now that it is needed.
fn overflow(path: &dyn Display, operation: &'static str) -> ArithmeticError {
    ArithmeticError { path: path.to_string(), operation }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_people_wrote_them() {
        assert_eq!(decimal_from_f64(61.86), Some(Decimal::from_str("61.86").unwrap()));
        assert_eq!(decimal_from_f64(0.1), Some(Decimal::from_str("0.1").unwrap()));
        assert_eq!(decimal_from_f64(1e-7), Some(Decimal::from_str("0.0000001").unwrap()));
        assert_eq!(decimal_from_f64(f64::NAN), None);
        assert_eq!(decimal_from_f64(1e300), None);
    }

    #[test]
    fn parse_rejects_garbage() {
        assert_eq!(parse_decimal("1,5"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("+-1"), None);
        assert_eq!(parse_decimal("+2.50"), Some(Decimal::from_str("2.50").unwrap()));
        assert_eq!(parse_decimal("2.5e1"), Some(Decimal::from(25)));
    }

    #[test]
    fn percent_is_exact_when_it_can_be() {
        let p = percent(Decimal::from_str("89.95").unwrap(), Decimal::ONE_HUNDRED, &"x").unwrap();
        assert_eq!(p.unwrap().to_string(), "89.95");
        assert_eq!(percent(Decimal::ONE, Decimal::ZERO, &"x").unwrap(), None);
        assert!(mul(Decimal::MAX, Decimal::TWO, &"n").is_err());
    }
}
