//! Quantiles of the normal, Student t and beta distributions, to near machine precision.
//!
//! Written here rather than taken from a crate: `statrs` 0.19 needs Rust 1.89 (the workspace
//! supports 1.82) and pulls `nalgebra`; `puruspe` panics on out-of-range input and switches to a
//! quadrature approximation of the incomplete beta for large shapes. The methods are textbook:
//! Wichura's AS 241 for the normal quantile; the regularized incomplete beta by its continued
//! fraction (modified Lentz) with the Stirling-corrected log-beta of R's `lbeta` for large
//! shapes; beta and t quantiles by safeguarded Newton iteration on that function. Checked
//! against mpmath, scipy and R (see `scripts/reference/`, `core/tests/survey_dist.rs`).

// Published coefficients (AS 241, Lanczos) are kept digit for digit.
#![allow(clippy::excessive_precision)]

/// Standard normal quantile (Wichura 1988, AS 241 PPND16; relative error about 1e-16).
/// Returns `-inf` at 0, `+inf` at 1 and NaN outside [0, 1].
pub fn qnorm(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301227 + 33430.575583588128) * r
                + 67265.770927008700853)
                * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437721)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r
                + 39307.89580009271061)
                * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247510771)
                * r
                + 687.18700749205790895)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let mut r = if q < 0.0 { p } else { 1.0 - p };
    r = (-libm::log(r)).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        (((((((r * 7.7454501427834140764e-4 + 0.022723844989269184583) * r
            + 0.24178072517745061177)
            * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
                + 0.0151986665636164572)
                * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757887e-5) * r
            + 0.0012426609473880784386)
            * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458872e-7) * r
                + 1.8463183175100546819e-5)
                * r
                + 7.868691311456132591e-4)
                * r
                + 0.014875361290850614852)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// Lanczos approximation of ln Γ(x) for x > 0 (g = 607/128, 15 terms; relative error ~1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 607.0 / 128.0;
    const C: [f64; 15] = [
        0.9999999999999971,
        57.15623566586292,
        -59.59796035547549,
        14.136097974741746,
        -0.4919138160976202,
        3.399464998481189e-5,
        4.652362892704858e-5,
        -9.837447530487956e-5,
        1.580887032249125e-4,
        -2.102644417241049e-4,
        2.1743961811521265e-4,
        -1.643181065367639e-4,
        8.441822398385275e-5,
        -2.619083840158141e-5,
        3.6899182659531624e-6,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
        let s = libm::sin(std::f64::consts::PI * x);
        return libm::log(std::f64::consts::PI / s.abs()) - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * libm::log(2.0 * std::f64::consts::PI) + (x + 0.5) * libm::log(t) - t + libm::log(a)
}

/// Stirling series remainder: ln Γ(x) - [(x - 1/2) ln x - x + ln √(2π)], for x ≥ 10.
fn lgamma_correction(x: f64) -> f64 {
    let x2 = 1.0 / (x * x);
    (1.0 / 12.0
        + x2 * (-1.0 / 360.0
            + x2 * (1.0 / 1260.0
                + x2 * (-1.0 / 1680.0
                    + x2 * (1.0 / 1188.0
                        + x2 * (-691.0 / 360360.0
                            + x2 * (1.0 / 156.0 + x2 * (-3617.0 / 122400.0))))))))
        / x
}

/// ln B(a, b), accurate for large shapes (the method of R's `lbeta`).
fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    const LN_SQRT_2PI: f64 = 0.9189385332046728;
    if p >= 10.0 {
        let corr = lgamma_correction(p) + lgamma_correction(q) - lgamma_correction(p + q);
        libm::log(q) * -0.5
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * libm::log(p / (p + q))
            + q * libm::log1p(-p / (p + q))
    } else if q >= 10.0 {
        let corr = lgamma_correction(q) - lgamma_correction(p + q);
        ln_gamma(p) + corr + p - p * libm::log(p + q) + (q - 0.5) * libm::log1p(-p / (p + q))
    } else {
        ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)
    }
}

/// Continued fraction of the incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..100000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= 1e-16 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta I_x(a, b) and its complement 1 - I_x(a, b), each computed
/// directly where it is the small one, so that both keep their relative precision. `lb` is
/// ln B(a, b) (computed once per quantile search: three log-gammas).
fn inc_beta(a: f64, b: f64, x: f64, lb: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    let ln_front = a * libm::log(x) + b * libm::log1p(-x) - lb;
    if x < (a + 1.0) / (a + b + 2.0) {
        let v = libm::exp(ln_front) * beta_cf(a, b, x) / a;
        (v, 1.0 - v)
    } else {
        let v = libm::exp(ln_front) * beta_cf(b, a, 1.0 - x) / b;
        (1.0 - v, v)
    }
}

/// Density of Beta(a, b) at x in (0, 1); `lb` is ln B(a, b).
fn beta_pdf(a: f64, b: f64, x: f64, lb: f64) -> f64 {
    libm::exp((a - 1.0) * libm::log(x) + (b - 1.0) * libm::log1p(-x) - lb)
}

/// Solves I_x(a, b) = p (or, with `upper`, 1 - I_x(a, b) = p) for x in [0, 1] by Newton steps
/// kept inside a shrinking bracket (bisection when a step leaves it).
fn beta_solve(p: f64, a: f64, b: f64, upper: bool) -> f64 {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite())
        || p.is_nan()
        || !(0.0..=1.0).contains(&p)
    {
        return f64::NAN;
    }
    if p == 0.0 {
        return if upper { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if upper { 0.0 } else { 1.0 };
    }
    let lb = ln_beta(a, b);
    let f = |x: f64| {
        let (i, c) = inc_beta(a, b, x, lb);
        if upper {
            p - c
        } else {
            i - p
        }
    };
    // f is increasing in x in both cases.
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    // Start from a normal approximation to the beta, clamped inside (0, 1).
    let mean = a / (a + b);
    let sd = (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt();
    let z = qnorm(if upper { 1.0 - p } else { p });
    let mut x = (mean + z * sd).clamp(1e-3 * mean, 1.0 - 1e-3 * (1.0 - mean));
    if !(x > 0.0 && x < 1.0) {
        x = 0.5;
    }
    for _ in 0..400 {
        let fx = f(x);
        if fx == 0.0 {
            return x;
        }
        if fx < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let d = beta_pdf(a, b, x, lb);
        // Halley's step (f' is the density, f''/f' = (a-1)/x - (b-1)/(1-x)), Newton's when
        // the correction is large.
        let mut next = if d > 0.0 && d.is_finite() {
            let newton = fx / d;
            let denom = 1.0 - 0.5 * newton * ((a - 1.0) / x - (b - 1.0) / (1.0 - x));
            if denom > 0.5 && denom < 2.0 {
                x - newton / denom
            } else {
                x - newton
            }
        } else {
            f64::NAN
        };
        if !(next > lo && next < hi) {
            // Bisect, geometrically when the bracket spans many magnitudes near 0 or 1.
            next = if lo > 0.0 && hi / lo > 1e3 {
                (lo * hi).sqrt()
            } else if hi < 1.0 && lo < 1.0 && (1.0 - lo) / (1.0 - hi) > 1e3 {
                1.0 - ((1.0 - lo) * (1.0 - hi)).sqrt()
            } else if lo == 0.0 {
                hi * 1e-3
            } else {
                0.5 * (lo + hi)
            };
        }
        let step = (next - x).abs();
        x = next;
        // Converged when the step is below a few ulps of x (relative precision near 0; near 1
        // nothing finer than an ulp exists), or the bracket has closed.
        if step <= 2.0 * f64::EPSILON * x || hi - lo <= f64::EPSILON * lo {
            break;
        }
    }
    x
}

/// Beta(a, b) quantile: the x with P(X ≤ x) = p. NaN for invalid shapes or p outside [0, 1].
pub fn qbeta(p: f64, a: f64, b: f64) -> f64 {
    if p > 0.5 {
        beta_solve(1.0 - p, a, b, true)
    } else {
        beta_solve(p, a, b, false)
    }
}

/// Student t quantile with `df` degrees of freedom (df > 0, non-integer allowed; NaN
/// otherwise). Uses the relation of the t tail to the incomplete beta I_y(1/2, df/2).
pub fn qt(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || !(0.0..=1.0).contains(&p) || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() || df > 1e20 {
        return qnorm(p);
    }
    if p == 0.5 {
        return 0.0;
    }
    let tail = p.min(1.0 - p);
    if tail == 0.0 {
        return if p < 0.5 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2) = 1 - y. Solve for whichever of x
    // and y is small, so that it keeps its relative precision.
    // A normal approximation picks the form: y = t^2 / (df + t^2) below 1/2 means t is moderate.
    let z = qnorm(tail);
    let t = if z * z / (df + z * z) < 0.4 {
        let y = beta_solve(2.0 * tail, 0.5, 0.5 * df, true);
        (df * y / (1.0 - y)).sqrt()
    } else {
        let x = beta_solve(2.0 * tail, 0.5 * df, 0.5, false);
        (df * (1.0 - x) / x).sqrt()
    };
    if p < 0.5 {
        -t
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn normal_quantiles() {
        assert!(close(qnorm(0.975), 1.959963984540054, 1e-15));
        assert!(close(qnorm(0.025), -1.959963984540054, 1e-15));
        assert!(close(qnorm(1e-10), -6.361340902404056, 1e-14));
    }

    #[test]
    fn t_quantiles_match_r() {
        // R: qt(0.975, c(1, 2, 5, 30, 1000))
        assert!(close(qt(0.975, 1.0), 12.70620473617469, 1e-13));
        assert!(close(qt(0.975, 2.0), 4.302652729749464, 1e-13));
        assert!(close(qt(0.975, 5.0), 2.570581835636314, 1e-13));
        assert!(close(qt(0.975, 30.0), 2.042272456301238, 1e-13));
        assert!(close(qt(0.975, 1000.0), 1.9623390808264076, 1e-13));
        assert!(close(qt(0.025, 30.0), -2.042272456301238, 1e-13));
    }

    #[test]
    fn beta_quantiles() {
        // Clopper-Pearson 96 of 100 (scipy beta.ppf(0.025, 96, 5), beta.isf(0.025, 97, 4)).
        let lo = qbeta(0.025, 96.0, 5.0);
        let hi = qbeta(0.975, 97.0, 4.0);
        assert!((lo - 0.9007428432873401).abs() < 1e-13, "{lo}");
        assert!((hi - 0.9889955060138118).abs() < 1e-13, "{hi}");
        // mpmath (40 digits): 0.034253270843534889; scipy is off by 2.7e-13 here.
        assert!((qbeta(0.975, 1000.0, 30000.0) - 0.03425327084353489).abs() < 1e-15);
        assert!(qbeta(0.5, -1.0, 1.0).is_nan());
    }
}
