//! `Methodology`: a validated methodology, compiled once for scoring (the what-if path).

use crate::assessments::WasmAssessments;
use crate::convert::{put_decimal, rows, to_json};
use crate::error::{from_core, JsResult};
use crate::scorecard::WasmScorecard;
use par_index::{Criterion, Methodology, Scorer};
use serde_json::{json, Map, Value as Json};
use wasm_bindgen::prelude::wasm_bindgen;

/// A methodology and its compiled scorer.
#[wasm_bindgen]
pub struct WasmMethodology {
    scorer: Scorer,
}

impl WasmMethodology {
    /// Compiles (and so validates) a core methodology.
    pub fn new(m: &Methodology) -> JsResult<WasmMethodology> {
        Ok(WasmMethodology {
            scorer: Scorer::new(m).map_err(|e| from_core(&e))?,
        })
    }

    /// The compiled scorer.
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    fn inner(&self) -> &Methodology {
        self.scorer.methodology()
    }
}

fn walk(c: &Criterion, depth: usize, parent: Option<&str>, out: &mut Vec<Json>) {
    let mut row = Map::new();
    row.insert("code".into(), Json::String(c.code.clone()));
    row.insert("label".into(), to_json(&c.label));
    row.insert("depth".into(), json!(depth));
    row.insert(
        "parent".into(),
        parent.map_or(Json::Null, |p| Json::String(p.to_owned())),
    );
    row.insert("leaf".into(), Json::Bool(c.is_leaf()));
    put_decimal(&mut row, "maxPoints", Some(c.max_points));
    put_decimal(&mut row, "weight", c.weight);
    out.push(Json::Object(row));
    for child in &c.children {
        walk(child, depth + 1, Some(&c.code), out);
    }
}

#[wasm_bindgen]
impl WasmMethodology {
    /// Reads and validates a methodology from JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<WasmMethodology> {
        let m = Methodology::from_json(text).map_err(|e| from_core(&e))?;
        WasmMethodology::new(&m)
    }

    /// The methodology as JSON text (the core's file format).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner().to_json()
    }

    /// `{id, title, source, notes, maxPoints, maxPointsNumber}` as JSON text.
    pub fn info(&self) -> String {
        let m = self.inner();
        let mut row = Map::new();
        row.insert("id".into(), Json::String(m.id.clone()));
        row.insert("title".into(), to_json(&m.title));
        row.insert("source".into(), Json::String(m.source.clone()));
        row.insert(
            "notes".into(),
            m.notes.clone().map_or(Json::Null, Json::String),
        );
        put_decimal(&mut row, "maxPoints", Some(m.max_points));
        crate::convert::json_text(&Json::Object(row))
    }

    /// Every node of the tree in pre-order as JSON rows.
    pub fn nodes(&self) -> String {
        let mut out = Vec::new();
        for c in &self.inner().criteria {
            walk(c, 1, None, &mut out);
        }
        rows(out)
    }

    /// Every tier band of every scheme as JSON rows.
    pub fn tiers(&self) -> String {
        let mut out = Vec::new();
        if let Some(tiers) = &self.inner().tiers {
            for scheme in &tiers.schemes {
                for band in &scheme.bands {
                    let mut row = Map::new();
                    row.insert("scheme".into(), Json::String(scheme.id.clone()));
                    row.insert("isDefault".into(), Json::Bool(scheme.id == tiers.default));
                    row.insert("code".into(), Json::String(band.code.clone()));
                    row.insert("label".into(), to_json(&band.label));
                    put_decimal(&mut row, "min", Some(band.min));
                    row.insert("minInclusive".into(), Json::Bool(band.min_inclusive));
                    put_decimal(&mut row, "max", band.max);
                    row.insert("maxInclusive".into(), Json::Bool(band.max_inclusive));
                    row.insert(
                        "color".into(),
                        band.color.clone().map_or(Json::Null, Json::String),
                    );
                    out.push(Json::Object(row));
                }
            }
        }
        rows(out)
    }

    /// Scores every unit with the compiled scorer.
    pub fn score(&self, assessments: &WasmAssessments) -> JsResult<WasmScorecard> {
        let card = self
            .scorer
            .score(assessments.inner())
            .map_err(|e| from_core(&e))?;
        Ok(WasmScorecard::new(card, self.inner().tiers.clone()))
    }
}
