//! The reports of every example, locked with snapshots: text (what a reader
//! sees) and JSON (what programs read). Every expectation of every example
//! holds. Adding an example adds its snapshots.

use crate::common;

use dtr::{analysis, check, model, report};

#[test]
fn example_reports() {
    let root = common::workspace();
    insta::glob!("../../../../examples", "**/*.dtr", |path| {
        let path = common::relative_to(&root, path);
        let checked = check::check_with(&path, None, &common::Under(root.clone())).expect("example is readable");
        assert!(!checked.has_errors(), "{} does not check", path.display());
        let model = model::compile(&checked.program);
        let analysis = analysis::analyze(&model, None);
        let failed: Vec<String> = analysis::expectations::failures(&analysis.expectations)
            .iter()
            .map(|d| format!("{} ({})", checked.sources.slice(d.primary.span), d.primary.message))
            .collect();
        assert!(failed.is_empty(), "{}: {failed:?}", path.display());
        let report = report::build(&model, &analysis, &checked.sources);
        assert_eq!(report.version, report::VERSION);
        insta::assert_snapshot!("text", report::text::render(&report));
        insta::assert_snapshot!("json", written(&report));
    });
}

/// The JSON as `dtr analyze --format json` writes it.
fn written<T: serde::Serialize + ?Sized>(value: &T) -> String {
    report::json::to_string_pretty(value).expect("serializes")
}

/// Escalation cases (issue 16, point 2), one file each in
/// tests/fixtures/escalation: the text, JSON and DOT reports, each rung's
/// path among them, locked with snapshots; every expectation holds and
/// the file checks without warnings.
#[test]
fn escalation_fixture_reports() {
    let root = common::workspace();
    insta::glob!("../fixtures/escalation", "*.dtr", |path| {
        let path = common::relative_to(&root, path);
        let checked = check::check_with(&path, None, &common::Under(root.clone())).expect("fixture is readable");
        assert!(checked.diagnostics.is_empty(), "{}: {:?}", path.display(), checked.diagnostics);
        let model = model::compile(&checked.program);
        let analysis = analysis::analyze(&model, None);
        assert!(analysis::expectations::failures(&analysis.expectations).is_empty(), "{}", path.display());
        let report = report::build(&model, &analysis, &checked.sources);
        // Every rung reached above the openings' has a path.
        for s in &report.scenarios {
            for r in s.rungs.iter().skip_while(|r| r.rung != "limited_war").skip(1) {
                assert_eq!(r.path.is_some(), r.reached.value > 0.0, "{}: {}", path.display(), r.rung);
            }
        }
        insta::assert_snapshot!("text", report::text::render(&report));
        insta::assert_snapshot!("json", written(&report.scenarios));
        insta::assert_snapshot!("dot", report::dot::render(&report, false));
    });
}

/// No JSON that `dtr` writes for an example holds `-0.0` (an empty float
/// sum is −0: every gap without a guarantor once reported `committed: -0.0`):
/// the report, the compiled model (`--emit model`) and the sweep.
#[test]
fn example_json_never_holds_negative_zero() {
    let root = common::workspace();
    insta::glob!("../../../../examples", "**/*.dtr", |path| {
        let path = common::relative_to(&root, path);
        let checked = check::check_with(&path, None, &common::Under(root.clone())).expect("example is readable");
        let model = model::compile(&checked.program);
        let report = report::build(&model, &analysis::analyze(&model, None), &checked.sources);
        let attacks = analysis::sweep::attacks(&model, None, None);
        let options = analysis::sweep::Options { probabilities: false, samples: 1 };
        let outcomes = analysis::sweep::evaluate(&model, &attacks, options, &|| {});
        let request = report::sweep::Request {
            file: String::new(),
            attackers: None,
            targets: None,
            shard: None,
            total: attacks.len(),
            options,
        };
        let sweep = report::sweep::build(&model, &outcomes, request);
        for (what, json) in [
            ("report", serde_json::to_value(&report)),
            ("model", serde_json::to_value(&model)),
            ("sweep", serde_json::to_value(&sweep)),
        ] {
            let found = common::negative_zeros(&json.expect("serializes"));
            assert!(found.is_empty(), "{}: -0.0 in the {what} at {found:?}", path.display());
        }
    });
}
