//! The drawn reports of every example and escalation fixture, locked with
//! snapshots: the Mermaid Markdown as written, and the HTML report (and a
//! sweep's) as an outline of its structure: elements with their classes
//! and `data-*` attributes and the text they hold, one line per leaf or
//! table row. Geometry (coordinates, sizes, paths), element ids and
//! references to them, and the inline style and script are left out, so
//! the snapshots follow what the page says and shows, not where the layout
//! puts it; the layout has its own tests
//! (crates/dtr/src/report/html/layout.rs), the page a real browser's
//! (crates/dtr-cli/tests/html_browser.rs).

use crate::common;

use dtr::report::html::{self, Options};
use dtr::report::mermaid;
use dtr::{analysis, check, model, report};

#[test]
fn example_pages() {
    insta::glob!("../../../../examples", "**/*.dtr", |path| assert_drawings(path, ""));
}

/// The escalation fixtures (tests/fixtures/escalation): each rung's path
/// in the ladder table and in the Mermaid note, a rung reached only when
/// some commitment is not honoured marked so.
#[test]
fn escalation_fixture_drawings() {
    insta::glob!("../fixtures/escalation", "*.dtr", |path| assert_drawings(path, "escalation_"));
}

/// The snapshots `{prefix}outline` (of the HTML page of the file at
/// `path`) and `{prefix}mermaid`.
fn assert_drawings(path: &std::path::Path, prefix: &str) {
    let report = common::report_of(path);
    let page = html::render(&report, &Options::default());
    assert_balanced(&page);
    insta::assert_snapshot!(format!("{prefix}outline"), outline(&page));
    insta::assert_snapshot!(format!("{prefix}mermaid"), mermaid::render(&report));
}

#[test]
fn sweep_page() {
    let root = common::workspace();
    let korea = std::path::Path::new("examples/korea.dtr");
    let checked = check::check_with(korea, None, &common::Under(root)).expect("example is readable");
    let model = model::compile(&checked.program);
    let attacks = analysis::sweep::attacks(&model, None, None);
    let options = analysis::sweep::Options { probabilities: true, samples: 1_000 };
    let outcomes = analysis::sweep::evaluate(&model, &attacks, options, &|| {});
    let request = report::sweep::Request {
        file: "examples/korea.dtr".to_string(),
        attackers: None,
        targets: None,
        shard: None,
        total: attacks.len(),
        options,
    };
    let sweep = report::sweep::build(&model, &outcomes, request);
    let page = html::render_sweep(&sweep, &Options::default());
    assert_balanced(&page);
    insta::assert_snapshot!("korea_sweep_outline", outline(&page));
}

#[test]
fn a_served_page_listens_for_reloads_and_a_broken_file_shows_its_diagnostics() {
    let page = html::diagnostics("w.dtr", "error[E0001]: expected `}`", &Options { live: Some(3) });
    assert!(page.contains("new EventSource('/events')") && page.contains("e.data !== '3'"), "{page}");
    insta::assert_snapshot!("diagnostics_outline", outline(&page));
}

/// Every element opened is closed, in order (the outline reads the page
/// as a tree and would hide a stray tag).
fn assert_balanced(page: &str) {
    let mut open: Vec<String> = Vec::new();
    for token in tokens(page) {
        match token {
            Token::Open { name, closed: false, .. } if !VOID.contains(&name.as_str()) => open.push(name),
            Token::Close(name) => assert_eq!(open.pop().as_deref(), Some(name.as_str()), "unbalanced </{name}>"),
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

/// Classes of table cells that only align or decorate.
const PRESENTATIONAL: &[&str] = &["num", "p", "at", "mark", "expected"];
const VOID: &[&str] = &["meta", "br", "img", "input", "link"];
/// Elements whose text is printed on their parent's line.
const INLINE: &[&str] = &["span", "b", "code", "a", "td", "th", "tspan"];
/// Attributes that hold geometry, ids or references to ids.
const SKIPPED: &[&str] = &[
    "id",
    "d",
    "x",
    "y",
    "width",
    "height",
    "viewbox",
    "transform",
    "style",
    "rx",
    "refx",
    "refy",
    "markerwidth",
    "markerheight",
    "marker-end",
    "xmlns",
];

enum Token {
    Open { name: String, attributes: Vec<(String, String)>, closed: bool },
    Close(String),
    Text(String),
}

/// A tokenizer for the pages dtr writes (well-formed, quoted attributes);
/// the contents of `style` and `script` are one text token each.
fn tokens(page: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = page;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!") {
            rest = &after[after.find('>').expect("declaration ends") + 1..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').expect("closing tag ends");
            out.push(Token::Close(after[..end].to_string()));
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let end = tag_end(after);
            let tag = &after[..end];
            let closed = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().unwrap_or_default().to_string();
            let attributes = attributes(&tag[name.len()..]);
            rest = &after[end + 1..];
            let raw = name == "style" || name == "script";
            out.push(Token::Open { name: name.clone(), attributes, closed });
            if raw {
                let close = format!("</{name}>");
                let end = rest.find(&close).expect("raw text ends");
                out.push(Token::Text("(inline)".to_string()));
                rest = &rest[end..];
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(unescape(&rest[..end])));
            rest = &rest[end..];
        }
    }
    out
}

/// The `>` that ends a tag, outside quoted values.
fn tag_end(tag: &str) -> usize {
    let mut quoted = false;
    for (i, c) in tag.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i,
            _ => {}
        }
    }
    panic!("tag does not end: {tag}")
}

fn attributes(mut text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return out;
        }
        let name_end = text.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(text.len());
        let name = text[..name_end].to_ascii_lowercase();
        text = &text[name_end..];
        let value = match text.strip_prefix("=\"") {
            Some(after) => {
                let end = after.find('"').expect("attribute value ends");
                text = &after[end + 1..];
                unescape(&after[..end])
            }
            None => String::new(),
        };
        out.push((name, value));
    }
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

struct Element {
    head: String,
    text: String,
    children: Vec<Element>,
    inline: bool,
}

/// The outline: one line per element that holds other elements (its head
/// and the text it holds directly), leaves and table rows on one line.
fn outline(page: &str) -> String {
    let mut stack = vec![Element { head: String::new(), text: String::new(), children: Vec::new(), inline: false }];
    for token in tokens(page) {
        match token {
            Token::Open { name, attributes, closed } => {
                let mut head = name.clone();
                for (k, v) in attributes.iter().filter(|(k, _)| !SKIPPED.contains(&k.as_str())) {
                    if k == "class" {
                        head += &format!(".{}", v.split_whitespace().collect::<Vec<_>>().join("."));
                    } else {
                        head += &format!("[{k}={v}]");
                    }
                }
                let e = Element {
                    head,
                    text: String::new(),
                    children: Vec::new(),
                    inline: INLINE.contains(&name.as_str()),
                };
                if closed || VOID.contains(&name.as_str()) {
                    stack.last_mut().expect("a parent").children.push(e);
                } else {
                    stack.push(e);
                }
            }
            Token::Close(_) => {
                let e = stack.pop().expect("an open element");
                let parent = stack.last_mut().expect("a parent");
                if e.inline && e.children.iter().all(|c| c.inline) {
                    // Inline text joins its parent's: cells separated by
                    // `|`, other pieces (legend items, links) by a space.
                    let cell = e.head.starts_with("td") || e.head.starts_with("th");
                    let mut text = flat(&e);
                    // A cell's classes that say something (a gap's reason).
                    let classes = e.head.split('[').next().unwrap_or_default();
                    let said: Vec<&str> = classes.split('.').skip(1).filter(|c| !PRESENTATIONAL.contains(c)).collect();
                    if cell && !said.is_empty() {
                        text = format!("({}) {text}", said.join(" "));
                    }
                    if cell {
                        parent.text.push_str(" | ");
                    } else if !parent.text.is_empty() && !parent.text.ends_with(' ') && !text.starts_with(' ') {
                        parent.text.push(' ');
                    }
                    parent.text.push_str(&text);
                } else {
                    parent.children.push(e);
                }
            }
            Token::Text(t) => {
                // Runs of white space are one space, as the browser shows them.
                let parent = stack.last_mut().expect("a parent");
                for (i, word) in t.split(char::is_whitespace).enumerate() {
                    if i > 0 && !parent.text.is_empty() && !parent.text.ends_with(' ') {
                        parent.text.push(' ');
                    }
                    parent.text.push_str(word);
                }
            }
        }
    }
    let mut out = String::new();
    for e in &stack[0].children {
        write_element(&mut out, e, 0);
    }
    out
}

fn flat(e: &Element) -> String {
    let mut text = e.text.clone();
    for c in &e.children {
        text.push_str(&flat(c));
    }
    text
}

fn write_element(out: &mut String, e: &Element, depth: usize) {
    let text = e.text.trim().trim_start_matches("| ");
    let text = if text.is_empty() { String::new() } else { format!(": {text}") };
    out.push_str(&format!("{}{}{text}\n", "  ".repeat(depth), e.head));
    for c in &e.children {
        write_element(out, c, depth + 1);
    }
}
