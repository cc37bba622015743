//! Byte offsets ↔ LSP positions (0-based line, UTF-16 code units). The
//! library speaks byte offsets only; conversion happens here, at the edge,
//! on the crate's one line index (`source::LineIndex`: lines end at `\n`,
//! `\r\n` or a lone `\r`, the three ends the protocol lists). Columns count
//! every character the client sent, a byte-order mark included.
//! Positions out of range are clamped (a column past the end of its line is
//! the end of the line, a line past the end is the end of the text), as the
//! protocol asks.

use dtr::source::{LineIndex, floor_boundary};
use tower_lsp_server::ls_types::{Position, Range};

/// The library's line index, converting to and from LSP positions (a trait:
/// the index is the library's type, the positions the protocol's).
pub trait Positions {
    /// The position of byte `offset` (clamped to the text and to a character boundary).
    fn position(&self, text: &str, offset: usize) -> Position;
    fn lsp_range(&self, text: &str, start: usize, end: usize) -> Range;
    /// The byte offset of `position`, clamped to its line and to the text.
    fn offset(&self, text: &str, position: Position) -> usize;
    /// Byte offsets of a range, in order even if the range is reversed.
    fn offsets(&self, text: &str, range: Range) -> (usize, usize);
}

impl Positions for LineIndex {
    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.line(offset);
        let start = self.start(line).min(offset);
        let column: usize = text.get(start..offset).map_or(0, |s| s.encode_utf16().count());
        Position::new(line as u32, column as u32)
    }

    fn lsp_range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    fn offset(&self, text: &str, position: Position) -> usize {
        if position.line as usize >= self.count() {
            return text.len();
        }
        let content = self.content(text, position.line as usize);
        let line = text.get(content.clone()).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= position.character {
                return content.start + i;
            }
            units += c.len_utf16() as u32;
        }
        content.end
    }

    fn offsets(&self, text: &str, range: Range) -> (usize, usize) {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        (a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a\rb\r\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2), Position::new(1, 0));
        assert_eq!(index.offset(text, Position::new(2, 0)), text.len() - 1);
        assert_eq!(index.offset(text, Position::new(0, 9)), 1);
    }

    #[test]
    fn counts_utf16_units() {
        let text = "a\r\nSuwałki 𝄞x\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // `ł` is one UTF-16 unit, `𝄞` two.
        assert_eq!(index.position(text, x), Position::new(1, 10));
        assert_eq!(index.offset(text, Position::new(1, 10)), x);
        // Past the end of a line: the end of that line, before `\r\n`.
        assert_eq!(index.offset(text, Position::new(0, 99)), 1);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        // Inside a surrogate pair: the start of the character.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(index.position(text, clef + 1), index.position(text, clef));
        assert_eq!(
            index.offsets(text, Range::new(Position::new(2, 0), Position::new(0, 0))),
            (0, text.find("last").unwrap())
        );
    }
}
