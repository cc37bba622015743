//! The pest parser generated from `crates/dtr/grammar/dtr.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/dtr.pest"]
pub struct DtrParser;
