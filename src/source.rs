//! Source files and byte spans. Every AST node and diagnostic points into a
//! file of the [`SourceMap`] with a [`Span`]; line and column numbers are
//! computed only when a diagnostic is shown.

use codespan_reporting::files::line_starts;
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
    files: Vec<SourceFile>,
}

struct SourceFile {
    name: String,
    path: Option<PathBuf>,
    text: String,
    /// Byte offset of each line's start, as codespan finds them; `u32`
    /// (files are at most 64 MiB) and sized exactly: a file of a million
    /// one-line declarations has a million of them.
    line_starts: Box<[u32]>,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>, text: String) -> SourceFile {
        let mut starts = Vec::with_capacity(line_starts(&text).count());
        starts.extend(line_starts(&text).map(|at| at as u32));
        SourceFile { name, path, text, line_starts: starts.into_boxed_slice() }
    }

    /// The 0-based line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start as usize <= offset).saturating_sub(1)
    }
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file; `path` is where it was read from (None for standard input
    /// or an editor buffer), `name` is how diagnostics refer to it.
    pub fn add(&mut self, name: String, path: Option<PathBuf>, text: String) -> FileId {
        self.files.push(SourceFile::new(name, path, text));
        FileId(self.files.len() as u32 - 1)
    }

    fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn text(&self, id: FileId) -> &str {
        self.file(id).map_or("", |f| &f.text)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.file(id).map_or("", |f| &f.name)
    }

    pub fn path(&self, id: FileId) -> Option<&Path> {
        self.file(id).and_then(|f| f.path.as_deref())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len() as u32).map(FileId)
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// Line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let Some(f) = self.file(file) else { return LineCol { line: 1, column: 1 } };
        let offset = floor_boundary(&f.text, offset);
        let line = f.line_index(offset);
        let start = f.line_starts.get(line).map_or(0, |&s| s as usize);
        // std's character count, not a per-character walk: a line of
        // megabytes with many diagnostics on it stays cheap.
        let column = f.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
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
