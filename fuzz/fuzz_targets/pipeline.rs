//! Arbitrary bytes (not even UTF-8, most of the time) through the whole
//! pipeline; the properties are those of `dtr::synth::invariants`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = dtr::synth::invariants::exercise(data, Duration::from_secs(10)) {
        panic!("{}", violation.0);
    }
});
