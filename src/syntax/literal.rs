//! Literal text to values: numbers, percentages, dates and strings.

/// `1_000`, `-0.5`, `1e3` → f64 (infinite when out of range).
pub fn number(text: &str) -> f64 {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean.parse::<f64>().unwrap_or(f64::NAN)
}

/// `85%` → 0.85.
pub fn percent(text: &str) -> f64 {
    number(text.trim_end_matches('%')) / 100.0
}

/// `1914-07-28` → (1914, 7, 28) if it is a real day of the proleptic
/// Gregorian calendar.
pub fn date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    (1..=12).contains(&month).then_some(())?;
    (1..=days_in_month(year, month)).contains(&day).then_some((year, month, day))
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Why a string literal could not be read: the byte offset (within the
/// literal) and length of the bad escape.
pub struct BadEscape {
    pub offset: usize,
    pub len: usize,
}

/// The value of a string literal (quotes included in `text`).
pub fn string(text: &str) -> Result<String, BadEscape> {
    let inner = &text[1..text.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'u')) => {
                let rest = &inner[i + 2..];
                let close = rest.find('}').filter(|&c| rest.starts_with('{') && (2..=7).contains(&c));
                let ch = close
                    .and_then(|close| u32::from_str_radix(&rest[1..close], 16).ok())
                    .and_then(char::from_u32);
                match (ch, close) {
                    (Some(ch), Some(close)) => {
                        out.push(ch);
                        for _ in 0..close + 1 {
                            chars.next();
                        }
                    }
                    (_, close) => return Err(BadEscape { offset: i + 1, len: close.map_or(2, |c| c + 3) }),
                }
            }
            Some((_, other)) => return Err(BadEscape { offset: i + 1, len: 1 + other.len_utf8() }),
            None => return Err(BadEscape { offset: i + 1, len: 1 }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(number("1_000"), 1000.0);
        assert_eq!(number("-0.5"), -0.5);
        assert!(number("1e400").is_infinite());
        assert!((percent("12.5%") - 0.125).abs() < 1e-12);
    }

    #[test]
    fn dates_are_real_days() {
        assert_eq!(date("1914-07-28"), Some((1914, 7, 28)));
        assert_eq!(date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(date("1900-02-29"), None);
        assert_eq!(date("1914-13-01"), None);
        assert_eq!(date("1914-00-10"), None);
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(string(r#""a\"b\\c\n\t\u{e9}""#).ok(), Some("a\"b\\c\n\té".to_string()));
        let bad = string(r#""x\u{D800}y""#).err().map(|e| (e.offset, e.len));
        assert_eq!(bad, Some((2, 8)));
        assert!(string(r#""\u{0000041}""#).is_err(), "at most six hex digits");
        assert!(string(r#""\u{}""#).is_err());
        assert!(string(r#""\q""#).is_err());
    }
}
