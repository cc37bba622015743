//! The outline of a document, symbols across open documents, and folding.

use super::snapshot::Snapshot;
use dtr::source::Span;
use dtr::syntax::ast::{self, CommentKind, ItemKind};
use dtr::vocabulary::DeclarationKind;
use tower_lsp_server::ls_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, Location, SymbolInformation, SymbolKind,
};

pub fn symbol_kind(kind: DeclarationKind) -> SymbolKind {
    match kind {
        DeclarationKind::Actor => SymbolKind::CLASS,
        DeclarationKind::Alliance => SymbolKind::NAMESPACE,
        DeclarationKind::Commitment => SymbolKind::INTERFACE,
        DeclarationKind::Domain => SymbolKind::ENUM,
        DeclarationKind::Region => SymbolKind::PACKAGE,
        DeclarationKind::Scenario => SymbolKind::EVENT,
        DeclarationKind::Rung => SymbolKind::ENUM_MEMBER,
    }
}

/// One symbol per declaration of the document, obligations inside their alliance.
pub fn document_symbols(snapshot: &Snapshot) -> Vec<DocumentSymbol> {
    let Some(file) = snapshot.checked.files.first() else { return Vec::new() };
    file.items.iter().map(|item| item_symbol(snapshot, item)).collect()
}

fn item_symbol(snapshot: &Snapshot, item: &ast::Item) -> DocumentSymbol {
    let source = |span: Span| snapshot.checked.sources.slice(span).to_string();
    let label = |l: Option<&ast::Str>| l.map(|l| l.value.clone());
    let (name, detail, kind, selection, children) = match &item.kind {
        ItemKind::Import(s) => (format!("import {}", source(s.span)), None, SymbolKind::FILE, s.span, Vec::new()),
        ItemKind::Settings(_) => ("settings".to_string(), None, SymbolKind::OBJECT, item.span, Vec::new()),
        ItemKind::Domain(d) => {
            (source(d.name.span), label(d.label.as_ref()), SymbolKind::ENUM, d.name.span, Vec::new())
        }
        ItemKind::Region(r) => {
            (source(r.name.span), label(r.label.as_ref()), SymbolKind::PACKAGE, r.name.span, Vec::new())
        }
        ItemKind::Actor(a) => (source(a.name.span), label(a.label()), SymbolKind::CLASS, a.name.span, Vec::new()),
        ItemKind::Alliance(a) => {
            let obligations = a
                .items
                .iter()
                .filter_map(|f| match &f.value {
                    ast::AllianceField::Obligation(o) => Some(symbol(
                        snapshot,
                        source(o.name.span),
                        Some(o.kind.keyword().to_string()),
                        SymbolKind::METHOD,
                        f.span,
                        o.name.span,
                        Vec::new(),
                    )),
                    _ => None,
                })
                .collect();
            (source(a.name.span), label(a.label.as_ref()), SymbolKind::NAMESPACE, a.name.span, obligations)
        }
        ItemKind::Commitment(c) => {
            let what = format!("{} {} {}", source(c.actor.span), c.kind.keyword(), source(c.target.span));
            (source(c.name.span), Some(what), SymbolKind::INTERFACE, c.name.span, Vec::new())
        }
        ItemKind::Threat(t) => {
            let name = format!("threat {} -> {}", source(t.aggressor.span), source(t.targets.span));
            (name, None, SymbolKind::EVENT, t.aggressor.span, Vec::new())
        }
        ItemKind::Scenario(s) => {
            (source(s.name.span), label(s.label.as_ref()), SymbolKind::EVENT, s.name.span, Vec::new())
        }
        ItemKind::Expect(_) => (one_line(&source(item.span)), None, SymbolKind::BOOLEAN, item.span, Vec::new()),
    };
    symbol(snapshot, name, detail, kind, item.span, selection, children)
}

fn symbol(
    snapshot: &Snapshot,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a required field of the protocol type
    DocumentSymbol {
        // Editors reject empty names; a name lost to a syntax error shows as `_`.
        name: if name.trim().is_empty() { "_".to_string() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: snapshot.range(span),
        selection_range: snapshot.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Declared names (not built-ins) of the compilations of the given
/// snapshots whose name contains `query` (case-insensitive), each once.
pub fn workspace_symbols<'a>(snapshots: impl Iterator<Item = &'a Snapshot>, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for snapshot in snapshots {
        for d in &snapshot.checked.references.definitions {
            let Some(span) = d.span else { continue };
            let Some(location) = snapshot.location(span) else { continue };
            let name = d.name(&snapshot.checked.sources);
            if !name.to_lowercase().contains(&query) || !seen.insert((location.uri.clone(), span.start, span.end)) {
                continue;
            }
            #[allow(deprecated)] // `deprecated` is a required field of the protocol type
            out.push(SymbolInformation {
                name: name.to_string(),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                location: Location { uri: location.uri, range: location.range },
                container_name: Some(d.kind.word().to_string()),
            });
        }
    }
    out
}

/// Declarations, obligations and comment blocks that span several lines.
pub fn folding_ranges(snapshot: &Snapshot) -> Vec<FoldingRange> {
    let Some(file) = snapshot.checked.files.first() else { return Vec::new() };
    let mut out = Vec::new();
    let mut fold = |span: Span, kind: Option<FoldingRangeKind>| {
        let range = snapshot.range(span);
        if range.end.line > range.start.line {
            out.push(FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind,
                collapsed_text: None,
            });
        }
    };
    for item in &file.items {
        fold(item.span, None);
        if let ItemKind::Alliance(a) = &item.kind {
            for f in &a.items {
                if matches!(f.value, ast::AllianceField::Obligation(_)) {
                    fold(f.span, None);
                }
            }
        }
    }
    // Runs of line comments on consecutive lines fold as one.
    let mut run: Option<(Span, u32)> = None;
    for c in &file.comments {
        let line = snapshot.range(c.span).start.line;
        if c.kind == CommentKind::Block {
            fold(c.span, Some(FoldingRangeKind::Comment));
            continue;
        }
        run = match run {
            Some((span, last)) if line == last + 1 => Some((span.to(c.span), line)),
            Some((span, _)) => {
                fold(span, Some(FoldingRangeKind::Comment));
                Some((c.span, line))
            }
            None => Some((c.span, line)),
        };
    }
    if let Some((span, _)) = run {
        fold(span, Some(FoldingRangeKind::Comment));
    }
    out
}
