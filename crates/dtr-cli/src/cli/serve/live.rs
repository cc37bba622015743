//! The page being served and its generation, shared by the watcher (which
//! publishes a new page) and the event streams (which wait for one).

use dtr::report::html::{self, Options};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    page: Arc<Page>,
    stopping: bool,
}

/// A page and its generation: a digest of its content, so an edit that
/// changes nothing shown (a comment, a file saved unchanged) reloads
/// nothing.
pub struct Page {
    pub html: String,
    pub generation: u64,
}

/// What a stream waiting for a new page is told.
pub enum Wait {
    Changed(u64),
    Unchanged,
    Stopping,
}

impl Live {
    pub fn new(page: Page) -> Live {
        Live { state: Mutex::new(State { page: Arc::new(page), stopping: false }), changed: Condvar::new() }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn page(&self) -> Arc<Page> {
        Arc::clone(&self.lock().page)
    }

    /// Publishes `page` if it differs from the one served.
    pub fn publish(&self, page: Page) {
        let mut state = self.lock();
        if state.page.generation != page.generation {
            state.page = Arc::new(page);
            self.changed.notify_all();
        }
    }

    pub fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    pub fn stopping(&self) -> bool {
        self.lock().stopping
    }

    /// Waits up to `timeout` for a generation other than `seen`.
    pub fn wait(&self, seen: Option<u64>, timeout: Duration) -> Wait {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| !s.stopping && Some(s.page.generation) == seen)
            .unwrap_or_else(|e| e.into_inner());
        if state.stopping {
            Wait::Stopping
        } else if Some(state.page.generation) == seen {
            Wait::Unchanged
        } else {
            Wait::Changed(state.page.generation)
        }
    }
}

/// The page of `file` (its report, or its diagnostics) and the files it
/// was read from, its project file (dtr.toml) among them: read again at
/// each build, its lint levels and `[analyze]` defaults apply as in `dtr
/// analyze`.
pub fn build(file: &Path) -> (Page, Vec<PathBuf>) {
    let name = file.display().to_string();
    let (content, mut files) = match dtr::check::check_path(file) {
        Err(e) => (Content::Problem(format!("error: cannot read {name}: {e}")), vec![file.to_path_buf()]),
        Ok(checked) => {
            let files =
                checked.sources.ids().filter_map(|id| checked.sources.path(id).map(Path::to_path_buf)).collect();
            (content(file, checked), files)
        }
    };
    files.extend(project_file(file));
    let render = |live| match &content {
        Content::Report(report) => html::render(report, &Options { live }),
        Content::Problem(text) => html::diagnostics(&name, text, &Options { live }),
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    render(None).hash(&mut hasher);
    let generation = hasher.finish();
    (Page { html: render(Some(generation)), generation }, files)
}

/// The project file that applies to `file`, if any.
pub fn project_file(file: &Path) -> Option<PathBuf> {
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dtr::project::find(folder)
}

/// The report of a checked file, as its project file says; its
/// diagnostics when it has errors (or the project file has mistakes).
fn content(file: &Path, mut checked: dtr::check::Checked) -> Content {
    let name = file.display();
    let project = match project_file(file).map(|f| dtr::project::read(&f)).transpose() {
        Ok(p) => p,
        Err(message) => return Content::Problem(message),
    };
    if let Some(p) = &project {
        checked.diagnostics = p.config.apply_lints(std::mem::take(&mut checked.diagnostics));
    }
    if checked.has_errors() {
        let text = dtr::diagnostic::render::human(&checked.diagnostics, &checked.sources, false);
        let summary = dtr::diagnostic::render::summary(&checked.diagnostics);
        return Content::Problem(format!("{text}{name}: {summary}"));
    }
    let mut model = dtr::model::compile(&checked.program);
    let mut scenarios = None;
    if let Some(config) = project.as_ref().map(|p| &p.config) {
        if config.year.is_some() {
            model.set_period(config.year);
        }
        if !config.scenarios.is_empty() {
            let mut ids = Vec::new();
            for wanted in &config.scenarios {
                match model.scenario_named(wanted) {
                    Some(id) => ids.push(id),
                    None => {
                        let names = model.scenarios.iter().map(|s| s.name.as_str());
                        let hint = dtr::check::suggest::closest(wanted, names)
                            .map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_default();
                        return Content::Problem(format!(
                            "error: {name} has no scenario named `{wanted}` ([analyze] scenario in dtr.toml){hint}"
                        ));
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            scenarios = Some(ids);
        }
    }
    let analysis = dtr::analysis::analyze(&model, scenarios.as_deref());
    Content::Report(Box::new(dtr::report::build(&model, &analysis, &checked.sources)))
}

enum Content {
    Report(Box<dtr::report::Report>),
    Problem(String),
}
