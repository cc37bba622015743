//! The all-honoured cascade (and the sweep's cascade of events only)
//! against a straightforward reading of §5: for
//! each event in queue order, every commitment in declaration order, its
//! condition evaluated on every event, no index, gate or shortcut. Events,
//! consultations and conflicts must be equal, on generated worlds (every
//! kind of condition the generator writes, bloc-wide wars) and on a small
//! world with the clauses the generator does not write (`join`, exact `at`,
//! `within`, `and`, promises with `when`), and on an alliance whose members
//! promise each other neutrality and nonaggression, as ATOP's do.

use dtr::analysis::condition::{Scene, matches};
use dtr::analysis::escalation::{Reach, escalate, reach};
use dtr::analysis::event::{Cause, Event, War};
use dtr::analysis::horizon::Entry;
use dtr::analysis::sweep::attacks;
use dtr::check::program::{ActorId, ScenarioId};
use dtr::generate::{Profile, Shape, world};
use dtr::model::{ExpandedId, Kind, Model, compile};

fn model(text: &str) -> Model {
    let checked = dtr::check::check_source("world.dtr", text);
    assert!(!checked.has_errors(), "the world checks clean");
    compile(&checked.program)
}

type Consultations = Vec<(ExpandedId, ActorId, ActorId, usize)>;
type Conflicts = Vec<(ExpandedId, ActorId, ActorId, ExpandedId, usize)>;

/// §5 as written: events, consultations (commitment, acting, with, event)
/// and conflicts (commitment, acting, target, promise, event).
fn reference(model: &Model, scenario: ScenarioId) -> (Vec<Event>, Consultations, Conflicts) {
    let mut war = War::default();
    let mut events: Vec<Event> = Vec::new();
    for (i, o) in model.scenarios[scenario.index()].openings.iter().enumerate() {
        let event = Event::opening(o, i);
        war.add(&event);
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
            if target == c.acting
                || (c.kind != Kind::Attacks && e.aggressor == c.acting)
                || war.at_war(c.acting, target)
                || (c.kind == Kind::Consult && consulted)
                || !matches(condition, Scene { model, event: &e, war: &war })
            {
                continue;
            }
            if c.kind == Kind::Consult {
                consultations.push((id, c.acting, target, head));
                continue;
            }
            let promise = model.commitments.iter().enumerate().find(|(_, p)| {
                let applies = match p.kind {
                    Kind::Nonaggression => true,
                    Kind::Neutral => war.involved.contains(target.index()),
                    _ => false,
                };
                p.in_force
                    && p.acting == c.acting
                    && p.protected == target
                    && applies
                    && p.condition.as_ref().is_none_or(|w| events.iter().any(|ev| matches(w, Scene { model, event: ev, war: &war })))
            });
            if let Some((p, _)) = promise {
                if !conflicts.iter().any(|&(k, _, t, ..)| k == id && t == target) {
                    conflicts.push((id, c.acting, target, ExpandedId(p as u32), head));
                }
                continue;
            }
            let event = Event {
                aggressor: c.acting,
                victim: target,
                domains: c.domains,
                rung: e.rung.max(c.response.unwrap_or(e.rung)),
                provoked: war.aggressors.contains(target.index()),
                step: e.step + 1,
                cause: Cause::Firing { commitment: id, trigger: head },
            };
            war.add(&event);
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
        let fast_consultations: Vec<_> = fast.consultations.iter().map(|c| (c.commitment, c.acting, c.with, c.event)).collect();
        assert_eq!(fast_consultations, consultations, "{attack:?}");
        let fast_conflicts: Vec<_> =
            fast.conflicts.iter().map(|c| (c.commitment, c.acting, c.target, c.promise, c.event)).collect();
        assert_eq!(fast_conflicts, conflicts, "{attack:?}");
        // What a sweep keeps, from the cascade that skips the records.
        let involved: std::collections::BTreeSet<ActorId> = events.iter().flat_map(|e| [e.aggressor, e.victim]).collect();
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
    let largest = [1, 2].map(|seed| compare(&model(&world(Shape::world(30, seed))), 3).0);
    // Some attack starts a bloc-wide war: the case the shortcuts are for.
    assert!(largest.iter().any(|&n| n > 100), "largest cascades {largest:?} events");
}

#[test]
fn a_generated_dense_world_cascades_as_section_5_reads() {
    let shape = Shape { profile: Profile::Dense, ..Shape::world(16, 3) };
    let (largest, cut) = compare(&model(&world(shape)), 2);
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
