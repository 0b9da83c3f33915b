//! The results of a range of replications, kept so that ranges merge exactly: rank and tier
//! counts, index sums in integer units of 10⁻⁹, and the per-run outputs the sensitivity
//! estimators need, in replication order.

use super::model::{Model, Scratch};
use crate::error::{MethodologyError, Result};
use std::ops::Range;

/// What a range of replications produced. Merge adjacent ranges with [`Self::merge`]; turn the
/// whole into a report with [`super::MonteCarlo::report`].
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyRuns {
    pub(crate) rows: Range<u64>,
    pub(crate) seed: u64,
    /// Per unit, runs at each rank (rank r at `rank_offset[u] + r − 1`).
    pub(crate) rank_counts: Vec<u64>,
    pub(crate) rank_offset: Vec<usize>,
    /// Per unit, runs in each band of its scheme, then below every band.
    pub(crate) tier_counts: Vec<u64>,
    pub(crate) tier_offset: Vec<usize>,
    pub(crate) index_sum: Vec<i128>,
    pub(crate) index_squares: Vec<i128>,
    /// Scalar output (mean absolute rank shift) of the `A` and `B` runs, and of the `A_B⁽ⁱ⁾`
    /// runs, `factors` per row.
    pub(crate) y_a: Vec<f64>,
    pub(crate) y_b: Vec<f64>,
    pub(crate) y_ab: Vec<f64>,
    /// Per-unit ranks of the same runs, `units` per run.
    pub(crate) rank_a: Vec<u32>,
    pub(crate) rank_b: Vec<u32>,
    pub(crate) rank_ab: Vec<u32>,
}

impl UncertaintyRuns {
    /// The replications these results cover.
    pub fn rows(&self) -> Range<u64> {
        self.rows.clone()
    }

    /// Appends the results of the replications that follow these (same analysis, the next
    /// range). The result equals running the whole range at once.
    pub fn merge(mut self, later: UncertaintyRuns) -> Result<UncertaintyRuns> {
        let same = self.seed == later.seed
            && self.rank_offset == later.rank_offset
            && self.tier_offset == later.tier_offset
            && self.index_sum.len() == later.index_sum.len();
        if !same {
            return Err(MethodologyError::InvalidRule { path: "runs".into(), message: "the runs come from different analyses".into() }.into());
        }
        if later.rows.start != self.rows.end {
            return Err(MethodologyError::InvalidRule {
                path: "runs".into(),
                message: format!("replications {:?} do not follow {:?}", later.rows, self.rows),
            }
            .into());
        }
        self.rows.end = later.rows.end;
        for (a, b) in self.rank_counts.iter_mut().zip(&later.rank_counts) {
            *a += b;
        }
        for (a, b) in self.tier_counts.iter_mut().zip(&later.tier_counts) {
            *a += b;
        }
        for (a, b) in self.index_sum.iter_mut().zip(&later.index_sum) {
            *a += b;
        }
        for (a, b) in self.index_squares.iter_mut().zip(&later.index_squares) {
            *a += b;
        }
        self.y_a.extend(later.y_a);
        self.y_b.extend(later.y_b);
        self.y_ab.extend(later.y_ab);
        self.rank_a.extend(later.rank_a);
        self.rank_b.extend(later.rank_b);
        self.rank_ab.extend(later.rank_ab);
        Ok(self)
    }

    /// Where each unit's rank counts and tier counts start, and the totals.
    pub(crate) fn empty_shape(model: &Model) -> (Vec<usize>, Vec<usize>, usize, usize) {
        let mut size = vec![0usize; model.units];
        for members in &model.groups {
            for &u in members {
                size[u] = members.len();
            }
        }
        let mut rank_offset = Vec::with_capacity(model.units);
        let mut total = 0;
        for &s in &size {
            rank_offset.push(total);
            total += s;
        }
        let mut tier_offset = Vec::with_capacity(model.units);
        let mut tiers = 0;
        for u in 0..model.units {
            tier_offset.push(tiers);
            tiers += model.scheme_of[u].map_or(0, |k| model.schemes[k].codes.len()) + 1;
        }
        (rank_offset, tier_offset, total, tiers)
    }

    fn empty(model: &Model, rows: Range<u64>) -> UncertaintyRuns {
        let (rank_offset, tier_offset, total, tiers) = Self::empty_shape(model);
        UncertaintyRuns {
            rows,
            seed: model.seed,
            rank_counts: vec![0; total],
            rank_offset,
            tier_counts: vec![0; tiers],
            tier_offset,
            index_sum: vec![0; model.units],
            index_squares: vec![0; model.units],
            y_a: Vec::new(),
            y_b: Vec::new(),
            y_ab: Vec::new(),
            rank_a: Vec::new(),
            rank_b: Vec::new(),
            rank_ab: Vec::new(),
        }
    }

    /// The mean absolute rank shift against the nominal ranks.
    fn shift(model: &Model, s: &Scratch) -> f64 {
        let total: u64 = (0..model.units).map(|u| u64::from(s.rank[u].abs_diff(model.nominal_rank[u]))).sum();
        if model.units == 0 {
            0.0
        } else {
            total as f64 / model.units as f64
        }
    }
}

/// Runs replications `rows` on this thread.
pub(crate) fn run_rows(model: &Model, rows: Range<u64>) -> UncertaintyRuns {
    let mut out = UncertaintyRuns::empty(model, rows.clone());
    let mut draw = model.new_draw();
    let mut s = model.new_scratch();
    let k = model.factors.len();
    for row in rows {
        model.fill_draw(row, |_| 0, &mut draw, &mut s);
        model.replicate(&draw, &mut s);
        for u in 0..model.units {
            out.rank_counts[out.rank_offset[u] + s.rank[u] as usize - 1] += 1;
            out.tier_counts[out.tier_offset[u] + s.tier[u]] += 1;
            let q = i128::from(s.q[u]);
            out.index_sum[u] += q;
            out.index_squares[u] += q * q;
        }
        if !model.sensitivity {
            continue;
        }
        out.y_a.push(UncertaintyRuns::shift(model, &s));
        if model.per_unit {
            out.rank_a.extend_from_slice(&s.rank);
        }
        model.fill_draw(row, |_| 1, &mut draw, &mut s);
        model.replicate(&draw, &mut s);
        out.y_b.push(UncertaintyRuns::shift(model, &s));
        if model.per_unit {
            out.rank_b.extend_from_slice(&s.rank);
        }
        for i in 0..k {
            model.fill_draw(row, |f| u64::from(f == i), &mut draw, &mut s);
            model.replicate(&draw, &mut s);
            out.y_ab.push(UncertaintyRuns::shift(model, &s));
            if model.per_unit {
                out.rank_ab.extend_from_slice(&s.rank);
            }
        }
    }
    out
}

/// Runs replications `rows` split over `threads` threads (contiguous ranges merged in order,
/// so the result is the same for any thread count; on this thread alone in WebAssembly).
pub(crate) fn run_parallel(model: &Model, rows: Range<u64>, threads: usize) -> Result<UncertaintyRuns> {
    let len = rows.end.saturating_sub(rows.start);
    let t = (threads.max(1) as u64).min(len.max(1));
    if t <= 1 {
        return Ok(run_rows(model, rows));
    }
    let bounds: Vec<Range<u64>> =
        (0..t).map(|i| rows.start + len * i / t..rows.start + len * (i + 1) / t).collect();
    let parts = crate::parallel::map_chunks(&bounds, bounds.len(), 1, &|| (), &|_, r: &Range<u64>| run_rows(model, r.clone()));
    let mut it = parts.into_iter();
    let Some(mut all) = it.next() else { return Ok(run_rows(model, rows)) };
    for p in it {
        all = all.merge(p)?;
    }
    Ok(all)
}
