//! Escalation paths (§5): for each actor that can enter, the most probable
//! chain of firings from an opening event to the event by which it enters.
//!
//! In any one cascade an actor enters by the first event involving it, and
//! that event has exactly one chain of causes back to an opening line. The
//! chains that can occur are those of the cascades the probabilistic
//! evaluation visits: every branch of the exact tree (so the result is exact
//! over all possible firings), or every Monte Carlo sample plus the
//! all-honoured cascade (so every all-honoured entrant has a path and an
//! unsampled, improbable chain may be missed). A chain's probability is the
//! product of the honour probabilities of its firings. Ties go to the
//! shorter chain, then to the lower opening and commitment ids, so the
//! choice does not depend on the order in which cascades are visited.

use super::escalation::entries;
use super::event::{Cause, Event};
use crate::vocabulary::{ActorId, ExpandedId, RungId};
use serde::Serialize;
use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Path {
    /// The actor that enters at the end of the chain.
    pub actor: ActorId,
    /// The opening line the chain starts from (index in the scenario).
    pub opening: usize,
    /// Product of the steps' honour probabilities (1 for an opening party).
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

/// The best chain found so far for each actor.
#[derive(Clone, Debug, Default)]
pub struct BestPaths {
    best: Vec<Option<Path>>,
}

impl BestPaths {
    pub fn new(actors: usize) -> BestPaths {
        BestPaths { best: vec![None; actors] }
    }

    /// Offers the entry chain of every actor of one cascade.
    pub fn observe(&mut self, events: &[Event], p: &[f64]) {
        for (actor, entry) in entries(events) {
            let (probability, length) = chain_summary(events, entry, 1.0, p);
            let Some(slot) = self.best.get_mut(actor.index()) else { continue };
            if worth_building(slot, probability, length) {
                offer(slot, chain(events, entry, actor, probability, p));
            }
        }
    }

    /// Offers the entry of `actor` by firings left out of the cascade (see
    /// [`super::probability::independent`]): `steps`, the first answering event
    /// `trigger` of `events` and the last bringing `actor` in.
    pub fn observe_firings(&mut self, events: &[Event], trigger: usize, actor: ActorId, steps: &[PathStep], p: &[f64]) {
        // The product in the order `observe` would take it: from the entry back.
        let start = steps.iter().rev().fold(1.0, |probability, step| probability * step.p);
        let (probability, length) = chain_summary(events, trigger, start, p);
        let Some(slot) = self.best.get_mut(actor.index()) else { return };
        if worth_building(slot, probability, length + steps.len()) {
            let mut path = chain(events, trigger, actor, probability, p);
            path.steps.extend_from_slice(steps);
            offer(slot, path);
        }
    }

    pub fn merge(&mut self, other: BestPaths) {
        for (slot, path) in self.best.iter_mut().zip(other.best) {
            if let Some(path) = path {
                offer(slot, path);
            }
        }
    }

    /// The paths, by actor id.
    pub fn into_paths(self) -> Vec<Path> {
        self.best.into_iter().flatten().collect()
    }
}

fn worth_building(slot: &Option<Path>, probability: f64, length: usize) -> bool {
    slot.as_ref()
        .is_none_or(|b| probability > b.probability || (probability == b.probability && length <= b.steps.len()))
}

fn offer(slot: &mut Option<Path>, path: Path) {
    if slot.as_ref().is_none_or(|b| better(&path, b) == Ordering::Less) {
        *slot = Some(path);
    }
}

/// `Less` when `a` is the better path: more probable, then shorter, then
/// lower ids.
fn better(a: &Path, b: &Path) -> Ordering {
    b.probability
        .total_cmp(&a.probability)
        .then(a.steps.len().cmp(&b.steps.len()))
        .then(a.opening.cmp(&b.opening))
        .then_with(|| {
            let key = |p: &Path| p.steps.iter().map(|s| (s.commitment, s.target)).collect::<Vec<_>>();
            key(a).cmp(&key(b))
        })
}

/// The probability (`start` times the chain's steps, from `at` back) and
/// length of the chain ending at `at`.
fn chain_summary(events: &[Event], mut at: usize, start: f64, p: &[f64]) -> (f64, usize) {
    let (mut probability, mut length) = (start, 0);
    while let Cause::Firing { commitment, trigger } = events[at].cause {
        probability *= p[commitment.index()];
        length += 1;
        at = trigger;
    }
    (probability, length)
}

fn chain(events: &[Event], mut at: usize, actor: ActorId, probability: f64, p: &[f64]) -> Path {
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
    Path { actor, opening, probability, steps }
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
        assert!((path.probability - 0.81).abs() < 1e-12);
        assert_eq!(path.opening, 0);
        assert_eq!(m.actor(path.steps[1].target).name, "A");
        let p = s.probabilities.enters(z).unwrap().value;
        assert!((p - (1.0 - (1.0 - 0.27) * (1.0 - 0.81))).abs() < 1e-12, "{p}");
        // Opening parties enter with certainty and an empty chain.
        let v = s.paths.iter().find(|p| p.actor == actor(&m, "V")).unwrap();
        assert!(v.steps.is_empty() && v.probability == 1.0);
    }
}
