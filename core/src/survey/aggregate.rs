//! The mergeable aggregation state: counts and exact weight sums per unit, item and level.

use super::design::{Compiled, SurveyDesign};
use super::error::SurveyError;
use super::short_ids::{RecentIds, ShortKey};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

type UnitIndex = HashMap<Box<[u8]>, usize, foldhash::fast::RandomState>;

/// Most decimal places a weight may have (its square then has at most 28, a decimal's limit).
pub const MAX_WEIGHT_SCALE: u32 = 14;

/// The largest mantissa of a decimal (2^96 - 1).
pub(crate) const MAX_MANTISSA: i128 = (1i128 << 96) - 1;

pub(crate) fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

/// How responses are aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregateOptions {
    /// Use each response's design weight (then every response must carry a positive weight
    /// with at most [`MAX_WEIGHT_SCALE`] decimal places). Without it weights are ignored and
    /// every respondent counts 1. Weight sums are exact: integers at a common decimal scale,
    /// kept below a decimal's 96-bit mantissa per unit (an `overflow` error otherwise).
    #[serde(default)]
    pub weighted: bool,
}

/// One respondent's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The unit (agency, department, district) the respondent was served by.
    pub unit: String,
    /// Optional group of the unit (departments, districts); the same for all of a unit's rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Optional design weight (a positive decimal), used when aggregating with weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Answers by item code: a code of the scale, a missing or not-applicable code, or null
    /// (no answer). Items not listed are unanswered.
    #[serde(default)]
    pub answers: BTreeMap<String, Option<i64>>,
}

/// Reads a JSON array of [`Response`] objects.
pub fn responses_from_json(text: &str) -> Result<Vec<Response>, SurveyError> {
    serde_json::from_str(text).map_err(|e| SurveyError::Json {
        path: "responses".to_owned(),
        message: e.to_string(),
    })
}

/// Counts and sums for one unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnitState {
    pub(crate) id: String,
    pub(crate) group: Option<String>,
    pub(crate) respondents: u64,
    /// Sum of weights and of squared weights of all its respondents (bounds every per-level
    /// sum, so checking these two for overflow protects the rest). Weights are exact
    /// fixed-point integers: mantissas at the aggregator's weight scale (squares at twice it).
    pub(crate) weight_sum: i128,
    pub(crate) weight_sq_sum: i128,
    /// Per item, `levels + 2` counters: each level, then missing, then not applicable.
    pub(crate) counts: Vec<u64>,
    /// Per item and level, the sum of weight mantissas (empty when unweighted).
    pub(crate) wsum: Vec<i128>,
    /// Per item and level, the sum of squared weight mantissas (empty when unweighted).
    pub(crate) w2sum: Vec<i128>,
}

impl UnitState {
    pub(crate) fn new(id: &str, group: Option<&str>, c: &Compiled, weighted: bool) -> Self {
        let cells = c.n_items * c.n_levels;
        UnitState {
            id: id.to_owned(),
            group: group.map(str::to_owned),
            respondents: 0,
            weight_sum: 0,
            weight_sq_sum: 0,
            counts: vec![0; c.n_items * (c.n_levels + 2)],
            wsum: if weighted { vec![0; cells] } else { Vec::new() },
            w2sum: if weighted { vec![0; cells] } else { Vec::new() },
        }
    }
}

/// The aggregation state: a mergeable value.
///
/// Aggregating two chunks of rows and [`merge`](Aggregator::merge)-ing the states gives exactly
/// the state of aggregating all rows (counts are integers, weight sums exact decimals, as long as
/// sums fit the 28 significant digits of a decimal). Memory is proportional to units x items x
/// levels, never to respondents.
///
/// ```
/// use par_index::survey::{Aggregator, AggregateOptions, CiOptions, Response, SurveyDesign};
/// let design = SurveyDesign::from_item_codes(&["q1", "q2"])?;
/// let mut agg = Aggregator::new(&design, AggregateOptions::default())?;
/// agg.add_row("So Tu phap", None, None, &[Some(5), Some(3)])?;
/// agg.add_row("So Tu phap", None, None, &[Some(4), None])?;
/// let result = agg.finish(&CiOptions::default())?;
/// assert_eq!(result.units[0].items[0].satisfied, 2);
/// # Ok::<(), par_index::survey::SurveyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Aggregator {
    /// Shared by the states of one aggregation's threads: such a state is made without copying
    /// them, and states of the same design merge without comparing it field by field.
    pub(crate) design: Arc<SurveyDesign>,
    pub(crate) compiled: Arc<Compiled>,
    pub(crate) options: AggregateOptions,
    pub(crate) units: Vec<UnitState>,
    /// Decimal places of the weight mantissas (the largest seen; at most [`MAX_WEIGHT_SCALE`]).
    pub(crate) wscale: u32,
    /// Unit ids (as bytes, so raw CSV fields are looked up without checking UTF-8 first) to
    /// their state.
    index: UnitIndex,
    /// Raw unit fields of CSV rows (before trimming) to their state, asked before `index`.
    recent: RecentIds,
    last: Option<usize>,
    /// Scratch for one row's answer slots (see [`Compiled::slot`]).
    pub(crate) buf: Vec<u8>,
}

impl Aggregator {
    /// An empty state for a design (validated here).
    pub fn new(design: &SurveyDesign, options: AggregateOptions) -> Result<Self, SurveyError> {
        let compiled = Compiled::new(design)?;
        let buf = vec![compiled.slot(None); compiled.n_items];
        Ok(Aggregator {
            design: Arc::new(design.clone()),
            compiled: Arc::new(compiled),
            options,
            units: Vec::new(),
            wscale: 0,
            index: UnitIndex::default(),
            recent: RecentIds::default(),
            last: None,
            buf,
        })
    }

    /// An empty state of the same design and options (for the pieces read on one thread).
    pub(crate) fn empty_like(&self) -> Aggregator {
        Aggregator {
            design: Arc::clone(&self.design),
            compiled: Arc::clone(&self.compiled),
            options: self.options,
            units: Vec::new(),
            wscale: 0,
            index: UnitIndex::default(),
            recent: RecentIds::default(),
            last: None,
            buf: self.buf.clone(),
        }
    }

    /// Puts the units in the order of their first mention in `ids`; units not named follow in
    /// their order. (States read apart on threads are merged in thread order; this restores
    /// the order of the file.)
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn order_units<'a>(&mut self, ids: impl Iterator<Item = &'a str>) {
        let mut units: Vec<Option<UnitState>> = std::mem::take(&mut self.units).into_iter().map(Some).collect();
        let mut ordered = Vec::with_capacity(units.len());
        for id in ids {
            let unit = self.index.get(id.as_bytes()).and_then(|&i| units.get_mut(i)).and_then(Option::take);
            ordered.extend(unit);
        }
        ordered.extend(units.into_iter().flatten());
        self.index.clear();
        for (i, u) in ordered.iter().enumerate() {
            self.index.insert(u.id.as_bytes().into(), i);
        }
        self.units = ordered;
        // Both name units by their old places.
        self.recent = RecentIds::default();
        self.last = None;
    }

    /// A new unit (not seen before) with its group; returns its state's index.
    pub(crate) fn push_unit(&mut self, id: &str, group: Option<&str>) -> usize {
        let i = self.units.len();
        self.units.push(UnitState::new(id, group, &self.compiled, self.options.weighted));
        self.index.insert(id.as_bytes().into(), i);
        i
    }

    /// The index of a unit's state, if it has one.
    pub(crate) fn unit_index(&self, id: &str) -> Option<usize> {
        self.index.get(id.as_bytes()).copied()
    }

    /// The design aggregated over.
    pub fn design(&self) -> &SurveyDesign {
        &self.design
    }

    /// The options aggregated with.
    pub fn options(&self) -> AggregateOptions {
        self.options
    }

    /// Number of units seen.
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// Number of respondents added.
    pub fn respondent_count(&self) -> u64 {
        self.units.iter().map(|u| u.respondents).sum()
    }

    /// Puts all weight sums at `scale` decimal places (> the current scale). `Err` on overflow,
    /// leaving `self` unchanged.
    fn rescale(&mut self, scale: u32) -> Result<(), ()> {
        let f = pow10(scale - self.wscale);
        let f2 = f.checked_mul(f).ok_or(())?;
        let fits = |v: i128, k: i128| v.checked_mul(k).filter(|x| *x <= MAX_MANTISSA);
        if self
            .units
            .iter()
            .any(|u| fits(u.weight_sum, f).is_none() || fits(u.weight_sq_sum, f2).is_none())
        {
            return Err(());
        }
        for u in &mut self.units {
            u.weight_sum *= f;
            u.weight_sq_sum *= f2;
            u.wsum.iter_mut().for_each(|v| *v *= f);
            u.w2sum.iter_mut().for_each(|v| *v *= f2);
        }
        self.wscale = scale;
        Ok(())
    }

    /// Adds one response. Errors (unknown item, answer off the scale, bad weight, group
    /// conflict) leave the state unchanged.
    pub fn add(&mut self, response: &Response) -> Result<(), SurveyError> {
        for (code, _) in response.answers.iter() {
            if self.design.item_index(code).is_none() {
                return Err(SurveyError::UnknownItem {
                    path: format!("answers.{code}"),
                    code: code.clone(),
                });
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        let mut result = Ok(());
        for (i, item) in self.design.items.iter().enumerate() {
            buf[i] = self.compiled.slot(None);
            if let Some(Some(v)) = response.answers.get(&item.code) {
                match self.compiled.code(*v) {
                    Some(c) => buf[i] = self.compiled.slot(Some(c)),
                    None => {
                        result = Err(SurveyError::AnswerOutOfScale {
                            path: format!("answers.{}", item.code),
                            value: v.to_string(),
                        });
                        break;
                    }
                }
            }
        }
        if result.is_ok() {
            result = self.commit(
                &response.unit,
                response.group.as_deref(),
                response.weight,
                &buf,
                "",
            );
        }
        self.buf = buf;
        result
    }

    /// Adds one respondent from answers given in the design's item order (`None` = no answer).
    /// The fast path for tables; errors leave the state unchanged.
    pub fn add_row(
        &mut self,
        unit: &str,
        group: Option<&str>,
        weight: Option<Decimal>,
        answers: &[Option<i64>],
    ) -> Result<(), SurveyError> {
        if answers.len() != self.compiled.n_items {
            return Err(SurveyError::InvalidInput {
                path: "answers".to_owned(),
                message: format!(
                    "{} answers given for {} items",
                    answers.len(),
                    self.compiled.n_items
                ),
            });
        }
        let mut buf = std::mem::take(&mut self.buf);
        let mut result = Ok(());
        for (i, a) in answers.iter().enumerate() {
            buf[i] = match a {
                None => self.compiled.slot(None),
                Some(v) => match self.compiled.code(*v) {
                    Some(c) => self.compiled.slot(Some(c)),
                    None => {
                        result = Err(SurveyError::AnswerOutOfScale {
                            path: format!("answers.{}", self.design.items[i].code),
                            value: v.to_string(),
                        });
                        break;
                    }
                },
            };
        }
        if result.is_ok() {
            result = self.commit(unit, group, weight, &buf, "");
        }
        self.buf = buf;
        result
    }

    /// Resolves the unit (interning its id), checks weight and group, then counts the row.
    /// `slots` holds one answer slot per item ([`Compiled::slot`]). Nothing changes on error.
    pub(crate) fn commit(
        &mut self,
        unit: &str,
        group: Option<&str>,
        weight: Option<Decimal>,
        slots: &[u8],
        path: &str,
    ) -> Result<(), SurveyError> {
        self.commit_at(None, unit, group, weight, slots, path)
            .map(|_| ())
    }

    /// [`commit`](Aggregator::commit) for a caller that may already know the unit's state
    /// (`known`, from an earlier row of the same unit id): returns the state's index.
    pub(crate) fn commit_at(
        &mut self,
        known: Option<usize>,
        unit: &str,
        group: Option<&str>,
        weight: Option<Decimal>,
        slots: &[u8],
        path: &str,
    ) -> Result<usize, SurveyError> {
        if unit.is_empty() {
            return Err(SurveyError::MissingUnit {
                path: format!("{path}unit"),
            });
        }
        let w = if self.options.weighted {
            match weight {
                Some(w) if w > Decimal::ZERO => Some(w),
                other => {
                    return Err(SurveyError::BadWeight {
                        path: format!("{path}weight"),
                        value: other.map(|w| w.to_string()).unwrap_or_default(),
                    })
                }
            }
        } else {
            None
        };
        // Checks that depend on the row alone come before those that depend on earlier rows.
        let w = w.map(|w| w.normalize());
        if let Some(w) = w.filter(|w| w.scale() > MAX_WEIGHT_SCALE) {
            return Err(SurveyError::BadWeight {
                path: format!("{path}weight"),
                value: format!("{w} (more than {MAX_WEIGHT_SCALE} decimal places)"),
            });
        }
        // The unit's state, if it has one: checked first, created only once the row is known to
        // count (a rejected row leaves no trace, so row-by-row and merged pieces agree).
        let existing = match (known, self.last) {
            (Some(i), _) => Some(i),
            (None, Some(i)) if self.units[i].id == unit => Some(i),
            _ => self.index.get(unit.as_bytes()).copied(),
        };
        if let Some(i) = existing {
            let state = &self.units[i];
            let conflict = match (group, &state.group) {
                (Some(g), Some(first)) => first != g,
                (Some(_), None) | (None, Some(_)) => state.respondents > 0,
                (None, None) => false,
            };
            if conflict {
                return Err(SurveyError::GroupConflict {
                    path: format!("{path}group"),
                    unit: unit.to_owned(),
                    first: state.group.clone().unwrap_or_default(),
                    second: group.unwrap_or_default().to_owned(),
                });
            }
        }
        // The weight as an integer mantissa at the state's scale (rescaling the state when a
        // weight has more decimals than any before: the same sums, more decimals), its square,
        // and the unit's new totals, which must stay within a decimal's 96-bit mantissa so
        // that results convert exactly.
        let weight = match w {
            Some(w) => {
                if w.scale() > self.wscale {
                    self.rescale(w.scale()).map_err(|_| SurveyError::Overflow {
                        path: format!("{path}weight"),
                    })?;
                }
                let overflow = || SurveyError::Overflow {
                    path: format!("{path}weight"),
                };
                let m = w
                    .mantissa()
                    .checked_mul(pow10(self.wscale - w.scale()))
                    .ok_or_else(overflow)?;
                let m2 = m.checked_mul(m).ok_or_else(overflow)?;
                let (sum, sq_sum) = existing.map_or((0, 0), |i| {
                    (self.units[i].weight_sum, self.units[i].weight_sq_sum)
                });
                let fits = |a: i128, b: i128| a.checked_add(b).filter(|v| *v <= MAX_MANTISSA);
                let (Some(ws), Some(w2s)) = (fits(sum, m), fits(sq_sum, m2)) else {
                    return Err(overflow());
                };
                Some((m, m2, ws, w2s))
            }
            None => None,
        };
        let slot = match existing {
            Some(i) => i,
            None => {
                self.units.push(UnitState::new(
                    unit,
                    group,
                    &self.compiled,
                    self.options.weighted,
                ));
                let i = self.units.len() - 1;
                self.index.insert(unit.as_bytes().into(), i);
                i
            }
        };
        self.last = Some(slot);
        let c = &self.compiled;
        let state = &mut self.units[slot];
        if state.group.is_none() {
            state.group = group.map(str::to_owned);
        }
        let (w, w2) = match weight {
            Some((w, w2, ws, w2s)) => {
                state.weight_sum = ws;
                state.weight_sq_sum = w2s;
                (w, w2)
            }
            None => (1, 1),
        };
        state.respondents += 1;
        let n_levels = c.n_levels;
        let stride = n_levels + 2;
        let counts = &mut state.counts[..c.n_items * stride];
        let weighted = self.options.weighted;
        for (i, (&slot, filter)) in slots.iter().zip(&c.filters).enumerate() {
            let mut slot = usize::from(slot);
            if let Some((f, bits)) = *filter {
                // Only respondents whose filter answer is an allowed level are asked the item.
                let answer = slots.get(f).map_or(usize::MAX, |s| usize::from(*s));
                if answer >= n_levels || bits & (1u64 << answer) == 0 {
                    slot = n_levels + 1;
                }
            }
            if let Some(n) = counts.get_mut(i * stride + slot) {
                *n += 1;
            }
            if weighted && slot < n_levels {
                // Bounded by the unit totals checked above: cannot overflow.
                let k = i * n_levels + slot;
                if let (Some(a), Some(b)) = (state.wsum.get_mut(k), state.w2sum.get_mut(k)) {
                    *a += w;
                    *b += w2;
                }
            }
        }
        Ok(slot)
    }

    /// The state of a row's unit when the row can be counted by [`count_known`]
    /// (Aggregator::count_known) with exactly the outcome of [`commit`](Aggregator::commit):
    /// unweighted, no item filters, the unit (a trimmed UTF-8 id) already has a state and the
    /// row's group (trimmed; empty for none) is the unit's. `None` otherwise. `key` is the
    /// short key of the raw `unit` field, when it is short.
    pub(crate) fn counts_as_known(&mut self, unit: &[u8], key: Option<ShortKey>, group: Option<&[u8]>) -> Option<usize> {
        if self.options.weighted || self.compiled.has_filters {
            return None;
        }
        // The raw field's key maps to the state its trimmed id has (units are renumbered only by
        // `order_units`, which forgets these keys).
        let remembered = key.and_then(|k| self.recent.get(k)).map(|i| i as usize);
        let i = match remembered {
            Some(i) => i,
            None => {
                // A state's id is valid UTF-8: bytes equal to it are too.
                let id = unit.trim_ascii();
                let i = match self.last {
                    Some(i) if self.units[i].id.as_bytes() == id => i,
                    _ => self.index.get(id).copied()?,
                };
                if let (Some(k), Ok(v)) = (key, u32::try_from(i)) {
                    self.recent.remember(k, v);
                }
                i
            }
        };
        let group = group.map(<[u8]>::trim_ascii).filter(|g| !g.is_empty());
        if group != self.units[i].group.as_deref().map(str::as_bytes) {
            return None;
        }
        self.last = Some(i);
        Some(i)
    }

    /// Counts a row of a unit whose state is `state`, as [`counts_as_known`]
    /// (Aggregator::counts_as_known) allowed: one respondent, one answer slot per item. Not
    /// inlined: inside the line reader its loop compiled to 16 more instructions a row.
    #[inline(never)]
    pub(crate) fn count_known(&mut self, state: usize, slots: &[u8]) {
        let stride = self.compiled.n_levels + 2;
        let Some(unit) = self.units.get_mut(state) else {
            return;
        };
        unit.respondents += 1;
        for (counts, &slot) in unit.counts.chunks_exact_mut(stride).zip(slots) {
            if let Some(n) = counts.get_mut(usize::from(slot)) {
                *n += 1;
            }
        }
    }

    /// Merges another state of the same design and options into this one (units by id).
    /// Errors when designs or options differ, a unit's group differs, or sums overflow; on
    /// error `self` is unchanged.
    pub fn merge(&mut self, other: Aggregator) -> Result<(), SurveyError> {
        if !Arc::ptr_eq(&self.design, &other.design) && self.design != other.design {
            return Err(SurveyError::DesignMismatch {
                message: "the two states have different designs".to_owned(),
            });
        }
        if self.options != other.options {
            return Err(SurveyError::DesignMismatch {
                message: "the two states have different options".to_owned(),
            });
        }
        let mut other = other;
        let scale = self.wscale.max(other.wscale);
        // Rescale copies first, so that nothing changes on error.
        let mut mine = None;
        if self.wscale < scale {
            let mut copy = self.clone();
            copy.rescale(scale).map_err(|_| SurveyError::Overflow {
                path: "merge".to_owned(),
            })?;
            mine = Some(copy);
        }
        if other.wscale < scale {
            other.rescale(scale).map_err(|_| SurveyError::Overflow {
                path: "merge".to_owned(),
            })?;
        }
        let base = mine.as_ref().unwrap_or(self);
        // Check first, so that nothing changes on error.
        for o in &other.units {
            if let Some(&i) = base.index.get(o.id.as_bytes()) {
                let s = &base.units[i];
                let conflict = match (&s.group, &o.group) {
                    (Some(a), Some(b)) => a != b,
                    (None, None) => false,
                    _ => s.respondents > 0 && o.respondents > 0,
                };
                if conflict {
                    return Err(SurveyError::GroupConflict {
                        path: "merge".to_owned(),
                        unit: o.id.clone(),
                        first: s.group.clone().unwrap_or_default(),
                        second: o.group.clone().unwrap_or_default(),
                    });
                }
                let fits = |a: i128, b: i128| a.checked_add(b).is_some_and(|v| v <= MAX_MANTISSA);
                if !fits(s.weight_sum, o.weight_sum) || !fits(s.weight_sq_sum, o.weight_sq_sum) {
                    return Err(SurveyError::Overflow {
                        path: format!("merge, unit {}", o.id),
                    });
                }
            }
        }
        if let Some(copy) = mine {
            *self = copy;
        }
        for o in other.units {
            match self.index.get(o.id.as_bytes()) {
                Some(&i) => {
                    let s = &mut self.units[i];
                    if s.group.is_none() {
                        s.group = o.group;
                    }
                    s.respondents += o.respondents;
                    s.weight_sum += o.weight_sum;
                    s.weight_sq_sum += o.weight_sq_sum;
                    for (a, b) in s.counts.iter_mut().zip(o.counts) {
                        *a += b;
                    }
                    for (a, b) in s.wsum.iter_mut().zip(o.wsum) {
                        *a += b;
                    }
                    for (a, b) in s.w2sum.iter_mut().zip(o.w2sum) {
                        *a += b;
                    }
                }
                None => {
                    self.index.insert(o.id.as_bytes().into(), self.units.len());
                    self.units.push(o);
                }
            }
        }
        self.last = None;
        Ok(())
    }
}

/// Two states are equal when they hold the same design, options, units, counts and sums,
/// whatever order units were first seen in.
impl PartialEq for Aggregator {
    fn eq(&self, other: &Aggregator) -> bool {
        if self.design != other.design
            || self.options != other.options
            || self.wscale != other.wscale
            || self.units.len() != other.units.len()
        {
            return false;
        }
        self.units.iter().all(|u| {
            other
                .index
                .get(u.id.as_bytes())
                .is_some_and(|&j| other.units[j] == *u)
        })
    }
}
