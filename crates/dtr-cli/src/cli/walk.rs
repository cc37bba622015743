//! The `.dtr` files a command works on: files named on the command line as
//! they are, directories searched with the `ignore` crate (ripgrep's walker),
//! so that `dtr check` and `dtr fmt` skip what `.gitignore` and `.ignore`
//! leave out and hidden folders, as the other tools of a project do.
//!
//! A path that does not exist but holds `*`, `?`, `[` or `{` is a glob,
//! matched by the same walk (`dtr check 'scenarios/**/*.dtr'`).
//!
//! A walk inside a project leaves out what its dtr.toml `[files] exclude`
//! names; with no path given, the project's `include` is walked
//! (src/cli/project.rs).
//!
//! Symbolic links met on the way are not followed: what a link inside the
//! folder points at is walked under its own name anyway, what is outside is
//! not the project's, and a link loop cannot make the walk endless. Files
//! that are not regular (a named pipe called `x.dtr` would block the read)
//! are skipped with a warning.

use super::{Outcome, project};
use dtr::check::disk;
use std::path::{Component, Path, PathBuf};

/// The `.dtr` files named by `paths` (no paths means the project's
/// `include`, or `.`), sorted so that
/// output is stable. A folder that cannot be read, or a pattern that
/// matches nothing, is reported here; the caller exits with the outcome.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Outcome> {
    let default;
    let paths = if paths.is_empty() {
        default = project::default_paths()?;
        &default[..]
    } else {
        paths
    };
    let mut out = Vec::new();
    let mut failed = false;
    for path in paths {
        let mut walk = ignore::WalkBuilder::new(path);
        if let Some((folder, pattern)) = glob(path).filter(|(folder, _)| folder.is_dir()) {
            // `'scenarios/**/*.dtr'` quoted past the shell (or from a shell
            // that does not expand it): the folder is walked with the
            // pattern anchored at it, as ripgrep's `-g`.
            let mut overrides = ignore::overrides::OverrideBuilder::new(&folder);
            match overrides.add(&pattern).and_then(|o| o.build()) {
                Ok(overrides) => {
                    walk = ignore::WalkBuilder::new(&folder);
                    walk.overrides(overrides);
                }
                Err(e) => {
                    errln!("error: {}: {e}", path.display());
                    failed = true;
                    continue;
                }
            }
        } else if glob(path).is_some() {
            errln!("error: no .dtr file matches {}", path.display());
            failed = true;
            continue;
        } else if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let found = out.len();
        let folder = glob(path).map_or_else(|| path.clone(), |(folder, _)| folder);
        // A folder named on the command line is walked even if excluded:
        // the user asked for it.
        if let Some(exclude) = project::excluded(&folder)?
            && !exclude.excludes(&folder, true)
        {
            walk.filter_entry(move |e| !exclude.excludes(e.path(), e.file_type().is_some_and(|t| t.is_dir())));
        }
        // `.gitignore` counts in a folder that is not a Git repository too.
        for entry in walk.follow_links(false).require_git(false).build() {
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
                    noteln!("warning: {e}");
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else { continue };
            if entry.depth() == 0
                || file_type.is_dir()
                || file_type.is_symlink()
                || entry.path().extension().is_none_or(|x| x != "dtr")
            {
                continue;
            }
            if file_type.is_file() {
                out.push(entry.into_path());
            } else {
                noteln!("warning: skipped {}: it is {}", entry.path().display(), disk::kind(file_type));
            }
        }
        traceln!("walked {}: {} .dtr file(s)", path.display(), out.len() - found);
        if out.len() == found && !path.exists() {
            errln!("error: no .dtr file matches {}", path.display());
            failed = true;
        }
    }
    if failed {
        return Err(Outcome::Failed);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A path that does not exist and holds `*`, `?`, `[` or `{`: the folder
/// before its first such component, and the rest as a pattern anchored
/// there (`/` first: `a/*.dtr` is not `a/b/*.dtr`, as in a shell).
fn glob(path: &Path) -> Option<(PathBuf, String)> {
    if path.exists() {
        return None;
    }
    let wild = |c: &Component| c.as_os_str().to_str().is_some_and(|s| s.contains(['*', '?', '[', '{']));
    let at = path.components().position(|c| wild(&c))?;
    let folder: PathBuf = path.components().take(at).collect();
    let rest: PathBuf = path.components().skip(at).collect();
    let folder = if folder.as_os_str().is_empty() { PathBuf::from(".") } else { folder };
    Some((folder, format!("/{}", rest.to_str()?)))
}
