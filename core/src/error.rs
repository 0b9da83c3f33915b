//! Errors, one enum per concern, each naming where the problem is.
//!
//! Every error has a stable [`Error::code`] (the same string in Rust, Python and JavaScript,
//! catalogued in `docs/errors.md`) and a [`Error::path`]: the node, row or field at fault, such as
//! `criteria[2].children[0].max_points` or `row 17, column value`.

use thiserror::Error as ThisError;

/// A methodology that cannot be used: malformed JSON, an inconsistent tree or tier scheme.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum MethodologyError {
    /// The text is not valid JSON for a methodology (wrong type, unknown field, syntax).
    #[error("{path}: {message}")]
    Json {
        /// Line and column in the JSON text.
        path: String,
        /// What the parser expected.
        message: String,
    },
    /// The `format` field names a version this library does not read.
    #[error("format: version {found} is not supported (this library reads version {supported})")]
    UnsupportedFormat {
        /// The version found.
        found: u32,
        /// The version this library reads.
        supported: u32,
    },
    /// Two nodes (or a node and an adjustment) share a code.
    #[error("{path}: code {code:?} is already used at {first}")]
    DuplicateCode {
        /// The second node with the code.
        path: String,
        /// The repeated code.
        code: String,
        /// The first node with the code.
        first: String,
    },
    /// A code is empty or too long.
    #[error("{path}: {message}")]
    InvalidCode {
        /// The node.
        path: String,
        /// What is wrong with the code.
        message: String,
    },
    /// A maximum (or bound) is negative.
    #[error("{path}: must not be negative (found {value})")]
    NegativeMaximum {
        /// The field.
        path: String,
        /// The value found.
        value: String,
    },
    /// The maxima of a `sum` node's children do not add up to the node's maximum.
    #[error("{path}: children's maxima add up to {sum}, not to the node's maximum {max}")]
    ChildrenMaximaMismatch {
        /// The parent node.
        path: String,
        /// The sum of the children's maxima.
        sum: String,
        /// The parent's maximum.
        max: String,
    },
    /// A scoring rule, weight or aggregation is not usable (e.g. a step above the maximum).
    #[error("{path}: {message}")]
    InvalidRule {
        /// The rule or field.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Tier bands overlap, leave a gap, or reference something unknown.
    #[error("{path}: {message}")]
    InvalidTiers {
        /// The band or scheme.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A code referenced by a tie-breaker, tier condition or mapping names no node.
    #[error("{path}: unknown node code {code:?}")]
    UnknownCode {
        /// Where the code was referenced.
        path: String,
        /// The code.
        code: String,
    },
    /// A documented limit (depth, node count, text length) is exceeded.
    #[error("{path}: {message}")]
    LimitExceeded {
        /// Where the limit was hit.
        path: String,
        /// Which limit, and its value.
        message: String,
    },
}

/// Assessment input that cannot be scored: unknown codes, bad values, bad CSV rows.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum InputError {
    /// The input is not valid JSON of the expected shape.
    #[error("{path}: {message}")]
    Json {
        /// Line and column, or field.
        path: String,
        /// What the parser expected.
        message: String,
    },
    /// A CSV file could not be read (bad header, ragged row, invalid UTF-8).
    #[error("{path}: {message}")]
    Csv {
        /// Row (1-based line number) and column.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A value names a code that is not a leaf or adjustment of the methodology.
    #[error("{path}: {code:?} is not a leaf or adjustment code of the methodology")]
    UnknownCode {
        /// Where the value was given.
        path: String,
        /// The code.
        code: String,
    },
    /// The same unit and code are given twice.
    #[error("{path}: a value for unit {unit:?}, code {code:?} was already given")]
    DuplicateValue {
        /// Where the second value was given.
        path: String,
        /// The unit.
        unit: String,
        /// The code.
        code: String,
    },
    /// A unit appears with two different groups.
    #[error("{path}: unit {unit:?} is in group {first:?} and also {second:?}")]
    ConflictingGroup {
        /// Where the second group was given.
        path: String,
        /// The unit.
        unit: String,
        /// The first group.
        first: String,
        /// The second group.
        second: String,
    },
    /// A value is not a number, yes/no, percentage or `NA`.
    #[error("{path}: {text:?} is not a number, yes/no, percentage or NA")]
    MalformedValue {
        /// Where the value was given.
        path: String,
        /// The text found.
        text: String,
    },
    /// A number is NaN or infinite.
    #[error("{path}: value is not finite")]
    NotFinite {
        /// Where the value was given.
        path: String,
    },
    /// A value does not fit the leaf's rule (e.g. yes/no for a points leaf).
    #[error("{path}: {message}")]
    WrongValueKind {
        /// Where the value was given.
        path: String,
        /// What the rule expects.
        message: String,
    },
    /// Points above the leaf's maximum, or an adjustment above its bound (and no clamp).
    #[error("{path}: {value} is above the maximum {max}")]
    AboveMaximum {
        /// Where the value was given.
        path: String,
        /// The value.
        value: String,
        /// The maximum.
        max: String,
    },
    /// Negative points.
    #[error("{path}: {value} is negative")]
    Negative {
        /// Where the value was given.
        path: String,
        /// The value.
        value: String,
    },
    /// A leaf has no value and the missing policy is `error`.
    #[error("{path}: no value for leaf {code:?} (the methodology's missing policy is \"error\")")]
    MissingValue {
        /// The unit.
        path: String,
        /// The leaf code.
        code: String,
    },
    /// A unit has no applicable criterion, so it has no index.
    #[error("{path}: every criterion is not applicable; there is nothing to score")]
    NothingApplicable {
        /// The unit.
        path: String,
    },
    /// No unit of that id.
    #[error("{path}: no unit {unit:?} in the scorecard")]
    UnknownUnit {
        /// Where the unit was asked for.
        path: String,
        /// The unit id.
        unit: String,
    },
    /// A documented limit (units, file size, text length) is exceeded.
    #[error("{path}: {message}")]
    LimitExceeded {
        /// Where the limit was hit.
        path: String,
        /// Which limit, and its value.
        message: String,
    },
    /// No preset of that name ships with the library.
    #[error("{path}: no preset named {name:?} (known: {known})")]
    UnknownPreset {
        /// The kind of preset asked for.
        path: String,
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: String,
    },
}

/// Exact arithmetic that would leave the range of `Decimal` (about 7.9e28).
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[error("{path}: decimal overflow in {operation}")]
pub struct ArithmeticError {
    /// The node or figure being computed.
    pub path: String,
    /// The operation that overflowed.
    pub operation: &'static str,
}

/// Any error of this library.
#[derive(Debug, Clone, PartialEq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// The methodology is not usable.
    #[error(transparent)]
    Methodology(#[from] MethodologyError),
    /// The assessment input is not usable.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Exact arithmetic overflowed.
    #[error(transparent)]
    Arithmetic(#[from] ArithmeticError),
    /// Survey design or responses are not usable.
    #[error(transparent)]
    Survey(#[from] crate::survey::SurveyError),
}

impl MethodologyError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json { .. } => "methodology_json",
            Self::UnsupportedFormat { .. } => "unsupported_format",
            Self::DuplicateCode { .. } => "duplicate_code",
            Self::InvalidCode { .. } => "invalid_code",
            Self::NegativeMaximum { .. } => "negative_maximum",
            Self::ChildrenMaximaMismatch { .. } => "children_maxima_mismatch",
            Self::InvalidRule { .. } => "invalid_rule",
            Self::InvalidTiers { .. } => "invalid_tiers",
            Self::UnknownCode { .. } => "unknown_reference",
            Self::LimitExceeded { .. } => "limit_exceeded",
        }
    }

    /// Where the problem is.
    pub fn path(&self) -> String {
        match self {
            Self::UnsupportedFormat { .. } => "format".to_owned(),
            Self::Json { path, .. }
            | Self::DuplicateCode { path, .. }
            | Self::InvalidCode { path, .. }
            | Self::NegativeMaximum { path, .. }
            | Self::ChildrenMaximaMismatch { path, .. }
            | Self::InvalidRule { path, .. }
            | Self::InvalidTiers { path, .. }
            | Self::UnknownCode { path, .. }
            | Self::LimitExceeded { path, .. } => path.clone(),
        }
    }
}

impl InputError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json { .. } => "input_json",
            Self::Csv { .. } => "csv",
            Self::UnknownCode { .. } => "unknown_code",
            Self::DuplicateValue { .. } => "duplicate_value",
            Self::ConflictingGroup { .. } => "conflicting_group",
            Self::MalformedValue { .. } => "malformed_value",
            Self::NotFinite { .. } => "not_finite",
            Self::WrongValueKind { .. } => "wrong_value_kind",
            Self::AboveMaximum { .. } => "above_maximum",
            Self::Negative { .. } => "negative_value",
            Self::MissingValue { .. } => "missing_value",
            Self::NothingApplicable { .. } => "nothing_applicable",
            Self::UnknownUnit { .. } => "unknown_unit",
            Self::LimitExceeded { .. } => "limit_exceeded",
            Self::UnknownPreset { .. } => "unknown_preset",
        }
    }

    /// Where the problem is.
    pub fn path(&self) -> String {
        match self {
            Self::UnknownPreset { path, .. }
            | Self::Json { path, .. }
            | Self::Csv { path, .. }
            | Self::UnknownCode { path, .. }
            | Self::DuplicateValue { path, .. }
            | Self::ConflictingGroup { path, .. }
            | Self::MalformedValue { path, .. }
            | Self::NotFinite { path }
            | Self::WrongValueKind { path, .. }
            | Self::AboveMaximum { path, .. }
            | Self::Negative { path, .. }
            | Self::MissingValue { path, .. }
            | Self::NothingApplicable { path }
            | Self::UnknownUnit { path, .. }
            | Self::LimitExceeded { path, .. } => path.clone(),
        }
    }
}

impl Error {
    /// The stable error code, the same in every binding (see `docs/errors.md`).
    ///
    /// ```
    /// let err = par_index::Methodology::from_json("{").unwrap_err();
    /// assert_eq!(err.code(), "methodology_json");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Methodology(e) => e.code(),
            Error::Input(e) => e.code(),
            Error::Arithmetic(_) => "decimal_overflow",
            Error::Survey(e) => e.code(),
        }
    }

    /// Where the problem is: a node path, a field, or a row and column.
    pub fn path(&self) -> String {
        match self {
            Error::Methodology(e) => e.path(),
            Error::Input(e) => e.path(),
            Error::Arithmetic(e) => e.path.clone(),
            Error::Survey(e) => e.path(),
        }
    }

    /// The concern the error belongs to: `"methodology"`, `"input"`, `"arithmetic"` or
    /// `"survey"` (the bindings map each to an exception or error class).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Methodology(_) => "methodology",
            Error::Input(_) => "input",
            Error::Arithmetic(_) => "arithmetic",
            Error::Survey(_) => "survey",
        }
    }
}

/// Shorthand for results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a serde_json error into a `line L, column C` path and a message.
pub(crate) fn json_location(e: &serde_json::Error) -> (String, String) {
    let message = e.to_string();
    // serde_json appends " at line L column C"; keep the message without it.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    (format!("line {}, column {}", e.line(), e.column()), message)
}
