//! The COW state list (`states2016.csv`): one row per spell of system
//! membership. Gives each state its actor code (the COW abbreviation) and
//! name, and says which states are in the system on a date.

use super::day::{Day, DayRange};
use super::{Problem, Table, require_columns, rows};
use dtr::vocabulary::is_keyword;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Deserialize)]
struct Row {
    stateabb: Option<String>,
    ccode: Option<u32>,
    statenme: Option<String>,
    styear: Option<i32>,
    stmonth: Option<u32>,
    stday: Option<u32>,
    endyear: Option<i32>,
    endmonth: Option<u32>,
    endday: Option<u32>,
}

const COLUMNS: &[&str] =
    &["stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"];

#[derive(Clone, Debug)]
pub struct State {
    pub ccode: u32,
    /// The actor code: the COW abbreviation, or `COW<ccode>` when the
    /// abbreviation is not a usable identifier (see `code_for`).
    pub code: String,
    pub abbreviation: String,
    pub name: String,
    pub spells: Vec<DayRange>,
}

/// Every state of the list, by COW country code.
pub struct States {
    pub by_ccode: BTreeMap<u32, State>,
    /// States whose abbreviation could not be used as an actor code, and why.
    pub renamed: Vec<String>,
}

impl States {
    pub fn get(&self, ccode: u32) -> Option<&State> {
        self.by_ccode.get(&ccode)
    }

    /// States in the system at some time in `[start, end]`.
    pub fn in_system(&self, start: Day, end: Day) -> impl Iterator<Item = &State> {
        self.by_ccode.values().filter(move |s| s.spells.iter().any(|sp| sp.overlaps(start, end)))
    }
}

pub fn read(table: &Table, problems: &mut Vec<Problem>) -> Result<States, Problem> {
    let mut reader = table.reader();
    require_columns(table, &mut reader, COLUMNS)?;
    let mut by_ccode: BTreeMap<u32, State> = BTreeMap::new();
    for (line, row) in rows::<Row>(table, &mut reader, problems) {
        match spell(&row) {
            Ok((ccode, abb, name, span)) => {
                let state = by_ccode.entry(ccode).or_insert_with(|| State {
                    ccode,
                    code: String::new(),
                    abbreviation: abb.clone(),
                    name: name.clone(),
                    spells: Vec::new(),
                });
                if state.abbreviation != abb || state.name != name {
                    problems.push(table.problem(
                        line,
                        format!(
                            "state {ccode} is `{abb}` ({name}) here but `{}` ({}) in an earlier row; the first is kept",
                            state.abbreviation, state.name
                        ),
                    ));
                }
                state.spells.push(span);
            }
            Err(message) => problems.push(table.problem(line, format!("{message}; row skipped"))),
        }
    }
    let renamed = assign_codes(&mut by_ccode);
    Ok(States { by_ccode, renamed })
}

fn spell(row: &Row) -> Result<(u32, String, String, DayRange), String> {
    let missing = |what: &str| format!("`{what}` is missing");
    let abb = row.stateabb.clone().filter(|s| !s.trim().is_empty()).ok_or_else(|| missing("stateabb"))?;
    let ccode = row.ccode.ok_or_else(|| missing("ccode"))?;
    let name = row.statenme.clone().filter(|s| !s.trim().is_empty()).ok_or_else(|| missing("statenme"))?;
    let day = |y: Option<i32>, m: Option<u32>, d: Option<u32>, what: &str| match (y, m, d) {
        (Some(y), Some(m), Some(d)) => Day::new(y, m, d).ok_or_else(|| format!("{what} {y}-{m}-{d} is not a real day")),
        _ => Err(missing(what)),
    };
    let start = day(row.styear, row.stmonth, row.stday, "start date")?;
    let end = day(row.endyear, row.endmonth, row.endday, "end date")?;
    if end < start {
        return Err(format!("the spell ends ({end}) before it starts ({start})"));
    }
    Ok((ccode, abb.trim().to_string(), name.trim().to_string(), DayRange { start, end: Some(end) }))
}

/// Actor codes: the COW abbreviation when it is an identifier, not a DTR
/// keyword, not shaped like a generated name (`atop…`, `COW…`) and not
/// already taken; otherwise `COW<ccode>`, which cannot collide.
fn assign_codes(states: &mut BTreeMap<u32, State>) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut renamed = Vec::new();
    for state in states.values_mut() {
        let abb = &state.abbreviation;
        let why = if !is_identifier(abb) {
            Some("is not an identifier")
        } else if is_keyword(abb) {
            Some("is a DTR keyword")
        } else if abb.starts_with("atop") || abb.starts_with("COW") {
            Some("looks like a generated name")
        } else if taken.contains(abb) {
            Some("is already the code of another state")
        } else {
            None
        };
        state.code = match why {
            None => abb.clone(),
            Some(why) => {
                renamed.push(format!(
                    "`{abb}` ({}, COW {}) {why}: the actor is `COW{}`",
                    state.name, state.ccode, state.ccode
                ));
                format!("COW{}", state.ccode)
            }
        };
        taken.insert(state.code.clone());
    }
    renamed
}

pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
