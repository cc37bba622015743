//! Checking: load a compilation (imports included), resolve every name,
//! validate every value, lint, and produce the [`Program`] the model is
//! compiled from. Everything found along the way is a [`Diagnostic`].

pub mod disk;
mod expansion;
mod lints;
pub mod load;
pub mod program;
pub mod references;
mod resolve;
pub mod suggest;
mod suppress;
mod symbols;
pub mod values;

pub use expansion::MAX_EXPANDED;
pub use load::{Disk, Reader};
pub use program::Program;

use crate::diagnostic::{self, Diagnostic};
use crate::source::SourceMap;
use crate::syntax::{self, ast};
use std::io;
use std::path::Path;

/// A checked compilation. `program` is complete when there are no errors;
/// with errors it holds what could be resolved (for editors), and must not be
/// analysed.
pub struct Checked {
    pub sources: SourceMap,
    /// The AST of each file, indexed by `FileId` (the root is file 0); kept
    /// by [`check_edited`] only, for the editor's outline and hover. The
    /// other checks drop it before the lints run, which then reuse its memory.
    pub files: Vec<ast::File>,
    pub program: Program,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Every declared name and every use of it.
    pub references: references::References,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks the file at `path` and what it imports, from disk.
pub fn check_path(path: &Path) -> io::Result<Checked> {
    check_with(path, None, &Disk)
}

/// Checks source text held in memory; `name` is its path (imports are
/// resolved relative to it, from disk).
pub fn check_source(name: &str, text: &str) -> Checked {
    let loaded = load::Loaded::from_text(Path::new(name), text.as_bytes().to_vec(), &Disk, None);
    finish(loaded, false)
}

/// Checks `root`, whose text is `text` if given (else read through `reader`),
/// reading imports through `reader`.
pub fn check_with(root: &Path, text: Option<Vec<u8>>, reader: &dyn Reader) -> io::Result<Checked> {
    let loaded = load::load(root, text, reader, None)?;
    Ok(finish(loaded, false))
}

/// [`check_with`] for a root that is checked again and again as it is
/// edited (an editor's buffer): `cache` keeps the root's declarations
/// between calls, so that only those whose text changed are parsed again.
/// The result is the same as [`check_with`]'s.
pub fn check_edited(root: &Path, text: &str, reader: &dyn Reader, cache: &mut syntax::incremental::Cache) -> Checked {
    finish(load::Loaded::from_text(root, text.as_bytes().to_vec(), reader, Some(cache)), true)
}

fn finish(loaded: load::Loaded, keep_ast: bool) -> Checked {
    let load::Loaded { sources, mut files, order, diagnostics: mut syntax_diagnostics } = loaded;
    // Read before resolution frees the syntax trees.
    let suppressions = suppress::Suppressions::collect(&files, &sources, &mut syntax_diagnostics);
    let mut resolver = resolve::Resolver::new(&sources);
    // Unless the AST is kept, resolution frees it as it goes.
    let program = resolver.resolve(&mut files, &order, !keep_ast);
    // The resolver's tables and, unless kept, what is left of the AST go
    // before the lints allocate theirs.
    let resolve::Resolver { mut diagnostics, mut references, used, .. } = resolver;
    references.finish();
    use diagnostic::Code;
    // Declarations lost to these errors may have been the ones using others.
    let syntax_ok =
        !syntax_diagnostics.iter().any(|d| matches!(d.code, Code::E0001 | Code::E0019 | Code::E0020 | Code::E0021));
    let files = if keep_ast {
        files
    } else {
        drop(files);
        Vec::new()
    };
    expansion::check(&program, &mut diagnostics);
    lints::lint(&program, &used, syntax_ok, &mut diagnostics);
    for d in syntax_diagnostics {
        diagnostics.push(d);
    }
    if !suppressions.is_empty() {
        diagnostics.retain(|d| !suppressions.silences(d));
    }
    let diagnostics = diagnostics.finish();
    Checked { sources, files, program, diagnostics, references }
}

/// At most this many diagnostics are kept per compilation: beyond it a file
/// is generated or hostile, and listing more helps nobody while it costs
/// time in every renderer and in the editor.
pub const MAX_DIAGNOSTICS: usize = 1_000;

/// Diagnostics are collected into this many at most before those past the
/// first [`MAX_DIAGNOSTICS`] are counted and dropped.
const COMPACT_AT: usize = 8 * MAX_DIAGNOSTICS;

/// A compilation's diagnostics, capped as they are collected: a file of a
/// million unused actors must not hold a million warnings (160 MB before
/// their messages) to print a thousand. [`Diagnostics::finish`] gives what
/// sorting, deduplicating and capping all of them would: the first
/// [`MAX_DIAGNOSTICS`], errors first, and W0030 with the count of the rest.
/// Identical diagnostics are merged as before, except a repeat pushed after
/// a compaction (every [`COMPACT_AT`]) has already left its twin out, which
/// W0030 counts again.
#[derive(Default)]
pub(crate) struct Diagnostics {
    /// Those kept so far (in the order of [`Diagnostics::compact`] up to
    /// where it left off), then those pushed since.
    held: Vec<Diagnostic>,
    /// How many compactions dropped; the first dropped stays in `held`, at
    /// [`MAX_DIAGNOSTICS`], so that later ones sort around it as before.
    dropped: usize,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if self.held.len() >= COMPACT_AT {
            self.compact();
        }
        self.held.push(d);
    }

    /// Keeps the diagnostics `keep` accepts (of those held: past
    /// [`COMPACT_AT`], some were already counted out).
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.held.retain(keep);
    }

    /// Sorts by file and position, merges identical neighbours and puts
    /// errors first (the sorts are stable: among equals, the order pushed),
    /// then keeps one past the first [`MAX_DIAGNOSTICS`].
    fn compact(&mut self) {
        diagnostic::sort(&mut self.held);
        self.held.dedup();
        self.held.sort_by_key(|d| !d.is_error());
        if self.held.len() > MAX_DIAGNOSTICS + 1 {
            self.dropped += self.held.len() - (MAX_DIAGNOSTICS + 1);
            self.held.truncate(MAX_DIAGNOSTICS + 1);
        }
    }

    /// The diagnostics to report, sorted by file and position; when more
    /// than [`MAX_DIAGNOSTICS`], errors are kept first (so a compilation
    /// with errors still has errors), and W0030 says how many were left out
    /// where the first of them was.
    fn finish(mut self) -> Vec<Diagnostic> {
        diagnostic::sort(&mut self.held);
        self.held.dedup();
        if self.held.len() <= MAX_DIAGNOSTICS && self.dropped == 0 {
            return self.held;
        }
        self.compact();
        let mut kept = self.held;
        let left_out = kept.split_off(MAX_DIAGNOSTICS);
        let Some(first) = left_out.first() else { return kept };
        diagnostic::sort(&mut kept);
        kept.push(diagnostic::messages::w0030(left_out.len() + self.dropped, MAX_DIAGNOSTICS, first.primary.span));
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    /// What `finish` stood for before diagnostics were capped as collected:
    /// all of them sorted, merged and capped at once.
    fn capped_at_once(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostic::sort(&mut all);
        all.dedup();
        if all.len() <= MAX_DIAGNOSTICS {
            return all;
        }
        all.sort_by_key(|d| !d.is_error());
        let dropped = all.split_off(MAX_DIAGNOSTICS);
        diagnostic::sort(&mut all);
        all.push(diagnostic::messages::w0030(dropped.len(), MAX_DIAGNOSTICS, dropped[0].primary.span));
        all
    }

    #[test]
    fn capping_as_collected_gives_what_capping_at_once_gave() {
        // Errors and warnings at scattered positions, ties on position,
        // repeats pushed one after the other, through several compactions.
        for (count, every) in [(999, 7), (1_001, 3), (20_000, 5), (20_000, 1_500), (30_000, 40_000)] {
            let mut all = Vec::new();
            for i in 0..count {
                let at = (i * 7_919) % 12_007;
                let code = if i % every == 0 { diagnostic::Code::E0002 } else { diagnostic::Code::W0001 };
                let d =
                    Diagnostic::new(code, format!("d{}", i % 3), Span::new(FileId((i % 2) as u32), at, at + 1), "here");
                if i % 11 == 0 {
                    all.push(d.clone());
                }
                all.push(d);
            }
            let mut collected = Diagnostics::default();
            for d in all.clone() {
                collected.push(d);
            }
            assert_eq!(collected.finish(), capped_at_once(all), "{count} diagnostics, an error every {every}");
        }
    }
}
