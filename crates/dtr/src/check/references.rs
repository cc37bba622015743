//! Where each name is declared and where it is used, recorded while names
//! are resolved, so that editors can go to a definition, list references and
//! rename without resolving anything again.

use crate::source::{FileId, SourceMap, Span};
use crate::vocabulary::{DeclarationKind, builtin_name};
use serde::Serialize;

/// A declared name. Built-in domains and the default ladder have no span.
/// The name itself is not held (see [`Definition::name`]): a million
/// declarations would copy a million names a third time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Definition {
    pub kind: DeclarationKind,
    /// Index among the declarations of its kind (an `ActorId`, a `RungId`, …).
    pub index: u32,
    /// Where the name is written; None for built-ins.
    pub span: Option<Span>,
}

impl Definition {
    /// The name: the text at its span (a name is written as it is
    /// spelt), or the built-in's.
    pub fn name<'s>(&self, sources: &'s SourceMap) -> &'s str {
        match self.span {
            Some(span) => sources.slice(span),
            None => builtin_name(self.kind, self.index),
        }
    }
}

/// A name written where it refers to a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Use {
    pub span: Span,
    /// Index into [`References::definitions`]; u32 keeps a use at 16
    /// bytes, and there are as many uses as names written (half a million
    /// in a 10 MB file). A definition takes several bytes of source, and
    /// sources are at most 64 MB a file, so the index fits.
    pub definition: u32,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct References {
    /// In declaration order (built-ins first).
    pub definitions: Vec<Definition>,
    /// Every resolved use, sorted by position.
    pub uses: Vec<Use>,
    /// The first definition of each (kind, index), by `DeclarationKind::slot` then
    /// index; [`NONE`] where there is none yet.
    #[serde(skip)]
    by_id: [Vec<u32>; DeclarationKind::COUNT],
}

/// No definition in `References::by_id` (4 bytes a slot, not an `Option`'s 8).
const NONE: u32 = u32::MAX;

/// Which declarations were referred to, by kind and index.
#[derive(Default)]
pub struct Used {
    by_kind: [Vec<bool>; DeclarationKind::COUNT],
}

impl Used {
    pub fn insert(&mut self, kind: DeclarationKind, index: u32) {
        let flags = &mut self.by_kind[kind.slot()];
        let at = index as usize;
        if flags.len() <= at {
            flags.resize(at + 1, false);
        }
        flags[at] = true;
    }

    pub fn contains(&self, kind: DeclarationKind, index: u32) -> bool {
        self.by_kind[kind.slot()].get(index as usize).copied().unwrap_or(false)
    }
}

impl References {
    /// Records a declaration; a duplicate gets its own definition, but uses
    /// keep resolving to the first.
    pub(super) fn define(&mut self, kind: DeclarationKind, index: u32, span: Option<Span>) {
        let at = self.definitions.len() as u32;
        self.definitions.push(Definition { kind, index, span });
        let ids = &mut self.by_id[kind.slot()];
        if ids.len() <= index as usize {
            ids.resize(index as usize + 1, NONE);
        }
        if ids[index as usize] == NONE {
            ids[index as usize] = at;
        }
    }

    /// Room for `more` definitions, so that a million are not held in a
    /// vector grown to twice their size.
    pub(super) fn reserve(&mut self, more: usize) {
        self.definitions.reserve_exact(more);
    }

    fn first(&self, kind: DeclarationKind, index: u32) -> Option<u32> {
        self.by_id[kind.slot()].get(index as usize).copied().filter(|&at| at != NONE)
    }

    /// Where the first definition of (kind, index) is; None for built-ins.
    pub(super) fn first_span(&self, kind: DeclarationKind, index: u32) -> Option<Span> {
        self.definitions[self.first(kind, index)? as usize].span
    }

    pub(super) fn record(&mut self, kind: DeclarationKind, index: u32, span: Span) {
        if let Some(definition) = self.first(kind, index) {
            self.uses.push(Use { span, definition });
        }
    }

    /// Sorts uses and drops the repeats of names resolved twice.
    pub(super) fn finish(&mut self) {
        self.uses.sort_unstable();
        self.uses.dedup();
    }

    /// The definition named at `offset` in `file`, by its declaration or a use
    /// (a cursor just after the name counts).
    pub fn at(&self, file: FileId, offset: u32) -> Option<usize> {
        let covers = |s: Span| s.file == file && s.start <= offset && offset <= s.end;
        self.definitions
            .iter()
            .position(|d| d.span.is_some_and(covers))
            .or_else(|| self.uses.iter().find(|u| covers(u.span)).map(|u| u.definition as usize))
    }

    /// Every span where definition `definition` is used.
    pub fn uses_of(&self, definition: usize) -> impl Iterator<Item = Span> + '_ {
        self.uses.iter().filter(move |u| u.definition as usize == definition).map(|u| u.span)
    }
}

#[cfg(test)]
mod tests {
    use super::DeclarationKind;
    use crate::check::check_source;

    #[test]
    fn records_declarations_and_uses() {
        let text = "actor A { capability { land: 1 } }\nactor B\nthreat A -> B { domains: [land] }\nscenario s { A attacks B at crisis }\n";
        let checked = check_source("t.dtr", text);
        let refs = &checked.references;
        let name = |d: &super::Definition| d.name(&checked.sources).to_string();
        let a = refs
            .definitions
            .iter()
            .position(|d| name(d) == "A" && d.kind == DeclarationKind::Actor)
            .expect("A defined");
        let starts: Vec<u32> = refs.uses_of(a).map(|s| s.start).collect();
        let expected: Vec<u32> = text.match_indices('A').map(|(i, _)| i as u32).skip(1).collect();
        assert_eq!(starts, expected);
        // A use and the declaration both lead to the definition.
        assert_eq!(refs.at(crate::source::FileId(0), expected[0] + 1), Some(a));
        assert_eq!(refs.at(crate::source::FileId(0), 6), Some(a));
        let land = refs.definitions.iter().position(|d| name(d) == "land").expect("built-in domain");
        assert_eq!(refs.definitions[land].span, None);
        assert_eq!(refs.uses_of(land).count(), 2);
        let crisis = refs
            .definitions
            .iter()
            .position(|d| name(d) == "crisis" && d.kind == DeclarationKind::Rung)
            .expect("default rung");
        assert_eq!(refs.uses_of(crisis).count(), 1);
    }
}
