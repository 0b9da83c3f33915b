#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod adjustment;
pub mod analysis;
pub mod assessment;
pub mod audit;
pub mod bridge;
pub mod criterion;
pub mod csv_input;
pub mod error;
pub mod label;
pub mod limits;
pub mod methodology;
mod number;
mod parallel;
pub mod policy;
pub mod presets;
pub mod ranking;
pub mod rounding;
pub mod rule;
pub mod scorecard;
mod scoring;
pub mod survey;
pub mod tier;
mod tree;
pub mod value;

pub use adjustment::{Adjustment, AdjustmentKind};
pub use assessment::{Assessment, Assessments};
pub use audit::{Audit, AuditLine};
pub use criterion::{Aggregation, Criterion, Source};
pub use csv_input::{CsvLayout, CsvOptions};
pub use error::{ArithmeticError, Error, InputError, MethodologyError, Result};
pub use label::Label;
pub use methodology::{Methodology, FORMAT_VERSION};
pub use policy::{MissingPolicy, NotApplicablePolicy};
pub use ranking::{RankBasis, RankingPolicy, TiePolicy};
pub use rounding::{Rounding, RoundingMode};
pub use rule::{Rule, Step};
pub use rust_decimal::Decimal;
pub use scorecard::{AdjustmentScore, NodeScore, NodeStatus, Scorecard, UnitScore};
pub use scoring::Scorer;
pub use tier::{Band, Requirement, TierScheme, Tiers};
pub use value::Value;
