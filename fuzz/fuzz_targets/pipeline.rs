//! Arbitrary bytes (not even UTF-8, most of the time) through the whole
//! pipeline; the properties are those of `dtr_gen::synth::invariants`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;

/// Only catches a hang, below libFuzzer's `-timeout` (60 s in CI) so the
/// failure names the analysis. The instrumented opt-level-1 build runs
/// about 30× slower than release: the kept case whose Monte Carlo stops at
/// its work budget takes 0.35 s in release and about 12 s here.
const BUDGET: Duration = Duration::from_secs(45);

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = dtr_gen::synth::invariants::exercise(data, BUDGET) {
        panic!("{}", violation.0);
    }
});
