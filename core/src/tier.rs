//! Tier schemes: ordered bands of the index (Xuất sắc, Tốt, Khá, …; or national groups A/B/C).
//! Tiers are data, not code: cut-offs differ between provinces, years and unit groups.

use crate::error::MethodologyError;
use crate::label::Label;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn yes() -> bool {
    true
}

/// An extra condition of a band: the node `code` must reach `min_percent` %.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The node whose percentage is checked.
    pub code: String,
    /// The lowest percentage that meets the condition.
    pub min_percent: Decimal,
}

/// One band of a tier scheme, covering the index from `min` up to `max` (or, when `max` is
/// absent, up to the band above it; the top band is then open above).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Short code, such as "A" or "xuat_sac".
    pub code: String,
    /// Bilingual name as published.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// The lower bound of the index, in percent.
    pub min: Decimal,
    /// Whether an index equal to `min` is in the band (default true: "từ 90 % trở lên").
    #[serde(default = "yes")]
    pub min_inclusive: bool,
    /// The upper bound; absent means the lower bound of the band above (or open, for the top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// Whether an index equal to `max` is in the band (default false: "dưới 90 %").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub max_inclusive: bool,
    /// Extra conditions; a unit that misses one falls to the next band down that it meets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// A display colour (CSS), used by tables and charts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Where the band comes from, or why it has no published name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Bands from the highest to the lowest. An index below the lowest band has no tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierScheme {
    /// Identifier, referenced by [`Tiers::by_group`].
    pub id: String,
    /// Bilingual name.
    #[serde(default, skip_serializing_if = "Label::is_empty")]
    pub label: Label,
    /// The bands, highest first.
    pub bands: Vec<Band>,
}

/// The tier schemes of a methodology: a default one and, optionally, one per unit group
/// (departments and districts may have other cut-offs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    /// The scheme used for groups not listed in `by_group`.
    pub default: String,
    /// Scheme id per unit group.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_group: BTreeMap<String, String>,
    /// The schemes.
    pub schemes: Vec<TierScheme>,
}

impl Band {
    fn above_min(&self, v: Decimal) -> bool {
        if self.min_inclusive {
            v >= self.min
        } else {
            v > self.min
        }
    }

    fn below_max(&self, v: Decimal) -> bool {
        match self.max {
            None => true,
            Some(m) if self.max_inclusive => v <= m,
            Some(m) => v < m,
        }
    }
}

impl TierScheme {
    /// Checks that the bands are ordered, contiguous and do not overlap.
    pub fn validate(&self, path: &str) -> Result<(), MethodologyError> {
        let err = |p: String, m: String| MethodologyError::InvalidTiers { path: p, message: m };
        if self.bands.is_empty() {
            return Err(err(format!("{path}.bands"), "a tier scheme needs at least one band".into()));
        }
        for (i, band) in self.bands.iter().enumerate() {
            let bp = format!("{path}.bands[{i}]");
            if let Some(j) = self.bands[..i].iter().position(|b| b.code == band.code) {
                return Err(err(bp, format!("code {:?} is already used by band {j}", band.code)));
            }
            if let Some(max) = band.max {
                if band.min >= max {
                    return Err(err(bp, format!("min {} must be below max {max}", band.min)));
                }
            }
            let Some(above) = i.checked_sub(1).and_then(|j| self.bands.get(j)) else { continue };
            let (upper, upper_inclusive) = match band.max {
                Some(m) => (m, band.max_inclusive),
                None => (above.min, !above.min_inclusive),
            };
            if band.min >= above.min {
                return Err(err(bp, format!("min {} is not below the band above ({}): bands go from the highest down", band.min, above.min)));
            }
            if upper < above.min {
                return Err(err(bp, format!("gap between {upper} and the band above, which starts at {}", above.min)));
            }
            if upper > above.min {
                return Err(err(bp, format!("overlaps the band above: max {upper} is above its min {}", above.min)));
            }
            match (upper_inclusive, above.min_inclusive) {
                (true, true) => return Err(err(bp, format!("overlaps the band above at {upper}: both include it"))),
                (false, false) => return Err(err(bp, format!("gap at {upper}: neither this band nor the one above includes it"))),
                _ => {}
            }
        }
        Ok(())
    }

    /// The band of an index: the band containing it, or, when that band's extra conditions are
    /// not met, the next band down whose conditions are. `None` below the lowest band.
    pub fn classify(&self, index: Decimal, percent_of: impl Fn(&str) -> Option<Decimal>) -> Option<&Band> {
        let start = self.bands.iter().enumerate().position(|(i, b)| {
            b.above_min(index) && (i > 0 || b.below_max(index))
        })?;
        self.bands[start..].iter().find(|b| {
            b.requires.iter().all(|r| percent_of(&r.code).is_some_and(|p| p >= r.min_percent))
        })
    }
}

impl Tiers {
    /// The scheme for a unit group.
    pub fn scheme_for(&self, group: Option<&str>) -> Option<&TierScheme> {
        let id = group.and_then(|g| self.by_group.get(g)).unwrap_or(&self.default);
        self.schemes.iter().find(|s| &s.id == id)
    }

    /// Checks every scheme and that every referenced scheme exists.
    pub fn validate(&self, path: &str) -> Result<(), MethodologyError> {
        for (i, s) in self.schemes.iter().enumerate() {
            if let Some(j) = self.schemes[..i].iter().position(|t| t.id == s.id) {
                return Err(MethodologyError::InvalidTiers {
                    path: format!("{path}.schemes[{i}].id"),
                    message: format!("scheme id {:?} is already used by scheme {j}", s.id),
                });
            }
            s.validate(&format!("{path}.schemes[{i}]"))?;
        }
        let known = |id: &str| self.schemes.iter().any(|s| s.id == id);
        if !known(&self.default) {
            return Err(MethodologyError::InvalidTiers {
                path: format!("{path}.default"),
                message: format!("no scheme has id {:?}", self.default),
            });
        }
        for (group, id) in &self.by_group {
            if !known(id) {
                return Err(MethodologyError::InvalidTiers {
                    path: format!("{path}.by_group.{group}"),
                    message: format!("no scheme has id {id:?}"),
                });
            }
        }
        Ok(())
    }

    /// Every requirement's node code, with its path, for the methodology to check.
    pub(crate) fn requirement_codes(&self, path: &str) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        for (i, s) in self.schemes.iter().enumerate() {
            for (j, b) in s.bands.iter().enumerate() {
                for (k, r) in b.requires.iter().enumerate() {
                    out.push((format!("{path}.schemes[{i}].bands[{j}].requires[{k}].code"), r.code.as_str()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(code: &str, min: &str) -> Band {
        Band {
            code: code.into(),
            label: Label::default(),
            min: min.parse().unwrap(),
            min_inclusive: true,
            max: None,
            max_inclusive: false,
            requires: vec![],
            color: None,
            note: None,
        }
    }

    fn scheme(bands: Vec<Band>) -> TierScheme {
        TierScheme { id: "s".into(), label: Label::default(), bands }
    }

    #[test]
    fn national_groups_classify_at_the_bounds() {
        let s = scheme(vec![band("A", "90"), band("B", "80"), band("C", "70")]);
        s.validate("tiers").unwrap();
        let c = |v: &str| s.classify(v.parse().unwrap(), |_| None).map(|b| b.code.clone());
        assert_eq!(c("90"), Some("A".into()));
        assert_eq!(c("89.995"), Some("B".into()));
        assert_eq!(c("80"), Some("B".into()));
        assert_eq!(c("70"), Some("C".into()));
        assert_eq!(c("69.99"), None);
        assert_eq!(c("104"), Some("A".into()));
    }

    #[test]
    fn gaps_and_overlaps_are_rejected() {
        let mut low = band("B", "80");
        low.max = Some("85".parse().unwrap());
        let e = scheme(vec![band("A", "90"), low.clone()]).validate("t").unwrap_err();
        assert!(e.to_string().contains("gap between 85"), "{e}");
        low.max = Some("95".parse().unwrap());
        let e = scheme(vec![band("A", "90"), low.clone()]).validate("t").unwrap_err();
        assert!(e.to_string().contains("overlaps"), "{e}");
        low.max = Some("90".parse().unwrap());
        low.max_inclusive = true;
        let e = scheme(vec![band("A", "90"), low.clone()]).validate("t").unwrap_err();
        assert_eq!(e.to_string(), "t.bands[1]: overlaps the band above at 90: both include it");
        low.max_inclusive = false;
        scheme(vec![band("A", "90"), low]).validate("t").unwrap();
    }

    #[test]
    fn requirement_demotes_to_next_band() {
        let mut a = band("A", "90");
        a.requires = vec![Requirement { code: "1".into(), min_percent: "80".parse().unwrap() }];
        let s = scheme(vec![a, band("B", "80")]);
        let low = |_: &str| Some(Decimal::from(79));
        let high = |_: &str| Some(Decimal::from(80));
        assert_eq!(s.classify(Decimal::from(95), low).unwrap().code, "B");
        assert_eq!(s.classify(Decimal::from(95), high).unwrap().code, "A");
    }
}
