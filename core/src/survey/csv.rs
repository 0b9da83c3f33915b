//! Streaming CSV input: any size, from any reader, every rejected row reported.

use super::aggregate::{AggregateOptions, Aggregator};
#[cfg(not(target_arch = "wasm32"))]
use super::csv_common::CommonShape;
use super::csv_split::{Next, Record, Splitter};
use super::design::{Compiled, SurveyDesign, NO_SLOT};
use super::error::SurveyError;
use crate::limits::MAX_CSV_RECORD_BYTES;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::str::FromStr;

/// Which CSV columns hold the unit, the group and the weight. Item columns are named by item
/// code; other columns are ignored (and listed in the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvOptions {
    /// Column of unit ids (required).
    pub unit_column: String,
    /// Column of group names, if any.
    #[serde(default)]
    pub group_column: Option<String>,
    /// Column of design weights; when given, aggregation is weighted.
    #[serde(default)]
    pub weight_column: Option<String>,
    /// Field delimiter (default `,`).
    #[serde(default = "default_delimiter")]
    pub delimiter: u8,
    /// Threads to read with (default: one per core; 1 reads row by row on this thread): this
    /// one and a pool's kept between calls (one fewer than the cores), or threads started for
    /// the call while another call uses the pool. The result is the same for any number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

fn default_delimiter() -> u8 {
    b','
}

impl CsvOptions {
    /// Options naming only the unit column.
    pub fn new(unit_column: impl Into<String>) -> Self {
        CsvOptions {
            unit_column: unit_column.into(),
            group_column: None,
            weight_column: None,
            delimiter: b',',
            threads: None,
        }
    }
}

/// Unit column `unit`, no group or weight column, comma-delimited.
impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions::new("unit")
    }
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRejection {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// The column concerned, if one.
    pub column: Option<String>,
    /// The error code (as [`SurveyError::code`]).
    pub code: String,
    /// A readable reason.
    pub reason: String,
}

impl RowRejection {
    /// This rejection as an error value.
    pub fn to_error(&self) -> SurveyError {
        SurveyError::CsvRow {
            line: self.line,
            column: self.column.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// What happened to the rows of a file: read = used + rejected, always.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RowReport {
    /// Data rows read (the header not counted).
    pub rows_read: u64,
    /// Rows counted in the aggregation.
    pub rows_used: u64,
    /// Rows rejected, each listed in `rejections`.
    pub rows_rejected: u64,
    /// Every rejected row, in file order.
    pub rejections: Vec<RowRejection>,
    /// Header columns that are neither items nor named in the options (ignored).
    pub ignored_columns: Vec<String>,
}

/// Aggregates a CSV file in one pass and returns the state (to merge or finish) and the row
/// report. Weighted when `options.weight_column` is given.
///
/// ```
/// use par_index::survey::{aggregate_csv, CiOptions, CsvOptions, SurveyDesign};
/// let design = SurveyDesign::from_item_codes(&["q1", "q2"])?;
/// let data = "unit,q1,q2\nA,5,4\nA,3,\nB,9,1\n";
/// let (state, report) = aggregate_csv(data.as_bytes(), &design, &CsvOptions::new("unit"))?;
/// assert_eq!((report.rows_read, report.rows_used, report.rows_rejected), (3, 2, 1));
/// assert_eq!(report.rejections[0].line, 4);
/// let result = state.finish(&CiOptions::default())?;
/// assert_eq!(result.units[0].items[0].n, 2);
/// # Ok::<(), par_index::survey::SurveyError>(())
/// ```
pub fn aggregate_csv<R: Read>(
    reader: R,
    design: &SurveyDesign,
    options: &CsvOptions,
) -> Result<(Aggregator, RowReport), SurveyError> {
    let mut agg = Aggregator::new(
        design,
        AggregateOptions {
            weighted: options.weight_column.is_some(),
        },
    )?;
    let report = agg.add_csv(reader, options)?;
    Ok((agg, report))
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// Parses an optionally signed decimal integer; `None` when it is not one.
#[inline]
fn parse_int(b: &[u8]) -> Option<i64> {
    // A whole number written as a float ("4.0", as pandas writes an integer column with
    // blanks) is that whole number; any other fraction is not an answer code.
    let b = match b.iter().position(|&c| c == b'.') {
        Some(dot) if b[dot + 1..].iter().all(|&c| c == b'0') => &b[..dot],
        _ => b,
    };
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(if neg { -v } else { v })
}

fn parse_weight(b: &[u8]) -> Option<Decimal> {
    // Fast path for plain `123.45` (at most 18 digits): the exact decimal without a string.
    let (whole, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (&b[..dot], &b[dot + 1..]),
        None => (b, &b[..0]),
    };
    let digits = whole.len() + frac.len();
    if (1..=18).contains(&digits) && whole.iter().chain(frac).all(u8::is_ascii_digit) {
        let m = whole
            .iter()
            .chain(frac)
            .fold(0i64, |m, &c| m * 10 + i64::from(c - b'0'));
        return Some(Decimal::new(m, u32::try_from(frac.len()).ok()?));
    }
    let s = std::str::from_utf8(b).ok()?;
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

/// What a column is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Ignored,
    Unit,
    Group,
    Weight,
    /// The answers to the item at this index of the design.
    Item(usize),
}

/// Which column plays which part, resolved from the header once.
pub(crate) struct Columns {
    pub(crate) names: Vec<String>,
    pub(crate) delimiter: u8,
    pub(crate) unit: usize,
    pub(crate) group: Option<usize>,
    pub(crate) weight: Option<usize>,
    items: Vec<usize>,
    /// Each column's part, when no column plays two (else `None`: the general path only).
    pub(crate) roles: Option<Vec<Role>>,
    /// The columns of a line as the fast path walks them (empty without `roles`).
    pub(crate) plan: Vec<Segment>,
    /// The slot of the byte before a delimiter in a run of answers: a one-byte answer's, no
    /// answer's for the delimiter itself (an empty field), [`NO_SLOT`] for any other byte.
    pub(crate) before_delimiter: [u8; 256],
    /// The header's shape when it is the common one (see `csv_common`).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) common: Option<CommonShape>,
}

/// A stretch of columns for the fast path of quote-free lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Consecutive item columns of consecutive items (these design indices, in column order),
    /// each followed by a delimiter (the line's last column is never in a run): their answers
    /// go to consecutive places of a line's slots.
    Items(std::ops::Range<usize>),
    /// One column of another part, or the last column; `true` when it is the last.
    Field(Role, bool),
}

/// Runs of item columns, and single columns between them.
fn plan(roles: &[Role]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut run: Option<std::ops::Range<usize>> = None;
    for (j, role) in roles.iter().enumerate() {
        let last = j + 1 == roles.len();
        match (role, run.as_mut()) {
            // The next item after the run's: the run grows.
            (Role::Item(k), Some(r)) if !last && *k == r.end => r.end += 1,
            (Role::Item(k), _) if !last => {
                out.extend(run.replace(*k..*k + 1).map(Segment::Items));
            }
            _ => {
                out.extend(run.take().map(Segment::Items));
                out.push(Segment::Field(*role, last));
            }
        }
    }
    out.extend(run.map(Segment::Items));
    out
}

impl Columns {
    /// The columns of a header for a design (compiled as `compiled`) and options.
    pub(crate) fn from_header(
        header: &Record<'_>,
        design: &SurveyDesign,
        compiled: &Compiled,
        options: &CsvOptions,
    ) -> Result<(Columns, Vec<String>), SurveyError> {
        let names: Vec<String> = (0..header.len())
            .map(|j| String::from_utf8_lossy(trim(header.field(j))).into_owned())
            .collect();
        let find = |name: &str| {
            names
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| SurveyError::MissingColumn {
                    column: name.to_owned(),
                })
        };
        let unit = find(&options.unit_column)?;
        let group = options.group_column.as_deref().map(find).transpose()?;
        let weight = options.weight_column.as_deref().map(find).transpose()?;
        let items = design
            .items
            .iter()
            .map(|it| find(&it.code))
            .collect::<Result<Vec<usize>, SurveyError>>()?;
        let ignored = names
            .iter()
            .enumerate()
            .filter(|(j, _)| {
                *j != unit && Some(*j) != group && Some(*j) != weight && !items.contains(j)
            })
            .map(|(_, n)| n.clone())
            .collect();
        let mut roles = vec![Role::Ignored; names.len()];
        let mut parts = vec![(unit, Role::Unit)];
        parts.extend(group.map(|g| (g, Role::Group)));
        parts.extend(weight.map(|w| (w, Role::Weight)));
        parts.extend(items.iter().enumerate().map(|(k, &c)| (c, Role::Item(k))));
        let mut single = true;
        for (col, role) in parts {
            single &= roles[col] == Role::Ignored;
            roles[col] = role;
        }
        let roles = single.then_some(roles);
        let mut before_delimiter = compiled.byte_slots;
        before_delimiter[usize::from(options.delimiter)] = compiled.slot(None);
        #[cfg(not(target_arch = "wasm32"))]
        let common = roles.as_deref().and_then(|r| CommonShape::of(r, &before_delimiter, options.delimiter));
        Ok((
            Columns {
                names,
                delimiter: options.delimiter,
                unit,
                group,
                weight,
                items,
                plan: roles.as_deref().map(plan).unwrap_or_default(),
                before_delimiter,
                #[cfg(not(target_arch = "wasm32"))]
                common,
                roles,
            },
            ignored,
        ))
    }
}

/// Rows read, used and rejected while adding records; merged into a [`RowReport`].
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) rows_read: u64,
    pub(crate) rows_used: u64,
    pub(crate) rejections: Vec<RowRejection>,
    /// Whether a row was rejected for a reason that depends on earlier rows (a group conflict,
    /// a weight-sum overflow): a piece read apart from them cannot vouch for such a reason.
    pub(crate) state_dependent: bool,
}

impl Tally {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn append(&mut self, other: Tally) {
        self.rows_read += other.rows_read;
        self.rows_used += other.rows_used;
        self.rejections.extend(other.rejections);
        self.state_dependent |= other.state_dependent;
    }

    /// Moves the rejections of rows read with line numbers from 0 to lines from `first`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn move_lines(&mut self, first: u64) {
        for r in &mut self.rejections {
            r.line += first;
        }
    }

    pub(crate) fn reject(&mut self, line: u64, column: Option<&str>, code: &str, reason: String) {
        self.state_dependent |= matches!(code, "group_conflict" | "decimal_overflow");
        self.rejections.push(RowRejection {
            line,
            column: column.map(str::to_owned),
            code: code.to_owned(),
            reason,
        });
    }
}

/// Bytes read from the input at a time by one thread (and the most read ahead).
const BLOCK: usize = 4 << 20;

/// Bytes read at a time while other threads add the rows read before.
const CHUNK: usize = 256 << 10;

/// The input in blocks: bytes from `pos` on are unread; a record cut by the block's end moves
/// to the front when more is read.
pub(crate) struct Blocks<R> {
    reader: R,
    pub(crate) buf: Vec<u8>,
    pub(crate) eof: bool,
    /// Bytes read so far (a byte order mark is dropped only at the very start).
    read: u64,
    /// Bytes read at a time while threads add what was read before, and first (the header).
    pub(crate) chunk: usize,
    /// Bytes read at a time by one thread, and the most read ahead of the rows added.
    pub(crate) block: usize,
}

impl<R: Read> Blocks<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self::sized(reader, CHUNK, BLOCK)
    }

    /// Blocks of other sizes (small ones in tests, to cut a short text in many places).
    pub(crate) fn sized(reader: R, chunk: usize, block: usize) -> Self {
        Blocks {
            reader,
            buf: Vec::new(),
            eof: false,
            read: 0,
            chunk: chunk.max(1),
            block: block.max(1),
        }
    }

    /// Drops the bytes before `pos` and reads `want` bytes more (or to the end), growing the
    /// buffer when one record is longer than a block, up to [`MAX_CSV_RECORD_BYTES`].
    pub(crate) fn refill(&mut self, pos: usize, line: u64, want: usize) -> Result<(), SurveyError> {
        self.buf.drain(..pos);
        // What is left is one unfinished record: the buffer never holds more than the limit.
        if self.buf.len() >= MAX_CSV_RECORD_BYTES {
            return Err(SurveyError::Csv {
                path: format!("row {line}"),
                message: format!("a record is longer than {MAX_CSV_RECORD_BYTES} bytes"),
            });
        }
        let want = want
            .max(self.buf.len())
            .min(MAX_CSV_RECORD_BYTES - self.buf.len());
        let start = self.read == 0;
        let mut buf = std::mem::take(&mut self.buf);
        let got = self.read_into(&mut buf, want, line);
        self.buf = buf;
        got?;
        // A UTF-8 byte order mark before the header is not part of it (as the csv crate reads).
        if start && self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.buf.drain(..3);
        }
        Ok(())
    }

    /// Appends up to `want` bytes of the input to `out` (fewer only at its end, which sets
    /// `eof`); the bytes read.
    pub(crate) fn read_into(&mut self, out: &mut Vec<u8>, want: usize, line: u64) -> Result<usize, SurveyError> {
        // One allocation for the bytes (growing by doubling would copy them several times).
        out.reserve(want);
        let got = (&mut self.reader)
            .take(want as u64)
            .read_to_end(out)
            .map_err(|e| SurveyError::Csv {
                path: format!("row {line}"),
                message: e.to_string(),
            })?;
        self.eof = got < want;
        self.read += got as u64;
        Ok(got)
    }
}

impl Aggregator {
    /// Adds every row of a CSV file (with a header) to this state and reports what was used
    /// and rejected. Rows with an answer off the scale, a bad weight, no unit or a group
    /// conflict are rejected whole and listed with their line number; the rest are counted.
    /// The CSV's weight column must be given exactly when this state is weighted.
    ///
    /// The file is read in blocks of 4 MiB, 256 KiB at a time: while one thread reads, the
    /// others add the lines already read, each to a state of its own, and the states are
    /// merged (the result is exactly that of reading row by row; see
    /// [`merge`](Aggregator::merge)). A block with a quote is read row by row.
    pub fn add_csv<R: Read>(
        &mut self,
        reader: R,
        options: &CsvOptions,
    ) -> Result<RowReport, SurveyError> {
        if options.weight_column.is_some() != self.options.weighted {
            return Err(SurveyError::BadOption {
                path: "weight_column".to_owned(),
                message: if self.options.weighted {
                    "a weighted aggregation needs a weight column".to_owned()
                } else {
                    "a weight column was given to an unweighted aggregation".to_owned()
                },
            });
        }
        self.add_csv_in(Blocks::new(reader), options)
    }

    /// [`add_csv`](Aggregator::add_csv) of the input in blocks of `input`'s sizes.
    pub(crate) fn add_csv_in<R: Read>(&mut self, mut input: Blocks<R>, options: &CsvOptions) -> Result<RowReport, SurveyError> {
        let mut split = Splitter::new(options.delimiter);
        // The first read is a chunk: the header, and the first rows to add while more are read.
        input.refill(0, 1, input.chunk)?;
        let (cols, ignored) = loop {
            match split.next(&input.buf, input.eof) {
                Next::Record(header) => {
                    break Columns::from_header(&header, &self.design, &self.compiled, options)?
                }
                Next::End => {
                    return Err(SurveyError::Csv {
                        path: "header".to_owned(),
                        message: "the file has no header row".to_owned(),
                    })
                }
                Next::NeedMore => {
                    input.refill(split.pos, split.line, input.chunk)?;
                    split.pos = 0;
                }
            }
        };
        let threads = options
            .threads
            .unwrap_or_else(crate::parallel::cores);
        let mut tally = Tally::default();
        // The bytes after the header first, then a block each time the splitter needs more.
        let mut need_block = Some(false);
        loop {
            if let Some(read) = need_block.take() {
                self.next_block(&mut input, &mut split, &cols, threads, read, &mut tally)?;
            }
            match split.next(&input.buf, input.eof) {
                Next::Record(record) => self.add_record(&record, &cols, &mut tally),
                Next::End => break,
                Next::NeedMore => need_block = Some(true),
            }
        }
        let rows_rejected = tally.rejections.len() as u64;
        Ok(RowReport {
            rows_read: tally.rows_read,
            rows_used: tally.rows_used,
            rows_rejected,
            rejections: tally.rejections,
            ignored_columns: ignored,
        })
    }

    /// Offers the next block to the fast paths (see `csv_block`): read while threads add its
    /// pieces, when it can be (see `csv_pipeline`); else read whole (unless not `read`: the
    /// bytes after the header) and added. The general splitter then takes what they left.
    fn next_block<R: Read>(
        &mut self,
        input: &mut Blocks<R>,
        split: &mut Splitter,
        cols: &Columns,
        threads: usize,
        read: bool,
        tally: &mut Tally,
    ) -> Result<(), SurveyError> {
        #[cfg(target_arch = "wasm32")]
        let _ = threads;
        #[cfg(not(target_arch = "wasm32"))]
        if threads >= 2 && !input.eof && cols.roles.is_some() && input.buf.len() - split.pos < input.chunk {
            return self.read_while_adding(input, split, cols, threads, tally).map(|_| ());
        }
        if read {
            input.refill(split.pos, split.line, input.block)?;
            split.pos = 0;
        }
        let (taken, lines) = self.add_block(&input.buf[split.pos..], input.eof, split.line, cols, tally);
        split.pos += taken;
        split.line += lines;
        Ok(())
    }

    /// Adds one data record, or rejects it whole with its line and reason.
    pub(crate) fn add_record(&mut self, record: &Record<'_>, cols: &Columns, tally: &mut Tally) {
        let line = record.line;
        tally.rows_read += 1;
        let names = &cols.names;
        if record.len() != names.len() {
            let reason = format!(
                "row has {} fields, the header has {}",
                record.len(),
                names.len()
            );
            tally.reject(line, None, "csv_row", reason);
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        for (k, &col) in cols.items.iter().enumerate() {
            match self.answer_slot(record.field(col)) {
                Some(slot) => buf[k] = slot,
                None => {
                    self.reject_answer(line, cols, col, record.field(col), tally);
                    self.buf = buf;
                    return;
                }
            }
        }
        let group = cols.group.map(|g| record.field(g));
        let weight = cols.weight.map(|w| record.field(w));
        let used = self.commit_fields(line, record.field(cols.unit), group, weight, cols, &buf, tally);
        self.buf = buf;
        if used {
            tally.rows_used += 1;
        }
    }

    /// The slot of one answer cell; `None` when it is off the scale.
    #[inline]
    pub(crate) fn answer_slot(&self, raw: &[u8]) -> Option<u8> {
        // The common cells first: one digit on the scale.
        if let [b] = raw {
            let slot = self.compiled.byte_slots[usize::from(*b)];
            if slot != NO_SLOT {
                return Some(slot);
            }
        }
        let cell = trim(raw);
        if cell.is_empty() {
            return Some(self.compiled.slot(None));
        }
        parse_int(cell)
            .and_then(|v| self.compiled.code(v))
            .map(|c| self.compiled.slot(Some(c)))
    }

    /// Rejects a row for its answer in column `col`.
    pub(crate) fn reject_answer(
        &self,
        line: u64,
        cols: &Columns,
        col: usize,
        raw: &[u8],
        tally: &mut Tally,
    ) {
        let value = String::from_utf8_lossy(trim(raw));
        let reason = format!("answer {value:?} is not on the answer scale");
        tally.reject(line, Some(&cols.names[col]), "answer_out_of_scale", reason);
    }

    /// The unit, group and weight of a record whose answers are resolved; commits it or
    /// rejects it. True when the row was counted.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn commit_fields(
        &mut self,
        line: u64,
        unit: &[u8],
        group: Option<&[u8]>,
        weight: Option<&[u8]>,
        cols: &Columns,
        slots: &[u8],
        tally: &mut Tally,
    ) -> bool {
        let names = &cols.names;
        let Ok(unit) = std::str::from_utf8(trim(unit)) else {
            let reason = "unit id is not valid UTF-8".to_owned();
            tally.reject(line, Some(&names[cols.unit]), "missing_unit", reason);
            return false;
        };
        let group = match (cols.group, group) {
            (Some(g), Some(raw)) => match std::str::from_utf8(trim(raw)) {
                Ok("") => None,
                Ok(s) => Some(s),
                Err(_) => {
                    let reason = "group is not valid UTF-8".to_owned();
                    tally.reject(line, Some(&names[g]), "group_conflict", reason);
                    return false;
                }
            },
            _ => None,
        };
        let weight = match (cols.weight, weight) {
            (None, _) => None,
            (Some(wc), raw) => {
                let cell = trim(raw.unwrap_or_default());
                match parse_weight(cell) {
                    Some(w) if w > Decimal::ZERO => Some(w),
                    _ => {
                        let value = String::from_utf8_lossy(cell);
                        let reason = format!("weight {value:?} must be a positive decimal number");
                        tally.reject(line, Some(&names[wc]), "bad_weight", reason);
                        return false;
                    }
                }
            }
        };
        match self.commit(unit, group, weight, slots, "") {
            Ok(()) => true,
            Err(e) => {
                let column = match &e {
                    SurveyError::MissingUnit { .. } => Some(names[cols.unit].as_str()),
                    SurveyError::GroupConflict { .. } => cols.group.map(|g| names[g].as_str()),
                    SurveyError::BadWeight { .. } | SurveyError::Overflow { .. } => {
                        cols.weight.map(|w| names[w].as_str())
                    }
                    _ => None,
                };
                tally.reject(line, column, e.code(), e.to_string());
                false
            }
        }
    }
}
