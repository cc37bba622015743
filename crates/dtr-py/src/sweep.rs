//! `sweep`, `merge` and `to_csv`: the JSON of `dtr sweep FILE --format json`
//! (with `--attackers`, `--targets`, `--shard`, `--samples`,
//! `--no-probabilities`), of `dtr sweep --merge`, and a sweep's CSV.

use super::{failure, read_clean, refused};
use dtr::analysis::sweep::arguments::{self, Arguments};
use dtr::analysis::sweep::{self as evaluation, Options, Shard};
use dtr::model;
use dtr::report::sweep::{self as report, SweepReport};
use dtr::source::{FileId, SourceMap};
use pyo3::prelude::*;
use std::path::PathBuf;

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
        // The names point into a text `attackers PRK,RUZ` (docs/python.md).
        let mut arguments = Arguments::default();
        let attackers = arguments.actors(&model, "attackers", attackers.as_deref());
        let targets = arguments.actors(&model, "targets", targets.as_deref());
        if !arguments.problems.is_empty() {
            let (sources, problems) = arguments.sources("arguments");
            return Err(failure("unknown actor names".to_string(), &problems, &sources));
        }
        let shard = shard.as_deref().map(Shard::parse).transpose();
        let shard = shard.map_err(|why| refused(format!("shard: {why}")))?;
        if samples == Some(0) {
            return Err(refused("samples: at least 1, not 0".to_string()));
        }
        let options = Options { probabilities, samples: arguments::samples(&model, samples) };
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
    dtr::report::json::to_string_pretty(report).map(|json| json + "\n").map_err(|e| refused(e.to_string()))
}
