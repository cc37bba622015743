//! `dtr completions SHELL`: the shell's completion script for every
//! subcommand and option, generated from the same clap definitions that
//! parse the command line (clap_complete), so it cannot fall behind.

use super::{Cli, Outcome};
use clap::CommandFactory;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete in (bash: `source <(dtr completions bash)`).
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dtr", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    Outcome::Clean
}
