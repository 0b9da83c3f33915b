//! The report of an uncertainty and sensitivity analysis: per unit the nominal, median and
//! 5th–95th percentile ranks, the mean index and the probability of each tier; per input factor
//! first-order and total sensitivity indices.

use rust_decimal::Decimal;
use serde::Serialize;

/// The result of [`crate::Scorer::uncertainty`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintyReport {
    /// The seed used.
    pub seed: u64,
    /// Replications summarised (rows of the `A` matrix).
    pub replications: u64,
    /// Model runs made: replications, × (factors + 2) with sensitivity indices.
    pub runs: u64,
    /// The input factors, in the order of the sensitivity indices: `weights:level:L`,
    /// `survey:CODE`, `policy:ties`, `policy:not_applicable`, `policy:aggregation`.
    pub factors: Vec<String>,
    /// The mean over units and replications of |rank − nominal rank|.
    pub mean_absolute_rank_shift: f64,
    /// Every unit, in scorecard order.
    pub units: Vec<UnitUncertainty>,
    /// Sensitivity indices, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
}

/// One unit's distribution over the replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitUncertainty {
    /// The unit.
    pub unit: String,
    /// Its group (ranks are inside the group).
    pub group: Option<String>,
    /// The exact index of the nominal scorecard.
    pub nominal_index: Decimal,
    /// The nominal rank.
    pub nominal_rank: u32,
    /// The nominal tier.
    pub nominal_tier: Option<String>,
    /// Mean index over the replications (`f64`; indices rounded to 10⁻⁹ before summing).
    pub mean_index: f64,
    /// Standard deviation of the index (divisor N).
    pub index_sd: f64,
    /// Mean rank.
    pub mean_rank: f64,
    /// Median rank: the smallest rank r with P(rank ≤ r) ≥ 0.5.
    pub median_rank: u32,
    /// 5th percentile rank (smallest r with P(rank ≤ r) ≥ 0.05; rank 1 is the best).
    pub rank_p05: u32,
    /// 95th percentile rank (smallest r with P(rank ≤ r) ≥ 0.95).
    pub rank_p95: u32,
    /// Replications at each rank: element r − 1 counts rank r, up to the group's size.
    pub rank_counts: Vec<u64>,
    /// Probability of each band of the unit's tier scheme, highest first; a last entry with no
    /// tier when the index fell below every band. Empty without tiers.
    pub tiers: Vec<TierChance>,
}

/// How often a unit landed in a tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierChance {
    /// The band's code; `None` below every band.
    pub tier: Option<String>,
    /// Replications in the band.
    pub count: u64,
    /// count / replications.
    pub probability: f64,
}

/// First-order and total sensitivity index of one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorSensitivity {
    /// The factor.
    pub factor: String,
    /// First-order index (Saltelli 2010 estimator); `None` when the output does not vary.
    pub first_order: Option<f64>,
    /// Total index (Jansen estimator); `None` when the output does not vary.
    pub total: Option<f64>,
}

/// Sensitivity indices of a scalar output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The output: `mean_absolute_rank_shift`, the mean over units of |rank − nominal rank|
    /// in a run. One number for the whole ranking, 0 when nothing moves, so every factor is
    /// judged by how much it reorders units.
    pub output: String,
    /// The output's variance over the `A` and `B` runs.
    pub variance: f64,
    /// One entry per factor.
    pub factors: Vec<FactorSensitivity>,
    /// Per unit, indices of the unit's rank (when asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitSensitivity>,
}

/// Sensitivity indices of one unit's rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSensitivity {
    /// The unit.
    pub unit: String,
    /// Variance of its rank.
    pub variance: f64,
    /// One entry per factor.
    pub factors: Vec<FactorSensitivity>,
}
