//! "Did you mean …?" by string similarity over names of the right kind.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase());
        if score >= 0.5 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos() {
        let names = ["EST", "LVA", "LTU", "USA"];
        assert_eq!(closest("ETS", names), Some("EST"));
        assert_eq!(closest("usa", names), Some("USA"));
        assert_eq!(closest("limted_war", ["limited_war", "crisis"]), Some("limited_war"));
        assert_eq!(closest("QQQ", names), None);
    }
}
