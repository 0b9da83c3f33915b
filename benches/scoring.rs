//! Scoring benchmarks: the 2023 ministry table, and a province-sized problem (31 units, a
//! 100-leaf three-level tree), scored from scratch with a compiled `Scorer`.

#![allow(clippy::unwrap_used, missing_docs)] // a benchmark aborts on bad setup; it is not library code

use criterion::{criterion_group, criterion_main, Criterion as Bench};
use par_index::analysis::Change;
use par_index::{presets, Assessment, Assessments, Criterion, Decimal, Label, Methodology, Scorer, Value};
use std::hint::black_box;

/// 5 fields × 4 criteria × 5 sub-criteria of 1 point each = 100 leaves, 100 points.
pub fn province(units: usize) -> (Methodology, Assessments) {
    let mut m: Methodology = serde_json::from_str(r#"{"id": "bench", "title": {"vi": "", "en": ""}, "source": "bench", "max_points": "100", "criteria": []}"#).unwrap();
    for f in 1..=5 {
        let mut field = Criterion::leaf(format!("{f}"), Label::default(), Decimal::from(20));
        for c in 1..=4 {
            let mut crit = Criterion::leaf(format!("{f}.{c}"), Label::default(), Decimal::from(5));
            for s in 1..=5 {
                crit.children.push(Criterion::leaf(format!("{f}.{c}.{s}"), Label::default(), Decimal::ONE));
            }
            field.children.push(crit);
        }
        m.criteria.push(field);
    }
    let mut a = Assessments::default();
    for u in 0..units {
        let mut unit = Assessment::new(format!("unit-{u:02}")).with_group(if u < 19 { "department" } else { "district" });
        for (k, code) in (1..=5).flat_map(|f| (1..=4).flat_map(move |c| (1..=5).map(move |s| format!("{f}.{c}.{s}")))).enumerate() {
            let v = Decimal::new(((u * 37 + k * 11) % 101) as i64, 2);
            unit = unit.with_value(code, Value::Number(v));
        }
        a.units.push(unit);
    }
    (m, a)
}

fn benches(c: &mut Bench) {
    let m = presets::methodology("par2023-ministries").unwrap();
    let a = presets::assessments("par2023-ministries").unwrap();
    let scorer = Scorer::new(&m).unwrap();
    c.bench_function("score ministries 2023 (17 units, 2 leaves)", |b| b.iter(|| scorer.score(black_box(&a)).unwrap()));
    let (m, a) = province(31);
    let scorer = Scorer::new(&m).unwrap();
    c.bench_function("score province (31 units, 100 leaves)", |b| b.iter(|| scorer.score(black_box(&a)).unwrap()));
    c.bench_function("compile methodology (100 leaves)", |b| b.iter(|| Scorer::new(black_box(&m)).unwrap()));
    let card = scorer.score(&a).unwrap();
    c.bench_function("explain one unit (100 leaves)", |b| b.iter(|| card.explain(black_box("unit-07")).unwrap()));
    c.bench_function("profile one unit (31 units, 100 leaves)", |b| b.iter(|| card.profile(black_box("unit-07")).unwrap()));
    c.bench_function("gap of one unit (31 units, 100 leaves)", |b| b.iter(|| card.gap(black_box("unit-07")).unwrap()));
    let change = [Change { unit: "unit-07".into(), code: "3.2.4".into(), value: Some(Value::Number(Decimal::new(25, 2))) }];
    c.bench_function("what-if one value, new scorecard (31 units, 100 leaves)", |b| b.iter(|| scorer.what_if(black_box(&card), black_box(&change)).unwrap()));
    let mut live = card.clone();
    c.bench_function("what-if one value, in place (31 units, 100 leaves)", |b| b.iter(|| scorer.apply(black_box(&mut live), black_box(&change)).unwrap()));
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
