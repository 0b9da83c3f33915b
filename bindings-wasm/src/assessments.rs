//! `Assessments`: the values each unit received, read from JSON, CSV or records, and changed
//! one value at a time for what-if scoring.

use crate::convert::{rows, to_json};
use crate::error::{from_core, invalid_argument, JsResult};
use par_index::error::InputError;
use par_index::{Assessment, Assessments, CsvLayout, CsvOptions, Value};
use serde::Deserialize;
use serde_json::{Map, Value as Json};
use wasm_bindgen::prelude::wasm_bindgen;

/// A set of assessments.
#[wasm_bindgen]
pub struct WasmAssessments {
    inner: Assessments,
}

impl WasmAssessments {
    /// Wraps core assessments.
    pub fn new(inner: Assessments) -> Self {
        WasmAssessments { inner }
    }

    /// The core assessments.
    pub fn inner(&self) -> &Assessments {
        &self.inner
    }
}

/// CSV options as JavaScript gives them (camelCase, all optional).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCsvOptions {
    layout: Option<CsvLayout>,
    unit_column: Option<String>,
    group_column: Option<String>,
    ignore_columns: Option<Vec<String>>,
    delimiter: Option<char>,
}

/// One long record as JavaScript gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsRecord {
    unit: String,
    #[serde(default)]
    group: Option<String>,
    code: String,
    #[serde(default)]
    value: Json,
}

/// A record value as the text the core reads (`""` is no value).
fn record_text(v: &Json) -> Option<String> {
    match v {
        Json::Null => Some(String::new()),
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(true) => Some("yes".into()),
        Json::Bool(false) => Some("no".into()),
        _ => None,
    }
}

#[wasm_bindgen]
impl WasmAssessments {
    /// Reads assessments from JSON text `{"units": [{"unit", "group"?, "label"?, "values"}]}`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<WasmAssessments> {
        Assessments::from_json(text)
            .map(WasmAssessments::new)
            .map_err(|e| from_core(&e))
    }

    /// Reads assessments from CSV text (long or wide); `options` is JSON text of the camelCase
    /// options.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(text: &str, options: &str) -> JsResult<WasmAssessments> {
        let o: JsCsvOptions = serde_json::from_str(options)
            .map_err(|e| invalid_argument("options", &e.to_string()))?;
        let mut opts = CsvOptions::default();
        if let Some(l) = o.layout {
            opts.layout = l;
        }
        if let Some(c) = o.unit_column {
            opts.unit_column = c;
        }
        if let Some(c) = o.group_column {
            opts.group_column = c;
        }
        if let Some(c) = o.ignore_columns {
            opts.ignore_columns = c;
        }
        if let Some(d) = o.delimiter {
            opts.delimiter = d;
        }
        Assessments::from_csv(text.as_bytes(), &opts)
            .map(WasmAssessments::new)
            .map_err(|e| from_core(&e))
    }

    /// Builds assessments from JSON text of long records `[{unit, group?, code, value}]`.
    #[wasm_bindgen(js_name = fromRecords)]
    pub fn from_records(records: &str) -> JsResult<WasmAssessments> {
        let recs: Vec<JsRecord> = serde_json::from_str(records)
            .map_err(|e| invalid_argument("records", &e.to_string()))?;
        let mut texts = Vec::with_capacity(recs.len());
        for (i, r) in recs.iter().enumerate() {
            let t = record_text(&r.value).ok_or_else(|| {
                invalid_argument(
                    &format!("records[{i}].value"),
                    "a string, number, boolean or null is required",
                )
            })?;
            texts.push(t);
        }
        let it = recs.iter().zip(texts.iter()).map(|(r, t)| {
            (
                r.unit.as_str(),
                r.group.as_deref(),
                r.code.as_str(),
                t.as_str(),
            )
        });
        Assessments::from_records(it)
            .map(WasmAssessments::new)
            .map_err(|e| from_core(&e))
    }

    /// The assessments as JSON text (the core's format).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// One row per unit `{unit, group, label, values}` (values as text), as JSON text.
    pub fn units(&self) -> String {
        let out = self
            .inner
            .units
            .iter()
            .map(|a| {
                let mut row = Map::new();
                row.insert("unit".into(), Json::String(a.unit.clone()));
                row.insert(
                    "group".into(),
                    a.group.clone().map_or(Json::Null, Json::String),
                );
                row.insert("label".into(), a.label.as_ref().map_or(Json::Null, to_json));
                let values: Map<String, Json> = a
                    .values
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::String(v.to_text())))
                    .collect();
                row.insert("values".into(), Json::Object(values));
                Json::Object(row)
            })
            .collect();
        rows(out)
    }

    /// Sets (or, with `None` or empty text, removes) one unit's value for one code, for what-if
    /// scoring. The text is read as the core reads values (`61.86`, `95%`, `yes`, `NA`).
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&mut self, unit: &str, code: &str, text: Option<String>) -> JsResult<()> {
        let path = format!("unit {unit:?}, code {code:?}");
        let Some(a) = self.inner.units.iter_mut().find(|a| a.unit == unit) else {
            let e: par_index::Error = InputError::UnknownUnit {
                path: "unit".into(),
                unit: unit.to_owned(),
            }
            .into();
            return Err(from_core(&e));
        };
        // The unit's values no longer come (only) from where they were read: start it afresh so
        // that errors name the unit and code rather than a row of the original file.
        if !a.values.is_empty() {
            let mut fresh = Assessment::new(a.unit.clone());
            fresh.group = a.group.take();
            fresh.label = a.label.take();
            fresh.values = std::mem::take(&mut a.values);
            *a = fresh;
        }
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => {
                a.values.remove(code);
            }
            Some(t) => {
                let v = Value::parse(t).ok_or_else(|| {
                    let e: par_index::Error = InputError::MalformedValue {
                        path: path.clone(),
                        text: t.to_owned(),
                    }
                    .into();
                    from_core(&e)
                })?;
                a.values.insert(code.to_owned(), v);
            }
        }
        Ok(())
    }

    /// A copy, to change without touching the original.
    #[wasm_bindgen(js_name = clone)]
    pub fn duplicate(&self) -> WasmAssessments {
        WasmAssessments {
            inner: self.inner.clone(),
        }
    }
}
