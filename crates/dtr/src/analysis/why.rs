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

use super::cascade::rule::Stop;
use super::cascade::{Record, response_target, rules};
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
    /// event (None when it was not in force or answered no event),
    /// against the target it would have answered there.
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
    let (consulted, broken, struck) = (IdSet::new(), IdSet::new(), std::collections::BTreeSet::new());
    // The all-honoured cascade keeps every promise: none is broken.
    let record = Record { consulted: &consulted, broken: &broken, struck: &struck };
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
            // Only commitments that never fired are replayed: none struck.
            let stop = match rules(model, &events[..known.max(head + 1)], &war, record, id, head) {
                Ok(_) => continue, // only a cascade cut at the event limit leaves one
                Err(stop) => stop,
            };
            if furthest[slot].is_none_or(|(best, _)| stop.rank() > best.rank()) {
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
                // No event to name: it answered none.
                (true, None | Some((Stop::Kind, _))) => Fate::Stopped { stop: Stop::Kind, event: None, target: None },
                (true, Some((stop, event))) => {
                    let target = response_target(model.commitment(id), &events[event]).ok();
                    Fate::Stopped { stop, event: Some(event), target }
                }
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

#[cfg(test)]
mod tests {
    use super::{Fate, Why};
    use crate::analysis::{RUN_WORK_LIMIT, Stop, analyze_scenario};
    use crate::model::Model;
    use crate::model::testing::{actor, model, scenario};

    fn why(m: &Model, name: &str) -> Why {
        let s = analyze_scenario(m, scenario(m, "s"), RUN_WORK_LIMIT);
        s.why.expect("evaluated").into_iter().find(|w| w.actor == actor(m, name)).expect("explained")
    }

    /// Each commitment's fate, by label.
    fn fates(m: &Model, name: &str) -> Vec<(String, Fate)> {
        why(m, name).commitments.iter().map(|o| (m.commitment_label(o.commitment), o.fate)).collect()
    }

    const WORLD: &str = r#"
        settings { date: 1990-08-08 }
        actor IRQ actor KWT actor SAU actor USA { resolve: 85% } actor FRA actor GBR
        alliance gcc { members: [SAU, GBR] obligation o defend { credibility: 90% except { GBR: 60% } } }
        commitment shield: USA defends KWT { credibility: 90% }
        commitment again: USA defends KWT { credibility: 50% }
        commitment daguet: FRA defends SAU { since: 1990-09-15 }
        commitment pledge: SAU defends KWT
        commitment truce: SAU nonaggression IRQ
        commitment trip: FRA attacks IRQ { when: attack on SAU }
        commitment idle: GBR attacks IRQ
        scenario s { IRQ attacks KWT }
    "#;

    #[test]
    fn each_commitment_gets_the_first_rule_that_stopped_it() {
        let m = model(WORLD);
        let irq = actor(&m, "IRQ");
        let truce = m.provision(m.provision_named("truce").unwrap()).expanded.start;
        assert_eq!(
            fates(&m, "SAU"),
            [
                ("gcc.o[SAU→GBR]".to_string(), Fate::Stopped { stop: Stop::Kind, event: None, target: None }),
                (
                    "pledge".to_string(),
                    Fate::Stopped {
                        stop: Stop::Promise { promise: crate::vocabulary::ExpandedId(truce) },
                        event: Some(0),
                        target: Some(irq),
                    }
                ),
            ]
        );
        assert_eq!(
            fates(&m, "USA"),
            [
                ("shield".to_string(), Fate::Fired { trigger: 0 }),
                // Declared after `shield`, it meets the war `shield` began.
                ("again".to_string(), Fate::Stopped { stop: Stop::AtWar, event: Some(0), target: Some(irq) }),
            ]
        );
        assert_eq!(
            fates(&m, "FRA"),
            [
                ("daguet".to_string(), Fate::Stopped { stop: Stop::NotInForce, event: None, target: None }),
                ("trip".to_string(), Fate::Stopped { stop: Stop::Condition, event: Some(0), target: Some(irq) }),
            ]
        );
        // A plan without `when` never fires: its condition never matches.
        let idle = fates(&m, "GBR");
        assert_eq!(
            idle[1],
            ("idle".to_string(), Fate::Stopped { stop: Stop::Condition, event: Some(0), target: Some(irq) })
        );
    }

    /// The first event on which the furthest rule stopped it, whatever the
    /// target: a defence of GBR whose condition fails on both attacks on
    /// GBR is reported on the first, though the second's aggressor has the
    /// higher id.
    #[test]
    fn the_furthest_rule_is_reported_on_its_first_event() {
        let m = model(
            r#"
            actor Z actor A actor GBR actor ITA
            commitment ally: ITA defends GBR { when: attack on GBR by [ITA] }
            scenario s {
              Z attacks GBR
              A attacks GBR
            }
            "#,
        );
        let z = actor(&m, "Z");
        let ally = Fate::Stopped { stop: Stop::Condition, event: Some(0), target: Some(z) };
        assert_eq!(fates(&m, "ITA"), [("ally".to_string(), ally)]);
    }

    /// Kuwait's defence of Iraq through the league would fight Saudi
    /// Arabia, on Kuwait's own side: why-not names the side rule, as the
    /// conflicts do (one `Stop` for both).
    #[test]
    fn a_commitment_that_would_fight_its_own_side_is_stopped_by_the_side_rule() {
        let m = model(
            r#"
            actor IRQ actor KWT actor SAU
            alliance league { members: [IRQ, KWT, SAU] obligation article2 defend }
            scenario s { IRQ attacks KWT }
            "#,
        );
        let side = Fate::Stopped {
            stop: Stop::Side { side: crate::analysis::side::Side::Target },
            event: Some(1),
            target: Some(actor(&m, "SAU")),
        };
        assert!(fates(&m, "KWT").contains(&("league.article2[KWT→IRQ]".to_string(), side)), "{:?}", fates(&m, "KWT"));
    }

    #[test]
    fn an_entrant_gets_its_path_in_factors() {
        let m = model(WORLD);
        let usa = why(&m, "USA");
        assert_eq!(usa.entry, Some(1));
        let f = &usa.chain[0];
        assert_eq!(m.commitment_label(f.commitment), "shield");
        assert_eq!((f.credibility, f.except, f.resolve), (0.9, false, 0.85));
        assert!((f.p - 0.765).abs() < 1e-12);
        // GBR's credibility in gcc.o is its `except` entry.
        let m = model(&WORLD.replace("scenario s { IRQ attacks KWT }", "scenario s { IRQ attacks SAU }"));
        let gbr = why(&m, "GBR");
        assert_eq!((gbr.chain[0].credibility, gbr.chain[0].except), (0.6, true));
    }
}
