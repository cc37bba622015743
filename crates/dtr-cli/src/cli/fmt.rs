//! `dtr fmt`: rewrites files in the canonical layout (through
//! `cli::atomic`, which says when a file is better left as it is), or with
//! `--check` shows what would change.

use super::atomic::{self, Links};
use super::{Outcome, collect_files, use_color};
use dtr::check::disk;
use dtr::check::load::{MAX_FILE_BYTES, read_limited};
use dtr::check::{Disk, Reader};
use dtr::diagnostic::Diagnostic;
use dtr::diagnostic::render;
use dtr::source::SourceMap;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (default: the current directory); `-` reads
    /// standard input and writes standard output.
    paths: Vec<PathBuf>,
    /// Change nothing: print a unified diff for each file that would change
    /// and exit 1 if there is any.
    #[arg(long)]
    check: bool,
    /// Read standard input, write standard output (same as the path `-`).
    #[arg(long)]
    stdin: bool,
}

pub fn run(args: Args) -> Outcome {
    if args.stdin || args.paths.iter().any(|p| p == Path::new("-")) {
        if args.paths.iter().any(|p| p != Path::new("-")) {
            errln!("error: standard input cannot be formatted together with files");
            return Outcome::Failed;
        }
        return stdin(args.check);
    }
    let files = match collect_files(&args.paths) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let mut tally = Tally::default();
    for file in &files {
        tally.add(one_file(file, args.check));
    }
    if !args.check {
        noteln!("{}", tally.summary());
    }
    tally.outcome(args.check)
}

/// What happened to one file.
enum Status {
    Unchanged,
    /// Rewritten, or with `--check`, would be.
    Changed,
    SyntaxErrors,
    /// Left as it was because writing it would do harm (`atomic::Skip`).
    Skipped,
    IoError,
}

#[derive(Default)]
struct Tally {
    unchanged: usize,
    changed: usize,
    syntax_errors: usize,
    skipped: usize,
    io_errors: usize,
}

impl Tally {
    fn add(&mut self, status: Status) {
        *match status {
            Status::Unchanged => &mut self.unchanged,
            Status::Changed => &mut self.changed,
            Status::SyntaxErrors => &mut self.syntax_errors,
            Status::Skipped => &mut self.skipped,
            Status::IoError => &mut self.io_errors,
        } += 1;
    }

    fn summary(&self) -> String {
        let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
        let mut out = format!("{} formatted, {} already formatted", files(self.changed), self.unchanged);
        if self.syntax_errors > 0 {
            out.push_str(&format!(", {} with syntax errors left unchanged", self.syntax_errors));
        }
        if self.skipped > 0 {
            out.push_str(&format!(", {} skipped", self.skipped));
        }
        out
    }

    fn outcome(&self, check: bool) -> Outcome {
        if self.io_errors > 0 {
            Outcome::Failed
        } else if self.syntax_errors > 0 || self.skipped > 0 || (check && self.changed > 0) {
            Outcome::Problems
        } else {
            Outcome::Clean
        }
    }
}

fn one_file(path: &Path, check: bool) -> Status {
    if !check {
        atomic::remove_stale(path);
    }
    let text = match disk::named_inside(path).and_then(|()| Disk.read(path)).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            errln!("error: {} is not UTF-8 text; left unchanged", path.display());
            return Status::SyntaxErrors;
        }
        Err(e) => {
            errln!("error: cannot read {}: {e}", path.display());
            return Status::IoError;
        }
    };
    let name = path.display().to_string();
    let formatted = match dtr::fmt::format(&text) {
        Ok(f) => f,
        Err(diagnostics) => {
            report(&name, text, &diagnostics);
            return Status::SyntaxErrors;
        }
    };
    if formatted == text {
        return Status::Unchanged;
    }
    if check {
        out!("{}", diff(&name, &text, &formatted));
        return Status::Changed;
    }
    match atomic::write(path, formatted.as_bytes(), Some(text.as_bytes()), Links::FollowInside) {
        Ok(()) => Status::Changed,
        Err(atomic::Error::Skipped(why)) => {
            noteln!("skipped {}: {why}", path.display());
            Status::Skipped
        }
        Err(atomic::Error::Io(e)) => {
            errln!("error: cannot write {}: {e}", path.display());
            Status::IoError
        }
    }
}

fn stdin(check: bool) -> Outcome {
    let text = match read_limited(std::io::stdin().lock(), MAX_FILE_BYTES, 0).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            errln!("error: standard input is not UTF-8 text");
            return Outcome::Failed;
        }
        Err(e) => {
            errln!("error: cannot read standard input: {e}");
            return Outcome::Failed;
        }
    };
    match dtr::fmt::format(&text) {
        Err(diagnostics) => {
            report("<stdin>", text, &diagnostics);
            Outcome::Problems
        }
        Ok(formatted) if check => {
            if formatted == text {
                Outcome::Clean
            } else {
                out!("{}", diff("<stdin>", &text, &formatted));
                Outcome::Problems
            }
        }
        Ok(formatted) => {
            out!("{formatted}");
            Outcome::Clean
        }
    }
}

/// Syntax errors to standard error, in the same form as `dtr check`.
fn report(name: &str, text: String, diagnostics: &[Diagnostic]) {
    let mut sources = SourceMap::new();
    // `dtr::fmt::format` reports spans in file 0: the first one added.
    sources.add(name.to_string(), None, text);
    err!("{}", render::human(diagnostics, &sources, use_color(std::io::stderr())));
    errln!("{name}: not formatted: {}", render::summary(diagnostics).trim_end());
}

/// How long the line diff of one file may search for the smallest diff.
/// Myers' algorithm takes time in the product of the file's length and the
/// number of changed lines: reformatting every line of 2.3 MB took 28 s.
/// Past the deadline similar finishes with a coarser diff (longer runs of
/// lines replaced whole), still exact, in linear time.
const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_secs(1);

/// A unified diff from `old` to `new`, with three lines of context; a note
/// on standard error when it was coarsened at [`DIFF_DEADLINE`].
fn diff(name: &str, old: &str, new: &str) -> String {
    let started = std::time::Instant::now();
    let diff = similar::TextDiff::configure().timeout(DIFF_DEADLINE).diff_lines(old, new);
    if started.elapsed() >= DIFF_DEADLINE {
        errln!(
            "note: {name}: the diff took more than {} s to search and is coarse: some unchanged lines are shown as removed and added",
            DIFF_DEADLINE.as_secs()
        );
    }
    diff.unified_diff().context_radius(3).header(name, &format!("{name} (formatted)")).to_string()
}
