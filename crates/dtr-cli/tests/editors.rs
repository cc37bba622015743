//! Editor support (editors/): each test drives the external tool that
//! checks one piece — vscode-tmgrammar-test for the TextMate grammar, node's
//! test runner for the VS Code client, vsce for the VS Code package,
//! tree-sitter-cli for the tree-sitter grammar, headless Neovim for the
//! documented Neovim setup. A missing tool fails the test when `CI` is set
//! and skips it otherwise. Snippets are checked with the reference parser.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use dtr::diagnostic::Code;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    common::workspace()
}

fn editors(sub: &str) -> PathBuf {
    root().join("editors").join(sub)
}

/// Whether `program probe…` runs; if not, fails under CI and skips otherwise.
fn have(program: &Path, probe: &[&str], what: &str) -> bool {
    let runs = Command::new(program).args(probe).stdin(Stdio::null()).output().is_ok_and(|out| out.status.success());
    if !runs {
        common::skip(&format!("{what} not installed"));
    }
    runs
}

/// Whether `npm ci` has installed editors/vscode's packages (node alone
/// cannot run the client's tests without them).
fn npm_installed() -> bool {
    let installed = editors("vscode/node_modules/.installed-lock.json").is_file();
    if !installed {
        common::skip("editors/vscode/node_modules not installed (npm ci)");
    }
    installed
}

/// An npm package of editors/vscode, installed by `npm ci` there.
fn npm_bin(name: &str) -> Option<PathBuf> {
    let bin = editors("vscode/node_modules/.bin").join(name);
    have(&bin, &["--version"], name).then_some(bin)
}

/// Runs a command to completion within `limit`, killing it after that.
/// Output is drained by threads, so a chatty tool never blocks on a full pipe.
fn run(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).expect("read output");
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().expect("kill");
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out =
        Output { status, stdout: stdout.join().expect("stdout thread"), stderr: stderr.join().expect("stderr thread") };
    assert!(start.elapsed() <= limit, "{command:?} took longer than {limit:?}\n{}", describe(&out));
    out
}

fn describe(out: &Output) -> String {
    format!(
        "status: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn succeed(command: &mut Command, limit: Duration) -> Output {
    let out = run(command, limit);
    assert!(out.status.success(), "{command:?} failed\n{}", describe(&out));
    out
}

const MINUTE: Duration = Duration::from_secs(60);

// ------------------------------------------------------------------ VS Code

#[test]
fn textmate_grammar_snapshots() {
    let Some(tool) = npm_bin("vscode-tmgrammar-test") else { return };
    let dir = editors("vscode");
    let cases = dtr_files(&dir.join("test"));
    assert!(cases.len() >= 3, "expected the grammar test files, found {cases:?}");
    let out =
        succeed(Command::new(tool).current_dir(&dir).args(["-g", "syntaxes/dtr.tmLanguage.json"]).args(&cases), MINUTE);
    let passed = String::from_utf8_lossy(&out.stdout).matches("run successfuly").count();
    assert_eq!(passed, cases.len(), "{}", describe(&out));
}

/// The client against stand-ins for the VS Code API, and the TextMate
/// grammar over every example (editors/vscode/test/*.test.js).
#[test]
fn vscode_node_tests() {
    let node = PathBuf::from("node");
    if !have(&node, &["--version"], "node") || !npm_installed() {
        return;
    }
    // One of its tests makes and removes editors/vscode/server, where the
    // packaging tests put the bundled binary: they take turns.
    let _turn = VSCE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let out = succeed(
        Command::new(node).current_dir(editors("vscode")).args([
            "--test",
            "test/extension.test.js",
            "test/examples.test.js",
        ]),
        // A minute alone; more beside the packaging tests on two cores.
        3 * MINUTE,
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("# fail 0") && !report.contains("# pass 0"), "{}", describe(&out));
}

/// Every snippet, expanded with its default values, is DTR that the
/// reference parser accepts (the obligation snippet inside an alliance).
#[test]
fn snippets_expand_to_valid_dtr() {
    let text = std::fs::read_to_string(editors("vscode/snippets/dtr.json")).expect("snippets");
    let snippets: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("snippet JSON");
    assert!(snippets.len() >= 10, "{}", snippets.len());
    for (name, snippet) in &snippets {
        let lines: Vec<&str> = match &snippet["body"] {
            serde_json::Value::Array(lines) => lines.iter().map(|l| l.as_str().expect("body line")).collect(),
            body => vec![body.as_str().expect("body")],
        };
        let joined = lines.join("\n");
        let expanded = expand_snippet(&mut joined.chars().peekable(), false);
        let source = match name.as_str() {
            "obligation" => format!("alliance A {{ members: [X, Y]\n{expanded}}}"),
            _ => expanded,
        };
        let parsed = dtr::syntax::parse(dtr::source::FileId(0), &source);
        let syntax: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == Code::E0001).collect();
        assert!(syntax.is_empty(), "snippet {name} expands to\n{source}\nwhich has syntax errors: {syntax:?}");
    }
}

/// Expands VS Code snippet syntax with the default of each placeholder (the
/// first choice of `${1|a,b|}`); stops at the `}` closing a placeholder when
/// `nested`.
fn expand_snippet(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>, nested: bool) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '}' if nested => return out,
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                match chars.next() {
                    Some(':') => out.push_str(&expand_snippet(chars, true)),
                    Some('|') => {
                        let choices: String = chars.by_ref().take_while(|&c| c != '|').collect();
                        out.push_str(choices.split(',').next().unwrap_or_default());
                        assert_eq!(chars.next(), Some('}'), "unclosed choice");
                    }
                    other => assert_eq!(other, Some('}'), "unknown placeholder syntax"),
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The entries of a zip archive (a .vsix) from its central directory: name,
/// uncompressed size and Unix mode.
fn zip_entries(bytes: &[u8]) -> Vec<(String, u64, u32)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let end = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").expect("end of central directory");
    let (count, mut at) = (u16_at(end + 10), u32_at(end + 16) as usize);
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        assert_eq!(&bytes[at..at + 4], b"PK\x01\x02", "central directory entry");
        let (name_len, extra_len, comment_len) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8_lossy(&bytes[at + 46..at + 46 + name_len]).into_owned();
        entries.push((name, u64::from(u32_at(at + 24)), u32_at(at + 38) >> 16));
        at += 46 + name_len + extra_len + comment_len;
    }
    entries
}

/// The packaging script writes `server/` into editors/vscode while it
/// runs, so the tests that package take turns.
static VSCE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The universal package: no server inside (it runs `dtr` from PATH or the
/// setting), with the icon, CHANGELOG and licence the Marketplace shows.
#[test]
fn vsce_packages_the_extension() {
    let Some(vsce) = npm_bin("vsce") else { return };
    let _turn = VSCE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let out_dir = tempfile::tempdir().expect("temp dir");
    let vsix = out_dir.path().join("dtr.vsix");
    succeed(Command::new(vsce).current_dir(editors("vscode")).args(["package", "--out"]).arg(&vsix), 2 * MINUTE);
    let bytes = std::fs::read(&vsix).expect("the .vsix is written");
    let names: Vec<String> = zip_entries(&bytes).into_iter().map(|(name, _, _)| name).collect();
    for file in [
        "extension/package.json",
        "extension/extension.js",
        "extension/escalation.js",
        "extension/syntaxes/dtr.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/snippets/dtr.json",
        "extension/images/icon.png",
        "extension/changelog.md",
        "extension/LICENSE.md",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(names.iter().any(|n| n == file), "{file} is missing from the .vsix");
    }
    for name in &names {
        assert!(!name.starts_with("extension/server/"), "the universal package bundles {name}");
        assert!(!name.starts_with("extension/test/") && !name.starts_with("extension/scripts/"), "{name}");
    }
}

/// The linux-x64 package bundles this build's `dtr` under `server/`,
/// executable, as rust-analyzer ships its server (scripts/package-target.js),
/// and ovsx publishes it to a stand-in registry.
#[test]
fn vsce_packages_the_linux_x64_extension_with_the_server() {
    if npm_bin("vsce").is_none() || !have(Path::new("node"), &["--version"], "node") {
        return;
    }
    let _turn = VSCE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let dtr = Path::new(env!("CARGO_BIN_EXE_dtr"));
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = succeed(
        Command::new("node")
            .current_dir(editors("vscode"))
            .arg("scripts/package-target.js")
            .arg("x86_64-unknown-linux-gnu")
            .arg(dtr)
            .arg(out_dir.path()),
        4 * MINUTE,
    );
    let vsix = out_dir.path().join(format!("dtr-linux-x64-{}.vsix", env!("CARGO_PKG_VERSION")));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&*vsix.to_string_lossy()), "{}", describe(&out));
    let entries = zip_entries(&std::fs::read(&vsix).expect("the .vsix is written"));
    let (_, size, mode) = entries.iter().find(|(name, _, _)| name == "extension/server/dtr").expect("server/dtr");
    assert_eq!(*size, std::fs::metadata(dtr).expect("dtr").len(), "the bundled binary is this build's");
    assert_eq!(mode & 0o111, 0o111, "server/dtr is executable (mode {mode:o})");
    assert!(!editors("vscode").join("server").exists(), "server/ is removed after packaging");
    // The Open VSX step, dry: ovsx uploads this .vsix to a registry on
    // 127.0.0.1 (scripts/ovsx-dry-run.js), which takes the whole file.
    let published = succeed(
        Command::new("node").current_dir(editors("vscode")).arg("scripts/ovsx-dry-run.js").arg(&vsix),
        2 * MINUTE,
    );
    let said = describe(&published);
    assert!(said.contains(&format!("Published dtr-lang.dtr v{}@linux-x64", env!("CARGO_PKG_VERSION"))), "{said}");
    let size = std::fs::metadata(&vsix).expect("vsix").len();
    assert!(said.contains(&format!("dry run: received {size} bytes")), "{said}");
    // An unknown target is refused before anything is packaged.
    let refused = run(
        Command::new("node").current_dir(editors("vscode")).args(["scripts/package-target.js", "beos-x64"]).arg(dtr),
        MINUTE,
    );
    assert_eq!(refused.status.code(), Some(2), "{}", describe(&refused));
}

// ------------------------------------------------------------------ tree-sitter

/// tree-sitter-cli compiles the grammar into one shared cache file, so the
/// tests that run it take turns.
static TREE_SITTER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn tree_sitter() -> Option<(PathBuf, std::sync::MutexGuard<'static, ()>)> {
    let bin = PathBuf::from("tree-sitter");
    let turn = TREE_SITTER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    have(&bin, &["--version"], "tree-sitter").then_some((bin, turn))
}

#[test]
fn tree_sitter_corpus() {
    let Some((tool, _turn)) = tree_sitter() else { return };
    succeed(Command::new(tool).current_dir(editors("tree-sitter-dtr")).arg("test"), 5 * MINUTE);
}

/// src/ is committed so that users need no generator: it must be what
/// grammar.js generates (ABI 14, which Neovim 0.7 loads).
#[test]
fn tree_sitter_generated_parser_is_current() {
    let Some((tool, _turn)) = tree_sitter() else { return };
    let out_dir = tempfile::tempdir().expect("temp dir");
    let grammar = editors("tree-sitter-dtr");
    succeed(
        Command::new(&tool)
            .current_dir(&grammar)
            .args(["generate", "--abi", "14", "--output"])
            .arg(out_dir.path())
            .arg("grammar.js"),
        2 * MINUTE,
    );
    for file in ["parser.c", "grammar.json", "node-types.json", "tree_sitter/parser.h"] {
        let fresh = std::fs::read(out_dir.path().join(file)).expect("generated file");
        let committed = std::fs::read(grammar.join("src").join(file)).expect("committed file");
        assert!(
            fresh == committed,
            "src/{file} is stale: run `tree-sitter generate --abi 14` in editors/tree-sitter-dtr"
        );
    }
}

/// Every example, every check fixture and every ```dtr block of the
/// documentation, written to `into` and sorted by what the reference parser
/// says: (accepted, syntax errors). The syntax errors leave out names that
/// are keywords, which the tree-sitter grammar accepts (its keywords are
/// contextual).
fn sources_by_syntax(into: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut sources: Vec<(String, String)> = Vec::new();
    for dir in ["examples", "crates/dtr/tests/fixtures/check"] {
        for path in dtr_files(&root().join(dir)) {
            let name = path.file_name().and_then(|n| n.to_str()).expect("file name").to_string();
            // The E0020 fixture is not UTF-8 and is not meant to parse.
            if let Ok(text) = String::from_utf8(std::fs::read(&path).expect("source")) {
                sources.push((name, text));
            }
        }
    }
    let mut docs = vec![root().join("docs/language.md"), root().join("README.md")];
    docs.extend(
        std::fs::read_dir(root().join("crates/dtr/codes"))
            .expect("crates/dtr/codes")
            .map(|entry| entry.expect("entry").path()),
    );
    for doc in docs {
        let text = std::fs::read_to_string(&doc).expect("doc");
        let stem = doc.file_stem().and_then(|s| s.to_str()).expect("file name");
        for (index, (info, body)) in common::fenced_blocks(&text).into_iter().enumerate() {
            if info == "dtr" || info.starts_with("dtr,") {
                sources.push((format!("{stem}-{index}.dtr"), body));
            }
        }
    }
    let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
    for (name, text) in sources {
        let syntax: Vec<_> = dtr::syntax::parse(dtr::source::FileId(0), &text)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == Code::E0001)
            .collect();
        let keyword_name =
            |d: &dtr::diagnostic::Diagnostic| d.help.as_deref().is_some_and(|h| h.contains("is a keyword"));
        let file = into.join(name);
        if syntax.is_empty() {
            accepted.push(file.clone());
        } else if !syntax.iter().all(keyword_name) {
            rejected.push(file.clone());
        }
        std::fs::write(&file, text).expect("write source");
    }
    (accepted, rejected)
}

fn dtr_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "dtr"))
        .collect()
}

#[test]
fn tree_sitter_parses_examples_and_docs_without_errors() {
    let Some((tool, _turn)) = tree_sitter() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (accepted, rejected) = sources_by_syntax(dir.path());
    assert!(accepted.len() >= 120, "expected the examples and doc blocks, found {}", accepted.len());
    assert!(rejected.len() >= 5, "expected the syntax-error fixtures, found {rejected:?}");
    let grammar = editors("tree-sitter-dtr");
    let parse = |files: &[PathBuf]| {
        run(
            Command::new(&tool)
                .current_dir(&grammar)
                .args(["parse", "--quiet", "--grammar-path"])
                .arg(&grammar)
                .args(files),
            5 * MINUTE,
        )
    };
    let out = parse(&accepted);
    assert!(out.status.success(), "some files parse with ERROR or MISSING nodes\n{}", describe(&out));
    // With --quiet, only the files with errors are listed.
    let out = parse(&rejected);
    let listed = String::from_utf8_lossy(&out.stdout);
    for file in &rejected {
        assert!(
            listed.contains(&*file.to_string_lossy()),
            "{} has a syntax error, but tree-sitter accepts it",
            file.display()
        );
    }
}

/// The grammar's Rust binding (its own crate, outside the workspace): it
/// loads, parses every example without an error and compiles its queries.
#[test]
fn tree_sitter_rust_binding() {
    let grammar = editors("tree-sitter-dtr");
    let target = root().join("target/tree-sitter-dtr");
    let out = succeed(
        Command::new(env!("CARGO"))
            .current_dir(&grammar)
            .args(["test", "--locked", "--quiet"])
            .env("CARGO_TARGET_DIR", &target),
        10 * MINUTE,
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("3 passed"), "{}", describe(&out));
}

/// The Node binding, built with node-gyp against the installed Node
/// headers, run by node's test runner (bindings/node/binding_test.js).
#[test]
fn tree_sitter_node_binding() {
    let grammar = editors("tree-sitter-dtr");
    let node = PathBuf::from("node");
    if !have(&node, &["--version"], "node") {
        return;
    }
    if !grammar.join("node_modules/tree-sitter").is_dir() {
        common::skip("editors/tree-sitter-dtr/node_modules not installed (npm ci)");
        return;
    }
    succeed(
        Command::new("npm").current_dir(&grammar).args(["run", "build"]).env("npm_config_nodedir", "/usr"),
        5 * MINUTE,
    );
    let out = succeed(Command::new("npm").current_dir(&grammar).arg("test"), MINUTE);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("# pass 3") && report.contains("# fail 0"), "{}", describe(&out));
}

/// The Python binding, built from this checkout into a temporary folder
/// (so it is never a stale install) and tested with pytest.
#[test]
fn tree_sitter_python_binding() {
    let python = PathBuf::from("python3");
    let has_tree_sitter = Command::new(&python)
        .args(["-c", "import tree_sitter, pytest, setuptools, wheel"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_tree_sitter {
        common::skip("python3 with tree-sitter, pytest, setuptools and wheel not installed");
        return;
    }
    let grammar = editors("tree-sitter-dtr");
    let site = tempfile::tempdir().expect("temp dir");
    succeed(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target"])
            .arg(site.path())
            .arg(&grammar),
        5 * MINUTE,
    );
    let out = succeed(
        Command::new(&python)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "bindings/python/tests"])
            .current_dir(&grammar)
            .env("PYTHONPATH", site.path())
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        MINUTE,
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 passed"), "{}", describe(&out));
}

/// Zed's highlight query is the tree-sitter one with Zed's capture name
/// for doc comments: a pattern added to one is added to the other.
#[test]
fn zed_highlights_follow_the_tree_sitter_query() {
    let read = |path: &str| std::fs::read_to_string(editors(path)).expect(path);
    let patterns = |text: String| -> Vec<String> {
        text.lines().filter(|line| !line.starts_with(';')).map(str::to_string).collect()
    };
    let ours =
        patterns(read("tree-sitter-dtr/queries/highlights.scm").replace("@comment.documentation", "@comment.doc"));
    assert_eq!(patterns(read("zed/languages/dtr/highlights.scm")), ours);
}

/// A query as (pattern, captures) in order: each alternative of a `[ … ]
/// @capture` group is its own entry with the group's captures; any other
/// line is an entry with its captures blanked out of the pattern. Comments
/// and blank lines are left out.
fn query_entries(text: &str) -> Vec<(String, String)> {
    let captures = |line: &str| -> (String, String) {
        let mut pattern = String::new();
        let mut names = Vec::new();
        for word in line.split(' ') {
            match word.strip_prefix('@') {
                Some(name) => {
                    let name = name.trim_end_matches([')', '.']);
                    names.push(format!("@{name}"));
                    pattern.push_str(&word.replacen(name, "", 1));
                }
                None => pattern.push_str(word),
            }
            pattern.push(' ');
        }
        (pattern.trim_end().to_string(), names.join(" "))
    };
    let mut entries = Vec::new();
    let mut group: Option<Vec<String>> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with(';')) {
        match (&mut group, line) {
            (None, "[") => group = Some(Vec::new()),
            (Some(items), _) if line.starts_with(']') => {
                let (_, names) = captures(line);
                entries.extend(items.drain(..).map(|item| (item, names.clone())));
                group = None;
            }
            (Some(items), _) => items.push(line.to_string()),
            (None, _) if line.starts_with("[ ") => {
                let (inside, rest) = line[1..].split_once(']').expect("one-line group");
                let (_, names) = captures(rest);
                entries.extend(inside.split_whitespace().map(|item| (item.to_string(), names.clone())));
            }
            (None, _) => entries.push(captures(line)),
        }
    }
    entries
}

/// Helix's queries are the tree-sitter ones with Helix's capture names
/// (`@number` → `@constant.numeric`, `.outer` → `.around`, …), as Zed's
/// highlights are: a pattern added to the grammar's queries must be added
/// to Helix's, or be one of those Helix has no capture for.
#[test]
fn helix_queries_follow_the_tree_sitter_queries() {
    // Per query: tree-sitter capture → Helix capture; None: Helix has no
    // such capture, the pattern is left out.
    let highlights: &[(&str, Option<&str>)] = &[
        ("@comment.documentation", Some("@comment.block.documentation")),
        ("@type.qualifier", Some("@keyword.storage.modifier")),
        ("@property", Some("@variable.other.member")),
        ("@string.escape", Some("@constant.character.escape")),
        ("@number", Some("@constant.numeric")),
    ];
    let textobjects: &[(&str, Option<&str>)] = &[
        ("@class.outer", Some("@class.around")),
        ("@class.inner", Some("@class.inside")),
        ("@function.outer", Some("@function.around")),
        ("@function.inner", Some("@function.inside")),
        ("@parameter.outer", Some("@parameter.around")),
        ("@parameter.inner", Some("@parameter.inside")),
        ("@comment.outer", Some("@comment.around")),
        ("@statement.outer", None),
        ("@conditional.outer", None),
        ("@conditional.inner", None),
    ];
    let indents: &[(&str, Option<&str>)] =
        &[("@indent.begin", Some("@indent")), ("@indent.branch @indent.end", Some("@outdent")), ("@indent.auto", None)];
    // Helix's own choices for single patterns: `import` as an import keyword.
    let helix_only: &[(&str, &str)] = &[("\"import\"", "@keyword.control.import")];
    for (query, renames) in
        [("highlights", highlights), ("locals", &[][..]), ("textobjects", textobjects), ("indents", indents)]
    {
        let read = |path: String| std::fs::read_to_string(editors(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let ours = query_entries(&read(format!("tree-sitter-dtr/queries/{query}.scm")));
        let expected: Vec<(String, String)> = ours
            .into_iter()
            .filter_map(|(pattern, names)| {
                let names = match renames.iter().find(|(from, _)| *from == names) {
                    Some((_, to)) => (*to)?.to_string(),
                    None => names,
                };
                let names = helix_only.iter().find(|(p, _)| *p == pattern).map_or(names, |(_, n)| n.to_string());
                Some((pattern, names))
            })
            .collect();
        let helix = query_entries(&read(format!("helix/queries/dtr/{query}.scm")));
        assert_eq!(helix, expected, "helix/queries/dtr/{query}.scm differs from the tree-sitter query");
    }
}

#[test]
fn tree_sitter_queries_compile() {
    let Some((tool, _turn)) = tree_sitter() else { return };
    let grammar = editors("tree-sitter-dtr");
    let mut queries = Vec::new();
    for dir in [grammar.join("queries"), editors("helix/queries/dtr"), editors("zed/languages/dtr")] {
        queries.extend(
            std::fs::read_dir(&dir)
                .expect("queries directory")
                .map(|entry| entry.expect("entry").path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "scm")),
        );
    }
    assert!(queries.len() >= 14, "{queries:?}");
    for query in queries {
        succeed(
            Command::new(&tool)
                .current_dir(&grammar)
                .args(["query", "--quiet", "--grammar-path"])
                .arg(&grammar)
                .arg(&query)
                .arg(root().join("examples/baltic.dtr")),
            MINUTE,
        );
    }
}

// ------------------------------------------------------------------ Neovim

fn nvim() -> Option<PathBuf> {
    let bin = PathBuf::from("nvim");
    have(&bin, &["--version"], "nvim").then_some(bin)
}

fn run_nvim_script(nvim: &Path, script: &str, env: &[(&str, &Path)]) -> String {
    let mut command = Command::new(nvim);
    command
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", editors("neovim/test").join(script).display()));
    for (key, value) in env {
        command.env(key, value);
    }
    let out = succeed(&mut command, 2 * MINUTE);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("ok: "), "{script} did not report success\n{}", describe(&out));
    stdout
}

#[test]
fn neovim_highlights_with_the_tree_sitter_parser() {
    let Some(nvim) = nvim() else { return };
    let cc = PathBuf::from("cc");
    if !have(&cc, &["--version"], "cc") {
        return;
    }
    let build = tempfile::tempdir().expect("temp dir");
    let parser = build.path().join("dtr.so");
    let src = editors("tree-sitter-dtr/src");
    succeed(
        Command::new(cc)
            .args(["-shared", "-fPIC", "-O1", "-I"])
            .arg(&src)
            .arg(src.join("parser.c"))
            .arg(src.join("scanner.c"))
            .arg("-o")
            .arg(&parser),
        2 * MINUTE,
    );
    for example in ["baltic.dtr", "july1914.dtr"] {
        let file = root().join("examples").join(example);
        let stdout =
            run_nvim_script(&nvim, "treesitter_highlight.lua", &[("DTR_PARSER", &parser), ("DTR_TEST_FILE", &file)]);
        eprintln!("{example}: {stdout}");
    }
}

/// editors/neovim/lsp/dtr.lua, the configuration of Neovim 0.11's
/// `vim.lsp.enable('dtr')`, started by the Neovim at hand: the server
/// attaches, publishes diagnostics and sends lenses on its own refresh.
#[test]
fn neovim_lsp_config_file_starts_dtr_lsp() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let example = std::fs::read_to_string(root().join("examples/baltic.dtr")).expect("baltic.dtr");
    let file = dir.path().join("baltic.dtr");
    std::fs::write(&file, example + "\nactor UNUSED\n").expect("write file");
    let dtr = Path::new(env!("CARGO_BIN_EXE_dtr"));
    let stdout = run_nvim_script(&nvim, "lsp_config.lua", &[("DTR_LSP_CMD", dtr), ("DTR_TEST_FILE", &file)]);
    assert!(stdout.contains("ok: ") && stdout.contains("W0001 and"), "{stdout}");
}

#[test]
fn neovim_lsp_session_with_dtr_lsp() {
    let Some(nvim) = nvim() else { return };
    let dtr = Path::new(env!("CARGO_BIN_EXE_dtr"));
    // The server is this crate's own binary; only a build without the `lsp`
    // subcommand lacks it, and no install step can change that.
    let has_lsp =
        Command::new(dtr).args(["lsp", "--help"]).stdin(Stdio::null()).output().is_ok_and(|out| out.status.success());
    if !has_lsp {
        eprintln!("skipped: this dtr build has no `lsp` subcommand");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let example = std::fs::read_to_string(root().join("examples/baltic.dtr")).expect("baltic.dtr");
    let opening = "RUS attacks EST in land at limited_war";
    assert!(example.contains(opening), "examples/baltic.dtr changed; update this test");
    let file = dir.path().join("baltic.dtr");
    std::fs::write(&file, example.replacen(opening, "RUS attacks ETS in land at limited_war", 1))
        .expect("write typo file");
    let stdout = run_nvim_script(&nvim, "lsp_session.lua", &[("DTR_LSP_CMD", dtr), ("DTR_TEST_FILE", &file)]);
    eprintln!("{stdout}");
    for seen in [
        "E0002",
        "lens \"RUS → EST",
        "report shown",
        "expectations \"narva: ",
        "escalation opened",
        "lenses follow",
        "hover on USA",
        "highlight marks",
        "inlay hint \"holds: P(USA joins) = 76.5%\"",
        "semantic tokens type",
        "completion offers",
    ] {
        assert!(stdout.contains(seen), "{seen} not reported: {stdout}");
    }
}
