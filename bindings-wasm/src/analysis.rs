//! Analysis of a scorecard (the core's `analysis` module): what-if changes, gaps to the next
//! tier and rank, strengths and weaknesses, and year-on-year comparison. Results cross as the
//! core's JSON with camelCase keys and a `…Number` twin beside every decimal.

use crate::convert::number_of_text;
use crate::error::{from_core, invalid_argument, JsResult};
use crate::methodology::WasmMethodology;
use crate::scorecard::WasmScorecard;
use par_index::analysis::{Change, WeightChange};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::wasm_bindgen;

/// The keys of the analysis results that hold decimals (exact strings in the core's JSON).
const DECIMAL_KEYS: &[&str] = &[
    "index",
    "index_before",
    "index_after",
    "index_change",
    "points",
    "points_before",
    "points_after",
    "points_change",
    "percent",
    "percent_before",
    "percent_after",
    "percent_change",
    "max_points",
    "lost",
    "group_best",
    "group_mean",
    "versus_mean",
    "group_mean_lost",
    "min_index",
    "points_needed",
    "index_needed",
    "available",
    "cumulative",
    "min_percent",
    "nominal_index",
];

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The core's JSON of an analysis result in JavaScript form: camelCase keys, and beside each
/// decimal `x` its double `xNumber`. Labels (`vi`, `en`) are left as they are.
pub fn js_form(v: Json) -> Json {
    match v {
        Json::Array(a) => Json::Array(a.into_iter().map(js_form).collect()),
        Json::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                let decimal = DECIMAL_KEYS.contains(&k.as_str());
                let key = camel(&k);
                let twin = match (&x, decimal) {
                    (Json::String(s), true) => Some(number_of_text(s)),
                    (Json::Null, true) => Some(Json::Null),
                    _ => None,
                };
                out.insert(key.clone(), js_form(x));
                if let Some(t) = twin {
                    out.insert(format!("{key}Number"), t);
                }
            }
            Json::Object(out)
        }
        other => other,
    }
}

fn to_js<T: serde::Serialize>(v: &T) -> String {
    crate::convert::json_text(&js_form(serde_json::to_value(v).unwrap_or(Json::Null)))
}

fn changes(text: &str) -> JsResult<Vec<Change>> {
    Change::list_from_json(text).map_err(|e| from_core(&e))
}

#[wasm_bindgen]
impl WasmMethodology {
    /// Applies changes `[{unit, code, value}]` (JSON text) to a scorecard made with this
    /// methodology, in place: only what changed is recomputed. Returns every unit's movement
    /// as JSON text. On error the scorecard is left as it was.
    pub fn apply(&self, card: &mut WasmScorecard, changes_json: &str) -> JsResult<String> {
        let changes = changes(changes_json)?;
        let movements = self
            .scorer()
            .apply(card.card_mut(), &changes)
            .map_err(|e| from_core(&e))?;
        Ok(to_js(&movements))
    }
}

/// The result of a what-if on weights: the re-weighted methodology, the new scorecard and the
/// movements (each taken once by the JS wrapper).
#[wasm_bindgen]
pub struct WasmReweighed {
    methodology: Option<WasmMethodology>,
    scorecard: Option<WasmScorecard>,
    movements: String,
}

#[wasm_bindgen]
impl WasmReweighed {
    /// The re-weighted methodology (once).
    #[wasm_bindgen(js_name = takeMethodology)]
    pub fn take_methodology(&mut self) -> Option<WasmMethodology> {
        self.methodology.take()
    }

    /// The new scorecard (once).
    #[wasm_bindgen(js_name = takeScorecard)]
    pub fn take_scorecard(&mut self) -> Option<WasmScorecard> {
        self.scorecard.take()
    }

    /// Every unit's movement, as JSON text.
    pub fn movements(&self) -> String {
        self.movements.clone()
    }
}

#[wasm_bindgen]
impl WasmMethodology {
    /// Re-weighs nodes (`weights_json`: `[{code, weight}]`), then applies changed values
    /// (`changes_json`, may be `[]`), to a copy of a scorecard made with this methodology.
    #[wasm_bindgen(js_name = whatIfWeights)]
    pub fn what_if_weights(
        &self,
        card: &WasmScorecard,
        weights_json: &str,
        changes_json: &str,
    ) -> JsResult<WasmReweighed> {
        let weights = WeightChange::list_from_json(weights_json).map_err(|e| from_core(&e))?;
        let changes = changes(changes_json)?;
        let (scorer, w) = self
            .scorer()
            .what_if_weights(card.card(), &weights, &changes)
            .map_err(|e| from_core(&e))?;
        let methodology = WasmMethodology::new(scorer.methodology())?;
        let tiers = scorer.methodology().tiers.clone();
        Ok(WasmReweighed {
            methodology: Some(methodology),
            scorecard: Some(WasmScorecard::new(w.scorecard, tiers)),
            movements: to_js(&w.movements),
        })
    }
}

#[cfg(feature = "uncertainty")]
#[wasm_bindgen]
impl WasmMethodology {
    /// Monte Carlo uncertainty of a scorecard made with this methodology: `spec` is the core's
    /// JSON spec (replications, seed, weight and survey perturbations, policy switches,
    /// sensitivity). Runs on one thread in WebAssembly; the results do not depend on it.
    pub fn uncertainty(&self, card: &WasmScorecard, spec: &str) -> JsResult<String> {
        let spec =
            par_index::analysis::UncertaintySpec::from_json(spec).map_err(|e| from_core(&e))?;
        let report = self
            .scorer()
            .uncertainty(card.card(), &spec)
            .map_err(|e| from_core(&e))?;
        Ok(to_js(&report))
    }
}

#[wasm_bindgen]
impl WasmScorecard {
    /// A copy, to change with `apply` without touching this one.
    #[wasm_bindgen(js_name = clone)]
    pub fn duplicate(&self) -> WasmScorecard {
        WasmScorecard::new(self.card().clone(), self.tiers().cloned())
    }

    /// What a unit needs for the next tier and the next rank, and where points are left, as
    /// JSON text.
    pub fn gap(&self, unit: &str) -> JsResult<String> {
        self.card()
            .gap(unit)
            .map(|g| to_js(&g))
            .map_err(|e| from_core(&e))
    }

    /// A unit's strengths and weaknesses node by node against its group, as JSON text.
    pub fn profile(&self, unit: &str) -> JsResult<String> {
        self.card()
            .profile(unit)
            .map(|p| to_js(&p))
            .map_err(|e| from_core(&e))
    }

    /// This scorecard against an earlier one; `mapping` (JSON text) maps earlier node codes to
    /// current ones.
    pub fn compare(&self, previous: &WasmScorecard, mapping: &str) -> JsResult<String> {
        let mapping: BTreeMap<String, String> = serde_json::from_str(mapping)
            .map_err(|e| invalid_argument("mapping", &e.to_string()))?;
        Ok(to_js(&self.card().compare(previous.card(), &mapping)))
    }
}
