//! A lexical pre-pass, run before pest: it finds where top-level declarations
//! start (so that a broken declaration can be parsed apart from the others)
//! and how deeply brackets nest (so that hostile nesting is refused before a
//! recursive parser sees it).

/// The deepest bracket nesting accepted: far beyond any real scenario, far
/// below what could exhaust the stack.
pub const MAX_NESTING: usize = 100;

use crate::vocabulary::DECLARATION_KEYWORDS;

/// A run of source holding whole declarations.
#[derive(Debug, PartialEq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    /// Where the nesting of brackets or of block comments first went past
    /// [`MAX_NESTING`], if it did.
    pub too_deep: Option<usize>,
}

/// Splits `text` at the start of each line whose first word is a declaration
/// keyword not followed by `:` (outside strings and comments). A run of `///`
/// lines right above such a line goes with it.
pub fn chunks(text: &str) -> Vec<Chunk> {
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut too_deep = None;
    let mut doc_run: Option<usize> = None;
    let mut block_depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if block_depth > 0 {
            if bytes[i..].starts_with(b"*/") {
                block_depth -= 1;
                i += 2;
            } else if bytes[i..].starts_with(b"/*") {
                block_depth += 1;
                if block_depth > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(i);
                }
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if line_start {
            let indent = bytes[i..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
            let at = i + indent;
            let rest = &text[at..];
            if rest.starts_with("///") {
                doc_run.get_or_insert(i);
            } else if starts_declaration(rest) {
                let boundary = doc_run.unwrap_or(i);
                if boundary > start {
                    chunks.push(Chunk { start, end: boundary, too_deep });
                    start = boundary;
                    too_deep = None;
                    depth = 0;
                }
                doc_run = None;
            } else if !rest.starts_with('\n') && !rest.starts_with("\r\n") && !rest.is_empty() {
                doc_run = None;
            }
            line_start = false;
            i = at;
            continue;
        }
        match b {
            b'\n' => line_start = true,
            b'"' => {
                // Skip the string (it cannot span lines).
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' && i + 1 < bytes.len() && bytes[i + 1] != b'\n' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'\n' {
                    continue;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                block_depth = 1;
                i += 2;
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    chunks.push(Chunk { start, end: text.len(), too_deep });
    chunks
}

/// What was left open where a parse failed: the start of a block comment
/// that never closes, or of a string that does not close on its line.
#[derive(Debug, PartialEq)]
pub enum Unclosed {
    Comment(usize),
    String(usize),
}

/// Scans `text` up to `at` and says what is still open there, if anything.
pub fn unclosed_at(text: &str, at: usize) -> Option<Unclosed> {
    let bytes = text.as_bytes();
    let end = at.min(bytes.len());
    let mut opens: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < end {
        if !opens.is_empty() {
            if bytes[i..].starts_with(b"*/") {
                opens.pop();
                i += 2;
            } else if bytes[i..].starts_with(b"/*") {
                opens.push(i);
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                opens.push(i);
                i += 2;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' && i + 1 < bytes.len() && bytes[i + 1] != b'\n' { 2 } else { 1 };
                }
                if i >= bytes.len() || bytes[i] == b'\n' {
                    if i >= end {
                        return Some(Unclosed::String(start));
                    }
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    opens.first().map(|&o| Unclosed::Comment(o))
}

fn starts_declaration(rest: &str) -> bool {
    DECLARATION_KEYWORDS.iter().any(|kw| {
        rest.starts_with(kw) && {
            let after = &rest[kw.len()..];
            let next = after.chars().next();
            next.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_')) && !after.trim_start().starts_with(':')
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(text: &str) -> Vec<usize> {
        chunks(text).iter().map(|c| c.start).collect()
    }

    #[test]
    fn splits_at_declarations_only() {
        let text = "actor A {\n  region: r\n}\n/// doc\nactor B\n// actor C in a comment\n\"actor\"\nalliance X { }\n";
        assert_eq!(starts(text), vec![0, 24, 72]);
    }

    #[test]
    fn block_comments_hide_keywords() {
        assert_eq!(starts("actor A\n/* \nactor B\n*/\nactor C\n"), vec![0, 23]);
    }

    #[test]
    fn finds_what_is_left_open() {
        assert_eq!(unclosed_at("actor A \"Rus\nactor B", 12), Some(Unclosed::String(8)));
        assert_eq!(unclosed_at("actor A /* x /* y */ \n", 22), Some(Unclosed::Comment(8)));
        assert_eq!(unclosed_at("actor A \"a/*\" // \"\n", 18), None);
    }

    #[test]
    fn deep_comment_nesting_is_found() {
        let text = format!("actor A {}", "/*".repeat(MAX_NESTING + 1));
        assert_eq!(chunks(&text)[0].too_deep, Some(8 + 2 * MAX_NESTING));
    }

    #[test]
    fn deep_nesting_is_found() {
        let text = format!("expect x: {}", "(".repeat(MAX_NESTING + 5));
        assert_eq!(chunks(&text)[0].too_deep, Some(10 + MAX_NESTING));
    }
}
