//! Grammar-aware generation of DTR programs, for the fuzzer and the tests.
//!
//! Every choice is read from [`arbitrary::Unstructured`] bytes, so the same
//! generator serves libFuzzer (which mutates the bytes and keeps those that
//! reach new code) and ordinary tests (which draw the bytes from a seed:
//! [`from_seed`]). [`program`] writes a program that checks without errors:
//! it covers every declaration form of the language (settings, domains,
//! regions with containment, actors, alliances with every obligation kind,
//! commitments of every kind, conditions of every form with nesting,
//! threats, scenarios and every kind of `expect` line), in varied layout
//! (separators, commas, comments, string escapes). [`near_valid`] also
//! plants semantic faults and then corrupts the text ([`mutate`]), to reach
//! the error paths. [`invariants`] is the harness both run through.
//!
//! This is not `crate::generate`, which writes large, regular benchmark
//! worlds; this one aims at variety in small programs.

mod condition;
mod declarations;
pub mod invariants;
pub mod mutate;

use arbitrary::Unstructured;
use rand::RngCore;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A program that checks without errors (warnings are allowed).
pub fn program(u: &mut Unstructured) -> arbitrary::Result<String> {
    declarations::write(&mut Gen { u, faults: false })
}

/// A program with planted semantic faults (unknown names, values out of
/// range, duplicates, …) whose text is then corrupted by [`mutate::mutate`].
pub fn near_valid(u: &mut Unstructured) -> arbitrary::Result<String> {
    let text = declarations::write(&mut Gen { u, faults: true })?;
    mutate::mutate(&text, u)
}

/// `size` bytes drawn from `seed`, for tests that want the generator
/// without a fuzzer: the same seed gives the same bytes.
pub fn seed_bytes(seed: u64, size: usize) -> Vec<u8> {
    let mut bytes = vec![0; size];
    ChaCha8Rng::seed_from_u64(seed).fill_bytes(&mut bytes);
    bytes
}

/// The valid program that `seed` gives (see [`program`]).
pub fn from_seed(seed: u64) -> String {
    let bytes = seed_bytes(seed, 4096);
    // Running out of bytes makes every later choice the first one, which
    // still gives a program; only an empty choice list errors, and the
    // generator offers none.
    program(&mut Unstructured::new(&bytes)).unwrap_or_default()
}

/// The generator's state: where its choices come from, and whether it may
/// plant faults.
struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    faults: bool,
}

impl Gen<'_, '_> {
    fn int(&mut self, low: u32, high: u32) -> arbitrary::Result<u32> {
        self.u.int_in_range(low..=high)
    }

    fn index(&mut self, len: usize) -> arbitrary::Result<usize> {
        if len == 0 { Ok(0) } else { self.u.int_in_range(0..=len - 1) }
    }

    /// True with probability about `numerator / denominator`.
    fn chance(&mut self, numerator: u8, denominator: u8) -> arbitrary::Result<bool> {
        self.u.ratio(numerator, denominator)
    }

    /// A planted fault: only in near-valid mode, about one choice in twelve.
    fn fault(&mut self) -> arbitrary::Result<bool> {
        Ok(self.faults && self.chance(1, 12)?)
    }

    fn pick<'s>(&mut self, items: &'s [&'s str]) -> arbitrary::Result<&'s str> {
        Ok(self.u.choose(items)?)
    }

    /// Some distinct indices below `len` (at least `min`, if there are that
    /// many), in a drawn order.
    fn subset(&mut self, len: usize, min: usize) -> arbitrary::Result<Vec<usize>> {
        let mut rest: Vec<usize> = (0..len).collect();
        let mut chosen = Vec::new();
        while !rest.is_empty() && (chosen.len() < min || self.chance(1, 2)?) {
            let i = self.index(rest.len())?;
            chosen.push(rest.remove(i));
        }
        Ok(chosen)
    }

    /// White space between two tokens: mostly a space, sometimes a line
    /// break, a tab or a comment.
    fn space(&mut self) -> arbitrary::Result<&'static str> {
        Ok(match self.int(0, 19)? {
            0 => "\n    ",
            1 => "\t",
            2 => " /* note */ ",
            3 => " /* nested /* block */ comment */ ",
            4 => " // to the end of the line\n  ",
            _ => " ",
        })
    }

    /// Between two fields of a block: a line break, a space or a comma.
    fn field_separator(&mut self) -> arbitrary::Result<&'static str> {
        Ok(match self.int(0, 9)? {
            0 => " ",
            1 => ", ",
            2 => ",\n  ",
            3 => "\n  // between fields\n  ",
            4 => "\r\n  ",
            _ => "\n  ",
        })
    }

    /// Between two declarations, with the occasional comment.
    fn declaration_separator(&mut self) -> arbitrary::Result<&'static str> {
        Ok(match self.int(0, 11)? {
            0 => "\n\n",
            1 => "\n// a line comment\n",
            2 => "\n/// A doc comment for what follows.\n",
            3 => "\n/* a block\n   comment */\n",
            4 => " ",
            _ => "\n",
        })
    }

    /// A probability, as a percentage or a fraction.
    fn probability(&mut self) -> arbitrary::Result<String> {
        if self.fault()? {
            return Ok(self.pick(&["100.5%", "150%", "1.5", "-10%", "1e400%"])?.to_owned());
        }
        Ok(match self.int(0, 5)? {
            0 => format!("{}%", self.int(0, 100)?),
            1 => format!("{}.{}%", self.int(0, 99)?, self.int(1, 9)?),
            2 => format!("0.{:02}", self.int(0, 99)?),
            3 => self.pick(&["0", "1", "0%", "100%", "1.0"])?.to_owned(),
            _ => format!("{}%", 5 * self.int(0, 20)?),
        })
    }

    /// A non-negative number in one of the spellings the lexer accepts.
    fn amount(&mut self) -> arbitrary::Result<String> {
        if self.fault()? {
            return Ok(self.pick(&["-5", "-0.5", "1e400"])?.to_owned());
        }
        Ok(match self.int(0, 5)? {
            0 => format!("{}.{}", self.int(0, 99)?, self.int(0, 9)?),
            1 => self.pick(&["0", "1_000", "1e2", "2.5E1", "0.001", "100"])?.to_owned(),
            _ => self.int(0, 100)?.to_string(),
        })
    }

    /// A year or a date (both are accepted wherever a time point is).
    fn time_point(&mut self, low: u32, high: u32) -> arbitrary::Result<String> {
        let year = self.int(low, high)?;
        Ok(if self.chance(1, 4)? {
            format!("{year}-{:02}-{:02}", self.int(1, 12)?, self.int(1, 28)?)
        } else {
            year.to_string()
        })
    }

    /// A string label, with escapes and characters beyond ASCII.
    fn label(&mut self, plain: &str) -> arbitrary::Result<String> {
        if self.fault()? {
            return Ok(format!("\"{plain} \\q\""));
        }
        let extra = self.pick(&[
            "",
            "",
            " \\\"quoted\\\"",
            " \\\\ slash",
            "\\n\\t",
            " \\u{1F6E1}",
            " é",
            " שלום",
            " e\u{301}",
        ])?;
        Ok(format!("\"{plain}{extra}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_program() {
        assert_eq!(from_seed(3), from_seed(3));
        assert_ne!(from_seed(3), from_seed(4));
    }

    #[test]
    fn no_bytes_still_give_a_program() {
        let text = program(&mut Unstructured::new(&[])).expect("empty input is enough");
        assert!(text.contains("actor"), "{text}");
    }
}
