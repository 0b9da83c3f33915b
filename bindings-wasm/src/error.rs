//! Errors cross as a JSON text `{"code", "path", "kind", "message"}` thrown as a string; the
//! JavaScript layer turns it into a `ParIndexError` (one place, `js/api.js`).

use par_index::survey::SurveyError;
use par_index::Error;
use wasm_bindgen::JsValue;

/// The marker the JavaScript layer looks for before parsing a thrown string.
const MARKER: &str = "par-index-error:";

fn encode(code: &str, path: &str, kind: &str, message: &str) -> JsValue {
    let body = serde_json::json!({ "code": code, "path": path, "kind": kind, "message": message });
    JsValue::from_str(&format!("{MARKER}{body}"))
}

/// A core error as a thrown value.
pub fn from_core(e: &Error) -> JsValue {
    encode(e.code(), &e.path(), e.kind(), &e.to_string())
}

/// A survey error as a thrown value.
pub fn from_survey(e: &SurveyError) -> JsValue {
    encode(e.code(), &e.path(), "survey", &e.to_string())
}

/// A survey error as a thrown value, with its path replaced.
pub fn encode_survey(e: &SurveyError, path: &str) -> JsValue {
    encode(e.code(), path, "survey", &e.to_string())
}

/// A value handed over by JavaScript that is not of the expected shape.
pub fn invalid_argument(path: &str, message: &str) -> JsValue {
    encode(
        "invalid_input",
        path,
        "input",
        &format!("{path}: {message}"),
    )
}

/// Shorthand for results crossing to JavaScript.
pub type JsResult<T> = Result<T, JsValue>;
