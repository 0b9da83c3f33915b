//! Uncertainty and sensitivity (Monte Carlo): how far ranks and tiers move when weights,
//! survey shares and policies move.
//!
//! Each replication perturbs the inputs named by an [`UncertaintySpec`] — weights (uniform
//! within relative bounds, or Dirichlet around the nominal shares), survey shares (drawn from
//! their sampling distribution and mapped through the leaf's rule), and policies (tie,
//! not-applicable, aggregation form) — scores every unit, ranks them in their groups and
//! classifies their tiers. The report gives per unit the nominal, median, 5th and 95th
//! percentile rank, the mean index and the probability of each tier, and per input factor the
//! first-order and total variance-based sensitivity indices (Saltelli 2010 design with `A`,
//! `B` and `A_B⁽ⁱ⁾` matrices; Saltelli and Jansen estimators) of the mean absolute rank shift.
//!
//! **Factors and the Saltelli design.** The input factors are groups: the weights of one tree
//! level (`weights:level:L`), the shares of one survey leaf over all units (`survey:CODE`), and
//! each policy list (`policy:ties`, `policy:not_applicable`, `policy:aggregation`). A factor's
//! column in the `A` and `B` matrices is its own random stream for that row, so `A_B⁽ⁱ⁾` (A with
//! factor i from B) is run without storing any matrix. The scalar output is the mean absolute
//! rank shift against the nominal ranks: it is 0 when nothing moves and grows with every unit
//! that moves, so it ranks factors by how much they reorder the ranking (COINr's choice of a
//! rank-based output); per-unit indices of each unit's rank are optional. First-order indices
//! use Saltelli's 2010 estimator, total indices Jansen's.
//!
//! **Numbers.** The nominal scorecard stays exact (`Decimal`). Replications run in `f64` on a
//! flat copy of the tree; indices are rounded to 9 decimal places (integers of 10⁻⁹) before
//! ranking, tiering and summing, so float error does not split exact ties, and sums merge
//! exactly.
//!
//! **Reproducibility.** Every random number comes from a stream keyed by (seed, matrix,
//! replication, factor), never from a shared generator: the same seed gives the same report on
//! any binding, any thread count, and for any split of the replications (see
//! [`UncertaintyRuns::merge`]). Transcendental functions come from `libm`, the same code on
//! every platform.
//!
//! ```
//! use par_index::{presets, Scorer};
//! use par_index::analysis::UncertaintySpec;
//! let scorer = Scorer::new(&presets::methodology("par2023-ministries").unwrap()).unwrap();
//! let card = scorer.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
//! let spec: UncertaintySpec = serde_json::from_str(r#"{"replications": 200, "seed": 1,
//!   "weights": {"distribution": {"type": "uniform", "relative": 0.25}}}"#).unwrap();
//! let report = scorer.uncertainty(&card, &spec).unwrap();
//! let moj = report.units.iter().find(|u| u.unit == "Ministry of Justice").unwrap();
//! assert!(moj.rank_p05 <= moj.median_rank && moj.median_rank <= moj.rank_p95);
//! ```

mod model;
mod report;
mod rng;
mod runs;
mod sobol;
mod spec;
mod survey;

pub use report::{FactorSensitivity, Sensitivity, TierChance, UncertaintyReport, UnitSensitivity, UnitUncertainty};
pub use runs::UncertaintyRuns;
pub use sobol::{saltelli_indices, SaltelliEstimate};
pub use spec::{
    AggregationSwitch, NotApplicableSwitch, PolicySwitches, SensitivitySpec, ShareDistribution, ShareUncertainty,
    SurveyPerturbation, UncertaintySpec, WeightDistribution, WeightPerturbation,
};

use crate::error::{MethodologyError, Result};
use crate::scorecard::Scorecard;
use crate::scoring::Scorer;
use model::{Model, SCALE};
use rust_decimal::Decimal;
use std::ops::Range;

/// A unit as the report names it.
#[derive(Debug, Clone)]
struct UnitInfo {
    unit: String,
    group: Option<String>,
    index: Decimal,
    tier: Option<String>,
}

/// An analysis compiled and checked, ready to run replications in ranges.
///
/// ```
/// use par_index::{presets, Scorer};
/// use par_index::analysis::{UncertaintySpec, WeightDistribution, WeightPerturbation};
/// let scorer = Scorer::new(&presets::methodology("par2023-ministries").unwrap()).unwrap();
/// let card = scorer.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
/// let mut spec = UncertaintySpec::new(100, 3);
/// spec.weights = Some(WeightPerturbation { levels: vec![], distribution: WeightDistribution::Uniform { relative: 0.2 } });
/// let mc = scorer.monte_carlo(&card, &spec).unwrap();
/// let split = mc.run(0..40).unwrap().merge(mc.run(40..100).unwrap()).unwrap();
/// assert_eq!(mc.report(&split).unwrap(), mc.report(&mc.run(0..100).unwrap()).unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    model: Model,
    units: Vec<UnitInfo>,
}

impl Scorer {
    /// Runs the uncertainty and sensitivity analysis of a scorecard made by this scorer.
    pub fn uncertainty(&self, card: &Scorecard, spec: &UncertaintySpec) -> Result<UncertaintyReport> {
        let mc = self.monte_carlo(card, spec)?;
        let runs = mc.run(0..spec.replications)?;
        mc.report(&runs)
    }

    /// Compiles the analysis without running it, to run replications in ranges.
    pub fn monte_carlo(&self, card: &Scorecard, spec: &UncertaintySpec) -> Result<MonteCarlo> {
        let model = Model::compile(self, card, spec)?;
        let units = card
            .units
            .iter()
            .map(|u| UnitInfo { unit: u.unit.clone(), group: u.group.clone(), index: u.index, tier: u.tier.clone() })
            .collect();
        Ok(MonteCarlo { model, units })
    }
}

impl MonteCarlo {
    /// The input factors, as the report names them.
    pub fn factors(&self) -> &[String] {
        &self.model.factor_names
    }

    /// Runs replications `rows` (a part of `0..replications`), on as many threads as the spec
    /// allows.
    pub fn run(&self, rows: Range<u64>) -> Result<UncertaintyRuns> {
        if rows.start > rows.end || rows.end > self.model.replications {
            return Err(MethodologyError::InvalidRule {
                path: "rows".into(),
                message: format!("{rows:?} is not a range inside 0..{}", self.model.replications),
            }
            .into());
        }
        let threads = self.model.threads.unwrap_or_else(crate::parallel::cores);
        runs::run_parallel(&self.model, rows, threads)
    }

    /// Summarises runs (usually of all replications) into a report.
    pub fn report(&self, runs: &UncertaintyRuns) -> Result<UncertaintyReport> {
        let m = &self.model;
        let shape = UncertaintyRuns::empty_shape(m);
        if runs.seed != m.seed || runs.rank_offset != shape.0 || runs.tier_offset != shape.1 {
            return Err(MethodologyError::InvalidRule { path: "runs".into(), message: "the runs come from another analysis".into() }.into());
        }
        let n = runs.rows.end - runs.rows.start;
        let nf = n.max(1) as f64;
        let mut units = Vec::with_capacity(m.units);
        let mut shift_total = 0u64;
        for (u, info) in self.units.iter().enumerate() {
            let start = runs.rank_offset[u];
            let end = runs.rank_offset.get(u + 1).copied().unwrap_or(runs.rank_counts.len());
            let counts = &runs.rank_counts[start..end];
            let nominal = m.nominal_rank[u];
            let mut weighted = 0u64;
            for (k, &c) in counts.iter().enumerate() {
                let r = k as u64 + 1;
                weighted += r * c;
                shift_total += r.abs_diff(u64::from(nominal)) * c;
            }
            let quantile = |num: u64, den: u64| -> u32 {
                let mut cum = 0u64;
                for (k, &c) in counts.iter().enumerate() {
                    cum += c;
                    if n > 0 && u128::from(cum) * u128::from(den) >= u128::from(n) * u128::from(num) {
                        return k as u32 + 1;
                    }
                }
                0
            };
            let sum = runs.index_sum[u];
            let var = (i128::from(n)).checked_mul(runs.index_squares[u]).and_then(|a| a.checked_sub(sum.checked_mul(sum)?));
            let index_sd = match var {
                Some(v) => (v.max(0) as f64).sqrt() / nf / SCALE,
                None => {
                    let mean = sum as f64 / nf;
                    ((runs.index_squares[u] as f64 / nf - mean * mean).max(0.0)).sqrt() / SCALE
                }
            };
            let tiers = match m.scheme_of[u] {
                Some(k) => {
                    let t0 = runs.tier_offset[u];
                    let codes = &m.schemes[k].codes;
                    let mut out: Vec<TierChance> = codes
                        .iter()
                        .enumerate()
                        .map(|(b, code)| TierChance { tier: Some(code.clone()), count: runs.tier_counts[t0 + b], probability: runs.tier_counts[t0 + b] as f64 / nf })
                        .collect();
                    let below = runs.tier_counts[t0 + codes.len()];
                    if below > 0 {
                        out.push(TierChance { tier: None, count: below, probability: below as f64 / nf });
                    }
                    out
                }
                None => Vec::new(),
            };
            units.push(UnitUncertainty {
                unit: info.unit.clone(),
                group: info.group.clone(),
                nominal_index: info.index,
                nominal_rank: nominal,
                nominal_tier: info.tier.clone(),
                mean_index: sum as f64 / nf / SCALE,
                index_sd,
                mean_rank: weighted as f64 / nf,
                median_rank: quantile(1, 2),
                rank_p05: quantile(1, 20),
                rank_p95: quantile(19, 20),
                rank_counts: counts.to_vec(),
                tiers,
            });
        }
        let k = m.factors.len();
        let sensitivity = if m.sensitivity {
            let factors = |e: &SaltelliEstimate| -> Vec<FactorSensitivity> {
                m.factor_names
                    .iter()
                    .enumerate()
                    .map(|(i, f)| FactorSensitivity { factor: f.clone(), first_order: e.first_order[i], total: e.total[i] })
                    .collect()
            };
            let all = saltelli_indices(&runs.y_a, &runs.y_b, &runs.y_ab, k);
            let mut per_unit = Vec::new();
            if m.per_unit {
                let rows = runs.y_a.len();
                for (u, info) in self.units.iter().enumerate() {
                    let pick = |v: &[u32], count: usize| -> Vec<f64> { (0..count).map(|j| f64::from(v[j * m.units + u])).collect() };
                    let e = saltelli_indices(&pick(&runs.rank_a, rows), &pick(&runs.rank_b, rows), &pick(&runs.rank_ab, rows * k), k);
                    per_unit.push(UnitSensitivity { unit: info.unit.clone(), variance: e.variance, factors: factors(&e) });
                }
            }
            Some(Sensitivity { output: "mean_absolute_rank_shift".into(), variance: all.variance, factors: factors(&all), units: per_unit })
        } else {
            None
        };
        let runs_made = if m.sensitivity { n.saturating_mul(k as u64 + 2) } else { n };
        Ok(UncertaintyReport {
            seed: m.seed,
            replications: n,
            runs: runs_made,
            factors: m.factor_names.clone(),
            mean_absolute_rank_shift: if m.units == 0 { 0.0 } else { shift_total as f64 / nf / m.units as f64 },
            units,
            sensitivity,
        })
    }
}
