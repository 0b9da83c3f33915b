//! Two decimal operations of the results, done on machine integers where that gives the very
//! decimal `rust_decimal` gives (checked bit for bit as properties below): a share or mean as
//! the quotient of two integer sums, and a share in percent. They are most of the arithmetic
//! of [`finish`](super::Aggregator::finish); anything outside their range goes to
//! `rust_decimal`.

use rust_decimal::Decimal;

/// Decimals a quotient keeps: `rust_decimal`'s largest scale.
const MAX_SCALE: u32 = 28;

const POW10: [u64; 10] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// The normalized quotient `num / den` of two integers at one scale (counts, or weight sums
/// at a common scale), as `rust_decimal` divides them: to 28 decimals, the last rounded half
/// to even. `None` (the caller divides with `rust_decimal`) unless `0 <= num < 7 den` and
/// `0 < den < 2^64`: below 7 every such quotient keeps all 28 decimals in 96 bits.
pub(crate) fn ratio(num: i128, den: i128) -> Option<Decimal> {
    let den = u64::try_from(den).ok().filter(|d| *d > 0)?;
    let num = u128::try_from(num).ok()?;
    if num >= 7 * u128::from(den) {
        return None;
    }
    let (mut quotient, mut rest, mut scale) = match u64::try_from(num) {
        Ok(num) => (u128::from(num / den), num % den, 0),
        Err(_) => (num / u128::from(den), (num % u128::from(den)) as u64, 0),
    };
    // Nine decimals at a time (9, 9, 9, 1) while a remainder is left.
    while rest != 0 && scale < MAX_SCALE {
        let step = (MAX_SCALE - scale).min(9);
        let power = POW10[step as usize];
        let (digits, left) = if den <= u64::from(u32::MAX) {
            // rest < den < 2^32: the product fits 64 bits.
            let t = rest * power;
            (t / den, t % den)
        } else {
            let t = u128::from(rest) * u128::from(power);
            ((t / u128::from(den)) as u64, (t % u128::from(den)) as u64)
        };
        quotient = quotient * u128::from(power) + u128::from(digits);
        rest = left;
        scale += step;
    }
    if rest != 0 {
        let twice = u128::from(rest) * 2;
        if twice > u128::from(den) || (twice == u128::from(den) && quotient & 1 == 1) {
            quotient += 1;
        }
    }
    // Trailing zeros dropped (normalized), in 64 bits where the quotient fits them.
    if let Ok(mut small) = u64::try_from(quotient) {
        while scale > 0 && small % 10 == 0 {
            small /= 10;
            scale -= 1;
        }
        quotient = u128::from(small);
    }
    while scale > 0 && rem10(quotient) == 0 {
        quotient /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(i128::try_from(quotient).ok()?, scale).ok()
}

/// `x % 10` in 64-bit steps (2^64 = 6 mod 10): most quotients end in another digit, and this
/// tells it without a 128-bit division.
fn rem10(x: u128) -> u64 {
    let (high, low) = ((x >> 64) as u64, x as u64);
    ((high % 10) * 6 + low % 10) % 10
}

/// `d * 100` as `rust_decimal` multiplies: the mantissa times 100 at the same scale while it
/// fits 96 bits, else exactly as many trailing decimals dropped as it takes to fit (they are
/// zeros: no rounding). `None` when the product is beyond a decimal.
pub(crate) fn times_hundred(d: Decimal) -> Option<Decimal> {
    let scale = d.scale();
    let mut product = d.mantissa().unsigned_abs() * 100;
    let mut dropped = 0;
    while product >> 96 != 0 {
        if dropped == scale {
            return None;
        }
        product /= 10;
        dropped += 1;
    }
    if product == 0 {
        return d.checked_mul(Decimal::ONE_HUNDRED);
    }
    let mantissa = i128::try_from(product).ok()?;
    let signed = if d.is_sign_negative() { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(signed, scale - dropped).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Same value, mantissa, scale and sign.
    fn same(a: Decimal, b: Decimal) -> bool {
        a.serialize() == b.serialize()
    }

    fn by_rust_decimal(num: i128, den: i128, scale: u32) -> Decimal {
        let n = Decimal::from_i128_with_scale(num, scale);
        let d = Decimal::from_i128_with_scale(den, scale);
        n.checked_div(d).unwrap().normalize()
    }

    /// Denominators of counts, of weight sums, and near the 32- and 64-bit edges.
    fn denominator() -> impl Strategy<Value = u64> {
        prop_oneof![
            1u64..50,
            1u64..100_000,
            1u64..=u64::from(u32::MAX),
            (u64::from(u32::MAX) - 5)..=(u64::from(u32::MAX) + 5),
            1u64..=u64::MAX,
            (u64::MAX - 5)..=u64::MAX,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn ratio_is_rust_decimals_quotient(den in denominator(), frac in 0.0f64..7.0, exact in any::<bool>(), scale in 0u32..5) {
            // A numerator up to 7 den; sometimes a share that ends (half, quarters, k / den).
            let num = if exact { u128::from(den) * (frac as u128) / 4 } else { (u128::from(den) as f64 * frac) as u128 };
            let num = num.min(7 * u128::from(den) - 1) as i128;
            let den = i128::from(den);
            if num < (1i128 << 96) && den < (1i128 << 96) {
                let got = ratio(num, den).unwrap();
                let want = by_rust_decimal(num, den, scale);
                prop_assert!(same(got, want), "{num} / {den}: {got} vs {want}");
            }
        }

        #[test]
        fn times_hundred_is_rust_decimals_product(mantissa in any::<i128>(), bits in 0u32..97, scale in 0u32..=28) {
            let m = if bits == 0 { 0 } else { mantissa % (1i128 << bits) };
            let d = Decimal::from_i128_with_scale(m, scale);
            match (d.checked_mul(Decimal::ONE_HUNDRED), times_hundred(d)) {
                (Some(want), Some(got)) => prop_assert!(same(got, want), "{d}: {got} vs {want}"),
                (want, got) => prop_assert_eq!(want, got, "{}", d),
            }
        }
    }

    /// Quotients exactly half-way between two 28-decimal values (denominators 2^29 and up,
    /// odd numerators), which the random property above rarely draws: rounded to even, as
    /// rust_decimal rounds them.
    #[test]
    fn ties_at_the_28th_decimal() {
        for a in 29..=63 {
            let den = 1i128 << a;
            for num in [1i128, 3, 5, 7, 9, 11, 1001, (1 << 20) + 1, den - 1, den + 1, 3 * den - 1, 5 * den + 3] {
                let got = ratio(num, den).unwrap();
                let want = by_rust_decimal(num, den, 0);
                assert!(same(got, want), "{num} / 2^{a}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn ratio_outside_its_range_is_left_to_rust_decimal() {
        assert_eq!(ratio(7, 1), None);
        assert_eq!(ratio(-1, 3), None);
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(1, 1 << 64), None);
        assert_eq!(ratio(0, 5).unwrap().to_string(), "0");
        assert_eq!(ratio(1, 3).unwrap().to_string(), "0.3333333333333333333333333333");
        assert_eq!(ratio(2, 3).unwrap().to_string(), "0.6666666666666666666666666667");
        assert_eq!(ratio(13, 4).unwrap().to_string(), "3.25");
        assert_eq!(ratio(5, 5).unwrap().to_string(), "1");
    }

    #[test]
    fn remainder_by_ten() {
        for x in [0u128, 9, 10, u128::from(u64::MAX), u128::from(u64::MAX) + 1, u128::MAX, 10u128.pow(30) + 7, (1 << 96) - 1] {
            assert_eq!(u128::from(rem10(x)), x % 10, "{x}");
        }
    }

    #[test]
    fn hundredfold_share() {
        let third = ratio(1, 3).unwrap();
        // One trailing zero kept: 10 x the mantissa fits 96 bits, 100 x does not.
        assert_eq!(times_hundred(third).unwrap().to_string(), "33.333333333333333333333333330");
        assert_eq!((third * Decimal::ONE_HUNDRED).to_string(), "33.333333333333333333333333330");
        assert_eq!(times_hundred(Decimal::new(875, 3)).unwrap().to_string(), "87.500");
        assert_eq!(times_hundred(Decimal::MAX), None);
    }
}
