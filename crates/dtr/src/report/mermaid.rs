//! The escalation graphs as Markdown with Mermaid flowcharts, which GitHub
//! and most Markdown viewers draw: per scenario a `flowchart RL`, so that an
//! attack by a later entrant on an earlier one (an edge attacker → target)
//! places the earlier actor left: time runs left to right. Nodes, hubs and
//! edges are those of [`super::graph`], edges coloured by rung; a legend of
//! the rungs; the most probable path to each rung; then the deterrence gaps
//! as a table. Only reads the [`Report`].

use super::graph::{self, rung_colour};
use super::{Report, ScenarioReport};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::ratio_text;
use std::fmt::Write;

/// The events drawn of one cascade; Mermaid lays out a few hundred edges
/// at most in reasonable time in a browser.
pub const DRAWN_EVENTS: usize = 200;

/// The width in pixels past which Mermaid wraps a label: a firing of a
/// path to a rung (`→ NATO.article5[CAN→LTU] (85%) → CAN attacks RUS at
/// regional_war`) fits on one line.
const WRAPPING_WIDTH: u32 = 420;

pub fn render(report: &Report) -> String {
    let mut out = format!("# {}\n\n", text(&report.file));
    let period = report
        .settings
        .period
        .as_deref()
        .map_or("every provision in force".to_string(), |p| format!("analysed for {p}"));
    let _ = writeln!(
        out,
        "{period}, opening rung {}. Time runs left to right; arrows go from attacker to target.\n",
        report.settings.opening
    );
    for s in &report.scenarios {
        scenario(&mut out, s, &report.settings.ladder);
    }
    let gaps: Vec<_> = report.gaps.iter().filter(|g| g.gap).collect();
    if !gaps.is_empty() {
        out.push_str(
            "## Deterrence gaps\n\n| aggressor → target | domain | reason | ratio |\n| --- | --- | --- | --- |\n",
        );
        for g in gaps {
            let _ = writeln!(
                out,
                "| {} → {} | {} | {} | {} |",
                text(&g.aggressor),
                text(&g.target),
                text(&g.domain),
                text(g.reason.as_deref().unwrap_or("gap")),
                ratio_text(g.ratio.unwrap_or(f64::INFINITY))
            );
        }
    }
    out
}

fn scenario(out: &mut String, s: &ScenarioReport, ladder: &[String]) {
    let title = s.label.as_deref().map_or(s.name.clone(), |l| format!("{} — {l}", s.name));
    // Mermaid wraps a label past 200 px: the paths to the rungs, one firing
    // a line, need more (front matter, the documented place for it).
    let _ = writeln!(
        out,
        "## {}\n\n```mermaid\n---\nconfig:\n  flowchart:\n    wrappingWidth: {WRAPPING_WIDTH}\n---\nflowchart RL",
        text(&title)
    );
    let g = graph::build(s, DRAWN_EVENTS);
    let openers = graph::openers(s);
    for (i, a) in g.actors.iter().enumerate() {
        let step = a.entry.as_ref().map(|e| e.step).unwrap_or_default();
        let _ = writeln!(out, "  n{i}[\"{}<br/>step {step} · {}\"]", label(&a.actor), percent(a.enters.value));
    }
    for (h, hub) in g.hubs.iter().enumerate() {
        let _ = writeln!(out, "  n{}{{{{\"{}\"}}}}", g.actors.len() + h, label(hub.provision));
    }
    // One link per segment, in the colour of the first event along it.
    let mut styles = Vec::new();
    for (k, &(from, to)) in g.segments.iter().enumerate() {
        let Some(i) = g.edges.iter().position(|e| e.contains(&k)) else { continue };
        let e = &s.events[i];
        let single = g.edges[i].len() == 1;
        let caption = match e.p {
            None => Some("opening".to_string()),
            Some(p) if single => Some(format!("{} {}", e.cause, percent(p))),
            // Into a hub: the member's credibility; out of it, no caption.
            Some(p) if to >= g.actors.len() => Some(percent(p)),
            Some(_) => None,
        };
        // Into a hub, no arrowhead: the arrow is drawn where the line leaves it.
        let arrow = if e.trigger.is_none() {
            "==>"
        } else if to >= g.actors.len() {
            "---"
        } else {
            "-->"
        };
        let caption = caption.map(|c| format!("|\"{}\"|", label(&c))).unwrap_or_default();
        let _ = writeln!(out, "  n{from} {arrow}{caption} n{to}");
        let rung = ladder.iter().position(|r| *r == e.rung);
        let colour = rung.map_or("#888888".to_string(), |r| rung_colour(r, ladder.len()));
        styles.push(format!("stroke:{colour},stroke-width:{}px", if e.trigger.is_none() { 3 } else { 2 }));
    }
    // The legend: one node per rung in its colour, in a row (invisible
    // links, written after the attacks so `linkStyle` numbers those first).
    let _ = writeln!(out, "  subgraph legend[\"rungs\"]");
    for (i, r) in ladder.iter().enumerate() {
        let _ = writeln!(out, "    r{i}[\"{}\"]", label(r));
    }
    if ladder.len() > 1 {
        let row: Vec<String> = (0..ladder.len()).rev().map(|i| format!("r{i}")).collect();
        let _ = writeln!(out, "    {}", row.join(" ~~~ "));
    }
    out.push_str("  end\n");
    for (i, _) in ladder.iter().enumerate() {
        let _ = writeln!(out, "  style r{i} fill:{},color:#ffffff,stroke:none", rung_colour(i, ladder.len()));
    }
    rung_paths(out, s, ladder);
    let bold: Vec<String> = g
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| openers.contains(&a.actor.as_str()))
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !bold.is_empty() {
        let _ = writeln!(out, "  classDef opener stroke-width:3px\n  class {} opener", bold.join(","));
    }
    for (k, style) in styles.iter().enumerate() {
        let _ = writeln!(out, "  linkStyle {k} {style}");
    }
    out.push_str("```\n\n");
    if s.events.len() > DRAWN_EVENTS {
        let _ = writeln!(out, "The first {DRAWN_EVENTS} of {} events are drawn.\n", s.events.len());
    }
    let _ = writeln!(
        out,
        "Nodes: actor, step of entry, P(joins); bold: opening parties and attacks; hexagons: a provision firing {}+ times at a step.\n",
        graph::BUNDLE
    );
}

/// The most probable path to each rung above the openings' (§5, "Paths
/// to rungs"), as the DOT graph's note has them. A flowchart has no
/// notes: a subgraph holds one box per rung, bordered in its colour, with
/// the opening and then one firing a line, held in ladder order from the
/// top by invisible links (written after the attacks, as the legend's
/// are, so `linkStyle` numbers stay those of the attacks).
fn rung_paths(out: &mut String, s: &ScenarioReport, ladder: &[String]) {
    let paths: Vec<_> = s.rungs.iter().filter_map(|r| Some((r, r.path.as_ref()?))).collect();
    if paths.is_empty() {
        return;
    }
    out.push_str("  subgraph paths[\"most probable path to each rung\"]\n    direction TB\n");
    let (mut boxes, mut styles) = (Vec::new(), Vec::new());
    for (r, p) in paths {
        let Some(i) = ladder.iter().position(|l| *l == r.rung) else { continue };
        let only = if r.above_all_honoured { ", only when some commitment is not honoured" } else { "" };
        let mut lines = vec![format!("{}: {}{only}", r.rung, percent(p.probability)), s.name.clone()];
        lines.extend(p.steps.iter().map(|t| {
            format!("→ {} ({}) → {} attacks {} at {}", t.commitment, percent(t.p), t.acting, t.target, t.rung)
        }));
        let text: Vec<String> = lines.iter().map(|l| label(l)).collect();
        let _ = writeln!(out, "    p{i}[\"{}\"]", text.join("<br/>"));
        styles.push(format!("  style p{i} stroke:{},stroke-width:2px", rung_colour(i, ladder.len())));
        boxes.push(format!("p{i}"));
    }
    if boxes.len() > 1 {
        let _ = writeln!(out, "    {}", boxes.join(" ~~~ "));
    }
    out.push_str("  end\n");
    for style in styles {
        let _ = writeln!(out, "{style}");
    }
}

/// Text inside a quoted Mermaid label: quotes and angle brackets as
/// Mermaid's entity codes (a label is HTML).
fn label(s: &str) -> String {
    s.replace('#', "#35;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

/// Markdown text: characters that would start markup escaped.
fn text(s: &str) -> String {
    s.chars().flat_map(|c| if "\\`*_[]<>#|".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_text_cannot_break_out() {
        assert_eq!(label(r#"a "b" <c> #1"#), "a #quot;b#quot; #lt;c#gt; #35;1");
        assert_eq!(text("a|b_c"), "a\\|b\\_c");
    }
}
