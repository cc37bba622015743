//! `dtr serve FILE`: the HTML report of FILE on http://127.0.0.1:PORT/,
//! rebuilt when the file or one of its imports changes and pushed to the
//! page by server-sent events; while the file does not check, the page
//! shows its diagnostics. Loopback only; opens a browser only with
//! `--open`; Ctrl-C (or SIGTERM) stops it cleanly.
//!
//! tiny_http serves: a small synchronous server (no async runtime on this
//! path, four small dependencies), enough for one local reader. An event
//! stream is written on the raw connection by a thread of its own.

mod http;
mod live;
mod watch;

use super::Outcome;
use live::Live;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (its imports are watched too).
    file: PathBuf,
    /// The port on 127.0.0.1 (0: any free port, printed at start).
    #[arg(long, default_value_t = 8390)]
    port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run(args: Args) -> Outcome {
    // A reader that closes its connection must not end the server.
    #[cfg(unix)]
    // SAFETY: sets a signal's disposition before any thread of ours runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            errln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return Outcome::Failed;
        }
    };
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let url = format!("http://127.0.0.1:{port}/");
    let (page, seen) = watch::first(&args.file);
    let live = Arc::new(Live::new(page));
    let stop = {
        let (live, server) = (Arc::clone(&live), Arc::clone(&server));
        move || {
            live.stop();
            server.unblock();
        }
    };
    if let Err(e) = ctrlc::set_handler(stop) {
        noteln!("warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    outln!("serving {} on {url} (Ctrl-C stops)", args.file.display());
    if args.open {
        open(&url);
    }
    let watcher = {
        let live = Arc::clone(&live);
        let file = args.file.clone();
        std::thread::spawn(move || watch::watch(&file, seen, &live))
    };
    let mut streams = http::Streams::default();
    for request in server.incoming_requests() {
        http::answer(request, &live, port, &mut streams);
    }
    live.stop();
    streams.join();
    let _ = watcher.join();
    outln!("stopped");
    Outcome::Clean
}

/// Opens `url` with the desktop's handler; a failure is only a warning
/// (the address is printed).
fn open(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let started = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        noteln!("warning: cannot open a browser ({program}: {e}); open {url}");
    }
}
