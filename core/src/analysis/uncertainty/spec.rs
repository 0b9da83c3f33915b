//! What a Monte Carlo run perturbs: weights, survey shares and policies. Plain serde data, so a
//! binding passes it as JSON.

use crate::error::{json_location, InputError, Result};
use crate::ranking::TiePolicy;
use serde::{Deserialize, Serialize};

/// The whole specification of an uncertainty and sensitivity analysis.
///
/// ```
/// use par_index::analysis::UncertaintySpec;
/// let spec: UncertaintySpec = serde_json::from_str(r#"{
///   "replications": 1000, "seed": 7,
///   "weights": {"levels": [1, 2], "distribution": {"type": "uniform", "relative": 0.25}},
///   "policies": {"aggregation": ["arithmetic", "geometric"]},
///   "sensitivity": {"per_unit": false}
/// }"#).unwrap();
/// assert_eq!(spec.replications, 1000);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// Replications: rows of the Saltelli `A` matrix. With [`Self::sensitivity`] the model is
    /// also run on the `B` rows and the `A_B⁽ⁱ⁾` rows, `replications × (factors + 2)` runs in all;
    /// the rank and tier distributions use the `A` rows only.
    pub replications: u64,
    /// The seed. A replication's random numbers depend only on the seed, the replication's
    /// index and the factor, so results do not depend on the number of threads or on how the
    /// replications are split. (JavaScript numbers hold seeds up to 2⁵³ exactly.)
    #[serde(default)]
    pub seed: u64,
    /// Perturbation of weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightPerturbation>,
    /// Survey shares drawn from their sampling distributions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyPerturbation>,
    /// Alternative policies, one chosen at random per replication.
    #[serde(default, skip_serializing_if = "PolicySwitches::is_empty")]
    pub policies: PolicySwitches,
    /// Variance-based sensitivity indices (Saltelli design); none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivitySpec>,
    /// Parts to split the runs into (default: the machine's parallelism; always 1 where threads
    /// cannot be spawned, as in WebAssembly): run on this thread and a pool's kept between
    /// calls (one fewer than the cores), or threads started for the call while another call
    /// uses the pool. Results do not depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

impl UncertaintySpec {
    /// Reads a spec from JSON text; errors name the line and column.
    ///
    /// ```
    /// use par_index::analysis::UncertaintySpec;
    /// let e = UncertaintySpec::from_json(r#"{"replications": 10, "sead": 1}"#).unwrap_err();
    /// assert_eq!(e.code(), "input_json");
    /// ```
    pub fn from_json(text: &str) -> Result<UncertaintySpec> {
        serde_json::from_str(text).map_err(|e| {
            let (path, message) = json_location(&e);
            InputError::Json { path, message }.into()
        })
    }

    /// A spec of `replications` runs with `seed` and nothing perturbed yet.
    pub fn new(replications: u64, seed: u64) -> Self {
        UncertaintySpec {
            replications,
            seed,
            weights: None,
            survey: None,
            policies: PolicySwitches::default(),
            sensitivity: None,
            threads: None,
        }
    }
}

/// Which weights move and how.
///
/// A node's weight is its weight inside its parent. Under a `sum` parent the implicit weights
/// are the children's maxima: a perturbed `sum` node scores `max × Σ wᵢ'·pctᵢ / Σ wᵢ' / 100`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightPerturbation {
    /// Depths of the nodes whose weights move: 1 for the top-level criteria (fields), 2 for
    /// their children, and so on. Empty means every level. Each level is one input factor of
    /// the sensitivity analysis.
    #[serde(default)]
    pub levels: Vec<usize>,
    /// How a weight moves.
    pub distribution: WeightDistribution,
}

/// How weights are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WeightDistribution {
    /// Each weight independently uniform in `[w(1 − r), w(1 + r)]` (COINr's "noise"; r = 0.25 is
    /// "25 %"); `0 ≤ r ≤ 1`.
    Uniform {
        /// The relative half-width r.
        relative: f64,
    },
    /// The weights of a node's children drawn together from a Dirichlet distribution centred on
    /// the nominal shares `wᵢ/Σw`, with parameters `concentration × wᵢ/Σw` (larger is tighter),
    /// rescaled to the nominal total.
    Dirichlet {
        /// The concentration (> 0).
        concentration: f64,
    },
}

/// Survey shares drawn from their sampling distributions, so survey sampling error flows into
/// the points of the survey leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyPerturbation {
    /// The sampling distribution.
    #[serde(default)]
    pub distribution: ShareDistribution,
    /// One entry per unit and survey leaf.
    pub shares: Vec<ShareUncertainty>,
}

/// The sampling distribution of a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareDistribution {
    /// `p + se·z`, z standard normal, held to `[0, 1]` (default). `se` is the given standard
    /// error, or `√(p(1 − p)/n)`.
    #[default]
    Normal,
    /// The Jeffreys posterior `Beta(p·n + ½, (1 − p)·n + ½)`, which stays inside `[0, 1]` and
    /// still varies at p = 0 or 1. `n` is the given (effective) sample size, or the
    /// binomial-equivalent `p(1 − p)/se²`.
    Beta,
}

/// A survey leaf's share for one unit, with its sampling error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareUncertainty {
    /// The unit.
    pub unit: String,
    /// The survey leaf's code (a `survey` rule or a leaf whose source is `survey`).
    pub code: String,
    /// The share satisfied as a fraction (0.965); the leaf reads 100 × share as its value.
    pub share: f64,
    /// Its standard error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub se: Option<f64>,
    /// The (effective) sample size, used when `se` is absent (normal) or always (beta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<f64>,
}

/// A not-applicable policy to switch to. A switched policy applies to every node, replacing
/// the methodology's default and per-node overrides; `methodology` keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicableSwitch {
    /// As the methodology says.
    Methodology,
    /// Not-applicable leaves leave their ancestors' points and maxima.
    Rescale,
    /// Not-applicable leaves count as zero.
    Zero,
    /// Not-applicable leaves count as full points.
    Full,
}

/// An aggregation form to switch to, applied to every inner node. Arithmetic is the `sum` of a
/// `sum` node (weights = children's maxima) and the weighted mean of a weighted node; geometric
/// is the weighted geometric mean of the children's percentages with the same weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationSwitch {
    /// As the methodology says, node by node.
    Methodology,
    /// Arithmetic (also written `sum` or `weighted_arithmetic`).
    #[serde(alias = "sum", alias = "weighted_arithmetic")]
    Arithmetic,
    /// Geometric (also written `weighted_geometric`).
    #[serde(alias = "weighted_geometric")]
    Geometric,
}

/// Alternative policies: each non-empty list is one input factor, and every replication uses
/// one of its entries, each equally likely.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySwitches {
    /// Tie policies to rank with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<TiePolicy>,
    /// Not-applicable policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<NotApplicableSwitch>,
    /// Aggregation forms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregation: Vec<AggregationSwitch>,
}

impl PolicySwitches {
    /// Whether no policy switches.
    pub fn is_empty(&self) -> bool {
        self.ties.is_empty() && self.not_applicable.is_empty() && self.aggregation.is_empty()
    }
}

/// Sensitivity indices to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivitySpec {
    /// Also give indices of each unit's rank, one set per unit.
    #[serde(default)]
    pub per_unit: bool,
}
