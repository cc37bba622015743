//! Conditions (§4) compiled for one expanded commitment: `member` is bound to
//! the protected actor and every name list is a bitset. Clause spans are kept
//! so that gap reports can point at the clause that excludes a commitment.

use super::idset::IdSet;
use crate::check::program::{AttackCondition, Clause, Condition, Parties};
use crate::source::Span;
use crate::vocabulary::RungId;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    Or(Vec<Predicate>),
    And(Vec<Predicate>),
    Not(Box<Predicate>),
    Attack(AttackPredicate),
    WarBetween { left: PartySet, right: PartySet, span: Span },
    WarWith { parties: PartySet, span: Span },
    ThreatTo { parties: PartySet, span: Span },
}

impl Predicate {
    /// The actors one of which must be involved in some event before this
    /// condition can hold, or None when it may hold without them. `war`
    /// atoms over named actors need one of them at war; an `attack` atom
    /// needs its named victim (or else aggressor) in the event; `threat_to`
    /// needs an attack on a named actor unless one of them is `threatened`
    /// by a declared threat. `and` needs its cheapest operand, `or` any.
    pub fn waking_actors(&self, threatened: &IdSet) -> Option<IdSet> {
        let named = |parties: &PartySet| match parties {
            PartySet::Actors(a) => Some(a.clone()),
            PartySet::Any => None,
        };
        match self {
            Predicate::Or(items) => any_of(items, |p| p.waking_actors(threatened)),
            Predicate::And(items) => all_of(items, |p| p.waking_actors(threatened)),
            Predicate::WarBetween { left, right, .. } => match (named(left), named(right)) {
                (Some(mut a), Some(b)) => {
                    a.union_with(&b);
                    Some(a)
                }
                (Some(a), None) | (None, Some(a)) => Some(a),
                (None, None) => None,
            },
            Predicate::WarWith { parties, .. } => named(parties),
            Predicate::Attack(atom) => {
                let clause = |c: &Option<Clause<PartySet>>| c.as_ref().and_then(|c| named(&c.value));
                clause(&atom.on).or_else(|| clause(&atom.by))
            }
            Predicate::ThreatTo { parties, .. } => named(parties).filter(|a| !a.intersects(threatened)),
            Predicate::Not(_) => None,
        }
    }
}

impl Predicate {
    /// The actors one of which must be the victim of the event a condition
    /// is matched against for it to hold, when there are such: an `attack`
    /// atom on named actors, `threat_to` named actors none of whom is
    /// `threatened` by a declared threat; `and` needs its smallest such
    /// operand, `or` all of its operands.
    pub fn victims(&self, threatened: &IdSet) -> Option<IdSet> {
        match self {
            Predicate::Or(items) => any_of(items, |p| p.victims(threatened)),
            Predicate::And(items) => all_of(items, |p| p.victims(threatened)),
            Predicate::Attack(AttackPredicate { on: Some(Clause { value: PartySet::Actors(a), .. }), .. }) => {
                Some(a.clone())
            }
            Predicate::ThreatTo { parties: PartySet::Actors(a), .. } if !a.intersects(threatened) => Some(a.clone()),
            _ => None,
        }
    }

    /// Whether the condition reads only who is at war with whom, without
    /// `not`: then it can only turn true when an event is created, and
    /// stays true.
    pub fn monotone_war_state(&self) -> bool {
        match self {
            Predicate::Or(items) | Predicate::And(items) => items.iter().all(Predicate::monotone_war_state),
            Predicate::WarBetween { .. } | Predicate::WarWith { .. } => true,
            Predicate::Not(_) | Predicate::Attack(_) | Predicate::ThreatTo { .. } => false,
        }
    }
}

/// The actors an `or` needs: those of every operand (None if one has none).
fn any_of(items: &[Predicate], needs: impl Fn(&Predicate) -> Option<IdSet>) -> Option<IdSet> {
    let mut all = IdSet::new();
    for item in items {
        all.union_with(&needs(item)?);
    }
    Some(all)
}

/// The actors an `and` needs: those of its most selective operand.
fn all_of(items: &[Predicate], needs: impl Fn(&Predicate) -> Option<IdSet>) -> Option<IdSet> {
    items.iter().filter_map(needs).min_by_key(IdSet::len)
}

/// `any`, or a set of actors (`member` already bound).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartySet {
    Any,
    Actors(IdSet),
}

impl PartySet {
    pub fn contains(&self, actor: usize) -> bool {
        match self {
            PartySet::Any => true,
            PartySet::Actors(set) => set.contains(actor),
        }
    }

    /// Whether some actor of `actors` is in this set.
    pub fn meets(&self, actors: &IdSet) -> bool {
        match self {
            PartySet::Any => !actors.is_empty(),
            PartySet::Actors(set) => set.intersects(actors),
        }
    }
}

/// An `attack` atom; an absent clause places no constraint.
#[derive(Clone, Debug, Serialize)]
pub struct AttackPredicate {
    pub unprovoked: Option<Span>,
    /// `opening`: only an event of a scenario's opening lines matches.
    pub opening: Option<Span>,
    pub on: Option<Clause<PartySet>>,
    pub by: Option<Clause<PartySet>>,
    pub domains: Option<Clause<IdSet>>,
    /// The regions as written; an actor's own `within` closure is matched
    /// against them.
    pub within: Option<Clause<IdSet>>,
    /// `(rung, at_least)`: `at R` or `at >= R`.
    pub at: Option<Clause<(RungId, bool)>>,
    pub span: Span,
}

impl Predicate {
    /// Compiles `condition` with `member` bound to `member`.
    pub fn compile(condition: &Condition, member: usize) -> Predicate {
        let parties = |p: &Parties| bind(p, member);
        match condition {
            Condition::Or(items) => Predicate::Or(items.iter().map(|c| Predicate::compile(c, member)).collect()),
            Condition::And(items) => Predicate::And(items.iter().map(|c| Predicate::compile(c, member)).collect()),
            Condition::Not(inner) => Predicate::Not(Box::new(Predicate::compile(inner, member))),
            Condition::Attack(atom) => Predicate::Attack(compile_attack(atom, member)),
            Condition::WarBetween(pair, span) => {
                Predicate::WarBetween { left: parties(&pair.0), right: parties(&pair.1), span: *span }
            }
            Condition::WarWith(x, span) => Predicate::WarWith { parties: parties(x), span: *span },
            Condition::ThreatTo(x, span) => Predicate::ThreatTo { parties: parties(x), span: *span },
        }
    }

    /// The smallest span covering the whole condition (`and`/`or`/`not`
    /// carry no span of their own); None for an empty `and`/`or`.
    pub fn span(&self) -> Option<Span> {
        match self {
            Predicate::Or(items) | Predicate::And(items) => items.iter().filter_map(Predicate::span).reduce(Span::to),
            Predicate::Not(inner) => inner.span(),
            Predicate::Attack(atom) => Some(atom.span),
            Predicate::WarBetween { span, .. } | Predicate::WarWith { span, .. } | Predicate::ThreatTo { span, .. } => {
                Some(*span)
            }
        }
    }
}

fn bind(parties: &Parties, member: usize) -> PartySet {
    match parties {
        Parties::Member => PartySet::Actors([member].into_iter().collect()),
        Parties::Any => PartySet::Any,
        Parties::Actors(actors) => PartySet::Actors(actors.iter().map(|a| a.index()).collect()),
    }
}

fn compile_attack(atom: &AttackCondition, member: usize) -> AttackPredicate {
    let parties = |c: &Clause<Parties>| Clause { value: bind(&c.value, member), span: c.span };
    AttackPredicate {
        unprovoked: atom.unprovoked.then_some(atom.span),
        opening: atom.opening.then_some(atom.span),
        on: atom.on.as_ref().map(parties),
        by: atom.by.as_ref().map(parties),
        domains: atom
            .domains
            .as_ref()
            .map(|c| Clause { value: c.value.iter().map(|d| d.index()).collect(), span: c.span }),
        within: atom
            .within
            .as_ref()
            .map(|c| Clause { value: c.value.iter().map(|r| r.index()).collect(), span: c.span }),
        at: atom.at.clone(),
        span: atom.span,
    }
}
