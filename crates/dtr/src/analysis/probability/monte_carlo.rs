//! The Monte Carlo method (see [`super`]).
//!
//! Draws are counter-based: sample `j`'s key is output `j` of the
//! SplitMix64 generator seeded with the model's seed, and commitment `c` is
//! honoured in sample `j` when output `c` of the SplitMix64 generator
//! seeded with that key, as a uniform number in [0, 1), is below its
//! probability. SplitMix64 computes any output directly (one mix of
//! `seed + (k + 1)·γ`), so a draw costs a few nanoseconds and depends on
//! nothing but (seed, sample, commitment): results do not depend on the
//! thread count, and removing a commitment (importance) leaves every other
//! draw unchanged.
//!
//! Samples are drawn in waves of chunks; between waves, the paths of the
//! cascades run join a [`Tree`], and a sample of a later wave whose draws
//! follow a path of the tree takes its outcome without running its
//! cascade. The samples of a wave that leave the tree (every sample of a
//! wave larger than all drawn before it) run in one walk that shares each
//! prefix of decisions among the samples that draw it.

use super::sample_tree::{Outcome, Tree};
use super::{Evaluation, Method, Request, Tally, entrants};
use crate::analysis::cascade::{Cascade, Mode, Progress};
use crate::analysis::paths::BestPaths;
use crate::model::Model;
use crate::vocabulary::ExpandedId;
use rand::{RngCore, SeedableRng};
use rand_xoshiro::SplitMix64;
use rayon::prelude::*;

const CHUNK: u64 = 8;

/// SplitMix64's increment: seeded with `s + k·GAMMA`, the generator's first
/// output is output `k` of the generator seeded with `s`.
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The most commitment considerations one sampling spends (summed over its
/// samples, counted as if every sample ran its cascade); past it, sampling
/// stops after the current wave and the report gives the number of samples
/// actually drawn. The first wave is two chunks, which give the work per
/// sample; after that a wave takes at least as many chunks as were drawn
/// before it and up to a [`SHARE`]th of the chunks the rest of the budget
/// pays for at the work per sample seen so far, but never more than it
/// pays for, so a model whose single cascades are huge stops early and the
/// budget is overshot by little more than a chunk's worth. Whole waves,
/// sized from totals alone, keep the stopping point independent of the
/// thread count.
pub const WORK_LIMIT: u64 = 10_000_000;

/// A wave may take this fraction of what the rest of the budget pays for:
/// a sampling that costs a small part of the budget runs in two waves (the
/// fewer waves, the more prefixes one walk shares and the fewer hand-overs
/// between threads), one that may reach the budget in waves that grow from
/// there, so that the work per sample is learned again before most of the
/// budget is spent.
const SHARE: u64 = 16;

pub fn sample(model: &Model, p: &[f64], request: Request) -> Evaluation {
    sample_n(model, p, request, model.settings.samples.max(1))
}

/// Draws up to `samples` samples (fewer when the work budget runs out).
pub fn sample_n(model: &Model, p: &[f64], request: Request, samples: u64) -> Evaluation {
    sample_within(model, p, request, samples, WORK_LIMIT)
}

/// [`sample_n`] within `work` considerations (at most [`WORK_LIMIT`]): a
/// whole run's budget, shared by its scenarios, may leave less.
pub fn sample_within(model: &Model, p: &[f64], request: Request, samples: u64, work: u64) -> Evaluation {
    let limit = work.min(WORK_LIMIT);
    // On a worker thread, each wave's parallel parts start without handing
    // over from the calling thread and back (two thread switches a wave).
    rayon::scope(|_| waves(model, p, request, samples, limit))
}

fn waves(model: &Model, p: &[f64], request: Request, samples: u64, limit: u64) -> Evaluation {
    let seed = model.settings.seed;
    let chunks = samples.div_ceil(CHUNK);
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    let mut tree = Tree::default();
    let mut next = 0;
    // The first wave is always drawn: a budget spent elsewhere leaves an
    // estimate of 16 samples, not none.
    while next < chunks && (next == 0 || tally.work < limit) {
        let wave = next..(next + wave_size(&tally, next, limit)).min(chunks);
        next = wave.end;
        // The last wave's paths would join the tree for no later sample. A
        // leaf keeps no events, so entry paths, which count every sample,
        // need every sample walked: then no tree is kept.
        let keep = next < chunks && !request.paths;
        let sampler = Sampler { model, p, request, seed, tree: &tree, keep };
        // A tree of the paths of fewer samples than the wave draws finds few
        // of them, and the walk shares their prefixes anyway: walk them all.
        let found = if wave.end - wave.start > wave.start || request.paths {
            let keys = (wave.start * CHUNK..(wave.end * CHUNK).min(samples)).map(|j| output(seed, j)).collect();
            Part { missed: keys, ..Part::new(model) }
        } else {
            wave.into_par_iter()
                .fold(|| Part::new(model), |part, k| sampler.chunk(part, k * CHUNK..(k * CHUNK + CHUNK).min(samples)))
                .reduce(|| Part::new(model), Part::merge)
        };
        tally.merge(&found.tally);
        if found.missed.is_empty() {
            continue;
        }
        let mut missed = found.missed;
        let part = sampler.walk(&mut missed);
        tally.merge(&part.tally);
        paths.merge(part.paths);
        for (path, outcome) in &part.run {
            tree.insert(path, outcome);
        }
    }
    let drawn = tally.weight as u64;
    Evaluation { tally, method: Method::MonteCarlo { samples: drawn, requested: samples, seed }, paths }
}

/// The chunks of the next wave when `drawn` chunks are drawn (see
/// [`WORK_LIMIT`]): at least one, so sampling always moves on.
fn wave_size(tally: &Tally, drawn: u64, limit: u64) -> u64 {
    let samples = tally.weight as u64;
    if samples == 0 {
        return 2;
    }
    let per_chunk = (tally.work / samples).max(1) * CHUNK;
    let affordable = (limit.saturating_sub(tally.work) / per_chunk).max(1);
    drawn.max(affordable / SHARE).min(affordable)
}

/// The results of some chunks of a wave, and the keys of the samples
/// whose path is not in the tree, in sample order.
struct Part {
    tally: Tally,
    paths: BestPaths,
    run: Vec<(Vec<(ExpandedId, bool)>, Outcome)>,
    missed: Vec<u64>,
}

impl Part {
    fn new(model: &Model) -> Part {
        Part {
            tally: Tally::new(model),
            paths: BestPaths::new(model.actors.len()),
            run: Vec::new(),
            missed: Vec::new(),
        }
    }

    fn merge(mut self, other: Part) -> Part {
        self.tally.merge(&other.tally);
        self.paths.merge(other.paths);
        self.run.extend(other.run);
        self.missed.extend(other.missed);
        self
    }
}

/// A cascade run for the samples in `keys`, whose draws agree on every
/// decision in `path` so far.
struct Branch<'m, 'k> {
    cascade: Cascade<'m>,
    keys: &'k mut [u64],
    path: Vec<(ExpandedId, bool)>,
}

/// Both sides of a split draw at least this many samples before the walk
/// may run them on separate threads; smaller sides wait on a stack.
const FORK: usize = 16;

/// The most splits on one path that run their sides on separate threads
/// (each nests a call).
const FORK_DEPTH: usize = 32;

struct Sampler<'a> {
    model: &'a Model,
    p: &'a [f64],
    request: Request,
    seed: u64,
    tree: &'a Tree,
    /// Whether the walk keeps its paths and outcomes for the tree.
    keep: bool,
}

impl<'a> Sampler<'a> {
    /// Whether commitment `id` is honoured in the sample of key `key`.
    fn honoured(&self, key: u64, id: ExpandedId) -> bool {
        unit(output(key, id.0.into())) < self.p.get(id.index()).copied().unwrap_or(0.0)
    }

    /// Counts the samples whose path is in the tree and sets the others
    /// aside for [`Sampler::walk`].
    fn chunk(&self, mut part: Part, samples: std::ops::Range<u64>) -> Part {
        for j in samples {
            let key = output(self.seed, j);
            // A path already drawn has the same outcome, and its commitments
            // and entry paths are already counted.
            match self.tree.find(|id| self.honoured(key, id)) {
                Some(leaf) => {
                    let involved = leaf.involved.iter().map(|&a| a as usize);
                    part.tally.add_outcome(involved, leaf.top, leaf.capped, leaf.work, 1.0);
                }
                None => part.missed.push(key),
            }
        }
        part
    }

    /// Runs the cascades of the samples of `keys` together: one cascade
    /// while their draws agree, cloned where they differ, so a prefix of
    /// decisions shared by several samples is run once. Each leaf counts as
    /// many samples as reach it, as if each had run its own cascade. The
    /// keys are reordered.
    fn walk(&self, keys: &mut [u64]) -> Part {
        let cascade = Cascade::new(self.model, self.request.scenario, Mode::Drawn, self.request.stop_at);
        self.walk_from(Branch { cascade, keys, path: Vec::new() }, 0)
    }

    /// [`Sampler::walk`] from `branch`, below `forks` splits run in parallel.
    fn walk_from(&self, mut branch: Branch<'a, '_>, forks: usize) -> Part {
        let mut part = Part::new(self.model);
        let mut waiting = Vec::new();
        // The cascade of the last leaf, whose buffers the next split copies into.
        let mut spare = None;
        loop {
            let Progress::Decide(id) = branch.cascade.advance() else {
                spare = Some(self.leaf(&mut part, branch));
                match waiting.pop() {
                    Some(next) => branch = next,
                    None => return part,
                }
                continue;
            };
            part.tally.relevant.insert(id.index());
            let yes = partition(branch.keys, |k| self.honoured(k, id));
            if yes == 0 || yes == branch.keys.len() {
                self.step(&mut branch, id, yes > 0);
                continue;
            }
            let (honouring, refusing) = std::mem::take(&mut branch.keys).split_at_mut(yes);
            let mut path = Vec::with_capacity(if self.keep { branch.path.len() * 2 + 1 } else { 0 });
            path.extend_from_slice(&branch.path);
            let mut refused = Branch { cascade: branch.cascade.fork(spare.take()), keys: refusing, path };
            self.step(&mut refused, id, false);
            branch.keys = honouring;
            self.step(&mut branch, id, true);
            if branch.keys.len() >= FORK && refused.keys.len() >= FORK && forks < FORK_DEPTH {
                let (other, rest) =
                    rayon::join(|| self.walk_from(refused, forks + 1), || self.walk_from(branch, forks + 1));
                part = part.merge(other).merge(rest);
                match waiting.pop() {
                    Some(next) => branch = next,
                    None => return part,
                }
            } else {
                waiting.push(refused);
            }
        }
    }

    /// Counts a finished cascade once for each of its samples; returns the
    /// cascade, whose buffers the walk reuses.
    fn leaf(&self, part: &mut Part, branch: Branch<'a, '_>) -> Cascade<'a> {
        let (cascade, n) = (branch.cascade, branch.keys.len() as u64);
        let war = &cascade.war;
        part.tally.add_outcome(entrants(war), war.top, cascade.capped, cascade.work * n, n as f64);
        if self.request.paths {
            part.paths.observe(&cascade.events, self.p, n as f64);
        }
        if self.keep {
            let involved = entrants(war).map(|a| a as u32).collect();
            part.run
                .push((branch.path, Outcome { involved, top: war.top, capped: cascade.capped, work: cascade.work }));
        }
        cascade
    }

    /// Decides `id` for every sample of `branch`.
    fn step(&self, branch: &mut Branch, id: ExpandedId, honoured: bool) {
        if self.keep {
            branch.path.push((id, honoured));
        }
        branch.cascade.decide(id, honoured);
    }
}

/// Moves the keys for which `honoured` holds to the front; returns how many.
fn partition(keys: &mut [u64], honoured: impl Fn(u64) -> bool) -> usize {
    let mut yes = 0;
    for i in 0..keys.len() {
        if honoured(keys[i]) {
            keys.swap(yes, i);
            yes += 1;
        }
    }
    yes
}

/// Output `k` of the SplitMix64 generator seeded with `state`.
fn output(state: u64, k: u64) -> u64 {
    SplitMix64::seed_from_u64(state.wrapping_add(k.wrapping_mul(GAMMA))).next_u64()
}

/// A uniform number in [0, 1) from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::{GAMMA, Sampler, WORK_LIMIT, output, sample_n, wave_size};
    use crate::analysis::cascade::{Cascade, Mode, Progress};
    use crate::analysis::paths::BestPaths;
    use crate::analysis::probability::sample_tree::Tree;
    use crate::analysis::probability::{Method, Request, Tally};
    use crate::vocabulary::ScenarioId;
    use dtr_gen::generate::{Shape, world};
    use rand::{RngCore, SeedableRng};
    use rand_xoshiro::SplitMix64;

    /// Every sample's cascade run on its own, from its openings.
    fn one_by_one(sampler: &Sampler, n: u64) -> (Tally, BestPaths) {
        let (mut tally, mut paths) = (Tally::new(sampler.model), BestPaths::new(sampler.model.actors.len()));
        for j in 0..n {
            let key = output(sampler.seed, j);
            let request = sampler.request;
            let mut cascade = Cascade::new(sampler.model, request.scenario, Mode::Drawn, request.stop_at);
            while let Progress::Decide(id) = cascade.advance() {
                tally.relevant.insert(id.index());
                cascade.decide(id, sampler.honoured(key, id));
            }
            tally.add(&cascade, 1.0);
            paths.observe(&cascade.events, sampler.p, 1.0);
        }
        (tally, paths)
    }

    #[test]
    fn the_tree_and_the_shared_walk_change_no_result() {
        let checked = crate::check::check_source("world.dtr", &world(Shape::world(30, 7)));
        let model = crate::model::compile(&checked.program);
        let p = model.probabilities();
        let request = Request { scenario: ScenarioId(0), stop_at: None, paths: true };
        // Three waves: the first two walk every sample, the third looks up
        // the tree first; with paths, every sample is walked.
        let n = 9000;
        let shared = sample_n(&model, &p, Request { paths: false, ..request }, n);
        let walked_paths = sample_n(&model, &p, request, n);
        let tree = Tree::default();
        let sampler = Sampler { model: &model, p: &p, request, seed: model.settings.seed, tree: &tree, keep: true };
        let (alone, alone_paths) = one_by_one(&sampler, n);
        assert!(shared.tally.weight == n as f64 && alone.weight == n as f64);
        let method = Method::MonteCarlo { samples: n, requested: n, seed: model.settings.seed };
        assert_eq!(shared.tally.probabilities(method.clone()), alone.probabilities(method.clone()));
        assert_eq!((shared.tally.work, &shared.tally.relevant), (alone.work, &alone.relevant));
        assert_eq!(shared.tally.entrants_squared, alone.entrants_squared);
        assert_eq!(walked_paths.tally.probabilities(method.clone()), alone.probabilities(method.clone()));
        assert_eq!(walked_paths.paths.into_paths(n as f64), alone_paths.into_paths(n as f64));
        // One walk of every sample: leaves are shared, and it agrees too.
        let mut keys: Vec<u64> = (0..n).map(|j| output(sampler.seed, j)).collect();
        let walked = sampler.walk(&mut keys);
        assert!(walked.run.len() > 100 && (walked.run.len() as u64) < n / 2, "{} leaves", walked.run.len());
        assert_eq!(walked.tally.probabilities(method.clone()), shared.tally.probabilities(method));
    }

    #[test]
    fn waves_take_what_a_share_of_the_budget_pays_for() {
        let checked = crate::check::check_source("w.dtr", "actor A actor B\nscenario s { A attacks B }");
        let mut tally = Tally::new(&crate::model::compile(&checked.program));
        assert_eq!(wave_size(&tally, 0, WORK_LIMIT), 2);
        // 16 samples of 73 considerations: the rest of the budget pays for
        // 17,121 chunks, a sixteenth of which is the next wave.
        (tally.weight, tally.work) = (16.0, 16 * 73);
        assert_eq!(wave_size(&tally, 2, WORK_LIMIT), 1070);
        // Past that share, the chunks drawn double, but no further than the
        // budget pays for.
        (tally.weight, tally.work) = (8576.0, 8576 * 73);
        assert_eq!(wave_size(&tally, 1072, WORK_LIMIT), 1072);
        (tally.weight, tally.work) = (100.0, WORK_LIMIT - 800);
        assert_eq!(wave_size(&tally, 1000, WORK_LIMIT), 1);
    }

    #[test]
    fn an_output_is_computed_at_its_position() {
        let mut stream = SplitMix64::seed_from_u64(42);
        for k in 0..100 {
            assert_eq!(output(42, k), stream.next_u64());
        }
        assert_eq!(output(7, 3), output(7 + GAMMA, 2));
    }
}
