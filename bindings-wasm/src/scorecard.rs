//! `Scorecard`: results as rows (units, nodes), audit trails and displayed figures.

use crate::convert::{put_decimal, rows, to_json};
use crate::error::{from_core, invalid_argument, JsResult};
use par_index::{Decimal, Scorecard, Tiers, UnitScore};
use serde_json::{json, Map, Value as Json};
use std::str::FromStr;
use wasm_bindgen::prelude::wasm_bindgen;

/// A scorecard and the tier schemes it was scored with (for band colours).
#[wasm_bindgen]
pub struct WasmScorecard {
    card: Scorecard,
    tiers: Option<Tiers>,
}

impl WasmScorecard {
    /// Wraps a core scorecard.
    pub fn new(card: Scorecard, tiers: Option<Tiers>) -> Self {
        WasmScorecard { card, tiers }
    }

    /// The core scorecard.
    pub fn card(&self) -> &Scorecard {
        &self.card
    }

    /// The core scorecard, to change in place.
    pub fn card_mut(&mut self) -> &mut Scorecard {
        &mut self.card
    }

    /// The tier schemes it was scored with.
    pub fn tiers(&self) -> Option<&Tiers> {
        self.tiers.as_ref()
    }

    fn tier_color(&self, u: &UnitScore) -> Json {
        let band = u.tier.as_deref().and_then(|code| {
            let scheme = self.tiers.as_ref()?.scheme_for(u.group.as_deref())?;
            scheme.bands.iter().find(|b| b.code == code)
        });
        band.and_then(|b| b.color.clone())
            .map_or(Json::Null, Json::String)
    }

    fn unit_row(&self, u: &UnitScore) -> Json {
        let mut row = Map::new();
        row.insert("unit".into(), Json::String(u.unit.clone()));
        row.insert(
            "group".into(),
            u.group.clone().map_or(Json::Null, Json::String),
        );
        row.insert("label".into(), u.label.as_ref().map_or(Json::Null, to_json));
        put_decimal(&mut row, "treePoints", Some(u.tree_points));
        put_decimal(&mut row, "bonus", Some(u.bonus));
        put_decimal(&mut row, "penalty", Some(u.penalty));
        put_decimal(&mut row, "points", Some(u.points));
        put_decimal(&mut row, "maxPoints", Some(u.max_points));
        put_decimal(&mut row, "index", Some(u.index));
        row.insert(
            "indexDisplay".into(),
            Json::String(self.card.display(u.index)),
        );
        row.insert(
            "tier".into(),
            u.tier.clone().map_or(Json::Null, Json::String),
        );
        row.insert(
            "tierLabel".into(),
            u.tier_label.as_ref().map_or(Json::Null, to_json),
        );
        row.insert("tierColor".into(), self.tier_color(u));
        row.insert("rank".into(), json!(u.rank));
        row.insert("groupSize".into(), json!(u.group_size));
        Json::Object(row)
    }
}

#[wasm_bindgen]
impl WasmScorecard {
    /// The methodology's id.
    #[wasm_bindgen(getter)]
    pub fn methodology(&self) -> String {
        self.card.methodology.clone()
    }

    /// One row per unit as JSON text: in display order (group, then rank) when `ranked`,
    /// otherwise in input order.
    pub fn units(&self, ranked: bool) -> String {
        let list: Vec<&UnitScore> = if ranked {
            self.card.ranked()
        } else {
            self.card.units.iter().collect()
        };
        rows(list.into_iter().map(|u| self.unit_row(u)).collect())
    }

    /// One row per unit and node (pre-order), for one unit or all, as JSON text.
    pub fn nodes(&self, unit: Option<String>) -> JsResult<String> {
        let list: Vec<&UnitScore> = match unit {
            Some(id) => vec![self.card.unit(&id).map_err(|e| from_core(&e))?],
            None => self.card.units.iter().collect(),
        };
        let mut out = Vec::new();
        for u in list {
            for n in &u.nodes {
                let mut row = Map::new();
                row.insert("unit".into(), Json::String(u.unit.clone()));
                row.insert("code".into(), Json::String(n.code.clone()));
                row.insert("label".into(), to_json(&self.card.node_label(&n.code)));
                put_decimal(&mut row, "points", Some(n.points));
                put_decimal(&mut row, "maxPoints", Some(n.max_points));
                put_decimal(&mut row, "percent", n.percent);
                row.insert("status".into(), to_json(&n.status));
                row.insert("input".into(), n.input.as_ref().map_or(Json::Null, to_json));
                out.push(Json::Object(row));
            }
        }
        Ok(rows(out))
    }

    /// The audit trail of one unit as JSON text.
    pub fn explain(&self, unit: &str) -> JsResult<String> {
        let audit = self.card.explain(unit).map_err(|e| from_core(&e))?;
        let lines: Vec<Json> = audit
            .lines
            .iter()
            .map(|l| {
                let mut row = Map::new();
                row.insert("code".into(), Json::String(l.code.clone()));
                row.insert("label".into(), to_json(&l.label));
                row.insert("depth".into(), json!(l.depth));
                put_decimal(&mut row, "points", Some(l.points));
                put_decimal(&mut row, "maxPoints", Some(l.max_points));
                put_decimal(&mut row, "percent", l.percent);
                row.insert("status".into(), to_json(&l.status));
                row.insert("input".into(), l.input.as_ref().map_or(Json::Null, to_json));
                row.insert("how".into(), Json::String(l.how.clone()));
                Json::Object(row)
            })
            .collect();
        Ok(crate::convert::json_text(
            &json!({ "unit": audit.unit, "lines": lines, "summary": audit.summary, "text": audit.to_string() }),
        ))
    }

    /// A figure as displayed: rounded by the methodology's rounding.
    pub fn display(&self, value: &str) -> JsResult<String> {
        let d = Decimal::from_str(value.trim()).map_err(|_| {
            invalid_argument("value", &format!("{value:?} is not a decimal number"))
        })?;
        Ok(self.card.display(d))
    }

    /// The scorecard as JSON text (the core's format: snake_case, decimals as strings).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.card.to_json()
    }
}
