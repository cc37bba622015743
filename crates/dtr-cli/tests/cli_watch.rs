//! `dtr check --watch` and `dtr test --watch`: a run at start, another
//! after an edit, none after a mere read. Outputs are polled with a
//! deadline, never slept on.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A watching `dtr`, killed when dropped, and what it has printed so far.
struct Watching {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(mut from: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let into = Arc::clone(&text);
    std::thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                return;
            }
            into.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    text
}

fn watch(dir: &Path, args: &[&str]) -> Watching {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dtr");
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    Watching { child, stdout, stderr }
}

impl Watching {
    /// Standard output once `count` lines of it contain `wanted`.
    fn until(&self, wanted: &str, count: usize) -> String {
        let started = Instant::now();
        loop {
            let out = self.stdout.lock().unwrap().clone();
            if out.lines().filter(|l| l.contains(wanted)).count() >= count {
                return out;
            }
            let err = self.stderr.lock().unwrap().clone();
            assert!(started.elapsed() < Duration::from_secs(60), "no {wanted:?} ×{count} in:\n{out}\n{err}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Standard error once it holds `wanted` `count` times.
    fn until_err(&self, wanted: &str, count: usize) {
        let started = Instant::now();
        while self.stderr.lock().unwrap().matches(wanted).count() < count {
            assert!(started.elapsed() < Duration::from_secs(60), "no {wanted:?}: {}", self.stderr.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Replaces `path` whole, in one event (a rename over it, as editors
/// save), so that no run can see it half written.
fn edit(path: &Path, text: &str) {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

#[test]
fn check_watch_runs_again_after_an_edit_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dtr"), "actor A\nactor B\nthreat A -> B\n").unwrap();
    let w = watch(dir.path(), &["check", "--watch"]);
    w.until("1 file checked: no problems found", 1);
    w.until_err("[watching . for changes; Ctrl-C stops]", 1);

    edit(&dir.path().join("a.dtr"), "actor A\nactor B\nthreat A -> C\n");
    let out = w.until("1 file checked: 1 error, 1 warning", 1);
    assert!(out.contains("unknown actor `C`"), "{out}");
    w.until_err("[changed: a.dtr]", 1);
    // Other files, and the run's own reads of a.dtr, are no change.
    std::fs::write(dir.path().join("notes.txt"), "not a scenario\n").unwrap();
    w.until_err("[watching . for changes; Ctrl-C stops]", 2);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(w.stdout.lock().unwrap().matches("1 file checked").count(), 2);

    // The project file is watched too: denying W0001 makes it an error.
    edit(&dir.path().join("a.dtr"), "actor A\nactor B\nactor C\nthreat A -> B\n");
    w.until("1 file checked: 1 warning", 1);
    edit(&dir.path().join("dtr.toml"), "[lints]\nW0001 = \"deny\"\n");
    w.until("1 file checked: 1 error", 2);
    w.until_err("[changed: dtr.toml]", 1);
}

#[test]
fn test_watch_reports_the_expectations_again_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let world = "actor A\nactor B\nactor C\ncommitment g: C defends B\nscenario s { A attacks B }\nexpect s: C joins\n";
    std::fs::create_dir(dir.path().join("w")).unwrap();
    std::fs::write(dir.path().join("w/a.dtr"), world).unwrap();
    let w = watch(dir.path(), &["test", "--watch", "w"]);
    w.until("1 passed, 0 failed", 1);
    edit(&dir.path().join("w/a.dtr"), &world.replace("C joins", "C stays out"));
    let out = w.until("0 passed, 1 failed", 1);
    assert!(out.contains("FAIL w/a.dtr: 0 of 1 expectations hold"), "{out}");
    // Standard input cannot be watched.
    let out = Command::new(env!("CARGO_BIN_EXE_dtr")).args(["test", "--watch", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--watch needs files to watch"));
}
