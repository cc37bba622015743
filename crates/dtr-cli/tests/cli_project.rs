//! The project file, dtr.toml (docs/config.md), through the binary: found
//! by walking up, lint levels, unknown keys, `include` and `exclude`, the
//! defaults of `analyze` and `import`; and this repository's own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dtr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// An unused actor (W0001) and an actor listed twice (W0008).
const WARNINGS: &str = "actor A\nactor B\nactor C\nalliance X { members: [A, B, B] }\n";

#[test]
fn lint_levels_apply_to_files_below_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dtr.toml", "[lints]\nW0001 = \"allow\"\nW0008 = \"deny\"\n");
    write(dir.path(), "scenarios/deep/w.dtr", WARNINGS);
    // From the root and from inside the folder: the same project file.
    for (cwd, path) in
        [(dir.path().to_path_buf(), "scenarios/deep/w.dtr"), (dir.path().join("scenarios/deep"), "w.dtr")]
    {
        let out = dtr(&cwd, &["check", "--format", "short", path]);
        assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("{path}:4:30: error[W0008]: `B` is listed twice (help: remove the second mention)\n")
        );
    }
    // A denied warning stops `analyze` as an error does.
    let out = dtr(dir.path(), &["analyze", "scenarios/deep/w.dtr"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("× `B` is listed twice"), "{}", stderr(&out));
    // Without the project file, both are warnings.
    std::fs::remove_file(dir.path().join("dtr.toml")).unwrap();
    let out = dtr(dir.path(), &["check", "--format", "short", "scenarios/deep/w.dtr"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
}

#[test]
fn unknown_keys_and_wrong_values_stop_the_command_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dtr.toml", "[lint]\nW0001 = \"allow\"\n\n[files]\nexclud = []\n[lints]\nW0001 = \"alow\"\n");
    write(dir.path(), "a.dtr", WARNINGS);
    let out = dtr(dir.path(), &["check", "a.dtr"]);
    assert_eq!(out.status.code(), Some(2));
    let shown = stderr(&out);
    let path = dir.path().canonicalize().unwrap().join("dtr.toml");
    let path = path.display();
    assert_eq!(
        shown,
        format!(
            "{path}:1:2: error: unknown section `lint`\n  help: did you mean `lints`?\n\
             {path}:5:1: error: unknown key in [files] `exclud`\n  help: did you mean `exclude`?\n\
             {path}:7:9: error: unknown level `alow`\n  help: did you mean `allow`?\n"
        )
    );
    assert_eq!(stdout(&out), "0 files checked: no problems found; 1 file could not be read\n");
    write(dir.path(), "dtr.toml", "[analyze]\nyear = \"1914-02-30\"\n");
    let out = dtr(dir.path(), &["analyze", "a.dtr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).ends_with("dtr.toml:2:8: error: `1914-02-30` is not a calendar date\n"), "{}", stderr(&out));
}

#[test]
fn include_is_walked_without_paths_and_exclude_is_left_out_of_walks() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dtr.toml", "[files]\ninclude = [\"scenarios\"]\nexclude = [\"drafts/\"]\n");
    let clean = "actor A\nactor B\nthreat A -> B\n";
    for file in ["scenarios/a.dtr", "scenarios/drafts/b.dtr", "other/c.dtr"] {
        write(dir.path(), file, clean);
    }
    let out = dtr(dir.path(), &["test"]);
    assert_eq!(
        stdout(&out),
        "ok   scenarios/a.dtr: 0 of 0 expectations hold\n1 passed, 0 failed\n",
        "{}",
        stderr(&out)
    );
    let out = dtr(dir.path(), &["test", "."]);
    assert_eq!(
        stdout(&out),
        "ok   ./other/c.dtr: 0 of 0 expectations hold\nok   ./scenarios/a.dtr: 0 of 0 expectations hold\n2 passed, 0 failed\n"
    );
    // A folder named on the command line is walked even if excluded.
    let out = dtr(dir.path(), &["test", "scenarios/drafts"]);
    assert_eq!(stdout(&out), "ok   scenarios/drafts/b.dtr: 0 of 0 expectations hold\n1 passed, 0 failed\n");
}

#[test]
fn analyze_takes_its_year_and_scenarios_from_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let file = "actor A { capability { land: 5 } }\nactor B\nactor C\n\
                commitment c: C defends B { credibility: 90% until: 1900 }\n\
                scenario early { A attacks B }\nscenario late { A attacks C }\n";
    write(dir.path(), "s.dtr", file);
    let given = stdout(&dtr(dir.path(), &["analyze", "s.dtr", "--year", "1950", "--scenario", "late"]));
    let plain = stdout(&dtr(dir.path(), &["analyze", "s.dtr"]));
    assert_ne!(given, plain);
    write(dir.path(), "dtr.toml", "[analyze]\nyear = 1950\nscenario = \"late\"\n");
    assert_eq!(stdout(&dtr(dir.path(), &["analyze", "s.dtr"])), given);
    // The command line wins.
    assert_eq!(stdout(&dtr(dir.path(), &["analyze", "s.dtr", "--scenario", "early,late"])), {
        std::fs::remove_file(dir.path().join("dtr.toml")).unwrap();
        stdout(&dtr(dir.path(), &["analyze", "s.dtr", "--year", "1950", "--scenario", "early,late"]))
    });
}

#[test]
fn import_reads_its_data_paths_from_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = dtr(dir.path(), &["import", "atop", "--date", "1914-07-28"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --members, --alliances, --states missing: give them, or set them under [import] in dtr.toml (docs/config.md)\n"
    );
    let data = root().join("data").canonicalize().unwrap();
    let toml = format!(
        "[import]\nmembers = '{0}/atop5_0m.csv'\nalliances = '{0}/atop5_0a.csv'\nstates = '{0}/states2016.csv'\n",
        data.display()
    );
    write(dir.path(), "dtr.toml", &toml);
    let out = dtr(dir.path(), &["import", "atop", "--date", "1914-07-28"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let header = format!("// Written by: dtr import atop --members {}/atop5_0m.csv --alliances", data.display());
    assert!(stdout(&out).contains(&header), "{}", stdout(&out));
    assert!(stdout(&out).contains("\n// dtr: allow(W0001) "), "{}", stdout(&out));
}

/// `dtr check examples` on this repository is clean, its catalogues'
/// unused states allowed in their header; with no path, the repository's
/// dtr.toml points `dtr check` at the same folder.
#[test]
fn this_repository_checks_clean() {
    let root = root();
    let out = dtr(&root, &["check", "examples"]);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "11 files checked: no problems found\n".into()));
    let out = dtr(&root, &["check", "--deny-warnings"]);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "11 files checked: no problems found\n".into()));
}
