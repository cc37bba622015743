//! `dtr analyze` and `dtr test` as users run them.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

fn dtr(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run dtr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const WORLD: &str = "\
settings { year: 2026 }
actor RUS { capability { land: 60 } }
actor EST { capability { land: 2 } }
actor USA { capability { land: 80 } resolve: 90% }
commitment guard: USA defends EST { credibility: 80% since: 2004 }
threat RUS -> EST
scenario narva { RUS attacks EST }
expect narva: USA joins
expect narva: P(USA joins) >= 70%
";

fn world() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.dtr"), WORLD).unwrap();
    dir
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn analyze_prints_entrants_paths_and_gaps() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("USA       1  limited_war       72%"), "{text}");
    assert!(text.contains("USA (72%): narva → guard (72%) → USA attacks RUS at limited_war"), "{text}");
    // own 2 + committed 80 × 0.72 = 59.6 against 60: a gap, outmatched.
    assert!(text.contains("RUS -> EST  land           60    2       57.6   0.99  GAP: outmatched"), "{text}");
    assert!(text.contains("Expectations: 2 passed, 0 failed"), "{text}");
}

#[test]
fn one_commitment_is_not_plural() {
    let dir = world();
    let text = stdout(&dtr(&["analyze", "w.dtr"], dir.path()));
    assert!(text.contains("probabilities: exact (2 outcomes over 1 commitment that can fire)"), "{text}");
}

/// An expectation without a reason ends at its last name: the white space
/// and comment after it are not part of its text, in JSON, in the text
/// report's line, or under E0023's label.
#[test]
fn an_expectation_ends_at_its_last_token() {
    let dir = world();
    let file = format!("{WORLD}expect gap RUS -> EST in land // the Baltic flank\n\nexpect no gap RUS -> EST in land\n// the end\n");
    std::fs::write(dir.path().join("w.dtr"), file).unwrap();
    let texts: Vec<String> = json(&dtr(&["analyze", "w.dtr", "--format", "json"], dir.path()))["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts[2..], ["expect gap RUS -> EST in land", "expect no gap RUS -> EST in land"]);
    let text = stdout(&dtr(&["analyze", "w.dtr"], dir.path()));
    assert!(text.contains("  ok   w.dtr:10:1 expect gap RUS -> EST in land  (gap RUS -> EST"), "{text}");
    let out = dtr(&["test", "w.dtr"], dir.path());
    let err = stderr(&out);
    // The label's line, `─` under the 32 characters of the expectation only.
    assert!(err.contains(&format!(" 12 │ expect no gap RUS -> EST in land\n    · {}┬{}\n", "─".repeat(16), "─".repeat(15))), "{err}");
}

#[test]
fn analyze_json_has_a_version_and_names() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["scenarios"][0]["actors"][2]["actor"], "USA");
    assert!((v["scenarios"][0]["actors"][2]["enters"]["value"].as_f64().unwrap() - 0.72).abs() < 1e-12);
    assert_eq!(v["gaps"][0]["reason"], "outmatched");
    assert_eq!(v["scenarios"][0]["method"]["kind"], "exact");
}

#[test]
fn set_and_year_change_the_results() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--format", "json", "--set", "USA.resolve=50%", "--set", "guard.credibility=1"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["scenarios"][0]["actors"][2]["enters"]["value"], 0.5);
    let out = dtr(&["analyze", "w.dtr", "--format", "json", "--year", "2000"], dir.path());
    let v = json(&out);
    assert_eq!(v["settings"]["period"], "2000");
    assert_eq!(v["scenarios"][0]["actors"].as_array().unwrap().len(), 2, "guard is not in force in 2000");
    assert_eq!(v["gaps"][0]["reason"], "excluded");
    let out = dtr(&["analyze", "w.dtr", "--set", "gaurd.credibility=1"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `guard`?"), "{}", stderr(&out));
    let out = dtr(&["analyze", "w.dtr", "--set", "USA.resolve=2"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = dtr(&["analyze", "w.dtr", "--year", "2026-02-30"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn emit_model_and_scenario_selection() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--emit", "model"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["commitments"][0]["kind"], "defend");
    assert!((v["commitments"][0]["p"].as_f64().unwrap() - 0.72).abs() < 1e-12);
    let out = dtr(&["analyze", "w.dtr", "--scenario", "narav"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no scenario named `narav`; did you mean `narva`?"));
}

#[test]
fn analyze_refuses_a_file_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.dtr"), "actor A\nscenario s { A attacks B }\n").unwrap();
    let out = dtr(&["analyze", "bad.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("E0002"), "{}", stderr(&out));
    let out = dtr(&["analyze", "missing.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dot_output_is_a_graph_graphviz_renders() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--format", "dot"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let dot = stdout(&out);
    assert!(dot.starts_with("digraph dtr {"));
    assert!(dot.contains("\"narva/USA\" -> \"narva/RUS\" [label=\"guard (72%)\\nstep 1, limited_war\"];"), "{dot}");
    assert!(dot.contains("style=dashed, color=red"), "the gap is drawn: {dot}");
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        common::skip("graphviz (dot) not installed");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
    let svg = child.wait_with_output().unwrap();
    assert!(svg.status.success(), "{}", String::from_utf8_lossy(&svg.stderr));
    assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
}

#[test]
fn test_reports_failing_expectations_at_their_line() {
    let dir = world();
    std::fs::write(dir.path().join("w.dtr"), WORLD.replace(">= 70%", ">= 90%")).unwrap();
    let out = dtr(&["test", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0023") && err.contains("computed: P(USA joins) = 72%"), "{err}");
    assert!(err.contains("w.dtr:9:1"), "{err}");
    assert!(stdout(&out).ends_with("0 passed, 1 failed\n"), "{}", stdout(&out));
}

#[test]
fn test_snapshots_are_written_compared_and_updated() {
    let dir = world();
    let out = dtr(&["test", "--snapshot", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("snapshot written"));
    let snap = std::fs::read_to_string(dir.path().join("w.dtr.snap")).unwrap();
    assert!(snap.starts_with("w.dtr: analysed for 2026"), "{snap}");

    let out = dtr(&["test", "--snapshot", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("snapshot matches"));

    std::fs::write(dir.path().join("w.dtr"), WORLD.replace("credibility: 80%", "credibility: 90%")).unwrap();
    let out = dtr(&["test", "--snapshot", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("-    USA (72%)") && err.contains("+    USA (81%)"), "{err}");
    let out = dtr(&["test", "--snapshot", "--update", "w.dtr"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("snapshot updated"));

    // Run from elsewhere, the snapshot reads the same.
    let out = dtr(&["test", "--snapshot", &dir.path().join("w.dtr").to_string_lossy()], Path::new("/"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // In CI a missing snapshot fails instead of being written.
    std::fs::remove_file(dir.path().join("w.dtr.snap")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dtr")).args(["test", "--snapshot", "w.dtr"]).current_dir(dir.path()).env("CI", "true").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("w.dtr.snap").exists());
}

#[test]
fn every_example_passes_dtr_test() {
    let out = dtr(&["test", "examples"], &common::workspace());
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(" passed, 0 failed"));
}
