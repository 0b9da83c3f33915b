//! The fast path for records without quotes: one pass over each line, every field handled by
//! its column's role ([`Role`]), with exactly the outcome of the general splitter followed by
//! `add_record` (checked against it as a property below).

use super::aggregate::Aggregator;
use super::csv::{Columns, Role, Tally};
use super::csv_split::{Next, Splitter};

impl Aggregator {
    /// Adds the records of `bytes` (complete records without quotes; the first on `line`).
    /// Stops at a line holding a lone `\r` (a line break for the general splitter) and returns
    /// the bytes consumed.
    pub(crate) fn add_plain(&mut self, bytes: &[u8], line: u64, cols: &Columns, tally: &mut Tally) -> usize {
        let Some(roles) = cols.roles.as_deref() else {
            return 0;
        };
        let mut pos = 0;
        let mut line = line;
        while pos < bytes.len() {
            let end = bytes[pos..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| pos + i);
            let mut content = &bytes[pos..end];
            if let [rest @ .., b'\r'] = content {
                content = rest;
            }
            if content.contains(&b'\r') {
                return pos;
            }
            if !content.is_empty() {
                self.add_plain_line(content, line, roles, cols, tally);
            }
            pos = (end + 1).min(bytes.len());
            line += 1;
        }
        bytes.len()
    }

    /// One non-empty line (without its line break).
    fn add_plain_line(&mut self, content: &[u8], line: u64, roles: &[Role], cols: &Columns, tally: &mut Tally) {
        tally.rows_read += 1;
        let mut buf = std::mem::take(&mut self.buf);
        let (mut unit, mut group, mut weight): (&[u8], Option<&[u8]>, Option<&[u8]>) = (&[], None, None);
        // The first bad answer in design order (as the general path reports it).
        let mut bad: Option<(usize, usize, &[u8])> = None;
        let mut fields = 0;
        for (j, field) in content.split(|&b| b == cols.delimiter).enumerate() {
            fields += 1;
            match roles.get(j) {
                Some(Role::Item(k)) => match self.answer_slot(field) {
                    Some(slot) => buf[*k] = slot,
                    None => {
                        if bad.is_none_or(|(first, _, _)| *k < first) {
                            bad = Some((*k, j, field));
                        }
                    }
                },
                Some(Role::Unit) => unit = field,
                Some(Role::Group) => group = Some(field),
                Some(Role::Weight) => weight = Some(field),
                Some(Role::Ignored) | None => {}
            }
        }
        if fields != roles.len() {
            let reason = format!("row has {fields} fields, the header has {}", roles.len());
            tally.reject(line, None, "csv_row", reason);
        } else if let Some((_, col, raw)) = bad {
            self.reject_answer(line, cols, col, raw, tally);
        } else if self.commit_fields(line, unit, group, weight, cols, &buf, tally) {
            tally.rows_used += 1;
        }
        self.buf = buf;
    }

    /// Adds the records of `bytes` by the general splitter (complete records; the first on
    /// `line`).
    pub(crate) fn add_records(&mut self, bytes: &[u8], line: u64, cols: &Columns, tally: &mut Tally) {
        let mut split = Splitter::new_at(cols.delimiter, line);
        while let Next::Record(record) = split.next(bytes, true) {
            self.add_record(&record, cols, tally);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::survey::{AggregateOptions, CsvOptions, SurveyDesign};
    use proptest::prelude::*;

    fn setup() -> (Aggregator, Columns) {
        let design = SurveyDesign::from_json(
            r#"{"elements": [{"code": "e"}],
                "items": [{"code": "q1", "element": "e"}, {"code": "q2", "element": "e"},
                          {"code": "q3", "element": "e", "filter": "q1", "filter_levels": [4, 5]}],
                "missing_codes": [9], "not_applicable_codes": [0]}"#,
        )
        .unwrap();
        let options = CsvOptions {
            group_column: Some("g".into()),
            weight_column: Some("w".into()),
            ..CsvOptions::new("unit")
        };
        let header = b"q2,unit,g,w,q1,note,q3\n";
        let mut split = Splitter::new(b',');
        let Next::Record(record) = split.next(header, true) else { panic!("no header") };
        let (cols, _) = Columns::from_header(&record, &design, &options).unwrap();
        (Aggregator::new(&design, AggregateOptions { weighted: true }).unwrap(), cols)
    }

    fn cell() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "1", "4", "5", "9", "0", " 4 ", "7", "x", "4.0", "A", "B", "g", "2.5", "-1", "1e3"])
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        let line = (prop::collection::vec(cell(), 5..9), prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"]));
        prop::collection::vec(line, 0..40).prop_map(|lines| {
            let mut out = Vec::new();
            for (cells, end) in lines {
                out.extend_from_slice(cells.join(",").as_bytes());
                out.extend_from_slice(end.as_bytes());
            }
            out
        })
    }

    #[test]
    fn plain_lines_counted_and_rejected() {
        let (mut agg, cols) = setup();
        let mut t = Tally::default();
        // Used; a wrong field count; q1 (design order first) off the scale before q2; used.
        let bytes = b"4,A,g,2.5,5,n,4
4,A
7,A,g,1,8,n,1

4,B,,1,9,n,0";
        assert_eq!(agg.add_plain(bytes, 2, &cols, &mut t), bytes.len());
        assert_eq!((t.rows_read, t.rows_used), (4, 2));
        let got: Vec<(u64, &str, Option<&str>)> =
            t.rejections.iter().map(|r| (r.line, r.code.as_str(), r.column.as_deref())).collect();
        assert_eq!(got, vec![(3, "csv_row", None), (4, "answer_out_of_scale", Some("q1"))]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The fast path (with the splitter after a lone `\r`) reads exactly what the general
        /// splitter reads: same state, rows, rejections and line numbers.
        #[test]
        fn the_plain_path_equals_the_general_splitter(bytes in body()) {
            let (mut general, cols) = setup();
            let mut plain = general.clone();
            let (mut t1, mut t2) = (Tally::default(), Tally::default());
            general.add_records(&bytes, 2, &cols, &mut t1);
            plain.add_plain_or_split(&bytes, 2, &cols, &mut t2);
            prop_assert!(general == plain);
            prop_assert_eq!((t1.rows_read, t1.rows_used, t1.state_dependent), (t2.rows_read, t2.rows_used, t2.state_dependent));
            prop_assert_eq!(t1.rejections, t2.rejections);
        }
    }
}
