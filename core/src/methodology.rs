//! A methodology: the criteria tree, tiers, rounding, ranking and policies of one index,
//! versioned by the decision it follows (e.g. QĐ 876/QĐ-BNV).

use crate::adjustment::Adjustment;
use crate::assessment::Assessments;
use crate::criterion::{Aggregation, Criterion};
use crate::error::{json_location, MethodologyError, Result};
use crate::label::Label;
use crate::policy::{MissingPolicy, NotApplicablePolicy};
use crate::ranking::RankingPolicy;
use crate::rounding::Rounding;
use crate::scorecard::Scorecard;
use crate::scoring::Scorer;
use crate::tier::Tiers;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The methodology file format version this library reads and writes.
pub const FORMAT_VERSION: u32 = 1;

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// Everything needed to score units: the criteria tree and the rules around it. Read from
/// JSON (schema: `docs/schema/methodology.schema.json`).
///
/// ```
/// use par_index::{Methodology, Assessments};
/// let m = Methodology::from_json(r#"{
///   "id": "demo", "title": {"vi": "Thử", "en": "Demo"}, "source": "none",
///   "max_points": "10",
///   "criteria": [
///     {"code": "1", "max_points": "6"},
///     {"code": "2", "max_points": "4", "rule": {"type": "yes_no"}}
///   ]
/// }"#).unwrap();
/// let a = Assessments::from_json(r#"{"units": [{"unit": "u1", "values": {"1": 4.5, "2": "yes"}}]}"#).unwrap();
/// let card = m.score(&a).unwrap();
/// assert_eq!(card.units[0].index.to_string(), "85");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Methodology {
    /// File format version (currently 1).
    #[serde(default = "format_version")]
    pub format: u32,
    /// Identifier, such as "par-ministries-876-2023".
    pub id: String,
    /// Bilingual title.
    pub title: Label,
    /// The legal source followed, such as "QĐ 876/QĐ-BNV".
    pub source: String,
    /// Free notes: what is sourced and what is a setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Maximum points of the whole tree (such as 100).
    pub max_points: Decimal,
    /// How the top-level criteria are combined (default `sum`).
    #[serde(default)]
    pub aggregation: Aggregation,
    /// The top-level criteria (fields, lĩnh vực).
    pub criteria: Vec<Criterion>,
    /// Bonus and penalty points outside the tree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
    /// Tier schemes; none means units get no tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Tiers>,
    /// Rounding of displayed figures.
    #[serde(default)]
    pub rounding: Rounding,
    /// Ranking inside groups.
    #[serde(default)]
    pub ranking: RankingPolicy,
    /// Default policy for not-applicable leaves (nodes may override it).
    #[serde(default)]
    pub not_applicable: NotApplicablePolicy,
    /// Policy for leaves with no value.
    #[serde(default)]
    pub missing: MissingPolicy,
}

impl Methodology {
    /// Reads and validates a methodology from JSON text.
    pub fn from_json(text: &str) -> Result<Methodology> {
        let m: Methodology = serde_json::from_str(text).map_err(|e| {
            let (path, message) = json_location(&e);
            MethodologyError::Json { path, message }
        })?;
        m.validate()?;
        Ok(m)
    }

    /// The methodology as pretty-printed JSON (reads back unchanged with [`Self::from_json`]).
    pub fn to_json(&self) -> String {
        // Serializing these plain data types cannot fail; fall back to an empty object anyway.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Checks the whole methodology: codes, maxima, rules, weights, tiers, limits.
    pub fn validate(&self) -> Result<()> {
        Scorer::new(self).map(|_| ())
    }

    /// Scores every unit of `assessments`.
    pub fn score(&self, assessments: &Assessments) -> Result<Scorecard> {
        Scorer::new(self)?.score(assessments)
    }

    /// The node with this code, anywhere in the tree.
    pub fn find(&self, code: &str) -> Option<&Criterion> {
        let mut stack: Vec<&Criterion> = self.criteria.iter().collect();
        while let Some(c) = stack.pop() {
            if c.code == code {
                return Some(c);
            }
            stack.extend(c.children.iter());
        }
        None
    }
}
