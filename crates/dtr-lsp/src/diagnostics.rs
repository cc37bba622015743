//! Library diagnostics → LSP diagnostics, grouped by the file they are in.

use super::snapshot::Snapshot;
use dtr::diagnostic::{self, Severity};
use dtr::source::FileId;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, NumberOrString,
};

/// The diagnostics of each file of the compilation, every file listed (an
/// empty list clears what was shown before).
pub fn by_file(snapshot: &Snapshot) -> Vec<(FileId, Vec<Diagnostic>)> {
    let mut out: Vec<(FileId, Vec<Diagnostic>)> = snapshot.files().map(|(f, _)| (f, Vec::new())).collect();
    for d in &snapshot.checked.diagnostics {
        if let Some((_, list)) = out.iter_mut().find(|(f, _)| *f == d.primary.span.file) {
            list.push(convert(snapshot, d));
        }
    }
    if let (Some(message), Some((_, list))) = (&snapshot.project_error, out.iter_mut().find(|(f, _)| *f == FileId(0))) {
        list.insert(0, project_error(message));
    }
    out
}

/// The mistakes of the document's dtr.toml, on its first line: its lint
/// levels are not applied until they are mended (`dtr check` refuses to
/// run at all).
fn project_error(message: &str) -> Diagnostic {
    Diagnostic {
        range: Default::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("dtr.toml".to_string()),
        message: format!("the project file has mistakes; its lint levels are not applied:\n{message}"),
        ..Default::default()
    }
}

pub fn convert(snapshot: &Snapshot, d: &diagnostic::Diagnostic) -> Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation { location: snapshot.location(l.span)?, message: l.message.clone() })
        })
        .collect();
    Diagnostic {
        range: snapshot.range(d.primary.span),
        severity: Some(match d.severity() {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("dtr".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // Unused declarations are greyed out.
        tags: (d.code == diagnostic::Code::W0001).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: d
            .fix
            .as_ref()
            .map(|f| serde_json::json!({ "fix": { "replacement": f.replacement, "range": snapshot.range(f.span) } })),
    }
}
