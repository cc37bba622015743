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
    assert!(text.contains("USA    target     1  limited_war       72%"), "{text}");
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
    let file = format!(
        "{WORLD}expect gap RUS -> EST in land // the Baltic flank\n\nexpect no gap RUS -> EST in land\n// the end\n"
    );
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
    assert!(
        err.contains(&format!(" 12 │ expect no gap RUS -> EST in land\n    · {}┬{}\n", "─".repeat(16), "─".repeat(15))),
        "{err}"
    );
}

#[test]
fn analyze_json_has_a_version_and_names() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["version"], 8);
    assert_eq!(v["scenarios"][0]["actors"][2]["actor"], "USA");
    // USA defends EST against RUS: with the target. No importer comment: no COW code.
    let sides: Vec<(&str, &str)> = v["scenarios"][0]["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["actor"].as_str().unwrap(), a["side"].as_str().unwrap()))
        .collect();
    assert_eq!(sides, [("RUS", "opener"), ("EST", "target"), ("USA", "target")]);
    assert_eq!(v["scenarios"][0]["actors"][2]["cow"], serde_json::Value::Null);
    // Version 3: each firing and path step says where its provision is declared.
    let firing = &v["scenarios"][0]["events"][1];
    assert_eq!(
        (&firing["cause"], &firing["provision"], &firing["location"]["line"]),
        (&"guard".into(), &"guard".into(), &5.into())
    );
    assert_eq!(v["scenarios"][0]["events"][0]["location"], serde_json::Value::Null);
    assert_eq!(v["scenarios"][0]["actors"][2]["path"]["steps"][0]["location"]["line"], 5);
    assert_eq!(v["scenarios"][0]["budget_share"], serde_json::Value::Null);
    assert!((v["scenarios"][0]["actors"][2]["enters"]["value"].as_f64().unwrap() - 0.72).abs() < 1e-12);
    assert_eq!(v["gaps"][0]["reason"], "outmatched");
    assert_eq!(v["scenarios"][0]["method"]["kind"], "exact");
}

#[test]
fn set_and_year_change_the_results() {
    let dir = world();
    let out = dtr(
        &["analyze", "w.dtr", "--format", "json", "--set", "USA.resolve=50%", "--set", "guard.credibility=1"],
        dir.path(),
    );
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

/// A file with many warnings: the problem with an option must come first.
const NOISY: &str = "\
actor RUS { capability { land: 60 } }
actor EST { capability { land: 2 } }
actor USA { capability { land: 80 } }
actor A1 actor A2 actor A3 actor A4 actor A5 actor A6 actor A7 actor A8
commitment guard: USA defends EST
scenario narva { RUS attacks EST }
";

#[test]
fn a_wrong_option_is_refused_before_the_files_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("n.dtr"), NOISY).unwrap();
    let out = dtr(&["analyze", "n.dtr"], dir.path());
    assert!(stderr(&out).contains("W0001"), "the file has warnings: {}", stderr(&out));
    for (option, message) in [
        ("UAS.resolve=50%", "error: no actor named `UAS`; did you mean `USA`?\n"),
        ("gaurd.credibility=50%", "error: no commitment or obligation named `gaurd`; did you mean `guard`?\n"),
    ] {
        let out = dtr(&["analyze", "n.dtr", "--set", option], dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(stderr(&out), message, "only the problem, first");
        assert!(stdout(&out).is_empty());
    }
    let out = dtr(&["analyze", "n.dtr", "--scenario", "narav"], dir.path());
    assert_eq!(
        (out.status.code(), stderr(&out).as_str()),
        (Some(2), "error: no scenario named `narav`; did you mean `narva`?\n")
    );
    let out = dtr(&["sweep", "n.dtr", "--attackers", "RSU"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("E0090\n\n  × no actor named `RSU`") && !stderr(&out).contains("W0001"),
        "{}",
        stderr(&out)
    );
    // The checker's hint for a percentage written without `%`.
    let out = dtr(&["analyze", "n.dtr", "--set", "USA.resolve=50"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("50 is not a probability: write `50%`, or a fraction from 0 to 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn several_files_directories_and_scenarios() {
    let dir = world();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("more/n.dtr"), NOISY).unwrap();
    // A JSON array, one report per file, in path order (as `check` lists them).
    let out = dtr(&["analyze", "w.dtr", "more/n.dtr", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let files: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["more/n.dtr", "w.dtr"]);
    // A directory: its .dtr files, as `check` finds them.
    let out = dtr(&["analyze", ".", "--format", "json", "--emit", "model"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out).as_array().map(Vec::len), Some(2));
    let out = dtr(&["analyze", "more"], dir.path());
    assert!(stdout(&out).starts_with("more/n.dtr: every provision in force"), "{}", stdout(&out));
    // A directory or a pattern gives an array even when it finds one file.
    for path in ["more", "more/*.dtr"] {
        let out = dtr(&["analyze", path, "--format", "json"], dir.path());
        assert_eq!(json(&out).as_array().map(Vec::len), Some(1), "{path}");
    }
    let empty = tempfile::tempdir().unwrap();
    let out = dtr(&["analyze", "."], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no .dtr file in ."), "{}", stderr(&out));
    // `--scenario` repeats (or takes commas); each name must be in some file.
    std::fs::write(dir.path().join("w.dtr"), format!("{WORLD}scenario other {{ USA attacks RUS }}\n")).unwrap();
    for args in [&["--scenario", "other", "--scenario", "narva"][..], &["--scenario", "other,narva"]] {
        let out = dtr(&[&["analyze", "w.dtr", "more/n.dtr", "--format", "json"], args].concat(), dir.path());
        let v = json(&out);
        let names = |i: usize| {
            v[i]["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!((names(0), names(1)), (vec!["narva".to_string()], vec!["narva".to_string(), "other".to_string()]));
    }
    let out = dtr(&["analyze", "w.dtr", "more/n.dtr", "--scenario", "other", "--scenario", "nowhere"], dir.path());
    assert_eq!(
        (out.status.code(), stderr(&out).as_str()),
        (Some(2), "error: no scenario named `nowhere`; did you mean `other`?\n")
    );
    // A `--set` must name something in every file.
    let out = dtr(&["analyze", "w.dtr", "more/n.dtr", "--set", "A1.resolve=10%"], dir.path());
    assert_eq!((out.status.code(), stderr(&out).as_str()), (Some(2), "error: w.dtr: no actor named `A1`\n"));
}

#[test]
fn year_takes_every_year_settings_take() {
    let dir = world();
    let out = dtr(&["analyze", "w.dtr", "--format", "json", "--year", "-431"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["settings"]["period"], "-431");
    let out = dtr(&["analyze", "w.dtr", "--year", "10000"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("outside the years -9999 to 9999"), "{}", stderr(&out));
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
    for format in ["text", "json", "dot"] {
        let out = dtr(&["analyze", "bad.dtr", "--format", format], dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).is_empty(), "{format}: {}", stdout(&out));
    }
    let out = dtr(&["analyze", "bad.dtr"], dir.path());
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
    // USA's attack on RUS, written target first so that Graphviz ranks USA
    // (step 1) right of RUS (step 0); the arrow still points at RUS.
    assert!(
        dot.contains(
            "\"narva/RUS\" -> \"narva/USA\" [label=\"guard (72%)\\nstep 1, limited_war\", color=\"#a0910b\", dir=back];"
        ),
        "{dot}"
    );
    assert!(dot.contains("legend [shape=plaintext") && dot.contains(">limited_war</td>"), "the rungs' legend: {dot}");
    assert!(dot.contains("style=dashed, color=red"), "the gap is drawn: {dot}");
    // Graphviz stacks a left-to-right graph's clusters bottom-up: written
    // last first, the first scenario is drawn at the top, the gaps below.
    std::fs::write(dir.path().join("w.dtr"), format!("{WORLD}scenario other {{ USA attacks RUS }}\n")).unwrap();
    let dot = stdout(&dtr(&["analyze", "w.dtr", "--format", "dot"], dir.path()));
    let at = |cluster: &str| dot.find(&format!("subgraph {cluster} ")).unwrap_or_else(|| panic!("{cluster}: {dot}"));
    assert!(at("cluster_gaps") < at("cluster_1") && at("cluster_1") < at("cluster_0"), "{dot}");
    // The scenarios asked for, without the gaps that would take half the picture.
    let dot = stdout(&dtr(&["analyze", "w.dtr", "--format", "dot", "--scenario", "narva"], dir.path()));
    assert!(dot.contains("subgraph cluster_0 ") && !dot.contains("cluster_gaps") && !dot.contains("other"), "{dot}");
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

/// The HTML page is one file's: several files (or a folder) are refused
/// before anything is checked; one file writes a whole page.
#[test]
fn html_is_the_page_of_one_file() {
    let dir = world();
    std::fs::write(dir.path().join("v.dtr"), WORLD).unwrap();
    for files in [&["w.dtr", "v.dtr"][..], &["."]] {
        let out = dtr(&[&["analyze"], files, &["--format", "html"]].concat(), dir.path());
        assert_eq!(out.status.code(), Some(2), "{files:?}");
        assert!(stdout(&out).is_empty());
        assert!(stderr(&out).contains("--format html writes the page of one file"), "{}", stderr(&out));
    }
    let out = dtr(&["analyze", "w.dtr", "--format", "html"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n") && page.contains("id=\"scenario-narva\""),
        "{page}"
    );
}

/// Graphviz's layout of the DOT output (issue 18): time runs left to right
/// (each entrant right of every earlier step's), and an alliance's
/// firings run through one hub, each line once.
#[test]
fn dot_draws_time_left_to_right_and_an_alliance_through_a_hub() {
    let root = &common::workspace();
    let layout = |args: &[&str]| -> Option<(String, Vec<(String, f64)>)> {
        let dot = stdout(&dtr(args, root));
        let mut child = Command::new("dot")
            .arg("-Tplain")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .ok()?;
        use std::io::Write;
        child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
        let plain = child.wait_with_output().unwrap();
        assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
        // `node NAME X Y …`, names quoted when they hold a `/`.
        let nodes = String::from_utf8_lossy(&plain.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("node "))
            .filter_map(|l| {
                let (name, rest) = l.strip_prefix('"')?.split_once('"')?;
                Some((name.to_string(), rest.split_whitespace().next()?.parse().ok()?))
            })
            .collect();
        Some((dot, nodes))
    };
    let Some((_, nodes)) =
        layout(&["analyze", "examples/july1914.dtr", "--scenario", "july_crisis", "--format", "dot"])
    else {
        common::skip("graphviz (dot) not installed");
        return;
    };
    let x = |actor: &str| {
        nodes
            .iter()
            .find(|(n, _)| n == &format!("july_crisis/{actor}"))
            .unwrap_or_else(|| panic!("{actor}: {nodes:?}"))
            .1
    };
    // Steps 0 (AUH attacks SRB), 1 (RUS), 2 (GER; FRA and BEL attacked), 3 (GBR).
    assert!(
        x("SRB") < x("AUH") && x("AUH") < x("RUS") && x("RUS") < x("FRA") && x("FRA") < x("GER") && x("GER") < x("GBR"),
        "{nodes:?}"
    );
    assert_eq!(x("FRA"), x("BEL"), "one column");

    let (dot, nodes) = layout(&["analyze", "examples/baltic.dtr", "--scenario", "suwalki", "--format", "dot"]).unwrap();
    let hub = nodes.iter().find(|(n, _)| n == "suwalki/hub0").expect("the NATO.article5 hub").1;
    let x = |actor: &str| nodes.iter().find(|(n, _)| n == &format!("suwalki/{actor}")).unwrap().1;
    assert!(x("LTU") < x("RUS") && x("RUS") < hub && hub < x("USA"), "{nodes:?}");
    // 2 openings, 11 members into the hub, 2 lines out of it: 22 firings in 15 lines.
    let lines = dot.lines().filter(|l| l.contains("\"suwalki/") && l.contains(" -> ") && !l.contains("column")).count();
    assert_eq!(lines, 15, "{dot}");
    assert!(dot.contains("\"suwalki/rungs\" [shape=note"), "the paths to rungs: {dot}");
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
    let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(["test", "--snapshot", "w.dtr"])
        .current_dir(dir.path())
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("w.dtr.snap").exists());
}

#[test]
fn every_example_passes_dtr_test() {
    let out = dtr(&["test", "examples"], &common::workspace());
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains(" passed, 0 failed"));
}

const GULF: &str = "\
settings { date: 1990-08-08 }
actor IRQ { capability { land: 30 } }
actor KWT { capability { land: 2 } }
actor USA { capability { land: 90 } resolve: 85% }
actor FRA { capability { land: 20 } }
actor GBR { capability { land: 25 } }
commitment shield: USA defends KWT { credibility: 90% }
commitment daguet: FRA defends KWT { since: 1990-09-15 }
commitment granby: GBR attacks IRQ { when: war between USA and IRQ  credibility: 75% }
threat IRQ -> KWT
scenario invasion { IRQ attacks KWT in land }
";

fn gulf() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gulf.dtr"), GULF).unwrap();
    dir
}

#[test]
fn why_explains_entry_in_factors_and_absence_by_its_rule() {
    let dir = gulf();
    let out = dtr(&["analyze", "gulf.dtr", "--why", "FRA"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("why_fra", stdout(&out));
    let out = dtr(&["analyze", "gulf.dtr", "--why", "USA", "--format", "json"], dir.path());
    let j = json(&out);
    assert_eq!(j["version"], 8);
    let usa = &j["scenarios"][0]["why"];
    assert_eq!(usa["chain"][0]["text"], "shield 76.5% = 90% credibility × 85% resolve");
    assert_eq!(usa["entry"], "attacks IRQ at step 1");
    // The whole report explains every actor with a commitment.
    let text = stdout(&dtr(&["analyze", "gulf.dtr"], dir.path()));
    assert!(text.contains("    FRA stays out (P(joins) 0%)\n      daguet (gulf.dtr:8:12): not in force"), "{text}");
    let out = dtr(&["analyze", "gulf.dtr", "--why", "FAR"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--why: no actor named `FAR`; did you mean `FRA`?"), "{}", stderr(&out));
}

#[test]
fn set_takes_capabilities_and_other_numbers() {
    let dir = gulf();
    let text = stdout(&dtr(&["analyze", "gulf.dtr", "--set", "USA.capability.land=10"], dir.path()));
    // own 2, committed 10 × 76.5% = 7.65, against 30.
    assert!(text.contains("IRQ -> KWT  land           30    2       7.65   0.32  GAP: outmatched"), "{text}");
    let text = stdout(&dtr(&["analyze", "gulf.dtr", "--set", "settings.deterrence_ratio=3"], dir.path()));
    assert!(text.contains("below the ratio 3"), "{text}");
    let out = dtr(&["analyze", "gulf.dtr", "--set", "USA.capability.lnd=10"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no domain named `lnd`; did you mean `land`?"), "{}", stderr(&out));
    let out = dtr(&["analyze", "gulf.dtr", "--set", "USA.capability.land=-1"], dir.path());
    assert!(stderr(&out).contains("capability -1 is negative"), "{}", stderr(&out));
}

#[test]
fn vary_prints_a_result_per_value_as_text_json_and_csv() {
    let dir = gulf();
    let args = ["analyze", "gulf.dtr", "--vary", "USA.resolve=0%..100%:50%", "--of", "GBR"];
    let out = dtr(&[&args[..], &["--format", "csv"]].concat(), dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // P(GBR joins) = 90% × resolve × 75%.
    assert_eq!(
        stdout(&out),
        "scenario,input,value,result,p,low,high\n\
         invasion,USA.resolve,0,P(GBR joins),0,,\n\
         invasion,USA.resolve,0.5,P(GBR joins),0.3375,,\n\
         invasion,USA.resolve,1,P(GBR joins),0.675,,\n"
    );
    insta::assert_snapshot!("vary_text", stdout(&dtr(&args, dir.path())));
    let j = json(&dtr(&[&args[..], &["--format", "json"]].concat(), dir.path()));
    assert_eq!(j["input"], "USA.resolve");
    assert_eq!(j["series"][0]["points"][2]["result"]["value"], 0.675);
    let out = dtr(&["analyze", "gulf.dtr", "--vary", "USA.resolve=0%..100%:0.5%"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds 201 values; at most 101"), "{}", stderr(&out));
    let out = dtr(&["analyze", "gulf.dtr", "--format", "csv"], dir.path());
    assert!(stderr(&out).contains("--format csv is for --vary"), "{}", stderr(&out));
}

#[test]
fn tornado_ranks_the_inputs_that_move_the_result() {
    let dir = gulf();
    let out = dtr(&["analyze", "gulf.dtr", "--tornado", "--of", "GBR"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("tornado_gbr", stdout(&out));
    let j = json(&dtr(&["analyze", "gulf.dtr", "--tornado", "--of", "GBR", "--format", "json"], dir.path()));
    let inputs: Vec<&str> =
        j["scenarios"][0]["bars"].as_array().unwrap().iter().map(|b| b["input"].as_str().unwrap()).collect();
    assert_eq!(inputs, ["granby.credibility", "USA.resolve", "shield.credibility", "GBR.resolve"]);
}
