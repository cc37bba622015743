//! `dtr import atop` over the real ATOP 5.0 data in `../shared/data`
//! (beside the clone, as in CI): catalogues check clean for every year and
//! a sample of exact days, snapshots pin a few dates, the output is in
//! `dtr fmt`'s layout, and bad rows are reported with their line.

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

/// The diagnostics of a scenario file that imports `catalogue` (errors in
/// the catalogue included; W0001 does not apply to an imported library).
fn check_imported(dir: &Path, catalogue: &str) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("create dir");
    std::fs::write(dir.join("catalog.dtr"), catalogue).expect("write catalogue");
    let root = dir.join("scenario.dtr");
    std::fs::write(&root, "import \"catalog.dtr\"\n").expect("write root");
    let checked = check::check_path(&root).expect("read");
    checked.diagnostics.iter().map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect()
}

#[test]
fn the_real_data_has_one_bad_row() {
    let problems: Vec<String> = real().problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, ["atop5_0m.csv:203: unknown state code 8152 in `member` (not in the COW state list); row skipped"]);
}

/// Every year of the data (`--year`), every tenth day on which the alliance
/// system changes (`--date`), and the whole data set: no errors. (Every
/// change day, about 1,300 of them, takes too long for the suite in a
/// debug build; the sample covers each era.) W0006 — an attack plan
/// against a nonaggression partner — is a finding about the treaties, so it
/// is allowed.
#[test]
fn catalogues_check_clean_for_every_year_and_a_sample_of_days() {
    let days = real().change_days();
    assert!(days.len() > 1_300, "{} change days", days.len());
    let mut periods: Vec<Period> = (1815..=2018).map(Period::Year).collect();
    periods.extend(days.iter().step_by(10).map(|&d| Period::Day(d)));
    periods.push(Period::All);
    let tmp = tempfile::tempdir().expect("tempdir");
    let failures: Vec<String> = periods
        .par_iter()
        .enumerate()
        .filter_map(|(i, &period)| {
            let imported = real().catalogue(period).expect("catalogue");
            let found = check_imported(&tmp.path().join(i.to_string()), &imported.text);
            let unexpected: Vec<&String> = found.iter().filter(|d| !d.starts_with("W0006")).collect();
            (!unexpected.is_empty()).then(|| format!("{period:?}: {unexpected:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} periods fail:\n{}", failures.len(), periods.len(), failures.join("\n"));
}
