//! In-file suppression: a line comment `// dtr: allow(W0001, W0003)`
//! silences those warnings (docs/config.md, "In-file suppression").
//!
//! Where it applies follows from where it is written, with no other syntax:
//! directly above a declaration (nothing but other comments between them,
//! no empty line) or on a declaration's own lines, it covers that
//! declaration; above the first declaration and separated from it by an
//! empty line (or in a file with none), it covers the whole file. A comment
//! naming an unknown code or an error, or below the last declaration, is
//! W0010, so that a suppression that silences nothing does not go unseen.

use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Severity, messages};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{self, CommentKind};
use std::ops::Range;

/// The warnings silenced in each part of a compilation's files.
#[derive(Default)]
pub struct Suppressions {
    /// (file, byte range, code); a whole file is the range `0..u32::MAX`.
    ranges: Vec<(FileId, Range<u32>, Code)>,
}

impl Suppressions {
    /// Reads the `dtr: allow` comments of `files`; what is wrong with them
    /// goes to `diagnostics`.
    pub fn collect(files: &[ast::File], sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Suppressions {
        let mut out = Suppressions::default();
        for file in files {
            let text = sources.text(file.id);
            for comment in file.comments.iter().filter(|c| c.kind == CommentKind::Line) {
                let Some(codes) = allowed(text, comment.span) else { continue };
                let Some(range) = scope(file, text, comment.span) else {
                    diagnostics.push(messages::w0010(messages::Allow::Nothing, comment.span));
                    continue;
                };
                for (code, at) in codes {
                    let span = Span::new(file.id, at.start, at.end);
                    match Code::parse(code) {
                        Some(c) if c.severity() == Severity::Warning => out.ranges.push((file.id, range.clone(), c)),
                        Some(_) => diagnostics.push(messages::w0010(messages::Allow::Error { code }, span)),
                        None => {
                            let warnings = Code::ALL.iter().filter(|c| c.severity() == Severity::Warning);
                            let suggestion = suggest::closest(code, warnings.map(|c| c.as_str()));
                            diagnostics.push(messages::w0010(messages::Allow::Unknown { code, suggestion }, span));
                        }
                    }
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether `d` is a warning silenced where it points.
    pub fn silences(&self, d: &Diagnostic) -> bool {
        let at = d.primary.span;
        self.ranges.iter().any(|(file, range, code)| *file == at.file && *code == d.code && range.contains(&at.start))
    }
}

/// The codes of a `// dtr: allow(A, B)` comment at `span`, each with its
/// byte range in the file; None for any other comment.
fn allowed(text: &str, span: Span) -> Option<Vec<(&str, Range<usize>)>> {
    let comment = text.get(span.range())?;
    let body = comment.strip_prefix("//")?;
    let rest = body.trim_start().strip_prefix("dtr:")?.trim_start().strip_prefix("allow(")?;
    let inner = &rest[..rest.find(')')?];
    let inner_start = span.start as usize + (comment.len() - rest.len());
    let mut codes = Vec::new();
    let mut offset = 0;
    for part in inner.split(',') {
        let code = part.trim();
        if !code.is_empty() {
            let start = inner_start + offset + (part.len() - part.trim_start().len());
            codes.push((code, start..start + code.len()));
        }
        offset += part.len() + 1;
    }
    Some(codes)
}

/// The bytes a suppression comment at `comment` covers: its declaration,
/// or the whole file; None when there is nothing below it.
fn scope(file: &ast::File, text: &str, comment: Span) -> Option<Range<u32>> {
    let whole = 0..u32::MAX;
    let next = file.items.iter().position(|item| item.span.start >= comment.end);
    // Inside a declaration, or after it on the line where it ends.
    let before = next.map_or(file.items.len(), |n| n).checked_sub(1).map(|i| &file.items[i]);
    if let Some(item) = before
        && (item.span.end > comment.start
            || !text[item.span.end as usize..comment.start as usize].contains(['\n', '\r']))
    {
        return Some(item.span.start..item.span.end);
    }
    let Some(next) = next else {
        return file.items.is_empty().then_some(whole);
    };
    let item = &file.items[next];
    let gap = &text[comment.end as usize..item.span.start as usize];
    if next == 0 && has_empty_line(gap) { Some(whole) } else { Some(item.span.start..item.span.end) }
}

/// Whether a stretch of text between a comment and a declaration holds an
/// empty line (one of blanks only): the comment is then not the
/// declaration's.
fn has_empty_line(gap: &str) -> bool {
    let gap = gap.replace("\r\n", "\n").replace('\r', "\n");
    gap.split('\n')
        .skip(1)
        .collect::<Vec<_>>()
        .split_last()
        .is_some_and(|(_, middle)| middle.iter().any(|l| l.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::has_empty_line;

    #[test]
    fn an_empty_line_is_one_between_two_line_ends() {
        // The comment's own line end, then the declaration's indentation.
        assert!(!has_empty_line("\n"));
        assert!(!has_empty_line("\n  "));
        assert!(has_empty_line("\n\n"));
        assert!(has_empty_line("\r\n  \r\n"));
        assert!(has_empty_line("\r\r"));
        assert!(!has_empty_line("\n// another comment\n"));
    }
}
