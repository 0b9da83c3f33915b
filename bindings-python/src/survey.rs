//! SIPAS survey aggregation: newtypes over the core's design, aggregation state and result.
//! DataFrame columns arrive as buffers (no Python object per row); tables leave as dicts of
//! columns, decimals as text.

use crate::errors::{compute, input_error, to_py_err};
use numpy::PyReadonlyArray1;
use par_index::survey::columns::ResponseColumns;
use par_index::survey::factorize::{factorize_arrow, ArrowStrings};
use par_index::survey::{
    proportion_ci, AggregateOptions, Aggregator, CiMethod, CiOptions, CsvOptions, Response,
    SipasResult, SurveyDesign, SurveyError,
};
use par_index::{Decimal, Error};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn survey(e: SurveyError) -> Error {
    Error::from(e)
}

/// A survey design: items in elements, answer scale, satisfied levels, index rules.
#[pyclass(name = "SurveyDesign", module = "par_index._native", frozen)]
pub struct PySurveyDesign {
    inner: Arc<SurveyDesign>,
}

#[pymethods]
impl PySurveyDesign {
    /// Reads and validates a design from JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let d = compute(py, move || SurveyDesign::from_json(&text).map_err(survey))?;
        Ok(PySurveyDesign { inner: Arc::new(d) })
    }

    /// A design of plain items: each item its own element, scale 1-5, satisfied 4 and 5.
    #[staticmethod]
    fn from_item_codes(py: Python<'_>, codes: Vec<String>) -> PyResult<Self> {
        let d = compute(py, move || {
            SurveyDesign::from_item_codes(&codes).map_err(survey)
        })?;
        Ok(PySurveyDesign { inner: Arc::new(d) })
    }

    /// The design as JSON.
    fn to_json(&self) -> String {
        serde_json::to_string_pretty(&*self.inner).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Item codes, in design order.
    fn item_codes(&self) -> Vec<String> {
        self.inner.items.iter().map(|i| i.code.clone()).collect()
    }

    /// The element of each item, in design order.
    fn item_elements(&self) -> Vec<String> {
        self.inner.items.iter().map(|i| i.element.clone()).collect()
    }

    /// Element codes, in display order.
    fn element_codes(&self) -> Vec<String> {
        self.inner.elements.iter().map(|e| e.code.clone()).collect()
    }

    fn __eq__(&self, other: &PySurveyDesign) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!(
            "<SurveyDesign: {} items in {} elements>",
            self.inner.items.len(),
            self.inner.elements.len()
        )
    }
}

/// A mergeable aggregation state.
#[pyclass(name = "Aggregator", module = "par_index._native", frozen)]
pub struct PyAggregator {
    inner: Mutex<Aggregator>,
}

/// A 1-d NumPy array of `T`, borrowed read-only for the call.
fn numpy_column<'py, T: numpy::Element>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    name: &str,
    dtype: &str,
) -> PyResult<PyReadonlyArray1<'py, T>> {
    obj.extract::<PyReadonlyArray1<'py, T>>().map_err(|e| {
        input_error(
            py,
            "invalid_input",
            name,
            format!("a 1-d {dtype} NumPy array is required: {e}"),
        )
    })
}

/// The array's values without a copy when it is contiguous (a strided view is copied).
fn values<'a, T: numpy::Element + Copy>(a: &'a PyReadonlyArray1<'_, T>) -> Cow<'a, [T]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

impl PyAggregator {
    fn with<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Aggregator) -> Result<T, Error> + Send,
    ) -> PyResult<T>
    where
        T: Send,
    {
        compute(py, || {
            let mut guard = self
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut guard)
        })
    }
}

#[pymethods]
impl PyAggregator {
    /// An empty state for a design; `weighted` uses each response's design weight.
    #[new]
    #[pyo3(signature = (design, weighted = false))]
    fn new(py: Python<'_>, design: &PySurveyDesign, weighted: bool) -> PyResult<Self> {
        let d = Arc::clone(&design.inner);
        let agg = compute(py, move || {
            Aggregator::new(&d, AggregateOptions { weighted }).map_err(survey)
        })?;
        Ok(PyAggregator {
            inner: Mutex::new(agg),
        })
    }

    /// Adds rows given column-wise: unit codes (int64, -1 for none) into `unit_names`, optional
    /// group codes into `group_names`, optional float64 weights, one float64 column per item
    /// (NaN = no answer). Returns the number of rows added.
    #[pyo3(signature = (units, unit_names, groups, group_names, weights, answers, first_row = 0))]
    #[allow(clippy::too_many_arguments)]
    fn add_columns(
        &self,
        py: Python<'_>,
        units: &Bound<'_, PyAny>,
        unit_names: Vec<String>,
        groups: Option<&Bound<'_, PyAny>>,
        group_names: Vec<String>,
        weights: Option<&Bound<'_, PyAny>>,
        answers: Vec<Bound<'_, PyAny>>,
        first_row: u64,
    ) -> PyResult<u64> {
        let units = numpy_column::<i64>(py, units, "unit", "int64")?;
        let groups = groups
            .map(|g| numpy_column::<i64>(py, g, "group", "int64"))
            .transpose()?;
        let weights = weights
            .map(|w| numpy_column::<f64>(py, w, "weight", "float64"))
            .transpose()?;
        let answers = answers
            .iter()
            .map(|a| numpy_column::<f64>(py, a, "answers", "float64"))
            .collect::<PyResult<Vec<_>>>()?;
        // Views of the arrays, held across the call (which runs without the GIL).
        let units = values(&units);
        let groups = groups.as_ref().map(values);
        let weights = weights.as_ref().map(values);
        let answers: Vec<Cow<'_, [f64]>> = answers.iter().map(values).collect();
        self.with(py, move |agg| {
            let cols: Vec<&[f64]> = answers.iter().map(|c| &**c).collect();
            agg.add_columns(&ResponseColumns {
                units: &units,
                unit_names: &unit_names,
                groups: groups.as_deref(),
                group_names: &group_names,
                weights: weights.as_deref(),
                answers: &cols,
                first_row,
            })
            .map_err(survey)
        })
    }

    /// Adds responses given as a JSON array of `{unit, group?, weight?, answers: {item: code}}`.
    fn add_responses_json(&self, py: Python<'_>, text: String) -> PyResult<u64> {
        self.with(py, move |agg| {
            let rows: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
                survey(SurveyError::Json {
                    path: "responses".to_owned(),
                    message: e.to_string(),
                })
            })?;
            let added = rows.len() as u64;
            for (k, row) in rows.into_iter().enumerate() {
                let r: Response = serde_json::from_value(row).map_err(|e| {
                    survey(SurveyError::Json {
                        path: format!("responses[{k}]"),
                        message: e.to_string(),
                    })
                })?;
                agg.add(&r).map_err(|e| survey(prefix(e, k)))?;
            }
            Ok(added)
        })
    }

    /// Adds the rows of a CSV file (item columns named by item code). Strict: the first
    /// rejected row raises.
    #[pyo3(signature = (path, unit_column = "unit", group_column = None, weight_column = None, delimiter = ','))]
    fn add_csv_path(
        &self,
        py: Python<'_>,
        path: std::path::PathBuf,
        unit_column: &str,
        group_column: Option<String>,
        weight_column: Option<String>,
        delimiter: char,
    ) -> PyResult<u64> {
        let delimiter = u8::try_from(delimiter).map_err(|_| {
            input_error(
                py,
                "bad_option",
                "delimiter",
                "the delimiter must be one ASCII character".to_owned(),
            )
        })?;
        let options = CsvOptions {
            unit_column: unit_column.to_owned(),
            group_column,
            weight_column,
            delimiter,
            threads: None,
        };
        self.with(py, move |agg| {
            let file = std::fs::File::open(&path).map_err(|e| {
                survey(SurveyError::Csv {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })
            })?;
            let report = agg
                .add_csv(std::io::BufReader::new(file), &options)
                .map_err(survey)?;
            if let Some(r) = report.rejections.first() {
                return Err(survey(r.to_error()));
            }
            Ok(report.rows_used)
        })
    }

    /// Merges another state (of the same design and options) into this one.
    fn merge(&self, py: Python<'_>, other: &PyAggregator) -> PyResult<()> {
        if std::ptr::eq(self, other) {
            return Err(input_error(
                py,
                "design_mismatch",
                "merge",
                "a state cannot be merged into itself".to_owned(),
            ));
        }
        let theirs = other
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        self.with(py, move |agg| agg.merge(theirs).map_err(survey))
    }

    /// Computes the result with intervals by `ci` (a method name) at `level`.
    #[pyo3(signature = (ci = "wilson", level = 0.95))]
    fn finish(&self, py: Python<'_>, ci: &str, level: f64) -> PyResult<PySipasResult> {
        let method: CiMethod = ci
            .replace('-', "_")
            .parse()
            .map_err(|e| to_py_err(py, survey(e)))?;
        let result = self.with(py, move |agg| {
            agg.finish(&CiOptions { method, level }).map_err(survey)
        })?;
        Ok(PySipasResult {
            inner: Arc::new(result),
        })
    }

    /// The state as JSON (for pickling and moving between processes).
    fn to_state_json(&self) -> String {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .to_state_json()
    }

    /// Reads a state written by `to_state_json`.
    #[staticmethod]
    fn from_state_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let agg = compute(py, move || {
            Aggregator::from_state_json(&text).map_err(survey)
        })?;
        Ok(PyAggregator {
            inner: Mutex::new(agg),
        })
    }

    /// The design aggregated over.
    fn design(&self) -> PySurveyDesign {
        let d = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .design()
            .clone();
        PySurveyDesign { inner: Arc::new(d) }
    }

    /// Whether weights are used.
    #[getter]
    fn weighted(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .options()
            .weighted
    }

    /// Number of respondents added.
    #[getter]
    fn respondent_count(&self) -> u64 {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .respondent_count()
    }

    /// Number of units seen.
    #[getter]
    fn unit_count(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unit_count()
    }

    fn __eq__(&self, other: &PyAggregator) -> bool {
        if std::ptr::eq(self, other) {
            return true;
        }
        let a = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let b = other
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        a == *b
    }
}

fn prefix(e: SurveyError, k: usize) -> SurveyError {
    let at = |p: String| {
        if p.is_empty() {
            format!("responses[{k}]")
        } else {
            format!("responses[{k}].{p}")
        }
    };
    match e {
        SurveyError::UnknownItem { path, code } => SurveyError::UnknownItem {
            path: at(path),
            code,
        },
        SurveyError::AnswerOutOfScale { path, value } => SurveyError::AnswerOutOfScale {
            path: at(path),
            value,
        },
        SurveyError::BadWeight { path, value } => SurveyError::BadWeight {
            path: at(path),
            value,
        },
        SurveyError::MissingUnit { path } => SurveyError::MissingUnit { path: at(path) },
        SurveyError::GroupConflict {
            path,
            unit,
            first,
            second,
        } => SurveyError::GroupConflict {
            path: at(path),
            unit,
            first,
            second,
        },
        SurveyError::Overflow { path } => SurveyError::Overflow { path: at(path) },
        other => other,
    }
}

/// The result of a SIPAS aggregation.
#[pyclass(name = "SipasResult", module = "par_index._native", frozen)]
pub struct PySipasResult {
    inner: Arc<SipasResult>,
}

/// One column of a table: `f` of every row, under `key`.
fn column<'py, R, T: IntoPyObject<'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
    rows: &[R],
    f: impl Fn(&R) -> T,
) -> PyResult<()> {
    d.set_item(key, rows.iter().map(f).collect::<Vec<T>>())
}

#[pymethods]
impl PySipasResult {
    /// The interval method used.
    #[getter]
    fn ci(&self) -> &'static str {
        self.inner.ci.method.as_str()
    }

    /// The confidence level used.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.ci.level
    }

    /// Whether weights were used.
    #[getter]
    fn weighted(&self) -> bool {
        self.inner.weighted
    }

    /// One row per unit and item (decimals as text).
    fn items_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.inner.item_rows();
        let d = PyDict::new(py);
        column(&d, "unit", &rows, |r| r.unit.clone())?;
        column(&d, "item", &rows, |r| r.item.clone())?;
        column(&d, "n", &rows, |r| r.n)?;
        column(&d, "n_missing", &rows, |r| r.n_missing)?;
        column(&d, "n_not_applicable", &rows, |r| r.n_not_applicable)?;
        column(&d, "satisfied", &rows, |r| r.satisfied)?;
        column(&d, "share", &rows, |r| r.share.map(dec))?;
        column(&d, "se", &rows, |r| r.se)?;
        column(&d, "ci_low", &rows, |r| r.ci_low)?;
        column(&d, "ci_high", &rows, |r| r.ci_high)?;
        column(&d, "mean", &rows, |r| r.mean.map(dec))?;
        column(&d, "n_eff", &rows, |r| r.n_eff)?;
        column(&d, "weighted_n", &rows, |r| dec(r.weighted_n))?;
        Ok(d)
    }

    /// One row per unit and element (decimals as text).
    fn elements_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.inner.element_rows();
        let d = PyDict::new(py);
        column(&d, "unit", &rows, |r| r.unit.clone())?;
        column(&d, "element", &rows, |r| r.element.clone())?;
        column(&d, "index", &rows, |r| r.index.map(dec))?;
        Ok(d)
    }

    /// One row per unit (decimals as text).
    fn overall_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.inner.overall_rows();
        let d = PyDict::new(py);
        column(&d, "unit", &rows, |r| r.unit.clone())?;
        column(&d, "group", &rows, |r| r.group.clone())?;
        column(&d, "index", &rows, |r| r.index.map(dec))?;
        column(&d, "rank", &rows, |r| r.rank)?;
        column(&d, "group_rank", &rows, |r| r.group_rank)?;
        Ok(d)
    }

    /// The whole result as JSON: `{items, elements, overall, all, groups}` (decimals as text).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let r = &*self.inner;
        let value = serde_json::json!({
            "items": r.item_rows(),
            "elements": r.element_rows(),
            "overall": r.overall_rows(),
            "all": r.all,
            "groups": r.groups,
        });
        serde_json::to_string_pretty(&value)
            .map_err(|e| input_error(py, "json", "result", e.to_string()))
    }
}

/// A confidence interval for a share `successes / n`: `(low, high)`.
#[pyfunction]
#[pyo3(signature = (successes, n, method = "wilson", level = 0.95))]
#[pyo3(name = "proportion_ci")]
pub fn py_proportion_ci(
    py: Python<'_>,
    successes: f64,
    n: f64,
    method: &str,
    level: f64,
) -> PyResult<(f64, f64)> {
    let method: CiMethod = method.replace('-', "_").parse().map_err(|e| match e {
        SurveyError::BadOption { message, .. } => to_py_err(
            py,
            survey(SurveyError::BadOption {
                path: "method".to_owned(),
                message,
            }),
        ),
        other => to_py_err(py, survey(other)),
    })?;
    let ci = compute(py, move || {
        proportion_ci(successes, n, method, level).map_err(survey)
    })?;
    Ok((ci.low, ci.high))
}

/// Names of the survey designs that ship with the library.
/// One chunk of an Arrow string array as NumPy views of its buffers: offsets (int32 or
/// int64), data (uint8), validity bitmap (uint8 or None), the chunk's offset and length.
type ArrowChunk<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>, Option<Bound<'py, PyAny>>, usize, usize);

/// Codes (int64, -1 for missing) and distinct ids, in order of first appearance, of a string
/// column held by Arrow (pandas' pyarrow-backed strings), read from its buffers.
#[pyfunction]
pub fn factorize_arrow_strings<'py>(
    py: Python<'py>,
    chunks: Vec<ArrowChunk<'py>>,
    column: &str,
) -> PyResult<(Bound<'py, numpy::PyArray1<i64>>, Vec<String>)> {
    // Views first (the factorizer borrows the ids' bytes).
    let mut views = Vec::with_capacity(chunks.len());
    for (offsets, data, validity, start, len) in &chunks {
        let offsets = match offsets.extract::<PyReadonlyArray1<'py, i64>>() {
            Ok(o) => Offsets::Large(o),
            Err(_) => Offsets::Small(numpy_column::<i32>(py, offsets, column, "int32 or int64")?),
        };
        let data = numpy_column::<u8>(py, data, column, "uint8")?;
        let validity = validity.as_ref().map(|v| numpy_column::<u8>(py, v, column, "uint8")).transpose()?;
        views.push((offsets, data, validity, *start, *len));
    }
    let slices: Vec<_> = views
        .iter()
        .map(|(o, d, v, start, len)| (o.values(), values(d), v.as_ref().map(values), *start, *len))
        .collect();
    // Chunks with offsets of one width (as Arrow keeps a column): numbered on all cores.
    let large = arrow_strings(&slices, |o| match o {
        OffsetValues::Large(o) => Some(o),
        OffsetValues::Small(_) => None,
    });
    let small = arrow_strings(&slices, |o| match o {
        OffsetValues::Small(o) => Some(o),
        OffsetValues::Large(_) => None,
    });
    // Numbered with the GIL released (other Python threads run meanwhile).
    let numbered = match (large, small) {
        (Some(chunks), _) => compute(py, || factorize_arrow(&chunks, column).map_err(survey)),
        (None, Some(chunks)) => compute(py, || factorize_arrow(&chunks, column).map_err(survey)),
        (None, None) => {
            // Offsets of both widths (Arrow keeps one per column): all read as 64-bit.
            let wide: Vec<Cow<'_, [i64]>> = slices
                .iter()
                .map(|(o, ..)| match o {
                    OffsetValues::Large(o) => Cow::Borrowed(&**o),
                    OffsetValues::Small(o) => Cow::Owned(o.iter().map(|&x| i64::from(x)).collect()),
                })
                .collect();
            let chunks: Vec<ArrowStrings<'_, i64>> = slices
                .iter()
                .zip(&wide)
                .map(|((_, data, validity, start, len), o)| ArrowStrings { offsets: o, data, validity: validity.as_deref(), start: *start, len: *len })
                .collect();
            compute(py, || factorize_arrow(&chunks, column).map_err(survey))
        }
    };
    let (codes, names) = numbered?;
    Ok((numpy::PyArray1::from_vec(py, codes), names))
}

/// One chunk's views: offsets, data, validity, the chunk's offset and length.
type ChunkSlices<'a> = (OffsetValues<'a>, Cow<'a, [u8]>, Option<Cow<'a, [u8]>>, usize, usize);

/// The chunks as [`ArrowStrings`] when `offsets` gives every chunk's offsets at one width.
fn arrow_strings<'a, O>(
    chunks: &'a [ChunkSlices<'_>],
    offsets: impl Fn(&'a OffsetValues<'_>) -> Option<&'a Cow<'a, [O]>>,
) -> Option<Vec<ArrowStrings<'a, O>>>
where
    O: Clone + 'a,
{
    chunks
        .iter()
        .map(|(o, data, validity, start, len)| {
            Some(ArrowStrings { offsets: offsets(o)?, data, validity: validity.as_deref(), start: *start, len: *len })
        })
        .collect()
}

enum Offsets<'py> {
    Small(PyReadonlyArray1<'py, i32>),
    Large(PyReadonlyArray1<'py, i64>),
}

enum OffsetValues<'a> {
    Small(Cow<'a, [i32]>),
    Large(Cow<'a, [i64]>),
}

impl Offsets<'_> {
    fn values(&self) -> OffsetValues<'_> {
        match self {
            Offsets::Small(o) => OffsetValues::Small(values(o)),
            Offsets::Large(o) => OffsetValues::Large(values(o)),
        }
    }
}

#[pyfunction]
pub fn preset_survey_design_names() -> Vec<&'static str> {
    par_index::presets::survey_design_names()
}

/// A survey design that ships with the library.
#[pyfunction]
pub fn preset_survey_design(py: Python<'_>, name: String) -> PyResult<PySurveyDesign> {
    let d = compute(py, move || par_index::presets::survey_design(&name))?;
    Ok(PySurveyDesign { inner: Arc::new(d) })
}
