//! Attack events and the cascade state read by conditions: who is at war,
//! with whom, who has been an aggressor, the highest rung so far.

use crate::check::program::{ActorId, RungId};
use crate::model::{DomainSetId, ExpandedId, IdSet};
use serde::Serialize;
use std::collections::BTreeSet;

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
#[derive(Clone, Debug, Default)]
pub struct War {
    /// Actors that are aggressor or victim of some event.
    pub involved: IdSet,
    /// Actors that have been the aggressor of some event.
    pub aggressors: IdSet,
    /// Pairs at war, in both orientations, so that one actor's enemies are
    /// a range.
    pairs: BTreeSet<(u32, u32)>,
    pub top: Option<RungId>,
}

impl War {
    pub fn add(&mut self, event: &Event) {
        self.involved.insert(event.aggressor.index());
        self.involved.insert(event.victim.index());
        self.aggressors.insert(event.aggressor.index());
        let (a, v) = (event.aggressor.0, event.victim.0);
        self.pairs.insert((a, v));
        self.pairs.insert((v, a));
        self.top = self.top.max(Some(event.rung));
    }

    pub fn at_war(&self, a: ActorId, b: ActorId) -> bool {
        self.pairs.contains(&(a.0, b.0))
    }

    /// The actors at war with `actor`.
    pub fn enemies(&self, actor: usize) -> impl Iterator<Item = usize> + '_ {
        let actor = actor as u32;
        self.pairs.range((actor, 0)..=(actor, u32::MAX)).map(|&(_, e)| e as usize)
    }

    /// Whether any pair at war exists.
    pub fn any(&self) -> bool {
        !self.pairs.is_empty()
    }
}
