//! The page around the report: the stylesheet (report.css) with one colour
//! per rung of the ladder, the data the script reads (JSON in a script
//! element), the script (report.js) and, when served, the live reload.

use super::{Options, escape};
use std::fmt::Write;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

pub fn page(title: &str, options: &Options, ladder: &[String], body: &str, data: &serde_json::Value) -> String {
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string());
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

/// `.rung-N { --rung: … }` for each rung: colours taken evenly along
/// [`RUNG_STOPS`], blue at the bottom of the ladder to plum at the top,
/// lightened in the dark scheme.
fn rung_colours(ladder: &[String]) -> String {
    let mut light = String::new();
    let mut dark = String::new();
    for i in 0..ladder.len() {
        let t = if ladder.len() < 2 { 1.0 } else { i as f64 / (ladder.len() - 1) as f64 };
        let c = along(t);
        let _ = writeln!(light, ".rung-{i} {{ --rung: {c}; }}");
        let _ = writeln!(dark, "  .rung-{i} {{ --rung: color-mix(in oklab, {c} 65%, white); }}");
    }
    format!("{light}@media screen and (prefers-color-scheme: dark) {{\n{dark}}}\n")
}

/// Colours that stay apart for the eye and read on white, from calm to war.
const RUNG_STOPS: [[u8; 3]; 7] = [
    [0x35, 0x6a, 0xc3],
    [0x1f, 0x93, 0x88],
    [0x7d, 0x95, 0x12],
    [0xd4, 0x8a, 0x00],
    [0xe0, 0x55, 0x1b],
    [0xc0, 0x1c, 0x28],
    [0x7a, 0x1f, 0x5c],
];

/// The colour at `t` in [0, 1] along the stops, as `#rrggbb`.
fn along(t: f64) -> String {
    let scaled = t.clamp(0.0, 1.0) * (RUNG_STOPS.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(RUNG_STOPS.len() - 2);
    let f = scaled - i as f64;
    let channel = |k: usize| (RUNG_STOPS[i][k] as f64 * (1.0 - f) + RUNG_STOPS[i + 1][k] as f64 * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", channel(0), channel(1), channel(2))
}
