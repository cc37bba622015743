//! Answers: `/` the page, `/events` a stream of server-sent events that
//! announces each new generation (the page reloads when it differs from
//! its own). Only to requests addressed to 127.0.0.1 or localhost at our
//! port: a page of another site that had its name resolved to 127.0.0.1
//! (DNS rebinding) cannot read the report.

use super::live::{Live, Wait};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Event streams open at once, at most (each holds a thread).
const STREAMS: usize = 32;
/// A comment line this often finds readers that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Streams {
    threads: Vec<JoinHandle<()>>,
    open: Arc<AtomicUsize>,
}

impl Streams {
    pub fn join(self) {
        for t in self.threads {
            let _ = t.join();
        }
    }
}

pub fn answer(request: tiny_http::Request, live: &Arc<Live>, port: u16, streams: &mut Streams) {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
    let ours = host.as_deref().is_some_and(|h| h == format!("127.0.0.1:{port}") || h == format!("localhost:{port}"));
    let respond = |request: tiny_http::Request, status: u16, kind: &str, body: String| {
        let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok();
        let mut response = tiny_http::Response::from_string(body).with_status_code(status);
        for h in [header("Content-Type", kind), header("Cache-Control", "no-store")].into_iter().flatten() {
            response.add_header(h);
        }
        // The reader may have gone; nothing is left to tell it.
        let _ = request.respond(response);
    };
    if !ours {
        return respond(
            request,
            403,
            "text/plain; charset=utf-8",
            "dtr serve answers requests to 127.0.0.1 and localhost only\n".into(),
        );
    }
    if *request.method() != tiny_http::Method::Get {
        return respond(request, 405, "text/plain; charset=utf-8", "only GET\n".into());
    }
    match request.url() {
        "/" => {
            let page = live.page();
            respond(request, 200, "text/html; charset=utf-8", page.html.clone());
        }
        "/events" => {
            streams.threads.retain(|t| !t.is_finished());
            if streams.open.load(Ordering::SeqCst) >= STREAMS {
                return respond(request, 503, "text/plain; charset=utf-8", "too many pages open\n".into());
            }
            streams.open.fetch_add(1, Ordering::SeqCst);
            let (live, open) = (Arc::clone(live), Arc::clone(&streams.open));
            streams.threads.push(std::thread::spawn(move || {
                stream(request.into_writer(), &live);
                open.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        _ => respond(request, 404, "text/plain; charset=utf-8", "not found\n".into()),
    }
}

/// Writes the current generation, then each new one, until the server
/// stops or the reader goes away.
fn stream(mut out: Box<dyn Write + Send>, live: &Live) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if out.write_all(head.as_bytes()).and_then(|()| out.flush()).is_err() {
        return;
    }
    let mut seen = None;
    loop {
        let message = match live.wait(seen, KEEP_ALIVE) {
            Wait::Stopping => return,
            Wait::Unchanged => ": keep-alive\n\n".to_string(),
            Wait::Changed(generation) => {
                seen = Some(generation);
                format!("data: {generation}\n\n")
            }
        };
        if out.write_all(message.as_bytes()).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
