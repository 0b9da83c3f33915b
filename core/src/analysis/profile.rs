//! Strengths and weaknesses of a unit: every node's lost points and percentage, compared with the
//! best and the mean of its group — the list a department head takes to a meeting.

use crate::error::Result;
use crate::scorecard::{NodeStatus, Scorecard};
use crate::Label;
use rust_decimal::Decimal;
use serde::Serialize;

/// One node of a unit's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeProfile {
    /// The node's code.
    pub code: String,
    /// The node's name.
    pub label: Label,
    /// Depth in the tree (1 = field).
    pub depth: usize,
    /// Points achieved.
    pub points: Decimal,
    /// Maximum counted.
    pub max_points: Decimal,
    /// Points lost: maximum − points.
    pub lost: Decimal,
    /// The unit's percentage on this node.
    pub percent: Decimal,
    /// The best percentage in the unit's group on this node.
    pub group_best: Decimal,
    /// The mean percentage of the group on this node (units where the node applies).
    pub group_mean: Decimal,
    /// The unit's percentage minus the group mean (negative: it trails its group).
    pub versus_mean: Decimal,
    /// The points lost at the group's mean percentage on this unit's maximum:
    /// `max_points × (100 − group_mean) / 100` (to set against `lost`).
    pub group_mean_lost: Decimal,
    /// The unit's rank in its group on this node's percentage (competition ranking).
    pub group_rank: u32,
}

/// A unit's strengths and weaknesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The unit.
    pub unit: String,
    /// Every applicable node with a maximum above 0, most points lost first (then tree order).
    pub nodes: Vec<NodeProfile>,
}

impl Profile {
    /// Leaves (sub-criteria) where the unit trails its group's mean most, worst first.
    pub fn trails_group_most(&self, count: usize) -> Vec<&NodeProfile> {
        let max_depth = self.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        let mut leaves: Vec<&NodeProfile> = self.nodes.iter().filter(|n| n.depth == max_depth && n.versus_mean < Decimal::ZERO).collect();
        leaves.sort_by_key(|n| n.versus_mean);
        leaves.truncate(count);
        leaves
    }

    /// Nodes at 100 % where the group mean is lower: strengths to keep.
    pub fn strengths(&self) -> Vec<&NodeProfile> {
        let mut s: Vec<&NodeProfile> = self.nodes.iter().filter(|n| n.versus_mean > Decimal::ZERO).collect();
        s.sort_by_key(|n| std::cmp::Reverse(n.versus_mean));
        s
    }
}

impl Scorecard {
    /// Where `unit` loses points, node by node, against its group.
    ///
    /// ```
    /// use par_index::presets;
    /// let card = presets::methodology("par2023-ministries").unwrap()
    ///     .score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let p = card.profile("Ministry of Health").unwrap();
    /// assert_eq!(p.nodes[0].code, "appraisal");
    /// assert_eq!(p.nodes[0].lost.to_string(), "12.69");
    /// ```
    pub fn profile(&self, unit: &str) -> Result<Profile> {
        let u = self.unit(unit)?;
        let peers: Vec<_> = self.units.iter().filter(|p| p.group == u.group).collect();
        let mut nodes = Vec::new();
        for (k, n) in u.nodes.iter().enumerate() {
            let Some(percent) = n.percent else { continue };
            if n.status == NodeStatus::NotApplicable && n.max_points.is_zero() {
                continue;
            }
            let peer_percents: Vec<Decimal> = peers.iter().filter_map(|p| p.nodes.get(k).and_then(|x| x.percent)).collect();
            let count = Decimal::from(peer_percents.len() as u64);
            let sum: Decimal = peer_percents.iter().copied().sum();
            let group_mean = if count.is_zero() { percent } else { (sum / count).normalize() };
            let group_best = peer_percents.iter().copied().max().unwrap_or(percent);
            let better = peer_percents.iter().filter(|&&p| p > percent).count();
            let node = &self.tree.nodes[k + 1];
            let shortfall = crate::number::sub(Decimal::ONE_HUNDRED, group_mean, &node.path)?;
            let group_mean_lost = crate::number::div(crate::number::mul(n.max_points, shortfall, &node.path)?, Decimal::ONE_HUNDRED, &node.path)?;
            nodes.push(NodeProfile {
                code: n.code.clone(),
                label: node.label.clone(),
                depth: node.depth,
                points: n.points,
                max_points: n.max_points,
                lost: (n.max_points - n.points).normalize(),
                percent,
                group_best,
                group_mean,
                versus_mean: (percent - group_mean).normalize(),
                group_mean_lost: group_mean_lost.normalize(),
                group_rank: u32::try_from(better + 1).unwrap_or(u32::MAX),
            });
        }
        nodes.sort_by_key(|n| std::cmp::Reverse(n.lost));
        Ok(Profile { unit: u.unit.clone(), nodes })
    }
}
