//! `dtr import atop` over the real ATOP 5.0 data in `../shared/data`
//! (beside the clone, as in CI): every catalogue checks clean, snapshots
//! pin a few dates, and bad rows are reported with their line.

use dtr::check;
use dtr::import::{self, Inputs, Loaded, Period, Table, day::Day};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(file)
}

fn table(file: &str) -> Table {
    let text = std::fs::read(data(file)).unwrap_or_else(|e| panic!("read ../shared/data/{file}: {e}"));
    Table::new(file, text)
}

fn inputs(command: &str) -> Inputs {
    Inputs {
        members: table("atop5_0m.csv"),
        alliances: table("atop5_0a.csv"),
        states: table("states2016.csv"),
        capabilities: None,
        command: command.to_string(),
    }
}

/// The real data, read once for all tests.
fn real() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| import::load(inputs("dtr import atop (test)")).expect("the real files have every column"))
}

/// Checks `catalogue` on its own and imported by a scenario file; returns
/// the diagnostics of both as short strings.
fn check_catalogue(dir: &Path, catalogue: &str) -> (Vec<String>, Vec<String>) {
    std::fs::create_dir_all(dir).expect("create dir");
    let own = dir.join("catalog.dtr");
    std::fs::write(&own, catalogue).expect("write catalogue");
    let root = dir.join("scenario.dtr");
    std::fs::write(&root, "import \"catalog.dtr\"\n").expect("write root");
    let show = |c: check::Checked| c.diagnostics.iter().map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect::<Vec<_>>();
    (show(check::check_path(&own).expect("read")), show(check::check_path(&root).expect("read")))
}

#[test]
fn the_real_data_has_one_bad_row() {
    let problems: Vec<String> = real().problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["atop5_0m.csv:203: unknown state code 8152 in `member` (not in the COW state list); row skipped"]
    );
}

#[test]
fn every_change_day_checks_clean() {
    let days = real().change_days();
    assert!(days.len() > 900, "{} days", days.len());
    let tmp = tempfile::tempdir().expect("tempdir");
    let failures: Vec<String> = days
        .par_iter()
        .filter_map(|&day| {
            let imported = real().catalogue(Period::Day(day)).expect("catalogue");
            let (own, imported_by) = check_catalogue(&tmp.path().join(day.to_string()), &imported.text);
            let errors: Vec<&String> = own.iter().filter(|d| d.starts_with('E')).collect();
            // Imported, the catalogue is a library: W0001 does not apply.
            (!errors.is_empty() || !imported_by.iter().all(|d| d.starts_with("W0006"))).then(|| format!("{day}: {errors:?} {imported_by:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} days fail:\n{}", failures.len(), days.len(), failures.join("\n"));
}
