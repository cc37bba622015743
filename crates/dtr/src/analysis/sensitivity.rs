//! Sensitivity: a result as a function of one input ([`vary`]: every
//! value of a range, each a whole evaluation), and the inputs that move it
//! most ([`tornado`]). The result is P(reaching the top rung of the
//! all-honoured cascade of the unchanged model) or P(an actor joins).
//!
//! Each evaluation is the scenario's own ([`probability::evaluate`]):
//! exact when its tree fits the leaf limit, otherwise Monte Carlo within
//! the work budget with the model's seed, so every value of a range and
//! both ends of a tornado bar are drawn with the same random numbers and
//! their differences are not sampling noise between runs.

use super::escalation;
use super::probability::{self, Estimate, Method, Request};
use crate::model::Model;
use crate::model::whatif::{self, Override, Range};
use crate::vocabulary::{ActorId, ProvisionId, RungId, ScenarioId};
use rayon::prelude::*;
use serde::Serialize;

/// How far a tornado moves each input, down and up (clamped to 0–100%).
pub const SWING: f64 = 0.10;

/// The most inputs a tornado evaluates (two evaluations each) when every
/// evaluation is exact; the others are counted as skipped.
pub const INPUT_LIMIT: usize = 48;

/// The limit when evaluations are sampled (each costs a whole Monte Carlo run).
pub const SAMPLED_INPUT_LIMIT: usize = 12;

/// How many inputs a tornado ranks.
pub const TOP: usize = 10;

/// The result a sensitivity follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// P(reaching the top rung of the unchanged model's all-honoured cascade).
    TopRung,
    /// P(the actor joins).
    Joins(ActorId),
}

/// The result for one scenario at every value of a range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub scenario: ScenarioId,
    /// The rung followed ([`Measure::TopRung`]); None for an actor, and
    /// when the scenario has no event.
    pub rung: Option<RungId>,
    pub points: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    pub value: f64,
    pub result: Estimate,
    pub method: Method,
}

/// One input of a tornado.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    Resolve {
        actor: ActorId,
    },
    /// Every acting actor's credibility, `except` entries included.
    Credibility {
        provision: ProvisionId,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    pub input: Input,
    /// The input's value in the model (a provision's: its credibility).
    pub value: f64,
    /// The result with the input [`SWING`] lower, and higher.
    pub low: Estimate,
    pub high: Estimate,
    /// |high − low|.
    pub swing: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tornado {
    pub scenario: ScenarioId,
    pub rung: Option<RungId>,
    pub base: Estimate,
    pub method: Method,
    /// The inputs that move the result, largest swing first (at most [`TOP`]).
    pub bars: Vec<Bar>,
    /// Inputs that could matter but were not evaluated (beyond the limit).
    pub skipped: usize,
}

/// The result of `measure` on every value of `range`, scenario by scenario.
pub fn vary(model: &Model, range: &Range, scenarios: &[ScenarioId], measure: Measure) -> Result<Vec<Series>, String> {
    let models: Vec<Model> = range
        .values
        .iter()
        .map(|&value| {
            let mut changed = model.clone();
            whatif::apply(&mut changed, &Override { target: range.target.clone(), value })?;
            Ok(changed)
        })
        .collect::<Result<_, String>>()?;
    Ok(scenarios
        .iter()
        .map(|&scenario| {
            let rung = followed(model, scenario, measure);
            let points = models
                .par_iter()
                .zip(&range.values)
                .map(|(m, &value)| {
                    let (result, method) = evaluate(m, scenario, measure, rung);
                    Point { value, result, method }
                })
                .collect();
            Series { scenario, rung, points }
        })
        .collect())
}

/// The inputs (resolves and provisions' credibilities) that move `measure`
/// most in `scenario`, each moved [`SWING`] down and up. Only inputs that
/// reach a firing decision in the baseline evaluation can move it.
pub fn tornado(model: &Model, scenario: ScenarioId, measure: Measure) -> Tornado {
    let rung = followed(model, scenario, measure);
    let p = model.probabilities();
    let baseline = probability::evaluate(model, &p, request(scenario, measure, rung));
    let base = read(&baseline, measure, rung);
    let relevant = &baseline.tally.relevant;
    let mut inputs: Vec<Input> = Vec::new();
    for (i, c) in model.commitments.iter().enumerate() {
        let actor = Input::Resolve { actor: c.acting };
        if relevant.contains(i) && !inputs.contains(&actor) {
            inputs.push(actor);
        }
    }
    for (i, s) in model.provisions.iter().enumerate() {
        if s.expanded.clone().any(|c| relevant.contains(c as usize)) {
            inputs.push(Input::Credibility { provision: ProvisionId(i as u32) });
        }
    }
    let limit = match baseline.method {
        Method::Exact { .. } => INPUT_LIMIT,
        Method::MonteCarlo { .. } => SAMPLED_INPUT_LIMIT,
    };
    let skipped = inputs.len().saturating_sub(limit);
    inputs.truncate(limit);
    let mut bars: Vec<Bar> = inputs
        .par_iter()
        .map(|&input| {
            let [low, high] = [-SWING, SWING].map(|delta| {
                let mut moved = model.clone();
                shift(&mut moved, input, delta);
                evaluate(&moved, scenario, measure, rung).0
            });
            let value = match input {
                Input::Resolve { actor } => model.actor(actor).resolve,
                Input::Credibility { provision } => model.provision(provision).credibility,
            };
            Bar { input, value, low, high, swing: (high.value - low.value).abs() }
        })
        // Exact sums can differ in the last bits without any real change.
        .filter(|b| b.swing > 1e-12)
        .collect();
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing).then(key(a.input).cmp(&key(b.input))));
    bars.truncate(TOP);
    Tornado { scenario, rung, base: base.0, method: baseline.method, bars, skipped }
}

fn key(input: Input) -> (u8, u32) {
    match input {
        Input::Resolve { actor } => (0, actor.0),
        Input::Credibility { provision } => (1, provision.0),
    }
}

fn shift(model: &mut Model, input: Input, delta: f64) {
    match input {
        Input::Resolve { actor } => {
            let resolve = model.actor(actor).resolve;
            model.set_resolve(actor, resolve + delta);
        }
        Input::Credibility { provision } => model.shift_credibility(provision, delta),
    }
}

/// The rung [`Measure::TopRung`] follows: the unchanged model's
/// all-honoured top rung.
fn followed(model: &Model, scenario: ScenarioId, measure: Measure) -> Option<RungId> {
    match measure {
        Measure::TopRung => escalation::reach(model, scenario, None).top_rung,
        Measure::Joins(_) => None,
    }
}

fn request(scenario: ScenarioId, measure: Measure, rung: Option<RungId>) -> Request {
    // Only P(reaching the rung) is read: each cascade may stop there.
    let stop_at = if measure == Measure::TopRung { rung } else { None };
    Request { scenario, stop_at, paths: false }
}

fn evaluate(model: &Model, scenario: ScenarioId, measure: Measure, rung: Option<RungId>) -> (Estimate, Method) {
    let evaluation = probability::evaluate(model, &model.probabilities(), request(scenario, measure, rung));
    read(&evaluation, measure, rung)
}

fn read(evaluation: &probability::Evaluation, measure: Measure, rung: Option<RungId>) -> (Estimate, Method) {
    let probabilities = evaluation.tally.probabilities(evaluation.method.clone());
    let none = Estimate { value: 0.0, interval: None };
    let result = match measure {
        Measure::TopRung => rung.and_then(|r| probabilities.reaches(r)),
        Measure::Joins(actor) => probabilities.enters(actor),
    };
    (result.unwrap_or(none), evaluation.method.clone())
}

#[cfg(test)]
mod tests {
    use super::{Input, Measure, tornado, vary};
    use crate::model::testing::{actor, model, scenario};
    use crate::model::whatif::Range;

    const WORLD: &str = r#"
        actor IRQ actor KWT actor USA { resolve: 80% } actor GBR
        commitment shield: USA defends KWT { credibility: 50% response: regional_war }
        commitment granby: GBR attacks IRQ { when: war between USA and IRQ  credibility: 75% }
        scenario s { IRQ attacks KWT }
    "#;

    #[test]
    fn vary_evaluates_every_value_exactly() {
        let m = model(WORLD);
        let range: Range = "USA.resolve=0%..100%:50%".parse().unwrap();
        let series = vary(&m, &range, &[scenario(&m, "s")], Measure::Joins(actor(&m, "GBR"))).unwrap();
        let points: Vec<(f64, f64)> = series[0].points.iter().map(|p| (p.value, p.result.value)).collect();
        // P(GBR joins) = P(shield) × 75% = 50% × resolve × 75%.
        assert_eq!(points, [(0.0, 0.0), (0.5, 0.1875), (1.0, 0.375)]);
        // P(reaching regional_war), the all-honoured top rung, is P(shield).
        let series = vary(&m, &range, &[scenario(&m, "s")], Measure::TopRung).unwrap();
        assert_eq!(series[0].points.iter().map(|p| p.result.value).collect::<Vec<_>>(), [0.0, 0.25, 0.5]);
        let unknown: Range = "USB.resolve=0%..100%:50%".parse().unwrap();
        assert_eq!(vary(&m, &unknown, &[], Measure::TopRung).unwrap_err(), "no actor named `USB`; did you mean `USA`?");
    }

    #[test]
    fn tornado_ranks_inputs_by_swing() {
        let m = model(WORLD);
        let t = tornado(&m, scenario(&m, "s"), Measure::Joins(actor(&m, "GBR")));
        assert_eq!(t.base.value, 0.5 * 0.8 * 0.75);
        let ranked: Vec<(Input, f64)> = t.bars.iter().map(|b| (b.input, (b.swing * 1e6).round() / 1e6)).collect();
        let provision = |name| Input::Credibility { provision: m.provision_named(name).unwrap() };
        // shield ±10 points: 0.8 × 0.2 × 0.75; granby: 0.4 × 0.2; USA's
        // resolve: 0.5 × 0.2 × 0.75; GBR's resolve is 100%, so only down.
        assert_eq!(
            ranked,
            [
                (provision("shield"), 0.12),
                (provision("granby"), 0.08),
                (Input::Resolve { actor: actor(&m, "USA") }, 0.075),
                (Input::Resolve { actor: actor(&m, "GBR") }, 0.03),
            ]
        );
    }
}
