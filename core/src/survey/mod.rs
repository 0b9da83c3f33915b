//! SIPAS: satisfaction-survey aggregation, from raw answers to published indices.
//!
//! A [`SurveyDesign`] says what is asked (items in elements), on which scale, which levels count
//! as satisfied and how element and overall indices are formed. Responses are added to an
//! [`Aggregator`] (from [`Response`] values, plain rows, or a streamed CSV file via
//! [`aggregate_csv`]); states merge exactly, so chunks can be aggregated apart. [`Aggregator::finish`]
//! gives a [`SipasResult`]: per unit, group and all units, per item the counts at each level,
//! valid and missing n, share satisfied, mean, weighted n, Kish effective n, standard error and
//! confidence interval; per element and overall the index in percent; ranks; thresholds.
//!
//! Intervals ([`CiMethod`]) equal statsmodels' `proportion_confint` (Wilson, Clopper-Pearson,
//! Jeffreys, Agresti-Coull, normal) and, for weighted data, R survey's `svyciprop` (logit and
//! Korn-Graubard beta) with each unit a domain of the item's weights-only design
//! `svydesign(ids = ~1, weights = ~w)` over the respondents with a valid answer.
//!
//! Defaults that the sources leave open (see the domain notes) are settings: satisfied levels
//! 4 and 5; an element's index the mean of its items' shares; the overall index the mean of the
//! element indices; missing and not-applicable answers left out of denominators.
//!
//! ```
//! use par_index::survey::{Aggregator, AggregateOptions, CiMethod, CiOptions, Figure, SurveyDesign};
//! let design = SurveyDesign::from_item_codes(&["q1", "q2"])?;
//! let mut agg = Aggregator::new(&design, AggregateOptions::default())?;
//! for (unit, a, b) in [("A", 5, 4), ("A", 4, 2), ("B", 3, 5)] {
//!     agg.add_row(unit, None, None, &[Some(a), Some(b)])?;
//! }
//! let result = agg.finish(&CiOptions { method: CiMethod::Wilson, level: 0.95 })?;
//! // A: q1 100 %, q2 50 % -> overall 75.
//! assert_eq!(result.figure("A", &Figure::Overall), Some("75".parse().unwrap()));
//! assert_eq!(result.count_above("60".parse().unwrap()).above, 1);
//! # Ok::<(), par_index::survey::SurveyError>(())
//! ```

mod aggregate;
mod ci;
pub mod columns;
pub mod conformance;
mod count_columns;
mod csv;
mod csv_answers;
mod csv_block;
// Not in the WebAssembly build: its size budget (the results are the same without it).
#[cfg(not(target_arch = "wasm32"))]
mod csv_common;
// Reading while other threads add what was read: threads, so not in the WebAssembly build.
#[cfg(not(target_arch = "wasm32"))]
mod csv_pipeline;
mod csv_plain;
mod csv_split;
mod design;
pub mod factorize;
pub mod dist;
mod error;
mod exact;
mod result;
mod short_ids;

pub use aggregate::{
    responses_from_json, AggregateOptions, Aggregator, Response, MAX_WEIGHT_SCALE,
};
pub use ci::{proportion_ci, CiMethod, CiOptions, Interval};
pub use csv::{aggregate_csv, CsvOptions, RowRejection, RowReport};
pub use design::{default_scale, Element, ElementRule, Item, Level, OverallRule, SurveyDesign};
pub use error::SurveyError;
pub use result::{
    ElementResult, ElementRow, Figure, ItemResult, ItemRow, OverallRow, SipasResult,
    ThresholdCount, UnitResult,
};

use rust_decimal::Decimal;

/// The sample size of the SIPAS method (1383-era guidance, Yamane's formula):
/// n = N / (1 + N e²), rounded up to a whole respondent, for `population` N transactions in the
/// period and margin of error `margin` e (0.05 for 5 %).
///
/// ```
/// use par_index::survey::sample_size;
/// assert_eq!(sample_size(10_000, "0.05".parse().unwrap())?, 385);
/// # Ok::<(), par_index::survey::SurveyError>(())
/// ```
pub fn sample_size(population: u64, margin: Decimal) -> Result<u64, SurveyError> {
    if margin <= Decimal::ZERO || margin >= Decimal::ONE {
        return Err(SurveyError::BadOption {
            path: "margin".to_owned(),
            message: format!("margin of error {margin} must be strictly between 0 and 1"),
        });
    }
    let overflow = || SurveyError::Overflow {
        path: "sample_size".to_owned(),
    };
    let n = Decimal::from(population);
    let e2 = margin.checked_mul(margin).ok_or_else(overflow)?;
    let denom = n
        .checked_mul(e2)
        .and_then(|x| x.checked_add(Decimal::ONE))
        .ok_or_else(overflow)?;
    let size = n.checked_div(denom).ok_or_else(overflow)?.ceil();
    u64::try_from(size).map_err(|_| overflow())
}
