//! `dtr analyze FILES…`: escalation paths and deterrence gaps as text, JSON,
//! a Graphviz graph, an HTML page or Mermaid in Markdown, with what-if
//! overrides. Every file is checked and every option resolved against it
//! before anything is printed, so a misspelled `--set` or `--scenario` is
//! the first thing the user reads.

use super::{Outcome, check_file, collect_files, print_diagnostics};
use dtr::analysis;
use dtr::check::Checked;
use dtr::check::program::Period;
use dtr::model::whatif::{self, Override};
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
    match (args.emit, args.format) {
        (Some(Emit::Model), _) => {
            print_json(loaded, several, |l| VersionedModel { version: MODEL_JSON_VERSION, model: &l.model })
        }
        (None, ReportFormat::Json) => print_json(loaded, several, build),
        (None, ReportFormat::Text) => {
            for (i, l) in loaded.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, text::render(&build(l)));
            }
            Ok(())
        }
        (None, ReportFormat::Dot) => {
            // The gaps would take half the graph of the scenarios chosen.
            loaded.iter().for_each(|l| out!("{}", dot::render(&build(l), args.scenario.is_empty())));
            Ok(())
        }
        (None, ReportFormat::Html) => {
            loaded.iter().for_each(|l| out!("{}", html::render(&build(l), &html::Options::default())));
            Ok(())
        }
        (None, ReportFormat::Mermaid) => {
            for (i, l) in loaded.iter().enumerate() {
                out!("{}{}", if i > 0 { "\n" } else { "" }, mermaid::render(&build(l)));
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
fn print_json<'a, T: Serialize>(
    loaded: &'a [Loaded],
    several: bool,
    value: impl Fn(&'a Loaded) -> T,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut json = serde_json::Serializer::pretty(&mut out);
    let written = if several {
        json.collect_seq(loaded.iter().map(|l| Lazy(|| value(l))))
    } else {
        loaded.iter().try_for_each(|l| value(l).serialize(&mut json))
    };
    written.map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}

/// The version of `--emit model`'s JSON (docs/report.md), bumped on any
/// change to the model's form.
const MODEL_JSON_VERSION: u32 = 1;

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
