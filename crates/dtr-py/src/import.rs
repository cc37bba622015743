//! `import_atop`: the catalogue `dtr import atop` writes, with its bad rows
//! and its summary, as JSON.

use super::refused;
use datasets::calibration::Calibration;
use datasets::day::Day;
use datasets::{Coverage, Inputs, Problem, Table};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};

/// `{"text": catalogue, "problems": [{file, line, message, warning}],
/// "summary": {states, alliances, obligations, commitments, rows}}`. The
/// catalogue's header records the equivalent `dtr import atop` command, so
/// the text is the one the command prints.
#[pyfunction]
#[pyo3(signature = (members, alliances, states, year=None, date=None, capabilities=None, calibration=None))]
// One parameter per keyword argument of the Python function, as the
// signature above declares them; a struct would hide them from Python.
#[allow(clippy::too_many_arguments)]
pub fn import_atop(
    py: Python<'_>,
    members: PathBuf,
    alliances: PathBuf,
    states: PathBuf,
    year: Option<i32>,
    date: Option<String>,
    capabilities: Option<PathBuf>,
    calibration: Option<PathBuf>,
) -> PyResult<String> {
    py.detach(|| {
        let day = date
            .as_deref()
            .map(|text| {
                Day::parse(text).ok_or_else(|| refused(format!("`{text}` is not a real day written YYYY-MM-DD")))
            })
            .transpose()?;
        let period = match (year, day) {
            (Some(_), Some(_)) => return Err(refused("give a year or a date, not both".to_string())),
            (Some(y), None) => Coverage::Year(y),
            (None, Some(d)) => Coverage::Day(d),
            (None, None) => Coverage::All,
        };
        let mut command = format!(
            "dtr import atop --members {} --alliances {} --states {}",
            members.display(),
            alliances.display(),
            states.display()
        );
        if let Some(y) = year {
            command.push_str(&format!(" --year {y}"));
        }
        if let Some(d) = day {
            command.push_str(&format!(" --date {d}"));
        }
        if let Some(c) = &capabilities {
            command.push_str(&format!(" --capabilities {}", c.display()));
        }
        if let Some(c) = &calibration {
            command.push_str(&format!(" --calibration {}", c.display()));
        }
        let calibration = self::calibration(calibration.as_deref())?;
        let inputs = Inputs {
            members: table(&members)?,
            alliances: table(&alliances)?,
            states: table(&states)?,
            capabilities: capabilities.as_deref().map(table).transpose()?,
            command,
        };
        let imported = datasets::load(inputs)
            .and_then(|loaded| loaded.catalogue_calibrated(period, calibration.as_ref()))
            .map_err(|problem| refused(problem.to_string()))?;
        let s = &imported.summary;
        let summary = json!({
            "states": s.states,
            "alliances": s.alliances,
            "obligations": s.obligations,
            "commitments": s.commitments,
            "rows": s.rows,
        });
        Ok(json!({ "text": imported.text, "problems": problems(&imported.problems), "summary": summary }).to_string())
    })
}

/// As `--calibration` of `dtr import atop` and `dtr backtest`: the shipped
/// calibration by default, `none` for every provision at 100% (None), or
/// a file of `dtr calibrate`.
pub(crate) fn calibration(path: Option<&Path>) -> PyResult<Option<Calibration>> {
    match path {
        None => Ok(Some(Calibration::shipped())),
        Some(p) if p.as_os_str() == "none" => Ok(None),
        Some(p) => {
            let text = String::from_utf8_lossy(&table(p)?.text).into_owned();
            Calibration::parse(&text).map(Some).map_err(|e| refused(format!("{}: {e}", p.display())))
        }
    }
}

/// Bad rows as `[{file, line, message, warning}]`.
pub(crate) fn problems(problems: &[Problem]) -> Vec<serde_json::Value> {
    problems
        .iter()
        .map(|p| json!({ "file": p.file, "line": p.line, "message": p.message, "warning": p.warning }))
        .collect()
}

/// A CSV file, read within the limits `dtr import` keeps.
pub(crate) fn table(path: &Path) -> PyResult<Table> {
    Table::read(path).map_err(|e| PyOSError::new_err(format!("cannot read {}: {e}", path.display())))
}
