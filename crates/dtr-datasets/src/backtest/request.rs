//! A whole backtest or calibration as `dtr backtest` and `dtr calibrate`
//! ask for it: the files (named in the report's `command`), which
//! calibration each war's catalogue is written with, the threshold, the
//! runs and the report. The `dtr` binary and the Python package both call
//! these, so the two give the same output for the same request.

use super::{Options, Report, WarRun, cases};
use crate::atop::Loaded;
use crate::calibration::{self, Calibration, Cases, Feature};
use crate::wars::War;
use rayon::prelude::*;
use std::fmt::Write;
use std::path::PathBuf;

/// The files a backtest or a calibration reads, as its command line names them.
pub struct Files {
    pub wars: PathBuf,
    pub members: PathBuf,
    pub alliances: PathBuf,
    pub states: PathBuf,
}

impl Files {
    /// `--wars … --members … --alliances … --states …`.
    pub fn arguments(&self) -> String {
        format!(
            "--wars {} --members {} --alliances {} --states {}",
            self.wars.display(),
            self.members.display(),
            self.alliances.display(),
            self.states.display()
        )
    }
}

/// The calibration each war's catalogue is written with.
pub enum Calibrating {
    /// The calibration shipped with dtr (no `--calibration`).
    Shipped,
    /// `--calibration none`: every provision at 100%.
    None,
    /// `--calibration FILE`: a file of `dtr calibrate`, read and parsed.
    File(PathBuf, Box<Calibration>),
    /// `--folds K`: each fold's wars with a calibration fitted on the others,
    /// which may also select the opt-in `--candidates`.
    Folds(u32, Vec<Feature>),
}

/// What `dtr backtest` is asked for, beside its files.
pub struct Request {
    pub calibrating: Calibrating,
    /// The decision threshold reported beside 0.5 (None: the calibrations').
    pub threshold: Option<f64>,
    pub options: Options,
}

impl Request {
    /// The command line that asks for this, as the report records it.
    pub fn command(&self, files: &Files) -> String {
        let mut s = format!("dtr backtest {}", files.arguments());
        match &self.calibrating {
            Calibrating::Shipped => {}
            Calibrating::None => s.push_str(" --calibration none"),
            Calibrating::File(path, _) => {
                let _ = write!(s, " --calibration {}", path.display());
            }
            Calibrating::Folds(k, candidates) => {
                let _ = write!(s, " --folds {k}");
                if !candidates.is_empty() {
                    let _ = write!(s, " --candidates {}", candidate_names(candidates));
                }
            }
        }
        if let Some(t) = self.threshold {
            let _ = write!(s, " --threshold {t}");
        }
        let _ = write!(s, " --samples {}", self.options.samples);
        s
    }
}

/// The runs (for the CSV) and the report.
pub struct Backtest {
    pub runs: Vec<WarRun>,
    pub report: Report,
}

/// Runs `request` on `wars`, its report recording `command`; `done` is
/// called as each war finishes.
pub fn evaluate(
    loaded: &Loaded,
    wars: &[War],
    request: &Request,
    command: String,
    done: &(dyn Fn() + Sync),
) -> Backtest {
    let calibrations: Vec<Option<Calibration>> = match &request.calibrating {
        Calibrating::Folds(k, candidates) => folds(loaded, wars, *k as usize, candidates, request.options),
        Calibrating::Shipped => vec![Some(Calibration::shipped()); wars.len()],
        Calibrating::None => vec![None; wars.len()],
        Calibrating::File(_, c) => vec![Some(c.as_ref().clone()); wars.len()],
    };
    // Without `--threshold`, the mean of the calibrations' thresholds.
    let threshold = request.threshold.unwrap_or_else(|| {
        let chosen: Vec<f64> = calibrations.iter().flatten().map(|c| c.threshold).collect();
        if chosen.is_empty() { 0.5 } else { (chosen.iter().sum::<f64>() / chosen.len() as f64 * 1e4).round() / 1e4 }
    });
    let used: Vec<Option<&Calibration>> = calibrations.iter().map(Option::as_ref).collect();
    let mut runs = super::run(loaded, wars, &used, request.options, done);
    if let Some(t) = request.threshold {
        runs.iter_mut().for_each(|r| r.threshold = t);
    }
    let code = |c: u32| loaded.actor_code(c).map_or_else(|| c.to_string(), str::to_string);
    let report = super::report(&runs, threshold, command, &code);
    Backtest { runs, report }
}

/// One calibration per war: fitted on the wars of the other folds.
fn folds(
    loaded: &Loaded,
    wars: &[War],
    k: usize,
    candidates: &[Feature],
    options: Options,
) -> Vec<Option<Calibration>> {
    let fitted: Vec<Calibration> = (0..k)
        .map(|f| {
            let training: Vec<(usize, &War)> =
                wars.iter().enumerate().filter(|(i, _)| calibration::fold(*i, k) != f).collect();
            let about = format!("fold {} of {k}", f + 1);
            train(loaded, &training, k, candidates, about, String::new(), options).0
        })
        .collect();
    (0..wars.len()).map(|i| Some(fitted[calibration::fold(i, k)].clone())).collect()
}

/// The calibration fitted on `wars`, with its cases: the models on the
/// cases, the threshold on the wars' pairs as the analysis predicts them
/// with it.
fn train(
    loaded: &Loaded,
    wars: &[(usize, &War)],
    k: usize,
    candidates: &[Feature],
    about: String,
    fitted_by: String,
    options: Options,
) -> (Calibration, Cases) {
    let cases = cases(loaded, wars);
    let pairs = |c: &Calibration| -> Vec<(f64, bool)> {
        wars.par_iter()
            .flat_map_iter(|(_, w)| super::run_war(loaded, w, Some(c), options).pairs)
            .map(|p| (p.p, p.joined))
            .collect()
    };
    let fitted = calibration::train(&cases, k, candidates, about, fitted_by, &pairs);
    (fitted, cases)
}

/// `log_cinc,same_region`: opt-in features as `--candidates` names them.
pub fn candidate_names(list: &[Feature]) -> String {
    list.iter().map(|f| f.name()).collect::<Vec<_>>().join(",")
}

/// The command line of `dtr calibrate` for these files, folds, opt-in
/// candidates and samples.
pub fn calibrate_command(files: &Files, folds: u32, candidates: &[Feature], options: Options) -> String {
    let mut s = format!("dtr calibrate {} --folds {folds}", files.arguments());
    if !candidates.is_empty() {
        let _ = write!(s, " --candidates {}", candidate_names(candidates));
    }
    let _ = write!(s, " --samples {}", options.samples);
    s
}

/// `dtr calibrate`: the calibration fitted on every war (features chosen
/// on `folds` folds of them, among the defaults and `candidates`; the
/// threshold on their pairs, the analysis run with `options`), with the
/// cases it was fitted on.
pub fn calibrate(
    loaded: &Loaded,
    wars: &[War],
    folds: u32,
    candidates: &[Feature],
    about: String,
    command: String,
    options: Options,
) -> (Calibration, Cases) {
    let all: Vec<(usize, &War)> = wars.iter().enumerate().collect();
    train(loaded, &all, folds as usize, candidates, about, command, options)
}
