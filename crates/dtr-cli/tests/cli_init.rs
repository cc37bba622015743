//! `dtr init`: a starter project that `check`, `test --snapshot` and
//! `analyze` pass at once, and that is never written over an existing one.

use std::path::Path;
use std::process::{Command, Output};

fn dtr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // As in CI: a missing snapshot fails instead of being written.
        .env("CI", "1")
        .output()
        .expect("run dtr")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const FILES: [&str; 5] = ["dtr.toml", "world.dtr", "expectations.dtr", "world.dtr.snap", "expectations.dtr.snap"];

#[test]
fn the_starter_project_checks_tests_and_analyses_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dtr(dir.path(), &["init", "deep/project"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).starts_with("created deep/project: dtr.toml, world.dtr"), "{}", text(&out.stderr));
    let project = dir.path().join("deep/project");
    let mut found: Vec<String> =
        std::fs::read_dir(&project).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    found.sort();
    let mut expected = FILES.map(String::from).to_vec();
    expected.sort();
    assert_eq!(found, expected);

    let check = dtr(&project, &["check"]);
    assert_eq!((check.status.code(), text(&check.stdout)), (Some(0), "2 files checked: no problems found\n".into()));
    assert_eq!(text(&check.stderr), "");
    let test = dtr(&project, &["test", "--snapshot"]);
    assert_eq!(test.status.code(), Some(0), "{}{}", text(&test.stdout), text(&test.stderr));
    assert_eq!(
        text(&test.stdout),
        "ok   ./expectations.dtr: 5 of 5 expectations hold; snapshot matches\n\
         ok   ./world.dtr: 0 of 0 expectations hold; snapshot matches\n2 passed, 0 failed\n"
    );
    let analyze = dtr(&project, &["analyze", "world.dtr"]);
    assert_eq!((analyze.status.code(), text(&analyze.stderr)), (Some(0), String::new()));
    assert!(text(&analyze.stdout).contains("Scenario invasion \"Northland invades Southland\""));
    assert_eq!(dtr(&project, &["fmt", "--check"]).status.code(), Some(0), "the starter files are formatted");
    // Its comments say what to run.
    let world = std::fs::read_to_string(project.join("world.dtr")).unwrap();
    assert!(world.contains("dtr check") && world.contains("dtr analyze") && world.contains("dtr test"));
}

#[test]
fn init_writes_into_the_current_directory_and_never_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(dtr(dir.path(), &["init"]).status.code(), Some(0));
    assert!(dir.path().join("expectations.dtr.snap").is_file());

    // Again: E0095 names every file in the way, and nothing changes.
    std::fs::write(dir.path().join("world.dtr"), "actor MINE\n").unwrap();
    let out = dtr(dir.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("E0095") && err.contains("`dtr init` would overwrite `dtr.toml`, `world.dtr`"), "{err}");
    assert!(err.contains("help: nothing was written"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("world.dtr")).unwrap(), "actor MINE\n");

    // One file in the way is enough to write none.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("expectations.dtr.snap"), "mine\n").unwrap();
    let out = dtr(other.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("would overwrite `expectations.dtr.snap`\n"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_link_under_a_starter_name_is_in_the_way_too() {
    // Even a dangling one: writing through it would create its target.
    let linked = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("nowhere", linked.path().join("dtr.toml")).unwrap();
    let out = dtr(linked.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("would overwrite `dtr.toml`\n"), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(linked.path().join("nowhere")).is_err());
}
