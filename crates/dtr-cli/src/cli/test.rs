//! `dtr test`: evaluates every `expect` line of each file and, with
//! `--snapshot`, compares each file's report with the one stored beside it
//! (`NAME.dtr.snap`).

use super::atomic::{self, Links};
use super::{Outcome, collect_files, load, stdin, use_color};
use dtr::analysis::{self, expectations};
use dtr::check::{Disk, Reader};
use dtr::diagnostic::render;
use dtr::model;
use dtr::report::{self, text};
use dtr::source::SourceMap;
use similar::TextDiff;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories searched for *.dtr, or patterns (default: the
    /// project's `include`, or the current directory); `-` reads standard
    /// input.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    stdin: super::stdin::StdinArgs,
    /// Also compare each file's report with NAME.dtr.snap beside it. A
    /// missing snapshot is written, except when the CI environment variable
    /// is set, where it fails. Snapshots are kept for `.dtr` files only,
    /// and one that is a symbolic link is refused, never followed.
    #[arg(long)]
    snapshot: bool,
    /// Accept the current reports as the new snapshots.
    #[arg(long, requires = "snapshot")]
    update: bool,
    /// Test again whenever a .dtr file or dtr.toml under the paths
    /// changes, until Ctrl-C.
    #[arg(long)]
    watch: bool,
}

/// How one file fared.
enum Verdict {
    Passed,
    Failed,
    Unreadable,
}

pub fn run(mut args: Args) -> Outcome {
    if let Err(outcome) = super::stdin::setup(&args.paths, std::mem::take(&mut args.stdin)) {
        return outcome;
    }
    if args.snapshot && args.paths.iter().any(|p| stdin::is(p)) {
        errln!("error: snapshots are kept beside files; standard input has none");
        return Outcome::Failed;
    }
    if args.watch {
        if args.paths.iter().any(|p| stdin::is(p)) {
            errln!("error: --watch needs files to watch; standard input has none");
            return Outcome::Failed;
        }
        return super::watch::run(&args.paths, || once(&args));
    }
    once(&args)
}

/// One run of every file's expectations (and snapshot).
fn once(args: &Args) -> Outcome {
    let files = match collect_files(&args.paths) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let (mut passed, mut failed, mut unreadable) = (0, 0, 0);
    for file in &files {
        match test_file(file, args) {
            Verdict::Passed => passed += 1,
            Verdict::Failed => failed += 1,
            Verdict::Unreadable => unreadable += 1,
        }
    }
    if !super::verbosity::quiet() {
        outln!("{passed} passed, {failed} failed");
    }
    if unreadable > 0 {
        Outcome::Failed
    } else if failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

fn test_file(file: &Path, args: &Args) -> Verdict {
    if args.snapshot && file.extension().is_none_or(|x| x != "dtr") {
        errln!("error: {}: snapshots are kept for .dtr files only", file.display());
        return Verdict::Unreadable;
    }
    let checked = match load(file) {
        Ok(c) => c,
        Err(super::Outcome::Failed) => return Verdict::Unreadable,
        Err(_) => {
            outln!("FAIL {}: does not check", stdin::shown(file).display());
            return Verdict::Failed;
        }
    };
    let model = model::compile(&checked.program);
    let analysis = analysis::analyze(&model, None);
    let failures = expectations::failures(&analysis.expectations);
    let total = analysis.expectations.len();
    let mut ok = failures.is_empty();
    if !ok {
        err!("{}", render::human(&failures, &checked.sources, use_color(std::io::stderr())));
    }
    let mut note = format!("{} of {total} expectations hold", total - failures.len());
    if args.snapshot {
        let Some((fresh, verdict)) =
            snapshot(file, &snapshot_text(file, &model, &analysis, &checked.sources), args.update)
        else {
            return Verdict::Unreadable;
        };
        ok &= fresh;
        note += &format!("; snapshot {verdict}");
    }
    if !ok || !super::verbosity::quiet() {
        outln!("{} {}: {note}", if ok { "ok  " } else { "FAIL" }, stdin::shown(file).display());
    }
    if ok { Verdict::Passed } else { Verdict::Failed }
}

/// The report of `file` as its snapshot keeps it: text, with its files
/// named relative to its folder (so that it does not depend on where the
/// test runs from).
pub fn snapshot_text(file: &Path, model: &model::Model, analysis: &analysis::Analysis, sources: &SourceMap) -> String {
    let mut report = report::build(model, analysis, sources);
    report.relative_to(file.parent().unwrap_or(Path::new("")));
    text::render(&report)
}

/// Compares (or writes) the snapshot of `file`; true when it is up to date
/// afterwards, with a word on what happened. None when the snapshot is not
/// a regular file (a symbolic link is not followed: `x.dtr.snap` pointing
/// at `/etc/passwd` must neither print it in a diff nor be overwritten).
fn snapshot(file: &Path, report: &str, update: bool) -> Option<(bool, &'static str)> {
    let mut path = file.as_os_str().to_owned();
    path.push(".snap");
    let path = PathBuf::from(path);
    let stored = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Ok(meta) if meta.file_type().is_symlink() => {
            errln!(
                "error: {} is a symbolic link; snapshots are never followed: replace it with a regular file",
                path.display()
            );
            return None;
        }
        // Read within the file-size limit, like the files checked.
        _ => match Disk.read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                errln!("error: cannot read {}: {e}", path.display());
                return None;
            }
        },
    };
    Some(match stored.as_deref().map(String::from_utf8_lossy) {
        Some(s) if s == report => (true, "matches"),
        Some(s) if !update => {
            let diff = TextDiff::from_lines(s.as_ref(), report);
            let old = format!("{} (stored)", path.display());
            let new = format!("{} (now)", file.display());
            err!("{}", diff.unified_diff().context_radius(2).header(&old, &new));
            errln!("the report of {} changed; run `dtr test --snapshot --update` to accept it", file.display());
            (false, "differs")
        }
        None if !update && std::env::var_os("CI").is_some() => {
            errln!("{} is missing (CI is set, so it is not written)", path.display());
            (false, "missing")
        }
        _ => match atomic::write(&path, report.as_bytes(), stored.as_deref(), Links::Refuse) {
            Ok(()) => (true, if stored.is_some() { "updated" } else { "written" }),
            Err(e) => {
                errln!("error: cannot write {}: {e}", path.display());
                (false, "not written")
            }
        },
    })
}
