//! Names → ids, values → validated numbers, defaults applied: the AST of a
//! whole compilation becomes a [`Program`]. Every error of §7 that concerns
//! one declaration is found here; lints that look across declarations are in
//! `lints`.

use super::program::*;
use super::references::{References, Used};
use super::suggest;
use super::Diagnostics;
use super::values::{MAX_CAPABILITY, MAX_YEAR, probability_problem};
use crate::diagnostic::{Code, Diagnostic, quote};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Field, Probability, TimePoint, TimeValue};
use crate::vocabulary::{
    ActorId, AllianceId, BUILTIN_DOMAINS, CommitmentId, DEFAULT_LADDER, DEFAULT_OPENING, DeclarationKind, DomainId,
    NUCLEAR, RegionId, RungId, ScenarioId,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

const MAX_SAMPLES: f64 = 100_000_000.0;

use super::references::Definition;
use super::symbols::Symbols;
use crate::source::SourceMap;

/// The name of each definition, for the symbol table.
fn name_of<'s>(definitions: &'s [Definition], sources: &'s SourceMap) -> impl Fn(u32) -> &'s str + Copy + 's {
    move |d| definitions[d as usize].name(sources)
}

/// What a name of the global namespace stands for.
#[derive(Clone, Copy)]
struct Symbol {
    kind: DeclarationKind,
    index: u32,
}

/// Where a condition is written: `member` is only meaningful in an alliance.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Alliance,
    Commitment,
}

pub struct Resolver<'a> {
    sources: &'a SourceMap,
    symbols: Symbols,
    rungs: HashMap<String, RungId>,
    ladder: Vec<Rung>,
    /// Members of each alliance, by `AllianceId`.
    members: Vec<Vec<ActorId>>,
    /// Which declarations some other declaration refers to (for W0001).
    pub used: Used,
    pub references: References,
    pub diagnostics: Diagnostics,
    /// Name comparisons "did you mean" may still spend (see [`SUGGESTION_BUDGET`]).
    suggestion_budget: usize,
    /// Where a provision (by the span of its name) writes `response:
    /// nuclear`: E0013 points there.
    nuclear_responses: HashMap<Span, Span>,
}

/// Comparisons of names spent on "did you mean" per compilation: each
/// unknown name is compared with every name of its kind, so thousands of
/// unknown names among thousands of actors took minutes. Past the budget,
/// unknown names get the plain help.
const SUGGESTION_BUDGET: usize = 200_000;

/// A declaration: its file and its index among the file's items.
type At = (usize, usize);

/// The declarations that other declarations need resolved first, found by
/// the pass that declares every name; the others are only counted.
struct Declared {
    settings: Vec<At>,
    /// Built-in domains are `None`.
    domains: Vec<Option<At>>,
    regions: Vec<At>,
    alliances: Vec<At>,
    actors: u32,
    commitments: u32,
}

impl<'a> Resolver<'a> {
    pub fn new(sources: &'a SourceMap) -> Resolver<'a> {
        Resolver {
            sources,
            symbols: Symbols::new(),
            rungs: HashMap::new(),
            ladder: Vec::new(),
            members: Vec::new(),
            used: Used::default(),
            references: References::default(),
            diagnostics: Diagnostics::default(),
            suggestion_budget: SUGGESTION_BUDGET,
            nuclear_responses: HashMap::new(),
        }
    }

    /// A name as written in the source.
    fn name(&self, n: &ast::Ident) -> &'a str {
        self.sources.slice(n.span)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    // ------------------------------------------------------------ names

    /// What `name` stands for in the global namespace.
    fn symbol(&self, name: &str) -> Option<Symbol> {
        let d = self.symbols.get(name, name_of(&self.references.definitions, self.sources))?;
        let d = &self.references.definitions[d as usize];
        Some(Symbol { kind: d.kind, index: d.index })
    }

    fn declare(&mut self, name: &ast::Ident, kind: DeclarationKind, index: u32) {
        let definition = self.references.definitions.len() as u32;
        self.references.define(kind, index, Some(name.span));
        if let Some(prev) = self.symbol(self.name(name)) {
            let d = Diagnostic::new(
                Code::E0004,
                format!("`{}` is defined more than once", quote(self.name(name))),
                name.span,
                format!("defined again here as {}", kind.article()),
            );
            let d = match self.references.first_span(prev.kind, prev.index) {
                Some(s) => d.with_label(s, format!("first defined here as {}", prev.kind.article())).with_help("names are global across all imported files: rename one of them"),
                None => d.with_help(format!("`{}` is a built-in {}: use it without declaring it, or choose another name", quote(self.name(name)), prev.kind.word())),
            };
            self.push(d);
            // The duplicate is reported; "never used" would only repeat it.
            self.used.insert(kind, index);
            return;
        }
        self.symbols.insert(definition, name_of(&self.references.definitions, self.sources));
    }

    /// Resolves a name that must be of one of `kinds`; reports E0002/E0003.
    fn lookup(&mut self, name: &ast::Ident, kinds: &[DeclarationKind]) -> Option<(DeclarationKind, u32)> {
        match self.symbol(self.name(name)) {
            Some(sym) if kinds.contains(&sym.kind) => {
                self.used.insert(sym.kind, sym.index);
                self.references.record(sym.kind, sym.index, name.span);
                Some((sym.kind, sym.index))
            }
            Some(sym) => {
                let wanted = kinds.iter().map(|k| k.article()).collect::<Vec<_>>().join(" or ");
                let mut d = Diagnostic::new(
                    Code::E0003,
                    format!("`{}` is {}, but {wanted} is needed here", quote(self.name(name)), sym.kind.article()),
                    name.span,
                    format!("{}, not {wanted}", sym.kind.word()),
                );
                if let Some(s) = self.references.first_span(sym.kind, sym.index) {
                    d = d.with_label(s, format!("`{}` is defined here", quote(self.name(name))));
                }
                if let Some(s) = self.suggest(self.name(name), kinds) {
                    d = d.with_help(format!("did you mean `{}`?", quote(&s))).with_fix(name.span, s);
                }
                self.push(d);
                None
            }
            None => {
                let what = kinds[0].word();
                let all = kinds.iter().map(|k| k.word()).collect::<Vec<_>>().join(" or ");
                let mut d = Diagnostic::new(
                    Code::E0002,
                    format!("unknown {all} `{}`", quote(self.name(name))),
                    name.span,
                    "not declared anywhere",
                );
                d = match self.suggest(self.name(name), kinds) {
                    Some(s) => d.with_help(format!("did you mean `{}`?", quote(&s))).with_fix(name.span, s),
                    None => d.with_help(format!("declare it with `{what} {} …` or import the file that does", quote(self.name(name)))),
                };
                self.push(d);
                None
            }
        }
    }

    fn suggest(&mut self, name: &str, kinds: &[DeclarationKind]) -> Option<String> {
        let (definitions, sources) = (&self.references.definitions, self.sources);
        let candidates = self.symbols.iter().map(|d| &definitions[d as usize]).filter(|d| kinds.contains(&d.kind));
        let mut sorted: Vec<&str> = candidates.map(|d| d.name(sources)).collect();
        self.suggestion_budget = self.suggestion_budget.checked_sub(sorted.len())?;
        sorted.sort_unstable();
        suggest::closest(name, sorted).map(str::to_string)
    }

    fn actor(&mut self, name: &ast::Ident) -> Option<ActorId> {
        self.lookup(name, &[DeclarationKind::Actor]).map(|(_, i)| ActorId(i))
    }

    fn domain(&mut self, name: &ast::Ident) -> Option<DomainId> {
        self.lookup(name, &[DeclarationKind::Domain]).map(|(_, i)| DomainId(i))
    }

    fn region(&mut self, name: &ast::Ident) -> Option<RegionId> {
        self.lookup(name, &[DeclarationKind::Region]).map(|(_, i)| RegionId(i))
    }

    fn domains(&mut self, names: &ast::Names) -> Vec<DomainId> {
        names.items.iter().filter_map(|n| self.domain(n)).collect()
    }

    fn rung(&mut self, name: &ast::Ident) -> Option<RungId> {
        if let Some(id) = self.rungs.get(self.name(name)).copied() {
            self.references.record(DeclarationKind::Rung, id.0, name.span);
            return Some(id);
        }
        let ladder: Vec<&str> = self.ladder.iter().map(|r| r.name.as_str()).collect();
        let d = Diagnostic::new(
            Code::E0012,
            format!("`{}` is not a rung of the escalation ladder", quote(self.name(name))),
            name.span,
            "not on the ladder",
        );
        let d = match suggest::closest(self.name(name), ladder.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{}`? The ladder is: {}", quote(s), ladder.join(", "))).with_fix(name.span, s),
            None => d.with_help(format!("the ladder is: {} (set it with `settings {{ ladder: […] }}`)", ladder.join(", "))),
        };
        self.push(d);
        None
    }

    // ------------------------------------------------------------ values

    fn probability(&mut self, p: &Probability) -> f64 {
        let Some((message, help)) = probability_problem(p.value, p.percent, self.sources.slice(p.span)) else { return p.value };
        self.push(Diagnostic::new(Code::E0007, message, p.span, "out of range").with_help(help));
        p.value.clamp(0.0, 1.0)
    }

    fn integer(&mut self, n: &ast::Number, what: &str, min: f64, max: f64) -> Option<f64> {
        if n.value.is_nan() {
            return None; // an unreadable literal, already reported
        }
        if n.value.fract() == 0.0 && n.value >= min && n.value <= max {
            return Some(n.value);
        }
        self.push(
            Diagnostic::new(Code::E0017, format!("{what} must be a whole number from {min} to {max}"), n.span, "not allowed here")
                .with_help(format!("write {what} as a whole number between {min} and {max}")),
        );
        None
    }

    /// The days a year or a date covers.
    fn period(&mut self, t: &TimePoint) -> Option<Period> {
        match t.value {
            TimeValue::Day { year, month, day } => {
                Some(Period::day(i64::from(year), month, day))
            }
            TimeValue::Year(y) => {
                let n = ast::Number { value: y, span: t.span };
                let max = MAX_YEAR as f64;
                let y = self.integer(&n, "a year", -max, max)? as i64;
                Some(Period::year(y))
            }
        }
    }

    /// `since`/`until` fields into a validity, with E0009 when reversed.
    fn validity(&mut self, since: Option<&TimePoint>, until: Option<&TimePoint>) -> Validity {
        let s = since.and_then(|t| self.period(t).map(|p| (p.start, t.span)));
        let u = until.and_then(|t| self.period(t).map(|p| (p.end, t.span)));
        if let (Some((sd, ss)), Some((ud, us))) = (s, u)
            && sd > ud
        {
            self.push(
                Diagnostic::new(Code::E0009, "`since` is after `until`", ss, "starts here")
                    .with_label(us, "but ends here, earlier")
                    .with_help("swap the dates, or fix the one that is wrong"),
            );
        }
        Validity::new(s, u)
    }

    /// Reports a field given twice in one block (blocks have a few fields:
    /// each is compared with those before it, without allocating).
    fn once<T>(&mut self, fields: &[Field<T>], key: impl Fn(&T) -> &'static str) {
        for (i, f) in fields.iter().enumerate() {
            let k = key(&f.value);
            if k == "obligation" {
                continue;
            }
            if let Some(first) = fields[..i].iter().find(|g| key(&g.value) == k) {
                self.push(
                    Diagnostic::new(Code::E0016, format!("`{k}` is given twice"), f.span, "given again here")
                        .with_label(first.span, "first given here")
                        .with_help("keep one of them"),
                );
            }
        }
    }

    // ------------------------------------------------------------ the program

    /// Resolves the declarations of `files` listed in `order`. With
    /// `release`, each declaration's parts are freed as soon as it is
    /// resolved, so that the program's many small allocations reuse the
    /// AST's freed memory instead of growing the heap beside it; the AST is
    /// then not fit to be read again.
    pub fn resolve(&mut self, files: &mut [ast::File], order: &[(FileId, Range<u32>)], release: bool) -> Program {
        let walk = || order.iter().flat_map(|(f, run)| run.clone().map(move |i| (f.0 as usize, i as usize)));
        let declarations = order.iter().map(|(_, run)| run.len()).sum::<usize>();
        let mut declared = Declared { settings: Vec::new(), domains: Vec::new(), regions: Vec::new(), alliances: Vec::new(), actors: 0, commitments: 0 };
        self.references.reserve(BUILTIN_DOMAINS.len() + declarations + DEFAULT_LADDER.len());
        let names = BUILTIN_DOMAINS.len() + declarations;
        self.symbols.reserve(names, name_of(&self.references.definitions, self.sources));
        for i in 0..BUILTIN_DOMAINS.len() {
            let definition = self.references.definitions.len() as u32;
            self.references.define(DeclarationKind::Domain, i as u32, None);
            self.symbols.insert(definition, name_of(&self.references.definitions, self.sources));
            declared.domains.push(None);
        }
        // Every name first: any declaration may use a name declared after it.
        let mut scenarios = 0u32;
        for at in walk() {
            let item = &files[at.0].items[at.1];
            match &item.kind {
                ast::ItemKind::Domain(d) => {
                    self.declare(&d.name, DeclarationKind::Domain, declared.domains.len() as u32);
                    declared.domains.push(Some(at));
                }
                ast::ItemKind::Region(r) => {
                    self.declare(&r.name, DeclarationKind::Region, declared.regions.len() as u32);
                    declared.regions.push(at);
                }
                ast::ItemKind::Actor(a) => {
                    self.declare(&a.name, DeclarationKind::Actor, declared.actors);
                    declared.actors += 1;
                }
                ast::ItemKind::Alliance(a) => {
                    self.declare(&a.name, DeclarationKind::Alliance, declared.alliances.len() as u32);
                    declared.alliances.push(at);
                }
                ast::ItemKind::Commitment(c) => {
                    self.declare(&c.name, DeclarationKind::Commitment, declared.commitments);
                    declared.commitments += 1;
                }
                ast::ItemKind::Scenario(s) => {
                    self.declare(&s.name, DeclarationKind::Scenario, scenarios);
                    scenarios += 1;
                }
                ast::ItemKind::Settings(_) => declared.settings.push(at),
                ast::ItemKind::Import(_) | ast::ItemKind::Threat(_) | ast::ItemKind::Expect(_) => {}
            }
        }
        // Then what the others read: the ladder, the members of every
        // alliance (a party list may name one), domains and regions.
        let item = |at: &At| &files[at.0].items[at.1];
        let settings = self.settings(&declared.settings.iter().map(item).collect::<Vec<_>>());
        self.members = self.alliance_members(&declared.alliances.iter().map(item).collect::<Vec<_>>());
        let domains = self.domain_defs(&declared.domains.iter().map(|at| at.as_ref().map(item)).collect::<Vec<_>>());
        let regions = self.regions(&declared.regions.iter().map(item).collect::<Vec<_>>());
        let mut program = Program {
            settings,
            actors: Vec::with_capacity(declared.actors as usize),
            domains,
            regions,
            alliances: Vec::with_capacity(declared.alliances.len()),
            // Commitments are large: no room to spare.
            commitments: Vec::with_capacity(declared.commitments as usize),
            provisions: Vec::new(),
            threats: Vec::new(),
            scenarios: Vec::with_capacity(scenarios as usize),
            expectations: Vec::new(),
        };
        // Then every declaration once, in declaration order (provisions are
        // considered in that order); a commitment whose actor or target does
        // not resolve is reported and left out.
        let mut dropped = vec![0usize; files.len()];
        for (f, i) in walk() {
            if release {
                let item = std::mem::replace(&mut files[f].items[i - dropped[f]], released());
                self.declaration(&item, &mut program);
                drop(item);
                drop_resolved(&mut files[f].items, i + 1 - dropped[f], &mut dropped[f]);
            } else {
                self.declaration(&files[f].items[i], &mut program);
            }
        }
        self.nuclear_responses(&program);
        program
    }

    /// Resolves one declaration of the final walk into `program`.
    fn declaration(&mut self, item: &ast::Item, program: &mut Program) {
        match &item.kind {
            ast::ItemKind::Actor(_) => {
                let actor = self.actor_item(item, program.domains.len());
                program.actors.push(actor);
            }
            ast::ItemKind::Alliance(_) => {
                let id = AllianceId(program.alliances.len() as u32);
                let alliance = self.alliance(item);
                program.provisions.extend((0..alliance.obligations.len()).map(|i| ProvisionRef::Obligation(id, i)));
                program.alliances.push(alliance);
            }
            ast::ItemKind::Commitment(_) => {
                if let Some(c) = self.commitment(item) {
                    program.provisions.push(ProvisionRef::Commitment(CommitmentId(program.commitments.len() as u32)));
                    program.commitments.push(c);
                }
            }
            ast::ItemKind::Threat(t) => {
                if let Some(t) = self.threat(t, item.span) {
                    program.threats.push(t);
                }
            }
            ast::ItemKind::Scenario(_) => {
                let s = self.scenario(item, &program.settings);
                program.scenarios.push(s);
            }
            ast::ItemKind::Expect(e) => {
                if let Some(expectation) = self.expectation(e) {
                    program.expectations.push(ExpectationDecl { expectation, span: item.span });
                }
            }
            ast::ItemKind::Import(_) | ast::ItemKind::Settings(_) | ast::ItemKind::Domain(_) | ast::ItemKind::Region(_) => {}
        }
    }

    fn settings(&mut self, items: &[&ast::Item]) -> Settings {
        for extra in items.iter().skip(1) {
            self.push(
                Diagnostic::new(Code::E0015, "more than one `settings` block", extra.span, "another `settings` block")
                    .with_label(items[0].span, "the first one is here")
                    .with_help("merge them: a compilation has at most one `settings` block"),
            );
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
            Some(names) => names.items.iter().map(|n| Rung { name: self.name(n).to_string(), span: Some(n.span) }).collect(),
            None => DEFAULT_LADDER.iter().map(|n| Rung { name: n.to_string(), span: None }).collect(),
        };
        if let Some(names) = ladder_field
            && names.items.is_empty()
        {
            self.push(
                Diagnostic::new(Code::E0022, "the escalation ladder is empty", names.span, "no rungs")
                    .with_help("list the rungs from lowest to highest, e.g. `[crisis, limited_war, general_war]`"),
            );
            self.ladder = DEFAULT_LADDER.iter().map(|n| Rung { name: n.to_string(), span: None }).collect();
        }
        let mut rungs = HashMap::new();
        self.references.reserve(self.ladder.len());
        for (i, r) in self.ladder.iter().enumerate() {
            self.references.define(DeclarationKind::Rung, i as u32, r.span);
            if let Some(prev) = rungs.get(&r.name) {
                let prev: &RungId = prev;
                let first = self.ladder[prev.index()].span.unwrap_or_default();
                let d = Diagnostic::new(Code::E0004, format!("rung `{}` is on the ladder twice", quote(&r.name)), r.span.unwrap_or_default(), "again here")
                    .with_label(first, "first here")
                    .with_help("each rung appears once, from lowest to highest");
                self.diagnostics.push(d);
            } else {
                rungs.insert(r.name.clone(), RungId(i as u32));
            }
        }
        self.rungs = rungs;
        let nuclear_rung = self.rungs.get(NUCLEAR).copied();
        let default_opening = self
            .rungs
            .get(DEFAULT_OPENING)
            .copied()
            .unwrap_or(RungId(if self.ladder.len() > 1 { 1 } else { 0 }));
        let mut settings = Settings {
            period: None,
            ladder: self.ladder.clone(),
            nuclear_rung,
            deterrence_ratio: 1.0,
            credibility_floor: 0.5,
            samples: 100_000,
            seed: 7,
            opening: default_opening,
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
                        self.push(
                            Diagnostic::new(Code::E0016, "`year` and `date` both set the analysis period", f.span, "set again here")
                                .with_label(first, "first set here")
                                .with_help("keep one: `date` for one day, `year` for a whole year"),
                        );
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
                        self.push(
                            Diagnostic::new(Code::E0017, "`deterrence_ratio` must be greater than 0", n.span, "not positive")
                                .with_help("1.0 means: deterred when defence at least matches the aggressor"),
                        );
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
                ast::Setting::Opening(r) => {
                    if let Some(id) = self.rung(r) {
                        settings.opening = id;
                    }
                }
            }
        }
        settings
    }

    fn domain_defs(&mut self, declared: &[Option<&ast::Item>]) -> Vec<Domain> {
        declared
            .iter()
            .enumerate()
            .map(|(i, item)| match item.map(|i| &i.kind) {
                Some(ast::ItemKind::Domain(d)) => {
                    Domain { name: self.name(&d.name).to_string(), label: d.label.as_ref().map(|l| l.value.clone()), span: Some(d.name.span) }
                }
                _ => Domain { name: BUILTIN_DOMAINS[i.min(BUILTIN_DOMAINS.len() - 1)].to_string(), label: None, span: None },
            })
            .collect()
    }

    fn regions(&mut self, declared: &[&ast::Item]) -> Vec<Region> {
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
                within: Vec::new(),
                span: r.name.span,
            });
        }
        self.containment(&mut regions);
        regions
    }

    /// Closes containment (`within`) and reports cycles (E0014).
    fn containment(&mut self, regions: &mut [Region]) {
        let n = regions.len();
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, r) in regions.iter().enumerate() {
            for c in &r.contains {
                parents[c.index()].push(i);
            }
        }
        let mut reported = HashSet::new();
        for start in 0..n {
            // Every region reachable upwards from `start`, by a work list.
            let mut within = vec![start];
            let mut seen = vec![false; n];
            seen[start] = true;
            let mut i = 0;
            while i < within.len() {
                for &p in &parents[within[i]] {
                    if p == start && reported.insert(start) {
                        let d = Diagnostic::new(
                            Code::E0014,
                            format!("region `{}` contains itself", quote(&regions[start].name)),
                            regions[start].span,
                            "part of a containment cycle",
                        )
                        .with_help("containment must be acyclic: remove one `contains` entry of the cycle");
                        self.diagnostics.push(d);
                    }
                    if !seen[p] {
                        seen[p] = true;
                        within.push(p);
                    }
                }
                i += 1;
            }
            regions[start].within = within.into_iter().map(|i| RegionId(i as u32)).collect();
        }
    }

    /// An actor declaration (`actor` resolves a name to an actor).
    fn actor_item(&mut self, item: &ast::Item, domain_count: usize) -> Actor {
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
                            self.push(
                                Diagnostic::new(Code::E0016, format!("capability in `{}` is given twice", quote(self.name(&e.domain))), e.domain.span, "given again here")
                                    .with_label(first, "first given here")
                                    .with_help("keep one of them"),
                            );
                        }
                        if e.value.value.is_nan() {
                            continue; // an unreadable literal, already reported
                        }
                        if e.value.value > MAX_CAPABILITY {
                            self.push(
                                Diagnostic::new(
                                    Code::E0081,
                                    format!("capability `{}` is larger than {MAX_CAPABILITY:e}", quote(self.name(&e.domain))),
                                    e.value.span,
                                    "too large",
                                )
                                .with_help("rescale the file's capabilities (an index of 0 to 100, or COW CINC × 1000)"),
                            );
                        } else if e.value.value < 0.0 {
                            self.push(
                                Diagnostic::new(Code::E0008, format!("capability `{}` is negative", quote(self.name(&e.domain))), e.value.span, "below zero")
                                    .with_help("capabilities are non-negative; write 0 for none"),
                            );
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

    fn alliance(&mut self, item: &ast::Item) -> Alliance {
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
                            self.push(
                                Diagnostic::new(Code::W0008, format!("`{}` is listed twice", quote(self.name(n))), n.span, "listed again")
                                    .with_help("remove the second mention"),
                            );
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
            self.push(
                Diagnostic::new(
                    Code::E0011,
                    format!("alliance `{}` has {} member{}", quote(self.name(&a.name)), members.len(), if members.len() == 1 { "" } else { "s" }),
                    members_span,
                    "an alliance needs at least two members",
                )
                .with_help("add the other members, or write a `commitment` for a one-sided promise"),
            );
        }
        let validity = self.validity(since, until);
        let mut names: HashMap<&str, Span> = HashMap::new();
        let mut obligations = Vec::new();
        for f in &a.items {
            let ast::AllianceField::Obligation(o) = &f.value else { continue };
            if let Some(first) = names.insert(self.name(&o.name), o.name.span) {
                self.push(
                    Diagnostic::new(Code::E0004, format!("obligation `{}` is defined twice in `{}`", quote(self.name(&o.name)), quote(self.name(&a.name))), o.name.span, "defined again here")
                        .with_label(first, "first defined here")
                        .with_help("rename one of them"),
                );
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

    fn commitment(&mut self, item: &ast::Item) -> Option<Commitment> {
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
        Some(Commitment { name: self.name(&c.name).into(), actor: actor?, kind: c.kind, target: target?, terms, span: c.name.span })
    }

    /// Notes where `fields`, the terms of the provision named at
    /// `provision`, write `response: nuclear`.
    fn note_nuclear_response(&mut self, provision: Span, fields: &[Field<ast::Term>]) {
        for f in fields {
            if let ast::Term::Response(r) = &f.value
                && self.name(r) == NUCLEAR
            {
                self.nuclear_responses.insert(provision, r.span);
            }
        }
    }

    fn terms(&mut self, fields: &[Field<ast::Term>], scope: Scope, default_when: Option<Condition>, acting: &[ActorId]) -> Terms {
        self.once(fields, ast::Term::key);
        let mut terms = Terms { when: None, response: None, credibility: 1.0, validity: Validity::default(), rare: None };
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
                            let who = match scope {
                                Scope::Alliance => "a member of this alliance",
                                Scope::Commitment => "the actor of this commitment",
                            };
                            self.push(
                                Diagnostic::new(Code::W0009, format!("`{}` is not {who}", quote(self.name(&e.actor))), e.actor.span, "does not act here")
                                    .with_help("`except` sets the credibility of an actor that acts under this obligation"),
                            );
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

    // ------------------------------------------------------------ conditions

    fn condition(&mut self, c: &ast::Condition, scope: Scope) -> Option<Condition> {
        Some(match c {
            ast::Condition::Or(parts, _) => Condition::Or(self.conditions(parts, scope)),
            ast::Condition::And(parts, _) => Condition::And(self.conditions(parts, scope)),
            ast::Condition::Not(inner, _) => Condition::Not(Box::new(self.condition(inner, scope)?)),
            ast::Condition::Group(inner, _) => self.condition(inner, scope)?,
            ast::Condition::WarBetween(a, b, span) => Condition::WarBetween(Box::new((self.parties(a, scope)?, self.parties(b, scope)?)), *span),
            ast::Condition::WarWith(p, span) => Condition::WarWith(self.parties(p, scope)?, *span),
            ast::Condition::ThreatTo(p, span) => Condition::ThreatTo(self.parties(p, scope)?, *span),
            ast::Condition::Attack(atom) => Condition::Attack(Box::new(self.attack(atom, scope)?)),
        })
    }

    /// The parts of `or`/`and` that resolved, in a slice of their number
    /// (`collect` into a `Vec` would not know it, as the filter drops some).
    fn conditions(&mut self, parts: &[ast::Condition], scope: Scope) -> Box<[Condition]> {
        let mut out = Vec::with_capacity(parts.len());
        out.extend(parts.iter().filter_map(|p| self.condition(p, scope)));
        out.into_boxed_slice()
    }

    fn attack(&mut self, atom: &ast::AttackAtom, scope: Scope) -> Option<AttackCondition> {
        self.once(&atom.clauses, ast::AttackClause::key);
        let mut out = AttackCondition {
            unprovoked: atom.unprovoked,
            on: None,
            by: None,
            domains: None,
            within: None,
            at: None,
            span: atom.span,
        };
        let mut ok = true;
        for f in &atom.clauses {
            let span = f.span;
            match &f.value {
                ast::AttackClause::On(p) => match self.parties(p, scope) {
                    Some(value) => out.on = Some(Clause { value, span }),
                    None => ok = false,
                },
                ast::AttackClause::By(p) => match self.parties(p, scope) {
                    Some(value) => out.by = Some(Clause { value, span }),
                    None => ok = false,
                },
                ast::AttackClause::In(names) => {
                    let value = self.domains(names);
                    ok &= value.len() == names.items.len();
                    out.domains = Some(Clause { value: value.into_boxed_slice(), span });
                }
                ast::AttackClause::Within(names) => {
                    let value: Box<[RegionId]> = names.items.iter().filter_map(|n| self.region(n)).collect();
                    ok &= value.len() == names.items.len();
                    out.within = Some(Clause { value, span });
                }
                ast::AttackClause::At { at_least, rung } => match self.rung(rung) {
                    Some(r) => out.at = Some(Clause { value: (r, *at_least), span }),
                    None => ok = false,
                },
            }
        }
        // Without `on`, the attack is on the protected party: the commitment's
        // target, or the protected member of an alliance obligation.
        if out.on.is_none() {
            out.on = Some(Clause { value: Parties::Member, span: atom.span });
        }
        ok.then_some(out)
    }

    fn parties(&mut self, p: &ast::Parties, scope: Scope) -> Option<Parties> {
        match p {
            ast::Parties::Any(_) => Some(Parties::Any),
            ast::Parties::Member(span) => {
                if scope == Scope::Commitment {
                    self.push(
                        Diagnostic::new(Code::E0010, "`member` is only meaningful inside an alliance", *span, "outside an alliance obligation")
                            .with_help("in a commitment, name the actor; an `attack` without `on` is an attack on the commitment's target"),
                    );
                    return None;
                }
                Some(Parties::Member)
            }
            ast::Parties::Actors(names) => {
                let mut actors = Vec::new();
                for n in &names.items {
                    match self.lookup(n, &[DeclarationKind::Actor, DeclarationKind::Alliance]) {
                        // An alliance stands for its members.
                        Some((DeclarationKind::Alliance, i)) => actors.extend(self.members.get(i as usize).into_iter().flatten()),
                        Some((_, i)) => actors.push(ActorId(i)),
                        None => return None,
                    }
                }
                actors.sort_unstable();
                actors.dedup();
                Some(Parties::Actors(actors))
            }
        }
    }

    /// The members of every alliance, resolved without reporting (the
    /// alliance's own resolution reports), so that a party list can name an
    /// alliance declared anywhere.
    fn alliance_members(&self, alliances: &[&ast::Item]) -> Vec<Vec<ActorId>> {
        alliances
            .iter()
            .map(|item| match &item.kind {
                ast::ItemKind::Alliance(a) => a
                    .items
                    .iter()
                    .filter_map(|f| match &f.value {
                        ast::AllianceField::Members(n) => Some(n.items.iter()),
                        _ => None,
                    })
                    .flatten()
                    .filter_map(|m| self.symbol(self.name(m)).filter(|s| s.kind == DeclarationKind::Actor).map(|s| ActorId(s.index)))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    // ------------------------------------------------------------ threats, scenarios, expectations

    fn threat(&mut self, t: &ast::Threat, span: Span) -> Option<Threat> {
        let aggressor = self.actor(&t.aggressor);
        let mut targets = Vec::new();
        let mut listed: HashSet<ActorId> = HashSet::new();
        for n in &t.targets.items {
            let Some(id) = self.actor(n) else { continue };
            if !listed.insert(id) {
                self.push(Diagnostic::new(Code::W0008, format!("`{}` is listed twice", quote(self.name(n))), n.span, "listed again").with_help("remove the second mention"));
            } else {
                targets.push(id);
            }
        }
        let fields = t.body.as_deref().unwrap_or(&[]);
        self.once(fields, |_| "domains");
        let domains = fields.first().map(|f| self.domains(&f.value));
        Some(Threat { aggressor: aggressor?, targets, domains, span })
    }

    fn scenario(&mut self, item: &ast::Item, settings: &Settings) -> Scenario {
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
                    self.push(
                        Diagnostic::new(Code::W0002, format!("`{}` attacks itself", quote(self.name(&o.aggressor))), o.span, "aggressor and victim are the same")
                            .with_help("an opening attack needs two different actors"),
                    );
                }
                openings.push(opening);
            }
        }
        Scenario { name: self.name(&s.name).to_string(), label: s.label.as_ref().map(|l| l.value.clone()), openings, span: s.name.span }
    }

    fn expectation(&mut self, e: &ast::Expect) -> Option<Expectation> {
        match e {
            ast::Expect::Gap { aggressor, target, domain, reason } => {
                let (a, t) = (self.actor(aggressor), self.actor(target));
                let d = domain.as_ref().map(|d| self.domain(d));
                let r = reason.as_ref().map(|r| self.gap_reason(r));
                Some(Expectation::Gap { aggressor: a?, target: t?, domain: d.map(|d| d.ok_or(())).transpose().ok()?, reason: r.map(|r| r.ok_or(())).transpose().ok()? })
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

    fn outcome(&mut self, scenario: Option<ScenarioId>, outcome: &ast::Outcome) -> Option<Expectation> {
        let e = match outcome {
            ast::Outcome::Joins(a) => Expectation::Joins { scenario: scenario?, actor: self.actor(a)? },
            ast::Outcome::StaysOut(a) => Expectation::StaysOut { scenario: scenario?, actor: self.actor(a)? },
            ast::Outcome::Reaches(r) => Expectation::Reaches { scenario: scenario?, rung: self.rung(r)? },
            ast::Outcome::NotReaches(r) => Expectation::NotReaches { scenario: scenario?, rung: self.rung(r)? },
            ast::Outcome::Probability { event, comparison, value } => {
                let value = self.probability(value);
                let event = match event.as_ref() {
                    ast::Outcome::Joins(a) => ProbabilityEvent::Joins(self.actor(a)?),
                    ast::Outcome::StaysOut(a) => ProbabilityEvent::StaysOut(self.actor(a)?),
                    ast::Outcome::Reaches(r) => ProbabilityEvent::Reaches(self.rung(r)?),
                    _ => return None,
                };
                Expectation::Probability { scenario: scenario?, event, comparison: *comparison, value }
            }
        };
        Some(e)
    }

    fn gap_reason(&mut self, r: &ast::Ident) -> Option<GapReason> {
        if let Some(g) = GapReason::ALL.iter().find(|g| g.as_str() == self.name(r)) {
            return Some(*g);
        }
        let names = GapReason::ALL.map(GapReason::as_str);
        let d = Diagnostic::new(Code::E0002, format!("unknown gap reason `{}`", quote(self.name(r))), r.span, "not a gap reason");
        let d = match suggest::closest(self.name(r), names) {
            Some(s) => d.with_help(format!("did you mean `{}`?", quote(s))).with_fix(r.span, s),
            None => d.with_help(format!("the reasons are {}", names.join(", "))),
        };
        self.push(d);
        None
    }

    /// E0013: a `nuclear` response by an actor with no nuclear capability,
    /// at the `response` that asks for it.
    fn nuclear_responses(&mut self, program: &Program) {
        let (Some(rung), Some(domain)) = (program.settings.nuclear_rung, program.domain_named(NUCLEAR)) else { return };
        let without = |a: &ActorId| program.capability(*a, domain) <= 0.0;
        let mut found: Vec<(Span, Vec<ActorId>)> = Vec::new();
        for a in &program.alliances {
            for o in &a.obligations {
                if o.terms.response == Some(rung) && matches!(o.kind, ast::ObligationKind::Defend | ast::ObligationKind::Join) {
                    let lacking: Vec<ActorId> = a.members.iter().copied().filter(without).collect();
                    if !lacking.is_empty() {
                        found.push((o.span, lacking));
                    }
                }
            }
        }
        for c in &program.commitments {
            if c.terms.response == Some(rung) && matches!(c.kind, ast::CommitmentKind::Defends | ast::CommitmentKind::Attacks) && without(&c.actor) {
                found.push((c.span, vec![c.actor]));
            }
        }
        for (provision, actors) in found {
            let span = self.nuclear_responses.get(&provision).copied().unwrap_or(provision);
            let names: Vec<String> = actors.iter().map(|a| format!("`{}`", quote(&program.actor(*a).name))).collect();
            self.push(
                Diagnostic::new(
                    Code::E0013,
                    format!("{} cannot respond at `nuclear`: no nuclear capability", names.join(", ")),
                    span,
                    "requires a nuclear response",
                )
                .with_help("give the actor a `nuclear` capability, or choose a lower `response` rung"),
            );
        }
    }
}

/// Frees the first `resolved` items of `items` (all released) once they are
/// a quarter of it, so that the item array shrinks as the program grows
/// instead of both being held whole at the end (a million declarations:
/// 120 MB of items). Each cut moves the rest down, at most three times the
/// array in all; `dropped` counts the items cut, to keep indices right.
fn drop_resolved(items: &mut Vec<ast::Item>, resolved: usize, dropped: &mut usize) {
    if resolved < 1024 || resolved * 4 < items.len() {
        return;
    }
    items.drain(..resolved);
    // Shrinking hands the tail back: a large array is its own mapping.
    items.shrink_to_fit();
    *dropped += resolved;
}

/// What a released declaration leaves in its slot: an item that owns no
/// memory (an empty `settings` block, never read again).
fn released() -> ast::Item {
    ast::Item { kind: ast::ItemKind::Settings(Vec::new()), span: Span::default() }
}

fn intersect(outer: Validity, inner: Validity) -> Validity {
    Validity::new(
        match (outer.since(), inner.since()) {
            (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
            (a, b) => a.or(b),
        },
        match (outer.until(), inner.until()) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        },
    )
}

fn member_attack(span: Span) -> Condition {
    Condition::Attack(Box::new(AttackCondition {
        unprovoked: false,
        on: Some(Clause { value: Parties::Member, span }),
        by: None,
        domains: None,
        within: None,
        at: None,
        span,
    }))
}

/// §3.5: `attack on member`, `war with member`, `threat_to member`; promises have none.
fn default_obligation_when(kind: ast::ObligationKind, span: Span) -> Option<Condition> {
    match kind {
        ast::ObligationKind::Defend => Some(member_attack(span)),
        ast::ObligationKind::Join => Some(Condition::WarWith(Parties::Member, span)),
        ast::ObligationKind::Consult => Some(Condition::ThreatTo(Parties::Member, span)),
        ast::ObligationKind::Neutral | ast::ObligationKind::Nonaggression => None,
    }
}

/// §3.6: a commitment's default condition is about its target; an `attacks`
/// plan has none (it never fires, W0004).
fn default_commitment_when(kind: ast::CommitmentKind, span: Span) -> Option<Condition> {
    match kind {
        ast::CommitmentKind::Defends => Some(member_attack(span)),
        ast::CommitmentKind::Consults => Some(Condition::ThreatTo(Parties::Member, span)),
        _ => None,
    }
}

