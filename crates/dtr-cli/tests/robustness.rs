//! Hostile input (issue 8): each case answers with the diagnostic it
//! deserves — code, message and place — within bounded time and memory.
//! docs/robustness.md lists the cases, the limits and what was fixed.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use dtr::check::{self, Checked};
use dtr::diagnostic::{Code, render};
use std::path::Path;
use std::process::{Command, Output};

fn dtr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `file:line:col: severity[CODE]: message` of every diagnostic: the short
/// format without the help it ends with (these tests are about where and
/// what).
fn short(checked: &Checked) -> Vec<String> {
    checked.diagnostics.iter().map(|d| without_help(&render::short(d, &checked.sources))).collect()
}

/// Short output with the help left out of each line.
fn without_help(short: &str) -> String {
    short
        .lines()
        .map(|l| format!("{}\n", l.split(" (help: ").next().unwrap_or(l)))
        .collect::<String>()
        .trim_end_matches('\n')
        .to_string()
        + if short.ends_with('\n') { "\n" } else { "" }
}

/// The peak resident memory of `dtr ARGS` in KiB, measured by GNU time;
/// None when /usr/bin/time is not installed.
fn peak_kib(dir: &Path, args: &[&str]) -> Option<(u64, Output)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        common::skip("GNU time (/usr/bin/time) not installed, memory not measured");
        return None;
    }
    let out = Command::new(time)
        .arg("-f")
        .arg("peak %M")
        .arg(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run time");
    let err = String::from_utf8_lossy(&out.stderr);
    let kib = err
        .lines()
        .filter_map(|l| l.strip_prefix("peak "))
        .find_map(|k| k.trim().parse().ok())
        .expect("GNU time's report");
    Some((kib, out))
}

const DEEP: usize = 100_000;

// ---------------------------------------------------------------- nesting

#[test]
fn parentheses_nots_and_lists_100000_deep() {
    let dir = tempfile::tempdir().unwrap();
    let head = "actor A\nactor B\ncommitment c: A defends B { when: ";
    let parens = format!("{head}{}attack on B{} }}\n", "(".repeat(DEEP), ")".repeat(DEEP));
    let checked = common::check_text(dir.path(), &parens);
    // The commitment's `{` counts: the 100th `(` (column 34 + 100) is at depth 101.
    let d = checked.diagnostics.iter().find(|d| d.code == Code::E0019).expect("E0019");
    assert_eq!(d.message, "brackets nest more than 100 deep");
    assert_eq!(checked.sources.line_col(d.primary.span.file, d.primary.span.start as usize).column, 134);
    assert_eq!(checked.sources.slice(d.primary.span), "(");

    let nots = format!("{head}{}attack on B }}\n", "not ".repeat(DEEP));
    let checked = common::check_text(dir.path(), &nots);
    let d = checked.diagnostics.iter().find(|d| d.code == Code::E0019).expect("E0019");
    assert_eq!(d.message, "100000 `not`s in a row: more than 100");
    // It points at the 101st `not`.
    assert_eq!(d.primary.span.start as usize, head.len() + 4 * 100);

    let lists = format!("actor A\nalliance X {{ members: {}A{} }}\n", "[".repeat(DEEP), "]".repeat(DEEP));
    let checked = common::check_text(dir.path(), &lists);
    assert_eq!(
        short(&checked)[0],
        format!(
            "{}:2:122: error[E0019]: brackets nest more than 100 deep",
            checked.sources.name(dtr::source::FileId(0))
        )
    );
    assert_eq!(common::codes(&checked), [Code::E0019]); // A is not reported unused: its user may be the skipped declaration

    // Block comments nest too: the same limit, the same skip.
    let comments = format!("actor A {}{}\nactor B\n", "/*".repeat(DEEP), "*/".repeat(DEEP));
    let checked = common::check_text(dir.path(), &comments);
    assert_eq!(common::codes(&checked), [Code::E0019]);
    assert_eq!(checked.diagnostics[0].message, "block comments nest more than 100 deep");
    assert_eq!(checked.sources.slice(checked.diagnostics[0].primary.span), "/");
}

/// Found by the fuzzer (tests/fuzz_corpus/found_unclosed_nested_comments.dtr):
/// when an inner `/*` that never closed was read as text, pest retried every
/// later `/*` on each way back — 20 KB took minutes and gigabytes. Sixty
/// unclosed comments inside one, each level under the nesting limit, would
/// be 2^60 attempts; now each `/*` is tried a bounded number of times.
#[test]
fn unclosed_nested_block_comments_fail_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("actor A\n/* outer {}*/\nactor B\n", "/* inner\n".repeat(60));
    let (sent, received) = std::sync::mpsc::channel();
    let path = dir.path().to_owned();
    std::thread::spawn(move || sent.send(short(&common::check_text(&path, &text))));
    let lines = received.recv_timeout(std::time::Duration::from_secs(60)).expect("checked within a minute");
    let name = dir.path().join("example.dtr");
    assert_eq!(lines, [format!("{}:2:1: error[E0001]: unterminated block comment", name.display())]);

    // `/*/*/` opens two comments and closes one, as in Rust.
    let checked = common::check_text(dir.path(), "actor A /*/*/\n");
    assert_eq!(short(&checked), [format!("{}:1:9: error[E0001]: unterminated block comment", name.display())]);
}

#[test]
fn the_binary_refuses_deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "actor A\nactor B\ncommitment c: A defends B {{ when: {}attack on B{} }}\n",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    );
    std::fs::write(dir.path().join("deep.dtr"), text).unwrap();
    let out = dtr(dir.path(), &["check", "--format", "short", "deep.dtr"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(without_help(&stdout(&out)), "deep.dtr:3:134: error[E0019]: brackets nest more than 100 deep\n");
}

// ---------------------------------------------------------------- size

#[test]
fn a_100_mb_file_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: 100 MB of NUL bytes that take no disk.
    let file = std::fs::File::create(dir.path().join("huge.dtr")).unwrap();
    file.set_len(100_000_000).unwrap();
    let checked = check::check_path(&dir.path().join("huge.dtr")).unwrap();
    assert_eq!(
        short(&checked),
        [format!("{}:1:1: error[E0021]: file is larger than the 64 MiB limit", dir.path().join("huge.dtr").display())]
    );
    // Imported, it is refused at the import.
    std::fs::write(dir.path().join("main.dtr"), "import \"huge.dtr\"\nactor A\n").unwrap();
    let checked = check::check_path(&dir.path().join("main.dtr")).unwrap();
    let d = &checked.diagnostics[0];
    assert_eq!((d.code, checked.sources.slice(d.primary.span)), (Code::E0021, "\"huge.dtr\""));
    // The size comes from the metadata: the process never holds the file.
    if let Some((kib, out)) = peak_kib(dir.path(), &["check", "huge.dtr"]) {
        assert_eq!(out.status.code(), Some(1));
        assert!(kib < 40_000, "peak {kib} KiB for a file that should not be read");
    }
}

#[test]
fn a_10_mb_line() {
    let dir = tempfile::tempdir().unwrap();
    // One line: a 10 MB label, then an error after it, counted in characters.
    let text = format!("actor A \"{}\" {{ region: nowhere }}\n", "é".repeat(5_000_000));
    std::fs::write(dir.path().join("line.dtr"), &text).unwrap();
    let out = dtr(dir.path(), &["check", "--format", "short", "line.dtr"]);
    let expected = "line.dtr:1:7: warning[W0001]: actor `A` is never used\nline.dtr:1:5000022: error[E0002]: unknown region `nowhere`\n";
    assert_eq!(without_help(&stdout(&out)), expected);
}

/// A name as long as a 10 MB line is quoted cut after 40 characters, not
/// echoed whole in the message and again in the help.
#[test]
fn a_10_mb_name_is_quoted_cut() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("name.dtr"), format!("actor A\nthreat A -> {}\n", "N".repeat(10_000_000))).unwrap();
    let cut = format!("{}…", "N".repeat(40));
    let out = dtr(dir.path(), &["check", "--format", "short", "name.dtr"]);
    let expected = format!(
        "name.dtr:2:13: error[E0002]: unknown actor `{cut}` (help: declare it with `actor {cut} …` or import the file that does)\n"
    );
    assert_eq!(stdout(&out), expected);
    for format in ["json", "human"] {
        let out = dtr(dir.path(), &["check", "--format", format, "name.dtr"]);
        assert!(out.stdout.len() < 2_000, "{format}: {} bytes", out.stdout.len());
    }
}

/// miette panics on a label past column 65,535 and a snippet of a whole
/// long line helps no one: the human report shows an excerpt around the
/// label, with the file's line and column (in characters, as `short` gives).
#[test]
fn a_label_past_column_65535_is_shown_in_an_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("actor A \"{}\" {{ region: nowhere }}\n", "é".repeat(70_000));
    std::fs::write(dir.path().join("line.dtr"), &text).unwrap();
    let out = dtr(dir.path(), &["check", "line.dtr"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("╭─[line.dtr:1:70022]"), "{report}");
    // 60 bytes either side: `" { region: ` and 24 two-byte characters.
    let shown = format!(" 1 │ …{}\" {{ region: nowhere }}", "é".repeat(24));
    assert!(report.contains(&shown), "{report}");
    assert!(report.len() < 2_000, "{report}");
}

/// A million actors never used (13.9 MB of one-line declarations): checked,
/// with 1,000 of the million warnings reported (W0030 says how many more),
/// within the memory target of docs/performance.md, like a generated world.
/// About 20 s in a debug build.
#[test]
fn a_million_actors_check_within_ten_times_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..1_000_000).map(|i| format!("actor A{i}\n")).collect();
    let Some((times, out)) = peak_over_size(dir.path(), "many.dtr", text.as_bytes()) else { return };
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<String> = without_help(&stdout(&out)).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 1_001);
    assert_eq!(lines[999], "many.dtr:1000:7: warning[W0001]: actor `A999` is never used");
    assert_eq!(
        lines[1000],
        "many.dtr:1001:7: warning[W0030]: 999000 more diagnostics not shown: at most 1000 are reported"
    );
    // Released: 122,700 KiB, 117,344 above the empty file's 5,356 (8.7
    // times; 19.1 times before the AST's items were boxed and freed as they
    // are resolved, 29.4 before names were spans); debug: 131,448 and 13,696.
    // With two batches parsed at a time: 125,016 KiB released.
    assert!(times <= 10.0, "peak {times:.2} times the file");
}

/// `dtr check --format short FILE` of `bytes`, written to `dir/name`: its
/// peak memory above what the process holds for an empty file (its own
/// code: 5 MB released, 14 MB in a debug build, which a large file should
/// not pay for), as a multiple of the file's size; and its output.
fn peak_over_size(dir: &Path, name: &str, bytes: &[u8]) -> Option<(f64, Output)> {
    std::fs::write(dir.join(name), bytes).unwrap();
    std::fs::write(dir.join("empty.dtr"), "").unwrap();
    let (empty, _) = peak_kib(dir, &["check", "empty.dtr"])?;
    let (peak, out) = peak_kib(dir, &["check", "--format", "short", name])?;
    Some((peak.saturating_sub(empty) as f64 * 1024.0 / bytes.len() as f64, out))
}

/// The target of docs/performance.md: `dtr check` of a generated 10 MB
/// world peaks at no more than ten times the file.
#[test]
fn a_generated_ten_megabyte_world_checks_within_ten_times_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let generated = Command::new(env!("CARGO_BIN_EXE_dtr")).args(["generate", "--actors", "4300"]).output().unwrap();
    assert!(generated.status.success());
    let size = generated.stdout.len();
    assert!(size > 10_000_000, "{size} bytes");
    let Some((times, out)) = peak_over_size(dir.path(), "world.dtr", &generated.stdout) else { return };
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Released: 88,728 KiB for 10,150,297 bytes, 83,372 above the empty
    // file's 5,356 (8.4 times); debug: 98,240 and 13,736 (8.5 times).
    assert!(times <= 10.0, "peak {times:.2} times the file");
}

#[test]
fn diagnostics_are_capped_errors_first() {
    let dir = tempfile::tempdir().unwrap();
    // 1,500 unused actors (warnings), then 10 unknown names (errors).
    let mut text: String = (0..1_500).map(|i| format!("actor A{i}\n")).collect();
    text.extend((0..10).map(|i| format!("threat A0 -> Missing{i}\n")));
    let checked = common::check_text(dir.path(), &text);
    assert_eq!(checked.diagnostics.len(), check::MAX_DIAGNOSTICS + 1);
    assert_eq!(checked.diagnostics.iter().filter(|d| d.code == Code::E0002).count(), 10);
    let cap = checked.diagnostics.iter().find(|d| d.code == Code::W0030).expect("W0030");
    assert_eq!(cap.message, "509 more diagnostics not shown: at most 1000 are reported");
    assert!(checked.has_errors());
}

// ---------------------------------------------------------------- encodings and characters

#[test]
fn bom_crlf_tabs_and_wide_characters_keep_lines_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    // BOM, CRLF, a tab, right-to-left and combining characters before the error.
    let text = "\u{FEFF}actor A \"שלום e\u{301}\"\r\n\tthreat A -> \"\u{5D0}\" B\r\nthreat A -> Nowhere\r\n";
    let checked = common::check_text(dir.path(), text);
    let lines = short(&checked);
    let name = checked.sources.name(dtr::source::FileId(0)).to_string();
    assert_eq!(
        lines[0],
        format!("{name}:2:14: error[E0001]: expected `[` or a name in a list of names, found a string")
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&checked.diagnostics, &checked.sources)).unwrap();
    let last = &json["diagnostics"][1];
    assert_eq!(
        (last["code"].as_str(), &last["line"], &last["column"]),
        (Some("E0002"), &serde_json::json!(3), &serde_json::json!(13))
    );

    // Characters, not bytes: `Nowhere` after a label of combining and RTL text.
    let checked = common::check_text(dir.path(), "actor A \"e\u{301}\u{5D0}\u{5D1}\" { region: nowhere }\n");
    // `e` + U+0301 are two characters (the column counts code points), `אב` two.
    let e0002 = short(&checked).into_iter().find(|l| l.contains("E0002")).expect("E0002");
    assert_eq!(e0002, format!("{name}:1:26: error[E0002]: unknown region `nowhere`"));
}

#[test]
fn nul_and_invalid_bytes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nul.dtr"), b"actor A\nactor B\0\n").unwrap();
    let checked = check::check_path(&dir.path().join("nul.dtr")).unwrap();
    let d = &checked.diagnostics[0];
    assert_eq!(d.code, Code::E0001);
    assert!(d.message.ends_with("found the control character U+0000"), "{}", d.message);
    assert_eq!(
        checked.sources.line_col(d.primary.span.file, d.primary.span.start as usize),
        dtr::source::LineCol { line: 2, column: 8 }
    );

    std::fs::write(dir.path().join("latin1.dtr"), b"actor A\nactor B \"M\xfcnchen\"\n").unwrap();
    let checked = check::check_path(&dir.path().join("latin1.dtr")).unwrap();
    assert_eq!(
        short(&checked),
        [format!("{}:2:11: error[E0020]: file is not valid UTF-8", dir.path().join("latin1.dtr").display())]
    );
}

// ---------------------------------------------------------------- imports

#[test]
fn imports_that_leave_the_project_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("lib")).unwrap();
    std::fs::write(dir.path().join("outside.dtr"), "actor SECRET\n").unwrap();
    std::fs::write(project.join("lib/ok.dtr"), "import \"../shared.dtr\"\nactor B\n").unwrap();
    std::fs::write(project.join("shared.dtr"), "actor C\n").unwrap();
    let text = "import \"../outside.dtr\"\nimport \"lib/../../outside.dtr\"\nimport \"/etc/passwd\"\nimport \"lib/ok.dtr\"\nactor A\n";
    std::fs::write(project.join("main.dtr"), text).unwrap();
    let checked = check::check_path(&project.join("main.dtr")).unwrap();
    assert_eq!(common::codes(&checked), [Code::E0080, Code::E0080, Code::E0080, Code::W0001]);
    let d = &checked.diagnostics[0];
    assert_eq!(d.message, "import `../outside.dtr` leaves the project directory");
    assert_eq!(checked.sources.slice(d.primary.span), "\"../outside.dtr\"");
    assert!(d.help.as_deref().unwrap_or("").contains("cannot make DTR read any file"), "{:?}", d.help);
    // `..` inside the project is fine; nothing outside was read.
    assert_eq!(checked.sources.len(), 3);
    assert!(checked.program.actors.iter().all(|a| &*a.name != "SECRET"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_and_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("loop_b.dtr", dir.path().join("loop_a.dtr")).unwrap();
    std::os::unix::fs::symlink("loop_a.dtr", dir.path().join("loop_b.dtr")).unwrap();
    std::fs::create_dir(dir.path().join("folder.dtr")).unwrap();
    std::fs::write(dir.path().join("main.dtr"), "import \"loop_a.dtr\"\nimport \"folder.dtr\"\nactor A\n").unwrap();
    let checked = check::check_path(&dir.path().join("main.dtr")).unwrap();
    let messages: Vec<(Code, &str)> = checked.diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(messages[0].0, Code::E0006);
    assert!(
        messages[0].1.starts_with("cannot import `loop_a.dtr`: ") && messages[0].1.contains("symbolic links"),
        "{messages:?}"
    );
    assert_eq!(messages[1], (Code::E0006, "cannot import `folder.dtr`: it is a directory"));
}

// ---------------------------------------------------------------- numbers

#[test]
fn numbers_out_of_range_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "actor A { capability { land: 1e400 } resolve: 100.0000001% }
actor B { capability { land: -0, sea: 1e300 } }
actor C { resolve: NaN }
alliance X { members: [A, B] since: -10000 until: 10000 }
";
    let checked = common::check_text(dir.path(), text);
    let got: Vec<String> = short(&checked)
        .iter()
        .map(|l| {
            l.split_once(": ")
                .map_or(l.clone(), |(place, rest)| format!("{}: {rest}", place.rsplit('/').next().unwrap_or(place)))
        })
        .collect();
    assert_eq!(
        got,
        [
            "example.dtr:1:30: error[E0017]: number `1e400` is out of range",
            "example.dtr:1:47: error[E0007]: 100.0000001% is not between 0% and 100%",
            "example.dtr:2:39: error[E0081]: capability `sea` is larger than 1e15",
            "example.dtr:3:20: error[E0001]: expected a number or a percentage, found `NaN`",
            "example.dtr:4:37: error[E0017]: a year must be a whole number from -9999 to 9999",
            "example.dtr:4:51: error[E0017]: a year must be a whole number from -9999 to 9999",
        ]
    );
}

#[test]
fn capability_sums_stay_finite() {
    let dir = tempfile::tempdir().unwrap();
    // Every capability at the limit: the committed sum is large but finite.
    let text = "actor A { capability { land: 1e15 } }
actor B { capability { land: 1e15 } }
actor C { capability { land: 1e15 } }
actor D { capability { land: 1e15 } }
alliance X { members: [B, C, D] obligation o defend { when: attack on member } }
threat A -> B
scenario s { A attacks B }
";
    let checked = common::check_text(dir.path(), text);
    assert!(!checked.has_errors(), "{:?}", short(&checked));
    let model = dtr::model::compile(&checked.program);
    let analysis = dtr::analysis::analyze(&model, None);
    let json = serde_json::to_value(dtr::report::build(&model, &analysis, &checked.sources)).unwrap();
    let gap = &json["gaps"][0];
    assert_eq!(gap["committed"], serde_json::json!(2e15));
    assert_eq!(gap["ratio"], serde_json::json!(3.0));
}

// ---------------------------------------------------------------- analysis

/// Two alliances of 40 whose members all defend each other: 3,120 relevant
/// commitments. The exact method gives way to Monte Carlo, which stops at
/// its work budget; the text report says both.
#[test]
fn thousands_of_relevant_commitments() {
    let dir = tempfile::tempdir().unwrap();
    let n = 40;
    let mut text = String::new();
    for side in ["X", "Y"] {
        for i in 0..n {
            text.push_str(&format!("actor {side}{i} {{ capability {{ land: 5 }} }}\n"));
        }
        let members: Vec<String> = (0..n).map(|i| format!("{side}{i}")).collect();
        text.push_str(&format!(
            "alliance A{side} {{ members: [{}] obligation o defend {{ when: attack on member credibility: 50% }} }}\n",
            members.join(", ")
        ));
    }
    text.push_str("scenario s { Y0 attacks X0 }\n");
    std::fs::write(dir.path().join("blow.dtr"), text).unwrap();
    let start = std::time::Instant::now();
    let out = dtr(dir.path(), &["analyze", "blow.dtr"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let method = report.lines().find(|l| l.contains("probabilities:")).expect("a method line");
    assert!(method.contains("Monte Carlo (") && method.contains("of 100000, stopped by the work budget"), "{method}");
    assert!(start.elapsed().as_secs() < 120, "took {:?}", start.elapsed());
}

/// 1,000 aggressors attack V, whom 1,000 actors defend: each defender
/// answers each aggressor, 1,001,000 events in all, each cheap (an attack
/// on an aggressor concerns no one). The cascade stops at the event limit
/// (1,000,000) and both reports say so; the text report lists the first
/// 1,000 events, JSON all of them, each within a memory bound.
#[test]
fn a_cascade_of_a_million_events_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1_000;
    let mut text = String::from("actor V\n");
    for i in 0..n {
        text.push_str(&format!("actor D{i}\nactor A{i}\ncommitment c{i}: D{i} defends V\n"));
    }
    text.push_str("scenario s {\n");
    text.extend((0..n).map(|i| format!("  A{i} attacks V\n")));
    text.push_str("}\n");
    std::fs::write(dir.path().join("star.dtr"), text).unwrap();
    let run = |args: &[&str]| match peak_kib(dir.path(), args) {
        Some((kib, out)) => (Some(kib), out),
        None => (None, dtr(dir.path(), args)),
    };

    let (kib, out) = run(&["analyze", "--format", "json", "star.dtr"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json = stdout(&out);
    assert!(json.contains("\"capped\": true"));
    // Every event has a `trigger` (null for an opening).
    assert_eq!(json.matches("\"trigger\": ").count(), dtr::analysis::EVENT_LIMIT);
    assert!(json.contains("\"cause\": \"c999\""));
    drop(json);
    if let Some(kib) = kib {
        assert!(kib < 600_000, "peak {kib} KiB");
    }

    let (kib, out) = run(&["analyze", "star.dtr"]);
    assert_eq!(out.status.code(), Some(0));
    let report = stdout(&out);
    assert!(
        report.contains("\n  warning: a cascade reached the event limit and was cut short\n"),
        "{}",
        &report[..500]
    );
    assert!(report.contains("\n  … 999000 more events (--format json lists every event)\n"));
    if let Some(kib) = kib {
        assert!(kib < 600_000, "peak {kib} KiB");
    }
}

/// Thousands of unknown names among thousands of actors: "did you mean"
/// compared each with every actor (3,000 × 3,000 took 175 s in a debug
/// build); it now has a budget of comparisons, spent first come first served.
#[test]
fn thousands_of_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2_000;
    let mut text: String = (0..n).map(|i| format!("actor A{i}\n")).collect();
    text.push_str("threat A0 -> A1x\n");
    text.extend((0..n).map(|i| format!("threat A0 -> Bxq{i}\n")));
    let start = std::time::Instant::now();
    let checked = common::check_text(dir.path(), &text);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    let first = checked.diagnostics.iter().find(|d| d.code == Code::E0002).expect("E0002");
    assert_eq!(first.message, "unknown actor `A1x`");
    assert_eq!(first.help.as_deref(), Some("did you mean `A1`?"));
    assert_eq!(checked.diagnostics.iter().filter(|d| d.code == Code::E0002).count(), 1_000);
}

/// A condition at the nesting limit in the second of two batches, which
/// another thread parses: checked like one in the first (the thread has the
/// main thread's stack).
#[test]
fn nesting_at_the_limit_parses_on_either_thread() {
    let actors: String = (0..4_000).map(|i| format!("actor A{i}\n")).collect();
    let condition = format!("{}attack on A1{}", "(".repeat(99), ")".repeat(99));
    for text in [
        format!("commitment deep: A0 defends A1 {{ when: {condition} }}\n{actors}"),
        format!("{actors}commitment deep: A0 defends A1 {{ when: {condition} }}\n"),
    ] {
        let checked = dtr::check::check_source("deep.dtr", &text);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics.iter().find(|d| d.is_error()));
        assert_eq!(checked.program.commitments.len(), 1);
    }
}
