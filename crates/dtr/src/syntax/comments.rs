//! The comments of a text that parsed. pest matches comments while it skips
//! between tokens, atomically, so they leave no pairs; this scan finds them
//! again. Outside comments and strings no token contains `"` or `/`, so each
//! of those characters starts a string or a comment, matched here with the
//! grammar's own rule: the spans are exactly what the parser skipped.

use super::ast::CommentKind;
use super::grammar::{DtrParser, Rule};
use pest::Parser;
use std::ops::Range;

/// Every comment of `text` in source order, with its byte range.
pub fn scan(text: &str) -> Vec<(CommentKind, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find(['"', '/']) {
        let start = at + found;
        let rest = &text[start..];
        let candidates: &[(Rule, Option<CommentKind>)] = if rest.starts_with('"') {
            &[(Rule::string, None)]
        } else if rest.starts_with("/*") {
            &[(Rule::block_comment, Some(CommentKind::Block))]
        } else {
            &[(Rule::doc_comment, Some(CommentKind::Doc)), (Rule::line_comment, Some(CommentKind::Line))]
        };
        // pest indexes the lines of whatever it is given, so each match gets
        // only the text it can span: a string or a line comment ends at the
        // line's end, a block comment at its balancing `*/`.
        let reach =
            if rest.starts_with("/*") { block_reach(rest) } else { rest.find(['\n', '\r']).unwrap_or(rest.len()) };
        let rest = &rest[..reach];
        let matched = candidates.iter().find_map(|(rule, kind)| {
            let end = DtrParser::parse(*rule, rest).ok()?.next()?.as_span().end();
            Some((kind.clone(), end))
        });
        match matched {
            Some((kind, end)) => {
                if let Some(kind) = kind {
                    out.push((kind, start..start + end));
                }
                at = start + end.max(1);
            }
            // Not in a text that parsed; step over the character.
            None => at = start + 1,
        }
    }
    out
}

/// The length of the nested block comment opening `text`, or all of it
/// when it is not closed.
pub fn block_reach(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"/*" => {
                depth += 1;
                i += 2;
            }
            b"*/" => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(text: &str) -> Vec<(CommentKind, &str)> {
        scan(text).into_iter().map(|(k, r)| (k, &text[r])).collect()
    }

    #[test]
    fn finds_every_kind_and_skips_strings() {
        let text = "actor A \"a // b /* c\" // line\n/// doc\n//// four\n/* x /* nested */ y */ actor B /*/**/*/";
        assert_eq!(
            kinds_and_texts(text),
            vec![
                (CommentKind::Line, "// line"),
                (CommentKind::Doc, "/// doc"),
                (CommentKind::Line, "//// four"),
                (CommentKind::Block, "/* x /* nested */ y */"),
                (CommentKind::Block, "/*/**/*/"),
            ]
        );
    }

    #[test]
    fn line_comments_stop_before_any_line_end() {
        assert_eq!(
            kinds_and_texts("// a\r\n/// b\r// c"),
            vec![(CommentKind::Line, "// a"), (CommentKind::Doc, "/// b"), (CommentKind::Line, "// c")]
        );
    }
}
