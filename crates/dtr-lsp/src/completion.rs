//! Completion by context: the names of the kind the grammar expects where
//! the cursor is (actors after `members: [`, domains after `in`, rungs after
//! `response:` or `at`, regions after `within`, …), and keywords and
//! declaration snippets at the top level.

use super::snapshot::Snapshot;
use dtr::source::FileId;
use dtr::vocabulary::DeclarationKind;
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, InsertTextFormat, Position};

/// Declarations as snippets (LSP snippet syntax), by keyword.
pub const SNIPPETS: &[(&str, &str)] = &[
    ("import", "import \"${1:file.dtr}\""),
    ("settings", "settings {\n  year: ${1:2026}\n}"),
    ("domain", "domain ${1:name} \"${2:Label}\""),
    ("region", "region ${1:name} \"${2:Label}\""),
    ("actor", "actor ${1:NAME} \"${2:Label}\" {\n  capability { ${3:land}: ${4:10} }\n}"),
    (
        "alliance",
        "alliance ${1:NAME} \"${2:Label}\" {\n  members: [${3:A}, ${4:B}]\n  obligation ${5:mutual_defence} defend {\n    credibility: ${6:80%}\n  }\n}",
    ),
    ("commitment", "commitment ${1:name}: ${2:ACTOR} defends ${3:TARGET} {\n  credibility: ${4:70%}\n}"),
    ("threat", "threat ${1:AGGRESSOR} -> ${2:TARGET}"),
    ("scenario", "scenario ${1:name} \"${2:Label}\" {\n  ${3:AGGRESSOR} attacks ${4:VICTIM} at ${5:limited_war}\n}"),
    ("expect", "expect ${1:SCENARIO}: ${2:ACTOR} joins"),
];

pub fn complete(snapshot: &Snapshot, position: Position) -> Vec<CompletionItem> {
    let text = snapshot.text(FileId(0));
    let offset = (snapshot.offset(position) as usize).min(text.len());
    let prefix = text.get(..offset).unwrap_or("");
    let before = prefix.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    match context(before) {
        Context::TopLevel => top_level(),
        Context::Names(kinds, extra) => {
            let mut items = names(snapshot, kinds);
            items.extend(extra.iter().map(|k| keyword(k)));
            items
        }
        Context::Nothing => Vec::new(),
    }
}

enum Context {
    TopLevel,
    Names(&'static [DeclarationKind], &'static [&'static str]),
    Nothing,
}

fn context(before: &str) -> Context {
    let depth = depth(before);
    let line = before.rsplit('\n').next().unwrap_or("");
    if depth.braces == 0 && depth.brackets == 0 && line.trim().is_empty() {
        return Context::TopLevel;
    }
    let trimmed = before.trim_end();
    // Inside a list, or on a fresh line of a block: the word that opened it decides.
    let fresh_line = line.trim().is_empty();
    let opener = if trimmed.ends_with(['[', ',']) || fresh_line {
        unclosed(trimmed).map(|at| {
            if trimmed[at..].starts_with('{') { word_before(&trimmed[..=at]) } else { word_before(&trimmed[..at]) }
        })
    } else {
        None
    };
    let word = opener.unwrap_or_else(|| word_before(trimmed));
    const PARTIES: &[DeclarationKind] = &[DeclarationKind::Actor, DeclarationKind::Alliance];
    match word.as_str() {
        "members" | "->" | "threat" | "gap" | "except" | "attacks" => Context::Names(&[DeclarationKind::Actor], &[]),
        "on" | "by" | "threat_to" | "with" | "between" | "defends" | "consults" | "neutral" | "nonaggression" => {
            Context::Names(PARTIES, &["member", "any"])
        }
        "in" | "domains" | "capability" => Context::Names(&[DeclarationKind::Domain], &[]),
        // A condition's first word, and what its prefixes leave: the keyword
        // `opening` comes before `attack`, the field `opening:` before a rung.
        "when" => Context::Names(&[], &["attack", "unprovoked", "opening", "not", "war", "threat_to"]),
        "unprovoked" => Context::Names(&[], &["opening", "attack"]),
        "opening" if !trimmed.ends_with(':') => Context::Names(&[], &["attack"]),
        "response" | "at" | "opening" | "reaches" => Context::Names(&[DeclarationKind::Rung], &[]),
        "within" | "region" | "contains" => Context::Names(&[DeclarationKind::Region], &[]),
        "expect" => Context::Names(&[DeclarationKind::Scenario], &["gap", "no"]),
        // `scenario s { … }` and a new opening line inside it.
        w if w.starts_with("scenario ") => Context::Names(&[DeclarationKind::Actor], &[]),
        // `expect narva: …` and `commitment c: …`.
        w if w.starts_with("expect:") => Context::Names(&[DeclarationKind::Actor], &["reaches", "not"]),
        w if w.starts_with("commitment:") => Context::Names(&[DeclarationKind::Actor], &[]),
        _ => Context::Nothing,
    }
}

/// The word that decides what may follow `text`: its last word, or `>=`
/// skipped to the `at` before it, or for `{` the declaration keyword that
/// opened the block (`scenario …`), or for `NAME:` the declaration it
/// belongs to (`expect:`, `commitment:`).
fn word_before(text: &str) -> String {
    let text = text.trim_end();
    let text = text.strip_suffix(">=").map_or(text, str::trim_end);
    if let Some(rest) = text.strip_suffix('{') {
        let statement = rest.rsplit('\n').next().unwrap_or("").trim_start();
        return match statement.split_whitespace().next() {
            Some("scenario") => "scenario ".to_string(),
            _ => word_before(rest),
        };
    }
    if let Some(rest) = text.strip_suffix(':') {
        let statement = rest.rsplit('\n').next().unwrap_or("").trim_start();
        let key = rest.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        let words: Vec<&str> = statement.split_whitespace().collect();
        return match words[..] {
            [first @ ("expect" | "commitment"), _] => format!("{first}:"),
            _ => key.to_string(),
        };
    }
    if text.ends_with("->") {
        return "->".to_string();
    }
    text.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("").to_string()
}

struct Depth {
    braces: i32,
    brackets: i32,
}

/// Open `{` and `[` before the cursor, not counting comments and strings.
fn depth(text: &str) -> Depth {
    let mut depth = Depth { braces: 0, brackets: 0 };
    for c in code(text) {
        match c {
            '{' => depth.braces += 1,
            '}' => depth.braces -= 1,
            '[' => depth.brackets += 1,
            ']' => depth.brackets -= 1,
            _ => {}
        }
    }
    depth
}

/// The byte offset of the innermost unclosed `[` or `{` of `text`.
fn unclosed(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut in_comment = false;
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '"' => in_string = !in_string,
            _ if in_string => {}
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => in_comment = true,
            '[' | '{' => open.push(i),
            ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// The characters of `text` outside line comments and strings.
fn code(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut in_comment = false;
    let mut in_string = false;
    let mut previous = ' ';
    text.chars().filter(move |&c| {
        let was = previous;
        previous = c;
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
                false
            }
            _ if in_comment => false,
            '"' => {
                in_string = !in_string;
                false
            }
            _ if in_string => false,
            '/' if was == '/' => {
                in_comment = true;
                false
            }
            _ => true,
        }
    })
}

fn names(snapshot: &Snapshot, kinds: &[DeclarationKind]) -> Vec<CompletionItem> {
    let program = &snapshot.checked.program;
    let mut seen = std::collections::HashSet::new();
    snapshot
        .checked
        .references
        .definitions
        .iter()
        .filter(|d| kinds.contains(&d.kind) && seen.insert((d.kind, d.name(&snapshot.checked.sources))))
        .map(|d| {
            let i = d.index as usize;
            let label = match d.kind {
                DeclarationKind::Actor => program.actors.get(i).and_then(|a| a.label().map(str::to_string)),
                DeclarationKind::Alliance => program.alliances.get(i).and_then(|a| a.label.clone()),
                DeclarationKind::Domain => program.domains.get(i).and_then(|a| a.label.clone()),
                DeclarationKind::Region => program.regions.get(i).and_then(|a| a.label.clone()),
                DeclarationKind::Scenario => program.scenarios.get(i).and_then(|a| a.label.clone()),
                DeclarationKind::Commitment | DeclarationKind::Rung => None,
            };
            CompletionItem {
                label: d.name(&snapshot.checked.sources).to_string(),
                kind: Some(item_kind(d.kind)),
                detail: Some(match label {
                    Some(l) => format!("{} — {l}", d.kind.word()),
                    None => d.kind.word().to_string(),
                }),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn item_kind(kind: DeclarationKind) -> CompletionItemKind {
    match kind {
        DeclarationKind::Actor => CompletionItemKind::CLASS,
        DeclarationKind::Alliance => CompletionItemKind::MODULE,
        DeclarationKind::Commitment => CompletionItemKind::INTERFACE,
        DeclarationKind::Domain => CompletionItemKind::ENUM,
        DeclarationKind::Region => CompletionItemKind::FOLDER,
        DeclarationKind::Scenario => CompletionItemKind::EVENT,
        DeclarationKind::Rung => CompletionItemKind::ENUM_MEMBER,
    }
}

fn keyword(word: &str) -> CompletionItem {
    CompletionItem { label: word.to_string(), kind: Some(CompletionItemKind::KEYWORD), ..CompletionItem::default() }
}

fn top_level() -> Vec<CompletionItem> {
    SNIPPETS
        .iter()
        .map(|(word, snippet)| CompletionItem {
            label: word.to_string(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some(format!("{word} declaration")),
            insert_text: Some(snippet.to_string()),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(before: &str) -> String {
        match context(before) {
            Context::TopLevel => "top".to_string(),
            Context::Names([], keywords) => keywords.join("|"),
            Context::Names(kinds, _) => kinds.iter().map(|k| k.word()).collect::<Vec<_>>().join("+"),
            Context::Nothing => "nothing".to_string(),
        }
    }

    #[test]
    fn finds_the_context() {
        assert_eq!(word("actor A\n"), "top");
        assert_eq!(word("alliance N {\n  members: ["), "actor");
        assert_eq!(word("alliance N {\n  members: [EST, "), "actor");
        assert_eq!(word("scenario s { A attacks B in "), "domain");
        assert_eq!(word("scenario s { A attacks B in [land, "), "domain");
        assert_eq!(word("commitment c: A defends B { response: "), "rung");
        assert_eq!(word("commitment c: A defends B { when: attack at >= "), "rung");
        assert_eq!(word("commitment c: A defends B { when: attack within "), "region");
        assert_eq!(word("commitment c: A defends B { when: attack on "), "actor+alliance");
        assert_eq!(word("commitment c: "), "actor");
        assert_eq!(word("commitment c: A defends B { when: "), "attack|unprovoked|opening|not|war|threat_to");
        assert_eq!(word("commitment c: A defends B { when: unprovoked "), "opening|attack");
        assert_eq!(word("commitment c: A defends B { when: opening "), "attack");
        assert_eq!(word("commitment c: A defends B { when: unprovoked opening "), "attack");
        assert_eq!(word("settings { opening: "), "rung");
        assert_eq!(word("actor A { capability { "), "domain");
        assert_eq!(word("actor A { capability { land: 3, "), "domain");
        assert_eq!(word("scenario s \"S\" {\n  "), "actor");
        assert_eq!(word("threat A -> "), "actor");
        assert_eq!(word("scenario s {\n  A attacks B\n  "), "actor");
        assert_eq!(word("expect "), "scenario");
        assert_eq!(word("expect narva: "), "actor");
        assert_eq!(word("actor A \"// {\" "), "nothing");
        assert_eq!(word("actor A { resolve: "), "nothing");
    }

    #[test]
    fn snippets_parse() {
        for (word, snippet) in SNIPPETS {
            // `${1:x}` → `x`.
            let mut text = String::new();
            let mut rest = *snippet;
            while let Some(at) = rest.find("${") {
                text.push_str(&rest[..at]);
                let end = rest[at..].find('}').map_or(rest.len(), |e| at + e);
                let inner = &rest[at + 2..end];
                text.push_str(inner.split_once(':').map_or("", |(_, d)| d));
                rest = &rest[(end + 1).min(rest.len())..];
            }
            text.push_str(rest);
            let parsed = dtr::syntax::parse(FileId(0), &text);
            assert!(parsed.diagnostics.is_empty(), "{word}: {text}\n{:?}", parsed.diagnostics);
        }
    }
}
