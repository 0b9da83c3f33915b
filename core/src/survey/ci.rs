//! Confidence intervals for a share: the binomial methods of statsmodels' `proportion_confint`
//! and the design-based logit and Korn-Graubard intervals of R's `svyciprop`.

use super::dist::{qbeta, qnorm, qt};
use super::error::SurveyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An interval method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiMethod {
    /// Wilson score interval (statsmodels `wilson`; default).
    #[default]
    Wilson,
    /// Clopper-Pearson exact interval (statsmodels `beta`).
    ClopperPearson,
    /// Jeffreys interval (statsmodels `jeffreys`).
    Jeffreys,
    /// Agresti-Coull interval (statsmodels `agresti_coull`).
    AgrestiCoull,
    /// Normal (Wald) interval, clipped to [0, 1] (statsmodels `normal`).
    Normal,
    /// Design-based logit interval (R survey `svyciprop(method = "logit")`).
    Logit,
    /// Korn-Graubard beta interval on the design effective sample size
    /// (R survey `svyciprop(method = "beta")`).
    KornGraubard,
}

impl CiMethod {
    /// Every method, in documentation order.
    pub const ALL: [CiMethod; 7] = [
        CiMethod::Wilson,
        CiMethod::ClopperPearson,
        CiMethod::Jeffreys,
        CiMethod::AgrestiCoull,
        CiMethod::Normal,
        CiMethod::Logit,
        CiMethod::KornGraubard,
    ];

    /// The method's snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CiMethod::Wilson => "wilson",
            CiMethod::ClopperPearson => "clopper_pearson",
            CiMethod::Jeffreys => "jeffreys",
            CiMethod::AgrestiCoull => "agresti_coull",
            CiMethod::Normal => "normal",
            CiMethod::Logit => "logit",
            CiMethod::KornGraubard => "korn_graubard",
        }
    }

    /// Whether the method is design-based (needs the linearized variance).
    pub fn is_design_based(self) -> bool {
        matches!(self, CiMethod::Logit | CiMethod::KornGraubard)
    }
}

impl fmt::Display for CiMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CiMethod {
    type Err = SurveyError;
    fn from_str(s: &str) -> Result<Self, SurveyError> {
        CiMethod::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| SurveyError::BadOption {
            path: "ci".to_owned(),
            message: format!(
                "unknown interval method {s:?} (wilson, clopper_pearson, jeffreys, agresti_coull, normal, logit, korn_graubard)"
            ),
        })
    }
}

/// Which interval to compute, at which confidence level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CiOptions {
    /// The interval method.
    pub method: CiMethod,
    /// The confidence level, strictly between 0 and 1 (0.95 for 95 %).
    pub level: f64,
}

impl Default for CiOptions {
    fn default() -> Self {
        CiOptions {
            method: CiMethod::Wilson,
            level: 0.95,
        }
    }
}

impl CiOptions {
    pub(crate) fn check(&self) -> Result<f64, SurveyError> {
        if self.level.is_finite() && self.level > 0.0 && self.level < 1.0 {
            Ok(1.0 - self.level)
        } else {
            Err(SurveyError::BadOption {
                path: "level".to_owned(),
                message: format!(
                    "confidence level {} must be strictly between 0 and 1",
                    self.level
                ),
            })
        }
    }
}

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The binomial interval for `successes` out of `n` (both may be fractional, as for an
/// effective sample size), exactly as statsmodels' `proportion_confint` computes it.
///
/// Design-based methods ([`CiMethod::Logit`], [`CiMethod::KornGraubard`]) are computed for a
/// simple random sample: the linearized variance p(1-p)/(n-1) (weights 1) with n - 1 degrees of
/// freedom, as R's `svyciprop` gives for an unweighted `svydesign(ids = ~1)`.
///
/// ```
/// use par_index::survey::{proportion_ci, CiMethod};
/// let ci = proportion_ci(50.0, 100.0, CiMethod::Wilson, 0.95)?;
/// assert!((ci.low - 0.4038315303659956).abs() < 1e-12); // statsmodels, z = 1.959963984540054
/// # Ok::<(), par_index::survey::SurveyError>(())
/// ```
pub fn proportion_ci(
    successes: f64,
    n: f64,
    method: CiMethod,
    level: f64,
) -> Result<Interval, SurveyError> {
    let alpha = CiOptions { method, level }.check()?;
    if !(n.is_finite() && n > 0.0) {
        return Err(SurveyError::BadOption {
            path: "n".to_owned(),
            message: format!("n = {n} must be positive"),
        });
    }
    if !(successes.is_finite() && successes >= 0.0 && successes <= n) {
        return Err(SurveyError::BadOption {
            path: "successes".to_owned(),
            message: format!("successes = {successes} must be between 0 and n = {n}"),
        });
    }
    if method.is_design_based() {
        let p = successes / n;
        let var = if n > 1.0 {
            p * (1.0 - p) / (n - 1.0)
        } else {
            f64::NAN
        };
        return design_ci(method, p, var, n - 1.0, n, n, alpha, &|q, df| qt(q, df)).ok_or_else(
            || SurveyError::BadOption {
                path: "n".to_owned(),
                message: "a design-based interval needs at least two observations".to_owned(),
            },
        );
    }
    Ok(binomial_ci(successes, n, method, alpha))
}

/// statsmodels `proportion_confint` for the binomial methods (design-based methods fall back to
/// Wilson; callers route them to [`design_ci`]).
pub(crate) fn binomial_ci(count: f64, nobs: f64, method: CiMethod, alpha: f64) -> Interval {
    binomial_ci_crit(count, nobs, method, alpha, -qnorm(alpha / 2.0))
}

/// [`binomial_ci`] with the normal critical value `crit` = -qnorm(alpha / 2) given (a caller
/// computing many intervals at one level computes it once).
pub(crate) fn binomial_ci_crit(count: f64, nobs: f64, method: CiMethod, alpha: f64, crit: f64) -> Interval {
    let q = count / nobs;
    let alpha2 = 0.5 * alpha;
    match method {
        CiMethod::Normal => {
            let std = (q * (1.0 - q) / nobs).sqrt();
            let dist = crit * std;
            Interval {
                low: (q - dist).clamp(0.0, 1.0),
                high: (q + dist).clamp(0.0, 1.0),
            }
        }
        CiMethod::ClopperPearson => {
            let low = if q == 0.0 {
                0.0
            } else {
                qbeta(alpha2, count, nobs - count + 1.0)
            };
            let high = if q == 1.0 {
                1.0
            } else {
                qbeta(1.0 - alpha2, count + 1.0, nobs - count)
            };
            Interval { low, high }
        }
        CiMethod::AgrestiCoull => {
            let nobs_c = nobs + crit * crit;
            let q_c = (count + crit * crit / 2.0) / nobs_c;
            let dist = crit * (q_c * (1.0 - q_c) / nobs_c).sqrt();
            Interval {
                low: (q_c - dist).clamp(0.0, 1.0),
                high: (q_c + dist).clamp(0.0, 1.0),
            }
        }
        CiMethod::Jeffreys => Interval {
            low: qbeta(alpha2, count + 0.5, nobs - count + 0.5),
            high: qbeta(1.0 - alpha2, count + 0.5, nobs - count + 0.5),
        },
        CiMethod::Wilson | CiMethod::Logit | CiMethod::KornGraubard => {
            let crit2 = crit * crit;
            let denom = 1.0 + crit2 / nobs;
            let center = (q + crit2 / (2.0 * nobs)) / denom;
            let dist = crit * (q * (1.0 - q) / nobs + crit2 / (4.0 * nobs * nobs)).sqrt() / denom;
            Interval {
                low: (center - dist).clamp(0.0, 1.0),
                high: (center + dist).clamp(0.0, 1.0),
            }
        }
    }
}

/// R survey's `svyciprop` intervals for a share `p` with linearized variance `var`, `df` design
/// degrees of freedom, `rows` rows in the design (`nrow(design)`, for the Korn-Graubard
/// degrees-of-freedom ratio) and Kish effective size `kish` (used only when the variance is
/// zero, where R returns NaN: the share is then 0 or 1 and the Korn-Graubard interval is taken
/// on the Kish size). `t(q, df)` is the Student t quantile (callers may cache it). `None` when
/// no interval exists (df < 1).
#[allow(clippy::too_many_arguments)]
pub(crate) fn design_ci(
    method: CiMethod,
    p: f64,
    var: f64,
    df: f64,
    rows: f64,
    kish: f64,
    alpha: f64,
    t: &dyn Fn(f64, f64) -> f64,
) -> Option<Interval> {
    if df.is_nan() || df < 1.0 || !p.is_finite() {
        return None;
    }
    let degenerate = var.is_nan() || var <= 0.0 || p <= 0.0 || p >= 1.0;
    match method {
        CiMethod::Logit if !degenerate => {
            let se_logit = var.sqrt() / (p * (1.0 - p));
            let logit = libm::log(p / (1.0 - p));
            let t = t(1.0 - alpha / 2.0, df);
            let expit = |x: f64| 1.0 / (1.0 + libm::exp(-x));
            Some(Interval {
                low: expit(logit - t * se_logit),
                high: expit(logit + t * se_logit),
            })
        }
        _ => {
            let mut n_eff = if degenerate {
                kish
            } else {
                p * (1.0 - p) / var
            };
            // With nrow = degf + 1, as in every domain of a weights-only design, the ratio is 1.
            if rows > 1.0 && rows - 1.0 != df {
                let ratio = t(alpha / 2.0, rows - 1.0) / t(alpha / 2.0, df);
                n_eff *= ratio * ratio;
            }
            let shape = |a: f64, b: f64, pr: f64| {
                if a <= 0.0 {
                    0.0
                } else if b <= 0.0 {
                    1.0
                } else {
                    qbeta(pr, a, b)
                }
            };
            let low = shape(n_eff * p, n_eff * (1.0 - p) + 1.0, alpha / 2.0);
            let high = shape(n_eff * p + 1.0, n_eff * (1.0 - p), 1.0 - alpha / 2.0);
            if low.is_finite() && high.is_finite() {
                Some(Interval { low, high })
            } else {
                None
            }
        }
    }
}
