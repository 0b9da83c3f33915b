//! Assessments: the values each unit received for the leaves (and adjustments) of a
//! methodology. Read from JSON, CSV (see [`crate::csv_input`]) or records.

use crate::error::{json_location, InputError, Result};
use crate::label::Label;
use crate::limits::{MAX_CODE_LEN, MAX_UNITS};
use crate::value::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The values of one unit (a department, district, ministry or province). Two assessments are
/// equal when their data are, wherever they were read from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The unit's id, unique in the assessment set.
    pub unit: String,
    /// The unit's group (ranked and tiered apart from other groups), such as "department".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The unit's bilingual name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// Value per leaf or adjustment code. A leaf that is absent has no value.
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    /// Where each value was read (row and column, or JSON path), for error messages.
    #[serde(skip)]
    pub(crate) origins: BTreeMap<String, String>,
}

impl PartialEq for Assessment {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit && self.group == other.group && self.label == other.label && self.values == other.values
    }
}

impl Eq for Assessment {}

impl Assessment {
    /// A unit with no values yet.
    pub fn new(unit: impl Into<String>) -> Self {
        Assessment { unit: unit.into(), ..Default::default() }
    }

    /// Sets the group.
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Sets a value (replacing any earlier one for the same code).
    pub fn with_value(mut self, code: impl Into<String>, value: Value) -> Self {
        self.values.insert(code.into(), value);
        self
    }

    /// Where the value of `code` was read, or a path naming the unit and code.
    pub(crate) fn origin(&self, code: &str) -> String {
        self.origins.get(code).cloned().unwrap_or_else(|| format!("unit {:?}, code {code:?}", self.unit))
    }
}

/// The values of every unit to be scored, in the order units first appear.
///
/// ```
/// use par_index::Assessments;
/// let a = Assessments::from_json(r#"{"units": [
///   {"unit": "moj", "group": "ministry", "values": {"appraisal": "61.86", "survey": 28.1}}
/// ]}"#).unwrap();
/// assert_eq!(a.units[0].values.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessments {
    /// File format version (currently 1).
    #[serde(default = "one")]
    pub format: u32,
    /// The units.
    pub units: Vec<Assessment>,
}

fn one() -> u32 {
    1
}

impl Assessments {
    /// Reads assessments from JSON: `{"units": [{"unit", "group"?, "label"?, "values": {code: value}}]}`.
    /// A unit listed twice has its values merged; the same code twice is an error.
    pub fn from_json(text: &str) -> Result<Assessments> {
        let raw: Assessments = serde_json::from_str(text).map_err(|e| {
            let (path, message) = json_location(&e);
            InputError::Json { path, message }
        })?;
        let mut b = AssessmentsBuilder::default();
        for (i, u) in raw.units.into_iter().enumerate() {
            let at = format!("units[{i}]");
            b.unit(&u.unit, u.group.as_deref(), &at)?;
            if let Some(l) = u.label {
                b.label(&u.unit, l);
            }
            for (code, value) in u.values {
                let vat = format!("{at}.values.{code}");
                b.value(&u.unit, &code, value, &vat)?;
            }
        }
        Ok(b.finish())
    }

    /// The assessments as JSON (reads back with [`Self::from_json`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Builds assessments from long records `(unit, group, code, value text)`, as a DataFrame
    /// or a list of dicts gives them. Errors name the record as `records[i]` (0-based). An empty
    /// value text means no value.
    pub fn from_records<'a, I>(records: I) -> Result<Assessments>
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>, &'a str, &'a str)>,
    {
        let mut b = AssessmentsBuilder::default();
        for (i, (unit, group, code, text)) in records.into_iter().enumerate() {
            let at = format!("records[{i}]");
            b.unit(unit, group, &at)?;
            b.text_value(unit, code, text, &format!("{at}.value"))?;
        }
        Ok(b.finish())
    }

    /// The unit with this id.
    pub fn get(&self, unit: &str) -> Option<&Assessment> {
        self.units.iter().find(|u| u.unit == unit)
    }
}

/// Collects units and values from any reader, merging by unit and checking conflicts.
#[derive(Debug, Default)]
pub(crate) struct AssessmentsBuilder {
    units: Vec<Assessment>,
    index: HashMap<String, usize>,
    group_origin: HashMap<String, String>,
}

impl AssessmentsBuilder {
    /// Declares a unit (once or many times), checking that its group does not change.
    pub fn unit(&mut self, unit: &str, group: Option<&str>, at: &str) -> Result<(), InputError> {
        if unit.trim().is_empty() {
            return Err(InputError::MalformedValue { path: at.to_owned(), text: unit.to_owned() });
        }
        if unit.len() > MAX_CODE_LEN || group.is_some_and(|g| g.len() > MAX_CODE_LEN) {
            return Err(InputError::LimitExceeded { path: at.to_owned(), message: format!("unit ids and groups are limited to {MAX_CODE_LEN} bytes") });
        }
        let group = group.filter(|g| !g.is_empty());
        match self.index.get(unit) {
            Some(&i) => {
                let known = &mut self.units[i];
                match (&known.group, group) {
                    (Some(first), Some(second)) if first != second => {
                        return Err(InputError::ConflictingGroup {
                            path: at.to_owned(),
                            unit: unit.to_owned(),
                            first: first.clone(),
                            second: second.to_owned(),
                        })
                    }
                    (None, Some(g)) => {
                        known.group = Some(g.to_owned());
                        self.group_origin.insert(unit.to_owned(), at.to_owned());
                    }
                    _ => {}
                }
            }
            None => {
                if self.units.len() >= MAX_UNITS {
                    return Err(InputError::LimitExceeded { path: at.to_owned(), message: format!("more than {MAX_UNITS} units") });
                }
                self.index.insert(unit.to_owned(), self.units.len());
                let mut a = Assessment::new(unit);
                a.group = group.map(str::to_owned);
                self.units.push(a);
            }
        }
        Ok(())
    }

    /// Sets a unit's label.
    pub fn label(&mut self, unit: &str, label: Label) {
        if let Some(&i) = self.index.get(unit) {
            self.units[i].label = Some(label);
        }
    }

    /// Adds a value; the unit must be declared first.
    pub fn value(&mut self, unit: &str, code: &str, value: Value, at: &str) -> Result<(), InputError> {
        let Some(&i) = self.index.get(unit) else {
            return Err(InputError::UnknownUnit { path: at.to_owned(), unit: unit.to_owned() });
        };
        let a = &mut self.units[i];
        if a.values.contains_key(code) {
            return Err(InputError::DuplicateValue { path: at.to_owned(), unit: unit.to_owned(), code: code.to_owned() });
        }
        a.values.insert(code.to_owned(), value);
        a.origins.insert(code.to_owned(), at.to_owned());
        Ok(())
    }

    /// Adds a value given as text; empty text is no value.
    pub fn text_value(&mut self, unit: &str, code: &str, text: &str, at: &str) -> Result<(), InputError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let lower = text.trim().trim_start_matches(['+', '-']).to_ascii_lowercase();
        if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
            return Err(InputError::NotFinite { path: at.to_owned() });
        }
        let value = Value::parse(text).ok_or_else(|| InputError::MalformedValue { path: at.to_owned(), text: text.to_owned() })?;
        self.value(unit, code, value, at)
    }

    pub fn finish(self) -> Assessments {
        Assessments { format: 1, units: self.units }
    }
}
