//! The syntax tree: what the user wrote, in source order, every node with its
//! byte span. Names are not resolved here; the checker does that.

use crate::source::{FileId, SourceMap, Span};
use serde::Serialize;

/// A name, as its span: an identifier is spelt as written, so its name is
/// the source text at the span ([`Ident::name`]) and is not copied (an AST
/// holds millions of names).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ident {
    pub span: Span,
}

impl Ident {
    /// The name, read from the source.
    pub fn name(self, sources: &SourceMap) -> &str {
        sources.slice(self.span)
    }
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// A number as written (`1_000`, `0.5`); `value` may be infinite when the
/// text is out of range, which the checker reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Number {
    pub value: f64,
    pub span: Span,
}

/// A probability: `85%` (percent) or `0.85` (fraction). `value` is the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Probability {
    pub value: f64,
    pub percent: bool,
    pub span: Span,
}

/// A year (`1914`) or a day (`1914-07-28`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum TimeValue {
    Year(f64),
    Day { year: i32, month: u32, day: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TimePoint {
    pub value: TimeValue,
    pub span: Span,
}

/// `a` or `[a, b, c]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Names {
    pub items: Vec<Ident>,
    pub bracketed: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum CommentKind {
    Line,
    Block,
    Doc,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct File {
    pub id: FileId,
    pub items: Vec<Item>,
    /// Every comment in source order (doc comments included).
    pub comments: Vec<Comment>,
    /// The doc comments of declarations, in source order ([`File::doc`]):
    /// few declarations have one, and a field in every item would cost 16
    /// bytes in each of up to millions.
    pub docs: Vec<DocComment>,
}

impl File {
    /// The doc comment of `item`, one of this file's declarations.
    pub fn doc(&self, item: &Item) -> Option<&str> {
        let at = self.docs.binary_search_by_key(&item.span.start, |d| d.at).ok()?;
        Some(&self.docs[at].text)
    }
}

/// The text of the `///` lines above a declaration, which starts at `at`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocComment {
    pub at: u32,
    pub text: Box<str>,
}

/// A top-level declaration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

/// A declaration's parts. Items are held in one array per file, each the
/// size of the largest variant: the large declarations are boxed so that
/// the commonest small one, a bare `actor A` (a generated file may hold a
/// million), costs 48 bytes and not 120.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ItemKind {
    Import(Box<Str>),
    Settings(Vec<SettingsField>),
    Domain(Box<Domain>),
    Region(Box<Region>),
    Actor(Actor),
    Alliance(Box<Alliance>),
    Commitment(Box<Commitment>),
    Threat(Box<Threat>),
    Scenario(Box<Scenario>),
    Expect(Box<Expect>),
}

/// A field of a block: what it sets and where (the key's span included).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field<T> {
    pub value: T,
    pub span: Span,
}

pub type SettingsField = Field<Setting>;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Setting {
    Year(TimePoint),
    Date(TimePoint),
    Ladder(Names),
    DeterrenceRatio(Number),
    CredibilityFloor(Probability),
    Samples(Number),
    Seed(Number),
    Opening(Ident),
    Substitution(Vec<Substitute>),
}

/// `nuclear -> chemical 50%`: capability in `from` counts against a
/// threat in `to` at `factor`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Substitute {
    pub from: Ident,
    pub to: Ident,
    pub factor: Probability,
    pub span: Span,
}

impl Setting {
    pub fn key(&self) -> &'static str {
        match self {
            Setting::Year(_) => "year",
            Setting::Date(_) => "date",
            Setting::Ladder(_) => "ladder",
            Setting::DeterrenceRatio(_) => "deterrence_ratio",
            Setting::CredibilityFloor(_) => "credibility_floor",
            Setting::Samples(_) => "samples",
            Setting::Seed(_) => "seed",
            Setting::Opening(_) => "opening",
            Setting::Substitution(_) => "substitution",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Domain {
    pub name: Ident,
    pub label: Option<Str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Region {
    pub name: Ident,
    pub label: Option<Str>,
    /// `None` without a block; each `contains:` field otherwise.
    pub body: Option<Vec<Field<Names>>>,
}

/// An actor. Most are a name alone, so the label and body are boxed
/// together, and only when one of them is written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Actor {
    pub name: Ident,
    pub details: Option<Box<ActorDetails>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorDetails {
    pub label: Option<Str>,
    pub body: Option<Vec<Field<ActorField>>>,
}

impl Actor {
    pub fn new(name: Ident, label: Option<Str>, body: Option<Vec<Field<ActorField>>>) -> Actor {
        let details = (label.is_some() || body.is_some()).then(|| Box::new(ActorDetails { label, body }));
        Actor { name, details }
    }

    pub fn label(&self) -> Option<&Str> {
        self.details.as_ref().and_then(|d| d.label.as_ref())
    }

    /// The `{ … }` block's fields; None without a block.
    pub fn body(&self) -> Option<&[Field<ActorField>]> {
        self.details.as_ref().and_then(|d| d.body.as_deref())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ActorField {
    Region(Ident),
    Capability(Vec<CapabilityEntry>),
    Resolve(Probability),
}

impl ActorField {
    pub fn key(&self) -> &'static str {
        match self {
            ActorField::Region(_) => "region",
            ActorField::Capability(_) => "capability",
            ActorField::Resolve(_) => "resolve",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapabilityEntry {
    pub domain: Ident,
    pub value: Number,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alliance {
    pub name: Ident,
    pub label: Option<Str>,
    pub items: Vec<Field<AllianceField>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AllianceField {
    Members(Names),
    Since(TimePoint),
    Until(TimePoint),
    Interoperability(Probability),
    Obligation(Obligation),
}

impl AllianceField {
    pub fn key(&self) -> &'static str {
        match self {
            AllianceField::Members(_) => "members",
            AllianceField::Since(_) => "since",
            AllianceField::Until(_) => "until",
            AllianceField::Interoperability(_) => "interoperability",
            AllianceField::Obligation(_) => "obligation",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObligationKind {
    Defend,
    Join,
    Consult,
    Neutral,
    Nonaggression,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Obligation {
    pub doc: Option<String>,
    pub name: Ident,
    pub kind: ObligationKind,
    pub kind_span: Span,
    pub terms: Option<Vec<Field<Term>>>,
}

/// The fields shared by obligations and commitments.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Term {
    When(Condition),
    Domains(Names),
    Response(Ident),
    Credibility { value: Probability, except: Option<Vec<ExceptEntry>> },
    Since(TimePoint),
    Until(TimePoint),
    Interoperability(Probability),
}

impl Term {
    pub fn key(&self) -> &'static str {
        match self {
            Term::When(_) => "when",
            Term::Domains(_) => "domains",
            Term::Response(_) => "response",
            Term::Credibility { .. } => "credibility",
            Term::Since(_) => "since",
            Term::Until(_) => "until",
            Term::Interoperability(_) => "interoperability",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExceptEntry {
    pub actor: Ident,
    pub value: Probability,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommitmentKind {
    Defends,
    Attacks,
    Consults,
    Neutral,
    Nonaggression,
}

impl CommitmentKind {
    pub fn keyword(self) -> &'static str {
        match self {
            CommitmentKind::Defends => "defends",
            CommitmentKind::Attacks => "attacks",
            CommitmentKind::Consults => "consults",
            CommitmentKind::Neutral => "neutral",
            CommitmentKind::Nonaggression => "nonaggression",
        }
    }
}

impl ObligationKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ObligationKind::Defend => "defend",
            ObligationKind::Join => "join",
            ObligationKind::Consult => "consult",
            ObligationKind::Neutral => "neutral",
            ObligationKind::Nonaggression => "nonaggression",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commitment {
    pub name: Ident,
    pub actor: Ident,
    pub kind: CommitmentKind,
    pub kind_span: Span,
    pub target: Ident,
    pub terms: Option<Vec<Field<Term>>>,
}

/// A condition (§4). `Group` keeps the user's parentheses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Condition {
    Or(Vec<Condition>, Span),
    And(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    Group(Box<Condition>, Span),
    Attack(AttackAtom),
    // The parties are boxed: a condition is 48 bytes, not 96, in every
    // `when` term of every commitment.
    WarBetween(Box<Parties>, Box<Parties>, Span),
    WarWith(Box<Parties>, Span),
    ThreatTo(Box<Parties>, Span),
}

impl Condition {
    pub fn span(&self) -> Span {
        match self {
            Condition::Or(_, s)
            | Condition::And(_, s)
            | Condition::Not(_, s)
            | Condition::Group(_, s)
            | Condition::WarBetween(_, _, s)
            | Condition::WarWith(_, s)
            | Condition::ThreatTo(_, s) => *s,
            Condition::Attack(a) => a.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackAtom {
    pub unprovoked: bool,
    /// `opening`: only a scenario's own attacks match.
    pub opening: bool,
    pub clauses: Vec<Field<AttackClause>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AttackClause {
    On(Parties),
    By(Parties),
    In(Names),
    Within(Names),
    At { at_least: bool, rung: Ident },
}

impl AttackClause {
    pub fn key(&self) -> &'static str {
        match self {
            AttackClause::On(_) => "on",
            AttackClause::By(_) => "by",
            AttackClause::In(_) => "in",
            AttackClause::Within(_) => "within",
            AttackClause::At { .. } => "at",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Parties {
    Member(Span),
    Any(Span),
    Actors(Names),
}

impl Parties {
    pub fn span(&self) -> Span {
        match self {
            Parties::Member(s) | Parties::Any(s) => *s,
            Parties::Actors(n) => n.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Threat {
    pub aggressor: Ident,
    pub targets: Names,
    pub body: Option<Vec<Field<Names>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub name: Ident,
    pub label: Option<Str>,
    pub openings: Vec<Opening>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Opening {
    pub aggressor: Ident,
    pub victim: Ident,
    pub clauses: Vec<Field<OpeningClause>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum OpeningClause {
    In(Names),
    At(Ident),
    Provoked,
}

impl OpeningClause {
    pub fn key(&self) -> &'static str {
        match self {
            OpeningClause::In(_) => "in",
            OpeningClause::At(_) => "at",
            OpeningClause::Provoked => "provoked",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expect {
    /// `expect gap A -> T [in d] [: reason]`
    Gap { aggressor: Ident, target: Ident, domain: Option<Ident>, reason: Option<Ident> },
    /// `expect no gap A -> T [in d]`
    NoGap { aggressor: Ident, target: Ident, domain: Option<Ident> },
    /// `expect SCENARIO: outcome`
    Scenario { scenario: Ident, outcome: Outcome },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Outcome {
    Joins(Ident),
    StaysOut(Ident),
    /// `ACTOR attacks`: it is the aggressor of some event.
    Attacks(Ident),
    Reaches(Ident),
    NotReaches(Ident),
    Probability {
        event: Box<Outcome>,
        comparison: Comparison,
        value: Probability,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Comparison {
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::LessEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterEqual => ">=",
        }
    }

    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Comparison::Less => left < right,
            Comparison::LessEqual => left <= right,
            Comparison::Greater => left > right,
            Comparison::GreaterEqual => left >= right,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated world holds hundreds of thousands of these at once: a
    /// change that makes one larger shows in `dtr check`'s peak memory
    /// (docs/performance.md), so it must be made on purpose.
    #[test]
    fn the_commonest_nodes_stay_small() {
        assert_eq!(size_of::<Ident>(), 12);
        assert_eq!(size_of::<Item>(), 48);
        assert_eq!(size_of::<Condition>(), 48);
        assert_eq!(size_of::<Field<Term>>(), 72);
        assert_eq!(size_of::<Field<AttackClause>>(), 64);
    }
}
