//! `analyze`: the report of `dtr analyze FILE --format json`, with its
//! `--scenario`, `--set` and `--year` options.

use super::{read_clean, refused};
use dtr::model::whatif::{self, Override};
use dtr::vocabulary::ScenarioId;
use dtr::{analysis, model, report};
use pyo3::prelude::*;
use std::path::PathBuf;

/// The report as JSON. `scenarios`: only these (None: every one); `set`:
/// what-ifs written as on the command line (`USA.resolve=40%`); `year`:
/// `1914` or `1914-07-28`.
#[pyfunction]
#[pyo3(signature = (path, scenarios=None, set=Vec::new(), year=None))]
pub fn analyze(
    py: Python<'_>,
    path: PathBuf,
    scenarios: Option<Vec<String>>,
    set: Vec<String>,
    year: Option<String>,
) -> PyResult<String> {
    py.detach(|| {
        let checked = read_clean(&path)?;
        let mut model = model::compile(&checked.program);
        if let Some(year) = year {
            model.set_period(Some(whatif::parse_period(&year).map_err(refused)?));
        }
        for text in &set {
            let what_if: Override = text.parse().map_err(refused)?;
            whatif::apply(&mut model, &what_if).map_err(refused)?;
        }
        let scenarios = scenarios.map(|names| scenario_ids(&model, &names)).transpose()?;
        let analysis = analysis::analyze(&model, scenarios.as_deref());
        let report = report::build(&model, &analysis, &checked.sources);
        dtr::report::json::to_string_pretty(&report).map(|json| json + "\n").map_err(|e| refused(e.to_string()))
    })
}

/// The ids of the scenarios named; an unknown name is refused with the
/// closest one declared.
fn scenario_ids(model: &model::Model, names: &[String]) -> PyResult<Vec<ScenarioId>> {
    let mut ids = Vec::new();
    for name in names {
        let Some(id) = model.scenario_named(name) else {
            let declared = model.scenarios.iter().map(|s| s.name.as_str());
            let hint = dtr::check::suggest::closest(name, declared)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            return Err(refused(format!("no scenario named `{name}`{hint}")));
        };
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
