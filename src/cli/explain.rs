//! `dtr explain CODE`: the long explanation of a diagnostic code.

use super::Outcome;
use dtr::diagnostic::Code;

pub fn run(code: &str) -> Outcome {
    match Code::parse(code) {
        Some(c) => {
            print!("{}", c.explanation());
            Outcome::Clean
        }
        None => {
            eprintln!("error: unknown code `{code}`. The codes are:");
            for c in Code::ALL {
                eprintln!("  {c}  {}", c.title());
            }
            Outcome::Failed
        }
    }
}
