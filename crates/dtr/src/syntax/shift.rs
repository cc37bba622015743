//! Moving a piece of AST to another place in its file: every span it holds
//! shifts by the same number of bytes. Lets a declaration parsed once be
//! reused when an edit elsewhere moves it (see `incremental`).

use super::ast::*;
use crate::source::Span;

/// Something that holds spans.
pub trait Shift {
    /// Adds `by` to every start and end (both stay in the file: the caller
    /// moves a piece to where its text now is).
    fn shift(&mut self, by: i64);
}

impl Shift for Span {
    fn shift(&mut self, by: i64) {
        self.start = (i64::from(self.start) + by) as u32;
        self.end = (i64::from(self.end) + by) as u32;
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: i64) {
        self.iter_mut().for_each(|x| x.shift(by));
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: i64) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: i64) {
        (**self).shift(by);
    }
}

impl<T: Shift> Shift for Field<T> {
    fn shift(&mut self, by: i64) {
        self.value.shift(by);
        self.span.shift(by);
    }
}

/// Types whose spans are all in named fields.
macro_rules! shift_fields {
    ($($ty:ident { $($field:ident),* })*) => {$(
        impl Shift for $ty {
            fn shift(&mut self, by: i64) {
                $(self.$field.shift(by);)*
            }
        }
    )*};
}

shift_fields! {
    Ident { span }
    Str { span }
    Number { span }
    Probability { span }
    TimePoint { span }
    Names { items, span }
    Comment { span }
    Item { kind, span }
    Domain { name, label }
    Region { name, label, body }
    Actor { name, details }
    ActorDetails { label, body }
    CapabilityEntry { domain, value }
    Alliance { name, label, items }
    Obligation { name, kind_span, terms }
    ExceptEntry { actor, value }
    Commitment { name, actor, kind_span, target, terms }
    AttackAtom { clauses, span }
    Threat { aggressor, targets, body }
    Scenario { name, label, openings }
    Opening { aggressor, victim, clauses, span }
}

impl Shift for DocComment {
    fn shift(&mut self, by: i64) {
        self.at = (i64::from(self.at) + by) as u32;
    }
}

impl Shift for ItemKind {
    fn shift(&mut self, by: i64) {
        match self {
            ItemKind::Import(s) => s.shift(by),
            ItemKind::Settings(f) => f.shift(by),
            ItemKind::Domain(d) => d.shift(by),
            ItemKind::Region(r) => r.shift(by),
            ItemKind::Actor(a) => a.shift(by),
            ItemKind::Alliance(a) => a.shift(by),
            ItemKind::Commitment(c) => c.shift(by),
            ItemKind::Threat(t) => t.shift(by),
            ItemKind::Scenario(s) => s.shift(by),
            ItemKind::Expect(e) => e.shift(by),
        }
    }
}

impl Shift for Setting {
    fn shift(&mut self, by: i64) {
        match self {
            Setting::Year(t) | Setting::Date(t) => t.shift(by),
            Setting::Ladder(n) => n.shift(by),
            Setting::DeterrenceRatio(n) | Setting::Samples(n) | Setting::Seed(n) => n.shift(by),
            Setting::CredibilityFloor(p) => p.shift(by),
            Setting::Opening(i) => i.shift(by),
            Setting::Substitution(list) => {
                for s in list {
                    s.from.shift(by);
                    s.to.shift(by);
                    s.factor.shift(by);
                    s.span.shift(by);
                }
            }
        }
    }
}

impl Shift for ActorField {
    fn shift(&mut self, by: i64) {
        match self {
            ActorField::Region(i) => i.shift(by),
            ActorField::Capability(e) => e.shift(by),
            ActorField::Resolve(p) => p.shift(by),
        }
    }
}

impl Shift for AllianceField {
    fn shift(&mut self, by: i64) {
        match self {
            AllianceField::Members(n) => n.shift(by),
            AllianceField::Since(t) | AllianceField::Until(t) => t.shift(by),
            AllianceField::Interoperability(p) => p.shift(by),
            AllianceField::Obligation(o) => o.shift(by),
        }
    }
}

impl Shift for Term {
    fn shift(&mut self, by: i64) {
        match self {
            Term::When(c) => c.shift(by),
            Term::Domains(n) => n.shift(by),
            Term::Response(i) => i.shift(by),
            Term::Credibility { value, except } => {
                value.shift(by);
                except.shift(by);
            }
            Term::Since(t) | Term::Until(t) => t.shift(by),
            Term::Interoperability(p) => p.shift(by),
        }
    }
}

impl Shift for Condition {
    fn shift(&mut self, by: i64) {
        match self {
            Condition::Or(parts, s) | Condition::And(parts, s) => {
                parts.shift(by);
                s.shift(by);
            }
            Condition::Not(c, s) | Condition::Group(c, s) => {
                c.shift(by);
                s.shift(by);
            }
            Condition::Attack(a) => a.shift(by),
            Condition::WarBetween(a, b, s) => {
                a.shift(by);
                b.shift(by);
                s.shift(by);
            }
            Condition::WarWith(p, s) | Condition::ThreatTo(p, s) => {
                p.shift(by);
                s.shift(by);
            }
        }
    }
}

impl Shift for AttackClause {
    fn shift(&mut self, by: i64) {
        match self {
            AttackClause::On(p) | AttackClause::By(p) => p.shift(by),
            AttackClause::In(n) | AttackClause::Within(n) => n.shift(by),
            AttackClause::At { rung, .. } => rung.shift(by),
        }
    }
}

impl Shift for Parties {
    fn shift(&mut self, by: i64) {
        match self {
            Parties::Member(s) | Parties::Any(s) => s.shift(by),
            Parties::Actors(n) => n.shift(by),
        }
    }
}

impl Shift for OpeningClause {
    fn shift(&mut self, by: i64) {
        match self {
            OpeningClause::In(n) => n.shift(by),
            OpeningClause::At(i) => i.shift(by),
            OpeningClause::Provoked => {}
        }
    }
}

impl Shift for Expect {
    fn shift(&mut self, by: i64) {
        match self {
            Expect::Gap { aggressor, target, domain, reason } => {
                aggressor.shift(by);
                target.shift(by);
                domain.shift(by);
                reason.shift(by);
            }
            Expect::NoGap { aggressor, target, domain } => {
                aggressor.shift(by);
                target.shift(by);
                domain.shift(by);
            }
            Expect::Scenario { scenario, outcome } => {
                scenario.shift(by);
                outcome.shift(by);
            }
        }
    }
}

impl Shift for Outcome {
    fn shift(&mut self, by: i64) {
        match self {
            Outcome::Joins(i)
            | Outcome::StaysOut(i)
            | Outcome::Attacks(i)
            | Outcome::Reaches(i)
            | Outcome::NotReaches(i) => i.shift(by),
            Outcome::Probability { event, value, .. } => {
                event.shift(by);
                value.shift(by);
            }
        }
    }
}
