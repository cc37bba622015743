//! `dtr generate`: a reproducible world of N actors on standard output.

use super::Outcome;
use dtr::check::load::MAX_FILE_BYTES;
use dtr_gen::generate::{Profile, Shape, world};

/// The most actors `--actors` takes: a default world of this size is about
/// 35 MB and expands to some 3.4 million commitments, under the 4 million
/// a model may hold (`dtr::check::MAX_EXPANDED`).
const MAX_ACTORS: u64 = 15_000;
/// The most bilateral commitments `--commitments` takes (about 85 bytes
/// each); larger worlds could not be checked anyway.
const MAX_COMMITMENTS: u64 = 1_000_000;

#[derive(clap::Args)]
pub struct Args {
    /// Number of actors (at most 15,000).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=MAX_ACTORS))]
    actors: u64,
    /// Bilateral commitments (default: 25 per actor; at most 1,000,000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=MAX_COMMITMENTS))]
    commitments: Option<u64>,
    /// `regional`: ties mostly between neighbours, shaped like the ATOP
    /// catalogues; `dense`: ties between random pairs, whose cascades draw
    /// in nearly every actor (a stress test).
    #[arg(long, value_enum, default_value_t = ProfileArg::Regional)]
    profile: ProfileArg,
    /// Seed: the same seed and sizes give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ProfileArg {
    Regional,
    Dense,
}

pub fn run(args: Args) -> Outcome {
    let mut shape = Shape::world(args.actors as usize, args.seed);
    shape.profile = match args.profile {
        ProfileArg::Regional => Profile::Regional,
        ProfileArg::Dense => Profile::Dense,
    };
    if let Some(c) = args.commitments {
        shape.commitments = c as usize;
    }
    let text = world(shape);
    // Both ranges together still allow a world too large to check.
    if text.len() > MAX_FILE_BYTES {
        errln!(
            "error: this world would be {} bytes, more than the {} MiB a .dtr file may hold; ask for fewer actors or commitments",
            text.len(),
            MAX_FILE_BYTES >> 20
        );
        return Outcome::Failed;
    }
    out!("{text}");
    Outcome::Clean
}
