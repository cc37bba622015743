//! Text corruption for near-valid programs: a few edits of the kind a
//! person makes mid-keystroke (a deleted or repeated span, a stray token,
//! swapped lines, a cut-off file) and some hostile ones (deep nesting, long
//! runs of `not`, odd characters).

use arbitrary::{Result, Unstructured};

/// Tokens a person might type in the wrong place, and hostile ones.
const TOKENS: [&str; 24] = [
    "{", "}", "[", "]", "(", ")", ":", ",", "->", ">=", "%", "\"", "/*", "*/", "//", "///", "actor", "attack", "not",
    "member", "\u{FEFF}", "\0", "\u{202E}", "\r",
];

/// Applies one to four edits to `text`; every cut falls on a character
/// boundary, so the result stays UTF-8.
pub fn mutate(text: &str, u: &mut Unstructured) -> Result<String> {
    let mut text = text.to_owned();
    for _ in 0..u.int_in_range(1..=4)? {
        text = edit(&text, u)?;
    }
    Ok(text)
}

fn edit(text: &str, u: &mut Unstructured) -> Result<String> {
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let mut at = || -> Result<usize> { Ok(cuts[u.int_in_range(0..=cuts.len() - 1)?]) };
    let (a, b) = {
        let (x, y) = (at()?, at()?);
        (x.min(y), x.max(y))
    };
    let (before, middle, after) = (&text[..a], &text[a..b], &text[b..]);
    Ok(match u.int_in_range(0..=7)? {
        0 => format!("{before}{after}"),
        1 => format!("{before}{middle}{middle}{after}"),
        2 => format!("{before}{}{middle}{after}", u.choose(&TOKENS)?),
        3 => before.to_owned(),
        4 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.len() > 1 {
                let i = u.choose_index(lines.len())?;
                let j = u.choose_index(lines.len())?;
                lines.swap(i, j);
            }
            lines.join("\n")
        }
        5 => {
            // Deeper than the parser's nesting limit, or just under it.
            let depth = *u.choose(&[3usize, 99, 100, 101, 5000])?;
            format!("{before}{}attack{}{after}", "(".repeat(depth), ")".repeat(depth))
        }
        6 => format!("{before}{}attack{after}", "not ".repeat(*u.choose(&[2usize, 1000, 20_000])?)),
        _ => format!(
            "{before}{}{after}",
            u.choose(&["1e400", "-0", "NaN", "100.0000001%", "0000-00-00", "99999", "\"\\u{110000}\"", "é\u{301}"])?
        ),
    })
}
