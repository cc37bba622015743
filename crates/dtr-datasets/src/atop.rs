//! ATOP 5.0 rows: the member-level file (`atop5_0m.csv`, one row per member
//! and phase of an alliance) checked against the alliance-level file
//! (`atop5_0a.csv`) and the COW state list, then handed to the catalogue.

use super::calibration::Calibration;
use super::capabilities::{self, Capabilities};
use super::catalog;
use super::day::{Day, DayRange};
use super::states::{self, States};
use super::{Problem, Table, emit, require_columns, rows};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to import: the whole data set with every alliance's dates, the
/// alliances in force at some time in a year, or on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    All,
    Year(i32),
    Day(Day),
}

impl Coverage {
    /// The first and last day, `None` for the whole data set.
    pub fn range(self) -> Option<(Day, Day)> {
        match self {
            Coverage::All => None,
            Coverage::Year(y) => Some((Day { year: y, month: 1, day: 1 }, Day { year: y, month: 12, day: 31 })),
            Coverage::Day(d) => Some((d, d)),
        }
    }
}

/// The result of an import: the catalogue text, the bad rows, and counts.
pub struct Import {
    pub text: String,
    pub problems: Vec<Problem>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub states: usize,
    pub alliances: usize,
    pub obligations: usize,
    pub commitments: usize,
    /// Member rows used.
    pub rows: usize,
    /// How many of those rows needed each approximation (keyed by the
    /// names of docs/import.md).
    pub approximations: BTreeMap<&'static str, usize>,
    /// Alliance spans left out because fewer than two members were in them:
    /// the ATOP id and the span.
    pub single_member_spans: Vec<(u32, DayRange)>,
}

/// The inputs of `dtr import atop`.
pub struct Inputs {
    pub members: Table,
    pub alliances: Table,
    pub states: Table,
    pub capabilities: Option<Table>,
    /// The command line, written into the catalogue's header.
    pub command: String,
}

/// The checked data, read once; [`Loaded::catalogue`] writes the catalogue
/// for a period.
pub struct Loaded {
    states: States,
    alliances: AllianceDates,
    rows: Vec<Member>,
    capabilities: Option<Table>,
    command: String,
    /// Bad rows of the ATOP and COW files.
    pub problems: Vec<Problem>,
}

/// Reads and checks the files. A file that cannot be used at all (a
/// missing column) is an `Err`; bad rows are `problems`, and left out.
pub fn load(inputs: Inputs) -> Result<Loaded, Problem> {
    let mut problems = Vec::new();
    let states = states::read(&inputs.states, &mut problems)?;
    let alliances = read_alliances(&inputs.alliances, &mut problems)?;
    let rows = read_members(&inputs.members, &states, &alliances, &mut problems)?;
    Ok(Loaded { states, alliances, rows, capabilities: inputs.capabilities, command: inputs.command, problems })
}

impl Loaded {
    /// The catalogue for `period`, with every bad row found (the
    /// capabilities file is read for the period, since it picks a year).
    pub fn catalogue(&self, period: Coverage) -> Result<Import, Problem> {
        self.catalogue_calibrated(period, None)
    }

    /// [`Loaded::catalogue`] with each defence and offence provision's
    /// credibility from `calibration` (None: every provision at 100%).
    pub fn catalogue_calibrated(&self, period: Coverage, calibration: Option<&Calibration>) -> Result<Import, Problem> {
        let mut problems = self.problems.clone();
        let capabilities = match &self.capabilities {
            Some(table) => capabilities::read(table, &self.states, period, &mut problems)?,
            None => Capabilities::default(),
        };
        let built = catalog::build(&self.rows, &self.states, &self.alliances, &capabilities, period);
        let written = emit::write(&built, &self.states, &self.command, period, calibration);
        // The canonical layout of `dtr fmt`; failing here is a bug of the
        // writer (or the formatter), never of the data.
        let text = dtr::fmt::format(&written).map_err(|d| Problem {
            file: "(catalogue)".into(),
            line: 0,
            message: format!(
                "internal error: the written catalogue does not format: {}",
                d.first().map_or("", |d| d.message.as_str())
            ),
            warning: false,
        })?;
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Ok(Import { text, problems, summary: built.summary })
    }

    /// COW codes of the states in the system on `day`, ascending.
    pub fn states_on(&self, day: Day) -> Vec<u32> {
        self.states.in_system(day, day).map(|s| s.ccode).collect()
    }

    /// The actor code the catalogue gives the state `ccode`.
    pub fn actor_code(&self, ccode: u32) -> Option<&str> {
        self.states.get(ccode).map(|s| s.code.as_str())
    }

    /// The states that owe `ally` a defence on `day` under an alliance
    /// both are members of then (ATOP `defense` on their own row),
    /// ascending, each under the smallest such alliance.
    pub fn defence_allies(&self, ally: u32, day: Day) -> Vec<Tie> {
        let in_force = |r: &&Member| r.entry <= day && r.exit.is_none_or(|x| x >= day);
        let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for r in self.rows.iter().filter(in_force) {
            let list = members.entry(r.atopid).or_default();
            if !list.contains(&r.ccode) {
                list.push(r.ccode);
            }
        }
        let mut allies: BTreeMap<u32, Tie> = BTreeMap::new();
        for r in self.rows.iter().filter(in_force).filter(|r| r.ccode != ally && r.flags.defense) {
            let Some(list) = members.get(&r.atopid).filter(|l| l.contains(&ally)) else { continue };
            let tie = Tie { ally: r.ccode, members: list.clone(), location_limited: r.flags.defcoloc };
            let best = allies.entry(r.ccode).or_insert_with(|| tie.clone());
            if list.len() < best.members.len() {
                *best = tie;
            }
        }
        allies.into_values().collect()
    }

    /// The states that hold a neutrality or nonaggression promise toward
    /// `opener` on `day` (ATOP `neutral` or `nonagg` on their own row of an
    /// alliance both are members of then), ascending.
    pub fn promisers(&self, opener: u32, day: Day) -> Vec<u32> {
        let in_force = |r: &&Member| r.entry <= day && r.exit.is_none_or(|x| x >= day);
        let bound: BTreeSet<u32> =
            self.rows.iter().filter(in_force).filter(|r| r.ccode == opener).map(|r| r.atopid).collect();
        let promising = |r: &&Member| r.ccode != opener && (r.flags.neutral || r.flags.nonagg);
        let states: BTreeSet<u32> = self
            .rows
            .iter()
            .filter(in_force)
            .filter(promising)
            .filter(|r| bound.contains(&r.atopid))
            .map(|r| r.ccode)
            .collect();
        states.into_iter().collect()
    }

    /// Every day on which the alliance system changes: a member enters, or
    /// the day after one leaves. Ascending, without repeats.
    pub fn change_days(&self) -> Vec<Day> {
        let days: BTreeSet<Day> =
            self.rows.iter().flat_map(|r| [Some(r.entry), r.exit.map(Day::next)]).flatten().collect();
        days.into_iter().collect()
    }
}

/// A state's defence owed to another ([`Loaded::defence_allies`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    pub ally: u32,
    /// The members of the alliance (the smallest, when several hold the defence).
    pub members: Vec<u32>,
    /// ATOP limits the defence to a location (`defcoloc`).
    pub location_limited: bool,
}

/// Reads the files and writes the catalogue for `period` in one go.
pub fn import(inputs: Inputs, period: Coverage) -> Result<Import, Problem> {
    load(inputs)?.catalogue(period)
}

/// The alliance-level file: each ATOP id with its first and last day.
pub struct AllianceDates {
    pub span: HashMap<u32, DayRange>,
}

#[derive(Deserialize)]
struct AllianceRow {
    atopid: Option<u32>,
    begyr: Option<i32>,
    begmo: Option<u32>,
    begday: Option<u32>,
    endyr: Option<i32>,
    endmo: Option<u32>,
    endday: Option<u32>,
}

fn read_alliances(table: &Table, problems: &mut Vec<Problem>) -> Result<AllianceDates, Problem> {
    let mut reader = table.reader();
    require_columns(table, &mut reader, &["atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday"])?;
    let mut span = HashMap::new();
    for (line, row) in rows::<AllianceRow>(table, &mut reader, problems) {
        let result = (|| {
            let id = row.atopid.ok_or("`atopid` is missing")?;
            let (start, _) = entry_day(row.begyr, row.begmo, row.begday).map_err(|e| format!("begin date: {e}"))?;
            let (end, _) = exit_day(row.endyr, row.endmo, row.endday).map_err(|e| format!("end date: {e}"))?;
            if end.is_some_and(|e| e < start) {
                return Err("the alliance ends before it begins".to_string());
            }
            Ok((id, DayRange { start, end }))
        })();
        match result {
            Ok((id, s)) => {
                if span.insert(id, s).is_some() {
                    problems.push(table.problem(line, format!("ATOP {id} is listed twice; the later row is kept")));
                }
            }
            Err(e) => problems.push(table.problem(line, format!("{e}; row skipped"))),
        }
    }
    Ok(AllianceDates { span })
}

/// One checked member row.
#[derive(Clone, Debug)]
pub struct Member {
    pub line: u64,
    pub atopid: u32,
    pub phase: u32,
    pub ccode: u32,
    pub entry: Day,
    /// `dayent` was missing: `entry` is the first of the month.
    pub entry_day_unknown: bool,
    /// None: still in force at the end of the data (2018-12-31).
    pub exit: Option<Day>,
    /// `dayexit` was missing: `exit` is the last of the month.
    pub exit_day_unknown: bool,
    pub flags: Flags,
    /// Named threats (`statthr1`, `statthr2`), COW codes.
    pub threats: Vec<u32>,
}

/// The 0/1 columns the mapping reads (docs/import.md), by their ATOP names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub defense: bool,
    pub offense: bool,
    pub neutral: bool,
    pub nonagg: bool,
    pub consul: bool,
    pub defcoadv: bool,
    pub defcoloc: bool,
    pub defcocon: bool,
    pub defconum: bool,
    pub defcodem: bool,
    pub defconpr: bool,
    pub offcoadv: bool,
    pub offcoloc: bool,
    pub offcocon: bool,
    pub offconum: bool,
    pub offcodem: bool,
    pub neucoadv: bool,
    pub neucoloc: bool,
    pub neucocon: bool,
    pub neuconum: bool,
    pub neucodem: bool,
    pub neuconpr: bool,
    pub neucoatt: bool,
    pub concoadv: bool,
    pub concoloc: bool,
    pub concocon: bool,
    pub concoreq: bool,
    pub olimob: bool,
    pub obvary: bool,
}

/// Declares the raw member row and `Flags::from_row` from one list of the
/// 0/1 columns, so the two cannot drift apart.
macro_rules! member_row {
    ($($flag:ident),*) => {
        #[derive(Deserialize)]
        struct MemberRow {
            atopid: Option<u32>,
            member: Option<u32>,
            phase: Option<u32>,
            yrent: Option<i32>,
            moent: Option<u32>,
            dayent: Option<u32>,
            yrexit: Option<i32>,
            moexit: Option<u32>,
            dayexit: Option<u32>,
            ineffect: Option<u8>,
            statthr1: Option<u32>,
            statthr2: Option<u32>,
            $($flag: Option<u8>,)*
        }

        const FLAG_COLUMNS: &[&str] = &[$(stringify!($flag)),*];

        impl Flags {
            fn from_row(row: &MemberRow) -> Result<Flags, String> {
                Ok(Flags { $($flag: flag(row.$flag, stringify!($flag))?,)* })
            }
        }
    };
}

member_row!(
    defense, offense, neutral, nonagg, consul, defcoadv, defcoloc, defcocon, defconum, defcodem, defconpr, offcoadv,
    offcoloc, offcocon, offconum, offcodem, neucoadv, neucoloc, neucocon, neuconum, neucodem, neuconpr, neucoatt,
    concoadv, concoloc, concocon, concoreq, olimob, obvary
);

fn flag(value: Option<u8>, name: &str) -> Result<bool, String> {
    match value {
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(v) => Err(format!("`{name}` is {v}, expected 0 or 1")),
        None => Err(format!("`{name}` is missing")),
    }
}

const MEMBER_COLUMNS: &[&str] = &[
    "atopid", "member", "phase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "ineffect", "statthr1",
    "statthr2",
];

fn read_members(
    table: &Table,
    states: &States,
    alliances: &AllianceDates,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Member>, Problem> {
    let mut reader = table.reader();
    let columns: Vec<&str> = MEMBER_COLUMNS.iter().chain(FLAG_COLUMNS).copied().collect();
    require_columns(table, &mut reader, &columns)?;
    let mut members: Vec<Member> = Vec::new();
    let mut seen_ids = BTreeSet::new();
    for (line, row) in rows::<MemberRow>(table, &mut reader, problems) {
        // ATOP codes a few members COW does not list (Annam, 8152, in ATOP
        // 1320): the data's choice, which the catalogue cannot hold.
        if let Some(code) = row.member.filter(|&c| states.get(c).is_none()) {
            let message = format!("unknown state code {code} in `member` (not in the COW state list); row skipped");
            problems.push(table.warning(line, message));
            continue;
        }
        match member(line, &row, states, alliances) {
            Ok(m) => {
                let overlap = members.iter().find(|o| {
                    (o.atopid, o.phase, o.ccode) == (m.atopid, m.phase, m.ccode)
                        && DayRange { start: o.entry, end: o.exit }
                            .overlaps(m.entry, m.exit.unwrap_or(Day { year: 9999, month: 12, day: 31 }))
                });
                if let Some(o) = overlap {
                    problems.push(table.problem(
                        line,
                        format!(
                            "member {} of ATOP {} phase {} overlaps its row on line {}; row skipped",
                            m.ccode, m.atopid, m.phase, o.line
                        ),
                    ));
                    continue;
                }
                seen_ids.insert(m.atopid);
                members.push(m);
            }
            Err(e) => problems.push(table.problem(line, format!("{e}; row skipped"))),
        }
    }
    let mut orphans: Vec<u32> = alliances.span.keys().copied().filter(|id| !seen_ids.contains(id)).collect();
    orphans.sort_unstable();
    if !orphans.is_empty() {
        let ids: Vec<String> = orphans.iter().map(u32::to_string).collect();
        problems.push(
            table.problem(1, format!("no usable member row for ATOP {} (listed in the alliance file)", ids.join(", "))),
        );
    }
    Ok(members)
}

fn member(line: u64, row: &MemberRow, states: &States, alliances: &AllianceDates) -> Result<Member, String> {
    let atopid = row.atopid.ok_or("`atopid` is missing")?;
    let ccode = row.member.ok_or("`member` is missing")?;
    let phase = row.phase.ok_or("`phase` is missing")?;
    let span = alliances.span.get(&atopid).ok_or_else(|| format!("ATOP {atopid} is not in the alliance file"))?;
    let (entry, entry_day_unknown) =
        entry_day(row.yrent, row.moent, row.dayent).map_err(|e| format!("entry date: {e}"))?;
    let (exit, exit_day_unknown) =
        exit_day(row.yrexit, row.moexit, row.dayexit).map_err(|e| format!("exit date: {e}"))?;
    if let Some(x) = exit
        && x < entry
    {
        return Err(format!("the member leaves ({x}) before it enters ({entry})"));
    }
    match (row.ineffect, exit) {
        (Some(1), Some(x)) => return Err(format!("`ineffect` is 1 but the member leaves on {x}")),
        (Some(0), None) => return Err("`ineffect` is 0 but the exit date is 0/0/0 (still in force)".into()),
        (Some(0 | 1), _) => {}
        (Some(v), _) => return Err(format!("`ineffect` is {v}, expected 0 or 1")),
        (None, _) => return Err("`ineffect` is missing".into()),
    }
    if entry < span.start
        || matches!((exit, span.end), (Some(x), Some(e)) if x > e)
        || (exit.is_none() && span.end.is_some())
    {
        let end = span.end.map_or("in force".to_string(), |e| e.to_string());
        return Err(format!(
            "the member's dates lie outside ATOP {atopid}'s ({} to {end} in the alliance file)",
            span.start
        ));
    }
    let flags = Flags::from_row(row)?;
    let mut threats = Vec::new();
    for (code, column) in [(row.statthr1, "statthr1"), (row.statthr2, "statthr2")] {
        match code {
            None | Some(0) => {}
            Some(c) if states.get(c).is_some() => threats.push(c),
            Some(c) => return Err(format!("unknown state code {c} in `{column}` (not in the COW state list)")),
        }
    }
    Ok(Member { line, atopid, phase, ccode, entry, entry_day_unknown, exit, exit_day_unknown, flags, threats })
}

/// An entry date; a missing day is the first of the month (flagged).
fn entry_day(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Result<(Day, bool), String> {
    let (Some(y), Some(m)) = (year, month) else { return Err("year or month is missing".into()) };
    match day {
        Some(d) => Day::new(y, m, d).map(|d| (d, false)).ok_or_else(|| format!("{y}-{m}-{d} is not a real day")),
        None => Day::first_of_month(y, m).map(|d| (d, true)).ok_or_else(|| format!("month {m} of {y} does not exist")),
    }
}

/// An exit date: 0/0/0 means still in force; a missing day is the last of
/// the month (flagged).
fn exit_day(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Result<(Option<Day>, bool), String> {
    match (year, month, day) {
        (Some(0), Some(0), Some(0) | None) => Ok((None, false)),
        (Some(y), Some(m), Some(d)) => {
            Day::new(y, m, d).map(|d| (Some(d), false)).ok_or_else(|| format!("{y}-{m}-{d} is not a real day"))
        }
        (Some(y), Some(m), None) => {
            Day::last_of_month(y, m).map(|d| (Some(d), true)).ok_or_else(|| format!("month {m} of {y} does not exist"))
        }
        _ => Err("year or month is missing".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn real() -> Loaded {
        let read = |file: &str| {
            // data/ is at the workspace's root, two levels above this crate.
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data").join(file);
            Table::new(file, std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        };
        let inputs = Inputs {
            members: read("atop5_0m.csv"),
            alliances: read("atop5_0a.csv"),
            states: read("states2016.csv"),
            capabilities: None,
            command: String::new(),
        };
        load(inputs).expect("the real files have every column")
    }

    /// On every day on which the alliance system changes (all 1,324 of
    /// them), the catalogue for that day holds exactly the spans of the
    /// undated catalogue in force that day, with the same provisions. With
    /// the integration tests' check of the undated catalogue, this covers
    /// every date of the data without parsing 1,324 catalogues.
    #[test]
    fn every_change_day_selects_the_undated_spans_in_force() {
        let loaded = real();
        let none = Capabilities::default();
        let build = |period| catalog::build(&loaded.rows, &loaded.states, &loaded.alliances, &none, period);
        let all = build(Coverage::All);
        let days = loaded.change_days();
        assert_eq!(days.len(), 1_324);
        for day in days {
            let dated = build(Coverage::Day(day));
            let expected: Vec<&catalog::Alliance> =
                all.alliances.iter().filter(|a| a.span.overlaps(day, day)).collect();
            assert_eq!(dated.alliances.len(), expected.len(), "{day}");
            for (d, e) in dated.alliances.iter().zip(expected) {
                let key = |a: &catalog::Alliance| (a.atopid, a.phase, a.span, a.members.clone(), a.lines.clone());
                assert_eq!(key(d), key(e), "{day}");
                assert_eq!(d.obligations, e.obligations, "{day} ATOP {}", d.atopid);
                assert_eq!(d.commitments, e.commitments, "{day} ATOP {}", d.atopid);
            }
        }
    }
}
