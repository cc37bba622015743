//! Scores of probabilistic predictions of a yes/no outcome (docs/backtest.md
//! defines each one): Brier score and its skill over the base rate, log
//! loss, ROC AUC, precision/recall/F1 at a threshold, and a reliability
//! table.

use serde::Serialize;

/// Probabilities are clipped to `[EPSILON, 1 − EPSILON]` for the log loss,
/// so that a 0/1 predictor's confident misses cost ln(1000) ≈ 6.9 each
/// instead of infinity.
pub const EPSILON: f64 = 1e-3;

/// Upper edges of the reliability table's bins; the first bin is the
/// exact zeros, which a treaty-reading model gives most pairs.
pub const BINS: [f64; 8] = [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1.0];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    pub pairs: usize,
    pub joiners: usize,
    pub base_rate: f64,
    pub brier: f64,
    /// 1 − Brier / (base rate × (1 − base rate)): above 0 beats always
    /// saying the base rate of these pairs.
    pub brier_skill: f64,
    pub log_loss: f64,
    /// None when the pairs hold only one class.
    pub roc_auc: Option<f64>,
    pub at_half: Confusion,
    pub at_threshold: Confusion,
}

/// Counts and rates at one decision threshold (predict "joins" when p >= t).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confusion {
    pub threshold: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub pairs: usize,
    pub mean_predicted: f64,
    pub observed: f64,
}

/// Scores of `(p, joined)` pairs; `threshold` is the documented decision
/// threshold besides 0.5.
pub fn score(pairs: &[(f64, bool)], threshold: f64) -> Scores {
    let n = pairs.len();
    let joiners = pairs.iter().filter(|(_, y)| *y).count();
    let nf = n.max(1) as f64;
    let base_rate = joiners as f64 / nf;
    let brier = pairs.iter().map(|&(p, y)| (p - f64::from(u8::from(y))).powi(2)).sum::<f64>() / nf;
    let reference = base_rate * (1.0 - base_rate);
    let brier_skill = if reference > 0.0 { 1.0 - brier / reference } else { 0.0 };
    let log_loss = pairs
        .iter()
        .map(|&(p, y)| {
            let p = p.clamp(EPSILON, 1.0 - EPSILON);
            -(if y { p.ln() } else { (1.0 - p).ln() })
        })
        .sum::<f64>()
        / nf;
    Scores {
        pairs: n,
        joiners,
        base_rate,
        brier,
        brier_skill,
        log_loss,
        roc_auc: roc_auc(pairs),
        at_half: confusion(pairs, 0.5),
        at_threshold: confusion(pairs, threshold),
    }
}

/// The probability that a random joiner gets a higher p than a random
/// non-joiner, ties counting one half (Mann-Whitney U over n₁·n₀).
pub fn roc_auc(pairs: &[(f64, bool)]) -> Option<f64> {
    let positives = pairs.iter().filter(|(_, y)| *y).count();
    let negatives = pairs.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the positives' ranks, tied groups taking their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * sorted[i..=j].iter().filter(|(_, y)| *y).count() as f64;
        i = j + 1;
    }
    let (p, q) = (positives as f64, negatives as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * q))
}

pub fn confusion(pairs: &[(f64, bool)], threshold: f64) -> Confusion {
    let decided: Vec<(f64, bool, f64)> = pairs.iter().map(|&(p, y)| (p, y, threshold)).collect();
    confusion_each(&decided, threshold)
}

/// [`confusion`] with each pair's own threshold `(p, joined, threshold)`
/// (out-of-fold runs decide each war at its fold's threshold);
/// `threshold` is the one reported.
pub fn confusion_each(pairs: &[(f64, bool, f64)], threshold: f64) -> Confusion {
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for &(p, y, t) in pairs {
        match (p >= t, y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            (false, false) => {}
        }
    }
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    let f1 = ratio(2 * tp, 2 * tp + fp + fneg);
    Confusion { threshold, true_positives: tp, false_positives: fp, false_negatives: fneg, precision, recall, f1 }
}

/// The threshold among 0.05, 0.10, …, 0.95 whose "joins when p ≥ t" has
/// the best F1 on `pairs` ([`confusion`]); of equally good ones, the
/// middle one (a plateau is the span between two pairs' p, so its middle
/// is the choice least tied to either), and 0.5 when no pair joined.
/// `dtr calibrate` chooses its decision threshold so.
pub fn best_threshold(pairs: &[(f64, bool)]) -> f64 {
    let grid: Vec<f64> = (1..20).map(|i| f64::from(i) * 0.05).collect();
    let scores: Vec<f64> = grid.iter().map(|&t| confusion(pairs, t).f1.unwrap_or(0.0)).collect();
    let best = scores.iter().copied().fold(0.0, f64::max);
    if best == 0.0 {
        return 0.5;
    }
    let tied: Vec<f64> = grid.iter().zip(&scores).filter(|(_, s)| best - **s < 1e-12).map(|(t, _)| *t).collect();
    (tied[(tied.len() - 1) / 2] * 100.0).round() / 100.0
}

/// Predicted against observed by bin: `[0, 0]`, then `(edge, next edge]`.
pub fn reliability(pairs: &[(f64, bool)]) -> Vec<Bin> {
    let mut bins: Vec<Bin> = BINS
        .iter()
        .enumerate()
        .map(|(i, &high)| Bin {
            low: if i == 0 { 0.0 } else { BINS[i - 1] },
            high,
            pairs: 0,
            mean_predicted: 0.0,
            observed: 0.0,
        })
        .collect();
    for &(p, y) in pairs {
        let i = BINS.iter().position(|&high| p <= high).unwrap_or(BINS.len() - 1);
        let b = &mut bins[i];
        b.pairs += 1;
        b.mean_predicted += p;
        b.observed += f64::from(u8::from(y));
    }
    for b in &mut bins {
        if b.pairs > 0 {
            b.mean_predicted /= b.pairs as f64;
            b.observed /= b.pairs as f64;
        }
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_as_half_and_orders_as_mann_whitney() {
        assert_eq!(roc_auc(&[(0.9, true), (0.1, false)]), Some(1.0));
        assert_eq!(roc_auc(&[(0.1, true), (0.9, false)]), Some(0.0));
        assert_eq!(roc_auc(&[(0.0, true), (0.0, false), (0.0, false)]), Some(0.5));
        // Positives 0.8, 0.3; negatives 0.5, 0.3, 0.1: pairs won 3 + 0.5 + 1 of 6.
        let p = [(0.8, true), (0.3, true), (0.5, false), (0.3, false), (0.1, false)];
        assert_eq!(roc_auc(&p), Some(4.5 / 6.0));
        assert_eq!(roc_auc(&[(0.3, false)]), None);
    }

    #[test]
    fn brier_skill_is_zero_for_the_base_rate_and_one_for_a_perfect_forecast() {
        let base = [(0.25, true), (0.25, false), (0.25, false), (0.25, false)];
        let s = score(&base, 0.5);
        assert!((s.brier - 0.1875).abs() < 1e-12 && s.brier_skill.abs() < 1e-12);
        let perfect = [(1.0, true), (0.0, false), (0.0, false), (0.0, false)];
        let s = score(&perfect, 0.5);
        assert_eq!((s.brier, s.brier_skill), (0.0, 1.0));
        assert!((s.log_loss + (1.0 - EPSILON).ln()).abs() < 1e-12);
    }

    #[test]
    fn confusion_and_f1_at_a_threshold() {
        let p = [(0.6, true), (0.4, true), (0.45, false), (0.1, false), (0.7, false)];
        let c = confusion(&p, 0.5);
        assert_eq!((c.true_positives, c.false_positives, c.false_negatives), (1, 1, 1));
        assert_eq!((c.precision, c.recall, c.f1), (Some(0.5), Some(0.5), Some(0.5)));
        let c = confusion(&p, 0.4);
        assert_eq!((c.true_positives, c.false_positives), (2, 2));
        assert_eq!(c.f1, Some(4.0 / 6.0));
        let nobody = confusion(&[(0.0, true), (0.0, false)], 0.5);
        assert_eq!((nobody.precision, nobody.recall, nobody.f1), (None, Some(0.0), Some(0.0)));
    }

    #[test]
    fn reliability_bins_hold_zeros_apart_and_average_within() {
        let bins = reliability(&[(0.0, false), (0.0, true), (0.03, true), (0.04, false), (1.0, true)]);
        assert_eq!((bins[0].pairs, bins[0].observed), (2, 0.5));
        assert_eq!((bins[2].low, bins[2].high, bins[2].pairs), (0.02, 0.05, 2));
        assert!((bins[2].mean_predicted - 0.035).abs() < 1e-12);
        assert_eq!((bins[7].pairs, bins[7].observed), (1, 1.0));
    }

    #[test]
    fn the_threshold_is_the_middle_of_the_best_f1_plateau() {
        // Joiners at 0.9 and 0.42, non-joiners at 0.3 and 0.05: every t in
        // (0.3, 0.42] catches both joiners and no false alarm (F1 1);
        // 0.35 and 0.40 tie, the middle of the two is the first.
        let pairs = [(0.9, true), (0.42, true), (0.3, false), (0.05, false)];
        assert_eq!(best_threshold(&pairs), 0.35);
        // A joiner at 0.02 below every threshold: the best F1 (2/3) runs
        // from 0.35 to 0.90, whose middle is 0.60.
        let pairs = [(0.95, true), (0.02, true), (0.3, false)];
        assert_eq!(best_threshold(&pairs), 0.6);
        assert_eq!(best_threshold(&[(0.2, false)]), 0.5, "no joiner, no choice");
    }
}
