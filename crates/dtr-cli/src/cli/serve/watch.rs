//! Notices edits by polling: the modification time and size of every file
//! the page was built from, and of their folders (an import created, or a
//! file replaced by an editor's rename). Four polls a second cost a few
//! `stat` calls; no watcher thread of the OS is needed on any platform.

use super::live::{self, Live, Page};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const POLL: Duration = Duration::from_millis(250);

type Stamp = Option<(SystemTime, u64)>;

/// The watched paths and their stamps when last built from.
pub struct Seen(Vec<(PathBuf, Stamp)>);

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path).ok().map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
}

fn stamped(paths: Vec<PathBuf>) -> Vec<(PathBuf, Stamp)> {
    paths.into_iter().map(|p| (p.clone(), stamp(&p))).collect()
}

/// The files and their folders.
fn watched(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut paths = files;
    let folders: Vec<PathBuf> = paths
        .iter()
        .filter_map(|f| f.parent().map(|p| if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() }))
        .collect();
    paths.extend(folders);
    paths.sort();
    paths.dedup();
    paths
}

/// The first page of `file`, stamped as every later one is: the file and
/// its project file before the build, so an edit made while the server
/// starts is seen at the first poll.
pub fn first(file: &Path) -> (Page, Seen) {
    let known = watched(std::iter::once(file.to_path_buf()).chain(live::project_file(file)).collect());
    build(file, &stamped(known))
}

/// Builds the page with `before`, the stamps taken before the build. A
/// path the build found (an import) is stamped after it; one modified
/// since the build began counts as unseen, so it is read again.
fn build(file: &Path, before: &[(PathBuf, Stamp)]) -> (Page, Seen) {
    let started = SystemTime::now();
    let (page, files) = live::build(file);
    let seen = watched(files)
        .into_iter()
        .map(|p| match before.iter().find(|(q, _)| *q == p) {
            Some((_, s)) => (p, *s),
            None => {
                let s = stamp(&p).filter(|(modified, _)| *modified < started);
                (p, s)
            }
        })
        .collect();
    (page, Seen(seen))
}

pub fn watch(file: &Path, mut seen: Seen, live: &Live) {
    while !live.stopping() {
        std::thread::sleep(POLL);
        let now = stamped(seen.0.iter().map(|(p, _)| p.clone()).collect());
        if now == seen.0 {
            continue;
        }
        let page;
        (page, seen) = build(file, &now);
        live.publish(page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const MAIN: &str = "actor USA\nactor RUS\nimport \"forces.dtr\"\nscenario s { RUS attacks USA }\n";

    #[test]
    fn an_edit_made_while_the_server_starts_is_seen_at_the_first_poll() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.dtr");
        std::fs::write(&main, MAIN).unwrap();
        std::fs::write(dir.path().join("forces.dtr"), "").unwrap();
        let (page, seen) = first(&main);
        let generation = page.generation;
        // Before the watcher's thread has run at all.
        std::fs::write(&main, MAIN.replace("USA }", "USA }\nscenario t { USA attacks RUS }")).unwrap();
        let live = Arc::new(Live::new(page));
        let watcher = {
            let (live, main) = (Arc::clone(&live), main.clone());
            std::thread::spawn(move || watch(&main, seen, &live))
        };
        let changed = matches!(live.wait(Some(generation), Duration::from_secs(30)), live::Wait::Changed(_));
        live.stop();
        watcher.join().unwrap();
        assert!(changed && live.page().html.contains("scenario-t"), "the edit was missed");
    }

    #[test]
    fn an_import_modified_since_the_build_began_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let (main, forces) = (dir.path().join("main.dtr"), dir.path().join("forces.dtr"));
        std::fs::write(&main, MAIN).unwrap();
        std::fs::write(&forces, "").unwrap();
        let (_, Seen(seen)) = first(&main);
        assert!(seen.iter().any(|(p, s)| *p == forces && s.is_some()), "{seen:?}");

        let later = SystemTime::now() + Duration::from_secs(60);
        std::fs::File::options().write(true).open(&forces).unwrap().set_modified(later).unwrap();
        let (_, Seen(seen)) = first(&main);
        assert!(seen.iter().any(|(p, s)| *p == forces && s.is_none()), "{seen:?}");
        // Once known, it is stamped before the build like the others.
        let (_, Seen(again)) = build(&main, &seen.iter().map(|(p, _)| (p.clone(), stamp(p))).collect::<Vec<_>>());
        assert!(again.iter().all(|(_, s)| s.is_some()), "{again:?}");
    }
}
