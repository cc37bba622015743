//! Live analysis as code lenses: above each `threat`, per target, whether
//! each assessed domain has a deterrence gap, with the ratio and the reason;
//! above each `scenario`, who enters and the top rung when every commitment
//! is honoured, its escalation graph, and how many of its expectations
//! hold. Shown only when the compilation has no errors. Each runs a command
//! of [`super::commands`]: the report (of the file, or of the scenario) as
//! text or as the HTML page, or the expectations.

use super::commands::{self, RUN_EXPECTATIONS, SHOW_ESCALATION, SHOW_REPORT};
use super::snapshot::Snapshot;
use dtr::analysis::gaps::Gap;
use dtr::source::{FileId, Span};
use serde_json::Value;
use tower_lsp_server::ls_types::{CodeLens, Command};

pub fn lenses(snapshot: &Snapshot) -> Vec<CodeLens> {
    let Some(overview) = snapshot.overview() else { return Vec::new() };
    let program = &snapshot.checked.program;
    let actor = |a: dtr::vocabulary::ActorId| program.actors.get(a.index()).map_or("?", |a| &*a.name);
    let mut out = Vec::new();
    for threat in program.threats.iter().filter(|t| t.span.file == FileId(0)) {
        for &target in &threat.targets {
            let gaps: Vec<&Gap> =
                overview.gaps.iter().filter(|g| g.threat_span == Some(threat.span) && g.target == target).collect();
            let domains: Vec<String> = gaps.iter().map(|g| domain(program, g)).collect();
            let verdict = if domains.is_empty() { "nothing to assess".to_string() } else { domains.join(" · ") };
            let title = format!("{} → {}: {verdict}", actor(threat.aggressor), actor(target));
            out.push(lens(snapshot, threat.span, title, SHOW_REPORT, None));
        }
    }
    // The expectations' results need the full analysis: computed only for
    // a file that has expectations (within the run's work budget).
    let live = if program.expectations.is_empty() { None } else { snapshot.live() };
    for (id, escalation) in &overview.scenarios {
        let Some(declared) = program.scenarios.get(id.index()).filter(|d| d.span.file == FileId(0)) else { continue };
        let entrants: Vec<&str> = escalation.entrants.iter().map(|a| actor(*a)).collect();
        let top = escalation.top_rung.map_or("none", |r| program.rung_name(r));
        let capped = if escalation.capped { " (cut short at the event limit)" } else { "" };
        let title = format!("{} enter: {} · top rung: {top}{capped}", entrants.len(), entrants.join(", "));
        out.push(lens(snapshot, declared.span, title, SHOW_REPORT, Some(declared.name.as_str())));
        out.push(lens(
            snapshot,
            declared.span,
            "escalation graph".to_string(),
            SHOW_ESCALATION,
            Some(declared.name.as_str()),
        ));
        let Some(live) = &live else { continue };
        let results: Vec<bool> = live
            .analysis
            .expectations
            .iter()
            .filter(|r| {
                live.model
                    .expectations
                    .iter()
                    .any(|e| e.span == r.span && commands::scenario_of(&e.expectation) == Some(*id))
            })
            .map(|r| r.passed)
            .collect();
        if !results.is_empty() {
            let held = results.iter().filter(|p| **p).count();
            let title = format!("{held} of {} expectations hold", results.len());
            out.push(lens(snapshot, declared.span, title, RUN_EXPECTATIONS, Some(declared.name.as_str())));
        }
    }
    out
}

fn domain(program: &dtr::check::program::Program, g: &Gap) -> String {
    let name = program.domains.get(g.domain.index()).map_or("?", |d| d.name.as_str());
    let ratio = dtr::analysis::gaps::ratio_text(g.ratio);
    match g.reason {
        Some(reason) if g.gap => format!("{name} {ratio} gap ({})", reason.as_str()),
        _ if g.gap => format!("{name} {ratio} gap"),
        _ => format!("{name} {ratio} ok"),
    }
}

/// A lens on the line where `span` starts, running `command` on the
/// document (and the scenario, if named).
fn lens(snapshot: &Snapshot, span: Span, title: String, command: &str, scenario: Option<&str>) -> CodeLens {
    let start = snapshot.range(span).start;
    let mut arguments = vec![Value::from(snapshot.uri.as_str())];
    arguments.extend(scenario.map(Value::from));
    CodeLens {
        range: tower_lsp_server::ls_types::Range::new(start, start),
        command: Some(Command { title, command: command.to_string(), arguments: Some(arguments) }),
        data: None,
    }
}
