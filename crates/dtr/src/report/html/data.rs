//! What the page's script reads of a scenario (JSON in the page): the
//! drawn events, the drawn actors with their most probable paths, the
//! hubs. Only the fields the hover and click show, positions as
//! `file:line:column`: a large cascade's data is a fifth of the page.

use super::graph::Drawn;
use crate::analysis::probability::{Estimate, Interval};
use crate::analysis::side::Side;
use crate::report::text::at;
use crate::report::{ActorReport, EventReport, ScenarioReport};
use serde::Serialize;

#[derive(Serialize)]
pub struct Scenario<'a> {
    events: Vec<Event<'a>>,
    actors: Vec<Actor<'a>>,
    hubs: Vec<Hub<'a>>,
}

#[derive(Serialize)]
struct Event<'a> {
    step: u32,
    aggressor: &'a str,
    victim: &'a str,
    rung: &'a str,
    cause: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

#[derive(Serialize)]
struct Actor<'a> {
    actor: &'a str,
    enters: Estimate,
    attacks: Estimate,
    attacked: Estimate,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<Entry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<Path<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    step: u32,
    rung: &'a str,
}

#[derive(Serialize)]
struct Path<'a> {
    probability: f64,
    steps: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    commitment: &'a str,
    acting: &'a str,
    p: f64,
    target: &'a str,
    rung: &'a str,
    at: String,
}

#[derive(Serialize)]
struct Hub<'a> {
    provision: &'a str,
    step: u32,
    events: &'a [usize],
}

pub fn scenario<'a>(s: &'a ScenarioReport, drawn: &'a Drawn) -> Scenario<'a> {
    let g = &drawn.graph;
    Scenario {
        events: s.events[..g.edges.len()].iter().map(event).collect(),
        actors: g.actors.iter().map(|a| actor(a)).collect(),
        hubs: g.hubs.iter().map(|h| Hub { provision: h.provision, step: h.step, events: &h.events }).collect(),
    }
}

fn event(e: &EventReport) -> Event<'_> {
    Event {
        step: e.step,
        aggressor: &e.aggressor,
        victim: &e.victim,
        rung: &e.rung,
        cause: &e.cause,
        p: e.p,
        trigger: e.trigger,
        at: e.location.as_ref().map(at),
    }
}

fn shorten(e: &Estimate) -> Estimate {
    Estimate {
        value: short(e.value),
        interval: e.interval.map(|i| Interval { low: short(i.low), high: short(i.high) }),
    }
}

fn actor(a: &ActorReport) -> Actor<'_> {
    Actor {
        actor: &a.actor,
        enters: shorten(&a.enters),
        attacks: shorten(&a.attacks),
        attacked: shorten(&a.attacked),
        side: a.side.map(Side::name),
        entry: a.entry.as_ref().map(|e| Entry { step: e.step, rung: &e.rung }),
        path: a.path.as_ref().map(|p| Path {
            probability: short(p.probability),
            steps: p
                .steps
                .iter()
                .map(|s| Step {
                    commitment: &s.commitment,
                    acting: &s.acting,
                    p: s.p,
                    target: &s.target,
                    rung: &s.rung,
                    at: at(&s.location),
                })
                .collect(),
        }),
    }
}

/// A probability to the precision shown (0.1%) and then some: 17 digits
/// of each made up a third of a large cascade's data.
fn short(p: f64) -> f64 {
    (p * 1e5).round() / 1e5
}
