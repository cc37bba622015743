//! Open documents: their text as the editor holds it, edited incrementally,
//! and a [`Reader`] that serves open documents before the disk, so that an
//! import of an unsaved buffer sees what the user sees.

use super::position::Positions;
use dtr::check::{Disk, Reader};
use dtr::source::LineIndex;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

#[derive(Clone, Debug)]
pub struct Document {
    pub text: Arc<String>,
    /// The editor's version number.
    pub version: i32,
    /// Bumped on every change; a check whose generation is no longer the
    /// document's is stale and dropped.
    pub generation: u64,
}

impl Document {
    pub fn new(text: String, version: i32, generation: u64) -> Document {
        Document { text: Arc::new(text), version, generation }
    }

    /// Applies changes in order, each to the result of the one before (so
    /// overlapping ranges are well defined). Ranges outside the text are
    /// clamped; a change without a range replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, generation: u64) {
        let text = Arc::make_mut(&mut self.text);
        for change in changes {
            match change.range {
                None => *text = change.text,
                Some(range) => {
                    let index = LineIndex::new(text);
                    let (start, end) = index.offsets(text, range);
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        self.version = version;
        self.generation = generation;
    }
}

/// The file path a document URI names, if it is a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme().as_str();
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// The path a document is checked under: its file path, or for an unsaved
/// buffer (`untitled:`) its URI's path, so that diagnostics still name it.
pub fn check_path(uri: &Uri) -> PathBuf {
    file_path(uri).unwrap_or_else(|| PathBuf::from(uri.path().as_str()))
}

/// Open documents first, then the disk.
pub struct Overlay {
    open: HashMap<PathBuf, Arc<String>>,
}

impl Overlay {
    pub fn new<'a>(documents: impl Iterator<Item = (&'a Uri, &'a Document)>) -> Overlay {
        let mut open = HashMap::new();
        for (uri, doc) in documents {
            if let Some(path) = file_path(uri) {
                // Imports are found by path as written; the canonical path
                // catches symbolic links and `..`.
                if let Ok(canonical) = std::fs::canonicalize(&path) {
                    open.insert(canonical, doc.text.clone());
                }
                open.insert(path, doc.text.clone());
            }
        }
        Overlay { open }
    }

    fn get(&self, path: &Path) -> Option<&Arc<String>> {
        self.open.get(path).or_else(|| std::fs::canonicalize(path).ok().and_then(|p| self.open.get(&p)))
    }
}

impl Reader for Overlay {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.get(path) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => Disk.read(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn applies_changes_in_order_and_clamps() {
        let mut doc = Document::new("actor A\nactor B\n".to_string(), 1, 1);
        doc.apply(vec![edit(Some(((0, 6), (0, 7))), "EST"), edit(Some(((0, 6), (1, 7))), "X")], 2, 2);
        assert_eq!(doc.text.as_str(), "actor X\n");
        // Out of range and reversed: clamped and put in order.
        doc.apply(vec![edit(Some(((9, 9), (0, 7))), "Y")], 3, 3);
        assert_eq!(doc.text.as_str(), "actor XY");
        doc.apply(vec![edit(None, "new")], 4, 4);
        assert_eq!((doc.text.as_str(), doc.version), ("new", 4));
    }
}
