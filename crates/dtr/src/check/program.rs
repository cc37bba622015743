//! The checked program: every name resolved to a dense id, every default
//! applied, every value validated. The model is compiled from this alone; it
//! never looks a name up again. Spans are kept where reports point back at
//! the source (declarations, condition clauses, fields).

use crate::source::Span;
use crate::syntax::ast::{CommitmentKind, Comparison, ObligationKind};
use crate::vocabulary::{ActorId, AllianceId, CommitmentId, DomainId, RegionId, RungId, ScenarioId};
use compact_str::CompactString;
use serde::Serialize;

/// A day as an ordinal that sorts like the calendar (not a day count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Day(pub i64);

impl Day {
    pub fn new(year: i64, month: u32, day: u32) -> Day {
        Day(year * 512 + i64::from(month) * 32 + i64::from(day))
    }

    /// (year, month, day), the inverse of [`Day::new`].
    pub fn ymd(self) -> (i64, i64, i64) {
        (self.0.div_euclid(512), self.0.rem_euclid(512) / 32, self.0.rem_euclid(32))
    }
}

/// A closed range of days: a year is its whole range, a date one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Day,
    pub end: Day,
}

impl Period {
    /// A whole year.
    pub fn year(year: i64) -> Period {
        Period { start: Day::new(year, 1, 1), end: Day::new(year, 12, 31) }
    }

    /// One day.
    pub fn day(year: i64, month: u32, day: u32) -> Period {
        let d = Day::new(year, month, day);
        Period { start: d, end: d }
    }
}

/// When a provision is in force: `since` counts from the start of its period,
/// `until` to the end of its own. Each bound is 16 bytes (a day as `i32`
/// and its span), not an `Option<(Day, Span)>`'s 32: every commitment and
/// obligation holds one. It serializes as the two options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Validity {
    since: Bound,
    until: Bound,
}

/// A day of a validity with the span of its `since` or `until`. Days of
/// years of at most four digits fit an `i32` many times over; `NONE` (below
/// every day, which [`Bound::new`] clamps above it) marks no bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bound {
    day: i32,
    span: Span,
}

impl Bound {
    const NONE: Bound = Bound { day: i32::MIN, span: Span { file: crate::source::FileId(0), start: 0, end: 0 } };

    fn new(bound: Option<(Day, Span)>) -> Bound {
        match bound {
            Some((day, span)) => Bound { day: day.0.clamp(i64::from(i32::MIN) + 1, i64::from(i32::MAX)) as i32, span },
            None => Bound::NONE,
        }
    }

    fn get(self) -> Option<(Day, Span)> {
        (self.day != i32::MIN).then_some((Day(i64::from(self.day)), self.span))
    }
}

impl Default for Bound {
    fn default() -> Bound {
        Bound::NONE
    }
}

impl Validity {
    pub fn new(since: Option<(Day, Span)>, until: Option<(Day, Span)>) -> Validity {
        Validity { since: Bound::new(since), until: Bound::new(until) }
    }

    /// The first day in force and the span of its `since`.
    pub fn since(&self) -> Option<(Day, Span)> {
        self.since.get()
    }

    /// The last day in force and the span of its `until`.
    pub fn until(&self) -> Option<(Day, Span)> {
        self.until.get()
    }

    /// In force at some time in `period` (always, when no analysis date is set).
    pub fn in_force(&self, period: Option<Period>) -> bool {
        let Some(p) = period else { return true };
        self.since().is_none_or(|(s, _)| s <= p.end) && self.until().is_none_or(|(u, _)| u >= p.start)
    }
}

impl Serialize for Validity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "Validity")]
        struct Options {
            since: Option<(Day, Span)>,
            until: Option<(Day, Span)>,
        }
        Options { since: self.since(), until: self.until() }.serialize(s)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// The analysis period (`year` or `date`); `None` analyses every
    /// provision as in force.
    pub period: Option<Period>,
    pub ladder: Vec<Rung>,
    /// The rung named `nuclear`, if the ladder has one.
    pub nuclear_rung: Option<RungId>,
    pub deterrence_ratio: f64,
    pub credibility_floor: f64,
    pub samples: u64,
    pub seed: u64,
    /// Default rung of opening attacks and of gap analysis.
    pub opening: RungId,
    /// `substitution: [nuclear -> chemical 50%]`: capability counted
    /// against threats in another domain (§6); empty by default.
    pub substitutions: Vec<Substitution>,
    pub span: Option<Span>,
}

/// Capability in `from` counts against a threat in `to` at `factor`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Substitution {
    pub from: DomainId,
    pub to: DomainId,
    pub factor: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Rung {
    pub name: String,
    /// None for the default ladder.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Domain {
    pub name: String,
    pub label: Option<String>,
    /// None for the built-in domains.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Region {
    pub name: String,
    pub label: Option<String>,
    /// Direct sub-regions.
    pub contains: Vec<RegionId>,
    /// The regions that contain this one directly. Containment is not
    /// closed here: a chain of n regions would hold n²/2 ids
    /// ([`Program::regions_around`] walks these instead).
    pub parents: Vec<RegionId>,
    pub span: Span,
}

/// A file of a million actors holds a million of these, 48 bytes each (a
/// test says so): the name a boxed string (16 bytes, not a `String`'s 24),
/// the label, capabilities and resolve boxed together when one is given.
#[derive(Clone, Debug, Serialize)]
pub struct Actor {
    pub name: CompactString,
    pub region: Option<RegionId>,
    pub details: Option<Box<ActorDetails>>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActorDetails {
    pub label: Option<Box<str>>,
    /// Indexed by `DomainId`; missing domains are 0.
    pub capability: Box<[f64]>,
    pub resolve: f64,
}

impl Actor {
    pub fn label(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.label.as_deref())
    }

    /// Indexed by `DomainId`; missing domains are 0.
    pub fn capability(&self) -> &[f64] {
        self.details.as_ref().map_or(&[], |d| &d.capability)
    }

    /// 1 unless given.
    pub fn resolve(&self) -> f64 {
        self.details.as_ref().map_or(1.0, |d| d.resolve)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Alliance {
    pub name: String,
    pub label: Option<String>,
    /// Distinct members in the order written.
    pub members: Vec<ActorId>,
    pub validity: Validity,
    pub interoperability: f64,
    pub obligations: Vec<Obligation>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Obligation {
    pub name: Box<str>,
    pub kind: ObligationKind,
    /// Defaults applied: `when` is always present (§3.5).
    pub terms: Terms,
    pub span: Span,
}

/// What a commitment or obligation binds its actor to, defaults applied.
/// The terms that few provisions give (`domains`, `except`,
/// `interoperability`) are boxed together, present only when given: a file
/// holds a commitment for every pair of actors it ties.
#[derive(Clone, Debug, Serialize)]
pub struct Terms {
    /// None only for promises (`neutral`, `nonaggression`) and for an
    /// `attacks` plan without `when`, which never fires.
    pub when: Option<Condition>,
    /// Rung at which the actor enters; None means the triggering event's.
    pub response: Option<RungId>,
    pub credibility: f64,
    /// Own dates, intersected with the alliance's for an obligation.
    pub validity: Validity,
    pub rare: Option<Box<RareTerms>>,
}

/// The terms of [`Terms`] that are seldom given, as written or defaulted.
#[derive(Clone, Debug, Serialize)]
pub struct RareTerms {
    /// Domains the response covers; None means every domain.
    pub domains: Option<Box<[DomainId]>>,
    /// Per acting actor credibility (`except { HUN: 40% }`).
    pub except: Box<[(ActorId, f64)]>,
    /// A commitment's own `interoperability` (obligations use the alliance's).
    pub interoperability: f64,
}

impl Terms {
    /// Domains the response covers; None means every domain.
    pub fn domains(&self) -> Option<&[DomainId]> {
        self.rare.as_ref().and_then(|r| r.domains.as_deref())
    }

    /// Per acting actor credibility (`except { HUN: 40% }`).
    pub fn except(&self) -> &[(ActorId, f64)] {
        self.rare.as_ref().map_or(&[], |r| &r.except)
    }

    /// A commitment's own `interoperability` (1 unless given).
    pub fn interoperability(&self) -> f64 {
        self.rare.as_ref().map_or(1.0, |r| r.interoperability)
    }

    /// Credibility for one acting actor, before its resolve.
    pub fn credibility_for(&self, actor: ActorId) -> f64 {
        self.except().iter().find(|(a, _)| *a == actor).map_or(self.credibility, |(_, c)| *c)
    }
}

/// A commitment: 152 bytes, a test says so; the attack atom of
/// its condition and the seldom given terms are behind pointers. Doc
/// comments are read from the AST (hover), not kept here.
#[derive(Clone, Debug, Serialize)]
pub struct Commitment {
    pub name: CompactString,
    pub actor: ActorId,
    pub kind: CommitmentKind,
    pub target: Target,
    pub terms: Terms,
    pub span: Span,
}

/// A commitment's target: one actor, or each member of an alliance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Target {
    Actor(ActorId),
    Alliance(AllianceId),
}

/// Obligations and commitments in declaration order (imports count where
/// they are written), the order in which the cascade considers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ProvisionRef {
    Obligation(AllianceId, usize),
    Commitment(CommitmentId),
}

/// A condition (§4) with `member` still symbolic: it is bound to the
/// protected member when an obligation is expanded.
#[derive(Clone, Debug, Serialize)]
pub enum Condition {
    Or(Box<[Condition]>),
    And(Box<[Condition]>),
    Not(Box<Condition>),
    /// Boxed: an attack atom is 184 bytes, the other conditions at most 40.
    Attack(Box<AttackCondition>),
    /// Boxed: two parties inline would make every condition 64 bytes.
    WarBetween(Box<(Parties, Parties)>, Span),
    WarWith(Parties, Span),
    ThreatTo(Parties, Span),
}

/// A clause of a condition with the span that a report points at.
#[derive(Clone, Debug, Serialize)]
pub struct Clause<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct AttackCondition {
    /// `unprovoked` (its span is the atom's).
    pub unprovoked: bool,
    /// `opening`: only a scenario's opening attacks (its span is the atom's).
    pub opening: bool,
    /// The victim (`on`); for a commitment without `on` it is the target.
    pub on: Option<Clause<Parties>>,
    pub by: Option<Clause<Parties>>,
    pub domains: Option<Clause<Box<[DomainId]>>>,
    pub within: Option<Clause<Box<[RegionId]>>>,
    /// `at RUNG` (exactly) or `at >= RUNG` (`true`).
    pub at: Option<Clause<(RungId, bool)>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Parties {
    /// The protected member of an alliance obligation.
    Member,
    Any,
    Actors(Vec<ActorId>),
}

#[derive(Clone, Debug, Serialize)]
pub struct Threat {
    pub aggressor: ActorId,
    pub targets: Vec<ActorId>,
    /// None means every domain where the aggressor's capability is positive.
    pub domains: Option<Vec<DomainId>>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Scenario {
    pub name: String,
    pub label: Option<String>,
    pub openings: Vec<Opening>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Opening {
    pub aggressor: ActorId,
    pub victim: ActorId,
    /// None means every domain.
    pub domains: Option<Vec<DomainId>>,
    /// Defaults to `settings.opening`.
    pub rung: RungId,
    pub provoked: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    NoUmbrella,
    Uncovered,
    Excluded,
    Hollow,
    Outmatched,
}

impl GapReason {
    pub const ALL: [GapReason; 5] =
        [GapReason::NoUmbrella, GapReason::Uncovered, GapReason::Excluded, GapReason::Hollow, GapReason::Outmatched];

    pub fn as_str(self) -> &'static str {
        match self {
            GapReason::NoUmbrella => "no_umbrella",
            GapReason::Uncovered => "uncovered",
            GapReason::Excluded => "excluded",
            GapReason::Hollow => "hollow",
            GapReason::Outmatched => "outmatched",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub enum Expectation {
    Gap { aggressor: ActorId, target: ActorId, domain: Option<DomainId>, reason: Option<GapReason> },
    NoGap { aggressor: ActorId, target: ActorId, domain: Option<DomainId> },
    Joins { scenario: ScenarioId, actor: ActorId },
    StaysOut { scenario: ScenarioId, actor: ActorId },
    Attacks { scenario: ScenarioId, actor: ActorId },
    Reaches { scenario: ScenarioId, rung: RungId },
    NotReaches { scenario: ScenarioId, rung: RungId },
    Probability { scenario: ScenarioId, event: ProbabilityEvent, comparison: Comparison, value: f64 },
}

#[derive(Clone, Copy, Debug, Serialize)]
pub enum ProbabilityEvent {
    Joins(ActorId),
    StaysOut(ActorId),
    Attacks(ActorId),
    Reaches(RungId),
}

#[derive(Clone, Debug, Serialize)]
pub struct ExpectationDecl {
    pub expectation: Expectation,
    pub span: Span,
}

/// A whole compilation, checked.
#[derive(Clone, Debug, Serialize)]
pub struct Program {
    pub settings: Settings,
    pub domains: Vec<Domain>,
    pub regions: Vec<Region>,
    pub actors: Vec<Actor>,
    pub alliances: Vec<Alliance>,
    pub commitments: Vec<Commitment>,
    pub provisions: Vec<ProvisionRef>,
    pub threats: Vec<Threat>,
    pub scenarios: Vec<Scenario>,
    pub expectations: Vec<ExpectationDecl>,
}

impl Program {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }

    pub fn capability(&self, actor: ActorId, domain: DomainId) -> f64 {
        self.actors[actor.index()].capability().get(domain.index()).copied().unwrap_or(0.0)
    }

    pub fn domain_named(&self, name: &str) -> Option<DomainId> {
        self.domains.iter().position(|d| d.name == name).map(|i| DomainId(i as u32))
    }

    pub fn rung_name(&self, id: RungId) -> &str {
        &self.settings.ladder[id.index()].name
    }

    /// Every region `region` lies in, itself first, then outwards
    /// breadth-first (containment closed, cycles walked once).
    pub fn regions_around(&self, region: RegionId) -> Vec<RegionId> {
        let mut around = vec![region];
        let mut seen: std::collections::HashSet<RegionId> = std::collections::HashSet::from([region]);
        let mut i = 0;
        while let Some(&r) = around.get(i) {
            for &p in self.regions.get(r.index()).map_or(&[][..], |r| &r.parents) {
                if seen.insert(p) {
                    around.push(p);
                }
            }
            i += 1;
        }
        around
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use std::mem::size_of;

    /// A file holds one commitment for each pair of actors it ties (92,500
    /// in the 8.7 MB generated world) and may hold a million actors: their
    /// sizes make the checker's peak. Names are stored in place (24 bytes,
    /// no allocation up to 24 bytes of name).
    #[test]
    fn commitments_stay_small() {
        assert_eq!(size_of::<Validity>(), 32);
        assert_eq!(size_of::<Condition>(), 40);
        assert_eq!(size_of::<Option<Condition>>(), 40);
        assert_eq!(size_of::<AttackCondition>(), 184);
        assert_eq!(size_of::<Terms>(), 96);
        assert_eq!(size_of::<Commitment>(), 152);
        assert_eq!(size_of::<Actor>(), 56);
    }

    /// The model hashes its validities as JSON: the compact form must
    /// serialize as the two options did.
    #[test]
    fn a_validity_serializes_as_two_options() {
        let span = Span { file: FileId(1), start: 3, end: 7 };
        let v = Validity::new(Some((Day::new(2020, 2, 29), span)), None);
        assert_eq!(v.since(), Some((Day::new(2020, 2, 29), span)));
        assert_eq!(v.until(), None);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"since":[1034333,{"file":1,"start":3,"end":7}],"until":null}"#);
        assert_eq!(serde_json::to_string(&Validity::default()).unwrap(), r#"{"since":null,"until":null}"#);
    }
}
