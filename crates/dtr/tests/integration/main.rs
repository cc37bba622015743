//! The library's integration tests in one binary, linked once: a module per
//! subject. Snapshots are named `integration__MODULE__…` after it. Tests
//! that drive the `dtr` binary or external tools, the language server's
//! among them, are in crates/dtr-cli/tests.

mod analysis_properties;
mod cascade_reference;
mod check_fixtures;
mod common;
mod docs;
mod drawings;
mod explain;
mod fmt;
mod imports;
mod reports;
