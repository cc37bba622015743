//! The exact method: a depth-first walk of the decision tree, cloning the
//! cascade at each branch (see [`super::probability`]).

use super::cascade::{Cascade, Mode, Progress};
use super::paths::BestPaths;
use super::probability::{Evaluation, Method, Request, Tally};
use crate::model::Model;

/// The most leaves the exact method explores before it gives way to Monte
/// Carlo: 16 independent undecided commitments.
pub const LEAF_LIMIT: u64 = 1 << 16;

/// The most commitment considerations (summed over every branch) the exact
/// method spends before it gives way to Monte Carlo: a few tenths of a
/// second. Large cascades reach it long before the leaf limit.
pub const WORK_LIMIT: u64 = 4_000_000;

/// None when the tree has more than [`LEAF_LIMIT`] leaves or costs more
/// than [`WORK_LIMIT`].
pub fn explore(model: &Model, p: &[f64], request: Request) -> Option<Evaluation> {
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    let mut leaves: u64 = 1;
    let mut work: u64 = 0;
    let mut pending = vec![(Cascade::new(model, request.scenario, Mode::Drawn, request.stop_at), 1.0)];
    while let Some((mut cascade, mut weight)) = pending.pop() {
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
            if leaves > LEAF_LIMIT || work + cascade.work > WORK_LIMIT {
                return None;
            }
            let mut refused = cascade.clone();
            // The shared prefix is counted once, in the honoured branch.
            refused.work = 0;
            refused.decide(id, false);
            pending.push((refused, weight * (1.0 - honour)));
            cascade.decide(id, true);
            weight *= honour;
        }
        work += cascade.work;
        if work > WORK_LIMIT {
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
