//! `dtr generate`: a reproducible world of N actors on standard output.

use super::Outcome;
use dtr_gen::generate::{Profile, Shape, world};

#[derive(clap::Args)]
pub struct Args {
    /// Number of actors.
    #[arg(long, default_value_t = 200)]
    actors: usize,
    /// Bilateral commitments (default: 25 per actor).
    #[arg(long)]
    commitments: Option<usize>,
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
    let mut shape = Shape::world(args.actors, args.seed);
    shape.profile = match args.profile {
        ProfileArg::Regional => Profile::Regional,
        ProfileArg::Dense => Profile::Dense,
    };
    if let Some(c) = args.commitments {
        shape.commitments = c;
    }
    out!("{}", world(shape));
    Outcome::Clean
}
