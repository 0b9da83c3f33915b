//! Reading a response CSV on several threads gives exactly what reading it row by row gives:
//! the same state, the same used and rejected rows, the same line numbers and reasons.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use par_index::survey::{aggregate_csv, Aggregator, CsvOptions, RowReport, SurveyDesign};

fn design() -> SurveyDesign {
    SurveyDesign::from_json(
        r#"{"elements": [{"code": "e"}, {"code": "f"}],
            "items": [{"code": "q1", "element": "e"}, {"code": "q2", "element": "e"},
                      {"code": "q3", "element": "f", "filter": "q1", "filter_levels": [3, 4, 5]}],
            "missing_codes": [9], "not_applicable_codes": [0]}"#,
    )
    .unwrap()
}

/// About 1.5 MB of rows (several pieces of 256 KiB), with every kind of bad row sprinkled in:
/// an answer off the scale, a bad weight, a missing unit, a wrong field count, a group
/// conflict, plus blank lines and CRLF line ends. Returns the text and the lines rejected.
fn file(rows: usize, conflict_at: usize) -> (String, Vec<u64>) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut out = String::from("unit,group,w,q1,q2,q3,note\n");
    let mut rejected = Vec::new();
    let mut line = 2u64;
    for r in 0..rows {
        let u = next() % 40;
        let group = if u % 2 == 0 { "dept" } else { "district" };
        let mut cells: Vec<String> = (0..3)
            .map(|_| match next() % 10 {
                0 => String::new(),
                1 => "9".to_owned(),
                2 => "0".to_owned(),
                k => (k % 5 + 1).to_string(),
            })
            .collect();
        let mut unit = format!("unit-{u:02}");
        let mut group = group.to_owned();
        let mut weight = format!("{}.{}", 1 + next() % 3, next() % 1000);
        let mut extra = String::new();
        let bad = r % 997 == 500;
        if bad {
            match (r / 997) % 4 {
                0 => cells[1] = "7".to_owned(),
                1 => weight = "-2".to_owned(),
                2 => unit = String::new(),
                _ => extra = ",surplus".to_owned(),
            }
        }
        let conflict = r == conflict_at;
        if conflict {
            group = if u % 2 == 0 { "district" } else { "dept" }.to_owned();
        }
        if bad || conflict {
            rejected.push(line);
        }
        let end = if r % 5 == 0 { "\r\n" } else { "\n" };
        out.push_str(&format!(
            "{unit},{group},{weight},{},{},{},n{r}{extra}{end}",
            cells[0], cells[1], cells[2]
        ));
        line += 1;
        if r % 1000 == 999 {
            out.push('\n');
            line += 1;
        }
    }
    (out, rejected)
}

fn read(text: &str, threads: usize) -> (Aggregator, RowReport) {
    let options = CsvOptions {
        group_column: Some("group".to_owned()),
        weight_column: Some("w".to_owned()),
        threads: Some(threads),
        ..CsvOptions::new("unit")
    };
    aggregate_csv(text.as_bytes(), &design(), &options).unwrap()
}

#[test]
fn any_thread_count_gives_the_row_by_row_result() {
    let rows = 60_000;
    // A group conflict late in the file, so that it falls in a later piece than the unit's
    // first rows: merging pieces fails, and the block is read row by row instead.
    let (text, rejected) = file(rows, 50_000);
    assert!(text.len() > 1_500_000, "{} bytes", text.len());
    let (serial, serial_report) = read(&text, 1);
    let lines: Vec<u64> = serial_report.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, rejected);
    assert_eq!(serial_report.rows_read, rows as u64);
    assert_eq!(
        serial_report.rows_used + serial_report.rows_rejected,
        rows as u64
    );
    assert_eq!(serial_report.ignored_columns, vec!["note".to_owned()]);
    assert_eq!(serial.respondent_count(), serial_report.rows_used);
    for threads in [2, 3, 8] {
        let (parallel, report) = read(&text, threads);
        assert!(parallel == serial, "{threads} threads: state differs");
        assert_eq!(parallel.to_state_json(), serial.to_state_json(), "{threads} threads");
        assert_eq!(report, serial_report, "{threads} threads: report differs");
    }
    // Without the conflict, pieces merge (the parallel path is taken) and still agree.
    let (clean, _) = file(rows, usize::MAX);
    let (serial, serial_report) = read(&clean, 1);
    let (parallel, report) = read(&clean, 2);
    assert!(parallel == serial);
    assert_eq!(report, serial_report);
    assert_eq!(report.rows_rejected, 60); // 60 rows r with r % 997 == 500
}

#[test]
fn a_quoted_field_anywhere_reads_row_by_row_with_the_same_result() {
    let (text, _) = file(30_000, usize::MAX);
    let (c, rc) = read(&text, 2);
    // In the last piece, and in the first (each piece looks for quotes in its own bytes).
    for (plain, quoted) in [("n29999\n", "\"n29,999\"\n"), ("n7\n", "\"n,7\"\n")] {
        let quoted = text.replacen(plain, quoted, 1);
        assert_ne!(quoted, text);
        let (a, ra) = read(&quoted, 1);
        let (b, rb) = read(&quoted, 2);
        assert!(a == b && b == c);
        assert_eq!(ra, rb);
        assert_eq!(rb, rc);
    }
}

fn read_grouped(text: &str, threads: usize) -> (Aggregator, RowReport) {
    let options = CsvOptions {
        group_column: Some("g".to_owned()),
        weight_column: Some("w".to_owned()),
        threads: Some(threads),
        ..CsvOptions::new("unit")
    };
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    aggregate_csv(text.as_bytes(), &design, &options).unwrap()
}

fn filler(out: &mut String, rows: usize) {
    for k in 0..rows {
        out.push_str(&format!("F{},,1,3\n", k % 500));
    }
}

/// A row rejected for an overflowing weight must leave no unit behind: otherwise merging pieces
/// accepts what row-by-row reading rejects (found in review).
#[test]
fn a_rejected_row_leaves_no_trace_on_any_thread_count() {
    // A: an ungrouped unit, then a grouped row of it whose weight squared overflows.
    let mut a = String::from("unit,g,w,q1\nA,,1,5\n");
    filler(&mut a, 60_000);
    a.push_str("A,G,300000000000000,5\n");
    filler(&mut a, 20_000);
    // B: the overflowing row first, then ungrouped rows of the same unit.
    let mut b = String::from("unit,g,w,q1\nA,G,300000000000000,5\n");
    filler(&mut b, 40_000);
    b.push_str("A,,1,5\nA,,1,5\n");
    filler(&mut b, 40_000);
    for (text, expected) in [
        (&a, vec![(60_003, "group_conflict")]),
        (&b, vec![(2, "decimal_overflow")]),
    ] {
        let (serial, report) = read_grouped(text, 1);
        let got: Vec<(u64, &str)> = report.rejections.iter().map(|r| (r.line, r.code.as_str())).collect();
        assert_eq!(got, expected);
        for threads in [2, 3] {
            let (parallel, preport) = read_grouped(text, threads);
            assert!(parallel == serial, "{threads} threads: state differs");
            assert_eq!(preport, report, "{threads} threads: report differs");
        }
    }
}

/// Units first seen in every part of the file (each thread keeps one state over its pieces):
/// the state lists them in the order the file first shows them, on any number of threads, as
/// its JSON shows.
#[test]
fn units_keep_the_order_of_the_file_on_any_thread_count() {
    let mut text = String::from("unit,q1,q2\n");
    for r in 0..320_000u32 {
        // Unit u{k} first shows up at row 8000 k; one row in seven is of an earlier unit.
        let unit = if r % 7 == 3 { r / 16_000 } else { r / 8000 };
        text.push_str(&format!("u{unit},{},{}\n", r % 5 + 1, r % 3 + 3));
    }
    // Pieces of at least 256 KiB, about four a thread: eight pieces on two threads.
    assert!(text.len() > 8 * 256 * 1024, "{} bytes", text.len());
    let design = SurveyDesign::from_item_codes(&["q1", "q2"]).unwrap();
    let read = |threads: usize| {
        let options = CsvOptions {
            threads: Some(threads),
            ..CsvOptions::new("unit")
        };
        aggregate_csv(text.as_bytes(), &design, &options).unwrap()
    };
    let (serial, report) = read(1);
    assert_eq!(report.rows_used, 320_000);
    let json = serial.to_state_json();
    let first: Vec<usize> = ["\"u0\"", "\"u1\"", "\"u39\""].iter().map(|id| json.find(id).unwrap()).collect();
    assert!(first[0] < first[1] && first[1] < first[2], "{first:?}");
    for threads in [2, 3, 8] {
        let (parallel, preport) = read(threads);
        assert_eq!(parallel.to_state_json(), json, "{threads} threads");
        assert_eq!(preport, report, "{threads} threads");
    }
}

/// A byte order mark is dropped before the header only, also when lines end with a lone `\r`
/// (then the line number never moves; found in review).
#[test]
fn a_byte_order_mark_is_dropped_at_the_start_only() {
    let mut text = String::from("\u{FEFF}unit,q1\r");
    while text.len() < (4 << 20) - 2 {
        text.push_str("A,5\r");
    }
    text.push_str("\u{FEFF}X,5\r");
    let design = SurveyDesign::from_item_codes(&["q1"]).unwrap();
    let (state, report) = aggregate_csv(text.as_bytes(), &design, &CsvOptions::new("unit")).unwrap();
    assert_eq!(report.rows_rejected, 0);
    let result = state.finish(&par_index::survey::CiOptions::default()).unwrap();
    let units: Vec<&str> = result.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(units, vec!["A", "\u{FEFF}X"]);
}
