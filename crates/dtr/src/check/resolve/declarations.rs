//! Declarations: settings and the ladder, domains, regions and their
//! containment, actors, alliances with their obligations, commitments and
//! their terms, threats, scenarios and expectations, each resolved into
//! the program's types with the errors of §7 that concern it alone.

use super::conditions::{default_commitment_when, default_obligation_when};
use super::values::intersect;
use super::{Resolver, Scope};
use crate::check::program::*;
use crate::check::suggest;
use crate::check::values::MAX_CAPABILITY;
use crate::diagnostic::messages::{self, Acting, BadNumber, Duplicate, ToItself, Twice, Unknown};
use crate::source::Span;
use crate::syntax::ast::{self, Field};
use crate::vocabulary::{
    ActorId, AllianceId, BUILTIN_DOMAINS, DEFAULT_LADDER, DEFAULT_OPENING, DeclarationKind, NUCLEAR, RegionId, RungId,
    ScenarioId,
};
use std::collections::{HashMap, HashSet};

const MAX_SAMPLES: f64 = 100_000_000.0;

impl Resolver<'_> {
    pub(super) fn settings(&mut self, items: &[&ast::Item]) -> Settings {
        for extra in items.iter().skip(1) {
            self.push(messages::e0015(items[0].span, extra.span));
        }
        let fields: &[ast::SettingsField] = match items.first().map(|i| &i.kind) {
            Some(ast::ItemKind::Settings(f)) => f,
            _ => &[],
        };
        self.once(fields, ast::Setting::key);
        let ladder_field = fields.iter().find_map(|f| match &f.value {
            ast::Setting::Ladder(names) => Some(names),
            _ => None,
        });
        self.ladder = match ladder_field {
            Some(names) => {
                names.items.iter().map(|n| Rung { name: self.name(n).to_string(), span: Some(n.span) }).collect()
            }
            None => DEFAULT_LADDER.iter().map(|n| Rung { name: n.to_string(), span: None }).collect(),
        };
        if let Some(names) = ladder_field
            && names.items.is_empty()
        {
            self.push(messages::e0022(names.span));
            self.ladder = DEFAULT_LADDER.iter().map(|n| Rung { name: n.to_string(), span: None }).collect();
        }
        let mut rungs = HashMap::new();
        self.references.reserve(self.ladder.len());
        for (i, r) in self.ladder.iter().enumerate() {
            self.references.define(DeclarationKind::Rung, i as u32, r.span);
            if let Some(prev) = rungs.get(&r.name) {
                let prev: &RungId = prev;
                let first = self.ladder[prev.index()].span.unwrap_or_default();
                self.diagnostics
                    .push(messages::e0004(Duplicate::Rung { name: &r.name, first }, r.span.unwrap_or_default()));
            } else {
                rungs.insert(r.name.clone(), RungId(i as u32));
            }
        }
        self.rungs = rungs;
        let nuclear_rung = self.rungs.get(NUCLEAR).copied();
        let default_opening =
            self.rungs.get(DEFAULT_OPENING).copied().unwrap_or(RungId(if self.ladder.len() > 1 { 1 } else { 0 }));
        let mut settings = Settings {
            period: None,
            ladder: self.ladder.clone(),
            nuclear_rung,
            deterrence_ratio: 1.0,
            credibility_floor: 0.5,
            samples: 100_000,
            seed: 7,
            opening: default_opening,
            substitutions: Vec::new(),
            span: items.first().map(|i| i.span),
        };
        let mut period_field: Option<(&str, Span)> = None;
        for f in fields {
            match &f.value {
                ast::Setting::Year(t) | ast::Setting::Date(t) => {
                    // The same key twice is reported by `once`.
                    if let Some((key, first)) = period_field
                        && key != f.value.key()
                    {
                        self.push(messages::e0016(Twice::Period { first }, f.span));
                    }
                    period_field = Some((f.value.key(), f.span));
                    settings.period = self.period(t);
                }
                ast::Setting::Ladder(_) => {}
                ast::Setting::DeterrenceRatio(n) if n.value.is_nan() => {}
                ast::Setting::DeterrenceRatio(n) => {
                    if n.value > 0.0 {
                        settings.deterrence_ratio = n.value;
                    } else {
                        self.push(messages::e0017(BadNumber::DeterrenceRatio, n.span));
                    }
                }
                ast::Setting::CredibilityFloor(p) => settings.credibility_floor = self.probability(p),
                ast::Setting::Samples(n) => {
                    if let Some(v) = self.integer(n, "`samples`", 1.0, MAX_SAMPLES) {
                        settings.samples = v as u64;
                    }
                }
                ast::Setting::Seed(n) => {
                    if let Some(v) = self.integer(n, "`seed`", 0.0, 9_007_199_254_740_992.0) {
                        settings.seed = v as u64;
                    }
                }
                ast::Setting::Substitution(list) => {
                    for s in list {
                        let (from, to) = (self.domain(&s.from), self.domain(&s.to));
                        let factor = self.probability(&s.factor);
                        if let (Some(from), Some(to)) = (from, to) {
                            settings.substitutions.push(Substitution { from, to, factor });
                        }
                    }
                }
                ast::Setting::Opening(r) => {
                    if let Some(id) = self.rung(r) {
                        settings.opening = id;
                    }
                }
            }
        }
        settings
    }

    pub(super) fn domain_defs(&mut self, declared: &[Option<&ast::Item>]) -> Vec<Domain> {
        declared
            .iter()
            .enumerate()
            .map(|(i, item)| match item.map(|i| &i.kind) {
                Some(ast::ItemKind::Domain(d)) => Domain {
                    name: self.name(&d.name).to_string(),
                    label: d.label.as_ref().map(|l| l.value.clone()),
                    span: Some(d.name.span),
                },
                _ => Domain {
                    name: BUILTIN_DOMAINS[i.min(BUILTIN_DOMAINS.len() - 1)].to_string(),
                    label: None,
                    span: None,
                },
            })
            .collect()
    }

    pub(super) fn regions(&mut self, declared: &[&ast::Item]) -> Vec<Region> {
        let mut regions: Vec<Region> = Vec::new();
        for item in declared {
            let ast::ItemKind::Region(r) = &item.kind else { continue };
            let fields = r.body.as_deref().unwrap_or(&[]);
            self.once(fields, |_| "contains");
            let contains = fields.iter().flat_map(|f| f.value.items.iter()).filter_map(|n| self.region(n)).collect();
            regions.push(Region {
                name: self.name(&r.name).to_string(),
                label: r.label.as_ref().map(|l| l.value.clone()),
                contains,
                parents: Vec::new(),
                span: r.name.span,
            });
        }
        self.containment(&mut regions);
        regions
    }

    /// Links each region to its direct containers and reports every region
    /// on a containment cycle (E0014), in declaration order. Linear: the
    /// regions on cycles are those of a strongly connected component with
    /// more than one region or a region that contains itself (Tarjan's
    /// algorithm, with a work list instead of recursion).
    pub(super) fn containment(&mut self, regions: &mut [Region]) {
        for i in 0..regions.len() {
            for c in regions[i].contains.clone() {
                if let Some(child) = regions.get_mut(c.index()) {
                    child.parents.push(RegionId(i as u32));
                }
            }
        }
        for (i, cyclic) in on_cycles(regions).into_iter().enumerate() {
            if cyclic {
                self.diagnostics.push(messages::e0014(&regions[i].name, regions[i].span));
            }
        }
    }

    /// An actor declaration (`actor` resolves a name to an actor).
    pub(super) fn actor_item(&mut self, item: &ast::Item, domain_count: usize) -> Actor {
        let ast::ItemKind::Actor(a) = &item.kind else { unreachable!("walked as an actor") };
        let fields = a.body().unwrap_or(&[]);
        self.once(fields, ast::ActorField::key);
        let mut actor = Actor { name: self.name(&a.name).into(), region: None, details: None, span: a.name.span };
        let mut resolve = None;
        // Filled to `domain_count` by a `capability` block: an actor
        // without one (a million in a generated file) costs nothing.
        let mut capability = Vec::new();
        for f in fields {
            match &f.value {
                ast::ActorField::Region(r) => actor.region = self.region(r),
                ast::ActorField::Resolve(p) => resolve = Some(self.probability(p)),
                ast::ActorField::Capability(entries) => {
                    let mut seen: HashMap<u32, Span> = HashMap::new();
                    for e in entries {
                        let Some(d) = self.domain(&e.domain) else { continue };
                        if let Some(first) = seen.insert(d.0, e.domain.span) {
                            self.push(messages::e0016(
                                Twice::Capability { domain: self.name(&e.domain), first },
                                e.domain.span,
                            ));
                        }
                        if e.value.value.is_nan() {
                            continue; // an unreadable literal, already reported
                        }
                        if e.value.value > MAX_CAPABILITY {
                            self.push(messages::e0081(self.name(&e.domain), MAX_CAPABILITY, e.value.span));
                        } else if e.value.value < 0.0 {
                            self.push(messages::e0008(self.name(&e.domain), e.value.span));
                        } else {
                            capability.resize(domain_count, 0.0);
                            capability[d.index()] = e.value.value;
                        }
                    }
                }
            }
        }
        let label = a.label().map(|l| l.value.as_str().into());
        if label.is_some() || resolve.is_some() || !capability.is_empty() {
            actor.details = Some(Box::new(ActorDetails {
                label,
                capability: capability.into_boxed_slice(),
                resolve: resolve.unwrap_or(1.0),
            }));
        }
        actor
    }

    pub(super) fn alliance(&mut self, item: &ast::Item) -> Alliance {
        let ast::ItemKind::Alliance(a) = &item.kind else { unreachable!("collected as an alliance") };
        self.once(&a.items, ast::AllianceField::key);
        let mut members: Vec<ActorId> = Vec::new();
        // Beside `members`, so that a long list is checked for repeats in linear time.
        let mut listed: HashSet<ActorId> = HashSet::new();
        let mut members_span = a.name.span;
        // A member that did not resolve is reported (E0002/E0003); E0011 would only repeat it.
        let mut member_errors = false;
        let (mut since, mut until, mut interoperability) = (None, None, 1.0);
        for f in &a.items {
            match &f.value {
                ast::AllianceField::Members(names) => {
                    members_span = names.span;
                    for n in &names.items {
                        let Some(id) = self.actor(n) else {
                            member_errors = true;
                            continue;
                        };
                        if !listed.insert(id) {
                            self.push(messages::w0008(self.name(n), n.span));
                        } else {
                            members.push(id);
                        }
                    }
                }
                ast::AllianceField::Since(t) => since = Some(t),
                ast::AllianceField::Until(t) => until = Some(t),
                ast::AllianceField::Interoperability(p) => interoperability = self.probability(p),
                ast::AllianceField::Obligation(_) => {}
            }
        }
        if members.len() < 2 && !member_errors {
            self.push(messages::e0011(self.name(&a.name), members.len(), members_span));
        }
        let validity = self.validity(since, until);
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut obligations = Vec::new();
        for f in &a.items {
            let ast::AllianceField::Obligation(o) = &f.value else { continue };
            if let Some(first) = names.insert(self.name(&o.name), o.name.span) {
                let duplicate = Duplicate::Obligation { name: self.name(&o.name), alliance: self.name(&a.name), first };
                self.push(messages::e0004(duplicate, o.name.span));
            }
            let acting: Vec<ActorId> = members.clone();
            let fields = o.terms.as_deref().unwrap_or(&[]);
            let mut terms = self.terms(fields, Scope::Alliance, default_obligation_when(o.kind, o.name.span), &acting);
            self.note_nuclear_response(o.name.span, fields);
            terms.validity = intersect(validity, terms.validity);
            // An obligation's own `interoperability` overrides the alliance's.
            // (1, the default, needs no box.)
            if interoperability != 1.0 && !fields.iter().any(|f| matches!(f.value, ast::Term::Interoperability(_))) {
                let rare = terms.rare.get_or_insert_with(|| {
                    Box::new(RareTerms { domains: None, except: Box::new([]), interoperability: 1.0 })
                });
                rare.interoperability = interoperability;
            }
            obligations.push(Obligation { name: self.name(&o.name).into(), kind: o.kind, terms, span: o.name.span });
        }
        Alliance {
            name: self.name(&a.name).to_string(),
            label: a.label.as_ref().map(|l| l.value.clone()),
            members,
            validity,
            interoperability,
            obligations,
            span: a.name.span,
        }
    }

    pub(super) fn commitment(&mut self, item: &ast::Item) -> Option<Commitment> {
        let ast::ItemKind::Commitment(c) = &item.kind else { unreachable!("collected as a commitment") };
        let actor = self.actor(&c.actor);
        let target = match self.lookup(&c.target, &[DeclarationKind::Actor, DeclarationKind::Alliance]) {
            Some((DeclarationKind::Alliance, i)) => Some(Target::Alliance(AllianceId(i))),
            Some((_, i)) => Some(Target::Actor(ActorId(i))),
            None => None,
        };
        let default_when = default_commitment_when(c.kind, c.name.span);
        let acting: Vec<ActorId> = actor.into_iter().collect();
        let fields = c.terms.as_deref().unwrap_or(&[]);
        let terms = self.terms(fields, Scope::Commitment, default_when, &acting);
        self.note_nuclear_response(c.name.span, fields);
        Some(Commitment {
            name: self.name(&c.name).into(),
            actor: actor?,
            kind: c.kind,
            target: target?,
            terms,
            span: c.name.span,
        })
    }

    /// Notes where `fields`, the terms of the provision named at
    /// `provision`, write `response: nuclear`.
    pub(super) fn note_nuclear_response(&mut self, provision: Span, fields: &[Field<ast::Term>]) {
        for f in fields {
            if let ast::Term::Response(r) = &f.value
                && self.name(r) == NUCLEAR
            {
                self.nuclear_responses.insert(provision, r.span);
            }
        }
    }

    pub(super) fn terms(
        &mut self,
        fields: &[Field<ast::Term>],
        scope: Scope,
        default_when: Option<Condition>,
        acting: &[ActorId],
    ) -> Terms {
        self.once(fields, ast::Term::key);
        let mut terms =
            Terms { when: None, response: None, credibility: 1.0, validity: Validity::default(), rare: None };
        let (mut domains, mut exceptions, mut interoperability) = (None, Vec::new(), None);
        let (mut since, mut until) = (None, None);
        let mut when_given = false;
        for f in fields {
            match &f.value {
                ast::Term::When(c) => {
                    when_given = true;
                    terms.when = self.condition(c, scope);
                }
                ast::Term::Domains(names) => domains = Some(self.domains(names).into_boxed_slice()),
                ast::Term::Response(r) => terms.response = self.rung(r),
                ast::Term::Credibility { value, except } => {
                    terms.credibility = self.probability(value);
                    for e in except.iter().flatten() {
                        let p = self.probability(&e.value);
                        let Some(id) = self.actor(&e.actor) else { continue };
                        if !acting.contains(&id) {
                            let acting = match scope {
                                Scope::Alliance => Acting::Alliance,
                                Scope::Commitment => Acting::Commitment,
                            };
                            self.push(messages::w0009(self.name(&e.actor), acting, e.actor.span));
                        }
                        exceptions.push((id, p));
                    }
                }
                ast::Term::Since(t) => since = Some(t),
                ast::Term::Until(t) => until = Some(t),
                ast::Term::Interoperability(p) => interoperability = Some(self.probability(p)),
            }
        }
        if domains.is_some() || !exceptions.is_empty() || interoperability.is_some() {
            terms.rare = Some(Box::new(RareTerms {
                domains,
                except: exceptions.into_boxed_slice(),
                interoperability: interoperability.unwrap_or(1.0),
            }));
        }
        if !when_given {
            terms.when = default_when;
        }
        terms.validity = self.validity(since, until);
        terms
    }

    pub(super) fn threat(&mut self, t: &ast::Threat, span: Span) -> Option<Threat> {
        let aggressor = self.actor(&t.aggressor);
        let mut targets = Vec::new();
        let mut listed: HashSet<ActorId> = HashSet::new();
        for n in &t.targets.items {
            let Some(id) = self.actor(n) else { continue };
            if !listed.insert(id) {
                self.push(messages::w0008(self.name(n), n.span));
            } else {
                targets.push(id);
            }
        }
        let fields = t.body.as_deref().unwrap_or(&[]);
        self.once(fields, |_| "domains");
        let domains = fields.first().map(|f| self.domains(&f.value));
        Some(Threat { aggressor: aggressor?, targets, domains, span })
    }

    pub(super) fn scenario(&mut self, item: &ast::Item, settings: &Settings) -> Scenario {
        let ast::ItemKind::Scenario(s) = &item.kind else { unreachable!("collected as a scenario") };
        let mut openings = Vec::new();
        for o in &s.openings {
            self.once(&o.clauses, ast::OpeningClause::key);
            let aggressor = self.actor(&o.aggressor);
            let victim = self.actor(&o.victim);
            let mut opening = Opening {
                aggressor: aggressor.unwrap_or(ActorId(0)),
                victim: victim.unwrap_or(ActorId(0)),
                domains: None,
                rung: settings.opening,
                provoked: false,
                span: o.span,
            };
            for c in &o.clauses {
                match &c.value {
                    ast::OpeningClause::In(names) => opening.domains = Some(self.domains(names)),
                    ast::OpeningClause::At(r) => {
                        if let Some(r) = self.rung(r) {
                            opening.rung = r;
                        }
                    }
                    ast::OpeningClause::Provoked => opening.provoked = true,
                }
            }
            if aggressor.is_some() && victim.is_some() {
                if aggressor == victim {
                    self.push(messages::w0002(ToItself::Opening { actor: self.name(&o.aggressor) }, o.span));
                }
                openings.push(opening);
            }
        }
        Scenario {
            name: self.name(&s.name).to_string(),
            label: s.label.as_ref().map(|l| l.value.clone()),
            openings,
            span: s.name.span,
        }
    }

    pub(super) fn expectation(&mut self, e: &ast::Expect) -> Option<Expectation> {
        match e {
            ast::Expect::Gap { aggressor, target, domain, reason } => {
                let (a, t) = (self.actor(aggressor), self.actor(target));
                let d = domain.as_ref().map(|d| self.domain(d));
                let r = reason.as_ref().map(|r| self.gap_reason(r));
                Some(Expectation::Gap {
                    aggressor: a?,
                    target: t?,
                    domain: d.map(|d| d.ok_or(())).transpose().ok()?,
                    reason: r.map(|r| r.ok_or(())).transpose().ok()?,
                })
            }
            ast::Expect::NoGap { aggressor, target, domain } => {
                let (a, t) = (self.actor(aggressor), self.actor(target));
                let d = domain.as_ref().map(|d| self.domain(d));
                Some(Expectation::NoGap { aggressor: a?, target: t?, domain: d.map(|d| d.ok_or(())).transpose().ok()? })
            }
            ast::Expect::Scenario { scenario, outcome } => {
                let s = self.lookup(scenario, &[DeclarationKind::Scenario]).map(|(_, i)| ScenarioId(i));
                self.outcome(s, outcome)
            }
        }
    }

    pub(super) fn outcome(&mut self, scenario: Option<ScenarioId>, outcome: &ast::Outcome) -> Option<Expectation> {
        let e = match outcome {
            ast::Outcome::Joins(a) => Expectation::Joins { scenario: scenario?, actor: self.actor(a)? },
            ast::Outcome::StaysOut(a) => Expectation::StaysOut { scenario: scenario?, actor: self.actor(a)? },
            ast::Outcome::Attacks(a) => Expectation::Attacks { scenario: scenario?, actor: self.actor(a)? },
            ast::Outcome::Reaches(r) => Expectation::Reaches { scenario: scenario?, rung: self.rung(r)? },
            ast::Outcome::NotReaches(r) => Expectation::NotReaches { scenario: scenario?, rung: self.rung(r)? },
            ast::Outcome::Probability { event, comparison, value } => {
                let value = self.probability(value);
                let event = match event.as_ref() {
                    ast::Outcome::Joins(a) => ProbabilityEvent::Joins(self.actor(a)?),
                    ast::Outcome::StaysOut(a) => ProbabilityEvent::StaysOut(self.actor(a)?),
                    ast::Outcome::Attacks(a) => ProbabilityEvent::Attacks(self.actor(a)?),
                    ast::Outcome::Reaches(r) => ProbabilityEvent::Reaches(self.rung(r)?),
                    _ => return None,
                };
                Expectation::Probability { scenario: scenario?, event, comparison: *comparison, value }
            }
        };
        Some(e)
    }

    pub(super) fn gap_reason(&mut self, r: &ast::Ident) -> Option<GapReason> {
        if let Some(g) = GapReason::ALL.iter().find(|g| g.as_str() == self.name(r)) {
            return Some(*g);
        }
        let names = GapReason::ALL.map(GapReason::as_str);
        let suggestion = suggest::closest(self.name(r), names);
        self.push(messages::e0002(Unknown::GapReason { name: self.name(r), reasons: &names, suggestion }, r.span));
        None
    }

    /// E0013: a `nuclear` response by an actor with no nuclear capability,
    /// at the `response` that asks for it.
    pub(super) fn nuclear_responses(&mut self, program: &Program) {
        let (Some(rung), Some(domain)) = (program.settings.nuclear_rung, program.domain_named(NUCLEAR)) else { return };
        let without = |a: &ActorId| program.capability(*a, domain) <= 0.0;
        let mut found: Vec<(Span, Vec<ActorId>)> = Vec::new();
        for a in &program.alliances {
            for o in &a.obligations {
                if o.terms.response == Some(rung)
                    && matches!(o.kind, ast::ObligationKind::Defend | ast::ObligationKind::Join)
                {
                    let lacking: Vec<ActorId> = a.members.iter().copied().filter(without).collect();
                    if !lacking.is_empty() {
                        found.push((o.span, lacking));
                    }
                }
            }
        }
        for c in &program.commitments {
            if c.terms.response == Some(rung)
                && matches!(c.kind, ast::CommitmentKind::Defends | ast::CommitmentKind::Attacks)
                && without(&c.actor)
            {
                found.push((c.span, vec![c.actor]));
            }
        }
        for (provision, actors) in found {
            let span = self.nuclear_responses.get(&provision).copied().unwrap_or(provision);
            let names: Vec<&str> = actors.iter().map(|a| &*program.actor(*a).name).collect();
            self.push(messages::e0013(&names, span));
        }
    }
}

/// Whether each region lies on a containment cycle: Tarjan's strongly
/// connected components over `contains`, iteratively.
fn on_cycles(regions: &[Region]) -> Vec<bool> {
    const UNSEEN: u32 = u32::MAX;
    let n = regions.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0u32; n]);
    let mut on_stack = vec![false; n];
    let mut cyclic = vec![false; n];
    let (mut stack, mut walk): (Vec<usize>, Vec<(usize, usize)>) = (Vec::new(), Vec::new());
    let mut next = 0u32;
    let children = |r: usize| &regions[r].contains;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        walk.push((root, 0));
        while let Some(&mut (r, ref mut child)) = walk.last_mut() {
            if *child == 0 && index[r] == UNSEEN {
                (index[r], low[r]) = (next, next);
                next += 1;
                stack.push(r);
                on_stack[r] = true;
            }
            if let Some(c) = children(r).get(*child).map(|c| c.index()).filter(|&c| c < n) {
                *child += 1;
                if c == r {
                    cyclic[r] = true;
                } else if index[c] == UNSEEN {
                    walk.push((c, 0));
                } else if on_stack[c] {
                    low[r] = low[r].min(index[c]);
                }
                continue;
            }
            if children(r).len() > *child {
                *child += 1; // an id out of range
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[r]);
            }
            if low[r] == index[r] {
                let mut component = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack[m] = false;
                    component.push(m);
                    if m == r {
                        break;
                    }
                }
                if component.len() > 1 {
                    for m in component {
                        cyclic[m] = true;
                    }
                }
            }
        }
    }
    cyclic
}
