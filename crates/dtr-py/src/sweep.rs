//! `sweep`, `merge` and `to_csv`: the JSON of `dtr sweep FILE --format json`
//! (with `--attackers`, `--targets`, `--shard`, `--samples`,
//! `--no-probabilities`), of `dtr sweep --merge`, and a sweep's CSV.

use super::{failure, read_clean, refused};
use dtr::analysis::sweep::{self as evaluation, Options, Shard};
use dtr::check::suggest;
use dtr::diagnostic::messages;
use dtr::model::{self, Model};
use dtr::report::sweep::{self as report, SweepReport};
use dtr::source::{FileId, SourceMap, Span};
use dtr::vocabulary::ActorId;
use pyo3::prelude::*;
use std::path::PathBuf;

/// Monte Carlo samples per attack unless `samples` says otherwise (or the
/// model asks for fewer), as `dtr sweep` does: the tests compare the two
/// outputs byte for byte.
const DEFAULT_SAMPLES: u64 = 1_000;

/// One run (or, with `shard = "I/N"`, part I of N) as JSON.
#[pyfunction]
#[pyo3(signature = (path, attackers=None, targets=None, shard=None, samples=None, probabilities=true))]
pub fn sweep(
    py: Python<'_>,
    path: PathBuf,
    attackers: Option<Vec<String>>,
    targets: Option<Vec<String>>,
    shard: Option<String>,
    samples: Option<u64>,
    probabilities: bool,
) -> PyResult<String> {
    py.detach(|| {
        let checked = read_clean(&path)?;
        let model = model::compile(&checked.program);
        let mut arguments = Arguments::default();
        let attackers = arguments.actors(&model, "attackers", attackers.as_deref());
        let targets = arguments.actors(&model, "targets", targets.as_deref());
        if !arguments.problems.is_empty() {
            let mut sources = SourceMap::new();
            sources.add("arguments".to_string(), None, arguments.text);
            return Err(failure("unknown actor names".to_string(), &arguments.problems, &sources));
        }
        let shard = shard.as_deref().map(Shard::parse).transpose();
        let shard = shard.map_err(|why| refused(format!("shard: {why}")))?;
        if samples == Some(0) {
            return Err(refused("samples: at least 1, not 0".to_string()));
        }
        let options =
            Options { probabilities, samples: samples.unwrap_or(model.settings.samples.clamp(1, DEFAULT_SAMPLES)) };
        let all = evaluation::attacks(&model, attackers.as_deref(), targets.as_deref());
        let mine = shard.map_or_else(|| all.clone(), |s| s.select(&all));
        let outcomes = evaluation::evaluate(&model, &mine, options, &|| {});
        let request = report::Request {
            file: path.display().to_string(),
            attackers: attackers.as_deref(),
            targets: targets.as_deref(),
            shard,
            total: all.len(),
            options,
        };
        pretty(&report::build(&model, &outcomes, request))
    })
}

/// The shards' JSON texts (`(name, text)`, in any order) merged into the
/// JSON of one run; a missing, duplicate or foreign shard is refused with
/// the diagnostics of `dtr sweep --merge`.
#[pyfunction]
pub fn merge(py: Python<'_>, shards: Vec<(String, String)>) -> PyResult<String> {
    py.detach(|| {
        let mut sources = SourceMap::new();
        let files: Vec<FileId> = shards.into_iter().map(|(name, text)| sources.add(name, None, text)).collect();
        match report::merge(&files, &sources) {
            Ok(merged) => pretty(&merged),
            Err(diagnostics) => Err(failure("the shards do not merge".to_string(), &diagnostics, &sources)),
        }
    })
}

/// A sweep's JSON as the CSV of `dtr sweep --format csv`: one row per attack.
#[pyfunction]
pub fn to_csv(py: Python<'_>, json: String) -> PyResult<String> {
    py.detach(|| {
        let parsed: SweepReport = serde_json::from_str(&json).map_err(|e| refused(format!("not a sweep: {e}")))?;
        report::csv::render(&parsed).map_err(|e| refused(e.to_string()))
    })
}

/// JSON as `dtr sweep --format json` prints it.
fn pretty(report: &SweepReport) -> PyResult<String> {
    serde_json::to_string_pretty(report).map(|json| json + "\n").map_err(|e| refused(e.to_string()))
}

/// The actor lists as one line of text (`attackers RUS,XYZ`), so that an
/// unknown name gets a diagnostic pointing at it, as on `dtr sweep`'s
/// command line.
#[derive(Default)]
struct Arguments {
    text: String,
    problems: Vec<dtr::Diagnostic>,
}

impl Arguments {
    /// The ids of `names`; None when not given or one is unknown.
    fn actors(&mut self, model: &Model, argument: &str, names: Option<&[String]>) -> Option<Vec<ActorId>> {
        let names = names?;
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(argument);
        self.text.push(' ');
        let mut at = self.text.len();
        self.text.push_str(&names.join(","));
        let mut ids = Vec::new();
        for name in names {
            match model.actor_named(name) {
                Some(id) => ids.push(id),
                None => {
                    let known = model.actors.iter().map(|a| a.name.as_str());
                    let span = Span::new(FileId(0), at, at + name.len());
                    self.problems.push(messages::e0090(name, suggest::closest(name, known), span));
                }
            }
            at += name.len() + 1;
        }
        (ids.len() == names.len()).then_some(ids)
    }
}
