//! Renderers: miette's graphical report for people, one line per diagnostic
//! for tools that read `file:line:col`, and JSON.

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span, ceil_boundary, floor_boundary};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde::Serialize;
use std::fmt;

/// How `dtr check` and friends print diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
}

/// Renders diagnostics in the given format. `color` applies to `Human` only.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(diagnostics, sources, color),
        Format::Short => diagnostics.iter().map(|d| short(d, sources) + "\n").collect(),
        Format::Json => json(diagnostics, sources),
    }
}

/// miette's graphical reports, one after another.
pub fn human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let report = MietteReport::new(d, sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&short(d, sources));
        }
        out.push('\n');
    }
    out
}

/// "2 errors, 1 warning" (or "no problems").
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no problems found\n".to_string(),
        (e, 0) => format!("{}\n", plural(e, "error")),
        (0, w) => format!("{}\n", plural(w, "warning")),
        (e, w) => format!("{}, {}\n", plural(e, "error"), plural(w, "warning")),
    }
}

/// `file:line:col: severity[CODE]: message (help: help)`: one line per
/// diagnostic, so that a tool reading `file:line:col: message` (an
/// editor's error format, a CI problem matcher) keeps the help, and the
/// did-you-mean with it.
pub fn short(d: &Diagnostic, sources: &SourceMap) -> String {
    let span = d.primary.span;
    let at = sources.line_col(span.file, span.start as usize);
    let severity = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut line =
        format!("{}:{}:{}: {severity}[{}]: {}", sources.name(span.file), at.line, at.column, d.code, d.message);
    if let Some(help) = &d.help {
        line.push_str(" (help: ");
        line.extend(help.chars().map(|c| if c == '\n' { ' ' } else { c }));
        line.push(')');
    }
    line
}

#[derive(Serialize)]
struct JsonPlace {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl JsonPlace {
    fn new(span: Span, sources: &SourceMap) -> JsonPlace {
        let start = sources.line_col(span.file, span.start as usize);
        let end = sources.line_col(span.file, span.end as usize);
        JsonPlace {
            file: sources.name(span.file).to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[derive(Serialize)]
struct JsonLabel {
    message: String,
    primary: bool,
    #[serde(flatten)]
    place: JsonPlace,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    code: String,
    severity: Severity,
    message: String,
    #[serde(flatten)]
    place: JsonPlace,
    help: Option<String>,
    labels: Vec<JsonLabel>,
    /// Present only when the diagnostic carries a machine-applicable fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix>,
}

#[derive(Serialize)]
struct JsonFix {
    replacement: String,
    #[serde(flatten)]
    place: JsonPlace,
}

#[derive(Serialize)]
struct JsonReport {
    diagnostics: Vec<JsonDiagnostic>,
}

/// `{"diagnostics":[…]}` with 1-based lines and columns (columns in characters).
pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code.to_string(),
                severity: d.severity(),
                message: d.message.clone(),
                place: JsonPlace::new(d.primary.span, sources),
                help: d.help.clone(),
                labels: std::iter::once((&d.primary, true))
                    .chain(d.secondary.iter().map(|l| (l, false)))
                    .map(|(l, primary)| JsonLabel {
                        message: l.message.clone(),
                        primary,
                        place: JsonPlace::new(l.span, sources),
                    })
                    .collect(),
                fix: d
                    .fix
                    .as_ref()
                    .map(|f| JsonFix { replacement: f.replacement.clone(), place: JsonPlace::new(f.span, sources) }),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

/// Secondary labels further than this many lines from the primary one get a
/// snippet of their own: miette draws all labels of one snippet with every
/// line between them.
const NEAR_LINES: usize = 8;

/// A diagnostic as miette sees it: labels near the primary one are drawn on
/// its snippet; labels in other files, or far away in the same file, become
/// related notes with their own snippet.
#[derive(Debug)]
struct MietteReport {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Window,
    labels: Vec<LabeledSpan>,
    related: Vec<MietteReport>,
}

impl MietteReport {
    fn new(d: &Diagnostic, sources: &SourceMap) -> MietteReport {
        let file = d.primary.span.file;
        let line = |span: Span| sources.line_col(span.file, span.start as usize).line;
        let primary_line = line(d.primary.span);
        let near = |span: Span| span.file == file && line(span).abs_diff(primary_line) <= NEAR_LINES;
        let spans: Vec<Span> =
            std::iter::once(d.primary.span).chain(d.secondary.iter().map(|l| l.span).filter(|&s| near(s))).collect();
        let source = Window::around(&spans, sources);
        let mut labels =
            vec![LabeledSpan::new_primary_with_span(Some(d.primary.message.clone()), source.clip(d.primary.span))];
        let mut related = Vec::new();
        for l in &d.secondary {
            // A clipped window shows part of one line only: labels outside
            // it get a snippet of their own, as far ones do.
            if near(l.span) && source.covers(l.span) {
                labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), source.clip(l.span)));
            } else {
                let source = Window::around(&[l.span], sources);
                related.push(MietteReport {
                    code: String::new(),
                    message: l.message.clone(),
                    severity: miette::Severity::Advice,
                    help: None,
                    labels: vec![LabeledSpan::new_with_span(Some(l.message.clone()), source.clip(l.span))],
                    source,
                    related: Vec::new(),
                });
            }
        }
        MietteReport {
            code: d.code.to_string(),
            message: d.message.clone(),
            severity: match d.severity() {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help: d.help.clone(),
            source,
            labels,
            related,
        }
    }
}

/// Lines of margin kept around the labels of a snippet: more than the
/// handler's context lines (1), so miette reads the window exactly as it
/// would read the whole file.
const WINDOW_MARGIN: usize = 4;

/// Longest line, in bytes, that a snippet shows whole. A longer one (say a
/// generated file on one line) is cut to [`EXCERPT_CONTEXT`] bytes either
/// side of the primary label: a snippet wider than a screen helps no one,
/// and miette panics on a label past column 65,535.
const LONG_LINE: usize = 400;

/// Bytes kept either side of the primary label when its line is cut.
const EXCERPT_CONTEXT: usize = 60;

/// Bytes of a label shown at most: the rest of a longer one (a name of
/// megabytes, a declaration of thousands of lines) is left out of the
/// snippet, which would otherwise repeat it whole and underline it.
const LONG_LABEL: usize = 2 * EXCERPT_CONTEXT;

const ELLIPSIS: &str = "…";

/// The lines of a file around the labels of one report, so that miette,
/// which reads a source from its start for every label, reads a few lines
/// instead of the whole file; or, when one of those lines is long, an
/// excerpt of the primary label's line. Spans stay offsets in the file;
/// line numbers and columns are those of the file. miette ends lines at
/// `\n` only: a lone `\r` (a line end by the crate's rule, see
/// `source::LineIndex`) becomes `\n` in the window, one byte for one, so
/// that snippets show the lines that the line numbers count.
#[derive(Debug)]
struct Window {
    name: String,
    text: String,
    /// Offset in the file of `text` after its `prefix`.
    start: usize,
    /// Bytes of `text` that are not from the file: the ellipsis that opens
    /// a cut line.
    prefix: usize,
    /// Offset in the file just past the last byte of `text` from the file.
    end: usize,
    /// Lines of the file before `text`.
    first_line: usize,
    /// Characters of the first line left out before `text`.
    cut: usize,
    /// Whether `text` opens with the file's byte-order mark, which is no
    /// column (see `source::LineCol`).
    bom: bool,
}

impl Window {
    fn around(spans: &[Span], sources: &SourceMap) -> Window {
        let file = spans.first().map_or(FileId(0), |s| s.file);
        let text = sources.text(file);
        let lines = sources.lines(file);
        let low = spans.iter().map(|s| s.start as usize).min().unwrap_or(0);
        let high = spans.iter().map(|s| (s.end as usize).min(s.start as usize + LONG_LABEL)).max().unwrap_or(0);
        let line_of = |offset: usize| lines.line(offset);
        let line_start = |line: usize| lines.start(line);
        let first_line = line_of(low).saturating_sub(WINDOW_MARGIN);
        let last_line = line_of(high) + WINDOW_MARGIN;
        let name = sources.name(file).to_string();
        let long =
            (first_line..=last_line.min(lines.count() - 1)).any(|l| line_start(l + 1) - line_start(l) > LONG_LINE);
        if !long {
            let (start, end) = (line_start(first_line), line_start(last_line + 1));
            let shown = for_miette(text.get(start..end).unwrap_or(""));
            let bom = start == 0 && shown.starts_with('\u{FEFF}');
            return Window { name, text: shown, start, prefix: 0, end, first_line, cut: 0, bom };
        }
        let primary = spans.first().map_or(0..0, |s| s.start as usize..s.end as usize);
        let line = line_of(primary.start);
        let line_end = text[..line_start(line + 1)].trim_end_matches(['\n', '\r']).len().max(line_start(line));
        let mut start = floor_boundary(text, primary.start.saturating_sub(EXCERPT_CONTEXT).max(line_start(line)));
        if start - line_start(line) <= ELLIPSIS.len() {
            start = line_start(line);
        }
        let end = ceil_boundary(
            text,
            (primary.end.clamp(primary.start, primary.start + LONG_LABEL) + EXCERPT_CONTEXT).min(line_end),
        );
        let prefix = if start > line_start(line) { ELLIPSIS } else { "" };
        let suffix = if end < line_end { ELLIPSIS } else { "" };
        let excerpt = format!("{prefix}{}{suffix}", for_miette(&text[start..end]));
        let cut = text[line_start(line)..start].chars().count();
        let bom = start == 0 && excerpt.starts_with('\u{FEFF}');
        Window { name, text: excerpt, start, prefix: prefix.len(), end, first_line: line, cut, bom }
    }

    /// Whether the window shows all of `span`.
    fn covers(&self, span: Span) -> bool {
        self.start <= span.start as usize && span.end as usize <= self.end
    }

    /// `span` as miette should draw it: cut to what the window shows.
    fn clip(&self, span: Span) -> SourceSpan {
        let start = (span.start as usize).clamp(self.start, self.end);
        let end = (span.end as usize).clamp(start, self.end);
        SourceSpan::new(start.into(), end - start)
    }
}

/// `text` with each lone `\r` made a `\n`, which miette reads as a line end.
fn for_miette(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    // One ASCII byte for another: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = (span.offset() + self.prefix).checked_sub(self.start).ok_or(MietteError::OutOfBounds)?;
        let inner = self.text.read_span(&SourceSpan::new(offset.into(), span.len()), before, after)?;
        // miette counts columns in bytes; `dtr check --format short`, JSON
        // and the editor count characters, and so does this header.
        let data = inner.span().offset();
        let line_start = data - inner.column();
        let mut column = self.text.get(line_start..data).map_or(inner.column(), |t| t.chars().count());
        if inner.line() == 0 && self.prefix > 0 {
            column = column + self.cut - ELLIPSIS.chars().count();
        }
        if inner.line() == 0 && self.bom && data > 0 {
            column -= 1;
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((data + self.start - self.prefix).into(), inner.span().len()),
            inner.line() + self.first_line,
            column,
            inner.line_count() + self.first_line,
        )))
    }
}

impl fmt::Display for MietteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteReport {}

impl miette::Diagnostic for MietteReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}
