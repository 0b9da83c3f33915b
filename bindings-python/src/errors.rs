//! The one place where core errors become Python exceptions, and where panics are caught.
//!
//! Every core [`Error`] becomes an instance of a class of `par_index.errors` chosen by
//! [`Error::kind`], carrying the stable `code` and the `path` of the problem. A panic inside the
//! core becomes `par_index.errors.InternalError`, never a `PanicException`.

use par_index::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The exception class of `par_index.errors` for a concern.
fn class_name(kind: &str) -> &'static str {
    match kind {
        "methodology" => "MethodologyError",
        "input" => "InputError",
        "arithmetic" => "DecimalOverflowError",
        "survey" => "SurveyError",
        _ => "ParIndexError",
    }
}

/// Builds the Python exception for a class name, message, code and path.
fn raise(py: Python<'_>, class: &str, message: String, code: &str, path: String) -> PyErr {
    let made = py
        .import("par_index.errors")
        .and_then(|m| m.getattr(class))
        .and_then(|cls| cls.call1((message.clone(), code, path)));
    match made {
        Ok(instance) => PyErr::from_value(instance),
        // The pure-Python package is missing (native module imported on its own).
        Err(_) => PyRuntimeError::new_err(format!("[{code}] {message}")),
    }
}

/// Converts a core error into the matching `par_index` exception.
pub fn to_py_err(py: Python<'_>, e: Error) -> PyErr {
    let class = class_name(e.kind());
    raise(py, class, e.to_string(), e.code(), e.path())
}

/// A usage error of the binding itself (bad argument shape), raised as `InputError`.
pub fn input_error(py: Python<'_>, code: &str, path: &str, message: String) -> PyErr {
    raise(py, "InputError", message, code, path.to_owned())
}

/// The message of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Runs core work with the GIL released and any panic caught; maps the error.
pub fn compute<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T, Error> + Send,
{
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py_err(py, e)),
        Err(payload) => Err(raise(
            py,
            "InternalError",
            format!(
                "internal error in par-index (please report it): {}",
                panic_message(&*payload)
            ),
            "internal",
            String::new(),
        )),
    }
}

/// Panics inside [`compute`], so that a test can check that a panic reaches Python as
/// `par_index.InternalError` with code `internal`: the core panics on no input, so this is the
/// only way to exercise that path. Private (`par_index._native._panic_for_tests`), not in `__all__`.
#[pyfunction]
#[pyo3(name = "_panic_for_tests")]
pub fn panic_for_tests(py: Python<'_>) -> PyResult<()> {
    compute(py, || -> Result<(), Error> {
        #[allow(clippy::panic)] // deliberate: this function exists to panic
        {
            panic!("deliberate panic raised by par_index._native._panic_for_tests")
        }
    })
}
