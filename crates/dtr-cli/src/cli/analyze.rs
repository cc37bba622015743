//! `dtr analyze FILES…`: escalation paths and deterrence gaps as text, JSON,
//! a Graphviz graph, an HTML page or Mermaid in Markdown, with what-if
//! overrides. Every file is checked and every option resolved against it
//! before anything is printed, so a misspelled `--set` or `--scenario` is
//! the first thing the user reads.

use super::{Outcome, check_file, collect_files, print_diagnostics};
use dtr::analysis;
use dtr::analysis::sensitivity::{self, Measure};
use dtr::check::Checked;
use dtr::check::program::Period;
use dtr::model::whatif::{self, Override, Range};
use dtr::model::{self, Model};
use dtr::report::{self, dot, html, mermaid, text};
use dtr::vocabulary::ScenarioId;
use serde::{Serialize, Serializer};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Dot,
    /// One self-contained page: graphs, tables, gaps (no network needed).
    Html,
    /// Markdown with Mermaid flowcharts (GitHub draws them).
    Mermaid,
    /// With --vary only.
    Csv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The compiled model as JSON.
    Model,
}

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files (their imports are read too), directories searched
    /// for *.dtr, or patterns ('scenarios/**/*.dtr'). With several files, a
    /// directory or a pattern, JSON is an array of reports, one per file.
    /// `-` reads standard input.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    stdin: super::stdin::StdinArgs,
    /// Analyse only these scenarios (repeatable or comma-separated; each
    /// must be in some file; gaps are always assessed). Default: `[analyze]
    /// scenario` in dtr.toml.
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    scenario: Vec<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// What-if without editing the file: ACTOR.resolve=40% or
    /// PROVISION.credibility=60% (a commitment, or ALLIANCE.obligation).
    /// Repeatable; with several files, each must declare the name.
    #[arg(long = "set", value_name = "NAME.FIELD=VALUE")]
    set: Vec<Override>,
    /// Analyse this year (1914, -431) or day (1914-07-28) instead of the
    /// file's settings. Default: `[analyze] year` in dtr.toml.
    #[arg(long, value_name = "YEAR|DATE", value_parser = whatif::parse_period, allow_negative_numbers = true)]
    year: Option<Period>,
    /// Explain why ACTOR enters each scenario (its most probable path, each
    /// step's credibility and resolve) or stays out (each of its
    /// commitments and the first rule that stopped it), instead of the
    /// whole report. Text or JSON.
    #[arg(long, value_name = "ACTOR")]
    why: Option<String>,
    /// Evaluate every scenario at each value of one input, e.g.
    /// USA.resolve=0%..100%:10% or USA.capability.land=0..100:10 (any
    /// field --set takes; at most 101 values), instead of the report:
    /// P(reaching the top rung) or, with --of, P(ACTOR joins). Text, JSON
    /// or CSV.
    #[arg(long, value_name = "NAME.FIELD=FROM..TO:STEP", conflicts_with_all = ["why", "emit", "tornado"])]
    vary: Option<Range>,
    /// Rank the resolves and credibilities that move P(reaching the top
    /// rung) (or, with --of, P(ACTOR joins)) most, each moved 10 points
    /// down and up, instead of the report. Text or JSON.
    #[arg(long, conflicts_with_all = ["why", "emit"])]
    tornado: bool,
    /// The result --vary and --tornado follow: P(ACTOR joins).
    #[arg(long, value_name = "ACTOR")]
    of: Option<String>,
    /// Print an intermediate form instead of the report.
    #[arg(long, value_enum)]
    emit: Option<Emit>,
}

/// A file that checked without errors, its what-ifs applied.
struct Loaded {
    file: PathBuf,
    checked: Checked,
    model: Model,
    /// The scenarios to analyse; None for every one.
    scenarios: Option<Vec<ScenarioId>>,
}

pub fn run(mut args: Args) -> Outcome {
    if let Err(outcome) = super::stdin::setup(&args.files, std::mem::take(&mut args.stdin)) {
        return outcome;
    }
    // Known from the command line, not from what the walk finds: JSON is
    // an array for a directory or a pattern even when it holds one file.
    let several = args.files.len() > 1 || args.files.iter().any(|f| !f.is_file() && !super::stdin::is(f));
    let files = match collect_files(&args.files) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    if several && args.format == ReportFormat::Html {
        errln!("error: --format html writes the page of one file; give one scenario file");
        return Outcome::Failed;
    }
    if files.is_empty() {
        errln!("error: no .dtr file in {}; give scenario files or directories that hold some", names(&args.files));
        return Outcome::Failed;
    }
    // What the command line leaves unsaid, the project file of the first file may say.
    match super::project::of(&super::stdin::shown(&files[0])) {
        Ok(Some(project)) => {
            args.year = args.year.or(project.config.year);
            if args.scenario.is_empty() {
                args.scenario.clone_from(&project.config.scenarios);
            }
        }
        Ok(None) => {}
        Err(outcome) => return outcome,
    }
    let (mut loaded, outcome, mut problems) = load(files, &args, several);
    if !loaded.is_empty() {
        problems.extend(select_scenarios(&mut loaded, &args.scenario));
        problems.extend(args.why.as_deref().and_then(|actor| unknown_actor(&loaded, "--why", actor)));
        problems.extend(args.of.as_deref().and_then(|actor| unknown_actor(&loaded, "--of", actor)));
        if args.of.is_some() && args.vary.is_none() && !args.tornado {
            problems.push("--of names the result of --vary or --tornado; give one of them".to_string());
        }
        if args.format == ReportFormat::Csv && args.vary.is_none() {
            problems.push("--format csv is for --vary; the report is text, JSON or DOT".to_string());
        }
        let drawn = matches!(args.format, ReportFormat::Dot | ReportFormat::Html | ReportFormat::Mermaid);
        if drawn && (args.vary.is_some() || args.tornado || args.why.is_some()) {
            problems.push(
                "--format dot, html and mermaid draw the report; --vary, --tornado and --why print text or JSON"
                    .to_string(),
            );
        }
    }
    // Options that name nothing are refused before the files' warnings.
    if !problems.is_empty() {
        for p in problems {
            errln!("error: {p}");
        }
        return Outcome::Failed;
    }
    if loaded.is_empty() {
        return outcome;
    }
    for l in &loaded {
        print_diagnostics(&l.file, &l.checked);
    }
    match print(&loaded, &args, several) {
        Ok(()) => outcome,
        Err(e) => {
            errln!("error: cannot write JSON: {e}");
            Outcome::Failed
        }
    }
}

/// Checks every file, printing only the diagnostics of those with errors
/// (left out), and applies the what-ifs to the others: the files loaded,
/// the outcome so far, and the what-ifs that name nothing.
fn load(files: Vec<PathBuf>, args: &Args, several: bool) -> (Vec<Loaded>, Outcome, Vec<String>) {
    let (mut loaded, mut outcome, mut problems) = (Vec::new(), Outcome::Clean, Vec::new());
    for file in files {
        let checked = match check_file(&file) {
            Ok(c) => c,
            Err(o) => {
                outcome = outcome.max(o);
                continue;
            }
        };
        if checked.has_errors() {
            print_diagnostics(&file, &checked);
            outcome = outcome.max(Outcome::Problems);
            continue;
        }
        let mut model = model::compile(&checked.program);
        if let Err(e) = what_if(&mut model, &args.set, args.year) {
            problems.push(if several { format!("{}: {e}", super::stdin::shown(&file).display()) } else { e });
        }
        loaded.push(Loaded { file, checked, model, scenarios: None });
    }
    (loaded, outcome, problems)
}

fn print(loaded: &[Loaded], args: &Args, several: bool) -> std::io::Result<()> {
    if let Some(range) = &args.vary {
        return print_vary(loaded, args, range, several);
    }
    if args.tornado {
        return print_tornado(loaded, args, several);
    }
    match (args.emit, args.format, args.why.as_deref()) {
        (Some(Emit::Model), _, _) => {
            print_json(loaded, several, |l| VersionedModel { version: MODEL_JSON_VERSION, model: &l.model })
        }
        (None, ReportFormat::Json, Some(actor)) => print_json(loaded, several, |l| build(l).why_of(actor)),
        (None, _, Some(actor)) => {
            for (i, l) in loaded.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, text::render_why(&build(l).why_of(actor)));
            }
            Ok(())
        }
        (None, ReportFormat::Json, None) => print_json(loaded, several, build),
        (None, ReportFormat::Text, None) => {
            for (i, l) in loaded.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, text::render(&build(l)));
            }
            Ok(())
        }
        (None, ReportFormat::Dot | ReportFormat::Csv, None) => {
            // The gaps would take half the graph of the scenarios chosen.
            loaded.iter().for_each(|l| out!("{}", dot::render(&build(l), args.scenario.is_empty())));
            Ok(())
        }
        (None, ReportFormat::Html, None) => {
            loaded.iter().for_each(|l| out!("{}", html::render(&build(l), &html::Options::default())));
            Ok(())
        }
        (None, ReportFormat::Mermaid, None) => {
            for (i, l) in loaded.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, mermaid::render(&build(l)));
            }
            Ok(())
        }
    }
}

/// The result --vary and --tornado follow in this file.
fn measure(l: &Loaded, args: &Args) -> Measure {
    match args.of.as_deref().and_then(|a| l.model.actor_named(a)) {
        Some(actor) => Measure::Joins(actor),
        None => Measure::TopRung,
    }
}

fn scenarios(l: &Loaded) -> Vec<ScenarioId> {
    l.scenarios.clone().unwrap_or_else(|| (0..l.model.scenarios.len() as u32).map(ScenarioId).collect())
}

fn print_vary(loaded: &[Loaded], args: &Args, range: &Range, several: bool) -> std::io::Result<()> {
    let mut reports = Vec::new();
    for l in loaded {
        let measure = measure(l, args);
        match sensitivity::vary(&l.model, range, &scenarios(l), measure) {
            Ok(series) => reports.push(report::sensitivity::vary(
                &l.model,
                &l.file.display().to_string(),
                &range.target,
                measure,
                &series,
            )),
            Err(e) => {
                errln!("error: --vary: {}: {e}", l.file.display());
                return Ok(());
            }
        }
    }
    match args.format {
        ReportFormat::Json => print_json(&reports, several, |r| r),
        ReportFormat::Csv => {
            for (i, r) in reports.iter().enumerate() {
                let csv = report::sensitivity::vary_csv(r);
                // One header for all files.
                out!("{}", if i == 0 { &csv[..] } else { csv.split_once('\n').map_or("", |(_, rows)| rows) });
            }
            Ok(())
        }
        _ => {
            for (i, r) in reports.iter().enumerate() {
                let text = report::sensitivity::vary_text(r, range.target.is_probability());
                out!("{}{text}", if i > 0 { "\n" } else { "" });
            }
            Ok(())
        }
    }
}

fn print_tornado(loaded: &[Loaded], args: &Args, several: bool) -> std::io::Result<()> {
    let reports: Vec<report::sensitivity::TornadoReport> = loaded
        .iter()
        .map(|l| {
            let measure = measure(l, args);
            let tornadoes: Vec<_> =
                scenarios(l).into_iter().map(|s| sensitivity::tornado(&l.model, s, measure)).collect();
            report::sensitivity::tornado(&l.model, &l.file.display().to_string(), measure, &tornadoes)
        })
        .collect();
    match args.format {
        ReportFormat::Json => print_json(&reports, several, |r| r),
        _ => {
            for (i, r) in reports.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, report::sensitivity::tornado_text(r));
            }
            Ok(())
        }
    }
}

fn names(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Applies `--set` and `--year`.
pub fn what_if(model: &mut Model, set: &[Override], period: Option<Period>) -> Result<(), String> {
    if period.is_some() {
        model.set_period(period);
    }
    set.iter().try_for_each(|o| whatif::apply(model, o))
}

/// `--why ACTOR` when no file declares the actor, with the closest name.
fn unknown_actor(loaded: &[Loaded], option: &str, actor: &str) -> Option<String> {
    if loaded.iter().any(|l| l.model.actor_named(actor).is_some()) {
        return None;
    }
    let all = loaded.iter().flat_map(|l| l.model.actors.iter().map(|a| a.name.as_str()));
    let hint = dtr::check::suggest::closest(actor, all).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
    Some(format!("{option}: no actor named `{actor}`{hint}"))
}

/// Restricts each file to the `--scenario` names it declares; a name no
/// file declares is a problem, with the closest name of any file.
fn select_scenarios(loaded: &mut [Loaded], names: &[String]) -> Vec<String> {
    if names.is_empty() {
        return Vec::new();
    }
    for l in loaded.iter_mut() {
        let mut ids: Vec<ScenarioId> = names.iter().filter_map(|n| l.model.scenario_named(n)).collect();
        ids.sort_unstable();
        ids.dedup();
        l.scenarios = Some(ids);
    }
    let declared = |name: &str| loaded.iter().any(|l| l.model.scenario_named(name).is_some());
    names
        .iter()
        .filter(|n| !declared(n))
        .map(|name| {
            let all = loaded.iter().flat_map(|l| l.model.scenarios.iter().map(|s| s.name.as_str()));
            let hint =
                dtr::check::suggest::closest(name, all).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
            format!("no scenario named `{name}`{hint}")
        })
        .collect()
}

fn build(l: &Loaded) -> report::Report {
    let analysis = analysis::analyze(&l.model, l.scenarios.as_deref());
    report::build(&l.model, &analysis, &l.checked.sources)
}

/// Streams the JSON of each file, as one value or (`several`) an array
/// built one element at a time: a report of a capped cascade is a few
/// hundred MB, which need not be held twice.
fn print_json<'a, I, T: Serialize>(loaded: &'a [I], several: bool, value: impl Fn(&'a I) -> T) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = {
        let mut json = report::json::pretty_serializer(&mut out);
        if several {
            json.collect_seq(loaded.iter().map(|l| Lazy(|| value(l))))
        } else {
            loaded.iter().try_for_each(|l| value(l).serialize(&mut json))
        }
    };
    written.map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}

/// The version of `--emit model`'s JSON (docs/report.md), bumped on any
/// change to the model's form (2: the settings' `substitutions`; 3: `opening`
/// in attack conditions).
const MODEL_JSON_VERSION: u32 = 3;

/// The compiled model with the version of its form first.
#[derive(Serialize)]
struct VersionedModel<'a> {
    version: u32,
    #[serde(flatten)]
    model: &'a Model,
}

/// A value computed when it is serialized.
struct Lazy<F>(F);

impl<T: Serialize, F: Fn() -> T> Serialize for Lazy<F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.0)().serialize(s)
    }
}
