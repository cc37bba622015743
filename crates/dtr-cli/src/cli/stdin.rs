//! `-` among the paths of `check`, `analyze` and `test` is standard input,
//! as editors' linters (ALE, efm-langserver, nvim-lint) pipe a buffer. With
//! `--stdin-filename PATH` it goes by that name: in diagnostics, for the
//! project file that applies to it, and as the folder its imports are
//! resolved from (as ruff and deno do); without, by `-`, from the current
//! directory. It is read within the size limit of files.

use super::Outcome;
use dtr::check::load::{MAX_FILE_BYTES, read_limited};
use dtr::check::{Checked, Disk};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

thread_local! {
    /// `--stdin-filename`, set by the command before it checks anything.
    static NAME: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// The `--stdin-filename` option of each command that reads `-`.
#[derive(clap::Args, Default)]
pub struct StdinArgs {
    /// The name standard input (`-`) goes by: in diagnostics, for the
    /// dtr.toml that applies, and as the folder its imports are read from.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

/// Whether `path` is `-`, standard input.
pub fn is(path: &Path) -> bool {
    path == Path::new("-")
}

/// Takes a command's paths and `--stdin-filename`: `-` at most once, and
/// the option only with it.
pub fn setup(paths: &[PathBuf], args: StdinArgs) -> Result<(), Outcome> {
    let dashes = paths.iter().filter(|p| is(p)).count();
    if dashes > 1 {
        errln!("error: `-` (standard input) can be given only once");
        return Err(Outcome::Failed);
    }
    if dashes == 0 && args.stdin_filename.is_some() {
        errln!("error: --stdin-filename names standard input: give `-` among the paths");
        return Err(Outcome::Failed);
    }
    NAME.set(args.stdin_filename);
    Ok(())
}

/// What to call `path` in messages: standard input by its name.
pub fn shown(path: &Path) -> PathBuf {
    if is(path) { NAME.with_borrow(|n| n.clone()).unwrap_or_else(|| path.to_path_buf()) } else { path.to_path_buf() }
}

/// Reads standard input whole and checks it under its name.
pub fn check() -> Result<Checked, Outcome> {
    let name = shown(Path::new("-"));
    let bytes = read_limited(std::io::stdin().lock(), MAX_FILE_BYTES, 0).map_err(|e| {
        errln!("error: cannot read standard input: {e}");
        Outcome::Failed
    })?;
    dtr::check::check_with(&name, Some(bytes), &Disk).map_err(|e| {
        errln!("error: cannot check standard input: {e}");
        Outcome::Failed
    })
}
