//! `dtr fmt`: one canonical layout for every construct (docs/fmt.md).
//!
//! [`format`] parses, prints the AST through a small document algebra
//! ([`doc`]) with the comments put back between the tokens they were found
//! between ([`comments`]), and checks that the result means the same
//! program ([`verify`]) before handing it out. The CLI and the language
//! server both call it.

mod comments;
mod doc;
mod print;
mod verify;

use crate::diagnostic::{Diagnostic, messages};
use crate::source::{FileId, Span};
use crate::syntax;

/// The JSON of an AST node or model with every span replaced by `null`:
/// what "the same program" compares.
pub use verify::without_spans;

/// The widest a line may be before a list or condition breaks.
pub const WIDTH: usize = 100;
/// Spaces per level of indentation.
pub const INDENT: usize = 2;

/// The formatted text of a `.dtr` file, or the syntax errors that keep it
/// from being formatted (spans point into `text`, as file 0).
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = syntax::parse(FileId(0), text);
    if !parsed.diagnostics.is_empty() {
        return Err(parsed.diagnostics);
    }
    let formatted = print::file(text, &parsed.file).map(|doc| doc::render(&doc, WIDTH, INDENT));
    match formatted {
        Some(out) => match verify::same_program(&parsed.file, text, &out) {
            Ok(()) => Ok(out),
            Err(at) => Err(vec![messages::e0040(at)]),
        },
        None => Err(vec![messages::e0040(Span::new(FileId(0), 0, 0))]),
    }
}
