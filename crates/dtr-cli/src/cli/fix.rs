//! `dtr check --fix`: applies the machine-applicable fixes of a file's
//! diagnostics (the "did you mean" of a misspelt name), with the editor's
//! quick fix's own selection (`dtr::diagnostic::fix`). Each round is
//! checked again, and kept only if it is better (`fix::improves`): no more
//! errors, fewer diagnostics. The file is written as `dtr fmt` writes,
//! atomically and only if no one changed it meanwhile (`cli::atomic`).
//! `--dry-run` writes nothing and prints the diff.

use super::atomic::{self, Links};
use super::{Outcome, lint_levels};
use dtr::check::{self, Checked, Disk, Reader, disk};
use dtr::diagnostic::fix;
use dtr::source::FileId;
use std::path::Path;

/// Fixes may reveal others (a fixed name lets a condition resolve): at
/// most this many rounds, each strictly better than the last.
const MAX_ROUNDS: usize = 8;

#[derive(clap::Args, Default)]
pub struct FixArgs {
    /// Apply the machine-applicable fixes (the "did you mean" of misspelt
    /// names, an actor written as its label) to the files, then report what
    /// remains. A file is written only if the fixes leave it better: no
    /// more errors, fewer diagnostics.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: write nothing, print the diff of each file that would
    /// change, exit 1 if any would.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
}

/// What `--fix` did to one file.
pub enum Fixed {
    /// The file's diagnostics now (after writing, or as they were).
    Checked(Box<Checked>),
    /// With --dry-run: whether the file would change (its diff printed).
    WouldChange(bool),
}

/// Fixes `file`, whose check is `checked`. Err when it cannot be written.
pub fn file(path: &Path, checked: Checked, dry_run: bool) -> Result<Fixed, Outcome> {
    let original = match disk::named_inside(path).and_then(|()| Disk.read(path)).map(String::from_utf8) {
        Ok(Ok(text)) if text == checked.sources.text(FileId(0)) => text,
        // Not UTF-8 (E0020): the spans are not the file's bytes.
        _ => return Ok(if dry_run { Fixed::WouldChange(false) } else { Fixed::Checked(Box::new(checked)) }),
    };
    let (mut text, mut current) = (original.clone(), checked);
    for _ in 0..MAX_ROUNDS {
        let Some(next) = fix::apply(&text, &fix::in_file(&current.diagnostics, FileId(0))) else { break };
        let Ok(mut again) = check::check_with(path, Some(next.clone().into_bytes()), &Disk) else { break };
        lint_levels(path, &mut again)?;
        if !fix::improves(&current.diagnostics, &again.diagnostics) {
            noteln!("{}: fixes left out: they would not leave the file better", path.display());
            break;
        }
        (text, current) = (next, again);
    }
    if dry_run {
        if text != original {
            let name = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&original, &text);
            out!("{}", diff.unified_diff().context_radius(3).header(&name, &format!("{name} (fixed)")));
        }
        return Ok(Fixed::WouldChange(text != original));
    }
    if text == original {
        return Ok(Fixed::Checked(Box::new(current)));
    }
    match atomic::write(path, text.as_bytes(), Some(original.as_bytes()), Links::FollowInside) {
        Ok(()) => Ok(Fixed::Checked(Box::new(current))),
        Err(atomic::Error::Skipped(why)) => {
            noteln!("skipped {}: {why}", path.display());
            Err(Outcome::Failed)
        }
        Err(atomic::Error::Io(e)) => {
            errln!("error: cannot write {}: {e}", path.display());
            Err(Outcome::Failed)
        }
    }
}
