//! Escalation paths (§5): for each actor that can enter, the most probable
//! chain of firings from an opening event to the event by which it enters.
//!
//! In any one cascade an actor enters by the first event involving it, and
//! that event has exactly one chain of causes back to an opening line. A
//! chain's probability is the probability that the actor enters by it: the
//! total weight of the cascades whose entry chain for the actor it is,
//! every branch of the exact tree (so it counts what the chain's conditions
//! depend on, and the chains of an actor add up to its P(joins)), or the
//! share of Monte Carlo samples (plus the all-honoured cascade, at weight
//! 0, so that every all-honoured entrant has a path). Ties go to the
//! shorter chain, then to the lower opening and commitment ids, so the
//! choice does not depend on the order in which cascades are visited.
//!
//! A rung's path is the most probable chain of firings that ends in an
//! event at that rung or higher, its probability the total weight of the
//! cascades in which that chain happens (never above P(reached)). A
//! chain that goes on from such an event happens only when the event does
//! and is longer, so only events that climb to a rung (their trigger is
//! below it, or they are a firing on an opening below it) are counted for
//! it. Rungs the openings reach have no chain worth showing.

use super::escalation::entries;
use super::event::{Cause, Event};
use crate::vocabulary::{ActorId, ExpandedId, RungId};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Path {
    /// The actor that enters at the end of the chain.
    pub actor: ActorId,
    /// The opening line the chain starts from (index in the scenario).
    pub opening: usize,
    /// The probability that the actor enters by this chain (1 for an
    /// opening party); never above its P(joins).
    pub probability: f64,
    pub steps: Vec<PathStep>,
}

/// One firing: `acting` attacks `target` at `rung` under `commitment`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathStep {
    pub commitment: ExpandedId,
    pub acting: ActorId,
    pub p: f64,
    pub target: ActorId,
    pub rung: RungId,
}

/// The most probable chain of firings that reaches a rung; its `actor` is
/// the aggressor of the event that reaches it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RungPath {
    pub rung: RungId,
    pub path: Path,
}

/// A chain by its opening and firings.
type Key = (usize, Vec<(ExpandedId, ActorId)>);

/// Every entry chain seen for each actor, with the weight of the cascades
/// it was the entry chain of, and every chain that climbs to each rung,
/// with the weight of the cascades it happens in.
#[derive(Clone, Debug, Default)]
pub struct BestPaths {
    seen: Vec<HashMap<Key, Path>>,
    rungs: Vec<HashMap<Key, Path>>,
}

impl BestPaths {
    pub fn new(actors: usize) -> BestPaths {
        BestPaths { seen: vec![HashMap::new(); actors], rungs: Vec::new() }
    }

    /// Counts the entry chain of every actor of one cascade of `weight`,
    /// and the chain of every firing to each rung it climbs to.
    pub fn observe(&mut self, events: &[Event], p: &[f64], weight: f64) {
        for (actor, entry) in entries(events) {
            let Some(seen) = self.seen.get_mut(actor.index()) else { continue };
            add(seen, key(events, entry, &[]), weight, || chain(events, entry, actor, p));
        }
        for (i, e) in events.iter().enumerate() {
            let Cause::Firing { trigger, .. } = e.cause else { continue };
            let from = events[trigger].rung.index() + 1;
            if from > e.rung.index() {
                continue;
            }
            let key = key(events, i, &[]);
            for rung in from..=e.rung.index() {
                add(self.rung(rung), key.clone(), weight, || chain(events, i, e.aggressor, p));
            }
        }
    }

    /// Counts the chain to `rung` of firings left out of the cascade:
    /// `steps`, the first answering event `trigger` of `events`, happening
    /// in cascades of total `weight`.
    pub fn observe_rung_firings(
        &mut self,
        events: &[Event],
        trigger: usize,
        rung: RungId,
        steps: &[PathStep],
        p: &[f64],
        weight: f64,
    ) {
        let Some(last) = steps.last() else { return };
        add(self.rung(rung.index()), key(events, trigger, steps), weight, || {
            let mut path = chain(events, trigger, last.acting, p);
            path.steps.extend_from_slice(steps);
            path
        });
    }

    fn rung(&mut self, rung: usize) -> &mut HashMap<Key, Path> {
        if self.rungs.len() <= rung {
            self.rungs.resize_with(rung + 1, HashMap::new);
        }
        &mut self.rungs[rung]
    }

    /// Counts the entry of `actor` by firings left out of the cascade (see
    /// [`super::probability::independent`]): `steps`, the first answering
    /// event `trigger` of `events` and the last bringing `actor` in, in
    /// cascades of total `weight`.
    pub fn observe_firings(
        &mut self,
        events: &[Event],
        trigger: usize,
        actor: ActorId,
        steps: &[PathStep],
        p: &[f64],
        weight: f64,
    ) {
        let Some(seen) = self.seen.get_mut(actor.index()) else { return };
        add(seen, key(events, trigger, steps), weight, || {
            let mut path = chain(events, trigger, actor, p);
            path.steps.extend_from_slice(steps);
            path
        });
    }

    pub fn merge(&mut self, other: BestPaths) {
        for (mine, theirs) in self.seen.iter_mut().zip(other.seen) {
            merge_into(mine, theirs);
        }
        for (rung, theirs) in other.rungs.into_iter().enumerate() {
            merge_into(self.rung(rung), theirs);
        }
    }

    /// The best path of each actor seen, by actor id, its probability the
    /// share of `total` (the weight of every cascade counted).
    pub fn into_paths(self, total: f64) -> Vec<Path> {
        self.seen.into_iter().filter_map(|seen| best(seen, total)).collect()
    }

    /// The best path of each rung some firing climbs to, lowest rung first,
    /// as in [`BestPaths::into_paths`] (its probability the share of the
    /// cascades in which it happens).
    pub fn take_rung_paths(&mut self, total: f64) -> Vec<RungPath> {
        std::mem::take(&mut self.rungs)
            .into_iter()
            .enumerate()
            .filter_map(|(rung, seen)| Some(RungPath { rung: RungId(rung as u32), path: best(seen, total)? }))
            .filter(|r| !r.path.steps.is_empty())
            .collect()
    }
}

fn merge_into(mine: &mut HashMap<Key, Path>, theirs: HashMap<Key, Path>) {
    for (key, path) in theirs {
        let weight = path.probability;
        add(mine, key, weight, || path);
    }
}

/// The best of `seen`, its probability the share of `total`.
fn best(seen: HashMap<Key, Path>, total: f64) -> Option<Path> {
    let total = if total > 0.0 { total } else { 1.0 };
    let mut best = seen.into_values().min_by(better)?;
    best.probability = (best.probability / total).min(1.0);
    Some(best)
}

/// Adds `weight` to the chain `key`, built by `path` when first seen; the
/// weight so far is kept in its `probability` until [`BestPaths::into_paths`].
fn add(seen: &mut HashMap<Key, Path>, key: Key, weight: f64, path: impl FnOnce() -> Path) {
    seen.entry(key).or_insert_with(|| Path { probability: 0.0, ..path() }).probability += weight;
}

/// `Less` when `a` is the better path: more probable, then shorter, then
/// lower ids.
fn better(a: &Path, b: &Path) -> Ordering {
    // Weights summed in another order differ in the last bits: those are ties.
    let tie = (a.probability - b.probability).abs() <= 1e-9 * a.probability.abs().max(b.probability.abs());
    let by_probability = if tie { Ordering::Equal } else { b.probability.total_cmp(&a.probability) };
    by_probability.then(a.steps.len().cmp(&b.steps.len())).then(a.opening.cmp(&b.opening)).then_with(|| {
        let key = |p: &Path| p.steps.iter().map(|s| (s.commitment, s.target)).collect::<Vec<_>>();
        key(a).cmp(&key(b))
    })
}

/// The key of the chain ending at event `at`, followed by `more` firings.
fn key(events: &[Event], mut at: usize, more: &[PathStep]) -> Key {
    let mut firings = Vec::new();
    let opening = loop {
        match events[at].cause {
            Cause::Opening { opening } => break opening,
            Cause::Firing { commitment, trigger } => {
                firings.push((commitment, events[at].victim));
                at = trigger;
            }
        }
    };
    firings.reverse();
    firings.extend(more.iter().map(|s| (s.commitment, s.target)));
    (opening, firings)
}

fn chain(events: &[Event], mut at: usize, actor: ActorId, p: &[f64]) -> Path {
    let mut steps = Vec::new();
    let opening = loop {
        let e = &events[at];
        match e.cause {
            Cause::Opening { opening } => break opening,
            Cause::Firing { commitment, trigger } => {
                steps.push(PathStep {
                    commitment,
                    acting: e.aggressor,
                    p: p[commitment.index()],
                    target: e.victim,
                    rung: e.rung,
                });
                at = trigger;
            }
        }
    };
    steps.reverse();
    Path { actor, opening, probability: 0.0, steps }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze_scenario;
    use crate::model::testing::{actor, model, scenario};

    #[test]
    fn the_most_probable_chain_may_differ_from_the_all_honoured_one() {
        let m = model(
            r#"
            actor A actor V actor G1 actor G2 actor Z
            commitment weak: G1 defends V { credibility: 30% }
            commitment strong: G2 defends V { credibility: 90% }
            alliance p1 { members: [Z, G1] obligation j join { credibility: 90% } }
            alliance p2 { members: [Z, G2] obligation j join { credibility: 90% } }
            scenario s { A attacks V }
            "#,
        );
        let s = analyze_scenario(&m, scenario(&m, "s"), crate::analysis::RUN_WORK_LIMIT);
        // All honoured, Z enters through G1's war (0.3 × 0.9)…
        let z = actor(&m, "Z");
        let entry = s.escalation.events.iter().find(|e| e.aggressor == z).unwrap();
        assert_eq!(m.actor(s.escalation.events[1].aggressor).name, "G1");
        assert!(matches!(entry.cause, crate::analysis::event::Cause::Firing { trigger: 1, .. }));
        // …but its most probable path runs through G2 (0.9 × 0.9).
        let path = s.paths.iter().find(|p| p.actor == z).unwrap();
        let labels: Vec<String> = path.steps.iter().map(|st| m.commitment_label(st.commitment)).collect();
        assert_eq!(labels, ["strong", "p2.j[Z→G2]"]);
        // Z enters by it when G2 honours, Z honours G2's war and G1, first
        // in declaration order, has not brought Z in already.
        assert!((path.probability - 0.81 * (1.0 - 0.27)).abs() < 1e-12, "{}", path.probability);
        assert_eq!(path.opening, 0);
        assert_eq!(m.actor(path.steps[1].target).name, "A");
        let p = s.probabilities.enters(z).unwrap().value;
        assert!((p - (1.0 - (1.0 - 0.27) * (1.0 - 0.81))).abs() < 1e-12, "{p}");
        // Opening parties enter with certainty and an empty chain.
        let v = s.paths.iter().find(|p| p.actor == actor(&m, "V")).unwrap();
        assert!(v.steps.is_empty() && v.probability == 1.0);
    }

    /// Issue 16: the guard's condition holds only once the sibling plan has
    /// fired (10%), so its chain, a product of 100%, happens 10% of the time.
    #[test]
    fn a_path_counts_what_its_conditions_depend_on() {
        let m = model(
            r#"
            actor X actor V actor D actor W actor A
            commitment sibling: D attacks W { when: war with V credibility: 10% }
            commitment guard: A defends V { when: attack on V and war with D }
            scenario s { X attacks V }
            "#,
        );
        let s = analyze_scenario(&m, scenario(&m, "s"), crate::analysis::RUN_WORK_LIMIT);
        let a = actor(&m, "A");
        let path = s.paths.iter().find(|p| p.actor == a).unwrap();
        assert_eq!(path.steps.iter().map(|st| st.p).collect::<Vec<_>>(), [1.0]);
        assert!((path.probability - 0.1).abs() < 1e-12, "{}", path.probability);
        assert!((s.probabilities.enters(a).unwrap().value - 0.1).abs() < 1e-12);
    }
}
