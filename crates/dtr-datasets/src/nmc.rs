//! Each state's CINC by year, from COW's National Material Capabilities
//! v6.0 (`data/NMC-60-abridged.csv`, shipped in the binary like the
//! capital distances): what the calibration's capability features read, so
//! that the importer's default invocation needs no file beyond ATOP's and
//! COW's state list.

use std::collections::HashMap;
use std::sync::OnceLock;

const NMC: &str = include_str!("../../../data/NMC-60-abridged.csv");

/// The smallest CINC the features read: below it (or missing) the state
/// counts as this small, so that a logarithm stays finite. NMC's smallest
/// positive shares are of this order.
pub const FLOOR: f64 = 1e-5;

/// The state's CINC in `year`, or in its latest year before (NMC ends in
/// 2016); None when NMC has no value for it by then.
pub fn cinc(ccode: u32, year: i32) -> Option<f64> {
    static TABLE: OnceLock<HashMap<u32, Vec<(i32, f64)>>> = OnceLock::new();
    let years = TABLE.get_or_init(|| parse(NMC)).get(&ccode)?;
    let i = years.partition_point(|&(y, _)| y <= year);
    i.checked_sub(1).map(|i| years[i].1)
}

/// ln(CINC), at least ln([`FLOOR`]).
pub fn log_cinc(ccode: u32, year: i32) -> f64 {
    cinc(ccode, year).unwrap_or(0.0).max(FLOOR).ln()
}

/// Rows `stateabb,ccode,year,…,cinc,version`; `-9` (missing) and rows that
/// do not read are skipped. Each state's years ascending.
fn parse(text: &str) -> HashMap<u32, Vec<(i32, f64)>> {
    let mut table: HashMap<u32, Vec<(i32, f64)>> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(c), Some(y), Some(v)) = (f.get(1), f.get(2), f.get(9)) else { continue };
        let (Ok(c), Ok(y), Ok(v)) = (c.parse::<u32>(), y.parse::<i32>(), v.parse::<f64>()) else { continue };
        if v >= 0.0 {
            table.entry(c).or_default().push((y, v));
        }
    }
    for years in table.values_mut() {
        years.sort_by_key(|&(y, _)| y);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_reads_and_later_years_take_the_last_value() {
        assert_eq!(parse(NMC).values().map(Vec::len).sum::<usize>(), 15_951, "every row of the file");
        assert_eq!(cinc(2, 1816), Some(0.039697491), "the United States in 1816");
        assert_eq!(cinc(2, 2030), cinc(2, 2016));
        assert_eq!(cinc(2, 1700), None);
        assert_eq!(log_cinc(99_999, 1900), FLOOR.ln());
    }
}
