//! The audit trail: how every figure of a unit came about (input → rule → points for leaves,
//! children → aggregate for inner nodes), so a person checking one figure never needs a
//! spreadsheet.

use crate::criterion::Aggregation;
use crate::error::Result;
use crate::label::Label;
use crate::policy::NotApplicablePolicy;
use crate::rounding::Rounding;
use crate::scorecard::{NodeStatus, Scorecard, UnitScore};
use crate::tree::NodeKind;
use crate::value::Value;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// One line of an audit trail: one node (or the total) of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditLine {
    /// The node's code; `total` for the whole index, the adjustment's code for bonus and penalty.
    pub code: String,
    /// The node's name.
    pub label: Label,
    /// Depth in the tree (0 for the total).
    pub depth: usize,
    /// Points achieved (exact).
    pub points: Decimal,
    /// Maximum counted (exact).
    pub max_points: Decimal,
    /// Percentage (exact), if the maximum is not 0.
    pub percent: Option<Decimal>,
    /// How the figure came about.
    pub status: NodeStatus,
    /// The value given (leaves and adjustments).
    pub input: Option<Value>,
    /// The computation in words and numbers.
    pub how: String,
}

/// The audit trail of one unit, top-down (total first, then the tree in pre-order, then
/// adjustments and the index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// The unit.
    pub unit: String,
    /// The lines.
    pub lines: Vec<AuditLine>,
    /// The summary: total, index, tier and rank.
    pub summary: String,
    #[serde(skip)]
    rounding: Rounding,
}

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

impl Scorecard {
    /// The audit trail of one unit.
    ///
    /// ```
    /// use par_index::presets;
    /// let m = presets::methodology("par2023-ministries").unwrap();
    /// let card = m.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let audit = card.explain("Ministry of Justice").unwrap();
    /// assert_eq!(audit.lines[0].how, "sum of appraisal + survey = 61.86 + 28.1 = 89.96 of 100");
    /// ```
    pub fn explain(&self, unit: &str) -> Result<Audit> {
        let u = self.unit(unit)?;
        let tree = &*self.tree;
        let mut lines = Vec::with_capacity(tree.nodes.len() + u.adjustments.len());
        for (i, node) in tree.nodes.iter().enumerate() {
            let (points, max, percent, status, input) = if i == 0 {
                (u.tree_points, u.max_points, crate::number::percent(u.tree_points, u.max_points, &"total")?, NodeStatus::Scored, None)
            } else {
                let s = &u.nodes[i - 1];
                (s.points, s.max_points, s.percent, s.status, s.input)
            };
            let how = match (&node.kind, status) {
                (_, NodeStatus::NotApplicable) if matches!(node.kind, NodeKind::Leaf(_)) => match node.not_applicable {
                    NotApplicablePolicy::Rescale => "not applicable: left out of the points and the maximum above it (rescale)".to_owned(),
                    NotApplicablePolicy::Zero => format!("not applicable: counts as 0 of {}", n(node.max)),
                    NotApplicablePolicy::Full => format!("not applicable: counts as full points, {}", n(node.max)),
                },
                (_, NodeStatus::NotApplicable) => "every child is not applicable: left out (rescale)".to_owned(),
                (_, NodeStatus::Missing) => "no value given: counts as 0 (missing policy \"zero\")".to_owned(),
                (NodeKind::Leaf(rule), NodeStatus::Scored) => match input {
                    Some(v) => match rule.apply(v, node.max) {
                        Ok(o) => format!("value {v} → {} rule → {}", rule.kind(), o.how),
                        Err(_) => format!("value {v} → {} rule", rule.kind()),
                    },
                    None => "no value".to_owned(),
                },
                (NodeKind::Inner(aggregation), NodeStatus::Scored) => self.inner_how(u, i, *aggregation, points, max),
            };
            lines.push(AuditLine {
                code: if i == 0 { "total".to_owned() } else { node.code.clone() },
                label: node.label.clone(),
                depth: node.depth,
                points,
                max_points: max,
                percent,
                status,
                input,
                how,
            });
        }
        for (adj, applied) in tree.adjustments.iter().zip(u.adjustments.iter()) {
            let sign = match adj.kind {
                crate::adjustment::AdjustmentKind::Bonus => "bonus, added",
                crate::adjustment::AdjustmentKind::Penalty => "penalty, taken away",
            };
            lines.push(AuditLine {
                code: adj.code.clone(),
                label: adj.label.clone(),
                depth: 1,
                points: applied.points,
                max_points: adj.max_points,
                percent: None,
                status: NodeStatus::Scored,
                input: None,
                how: format!("{sign}: {} (bound {})", n(applied.points), n(adj.max_points)),
            });
        }
        let r = self.rounding;
        let summary = format!(
            "total = {} + {} − {} = {}; index = {} / {} × 100 = {} % (shown {}); tier {}; rank {} of {}{}",
            n(u.tree_points),
            n(u.bonus),
            n(u.penalty),
            n(u.points),
            n(u.points),
            n(u.max_points),
            n(u.index),
            r.display(u.index),
            u.tier.as_deref().unwrap_or("none"),
            u.rank,
            u.group_size,
            u.group.as_deref().map(|g| format!(" in group {g}")).unwrap_or_default(),
        );
        Ok(Audit { unit: u.unit.clone(), lines, summary, rounding: r })
    }

    fn inner_how(&self, u: &UnitScore, i: usize, aggregation: Aggregation, points: Decimal, max: Decimal) -> String {
        let tree = &*self.tree;
        let node = &tree.nodes[i];
        let child = |c: usize| &u.nodes[c - 1];
        let left_out: Vec<&str> = node
            .children
            .iter()
            .filter(|&&c| child(c).status == NodeStatus::NotApplicable && child(c).max_points.is_zero() && tree.nodes[c].max > Decimal::ZERO)
            .map(|&c| tree.nodes[c].code.as_str())
            .collect();
        let counted: Vec<usize> = node.children.iter().copied().filter(|c| !left_out.contains(&tree.nodes[*c].code.as_str())).collect();
        let note = if left_out.is_empty() { String::new() } else { format!(" ({} not applicable, left out)", left_out.join(", ")) };
        match aggregation {
            Aggregation::Sum => {
                let codes: Vec<&str> = counted.iter().map(|&c| tree.nodes[c].code.as_str()).collect();
                let values: Vec<String> = counted.iter().map(|&c| n(child(c).points)).collect();
                format!("sum of {} = {} = {} of {}{note}", codes.join(" + "), values.join(" + "), n(points), n(max))
            }
            Aggregation::WeightedArithmetic | Aggregation::WeightedGeometric => {
                let terms: Vec<String> = counted
                    .iter()
                    .filter(|&&c| !child(c).max_points.is_zero())
                    .map(|&c| format!("{} {} % × weight {}", tree.nodes[c].code, n(child(c).percent.unwrap_or_default()), n(tree.nodes[c].weight)))
                    .collect();
                let kind = if aggregation == Aggregation::WeightedArithmetic { "arithmetic" } else { "geometric" };
                format!("weighted {kind} mean of {} → {} % of {} = {}{note}", terms.join(", "), n(crate::number::percent(points, max, &"").ok().flatten().unwrap_or_default()), n(max), n(points))
            }
        }
    }
}

impl Audit {
    /// The lines as a plain table (one line per node, indented by depth).
    pub fn to_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Audit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Audit trail of {}", self.unit)?;
        for l in &self.lines {
            let indent = "  ".repeat(l.depth);
            let pct = l.percent.map(|p| format!(" ({} %)", self.rounding.display(p))).unwrap_or_default();
            let name = l.label.text("en");
            let name = if name.is_empty() { String::new() } else { format!(" {name}") };
            writeln!(f, "{indent}{}{name}: {} / {}{pct}", l.code, self.rounding.display(l.points), self.rounding.display(l.max_points))?;
            writeln!(f, "{indent}    {}", l.how)?;
        }
        write!(f, "{}", self.summary)
    }
}
