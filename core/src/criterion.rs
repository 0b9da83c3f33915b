//! The criteria tree: fields (lĩnh vực), criteria (tiêu chí) and sub-criteria (tiêu chí thành
//! phần), of any depth.

use crate::label::Label;
use crate::policy::NotApplicablePolicy;
use crate::rule::Rule;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a node's points come from. Results are published per source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// Self-assessment checked by an appraisal council (điểm thẩm định).
    Appraisal,
    /// A sociological survey (điều tra xã hội học), such as SIPAS.
    Survey,
    /// Socio-economic statistics.
    Statistic,
    /// Any other source, named by the methodology.
    Other(String),
}

impl Source {
    /// The tag as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Source::Appraisal => "appraisal",
            Source::Survey => "survey",
            Source::Statistic => "statistic",
            Source::Other(s) => s,
        }
    }
}

impl From<&str> for Source {
    fn from(s: &str) -> Self {
        match s {
            "appraisal" => Source::Appraisal,
            "survey" => Source::Survey,
            "statistic" => Source::Statistic,
            other => Source::Other(other.to_owned()),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Source::from(s.as_str()))
    }
}

/// How an inner node combines its children, chosen per node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Sum of the children's points (PAR style). The children's maxima must add up to the
    /// node's maximum.
    #[default]
    Sum,
    /// Weighted arithmetic mean of the children's percentages, scaled to the node's maximum
    /// (PCI style). Each child carries a `weight`.
    WeightedArithmetic,
    /// Weighted geometric mean of the children's percentages, scaled to the node's maximum.
    /// A child at 0 % makes the node 0.
    WeightedGeometric,
}

impl Aggregation {
    /// The name as written in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::WeightedArithmetic => "weighted_arithmetic",
            Aggregation::WeightedGeometric => "weighted_geometric",
        }
    }
}

/// One node of the criteria tree: an inner node with `children`, or a leaf with a `rule`.
///
/// ```
/// use par_index::Criterion;
/// let c: Criterion = serde_json::from_str(r#"{"code": "1.1", "max_points": "2.5"}"#).unwrap();
/// assert!(c.is_leaf());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique code, such as "1", "1.2" or "1.2.3".
    pub code: String,
    /// Bilingual name.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// Maximum points (0 is allowed: a node that is reported but not counted).
    pub max_points: Decimal,
    /// Where the points come from; inherited from the parent when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Weight inside a weighted parent (required there, ignored under a `sum` parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Overrides the methodology's not-applicable policy for this node and the leaves below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicablePolicy>,
    /// How the children are combined (inner nodes only; default `sum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// How a value becomes points (leaves only; default direct points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// The children; empty for a leaf.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Criterion>,
}

impl Criterion {
    /// A leaf scored by direct points.
    pub fn leaf(code: impl Into<String>, label: Label, max_points: Decimal) -> Self {
        Criterion {
            code: code.into(),
            label,
            max_points,
            source: None,
            weight: None,
            not_applicable: None,
            aggregation: None,
            rule: None,
            children: Vec::new(),
        }
    }

    /// Whether the node has no children.
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}
