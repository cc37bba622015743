//! The exact method: a depth-first walk of the decision tree, cloning the
//! cascade at each branch (see [`super::probability`]).
//!
//! Whether the tree fits the limits is a property of the tree alone (the
//! leaves and the work are sums over it, whatever the order of the walk),
//! so the walk may give up as soon as it is certain that the tree exceeds
//! them: the result is then the one a full walk would have reached.
//! [`decisive_defences`] gives that certainty without walking the tree.

use super::cascade::{Cascade, Mode, Progress};
use super::paths::BestPaths;
use super::probability::{Evaluation, Method, Request, Tally};
use crate::model::{Kind, Model, Predicate};

/// The most leaves the exact method explores before it gives way to Monte
/// Carlo: 16 independent undecided commitments.
pub const LEAF_LIMIT: u64 = 1 << 16;

/// The most commitment considerations (summed over every branch) the exact
/// method spends before it gives way to Monte Carlo: a few tenths of a
/// second. Large cascades reach it long before the leaf limit.
pub const WORK_LIMIT: u64 = 4_000_000;

#[derive(Clone, Copy, Debug)]
struct Limits {
    leaves: u64,
    work: u64,
}

const LIMITS: Limits = Limits { leaves: LEAF_LIMIT, work: WORK_LIMIT };

/// None when the tree has more than [`LEAF_LIMIT`] leaves or costs more
/// than [`WORK_LIMIT`].
pub fn explore(model: &Model, p: &[f64], request: Request) -> Option<Evaluation> {
    walk(model, p, request, LIMITS, decisive_defences(model))
}

/// Whether, in `model`, the branching defences and alliance obligations
/// that one run decides on one event are decided in every branch below the
/// first of them, so that k of them prove at least 2^k leaves.
///
/// Take the run from the first such decision d₁ on event H, honouring
/// every later decision (the walk's own order), and a branch b below d₁.
/// A defence or alliance obligation dⱼ (kind `defend` or `join`) is a
/// candidate of H from the moment H is loaded, in every branch; its rules
/// 1–3 read H and the model, except "not at war with the target". With no
/// promise in the model (rule 4) and no condition that reads the war state
/// (`war between`, `war with`), a firing differs between b and the run
/// only through "at war". So for dⱼ to be blocked in b, some c considered
/// before it must fire in b, and not in the run, with dⱼ's pair of actors.
/// The first such c failed in the run only on "at war" with its own pair
/// (a plan woken in b is woken no later in the run, whose war is the larger
/// up to that point) — the pair of dⱼ, which would then have been at war
/// when dⱼ was reached in the run: it would not have been a decision.
fn decisive_defences(model: &Model) -> bool {
    model.index.promises.iter().all(Vec::is_empty)
        && model
            .commitments
            .iter()
            .filter(|c| c.in_force && c.kind != Kind::Consult)
            .all(|c| !c.condition.as_ref().is_some_and(reads_war_state))
}

fn reads_war_state(condition: &Predicate) -> bool {
    match condition {
        Predicate::Or(items) | Predicate::And(items) => items.iter().any(reads_war_state),
        Predicate::Not(inner) => reads_war_state(inner),
        Predicate::WarBetween { .. } | Predicate::WarWith { .. } => true,
        Predicate::Attack(_) | Predicate::ThreatTo { .. } => false,
    }
}

/// The walk. With `decisive`, it also counts leaves that the subtrees
/// still pending are certain to have (see [`decisive_defences`]): a subtree
/// branching off a run after its first decision d₁ of a defence or alliance
/// on the run's current event makes every later such decision of the run
/// on that event, so each of them doubles the subtree's leaves; each of its
/// branches clones at least the events of its root.
fn walk(model: &Model, p: &[f64], request: Request, limits: Limits, decisive: bool) -> Option<Evaluation> {
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    // Leaves found, one for each subtree pending, and one for the run.
    let mut leaves: u64 = 1;
    // Leaves the pending subtrees are certain to have beyond their one, and
    // the work of cloning at their branches.
    let (mut promised, mut promised_work): (u64, u64) = (0, 0);
    let mut work: u64 = 0;
    let root = Cascade::new(model, request.scenario, Mode::Drawn, request.stop_at);
    let mut pending = vec![Pending { cascade: root, weight: 1.0, certain: 1 }];
    while let Some(Pending { mut cascade, mut weight, certain }) = pending.pop() {
        promised = promised.saturating_sub(certain - 1);
        promised_work = promised_work.saturating_sub((certain - 1).saturating_mul(cascade.events.len() as u64));
        // The subtrees pending since this run's first defence or alliance
        // decided on its current event.
        let (mut event, mut group) = (None, Vec::new());
        while let Progress::Decide(id) = cascade.advance() {
            tally.relevant.insert(id.index());
            let honour = p[id.index()];
            if honour <= 0.0 || honour >= 1.0 {
                cascade.decide(id, honour >= 1.0);
                continue;
            }
            // Each branch adds one leaf to the tree.
            leaves += 1;
            // Cloning the state costs about one unit per event; a deep path
            // through a large cascade would otherwise hold many large clones.
            work += cascade.events.len() as u64;
            if decisive {
                if event != Some(cascade.head()) {
                    group.clear();
                }
                if matches!(model.commitment(id).kind, Kind::Defend | Kind::Join) {
                    event = Some(cascade.head());
                    for &k in &group {
                        let subtree: &mut Pending = &mut pending[k];
                        promised = promised.saturating_add(subtree.certain);
                        // A branch clones at least the events of the subtree's root.
                        let clones = subtree.certain.saturating_mul(subtree.cascade.events.len() as u64);
                        promised_work = promised_work.saturating_add(clones);
                        subtree.certain = subtree.certain.saturating_mul(2);
                    }
                }
                if event == Some(cascade.head()) {
                    group.push(pending.len());
                }
            }
            if leaves.saturating_add(promised) > limits.leaves || (work + cascade.work).saturating_add(promised_work) > limits.work {
                return None;
            }
            let mut refused = cascade.clone();
            // The shared prefix is counted once, in the honoured branch.
            refused.work = 0;
            refused.decide(id, false);
            pending.push(Pending { cascade: refused, weight: weight * (1.0 - honour), certain: 1 });
            cascade.decide(id, true);
            weight *= honour;
        }
        work += cascade.work;
        if work > limits.work {
            return None;
        }
        tally.add(&cascade, weight);
        if request.paths {
            paths.observe(&cascade.events, p);
        }
    }
    let method = Method::Exact { leaves, relevant: tally.relevant.len() };
    Some(Evaluation { tally, method, paths })
}

/// A subtree still to walk: the cascade at its root, the probability of
/// reaching it, and the leaves it is certain to have.
struct Pending<'m> {
    cascade: Cascade<'m>,
    weight: f64,
    certain: u64,
}

#[cfg(test)]
mod tests {
    use super::{LIMITS, Limits, decisive_defences, explore, walk};
    use crate::analysis::probability::{Method, Request};
    use crate::model::Model;
    use crate::model::testing::{model, scenario};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random world of defences, alliances and plans, with war-state
    /// conditions and promises only when `decisive` is wanted false.
    fn world(rng: &mut ChaCha8Rng, decisive: bool) -> String {
        let n = rng.random_range(4..9);
        let a = |rng: &mut ChaCha8Rng| format!("A{}", rng.random_range(0..n));
        let mut text: String = (0..n).map(|i| format!("actor A{i}\n")).collect();
        for k in 0..rng.random_range(2..14) {
            let (acting, other) = (a(rng), a(rng));
            let credibility = [30, 50, 100, 0][rng.random_range(0..4)];
            let when = match rng.random_range(0..if decisive { 4 } else { 7 }) {
                0 => String::new(),
                1 => format!("when: attack by {other}"),
                2 => format!("when: attack on {other} or not attack by {acting}"),
                3 => format!("when: unprovoked attack on {other}"),
                4 => format!("when: war with {other}"),
                5 => format!("when: attack and not war between {acting} and {other}"),
                _ => format!("when: war between {acting} and {other}"),
            };
            let kind = match rng.random_range(0..if decisive { 2 } else { 4 }) {
                0 => "defends",
                1 => "attacks",
                2 => "nonaggression",
                _ => "neutral",
            };
            if acting != other && (kind == "defends" || !when.is_empty() || kind != "attacks") {
                text += &format!("commitment c{k}: {acting} {kind} {other} {{ credibility: {credibility}% {when} }}\n");
            }
        }
        for k in 0..rng.random_range(0..3) {
            let members: Vec<String> = (0..n).filter(|_| rng.random_bool(0.6)).map(|i| format!("A{i}")).collect();
            if members.len() >= 2 {
                let kind = ["defend", "join"][rng.random_range(0..2)];
                let credibility = [40, 70, 100][rng.random_range(0..3)];
                text += &format!("alliance X{k} {{ members: [{}] obligation o {kind} {{ credibility: {credibility}% }} }}\n", members.join(", "));
            }
        }
        let (x, y) = (a(rng), a(rng));
        let victim = if x == y { format!("A{}", (rng.random_range(1..n) + x[1..].parse::<usize>().unwrap_or(0)) % n) } else { y };
        text + &format!("scenario s {{ {x} attacks {victim} }}\n")
    }

    fn method(m: &Model, limits: Limits, decisive: bool) -> Option<Method> {
        let request = Request { scenario: scenario(m, "s"), stop_at: None, paths: false };
        walk(m, &m.probabilities(), request, limits, decisive).map(|e| e.method)
    }

    /// Giving up early on what pending subtrees are certain to hold never
    /// changes the outcome of the walk: on random worlds, with small limits
    /// so that it often applies, the walk with it equals the full walk.
    #[test]
    fn decisive_defences_only_give_up_where_the_full_walk_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut given_up, mut checked) = (0, 0);
        for i in 0..600 {
            let text = world(&mut rng, i % 3 != 0);
            let m = model(&text);
            for (leaves, work) in [(2, LIMITS.work), (4, LIMITS.work), (16, LIMITS.work), (LIMITS.leaves, 60), (LIMITS.leaves, 300)] {
                let limits = Limits { leaves, work };
                let full = method(&m, limits, false);
                if decisive_defences(&m) {
                    let fast = method(&m, limits, true);
                    assert_eq!(fast, full, "{text}");
                    checked += 1;
                    given_up += usize::from(full.is_none());
                }
            }
        }
        assert!(checked > 900 && given_up > 200, "{checked} checked, {given_up} given up");
    }

    #[test]
    fn seventeen_defenders_of_the_victim_are_sampled_without_walking() {
        let defenders: String = (0..17).map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: 50% }}\n")).collect();
        let m = model(&format!("actor RUS actor EST\n{defenders}scenario s {{ RUS attacks EST }}"));
        assert!(decisive_defences(&m));
        let request = Request { scenario: scenario(&m, "s"), stop_at: None, paths: false };
        assert!(explore(&m, &m.probabilities(), request).is_none());
        // Sixteen fit: 2^16 leaves.
        let m = model(&format!("actor RUS actor EST\n{}scenario s {{ RUS attacks EST }}", defenders.lines().take(32).collect::<Vec<_>>().join("\n")));
        let e = explore(&m, &m.probabilities(), Request { scenario: scenario(&m, "s"), stop_at: None, paths: false });
        assert_eq!(e.map(|e| e.method), Some(Method::Exact { leaves: 1 << 16, relevant: 16 }));
    }
}
