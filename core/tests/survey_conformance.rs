//! Runs the survey conformance cases (conformance/cases/sipas-*.json and ci-*.json) through
//! `par_index::survey::conformance::run_operation` alone, with the shared subset rule.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests abort on bad setup

use par_index::survey::conformance::run_operation;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

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
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            if e == a || (e - a).abs() <= tolerance {
                Ok(())
            } else {
                Err(format!(
                    "{at}: {a}, expected {e} (diff {:e}, tolerance {tolerance})",
                    (e - a).abs()
                ))
            }
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at}: {a}, expected {e}")),
    }
}

/// Largest absolute difference over numbers present in both (for the accuracy report).
fn max_diff(expected: &Value, actual: &Value) -> f64 {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .filter_map(|(k, ev)| a.get(k).map(|av| max_diff(ev, av)))
            .fold(0.0, f64::max),
        (Value::Array(e), Value::Array(a)) => e
            .iter()
            .zip(a)
            .map(|(x, y)| max_diff(x, y))
            .fold(0.0, f64::max),
        (Value::Number(e), Value::Number(a)) => (e.as_f64().unwrap() - a.as_f64().unwrap()).abs(),
        _ => 0.0,
    }
}

#[test]
fn survey_conformance_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            (n.starts_with("sipas-") || n.starts_with("ci-")) && n.ends_with(".json")
        })
        .collect();
    paths.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    let (mut worst_sm, mut worst_r) = (0.0f64, 0.0f64);
    for path in &paths {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let name = case["name"].as_str().unwrap().to_owned();
        assert_eq!(
            Some(name.as_str()),
            path.file_stem().and_then(|s| s.to_str())
        );
        let tolerance = case.get("tolerance").and_then(Value::as_f64).unwrap_or(0.0);
        let result = run_operation(case["operation"].as_str().unwrap(), &case["input"])
            .expect("a survey operation");
        let verdict = match (case.get("expected"), case.get("expected_error"), &result) {
            (Some(e), _, Ok(actual)) => {
                let d = max_diff(e, actual);
                if d > 1e-11 {
                    println!("{name}: largest difference {d:e}");
                }
                if tolerance < 1e-10 {
                    worst_sm = worst_sm.max(d);
                } else {
                    worst_r = worst_r.max(d);
                }
                subset(e, actual, tolerance, "output")
            }
            (_, Some(e), Err(err)) => subset(
                e,
                &json!({"code": err.code(), "path": err.path()}),
                0.0,
                "error",
            ),
            (Some(_), _, Err(err)) => Err(format!("failed with {}: {err}", err.code())),
            (_, Some(_), Ok(_)) => Err("succeeded, expected an error".to_owned()),
            (None, None, _) => Err("case has neither expected nor expected_error".to_owned()),
        };
        match verdict {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    println!(
        "survey conformance: {passed} passed, {} failed",
        failures.len()
    );
    println!("largest difference: statsmodels cases {worst_sm:e}, R cases {worst_r:e}");
    assert!(
        failures.is_empty(),
        "failed cases:\n{}",
        failures.join("\n")
    );
    assert!(passed >= 30, "only {passed} survey cases ran");
}
