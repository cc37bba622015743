//! `dtr init [DIR]`: a starter project that checks, tests and analyses
//! clean at once: `dtr.toml`, a commented world (`world.dtr`), a file of
//! expectations that imports it, and the snapshots `dtr test --snapshot`
//! compares with, written from the same report it renders. Nothing is
//! ever replaced: a folder holding any of these names gets E0095 and no
//! file at all.

use super::Outcome;
use dtr::diagnostic::{messages, render};
use dtr::source::{FileId, SourceMap, Span};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write into, created if missing (default: the current directory).
    dir: Option<PathBuf>,
}

/// The files written, in order; the snapshots of the `.dtr` files follow.
const STARTER: [(&str, &str); 3] = [
    ("dtr.toml", include_str!("dtr.toml")),
    ("world.dtr", include_str!("world.dtr")),
    ("expectations.dtr", include_str!("expectations.dtr")),
];

pub fn run(args: Args) -> Outcome {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let sources: Vec<&str> = STARTER.iter().map(|(name, _)| *name).collect();
    let snapshots: Vec<String> = sources.iter().filter(|n| n.ends_with(".dtr")).map(|n| format!("{n}.snap")).collect();
    let taken: Vec<String> = sources
        .iter()
        .map(|n| n.to_string())
        .chain(snapshots.iter().cloned())
        .filter(|n| std::fs::symlink_metadata(dir.join(n)).is_ok())
        .collect();
    if !taken.is_empty() {
        refuse(&dir, &taken);
        return Outcome::Failed;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        errln!("error: cannot create {}: {e}", dir.display());
        return Outcome::Failed;
    }
    for (name, text) in STARTER {
        if write_new(&dir.join(name), text).is_err() {
            return Outcome::Failed;
        }
    }
    for name in sources.iter().filter(|n| n.ends_with(".dtr")) {
        let file = dir.join(name);
        let Some(snapshot) = snapshot(&file) else { return Outcome::Failed };
        if write_new(&dir.join(format!("{name}.snap")), &snapshot).is_err() {
            return Outcome::Failed;
        }
    }
    noteln!("created {}: {}, {}", dir.display(), sources.join(", "), snapshots.join(", "));
    noteln!("next: dtr check, dtr test --snapshot and dtr analyze world.dtr in it");
    Outcome::Clean
}

/// E0095, pointing at the folder on the command line.
fn refuse(dir: &Path, taken: &[String]) {
    let line = format!("dtr init {}", dir.display());
    let mut sources = SourceMap::new();
    sources.add("command line".to_string(), None, line.clone());
    let span = Span::new(FileId(0), "dtr init ".len(), line.len());
    let diagnostic = messages::e0095(taken, span);
    err!("{}", render::human(&[diagnostic], &sources, super::use_color(std::io::stderr())));
}

/// Creates `path` with `text`; fails rather than replace a file that
/// appeared since the folder was looked at.
fn write_new(path: &Path, text: &str) -> Result<(), ()> {
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    written.map_err(|e| errln!("error: cannot write {}: {e}", path.display()))
}

/// The snapshot of a starter file just written, as `dtr test --snapshot`
/// would write it.
fn snapshot(file: &Path) -> Option<String> {
    let checked = super::load(file).ok()?;
    let model = dtr::model::compile(&checked.program);
    let analysis = dtr::analysis::analyze(&model, None);
    Some(super::test::snapshot_text(file, &model, &analysis, &checked.sources))
}
