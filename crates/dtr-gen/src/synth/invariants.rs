//! The fuzzing harness: one input through parse → check → compile →
//! analyse → format, and the properties every input must keep. The fuzz
//! targets (fuzz/) and the tests (crates/dtr-cli/tests/fuzz.rs) both call [`exercise`],
//! so a case the fuzzer finds replays the same way under `cargo test`.
//!
//! A panic anywhere is a failure of its own (the fuzzer and the test
//! harness both catch it). The other properties come back as a
//! [`Violation`]:
//! - every diagnostic renders in every format (human, short, JSON), in one
//!   line each in the short format; its text shows no invisible character
//!   raw; a syntax error that is not an unclosed string or comment says what
//!   was expected;
//! - analysis finishes within `budget` and within its documented caps
//!   (samples drawn ≤ samples requested; probabilities are numbers in
//!   [0, 1]);
//! - the formatter never reports its own bug (E0040), and its output
//!   formats to itself;
//! - formatting keeps the meaning: the formatted text checks to the same
//!   diagnostic codes and, without errors, compiles to the same model
//!   (spans aside).

use dtr::analysis;
use dtr::analysis::probability::{Estimate, Method};
use dtr::check::{self, Checked, Reader};
use dtr::diagnostic::{Code, invisible, render};
use dtr::fmt;
use dtr::model::{self, Model};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// A property that an input broke, in words for the failure message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

/// How far an input got, for tests that want to know what they covered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// Checked without errors, so it was compiled and analysed.
    pub analysed: bool,
    /// Parsed without syntax errors, so it was formatted.
    pub formatted: bool,
}

/// Imports are refused: an input must not read the fuzzing machine's
/// files. An import becomes the usual "cannot be read" diagnostic.
struct NoFiles;

impl Reader for NoFiles {
    fn read(&self, _: &Path) -> io::Result<Vec<u8>> {
        Err(io::Error::new(io::ErrorKind::NotFound, "fuzz inputs read no files"))
    }
}

fn check(bytes: &[u8]) -> Result<Checked, Violation> {
    check::check_with(Path::new("fuzz.dtr"), Some(bytes.to_vec()), &NoFiles)
        .map_err(|e| Violation(format!("checking text held in memory failed to read: {e}")))
}

fn codes(checked: &Checked) -> Vec<Code> {
    let mut codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    codes
}

/// Runs `bytes` through the whole pipeline; `budget` bounds the analysis.
pub fn exercise(bytes: &[u8], budget: Duration) -> Result<Reach, Violation> {
    let mut reach = Reach::default();
    let checked = check(bytes)?;
    for format in [render::Format::Human, render::Format::Short, render::Format::Json] {
        render::render(&checked.diagnostics, &checked.sources, format, false);
    }
    messages(&checked)?;
    let model = if checked.has_errors() {
        None
    } else {
        let model = model::compile(&checked.program);
        analyse(&model, budget)?;
        reach.analysed = true;
        Some(model)
    };
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(reach) };
    let formatted = match fmt::format(text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            if let Some(bug) = diagnostics.iter().find(|d| d.code == Code::E0040) {
                return Err(Violation(format!("the formatter reports its own bug: {}", bug.message)));
            }
            return Ok(reach);
        }
    };
    reach.formatted = true;
    match fmt::format(&formatted) {
        Ok(again) if again == formatted => {}
        Ok(again) => {
            return Err(Violation(format!("formatting is not idempotent:\n--- once\n{formatted}\n--- twice\n{again}")));
        }
        Err(d) => return Err(Violation(format!("the formatted text does not format again: {:?}", codes_of(&d)))),
    }
    let rechecked = check(formatted.as_bytes())?;
    if codes(&rechecked) != codes(&checked) {
        return Err(Violation(format!(
            "formatting changed the diagnostics from {:?} to {:?}; formatted text:\n{formatted}",
            codes(&checked),
            codes(&rechecked)
        )));
    }
    if let Some(model) = model {
        let again = model::compile(&rechecked.program);
        if fmt::without_spans(&model) != fmt::without_spans(&again) {
            return Err(Violation(format!("formatting changed the compiled model; formatted text:\n{formatted}")));
        }
    }
    Ok(reach)
}

/// What the text of diagnostics must be, whatever the input.
fn messages(checked: &Checked) -> Result<(), Violation> {
    let short = render::render(&checked.diagnostics, &checked.sources, render::Format::Short, false);
    if short.lines().count() != checked.diagnostics.len() {
        return Err(Violation(format!(
            "{} diagnostics in {} short lines:\n{short}",
            checked.diagnostics.len(),
            short.lines().count()
        )));
    }
    for d in &checked.diagnostics {
        let texts = [d.message.as_str(), d.primary.message.as_str(), d.help.as_deref().unwrap_or("")];
        if let Some(text) =
            texts.into_iter().chain(d.secondary.iter().map(|l| l.message.as_str())).find(|t| t.chars().any(invisible))
        {
            return Err(Violation(format!("{} shows an invisible character raw: {text:?}", d.code)));
        }
        if d.code == Code::E0001 && !d.message.starts_with("expected ") && !d.message.starts_with("unterminated ") {
            return Err(Violation(format!("a syntax error does not say what was expected: {}", d.message)));
        }
    }
    Ok(())
}

fn codes_of(diagnostics: &[dtr::diagnostic::Diagnostic]) -> Vec<Code> {
    diagnostics.iter().map(|d| d.code).collect()
}

fn analyse(model: &Model, budget: Duration) -> Result<(), Violation> {
    let start = Instant::now();
    let analysis = analysis::analyze(model, None);
    let took = start.elapsed();
    if took > budget {
        return Err(Violation(format!("analysis took {took:?}, over the budget of {budget:?}")));
    }
    for s in &analysis.scenarios {
        let p = &s.probabilities;
        if let Method::MonteCarlo { samples, requested, .. } = p.method
            && samples > requested
        {
            return Err(Violation(format!("Monte Carlo drew {samples} samples of {requested} requested")));
        }
        let estimates = p.enters.iter().map(|a| a.enters).chain(p.rungs.iter().map(|r| r.reached));
        for e in estimates {
            probability(e)?;
        }
        let entrants = p.expected_entrants.value;
        if !(entrants.is_finite() && (0.0..=model.actors.len() as f64 + 1e-9).contains(&entrants)) {
            return Err(Violation(format!("expected entrants {entrants} outside 0..={}", model.actors.len())));
        }
    }
    Ok(())
}

fn probability(e: Estimate) -> Result<(), Violation> {
    let within = |v: f64| v.is_finite() && (-1e-9..=1.0 + 1e-9).contains(&v);
    let interval_ok = e.interval.is_none_or(|i| within(i.low) && within(i.high) && i.low <= i.high + 1e-9);
    if within(e.value) && interval_ok { Ok(()) } else { Err(Violation(format!("a probability outside [0, 1]: {e:?}"))) }
}
