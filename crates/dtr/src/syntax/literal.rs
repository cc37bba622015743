//! Literal text to values: numbers, percentages, dates and strings. The
//! one reader of each for the crate: the command line (`--set`, `--year`)
//! and the importer read numbers, probabilities and dates as a file writes
//! them (docs/language.md §2.5, §2.6), through these functions.

/// A number as §2.5 writes it (`1_000`, `-0.5`, `1e3`): its value, infinite
/// when out of range; None when `text` is not such a number (`.5`, `1_`,
/// `inf`, `+1`). `-0` is +0: a negative zero would reach reports as `-0`
/// (adding +0 turns −0 into +0 and leaves every other value as it is).
pub fn number(text: &str) -> Option<f64> {
    if !is_number(text) {
        return None;
    }
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean.parse::<f64>().ok().map(|v| v + 0.0)
}

/// A probability as §2.5 writes it: a percentage (`85%` → 0.85) or a
/// number (`0.85`); the flag says which. Not checked against [0, 1].
pub fn probability(text: &str) -> Option<(f64, bool)> {
    match text.strip_suffix('%') {
        Some(percent) => number(percent).map(|v| (v / 100.0, true)),
        None => number(text).map(|v| (v, false)),
    }
}

fn is_number(text: &str) -> bool {
    let len = number_len(text.as_bytes());
    len > 0 && len == text.len()
}

/// The length of the number that `s` starts with, 0 when none: `-`?
/// digits (`.` digits)? (`e` or `E`, `+` or `-`?, digits)?, where digits
/// are ASCII digits with single `_` between two of them. A `.` or an
/// exponent without digits after it is not part of the number (`1.x` and
/// `1ex` start with `1`).
pub(crate) fn number_len(s: &[u8]) -> usize {
    let digits = |from: usize| {
        let mut end = from;
        while s.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
            if s.get(end) == Some(&b'_') && s.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
        }
        end - from
    };
    let sign = usize::from(s.first() == Some(&b'-'));
    let whole = digits(sign);
    if whole == 0 {
        return 0;
    }
    let mut end = sign + whole;
    if s.get(end) == Some(&b'.') && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    if matches!(s.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(s.get(end + 1), Some(b'+' | b'-')));
        let exponent = digits(end + 1 + sign);
        if exponent > 0 {
            end += 1 + sign + exponent;
        }
    }
    end
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotADate {
    /// Not written `YYYY-MM-DD` (four digits, two, two).
    Form,
    /// Written so, but no such day (`2023-02-29`).
    NoSuchDay,
}

/// `1914-07-28` → (1914, 7, 28), if it is written `YYYY-MM-DD` and is a
/// real day of the proleptic Gregorian calendar (§2.6).
pub fn date(text: &str) -> Result<(i32, u32, u32), NotADate> {
    if !is_date_form(text.as_bytes()) {
        return Err(NotADate::Form);
    }
    let (year, month, day) = (
        text[..4].parse().map_err(|_| NotADate::Form)?,
        text[5..7].parse().map_err(|_| NotADate::Form)?,
        text[8..].parse().map_err(|_| NotADate::Form)?,
    );
    let real = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    if real { Ok((year, month, day)) } else { Err(NotADate::NoSuchDay) }
}

/// Whether `b` is written `YYYY-MM-DD`: four digits, two, two.
pub(crate) fn is_date_form(b: &[u8]) -> bool {
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
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
                // `{…}` as written: through its `}`, or to the end of the string.
                let braces = if rest.starts_with('{') { rest.find('}').map_or(rest.len(), |c| c + 1) } else { 0 };
                let digits = rest.get(1..braces.saturating_sub(1)).unwrap_or("");
                let ch = (rest[..braces].ends_with('}')
                    && (1..=6).contains(&digits.len())
                    && digits.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(digits, 16).ok().and_then(char::from_u32))
                .flatten();
                match ch {
                    Some(ch) => {
                        out.push(ch);
                        for _ in 0..braces {
                            chars.next();
                        }
                    }
                    None => return Err(BadEscape { offset: i + 1, len: 2 + braces }),
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
        assert_eq!(number("1_000"), Some(1000.0));
        assert_eq!(number("-0.5"), Some(-0.5));
        assert_eq!(number("2.5e3"), Some(2500.0));
        assert_eq!(number("1E-2"), Some(0.01));
        assert!(number("1e400").is_some_and(f64::is_infinite));
        for not in ["", "-", ".5", "5.", "1_", "_1", "1__0", "1e", "1e+", "+1", "inf", "NaN", "0x10", " 1", "1 "] {
            assert_eq!(number(not), None, "{not:?}");
        }
        let (p, percent) = probability("12.5%").unwrap();
        assert!((p - 0.125).abs() < 1e-12 && percent);
        assert_eq!(probability("0.4"), Some((0.4, false)));
        assert_eq!(probability("40 %"), None);
        assert_eq!(probability("%"), None);
        assert!(number("-0").is_some_and(f64::is_sign_positive) && number("-0.0e5").is_some_and(f64::is_sign_positive));
        assert!(probability("-0%").is_some_and(|(v, _)| v.is_sign_positive()));
    }

    #[test]
    fn dates_are_real_days_written_yyyy_mm_dd() {
        assert_eq!(date("1914-07-28"), Ok((1914, 7, 28)));
        assert_eq!(date("2024-02-29"), Ok((2024, 2, 29)));
        assert_eq!(date("1900-02-29"), Err(NotADate::NoSuchDay));
        assert_eq!(date("1914-13-01"), Err(NotADate::NoSuchDay));
        assert_eq!(date("1914-00-10"), Err(NotADate::NoSuchDay));
        for not in ["1914-7-28", "1914-07-28x", "+914-07-28", "1914_07_28", "19140728", "1914-07-2８"] {
            assert_eq!(date(not), Err(NotADate::Form), "{not:?}");
        }
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(string(r#""a\"b\\c\n\t\u{e9}""#).ok(), Some("a\"b\\c\n\té".to_string()));
        let bad = string(r#""x\u{D800}y""#).err().map(|e| (e.offset, e.len));
        assert_eq!(bad, Some((2, 8)));
        assert!(string(r#""\u{0000041}""#).is_err(), "at most six hex digits");
        // A bad `\u` escape is all of it as written.
        fn written(text: &str) -> Option<&str> {
            string(text).err().map(|e| &text[e.offset..e.offset + e.len])
        }
        assert_eq!(written(r#""\u{}""#), Some(r"\u{}"));
        assert_eq!(written(r#""\u{+41}""#), Some(r"\u{+41}"));
        assert_eq!(written(r#""\u{41""#), Some(r"\u{41"));
        assert_eq!(written(r#""\u41""#), Some(r"\u"));
        assert!(string(r#""\q""#).is_err());
    }
}
