//! Go to definition, find references, document highlight and rename, all
//! read from the checker's table of definitions and uses.

use super::snapshot::Snapshot;
use dtr::check::references::Definition;
use dtr::source::{FileId, Span};
use dtr::vocabulary::DeclarationKind;
use std::collections::HashMap;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, Location, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

/// The definition named at `position`, with the span of the name there.
fn named_at(snapshot: &Snapshot, position: Position) -> Option<(usize, Span)> {
    let offset = snapshot.offset(position);
    let refs = &snapshot.checked.references;
    let def = refs.at(FileId(0), offset)?;
    let covers = |s: &Span| s.file == FileId(0) && s.start <= offset && offset <= s.end;
    let span = refs.definitions.get(def)?.span.filter(covers).or_else(|| refs.uses_of(def).find(covers))?;
    Some((def, span))
}

fn definition(snapshot: &Snapshot, def: usize) -> Option<&Definition> {
    snapshot.checked.references.definitions.get(def)
}

pub fn goto_definition(snapshot: &Snapshot, position: Position) -> Option<Location> {
    let (def, _) = named_at(snapshot, position)?;
    snapshot.location(definition(snapshot, def)?.span?)
}

pub fn references(snapshot: &Snapshot, position: Position, include_declaration: bool) -> Vec<Location> {
    let Some((def, _)) = named_at(snapshot, position) else { return Vec::new() };
    let declaration = definition(snapshot, def).and_then(|d| d.span).filter(|_| include_declaration);
    declaration
        .into_iter()
        .chain(snapshot.checked.references.uses_of(def))
        .filter_map(|s| snapshot.location(s))
        .collect()
}

/// Every occurrence in the document of the name under the cursor: the
/// declaration as a write, the uses as reads (in source order).
pub fn highlights(snapshot: &Snapshot, position: Position) -> Vec<DocumentHighlight> {
    let Some((def, _)) = named_at(snapshot, position) else { return Vec::new() };
    let here = |s: &Span| s.file == FileId(0);
    let declaration = definition(snapshot, def).and_then(|d| d.span).filter(here);
    let mut found: Vec<(Span, DocumentHighlightKind)> = declaration
        .map(|s| (s, DocumentHighlightKind::WRITE))
        .into_iter()
        .chain(snapshot.checked.references.uses_of(def).filter(here).map(|s| (s, DocumentHighlightKind::READ)))
        .collect();
    found.sort_by_key(|(s, _)| s.start);
    found.into_iter().map(|(s, kind)| DocumentHighlight { range: snapshot.range(s), kind: Some(kind) }).collect()
}

/// The name under the cursor, if it can be renamed (built-ins cannot).
pub fn prepare_rename(snapshot: &Snapshot, position: Position) -> Option<Range> {
    let (def, span) = named_at(snapshot, position)?;
    definition(snapshot, def)?.span?;
    Some(snapshot.range(span))
}

pub fn rename(snapshot: &Snapshot, position: Position, new_name: &str) -> Result<Option<WorkspaceEdit>> {
    let Some((def, _)) = named_at(snapshot, position) else { return Ok(None) };
    let Some(d) = definition(snapshot, def) else { return Ok(None) };
    let Some(declared) = d.span else {
        return Err(Error::invalid_params(format!(
            "`{}` is built in and cannot be renamed",
            d.name(&snapshot.checked.sources)
        )));
    };
    if !is_identifier(new_name) {
        return Err(Error::invalid_params(format!(
            "`{new_name}` is not a name: use letters, digits and `_`, not starting with a digit"
        )));
    }
    if dtr::vocabulary::is_keyword(new_name) {
        return Err(Error::invalid_params(format!("`{new_name}` is a keyword")));
    }
    let refs = &snapshot.checked.references;
    // Rungs have their own namespace; every other name shares the global one.
    let rung = d.kind == DeclarationKind::Rung;
    let sources = &snapshot.checked.sources;
    let name = d.name(sources);
    if let Some(other) = refs
        .definitions
        .iter()
        .find(|o| o.name(sources) == new_name && o.name(sources) != name && (o.kind == DeclarationKind::Rung) == rung)
    {
        return Err(Error::invalid_params(format!("`{new_name}` is already {}", other.kind.article())));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for span in std::iter::once(declared).chain(refs.uses_of(def)) {
        if let Some(uri) = snapshot.uri(span.file) {
            changes.entry(uri.clone()).or_default().push(TextEdit::new(snapshot.range(span), new_name.to_string()));
        }
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
