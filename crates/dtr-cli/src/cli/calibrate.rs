//! `dtr calibrate --wars FILE`: fits the importer's reliability model on
//! wars (docs/backtest.md) and writes the calibration file that `dtr
//! import atop --calibration` and `dtr backtest --calibration` read.

use super::Outcome;
use super::atomic::{self, Links};
use super::backtest::Data;
use datasets::backtest;
use datasets::calibration;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: Data,
    /// Folds of wars for the forward selection of features.
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..))]
    folds: u32,
    /// Features to try beside the default candidates (measured and not
    /// kept, docs/backtest.md): log_cinc, log_cinc_ratio, same_region, location_limited.
    #[arg(long, value_name = "FEATURE,…", value_delimiter = ',', value_parser = super::backtest::candidate)]
    candidates: Vec<calibration::Feature>,
    /// Monte Carlo samples per war when the exact method is too large (the
    /// threshold is chosen on the training wars' pairs as the analysis predicts them).
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// What the calibration is, as the catalogues' header names it.
    #[arg(long, value_name = "TEXT", default_value = "fitted by dtr calibrate")]
    about: String,
    /// Where to write the calibration (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let files = match args.data.paths() {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let options = backtest::Options { samples: args.samples };
    let command = backtest::calibrate_command(&files, args.folds, &args.candidates, options);
    let data = match super::backtest::load(&files, &command) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let (fitted, cases) = backtest::calibrate(
        &data.loaded,
        &data.wars,
        args.folds,
        &args.candidates,
        args.about.clone(),
        command,
        options,
    );
    let joined = |list: &[calibration::Case]| list.iter().filter(|c| c.joined).count();
    noteln!(
        "cases: {} defence allies of a target ({} took part); {} major powers or neighbours of a target without one \
         ({} took part); {} major powers or neighbours of an initiator without one ({} fought beside it); {} states \
         owing an initiator a defence ({} fought beside it); {} other joiners; threshold {}",
        cases.treaty.len(),
        joined(&cases.treaty),
        cases.untied.len(),
        joined(&cases.untied),
        cases.beside.len(),
        joined(&cases.beside),
        cases.provoked.len(),
        joined(&cases.provoked),
        cases.others,
        fitted.threshold
    );
    for e in fitted.promise.iter().flat_map(|p| &p.eras) {
        noteln!(
            "promises {}: {} defence allies of a target also promised its opener neutrality or nonaggression \
             ({} took part, {:.2} expected without the promise): kept at {:.1}%",
            e.era.label(),
            e.cases,
            e.joined,
            e.expected,
            e.credibility * 100.0
        );
    }
    let entry = fitted.entry.iter().flat_map(|e| &e.selection).map(|s| ("entry ", s));
    let beside = fitted.beside.iter().flat_map(|e| &e.selection).map(|s| ("beside ", s));
    let provoked = fitted.provoked.iter().flat_map(|e| &e.selection).map(|s| ("provoked ", s));
    let models = fitted.selection.iter().map(|s| ("", s)).chain(entry).chain(beside).chain(provoked);
    for (model, s) in models {
        noteln!(
            "  {model}{:<14} out-of-fold log loss {:.4}{}",
            s.feature.map_or("(intercept)", |f| f.name()),
            s.log_loss,
            if s.kept { "  kept" } else { "" }
        );
    }
    let json = match serde_json::to_string_pretty(&fitted) {
        Ok(j) => j + "\n",
        Err(e) => {
            errln!("error: cannot write JSON: {e}");
            return Outcome::Failed;
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = atomic::write(path, json.as_bytes(), None, Links::FollowInside) {
                errln!("error: cannot write {}: {e}", path.display());
                return Outcome::Failed;
            }
        }
        None => out!("{json}"),
    }
    super::backtest::outcome(&data)
}
