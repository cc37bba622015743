//! Logistic regression with Firth's bias reduction (Firth 1993): Newton's
//! method on the log likelihood penalised by half the log determinant of
//! the Fisher information (Jeffreys' prior). It is the estimator King and
//! Zeng (2001) recommend for rare events in international-relations data:
//! it removes the small-sample bias of the rates, stays finite when a
//! feature separates the cases (no ally of an era took part), and does not
//! pull one group's rate toward another's, so a rare era keeps its own
//! rate. A saturated model gives each group (joined + ½) / (cases + 1).
//! A handful of features and a few hundred cases: a dense solve per step
//! is all it needs.

const STEPS: usize = 100;
/// Added to the information's diagonal but the intercept's: it keeps the
/// information invertible when a feature is constant on the cases (an era
/// with no case), whose coefficient then stays at 0, and moves nothing else.
const JITTER: f64 = 1e-6;
/// The largest change of a coefficient in one step (log-odds): Firth's
/// score can overshoot from the start when a group has no event.
const MAX_STEP: f64 = 5.0;

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Coefficients for the rows `x` (first column the intercept's 1) and outcomes `y`.
pub fn fit(x: &[Vec<f64>], y: &[bool]) -> Vec<f64> {
    let k = x.first().map_or(1, Vec::len);
    let mut beta = vec![0.0; k];
    for _ in 0..STEPS {
        let p: Vec<f64> = x.iter().map(|row| sigmoid(dot(row, &beta))).collect();
        let w: Vec<f64> = p.iter().map(|p| (p * (1.0 - p)).max(1e-12)).collect();
        // Fisher information XᵀWX and its inverse.
        let mut info = vec![vec![0.0; k]; k];
        for (row, &wi) in x.iter().zip(&w) {
            for i in 0..k {
                for j in 0..k {
                    info[i][j] += wi * row[i] * row[j];
                }
            }
        }
        for (i, row) in info.iter_mut().enumerate().skip(1) {
            row[i] += JITTER;
        }
        let Some(inverse) = invert(&info) else { break };
        // Firth's score: Xᵀ(y − p + h(½ − p)), h the hat matrix's diagonal.
        let mut score = vec![0.0; k];
        for ((row, (&pi, &wi)), &yi) in x.iter().zip(p.iter().zip(&w)).zip(y) {
            let h = wi * (0..k).map(|i| row[i] * dot(&inverse[i], row)).sum::<f64>();
            let r = f64::from(u8::from(yi)) - pi + h * (0.5 - pi);
            for (s, xi) in score.iter_mut().zip(row) {
                *s += xi * r;
            }
        }
        for (i, s) in score.iter_mut().enumerate().skip(1) {
            *s -= JITTER * beta[i];
        }
        let step: Vec<f64> = inverse.iter().map(|r| dot(r, &score)).collect();
        let size = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        let scale = if size > MAX_STEP { MAX_STEP / size } else { 1.0 };
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s * scale;
        }
        if size < 1e-10 {
            break;
        }
    }
    beta
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// The inverse of `a`, column by column; None when `a` is singular (a
/// feature constant over the cases, or a copy of another).
fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let columns: Vec<Vec<f64>> = (0..n)
        .map(|c| solve(a.to_vec(), (0..n).map(|r| f64::from(u8::from(r == c))).collect()))
        .collect::<Option<_>>()?;
    Some((0..n).map(|r| columns.iter().map(|col| col[r]).collect()).collect())
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

    fn rows(groups: &[(f64, usize, usize)]) -> (Vec<Vec<f64>>, Vec<bool>) {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for &(value, cases, joined) in groups {
            for i in 0..cases {
                x.push(vec![1.0, value]);
                y.push(i < joined);
            }
        }
        (x, y)
    }

    #[test]
    fn the_intercept_alone_is_the_rate_with_half_a_case_each_way() {
        let x = vec![vec![1.0]; 10];
        let y: Vec<bool> = (0..10).map(|i| i < 3).collect();
        let beta = fit(&x, &y);
        assert!((sigmoid(beta[0]) - 3.5 / 11.0).abs() < 1e-9, "{beta:?}");
    }

    #[test]
    fn a_binary_feature_gives_each_group_its_own_rate() {
        // 8 of 10 and 2 of 10: (8.5/11, 2.5/11), no pull of one toward the other.
        let (x, y) = rows(&[(1.0, 10, 8), (0.0, 10, 2)]);
        let beta = fit(&x, &y);
        let (low, high) = (sigmoid(beta[0]), sigmoid(beta[0] + beta[1]));
        assert!((low - 2.5 / 11.0).abs() < 1e-6 && (high - 8.5 / 11.0).abs() < 1e-6, "{low} {high}");
        // A small group keeps its rate beside a large one.
        let (x, y) = rows(&[(1.0, 4, 3), (0.0, 130, 0)]);
        let beta = fit(&x, &y);
        assert!((sigmoid(beta[0] + beta[1]) - 3.5 / 5.0).abs() < 1e-4, "{beta:?}");
    }

    #[test]
    fn perfect_separation_stays_finite() {
        let (x, y) = rows(&[(1.0, 5, 5), (0.0, 5, 0)]);
        let beta = fit(&x, &y);
        assert!(beta.iter().all(|b| b.is_finite()), "{beta:?}");
        assert!((sigmoid(beta[0]) - 0.5 / 6.0).abs() < 1e-6 && (sigmoid(beta[0] + beta[1]) - 5.5 / 6.0).abs() < 1e-6);
    }

    #[test]
    fn a_continuous_feature_is_fitted_close_to_its_true_slope() {
        // 400 cases on a grid where P = sigmoid(−1 + x): Firth's estimate on
        // so many cases is near maximum likelihood's, near the truth.
        let x: Vec<Vec<f64>> = (0..400).map(|i| vec![1.0, f64::from(i % 20) / 5.0 - 2.0]).collect();
        let y: Vec<bool> =
            x.iter().enumerate().map(|(i, r)| (i / 20) as f64 / 20.0 + 0.025 < sigmoid(-1.0 + r[1])).collect();
        let beta = fit(&x, &y);
        assert!((beta[0] + 1.0).abs() < 0.1 && (beta[1] - 1.0).abs() < 0.1, "{beta:?}");
    }

    #[test]
    fn a_constant_feature_adds_nothing() {
        let x = vec![vec![1.0, 1.0]; 10];
        let y: Vec<bool> = (0..10).map(|i| i < 3).collect();
        let beta = fit(&x, &y);
        assert!(beta[1].abs() < 1e-3, "{beta:?}");
        assert!((sigmoid(beta[0] + beta[1]) - 3.5 / 11.0).abs() < 1e-6, "{beta:?}");
        // A feature that is 0 everywhere (an era with no case) likewise.
        let x = vec![vec![1.0, 0.0]; 10];
        let beta = fit(&x, &y);
        assert!(beta[1] == 0.0 && (sigmoid(beta[0]) - 3.5 / 11.0).abs() < 1e-9, "{beta:?}");
    }

    #[test]
    fn solves_and_inverts_a_small_system() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
        let inv = invert(&[vec![2.0, 1.0], vec![1.0, 3.0]]).unwrap();
        let expected = [[0.6, -0.2], [-0.2, 0.4]];
        assert!(inv.iter().flatten().zip(expected.iter().flatten()).all(|(a, b)| (a - b).abs() < 1e-12), "{inv:?}");
    }
}
