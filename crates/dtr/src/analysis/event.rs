//! Attack events and the cascade state read by conditions: who is at war,
//! with whom, who has been an aggressor, the highest rung so far.

use super::side::Sides;
use crate::model::{self, IdSet};
use crate::vocabulary::{ActorId, DomainSetId, ExpandedId, RungId};
use serde::Serialize;

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
            sides: self.sides.clone(),
            top: self.top,
        }
    }

    fn clone_from(&mut self, source: &War) {
        self.involved.clone_from(&source.involved);
        self.aggressors.clone_from(&source.aggressors);
        self.victims.clone_from(&source.victims);
        self.enemies.clone_from(&source.enemies);
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
        }
        self.enemies[a].insert(v);
        self.enemies[v].insert(a);
        self.sides.attack(event.aggressor, event.victim, matches!(event.cause, Cause::Opening { .. }));
        self.top = self.top.max(Some(event.rung));
    }

    /// The state before any event, keeping the allocations.
    pub fn clear(&mut self) {
        self.involved.clear();
        self.aggressors.clear();
        self.victims.clear();
        for enemies in &mut self.enemies {
            enemies.clear();
        }
        self.sides.clear();
        self.top = None;
    }

    pub fn at_war(&self, a: ActorId, b: ActorId) -> bool {
        self.enemies.get(a.index()).is_some_and(|e| e.contains(b.index()))
    }

    /// The actors at war with `actor`.
    pub fn enemies(&self, actor: usize) -> Option<&IdSet> {
        self.enemies.get(actor)
    }

    /// Whether any pair is at war.
    pub fn any(&self) -> bool {
        !self.involved.is_empty()
    }
}
