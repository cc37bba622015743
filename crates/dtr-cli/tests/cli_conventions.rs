//! Conventions other command lines have taught users, through the binary:
//! `-` for standard input with `--stdin-filename`; `check --fix`;
//! `--color` with NO_COLOR and CLICOLOR_FORCE; shell completions;
//! `--version` with the commit; `-q` and `-v`; the manual pages;
//! docs/cli.md current.

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
    // dtr may refuse its options and end before reading: the pipe is then closed.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
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

fn dtr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

/// The diagnostics of `file` as `check --format json` gives them.
fn diagnostics(dir: &Path, file: &str) -> Vec<serde_json::Value> {
    let out = dtr(dir, &["check", "--format", "json", file]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["diagnostics"].as_array().expect("diagnostics").clone()
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Every check fixture whose diagnostics carry a fix in the file itself:
/// `--fix --dry-run` shows a diff and writes nothing, `--fix` writes a
/// file with fewer diagnostics and no more errors, where none of the fixed
/// diagnostics remains, and a second `--fix` has nothing left to do.
#[test]
fn fix_applies_every_fixture_s_fixes_and_leaves_each_better() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dtr/tests/fixtures/check");
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixtures, dir.path());
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".dtr"))
        .collect();
    names.sort();
    let mut fixed = Vec::new();
    for name in &names {
        let before = diagnostics(dir.path(), name);
        let fixes: Vec<&serde_json::Value> =
            before.iter().filter(|d| d["fix"]["file"].as_str() == Some(name.as_str())).collect();
        if fixes.is_empty() {
            continue;
        }
        let original = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let dry = dtr(dir.path(), &["check", "--fix", "--dry-run", name]);
        assert_eq!(dry.status.code(), Some(1), "{name}: {}", stderr(&dry));
        assert!(stdout(&dry).starts_with(&format!("--- {name}\n+++ {name} (fixed)\n")), "{name}: {}", stdout(&dry));
        assert_eq!(std::fs::read_to_string(dir.path().join(name)).unwrap(), original, "{name}: dry run wrote");

        let out = dtr(dir.path(), &["check", "--fix", name]);
        assert_ne!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert_ne!(std::fs::read_to_string(dir.path().join(name)).unwrap(), original, "{name}: not fixed");
        let after = diagnostics(dir.path(), name);
        let errors = |ds: &[serde_json::Value]| ds.iter().filter(|d| d["severity"] == "error").count();
        assert!(after.len() < before.len() && errors(&after) <= errors(&before), "{name}: {before:?} → {after:?}");
        for f in &fixes {
            let at = |d: &serde_json::Value| (d["code"].clone(), d["line"].clone(), d["column"].clone());
            assert!(!after.iter().any(|d| at(d) == at(f) && d["message"] == f["message"]), "{name}: {f} remains");
        }
        let again = dtr(dir.path(), &["check", "--fix", "--dry-run", name]);
        assert_eq!((again.status.code(), stdout(&again)), (Some(0), String::new()), "{name}: fixes left");
        fixed.push(name.clone());
    }
    // E0001 (a misspelt keyword), E0002 (two), E0012, W0010: each fixture with a did-you-mean.
    assert!(fixed.len() >= 5, "{fixed:?}");
}

#[test]
fn fix_refuses_standard_input() {
    let out = dtr_with_input(Path::new("."), &["check", "--fix", "-"], "actor A\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: --fix rewrites files; standard input has none (`dtr check --fix FILE`)\n");
}

/// `dtr` with a controlled environment: no NO_COLOR unless given.
fn dtr_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dtr"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run dtr")
}

#[test]
fn color_follows_the_option_then_no_color_and_clicolor_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dtr"), "actor A\nthreat A -> B\n").unwrap();
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check", "a.dtr"];
        all.extend_from_slice(args);
        stdout(&dtr_env(dir.path(), &all, env)).contains("\x1b[")
    };
    // Standard output is a pipe here: no colour unless asked for.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    // An empty NO_COLOR is not set (no-color.org).
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]));
    // The option is global: after the subcommand or before it.
    assert!(stdout(&dtr_env(dir.path(), &["--color", "always", "check", "a.dtr"], &[])).contains("\x1b["));
}

#[test]
fn completions_are_generated_for_bash_zsh_and_fish() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = dtr(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        for word in ["check", "analyze", "completions", "stdin-filename", "dry-run", "sarif"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        std::fs::write(dir.path().join(shell), &script).unwrap();
    }
    // Bash runs its script: completing `dtr check --fo` offers --format.
    let run = Command::new("bash")
        .arg("-c")
        .arg("source ./bash; COMP_WORDS=(dtr check --fo); COMP_CWORD=2; _dtr dtr --fo check; echo \"${COMPREPLY[*]}\"")
        .current_dir(dir.path())
        .output()
        .expect("bash");
    assert_eq!(stdout(&run).trim(), "--format", "{}", String::from_utf8_lossy(&run.stderr));
    let out = dtr(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Built from a Git checkout, `--version` names the commit and its date
/// (build.rs; a tarball without `.git` builds with the version alone).
#[test]
fn version_names_the_commit_when_built_from_git() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = dtr(&root, &["--version"]);
    let shown = stdout(&out);
    assert!(shown.starts_with(concat!("dtr ", env!("CARGO_PKG_VERSION"))), "{shown}");
    let git = Command::new("git").args(["log", "-1", "--format=%h %cs", "--abbrev=12"]).current_dir(&root).output();
    if let Some(git) = git.ok().filter(|g| g.status.success()) {
        assert_eq!(shown, format!("dtr {} ({})\n", env!("CARGO_PKG_VERSION"), stdout(&git).trim()));
    }
}

/// docs/cli.md is what `dtr reference` writes from the clap definitions:
/// a command or option added without regenerating it fails here.
#[test]
fn the_cli_reference_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let written = std::fs::read_to_string(root.join("docs/cli.md")).expect("docs/cli.md");
    let out = dtr(&root, &["reference"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out) == written, "docs/cli.md is stale: run `dtr reference > docs/cli.md`");
    for heading in ["## `dtr check`", "## `dtr import atop`", "## `dtr completions`", "| `--stdin-filename PATH` |"] {
        assert!(written.contains(heading), "{heading}");
    }
}

#[test]
fn quiet_keeps_errors_and_data_and_verbose_says_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dtr.toml"), "[files]\ninclude = [\"s\"]\n").unwrap();
    std::fs::create_dir(dir.path().join("s")).unwrap();
    // a.dtr: one warning (EST unused); b.dtr: that warning and an error.
    std::fs::write(dir.path().join("s/a.dtr"), "actor EST\n").unwrap();
    let warned = dtr(dir.path(), &["check"]);
    assert_eq!(warned.status.code(), Some(0));
    assert!(stdout(&warned).contains("W0001") && stdout(&warned).contains("1 file checked"), "{}", stdout(&warned));
    let quiet = dtr(dir.path(), &["check", "-q"]);
    assert_eq!((quiet.status.code(), stdout(&quiet), stderr(&quiet)), (Some(0), String::new(), String::new()));
    // Warnings still count where asked to.
    assert_eq!(dtr(dir.path(), &["-q", "check", "--deny-warnings"]).status.code(), Some(1));

    std::fs::write(dir.path().join("s/b.dtr"), "actor EST\nthreat EST -> LVA\n").unwrap();
    let quiet = dtr(dir.path(), &["--quiet", "check", "--format", "short"]);
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(stdout(&quiet).lines().collect::<Vec<_>>().len(), 1, "{}", stdout(&quiet));
    assert!(stdout(&quiet).starts_with("s/b.dtr:2:15: error[E0002]"), "{}", stdout(&quiet));
    // JSON is the data asked for: every diagnostic, warnings too.
    let json = dtr(dir.path(), &["check", "-q", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 2);

    // analyze keeps its report and drops the warnings; test keeps only FAIL lines.
    let scenario = "actor A\nactor B\nactor C\nactor D\ncommitment g: C defends B\nscenario s { A attacks B }\nexpect s: C joins\n";
    std::fs::write(dir.path().join("s/a.dtr"), scenario).unwrap();
    std::fs::remove_file(dir.path().join("s/b.dtr")).unwrap();
    let analyzed = dtr(dir.path(), &["analyze", "-q", "s/a.dtr"]);
    assert_eq!((analyzed.status.code(), stderr(&analyzed)), (Some(0), String::new()));
    assert!(stdout(&analyzed).contains("Scenario s (s/a.dtr:6:10)"), "{}", stdout(&analyzed));
    let tested = dtr(dir.path(), &["test", "-q"]);
    assert_eq!((tested.status.code(), stdout(&tested)), (Some(0), String::new()));
    std::fs::write(dir.path().join("s/a.dtr"), scenario.replace("C joins", "C stays out")).unwrap();
    let tested = dtr(dir.path(), &["test", "-q"]);
    assert_eq!(tested.status.code(), Some(1));
    assert_eq!(stdout(&tested), "FAIL s/a.dtr: 0 of 1 expectations hold\n");

    // Verbose: the project file, the walk, each file with its time.
    let verbose = dtr(dir.path(), &["check", "-v"]);
    let err = stderr(&verbose);
    assert!(err.contains("project file: dtr.toml\n"), "{err}");
    assert!(err.contains("walked s: 1 .dtr file(s)\n"), "{err}");
    assert!(err.contains("checked s/a.dtr (1 file with its imports) in "), "{err}");
    assert!(err.lines().last().is_some_and(|l| l.starts_with("done in ")), "{err}");
    assert_eq!(stdout(&verbose), stdout(&dtr(dir.path(), &["check"])), "verbose notes go to standard error");
    // Both at once is a usage error.
    assert_eq!(dtr(dir.path(), &["check", "-q", "-v"]).status.code(), Some(2));
}

/// The subcommands `dtr --help` lists (`help` aside).
fn subcommands() -> Vec<String> {
    let help = stdout(&dtr(Path::new("."), &["--help"]));
    let listed = help.split("Commands:\n").nth(1).and_then(|rest| rest.split("\n\n").next()).unwrap_or_default();
    let names: Vec<String> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 15 && names.iter().any(|n| n == "man"), "{names:?}");
    names
}

#[test]
fn the_manual_page_names_every_subcommand_and_renders_cleanly() {
    let out = dtr(Path::new("."), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.contains(".TH dtr 1") && page.contains("\\fB\\-q\\fR, \\fB\\-\\-quiet\\fR"), "{page}");
    let names = subcommands();
    for name in &names {
        assert!(page.contains(&format!("dtr\\-{}(1)", name.replace('-', "\\-"))), "dtr.1 lacks {name}");
    }
    // Where groff is installed, it formats the page without a warning.
    if let Ok(mut groff) =
        Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn()
    {
        groff.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let formatted = groff.wait_with_output().unwrap();
        assert!(formatted.status.success() && formatted.stderr.is_empty(), "{}", stderr(&formatted));
    }

    // --out: one page per command, each with its options.
    let dir = tempfile::tempdir().unwrap();
    let out = dtr(dir.path(), &["man", "--out", "pages"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("pages/dtr.1").is_file());
    for name in &names {
        let page = std::fs::read_to_string(dir.path().join(format!("pages/dtr-{name}.1")))
            .unwrap_or_else(|e| panic!("dtr-{name}.1: {e}"));
        assert!(page.contains(&format!(".TH dtr-{name} 1")), "{page}");
    }
    let check = std::fs::read_to_string(dir.path().join("pages/dtr-check.1")).unwrap();
    assert!(check.contains("\\-\\-deny\\-warnings"), "{check}");
}
