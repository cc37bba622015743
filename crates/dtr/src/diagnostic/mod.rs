//! One diagnostic type for every stage. A diagnostic is data — code, message,
//! labelled spans, help — built in one place per code ([`messages`]);
//! `render` shows it to people (miette), as one-line summaries, or as JSON.
//! Source text in a message goes through [`quote`].

pub mod ci;
mod codes;
pub mod fix;
pub mod messages;
mod quote;
pub mod render;

pub use codes::{Code, Severity};
pub use quote::{QUOTE_CHARS, escape, invisible, quote};

use crate::source::Span;
use serde::Serialize;

/// A machine-applicable repair: replace the text at `span` with
/// `replacement` (the "did you mean" of a misspelt name). Editors offer it
/// as a quick fix; JSON carries it for other tools.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// A span with a short text saying what is there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Other places that matter (the first definition of a duplicate, …).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The code's severity, or an error for a warning that the project
    /// denies (`[lints]` in dtr.toml: [`Diagnostic::deny`]). The renderers
    /// write it; the code alone says the default.
    #[serde(skip)]
    severity: Severity,
}

impl Diagnostic {
    /// Only [`messages`] words diagnostics; the stages call its constructors.
    pub(crate) fn new(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            primary: Label { span, message: label.into() },
            secondary: Vec::new(),
            help: None,
            fix: None,
            severity: code.severity(),
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Offers replacing `span` with `replacement`.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Fix { span, replacement: replacement.into() });
        self
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Makes the diagnostic an error, for a warning the project denies.
    pub fn deny(mut self) -> Diagnostic {
        self.severity = Severity::Error;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Sorts diagnostics by file and position, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.file, a.primary.span.start, a.code).cmp(&(b.primary.span.file, b.primary.span.start, b.code))
    });
}
