//! Where the lines of a text start: the one line index of the crate, behind
//! diagnostics (people's `line:column`, the short and JSON outputs, the
//! snippets) and the editor's positions.
//!
//! The rule: a line ends at `\n`, at `\r\n` (one line end, not two) or at
//! a lone `\r`. It is the grammar's `line_end`, the three ends the Language
//! Server Protocol lists, and what editors show; a file written with old
//! Mac line ends is therefore read line by line, not as one long line.

use std::ops::Range;

/// The byte offset of each line's start in one text, `u32` (files are at
/// most 64 MiB) and sized exactly: a file of a million one-line
/// declarations has a million of them.
#[derive(Clone, Debug, PartialEq)]
pub struct LineIndex {
    starts: Box<[u32]>,
    /// The text's length, where the last line ends.
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(1 + line_ends(text).count());
        starts.push(0);
        starts.extend(line_ends(text).map(|at| at as u32));
        LineIndex { starts: starts.into_boxed_slice(), len: text.len() as u32 }
    }

    /// How many lines the text has (an empty text, and a text ending with
    /// a line end, have an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset` (the last line past the end).
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start as usize <= offset).saturating_sub(1)
    }

    /// Where line `line` starts; the text's length past the last line.
    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(self.len as usize, |&s| s as usize)
    }

    /// Line `line` with its line end, if the text has that line.
    pub fn range(&self, line: usize) -> Option<Range<usize>> {
        (line < self.count()).then(|| self.start(line)..self.start(line + 1))
    }

    /// Line `line` without its line end.
    pub fn content(&self, text: &str, line: usize) -> Range<usize> {
        let Some(range) = self.range(line) else { return text.len()..text.len() };
        let body = text.get(range.clone()).unwrap_or("");
        let body = body.strip_suffix('\n').unwrap_or(body);
        let body = body.strip_suffix('\r').unwrap_or(body);
        range.start..range.start + body.len()
    }
}

/// Where each line after the first starts: after each `\n`, and after each
/// `\r` not followed by `\n`.
fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    text.match_indices(['\n', '\r'])
        .filter(move |&(at, end)| end == "\n" || bytes.get(at + 1) != Some(&b'\n'))
        .map(|(at, _)| at + 1)
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd\r\r\ne";
        let index = LineIndex::new(text);
        let lines: Vec<&str> = (0..index.count()).map(|l| &text[index.content(text, l)]).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(index.line(text.find('d').unwrap()), 3);
        // The `\r` of `\r\n` is on the line it ends.
        assert_eq!(index.line(3), 1);
        assert_eq!(index.line(text.len() + 5), 5);
        assert_eq!(index.range(6), None);
        assert_eq!(index.start(6), text.len());
    }

    #[test]
    fn a_final_line_end_opens_an_empty_line() {
        assert_eq!(LineIndex::new("").count(), 1);
        assert_eq!(LineIndex::new("a\n").count(), 2);
        assert_eq!(LineIndex::new("a\r").count(), 2);
        assert_eq!(LineIndex::new("a\r\n").count(), 2);
    }
}
