//! The sweep page: a heat map of expected entrants by attacker × target,
//! the ranked attacks and the most exposed targets. Large sweeps are cut
//! to what a page can show (the first rows, the attackers and targets with
//! the most entrants); CSV and JSON hold every attack.

use super::escape as esc;
use super::tables::table;
use crate::analysis::expectations::percent;
use crate::analysis::probability::Method;
use crate::report::sweep::{AttackReport, SweepReport};
use std::collections::HashMap;
use std::fmt::Write;

/// Attacks listed in the ranking.
pub const RANKED_ROWS: usize = 100;
/// Targets listed as exposed.
pub const EXPOSED_ROWS: usize = 50;
/// Attackers (rows) and targets (columns) of the heat map, at most.
pub const HEAT_SIDE: usize = 60;

pub fn body(out: &mut String, report: &SweepReport) {
    let s = &report.settings;
    let period = s.period.as_deref().map_or("every provision in force".to_string(), |p| format!("analysed for {p}"));
    let probabilities = if s.probabilities {
        format!("exact, or Monte Carlo with {} samples per attack (marked ~)", s.samples)
    } else {
        "not evaluated (--no-probabilities): ranked by the all-honoured cascade".to_string()
    };
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"meta\">{} directed attacks at {}, {}; probabilities: {}</p>",
        esc(&report.file),
        report.total,
        esc(&s.opening),
        esc(&period),
        esc(&probabilities)
    );
    if let Some(shard) = report.shard {
        let _ = write!(
            out,
            "<p class=\"warning\">Shard {shard}: {} of the attacks; ranks and exposures cover this shard only.</p>",
            report.attacks.len()
        );
    }
    if report.attacks.iter().any(|a| a.capped) {
        out.push_str(
            "<p class=\"warning\">Some cascades reached the event limit and were cut short (marked capped).</p>",
        );
    }
    out.push_str("<nav><a href=\"#heat\">heat map</a> <a href=\"#ranking\">ranking</a> <a href=\"#exposed\">exposed targets</a></nav></header>\n");
    heat_map(out, report);
    ranking(out, report);
    exposed(out, report);
}

/// What an attack is ranked by: expected entrants, or all-honoured
/// entrants without probabilities.
fn score(a: &AttackReport) -> f64 {
    a.expected_entrants.map_or(a.entrants as f64, |e| e.value)
}

/// Actors by the highest score of their attacks (as `side` picks them),
/// highest first, at most [`HEAT_SIDE`].
fn leading<'a>(attacks: &'a [AttackReport], side: impl Fn(&'a AttackReport) -> &'a str) -> (Vec<&'a str>, usize) {
    let mut best: HashMap<&str, f64> = HashMap::new();
    for a in attacks {
        let v = best.entry(side(a)).or_insert(f64::NEG_INFINITY);
        *v = v.max(score(a));
    }
    let mut actors: Vec<(&str, f64)> = best.into_iter().collect();
    actors.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let all = actors.len();
    (actors.into_iter().take(HEAT_SIDE).map(|(n, _)| n).collect(), all)
}

fn heat_map(out: &mut String, report: &SweepReport) {
    let (attackers, all_attackers) = leading(&report.attacks, |a| &a.aggressor);
    let (targets, all_targets) = leading(&report.attacks, |a| &a.victim);
    let what =
        if report.settings.probabilities { "expected entrants" } else { "entrants when every commitment is honoured" };
    let _ = write!(out, "<section class=\"heat\" id=\"heat\"><h2>Heat map: {what} by attacker × target</h2>");
    if attackers.len() < all_attackers || targets.len() < all_targets {
        let _ = write!(
            out,
            "<p class=\"meta\">The {} of {all_attackers} attackers and {} of {all_targets} targets with the most {what}.</p>",
            attackers.len(),
            targets.len()
        );
    }
    let cells: HashMap<(&str, &str), &AttackReport> =
        report.attacks.iter().map(|a| ((a.aggressor.as_str(), a.victim.as_str()), a)).collect();
    let cells = &cells;
    let shown: Vec<f64> = attackers
        .iter()
        .flat_map(|&a| targets.iter().filter_map(move |&t| cells.get(&(a, t)).map(|x| score(x))))
        .collect();
    let low = shown.iter().copied().fold(f64::INFINITY, f64::min);
    let high = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let big = attackers.len().max(targets.len()) > 16;
    let cell = if big { 16.0 } else { 34.0 };
    let side = cell - 1.0;
    let width_of =
        |names: &[&str]| (names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64 * 7.0 + 12.0).round();
    let (left, top) = (width_of(&attackers).max(124.0), width_of(&targets));
    let (w, h) = (left + cell * targets.len() as f64 + 8.0, top + cell * attackers.len() as f64 + 8.0);
    let _ = write!(
        out,
        "<div class=\"scroll\"><svg class=\"heat-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"{}\">",
        esc(&format!("{what} by attacker (rows) and target (columns)"))
    );
    let _ =
        write!(out, "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\">attacker ↓ target →</text>", left - 6.0, top - 6.0);
    for (j, t) in targets.iter().enumerate() {
        let x = left + cell * (j as f64 + 0.5) + 4.0;
        let _ = write!(
            out,
            "<text class=\"target\" transform=\"translate({x:.1},{:.1}) rotate(-90)\">{}</text>",
            top - 6.0,
            esc(t)
        );
    }
    for (i, a) in attackers.iter().enumerate() {
        let y = top + cell * i as f64;
        let _ = write!(
            out,
            "<text class=\"attacker\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left - 6.0,
            y + cell / 2.0 + 4.0,
            esc(a)
        );
        for (j, t) in targets.iter().enumerate() {
            let x = left + cell * j as f64;
            let Some(attack) = cells.get(&(*a, *t)) else { continue };
            let v = score(attack);
            let shade = if high > low { 0.08 + 0.87 * (v - low) / (high - low) } else { 0.5 };
            // A large map's cells carry only what identifies them (the
            // ranking has the rest): 60 × 60 cells stay under 400 KB.
            let title = if big { format!("#{} {a} → {t}: {v:.2}", attack.rank) } else { cell_title(attack) };
            let _ = write!(
                out,
                "<rect class=\"cell\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"{side}\" height=\"{side}\" fill-opacity=\"{shade:.2}\"><title>{}</title></rect>",
                esc(&title)
            );
            if !big {
                let _ =
                    write!(out, "<text x=\"{:.0}\" y=\"{:.0}\">{v:.1}</text>", x + cell / 2.0, y + cell / 2.0 + 4.0);
            }
        }
    }
    out.push_str("</svg></div>");
    if shown.is_empty() {
        out.push_str("<p class=\"muted\">No attack was evaluated.</p>");
    } else {
        let _ = write!(
            out,
            "<div class=\"legend\"><span class=\"item\"><span class=\"key heat-low\"></span>{low:.2}</span><span class=\"scale\"></span><span class=\"item\"><span class=\"key heat-high\"></span>{high:.2} {what}</span></div>"
        );
    }
    out.push_str("</section>\n");
}

/// `#1 RUS → JPN: 4.01 expected entrants; all honoured: 5 to regional_war; gaps in nuclear`
fn cell_title(a: &AttackReport) -> String {
    let value = match a.expected_entrants {
        Some(e) => match e.interval {
            Some(i) => format!("{:.2} expected entrants [{:.2}, {:.2}]", e.value, i.low, i.high),
            None => format!("{:.2} expected entrants", e.value),
        },
        None => format!("{} entrants", a.entrants),
    };
    let gaps: Vec<&str> = a.gaps.iter().map(|g| g.domain.as_str()).collect();
    let gaps = if gaps.is_empty() { String::new() } else { format!("; gaps in {}", gaps.join(", ")) };
    format!("#{} {} → {}: {value}; all honoured: {}{gaps}", a.rank, a.aggressor, a.victim, all_honoured(a))
}

/// `5 to nuclear`: entrants and top rung when every commitment is honoured.
fn all_honoured(a: &AttackReport) -> String {
    let capped = if a.capped { " (capped)" } else { "" };
    format!("{} to {}{capped}", a.entrants, a.top_rung.as_deref().unwrap_or("-"))
}

fn ranking(out: &mut String, report: &SweepReport) {
    let s = &report.settings;
    // Rungs up to the opening rung are reached by every attack.
    let above = s.ladder.iter().position(|r| *r == s.opening).map_or(0, |i| i + 1);
    let mut header = vec!["rank", "attack"];
    if s.probabilities {
        header.push("expected entrants");
        header.extend(s.ladder[above..].iter().map(String::as_str));
    }
    header.extend(["all honoured", "gaps"]);
    let shown = report.attacks.len().min(RANKED_ROWS);
    let rows: String = report.attacks[..shown]
        .iter()
        .map(|a| {
            let mut row = format!(
                "<tr data-aggressor=\"{}\" data-victim=\"{}\"><td class=\"num\">{}</td><td>{} → {}</td>",
                esc(&a.aggressor),
                esc(&a.victim),
                a.rank,
                esc(&a.aggressor),
                esc(&a.victim)
            );
            if s.probabilities {
                let mark = if matches!(a.method, Some(Method::MonteCarlo { .. })) { "~" } else { "" };
                let _ = match a.expected_entrants {
                    Some(e) => {
                        let interval = e
                            .interval
                            .map(|i| format!(" title=\"95% interval [{:.2}, {:.2}]\"", i.low, i.high))
                            .unwrap_or_default();
                        write!(row, "<td class=\"num expected\"{interval}>{mark}{:.2}</td>", e.value)
                    }
                    None => write!(row, "<td class=\"num expected\"></td>"),
                };
                for r in a.rungs.iter().skip(above) {
                    let interval = r
                        .reached
                        .interval
                        .map(|i| format!(" title=\"95% interval [{}, {}]\"", percent(i.low), percent(i.high)))
                        .unwrap_or_default();
                    let _ = write!(row, "<td class=\"num\"{interval}>{mark}{}</td>", percent(r.reached.value));
                }
            }
            let gaps: Vec<&str> = a.gaps.iter().map(|g| g.domain.as_str()).collect();
            let _ = write!(row, "<td>{}</td><td>{}</td></tr>", esc(&all_honoured(a)), esc(&gaps.join(", ")));
            row
        })
        .collect();
    let what = if s.probabilities { "most expected entrants first" } else { "most entrants first" };
    let _ = write!(out, "<section class=\"ranking\" id=\"ranking\"><h2>Attacks, {what}</h2>");
    table(out, "ranking", "", &header, &rows);
    if report.attacks.len() > shown {
        let _ = write!(
            out,
            "<p class=\"muted\">… {} more (--format csv or json lists every attack)</p>",
            report.attacks.len() - shown
        );
    }
    out.push_str("</section>\n");
}

fn exposed(out: &mut String, report: &SweepReport) {
    let threshold = report.settings.deterrence_ratio;
    let _ = write!(out, "<section class=\"exposed\" id=\"exposed\"><h2>Most exposed targets</h2>");
    if report.exposed.is_empty() {
        let _ = writeln!(
            out,
            "<p>No deterrence gaps: every target can deter every aggressor swept (ratio {threshold}).</p></section>"
        );
        return;
    }
    let _ = write!(out, "<p class=\"meta\">Deterrence gap: ratio below {threshold}.</p>");
    let shown = report.exposed.len().min(EXPOSED_ROWS);
    let rows: String = report.exposed[..shown]
        .iter()
        .map(|t| {
            let against: Vec<String> =
                t.aggressors.iter().map(|e| format!("{} ({} {:.2})", e.aggressor, e.domains.join(", "), e.lowest_ratio)).collect();
            format!(
                "<tr data-target=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}</td></tr>",
                esc(&t.target),
                esc(&t.target),
                t.aggressors.len(),
                t.lowest_ratio,
                esc(&against.join("; "))
            )
        })
        .collect();
    table(out, "exposed", "", &["target", "aggressors", "lowest ratio", "gaps against (domains, lowest ratio)"], &rows);
    if report.exposed.len() > shown {
        let _ = write!(out, "<p class=\"muted\">… {} more targets</p>", report.exposed.len() - shown);
    }
    out.push_str("</section>\n");
}
