//! The questionnaire: elements, items, the answer scale and the rules that form indices.

use super::error::SurveyError;
use crate::label::Label;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One answer level of the scale: its code as written in the data and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The integer code answers use (1 to 5 on the default scale).
    pub code: i64,
    /// The level's name.
    #[serde(default)]
    pub label: Label,
}

/// An element (yếu tố) of the service: a group of items with its own index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// Unique code.
    pub code: String,
    /// The element's name.
    #[serde(default)]
    pub label: Label,
}

/// One satisfaction question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Unique code; also the column name in CSV data and the key in JSON answers.
    pub code: String,
    /// The question's text.
    #[serde(default)]
    pub label: Label,
    /// The element the item belongs to.
    pub element: String,
    /// Optional part of the questionnaire (for example `policy` or `service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Optional filter: only respondents whose answer to this item is one of
    /// [`filter_levels`](Item::filter_levels) count for this item; others' answers are counted
    /// as not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The answers to [`filter`](Item::filter) that let a respondent count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter_levels: Vec<i64>,
}

/// How an element's index is formed from its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementRule {
    /// The unweighted mean of the shares of its items that have valid answers (default).
    #[default]
    MeanOfItems,
    /// Satisfied answers over valid answers, pooled over all its items.
    Pooled,
}

/// How the overall index is formed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OverallRule {
    /// The unweighted mean of the element indices that exist (default).
    #[default]
    MeanOfElements,
    /// Satisfied answers over valid answers, pooled over all items.
    Pooled,
    /// The share of one designated overall-satisfaction item.
    Item(String),
}

impl Serialize for OverallRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OverallRule::MeanOfElements => s.serialize_str("mean_of_elements"),
            OverallRule::Pooled => s.serialize_str("pooled"),
            OverallRule::Item(code) => s.serialize_str(&format!("item:{code}")),
        }
    }
}

impl<'de> Deserialize<'de> for OverallRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.as_str() {
            "mean_of_elements" => Ok(OverallRule::MeanOfElements),
            "pooled" => Ok(OverallRule::Pooled),
            other => match other.strip_prefix("item:") {
                Some(code) if !code.is_empty() => Ok(OverallRule::Item(code.to_owned())),
                _ => Err(serde::de::Error::custom(format!(
                    "overall rule {other:?}: expected mean_of_elements, pooled or item:CODE"
                ))),
            },
        }
    }
}

fn default_format() -> u64 {
    1
}

/// The five Vietnamese answer levels 1-5, Rất không hài lòng to Rất hài lòng.
pub fn default_scale() -> Vec<Level> {
    let l = |code, vi: &str, en: &str| Level {
        code,
        label: Label::new(vi, en),
    };
    vec![
        l(1, "Rất không hài lòng", "Very dissatisfied"),
        l(2, "Không hài lòng", "Dissatisfied"),
        l(3, "Bình thường", "Neutral"),
        l(4, "Hài lòng", "Satisfied"),
        l(5, "Rất hài lòng", "Very satisfied"),
    ]
}

fn default_satisfied() -> Vec<i64> {
    vec![4, 5]
}

/// A survey design: what is asked, on which scale, and how indices are formed.
///
/// Read it from JSON with [`SurveyDesign::from_json`] (which validates), or build one from a
/// list of item codes with [`SurveyDesign::from_item_codes`].
///
/// ```
/// use par_index::survey::SurveyDesign;
/// let d = SurveyDesign::from_json(r#"{"format": 1,
///   "elements": [{"code": "access"}],
///   "items": [{"code": "q1", "element": "access"}, {"code": "q2", "element": "access"}]}"#)?;
/// assert_eq!(d.satisfied, vec![4, 5]);
/// # Ok::<(), par_index::survey::SurveyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDesign {
    /// Format version of this JSON (1).
    #[serde(default = "default_format")]
    pub format: u64,
    /// Optional name of the design.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// Elements, in display order.
    pub elements: Vec<Element>,
    /// Items, in display order.
    pub items: Vec<Item>,
    /// The answer scale, default the five levels 1-5.
    #[serde(default = "default_scale")]
    pub scale: Vec<Level>,
    /// The level codes that count as satisfied, default 4 and 5.
    #[serde(default = "default_satisfied")]
    pub satisfied: Vec<i64>,
    /// Codes meaning "no answer": left out of denominators, counted as missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_codes: Vec<i64>,
    /// Codes meaning "not applicable": left out of denominators, counted apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable_codes: Vec<i64>,
    /// How an element's index is formed.
    #[serde(default)]
    pub element_rule: ElementRule,
    /// How the overall index is formed.
    #[serde(default)]
    pub overall_rule: OverallRule,
    /// Free-text notes: sources, and what is not sourced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl SurveyDesign {
    /// A design with one item per code, each its own element, on the default 1-5 scale with
    /// levels 4 and 5 satisfied. Used by the bindings for plain tables of answers.
    pub fn from_item_codes<S: AsRef<str>>(codes: &[S]) -> Result<Self, SurveyError> {
        let design = SurveyDesign {
            format: 1,
            label: Label::default(),
            elements: codes
                .iter()
                .map(|c| Element {
                    code: c.as_ref().to_owned(),
                    label: Label::default(),
                })
                .collect(),
            items: codes
                .iter()
                .map(|c| Item {
                    code: c.as_ref().to_owned(),
                    label: Label::default(),
                    element: c.as_ref().to_owned(),
                    part: None,
                    filter: None,
                    filter_levels: Vec::new(),
                })
                .collect(),
            scale: default_scale(),
            satisfied: default_satisfied(),
            missing_codes: Vec::new(),
            not_applicable_codes: Vec::new(),
            element_rule: ElementRule::default(),
            overall_rule: OverallRule::default(),
            notes: Vec::new(),
        };
        design.validate()?;
        Ok(design)
    }

    /// Reads and validates a design from JSON text.
    pub fn from_json(text: &str) -> Result<Self, SurveyError> {
        let design: SurveyDesign = serde_json::from_str(text).map_err(|e| SurveyError::Json {
            path: String::new(),
            message: e.to_string(),
        })?;
        design.validate()?;
        Ok(design)
    }

    /// Reads and validates a design from a JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, SurveyError> {
        let design = SurveyDesign::deserialize(value).map_err(|e| SurveyError::Json {
            path: "design".to_owned(),
            message: e.to_string(),
        })?;
        design.validate()?;
        Ok(design)
    }

    /// Checks the design: unique codes, known references, a non-empty scale, satisfied levels
    /// on the scale, missing and not-applicable codes off the scale, filters pointing to earlier
    /// known items. Errors name the offending path (`items[3].element`).
    pub fn validate(&self) -> Result<(), SurveyError> {
        if self.format != 1 {
            return Err(SurveyError::UnsupportedFormat { found: self.format });
        }
        if self.elements.is_empty() {
            return Err(SurveyError::Empty {
                path: "elements".to_owned(),
            });
        }
        if self.items.is_empty() {
            return Err(SurveyError::Empty {
                path: "items".to_owned(),
            });
        }
        if self.scale.is_empty() {
            return Err(SurveyError::Empty {
                path: "scale".to_owned(),
            });
        }
        if self.satisfied.is_empty() {
            return Err(SurveyError::Empty {
                path: "satisfied".to_owned(),
            });
        }
        let mut elements: HashMap<&str, usize> = HashMap::new();
        for (i, e) in self.elements.iter().enumerate() {
            if e.code.is_empty() {
                return Err(SurveyError::Empty {
                    path: format!("elements[{i}].code"),
                });
            }
            if elements.insert(e.code.as_str(), i).is_some() {
                return Err(SurveyError::DuplicateCode {
                    path: format!("elements[{i}].code"),
                    code: e.code.clone(),
                });
            }
        }
        let mut levels: HashMap<i64, usize> = HashMap::new();
        for (i, l) in self.scale.iter().enumerate() {
            if levels.insert(l.code, i).is_some() {
                return Err(SurveyError::DuplicateCode {
                    path: format!("scale[{i}].code"),
                    code: l.code.to_string(),
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.satisfied.iter().enumerate() {
            if !levels.contains_key(s) {
                return Err(SurveyError::UnknownLevel {
                    path: format!("satisfied[{i}]"),
                    level: *s,
                });
            }
            if !seen.insert(*s) {
                return Err(SurveyError::DuplicateCode {
                    path: format!("satisfied[{i}]"),
                    code: s.to_string(),
                });
            }
        }
        let mut special = std::collections::HashSet::new();
        for (name, codes) in [
            ("missing_codes", &self.missing_codes),
            ("not_applicable_codes", &self.not_applicable_codes),
        ] {
            for (i, c) in codes.iter().enumerate() {
                if levels.contains_key(c) {
                    return Err(SurveyError::InvalidDesign {
                        path: format!("{name}[{i}]"),
                        message: format!("code {c} is also a level of the answer scale"),
                    });
                }
                if !special.insert(*c) {
                    return Err(SurveyError::DuplicateCode {
                        path: format!("{name}[{i}]"),
                        code: c.to_string(),
                    });
                }
            }
        }
        let mut items: HashMap<&str, usize> = HashMap::new();
        for (i, it) in self.items.iter().enumerate() {
            if it.code.is_empty() {
                return Err(SurveyError::Empty {
                    path: format!("items[{i}].code"),
                });
            }
            if items.contains_key(it.code.as_str()) {
                return Err(SurveyError::DuplicateCode {
                    path: format!("items[{i}].code"),
                    code: it.code.clone(),
                });
            }
            if !elements.contains_key(it.element.as_str()) {
                return Err(SurveyError::UnknownElement {
                    path: format!("items[{i}].element"),
                    code: it.element.clone(),
                });
            }
            match &it.filter {
                Some(f) => {
                    if !items.contains_key(f.as_str()) {
                        return Err(SurveyError::UnknownItem {
                            path: format!("items[{i}].filter"),
                            code: f.clone(),
                        });
                    }
                    if it.filter_levels.is_empty() {
                        return Err(SurveyError::Empty {
                            path: format!("items[{i}].filter_levels"),
                        });
                    }
                    for (j, l) in it.filter_levels.iter().enumerate() {
                        if !levels.contains_key(l) {
                            return Err(SurveyError::UnknownLevel {
                                path: format!("items[{i}].filter_levels[{j}]"),
                                level: *l,
                            });
                        }
                    }
                }
                None => {
                    if !it.filter_levels.is_empty() {
                        return Err(SurveyError::InvalidDesign {
                            path: format!("items[{i}].filter_levels"),
                            message: "filter levels given without a filter item".to_owned(),
                        });
                    }
                }
            }
            items.insert(it.code.as_str(), i);
        }
        if let OverallRule::Item(code) = &self.overall_rule {
            if !items.contains_key(code.as_str()) {
                return Err(SurveyError::UnknownItem {
                    path: "overall_rule".to_owned(),
                    code: code.clone(),
                });
            }
        }
        Ok(())
    }

    /// The index of an item by code.
    pub fn item_index(&self, code: &str) -> Option<usize> {
        self.items.iter().position(|i| i.code == code)
    }

    /// The index of an element by code.
    pub fn element_index(&self, code: &str) -> Option<usize> {
        self.elements.iter().position(|e| e.code == code)
    }
}

/// What an answer code means, resolved once per design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// A scale level, by its index in the scale.
    Level(u8),
    /// A missing-answer code.
    Missing,
    /// A not-applicable code.
    NotApplicable,
}

/// A validated design with lookups resolved to indices, for the hot loop.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compiled {
    pub(crate) n_items: usize,
    pub(crate) n_levels: usize,
    pub(crate) satisfied: Vec<bool>,
    pub(crate) item_element: Vec<usize>,
    /// Per item: (filter item index, allowed level indices as a bit set).
    pub(crate) filters: Vec<Option<(usize, u64)>>,
    /// Whether any item has a filter.
    pub(crate) has_filters: bool,
    min_code: i64,
    table: Vec<Option<Code>>,
    extra: Vec<(i64, Code)>,
    /// The slot of a one-byte answer (`b'4'`), [`NO_SLOT`] when that byte needs the general
    /// parse (not a digit, or a digit off the scale).
    pub(crate) byte_slots: [u8; 256],
}

/// Not a slot: the answer needs the general path (and may be off the scale).
pub(crate) const NO_SLOT: u8 = u8::MAX;

impl Compiled {
    pub(crate) fn new(design: &SurveyDesign) -> Result<Self, SurveyError> {
        design.validate()?;
        if design.scale.len() > 64 {
            return Err(SurveyError::InvalidDesign {
                path: "scale".to_owned(),
                message: "at most 64 levels are supported".to_owned(),
            });
        }
        let mut all: Vec<(i64, Code)> = Vec::new();
        for (i, l) in design.scale.iter().enumerate() {
            all.push((l.code, Code::Level(i as u8)));
        }
        all.extend(design.missing_codes.iter().map(|c| (*c, Code::Missing)));
        all.extend(
            design
                .not_applicable_codes
                .iter()
                .map(|c| (*c, Code::NotApplicable)),
        );
        let min_code = all.iter().map(|c| c.0).min().unwrap_or(0);
        let max_code = all.iter().map(|c| c.0).max().unwrap_or(0);
        let mut table = Vec::new();
        let mut extra = Vec::new();
        if max_code
            .checked_sub(min_code)
            .is_some_and(|span| span < 1024)
        {
            table = vec![None; (max_code - min_code + 1) as usize];
            for (c, k) in &all {
                table[(c - min_code) as usize] = Some(*k);
            }
        } else {
            extra = all;
        }
        let level_of = |code: i64| design.scale.iter().position(|l| l.code == code);
        let satisfied = design
            .scale
            .iter()
            .map(|l| design.satisfied.contains(&l.code))
            .collect();
        let item_element = design
            .items
            .iter()
            .map(|it| design.element_index(&it.element).unwrap_or(0))
            .collect();
        let filters = design
            .items
            .iter()
            .map(|it| {
                it.filter.as_ref().map(|f| {
                    let mut bits = 0u64;
                    for l in &it.filter_levels {
                        if let Some(i) = level_of(*l) {
                            bits |= 1 << i;
                        }
                    }
                    (design.item_index(f).unwrap_or(0), bits)
                })
            })
            .collect();
        let has_filters = design.items.iter().any(|it| it.filter.is_some());
        let mut compiled = Compiled {
            n_items: design.items.len(),
            n_levels: design.scale.len(),
            satisfied,
            item_element,
            filters,
            has_filters,
            min_code,
            table,
            extra,
            byte_slots: [NO_SLOT; 256],
        };
        for d in 0..10u8 {
            if let Some(c) = compiled.code(i64::from(d)) {
                compiled.byte_slots[usize::from(b'0' + d)] = compiled.slot(Some(c));
            }
        }
        Ok(compiled)
    }

    /// Where an answer is counted among an item's `n_levels + 2` counters: its level index,
    /// then missing (also no answer), then not applicable. At most 65 (64 levels at most).
    #[inline]
    pub(crate) fn slot(&self, code: Option<Code>) -> u8 {
        match code {
            Some(Code::Level(l)) => l,
            None | Some(Code::Missing) => self.n_levels as u8,
            Some(Code::NotApplicable) => self.n_levels as u8 + 1,
        }
    }

    /// Every answer code with a meaning (levels, missing and not-applicable codes) and its slot.
    pub(crate) fn codes(&self) -> Vec<(i64, u8)> {
        let mut out: Vec<(i64, u8)> = self
            .table
            .iter()
            .zip(self.min_code..)
            .filter_map(|(k, code)| k.map(|k| (code, self.slot(Some(k)))))
            .collect();
        out.extend(self.extra.iter().map(|&(code, k)| (code, self.slot(Some(k)))));
        out
    }

    /// The slot of an answer given as a float (as data frames hold them): NaN is no answer, a
    /// whole number is a code; `None` when it is off the scale.
    pub(crate) fn float_slot(&self, v: f64) -> Option<u8> {
        if v.is_nan() {
            return Some(self.slot(None));
        }
        if v.fract() != 0.0 || v.abs() >= 9.0e15 {
            return None;
        }
        #[allow(clippy::cast_possible_truncation)]
        self.code(v as i64).map(|code| self.slot(Some(code)))
    }

    /// What an integer answer means; `None` when it is off the scale.
    #[inline]
    pub(crate) fn code(&self, value: i64) -> Option<Code> {
        if !self.table.is_empty() {
            let i = value.checked_sub(self.min_code)?;
            return usize::try_from(i)
                .ok()
                .and_then(|i| self.table.get(i).copied().flatten());
        }
        self.extra
            .iter()
            .find(|(c, _)| *c == value)
            .map(|(_, k)| *k)
    }
}
