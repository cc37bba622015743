//! `dtr fmt` as users run it: in place, `--check`, standard input, files
//! with syntax errors, and `dtr check` reporting the same afterwards.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dtr(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

fn dtr_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dtr");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const MESSY: &str = "\
// Two actors.
actor A{capability{land:1_000}}   // big
actor   B /* small */ { capability { land : 1 , } }
/// The only scenario.
scenario s{A attacks B
  // and back
  B attacks A provoked}
";

const FORMATTED: &str = "\
// Two actors.
actor A { capability { land: 1_000 } } // big
actor B /* small */ { capability { land: 1 } }
/// The only scenario.
scenario s {
  A attacks B
  // and back
  B attacks A provoked
}
";

#[test]
fn rewrites_in_place_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messy.dtr");
    std::fs::write(&path, MESSY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = dtr(&["fmt", "messy.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "1 file formatted, 0 already formatted\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let again = dtr(&["fmt"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(text(&again.stderr), "0 files formatted, 1 already formatted\n");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_keeps_pointing_at_the_formatted_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("real.dtr"), MESSY).unwrap();
    std::os::unix::fs::symlink("real.dtr", dir.path().join("link.dtr")).unwrap();
    let out = dtr(&["fmt", "link.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("link.dtr")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dir.path().join("real.dtr")).unwrap(), FORMATTED);
}

#[test]
fn check_prints_a_diff_changes_nothing_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("messy.dtr"), MESSY).unwrap();
    std::fs::write(dir.path().join("clean.dtr"), FORMATTED).unwrap();
    let out = dtr(&["fmt", "--check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- ./messy.dtr\n+++ ./messy.dtr (formatted)\n@@ -1,7 +1,9 @@\n // Two actors.\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-actor A{capability{land:1_000}}   // big\n-actor   B /* small */ { capability { land : 1 , } }\n+actor A { capability { land: 1_000 } } // big\n"), "{diff}");
    assert!(!diff.contains("clean.dtr"), "{diff}");
    assert_eq!(std::fs::read_to_string(dir.path().join("messy.dtr")).unwrap(), MESSY);
    let clean = dtr(&["fmt", "--check", "clean.dtr"], dir.path());
    assert_eq!((clean.status.code(), text(&clean.stdout)), (Some(0), String::new()));
}

#[test]
fn standard_input_to_standard_output() {
    for args in [&["fmt", "-"][..], &["fmt", "--stdin"]] {
        let out = dtr_stdin(args, MESSY);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), FORMATTED);
    }
    let check = dtr_stdin(&["fmt", "--check", "-"], MESSY);
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stdout).starts_with("--- <stdin>\n+++ <stdin> (formatted)\n"));
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "actor A { region: }\nactor   B\n";
    std::fs::write(dir.path().join("broken.dtr"), broken).unwrap();
    std::fs::write(dir.path().join("messy.dtr"), MESSY).unwrap();
    let out = dtr(&["fmt", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("E0001"), "{stderr}");
    assert!(stderr.contains("./broken.dtr: not formatted: 1 error"), "{stderr}");
    assert!(
        stderr.ends_with("1 file formatted, 0 already formatted, 1 with syntax errors left unchanged\n"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("broken.dtr")).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(dir.path().join("messy.dtr")).unwrap(), FORMATTED);
    let stdin = dtr_stdin(&["fmt", "-"], broken);
    assert_eq!((stdin.status.code(), text(&stdin.stdout)), (Some(1), String::new()));
    assert!(text(&stdin.stderr).contains("<stdin>:1:19"), "{}", text(&stdin.stderr));
}

#[test]
fn check_reports_the_same_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    // An unused actor and a commitment to oneself: two warnings to compare.
    let messy =
        format!("{MESSY}actor C // unused\ncommitment self_help: A defends A /* odd */ {{ credibility: 50% }}\n");
    std::fs::write(dir.path().join("w.dtr"), &messy).unwrap();
    let report = |dir: &Path| {
        let out = dtr(&["check", "--format", "short", "w.dtr"], dir);
        // Positions move; codes and messages must not.
        text(&out.stdout).lines().map(|l| l.splitn(4, ':').nth(3).unwrap_or(l).to_string()).collect::<Vec<_>>()
    };
    let before = report(dir.path());
    assert!(before.len() >= 2, "{before:?}");
    assert_eq!(dtr(&["fmt", "w.dtr"], dir.path()).status.code(), Some(0));
    assert_ne!(std::fs::read_to_string(dir.path().join("w.dtr")).unwrap(), messy);
    assert_eq!(report(dir.path()), before);
}
