//! Evaluating compiled conditions against a trigger event and the cascade
//! state, and saying which clause fails when one does not match.
//!
//! Semantics (§4, as decided for the model):
//! - `attack` matches when the victim is in `on`, the aggressor in `by`, the
//!   event's domains meet `in` (an event without domains has every domain),
//!   the victim's region lies within one of `within` (a victim without a
//!   region never matches `within`), `at R` is the exact rung and `at >= R`
//!   any rung from R up, `unprovoked` requires the event not provoked, and
//!   `opening` requires it to be one of the scenario's opening lines.
//! - `war between A and B`: some event of the state (trigger included) has
//!   one party in A and the other in B, in either direction.
//! - `war with X`: some event of the state involves an actor of X.
//! - `threat_to X`: a declared threat targets an actor of X, or the trigger's
//!   victim is in X.

use super::event::{Cause, Event, War};
use crate::model::{AttackPredicate, Model, PartySet, Predicate};
use crate::source::Span;
use serde::Serialize;

/// What a condition is evaluated against.
#[derive(Clone, Copy)]
pub struct Scene<'a> {
    pub model: &'a Model,
    pub event: &'a Event,
    pub war: &'a War,
}

/// The part of a condition that did not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    Unprovoked,
    Opening,
    On,
    By,
    In,
    Within,
    At,
    WarBetween,
    WarWith,
    ThreatTo,
    /// A `not …` whose operand held.
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FailedClause {
    pub clause: ClauseKind,
    pub span: Span,
}

pub fn matches(predicate: &Predicate, scene: Scene) -> bool {
    match predicate {
        Predicate::Or(items) => items.iter().any(|p| matches(p, scene)),
        Predicate::And(items) => items.iter().all(|p| matches(p, scene)),
        Predicate::Not(inner) => !matches(inner, scene),
        Predicate::Attack(atom) => attack_failure(atom, scene).is_none(),
        // From the named side's enemies: a party list is short, the war is not.
        Predicate::WarBetween { left, right, .. } => match (left, right) {
            (PartySet::Actors(named), other) | (other @ PartySet::Any, PartySet::Actors(named)) => {
                named.iter().any(|x| scene.war.enemies(x).is_some_and(|e| other.meets(e)))
            }
            (PartySet::Any, PartySet::Any) => scene.war.any(),
        },
        Predicate::WarWith { parties, .. } => parties.meets(&scene.war.involved),
        Predicate::ThreatTo { parties, .. } => {
            parties.contains(scene.event.victim.index()) || parties.meets(&scene.model.threatened)
        }
    }
}

/// Why `predicate` does not match (empty when it does): for `and` the first
/// failing operand, for `or` every operand's failure, for an `attack` atom
/// its first failing clause in the order they are written in the grammar.
pub fn failing_clauses(predicate: &Predicate, scene: Scene) -> Vec<FailedClause> {
    if matches(predicate, scene) {
        return Vec::new();
    }
    match predicate {
        Predicate::Or(items) => items.iter().flat_map(|p| failing_clauses(p, scene)).collect(),
        Predicate::And(items) => {
            items.iter().map(|p| failing_clauses(p, scene)).find(|f| !f.is_empty()).unwrap_or_default()
        }
        Predicate::Not(inner) => {
            inner.span().map(|span| FailedClause { clause: ClauseKind::Not, span }).into_iter().collect()
        }
        Predicate::Attack(atom) => {
            attack_failure(atom, scene).map(|(clause, span)| FailedClause { clause, span }).into_iter().collect()
        }
        Predicate::WarBetween { span, .. } => vec![FailedClause { clause: ClauseKind::WarBetween, span: *span }],
        Predicate::WarWith { span, .. } => vec![FailedClause { clause: ClauseKind::WarWith, span: *span }],
        Predicate::ThreatTo { span, .. } => vec![FailedClause { clause: ClauseKind::ThreatTo, span: *span }],
    }
}

fn attack_failure(atom: &AttackPredicate, scene: Scene) -> Option<(ClauseKind, Span)> {
    let e = scene.event;
    if let Some(span) = atom.unprovoked
        && e.provoked
    {
        return Some((ClauseKind::Unprovoked, span));
    }
    if let Some(span) = atom.opening
        && !matches!(e.cause, Cause::Opening { .. })
    {
        return Some((ClauseKind::Opening, span));
    }
    if let Some(on) = &atom.on
        && !on.value.contains(e.victim.index())
    {
        return Some((ClauseKind::On, on.span));
    }
    if let Some(by) = &atom.by
        && !by.value.contains(e.aggressor.index())
    {
        return Some((ClauseKind::By, by.span));
    }
    if let Some(domains) = &atom.domains {
        let meets = match e.domains {
            None => !domains.value.is_empty(),
            Some(set) => scene.model.domain_set(set).intersects(&domains.value),
        };
        if !meets {
            return Some((ClauseKind::In, domains.span));
        }
    }
    if let Some(within) = &atom.within
        && !scene.model.actor(e.victim).within.intersects(&within.value)
    {
        return Some((ClauseKind::Within, within.span));
    }
    if let Some(at) = &atom.at {
        let (rung, at_least) = at.value;
        let holds = if at_least { e.rung >= rung } else { e.rung == rung };
        if !holds {
            return Some((ClauseKind::At, at.span));
        }
    }
    None
}
