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

use super::atop::Coverage;
use super::states::{States, is_identifier};
use super::{Problem, Table, rows};
use dtr::vocabulary::is_keyword;
use std::collections::{BTreeMap, HashMap};

const IGNORED: &[&str] = &["ccode", "year", "stateabb", "statenme", "source", "resolve"];

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
}

pub fn read(table: &Table, states: &States, period: Coverage, problems: &mut Vec<Problem>) -> Result<Capabilities, Problem> {
    let mut reader = table.reader();
    let headers = reader.headers().map_err(|e| table.problem(1, format!("cannot read the header: {e}")))?.clone();
    if !headers.iter().any(|h| h == "ccode") {
        return Err(table.problem(1, "the header lacks the column `ccode`"));
    }
    let has_year = headers.iter().any(|h| h == "year");
    let mut domains = Vec::new();
    for h in headers.iter().filter(|h| !IGNORED.contains(h)) {
        if !is_identifier(h) || is_keyword(h) {
            return Err(table.problem(1, format!("column `{h}` cannot name a domain (it must be an identifier and not a DTR keyword)")));
        }
        domains.push(h.to_string());
    }
    let last_year = period.range().map(|(_, end)| end.year);
    // Per state: the chosen row's year and values.
    let mut chosen: BTreeMap<u32, (Option<i32>, u64, StateValues)> = BTreeMap::new();
    for (line, row) in rows::<HashMap<String, String>>(table, &mut reader, problems) {
        match capability_row(&row, &domains, has_year, states) {
            Ok((ccode, year, values)) => {
                if year.is_some_and(|y| last_year.is_some_and(|l| y > l)) {
                    continue;
                }
                match chosen.get(&ccode) {
                    Some((y, first, _)) if *y == year => {
                        problems.push(table.problem(line, format!("state {ccode} already has a row for this year on line {first}; row skipped")));
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
    Ok(Capabilities { domains, by_ccode, source: table.name.clone() })
}

type CapabilityRow = (u32, Option<i32>, StateValues);

fn capability_row(row: &HashMap<String, String>, domains: &[String], has_year: bool, states: &States) -> Result<CapabilityRow, String> {
    let cell = |name: &str| row.get(name).map(|s| s.trim()).filter(|s| !s.is_empty());
    let ccode: u32 = cell("ccode").ok_or("`ccode` is missing")?.parse().map_err(|_| "`ccode` is not a whole number")?;
    if states.get(ccode).is_none() {
        return Err(format!("unknown state code {ccode} (not in the COW state list)"));
    }
    let year = if has_year {
        Some(cell("year").ok_or("`year` is missing")?.parse::<i32>().map_err(|_| "`year` is not a whole number")?)
    } else {
        None
    };
    let resolve = match cell("resolve") {
        None => None,
        // Read as a file writes it, so that the catalogue can carry it as written.
        Some(text) => match dtr::syntax::probability(text) {
            Some((v, _)) if (0.0..=1.0).contains(&v) => Some(text.to_string()),
            _ => return Err(format!("`resolve` is `{text}`; write a fraction from 0 to 1 or a percentage such as 90%")),
        },
    };
    let mut values = Vec::new();
    for d in domains {
        if let Some(text) = cell(d) {
            let v: f64 = text.parse().map_err(|_| format!("`{d}` is `{text}`, not a number"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!("`{d}` is {text}; a capability is a non-negative number"));
            }
            values.push((d.clone(), v));
        }
    }
    Ok((ccode, year, StateValues { capability: values, resolve }))
}
