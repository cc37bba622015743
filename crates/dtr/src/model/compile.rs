//! Checked program → model. Obligations and commitments are expanded in
//! `program.provisions` order (declaration order): for an obligation the
//! acting member is the outer loop and the protected member the inner one,
//! both in member order; a commitment to an alliance protects each member in
//! member order, skipping its own actor.

use super::{
    Actor, Expanded, Gate, IdSet, Index, Kind, Model, Opening, Origin, PartySet, Predicate, Provision, Scenario,
    Settings,
};
use crate::check::program::{Program, ProvisionRef, Target, Terms};
use crate::syntax::ast::{CommitmentKind, ObligationKind};
use crate::vocabulary::{ActorId, DomainSetId, ExpandedId, ProvisionId, RegionId};
use std::collections::HashMap;
use std::sync::Arc;

pub fn compile(program: &Program) -> Model {
    let mut domain_sets: Vec<IdSet> = (0..program.domains.len()).map(|d| [d].into_iter().collect()).collect();
    let mut intern = |domains: Option<&[crate::vocabulary::DomainId]>| {
        domains.map(|ds| {
            domain_sets.push(ds.iter().map(|d| d.index()).collect());
            DomainSetId(domain_sets.len() as u32 - 1)
        })
    };

    let nuclear_domain = program.domain_named("nuclear");
    // An attack a provision makes without `domains` is conventional: every
    // domain but `nuclear`, unless its `response` is the nuclear rung (§3.5).
    let conventional: Vec<crate::vocabulary::DomainId> = (0..program.domains.len() as u32)
        .map(crate::vocabulary::DomainId)
        .filter(|&d| Some(d) != nuclear_domain)
        .collect();
    let conventional = nuclear_domain.and_then(|_| intern(Some(&conventional)));
    let threatened: IdSet = program.threats.iter().flat_map(|t| t.targets.iter().map(|a| a.index())).collect();
    // Walked once per region that holds an actor, not per region: the
    // closure of a long chain of regions is quadratic.
    let mut around: HashMap<RegionId, IdSet> = HashMap::new();
    let actors = program
        .actors
        .iter()
        .map(|a| {
            let within = a.region.map(|r| {
                around.entry(r).or_insert_with(|| program.regions_around(r).iter().map(|w| w.index()).collect()).clone()
            });
            Actor {
                name: a.name.to_string(),
                region: a.region,
                within: within.unwrap_or_default(),
                capability: a.capability().to_vec(),
                resolve: a.resolve(),
                nuclear: nuclear_domain.is_some_and(|d| a.capability().get(d.index()).is_some_and(|c| *c > 0.0)),
                span: a.span,
            }
        })
        .collect::<Vec<_>>();

    let mut provisions = Vec::new();
    let mut commitments = Vec::new();
    for declared in &program.provisions {
        let Some((name, origin, kind, terms, pairs, span)) = describe(program, *declared) else { continue };
        let provision = ProvisionId(provisions.len() as u32);
        let in_force = terms.validity.in_force(program.settings.period);
        let start = commitments.len() as u32;
        let nuclear_response = terms.response.is_some() && terms.response == program.settings.nuclear_rung;
        let domains = match terms.domains() {
            None if kind.attacks() && !nuclear_response => conventional,
            given => intern(given),
        };
        let mut conditions: HashMap<ActorId, Arc<Predicate>> = HashMap::new();
        for (acting, protected) in pairs {
            let resolve = actors.get(acting.index()).map_or(1.0, |a| a.resolve);
            commitments.push(Expanded {
                provision,
                kind,
                acting,
                protected,
                p: kind.probability(terms.credibility_for(acting), resolve),
                interoperability: terms.interoperability(),
                response: terms.response,
                domains,
                in_force,
                condition: terms.when.as_ref().map(|c| {
                    conditions
                        .entry(protected)
                        .or_insert_with(|| Arc::new(Predicate::compile(c, protected.index())))
                        .clone()
                }),
            });
        }
        provisions.push(Provision {
            name,
            origin,
            kind,
            credibility: terms.credibility,
            except: terms.except().to_vec(),
            interoperability: terms.interoperability(),
            validity: terms.validity,
            alliance_validity: match origin {
                Origin::Obligation { alliance, .. } => program.alliances.get(alliance.index()).map(|a| a.validity),
                Origin::Commitment { .. } => None,
            },
            in_force,
            expanded: start..commitments.len() as u32,
            span,
        });
    }

    let scenarios = program
        .scenarios
        .iter()
        .map(|s| Scenario {
            name: s.name.clone(),
            label: s.label.clone(),
            openings: s
                .openings
                .iter()
                .map(|o| Opening {
                    aggressor: o.aggressor,
                    victim: o.victim,
                    domains: intern(o.domains.as_deref()),
                    rung: o.rung,
                    provoked: o.provoked,
                    span: o.span,
                })
                .collect(),
            span: s.span,
        })
        .collect();

    let settings = &program.settings;
    let index = index(&actors, &commitments, &threatened);
    Model {
        settings: Settings {
            period: settings.period,
            ladder: settings.ladder.iter().map(|r| r.name.clone()).collect(),
            nuclear_rung: settings.nuclear_rung,
            deterrence_ratio: settings.deterrence_ratio,
            credibility_floor: settings.credibility_floor,
            samples: settings.samples,
            seed: settings.seed,
            opening: settings.opening,
            substitutions: settings.substitutions.clone(),
        },
        domains: program.domains.iter().map(|d| d.name.clone()).collect(),
        nuclear_domain,
        regions: program.regions.iter().map(|r| r.name.clone()).collect(),
        actors,
        threatened,
        provisions,
        commitments,
        domain_sets,
        threats: program.threats.clone(),
        scenarios,
        expectations: program.expectations.clone(),
        index,
    }
}

type Described<'p> = (String, Origin, Kind, &'p Terms, Vec<(ActorId, ActorId)>, crate::source::Span);

/// A provision's name, kind, terms and (acting, protected) pairs; None if
/// the checker handed over an id that does not resolve.
fn describe(program: &Program, provision: ProvisionRef) -> Option<Described<'_>> {
    match provision {
        ProvisionRef::Obligation(alliance, index) => {
            let a = program.alliances.get(alliance.index())?;
            let o = a.obligations.get(index)?;
            let kind = match o.kind {
                ObligationKind::Defend => Kind::Defend,
                ObligationKind::Join => Kind::Join,
                ObligationKind::Consult => Kind::Consult,
                ObligationKind::Neutral => Kind::Neutral,
                ObligationKind::Nonaggression => Kind::Nonaggression,
            };
            let pairs = a
                .members
                .iter()
                .flat_map(|&g| a.members.iter().filter(move |&&p| p != g).map(move |&p| (g, p)))
                .collect();
            let origin = Origin::Obligation { alliance, obligation: index };
            Some((format!("{}.{}", a.name, o.name), origin, kind, &o.terms, pairs, o.span))
        }
        ProvisionRef::Commitment(id) => {
            let c = program.commitments.get(id.index())?;
            let kind = match c.kind {
                CommitmentKind::Defends => Kind::Defend,
                CommitmentKind::Attacks => Kind::Attacks,
                CommitmentKind::Consults => Kind::Consult,
                CommitmentKind::Neutral => Kind::Neutral,
                CommitmentKind::Nonaggression => Kind::Nonaggression,
            };
            let (protected, alliance_target) = match c.target {
                Target::Actor(t) => (vec![t], false),
                Target::Alliance(a) => (program.alliances.get(a.index())?.members.clone(), true),
            };
            let pairs = protected.into_iter().filter(|&p| p != c.actor).map(|p| (c.actor, p)).collect();
            let origin = Origin::Commitment { commitment: id, alliance_target };
            Some((c.name.to_string(), origin, kind, &c.terms, pairs, c.span))
        }
    }
}

/// The cascade's lookup tables. A commitment without a condition never
/// fires, so it is left out of every list but the promises.
pub(super) fn index(model_actors: &[Actor], commitments: &[Expanded], threatened: &IdSet) -> Index {
    let actors = model_actors.len();
    let mut index = Index {
        defend: vec![Vec::new(); actors],
        join: vec![Vec::new(); actors],
        promises: vec![Vec::new(); actors],
        defend_actors: vec![IdSet::new(); actors],
        join_actors: vec![IdSet::new(); actors],
        acting: commitments.iter().map(|c| c.acting).collect(),
        gates: commitments.iter().map(|c| Gate::of(c, model_actors)).collect(),
        by_victim: vec![Vec::new(); actors],
        watching: vec![Vec::new(); actors],
        waking: vec![Vec::new(); actors],
        protecting: vec![Vec::new(); actors],
        crossing: vec![Vec::new(); actors],
        promises_toward: vec![Vec::new(); actors],
        ..Index::default()
    };
    for (i, c) in commitments.iter().enumerate() {
        let id = ExpandedId(i as u32);
        // Actor ids come from the checker; one out of range is simply not indexed.
        let slot = |lists: &mut Vec<Vec<ExpandedId>>, actor: ActorId| {
            if let Some(list) = lists.get_mut(actor.index()) {
                list.push(id);
            }
        };
        if c.kind.protects() {
            slot(&mut index.protecting, c.protected);
        }
        if !c.in_force {
            continue;
        }
        if let Kind::Neutral | Kind::Nonaggression = c.kind {
            slot(&mut index.promises, c.acting);
            if let Some(list) = index.promises_toward.get_mut(c.acting.index()) {
                list.push((c.protected, id));
            }
            continue;
        }
        let Some(condition) = c.condition.as_deref() else { continue };
        if c.kind.attacks() {
            index.response_ceiling = index.response_ceiling.max(c.response);
        }
        match c.kind {
            Kind::Defend | Kind::Join => {
                let (lists, actors) = match c.kind {
                    Kind::Defend => (&mut index.defend, &mut index.defend_actors),
                    _ => (&mut index.join, &mut index.join_actors),
                };
                slot(lists, c.protected);
                if let Some(set) = actors.get_mut(c.protected.index()) {
                    set.insert(c.acting.index());
                }
            }
            _ => {
                if let Some((x, y)) = named_pair(condition) {
                    for (actor, other) in [(x, y), (y, x)] {
                        if let Some(list) = index.crossing.get_mut(actor.index()) {
                            list.push((other, id));
                        }
                        if x == y {
                            break;
                        }
                    }
                }
                let (lists, actors) = match condition.victims(threatened) {
                    Some(victims) => (&mut index.by_victim, victims),
                    None => match condition.waking_actors(threatened) {
                        Some(actors) if condition.monotone_war_state() => (&mut index.watching, actors),
                        Some(actors) => (&mut index.waking, actors),
                        None => {
                            index.roaming.push(id);
                            continue;
                        }
                    },
                };
                for a in actors.iter() {
                    slot(lists, ActorId(a as u32));
                }
            }
        }
    }
    for list in index.promises_toward.iter_mut().chain(&mut index.crossing) {
        list.sort_unstable();
    }
    let targets: Vec<Vec<usize>> =
        index.promises_toward.iter().map(|list| list.iter().map(|&(target, _)| target.index()).collect()).collect();
    index.promise_targets = dense_sets(&targets);
    let mut bound: Vec<Vec<usize>> = vec![Vec::new(); actors];
    for (acting, list) in index.promises_toward.iter().enumerate() {
        for &(target, id) in list {
            if commitments[id.index()].condition.is_none()
                && let Some(actors) = bound.get_mut(target.index())
            {
                actors.push(acting);
            }
        }
    }
    index.bound_toward = dense_sets(&bound);
    let crossing: IdSet = index.crossing.iter().flatten().map(|&(_, id)| id.index()).collect();
    index.watched = index
        .watching
        .iter()
        .map(|list| list.iter().copied().filter(|id| !crossing.contains(id.index())).collect())
        .collect();
    index.plans_by_victim = index
        .by_victim
        .iter()
        .map(|list| list.iter().copied().filter(|id| commitments[id.index()].kind != Kind::Consult).collect())
        .collect();
    index.defend_by_acting = by_acting(&index.defend, &index.acting);
    index.join_by_acting = by_acting(&index.join, &index.acting);
    index
}

/// Each list of ids as a set, where its words take no more room than the
/// ids; none at all (an empty table) when no list is dense enough.
fn dense_sets(lists: &[Vec<usize>]) -> Vec<Option<IdSet>> {
    let dense = |ids: &Vec<usize>| {
        let words = ids.iter().max()? / 64 + 1;
        (words <= ids.len()).then(|| ids.iter().copied().collect())
    };
    let sets: Vec<Option<IdSet>> = lists.iter().map(dense).collect();
    if sets.iter().all(Option::is_none) { Vec::new() } else { sets }
}

/// The two actors of a condition that is `war between X and Y` alone.
fn named_pair(condition: &Predicate) -> Option<(ActorId, ActorId)> {
    let one = |parties: &PartySet| match parties {
        PartySet::Actors(set) if set.len() == 1 => set.iter().next().map(|a| ActorId(a as u32)),
        _ => None,
    };
    match condition {
        Predicate::WarBetween { left, right, .. } => Some((one(left)?, one(right)?)),
        _ => None,
    }
}

fn by_acting(lists: &[Vec<ExpandedId>], acting: &[ActorId]) -> Vec<Vec<(ActorId, ExpandedId)>> {
    lists
        .iter()
        .map(|list| {
            let mut pairs: Vec<(ActorId, ExpandedId)> =
                list.iter().filter_map(|&id| Some((*acting.get(id.index())?, id))).collect();
            pairs.sort_unstable();
            pairs
        })
        .collect()
}
