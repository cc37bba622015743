//! DTR: a declarative language for deterrence scenarios and its compiler.
//!
//! The pipeline runs one way: [`syntax`] (source → AST) → [`check`] (names,
//! kinds, lints → checked program) → [`model`] → [`analysis`] → [`report`].
//! The `dtr` binary, the language server and the tests all call these
//! functions; the most used are re-exported here. docs/architecture.md
//! says what is public and why.

pub mod analysis;
pub mod check;
pub mod diagnostic;
pub mod fmt;
pub mod model;
pub mod project;
pub mod report;
pub mod source;
pub mod syntax;
pub mod vocabulary;

pub use analysis::{Analysis, analyze};
pub use check::{Checked, check_path, check_source, check_with};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::{Model, compile};
pub use source::{FileId, SourceMap, Span};

/// Not part of the API: the evaluation's machinery, for the project's own
/// tests, benches and fuzz targets, which compare the cascade with a
/// reference reading of §5 and time it. It changes without notice.
#[doc(hidden)]
pub mod internals {
    pub use crate::analysis::cascade::horizon::Entry;
    pub use crate::analysis::condition::{Scene, matches};
    pub use crate::analysis::escalation::{Reach, escalate, reach};
    pub use crate::analysis::event::War;
    pub use crate::analysis::probability::monte_carlo::sample_n;
}
