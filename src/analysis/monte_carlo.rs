//! The Monte Carlo method (see [`super::probability`]).
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
//! cascades run join a [`Tree`], and a later sample whose draws follow a
//! path of the tree takes its outcome without running its cascade. The
//! samples of a wave that leave the tree run in one walk that shares each
//! prefix of decisions among the samples that draw it.

use super::cascade::{Cascade, Mode, Progress};
use super::paths::BestPaths;
use super::probability::{Evaluation, Method, Request, Tally};
use super::sample_tree::{Outcome, Tree};
use crate::model::{ExpandedId, Model};
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
/// actually drawn. Waves start at two chunks and double, but never beyond
/// the chunks the remaining budget pays for at the work per sample seen so
/// far, so a model whose single cascades are huge stops early and the
/// budget is overshot by little more than a chunk's worth. Whole waves,
/// sized from totals alone, keep the stopping point independent of the
/// thread count.
pub const WORK_LIMIT: u64 = 10_000_000;

pub fn sample(model: &Model, p: &[f64], request: Request) -> Evaluation {
    sample_n(model, p, request, model.settings.samples.max(1))
}

/// Draws up to `samples` samples (fewer when the work budget runs out).
pub fn sample_n(model: &Model, p: &[f64], request: Request, samples: u64) -> Evaluation {
    // On a worker thread, each wave's parallel parts start without handing
    // over from the calling thread and back (two thread switches a wave).
    rayon::scope(|_| waves(model, p, request, samples))
}

fn waves(model: &Model, p: &[f64], request: Request, samples: u64) -> Evaluation {
    let seed = model.settings.seed;
    let chunks = samples.div_ceil(CHUNK);
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    let mut tree = Tree::default();
    let (mut next, mut size) = (0, 2);
    while next < chunks && tally.work < WORK_LIMIT {
        let wave = next..(next + size.min(affordable(&tally))).min(chunks);
        next = wave.end;
        size *= 2;
        let sampler = Sampler { model, p, request, seed, tree: &tree };
        let found = wave
            .into_par_iter()
            .fold(|| Part::new(model), |part, k| sampler.chunk(part, k * CHUNK..(k * CHUNK + CHUNK).min(samples)))
            .reduce(|| Part::new(model), Part::merge);
        tally.merge(&found.tally);
        if found.missed.is_empty() {
            continue;
        }
        let part = sampler.walk(found.missed);
        tally.merge(&part.tally);
        paths.merge(part.paths);
        for (path, outcome) in &part.run {
            tree.insert(path, outcome);
        }
    }
    let drawn = tally.weight as u64;
    Evaluation { tally, method: Method::MonteCarlo { samples: drawn, requested: samples, seed }, paths }
}

/// Chunks the rest of the work budget pays for at the mean work per sample
/// so far (at least one, so sampling always moves on).
fn affordable(tally: &Tally) -> u64 {
    let drawn = tally.weight as u64;
    if drawn == 0 || tally.work == 0 {
        return u64::MAX;
    }
    let per_chunk = (tally.work / drawn).max(1) * CHUNK;
    (WORK_LIMIT.saturating_sub(tally.work) / per_chunk).max(1)
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
        Part { tally: Tally::new(model), paths: BestPaths::new(model.actors.len()), run: Vec::new(), missed: Vec::new() }
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
struct Branch<'m> {
    cascade: Cascade<'m>,
    keys: Vec<u64>,
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
    /// many samples as reach it, as if each had run its own cascade.
    fn walk(&self, keys: Vec<u64>) -> Part {
        let cascade = Cascade::new(self.model, self.request.scenario, Mode::Drawn, self.request.stop_at);
        self.walk_from(Branch { cascade, keys, path: Vec::new() }, 0)
    }

    /// [`Sampler::walk`] from `branch`, below `forks` splits run in parallel.
    fn walk_from(&self, mut branch: Branch<'a>, forks: usize) -> Part {
        let mut part = Part::new(self.model);
        let mut waiting = Vec::new();
        loop {
            let Progress::Decide(id) = branch.cascade.advance() else {
                self.leaf(&mut part, branch);
                match waiting.pop() {
                    Some(next) => branch = next,
                    None => return part,
                }
                continue;
            };
            part.tally.relevant.insert(id.index());
            let yes = branch.keys.iter().filter(|&&k| self.honoured(k, id)).count();
            if yes == 0 || yes == branch.keys.len() {
                branch.path.push((id, yes > 0));
                branch.cascade.decide(id, yes > 0);
                continue;
            }
            let (mut honouring, mut refusing) = (Vec::with_capacity(yes), Vec::with_capacity(branch.keys.len() - yes));
            for &k in &branch.keys {
                let side = if self.honoured(k, id) { &mut honouring } else { &mut refusing };
                side.push(k);
            }
            let mut path = Vec::with_capacity(branch.path.len() * 2 + 1);
            path.extend_from_slice(&branch.path);
            path.push((id, false));
            let mut refused = Branch { cascade: branch.cascade.fork(), keys: refusing, path };
            refused.cascade.decide(id, false);
            branch.keys = honouring;
            branch.path.push((id, true));
            branch.cascade.decide(id, true);
            if branch.keys.len() >= FORK && refused.keys.len() >= FORK && forks < FORK_DEPTH {
                let (other, rest) = rayon::join(|| self.walk_from(refused, forks + 1), || self.walk_from(branch, forks + 1));
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

    /// Counts a finished cascade once for each of its samples.
    fn leaf(&self, part: &mut Part, branch: Branch) {
        let (cascade, n) = (&branch.cascade, branch.keys.len() as u64);
        let war = &cascade.war;
        part.tally.add_outcome(war.involved.iter(), war.top, cascade.capped, cascade.work * n, n as f64);
        if self.request.paths {
            part.paths.observe(&cascade.events, self.p);
        }
        let involved = war.involved.iter().map(|a| a as u32).collect();
        part.run.push((branch.path, Outcome { involved, top: war.top, capped: cascade.capped, work: cascade.work }));
    }
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
    use super::{GAMMA, Sampler, output, sample_n};
    use crate::analysis::cascade::{Cascade, Mode, Progress};
    use crate::analysis::paths::BestPaths;
    use crate::analysis::probability::{Method, Request, Tally};
    use crate::analysis::sample_tree::Tree;
    use crate::check::program::ScenarioId;
    use crate::generate::{Shape, world};
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
            paths.observe(&cascade.events, sampler.p);
        }
        (tally, paths)
    }

    #[test]
    fn the_tree_and_the_shared_walk_change_no_result() {
        let checked = crate::check::check_source("world.dtr", &world(Shape::world(30, 7)));
        let model = crate::model::compile(&checked.program);
        let p = model.probabilities();
        let request = Request { scenario: ScenarioId(0), stop_at: None, paths: true };
        let n = 3000;
        let shared = sample_n(&model, &p, request, n);
        let tree = Tree::default();
        let sampler = Sampler { model: &model, p: &p, request, seed: model.settings.seed, tree: &tree };
        let (alone, alone_paths) = one_by_one(&sampler, n);
        assert!(shared.tally.weight == n as f64 && alone.weight == n as f64);
        let method = Method::MonteCarlo { samples: n, requested: n, seed: model.settings.seed };
        assert_eq!(shared.tally.probabilities(method.clone()), alone.probabilities(method.clone()));
        assert_eq!((shared.tally.work, &shared.tally.relevant), (alone.work, &alone.relevant));
        assert_eq!(shared.tally.entrants_squared, alone.entrants_squared);
        assert_eq!(shared.paths.into_paths(), alone_paths.into_paths());
        // One walk of every sample: leaves are shared, and it agrees too.
        let walked = sampler.walk((0..n).map(|j| output(sampler.seed, j)).collect());
        assert!(walked.run.len() > 100 && (walked.run.len() as u64) < n / 2, "{} leaves", walked.run.len());
        assert_eq!(walked.tally.probabilities(method.clone()), shared.tally.probabilities(method));
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
