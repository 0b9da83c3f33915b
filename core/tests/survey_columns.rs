//! Column-wise input (the data-frame path): large tables, counted column by column on all cores, give
//! exactly what adding the rows one by one gives, also when a row is bad.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use par_index::survey::columns::ResponseColumns;
use par_index::survey::{AggregateOptions, Aggregator, SurveyDesign};
use rust_decimal::Decimal;

struct Table {
    units: Vec<i64>,
    groups: Vec<i64>,
    weights: Vec<f64>,
    answers: Vec<Vec<f64>>,
}

fn table(rows: usize) -> Table {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut t = Table { units: Vec::new(), groups: Vec::new(), weights: Vec::new(), answers: vec![Vec::new(); 3] };
    for _ in 0..rows {
        let u = (next() % 30) as i64;
        t.units.push(u);
        t.groups.push(u % 2);
        t.weights.push((100 + next() % 400) as f64 / 100.0);
        for a in &mut t.answers {
            a.push(match next() % 10 {
                0 => f64::NAN,
                k => (k % 5 + 1) as f64,
            });
        }
    }
    t
}

fn names(n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|k| format!("{prefix}{k}")).collect()
}

fn add(t: &Table, weighted: bool) -> (Aggregator, Result<u64, String>) {
    let design = SurveyDesign::from_item_codes(&["q1", "q2", "q3"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions { weighted }).unwrap();
    let answers: Vec<&[f64]> = t.answers.iter().map(Vec::as_slice).collect();
    let (unit_names, group_names) = (names(30, "unit-"), names(2, "g"));
    let r = agg.add_columns(&ResponseColumns {
        units: &t.units,
        unit_names: &unit_names,
        groups: Some(&t.groups),
        group_names: &group_names,
        weights: Some(&t.weights),
        answers: &answers,
        first_row: 1,
    });
    (agg, r.map_err(|e| format!("{} {}", e.code(), e.path())))
}

/// The same rows by `add_row`, one by one, stopping at the first error.
fn by_rows(t: &Table, weighted: bool) -> (Aggregator, Result<u64, String>) {
    let design = SurveyDesign::from_item_codes(&["q1", "q2", "q3"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions { weighted }).unwrap();
    for k in 0..t.units.len() {
        let answers: Vec<Option<i64>> = t.answers.iter().map(|a| (!a[k].is_nan()).then_some(a[k] as i64)).collect();
        let weight = Decimal::try_from(t.weights[k]).ok();
        let group = format!("g{}", t.groups[k]);
        if let Err(e) = agg.add_row(&format!("unit-{}", t.units[k]), Some(&group), weight, &answers) {
            return (agg, Err(format!("{} row {}", e.code(), k + 1)));
        }
    }
    let n = t.units.len() as u64;
    (agg, Ok(n))
}

#[test]
fn large_tables_equal_row_by_row() {
    let t = table(40_000);
    for weighted in [false, true] {
        let (a, ra) = add(&t, weighted);
        let (b, rb) = by_rows(&t, weighted);
        assert_eq!(ra, Ok(40_000));
        assert_eq!(rb, Ok(40_000));
        assert!(a == b, "weighted {weighted}: states differ");
    }
}

#[test]
fn a_bad_row_late_in_the_table_is_reported_with_the_rows_before_it_added() {
    // An answer off the scale in the second half, and a group conflict in the second half.
    let mut off_scale = table(40_000);
    off_scale.answers[1][30_000] = 7.0;
    let (a, ra) = add(&off_scale, true);
    assert_eq!(ra, Err("answer_out_of_scale row 30001, column q2".to_owned()));
    assert_eq!(a.respondent_count(), 30_000);
    let (b, _) = by_rows(&off_scale, true);
    assert!(a == b);
    let mut conflict = table(40_000);
    conflict.groups[35_000] = 1 - conflict.groups[35_000];
    let (a, ra) = add(&conflict, false);
    assert_eq!(ra, Err("group_conflict row 35001, column group".to_owned()));
    let (b, rb) = by_rows(&conflict, false);
    assert_eq!(rb, Err("group_conflict row 35001".to_owned()));
    assert!(a == b);
}
