//! Bonus and penalty points outside the criteria tree (điểm thưởng, điểm trừ).

use crate::label::Label;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Whether an adjustment adds or takes away points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// Added to the total (điểm thưởng).
    Bonus,
    /// Taken from the total (điểm trừ).
    Penalty,
}

/// Points added or taken outside the 100-point tree, each with its own bound. The index is the
/// adjusted total over the tree's maximum, so a bonus can lift it above 100 %.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Code used in assessments (unique among nodes and adjustments).
    pub code: String,
    /// Bilingual name.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// Bonus or penalty.
    pub kind: AdjustmentKind,
    /// The most points this adjustment may give or take (a positive number).
    pub max_points: Decimal,
    /// Count values above the bound as the bound instead of rejecting them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clamp: bool,
}
