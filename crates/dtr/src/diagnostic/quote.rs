//! Source text as messages quote it: invisible characters made visible,
//! long text cut. A message is read on a terminal or in an editor's
//! hover, where a no-break space looks like a space, a zero-width space or
//! a bidirectional control looks like nothing, and a line separator breaks
//! the line; and a name as long as a 10 MB line would be printed whole,
//! more than once.

use std::fmt;

/// Characters of quoted text shown before it is cut with `…`.
pub const QUOTE_CHARS: usize = 40;

/// `text` for a message (the caller writes the backticks around it): each
/// invisible character written as the language's escape `\u{…}`, and
/// text longer than [`QUOTE_CHARS`] characters cut with `…`.
pub fn quote(text: &str) -> Quoted<'_> {
    Quoted { text, limit: QUOTE_CHARS }
}

/// `text` with its invisible characters escaped, whole: for a path, whose
/// end matters as much as its start.
pub fn escape(text: &str) -> Quoted<'_> {
    Quoted { text, limit: usize::MAX }
}

pub struct Quoted<'a> {
    text: &'a str,
    limit: usize,
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.text.chars();
        for c in chars.by_ref().take(self.limit) {
            if invisible(c) {
                write!(f, "\\u{{{:X}}}", c as u32)?;
            } else {
                write!(f, "{c}")?;
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Whether `c` shows as nothing, or as something else, on a terminal:
/// control characters (C0, DEL, C1), white space other than the space (the
/// no-break and other fixed-width spaces, the line and paragraph
/// separators), and the format characters that have no glyph (soft
/// hyphen, zero-width spaces and joiners, bidirectional marks, embeddings
/// and isolates, the word joiner and invisible operators, the byte-order
/// mark, interlinear annotation marks, tags).
pub fn invisible(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0xE0000..=0xE0FFF)
}

#[cfg(test)]
mod tests {
    use super::{escape, quote};

    #[test]
    fn invisible_characters_are_escaped() {
        assert_eq!(
            quote("a\u{A0}b\u{200B}c\u{2028}d\u{2029}e\u{0}\t").to_string(),
            "a\\u{A0}b\\u{200B}c\\u{2028}d\\u{2029}e\\u{0}\\u{9}"
        );
        assert_eq!(quote("\u{202E}abc\u{FEFF}").to_string(), "\\u{202E}abc\\u{FEFF}");
        // Visible text stays as written: letters, combining marks, emoji.
        assert_eq!(quote("Côte e\u{301} א 𝄞").to_string(), "Côte e\u{301} א 𝄞");
    }

    #[test]
    fn long_text_is_cut() {
        let long = "A".repeat(10_000_000);
        let shown = quote(&long).to_string();
        assert_eq!(shown, format!("{}…", "A".repeat(40)));
        assert_eq!(quote(&"B".repeat(40)).to_string(), "B".repeat(40));
        assert_eq!(
            escape(&format!("{}\u{200B}", "C".repeat(50))).to_string(),
            format!("{}\\u{{200B}}", "C".repeat(50))
        );
    }
}
