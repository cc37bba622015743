//! DTR: a declarative language for deterrence scenarios and its compiler.
//!
//! The pipeline runs one way: [`syntax`] (source → AST) → [`check`] (names,
//! kinds, lints → checked program) → model → analysis → report. The `dtr`
//! binary, the language server and the tests all call these functions.

pub mod analysis;
pub mod check;
pub mod diagnostic;
pub mod fmt;
pub mod model;
pub mod report;
pub mod source;
pub mod syntax;
pub mod vocabulary;
