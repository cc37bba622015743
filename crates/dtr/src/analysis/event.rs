//! Attack events and the cascade state read by conditions: who is at war,
//! with whom, who has been an aggressor, the highest rung so far, and how
//! high each war between two actors has gone (rule 3's vertical escalation).

use super::side::Sides;
use crate::model::{self, IdSet};
use crate::vocabulary::{ActorId, DomainSetId, ExpandedId, RungId};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub aggressor: ActorId,
    pub victim: ActorId,
    /// None means every domain.
    pub domains: Option<DomainSetId>,
    pub rung: RungId,
    pub provoked: bool,
    pub step: u32,
    pub cause: Cause,
}

impl Event {
    /// The event of a scenario's opening line number `index`.
    pub fn opening(o: &model::Opening, index: usize) -> Event {
        Event {
            aggressor: o.aggressor,
            victim: o.victim,
            domains: o.domains,
            rung: o.rung,
            provoked: o.provoked,
            step: 0,
            cause: Cause::Opening { opening: index },
        }
    }

    pub fn involves(&self, actor: ActorId) -> bool {
        self.aggressor == actor || self.victim == actor
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The scenario's opening line with this index.
    Opening { opening: usize },
    /// A commitment fired on the event with index `trigger`.
    Firing { commitment: ExpandedId, trigger: usize },
}

/// Everything conditions ask about the state: kept up to date as events are
/// created so that no question scans the event list.
#[derive(Debug, Default)]
pub struct War {
    /// Actors that are aggressor or victim of some event.
    pub involved: IdSet,
    /// Actors that have been the aggressor of some event.
    pub aggressors: IdSet,
    /// Actors that have been the victim of some event.
    pub victims: IdSet,
    /// Each actor's enemies (indexed by actor, grown as actors enter): "at
    /// war" is one bit, and `war between` intersects bitsets.
    enemies: Vec<IdSet>,
    /// Each actor's enemies whose war with it has reached [`War::ceiling`]:
    /// no firing can escalate it, so rule 3 stops every attack between them.
    settled: Vec<IdSet>,
    /// The highest rung of the events between each pair at war (smaller
    /// actor index first) whose war is below the ceiling.
    pair_tops: HashMap<(u32, u32), RungId>,
    /// The highest `response` of the cascade's commitments, set by the
    /// cascade: a war that reaches it can no longer escalate. None tracks
    /// every pair.
    pub ceiling: Option<RungId>,
    /// Each actor's side, from the events in creation order.
    pub sides: Sides,
    pub top: Option<RungId>,
}

/// `clone_from` reuses every set's allocation ([`IdSet`]'s `clone_from`).
impl Clone for War {
    fn clone(&self) -> War {
        War {
            involved: self.involved.clone(),
            aggressors: self.aggressors.clone(),
            victims: self.victims.clone(),
            enemies: self.enemies.clone(),
            settled: self.settled.clone(),
            pair_tops: self.pair_tops.clone(),
            ceiling: self.ceiling,
            sides: self.sides.clone(),
            top: self.top,
        }
    }

    fn clone_from(&mut self, source: &War) {
        self.involved.clone_from(&source.involved);
        self.aggressors.clone_from(&source.aggressors);
        self.victims.clone_from(&source.victims);
        self.enemies.clone_from(&source.enemies);
        self.settled.clone_from(&source.settled);
        self.pair_tops.clone_from(&source.pair_tops);
        self.ceiling = source.ceiling;
        self.sides.clone_from(&source.sides);
        self.top = source.top;
    }
}

impl War {
    pub fn add(&mut self, event: &Event) {
        self.involved.insert(event.aggressor.index());
        self.involved.insert(event.victim.index());
        self.aggressors.insert(event.aggressor.index());
        self.victims.insert(event.victim.index());
        let (a, v) = (event.aggressor.index(), event.victim.index());
        let needed = a.max(v) + 1;
        if self.enemies.len() < needed {
            self.enemies.resize(needed, IdSet::new());
            self.settled.resize(needed, IdSet::new());
        }
        self.enemies[a].insert(v);
        self.enemies[v].insert(a);
        if a != v && !self.settled[a].contains(v) {
            if self.ceiling.is_some_and(|c| event.rung >= c) {
                self.settled[a].insert(v);
                self.settled[v].insert(a);
                self.pair_tops.remove(&pair(a, v));
            } else {
                let top = self.pair_tops.entry(pair(a, v)).or_insert(event.rung);
                *top = (*top).max(event.rung);
            }
        }
        self.sides.attack(event.aggressor, event.victim, matches!(event.cause, Cause::Opening { .. }));
        self.top = self.top.max(Some(event.rung));
    }

    /// The state before any event, keeping the allocations.
    pub fn clear(&mut self) {
        self.involved.clear();
        self.aggressors.clear();
        self.victims.clear();
        for enemies in self.enemies.iter_mut().chain(&mut self.settled) {
            enemies.clear();
        }
        self.pair_tops.clear();
        self.sides.clear();
        self.top = None;
    }

    pub fn at_war(&self, a: ActorId, b: ActorId) -> bool {
        self.enemies.get(a.index()).is_some_and(|e| e.contains(b.index()))
    }

    /// Whether rule 3 stops an attack between `a` and `b` by a commitment
    /// whose `response` is `response`: they are at war, and the war between
    /// them has reached that rung already (an event between them, either
    /// way, is at it or higher) or the commitment declares none.
    pub fn settles(&self, a: ActorId, b: ActorId, response: Option<RungId>) -> bool {
        self.at_war(a, b)
            && response.is_none_or(|rung| {
                self.settled.get(a.index()).is_some_and(|s| s.contains(b.index()))
                    || self.pair_tops.get(&pair(a.index(), b.index())).is_some_and(|&top| top >= rung)
            })
    }

    /// The highest rung of the events between `a` and `b` while their war
    /// can still escalate; None when they are not at war or it cannot.
    pub fn escalable_top(&self, a: ActorId, b: ActorId) -> Option<RungId> {
        self.pair_tops.get(&pair(a.index(), b.index())).copied()
    }

    /// Whether no attack between `a` and `b` can happen any more: their
    /// war has reached the ceiling.
    pub fn settled(&self, a: ActorId, b: ActorId) -> bool {
        self.settled.get(a.index()).is_some_and(|s| s.contains(b.index()))
    }

    /// The actors at war with `actor`.
    pub fn enemies(&self, actor: usize) -> Option<&IdSet> {
        self.enemies.get(actor)
    }

    /// The actors whose war with `actor` has reached the ceiling: no
    /// commitment of theirs can attack it again.
    pub fn settled_enemies(&self, actor: usize) -> Option<&IdSet> {
        self.settled.get(actor)
    }

    /// Whether any pair is at war.
    pub fn any(&self) -> bool {
        !self.involved.is_empty()
    }
}

/// The key of an unordered pair of actors.
fn pair(a: usize, b: usize) -> (u32, u32) {
    (a.min(b) as u32, a.max(b) as u32)
}
