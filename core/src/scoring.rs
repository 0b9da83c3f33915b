//! The scoring engine: values → leaf points → aggregates → total, index, tier and rank.

use crate::adjustment::AdjustmentKind;
use crate::assessment::{Assessment, Assessments};
use crate::criterion::Aggregation;
use crate::error::{ArithmeticError, InputError, Result};
use crate::methodology::Methodology;
use crate::number::{add, div, mul, percent, sub};
use crate::policy::{MissingPolicy, NotApplicablePolicy};
use crate::ranking::{rank, RankBasis, RankEntry};
use crate::rule::RuleFailure;
use crate::scorecard::{AdjustmentScore, NodeScore, NodeStatus, Scorecard, UnitScore};
use crate::tree::{NodeKind, Tree};
use crate::value::Value;
use rust_decimal::prelude::MathematicalOps;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A methodology compiled for scoring: validate once, score many assessment sets.
///
/// ```
/// use par_index::{presets, Scorer};
/// let m = presets::methodology("par2023-ministries").unwrap();
/// let scorer = Scorer::new(&m).unwrap();
/// let card = scorer.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
/// assert_eq!(card.units.len(), 17);
/// ```
#[derive(Debug, Clone)]
pub struct Scorer {
    methodology: Methodology,
    pub(crate) tree: Arc<Tree>,
}

fn rule_error(f: RuleFailure, at: String, max: Decimal) -> crate::error::Error {
    match f {
        RuleFailure::WrongKind(expected) => InputError::WrongValueKind { path: at, message: format!("expected {expected}") }.into(),
        RuleFailure::Negative(v) => InputError::Negative { path: at, value: v.to_string() }.into(),
        RuleFailure::AboveMaximum(v) => InputError::AboveMaximum { path: at, value: v.to_string(), max: max.normalize().to_string() }.into(),
        RuleFailure::Overflow => ArithmeticError { path: at, operation: "scoring rule" }.into(),
    }
}

/// A node's result before it is labelled: points, maximum counted, status.
pub(crate) struct Figure {
    pub points: Decimal,
    pub max: Decimal,
    pub status: NodeStatus,
}

impl Scorer {
    /// Validates and compiles a methodology.
    pub fn new(methodology: &Methodology) -> Result<Scorer> {
        let tree = Tree::compile(methodology)?;
        Ok(Scorer { methodology: methodology.clone(), tree: Arc::new(tree) })
    }

    /// The methodology being scored.
    pub fn methodology(&self) -> &Methodology {
        &self.methodology
    }

    /// Scores every unit, then ranks them inside their groups.
    pub fn score(&self, assessments: &Assessments) -> Result<Scorecard> {
        let mut units = Vec::with_capacity(assessments.units.len());
        for a in &assessments.units {
            units.push(self.score_unit(a)?);
        }
        self.rank_units(&mut units);
        Ok(Scorecard {
            methodology: self.methodology.id.clone(),
            rounding: self.methodology.rounding,
            units,
            tree: Arc::clone(&self.tree),
        })
    }

    /// Scores one unit (rank left at 0 until [`Self::rank_units`]).
    pub(crate) fn score_unit(&self, a: &Assessment) -> Result<UnitScore> {
        let tree = &*self.tree;
        for (code, _) in a.values.iter() {
            let known = tree.by_code.get(code).is_some_and(|&i| matches!(tree.nodes[i].kind, NodeKind::Leaf(_)))
                || tree.adjustment_by_code.contains_key(code);
            if !known {
                return Err(InputError::UnknownCode { path: a.origin(code), code: code.clone() }.into());
            }
        }
        let n = tree.nodes.len();
        let mut figures: Vec<Figure> = Vec::with_capacity(n);
        figures.resize_with(n, || Figure { points: Decimal::ZERO, max: Decimal::ZERO, status: NodeStatus::Scored });
        for i in (0..n).rev() {
            figures[i] = match &tree.nodes[i].kind {
                NodeKind::Leaf(_) => self.leaf_figure(i, a)?,
                NodeKind::Inner(_) => self.inner_figure(i, &figures, &a.unit)?,
            };
        }
        self.finish_unit(a, figures)
    }

    /// A leaf's figure from the unit's value.
    pub(crate) fn leaf_figure(&self, i: usize, a: &Assessment) -> Result<Figure> {
        let node = &self.tree.nodes[i];
        let NodeKind::Leaf(rule) = &node.kind else {
            return Err(ArithmeticError { path: node.path.clone(), operation: "leaf scoring of an inner node" }.into());
        };
        let value = match a.values.get(&node.code) {
            Some(v) => Some(*v),
            None => match self.methodology.missing {
                MissingPolicy::Error => {
                    return Err(InputError::MissingValue { path: format!("unit {:?}", a.unit), code: node.code.clone() }.into())
                }
                MissingPolicy::Zero => return Ok(Figure { points: Decimal::ZERO, max: node.max, status: NodeStatus::Missing }),
                MissingPolicy::NotApplicable => Some(Value::NotApplicable),
            },
        };
        Ok(match value {
            Some(Value::NotApplicable) | None => match node.not_applicable {
                NotApplicablePolicy::Rescale => Figure { points: Decimal::ZERO, max: Decimal::ZERO, status: NodeStatus::NotApplicable },
                NotApplicablePolicy::Zero => Figure { points: Decimal::ZERO, max: node.max, status: NodeStatus::NotApplicable },
                NotApplicablePolicy::Full => Figure { points: node.max, max: node.max, status: NodeStatus::NotApplicable },
            },
            Some(v) => {
                let outcome = rule.apply(v, node.max).map_err(|f| rule_error(f, a.origin(&node.code), node.max))?;
                Figure { points: outcome.points, max: node.max, status: NodeStatus::Scored }
            }
        })
    }

    /// Whether a child left its parent under the rescale policy.
    fn rescaled_away(f: &Figure, tree: &Tree, child: usize) -> bool {
        f.status == NodeStatus::NotApplicable && tree.nodes[child].not_applicable == NotApplicablePolicy::Rescale && f.max.is_zero()
    }

    /// An inner node's figure from its children's.
    pub(crate) fn inner_figure(&self, i: usize, figures: &[Figure], unit: &str) -> Result<Figure> {
        let tree = &*self.tree;
        let node = &tree.nodes[i];
        let path = NodePath { unit, code: &node.code };
        let NodeKind::Inner(aggregation) = node.kind else {
            return Err(ArithmeticError { path: path.to_string(), operation: "aggregation of a leaf" }.into());
        };
        let applicable: Vec<usize> = node.children.iter().copied().filter(|&c| !Self::rescaled_away(&figures[c], tree, c)).collect();
        if applicable.is_empty() {
            return Ok(Figure { points: Decimal::ZERO, max: Decimal::ZERO, status: NodeStatus::NotApplicable });
        }
        match aggregation {
            Aggregation::Sum => {
                let (mut points, mut max) = (Decimal::ZERO, Decimal::ZERO);
                for &c in &applicable {
                    points = add(points, figures[c].points, &path)?;
                    max = add(max, figures[c].max, &path)?;
                }
                Ok(Figure { points, max, status: NodeStatus::Scored })
            }
            Aggregation::WeightedArithmetic | Aggregation::WeightedGeometric => {
                // Children worth no points have no percentage and take no part in a mean.
                let terms: Vec<(Decimal, Decimal)> = applicable
                    .iter()
                    .filter(|&&c| !figures[c].max.is_zero())
                    .map(|&c| Ok((tree.nodes[c].weight, percent(figures[c].points, figures[c].max, &path)?.unwrap_or_default())))
                    .collect::<Result<_, ArithmeticError>>()?;
                let total_weight = terms.iter().try_fold(Decimal::ZERO, |acc, (w, _)| add(acc, *w, &path))?;
                if total_weight.is_zero() {
                    return Ok(Figure { points: Decimal::ZERO, max: node.max, status: NodeStatus::Scored });
                }
                let share = if aggregation == Aggregation::WeightedArithmetic {
                    let mut sum = Decimal::ZERO;
                    for (w, p) in &terms {
                        sum = add(sum, mul(*w, *p, &path)?, &path)?;
                    }
                    div(div(sum, total_weight, &path)?, Decimal::ONE_HUNDRED, &path)?
                } else {
                    geometric_share(&terms, total_weight, &path)?
                };
                Ok(Figure { points: mul(node.max, share, &path)?, max: node.max, status: NodeStatus::Scored })
            }
        }
    }

    /// Turns figures into a unit score: node results, then adjustments, total, index and tier.
    pub(crate) fn finish_unit(&self, a: &Assessment, figures: Vec<Figure>) -> Result<UnitScore> {
        let tree = &*self.tree;
        let mut nodes = Vec::with_capacity(figures.len().saturating_sub(1));
        for (i, f) in figures.iter().enumerate().skip(1) {
            let node = &tree.nodes[i];
            let input = match node.kind {
                NodeKind::Leaf(_) => a.values.get(&node.code).copied(),
                NodeKind::Inner(_) => None,
            };
            nodes.push(NodeScore {
                code: node.code.clone(),
                points: f.points.normalize(),
                max_points: f.max.normalize(),
                percent: percent(f.points, f.max, &node.path)?,
                status: f.status,
                input,
            });
        }
        let mut unit = UnitScore {
            unit: a.unit.clone(),
            group: a.group.clone(),
            label: a.label.clone(),
            tree_points: Decimal::ZERO,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            points: Decimal::ZERO,
            max_points: Decimal::ZERO,
            index: Decimal::ZERO,
            tier: None,
            tier_label: None,
            rank: 0,
            group_size: 0,
            nodes,
            adjustments: Vec::new(),
            position: 0,
        };
        self.settle(&mut unit, a, &figures[0])?;
        Ok(unit)
    }

    /// Sets a unit's tree points, adjustments, total, index and tier from its root figure and
    /// its adjustment values (read from `a`).
    pub(crate) fn settle(&self, unit: &mut UnitScore, a: &Assessment, root: &Figure) -> Result<()> {
        let tree = &*self.tree;
        let unit_path = UnitPath(&a.unit);
        if root.max.is_zero() {
            return Err(InputError::NothingApplicable { path: unit_path.to_string() }.into());
        }
        let (mut bonus, mut penalty) = (Decimal::ZERO, Decimal::ZERO);
        let mut adjustments = Vec::with_capacity(tree.adjustments.len());
        for adj in &tree.adjustments {
            let points = match a.values.get(&adj.code) {
                None | Some(Value::NotApplicable) => Decimal::ZERO,
                Some(Value::Number(v)) => {
                    if v.is_sign_negative() && !v.is_zero() {
                        return Err(InputError::Negative { path: a.origin(&adj.code), value: v.to_string() }.into());
                    }
                    if *v > adj.max_points {
                        if !adj.clamp {
                            return Err(InputError::AboveMaximum { path: a.origin(&adj.code), value: v.to_string(), max: adj.max_points.normalize().to_string() }.into());
                        }
                        adj.max_points
                    } else {
                        *v
                    }
                }
                Some(_) => {
                    return Err(InputError::WrongValueKind { path: a.origin(&adj.code), message: "expected a number of points".into() }.into())
                }
            };
            match adj.kind {
                AdjustmentKind::Bonus => bonus = add(bonus, points, &unit_path)?,
                AdjustmentKind::Penalty => penalty = add(penalty, points, &unit_path)?,
            }
            adjustments.push(AdjustmentScore { code: adj.code.clone(), kind: adj.kind, points });
        }
        let total = sub(add(root.points, bonus, &unit_path)?, penalty, &unit_path)?;
        let index = percent(total, root.max, &unit_path)?.unwrap_or_default();
        let (tier, tier_label) = match self.methodology.tiers.as_ref().and_then(|t| t.scheme_for(a.group.as_deref())) {
            Some(scheme) => {
                let percent_of = |code: &str| tree.by_code.get(code).and_then(|&i| unit.nodes.get(i.wrapping_sub(1))).and_then(|n| n.percent);
                match scheme.classify(index, percent_of) {
                    Some(b) => (Some(b.code.clone()), Some(b.label.clone())),
                    None => (None, None),
                }
            }
            None => (None, None),
        };
        unit.tree_points = root.points.normalize();
        unit.bonus = bonus.normalize();
        unit.penalty = penalty.normalize();
        unit.points = total.normalize();
        unit.max_points = root.max.normalize();
        unit.index = index;
        unit.tier = tier;
        unit.tier_label = tier_label;
        unit.adjustments = adjustments;
        Ok(())
    }

    /// Ranks units inside each group by index (exact or displayed), tie policy and tie-breakers.
    pub(crate) fn rank_units(&self, units: &mut [UnitScore]) {
        let mut groups: Vec<Option<String>> = Vec::new();
        for u in units.iter() {
            if !groups.contains(&u.group) {
                groups.push(u.group.clone());
            }
        }
        self.rank_groups(units, &groups);
    }

    /// Ranks the units of the given groups (each group once, whatever the repeats).
    pub(crate) fn rank_groups(&self, units: &mut [UnitScore], groups: &[Option<String>]) {
        let policy = &self.methodology.ranking;
        let rounding = self.methodology.rounding;
        for (k, g) in groups.iter().enumerate() {
            if groups[..k].contains(g) {
                continue;
            }
            let g = g.clone();
            let members: Vec<usize> = (0..units.len()).filter(|&i| units[i].group == g).collect();
            let entries: Vec<RankEntry<'_>> = members
                .iter()
                .map(|&i| {
                    let u = &units[i];
                    let key = match policy.basis {
                        RankBasis::Exact => u.index,
                        RankBasis::Displayed => rounding.round(u.index),
                    };
                    let tie_keys = policy.tie_breakers.iter().map(|c| u.node(c).and_then(|n| n.percent)).collect();
                    RankEntry { key, tie_keys, id: &u.unit }
                })
                .collect();
            let (ranks, order) = rank(&entries, policy.ties);
            let size = u32::try_from(members.len()).unwrap_or(u32::MAX);
            for (k, &i) in members.iter().enumerate() {
                units[i].rank = ranks[k];
                units[i].group_size = size;
            }
            for (position, &k) in order.iter().enumerate() {
                units[members[k]].position = u32::try_from(position).unwrap_or(u32::MAX);
            }
        }
    }
}

/// A unit, as errors name it.
struct UnitPath<'a>(&'a str);

impl std::fmt::Display for UnitPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unit {:?}", self.0)
    }
}

/// Where an aggregate is computed, formatted only when an error needs it.
struct NodePath<'a> {
    unit: &'a str,
    code: &'a str,
}

impl std::fmt::Display for NodePath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.code.is_empty() {
            write!(f, "unit {:?}, total", self.unit)
        } else {
            write!(f, "unit {:?}, node {:?}", self.unit, self.code)
        }
    }
}

/// `Π (pᵢ/100)^(wᵢ/Σw)` computed as `exp(Σ wᵢ ln(pᵢ/100) / Σw)`; 0 when any percentage is 0.
fn geometric_share(terms: &[(Decimal, Decimal)], total_weight: Decimal, path: &dyn std::fmt::Display) -> Result<Decimal, ArithmeticError> {
    let overflow = || ArithmeticError { path: path.to_string(), operation: "geometric mean" };
    if terms.iter().any(|(w, p)| p.is_zero() && !w.is_zero()) {
        return Ok(Decimal::ZERO);
    }
    let mut log_sum = Decimal::ZERO;
    for (w, p) in terms {
        if w.is_zero() {
            continue;
        }
        let ratio = div(*p, Decimal::ONE_HUNDRED, path)?;
        let ln = if ratio == Decimal::ONE { Decimal::ZERO } else { ratio.checked_ln().ok_or_else(overflow)? };
        log_sum = add(log_sum, mul(*w, ln, path)?, path)?;
    }
    let mean_log = div(log_sum, total_weight, path)?;
    if mean_log.is_zero() {
        return Ok(Decimal::ONE);
    }
    mean_log.checked_exp().ok_or_else(overflow)
}
