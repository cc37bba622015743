//! The fuzzing harness (`dtr_gen::synth::invariants`) under `cargo test`:
//! the kept corpus and generated programs replay through it on every run,
//! and in CI the libFuzzer targets of fuzz/ run for a bounded time
//! (docs/robustness.md, "Fuzzing").

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use dtr_gen::synth::{self, invariants};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Only catches a hang; the documented work bounds are what bound the
/// analysis. A debug build analyses most small programs in milliseconds and
/// the slowest kept case (Monte Carlo stopped by its work budget) in about
/// 10 s of CPU, but 88 s when four other builds shared the two cores.
const BUDGET: Duration = Duration::from_secs(300);

fn exercise(name: &str, bytes: &[u8]) -> invariants::Reach {
    match invariants::exercise(bytes, BUDGET) {
        Ok(reach) => reach,
        Err(violation) => panic!("{name}: {}", violation.0),
    }
}

#[test]
fn every_corpus_file_replays_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("tests/fuzz_corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert!(files.len() >= 10, "the corpus lost its files: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).expect("corpus file");
        exercise(&file.display().to_string(), &bytes);
    }
}

#[test]
fn generated_programs_check_without_errors_and_keep_the_invariants() {
    for seed in 0..100 {
        let text = synth::from_seed(seed);
        let reach = exercise(&format!("seed {seed}:\n{text}"), text.as_bytes());
        assert!(reach.analysed && reach.formatted, "seed {seed} has errors:\n{text}");
    }
}

#[test]
fn near_valid_programs_keep_the_invariants() {
    let mut formatted = 0;
    for seed in 0..200 {
        let bytes = synth::seed_bytes(seed, 4096);
        let text = synth::near_valid(&mut arbitrary::Unstructured::new(&bytes)).expect("generated");
        formatted += usize::from(exercise(&format!("near-valid seed {seed}:\n{text}"), text.as_bytes()).formatted);
    }
    // Most edits break the syntax; the others reach the formatter.
    assert!((1..200).contains(&formatted), "{formatted} of 200 near-valid programs parsed");
}

#[test]
fn generated_programs_cover_every_form() {
    let texts: Vec<String> = (0..150).map(synth::from_seed).collect();
    let mut missing: Vec<String> = [
        "settings {",
        "ladder: [",
        "year: ",
        "date: ",
        "deterrence_ratio: ",
        "credibility_floor: ",
        "samples: ",
        "seed: ",
        "opening: ",
        "domain ",
        "region ",
        "contains: [",
        "actor ",
        "capability {",
        "resolve: ",
        "alliance ",
        "members: [",
        "since: ",
        "until: ",
        "interoperability: ",
        "when: ",
        "domains: ",
        "response: ",
        "credibility: ",
        "except {",
        "unprovoked attack",
        "opening attack",
        "attack on member",
        " by ",
        " in [",
        "within ",
        "at >= ",
        "war between ",
        "war with ",
        "threat_to ",
        "not not ",
        "(",
        " and ",
        " or ",
        "threat ",
        "-> [",
        "scenario ",
        " provoked",
        "expect gap ",
        "expect no gap ",
        " joins",
        " stays out",
        ": reaches ",
        ": not reaches ",
        ": P(",
        "/* nested /* block */",
        "\\u{",
        "///",
        ",\n",
    ]
    .iter()
    .filter(|form| !texts.iter().any(|t| t.contains(*form)))
    .map(|form| form.to_string())
    .collect();
    for kind in ["defend", "join", "consult", "neutral", "nonaggression"] {
        if !texts.iter().any(|t| (0..4).any(|o| t.contains(&format!("obligation article{o} {kind}")))) {
            missing.push(format!("obligation … {kind}"));
        }
    }
    for kind in ["defends", "attacks", "consults", "neutral", "nonaggression"] {
        let declared = |t: &String| t.lines().any(|l| l.starts_with("commitment ") && l.contains(&format!(" {kind} ")));
        if !texts.iter().any(declared) {
            missing.push(format!("commitment … {kind}"));
        }
    }
    assert!(missing.is_empty(), "150 generated programs never use {missing:?}");
}

/// Seconds each fuzz target runs for in CI (30 s by default, both at once).
fn fuzz_seconds() -> u64 {
    std::env::var("DTR_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30)
}

fn nightly_available() -> bool {
    Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success())
}

/// Builds fuzz/ with libFuzzer instrumentation and runs each target for a
/// bounded time, starting from the kept corpus. The build passes cargo
/// fuzz's own flags, so CI needs the nightly toolchain but not cargo-fuzz.
#[test]
fn fuzz_targets_run_for_a_bounded_time() {
    if !nightly_available() {
        common::skip("the nightly toolchain not installed");
        return;
    }
    let root = common::workspace();
    let fuzz = root.join("fuzz");
    let build = Command::new("bash")
        .arg(fuzz.join("build.sh"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run fuzz/build.sh");
    assert!(build.status.success(), "building the fuzz targets failed");
    let binaries = fuzz.join(String::from_utf8_lossy(&build.stdout).trim());
    // The two targets fuzz at once: libFuzzer runs on one thread, and CI
    // has two cores.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = ["pipeline", "generated"]
            .map(|target| {
                let (root, fuzz, binaries) = (&root, &fuzz, &binaries);
                scope.spawn(move || fuzz_for_a_bounded_time(target, root, fuzz, binaries))
            })
            .into_iter()
            .collect();
        runs.into_iter().filter_map(|run| run.join().expect("a fuzz target's thread")).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs one fuzz target for `fuzz_seconds()` from its corpus; the failing
/// input's log, if it found one.
fn fuzz_for_a_bounded_time(target: &str, root: &Path, fuzz: &Path, binaries: &Path) -> Option<String> {
    let found = tempfile::tempdir().expect("temp dir");
    let mut run = Command::new(binaries.join(target));
    run.arg(found.path());
    if target == "pipeline" {
        run.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus")).arg(root.join("examples"));
    }
    // Where a failing input is written: kept after the test, as cargo fuzz keeps it.
    let artifacts = fuzz.join("artifacts").join(target);
    std::fs::create_dir_all(&artifacts).expect("fuzz/artifacts");
    let output = run
        .args([
            format!("-max_total_time={}", fuzz_seconds()),
            // The corpus keeps an input whose Monte Carlo runs to its
            // work budget (a few seconds of CPU); on a machine shared
            // with the rest of the suite it took 21 s. A hang still
            // trips this limit.
            "-timeout=60".to_owned(),
            "-rss_limit_mb=4096".to_owned(),
            "-max_len=65536".to_owned(),
            format!("-artifact_prefix={}/", artifacts.display()),
            "-print_final_stats=1".to_owned(),
        ])
        .output()
        .expect("run the fuzz target");
    let log = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    eprintln!("{target}:\n{}", tail.join("\n"));
    (!output.status.success()).then(|| format!("fuzz target {target} found a failing input:\n{log}"))
}
