//! COW Inter-State War data (v4.0 layout): one row per state's
//! participation in a war, grouped into wars with their opening attack.
//!
//! The opening rule (docs/backtest.md): the initiator is the earliest
//! entrant on the side coded `Initiator = 1` (side 1 when no row is so
//! coded, or both sides are); the target is the earliest entrant on the
//! other side. Ties on the day go to a state coded `Initiator = 1` itself,
//! then to the lower COW code, so the rule never depends on row order. The war begins on the earlier of the two entries.

use super::day::Day;
use super::{Problem, Table, require_columns, rows};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One war and who took part in it.
#[derive(Clone, Debug, PartialEq)]
pub struct War {
    pub number: u32,
    pub name: String,
    pub participants: Vec<Participant>,
    /// COW codes of the opening attack.
    pub initiator: u32,
    pub target: u32,
    /// The day of the opening attack.
    pub start: Day,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    pub ccode: u32,
    /// 1 or 2, as coded.
    pub side: u8,
    /// The first day of its first spell in the war.
    pub entry: Day,
    pub initiator: bool,
}

impl War {
    pub fn era(&self) -> Era {
        Era::of(self.start.year)
    }

    /// The COW side of the initiator (the opener's side).
    pub fn opener_side(&self) -> u8 {
        self.participants.iter().find(|p| p.ccode == self.initiator).map_or(1, |p| p.side)
    }

    /// The participation of `ccode`, if it took part.
    pub fn participant(&self, ccode: u32) -> Option<&Participant> {
        self.participants.iter().find(|p| p.ccode == ccode)
    }
}

/// The three eras of the issue and of the data's split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Era {
    #[serde(rename = "1816-1913")]
    Before1914,
    #[serde(rename = "1914-1945")]
    WorldWars,
    #[serde(rename = "1946-2007")]
    After1945,
}

impl Era {
    pub const ALL: [Era; 3] = [Era::Before1914, Era::WorldWars, Era::After1945];

    pub fn of(year: i32) -> Era {
        match year {
            ..=1913 => Era::Before1914,
            1914..=1945 => Era::WorldWars,
            _ => Era::After1945,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Era::Before1914 => "1816-1913",
            Era::WorldWars => "1914-1945",
            Era::After1945 => "1946-2007",
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Row {
    war_num: Option<u32>,
    war_name: Option<String>,
    #[serde(rename = "ccode")]
    ccode: Option<u32>,
    side: Option<u8>,
    start_month1: Option<i32>,
    start_day1: Option<i32>,
    start_year1: Option<i32>,
    initiator: Option<u8>,
}

const COLUMNS: &[&str] = &["WarNum", "WarName", "ccode", "Side", "StartMonth1", "StartDay1", "StartYear1", "Initiator"];

/// Reads the wars in war-number order. Rows that cannot be used are
/// problems and left out; a war without two sides is a problem too.
pub fn read(table: &Table, problems: &mut Vec<Problem>) -> Result<Vec<War>, Problem> {
    let mut reader = table.reader();
    require_columns(table, &mut reader, COLUMNS)?;
    let mut by_number: BTreeMap<u32, (String, u64, Vec<Participant>)> = BTreeMap::new();
    for (line, row) in rows::<Row>(table, &mut reader, problems) {
        match participant(&row) {
            Ok((number, name, p)) => {
                let war = by_number.entry(number).or_insert_with(|| (name, line, Vec::new()));
                if war.2.iter().any(|q| q.ccode == p.ccode) {
                    problems.push(
                        table.problem(line, format!("state {} is listed twice in war {number}; row skipped", p.ccode)),
                    );
                    continue;
                }
                war.2.push(p);
            }
            Err(e) => problems.push(table.problem(line, format!("{e}; row skipped"))),
        }
    }
    let mut wars = Vec::new();
    for (number, (name, line, participants)) in by_number {
        match opening(&participants) {
            Some((initiator, target, start)) => {
                wars.push(War { number, name, participants, initiator, target, start });
            }
            None => problems.push(
                table
                    .problem(line, format!("war {number} ({name}) lacks a state on one of its two sides; war skipped")),
            ),
        }
    }
    Ok(wars)
}

fn participant(row: &Row) -> Result<(u32, String, Participant), String> {
    let number = row.war_num.ok_or("`WarNum` is missing")?;
    let name = row.war_name.clone().unwrap_or_default();
    let ccode = row.ccode.ok_or("`ccode` is missing")?;
    let side = row.side.filter(|s| matches!(s, 1 | 2)).ok_or("`Side` is not 1 or 2")?;
    let (Some(y), Some(m), Some(d)) = (row.start_year1, row.start_month1, row.start_day1) else {
        return Err("the start date is missing".into());
    };
    // COW writes -9 for an unknown day or month: the first of the month, or of the year.
    let entry = match (u32::try_from(m), u32::try_from(d)) {
        (Ok(m), Ok(d)) => Day::new(y, m, d),
        (Ok(m), Err(_)) => Day::first_of_month(y, m),
        _ => Day::new(y, 1, 1),
    }
    .ok_or_else(|| format!("the start date {y}-{m}-{d} is not a real day"))?;
    let initiator = row.initiator == Some(1);
    Ok((number, name, Participant { ccode, side, entry, initiator }))
}

/// The opening rule of the module's documentation: initiator, target, day.
fn opening(participants: &[Participant]) -> Option<(u32, u32, Day)> {
    let coded: Vec<u8> =
        [1, 2].into_iter().filter(|&s| participants.iter().any(|p| p.side == s && p.initiator)).collect();
    let opener_side = if coded.len() == 1 { coded[0] } else { 1 };
    let earliest =
        |side: u8| participants.iter().filter(|p| p.side == side).min_by_key(|p| (p.entry, !p.initiator, p.ccode));
    let initiator = earliest(opener_side)?;
    let target = earliest(3 - opener_side)?;
    Some((initiator.ccode, target.ccode, initiator.entry.min(target.entry)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "WarNum,WarName,WarType,ccode,StateName,Side,StartMonth1,StartDay1,StartYear1,Initiator\n";

    fn read_text(text: &str) -> (Vec<War>, Vec<Problem>) {
        let mut problems = Vec::new();
        let wars = read(&Table::new("w.csv", format!("{HEADER}{text}").into_bytes()), &mut problems).unwrap();
        (wars, problems)
    }

    #[test]
    fn the_earliest_entrant_of_the_initiating_side_opens_against_the_earliest_other() {
        let (wars, problems) = read_text(
            "7,Test,1,2,USA,2,5,3,1900,2\n\
             7,Test,1,200,UK,1,5,2,1900,1\n\
             7,Test,1,220,France,1,5,1,1900,2\n\
             7,Test,1,255,Germany,2,5,1,1900,2\n\
             7,Test,1,250,Other,2,5,1,1900,2\n\
             8,Tie,1,645,Iraq,2,5,15,1948,2\n\
             8,Tie,1,663,Jordan,2,5,15,1948,1\n\
             8,Tie,1,666,Israel,1,5,15,1948,2\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let w = &wars[0];
        assert_eq!((w.initiator, w.target), (220, 250), "earliest of side 1; tie on side 2 to the lower code");
        assert_eq!(w.start, Day::new(1900, 5, 1).unwrap());
        assert_eq!(w.opener_side(), 1);
        assert_eq!(w.era(), Era::Before1914);
        assert_eq!((wars[1].initiator, wars[1].target), (663, 666), "a tie goes to the state coded initiator");
        assert_eq!(wars[1].opener_side(), 2);
    }

    #[test]
    fn an_unknown_day_is_the_first_of_the_month_and_a_one_sided_war_is_a_problem() {
        let (wars, problems) =
            read_text("1,A,1,2,USA,1,5,-9,1950,1\n1,A,1,20,CAN,2,6,2,1950,2\n2,B,1,2,USA,1,1,1,1950,1\n");
        assert_eq!(wars.len(), 1);
        assert_eq!(wars[0].start, Day::new(1950, 5, 1).unwrap());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("war 2 (B) lacks a state"), "{}", problems[0]);
    }
}
