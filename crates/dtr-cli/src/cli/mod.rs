//! The `dtr` command line. Each subcommand calls the library and maps the
//! outcome to an exit code: 0 clean (warnings allowed), 1 problems found,
//! 2 usage or I/O error.

/// `print!` to standard output, except that a write that fails (a full
/// disk: `dtr check f.dtr > /dev/full`) ends `dtr` with exit code 2 and a
/// message where `print!` would panic. A reader that went away ends it by
/// SIGPIPE instead (src/main.rs).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!($($arg)*)) };
}

macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` without its panic: when standard error cannot be written
/// either, there is nowhere left to say so.
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::write_err(format_args!($($arg)*)) };
}

macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

/// A line on standard error that is neither an error nor data asked for (a
/// warning, a summary): left out with `-q`.
macro_rules! noteln {
    ($($arg:tt)*) => { if !$crate::cli::verbosity::quiet() { errln!($($arg)*) } };
}

/// What was read and how long it took, on standard error: only with `-v`.
macro_rules! traceln {
    ($($arg:tt)*) => { if $crate::cli::verbosity::verbose() { errln!($($arg)*) } };
}

mod analyze;
mod atomic;
mod backtest;
mod calibrate;
mod check;
mod color;
mod completions;
mod explain;
mod fix;
mod fmt;
mod generate;
mod import;
mod init;
mod lsp;
mod man;
mod project;
mod reference;
mod serve;
mod stdin;
mod sweep;
mod test;
mod verbosity;
mod walk;
mod watch;

pub use walk::collect_files;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The version, with the commit and its date when built from Git (build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("DTR_VERSION_SUFFIX"));

#[derive(Parser)]
#[command(name = "dtr", version = VERSION, about = "Write, check and evaluate deterrence scenarios", propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is
    /// set and not empty; CLICOLOR_FORCE forces it), always, never.
    #[arg(long, global = true, value_enum, default_value_t = color::Choice::Auto)]
    color: color::Choice,
    /// Print only errors and the output asked for (reports, JSON, diffs):
    /// no warnings, summaries or notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what was read: the project file, the files found, each
    /// file's imports and the time taken.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check files for errors and warnings (directories are searched for *.dtr).
    Check(check::Args),
    /// Write a starter project: dtr.toml, a commented world, expectations and their snapshots.
    Init(init::Args),
    /// Analyse a scenario file: escalation paths and deterrence gaps.
    Analyze(analyze::Args),
    /// Evaluate every `expect` line; with --snapshot, compare stored reports.
    Test(test::Args),
    /// Write a generated, valid world (for benchmarks and experiments).
    Generate(generate::Args),
    /// Rewrite files in the canonical layout (directories are searched for *.dtr).
    Fmt(fmt::Args),
    /// Explain a diagnostic code, with an example and the fix.
    Explain {
        /// A code such as E0002 or W0001.
        code: String,
    },
    /// Write a `.dtr` catalogue from published data (ATOP alliances).
    Import {
        #[command(subcommand)]
        source: import::Source,
    },
    /// Run the language server (LSP over standard input and output).
    Lsp(lsp::Args),
    /// Evaluate and rank every directed opening attack (or a subset).
    Sweep(sweep::Args),
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print docs/cli.md, the reference of every command and option.
    Reference,
    /// Print the manual page (roff), or write one per command with --out.
    Man(man::Args),
    /// Serve the HTML report on 127.0.0.1, refreshed when the file changes.
    Serve(serve::Args),
    /// Score the imported ATOP record against the wars that happened.
    Backtest(backtest::Args),
    /// Fit the importer's reliability model on wars and write a calibration file.
    Calibrate(calibrate::Args),
}

/// See [`out!`].
pub fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    let written = {
        let mut stdout = std::io::stdout().lock();
        stdout.write_fmt(args).and_then(|()| stdout.flush())
    };
    if let Err(e) = written {
        write_err(format_args!("error: cannot write standard output: {e}\n"));
        std::process::exit(2);
    }
}

/// See [`err!`].
pub fn write_err(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// The outcome of a subcommand, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Clean,
    Problems,
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Problems => ExitCode::from(1),
            Outcome::Failed => ExitCode::from(2),
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    color::set(cli.color);
    verbosity::set(match (cli.quiet, cli.verbose) {
        (true, _) => verbosity::Level::Quiet,
        (_, true) => verbosity::Level::Verbose,
        _ => verbosity::Level::Normal,
    });
    let started = std::time::Instant::now();
    let outcome = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Test(args) => test::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Explain { code } => explain::run(&code),
        Command::Import { source } => import::run(source),
        Command::Lsp(args) => lsp::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Reference => reference::run(),
        Command::Man(args) => man::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Calibrate(args) => calibrate::run(args),
    };
    traceln!("done in {:.2?}", started.elapsed());
    outcome.into()
}

/// Checks `file` for a subcommand that goes on to analyse it. Diagnostics
/// go to standard error (standard output is the report); Err is the
/// outcome to exit with when the file cannot be read or has errors.
pub fn load(file: &std::path::Path) -> Result<dtr::check::Checked, Outcome> {
    let checked = check_file(file)?;
    print_diagnostics(file, &checked);
    if checked.has_errors() {
        return Err(Outcome::Problems);
    }
    Ok(checked)
}

/// Checks `file` and prints nothing but a read error (Err: exit 2), so a
/// subcommand can refuse a bad option before the file's warnings scroll
/// it out of sight; [`print_diagnostics`] prints them after.
pub fn check_file(file: &std::path::Path) -> Result<dtr::check::Checked, Outcome> {
    let started = std::time::Instant::now();
    let mut checked = if stdin::is(file) {
        stdin::check()?
    } else {
        dtr::check::check_path(file).map_err(|e| {
            errln!("error: cannot read {}: {e}", file.display());
            Outcome::Failed
        })?
    };
    lint_levels(file, &mut checked)?;
    traceln!(
        "checked {} ({} with its imports) in {:.2?}",
        stdin::shown(file).display(),
        match checked.sources.ids().count() {
            1 => "1 file".to_string(),
            n => format!("{n} files"),
        },
        started.elapsed()
    );
    Ok(checked)
}

/// Applies the lint levels of the project of `file` (dtr.toml) to its
/// diagnostics; Err when the project file has mistakes.
pub fn lint_levels(file: &std::path::Path, checked: &mut dtr::check::Checked) -> Result<(), Outcome> {
    if let Some(project) = project::of(&stdin::shown(file))? {
        checked.diagnostics = project.config.apply_lints(std::mem::take(&mut checked.diagnostics));
    }
    Ok(())
}

/// The diagnostics of a checked file on standard error. Warnings, like
/// errors, end with their count: a long run of them otherwise scrolls the
/// file's name and their number out of sight.
pub fn print_diagnostics(file: &std::path::Path, checked: &dtr::check::Checked) {
    let shown = verbosity::shown(&checked.diagnostics);
    if !shown.is_empty() {
        err!("{}", dtr::diagnostic::render::human(&shown, &checked.sources, use_color(std::io::stderr())));
        if !verbosity::quiet() {
            err!("{}: {}", stdin::shown(file).display(), dtr::diagnostic::render::summary(&shown));
        }
    }
}

/// Whether text written to `stream` is coloured (see `color`).
pub fn use_color(stream: impl std::io::IsTerminal) -> bool {
    color::enabled(stream)
}
