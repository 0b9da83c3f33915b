//! The data shipped with the core: methodologies, example assessments, the published table.

use crate::assessments::WasmAssessments;
use crate::convert::{put_decimal, rows};
use crate::error::{from_core, JsResult};
use crate::methodology::WasmMethodology;
use par_index::{presets, Decimal, Rounding, RoundingMode};
use serde_json::{json, Map, Value as Json};
use std::str::FromStr;
use wasm_bindgen::prelude::wasm_bindgen;

/// The names of the shipped methodologies, as JSON text.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> String {
    crate::convert::json_text(&json!(presets::names()))
}

/// A shipped methodology by name.
#[wasm_bindgen(js_name = presetMethodology)]
pub fn preset_methodology(name: &str) -> JsResult<WasmMethodology> {
    let m = presets::methodology(name).map_err(|e| from_core(&e))?;
    WasmMethodology::new(&m)
}

/// Example assessments shipped with a methodology of the same name.
#[wasm_bindgen(js_name = presetAssessments)]
pub fn preset_assessments(name: &str) -> JsResult<WasmAssessments> {
    presets::assessments(name)
        .map(WasmAssessments::new)
        .map_err(|e| from_core(&e))
}

/// The published 2023 ministry table, row by row, as JSON text.
#[wasm_bindgen(js_name = par2023MinistriesTable)]
pub fn par2023_ministries_table() -> JsResult<String> {
    let table = presets::par2023_ministries_table().map_err(|e| from_core(&e))?;
    let out = table
        .into_iter()
        .map(|r| {
            let mut row = Map::new();
            row.insert("rank".into(), json!(r.rank));
            row.insert("unitVi".into(), Json::String(r.unit_vi));
            row.insert("unitEn".into(), Json::String(r.unit_en));
            put_decimal(&mut row, "appraisal", Some(r.appraisal));
            put_decimal(&mut row, "survey", Some(r.survey));
            put_decimal(&mut row, "total", Some(r.total));
            put_decimal(&mut row, "index", Some(r.index));
            Json::Object(row)
        })
        .collect();
    Ok(rows(out))
}

/// A decimal as displayed with `places` decimals, rounded `half_up` or `half_even`.
#[wasm_bindgen(js_name = displayDecimal)]
pub fn display_decimal(value: &str, places: u32, mode: &str) -> JsResult<String> {
    let d = Decimal::from_str(value.trim()).map_err(|_| {
        crate::error::invalid_argument("value", &format!("{value:?} is not a decimal number"))
    })?;
    let mode = match mode {
        "half_up" => RoundingMode::HalfUp,
        "half_even" => RoundingMode::HalfEven,
        other => {
            return Err(crate::error::invalid_argument(
                "mode",
                &format!("{other:?} is not half_up or half_even"),
            ))
        }
    };
    Ok(Rounding { places, mode }.display(d))
}
