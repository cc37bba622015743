//! The page around the report: the stylesheet (report.css) with one colour
//! per rung of the ladder, the data the script reads (JSON in a script
//! element), the script (report.js) and, when served, the live reload.

use super::{Options, escape};
use crate::report::graph::rung_colour;
use std::fmt::Write;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

pub fn page(title: &str, options: &Options, ladder: &[String], body: &str, data: &serde_json::Value) -> String {
    let data = crate::report::json::to_string(data).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(body.len() + data.len() + STYLE.len() + SCRIPT.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}{}</style>\n</head>\n<body>\n",
        escape(title),
        rung_colours(ladder)
    );
    out.push_str(body);
    out.push_str(
        "\n<div class=\"tooltip\" role=\"tooltip\" hidden></div>\n<script type=\"application/json\" id=\"dtr-data\">",
    );
    // A script element ends at the first `</`; JSON allows `<\/` for it.
    out.push_str(&data.replace("</", "<\\/").replace("<!--", "<\\!--"));
    let _ = write!(out, "</script>\n<script>\n{SCRIPT}</script>\n");
    if let Some(generation) = options.live {
        let _ = writeln!(
            out,
            "<script>\nnew EventSource('/events').onmessage = (e) => {{ if (e.data !== '{generation}') location.reload(); }};\n</script>"
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// `.rung-N { --rung: … }` for each rung, as [`rung_colour`] gives them,
/// lightened in the dark scheme.
fn rung_colours(ladder: &[String]) -> String {
    let mut light = String::new();
    let mut dark = String::new();
    for i in 0..ladder.len() {
        let c = rung_colour(i, ladder.len());
        let _ = writeln!(light, ".rung-{i} {{ --rung: {c}; }}");
        let _ = writeln!(dark, "  .rung-{i} {{ --rung: color-mix(in oklab, {c} 65%, white); }}");
    }
    format!("{light}@media screen and (prefers-color-scheme: dark) {{\n{dark}}}\n")
}
