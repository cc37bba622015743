//! Source text → AST. pest parses; `build` turns pairs into the AST; when a
//! file does not parse, each declaration is parsed on its own so that one
//! broken declaration yields one error and the others are still checked.

pub mod ast;
mod build;
mod comments;
mod errors;
mod grammar;
pub mod incremental;
pub mod literal;
mod recover;
mod shift;

pub use comments::block_reach;
pub use literal::{NotADate, date, days_in_month, number, probability};
pub use recover::MAX_NESTING;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, TooDeep};
use crate::source::{FileId, Span};
use grammar::{DtrParser, Rule};
use pest::Parser;
use std::collections::HashMap;
use std::ops::Range;

/// The AST of one file and the syntax diagnostics found while reading it.
pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Declarations are parsed in batches of about this many bytes: pest's
/// token queue costs some twenty times the text it covers, so parsing a
/// large file whole would hold hundreds of megabytes at once.
const BATCH_BYTES: usize = 64 * 1024;

/// A file smaller than two batches is cut in two halves (so that both
/// cores parse it), but no batch is smaller than this: below it, a second
/// thread costs more than it saves.
const MIN_BATCH_BYTES: usize = 16 * 1024;

/// Parses one file. Never fails: what cannot be read is reported.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let chunks = recover::chunks(text);
    if chunks.iter().all(|c| c.too_deep.is_none())
        && let Some(parsed) = parse_in_batches(file, text, &chunks)
    {
        return parsed;
    }
    parse_recovering(file, text, &chunks)
}

/// A text that parses, parsed in batches of whole declarations, two at a
/// time on two threads, each batch's tokens dropped once its AST is built
/// (so at most two batches' tokens are held). The AST is the one of parsing
/// the text whole: the text splits at line starts outside comments and
/// strings, and a doc comment above a batch's first declaration is looked
/// for in the batch before. None when a batch does not parse.
fn parse_in_batches(file: FileId, text: &str, chunks: &[recover::Chunk]) -> Option<Parsed> {
    let batches = batches(text, chunks);
    let parse = |i: usize| {
        let previous = i.checked_sub(1).and_then(|p| batches.get(p)).cloned();
        parse_batch(file, text, batches[i].clone(), previous)
    };
    let mut whole = Batch {
        items: Vec::with_capacity(chunks.len()),
        comments: Vec::new(),
        docs: Vec::new(),
        diagnostics: Vec::new(),
    };
    for first in (0..batches.len()).step_by(2) {
        let second = first + 1;
        let (a, b) =
            if second < batches.len() { beside(|| parse(first), || Some(parse(second))) } else { (parse(first), None) };
        whole.append(a?);
        if let Some(b) = b {
            whole.append(b?);
        }
    }
    Some(finish(file, whole.items, whole.comments, whole.docs, whole.diagnostics))
}

/// `a()` on this thread and `b()` on another, side by side. A scoped
/// thread, not rayon's pool: starting the pool (and its idle workers'
/// spinning) cost more than a small file's parse. Its stack is the main
/// thread's 8 MiB: pest recurses once per level of nesting (at most
/// MAX_NESTING), deeper in debug builds. When no thread can be started,
/// `b()` runs here after `a()`.
fn beside<A, B: Send>(a: impl FnOnce() -> A, b: impl Fn() -> B + Sync) -> (A, B) {
    std::thread::scope(|scope| match std::thread::Builder::new().stack_size(8 << 20).spawn_scoped(scope, &b) {
        Ok(second) => {
            let a = a();
            (a, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        }
        Err(_) => (a(), b()),
    })
}

/// The byte ranges of the batches: runs of whole chunks (a chunk holds one
/// declaration, except before the first) of about [`BATCH_BYTES`], or
/// halves of a smaller file.
fn batches(text: &str, chunks: &[recover::Chunk]) -> Vec<Range<usize>> {
    let size = BATCH_BYTES.min(text.len().div_ceil(2)).max(MIN_BATCH_BYTES);
    let mut out = Vec::new();
    let mut start = 0;
    let mut ends = chunks.iter().map(|c| c.end);
    loop {
        let end = ends.find(|&end| end >= start + size).unwrap_or(text.len());
        out.push(start..end);
        if end >= text.len() {
            return out;
        }
        start = end;
    }
}

/// What one batch adds to the file.
struct Batch {
    items: Vec<ast::Item>,
    comments: Vec<ast::Comment>,
    docs: Vec<ast::DocComment>,
    diagnostics: Vec<Diagnostic>,
}

impl Batch {
    fn append(&mut self, mut other: Batch) {
        self.items.append(&mut other.items);
        self.comments.append(&mut other.comments);
        self.docs.append(&mut other.docs);
        self.diagnostics.append(&mut other.diagnostics);
    }
}

/// `text[piece]` parsed; doc comments are looked for in it and in
/// `text[previous]`.
fn parse_batch(file: FileId, text: &str, piece: Range<usize>, previous: Option<Range<usize>>) -> Option<Batch> {
    let mut pairs = DtrParser::parse(Rule::file, &text[piece.clone()]).ok()?;
    let doc_ends = previous.map(|p| build::doc_ends(text, p)).unwrap_or_default();
    let mut builder = build::Builder::new(file, text, piece, 0, doc_ends);
    let items = pairs.next().map(|p| builder.file(p)).unwrap_or_default();
    Some(Batch { items, comments: builder.comments, docs: builder.docs, diagnostics: builder.diagnostics })
}

/// A text that does not parse in batches: whole if it can (a batch may
/// have split a declaration that the pre-pass split), else each
/// declaration alone, so that one broken declaration yields one error and
/// the others are still checked.
fn parse_recovering(file: FileId, text: &str, chunks: &[recover::Chunk]) -> Parsed {
    let nesting_ok = chunks.iter().all(|c| c.too_deep.is_none());
    if nesting_ok && let Ok(mut pairs) = DtrParser::parse(Rule::file, text) {
        let mut builder = build::Builder::new(file, text, 0..text.len(), 0, HashMap::new());
        let items = pairs.next().map(|p| builder.file(p)).unwrap_or_default();
        return finish(file, items, builder.comments, builder.docs, builder.diagnostics);
    }
    // Messages name the tokens that were expected, which pest only records
    // when asked; it is switched on for good at the first error.
    pest::set_error_detail(true);
    let mut items = Vec::new();
    let mut comments = Vec::new();
    let mut docs = Vec::new();
    let mut diagnostics = Vec::new();
    for chunk in chunks {
        if let Some(at) = chunk.too_deep {
            diagnostics.push(too_deep(file, at, text.get(at..).is_some_and(|t| t.starts_with("/*"))));
            continue;
        }
        let piece = &text[chunk.start..chunk.end];
        match DtrParser::parse(Rule::file, piece) {
            Ok(mut pairs) => {
                let mut builder = build::Builder::new(file, text, chunk.start..chunk.end, chunk.start, HashMap::new());
                items.extend(pairs.next().map(|p| builder.file(p)).unwrap_or_default());
                comments.extend(builder.comments);
                docs.extend(builder.docs);
                diagnostics.extend(builder.diagnostics);
            }
            Err(e) => diagnostics.push(errors::syntax_error(&e, file, chunk.start, piece, text)),
        }
    }
    finish(file, items, comments, docs, diagnostics)
}

/// Declarations and their docs come in source order; comments do not.
fn finish(
    file: FileId,
    items: Vec<ast::Item>,
    mut comments: Vec<ast::Comment>,
    docs: Vec<ast::DocComment>,
    diagnostics: Vec<Diagnostic>,
) -> Parsed {
    comments.sort_by_key(|c| c.span.start);
    Parsed { file: ast::File { id: file, items, comments, docs }, diagnostics }
}

fn too_deep(file: FileId, at: usize, comment: bool) -> Diagnostic {
    let what = if comment { TooDeep::BlockComments } else { TooDeep::Brackets };
    messages::e0019(what, MAX_NESTING, Span::new(file, at, at + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_give_the_ast_of_the_whole_text() {
        // Many batches, and a file cut in halves; a doc comment on every
        // commitment and every third one's doc ending the line above it.
        for (actors, batches) in [(120, 4..8), (16, 2..3)] {
            let world = dtr_gen::generate::world(dtr_gen::generate::Shape::world(actors, 2));
            let mut text = String::new();
            for (i, line) in world.lines().enumerate() {
                text.push_str(line);
                text.push_str(match i % 3 {
                    0 if line.starts_with("commitment") => " /// ends the line above\n",
                    1 if line.starts_with("commitment") => "\n/// doc\n",
                    _ => "\n",
                });
            }
            let chunks = recover::chunks(&text);
            assert!(batches.contains(&super::batches(&text, &chunks).len()), "{} bytes", text.len());
            let batched = parse(FileId(0), &text);
            let whole = parse_recovering(FileId(0), &text, &chunks);
            assert_eq!(batched.file, whole.file);
            assert_eq!(batched.diagnostics, whole.diagnostics);
            assert!(batched.file.docs.len() > actors * 7);
        }
    }
}
