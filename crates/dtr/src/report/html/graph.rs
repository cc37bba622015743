//! The escalation graph of one scenario, laid out: one node per actor that
//! enters the all-honoured cascade, in the column of the step it enters
//! (time left to right); one edge per event, from attacker to target.
//!
//! Each step is up to three columns: actors that enter as targets, then
//! alliance hubs, then actors that enter as attackers, so an entrant's
//! attack on an earlier one, and an opening, point left. When one
//! provision fires [`BUNDLE`] or more times at a step (an alliance's
//! members answering together: `NATO.article5` in `suwalki`), its firings
//! run through one hub node: each member's line goes to the hub and one
//! line per target leaves it, instead of members × targets lines. A hub
//! stands between its attackers and their targets ([`hub_column`]).

use super::layout::{self, Layout, Node};
use crate::analysis::expectations::percent;
use crate::report::{ActorReport, EventReport, ScenarioReport};
use std::collections::HashMap;

/// The events drawn of one cascade (the first ones; every event a drawn
/// event answers comes before it). A cascade cut at the event limit has a
/// million, which no one can read as a graph; the tables list more.
pub const DRAWN_EVENTS: usize = 400;

/// Firings of one provision at one step drawn through a hub.
pub const BUNDLE: usize = 3;

pub const ACTOR_HEIGHT: f64 = 40.0;
pub const HUB_HEIGHT: f64 = 22.0;

pub struct Graph<'a> {
    /// Actors drawn, in the report's order (order of entry): nodes
    /// `0..actors.len()`.
    pub actors: Vec<&'a ActorReport>,
    /// Hubs: nodes `actors.len()..`.
    pub hubs: Vec<Hub<'a>>,
    /// For each drawn event, the segments its edge runs along.
    pub edges: Vec<Vec<usize>>,
    /// Pairs of nodes, each drawn once however many edges share it.
    pub segments: Vec<(usize, usize)>,
    /// Layer and size of every node.
    pub nodes: Vec<Node>,
    /// The step of each layer.
    pub steps: Vec<u32>,
    pub layout: Layout,
}

pub struct Hub<'a> {
    pub provision: &'a str,
    pub step: u32,
    /// The events drawn through it.
    pub events: Vec<usize>,
}

/// Where a node goes within its step.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    /// Hubs of earlier entrants' firings at the step's new targets.
    HubsBefore,
    Targets,
    Hubs,
    Attackers,
}

pub fn build(s: &ScenarioReport) -> Graph<'_> {
    let drawn = s.events.len().min(DRAWN_EVENTS);
    let events = &s.events[..drawn];
    let actors: Vec<&ActorReport> =
        s.actors.iter().filter(|a| a.entry.as_ref().is_some_and(|e| e.event < drawn)).collect();
    let node_of: HashMap<&str, usize> = actors.iter().enumerate().map(|(i, a)| (a.actor.as_str(), i)).collect();

    let mut groups: Vec<Hub> = Vec::new();
    let mut group_of: HashMap<(u32, &str), usize> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(provision) = e.provision.as_deref() {
            let g = *group_of.entry((e.step, provision)).or_insert_with(|| {
                groups.push(Hub { provision, step: e.step, events: Vec::new() });
                groups.len() - 1
            });
            groups[g].events.push(i);
        }
    }
    let hubs: Vec<Hub> = groups.into_iter().filter(|g| g.events.len() >= BUNDLE).collect();
    let mut hub_of = vec![None; drawn];
    for (h, hub) in hubs.iter().enumerate() {
        for &i in &hub.events {
            hub_of[i] = Some(actors.len() + h);
        }
    }

    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut segment_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut segment = |pair: (usize, usize)| {
        *segment_of.entry(pair).or_insert_with(|| {
            segments.push(pair);
            segments.len() - 1
        })
    };
    let edges: Vec<Vec<usize>> = events
        .iter()
        .zip(&hub_of)
        .map(|(e, hub)| match (node_of.get(e.aggressor.as_str()), node_of.get(e.victim.as_str()), hub) {
            (Some(&a), Some(&v), Some(h)) => vec![segment((a, *h)), segment((*h, v))],
            (Some(&a), Some(&v), None) => vec![segment((a, v))],
            _ => Vec::new(),
        })
        .collect();

    // Columns: (step, column) of every node, then numbered in order.
    let mut keys: Vec<(u32, Column)> = actors
        .iter()
        .map(|a| {
            let entry = a.entry.as_ref().map_or((0, 0), |e| (e.step, e.event));
            let column = if events[entry.1].aggressor == a.actor { Column::Attackers } else { Column::Targets };
            (entry.0, column)
        })
        .collect();
    let hub_keys: Vec<(u32, Column)> = hubs.iter().map(|h| hub_column(h, events, &node_of, &keys)).collect();
    keys.extend(hub_keys);
    let mut columns = keys.clone();
    columns.sort_unstable();
    columns.dedup();
    let layer = |k: &(u32, Column)| columns.binary_search(k).unwrap_or(0);
    let mut nodes: Vec<Node> = actors
        .iter()
        .zip(&keys)
        .map(|(a, k)| Node { layer: layer(k), width: actor_width(a), height: ACTOR_HEIGHT })
        .collect();
    nodes.extend(hubs.iter().zip(&keys[actors.len()..]).map(|(h, k)| Node {
        layer: layer(k),
        width: text_width(h.provision, 6.4) + 14.0,
        height: HUB_HEIGHT,
    }));
    let layout = layout::layout(&nodes, &segments);
    Graph { actors, hubs, edges, segments, nodes, steps: columns.iter().map(|c| c.0).collect(), layout }
}

/// A hub goes between its attackers and their targets: in its step's hub
/// column when most attackers are right of most targets (they enter at
/// that step, as an alliance's members answering an attack do), else just
/// before the first of its targets (members already at war answering an
/// attack on a later entrant), so its lines do not run right and back.
fn hub_column(
    hub: &Hub,
    events: &[EventReport],
    node_of: &HashMap<&str, usize>,
    keys: &[(u32, Column)],
) -> (u32, Column) {
    let key = |name: &str| node_of.get(name).map(|&n| keys[n]);
    let median = |mut ks: Vec<(u32, Column)>| {
        ks.sort_unstable();
        ks.get(ks.len() / 2).copied()
    };
    let attackers = median(hub.events.iter().filter_map(|&i| key(&events[i].aggressor)).collect());
    let targets: Vec<(u32, Column)> = hub.events.iter().filter_map(|&i| key(&events[i].victim)).collect();
    let first_target = targets.iter().min().copied();
    match (attackers, median(targets), first_target) {
        (Some(a), Some(t), Some((step, column))) if a < t => {
            (step, if column == Column::Attackers { Column::Hubs } else { Column::HubsBefore })
        }
        _ => (hub.step, Column::Hubs),
    }
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
