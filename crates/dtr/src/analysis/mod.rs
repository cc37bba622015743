//! Evaluation of a compiled model: escalation (§5) per scenario —
//! the all-honoured cascade, probabilities, paths, importance — deterrence
//! gaps (§6), and the `expect` checks. Everything here reads the
//! [`Model`] only and returns serialisable data; reports format it.

pub(crate) mod cascade;
pub(crate) mod condition;
pub(crate) mod escalation;
pub(crate) mod event;
pub mod expectations;
pub mod gaps;
pub mod importance;
pub mod paths;
pub mod probability;
pub mod sensitivity;
pub mod side;
pub mod sweep;
pub mod why;

pub use cascade::EVENT_LIMIT;
pub use cascade::rule::Stop;
pub use escalation::{Escalation, escalate};
pub use event::{Cause, Event};

use crate::model::Model;
use crate::vocabulary::ScenarioId;
use expectations::ExpectationResult;
use gaps::Gap;
use importance::Importance;
use paths::{BestPaths, Path, RungPath};
use probability::{Probabilities, Request};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub scenarios: Vec<ScenarioAnalysis>,
    pub gaps: Vec<Gap>,
    pub expectations: Vec<ExpectationResult>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioAnalysis {
    pub scenario: ScenarioId,
    pub escalation: Escalation,
    pub probabilities: Probabilities,
    /// The most probable entry path of every actor that can enter, by actor.
    pub paths: Vec<Path>,
    /// The most probable chain of firings to each rung above the openings'
    /// that some cascade reaches, lowest rung first.
    pub rung_paths: Vec<RungPath>,
    /// For the top rung of the all-honoured cascade.
    pub importance: Vec<Importance>,
    /// Relevant provisions whose removal was not evaluated
    /// ([`importance::CANDIDATE_LIMIT`]).
    pub importance_skipped: usize,
    /// The scenario's share of the run's work budget ([`RUN_WORK_LIMIT`]),
    /// when it cut the evaluation or the importance ranking short.
    pub budget_share: Option<u64>,
    /// Why each actor that holds a commitment enters or stays out; None
    /// beyond [`why::WORK_LIMIT`].
    pub why: Option<Vec<why::Why>>,
}

/// The most commitment considerations one analysis spends over all its
/// scenarios together: each scenario gets an equal share (so the results
/// do not depend on the order or the threads the scenarios run on), within
/// which its exact walk, Monte Carlo sampling and importance ranking each
/// keep their own limits. A file of 21 heavy scenarios (40 actors, 1,560
/// plans) took 17.5 s of CPU; one scenario alone may spend up to 14 million
/// considerations on its probabilities, and its removals more. Up to four
/// scenarios keep those 14 million each.
pub const RUN_WORK_LIMIT: u64 = 56_000_000;

/// Analyses every scenario (or only `scenarios`, in declaration order), the
/// gaps of every threat, and the expectations that can be checked against
/// them (those about a scenario not analysed are left out).
pub fn analyze(model: &Model, scenarios: Option<&[ScenarioId]>) -> Analysis {
    let ids: Vec<ScenarioId> = match scenarios {
        Some(ids) => {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        None => (0..model.scenarios.len() as u32).map(ScenarioId).collect(),
    };
    let count = ids.len().max(1) as u64;
    let scenarios: Vec<ScenarioAnalysis> = ids
        .into_par_iter()
        .filter(|id| id.index() < model.scenarios.len())
        .map(|id| analyze_scenario(model, id, RUN_WORK_LIMIT / count))
        .collect();
    let gaps = gaps::gaps(model);
    let expectations = expectations::check(model, &scenarios, &gaps);
    Analysis { scenarios, gaps, expectations }
}

/// One scenario, within `share` considerations of work.
pub fn analyze_scenario(model: &Model, scenario: ScenarioId, share: u64) -> ScenarioAnalysis {
    let escalation = escalation::escalate(model, scenario);
    let p = model.probabilities();
    let (evaluation, mut cut) =
        probability::evaluate_within(model, &p, Request { scenario, stop_at: None, paths: true }, share);
    let probabilities = evaluation.tally.probabilities(evaluation.method.clone());
    let mut fired: Vec<crate::vocabulary::ProvisionId> = Vec::new();
    for e in &escalation.events {
        if let event::Cause::Firing { commitment, .. } = e.cause {
            let provision = model.commitment(commitment).provision;
            if !fired.contains(&provision) {
                fired.push(provision);
            }
        }
    }
    let left = share.saturating_sub(evaluation.tally.work);
    let (importance, importance_skipped) = match escalation.top_rung {
        Some(top) => {
            let ranked = importance::rank(model, scenario, top, &evaluation, &fired, left);
            cut |= ranked.cut;
            (ranked.ranking, ranked.skipped)
        }
        None => (Vec::new(), 0),
    };
    // The all-honoured cascade is one of the possible cascades; Monte Carlo
    // may not have drawn it. Its weight is counted where it was drawn.
    let mut paths = BestPaths::new(model.actors.len());
    paths.observe(&escalation.events, &p, 0.0);
    paths.merge(evaluation.paths);
    let budget_share = cut.then_some(share);
    // The openings reach theirs, and the rungs below, with certainty.
    let opened = model.scenarios.get(scenario.index()).and_then(|s| s.openings.iter().map(|o| o.rung).max());
    let mut rung_paths = paths.take_rung_paths(evaluation.tally.weight);
    rung_paths.retain(|r| Some(r.rung) > opened);
    let paths = paths.into_paths(evaluation.tally.weight);
    let why = why::explain(model, &escalation, &paths);
    ScenarioAnalysis {
        scenario,
        escalation,
        probabilities,
        paths,
        rung_paths,
        importance,
        importance_skipped,
        budget_share,
        why,
    }
}
