//! Generated DTR programs. [`generate`] writes large, regular, valid
//! worlds from a shape and a seed (`dtr generate`, the benches, the
//! robustness tests); [`synth`] (feature `synth`) writes small, varied
//! programs from fuzzer bytes and holds the invariants the whole pipeline
//! must keep on any input (fuzz/, the tests).

pub mod generate;
#[cfg(feature = "synth")]
pub mod synth;
