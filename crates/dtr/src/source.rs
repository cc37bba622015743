//! Source files and byte spans. Every AST node and diagnostic points into a
//! file of the [`SourceMap`] with a [`Span`]; line and column numbers are
//! computed only when a diagnostic is shown, from each file's [`LineIndex`],
//! through codespan-reporting's `Files` interface.

mod lines;

pub use lines::LineIndex;

use codespan_reporting::files::{Error as FilesError, Files};
use serde::Serialize;
use std::ops::Range;
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

/// A position for people: 1-based line, 1-based column counted in
/// characters. A byte-order mark opening the file is no column: editors do
/// not show it, so the first character after it is in column 1.
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
    lines: LineIndex,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>, text: String) -> SourceFile {
        let lines = LineIndex::new(&text);
        SourceFile { name, path, text, lines }
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

    /// Where the lines of a file start (an empty index for an unknown file).
    pub fn lines(&self, id: FileId) -> &LineIndex {
        static NONE: std::sync::OnceLock<LineIndex> = std::sync::OnceLock::new();
        self.file(id).map_or_else(|| NONE.get_or_init(|| LineIndex::new("")), |f| &f.lines)
    }

    /// Line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        match self.location(file, offset) {
            Ok(at) => LineCol { line: at.line_number, column: at.column_number },
            Err(_) => LineCol { line: 1, column: 1 },
        }
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.file(id).map(|f| f.name.as_str()).ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        self.file(id).map(|f| f.text.as_str()).ok_or(FilesError::FileMissing)
    }

    /// The line holding `byte_index`; past the end, the last line.
    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.file(id).ok_or(FilesError::FileMissing)?.lines.line(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.file(id).ok_or(FilesError::FileMissing)?;
        f.lines.range(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: f.lines.count() - 1 })
    }

    /// Characters from the line start, plus one. std's character count, not
    /// codespan's walk byte by byte: a line of megabytes with many
    /// diagnostics on it stays cheap. A byte-order mark opening the file is
    /// not counted.
    fn column_number(&'a self, id: FileId, line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.file(id).ok_or(FilesError::FileMissing)?;
        let offset = floor_boundary(&f.text, byte_index);
        let start = f.lines.start(line_index).min(offset);
        let before = &f.text[start..offset];
        let bom = usize::from(start == 0 && before.starts_with('\u{FEFF}'));
        Ok(before.chars().count() - bom + 1)
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
