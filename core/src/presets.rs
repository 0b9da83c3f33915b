//! Data that ships with the library: methodologies, tier schemes and example assessments.
//! Every figure in them comes from a named source or is marked as a setting or an example.

use crate::assessment::{Assessments, AssessmentsBuilder};
use crate::error::{InputError, Result};
use crate::label::Label;
use crate::methodology::Methodology;
use crate::tier::TierScheme;

const METHODOLOGIES: &[(&str, &str)] = &[
    ("par2023-ministries", include_str!("../data/methodologies/par2023-ministries.json")),
    ("example-province", include_str!("../data/methodologies/example-province.json")),
];

const TIER_SCHEMES: &[(&str, &str)] = &[
    ("national-groups-876", include_str!("../data/tiers/national-groups-876.json")),
    ("dong-thap-2023", include_str!("../data/tiers/dong-thap-2023.json")),
];

const SURVEY_DESIGNS: &[(&str, &str)] = &[
    ("sipas-national-2022", include_str!("../data/survey-designs/sipas-national-2022.json")),
    ("sipas-2640-five-elements", include_str!("../data/survey-designs/sipas-2640-five-elements.json")),
];

/// The names of the shipped survey designs.
pub fn survey_design_names() -> Vec<&'static str> {
    SURVEY_DESIGNS.iter().map(|(n, _)| *n).collect()
}

/// A shipped survey design by name (validated): `sipas-national-2022` (the 33-item layout of the
/// 2022+ national questionnaire) or `sipas-2640-five-elements` (the five elements of
/// QĐ 2640/QĐ-BNV). Each file's `notes` say what is sourced and what is not.
///
/// ```
/// let d = par_index::presets::survey_design("sipas-national-2022").unwrap();
/// assert_eq!(d.items.len(), 33);
/// ```
pub fn survey_design(name: &str) -> Result<crate::survey::SurveyDesign> {
    let text = SURVEY_DESIGNS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| unknown("survey_design", name, SURVEY_DESIGNS))?;
    Ok(crate::survey::SurveyDesign::from_json(text)?)
}

/// The published 2023 ministry table (see `data/assessments/SOURCE.md`).
pub const PAR2023_MINISTRIES_CSV: &str = include_str!("../data/assessments/par2023-ministries.csv");

const EXAMPLE_PROVINCE_ASSESSMENTS: &str = include_str!("../data/assessments/example-province.json");

fn unknown(kind: &str, name: &str, known: &[(&str, &str)]) -> crate::error::Error {
    let names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
    InputError::UnknownPreset { path: kind.to_owned(), name: name.to_owned(), known: names.join(", ") }.into()
}

/// The names of the shipped methodologies.
pub fn names() -> Vec<&'static str> {
    METHODOLOGIES.iter().map(|(n, _)| *n).collect()
}

/// A shipped methodology by name.
///
/// ```
/// let m = par_index::presets::methodology("par2023-ministries").unwrap();
/// assert_eq!(m.source, "QĐ 876/QĐ-BNV (10/11/2022)");
/// ```
pub fn methodology(name: &str) -> Result<Methodology> {
    let text = METHODOLOGIES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| unknown("methodology", name, METHODOLOGIES))?;
    Methodology::from_json(text)
}

/// The names of the shipped tier schemes.
pub fn tier_scheme_names() -> Vec<&'static str> {
    TIER_SCHEMES.iter().map(|(n, _)| *n).collect()
}

/// A shipped tier scheme by name (validated).
pub fn tier_scheme(name: &str) -> Result<TierScheme> {
    let text = TIER_SCHEMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| unknown("tier_scheme", name, TIER_SCHEMES))?;
    let scheme: TierScheme = serde_json::from_str(text).map_err(|e| {
        let (path, message) = crate::error::json_location(&e);
        crate::error::MethodologyError::Json { path, message }
    })?;
    scheme.validate("tier_scheme")?;
    Ok(scheme)
}

/// Example assessments shipped with a methodology of the same name: `par2023-ministries` (the
/// published 2023 table's appraisal and survey points; unit ids are the English names, group
/// `ministry`) and `example-province` (imagined units).
pub fn assessments(name: &str) -> Result<Assessments> {
    match name {
        "par2023-ministries" => ministries_2023(),
        "example-province" => Assessments::from_json(EXAMPLE_PROVINCE_ASSESSMENTS),
        _ => Err(unknown("assessments", name, METHODOLOGIES)),
    }
}

/// One row of the published 2023 ministry table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRow {
    /// Published rank.
    pub rank: u32,
    /// Vietnamese name.
    pub unit_vi: String,
    /// English name (the unit id in [`assessments`]).
    pub unit_en: String,
    /// Published appraisal points, as printed (two decimals).
    pub appraisal: rust_decimal::Decimal,
    /// Published survey points, as printed.
    pub survey: rust_decimal::Decimal,
    /// Published total points, as printed.
    pub total: rust_decimal::Decimal,
    /// Published index, as printed.
    pub index: rust_decimal::Decimal,
}

/// The published 2023 ministry table, row by row, exactly as printed.
pub fn par2023_ministries_table() -> Result<Vec<PublishedRow>> {
    let mut rdr = csv::Reader::from_reader(PAR2023_MINISTRIES_CSV.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let at = format!("par2023-ministries.csv, row {}", i + 2);
        let rec = rec.map_err(|e| InputError::Csv { path: at.clone(), message: e.to_string() })?;
        let field = |k: usize| rec.get(k).unwrap_or("").to_owned();
        let dec = |k: usize| -> Result<rust_decimal::Decimal> {
            crate::number::parse_decimal(&field(k)).ok_or_else(|| InputError::MalformedValue { path: at.clone(), text: field(k) }.into())
        };
        rows.push(PublishedRow {
            rank: field(0).parse().map_err(|_| InputError::MalformedValue { path: at.clone(), text: field(0) })?,
            unit_vi: field(1),
            unit_en: field(2),
            appraisal: dec(3)?,
            survey: dec(4)?,
            total: dec(5)?,
            index: dec(6)?,
        });
    }
    Ok(rows)
}

fn ministries_2023() -> Result<Assessments> {
    let mut b = AssessmentsBuilder::default();
    for (i, row) in par2023_ministries_table()?.into_iter().enumerate() {
        let at = format!("par2023-ministries.csv, row {}", i + 2);
        b.unit(&row.unit_en, Some("ministry"), &at)?;
        b.label(&row.unit_en, Label::new(row.unit_vi.clone(), row.unit_en.clone()));
        b.value(&row.unit_en, "appraisal", crate::value::Value::Number(row.appraisal), &format!("{at}, column appraisal_points"))?;
        b.value(&row.unit_en, "survey", crate::value::Value::Number(row.survey), &format!("{at}, column survey_points"))?;
    }
    Ok(b.finish())
}
