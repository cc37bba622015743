//! Inlay hints: at the end of each `expect` line, what the model computed
//! for it (the probability, the gap ratio) and whether it holds, from the
//! same live analysis as the code lenses (`Snapshot::live`, under the
//! analysis's own work budget). None for a compilation with errors.

use super::position::Positions;
use super::snapshot::Snapshot;
use dtr::source::FileId;
use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, Range};

pub fn inlay_hints(snapshot: &Snapshot, range: Range) -> Vec<InlayHint> {
    let Some(live) = snapshot.live() else { return Vec::new() };
    let text = snapshot.text(FileId(0));
    let lines = snapshot.checked.sources.lines(FileId(0));
    live.analysis
        .expectations
        .iter()
        .filter(|e| e.span.file == FileId(0))
        .filter_map(|e| {
            // The line of the expectation's last character.
            let line = lines.line(e.span.end.saturating_sub(1).max(e.span.start) as usize);
            if (line as u32) < range.start.line || (line as u32) > range.end.line {
                return None;
            }
            // After the last character of the line, a comment included.
            let position = lines.position(text, lines.content(text, line).end);
            let verdict = if e.passed { "holds" } else { "fails" };
            Some(InlayHint {
                position,
                label: InlayHintLabel::String(format!("{verdict}: {}", e.computed)),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}
