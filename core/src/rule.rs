//! Scoring rules: how a leaf turns its value into points.

use crate::value::Value;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One step of a [`Rule::Steps`] table: a value of at least `at_least` earns `points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The lowest value that earns these points.
    pub at_least: Decimal,
    /// The points earned (at most the leaf's maximum).
    pub points: Decimal,
}

fn zero() -> Decimal {
    Decimal::ZERO
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// How a leaf's value becomes points. Written in JSON with a `type` field.
///
/// ```
/// use par_index::Rule;
/// let r: Rule = serde_json::from_str(
///     r#"{"type": "steps", "steps": [{"at_least": "100", "points": "1"}, {"at_least": "90", "points": "0.5"}]}"#,
/// ).unwrap();
/// assert!(matches!(r, Rule::Steps { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// The value is the points, from 0 to the maximum. Above the maximum is an error unless
    /// `clamp` is set, when it counts as the maximum.
    Points {
        /// Count values above the maximum as the maximum instead of rejecting them.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        clamp: bool,
    },
    /// Yes earns the maximum, no earns zero (1 and 0 are read as yes and no).
    YesNo,
    /// A ratio or percentage mapped linearly: `from` earns 0 points, `to` earns the maximum,
    /// values beyond either end earn the end's points. `from` may exceed `to` (lower is better).
    Linear {
        /// The value that earns 0 points.
        from: Decimal,
        /// The value that earns full points.
        to: Decimal,
    },
    /// A step table: the highest step whose `at_least` the value reaches gives the points;
    /// below every step, `otherwise`.
    Steps {
        /// The steps, in any order.
        steps: Vec<Step>,
        /// Points below every step (default 0).
        #[serde(default = "zero")]
        otherwise: Decimal,
    },
    /// A survey percentage (such as a SIPAS index) mapped linearly to points: `from` % earns 0,
    /// `to` % earns the maximum (defaults 0 and 100, so points = maximum × % / 100). How a SIPAS
    /// percentage becomes PAR points is not published; these bounds are the setting.
    Survey {
        /// Which figure of a SIPAS result feeds this leaf: `overall`, `element:CODE` or
        /// `item:CODE` (used by the survey bridge; a value may also be given directly).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        figure: Option<String>,
        /// The percentage that earns 0 points.
        #[serde(default = "zero")]
        from: Decimal,
        /// The percentage that earns full points.
        #[serde(default = "hundred")]
        to: Decimal,
    },
}

impl Default for Rule {
    fn default() -> Self {
        Rule::Points { clamp: false }
    }
}

/// Why a value could not be scored by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RuleFailure {
    WrongKind(&'static str),
    Negative(Decimal),
    AboveMaximum(Decimal),
    Overflow,
}

/// The points a rule gives and a short account of how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleOutcome {
    pub points: Decimal,
    pub how: String,
}

impl Rule {
    /// The name of the rule as written in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Points { .. } => "points",
            Rule::YesNo => "yes_no",
            Rule::Linear { .. } => "linear",
            Rule::Steps { .. } => "steps",
            Rule::Survey { .. } => "survey",
        }
    }

    /// Scores a value (never `NotApplicable`, which the engine handles) against `max` points.
    pub(crate) fn apply(&self, value: Value, max: Decimal) -> Result<RuleOutcome, RuleFailure> {
        match self {
            Rule::Points { clamp } => {
                let v = number(value, "a number of points")?;
                if v.is_sign_negative() && !v.is_zero() {
                    return Err(RuleFailure::Negative(v));
                }
                if v > max {
                    if *clamp {
                        return Ok(RuleOutcome { points: max, how: format!("points {v} clamped to the maximum {max}") });
                    }
                    return Err(RuleFailure::AboveMaximum(v));
                }
                Ok(RuleOutcome { points: v, how: "points as given".to_owned() })
            }
            Rule::YesNo => {
                let yes = match value {
                    Value::Yes => true,
                    Value::No => false,
                    Value::Number(n) if n == Decimal::ONE => true,
                    Value::Number(n) if n.is_zero() => false,
                    _ => return Err(RuleFailure::WrongKind("yes or no (or 1 or 0)")),
                };
                let points = if yes { max } else { Decimal::ZERO };
                Ok(RuleOutcome { points, how: format!("yes/no: {} earns {}", if yes { "yes" } else { "no" }, points.normalize()) })
            }
            Rule::Linear { from, to } => linear(number(value, "a number")?, *from, *to, max, "linear"),
            Rule::Survey { from, to, .. } => linear(number(value, "a survey percentage")?, *from, *to, max, "survey %"),
            Rule::Steps { steps, otherwise } => {
                let v = number(value, "a number")?;
                let best = steps.iter().filter(|s| v >= s.at_least).max_by(|a, b| a.at_least.cmp(&b.at_least));
                Ok(match best {
                    Some(s) => RuleOutcome {
                        points: s.points,
                        how: format!("step: {v} is at least {} and earns {}", s.at_least.normalize(), s.points.normalize()),
                    },
                    None => RuleOutcome {
                        points: *otherwise,
                        how: format!("step: {v} is below every step and earns {}", otherwise.normalize()),
                    },
                })
            }
        }
    }
}

fn number(value: Value, expected: &'static str) -> Result<Decimal, RuleFailure> {
    match value {
        Value::Number(n) => Ok(n),
        _ => Err(RuleFailure::WrongKind(expected)),
    }
}

/// `max × (v − from) / (to − from)`, held to `[0, max]`.
fn linear(v: Decimal, from: Decimal, to: Decimal, max: Decimal, name: &str) -> Result<RuleOutcome, RuleFailure> {
    let span = to.checked_sub(from).ok_or(RuleFailure::Overflow)?;
    let offset = v.checked_sub(from).ok_or(RuleFailure::Overflow)?;
    let raw = if span.is_zero() {
        // Validation rejects from == to; keep the engine total anyway.
        Decimal::ZERO
    } else {
        max.checked_mul(offset).and_then(|x| x.checked_div(span)).ok_or(RuleFailure::Overflow)?
    };
    let points = raw.clamp(Decimal::ZERO, max);
    let held = if points != raw { " (held to the range)" } else { "" };
    Ok(RuleOutcome {
        points,
        how: format!(
            "{name}: {max} × ({v} − {}) / ({} − {}) = {}{held}",
            from.normalize(),
            to.normalize(),
            from.normalize(),
            points.normalize()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn each_rule_scores_exactly() {
        let p = Rule::Points { clamp: false };
        assert_eq!(p.apply(Value::Number(d("2.5")), d("3")).unwrap().points, d("2.5"));
        assert_eq!(p.apply(Value::Number(d("3.5")), d("3")), Err(RuleFailure::AboveMaximum(d("3.5"))));
        assert_eq!(p.apply(Value::Number(d("-1")), d("3")), Err(RuleFailure::Negative(d("-1"))));
        assert_eq!(p.apply(Value::Yes, d("3")), Err(RuleFailure::WrongKind("a number of points")));
        let c = Rule::Points { clamp: true };
        assert_eq!(c.apply(Value::Number(d("3.5")), d("3")).unwrap().points, d("3"));
        assert_eq!(Rule::YesNo.apply(Value::Yes, d("2")).unwrap().points, d("2"));
        assert_eq!(Rule::YesNo.apply(Value::Number(Decimal::ZERO), d("2")).unwrap().points, d("0"));
        let l = Rule::Linear { from: d("50"), to: d("100") };
        assert_eq!(l.apply(Value::Number(d("75")), d("2")).unwrap().points, d("1"));
        assert_eq!(l.apply(Value::Number(d("120")), d("2")).unwrap().points, d("2"));
        assert_eq!(l.apply(Value::Number(d("10")), d("2")).unwrap().points, d("0"));
        let s = Rule::Steps {
            steps: vec![Step { at_least: d("90"), points: d("0.5") }, Step { at_least: d("100"), points: d("1") }],
            otherwise: Decimal::ZERO,
        };
        assert_eq!(s.apply(Value::Number(d("100")), d("1")).unwrap().points, d("1"));
        assert_eq!(s.apply(Value::Number(d("95")), d("1")).unwrap().points, d("0.5"));
        assert_eq!(s.apply(Value::Number(d("89.99")), d("1")).unwrap().points, d("0"));
        let v = Rule::Survey { figure: None, from: Decimal::ZERO, to: Decimal::ONE_HUNDRED };
        assert_eq!(v.apply(Value::Number(d("81.5")), d("10")).unwrap().points, d("8.15"));
    }
}
