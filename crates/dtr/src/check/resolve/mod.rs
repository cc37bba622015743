//! Names → ids, values → validated numbers, defaults applied: the AST of a
//! whole compilation becomes a [`Program`]. Every error of §7 that concerns
//! one declaration is found here; lints that look across declarations are in
//! `lints`. This module resolves names and walks the declarations;
//! `declarations` resolves each kind, `values` and `conditions` their parts.

mod conditions;
mod declarations;
mod values;

use super::program::*;
use super::references::{Definition, References, Used};
use super::suggest;
use super::symbols::Symbols;
use super::{Diagnostics, MAX_DIAGNOSTICS};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, Duplicate, Unknown};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast;
use crate::vocabulary::{
    ActorId, AllianceId, BUILTIN_DOMAINS, CommitmentId, DEFAULT_LADDER, DeclarationKind, DomainId, RegionId, RungId,
};
use std::collections::HashMap;
use std::ops::Range;

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
    /// Unknown actors with no close name, reported once every actor's
    /// label is known (at most [`MAX_DIAGNOSTICS`] held; past that,
    /// reported at once).
    unknown_actors: Vec<Span>,
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
            unknown_actors: Vec::new(),
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
            let first = self.references.first_span(prev.kind, prev.index);
            let duplicate = Duplicate::Name { name: self.name(name), kind, first_kind: prev.kind, first };
            self.push(messages::e0004(duplicate, name.span));
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
                let defined = self.references.first_span(sym.kind, sym.index);
                let suggestion = self.suggest(self.name(name), kinds);
                self.push(messages::e0003(self.name(name), sym.kind, kinds, defined, suggestion.as_deref(), name.span));
                None
            }
            None => {
                let suggestion = self.suggest(self.name(name), kinds);
                if suggestion.is_none()
                    && kinds == [DeclarationKind::Actor]
                    && self.unknown_actors.len() < MAX_DIAGNOSTICS
                {
                    self.unknown_actors.push(name.span);
                    return None;
                }
                let unknown = Unknown::Name { name: self.name(name), kinds, suggestion: suggestion.as_deref() };
                self.push(messages::e0002(unknown, name.span));
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
        let suggestion = suggest::closest(self.name(name), ladder.iter().copied());
        self.push(messages::e0012(self.name(name), &ladder, suggestion, name.span));
        None
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
        let mut declared = Declared {
            settings: Vec::new(),
            domains: Vec::new(),
            regions: Vec::new(),
            alliances: Vec::new(),
            actors: 0,
            commitments: 0,
        };
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
        self.unknown_actors(&program);
        program
    }

    /// Reports the unknown actors held back by `lookup`: one written as an
    /// actor's label (`Russia`, or `united_states` for "United States"), as
    /// a user of an imported catalogue whose names are COW codes may, is
    /// told that actor's name.
    fn unknown_actors(&mut self, program: &Program) {
        if self.unknown_actors.is_empty() {
            return;
        }
        let key =
            |text: &str| text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        // A label two actors share names neither.
        let mut labelled: HashMap<String, Option<(&str, &str)>> = HashMap::new();
        for actor in &program.actors {
            if let Some(label) = actor.label() {
                labelled.entry(key(label)).and_modify(|a| *a = None).or_insert(Some((&actor.name, label)));
            }
        }
        for span in std::mem::take(&mut self.unknown_actors) {
            let name = self.sources.slice(span);
            let unknown = match labelled.get(&key(name)).copied().flatten() {
                Some((actor, label)) => Unknown::Label { name, actor, label },
                None => Unknown::Name { name, kinds: &[DeclarationKind::Actor], suggestion: None },
            };
            self.push(messages::e0002(unknown, span));
        }
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
            ast::ItemKind::Import(_)
            | ast::ItemKind::Settings(_)
            | ast::ItemKind::Domain(_)
            | ast::ItemKind::Region(_) => {}
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
