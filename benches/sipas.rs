//! SIPAS benchmarks: 36,000 and 1,000,000 respondents x 33 items x 63 units, streamed from CSV
//! bytes in memory to full results (levels, shares, weighted SEs, intervals, indices, ranks).
//! Baselines: reading the same bytes with the csv crate alone, and the plain add_row path.

#![allow(clippy::unwrap_used, missing_docs)] // a benchmark aborts on bad setup; it is not library code

use criterion::{criterion_group, criterion_main, Criterion};
use par_index::survey::{
    aggregate_csv, AggregateOptions, Aggregator, CiMethod, CiOptions, CsvOptions, SurveyDesign,
};
use rust_decimal::Decimal;
use std::hint::black_box;

const ITEMS: usize = 33;
const UNITS: usize = 63;

/// Deterministic survey rows: unit, weight, 33 answers (about 3 % empty).
fn csv_bytes(rows: usize) -> Vec<u8> {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut out = String::with_capacity(rows * 90);
    out.push_str("unit,w");
    for i in 1..=ITEMS {
        out.push_str(&format!(",q{i}"));
    }
    out.push('\n');
    for r in 0..rows {
        out.push_str(&format!(
            "unit-{:02},{}.{:02}",
            (r * 7919) % UNITS,
            1 + next() % 4,
            next() % 100
        ));
        for _ in 0..ITEMS {
            let x = next() % 100;
            let a = if x < 3 {
                ""
            } else if x < 50 {
                "5"
            } else if x < 80 {
                "4"
            } else if x < 90 {
                "3"
            } else if x < 96 {
                "2"
            } else {
                "1"
            };
            out.push(',');
            out.push_str(a);
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn design() -> SurveyDesign {
    SurveyDesign::from_json(include_str!(
        "../core/data/survey-designs/sipas-national-2022.json"
    ))
    .unwrap()
}

fn bench_size(c: &mut Criterion, name: &str, rows: usize, samples: usize) {
    let data = csv_bytes(rows);
    let design = design();
    let mut g = c.benchmark_group(format!("sipas_{name}"));
    g.sample_size(samples);
    g.throughput(criterion::Throughput::Bytes(data.len() as u64));
    g.bench_function("read_bytes_csv_only", |b| {
        b.iter(|| {
            let mut rdr = csv::ReaderBuilder::new().from_reader(black_box(&data[..]));
            let mut rec = csv::ByteRecord::new();
            let mut fields = 0usize;
            while rdr.read_byte_record(&mut rec).unwrap() {
                fields += rec.len();
            }
            fields
        })
    });
    let mut unweighted = CsvOptions::new("unit");
    unweighted.weight_column = None;
    g.bench_function("csv_unweighted_wilson", |b| {
        b.iter(|| {
            let (state, report) =
                aggregate_csv(black_box(&data[..]), &design, &unweighted).unwrap();
            assert_eq!(report.rows_used as usize, rows);
            state
                .finish(&CiOptions {
                    method: CiMethod::Wilson,
                    level: 0.95,
                })
                .unwrap()
        })
    });
    let mut weighted = CsvOptions::new("unit");
    weighted.weight_column = Some("w".into());
    g.bench_function("csv_weighted_logit", |b| {
        b.iter(|| {
            let (state, _) = aggregate_csv(black_box(&data[..]), &design, &weighted).unwrap();
            state
                .finish(&CiOptions {
                    method: CiMethod::Logit,
                    level: 0.95,
                })
                .unwrap()
        })
    });
    let (state, _) = aggregate_csv(&data[..], &design, &weighted).unwrap();
    for method in [CiMethod::Wilson, CiMethod::Logit, CiMethod::KornGraubard] {
        g.bench_function(format!("finish_only_weighted_{method}"), |b| {
            b.iter(|| {
                state
                    .finish(&CiOptions {
                        method,
                        level: 0.95,
                    })
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn add_rows(c: &mut Criterion) {
    let design = design();
    let rows: Vec<(String, Decimal, Vec<Option<i64>>)> = (0..36_000)
        .map(|r| {
            let answers = (0..ITEMS)
                .map(|i| Some(((r * 31 + i * 17) % 5 + 1) as i64))
                .collect();
            (
                format!("unit-{:02}", r % UNITS),
                Decimal::new(100 + (r % 300) as i64, 2),
                answers,
            )
        })
        .collect();
    c.bench_function("sipas_36k/add_row_weighted", |b| {
        b.iter(|| {
            let mut agg = Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap();
            for (u, w, a) in &rows {
                agg.add_row(u, None, Some(*w), a).unwrap();
            }
            agg
        })
    });
}

fn small(c: &mut Criterion) {
    bench_size(c, "36k", 36_000, 20);
    add_rows(c);
}

fn large(c: &mut Criterion) {
    bench_size(c, "1m", 1_000_000, 10);
}

criterion_group!(benches, small, large);
criterion_main!(benches);
