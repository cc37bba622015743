//! Calendar days for the importer: ATOP and COW date their rows to the day,
//! sometimes to the month only, and the catalogue needs the day before and
//! after a date to cut an alliance's life into spans.

use dtr::syntax::days_in_month;
use std::fmt;

/// A real day of the proleptic Gregorian calendar. Orders like the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// The day, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY-MM-DD`, as the language writes dates.
    pub fn parse(text: &str) -> Option<Day> {
        let (year, month, day) = dtr::syntax::date(text).ok()?;
        Some(Day { year, month, day })
    }

    pub fn first_of_month(year: i32, month: u32) -> Option<Day> {
        Day::new(year, month, 1)
    }

    pub fn last_of_month(year: i32, month: u32) -> Option<Day> {
        (1..=12).contains(&month).then(|| Day { year, month, day: days_in_month(year, month) })
    }

    pub fn next(self) -> Day {
        if self.day < days_in_month(self.year, self.month) {
            Day { day: self.day + 1, ..self }
        } else if self.month < 12 {
            Day { month: self.month + 1, day: 1, ..self }
        } else {
            Day { year: self.year + 1, month: 1, day: 1 }
        }
    }

    pub fn previous(self) -> Day {
        if self.day > 1 {
            Day { day: self.day - 1, ..self }
        } else if self.month > 1 {
            Day { month: self.month - 1, day: days_in_month(self.year, self.month - 1), ..self }
        } else {
            Day { year: self.year - 1, month: 12, day: 31 }
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A closed range of days; `end: None` is still running at the end of the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    pub start: Day,
    pub end: Option<Day>,
}

impl DayRange {
    pub fn overlaps(&self, start: Day, end: Day) -> bool {
        self.start <= end && self.end.is_none_or(|e| e >= start)
    }
}

#[cfg(test)]
mod tests {
    use super::Day;

    #[test]
    fn steps_over_month_year_and_leap_day() {
        let d = |s| Day::parse(s).expect("valid day");
        assert_eq!(d("1914-07-31").next(), d("1914-08-01"));
        assert_eq!(d("1914-12-31").next(), d("1915-01-01"));
        assert_eq!(d("1900-03-01").previous(), d("1900-02-28"));
        assert_eq!(d("2000-03-01").previous(), d("2000-02-29"));
        assert_eq!(d("1915-01-01").previous(), d("1914-12-31"));
        assert_eq!(d("1939-09-01").to_string(), "1939-09-01");
        assert!(Day::parse("1914-13-01").is_none());
        assert!(Day::parse("1914-7-28").is_none());
        assert_eq!(Day::last_of_month(1916, 2), Day::new(1916, 2, 29));
    }
}
