//! The size of the model a program compiles to. Every alliance obligation
//! binds each member toward every other member, so an alliance of n members
//! becomes n(n − 1) commitments per obligation: 3,000 members, a 55 KB
//! file, would be nine million, which the analysis cannot hold. Past
//! [`MAX_EXPANDED`] the program is refused (E0021), at the provision that
//! contributes most, before anything is compiled.

use super::Diagnostics;
use super::program::{Program, ProvisionRef, Target};
use crate::diagnostic::messages::{self, TooLarge};

/// The most expanded commitments a model may hold. At about 125 bytes
/// each through the analysis, the bound is some 500 MB; the generated
/// 10 MB world expands to about a million, real alliance data to tens of
/// thousands (docs/robustness.md, "Bounds per stage").
pub const MAX_EXPANDED: u64 = 4_000_000;

/// Expanded commitments of each provision, as `model::compile` makes them.
fn expanded(program: &Program, provision: ProvisionRef) -> u64 {
    match provision {
        ProvisionRef::Obligation(alliance, _) => program.alliances.get(alliance.index()).map_or(0, |a| {
            let n = a.members.len() as u64;
            n * n.saturating_sub(1)
        }),
        ProvisionRef::Commitment(id) => program.commitments.get(id.index()).map_or(0, |c| match c.target {
            Target::Actor(t) => u64::from(t != c.actor),
            Target::Alliance(a) => program
                .alliances
                .get(a.index())
                .map_or(0, |a| a.members.iter().filter(|&&m| m != c.actor).count() as u64),
        }),
    }
}

/// E0021 when the program expands past [`MAX_EXPANDED`].
pub fn check(program: &Program, out: &mut Diagnostics) {
    let sizes = program.provisions.iter().map(|&p| (p, expanded(program, p)));
    let total: u64 = sizes.clone().map(|(_, n)| n).sum();
    if total <= MAX_EXPANDED {
        return;
    }
    let Some((largest, n)) = sizes.max_by_key(|&(_, n)| n) else { return };
    let (span, members) = match largest {
        ProvisionRef::Obligation(alliance, index) => {
            let a = &program.alliances[alliance.index()];
            (a.obligations.get(index).map_or(a.span, |o| o.span), Some(a.members.len()))
        }
        ProvisionRef::Commitment(id) => (program.commitments[id.index()].span, None),
    };
    out.push(messages::e0021(TooLarge::Expansion { total, limit: MAX_EXPANDED, largest: n, members }, span));
}
