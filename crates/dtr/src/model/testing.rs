//! Test helpers: models from `.dtr` text through the real checker.

use super::{Model, compile};
use crate::vocabulary::{ActorId, ExpandedId, RungId, ScenarioId};

/// Compiles `text`, which must check without errors (warnings are fine).
pub fn model(text: &str) -> Model {
    let checked = crate::check::check_source("test.dtr", text);
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
    assert!(errors.is_empty(), "{errors:?}");
    compile(&checked.program)
}

pub fn actor(model: &Model, name: &str) -> ActorId {
    model.actor_named(name).unwrap_or_else(|| panic!("no actor {name}"))
}

pub fn scenario(model: &Model, name: &str) -> ScenarioId {
    model.scenario_named(name).unwrap_or_else(|| panic!("no scenario {name}"))
}

pub fn rung(model: &Model, name: &str) -> RungId {
    let i = model.settings.ladder.iter().position(|r| r == name).unwrap_or_else(|| panic!("no rung {name}"));
    RungId(i as u32)
}

/// The first expanded commitment whose report label is `label`.
pub fn commitment(model: &Model, label: &str) -> ExpandedId {
    let i = (0..model.commitments.len())
        .position(|i| model.commitment_label(ExpandedId(i as u32)) == label)
        .unwrap_or_else(|| panic!("no commitment {label}"));
    ExpandedId(i as u32)
}
