//! `dtr backtest`: the imported record scored against the wars that
//! happened (docs/backtest.md). For each war: the catalogue of the day
//! before it began, the opening attack of [`super::wars`] as the only
//! scenario, the library's analysis (`dtr analyze`'s report, read for each
//! actor's P(enters) and side), and every other state in the system as a
//! pair whose outcome is whether it took part.
//!
//! Wars are evaluated in parallel; every result depends only on the data
//! and the options (the analysis's Monte Carlo seed is the model's), so
//! the output is the same on any number of threads.

pub mod csv;
mod data;
pub mod metrics;
mod request;

use super::atop::{Coverage, Loaded};
use super::calibration::{self, Calibration, Case, Cases, Context};
use super::wars::{Era, War};
pub use data::{Data, Refused, load};
pub use dtr::analysis::side::Side;
use dtr::analysis::{self, Analysis};
use dtr::vocabulary::ScenarioId;
use metrics::{Bin, Scores};
use rayon::prelude::*;
pub use request::{Backtest, Calibrating, Files, Request, calibrate, calibrate_command, evaluate};
use serde::Serialize;

/// The version of the JSON report; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// Leeds, Long and Mitchell (2000): allies honoured their commitments in
/// 74.5% of the cases that called for them.
pub const LEEDS_RATE: f64 = 0.745;

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Monte Carlo samples per war when the exact method is too large.
    pub samples: u64,
}

/// One state in the system, not an opener, in one war.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    pub ccode: u32,
    pub state: String,
    /// P(enters) from the analysis.
    pub p: f64,
    /// The side the analysis gives it (None when it cannot enter, or no side is known).
    pub side: Option<Side>,
    pub joined: bool,
    /// The side it fought on, if it took part.
    pub joined_side: Option<Side>,
    /// It owed the target a defence on the day before (the baselines' reading).
    pub defence_ally: bool,
}

/// One war's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarRun {
    pub number: u32,
    pub name: String,
    pub start: String,
    pub era: Era,
    pub initiator: u32,
    pub target: u32,
    pub pairs: Vec<Pair>,
    /// Participants other than the openers that were not in the system
    /// on the day before (so no pair holds them).
    pub unscored: Vec<u32>,
    /// Why the war could not be evaluated (then `pairs` is empty).
    pub skipped: Option<String>,
    /// The decision threshold of the calibration the war was run with.
    pub threshold: f64,
}

/// Evaluates every war, in order; `done` is called once per war as it
/// finishes (for a progress bar).
/// `calibrations[i]` is the calibration the catalogue of war `i` is
/// written with (None: every provision at 100%), and `thresholds[i]` its
/// decision threshold.
pub fn run(
    loaded: &Loaded,
    wars: &[War],
    calibrations: &[Option<&Calibration>],
    options: Options,
    done: &(dyn Fn() + Sync),
) -> Vec<WarRun> {
    wars.par_iter()
        .enumerate()
        .map(|(i, w)| {
            let run = run_war(loaded, w, calibrations.get(i).copied().flatten(), options);
            done();
            run
        })
        .collect()
}

/// The calibration's training cases in `wars`: every state that owes the
/// target a defence on the day before (under its smallest such alliance),
/// and whether it took part and holds a promise toward the initiator; every other state in the system that is a
/// major power or the target's neighbour (the entry model's cases, with no
/// treaty); the major powers and neighbours of the initiator that owe it no
/// defence (the beside model's); the states that owe the initiator a
/// defence and the target none (the provoked model's); and the number of
/// joiners no case holds.
pub fn cases(loaded: &Loaded, wars: &[(usize, &War)]) -> Cases {
    let mut all = Cases::default();
    for &(i, war) in wars {
        let day = war.start.previous();
        let allies = loaded.defence_allies(war.target, day);
        let owes_the_target = |state: u32| allies.binary_search_by_key(&state, |t| t.ally).is_ok();
        let promisers = loaded.promisers(war.initiator, day);
        for tie in allies.iter().filter(|t| t.ally != war.initiator) {
            let joined = war.participant(tie.ally).is_some();
            let promised = promisers.binary_search(&tie.ally).is_ok();
            all.treaty.push(Case { context: Context::of_tie(tie, day.year), joined, war: i, promised });
        }
        for state in loaded.states_on(day) {
            if state == war.initiator || state == war.target || owes_the_target(state) {
                continue;
            }
            let context = Context::untied(state, war.target, day.year);
            if calibration::entry_candidate(&context) {
                // Against the opener only: the beside model counts those that fought with it.
                let joined = war.participant(state).is_some_and(|p| p.side != war.opener_side());
                all.untied.push(Case { context, joined, war: i, promised: false });
            } else if war.participant(state).is_some() {
                all.others += 1;
            }
        }
        let owed = loaded.defence_allies(war.initiator, day);
        for tie in owed.iter().filter(|t| t.ally != war.target && !owes_the_target(t.ally)) {
            let joined = war.participant(tie.ally).is_some_and(|p| p.side == war.opener_side());
            all.provoked.push(Case { context: Context::of_tie(tie, day.year), joined, war: i, promised: false });
        }
        for state in loaded.states_on(day) {
            if state == war.initiator || state == war.target || owed.binary_search_by_key(&state, |t| t.ally).is_ok() {
                continue;
            }
            let context = Context::beside(state, war.initiator, day.year);
            if calibration::entry_candidate(&context) {
                let joined = war.participant(state).is_some_and(|p| p.side == war.opener_side());
                all.beside.push(Case { context, joined, war: i, promised: false });
            }
        }
    }
    all
}

pub fn run_war(loaded: &Loaded, war: &War, calibration: Option<&Calibration>, options: Options) -> WarRun {
    let mut run = WarRun {
        number: war.number,
        name: war.name.clone(),
        start: war.start.to_string(),
        era: war.era(),
        initiator: war.initiator,
        target: war.target,
        pairs: Vec::new(),
        unscored: Vec::new(),
        skipped: None,
        threshold: calibration.map_or(0.5, |c| c.threshold),
    };
    match pairs(loaded, war, calibration, options) {
        Ok((pairs, unscored)) => {
            run.pairs = pairs;
            run.unscored = unscored;
        }
        Err(why) => run.skipped = Some(why),
    }
    run
}

fn pairs(
    loaded: &Loaded,
    war: &War,
    calibration: Option<&Calibration>,
    options: Options,
) -> Result<(Vec<Pair>, Vec<u32>), String> {
    let day = war.start.previous();
    let in_system = loaded.states_on(day);
    for opener in [war.initiator, war.target] {
        if in_system.binary_search(&opener).is_err() {
            return Err(format!("the opener {opener} is not a COW state on {day}"));
        }
    }
    let code = |c: u32| loaded.actor_code(c).map(str::to_string).ok_or(format!("state {c} has no actor code"));
    let (initiator, target) = (code(war.initiator)?, code(war.target)?);
    let import = loaded.catalogue_calibrated(Coverage::Day(day), calibration).map_err(|p| p.to_string())?;
    let text = format!("{}\nscenario backtest {{ {initiator} attacks {target} }}\n", import.text);
    let checked = dtr::check_source("backtest.dtr", &text);
    if let Some(d) = checked.diagnostics.iter().find(|d| d.is_error()) {
        return Err(format!("the catalogue of {day} does not check: {} {}", d.code, d.message));
    }
    let mut model = dtr::compile(&checked.program);
    model.settings.samples = options.samples.max(1);
    let scenario = ScenarioId(model.scenarios.len() as u32 - 1);
    let analysis = Analysis {
        // One scenario a run: it has the run's whole work budget.
        scenarios: vec![analysis::analyze_scenario(&model, scenario, analysis::RUN_WORK_LIMIT)],
        gaps: Vec::new(),
        expectations: Vec::new(),
    };
    let report = dtr::report::build(&model, &analysis, &checked.sources);
    let actors = &report.scenarios[0].actors;
    // P(joins) unrounded: the report holds twelve places, and the ranking
    // (AUC) tells apart probabilities far smaller than that.
    let joins = |name: &str| {
        let actor = model.actor_named(name)?;
        analysis.scenarios[0].probabilities.enters(actor).map(|e| e.value)
    };
    let allies = loaded.defence_allies(war.target, day);
    let opener_side = war.opener_side();
    let pairs = in_system
        .iter()
        .filter(|&&c| c != war.initiator && c != war.target)
        .map(|&c| {
            let predicted = actors.iter().find(|a| a.cow == Some(c));
            let took_part = war.participant(c);
            Pair {
                ccode: c,
                state: loaded.actor_code(c).unwrap_or_default().to_string(),
                p: predicted.and_then(|a| joins(&a.actor)).unwrap_or(0.0),
                side: predicted.and_then(|a| a.side),
                joined: took_part.is_some(),
                joined_side: took_part.map(|p| if p.side == opener_side { Side::Opener } else { Side::Target }),
                defence_ally: allies.binary_search_by_key(&c, |t| t.ally).is_ok(),
            }
        })
        .collect();
    let unscored = war
        .participants
        .iter()
        .map(|p| p.ccode)
        .filter(|c| *c != war.initiator && *c != war.target && in_system.binary_search(c).is_err())
        .collect();
    Ok((pairs, unscored))
}

/// A way of predicting each pair: the analysis or a baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predictor {
    /// P(enters) and side from the analysis of the imported catalogue.
    Dtr,
    /// Nobody but the openers joins.
    Nobody,
    /// Every state that owes the target a defence joins, on its side.
    DefenceAllies,
    /// Those states join with probability 0.745 (Leeds, Long and Mitchell 2000).
    DefenceAlliesLeeds,
}

impl Predictor {
    pub const ALL: [Predictor; 4] =
        [Predictor::Dtr, Predictor::Nobody, Predictor::DefenceAllies, Predictor::DefenceAlliesLeeds];

    pub fn label(self) -> &'static str {
        match self {
            Predictor::Dtr => "dtr",
            Predictor::Nobody => "nobody joins",
            Predictor::DefenceAllies => "target's defence allies join",
            Predictor::DefenceAlliesLeeds => "they join at 74.5%",
        }
    }

    pub fn predict(self, pair: &Pair) -> (f64, Option<Side>) {
        let ally = |p: f64| if pair.defence_ally { (p, Some(Side::Target)) } else { (0.0, None) };
        match self {
            Predictor::Dtr => (pair.p, pair.side),
            Predictor::Nobody => (0.0, None),
            Predictor::DefenceAllies => ally(1.0),
            Predictor::DefenceAlliesLeeds => ally(LEEDS_RATE),
        }
    }
}

/// The figures of one predictor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PredictorScores {
    pub predictor: Predictor,
    pub label: &'static str,
    pub overall: Scores,
    /// Of the joiners it gives a positive P and a side, the share on the right side.
    pub side_accuracy: Option<f64>,
    pub sided_joiners: usize,
    pub eras: Vec<EraScores>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EraScores {
    pub era: Era,
    pub wars: usize,
    pub scores: Scores,
}

/// One war's line of the report (the analysis's figures).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarLine {
    pub number: u32,
    pub name: String,
    pub start: String,
    pub era: Era,
    pub initiator: String,
    pub target: String,
    pub pairs: usize,
    pub joiners: usize,
    /// Σ P(enters) over the pairs.
    pub expected_joiners: f64,
    pub brier: f64,
    /// Joiners with P >= the threshold, pairs above it that stayed out, joiners below it.
    pub hits: usize,
    pub false_alarms: usize,
    pub misses: usize,
    pub unscored: Vec<u32>,
    pub skipped: Option<String>,
}

/// The whole report (`--format json` writes it as is).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub command: String,
    pub wars: usize,
    pub threshold: f64,
    pub predictors: Vec<PredictorScores>,
    /// The analysis's reliability table.
    pub reliability: Vec<Bin>,
    pub per_war: Vec<WarLine>,
}

pub fn report(runs: &[WarRun], threshold: f64, command: String, code: &dyn Fn(u32) -> String) -> Report {
    let predictors = Predictor::ALL.iter().map(|&p| predictor_scores(runs, p, threshold)).collect();
    let all: Vec<(f64, bool)> = runs.iter().flat_map(|r| &r.pairs).map(|p| (p.p, p.joined)).collect();
    let per_war = runs
        .iter()
        .map(|r| {
            let pairs: Vec<(f64, bool)> = r.pairs.iter().map(|p| (p.p, p.joined)).collect();
            let c = metrics::confusion(&pairs, r.threshold);
            WarLine {
                number: r.number,
                name: r.name.clone(),
                start: r.start.clone(),
                era: r.era,
                initiator: code(r.initiator),
                target: code(r.target),
                pairs: pairs.len(),
                joiners: c.true_positives + c.false_negatives,
                expected_joiners: pairs.iter().map(|(p, _)| p).sum(),
                brier: metrics::score(&pairs, threshold).brier,
                hits: c.true_positives,
                false_alarms: c.false_positives,
                misses: c.false_negatives,
                unscored: r.unscored.clone(),
                skipped: r.skipped.clone(),
            }
        })
        .collect();
    Report {
        version: VERSION,
        command,
        wars: runs.iter().filter(|r| r.skipped.is_none()).count(),
        threshold,
        predictors,
        reliability: metrics::reliability(&all),
        per_war,
    }
}

fn predictor_scores(runs: &[WarRun], predictor: Predictor, threshold: f64) -> PredictorScores {
    // Each war's pairs are decided at the threshold of the calibration it was run with.
    let scored = |runs: &mut dyn Iterator<Item = &WarRun>| -> Scores {
        let decided: Vec<(f64, bool, f64)> =
            runs.flat_map(|r| r.pairs.iter().map(|p| (predictor.predict(p).0, p.joined, r.threshold))).collect();
        let pairs: Vec<(f64, bool)> = decided.iter().map(|&(p, y, _)| (p, y)).collect();
        Scores { at_threshold: metrics::confusion_each(&decided, threshold), ..metrics::score(&pairs, threshold) }
    };
    let overall = scored(&mut runs.iter());
    let sided: Vec<bool> = runs
        .iter()
        .flat_map(|r| &r.pairs)
        .filter(|p| p.joined)
        .filter_map(|p| match predictor.predict(p) {
            (q, Some(side)) if q > 0.0 => Some(Some(side) == p.joined_side),
            _ => None,
        })
        .collect();
    let side_accuracy = (!sided.is_empty()).then(|| sided.iter().filter(|&&ok| ok).count() as f64 / sided.len() as f64);
    let eras = Era::ALL
        .iter()
        .map(|&era| {
            let in_era = || runs.iter().filter(move |r| r.era == era && r.skipped.is_none());
            EraScores { era, wars: in_era().count(), scores: scored(&mut in_era()) }
        })
        .collect();
    PredictorScores { predictor, label: predictor.label(), overall, side_accuracy, sided_joiners: sided.len(), eras }
}
