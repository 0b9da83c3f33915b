//! Errors of survey aggregation: each names a stable code and the place it happened.

use thiserror::Error;

/// Everything that can go wrong in survey designs, responses, aggregation and intervals.
///
/// Every variant has a stable snake_case [`code`](SurveyError::code) and a
/// [`path`](SurveyError::path) naming where it happened (`items[3].element`,
/// `row 17, column q5`, `responses[2].answers.q9`).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SurveyError {
    /// The JSON text could not be read as the expected structure.
    #[error("{path}: invalid JSON: {message}")]
    Json {
        /// Where (empty for the whole document).
        path: String,
        /// The parser's message.
        message: String,
    },
    /// The design's `format` is not one this version reads.
    #[error("format: unsupported design format {found} (this version reads format 1)")]
    UnsupportedFormat {
        /// The format number found.
        found: u64,
    },
    /// Two elements, items or levels share a code, or a code is listed twice.
    #[error("{path}: duplicate code {code:?}")]
    DuplicateCode {
        /// Where the second occurrence is.
        path: String,
        /// The repeated code.
        code: String,
    },
    /// A reference names an element that the design does not define.
    #[error("{path}: unknown element {code:?}")]
    UnknownElement {
        /// Where the reference is.
        path: String,
        /// The code referred to.
        code: String,
    },
    /// A reference or an answer names an item that the design does not define.
    #[error("{path}: unknown item {code:?}")]
    UnknownItem {
        /// Where the reference is.
        path: String,
        /// The code referred to.
        code: String,
    },
    /// A level code is referred to that is not on the answer scale.
    #[error("{path}: level {level} is not on the answer scale")]
    UnknownLevel {
        /// Where the reference is.
        path: String,
        /// The level code.
        level: i64,
    },
    /// A design part that must not be empty is empty, or a code is the empty string.
    #[error("{path}: must not be empty")]
    Empty {
        /// What is empty.
        path: String,
    },
    /// A design is structurally wrong in another way (message says how).
    #[error("{path}: {message}")]
    InvalidDesign {
        /// Where.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An answer is neither a scale level nor a missing or not-applicable code.
    #[error("{path}: answer {value:?} is not on the answer scale")]
    AnswerOutOfScale {
        /// Where the answer is.
        path: String,
        /// The answer as written.
        value: String,
    },
    /// A design weight is not a positive decimal number.
    #[error("{path}: weight {value:?} must be a positive decimal number")]
    BadWeight {
        /// Where the weight is.
        path: String,
        /// The weight as written.
        value: String,
    },
    /// A response has no unit id.
    #[error("{path}: unit id is missing or empty")]
    MissingUnit {
        /// Where.
        path: String,
    },
    /// A unit's responses name two different groups.
    #[error("{path}: unit {unit:?} is in group {first:?} and also in {second:?}")]
    GroupConflict {
        /// Where the second group appears.
        path: String,
        /// The unit.
        unit: String,
        /// The group seen first.
        first: String,
        /// The other group.
        second: String,
    },
    /// A CSV header lacks a column the options or the design need.
    #[error("header: column {column:?} not found")]
    MissingColumn {
        /// The column name.
        column: String,
    },
    /// A CSV file could not be read (I/O or malformed CSV).
    #[error("{path}: CSV error: {message}")]
    Csv {
        /// Where (line number when known).
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A CSV row was rejected (only raised when rows must not be skipped).
    #[error("row {line}: {reason}")]
    CsvRow {
        /// 1-based line number in the file.
        line: u64,
        /// The column concerned, if one.
        column: Option<String>,
        /// Why the row was rejected.
        reason: String,
    },
    /// A sum of weights exceeded the range of exact decimals.
    #[error("{path}: decimal overflow")]
    Overflow {
        /// Where.
        path: String,
    },
    /// Two aggregation states with different designs or options cannot be merged.
    #[error("merge: {message}")]
    DesignMismatch {
        /// What differs.
        message: String,
    },
    /// An option is out of range (a confidence level outside (0, 1), say).
    #[error("{path}: {message}")]
    BadOption {
        /// Which option.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A figure reference (`overall`, `element:CODE`, `item:CODE`) could not be read.
    #[error("figure: cannot read {text:?} (expected overall, element:CODE or item:CODE)")]
    InvalidFigure {
        /// The text given.
        text: String,
    },
    /// A conformance case's input lacks a field or has one of the wrong type.
    #[error("{path}: {message}")]
    InvalidInput {
        /// Which field.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl SurveyError {
    /// The stable snake_case code of this error, the same in every binding.
    pub fn code(&self) -> &'static str {
        match self {
            SurveyError::Json { .. } => "survey_json",
            SurveyError::UnsupportedFormat { .. } => "unsupported_format",
            SurveyError::DuplicateCode { .. } => "duplicate_code",
            SurveyError::UnknownElement { .. } => "unknown_element",
            SurveyError::UnknownItem { .. } => "unknown_item",
            SurveyError::UnknownLevel { .. } => "unknown_level",
            SurveyError::Empty { .. } => "empty",
            SurveyError::InvalidDesign { .. } => "invalid_design",
            SurveyError::AnswerOutOfScale { .. } => "answer_out_of_scale",
            SurveyError::BadWeight { .. } => "bad_weight",
            SurveyError::MissingUnit { .. } => "missing_unit",
            SurveyError::GroupConflict { .. } => "group_conflict",
            SurveyError::MissingColumn { .. } => "missing_column",
            SurveyError::Csv { .. } => "csv",
            SurveyError::CsvRow { .. } => "csv_row",
            SurveyError::Overflow { .. } => "decimal_overflow",
            SurveyError::DesignMismatch { .. } => "design_mismatch",
            SurveyError::BadOption { .. } => "bad_option",
            SurveyError::InvalidFigure { .. } => "invalid_figure",
            SurveyError::InvalidInput { .. } => "invalid_input",
        }
    }

    /// Where the error happened: a JSON path such as `items[3].element`, or
    /// `row 17, column q5` for CSV input. Empty when the whole input is concerned.
    pub fn path(&self) -> String {
        match self {
            SurveyError::Json { path, .. }
            | SurveyError::DuplicateCode { path, .. }
            | SurveyError::UnknownElement { path, .. }
            | SurveyError::UnknownItem { path, .. }
            | SurveyError::UnknownLevel { path, .. }
            | SurveyError::Empty { path }
            | SurveyError::InvalidDesign { path, .. }
            | SurveyError::AnswerOutOfScale { path, .. }
            | SurveyError::BadWeight { path, .. }
            | SurveyError::MissingUnit { path }
            | SurveyError::GroupConflict { path, .. }
            | SurveyError::Csv { path, .. }
            | SurveyError::Overflow { path }
            | SurveyError::BadOption { path, .. }
            | SurveyError::InvalidInput { path, .. } => path.clone(),
            SurveyError::UnsupportedFormat { .. } => "format".to_owned(),
            SurveyError::MissingColumn { column } => format!("header, column {column}"),
            SurveyError::CsvRow { line, column, .. } => match column {
                Some(c) => format!("row {line}, column {c}"),
                None => format!("row {line}"),
            },
            SurveyError::DesignMismatch { .. } => "merge".to_owned(),
            SurveyError::InvalidFigure { .. } => "figure".to_owned(),
        }
    }
}
