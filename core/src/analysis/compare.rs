//! Year over year: two scorecards, of the same or different methodology versions, compared unit
//! by unit and node by node ("+4.30 %" rises, rank changes, tier moves).

use crate::scorecard::Scorecard;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a unit moved between two scorecards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitChange {
    /// The unit.
    pub unit: String,
    /// Its group this time.
    pub group: Option<String>,
    /// Index before (previous scorecard).
    pub index_before: Decimal,
    /// Index now.
    pub index_after: Decimal,
    /// Change in percentage points (exact; display with [`signed`]).
    pub index_change: Decimal,
    /// Total points before.
    pub points_before: Decimal,
    /// Total points now.
    pub points_after: Decimal,
    /// Change in points (held to the decimal range: differences of figures beyond ±7.9e28
    /// saturate rather than fail, as a comparison has no error to report).
    pub points_change: Decimal,
    /// Rank before.
    pub rank_before: u32,
    /// Rank now.
    pub rank_after: u32,
    /// Places gained (positive) or lost (negative).
    pub rank_change: i64,
    /// Tier before.
    pub tier_before: Option<String>,
    /// Tier now.
    pub tier_after: Option<String>,
    /// Bands moved up (positive) or down (negative) in this year's scheme; `None` when either
    /// tier is absent or not in the scheme.
    pub tier_move: Option<i64>,
}

/// How one node of one unit moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeChange {
    /// The unit.
    pub unit: String,
    /// The node's code now.
    pub code: String,
    /// The node's code in the previous methodology.
    pub previous_code: String,
    /// Points before.
    pub points_before: Decimal,
    /// Points now.
    pub points_after: Decimal,
    /// Change in points.
    pub points_change: Decimal,
    /// Percentage before (absent for a node worth 0 or not applicable).
    pub percent_before: Option<Decimal>,
    /// Percentage now.
    pub percent_after: Option<Decimal>,
    /// Change in percentage points, when both exist.
    pub percent_change: Option<Decimal>,
}

/// The comparison of this year's scorecard with a previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Units scored both times, in this year's order.
    pub units: Vec<UnitChange>,
    /// Mapped nodes of those units.
    pub nodes: Vec<NodeChange>,
    /// Units scored only this year.
    pub new_units: Vec<String>,
    /// Units scored only the previous year.
    pub dropped_units: Vec<String>,
    /// This year's node codes that no previous code maps to.
    pub unmapped_codes: Vec<String>,
    /// Previous node codes that map to nothing this year.
    pub unmapped_previous_codes: Vec<String>,
}

/// A change as official reports print it: `+4.30`, `-0.25`, `0.00` (rounded half-up to
/// `places`).
///
/// ```
/// use par_index::analysis::signed;
/// assert_eq!(signed("4.3".parse().unwrap(), 2), "+4.30");
/// assert_eq!(signed("-0.254".parse().unwrap(), 2), "-0.25");
/// assert_eq!(signed("0.004".parse().unwrap(), 2), "0.00");
/// ```
pub fn signed(change: Decimal, places: u32) -> String {
    let r = crate::rounding::Rounding { places, mode: crate::rounding::RoundingMode::HalfUp };
    let rounded = r.round(change);
    if rounded > Decimal::ZERO {
        format!("+{rounded}")
    } else if rounded.is_zero() {
        r.display(Decimal::ZERO)
    } else {
        rounded.to_string()
    }
}

impl Scorecard {
    /// Compares this scorecard with a `previous` one. `mapping` maps previous node codes to this
    /// year's codes where a methodology version renamed or moved them; codes found in both trees
    /// map to themselves unless the mapping says otherwise.
    ///
    /// ```
    /// use par_index::{presets, Value};
    /// let m = presets::methodology("par2023-ministries").unwrap();
    /// let before = m.score(&presets::assessments("par2023-ministries").unwrap()).unwrap();
    /// let mut a = presets::assessments("par2023-ministries").unwrap();
    /// a.units[14].values.insert("appraisal".into(), Value::Number("60.11".parse().unwrap()));
    /// let after = m.score(&a).unwrap();
    /// let c = after.compare(&before, &Default::default());
    /// let health = c.units.iter().find(|u| u.unit == "Ministry of Health").unwrap();
    /// assert_eq!(par_index::analysis::signed(health.index_change, 2), "+4.30");
    /// assert_eq!((health.rank_before, health.rank_after, health.rank_change), (15, 11, 4));
    /// ```
    pub fn compare(&self, previous: &Scorecard, mapping: &BTreeMap<String, String>) -> Comparison {
        let current_codes: Vec<&str> = self.tree.nodes.iter().skip(1).map(|n| n.code.as_str()).collect();
        let previous_codes: Vec<&str> = previous.tree.nodes.iter().skip(1).map(|n| n.code.as_str()).collect();
        // previous code → current code
        let mut pairs: Vec<(String, String)> = Vec::new();
        for p in &previous_codes {
            let target = match mapping.get(*p) {
                Some(c) => Some(c.as_str()),
                None if current_codes.contains(p) && !mapping.values().any(|v| v == p) => Some(*p),
                None => None,
            };
            if let Some(c) = target.filter(|c| current_codes.contains(c)) {
                pairs.push(((*p).to_owned(), c.to_owned()));
            }
        }
        let unmapped_codes = current_codes.iter().filter(|c| !pairs.iter().any(|(_, x)| x == *c)).map(|c| (*c).to_owned()).collect();
        let unmapped_previous_codes = previous_codes.iter().filter(|p| !pairs.iter().any(|(x, _)| x == *p)).map(|p| (*p).to_owned()).collect();
        let mut units = Vec::new();
        let mut nodes = Vec::new();
        for u in &self.units {
            let Some(b) = previous.units.iter().find(|b| b.unit == u.unit) else { continue };
            let scheme = self.tree.tiers.as_ref().and_then(|t| t.scheme_for(u.group.as_deref()));
            let position = |tier: &Option<String>| {
                let code = tier.as_deref()?;
                scheme?.bands.iter().position(|band| band.code == code).and_then(|p| i64::try_from(p).ok())
            };
            let tier_move = match (position(&b.tier), position(&u.tier)) {
                (Some(before), Some(after)) => Some(before - after),
                _ => None,
            };
            units.push(UnitChange {
                unit: u.unit.clone(),
                group: u.group.clone(),
                index_before: b.index,
                index_after: u.index,
                index_change: u.index.saturating_sub(b.index).normalize(),
                points_before: b.points,
                points_after: u.points,
                points_change: u.points.saturating_sub(b.points).normalize(),
                rank_before: b.rank,
                rank_after: u.rank,
                rank_change: i64::from(b.rank) - i64::from(u.rank),
                tier_before: b.tier.clone(),
                tier_after: u.tier.clone(),
                tier_move,
            });
            for (p, c) in &pairs {
                let (Some(nb), Some(na)) = (b.node(p), u.node(c)) else { continue };
                nodes.push(NodeChange {
                    unit: u.unit.clone(),
                    code: c.clone(),
                    previous_code: p.clone(),
                    points_before: nb.points,
                    points_after: na.points,
                    points_change: na.points.saturating_sub(nb.points).normalize(),
                    percent_before: nb.percent,
                    percent_after: na.percent,
                    percent_change: nb.percent.zip(na.percent).map(|(x, y)| y.saturating_sub(x).normalize()),
                });
            }
        }
        let new_units = self.units.iter().filter(|u| !previous.units.iter().any(|b| b.unit == u.unit)).map(|u| u.unit.clone()).collect();
        let dropped_units = previous.units.iter().filter(|b| !self.units.iter().any(|u| u.unit == b.unit)).map(|b| b.unit.clone()).collect();
        Comparison { units, nodes, new_units, dropped_units, unmapped_codes, unmapped_previous_codes }
    }
}
