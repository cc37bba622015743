//! The project file, `dtr.toml`: which files belong to the project, a
//! level for each warning, defaults for the analysis and the importer
//! (docs/config.md). It is found as cargo and ruff find theirs: in the
//! folder of the file being worked on, or the nearest folder above.

mod config;

pub use config::{Config, ConfigError, ImportPaths, Level};

use crate::check::{Disk, Reader};
use crate::source::SourceMap;
use std::path::{Path, PathBuf};

/// The name of the project file.
pub const FILE_NAME: &str = "dtr.toml";

/// A project file read, its paths made relative to the current directory
/// through its folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// The project file itself.
    pub file: PathBuf,
    /// Its folder, the project's root: the paths in it are relative to it.
    pub root: PathBuf,
    pub config: Config,
}

/// The nearest project file at or above `folder`.
pub fn find(folder: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(folder).ok()?;
    start.ancestors().map(|a| a.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads the project file `file` (through the same checks as a `.dtr` file:
/// a regular file, at most 64 MiB). Err is the message to show: a read
/// error, or each mistake in the file as `file:line:column: error: …`.
pub fn read(file: &Path) -> Result<Project, String> {
    let bytes = Disk.read(file).map_err(|e| format!("error: cannot read {}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("error: {} is not UTF-8 text", file.display()))?;
    let root = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut config = Config::parse(&text).map_err(|errors| render(file, text.clone(), &errors))?;
    for path in config.include.iter_mut().chain(
        [&mut config.import.members, &mut config.import.alliances, &mut config.import.states].into_iter().flatten(),
    ) {
        *path = root.join(&*path);
    }
    Ok(Project { file: file.to_path_buf(), root, config })
}

/// The mistakes of a project file, one `file:line:column: error: …` each,
/// with its help on the next line.
fn render(file: &Path, text: String, errors: &[ConfigError]) -> String {
    let mut sources = SourceMap::new();
    let id = sources.add(file.display().to_string(), Some(file.to_path_buf()), text);
    let mut out = Vec::new();
    for e in errors {
        let at = sources.line_col(id, e.span.start);
        out.push(format!("{}:{}:{}: error: {}", file.display(), at.line, at.column, e.message));
        if let Some(help) = &e.help {
            out.push(format!("  help: {help}"));
        }
    }
    out.join("\n")
}
