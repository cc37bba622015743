//! The report as one self-contained HTML page: the escalation graph of each
//! scenario as inline SVG (laid out here, [`layout`]), the tables of the
//! text report, the deterrence gaps as a matrix, and for a sweep the
//! ranking, the exposed targets and a heat map. Styles, script and data
//! are inline: the page needs no network and works from `file://`, in
//! light and dark, and in print. Pure functions from the report structs to
//! a string; `dtr serve` adds only the live reload ([`Options::live`]).

mod data;
pub mod graph;
pub mod layout;
mod page;
mod svg;
mod sweep;
mod tables;

use super::Report;
use super::sweep::SweepReport;

/// How a page is served.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `dtr serve`: the generation of the page; it listens for server-sent
    /// events on `/events` and reloads when the generation announced differs.
    pub live: Option<u64>,
}

/// The analysis report as a page.
pub fn render(report: &Report, options: &Options) -> String {
    let mut body = String::new();
    tables::header(&mut body, report);
    let mut data = Vec::with_capacity(report.scenarios.len());
    for (i, s) in report.scenarios.iter().enumerate() {
        data.push(tables::scenario(&mut body, i, s, &report.settings.ladder));
    }
    if !report.gaps.is_empty() {
        tables::gaps(&mut body, &report.gaps, report.settings.deterrence_ratio);
    }
    if !report.expectations.is_empty() {
        tables::expectations(&mut body, &report.expectations);
    }
    let data = serde_json::json!({ "scenarios": data });
    page::page(&format!("{} — dtr analyze", report.file), options, &report.settings.ladder, &body, &data)
}

/// The sweep report as a page.
pub fn render_sweep(report: &SweepReport, options: &Options) -> String {
    let mut body = String::new();
    sweep::body(&mut body, report);
    page::page(&format!("{} — dtr sweep", report.file), options, &report.settings.ladder, &body, &serde_json::json!({}))
}

/// A page that says `file` does not check, with its diagnostics as text
/// (`dtr serve` shows it until the file is fixed).
pub fn diagnostics(file: &str, diagnostics: &str, options: &Options) -> String {
    let body = format!(
        r#"<header><h1>{}</h1><p class="problem">The file does not check; the report returns when it does.</p></header><pre class="diagnostics">{}</pre>"#,
        escape(file),
        escape(diagnostics)
    );
    page::page(&format!("{file} — errors"), options, &[], &body, &serde_json::json!({}))
}

/// Text for HTML content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_both_quotes() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn diagnostics_are_escaped_into_the_page() {
        let page = diagnostics("w.dtr", "error[E0001]: expected `}` <here>", &Options::default());
        assert!(page.contains("error[E0001]: expected `}` &lt;here&gt;"), "{page}");
        assert!(!page.contains("EventSource"), "no live reload unless served");
        let live = diagnostics("w.dtr", "", &Options { live: Some(7) });
        assert!(live.contains("EventSource"), "{live}");
    }
}
