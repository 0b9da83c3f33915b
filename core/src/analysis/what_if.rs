//! What-if: change some inputs of a scored unit and get the new scorecard with every unit's rank
//! and tier movement. Only the changed leaves' ancestors are recomputed, and only the changed
//! units' groups are ranked again, so a slider in a browser stays live.

use crate::assessment::Assessment;
use crate::error::{InputError, MethodologyError, Result};
use crate::scorecard::{NodeScore, NodeStatus, Scorecard, UnitScore};
use crate::scoring::{Figure, Scorer};
use crate::tree::NodeKind;
use crate::value::Value;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One changed input: the value of a leaf or adjustment of a unit (`None` removes the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The unit.
    pub unit: String,
    /// The leaf or adjustment code.
    pub code: String,
    /// The new value; `None` removes it (the missing policy then applies).
    pub value: Option<Value>,
}

impl Change {
    /// Reads a JSON array of changes `[{unit, code, value}]` (errors at path `changes`).
    pub fn list_from_json(text: &str) -> Result<Vec<Change>> {
        list_from_json(text, "changes")
    }
}

/// A JSON array of what-if inputs; a malformed one is an `input_json` error at `path`.
pub(super) fn list_from_json<T: serde::de::DeserializeOwned>(text: &str, path: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| InputError::Json { path: path.into(), message: e.to_string() }.into())
}

/// How one unit moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// The unit.
    pub unit: String,
    /// Its group.
    pub group: Option<String>,
    /// Index before the change.
    pub index_before: Decimal,
    /// Index after.
    pub index_after: Decimal,
    /// Rank before.
    pub rank_before: u32,
    /// Rank after.
    pub rank_after: u32,
    /// Tier before.
    pub tier_before: Option<String>,
    /// Tier after.
    pub tier_after: Option<String>,
}

/// The result of a what-if: the new scorecard and every unit's movement (in scorecard order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The scorecard after the changes.
    pub scorecard: Scorecard,
    /// Every unit, before and after.
    pub movements: Vec<Movement>,
}

impl Scorer {
    /// Applies changes to a scorecard made by this scorer and returns the new scorecard with
    /// every unit's movement. See [`Scorer::apply`] for the in-place form a slider uses.
    ///
    /// ```
    /// use par_index::{presets, Scorer, Value};
    /// use par_index::analysis::Change;
    /// let scorer = Scorer::new(&presets::methodology("par2023-ministries").unwrap()).unwrap();
    /// let card = scorer.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let change = Change { unit: "Ministry of Health".into(), code: "survey".into(), value: Some(Value::Number("31".parse().unwrap())) };
    /// let w = scorer.what_if(&card, &[change]).unwrap();
    /// let health = w.movements.iter().find(|m| m.unit == "Ministry of Health").unwrap();
    /// assert_eq!((health.rank_before, health.rank_after), (15, 6));
    /// assert_eq!(health.tier_after.as_deref(), Some("B"));
    /// ```
    pub fn what_if(&self, card: &Scorecard, changes: &[Change]) -> Result<WhatIf> {
        let mut scorecard = card.clone();
        let movements = self.apply(&mut scorecard, changes)?;
        Ok(WhatIf { scorecard, movements })
    }

    /// Applies changes in place: only the changed leaves and their ancestors are recomputed, and
    /// only the changed units' groups are ranked again. Returns every unit's movement (in
    /// scorecard order). On error the scorecard is left as it was.
    pub fn apply(&self, card: &mut Scorecard, changes: &[Change]) -> Result<Vec<Movement>> {
        self.check_card(card)?;
        let before = snapshot(card);
        let mut saved: Vec<(usize, UnitScore)> = Vec::new();
        let mut outcome = Ok(());
        for (k, change) in changes.iter().enumerate() {
            outcome = self.apply_one(card, change, k, &mut saved);
            if outcome.is_err() {
                break;
            }
        }
        if let Err(e) = outcome {
            for (u, unit) in saved.into_iter().rev() {
                card.units[u] = unit;
            }
            return Err(e);
        }
        let mut groups: Vec<Option<String>> = Vec::new();
        for (u, _) in &saved {
            groups.push(card.units[*u].group.clone());
        }
        self.rank_groups(&mut card.units, &groups);
        Ok(movements(card, before))
    }

    /// Recomputes inner nodes `nodes` (children before parents) of one unit from its current
    /// figures and settles its total; `input` sets the value shown on leaf `leaf` if given.
    pub(super) fn recompute(&self, unit: &mut UnitScore, a: &Assessment, mut figures: Vec<Figure>, nodes: &[usize]) -> Result<()> {
        let tree = &*self.tree;
        for &p in nodes {
            figures[p] = self.inner_figure(p, &figures, &a.unit)?;
        }
        for &c in nodes.iter().filter(|&&c| c > 0) {
            write_node(&mut unit.nodes[c - 1], &figures[c], &tree.nodes[c].path)?;
        }
        self.settle(unit, a, &figures[0])
    }

    /// An error unless `card` was scored with this scorer's methodology.
    pub(super) fn check_card(&self, card: &Scorecard) -> Result<()> {
        if !Arc::ptr_eq(&card.tree, &self.tree) && *card.tree != *self.tree {
            return Err(MethodologyError::InvalidRule {
                path: "scorecard".into(),
                message: "the scorecard was made with another methodology".into(),
            }
            .into());
        }
        Ok(())
    }

    fn apply_one(&self, card: &mut Scorecard, change: &Change, k: usize, saved: &mut Vec<(usize, UnitScore)>) -> Result<()> {
        let tree = &*self.tree;
        let at = format!("changes[{k}]");
        let Some(u) = card.units.iter().position(|x| x.unit == change.unit) else {
            return Err(InputError::UnknownUnit { path: format!("{at}.unit"), unit: change.unit.clone() }.into());
        };
        let leaf = tree.by_code.get(&change.code).copied().filter(|&i| matches!(tree.nodes[i].kind, NodeKind::Leaf(_)));
        if leaf.is_none() && !tree.adjustment_by_code.contains_key(&change.code) {
            return Err(InputError::UnknownCode { path: format!("{at}.code"), code: change.code.clone() }.into());
        }
        if !saved.iter().any(|(s, _)| *s == u) {
            saved.push((u, card.units[u].clone()));
        }
        let unit = &mut card.units[u];
        // The values the recomputation reads: the changed one, and the adjustments.
        let mut a = adjustments_of(unit);
        match change.value {
            Some(v) => a.values.insert(change.code.clone(), v),
            None => a.values.remove(&change.code),
        };
        a.origins.insert(change.code.clone(), format!("{at}.value"));
        let mut figures = figures_of(unit);
        let mut ancestors = Vec::new();
        if let Some(i) = leaf {
            figures[i] = self.leaf_figure(i, &a)?;
            write_node(&mut unit.nodes[i - 1], &figures[i], &tree.nodes[i].path)?;
            unit.nodes[i - 1].input = change.value;
            let mut parent = tree.nodes[i].parent;
            while let Some(p) = parent {
                ancestors.push(p);
                parent = tree.nodes[p].parent;
            }
        }
        self.recompute(unit, &a, figures, &ancestors)
    }
}

/// A node's reported figures from its recomputed ones.
fn write_node(node: &mut NodeScore, f: &Figure, path: &str) -> Result<()> {
    node.points = f.points.normalize();
    node.max_points = f.max.normalize();
    node.percent = crate::number::percent(f.points, f.max, &path)?;
    node.status = f.status;
    Ok(())
}

/// Each unit's index, rank and tier, to report movements against.
pub(super) type Snapshot = Vec<(Decimal, u32, Option<String>)>;

pub(super) fn snapshot(card: &Scorecard) -> Snapshot {
    card.units.iter().map(|u| (u.index, u.rank, u.tier.clone())).collect()
}

/// Every unit's movement from `before` to `card`, in scorecard order.
pub(super) fn movements(card: &Scorecard, before: Snapshot) -> Vec<Movement> {
    card.units
        .iter()
        .zip(before)
        .map(|(a, (index_before, rank_before, tier_before))| Movement {
            unit: a.unit.clone(),
            group: a.group.clone(),
            index_before,
            index_after: a.index,
            rank_before,
            rank_after: a.rank,
            tier_before,
            tier_after: a.tier.clone(),
        })
        .collect()
}

/// The inputs a recomputation reads besides leaves: the unit's adjustments.
pub(super) fn adjustments_of(unit: &UnitScore) -> Assessment {
    let mut a = Assessment { unit: unit.unit.clone(), group: unit.group.clone(), ..Default::default() };
    for adj in &unit.adjustments {
        if !adj.points.is_zero() {
            a.values.insert(adj.code.clone(), Value::Number(adj.points));
        }
    }
    a
}

/// A unit's node figures as the scorer computed them (root first, then tree order).
pub(super) fn figures_of(unit: &UnitScore) -> Vec<Figure> {
    let mut figures: Vec<Figure> = Vec::with_capacity(unit.nodes.len() + 1);
    figures.push(Figure { points: unit.tree_points, max: unit.max_points, status: NodeStatus::Scored });
    figures.extend(unit.nodes.iter().map(|n| Figure { points: n.points, max: n.max_points, status: n.status }));
    figures
}
