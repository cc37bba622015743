//! The escalation graph ([`crate::report::graph`]) sized for the page and
//! laid out ([`super::layout`]).

use super::layout::{self, Layout, Node};
use crate::analysis::expectations::percent;
use crate::report::graph::{self, Graph};
use crate::report::{ActorReport, ScenarioReport};

/// The events drawn of one cascade (the first ones). A cascade cut at the
/// event limit has a million, which no one can read as a graph; the
/// tables list more.
pub const DRAWN_EVENTS: usize = 400;

pub const ACTOR_HEIGHT: f64 = 40.0;
pub const HUB_HEIGHT: f64 = 22.0;

pub struct Drawn<'a> {
    pub graph: Graph<'a>,
    /// Layer and size of every node.
    pub nodes: Vec<Node>,
    pub layout: Layout,
}

pub fn draw(s: &ScenarioReport) -> Drawn<'_> {
    let graph = graph::build(s, DRAWN_EVENTS);
    let mut nodes: Vec<Node> = graph
        .actors
        .iter()
        .zip(&graph.columns)
        .map(|(a, &layer)| Node { layer, width: actor_width(a), height: ACTOR_HEIGHT })
        .collect();
    nodes.extend(graph.hubs.iter().zip(&graph.columns[graph.actors.len()..]).map(|(h, &layer)| Node {
        layer,
        width: text_width(h.provision, 6.4) + 14.0,
        height: HUB_HEIGHT,
    }));
    let layout = layout::layout(&nodes, &graph.segments);
    Drawn { graph, nodes, layout }
}

/// The second line of an actor's node: P(joins), with its interval when sampled.
pub fn joins(a: &ActorReport) -> String {
    match a.enters.interval {
        Some(i) => format!("{} [{}, {}]", percent(a.enters.value), percent(i.low), percent(i.high)),
        None => percent(a.enters.value),
    }
}

fn actor_width(a: &ActorReport) -> f64 {
    text_width(&a.actor, 8.2).max(text_width(&joins(a), 6.4)).max(44.0) + 20.0
}

/// An estimate of the width of `text` in pixels at `per_char` per character.
pub fn text_width(text: &str, per_char: f64) -> f64 {
    text.chars().count() as f64 * per_char
}
