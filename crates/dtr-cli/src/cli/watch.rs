//! `--watch` for `dtr check` and `dtr test`: run, then run again whenever
//! a `.dtr` file or a `dtr.toml` under the paths changes, until Ctrl-C.
//! The platform's file events come through notify; reads are not changes
//! (a run reads every file, and would wake itself), and the events of
//! an editor's burst of writes (a temporary file, a rename, the metadata)
//! within a fifth of a second of each other cost one run. Snapshots
//! (`.snap`) are not watched: `dtr test --snapshot` writes them itself.

use super::{Outcome, project};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Edits closer together than this are one change.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs `once` now and after every change under `paths` (none: the
/// project's `include`, or `.`); returns only when watching fails.
pub fn run(paths: &[PathBuf], mut once: impl FnMut() -> Outcome) -> Outcome {
    let (send, changes) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(send) {
        Ok(w) => w,
        Err(e) => {
            errln!("error: cannot watch files: {e}");
            return Outcome::Failed;
        }
    };
    let roots = match roots(paths) {
        Ok(r) => r,
        Err(outcome) => return outcome,
    };
    for (root, mode) in &roots {
        if let Err(e) = watcher.watch(root, *mode) {
            errln!("error: cannot watch {}: {e}", root.display());
            return Outcome::Failed;
        }
    }
    loop {
        // A run reads the project files afresh: they may be what changed.
        project::forget();
        once();
        noteln!("[watching {} for changes; Ctrl-C stops]", names(&roots));
        let changed = match next_change(&changes) {
            Ok(changed) => changed,
            Err(e) => {
                errln!("error: watching files: {e}");
                return Outcome::Failed;
            }
        };
        let shown: Vec<String> = changed.iter().map(|p| project::shown(p).display().to_string()).collect();
        noteln!("[changed: {}]", shown.join(", "));
    }
}

/// The files changed by the next burst of edits: a change to a watched
/// file, then every other that follows within [`DEBOUNCE`] of the last.
fn next_change(events: &mpsc::Receiver<notify::Result<Event>>) -> Result<Vec<PathBuf>, String> {
    let stopped = || "the watcher stopped".to_string();
    let mut changed = Vec::new();
    while changed.is_empty() {
        changed.extend(changes(events.recv().map_err(|_| stopped())?)?);
    }
    loop {
        match events.recv_timeout(DEBOUNCE) {
            Ok(event) => changed.extend(changes(event)?),
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(stopped()),
        }
    }
    changed.sort();
    changed.dedup();
    Ok(changed)
}

/// The watched files an event changes (none for a read).
fn changes(event: notify::Result<Event>) -> Result<Vec<PathBuf>, String> {
    let event = event.map_err(|e| e.to_string())?;
    if matches!(event.kind, EventKind::Access(_)) {
        return Ok(Vec::new());
    }
    Ok(event.paths.into_iter().filter(|p| watched(p)).collect())
}

/// What to watch: each folder given (with all it holds), the folder of
/// each file given, and the root of the project they are in (its
/// dtr.toml, and imports elsewhere in it).
fn roots(paths: &[PathBuf]) -> Result<Vec<(PathBuf, RecursiveMode)>, Outcome> {
    let given = if paths.is_empty() { project::default_paths()? } else { paths.to_vec() };
    let mut roots = Vec::new();
    for path in &given {
        let folder = if path.is_dir() {
            path.clone()
        } else {
            // A pattern or a file: the folder it starts from.
            let before_wild: PathBuf = path
                .components()
                .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[', '{']))
                .collect();
            let base = if before_wild == *path { path.parent().map(Path::to_path_buf) } else { Some(before_wild) };
            base.filter(|b| !b.as_os_str().is_empty()).unwrap_or_else(|| PathBuf::from("."))
        };
        roots.push((folder.clone(), RecursiveMode::Recursive));
        if let Some(p) = project::of(&folder)? {
            roots.push((p.root.clone(), RecursiveMode::Recursive));
        }
    }
    roots.sort_by(|a, b| a.0.cmp(&b.0));
    roots.dedup_by(|a, b| a.0 == b.0);
    Ok(roots)
}

fn watched(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "dtr") || path.file_name().is_some_and(|n| n == dtr::project::FILE_NAME)
}

fn names(roots: &[(PathBuf, RecursiveMode)]) -> String {
    roots.iter().map(|(r, _)| project::shown(r).display().to_string()).collect::<Vec<_>>().join(", ")
}
