//! The sections of the analysis page: per scenario the graph with its
//! legend and the tables of the text report (who enters, the ladder,
//! importance, conflicts, the cascade); the deterrence gaps as a matrix
//! aggressor → target × domain coloured by reason; the expectations.

use super::graph::{self, DRAWN_EVENTS};
use super::{data, escape as esc, svg};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::ratio_text;
use crate::analysis::side::Side;
use crate::report::graph::BUNDLE;
use crate::report::text::{at, estimate, method};
use crate::report::{ExpectationReport, GapReport, LadderRungReport, Report, ScenarioReport};
use std::fmt::Write;

/// Rows of the cascade and conflict tables, at most: a cut cascade's
/// thousands of rows would be most of the page (JSON has them all).
pub const TABLE_ROWS: usize = 300;

pub fn header(out: &mut String, report: &Report) {
    let s = &report.settings;
    let period = s.period.as_deref().map_or("every provision in force".to_string(), |p| format!("analysed for {p}"));
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"meta\">{}, opening rung {}, deterrence ratio {}</p><nav>",
        esc(&report.file),
        esc(&period),
        esc(&s.opening),
        s.deterrence_ratio
    );
    for sc in &report.scenarios {
        let _ = write!(out, "<a href=\"#scenario-{}\">{}</a> ", esc(&sc.name), esc(&sc.name));
    }
    if !report.gaps.is_empty() {
        out.push_str("<a href=\"#gaps\">gaps</a> ");
    }
    if !report.expectations.is_empty() {
        out.push_str("<a href=\"#expectations\">expectations</a>");
    }
    out.push_str("</nav></header>\n");
}

/// Writes scenario `index` and returns the data its graph's script reads.
pub fn scenario(out: &mut String, index: usize, s: &ScenarioReport, ladder: &[String]) -> serde_json::Value {
    let drawn = graph::draw(s);
    let g = &drawn.graph;
    let label = s.label.as_deref().map(|l| format!(" <span class=\"label\">{}</span>", esc(l))).unwrap_or_default();
    let expected = match s.expected_entrants.interval {
        Some(i) => format!("{:.2} [{:.2}, {:.2}]", s.expected_entrants.value, i.low, i.high),
        None => format!("{:.2}", s.expected_entrants.value),
    };
    let _ = write!(
        out,
        "<section class=\"scenario\" id=\"scenario-{}\" data-scenario=\"{index}\">\n<h2>{}{label}</h2>\n<p class=\"meta\">{} · probabilities: {} · top rung when every commitment is honoured: {} · expected entrants: <span class=\"expected\">{expected}</span></p>\n",
        esc(&s.name),
        esc(&s.name),
        esc(&at(&s.location)),
        esc(&method(&s.method)),
        esc(s.top_rung.as_deref().unwrap_or("none"))
    );
    if s.capped {
        out.push_str("<p class=\"warning\">A cascade reached the event limit and was cut short.</p>\n");
    }

    out.push_str("<figure class=\"graph\"><div class=\"scroll\">");
    svg::render(out, &drawn, s, ladder, &format!("s{index}"));
    out.push_str("</div><figcaption>");
    legend(out, ladder, !g.hubs.is_empty());
    if s.events.len() > DRAWN_EVENTS {
        let _ = write!(
            out,
            "<p class=\"warning\">The first {DRAWN_EVENTS} of {} events are drawn; the cascade table lists more.</p>",
            s.events.len()
        );
    }
    out.push_str("</figcaption><div class=\"details\" aria-live=\"polite\"><p class=\"hint\">Hover over or click an actor, a hub or an edge for its chain of commitments, their credibilities and where they are declared.</p></div></figure>\n");

    out.push_str("<div class=\"tables\">");
    let rows: String = s
        .actors
        .iter()
        .map(|a| {
            let (step, rung) = match &a.entry {
                Some(e) => (e.step.to_string(), esc(&e.rung)),
                None => ("–".to_string(), "<span class=\"muted\">stays out when all honour</span>".to_string()),
            };
            let side = a.side.map_or("–", Side::name);
            format!(
                "<tr data-actor=\"{}\"><td>{}</td><td>{side}</td><td class=\"num\">{step}</td><td>{rung}</td>{}{}{}</tr>",
                esc(&a.actor),
                esc(&a.actor),
                bar_cell(a.enters.value, &estimate(&a.enters)),
                bar_cell(a.attacks.value, &estimate(&a.attacks)),
                bar_cell(a.attacked.value, &estimate(&a.attacked))
            )
        })
        .collect();
    let header = ["actor", "side", "step", "rung", "P(joins)", "P(attacks)", "P(attacked)"];
    table(out, "enters", "Who enters", &header, &rows);
    let rows: String = s
        .rungs
        .iter()
        .map(|r| {
            let class =
                ladder.iter().position(|l| *l == r.rung).map(|i| format!(" class=\"rung-{i}\"")).unwrap_or_default();
            format!(
                "<tr data-rung=\"{}\"><td><span{class}><span class=\"swatch\"></span></span>{}</td>{}{}</tr>",
                esc(&r.rung),
                esc(&r.rung),
                bar_cell(r.reached.value, &estimate(&r.reached)),
                rung_path(&s.name, r)
            )
        })
        .collect();
    table(out, "rungs", "Escalation ladder", &["rung", "P(reached)", "most probable path"], &rows);
    out.push_str("</div>\n");

    if !s.importance.is_empty() {
        let rows: String = s
            .importance
            .iter()
            .map(|i| {
                format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">-{}</td><td class=\"at\">{}</td></tr>",
                    esc(&i.provision),
                    percent(i.without + i.drop),
                    percent(i.without),
                    percent(i.drop),
                    esc(&at(&i.location))
                )
            })
            .collect();
        let caption =
            format!("Most important provisions for reaching {}", s.top_rung.as_deref().unwrap_or("the top rung"));
        table(out, "importance", &caption, &["provision", "with", "without", "change", "declared at"], &rows);
    }
    if s.importance_skipped > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{} further provisions that could matter were not evaluated.</p>",
            s.importance_skipped
        );
    }
    if !s.conflicts.is_empty() {
        let rows: String = s
            .conflicts
            .iter()
            .take(TABLE_ROWS)
            .map(|c| {
                format!(
                    "<tr><td>{}</td><td>{} would attack {}</td><td>{}</td><td class=\"at\">{}</td><td class=\"at\">{}</td></tr>",
                    esc(&c.commitment),
                    esc(&c.acting),
                    esc(&c.target),
                    esc(&conflict_rule(c)),
                    esc(&at(&c.location)),
                    esc(&c.promise_location.as_ref().map(at).unwrap_or_default())
                )
            })
            .collect();
        let shown = if s.conflicts.len() > TABLE_ROWS {
            format!("the first {TABLE_ROWS} of {}", s.conflicts.len())
        } else {
            s.conflicts.len().to_string()
        };
        let caption = format!("Conflicts: a promise or a side stopped a commitment ({shown})");
        table(
            out,
            "conflicts",
            &caption,
            &["commitment", "firing", "forbidden by", "declared at", "promise at"],
            &rows,
        );
    }

    let open = if s.events.len() <= 30 { " open" } else { "" };
    let _ = write!(
        out,
        "<details class=\"cascade\"{open}><summary>Cascade when every commitment is honoured ({} events)</summary>",
        s.events.len()
    );
    let rows: String = s
        .events
        .iter()
        .take(TABLE_ROWS)
        .map(|e| {
            let domains = crate::report::text::event_domains(e);
            let provoked = if e.provoked { " (provoked)" } else { "" };
            let cause = match e.p {
                Some(p) => format!("{} ({})", e.cause, percent(p)),
                None => e.cause.clone(),
            };
            format!(
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"at\">{}</td></tr>",
                e.step,
                esc(&format!("{} attacks {}{domains}{provoked}", e.aggressor, e.victim)),
                esc(&e.rung),
                esc(&cause),
                e.location.as_ref().map(|l| esc(&at(l))).unwrap_or_default()
            )
        })
        .collect();
    table(out, "events", "", &["step", "event", "rung", "cause", "declared at"], &rows);
    if s.events.len() > TABLE_ROWS {
        let _ = write!(
            out,
            "<p class=\"muted\">… {} more events (--format json lists every event)</p>",
            s.events.len() - TABLE_ROWS
        );
    }
    out.push_str("</details>\n</section>\n");

    serde_json::to_value(data::scenario(s, &drawn)).unwrap_or_default()
}

/// The cell of the most probable path to rung `r` (§5, "Paths to rungs";
/// none for the openings' rungs and below, and rungs no cascade reaches):
/// the chance of the chain, then each firing with its credibility and
/// declaration, as the hover shows an actor's path.
fn rung_path(scenario: &str, r: &LadderRungReport) -> String {
    let Some(p) = &r.path else { return "<td class=\"path muted\">–</td>".to_string() };
    let only = if r.above_all_honoured { ", only when some commitment is not honoured" } else { "" };
    let steps: String = p
        .steps
        .iter()
        .map(|s| {
            format!(
                "<li>{} <span class=\"p\">{}</span> → {} attacks {} at {} <span class=\"at\">{}</span></li>",
                esc(&s.commitment),
                percent(s.p),
                esc(&s.acting),
                esc(&s.target),
                esc(&s.rung),
                esc(&at(&s.location))
            )
        })
        .collect();
    format!(
        "<td class=\"path\"><span class=\"p\">{}</span> from the opening {}{only}:<ol class=\"chain\">{steps}</ol></td>",
        percent(p.probability),
        esc(scenario)
    )
}

/// The rung colours and the shapes, as drawn.
fn legend(out: &mut String, ladder: &[String], hubs: bool) {
    out.push_str("<div class=\"legend\"><span class=\"legend-title\">Rung of each attack:</span>");
    for (i, r) in ladder.iter().enumerate() {
        let _ = write!(out, "<span class=\"item rung-{i}\"><span class=\"swatch\"></span>{}</span>", esc(r));
    }
    out.push_str("<span class=\"item\"><span class=\"key node-key\"></span>actor: P(joins)</span><span class=\"item\"><span class=\"key opener-key\"></span>opening party</span><span class=\"item\"><span class=\"key opening-key\"></span>opening attack</span>");
    if hubs {
        let _ = write!(
            out,
            "<span class=\"item\"><span class=\"key hub-key\"></span>one provision firing {}+ times at a step</span>",
            BUNDLE
        );
    }
    out.push_str("<span class=\"item\">columns: steps, left to right; arrows: attacker → target</span></div>");
}

/// A right-aligned cell with a bar of `value` (in [0, 1]) behind `text`.
fn bar_cell(value: f64, text: &str) -> String {
    format!(
        "<td class=\"num p\"><span class=\"bar\" style=\"--v:{:.4}\"></span>{}</td>",
        value.clamp(0.0, 1.0),
        esc(text)
    )
}

/// A table with a caption and a header row; `rows` is the body's markup.
pub fn table(out: &mut String, class: &str, caption: &str, header: &[&str], rows: &str) {
    let _ = write!(out, "<table class=\"{class}\">");
    if !caption.is_empty() {
        let _ = write!(out, "<caption>{}</caption>", esc(caption));
    }
    out.push_str("<thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    let _ = writeln!(out, "</tr></thead><tbody>{rows}</tbody></table>");
}

/// One row per aggressor → target, one column per domain assessed; a
/// cell holds the ratio, coloured by the gap's reason, with the
/// guarantors counted and the commitments excluded on hover.
pub fn gaps(out: &mut String, gaps: &[GapReport], threshold: f64) {
    let count = gaps.iter().filter(|g| g.gap).count();
    let _ = write!(
        out,
        "<section class=\"gaps\" id=\"gaps\"><h2>Deterrence gaps</h2><p class=\"meta\">{count} of {} assessments below the ratio {threshold}. A cell is the ratio of what the target and its committed guarantors hold to the aggressor's capability in that domain.</p>",
        gaps.len()
    );
    let mut domains: Vec<&str> = Vec::new();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for g in gaps {
        if !domains.contains(&g.domain.as_str()) {
            domains.push(&g.domain);
        }
        if !pairs.contains(&(&g.aggressor, &g.target)) {
            pairs.push((&g.aggressor, &g.target));
        }
    }
    out.push_str("<div class=\"scroll\"><table class=\"gap-matrix\"><thead><tr><th>aggressor → target</th>");
    for d in &domains {
        let _ = write!(out, "<th>{}</th>", esc(d));
    }
    out.push_str("</tr></thead><tbody>");
    for (aggressor, target) in pairs {
        let _ = write!(out, "<tr><th>{} → {}</th>", esc(aggressor), esc(target));
        for d in &domains {
            // Two threats of one aggressor at one target: the lower ratio.
            let cell = gaps
                .iter()
                .filter(|g| g.aggressor == aggressor && g.target == target && g.domain == *d)
                .min_by(|a, b| ratio(a).total_cmp(&ratio(b)));
            match cell {
                Some(g) => {
                    let class = match (&g.reason, g.gap) {
                        (Some(r), true) => format!("gap {}", esc(r)),
                        _ => "deterred".to_string(),
                    };
                    let _ = write!(
                        out,
                        "<td class=\"{class}\" data-aggressor=\"{}\" data-target=\"{}\" data-domain=\"{}\" title=\"{}\">{}</td>",
                        esc(aggressor),
                        esc(target),
                        esc(d),
                        esc(&gap_title(g)),
                        ratio_text(ratio(g))
                    );
                }
                None => out.push_str("<td class=\"none\"></td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div><div class=\"legend reasons\">");
    for (class, words) in [
        ("deterred", "deterred"),
        ("gap no_umbrella", "no umbrella: a nuclear threat, no nuclear guarantor"),
        ("gap uncovered", "uncovered: no commitment protects the target"),
        ("gap excluded", "excluded: none that protects it would fire"),
        ("gap hollow", "hollow: those that fire are below the credibility floor"),
        ("gap outmatched", "outmatched: guarantors fire, too weak together"),
    ] {
        let _ = write!(out, "<span class=\"item\"><span class=\"key {class}\"></span>{words}</span>");
    }
    out.push_str("</div></section>\n");
}

/// A gap's ratio; None (too large for a double) is unbounded.
fn ratio(g: &GapReport) -> f64 {
    g.ratio.unwrap_or(f64::INFINITY)
}

/// The hover text of a gap cell: the quantities, then who is counted and
/// who is excluded.
fn gap_title(g: &GapReport) -> String {
    let number = |x: f64| if x.abs() >= 1e6 { format!("{x:.3e}") } else { format!("{}", (x * 100.0).round() / 100.0) };
    let verdict = match (&g.reason, g.gap) {
        (Some(r), true) => format!("GAP: {r}"),
        _ => "deterred".to_string(),
    };
    let mut t = format!(
        "{} → {} in {}: {verdict}\nratio {} (threshold {}): aggressor {}, own {}, committed {}",
        g.aggressor,
        g.target,
        g.domain,
        ratio_text(ratio(g)),
        g.threshold,
        number(g.aggressor_capability),
        number(g.own),
        number(g.committed)
    );
    if let Some(l) = &g.threat {
        let _ = write!(t, "\nthreat declared at {}", at(l));
    }
    for x in &g.guarantors {
        let _ = write!(
            t,
            "\ncounted: {} via {} at {} credibility, {} ({})",
            x.guarantor,
            x.commitment,
            percent(x.p),
            number(x.contribution),
            at(&x.location)
        );
    }
    for x in &g.excluded {
        let _ = write!(t, "\nexcluded: {} for {} ({}): {}", x.provision, x.acting, at(&x.location), x.why);
    }
    if g.guarantors.is_empty() && g.excluded.is_empty() {
        let _ = write!(t, "\nno defend, defends or join commitment protects {}", g.target);
    }
    t
}

pub fn expectations(out: &mut String, expectations: &[ExpectationReport]) {
    let failed = expectations.iter().filter(|e| !e.passed).count();
    let _ = write!(
        out,
        "<section class=\"expectations\" id=\"expectations\"><h2>Expectations: {} passed, {failed} failed</h2>",
        expectations.len() - failed
    );
    let rows: String = expectations
        .iter()
        .map(|e| {
            let (class, mark) = if e.passed { ("pass", "ok") } else { ("fail", "FAIL") };
            format!(
                "<tr class=\"{class}\"><td class=\"mark\">{mark}</td><td><code>{}</code></td><td>{}</td><td class=\"at\">{}</td></tr>",
                esc(&e.text),
                esc(&e.computed),
                esc(&at(&e.location))
            )
        })
        .collect();
    table(out, "expectations", "", &["", "expectation", "computed", "declared at"], &rows);
    out.push_str("</section>\n");
}

/// What stopped a conflicting firing: the promise, or the side both
/// parties are on.
fn conflict_rule(c: &crate::report::ConflictReport) -> String {
    match (&c.promise, c.side) {
        // A promise below 100% says how much of the firing it removes.
        (Some(promise), _) => match c.promise_credibility.filter(|&q| q < 1.0) {
            Some(q) => format!("{promise} (credibility {}: removes {})", percent(q), percent(c.removed)),
            None => promise.clone(),
        },
        (None, Some(side)) => format!("both on the {} side", side.name()),
        (None, None) => c.rule.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::probability::Estimate;
    use crate::report::{Location, PathReport, PathStepReport};

    fn rung(path: Option<PathReport>, above_all_honoured: bool) -> LadderRungReport {
        let reached = Estimate { value: 0.4, interval: None };
        LadderRungReport { rung: "nuclear".into(), reached, path, above_all_honoured }
    }

    #[test]
    fn a_rung_path_is_escaped_and_says_when_it_needs_a_commitment_broken() {
        let step = PathStepReport {
            commitment: "A.b[X→Y]".into(),
            acting: "X".into(),
            p: 0.4,
            target: "Y".into(),
            rung: "nuclear".into(),
            location: Location { file: "<x&'y'>.dtr".into(), line: 3, column: 1 },
        };
        let path = PathReport { probability: 0.4, steps: vec![step], text: String::new() };
        assert_eq!(
            rung_path("s", &rung(Some(path), true)),
            "<td class=\"path\"><span class=\"p\">40%</span> from the opening s, only when some commitment is not \
             honoured:<ol class=\"chain\"><li>A.b[X→Y] <span class=\"p\">40%</span> → X attacks Y at nuclear \
             <span class=\"at\">&lt;x&amp;&#39;y&#39;&gt;.dtr:3:1</span></li></ol></td>"
        );
        assert_eq!(rung_path("s", &rung(None, false)), "<td class=\"path muted\">–</td>");
    }
}
