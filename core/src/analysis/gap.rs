//! Gap to the next tier and the next rank, stated exactly, with the leaves that have the
//! headroom to close it.

use crate::error::Result;
use crate::label::Label;
use crate::scorecard::{NodeStatus, Scorecard};
use crate::tier::Requirement;
use crate::tree::NodeKind;
use rust_decimal::Decimal;
use serde::Serialize;

/// What a unit needs to reach the band above its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierGap {
    /// The band's code.
    pub tier: String,
    /// The band's name.
    pub label: Label,
    /// The index the band starts at.
    pub min_index: Decimal,
    /// Whether reaching `min_index` exactly is enough (inclusive bound) or more is needed.
    pub inclusive: bool,
    /// Points still needed to reach `min_index` (exact).
    pub points_needed: Decimal,
    /// Percentage points of index still needed.
    pub index_needed: Decimal,
    /// Extra conditions of the band (node percentages) that must also hold.
    pub requires: Vec<Requirement>,
}

/// What a unit needs to draw level with the unit ranked just above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankGap {
    /// The unit just above.
    pub unit: String,
    /// Its rank.
    pub rank: u32,
    /// Points needed to draw level (any more overtakes it).
    pub points_needed: Decimal,
    /// Percentage points of index needed to draw level.
    pub index_needed: Decimal,
}

/// A leaf with points still to gain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headroom {
    /// The leaf's code.
    pub code: String,
    /// The leaf's name.
    pub label: Label,
    /// Points the leaf could still give: maximum − points.
    pub available: Decimal,
    /// Available points of this leaf and all listed before it.
    pub cumulative: Decimal,
}

/// A unit's gaps to the next tier and rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The unit.
    pub unit: String,
    /// Its index now.
    pub index: Decimal,
    /// Its tier now.
    pub tier: Option<String>,
    /// The band above (none at the top band or without tiers).
    pub next_tier: Option<TierGap>,
    /// The unit just above in the group's ranking (none for a leader).
    pub next_rank: Option<RankGap>,
    /// Leaves with points to gain, most available first.
    pub headroom: Vec<Headroom>,
}

impl Scorecard {
    /// The exact points a unit needs for the next tier and the next rank, and where they can
    /// come from.
    ///
    /// ```
    /// use par_index::presets;
    /// let card = presets::methodology("par2023-ministries").unwrap()
    ///     .score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let gap = card.gap("Ministry of Justice").unwrap();
    /// let next = gap.next_tier.unwrap();
    /// assert_eq!((next.tier.as_str(), next.points_needed.to_string().as_str()), ("A", "0.04"));
    /// assert!(gap.next_rank.is_none()); // already first
    /// ```
    pub fn gap(&self, unit: &str) -> Result<Gap> {
        let u = self.unit(unit)?;
        let to_points = |index_gap: Decimal| -> Result<Decimal> {
            let p = crate::number::mul(index_gap, u.max_points, &u.unit)?;
            Ok(crate::number::div(p, Decimal::ONE_HUNDRED, &u.unit)?.normalize())
        };
        let next_tier = match self.tree.tiers.as_ref().and_then(|t| t.scheme_for(u.group.as_deref())) {
            Some(scheme) => {
                let position = match &u.tier {
                    Some(code) => scheme.bands.iter().position(|b| &b.code == code),
                    None => Some(scheme.bands.len()),
                };
                match position.and_then(|p| p.checked_sub(1)).and_then(|p| scheme.bands.get(p)) {
                    Some(band) => {
                        let index_needed = crate::number::sub(band.min, u.index, &u.unit)?.max(Decimal::ZERO).normalize();
                        Some(TierGap {
                            tier: band.code.clone(),
                            label: band.label.clone(),
                            min_index: band.min,
                            inclusive: band.min_inclusive,
                            points_needed: to_points(index_needed)?,
                            index_needed,
                            requires: band.requires.clone(),
                        })
                    }
                    None => None,
                }
            }
            None => None,
        };
        let ahead = self
            .units
            .iter()
            .filter(|o| o.group == u.group && o.index > u.index)
            .min_by(|a, b| a.index.cmp(&b.index).then(b.position.cmp(&a.position)));
        let next_rank = match ahead {
            Some(o) => {
                let index_needed = crate::number::sub(o.index, u.index, &u.unit)?.normalize();
                Some(RankGap { unit: o.unit.clone(), rank: o.rank, points_needed: to_points(index_needed)?, index_needed })
            }
            None => None,
        };
        let mut headroom: Vec<Headroom> = Vec::new();
        for (k, n) in u.nodes.iter().enumerate() {
            let node = &self.tree.nodes[k + 1];
            if !matches!(node.kind, NodeKind::Leaf(_)) || n.status == NodeStatus::NotApplicable {
                continue;
            }
            let available = (n.max_points - n.points).normalize();
            if available > Decimal::ZERO {
                headroom.push(Headroom { code: n.code.clone(), label: node.label.clone(), available, cumulative: Decimal::ZERO });
            }
        }
        headroom.sort_by_key(|h| std::cmp::Reverse(h.available));
        let mut running = Decimal::ZERO;
        for h in &mut headroom {
            running = crate::number::add(running, h.available, &u.unit)?;
            h.cumulative = running.normalize();
        }
        Ok(Gap { unit: u.unit.clone(), index: u.index, tier: u.tier.clone(), next_tier, next_rank, headroom })
    }
}
