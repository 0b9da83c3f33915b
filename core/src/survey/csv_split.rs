//! Splits CSV bytes into records, the way the `csv` crate reads them, but fast on the plain
//! rows of survey exports: a record without quotes is a list of ranges into the input (no copy);
//! only a record with a quoted field is unescaped into a scratch buffer.
//!
//! Why by hand: the survey reader looks at one- or two-byte fields, where the `csv` crate's
//! general state machine and its record copies cost more than the counting itself
//! (`benches/sipas.rs`). The rules are the `csv` crate's (tested against it as a property in
//! `core/tests/survey_csv_split.rs`): fields split at the delimiter; records end at `\n`, `\r\n`
//! or a lone `\r`; empty lines are skipped; a field that starts with `"` is quoted, `""` inside
//! it is one quote, and delimiters and line breaks inside it are data; a quote anywhere else is
//! an ordinary byte; an unterminated quoted field runs to the end of the input.

use std::ops::Range;

/// One record: its fields as ranges of `bytes`, and the line it starts on (1-based).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    bytes: &'a [u8],
    fields: &'a [Range<usize>],
    /// The 1-based line on which the record starts (line breaks inside quoted fields count).
    pub(crate) line: u64,
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `j` (empty when out of range).
    #[inline]
    pub(crate) fn field(&self, j: usize) -> &'a [u8] {
        self.fields
            .get(j)
            .and_then(|r| self.bytes.get(r.clone()))
            .unwrap_or_default()
    }
}

/// What [`Splitter::next`] found.
pub(crate) enum Next<'a> {
    /// A complete record.
    Record(Record<'a>),
    /// The input ends inside a record: give more bytes (from the returned offset on), or call
    /// again with `eof` set.
    NeedMore,
    /// No more records in the input.
    End,
}

/// A reusable splitter: field ranges and the scratch buffer live across records.
#[derive(Debug)]
pub(crate) struct Splitter {
    delimiter: u8,
    fields: Vec<Range<usize>>,
    scratch: Vec<u8>,
    /// Offset in the current input where the next record starts.
    pub(crate) pos: usize,
    /// The line the next record starts on.
    pub(crate) line: u64,
}

impl Splitter {
    pub(crate) fn new(delimiter: u8) -> Self {
        Splitter::new_at(delimiter, 1)
    }

    /// A splitter whose first record starts on `line`.
    pub(crate) fn new_at(delimiter: u8, line: u64) -> Self {
        Splitter {
            delimiter,
            fields: Vec::with_capacity(64),
            scratch: Vec::new(),
            pos: 0,
            line,
        }
    }

    /// The next record of `input` from [`pos`](Splitter::pos). With `eof` false, a record that
    /// reaches the end of `input` is not returned ([`Next::NeedMore`]): its end may be in the
    /// bytes still to come.
    pub(crate) fn next<'s>(&'s mut self, input: &'s [u8], eof: bool) -> Next<'s> {
        loop {
            let start = self.pos;
            // Skip empty lines, counting them.
            match input.get(start) {
                None => return if eof { Next::End } else { Next::NeedMore },
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    continue;
                }
                Some(b'\r') => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            return match self.plain(input, start, eof) {
                Plain::Done(end, newlines) => {
                    let line = self.line;
                    self.pos = end;
                    self.line += newlines;
                    Next::Record(Record {
                        bytes: input,
                        fields: &self.fields,
                        line,
                    })
                }
                Plain::Quoted => match self.quoted(input, start, eof) {
                    Some((end, newlines)) => {
                        let line = self.line;
                        self.pos = end;
                        self.line += newlines;
                        Next::Record(Record {
                            bytes: &self.scratch,
                            fields: &self.fields,
                            line,
                        })
                    }
                    None => Next::NeedMore,
                },
                Plain::NeedMore => Next::NeedMore,
            };
        }
    }

    /// The fast path: a record with no field starting with a quote, as ranges of `input`.
    #[inline]
    fn plain(&mut self, input: &[u8], start: usize, eof: bool) -> Plain {
        self.fields.clear();
        let d = self.delimiter;
        let mut field = start;
        let mut i = start;
        while let Some(&b) = input.get(i) {
            if b == d {
                self.fields.push(field..i);
                i += 1;
                field = i;
            } else if b == b'\n' {
                self.fields.push(field..i);
                return Plain::Done(i + 1, 1);
            } else if b == b'\r' {
                self.fields.push(field..i);
                return match input.get(i + 1) {
                    Some(b'\n') => Plain::Done(i + 2, 1),
                    Some(_) => Plain::Done(i + 1, 0),
                    // A `\n` may follow in the next bytes.
                    None if !eof => Plain::NeedMore,
                    None => Plain::Done(i + 1, 0),
                };
            } else if b == b'"' && i == field {
                return Plain::Quoted;
            } else {
                i += 1;
            }
        }
        if !eof {
            return Plain::NeedMore;
        }
        self.fields.push(field..i);
        Plain::Done(i, 0)
    }

    /// The general path: unescapes the record into the scratch buffer. `None` when the input
    /// ends inside the record and more may come.
    fn quoted(&mut self, input: &[u8], start: usize, eof: bool) -> Option<(usize, u64)> {
        self.fields.clear();
        self.scratch.clear();
        let d = self.delimiter;
        let mut state = State::FieldStart;
        let mut field = 0;
        let mut newlines = 0;
        let mut i = start;
        while let Some(&b) = input.get(i) {
            i += 1;
            state = match state {
                State::FieldStart | State::Unquoted => {
                    if b == d {
                        self.fields.push(field..self.scratch.len());
                        field = self.scratch.len();
                        State::FieldStart
                    } else if b == b'\n' || b == b'\r' {
                        return self.end_line(input, i, b, field, newlines, eof);
                    } else if b == b'"' && matches!(state, State::FieldStart) {
                        State::Quoted
                    } else {
                        self.scratch.push(b);
                        State::Unquoted
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        State::QuoteInQuoted
                    } else {
                        newlines += u64::from(b == b'\n');
                        self.scratch.push(b);
                        State::Quoted
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        self.scratch.push(b'"');
                        State::Quoted
                    } else if b == d {
                        self.fields.push(field..self.scratch.len());
                        field = self.scratch.len();
                        State::FieldStart
                    } else if b == b'\n' || b == b'\r' {
                        return self.end_line(input, i, b, field, newlines, eof);
                    } else {
                        self.scratch.push(b);
                        State::Unquoted
                    }
                }
            };
        }
        if !eof {
            return None;
        }
        self.fields.push(field..self.scratch.len());
        Some((i, newlines))
    }

    /// Ends a quoted-path record at a line break `b` (already consumed; `i` is past it).
    fn end_line(
        &mut self,
        input: &[u8],
        i: usize,
        b: u8,
        field: usize,
        newlines: u64,
        eof: bool,
    ) -> Option<(usize, u64)> {
        self.fields.push(field..self.scratch.len());
        if b == b'\n' {
            return Some((i, newlines + 1));
        }
        match input.get(i) {
            Some(b'\n') => Some((i + 1, newlines + 1)),
            Some(_) => Some((i, newlines)),
            None if !eof => None,
            None => Some((i, newlines)),
        }
    }
}

enum Plain {
    Done(usize, u64),
    Quoted,
    NeedMore,
}

#[derive(Clone, Copy)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the splitter gives them, reading `input` in pieces of `chunk` bytes (as the
    /// survey reader does: the unread rest moves to the front, more bytes come after it).
    fn split(input: &[u8], chunk: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let mut s = Splitter::new(b',');
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0;
        loop {
            let eof = fed == input.len();
            match s.next(&buf, eof) {
                Next::Record(r) => {
                    out.push((r.line, (0..r.len()).map(|j| r.field(j).to_vec()).collect()));
                }
                Next::End => return out,
                Next::NeedMore => {
                    buf.drain(..s.pos);
                    s.pos = 0;
                    let take = chunk.min(input.len() - fed);
                    buf.extend_from_slice(&input[fed..fed + take]);
                    fed += take;
                }
            }
        }
    }

    /// Records as the `csv` crate reads them (no header, flexible).
    fn reference(input: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let line = rec.position().map_or(0, |p| p.line());
            out.push((line, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    #[test]
    fn plain_quoted_and_broken_lines() {
        let input = b"a,b\n1,\"x,\"\"y\"\"\nz\"\n\n3,4";
        let got = split(input, 3);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1[1], b"x,\"y\"\nz".to_vec());
        assert_eq!(got[2].0, 5); // line 4 is blank (the `csv` crate says 4)
                                 // CRLF: the line of a record is the number of `\n` before it, plus one.
        let lines: Vec<u64> = split(b"a\r\nb\r\n\r\nc", 2).iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn same_records_as_the_csv_crate(
            bytes in proptest::collection::vec(
                prop::sample::select(vec![b'a', b'1', b',', b'"', b'\n', b'\r', b' ']), 0..80),
            chunk in 1usize..20,
        ) {
            // Line numbers agree when every line break is a `\n` and no line is blank. The
            // `csv` crate does not count blank lines or lines ended by `\r\n` as a text editor
            // does; ours are editor lines (the number of `\n` before the record, plus one).
            let (got, want) = (split(&bytes, chunk), reference(&bytes));
            let blank = bytes.first() == Some(&b'\n') || bytes.windows(2).any(|w| w == b"\n\n");
            if bytes.contains(&b'\r') || blank {
                let fields = |v: Vec<(u64, Vec<Vec<u8>>)>| v.into_iter().map(|r| r.1).collect::<Vec<_>>();
                prop_assert_eq!(fields(got), fields(want));
            } else {
                prop_assert_eq!(got, want);
            }
        }
    }
}
