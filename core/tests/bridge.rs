//! From survey rows plus appraisal points to the full provincial scorecard.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers: a failed unwrap is a failed test

use par_index::survey::{AggregateOptions, Aggregator, CiOptions, Response, SurveyDesign};
use par_index::{presets, Decimal};
use std::collections::BTreeMap;

fn response(unit: &str, answer: i64) -> Response {
    Response { unit: unit.into(), group: None, weight: None, answers: BTreeMap::from([("q1".to_owned(), Some(answer))]) }
}

#[test]
fn survey_result_feeds_the_sipas_leaf() {
    let m = presets::methodology("example-province").unwrap();
    let mut a = presets::assessments("example-province").unwrap();
    for u in &mut a.units {
        u.values.remove("6.2.1");
    }
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    // so-kh-dt: 19 of 20 satisfied (95 %); so-tn-mt: 3 of 4 (75 %); chau-thanh: 1 of 2; thanh-binh: no answers.
    for k in 0..20 {
        agg.add(&response("so-kh-dt", if k == 0 { 2 } else { 5 })).unwrap();
    }
    for k in [4, 4, 5, 1] {
        agg.add(&response("so-tn-mt", k)).unwrap();
    }
    for k in [3, 4] {
        agg.add(&response("chau-thanh", k)).unwrap();
    }
    let sipas = agg.finish(&CiOptions::default()).unwrap();
    let mut filled = a.clone();
    let report = filled.fill_from_survey(&m, &sipas).unwrap();
    let got: Vec<(&str, String)> = report.filled.iter().map(|f| (f.unit.as_str(), f.percent.to_string())).collect();
    assert_eq!(got, vec![("so-kh-dt", "95".to_owned()), ("so-tn-mt", "75".to_owned()), ("chau-thanh", "50".to_owned())]);
    assert_eq!(report.unfilled, vec![("thanh-binh".to_owned(), "6.2.1".to_owned())]);

    // Thanh Bình has no survey answers: the default missing policy makes that an error that names it.
    let err = m.score_with_survey(&a, &sipas).unwrap_err();
    assert_eq!((err.code(), err.path().as_str()), ("missing_value", "unit \"thanh-binh\""));

    a.units.retain(|u| u.unit != "thanh-binh");
    let (card, _) = m.score_with_survey(&a, &sipas).unwrap();
    let leaf = card.unit("so-kh-dt").unwrap().node("6.2.1").unwrap();
    assert_eq!(leaf.points, Decimal::new(95, 1)); // 10 points × 95 %
    assert_eq!(card.unit("chau-thanh").unwrap().node("6.2.1").unwrap().points, Decimal::from(5));

    // A value given both directly and by the survey is refused, not overwritten.
    let mut twice = presets::assessments("example-province").unwrap();
    let err = twice.fill_from_survey(&m, &sipas).unwrap_err();
    assert_eq!(err.code(), "duplicate_value");
}
