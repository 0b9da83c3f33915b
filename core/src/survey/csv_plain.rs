//! The fast path for records without quotes: one pass over each line, every field handled by
//! its column's role ([`Role`]), with exactly the outcome of the general splitter followed by
//! `add_record` (checked against it as a property below).

use super::aggregate::Aggregator;
use super::csv_answers::read_answers;
#[cfg(not(target_arch = "wasm32"))]
use super::csv_common::PendingCounts;
use super::csv::{Columns, Role, Segment, Tally};
use super::csv_split::{Next, Splitter};
use super::design::NO_SLOT;
use super::short_ids::short_key_at;
use wide::u8x16;

/// The bytes from `p` to the first delimiter or line break (or to the end): sixteen bytes at
/// once, then eight at a time. A unit id or a weight is found in one step, not byte by byte.
#[inline]
fn field_len(bytes: &[u8], p: usize, delim: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The classic zero-byte test: its lowest flag is exact (only bytes above a zero byte can
    // be flagged wrongly), so the lowest flag of the three tests is the first match.
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & (ONES << 7);
    let mut q = p;
    // Most unit ids and weights end within 16 bytes: one SIMD compare per byte sought.
    if let Some(w) = bytes.get(p..p + 16).and_then(|w| <[u8; 16]>::try_from(w).ok()) {
        let w = u8x16::new(w);
        let hits = w.simd_eq(u8x16::splat(delim)) | w.simd_eq(u8x16::splat(b'\n')) | w.simd_eq(u8x16::splat(b'\r'));
        let mask = hits.to_bitmask();
        if mask != 0 {
            return mask.trailing_zeros() as usize;
        }
        q += 16;
    }
    while let Some(word) = bytes.get(q..q + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let x = u64::from_le_bytes(word);
        let hits = zeros(x ^ (ONES * u64::from(delim))) | zeros(x ^ (ONES * u64::from(b'\n'))) | zeros(x ^ (ONES * u64::from(b'\r')));
        if hits != 0 {
            return q - p + (hits.trailing_zeros() / 8) as usize;
        }
        q += 8;
    }
    let rest = bytes.get(q..).unwrap_or_default();
    q - p + rest.iter().position(|&b| b == delim || b == b'\n' || b == b'\r').unwrap_or(rest.len())
}

impl Aggregator {
    /// Adds the records of `bytes` (complete records without quotes; the first on `line`).
    /// Stops at a line holding a lone `\r` (a line break for the general splitter) and returns
    /// the bytes consumed and the line feeds in them.
    pub(crate) fn add_plain(&mut self, bytes: &[u8], line: u64, cols: &Columns, tally: &mut Tally) -> (usize, u64) {
        // Lines of the common shape are counted straight from their bytes where the state
        // counts rows without weights or filters (see `counts_as_known`); their counts wait
        // in byte lanes until the end.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(shape) = cols.common.as_ref().filter(|_| !self.options.weighted && !self.compiled.has_filters) {
            let mut pending = PendingCounts::new(shape);
            let done = self.add_plain_lines(bytes, line, cols, tally, |agg, bytes, pos, tally| {
                if !pending.worth_trying() {
                    return None;
                }
                let next = agg.add_common_line(bytes, pos, shape, &mut pending, tally);
                pending.record(next.is_some());
                next
            });
            self.flush_pending(pending, shape);
            return done;
        }
        self.add_plain_lines(bytes, line, cols, tally, |_, _, _, _| None)
    }

    /// [`add_plain`](Aggregator::add_plain), each line first offered to `common` (which adds
    /// it and returns where the next starts, or does nothing).
    fn add_plain_lines<F>(&mut self, bytes: &[u8], line: u64, cols: &Columns, tally: &mut Tally, mut common: F) -> (usize, u64)
    where
        F: FnMut(&mut Aggregator, &[u8], usize, &mut Tally) -> Option<usize>,
    {
        let Some(roles) = cols.roles.as_deref() else {
            return (0, 0);
        };
        let mut pos = 0;
        let mut line = line;
        let mut feeds = 0;
        while pos < bytes.len() {
            if let Some(next) = common(self, bytes, pos, tally) {
                feeds += 1; // a common line ends with `\n`
                pos = next;
                line += 1;
                continue;
            }
            // Most other lines: one-byte answers and a known unit, counted as they are scanned.
            if let Some(next) = self.add_simple_line(bytes, pos, line, cols, tally) {
                feeds += u64::from(next > 0 && bytes[next - 1] == b'\n');
                pos = next;
                line += 1;
                continue;
            }
            let end = bytes[pos..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| pos + i);
            let mut content = &bytes[pos..end];
            if let [rest @ .., b'\r'] = content {
                content = rest;
            }
            if content.contains(&b'\r') {
                return (pos, feeds);
            }
            if !content.is_empty() {
                self.add_plain_line(content, line, roles, cols, tally);
            }
            feeds += u64::from(end < bytes.len());
            pos = (end + 1).min(bytes.len());
            line += 1;
        }
        (bytes.len(), feeds)
    }

    /// The line at `pos` when it has the common shape: every answer empty or one byte on the
    /// scale, no lone `\r`, as many fields as the header, a unit id. Counts it (or rejects it
    /// for a reason of its unit, group or weight, as [`commit_fields`](Aggregator::commit_fields)
    /// does) and returns where the next line starts; `None` (nothing done) for any other line,
    /// which the general line reader then takes.
    fn add_simple_line(
        &mut self,
        bytes: &[u8],
        pos: usize,
        line: u64,
        cols: &Columns,
        tally: &mut Tally,
    ) -> Option<usize> {
        let delim = cols.delimiter;
        let missing = self.compiled.slot(None);
        let (mut unit, mut group, mut weight): (&[u8], Option<&[u8]>, Option<&[u8]>) = (&[], None, None);
        let mut unit_key = None;
        let mut buf = std::mem::take(&mut self.buf);
        let mut p = pos;
        let mut simple = true;
        'line: for segment in &cols.plan {
            match segment {
                Segment::Items(run) => {
                    // Whole windows of up to 32 answers by their delimiters' positions; what
                    // they leave (the last line of a block, an odd field) field by field:
                    // empty, or one byte on the scale; then the delimiter. The run's items are
                    // consecutive: so are their slots.
                    let (taken, len) = match buf.get_mut(run.clone()) {
                        Some(cells) => read_answers(bytes, p, cells, &cols.before_delimiter, delim),
                        None => (0, 0),
                    };
                    let mut k = run.start + taken;
                    p += len;
                    while k < run.end {
                        let Some(slot) = buf.get_mut(k) else {
                            simple = false;
                            break 'line;
                        };
                        k += 1;
                        match (bytes.get(p), bytes.get(p + 1)) {
                            (Some(&b), _) if b == delim => {
                                *slot = missing;
                                p += 1;
                            }
                            (Some(&b), Some(&after)) if after == delim && cols.before_delimiter[usize::from(b)] != NO_SLOT => {
                                *slot = cols.before_delimiter[usize::from(b)];
                                p += 2;
                            }
                            _ => {
                                simple = false;
                                break 'line;
                            }
                        }
                    }
                }
                Segment::Field(role, last) => {
                    // The byte that must end this field.
                    let ends = |b: Option<&u8>| match b {
                        Some(&b) if !last => b == delim,
                        Some(b'\n' | b'\r') | None => *last,
                        Some(_) => false,
                    };
                    if let Role::Item(k) = *role {
                        let first = bytes.get(p);
                        let slot = if ends(first) {
                            missing
                        } else {
                            let s = first.map_or(NO_SLOT, |&b| self.compiled.byte_slots[usize::from(b)]);
                            if s == NO_SLOT || !ends(bytes.get(p + 1)) {
                                simple = false;
                                break 'line;
                            }
                            p += 1;
                            s
                        };
                        let Some(cell) = buf.get_mut(k) else {
                            simple = false;
                            break 'line;
                        };
                        *cell = slot;
                    } else {
                        let len = field_len(bytes, p, delim);
                        if !ends(bytes.get(p + len)) {
                            simple = false;
                            break 'line;
                        }
                        let field = &bytes[p..p + len];
                        match role {
                            Role::Unit => {
                                unit = field;
                                unit_key = short_key_at(bytes, p, p + len);
                            }
                            Role::Group => group = Some(field),
                            Role::Weight => weight = Some(field),
                            Role::Ignored | Role::Item(_) => {}
                        }
                        p += len;
                    }
                    if !last {
                        p += 1; // the delimiter
                    }
                }
            }
        }
        if !simple {
            self.buf = buf;
            return None;
        }
        // The line break: `\n`, `\r\n`, or the end of the input (a lone `\r` ends a line for the
        // general splitter, also at the end).
        let next = match (bytes.get(p), bytes.get(p + 1)) {
            (None, _) => Some(p),
            (Some(b'\n'), _) => Some(p + 1),
            (Some(b'\r'), Some(b'\n')) => Some(p + 2),
            (Some(b'\r'), None) => Some(p + 1),
            _ => None,
        };
        // Not an empty line, nor one with a field too many.
        let Some(next) = next.filter(|_| p > pos) else {
            self.buf = buf;
            return None;
        };
        tally.rows_read += 1;
        let used = match (weight, self.counts_as_known(unit, unit_key, group)) {
            (None, Some(state)) => {
                self.count_known(state, &buf);
                true
            }
            _ => self.commit_fields(line, unit, group, weight, cols, &buf, tally),
        };
        self.buf = buf;
        if used {
            tally.rows_used += 1;
        }
        Some(next)
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
        setup_with(true, true)
    }

    /// A state and the columns of the header `q2,unit,g,w,q1,note,q3`, weighted or not, with
    /// or without a filter on q3.
    fn setup_with(weighted: bool, filter: bool) -> (Aggregator, Columns) {
        let q3 = if filter { r#", "filter": "q1", "filter_levels": [4, 5]"# } else { "" };
        let design = SurveyDesign::from_json(&format!(
            r#"{{"elements": [{{"code": "e"}}],
                "items": [{{"code": "q1", "element": "e"}}, {{"code": "q2", "element": "e"}},
                          {{"code": "q3", "element": "e"{q3}}}],
                "missing_codes": [9], "not_applicable_codes": [0]}}"#,
        ))
        .unwrap();
        let options = CsvOptions {
            group_column: Some("g".into()),
            weight_column: weighted.then(|| "w".into()),
            ..CsvOptions::new("unit")
        };
        let header = b"q2,unit,g,w,q1,note,q3\n";
        let mut split = Splitter::new(b',');
        let Next::Record(record) = split.next(header, true) else { panic!("no header") };
        let agg = Aggregator::new(&design, AggregateOptions { weighted }).unwrap();
        let (cols, _) = Columns::from_header(&record, &design, &agg.compiled, &options).unwrap();
        (agg, cols)
    }

    fn cell() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "1", "4", "5", "9", "0", " 4 ", "7", "x", "4.0", "A", "B", "g", "2.5", "-1", "1e3"])
    }

    /// Lines shaped like the header `q2,unit,g,w,q1,note,q3`, mostly with one-byte answers (the
    /// common shape), sometimes odd: other answers, units and groups with spaces, a field too
    /// many or too few.
    fn survey_line() -> impl Strategy<Value = Vec<&'static str>> {
        let answer = || prop_oneof![10 => prop::sample::select(vec!["", "1", "4", "5", "9", "0"]), 1 => cell()];
        let unit = prop_oneof![10 => prop::sample::select(vec!["A", "B"]), 1 => prop::sample::select(vec![" A", "", "C "])];
        let group = prop_oneof![10 => prop::sample::select(vec!["", "g"]), 1 => prop::sample::select(vec!["h", " g", "4"])];
        let weight = prop::sample::select(vec!["1", "2.5", "x", "", "0"]);
        let shape = prop_oneof![20 => Just(0usize), 1 => Just(1), 1 => Just(2)];
        (answer(), unit, group, weight, answer(), cell(), answer(), shape).prop_map(|(q2, u, g, w, q1, note, q3, shape)| {
            let mut cells = vec![q2, u, g, w, q1, note, q3];
            match shape {
                1 => cells.push("5"),
                2 => {
                    cells.pop();
                }
                _ => {}
            }
            cells
        })
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        let cells = prop_oneof![prop::collection::vec(cell(), 5..9), survey_line()];
        let line = (cells, prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"]));
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
        assert_eq!(agg.add_plain(bytes, 2, &cols, &mut t), (bytes.len(), 4));
        assert_eq!((t.rows_read, t.rows_used), (4, 2));
        let got: Vec<(u64, &str, Option<&str>)> =
            t.rejections.iter().map(|r| (r.line, r.code.as_str(), r.column.as_deref())).collect();
        assert_eq!(got, vec![(3, "csv_row", None), (4, "answer_out_of_scale", Some("q1"))]);
    }

    /// A state and the columns of the header `unit,q1,...,q19` (a long run of items, read by
    /// its delimiters' positions where the line allows, else field by field), with a filter on
    /// q19 or not.
    /// 19 items; `order` gives the columns' items (design order, or another: runs of
    /// consecutive items are then cut where the order jumps).
    fn setup_wide(filter: bool, order: &[usize]) -> (Aggregator, Columns) {
        let items: Vec<String> = (1..=19)
            .map(|k| {
                let f = if filter && k == 19 { r#", "filter": "q1", "filter_levels": [4, 5]"# } else { "" };
                format!(r#"{{"code": "q{k}", "element": "e"{f}}}"#)
            })
            .collect();
        let design = SurveyDesign::from_json(&format!(
            r#"{{"elements": [{{"code": "e"}}], "items": [{}], "missing_codes": [9], "not_applicable_codes": [0]}}"#,
            items.join(", ")
        ))
        .unwrap();
        let header: Vec<String> = std::iter::once("unit".to_owned()).chain(order.iter().map(|k| format!("q{k}"))).collect();
        let header = format!("{}\n", header.join(","));
        let mut split = Splitter::new(b',');
        let Next::Record(record) = split.next(header.as_bytes(), true) else { panic!("no header") };
        let agg = Aggregator::new(&design, AggregateOptions { weighted: false }).unwrap();
        let (cols, _) = Columns::from_header(&record, &design, &agg.compiled, &CsvOptions::new("unit")).unwrap();
        (agg, cols)
    }

    /// Lines of the wide header: mostly one-byte answers, sometimes a blank or an odd cell
    /// (which breaks a run of eight), sometimes a field too many or too few.
    fn wide_body() -> impl Strategy<Value = Vec<u8>> {
        let answer = prop_oneof![30 => prop::sample::select(vec!["1", "4", "5", "9", "0"]), 3 => Just(""), 1 => cell()];
        let line = (prop::sample::select(vec!["A", "B", " A"]), prop::collection::vec(answer, 18..21));
        prop::collection::vec(line, 0..30).prop_map(|lines| {
            let mut out = Vec::new();
            for (unit, answers) in lines {
                out.extend_from_slice(unit.as_bytes());
                for a in answers {
                    out.push(b',');
                    out.extend_from_slice(a.as_bytes());
                }
                out.push(b'\n');
            }
            out
        })
    }

    proptest! {
        /// A field's length, found sixteen and then eight bytes at a time, is the byte-by-byte
        /// one.
        #[test]
        fn field_lengths_are_found_as_byte_by_byte(
            bytes in prop::collection::vec(prop::sample::select(vec![b'a', b',', b';', b'\n', b'\r', 0x80, 0xFF, 0x0B]), 0..40),
            p in 0usize..40,
            delim in prop::sample::select(vec![b',', b';']),
        ) {
            let p = p.min(bytes.len());
            let want = bytes[p..].iter().position(|&b| b == delim || b == b'\n' || b == b'\r').unwrap_or(bytes.len() - p);
            prop_assert_eq!(field_len(&bytes, p, delim), want);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// On long runs of items too (read by their delimiters' positions, or field by field
        /// where a window does not fit), the fast path reads what the general splitter reads.
        #[test]
        fn runs_of_answers_equal_the_general_splitter(bytes in wide_body(), filter in any::<bool>(), shuffled in any::<bool>()) {
            // Shuffled: q10 before q9 and q16 before q14, so runs are cut where the order jumps
            // (q1-q8 stays a run of eight).
            let order: Vec<usize> = if shuffled {
                vec![1, 2, 3, 4, 5, 6, 7, 8, 10, 9, 11, 12, 13, 16, 14, 15, 17, 18, 19]
            } else {
                (1..=19).collect()
            };
            let (mut general, cols) = setup_wide(filter, &order);
            let mut plain = general.clone();
            let (mut t1, mut t2) = (Tally::default(), Tally::default());
            general.add_records(&bytes, 2, &cols, &mut t1);
            plain.add_plain_or_split(&bytes, 2, &cols, &mut t2);
            prop_assert!(general == plain);
            prop_assert_eq!((t1.rows_read, t1.rows_used), (t2.rows_read, t2.rows_used));
            prop_assert_eq!(t1.rejections, t2.rejections);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The fast path (with the splitter after a lone `\r`) reads exactly what the general
        /// splitter reads: same state, rows, rejections and line numbers.
        #[test]
        fn the_plain_path_equals_the_general_splitter(bytes in body(), weighted in any::<bool>(), filter in any::<bool>()) {
            let (mut general, cols) = setup_with(weighted, filter);
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
