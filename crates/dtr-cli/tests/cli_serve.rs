//! `dtr serve` as a reader's browser sees it, through a plain HTTP client:
//! the report; a new generation announced on the event stream, and the
//! page rebuilt, when the file or one of its imports is edited; the
//! diagnostics when an edit breaks the file, the report again when it is
//! fixed; requests for another host refused; a clean stop on Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MAIN: &str = "\
import \"forces.dtr\"
settings { year: 2026 }
actor RUS { capability { land: 60 } }
actor EST { capability { land: 2 } }
commitment guard: USA defends EST { credibility: 80% }
threat RUS -> EST
scenario narva { RUS attacks EST }
";

const FORCES: &str = "actor USA { capability { land: 80 } resolve: 90% }\n";

/// The server, killed if the test fails before stopping it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).expect("read reply");
    let status = reply.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("status line");
    let body = reply.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The generations the event stream announces, as they come.
fn events(port: u16) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET /events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(generation) = line.strip_prefix("data: ")
                && send.send(generation.to_string()).is_err()
            {
                return;
            }
        }
    });
    receive
}

fn next(events: &mpsc::Receiver<String>, what: &str) -> String {
    events.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|e| panic!("no new generation after {what}: {e}"))
}

/// Writes `text` to `path`: a new size, so the edit shows in the size too
/// (the file system's clock may not tick between two edits).
fn edit(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn serve_refreshes_on_edits_shows_diagnostics_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let (main, forces) = (dir.path().join("main.dtr"), dir.path().join("forces.dtr"));
    edit(&main, MAIN);
    edit(&forces, FORCES);
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["serve", "main.dtr", "--port", "0"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dtr serve");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let server = Server(child);
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("serving main.dtr on http://127.0.0.1:"), "{first}");
    let port: u16 =
        first.rsplit(':').next().and_then(|p| p.split('/').next()).and_then(|p| p.parse().ok()).expect("port");

    // The report: USA joins with 80% × 90%.
    let (status, page) = get(port, "/", &format!("127.0.0.1:{port}"));
    assert_eq!(status, 200);
    assert!(page.contains("<tr data-actor=\"USA\">") && page.contains(">72%</td>"), "{page}");
    assert!(page.contains("new EventSource('/events')"), "the served page listens for reloads");
    let stream = events(port);
    let g0 = next(&stream, "connecting");
    assert!(page.contains(&format!("e.data !== '{g0}'")), "the page knows its generation {g0}");

    // An edit of the file: a new generation, a new page.
    edit(&main, &MAIN.replace("80%", "50%"));
    let g1 = next(&stream, "editing main.dtr");
    assert_ne!(g1, g0);
    let (_, page) = get(port, "/", &format!("localhost:{port}"));
    assert!(page.contains(">45%</td>") && page.contains(&format!("e.data !== '{g1}'")), "{page}");

    // An edit of the import.
    edit(&forces, &FORCES.replace("90%", "60%"));
    let g2 = next(&stream, "editing forces.dtr");
    let (_, page) = get(port, "/", &format!("localhost:{port}"));
    assert!(page.contains(">30%</td>") && page.contains(&format!("e.data !== '{g2}'")), "{page}");

    // A broken file: its diagnostics in the page, then the report again.
    edit(&main, &MAIN.replace("actor EST {", "actor EST"));
    next(&stream, "breaking main.dtr");
    let (status, page) = get(port, "/", &format!("localhost:{port}"));
    assert_eq!(status, 200);
    assert!(page.contains("does not check") && page.contains("E0001") && page.contains("main.dtr:4:"), "{page}");
    assert!(!page.contains("<svg class=\"escalation\""), "{page}");
    edit(&main, MAIN);
    let g3 = next(&stream, "fixing main.dtr");
    let (_, page) = get(port, "/", &format!("localhost:{port}"));
    assert!(page.contains(">48%</td>") && page.contains(&format!("e.data !== '{g3}'")), "{page}");

    // Only requests addressed to the loopback host; only known paths.
    assert_eq!(get(port, "/", "attacker.example").0, 403);
    assert_eq!(get(port, "/elsewhere", &format!("localhost:{port}")).0, 404);

    // Ctrl-C: the server says so and exits 0, the event stream ends.
    let mut server = server;
    let child = &mut server.0;
    let pid = child.id() as i32;
    // SAFETY: sends SIGINT to the child we started and still own.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "dtr serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "stopped\n");
    assert!(stream.recv_timeout(Duration::from_secs(5)).is_err(), "the stream ends with the server");
}

#[test]
fn serve_refuses_a_port_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["serve", "examples/korea.dtr", "--port", &port])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("error: cannot listen on 127.0.0.1:{port}")), "{err}");
}

/// `dtr serve FILE --port 0` in `dir`, and the port it listens on.
fn start(dir: &Path, file: &str) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["serve", file, "--port", "0"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dtr serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let port = first.rsplit(':').next().and_then(|p| p.split('/').next()).and_then(|p| p.parse().ok());
    (Server(child), port.unwrap_or_else(|| panic!("no port in {first:?}")))
}

#[test]
fn serve_follows_the_project_file_and_its_edits() {
    let dir = tempfile::tempdir().unwrap();
    let main = MAIN.replace("import \"forces.dtr\"\n", FORCES)
        + "scenario feint { RUS attacks EST }\ncommitment old: USA defends EST { until: 2000  credibility: 50% }\n";
    edit(&dir.path().join("main.dtr"), &main);
    edit(&dir.path().join("dtr.toml"), "[analyze]\nscenario = [\"feint\"]\nyear = 1990\n");
    let (_server, port) = start(dir.path(), "main.dtr");
    let host = format!("127.0.0.1:{port}");
    // Only the scenario the project names, in its year: `old` in force.
    let (_, page) = get(port, "/", &host);
    assert!(page.contains("feint") && !page.contains("narva"), "{page}");
    assert!(page.contains("1990") && !page.contains(">2026<"), "{page}");

    // Its lint levels: an edit that denies W0001 (an actor never used) is seen.
    edit(&dir.path().join("main.dtr"), &(main.clone() + "actor LVA\n"));
    edit(&dir.path().join("dtr.toml"), "[lints]\nW0001 = \"deny\"\n");
    let page = page_when(port, |page| page.contains("does not check"));
    assert!(page.contains("W0001") && page.contains("main.dtr:"), "{page}");

    // A mistake in it is shown, as `dtr analyze` shows it.
    edit(&dir.path().join("dtr.toml"), "[analyse]\n");
    let page = page_when(port, |page| page.contains("dtr.toml:1:"));
    assert!(page.contains("did you mean `analyze`?"), "{page}");
}

/// The page, once it meets `wanted` (the server polls files four times a
/// second; a minute is ample on a loaded machine).
fn page_when(port: u16, wanted: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, page) = get(port, "/", &format!("127.0.0.1:{port}"));
        if wanted(&page) {
            return page;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the page never changed as expected: {page}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
