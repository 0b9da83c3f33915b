//! The survey operations of the shared conformance cases (`conformance/cases/sipas-*.json`,
//! `ci-*.json`), run the same way by every binding.
//!
//! - `proportion_ci`: input `{successes, n, method, level}`, output `{low, high}`.
//! - `sipas`: input `{design | items, responses, options: {ci, level, weight}}`, output
//!   `{items, elements, overall, all}`: the row tables of [`SipasResult`](super::SipasResult)
//!   (decimals as strings, floats as numbers) and the all-units result.
//! - `sipas_csv`: input `{design | items, csv, options: {ci, level, unit_column, group_column,
//!   weight_column}}`, output as `sipas`. Strict: the first rejected row is the error
//!   ([`RowRejection::to_error`](super::RowRejection::to_error), code `csv_row`).

use super::aggregate::{AggregateOptions, Aggregator, Response};
use super::ci::{proportion_ci, CiMethod, CiOptions};
use super::csv::{aggregate_csv, CsvOptions};
use super::design::SurveyDesign;
use super::error::SurveyError;
use super::result::SipasResult;
use serde::Deserialize;
use serde_json::{json, Value};

fn input_error(path: &str, message: &str) -> SurveyError {
    SurveyError::InvalidInput {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn number(input: &Value, key: &str) -> Result<f64, SurveyError> {
    input
        .get(key)
        .and_then(Value::as_f64)
        .ok_or_else(|| input_error(key, "a number is required"))
}

fn method(input: &Value, key: &str) -> Result<CiMethod, SurveyError> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(CiMethod::default()),
        Some(Value::String(s)) => s.parse().map_err(|e| match e {
            SurveyError::BadOption { message, .. } => SurveyError::BadOption {
                path: key.to_owned(),
                message,
            },
            other => other,
        }),
        Some(_) => Err(input_error(key, "a method name is required")),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, SurveyError> {
    serde_json::to_value(value).map_err(|e| SurveyError::Json {
        path: String::new(),
        message: e.to_string(),
    })
}

/// Runs one conformance operation. `None` when `operation` is not a survey operation.
pub fn run_operation(operation: &str, input: &Value) -> Option<Result<Value, SurveyError>> {
    match operation {
        "proportion_ci" => Some(run_proportion_ci(input)),
        "sipas" => Some(run_sipas(input)),
        "sipas_csv" => Some(run_sipas_csv(input)),
        _ => None,
    }
}

fn run_proportion_ci(input: &Value) -> Result<Value, SurveyError> {
    let successes = number(input, "successes")?;
    let n = number(input, "n")?;
    let level = input.get("level").and_then(Value::as_f64).unwrap_or(0.95);
    let ci = proportion_ci(successes, n, method(input, "method")?, level)?;
    Ok(json!({"low": ci.low, "high": ci.high}))
}

/// The design of a survey case: `design` (an object) or `items` (a list of codes).
fn design_of(input: &Value) -> Result<SurveyDesign, SurveyError> {
    match (input.get("design"), input.get("items")) {
        (Some(d), _) => SurveyDesign::from_value(d),
        (None, Some(Value::Array(codes))) => {
            let codes = codes
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    c.as_str().ok_or_else(|| {
                        input_error(&format!("items[{i}]"), "an item code is required")
                    })
                })
                .collect::<Result<Vec<&str>, _>>()?;
            SurveyDesign::from_item_codes(&codes)
        }
        _ => Err(input_error(
            "design",
            "a design or a list of items is required",
        )),
    }
}

/// The interval options of a survey case's `options`.
fn ci_of(options: &Value) -> Result<CiOptions, SurveyError> {
    Ok(CiOptions {
        method: method(options, "ci")?,
        level: options.get("level").and_then(Value::as_f64).unwrap_or(0.95),
    })
}

/// The output of both survey aggregation operations.
fn result_json(result: &SipasResult) -> Result<Value, SurveyError> {
    Ok(json!({
        "items": to_json(&result.item_rows())?,
        "elements": to_json(&result.element_rows())?,
        "overall": to_json(&result.overall_rows())?,
        "all": to_json(&result.all)?,
        "groups": to_json(&result.groups)?,
    }))
}

fn run_sipas(input: &Value) -> Result<Value, SurveyError> {
    let design = design_of(input)?;
    let options = input.get("options").cloned().unwrap_or(Value::Null);
    let ci = ci_of(&options)?;
    let weighted = options
        .get("weight")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut agg = Aggregator::new(&design, AggregateOptions { weighted })?;
    let responses = input
        .get("responses")
        .and_then(Value::as_array)
        .ok_or_else(|| input_error("responses", "a list is required"))?;
    for (k, r) in responses.iter().enumerate() {
        let path = format!("responses[{k}]");
        let response = Response::deserialize(r).map_err(|e| SurveyError::Json {
            path: path.clone(),
            message: e.to_string(),
        })?;
        agg.add(&response).map_err(|e| prefix(e, &path))?;
    }
    result_json(&agg.finish(&ci)?)
}

fn run_sipas_csv(input: &Value) -> Result<Value, SurveyError> {
    let design = design_of(input)?;
    let options = input.get("options").cloned().unwrap_or(Value::Null);
    let ci = ci_of(&options)?;
    let column = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut csv = CsvOptions::new(column("unit_column").unwrap_or_else(|| "unit".to_owned()));
    csv.group_column = column("group_column");
    csv.weight_column = column("weight_column");
    let text = input
        .get("csv")
        .and_then(Value::as_str)
        .ok_or_else(|| input_error("csv", "the CSV text is required"))?;
    let (agg, report) = aggregate_csv(text.as_bytes(), &design, &csv)?;
    if let Some(rejected) = report.rejections.first() {
        return Err(rejected.to_error());
    }
    result_json(&agg.finish(&ci)?)
}

/// Puts `responses[k].` in front of an error's path.
fn prefix(e: SurveyError, path: &str) -> SurveyError {
    let join = |p: String| {
        if p.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{p}")
        }
    };
    match e {
        SurveyError::UnknownItem { path: p, code } => SurveyError::UnknownItem {
            path: join(p),
            code,
        },
        SurveyError::AnswerOutOfScale { path: p, value } => SurveyError::AnswerOutOfScale {
            path: join(p),
            value,
        },
        SurveyError::BadWeight { path: p, value } => SurveyError::BadWeight {
            path: join(p),
            value,
        },
        SurveyError::MissingUnit { path: p } => SurveyError::MissingUnit { path: join(p) },
        SurveyError::GroupConflict {
            path: p,
            unit,
            first,
            second,
        } => SurveyError::GroupConflict {
            path: join(p),
            unit,
            first,
            second,
        },
        SurveyError::Overflow { path: p } => SurveyError::Overflow { path: join(p) },
        other => other,
    }
}
