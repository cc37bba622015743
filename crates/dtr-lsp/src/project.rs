//! The project file of a document (`dtr.toml`, the nearest at or above its
//! folder, found as the command line finds it): its lint levels apply to
//! the diagnostics the editor shows, so that the editor and `dtr check`
//! agree. Read again at every check: it is small, and an edit to it shows
//! at the next keystroke.

use dtr::check::Checked;
use dtr::project;
use std::path::Path;

/// Applies the lint levels of the project of `file` (a path on disk) to
/// `checked`. Err is the project file's mistakes, rendered, for the editor
/// to show instead of levels it could not read.
pub fn apply_lints(file: &Path, checked: &mut Checked) -> Result<(), String> {
    let Some(folder) = file.parent() else { return Ok(()) };
    let Some(found) = project::find(folder) else { return Ok(()) };
    let project = project::read(&found)?;
    checked.diagnostics = project.config.apply_lints(std::mem::take(&mut checked.diagnostics));
    Ok(())
}
