//! The fuzzer's bytes drive the program generator (`dtr_gen::synth`): the first
//! byte chooses a valid or a near-valid program. A valid one must check
//! without errors, so this also tests the generator against the checker.
#![no_main]

use arbitrary::Unstructured;
use dtr_gen::synth::{self, invariants};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

/// Only catches a hang, below libFuzzer's `-timeout` (60 s in CI) so the
/// failure names the analysis. The instrumented opt-level-1 build runs
/// about 30× slower than release: the kept case whose Monte Carlo stops at
/// its work budget takes 0.35 s in release and about 12 s here.
const BUDGET: Duration = Duration::from_secs(45);

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(near) = u.arbitrary::<bool>() else { return };
    let generated = if near { synth::near_valid(&mut u) } else { synth::program(&mut u) };
    let Ok(text) = generated else { return };
    match invariants::exercise(text.as_bytes(), BUDGET) {
        Err(violation) => panic!("{}\n--- program\n{text}", violation.0),
        Ok(reach) if !near && !reach.analysed => panic!("a generated program has errors\n--- program\n{text}"),
        Ok(_) => {}
    }
});
