//! No input makes a `dtr` subcommand panic (exit 101) or run past its
//! bound: generated and mutated programs (`dtr_gen::synth`) through every
//! subcommand of the built binary, each run under a timeout.

use proptest::prelude::*;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A debug build answers a small program in well under a second; this
/// only catches a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `dtr args…` in `dir` (with `stdin` as standard input, if given) and
/// fails on a panic, a crash by signal or a run past [`TIMEOUT`].
fn run(dir: &Path, args: &[&str], stdin: Option<&Path>) -> Result<(), TestCaseError> {
    let out = dir.join("out.txt");
    let err = dir.join("err.txt");
    let mut command = Command::new(env!("CARGO_BIN_EXE_dtr"));
    command
        .args(args)
        .current_dir(dir)
        .stdout(File::create(&out).expect("out.txt"))
        .stderr(File::create(&err).expect("err.txt"));
    command.stdin(match stdin {
        Some(path) => Stdio::from(File::open(path).expect("stdin file")),
        None => Stdio::null(),
    });
    let mut child = command.spawn().expect("spawn dtr");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for dtr") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(TestCaseError::fail(format!("`dtr {}` ran past {TIMEOUT:?}", args.join(" "))));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    prop_assert!(status.code().is_some(), "`dtr {}` was killed by a signal: {status}\n{stderr}", args.join(" "));
    prop_assert_ne!(status.code(), Some(101), "`dtr {}` panicked:\n{}", args.join(" "), stderr);
    prop_assert!(!stderr.contains("panicked at"), "`dtr {}` panicked:\n{}", args.join(" "), stderr);
    Ok(())
}

/// A generated program: valid, or near-valid (faults and corrupted text).
fn program(seed: u64, near: bool) -> String {
    let bytes = dtr_gen::synth::seed_bytes(seed, 4096);
    let mut u = arbitrary::Unstructured::new(&bytes);
    let text = if near { dtr_gen::synth::near_valid(&mut u) } else { dtr_gen::synth::program(&mut u) };
    text.expect("the generator offers no empty choice")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn no_program_makes_a_subcommand_panic_or_hang(
        seed in any::<u64>(),
        near in any::<bool>(),
        code in "[EW][0-9]{0,5}|\\PC{0,8}",
        actors in 0usize..40,
        commitments in 0usize..80,
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = program(seed, near);
        let file = dir.path().join("p.dtr");
        std::fs::write(&file, &text).expect("write program");
        std::fs::write(dir.path().join("copy.dtr"), &text).expect("write copy");
        for args in [
            &["check", "p.dtr"][..],
            &["analyze", "p.dtr"],
            &["analyze", "p.dtr", "--format", "json"],
            &["analyze", "p.dtr", "--format", "dot"],
            &["analyze", "p.dtr", "--format", "text", "--emit", "model"],
            &["analyze", "p.dtr", "--scenario", "s0", "--year", "1950", "--set", "USA.resolve=40%", "--set", "c0.credibility=0.5"],
            &["test", "p.dtr"],
            &["test", "--snapshot", "p.dtr"],
            &["fmt", "--check", "p.dtr"],
            &["fmt", "copy.dtr"],
            &["fmt", "--stdin"],
            // Probabilities for two attackers only, to keep a debug build quick.
            &["sweep", "p.dtr", "--attackers", "USA,RUS", "--samples", "20"],
            &["sweep", "p.dtr", "--format", "json", "--targets", "CHN", "--samples", "20", "--shard", "1/2"],
            &["sweep", "p.dtr", "--format", "csv", "--no-probabilities", "--top", "0"],
            &["sweep", "--merge", "p.dtr", "copy.dtr"],
        ] {
            run(dir.path(), args, Some(&file))?;
        }
        run(dir.path(), &["explain", &code], None)?;
        let (actors, commitments, seed) = (actors.to_string(), commitments.to_string(), seed.to_string());
        run(dir.path(), &["generate", "--actors", &actors, "--commitments", &commitments, "--seed", &seed], None)?;
    }
}
