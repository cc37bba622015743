//! The laid-out escalation graph as inline SVG: step bands, one `g.edge`
//! per event (its path through a hub when bundled, coloured by rung, the
//! arrow at the target), hubs, and one `g.node` per actor. Coordinates are
//! whole pixels: a large graph's paths are most of the page. Colours come
//! from the page's stylesheet (classes `rung-N`), so light, dark and print
//! styles apply; `data-*` attributes let the page's script find the
//! report's details.

use super::escape as esc;
use super::graph::{Drawn, HUB_HEIGHT};
use super::layout::{LAYER_GAP, Point, Route};
use crate::analysis::expectations::percent;
use crate::report::{EventReport, ScenarioReport};
use std::fmt::Write;

/// Room above the graph for the step labels.
const TOP: f64 = 26.0;

/// Appends the graph of scenario `s` to `out`; `prefix` makes its element
/// ids unique in the page.
pub fn render(out: &mut String, d: &Drawn, s: &ScenarioReport, ladder: &[String], prefix: &str) {
    let (g, l) = (&d.graph, &d.layout);
    let (w, h) = (l.width.ceil(), (l.height + TOP).ceil());
    let _ = write!(
        out,
        r#"<svg class="escalation" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
        esc(&format!("Escalation graph of {}: {} actors, {} events", s.name, g.actors.len(), g.edges.len()))
    );
    out.push_str("<defs>");
    for i in 0..ladder.len() {
        let _ = write!(
            out,
            r#"<marker id="{prefix}-arrow-{i}" class="arrow rung-{i}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker>"#
        );
    }
    out.push_str("</defs>");
    let _ = write!(out, r#"<g transform="translate(0,{TOP})">"#);
    bands(out, d, l.height);

    out.push_str(r#"<g class="edges">"#);
    for (i, (e, segments)) in s.events.iter().zip(&g.edges).enumerate() {
        let rung = ladder.iter().position(|r| *r == e.rung);
        let mut class = rung.map_or("edge".to_string(), |r| format!("edge rung-{r}"));
        if e.trigger.is_none() {
            class.push_str(" opening");
        }
        if segments.len() > 1 {
            class.push_str(" bundled");
        }
        let d: String = segments.iter().map(|&seg| path(&l.routes[seg])).collect();
        let marker = rung.map(|r| format!(r#" marker-end="url(#{prefix}-arrow-{r})""#)).unwrap_or_default();
        let _ = write!(
            out,
            r#"<g class="{class}" data-event="{i}"><title>{}</title><path d="{d}"{marker}/></g>"#,
            esc(&event_title(e))
        );
    }
    out.push_str("</g>");
    labels(out, d, s);

    out.push_str(r#"<g class="hubs">"#);
    for (i, hub) in g.hubs.iter().enumerate() {
        let n = g.actors.len() + i;
        let (c, width) = (l.nodes[n], d.nodes[n].width);
        let title =
            format!("{} at step {}: {} firings drawn through this node", hub.provision, hub.step, hub.events.len());
        let _ = write!(
            out,
            r#"<g class="hub" data-hub="{i}" tabindex="0"><title>{}</title><rect x="{:.0}" y="{:.0}" width="{width:.0}" height="{HUB_HEIGHT}" rx="{:.0}"/><text x="{:.0}" y="{:.0}">{}</text></g>"#,
            esc(&title),
            c.x - width / 2.0,
            c.y - HUB_HEIGHT / 2.0,
            HUB_HEIGHT / 2.0,
            c.x,
            c.y + 4.0,
            esc(hub.provision)
        );
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="nodes">"#);
    let openers = crate::report::graph::openers(s);
    for (i, a) in g.actors.iter().enumerate() {
        let (c, node) = (l.nodes[i], d.nodes[i]);
        let class = if openers.contains(&a.actor.as_str()) { "node opener" } else { "node" };
        let entry = a.entry.as_ref().map(|e| format!(", enters at step {} ({})", e.step, e.rung)).unwrap_or_default();
        let _ = write!(
            out,
            r#"<g class="{class}" data-actor="{}" tabindex="0"><title>{}</title><rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="6"/><text class="name" x="{:.0}" y="{:.0}">{}</text><text class="joins" x="{:.0}" y="{:.0}">{}</text></g>"#,
            esc(&a.actor),
            esc(&format!("{}: P(joins) {}{entry}", a.actor, super::graph::joins(a))),
            c.x - node.width / 2.0,
            c.y - node.height / 2.0,
            node.width,
            node.height,
            c.x,
            c.y - 3.0,
            esc(&a.actor),
            c.x,
            c.y + 12.0,
            esc(&super::graph::joins(a))
        );
    }
    out.push_str("</g></g></svg>");
}

/// The credibility of each firing drawn on its own, halfway along its
/// first stretch (from the attacker); a hub's firings are listed on hover.
fn labels(out: &mut String, d: &Drawn, s: &ScenarioReport) {
    out.push_str(r#"<g class="labels">"#);
    for (e, segments) in s.events.iter().zip(&d.graph.edges) {
        let (Some(p), [segment]) = (e.p, segments.as_slice()) else { continue };
        let at = match &d.layout.routes[*segment] {
            Route::Across(points) => midpoint(points[0], points[1]),
            Route::Straight(a, b) => midpoint(*a, *b),
            Route::Arc { from, to, bulge } => Point { x: from.x + bulge * 0.75, y: (from.y + to.y) / 2.0 },
        };
        let _ = write!(out, r#"<text x="{:.0}" y="{:.0}">{}</text>"#, at.x, at.y - 3.0, percent(p));
    }
    out.push_str("</g>");
}

fn midpoint(a: Point, b: Point) -> Point {
    Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
}

/// A shaded band behind every other step, with the step's number above.
fn bands(out: &mut String, d: &Drawn, height: f64) {
    let (g, l) = (&d.graph, &d.layout);
    let mut widths = vec![0.0f64; l.layers.len()];
    for n in &d.nodes {
        widths[n.layer] = widths[n.layer].max(n.width);
    }
    out.push_str(r#"<g class="steps">"#);
    let mut first = 0;
    while first < g.steps.len() {
        let step = g.steps[first];
        let last = first + g.steps[first..].iter().take_while(|&&s| s == step).count() - 1;
        let left = l.layers[first] - widths[first] / 2.0 - LAYER_GAP / 2.0;
        let right = l.layers[last] + widths[last] / 2.0 + LAYER_GAP / 2.0;
        let shade = if step % 2 == 0 { "band even" } else { "band odd" };
        let _ = write!(
            out,
            r#"<rect class="{shade}" x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}"/><text class="step" x="{:.0}" y="-8">step {step}</text>"#,
            left.max(0.0),
            -TOP + 4.0,
            right.min(l.width) - left.max(0.0),
            height + TOP - 4.0,
            (left.max(0.0) + right.min(l.width)) / 2.0
        );
        first = last + 1;
    }
    out.push_str("</g>");
}

/// SVG path data for a route: smooth curves with level tangents at each
/// point, so a line leaves and enters nodes horizontally.
fn path(route: &Route) -> String {
    let p = |p: Point| format!("{:.0},{:.0}", p.x, p.y);
    match route {
        Route::Across(points) => {
            let mut d = format!("M{}", p(points[0]));
            for w in points.windows(2) {
                let mid = (w[0].x + w[1].x) / 2.0;
                let _ = write!(d, "C{} {} {}", p(Point { x: mid, y: w[0].y }), p(Point { x: mid, y: w[1].y }), p(w[1]));
            }
            d
        }
        Route::Straight(a, b) => format!("M{}L{}", p(*a), p(*b)),
        Route::Arc { from, to, bulge } => format!(
            "M{}C{} {} {}",
            p(*from),
            p(Point { x: from.x + bulge, y: from.y }),
            p(Point { x: to.x + bulge, y: to.y }),
            p(*to)
        ),
    }
}

/// `step 1: USA attacks RUS at regional_war — NATO.article5[USA→LTU] (76.5%)`
pub fn event_title(e: &EventReport) -> String {
    let cause = match e.p {
        Some(p) => format!("{} ({})", e.cause, percent(p)),
        None => "opening".to_string(),
    };
    format!("step {}: {} attacks {} at {} — {cause}", e.step, e.aggressor, e.victim, e.rung)
}
