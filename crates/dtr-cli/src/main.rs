//! The `dtr` binary: a thin shell over the library (see `cli`).

mod cli;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    ignore_sigxfsz();
    cli::run()
}

/// Rust starts programs with SIGPIPE ignored, so printing to a pipe whose
/// reader has gone (`dtr check big.dtr | head`) fails, and `println!` panics
/// on the failure (exit 101). Like other filters, `dtr` should just stop:
/// the default action ends the process quietly when the reader is gone.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists;
    // setting a signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Past a file-size limit (`ulimit -f`), a write raises SIGXFSZ, whose
/// default action ends the process with the file half written. Ignored,
/// the write fails with EFBIG instead: `dtr` reports it, and the atomic
/// writes (src/cli/atomic.rs) remove their temporary file.
fn ignore_sigxfsz() {
    #[cfg(unix)]
    // SAFETY: as for SIGPIPE above, before any thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
