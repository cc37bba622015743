//! The Monte Carlo method (see [`super::probability`]). Samples are split
//! into fixed chunks; chunk `k` uses a ChaCha8 generator keyed by
//! `(seed, k)`, sample `j` of the chunk reads stream `j`, and commitment `c`
//! reads the 64-bit word at position `c` of that stream. A draw therefore
//! depends on nothing but (seed, sample, commitment): results do not depend
//! on the thread count, and removing a commitment (importance) leaves every
//! other draw unchanged.

use super::cascade::{Cascade, Mode, Progress};
use super::paths::BestPaths;
use super::probability::{Evaluation, Method, Request, Tally};
use crate::model::Model;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

const CHUNK: u64 = 8;

/// The most commitment considerations one sampling spends (summed over its
/// samples); past it, sampling stops after the current wave and the report
/// gives the number of samples actually drawn. Waves start at two chunks and
/// double, but never beyond the chunks the remaining budget pays for at the
/// work per sample seen so far, so a model whose single cascades are huge
/// stops early and the budget is overshot by little more than a chunk's
/// worth. Whole waves, sized from totals alone, keep the stopping point
/// independent of the thread count.
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
    let (mut next, mut size) = (0, 2);
    while next < chunks && tally.work < WORK_LIMIT {
        let wave = next..(next + size.min(affordable(&tally))).min(chunks);
        next = wave.end;
        size *= 2;
        let (t, b) = wave
            .into_par_iter()
            .map(|k| chunk(model, p, request, seed, k, (samples - k * CHUNK).min(CHUNK)))
            .reduce(
                || (Tally::new(model), BestPaths::new(model.actors.len())),
                |(mut tally, mut paths), (t, b)| {
                    tally.merge(&t);
                    paths.merge(b);
                    (tally, paths)
                },
            );
        tally.merge(&t);
        paths.merge(b);
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

fn chunk(model: &Model, p: &[f64], request: Request, seed: u64, k: u64, size: u64) -> (Tally, BestPaths) {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&k.to_le_bytes());
    let base = ChaCha8Rng::from_seed(key);
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    for j in 0..size {
        let mut rng = base.clone();
        rng.set_stream(j);
        let mut cascade = Cascade::new(model, request.scenario, Mode::Drawn, request.stop_at);
        while let Progress::Decide(id) = cascade.advance() {
            tally.relevant.insert(id.index());
            rng.set_word_pos(2 * id.index() as u128);
            cascade.decide(id, unit(rng.next_u64()) < p[id.index()]);
        }
        tally.add(&cascade, 1.0);
        if request.paths {
            paths.observe(&cascade.events, p);
        }
    }
    (tally, paths)
}

/// A uniform number in [0, 1) from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
