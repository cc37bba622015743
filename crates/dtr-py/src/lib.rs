//! `dtr._native`, the native module of the `dtr` Python package: the
//! library's check, analysis, sweep, ATOP importer, backtest and calibration
//! behind functions that take paths and options and return the JSON text
//! `dtr` writes for the same request. python/dtr/ turns that text into Python objects and DataFrames.
//!
//! A request the library refuses (a file with errors, an unknown name)
//! raises `Failure(message, diagnostics)`, the diagnostics as the JSON of
//! `dtr check --format json`; python/dtr/ raises it again as `dtr.DtrError`.
//! An unreadable file raises `OSError`. The work runs detached from the
//! interpreter, so Python threads (a Dask worker's) run meanwhile.

mod analyze;
mod backtest;
mod import;
mod sweep;

use dtr::check::Checked;
use dtr::diagnostic::{Diagnostic, render};
use dtr::source::SourceMap;
use pyo3::exceptions::{PyException, PyOSError};
use pyo3::prelude::*;
use std::path::Path;

pyo3::create_exception!(_native, Failure, PyException, "A request dtr refuses: (message, diagnostics as JSON).");

/// A `Failure` with the diagnostics that say where.
fn failure(message: String, diagnostics: &[Diagnostic], sources: &SourceMap) -> PyErr {
    Failure::new_err((message, render::json(diagnostics, sources)))
}

/// A `Failure` that no place in a file explains (a malformed option).
fn refused(message: String) -> PyErr {
    Failure::new_err((message, render::json(&[], &SourceMap::new())))
}

/// Checks `path` and what it imports.
fn read(path: &Path) -> PyResult<Checked> {
    dtr::check_path(path).map_err(|e| PyOSError::new_err(format!("cannot read {}: {e}", path.display())))
}

/// Checks `path`; a `Failure` if it has errors.
fn read_clean(path: &Path) -> PyResult<Checked> {
    let checked = read(path)?;
    if checked.has_errors() {
        let summary = render::summary(&checked.diagnostics);
        return Err(failure(
            format!("{}: {}", path.display(), summary.trim_end()),
            &checked.diagnostics,
            &checked.sources,
        ));
    }
    Ok(checked)
}

/// The diagnostics of `path` and what it imports, as `dtr check --format
/// json` writes them for that one file.
#[pyfunction]
fn check(py: Python<'_>, path: std::path::PathBuf) -> PyResult<String> {
    py.detach(|| {
        let checked = read(&path)?;
        Ok(render::json(&checked.diagnostics, &checked.sources))
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Failure", m.py().get_type::<Failure>())?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(analyze::analyze, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::merge, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::to_csv, m)?)?;
    m.add_function(wrap_pyfunction!(import::import_atop, m)?)?;
    m.add_function(wrap_pyfunction!(backtest::backtest, m)?)?;
    m.add_function(wrap_pyfunction!(backtest::calibrate, m)?)?;
    Ok(())
}
