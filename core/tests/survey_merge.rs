//! Property tests: aggregation state merges exactly, and no input makes the readers panic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests abort on bad setup

use par_index::survey::{
    aggregate_csv, AggregateOptions, Aggregator, CiMethod, CiOptions, CsvOptions, SurveyDesign,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

type Row = (u8, Option<u8>, u32, Vec<Option<i64>>);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0u8..5,
            prop::option::of(0u8..2),
            1u32..100_000,
            prop::collection::vec(prop::option::of(prop_oneof![1i64..=5, Just(9)]), 3),
        ),
        0..60,
    )
}

fn design() -> SurveyDesign {
    SurveyDesign::from_json(
        r#"{"elements": [{"code": "e"}, {"code": "f"}],
            "items": [{"code": "q1", "element": "e"}, {"code": "q2", "element": "e"},
                      {"code": "q3", "element": "f", "filter": "q1", "filter_levels": [3, 4, 5]}],
            "missing_codes": [9]}"#,
    )
    .unwrap()
}

fn aggregate(rows: &[Row], weighted: bool) -> Aggregator {
    let mut agg = Aggregator::new(&design(), AggregateOptions { weighted }).unwrap();
    for (unit, _group, w, answers) in rows {
        // Weights with 3 decimals, exact as decimals.
        let w = Decimal::new(i64::from(*w), 3);
        agg.add_row(&format!("u{unit}"), None, Some(w), answers)
            .unwrap();
    }
    agg
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merge_of_chunks_equals_aggregate_of_all(rows in rows(), cut in 0usize..60, weighted in any::<bool>()) {
        let cut = cut.min(rows.len());
        let all = aggregate(&rows, weighted);
        let mut left = aggregate(&rows[..cut], weighted);
        left.merge(aggregate(&rows[cut..], weighted)).unwrap();
        prop_assert_eq!(&left, &all);
        // Merging the other way round gives the same state too.
        let mut right = aggregate(&rows[cut..], weighted);
        right.merge(aggregate(&rows[..cut], weighted)).unwrap();
        prop_assert_eq!(&right, &all);
        for method in [CiMethod::Wilson, CiMethod::KornGraubard] {
            let ci = CiOptions { method, level: 0.95 };
            prop_assert_eq!(left.finish(&ci).unwrap(), all.finish(&ci).unwrap());
        }
    }

    #[test]
    fn csv_reader_never_panics(text in ".{0,400}", weighted in any::<bool>()) {
        let design = SurveyDesign::from_item_codes(&["q1", "q2"]).unwrap();
        let mut opts = CsvOptions::new("unit");
        if weighted {
            opts.weight_column = Some("w".into());
        }
        let data = format!("unit,w,q1,q2\n{text}");
        if let Ok((state, report)) = aggregate_csv(data.as_bytes(), &design, &opts) {
            prop_assert_eq!(report.rows_read, report.rows_used + report.rows_rejected);
            prop_assert_eq!(report.rows_rejected as usize, report.rejections.len());
            for m in CiMethod::ALL {
                state.finish(&CiOptions { method: m, level: 0.9 }).unwrap();
            }
        }
    }

    #[test]
    fn intervals_are_ordered_and_inside_unit_interval(x in 0u32..2000, extra in 0u32..2000, level in 0.5f64..0.999) {
        let n = f64::from(x + extra).max(1.0);
        for m in CiMethod::ALL {
            if let Ok(ci) = par_index::survey::proportion_ci(f64::from(x).min(n), n, m, level) {
                prop_assert!(0.0 <= ci.low && ci.low <= ci.high && ci.high <= 1.0, "{m}: {ci:?}");
            }
        }
    }
}
