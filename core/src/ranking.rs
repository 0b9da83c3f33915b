//! Ranking inside a group: tie policies and the ordering rule shared by the PAR Index and SIPAS.
//!
//! No written rule for ties was found in the sources (see the domain notes), so the policy is a
//! setting. Ranking uses exact values by default: PCI 2020 gave Đồng Nai and Hà Tĩnh, both
//! 64.56 when rounded, distinct consecutive ranks.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How equal scores share ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TiePolicy {
    /// Standard competition ranking: 1, 2, 2, 4.
    #[default]
    Competition,
    /// Dense ranking: 1, 2, 2, 3.
    Dense,
    /// Ordinal ranking: 1, 2, 3, 4; ties broken by the tie-breakers, then by unit id.
    Ordinal,
}

/// Which value ranks are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBasis {
    /// The exact, unrounded value (default).
    #[default]
    Exact,
    /// The value as displayed, rounded by the methodology's rounding policy.
    Displayed,
}

/// How units are ranked inside their group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingPolicy {
    /// How equal scores share ranks.
    #[serde(default)]
    pub ties: TiePolicy,
    /// Node codes whose percentages are compared next, in order, when indices are equal
    /// (used by [`TiePolicy::Ordinal`] and to order tied rows for display).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tie_breakers: Vec<String>,
    /// Rank on exact values (default) or on displayed values.
    #[serde(default)]
    pub basis: RankBasis,
}

/// One entry to rank: its primary key (higher is better), its tie-breaker keys (higher is
/// better; `None` sorts last) and its id (ascending, the last resort).
#[derive(Debug, Clone, PartialEq)]
pub struct RankEntry<'a> {
    /// The value ranked on, higher first.
    pub key: Decimal,
    /// Values compared next, in order, higher first; `None` (no value) after any value.
    pub tie_keys: Vec<Option<Decimal>>,
    /// The unit id, compared last in ascending order.
    pub id: &'a str,
}

fn cmp_tie_key(a: &Option<Decimal>, b: &Option<Decimal>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Order of display: key descending, then tie-breakers descending, then id ascending.
fn display_order(a: &RankEntry<'_>, b: &RankEntry<'_>) -> Ordering {
    b.key
        .cmp(&a.key)
        .then_with(|| {
            a.tie_keys
                .iter()
                .zip(b.tie_keys.iter())
                .map(|(x, y)| cmp_tie_key(x, y))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        })
        .then_with(|| a.id.cmp(b.id))
}

/// Ranks entries under a tie policy. Returns, for each entry in input order, its rank (1 =
/// best), and the input indices in display order.
///
/// ```
/// use par_index::ranking::{rank, RankEntry, TiePolicy};
/// use rust_decimal::Decimal;
/// let e = |k: i64, id| RankEntry { key: Decimal::from(k), tie_keys: vec![], id };
/// let entries = [e(90, "a"), e(80, "b"), e(80, "c"), e(70, "d")];
/// assert_eq!(rank(&entries, TiePolicy::Competition).0, vec![1, 2, 2, 4]);
/// assert_eq!(rank(&entries, TiePolicy::Dense).0, vec![1, 2, 2, 3]);
/// assert_eq!(rank(&entries, TiePolicy::Ordinal).0, vec![1, 2, 3, 4]);
/// ```
pub fn rank(entries: &[RankEntry<'_>], ties: TiePolicy) -> (Vec<u32>, Vec<usize>) {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&i, &j| display_order(&entries[i], &entries[j]));
    let mut ranks = vec![0u32; entries.len()];
    let mut dense = 0u32;
    let mut previous: Option<(Decimal, u32)> = None;
    for (position, &i) in order.iter().enumerate() {
        let ordinal = u32::try_from(position + 1).unwrap_or(u32::MAX);
        let key = entries[i].key;
        let r = match ties {
            TiePolicy::Ordinal => ordinal,
            TiePolicy::Competition => match previous {
                Some((k, r)) if k == key => r,
                _ => ordinal,
            },
            TiePolicy::Dense => match previous {
                Some((k, r)) if k == key => r,
                _ => {
                    dense += 1;
                    dense
                }
            },
        };
        previous = Some((key, r));
        ranks[i] = r;
    }
    (ranks, order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(k: &str, id: &'static str) -> RankEntry<'static> {
        RankEntry { key: k.parse().unwrap(), tie_keys: vec![], id }
    }

    #[test]
    fn ordinal_breaks_ties_by_tie_keys_then_id() {
        let mut a = e("64.56", "dong-nai");
        let mut b = e("64.56", "ha-tinh");
        a.tie_keys = vec![Some(Decimal::from(5))];
        b.tie_keys = vec![Some(Decimal::from(6))];
        let (ranks, order) = rank(&[a.clone(), b.clone()], TiePolicy::Ordinal);
        assert_eq!(ranks, vec![2, 1]);
        assert_eq!(order, vec![1, 0]);
        a.tie_keys = vec![None];
        b.tie_keys = vec![None];
        assert_eq!(rank(&[a, b], TiePolicy::Ordinal).0, vec![1, 2]);
    }

    #[test]
    fn empty_and_all_tied() {
        assert!(rank(&[], TiePolicy::Dense).0.is_empty());
        let all = [e("1", "a"), e("1", "b"), e("1", "c")];
        assert_eq!(rank(&all, TiePolicy::Competition).0, vec![1, 1, 1]);
        assert_eq!(rank(&all, TiePolicy::Dense).0, vec![1, 1, 1]);
        assert_eq!(rank(&all, TiePolicy::Ordinal).0, vec![1, 2, 3]);
    }
}
