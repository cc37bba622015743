//! Every ```dtr block of docs/language.md checks: plain blocks without
//! errors and with every `expect` holding, ```dtr,error=CODE blocks with
//! the error they claim.

use crate::common;

use dtr::diagnostic::Code;

fn check_blocks(file: &str) -> usize {
    let text = std::fs::read_to_string(common::workspace().join(file)).expect(file);
    let mut count = 0;
    for (info, body) in common::fenced_blocks(&text) {
        let Some(rest) = info.strip_prefix("dtr") else { continue };
        count += 1;
        let dir = tempfile::tempdir().expect("temp dir");
        let checked = common::check_text(dir.path(), &body);
        let codes = common::codes_with_expectations(&checked);
        match rest.strip_prefix(",error=") {
            Some(code) => {
                let code = Code::parse(code).unwrap_or_else(|| panic!("unknown code in ```{info}"));
                assert!(codes.contains(&code), "{file}: block claims {code}, got {codes:?}:\n{body}");
            }
            None => assert!(
                !checked.has_errors() && !codes.contains(&Code::E0023),
                "{file}: block has errors or failing expectations {codes:?}:\n{body}"
            ),
        }
    }
    count
}

#[test]
fn language_reference_blocks_check() {
    let count = check_blocks("docs/language.md");
    assert!(count >= 10, "docs/language.md should show the language in at least 10 checked blocks, found {count}");
}

#[test]
fn readme_blocks_check() {
    assert!(check_blocks("README.md") >= 2);
}

#[test]
fn formatter_page_blocks_check() {
    assert!(check_blocks("docs/fmt.md") >= 2);
}

#[test]
fn language_server_page_blocks_check() {
    assert!(check_blocks("docs/lsp.md") >= 2);
}

/// Every image a page of docs/ or the README shows is in the repository
/// (the report's screenshots are copied by hand from the browser test's).
#[test]
fn images_shown_exist() {
    let root = common::workspace();
    let mut pages = vec![root.join("README.md")];
    pages.extend(
        std::fs::read_dir(root.join("docs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md")),
    );
    let mut shown = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for image in text.split("![").skip(1) {
            let Some(target) = image.split_once("](").and_then(|(_, rest)| rest.split_once(')')).map(|(t, _)| t) else {
                continue;
            };
            if target.contains("://") {
                continue;
            }
            let file = page.parent().unwrap().join(target);
            assert!(file.is_file(), "{} shows {target}, which is not there", page.display());
            shown += 1;
        }
    }
    assert!(shown >= 2, "docs/report.md shows the HTML report's screenshots");
}

/// docs/report.md shows the language in checked blocks, and each
/// ```text,report block (or ```text,tornado=ACTOR) after one is what the
/// report (or `--tornado --of ACTOR`) of that block prints, line by line,
/// the file named `gulf.dtr`.
#[test]
fn report_page_blocks_check_and_print_what_they_show() {
    use dtr::analysis::sensitivity::{self, Measure};
    use dtr::{analysis, check, model, report};
    assert!(check_blocks("docs/report.md") >= 1);
    let text = std::fs::read_to_string(common::workspace().join("docs/report.md")).expect("docs/report.md");
    let (mut source, mut shown) = (None, 0);
    for (info, body) in common::fenced_blocks(&text) {
        if info == "dtr" {
            source = Some(body);
            continue;
        }
        let printed = match (info.as_str(), &source) {
            ("text,report", Some(source)) | ("text,tornado", Some(source)) => {
                let checked = check::check_source("gulf.dtr", source);
                let model = model::compile(&checked.program);
                let analysis = analysis::analyze(&model, None);
                report::text::render(&report::build(&model, &analysis, &checked.sources))
            }
            (info, Some(source)) if info.starts_with("text,tornado=") => {
                let checked = check::check_source("gulf.dtr", source);
                let model = model::compile(&checked.program);
                let actor = model.actor_named(&info["text,tornado=".len()..]).expect("actor");
                let tornadoes: Vec<_> = (0..model.scenarios.len() as u32)
                    .map(|s| sensitivity::tornado(&model, dtr::vocabulary::ScenarioId(s), Measure::Joins(actor)))
                    .collect();
                let r = report::sensitivity::tornado(&model, "gulf.dtr", Measure::Joins(actor), &tornadoes);
                report::sensitivity::tornado_text(&r)
            }
            _ => continue,
        };
        shown += 1;
        let lines: Vec<&str> = printed.lines().collect();
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                lines.contains(&line),
                "docs/report.md shows a line the report does not print:\n{line}\n\n{printed}"
            );
        }
    }
    assert!(shown >= 2, "docs/report.md should show the why and tornado output, found {shown}");
}
