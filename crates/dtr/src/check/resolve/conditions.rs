//! Conditions (§4): each clause's parties, domains, regions and rungs
//! resolved, `member` refused outside an alliance (E0010), and the
//! default condition of each kind of provision (§3.5, §3.6).

use super::{Resolver, Scope};
use crate::check::program::{AttackCondition, Clause, Condition, Parties};
use crate::diagnostic::messages;
use crate::source::Span;
use crate::syntax::ast;
use crate::vocabulary::{ActorId, DeclarationKind, RegionId};

impl Resolver<'_> {
    pub(super) fn condition(&mut self, c: &ast::Condition, scope: Scope) -> Option<Condition> {
        Some(match c {
            ast::Condition::Or(parts, _) => Condition::Or(self.conditions(parts, scope)),
            ast::Condition::And(parts, _) => Condition::And(self.conditions(parts, scope)),
            ast::Condition::Not(inner, _) => Condition::Not(Box::new(self.condition(inner, scope)?)),
            ast::Condition::Group(inner, _) => self.condition(inner, scope)?,
            ast::Condition::WarBetween(a, b, span) => {
                Condition::WarBetween(Box::new((self.parties(a, scope)?, self.parties(b, scope)?)), *span)
            }
            ast::Condition::WarWith(p, span) => Condition::WarWith(self.parties(p, scope)?, *span),
            ast::Condition::ThreatTo(p, span) => Condition::ThreatTo(self.parties(p, scope)?, *span),
            ast::Condition::Attack(atom) => Condition::Attack(Box::new(self.attack(atom, scope)?)),
        })
    }

    /// The parts of `or`/`and` that resolved, in a slice of their number
    /// (`collect` into a `Vec` would not know it, as the filter drops some).
    pub(super) fn conditions(&mut self, parts: &[ast::Condition], scope: Scope) -> Box<[Condition]> {
        let mut out = Vec::with_capacity(parts.len());
        out.extend(parts.iter().filter_map(|p| self.condition(p, scope)));
        out.into_boxed_slice()
    }

    pub(super) fn attack(&mut self, atom: &ast::AttackAtom, scope: Scope) -> Option<AttackCondition> {
        self.once(&atom.clauses, ast::AttackClause::key);
        let mut out = AttackCondition {
            unprovoked: atom.unprovoked,
            opening: atom.opening,
            on: None,
            by: None,
            domains: None,
            within: None,
            at: None,
            span: atom.span,
        };
        let mut ok = true;
        for f in &atom.clauses {
            let span = f.span;
            match &f.value {
                ast::AttackClause::On(p) => match self.parties(p, scope) {
                    Some(value) => out.on = Some(Clause { value, span }),
                    None => ok = false,
                },
                ast::AttackClause::By(p) => match self.parties(p, scope) {
                    Some(value) => out.by = Some(Clause { value, span }),
                    None => ok = false,
                },
                ast::AttackClause::In(names) => {
                    let value = self.domains(names);
                    ok &= value.len() == names.items.len();
                    out.domains = Some(Clause { value: value.into_boxed_slice(), span });
                }
                ast::AttackClause::Within(names) => {
                    let value: Box<[RegionId]> = names.items.iter().filter_map(|n| self.region(n)).collect();
                    ok &= value.len() == names.items.len();
                    out.within = Some(Clause { value, span });
                }
                ast::AttackClause::At { at_least, rung } => match self.rung(rung) {
                    Some(r) => out.at = Some(Clause { value: (r, *at_least), span }),
                    None => ok = false,
                },
            }
        }
        // Without `on`, the attack is on the protected party: the commitment's
        // target, or the protected member of an alliance obligation.
        if out.on.is_none() {
            out.on = Some(Clause { value: Parties::Member, span: atom.span });
        }
        ok.then_some(out)
    }

    pub(super) fn parties(&mut self, p: &ast::Parties, scope: Scope) -> Option<Parties> {
        match p {
            ast::Parties::Any(_) => Some(Parties::Any),
            ast::Parties::Member(span) => {
                if scope == Scope::Commitment {
                    self.push(messages::e0010(*span));
                    return None;
                }
                Some(Parties::Member)
            }
            ast::Parties::Actors(names) => {
                let mut actors = Vec::new();
                for n in &names.items {
                    match self.lookup(n, &[DeclarationKind::Actor, DeclarationKind::Alliance]) {
                        // An alliance stands for its members.
                        Some((DeclarationKind::Alliance, i)) => {
                            actors.extend(self.members.get(i as usize).into_iter().flatten())
                        }
                        Some((_, i)) => actors.push(ActorId(i)),
                        None => return None,
                    }
                }
                actors.sort_unstable();
                actors.dedup();
                Some(Parties::Actors(actors))
            }
        }
    }

    /// The members of every alliance, resolved without reporting (the
    /// alliance's own resolution reports), so that a party list can name an
    /// alliance declared anywhere.
    pub(super) fn alliance_members(&self, alliances: &[&ast::Item]) -> Vec<Vec<ActorId>> {
        alliances
            .iter()
            .map(|item| match &item.kind {
                ast::ItemKind::Alliance(a) => a
                    .items
                    .iter()
                    .filter_map(|f| match &f.value {
                        ast::AllianceField::Members(n) => Some(n.items.iter()),
                        _ => None,
                    })
                    .flatten()
                    .filter_map(|m| {
                        self.symbol(self.name(m)).filter(|s| s.kind == DeclarationKind::Actor).map(|s| ActorId(s.index))
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

fn member_attack(span: Span) -> Condition {
    Condition::Attack(Box::new(AttackCondition {
        unprovoked: false,
        opening: false,
        on: Some(Clause { value: Parties::Member, span }),
        by: None,
        domains: None,
        within: None,
        at: None,
        span,
    }))
}

/// §3.5: `attack on member`, `war with member`, `threat_to member`; promises have none.
pub(super) fn default_obligation_when(kind: ast::ObligationKind, span: Span) -> Option<Condition> {
    match kind {
        ast::ObligationKind::Defend => Some(member_attack(span)),
        ast::ObligationKind::Join => Some(Condition::WarWith(Parties::Member, span)),
        ast::ObligationKind::Consult => Some(Condition::ThreatTo(Parties::Member, span)),
        ast::ObligationKind::Neutral | ast::ObligationKind::Nonaggression => None,
    }
}

/// §3.6: a commitment's default condition is about its target; an `attacks`
/// plan has none (it never fires, W0004).
pub(super) fn default_commitment_when(kind: ast::CommitmentKind, span: Span) -> Option<Condition> {
    match kind {
        ast::CommitmentKind::Defends => Some(member_attack(span)),
        ast::CommitmentKind::Consults => Some(Condition::ThreatTo(Parties::Member, span)),
        _ => None,
    }
}
