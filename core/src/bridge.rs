//! The bridge from a SIPAS result to the PAR Index: every `survey` leaf that names a figure
//! (`overall`, `element:CODE`, `item:CODE`) takes that figure of the unit's survey result, so
//! survey rows plus appraisal points become the full provincial scorecard in one call.

use crate::assessment::Assessments;
use crate::error::{InputError, Result};
use crate::methodology::Methodology;
use crate::rule::Rule;
use crate::scorecard::Scorecard;
use crate::survey::{Figure, SipasResult};
use crate::value::Value;
use rust_decimal::Decimal;
use serde::Serialize;

/// A survey figure written into an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledValue {
    /// The unit.
    pub unit: String,
    /// The survey leaf's code.
    pub code: String,
    /// The figure it reads.
    pub figure: String,
    /// The percentage written.
    pub percent: Decimal,
}

/// What the bridge did: values written, and survey leaves left without a value because the
/// survey has no figure for that unit (the methodology's missing policy then applies).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BridgeReport {
    /// Values written.
    pub filled: Vec<FilledValue>,
    /// `(unit, code)` pairs the survey could not fill.
    pub unfilled: Vec<(String, String)>,
}

impl Assessments {
    /// Writes each unit's survey figures into the methodology's `survey` leaves that name a
    /// figure. A leaf that already has a value for a unit is an error (two sources for one
    /// number), never silently overwritten.
    pub fn fill_from_survey(&mut self, methodology: &Methodology, survey: &SipasResult) -> Result<BridgeReport> {
        let mut leaves: Vec<(String, Figure)> = Vec::new();
        let mut stack: Vec<&crate::Criterion> = methodology.criteria.iter().collect();
        while let Some(c) = stack.pop() {
            if let Some(Rule::Survey { figure: Some(f), .. }) = &c.rule {
                leaves.push((c.code.clone(), f.parse::<Figure>()?));
            }
            stack.extend(c.children.iter());
        }
        leaves.sort_by(|a, b| a.0.cmp(&b.0));
        let mut report = BridgeReport::default();
        for unit in &mut self.units {
            for (code, figure) in &leaves {
                if unit.values.contains_key(code) {
                    return Err(InputError::DuplicateValue { path: unit.origin(code), unit: unit.unit.clone(), code: code.clone() }.into());
                }
                match survey.figure(&unit.unit, figure) {
                    Some(percent) => {
                        unit.values.insert(code.clone(), Value::Number(percent));
                        unit.origins.insert(code.clone(), format!("survey result, unit {:?}, {figure}", unit.unit));
                        report.filled.push(FilledValue { unit: unit.unit.clone(), code: code.clone(), figure: figure.to_string(), percent });
                    }
                    None => report.unfilled.push((unit.unit.clone(), code.clone())),
                }
            }
        }
        Ok(report)
    }
}

impl Methodology {
    /// Scores assessments whose survey leaves are filled from a SIPAS result.
    pub fn score_with_survey(&self, assessments: &Assessments, survey: &SipasResult) -> Result<(Scorecard, BridgeReport)> {
        let mut filled = assessments.clone();
        let report = filled.fill_from_survey(self, survey)?;
        Ok((self.score(&filled)?, report))
    }
}
