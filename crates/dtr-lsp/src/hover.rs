//! Hover: what a name stands for (its doc comment, an actor's capabilities,
//! an obligation or commitment in plain words), and what the model computed
//! for an `expect`.

use super::snapshot::Snapshot;
use dtr::analysis::expectations::percent;
use dtr::check::program::{self, Program, Terms};
use dtr::check::references::Definition;
use dtr::source::{FileId, Span};
use dtr::syntax::ast::{self, CommitmentKind, ItemKind, ObligationKind};
use dtr::vocabulary::{ActorId, DeclarationKind};
use std::fmt::Write;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(snapshot: &Snapshot, position: Position) -> Option<Hover> {
    let offset = snapshot.offset(position);
    let refs = &snapshot.checked.references;
    let (text, span) = if let Some(def) = refs.at(FileId(0), offset) {
        let d = refs.definitions.get(def)?;
        let span = d.span.filter(|s| s.file == FileId(0) && s.start <= offset && offset <= s.end);
        let span =
            span.or_else(|| refs.uses_of(def).find(|s| s.file == FileId(0) && s.start <= offset && offset <= s.end));
        (definition(snapshot, d), span)
    } else if let Some((alliance, obligation)) = obligation_at(snapshot, offset) {
        (describe_obligation(snapshot, alliance, obligation), Some(obligation.name.span))
    } else {
        let item =
            snapshot.checked.files.first()?.items.iter().find(|i| i.span.start <= offset && offset <= i.span.end)?;
        match &item.kind {
            ItemKind::Expect(_) => (expectation(snapshot, item.span), Some(item.span)),
            _ => return None,
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
        range: span.map(|s| snapshot.range(s)),
    })
}

fn definition(snapshot: &Snapshot, d: &Definition) -> String {
    let program = &snapshot.checked.program;
    let name = d.name(&snapshot.checked.sources);
    let mut out = format!("```dtr\n{} {}\n```\n", d.kind.word(), name);
    let doc = d.span.and_then(|s| doc(snapshot, s));
    let i = d.index as usize;
    let mut label = |label: Option<&str>| {
        if let Some(l) = label {
            let _ = writeln!(out, "**{l}**\n");
        }
    };
    match d.kind {
        DeclarationKind::Actor => label(program.actors.get(i).and_then(|a| a.label())),
        DeclarationKind::Alliance => label(program.alliances.get(i).and_then(|a| a.label.as_deref())),
        DeclarationKind::Domain => label(program.domains.get(i).and_then(|a| a.label.as_deref())),
        DeclarationKind::Region => label(program.regions.get(i).and_then(|a| a.label.as_deref())),
        DeclarationKind::Scenario => label(program.scenarios.get(i).and_then(|a| a.label.as_deref())),
        DeclarationKind::Commitment | DeclarationKind::Rung => {}
    }
    if let Some(doc) = doc {
        let _ = writeln!(out, "{}\n", doc.trim());
    }
    let details = match d.kind {
        DeclarationKind::Actor => program.actors.get(i).map(|a| actor(program, a)),
        DeclarationKind::Alliance => program.alliances.get(i).map(|a| alliance(snapshot, a)),
        DeclarationKind::Commitment => {
            program.commitments.iter().find(|c| *c.name == *name).map(|c| commitment(snapshot, c))
        }
        DeclarationKind::Domain => d.span.is_none().then(|| "A built-in domain.".to_string()),
        DeclarationKind::Region => {
            program.regions.get(i).map(|r| region(program, dtr::vocabulary::RegionId(i as u32), r))
        }
        DeclarationKind::Rung => Some(rung(program, i)),
        DeclarationKind::Scenario => Some(scenario(snapshot, i)),
    };
    if let Some(details) = details {
        out.push_str(&details);
    }
    out.trim_end().to_string()
}

/// The declaration whose name is at `name`.
fn declaration(snapshot: &Snapshot, name: Span) -> Option<&ast::Item> {
    let file = snapshot.checked.files.get(name.file.0 as usize)?;
    file.items.iter().find(|i| i.span.start <= name.start && name.end <= i.span.end)
}

/// The doc comment of the declaration whose name is at `name`.
fn doc(snapshot: &Snapshot, name: Span) -> Option<&str> {
    let file = snapshot.checked.files.get(name.file.0 as usize)?;
    file.doc(declaration(snapshot, name)?)
}

fn names(program: &Program, actors: &[ActorId]) -> String {
    actors
        .iter()
        .filter_map(|a| program.actors.get(a.index()))
        .map(|a| format!("`{}`", a.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn actor(program: &Program, a: &program::Actor) -> String {
    let mut out = String::new();
    if let Some(r) = a.region.and_then(|r| program.regions.get(r.index())) {
        let _ = writeln!(out, "Region: `{}`  ", r.name);
    }
    let caps: Vec<String> = program
        .domains
        .iter()
        .zip(a.capability())
        .filter(|(_, c)| **c > 0.0)
        .map(|(d, c)| format!("| {} | {} |", d.name, number(*c)))
        .collect();
    let _ = writeln!(out, "Resolve: {}\n", percent(a.resolve()));
    if caps.is_empty() {
        out.push_str("No capability in any domain.\n");
    } else {
        let _ = writeln!(out, "| domain | capability |\n|---|---|\n{}", caps.join("\n"));
    }
    out
}

fn alliance(snapshot: &Snapshot, a: &program::Alliance) -> String {
    let program = &snapshot.checked.program;
    let mut out = format!("Members: {}\n", names(program, &a.members));
    let Some(ItemKind::Alliance(written)) = declaration(snapshot, a.span).map(|i| &i.kind) else { return out };
    for f in &written.items {
        let ast::AllianceField::Obligation(o) = &f.value else { continue };
        if let Some(resolved) = a.obligations.iter().find(|r| r.span == o.name.span) {
            let _ = write!(
                out,
                "\n- `{}`: {}",
                o.name.name(&snapshot.checked.sources),
                obligation_words(snapshot, o, &resolved.terms, &a.name)
            );
        }
    }
    out
}

/// The most regions a hover names in one list; a long chain of containment
/// is cut with a count.
const LISTED_REGIONS: usize = 20;

fn region(program: &Program, id: dtr::vocabulary::RegionId, r: &program::Region) -> String {
    let mut out = String::new();
    let list = |ids: &[dtr::vocabulary::RegionId]| {
        let mut names: Vec<String> = ids
            .iter()
            .take(LISTED_REGIONS)
            .filter_map(|i| program.regions.get(i.index()))
            .map(|r| format!("`{}`", r.name))
            .collect();
        if ids.len() > LISTED_REGIONS {
            names.push(format!("and {} more", ids.len() - LISTED_REGIONS));
        }
        names.join(", ")
    };
    if !r.contains.is_empty() {
        let _ = writeln!(out, "Contains {}.", list(&r.contains));
    }
    let outer: Vec<_> = program
        .regions_around(id)
        .into_iter()
        .filter(|w| program.regions.get(w.index()).is_some_and(|o| o.name != r.name))
        .collect();
    if !outer.is_empty() {
        let _ = writeln!(out, "Lies within {}.", list(&outer));
    }
    out
}

fn rung(program: &Program, i: usize) -> String {
    let ladder: Vec<String> = program
        .settings
        .ladder
        .iter()
        .enumerate()
        .map(|(j, r)| if j == i { format!("**{}**", r.name) } else { r.name.clone() })
        .collect();
    format!("Rung {} of {}: {}", i + 1, ladder.len(), ladder.join(" < "))
}

fn scenario(snapshot: &Snapshot, i: usize) -> String {
    let Some(overview) = snapshot.overview() else { return "Not analysed: the file has errors.".to_string() };
    let Some((_, escalation)) = overview.scenarios.iter().find(|(id, _)| id.index() == i) else { return String::new() };
    let program = &snapshot.checked.program;
    let top = escalation.top_rung.map_or("none".to_string(), |r| format!("`{}`", program.rung_name(r)));
    format!("All commitments honoured: {} enter; top rung {top}.", names(program, &escalation.entrants))
}

fn commitment(snapshot: &Snapshot, c: &program::Commitment) -> String {
    let program = &snapshot.checked.program;
    let actor = program.actors.get(c.actor.index()).map_or("?", |a| &*a.name);
    let target = match c.target {
        program::Target::Actor(t) => program.actors.get(t.index()).map_or("?".to_string(), |a| format!("`{}`", a.name)),
        program::Target::Alliance(a) => {
            program.alliances.get(a.index()).map_or("?".to_string(), |a| format!("each member of `{}`", a.name))
        }
    };
    let verb = match c.kind {
        CommitmentKind::Defends => format!("comes to the defence of {target}"),
        CommitmentKind::Attacks => format!("attacks {target}"),
        CommitmentKind::Consults => format!("consults with {target}"),
        CommitmentKind::Neutral => format!("stays out of any war against {target}"),
        CommitmentKind::Nonaggression => format!("does not attack {target}"),
    };
    let mut out = format!("`{actor}` {verb}");
    out.push_str(&terms_words(snapshot, &c.terms, condition_text(snapshot, c.span)));
    out
}

/// The plain-words reading of an obligation's kind and terms.
fn obligation_words(snapshot: &Snapshot, o: &ast::Obligation, terms: &Terms, alliance: &str) -> String {
    let verb = match o.kind {
        ObligationKind::Defend => format!("each member of `{alliance}` comes to the defence of another member"),
        ObligationKind::Join => format!("each member of `{alliance}` joins a war another member is in"),
        ObligationKind::Consult => format!("each member of `{alliance}` consults with another member"),
        ObligationKind::Neutral => format!("each member of `{alliance}` stays out of wars against the others"),
        ObligationKind::Nonaggression => format!("no member of `{alliance}` attacks another"),
    };
    let when = o.terms.as_deref().and_then(|t| when_text(snapshot, t));
    verb + &terms_words(snapshot, terms, when)
}

fn terms_words(snapshot: &Snapshot, terms: &Terms, when: Option<String>) -> String {
    let program = &snapshot.checked.program;
    let mut out = String::new();
    if let Some(when) = when {
        let _ = write!(out, " when `{when}`");
    }
    if let Some(domains) = terms.domains() {
        let list: Vec<String> =
            domains.iter().filter_map(|d| program.domains.get(d.index())).map(|d| d.name.clone()).collect();
        let _ = write!(out, ", in {}", list.join(", "));
    }
    if let Some(r) = terms.response {
        let _ = write!(out, ", at `{}` or above", program.rung_name(r));
    }
    let _ = write!(out, "; credibility {}", percent(terms.credibility));
    let except: Vec<String> = terms
        .except()
        .iter()
        .filter_map(|(a, p)| program.actors.get(a.index()).map(|a| format!("`{}` {}", a.name, percent(*p))))
        .collect();
    if !except.is_empty() {
        let _ = write!(out, " ({})", except.join(", "));
    }
    out.push('.');
    out
}

/// The `when` condition as written in the declaration whose name is at `name`.
fn condition_text(snapshot: &Snapshot, name: Span) -> Option<String> {
    let item = declaration(snapshot, name)?;
    let terms = match &item.kind {
        ItemKind::Commitment(c) => c.terms.as_deref()?,
        _ => return None,
    };
    when_text(snapshot, terms)
}

fn when_text(snapshot: &Snapshot, terms: &[ast::Field<ast::Term>]) -> Option<String> {
    terms.iter().find_map(|f| match &f.value {
        ast::Term::When(c) => {
            Some(snapshot.checked.sources.slice(c.span()).split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ => None,
    })
}

/// The obligation whose name is at `offset`, with its alliance.
fn obligation_at(snapshot: &Snapshot, offset: u32) -> Option<(&ast::Alliance, &ast::Obligation)> {
    let file = snapshot.checked.files.first()?;
    file.items.iter().find_map(|item| match &item.kind {
        ItemKind::Alliance(a) => a.items.iter().find_map(|f| match &f.value {
            ast::AllianceField::Obligation(o) if o.name.span.start <= offset && offset <= o.name.span.end => {
                Some((&**a, o))
            }
            _ => None,
        }),
        _ => None,
    })
}

fn describe_obligation(snapshot: &Snapshot, alliance: &ast::Alliance, o: &ast::Obligation) -> String {
    let program = &snapshot.checked.program;
    let mut out = format!("```dtr\nobligation {} {}\n```\n", o.name.name(&snapshot.checked.sources), o.kind.keyword());
    if let Some(doc) = &o.doc {
        let _ = writeln!(out, "{}\n", doc.trim());
    }
    let resolved = program
        .alliances
        .iter()
        .find(|a| a.span == alliance.name.span)
        .and_then(|a| a.obligations.iter().find(|ob| ob.span == o.name.span));
    match resolved {
        Some(ob) => {
            out.push_str(&obligation_words(snapshot, o, &ob.terms, alliance.name.name(&snapshot.checked.sources)))
        }
        None => out.push_str("Not resolved: see the errors in this alliance."),
    }
    out
}

fn expectation(snapshot: &Snapshot, span: Span) -> String {
    let Some(live) = snapshot.live() else { return "Not evaluated: the file has errors.".to_string() };
    match live.analysis.expectations.iter().find(|e| e.span == span) {
        Some(e) if e.passed => format!("**holds**: {}", e.computed),
        Some(e) => format!("**fails**: {}", e.computed),
        None => "Not evaluated.".to_string(),
    }
}

/// `12.0` → `12`, `1.5` → `1.5`.
fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
