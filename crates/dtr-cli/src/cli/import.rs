//! `dtr import atop`: writes a `.dtr` catalogue from the ATOP alliance data
//! (docs/import.md). Bad rows are printed with their CSV line; the good
//! part is still written and the exit code is 1. Rows the data codes on
//! purpose but the catalogue cannot hold (a member that is not a COW
//! state) are warnings: exit 0, unless `--strict`.

use super::atomic::{self, Links};
use super::{Outcome, project};
use datasets::{Coverage, Inputs, Table, day::Day};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Source {
    /// ATOP 5.0 (member-level and alliance-level CSV) with the COW state list.
    Atop(AtopArgs),
}

#[derive(clap::Args)]
pub struct AtopArgs {
    /// The member-level file (atop5_0m.csv).
    /// Default: `[import] members` in dtr.toml.
    #[arg(long, value_name = "FILE")]
    members: Option<PathBuf>,
    /// The alliance-level file (atop5_0a.csv).
    /// Default: `[import] alliances` in dtr.toml.
    #[arg(long, value_name = "FILE")]
    alliances: Option<PathBuf>,
    /// The COW state list (states2016.csv).
    /// Default: `[import] states` in dtr.toml.
    #[arg(long, value_name = "FILE")]
    states: Option<PathBuf>,
    /// Alliances in force at some time in this year.
    #[arg(long, value_name = "Y", conflicts_with = "date", allow_negative_numbers = true)]
    year: Option<i32>,
    /// Alliances in force on this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    date: Option<Day>,
    /// Per-state capabilities: columns `ccode`, optional `year`, one per domain.
    #[arg(long, value_name = "FILE")]
    capabilities: Option<PathBuf>,
    /// Where to write the catalogue (default: standard output); written
    /// whole or not at all, never over one of the input files.
    #[arg(short = 'o', long = "output", value_name = "OUT.dtr")]
    output: Option<PathBuf>,
    /// The credibility of defence and offence provisions: a calibration
    /// file from `dtr calibrate`, or `none` for every provision at 100%
    /// [default: the calibration shipped with dtr, docs/backtest.md].
    #[arg(long, value_name = "FILE|none")]
    calibration: Option<PathBuf>,
    /// Exit 1 on warnings too (rows left out that the data codes on purpose,
    /// such as a member that is not a COW state).
    #[arg(long)]
    strict: bool,
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse(text).ok_or_else(|| format!("`{text}` is not a real day written YYYY-MM-DD"))
}

pub fn run(source: Source) -> Outcome {
    match source {
        Source::Atop(args) => atop(args),
    }
}

fn atop(args: AtopArgs) -> Outcome {
    let data = match data_paths(&args) {
        Ok(paths) => paths,
        Err(outcome) => return outcome,
    };
    let (members, alliances, states) = (&data.0, &data.1, &data.2);
    let period = match (args.year, args.date) {
        (Some(y), _) => Coverage::Year(y),
        (None, Some(d)) => Coverage::Day(d),
        (None, None) => Coverage::All,
    };
    let inputs = [Some(members), Some(alliances), Some(states), args.capabilities.as_ref(), args.calibration.as_ref()];
    if let Some(output) = &args.output
        && let Some(input) = inputs.into_iter().flatten().find(|input| same_file(input, output))
    {
        errln!("error: -o {} would overwrite the input file {}", output.display(), input.display());
        return Outcome::Failed;
    }
    let read = |path: &Path| read_table(path);
    let tables = (|| {
        Ok((read(members)?, read(alliances)?, read(states)?, args.capabilities.as_deref().map(read).transpose()?))
    })();
    let (members, alliances, states, capabilities) = match tables {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let calibration = match super::backtest::calibration(args.calibration.as_deref()) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let inputs =
        Inputs { members, alliances, states, capabilities, command: command_line(&args, [&data.0, &data.1, &data.2]) };
    let imported = match datasets::load(inputs).and_then(|l| l.catalogue_calibrated(period, calibration.as_ref())) {
        Ok(i) => i,
        Err(problem) => {
            errln!("error: {problem}");
            return Outcome::Failed;
        }
    };
    for p in &imported.problems {
        if p.warning {
            noteln!("warning: {p}");
        } else {
            errln!("error: {p}");
        }
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = atomic::write(path, imported.text.as_bytes(), None, Links::FollowInside) {
                errln!("error: cannot write {}: {e}", path.display());
                return Outcome::Failed;
            }
        }
        None => out!("{}", imported.text),
    }
    let s = &imported.summary;
    let warnings = imported.problems.iter().filter(|p| p.warning).count();
    let errors = imported.problems.len() - warnings;
    noteln!(
        "imported: states {}, alliances {}, obligations {}, commitments {}, member rows {}; bad rows {errors}, warnings {warnings}",
        s.states,
        s.alliances,
        s.obligations,
        s.commitments,
        s.rows,
    );
    if errors > 0 || (args.strict && warnings > 0) { Outcome::Problems } else { Outcome::Clean }
}

/// A data file read whole (Err: the message is printed, exit 2).
pub fn read_table(path: &Path) -> Result<Table, Outcome> {
    Table::read(path).map_err(|e| {
        errln!("error: cannot read {}: {e}", path.display());
        Outcome::Failed
    })
}

/// Fills the data files not given on the command line from `[import]` in
/// the project file of the current directory: members, alliances, states.
/// Err when one is still missing.
fn data_paths(args: &AtopArgs) -> Result<(PathBuf, PathBuf, PathBuf), Outcome> {
    let project = project::of(Path::new("."))?;
    let defaults = project.as_ref().map(|p| p.config.import.clone()).unwrap_or_default();
    let mut missing = Vec::new();
    let mut pick = |given: &Option<PathBuf>, default: Option<PathBuf>, flag: &str| {
        let path = given.clone().or_else(|| default.map(|p| project::shown(&p)));
        if path.is_none() {
            missing.push(format!("--{flag}"));
        }
        path.unwrap_or_default()
    };
    let paths = (
        pick(&args.members, defaults.members, "members"),
        pick(&args.alliances, defaults.alliances, "alliances"),
        pick(&args.states, defaults.states, "states"),
    );
    if missing.is_empty() {
        return Ok(paths);
    }
    errln!("error: {} missing: give them, or set them under [import] in dtr.toml (docs/config.md)", missing.join(", "));
    Err(Outcome::Failed)
}

/// Whether two paths name one file (two spellings, a link, a hard link).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

/// The command as the catalogue's header records it, with the data files
/// (members, alliances, states) it read, wherever they were named.
fn command_line(args: &AtopArgs, [members, alliances, states]: [&PathBuf; 3]) -> String {
    let mut s = format!(
        "dtr import atop --members {} --alliances {} --states {}",
        members.display(),
        alliances.display(),
        states.display()
    );
    if let Some(y) = args.year {
        s.push_str(&format!(" --year {y}"));
    }
    if let Some(d) = args.date {
        s.push_str(&format!(" --date {d}"));
    }
    if let Some(c) = &args.capabilities {
        s.push_str(&format!(" --capabilities {}", c.display()));
    }
    if let Some(c) = &args.calibration {
        s.push_str(&format!(" --calibration {}", c.display()));
    }
    if let Some(o) = &args.output {
        s.push_str(&format!(" -o {}", o.display()));
    }
    s
}
