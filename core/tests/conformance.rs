//! Runs every shared conformance case (conformance/cases/*.json) through the Rust API and writes
//! what it produced to out/conformance/rust/ for the cross-binding comparison.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers: a failed unwrap is a failed test

use par_index::{Assessments, CsvOptions, Methodology, Rounding, RoundingMode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// JSON given as text is passed as it is (so error columns agree across bindings); objects are
/// serialized.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn run(operation: &str, input: &Value) -> Result<Value, par_index::Error> {
    let methodology = || Methodology::from_json(&text(&input["methodology"]));
    let assessments = || -> Result<Assessments, par_index::Error> {
        match input.get("assessments_csv").and_then(Value::as_str) {
            Some(csv) => {
                let options: CsvOptions = match input.get("csv_options") {
                    Some(o) => serde_json::from_value(o.clone())
                        .map_err(|e| par_index::InputError::Json { path: "csv_options".into(), message: e.to_string() })?,
                    None => CsvOptions::default(),
                };
                Assessments::from_csv(csv.as_bytes(), &options)
            }
            None => Assessments::from_json(&text(&input["assessments"])),
        }
    };
    match operation {
        "score" => {
            let card = methodology()?.score(&assessments()?)?;
            Ok(serde_json::from_str(&card.to_json()).unwrap_or(Value::Null))
        }
        "explain" => {
            let card = methodology()?.score(&assessments()?)?;
            let audit = card.explain(input["unit"].as_str().unwrap_or(""))?;
            Ok(serde_json::to_value(&audit).unwrap_or(Value::Null))
        }
        "validate" => methodology().map(|_| json!({"valid": true})),
        "preset" => {
            let name = input["name"].as_str().unwrap_or("");
            match input["kind"].as_str() {
                Some("assessments") => par_index::presets::assessments(name).map(|_| json!({"valid": true})),
                _ => par_index::presets::methodology(name).map(|_| json!({"valid": true})),
            }
        }
        "profile" | "gap" => {
            let card = methodology()?.score(&assessments()?)?;
            let unit = input["unit"].as_str().unwrap_or("");
            let value = if operation == "profile" { serde_json::to_value(card.profile(unit)?) } else { serde_json::to_value(card.gap(unit)?) };
            Ok(value.unwrap_or(Value::Null))
        }
        "what_if" => {
            let scorer = par_index::Scorer::new(&methodology()?)?;
            let card = scorer.score(&assessments()?)?;
            let changes: Vec<par_index::analysis::Change> = serde_json::from_value(input.get("changes").cloned().unwrap_or(json!([])))
                .map_err(|e| par_index::InputError::Json { path: "changes".into(), message: e.to_string() })?;
            let result = match input.get("weights") {
                None => scorer.what_if(&card, &changes)?,
                Some(w) => {
                    let weights: Vec<par_index::analysis::WeightChange> = serde_json::from_value(w.clone())
                        .map_err(|e| par_index::InputError::Json { path: "weights".into(), message: e.to_string() })?;
                    scorer.what_if_weights(&card, &weights, &changes)?.1
                }
            };
            Ok(serde_json::to_value(result).unwrap_or(Value::Null))
        }
        "compare" => {
            let now = methodology()?.score(&assessments()?)?;
            let before = Methodology::from_json(&text(&input["previous_methodology"]))?.score(&Assessments::from_json(&text(&input["previous_assessments"]))?)?;
            let mapping: std::collections::BTreeMap<String, String> = serde_json::from_value(input.get("mapping").cloned().unwrap_or(json!({}))).unwrap_or_default();
            Ok(serde_json::to_value(now.compare(&before, &mapping)).unwrap_or(Value::Null))
        }
        "uncertainty" => {
            let scorer = par_index::Scorer::new(&methodology()?)?;
            let card = scorer.score(&assessments()?)?;
            let spec = par_index::analysis::UncertaintySpec::from_json(&text(&input["spec"]))?;
            Ok(serde_json::to_value(scorer.uncertainty(&card, &spec)?).unwrap_or(Value::Null))
        }
        "display" => {
            let mode = if input["mode"] == "half_even" { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
            let r = Rounding { places: input["places"].as_u64().unwrap_or(2) as u32, mode };
            let v: par_index::Decimal = input["value"].as_str().unwrap_or("").parse().unwrap_or_default();
            Ok(json!({"display": r.display(v)}))
        }
        other => match par_index::survey::conformance::run_operation(other, input) {
            Some(r) => r.map_err(par_index::Error::from),
            None => Ok(json!({"error": format!("unknown operation {other}")})),
        },
    }
}

/// `expected` is a subset of `actual`; returns the first difference.
fn subset(expected: &Value, actual: &Value, tolerance: f64, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).ok_or_else(|| format!("{at}.{k}: missing"))?;
                subset(ev, av, tolerance, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{at}: {} elements, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, tolerance, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if e == a || (e - a).abs() <= tolerance {
                Ok(())
            } else {
                Err(format!("{at}: {a}, expected {e} (tolerance {tolerance})"))
            }
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at}: {a}, expected {e}")),
    }
}

/// The case files, in name order.
fn case_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo().join("conformance/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

/// Runs one case: what it produced (the output, or `{"error": {code, path}}`) and the verdict.
fn check(case: &Value) -> (Value, Result<(), String>) {
    let tolerance = case.get("tolerance").and_then(Value::as_f64).unwrap_or(0.0);
    let result = run(case["operation"].as_str().unwrap(), &case["input"]);
    let produced = match &result {
        Ok(v) => v.clone(),
        Err(e) => json!({"error": {"code": e.code(), "path": e.path()}}),
    };
    let verdict = match (case.get("expected"), case.get("expected_error"), &result) {
        (Some(e), _, Ok(actual)) => subset(e, actual, tolerance, "output"),
        (_, Some(e), Err(_)) => subset(e, &produced["error"], 0.0, "error"),
        (Some(_), _, Err(err)) => Err(format!("failed with {}: {err}", err.code())),
        (_, Some(_), Ok(_)) => Err("succeeded, expected an error".to_owned()),
        (None, None, _) => Err("case has neither expected nor expected_error".to_owned()),
    };
    (produced, verdict)
}

#[test]
fn conformance_cases() {
    let out = repo().join("out/conformance/rust");
    std::fs::create_dir_all(&out).unwrap();
    let (mut passed, mut failures) = (0, Vec::new());
    for path in &case_paths() {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let name = case["name"].as_str().unwrap().to_owned();
        assert_eq!(Some(name.as_str()), path.file_stem().and_then(|s| s.to_str()), "case name must equal its file name");
        let (produced, verdict) = check(&case);
        std::fs::write(out.join(format!("{name}.json")), serde_json::to_string_pretty(&produced).unwrap()).unwrap();
        match verdict {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    println!("conformance (rust): {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "failed cases:\n{}", failures.join("\n"));
    assert!(passed > 0, "no conformance case ran");
}

/// Codes of docs/errors.md that no conformance operation can reach, each tested directly in
/// Rust by the file named (which must mention the code). Keep it short: a code belongs here
/// only when no shared operation can raise it.
const DIRECT: &[(&str, &str)] = &[
    // Merging aggregation states: no conformance operation merges (JavaScript has no merge).
    ("design_mismatch", "core/tests/survey_api.rs"),
    // Parsing a figure reference: only the Rust API parses one (a methodology's figures are
    // checked on load, as invalid_rule).
    ("invalid_figure", "core/tests/survey_api.rs"),
];

/// Every code of the error catalogue (table rows starting with "| `code`") that is neither the
/// code of a passing error case (`covered`), nor in `direct`, nor documented in its row as
/// "`binding`: cannot occur".
fn uncovered(catalogue: &str, covered: &BTreeSet<String>, direct: &[(&str, &str)], binding: &str) -> Vec<String> {
    let exempt = format!("{binding}: cannot occur");
    let mut rows: BTreeMap<&str, bool> = BTreeMap::new();
    for line in catalogue.lines().filter(|l| l.starts_with("| `")) {
        let code = line[3..].split('`').next().unwrap_or("");
        *rows.entry(code).or_default() |= line.contains(&exempt);
    }
    rows.into_iter()
        .filter(|&(code, exempt)| !exempt && !covered.contains(code) && !direct.iter().any(|(d, _)| *d == code))
        .map(|(code, _)| code.to_owned())
        .collect()
}

#[test]
fn every_catalogued_error_code_is_tested() {
    let catalogue = std::fs::read_to_string(repo().join("docs/errors.md")).unwrap();
    let mut covered = BTreeSet::new();
    for path in &case_paths() {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        if let Some(code) = case["expected_error"]["code"].as_str() {
            if check(&case).1.is_ok() {
                covered.insert(code.to_owned());
            }
        }
    }
    for (code, file) in DIRECT {
        assert!(catalogue.contains(&format!("| `{code}` |")), "{code} is not in docs/errors.md");
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        assert!(text.contains(&format!("\"{code}\"")), "{file} does not test {code}");
    }
    let missing = uncovered(&catalogue, &covered, DIRECT, "Rust");
    assert!(missing.is_empty(), "error codes with no conformance case and no direct Rust test: {missing:?}");
    // The check itself can fail: an uncovered code is named.
    let sample = "| `zz_new` | a |\n| `csv` | b |\n| `internal` | Rust: cannot occur |\n";
    assert_eq!(uncovered(sample, &BTreeSet::from(["csv".to_owned()]), &[], "Rust"), ["zz_new"]);
}
