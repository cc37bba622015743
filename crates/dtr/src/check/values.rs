//! The ranges the language accepts for values, and the words of the errors
//! for values outside them, shared by the checker and by what comes from
//! elsewhere: the command line's what-ifs (`--set`, `--year`) and the
//! catalogues the importer writes.

use crate::diagnostic::quote;

/// Years run from −`MAX_YEAR` to `MAX_YEAR` (§2.6).
pub const MAX_YEAR: i64 = 9999;

/// Larger capabilities are refused (E0081): sums over any number of actors
/// and domains then stay far from the largest finite f64.
pub const MAX_CAPABILITY: f64 = 1e15;

/// Why `value`, read from `written` (a percentage when `percent`), is not a
/// probability, with the fix; None when it is one. A number from 1 to 100
/// written without `%` is most likely a percentage whose `%` was forgotten.
pub fn probability_problem(value: f64, percent: bool, written: &str) -> Option<(String, String)> {
    if (0.0..=1.0).contains(&value) {
        return None;
    }
    Some(if percent {
        // The literal as written: `100.0000001%` must not print as `100%`.
        (
            format!("{} is not between 0% and 100%", quote(written)),
            "a probability is a percentage from 0% to 100%".to_string(),
        )
    } else if value > 1.0 && value <= 100.0 {
        (
            format!("{} is not a probability", trim(value)),
            format!("write `{}%`, or a fraction from 0 to 1", trim(value)),
        )
    } else {
        (
            format!("{} is not a probability", trim(value)),
            "write a percentage from 0% to 100%, or a fraction from 0 to 1".to_string(),
        )
    })
}

/// At most four decimals, without trailing zeros.
fn trim(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
