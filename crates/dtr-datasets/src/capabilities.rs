//! The optional per-state capabilities CSV (`--capabilities`). ATOP has no
//! capabilities; this lets a researcher bring, say, COW CINC scores.
//!
//! Columns: `ccode` (COW country code, required), `year` (optional), and one
//! column per domain, named after it: a built-in domain (`land`, `sea`,
//! `air`, `cyber`, `space`, `nuclear`) or a new name, which the catalogue
//! declares as a domain. `resolve` (optional) is the actor's resolve, a
//! fraction from 0 to 1 or a percentage (`90%`). `stateabb`, `statenme` and
//! `source` (where the numbers come from) are for the reader and ignored.
//! With `year`, each state takes the row of the latest year not after the
//! period's last year; empty cells are left out.
//!
//! COW's National Material Capabilities file as published (NMC v6.0,
//! `stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version`) is
//! recognised by its component columns: NMC measures a state's capability
//! as a whole, not per domain, so its composite index (CINC, the state's
//! share of the system's six components) is written, in per mille, into
//! each conventional domain ([`NMC_DOMAINS`]); the components and `version`
//! are not read, and COW's missing value `-9` is an empty cell.

use super::atop::Coverage;
use super::states::{States, is_identifier};
use super::{Problem, Table, rows};
use dtr::check::values::MAX_CAPABILITY;
use dtr::vocabulary::is_keyword;
use std::collections::BTreeMap;

const IGNORED: &[&str] = &["ccode", "year", "stateabb", "statenme", "source", "resolve"];

/// The columns that make a file COW's NMC as published.
const NMC_COMPONENTS: [&str; 7] = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"];
/// The domains an NMC file's CINC is written into: the conventional ones.
/// `cyber`, `space` and `nuclear` are left at 0 (NMC does not measure them).
pub const NMC_DOMAINS: [&str; 3] = ["land", "sea", "air"];
/// CINC is a share of the system (0 to 1); per mille reads better in a report.
const NMC_SCALE: f64 = 1000.0;
/// COW's code for a missing value.
const NMC_MISSING: &str = "-9";

/// One state's row.
#[derive(Clone, Debug, Default)]
pub struct StateValues {
    /// (domain, value) in column order, empty cells left out.
    pub capability: Vec<(String, f64)>,
    /// As written in DTR: a fraction from 0 to 1 or a percentage.
    pub resolve: Option<String>,
}

#[derive(Default)]
pub struct Capabilities {
    /// Domains in column order; the ones to declare are those not built in.
    pub domains: Vec<String>,
    pub by_ccode: BTreeMap<u32, StateValues>,
    /// The file's name, for the declared domains' labels.
    pub source: String,
    /// The file is COW's NMC as published (CINC in the conventional domains).
    pub nmc: bool,
}

pub fn read(
    table: &Table,
    states: &States,
    period: Coverage,
    problems: &mut Vec<Problem>,
) -> Result<Capabilities, Problem> {
    let mut reader = table.reader();
    let headers = reader.headers().map_err(|e| table.problem(1, format!("cannot read the header: {e}")))?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let ccode = column("ccode").ok_or_else(|| table.problem(1, "the header lacks the column `ccode`"))?;
    let nmc = NMC_COMPONENTS.iter().all(|c| column(c).is_some());
    let mut columns =
        Columns { ccode, year: column("year"), resolve: column("resolve"), cinc: None, domains: Vec::new() };
    if nmc {
        columns.cinc = column("cinc");
        columns.domains = NMC_DOMAINS.iter().map(|d| (0, d.to_string())).collect();
    }
    for (i, h) in headers.iter().enumerate().filter(|_| !nmc) {
        // A column named twice would be a domain declared twice (E0016).
        if let Some(first) = headers.iter().take(i).position(|earlier| earlier == h) {
            problems.push(table.warning(
                1,
                format!("column `{h}` appears twice (columns {} and {}); the later one is ignored", first + 1, i + 1),
            ));
            continue;
        }
        if IGNORED.contains(&h) {
            continue;
        }
        if !is_identifier(h) || is_keyword(h) {
            return Err(table.problem(
                1,
                format!("column `{h}` cannot name a domain (it must be an identifier and not a DTR keyword)"),
            ));
        }
        // Domains share the catalogue's one namespace with actors and alliances.
        if states.by_ccode.values().any(|s| s.code == h) || h.starts_with("atop") || h.starts_with("COW") {
            return Err(table.problem(
                1,
                format!("column `{h}` cannot name a domain: the catalogue names a state or an alliance so"),
            ));
        }
        columns.domains.push((i, h.to_string()));
    }
    let last_year = period.range().map(|(_, end)| end.year);
    // Per state: the chosen row's year and values.
    let mut chosen: BTreeMap<u32, (Option<i32>, u64, StateValues)> = BTreeMap::new();
    for (line, row) in rows::<Vec<String>>(table, &mut reader, problems) {
        match capability_row(&row, &columns, states) {
            Ok((ccode, year, values)) => {
                if year.is_some_and(|y| last_year.is_some_and(|l| y > l)) {
                    continue;
                }
                match chosen.get(&ccode) {
                    Some((y, first, _)) if *y == year => {
                        problems.push(table.problem(
                            line,
                            format!("state {ccode} already has a row for this year on line {first}; row skipped"),
                        ));
                    }
                    Some((y, _, _)) if *y > year => {}
                    _ => {
                        chosen.insert(ccode, (year, line, values));
                    }
                }
            }
            Err(e) => problems.push(table.problem(line, format!("{e}; row skipped"))),
        }
    }
    let by_ccode = chosen.into_iter().map(|(c, (_, _, v))| (c, v)).collect();
    let domains = columns.domains.into_iter().map(|(_, d)| d).collect();
    Ok(Capabilities { domains, by_ccode, source: table.name.clone(), nmc })
}

/// Where the columns read are (the first of a name given twice).
struct Columns {
    ccode: usize,
    year: Option<usize>,
    resolve: Option<usize>,
    /// An NMC file's `cinc` column (then `domains` are [`NMC_DOMAINS`], all read from it).
    cinc: Option<usize>,
    /// Each domain's column and name.
    domains: Vec<(usize, String)>,
}

type CapabilityRow = (u32, Option<i32>, StateValues);

/// One row, its numbers checked against what the language accepts (a
/// capability is written back as a number, `1e3` as `1000`; `resolve` as
/// written), so the catalogue always checks.
fn capability_row(row: &[String], columns: &Columns, states: &States) -> Result<CapabilityRow, String> {
    let cell = |i: usize| row.get(i).map(|s| s.trim()).filter(|s| !s.is_empty());
    let ccode: u32 =
        cell(columns.ccode).ok_or("`ccode` is missing")?.parse().map_err(|_| "`ccode` is not a whole number")?;
    if states.get(ccode).is_none() {
        return Err(format!("unknown state code {ccode} (not in the COW state list)"));
    }
    let year = match columns.year {
        Some(i) => {
            Some(cell(i).ok_or("`year` is missing")?.parse::<i32>().map_err(|_| "`year` is not a whole number")?)
        }
        None => None,
    };
    let resolve = match columns.resolve.and_then(cell) {
        None => None,
        // Read as a file writes it, so that the catalogue can carry it as written.
        Some(text) => match dtr::syntax::probability(text) {
            Some((v, _)) if (0.0..=1.0).contains(&v) => Some(text.to_string()),
            _ => {
                return Err(format!("`resolve` is `{text}`; write a fraction from 0 to 1 or a percentage such as 90%"));
            }
        },
    };
    let mut values = Vec::new();
    if let Some(i) = columns.cinc {
        if let Some(text) = cell(i).filter(|t| *t != NMC_MISSING) {
            let v: f64 = text.parse().map_err(|_| format!("`cinc` is `{text}`, not a number"))?;
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("`cinc` is {text}; CINC is a share of the system, from 0 to 1"));
            }
            // Rounded to CINC's published precision, so that the number reads as written.
            let per_mille = (v * NMC_SCALE * 1e6).round() / 1e6;
            values.extend(NMC_DOMAINS.iter().map(|d| (d.to_string(), per_mille)));
        }
        return Ok((ccode, year, StateValues { capability: values, resolve }));
    }
    for (i, d) in &columns.domains {
        if let Some(text) = cell(*i) {
            let v: f64 = text.parse().map_err(|_| format!("`{d}` is `{text}`, not a number"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!("`{d}` is {text}; a capability is a non-negative number"));
            }
            if v > MAX_CAPABILITY {
                return Err(format!(
                    "`{d}` is {text}, above the largest capability DTR accepts (1e15, E0081); rescale the column"
                ));
            }
            values.push((d.clone(), v + 0.0));
        }
    }
    Ok((ccode, year, StateValues { capability: values, resolve }))
}
