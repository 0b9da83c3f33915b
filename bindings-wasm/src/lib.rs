//! WebAssembly bindings of `par-index`: the private native layer of the npm package `par-index`.
//!
//! This crate only converts. Every class here wraps one core type; data leaves as JSON text
//! (decimals as exact strings, each with a `…Number` twin for charts, keys in camelCase) and the
//! package's JavaScript layer (`js/api.js`) parses it and turns error values into
//! `ParIndexError` objects. No scoring logic lives here.

mod analysis;
mod assessments;
mod convert;
mod error;
mod methodology;
mod presets;
mod scorecard;
mod survey;

pub use assessments::WasmAssessments;
pub use methodology::WasmMethodology;
pub use scorecard::WasmScorecard;
pub use survey::{WasmSipasResult, WasmSurveyDesign};

use wasm_bindgen::prelude::wasm_bindgen;

/// Installs the panic hook once, when the module is instantiated: a panic (a bug; the core
/// never panics on input) is printed to the console with its message before the JavaScript
/// layer reports it as a `ParIndexError` with code `panic`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The version of the core library this package wraps.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
