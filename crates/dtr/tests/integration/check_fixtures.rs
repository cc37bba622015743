//! One snapshot per fixture file, in two renderings. Adding a case means
//! adding a file to tests/fixtures/check/. A fixture named after a code
//! (`E0002_….dtr`) must produce that code; `valid_….dtr` must produce none.

use crate::common;

use dtr::check;
use dtr::diagnostic::Code;
use dtr::diagnostic::render;

#[test]
fn fixtures() {
    insta::glob!("../fixtures/check", "*.dtr", |path| {
        let path = common::relative(path);
        let checked = check::check_path(&path).expect("fixture is readable");
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let codes = common::codes(&checked);
        if let Some(code) = Code::parse(stem.split('_').next().unwrap_or_default()) {
            assert!(codes.contains(&code), "{} should produce {code}, got {codes:?}", path.display());
        } else if stem.starts_with("valid") {
            assert!(codes.is_empty(), "{} should be clean, got {codes:?}", path.display());
        } else {
            panic!("fixture {} is named neither CODE_… nor valid_…", path.display());
        }
        insta::assert_snapshot!("human", render::human(&checked.diagnostics, &checked.sources, false));
        insta::assert_snapshot!("json", render::json(&checked.diagnostics, &checked.sources));
    });
}

#[test]
fn every_code_has_a_fixture_or_a_reason() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    // E0021 needs a file over 64 MiB: covered by a unit test of the loader limit instead.
    // E0023 comes from `dtr test`, not `dtr check`: covered by crates/dtr-cli/tests/cli_analyze.rs.
    // W0030 needs over 1,000 diagnostics: covered by crates/dtr-cli/tests/robustness.rs.
    // E0040 is `dtr fmt`'s guard against its own bugs: no input is known to produce it.
    // E0090–E0094 are about `dtr sweep`'s options and shard files: covered by crates/dtr-cli/tests/cli_sweep.rs.
    // E0095 is `dtr init`'s refusal to overwrite: covered by crates/dtr-cli/tests/cli_init.rs.
    let elsewhere = |c: &Code| {
        matches!(
            c,
            Code::E0021
                | Code::E0023
                | Code::E0040
                | Code::E0090
                | Code::E0091
                | Code::E0092
                | Code::E0093
                | Code::E0094
                | Code::E0095
                | Code::W0030
        )
    };
    for code in Code::ALL.iter().filter(|c| !elsewhere(c)) {
        assert!(names.iter().any(|n| n.starts_with(code.as_str())), "no fixture for {code}");
    }
}
