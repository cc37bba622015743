//! `dtr analyze FILE`: escalation paths and deterrence gaps as text, JSON
//! or a Graphviz graph, with what-if overrides.

use super::{Outcome, load};
use dtr::analysis;
use dtr::check::program::Period;
use dtr::model::whatif::{self, Override};
use dtr::model::{self, Model};
use dtr::report::{self, dot, text};
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Dot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The compiled model as JSON.
    Model,
}

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (its imports are read too).
    file: PathBuf,
    /// Analyse only this scenario (gaps are always assessed).
    #[arg(long)]
    scenario: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// What-if without editing the file: ACTOR.resolve=40% or
    /// PROVISION.credibility=60% (a commitment, or ALLIANCE.obligation).
    /// Repeatable.
    #[arg(long = "set", value_name = "NAME.FIELD=VALUE")]
    set: Vec<Override>,
    /// Analyse this year (1914) or day (1914-07-28) instead of the file's settings.
    #[arg(long, value_name = "YEAR|DATE", value_parser = whatif::parse_period)]
    year: Option<Period>,
    /// Print an intermediate form instead of the report.
    #[arg(long, value_enum)]
    emit: Option<Emit>,
}

pub fn run(args: Args) -> Outcome {
    let checked = match load(&args.file) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let mut model = model::compile(&checked.program);
    if let Err(e) = what_if(&mut model, &args.set, args.year) {
        errln!("error: {e}");
        return Outcome::Failed;
    }
    if args.emit == Some(Emit::Model) {
        return print_json(&model);
    }
    let scenario = match &args.scenario {
        Some(name) => match model.scenario_named(name) {
            Some(id) => Some(id),
            None => {
                let names = model.scenarios.iter().map(|s| s.name.as_str());
                let hint = dtr::check::suggest::closest(name, names).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                errln!("error: no scenario named `{name}`{hint}");
                return Outcome::Failed;
            }
        },
        None => None,
    };
    let analysis = analysis::analyze(&model, scenario);
    let report = report::build(&model, &analysis, &checked.sources);
    match args.format {
        ReportFormat::Text => out!("{}", text::render(&report)),
        ReportFormat::Dot => out!("{}", dot::render(&report)),
        ReportFormat::Json => return print_json(&report),
    }
    Outcome::Clean
}

/// Applies `--set` and `--year`.
pub fn what_if(model: &mut Model, set: &[Override], period: Option<Period>) -> Result<(), String> {
    if period.is_some() {
        model.set_period(period);
    }
    set.iter().try_for_each(|o| whatif::apply(model, o))
}

/// Streams the JSON: a report of a capped cascade is a few hundred MB,
/// which need not be held twice.
fn print_json(value: &impl serde::Serialize) -> Outcome {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from);
    match written.and_then(|()| writeln!(out)).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            errln!("error: cannot write JSON: {e}");
            Outcome::Failed
        }
    }
}
