//! Hostile files (issue 22): named pipes, symbolic links out of the project
//! or in loops, read-only and hard-linked files, a file saved while `dtr
//! fmt` runs, a write cut short. Each case ends within its time bound, with
//! its diagnostic and exit code, and leaves every file outside the project
//! unread and every file it must not replace unchanged. The regular files
//! are in tests/fixtures/hostile/files/ (its README lists the cases); what
//! git cannot hold (pipes, links, modes, owners) is made here.
//! docs/robustness.md, "File safety", lists them.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Every case ends well within this (a blocked `open` never would).
const BOUND: Duration = Duration::from_secs(60);

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/files").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `dtr ARGS` in `dir`, killed and failed if it outlives [`BOUND`].
fn dtr(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dtr");
    let (mut out, mut err) = (child.stdout.take().expect("stdout"), child.stderr.take().expect("stderr"));
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            panic!("dtr {args:?} did not end within {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out.join().expect("stdout"), stderr: err.join().expect("stderr") }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output and error together, for "never shown" checks.
fn all(o: &Output) -> String {
    text(&o.stdout) + &text(&o.stderr)
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A project folder inside a scratch folder that also holds `secret.txt`,
/// a file outside the project.
fn project() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    let project = scratch.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(scratch.path().join("secret.txt"), fixture("secret.txt")).unwrap();
    std::fs::write(scratch.path().join("outside.dtr"), fixture("secret.txt")).unwrap();
    (scratch, project)
}

/// One-line blocks stay on one line (docs/fmt.md).
const FORMATTED: &str = "\
// Formatted by `dtr fmt` only where writing is safe.
actor A { capability { land: 10 } }
actor B { capability { land: 1 } }
scenario s { A attacks B }
";

/// The short format's lines without the help each ends with, which these
/// tests do not pin.
fn without_help(short: &str) -> String {
    short.lines().map(|line| line.split(" (help: ").next().unwrap_or(line).to_string() + "\n").collect()
}

// ---------------------------------------------------------------- pipes

#[test]
fn a_named_pipe_is_refused_unopened_wherever_it_is_met() {
    let (_scratch, dir) = project();
    mkfifo(&dir.join("pipe.dtr"));
    std::fs::write(dir.join("main.dtr"), "import \"pipe.dtr\"\nactor A\n").unwrap();

    let named = dtr(&dir, &["check", "pipe.dtr"]);
    assert_eq!(named.status.code(), Some(2), "{}", all(&named));
    assert!(
        text(&named.stderr).contains("error: cannot read pipe.dtr: it is a named pipe (FIFO), not a regular file"),
        "{}",
        all(&named)
    );

    let imported = dtr(&dir, &["check", "main.dtr", "--format", "short"]);
    assert_eq!(imported.status.code(), Some(1));
    assert_eq!(
        without_help(&text(&imported.stdout)),
        "main.dtr:1:8: error[E0006]: cannot import `pipe.dtr`: it is a named pipe (FIFO), not a regular file\n\
         main.dtr:2:7: warning[W0001]: actor `A` is never used\n"
    );

    // In a walked folder it is skipped with a warning; the rest is checked.
    let walked = dtr(&dir, &["check", "--format", "short"]);
    assert_eq!(walked.status.code(), Some(1));
    assert!(
        text(&walked.stderr).contains("warning: skipped ./pipe.dtr: it is a named pipe (FIFO), not a regular file"),
        "{}",
        all(&walked)
    );
    assert!(text(&walked.stdout).contains("cannot import `pipe.dtr`"));
    std::fs::write(dir.join("main.dtr"), fixture("messy.dtr")).unwrap();
    let fmt = dtr(&dir, &["fmt"]);
    assert_eq!(fmt.status.code(), Some(0), "{}", all(&fmt));
    assert_eq!(
        text(&fmt.stderr),
        "warning: skipped ./pipe.dtr: it is a named pipe (FIFO), not a regular file\n1 file formatted, 0 already formatted\n"
    );
    for args in [
        &["analyze", "pipe.dtr"][..],
        &["test", "pipe.dtr"],
        &["fmt", "pipe.dtr"],
        &["test", "--snapshot", "--update", "pipe.dtr"],
    ] {
        let o = dtr(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", all(&o));
        assert!(text(&o.stderr).contains("named pipe"), "{args:?}: {}", all(&o));
    }
    assert!(!dir.join("pipe.dtr.snap").exists());
}

/// A minimal JSON-RPC peer of `dtr lsp` over its standard streams.
struct Server {
    child: std::process::Child,
    input: std::process::ChildStdin,
    messages: std::sync::mpsc::Receiver<serde_json::Value>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run dtr lsp");
        let input = child.stdin.take().expect("stdin");
        let mut output = BufReader::new(child.stdout.take().expect("stdout"));
        let (send, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                let mut line = String::new();
                loop {
                    line.clear();
                    if output.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length:") {
                        length = n.trim().parse().expect("length");
                    }
                }
                let mut body = vec![0; length];
                if output.read_exact(&mut body).is_err()
                    || send.send(serde_json::from_slice(&body).expect("JSON")).is_err()
                {
                    return;
                }
            }
        });
        Server { child, input, messages }
    }

    fn send(&mut self, message: serde_json::Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.input.flush().expect("flush");
    }

    /// The first message that `wanted` accepts, within [`BOUND`].
    fn wait(&self, wanted: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(_) => {}
                Err(_) => panic!("no answer from the server within {BOUND:?}"),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_language_server_reads_neither_a_pipe_nor_its_own_input() {
    let (_scratch, dir) = project();
    mkfifo(&dir.join("pipe.dtr"));
    // The server's standard input is its JSON-RPC pipe: read as an import,
    // it would swallow the messages and block the document's check.
    symlink("/proc/self/fd/0", dir.join("stdin.dtr")).unwrap();
    let uri = format!("file://{}", dir.join("main.dtr").display());
    let mut server = Server::start();
    server.send(serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    server.wait(|m| m["id"] == 1);
    server.send(serde_json::json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let text = "import \"pipe.dtr\"\nimport \"stdin.dtr\"\nactor A\n";
    let open = serde_json::json!({ "textDocument": { "uri": uri, "languageId": "dtr", "version": 1, "text": text } });
    server.send(serde_json::json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": open }));
    let published = server.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    let diagnostics: Vec<(String, String)> = published["params"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").lines().next().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics[0],
        ("E0006".to_string(), "cannot import `pipe.dtr`: it is a named pipe (FIFO), not a regular file".to_string())
    );
    // Standard input is a pipe here: the link leads nowhere a path can name.
    assert_eq!(
        diagnostics[1],
        ("E0006".to_string(), "cannot import `stdin.dtr`: it is a symbolic link that leads nowhere".to_string())
    );
    // It still reads its input: the next request is answered.
    server.send(serde_json::json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    assert_eq!(server.wait(|m| m["id"] == 2)["result"], serde_json::Value::Null);
}

// ---------------------------------------------------------------- imports

#[test]
fn imports_are_read_only_inside_the_project_and_as_regular_files() {
    let (scratch, dir) = project();
    mkfifo(&dir.join("pipe.dtr"));
    symlink("../outside.dtr", dir.join("link.dtr")).unwrap();
    symlink("/proc/self/fd/0", dir.join("stdin.dtr")).unwrap();
    symlink("loop.dtr", dir.join("loop.dtr")).unwrap();
    std::fs::write(dir.join("imports.dtr"), fixture("imports.dtr")).unwrap();
    // Named as `imports.dtr`: the project is the working directory (it
    // was an empty path, which every path "started with").
    let o = dtr(&dir, &["check", "imports.dtr", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        without_help(&text(&o.stdout)),
        "imports.dtr:4:8: error[E0006]: cannot import `.`: it is a directory
imports.dtr:5:8: error[E0080]: import `../outside.dtr` leaves the project directory
imports.dtr:6:8: error[E0006]: cannot import `pipe.dtr`: it is a named pipe (FIFO), not a regular file
imports.dtr:7:8: error[E0080]: import `link.dtr` leaves the project directory
imports.dtr:8:8: error[E0080]: import `stdin.dtr` leaves the project directory
imports.dtr:9:8: error[E0006]: cannot import `loop.dtr`: Too many levels of symbolic links (os error 40)
imports.dtr:10:7: warning[W0001]: actor `A` is never used
"
    );
    // Named by an absolute path, the same; the human report labels the link.
    let root = dir.join("imports.dtr");
    let o = dtr(scratch.path(), &["check", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("a symbolic link to a file outside the project"), "{}", all(&o));
    assert!(!all(&o).contains("SECRET"), "{}", all(&o));
}

#[test]
fn a_file_named_through_a_link_out_of_its_folder_is_neither_read_nor_written() {
    let (scratch, dir) = project();
    symlink("../outside.dtr", dir.join("link.dtr")).unwrap();
    symlink("../secret.txt", dir.join("data.csv")).unwrap();
    let refused = "it is a symbolic link to a file outside its folder; name the file itself";
    for args in [&["check", "link.dtr"][..], &["analyze", "link.dtr"], &["test", "link.dtr"], &["fmt", "link.dtr"]] {
        let o = dtr(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", all(&o));
        assert!(text(&o.stderr).contains(&format!("cannot read link.dtr: {refused}")), "{args:?}: {}", all(&o));
        assert!(!all(&o).contains("SECRET"), "{args:?}: {}", all(&o));
    }
    let o = dtr(&dir, &["import", "atop", "--members", "data.csv", "--alliances", "data.csv", "--states", "data.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(&format!("cannot read data.csv: {refused}")), "{}", all(&o));
    assert!(!all(&o).contains("SECRET"), "{}", all(&o));
    assert_eq!(std::fs::read_to_string(scratch.path().join("outside.dtr")).unwrap(), fixture("secret.txt"));
}

// ---------------------------------------------------------------- walks

#[test]
fn walks_skip_ignored_and_hidden_folders_and_follow_no_link() {
    let (scratch, dir) = project();
    let messy = fixture("messy.dtr");
    for file in ["main.dtr", "vendor/copy.dtr", ".hidden/draft.dtr", "sub/deep.dtr"] {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::write(dir.join(file), &messy).unwrap();
    }
    std::fs::write(dir.join(".gitignore"), "vendor/\n").unwrap();
    std::fs::create_dir(scratch.path().join("elsewhere")).unwrap();
    std::fs::write(scratch.path().join("elsewhere/theirs.dtr"), &messy).unwrap();
    // Three loops (the walk grew without bound: 414 MB in 60 s) and a
    // folder and a file out of the project.
    symlink(".", dir.join("again")).unwrap();
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("../sub", dir.join("sub/sub")).unwrap();
    symlink("../elsewhere", dir.join("out")).unwrap();
    symlink("../outside.dtr", dir.join("out.dtr")).unwrap();

    let test = dtr(&dir, &["test"]);
    assert_eq!(test.status.code(), Some(0), "{}", all(&test));
    assert_eq!(
        text(&test.stdout),
        "ok   ./main.dtr: 0 of 0 expectations hold\nok   ./sub/deep.dtr: 0 of 0 expectations hold\n2 passed, 0 failed\n"
    );

    let fmt = dtr(&dir, &["fmt"]);
    assert_eq!(fmt.status.code(), Some(0), "{}", all(&fmt));
    assert_eq!(text(&fmt.stderr), "2 files formatted, 0 already formatted\n");
    assert_eq!(std::fs::read_to_string(dir.join("main.dtr")).unwrap(), FORMATTED);
    for untouched in
        [dir.join("vendor/copy.dtr"), dir.join(".hidden/draft.dtr"), scratch.path().join("elsewhere/theirs.dtr")]
    {
        assert_eq!(std::fs::read_to_string(&untouched).unwrap(), messy, "{}", untouched.display());
    }
    assert_eq!(std::fs::read_to_string(scratch.path().join("outside.dtr")).unwrap(), fixture("secret.txt"));
    // A quoted glob is walked by the same rules.
    let globbed = dtr(&dir, &["test", "**/*.dtr"]);
    assert_eq!(
        text(&globbed.stdout),
        "ok   ./main.dtr: 0 of 0 expectations hold\nok   ./sub/deep.dtr: 0 of 0 expectations hold\n2 passed, 0 failed\n"
    );
    let globbed = dtr(&dir, &["test", "sub/*.dtr", "nothing/*.dtr"]);
    assert_eq!(globbed.status.code(), Some(2));
    assert_eq!(text(&globbed.stderr), "error: no .dtr file matches nothing/*.dtr\n");
    let globbed = dtr(&dir, &["test", "sub/*.dtr"]);
    assert_eq!(text(&globbed.stdout), "ok   sub/deep.dtr: 0 of 0 expectations hold\n1 passed, 0 failed\n");
    // Named, an ignored file is formatted: the rules are for walks.
    let named = dtr(&dir, &["fmt", "vendor/copy.dtr"]);
    assert_eq!(named.status.code(), Some(0), "{}", all(&named));
    assert_eq!(std::fs::read_to_string(dir.join("vendor/copy.dtr")).unwrap(), FORMATTED);
}

// ---------------------------------------------------------------- writes

#[test]
fn fmt_leaves_read_only_and_hard_linked_files_as_they_are() {
    let (_scratch, dir) = project();
    let messy = fixture("messy.dtr");
    for file in ["read_only.dtr", "linked.dtr"] {
        std::fs::write(dir.join(file), &messy).unwrap();
    }
    std::fs::set_permissions(dir.join("read_only.dtr"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::hard_link(dir.join("linked.dtr"), dir.join("other_name.txt")).unwrap();
    let o = dtr(&dir, &["fmt"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert_eq!(
        text(&o.stderr),
        "skipped ./linked.dtr: it has 2 hard links, which replacing it would break (the other names would keep the old text)
skipped ./read_only.dtr: it is read-only
0 files formatted, 0 already formatted, 2 skipped
"
    );
    for file in ["read_only.dtr", "linked.dtr", "other_name.txt"] {
        assert_eq!(std::fs::read_to_string(dir.join(file)).unwrap(), messy, "{file}");
    }
    assert_eq!(std::fs::metadata(dir.join("linked.dtr")).unwrap().nlink(), 2);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3, "no temporary file is left");
}

#[test]
fn fmt_keeps_the_owner_and_mode() {
    let (_scratch, dir) = project();
    let path = dir.join("theirs.dtr");
    std::fs::write(&path, fixture("messy.dtr")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    // Only root may give a file away; elsewhere the file is our own.
    let owner = if Command::new("chown").arg("4242:4243").arg(&path).status().is_ok_and(|s| s.success()) {
        (4242, 4243)
    } else {
        println!("not root: the owner is not changed for this test");
        let meta = std::fs::metadata(&path).unwrap();
        (meta.uid(), meta.gid())
    };
    let o = dtr(&dir, &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    assert_eq!(((meta.uid(), meta.gid()), meta.mode() & 0o7777), (owner, 0o664));
}

#[test]
fn a_temporary_file_left_by_an_interrupted_write_is_removed_by_the_next() {
    let (_scratch, dir) = project();
    // What `kill -9` during a write leaves: the target as it was, and the
    // temporary file beside it (hidden, named for its target).
    std::fs::write(dir.join("a.dtr"), fixture("messy.dtr")).unwrap();
    std::fs::write(dir.join(".a.dtr.dtr-tmp"), "half of a form").unwrap();
    std::fs::write(dir.join("b.dtr"), FORMATTED).unwrap();
    std::fs::write(dir.join(".b.dtr.dtr-tmp"), "half of a form").unwrap();
    let o = dtr(&dir, &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert_eq!(text(&o.stderr), "1 file formatted, 1 already formatted\n");
    let mut left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["a.dtr", "b.dtr"]);
}

#[test]
fn fmt_stopped_by_a_signal_leaves_no_temporary_file() {
    let (_scratch, dir) = project();
    // Big enough that the write is still going when the signal comes, for
    // a number of tries; each try checks the same outcome whenever it lands.
    let unit = fixture("messy.dtr")
        .replace("actor A", "actor A{n}")
        .replace("actor   B", "actor   B{n}")
        .replace("A attacks B", "A{n} attacks B{n}");
    let messy: String = (0..2_000).map(|n| unit.replace("{n}", &n.to_string())).collect();
    let entries = || std::fs::read_dir(&dir).unwrap().count();
    for _ in 0..5 {
        std::fs::write(dir.join("big.dtr"), &messy).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .args(["fmt", "big.dtr"])
            .current_dir(&dir)
            .stderr(Stdio::null())
            .spawn()
            .expect("run dtr");
        // Signalled as soon as a temporary file appears, whatever its name.
        let start = Instant::now();
        while entries() == 1 && child.try_wait().unwrap().is_none() && start.elapsed() < BOUND {}
        // SAFETY: `kill` has no memory effects; the child is not yet reaped.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let status = child.wait().unwrap();
        let text = std::fs::read_to_string(dir.join("big.dtr")).unwrap();
        assert!(text == messy || !text.contains("actor   B"), "neither the old text nor the new");
        assert_eq!(entries(), 1, "a temporary file was left (exit {status})");
        if text == messy {
            return;
        }
    }
    println!("every try finished before the signal");
}

#[test]
fn import_writes_its_catalogue_whole_or_not_at_all_and_never_over_an_input() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace").join("data");
    let dir = tempfile::tempdir().unwrap();
    for file in ["atop5_0m.csv", "atop5_0a.csv", "states2016.csv"] {
        std::fs::copy(data.join(file), dir.path().join(file)).unwrap();
    }
    let args = |out: &str| {
        format!(
            "import atop --members atop5_0m.csv --alliances atop5_0a.csv --states states2016.csv --year 1914 -o {out}"
        )
    };
    let before = std::fs::read(dir.path().join("atop5_0m.csv")).unwrap();
    let o = dtr(dir.path(), &args("./atop5_0m.csv").split(' ').collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stderr), "error: -o ./atop5_0m.csv would overwrite the input file atop5_0m.csv\n");
    assert_eq!(std::fs::read(dir.path().join("atop5_0m.csv")).unwrap(), before);

    // Past a file-size limit of 8 blocks the write fails: the old
    // catalogue stays whole (it was truncated, then a prefix written).
    std::fs::write(dir.path().join("out.dtr"), "actor OLD\n").unwrap();
    let script = format!("ulimit -f 8 && exec \"$0\" {}", args("out.dtr"));
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_dtr"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", all(&o));
    assert!(text(&o.stderr).contains("error: cannot write out.dtr: File too large"), "{}", all(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("out.dtr")).unwrap(), "actor OLD\n");
    assert!(!dir.path().join(".out.dtr.dtr-tmp").exists());

    // Written whole when it can be (exit 0: the data's one member COW
    // does not list is a warning).
    let o = dtr(dir.path(), &args("out.dtr").split(' ').collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(std::fs::read_to_string(dir.path().join("out.dtr")).unwrap().contains("alliance atop"));
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshots_are_kept_for_regular_dtr_files_and_never_followed() {
    let (scratch, dir) = project();
    std::fs::write(dir.join("x.dtr"), FORMATTED).unwrap();
    symlink("../secret.txt", dir.join("x.dtr.snap")).unwrap();
    for args in [&["test", "--snapshot", "x.dtr"][..], &["test", "--snapshot", "--update", "x.dtr"]] {
        let o = dtr(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", all(&o));
        assert!(
            text(&o.stderr).contains(
                "error: x.dtr.snap is a symbolic link; snapshots are never followed: replace it with a regular file"
            ),
            "{args:?}: {}",
            all(&o)
        );
        assert!(!all(&o).contains("SECRET"), "{args:?}: {}", all(&o));
    }
    assert_eq!(std::fs::read_to_string(scratch.path().join("secret.txt")).unwrap(), fixture("secret.txt"));

    std::fs::write(dir.join("notes.txt"), FORMATTED).unwrap();
    for file in ["notes.txt", "/dev/null"] {
        let o = dtr(&dir, &["test", "--snapshot", "--update", file]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", all(&o));
        assert!(
            text(&o.stderr).contains(&format!("error: {file}: snapshots are kept for .dtr files only")),
            "{}",
            all(&o)
        );
        assert!(!Path::new(&format!("{}.snap", dir.join(file).display())).exists(), "{file}");
    }
    // A regular snapshot is written atomically as before.
    std::fs::remove_file(dir.join("x.dtr.snap")).unwrap();
    let o = dtr(&dir, &["test", "--snapshot", "x.dtr"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(text(&o.stdout).contains("snapshot written"), "{}", all(&o));
    assert!(std::fs::symlink_metadata(dir.join("x.dtr.snap")).unwrap().is_file());
}
