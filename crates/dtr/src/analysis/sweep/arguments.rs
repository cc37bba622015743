//! A sweep's options as a caller gives them (`dtr sweep`'s command line, the
//! Python package's `dtr.sweep`): actor names to ids, with E0090 and its
//! did-you-mean for an unknown one; `I/N` to a [`Shard`], with E0091; and
//! the samples per attack. Both callers build their request here, so they
//! refuse and run the same sweeps, output for output.

use super::Shard;
use crate::check::suggest;
use crate::diagnostic::{Diagnostic, messages};
use crate::model::Model;
use crate::source::{FileId, SourceMap, Span};
use crate::vocabulary::ActorId;

/// Monte Carlo samples per attack unless the caller says otherwise (or the
/// model asks for fewer): a sweep runs thousands of evaluations.
pub const DEFAULT_SAMPLES: u64 = 1_000;

/// The samples per attack: `given`, else the model's `samples` capped at
/// [`DEFAULT_SAMPLES`].
pub fn samples(model: &Model, given: Option<u64>) -> u64 {
    given.unwrap_or(model.settings.samples.clamp(1, DEFAULT_SAMPLES))
}

/// The options as one line of text (`--attackers RUS,XYZ --shard 2/4`), so
/// that a wrong name or shard is shown in place with a label under it. The
/// text becomes the only file of its own source map ([`Arguments::sources`]),
/// hence spans in `FileId(0)`.
#[derive(Default)]
pub struct Arguments {
    pub text: String,
    pub problems: Vec<Diagnostic>,
}

impl Arguments {
    /// Appends `option value`; where the value starts.
    fn append(&mut self, option: &str, value: &str) -> usize {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(option);
        self.text.push(' ');
        let start = self.text.len();
        self.text.push_str(value);
        start
    }

    /// The actors named after `option`; None when not given or one is unknown.
    pub fn actors(&mut self, model: &Model, option: &str, names: Option<&[String]>) -> Option<Vec<ActorId>> {
        let names = names?;
        let mut at = self.append(option, &names.join(","));
        let mut ids = Vec::new();
        for name in names {
            match model.actor_named(name) {
                Some(id) => ids.push(id),
                None => {
                    let known = model.actors.iter().map(|a| a.name.as_str());
                    let span = Span::new(FileId(0), at, at + name.len());
                    self.problems.push(messages::e0090(name, suggest::closest(name, known), span));
                }
            }
            at += name.len() + 1;
        }
        (ids.len() == names.len()).then_some(ids)
    }

    /// The shard written `text` after `option`; None when malformed.
    pub fn shard(&mut self, option: &str, text: &str) -> Option<Shard> {
        let at = self.append(option, text);
        match Shard::parse(text) {
            Ok(shard) => Some(shard),
            Err(why) => {
                let span = Span::new(FileId(0), at, at + text.len());
                self.problems.push(messages::e0091(text, &why, span));
                None
            }
        }
    }

    /// The text as a file called `name`, for rendering the problems.
    pub fn sources(self, name: &str) -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        sources.add(name.to_string(), None, self.text);
        (sources, self.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let checked = crate::check_source("t.dtr", "actor RUS\nactor USA\nactor EST\n");
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        crate::compile(&checked.program)
    }

    #[test]
    fn unknown_names_point_into_the_text_with_a_suggestion() {
        let model = model();
        let mut arguments = Arguments::default();
        let names = ["RUS".to_string(), "USX".to_string()];
        assert_eq!(arguments.actors(&model, "--attackers", Some(&names)), None);
        let targets = arguments.actors(&model, "--targets", Some(&["EST".to_string()]));
        assert_eq!(targets, Some(vec![ActorId(2)]));
        assert_eq!(arguments.shard("--shard", "0/2"), None);
        assert_eq!(arguments.text, "--attackers RUS,USX --targets EST --shard 0/2");
        let (sources, problems) = arguments.sources("command line");
        let placed: Vec<(&str, &str, Option<&str>)> =
            problems.iter().map(|d| (d.code.as_str(), sources.slice(d.primary.span), d.help.as_deref())).collect();
        assert_eq!(
            placed,
            [
                ("E0090", "USX", Some("did you mean `USA`?")),
                ("E0091", "0/2", Some("--shard I/N runs shard I of N, numbered from 1: 1/4, 2/4, 3/4, 4/4"))
            ]
        );
    }

    #[test]
    fn samples_default_to_the_models_capped_at_a_thousand() {
        let mut model = model();
        assert_eq!(samples(&model, None), DEFAULT_SAMPLES);
        assert_eq!(samples(&model, Some(7)), 7);
        model.settings.samples = 40;
        assert_eq!(samples(&model, None), 40);
        model.settings.samples = 0;
        assert_eq!(samples(&model, None), 1);
    }
}
