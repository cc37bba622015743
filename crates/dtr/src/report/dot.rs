//! The escalation graph in Graphviz DOT: one cluster per scenario with its
//! actors as nodes (opening parties doubled) and each event of the
//! all-honoured cascade as an edge labelled with its cause, step, rung and
//! probability; below them, unless left out, the gaps in a cluster of their
//! own as dashed red edges. Only reads the [`Report`].
//!
//! Graphviz lays a left-to-right graph's clusters out bottom-up in the
//! order they are written, so they are written last first: the first
//! scenario is drawn at the top, the gaps at the bottom.

use super::{Report, ScenarioReport};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::ratio_text;
use std::collections::BTreeMap;
use std::fmt::Write;

/// `with_gaps`: draw the gaps cluster (`dtr analyze` leaves it out of the
/// graph of scenarios chosen with `--scenario`, where it would take half
/// the picture).
pub fn render(report: &Report, with_gaps: bool) -> String {
    let mut out = String::from(
        "digraph dtr {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    if with_gaps {
        gaps(&mut out, report);
    }
    for (i, s) in report.scenarios.iter().enumerate().rev() {
        scenario(&mut out, i, s);
    }
    out.push_str("}\n");
    out
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

fn scenario(out: &mut String, index: usize, s: &ScenarioReport) {
    let title = s.label.as_deref().map_or(s.name.clone(), |l| format!("{} — {l}", s.name));
    let _ = writeln!(out, "  subgraph cluster_{index} {{\n    label={};", quote(&title));
    let node = |actor: &str| quote(&format!("{}/{actor}", s.name));
    let openers: Vec<&str> = s
        .events
        .iter()
        .filter(|e| e.trigger.is_none())
        .flat_map(|e| [e.aggressor.as_str(), e.victim.as_str()])
        .collect();
    // Every actor that enters, with its probability; declared order of entry.
    let enters: BTreeMap<&str, f64> = s.actors.iter().map(|a| (a.actor.as_str(), a.enters.value)).collect();
    for a in s.actors.iter().filter(|a| a.entry.is_some()) {
        let name = a.actor.as_str();
        let peripheries = if openers.contains(&name) { ", peripheries=2" } else { "" };
        let p = enters.get(name).copied().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "    {} [label={}{peripheries}];",
            node(name),
            quote(&format!("{name}\\nP(joins) {}", percent(p)))
        );
    }
    for e in &s.events {
        let label = match e.p {
            Some(p) => format!("{} ({})\\nstep {}, {}", e.cause, percent(p), e.step, e.rung),
            None => format!("opening\\nstep {}, {}", e.step, e.rung),
        };
        let style = if e.trigger.is_none() { ", penwidth=2" } else { "" };
        let _ = writeln!(out, "    {} -> {} [label={}{style}];", node(&e.aggressor), node(&e.victim), quote(&label));
    }
    out.push_str("  }\n");
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
