//! `-q` and `-v`, for every command. Quiet keeps errors and the data asked
//! for (a report, JSON, a diff, a FAIL line) and drops the rest: warnings,
//! summaries, progress notes. Verbose adds what was read: the project file,
//! the files a walk found, each file's imports and the time it took.

use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Quiet,
    Normal,
    Verbose,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Normal as u8);

pub fn set(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Drops warnings and notes.
pub fn quiet() -> bool {
    LEVEL.load(Ordering::Relaxed) == Level::Quiet as u8
}

/// Says what was read.
pub fn verbose() -> bool {
    LEVEL.load(Ordering::Relaxed) == Level::Verbose as u8
}

/// The diagnostics to show: without warnings when quiet (they still count
/// for `--deny-warnings` and the exit code).
pub fn shown(diagnostics: &[dtr::diagnostic::Diagnostic]) -> Vec<dtr::diagnostic::Diagnostic> {
    diagnostics.iter().filter(|d| !quiet() || d.is_error()).cloned().collect()
}
