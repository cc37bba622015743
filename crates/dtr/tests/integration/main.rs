//! The library's integration tests in one binary, linked once: a module per
//! subject. Snapshots are named `integration__MODULE__…` after it. Tests
//! that drive the `dtr` binary or external tools are in crates/dtr-cli/tests,
//! the language server's in crates/dtr-lsp/tests.

mod analysis_properties;
mod cascade_reference;
mod check_fixtures;
mod common;
mod docs;
mod explain;
mod fmt;
mod imports;
mod reports;
