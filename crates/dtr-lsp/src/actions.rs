//! Quick fixes: a diagnostic that carries a fix (the "did you mean" of a
//! misspelt name) becomes a code action that applies it. Which fixes and
//! their titles come from `dtr::diagnostic::fix`, which `dtr check --fix`
//! applies too.

use super::diagnostics;
use super::snapshot::Snapshot;
use dtr::diagnostic::fix;
use dtr::source::FileId;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

pub fn quick_fixes(snapshot: &Snapshot, range: Range) -> Vec<CodeActionOrCommand> {
    let in_buffer = fix::in_file(&snapshot.checked.diagnostics, FileId(0));
    snapshot
        .checked
        .diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref().filter(|f| in_buffer.contains(f))?;
            let at = snapshot.range(fix.span);
            if at.end < range.start || range.end < at.start {
                return None;
            }
            let edit = TextEdit::new(at, fix.replacement.clone());
            let changes = HashMap::from([(snapshot.uri.clone(), vec![edit])]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix::title(fix, &snapshot.checked.sources),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostics::convert(snapshot, d)]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}
