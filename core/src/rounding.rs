//! Rounding for display. Scores stay exact; each displayed figure is rounded on its own from
//! its exact value, as official tables are made (so a displayed total can differ by 0.01 from
//! the sum of its displayed parts).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How a midpoint (…5) is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Half away from zero: 89.945 → 89.95 (default; what spreadsheets print).
    #[default]
    HalfUp,
    /// Half to even (banker's rounding): 89.945 → 89.94.
    HalfEven,
}

fn two() -> u32 {
    2
}

/// Decimal places and mode for displayed figures.
///
/// ```
/// use par_index::{Rounding, RoundingMode};
/// let r = Rounding { places: 2, mode: RoundingMode::HalfUp };
/// assert_eq!(r.display("89.945".parse().unwrap()), "89.95");
/// assert_eq!(Rounding { mode: RoundingMode::HalfEven, ..r }.display("89.945".parse().unwrap()), "89.94");
/// assert_eq!(r.display_vi("92.18".parse().unwrap()), "92,18");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimal places shown (default 2). At most 28.
    #[serde(default = "two")]
    pub places: u32,
    /// How midpoints round (default half-up).
    #[serde(default)]
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding { places: 2, mode: RoundingMode::HalfUp }
    }
}

impl Rounding {
    /// The value rounded to the display places, keeping trailing zeros (89.9 → 89.90).
    pub fn round(&self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut r = value.round_dp_with_strategy(self.places, strategy);
        // round_dp keeps a smaller scale when the value has fewer places; pad for display.
        if r.scale() < self.places {
            r.rescale(self.places);
        }
        r
    }

    /// The value as displayed with a decimal point: `89.95`.
    pub fn display(&self, value: Decimal) -> String {
        self.round(value).to_string()
    }

    /// The value as Vietnamese tables print it, with a decimal comma: `89,95`.
    pub fn display_vi(&self, value: Decimal) -> String {
        self.display(value).replace('.', ",")
    }
}
