//! `dtr backtest --wars FILE`: the analysis of the imported ATOP record
//! scored against the wars that happened, beside three baselines
//! (docs/backtest.md). Runs in-process, one war per rayon job.

use super::Outcome;
use super::import::read_table;
use datasets::backtest::{self, Backtest, Calibrating, Files, Options, Report, Request};
use datasets::calibration::{Calibration, Feature};
use datasets::wars::Era;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// One row per state-war pair.
    Csv,
}

/// The war file and the data the catalogues are written from, shared by
/// `dtr backtest` and `dtr calibrate`.
#[derive(clap::Args)]
pub struct Data {
    /// The wars, in COW's Inter-State War format (data/Inter-StateWarData_v4.0-train.csv).
    #[arg(long, value_name = "FILE")]
    pub wars: PathBuf,
    /// The ATOP member-level file. Default: `[import] members` in dtr.toml, else `data/atop5_0m.csv`.
    #[arg(long, value_name = "FILE")]
    pub members: Option<PathBuf>,
    /// The ATOP alliance-level file. Default: `[import] alliances` in dtr.toml, else `data/atop5_0a.csv`.
    #[arg(long, value_name = "FILE")]
    pub alliances: Option<PathBuf>,
    /// The COW state list. Default: `[import] states` in dtr.toml, else `data/states2016.csv`.
    #[arg(long, value_name = "FILE")]
    pub states: Option<PathBuf>,
}

impl Data {
    /// The data files: as given, else as the project file of the current
    /// directory says (`[import]`, as for `dtr import atop`), else in data/.
    pub fn paths(&self) -> Result<Files, Outcome> {
        let project = super::project::of(Path::new("."))?;
        let defaults = project.as_ref().map(|p| p.config.import.clone()).unwrap_or_default();
        let pick = |given: &Option<PathBuf>, default: Option<PathBuf>, fallback: &str| {
            given.clone().or_else(|| default.map(|p| super::project::shown(&p))).unwrap_or_else(|| fallback.into())
        };
        Ok(Files {
            wars: self.wars.clone(),
            members: pick(&self.members, defaults.members, "data/atop5_0m.csv"),
            alliances: pick(&self.alliances, defaults.alliances, "data/atop5_0a.csv"),
            states: pick(&self.states, defaults.states, "data/states2016.csv"),
        })
    }
}

/// The wars and the checked ATOP data of `files` (`datasets::backtest::load`),
/// their bad rows printed; a refused file is printed and fails (exit 2).
pub fn load(files: &Files, command: &str) -> Result<backtest::Data, Outcome> {
    let data = backtest::load(files, command).map_err(|refused| {
        errln!("error: {refused}");
        Outcome::Failed
    })?;
    for p in &data.problems {
        if p.warning {
            noteln!("warning: {p}");
        } else {
            errln!("error: {p}");
        }
    }
    Ok(data)
}

/// Exit 1 when a file had bad rows (the war file's or the ATOP files'),
/// as the Python result's `ok` says.
pub fn outcome(data: &backtest::Data) -> Outcome {
    if data.problems.iter().any(|p| !p.warning) { Outcome::Problems } else { Outcome::Clean }
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: Data,
    /// The calibration the catalogues are written with: a file from `dtr
    /// calibrate`, or `none` for every provision at 100% [default: the
    /// shipped calibration].
    #[arg(long, value_name = "FILE|none")]
    calibration: Option<PathBuf>,
    /// Out-of-fold figures: the wars dealt into K folds, each fold's wars
    /// run with a calibration fitted (features selected, threshold chosen)
    /// on the other folds only.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..), conflicts_with = "calibration")]
    folds: Option<u32>,
    /// With --folds: features the folds' calibrations may also select
    /// beside the default ones (`dtr calibrate --candidates`).
    #[arg(long, value_name = "FEATURE,…", value_delimiter = ',', value_parser = candidate, requires = "folds")]
    candidates: Vec<Feature>,
    /// The decision threshold reported beside 0.5 [default: the calibration's].
    #[arg(long, value_name = "P", value_parser = probability)]
    threshold: Option<f64>,
    /// Monte Carlo samples per war when the exact method is too large.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// A feature beyond the default candidates, by its name.
pub fn candidate(name: &str) -> Result<Feature, String> {
    Feature::from_name(name).filter(|f| Feature::OPT_IN.contains(f)).ok_or_else(|| {
        let names: Vec<&str> = Feature::OPT_IN.iter().map(|f| f.name()).collect();
        format!("`{name}` is not an opt-in candidate; one of {}", names.join(", "))
    })
}

/// The calibration named by `--calibration` (None for `none`).
pub fn calibration(path: Option<&Path>) -> Result<Option<Calibration>, Outcome> {
    match path {
        None => Ok(Some(Calibration::shipped())),
        Some(p) if p.as_os_str() == "none" => Ok(None),
        Some(p) => {
            let table = read_table(p)?;
            let text = String::from_utf8_lossy(&table.text);
            Calibration::parse(&text).map(Some).map_err(|e| {
                errln!("error: {}: {e}", p.display());
                Outcome::Failed
            })
        }
    }
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a probability from 0 to 1")),
    }
}

pub fn run(args: Args) -> Outcome {
    let files = match args.data.paths() {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let calibrating = match (args.folds, &args.calibration) {
        (Some(k), _) => Calibrating::Folds(k, args.candidates.clone()),
        (None, None) => Calibrating::Shipped,
        (None, Some(path)) => match calibration(Some(path)) {
            Ok(Some(c)) => Calibrating::File(path.clone(), Box::new(c)),
            Ok(None) => Calibrating::None,
            Err(outcome) => return outcome,
        },
    };
    let request = Request { calibrating, threshold: args.threshold, options: Options { samples: args.samples } };
    let command = request.command(&files);
    let data = match load(&files, &command) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let bar = progress(data.wars.len() as u64);
    let Backtest { runs, report } = backtest::evaluate(&data.loaded, &data.wars, &request, command, &|| bar.inc(1));
    bar.finish_and_clear();
    for w in report.per_war.iter().filter(|w| w.skipped.is_some()) {
        noteln!("warning: war {} ({}) skipped: {}", w.number, w.name, w.skipped.as_deref().unwrap_or_default());
    }
    match args.format {
        Format::Text => out!("{}", text(&report)),
        Format::Json => match dtr::report::json::to_string_pretty(&report) {
            Ok(json) => outln!("{json}"),
            Err(e) => {
                errln!("error: cannot write JSON: {e}");
                return Outcome::Failed;
            }
        },
        Format::Csv => out!("{}", backtest::csv::render(&runs)),
    }
    outcome(&data)
}

/// On a terminal only, as `dtr sweep` does.
fn progress(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} wars, {elapsed} elapsed, about {eta} left") {
        bar.set_style(style);
    }
    bar
}

fn fixed(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |x| format!("{x:.3}"))
}

fn text(r: &Report) -> String {
    let mut out = String::new();
    let pairs = &r.predictors[0].overall;
    let _ = writeln!(
        out,
        "Backtest: {} wars, {} state-war pairs, {} joiners (base rate {:.4}); threshold {}.",
        r.wars, pairs.pairs, pairs.joiners, pairs.base_rate, r.threshold
    );
    let _ = writeln!(
        out,
        "\n{:<30} {:>6} {:>6} {:>6} {:>6}  {:>17}  {:>17}  {:>5}",
        "predictor",
        "Brier",
        "skill",
        "logL",
        "AUC",
        "P/R/F1 at 0.5",
        format!("P/R/F1 at {}", r.threshold),
        "side"
    );
    for p in &r.predictors {
        let s = &p.overall;
        let _ = writeln!(
            out,
            "{:<30} {:>6.4} {:>6.3} {:>6.3} {:>6}  {:>17}  {:>17}  {:>5}",
            p.label,
            s.brier,
            s.brier_skill,
            s.log_loss,
            fixed(s.roc_auc),
            prf(&s.at_half),
            prf(&s.at_threshold),
            fixed(p.side_accuracy),
        );
    }
    for (i, era) in Era::ALL.iter().enumerate() {
        let first = &r.predictors[0].eras[i];
        if first.scores.pairs == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}: {} wars, {} pairs, {} joiners",
            era.label(),
            first.wars,
            first.scores.pairs,
            first.scores.joiners
        );
        for p in &r.predictors {
            let s = &p.eras[i].scores;
            let _ = writeln!(
                out,
                "  {:<28} Brier {:.4}  skill {:>6.3}  AUC {:>5}  F1 at {} {:>5}",
                p.label,
                s.brier,
                s.brier_skill,
                fixed(s.roc_auc),
                r.threshold,
                fixed(s.at_threshold.f1)
            );
        }
    }
    let _ = writeln!(out, "\nReliability of dtr (P(joins) bin: pairs, mean predicted, observed):");
    for b in r.reliability.iter().filter(|b| b.pairs > 0) {
        let bin = if b.high == 0.0 { "0".to_string() } else { format!("({}, {}]", b.low, b.high) };
        let _ = writeln!(out, "  {bin:<12} {:>6}  {:.3}  {:.3}", b.pairs, b.mean_predicted, b.observed);
    }
    let _ = writeln!(
        out,
        "\nPer war (dtr at the threshold): pairs, joiners, expected joiners, Brier, hits, false alarms, misses"
    );
    for w in &r.per_war {
        match &w.skipped {
            Some(why) => {
                let _ = writeln!(out, "  {:>4} {:<28} skipped: {why}", w.number, w.name);
            }
            None => {
                let _ = writeln!(
                    out,
                    "  {:>4} {:<28} {} {:>4}>{:<4} {:>4} {:>3} {:>7.2} {:.4} {:>3} {:>4} {:>3}",
                    w.number,
                    w.name,
                    w.start,
                    w.initiator,
                    w.target,
                    w.pairs,
                    w.joiners,
                    w.expected_joiners,
                    w.brier,
                    w.hits,
                    w.false_alarms,
                    w.misses
                );
            }
        }
    }
    out
}

fn prf(c: &backtest::metrics::Confusion) -> String {
    format!("{}/{}/{}", fixed(c.precision), fixed(c.recall), fixed(c.f1))
}
