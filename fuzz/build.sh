#!/usr/bin/env bash
# Builds the libFuzzer targets with cargo fuzz's instrumentation flags
# (cargo-fuzz 0.13, `-s none`: safe Rust gains little from AddressSanitizer)
# but without cargo-fuzz itself, in the lighter `ci` profile (Cargo.toml).
# Used by crates/dtr-cli/tests/fuzz.rs; by hand, `cargo +nightly fuzz run` fuzzes with the
# same instrumentation. Binaries: fuzz/target/ci/$HOST/ci/{pipeline,generated}.
set -euo pipefail
cd "$(dirname "$0")"
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
# --target keeps these flags off build scripts and proc macros. Not --locked:
# a dependency the main crate gains must not break this build before
# fuzz/Cargo.lock is refreshed.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cdebug-assertions" \
  cargo +nightly build --profile ci --target "$host" --target-dir target/ci --bins
echo "target/ci/$host/ci"
