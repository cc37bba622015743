//! Source text → AST. pest parses; `build` turns pairs into the AST; when a
//! file does not parse, each declaration is parsed on its own so that one
//! broken declaration yields one error and the others are still checked.

pub mod ast;
mod build;
mod comments;
mod errors;
mod grammar;
mod literal;
mod recover;

pub use errors::KEYWORDS;
pub use literal::{date, days_in_month};
pub use recover::MAX_NESTING;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use grammar::{DtrParser, Rule};
use pest::Parser;

/// The AST of one file and the syntax diagnostics found while reading it.
pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file. Never fails: what cannot be read is reported.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let chunks = recover::chunks(text);
    let nesting_ok = chunks.iter().all(|c| c.too_deep.is_none());
    if nesting_ok && let Ok(mut pairs) = DtrParser::parse(Rule::file, text) {
        let mut builder = build::Builder::new(file, 0, text);
        let items = pairs.next().map(|p| builder.file(p)).unwrap_or_default();
        return finish(file, items, builder.comments, builder.diagnostics);
    }
    // Messages name the tokens that were expected, which pest only records
    // when asked; it is switched on for good at the first error.
    pest::set_error_detail(true);
    let mut items = Vec::new();
    let mut comments = Vec::new();
    let mut diagnostics = Vec::new();
    for chunk in chunks {
        if let Some(at) = chunk.too_deep {
            diagnostics.push(too_deep(file, at, text.get(at..).is_some_and(|t| t.starts_with("/*"))));
            continue;
        }
        let piece = &text[chunk.start..chunk.end];
        match DtrParser::parse(Rule::file, piece) {
            Ok(mut pairs) => {
                let mut builder = build::Builder::new(file, chunk.start, piece);
                items.extend(pairs.next().map(|p| builder.file(p)).unwrap_or_default());
                comments.extend(builder.comments);
                diagnostics.extend(builder.diagnostics);
            }
            Err(e) => diagnostics.push(errors::syntax_error(&e, file, chunk.start, piece, text)),
        }
    }
    finish(file, items, comments, diagnostics)
}

fn finish(file: FileId, items: Vec<ast::Item>, mut comments: Vec<ast::Comment>, diagnostics: Vec<Diagnostic>) -> Parsed {
    comments.sort_by_key(|c| c.span.start);
    Parsed { file: ast::File { id: file, items, comments }, diagnostics }
}

fn too_deep(file: FileId, at: usize, comment: bool) -> Diagnostic {
    let what = if comment { "block comments" } else { "brackets" };
    Diagnostic::new(
        Code::E0019,
        format!("{what} nest more than {MAX_NESTING} deep"),
        Span::new(file, at, at + 1),
        "too deep here",
        )
        .with_help("this declaration is skipped; flatten the condition (`and`/`or` chains need no parentheses)")
}
