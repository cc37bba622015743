//! Notices edits by polling: the modification time and size of every file
//! the page was built from, and of their folders (an import created, or a
//! file replaced by an editor's rename). Four polls a second cost a few
//! `stat` calls; no watcher thread of the OS is needed on any platform.

use super::live::{self, Live};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const POLL: Duration = Duration::from_millis(250);

type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    std::fs::metadata(path).ok().map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
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

pub fn watch(file: &Path, files: Vec<PathBuf>, live: &Live) {
    let mut paths = watched(files);
    let mut seen: Vec<Stamp> = paths.iter().map(|p| stamp(p)).collect();
    while !live.stopping() {
        std::thread::sleep(POLL);
        let now: Vec<Stamp> = paths.iter().map(|p| stamp(p)).collect();
        if now == seen {
            continue;
        }
        let (page, files) = live::build(file);
        live.publish(page);
        // Stamps taken before the build, so an edit during it is seen next.
        let before: Vec<(PathBuf, Stamp)> = paths.into_iter().zip(now).collect();
        paths = watched(files);
        seen =
            paths.iter().map(|p| before.iter().find(|(q, _)| q == p).map_or_else(|| stamp(p), |(_, s)| *s)).collect();
    }
}
