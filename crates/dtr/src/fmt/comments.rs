//! Walks the source alongside the printer. The printer prints the tokens
//! of the file in their order; between two tokens the source holds only
//! white space, commas (which the layout decides) and comments. The cursor
//! hands each comment to the printer at the token it precedes, so every
//! comment keeps its place between the same two tokens, and tells whether
//! it starts its own line and follows an empty one.

use crate::syntax::ast::{Comment, CommentKind};

/// A comment met between two tokens.
pub struct Found<'s> {
    pub text: &'s str,
    pub kind: CommentKind,
    /// A line break separates it from what precedes (or it opens the file).
    pub own_line: bool,
    /// An empty line separates it from what precedes.
    pub blank_before: bool,
    /// A line break follows it before the next token or comment.
    pub newline_after: bool,
}

pub struct Cursor<'s> {
    text: &'s str,
    pos: usize,
    /// Comment ranges in source order, and the index of the next one.
    comments: Vec<(usize, usize, CommentKind)>,
    next: usize,
}

/// What lies before the next token: white space and commas.
fn is_trivia(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{FEFF}' | ',')
}

impl<'s> Cursor<'s> {
    pub fn new(text: &'s str, comments: &[Comment]) -> Cursor<'s> {
        let comments = comments.iter().map(|c| (c.span.start as usize, c.span.end as usize, c.kind.clone())).collect();
        Cursor { text, pos: 0, comments, next: 0 }
    }

    /// The trivia from `pos` up to the next non-trivia character: its end
    /// and the line breaks it holds.
    fn gap(&self, from: usize) -> (usize, usize) {
        let rest = &self.text[from..];
        let len = rest.find(|c| !is_trivia(c)).unwrap_or(rest.len());
        let gap = &rest[..len];
        // `\r\n` is one line break, a lone `\r` another.
        let breaks = gap.matches('\n').count() + gap.matches('\r').count() - gap.matches("\r\n").count();
        (from + len, breaks)
    }

    /// The comment starting right after the trivia at `pos`, if any.
    fn comment_at(&self, from: usize) -> Option<(usize, usize, usize, CommentKind)> {
        let (at, breaks) = self.gap(from);
        let &(start, end, ref kind) = self.comments.get(self.next)?;
        (start == at).then(|| (start, end, breaks, kind.clone()))
    }

    fn take(&mut self, start: usize, end: usize, breaks: usize, kind: CommentKind) -> Found<'s> {
        let own_line = breaks > 0 || self.pos == 0;
        self.pos = end;
        self.next += 1;
        let (_, after) = self.gap(end);
        Found {
            text: &self.text[start..end],
            kind,
            own_line,
            blank_before: breaks > 1,
            newline_after: after > 0 || end == self.text.len(),
        }
    }

    /// Every comment before the next token (or the end of the file).
    pub fn leading(&mut self) -> Vec<Found<'s>> {
        let mut out = Vec::new();
        while let Some((start, end, breaks, kind)) = self.comment_at(self.pos) {
            out.push(self.take(start, end, breaks, kind));
        }
        out
    }

    /// The comments on the rest of the current line: after the last token,
    /// before any line break; a line comment ends the run.
    pub fn trailing(&mut self) -> Vec<Found<'s>> {
        let mut out = Vec::new();
        while let Some((start, end, 0, kind)) = self.comment_at(self.pos) {
            if self.pos == 0 {
                break;
            }
            let line = kind != CommentKind::Block;
            out.push(self.take(start, end, 0, kind));
            if line {
                break;
            }
        }
        out
    }

    /// Whether an empty line separates the next token from what precedes
    /// it (call after [`Cursor::leading`]).
    pub fn blank_before_token(&self) -> bool {
        self.pos > 0 && self.gap(self.pos).1 > 1
    }

    /// Steps over the next token, which must read `expected`; `false` when it
    /// does not (a bug in the printer, caught before anything is written).
    pub fn token(&mut self, expected: &str) -> bool {
        let (at, _) = self.gap(self.pos);
        if self.comments.get(self.next).is_some_and(|c| c.0 == at) || !self.text[at..].starts_with(expected) {
            return false;
        }
        self.pos = at + expected.len();
        true
    }

    /// Where the cursor is: the source offset and the comments passed.
    /// Two marks enclose a stretch of source the printer has consumed.
    pub fn mark(&self) -> (usize, usize) {
        (self.pos, self.next)
    }

    /// Whether the source between two marks is on one line and holds no
    /// comment.
    pub fn one_line_between(&self, from: (usize, usize), to: (usize, usize)) -> bool {
        from.1 == to.1 && !self.text[from.0..to.0].contains(['\n', '\r'])
    }

    /// Whether only trivia is left.
    pub fn at_end(&self) -> bool {
        self.next == self.comments.len() && self.gap(self.pos).0 == self.text.len()
    }
}

/// A comment's text as the formatter writes it: line comments lose trailing
/// white space, block comments have `\n` line ends.
pub fn normalized(kind: &CommentKind, text: &str) -> String {
    match kind {
        CommentKind::Block => text.replace("\r\n", "\n"),
        CommentKind::Line | CommentKind::Doc => text.trim_end().to_string(),
    }
}
