//! The project file of each path a command works on (`dtr::project`),
//! looked up once per folder and read once per file: its lint levels are
//! applied to every check, its `exclude` to every directory walk, its
//! `include` when no path is given.

use super::Outcome;
use dtr::project::{self, Project};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

thread_local! {
    /// Project files read so far, by their path; None for one that failed
    /// to read (its error was printed once).
    static READ: RefCell<HashMap<PathBuf, Option<Rc<Project>>>> = RefCell::new(HashMap::new());
    /// The project file of each folder looked at so far.
    static FOUND: RefCell<HashMap<PathBuf, Option<PathBuf>>> = RefCell::new(HashMap::new());
}

/// Forgets the project files read so far (`--watch` reads them again
/// before each run).
pub fn forget() {
    READ.with_borrow_mut(HashMap::clear);
    FOUND.with_borrow_mut(HashMap::clear);
}

/// The project that `path` (a file or a folder) belongs to: the nearest
/// dtr.toml at or above its folder. Err when that file has mistakes
/// (printed here, once).
pub fn of(path: &Path) -> Result<Option<Rc<Project>>, Outcome> {
    let folder = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new("")) };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let found =
        FOUND.with_borrow_mut(|f| f.entry(folder.to_path_buf()).or_insert_with(|| project::find(folder)).clone());
    let Some(file) = found else { return Ok(None) };
    READ.with_borrow_mut(|read| {
        read.entry(file.clone())
            .or_insert_with(|| match project::read(&file) {
                Ok(p) => {
                    traceln!("project file: {}", shown(&file).display());
                    Some(Rc::new(p))
                }
                Err(message) => {
                    errln!("{message}");
                    None
                }
            })
            .clone()
            .map(Some)
            .ok_or(Outcome::Failed)
    })
}

/// The paths to work on when none is given: the `include` of the project
/// of the current directory, else the current directory. Paths under the
/// current directory are shown relative to it.
pub fn default_paths() -> Result<Vec<PathBuf>, Outcome> {
    let here = PathBuf::from(".");
    let Some(project) = of(&here)? else { return Ok(vec![here]) };
    if project.config.include.is_empty() {
        return Ok(vec![here]);
    }
    Ok(project.config.include.iter().map(|p| shown(p)).collect())
}

/// A path of the project file (absolute, through its folder) as the user
/// would write it: relative to the current directory when under it.
pub fn shown(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match path.strip_prefix(&cwd) {
        Ok(inside) if inside.as_os_str().is_empty() => PathBuf::from("."),
        Ok(inside) => inside.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// A matcher of the project's `exclude` patterns for a walk of `folder`;
/// None when there are none.
pub fn excluded(folder: &Path) -> Result<Option<Exclude>, Outcome> {
    let Some(project) = of(folder)? else { return Ok(None) };
    if project.config.exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(&project.root);
    for pattern in &project.config.exclude {
        if let Err(e) = builder.add_line(Some(project.file.clone()), pattern) {
            errln!("error: {}: [files] exclude: {e}", project.file.display());
            return Err(Outcome::Failed);
        }
    }
    match builder.build() {
        Ok(matcher) => Ok(Some(Exclude { matcher, root: project.root.clone() })),
        Err(e) => {
            errln!("error: {}: [files] exclude: {e}", project.file.display());
            Err(Outcome::Failed)
        }
    }
}

/// The `exclude` patterns of a project, anchored at its root.
pub struct Exclude {
    matcher: ignore::gitignore::Gitignore,
    root: PathBuf,
}

impl Exclude {
    /// Whether a path met in a walk is left out (a folder with all it holds).
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(absolute) = std::path::absolute(path) else { return false };
        // Outside the project (a walk of `..`): its patterns say nothing.
        let Ok(inside) = absolute.strip_prefix(&self.root) else { return false };
        self.matcher.matched_path_or_any_parents(inside, is_dir).is_ignore()
    }
}
