//! Every ```dtr block of docs/language.md checks: plain blocks without
//! errors, ```dtr,error=CODE blocks with the error they claim.

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
        let codes = common::codes(&checked);
        match rest.strip_prefix(",error=") {
            Some(code) => {
                let code = Code::parse(code).unwrap_or_else(|| panic!("unknown code in ```{info}"));
                assert!(codes.contains(&code), "{file}: block claims {code}, got {codes:?}:\n{body}");
            }
            None => assert!(!checked.has_errors(), "{file}: block has errors {codes:?}:\n{body}"),
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
