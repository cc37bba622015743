//! Memory and time bounds of each stage (issue 22): inputs small on disk
//! that once made a stage quadratic, each run through the built `dtr` with
//! its peak memory and time measured, against the bounds that
//! docs/robustness.md ("Bounds per stage") states. The inputs are
//! generated here: some would be megabytes as files.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// What one run of `dtr` cost.
struct Run {
    output: Output,
    /// Peak resident memory, KiB (the child's `ru_maxrss`).
    peak_kib: u64,
    /// CPU time, user and system.
    cpu: Duration,
    wall: Duration,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
}

/// Runs `dtr ARGS` in `dir`, killed after `limit`; its peak memory and
/// CPU time from `wait4`.
fn measure(dir: &Path, args: &[&str], limit: Duration) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dtr");
    let pid = child.id() as libc::pid_t;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(limit).is_err() {
            // SAFETY: kill(2) on our own child, which has not been reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, which wait4 fills.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` outlive the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    let _ = done.send(());
    watchdog.join().unwrap();
    let wall = started.elapsed();
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    println!(
        "dtr {}: peak {} KiB, CPU {cpu:.2?}, wall {wall:.2?}",
        args.join(" "),
        usage.ru_maxrss,
        cpu = time(usage.ru_utime) + time(usage.ru_stime)
    );
    let output = Output {
        status: std::process::ExitStatus::from_raw(status),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    assert!(output.status.signal() != Some(libc::SIGKILL), "dtr {args:?} ran past {limit:?}");
    Run { output, peak_kib: usage.ru_maxrss as u64, cpu: time(usage.ru_utime) + time(usage.ru_stime), wall }
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(60 * n)
}

/// The peak of `dtr check` on an empty file: the process's own code and
/// tables, which a bound on the input's cost leaves out.
fn baseline_kib(dir: &Path) -> u64 {
    std::fs::write(dir.join("empty.dtr"), "").unwrap();
    measure(dir, &["check", "empty.dtr"], minutes(1)).peak_kib
}

// ---------------------------------------------------------------- check: regions

/// A chain of 45,000 regions, each containing the next (1.3 MB), and a
/// cycle at its end. Closing containment for every region held n²/2 ids:
/// 20,000 regions needed 800 MB and 45,000 ran out of memory. Regions now
/// keep their direct containers; cycles are found in linear time, and the
/// model walks outwards once per region that holds an actor.
#[test]
fn a_chain_of_45000_regions() {
    let dir = tempfile::tempdir().unwrap();
    let n = 45_000;
    let mut text: String = (0..n - 1).map(|i| format!("region r{i} {{ contains: [r{}] }}\n", i + 1)).collect();
    text.push_str(&format!("region r{} {{ contains: [r{}] }}\n", n - 1, n - 3));
    std::fs::write(dir.path().join("chain.dtr"), &text).unwrap();
    let base = baseline_kib(dir.path());
    let run = measure(dir.path(), &["check", "--format", "short", "chain.dtr"], minutes(2));
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
    let cycles: Vec<&String> = lines.iter().filter(|l| l.contains("error[E0014]")).collect();
    let names: Vec<String> = (n - 3..n).map(|i| format!("region `r{i}` contains itself")).collect();
    assert_eq!(cycles.len(), 3, "{}", run.stdout());
    for (line, name) in cycles.iter().zip(&names) {
        assert!(line.ends_with(name.as_str()), "{line}");
    }
    let above = run.peak_kib.saturating_sub(base) * 1024;
    assert!(
        above <= 40 * text.len() as u64,
        "peak {} KiB above {base} KiB, for {} bytes",
        run.peak_kib - base,
        text.len()
    );

    // Actors deep in the chain: `within [r0]` holds for them; the model
    // walks each actor's region outwards once.
    let mut world: String = (0..n - 1).map(|i| format!("region r{i} {{ contains: [r{}] }}\n", i + 1)).collect();
    world.push_str(&format!(
        "region r{0}\nactor A {{ region: r{0} }}\nactor B {{ region: r1 }}\nactor C\ncommitment c: B defends A {{ when: attack within [r0] }}\nscenario s {{ C attacks A }}\n",
        n - 1
    ));
    std::fs::write(dir.path().join("world.dtr"), &world).unwrap();
    let run = measure(dir.path(), &["analyze", "--format", "json", "world.dtr"], minutes(2));
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let events = &report["scenarios"][0]["events"];
    assert_eq!((events[1]["aggressor"].as_str(), events[1]["cause"].as_str()), (Some("B"), Some("c")), "{events}");
    let above = run.peak_kib.saturating_sub(base) * 1024;
    assert!(above <= 40 * world.len() as u64, "peak {} KiB above {base} KiB", run.peak_kib - base);
}

// ---------------------------------------------------------------- fmt --check

/// 100,000 actors declared with two spaces (2.3 MB), every line changed by
/// the formatter: Myers' diff took the product of lines and changes (27.6
/// s for 2.3 MB in release; 7 MB ran past 300 s). The search now stops at a
/// deadline and the rest of the diff is coarse, still exact, with a note.
#[test]
fn fmt_check_diffs_every_line_of_a_large_file_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let text: String = (0..n).map(|i| format!("actor  A{i} \"Actor number {i}\"\n")).collect();
    std::fs::write(dir.path().join("wide.dtr"), &text).unwrap();
    let run = measure(dir.path(), &["fmt", "--check", "wide.dtr"], minutes(3));
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let out = run.stdout();
    assert!(out.starts_with("--- wide.dtr\n+++ wide.dtr (formatted)\n"), "{}", &out[..200.min(out.len())]);
    // Exact whatever its hunks: every old line removed, every new one added.
    assert_eq!(out.lines().filter(|l| l.starts_with("-actor  A")).count(), n);
    assert_eq!(out.lines().filter(|l| l.starts_with("+actor A")).count(), n);
    assert!(!out.lines().any(|l| l.starts_with(' ')), "no line is unchanged");
    // 200,000 changed lines: the search cannot end within the deadline.
    assert!(
        run.stderr().contains("note: wide.dtr: the diff took more than 1 s to search and is coarse"),
        "{}",
        run.stderr()
    );
    // Formatting itself is linear; the diff's share is the deadline.
    assert!(run.cpu < Duration::from_secs(60), "{:?} of CPU", run.cpu);
}

// ---------------------------------------------------------------- generate

/// `dtr generate --actors 100000000` built a world until memory ran out.
/// Sizes are bounded so that the world stays a file `dtr check` reads.
#[test]
fn generate_refuses_worlds_too_large_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let run = measure(dir.path(), &["generate", "--actors", "100000000"], minutes(1));
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr().contains("invalid value '100000000' for '--actors <ACTORS>': 100000000 is not in 0..=25000"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().is_empty());
    let run = measure(dir.path(), &["generate", "--commitments", "1000001"], minutes(1));
    assert_eq!(run.code(), Some(2));
    // Both at their largest: over the file limit, refused after a bounded build.
    let run = measure(dir.path(), &["generate", "--actors", "25000", "--commitments", "1000000"], minutes(5));
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().starts_with("error: this world would be "), "{}", run.stderr());
    assert!(run.stderr().contains("more than the 64 MiB a .dtr file may hold"), "{}", run.stderr());
    assert!(run.stdout().is_empty());
    assert!(run.peak_kib < 1_000_000, "{} KiB", run.peak_kib);
}
