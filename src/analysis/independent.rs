//! Which decisions of the exact walk can be taken out of it: a defence or
//! alliance obligation whose firing cannot influence any other firing.
//!
//! The walk needs only marginals (P(actor enters), P(rung reached), the
//! expected number of entrants) and best paths. When honouring `c` adds one
//! event `G attacks R` that no other commitment answers and that changes no
//! other firing, the cascades with and without it differ by that event
//! alone: the walk leaves it out (`Cascade::defer`) and adds, at each leaf,
//! G's entry with probability p(c), and the rung as the independent maximum
//! of the leaf's and the deferred events'. A leaf with k such firings stands
//! for the 2^k leaves of the full tree, with the same marginals.
//!
//! Soundness. With no condition that reads the war state (`war between`,
//! `war with` other than a defence's or obligation's own protected actor:
//! see [`reads_war_state`]) and no promise with `when`, a firing depends on the state
//! only through its trigger event, "not at war with the target" (rule 3)
//! and, for `neutral` promises, whether the target is at war. Let G, the
//! acting actor of `c` (a `defend` or `join`), be *quiet*: no other
//! in-force commitment of G can attack, no plan targets G, and G is no
//! opening party. Then G's only events are `c`'s firings, provided no
//! commitment answers them: [`Independence::isolated`] checks, for the
//! event `c` would create, every `defend` and `join` of R, every `join` of
//! G and every plan, by kind, rule 3's conditions on the event (and "at
//! war" for a pair that are the trigger's two parties) and the condition (for both values of `provoked`, so that the answer depends on
//! the trigger only and is the same in every branch that decides `c` on
//! it). So G is at war only with R, which changes no other firing (nothing
//! else of G can fire, nothing fires at G), and no promise toward G is ever
//! tested. R is a party of the trigger, already at war.
//!
//! What this does not cover is left to the walk: a deferred commitment that
//! would fire a second time (on another trigger) makes the walk start again
//! without deferring; a cascade at the event limit likewise.

use super::cascade::response_target;
use super::condition::{Scene, matches};
use super::event::{Cause, Event, War};
use crate::check::program::ScenarioId;
use crate::model::{Expanded, ExpandedId, IdSet, Kind, Model, Predicate};

/// The model-wide part of the test, computed once per evaluation.
pub struct Independence<'m> {
    model: &'m Model,
    /// In-force plans that can fire (they have a condition).
    plans: Vec<ExpandedId>,
    /// Actors whose only possible events are the firings of their one
    /// commitment that can attack.
    quiet: IdSet,
}

impl<'m> Independence<'m> {
    /// None when some condition reads the war state or some promise has
    /// `when`: then every decision stays in the walk.
    pub fn new(model: &'m Model, scenario: ScenarioId) -> Option<Independence<'m>> {
        let live = || model.commitments.iter().filter(|c| c.in_force);
        let state_free = live().all(|c| {
            c.kind == Kind::Consult || if c.kind.is_promise() { c.condition.is_none() } else { !reads_war_state(c) }
        });
        if !state_free {
            return None;
        }
        let mut attacking = vec![0u32; model.actors.len()];
        let mut targeted = IdSet::new();
        let mut plans = Vec::new();
        for (i, c) in model.commitments.iter().enumerate().filter(|(_, c)| c.in_force && c.kind.attacks()) {
            attacking[c.acting.index()] += 1;
            if c.kind == Kind::Attacks && c.condition.is_some() {
                targeted.insert(c.protected.index());
                plans.push(ExpandedId(i as u32));
            }
        }
        let mut opening = IdSet::new();
        for o in model.scenarios.get(scenario.index()).map_or(&[][..], |s| &s.openings[..]) {
            opening.insert(o.aggressor.index());
            opening.insert(o.victim.index());
        }
        let mut quiet = IdSet::new();
        for (actor, &n) in attacking.iter().enumerate() {
            if n == 1 && !targeted.contains(actor) && !opening.contains(actor) {
                quiet.insert(actor);
            }
        }
        Some(Independence { model, plans, quiet })
    }

    /// Whether the firing of `id` on `trigger` can be taken out of the walk
    /// (see the module documentation). Depends on `id` and `trigger` only.
    pub fn isolated(&self, id: ExpandedId, trigger: &Event) -> bool {
        let model = self.model;
        let c = model.commitment(id);
        if !matches!(c.kind, Kind::Defend | Kind::Join) || !self.quiet.contains(c.acting.index()) {
            return false;
        }
        let Some(target) = response_target(c, trigger) else { return false };
        let mut event = Event {
            aggressor: c.acting,
            victim: target,
            domains: c.domains,
            rung: trigger.rung.max(c.response.unwrap_or(trigger.rung)),
            provoked: false,
            step: trigger.step + 1,
            cause: Cause::Firing { commitment: id, trigger: 0 },
        };
        let index = &model.index;
        let list = |lists: &'m [Vec<ExpandedId>], actor: usize| lists.get(actor).map_or(&[][..], |l| &l[..]);
        let answers = list(&index.defend, target.index())
            .iter()
            .chain(list(&index.join, target.index()))
            .chain(list(&index.join, c.acting.index()))
            .chain(&self.plans);
        // Conditions read no more of the state than `war with` the protected
        // actor, a party of the event.
        let mut war = War::default();
        war.add(&event);
        for &other in answers.filter(|&&other| other != id) {
            let o = model.commitment(other);
            let Some(condition) = o.condition.as_ref().filter(|_| o.in_force) else { continue };
            // Both parties of the trigger are at war in every state that holds
            // the event (an ally's obligation answering G's attack on R).
            match response_target(o, &event) {
                Some(answered) if !(trigger.involves(o.acting) && trigger.involves(answered)) => {}
                _ => continue,
            }
            for provoked in [false, true] {
                event.provoked = provoked;
                if matches(condition, Scene { model, event: &event, war: &war }) {
                    return false;
                }
            }
        }
        true
    }
}

/// Whether `c`'s condition reads the war state beyond what its kind
/// already fixes: a defence or obligation reacts only to events involving
/// its protected actor, so `war with` a set holding that actor (an
/// alliance `join`'s default condition is `war with member`) always holds.
pub fn reads_war_state(c: &Expanded) -> bool {
    c.condition.as_ref().is_some_and(|p| reads(p, c))
}

fn reads(condition: &Predicate, c: &Expanded) -> bool {
    match condition {
        Predicate::Or(items) | Predicate::And(items) => items.iter().any(|p| reads(p, c)),
        Predicate::Not(inner) => reads(inner, c),
        Predicate::WarWith { parties, .. } => !(c.kind.protects() && parties.contains(c.protected.index())),
        Predicate::WarBetween { .. } => true,
        Predicate::Attack(_) | Predicate::ThreatTo { .. } => false,
    }
}
