//! One check of an open document and what the editor asks of it: the checked
//! compilation (the document and its imports, each with its line index in
//! the source map), a URI for each of its files, and the live analysis,
//! computed once on first demand: the overview the lenses show
//! (all-honoured cascades and gaps, cheap and given up when a newer edit
//! arrives), and the full analysis only for the results of `expect` lines.

use super::documents::{self, Overlay};
use super::position::Positions;
use super::project;
use dtr::analysis::gaps::{self, Gap};
use dtr::analysis::{self, Analysis, Escalation};
use dtr::check::{self, Checked};
use dtr::model::{self, Model};
use dtr::source::{FileId, Span};
use dtr::syntax::incremental;
use dtr::vocabulary::ScenarioId;
use std::sync::{Arc, OnceLock};
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub generation: u64,
    pub checked: Checked,
    /// The mistakes of the document's dtr.toml, whose lint levels were
    /// then not applied.
    pub project_error: Option<String>,
    /// By `FileId`; None for a file that has no URI (a relative path that is gone).
    uris: Vec<Option<Uri>>,
    model: OnceLock<Option<Arc<Model>>>,
    overview: OnceLock<Option<Arc<Overview>>>,
    live: OnceLock<Option<Arc<Live>>>,
}

/// What the lenses and scenario hovers show of a compilation without
/// errors: each scenario's all-honoured cascade and the gaps, without the
/// probabilities (the full analysis of a file of heavy scenarios took 17 s
/// after every burst of edits; this takes a cascade per scenario).
pub struct Overview {
    /// In scenario order.
    pub scenarios: Vec<(ScenarioId, Escalation)>,
    pub gaps: Vec<Gap>,
}

/// The model and analysis of a compilation without errors.
pub struct Live {
    pub model: Arc<Model>,
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
        let mut checked = check::check_edited(&path, text, overlay, cache);
        let project_error = match documents::file_path(&uri) {
            Some(file) => project::apply_lints(&file, &mut checked).err(),
            None => None,
        };
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
        Snapshot {
            uri,
            version,
            generation,
            checked,
            project_error,
            uris,
            model: OnceLock::new(),
            overview: OnceLock::new(),
            live: OnceLock::new(),
        }
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

    /// The compiled model, when the compilation has no errors (compiled once).
    fn model(&self) -> Option<Arc<Model>> {
        self.model
            .get_or_init(|| (!self.checked.has_errors()).then(|| Arc::new(model::compile(&self.checked.program))))
            .clone()
    }

    /// The overview, when the compilation has no errors (computed once).
    pub fn overview(&self) -> Option<Arc<Overview>> {
        self.overview_unless(&|| false)
    }

    /// The overview, given up (and left to compute later) as soon as
    /// `superseded` says a newer edit has made it useless: it is checked
    /// before each scenario's cascade.
    pub fn overview_unless(&self, superseded: &dyn Fn() -> bool) -> Option<Arc<Overview>> {
        if let Some(done) = self.overview.get() {
            return done.clone();
        }
        let Some(model) = self.model() else {
            return self.overview.get_or_init(|| None).clone();
        };
        let mut scenarios = Vec::new();
        for id in (0..model.scenarios.len() as u32).map(ScenarioId) {
            if superseded() {
                return None;
            }
            scenarios.push((id, analysis::escalate(&model, id)));
        }
        let overview = Overview { scenarios, gaps: gaps::gaps(&model) };
        self.overview.get_or_init(|| Some(Arc::new(overview))).clone()
    }

    /// The full analysis, when the compilation has no errors (computed
    /// once, within the run's work budget).
    pub fn live(&self) -> Option<Arc<Live>> {
        self.live
            .get_or_init(|| {
                self.model().map(|model| Arc::new(Live { analysis: analysis::analyze(&model, None), model }))
            })
            .clone()
    }
}
