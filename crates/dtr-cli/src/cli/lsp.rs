//! `dtr lsp`: runs the language server on standard input and output.

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; standard I/O is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: Args) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot start the language server: {e}");
            return Outcome::Failed;
        }
    };
    let shut_down = runtime.block_on(dtr_lsp::serve(tokio::io::stdin(), tokio::io::stdout()));
    // Standard input is read on a blocking thread that may still be waiting
    // for a client that keeps its end open after `exit`; do not wait for it.
    runtime.shutdown_background();
    // The protocol: exit code 0 after a `shutdown` request, 1 without one.
    if shut_down { Outcome::Clean } else { Outcome::Problems }
}
