//! The language's words, each list written once: the keywords, the
//! built-in domains, the default escalation ladder, the kinds of thing a
//! name can stand for, and the dense ids that every stage after checking
//! uses in place of names. The parser, the checker, the language server,
//! the importer and the generators read them from here.

use serde::Serialize;

/// Keywords that start a top-level declaration.
pub const DECLARATION_KEYWORDS: [&str; 10] =
    ["import", "settings", "domain", "region", "actor", "alliance", "commitment", "threat", "scenario", "expect"];

/// The other keywords of the language (§2, plus `provoked`, which marks an
/// opening and would otherwise be read as a name, and `opening`, the
/// condition prefix for a scenario's own attacks).
const OTHER_KEYWORDS: [&str; 33] = [
    "obligation",
    "defends",
    "attacks",
    "consults",
    "neutral",
    "nonaggression",
    "defend",
    "join",
    "consult",
    "member",
    "any",
    "on",
    "by",
    "in",
    "within",
    "at",
    "unprovoked",
    "opening",
    "attack",
    "war",
    "between",
    "with",
    "threat_to",
    "and",
    "or",
    "not",
    "joins",
    "reaches",
    "stays",
    "out",
    "gap",
    "no",
    "provoked",
];

/// Every keyword; none can name a declaration.
pub const KEYWORDS: [&str; 43] = concat(DECLARATION_KEYWORDS, OTHER_KEYWORDS);

/// Whether `word` is a keyword of the language.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// The domains every compilation has, before its own `domain` declarations.
pub const BUILTIN_DOMAINS: [&str; 6] = ["land", "sea", "air", "cyber", "space", "nuclear"];

/// The escalation ladder, lowest rung first, when `settings` gives none.
pub const DEFAULT_LADDER: [&str; 6] = ["crisis", "coercion", "limited_war", "regional_war", "general_war", "nuclear"];

/// The built-in domain, and the rung, that mean nuclear weapons (E0013).
pub const NUCLEAR: &str = "nuclear";

/// The rung of opening attacks and of gap analysis when `settings` names
/// none and the ladder has it (else the second rung, or the only one).
pub const DEFAULT_OPENING: &str = "limited_war";

/// What a name stands for. Rungs have a namespace of their own (the ladder);
/// every other kind shares the global one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeclarationKind {
    Domain,
    Region,
    Actor,
    Alliance,
    Commitment,
    Scenario,
    Rung,
}

impl DeclarationKind {
    pub(crate) const COUNT: usize = 7;

    /// A dense number for tables indexed by kind.
    pub(crate) fn slot(self) -> usize {
        self as usize
    }

    pub fn article(self) -> &'static str {
        match self {
            DeclarationKind::Domain => "a domain",
            DeclarationKind::Region => "a region",
            DeclarationKind::Actor => "an actor",
            DeclarationKind::Alliance => "an alliance",
            DeclarationKind::Commitment => "a commitment",
            DeclarationKind::Scenario => "a scenario",
            DeclarationKind::Rung => "a rung",
        }
    }

    /// The kind without its article: `actor`.
    pub fn word(self) -> &'static str {
        &self.article()[self.article().find(' ').map_or(0, |i| i + 1)..]
    }
}

/// The name of a built-in definition: a rung of the default ladder, else a
/// built-in domain.
pub fn builtin_name(kind: DeclarationKind, index: u32) -> &'static str {
    let names = if kind == DeclarationKind::Rung { &DEFAULT_LADDER } else { &BUILTIN_DOMAINS };
    names.get(index as usize).copied().unwrap_or("")
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids!(
    /// An actor, in declaration order (the checked program's and the model's).
    ActorId,
    /// A domain: the built-in ones first, then those declared.
    DomainId,
    RegionId,
    AllianceId,
    CommitmentId,
    ScenarioId,
    /// A rung of the ladder, lowest first.
    RungId,
    /// Index of a provision (an alliance obligation or a commitment) in
    /// [`Model::provisions`](crate::model::Model::provisions), in declaration order.
    ProvisionId,
    /// Index of an expanded commitment in
    /// [`Model::commitments`](crate::model::Model::commitments).
    ExpandedId,
    /// Index of an interned set of domains in
    /// [`Model::domain_sets`](crate::model::Model::domain_sets).
    DomainSetId,
);

/// `a` then `b`, in an array of their joint length `N` (checked when the
/// constant is evaluated).
const fn concat<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    assert!(A + B == N, "the joint length is the sum of the lengths");
    let mut out = [""; N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - A];
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_keywords_are_keywords_once() {
        assert!(DECLARATION_KEYWORDS.iter().all(|k| is_keyword(k)));
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), KEYWORDS.len(), "a keyword is listed twice");
        assert!(!is_keyword("land") && is_keyword("provoked"));
    }

    #[test]
    fn the_nuclear_words_are_built_in() {
        assert!(BUILTIN_DOMAINS.contains(&NUCLEAR) && DEFAULT_LADDER.contains(&NUCLEAR));
        assert!(DEFAULT_LADDER.contains(&DEFAULT_OPENING));
        assert_eq!(DeclarationKind::Actor.word(), "actor");
        assert_eq!(builtin_name(DeclarationKind::Rung, 2), "limited_war");
        assert_eq!(builtin_name(DeclarationKind::Domain, 5), "nuclear");
    }
}
