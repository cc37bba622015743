//! Machine-applicable fixes, as the editor's quick fix and `dtr check
//! --fix` both apply them: which diagnostics' fixes belong to a file, what
//! each is called, the text with them applied, and whether a fixed text is
//! better than the one it replaces.

use super::{Diagnostic, Fix};
use crate::source::{FileId, SourceMap};

/// The fixes of `diagnostics` that edit `file`, in the order of the text.
pub fn in_file(diagnostics: &[Diagnostic], file: FileId) -> Vec<&Fix> {
    let mut fixes: Vec<&Fix> =
        diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.span.file == file).collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    fixes
}

/// What a fix does, in words: ``Replace `ETS` with `EST` ``.
pub fn title(fix: &Fix, sources: &SourceMap) -> String {
    format!("Replace `{}` with `{}`", sources.slice(fix.span), fix.replacement)
}

/// `text` with `fixes` (sorted, as [`in_file`] gives them) applied; a fix
/// overlapping one before it, or outside the text, is left out. None when
/// none applies.
pub fn apply(text: &str, fixes: &[&Fix]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for fix in fixes {
        let range = fix.span.range();
        if range.start < at || text.get(range.clone()).is_none() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&fix.replacement);
        at = range.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (applied > 0).then_some(out)
}

/// Whether a fixed text, whose diagnostics are `after`, is better than the
/// text whose diagnostics were `before`: no more errors, and fewer
/// diagnostics in all. A fix that trades one problem for another, or that
/// breaks something a later declaration relied on, is not written.
pub fn improves(before: &[Diagnostic], after: &[Diagnostic]) -> bool {
    let errors = |ds: &[Diagnostic]| ds.iter().filter(|d| d.is_error()).count();
    errors(after) <= errors(before) && after.len() < before.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_source;

    #[test]
    fn fixes_apply_in_order_and_overlaps_are_left_out() {
        let text = "actor EST\nactor LVA\nthreat ETS -> LVS\nthreat ETS -> LVA\n";
        let checked = check_source("t.dtr", text);
        let fixes = in_file(&checked.diagnostics, FileId(0));
        assert_eq!(fixes.len(), 3);
        assert_eq!(title(fixes[0], &checked.sources), "Replace `ETS` with `EST`");
        let fixed = apply(text, &fixes).expect("applies");
        assert_eq!(fixed, "actor EST\nactor LVA\nthreat EST -> LVA\nthreat EST -> LVA\n");
        assert!(improves(&checked.diagnostics, &check_source("t.dtr", &fixed).diagnostics));
        let overlapping = [fixes[0], fixes[0]];
        assert_eq!(
            apply(text, &overlapping).as_deref(),
            Some("actor EST\nactor LVA\nthreat EST -> LVS\nthreat ETS -> LVA\n")
        );
        assert_eq!(apply(text, &[]), None);
    }

    #[test]
    fn a_text_that_is_not_better_is_not_an_improvement() {
        let before = check_source("t.dtr", "actor EST\nthreat ETS -> EST\n").diagnostics;
        let worse = check_source("t.dtr", "actor EST\nthreat EST -> ESTT\nthreat X -> Y\n").diagnostics;
        assert!(!improves(&before, &worse));
        assert!(!improves(&before, &before));
        assert!(improves(&before, &[]));
    }
}
