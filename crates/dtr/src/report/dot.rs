//! The escalation graph in Graphviz DOT: one cluster per scenario holding
//! the graph of [`super::graph`] (one node per entrant with P(joins),
//! opening parties doubled; hubs for a provision's bundled firings; each
//! line once, coloured by rung, openings bold); a legend of the rungs;
//! below them, unless left out, the gaps in a cluster of their own as
//! dashed red edges; in each scenario, a note with the most probable path
//! to each rung. Only reads the [`Report`].
//!
//! Time runs left to right: the graph's columns are ranks in order, held
//! by an invisible chain of one `step N` marker per column. An attack
//! points from attacker to target, and a later entrant's attack on an
//! earlier one points left, so such a line is written target → attacker
//! with `dir=back` (Graphviz ranks by the written direction and draws the
//! arrow at the target); a line within a column does not rank.
//!
//! Graphviz lays a left-to-right graph's clusters out bottom-up in the
//! order they are written, so they are written last first: the first
//! scenario is drawn at the top, the gaps at the bottom.

use super::graph::{self, rung_colour};
use super::{Report, ScenarioReport};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::ratio_text;
use std::fmt::Write;

/// The events drawn of one cascade; Graphviz takes minutes over thousands.
pub const DRAWN_EVENTS: usize = 400;

/// `with_gaps`: draw the gaps cluster (`dtr analyze` leaves it out of the
/// graph of scenarios chosen with `--scenario`, where it would take half
/// the picture).
pub fn render(report: &Report, with_gaps: bool) -> String {
    let mut out = String::from(
        "digraph dtr {\n  rankdir=LR;\n  newrank=true;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    legend(&mut out, &report.settings.ladder);
    if with_gaps {
        gaps(&mut out, report);
    }
    for (i, s) in report.scenarios.iter().enumerate().rev() {
        scenario(&mut out, i, s, &report.settings.ladder);
    }
    out.push_str("}\n");
    out
}

/// The rungs in their colours, and what the shapes mean.
fn legend(out: &mut String, ladder: &[String]) {
    let mut rows = String::new();
    for (i, r) in ladder.iter().enumerate() {
        let _ = write!(
            rows,
            "<tr><td bgcolor=\"{}\" width=\"24\"></td><td align=\"left\">{}</td></tr>",
            rung_colour(i, ladder.len()),
            html(r)
        );
    }
    let _ = writeln!(
        out,
        "  legend [shape=plaintext, label=<<table border=\"0\" cellspacing=\"2\"><tr><td colspan=\"2\" align=\"left\"><b>rung of each attack</b></td></tr>{rows}<tr><td colspan=\"2\" align=\"left\">arrows: attacker → target<br align=\"left\"/>columns: steps, left to right<br align=\"left\"/>double border: opening party; bold: opening<br align=\"left\"/>hexagon: a provision firing {}+ times at a step<br align=\"left\"/></td></tr></table>>];",
        graph::BUNDLE
    );
}

fn gaps(out: &mut String, report: &Report) {
    let gaps: Vec<_> = report.gaps.iter().filter(|g| g.gap).collect();
    if gaps.is_empty() {
        return;
    }
    let _ = writeln!(out, "  subgraph cluster_gaps {{\n    label={};\n    color=red;", quote("deterrence gaps"));
    let mut actors: Vec<&str> = gaps.iter().flat_map(|g| [g.aggressor.as_str(), g.target.as_str()]).collect();
    actors.sort_unstable();
    actors.dedup();
    for a in actors {
        let _ = writeln!(out, "    {} [label={}];", quote(&format!("gaps/{a}")), quote(a));
    }
    for g in gaps {
        let ratio = ratio_text(g.ratio.unwrap_or(f64::INFINITY));
        let label = format!("{}: {} (ratio {ratio})", g.domain, g.reason.as_deref().unwrap_or("gap"));
        let _ = writeln!(
            out,
            "    {} -> {} [label={}, style=dashed, color=red, fontcolor=red];",
            quote(&format!("gaps/{}", g.aggressor)),
            quote(&format!("gaps/{}", g.target)),
            quote(&label)
        );
    }
    out.push_str("  }\n");
}

fn scenario(out: &mut String, index: usize, s: &ScenarioReport, ladder: &[String]) {
    let title = s.label.as_deref().map_or(s.name.clone(), |l| format!("{} — {l}", s.name));
    let _ = writeln!(out, "  subgraph cluster_{index} {{\n    label={};", quote(&title));
    if s.events.len() > DRAWN_EVENTS {
        let _ = writeln!(out, "    // the first {DRAWN_EVENTS} of {} events are drawn", s.events.len());
    }
    let g = graph::build(s, DRAWN_EVENTS);
    let id = |n: usize| match g.actors.get(n) {
        Some(a) => quote(&format!("{}/{}", s.name, a.actor)),
        None => quote(&format!("{}/hub{}", s.name, n - g.actors.len())),
    };
    let openers = graph::openers(s);
    for (n, a) in g.actors.iter().enumerate() {
        let peripheries = if openers.contains(&a.actor.as_str()) { ", peripheries=2" } else { "" };
        let _ = writeln!(
            out,
            "    {} [label={}{peripheries}];",
            id(n),
            quote(&format!("{}\\nP(joins) {}", a.actor, percent(a.enters.value)))
        );
    }
    for (h, hub) in g.hubs.iter().enumerate() {
        let label = quote(&format!("{}\\nstep {}", hub.provision, hub.step));
        let _ = writeln!(
            out,
            "    {} [label={label}, shape=hexagon, style=filled, fillcolor=\"#fff8c5\", fontsize=10];",
            id(g.actors.len() + h)
        );
    }
    // Columns in order: a marker per column, chained, ranked with its nodes.
    let marker = |c: usize| quote(&format!("{}/column{c}", s.name));
    for (c, &step) in g.steps.iter().enumerate() {
        let shown = c == 0 || g.steps[c - 1] != step;
        let style = if shown {
            format!("label={}, shape=plaintext, fontcolor=gray40", quote(&format!("step {step}")))
        } else {
            "style=invis, width=0, label=\"\"".to_string()
        };
        let _ = writeln!(out, "    {} [{style}];", marker(c));
    }
    if g.steps.len() > 1 {
        let chain: Vec<String> = (0..g.steps.len()).map(marker).collect();
        let _ = writeln!(out, "    {} [style=invis];", chain.join(" -> "));
    }
    for c in 0..g.steps.len() {
        let members: Vec<String> = g.columns.iter().enumerate().filter(|(_, k)| **k == c).map(|(n, _)| id(n)).collect();
        let _ = writeln!(out, "    {{ rank=same; {}; {} }}", marker(c), members.join("; "));
    }
    // One line per segment, in the rung colour of the first event along it.
    for (k, &(from, to)) in g.segments.iter().enumerate() {
        let Some(i) = g.edges.iter().position(|e| e.contains(&k)) else { continue };
        let e = &s.events[i];
        let single = g.edges[i].len() == 1;
        let label = match e.p {
            None => Some(format!("opening\\nstep {}, {}", e.step, e.rung)),
            Some(p) if single => Some(format!("{} ({})\\nstep {}, {}", e.cause, percent(p), e.step, e.rung)),
            // Into a hub: the member's credibility; out of it, none.
            Some(p) if to >= g.actors.len() => Some(percent(p)),
            Some(_) => None,
        };
        let mut attributes = Vec::new();
        if let Some(l) = label {
            attributes.push(format!("label={}", quote(&l)));
        }
        if let Some(r) = ladder.iter().position(|r| *r == e.rung) {
            attributes.push(format!("color={}", quote(&rung_colour(r, ladder.len()))));
        }
        if e.trigger.is_none() {
            attributes.push("penwidth=2.5".to_string());
        }
        let (a, b) = (g.columns[from], g.columns[to]);
        let line = if to >= g.actors.len() {
            // Into a hub: the arrow is drawn where the line leaves it.
            attributes.push("dir=none".to_string());
            if a > b { format!("{} -> {}", id(to), id(from)) } else { format!("{} -> {}", id(from), id(to)) }
        } else if a > b {
            attributes.push("dir=back".to_string());
            format!("{} -> {}", id(to), id(from))
        } else {
            if a == b {
                attributes.push("constraint=false".to_string());
            }
            format!("{} -> {}", id(from), id(to))
        };
        let _ = writeln!(out, "    {line} [{}];", attributes.join(", "));
    }
    rung_paths(out, s);
    out.push_str("  }\n");
}

/// A note with the most probable path to each rung above the openings'
/// (§5, "Paths to rungs"), whether or not the all-honoured cascade drawn
/// beside it reaches the rung.
fn rung_paths(out: &mut String, s: &ScenarioReport) {
    let mut lines = String::new();
    for r in &s.rungs {
        let Some(p) = &r.path else { continue };
        let only = if r.above_all_honoured { " — only when some commitment is not honoured" } else { "" };
        let _ = write!(lines, "{} ({}){only}: {}\\n", r.rung, percent(p.probability), p.text);
    }
    if !lines.is_empty() {
        let label = format!("most probable path to each rung\\n{lines}");
        let _ = writeln!(
            out,
            "    {} [shape=note, fontsize=10, label={}];",
            quote(&format!("{}/rungs", s.name)),
            quote(&label)
        );
    }
}

/// Text in a Graphviz HTML-like label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A DOT string; `\n` sequences already in `text` are kept as line breaks.
fn quote(text: &str) -> String {
    let mut q = String::with_capacity(text.len() + 2);
    q.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' if chars.peek() == Some(&'n') => q.push('\\'),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            _ => q.push(c),
        }
    }
    q.push('"');
    q
}
