//! pest errors in the user's words: "expected `]` or `,` in a list of names,
//! found `}`" rather than rule names.

use super::comments;
use super::grammar::{DtrParser, Rule};
use super::literal;
use super::recover::{self, Unclosed};
use crate::diagnostic::messages::{self, Hint, Syntax};
use crate::diagnostic::{Diagnostic, QUOTE_CHARS, invisible, quote};
use crate::source::{FileId, Span};
use crate::vocabulary::{DECLARATION_KEYWORDS, is_keyword};
use pest::Parser;
use pest::error::{Error, ErrorVariant, InputLocation};
use std::collections::BTreeSet;

/// What a rule means to a user, when it is what the parser wanted next.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        ident => "a name",
        string => "a string",
        number => "a number",
        percent => "a percentage",
        date => "a date",
        parties => "a name",
        comparison => "a comparison (`<`, `<=`, `>`, `>=`)",
        obligation_kind => "an obligation kind (`defend`, `join`, `consult`, `neutral`, `nonaggression`)",
        commitment_kind => "a commitment kind (`defends`, `attacks`, `consults`, `neutral`, `nonaggression`)",
        kw_import => "`import`",
        kw_settings => "`settings`",
        kw_domain => "`domain`",
        kw_region => "`region`",
        kw_actor => "`actor`",
        kw_alliance => "`alliance`",
        kw_obligation => "`obligation`",
        kw_commitment => "`commitment`",
        kw_threat => "`threat`",
        kw_scenario => "`scenario`",
        kw_expect => "`expect`",
        kw_unprovoked => "`unprovoked`",
        kw_opening => "`opening`",
        kw_not => "`not`",
        kw_and => "`and`",
        kw_or => "`or`",
        kw_on => "`on`",
        kw_by => "`by`",
        kw_in => "`in`",
        kw_within => "`within`",
        kw_at => "`at`",
        kw_attacks => "`attacks`",
        kw_attack => "`attack`",
        kw_war => "`war`",
        kw_between => "`between`",
        kw_with => "`with`",
        kw_threat_to => "`threat_to`",
        kw_joins => "`joins`",
        kw_stays => "`stays`",
        kw_out => "`out`",
        kw_reaches => "`reaches`",
        kw_gap => "`gap`",
        kw_no => "`no`",
        member => "`member`",
        any => "`any`",
        provoked => "`provoked`",
        at_least => "`>=`",
        EOI => "end of file",
        _ => return None,
    })
}

/// The literal tokens that a description already names, left out of the
/// list beside it: "a comparison (`<`, `<=`, `>`, `>=`)" rather than
/// "`<=`, `<`, `>=`, `>` or a comparison (…)".
fn covered(description: &str) -> &'static [&'static str] {
    match description {
        "a comparison (`<`, `<=`, `>`, `>=`)" => &["`<`", "`<=`", "`>`", "`>=`"],
        "an obligation kind (`defend`, `join`, `consult`, `neutral`, `nonaggression`)" => {
            &["`defend`", "`join`", "`consult`", "`neutral`", "`nonaggression`"]
        }
        "a commitment kind (`defends`, `attacks`, `consults`, `neutral`, `nonaggression`)" => {
            &["`defends`", "`attacks`", "`consults`", "`neutral`", "`nonaggression`"]
        }
        // The sign of a number is part of "a number".
        "a number" => &["`-`"],
        _ => &[],
    }
}

/// Whether `wanted` (as shown: "`import`") is the declaration keyword
/// `keyword`: when all of them are expected, the message says "a
/// declaration" and the help lists them.
fn is_declaration(wanted: &str, keyword: &str) -> bool {
    wanted.strip_prefix('`').and_then(|w| w.strip_suffix('`')) == Some(keyword)
}

/// Where the parser was, in words, for "… in a list of names".
fn context(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        name_list => "in a list of names",
        settings | year_field | date_field | ladder_field | ratio_field | floor_field | samples_field | seed_field
        | opening_field => "in `settings`",
        region | region_body | contains_field => "in a `region` declaration",
        actor | actor_body | region_field | resolve_field => "in an `actor` declaration",
        capability_field | capability_entry => "in a `capability` block",
        alliance | members_field => "in an `alliance` declaration",
        obligation | terms | when_field | domains_field | response_field | credibility_field => {
            "in an obligation or commitment"
        }
        commitment => "in a `commitment` declaration",
        condition | or_condition | and_condition | unary | group | attack_atom | war_between | war_with | threat_to
        | parties => "in a condition",
        except | except_entry => "in an `except` block",
        threat | threat_body => "in a `threat` declaration",
        scenario | opening => "in a scenario",
        expect | gap_expectation | no_gap_expectation | scenario_expectation | probability_outcome => {
            "in an expectation"
        }
        import => "in an `import`",
        _ => return None,
    })
}

/// The token found at `at`, as the user would name it.
fn found(text: &str, at: usize) -> String {
    let rest = &text[at.min(text.len())..];
    let Some(c) = rest.chars().next() else { return "end of file".to_string() };
    if c.is_alphanumeric() || c == '_' {
        let len: usize = rest.chars().take(QUOTE_CHARS + 1).take_while(|&d| in_literal(c, d)).map(char::len_utf8).sum();
        return format!("`{}`", quote(&rest[..len]));
    }
    if c == '"' {
        return "a string".to_string();
    }
    if rest.starts_with("->") || rest.starts_with(">=") || rest.starts_with("<=") {
        return format!("`{}`", &rest[..2]);
    }
    match c {
        '\n' | '\r' => "end of line".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c if invisible(c) => format!("the invisible character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `c` goes on a word that starts with `first`: a number goes on
/// with `.` (`1.5x`), a date also with `-` (`2024-02-30x`).
fn in_literal(first: char, c: char) -> bool {
    is_word(c) || c == '.' || (c == '-' && first.is_ascii_digit())
}

/// Where to explain a failed parse of `text`, and the error whose parse
/// attempts say what was expected there (None when none do).
///
/// pest's furthest attempt can lie inside a word: the letters of a keyword
/// match before the check that the word ends there fails (`stays outside`
/// matches `out`; the look-ahead that keeps keywords from being names
/// matches `stays` in `stays_out`). Then the error is that whole word, at
/// its start, where the classic error is; and what was expected is what the
/// parser tried there: parsing the text up to it, followed by a character
/// that no token starts with, puts the furthest attempt there.
fn failure(error: &Error<Rule>, text: &str) -> (usize, Option<Error<Rule>>) {
    let classic = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let Some(furthest) = error.parse_attempts().map(|a| a.max_position) else { return (classic, None) };
    // A number can end inside a date (`2024` of `2024-02-30x`): the word
    // then starts with the date.
    let digits_before = text[..classic].len() - text[..classic].trim_end_matches(|c| in_literal('0', c)).len();
    let classic = match text[classic - digits_before..].chars().next() {
        Some(c) if c.is_ascii_digit() && furthest > classic => classic - digits_before,
        _ => classic,
    };
    let in_word = furthest > classic
        && text.get(classic..furthest).is_some_and(|w| {
            let first = w.chars().next().unwrap_or(' ');
            w.chars().all(|c| in_literal(first, c))
        });
    if !in_word {
        return (furthest, Some(error.clone()));
    }
    let probe = format!("{}\u{1}", &text[..classic]);
    let probed = DtrParser::parse(Rule::file, &probe)
        .err()
        .filter(|e| e.parse_attempts().is_some_and(|a| a.max_position == classic));
    (classic, probed)
}

/// One syntax error for a failed parse of `text`, which starts at `base` in
/// `whole` (the file): an error at the end of one declaration is shown at the
/// start of the next, which is what the user sees there.
pub fn syntax_error(error: &Error<Rule>, file: FileId, base: usize, text: &str, whole: &str) -> Diagnostic {
    if let Some(d) = unclosed(error, file, base, text) {
        return d;
    }
    let (at, attempted) = failure(error, text);
    let attempts = attempted.and_then(|e| e.parse_attempts());
    let mut expected: BTreeSet<&'static str> = BTreeSet::new();
    let mut tokens: BTreeSet<String> = BTreeSet::new();
    let mut where_: Option<&'static str> = None;
    if let Some(attempts) = &attempts {
        for stack in attempts.call_stacks() {
            if let Some(r) = stack.deepest.get_rule() {
                expected.extend(describe(*r));
                where_ = where_.or_else(|| context(*r));
            }
        }
        for stack in attempts.call_stacks() {
            where_ = where_.or_else(|| stack.parent.and_then(context));
        }
        for t in attempts.expected_tokens() {
            // Literal tokens print as themselves; ranges and built-ins are
            // left out, but letters are where a name starts (or goes on):
            // pest names the rule that tried them only when it tried few.
            let token = t.to_string();
            if token == "a..z" {
                expected.insert("a name");
            }
            if !token.contains("..")
                && token != "BUILTIN_RULE"
                && token != "_"
                && !matches!(token.as_str(), " " | "\t" | "\n" | "\r\n" | "\r" | "\u{feff}" | "//" | "///" | "/*")
            {
                tokens.insert(format!("`{token}`"));
            }
        }
    }
    if expected.is_empty()
        && tokens.is_empty()
        && let ErrorVariant::ParsingError { positives, .. } = &error.variant
    {
        expected.extend(positives.iter().filter_map(|r| describe(*r)));
        where_ = where_.or_else(|| positives.iter().find_map(|r| context(*r)));
    }
    // Right after a name, "a name" only means the name could have gone on
    // (after a keyword, or a comment, a name may really come next:
    // `nonaggression` at the end of the file); right after a digit, `.`,
    // `e` and `E` only mean the number could have.
    let before = &text[..at.min(text.len())];
    let last_word = &before[before.trim_end_matches(is_word).len()..];
    let after_comment = || comments::scan(text).iter().any(|(_, r)| r.end == at);
    if !last_word.is_empty() && !is_keyword(last_word) && !after_comment() {
        expected.remove("a name");
    }
    if before.ends_with(|c: char| c.is_ascii_digit()) {
        for continuation in ["`.`", "`e`", "`E`"] {
            tokens.remove(continuation);
        }
    }
    let mut wanted: Vec<String> = Vec::new();
    for t in &tokens {
        if !expected.iter().any(|e| covered(e).contains(&t.as_str())) {
            wanted.push(t.clone());
        }
    }
    for e in &expected {
        if !wanted.iter().any(|w| w == e) {
            wanted.push(e.to_string());
        }
    }
    // A keyword that the word found starts with: `outside` for `out`.
    let found_word = word(whole, base + at).unwrap_or("");
    let run_on = tokens
        .iter()
        .chain(&wanted)
        .filter_map(|w| w.strip_prefix('`')?.strip_suffix('`'))
        .filter(|k| is_keyword(k) && found_word.len() > k.len() && found_word.starts_with(k))
        .max_by_key(|k| k.len())
        .map(str::to_string);
    if DECLARATION_KEYWORDS.iter().all(|k| wanted.iter().any(|w| is_declaration(w, k))) {
        wanted.retain(|w| !DECLARATION_KEYWORDS.iter().any(|k| is_declaration(w, k)) && w != "end of file");
        wanted.push("a declaration".to_string());
    }
    let found = found(whole, base + at);
    let start = base + at;
    let len = match whole[start.min(whole.len())..].chars().next() {
        Some(c) if is_word(c) => whole[start..].chars().take_while(|&d| in_literal(c, d)).map(char::len_utf8).sum(),
        Some(c) => c.len_utf8(),
        None => 0,
    };
    let hint = hint(text, at, &wanted, run_on.as_deref());
    messages::e0001(
        Syntax::Unexpected { wanted: &wanted, context: where_, found: &found, hint },
        Span::new(file, start, start + len),
    )
}

/// An unclosed string or block comment is named at its start, which is where
/// the fix goes, not where the parser gave up.
fn unclosed(error: &Error<Rule>, file: FileId, base: usize, text: &str) -> Option<Diagnostic> {
    let at = error.parse_attempts().map(|a| a.max_position).unwrap_or(match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    });
    // The parser may stop at the end of the line a string runs into.
    let at = text[at.min(text.len())..].find('\n').map_or(text.len(), |n| at + n);
    Some(match recover::unclosed_at(text, at)? {
        Unclosed::String(start) => {
            messages::e0001(Syntax::UnterminatedString, Span::new(file, base + start, base + start + 1))
        }
        Unclosed::Comment(start) => {
            messages::e0001(Syntax::UnterminatedComment, Span::new(file, base + start, base + start + 2))
        }
    })
}

/// The commonest slips, recognised; `run_on` is the keyword the word
/// found starts with, if one does.
fn hint<'t>(text: &'t str, at: usize, wanted: &[String], run_on: Option<&'t str>) -> Option<Hint<'t>> {
    let word = word(text, at).unwrap_or("");
    if let Some(keyword) = run_on {
        return Some(Hint::RunOn { word, keyword });
    }
    let value_wanted = wanted.iter().any(|w| matches!(w.as_str(), "a number" | "a date" | "a percentage"));
    if let Some((literal, word)) = literal_run_on(text, at).filter(|_| value_wanted) {
        return Some(Hint::LiteralRunOn { literal, word });
    }
    if is_keyword(word) && wanted.iter().any(|w| w == "a name") {
        return Some(Hint::KeywordAsName(word));
    }
    if text[at.min(text.len())..].chars().next().is_some_and(invisible) {
        return Some(Hint::Invisible);
    }
    if wanted.iter().any(|w| w == "a declaration") {
        return Some(Hint::Declaration);
    }
    if wanted.iter().any(|w| w == "`]`" || w == "`,`") && !word.is_empty() {
        return Some(Hint::ListSeparator);
    }
    if wanted.iter().any(|w| w == "`}`") {
        return Some(Hint::UnclosedBlock);
    }
    None
}

/// A number or date at `at` that runs into a word (`3import`,
/// `2024-02-30ctor`, `1.5e3x`): the value and the word, split where the
/// grammar's `date` or `number` ends.
fn literal_run_on(text: &str, at: usize) -> Option<(&str, &str)> {
    let rest = text.get(at..)?;
    let first = rest.chars().next().filter(char::is_ascii_digit)?;
    let len: usize = rest.chars().take_while(|&c| in_literal(first, c)).map(char::len_utf8).sum();
    let whole = &rest[..len];
    let value = value_len(whole.as_bytes());
    let word = &whole[value..];
    word.starts_with(|c: char| c.is_alphabetic() || c == '_').then(|| (&whole[..value], word))
}

/// The length of the date (`YYYY-MM-DD`) or number that `s` starts with.
fn value_len(s: &[u8]) -> usize {
    if s.get(..10).is_some_and(literal::is_date_form) { 10 } else { literal::number_len(s) }
}

/// The word (name or keyword) starting at `at`, if one does.
fn word(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..)?;
    let len: usize = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    (len > 0).then(|| &rest[..len])
}

#[cfg(test)]
mod tests {
    use super::literal_run_on;

    #[test]
    fn a_value_run_into_a_word_splits_where_the_grammar_ends_it() {
        let split = |text| literal_run_on(text, 0);
        assert_eq!(split("2024-02-30ctor }"), Some(("2024-02-30", "ctor")));
        assert_eq!(split("3import \"x\""), Some(("3", "import")));
        assert_eq!(split("1.5e-3x"), Some(("1.5e-3", "x")));
        assert_eq!(split("1_000x"), Some(("1_000", "x")));
        assert_eq!(split("1_x"), Some(("1", "_x")), "`_` goes between two digits only");
        assert_eq!(split("1.5.x"), None, "`1.5.` goes on with `.`, not a letter");
        assert_eq!(split("12e"), Some(("12", "e")), "an exponent needs digits");
        assert_eq!(split("2024-02-3x"), None, "not a date, and `2024` runs into `-`, not a letter");
        assert_eq!(split("42 }"), None);
        assert_eq!(split("x42"), None);
    }
}
