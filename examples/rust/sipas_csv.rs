//! SIPAS from a CSV file of responses: streams the file through the core's reader, finishes the
//! results (levels, shares, standard errors, intervals, element and overall indices, ranks) and
//! prints what was read, the overall index of every unit, and how long it took.
//!
//! Run: `cargo run --release -p par-index --example sipas_csv -- FILE [--weight w] [--ci wilson]`
//!
//! Options:
//! - `--unit COL`     the unit column (default `unit`)
//! - `--weight COL`   a column of design weights (default: unweighted)
//! - `--ci METHOD`    wilson, clopper_pearson, jeffreys, agresti_coull, normal, logit,
//!   korn_graubard (default wilson)
//! - `--level L`      confidence level (default 0.95)
//! - `--design FILE`  a survey design JSON (default: the 33-item national questionnaire,
//!   `core/data/survey-designs/sipas-national-2022.json`, answer columns `q1` .. `q33`)
//! - `--repeat N`     run N times and report the shortest time (for benchmarks)
//! - `--quiet`        print only the summary and the time, not the per-unit table

use par_index::survey::{aggregate_csv, CiMethod, CiOptions, CsvOptions, SurveyDesign};
use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const NATIONAL_2022: &str = include_str!("../../core/data/survey-designs/sipas-national-2022.json");

struct Args {
    file: String,
    unit: String,
    weight: Option<String>,
    ci: CiOptions,
    design: Option<String>,
    repeat: u32,
    quiet: bool,
}

fn usage() -> String {
    "usage: sipas_csv FILE [--unit COL] [--weight COL] [--ci METHOD] [--level L] [--design FILE] [--repeat N] [--quiet]"
        .to_owned()
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut file = None;
    let mut a = Args {
        file: String::new(),
        unit: "unit".to_owned(),
        weight: None,
        ci: CiOptions::default(),
        design: None,
        repeat: 1,
        quiet: false,
    };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        match arg.as_str() {
            "--unit" => a.unit = value("--unit")?,
            "--weight" => a.weight = Some(value("--weight")?),
            "--ci" => {
                a.ci.method = value("--ci")?
                    .parse::<CiMethod>()
                    .map_err(|e| e.to_string())?
            }
            "--level" => {
                a.ci.level = value("--level")?
                    .parse()
                    .map_err(|e| format!("--level: {e}"))?
            }
            "--design" => a.design = Some(value("--design")?),
            "--repeat" => {
                a.repeat = value("--repeat")?
                    .parse()
                    .map_err(|e| format!("--repeat: {e}"))?
            }
            "--quiet" => a.quiet = true,
            "-h" | "--help" => return Err(usage()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{}", usage())),
            s => file = Some(s.to_owned()),
        }
    }
    a.file = file.ok_or_else(usage)?;
    a.repeat = a.repeat.max(1);
    Ok(a)
}

fn run(a: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let design = match &a.design {
        Some(path) => SurveyDesign::from_json(&std::fs::read_to_string(path)?)?,
        None => SurveyDesign::from_json(NATIONAL_2022)?,
    };
    let mut options = CsvOptions::new(a.unit.as_str());
    options.weight_column = a.weight.clone();
    // Each repetition times the reader, then the baseline it is measured against (the same
    // bytes read once, lines counted): interleaved, both see the same load on a shared machine.
    let mut best = Duration::MAX;
    let mut read_best = Duration::MAX;
    let mut last = None;
    for _ in 0..a.repeat {
        let start = Instant::now();
        let reader = BufReader::with_capacity(1 << 20, File::open(&a.file)?);
        let (state, report) = aggregate_csv(reader, &design, &options)?;
        let result = state.finish(&a.ci)?;
        best = best.min(start.elapsed());
        last = Some((result, report));
        let start = Instant::now();
        let bytes = std::fs::read(&a.file)?;
        // Counted with SIMD (a byte-by-byte count took twice as long as the read itself).
        let lines = memchr::memchr_iter(b'\n', &bytes).count();
        read_best = read_best.min(start.elapsed());
        std::hint::black_box(lines);
    }
    let Some((result, report)) = last else {
        return Ok(());
    };
    let items = design.items.len();
    println!("file: {}", a.file);
    println!(
        "units {}, items {}, elements {}; rows read {}, used {}, rejected {}",
        result.units.len(),
        items,
        design.elements.len(),
        report.rows_read,
        report.rows_used,
        report.rows_rejected
    );
    for r in report.rejections.iter().take(10) {
        println!("  rejected line {}: {} ({})", r.line, r.reason, r.code);
    }
    if report.rejections.len() > 10 {
        println!(
            "  ... and {} more rejected rows",
            report.rejections.len() - 10
        );
    }
    println!(
        "intervals: {} at {}; {}",
        result.ci.method,
        result.ci.level,
        if result.weighted {
            "weighted (Taylor SE)"
        } else {
            "unweighted"
        }
    );
    if !a.quiet {
        println!(
            "{:<24} {:>11} {:>10} {:>5}",
            "unit", "respondents", "overall %", "rank"
        );
        for u in &result.units {
            let index = u.overall.map_or("-".to_owned(), |d| format!("{:.2}", d));
            let rank = u.rank.map_or("-".to_owned(), |r| r.to_string());
            println!(
                "{:<24} {:>11} {:>10} {:>5}",
                u.unit, u.respondents, index, rank
            );
        }
        let all = result
            .all
            .overall
            .map_or("-".to_owned(), |d| format!("{:.2}", d));
        println!(
            "{:<24} {:>11} {:>10}",
            "(all units)", result.all.respondents, all
        );
    }
    let cells = result
        .units
        .iter()
        .flat_map(|u| &u.items)
        .filter(|i| i.share.is_some())
        .count();
    println!(
        "time: {:.6} s (read, aggregate and finish{}; {} unit x item shares with SE and interval)",
        best.as_secs_f64(),
        if a.repeat > 1 {
            format!(", best of {}", a.repeat)
        } else {
            String::new()
        },
        cells
    );
    println!(
        "read: {:.6} s (the file's bytes read once and its lines counted, best of {})",
        read_best.as_secs_f64(),
        a.repeat
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
