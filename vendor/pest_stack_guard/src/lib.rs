//! pest asks this crate, on every rule, sequence, repetition and look-ahead
//! it enters, how much native stack is left, and fails the parse with "stack
//! limit reached" below 64 KiB. The probe (`stacker::remaining_stack`: a
//! call to read the stack pointer and a thread-local read) was a fifth of
//! the time pest spends parsing a DTR file, about 15% of `dtr check`.
//!
//! DTR does not need it: pest recurses only through nested brackets and
//! nested block comments, and `syntax::recover::chunks` rejects (E0019) any
//! declaration nested deeper than `syntax::MAX_NESTING` (100) before pest
//! sees it, which bounds pest's recursion far below any thread's stack
//! (tests/robustness.rs: 100,000 levels of nesting, on the main thread and
//! on the language server's). So the probe answers "unknown", which pest
//! treats as "no limit", exactly as on targets without a probe.

/// The remaining native stack: not probed (see the crate documentation).
#[inline(always)]
pub fn remaining_stack() -> Option<usize> {
    None
}
