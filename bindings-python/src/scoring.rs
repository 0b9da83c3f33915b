//! Methodologies, assessments and scorecards: newtypes over the core types. Tables cross to
//! Python as dicts of columns, decimals as strings (the Python layer makes floats or `Decimal`).

use crate::errors::{compute, input_error};
use par_index::{
    Assessments, CsvLayout, CsvOptions, Decimal, Error, InputError, Methodology, Scorecard,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

/// A decimal as text without trailing zeros.
fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A validated methodology (criteria tree, tiers, rounding, ranking).
#[pyclass(name = "Methodology", module = "par_index._native", frozen)]
pub struct PyMethodology {
    inner: Arc<Methodology>,
}

#[pymethods]
impl PyMethodology {
    /// Reads and validates a methodology from JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let inner = compute(py, move || Methodology::from_json(&text))?;
        Ok(PyMethodology {
            inner: Arc::new(inner),
        })
    }

    /// The methodology as pretty JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The methodology id.
    #[getter]
    fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// The title in a language ("vi" or "en", falling back to the other).
    #[pyo3(signature = (lang = "en"))]
    fn title(&self, lang: &str) -> String {
        self.inner.title.text(lang).to_owned()
    }

    /// The maximum points, as decimal text.
    #[getter]
    fn max_points(&self) -> String {
        dec(self.inner.max_points)
    }

    /// Leaf and adjustment codes that take values, in tree order.
    fn input_codes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<&par_index::Criterion> = self.inner.criteria.iter().rev().collect();
        while let Some(c) = stack.pop() {
            if c.children.is_empty() {
                out.push(c.code.clone());
            } else {
                stack.extend(c.children.iter().rev());
            }
        }
        out.extend(self.inner.adjustments.iter().map(|a| a.code.clone()));
        out
    }

    /// Scores assessments.
    fn score(&self, py: Python<'_>, assessments: &PyAssessments) -> PyResult<PyScorecard> {
        let m = Arc::clone(&self.inner);
        let a = Arc::clone(&assessments.inner);
        let card = compute(py, move || m.score(&a))?;
        Ok(PyScorecard {
            inner: Arc::new(card),
        })
    }

    /// Re-scores a scorecard of this methodology with changed values (`changes` as JSON:
    /// `[{unit, code, value}]`); returns `{scorecard, movements}` as JSON.
    fn what_if_json(
        &self,
        py: Python<'_>,
        card: &PyScorecard,
        changes: String,
    ) -> PyResult<String> {
        let (m, card) = (Arc::clone(&self.inner), Arc::clone(&card.inner));
        let w = compute(py, move || {
            let changes = par_index::analysis::Change::list_from_json(&changes)?;
            par_index::Scorer::new(&m)?.what_if(&card, &changes)
        })?;
        to_json(py, &w)
    }

    /// Re-weighs nodes (`weights` as JSON: `[{code, weight}]`), then applies changed values
    /// (`changes`, may be `[]`); returns the re-weighted methodology, the new scorecard and the
    /// movements (from `card`) as JSON.
    fn what_if_weights(
        &self,
        py: Python<'_>,
        card: &PyScorecard,
        weights: String,
        changes: String,
    ) -> PyResult<(PyMethodology, PyScorecard, String)> {
        let (m, card) = (Arc::clone(&self.inner), Arc::clone(&card.inner));
        let (scorer, w) = compute(py, move || {
            let weights = par_index::analysis::WeightChange::list_from_json(&weights)?;
            let changes = par_index::analysis::Change::list_from_json(&changes)?;
            par_index::Scorer::new(&m)?.what_if_weights(&card, &weights, &changes)
        })?;
        let movements = to_json(py, &w.movements)?;
        Ok((
            PyMethodology {
                inner: Arc::new(scorer.methodology().clone()),
            },
            PyScorecard {
                inner: Arc::new(w.scorecard),
            },
            movements,
        ))
    }

    /// Re-scores a scorecard of this methodology with changed values (`changes` as JSON:
    /// `[{unit, code, value}]`); returns the new scorecard and the movements as JSON.
    fn what_if(
        &self,
        py: Python<'_>,
        card: &PyScorecard,
        changes: String,
    ) -> PyResult<(PyScorecard, String)> {
        let (m, card) = (Arc::clone(&self.inner), Arc::clone(&card.inner));
        let w = compute(py, move || {
            let changes = par_index::analysis::Change::list_from_json(&changes)?;
            par_index::Scorer::new(&m)?.what_if(&card, &changes)
        })?;
        let movements = to_json(py, &w.movements)?;
        Ok((
            PyScorecard {
                inner: Arc::new(w.scorecard),
            },
            movements,
        ))
    }

    /// Monte Carlo uncertainty of a scorecard of this methodology (`spec` as JSON: weights,
    /// survey sampling, replications, seed); returns the report as JSON.
    fn uncertainty_json(
        &self,
        py: Python<'_>,
        card: &PyScorecard,
        spec: String,
    ) -> PyResult<String> {
        let (m, card) = (Arc::clone(&self.inner), Arc::clone(&card.inner));
        let report = compute(py, move || {
            let spec = par_index::analysis::UncertaintySpec::from_json(&spec)?;
            par_index::Scorer::new(&m)?.uncertainty(&card, &spec)
        })?;
        to_json(py, &report)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Methodology {} ({})>",
            self.inner.id,
            self.inner.title.text("en")
        )
    }
}

impl PyMethodology {
    /// Wraps a core methodology.
    pub fn new(inner: Methodology) -> Self {
        PyMethodology {
            inner: Arc::new(inner),
        }
    }
}

/// The values each unit received, read from JSON, records or CSV.
#[pyclass(name = "Assessments", module = "par_index._native", frozen)]
pub struct PyAssessments {
    inner: Arc<Assessments>,
}

fn layout(py: Python<'_>, name: &str) -> PyResult<CsvLayout> {
    match name {
        "auto" => Ok(CsvLayout::Auto),
        "long" => Ok(CsvLayout::Long),
        "wide" => Ok(CsvLayout::Wide),
        other => Err(input_error(
            py,
            "bad_option",
            "layout",
            format!("layout must be auto, long or wide, not {other:?}"),
        )),
    }
}

/// The core's CSV options from the keyword arguments both CSV readers take.
fn csv_options(
    py: Python<'_>,
    layout_name: &str,
    unit_column: &str,
    group_column: &str,
    ignore_columns: Vec<String>,
    delimiter: char,
) -> PyResult<CsvOptions> {
    Ok(CsvOptions {
        layout: layout(py, layout_name)?,
        unit_column: unit_column.to_owned(),
        group_column: group_column.to_owned(),
        ignore_columns,
        delimiter,
    })
}

#[pymethods]
impl PyAssessments {
    /// Reads assessments from their JSON form (`{"units": [{"unit", "group", "values"}]}`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let inner = compute(py, move || Assessments::from_json(&text))?;
        Ok(PyAssessments {
            inner: Arc::new(inner),
        })
    }

    /// Reads assessments from long records given as four equally long columns; values are text
    /// (numbers, yes/no, percentages, NA; empty text means no value).
    #[staticmethod]
    fn from_records(
        py: Python<'_>,
        units: Vec<String>,
        groups: Vec<Option<String>>,
        codes: Vec<String>,
        values: Vec<String>,
    ) -> PyResult<Self> {
        if groups.len() != units.len() || codes.len() != units.len() || values.len() != units.len()
        {
            return Err(input_error(
                py,
                "input_json",
                "records",
                "record columns differ in length".to_owned(),
            ));
        }
        let inner = compute(py, move || {
            Assessments::from_records(
                units
                    .iter()
                    .zip(&groups)
                    .zip(&codes)
                    .zip(&values)
                    .map(|(((u, g), c), v)| (u.as_str(), g.as_deref(), c.as_str(), v.as_str())),
            )
        })?;
        Ok(PyAssessments {
            inner: Arc::new(inner),
        })
    }

    /// Reads assessments from CSV text, long (`unit, code, value[, group]`) or wide (one
    /// column per code).
    #[staticmethod]
    #[pyo3(signature = (text, layout = "auto", unit_column = "unit", group_column = "group", ignore_columns = Vec::new(), delimiter = ','))]
    fn from_csv_text(
        py: Python<'_>,
        text: String,
        layout: &str,
        unit_column: &str,
        group_column: &str,
        ignore_columns: Vec<String>,
        delimiter: char,
    ) -> PyResult<Self> {
        let options = csv_options(py, layout, unit_column, group_column, ignore_columns, delimiter)?;
        let inner = compute(py, move || Assessments::from_csv(text.as_bytes(), &options))?;
        Ok(PyAssessments {
            inner: Arc::new(inner),
        })
    }

    /// Reads assessments from a CSV file (streamed).
    #[staticmethod]
    #[pyo3(signature = (path, layout = "auto", unit_column = "unit", group_column = "group", ignore_columns = Vec::new(), delimiter = ','))]
    fn from_csv_path(
        py: Python<'_>,
        path: std::path::PathBuf,
        layout: &str,
        unit_column: &str,
        group_column: &str,
        ignore_columns: Vec<String>,
        delimiter: char,
    ) -> PyResult<Self> {
        let options = csv_options(py, layout, unit_column, group_column, ignore_columns, delimiter)?;
        let inner = compute(py, move || {
            let file = std::fs::File::open(&path).map_err(|e| {
                Error::from(InputError::Csv {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })
            })?;
            Assessments::from_csv(std::io::BufReader::new(file), &options)
        })?;
        Ok(PyAssessments {
            inner: Arc::new(inner),
        })
    }

    /// The assessments in their JSON form.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Unit ids, in input order.
    fn units(&self) -> Vec<String> {
        self.inner.units.iter().map(|u| u.unit.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.units.len()
    }

    fn __repr__(&self) -> String {
        format!("<Assessments of {} units>", self.inner.units.len())
    }
}

impl PyAssessments {
    /// Wraps core assessments.
    pub fn new(inner: Assessments) -> Self {
        PyAssessments {
            inner: Arc::new(inner),
        }
    }
}

/// Every unit's points, maximum, index, tier and rank at every node, exact.
#[pyclass(name = "Scorecard", module = "par_index._native", frozen)]
pub struct PyScorecard {
    inner: Arc<Scorecard>,
}

fn set<'py, T: IntoPyObject<'py>>(d: &Bound<'py, PyDict>, key: &str, value: T) -> PyResult<()> {
    d.set_item(key, value)
}

#[pymethods]
impl PyScorecard {
    /// The id of the methodology scored with.
    #[getter]
    fn methodology(&self) -> String {
        self.inner.methodology.clone()
    }

    /// The scorecard as pretty JSON (decimals as strings).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// A decimal (given as text) rounded for display as the methodology says (two places,
    /// half up for the PAR Index).
    fn display(&self, py: Python<'_>, value: &str) -> PyResult<String> {
        let d: Decimal = value.trim().parse().map_err(|_| {
            input_error(
                py,
                "malformed_value",
                "value",
                format!("{value:?} is not a decimal"),
            )
        })?;
        Ok(self.inner.display(d))
    }

    /// One row per unit in ranked order: columns of the unit table (decimals as text).
    fn units_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ranked = self.inner.ranked();
        let d = PyDict::new(py);
        let col = |f: &dyn Fn(&par_index::UnitScore) -> String| -> Vec<String> {
            ranked.iter().map(|u| f(u)).collect()
        };
        set(&d, "unit", col(&|u| u.unit.clone()))?;
        set(
            &d,
            "group",
            ranked.iter().map(|u| u.group.clone()).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "label_vi",
            col(&|u| u.label.as_ref().map(|l| l.vi.clone()).unwrap_or_default()),
        )?;
        set(
            &d,
            "label_en",
            col(&|u| u.label.as_ref().map(|l| l.en.clone()).unwrap_or_default()),
        )?;
        for (name, f) in [
            (
                "points",
                (|u: &par_index::UnitScore| u.points) as fn(&par_index::UnitScore) -> Decimal,
            ),
            ("max_points", |u| u.max_points),
            ("index", |u| u.index),
            ("tree_points", |u| u.tree_points),
            ("bonus", |u| u.bonus),
            ("penalty", |u| u.penalty),
        ] {
            set(&d, name, col(&|u| dec(f(u))))?;
            set(
                &d,
                &format!("{name}_display"),
                col(&|u| self.inner.display(f(u))),
            )?;
        }
        set(
            &d,
            "tier",
            ranked.iter().map(|u| u.tier.clone()).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "tier_label",
            ranked
                .iter()
                .map(|u| u.tier_label.as_ref().map(|l| l.text("en").to_owned()))
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "rank",
            ranked.iter().map(|u| u.rank).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "group_size",
            ranked.iter().map(|u| u.group_size).collect::<Vec<_>>(),
        )?;
        Ok(d)
    }

    /// One row per unit and node: columns of the node table (decimals as text).
    fn nodes_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ranked = self.inner.ranked();
        let rows: Vec<(&par_index::UnitScore, &par_index::NodeScore)> = ranked
            .iter()
            .flat_map(|u| u.nodes.iter().map(move |n| (*u, n)))
            .collect();
        let d = PyDict::new(py);
        set(
            &d,
            "unit",
            rows.iter().map(|(u, _)| u.unit.clone()).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "code",
            rows.iter().map(|(_, n)| n.code.clone()).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "label",
            rows.iter()
                .map(|(_, n)| self.inner.node_label(&n.code).text("en").to_owned())
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "points",
            rows.iter().map(|(_, n)| dec(n.points)).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "max_points",
            rows.iter()
                .map(|(_, n)| dec(n.max_points))
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "percent",
            rows.iter()
                .map(|(_, n)| n.percent.map(dec))
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "status",
            rows.iter()
                .map(|(_, n)| status(n.status))
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "input",
            rows.iter()
                .map(|(_, n)| n.input.map(|v| v.to_text()))
                .collect::<Vec<_>>(),
        )?;
        Ok(d)
    }

    /// The audit trail of one unit: `(text, summary, columns of its lines)`.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        unit: String,
    ) -> PyResult<(String, String, Bound<'py, PyDict>)> {
        let card = Arc::clone(&self.inner);
        let audit = compute(py, move || card.explain(&unit))?;
        let d = PyDict::new(py);
        let l = &audit.lines;
        set(
            &d,
            "code",
            l.iter().map(|x| x.code.clone()).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "label",
            l.iter()
                .map(|x| x.label.text("en").to_owned())
                .collect::<Vec<_>>(),
        )?;
        set(&d, "depth", l.iter().map(|x| x.depth).collect::<Vec<_>>())?;
        set(
            &d,
            "points",
            l.iter().map(|x| dec(x.points)).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "max_points",
            l.iter().map(|x| dec(x.max_points)).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "percent",
            l.iter().map(|x| x.percent.map(dec)).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "status",
            l.iter().map(|x| status(x.status)).collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "input",
            l.iter()
                .map(|x| x.input.map(|v| v.to_text()))
                .collect::<Vec<_>>(),
        )?;
        set(
            &d,
            "how",
            l.iter().map(|x| x.how.clone()).collect::<Vec<_>>(),
        )?;
        Ok((audit.to_text(), audit.summary.clone(), d))
    }

    /// The audit trail of one unit as JSON.
    fn explain_json(&self, py: Python<'_>, unit: String) -> PyResult<String> {
        let card = Arc::clone(&self.inner);
        let audit = compute(py, move || card.explain(&unit))?;
        serde_json::to_string_pretty(&audit)
            .map_err(|e| input_error(py, "input_json", "audit", e.to_string()))
    }

    /// Strengths and weaknesses of one unit against its group, as JSON.
    fn profile_json(&self, py: Python<'_>, unit: String) -> PyResult<String> {
        let card = Arc::clone(&self.inner);
        let p = compute(py, move || card.profile(&unit))?;
        to_json(py, &p)
    }

    /// The leaves where one unit trails its group's mean most, worst first (at most `count`),
    /// as JSON.
    fn weaknesses_json(&self, py: Python<'_>, unit: String, count: usize) -> PyResult<String> {
        let card = Arc::clone(&self.inner);
        let p = compute(py, move || card.profile(&unit))?;
        to_json(py, &p.trails_group_most(count))
    }

    /// The nodes where one unit is above its group's mean, best first, as JSON.
    fn strengths_json(&self, py: Python<'_>, unit: String) -> PyResult<String> {
        let card = Arc::clone(&self.inner);
        let p = compute(py, move || card.profile(&unit))?;
        to_json(py, &p.strengths())
    }

    /// What one unit needs for the next tier and the next rank, as JSON.
    fn gap_json(&self, py: Python<'_>, unit: String) -> PyResult<String> {
        let card = Arc::clone(&self.inner);
        let g = compute(py, move || card.gap(&unit))?;
        to_json(py, &g)
    }

    /// Changes against a previous scorecard (`mapping`: previous code to current code), as JSON.
    #[pyo3(signature = (previous, mapping = std::collections::BTreeMap::new()))]
    fn compare_json(
        &self,
        py: Python<'_>,
        previous: &PyScorecard,
        mapping: std::collections::BTreeMap<String, String>,
    ) -> PyResult<String> {
        let (now, before) = (Arc::clone(&self.inner), Arc::clone(&previous.inner));
        let c = compute(py, move || Ok(now.compare(&before, &mapping)))?;
        to_json(py, &c)
    }

    fn __len__(&self) -> usize {
        self.inner.units.len()
    }
}

fn to_json<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string_pretty(value)
        .map_err(|e| input_error(py, "input_json", "", e.to_string()))
}

fn status(s: par_index::NodeStatus) -> &'static str {
    match s {
        par_index::NodeStatus::Scored => "scored",
        par_index::NodeStatus::NotApplicable => "not_applicable",
        par_index::NodeStatus::Missing => "missing",
    }
}

/// Names of the methodologies that ship with the library.
#[pyfunction]
pub fn preset_names() -> Vec<&'static str> {
    par_index::presets::names()
}

/// A methodology that ships with the library.
#[pyfunction]
pub fn preset_methodology(py: Python<'_>, name: String) -> PyResult<PyMethodology> {
    Ok(PyMethodology::new(compute(py, move || {
        par_index::presets::methodology(&name)
    })?))
}

/// Example or published assessments that ship with the library.
#[pyfunction]
pub fn preset_assessments(py: Python<'_>, name: String) -> PyResult<PyAssessments> {
    Ok(PyAssessments::new(compute(py, move || {
        par_index::presets::assessments(&name)
    })?))
}

/// Names of the tier schemes that ship with the library.
#[pyfunction]
pub fn preset_tier_scheme_names() -> Vec<&'static str> {
    par_index::presets::tier_scheme_names()
}

/// The published 2023 ministry table: columns rank, unit_vi, unit_en, appraisal, survey, total,
/// index (decimals as text).
#[pyfunction]
pub fn preset_par2023_ministries_table<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let rows = compute(py, par_index::presets::par2023_ministries_table)?;
    let d = PyDict::new(py);
    set(&d, "rank", rows.iter().map(|r| r.rank).collect::<Vec<_>>())?;
    set(
        &d,
        "unit_vi",
        rows.iter().map(|r| r.unit_vi.clone()).collect::<Vec<_>>(),
    )?;
    set(
        &d,
        "unit_en",
        rows.iter().map(|r| r.unit_en.clone()).collect::<Vec<_>>(),
    )?;
    set(
        &d,
        "appraisal",
        rows.iter().map(|r| dec(r.appraisal)).collect::<Vec<_>>(),
    )?;
    set(
        &d,
        "survey",
        rows.iter().map(|r| dec(r.survey)).collect::<Vec<_>>(),
    )?;
    set(
        &d,
        "total",
        rows.iter().map(|r| dec(r.total)).collect::<Vec<_>>(),
    )?;
    set(
        &d,
        "index",
        rows.iter().map(|r| dec(r.index)).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

/// The raw CSV of the published 2023 ministry table.
#[pyfunction]
pub fn preset_par2023_ministries_csv() -> &'static str {
    par_index::presets::PAR2023_MINISTRIES_CSV
}

/// A decimal (as text) rounded for display: `places` decimals, `mode` "half_up" or "half_even".
#[pyfunction]
#[pyo3(signature = (value, places = 2, mode = "half_up"))]
pub fn display(py: Python<'_>, value: &str, places: u32, mode: &str) -> PyResult<String> {
    let mode = match mode {
        "half_up" => par_index::RoundingMode::HalfUp,
        "half_even" => par_index::RoundingMode::HalfEven,
        other => {
            return Err(input_error(
                py,
                "bad_option",
                "mode",
                format!("mode must be half_up or half_even, not {other:?}"),
            ))
        }
    };
    let d: Decimal = value.trim().parse().map_err(|_| {
        input_error(
            py,
            "malformed_value",
            "value",
            format!("{value:?} is not a decimal"),
        )
    })?;
    Ok(par_index::Rounding { places, mode }.display(d))
}
