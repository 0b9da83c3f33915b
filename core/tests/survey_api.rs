//! SIPAS aggregation: designs, readers, results, errors (one test per error path), merging.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests abort on bad setup

use par_index::ranking::TiePolicy;
use par_index::survey::{
    aggregate_csv, proportion_ci, responses_from_json, sample_size, AggregateOptions, Aggregator,
    CiMethod, CiOptions, CsvOptions, Figure, Response, SurveyDesign, SurveyError,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn design_err(json: &str) -> SurveyError {
    SurveyDesign::from_json(json).unwrap_err()
}

const FIVE: &str = include_str!("../data/survey-designs/sipas-2640-five-elements.json");
const NATIONAL: &str = include_str!("../data/survey-designs/sipas-national-2022.json");

#[test]
fn shipped_designs_load() {
    let five = SurveyDesign::from_json(FIVE).unwrap();
    assert_eq!(five.elements.len(), 5);
    assert!(five.notes.iter().any(|n| n.contains("NOT sourced")));
    let national = SurveyDesign::from_json(NATIONAL).unwrap();
    assert_eq!(national.items.len(), 33);
    let count = |e: &str| national.items.iter().filter(|i| i.element == e).count();
    assert_eq!(
        [
            count("policy"),
            count("access"),
            count("procedures"),
            count("civil_servants"),
            count("results"),
            count("feedback")
        ],
        [14, 4, 4, 5, 3, 3]
    );
    assert_eq!(national.scale.len(), 5);
    assert_eq!(national.scale[0].label.vi, "Rất không hài lòng");
    assert_eq!(national.satisfied, vec![4, 5]);
}

#[test]
fn design_round_trips_through_json() {
    let national = SurveyDesign::from_json(NATIONAL).unwrap();
    let text = serde_json::to_string(&national).unwrap();
    assert_eq!(SurveyDesign::from_json(&text).unwrap(), national);
}

#[test]
fn design_error_paths() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"elements": [], "items": [{"code": "q", "element": "e"}]}"#,
            "empty",
            "elements",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": []}"#,
            "empty",
            "items",
        ),
        (
            r#"{"elements": [{"code": "e"}, {"code": "e"}], "items": [{"code": "q", "element": "e"}]}"#,
            "duplicate_code",
            "elements[1].code",
        ),
        (
            r#"{"elements": [{"code": ""}], "items": [{"code": "q", "element": ""}]}"#,
            "empty",
            "elements[0].code",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "", "element": "e"}]}"#,
            "empty",
            "items[0].code",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "scale": []}"#,
            "empty",
            "scale",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "scale": [{"code": 1}, {"code": 1}]}"#,
            "duplicate_code",
            "scale[1].code",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "satisfied": []}"#,
            "empty",
            "satisfied",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "satisfied": [5, 5]}"#,
            "duplicate_code",
            "satisfied[1]",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "missing_codes": [3]}"#,
            "invalid_design",
            "missing_codes[0]",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "missing_codes": [9], "not_applicable_codes": [9]}"#,
            "duplicate_code",
            "not_applicable_codes[0]",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e", "filter_levels": [1]}]}"#,
            "invalid_design",
            "items[0].filter_levels",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "u", "element": "e"}, {"code": "q", "element": "e", "filter": "u"}]}"#,
            "empty",
            "items[1].filter_levels",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "u", "element": "e"}, {"code": "q", "element": "e", "filter": "u", "filter_levels": [7]}]}"#,
            "unknown_level",
            "items[1].filter_levels[0]",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "overall_rule": "item:zz"}"#,
            "unknown_item",
            "overall_rule",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "colour": "red"}"#,
            "survey_json",
            "",
        ),
        (
            r#"{"elements": [{"code": "e"}], "items": [{"code": "q", "element": "e"}], "overall_rule": "median"}"#,
            "survey_json",
            "",
        ),
    ];
    for (json, code, path) in cases {
        let e = design_err(json);
        assert_eq!((e.code(), e.path().as_str()), (*code, *path), "{json}: {e}");
    }
    let e = SurveyDesign::from_item_codes(&["a", "a"]).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("duplicate_code", "elements[1].code")
    );
}

fn r(unit: &str, answers: &[(&str, Option<i64>)]) -> Response {
    Response {
        unit: unit.into(),
        group: None,
        weight: None,
        answers: answers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[test]
fn aggregation_error_paths_leave_state_unchanged() {
    let design = SurveyDesign::from_item_codes(&["q1", "q2"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    agg.add(&r("a", &[("q1", Some(5))])).unwrap();
    let before = agg.clone();
    let e = agg
        .add(&r("a", &[("q1", Some(4)), ("q2", Some(0))]))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("answer_out_of_scale", "answers.q2")
    );
    let e = agg.add(&r("a", &[("q3", Some(4))])).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("unknown_item", "answers.q3")
    );
    let e = agg.add(&r("", &[("q1", Some(4))])).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("missing_unit", "unit"));
    let mut g = r("a", &[]);
    g.group = Some("g".into());
    let e = agg.add(&g).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("group_conflict", "group"));
    let e = agg.add_row("a", None, None, &[Some(1)]).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("invalid_input", "answers"));
    assert_eq!(agg, before);
    let mut weighted = Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap();
    let e = weighted.add(&r("a", &[])).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("bad_weight", "weight"));
    let e = weighted
        .add_row("a", None, Some(d("0")), &[None, None])
        .unwrap_err();
    assert_eq!(e.code(), "bad_weight");
    let e = weighted
        .add_row("a", None, Some(Decimal::MAX), &[None, None])
        .unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("decimal_overflow", "weight"));
    assert_eq!(weighted.unit_count(), 0);
    let e = agg
        .finish(&CiOptions {
            method: CiMethod::Wilson,
            level: 0.0,
        })
        .unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("bad_option", "level"));
    let e = agg.clone().merge(weighted).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("design_mismatch", "merge"));
    let other = Aggregator::new(
        &SurveyDesign::from_item_codes(&["x"]).unwrap(),
        AggregateOptions::default(),
    )
    .unwrap();
    assert_eq!(agg.merge(other).unwrap_err().code(), "design_mismatch");
}

#[test]
fn decimal_overflow_in_sums_is_an_error() {
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap();
    let big = d("100000000000000"); // w^2 = 1e28
    for _ in 0..7 {
        agg.add_row("a", None, Some(big), &[Some(5)]).unwrap();
    }
    let e = agg.add_row("a", None, Some(big), &[Some(5)]).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("decimal_overflow", "weight"));
    let mut other = Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap();
    for _ in 0..7 {
        other.add_row("a", None, Some(big), &[Some(5)]).unwrap();
    }
    let snapshot = agg.clone();
    assert_eq!(agg.merge(other).unwrap_err().code(), "decimal_overflow");
    assert_eq!(agg, snapshot);
}

#[test]
fn counts_shares_indices_and_ranks() {
    let design = SurveyDesign::from_json(
        r#"{"elements": [{"code": "a"}, {"code": "b"}],
            "items": [{"code": "q1", "element": "a"}, {"code": "q2", "element": "a"}, {"code": "q3", "element": "b"}],
            "missing_codes": [9], "not_applicable_codes": [8]}"#,
    )
    .unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    // Unit x: q1 5,4,3,9 -> 2 of 3; q2 5,5,8,null -> 2 of 2; q3 1,2,4,5 -> 2 of 4.
    let rows = [
        [Some(5), Some(5), Some(1)],
        [Some(4), Some(5), Some(2)],
        [Some(3), Some(8), Some(4)],
        [Some(9), None, Some(5)],
    ];
    for row in rows {
        agg.add_row("x", Some("dept"), None, &row).unwrap();
    }
    agg.add_row("y", Some("dept"), None, &[Some(5), Some(5), Some(5)])
        .unwrap();
    agg.add_row("z", Some("district"), None, &[Some(1), Some(1), Some(1)])
        .unwrap();
    agg.add_row("w", Some("district"), None, &[None, None, None])
        .unwrap();
    let res = agg.finish(&CiOptions::default()).unwrap();
    let x = res.unit("x").unwrap();
    let q1 = &x.items[0];
    assert_eq!(
        (q1.n, q1.n_missing, q1.n_not_applicable, q1.satisfied),
        (3, 1, 0, 2)
    );
    assert_eq!(q1.levels, vec![0, 0, 1, 1, 1]);
    assert_eq!(q1.mean, Some(d("4")));
    assert_eq!(x.items[1].n_not_applicable, 1);
    assert_eq!(x.items[1].share, Some(d("1")));
    assert_eq!(x.items[2].share, Some(d("0.5")));
    // Element a = mean(66.67, 100); b = 50; overall = mean of elements.
    assert_eq!(x.elements[1].index, Some(d("50")));
    let a = x.elements[0].index.unwrap();
    assert_eq!(a.round_dp(10), d("83.3333333333"));
    assert_eq!(x.overall.unwrap().round_dp(10), d("66.6666666667"));
    assert_eq!(res.figure("x", &Figure::Element("b".into())), Some(d("50")));
    assert_eq!(res.figure("x", &Figure::Item("q3".into())), Some(d("50")));
    assert_eq!(res.figure("nobody", &Figure::Overall), None);
    // Unit w has no valid answer: no share, no index, no rank.
    let w = res.unit("w").unwrap();
    assert_eq!((w.items[0].share, w.overall, w.rank), (None, None, None));
    assert_eq!(w.items[0].ci_low, None);
    // Ranks: y 100, x 66.7, z 0.
    let ranks: Vec<_> = res
        .overall_rows()
        .iter()
        .map(|r| (r.unit.clone(), r.rank, r.group_rank))
        .collect();
    assert_eq!(
        ranks,
        vec![
            ("w".into(), None, None),
            ("x".into(), Some(2), Some(2)),
            ("y".into(), Some(1), Some(1)),
            ("z".into(), Some(3), Some(1))
        ]
    );
    let c = res.count_above(d("60"));
    assert_eq!((c.above, c.total), (2, 3));
    assert_eq!(res.groups.len(), 2);
    assert_eq!(res.groups[0].unit, "dept");
    assert_eq!(res.groups[0].items[0].n, 4);
    assert_eq!(res.all.respondents, 7);
    assert_eq!(res.item_rows().len(), 12);
    assert_eq!(res.element_rows().len(), 8);
}

#[test]
fn rerank_with_tie_policies() {
    let design = SurveyDesign::from_item_codes(&["q"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    for (u, v) in [("a", 5), ("b", 5), ("c", 1), ("d", 4)] {
        agg.add_row(u, None, None, &[Some(v)]).unwrap();
    }
    agg.add_row("d", None, None, &[Some(2)]).unwrap();
    let mut res = agg.finish(&CiOptions::default()).unwrap();
    let ranks = |r: &par_index::survey::SipasResult| {
        r.units.iter().map(|u| u.rank.unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(ranks(&res), vec![1, 1, 4, 3]);
    res.rerank(TiePolicy::Dense);
    assert_eq!(ranks(&res), vec![1, 1, 3, 2]);
    res.rerank(TiePolicy::Ordinal);
    assert_eq!(ranks(&res), vec![1, 2, 4, 3]);
}

#[test]
fn pooled_and_item_rules() {
    let base = r#""elements": [{"code": "a"}, {"code": "b"}],
        "items": [{"code": "q1", "element": "a"}, {"code": "q2", "element": "a"}, {"code": "q3", "element": "b"}]"#;
    let rows = [
        [Some(5), Some(1), Some(5)],
        [Some(5), None, Some(2)],
        [Some(4), None, Some(2)],
        [Some(1), None, Some(2)],
    ];
    let run = |rules: &str| {
        let design = SurveyDesign::from_json(&format!("{{{base}, {rules}}}")).unwrap();
        let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
        for row in rows {
            agg.add_row("u", None, None, &row).unwrap();
        }
        agg.finish(&CiOptions::default()).unwrap().units.remove(0)
    };
    // q1 3/4, q2 0/1, q3 1/4.
    let pooled = run(r#""element_rule": "pooled", "overall_rule": "pooled""#);
    assert_eq!(pooled.elements[0].index, Some(d("60")));
    assert_eq!(pooled.overall, Some(d("44.444444444444444444444444444")));
    let mean = run(r#""element_rule": "mean_of_items", "overall_rule": "mean_of_elements""#);
    assert_eq!(mean.elements[0].index, Some(d("37.5")));
    assert_eq!(mean.overall, Some(d("31.25")));
    let item = run(r#""overall_rule": "item:q3""#);
    assert_eq!(item.overall, Some(d("25")));
}

#[test]
fn filter_item_counts_only_users() {
    let design = SurveyDesign::from_json(
        r#"{"elements": [{"code": "e"}], "items": [{"code": "used", "element": "e"},
            {"code": "q", "element": "e", "filter": "used", "filter_levels": [5]}]}"#,
    )
    .unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    agg.add_row("u", None, None, &[Some(5), Some(4)]).unwrap();
    agg.add_row("u", None, None, &[Some(1), Some(4)]).unwrap();
    agg.add_row("u", None, None, &[None, Some(1)]).unwrap();
    let res = agg.finish(&CiOptions::default()).unwrap();
    let q = &res.units[0].items[1];
    assert_eq!((q.n, q.n_not_applicable, q.satisfied), (1, 2, 1));
}

#[test]
fn csv_reports_every_rejected_row() {
    let design = SurveyDesign::from_item_codes(&["q1", "q2"]).unwrap();
    let data = "id,unit,group,q1,q2,age\n\
                1,A,dept,5,4,30\n\
                2,A,dept,6,4,31\n\
                3,B,dept, 3 ,,40\n\
                4,,dept,4,4,22\n\
                5,B,district,4,4,1\n\
                6,C,dept,4.5,4,1\n\
                7,C,dept,4,4\n\
                8,C,dept,-1,1,3\n";
    let mut opts = CsvOptions::new("unit");
    opts.group_column = Some("group".into());
    let (state, report) = aggregate_csv(data.as_bytes(), &design, &opts).unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (8, 2, 6)
    );
    assert_eq!(
        report.ignored_columns,
        vec!["id".to_owned(), "age".to_owned()]
    );
    let got: Vec<(u64, Option<&str>, &str)> = report
        .rejections
        .iter()
        .map(|r| (r.line, r.column.as_deref(), r.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, Some("q1"), "answer_out_of_scale"),
            (5, Some("unit"), "missing_unit"),
            (6, Some("group"), "group_conflict"),
            (7, Some("q1"), "answer_out_of_scale"),
            (8, None, "csv_row"),
            (9, Some("q1"), "answer_out_of_scale"),
        ]
    );
    assert_eq!(report.rejections[0].to_error().path(), "row 3, column q1");
    assert!(report.rejections[0].reason.contains("\"6\""));
    let res = state.finish(&CiOptions::default()).unwrap();
    assert_eq!(res.units.len(), 2);
    assert_eq!(res.unit("B").unwrap().items[1].n_missing, 1);
}

#[test]
fn csv_errors_and_weights() {
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let e = aggregate_csv(
        "unit,q2\nA,4\n".as_bytes(),
        &design,
        &CsvOptions::new("unit"),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("missing_column", "header, column q1")
    );
    let e = aggregate_csv("u,q1\nA,4\n".as_bytes(), &design, &CsvOptions::new("unit")).unwrap_err();
    assert_eq!(e.code(), "missing_column");
    let mut opts = CsvOptions::new("unit");
    opts.weight_column = Some("w".into());
    let data = "unit;w;q1\nA;1.5;5\nA;2.5;1\nA;x;4\nA;-2;4\nB;1e0;4\n";
    opts.delimiter = b';';
    let (state, report) = aggregate_csv(data.as_bytes(), &design, &opts).unwrap();
    assert_eq!((report.rows_used, report.rows_rejected), (3, 2));
    assert_eq!(report.rejections[0].code, "bad_weight");
    assert_eq!(report.rejections[1].column.as_deref(), Some("w"));
    let res = state
        .finish(&CiOptions {
            method: CiMethod::Logit,
            level: 0.95,
        })
        .unwrap();
    let a = &res.units[0].items[0];
    assert_eq!(a.share, Some(d("0.375")));
    assert_eq!(a.weighted_n, d("4"));
    assert!((a.n_eff.unwrap() - 16.0 / 8.5).abs() < 1e-15);
    // An unweighted state refuses a weight column and vice versa.
    let mut plain = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    assert_eq!(
        plain.add_csv(data.as_bytes(), &opts).unwrap_err().code(),
        "bad_option"
    );
}

#[test]
fn csv_and_json_readers_agree() {
    let design = SurveyDesign::from_item_codes(&["q1", "q2"]).unwrap();
    let json = r#"[{"unit": "A", "weight": 1.25, "answers": {"q1": 5, "q2": null}},
                   {"unit": "B", "weight": "2", "answers": {"q1": 3, "q2": 4}},
                   {"unit": "A", "weight": 0.75, "answers": {"q2": 2}}]"#;
    let mut from_json = Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap();
    for resp in responses_from_json(json).unwrap() {
        from_json.add(&resp).unwrap();
    }
    let csv = "unit,weight,q1,q2\nA,1.25,5,\nB,2,3,4\nA,0.75,,2\n";
    let mut opts = CsvOptions::new("unit");
    opts.weight_column = Some("weight".into());
    let (from_csv, _) = aggregate_csv(csv.as_bytes(), &design, &opts).unwrap();
    assert_eq!(from_json, from_csv);
    assert_eq!(responses_from_json("{").unwrap_err().code(), "survey_json");
}

#[test]
fn results_serialize_with_decimal_strings() {
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    agg.add_row("A", None, None, &[Some(5)]).unwrap();
    agg.add_row("A", None, None, &[Some(2)]).unwrap();
    let res = agg
        .finish(&CiOptions {
            method: CiMethod::ClopperPearson,
            level: 0.95,
        })
        .unwrap();
    let v = serde_json::to_value(res.item_rows()).unwrap();
    assert_eq!(v[0]["share"], "0.5");
    assert_eq!(v[0]["mean"], "3.5");
    assert!(v[0]["ci_low"].is_f64());
    let o = serde_json::to_value(res.overall_rows()).unwrap();
    assert_eq!(o[0]["index"], "50");
    let back: par_index::survey::SipasResult =
        serde_json::from_value(serde_json::to_value(&res).unwrap()).unwrap();
    assert_eq!(back, res);
}

#[test]
fn figures_parse_display_and_serde() {
    for (text, f) in [
        ("overall", Figure::Overall),
        ("element:access", Figure::Element("access".into())),
        ("item:q12", Figure::Item("q12".into())),
    ] {
        assert_eq!(text.parse::<Figure>().unwrap(), f);
        assert_eq!(f.to_string(), text);
        assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!(text));
        assert_eq!(
            serde_json::from_value::<Figure>(serde_json::json!(text)).unwrap(),
            f
        );
    }
    for bad in ["", "element:", "items:q", "total"] {
        let e = bad.parse::<Figure>().unwrap_err();
        assert_eq!((e.code(), e.path().as_str()), ("invalid_figure", "figure"));
    }
}

#[test]
fn sample_size_rule() {
    // n = N / (1 + N e^2), rounded up.
    assert_eq!(sample_size(10_000, d("0.05")).unwrap(), 385);
    assert_eq!(sample_size(400, d("0.05")).unwrap(), 200);
    assert_eq!(sample_size(0, d("0.05")).unwrap(), 0);
    assert_eq!(sample_size(1_000_000, d("0.05")).unwrap(), 400);
    let e = sample_size(100, d("0")).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("bad_option", "margin"));
}

#[test]
fn domain_check_values() {
    // Wilson check values of the domain notes use z = 1.96 rounded; we (like statsmodels) use
    // the exact quantile 1.959963984540054, so they agree to about 1e-5. The exact-z values
    // are in conformance/cases/ci-wilson-*.json at 1e-12.
    let w = |x: f64, n: f64| proportion_ci(x, n, CiMethod::Wilson, 0.95).unwrap();
    let ci = w(50.0, 100.0);
    assert!(
        (ci.low - 0.40382982859014716).abs() < 1e-5 && (ci.high - 0.5961701714098528).abs() < 1e-5
    );
    let ci = w(10.0, 90.0 + 10.0);
    assert!(
        (ci.low - 0.05522854161313612).abs() < 1e-5 && (ci.high - 0.1743673043676654).abs() < 1e-5
    );
    let ci = w(0.0, 100.0);
    assert!(ci.low.abs() < 1e-12 && (ci.high - 0.03699480747600191).abs() < 1e-5);
    let cp = proportion_ci(96.0, 100.0, CiMethod::ClopperPearson, 0.95).unwrap();
    assert_eq!(
        (format!("{:.5}", cp.low), format!("{:.5}", cp.high)),
        ("0.90074".into(), "0.98900".into())
    );
    let cp = proportion_ci(0.0, 10.0, CiMethod::ClopperPearson, 0.95).unwrap();
    assert_eq!((cp.low, format!("{:.5}", cp.high)), (0.0, "0.30850".into()));
    for m in CiMethod::ALL {
        assert_eq!(m.as_str().parse::<CiMethod>().unwrap(), m);
        let e = proportion_ci(1.0, 1.0, m, 0.95);
        assert_eq!(e.is_err(), m.is_design_based(), "{m}");
    }
}

#[test]
fn whole_number_floats_are_answers_and_fractions_are_not() {
    use par_index::survey::{aggregate_csv, CiOptions, CsvOptions, SurveyDesign};
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let csv = "unit,q1\na,4.0\na,5.00\na,\na,3.5\n";
    let (agg, report) = aggregate_csv(csv.as_bytes(), &design, &CsvOptions::new("unit")).unwrap();
    assert_eq!((report.rows_read, report.rows_used, report.rows_rejected), (4, 3, 1));
    assert_eq!(report.rejections[0].line, 5);
    let r = agg.finish(&CiOptions::default()).unwrap();
    assert_eq!(r.units[0].items[0].satisfied, 2);
}
