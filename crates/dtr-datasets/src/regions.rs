//! COW's regions, read from the country code: COW numbers states by region
//! (docs/import.md, geography), so every state of the list has one.

/// One of COW's six regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Americas,
    Europe,
    Africa,
    MiddleEast,
    Asia,
    Oceania,
}

impl Region {
    pub const ALL: [Region; 6] =
        [Region::Americas, Region::Europe, Region::Africa, Region::MiddleEast, Region::Asia, Region::Oceania];

    /// The region of COW country code `ccode`: 2-165 the Americas, 200-399
    /// Europe, 400-626 Africa, 630-699 the Middle East, 700-899 Asia,
    /// 900-999 Oceania; None outside those ranges.
    pub fn of(ccode: u32) -> Option<Region> {
        match ccode {
            2..=165 => Some(Region::Americas),
            200..=399 => Some(Region::Europe),
            400..=626 => Some(Region::Africa),
            630..=699 => Some(Region::MiddleEast),
            700..=899 => Some(Region::Asia),
            900..=999 => Some(Region::Oceania),
            _ => None,
        }
    }

    /// The region's name in a catalogue.
    pub fn name(self) -> &'static str {
        match self {
            Region::Americas => "americas",
            Region::Europe => "europe",
            Region::Africa => "africa",
            Region::MiddleEast => "middle_east",
            Region::Asia => "asia",
            Region::Oceania => "oceania",
        }
    }
}

/// Both states are in the same COW region.
pub fn same(a: u32, b: u32) -> bool {
    Region::of(a).is_some_and(|r| Region::of(b) == Some(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_follow_cows_numbering() {
        assert_eq!(Region::of(2), Some(Region::Americas), "United States");
        assert_eq!(Region::of(255), Some(Region::Europe), "Germany");
        assert_eq!(Region::of(625), Some(Region::Africa), "Sudan");
        assert_eq!(Region::of(651), Some(Region::MiddleEast), "Egypt");
        assert_eq!(Region::of(740), Some(Region::Asia), "Japan");
        assert_eq!(Region::of(900), Some(Region::Oceania), "Australia");
        assert_eq!(Region::of(1), None);
        assert!(same(200, 220) && !same(2, 200));
    }
}
