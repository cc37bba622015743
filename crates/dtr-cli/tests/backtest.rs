//! `dtr backtest` on a fixture of five training wars (two eras) over the
//! real ATOP data: the pairs, the opening rule and the metrics are pinned,
//! so a change in the importer, the analysis or the scoring shows here.

use datasets::backtest::{self, Options, Predictor, Report, WarRun};
use datasets::calibration::Calibration;
use datasets::wars::War;
use datasets::{Inputs, Loaded, Table};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace").to_path_buf()
}

const WARS: &str = "crates/dtr-cli/tests/fixtures/backtest/wars.csv";

fn table(path: &str) -> Table {
    Table::new(path, std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}")))
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let inputs = Inputs {
            members: table("data/atop5_0m.csv"),
            alliances: table("data/atop5_0a.csv"),
            states: table("data/states2016.csv"),
            capabilities: None,
            command: "dtr backtest (test)".into(),
        };
        datasets::load(inputs).expect("the real files have every column")
    })
}

fn wars() -> Vec<War> {
    let mut problems = Vec::new();
    let wars = datasets::wars::read(&table(WARS), &mut problems).expect("columns");
    assert!(problems.is_empty(), "{problems:?}");
    wars
}

/// The runs at 100% credibility (`--calibration none`).
fn runs() -> &'static [WarRun] {
    static RUNS: OnceLock<Vec<WarRun>> = OnceLock::new();
    RUNS.get_or_init(|| backtest::run(loaded(), &wars(), &[], Options { samples: 2_000 }, &|| ()))
}

fn report_of(runs: &[WarRun], threshold: f64) -> Report {
    let code = |c: u32| loaded().actor_code(c).unwrap_or("?").to_string();
    backtest::report(runs, threshold, "test".into(), &code)
}

fn report() -> Report {
    report_of(runs(), 0.5)
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[test]
fn openings_pairs_and_joiners_follow_the_documented_rule() {
    let wars: Vec<(u32, String, usize, Vec<u32>)> = report()
        .per_war
        .iter()
        .map(|w| (w.number, format!("{} {}>{}", w.start, w.initiator, w.target), w.pairs, w.unscored.clone()))
        .collect();
    assert_eq!(
        wars,
        [
            (28, "1859-04-29 AUH>ITA".to_string(), 42, vec![]),
            (46, "1864-02-01 GMY>DEN".to_string(), 39, vec![]),
            (49, "1864-11-12 PAR>BRA".to_string(), 39, vec![]),
            // Five Arab states opened on the same day: Jordan is the one coded initiator.
            (148, "1948-05-15 JOR>ISR".to_string(), 69, vec![]),
            (227, "2003-03-19 USA>IRQ".to_string(), 190, vec![]),
        ]
    );
    let arab: Vec<(&str, Option<backtest::Side>)> =
        runs()[3].pairs.iter().filter(|p| p.joined).map(|p| (p.state.as_str(), p.joined_side)).collect();
    let opener = Some(backtest::Side::Opener);
    assert_eq!(arab, [("IRQ", opener), ("EGY", opener), ("SYR", opener), ("LEB", opener)]);
}

#[test]
fn metrics_of_the_analysis_and_the_baselines_are_pinned() {
    let r = report();
    type Figures = (Predictor, usize, usize, f64, f64, Option<f64>, Option<f64>);
    let figures: Vec<Figures> = r
        .predictors
        .iter()
        .map(|p| {
            let s = &p.overall;
            (
                p.predictor,
                s.pairs,
                s.joiners,
                round(s.brier),
                round(s.brier_skill),
                s.roc_auc.map(round),
                s.at_half.f1.map(round),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (Predictor::Dtr, 379, 9, 0.2982, -11.861, Some(0.5763), Some(0.0661)),
            (Predictor::Nobody, 379, 9, 0.0237, -0.0243, Some(0.5), Some(0.0)),
            (Predictor::DefenceAllies, 379, 9, 0.0712, -2.073, Some(0.5299), Some(0.069)),
            (Predictor::DefenceAlliesLeeds, 379, 9, 0.0491, -1.1181, Some(0.5299), Some(0.069)),
        ]
    );
    let eras: Vec<(usize, usize)> = r.predictors[0].eras.iter().map(|e| (e.wars, e.scores.pairs)).collect();
    assert_eq!(eras, [(3, 120), (0, 0), (2, 259)]);
    let iraq = &r.per_war[4];
    assert_eq!((iraq.hits, iraq.false_alarms, iraq.misses), (2, 106, 0), "the chain reaction of issue 17");
}

/// The shipped calibration reads the pre-1946 defence allies as likely and
/// the later ones as unlikely: France in 1859 stays above the threshold,
/// the 106 false alarms of 2003 fall below it (and so do its two joiners).
/// Its entry model gives major powers and neighbours a small P, which
/// ranks the joiners higher (AUC 0.63 to 0.76) and adds false alarms.
/// Pinned after the side rule (issue 16) stopped counter-attacks on
/// one's own side: 0.0265 to 0.0238 Brier, 23 false alarms to 19. An
/// entry model on `same_region` instead of `near` (tried, not shipped)
/// gave 0.0243, AUC 0.7503: Europe's states all at the regional rate in
/// 1864 (5 false alarms to 8). Issue 17: generated commitments answer
/// only the opening attack, and a beside model joins the opener's: 0.0238
/// to 0.0235 Brier, AUC 0.7595 to 0.8347, 1859's false alarms 8 to 4
/// (no chain through the entrants' counter-attacks), 2003's 2 to 1.
/// With the promise weight (0% before 1914) merged in: 0.0236, AUC 0.8327.
/// Issue 17's last round (Firth's estimator, entry against the opener
/// only, offence on a member's own opening attack, a provoked defence at
/// its own rate, the threshold chosen on the pairs, 0.45; an offence
/// limited to a place ATOP does not name is not written): 0.0179, AUC
/// 0.8593, and no false alarm left above the threshold (in 1859 Modena
/// and Parma defended Austria, the initiator, against France's
/// counter-attack, now a provoked defence at 1.8%; Britain joined
/// Austria under the 1856 pact on Turkey, an offence limited to a place
/// and no longer written).
#[test]
fn the_shipped_calibration_turns_certainties_into_probabilities() {
    let shipped = Calibration::shipped();
    let wars = wars();
    let runs = backtest::run(loaded(), &wars, &vec![Some(&shipped); wars.len()], Options { samples: 2_000 }, &|| ());
    let r = report_of(&runs, shipped.threshold);
    let dtr = &r.predictors[0].overall;
    let per_war: Vec<(u32, usize, usize, usize)> =
        r.per_war.iter().map(|w| (w.number, w.hits, w.false_alarms, w.misses)).collect();
    assert_eq!(
        (round(dtr.brier), dtr.roc_auc.map(round), per_war),
        (0.0179, Some(0.8593), vec![(28, 1, 0, 0), (46, 1, 0, 0), (49, 0, 0, 1), (148, 0, 0, 4), (227, 0, 0, 2)])
    );
}

#[test]
fn the_command_writes_text_json_and_one_csv_row_per_pair() {
    let dtr = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .current_dir(root())
            .args(["backtest", "--wars", WARS, "--format", format])
            .output()
            .expect("run dtr");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let csv = dtr("csv");
    assert_eq!(csv.lines().count(), 1 + 379);
    assert!(csv.starts_with("war,war_name,start,era,ccode,state,p,side,joined,joined_side,defence_ally\n"));
    let json: serde_json::Value = serde_json::from_str(&dtr("json")).expect("JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["predictors"][0]["overall"]["pairs"], 379);
    assert!(dtr("text").contains("Backtest: 5 wars, 379 state-war pairs, 9 joiners"));
}

#[test]
fn calibrate_writes_a_file_that_import_and_backtest_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("fixture.json");
    let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .current_dir(root())
        .args(["calibrate", "--wars", WARS, "--folds", "2", "--about", "fixture", "-o"])
        .arg(&file)
        .output()
        .expect("run dtr");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).expect("written");
    let calibration = Calibration::parse(&text).expect("a calibration file");
    assert_eq!((calibration.version, calibration.about.as_str()), (1, "fixture"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("defence allies of a target"));
    let import = |calibration: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .current_dir(root())
            .args(["import", "atop", "--members", "data/atop5_0m.csv", "--alliances", "data/atop5_0a.csv"])
            .args(["--states", "data/states2016.csv", "--date", "1864-01-31", "--calibration", calibration])
            .output()
            .expect("run dtr");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    // Prussia's first defence ally on the day, under its smallest alliance: its credibility is written.
    let day = datasets::day::Day { year: 1864, month: 1, day: 31 };
    let tie = loaded().defence_allies(255, day).into_iter().next().expect("Prussia has allies in 1864");
    let ctx = datasets::calibration::Context::of_tie(&tie, 1864);
    let p = format!("{}%", (calibration.credibility(&ctx) * 1000.0).round() / 10.0);
    let written = import(file.to_str().expect("UTF-8 path"));
    assert!(written.contains("calibration `fixture`"), "the header names the calibration");
    assert!(written.contains(&format!("credibility: {p}")) || written.contains(&format!(": {p} ")), "{p}");
    let none = import("none");
    assert!(!none.contains("credibility:"), "`none` keeps every provision at 100%");
    // Entry without a treaty: Britain (a major power, 340 km from Paris)
    // owes France no defence in 1864, so one is generated at the entry model's value.
    let entry = calibration.entry.as_ref().expect("the fixture wars have major powers and neighbours");
    let ukg = datasets::calibration::Context::untied(200, 220, 1864);
    let p = (entry.credibility(&ukg) * 1000.0).round() / 10.0;
    // It answers the opening attack only (issue 17: no chain of entrants).
    let generated = format!("commitment entry_UKG_FRN: UKG defends FRN {{ when: opening attack, credibility: {p}% }}");
    assert!(written.contains(&generated), "{p}");
    assert!(!none.contains("entry_"), "no calibration, no generated commitment");
    // Entry beside the opener: Britain may join France's opening attack, never France Britain's.
    let beside = calibration.beside.as_ref().expect("in 1948 four Arab states fought beside Jordan");
    let p = (beside.credibility(&datasets::calibration::Context::beside(200, 220, 1864)) * 1000.0).round() / 10.0;
    let generated = format!(
        "alliance beside_UKG_FRN {{\n  members: [UKG, FRN]\n  obligation beside join {{\n    \
         when: opening attack on any by member\n    credibility: 0% except {{ UKG: {p}% }}\n  }}\n}}\n"
    );
    assert!(written.contains(&generated), "{generated}");
    assert!(!none.contains("beside_"), "no calibration, no generated alliance");
    // A defence is written twice, the provoked half at the provoked model's
    // value (Brazil's own defence of Argentina and Uruguay, ATOP 1205).
    let provoked = calibration.provoked.as_ref().expect("initiators' allies fought beside them");
    let bra = datasets::calibration::Context::of(140, &[140, 160, 165], 1864);
    let p = (provoked.credibility(&bra) * 1000.0).round() / 10.0;
    let half = format!(
        "commitment atop1205_defense_provoked_BRA: BRA defends atop1205 {{\n  \
         when: attack and not unprovoked attack\n  credibility: {p}%\n}}\n"
    );
    assert!(written.contains(&half), "{half}");
    assert!(written.contains("commitment atop1205_defense_BRA: BRA defends atop1205 { when: unprovoked attack, "));
    assert!(!none.contains("_provoked"), "no calibration, one defence");
}

#[test]
fn folds_run_and_bad_files_are_refused_with_their_name() {
    let dtr = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dtr"))
            .current_dir(root())
            .arg("backtest")
            .args(args)
            .output()
            .expect("run dtr")
    };
    let out = dtr(&["--wars", WARS, "--folds", "2", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(json["command"].as_str().is_some_and(|c| c.contains("--folds 2")));
    assert_eq!(json["predictors"][0]["overall"]["pairs"], 379);
    let out = dtr(&["--wars", WARS, "--calibration", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cargo.toml: not a calibration file"));
    let out = dtr(&["--wars", WARS, "--folds", "2", "--candidates", "cinc"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`cinc` is not an opt-in candidate; one of log_cinc,"));
    let out = dtr(&["--wars", "data/states2016.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the header lacks the column(s) WarNum"));
}

#[test]
fn the_data_files_default_to_the_project_files_import_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = root().join("data");
    let toml = format!(
        "[import]\nmembers = \"{}\"\nalliances = \"{}\"\nstates = \"{}\"\n",
        data.join("atop5_0m.csv").display(),
        data.join("atop5_0a.csv").display(),
        data.join("states2016.csv").display()
    );
    std::fs::write(dir.path().join("dtr.toml"), &toml).unwrap();
    let dtr = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dtr"))
            .current_dir(dir.path())
            .args(args)
            .arg("--wars")
            .arg(root().join(WARS))
            .output()
            .expect("run dtr")
    };
    // Outside the repository, data/ does not exist: the project file names the files.
    let out = dtr(&["backtest", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let command = json["command"].as_str().unwrap();
    assert!(command.contains(&format!("--members {}", data.join("atop5_0m.csv").display())), "{command}");
    assert_eq!(json["predictors"][0]["overall"]["pairs"], 379);
    // The command line wins; without it or the project file, data/ of the current directory.
    let out = dtr(&["backtest", "--states", "elsewhere.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read elsewhere.csv"));
    std::fs::write(dir.path().join("dtr.toml"), toml.replace("states =", "# states =")).unwrap();
    let out = dtr(&["calibrate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read data/states2016.csv"));
}

#[test]
fn bad_rows_of_the_atop_files_are_printed_and_exit_1_as_the_war_files_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let states = dir.path().join("states.csv");
    let mut text = std::fs::read_to_string(root().join("data/states2016.csv")).expect("the COW state list");
    let line = text.lines().count() + 1;
    text.push_str("XXX,notanumber,Nowhere,1816,1,1,2016,12,31,2016\n");
    std::fs::write(&states, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .current_dir(root())
        .args(["calibrate", "--wars", WARS, "--folds", "2", "--states"])
        .arg(&states)
        .output()
        .expect("run dtr");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected =
        format!("error: {}:{line}: column `ccode`: invalid digit found in string; row skipped", states.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(Calibration::parse(&String::from_utf8_lossy(&out.stdout)).is_ok(), "the calibration is still written");
}

/// A calibration's promise weight is written on every neutrality and
/// nonaggression provision in force in its era (issue 17), and the
/// analysis then lets the German Confederation's members defend Hanover
/// against Prussia in 1866, which the promises' veto forbade.
#[test]
fn the_promise_weight_is_written_on_the_promises_of_its_era() {
    use datasets::calibration::{Promise, PromiseEra};
    use datasets::wars::Era;
    let day = datasets::day::Day { year: 1866, month: 6, day: 14 };
    let shipped = Calibration::shipped();
    assert_eq!(shipped.promise.as_ref().and_then(|p| p.credibility(1866)), Some(0.0), "the shipped weight");
    let era = |era, credibility| PromiseEra { era, credibility, cases: 1, joined: 0, expected: 1.0 };
    let weighed = Calibration {
        promise: Some(Promise { eras: vec![era(Era::Before1914, 0.25), era(Era::After1945, 1.0)] }),
        ..shipped.clone()
    };
    let text =
        |c: &Calibration| loaded().catalogue_calibrated(datasets::Coverage::Day(day), Some(c)).expect("1866").text;
    let without = Calibration { promise: None, ..shipped.clone() };
    let (veto, kept) = (text(&without), text(&weighed));
    assert!(!veto.contains("nonaggression {"), "without the section promises stay at 100%");
    assert!(kept.contains("nonaggression { credibility: 25% }"), "the 1866 weight is written");
    let analysed = |text: &str| {
        let source = format!("{text}\nscenario w {{ GMY attacks HAN }}\n");
        let checked = dtr::check::check_source("1866.dtr", &source);
        assert!(!checked.has_errors());
        let model = dtr::model::compile(&checked.program);
        let request = dtr::analysis::probability::Request {
            scenario: dtr::vocabulary::ScenarioId(0),
            stop_at: None,
            paths: false,
        };
        let e = dtr::analysis::probability::evaluate(&model, &model.probabilities(), request);
        let p = e.tally.probabilities(e.method);
        let saxony = model.actors.iter().position(|a| a.name == "SAX").expect("Saxony in 1866");
        p.enters[saxony].enters.value
    };
    // Saxony fought on Hanover's side: its defence of Hanover against
    // Prussia vetoed before (left: defending Hanover against the states
    // that may join Prussia's opening attack, 0.19), likely now (0.70).
    let (before, after) = (analysed(&veto), analysed(&kept));
    assert!(before < 0.3 && after > 0.6, "{before} {after}");
}
