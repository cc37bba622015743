//! Warnings that look across declarations (§7): unused declarations,
//! commitments to oneself, provisions not in force, `attacks` plans without
//! `when`, threats against nonaggression partners, attack plans against
//! actors promised neutrality, conditions that can never match, and
//! `defend` obligations that can call members to both sides of a war.

use super::Diagnostics;
use super::program::*;
use super::references::Used;
use crate::diagnostic::messages::{self, Provision, ToItself};
use crate::source::{FileId, Span};
use crate::syntax::ast::{CommitmentKind, ObligationKind};
use crate::vocabulary::{ActorId, DeclarationKind};
use std::collections::HashSet;

/// `syntax_ok`: whether every declaration parsed; when one did not, it may
/// have been the one that used a declaration, so W0001 would mislead.
pub fn lint(program: &Program, used: &Used, syntax_ok: bool, out: &mut Diagnostics) {
    if syntax_ok {
        unused(program, used, out);
    }
    to_oneself(program, out);
    not_in_force(program, out);
    plans_without_when(program, out);
    promise_conflicts(program, out);
    never_matching(program, out);
    both_sides(program, out);
}

/// W0001, for declarations of the root file only: an imported file is a
/// library, and its users need not use all of it.
fn unused(program: &Program, used: &Used, out: &mut Diagnostics) {
    let root = FileId(0);
    let mut report = |kind: DeclarationKind, index: usize, name: &str, span: Span| {
        if span.file == root && !used.contains(kind, index as u32) {
            out.push(messages::w0001(kind, name, span));
        }
    };
    for (i, a) in program.actors.iter().enumerate() {
        report(DeclarationKind::Actor, i, &a.name, a.span);
    }
    for (i, r) in program.regions.iter().enumerate() {
        report(DeclarationKind::Region, i, &r.name, r.span);
    }
    // Built-in domains have no span.
    for (i, d) in program.domains.iter().enumerate() {
        if let Some(span) = d.span {
            report(DeclarationKind::Domain, i, &d.name, span);
        }
    }
}

/// W0002: a commitment whose actor is its own target, a threat against oneself.
fn to_oneself(program: &Program, out: &mut Diagnostics) {
    for c in &program.commitments {
        if c.target == Target::Actor(c.actor) {
            out.push(messages::w0002(
                ToItself::Commitment { name: &c.name, actor: &program.actor(c.actor).name },
                c.span,
            ));
        }
    }
    for t in &program.threats {
        if t.targets.contains(&t.aggressor) {
            out.push(messages::w0002(ToItself::Threat { actor: &program.actor(t.aggressor).name }, t.span));
        }
    }
}

/// W0003: dates that exclude a provision from the analysis period.
fn not_in_force(program: &Program, out: &mut Diagnostics) {
    let Some(period) = program.settings.period else { return };
    // The setting the file wrote: a `date` is one day, a `year` a whole year.
    let key = if period.start == period.end { "date" } else { "year" };
    let mut report = |validity: &Validity, provision: Provision| {
        if validity.in_force(Some(period)) {
            return;
        }
        let span = match (validity.since(), validity.until()) {
            (Some((s, span)), _) if s > period.end => span,
            (_, Some((_, span))) => span,
            (Some((_, span)), None) => span,
            (None, None) => return,
        };
        out.push(messages::w0003(provision, key, span));
    };
    for a in &program.alliances {
        if !a.validity.in_force(Some(period)) {
            report(&a.validity, Provision::Alliance(&a.name));
            continue;
        }
        for o in &a.obligations {
            report(&o.terms.validity, Provision::Obligation { alliance: &a.name, name: &o.name });
        }
    }
    for c in &program.commitments {
        report(&c.terms.validity, Provision::Commitment(&c.name));
    }
}

/// W0004: an `attacks` plan fires only on its `when`.
fn plans_without_when(program: &Program, out: &mut Diagnostics) {
    for c in &program.commitments {
        if c.kind == CommitmentKind::Attacks && c.terms.when.is_none() {
            out.push(messages::w0004(&c.name, c.span));
        }
    }
}

/// A promise not to attack: who promised whom, and in which provision (an
/// index into [`Promises::made`]). An alliance's promise is one for each
/// ordered pair of members: 112,792 promises from 27,856 provisions in the
/// 8.7 MB generated world, 12 bytes each, the rest read from the provision.
struct Promise {
    acting: ActorId,
    toward: ActorId,
    made: u32,
}

/// A provision that promises: what ("neutrality" or "nonaggression"), when
/// and where.
struct Made<'p> {
    kind: &'static str,
    validity: &'p Validity,
    span: Span,
}

struct Promises<'p> {
    made: Vec<Made<'p>>,
    /// Sorted by (acting, toward), each pair's promises in the order the
    /// provisions are written (the sort is stable), so that finding the
    /// first match of a pair is a binary search rather than a scan.
    promises: Vec<Promise>,
}

impl<'p> Promises<'p> {
    /// The promises (`neutral`, `nonaggression`) each actor has made.
    fn new(program: &'p Program) -> Promises<'p> {
        // Reserved at its final length: grown by doubling, the table would
        // be held one and a half times over at its last step.
        let alliances = program.alliances.iter().map(|a| {
            let n = a.members.len();
            a.obligations.iter().filter(|o| obligation_promise(o.kind).is_some()).count() * n * n.saturating_sub(1)
        });
        let commitments =
            program.commitments.iter().filter(|c| commitment_promise(c.kind).is_some()).map(|c| match c.target {
                Target::Actor(_) => 1,
                Target::Alliance(al) => program.alliances.get(al.index()).map_or(0, |a| a.members.len()),
            });
        let mut promises = Vec::with_capacity(alliances.sum::<usize>() + commitments.sum::<usize>());
        let mut made = Vec::new();
        for a in &program.alliances {
            for o in &a.obligations {
                let Some(kind) = obligation_promise(o.kind) else { continue };
                let index = made.len() as u32;
                made.push(Made { kind, validity: &o.terms.validity, span: o.span });
                for &acting in &a.members {
                    for &toward in a.members.iter().filter(|&&t| t != acting) {
                        promises.push(Promise { acting, toward, made: index });
                    }
                }
            }
        }
        for c in &program.commitments {
            let Some(kind) = commitment_promise(c.kind) else { continue };
            let index = made.len() as u32;
            made.push(Made { kind, validity: &c.terms.validity, span: c.span });
            for toward in targets(program, c.target) {
                promises.push(Promise { acting: c.actor, toward, made: index });
            }
        }
        promises.sort_by_key(|p| (p.acting, p.toward));
        Promises { made, promises }
    }

    /// The first promise of `acting` to `toward` that `pick` accepts.
    fn find(&self, acting: ActorId, toward: ActorId, pick: impl Fn(&Made) -> bool) -> Option<&Made<'p>> {
        let from = self.promises.partition_point(|p| (p.acting, p.toward) < (acting, toward));
        let to = self.promises.partition_point(|p| (p.acting, p.toward) <= (acting, toward));
        self.promises[from..to].iter().map(|p| &self.made[p.made as usize]).find(|m| pick(m))
    }
}

/// What an obligation promises, if it is a promise not to attack.
fn obligation_promise(kind: ObligationKind) -> Option<&'static str> {
    match kind {
        ObligationKind::Neutral => Some("neutrality"),
        ObligationKind::Nonaggression => Some("nonaggression"),
        _ => None,
    }
}

/// What a commitment promises, if it is a promise not to attack.
fn commitment_promise(kind: CommitmentKind) -> Option<&'static str> {
    match kind {
        CommitmentKind::Neutral => Some("neutrality"),
        CommitmentKind::Nonaggression => Some("nonaggression"),
        _ => None,
    }
}

/// Whether two validities share a day.
fn overlap(a: &Validity, b: &Validity) -> bool {
    let starts_before_end = |s: Option<(Day, Span)>, u: Option<(Day, Span)>| match (s, u) {
        (Some((s, _)), Some((u, _))) => s <= u,
        _ => true,
    };
    starts_before_end(a.since(), b.until()) && starts_before_end(b.since(), a.until())
}

fn targets(program: &Program, target: Target) -> Vec<ActorId> {
    match target {
        Target::Actor(a) => vec![a],
        Target::Alliance(al) => program.alliances.get(al.index()).map(|a| a.members.clone()).unwrap_or_default(),
    }
}

/// W0005 (a threat against a nonaggression partner, while the promise is in
/// force) and W0006 (an attack plan against an actor promised neutrality or
/// nonaggression, with dates that overlap).
fn promise_conflicts(program: &Program, out: &mut Diagnostics) {
    let promises = Promises::new(program);
    let period = program.settings.period;
    for t in &program.threats {
        for &target in &t.targets {
            let partner =
                promises.find(t.aggressor, target, |p| p.kind == "nonaggression" && p.validity.in_force(period));
            if let Some(Made { span, .. }) = partner {
                out.push(messages::w0005(&program.actor(t.aggressor).name, &program.actor(target).name, *span, t.span));
            }
        }
    }
    for c in &program.commitments {
        if c.kind != CommitmentKind::Attacks {
            continue;
        }
        for target in targets(program, c.target) {
            let promise = promises.find(c.actor, target, |p| overlap(p.validity, &c.terms.validity));
            if let Some(Made { kind, span, .. }) = promise {
                out.push(messages::w0006(
                    &program.actor(c.actor).name,
                    &program.actor(target).name,
                    kind,
                    *span,
                    c.span,
                ));
            }
        }
    }
}

/// W0007: conditions that cannot match any event.
fn never_matching(program: &Program, out: &mut Diagnostics) {
    let mut check = |when: &Option<Condition>,
                     protected: &[ActorId],
                     requires_victim: bool,
                     name: &dyn Fn() -> String,
                     span: Span| {
        let Some(c) = when else { return };
        if never(c, protected, requires_victim) {
            out.push(messages::w0007(&name(), span));
        }
    };
    for a in &program.alliances {
        for o in &a.obligations {
            check(
                &o.terms.when,
                &a.members,
                o.kind == ObligationKind::Defend,
                &|| format!("{}.{}", a.name, o.name),
                o.span,
            );
        }
    }
    for c in &program.commitments {
        check(
            &c.terms.when,
            &targets(program, c.target),
            c.kind == CommitmentKind::Defends,
            &|| c.name.to_string(),
            c.span,
        );
    }
}

/// Whether a condition is unsatisfiable, judged soundly but not completely:
/// contradictions between explicit actor lists, empty lists, self-attacks,
/// and (for `defend`) attacks on no protected actor.
fn never(c: &Condition, protected: &[ActorId], requires_victim: bool) -> bool {
    match c {
        Condition::Or(parts) => parts.iter().all(|p| never(p, protected, requires_victim)),
        Condition::And(parts) => {
            parts.iter().any(|p| never(p, protected, requires_victim)) || {
                let atoms: Vec<&AttackCondition> = parts
                    .iter()
                    .filter_map(|p| match p {
                        Condition::Attack(a) => Some(&**a),
                        _ => None,
                    })
                    .collect();
                // Every atom matches the same trigger event, so explicit actor
                // lists that share no actor contradict. A running intersection
                // keeps this linear in the number of atoms.
                let disjoint = |pick: fn(&AttackCondition) -> Option<&Clause<Parties>>| {
                    let mut common: Option<HashSet<ActorId>> = None;
                    for a in &atoms {
                        if let Some(Parties::Actors(list)) = pick(a).map(|c| &c.value) {
                            let next: HashSet<ActorId> = match &common {
                                None => list.iter().copied().collect(),
                                Some(so_far) => list.iter().copied().filter(|v| so_far.contains(v)).collect(),
                            };
                            if next.is_empty() {
                                return true;
                            }
                            common = Some(next);
                        }
                    }
                    false
                };
                disjoint(|a| a.on.as_ref()) || disjoint(|a| a.by.as_ref())
            }
        }
        Condition::Not(_) => false,
        Condition::Attack(a) => {
            let actors = |c: &Option<Clause<Parties>>| match c.as_ref().map(|c| &c.value) {
                Some(Parties::Actors(v)) => Some(v.clone()),
                _ => None,
            };
            let (on, by) = (actors(&a.on), actors(&a.by));
            on.as_ref().is_some_and(Vec::is_empty)
                || by.as_ref().is_some_and(Vec::is_empty)
                || a.domains.as_ref().is_some_and(|d| d.value.is_empty())
                || a.within.as_ref().is_some_and(|w| w.value.is_empty())
                || matches!((&on, &by), (Some(o), Some(b)) if o.len() == 1 && o == b)
                || (requires_victim && on.as_ref().is_some_and(|o| !o.iter().any(|v| protected.contains(v))))
        }
        Condition::WarBetween(parties, _) => match &**parties {
            (Parties::Actors(a), Parties::Actors(b)) => a.len() == 1 && a == b,
            _ => false,
        },
        Condition::WarWith(..) | Condition::ThreatTo(..) => false,
    }
}

/// W0011: a `defend` obligation that also defends provoked members, in an
/// alliance two of whose members are at war in an opening or a threat: the
/// counter-attack on the aggressor calls the members to its side as well
/// as to its victim's (reported once per obligation).
fn both_sides(program: &Program, out: &mut Diagnostics) {
    let attacks = program
        .scenarios
        .iter()
        .flat_map(|s| s.openings.iter().map(|o| (o.aggressor, o.victim, o.span)))
        .chain(program.threats.iter().flat_map(|t| t.targets.iter().map(move |&v| (t.aggressor, v, t.span))));
    let attacks: Vec<(ActorId, ActorId, Span)> = attacks.filter(|(a, v, _)| a != v).collect();
    for a in &program.alliances {
        let defends_provoked =
            |o: &&Obligation| o.kind == ObligationKind::Defend && !o.terms.when.as_ref().is_some_and(no_counter_attack);
        let Some(o) = a.obligations.iter().find(defends_provoked) else { continue };
        let members: HashSet<ActorId> = a.members.iter().copied().collect();
        if let Some(&(aggressor, victim, span)) =
            attacks.iter().find(|(x, v, _)| members.contains(x) && members.contains(v))
        {
            let (aggressor, victim) = (&program.actor(aggressor).name, &program.actor(victim).name);
            out.push(messages::w0011(&format!("{}.{}", a.name, o.name), aggressor, victim, span, o.span));
        }
    }
}

/// Whether no event a condition matches is a counter-attack on an
/// aggressor: every one is an unprovoked attack or a scenario's opening.
fn no_counter_attack(c: &Condition) -> bool {
    match c {
        Condition::Attack(a) => a.unprovoked || a.opening,
        Condition::And(parts) => parts.iter().any(no_counter_attack),
        Condition::Or(parts) => parts.iter().all(no_counter_attack),
        Condition::Not(_) | Condition::WarBetween(..) | Condition::WarWith(..) | Condition::ThreatTo(..) => false,
    }
}
