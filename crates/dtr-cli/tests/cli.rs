//! The `dtr` binary as users run it: exit codes, formats, messages.

use std::process::{Command, Output};

fn dtr(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const CLEAN: &str = "actor A { capability { land: 1 } }\nactor B\nscenario s { A attacks B }\n";
const TYPO_AND_THREE_SYNTAX_ERRORS: &str = "\
actor EST \"Estonia\" { capability { land: 2 } }
actor RUS { capability { land: 60 } }
alliance A { members: [EST RUS] }
actor X { region: }
commitment c: RUS defends EST { credibility: }
scenario s { RUS attacks ETS }
";

#[test]
fn clean_file_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.dtr"), CLEAN).unwrap();
    let out = dtr(&["check", "ok.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "1 file checked: no problems found\n");
}

#[test]
fn typo_and_syntax_errors_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.dtr"), TYPO_AND_THREE_SYNTAX_ERRORS).unwrap();
    let out = dtr(&["check", "--format", "short", "bad.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("bad.dtr:3:28: error[E0001]: expected `,` or `]` in a list of names, found `RUS`"),
        "{text}"
    );
    assert!(lines[1].starts_with("bad.dtr:4:19: error[E0001]: expected a name"), "{text}");
    assert!(lines[2].starts_with("bad.dtr:5:46: error[E0001]:"), "{text}");
    // The help goes on the diagnostic's line: tools that read the short
    // format keep the did-you-mean.
    assert_eq!(lines[3], "bad.dtr:6:26: error[E0002]: unknown actor `ETS` (help: did you mean `EST`?)");
    let human = stdout(&dtr(&["check", "bad.dtr"], dir.path()));
    assert!(human.contains("help: did you mean `EST`?"), "{human}");
}

/// Short, JSON and human output agree on lines and columns: a lone `\r`
/// ends a line, a byte-order mark is no column, and the snippet shows the
/// line that the header names.
#[test]
fn every_format_agrees_on_lone_carriage_returns_and_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cr.dtr"), "actor A\ractor B { region: x }\rthreat A -> C\r").unwrap();
    std::fs::write(dir.path().join("bom.dtr"), "\u{FEFF}threat A -> C\nactor A\n").unwrap();
    let short = stdout(&dtr(&["check", "--format", "short", "cr.dtr", "bom.dtr"], dir.path()));
    let at: Vec<&str> = short.lines().map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(at, ["bom.dtr:1:13", "cr.dtr:2:7", "cr.dtr:2:19", "cr.dtr:3:13"], "{short}");
    let json: serde_json::Value =
        serde_json::from_slice(&dtr(&["check", "--format", "json", "cr.dtr"], dir.path()).stdout).unwrap();
    let places: Vec<(u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(2, 7), (2, 19), (3, 13)]);
    let human = stdout(&dtr(&["check", "cr.dtr", "bom.dtr"], dir.path()));
    for header in ["[bom.dtr:1:13]", "[cr.dtr:2:7]", "[cr.dtr:2:19]", "[cr.dtr:3:13]"] {
        assert!(human.contains(header), "{header}: {human}");
    }
    assert!(human.contains(" 2 │ actor B { region: x }\n") && !human.contains('\r'), "{human}");
}

#[test]
fn json_format_has_positions_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.dtr"), TYPO_AND_THREE_SYNTAX_ERRORS).unwrap();
    let out = dtr(&["check", "--format", "json", "bad.dtr"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let last = &v["diagnostics"][3];
    assert_eq!(last["code"], "E0002");
    assert_eq!(last["severity"], "error");
    assert_eq!((last["line"].as_u64(), last["column"].as_u64()), (Some(6), Some(26)));
    assert_eq!((last["end_line"].as_u64(), last["end_column"].as_u64()), (Some(6), Some(29)));
    assert_eq!(last["help"], "did you mean `EST`?");
    assert_eq!(last["labels"][0]["primary"], true);
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.dtr"), format!("{CLEAN}actor Unused\n")).unwrap();
    assert_eq!(dtr(&["check", "w.dtr"], dir.path()).status.code(), Some(0));
    assert_eq!(dtr(&["check", "--deny-warnings", "w.dtr"], dir.path()).status.code(), Some(1));
}

#[test]
fn analysing_a_file_with_warnings_ends_them_with_their_count() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.dtr"), format!("{CLEAN}actor Unused\nactor Idle\n")).unwrap();
    for command in [&["analyze", "w.dtr"][..], &["sweep", "w.dtr"], &["test", "w.dtr"]] {
        let out = dtr(command, dir.path());
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("W0001"), "{command:?}: {stderr}");
        assert!(stderr.trim_end().ends_with("w.dtr: 2 warnings"), "{command:?}: {stderr}");
    }
}

#[test]
fn directories_are_searched_and_missing_files_are_io_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/a.dtr"), CLEAN).unwrap();
    std::fs::write(dir.path().join("sub/notes.txt"), "not dtr").unwrap();
    let out = dtr(&["check", "."], dir.path());
    assert_eq!(stdout(&out), "1 file checked: no problems found\n");
    let out = dtr(&["check", "missing.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read missing.dtr"));
    // Not counted as checked, nor as clean.
    assert_eq!(stdout(&out), "0 files checked: no problems found; 1 file could not be read\n");
    let out = dtr(&["check", "sub/a.dtr", "missing.dtr", "gone.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "1 file checked: no problems found; 2 files could not be read\n");
}

#[test]
fn explain_prints_the_page_or_lists_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dtr(&["explain", "e0002"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("# E0002: unknown name"));
    let out = dtr(&["explain", "E9999"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown code `E9999`") && err.contains("W0008"), "{err}");
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(dtr(&["check", "--format", "xml"], dir.path()).status.code(), Some(2));
    assert_eq!(dtr(&["frobnicate"], dir.path()).status.code(), Some(2));
}

/// `dtr generate | head -1`: the reader goes away after one line, and
/// `dtr` stops quietly (SIGPIPE's default action) instead of panicking on
/// the closed pipe.
#[test]
fn a_reader_that_stops_early_ends_dtr_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["generate", "--actors", "3000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dtr");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut first).expect("one line");
    // The reader is dropped here, with megabytes still to be written.
    let output = child.wait_with_output().expect("wait for dtr");
    assert!(!first.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "dtr wrote to stderr:\n{stderr}");
    assert_ne!(output.status.code(), Some(101));
    #[cfg(unix)]
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&output.status), Some(libc::SIGPIPE));
}

/// Output to a full disk (`> /dev/full`): an I/O error, exit code 2 with a
/// message, never a panic (exit 101), whichever subcommand writes.
#[test]
fn a_full_disk_is_an_io_error() {
    use std::process::Stdio;
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dtr"), CLEAN).unwrap();
    for args in [
        &["check", "a.dtr"][..],
        &["analyze", "a.dtr"],
        &["generate", "--actors", "20"],
        &["explain", "E0001"],
        &["sweep", "a.dtr"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::from(full.try_clone().unwrap()))
            .output()
            .expect("run dtr");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "dtr {args:?}: {stderr}");
        assert!(stderr.starts_with("error: cannot write"), "dtr {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "dtr {args:?}: {stderr}");
    }
}

/// An endless input is refused: standard input (`fmt -`) once read to the
/// file-size limit, a device such as `/dev/zero` named as a file at once,
/// unread (only regular files are read: docs/robustness.md, "File safety").
#[test]
fn an_endless_input_is_refused_at_the_size_limit() {
    use std::process::Stdio;
    let Ok(zero) = std::fs::File::open("/dev/zero") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dtr(&["fmt", "/dev/zero"], dir.path());
    let stdin =
        Command::new(env!("CARGO_BIN_EXE_dtr")).args(["fmt", "-"]).stdin(Stdio::from(zero)).output().expect("run dtr");
    for (out, expected) in [
        (file, "/dev/zero: it is a device, not a regular file"),
        (stdin, "standard input: larger than the 64 MiB limit"),
    ] {
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("error: cannot read {expected}")), "{stderr}");
    }
}
