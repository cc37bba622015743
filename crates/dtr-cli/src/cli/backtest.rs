//! `dtr backtest --wars FILE`: the analysis of the imported ATOP record
//! scored against the wars that happened, beside three baselines
//! (docs/backtest.md). Runs in-process, one war per rayon job.

use super::Outcome;
use super::import::read_table;
use datasets::backtest::{self, Options, Report};
use datasets::wars::{self, Era};
use datasets::{Inputs, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// One row per state-war pair.
    Csv,
}

#[derive(clap::Args)]
pub struct Args {
    /// The wars, in COW's Inter-State War format (data/Inter-StateWarData_v4.0-train.csv).
    #[arg(long, value_name = "FILE")]
    wars: PathBuf,
    /// The ATOP member-level file.
    #[arg(long, value_name = "FILE", default_value = "data/atop5_0m.csv")]
    members: PathBuf,
    /// The ATOP alliance-level file.
    #[arg(long, value_name = "FILE", default_value = "data/atop5_0a.csv")]
    alliances: PathBuf,
    /// The COW state list.
    #[arg(long, value_name = "FILE", default_value = "data/states2016.csv")]
    states: PathBuf,
    /// The decision threshold reported beside 0.5.
    #[arg(long, value_name = "P", default_value_t = 0.5, value_parser = probability)]
    threshold: f64,
    /// Monte Carlo samples per war when the exact method is too large.
    #[arg(long, value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a probability from 0 to 1")),
    }
}

pub fn run(args: Args) -> Outcome {
    let tables = (|| {
        Ok((
            read_table(&args.wars)?,
            read_table(&args.members)?,
            read_table(&args.alliances)?,
            read_table(&args.states)?,
        ))
    })();
    let (war_table, members, alliances, states): (Table, Table, Table, Table) = match tables {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let mut problems = Vec::new();
    let wars = match wars::read(&war_table, &mut problems) {
        Ok(w) => w,
        Err(p) => {
            errln!("error: {p}");
            return Outcome::Failed;
        }
    };
    let command = command_line(&args);
    let inputs = Inputs { members, alliances, states, capabilities: None, command: command.clone() };
    let loaded = match datasets::load(inputs) {
        Ok(l) => l,
        Err(p) => {
            errln!("error: {p}");
            return Outcome::Failed;
        }
    };
    // The ATOP files' own warnings (the Annam row) are the importer's business.
    for p in problems.iter().chain(loaded.problems.iter().filter(|p| !p.warning)) {
        errln!("{}: {p}", if p.warning { "warning" } else { "error" });
    }
    let bar = progress(wars.len() as u64);
    let runs = backtest::run(&loaded, &wars, Options { samples: args.samples }, &|| bar.inc(1));
    bar.finish_and_clear();
    let code = |c: u32| loaded.actor_code(c).map_or_else(|| c.to_string(), str::to_string);
    let report = backtest::report(&runs, args.threshold, command, &code);
    for w in report.per_war.iter().filter(|w| w.skipped.is_some()) {
        errln!("warning: war {} ({}) skipped: {}", w.number, w.name, w.skipped.as_deref().unwrap_or_default());
    }
    match args.format {
        Format::Text => out!("{}", text(&report)),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => outln!("{json}"),
            Err(e) => {
                errln!("error: cannot write JSON: {e}");
                return Outcome::Failed;
            }
        },
        Format::Csv => out!("{}", csv(&runs)),
    }
    if problems.is_empty() { Outcome::Clean } else { Outcome::Problems }
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

fn command_line(args: &Args) -> String {
    let mut s = format!(
        "dtr backtest --wars {} --members {} --alliances {} --states {}",
        args.wars.display(),
        args.members.display(),
        args.alliances.display(),
        args.states.display()
    );
    let _ = write!(s, " --threshold {} --samples {}", args.threshold, args.samples);
    s
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

fn csv(runs: &[backtest::WarRun]) -> String {
    let side = |s: Option<dtr::analysis::side::Side>| match s {
        Some(dtr::analysis::side::Side::Opener) => "opener",
        Some(dtr::analysis::side::Side::Target) => "target",
        None => "",
    };
    let mut out = String::from("war,war_name,start,era,ccode,state,p,side,joined,joined_side,defence_ally\n");
    for r in runs {
        for p in &r.pairs {
            let _ = writeln!(
                out,
                "{},\"{}\",{},{},{},{},{},{},{},{},{}",
                r.number,
                r.name.replace('"', "\"\""),
                r.start,
                r.era.label(),
                p.ccode,
                p.state,
                p.p,
                side(p.side),
                u8::from(p.joined),
                side(p.joined_side),
                u8::from(p.defence_ally)
            );
        }
    }
    out
}
