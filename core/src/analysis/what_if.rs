//! What-if: change some inputs of a scored unit and get the new scorecard with every unit's rank
//! and tier movement. Only the changed leaves' ancestors are recomputed, and only the changed
//! units' groups are ranked again, so a slider in a browser stays live.

use crate::assessment::Assessment;
use crate::error::{InputError, MethodologyError, Result};
use crate::scorecard::{NodeStatus, Scorecard};
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
    /// Applies changes to a scorecard made by this scorer.
    ///
    /// ```
    /// use par_index::{presets, Scorer, Value};
    /// use par_index::analysis::Change;
    /// let scorer = Scorer::new(&presets::methodology("par2023-ministries").unwrap()).unwrap();
    /// let card = scorer.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let change = Change { unit: "Ministry of Health".into(), code: "survey".into(), value: Some(Value::Number("31".parse().unwrap())) };
    /// let w = scorer.what_if(&card, &[change]).unwrap();
    /// let health = w.movements.iter().find(|m| m.unit == "Ministry of Health").unwrap();
    /// assert_eq!((health.rank_before, health.rank_after), (15, 11));
    /// assert_eq!(health.tier_after.as_deref(), Some("B"));
    /// ```
    pub fn what_if(&self, card: &Scorecard, changes: &[Change]) -> Result<WhatIf> {
        if !Arc::ptr_eq(&card.tree, &self.tree) && *card.tree != *self.tree {
            return Err(MethodologyError::InvalidRule {
                path: "scorecard".into(),
                message: "the scorecard was made with another methodology".into(),
            }
            .into());
        }
        let tree = &*self.tree;
        let mut units = card.units.clone();
        let mut touched: Vec<usize> = Vec::new();
        for (k, change) in changes.iter().enumerate() {
            let at = format!("changes[{k}]");
            let Some(u) = units.iter().position(|x| x.unit == change.unit) else {
                return Err(InputError::UnknownUnit { path: format!("{at}.unit"), unit: change.unit.clone() }.into());
            };
            let leaf = tree.by_code.get(&change.code).copied().filter(|&i| matches!(tree.nodes[i].kind, NodeKind::Leaf(_)));
            if leaf.is_none() && !tree.adjustment_by_code.contains_key(&change.code) {
                return Err(InputError::UnknownCode { path: format!("{at}.code"), code: change.code.clone() }.into());
            }
            // The unit's inputs as they stand, with this change applied.
            let unit = &units[u];
            let mut a = Assessment { unit: unit.unit.clone(), group: unit.group.clone(), label: unit.label.clone(), ..Default::default() };
            for n in &unit.nodes {
                if let Some(v) = n.input {
                    a.values.insert(n.code.clone(), v);
                }
            }
            for adj in &unit.adjustments {
                if !adj.points.is_zero() {
                    a.values.insert(adj.code.clone(), Value::Number(adj.points));
                }
            }
            match change.value {
                Some(v) => a.values.insert(change.code.clone(), v),
                None => a.values.remove(&change.code),
            };
            a.origins.insert(change.code.clone(), format!("{at}.value"));
            let mut figures: Vec<Figure> = Vec::with_capacity(tree.nodes.len());
            figures.push(Figure { points: unit.tree_points, max: unit.max_points, status: NodeStatus::Scored });
            figures.extend(unit.nodes.iter().map(|n| Figure { points: n.points, max: n.max_points, status: n.status }));
            if let Some(i) = leaf {
                figures[i] = self.leaf_figure(i, &a)?;
                let mut parent = tree.nodes[i].parent;
                while let Some(p) = parent {
                    figures[p] = self.inner_figure(p, &figures, &a.unit)?;
                    parent = tree.nodes[p].parent;
                }
            }
            let mut rescored = self.finish_unit(&a, figures)?;
            rescored.rank = units[u].rank;
            rescored.group_size = units[u].group_size;
            rescored.position = units[u].position;
            units[u] = rescored;
            if !touched.contains(&u) {
                touched.push(u);
            }
        }
        let groups: Vec<Option<String>> = touched.iter().map(|&u| units[u].group.clone()).collect();
        self.rank_groups(&mut units, &groups);
        let movements = card
            .units
            .iter()
            .zip(units.iter())
            .map(|(b, a)| Movement {
                unit: a.unit.clone(),
                group: a.group.clone(),
                index_before: b.index,
                index_after: a.index,
                rank_before: b.rank,
                rank_after: a.rank,
                tier_before: b.tier.clone(),
                tier_after: a.tier.clone(),
            })
            .collect();
        Ok(WhatIf { scorecard: Scorecard { units, ..card.clone_shell() }, movements })
    }
}

impl Scorecard {
    /// The scorecard's header with no units (shares the compiled tree).
    fn clone_shell(&self) -> Scorecard {
        Scorecard { methodology: self.methodology.clone(), rounding: self.rounding, units: Vec::new(), tree: Arc::clone(&self.tree) }
    }
}
