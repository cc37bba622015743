//! Conventions other command lines have taught users, through the binary:
//! `-` for standard input with `--stdin-filename`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dtr_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dtr");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().expect("dtr ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_analyze_and_test_read_standard_input_as_dash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dtr_with_input(dir.path(), &["check", "--format", "short", "-"], "actor A\nthreat A -> C\n");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "-:2:13: error[E0002]: unknown actor `C` (help: declare it with `actor C …` or import the file that does)\n"
    );
    let scenario = "actor A { capability { land: 5 } }\nactor B\nscenario s { A attacks B }\nexpect s: B joins\n";
    let out = dtr_with_input(dir.path(), &["analyze", "-", "--format", "json"], scenario);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // One file: a report, not an array of them.
    assert!(stdout(&out).starts_with("{\n  \"version\""), "{}", stdout(&out));
    let out = dtr_with_input(dir.path(), &["test", "-"], scenario);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "ok   -: 1 of 1 expectations hold\n1 passed, 0 failed\n".into())
    );
}

#[test]
fn stdin_filename_names_the_input_finds_its_imports_and_its_project() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/lib.dtr"), "actor Z\n").unwrap();
    std::fs::write(dir.path().join("sub/dtr.toml"), "[lints]\nW0001 = \"deny\"\n").unwrap();
    let input = "import \"lib.dtr\"\nactor A\nactor U\nthreat A -> Z\n";
    let args = ["check", "--format", "short", "-", "--stdin-filename", "sub/buffer.dtr"];
    let out = dtr_with_input(dir.path(), &args, input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "sub/buffer.dtr:3:7: error[W0001]: actor `U` is never used (help: refer to it from an alliance, commitment, \
         threat or scenario, or remove it)\n"
    );
    // Without the name, `lib.dtr` is looked for in the current directory.
    let out = dtr_with_input(dir.path(), &["check", "--format", "short", "-"], input);
    assert!(stdout(&out).starts_with("-:1:8: error[E0006]"), "{}", stdout(&out));
}

#[test]
fn stdin_is_given_once_and_its_name_only_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dtr_with_input(dir.path(), &["check", "-", "-"], "");
    assert_eq!(
        (out.status.code(), stderr(&out)),
        (Some(2), "error: `-` (standard input) can be given only once\n".into())
    );
    let out = dtr_with_input(dir.path(), &["check", "a.dtr", "--stdin-filename", "x.dtr"], "");
    assert_eq!(
        (out.status.code(), stderr(&out)),
        (Some(2), "error: --stdin-filename names standard input: give `-` among the paths\n".into())
    );
    let out = dtr_with_input(dir.path(), &["test", "--snapshot", "-"], "");
    assert_eq!(
        (out.status.code(), stderr(&out)),
        (Some(2), "error: snapshots are kept beside files; standard input has none\n".into())
    );
}
