//! Streaming CSV input: any size, from any reader, every rejected row reported.

use super::aggregate::{AggregateOptions, Aggregator};
use super::design::{Code, SurveyDesign};
use super::error::SurveyError;
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
    let s = std::str::from_utf8(b).ok()?;
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

impl Aggregator {
    /// Adds every row of a CSV file (with a header) to this state and reports what was used
    /// and rejected. Rows with an answer off the scale, a bad weight, no unit or a group
    /// conflict are rejected whole and listed with their line number; the rest are counted.
    /// The CSV's weight column must be given exactly when this state is weighted.
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
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(options.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        let header = rdr
            .byte_headers()
            .map_err(|e| SurveyError::Csv {
                path: "header".to_owned(),
                message: e.to_string(),
            })?
            .clone();
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(trim(h)).into_owned())
            .collect();
        let find = |name: &str| {
            names
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| SurveyError::MissingColumn {
                    column: name.to_owned(),
                })
        };
        let unit_col = find(&options.unit_column)?;
        let group_col = options.group_column.as_deref().map(find).transpose()?;
        let weight_col = options.weight_column.as_deref().map(find).transpose()?;
        let item_cols = self
            .design
            .items
            .iter()
            .map(|it| find(&it.code))
            .collect::<Result<Vec<usize>, SurveyError>>()?;
        let mut report = RowReport::default();
        for (j, n) in names.iter().enumerate() {
            if j != unit_col
                && Some(j) != group_col
                && Some(j) != weight_col
                && !item_cols.contains(&j)
            {
                report.ignored_columns.push(n.clone());
            }
        }
        let width = names.len();
        let mut record = csv::ByteRecord::new();
        let mut buf: Vec<Option<Code>> = vec![None; item_cols.len()];
        loop {
            let more = rdr
                .read_byte_record(&mut record)
                .map_err(|e| SurveyError::Csv {
                    path: e
                        .position()
                        .map(|p| format!("row {}", p.line()))
                        .unwrap_or_default(),
                    message: e.to_string(),
                })?;
            if !more {
                break;
            }
            let line = record.position().map_or(0, |p| p.line());
            report.rows_read += 1;
            let mut reject = |column: Option<&str>, err: &SurveyError, reason: String| {
                report.rows_rejected += 1;
                report.rejections.push(RowRejection {
                    line,
                    column: column.map(str::to_owned),
                    code: err.code().to_owned(),
                    reason,
                });
            };
            if record.len() != width {
                let e = SurveyError::CsvRow {
                    line,
                    column: None,
                    reason: String::new(),
                };
                reject(
                    None,
                    &e,
                    format!("row has {} fields, the header has {width}", record.len()),
                );
                continue;
            }
            let mut bad: Option<(usize, SurveyError)> = None;
            for (k, &col) in item_cols.iter().enumerate() {
                let cell = trim(&record[col]);
                buf[k] = if cell.is_empty() {
                    None
                } else {
                    match parse_int(cell).and_then(|v| self.compiled.code(v)) {
                        Some(c) => Some(c),
                        None => {
                            let value = String::from_utf8_lossy(cell).into_owned();
                            bad = Some((
                                col,
                                SurveyError::AnswerOutOfScale {
                                    path: String::new(),
                                    value,
                                },
                            ));
                            break;
                        }
                    }
                };
            }
            if let Some((col, e)) = bad {
                let reason = match &e {
                    SurveyError::AnswerOutOfScale { value, .. } => {
                        format!("answer {value:?} is not on the answer scale")
                    }
                    other => other.to_string(),
                };
                reject(Some(&names[col]), &e, reason);
                continue;
            }
            let Ok(unit) = std::str::from_utf8(trim(&record[unit_col])) else {
                let e = SurveyError::MissingUnit {
                    path: String::new(),
                };
                reject(
                    Some(&names[unit_col]),
                    &e,
                    "unit id is not valid UTF-8".to_owned(),
                );
                continue;
            };
            let group = match group_col {
                None => None,
                Some(g) => match std::str::from_utf8(trim(&record[g])) {
                    Ok("") => None,
                    Ok(s) => Some(s),
                    Err(_) => {
                        let e = SurveyError::GroupConflict {
                            path: String::new(),
                            unit: unit.to_owned(),
                            first: String::new(),
                            second: String::new(),
                        };
                        reject(Some(&names[g]), &e, "group is not valid UTF-8".to_owned());
                        continue;
                    }
                },
            };
            let weight = match weight_col {
                None => None,
                Some(wc) => {
                    let cell = trim(&record[wc]);
                    match parse_weight(cell) {
                        Some(w) if w > Decimal::ZERO => Some(w),
                        _ => {
                            let value = String::from_utf8_lossy(cell).into_owned();
                            let e = SurveyError::BadWeight {
                                path: String::new(),
                                value: value.clone(),
                            };
                            reject(
                                Some(&names[wc]),
                                &e,
                                format!("weight {value:?} must be a positive decimal number"),
                            );
                            continue;
                        }
                    }
                }
            };
            match self.commit(unit, group, weight, &buf, "") {
                Ok(()) => report.rows_used += 1,
                Err(e) => {
                    let column = match &e {
                        SurveyError::MissingUnit { .. } => Some(names[unit_col].as_str()),
                        SurveyError::GroupConflict { .. } => group_col.map(|g| names[g].as_str()),
                        SurveyError::BadWeight { .. } | SurveyError::Overflow { .. } => {
                            weight_col.map(|w| names[w].as_str())
                        }
                        _ => None,
                    };
                    let reason = e.to_string();
                    reject(column, &e, reason);
                }
            }
        }
        Ok(report)
    }
}
