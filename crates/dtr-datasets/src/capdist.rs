//! Capital-to-capital distances (Gleditsch's CAPDIST, `data/capdist.csv`,
//! shipped in the binary): what the entry model of the calibration reads
//! as "neighbour" (docs/import.md, entry without a treaty).

use std::collections::HashMap;
use std::sync::OnceLock;

const CAPDIST: &str = include_str!("../../../data/capdist.csv");

/// Kilometres between the capitals of two COW states, when CAPDIST has the dyad.
pub fn km(a: u32, b: u32) -> Option<u32> {
    static TABLE: OnceLock<HashMap<(u32, u32), u32>> = OnceLock::new();
    let table = TABLE.get_or_init(|| parse(CAPDIST));
    table.get(&(a.min(b), a.max(b))).copied()
}

/// Rows `numa,ida,numb,idb,kmdist,midist`; a row that does not read is skipped.
fn parse(text: &str) -> HashMap<(u32, u32), u32> {
    let mut table = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(a), Some(b), Some(km)) = (f.first(), f.get(2), f.get(4)) else { continue };
        let (Ok(a), Ok(b), Ok(km)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>(), km.trim().parse::<u32>())
        else {
            continue;
        };
        table.insert((a.min(b), a.max(b)), km);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_reads_and_a_dyad_reads_either_way_round() {
        assert_eq!(parse(CAPDIST).len(), 20_302, "the dyads of the file, each once");
        assert_eq!(km(2, 20), Some(731), "Washington-Ottawa");
        assert_eq!(km(20, 2), Some(731));
        assert_eq!(km(2, 2), None);
    }
}
