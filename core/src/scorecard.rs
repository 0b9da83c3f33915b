//! The scorecard: every unit's points, maximum and percentage at every node, its total, index,
//! tier and rank, all exact. Rounding happens only when a figure is displayed.

use crate::adjustment::AdjustmentKind;
use crate::error::{InputError, Result};
use crate::label::Label;
use crate::rounding::Rounding;
use crate::tree::Tree;
use crate::value::Value;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

/// How a node's figure came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    /// Scored from a value (leaf) or from its children (inner node).
    Scored,
    /// Not applicable: under the rescale policy it left its ancestors' points and maxima.
    NotApplicable,
    /// No value was given and the missing policy scored it as zero.
    Missing,
}

/// One node's result for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeScore {
    /// The node's code.
    pub code: String,
    /// Points achieved (exact).
    pub points: Decimal,
    /// Maximum points counted for this unit (smaller than the node's maximum when
    /// not-applicable leaves below it were rescaled away; 0 when the node itself was).
    pub max_points: Decimal,
    /// `points / max_points × 100`; absent when the maximum is 0.
    pub percent: Option<Decimal>,
    /// How the figure came about.
    pub status: NodeStatus,
    /// The value given (leaves only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
}

/// A bonus or penalty as applied to one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdjustmentScore {
    /// The adjustment's code.
    pub code: String,
    /// Bonus or penalty.
    pub kind: AdjustmentKind,
    /// Points given or taken (not negative; clamped to the bound where the adjustment says so).
    pub points: Decimal,
}

/// One unit's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitScore {
    /// The unit's id.
    pub unit: String,
    /// The unit's group.
    pub group: Option<String>,
    /// The unit's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// Points achieved in the criteria tree.
    pub tree_points: Decimal,
    /// Bonus points added.
    pub bonus: Decimal,
    /// Penalty points taken.
    pub penalty: Decimal,
    /// Total points: tree points + bonus − penalty.
    pub points: Decimal,
    /// Maximum points counted for this unit (after rescaling not-applicable leaves).
    pub max_points: Decimal,
    /// The index: total points / maximum × 100 (exact).
    pub index: Decimal,
    /// The tier band's code, if the index falls in a band.
    pub tier: Option<String>,
    /// The tier band's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_label: Option<Label>,
    /// Rank inside the group (1 = best), by the methodology's tie policy.
    pub rank: u32,
    /// Number of units in the group.
    pub group_size: u32,
    /// Every node's result, in tree order (pre-order), without the root.
    pub nodes: Vec<NodeScore>,
    /// Bonus and penalty points, in methodology order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<AdjustmentScore>,
    /// Position in the group's display order (0-based): rank, then tie-breakers, then id.
    #[serde(skip)]
    pub(crate) position: u32,
}

impl UnitScore {
    /// The result of the node with this code.
    pub fn node(&self, code: &str) -> Option<&NodeScore> {
        self.nodes.iter().find(|n| n.code == code)
    }
}

/// The results of scoring a set of units with one methodology.
#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    /// The methodology's id.
    pub methodology: String,
    /// How figures are displayed.
    pub rounding: Rounding,
    /// Every unit, in input order.
    pub units: Vec<UnitScore>,
    #[serde(skip)]
    pub(crate) tree: Arc<Tree>,
}

impl PartialEq for Scorecard {
    fn eq(&self, other: &Self) -> bool {
        self.methodology == other.methodology && self.rounding == other.rounding && self.units == other.units
    }
}

impl Scorecard {
    /// The unit with this id.
    pub fn unit(&self, unit: &str) -> Result<&UnitScore> {
        self.units
            .iter()
            .find(|u| u.unit == unit)
            .ok_or_else(|| InputError::UnknownUnit { path: "unit".into(), unit: unit.to_owned() }.into())
    }

    /// The groups, in the order they first appear (units with no group form the group `None`).
    pub fn groups(&self) -> Vec<Option<&str>> {
        let mut out: Vec<Option<&str>> = Vec::new();
        for u in &self.units {
            let g = u.group.as_deref();
            if !out.contains(&g) {
                out.push(g);
            }
        }
        out
    }

    /// Units in display order: by group (first appearance), then rank, then the order of the
    /// ranking (tie-breakers, then id).
    pub fn ranked(&self) -> Vec<&UnitScore> {
        let groups = self.groups();
        let mut out: Vec<&UnitScore> = self.units.iter().collect();
        out.sort_by_key(|u| (groups.iter().position(|g| *g == u.group.as_deref()), u.position));
        out
    }

    /// The leaders: rank 1 in each group.
    pub fn leaders(&self) -> Vec<&UnitScore> {
        self.ranked().into_iter().filter(|u| u.rank == 1).collect()
    }

    /// A figure as displayed: rounded on its own from the exact value.
    pub fn display(&self, value: Decimal) -> String {
        self.rounding.display(value)
    }

    /// The scorecard as JSON (decimals as exact strings).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The bilingual label of a node code (empty for unknown codes).
    pub fn node_label(&self, code: &str) -> Label {
        self.tree.by_code.get(code).map(|&i| self.tree.nodes[i].label.clone()).unwrap_or_default()
    }
}
