//! `dtr man [--out DIR]`: the manual pages, in roff, generated from the
//! same clap definitions that parse the command line (clap_mangen), like
//! the completions and docs/cli.md: `dtr.1` on standard output, or one
//! page per command (`dtr.1`, `dtr-check.1`, …) written into a folder.

use super::{Cli, Outcome};
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Write every page (dtr.1 and one per command, dtr-check.1, …) into
    /// this folder, created if missing, instead of printing dtr.1.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let command = Cli::command();
    let Some(dir) = args.out else {
        let mut page = Vec::new();
        if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
            errln!("error: cannot render the manual page: {e}");
            return Outcome::Failed;
        }
        out!("{}", String::from_utf8_lossy(&page));
        return Outcome::Clean;
    };
    let written = std::fs::create_dir_all(&dir).and_then(|()| clap_mangen::generate_to(command, &dir));
    match written {
        Ok(()) => {
            noteln!("wrote the manual pages into {} (`man -l {}/dtr.1`)", dir.display(), dir.display());
            Outcome::Clean
        }
        Err(e) => {
            errln!("error: cannot write the manual pages into {}: {e}", dir.display());
            Outcome::Failed
        }
    }
}
