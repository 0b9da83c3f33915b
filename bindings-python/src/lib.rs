//! The native part of the Python package `par_index` (imported as `par_index._native`).
//!
//! It only converts: Python values in, core calls with the GIL released and panics caught,
//! core results out as plain columns and JSON. All scoring and aggregation logic is in the core.

mod errors;
mod scoring;
mod survey;

use pyo3::prelude::*;

/// Rust allocations of this module (not Python's) go to mimalloc: a SIPAS result is thousands
/// of small values made on worker threads, which the system allocator handles at about twice
/// the cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The native module `par_index._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<scoring::PyMethodology>()?;
    m.add_class::<scoring::PyAssessments>()?;
    m.add_class::<scoring::PyScorecard>()?;
    m.add_function(wrap_pyfunction!(scoring::preset_names, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::preset_methodology, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::preset_assessments, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::preset_tier_scheme_names, m)?)?;
    m.add_function(wrap_pyfunction!(
        scoring::preset_par2023_ministries_table,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(scoring::preset_par2023_ministries_csv, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::display, m)?)?;
    m.add_class::<survey::PySurveyDesign>()?;
    m.add_class::<survey::PyAggregator>()?;
    m.add_class::<survey::PySipasResult>()?;
    m.add_function(wrap_pyfunction!(survey::py_proportion_ci, m)?)?;
    m.add_function(wrap_pyfunction!(survey::preset_survey_design_names, m)?)?;
    m.add_function(wrap_pyfunction!(survey::factorize_arrow_strings, m)?)?;
    m.add_function(wrap_pyfunction!(survey::preset_survey_design, m)?)?;
    // Private test hook: set as an attribute, so it stays out of the module's `__all__`.
    m.setattr("_panic_for_tests", wrap_pyfunction!(errors::panic_for_tests, m)?)?;
    Ok(())
}
