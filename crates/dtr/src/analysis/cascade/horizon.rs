//! How far an all-honoured cascade can go at most: the actors that can
//! ever enter it and the highest rung an event can reach, from the
//! cascade's index alone. `dtr sweep` reports only who enters and the top
//! rung, so a cascade that has reached both bounds can stop: the events it
//! would still create are between actors already in, at rungs already
//! reached. In bloc-wide wars every actor that can enter has entered long
//! before the last pair goes to war, and those remaining pairs were most of
//! a sweep's events.
//!
//! Why the bounds hold: docs/analysis.md, "The sweep's horizon".

use super::EVENT_LIMIT;
use crate::model::{self, Gate, IdSet, Kind, Model};
use crate::vocabulary::{ActorId, ExpandedId, RungId};

/// The per-model tables of the closure: built once per sweep.
#[derive(Clone, Debug)]
pub struct Entry {
    /// What may enter once an actor has, by actor.
    by_actor: Vec<Unlock>,
    /// What may enter from the start: the roaming plans.
    roaming: Unlock,
    /// The distinct `response` rungs of the commitments that can attack.
    responses: Vec<RungId>,
}

#[derive(Clone, Debug, Default)]
struct Unlock {
    actors: IdSet,
    rung: Option<RungId>,
    /// Commitments whose gate also needs its sole aggressor to have entered.
    gated: Vec<Gated>,
}

#[derive(Clone, Copy, Debug)]
struct Gated {
    aggressor: ActorId,
    acting: ActorId,
    /// A plan's target.
    target: Option<ActorId>,
    rung: Option<RungId>,
}

/// The bounds for one scenario's openings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    /// How many actors can enter.
    pub entrants: usize,
    /// The highest rung an event can have.
    pub rung: RungId,
}

impl Entry {
    pub fn new(model: &Model) -> Entry {
        let index = &model.index;
        let by_actor = (0..model.actors.len())
            .map(|a| {
                let lists = [&index.defend, &index.join, &index.plans_by_victim, &index.watching, &index.waking];
                unlock(model, lists.into_iter().flat_map(|l| l.get(a).into_iter().flatten()).copied())
            })
            .collect();
        let mut responses: Vec<RungId> =
            model.commitments.iter().filter(|c| c.in_force && c.kind.attacks()).filter_map(|c| c.response).collect();
        responses.sort_unstable();
        responses.dedup();
        Entry { by_actor, roaming: unlock(model, index.roaming.iter().copied()), responses }
    }

    /// The bounds of a cascade from `openings`, or None when it might reach
    /// [`EVENT_LIMIT`]: whether it is capped then depends on every event.
    pub fn horizon(&self, openings: &[model::Opening]) -> Option<Horizon> {
        let mut entered = IdSet::new();
        let mut rung = openings.iter().map(|o| o.rung).max()?;
        let mut fresh: Vec<usize> = Vec::new();
        let mut pending: Vec<Gated> = Vec::new();
        let enter = |entered: &mut IdSet, fresh: &mut Vec<usize>, u: &Unlock, pending: &mut Vec<Gated>| {
            fresh.extend(u.actors.iter_outside(&[Some(entered)], usize::MAX));
            entered.union_with(&u.actors);
            pending.extend_from_slice(&u.gated);
            u.rung
        };
        for o in openings {
            for a in [o.aggressor, o.victim] {
                admit(&mut entered, &mut fresh, a);
            }
        }
        rung = rung.max(enter(&mut entered, &mut fresh, &self.roaming, &mut pending).unwrap_or(rung));
        loop {
            while let Some(a) = fresh.pop() {
                if let Some(u) = self.by_actor.get(a) {
                    rung = rung.max(enter(&mut entered, &mut fresh, u, &mut pending).unwrap_or(rung));
                }
            }
            // Gated commitments whose aggressor has entered by now.
            let before = pending.len();
            pending.retain(|g| {
                if !entered.contains(g.aggressor.index()) {
                    return true;
                }
                for a in std::iter::once(g.acting).chain(g.target) {
                    admit(&mut entered, &mut fresh, a);
                }
                rung = rung.max(g.rung.unwrap_or(rung));
                false
            });
            if pending.len() == before {
                break;
            }
        }
        let entrants = entered.len();
        // Every event but an opening is between a pair of entrants, above
        // every event between them before (rule 3), and at an opening's rung
        // or a response.
        let mut rungs: Vec<RungId> = openings.iter().map(|o| o.rung).chain(self.responses.iter().copied()).collect();
        rungs.sort_unstable();
        rungs.dedup();
        let most = openings.len() + entrants * entrants.saturating_sub(1) / 2 * rungs.len();
        (most <= EVENT_LIMIT).then_some(Horizon { entrants, rung })
    }
}

/// Marks `a` entered, and fresh if it was not in yet.
fn admit(entered: &mut IdSet, fresh: &mut Vec<usize>, a: ActorId) {
    if !entered.contains(a.index()) {
        entered.insert(a.index());
        fresh.push(a.index());
    }
}

/// What the commitments `ids` let enter once they may be considered.
fn unlock(model: &Model, ids: impl Iterator<Item = ExpandedId>) -> Unlock {
    let mut u = Unlock::default();
    for id in ids {
        let c = model.commitment(id);
        let gate = model.index.gates.get(id.index()).copied().unwrap_or(Gate::OPEN);
        if !c.kind.attacks() || gate.never() {
            continue;
        }
        let target = (c.kind == Kind::Attacks).then_some(c.protected);
        match gate.sole_aggressor() {
            Some(aggressor) => u.gated.push(Gated { aggressor, acting: c.acting, target, rung: c.response }),
            None => {
                u.actors.insert(c.acting.index());
                if let Some(t) = target {
                    u.actors.insert(t.index());
                }
                u.rung = u.rung.max(c.response);
            }
        }
    }
    u
}

#[cfg(test)]
mod tests {
    use super::{Entry, Horizon};
    use crate::model::testing::{model, rung, scenario};

    #[test]
    fn the_closure_follows_protectors_and_waits_for_a_gates_aggressor() {
        let m = model(
            r#"
            actor A actor B actor C actor D actor E actor F
            commitment c1: C defends B { response: regional_war }
            commitment c2: D defends C
            commitment c3: F defends D { when: attack on D by [E] }
            commitment c4: E defends F { when: attack on F by [A] response: general_war }
            scenario west { A attacks B }
            scenario east { E attacks D }
            "#,
        );
        let entry = Entry::new(&m);
        let horizon = |name: &str| entry.horizon(&m.scenarios[scenario(&m, name).index()].openings);
        // F's defence of D waits for E, which nothing here brings in; D is
        // counted though it never enters (C is never a victim): a bound.
        assert_eq!(horizon("west"), Some(Horizon { entrants: 4, rung: rung(&m, "regional_war") }));
        assert_eq!(horizon("east"), Some(Horizon { entrants: 3, rung: rung(&m, "limited_war") }));
        assert_eq!(entry.horizon(&[]), None);
    }
}
