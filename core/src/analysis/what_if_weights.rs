//! What-if on weights: give children of weighted nodes new weights and see every unit move.
//! A weight belongs to the methodology, so the answer is a new scorer (the methodology with the
//! new weights) as well as the new scorecard. Only the re-weighted nodes' parents and their
//! ancestors are recomputed, for every unit.

use super::what_if::{adjustments_of, figures_of, movements, snapshot, Change, WhatIf};
use crate::criterion::{Aggregation, Criterion};
use crate::error::{InputError, MethodologyError, Result};
use crate::methodology::Methodology;
use crate::scorecard::Scorecard;
use crate::scoring::Scorer;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A new weight for a node whose parent aggregates by weighted mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightChange {
    /// The node's code.
    pub code: String,
    /// Its new weight (non-negative; weights are relative to the siblings').
    pub weight: Decimal,
}

impl WeightChange {
    /// Reads a JSON array of weight changes `[{code, weight}]` (errors at path `weights`).
    pub fn list_from_json(text: &str) -> Result<Vec<WeightChange>> {
        super::what_if::list_from_json(text, "weights")
    }
}

/// The criterion with `code` and how its parent aggregates.
fn find<'a>(criteria: &'a mut [Criterion], parent: Aggregation, code: &str) -> Option<(&'a mut Criterion, Aggregation)> {
    for c in criteria {
        if c.code == code {
            return Some((c, parent));
        }
        let inner = c.aggregation.unwrap_or_default();
        if let Some(found) = find(&mut c.children, inner, code) {
            return Some(found);
        }
    }
    None
}

impl Methodology {
    /// This methodology with some nodes re-weighted (validated as a whole). Errors name the
    /// change: an unknown code, a negative weight, or a node under a `sum` parent (there a
    /// node's weight is its `max_points`, a change of the methodology itself).
    pub fn with_weights(&self, changes: &[WeightChange]) -> Result<Methodology> {
        let mut m = self.clone();
        for (k, change) in changes.iter().enumerate() {
            let at = format!("weights[{k}]");
            let Some((node, parent)) = find(&mut m.criteria, self.aggregation, &change.code) else {
                return Err(InputError::UnknownCode { path: format!("{at}.code"), code: change.code.clone() }.into());
            };
            if parent == Aggregation::Sum {
                return Err(MethodologyError::InvalidRule {
                    path: format!("{at}.code"),
                    message: format!(
                        "{} is under a sum node: its weight is its max_points, which only a new methodology can change",
                        change.code
                    ),
                }
                .into());
            }
            if change.weight.is_sign_negative() && !change.weight.is_zero() {
                return Err(InputError::Negative { path: format!("{at}.weight"), value: change.weight.to_string() }.into());
            }
            node.weight = Some(change.weight);
        }
        Ok(m)
    }
}

impl Scorer {
    /// Re-weighs nodes, then applies value changes (as [`Scorer::what_if`]; may be empty), to a
    /// scorecard made by this scorer: returns the scorer of the re-weighted methodology (for
    /// further what-ifs) and the new scorecard with every unit's movement from `card`.
    ///
    /// ```
    /// use par_index::{Assessments, Methodology, Scorer};
    /// use par_index::analysis::WeightChange;
    /// let m = Methodology::from_json(r#"{"format": 1, "id": "pci-like", "title": {"vi": "Thử", "en": "Example"},
    ///   "source": "example", "max_points": "100", "criteria": [{"code": "all", "max_points": "100",
    ///   "aggregation": "weighted_arithmetic", "children": [
    ///     {"code": "a", "max_points": "10", "weight": "2"}, {"code": "b", "max_points": "5", "weight": "1"},
    ///     {"code": "c", "max_points": "20", "weight": "1"}]}]}"#).unwrap();
    /// let scorer = Scorer::new(&m).unwrap();
    /// let card = scorer.score(&Assessments::from_json(r#"{"units": [
    ///   {"unit": "u1", "values": {"a": "8", "b": "2.5", "c": "20"}},
    ///   {"unit": "u2", "values": {"a": "10", "b": "5", "c": "10"}}]}"#).unwrap()).unwrap();
    /// // (2 x 80 % + 50 % + 100 %) / 4 = 77.5, and u2 (2 x 100 + 100 + 50) / 4 = 87.5.
    /// let change = WeightChange { code: "c".into(), weight: "3".parse().unwrap() };
    /// let (reweighed, w) = scorer.what_if_weights(&card, &[change], &[]).unwrap();
    /// let index: Vec<String> = w.movements.iter().map(|m| m.index_after.to_string()).collect();
    /// assert_eq!(index, ["85", "75"]); // (160 + 50 + 300) / 6 and (200 + 100 + 150) / 6
    /// assert_eq!((w.movements[0].rank_before, w.movements[0].rank_after), (2, 1));
    /// assert!(reweighed.what_if(&w.scorecard, &[]).is_ok()); // further what-ifs use the new weights
    /// ```
    pub fn what_if_weights(&self, card: &Scorecard, weights: &[WeightChange], changes: &[Change]) -> Result<(Scorer, WhatIf)> {
        self.check_card(card)?;
        let scorer = Scorer::new(&self.methodology().with_weights(weights)?)?;
        let tree = &*scorer.tree;
        // The parents of the re-weighted nodes and their ancestors, children before parents.
        let mut nodes: Vec<usize> = Vec::new();
        for change in weights {
            let mut parent = tree.by_code.get(&change.code).and_then(|&i| tree.nodes[i].parent);
            while let Some(p) = parent {
                if !nodes.contains(&p) {
                    nodes.push(p);
                }
                parent = tree.nodes[p].parent;
            }
        }
        nodes.sort_by_key(|&i| std::cmp::Reverse(tree.nodes[i].depth));
        let before = snapshot(card);
        let mut scorecard = card.clone();
        scorecard.tree = Arc::clone(&scorer.tree);
        for unit in &mut scorecard.units {
            let a = adjustments_of(unit);
            let figures = figures_of(unit);
            scorer.recompute(unit, &a, figures, &nodes)?;
        }
        scorer.rank_units(&mut scorecard.units);
        scorer.apply(&mut scorecard, changes)?;
        let movements = movements(&scorecard, before);
        Ok((scorer, WhatIf { scorecard, movements }))
    }
}
