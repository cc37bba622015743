//! Importers that turn published data sets into `.dtr` catalogues.
//!
//! `atop` reads the ATOP 5.0 alliance data (member level and alliance level)
//! with the COW state list and writes one actor per state and one alliance
//! per ATOP alliance (`dtr import atop`, docs/import.md). Bad rows are
//! reported as [`Problem`]s with their CSV line and left out; the rest of the
//! catalogue is still written.

pub mod atop;
pub mod backtest;
pub mod calibration;
mod capabilities;
pub mod capdist;
mod catalog;
pub mod day;
mod emit;
mod mapping;
pub mod nmc;
pub mod regions;
mod states;
pub mod wars;

use dtr::check::{Disk, Reader, disk};
use std::path::Path;
use std::{fmt, io};

pub use atop::{Coverage, Import, Inputs, Loaded, Summary, Tie, import, load};

/// A CSV file held in memory, with the name used in reports.
pub struct Table {
    pub name: String,
    pub text: Vec<u8>,
}

impl Table {
    /// A table of `text`, whose line ends may be `\n`, `\r\n` or a lone `\r`
    /// (old Mac files): a lone `\r` becomes `\n`, so that the CSV reader,
    /// which counts `\n`, gives every row its line.
    pub fn new(name: impl Into<String>, mut text: Vec<u8>) -> Table {
        for i in 0..text.len() {
            if text[i] == b'\r' && text.get(i + 1) != Some(&b'\n') {
                text[i] = b'\n';
            }
        }
        Table { name: name.into(), text }
    }

    /// The file at `path`, read whole within the limits every `dtr` input
    /// keeps (a regular file, not a link out of its folder, not too large),
    /// named as `path` is written.
    pub fn read(path: &Path) -> io::Result<Table> {
        disk::named_inside(path)?;
        Ok(Table::new(path.display().to_string(), Disk.read(path)?))
    }

    fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(&self.text[..])
    }

    fn problem(&self, line: u64, message: impl Into<String>) -> Problem {
        Problem { file: self.name.clone(), line, message: message.into(), warning: false }
    }

    fn warning(&self, line: u64, message: impl Into<String>) -> Problem {
        Problem { warning: true, ..self.problem(line, message) }
    }
}

/// A bad row (or a bad file, at line 1): what is wrong and what was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// The CSV line, 1-based (the header is line 1).
    pub line: u64,
    pub message: String,
    /// Something the data set does on purpose, which the catalogue cannot
    /// hold (a member that is not a COW state): the import still succeeds,
    /// unless `--strict`.
    pub warning: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Refuses a file that lacks one of the `columns` the importer reads.
fn require_columns(table: &Table, reader: &mut csv::Reader<&[u8]>, columns: &[&str]) -> Result<(), Problem> {
    let headers = reader.headers().map_err(|e| table.problem(1, format!("cannot read the header: {e}")))?;
    let missing: Vec<&str> = columns.iter().copied().filter(|c| !headers.iter().any(|h| h == *c)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(table.problem(1, format!("the header lacks the column(s) {}", missing.join(", "))))
    }
}

/// The rows of `reader` deserialized, each with its CSV line; rows that do
/// not parse become problems.
fn rows<T: serde::de::DeserializeOwned>(
    table: &Table,
    reader: &mut csv::Reader<&[u8]>,
    problems: &mut Vec<Problem>,
) -> Vec<(u64, T)> {
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(table.problem(1, e.to_string()));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                // No field of these data sets holds a line break: one that
                // does comes from a quote left open.
                if let Some(i) = record.iter().position(|f| f.contains('\n')) {
                    let column = headers.get(i).unwrap_or("?");
                    let message = format!(
                        "column `{column}` runs over several lines: a quote (`\"`) left open here runs the rows after it into one field; row skipped"
                    );
                    problems.push(table.problem(line, message));
                    continue;
                }
                match record.deserialize::<T>(Some(&headers)) {
                    Ok(row) => out.push((line, row)),
                    Err(e) => problems.push(table.problem(line, format!("{}; row skipped", describe(&e, &headers)))),
                }
            }
            Err(e) => {
                problems.push(table.problem(
                    e.position().map_or(0, |p| p.line()),
                    format!("{}; row skipped", unreadable(&e, &headers)),
                ))
            }
        }
    }
    out
}

/// A row the CSV reader cannot split, in the user's words. A quote left
/// open swallows the line ends up to the next quote (or the end of the
/// file), so the row seems to have too few fields.
fn unreadable(error: &csv::Error, headers: &csv::StringRecord) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => format!(
            "this row has {len} field(s) where the header has {}: a missing or extra comma, or a quote (`\"`) \
             left open, which runs the rows after it into one field",
            headers.len()
        ),
        csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".to_string(),
        _ => error.to_string(),
    }
}

/// A deserialization error in the user's words: which column, which value.
fn describe(error: &csv::Error, headers: &csv::StringRecord) -> String {
    if let csv::ErrorKind::Deserialize { err, .. } = error.kind()
        && let Some(field) = err.field()
    {
        let column = usize::try_from(field).ok().and_then(|i| headers.get(i)).unwrap_or("?");
        return format!("column `{column}`: {}", err.kind());
    }
    error.to_string()
}

/// Every approximation the importer may make: its name and what the
/// catalogue does instead (docs/import.md lists each one).
pub fn approximations() -> Vec<(&'static str, &'static str)> {
    mapping::Approx::ALL.iter().map(|a| (a.key(), a.describe())).collect()
}
