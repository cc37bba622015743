//! Which parts of the exact walk's decision tree can be taken out of it: a
//! defence or alliance obligation whose firing, with everything that
//! answers it, cannot influence any other firing nor be influenced by one.
//!
//! The walk needs only marginals (P(actor enters), P(rung reached), the
//! mean and second moment of the number of entrants) and best paths. When
//! the firing of `c` on an event T roots such a *part*, each full cascade
//! is a cascade of the walk without the part's events plus the events of
//! one outcome of the part, drawn independently of everything else. So
//! the walk leaves the firing out (`Cascade::defer`), enumerates the
//! part's own decisions once ([`super::part`]), and adds at each leaf the
//! part's marginals as an independent variable (`Tally::add_independent`)
//! and its entry chains after T's. A leaf with parts of l₁, l₂, … outcomes
//! stands for l₁·l₂·… leaves of the full tree, with the same marginals.
//!
//! Why a part may be taken out (soundness): docs/analysis.md, "Independent
//! parts of the exact walk".

use crate::analysis::cascade::{firing_rung, response_target};
use crate::analysis::condition::{Scene, matches};
use crate::analysis::event::{Cause, Event, War};
use crate::model::{Expanded, IdSet, Kind, Model, Predicate};
use crate::vocabulary::{ActorId, ExpandedId, ScenarioId};

/// The model-wide part of the test, computed once per evaluation.
pub struct Independence<'m> {
    pub model: &'m Model,
    /// In-force plans that can fire (they have a condition).
    plans: Vec<ExpandedId>,
    /// Actors that no plan targets and that are no opening party.
    free: IdSet,
    /// The in-force commitments that can attack, by acting actor.
    attacking: Vec<(ActorId, ExpandedId)>,
}

/// How a commitment meets an event of a part ([`Independence::answer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Never,
    /// A member of the part, which would attack this actor if rules 3 and 4
    /// allow and it is honoured.
    Member(ActorId),
    /// Neither: the part is not independent.
    Unsure,
}

impl<'m> Independence<'m> {
    /// None when some condition reads the war state or some promise has
    /// `when` or a credibility below 100% (whether it is kept is a decision
    /// of the walk): then every decision stays in the walk.
    pub fn new(model: &'m Model, scenario: ScenarioId) -> Option<Independence<'m>> {
        let live = || model.commitments.iter().filter(|c| c.in_force);
        let state_free = live().all(|c| {
            c.kind == Kind::Consult
                || if c.kind.is_promise() { c.condition.is_none() && c.p >= 1.0 } else { !reads_war_state(c) }
        });
        if !state_free {
            return None;
        }
        let mut attacking = Vec::new();
        let mut targeted = IdSet::new();
        let mut plans = Vec::new();
        for (i, c) in model.commitments.iter().enumerate().filter(|(_, c)| c.in_force && c.kind.attacks()) {
            attacking.push((c.acting, ExpandedId(i as u32)));
            if c.kind == Kind::Attacks && c.condition.is_some() {
                targeted.insert(c.protected.index());
                plans.push(ExpandedId(i as u32));
            }
        }
        attacking.sort_unstable();
        for o in model.scenarios.get(scenario.index()).map_or(&[][..], |s| &s.openings[..]) {
            targeted.insert(o.aggressor.index());
            targeted.insert(o.victim.index());
        }
        let mut free = IdSet::new();
        for actor in (0..model.actors.len()).filter(|&a| !targeted.contains(a)) {
            free.insert(actor);
        }
        Some(Independence { model, plans, free, attacking })
    }

    /// The event with which the firing of `id` on `trigger` would root a
    /// part, if it can: `id` is a `defend` or `join` of a free actor that
    /// is not a party of `trigger`.
    pub fn root(&self, id: ExpandedId, trigger: &Event) -> Option<Event> {
        let c = self.model.commitment(id);
        if !c.kind.protects() || !self.free.contains(c.acting.index()) || trigger.involves(c.acting) {
            return None;
        }
        let target = response_target(c, trigger).ok()?;
        Some(Event {
            aggressor: c.acting,
            victim: target,
            domains: c.domains,
            rung: firing_rung(c, trigger),
            provoked: false,
            step: trigger.step + 1,
            cause: Cause::Firing { commitment: id, trigger: 0 },
        })
    }

    /// Every commitment that may answer `event` by its kind, in declaration
    /// order (the order a cascade considers them in), into `into`.
    pub fn answers(&self, event: &Event, into: &mut Vec<ExpandedId>) {
        let index = &self.model.index;
        let list = |lists: &'m [Vec<ExpandedId>], actor: ActorId| lists.get(actor.index()).map_or(&[][..], |l| &l[..]);
        into.clear();
        into.extend_from_slice(list(&index.defend, event.victim));
        into.extend_from_slice(list(&index.join, event.victim));
        if event.aggressor != event.victim {
            into.extend_from_slice(list(&index.join, event.aggressor));
        }
        into.extend_from_slice(&self.plans);
        // The lists are disjoint (by kind and protected actor).
        into.sort_unstable();
    }

    /// How `id` meets `event`, an event of the part rooted on `trigger`
    /// with target `r`, in a state whose war holds `trigger` and the part's
    /// events so far (see the module documentation).
    pub fn answer(&self, id: ExpandedId, event: &Event, trigger: &Event, r: ActorId, war: &War) -> Answer {
        let model = self.model;
        let o = model.commitment(id);
        let Some(condition) = o.condition.as_deref().filter(|_| o.in_force) else { return Answer::Never };
        let Ok(target) = response_target(o, event) else { return Answer::Never };
        // T's two parties are at war at T's rung or higher wherever T is;
        // an escalation above it depends on their war outside the part.
        if trigger.involves(o.acting) && trigger.involves(target) && o.response.is_none_or(|r| r <= trigger.rung) {
            return Answer::Never;
        }
        // Whether the victim was an aggressor before: known when it was in
        // T or the part (it stays one), else either.
        let provoked: &[bool] = if war.aggressors.contains(event.victim.index()) { &[true] } else { &[false, true] };
        let mut scene_event = event.clone();
        let mut holds = provoked.iter().map(|&p| {
            scene_event.provoked = p;
            matches(condition, Scene { model, event: &scene_event, war })
        });
        let first = holds.next().unwrap_or(false);
        if holds.any(|h| h != first) {
            return Answer::Unsure;
        }
        let member = o.kind.protects()
            && self.free.contains(o.acting.index())
            && !trigger.involves(o.acting)
            && o.protected != r;
        match (first, member) {
            (false, _) => Answer::Never,
            (true, true) => Answer::Member(target),
            (true, false) => Answer::Unsure,
        }
    }

    /// The in-force commitments that can attack of `actors`, the actors of
    /// the part rooted by `root` on `trigger`, and of the actors these
    /// protect, and so on; None when one of them other than `root` is not a
    /// `defend` or `join`, or protects an actor that is not free or is a
    /// party of `trigger`.
    pub fn closed(
        &self,
        actors: impl Iterator<Item = ActorId>,
        root: ExpandedId,
        trigger: &Event,
    ) -> Option<Vec<ExpandedId>> {
        let mut queue: Vec<usize> = actors.map(ActorId::index).collect();
        let mut closure = IdSet::new();
        for &actor in &queue {
            closure.insert(actor);
        }
        let mut commitments = Vec::new();
        while let Some(actor) = queue.pop() {
            let from = self.attacking.partition_point(|&(a, _)| a.index() < actor);
            for &(_, id) in self.attacking[from..].iter().take_while(|&&(a, _)| a.index() == actor) {
                let c = self.model.commitment(id);
                if id != root {
                    let protected = c.protected;
                    if !c.kind.protects() || trigger.involves(protected) || !self.free.contains(protected.index()) {
                        return None;
                    }
                    if !closure.contains(protected.index()) {
                        closure.insert(protected.index());
                        queue.push(protected.index());
                    }
                }
                commitments.push(id);
            }
        }
        Some(commitments)
    }
}

/// Whether `c`'s condition reads the war state beyond what its kind
/// already fixes: a defence or obligation reacts only to events involving
/// its protected actor, so `war with` a set holding that actor (an
/// alliance `join`'s default condition is `war with member`) always holds.
pub fn reads_war_state(c: &Expanded) -> bool {
    c.condition.as_deref().is_some_and(|p| reads(p, c))
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
