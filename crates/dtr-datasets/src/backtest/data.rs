//! The wars and the ATOP data a backtest or a calibration runs on, read
//! and checked in one place for `dtr backtest`, `dtr calibrate` and the
//! Python package's `backtest` and `calibrate`, so that the four refuse
//! the same files with the same words and report the same bad rows.

use super::Files;
use crate::atop::{Inputs, Loaded};
use crate::wars::{self, War};
use crate::{Problem, Table};
use std::fmt;
use std::io;
use std::path::PathBuf;

/// What [`load`] gives.
pub struct Data {
    pub wars: Vec<War>,
    pub loaded: Loaded,
    /// The war file's bad rows, then the ATOP and COW files' errors; their
    /// warnings (the Annam row) are the importer's business and left out.
    pub problems: Vec<Problem>,
}

/// Why the data cannot be used at all.
#[derive(Debug)]
pub enum Refused {
    /// A file that cannot be read.
    Unreadable(PathBuf, io::Error),
    /// A file without a column that is read.
    File(Problem),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Unreadable(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            Refused::File(problem) => write!(f, "{problem}"),
        }
    }
}

/// Reads the four `files` (all of them before any is checked, so a missing
/// file is named first) and checks them; `command` is the one the
/// catalogues' headers record.
pub fn load(files: &Files, command: &str) -> Result<Data, Refused> {
    let read = |path: &PathBuf| Table::read(path).map_err(|e| Refused::Unreadable(path.clone(), e));
    let (war_table, members, alliances, states) =
        (read(&files.wars)?, read(&files.members)?, read(&files.alliances)?, read(&files.states)?);
    let mut problems = Vec::new();
    let wars = wars::read(&war_table, &mut problems).map_err(Refused::File)?;
    let inputs = Inputs { members, alliances, states, capabilities: None, command: command.to_string() };
    let loaded = crate::atop::load(inputs).map_err(Refused::File)?;
    problems.extend(loaded.problems.iter().filter(|p| !p.warning).cloned());
    Ok(Data { wars, loaded, problems })
}
