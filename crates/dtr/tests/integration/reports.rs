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
        insta::assert_json_snapshot!("json", report);
    });
}
