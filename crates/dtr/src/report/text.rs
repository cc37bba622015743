//! The readable report: per scenario the cascade, who enters with what
//! probability and by which path, the ladder, conflicts, consultations and
//! importance; then the gaps as a table with their explanations; then the
//! expectations. Only reads the [`Report`].

use super::{ActorReport, EventReport, ExclusionReport, GapReport, Location, Report, ScenarioReport, WhyReport};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::ratio_text;
use crate::analysis::probability::{Estimate, Method};
use crate::analysis::side::Side;
use comfy_table::{CellAlignment, Table, presets};
use std::fmt::Write;

/// The most events of a cascade the text report lists. A cascade cut at
/// the event limit has a million, which no one reads and whose table took
/// 1.6 GB to lay out; JSON lists them all.
pub const EVENT_ROWS: usize = 1_000;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let period = report
        .settings
        .period
        .as_deref()
        .map_or("every provision in force".to_string(), |p| format!("analysed for {p}"));
    let _ = writeln!(out, "{}: {period}, opening rung {}", report.file, report.settings.opening);
    for s in &report.scenarios {
        out.push('\n');
        scenario(&mut out, s);
    }
    if !report.gaps.is_empty() {
        out.push('\n');
        gaps(&mut out, &report.gaps, report.settings.deterrence_ratio);
    }
    if !report.expectations.is_empty() {
        out.push('\n');
        let failed = report.expectations.iter().filter(|e| !e.passed).count();
        let _ = writeln!(out, "Expectations: {} passed, {failed} failed", report.expectations.len() - failed);
        for e in &report.expectations {
            let mark = if e.passed { "ok  " } else { "FAIL" };
            let _ = writeln!(out, "  {mark} {} {}  ({})", at(&e.location), e.text, e.computed);
        }
    }
    out
}

pub(crate) fn at(l: &Location) -> String {
    format!("{}:{}:{}", l.file, l.line, l.column)
}

/// A table without borders, indented by the caller's two spaces.
pub(crate) fn table(header: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING).set_header(header.iter().map(|h| h.to_string()));
    for row in rows {
        t.add_row(row);
    }
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.lines().map(|l| format!(" {}\n", l.trim_end())).collect()
}

pub(crate) fn estimate(e: &Estimate) -> String {
    match e.interval {
        Some(i) => format!("{} [{}, {}]", percent(e.value), percent(i.low), percent(i.high)),
        None => percent(e.value),
    }
}

pub(crate) fn method(m: &Method) -> String {
    match m {
        Method::Exact { leaves, relevant } => {
            format!(
                "exact ({} over {} that can fire)",
                plural(*leaves as usize, "outcome"),
                plural(*relevant, "commitment")
            )
        }
        Method::MonteCarlo { samples, requested, seed } => {
            let budget = if samples < requested {
                format!(" of {requested}, stopped by the work budget")
            } else {
                String::new()
            };
            format!(
                "Monte Carlo ({}{budget}, seed {seed}; 95% intervals in brackets)",
                plural(*samples as usize, "sample")
            )
        }
    }
}

/// `1 outcome`, `2 outcomes`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn scenario(out: &mut String, s: &ScenarioReport) {
    let label = s.label.as_deref().map(|l| format!(" \"{l}\"")).unwrap_or_default();
    let _ = writeln!(out, "Scenario {}{label} ({})", s.name, at(&s.location));
    let _ = writeln!(out, "  probabilities: {}", method(&s.method));
    if let Some(share) = s.budget_share {
        let _ = writeln!(
            out,
            "  note: the run's work budget, shared by its scenarios, cut this one short at {share} considerations (analyze it alone with --scenario for more)"
        );
    }
    if s.capped {
        let _ = writeln!(out, "  warning: a cascade reached the event limit and was cut short");
    }

    let _ = writeln!(out, "\n  Cascade when every commitment is honoured");
    let rows = s
        .events
        .iter()
        .take(EVENT_ROWS)
        .map(|e| {
            let provoked = if e.provoked { " (provoked)" } else { "" };
            let domains = event_domains(e);
            let cause = match e.p {
                Some(p) => format!("{} ({})", e.cause, percent(p)),
                None => e.cause.clone(),
            };
            vec![
                e.step.to_string(),
                format!("{} attacks {}{domains}{provoked}", e.aggressor, e.victim),
                e.rung.clone(),
                cause,
            ]
        })
        .collect();
    out.push_str(&table(&["step", "event", "rung", "cause"], &[0], rows));
    if let Some(more) = s.events.len().checked_sub(EVENT_ROWS).filter(|&n| n > 0) {
        let _ = writeln!(out, "  … {more} more events (--format json lists every event)");
    }

    let _ = writeln!(out, "\n  Who enters");
    let rows = s.actors.iter().map(entrant).collect();
    out.push_str(&table(
        &["actor", "side", "step", "rung", "P(joins)", "P(attacks)", "P(attacked)"],
        &[2, 4, 5, 6],
        rows,
    ));

    let paths: Vec<&ActorReport> =
        s.actors.iter().filter(|a| a.path.as_ref().is_some_and(|p| !p.steps.is_empty())).collect();
    if !paths.is_empty() {
        let _ = writeln!(out, "\n  Most probable paths");
        for a in paths {
            if let Some(p) = &a.path {
                let _ = writeln!(out, "    {} ({}): {}", a.actor, percent(p.probability), p.text);
            }
        }
    }

    let _ = writeln!(out, "\n  Escalation ladder");
    let rows = s.rungs.iter().map(|r| vec![r.rung.clone(), estimate(&r.reached)]).collect();
    out.push_str(&table(&["rung", "P(reached)"], &[1], rows));
    let expected = match s.expected_entrants.interval {
        Some(i) => format!("{:.2} [{:.2}, {:.2}]", s.expected_entrants.value, i.low, i.high),
        None => format!("{:.2}", s.expected_entrants.value),
    };
    let top = s.top_rung.as_deref().unwrap_or("none");
    let _ = writeln!(out, "  top rung when every commitment is honoured: {top}; expected entrants: {expected}");
    let climbs: Vec<_> = s.rungs.iter().filter_map(|r| Some((r, r.path.as_ref()?))).collect();
    if !climbs.is_empty() {
        let _ = writeln!(out, "\n  Most probable paths to each rung");
        for (r, p) in climbs {
            let _ = writeln!(out, "    {} ({}): {}", r.rung, percent(p.probability), p.text);
        }
    }
    let above: Vec<&str> = s.rungs.iter().filter(|r| r.above_all_honoured).map(|r| r.rung.as_str()).collect();
    if !above.is_empty() {
        let _ = writeln!(
            out,
            "  {} reached only when some commitment is not honoured (above the all-honoured top rung {top})",
            above.join(", ")
        );
    }

    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "\n  Conflicts (a promise or a side stopped a commitment)");
        for c in &s.conflicts {
            let why = match (&c.promise, &c.promise_location, c.side) {
                (Some(promise), Some(location), _) => match c.promise_credibility.filter(|&q| q < 1.0) {
                    // At 100% the promise is a veto, and says no more.
                    Some(q) => format!(
                        "{promise} ({}) forbids it (credibility {}: removes {} from the firing's probability)",
                        at(location),
                        percent(q),
                        percent(c.removed)
                    ),
                    None => format!("{promise} ({}) forbids it", at(location)),
                },
                (_, _, Some(side)) => format!("both are on the {} side", side.name()),
                _ => c.rule.clone(),
            };
            let _ = writeln!(
                out,
                "    {} ({}): {} would attack {}, but {why}",
                c.commitment,
                at(&c.location),
                c.acting,
                c.target
            );
        }
    }
    if !s.consultations.is_empty() {
        let _ = writeln!(out, "\n  Consultations");
        let groups = grouped(&s.consultations, |c| (c.provision.clone(), c.acting.clone()), |c| c.with.clone());
        for ((provision, acting), with) in groups {
            let _ = writeln!(out, "    {acting} consults {} under {provision}", with.join(", "));
        }
    }
    if s.importance.is_empty() && s.importance_skipped > 0 {
        let _ = writeln!(
            out,
            "\n  Importance: no provision evaluated lowers P(reaching {top}) ({} further provisions not evaluated)",
            s.importance_skipped
        );
    }
    if !s.importance.is_empty() {
        let _ = writeln!(out, "\n  Most important provisions for reaching {top}");
        let rows = s
            .importance
            .iter()
            .map(|i| {
                vec![
                    i.provision.clone(),
                    percent(i.without + i.drop),
                    estimate(&Estimate { value: i.without, interval: i.interval }),
                    format!("-{}", percent(i.drop)),
                    at(&i.location),
                ]
            })
            .collect();
        out.push_str(&table(&["provision", "with", "without", "change", "declared at"], &[1, 2, 3], rows));
        if s.importance_skipped > 0 {
            let _ =
                writeln!(out, "  ({} further provisions that could matter were not evaluated)", s.importance_skipped);
        }
    }
    why_section(out, s);
}

/// How many of its commitments the report lists for an actor that stays
/// out; `dtr analyze --why ACTOR` lists them all.
pub const WHY_ROWS: usize = 3;

fn why_section(out: &mut String, s: &ScenarioReport) {
    match &s.why {
        None => {
            let _ = writeln!(out, "\n  Why: not evaluated (the cascade and the commitments exceed the work budget)");
        }
        Some(all) if !all.is_empty() => {
            let _ = writeln!(out, "\n  Why (when every commitment is honoured; --why ACTOR lists every commitment)");
            for w in all {
                why(out, w, Some(WHY_ROWS));
            }
        }
        Some(_) => {}
    }
}

/// The order in which the text lists commitments: stopped by a later rule
/// first (a promise or its side stopped one that would otherwise have
/// fired), dates before the kind (commitments that answer nothing), and
/// what fired last (an actor that stays out fired only consultations).
fn closeness(rule: Option<&str>) -> u8 {
    match rule {
        Some("promise" | "side") => 0,
        Some("condition") => 1,
        Some("at_war") => 2,
        Some("not_in_force") => 3,
        Some("consulted") => 4,
        Some(_) => 5,
        None => 6,
    }
}

/// One actor's explanation: how it enters and by which factors, or which
/// rule stopped each of its commitments (at most `rows` of them when it
/// stays out, none when it enters, unless `rows` is None: all).
fn why(out: &mut String, w: &WhyReport, rows: Option<usize>) {
    let p = estimate(&w.enters);
    match &w.entry {
        Some(entry) => {
            let _ = writeln!(out, "    {} enters, {entry} (P(joins) {p})", w.actor);
        }
        None => {
            let _ = writeln!(out, "    {} stays out (P(joins) {p})", w.actor);
        }
    }
    if !w.chain.is_empty() {
        let chain: Vec<&str> = w.chain.iter().map(|f| f.text.as_str()).collect();
        let _ = writeln!(out, "      most probable path: {}", chain.join(", then "));
    }
    let limit = match rows {
        None => w.commitments.len(),
        Some(_) if w.entry.is_some() => 0,
        Some(n) => n,
    };
    // The commitments that came closest to firing first.
    let mut outcomes: Vec<&super::OutcomeReport> = w.commitments.iter().collect();
    outcomes.sort_by_key(|o| closeness(o.rule.as_deref()));
    let key =
        |o: &&super::OutcomeReport| (o.provision.clone(), at(&o.location), o.why.clone(), o.clause.as_ref().map(at));
    let groups = grouped(&outcomes, key, |o| o.commitment.clone());
    for ((provision, declared, why, clause), labels) in groups.iter().take(limit) {
        let clause = clause.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
        let name = match &labels[..] {
            [one] => one.clone(),
            _ => format!("{provision} ×{}", labels.len()),
        };
        let _ = writeln!(out, "      {name} ({declared}): {why}{clause}");
    }
    if let Some(more) = groups.len().checked_sub(limit).filter(|&n| n > 0 && w.entry.is_none()) {
        let _ = writeln!(out, "      … {more} more (--why {})", w.actor);
    }
}

/// One actor's explanations in each scenario, every commitment listed
/// (`dtr analyze --why ACTOR`).
pub fn render_why(report: &super::WhyOfReport) -> String {
    let mut out = format!("{}: why {} enters or stays out\n", report.file, report.actor);
    for s in &report.scenarios {
        let _ = writeln!(out, "\nScenario {}", s.scenario);
        match &s.why {
            _ if !s.evaluated => {
                let _ = writeln!(out, "    not evaluated (the cascade and the commitments exceed the work budget)");
            }
            None => {
                let _ = writeln!(out, "    {} acts on no commitment (promises aside)", report.actor);
            }
            Some(w) => why(&mut out, w, None),
        }
    }
    out
}

/// Items grouped by `key` in order of first appearance, each group with the
/// `value`s of its items.
fn grouped<T, K: PartialEq, V>(items: &[T], key: impl Fn(&T) -> K, value: impl Fn(&T) -> V) -> Vec<(K, Vec<V>)> {
    let mut groups: Vec<(K, Vec<V>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, values)) => values.push(value(item)),
            None => groups.push((k, vec![value(item)])),
        }
    }
    groups
}

fn entrant(a: &ActorReport) -> Vec<String> {
    let side = a.side.map_or("-", Side::name).to_string();
    let (step, rung) = match &a.entry {
        Some(e) => (e.step.to_string(), e.rung.clone()),
        None => ("-".into(), "(stays out when all honour)".into()),
    };
    vec![a.actor.clone(), side, step, rung, estimate(&a.enters), estimate(&a.attacks), estimate(&a.attacked)]
}

/// The domains of an attack as the reports phrase them: " in all but
/// nuclear" for a response without `domains` (§3.5), " in every domain"
/// for an opening without them.
pub(super) fn event_domains(e: &EventReport) -> String {
    match &e.domains {
        _ if e.conventional => " in all but nuclear".to_string(),
        Some(d) => format!(" in {}", d.join(", ")),
        None => " in every domain".to_string(),
    }
}

fn gaps(out: &mut String, gaps: &[GapReport], threshold: f64) {
    let count = gaps.iter().filter(|g| g.gap).count();
    let _ = writeln!(out, "Deterrence gaps: {count} of {} assessments below the ratio {threshold}", gaps.len());
    // Capabilities are on any scale; very large ones are shown in scientific notation.
    let number = |x: f64| if x.abs() >= 1e6 { format!("{x:.3e}") } else { format!("{}", (x * 100.0).round() / 100.0) };
    let rows = gaps
        .iter()
        .map(|g| {
            vec![
                format!("{} -> {}", g.aggressor, g.target),
                g.domain.clone(),
                number(g.aggressor_capability),
                number(g.own),
                number(g.committed),
                ratio_text(g.ratio.unwrap_or(f64::INFINITY)),
                match (&g.reason, g.gap) {
                    (Some(r), true) => format!("GAP: {r}"),
                    _ => "deterred".into(),
                },
            ]
        })
        .collect();
    out.push_str(&table(
        &["threat", "domain", "aggressor", "own", "committed", "ratio", "result"],
        &[2, 3, 4, 5],
        rows,
    ));
    // Every assessment with something to say: a gap, or a deterred row
    // that guarantors or a substitution explain.
    let explained = |g: &&GapReport| g.gap || !g.guarantors.is_empty() || g.own_domain != g.domain;
    for g in gaps.iter().filter(explained) {
        let result = match (&g.reason, g.gap) {
            (Some(r), true) => r.clone(),
            _ => format!("deterred, ratio {}", ratio_text(g.ratio.unwrap_or(f64::INFINITY))),
        };
        let from = g.threat.as_ref().map(|l| format!(" ({})", at(l))).unwrap_or_default();
        let _ = writeln!(out, "\n  {} -> {} in {}: {result}{from}", g.aggressor, g.target, g.domain);
        if g.own_domain != g.domain {
            let _ = writeln!(out, "    own: {}'s {} capability counts, {}", g.target, g.own_domain, number(g.own));
        }
        for x in &g.guarantors {
            let via = if x.domain == g.domain { String::new() } else { format!(" (its {} capability)", x.domain) };
            let _ = writeln!(
                out,
                "    counted: {} via {} at {} credibility, {}{via} ({})",
                x.guarantor,
                x.commitment,
                percent(x.p),
                number(x.contribution),
                at(&x.location)
            );
        }
        let key =
            |x: &ExclusionReport| (x.provision.clone(), at(&x.location), x.why.clone(), x.clause.as_ref().map(at));
        for ((provision, declared, why, clause), acting) in grouped(&g.excluded, key, |x| x.acting.clone()) {
            let clause = clause.map(|c| format!(" ({c})")).unwrap_or_default();
            let _ = writeln!(out, "    excluded: {provision} for {} ({declared}): {why}{clause}", acting.join(", "));
        }
        if g.guarantors.is_empty() && g.excluded.is_empty() {
            let _ = writeln!(out, "    no defend, defends or join commitment protects {}", g.target);
        }
    }
}
