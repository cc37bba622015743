//! Source files and byte spans. Every AST node and diagnostic points into a
//! file of the [`SourceMap`] with a [`Span`]; line and column numbers are
//! computed only when a diagnostic is shown.

use codespan_reporting::files::{Files, SimpleFiles};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// A position for people: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// All files of one compilation, with their display names.
#[derive(Default)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    paths: Vec<Option<PathBuf>>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file; `path` is where it was read from (None for standard input
    /// or an editor buffer), `name` is how diagnostics refer to it.
    pub fn add(&mut self, name: String, path: Option<PathBuf>, text: String) -> FileId {
        self.paths.push(path);
        FileId(self.files.add(name, text) as u32)
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map(|f| f.source().as_str()).unwrap_or("")
    }

    pub fn name(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map(|f| f.name().as_str()).unwrap_or("")
    }

    pub fn path(&self, id: FileId) -> Option<&Path> {
        self.paths.get(id.0 as usize).and_then(|p| p.as_deref())
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.paths.len() as u32).map(FileId)
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// Line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let id = file.0 as usize;
        let text = self.text(file);
        let offset = floor_boundary(text, offset);
        let line = self.files.line_index(id, offset).unwrap_or(0);
        let start = self.files.line_range(id, line).map_or(0, |r| r.start);
        // std's character count, not codespan's per-character walk: a line
        // of megabytes with many diagnostics on it stays cheap.
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        LineCol { line: line + 1, column }
    }
}

/// The char boundary at or before `offset`, clamped to the text's length
/// (`str::floor_char_boundary`, stable only from Rust 1.91: past this
/// crate's `rust-version`).
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The char boundary at or after `offset`, clamped to the text's length.
pub fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
