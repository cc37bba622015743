//! Diagnostics for continuous integration: SARIF 2.1.0 (code scanning:
//! GitHub, GitLab, Azure DevOps read it; docs/schema/sarif-schema-2.1.0.json
//! is the schema a test holds the output to) and GitHub Actions' workflow
//! commands (`::error file=…::…`), which annotate the lines of a pull
//! request. Positions are 1-based, columns in characters (Unicode code
//! points, which the SARIF run declares).

use super::{Code, Diagnostic, Label, Severity};
use crate::source::{SourceMap, Span};
use serde_json::{Value, json};

/// The SARIF results of one compilation's diagnostics; [`sarif_log`] puts
/// those of every file checked into one log.
pub fn sarif_results(diagnostics: &[Diagnostic], sources: &SourceMap) -> Vec<Value> {
    diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": level(d.severity()),
                "message": { "text": message(d) },
                "locations": [location(&d.primary, sources)],
            });
            if !d.secondary.is_empty() {
                let related: Vec<Value> = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut at = location(l, sources);
                        at["id"] = json!(i);
                        at
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([{
                    "description": { "text": super::fix::title(fix, sources) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri(sources.name(fix.span.file)) },
                        "replacements": [{
                            "deletedRegion": region(fix.span, sources),
                            "insertedContent": { "text": fix.replacement },
                        }],
                    }],
                }]);
            }
            result
        })
        .collect()
}

/// A SARIF log of one run of `dtr` with `results`; every diagnostic code is
/// a rule, with its title and where its explanation is.
pub fn sarif_log(results: Vec<Value>) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.title() },
                "help": { "text": format!("dtr explain {c}") },
                "defaultConfiguration": { "level": level(c.severity()) },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "dtr",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// One workflow command per diagnostic: `::error file=F,line=L,col=C,
/// endLine=…,endColumn=…,title=CODE::message`.
pub fn github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let span = d.primary.span;
        let (start, end) =
            (sources.line_col(span.file, span.start as usize), sources.line_col(span.file, span.end as usize));
        let command = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(sources.name(span.file)),
            start.line,
            start.column,
            end.line,
            end.column,
            property(&format!("{} {}", d.code, d.code.title())),
            data(&message(d)),
        ));
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The message with its help, as the short format writes it.
fn message(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{} (help: {help})", d.message),
        None => d.message.clone(),
    }
}

fn location(label: &Label, sources: &SourceMap) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(sources.name(label.span.file)) },
            "region": region(label.span, sources),
        },
        "message": { "text": label.message },
    })
}

fn region(span: Span, sources: &SourceMap) -> Value {
    let start = sources.line_col(span.file, span.start as usize);
    let end = sources.line_col(span.file, span.end as usize);
    json!({ "startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column })
}

/// A file's name as a URI reference: `/` kept, other bytes outside the
/// unreserved set percent-encoded (a space, `#`, `%`, non-ASCII).
fn uri(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A workflow command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property: `:` and `,` escaped too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages_are_escaped() {
        assert_eq!(uri("a b/é#.dtr"), "a%20b/%C3%A9%23.dtr");
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        let checked = crate::check::check_source("x,y.dtr", "actor A\nthreat A -> B\n");
        assert_eq!(
            github(&checked.diagnostics, &checked.sources),
            "::error file=x%2Cy.dtr,line=2,col=13,endLine=2,endColumn=14,title=E0002 unknown name::unknown actor `B` \
             (help: declare it with `actor B …` or import the file that does)\n"
        );
    }
}
