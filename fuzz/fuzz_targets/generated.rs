//! The fuzzer's bytes drive the program generator (`dtr::synth`): the first
//! byte chooses a valid or a near-valid program. A valid one must check
//! without errors, so this also tests the generator against the checker.
#![no_main]

use arbitrary::Unstructured;
use dtr::synth::{self, invariants};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(near) = u.arbitrary::<bool>() else { return };
    let generated = if near { synth::near_valid(&mut u) } else { synth::program(&mut u) };
    let Ok(text) = generated else { return };
    match invariants::exercise(text.as_bytes(), Duration::from_secs(10)) {
        Err(violation) => panic!("{}\n--- program\n{text}", violation.0),
        Ok(reach) if !near && !reach.analysed => panic!("a generated program has errors\n--- program\n{text}"),
        Ok(_) => {}
    }
});
