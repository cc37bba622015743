//! Parsing a file again after an edit. Each top-level declaration (a chunk
//! of the pre-pass in `recover`) is parsed alone and kept by its text, so
//! that an edit costs the parse of the declarations whose text changed; the
//! others are copied and moved to where they now are.
//!
//! The result is always that of [`super::parse`]: when every declaration
//! parses alone, the file parses whole into the same AST (the pre-pass splits
//! at line starts outside comments and strings), except when a doc comment
//! ends one declaration's line (`actor A /// doc`) right above the next; in
//! that case, and when a declaration does not parse alone, the file is
//! parsed as a whole.

use super::ast::{Comment, CommentKind, DocComment, Item};
use super::grammar::{DtrParser, Rule};
use super::shift::Shift;
use super::{Parsed, build, recover};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use pest::Parser;
use std::collections::HashMap;
use std::sync::Arc;

/// The declarations of the last version of one file, by their text.
#[derive(Default)]
pub struct Cache {
    file: FileId,
    pieces: HashMap<String, Arc<Piece>>,
}

/// One chunk parsed alone: spans are offsets from its start.
struct Piece {
    items: Vec<Item>,
    comments: Vec<Comment>,
    docs: Vec<DocComment>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses `text` as [`super::parse`] does, reusing the declarations of the
/// last text parsed with `cache` whose text has not changed.
pub fn parse(file: FileId, text: &str, cache: &mut Cache) -> Parsed {
    if cache.file != file {
        *cache = Cache { file, pieces: HashMap::new() };
    }
    let chunks = recover::chunks(text);
    let mut pieces = HashMap::with_capacity(chunks.len());
    let mut out = Parsed {
        file: super::ast::File { id: file, items: Vec::new(), comments: Vec::new(), docs: Vec::new() },
        diagnostics: Vec::new(),
    };
    let mut previous_doc_end: Option<usize> = None;
    for chunk in &chunks {
        let source = &text[chunk.start..chunk.end];
        let reused = cache.pieces.get(source).cloned();
        let piece = match reused {
            Some(piece) => piece,
            None => match parse_alone(file, source, chunk.too_deep.is_none()) {
                Some(piece) => Arc::new(piece),
                None => return super::parse(file, text),
            },
        };
        // Whole, the first declaration would take a doc comment that ends
        // the chunk before.
        let before = previous_doc_end.map(|end| &text[end..chunk.start]);
        if before.is_some_and(|gap| gap.trim_start_matches([' ', '\t', '\n', '\r', '\u{FEFF}', ',']).is_empty()) {
            return super::parse(file, text);
        }
        previous_doc_end =
            piece.comments.last().filter(|c| c.kind == CommentKind::Doc).map(|c| chunk.start + c.span.end as usize);
        let by = chunk.start as i64;
        out.file.items.extend(piece.items.iter().cloned().map(|mut i| {
            i.shift(by);
            i
        }));
        out.file.comments.extend(piece.comments.iter().cloned().map(|mut c| {
            c.shift(by);
            c
        }));
        out.file.docs.extend(piece.docs.iter().cloned().map(|mut d| {
            d.shift(by);
            d
        }));
        out.diagnostics.extend(piece.diagnostics.iter().cloned().map(|mut d| {
            shift_diagnostic(&mut d, by);
            d
        }));
        pieces.insert(source.to_string(), piece);
    }
    cache.pieces = pieces;
    out
}

/// One chunk as a text of its own; None when it does not parse (or nests
/// too deep), which the whole-file parse reports.
fn parse_alone(file: FileId, source: &str, nesting_ok: bool) -> Option<Piece> {
    if !nesting_ok {
        return None;
    }
    let mut pairs = DtrParser::parse(Rule::file, source).ok()?;
    let mut builder = build::Builder::new(file, source, 0..source.len(), 0, HashMap::new());
    let items = pairs.next().map(|p| builder.file(p)).unwrap_or_default();
    Some(Piece { items, comments: builder.comments, docs: builder.docs, diagnostics: builder.diagnostics })
}

fn shift_diagnostic(d: &mut Diagnostic, by: i64) {
    d.primary.span.shift(by);
    for label in &mut d.secondary {
        label.span.shift(by);
    }
    if let Some(fix) = &mut d.fix {
        fix.span.shift(by);
    }
}

#[cfg(test)]
mod tests {
    use super::{Cache, parse};
    use crate::source::FileId;

    /// The incremental parse of `after`, following one of `before`, against
    /// a parse from scratch.
    fn same_as_whole(before: &str, after: &str) {
        let mut cache = Cache::default();
        parse(FileId(0), before, &mut cache);
        let edited = parse(FileId(0), after, &mut cache);
        let whole = crate::syntax::parse(FileId(0), after);
        assert_eq!(edited.file, whole.file, "after editing {before:?} into {after:?}");
        assert_eq!(edited.diagnostics, whole.diagnostics);
    }

    #[test]
    fn edits_of_the_examples_parse_as_from_scratch() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for entry in std::fs::read_dir(examples).expect("examples").flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            // Insertions, deletions and replacements spread over the file,
            // some of which break a declaration.
            let mut seed = 7u64;
            for _ in 0..10 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let mut at = (seed >> 33) as usize % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + (seed >> 20) as usize % 4).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let insert = ["", "x", "\n", "1", "}", "/// d\n", "\"s\""][(seed >> 40) as usize % 7];
                let after = format!("{}{insert}{}", &text[..at], &text[end..]);
                same_as_whole(&text, &after);
                same_as_whole(&after, &text);
            }
        }
    }

    #[test]
    fn a_doc_comment_ending_the_line_above_is_taken_as_whole() {
        same_as_whole("actor A\nactor B\n", "actor A /// doc\nactor B\n");
        same_as_whole("", "actor A /// doc\n\n  actor B\nactor C \"c\" /// two\n/// lines\nactor D\n");
    }

    #[test]
    fn literals_reported_by_the_builder_move_with_their_declaration() {
        same_as_whole("actor A \"\\q\"\nactor B\n", "// moved\nactor A \"\\q\"\nactor B { resolve: 1e999 }\n");
    }
}
