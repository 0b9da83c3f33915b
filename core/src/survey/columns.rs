//! Column-wise input and a portable aggregation state, for data-frame bindings.
//!
//! [`ResponseColumns`] hands the [`Aggregator`] a table as data frames hold it: unit and group
//! ids factorized to integer codes (as `pandas.factorize` gives them, `-1` for none), optional
//! weights, and one `f64` column per item (`NaN` for no answer). No string is built per row.
//!
//! [`Aggregator::to_state_json`] and [`Aggregator::from_state_json`] carry a state between
//! processes (pickling in Python, workers of Dask or Spark), so partial states can be merged.
//!
//! ```
//! use par_index::survey::{Aggregator, AggregateOptions, CiOptions, SurveyDesign};
//! use par_index::survey::columns::ResponseColumns;
//! let design = SurveyDesign::from_item_codes(&["q1", "q2"])?;
//! let mut agg = Aggregator::new(&design, AggregateOptions::default())?;
//! let names = vec!["A".to_owned(), "B".to_owned()];
//! let q1 = [5.0, 4.0, 3.0];
//! let q2 = [4.0, f64::NAN, 5.0];
//! agg.add_columns(&ResponseColumns {
//!     units: &[0, 0, 1], unit_names: &names, groups: None, group_names: &[], weights: None,
//!     answers: &[&q1, &q2], first_row: 0,
//! })?;
//! let copy = Aggregator::from_state_json(&agg.to_state_json())?;
//! assert!(copy == agg);
//! let result = copy.finish(&CiOptions::default())?;
//! assert_eq!(result.units[0].items[0].satisfied, 2);
//! # Ok::<(), par_index::survey::SurveyError>(())
//! ```

use super::aggregate::{
    pow10, AggregateOptions, Aggregator, UnitState, MAX_MANTISSA, MAX_WEIGHT_SCALE,
};
use super::design::SurveyDesign;
use super::error::SurveyError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A table of responses, column by column. All per-row slices have the same length.
#[derive(Debug, Clone, Copy)]
pub struct ResponseColumns<'a> {
    /// Per row, the index of its unit in `unit_names` (`-1` or out of range: no unit, an error).
    pub units: &'a [i64],
    /// Unit ids.
    pub unit_names: &'a [String],
    /// Per row, the index of its group in `group_names` (`-1`: no group), if there is a group
    /// column.
    pub groups: Option<&'a [i64]>,
    /// Group names.
    pub group_names: &'a [String],
    /// Per row, the design weight (used when aggregating with weights; `NaN` for none).
    pub weights: Option<&'a [f64]>,
    /// One column per item of the design, in design order: the answer code as a float
    /// (integral), `NaN` for no answer.
    pub answers: &'a [&'a [f64]],
    /// The number of the first row, for error paths (`row {first_row + k}`).
    pub first_row: u64,
}

fn with_path(e: SurveyError, row: &str) -> SurveyError {
    let at = |column: &str| format!("{row}, column {column}");
    match e {
        SurveyError::MissingUnit { .. } => SurveyError::MissingUnit { path: at("unit") },
        SurveyError::BadWeight { value, .. } => SurveyError::BadWeight {
            path: at("weight"),
            value,
        },
        SurveyError::GroupConflict {
            unit,
            first,
            second,
            ..
        } => SurveyError::GroupConflict {
            path: at("group"),
            unit,
            first,
            second,
        },
        SurveyError::Overflow { .. } => SurveyError::Overflow { path: at("weight") },
        other => other,
    }
}

/// A finite float as an exact decimal of its shortest representation (`0.1` is `0.1`).
pub(crate) fn weight_decimal(w: f64) -> Option<Decimal> {
    if !w.is_finite() {
        return None;
    }
    // Fast path: the fewest decimals (up to 6) whose integer scaling reads back as `w`, which is
    // the shortest representation for weights of ordinary size.
    let mut scale = 1.0_f64;
    for places in 0..=6u32 {
        let x = (w * scale).round();
        if x.abs() < 9.0e15 && x / scale == w {
            #[allow(clippy::cast_possible_truncation)]
            return Some(Decimal::new(x as i64, places));
        }
        scale *= 10.0;
    }
    let text = format!("{w:?}");
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(&text).ok()
    } else {
        Decimal::from_str(&text).ok()
    }
}

impl Aggregator {
    /// Adds every row of a column-wise table; returns the number of rows added. Rows are
    /// added in order; on the first bad row the error names it (`row 17, column q5`) and the
    /// rows before it stay added.
    pub fn add_columns(&mut self, cols: &ResponseColumns<'_>) -> Result<u64, SurveyError> {
        let n_items = self.compiled.n_items;
        let rows = cols.units.len();
        if cols.answers.len() != n_items {
            return Err(SurveyError::InvalidInput {
                path: "answers".to_owned(),
                message: format!(
                    "{} answer columns given for {} items",
                    cols.answers.len(),
                    n_items
                ),
            });
        }
        let short = |name: &str, len: usize| -> Result<(), SurveyError> {
            if len == rows {
                Ok(())
            } else {
                Err(SurveyError::InvalidInput {
                    path: name.to_owned(),
                    message: format!("column has {len} rows, the unit column {rows}"),
                })
            }
        };
        for (i, a) in cols.answers.iter().enumerate() {
            short(&self.design.items[i].code, a.len())?;
        }
        if let Some(g) = cols.groups {
            short("group", g.len())?;
        }
        if let Some(w) = cols.weights {
            short("weight", w.len())?;
        }
        // Counted column by column into a new state, merged; row by row when a row is bad.
        if let Some(fresh) = self.count_columns(cols) {
            if self.merge(fresh).is_ok() {
                return Ok(rows as u64);
            }
        }
        self.add_columns_in_order(cols)
    }

    /// Adds the rows one by one, in order (lengths already checked).
    pub(crate) fn add_columns_in_order(&mut self, cols: &ResponseColumns<'_>) -> Result<u64, SurveyError> {
        let n_items = self.compiled.n_items;
        let rows = cols.units.len();
        // Rows go in blocks: each answer column is converted block-wise (sequential reads of
        // one column at a time), then the block's rows are counted one by one.
        const BLOCK: usize = 512;
        let missing = self.compiled.slot(None);
        let mut codes: Vec<u8> = vec![missing; n_items * BLOCK];
        // Each unit's state once known, by unit code: no id is hashed per row.
        let mut unit_states: Vec<Option<usize>> = vec![None; cols.unit_names.len()];
        let mut start = 0;
        while start < rows {
            let mut end = (start + BLOCK).min(rows);
            // The earliest answer off the scale in this block (row, then design order): the rows
            // before it are still added, then it is reported.
            let mut bad: Option<(usize, SurveyError)> = None;
            for (i, column) in cols.answers.iter().enumerate() {
                for (j, &v) in column[start..end].iter().enumerate() {
                    let Some(slot) = self.compiled.float_slot(v) else {
                        if bad.as_ref().is_none_or(|(row, _)| start + j < *row) {
                            let e = SurveyError::AnswerOutOfScale {
                                path: format!(
                                    "row {}, column {}",
                                    cols.first_row + (start + j) as u64,
                                    self.design.items[i].code
                                ),
                                value: format!("{v}"),
                            };
                            bad = Some((start + j, e));
                        }
                        break;
                    };
                    codes[j * n_items + i] = slot;
                }
            }
            if let Some((row, _)) = &bad {
                end = *row;
            }
            for k in start..end {
                let row = cols.first_row + k as u64;
                let code = usize::try_from(cols.units[k]).ok();
                let unit = code.and_then(|u| cols.unit_names.get(u));
                let (Some(code), Some(unit)) = (code, unit) else {
                    return Err(SurveyError::MissingUnit {
                        path: format!("row {row}, column unit"),
                    });
                };
                let group = cols
                    .groups
                    .and_then(|g| usize::try_from(g[k]).ok())
                    .and_then(|g| cols.group_names.get(g))
                    .map(String::as_str);
                let weight = if self.options.weighted {
                    let w = cols.weights.and_then(|w| weight_decimal(w[k]));
                    if w.is_none() {
                        let text = cols
                            .weights
                            .map(|w| format!("{}", w[k]))
                            .unwrap_or_default();
                        return Err(SurveyError::BadWeight {
                            path: format!("row {row}, column weight"),
                            value: text,
                        });
                    }
                    w
                } else {
                    None
                };
                let j = k - start;
                let known = unit_states.get(code).copied().flatten();
                let state = self
                    .commit_at(
                        known,
                        unit,
                        group,
                        weight,
                        &codes[j * n_items..(j + 1) * n_items],
                        "",
                    )
                    .map_err(|e| with_path(e, &format!("row {row}")))?;
                if let Some(s) = unit_states.get_mut(code) {
                    *s = Some(state);
                }
            }
            if let Some((_, e)) = bad {
                return Err(e);
            }
            start = end;
        }
        Ok(rows as u64)
    }

    /// The state as JSON text: design, options and per-unit counts and exact sums.
    pub fn to_state_json(&self) -> String {
        // Unit sums are below 2^96 at scales of at most 28 (checked when added): exact decimals.
        let (s1, s2) = (self.wscale, 2 * self.wscale);
        let dec =
            |v: i128, scale: u32| Decimal::try_from_i128_with_scale(v, scale).unwrap_or_default();
        let state = State {
            format: 1,
            design: SurveyDesign::clone(&self.design),
            options: self.options,
            weight_scale: Some(self.wscale),
            units: self
                .units
                .iter()
                .map(|u| UnitStateJson {
                    id: u.id.clone(),
                    group: u.group.clone(),
                    respondents: u.respondents,
                    weight_sum: dec(u.weight_sum, s1),
                    weight_sq_sum: dec(u.weight_sq_sum, s2),
                    counts: u.counts.clone(),
                    wsum: u.wsum.iter().map(|v| dec(*v, s1)).collect(),
                    w2sum: u.w2sum.iter().map(|v| dec(*v, s2)).collect(),
                })
                .collect(),
        };
        serde_json::to_string(&state).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads a state written by [`to_state_json`](Aggregator::to_state_json).
    pub fn from_state_json(text: &str) -> Result<Aggregator, SurveyError> {
        let state: State = serde_json::from_str(text).map_err(|e| SurveyError::Json {
            path: "state".to_owned(),
            message: e.to_string(),
        })?;
        let mut agg = Aggregator::new(&state.design, state.options)?;
        // The common weight scale: enough decimals for every sum (squares at twice it).
        let mut wscale = state.weight_scale.unwrap_or(0);
        for u in &state.units {
            for d in u.wsum.iter().chain([&u.weight_sum]) {
                wscale = wscale.max(d.scale());
            }
            for d in u.w2sum.iter().chain([&u.weight_sq_sum]) {
                wscale = wscale.max(d.scale().div_ceil(2));
            }
        }
        if wscale > MAX_WEIGHT_SCALE {
            return Err(SurveyError::InvalidInput {
                path: "state".to_owned(),
                message: format!(
                    "weight sums with more than {} decimal places",
                    2 * MAX_WEIGHT_SCALE
                ),
            });
        }
        let to_int = |d: &Decimal, scale: u32, path: &str| -> Result<i128, SurveyError> {
            scale
                .checked_sub(d.scale())
                .and_then(|k| d.mantissa().checked_mul(pow10(k)))
                .filter(|v| (0..=MAX_MANTISSA).contains(v))
                .ok_or_else(|| SurveyError::InvalidInput {
                    path: path.to_owned(),
                    message: format!("weight sum {d} out of range"),
                })
        };
        let n_items = agg.compiled.n_items;
        let n_levels = agg.compiled.n_levels;
        let blank: Vec<u8> = vec![agg.compiled.slot(None); n_items];
        for (k, u) in state.units.into_iter().enumerate() {
            let path = format!("state.units[{k}]");
            let cells = if state.options.weighted {
                n_items * n_levels
            } else {
                0
            };
            if u.counts.len() != n_items * (n_levels + 2)
                || u.wsum.len() != cells
                || u.w2sum.len() != cells
            {
                return Err(SurveyError::InvalidInput {
                    path,
                    message: "counts do not fit the design".to_owned(),
                });
            }
            // Registers the unit (and its group) with one blank row, then sets its state.
            let before = agg.units.len();
            agg.commit(&u.id, u.group.as_deref(), Some(Decimal::ONE), &blank, "")
                .map_err(|e| with_path(e, &path))?;
            if agg.units.len() != before + 1 {
                return Err(SurveyError::InvalidInput {
                    path,
                    message: format!("unit {:?} is listed twice", u.id),
                });
            }
            let ints = |v: &[Decimal], scale: u32| {
                v.iter()
                    .map(|d| to_int(d, scale, &path))
                    .collect::<Result<Vec<_>, _>>()
            };
            agg.units[before] = UnitState {
                weight_sum: to_int(&u.weight_sum, wscale, &path)?,
                weight_sq_sum: to_int(&u.weight_sq_sum, 2 * wscale, &path)?,
                wsum: ints(&u.wsum, wscale)?,
                w2sum: ints(&u.w2sum, 2 * wscale)?,
                id: u.id,
                group: u.group,
                respondents: u.respondents,
                counts: u.counts,
            };
        }
        agg.wscale = wscale;
        Ok(agg)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    format: u32,
    design: SurveyDesign,
    options: AggregateOptions,
    /// Decimal places of the weight sums (squares: twice that).
    #[serde(default)]
    weight_scale: Option<u32>,
    units: Vec<UnitStateJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitStateJson {
    id: String,
    group: Option<String>,
    respondents: u64,
    weight_sum: Decimal,
    weight_sq_sum: Decimal,
    counts: Vec<u64>,
    wsum: Vec<Decimal>,
    w2sum: Vec<Decimal>,
}
