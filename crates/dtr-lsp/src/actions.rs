//! Quick fixes: a diagnostic that carries a fix (the "did you mean" of a
//! misspelt name) becomes a code action that applies it.

use super::diagnostics;
use super::snapshot::Snapshot;
use dtr::source::FileId;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

pub fn quick_fixes(snapshot: &Snapshot, range: Range) -> Vec<CodeActionOrCommand> {
    snapshot
        .checked
        .diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let at = snapshot.range(fix.span);
            if fix.span.file != FileId(0) || at.end < range.start || range.end < at.start {
                return None;
            }
            let edit = TextEdit::new(at, fix.replacement.clone());
            let changes = HashMap::from([(snapshot.uri.clone(), vec![edit])]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace `{}` with `{}`", snapshot.checked.sources.slice(fix.span), fix.replacement),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostics::convert(snapshot, d)]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}
