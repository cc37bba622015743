//! Why and why not (§5): for every actor that holds a commitment, the
//! chain by which it enters, each step's probability split into its
//! factors, and what became of each of its commitments in the
//! all-honoured cascade: the event it answered, or the first rule of
//! [`Stop`] that stopped it.
//!
//! A commitment that never fired is replayed on every event of the
//! all-honoured cascade in the state the cascade was in when it considered
//! that event: the events created before it, which are a prefix of the
//! list (events are created in queue order, and on one event in
//! declaration order of the commitments that fire). Of the stops met on
//! the events, the explanation keeps the furthest rule (a condition that
//! failed beats a kind that never answered), at its first event.

use super::cascade::{response_target, rules};
use super::cascade::rule::Stop;
use super::escalation::Escalation;
use super::event::{Cause, War};
use super::paths::Path;
use crate::model::{IdSet, Model};
use crate::vocabulary::{ActorId, ExpandedId};
use serde::Serialize;

/// The most rule evaluations one scenario's explanations spend (events ×
/// commitments that never fired); beyond it they are not evaluated and
/// the report says so.
pub const WORK_LIMIT: u64 = 20_000_000;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Why {
    pub actor: ActorId,
    /// The event by which it enters the all-honoured cascade.
    pub entry: Option<usize>,
    /// Its most probable path's steps, each as its factors.
    pub chain: Vec<Factors>,
    /// Every commitment it acts on (promises aside), in declaration order.
    pub commitments: Vec<Outcome>,
}

/// An honour probability as the model computes it: the provision's
/// credibility for the acting actor (its `except` entry when it has one)
/// times the actor's resolve.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factors {
    pub commitment: ExpandedId,
    pub credibility: f64,
    /// The credibility is the acting actor's `except` entry.
    pub except: bool,
    pub resolve: f64,
    pub p: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub commitment: ExpandedId,
    pub fate: Fate,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fate {
    /// It fired on this event (its first firing).
    Fired { trigger: usize },
    /// It never fired: the furthest rule that stopped it, on its first
    /// event (None when it was not in force), against the target it would
    /// have answered there (None when its kind answers no event).
    Stopped { stop: Stop, event: Option<usize>, target: Option<ActorId> },
}

/// The factors of an honour probability.
pub fn factors(model: &Model, id: ExpandedId) -> Factors {
    let c = model.commitment(id);
    let provision = model.provision(c.provision);
    Factors {
        commitment: id,
        credibility: provision.credibility_for(c.acting),
        except: provision.except.iter().any(|(a, _)| *a == c.acting),
        resolve: model.actor(c.acting).resolve,
        p: c.p,
    }
}

/// The explanations of every actor that acts on some commitment other
/// than a promise, in actor order; None beyond [`WORK_LIMIT`].
pub fn explain(model: &Model, escalation: &Escalation, paths: &[Path]) -> Option<Vec<Why>> {
    let events = &escalation.events;
    let mut fates: Vec<Option<Fate>> = vec![None; model.commitments.len()];
    for e in events {
        if let Cause::Firing { commitment, trigger } = e.cause {
            fates[commitment.index()].get_or_insert(Fate::Fired { trigger });
        }
    }
    for c in &escalation.consultations {
        fates[c.commitment.index()].get_or_insert(Fate::Fired { trigger: c.event });
    }
    let unfired: Vec<ExpandedId> = (0..model.commitments.len() as u32)
        .map(ExpandedId)
        .filter(|&id| !model.commitment(id).kind.is_promise() && fates[id.index()].is_none())
        .collect();
    if (events.len() as u64).saturating_mul(unfired.len() as u64) > WORK_LIMIT {
        return None;
    }
    for (id, fate) in replay(model, escalation, &unfired) {
        fates[id.index()] = Some(fate);
    }
    let mut by_actor: Vec<Vec<Outcome>> = vec![Vec::new(); model.actors.len()];
    for (i, fate) in fates.into_iter().enumerate() {
        if let Some(fate) = fate {
            let commitment = ExpandedId(i as u32);
            by_actor[model.commitment(commitment).acting.index()].push(Outcome { commitment, fate });
        }
    }
    let entries = super::escalation::entries(events);
    Some(
        by_actor
            .into_iter()
            .enumerate()
            .filter(|(_, outcomes)| !outcomes.is_empty())
            .map(|(i, commitments)| {
                let actor = ActorId(i as u32);
                let chain = paths
                    .iter()
                    .find(|p| p.actor == actor)
                    .map_or_else(Vec::new, |p| p.steps.iter().map(|s| factors(model, s.commitment)).collect());
                let entry = entries.iter().find(|(a, _)| *a == actor).map(|&(_, event)| event);
                Why { actor, entry, chain, commitments }
            })
            .collect(),
    )
}

/// The fate of each of `unfired` (in id order) on the events of the
/// all-honoured cascade.
fn replay(model: &Model, escalation: &Escalation, unfired: &[ExpandedId]) -> Vec<(ExpandedId, Fate)> {
    let events = &escalation.events;
    let mut furthest: Vec<Option<(Stop, usize)>> = vec![None; unfired.len()];
    let consulted = IdSet::new();
    let mut war = War::default();
    let mut known = 0;
    for head in 0..events.len() {
        for (slot, &id) in unfired.iter().enumerate() {
            if !model.commitment(id).in_force {
                continue;
            }
            // The events that existed when the cascade considered `id` on
            // `head`: those answering earlier events, then those of
            // commitments declared before it on this one.
            while known < events.len() && created_before(&events[known].cause, head, id) {
                war.add(&events[known]);
                known += 1;
            }
            let stop = match rules(model, &events[..known.max(head + 1)], &war, &consulted, id, head) {
                Ok(_) => continue, // only a cascade cut at the event limit leaves one
                Err(stop) => stop,
            };
            if furthest[slot].is_none_or(|(best, _)| stop > best) {
                furthest[slot] = Some((stop, head));
            }
        }
    }
    unfired
        .iter()
        .zip(furthest)
        .map(|(&id, found)| {
            let fate = match (model.commitment(id).in_force, found) {
                (false, _) => Fate::Stopped { stop: Stop::NotInForce, event: None, target: None },
                (true, Some((stop, event))) => {
                    let target = response_target(model.commitment(id), &events[event]).ok();
                    Fate::Stopped { stop, event: Some(event), target }
                }
                (true, None) => Fate::Stopped { stop: Stop::Kind, event: None, target: None },
            };
            (id, fate)
        })
        .collect()
}

/// Whether an event with `cause` existed when the cascade considered
/// commitment `id` on event `head`.
fn created_before(cause: &Cause, head: usize, id: ExpandedId) -> bool {
    match *cause {
        Cause::Opening { .. } => true,
        Cause::Firing { commitment, trigger } => trigger < head || (trigger == head && commitment < id),
    }
}
