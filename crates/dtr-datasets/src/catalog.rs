//! From checked rows to the catalogue: cut each alliance's life into spans
//! with a constant phase and membership, keep the spans in the period, and
//! turn each member's provisions into obligations (shared by every member)
//! or commitments (one member's own promise).

use super::atop::{AllianceDates, Coverage, Member, Summary};
use super::capabilities::Capabilities;
use super::day::{Day, DayRange};
use super::mapping::{self, Approx, Provision, Terms, Trigger};
use super::states::States;
use std::collections::{BTreeMap, BTreeSet};

pub struct Catalog {
    /// COW codes of the states to declare, ascending.
    pub actors: Vec<u32>,
    pub capabilities: Capabilities,
    pub alliances: Vec<Alliance>,
    pub summary: Summary,
}

/// One span of one ATOP alliance: a phase with a constant membership.
pub struct Alliance {
    pub name: String,
    pub atopid: u32,
    pub phase: u32,
    /// The whole alliance's dates, from the alliance file.
    pub alliance_span: DayRange,
    /// This span's dates: `since` and `until`.
    pub span: DayRange,
    /// COW codes in the order of the member file.
    pub members: Vec<u32>,
    /// CSV lines of the member rows.
    pub lines: Vec<u64>,
    pub obligations: Vec<(Provision, Terms)>,
    pub commitments: Vec<Commitment>,
    /// Approximations that concern the rows rather than one provision.
    pub row_approximations: Vec<(u32, Vec<Approx>)>,
}

#[derive(Debug, PartialEq)]
pub enum Commitment {
    /// One member's own promise toward every other member.
    Own { provision: Provision, actor: u32, terms: Terms },
    /// One member's offensive promise against a named adversary: it attacks
    /// the adversary once any member is at war with it.
    Plan { actor: u32, adversary: u32, terms: Terms },
    /// A promise the language cannot express; written as a comment.
    Unwritten { provision: Provision, actor: u32, approximation: Approx },
}

/// A span before selection.
struct Piece<'a> {
    phase: u32,
    span: DayRange,
    rows: Vec<&'a Member>,
}

pub fn build(
    rows: &[Member],
    states: &States,
    dates: &AllianceDates,
    capabilities: &Capabilities,
    period: Coverage,
) -> Catalog {
    let mut by_id: BTreeMap<u32, Vec<&Member>> = BTreeMap::new();
    for r in rows {
        by_id.entry(r.atopid).or_default().push(r);
    }
    let mut summary = Summary::default();
    let mut alliances = Vec::new();
    let mut approximations: BTreeMap<u64, BTreeSet<Approx>> = BTreeMap::new();
    for (&atopid, rows) in &by_id {
        let (pieces, singles) = pieces(rows);
        summary.single_member_spans.extend(
            singles
                .into_iter()
                .filter(|s| period.range().is_none_or(|(start, end)| s.overlaps(start, end)))
                .map(|s| (atopid, s)),
        );
        let selected: Vec<(usize, &Piece)> = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| period.range().is_none_or(|(start, end)| p.span.overlaps(start, end)))
            .collect();
        let several = selected.len() > 1;
        for (index, piece) in selected {
            let name = if several { format!("atop{atopid}_s{}", index + 1) } else { format!("atop{atopid}") };
            let alliance_span = dates.span.get(&atopid).copied().unwrap_or(piece.span);
            let alliance = alliance(name, atopid, alliance_span, piece);
            record_approximations(&alliance, piece, &mut approximations);
            alliances.push(alliance);
        }
    }
    summary.rows = approximations.len();
    for set in approximations.values() {
        for a in set {
            *summary.approximations.entry(a.key()).or_default() += 1;
        }
    }
    summary.alliances = alliances.len();
    summary.obligations = alliances.iter().map(|a| a.obligations.len()).sum();
    summary.commitments =
        alliances.iter().flat_map(|a| &a.commitments).filter(|c| !matches!(c, Commitment::Unwritten { .. })).count();

    let mut actors: BTreeSet<u32> = match period.range() {
        None => states.by_ccode.keys().copied().collect(),
        Some((start, end)) => states.in_system(start, end).map(|s| s.ccode).collect(),
    };
    for a in &alliances {
        actors.extend(&a.members);
        actors.extend(a.obligations.iter().flat_map(|(_, t)| named(&t.trigger)));
        for c in &a.commitments {
            match c {
                Commitment::Own { terms, .. } => actors.extend(named(&terms.trigger)),
                Commitment::Plan { adversary, .. } => {
                    actors.insert(*adversary);
                }
                Commitment::Unwritten { .. } => {}
            }
        }
    }
    summary.states = actors.len();
    let capabilities = Capabilities {
        domains: capabilities.domains.clone(),
        by_ccode: capabilities
            .by_ccode
            .iter()
            .filter(|(c, _)| actors.contains(c))
            .map(|(c, v)| (*c, v.clone()))
            .collect(),
        source: capabilities.source.clone(),
        nmc: capabilities.nmc,
    };
    Catalog { actors: actors.into_iter().collect(), capabilities, alliances, summary }
}

/// Adds, per member row (by CSV line), the approximations the span's
/// provisions needed: the counts of the header and of docs/import.md.
fn record_approximations(alliance: &Alliance, piece: &Piece, out: &mut BTreeMap<u64, BTreeSet<Approx>>) {
    for r in &piece.rows {
        out.entry(r.line).or_default().extend(mapping::row_approximations(r));
    }
    for (p, terms) in &alliance.obligations {
        for r in piece.rows.iter().filter(|r| mapping::terms(r, *p).is_some()) {
            out.entry(r.line).or_default().extend(terms.approximations.iter().copied());
        }
    }
    for c in &alliance.commitments {
        let (actor, approx): (u32, &[Approx]) = match c {
            Commitment::Own { actor, terms, .. } | Commitment::Plan { actor, terms, .. } => {
                (*actor, &terms.approximations)
            }
            Commitment::Unwritten { actor, approximation, .. } => (*actor, std::slice::from_ref(approximation)),
        };
        if let Some(r) = piece.rows.iter().find(|r| r.ccode == actor) {
            out.entry(r.line).or_default().extend(approx.iter().copied());
        }
    }
}

fn named(t: &Trigger) -> &[u32] {
    match t {
        Trigger::Default => &[],
        Trigger::Attack { by, .. } => by,
        Trigger::War { with } => with,
    }
}

/// The spans of one ATOP alliance, in order of start (then phase), and the
/// spans dropped for having fewer than two members.
///
/// A phase ends on the day the next phase begins (ATOP codes both on that
/// day), so a row whose exit day is the entry day of a later phase of the
/// same alliance ends the day before. Phases that run side by side (the
/// Czech and Slovak successions of 1993) stay separate spans.
fn pieces<'a>(rows: &[&'a Member]) -> (Vec<Piece<'a>>, Vec<DayRange>) {
    let ends: Vec<(&Member, Option<Day>)> = rows
        .iter()
        .map(|r| {
            let handed_over = r.exit.is_some_and(|x| rows.iter().any(|o| o.phase > r.phase && o.entry == x));
            let end = match r.exit {
                Some(x) if handed_over && x > r.entry => Some(x.previous()),
                other => other,
            };
            (*r, end)
        })
        .collect();
    let phases: BTreeSet<u32> = rows.iter().map(|r| r.phase).collect();
    let mut out = Vec::new();
    let mut singles = Vec::new();
    for phase in phases {
        let in_phase: Vec<&(&Member, Option<Day>)> = ends.iter().filter(|(r, _)| r.phase == phase).collect();
        let mut cuts: BTreeSet<Day> = BTreeSet::new();
        for (r, end) in &in_phase {
            cuts.insert(r.entry);
            if let Some(e) = end {
                cuts.insert(e.next());
            }
        }
        let cuts: Vec<Day> = cuts.into_iter().collect();
        for (i, &start) in cuts.iter().enumerate() {
            let covering: Vec<&Member> = in_phase
                .iter()
                .filter(|(r, end)| r.entry <= start && end.is_none_or(|e| e >= start))
                .map(|(r, _)| *r)
                .collect();
            if covering.is_empty() {
                continue;
            }
            let members: BTreeSet<u32> = covering.iter().map(|r| r.ccode).collect();
            let end = cuts.get(i + 1).map(|next| next.previous());
            if members.len() < 2 {
                singles.push(DayRange { start, end });
                continue;
            }
            out.push(Piece { phase, span: DayRange { start, end }, rows: covering });
        }
    }
    out.sort_by_key(|p| (p.span.start, p.phase));
    (out, singles)
}

/// A member's row and its terms for one provision.
type Held<'a> = (&'a Member, Terms);

fn alliance(name: String, atopid: u32, alliance_span: DayRange, piece: &Piece) -> Alliance {
    let mut rows = piece.rows.clone();
    rows.sort_by_key(|r| r.line);
    let members: Vec<u32> = rows.iter().map(|r| r.ccode).collect();
    let mut obligations = Vec::new();
    let mut commitments = Vec::new();
    for p in Provision::ALL {
        let (unwritable, holders): (Vec<Held>, Vec<Held>) =
            rows.iter().filter_map(|r| mapping::terms(r, p).map(|t| (*r, t))).partition(|(_, t)| limited_offense(p, t));
        commitments.extend(unwritable.iter().map(|(r, _)| Commitment::Unwritten {
            provision: p,
            actor: r.ccode,
            approximation: Approx::OffenseLimited,
        }));
        let Some((_, first)) = holders.first() else { continue };
        if holders.len() == rows.len() && holders.iter().all(|(_, t)| t == first) {
            obligations.push((p, first.clone()));
            continue;
        }
        for (r, terms) in holders {
            commitments.extend(own_commitments(p, r.ccode, terms));
        }
    }
    let row_approximations =
        rows.iter().map(|r| (r.ccode, mapping::row_approximations(r))).filter(|(_, a)| !a.is_empty()).collect();
    Alliance {
        name,
        atopid,
        phase: piece.phase,
        alliance_span,
        span: piece.span,
        members,
        lines: rows.iter().map(|r| r.line).collect(),
        obligations,
        commitments,
        row_approximations,
    }
}

/// An offence with no adversary named but limited by a place, a number of
/// adversaries or demands that the catalogue cannot state. ATOP's offence
/// is support "not precipitated by attack" on a partner, so its limit is
/// the whole of what it promises: written as a `join`, a promise for one
/// theatre would answer every war a member opens (docs/import.md).
fn limited_offense(p: Provision, t: &Terms) -> bool {
    let unstated = |a: &Approx| matches!(a, Approx::Location | Approx::NumberOfAttackers | Approx::Demands);
    p == Provision::Offense && t.trigger == Trigger::Default && t.approximations.iter().any(unstated)
}

/// One member's promise written on its own (the alliance is asymmetric).
fn own_commitments(p: Provision, actor: u32, mut terms: Terms) -> Vec<Commitment> {
    if p != Provision::Offense {
        if matches!(terms.trigger, Trigger::War { .. }) {
            terms.approximations.push(Approx::WarAsAttack);
            terms.approximations.sort();
        }
        return vec![Commitment::Own { provision: p, actor, terms }];
    }
    match &terms.trigger {
        Trigger::War { with } => with
            .iter()
            .filter(|&&a| a != actor)
            .map(|&adversary| Commitment::Plan { actor, adversary, terms: terms.clone() })
            .collect(),
        _ => vec![Commitment::Unwritten { provision: p, actor, approximation: Approx::OffenseUnnamed }],
    }
}
