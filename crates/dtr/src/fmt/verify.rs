//! The formatter's own guard: the text it produced must parse, without
//! errors, to the same program (spans aside) with the same comments.
//! Anything else is a formatter bug, and the file is left as it was.

use super::comments::normalized;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};
use serde_json::Value;

/// `Err` holds where the original first differs from the formatted text.
pub fn same_program(original: &ast::File, original_text: &str, formatted: &str) -> Result<(), Span> {
    let start = Span::new(FileId(0), 0, 0);
    let again = syntax::parse(FileId(0), formatted);
    if !again.diagnostics.is_empty() || again.file.items.len() != original.items.len() {
        return Err(start);
    }
    for (a, b) in original.items.iter().zip(&again.file.items) {
        if without_spans(a) != without_spans(b) || original.doc(a) != again.file.doc(b) {
            return Err(a.span);
        }
    }
    if original.comments.len() != again.file.comments.len() {
        return Err(start);
    }
    for (a, b) in original.comments.iter().zip(&again.file.comments) {
        let text_a = original_text.get(a.span.range()).map(|t| normalized(&a.kind, t));
        let text_b = formatted.get(b.span.range()).map(|t| normalized(&b.kind, t));
        if a.kind != b.kind || text_a != text_b {
            return Err(a.span);
        }
    }
    Ok(())
}

/// The AST node as JSON with every span replaced by `null`.
pub fn without_spans(node: &impl serde::Serialize) -> Value {
    fn strip(v: Value) -> Value {
        match v {
            Value::Object(map) => {
                let is_span = map.len() == 3 && ["file", "start", "end"].iter().all(|k| map.contains_key(*k));
                if is_span { Value::Null } else { Value::Object(map.into_iter().map(|(k, v)| (k, strip(v))).collect()) }
            }
            Value::Array(items) => Value::Array(items.into_iter().map(strip).collect()),
            other => other,
        }
    }
    strip(serde_json::to_value(node).unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(original: &str, formatted: &str) -> Result<(), Span> {
        same_program(&syntax::parse(FileId(0), original).file, original, formatted)
    }

    #[test]
    fn layout_alone_passes() {
        assert_eq!(check("actor A{resolve:1}// c\n", "actor A {\n  resolve: 1\n} // c\n"), Ok(()));
    }

    #[test]
    fn a_changed_value_a_lost_comment_or_a_syntax_error_fails() {
        let original = "region r\n/// doc\nactor A { resolve: 1 } // c\n";
        let second = Span::new(FileId(0), 17, 39);
        assert_eq!(check(original, "region r\n/// doc\nactor A { resolve: 0.5 } // c\n"), Err(second));
        assert_eq!(
            check(original, "region r\nactor A { resolve: 1 } // c\n"),
            Err(second),
            "the doc comment is part of the item"
        );
        assert!(check(original, "region r\n/// doc\nactor A { resolve: 1 }\n").is_err());
        assert!(check(original, "region r\n/// doc\nactor A { resolve: 1 } /* c */\n").is_err());
        assert!(check(original, "region r\n/// doc\nactor A { resolve: }\n").is_err());
    }
}
