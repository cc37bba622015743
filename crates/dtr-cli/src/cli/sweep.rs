//! `dtr sweep FILE`: every directed opening attack, ranked; `--shard I/N`
//! runs one part of it and `--merge` combines the parts' JSON outputs.

use super::{Outcome, check_file, print_diagnostics, use_color};
use dtr::analysis::sweep::arguments::{self, Arguments};
use dtr::analysis::sweep::{self, Options};
use dtr::check::load::read_limited;
use dtr::diagnostic::render;
use dtr::model;
use dtr::report::sweep::{self as report, SweepReport};
use dtr::source::SourceMap;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SweepFormat {
    Text,
    Json,
    Csv,
    /// One self-contained page: heat map, ranking, exposed targets.
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// The model file (its imports are read too).
    #[arg(required_unless_present = "merge")]
    file: Option<PathBuf>,
    /// Only attacks by these actors (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ACTORS")]
    attackers: Option<Vec<String>>,
    /// Only attacks on these actors (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ACTORS")]
    targets: Option<Vec<String>>,
    /// How to print the result (merge shards from json).
    #[arg(long, value_enum, default_value_t = SweepFormat::Text)]
    format: SweepFormat,
    /// Run only shard I of N (1-based: 1/4 … 4/4), for a batch job array.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Monte Carlo samples per attack when the exact method is too large
    /// [default: the model's `samples`, at most 1000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    samples: Option<u64>,
    /// Run only the all-honoured cascades and the gaps (for large worlds).
    #[arg(long)]
    no_probabilities: bool,
    /// Attacks listed in the text output (0: every attack).
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// When standard error is not a terminal (a batch job's log), a line
    /// of progress every SECONDS (0: none); on a terminal, a bar.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    progress_every: u64,
    /// Combine the JSON outputs of every shard into the result of one run.
    #[arg(long, num_args = 1.., value_name = "FILES",
          conflicts_with_all = ["file", "attackers", "targets", "shard", "samples", "no_probabilities", "progress_every"])]
    merge: Vec<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let result = match &args.file {
        Some(file) if args.merge.is_empty() => sweep_file(file, &args),
        _ => merge_files(&args.merge),
    };
    match result {
        Ok(report) => print(&report, args.format, args.top),
        Err(outcome) => outcome,
    }
}

fn sweep_file(file: &std::path::Path, args: &Args) -> Result<SweepReport, Outcome> {
    let checked = check_file(file)?;
    if checked.has_errors() {
        print_diagnostics(file, &checked);
        return Err(Outcome::Problems);
    }
    let model = model::compile(&checked.program);
    let mut arguments = Arguments::default();
    let attackers = arguments.actors(&model, "--attackers", args.attackers.as_deref());
    let targets = arguments.actors(&model, "--targets", args.targets.as_deref());
    let shard = args.shard.as_deref().map(|text| arguments.shard("--shard", text));
    // A wrong option is refused before the file's warnings can scroll it
    // out of sight.
    if !arguments.problems.is_empty() {
        return Err(refuse(arguments));
    }
    print_diagnostics(file, &checked);
    let shard = shard.flatten();
    let options = Options { probabilities: !args.no_probabilities, samples: arguments::samples(&model, args.samples) };
    let all = sweep::attacks(&model, attackers.as_deref(), targets.as_deref());
    let mine = shard.map_or_else(|| all.clone(), |s| s.select(&all));
    let outcomes =
        with_progress(mine.len() as u64, args.progress_every, |done| sweep::evaluate(&model, &mine, options, done));
    let request = report::Request {
        file: file.display().to_string(),
        attackers: attackers.as_deref(),
        targets: targets.as_deref(),
        shard,
        total: all.len(),
        options,
    };
    Ok(report::build(&model, &outcomes, request))
}

/// Runs `evaluate` (given what to call as each attack finishes) with a bar
/// on standard error when it is a terminal: indicatif redraws at a bounded
/// rate from any thread, which a rayon loop needs. Otherwise (a batch job's
/// log, a pipe), a plain line every `every` seconds, so that a sweep of
/// minutes is seen to progress, while one that ends sooner prints nothing.
fn with_progress<T>(len: u64, every: u64, evaluate: impl FnOnce(&(dyn Fn() + Sync)) -> T) -> T {
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} attacks, {elapsed} elapsed, about {eta} left")
        {
            bar.set_style(style);
        }
        let result = evaluate(&|| bar.inc(1));
        bar.finish_and_clear();
        return result;
    }
    let done = AtomicU64::new(0);
    let started = Instant::now();
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let (done, started) = (&done, &started);
        if every > 0 {
            scope.spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(Duration::from_secs(every)) {
                    let elapsed = started.elapsed().as_secs();
                    errln!(
                        "dtr sweep: {}/{len} attacks done, {}m{:02}s elapsed",
                        done.load(Ordering::Relaxed),
                        elapsed / 60,
                        elapsed % 60
                    );
                }
            });
        }
        let result = evaluate(&|| {
            done.fetch_add(1, Ordering::Relaxed);
        });
        drop(stop);
        result
    })
}

/// Prints the problems of the options; a usage error.
fn refuse(arguments: Arguments) -> Outcome {
    let (sources, problems) = arguments.sources("command line");
    err!("{}", render::human(&problems, &sources, use_color(std::io::stderr())));
    Outcome::Failed
}

/// The largest shard output `--merge` reads: far above a whole sweep's
/// JSON, and within the 4 GiB a span can address.
const MAX_SHARD_BYTES: usize = 1 << 30;

fn merge_files(paths: &[PathBuf]) -> Result<SweepReport, Outcome> {
    let mut sources = SourceMap::new();
    let mut files = Vec::new();
    for path in paths {
        let file = std::fs::File::open(path);
        let bytes = file.and_then(|f| read_limited(f, MAX_SHARD_BYTES, 0));
        let text = bytes
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
            })
            .map_err(|e| {
                errln!("error: cannot read {}: {e}", path.display());
                Outcome::Failed
            })?;
        files.push(sources.add(path.display().to_string(), Some(path.clone()), text));
    }
    report::merge(&files, &sources).map_err(|diagnostics| {
        err!("{}", render::human(&diagnostics, &sources, use_color(std::io::stderr())));
        Outcome::Failed
    })
}

fn print(report: &SweepReport, format: SweepFormat, top: usize) -> Outcome {
    let text = match format {
        SweepFormat::Text => Ok(report::text::render(report, top)),
        SweepFormat::Json => return print_json(report),
        SweepFormat::Csv => report::csv::render(report).map_err(|e| e.to_string()),
        SweepFormat::Html => Ok(dtr::report::html::render_sweep(report, &Default::default())),
    };
    match text {
        Ok(text) => {
            out!("{text}");
            Outcome::Clean
        }
        Err(e) => {
            errln!("error: cannot write the sweep: {e}");
            Outcome::Failed
        }
    }
}

/// Streams the JSON: a merge of large shards need not hold its output twice.
fn print_json(report: &SweepReport) -> Outcome {
    use std::io::Write;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = dtr::report::json::to_writer_pretty(&mut out, report);
    match written.and_then(|()| writeln!(out)).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Clean,
        Err(e) => {
            errln!("error: cannot write the sweep: {e}");
            Outcome::Failed
        }
    }
}
