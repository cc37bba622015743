//! What `--merge` checks inside each shard output before trusting it: its
//! names are actors and rungs of the sweep, its numbers are in range, each
//! attack belongs to its shard and appears once, and its results digest
//! matches (a shard edited by hand, even consistently, is refused). One
//! diagnostic per file at most: an edited file is refused as a whole.

use super::merge::field;
use super::{AttackReport, SweepReport};
use crate::analysis::probability::{Estimate, Method};
use crate::analysis::sweep::{Attack, Shard, attack_seed};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, NotSweep, Shards};
use crate::source::{FileId, SourceMap, Span};
use crate::vocabulary::ActorId;
use std::collections::{HashMap, HashSet};

/// The attacks of a sweep in canonical order (aggressor-major, actors in
/// declaration order), located without listing them.
struct Order {
    /// Actor index by name.
    actors: HashMap<String, usize>,
    /// Position in the sorted victims, by actor (None: not a victim).
    victim_rank: Vec<Option<usize>>,
    /// Position of each attacker's first attack, by actor (None: not an attacker).
    row_start: Vec<Option<usize>>,
    total: usize,
}

impl Order {
    /// Fails when the selection names an actor the output does not list.
    fn new(report: &SweepReport) -> Result<Order, String> {
        let actors: HashMap<String, usize> = report.actors.iter().enumerate().map(|(i, a)| (a.clone(), i)).collect();
        let n = report.actors.len();
        let chosen = |given: &Option<Vec<String>>| -> Result<Vec<bool>, String> {
            let mut set = vec![given.is_none(); n];
            for name in given.iter().flatten() {
                set[*actors
                    .get(name)
                    .ok_or_else(|| format!("the selection names `{name}`, which is not among its actors"))?] = true;
            }
            Ok(set)
        };
        let (attackers, victims) = (chosen(&report.selection.attackers)?, chosen(&report.selection.targets)?);
        let mut victim_rank = vec![None; n];
        let mut count = 0;
        for i in (0..n).filter(|&i| victims[i]) {
            victim_rank[i] = Some(count);
            count += 1;
        }
        let mut row_start = vec![None; n];
        let mut total = 0;
        for i in (0..n).filter(|&i| attackers[i]) {
            row_start[i] = Some(total);
            total += count - usize::from(victims[i]);
        }
        Ok(Order { actors, victim_rank, row_start, total })
    }

    /// The attack's ids and canonical position, or why it has none.
    fn locate(&self, a: &AttackReport) -> Result<(Attack, usize), String> {
        let id =
            |name: &str| self.actors.get(name).copied().ok_or_else(|| format!("`{name}` is not an actor of the sweep"));
        let (aggressor, victim) = (id(&a.aggressor)?, id(&a.victim)?);
        let (Some(row), Some(rank)) = (self.row_start[aggressor], self.victim_rank[victim]) else {
            return Err("the selection (--attackers, --targets) does not include it".to_string());
        };
        if aggressor == victim {
            return Err("an actor attacks itself".to_string());
        }
        // The row skips the aggressor itself when it is a victim too.
        let skipped = self.victim_rank[aggressor].is_some_and(|own| own < rank);
        let attack = Attack { aggressor: ActorId(aggressor as u32), victim: ActorId(victim as u32) };
        Ok((attack, row + rank - usize::from(skipped)))
    }
}

/// The first problem in one output's contents, as E0094.
pub(super) fn contents(file: FileId, text: &str, report: &SweepReport) -> Option<Diagnostic> {
    let refuse = |span: Span, why: String| messages::e0094(NotSweep::Edited { why: &why }, span);
    let order = match Order::new(report) {
        Ok(order) => order,
        Err(why) => return Some(refuse(field(file, text, "selection"), why)),
    };
    if order.total != report.total {
        return Some(refuse(
            field(file, text, "total"),
            format!("its actors and selection make {} attacks, not {}", order.total, report.total),
        ));
    }
    let settings = &report.settings;
    if !settings.ladder.contains(&settings.opening) {
        return Some(refuse(
            field(file, text, "settings"),
            format!("the opening rung `{}` is not on its ladder", settings.opening),
        ));
    }
    for a in &report.attacks {
        let problem = order.locate(a).and_then(|(attack, _)| attack_problem(report, attack, a).map_or(Ok(()), Err));
        if let Err(why) = problem {
            let span = attack_span(file, text, a.rank);
            return Some(refuse(span, format!("attack {} → {}: {why}", a.aggressor, a.victim)));
        }
    }
    None
}

/// What is out of range in one attack's results, if anything.
fn attack_problem(report: &SweepReport, attack: Attack, a: &AttackReport) -> Option<String> {
    let settings = &report.settings;
    let actors = report.actors.len();
    if a.seed != attack_seed(settings.seed, attack) {
        return Some(format!("its seed {} is not the one the sweep derives", a.seed));
    }
    if a.entrants < 2 || a.entrants > actors {
        return Some(format!("{} entrants, outside 2 to {actors}", a.entrants));
    }
    let on_ladder = |rung: &str| settings.ladder.iter().any(|r| r == rung);
    if let Some(top) = a.top_rung.as_deref().filter(|r| !on_ladder(r)) {
        return Some(format!("its top rung `{top}` is not on the ladder"));
    }
    if !settings.probabilities {
        return (a.method.is_some() || a.expected_entrants.is_some() || !a.rungs.is_empty())
            .then(|| "it has probabilities, which this sweep did not evaluate".to_string());
    }
    let (Some(method), Some(expected)) = (&a.method, &a.expected_entrants) else {
        return Some("its probabilities are missing".to_string());
    };
    if let Method::MonteCarlo { samples, requested, .. } = method
        && (samples > requested || *requested != settings.samples)
    {
        return Some(format!("{samples} samples of {requested}, for a sweep of {} samples", settings.samples));
    }
    if !in_range(expected, actors as f64) {
        return Some(format!("{} expected entrants, outside 0 to {actors}", expected.value));
    }
    if a.rungs.len() != settings.ladder.len() || a.rungs.iter().zip(&settings.ladder).any(|(r, l)| r.rung != *l) {
        return Some("its rungs are not those of the ladder, in order".to_string());
    }
    a.rungs
        .iter()
        .find(|r| !in_range(&r.reached, 1.0))
        .map(|r| format!("a probability of {} for `{}`", r.reached.value, r.rung))
}

/// A finite estimate in [0, `max`], inside its interval.
fn in_range(e: &Estimate, max: f64) -> bool {
    let within = |v: f64| v.is_finite() && (0.0..=max).contains(&v);
    within(e.value)
        && e.interval.is_none_or(|i| within(i.low) && within(i.high) && i.low <= e.value && e.value <= i.high)
}

/// Each attack in the shard it was dealt to, and in one shard only.
pub(super) fn placement(parts: &[(FileId, &SweepReport)], sources: &SourceMap) -> Option<Diagnostic> {
    let (_, first) = parts.first()?;
    let order = Order::new(first).ok()?;
    let mut seen: HashSet<usize> = HashSet::new();
    for &(file, report) in parts {
        let shard = report.shard.unwrap_or(Shard { index: 1, count: 1 });
        for a in &report.attacks {
            let Ok((_, position)) = order.locate(a) else { continue };
            let dealt = Shard { index: (position % shard.count as usize) as u32 + 1, count: shard.count };
            let (dealt_elsewhere, twice) = (dealt != shard, !seen.insert(position));
            if dealt_elsewhere || twice {
                let (attack, dealt, shard) =
                    (format!("{} → {}", a.aggressor, a.victim), dealt.to_string(), shard.to_string());
                let problem = if dealt_elsewhere {
                    Shards::Misdealt { attack: &attack, dealt: &dealt, shard: &shard }
                } else {
                    Shards::AttackTwice { attack: &attack }
                };
                return Some(messages::e0093(problem, attack_span(file, sources.text(file), a.rank)));
            }
        }
    }
    None
}

/// A shard whose results digest does not match its contents.
pub(super) fn edited(file: FileId, text: &str) -> Diagnostic {
    messages::e0094(NotSweep::Resealed, field(file, text, "results_digest"))
}

/// The line `"rank": RANK,` of an attack in pretty-printed output, or the
/// `attacks` field.
fn attack_span(file: FileId, text: &str, rank: usize) -> Span {
    let attacks = field(file, text, "attacks");
    let needle = format!("\n      \"rank\": {rank},");
    match text.get(attacks.start as usize..).and_then(|rest| rest.find(&needle)) {
        Some(at) => {
            let start = attacks.start as usize + at + 7;
            Span::new(file, start, start + needle.len() - 8)
        }
        None => attacks,
    }
}
