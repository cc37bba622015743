//! The commands behind the code lenses, run through
//! `workspace/executeCommand`. Their arguments are the document's URI and,
//! optionally, a scenario's name:
//!
//! - `dtr.showReport` returns the text report, as `dtr analyze FILE
//!   [--scenario NAME]` prints it;
//! - `dtr.showEscalation` returns the HTML report, as `dtr analyze FILE
//!   [--scenario NAME] --format html` writes it (the editor shows it: a
//!   webview in VS Code, the browser from Neovim);
//! - `dtr.runExpectations` checks the expectations (of that scenario, or
//!   all), as `dtr test` does, and says how they fared; the server also
//!   shows that in a `window/showMessage`.
//!
//! Both read the live analysis of the document's current text.

use super::snapshot::{Live, Snapshot};
use dtr::analysis::{Analysis, expectations};
use dtr::check::program::Expectation;
use dtr::report::{self, Report, html, text};
use dtr::source::FileId;
use dtr::vocabulary::ScenarioId;
use serde_json::Value;
use std::str::FromStr;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{MessageType, Uri};

pub const SHOW_REPORT: &str = "dtr.showReport";
pub const SHOW_ESCALATION: &str = "dtr.showEscalation";
pub const RUN_EXPECTATIONS: &str = "dtr.runExpectations";
/// Advertised in `executeCommandProvider`.
pub const ALL: [&str; 3] = [SHOW_REPORT, SHOW_ESCALATION, RUN_EXPECTATIONS];

pub enum Command {
    ShowReport,
    ShowEscalation,
    RunExpectations,
}

impl Command {
    pub fn named(name: &str) -> Result<Command> {
        match name {
            SHOW_REPORT => Ok(Command::ShowReport),
            SHOW_ESCALATION => Ok(Command::ShowEscalation),
            RUN_EXPECTATIONS => Ok(Command::RunExpectations),
            _ => Err(Error::invalid_params(format!("unknown command `{name}`; this server runs {}", ALL.join(", ")))),
        }
    }
}

/// What a command is about.
pub struct Target {
    pub uri: Uri,
    pub scenario: Option<String>,
}

/// Reads `[uri, scenario?]`.
pub fn target(arguments: &[Value]) -> Result<Target> {
    let usage = || Error::invalid_params("expected the arguments [document URI, scenario name (optional)]");
    let uri = arguments.first().and_then(Value::as_str).ok_or_else(usage)?;
    let uri = Uri::from_str(uri).map_err(|_| Error::invalid_params(format!("not a URI: {uri}")))?;
    let scenario = match arguments.get(1) {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err(usage()),
    };
    if arguments.len() > 2 {
        return Err(usage());
    }
    Ok(Target { uri, scenario })
}

/// The analysis of a document without errors, or why there is none.
fn live(snapshot: &Snapshot) -> Result<std::sync::Arc<Live>> {
    snapshot.live().ok_or_else(|| Error {
        // RequestFailed (LSP 3.17): the request was well formed.
        code: ErrorCode::ServerError(-32803),
        message: "the document has errors; fix them to analyse it".into(),
        data: None,
    })
}

fn scenario(live: &Live, name: &str) -> Result<ScenarioId> {
    live.model.scenario_named(name).ok_or_else(|| Error::invalid_params(format!("no scenario named `{name}`")))
}

/// `dtr.showReport`.
pub fn show_report(snapshot: &Snapshot, name: Option<&str>) -> Result<String> {
    Ok(text::render(&report_of(snapshot, name)?))
}

/// `dtr.showEscalation`.
pub fn show_escalation(snapshot: &Snapshot, name: Option<&str>) -> Result<String> {
    Ok(html::render(&report_of(snapshot, name)?, &html::Options::default()))
}

/// The report of the document, or of one scenario (with every gap).
fn report_of(snapshot: &Snapshot, name: Option<&str>) -> Result<Report> {
    let live = live(snapshot)?;
    let sources = &snapshot.checked.sources;
    Ok(match name {
        None => report::build(&live.model, &live.analysis, sources),
        Some(name) => {
            // What `analyze --scenario` computes, taken from the analysis of all.
            let id = scenario(&live, name)?;
            let scenarios: Vec<_> = live.analysis.scenarios.iter().filter(|s| s.scenario == id).cloned().collect();
            let gaps = live.analysis.gaps.clone();
            let expectations = expectations::check(&live.model, &scenarios, &gaps);
            report::build(&live.model, &Analysis { scenarios, gaps, expectations }, sources)
        }
    })
}

/// `dtr.runExpectations`: the message to show, and its type (a warning
/// when one fails).
pub fn run_expectations(snapshot: &Snapshot, name: Option<&str>) -> Result<(MessageType, String)> {
    let live = live(snapshot)?;
    let id = name.map(|n| scenario(&live, n)).transpose()?;
    let sources = &snapshot.checked.sources;
    let mut total = 0;
    let mut failures = Vec::new();
    for result in &live.analysis.expectations {
        let of =
            live.model.expectations.iter().find(|e| e.span == result.span).and_then(|e| scenario_of(&e.expectation));
        if id.is_some_and(|id| of != Some(id)) {
            continue;
        }
        total += 1;
        if !result.passed {
            let at = sources.line_col(result.span.file, result.span.start as usize);
            let written = sources.slice(result.span).lines().next().unwrap_or("").trim();
            failures.push(format!(
                "{}:{}: `{written}` fails: computed {}",
                file_name(snapshot, result.span.file),
                at.line,
                result.computed
            ));
        }
    }
    let subject = name.map_or_else(|| file_name(snapshot, FileId(0)), str::to_string);
    let mut message = match total {
        0 => format!("{subject}: no expectations"),
        _ => format!("{subject}: {} of {total} expectations hold", total - failures.len()),
    };
    for failure in &failures {
        message.push('\n');
        message.push_str(failure);
    }
    let kind = if failures.is_empty() { MessageType::INFO } else { MessageType::WARNING };
    Ok((kind, message))
}

fn file_name(snapshot: &Snapshot, file: FileId) -> String {
    let name = snapshot.checked.sources.name(file);
    std::path::Path::new(name).file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned())
}

/// The scenario an expectation is about (none for `gap` and `no gap`).
pub fn scenario_of(e: &Expectation) -> Option<ScenarioId> {
    match e {
        Expectation::Gap { .. } | Expectation::NoGap { .. } => None,
        Expectation::Joins { scenario, .. }
        | Expectation::StaysOut { scenario, .. }
        | Expectation::Attacks { scenario, .. }
        | Expectation::Reaches { scenario, .. }
        | Expectation::NotReaches { scenario, .. }
        | Expectation::Probability { scenario, .. } => Some(*scenario),
    }
}
