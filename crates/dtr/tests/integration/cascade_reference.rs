//! The analysis against a deliberately plain second implementation of §5
//! and §6 of docs/language.md (issue 22's differential test).
//!
//! The all-honoured cascade (and the sweep's cascade of events only)
//! against a straightforward reading of §5: for
//! each event in queue order, every commitment in declaration order, its
//! condition evaluated on every event, no index, gate or shortcut. Events,
//! consultations and conflicts must be equal, on generated worlds (every
//! kind of condition the generator writes, bloc-wide wars) and on a small
//! world with the clauses the generator does not write (`join`, exact `at`,
//! `within`, `and`, promises with `when`), and on an alliance whose members
//! promise each other neutrality and nonaggression, as ATOP's do.
//!
//! The probabilities (P(joins), P(reached), expected entrants) against a
//! brute force over every honour/dishonour outcome of the commitments that
//! can fire, each outcome's cascade run by the same plain reading; and the
//! deterrence gaps against §6's definitions, written out. Both on random
//! programs of the grammar-aware generator (`dtr_gen::synth`), which writes
//! every declaration and condition form; exact evaluations must agree to
//! 1e-9.

use dtr::analysis::probability::{Method, Request, evaluate};
use dtr::analysis::side::Side;
use dtr::analysis::sweep::attacks;
use dtr::analysis::{Cause, Event, Stop};
use dtr::check::program::GapReason;
use dtr::internals::{Entry, Reach, Scene, War, escalate, matches, reach};
use dtr::model::{Expanded, Kind, Model, compile};
use dtr::vocabulary::{ActorId, DomainId, ExpandedId, ScenarioId};
use dtr_gen::generate::{Profile, Shape, world};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn model(text: &str) -> Model {
    let checked = dtr::check::check_source("world.dtr", text);
    assert!(!checked.has_errors(), "the world checks clean");
    compile(&checked.program)
}

type Consultations = Vec<(ExpandedId, ActorId, ActorId, usize)>;
type Conflicts = Vec<(ExpandedId, ActorId, ActorId, Stop, usize)>;

/// Sides as §5 defines them, kept apart from the cascade's own: each actor
/// keeps the first side it is given; an opening gives its aggressor the
/// opener's side and its victim the target's; another attack gives a party
/// without a side the side opposite the other party's, if that has one.
#[derive(Default)]
struct PlainSides(BTreeMap<ActorId, Side>);

impl PlainSides {
    fn attack(&mut self, e: &Event) {
        let other = |s: Side| if s == Side::Opener { Side::Target } else { Side::Opener };
        let (a, v) = (self.0.get(&e.aggressor).copied(), self.0.get(&e.victim).copied());
        let given = match (e.cause, a, v) {
            (Cause::Opening { .. }, ..) => [Some(Side::Opener), Some(Side::Target)],
            (_, _, Some(side)) => [Some(other(side)), None],
            (_, Some(side), None) => [None, Some(other(side))],
            _ => [None, None],
        };
        for (actor, side) in [e.aggressor, e.victim].into_iter().zip(given) {
            if let Some(side) = side {
                self.0.entry(actor).or_insert(side);
            }
        }
    }
}

/// §5 as written, every commitment honoured.
fn reference(model: &Model, scenario: ScenarioId) -> (Vec<Event>, Consultations, Conflicts) {
    reference_with(model, scenario, &|_| true)
}

/// §5 as written: events, consultations (commitment, acting, with, event)
/// and conflicts (commitment, acting, target, rule, event). A commitment
/// that is not `honoured` reaches its firing decision and does not fire; a
/// promise that is not `honoured` (kept) is broken and forbids nothing.
fn reference_with(
    model: &Model,
    scenario: ScenarioId,
    honoured: &dyn Fn(ExpandedId) -> bool,
) -> (Vec<Event>, Consultations, Conflicts) {
    let mut war = War::default();
    let mut sides = PlainSides::default();
    let mut events: Vec<Event> = Vec::new();
    for (i, o) in model.scenarios[scenario.index()].openings.iter().enumerate() {
        let event = Event::opening(o, i);
        war.add(&event);
        sides.attack(&event);
        events.push(event);
    }
    let (mut consultations, mut conflicts): (Consultations, Conflicts) = (Vec::new(), Vec::new());
    let mut head = 0;
    while head < events.len() {
        for (i, c) in model.commitments.iter().enumerate() {
            let id = ExpandedId(i as u32);
            let e = events[head].clone();
            let Some(condition) = c.condition.as_ref().filter(|_| c.in_force && !c.kind.is_promise()) else { continue };
            let target = match c.kind {
                Kind::Defend | Kind::Join if e.victim == c.protected => e.aggressor,
                Kind::Join if e.aggressor == c.protected => e.victim,
                Kind::Attacks | Kind::Consult => c.protected,
                _ => continue,
            };
            let consulted = consultations.iter().any(|&(k, ..)| k == id);
            // Rule 3: an attack goes to an enemy only with a `response`
            // above every event between them, and once per commitment and
            // target; a consultation never goes to an enemy.
            let rung = e.rung.max(c.response.unwrap_or(e.rung));
            let between = events.iter().filter(|ev| {
                (ev.aggressor, ev.victim) == (c.acting, target) || (ev.aggressor, ev.victim) == (target, c.acting)
            });
            let fired = events.iter().any(|ev| {
                ev.victim == target && matches!(ev.cause, Cause::Firing { commitment, .. } if commitment == id)
            });
            let stopped_at_war = match c.kind {
                Kind::Consult => between.count() > 0,
                _ => {
                    let top = between.map(|ev| ev.rung).max();
                    fired || top.is_some_and(|top| c.response.is_none_or(|response| top >= response))
                }
            };
            if target == c.acting
                || (c.kind != Kind::Attacks && e.aggressor == c.acting)
                || stopped_at_war
                || (c.kind == Kind::Consult && consulted)
                || !matches(condition, Scene { model, event: &e, war: &war })
            {
                continue;
            }
            if c.kind == Kind::Consult {
                consultations.push((id, c.acting, target, head));
                continue;
            }
            let promise = model.commitments.iter().enumerate().find(|&(k, p)| {
                let applies = match p.kind {
                    Kind::Nonaggression => true,
                    Kind::Neutral => war.involved.contains(target.index()),
                    _ => false,
                };
                p.in_force
                    && honoured(ExpandedId(k as u32))
                    && p.acting == c.acting
                    && p.protected == target
                    && applies
                    && p.condition
                        .as_ref()
                        .is_none_or(|w| events.iter().any(|ev| matches(w, Scene { model, event: ev, war: &war })))
            });
            // Rule 5: not against an actor on its own side.
            let side = sides.0.get(&c.acting).filter(|&s| sides.0.get(&target) == Some(s));
            let stop = match (promise, side) {
                (Some((p, _)), _) => Some(Stop::Promise { promise: ExpandedId(p as u32) }),
                (None, Some(&side)) => Some(Stop::Side { side }),
                (None, None) => None,
            };
            if let Some(stop) = stop {
                if !conflicts.iter().any(|&(k, _, t, ..)| k == id && t == target) {
                    conflicts.push((id, c.acting, target, stop, head));
                }
                continue;
            }
            if !honoured(id) {
                continue;
            }
            let event = Event {
                aggressor: c.acting,
                victim: target,
                domains: c.domains,
                rung,
                provoked: war.aggressors.contains(target.index()),
                step: e.step + 1,
                cause: Cause::Firing { commitment: id, trigger: head },
            };
            war.add(&event);
            sides.attack(&event);
            events.push(event);
        }
        head += 1;
    }
    (events, consultations, conflicts)
}

/// Runs every `stride`-th directed attack of `model` both ways; returns the
/// most events one cascade created and how many cascades the sweep's
/// [`reach`] stopped at their horizon before their last event.
fn compare(model: &Model, stride: usize) -> (usize, usize) {
    let mut scratch = model.clone();
    scratch.scenarios.truncate(1);
    let (mut largest, mut cut) = (0, 0);
    let entry = Entry::new(model);
    for attack in attacks(model, None, None).into_iter().step_by(stride) {
        scratch.scenarios[0].openings = vec![attack.opening(model)];
        let fast = escalate(&scratch, ScenarioId(0));
        let (events, consultations, conflicts) = reference(&scratch, ScenarioId(0));
        assert_eq!(fast.events, events, "{attack:?}");
        let fast_consultations: Vec<_> =
            fast.consultations.iter().map(|c| (c.commitment, c.acting, c.with, c.event)).collect();
        assert_eq!(fast_consultations, consultations, "{attack:?}");
        let fast_conflicts: Vec<_> =
            fast.conflicts.iter().map(|c| (c.commitment, c.acting, c.target, c.stop, c.event)).collect();
        assert_eq!(fast_conflicts, conflicts, "{attack:?}");
        // What a sweep keeps, from the cascade that skips the records.
        let involved: std::collections::BTreeSet<ActorId> =
            events.iter().flat_map(|e| [e.aggressor, e.victim]).collect();
        let top_rung = events.iter().map(|e| e.rung).max();
        let expected = Reach { entrants: involved.len(), top_rung, capped: false };
        assert_eq!(reach(&scratch, ScenarioId(0), None), expected, "{attack:?}");
        assert_eq!(reach(&scratch, ScenarioId(0), Some(&entry)), expected, "{attack:?}");
        let horizon = entry.horizon(&scratch.scenarios[0].openings).expect("far below the event limit");
        assert!(horizon.entrants >= involved.len() && Some(horizon.rung) >= top_rung, "{attack:?}");
        // Whether the horizon was reached before the last event.
        let mut entered = std::collections::BTreeSet::new();
        let mut top = None;
        let settled = events.iter().position(|e| {
            entered.extend([e.aggressor, e.victim]);
            top = top.max(Some(e.rung));
            entered.len() == horizon.entrants && top == Some(horizon.rung)
        });
        cut += usize::from(settled.is_some_and(|i| i + 1 < events.len()));
        largest = largest.max(events.len());
    }
    (largest, cut)
}

#[test]
fn generated_regional_worlds_cascade_as_section_5_reads() {
    let largest = [1, 2].map(|seed| {
        let m = model(&world(Shape::world(30, seed)));
        assert!(compare_gaps(&m, &format!("world(30, {seed})")) > 0, "no threat to assess");
        compare(&m, 3).0
    });
    // Some attack starts a bloc-wide war: the case the shortcuts are for.
    assert!(largest.iter().any(|&n| n > 100), "largest cascades {largest:?} events");
}

#[test]
fn a_generated_dense_world_cascades_as_section_5_reads() {
    let shape = Shape { profile: Profile::Dense, ..Shape::world(16, 3) };
    let m = model(&world(shape));
    assert!(compare_gaps(&m, "dense world(16, 3)") > 0, "no threat to assess");
    let (largest, cut) = compare(&m, 2);
    assert!(largest > 50);
    // Every actor enters long before the last pair goes to war: the
    // sweep's cascade stops early, with the same reach.
    assert!(cut > 0, "no cascade stopped at its horizon");
}

#[test]
fn joins_exact_rungs_regions_and_dated_promises_cascade_as_section_5_reads() {
    let text = r#"
        region north
        region south
        actor A { region: north } actor B { region: north } actor C { region: south }
        actor D { region: south } actor E actor F
        alliance pact { members: [A, B, C, D]
          obligation guard defend { when: attack on member within [north] at >= limited_war }
          obligation help join { when: attack at regional_war and war with [E] }
        }
        alliance duo { members: [D, E]
          obligation j join { when: attack at limited_war }
        }
        alliance trio { members: [A, E, F]
          obligation k join { when: war with [C] response: regional_war }
        }
        commitment c1: E defends A { when: attack on A by [C] response: regional_war }
        commitment c2: F defends C { when: unprovoked attack on C in land }
        commitment c4: F attacks B { when: war between [A] and [C] }
        commitment c5: D defends B { when: attack on B by [A, E] and not war with [F] response: general_war }
        commitment c6: F neutral B { when: war with [E] }
        commitment c7: C nonaggression E
        commitment c8: B consults F { when: threat_to [A] }
        commitment c9: C defends D { when: attack on D at coercion }
        scenario s { A attacks B }
    "#;
    assert!(compare(&model(text), 1).0 > 5);
}

#[test]
fn promises_that_bind_for_good_cascade_as_section_5_reads() {
    // ATOP's pattern: the members of an alliance promise each other
    // neutrality and nonaggression, so a member's defence against another
    // member is blocked for good; the sweep's cascade leaves such
    // defenders out. A promise with `when` that does not apply (E's) must
    // not: E defends B.
    let text = r#"
        actor A actor B actor C actor D actor E actor F
        alliance pact { members: [A, B, C, D]
          obligation guard defend { when: attack on member }
          obligation calm neutral
          obligation nonagg nonaggression
        }
        commitment e1: E defends B { when: attack on B }
        commitment e2: E neutral A { when: war with [F] }
        commitment f1: F defends C { when: attack on C }
        commitment f2: F nonaggression B
        commitment f3: F defends A { when: attack on A }
        scenario s { A attacks B }
    "#;
    let m = model(text);
    assert!(compare(&m, 1).0 > 3);
    let all = escalate(&m, ScenarioId(0));
    assert!(all.conflicts.len() >= 2, "the members' defences of B against A are conflicts: {:?}", all.conflicts);
    let entered = |actor: &str| {
        let id = m.actors.iter().position(|a| a.name == actor).expect("declared");
        all.events.iter().any(|e| e.aggressor.index() == id)
    };
    assert!(entered("E"), "{:?}", all.events);
}

// ------------------------------------------------------------ probabilities

/// The most commitments a brute force enumerates (2^10 cascades).
const MAX_DRAWN: usize = 10;

/// P(joins), P(attacks) and P(attacked) per actor, P(reached) per rung, the
/// expected entrants and the probability of each entry chain, by
/// running the plain cascade once for every outcome of the commitments
/// whose honour is uncertain (0 < p < 1) and that can fire with an event
/// (§5: in force, not a promise or consultation, with a condition), and of
/// the in-force promises kept with a probability 0 < p < 1 (rule 4); each
/// outcome weighs the product of p or 1 − p over them. A commitment with
/// p = 0 never fires (a promise is broken), one with p = 1 always may (is
/// kept). None when there are more than [`MAX_DRAWN`] of them.
fn reference_probabilities(model: &Model, scenario: ScenarioId) -> Option<Plain> {
    let drawn: Vec<usize> = (0..model.commitments.len())
        .filter(|&i| {
            let c = &model.commitments[i];
            c.in_force && (c.kind.is_promise() || c.kind.attacks() && c.condition.is_some()) && c.p > 0.0 && c.p < 1.0
        })
        .collect();
    if drawn.len() > MAX_DRAWN {
        return None;
    }
    let mut enters = vec![0.0; model.actors.len()];
    let (mut attacks, mut attacked) = (enters.clone(), enters.clone());
    let mut rungs = vec![0.0; model.settings.ladder.len()];
    let mut entrants = 0.0;
    let mut chains = BTreeMap::new();
    let mut rung_chains = BTreeMap::new();
    for outcome in 0u32..1 << drawn.len() {
        let honoured = |id: ExpandedId| match drawn.iter().position(|&i| i == id.index()) {
            Some(bit) => outcome & (1 << bit) != 0,
            None => model.commitments[id.index()].p > 0.0,
        };
        let weight: f64 = drawn
            .iter()
            .enumerate()
            .map(
                |(bit, &i)| {
                    if outcome & (1 << bit) != 0 { model.commitments[i].p } else { 1.0 - model.commitments[i].p }
                },
            )
            .product();
        let (events, ..) = reference_with(model, scenario, &honoured);
        let mut joined = vec![false; model.actors.len()];
        let (mut aggressor, mut victim) = (joined.clone(), joined.clone());
        for (i, e) in events.iter().enumerate() {
            aggressor[e.aggressor.index()] = true;
            victim[e.victim.index()] = true;
            for actor in [e.aggressor, e.victim] {
                if !joined[actor.index()] {
                    joined[actor.index()] = true;
                    *chains.entry((actor, entry_chain(&events, i))).or_insert(0.0) += weight;
                }
            }
        }
        for (actor, _) in joined.iter().enumerate().filter(|(_, j)| **j) {
            enters[actor] += weight;
            entrants += weight;
            attacks[actor] += if aggressor[actor] { weight } else { 0.0 };
            attacked[actor] += if victim[actor] { weight } else { 0.0 };
        }
        if let Some(top) = events.iter().map(|e| e.rung).max() {
            for reached in &mut rungs[..=top.index()] {
                *reached += weight;
            }
        }
        // Every chain of firings to an event at a rung above the openings'
        // or higher happens in this outcome.
        let openings = model.scenarios[scenario.index()].openings.iter().map(|o| o.rung.index() + 1).max();
        for (i, e) in events.iter().enumerate().filter(|(_, e)| matches!(e.cause, Cause::Firing { .. })) {
            for rung in openings.unwrap_or(0)..=e.rung.index() {
                *rung_chains.entry((rung, entry_chain(&events, i))).or_insert(0.0) += weight;
            }
        }
    }
    Some(Plain { enters, attacks, attacked, rungs, entrants, chains, rung_chains })
}

/// What the brute force finds: P(joins) by actor, P(reached) by rung, the
/// expected entrants, and the probability of each entry chain.
struct Plain {
    enters: Vec<f64>,
    /// P(it is the aggressor of some event), P(it is the victim of one).
    attacks: Vec<f64>,
    attacked: Vec<f64>,
    rungs: Vec<f64>,
    entrants: f64,
    chains: BTreeMap<(ActorId, Chain), f64>,
    /// By rung, every chain of firings to an event at it or higher, with
    /// the probability that it happens.
    rung_chains: BTreeMap<(usize, Chain), f64>,
}

/// An entry chain: its opening line, then each firing's commitment and target.
type Chain = (usize, Vec<(ExpandedId, ActorId)>);

/// The causes of event `at` back to its opening line.
fn entry_chain(events: &[Event], mut at: usize) -> Chain {
    let mut firings = Vec::new();
    loop {
        match events[at].cause {
            Cause::Opening { opening } => {
                firings.reverse();
                return (opening, firings);
            }
            Cause::Firing { commitment, trigger } => {
                firings.push((commitment, events[at].victim));
                at = trigger;
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

/// Compares every scenario's probabilities with the brute force; returns
/// how many scenarios were compared.
fn compare_probabilities(model: &Model, text: &str, seen_rung_paths: &std::cell::Cell<usize>) -> usize {
    let mut compared = 0;
    for s in 0..model.scenarios.len() {
        let scenario = ScenarioId(s as u32);
        let Some(Plain { enters, attacks, attacked, rungs, entrants, chains, rung_chains }) =
            reference_probabilities(model, scenario)
        else {
            continue;
        };
        let evaluation = evaluate(model, &model.probabilities(), Request { scenario, stop_at: None, paths: false });
        // At most 2^10 leaves: far inside the exact evaluation's bounds.
        assert!(matches!(evaluation.method, Method::Exact { .. }), "{:?}\n{text}", evaluation.method);
        let found = evaluation.tally.probabilities(evaluation.method);
        let name = &model.scenarios[s].name;
        for (actor, p) in enters.iter().enumerate() {
            let got = found.enters[actor].enters.value;
            assert!(
                close(got, *p),
                "scenario {name}: P({} joins) = {got}, plainly {p}\n{text}",
                model.actors[actor].name
            );
        }
        for (actor, found) in found.enters.iter().enumerate() {
            let (a, v) = (found.attacks.value, found.attacked.value);
            assert!(
                close(a, attacks[actor]) && close(v, attacked[actor]),
                "scenario {name}: P({} attacks) = {a}, P(attacked) = {v}, plainly {} and {}\n{text}",
                model.actors[actor].name,
                attacks[actor],
                attacked[actor]
            );
        }
        for (rung, p) in rungs.iter().enumerate() {
            let got = found.rungs[rung].reached.value;
            assert!(
                close(got, *p),
                "scenario {name}: P(reaches {}) = {got}, plainly {p}\n{text}",
                model.settings.ladder[rung]
            );
        }
        // Each path: the probability that its actor enters by it, the
        // highest of its actor's chains, never above its P(joins).
        let analysis = dtr::analysis::analyze_scenario(model, scenario, dtr::analysis::RUN_WORK_LIMIT);
        // Each rung path: the probability that its chain happens, the
        // highest of the rung's chains, never above P(reached); every rung
        // some firing reaches has one.
        // The all-honoured cascade counts too, at weight 0 (as for entry
        // paths): a commitment honoured with probability 0 may fire there.
        let mut with_chains: std::collections::BTreeSet<usize> = rung_chains.keys().map(|(r, _)| *r).collect();
        let opened = model.scenarios[s].openings.iter().map(|o| o.rung.index() + 1).max().unwrap_or(0);
        for e in reference(model, scenario).0.iter().filter(|e| matches!(e.cause, Cause::Firing { .. })) {
            with_chains.extend(opened..=e.rung.index());
        }
        let with_paths: std::collections::BTreeSet<usize> =
            analysis.rung_paths.iter().map(|r| r.rung.index()).collect();
        assert_eq!(with_paths, with_chains, "scenario {name}: the rungs with a path\n{text}");
        for r in &analysis.rung_paths {
            let (rung, path) = (r.rung.index(), &r.path);
            let chain = (path.opening, path.steps.iter().map(|st| (st.commitment, st.target)).collect());
            let plain = rung_chains.get(&(rung, chain)).copied().unwrap_or(0.0);
            let best = rung_chains.iter().filter(|((k, _), _)| *k == rung).map(|(_, &w)| w).fold(0.0, f64::max);
            let what = &model.settings.ladder[rung];
            assert!(close(path.probability, plain), "scenario {name}: {what}'s path {path:?}, plainly {plain}\n{text}");
            assert!(close(path.probability, best), "scenario {name}: {what}'s best chain is at {best}\n{text}");
            assert!(path.probability <= rungs[rung] + 1e-12, "scenario {name}: {what}'s path above P(reached)");
            seen_rung_paths.set(seen_rung_paths.get() + 1);
        }
        for path in analysis.paths {
            let actor = path.actor;
            let chain = (path.opening, path.steps.iter().map(|st| (st.commitment, st.target)).collect());
            let plain = chains.get(&(actor, chain)).copied().unwrap_or(0.0);
            let best = chains.iter().filter(|((a, _), _)| *a == actor).map(|(_, &w)| w).fold(0.0, f64::max);
            let who = &model.actors[actor.index()].name;
            assert!(close(path.probability, plain), "scenario {name}: {who}'s path {path:?}, plainly {plain}\n{text}");
            assert!(close(path.probability, best), "scenario {name}: {who}'s best chain is at {best}\n{text}");
            assert!(path.probability <= enters[actor.index()] + 1e-12, "scenario {name}: {who}'s path above P(joins)");
        }
        let got = found.expected_entrants.value;
        assert!(close(got, entrants), "scenario {name}: expected entrants {got}, plainly {entrants}\n{text}");
        compared += 1;
    }
    compared
}

// --------------------------------------------------------------------- gaps

/// One assessment as §6 defines it.
#[derive(Debug)]
struct PlainGap {
    threat: usize,
    target: ActorId,
    domain: DomainId,
    own: f64,
    committed: f64,
    ratio: f64,
    gap: bool,
    reason: Option<GapReason>,
}

/// §6 as written: every threat, target and domain (the threat's, or every
/// domain where the aggressor has capability) with `cap(A, d) > 0`.
fn reference_gaps(model: &Model) -> Vec<PlainGap> {
    let mut out = Vec::new();
    for (i, threat) in model.threats.iter().enumerate() {
        let domains: Vec<DomainId> = match &threat.domains {
            Some(ds) => ds.clone(),
            None => (0..model.domains.len() as u32).map(DomainId).collect(),
        };
        for &target in &threat.targets {
            for &d in domains.iter().filter(|&&d| model.capability(threat.aggressor, d) > 0.0) {
                out.push(reference_gap(model, i, threat.aggressor, target, d));
            }
        }
    }
    out
}

fn reference_gap(model: &Model, threat: usize, a: ActorId, t: ActorId, d: DomainId) -> PlainGap {
    // "A attacks T in d", unprovoked, at the opening rung: the whole state.
    let event = Event {
        aggressor: a,
        victim: t,
        domains: Some(model.single_domain(d)),
        rung: model.settings.opening,
        provoked: false,
        step: 0,
        cause: Cause::Opening { opening: 0 },
    };
    let mut war = War::default();
    war.add(&event);
    let scene = Scene { model, event: &event, war: &war };
    let protecting: Vec<&Expanded> =
        model.commitments.iter().filter(|c| c.kind.protects() && c.protected == t).collect();
    // Rule 4 of §5 toward A: a nonaggression promise, or a neutrality
    // promise (A is at war), in force, whose `when` (if any) the event
    // matches; what is left of G's firings: none once one is kept for sure,
    // else Π(1 − q) over their credibilities.
    let unkept = |g: ActorId| {
        model
            .commitments
            .iter()
            .filter(|p| {
                p.in_force
                    && p.kind.is_promise()
                    && p.acting == g
                    && p.protected == a
                    && p.condition.as_ref().is_none_or(|w| matches(w, scene))
            })
            .map(|p| 1.0 - p.p)
            .product::<f64>()
    };
    let promised = |g: ActorId| {
        model.commitments.iter().any(|p| {
            p.in_force
                && p.kind.is_promise()
                && p.p >= 1.0
                && p.acting == g
                && p.protected == a
                && p.condition.as_ref().is_none_or(|w| matches(w, scene))
        })
    };
    let p = |c: &Expanded| c.p * unkept(c.acting);
    // Rule 3 of §5 as well: its actor is not the aggressor, nor at war with it.
    let would_fire = |c: &&Expanded| {
        c.in_force
            && c.acting != a
            && !war.at_war(c.acting, a)
            && c.domains.is_none_or(|set| model.domain_set(set).contains(d.index()))
            && c.condition.as_ref().is_some_and(|w| matches(w, scene))
            && !promised(c.acting)
    };
    let firing: Vec<&Expanded> = protecting.iter().copied().filter(would_fire).collect();
    let mut strongest: BTreeMap<ActorId, f64> = BTreeMap::new();
    for c in &firing {
        let value = model.capability(c.acting, d) * p(c) * c.interoperability;
        let best = strongest.entry(c.acting).or_insert(value);
        *best = best.max(value);
    }
    let own = model.capability(t, d);
    let committed: f64 = strongest.values().sum();
    let ratio = (own + committed) / model.capability(a, d);
    let gap = ratio < model.settings.deterrence_ratio;
    let nuclear = |x: ActorId| model.nuclear_domain.is_some_and(|n| model.capability(x, n) > 0.0);
    let reason = gap.then(|| {
        if model.nuclear_domain == Some(d) && !nuclear(t) && !firing.iter().any(|c| nuclear(c.acting)) {
            GapReason::NoUmbrella
        } else if protecting.is_empty() {
            GapReason::Uncovered
        } else if firing.is_empty() {
            GapReason::Excluded
        } else if firing.iter().all(|c| p(c) < model.settings.credibility_floor) {
            GapReason::Hollow
        } else {
            GapReason::Outmatched
        }
    });
    PlainGap { threat, target: t, domain: d, own, committed, ratio, gap, reason }
}

/// Compares the gap analysis with §6; returns how many assessments.
fn compare_gaps(model: &Model, text: &str) -> usize {
    let plain = reference_gaps(model);
    let found = dtr::analysis::gaps::gaps(model);
    let key = |threat, target: ActorId, domain: DomainId| {
        (threat, model.actors[target.index()].name.clone(), model.domains[domain.index()].clone())
    };
    let found_keys: Vec<_> = found.iter().map(|g| key(g.threat.unwrap_or(usize::MAX), g.target, g.domain)).collect();
    let plain_keys: Vec<_> = plain.iter().map(|g| key(g.threat, g.target, g.domain)).collect();
    assert_eq!(found_keys, plain_keys, "the assessments made\n{text}");
    for (g, p) in found.iter().zip(&plain) {
        let what = format!("{:?}: found {g:?}\nplainly {p:?}\n{text}", key(p.threat, p.target, p.domain));
        assert!(close(g.own, p.own) && close(g.committed, p.committed) && close(g.ratio, p.ratio), "{what}");
        assert_eq!((g.gap, g.reason), (p.gap, p.reason), "{what}");
    }
    plain.len()
}

/// How many events attack an actor already at war with the aggressor
/// (escalations, rule 3).
fn escalations(events: &[Event]) -> usize {
    let mut at_war = std::collections::BTreeSet::new();
    let mut escalations = 0;
    for e in events {
        let new = at_war.insert((e.aggressor.min(e.victim), e.aggressor.max(e.victim)));
        escalations += usize::from(!new && matches!(e.cause, Cause::Firing { .. }));
    }
    escalations
}

/// The all-honoured cascade of every scenario against §5; returns how many
/// firings rule 5 stopped and how many events escalate a war.
fn compare_cascades(model: &Model, text: &str) -> (usize, usize) {
    let (mut side_conflicts, mut escalated) = (0, 0);
    for s in 0..model.scenarios.len() {
        let scenario = ScenarioId(s as u32);
        let (events, _, conflicts) = reference(model, scenario);
        let fast = escalate(model, scenario);
        assert_eq!(fast.events, events, "scenario {}\n{text}", model.scenarios[s].name);
        let fast_conflicts: Vec<_> =
            fast.conflicts.iter().map(|c| (c.commitment, c.acting, c.target, c.stop, c.event)).collect();
        assert_eq!(fast_conflicts, conflicts, "scenario {}\n{text}", model.scenarios[s].name);
        side_conflicts += conflicts.iter().filter(|c| matches!(c.3, Stop::Side { .. })).count();
        escalated += escalations(&events);
    }
    (side_conflicts, escalated)
}

/// Random programs of every declaration and condition form: the
/// all-honoured cascades, the probabilities (where the brute force is small
/// enough) and the gaps agree with the plain reading. Each run draws new
/// seeds (a failure prints the program); the coverage is asserted so that
/// the comparison cannot pass by comparing nothing.
#[test]
fn synthesised_programs_agree_with_the_plain_reading() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let seen = std::cell::RefCell::new((0usize, 0usize, 0usize, BTreeMap::<String, usize>::new(), 0usize, 0usize));
    let rung_paths = std::cell::Cell::new(0);
    let result = runner.run(&any::<u64>(), |seed| {
        let text = dtr_gen::synth::from_seed(seed);
        let checked = dtr::check::check_source("synth.dtr", &text);
        prop_assert!(!checked.has_errors(), "the generator writes programs that check\n{text}");
        let model = compile(&checked.program);
        let (side_conflicts, escalated) = compare_cascades(&model, &text);
        let scenarios = compare_probabilities(&model, &text, &rung_paths);
        compare_gaps(&model, &text);
        let mut seen = seen.borrow_mut();
        seen.0 += model.scenarios.len();
        seen.1 += scenarios;
        seen.4 += side_conflicts;
        seen.5 += escalated;
        for g in reference_gaps(&model) {
            seen.2 += 1;
            *seen.3.entry(g.reason.map_or("none".to_string(), |r| format!("{r:?}"))).or_default() += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (scenarios, compared, gaps, reasons, side_conflicts, escalated) = seen.into_inner();
    eprintln!(
        "{compared} of {scenarios} scenarios compared exactly; {gaps} gap assessments: {reasons:?}; \
         {side_conflicts} side conflicts; {escalated} escalations"
    );
    assert!(side_conflicts > 0, "rule 5 never stopped a firing");
    assert!(escalated > 0, "no war between two actors escalated (rule 3)");
    assert!(rung_paths.get() > 0, "no rung path compared");
    assert!(compared * 2 >= scenarios, "{compared} of {scenarios} scenarios compared");
    assert!(gaps >= 100, "{gaps} gap assessments");
}
