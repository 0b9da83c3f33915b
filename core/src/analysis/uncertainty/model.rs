//! The scorecard compiled for Monte Carlo: the tree as flat `f64` arrays (children index ranges,
//! leaf points per unit), so one replication is a tight loop over units and nodes.
//!
//! Replications run in `f64`; the nominal scorecard stays exact. Every index (and every node
//! percentage a tie-breaker or tier condition reads) is rounded to 9 decimal places, held as an
//! integer count of 10⁻⁹, before it is ranked, tiered or summed: float error then neither splits
//! exact ties nor crosses a tier bound, and sums merge exactly in any order.
//!
//! Two paths score a unit. When every mean of a run is arithmetic and no leaf of the unit is
//! rescaled away, the index is linear in the leaves' shares: each leaf's share of the root (the
//! product of normalised weights down its path) is computed once per run, and a unit costs one
//! dot product. Otherwise (geometric means, rescaled leaves, tie-breakers or tier conditions
//! that read inner nodes) the unit is scored node by node, children before parents.

use super::rng::Stream;
use super::spec::{AggregationSwitch, NotApplicableSwitch, ShareDistribution, UncertaintySpec, WeightDistribution};
use crate::criterion::{Aggregation, Source};
use crate::error::{InputError, MethodologyError, Result};
use crate::policy::NotApplicablePolicy;
use crate::ranking::{RankBasis, TiePolicy};
use crate::rounding::RoundingMode;
use crate::rule::Rule;
use crate::scorecard::{NodeStatus, Scorecard};
use crate::scoring::Scorer;
use crate::tier::TierScheme;
use crate::tree::NodeKind;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// Indices are held as integer multiples of 10⁻⁹.
pub(crate) const SCALE: f64 = 1e9;

/// The most values (runs × factors, and × units for per-unit indices) kept for sensitivity.
const MAX_KEPT: u64 = 50_000_000;

fn snap(x: f64) -> i64 {
    // `as` saturates (NaN gives 0), so this never panics.
    (x * SCALE).round() as i64
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// `d × 10⁹` rounded up (or down) to an integer.
fn scaled(d: Decimal, up: bool) -> i64 {
    match d.checked_mul(Decimal::from(1_000_000_000u64)) {
        Some(x) => {
            let r = if up { x.ceil() } else { x.floor() };
            r.to_i64().unwrap_or(if r.is_sign_negative() { i64::MIN } else { i64::MAX })
        }
        None => {
            if d.is_sign_negative() {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    }
}

fn bad(path: impl Into<String>, message: impl Into<String>) -> crate::error::Error {
    MethodologyError::InvalidRule { path: path.into(), message: message.into() }.into()
}

const SCORED: u8 = 0;
const NOT_APPLICABLE: u8 = 1;
const MISSING: u8 = 2;

/// How a survey leaf turns a drawn percentage into points.
#[derive(Debug, Clone)]
enum LeafMap {
    Linear { from: f64, to: f64 },
    Steps { steps: Vec<(f64, f64)>, otherwise: f64 },
    Points,
}

impl LeafMap {
    fn points(&self, v: f64, max: f64) -> f64 {
        match self {
            LeafMap::Linear { from, to } => {
                let span = to - from;
                if span == 0.0 {
                    0.0
                } else {
                    (max * (v - from) / span).clamp(0.0, max)
                }
            }
            LeafMap::Steps { steps, otherwise } => {
                let mut best: Option<(f64, f64)> = None;
                for &(at, p) in steps {
                    if v >= at && best.is_none_or(|(b, _)| at > b) {
                        best = Some((at, p));
                    }
                }
                best.map_or(*otherwise, |(_, p)| p)
            }
            LeafMap::Points => v.clamp(0.0, max),
        }
    }
}

/// One input factor of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Factor {
    Weights(usize),
    Survey(usize),
    Ties,
    NotApplicable,
    Aggregation,
}

#[derive(Debug, Clone)]
struct SurveyEntry {
    unit: usize,
    leaf: usize,
    share: f64,
    sd: f64,
    n: f64,
    map: LeafMap,
}

#[derive(Debug, Clone)]
struct Band {
    /// Smallest index (in 10⁻⁹) inside the band.
    lo: i64,
    /// Largest index inside the band, if bounded.
    hi: Option<i64>,
    /// Node and smallest percentage (in 10⁻⁹) it must reach.
    requires: Vec<(usize, i64)>,
}

/// A tier scheme with integer bounds.
#[derive(Debug, Clone)]
pub(crate) struct Scheme {
    pub codes: Vec<String>,
    bands: Vec<Band>,
}

impl Scheme {
    fn compile(s: &TierScheme, by_code: &HashMap<String, usize>) -> Scheme {
        let bands = s
            .bands
            .iter()
            .map(|b| Band {
                lo: if b.min_inclusive { scaled(b.min, true) } else { scaled(b.min, false).saturating_add(1) },
                hi: b.max.map(|m| if b.max_inclusive { scaled(m, false) } else { scaled(m, true).saturating_sub(1) }),
                requires: b.requires.iter().filter_map(|r| by_code.get(&r.code).map(|&i| (i, scaled(r.min_percent, true)))).collect(),
            })
            .collect();
        Scheme { codes: s.bands.iter().map(|b| b.code.clone()).collect(), bands }
    }

    /// The band index, or `bands.len()` below every band (as [`TierScheme::classify`]).
    fn classify(&self, q: i64, percent: impl Fn(usize) -> Option<i64>) -> usize {
        let start = self.bands.iter().enumerate().position(|(i, b)| q >= b.lo && (i > 0 || b.hi.is_none_or(|h| q <= h)));
        let Some(start) = start else { return self.bands.len() };
        (start..self.bands.len())
            .find(|&i| self.bands[i].requires.iter().all(|&(node, lo)| percent(node).is_some_and(|p| p >= lo)))
            .unwrap_or(self.bands.len())
    }
}

/// The draws of one run: weight multipliers, survey points and the policies chosen.
#[derive(Debug, Clone)]
pub(crate) struct Draw {
    mul: Vec<f64>,
    /// Weight × multiplier of the children of weighted nodes.
    eff_w: Vec<f64>,
    /// Which precomputed leaf variant (not-applicable policy) the run uses.
    variant: usize,
    /// Whether this run can score clean units as one dot product (every mean arithmetic).
    linear: bool,
    /// Each node's share of the root: the product of normalised weights down its path.
    coef: Vec<f64>,
    /// The same for the leaves, in leaf order.
    leaf_coef: Vec<f64>,
    survey_points: Vec<f64>,
    na: Option<NotApplicablePolicy>,
    agg: AggregationSwitch,
    ties: TiePolicy,
}

/// Working memory of one thread.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    p: Vec<f64>,
    m: Vec<f64>,
    r: Vec<f64>,
    /// ln r, for geometric means.
    lnr: Vec<f64>,
    gone: Vec<bool>,
    gamma: Vec<f64>,
    /// Index of each unit, in 10⁻⁹.
    pub q: Vec<i64>,
    key: Vec<i64>,
    tie_keys: Vec<i64>,
    /// Tier band of each unit (the scheme's band count: no band).
    pub tier: Vec<usize>,
    /// Rank of each unit in its group.
    pub rank: Vec<u32>,
    order: Vec<usize>,
}

/// The compiled problem.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    n: usize,
    /// Leaves in tree order, and each node's position among them.
    leaf_list: Vec<usize>,
    leaf_pos: Vec<usize>,
    /// Whether the tree allows the linear fast path: no geometric node, no tie-breaker and no
    /// tier condition on a node (those need every node's figure).
    linear: bool,
    /// Whether some node of the methodology aggregates geometrically.
    has_geometric: bool,
    inner_order: Vec<usize>,
    child_start: Vec<usize>,
    children: Vec<usize>,
    max: Vec<f64>,
    weight: Vec<f64>,
    nominal_weight: Vec<f64>,
    sum_node: Vec<bool>,
    geometric: Vec<bool>,
    na_policy: Vec<NotApplicablePolicy>,
    depth: Vec<usize>,
    /// Whether the weights of the nodes at each depth move.
    level_moves: Vec<bool>,
    level_nodes: Vec<Vec<usize>>,
    level_parents: Vec<Vec<usize>>,
    weight_distribution: Option<WeightDistribution>,
    // Units.
    pub units: usize,
    /// Leaf figures per not-applicable variant (methodology, rescale, zero, full), when used.
    variants: Vec<Option<LeafVariant>>,
    adjust: Vec<f64>,
    pub groups: Vec<Vec<usize>>,
    id_position: Vec<usize>,
    tie_breakers: Vec<usize>,
    display: Option<(i64, RoundingMode)>,
    ties: TiePolicy,
    pub schemes: Vec<Scheme>,
    pub scheme_of: Vec<Option<usize>>,
    pub nominal_rank: Vec<u32>,
    // Factors.
    pub factors: Vec<Factor>,
    pub factor_names: Vec<String>,
    survey: Vec<SurveyEntry>,
    survey_distribution: ShareDistribution,
    survey_by_unit: Vec<Vec<usize>>,
    survey_by_factor: Vec<Vec<usize>>,
    tie_choices: Vec<TiePolicy>,
    na_choices: Vec<Option<NotApplicablePolicy>>,
    agg_choices: Vec<AggregationSwitch>,
    pub seed: u64,
    pub sensitivity: bool,
    pub per_unit: bool,
    pub replications: u64,
    pub threads: Option<usize>,
}

impl Model {
    /// Compiles a scorecard made by `scorer` and checks the spec against it.
    pub fn compile(scorer: &Scorer, card: &Scorecard, spec: &UncertaintySpec) -> Result<Model> {
        if !Arc::ptr_eq(&card.tree, &scorer.tree) && *card.tree != *scorer.tree {
            return Err(bad("scorecard", "the scorecard was made with another methodology"));
        }
        if spec.replications == 0 {
            return Err(bad("spec.replications", "at least one replication is needed"));
        }
        let tree = &*scorer.tree;
        let methodology = scorer.methodology();
        let n = tree.nodes.len();
        let mut child_start = Vec::with_capacity(n + 1);
        let mut children = Vec::new();
        for node in &tree.nodes {
            child_start.push(children.len());
            children.extend(node.children.iter().copied());
        }
        child_start.push(children.len());
        let is_leaf = |i: usize| matches!(tree.nodes[i].kind, NodeKind::Leaf(_));
        let leaves: Vec<usize> = (0..n).filter(|&i| is_leaf(i)).collect();
        let inner_order: Vec<usize> = (0..n).rev().filter(|&i| !is_leaf(i)).collect();
        let max: Vec<f64> = tree.nodes.iter().map(|x| to_f64(x.max)).collect();
        let weight: Vec<f64> = tree.nodes.iter().map(|x| to_f64(x.weight)).collect();
        let sum_node: Vec<bool> = tree.nodes.iter().map(|x| x.kind == NodeKind::Inner(Aggregation::Sum)).collect();
        let geometric: Vec<bool> = tree.nodes.iter().map(|x| x.kind == NodeKind::Inner(Aggregation::WeightedGeometric)).collect();
        let nominal_weight: Vec<f64> = (0..n)
            .map(|i| match tree.nodes[i].parent {
                Some(p) if sum_node[p] => max[i],
                Some(_) => weight[i],
                None => 1.0,
            })
            .collect();
        let depth: Vec<usize> = tree.nodes.iter().map(|x| x.depth).collect();
        let max_depth = depth.iter().copied().max().unwrap_or(0);
        let mut level_nodes = vec![Vec::new(); max_depth + 1];
        let mut level_parents = vec![Vec::new(); max_depth + 1];
        for i in 1..n {
            level_nodes[depth[i]].push(i);
        }
        for i in 0..n {
            if !is_leaf(i) && depth[i] < max_depth {
                level_parents[depth[i] + 1].push(i);
            }
        }

        // Weights.
        let mut level_moves = vec![false; max_depth + 1];
        let mut factors = Vec::new();
        let mut weight_distribution = None;
        if let Some(w) = &spec.weights {
            match w.distribution {
                WeightDistribution::Uniform { relative } => {
                    if !relative.is_finite() || !(0.0..=1.0).contains(&relative) {
                        return Err(bad("spec.weights.distribution.relative", format!("{relative} is not between 0 and 1")));
                    }
                }
                WeightDistribution::Dirichlet { concentration } => {
                    if !concentration.is_finite() || concentration <= 0.0 {
                        return Err(bad("spec.weights.distribution.concentration", format!("{concentration} is not a finite number above 0")));
                    }
                }
            }
            let mut levels: Vec<usize> = if w.levels.is_empty() { (1..=max_depth).collect() } else { w.levels.clone() };
            for (k, &l) in levels.iter().enumerate() {
                if l == 0 || l > max_depth {
                    return Err(bad(format!("spec.weights.levels[{k}]"), format!("level {l} is not between 1 and the tree's depth {max_depth}")));
                }
            }
            levels.sort_unstable();
            levels.dedup();
            for l in levels {
                level_moves[l] = !matches!(w.distribution, WeightDistribution::Uniform { relative } if relative == 0.0);
                factors.push(Factor::Weights(l));
            }
            weight_distribution = Some(w.distribution);
        }

        // Units.
        let units = card.units.len();
        let mut leaf_points = vec![0.0; units * n];
        let mut leaf_state = vec![SCORED; units * n];
        for (u, unit) in card.units.iter().enumerate() {
            for &i in &leaves {
                let Some(node) = unit.nodes.get(i - 1) else { continue };
                leaf_points[u * n + i] = to_f64(node.points);
                leaf_state[u * n + i] = match node.status {
                    NodeStatus::Scored => SCORED,
                    NodeStatus::NotApplicable => NOT_APPLICABLE,
                    NodeStatus::Missing => MISSING,
                };
            }
        }
        let mut wanted = [true, false, false, false];
        for c in &spec.policies.not_applicable {
            wanted[match c {
                NotApplicableSwitch::Methodology => 0,
                NotApplicableSwitch::Rescale => 1,
                NotApplicableSwitch::Zero => 2,
                NotApplicableSwitch::Full => 3,
            }] = true;
        }
        let na_policy: Vec<NotApplicablePolicy> = tree.nodes.iter().map(|x| x.not_applicable).collect();
        let variants = (0..4)
            .map(|v| {
                wanted[v].then(|| {
                    let fixed = [None, Some(NotApplicablePolicy::Rescale), Some(NotApplicablePolicy::Zero), Some(NotApplicablePolicy::Full)][v];
                    LeafVariant::new(n, units, &leaves, &max, &leaf_points, &leaf_state, |i| fixed.unwrap_or(na_policy[i]))
                })
            })
            .collect();
        let linear = !geometric.iter().any(|&g| g)
            && methodology.ranking.tie_breakers.is_empty()
            && methodology.tiers.as_ref().is_none_or(|t| t.schemes.iter().all(|s| s.bands.iter().all(|b| b.requires.is_empty())));
        let adjust: Vec<f64> = card.units.iter().map(|u| to_f64(u.bonus) - to_f64(u.penalty)).collect();
        let mut group_names: Vec<&Option<String>> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (u, unit) in card.units.iter().enumerate() {
            match group_names.iter().position(|g| **g == unit.group) {
                Some(k) => groups[k].push(u),
                None => {
                    group_names.push(&unit.group);
                    groups.push(vec![u]);
                }
            }
        }
        let mut by_id: Vec<usize> = (0..units).collect();
        by_id.sort_by(|&a, &b| card.units[a].unit.cmp(&card.units[b].unit));
        let mut id_position = vec![0; units];
        for (k, &u) in by_id.iter().enumerate() {
            id_position[u] = k;
        }
        let mut unit_index: HashMap<&str, usize> = HashMap::new();
        for (u, unit) in card.units.iter().enumerate() {
            unit_index.entry(unit.unit.as_str()).or_insert(u);
        }
        let tie_breakers: Vec<usize> = methodology.ranking.tie_breakers.iter().filter_map(|c| tree.by_code.get(c).copied()).collect();
        let display = match methodology.ranking.basis {
            RankBasis::Exact => None,
            RankBasis::Displayed if methodology.rounding.places >= 9 => None,
            RankBasis::Displayed => Some((10i64.pow(9 - methodology.rounding.places), methodology.rounding.mode)),
        };
        let (schemes, scheme_of) = match &methodology.tiers {
            Some(t) => {
                let schemes: Vec<Scheme> = t.schemes.iter().map(|s| Scheme::compile(s, &tree.by_code)).collect();
                let scheme_of = card
                    .units
                    .iter()
                    .map(|u| t.scheme_for(u.group.as_deref()).and_then(|s| t.schemes.iter().position(|x| x.id == s.id)))
                    .collect();
                (schemes, scheme_of)
            }
            None => (Vec::new(), vec![None; units]),
        };

        // Survey shares.
        let mut survey = Vec::new();
        let mut survey_distribution = ShareDistribution::Normal;
        let mut survey_leaves: Vec<usize> = Vec::new();
        if let Some(s) = &spec.survey {
            survey_distribution = s.distribution;
            let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
            for (k, e) in s.shares.iter().enumerate() {
                let at = format!("spec.survey.shares[{k}]");
                let Some(&unit) = unit_index.get(e.unit.as_str()) else {
                    return Err(InputError::UnknownUnit { path: format!("{at}.unit"), unit: e.unit.clone() }.into());
                };
                let leaf = tree.by_code.get(&e.code).copied().filter(|&i| is_leaf(i));
                let Some(leaf) = leaf else {
                    return Err(InputError::UnknownCode { path: format!("{at}.code"), code: e.code.clone() }.into());
                };
                let node = &tree.nodes[leaf];
                let NodeKind::Leaf(rule) = &node.kind else { continue };
                let is_survey = matches!(rule, Rule::Survey { .. }) || node.source == Some(Source::Survey);
                if !is_survey {
                    return Err(bad(format!("{at}.code"), format!("leaf {:?} is not a survey leaf (a survey rule or source)", e.code)));
                }
                let map = match rule {
                    Rule::Survey { from, to, .. } | Rule::Linear { from, to } => LeafMap::Linear { from: to_f64(*from), to: to_f64(*to) },
                    Rule::Steps { steps, otherwise } => LeafMap::Steps {
                        steps: steps.iter().map(|s| (to_f64(s.at_least), to_f64(s.points))).collect(),
                        otherwise: to_f64(*otherwise),
                    },
                    Rule::Points { .. } => LeafMap::Points,
                    Rule::YesNo => return Err(bad(format!("{at}.code"), format!("leaf {:?} is scored yes/no and cannot read a share", e.code))),
                };
                if let Some(&first) = seen.get(&(unit, leaf)) {
                    let _ = first;
                    return Err(InputError::DuplicateValue { path: at, unit: e.unit.clone(), code: e.code.clone() }.into());
                }
                seen.insert((unit, leaf), k);
                if !e.share.is_finite() || !(0.0..=1.0).contains(&e.share) {
                    return Err(bad(format!("{at}.share"), format!("{} is not a fraction between 0 and 1", e.share)));
                }
                if let Some(se) = e.se {
                    if !se.is_finite() || se < 0.0 {
                        return Err(bad(format!("{at}.se"), format!("{se} is not a finite number at least 0")));
                    }
                }
                if let Some(nn) = e.n {
                    if !nn.is_finite() || nn <= 0.0 {
                        return Err(bad(format!("{at}.n"), format!("{nn} is not a finite number above 0")));
                    }
                }
                let p = e.share;
                let (sd, count) = match (e.se, e.n) {
                    (Some(se), Some(nn)) => (se, nn),
                    (Some(se), None) => (se, if se > 0.0 { p * (1.0 - p) / (se * se) } else { f64::INFINITY }),
                    (None, Some(nn)) => ((p * (1.0 - p) / nn).sqrt(), nn),
                    (None, None) => return Err(bad(at, "give the share's standard error \"se\" or sample size \"n\"")),
                };
                if !survey_leaves.contains(&leaf) {
                    survey_leaves.push(leaf);
                }
                survey.push(SurveyEntry { unit, leaf, share: p, sd, n: count, map });
            }
        }
        survey_leaves.sort_unstable();
        let mut survey_by_unit = vec![Vec::new(); units];
        for (k, e) in survey.iter().enumerate() {
            survey_by_unit[e.unit].push(k);
        }
        let mut survey_by_factor = vec![Vec::new(); factors.len()];
        for &leaf in &survey_leaves {
            factors.push(Factor::Survey(leaf));
            survey_by_factor.push(survey.iter().enumerate().filter(|(_, e)| e.leaf == leaf).map(|(k, _)| k).collect());
        }

        // Policies.
        let p = &spec.policies;
        if !p.ties.is_empty() {
            factors.push(Factor::Ties);
        }
        if !p.not_applicable.is_empty() {
            factors.push(Factor::NotApplicable);
        }
        if !p.aggregation.is_empty() {
            factors.push(Factor::Aggregation);
        }
        survey_by_factor.resize(factors.len(), Vec::new());
        let na_choices = p
            .not_applicable
            .iter()
            .map(|s| match s {
                NotApplicableSwitch::Methodology => None,
                NotApplicableSwitch::Rescale => Some(NotApplicablePolicy::Rescale),
                NotApplicableSwitch::Zero => Some(NotApplicablePolicy::Zero),
                NotApplicableSwitch::Full => Some(NotApplicablePolicy::Full),
            })
            .collect();
        let factor_names = factors
            .iter()
            .map(|f| match f {
                Factor::Weights(l) => format!("weights:level:{l}"),
                Factor::Survey(leaf) => format!("survey:{}", tree.nodes[*leaf].code),
                Factor::Ties => "policy:ties".to_owned(),
                Factor::NotApplicable => "policy:not_applicable".to_owned(),
                Factor::Aggregation => "policy:aggregation".to_owned(),
            })
            .collect();

        let sensitivity = spec.sensitivity.is_some() && !factors.is_empty();
        let per_unit = sensitivity && spec.sensitivity.is_some_and(|s| s.per_unit);
        if sensitivity {
            let per_row = (factors.len() as u64 + 2).saturating_mul(if per_unit { units as u64 + 1 } else { 1 });
            if spec.replications.saturating_mul(per_row) > MAX_KEPT {
                return Err(InputError::LimitExceeded {
                    path: "spec.replications".into(),
                    message: format!("sensitivity keeps replications × (factors + 2){} values; the limit is {MAX_KEPT}", if per_unit { " × units" } else { "" }),
                }
                .into());
            }
        }
        Ok(Model {
            n,
            leaf_pos: {
                let mut pos = vec![usize::MAX; n];
                for (k, &i) in leaves.iter().enumerate() {
                    pos[i] = k;
                }
                pos
            },
            leaf_list: leaves,
            linear,
            has_geometric: geometric.iter().any(|&g| g),
            inner_order,
            child_start,
            children,
            max,
            weight,
            nominal_weight,
            sum_node,
            geometric,
            na_policy,
            depth,
            level_moves,
            level_nodes,
            level_parents,
            weight_distribution,
            units,
            variants,
            adjust,
            groups,
            id_position,
            tie_breakers,
            display,
            ties: methodology.ranking.ties,
            schemes,
            scheme_of,
            nominal_rank: card.units.iter().map(|u| u.rank).collect(),
            factors,
            factor_names,
            survey,
            survey_distribution,
            survey_by_unit,
            survey_by_factor,
            tie_choices: p.ties.clone(),
            na_choices,
            agg_choices: p.aggregation.clone(),
            seed: spec.seed,
            sensitivity,
            per_unit,
            replications: spec.replications,
            threads: spec.threads,
        })
    }

    /// A draw holding the nominal inputs.
    pub fn new_draw(&self) -> Draw {
        Draw {
            mul: vec![1.0; self.n],
            eff_w: self.weight.clone(),
            variant: 0,
            linear: false,
            coef: vec![0.0; self.n],
            leaf_coef: vec![0.0; self.leaf_list.len()],
            survey_points: vec![0.0; self.survey.len()],
            na: None,
            agg: AggregationSwitch::Methodology,
            ties: self.ties,
        }
    }

    /// Working memory for one thread.
    pub fn new_scratch(&self) -> Scratch {
        Scratch {
            p: vec![0.0; self.n],
            m: vec![0.0; self.n],
            r: vec![0.0; self.n],
            lnr: vec![0.0; self.n],
            gone: vec![false; self.n],
            gamma: vec![0.0; self.n],
            q: vec![0; self.units],
            key: vec![0; self.units],
            tie_keys: vec![0; self.units * self.tie_breakers.len()],
            tier: vec![0; self.units],
            rank: vec![0; self.units],
            order: Vec::with_capacity(self.units),
        }
    }

    /// Fills the draw of row `row`, each factor `f` from matrix `matrix(f)` (0 = A, 1 = B).
    pub fn fill_draw(&self, row: u64, matrix: impl Fn(usize) -> u64, d: &mut Draw, s: &mut Scratch) {
        d.mul.fill(1.0);
        d.na = None;
        d.agg = AggregationSwitch::Methodology;
        d.ties = self.ties;
        for (f, factor) in self.factors.iter().enumerate() {
            let mut rng = Stream::new(self.seed, matrix(f), row, f as u64);
            match factor {
                Factor::Weights(level) => match self.weight_distribution {
                    Some(WeightDistribution::Uniform { relative }) => {
                        for &i in &self.level_nodes[*level] {
                            d.mul[i] = 1.0 + relative * (2.0 * rng.uniform() - 1.0);
                        }
                    }
                    Some(WeightDistribution::Dirichlet { concentration }) => {
                        for &parent in &self.level_parents[*level] {
                            let kids = &self.children[self.child_start[parent]..self.child_start[parent + 1]];
                            let total: f64 = kids.iter().map(|&c| self.nominal_weight[c]).sum();
                            if total <= 0.0 {
                                continue;
                            }
                            let mut sum = 0.0;
                            for &c in kids {
                                let w = self.nominal_weight[c];
                                s.gamma[c] = if w > 0.0 { rng.gamma(concentration * w / total) } else { 0.0 };
                                sum += s.gamma[c];
                            }
                            if sum > 0.0 {
                                for &c in kids {
                                    let w = self.nominal_weight[c];
                                    if w > 0.0 {
                                        d.mul[c] = s.gamma[c] * total / (sum * w);
                                    }
                                }
                            }
                        }
                    }
                    None => {}
                },
                Factor::Survey(leaf) => {
                    for &k in &self.survey_by_factor[f] {
                        let e = &self.survey[k];
                        let p = match self.survey_distribution {
                            ShareDistribution::Normal => (e.share + e.sd * rng.normal()).clamp(0.0, 1.0),
                            ShareDistribution::Beta if e.n.is_finite() => rng.beta(e.share * e.n + 0.5, (1.0 - e.share) * e.n + 0.5),
                            ShareDistribution::Beta => e.share,
                        };
                        d.survey_points[k] = e.map.points(100.0 * p, self.max[*leaf]);
                    }
                }
                Factor::Ties => d.ties = self.tie_choices[rng.choose(self.tie_choices.len())],
                Factor::NotApplicable => d.na = self.na_choices[rng.choose(self.na_choices.len())],
                Factor::Aggregation => d.agg = self.agg_choices[rng.choose(self.agg_choices.len())],
            }
        }
        d.variant = match d.na {
            None => 0,
            Some(NotApplicablePolicy::Rescale) => 1,
            Some(NotApplicablePolicy::Zero) => 2,
            Some(NotApplicablePolicy::Full) => 3,
        };
        for ((e, w), m) in d.eff_w.iter_mut().zip(&self.weight).zip(&d.mul) {
            *e = w * m;
        }
        d.linear = self.linear && d.agg != AggregationSwitch::Geometric;
        if d.linear {
            // Top down: a child's share of the root is its parent's times its normalised weight
            // (weights of children worth no points are left out, as the scorer does).
            d.coef[0] = 1.0;
            for i in 0..self.n {
                let kids = &self.children[self.child_start[i]..self.child_start[i + 1]];
                if kids.is_empty() {
                    continue;
                }
                let weight = |c: usize| if self.max[c] > 0.0 { if self.sum_node[i] { self.max[c] * d.mul[c] } else { d.eff_w[c] } } else { 0.0 };
                let total: f64 = kids.iter().map(|&c| weight(c)).sum();
                for &c in kids {
                    d.coef[c] = if total > 0.0 { d.coef[i] * weight(c) / total } else { 0.0 };
                }
            }
            for (k, &leaf) in self.leaf_list.iter().enumerate() {
                d.leaf_coef[k] = d.coef[leaf];
            }
        }
    }

    /// Scores every unit under `d`, then ranks and tiers them (into `s.q`, `s.rank`, `s.tier`).
    pub fn replicate(&self, d: &Draw, s: &mut Scratch) {
        for u in 0..self.units {
            self.score_unit(u, d, s);
        }
        self.rank(d.ties, s);
    }

    fn policy(&self, d: &Draw, i: usize) -> NotApplicablePolicy {
        d.na.unwrap_or(self.na_policy[i])
    }

    fn score_unit(&self, u: usize, d: &Draw, s: &mut Scratch) {
        let variant = self.variants.get(d.variant).and_then(Option::as_ref);
        let index = match variant {
            Some(v) if d.linear && v.clean[u] => {
                // Every counted maximum is the nominal one, every mean arithmetic: the index is
                // a dot product of the leaves' shares with their shares of the root.
                let nl = self.leaf_list.len();
                let shares = &v.lr[u * nl..(u + 1) * nl];
                let mut acc = 0.0;
                for (c, r) in d.leaf_coef.iter().zip(shares) {
                    acc += c * r;
                }
                for &k in &self.survey_by_unit[u] {
                    let leaf = self.survey[k].leaf;
                    let pos = self.leaf_pos[leaf];
                    let r = if self.max[leaf] > 0.0 { d.survey_points[k] / self.max[leaf] } else { 0.0 };
                    acc += d.leaf_coef[pos] * (r - shares[pos]);
                }
                100.0 * (acc + self.adjust[u] / self.max[0])
            }
            _ => self.score_tree(u, variant, d, s),
        };
        let q = snap(index);
        s.q[u] = q;
        s.key[u] = match self.display {
            None => q,
            Some((unit, mode)) => round_q(q, unit, mode),
        };
        let t = self.tie_breakers.len();
        for (k, &node) in self.tie_breakers.iter().enumerate() {
            s.tie_keys[u * t + k] = if s.m[node] > 0.0 { snap(s.p[node] / s.m[node] * 100.0) } else { i64::MIN };
        }
        s.tier[u] = match self.scheme_of[u] {
            Some(k) => {
                let (p, m) = (&s.p, &s.m);
                self.schemes[k].classify(q, |node| if m[node] > 0.0 { Some(snap(p[node] / m[node] * 100.0)) } else { None })
            }
            None => 0,
        };
    }

    /// Scores a unit node by node (any aggregation, not-applicable leaves rescaled away);
    /// returns the index and leaves every node's figure in `s`.
    fn score_tree(&self, u: usize, variant: Option<&LeafVariant>, d: &Draw, s: &mut Scratch) -> f64 {
        let (lo, hi) = (u * self.n, (u + 1) * self.n);
        if let Some(v) = variant {
            s.p.copy_from_slice(&v.p[lo..hi]);
            s.m.copy_from_slice(&v.m[lo..hi]);
            s.r.copy_from_slice(&v.r[lo..hi]);
            s.lnr.copy_from_slice(&v.lnr[lo..hi]);
            s.gone.copy_from_slice(&v.gone[lo..hi]);
        }
        for &k in &self.survey_by_unit[u] {
            let leaf = self.survey[k].leaf;
            let (p, m) = (d.survey_points[k], self.max[leaf]);
            s.p[leaf] = p;
            s.m[leaf] = m;
            s.r[leaf] = if m > 0.0 { p / m } else { 0.0 };
            s.lnr[leaf] = ln(s.r[leaf]);
            s.gone[leaf] = false;
        }
        let any_geometric = d.agg == AggregationSwitch::Geometric || (d.agg == AggregationSwitch::Methodology && self.has_geometric);
        for &i in &self.inner_order {
            let kids = &self.children[self.child_start[i]..self.child_start[i + 1]];
            let geometric = match d.agg {
                AggregationSwitch::Methodology => self.geometric[i],
                AggregationSwitch::Arithmetic => false,
                AggregationSwitch::Geometric => true,
            };
            let (mut any, mut points, mut max) = (false, 0.0, 0.0);
            let (mut total, mut acc, mut zero) = (0.0, 0.0, false);
            if self.sum_node[i] {
                let moved = self.level_moves.get(self.depth[i] + 1).copied().unwrap_or(false);
                if !moved && !geometric {
                    for &c in kids {
                        if !s.gone[c] {
                            any = true;
                            points += s.p[c];
                            max += s.m[c];
                        }
                    }
                } else {
                    for &c in kids {
                        if s.gone[c] {
                            continue;
                        }
                        any = true;
                        max += s.m[c];
                        let w = s.m[c] * d.mul[c];
                        accumulate(w, s.r[c], s.lnr[c], geometric, &mut total, &mut acc, &mut zero);
                    }
                    points = max * mean(total, acc, zero, geometric);
                }
            } else {
                for &c in kids {
                    if s.gone[c] {
                        continue;
                    }
                    any = true;
                    if s.m[c] > 0.0 {
                        accumulate(d.eff_w[c], s.r[c], s.lnr[c], geometric, &mut total, &mut acc, &mut zero);
                    }
                }
                max = self.max[i];
                points = max * mean(total, acc, zero, geometric);
            }
            if !any {
                points = 0.0;
                max = 0.0;
            }
            s.p[i] = points;
            s.m[i] = max;
            s.r[i] = if max > 0.0 { points / max } else { 0.0 };
            if geometric && any && total > 0.0 && !zero {
                // The log of a geometric mean is the weighted mean of the logs: no new log.
                s.lnr[i] = acc / total;
            } else if any_geometric {
                s.lnr[i] = ln(s.r[i]);
            }
            s.gone[i] = !any && self.policy(d, i) == NotApplicablePolicy::Rescale;
        }
        if s.m[0] > 0.0 {
            (s.p[0] + self.adjust[u]) / s.m[0] * 100.0
        } else {
            0.0
        }
    }

    fn rank(&self, ties: TiePolicy, s: &mut Scratch) {
        let t = self.tie_breakers.len();
        for members in &self.groups {
            s.order.clear();
            s.order.extend_from_slice(members);
            let (key, tie_keys, ids) = (&s.key, &s.tie_keys, &self.id_position);
            s.order.sort_unstable_by(|&a, &b| {
                key[b]
                    .cmp(&key[a])
                    .then_with(|| {
                        (0..t).map(|k| tie_keys[b * t + k].cmp(&tie_keys[a * t + k])).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
                    })
                    .then_with(|| ids[a].cmp(&ids[b]))
            });
            let (mut dense, mut previous) = (0u32, None::<(i64, u32)>);
            for (position, &u) in s.order.iter().enumerate() {
                let ordinal = position as u32 + 1;
                let k = s.key[u];
                let r = match (ties, previous) {
                    (TiePolicy::Ordinal, _) => ordinal,
                    (TiePolicy::Competition, Some((pk, pr))) if pk == k => pr,
                    (TiePolicy::Competition, _) => ordinal,
                    (TiePolicy::Dense, Some((pk, pr))) if pk == k => pr,
                    (TiePolicy::Dense, _) => {
                        dense += 1;
                        dense
                    }
                };
                previous = Some((k, r));
                s.rank[u] = r;
            }
        }
    }
}

/// Adds a child with weight `w` and share `r` to a weighted mean (arithmetic or geometric).
#[inline]
fn accumulate(w: f64, r: f64, ln_r: f64, geometric: bool, total: &mut f64, acc: &mut f64, zero: &mut bool) {
    if w == 0.0 {
        return;
    }
    *total += w;
    if !geometric {
        *acc += w * r;
    } else if r <= 0.0 {
        *zero = true;
    } else {
        *acc += w * ln_r;
    }
}

/// ln r for r > 0 (the geometric mean treats r = 0 apart).
fn ln(r: f64) -> f64 {
    if r > 0.0 {
        libm::log(r)
    } else {
        f64::NEG_INFINITY
    }
}

/// The weighted mean of the accumulated children; 0 without weight, or for a geometric mean
/// with a child at 0.
#[inline]
fn mean(total: f64, acc: f64, zero: bool, geometric: bool) -> f64 {
    if total <= 0.0 || zero {
        0.0
    } else if geometric {
        libm::exp(acc / total)
    } else {
        acc / total
    }
}

/// Leaf figures of every unit under one not-applicable policy: points, maximum, share, and
/// whether the leaf left its parent (rescaled away).
#[derive(Debug, Clone)]
struct LeafVariant {
    p: Vec<f64>,
    m: Vec<f64>,
    r: Vec<f64>,
    lnr: Vec<f64>,
    gone: Vec<bool>,
    /// Leaf shares only, `leaves` per unit, for the linear fast path.
    lr: Vec<f64>,
    /// Whether no leaf of the unit is rescaled away (every counted maximum is nominal).
    clean: Vec<bool>,
}

impl LeafVariant {
    fn new(
        n: usize,
        units: usize,
        leaves: &[usize],
        max: &[f64],
        points: &[f64],
        state: &[u8],
        policy: impl Fn(usize) -> NotApplicablePolicy,
    ) -> LeafVariant {
        let nl = leaves.len();
        let mut v = LeafVariant {
            p: vec![0.0; units * n],
            m: vec![0.0; units * n],
            r: vec![0.0; units * n],
            lnr: vec![0.0; units * n],
            gone: vec![false; units * n],
            lr: vec![0.0; units * nl],
            clean: vec![true; units],
        };
        for u in 0..units {
            for &i in leaves {
                let k = u * n + i;
                let (p, m, gone) = match state[k] {
                    SCORED => (points[k], max[i], false),
                    MISSING => (0.0, max[i], false),
                    _ => match policy(i) {
                        NotApplicablePolicy::Rescale => (0.0, 0.0, true),
                        NotApplicablePolicy::Zero => (0.0, max[i], false),
                        NotApplicablePolicy::Full => (max[i], max[i], false),
                    },
                };
                v.p[k] = p;
                v.m[k] = m;
                v.r[k] = if m > 0.0 { p / m } else { 0.0 };
                v.lnr[k] = ln(v.r[k]);
                v.gone[k] = gone;
            }
            for (j, &i) in leaves.iter().enumerate() {
                v.lr[u * nl + j] = v.r[u * n + i];
                v.clean[u] &= !v.gone[u * n + i];
            }
        }
        v
    }
}

/// Rounds an index in 10⁻⁹ to a multiple of `unit` (the displayed places), half up (away from
/// zero) or half to even.
fn round_q(q: i64, unit: i64, mode: RoundingMode) -> i64 {
    let (sign, a) = if q < 0 { (-1, q.unsigned_abs() as i64) } else { (1, q) };
    let (whole, rest) = (a / unit, a % unit);
    let up = match mode {
        RoundingMode::HalfEven => rest * 2 > unit || (rest * 2 == unit && whole % 2 == 1),
        _ => rest * 2 >= unit,
    };
    sign * (whole + i64::from(up)) * unit
}
