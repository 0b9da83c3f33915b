//! SIPAS: `SurveyDesign`, `sipas(responses, design, options)` over rows or CSV text, and
//! `proportionCi`.

use crate::convert::{opt_f64, put_decimal, rows, to_json};
use crate::error::{from_survey, invalid_argument, JsResult};
use par_index::survey::{
    aggregate_csv, proportion_ci, AggregateOptions, Aggregator, CiMethod, CiOptions, CsvOptions,
    Response, RowReport, SipasResult, SurveyDesign, SurveyError,
};
use par_index::Decimal;
use serde::Deserialize;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::str::FromStr;
use wasm_bindgen::prelude::wasm_bindgen;

/// A validated survey design.
#[wasm_bindgen]
pub struct WasmSurveyDesign {
    inner: SurveyDesign,
}

#[wasm_bindgen]
impl WasmSurveyDesign {
    /// Reads and validates a design from JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<WasmSurveyDesign> {
        SurveyDesign::from_json(text)
            .map(|inner| WasmSurveyDesign { inner })
            .map_err(|e| from_survey(&e))
    }

    /// Reads and validates a design from JSON text of an object given by JavaScript (errors
    /// name the path `design`, as for a design inside a larger input).
    #[wasm_bindgen(js_name = fromValue)]
    pub fn from_value(text: &str) -> JsResult<WasmSurveyDesign> {
        let value: Json =
            serde_json::from_str(text).map_err(|e| invalid_argument("design", &e.to_string()))?;
        SurveyDesign::from_value(&value)
            .map(|inner| WasmSurveyDesign { inner })
            .map_err(|e| from_survey(&e))
    }

    /// A design of one item (and element) per code, from JSON text of an array of codes.
    #[wasm_bindgen(js_name = fromItems)]
    pub fn from_items(codes: &str) -> JsResult<WasmSurveyDesign> {
        let codes: Vec<String> =
            serde_json::from_str(codes).map_err(|e| invalid_argument("design", &e.to_string()))?;
        SurveyDesign::from_item_codes(&codes)
            .map(|inner| WasmSurveyDesign { inner })
            .map_err(|e| from_survey(&e))
    }

    /// The design as JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.inner).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Items `{code, label, element, part}` as JSON text.
    pub fn items(&self) -> String {
        rows(self
            .inner
            .items
            .iter()
            .map(|i| json!({"code": i.code, "label": to_json(&i.label), "element": i.element, "part": i.part}))
            .collect())
    }

    /// Elements `{code, label}` as JSON text.
    pub fn elements(&self) -> String {
        rows(
            self.inner
                .elements
                .iter()
                .map(|e| json!({"code": e.code, "label": to_json(&e.label)}))
                .collect(),
        )
    }

    /// The scale `{code, label, satisfied}` as JSON text.
    pub fn scale(&self) -> String {
        rows(self
            .inner
            .scale
            .iter()
            .map(|l| json!({"code": l.code, "label": to_json(&l.label), "satisfied": self.inner.satisfied.contains(&l.code)}))
            .collect())
    }
}

/// Options as JavaScript gives them.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct JsSipasOptions {
    unit: Option<String>,
    group: Option<String>,
    weight: Option<Json>,
    ci: Option<String>,
    level: Option<f64>,
    delimiter: Option<char>,
}

impl JsSipasOptions {
    fn ci(&self) -> JsResult<CiOptions> {
        let method = match &self.ci {
            None => CiMethod::default(),
            Some(s) => CiMethod::from_str(s).map_err(|e| from_survey(&e))?,
        };
        Ok(CiOptions {
            method,
            level: self.level.unwrap_or(0.95),
        })
    }

    /// The weight column: `Some(name)` when weighting (`true` means the column `weight`).
    fn weight_column(&self) -> JsResult<Option<String>> {
        match &self.weight {
            None | Some(Json::Null) | Some(Json::Bool(false)) => Ok(None),
            Some(Json::Bool(true)) => Ok(Some("weight".to_owned())),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid_argument(
                "options.weight",
                "a column name or a boolean is required",
            )),
        }
    }
}

/// Results of a SIPAS aggregation and, for CSV input, what happened to each row.
#[wasm_bindgen]
pub struct WasmSipasResult {
    result: SipasResult,
    report: RowReport,
}

fn parse_options(options: &str) -> JsResult<JsSipasOptions> {
    serde_json::from_str(options).map_err(|e| invalid_argument("options", &e.to_string()))
}

/// A cell as an answer: null, empty text or absent is no answer; integers (or integer text)
/// are codes.
fn answer(v: Option<&Json>, path: &str) -> JsResult<Option<i64>> {
    match v {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| invalid_argument(path, &format!("{n} is not a whole answer code"))),
        Some(Json::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Json::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| invalid_argument(path, &format!("{s:?} is not a whole answer code"))),
        Some(_) => Err(invalid_argument(
            path,
            "an answer code, text or null is required",
        )),
    }
}

fn cell_text(v: Option<&Json>) -> Option<String> {
    match v {
        Some(Json::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// One row as a response: a `Response` object (with `answers`) or a flat row of columns.
fn response(
    row: &Json,
    k: usize,
    design: &SurveyDesign,
    o: &JsSipasOptions,
    weight_col: Option<&str>,
    ignored: &mut Vec<String>,
) -> JsResult<Response> {
    let at = format!("responses[{k}]");
    let Json::Object(map) = row else {
        return Err(invalid_argument(&at, "an object is required"));
    };
    if map.contains_key("answers") {
        return Response::deserialize(row).map_err(|e| {
            from_survey(&SurveyError::Json {
                path: at.clone(),
                message: e.to_string(),
            })
        });
    }
    let unit_col = o.unit.as_deref().unwrap_or("unit");
    let unit = cell_text(map.get(unit_col))
        .ok_or_else(|| invalid_argument(&format!("{at}.{unit_col}"), "a unit id is required"))?;
    let group = o.group.as_deref().and_then(|g| cell_text(map.get(g)));
    let weight = match weight_col {
        None => None,
        Some(w) => {
            let text = cell_text(map.get(w))
                .ok_or_else(|| invalid_argument(&format!("{at}.{w}"), "a weight is required"))?;
            Some(
                Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_err(|_| {
                        invalid_argument(&format!("{at}.{w}"), &format!("{text:?} is not a number"))
                    })?,
            )
        }
    };
    let mut answers = BTreeMap::new();
    for item in &design.items {
        answers.insert(
            item.code.clone(),
            answer(map.get(&item.code), &format!("{at}.{}", item.code))?,
        );
    }
    for key in map.keys() {
        let known = key == unit_col
            || Some(key.as_str()) == o.group.as_deref()
            || Some(key.as_str()) == weight_col;
        if !known && design.item_index(key).is_none() && !ignored.contains(key) {
            ignored.push(key.clone());
        }
    }
    Ok(Response {
        unit,
        group,
        weight,
        answers,
    })
}

/// Puts `prefix` in front of a survey error's path.
fn survey_error_at(e: &par_index::survey::SurveyError, prefix: &str) -> wasm_bindgen::JsValue {
    let path = e.path();
    let path = if path.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}.{path}")
    };
    crate::error::encode_survey(e, &path)
}

/// Aggregates rows (JSON text of an array of objects).
#[wasm_bindgen(js_name = sipasRows)]
pub fn sipas_rows(
    responses: &str,
    design: &WasmSurveyDesign,
    options: &str,
) -> JsResult<WasmSipasResult> {
    let o = parse_options(options)?;
    let ci = o.ci()?;
    let rows: Vec<Json> = serde_json::from_str(responses)
        .map_err(|e| invalid_argument("responses", &e.to_string()))?;
    let weight = o.weight_column()?;
    let mut agg = Aggregator::new(
        &design.inner,
        AggregateOptions {
            weighted: weight.is_some(),
        },
    )
    .map_err(|e| from_survey(&e))?;
    let mut ignored = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let r = response(row, k, &design.inner, &o, weight.as_deref(), &mut ignored)?;
        agg.add(&r)
            .map_err(|e| survey_error_at(&e, &format!("responses[{k}]")))?;
    }
    let result = agg.finish(&ci).map_err(|e| from_survey(&e))?;
    let n = rows.len() as u64;
    let report = RowReport {
        rows_read: n,
        rows_used: n,
        rows_rejected: 0,
        rejections: Vec::new(),
        ignored_columns: ignored,
    };
    Ok(WasmSipasResult { result, report })
}

/// Aggregates CSV text (header row first); rejected rows are listed in the report.
#[wasm_bindgen(js_name = sipasCsv)]
pub fn sipas_csv(
    text: &str,
    design: &WasmSurveyDesign,
    options: &str,
) -> JsResult<WasmSipasResult> {
    let o = parse_options(options)?;
    let ci = o.ci()?;
    let mut csv = CsvOptions::new(o.unit.clone().unwrap_or_else(|| "unit".to_owned()));
    csv.group_column = o.group.clone();
    csv.weight_column = o.weight_column()?;
    if let Some(d) = o.delimiter {
        csv.delimiter = u8::try_from(d).map_err(|_| {
            invalid_argument("options.delimiter", "a single ASCII character is required")
        })?;
    }
    let (agg, report) =
        aggregate_csv(text.as_bytes(), &design.inner, &csv).map_err(|e| from_survey(&e))?;
    let result = agg.finish(&ci).map_err(|e| from_survey(&e))?;
    Ok(WasmSipasResult { result, report })
}

#[wasm_bindgen]
impl WasmSipasResult {
    /// One row per unit and item as JSON text.
    pub fn items(&self) -> String {
        let out = self
            .result
            .item_rows()
            .into_iter()
            .map(|r| {
                let mut row = Map::new();
                row.insert("unit".into(), Json::String(r.unit));
                row.insert("item".into(), Json::String(r.item));
                row.insert("n".into(), json!(r.n));
                row.insert("nMissing".into(), json!(r.n_missing));
                row.insert("nNotApplicable".into(), json!(r.n_not_applicable));
                row.insert("satisfied".into(), json!(r.satisfied));
                put_decimal(&mut row, "share", r.share);
                row.insert("se".into(), opt_f64(r.se));
                row.insert("ciLow".into(), opt_f64(r.ci_low));
                row.insert("ciHigh".into(), opt_f64(r.ci_high));
                put_decimal(&mut row, "mean", r.mean);
                row.insert("nEff".into(), opt_f64(r.n_eff));
                put_decimal(&mut row, "weightedN", Some(r.weighted_n));
                row.insert("levels".into(), json!(r.levels));
                Json::Object(row)
            })
            .collect();
        rows(out)
    }

    /// One row per unit and element as JSON text.
    pub fn elements(&self) -> String {
        let out = self
            .result
            .element_rows()
            .into_iter()
            .map(|r| {
                let mut row = Map::new();
                row.insert("unit".into(), Json::String(r.unit));
                row.insert("element".into(), Json::String(r.element));
                put_decimal(&mut row, "index", r.index);
                Json::Object(row)
            })
            .collect();
        rows(out)
    }

    /// One row per unit (overall index and ranks) as JSON text.
    pub fn overall(&self) -> String {
        let out = self
            .result
            .overall_rows()
            .into_iter()
            .map(|r| {
                let mut row = Map::new();
                row.insert("unit".into(), Json::String(r.unit));
                row.insert("group".into(), r.group.map_or(Json::Null, Json::String));
                put_decimal(&mut row, "index", r.index);
                row.insert("rank".into(), json!(r.rank));
                row.insert("groupRank".into(), json!(r.group_rank));
                Json::Object(row)
            })
            .collect();
        rows(out)
    }

    /// What happened to the input rows, as JSON text (camelCase).
    pub fn report(&self) -> String {
        let r = &self.report;
        let rejections: Vec<Json> = r
            .rejections
            .iter()
            .map(|x| json!({"line": x.line, "column": x.column, "code": x.code, "reason": x.reason, "path": x.to_error().path()}))
            .collect();
        crate::convert::json_text(&json!({
            "rowsRead": r.rows_read,
            "rowsUsed": r.rows_used,
            "rowsRejected": r.rows_rejected,
            "rejections": rejections,
            "ignoredColumns": r.ignored_columns,
        }))
    }

    /// The whole result as JSON text (the core's format: units, groups and all units).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.result).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// A confidence interval for a share, as JSON text `{low, high}`.
#[wasm_bindgen(js_name = proportionCi)]
pub fn proportion_ci_json(
    successes: f64,
    n: f64,
    method: Option<String>,
    level: Option<f64>,
) -> JsResult<String> {
    let method = match method {
        None => CiMethod::default(),
        // The argument is called `method` here (`ci` in the sipas options).
        Some(s) => CiMethod::from_str(&s).map_err(|e| crate::error::encode_survey(&e, "method"))?,
    };
    let ci =
        proportion_ci(successes, n, method, level.unwrap_or(0.95)).map_err(|e| from_survey(&e))?;
    Ok(crate::convert::json_text(
        &json!({"low": ci.low, "high": ci.high}),
    ))
}
