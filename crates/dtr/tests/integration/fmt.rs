//! `dtr fmt`: snapshots of the layout (tests/fixtures/fmt/, one per file),
//! and its promises checked on every example, every test fixture, every
//! block of the docs and generated programs: formatting is idempotent, the
//! program parses the same (spans aside), and every comment survives.

use crate::common;

use dtr::diagnostic::Code;
use dtr::source::FileId;
use dtr::syntax::{self, ast::CommentKind};
use proptest::prelude::*;
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn fixtures() {
    insta::glob!("../fixtures/fmt", "*.dtr", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        let formatted = assert_formats_well(&text, &path.display().to_string());
        insta::assert_snapshot!(formatted);
    });
}

#[test]
fn every_example_is_formatted() {
    for path in dtr_files("examples") {
        let text = std::fs::read_to_string(&path).expect("example");
        let formatted = dtr::fmt::format(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert!(formatted == text, "{} is not formatted: run `dtr fmt {}`", path.display(), path.display());
    }
}

#[test]
fn examples_and_test_fixtures_keep_their_meaning_and_comments() {
    let mut formatted = 0;
    for path in dtr_files("examples").into_iter().chain(dtr_files("crates/dtr/tests/fixtures")) {
        let Ok(text) = std::fs::read_to_string(&path) else { continue }; // the fixture that is not UTF-8
        let name = path.display().to_string();
        if syntax::parse(FileId(0), &text).diagnostics.is_empty() {
            assert_formats_well(&text, &name);
            formatted += 1;
        } else {
            let errors = dtr::fmt::format(&text).expect_err(&name);
            assert!(errors.iter().all(|d| d.code != Code::E0040), "{name}: {errors:?}");
        }
    }
    assert!(formatted > 40, "only {formatted} files formatted");
}

#[test]
fn documentation_blocks_keep_their_meaning_and_comments() {
    let root = common::workspace();
    let mut pages = vec![root.join("docs/language.md"), root.join("README.md")];
    pages.extend(std::fs::read_dir(root.join("crates/dtr/codes")).expect("codes").filter_map(|e| Some(e.ok()?.path())));
    for page in pages {
        let markdown = std::fs::read_to_string(&page).expect("page");
        for (info, body) in common::fenced_blocks(&markdown) {
            if info.starts_with("dtr") && syntax::parse(FileId(0), &body).diagnostics.is_empty() {
                assert_formats_well(&body, &page.display().to_string());
            }
        }
    }
}

#[test]
fn the_documented_example_formats_as_shown() {
    let page = std::fs::read_to_string(common::workspace().join("docs/fmt.md")).expect("docs/fmt.md");
    let blocks = common::fenced_blocks(&page);
    let before = blocks.iter().position(|(info, _)| info == "dtr,before").expect("a ```dtr,before block");
    let (Some((_, messy)), Some((info, formatted))) = (blocks.get(before), blocks.get(before + 1)) else {
        panic!("no pair")
    };
    assert_eq!(info, "dtr");
    assert_eq!(dtr::fmt::format(messy).as_ref(), Ok(formatted));
}

#[test]
fn syntax_errors_are_reported_not_formatted() {
    let errors = dtr::fmt::format("actor A { region: }\nactor B\n").expect_err("syntax error");
    assert_eq!(errors.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::E0001]);
    let errors = dtr::fmt::format("actor A \"\\q\"").expect_err("bad escape");
    assert_eq!(errors.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::E0018]);
}

/// A doc comment ending in white space documents its declaration like any
/// other, so dropping the white space keeps the program (it was E0040).
#[test]
fn doc_comments_with_trailing_white_space_format() {
    assert_eq!(
        dtr::fmt::format("/// Estonia.  \t\n///  \nactor EST\n").as_deref(),
        Ok("/// Estonia.\n///\nactor EST\n")
    );
    let parsed = dtr::syntax::parse(dtr::source::FileId(0), "/// Estonia.  \nactor EST\n");
    assert_eq!(parsed.file.doc(&parsed.file.items[0]), Some("Estonia."));
}

#[test]
fn line_ends_and_byte_order_marks_are_normalised() {
    let text = "\u{FEFF}// a\r\nactor A /* b\r\n c */ { resolve: 1 }\r\n";
    assert_eq!(dtr::fmt::format(text).as_deref(), Ok("// a\nactor A /* b\n c */ {\n  resolve: 1\n}\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_keep_their_meaning_and_comments(choices in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = Generator::program(&choices);
        prop_assume!(syntax::parse(FileId(0), &text).diagnostics.is_empty());
        assert_formats_well(&text, &text);
    }
}

// ---------------------------------------------------------------- the promises

/// Formats `text` and checks the promises of `dtr fmt`; returns the result.
fn assert_formats_well(text: &str, name: &str) -> String {
    let once = dtr::fmt::format(text).unwrap_or_else(|e| panic!("{name}: not formatted: {e:#?}"));
    let twice = dtr::fmt::format(&once).unwrap_or_else(|e| panic!("{name}: formatted text fails: {e:#?}\n{once}"));
    assert_eq!(once, twice, "{name}: not idempotent");
    assert_eq!(program(text), program(&once), "{name}: meaning changed:\n{once}");
    assert_eq!(comments(text), comments(&once), "{name}: comments changed:\n{once}");
    assert_eq!(tokens(text), tokens(&once), "{name}: a literal or token changed:\n{once}");
    assert!(once.is_empty() || once.ends_with('\n') && !once.ends_with("\n\n"), "{name}: ends badly");
    assert!(once.lines().all(|l| l == l.trim_end()), "{name}: trailing white space");
    once
}

/// The parsed declarations as JSON, without positions.
fn program(text: &str) -> Value {
    let parsed = syntax::parse(FileId(0), text);
    assert!(parsed.diagnostics.is_empty(), "does not parse: {:?}", parsed.diagnostics);
    // Each declaration with its doc comment.
    let items: Vec<_> = parsed.file.items.iter().map(|i| (i, parsed.file.doc(i))).collect();
    strip_spans(serde_json::to_value(&items).expect("json"))
}

fn strip_spans(v: Value) -> Value {
    match v {
        // A span (conditions and parties hold theirs in tuple fields).
        Value::Object(map) if map.contains_key("file") && map.contains_key("start") => Value::Null,
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(k, _)| !k.ends_with("span")).map(|(k, v)| (k, strip_spans(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_spans).collect()),
        other => other,
    }
}

/// The text without comments, white space and commas: literals must keep
/// their spelling (`1_000`, `85%`, `0.850`) and no token may move.
fn tokens(text: &str) -> String {
    let parsed = syntax::parse(FileId(0), text);
    let mut out = String::new();
    let mut at = 0;
    for c in &parsed.file.comments {
        out.push_str(&text[at..c.span.start as usize]);
        at = c.span.end as usize;
    }
    out.push_str(&text[at..]);
    out.retain(|c| !c.is_whitespace() && c != ',' && c != '\u{FEFF}');
    out
}

/// The comments' texts, sorted (white space at line ends and `\r` aside).
fn comments(text: &str) -> Vec<String> {
    let parsed = syntax::parse(FileId(0), text);
    let mut out: Vec<String> = parsed
        .file
        .comments
        .iter()
        .map(|c| {
            let t = &text[c.span.range()];
            match c.kind {
                CommentKind::Block => format!("block {}", t.replace("\r\n", "\n")),
                CommentKind::Line | CommentKind::Doc => format!("{:?} {}", c.kind, t.trim_end()),
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_comparisons_see_changes_and_ignore_layout() {
    assert_eq!(program("actor A { resolve: 1 }"), program("actor   A {\n resolve :1, }"));
    assert_ne!(
        program("commitment c: A defends B { when: attack on member }"),
        program("commitment c: A defends B { when: attack on any }")
    );
    assert_ne!(program("region r\n/// d\nactor A"), program("region r\nactor A"));
    assert_eq!(tokens("actor A /* x */ { resolve: 1, }"), tokens("actor A {\n  resolve: 1\n}"));
    assert_ne!(tokens("actor A { resolve: 1 }"), tokens("actor A { resolve: 1.0 }"));
}

fn dtr_files(dir: &str) -> Vec<PathBuf> {
    let root = common::workspace().join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("folder").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "dtr") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------- generated programs

/// Builds a program from a list of choices: tokens of random declarations,
/// joined by random white space and comments of every kind.
struct Generator<'c> {
    choices: &'c [u8],
    at: usize,
    tokens: Vec<String>,
}

// One long name, so that lists and conditions overflow the width and break.
const NAMES: &[&str] = &["A", "B", "USA", "r1", "land", "x_2", "a_name_long_enough_to_make_lines_break"];
const SEPARATORS: &[&str] = &[
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\n",
    "  ",
    "\n\n",
    "\t",
    "\r\n",
    " /* c */ ",
    " // c\n",
    "\n// own line\n",
    "\n/// doc\n",
    "\n\n/* two\n   lines */\n",
    " /* a /* nested */ b */",
    "\n\n\n",
    " //\n",
];

impl Generator<'_> {
    fn program(choices: &[u8]) -> String {
        let mut g = Generator { choices, at: 0, tokens: Vec::new() };
        for _ in 0..1 + g.pick(8) {
            g.item();
        }
        let mut text = String::new();
        let tokens = std::mem::take(&mut g.tokens);
        for token in tokens {
            text.push_str(g.separator());
            text.push_str(&token);
        }
        text.push_str(g.separator());
        text
    }

    fn pick(&mut self, n: usize) -> usize {
        let c = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        c as usize % n
    }

    fn chance(&mut self) -> bool {
        self.pick(2) == 0
    }

    fn separator(&mut self) -> &'static str {
        // Single spaces most of the time, so that runs of tokens stay on a line.
        if self.pick(3) == 0 { SEPARATORS[self.pick(SEPARATORS.len())] } else { " " }
    }

    fn push(&mut self, tokens: &[&str]) {
        self.tokens.extend(tokens.iter().map(|t| t.to_string()));
    }

    fn name(&mut self) {
        let n = NAMES[self.pick(NAMES.len())];
        self.push(&[n]);
    }

    fn one_of(&mut self, options: &[&str]) {
        let o = options[self.pick(options.len())];
        self.push(&[o]);
    }

    fn list(&mut self) {
        self.push(&["["]);
        let n = self.pick(4);
        for i in 0..n {
            self.name();
            if i + 1 < n || self.chance() {
                self.push(&[","]);
            }
        }
        self.push(&["]"]);
    }

    fn names(&mut self) {
        if self.chance() { self.name() } else { self.list() }
    }

    fn label(&mut self) {
        if self.chance() {
            self.one_of(&["\"label\"", "\"a \\\"quoted\\\" // not a comment\"", "\"\""]);
        }
    }

    fn comma(&mut self) {
        if self.pick(3) == 0 {
            self.push(&[","]);
        }
    }

    fn probability(&mut self) {
        self.one_of(&["85%", "0.5", "12.5%", "1", "0", "100%"]);
    }

    fn time(&mut self) {
        self.one_of(&["1949", "2024-02-29", "1_914"]);
    }

    fn item(&mut self) {
        match self.pick(11) {
            0 => self.push(&["import", "\"other.dtr\""]),
            1 => {
                self.push(&["settings", "{"]);
                for _ in 0..self.pick(5) {
                    match self.pick(8) {
                        0 => self.push(&["year", ":", "2026"]),
                        1 => self.push(&["date", ":", "2026-01-02"]),
                        2 => {
                            self.push(&["ladder", ":"]);
                            self.list()
                        }
                        3 => self.push(&["deterrence_ratio", ":", "1.0"]),
                        4 => self.push(&["credibility_floor", ":", "50%"]),
                        5 => self.push(&["samples", ":", "1_000"]),
                        6 => self.push(&["seed", ":", "-7"]),
                        _ => self.push(&["opening", ":", "limited_war"]),
                    }
                    self.comma();
                }
                self.push(&["}"]);
            }
            2 => {
                self.push(&["domain"]);
                self.name();
                self.label();
            }
            3 => {
                self.push(&["region"]);
                self.name();
                self.label();
                if self.chance() {
                    self.push(&["{"]);
                    for _ in 0..self.pick(3) {
                        self.push(&["contains", ":"]);
                        self.list();
                        self.comma();
                    }
                    self.push(&["}"]);
                }
            }
            4 => self.actor(),
            5 => self.alliance(),
            6 => {
                self.push(&["commitment"]);
                self.name();
                self.push(&[":"]);
                self.name();
                self.one_of(&["defends", "attacks", "consults", "neutral", "nonaggression"]);
                self.name();
                self.terms();
            }
            7 => {
                self.push(&["threat"]);
                self.name();
                self.push(&["->"]);
                self.names();
                if self.chance() {
                    self.push(&["{", "domains", ":"]);
                    self.names();
                    self.push(&["}"]);
                }
            }
            8 => {
                self.push(&["scenario"]);
                self.name();
                self.label();
                self.push(&["{"]);
                for _ in 0..1 + self.pick(3) {
                    self.name();
                    self.push(&["attacks"]);
                    self.name();
                    for _ in 0..self.pick(3) {
                        match self.pick(3) {
                            0 => {
                                self.push(&["in"]);
                                self.names()
                            }
                            1 => {
                                self.push(&["at"]);
                                self.name()
                            }
                            _ => self.push(&["provoked"]),
                        }
                    }
                    self.comma();
                }
                self.push(&["}"]);
            }
            _ => self.expectation(),
        }
    }

    fn actor(&mut self) {
        self.push(&["actor"]);
        self.name();
        self.label();
        if self.chance() {
            return;
        }
        self.push(&["{"]);
        for _ in 0..self.pick(4) {
            match self.pick(3) {
                0 => {
                    self.push(&["region", ":"]);
                    self.name()
                }
                1 => {
                    self.push(&["capability", "{"]);
                    for _ in 0..self.pick(4) {
                        self.name();
                        self.push(&[":"]);
                        self.one_of(&["1", "2.5", "1_000", "1e3", "-0"]);
                        self.comma();
                    }
                    self.push(&["}"]);
                }
                _ => {
                    self.push(&["resolve", ":"]);
                    self.probability()
                }
            }
            self.comma();
        }
        self.push(&["}"]);
    }

    fn alliance(&mut self) {
        self.push(&["alliance"]);
        self.name();
        self.label();
        self.push(&["{"]);
        for _ in 0..self.pick(5) {
            match self.pick(5) {
                0 => {
                    self.push(&["members", ":"]);
                    self.list()
                }
                1 => {
                    self.one_of(&["since", "until"]);
                    self.push(&[":"]);
                    self.time()
                }
                2 => {
                    self.push(&["interoperability", ":"]);
                    self.probability()
                }
                _ => {
                    self.push(&["obligation"]);
                    self.name();
                    self.one_of(&["defend", "join", "consult", "neutral", "nonaggression"]);
                    self.terms();
                }
            }
            self.comma();
        }
        self.push(&["}"]);
    }

    fn terms(&mut self) {
        if self.chance() {
            return;
        }
        self.push(&["{"]);
        for _ in 0..self.pick(4) {
            match self.pick(6) {
                0 | 1 => {
                    self.push(&["when", ":"]);
                    self.condition(0)
                }
                2 => {
                    self.push(&["domains", ":"]);
                    self.names()
                }
                3 => {
                    self.push(&["response", ":"]);
                    self.name()
                }
                4 => {
                    self.push(&["credibility", ":"]);
                    self.probability();
                    if self.chance() {
                        self.push(&["except", "{"]);
                        for _ in 0..self.pick(3) {
                            self.name();
                            self.push(&[":"]);
                            self.probability();
                            self.comma();
                        }
                        self.push(&["}"]);
                    }
                }
                _ => {
                    self.one_of(&["since", "until", "interoperability"]);
                    self.push(&[":"]);
                    self.time()
                }
            }
            self.comma();
        }
        self.push(&["}"]);
    }

    fn parties(&mut self) {
        match self.pick(4) {
            0 => self.push(&["member"]),
            1 => self.push(&["any"]),
            _ => self.names(),
        }
    }

    fn condition(&mut self, depth: usize) {
        let kinds = if depth > 2 { 4 } else { 8 };
        match self.pick(kinds) {
            0 => {
                if self.chance() {
                    self.push(&["unprovoked"]);
                }
                if self.chance() {
                    self.push(&["opening"]);
                }
                self.push(&["attack"]);
                for _ in 0..self.pick(4) {
                    match self.pick(5) {
                        0 => {
                            self.push(&["on"]);
                            self.parties()
                        }
                        1 => {
                            self.push(&["by"]);
                            self.parties()
                        }
                        2 => {
                            self.push(&["in"]);
                            self.names()
                        }
                        3 => {
                            self.push(&["within"]);
                            self.names()
                        }
                        _ => {
                            self.push(&["at"]);
                            if self.chance() {
                                self.push(&[">="]);
                            }
                            self.name()
                        }
                    }
                }
            }
            1 => {
                self.push(&["war", "between"]);
                self.parties();
                self.push(&["and"]);
                self.parties()
            }
            2 => {
                self.push(&["war", "with"]);
                self.parties()
            }
            3 => {
                self.push(&["threat_to"]);
                self.parties()
            }
            4 => {
                self.push(&["("]);
                self.condition(depth + 1);
                self.push(&[")"]);
            }
            5 => {
                self.push(&["not"]);
                self.condition(depth + 1)
            }
            _ => {
                self.condition(depth + 1);
                for _ in 0..1 + self.pick(3) {
                    self.one_of(&["and", "or"]);
                    self.condition(depth + 1);
                }
            }
        }
    }

    fn expectation(&mut self) {
        self.push(&["expect"]);
        match self.pick(3) {
            0 => {
                if self.chance() {
                    self.push(&["no"]);
                }
                self.push(&["gap"]);
                self.name();
                self.push(&["->"]);
                self.name();
                if self.chance() {
                    self.push(&["in"]);
                    self.name();
                }
            }
            1 => {
                self.push(&["gap"]);
                self.name();
                self.push(&["->"]);
                self.name();
                self.push(&[":"]);
                self.one_of(&["excluded", "hollow"]);
            }
            _ => {
                self.name();
                self.push(&[":"]);
                let probability = self.chance();
                if probability {
                    self.push(&["P", "("]);
                }
                match self.pick(if probability { 3 } else { 4 }) {
                    0 => {
                        self.name();
                        self.push(&["joins"])
                    }
                    1 => {
                        self.name();
                        self.push(&["stays", "out"])
                    }
                    2 => {
                        self.push(&["reaches"]);
                        self.name()
                    }
                    _ => {
                        self.push(&["not", "reaches"]);
                        self.name()
                    }
                }
                if probability {
                    self.push(&[")"]);
                    self.one_of(&["<", "<=", ">", ">="]);
                    self.probability();
                }
            }
        }
    }
}

/// What `dtr fmt` promises users: `dtr check` and the analysis report the
/// same before and after (positions aside).
#[test]
fn formatting_a_messy_example_changes_no_diagnostic_and_no_result() {
    for path in dtr_files("examples") {
        let text = std::fs::read_to_string(&path).expect("example");
        // Undo the layout: declarations run on one line where comments allow.
        let mut messy = String::new();
        for line in text.lines().map(str::trim) {
            let own_line = line.is_empty() || line.starts_with("//");
            if own_line && !messy.ends_with('\n') {
                messy.push('\n');
            }
            messy.push_str(line);
            messy.push_str(if own_line || line.contains("//") { "\n" } else { "   " });
        }
        // Joined blocks that fit stay on one line (docs/fmt.md), so the
        // layout differs from the example's; it is a fixed point all the same.
        let formatted = dtr::fmt::format(&messy).expect("formats");
        assert_eq!(
            dtr::fmt::format(&formatted).as_ref(),
            Ok(&formatted),
            "{}: formatting is idempotent",
            path.display()
        );
        // Lines kept but their indentation lost: the example again.
        let unindented: String = text.lines().map(|l| format!("{}  \n", l.trim())).collect();
        assert_eq!(
            dtr::fmt::format(&unindented).as_ref(),
            Ok(&text),
            "{}: the unindented copy formats back to the example",
            path.display()
        );
        let name = path.display().to_string();
        let (before, after) = (dtr::check::check_source(&name, &messy), dtr::check::check_source(&name, &formatted));
        let messages =
            |c: &dtr::check::Checked| c.diagnostics.iter().map(|d| (d.code, d.message.clone())).collect::<Vec<_>>();
        assert_eq!(messages(&before), messages(&after));
        let analysis = |c: &dtr::check::Checked| {
            let model = dtr::model::compile(&c.program);
            strip_spans(serde_json::to_value(dtr::analysis::analyze(&model, None)).expect("json"))
        };
        assert_eq!(analysis(&before), analysis(&after), "{}", path.display());
    }
}
