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
//! path of the tree takes its outcome without running its cascade.

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
        let part = wave
            .into_par_iter()
            .fold(|| Part::new(model), |part, k| sampler.chunk(part, k * CHUNK..(k * CHUNK + CHUNK).min(samples)))
            .reduce(|| Part::new(model), Part::merge);
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

/// The results of some chunks of a wave, and the cascades they ran (path
/// of decisions, outcome), in sample order.
struct Part {
    tally: Tally,
    paths: BestPaths,
    run: Vec<(Vec<(ExpandedId, bool)>, Outcome)>,
}

impl Part {
    fn new(model: &Model) -> Part {
        Part { tally: Tally::new(model), paths: BestPaths::new(model.actors.len()), run: Vec::new() }
    }

    fn merge(mut self, other: Part) -> Part {
        self.tally.merge(&other.tally);
        self.paths.merge(other.paths);
        self.run.extend(other.run);
        self
    }
}

struct Sampler<'a> {
    model: &'a Model,
    p: &'a [f64],
    request: Request,
    seed: u64,
    tree: &'a Tree,
}

impl Sampler<'_> {
    fn chunk(&self, mut part: Part, samples: std::ops::Range<u64>) -> Part {
        for j in samples {
            let key = output(self.seed, j);
            let honoured = |id: ExpandedId| unit(output(key, id.0.into())) < self.p.get(id.index()).copied().unwrap_or(0.0);
            // A path already drawn has the same outcome, and its commitments
            // and entry paths are already counted.
            if let Some(leaf) = self.tree.find(honoured) {
                let involved = leaf.involved.iter().map(|&a| a as usize);
                part.tally.add_outcome(involved, leaf.top, leaf.capped, leaf.work, 1.0);
                continue;
            }
            let mut cascade = Cascade::new(self.model, self.request.scenario, Mode::Drawn, self.request.stop_at);
            let mut path = Vec::new();
            while let Progress::Decide(id) = cascade.advance() {
                part.tally.relevant.insert(id.index());
                let h = honoured(id);
                path.push((id, h));
                cascade.decide(id, h);
            }
            part.tally.add(&cascade, 1.0);
            if self.request.paths {
                part.paths.observe(&cascade.events, self.p);
            }
            let war = &cascade.war;
            let involved = war.involved.iter().map(|a| a as u32).collect();
            part.run.push((path, Outcome { involved, top: war.top, capped: cascade.capped, work: cascade.work }));
        }
        part
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
    use super::{GAMMA, Part, Sampler, output, sample_n};
    use crate::analysis::probability::{Method, Request};
    use crate::analysis::sample_tree::Tree;
    use crate::check::program::ScenarioId;
    use crate::generate::{Shape, world};
    use rand::{RngCore, SeedableRng};
    use rand_xoshiro::SplitMix64;

    #[test]
    fn the_tree_of_drawn_paths_changes_no_result() {
        let checked = crate::check::check_source("world.dtr", &world(Shape::world(30, 7)));
        let model = crate::model::compile(&checked.program);
        let p = model.probabilities();
        let request = Request { scenario: ScenarioId(0), stop_at: None, paths: true };
        let n = 3000;
        let shared = sample_n(&model, &p, request, n);
        // Every sample runs its cascade when the tree stays empty.
        let tree = Tree::default();
        let sampler = Sampler { model: &model, p: &p, request, seed: model.settings.seed, tree: &tree };
        let alone = sampler.chunk(Part::new(&model), 0..n);
        assert!(alone.run.len() as u64 == n && shared.tally.weight == n as f64);
        let method = Method::MonteCarlo { samples: n, requested: n, seed: model.settings.seed };
        assert_eq!(shared.tally.probabilities(method.clone()), alone.tally.probabilities(method));
        assert_eq!((shared.tally.work, &shared.tally.relevant), (alone.tally.work, &alone.tally.relevant));
        assert_eq!(shared.paths.into_paths(), alone.paths.into_paths());
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
