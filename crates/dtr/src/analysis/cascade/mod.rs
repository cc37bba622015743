//! The cascade of §5 as a resumable machine. The FIFO queue is the event
//! list itself (events are queued in creation order), so the state is every
//! event created so far and the queue head is an index into it.
//!
//! For each event, every in-force expanded commitment is considered in
//! declaration order; only those that can react to the event are looked at
//! (a `defend` needs its protected actor to be the victim, a `join` needs
//! it involved, a plan or consultation whose condition names actors needs
//! one of them to have entered; one without a condition never fires; one
//! that has fired or can no longer fire is dropped), which changes nothing
//! but the cost. One fires when, in order:
//! - its kind accepts the event: `defend` needs the protected actor P to be
//!   the victim and answers the aggressor; `join` needs P involved and
//!   answers the other party; an `attacks` plan answers its target P; a
//!   `consult` records a consultation with P;
//! - its condition matches the event (a commitment without condition never
//!   fires);
//! - rule 3: the acting actor is not the event's aggressor (an `attacks`
//!   plan may follow from its own actor's attack), is not the response
//!   target, and the commitment has not fired for that target before (a
//!   consultation is recorded once per expanded commitment). An attack on
//!   an actor already at war with the acting actor (an event between them
//!   exists in either direction) fires only when the commitment's declared
//!   `response` is above every event between them: vertical escalation. A
//!   consultation never goes to an actor at war with its actor;
//! - rule 4 (attacks only; consulting breaks no promise): no promise of the
//!   acting actor G toward the response target R applies. A `nonaggression`
//!   promise always applies, a `neutral` one when R is at war; a promise
//!   with `when` applies only while its condition (member bound to R)
//!   matches some event of the state. A blocked firing is a conflict. A
//!   promise whose credibility q is below 100% is kept with probability q:
//!   a drawn cascade asks the driver about it (as about a commitment, kept
//!   counting as honoured) the first time it would block, and one broken
//!   blocks nothing for the rest of the cascade; the other modes keep it;
//! - rule 5 (attacks only): G and R are not on the same side of the war
//!   ([`crate::analysis::side`]). A firing stopped here is a conflict too.
//!
//! [`rule::Stop`] names each rule; [`rules`] returns the first that stops
//! a commitment, for the cascade and for the explanations alike.
//!
//! A firing creates `G attacks R` in the commitment's `domains` (every
//! domain without them), at `max(trigger rung, response)`, provoked when R
//! was an aggressor earlier in the cascade, at the trigger's step + 1.
//!
//! Each (commitment, target) fires at most once, and each event between a
//! pair already at war is at a higher rung than all before it, so a
//! cascade creates at most openings + n·(n−1)/2 · (distinct rungs) events;
//! the [`EVENT_LIMIT`] cap only guards against enormous models and is
//! reported.

pub mod horizon;
pub mod rule;

use super::condition::{Scene, matches};
use super::event::{Cause, Event, War};
use crate::model::{Expanded, IdSet, Kind, Model, Predicate};
use crate::vocabulary::{ActorId, ExpandedId, RungId, ScenarioId};
use horizon::Horizon;
use rule::Stop;
use serde::Serialize;
use std::collections::BTreeSet;

/// A defence or alliance list is visited through its acting actors not yet
/// at war with the event's other party when they hold less than one entry
/// in this many: a lookup per actor then costs less than a pass over the list.
const SPARSE: usize = 4;

/// The most events one cascade creates; beyond it the cascade stops and is
/// reported as capped.
pub const EVENT_LIMIT: usize = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every commitment is honoured; consultations and conflicts are recorded.
    AllHonoured,
    /// The driver decides, at its first firing, whether each commitment is
    /// honoured. Consultations cannot change who enters or how high the
    /// cascade climbs, so this mode skips them.
    Drawn,
    /// Every commitment is honoured and only the events are wanted (who
    /// enters, how high, whether capped): consultations are skipped and
    /// conflicts not recorded, as in drawn cascades.
    Events,
}

/// Why [`Cascade::advance`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    Done,
    /// The commitment is about to fire for the first time: the driver must
    /// call [`Cascade::decide`] before advancing again.
    Decide(ExpandedId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    Open,
    Honoured,
    Refused,
    /// An `attacks` plan blocked by a promise that applies for the rest of
    /// the cascade ([`permanently_blocks`]): considering it again could
    /// only find the same promise, and its conflict is already recorded.
    /// A drawn cascade keeps it a candidate (the work count is unchanged)
    /// but does not evaluate its condition and promises again: in bloc-wide
    /// wars such plans roam on every event and were most of the cost. The
    /// other modes, which count no work, drop it.
    Blocked,
    /// Left out of this cascade by the exact walk, which accounts for its
    /// part separately ([`Cascade::defer`]). It is still considered: a
    /// firing (a second one for the part's root) is reported as a decision.
    Deferred,
}

/// A firing the exact walk left out of the cascade: `commitment` would
/// have answered event `trigger`, rooting the walk's independent part
/// number `part` ([`crate::analysis::probability::independent`]).
#[derive(Clone, Copy, Debug)]
pub struct Deferral {
    pub commitment: ExpandedId,
    pub trigger: usize,
    pub part: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Consultation {
    pub commitment: ExpandedId,
    pub acting: ActorId,
    pub with: ActorId,
    /// The event it answered.
    pub event: usize,
}

/// A firing blocked by a promise of the acting actor (rule 4) or by its
/// side (rule 5).
#[derive(Clone, Debug, Serialize)]
pub struct Conflict {
    pub commitment: ExpandedId,
    pub acting: ActorId,
    pub target: ActorId,
    /// A [`Stop::Promise`] or a [`Stop::Side`].
    pub stop: Stop,
    /// The probability that the stop holds: 1 for a side; for a promise,
    /// that some promise of the acting actor toward the target that
    /// applies here is kept, 1 − Π(1 − q) over their credibilities q.
    pub holds: f64,
    /// The event it would have answered.
    pub event: usize,
}

#[derive(Clone)]
pub struct Cascade<'m> {
    model: &'m Model,
    mode: Mode,
    pub events: Vec<Event>,
    pub war: War,
    head: usize,
    /// Commitments that may react to the head event, and the next to consider.
    candidates: Vec<ExpandedId>,
    cursor: usize,
    loaded: Option<usize>,
    decisions: Vec<Decision>,
    consulted: IdSet,
    /// The promises decided broken: they block no firing (rule 4).
    broken: IdSet,
    conflicted: BTreeSet<(ExpandedId, ActorId)>,
    /// The attacks fired on a pair whose war can still escalate: such a
    /// commitment does not fire at the same target again (rule 3). Once the
    /// war reaches the ceiling, [`War::settles`] stops it anyway.
    struck: BTreeSet<(ExpandedId, ActorId)>,
    pub consultations: Vec<Consultation>,
    pub conflicts: Vec<Conflict>,
    /// Stop as soon as this rung is reached (importance needs nothing more).
    stop_at: Option<RungId>,
    /// Stop once every actor that can enter has and the highest rung any
    /// event can have is reached: only who enters and the top rung are
    /// wanted, and neither can change ([`Cascade::stop_at_horizon`]).
    horizon: Option<Horizon>,
    pub capped: bool,
    /// Commitments considered so far: the unit of work the exact method
    /// budgets. Drawn cascades only: the others drop blocked plans.
    pub work: u64,
    /// Plans and consultations considered on every event while they may
    /// still fire ([`crate::model::Index::roaming`]); those indexed by actor
    /// ([`crate::model::Index::waking`]) join when an event first involves
    /// one of their actors. Drawn cascades skip consultations.
    roaming: Vec<ExpandedId>,
    woken: IdSet,
    /// Firings left out by [`Cascade::defer`], in order.
    pub deferred: Vec<Deferral>,
}

impl<'m> Cascade<'m> {
    /// A cascade with the scenario's openings queued.
    pub fn new(model: &'m Model, scenario: ScenarioId, mode: Mode, stop_at: Option<RungId>) -> Cascade<'m> {
        let mut cascade = Cascade {
            model,
            mode,
            events: Vec::new(),
            war: War::default(),
            head: 0,
            candidates: Vec::new(),
            cursor: 0,
            loaded: None,
            decisions: vec![Decision::Open; model.commitments.len()],
            consulted: IdSet::new(),
            broken: IdSet::new(),
            conflicted: BTreeSet::new(),
            struck: BTreeSet::new(),
            consultations: Vec::new(),
            conflicts: Vec::new(),
            stop_at,
            horizon: None,
            capped: false,
            work: 0,
            roaming: Vec::new(),
            woken: IdSet::new(),
            deferred: Vec::new(),
        };
        // Without any `response`, no war escalates: every pair is settled.
        cascade.war.ceiling = Some(model.index.response_ceiling.unwrap_or(RungId(0)));
        let openings = model.scenarios.get(scenario.index()).map_or(&[][..], |s| &s.openings[..]);
        cascade.roaming = model.index.roaming.iter().copied().filter(|&id| considered(model, mode, id)).collect();
        for (i, o) in openings.iter().enumerate() {
            cascade.push(Event::opening(o, i));
        }
        cascade
    }

    /// A copy to run on along other decisions, made in the buffers of
    /// `spare` (a cascade done with) when there is one, so that copying
    /// allocates only where `spare` was smaller. A plain clone has no spare
    /// capacity, so its first new event or candidate would reallocate.
    pub fn fork(&self, spare: Option<Cascade<'m>>) -> Cascade<'m> {
        let Some(mut copy) = spare else {
            return Cascade {
                events: roomy(&self.events),
                candidates: roomy(&self.candidates),
                roaming: roomy(&self.roaming),
                war: self.war.clone(),
                decisions: self.decisions.clone(),
                consulted: self.consulted.clone(),
                broken: self.broken.clone(),
                conflicted: self.conflicted.clone(),
                struck: self.struck.clone(),
                consultations: self.consultations.clone(),
                conflicts: self.conflicts.clone(),
                woken: self.woken.clone(),
                deferred: self.deferred.clone(),
                ..*self
            };
        };
        copy.events.clone_from(&self.events);
        copy.candidates.clone_from(&self.candidates);
        copy.roaming.clone_from(&self.roaming);
        copy.war.clone_from(&self.war);
        copy.decisions.clone_from(&self.decisions);
        copy.consulted.clone_from(&self.consulted);
        copy.broken.clone_from(&self.broken);
        copy.conflicted.clone_from(&self.conflicted);
        copy.struck.clone_from(&self.struck);
        copy.consultations.clone_from(&self.consultations);
        copy.conflicts.clone_from(&self.conflicts);
        copy.woken.clone_from(&self.woken);
        copy.deferred.clone_from(&self.deferred);
        Cascade {
            events: copy.events,
            candidates: copy.candidates,
            roaming: copy.roaming,
            war: copy.war,
            decisions: copy.decisions,
            consulted: copy.consulted,
            broken: copy.broken,
            conflicted: copy.conflicted,
            struck: copy.struck,
            consultations: copy.consultations,
            conflicts: copy.conflicts,
            woken: copy.woken,
            deferred: copy.deferred,
            ..*self
        }
    }

    /// Runs until the cascade ends or a commitment needs a decision.
    pub fn advance(&mut self) -> Progress {
        while self.head < self.events.len() && !self.finished_early() {
            if self.loaded != Some(self.head) {
                self.load_candidates();
            }
            let e = &self.events[self.head];
            let (aggressor, rung, provoked) = (e.aggressor, e.rung, e.provoked);
            let opening = matches!(e.cause, Cause::Opening { .. });
            let model = self.model;
            let gates = &model.index.gates;
            while self.cursor < self.candidates.len() {
                let id = self.candidates[self.cursor];
                self.work += 1;
                // A refused or blocked commitment never fires, nor does one
                // whose gate rejects the event: skip its condition.
                let settled = matches!(self.decisions[id.index()], Decision::Refused | Decision::Blocked)
                    || gates.get(id.index()).is_some_and(|g| !g.admits(aggressor, rung, provoked, opening));
                if !settled {
                    match self.consider(id) {
                        Ok(target) => match self.decisions[id.index()] {
                            Decision::Refused | Decision::Blocked => {}
                            Decision::Open | Decision::Deferred if self.mode == Mode::Drawn => {
                                return Progress::Decide(id);
                            }
                            Decision::Open | Decision::Deferred | Decision::Honoured => self.fire(id, target),
                        },
                        // Whether the promise is kept is drawn first; `id`
                        // is then considered again.
                        Err(Stop::Promise { promise }) if self.undecided(promise) => {
                            return Progress::Decide(promise);
                        }
                        Err(_) => {}
                    }
                }
                self.cursor += 1;
            }
            self.head += 1;
        }
        Progress::Done
    }

    /// The index of the event whose reactions are being considered.
    pub fn head(&self) -> usize {
        self.head
    }

    /// Records whether `id` is honoured (a promise: kept), for the rest of
    /// this cascade.
    pub fn decide(&mut self, id: ExpandedId, honoured: bool) {
        self.decisions[id.index()] = if honoured { Decision::Honoured } else { Decision::Refused };
        if !honoured && self.model.commitment(id).kind.is_promise() {
            self.broken.insert(id.index());
        }
    }

    /// Whether a drawn cascade must ask whether `promise` is kept: its
    /// credibility is below 100% and it has not been decided yet. A
    /// promise at 100% is kept without asking, as it always was.
    fn undecided(&self, promise: ExpandedId) -> bool {
        self.mode == Mode::Drawn
            && self.decisions[promise.index()] == Decision::Open
            && self.model.commitment(promise).p < 1.0
    }

    /// Leaves out the firing of `id` that [`Cascade::advance`] just asked
    /// about, with every commitment of its part (`commitments`, `id` among
    /// them), recording it in [`Cascade::deferred`], and moves past it.
    /// Refuses, changing nothing, when one of `commitments` other than `id`
    /// has been decided or left out already: the part is then not
    /// independent of this branch.
    pub fn defer(&mut self, id: ExpandedId, part: usize, commitments: &[ExpandedId]) -> bool {
        if commitments.iter().any(|&k| k != id && self.decisions[k.index()] != Decision::Open) {
            return false;
        }
        for &k in commitments {
            self.decisions[k.index()] = Decision::Deferred;
        }
        self.decisions[id.index()] = Decision::Deferred;
        self.deferred.push(Deferral { commitment: id, trigger: self.head, part });
        self.cursor += 1;
        true
    }

    /// Whether `id` was left out by [`Cascade::defer`].
    pub fn is_deferred(&self, id: ExpandedId) -> bool {
        self.decisions[id.index()] == Decision::Deferred
    }

    /// Stops the cascade once it reaches `horizon`, which must bound this
    /// cascade ([`horizon`]): the events are cut short then, and
    /// only who entered and the top rung are final.
    pub fn stop_at_horizon(&mut self, horizon: Horizon) {
        self.horizon = Some(horizon);
    }

    fn finished_early(&self) -> bool {
        self.capped
            || self.stop_at.is_some_and(|r| self.war.top >= Some(r))
            || self.horizon.is_some_and(|h| self.war.top >= Some(h.rung) && self.war.involved.len() >= h.entrants)
    }

    fn load_candidates(&mut self) {
        let index = &self.model.index;
        let e = &self.events[self.head];
        let by_actor = |lists: &'m [Vec<ExpandedId>], actor: ActorId| lists.get(actor.index()).map_or(&[][..], |l| l);
        self.candidates.clear();
        // A defence or alliance whose acting actor is the response target,
        // or at war with it at the ceiling already, cannot fire: leave such
        // commitments out (an enemy below the ceiling may still escalate).
        // Nor can one whose actor a promise without `when` binds toward the
        // target, a party to the event; left out where no conflict is
        // recorded (a drawn cascade counts them as work).
        // When few acting actors are left, visit only theirs.
        let war = &self.war;
        let events_only = self.mode == Mode::Events;
        let model = self.model;
        let mut escalating = IdSet::new();
        let mut live = |lists: &'m [Vec<ExpandedId>],
                        by_acting: &'m [Vec<(ActorId, ExpandedId)>],
                        actors: &'m [IdSet],
                        protected: ActorId,
                        target: ActorId| {
            let Some(acting) = actors.get(protected.index()) else { return };
            let all = by_acting.get(protected.index()).map_or(&[][..], |l| l);
            let enemies = escalable_out(model, war, all, target, &mut escalating);
            let bound =
                if events_only { index.bound_toward.get(target.index()).and_then(Option::as_ref) } else { None };
            let covered = [enemies, bound];
            let list = by_actor(lists, protected);
            let left = acting.count_outside(&covered, target.index());
            if left == 0 {
                return;
            }
            if left * SPARSE < list.len() {
                let mut rest = all;
                for actor in acting.iter_outside(&covered, target.index()) {
                    rest = &rest[rest.partition_point(|&(a, _)| a.index() < actor)..];
                    let end = rest.partition_point(|&(a, _)| a.index() == actor);
                    self.candidates.extend(rest[..end].iter().map(|&(_, id)| id));
                    rest = &rest[end..];
                }
            } else {
                let open = |id: &&ExpandedId| {
                    index
                        .acting
                        .get(id.index())
                        .is_some_and(|&a| a != target && !covered.iter().flatten().any(|c| c.contains(a.index())))
                };
                self.candidates.extend(list.iter().filter(open));
            }
        };
        live(&index.defend, &index.defend_by_acting, &index.defend_actors, e.victim, e.aggressor);
        live(&index.join, &index.join_by_acting, &index.join_actors, e.victim, e.aggressor);
        if e.aggressor != e.victim {
            live(&index.join, &index.join_by_acting, &index.join_actors, e.aggressor, e.victim);
        }
        let plans = if self.mode == Mode::AllHonoured { &index.by_victim } else { &index.plans_by_victim };
        self.candidates.extend_from_slice(by_actor(plans, e.victim));
        let (war, decisions, consulted) = (&self.war, &self.decisions, &self.consulted);
        // A refused commitment never fires; a plan that has fired or whose
        // actor's war with its target has reached the ceiling, or a
        // consultation recorded or with an enemy, never fires again. Only a
        // drawn cascade counts work, so elsewhere a blocked plan leaves too.
        let gone = if self.mode == Mode::Drawn { Decision::Refused } else { Decision::Blocked };
        let struck = &self.struck;
        self.roaming.retain(|&id| {
            let decision = decisions[id.index()];
            let c = self.model.commitment(id);
            let done = match c.kind {
                Kind::Consult => consulted.contains(id.index()) || war.at_war(c.acting, c.protected),
                _ => war.settles(c.acting, c.protected, c.response) || struck.contains(&(id, c.protected)),
            };
            decision != Decision::Refused && decision != gone && !done
        });
        self.candidates.extend_from_slice(&self.roaming);
        // The lists are disjoint; declaration order is id order.
        self.candidates.sort_unstable();
        self.cursor = 0;
        self.loaded = Some(self.head);
    }

    /// The response target if `id` passes rules 1–5 on the head event, or
    /// the first rule that stops it ([`rules`]); a firing that a promise or
    /// its side stops is recorded as a conflict.
    pub fn consider(&mut self, id: ExpandedId) -> Result<ActorId, Stop> {
        let model = self.model;
        let record = Record { consulted: &self.consulted, broken: &self.broken, struck: &self.struck };
        let stop = match rules(model, &self.events, &self.war, record, id, self.head) {
            // Undecided: the driver decides the promise first.
            Err(Stop::Promise { promise }) if self.undecided(promise) => return Err(Stop::Promise { promise }),
            Err(stop) if stop.is_conflict() => stop,
            result => return result,
        };
        let c = model.commitment(id);
        // Rules 1–3 passed, so this is the target the promise or side saw.
        let target = response_target(c, &self.events[self.head])?;
        if self.mode == Mode::AllHonoured && self.conflicted.insert((id, target)) {
            let event = self.head;
            let holds = match stop {
                Stop::Promise { .. } => {
                    let promises = applying_promises(model, &self.events, &self.war, c.acting, target);
                    1.0 - promises.fold(1.0, |left, p| left * (1.0 - model.commitment(p).p))
                }
                _ => 1.0,
            };
            self.conflicts.push(Conflict { commitment: id, acting: c.acting, target, stop, holds, event });
        }
        // A plan has one target, so a promise that blocks it for good, or
        // its side (sides never change), settles it.
        let for_good = match stop {
            Stop::Promise { promise } => permanently_blocks(model.commitment(promise)),
            _ => true,
        };
        if c.kind == Kind::Attacks && for_good {
            self.decisions[id.index()] = Decision::Blocked;
        }
        Err(stop)
    }

    fn fire(&mut self, id: ExpandedId, target: ActorId) {
        let c = self.model.commitment(id);
        if c.kind == Kind::Consult {
            self.consulted.insert(id.index());
            let event = self.head;
            self.consultations.push(Consultation { commitment: id, acting: c.acting, with: target, event });
            return;
        }
        let trigger = &self.events[self.head];
        self.push(Event {
            aggressor: c.acting,
            victim: target,
            domains: c.domains,
            rung: firing_rung(c, trigger),
            provoked: self.war.aggressors.contains(target.index()),
            step: trigger.step + 1,
            cause: Cause::Firing { commitment: id, trigger: self.head },
        });
        if !self.war.settled(c.acting, target) {
            self.struck.insert((id, target));
        }
    }

    fn push(&mut self, event: Event) {
        if self.events.len() >= EVENT_LIMIT {
            self.capped = true;
            return;
        }
        let actors = [event.aggressor, event.victim];
        let fresh = actors.map(|a| !self.war.involved.contains(a.index()));
        self.war.add(&event);
        self.events.push(event);
        for (actor, fresh) in actors.into_iter().zip(fresh) {
            if fresh {
                self.wake(actor);
            }
            self.watch(actor);
        }
        self.cross(actors[0], actors[1]);
    }
}

impl Cascade<'_> {
    /// The first event involving `actor` may make the plans and
    /// consultations indexed by it hold.
    fn wake(&mut self, actor: ActorId) {
        let Some(waking) = self.model.index.waking.get(actor.index()) else { return };
        for &id in waking {
            self.roam(id);
        }
    }

    /// A new event involving `actor` may have made the war-state conditions
    /// that name it hold; they cannot turn false again.
    fn watch(&mut self, actor: ActorId) {
        let model = self.model;
        let Some(watching) = model.index.watched.get(actor.index()) else { return };
        for &id in watching {
            let Some(event) = self.events.last() else { return };
            if self.woken.contains(id.index()) {
                continue;
            }
            let holds = match model.commitment(id).condition.as_deref() {
                // Every event with a party on each side is watched, so the
                // condition, false until now, holds iff this event crosses.
                Some(Predicate::WarBetween { left, right, .. }) => {
                    let (a, v) = (event.aggressor.index(), event.victim.index());
                    (left.contains(a) && right.contains(v)) || (left.contains(v) && right.contains(a))
                }
                Some(p) => matches(p, Scene { model, event, war: &self.war }),
                None => false,
            };
            if holds {
                self.roam(id);
            }
        }
    }

    /// A `war between X and Y` condition over two named actors holds from
    /// the first event between them ([`crate::model::Index::crossing`]).
    fn cross(&mut self, aggressor: ActorId, victim: ActorId) {
        let model = self.model;
        let Some(list) = model.index.crossing.get(aggressor.index()) else { return };
        let pairs = &list[list.partition_point(|&(other, _)| other < victim)..];
        for &(_, id) in pairs.iter().take_while(|&&(other, _)| other == victim) {
            self.roam(id);
        }
    }

    /// Adds `id` to the commitments considered on every event. One added
    /// while its event's candidates are being considered joins them if it
    /// comes later in declaration order, exactly as if it had been a
    /// candidate all along (its condition was false before).
    fn roam(&mut self, id: ExpandedId) {
        if self.woken.contains(id.index()) || !considered(self.model, self.mode, id) {
            return;
        }
        self.woken.insert(id.index());
        self.roaming.push(id);
        if self.loaded == Some(self.head) {
            let rest = &self.candidates[self.cursor.min(self.candidates.len())..];
            if let Err(at) = rest.binary_search(&id) {
                let at = self.cursor + at;
                if at > self.cursor {
                    self.candidates.insert(at, id);
                }
            }
        }
    }
}

/// The enemies of `target` none of whose commitments in `list` (by acting
/// actor, sorted) can fire against it: every enemy, less those with a
/// `response` above their war with `target` (rule 3). Written into
/// `scratch` only when some enemy's war can still escalate.
fn escalable_out<'a>(
    model: &Model,
    war: &'a War,
    list: &[(ActorId, ExpandedId)],
    target: ActorId,
    scratch: &'a mut IdSet,
) -> Option<&'a IdSet> {
    let enemies = war.enemies(target.index())?;
    let settled = war.settled_enemies(target.index());
    if enemies.count_outside(&[settled], usize::MAX) == 0 {
        return Some(enemies);
    }
    scratch.clone_from(enemies);
    for enemy in enemies.iter_outside(&[settled], usize::MAX) {
        let actor = ActorId(enemy as u32);
        let Some(top) = war.escalable_top(actor, target) else { continue };
        let from = list.partition_point(|&(a, _)| a < actor);
        let higher = list[from..]
            .iter()
            .take_while(|&&(a, _)| a == actor)
            .any(|&(_, id)| model.commitment(id).response.is_some_and(|r| r > top));
        if higher {
            scratch.remove(enemy);
        }
    }
    Some(scratch)
}

/// A copy of `items` with room for half as many again.
fn roomy<T: Clone>(items: &[T]) -> Vec<T> {
    let mut copy = Vec::with_capacity(items.len() + items.len() / 2 + 4);
    copy.extend_from_slice(items);
    copy
}

/// What a cascade holds besides its events that the rules read.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    /// The consultations recorded.
    pub consulted: &'a IdSet,
    /// The promises decided broken.
    pub broken: &'a IdSet,
    /// The attacks fired on wars that can still escalate.
    pub struck: &'a BTreeSet<(ExpandedId, ActorId)>,
}

/// Whether `id` fires on event `head` in the state `events`, `war` and
/// `record`: its response target, or the first
/// rule that stops it. The cascade ([`Cascade::consider`]) and the
/// explanations ([`crate::analysis::why`]) apply the rules through this
/// function only.
pub fn rules(
    model: &Model,
    events: &[Event],
    war: &War,
    record: Record,
    id: ExpandedId,
    head: usize,
) -> Result<ActorId, Stop> {
    let Record { consulted, broken, struck } = record;
    let c = model.commitment(id);
    if !c.in_force {
        return Err(Stop::NotInForce);
    }
    let e = &events[head];
    let target = response_target(c, e)?;
    if c.kind == Kind::Consult && consulted.contains(id.index()) {
        return Err(Stop::Consulted);
    }
    // A consultation never goes to an enemy; an attack on one escalates
    // their war, or does not fire.
    let response = if c.kind == Kind::Consult { None } else { c.response };
    if war.settles(c.acting, target, response) {
        return Err(Stop::AtWar);
    }
    if struck.contains(&(id, target)) {
        return Err(Stop::Fired);
    }
    if !c.condition.as_deref().is_some_and(|p| matches(p, Scene { model, event: e, war })) {
        return Err(Stop::Condition);
    }
    if !c.kind.attacks() {
        return Ok(target);
    }
    if let Some(promise) = blocking_promise(model, events, war, broken, c.acting, target) {
        return Err(Stop::Promise { promise });
    }
    match war.sides.shared(c.acting, target) {
        Some(side) => Err(Stop::Side { side }),
        None => Ok(target),
    }
}

/// Whom `c` would answer on `e` by its kind (rule 2) and rule 3's
/// conditions on the event alone.
pub fn response_target(c: &Expanded, e: &Event) -> Result<ActorId, Stop> {
    let target = match c.kind {
        Kind::Defend if e.victim == c.protected => e.aggressor,
        Kind::Join if e.victim == c.protected => e.aggressor,
        Kind::Join if e.aggressor == c.protected => e.victim,
        Kind::Attacks | Kind::Consult => c.protected,
        _ => return Err(Stop::Kind),
    };
    let answers_itself = target == c.acting || (c.kind != Kind::Attacks && e.aggressor == c.acting);
    if answers_itself { Err(Stop::OwnAttack) } else { Ok(target) }
}

/// The rung of the attack `c` makes when it fires on `e`: its `response`,
/// or the trigger's rung if that is higher.
pub fn firing_rung(c: &Expanded, e: &Event) -> RungId {
    e.rung.max(c.response.unwrap_or(e.rung))
}

/// Whether a cascade in `mode` considers `id` at all: only all-honoured
/// cascades record consultations.
fn considered(model: &Model, mode: Mode, id: ExpandedId) -> bool {
    mode == Mode::AllHonoured || model.commitment(id).kind != Kind::Consult
}

/// Whether `promise`, once it blocks a firing, blocks it in every later
/// state: without `when`, a `nonaggression` promise always applies and a
/// `neutral` one from the moment its target is at war, which stays true.
fn permanently_blocks(promise: &Expanded) -> bool {
    promise.condition.is_none() && promise.kind.is_promise()
}

/// The first promise of `acting` toward `target`, not among the `broken`
/// ones, that a firing would break in this state (rule 4), if any.
pub fn blocking_promise(
    model: &Model,
    events: &[Event],
    war: &War,
    broken: &IdSet,
    acting: ActorId,
    target: ActorId,
) -> Option<ExpandedId> {
    applying_promises(model, events, war, acting, target).find(|id| !broken.contains(id.index()))
}

/// Every promise of `acting` toward `target` that a firing would break in
/// this state (rule 4), in declaration order.
pub fn applying_promises<'a>(
    model: &'a Model,
    events: &'a [Event],
    war: &'a War,
    acting: ActorId,
    target: ActorId,
) -> impl Iterator<Item = ExpandedId> + 'a {
    let bound = match model.index.promise_targets.get(acting.index()) {
        Some(Some(targets)) => targets.contains(target.index()),
        _ => true,
    };
    let promises = model.index.promises_toward.get(acting.index()).filter(|_| bound).map_or(&[][..], |l| &l[..]);
    let toward = &promises[promises.partition_point(|&(t, _)| t < target)..];
    toward.iter().take_while(move |&&(t, _)| t == target).map(|&(_, id)| id).filter(move |&id| {
        let promise = model.commitment(id);
        let applies = match promise.kind {
            Kind::Nonaggression => true,
            Kind::Neutral => war.involved.contains(target.index()),
            _ => false,
        };
        promise.protected == target
            && applies
            && promise
                .condition
                .as_deref()
                .is_none_or(|p| events.iter().any(|event| matches(p, Scene { model, event, war })))
    })
}
