//! Semantic tokens (full document): every name typed by what it stands for,
//! read from the checker's table of definitions and uses (so `RUS` in
//! `threat RUS ->` is an actor, `land` a domain, whatever the grammar's
//! position), and the keywords, numbers and dates found by a scan of the
//! text that steps over comments and strings as the grammar does. Names
//! the checker could not resolve get no token; the client's own colouring
//! (TextMate, tree-sitter) shows them.

use super::snapshot::Snapshot;
use dtr::source::FileId;
use dtr::vocabulary::{DeclarationKind, is_keyword};
use std::collections::HashMap;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

/// The token types, in legend order (a token's type is its index here).
/// The declaration kinds have types of their own; editors map them to
/// colours (the VS Code extension gives each a standard super type).
const TYPES: [&str; 10] =
    ["actor", "alliance", "domain", "region", "commitment", "scenario", "rung", "keyword", "number", "date"];

const KEYWORD: u32 = 7;
const NUMBER: u32 = 8;
const DATE: u32 = 9;

/// The one modifier: set on the name where it is declared.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.iter().map(|t| SemanticTokenType::from(*t)).collect(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

fn kind_type(kind: DeclarationKind) -> u32 {
    match kind {
        DeclarationKind::Actor => 0,
        DeclarationKind::Alliance => 1,
        DeclarationKind::Domain => 2,
        DeclarationKind::Region => 3,
        DeclarationKind::Commitment => 4,
        DeclarationKind::Scenario => 5,
        DeclarationKind::Rung => 6,
    }
}

/// The tokens of the document, in order, delta-encoded as the protocol asks.
pub fn semantic_tokens(snapshot: &Snapshot) -> SemanticTokens {
    let refs = &snapshot.checked.references;
    let in_document = |span: dtr::source::Span| span.file == FileId(0);
    // By the name's start: its type and modifiers.
    let mut names: HashMap<u32, (u32, u32)> = HashMap::new();
    for use_ in refs.uses.iter().filter(|u| in_document(u.span)) {
        if let Some(d) = refs.definitions.get(use_.definition as usize) {
            names.insert(use_.span.start, (kind_type(d.kind), 0));
        }
    }
    for d in &refs.definitions {
        if let Some(span) = d.span.filter(|s| in_document(*s)) {
            names.insert(span.start, (kind_type(d.kind), DECLARATION));
        }
    }
    let mut data = Vec::new();
    let (mut last_line, mut last_column) = (0, 0);
    for token in lex(snapshot.text(FileId(0))) {
        let (token_type, modifiers) = match token.lexeme {
            Lexeme::Word(word) if is_keyword(word) => (KEYWORD, 0),
            Lexeme::Word(_) => match names.get(&token.start) {
                Some(&typed) => typed,
                None => continue,
            },
            Lexeme::Number => (NUMBER, 0),
            Lexeme::Date => (DATE, 0),
        };
        let delta_line = token.line - last_line;
        let delta_start = if delta_line == 0 { token.column - last_column } else { token.column };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: token.length,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        (last_line, last_column) = (token.line, token.column);
    }
    SemanticTokens { result_id: None, data }
}

#[derive(Debug, PartialEq)]
enum Lexeme<'t> {
    Word(&'t str),
    Number,
    Date,
}

/// A word, number or date: where it starts (byte offset; line and UTF-16
/// column) and its length in UTF-16 units (it is ASCII).
#[derive(Debug)]
struct Token<'t> {
    lexeme: Lexeme<'t>,
    start: u32,
    line: u32,
    column: u32,
    length: u32,
}

fn is_word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The words, numbers and dates outside comments and strings, in one pass
/// that counts lines (`\n`, `\r\n`, lone `\r`) and UTF-16 columns as it
/// goes, so a long line costs no more than a short one.
fn lex(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let (mut at, mut line, mut column) = (0usize, 0u32, 0u32);
    let mut out = Vec::new();
    // Moves past `to`, counting every character on the way.
    let advance = |at: &mut usize, to: usize, line: &mut u32, column: &mut u32| {
        let to = dtr::source::floor_boundary(text, to.min(text.len())).max(*at);
        for (i, c) in text[*at..to].char_indices() {
            let crlf = c == '\r' && bytes.get(*at + i + 1) == Some(&b'\n');
            if c == '\n' || (c == '\r' && !crlf) {
                *line += 1;
                *column = 0;
            } else if !crlf {
                *column += c.len_utf16() as u32;
            }
        }
        *at = to;
    };
    while at < bytes.len() {
        let rest = &bytes[at..];
        let end = match rest[0] {
            b'"' => at + string_len(rest),
            b'/' if rest.get(1) == Some(&b'/') => {
                at + rest.iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(rest.len())
            }
            b'/' if rest.get(1) == Some(&b'*') => at + dtr::syntax::block_reach(&text[at..]),
            c if c.is_ascii_digit() || (c == b'-' && rest.get(1).is_some_and(u8::is_ascii_digit)) => {
                let len = rest
                    .iter()
                    .skip(1)
                    .position(|&c| !(is_word_char(c) || b".+-%".contains(&c)))
                    .map_or(rest.len(), |n| n + 1);
                let (lexeme, len) = number_or_date(&rest[..len]);
                if let Some(lexeme) = lexeme {
                    out.push(Token { lexeme, start: at as u32, line, column, length: len as u32 });
                }
                at + len
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let len = rest.iter().position(|&c| !is_word_char(c)).unwrap_or(rest.len());
                let word = &text[at..at + len];
                out.push(Token { lexeme: Lexeme::Word(word), start: at as u32, line, column, length: len as u32 });
                at + len
            }
            _ => at + 1,
        };
        advance(&mut at, end, &mut line, &mut column);
    }
    out
}

/// A date (`YYYY-MM-DD`), a number (with `_` between digits, a fraction,
/// an exponent, a `%`), or neither (`5x`), as the grammar reads the run of
/// characters `run`; with the length it covers.
fn number_or_date(run: &[u8]) -> (Option<Lexeme<'static>>, usize) {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if run.len() >= 10
        && run[4] == b'-'
        && run[7] == b'-'
        && digits(&run[..4])
        && digits(&run[5..7])
        && digits(&run[8..10])
    {
        let ends = run.get(10).is_none_or(|&c| !is_word_char(c));
        return (ends.then_some(Lexeme::Date), 10);
    }
    let mut i = usize::from(run[0] == b'-');
    let digit_run = |i: &mut usize| {
        let start = *i;
        while *i < run.len()
            && (run[*i].is_ascii_digit()
                || (run[*i] == b'_' && *i > start && run.get(*i + 1).is_some_and(u8::is_ascii_digit)))
        {
            *i += 1;
        }
        *i > start
    };
    digit_run(&mut i);
    if run.get(i) == Some(&b'.') && run.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digit_run(&mut i);
    }
    if matches!(run.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(run.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if digit_run(&mut j) {
            i = j;
        }
    }
    if run.get(i).is_some_and(|&c| is_word_char(c)) {
        // `5x`: not a number; step over the whole word.
        let len = i + run[i..].iter().position(|&c| !is_word_char(c)).unwrap_or(run.len() - i);
        return (None, len);
    }
    if run.get(i) == Some(&b'%') {
        i += 1;
    }
    (Some(Lexeme::Number), i)
}

/// A string runs to its closing quote (escapes skipped) or its line's end.
fn string_len(rest: &[u8]) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            b'"' => return i + 1,
            b'\\' if rest.get(i + 1).is_some_and(|&c| c != b'\n' && c != b'\r') => i += 2,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexemes(text: &str) -> Vec<(String, u32, u32, u32)> {
        lex(text)
            .into_iter()
            .map(|t| {
                let what = match t.lexeme {
                    Lexeme::Word(w) => w.to_string(),
                    Lexeme::Number => "#".to_string(),
                    Lexeme::Date => "@".to_string(),
                };
                (what, t.line, t.column, t.length)
            })
            .collect()
    }

    #[test]
    fn steps_over_comments_and_strings_and_counts_utf16_columns() {
        let text = "actor A \"𝄞 actor \\\" x\" B // actor\r\n/* a /* b */ c */ 1_000 -2.5e-3 40% 2024-02-29 5x\r-3 x";
        assert_eq!(
            lexemes(text),
            [
                ("actor".into(), 0, 0, 5),
                ("A".into(), 0, 6, 1),
                ("B".into(), 0, 24, 1),
                ("#".into(), 1, 18, 5),
                ("#".into(), 1, 24, 7),
                ("#".into(), 1, 32, 3),
                ("@".into(), 1, 36, 10),
                ("#".into(), 2, 0, 2),
                ("x".into(), 2, 3, 1),
            ]
        );
    }

    #[test]
    fn an_unclosed_comment_or_string_ends_the_scan_quietly() {
        assert_eq!(lexemes("actor \"no end\nB /* open"), [("actor".into(), 0, 0, 5), ("B".into(), 1, 0, 1)]);
        assert_eq!(lexemes("x -> -"), [("x".into(), 0, 0, 1)]);
    }
}
