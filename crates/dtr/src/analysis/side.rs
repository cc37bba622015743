//! Which side each entrant fights on: with the opener (the aggressor of an
//! opening attack) or with the target (its victim), as war data sets code
//! the two sides of a war.
//!
//! Sides are read from a sequence of attacks in the order they happen: an
//! opening gives its aggressor the opener's side and its victim the
//! target's; any other attack puts a party without a side on the side
//! opposite the other party's. An attack between two parties without a
//! side (a plan against an actor outside the war, by an actor outside it)
//! gives neither one, and an actor keeps the first side it is given.

use super::event::{Cause, Event};
use super::paths::Path;
use crate::model::Opening;
use crate::vocabulary::ActorId;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Opener,
    Target,
}

impl Side {
    /// `opener` or `target`, as JSON, CSV and the reports name it.
    pub fn name(self) -> &'static str {
        match self {
            Side::Opener => "opener",
            Side::Target => "target",
        }
    }

    fn other(self) -> Side {
        match self {
            Side::Opener => Side::Target,
            Side::Target => Side::Opener,
        }
    }
}

/// Sides by actor index, filled from attacks in order (grown as actors
/// get one).
#[derive(Debug, Default)]
pub struct Sides(Vec<Option<Side>>);

/// `clone_from` reuses the allocation: forked cascades copy their state.
impl Clone for Sides {
    fn clone(&self) -> Sides {
        Sides(self.0.clone())
    }

    fn clone_from(&mut self, source: &Sides) {
        self.0.clone_from(&source.0);
    }
}

impl Sides {
    pub fn new(actors: usize) -> Sides {
        Sides(vec![None; actors])
    }

    pub fn get(&self, actor: ActorId) -> Option<Side> {
        self.0.get(actor.index()).copied().flatten()
    }

    /// The side both actors are on, if they are on the same one.
    pub fn shared(&self, a: ActorId, b: ActorId) -> Option<Side> {
        self.get(a).filter(|&side| self.get(b) == Some(side))
    }

    fn set(&mut self, actor: ActorId, side: Side) {
        if self.0.len() <= actor.index() {
            self.0.resize(actor.index() + 1, None);
        }
        let slot = &mut self.0[actor.index()];
        if slot.is_none() {
            *slot = Some(side);
        }
    }

    /// The state before any attack, keeping the allocation.
    pub fn clear(&mut self) {
        self.0.iter_mut().for_each(|s| *s = None);
    }

    /// One attack: an opening, or an attack answering another.
    pub fn attack(&mut self, aggressor: ActorId, victim: ActorId, opening: bool) {
        if opening {
            self.set(aggressor, Side::Opener);
            self.set(victim, Side::Target);
        } else if let Some(side) = self.get(victim) {
            self.set(aggressor, side.other());
        } else if let Some(side) = self.get(aggressor) {
            self.set(victim, side.other());
        }
    }

    /// The sides in a cascade (events in creation order).
    pub fn of_cascade(events: &[Event], actors: usize) -> Sides {
        let mut sides = Sides::new(actors);
        for e in events {
            sides.attack(e.aggressor, e.victim, matches!(e.cause, Cause::Opening { .. }));
        }
        sides
    }

    /// The side of the actor a path leads to, along that path alone: its
    /// opening, then each firing.
    pub fn at_end_of(path: &Path, opening: &Opening, actors: usize) -> Option<Side> {
        let mut sides = Sides::new(actors);
        sides.attack(opening.aggressor, opening.victim, true);
        for step in &path.steps {
            sides.attack(step.acting, step.target, false);
        }
        sides.get(path.actor)
    }
}

#[cfg(test)]
mod tests {
    use super::{Side, Sides};
    use crate::analysis::escalation::escalate;
    use crate::model::testing::{actor, model, scenario};

    #[test]
    fn allies_of_each_side_take_it_and_outsiders_take_none() {
        let m = model(
            r#"
            actor RUS actor EST actor USA actor BLR actor GBR actor CHN actor TWN
            commitment guard: USA defends EST
            commitment ally: BLR defends RUS
            commitment late: GBR attacks CHN { when: war with [USA] }
            commitment far: TWN defends CHN
            scenario s { RUS attacks EST }
            "#,
        );
        let e = escalate(&m, scenario(&m, "s"));
        let sides = Sides::of_cascade(&e.events, m.actors.len());
        let side = |name| sides.get(actor(&m, name));
        assert_eq!(
            ["RUS", "EST", "USA", "BLR", "GBR", "CHN", "TWN"].map(side),
            [Some(Side::Opener), Some(Side::Target), Some(Side::Target), Some(Side::Opener), None, None, None]
        );
        assert_eq!(e.events.len(), 5, "GBR attacks CHN and TWN answers: a war of its own");
    }
}
