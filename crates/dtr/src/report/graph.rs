//! The escalation graph of one scenario, before it is drawn (HTML, DOT,
//! Mermaid): one node per actor that enters the all-honoured cascade, in
//! the column of the step it enters (time left to right); one edge per
//! event, from attacker to target.
//!
//! Each step is up to three columns: actors that enter as targets, then
//! alliance hubs, then actors that enter as attackers, so an entrant's
//! attack on an earlier one, and an opening, point left. When one
//! provision fires [`BUNDLE`] or more times at a step (an alliance's
//! members answering together: `NATO.article5` in `suwalki`), its firings
//! run through one hub node: each member's line goes to the hub and one
//! line per target leaves it, instead of members × targets lines. A hub
//! stands between its attackers and their targets ([`hub_column`]).

use super::{ActorReport, EventReport, ScenarioReport};
use std::collections::HashMap;

/// Firings of one provision at one step drawn through a hub.
pub const BUNDLE: usize = 3;

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
    /// The column of every node (actors, then hubs), left to right.
    pub columns: Vec<usize>,
    /// The step of each column.
    pub steps: Vec<u32>,
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

/// The graph of the first `limit` events of `s` (every event an event
/// answers comes before it, so the graph is whole).
pub fn build(s: &ScenarioReport, limit: usize) -> Graph<'_> {
    let drawn = s.events.len().min(limit);
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
    let mut order = keys.clone();
    order.sort_unstable();
    order.dedup();
    let columns = keys.iter().map(|k| order.binary_search(k).unwrap_or(0)).collect();
    Graph { actors, hubs, edges, segments, columns, steps: order.iter().map(|c| c.0).collect() }
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

/// The parties of the scenario's openings (attacker and target), whom
/// every drawing marks.
pub fn openers(s: &ScenarioReport) -> Vec<&str> {
    s.events.iter().filter(|e| e.trigger.is_none()).flat_map(|e| [e.aggressor.as_str(), e.victim.as_str()]).collect()
}

/// The colour of rung `index` of a ladder of `count`, as `#rrggbb`: taken
/// evenly along [`RUNG_STOPS`], blue at the bottom to plum at the top.
pub fn rung_colour(index: usize, count: usize) -> String {
    let t = if count < 2 { 1.0 } else { index as f64 / (count - 1) as f64 };
    let scaled = t.clamp(0.0, 1.0) * (RUNG_STOPS.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(RUNG_STOPS.len() - 2);
    let f = scaled - i as f64;
    let channel = |k: usize| (RUNG_STOPS[i][k] as f64 * (1.0 - f) + RUNG_STOPS[i + 1][k] as f64 * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", channel(0), channel(1), channel(2))
}

/// Colours that stay apart for the eye and read on white, from calm to war.
const RUNG_STOPS: [[u8; 3]; 7] = [
    [0x35, 0x6a, 0xc3],
    [0x1f, 0x93, 0x88],
    [0x7d, 0x95, 0x12],
    [0xd4, 0x8a, 0x00],
    [0xe0, 0x55, 0x1b],
    [0xc0, 0x1c, 0x28],
    [0x7a, 0x1f, 0x5c],
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    fn report(text: &str) -> Report {
        let checked = crate::check::check_source("test.dtr", text);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let model = crate::model::compile(&checked.program);
        crate::report::build(&model, &crate::analysis::analyze(&model, None), &checked.sources)
    }

    const ALLIANCE: &str = "
        actor RUS actor BLR actor LTU actor POL actor DEU actor USA
        alliance NATO { members: [LTU, POL, DEU, USA]
          obligation article5 defend { when: attack on member credibility: 85% } }
        scenario suwalki { RUS attacks LTU  BLR attacks LTU }
    ";

    #[test]
    fn an_alliances_firings_run_through_one_hub_between_members_and_targets() {
        let r = report(ALLIANCE);
        let s = &r.scenarios[0];
        let g = build(s, usize::MAX);
        // 2 openings, 3 members × 2 targets.
        assert_eq!((s.events.len(), g.edges.len()), (8, 8));
        assert_eq!(g.hubs.len(), 1);
        assert_eq!((g.hubs[0].provision, g.hubs[0].step, g.hubs[0].events.len()), ("NATO.article5", 1, 6));
        let hub = g.actors.len();
        for (e, segments) in s.events.iter().zip(&g.edges) {
            let ends: Vec<(usize, usize)> = segments.iter().map(|&i| g.segments[i]).collect();
            match e.trigger {
                None => assert_eq!(ends.len(), 1),
                Some(_) => assert!(ends.len() == 2 && ends[0].1 == hub && ends[1].0 == hub, "{ends:?}"),
            }
        }
        // Openings 2, members into the hub 3, out of it 2: each drawn once.
        assert_eq!(g.segments.len(), 7);
        let column = |name: &str| g.columns[g.actors.iter().position(|a| a.actor == name).unwrap()];
        assert!(column("LTU") < column("RUS") && column("RUS") == column("BLR"), "target, then attackers of step 0");
        assert!(column("RUS") < g.columns[hub] && g.columns[hub] < column("USA"), "the hub between them");
        assert_eq!(g.steps[column("USA")], 1);
    }

    #[test]
    fn rung_colours_run_from_the_first_stop_to_the_last() {
        assert_eq!((rung_colour(0, 6), rung_colour(5, 6)), ("#356ac3".to_string(), "#7a1f5c".to_string()));
        assert_eq!(rung_colour(0, 1), "#7a1f5c", "a single rung is the top");
        let six: std::collections::BTreeSet<String> = (0..6).map(|i| rung_colour(i, 6)).collect();
        assert_eq!(six.len(), 6);
    }

    #[test]
    fn fewer_firings_than_a_bundle_are_drawn_one_by_one_and_limit_cuts_the_graph() {
        let r = report(&ALLIANCE.replace("DEU, USA", "DEU").replace("BLR attacks LTU", ""));
        let g = build(&r.scenarios[0], usize::MAX);
        assert!(g.hubs.is_empty() && g.edges.iter().all(|e| e.len() == 1), "{} firings", g.edges.len());
        let first = build(&r.scenarios[0], 1);
        assert_eq!((first.edges.len(), first.actors.len()), (1, 2));
    }
}
