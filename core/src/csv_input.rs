//! Assessments from CSV, in long form (`unit,code,value[,group]`) or wide form (one row per unit,
//! one column per leaf code). Errors name the row (1-based line number) and column.

use crate::assessment::{Assessments, AssessmentsBuilder};
use crate::error::{InputError, Result};
use crate::label::Label;
use serde::{Deserialize, Serialize};
use std::io::Read;

/// The shape of an assessment CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvLayout {
    /// Long when the header has `code` and `value` columns, wide otherwise (default).
    #[default]
    Auto,
    /// One row per unit and code: `unit,code,value`, optional `group`.
    Long,
    /// One row per unit: `unit`, optional `group`, `label_vi`, `label_en`, then one column per code.
    Wide,
}

/// How to read an assessment CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvOptions {
    /// Long, wide, or decided from the header.
    pub layout: CsvLayout,
    /// The column holding unit ids (default `unit`).
    pub unit_column: String,
    /// The column holding groups, used when present (default `group`).
    pub group_column: String,
    /// Columns that are read and deliberately not used (every other column must be known).
    pub ignore_columns: Vec<String>,
    /// The field delimiter (default `,`).
    pub delimiter: char,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            layout: CsvLayout::Auto,
            unit_column: "unit".into(),
            group_column: "group".into(),
            ignore_columns: Vec::new(),
            delimiter: ',',
        }
    }
}

fn csv_error(path: String, message: impl Into<String>) -> InputError {
    InputError::Csv { path, message: message.into() }
}

/// Reads the next record; `Some("row N")` (its 1-based line) or `None` at the end.
fn next_row<R: Read>(rdr: &mut csv::Reader<R>, record: &mut csv::StringRecord) -> Result<Option<String>, InputError> {
    let line = rdr.position().line();
    match rdr.read_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(format!("row {line}"))),
        Err(e) => Err(csv_error(format!("row {line}"), e.to_string())),
    }
}

impl Assessments {
    /// Reads assessments from CSV text or any reader.
    ///
    /// ```
    /// use par_index::{Assessments, CsvOptions};
    /// let long = "unit,code,value\nmoj,appraisal,61.86\nmoj,survey,28.10\n";
    /// let a = Assessments::from_csv(long.as_bytes(), &CsvOptions::default()).unwrap();
    /// assert_eq!(a.units[0].values.len(), 2);
    /// let wide = "unit,appraisal,survey\nmoj,61.86,28.10\n";
    /// assert_eq!(Assessments::from_csv(wide.as_bytes(), &CsvOptions::default()).unwrap(), a);
    /// ```
    pub fn from_csv<R: Read>(reader: R, options: &CsvOptions) -> Result<Assessments> {
        let delimiter = u8::try_from(options.delimiter)
            .map_err(|_| csv_error("options.delimiter".into(), "the delimiter must be a single ASCII character"))?;
        let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(reader);
        let headers = rdr.headers().map_err(|e| csv_error("row 1".into(), e.to_string()))?.clone();
        let names: Vec<String> = headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
        let find = |name: &str| names.iter().position(|h| h == name);
        for (i, n) in names.iter().enumerate() {
            if n.is_empty() {
                return Err(csv_error(format!("row 1, column {}", i + 1), "empty column name").into());
            }
            if names[..i].contains(n) {
                return Err(csv_error(format!("row 1, column {n}"), "column name repeated").into());
            }
        }
        let unit_col = find(&options.unit_column)
            .ok_or_else(|| csv_error("row 1".into(), format!("no {:?} column (set unit_column to the column holding unit ids)", options.unit_column)))?;
        let group_col = find(&options.group_column);
        let long = match options.layout {
            CsvLayout::Long => true,
            CsvLayout::Wide => false,
            CsvLayout::Auto => find("code").is_some() && find("value").is_some(),
        };
        let ignored = |name: &str| options.ignore_columns.iter().any(|c| c == name);
        let mut b = AssessmentsBuilder::default();
        let mut record = csv::StringRecord::new();
        if long {
            let code_col = find("code").ok_or_else(|| csv_error("row 1".into(), "long layout needs a \"code\" column"))?;
            let value_col = find("value").ok_or_else(|| csv_error("row 1".into(), "long layout needs a \"value\" column"))?;
            if let Some((_, extra)) = names.iter().enumerate().find(|(i, n)| {
                ![Some(unit_col), group_col, Some(code_col), Some(value_col)].contains(&Some(*i)) && !ignored(n)
            }) {
                return Err(csv_error(format!("row 1, column {extra}"), "unknown column in long layout (list it in ignore_columns to skip it)").into());
            }
            while let Some(row) = next_row(&mut rdr, &mut record)? {
                let unit = record.get(unit_col).unwrap_or("").trim();
                let group = group_col.and_then(|g| record.get(g)).map(str::trim);
                b.unit(unit, group, &format!("{row}, column {}", options.unit_column))?;
                let code = record.get(code_col).unwrap_or("").trim();
                if code.is_empty() {
                    return Err(csv_error(format!("{row}, column code"), "empty code").into());
                }
                b.text_value(unit, code, record.get(value_col).unwrap_or(""), &format!("{row}, column value"))?;
            }
        } else {
            let label_vi = find("label_vi");
            let label_en = find("label_en");
            let value_cols: Vec<usize> = (0..names.len())
                .filter(|i| ![Some(unit_col), group_col, label_vi, label_en].contains(&Some(*i)) && !ignored(&names[*i]))
                .collect();
            while let Some(row) = next_row(&mut rdr, &mut record)? {
                let unit = record.get(unit_col).unwrap_or("").trim();
                let group = group_col.and_then(|g| record.get(g)).map(str::trim);
                b.unit(unit, group, &format!("{row}, column {}", options.unit_column))?;
                if label_vi.is_some() || label_en.is_some() {
                    let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim().to_owned();
                    b.label(unit, Label { vi: get(label_vi), en: get(label_en) });
                }
                for &c in &value_cols {
                    let text = record.get(c).unwrap_or("");
                    b.text_value(unit, &names[c], text, &format!("{row}, column {}", names[c]))?;
                }
            }
        }
        Ok(b.finish())
    }
}
