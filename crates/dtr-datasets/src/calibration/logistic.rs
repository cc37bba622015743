//! Logistic regression by iteratively reweighted least squares (Newton's
//! method on the log likelihood), with a small ridge penalty on every
//! coefficient but the intercept so that a feature that separates the
//! cases perfectly still gets a finite coefficient. A handful of features
//! and a few hundred cases: a dense solve per step is all it needs.

/// Ridge penalty (on the log likelihood's scale).
const RIDGE: f64 = 0.5;
const STEPS: usize = 50;

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Coefficients for the rows `x` (first column the intercept's 1) and outcomes `y`.
pub fn fit(x: &[Vec<f64>], y: &[bool]) -> Vec<f64> {
    let k = x.first().map_or(1, Vec::len);
    let mut beta = vec![0.0; k];
    for _ in 0..STEPS {
        // Gradient g = Xᵀ(y − p) − λβ and Hessian H = XᵀWX + λI (negated).
        let mut g = vec![0.0; k];
        let mut h = vec![vec![0.0; k]; k];
        for (row, &yi) in x.iter().zip(y) {
            let p = sigmoid(row.iter().zip(&beta).map(|(a, b)| a * b).sum());
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..k {
                g[i] += row[i] * (f64::from(u8::from(yi)) - p);
                for j in 0..k {
                    h[i][j] += w * row[i] * row[j];
                }
            }
        }
        for i in 1..k {
            g[i] -= RIDGE * beta[i];
            h[i][i] += RIDGE;
        }
        let Some(step) = solve(h, g) else { break };
        let size: f64 = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        if size < 1e-10 {
            break;
        }
    }
    beta
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; None
/// when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col].clone();
        for r in col + 1..n {
            let factor = a[r][col] / pivot_row[col];
            for (x, p) in a[r][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= factor * p;
            }
            b[r] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let tail: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - tail) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intercept_alone_is_the_log_odds_of_the_rate() {
        let x = vec![vec![1.0]; 10];
        let y: Vec<bool> = (0..10).map(|i| i < 3).collect();
        let beta = fit(&x, &y);
        assert!((sigmoid(beta[0]) - 0.3).abs() < 1e-9, "{beta:?}");
    }

    #[test]
    fn a_binary_feature_recovers_the_two_rates_up_to_the_ridge() {
        // Rate 0.8 when x = 1 (10 cases), 0.2 when x = 0 (10 cases): on so
        // few cases the ridge pulls the two rates to about 0.29 and 0.71.
        let x: Vec<Vec<f64>> = (0..20).map(|i| vec![1.0, f64::from(u8::from(i < 10))]).collect();
        let y: Vec<bool> = (0..20).map(|i| if i < 10 { i < 8 } else { i < 12 }).collect();
        let beta = fit(&x, &y);
        let (low, high) = (sigmoid(beta[0]), sigmoid(beta[0] + beta[1]));
        assert!((low - 0.29).abs() < 0.01 && (high - 0.71).abs() < 0.01, "{low} {high}");
        assert!((low + high - 1.0).abs() < 1e-9, "symmetric data, symmetric fit");
        // Ten times the cases: the ridge matters ten times less.
        let x10: Vec<Vec<f64>> = x.iter().cycle().take(200).cloned().collect();
        let y10: Vec<bool> = y.iter().cycle().take(200).copied().collect();
        let beta = fit(&x10, &y10);
        assert!((sigmoid(beta[0]) - 0.2).abs() < 0.02, "{beta:?}");
    }

    #[test]
    fn perfect_separation_stays_finite() {
        let x: Vec<Vec<f64>> = (0..10).map(|i| vec![1.0, f64::from(u8::from(i < 5))]).collect();
        let y: Vec<bool> = (0..10).map(|i| i < 5).collect();
        let beta = fit(&x, &y);
        assert!(beta.iter().all(|b| b.is_finite()) && beta[1] > 2.0, "{beta:?}");
    }

    #[test]
    fn solves_a_small_system() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
    }
}
