//! `dtr generate`: a reproducible world of N actors on standard output.

use super::Outcome;
use dtr::generate::{Shape, world};

#[derive(clap::Args)]
pub struct Args {
    /// Number of actors.
    #[arg(long, default_value_t = 200)]
    actors: usize,
    /// Bilateral commitments (default: 25 per actor).
    #[arg(long)]
    commitments: Option<usize>,
    /// Seed: the same seed and sizes give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> Outcome {
    let mut shape = Shape::world(args.actors, args.seed);
    if let Some(c) = args.commitments {
        shape.commitments = c;
    }
    print!("{}", world(shape));
    Outcome::Clean
}
