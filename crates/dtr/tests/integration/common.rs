//! Helpers shared by the integration tests (this binary's, and those of
//! crates/dtr-cli/tests, which include this file by its path).
#![allow(dead_code)]

use dtr::check::{self, Checked};
use dtr::diagnostic::Code;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The repository's root: examples/, docs/, data/ and grammar/ are there.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crates/NAME lies in the workspace").to_path_buf()
}

/// A path relative to the crate root, so names in output are stable.
pub fn relative(path: &Path) -> PathBuf {
    relative_to(Path::new(env!("CARGO_MANIFEST_DIR")), path)
}

/// A path relative to `base`, if it lies there.
pub fn relative_to(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads paths relative to a folder other than the working directory, so a
/// file checked by its path relative to that folder keeps that name in
/// every output.
pub struct Under(pub PathBuf);

impl check::Reader for Under {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        check::Disk.read(&self.0.join(path))
    }
}

/// The report `dtr analyze` builds for the file at `path` (as
/// `insta::glob!` gives it), the file named relative to the workspace.
pub fn report_of(path: &Path) -> dtr::report::Report {
    let root = workspace();
    let path = relative_to(&root, path);
    let checked = check::check_with(&path, None, &Under(root)).expect("the file is readable");
    let model = dtr::model::compile(&checked.program);
    dtr::report::build(&model, &dtr::analysis::analyze(&model, None), &checked.sources)
}

/// Checks a source text written to `dir/example.dtr`.
pub fn check_text(dir: &Path, text: &str) -> Checked {
    let path = dir.join("example.dtr");
    std::fs::write(&path, text).expect("write example");
    check::check_path(&path).expect("read example")
}

pub fn codes(checked: &Checked) -> Vec<Code> {
    checked.diagnostics.iter().map(|d| d.code).collect()
}

/// The codes of the check and, when it has no errors, of the failing
/// expectations (E0023, what `dtr test` reports).
pub fn codes_with_expectations(checked: &Checked) -> Vec<Code> {
    let mut codes = codes(checked);
    if !checked.has_errors() {
        let model = dtr::model::compile(&checked.program);
        let analysis = dtr::analysis::analyze(&model, None);
        codes.extend(dtr::analysis::expectations::failures(&analysis.expectations).iter().map(|d| d.code));
    }
    codes
}

/// The fenced blocks of a Markdown text: (info string, body).
pub fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else { continue };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push((info.trim().to_string(), body));
    }
    out
}

/// The tests of this binary that skipped, for the summary printed at exit.
static SKIPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Skips a test that needs an external tool: fails under CI (where
/// `.ci/install` provides every tool), and otherwise says so on the real
/// standard error at once, past libtest's capture, so the reason shows
/// without `--nocapture`. The binary's last line then counts the skips.
/// libtest names each test's thread after the test.
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let message = format!("skipped: {test}: {reason}; run bash .ci/install");
    assert!(std::env::var_os("CI").is_none(), "{message} (CI is set, so this fails)");
    let _ = writeln!(std::io::stderr(), "{message}");
    let mut skipped = SKIPPED.lock().unwrap_or_else(|e| e.into_inner());
    if skipped.is_empty() {
        #[cfg(unix)]
        // SAFETY: registers a plain function with no preconditions; it runs
        // once, after libtest's summary, when the test binary exits.
        unsafe {
            libc::atexit(print_skipped);
        }
    }
    skipped.push(test.to_string());
}

#[cfg(unix)]
extern "C" fn print_skipped() {
    let skipped = SKIPPED.lock().unwrap_or_else(|e| e.into_inner());
    let _ = writeln!(std::io::stderr(), "{} skipped (external tool missing): {}", skipped.len(), skipped.join(", "));
}

/// The paths of the numbers of a JSON value that are negative zeros: `dtr`
/// never writes one (an empty float sum is −0).
pub fn negative_zeros(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Number(n) if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) => {
                out.push(path.to_string())
            }
            serde_json::Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{path}[{i}]"), out))
            }
            serde_json::Value::Object(fields) => fields.iter().for_each(|(k, v)| walk(v, &format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}
