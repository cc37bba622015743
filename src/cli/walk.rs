//! The `.dtr` files a command works on: files named on the command line as
//! they are, directories searched with the `ignore` crate (ripgrep's walker),
//! so that `dtr check` and `dtr fmt` skip what `.gitignore` and `.ignore`
//! leave out and hidden folders, as the other tools of a project do.
//!
//! Symbolic links met on the way are not followed: what a link inside the
//! folder points at is walked under its own name anyway, what is outside is
//! not the project's, and a link loop cannot make the walk endless. Files
//! that are not regular (a named pipe called `x.dtr` would block the read)
//! are skipped with a warning.

use super::Outcome;
use dtr::check::disk;
use std::path::PathBuf;

/// The `.dtr` files named by `paths` (no paths means `.`), sorted so that
/// output is stable. A folder that cannot be read is reported here; the
/// caller exits with the outcome.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Outcome> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    let mut failed = false;
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        // `.gitignore` counts in a folder that is not a Git repository too.
        let walk = ignore::WalkBuilder::new(path).follow_links(false).require_git(false).build();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                // A folder that cannot be read: the files in it would go unchecked.
                Err(e) if e.io_error().is_some() => {
                    errln!("error: {e}");
                    failed = true;
                    continue;
                }
                // A bad pattern in an ignore file: the walk goes on without it.
                Err(e) => {
                    errln!("warning: {e}");
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else { continue };
            if entry.depth() == 0 || file_type.is_dir() || file_type.is_symlink() || entry.path().extension().is_none_or(|x| x != "dtr") {
                continue;
            }
            if file_type.is_file() {
                out.push(entry.into_path());
            } else {
                errln!("warning: skipped {}: it is {}", entry.path().display(), disk::kind(file_type));
            }
        }
    }
    if failed {
        return Err(Outcome::Failed);
    }
    out.sort();
    out.dedup();
    Ok(out)
}
