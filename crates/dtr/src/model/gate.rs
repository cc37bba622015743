//! A compact necessary condition for a commitment's condition to match a
//! trigger event. In bloc-wide wars most defences are considered on events
//! their `attack … by X`, `at >= R` or `within` clause rejects; testing
//! those clauses from a small table avoids reading the commitment and its
//! predicate tree. A gate never rejects an event the condition matches.

use super::{Actor, Expanded, Kind, PartySet, Predicate};
use crate::vocabulary::{ActorId, RungId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    /// The condition can match no event the commitment is considered on.
    never: bool,
    /// The only aggressor its `by` clause accepts.
    aggressor: Option<ActorId>,
    /// The lowest rung its `at` clause accepts, and whether only that one.
    rung: RungId,
    exact: bool,
    /// `unprovoked`: a provoked event fails.
    unprovoked: bool,
    /// `opening`: an event a commitment created fails.
    opening: bool,
}

impl Gate {
    /// Lets every event through.
    pub const OPEN: Gate =
        Gate { never: false, aggressor: None, rung: RungId(0), exact: false, unprovoked: false, opening: false };

    /// The gate of `c`, from the first `attack` atom its condition requires
    /// (the condition itself or an operand of a top-level `and`). A `defend`
    /// is considered only on events whose victim is its protected actor, so
    /// its `on` and `within` clauses are decided once here.
    pub fn of(c: &Expanded, actors: &[Actor]) -> Gate {
        let atom = match c.condition.as_deref() {
            Some(Predicate::Attack(atom)) => atom,
            Some(Predicate::And(items)) => match items.iter().find_map(|p| match p {
                Predicate::Attack(atom) => Some(atom),
                _ => None,
            }) {
                Some(atom) => atom,
                None => return Gate::OPEN,
            },
            _ => return Gate::OPEN,
        };
        let mut gate = Gate::OPEN;
        if c.kind == Kind::Defend {
            let victim = c.protected;
            let off_target = atom.on.as_ref().is_some_and(|on| !on.value.contains(victim.index()));
            let outside = atom
                .within
                .as_ref()
                .is_some_and(|within| !actors.get(victim.index()).is_some_and(|a| a.within.intersects(&within.value)));
            gate.never = off_target || outside;
        }
        if let Some(by) = &atom.by
            && let PartySet::Actors(set) = &by.value
        {
            let mut members = set.iter();
            match (members.next(), members.next()) {
                (Some(only), None) => gate.aggressor = Some(ActorId(only as u32)),
                (None, _) => gate.never = true,
                _ => {}
            }
        }
        if let Some(at) = &atom.at {
            (gate.rung, gate.exact) = (at.value.0, !at.value.1);
        }
        gate.unprovoked = atom.unprovoked.is_some();
        gate.opening = atom.opening.is_some();
        gate
    }

    /// Whether the condition can match no event the commitment is
    /// considered on.
    pub fn never(&self) -> bool {
        self.never
    }

    /// The only aggressor of an event the condition may match, if there is one.
    pub fn sole_aggressor(&self) -> Option<ActorId> {
        self.aggressor
    }

    /// Whether the condition may match an event with these fields
    /// (`opening`: the event is a scenario's opening line).
    #[inline]
    pub fn admits(&self, aggressor: ActorId, rung: RungId, provoked: bool, opening: bool) -> bool {
        !self.never
            && self.aggressor.is_none_or(|a| a == aggressor)
            && if self.exact { rung == self.rung } else { rung >= self.rung }
            && !(self.unprovoked && provoked)
            && (opening || !self.opening)
    }
}
