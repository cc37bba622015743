//! `dtr explain CODE`: the long explanation of a diagnostic code.

use super::Outcome;
use dtr::diagnostic::Code;

pub fn run(code: &str) -> Outcome {
    match Code::parse(code) {
        Some(c) => {
            out!("{}", c.explanation());
            Outcome::Clean
        }
        None => {
            errln!("error: unknown code `{code}`. The codes are:");
            for c in Code::ALL {
                errln!("  {c}  {}", c.title());
            }
            Outcome::Failed
        }
    }
}
