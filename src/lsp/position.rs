//! Byte offsets ↔ LSP positions (0-based line, UTF-16 code units). The
//! library speaks byte offsets only; conversion happens here, at the edge.
//! Positions out of range are clamped (a column past the end of its line is
//! the end of the line, a line past the end is the end of the text), as the
//! protocol asks.

use tower_lsp_server::ls_types::{Position, Range};
use crate::source::floor_boundary;

/// Where each line of one text starts.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s as usize <= offset).saturating_sub(1);
        let start = self.starts.get(line).map_or(0, |&s| s as usize);
        let column: usize = text.get(start..offset).map_or(0, |s| s.encode_utf16().count());
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of `position`, clamped to its line and to the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return text.len() };
        let start = start as usize;
        let end = self.starts.get(position.line as usize + 1).map_or(text.len(), |&s| s as usize);
        let line = text.get(start..end).unwrap_or("");
        let content = line.strip_suffix('\n').map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        let mut units = 0u32;
        for (i, c) in content.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        start + content.len()
    }

    /// Byte offsets of a range, in order even if the range is reversed.
    pub fn offsets(&self, text: &str, range: Range) -> (usize, usize) {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        (a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(index.offsets(text, Range::new(Position::new(2, 0), Position::new(0, 0))), (0, text.find("last").unwrap()));
    }
}
