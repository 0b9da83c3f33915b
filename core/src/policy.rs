//! Policies for leaves that are not applicable to a unit or that have no value.

use serde::{Deserialize, Serialize};

/// What a not-applicable leaf ("không đánh giá") does to the scores above it.
///
/// No national rule was found in the sources; the default follows Hà Nội's practice of rescaling
/// (a criterion that is not assessed leaves both the points and the maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicablePolicy {
    /// The leaf leaves both the points and the maximum of its ancestors (default). In a weighted
    /// node its weight is left out and the other weights are renormalised.
    #[default]
    Rescale,
    /// The leaf counts as zero points out of its maximum.
    Zero,
    /// The leaf counts as full points.
    Full,
}

/// What a leaf with no value at all does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Scoring fails, naming the unit and the leaf (default: nothing is assumed).
    #[default]
    Error,
    /// The leaf scores zero.
    Zero,
    /// The leaf is treated as not applicable.
    NotApplicable,
}
