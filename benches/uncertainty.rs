//! Monte Carlo benchmark against COINr's figure: 51 units × 49 indicators (7 pillars of 7),
//! arithmetic aggregation, weights perturbed by 25 % at both levels, ranks per replication.
//! COINr took 0.127 s per replication on this machine (7.87 replications/s).
//!
//! `cargo bench -p par-index --bench uncertainty` prints replications per second and the ratio
//! to COINr, then runs criterion on the same problem.

#![allow(clippy::unwrap_used, missing_docs)] // a benchmark aborts on bad setup; it is not library code

use criterion::Criterion as Bench;
use par_index::analysis::{UncertaintySpec, WeightDistribution, WeightPerturbation};
use par_index::{Assessment, Assessments, Criterion, Decimal, Label, Methodology, Scorecard, Scorer, Value};
use std::hint::black_box;
use std::time::Instant;

const COINR_REPLICATIONS_PER_SECOND: f64 = 1.0 / 0.127;

/// 7 pillars × 7 indicators (weighted arithmetic means, unequal weights), 51 units with values
/// spread over 0–100.
pub fn problem() -> (Scorer, Scorecard) {
    let mut m: Methodology = serde_json::from_str(
        r#"{"id": "coinr-size", "title": {"vi": "", "en": ""}, "source": "bench", "max_points": "100",
            "aggregation": "weighted_arithmetic", "criteria": []}"#,
    )
    .unwrap();
    for p in 1..=7 {
        let mut pillar = Criterion::leaf(format!("P{p}"), Label::default(), Decimal::from(100));
        pillar.weight = Some(Decimal::from(1 + p % 3));
        pillar.aggregation = Some(par_index::Aggregation::WeightedArithmetic);
        for i in 1..=7 {
            let mut leaf = Criterion::leaf(format!("P{p}.{i}"), Label::default(), Decimal::from(100));
            leaf.weight = Some(Decimal::from(1 + (p * i) % 4));
            pillar.children.push(leaf);
        }
        m.criteria.push(pillar);
    }
    let mut a = Assessments::default();
    for u in 0..51 {
        let mut unit = Assessment::new(format!("unit-{u:02}"));
        for p in 1..=7 {
            for i in 1..=7 {
                let k = (p - 1) * 7 + i;
                let v = Decimal::new(((u * 37 + k * 11 + u * k * 7) % 1001) as i64, 1);
                unit = unit.with_value(format!("P{p}.{i}"), Value::Number(v));
            }
        }
        a.units.push(unit);
    }
    let scorer = Scorer::new(&m).unwrap();
    let card = scorer.score(&a).unwrap();
    (scorer, card)
}

fn spec(replications: u64, threads: Option<usize>) -> UncertaintySpec {
    let mut s = UncertaintySpec::new(replications, 2024);
    s.weights = Some(WeightPerturbation { levels: vec![1, 2], distribution: WeightDistribution::Uniform { relative: 0.25 } });
    s.threads = threads;
    s
}

fn headline(scorer: &Scorer, card: &Scorecard) {
    for threads in [Some(1), None] {
        let s = spec(10_000, threads);
        scorer.uncertainty(card, &spec(500, threads)).unwrap(); // warm up
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            black_box(scorer.uncertainty(card, &s).unwrap());
            best = best.min(t.elapsed().as_secs_f64());
        }
        let per_second = 10_000.0 / best;
        println!(
            "uncertainty 51 units x 49 indicators, 10,000 replications, threads {}: {:.1} ms, {:.0} replications/s, {:.0}x COINr ({:.2}/s)",
            threads.map_or("auto".to_owned(), |t| t.to_string()),
            best * 1e3,
            per_second,
            per_second / COINR_REPLICATIONS_PER_SECOND,
            COINR_REPLICATIONS_PER_SECOND
        );
    }
    // The node-by-node path (geometric means cannot be folded into one dot product).
    let mut g = spec(10_000, None);
    g.policies.aggregation = vec![par_index::analysis::uncertainty::AggregationSwitch::Geometric];
    let t = Instant::now();
    black_box(scorer.uncertainty(card, &g).unwrap());
    let took = t.elapsed().as_secs_f64();
    println!("same with geometric aggregation (node-by-node path): {:.1} ms, {:.0} replications/s", took * 1e3, 10_000.0 / took);
    let mut s = spec(2_500, None);
    s.sensitivity = Some(Default::default());
    let t = Instant::now();
    let r = scorer.uncertainty(card, &s).unwrap();
    let took = t.elapsed().as_secs_f64();
    println!("sensitivity (Saltelli, 2 factors): {} runs in {:.1} ms, {:.0} runs/s", r.runs, took * 1e3, r.runs as f64 / took);
}

fn main() {
    let (scorer, card) = problem();
    headline(&scorer, &card);
    let mut c = Bench::default().sample_size(10).configure_from_args();
    let s = spec(10_000, None);
    c.bench_function("uncertainty 10,000 replications (51 units x 49 indicators)", |b| {
        b.iter(|| scorer.uncertainty(black_box(&card), black_box(&s)).unwrap())
    });
    c.final_summary();
}
