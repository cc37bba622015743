//! Checking: load a compilation (imports included), resolve every name,
//! validate every value, lint, and produce the [`Program`] the model is
//! compiled from. Everything found along the way is a [`Diagnostic`].

mod lints;
pub mod load;
pub mod program;
pub mod references;
mod resolve;
pub mod suggest;

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
    /// The AST of each file, indexed by `FileId` (the root is file 0).
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
    finish(loaded)
}

/// Checks `root`, whose text is `text` if given (else read through `reader`),
/// reading imports through `reader`.
pub fn check_with(root: &Path, text: Option<Vec<u8>>, reader: &dyn Reader) -> io::Result<Checked> {
    let loaded = load::load(root, text, reader, None)?;
    Ok(finish(loaded))
}

/// [`check_with`] for a root that is checked again and again as it is
/// edited (an editor's buffer): `cache` keeps the root's declarations
/// between calls, so that only those whose text changed are parsed again.
/// The result is the same as [`check_with`]'s.
pub fn check_edited(root: &Path, text: &str, reader: &dyn Reader, cache: &mut syntax::incremental::Cache) -> Checked {
    finish(load::Loaded::from_text(root, text.as_bytes().to_vec(), reader, Some(cache)))
}

fn finish(loaded: load::Loaded) -> Checked {
    let mut resolver = resolve::Resolver::new(&loaded);
    let (program, declared) = resolver.resolve();
    let mut diagnostics = std::mem::take(&mut resolver.diagnostics);
    let mut references = std::mem::take(&mut resolver.references);
    references.finish();
    use diagnostic::Code;
    // Declarations lost to these errors may have been the ones using others.
    let syntax_ok = !loaded.diagnostics.iter().any(|d| matches!(d.code, Code::E0001 | Code::E0019 | Code::E0020 | Code::E0021));
    diagnostics.extend(lints::lint(&program, &declared, &resolver.used, syntax_ok));
    diagnostics.extend(loaded.diagnostics);
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    let diagnostics = cap(diagnostics);
    Checked { sources: loaded.sources, files: loaded.files, program, diagnostics, references }
}

/// At most this many diagnostics are kept per compilation: beyond it a file
/// is generated or hostile, and listing more helps nobody while it costs
/// time in every renderer and in the editor.
pub const MAX_DIAGNOSTICS: usize = 1_000;

/// Keeps [`MAX_DIAGNOSTICS`] of sorted `diagnostics`, errors first (so a
/// compilation with errors still has errors), and says how many were left
/// out (W0030) where the first of them was.
fn cap(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.len() <= MAX_DIAGNOSTICS {
        return diagnostics;
    }
    diagnostics.sort_by_key(|d| !d.is_error());
    let dropped = diagnostics.split_off(MAX_DIAGNOSTICS);
    let Some(first) = dropped.first() else { return diagnostics };
    diagnostic::sort(&mut diagnostics);
    diagnostics.push(
        Diagnostic::new(
            diagnostic::Code::W0030,
            format!("{} more diagnostics not shown: at most {MAX_DIAGNOSTICS} are reported", dropped.len()),
            first.primary.span,
            "the first one not shown is here",
        )
        .with_help("fix the diagnostics shown and check again"),
    );
    diagnostics
}
