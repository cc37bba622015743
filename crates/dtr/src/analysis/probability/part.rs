//! The enumeration of one independent part of the exact tree (see
//! [`super::independent`]): the part's own decision tree, walked like the
//! exact method's, summarised by what the walk adds at each leaf.

use super::Marginals;
use super::independent::{Answer, Independence};
use crate::analysis::cascade::{blocking_promise, firing_rung};
use crate::analysis::escalation::entries;
use crate::analysis::event::{Cause, Event, War};
use crate::analysis::paths::PathStep;
use crate::model::IdSet;
use crate::vocabulary::{ActorId, ExpandedId, RungId};

/// The most outcomes one part may have; a larger part is walked.
const PART_LEAVES: u64 = 1 << 10;

/// The most commitment considerations one part's enumeration spends.
const PART_WORK: u64 = 1 << 16;

/// One part, for the firing of its root on one trigger.
#[derive(Debug)]
pub struct Part {
    pub marginals: Marginals,
    /// Outcomes of the part's tree, the root's refusal included.
    pub leaves: u64,
    /// Every commitment of the part's actors that can attack, the root
    /// included: none may be decided outside the part.
    pub commitments: Vec<ExpandedId>,
    /// The commitments that reach a decision in some outcome.
    pub relevant: Vec<ExpandedId>,
    /// The most events one outcome creates.
    pub events: usize,
    /// Every entry chain of an outcome: the actor, the firings from the
    /// root's on, and the probability that the actor enters by them.
    pub chains: Vec<(ActorId, Vec<PathStep>, f64)>,
    /// Every chain of an outcome that climbs to a rung (see
    /// [`crate::analysis::paths`]): the rung, the firings from the root's
    /// on, and the probability that they happen.
    pub rung_chains: Vec<(RungId, Vec<PathStep>, f64)>,
}

/// The parts one walk has met, each enumerated once: a part depends on its
/// root and its trigger's parties and rung only.
#[derive(Default)]
pub struct Parts {
    /// By root: the triggers met and the part found.
    found: Vec<Vec<(Key, Option<usize>)>>,
    pub list: Vec<Part>,
    /// Buffers each enumeration starts from.
    scratch: Scratch,
}

/// What a part reads of its trigger: its parties and rung.
type Key = (ActorId, ActorId, RungId);

#[derive(Default)]
struct Scratch {
    war: War,
    candidates: Vec<ExpandedId>,
}

impl Parts {
    /// The index in [`Parts::list`] of the part the firing of `root` on
    /// `trigger` roots, if it does ([`enumerate`]).
    pub fn find(
        &mut self,
        independence: &Independence,
        root: ExpandedId,
        trigger: &Event,
        p: &[f64],
        work: &mut u64,
    ) -> Option<usize> {
        if self.found.len() <= root.index() {
            self.found.resize_with(independence.model.commitments.len().max(root.index() + 1), Vec::new);
        }
        let key = (trigger.aggressor, trigger.victim, trigger.rung);
        let met = &mut self.found[root.index()];
        if let Some(&(_, found)) = met.iter().find(|(k, _)| *k == key) {
            return found;
        }
        let found = enumerate(independence, root, trigger, p, work, &mut self.scratch).map(|part| {
            self.list.push(part);
            self.list.len() - 1
        });
        self.found[root.index()].push((key, found));
        found
    }
}

/// A branch of the part's tree: its events so far, the cascade state the
/// part's firings read, and where it stands.
#[derive(Clone)]
struct Branch {
    events: Vec<Event>,
    war: War,
    head: usize,
    candidates: Vec<ExpandedId>,
    cursor: usize,
    decided: Vec<(ExpandedId, bool)>,
    /// The commitments that have fired, each at the part's target (rule 3:
    /// once per target), the root's included.
    fired: Vec<ExpandedId>,
    weight: f64,
}

/// The part the firing of `root` on `trigger` would root, with honour
/// probabilities `p`, or None when there is none (the firing influences or
/// may be influenced by others) or it exceeds the limits. `work` grows by
/// the considerations spent either way.
fn enumerate(
    independence: &Independence,
    root: ExpandedId,
    trigger: &Event,
    p: &[f64],
    work: &mut u64,
    scratch: &mut Scratch,
) -> Option<Part> {
    let model = independence.model;
    let first = independence.root(root, trigger)?;
    let r = first.victim;
    let honour = p[root.index()];
    let Scratch { war, candidates } = scratch;
    war.clear();
    war.add(trigger);
    war.add(&first);
    independence.answers(&first, candidates);
    // Nothing answers most firings: then the part is the firing alone, with
    // two outcomes and no tree to walk.
    let mut spent = 0;
    let mut answered = None;
    for (i, &id) in candidates.iter().enumerate() {
        spent += 1;
        match independence.answer(id, &first, trigger, r, war) {
            Answer::Never => {}
            Answer::Member(_) => {
                answered = Some(i);
                break;
            }
            Answer::Unsure => {
                *work += spent;
                return None;
            }
        }
    }
    let Some(cursor) = answered else {
        *work += spent;
        return alone(independence, root, first, trigger, honour);
    };
    let (war, candidates) = (war.clone(), candidates.clone());
    let start = Branch {
        events: vec![first],
        war,
        head: 0,
        candidates,
        cursor,
        decided: Vec::new(),
        fired: vec![root],
        weight: honour,
    };
    let mut pending = vec![start];
    let mut summary = Summary::default();
    // The root's refusal is an outcome without events.
    let mut leaves: u64 = 1;
    let mut relevant = Vec::new();
    let outcome = 'walk: {
        while let Some(mut branch) = pending.pop() {
            leaves += 1;
            loop {
                if branch.cursor == branch.candidates.len() {
                    branch.head += 1;
                    let Some(event) = branch.events.get(branch.head) else { break };
                    independence.answers(event, &mut branch.candidates);
                    branch.cursor = 0;
                    continue;
                }
                let id = branch.candidates[branch.cursor];
                branch.cursor += 1;
                spent += 1;
                if spent > PART_WORK {
                    break 'walk None;
                }
                let event = &branch.events[branch.head];
                let target = match independence.answer(id, event, trigger, r, &branch.war) {
                    Answer::Never => continue,
                    Answer::Unsure => break 'walk None,
                    Answer::Member(target) => target,
                };
                let c = model.commitment(id);
                // Every member attacks the part's target: fired once is
                // fired at it (rule 3). Parts exist only where every
                // promise is kept for sure ([`Independence::new`]): none is broken.
                if branch.war.settles(c.acting, target, c.response)
                    || branch.fired.contains(&id)
                    || blocking_promise(model, &branch.events, &branch.war, &IdSet::new(), c.acting, target).is_some()
                {
                    continue;
                }
                let (rung, step, head) = (firing_rung(c, event), event.step, branch.head);
                let honoured = match branch.decided.iter().find(|&&(d, _)| d == id) {
                    Some(&(_, honoured)) => honoured,
                    None => {
                        if !relevant.contains(&id) {
                            relevant.push(id);
                        }
                        let q = p[id.index()];
                        if q > 0.0 && q < 1.0 {
                            if leaves + pending.len() as u64 >= PART_LEAVES {
                                break 'walk None;
                            }
                            let mut refused = branch.clone();
                            refused.decided.push((id, false));
                            refused.weight *= 1.0 - q;
                            pending.push(refused);
                            branch.weight *= q;
                        }
                        branch.decided.push((id, q > 0.0));
                        q > 0.0
                    }
                };
                if honoured {
                    let event = Event {
                        aggressor: c.acting,
                        victim: target,
                        domains: c.domains,
                        rung,
                        provoked: branch.war.aggressors.contains(target.index()),
                        step: step + 1,
                        cause: Cause::Firing { commitment: id, trigger: head },
                    };
                    branch.war.add(&event);
                    branch.events.push(event);
                    branch.fired.push(id);
                }
            }
            summary.add(&branch, trigger, p);
        }
        let commitments = independence.closed(summary.actors.iter().map(|a| ActorId(a as u32)), root, trigger)?;
        Some(Part {
            marginals: summary.marginals(r, honour),
            leaves,
            commitments,
            relevant,
            events: summary.events,
            chains: summary.chains,
            rung_chains: summary.rung_chains,
        })
    };
    *work += spent;
    outcome
}

/// The part of a firing `first` that nothing answers, honoured with
/// probability `honour`: its actor enters with that probability, at the
/// firing's rung.
fn alone(independence: &Independence, root: ExpandedId, first: Event, trigger: &Event, honour: f64) -> Option<Part> {
    let (actor, rung) = (first.aggressor, first.rung);
    let commitments = independence.closed([actor].into_iter(), root, trigger)?;
    let step = PathStep { commitment: root, acting: actor, p: honour, target: first.victim, rung };
    let marginals = Marginals {
        enters: vec![(actor, honour)],
        reaches: vec![honour; rung.index() + 1],
        mean: honour,
        variance: honour * (1.0 - honour),
        target: first.victim,
        strikes: honour,
    };
    let chains = vec![(actor, vec![step.clone()], honour)];
    let climbed = trigger.rung.index() + 1..=rung.index();
    let rung_chains = climbed.map(|r| (RungId(r as u32), vec![step.clone()], honour)).collect();
    Some(Part { marginals, leaves: 2, commitments, relevant: Vec::new(), events: 1, chains, rung_chains })
}

/// What the outcomes walked so far add up to.
#[derive(Default)]
struct Summary {
    actors: IdSet,
    enters: Vec<(ActorId, f64)>,
    reaches: Vec<f64>,
    entrants: f64,
    entrants_squared: f64,
    events: usize,
    chains: Vec<(ActorId, Vec<PathStep>, f64)>,
    rung_chains: Vec<(RungId, Vec<PathStep>, f64)>,
}

impl Summary {
    fn add(&mut self, branch: &Branch, trigger: &Event, p: &[f64]) {
        let (events, weight) = (&branch.events, branch.weight);
        let mut count = 0.0;
        // The target is a party of the trigger: at war already.
        for (actor, entry) in entries(events).into_iter().filter(|&(a, _)| !trigger.involves(a)) {
            count += 1.0;
            self.actors.insert(actor.index());
            match self.enters.iter_mut().find(|(a, _)| *a == actor) {
                Some((_, w)) => *w += weight,
                None => self.enters.push((actor, weight)),
            }
            let chain = chain(events, entry, p);
            match self.chains.iter_mut().find(|(a, c, _)| *a == actor && *c == chain) {
                Some((.., w)) => *w += weight,
                None => self.chains.push((actor, chain, weight)),
            }
        }
        for (i, e) in events.iter().enumerate() {
            // The root's trigger is T; every other event answers one of the part's.
            let below = match e.cause {
                Cause::Firing { trigger: t, .. } if i > 0 => events[t].rung,
                _ => trigger.rung,
            };
            if below >= e.rung {
                continue;
            }
            let chain = chain(events, i, p);
            for rung in (below.index() + 1..=e.rung.index()).map(|r| RungId(r as u32)) {
                match self.rung_chains.iter_mut().find(|(r, c, _)| *r == rung && *c == chain) {
                    Some((.., w)) => *w += weight,
                    None => self.rung_chains.push((rung, chain.clone(), weight)),
                }
            }
        }
        if let Some(top) = events.iter().map(|e| e.rung).max() {
            if self.reaches.len() <= top.index() {
                self.reaches.resize(top.index() + 1, 0.0);
            }
            for w in &mut self.reaches[..=top.index()] {
                *w += weight;
            }
        }
        self.entrants += weight * count;
        self.entrants_squared += weight * count * count;
        self.events = self.events.max(events.len());
    }

    /// Every walked outcome holds the root's firing on `target`, honoured
    /// with probability `strikes`.
    fn marginals(&mut self, target: ActorId, strikes: f64) -> Marginals {
        let mean = self.entrants;
        let (enters, reaches) = (std::mem::take(&mut self.enters), std::mem::take(&mut self.reaches));
        Marginals { enters, reaches, mean, variance: self.entrants_squared - mean * mean, target, strikes }
    }
}

/// The firings from the root's (event 0) to event `at`.
fn chain(events: &[Event], mut at: usize, p: &[f64]) -> Vec<PathStep> {
    let mut steps = Vec::new();
    loop {
        let e = &events[at];
        let Cause::Firing { commitment, trigger } = e.cause else { break };
        steps.push(PathStep {
            commitment,
            acting: e.aggressor,
            p: p[commitment.index()],
            target: e.victim,
            rung: e.rung,
        });
        if at == 0 {
            break;
        }
        at = trigger;
    }
    steps.reverse();
    steps
}
