//! The firing rules of §5, one variant per reason a commitment considered
//! on an event does not fire, in the order the cascade checks them
//! ([`super::rules`]). Every rule of the evaluator is a variant here:
//! `dtr analyze` reports the [`Stop::Promise`] and [`Stop::Side`] ones as
//! conflicts, why-not ([`crate::analysis::why`]) the first that stopped
//! each commitment, and a new rule is a new variant.

use crate::analysis::side::Side;
use crate::vocabulary::ExpandedId;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Stop {
    /// Rule 1: not in force in the analysis period.
    NotInForce,
    /// Rule 2: its kind cannot react to the event (a defence whose
    /// protected actor is not the victim, a `join` whose protected actor
    /// is no party of it, a promise).
    Kind,
    /// Rule 3: its acting actor is the event's aggressor (a plan excepted)
    /// or would answer itself.
    OwnAttack,
    /// Rule 3: the consultation is recorded already.
    Consulted,
    /// Rule 3: its acting actor is at war with the response target already,
    /// and for an attack the war between them has reached its declared
    /// `response` or it declares none (a higher one escalates; a
    /// consultation never goes to an enemy).
    AtWar,
    /// Rule 3: it has fired against the response target already.
    Fired,
    /// Rule 2: its condition does not match the event (or it has none).
    Condition,
    /// Rule 4: a promise of the acting actor toward the response target.
    Promise { promise: ExpandedId },
    /// Rule 5: the acting actor and the response target are on the same
    /// side (`side`) of the war: it would fight its own side.
    Side { side: Side },
}

impl Stop {
    /// Whether the report lists it as a conflict: the commitment matched
    /// and only a promise or its side stopped it.
    pub fn is_conflict(self) -> bool {
        matches!(self, Stop::Promise { .. } | Stop::Side { .. })
    }

    /// The rule's place in the order the cascade checks them: of the rules
    /// that stop a commitment on several events, the highest is the
    /// furthest it got. By rule only: a derived order would also compare
    /// the promises or sides it carries.
    pub fn rank(self) -> u8 {
        match self {
            Stop::NotInForce => 0,
            Stop::Kind => 1,
            Stop::OwnAttack => 2,
            Stop::Consulted => 3,
            Stop::AtWar => 4,
            Stop::Fired => 5,
            Stop::Condition => 6,
            Stop::Promise { .. } => 7,
            Stop::Side { .. } => 8,
        }
    }

    /// Its name in the report's JSON, as its serde tag.
    pub fn name(self) -> &'static str {
        match self {
            Stop::NotInForce => "not_in_force",
            Stop::Kind => "kind",
            Stop::OwnAttack => "own_attack",
            Stop::Consulted => "consulted",
            Stop::AtWar => "at_war",
            Stop::Fired => "fired",
            Stop::Condition => "condition",
            Stop::Promise { .. } => "promise",
            Stop::Side { .. } => "side",
        }
    }
}
