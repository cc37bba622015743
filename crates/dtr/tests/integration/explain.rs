//! Every code has a page for `dtr explain`; its example really produces the
//! code, and its fix really checks clean of it.

use crate::common;

use dtr::diagnostic::Code;

#[test]
fn every_explanation_example_produces_its_code() {
    for &code in Code::ALL {
        let page = code.explanation();
        let title = format!("# {code}: {}", code.title());
        assert!(page.starts_with(&title), "{code}: page must start with `{title}`");
        let blocks: Vec<(String, String)> =
            common::fenced_blocks(page).into_iter().filter(|(info, _)| info == "dtr").collect();
        if matches!(
            code,
            Code::E0020
                | Code::E0021
                | Code::E0040
                | Code::E0090
                | Code::E0091
                | Code::E0092
                | Code::E0093
                | Code::E0094
                | Code::E0095
                | Code::W0030
        ) {
            // Not expressible as text, or about the command line and
            // `dtr sweep`'s files and `dtr init`'s folder: the pages show commands instead.
            assert!(blocks.is_empty(), "{code}: no dtr block expected");
            continue;
        }
        let [(_, example), (_, fix)] = blocks.as_slice() else {
            panic!("{code}: expected an example block and a fix block, found {}", blocks.len());
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let checked = common::check_text(dir.path(), example);
        let codes = common::codes_with_expectations(&checked);
        assert!(codes.contains(&code), "{code}: example gives {codes:?}");
        let dir = tempfile::tempdir().expect("temp dir");
        let checked = common::check_text(dir.path(), fix);
        let codes = common::codes_with_expectations(&checked);
        assert!(!codes.contains(&code) && !checked.has_errors(), "{code}: fix gives {codes:?}");
    }
}
