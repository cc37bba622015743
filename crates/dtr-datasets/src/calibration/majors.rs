//! The COW major powers (State System Membership v2016, `majors2016`), by
//! year: the calibration's `major_power` feature. Written out because the
//! list is short and the project's data/ has no copy of it.

/// COW code and the years (inclusive) of each spell as a major power.
const MAJORS: &[(u32, &[(i32, i32)])] = &[
    (2, &[(1898, 2016)]),
    (200, &[(1816, 2016)]),
    (220, &[(1816, 1940), (1945, 2016)]),
    (255, &[(1816, 1918), (1925, 1945), (1991, 2016)]),
    (300, &[(1816, 1918)]),
    (325, &[(1860, 1943)]),
    (365, &[(1816, 1917), (1922, 2016)]),
    (710, &[(1950, 2016)]),
    (740, &[(1895, 1945), (1991, 2016)]),
];

/// Whether `ccode` is a major power in `year` (the last spell continues after 2016).
pub fn is_major(ccode: u32, year: i32) -> bool {
    MAJORS
        .iter()
        .any(|(c, spells)| *c == ccode && spells.iter().any(|&(from, to)| year >= from && (year <= to || to == 2016)))
}

#[cfg(test)]
mod tests {
    use super::is_major;

    #[test]
    fn spells_follow_the_cow_list() {
        assert!(is_major(2, 1898) && !is_major(2, 1897) && is_major(2, 2020));
        assert!(!is_major(220, 1942) && is_major(220, 1945));
        assert!(!is_major(255, 1920) && is_major(255, 1939) && !is_major(255, 1960));
        assert!(!is_major(740, 1960) && is_major(740, 1904));
        assert!(!is_major(640, 1900));
    }
}
