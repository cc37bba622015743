//! `backtest` and `calibrate`: the report of `dtr backtest` (its JSON and
//! CSV) and the file `dtr calibrate` writes, through the same functions of
//! dtr-datasets as the binary (`datasets::backtest::load`, `evaluate`, `calibrate`).

use super::import::{calibration, problems};
use super::refused;
use datasets::backtest::{
    Backtest, Calibrating, Data, Files, Options, Refused, Request, calibrate_command, csv, evaluate,
};
use datasets::calibration::Calibration;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use serde_json::json;
use std::path::PathBuf;

/// `{"json": the text of --format json, "csv": that of --format csv,
/// "problems": the war file's bad rows}`.
#[pyfunction]
#[pyo3(signature = (wars, members, alliances, states, calibration=None, folds=None, threshold=None, samples=2_000))]
// One parameter per keyword argument of the Python function.
#[allow(clippy::too_many_arguments)]
pub fn backtest(
    py: Python<'_>,
    wars: PathBuf,
    members: PathBuf,
    alliances: PathBuf,
    states: PathBuf,
    calibration: Option<PathBuf>,
    folds: Option<u32>,
    threshold: Option<f64>,
    samples: u64,
) -> PyResult<String> {
    py.detach(|| {
        // The bounds `dtr backtest`'s options have.
        if folds.is_some_and(|k| k < 2) {
            return Err(refused("folds: at least 2".to_string()));
        }
        if threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            return Err(refused("threshold: a probability from 0 to 1".to_string()));
        }
        if samples == 0 {
            return Err(refused("samples: at least 1, not 0".to_string()));
        }
        let calibrating = match (folds, calibration) {
            (Some(_), Some(_)) => return Err(refused("give a calibration or folds, not both".to_string())),
            // The opt-in candidates (measured and not kept) stay with the CLI.
            (Some(k), None) => Calibrating::Folds(k, Vec::new()),
            (None, None) => Calibrating::Shipped,
            (None, Some(path)) => match self::calibration(Some(&path))? {
                Some(c) => Calibrating::File(path, Box::new(c)),
                None => Calibrating::None,
            },
        };
        let request = Request { calibrating, threshold, options: Options { samples } };
        let files = Files { wars, members, alliances, states };
        let command = request.command(&files);
        let data = load(&files, &command)?;
        let Backtest { runs, report } = evaluate(&data.loaded, &data.wars, &request, command, &|| {});
        let text = dtr::report::json::to_string_pretty(&report).map_err(|e| refused(e.to_string()))? + "\n";
        let csv = csv::render(&runs);
        Ok(json!({ "json": text, "csv": csv, "problems": problems(&data.problems) }).to_string())
    })
}

/// `{"json": the calibration file's text, "problems": the war file's bad rows}`.
#[pyfunction]
#[pyo3(signature = (wars, members, alliances, states, folds=5, about="fitted by dtr calibrate".to_string(), samples=2_000))]
// One parameter per keyword argument of the Python function.
#[allow(clippy::too_many_arguments)]
pub fn calibrate(
    py: Python<'_>,
    wars: PathBuf,
    members: PathBuf,
    alliances: PathBuf,
    states: PathBuf,
    folds: u32,
    about: String,
    samples: u64,
) -> PyResult<String> {
    py.detach(|| {
        if folds < 2 {
            return Err(refused("folds: at least 2".to_string()));
        }
        if samples == 0 {
            return Err(refused("samples: at least 1, not 0".to_string()));
        }
        let options = Options { samples };
        let files = Files { wars, members, alliances, states };
        let command = calibrate_command(&files, folds, &[], options);
        let data = load(&files, &command)?;
        let (fitted, _): (Calibration, _) =
            datasets::backtest::calibrate(&data.loaded, &data.wars, folds, &[], about, command, options);
        let text = serde_json::to_string_pretty(&fitted).map_err(|e| refused(e.to_string()))? + "\n";
        Ok(json!({ "json": text, "problems": problems(&data.problems) }).to_string())
    })
}

/// The wars and the ATOP data, as `dtr backtest` reads them
/// (`datasets::backtest::load`): a file that cannot be read is an OSError,
/// one without a column it reads is refused.
fn load(files: &Files, command: &str) -> PyResult<Data> {
    datasets::backtest::load(files, command).map_err(|refused| match refused {
        Refused::Unreadable(..) => PyOSError::new_err(refused.to_string()),
        Refused::File(_) => self::refused(refused.to_string()),
    })
}
