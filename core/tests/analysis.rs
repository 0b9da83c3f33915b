//! Analysis: profiles, gaps and what-if, with exact expected values and properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers: a failed unwrap is a failed test

use par_index::analysis::Change;
use par_index::{presets, Assessments, Decimal, Scorer, Value};
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn ministries() -> (Scorer, Assessments) {
    (Scorer::new(&presets::methodology("par2023-ministries").unwrap()).unwrap(), presets::assessments("par2023-ministries").unwrap())
}

#[test]
fn profile_of_a_ministry_against_its_group() {
    let (s, a) = ministries();
    let card = s.score(&a).unwrap();
    let p = card.profile("Ministry of Foreign Affairs").unwrap();
    let appraisal = p.nodes.iter().find(|n| n.code == "appraisal").unwrap();
    assert_eq!(appraisal.lost, d("16.38"));
    assert_eq!(appraisal.group_rank, 17);
    // Best appraisal: State Bank 62.67 / 68.5.
    assert_eq!(appraisal.group_best, d("62.67") * d("100") / d("68.5"));
    let survey = p.nodes.iter().find(|n| n.code == "survey").unwrap();
    assert_eq!(survey.lost, d("5.15"));
    assert_eq!(survey.group_rank, 5);
    assert!(survey.versus_mean > Decimal::ZERO, "its survey score is above the ministries' mean");
    // At the group's mean percentage a ministry loses 68.5 minus the mean appraisal points.
    let points: Vec<Decimal> = card.units.iter().map(|u| u.node("appraisal").unwrap().points).collect();
    let mean_points = points.iter().copied().sum::<Decimal>() / Decimal::from(points.len() as u64);
    assert!((appraisal.group_mean_lost - (d("68.5") - mean_points)).abs() < d("1e-20"), "{}", appraisal.group_mean_lost);
    assert_eq!(appraisal.group_mean_lost.round_dp(2), d("9.80")); // 68.5 - 997.82 / 17, from the published table
    assert_eq!(p.trails_group_most(5).iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), vec!["appraisal"]);
}

#[test]
fn gaps_of_the_ministry_of_health() {
    let (s, a) = ministries();
    let card = s.score(&a).unwrap();
    let g = card.gap("Ministry of Health").unwrap();
    assert_eq!(g.index, d("79.80"));
    let tier = g.next_tier.unwrap();
    assert_eq!((tier.tier.as_str(), tier.points_needed, tier.index_needed), ("B", d("0.2"), d("0.2")));
    let rank = g.next_rank.unwrap();
    assert_eq!((rank.unit.as_str(), rank.rank, rank.points_needed), ("Ministry of Planning and Investment", 14, d("0.27")));
    assert_eq!(g.headroom.iter().map(|h| (h.code.as_str(), h.available)).collect::<Vec<_>>(), vec![("appraisal", d("12.69")), ("survey", d("7.51"))]);
    assert_eq!(g.headroom[1].cumulative, d("20.2"));
}

#[test]
fn gap_added_reaches_the_tier_exactly() {
    let (s, a) = ministries();
    let card = s.score(&a).unwrap();
    for u in &card.units {
        let g = card.gap(&u.unit).unwrap();
        let Some(next) = g.next_tier else { continue };
        // Put the needed points on the leaf with the most headroom.
        let leaf = &g.headroom[0];
        assert!(leaf.available >= next.points_needed);
        let current = u.node(&leaf.code).unwrap().points;
        let change = Change { unit: u.unit.clone(), code: leaf.code.clone(), value: Some(Value::Number(current + next.points_needed)) };
        let w = s.what_if(&card, &[change]).unwrap();
        let after = w.scorecard.unit(&u.unit).unwrap();
        assert_eq!(after.index, next.min_index, "{}", u.unit);
        assert_eq!(after.tier.as_deref(), Some(next.tier.as_str()), "{}", u.unit);
    }
}

#[test]
fn what_if_moves_ranks_and_tiers() {
    let (s, a) = ministries();
    let card = s.score(&a).unwrap();
    let w = s
        .what_if(&card, &[Change { unit: "Ministry of Industry and Trade".into(), code: "appraisal".into(), value: Some(Value::Number(d("68.5"))) }])
        .unwrap();
    let moit = w.movements.iter().find(|m| m.unit == "Ministry of Industry and Trade").unwrap();
    assert_eq!((moit.rank_before, moit.rank_after), (17, 1));
    assert_eq!((moit.tier_before.as_deref(), moit.tier_after.as_deref()), (Some("C"), Some("A")));
    assert_eq!(moit.index_after, d("92.32"));
    let moj = w.movements.iter().find(|m| m.unit == "Ministry of Justice").unwrap();
    assert_eq!((moj.rank_before, moj.rank_after), (1, 2));
}

#[test]
fn what_if_errors_name_the_change() {
    let (s, a) = ministries();
    let card = s.score(&a).unwrap();
    let e = s.what_if(&card, &[Change { unit: "Nobody".into(), code: "survey".into(), value: None }]).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("unknown_unit", "changes[0].unit"));
    let e = s.what_if(&card, &[Change { unit: "Ministry of Health".into(), code: "survey".into(), value: Some(Value::Number(d("32"))) }]).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("above_maximum", "changes[0].value"));
}

proptest! {
    #[test]
    fn what_if_equals_rescoring_from_scratch(unit in 0usize..4, leaf in 0usize..16, share in 0i64..=1000, na in any::<bool>()) {
        let m = presets::methodology("example-province").unwrap();
        let s = Scorer::new(&m).unwrap();
        let a = presets::assessments("example-province").unwrap();
        let card = s.score(&a).unwrap();
        let codes = ["1.1.1", "1.1.2", "1.2.1", "1.3.1", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "3.1.1", "3.1.2", "4.1.1", "4.1.2", "5.1.1", "6.1.1", "6.2.1", "6.3.1"];
        let code = codes[leaf];
        let node = m.find(code).unwrap();
        let value = if na {
            Value::NotApplicable
        } else {
            match node.rule.as_ref().map(|r| r.kind()) {
                Some("yes_no") => if share > 500 { Value::Yes } else { Value::No },
                Some("points") | None => Value::Number(node.max_points * Decimal::new(share, 3)),
                _ => Value::Number(Decimal::new(share, 1)),
            }
        };
        let mut changed = a.clone();
        changed.units[unit].values.insert(code.to_owned(), value);
        let change = Change { unit: a.units[unit].unit.clone(), code: code.to_owned(), value: Some(value) };
        match (s.what_if(&card, &[change]), s.score(&changed)) {
            (Ok(w), Ok(fresh)) => prop_assert_eq!(w.scorecard, fresh),
            (Err(e), Err(f)) => prop_assert_eq!(e.code(), f.code()),
            (x, y) => prop_assert!(false, "what-if {:?} but rescoring {:?}", x.map(|_| ()), y.map(|_| ())),
        }
    }

    #[test]
    fn what_if_with_no_change_is_the_identity(unit in 0usize..17) {
        let (s, a) = ministries();
        let card = s.score(&a).unwrap();
        let u = &card.units[unit];
        let same = Change { unit: u.unit.clone(), code: "survey".into(), value: u.node("survey").unwrap().input };
        let w = s.what_if(&card, &[same]).unwrap();
        prop_assert_eq!(&w.scorecard, &card);
        prop_assert!(w.movements.iter().all(|m| m.rank_before == m.rank_after && m.index_before == m.index_after));
    }
}

#[test]
fn year_over_year_across_methodology_versions() {
    let (s, a) = ministries();
    let now = s.score(&a).unwrap();
    // An older version: the survey part split into two leaves, appraisal under another code.
    let old = par_index::Methodology::from_json(
        r#"{"id": "old", "title": {"vi": "", "en": ""}, "source": "QĐ 1149/QĐ-BNV", "max_points": "100",
            "criteria": [{"code": "TD", "max_points": "63.5"}, {"code": "survey", "max_points": "36.5",
              "children": [{"code": "S1", "max_points": "20"}, {"code": "S2", "max_points": "16.5"}]}],
            "tiers": {"default": "n", "schemes": [{"id": "n", "bands": [{"code": "A", "min": "90"}, {"code": "B", "min": "80"}, {"code": "C", "min": "70"}]}]}}"#,
    )
    .unwrap();
    let before = old
        .score(
            &Assessments::from_json(
                r#"{"units": [{"unit": "Ministry of Health", "values": {"TD": "50", "S1": "15", "S2": "12.5"}},
                              {"unit": "Ministry of Justice", "values": {"TD": "60", "S1": "19", "S2": "15"}},
                              {"unit": "Gone", "values": {"TD": "1", "S1": "1", "S2": "1"}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    let mapping = std::collections::BTreeMap::from([("TD".to_owned(), "appraisal".to_owned())]);
    let c = now.compare(&before, &mapping);
    assert_eq!(c.units.len(), 2);
    let health = c.units.iter().find(|u| u.unit == "Ministry of Health").unwrap();
    assert_eq!((health.index_before, health.index_after, health.index_change), (d("77.5"), d("79.80"), d("2.3")));
    assert_eq!(par_index::analysis::signed(health.index_change, 2), "+2.30");
    assert_eq!((health.rank_before, health.rank_after, health.rank_change), (2, 15, -13));
    assert_eq!((health.tier_before.as_deref(), health.tier_after.as_deref(), health.tier_move), (Some("C"), Some("C"), Some(0)));
    let justice = c.units.iter().find(|u| u.unit == "Ministry of Justice").unwrap();
    assert_eq!((justice.tier_before.as_deref(), justice.tier_after.as_deref(), justice.tier_move), (Some("A"), Some("B"), Some(-1)));
    let node = c.nodes.iter().find(|n| n.unit == "Ministry of Health" && n.code == "appraisal").unwrap();
    assert_eq!((node.previous_code.as_str(), node.points_change), ("TD", d("5.81")));
    let survey = c.nodes.iter().find(|n| n.unit == "Ministry of Health" && n.code == "survey").unwrap();
    assert_eq!(survey.percent_change, Some(d("23.99") * d("100") / d("31.5") - d("27.5") * d("100") / d("36.5")));
    assert_eq!(c.unmapped_previous_codes, vec!["S1", "S2"]);
    assert!(c.unmapped_codes.is_empty());
    assert_eq!(c.dropped_units, vec!["Gone"]);
    assert_eq!(c.new_units.len(), 15);
}

/// A two-level weighted tree: an arithmetic mean of a geometric mean and two leaves.
fn weighted_tree() -> par_index::Methodology {
    par_index::Methodology::from_json(
        r#"{"format": 1, "id": "weighted", "title": {"vi": "Thử", "en": "Weighted"}, "source": "test",
        "max_points": "100", "aggregation": "weighted_arithmetic", "criteria": [
          {"code": "g", "max_points": "40", "weight": "2", "aggregation": "weighted_geometric", "children": [
            {"code": "g1", "max_points": "10", "weight": "1"}, {"code": "g2", "max_points": "10", "weight": "3"}]},
          {"code": "a", "max_points": "30", "weight": "1"},
          {"code": "b", "max_points": "30", "weight": "1"}]}"#,
    )
    .unwrap()
}

fn weighted_units(values: &[(u32, u32, u32, u32)]) -> Assessments {
    let units: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(k, (g1, g2, a, b))| format!(r#"{{"unit": "u{k}", "values": {{"g1": "{g1}", "g2": "{g2}", "a": "{a}", "b": "{b}"}}}}"#))
        .collect();
    Assessments::from_json(&format!(r#"{{"units": [{}]}}"#, units.join(","))).unwrap()
}

proptest! {
    #[test]
    fn what_if_on_weights_equals_rescoring_the_reweighted_methodology(
        values in prop::collection::vec((1u32..=10, 1u32..=10, 0u32..=30, 0u32..=30), 1..6),
        picks in prop::collection::vec((0usize..5, 0i64..=50), 1..4),
    ) {
        use par_index::analysis::WeightChange;
        let m = weighted_tree();
        let s = Scorer::new(&m).unwrap();
        let a = weighted_units(&values);
        let card = s.score(&a).unwrap();
        let codes = ["g", "g1", "g2", "a", "b"];
        let weights: Vec<WeightChange> = picks.iter().map(|&(c, w)| WeightChange { code: codes[c].into(), weight: Decimal::new(w, 1) }).collect();
        match (s.what_if_weights(&card, &weights, &[]), m.with_weights(&weights).and_then(|m| Scorer::new(&m)).and_then(|s| s.score(&a))) {
            (Ok((_, w)), Ok(fresh)) => prop_assert_eq!(w.scorecard, fresh),
            (Err(e), Err(f)) => prop_assert_eq!(e.code(), f.code()),
            (x, y) => prop_assert!(false, "what-if {:?} but rescoring {:?}", x.map(|_| ()), y.map(|_| ())),
        }
    }
}

#[test]
fn what_if_on_weights_with_values_and_errors() {
    use par_index::analysis::WeightChange;
    let s = Scorer::new(&weighted_tree()).unwrap();
    let card = s.score(&weighted_units(&[(10, 10, 30, 0), (10, 10, 0, 30)])).unwrap();
    // Equal weights of a and b: both units at (2 x 100 + 100 + 0) / 4 = 75, tied.
    assert_eq!(card.units[0].index, d("75"));
    assert_eq!(card.units[1].index, d("75"));
    let w = |code: &str, weight: &str| WeightChange { code: code.into(), weight: d(weight) };
    // b twice a: u0 (200 + 100 + 0) / 5 = 60, u1 (200 + 0 + 200) / 5 = 80; then u0's b to 15.
    let change = Change { unit: "u0".into(), code: "b".into(), value: Some(Value::Number(d("15"))) };
    let (s2, r) = s.what_if_weights(&card, &[w("b", "2")], &[change]).unwrap();
    let after: Vec<(Decimal, u32, u32)> = r.movements.iter().map(|m| (m.index_after, m.rank_before, m.rank_after)).collect();
    assert_eq!(after, vec![(d("80"), 1, 1), (d("80"), 1, 1)]); // u0: (200 + 100 + 2 x 50) / 5
    assert_eq!(s2.methodology().find("b").unwrap().weight, Some(d("2")));
    // The same weight again changes nothing.
    let (_, same) = s.what_if_weights(&card, &[w("a", "1")], &[]).unwrap();
    assert_eq!(same.scorecard, card);
    let err = |weights: &[WeightChange]| {
        let e = s.what_if_weights(&card, weights, &[]).unwrap_err();
        (e.code().to_owned(), e.path().to_owned())
    };
    assert_eq!(err(&[w("a", "1"), w("zz", "1")]), ("unknown_code".to_owned(), "weights[1].code".to_owned()));
    assert_eq!(err(&[w("a", "-1")]), ("negative_value".to_owned(), "weights[0].weight".to_owned()));
    // Under a sum parent a weight is the node's max_points: not a weight change.
    let (ms, ma) = ministries();
    let mcard = ms.score(&ma).unwrap();
    let e = ms.what_if_weights(&mcard, &[w("survey", "2")], &[]).unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("invalid_rule", "weights[0].code"));
    // All of a weighted node's weights at zero: the methodology is invalid.
    let e = s.what_if_weights(&card, &[w("g1", "0"), w("g2", "0")], &[]).unwrap_err();
    assert_eq!(e.code(), "invalid_rule");
}
