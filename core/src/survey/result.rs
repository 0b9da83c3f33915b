//! Results: per item, element and overall, for every unit, every group and all units.

use super::aggregate::{Aggregator, UnitState};
use super::ci::{binomial_ci_crit, design_ci, CiMethod, CiOptions, Interval};
use super::design::{ElementRule, OverallRule, SurveyDesign};
use super::error::SurveyError;
use super::exact::{ratio, times_hundred};
use crate::ranking::{rank, RankEntry, TiePolicy};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Results for one item in one unit (or group, or all units).
///
/// `share` is a fraction (0.965), like the interval ends; element and overall indices are
/// percentages (96.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    /// Item code.
    pub item: String,
    /// The item's element.
    pub element: String,
    /// Respondents at each level of the scale, in scale order.
    pub levels: Vec<u64>,
    /// Valid answers (on the scale).
    pub n: u64,
    /// No answer (empty, null or a missing code).
    pub n_missing: u64,
    /// Not applicable (a not-applicable code, or filtered out by the item's filter).
    pub n_not_applicable: u64,
    /// Valid answers at a satisfied level.
    pub satisfied: u64,
    /// Share satisfied (weighted when aggregating with weights); `None` without valid answers.
    pub share: Option<Decimal>,
    /// Mean level code of valid answers (weighted when aggregating with weights).
    pub mean: Option<Decimal>,
    /// Sum of weights of valid answers (= `n` without weights).
    pub weighted_n: Decimal,
    /// Kish effective sample size (Σw)² / Σw² (= `n` without weights).
    pub n_eff: Option<f64>,
    /// Standard error of the share: Taylor-linearized for a weights-only design when weighted,
    /// √(p(1-p)/n) otherwise.
    pub se: Option<f64>,
    /// Lower end of the confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end of the confidence interval.
    pub ci_high: Option<f64>,
}

/// An element's index in one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementResult {
    /// Element code.
    pub element: String,
    /// Index in percent by the design's element rule; `None` when no item has valid answers.
    pub index: Option<Decimal>,
}

/// Everything about one unit (or one group, or all units together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// Unit id (the group name for group results, `*` for all units).
    pub unit: String,
    /// The unit's group, if any.
    pub group: Option<String>,
    /// Respondents counted.
    pub respondents: u64,
    /// Per item, in design order.
    pub items: Vec<ItemResult>,
    /// Per element, in design order.
    pub elements: Vec<ElementResult>,
    /// Overall index in percent by the design's overall rule.
    pub overall: Option<Decimal>,
    /// Rank of the overall index among all units (1 = best); `None` without an index.
    pub rank: Option<u32>,
    /// Rank inside the unit's group.
    pub group_rank: Option<u32>,
}

/// "Units with an overall index above X: k of n".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdCount {
    /// The threshold, in percent.
    pub threshold: Decimal,
    /// Units whose overall index is strictly above the threshold.
    pub above: u64,
    /// Units that have an overall index.
    pub total: u64,
}

/// A number of a SIPAS result that a PAR Index leaf can use: `overall`, `element:CODE` or
/// `item:CODE` (an item's share, in percent).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Figure {
    /// The overall index.
    Overall,
    /// An element's index.
    Element(String),
    /// An item's share satisfied, in percent.
    Item(String),
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Overall => f.write_str("overall"),
            Figure::Element(c) => write!(f, "element:{c}"),
            Figure::Item(c) => write!(f, "item:{c}"),
        }
    }
}

impl FromStr for Figure {
    type Err = SurveyError;
    fn from_str(s: &str) -> Result<Self, SurveyError> {
        if s == "overall" {
            return Ok(Figure::Overall);
        }
        let bad = || SurveyError::InvalidFigure { text: s.to_owned() };
        match s.split_once(':') {
            Some(("element", c)) if !c.is_empty() => Ok(Figure::Element(c.to_owned())),
            Some(("item", c)) if !c.is_empty() => Ok(Figure::Item(c.to_owned())),
            _ => Err(bad()),
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One row of the items table (for data frames).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    /// Unit id.
    pub unit: String,
    /// Item code.
    pub item: String,
    /// Valid answers.
    pub n: u64,
    /// No answers.
    pub n_missing: u64,
    /// Not applicable.
    pub n_not_applicable: u64,
    /// Satisfied answers.
    pub satisfied: u64,
    /// Share satisfied (fraction).
    pub share: Option<Decimal>,
    /// Standard error of the share.
    pub se: Option<f64>,
    /// Interval lower end.
    pub ci_low: Option<f64>,
    /// Interval upper end.
    pub ci_high: Option<f64>,
    /// Mean level code.
    pub mean: Option<Decimal>,
    /// Kish effective sample size.
    pub n_eff: Option<f64>,
    /// Sum of weights.
    pub weighted_n: Decimal,
    /// Counts per scale level.
    pub levels: Vec<u64>,
}

/// One row of the elements table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementRow {
    /// Unit id.
    pub unit: String,
    /// Element code.
    pub element: String,
    /// Index in percent.
    pub index: Option<Decimal>,
}

/// One row of the overall table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverallRow {
    /// Unit id.
    pub unit: String,
    /// The unit's group.
    pub group: Option<String>,
    /// Overall index in percent.
    pub index: Option<Decimal>,
    /// Rank among all units.
    pub rank: Option<u32>,
    /// Rank inside the group.
    pub group_rank: Option<u32>,
}

/// The finished SIPAS results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SipasResult {
    /// The interval options used.
    pub ci: CiOptions,
    /// Whether weights were used.
    pub weighted: bool,
    /// Per unit, sorted by unit id.
    pub units: Vec<UnitResult>,
    /// Per group, sorted by group name (empty when no response names a group).
    pub groups: Vec<UnitResult>,
    /// All units together (unit id `*`).
    pub all: UnitResult,
}

fn overflow(path: &str) -> SurveyError {
    SurveyError::Overflow {
        path: path.to_owned(),
    }
}

fn norm(d: Decimal) -> Decimal {
    d.normalize()
}

/// The mean of `values` (`None` for none); a value that is `None` is a decimal overflow.
fn mean_of(
    values: impl Iterator<Item = Option<Decimal>>,
    path: &str,
) -> Result<Option<Decimal>, SurveyError> {
    let mut sum = Decimal::ZERO;
    let mut k = 0u64;
    for v in values {
        sum = v.and_then(|v| sum.checked_add(v)).ok_or_else(|| overflow(path))?;
        k += 1;
    }
    if k == 0 {
        return Ok(None);
    }
    Ok(Some(norm(
        sum.checked_div(Decimal::from(k))
            .ok_or_else(|| overflow(path))?,
    )))
}

fn percent(num: Decimal, den: Decimal, path: &str) -> Result<Option<Decimal>, SurveyError> {
    if den.is_zero() {
        return Ok(None);
    }
    let scaled = num
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or_else(|| overflow(path))?;
    Ok(Some(norm(
        scaled.checked_div(den).ok_or_else(|| overflow(path))?,
    )))
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// Exact sums of one item in one domain: the weight of valid and of satisfied answers, their
/// squared weights, and the weight times the level code (counts when unweighted).
struct ItemSums {
    n: u64,
    satisfied: u64,
    w_all: Decimal,
    w_sat: Decimal,
    w_code: Decimal,
    /// The integers of `w_all`, `w_sat` and `w_code` (at the weights' scale).
    ints: [i128; 3],
    /// As floats: w_all, w_sat, s_all, s_sat, w_all - w_sat, s_all - s_sat.
    floats: [f64; 6],
}

/// Sums the item's levels as integers (counts, or weight mantissas at `wscale`, squares at
/// twice it), then makes exact decimals of them: no allocation, one conversion per sum.
fn item_sums(ctx: &Ctx<'_>, state: &UnitState, item: usize) -> Result<ItemSums, SurveyError> {
    let n_levels = ctx.n_levels;
    let base = item * (n_levels + 2);
    let counts = &state.counts[base..base + n_levels];
    let oops = || overflow(&state.id);
    let add = |a: i128, b: i128| a.checked_add(b).ok_or_else(oops);
    let (mut n, mut satisfied) = (0u64, 0u64);
    let (mut w_all, mut w_sat, mut s_all, mut s_sat, mut w_code) = (0i128, 0i128, 0i128, 0i128, 0i128);
    if ctx.weighted {
        for (l, &c) in counts.iter().enumerate() {
            n += c;
            let k = item * n_levels + l;
            let (w, w2) = (state.wsum[k], state.w2sum[k]);
            w_all = add(w_all, w)?;
            s_all = add(s_all, w2)?;
            w_code = add(w_code, w.checked_mul(i128::from(ctx.codes[l])).ok_or_else(oops)?)?;
            if ctx.satisfied[l] {
                satisfied += c;
                w_sat = add(w_sat, w)?;
                s_sat = add(s_sat, w2)?;
            }
        }
    } else {
        // Counts: a u64 times an i64 code fits an i128, and sums of counts stay far below it.
        for (l, &c) in counts.iter().enumerate() {
            n = n.checked_add(c).ok_or_else(oops)?;
            w_code += i128::from(c) * i128::from(ctx.codes[l]);
            if ctx.satisfied[l] {
                satisfied += c;
            }
        }
        (w_all, s_all, w_sat, s_sat) = (n.into(), n.into(), satisfied.into(), satisfied.into());
    }
    let (s1, s2) = if ctx.weighted { (ctx.wscale, 2 * ctx.wscale) } else { (0, 0) };
    let dec = |v: i128, scale: u32| Decimal::try_from_i128_with_scale(v, scale).map_err(|_| oops());
    let floats = if ctx.weighted {
        let sums = [(w_all, s1), (w_sat, s1), (s_all, s2), (s_sat, s2), (w_all - w_sat, s1), (s_all - s_sat, s2)];
        let mut floats = [0.0; 6];
        for (x, (v, scale)) in floats.iter_mut().zip(sums) {
            *x = f(dec(v, scale)?);
        }
        floats
    } else {
        // Counts: as their decimals (scale 0) convert, exactly (or rounded to nearest alike).
        #[allow(clippy::cast_precision_loss)]
        let (a, b, c) = (n as f64, satisfied as f64, (n - satisfied) as f64);
        [a, b, a, b, c, c]
    };
    Ok(ItemSums {
        n,
        satisfied,
        w_all: dec(w_all, s1)?,
        w_sat: dec(w_sat, s1)?,
        w_code: dec(w_code, s1)?,
        ints: [w_all, w_sat, w_code],
        floats,
    })
}

/// Adds unit states into one domain state (a group, or all units).
fn sum_states(
    id: &str,
    group: Option<String>,
    states: &[&UnitState],
) -> Result<UnitState, SurveyError> {
    let mut out = UnitState {
        id: id.to_owned(),
        group,
        respondents: 0,
        weight_sum: 0,
        weight_sq_sum: 0,
        counts: Vec::new(),
        wsum: Vec::new(),
        w2sum: Vec::new(),
    };
    for (k, s) in states.iter().enumerate() {
        if k == 0 {
            out.counts = vec![0; s.counts.len()];
            out.wsum = vec![0; s.wsum.len()];
            out.w2sum = vec![0; s.w2sum.len()];
        }
        out.respondents += s.respondents;
        let p = format!("totals of {id}");
        out.weight_sum = out
            .weight_sum
            .checked_add(s.weight_sum)
            .ok_or_else(|| overflow(&p))?;
        out.weight_sq_sum = out
            .weight_sq_sum
            .checked_add(s.weight_sq_sum)
            .ok_or_else(|| overflow(&p))?;
        // (Cells are bounded by these totals; their conversion to decimals is checked.)
        for (a, b) in out.counts.iter_mut().zip(&s.counts) {
            *a += b;
        }
        // Bounded by the checked totals.
        for (a, b) in out.wsum.iter_mut().zip(&s.wsum) {
            *a += b;
        }
        for (a, b) in out.w2sum.iter_mut().zip(&s.w2sum) {
            *a += b;
        }
    }
    Ok(out)
}

struct Ctx<'a> {
    design: &'a SurveyDesign,
    satisfied: &'a [bool],
    /// Per item, its element's index.
    item_element: &'a [usize],
    n_levels: usize,
    weighted: bool,
    wscale: u32,
    /// Per item, valid respondents across all units: the n of the item's design.
    n_design: Vec<u64>,
    ci: CiOptions,
    alpha: f64,
    /// -qnorm(alpha / 2), for the binomial intervals.
    crit: f64,
    /// Level codes, in scale order.
    codes: Vec<i64>,
    /// Student t quantiles by (probability, df) bits: domains of similar size share them.
    t_cache: std::cell::RefCell<std::collections::HashMap<(u64, u64), f64>>,
}

impl Ctx<'_> {
    fn t(&self, q: f64, df: f64) -> f64 {
        let key = (q.to_bits(), df.to_bits());
        if let Some(v) = self.t_cache.borrow().get(&key) {
            return *v;
        }
        let v = super::dist::qt(q, df);
        self.t_cache.borrow_mut().insert(key, v);
        v
    }
}

fn item_result(ctx: &Ctx<'_>, state: &UnitState, i: usize) -> Result<ItemResult, SurveyError> {
    let item = &ctx.design.items[i];
    let path = || format!("{}, item {}", state.id, item.code);
    let s = item_sums(ctx, state, i)?;
    let base = i * (ctx.n_levels + 2);
    let (n, satisfied, w_all, w_sat) = (s.n, s.satisfied, s.w_all, s.w_sat);
    let mut r = ItemResult {
        item: item.code.clone(),
        element: item.element.clone(),
        levels: state.counts[base..base + ctx.n_levels].to_vec(),
        n,
        n_missing: state.counts[base + ctx.n_levels],
        n_not_applicable: state.counts[base + ctx.n_levels + 1],
        satisfied,
        share: None,
        mean: None,
        weighted_n: norm(w_all),
        n_eff: None,
        se: None,
        ci_low: None,
        ci_high: None,
    };
    if n == 0 || w_all.is_zero() {
        return Ok(r);
    }
    // Both sums at one scale: their integers' quotient.
    let [i_all, i_sat, i_code] = s.ints;
    let quotient = |i_num: i128, num: Decimal| match ratio(i_num, i_all) {
        Some(q) => Ok(q),
        None => num.checked_div(w_all).map(norm).ok_or_else(|| overflow(&path())),
    };
    r.share = Some(quotient(i_sat, w_sat)?);
    r.mean = Some(quotient(i_code, s.w_code)?);
    let [wa, ws, sa, ss, w_uns, s_uns] = s.floats;
    let p = ws / wa;
    let q = w_uns / wa;
    let kish = if ctx.weighted { wa * wa / sa } else { n as f64 };
    r.n_eff = Some(kish);
    // Taylor linearization, weights-only design over the item's valid respondents, this unit a
    // domain: var = N/(N-1) Σ_d z², z = w (y - p) / W_d.
    let nd = ctx.n_design[i] as f64;
    let taylor = if nd > 1.0 {
        nd / (nd - 1.0) * (ss * q * q + s_uns * p * p) / (wa * wa)
    } else {
        f64::NAN
    };
    r.se = if ctx.weighted {
        taylor.is_finite().then(|| taylor.sqrt())
    } else {
        Some((p * q / n as f64).sqrt())
    };
    let interval: Option<Interval> = if ctx.ci.method.is_design_based() {
        // R's svyby subsets the design per domain: degf = n_d - 1 and nrow = n_d (so the
        // Korn-Graubard degrees-of-freedom ratio is 1), while the variance keeps N/(N-1).
        design_ci(
            ctx.ci.method,
            p,
            taylor,
            n as f64 - 1.0,
            n as f64,
            kish,
            ctx.alpha,
            &|q, df| ctx.t(q, df),
        )
    } else if ctx.weighted {
        Some(binomial_ci_crit(p * kish, kish, ctx.ci.method, ctx.alpha, ctx.crit))
    } else {
        Some(binomial_ci_crit(
            satisfied as f64,
            n as f64,
            ctx.ci.method,
            ctx.alpha,
            ctx.crit,
        ))
    };
    if let Some(iv) = interval.filter(|iv| iv.low.is_finite() && iv.high.is_finite()) {
        r.ci_low = Some(iv.low);
        r.ci_high = Some(iv.high);
    }
    Ok(r)
}

fn unit_result(ctx: &Ctx<'_>, state: &UnitState) -> Result<UnitResult, SurveyError> {
    let mut items = Vec::with_capacity(ctx.design.items.len());
    for i in 0..ctx.design.items.len() {
        items.push(item_result(ctx, state, i)?);
    }
    let path = state.id.as_str();
    let pooled = |filter: &dyn Fn(usize) -> bool| -> Result<Option<Decimal>, SurveyError> {
        let mut num = Decimal::ZERO;
        let mut den = Decimal::ZERO;
        for (i, it) in items.iter().enumerate().filter(|(i, it)| filter(*i) && it.n > 0) {
            den = den
                .checked_add(it.weighted_n)
                .ok_or_else(|| overflow(path))?;
            num = num
                .checked_add(item_sums(ctx, state, i)?.w_sat)
                .ok_or_else(|| overflow(path))?;
        }
        percent(num, den, path)
    };
    let mut elements = Vec::with_capacity(ctx.design.elements.len());
    for (k, e) in ctx.design.elements.iter().enumerate() {
        // Items are in design order: item i's element is `item_element[i]`.
        let of_element = |i: usize| ctx.item_element.get(i) == Some(&k);
        let index = match ctx.design.element_rule {
            ElementRule::MeanOfItems => mean_of(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| of_element(*i))
                    .filter_map(|(_, it)| it.share)
                    .map(times_hundred),
                path,
            )?,
            ElementRule::Pooled => pooled(&of_element)?,
        };
        elements.push(ElementResult {
            element: e.code.clone(),
            index,
        });
    }
    let overall = match &ctx.design.overall_rule {
        OverallRule::MeanOfElements => mean_of(elements.iter().filter_map(|e| e.index).map(Some), path)?,
        OverallRule::Pooled => pooled(&|_| true)?,
        OverallRule::Item(code) => items
            .iter()
            .find(|it| &it.item == code)
            .and_then(|it| it.share)
            .map(|s| times_hundred(s).map(norm).ok_or_else(|| overflow(path)))
            .transpose()?,
    };
    Ok(UnitResult {
        unit: state.id.clone(),
        group: state.group.clone(),
        respondents: state.respondents,
        items,
        elements,
        overall,
        rank: None,
        group_rank: None,
    })
}

impl Aggregator {
    /// Computes the results: per unit, per group and for all units, with intervals by `ci`,
    /// and ranks by overall index under the competition tie policy (see
    /// [`SipasResult::rerank`]).
    pub fn finish(&self, ci: &CiOptions) -> Result<SipasResult, SurveyError> {
        let alpha = ci.check()?;
        let c = &self.compiled;
        let stride = c.n_levels + 2;
        let mut n_design = vec![0u64; c.n_items];
        for u in &self.units {
            for (i, nd) in n_design.iter_mut().enumerate() {
                *nd += u.counts[i * stride..i * stride + c.n_levels]
                    .iter()
                    .sum::<u64>();
            }
        }
        let make_ctx = || Ctx {
            design: &self.design,
            satisfied: &c.satisfied,
            item_element: &c.item_element,
            n_levels: c.n_levels,
            weighted: self.options.weighted,
            wscale: self.wscale,
            n_design: n_design.clone(),
            ci: *ci,
            alpha,
            crit: -super::dist::qnorm(alpha / 2.0),
            codes: self.design.scale.iter().map(|l| l.code).collect(),
            t_cache: Default::default(),
        };
        let ctx = make_ctx();
        let mut order: Vec<&UnitState> = self.units.iter().collect();
        order.sort_by(|a, b| a.id.cmp(&b.id));
        // Units are independent: spread them over the cores (each thread its own quantile
        // cache; the results do not depend on the split).
        let threads = crate::parallel::cores();
        let units = crate::parallel::map_chunks(&order, threads, 8, &make_ctx, &|ctx, s| {
            unit_result(ctx, s)
        })
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let mut group_names: Vec<&str> = order.iter().filter_map(|s| s.group.as_deref()).collect();
        group_names.sort_unstable();
        group_names.dedup();
        let mut groups = Vec::with_capacity(group_names.len());
        for g in group_names {
            let members: Vec<&UnitState> = order
                .iter()
                .copied()
                .filter(|s| s.group.as_deref() == Some(g))
                .collect();
            let state = sum_states(g, Some(g.to_owned()), &members)?;
            groups.push(unit_result(&ctx, &state)?);
        }
        let all_state = if order.is_empty() {
            let mut empty = sum_states("*", None, &[])?;
            empty.counts = vec![0; c.n_items * stride];
            if self.options.weighted {
                empty.wsum = vec![0; c.n_items * c.n_levels];
                empty.w2sum = vec![0; c.n_items * c.n_levels];
            }
            empty
        } else {
            sum_states("*", None, &order)?
        };
        let all = unit_result(&ctx, &all_state)?;
        let mut result = SipasResult {
            ci: *ci,
            weighted: self.options.weighted,
            units,
            groups,
            all,
        };
        result.rerank(TiePolicy::Competition);
        Ok(result)
    }
}

fn ranks_of(units: &[&UnitResult], ties: TiePolicy) -> Vec<Option<u32>> {
    let ranked: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].overall.is_some())
        .collect();
    let entries: Vec<RankEntry<'_>> = ranked
        .iter()
        .map(|&i| RankEntry {
            key: units[i].overall.unwrap_or_default(),
            tie_keys: Vec::new(),
            id: &units[i].unit,
        })
        .collect();
    let (r, _) = rank(&entries, ties);
    let mut out = vec![None; units.len()];
    for (k, &i) in ranked.iter().enumerate() {
        out[i] = Some(r[k]);
    }
    out
}

impl SipasResult {
    /// Recomputes `rank` (among all units) and `group_rank` (inside each group) under a tie
    /// policy. Units without an overall index get no rank.
    pub fn rerank(&mut self, ties: TiePolicy) {
        let all: Vec<&UnitResult> = self.units.iter().collect();
        let ranks = ranks_of(&all, ties);
        let mut group_ranks = vec![None; self.units.len()];
        let mut names: Vec<&str> = self
            .units
            .iter()
            .filter_map(|u| u.group.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        for g in names {
            let idx: Vec<usize> = (0..self.units.len())
                .filter(|&i| self.units[i].group.as_deref() == Some(g))
                .collect();
            let members: Vec<&UnitResult> = idx.iter().map(|&i| &self.units[i]).collect();
            for (k, r) in ranks_of(&members, ties).into_iter().enumerate() {
                group_ranks[idx[k]] = r;
            }
        }
        for (i, u) in self.units.iter_mut().enumerate() {
            u.rank = ranks[i];
            u.group_rank = group_ranks[i];
        }
    }

    /// A unit's results by id.
    pub fn unit(&self, unit: &str) -> Option<&UnitResult> {
        self.units
            .binary_search_by(|u| u.unit.as_str().cmp(unit))
            .ok()
            .map(|i| &self.units[i])
    }

    /// A figure of a unit, in percent: the overall index, an element's index or an item's
    /// share. `None` when the unit, element or item is unknown or has no valid answers (or,
    /// in a result read from JSON, when a share is too large to express in percent).
    ///
    /// This is what a methodology's `survey` leaf rule reads before mapping a percentage to
    /// points.
    pub fn figure(&self, unit: &str, figure: &Figure) -> Option<Decimal> {
        let u = self.unit(unit)?;
        match figure {
            Figure::Overall => u.overall,
            Figure::Element(code) => u.elements.iter().find(|e| &e.element == code)?.index,
            Figure::Item(code) => u
                .items
                .iter()
                .find(|i| &i.item == code)?
                .share
                .and_then(times_hundred)
                .map(norm),
        }
    }

    /// Units whose overall index is strictly above `threshold` percent, out of units with an
    /// index ("18 of 19 departments above 96 %").
    pub fn count_above(&self, threshold: Decimal) -> ThresholdCount {
        let with: Vec<Decimal> = self.units.iter().filter_map(|u| u.overall).collect();
        ThresholdCount {
            threshold,
            above: with.iter().filter(|&&v| v > threshold).count() as u64,
            total: with.len() as u64,
        }
    }

    /// The items table: one row per unit and item.
    pub fn item_rows(&self) -> Vec<ItemRow> {
        self.units
            .iter()
            .flat_map(|u| {
                u.items.iter().map(move |i| ItemRow {
                    unit: u.unit.clone(),
                    item: i.item.clone(),
                    n: i.n,
                    n_missing: i.n_missing,
                    n_not_applicable: i.n_not_applicable,
                    satisfied: i.satisfied,
                    share: i.share,
                    se: i.se,
                    ci_low: i.ci_low,
                    ci_high: i.ci_high,
                    mean: i.mean,
                    n_eff: i.n_eff,
                    weighted_n: i.weighted_n,
                    levels: i.levels.clone(),
                })
            })
            .collect()
    }

    /// The elements table: one row per unit and element.
    pub fn element_rows(&self) -> Vec<ElementRow> {
        self.units
            .iter()
            .flat_map(|u| {
                u.elements.iter().map(move |e| ElementRow {
                    unit: u.unit.clone(),
                    element: e.element.clone(),
                    index: e.index,
                })
            })
            .collect()
    }

    /// The overall table: one row per unit.
    pub fn overall_rows(&self) -> Vec<OverallRow> {
        self.units
            .iter()
            .map(|u| OverallRow {
                unit: u.unit.clone(),
                group: u.group.clone(),
                index: u.overall,
                rank: u.rank,
                group_rank: u.group_rank,
            })
            .collect()
    }
}

impl CiMethod {
    /// Whether the method is one of statsmodels' binomial methods.
    pub fn is_binomial(self) -> bool {
        !self.is_design_based()
    }
}
