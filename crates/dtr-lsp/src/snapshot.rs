//! One check of an open document and what the editor asks of it: the checked
//! compilation (the document and its imports, each with its line index in
//! the source map), a URI for each of its files, and the live analysis,
//! computed once on first demand.

use super::documents::{self, Overlay};
use super::position::Positions;
use dtr::analysis::{self, Analysis};
use dtr::check::{self, Checked};
use dtr::model::{self, Model};
use dtr::source::{FileId, Span};
use dtr::syntax::incremental;
use std::sync::{Arc, OnceLock};
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub generation: u64,
    pub checked: Checked,
    /// By `FileId`; None for a file that has no URI (a relative path that is gone).
    uris: Vec<Option<Uri>>,
    live: OnceLock<Option<Arc<Live>>>,
}

/// The model and analysis of a compilation without errors.
pub struct Live {
    pub model: Model,
    pub analysis: Analysis,
}

impl Snapshot {
    /// Checks `text` as the document `uri`, reading imports through
    /// `overlay`, parsing again only the declarations that changed since
    /// the check that filled `cache`.
    pub fn check(
        uri: Uri,
        text: &str,
        version: i32,
        generation: u64,
        overlay: &Overlay,
        cache: &mut incremental::Cache,
    ) -> Snapshot {
        let path = documents::check_path(&uri);
        let checked = check::check_edited(&path, text, overlay, cache);
        let uris =
            checked
                .sources
                .ids()
                .map(|f| {
                    if f == FileId(0) {
                        Some(uri.clone())
                    } else {
                        checked.sources.path(f).and_then(Uri::from_file_path)
                    }
                })
                .collect();
        Snapshot { uri, version, generation, checked, uris, live: OnceLock::new() }
    }

    pub fn text(&self, file: FileId) -> &str {
        self.checked.sources.text(file)
    }

    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.uris.get(file.0 as usize).and_then(Option::as_ref)
    }

    /// Every file of the compilation with its URI.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &Uri)> {
        self.checked.sources.ids().filter_map(|f| self.uri(f).map(|u| (f, u)))
    }

    pub fn range(&self, span: Span) -> Range {
        let index = self.checked.sources.lines(span.file);
        index.lsp_range(self.text(span.file), span.start as usize, span.end as usize)
    }

    pub fn location(&self, span: Span) -> Option<Location> {
        Some(Location::new(self.uri(span.file)?.clone(), self.range(span)))
    }

    /// The byte offset of a position in the document itself.
    pub fn offset(&self, position: Position) -> u32 {
        self.checked.sources.lines(FileId(0)).offset(self.text(FileId(0)), position) as u32
    }

    /// The analysis, when the compilation has no errors (computed once).
    pub fn live(&self) -> Option<Arc<Live>> {
        self.live
            .get_or_init(|| {
                if self.checked.has_errors() {
                    return None;
                }
                let model = model::compile(&self.checked.program);
                let analysis = analysis::analyze(&model, None);
                Some(Arc::new(Live { model, analysis }))
            })
            .clone()
    }
}
