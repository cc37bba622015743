//! Importance (§5): the provisions whose removal most lowers the
//! probability of reaching the top rung of the all-honoured cascade.
//!
//! Removing a provision sets the honour probability of all its expanded
//! commitments to 0. Only provisions with a commitment that reached a firing
//! decision in the baseline evaluation can matter; the others are skipped
//! (their drop is exactly 0). Each removal is evaluated with the baseline's
//! method: exactly when the baseline was exact and every removal tree fits
//! the leaf limit, otherwise everything (baseline included) by Monte Carlo
//! with the same seed, so each removal is compared on the same draws, and
//! P(reaching the rung) without it comes with its 95% interval. A baseline
//! that its own limit cut short still ranks up to the first
//! [`SAMPLED_CANDIDATE_LIMIT`] candidates, each removal drawing as many
//! samples as the baseline did (about the baseline's cost each), as many
//! as what is left of the scenario's share of the run's budget pays for. A
//! removal can also raise the probability (a commitment that fired early can
//! keep a later, higher one from firing); only drops are reported.

use super::probability::{Estimate, Evaluation, Interval, Method, Request};
use super::probability::{exact, monte_carlo};
use crate::model::Model;
use crate::vocabulary::{ProvisionId, RungId, ScenarioId};
use serde::Serialize;

/// How many provisions the ranking keeps.
pub const TOP: usize = 5;

/// The most provisions whose removal is evaluated (each removal is a whole
/// evaluation). Provisions that fired in the all-honoured cascade come
/// first, in order of firing, then the others in declaration order; those
/// beyond the limit are counted as skipped in the report.
pub const CANDIDATE_LIMIT: usize = 24;

/// The limit when removals are sampled (each costs a whole Monte Carlo run).
pub const SAMPLED_CANDIDATE_LIMIT: usize = 8;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Importance {
    pub provision: ProvisionId,
    /// P(reaching the rung) with every commitment of the provision removed.
    pub without: f64,
    /// Baseline P(reaching the rung) minus `without`.
    pub drop: f64,
    /// The 95% interval of `without` when the removals were sampled.
    pub interval: Option<Interval>,
}

/// What [`rank`] found.
pub struct Ranked {
    pub ranking: Vec<Importance>,
    /// Candidates left unevaluated.
    pub skipped: usize,
    /// Some were left for the work budget given, not for the limits here.
    pub cut: bool,
}

/// The ranking for reaching `rung`, given the scenario's baseline
/// evaluation and the provisions that fired when all were honoured (in
/// order of firing), with the candidates left unevaluated: within `work`
/// considerations for the removals (and a baseline sampled again), a
/// removal is evaluated only while what is left of the budget pays for it.
pub fn rank(
    model: &Model,
    scenario: ScenarioId,
    rung: RungId,
    baseline: &Evaluation,
    fired: &[ProvisionId],
    work: u64,
) -> Ranked {
    let request = Request { scenario, stop_at: Some(rung), paths: false };
    let p = model.probabilities();
    let relevant =
        |s: &ProvisionId| model.provision(*s).expanded.clone().any(|c| baseline.tally.relevant.contains(c as usize));
    let mut order: Vec<ProvisionId> = fired.iter().copied().filter(relevant).collect();
    order.extend((0..model.provisions.len() as u32).map(ProvisionId).filter(|s| relevant(s) && !fired.contains(s)));
    let skipped = order.len().saturating_sub(CANDIDATE_LIMIT);
    order.truncate(CANDIDATE_LIMIT);
    let candidates: Vec<(ProvisionId, Vec<f64>)> = order
        .into_iter()
        .map(|i| (i, model.provision(i)))
        .map(|(i, s)| {
            let mut without = p.clone();
            for c in s.expanded.clone() {
                without[c as usize] = 0.0;
            }
            (i, without)
        })
        .collect();

    let mut left = work;
    let exact_runs: Option<Vec<Evaluation>> = match baseline.method {
        Method::Exact { .. } => candidates
            .iter()
            .map(|(_, q)| match exact::explore_within(model, q, request, left) {
                Ok(run) => {
                    left = left.saturating_sub(run.tally.work);
                    Some(run)
                }
                Err(spent) => {
                    left = left.saturating_sub(spent);
                    None
                }
            })
            .collect(),
        Method::MonteCarlo { .. } => None,
    };
    let mut skipped = skipped;
    let mut cut = false;
    let (base, runs) = match exact_runs {
        Some(runs) => (reached(baseline, rung), runs),
        None => {
            let resampled;
            let base = match baseline.method {
                Method::MonteCarlo { .. } => baseline,
                Method::Exact { .. } => {
                    resampled = monte_carlo::sample_within(model, &p, request, model.settings.samples.max(1), left);
                    left = left.saturating_sub(resampled.tally.work);
                    &resampled
                }
            };
            // The removals are compared on the baseline's draws: as many
            // samples as it drew (all the work budget paid for, when it
            // ran out), each commitment's draw unchanged.
            let n = base.tally.weight as u64;
            // A baseline cut short still ranks what is left of the budget
            // pays for, so importance does not vanish with the model's size.
            let limit = SAMPLED_CANDIDATE_LIMIT.min(candidates.len());
            // Each removal costs about what the baseline did.
            let affordable = (left / base.tally.work.max(1)) as usize;
            cut = affordable < limit;
            let limit = limit.min(affordable);
            skipped += candidates.len().saturating_sub(limit);
            let sampled = candidates.iter().take(limit);
            (reached(base, rung), sampled.map(|(_, q)| monte_carlo::sample_n(model, q, request, n)).collect())
        }
    };
    let mut ranking: Vec<Importance> = candidates
        .iter()
        .zip(&runs)
        .map(|((provision, _), run)| {
            let without = reached(run, rung);
            Importance {
                provision: *provision,
                without: without.value,
                drop: base.value - without.value,
                interval: without.interval,
            }
        })
        // Exact sums can differ in the last bits without any real change.
        .filter(|i| i.drop > 1e-12)
        .collect();
    ranking.sort_by(|a, b| b.drop.total_cmp(&a.drop).then(a.provision.cmp(&b.provision)));
    ranking.truncate(TOP);
    Ranked { ranking, skipped, cut }
}

fn reached(evaluation: &Evaluation, rung: RungId) -> Estimate {
    let none = Estimate { value: 0.0, interval: None };
    evaluation.tally.probabilities(evaluation.method.clone()).reaches(rung).unwrap_or(none)
}

#[cfg(test)]
mod tests {
    use super::rank;
    use crate::analysis::probability::{Method, Request, monte_carlo};
    use crate::model::testing::{model, scenario};
    use crate::vocabulary::RungId;

    /// A baseline whose sampling stopped at its own limit (16 of 1,000
    /// samples) still ranks its removals while the budget left pays for
    /// them, each with its interval: importance no longer vanishes from
    /// about 12 actors on. With nothing left, none is ranked.
    #[test]
    fn a_baseline_cut_short_still_ranks_what_the_budget_left_pays_for() {
        let m = model(
            r#"
            settings { samples: 1000 }
            actor RUS actor EST actor USA
            commitment guard: USA defends EST { response: regional_war  credibility: 50% }
            scenario s { RUS attacks EST }
            "#,
        );
        let regional = RungId(m.settings.ladder.iter().position(|r| r == "regional_war").unwrap() as u32);
        let request = Request { scenario: scenario(&m, "s"), stop_at: Some(regional), paths: false };
        let base = monte_carlo::sample_within(&m, &m.probabilities(), request, 1000, 1);
        assert!(matches!(base.method, Method::MonteCarlo { samples, requested: 1000, .. } if samples < 1000));
        let guard = m.provision_named("guard").unwrap();
        let ranked = rank(&m, request.scenario, regional, &base, &[guard], 1_000_000);
        assert_eq!((ranked.ranking.len(), ranked.skipped, ranked.cut), (1, 0, false));
        let i = &ranked.ranking[0];
        assert_eq!((i.provision, i.without), (guard, 0.0));
        assert!(i.drop > 0.0 && i.interval.is_some(), "{i:?}");
        let broke = rank(&m, request.scenario, regional, &base, &[guard], 0);
        assert_eq!((broke.ranking.len(), broke.skipped, broke.cut), (0, 1, true));
    }
}
