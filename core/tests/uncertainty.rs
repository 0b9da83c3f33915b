//! Uncertainty and sensitivity: exact values on a hand-built case, reproducibility across
//! threads, seeds and splits, and the Sobol estimators on functions whose indices are known.

#![allow(clippy::unwrap_used)] // tests abort on bad setup

use par_index::analysis::uncertainty::{
    AggregationSwitch, NotApplicableSwitch, SensitivitySpec, ShareDistribution, ShareUncertainty, SurveyPerturbation,
};
use par_index::analysis::{saltelli_indices, UncertaintySpec, WeightDistribution, WeightPerturbation};
use par_index::survey::{AggregateOptions, Aggregator, CiOptions, Response, SurveyDesign};
use par_index::{Assessments, Methodology, Scorecard, Scorer, TiePolicy};
use std::collections::BTreeMap;

/// 100 points: field 1 (60 = 30 + 30) and field 2 (40 = a 20-point survey leaf + 20), tiers
/// A ≥ 90, B ≥ 80, C ≥ 0.
const METHODOLOGY: &str = r#"{
  "id": "mc-demo", "title": {"vi": "Thử", "en": "Demo"}, "source": "test", "max_points": "100",
  "criteria": [
    {"code": "1", "max_points": "60", "children": [
      {"code": "1.1", "max_points": "30"}, {"code": "1.2", "max_points": "30"}]},
    {"code": "2", "max_points": "40", "source": "survey", "children": [
      {"code": "2.1", "max_points": "20", "rule": {"type": "survey", "figure": "item:q1"}},
      {"code": "2.2", "max_points": "20"}]}
  ],
  "tiers": {"default": "s", "schemes": [{"id": "s", "bands": [
    {"code": "A", "min": "90"}, {"code": "B", "min": "80"}, {"code": "C", "min": "0"}]}]}
}"#;

/// a 90 (A), b 85 (B), c 84 (B), d 76 (C).
const ASSESSMENTS: &str = r#"{"units": [
  {"unit": "a", "values": {"1.1": 30, "1.2": 30, "2.1": 50, "2.2": 20}},
  {"unit": "b", "values": {"1.1": 25, "1.2": 25, "2.1": 100, "2.2": 15}},
  {"unit": "c", "values": {"1.1": 20, "1.2": 28, "2.1": 90, "2.2": 18}},
  {"unit": "d", "values": {"1.1": 30, "1.2": 10, "2.1": 80, "2.2": 20}}
]}"#;

fn demo(assessments: &str) -> (Scorer, Scorecard) {
    let m = Methodology::from_json(METHODOLOGY).unwrap();
    let scorer = Scorer::new(&m).unwrap();
    let card = scorer.score(&Assessments::from_json(assessments).unwrap()).unwrap();
    (scorer, card)
}

fn uniform(levels: Vec<usize>, relative: f64) -> Option<WeightPerturbation> {
    Some(WeightPerturbation { levels, distribution: WeightDistribution::Uniform { relative } })
}

fn share(unit: &str, share: f64, se: f64) -> ShareUncertainty {
    ShareUncertainty { unit: unit.into(), code: "2.1".into(), share, se: Some(se), n: None }
}

/// Everything perturbed at once: both weight levels (Dirichlet), survey shares (beta), ties,
/// not-applicable and aggregation, with per-unit sensitivity.
fn everything(replications: u64, seed: u64) -> UncertaintySpec {
    let mut spec = UncertaintySpec::new(replications, seed);
    spec.weights = Some(WeightPerturbation { levels: vec![1, 2], distribution: WeightDistribution::Dirichlet { concentration: 20.0 } });
    spec.survey = Some(SurveyPerturbation {
        distribution: ShareDistribution::Beta,
        shares: vec![share("a", 0.5, 0.05), share("b", 1.0, 0.0), ShareUncertainty { n: Some(40.0), se: None, ..share("c", 0.9, 0.0) }],
    });
    spec.policies.ties = vec![TiePolicy::Competition, TiePolicy::Ordinal];
    spec.policies.not_applicable = vec![NotApplicableSwitch::Methodology, NotApplicableSwitch::Zero];
    spec.policies.aggregation = vec![AggregationSwitch::Arithmetic, AggregationSwitch::Geometric];
    spec.sensitivity = Some(SensitivitySpec { per_unit: true });
    spec
}

#[test]
fn nominal_scorecard_of_the_demo() {
    let (_, card) = demo(ASSESSMENTS);
    let got: Vec<(String, u32, Option<String>)> = card.units.iter().map(|u| (u.index.to_string(), u.rank, u.tier.clone())).collect();
    assert_eq!(
        got,
        vec![
            ("90".into(), 1, Some("A".into())),
            ("85".into(), 2, Some("B".into())),
            ("84".into(), 3, Some("B".into())),
            ("76".into(), 4, Some("C".into()))
        ]
    );
}

#[test]
fn zero_perturbation_repeats_the_nominal_scorecard() {
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(64, 11);
    spec.weights = uniform(vec![], 0.0);
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![share("a", 0.5, 0.0), share("d", 0.8, 0.0)] });
    spec.policies.aggregation = vec![AggregationSwitch::Methodology];
    spec.policies.ties = vec![TiePolicy::Competition];
    spec.sensitivity = Some(SensitivitySpec { per_unit: true });
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!(r.factors, vec!["weights:level:1", "weights:level:2", "survey:2.1", "policy:ties", "policy:aggregation"]);
    assert_eq!((r.replications, r.runs), (64, 64 * 7));
    assert_eq!(r.mean_absolute_rank_shift, 0.0);
    let nominal_index = [90.0, 85.0, 84.0, 76.0];
    let nominal_tier = ["A", "B", "B", "C"];
    for (k, u) in r.units.iter().enumerate() {
        let rank = k as u32 + 1;
        assert_eq!((u.nominal_rank, u.median_rank, u.rank_p05, u.rank_p95), (rank, rank, rank, rank), "{}", u.unit);
        let mut counts = vec![0; 4];
        counts[k] = 64;
        assert_eq!(u.rank_counts, counts);
        assert_eq!((u.mean_index, u.index_sd, u.mean_rank), (nominal_index[k], 0.0, f64::from(rank)));
        let probabilities: Vec<(Option<&str>, f64)> = u.tiers.iter().map(|t| (t.tier.as_deref(), t.probability)).collect();
        let expected: Vec<(Option<&str>, f64)> =
            ["A", "B", "C"].iter().map(|t| (Some(*t), if *t == nominal_tier[k] { 1.0 } else { 0.0 })).collect();
        assert_eq!(probabilities, expected);
    }
    // The output does not vary, so no index is defined.
    let s = r.sensitivity.unwrap();
    assert_eq!(s.variance, 0.0);
    assert!(s.factors.iter().all(|f| f.first_order.is_none() && f.total.is_none()));
    assert_eq!(s.units.len(), 4);
}

#[test]
fn one_moving_factor_explains_all_the_variance() {
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(4000, 5);
    spec.weights = uniform(vec![1], 0.5);
    spec.policies.ties = vec![TiePolicy::Competition]; // a factor that never changes anything
    spec.sensitivity = Some(SensitivitySpec::default());
    let r = scorer.uncertainty(&card, &spec).unwrap();
    let s = r.sensitivity.unwrap();
    assert!(s.variance > 0.0);
    let w = &s.factors[0];
    assert_eq!(w.factor, "weights:level:1");
    let (first, total) = (w.first_order.unwrap(), w.total.unwrap());
    assert!((first - 1.0).abs() < 0.1 && (total - 1.0).abs() < 0.1, "S = {first}, ST = {total}");
    // A factor that changes nothing has indices of exactly 0.
    assert_eq!((s.factors[1].first_order, s.factors[1].total), (Some(0.0), Some(0.0)));
    // a (100 % / 75 %), b (83 % / 88 %) and c (80 % / 90 %) all cross where field 1 weighs
    // 0.75 times field 2: above, a > b > c; below, c > b > a. b stays second.
    let (a, b) = (&r.units[0], &r.units[1]);
    assert!(a.rank_counts[0] > 0 && a.rank_counts[2] > 0 && a.rank_counts[1] == 0, "{:?}", a.rank_counts);
    assert_eq!(b.rank_counts, vec![0, 4000, 0, 0]);
    let sum: f64 = r.units.iter().flat_map(|u| u.tiers.iter().map(|t| t.probability)).sum();
    assert!((sum - 4.0).abs() < 1e-12);
    for u in &r.units {
        assert!(u.rank_p05 <= u.median_rank && u.median_rank <= u.rank_p95);
        assert_eq!(u.rank_counts.iter().sum::<u64>(), 4000);
    }
    // a's field 1 is full: within ±50 % weights its index stays in [83.3, 95].
    assert!(r.units[0].mean_index > 83.0 && r.units[0].mean_index < 95.0);
}

#[test]
fn same_seed_same_report_for_any_thread_count() {
    let (scorer, card) = demo(ASSESSMENTS);
    let reports: Vec<_> = [Some(1), Some(2), Some(7), None]
        .into_iter()
        .map(|threads| {
            let mut spec = everything(301, 2024);
            spec.threads = threads;
            scorer.uncertainty(&card, &spec).unwrap()
        })
        .collect();
    for r in &reports[1..] {
        assert_eq!(r, &reports[0]);
    }
    let json = |r: &par_index::analysis::UncertaintyReport| serde_json::to_string(r).unwrap();
    assert_eq!(json(&reports[0]), json(&reports[1]));
    // The same seed again gives the same report; another seed another one.
    assert_eq!(scorer.uncertainty(&card, &everything(301, 2024)).unwrap(), reports[0]);
    let other = scorer.uncertainty(&card, &everything(301, 2025)).unwrap();
    assert_ne!(other.units.iter().map(|u| u.rank_counts.clone()).collect::<Vec<_>>(), reports[0].units.iter().map(|u| u.rank_counts.clone()).collect::<Vec<_>>());
    let s = reports[0].sensitivity.as_ref().unwrap();
    assert_eq!(s.factors.len(), 6);
    assert!(s.factors.iter().all(|f| f.total.is_some_and(|t| t.is_finite())));
}

#[test]
fn merged_and_split_runs_with_the_same_seed_agree() {
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = everything(200, 9);
    spec.threads = Some(2);
    let mc = scorer.monte_carlo(&card, &spec).unwrap();
    let whole = mc.run(0..200).unwrap();
    let halves = mc.run(0..100).unwrap().merge(mc.run(100..200).unwrap()).unwrap();
    assert_eq!(halves, whole);
    let thirds = mc.run(0..1).unwrap().merge(mc.run(1..150).unwrap()).unwrap().merge(mc.run(150..200).unwrap()).unwrap();
    assert_eq!(mc.report(&thirds).unwrap(), mc.report(&whole).unwrap());
    assert_eq!(mc.report(&whole).unwrap(), scorer.uncertainty(&card, &spec).unwrap());
    assert_eq!(whole.rows(), 0..200);
    // Runs that do not follow each other, or come from another analysis, do not merge.
    let err = mc.run(0..10).unwrap().merge(mc.run(20..30).unwrap()).unwrap_err();
    assert_eq!((err.code(), err.path().as_str()), ("invalid_rule", "runs"));
    let other = scorer.monte_carlo(&card, &everything(200, 10)).unwrap();
    assert_eq!(mc.run(0..10).unwrap().merge(other.run(10..20).unwrap()).unwrap_err().code(), "invalid_rule");
    assert_eq!(mc.run(150..250).unwrap_err().path(), "rows");
}

#[test]
fn policy_switches_change_the_scores_as_the_policies_say() {
    // d's leaf 2.2 is not applicable: rescaled it has 56 / 80 = 70 %; counted as zero 56 %.
    let na = ASSESSMENTS.replace(r#""1.2": 10, "2.1": 80, "2.2": 20"#, r#""1.2": 10, "2.1": 80, "2.2": "NA""#);
    let (scorer, card) = demo(&na);
    assert_eq!(card.units[3].index.to_string(), "70");
    let mut spec = UncertaintySpec::new(16, 1);
    spec.policies.not_applicable = vec![NotApplicableSwitch::Zero];
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!(r.units[3].mean_index, 56.0);
    spec.policies.not_applicable = vec![NotApplicableSwitch::Full];
    assert_eq!(scorer.uncertainty(&card, &spec).unwrap().units[3].mean_index, 76.0);

    // Geometric aggregation of a sum tree with weights = maxima: a = 60·1 + 40·(0.5·1)^½ …
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(8, 1);
    spec.policies.aggregation = vec![AggregationSwitch::Geometric];
    let r = scorer.uncertainty(&card, &spec).unwrap();
    // a: field 1 = 100 %; field 2 = √(0.5 · 1) = 70.71 %; root = 1^0.6 · 0.7071^0.4 = 87.06 %.
    let expected = 0.5f64.sqrt().powf(0.4) * 100.0;
    assert!((r.units[0].mean_index - expected).abs() < 1e-8, "{} vs {expected}", r.units[0].mean_index);
    assert_eq!(r.units[0].tiers[1].probability, 1.0); // B
    // Ordinal ties on equal indices break by unit id.
    let tied = ASSESSMENTS.replace(r#""1.1": 20, "1.2": 28, "2.1": 90, "2.2": 18"#, r#""1.1": 25, "1.2": 25, "2.1": 100, "2.2": 15"#);
    let (scorer, card) = demo(&tied);
    assert_eq!((card.units[1].rank, card.units[2].rank), (2, 2));
    let mut spec = UncertaintySpec::new(8, 1);
    spec.policies.ties = vec![TiePolicy::Ordinal];
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!((r.units[1].median_rank, r.units[2].median_rank), (2, 3));
    spec.policies.ties = vec![TiePolicy::Dense];
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!((r.units[1].median_rank, r.units[2].median_rank, r.units[3].median_rank), (2, 2, 3));
}

#[test]
fn survey_shares_move_the_survey_leaf() {
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(2000, 3);
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![share("a", 0.5, 0.1)] });
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!(r.factors, vec!["survey:2.1"]);
    let a = &r.units[0];
    // 20 points × N(0.5, 0.1): index 90 ± 2 on average.
    assert!((a.mean_index - 90.0).abs() < 0.2, "{}", a.mean_index);
    assert!((a.index_sd - 2.0).abs() < 0.2, "{}", a.index_sd);
    assert!(a.tiers[0].probability > 0.4 && a.tiers[0].probability < 0.6);
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Beta, shares: vec![share("a", 0.5, 0.1)] });
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert!((r.units[0].mean_index - 90.0).abs() < 0.2 && (r.units[0].index_sd - 2.0).abs() < 0.25, "{:?}", r.units[0]);
}

#[test]
fn survey_spec_from_a_sipas_result() {
    let (_, card) = demo(ASSESSMENTS);
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let mut agg = Aggregator::new(&design, AggregateOptions::default()).unwrap();
    for (unit, answers) in [("a", [5, 4, 2, 1]), ("b", [5, 5, 5, 5]), ("x", [1, 1, 1, 1])] {
        for k in answers {
            let r = Response { unit: unit.into(), group: None, weight: None, answers: BTreeMap::from([("q1".to_owned(), Some(k))]) };
            agg.add(&r).unwrap();
        }
    }
    let sipas = agg.finish(&CiOptions::default()).unwrap();
    let s = SurveyPerturbation::from_sipas(&card, &sipas, ShareDistribution::Beta).unwrap();
    let got: Vec<(&str, &str, f64, Option<f64>)> = s.shares.iter().map(|e| (e.unit.as_str(), e.code.as_str(), e.share, e.n)).collect();
    assert_eq!(got, vec![("a", "2.1", 0.5, Some(4.0)), ("b", "2.1", 1.0, Some(4.0))]);
    assert_eq!(s.shares[0].se, Some(0.25)); // √(0.5 · 0.5 / 4)
}

#[test]
fn spec_errors_name_the_field() {
    let (scorer, card) = demo(ASSESSMENTS);
    let check = |spec: &UncertaintySpec, code: &str, path: &str| {
        let e = scorer.uncertainty(&card, spec).unwrap_err();
        assert_eq!((e.code(), e.path().as_str()), (code, path), "{e}");
    };
    check(&UncertaintySpec::new(0, 1), "invalid_rule", "spec.replications");
    let mut spec = UncertaintySpec::new(10, 1);
    spec.weights = uniform(vec![1], 1.5);
    check(&spec, "invalid_rule", "spec.weights.distribution.relative");
    spec.weights = uniform(vec![3], 0.1);
    check(&spec, "invalid_rule", "spec.weights.levels[0]");
    spec.weights = Some(WeightPerturbation { levels: vec![], distribution: WeightDistribution::Dirichlet { concentration: 0.0 } });
    check(&spec, "invalid_rule", "spec.weights.distribution.concentration");
    spec.weights = None;
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![share("zz", 0.5, 0.1)] });
    check(&spec, "unknown_unit", "spec.survey.shares[0].unit");
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![ShareUncertainty { code: "9".into(), ..share("a", 0.5, 0.1) }] });
    check(&spec, "unknown_code", "spec.survey.shares[0].code");
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![ShareUncertainty { code: "1.1".into(), ..share("a", 0.5, 0.1) }] });
    check(&spec, "invalid_rule", "spec.survey.shares[0].code");
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![share("a", 1.5, 0.1)] });
    check(&spec, "invalid_rule", "spec.survey.shares[0].share");
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![ShareUncertainty { se: None, ..share("a", 0.5, 0.1) }] });
    check(&spec, "invalid_rule", "spec.survey.shares[0]");
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![share("a", 0.5, 0.1), share("a", 0.4, 0.1)] });
    check(&spec, "duplicate_value", "spec.survey.shares[1]");
    let other = Scorer::new(&par_index::presets::methodology("par2023-ministries").unwrap()).unwrap();
    let e = other.uncertainty(&card, &UncertaintySpec::new(5, 1)).unwrap_err();
    assert_eq!(e.path(), "scorecard");
    // The spec reads from JSON and refuses unknown fields.
    let bad: Result<UncertaintySpec, _> = serde_json::from_str(r#"{"replications": 5, "sead": 1}"#);
    assert!(bad.is_err());
}

/// SplitMix64, for the estimator tests' own samples.
struct Mix(u64);
impl Mix {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Runs a Saltelli design of `n` rows on `f` with `k` inputs uniform on `[lo, hi)`.
fn design(n: usize, k: usize, lo: f64, hi: f64, f: impl Fn(&[f64]) -> f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut rng = Mix(12345);
    let (mut ya, mut yb, mut yab) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let a: Vec<f64> = (0..k).map(|_| lo + (hi - lo) * rng.next()).collect();
        let b: Vec<f64> = (0..k).map(|_| lo + (hi - lo) * rng.next()).collect();
        ya.push(f(&a));
        yb.push(f(&b));
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            yab.push(f(&ab));
        }
    }
    (ya, yb, yab)
}

#[test]
fn sobol_estimators_on_the_ishigami_function() {
    // Ishigami (a = 7, b = 0.1) on [−π, π]³: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    let f = |x: &[f64]| x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin();
    let pi = std::f64::consts::PI;
    let (ya, yb, yab) = design(100_000, 3, -pi, pi, f);
    let e = saltelli_indices(&ya, &yb, &yab, 3);
    let tolerance = 0.03;
    for (i, (s, st)) in [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)].into_iter().enumerate() {
        let (gs, gst) = (e.first_order[i].unwrap(), e.total[i].unwrap());
        assert!((gs - s).abs() < tolerance, "S{} = {gs}, expected {s}", i + 1);
        assert!((gst - st).abs() < tolerance, "ST{} = {gst}, expected {st}", i + 1);
    }
    // Analytic variance: a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.8446.
    assert!((e.variance - 13.8446).abs() / 13.8446 < 0.02, "{}", e.variance);
}

#[test]
fn sobol_estimators_on_a_linear_model() {
    // y = x₁ + 2x₂ + 3x₃, xᵢ uniform: Sᵢ = S_Tᵢ = cᵢ² / Σc² = (1, 4, 9) / 14.
    let (ya, yb, yab) = design(50_000, 3, 0.0, 1.0, |x| x[0] + 2.0 * x[1] + 3.0 * x[2]);
    let e = saltelli_indices(&ya, &yb, &yab, 3);
    for (i, c) in [1.0, 4.0, 9.0].into_iter().enumerate() {
        let expected = c / 14.0;
        assert!((e.first_order[i].unwrap() - expected).abs() < 0.02, "S{} = {:?}", i + 1, e.first_order[i]);
        assert!((e.total[i].unwrap() - expected).abs() < 0.02, "ST{} = {:?}", i + 1, e.total[i]);
    }
    // No runs, or an output that never varies: no indices.
    assert_eq!(saltelli_indices(&[], &[], &[], 2).first_order, vec![None, None]);
    assert_eq!(saltelli_indices(&[1.0, 1.0], &[1.0, 1.0], &[1.0, 1.0], 1).total, vec![None]);
}

#[test]
fn ministries_2023_rank_intervals() {
    let m = par_index::presets::methodology("par2023-ministries").unwrap();
    let scorer = Scorer::new(&m).unwrap();
    let card = scorer.score(&par_index::presets::assessments("par2023-ministries").unwrap()).unwrap();
    let spec: UncertaintySpec = serde_json::from_str(
        r#"{"replications": 500, "seed": 42, "weights": {"levels": [1], "distribution": {"type": "uniform", "relative": 0.25}},
            "sensitivity": {}}"#,
    )
    .unwrap();
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!(r.units.len(), 17);
    for (u, c) in r.units.iter().zip(&card.units) {
        assert_eq!((u.nominal_rank, &u.nominal_tier), (c.rank, &c.tier));
        assert!(u.rank_p05 <= u.median_rank && u.median_rank <= u.rank_p95, "{u:?}");
        assert_eq!(u.rank_counts.len(), 17);
    }
    let s = r.sensitivity.unwrap();
    assert_eq!(s.factors.len(), 1);
    assert!((s.factors[0].total.unwrap() - 1.0).abs() < 0.2);
}

#[test]
fn the_float_engine_repeats_every_shipped_scorecard() {
    // Zero perturbation on the shipped presets (sum and weighted nodes, not-applicable leaves,
    // bonus and penalty points, tier schemes per group): ranks, tiers and indices as exact.
    for name in par_index::presets::names() {
        let m = par_index::presets::methodology(name).unwrap();
        let scorer = Scorer::new(&m).unwrap();
        let card = scorer.score(&par_index::presets::assessments(name).unwrap()).unwrap();
        let mut spec = UncertaintySpec::new(3, 1);
        spec.weights = uniform(vec![], 0.0);
        let r = scorer.uncertainty(&card, &spec).unwrap();
        for (u, c) in r.units.iter().zip(&card.units) {
            assert_eq!((u.median_rank, u.rank_p05, u.rank_p95), (c.rank, c.rank, c.rank), "{name} {}", c.unit);
            let exact: f64 = c.index.to_string().parse().unwrap();
            assert!((u.mean_index - exact).abs() <= 1e-9, "{name} {}: {} vs {exact}", c.unit, u.mean_index);
            let tier = u.tiers.iter().find(|t| t.count == 3).and_then(|t| t.tier.clone());
            assert_eq!(tier, c.tier, "{name} {}", c.unit);
        }
    }
}

/// A random methodology (sum and weighted nodes, two levels) and 6 units with some
/// not-applicable leaves, from a seed.
fn random_case(seed: u64) -> Option<(Scorer, Scorecard)> {
    let mut rng = Mix(seed);
    let mut pick = |n: u64| (rng.next() * n as f64) as u64;
    let aggregations = ["sum", "weighted_arithmetic", "weighted_geometric"];
    let policy = ["rescale", "zero", "full"][pick(3) as usize];
    let root = aggregations[pick(2) as usize];
    let (mut fields, mut leaves, mut root_max) = (Vec::new(), Vec::new(), 0u64);
    for f in 0..2 + pick(3) {
        let agg = aggregations[pick(3) as usize];
        let mut kids = Vec::new();
        let mut sum = 0;
        for k in 0..1 + pick(4) {
            let max = 1 + pick(20);
            sum += max;
            leaves.push((format!("{f}.{k}"), max));
            kids.push(serde_json::json!({"code": format!("{f}.{k}"), "max_points": max.to_string(), "weight": (1 + pick(5)).to_string()}));
        }
        let max = if agg == "sum" { sum } else { 10 + pick(30) };
        root_max += max;
        fields.push(serde_json::json!({"code": format!("{f}"), "max_points": max.to_string(), "weight": (1 + pick(5)).to_string(),
            "aggregation": agg, "children": kids}));
    }
    let root_max = if root == "sum" { root_max } else { 100 };
    let m = serde_json::json!({"id": "random", "title": {"vi": "", "en": ""}, "source": "test", "max_points": root_max.to_string(),
        "aggregation": root, "not_applicable": policy, "criteria": fields,
        "tiers": {"default": "s", "schemes": [{"id": "s", "bands": [{"code": "A", "min": "70"}, {"code": "B", "min": "40"}]}]}});
    let mut units = Vec::new();
    for u in 0..6 {
        let mut values = serde_json::Map::new();
        for (code, max) in &leaves {
            let v = if pick(5) == 0 { serde_json::json!("NA") } else { serde_json::json!(format!("{}", pick(*max * 100 + 1) as f64 / 100.0)) };
            values.insert(code.clone(), v);
        }
        units.push(serde_json::json!({"unit": format!("u{u}"), "values": values}));
    }
    let scorer = Scorer::new(&Methodology::from_json(&m.to_string()).unwrap()).unwrap();
    let card = scorer.score(&Assessments::from_json(&serde_json::json!({"units": units}).to_string()).unwrap()).ok()?;
    Some((scorer, card))
}

#[test]
fn the_float_engine_agrees_with_the_exact_scorer_on_random_trees() {
    let mut checked = 0;
    for seed in 0..300 {
        let Some((scorer, card)) = random_case(seed) else { continue };
        let r = scorer.uncertainty(&card, &UncertaintySpec::new(2, seed)).unwrap();
        let exact: Vec<f64> = card.units.iter().map(|c| c.index.to_string().parse().unwrap()).collect();
        for (k, (u, c)) in r.units.iter().zip(&card.units).enumerate() {
            assert!((u.mean_index - exact[k]).abs() <= 1e-6, "seed {seed} {}: {} vs {}", c.unit, u.mean_index, exact[k]);
            // Ranks agree unless another index is within float reach of this one.
            let near = exact.iter().enumerate().any(|(j, e)| j != k && e != &exact[k] && (e - exact[k]).abs() < 1e-6);
            if !near {
                assert_eq!(u.median_rank, c.rank, "seed {seed} {}", c.unit);
                assert_eq!(u.tiers.iter().find(|t| t.count == 2).and_then(|t| t.tier.clone()), c.tier, "seed {seed} {}", c.unit);
            }
        }
        checked += 1;
    }
    assert!(checked > 250, "{checked}");
}

#[test]
fn dirichlet_weights_centre_on_the_nominal_shares() {
    let (scorer, card) = demo(ASSESSMENTS);
    let dirichlet = |concentration: f64| {
        let mut spec = UncertaintySpec::new(2000, 8);
        spec.weights = Some(WeightPerturbation { levels: vec![1, 2], distribution: WeightDistribution::Dirichlet { concentration } });
        scorer.uncertainty(&card, &spec).unwrap()
    };
    // Very concentrated: the weights barely move, the ranking never changes.
    let tight = dirichlet(1e9);
    for (k, u) in tight.units.iter().enumerate() {
        assert_eq!(u.rank_counts[k], 2000, "{}", u.unit);
        assert!((u.mean_index - [90.0, 85.0, 84.0, 76.0][k]).abs() < 0.01);
    }
    // Loose: the ranks spread, and the mean index stays near the nominal (the shares' mean is
    // the nominal share, and the index is linear in the weights of one node).
    let loose = dirichlet(5.0);
    assert!(loose.mean_absolute_rank_shift > 0.0);
    let d = &loose.units[3];
    assert!(d.index_sd > 1.0 && d.rank_counts[3] < 2000, "{d:?}");
}

#[test]
fn a_survey_sourced_points_leaf_reads_the_share_as_points() {
    // 2.2 is a plain points leaf under the survey field: a share of 0.15 reads as 15 points of 20.
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(4, 2);
    spec.survey = Some(SurveyPerturbation { distribution: ShareDistribution::Normal, shares: vec![ShareUncertainty { code: "2.2".into(), ..share("d", 0.15, 0.0) }] });
    let r = scorer.uncertainty(&card, &spec).unwrap();
    assert_eq!(r.factors, vec!["survey:2.2"]);
    assert_eq!(r.units[3].mean_index, 71.0); // 30 + 10 + 16 + 15
}

#[test]
fn per_unit_indices_follow_the_unit_rank() {
    let (scorer, card) = demo(ASSESSMENTS);
    let mut spec = UncertaintySpec::new(2000, 4);
    spec.weights = uniform(vec![1], 0.9);
    spec.policies.ties = vec![TiePolicy::Competition];
    spec.sensitivity = Some(SensitivitySpec { per_unit: true });
    let s = scorer.uncertainty(&card, &spec).unwrap().sensitivity.unwrap();
    assert_eq!(s.units.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>(), vec!["a", "b", "c", "d"]);
    // Every unit's rank moves with the field weights only; the one-entry tie list never acts.
    let a = &s.units[0];
    assert!((a.factors[0].total.unwrap() - 1.0).abs() < 0.1, "{a:?}");
    for u in &s.units {
        assert!(u.variance > 0.0, "{u:?}");
        assert_eq!((u.factors[1].first_order, u.factors[1].total), (Some(0.0), Some(0.0)));
    }
}

#[test]
fn displayed_basis_and_tie_breakers_rank_as_the_methodology_says() {
    let ranks = |methodology: &str, assessments: &str| {
        let scorer = Scorer::new(&Methodology::from_json(methodology).unwrap()).unwrap();
        let card = scorer.score(&Assessments::from_json(assessments).unwrap()).unwrap();
        let mut spec = UncertaintySpec::new(4, 1);
        spec.weights = uniform(vec![], 0.0);
        let r = scorer.uncertainty(&card, &spec).unwrap();
        let nominal: Vec<u32> = card.units.iter().map(|u| u.rank).collect();
        let got: Vec<u32> = r.units.iter().map(|u| u.median_rank).collect();
        assert_eq!(got, nominal);
        got
    };
    // b 85.004 and c 85.001 both display as 85.00: tied on the displayed basis.
    let displayed = METHODOLOGY.replace(r#""source": "test","#, r#""source": "test", "ranking": {"basis": "displayed"},"#);
    let close = ASSESSMENTS
        .replace(r#""1.1": 25, "1.2": 25"#, r#""1.1": 25.004, "1.2": 25"#)
        .replace(r#""1.1": 20, "1.2": 28, "2.1": 90, "2.2": 18"#, r#""1.1": 25.001, "1.2": 25, "2.1": 100, "2.2": 15"#);
    assert_eq!(ranks(&displayed, &close), vec![1, 2, 2, 4]);
    assert_eq!(ranks(METHODOLOGY, &close), vec![1, 2, 3, 4]);
    // b and c at 85; ordinal ties broken by field 2's percentage, where c (100 %) beats b (87.5 %).
    let breakers = METHODOLOGY.replace(r#""source": "test","#, r#""source": "test", "ranking": {"ties": "ordinal", "tie_breakers": ["2"]},"#);
    let tied = ASSESSMENTS.replace(r#""1.1": 20, "1.2": 28, "2.1": 90, "2.2": 18"#, r#""1.1": 20, "1.2": 25, "2.1": 100, "2.2": 20"#);
    assert_eq!(ranks(&breakers, &tied), vec![1, 3, 2, 4]);
}
