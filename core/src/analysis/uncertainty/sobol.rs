//! Variance-based sensitivity indices from a Saltelli design (Saltelli et al. 2010): model
//! outputs on the rows of two independent sample matrices `A` and `B`, and on `A_B⁽ⁱ⁾`, `A` with
//! factor i's column taken from `B`.

use serde::Serialize;

/// First-order and total sensitivity indices of every factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SaltelliEstimate {
    /// The output's variance over the `A` and `B` runs together (divisor 2N).
    pub variance: f64,
    /// First-order index Sᵢ = (1/N) Σⱼ f(B)ⱼ (f(A_B⁽ⁱ⁾)ⱼ − f(A)ⱼ) / V (Saltelli 2010); `None`
    /// when the output does not vary.
    pub first_order: Vec<Option<f64>>,
    /// Total index S_Tᵢ = (1/2N) Σⱼ (f(A)ⱼ − f(A_B⁽ⁱ⁾)ⱼ)² / V (Jansen 1999); `None` when the
    /// output does not vary.
    pub total: Vec<Option<f64>>,
}

/// Estimates first-order and total indices from the outputs of a Saltelli design: `y_a[j]`,
/// `y_b[j]` and `y_ab[j × k + i]` (row j of `A_B⁽ⁱ⁾`), for `k` factors and N = `y_a.len()` rows.
/// Sums run in row order, so the estimate is reproducible bit for bit.
///
/// ```
/// use par_index::analysis::saltelli_indices;
/// // y = x₁ with two factors: A_B⁽¹⁾ is B (x₁ from B), A_B⁽²⁾ gives A's output again.
/// let (a, b) = (vec![0.1, 0.9, 0.4, 0.7], vec![0.8, 0.2, 0.6, 0.3]);
/// let ab: Vec<f64> = (0..4).flat_map(|j| [b[j], a[j]]).collect();
/// let e = saltelli_indices(&a, &b, &ab, 2);
/// assert!(e.total[0].unwrap() > 0.0);
/// assert_eq!((e.first_order[1], e.total[1]), (Some(0.0), Some(0.0))); // x₂ does nothing
/// ```
pub fn saltelli_indices(y_a: &[f64], y_b: &[f64], y_ab: &[f64], k: usize) -> SaltelliEstimate {
    let n = y_a.len().min(y_b.len()).min(y_ab.len().checked_div(k).unwrap_or(usize::MAX));
    let none = || SaltelliEstimate { variance: 0.0, first_order: vec![None; k], total: vec![None; k] };
    if n == 0 {
        return none();
    }
    let count = 2.0 * n as f64;
    let mean = (y_a[..n].iter().sum::<f64>() + y_b[..n].iter().sum::<f64>()) / count;
    let variance = y_a[..n].iter().chain(&y_b[..n]).map(|y| (y - mean) * (y - mean)).sum::<f64>() / count;
    if variance <= 0.0 || !variance.is_finite() {
        return SaltelliEstimate { variance: variance.max(0.0), ..none() };
    }
    let mut first_order = Vec::with_capacity(k);
    let mut total = Vec::with_capacity(k);
    for i in 0..k {
        let (mut s, mut st) = (0.0, 0.0);
        for j in 0..n {
            let ab = y_ab[j * k + i];
            s += y_b[j] * (ab - y_a[j]);
            st += (y_a[j] - ab) * (y_a[j] - ab);
        }
        first_order.push(Some(s / n as f64 / variance));
        total.push(Some(st / count / variance));
    }
    SaltelliEstimate { variance, first_order, total }
}
