//! `dtr sweep --merge`: the JSON outputs of every shard of one sweep read
//! back and combined into the report one run would have written. Shards of
//! different models, options or shard counts, and sets with a shard missing
//! or given twice, are refused with a diagnostic pointing into the file.

use super::{SweepReport, VERSION, validate};
use crate::analysis::sweep::Shard;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::messages::{self, NotSweep, Shards};
use crate::source::{FileId, SourceMap, Span, floor_boundary};

/// One parsed shard output and where it came from.
struct Part {
    file: FileId,
    report: SweepReport,
    shard: Shard,
}

/// Merges the shard outputs held in `files` (JSON texts in `sources`).
pub fn merge(files: &[FileId], sources: &SourceMap) -> Result<SweepReport, Vec<Diagnostic>> {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for &file in files {
        match parse(file, sources.text(file)) {
            Ok(report) => {
                let shard = report.shard.unwrap_or(Shard { index: 1, count: 1 });
                parts.push(Part { file, report, shard });
            }
            Err(d) => problems.push(*d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for part in &parts {
        problems.extend(validate::contents(part.file, sources.text(part.file), &part.report));
    }
    let Some(first) = parts.first() else { return Err(problems) };
    for part in &parts[1..] {
        problems.extend(mismatch(first, part, sources));
    }
    if problems.is_empty() {
        problems.extend(coverage(&parts, sources));
    }
    if problems.is_empty() {
        problems.extend(validate::placement(&parts.iter().map(|p| (p.file, &p.report)).collect::<Vec<_>>(), sources));
    }
    if problems.is_empty() {
        for part in &mut parts {
            if !part.report.sealed() {
                problems.push(validate::edited(part.file, sources.text(part.file)));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Moved, not copied: a merge holds each shard's attacks once.
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else { return Err(problems) };
    let mut merged = first.report;
    merged.shard = None;
    merged.attacks.extend(parts.flat_map(|p| p.report.attacks));
    merged.rank();
    merged.seal();
    Ok(merged)
}

/// Boxed: a diagnostic is large beside a report's few pointers.
fn parse(file: FileId, text: &str) -> Result<SweepReport, Box<Diagnostic>> {
    let not_sweep = |e: serde_json::Error, what: &str| {
        let span = at_line_column(file, text, e.line(), e.column());
        Box::new(messages::e0094(NotSweep::Unreadable { what, error: &e.to_string() }, span))
    };
    // The version alone, without building the whole document as a value
    // (ten times the text in memory).
    #[derive(serde::Deserialize)]
    struct Version {
        version: Option<u64>,
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| not_sweep(e, "not JSON"))?;
    let version = serde_json::from_str::<Version>(text).ok().and_then(|v| v.version);
    if version != Some(u64::from(VERSION)) {
        return Err(Box::new(messages::e0094(
            NotSweep::Version { found: version, reads: VERSION },
            field(file, text, "version"),
        )));
    }
    let report: SweepReport = serde_json::from_str(text).map_err(|e| not_sweep(e, "unexpected structure"))?;
    match report.shard {
        Some(s) if s.index == 0 || s.index > s.count => Err(Box::new(messages::e0094(
            NotSweep::NoSuchShard { index: s.index, count: s.count },
            field(file, text, "shard"),
        ))),
        _ => Ok(report),
    }
}

/// Why `part` cannot be merged with `first`, if it cannot.
fn mismatch(first: &Part, part: &Part, sources: &SourceMap) -> Option<Diagnostic> {
    let (a, b) = (&first.report, &part.report);
    let (key, what) = if a.model_digest != b.model_digest {
        ("model_digest", "were computed from different models")
    } else if a.settings != b.settings {
        ("settings", "were run with different settings (model settings, --samples or --no-probabilities)")
    } else if a.selection != b.selection {
        ("selection", "sweep different attacks (--attackers or --targets)")
    } else if first.shard.count != part.shard.count || a.total != b.total {
        ("shard", "belong to sweeps cut into different numbers of shards")
    } else {
        return None;
    };
    // Within `settings` or `selection`, point at the first member that differs.
    let member = match key {
        "settings" => first_difference(&a.settings, &b.settings),
        "selection" => first_difference(&a.selection, &b.selection),
        _ => None,
    };
    let place = |p: &Part| {
        let text = sources.text(p.file);
        let outer = field(p.file, text, key);
        member.as_deref().and_then(|m| member_span(p.file, text, outer, m)).unwrap_or(outer)
    };
    let (here, there) = (place(part), place(first));
    Some(messages::e0092(what, there, here))
}

/// Every shard exactly once, each holding as many attacks as its share.
fn coverage(parts: &[Part], sources: &SourceMap) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Some(first) = parts.first() else { return problems };
    let count = first.shard.count;
    let field_of = |part: &Part, key: &str| field(part.file, sources.text(part.file), key);
    for (i, part) in parts.iter().enumerate() {
        if let Some(earlier) = parts[..i].iter().find(|p| p.shard.index == part.shard.index) {
            let repeated =
                Shards::Repeated { shard: &part.shard.to_string(), first: field_of(earlier, "shard"), count };
            problems.push(messages::e0093(repeated, field_of(part, "shard")));
            continue;
        }
        let share = share(first.report.total, part.shard);
        if part.report.attacks.len() != share {
            let shard = part.shard.to_string();
            let incomplete = Shards::Incomplete {
                shard: &shard,
                holds: part.report.attacks.len(),
                total: first.report.total,
                share,
            };
            problems.push(messages::e0093(incomplete, field_of(part, "attacks")));
        }
    }
    // Shown: the first few; the count may be large.
    let mut present: Vec<u32> = parts.iter().map(|p| p.shard.index).collect();
    present.sort_unstable();
    present.dedup();
    let absent = count as usize - present.len();
    let mut missing: Vec<String> =
        (1..=count).filter(|i| present.binary_search(i).is_err()).take(8).map(|i| format!("{i}/{count}")).collect();
    if absent > missing.len() {
        missing.push(format!("and {} more", absent - missing.len()));
    }
    if absent > 0 {
        problems.push(messages::e0093(Shards::Missing { missing: &missing, count }, field_of(first, "shard")));
    }
    problems
}

/// The number of attacks out of `total` that `shard` takes (round-robin).
fn share(total: usize, shard: Shard) -> usize {
    let (index, count) = (shard.index as usize - 1, shard.count as usize);
    if index >= total { 0 } else { (total - index).div_ceil(count) }
}

/// The line of top-level `key` in pretty-printed JSON (the key through the
/// end of its line), or the start of the file when it is not there.
pub(super) fn field(file: FileId, text: &str, key: &str) -> Span {
    let needle = format!("\n  \"{key}\":");
    match text.find(&needle) {
        Some(at) => {
            let start = at + 3;
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            let end = if text[start..end].ends_with(',') { end - 1 } else { end };
            Span::new(file, start, end)
        }
        None => Span::new(file, 0, 0),
    }
}

/// The name of the first member whose value differs between two objects.
fn first_difference<T: serde::Serialize>(a: &T, b: &T) -> Option<String> {
    let (a, b) = (serde_json::to_value(a).ok()?, serde_json::to_value(b).ok()?);
    let (a, b) = (a.as_object()?, b.as_object()?);
    a.iter().find(|(k, v)| b.get(k.as_str()) != Some(*v)).map(|(k, _)| k.clone())
}

/// The line of `member` inside the top-level object whose key is at `outer`
/// (pretty-printed: four spaces in).
fn member_span(file: FileId, text: &str, outer: Span, member: &str) -> Option<Span> {
    let from = outer.start as usize;
    let needle = format!("\n    \"{member}\":");
    let at = from + text.get(from..)?.find(&needle)? + 5;
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let end = if text[at..end].ends_with(',') { end - 1 } else { end };
    Some(Span::new(file, at, end))
}

/// serde_json's 1-based line and column as a byte offset (one byte wide).
fn at_line_column(file: FileId, text: &str, line: usize, column: usize) -> Span {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let at = floor_boundary(text, line_start + column.saturating_sub(1));
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Span::new(file, at, end)
}

#[cfg(test)]
mod tests {
    use super::{Shard, share};

    #[test]
    fn shares_add_up_to_the_total() {
        for total in 0..20 {
            for count in 1..6 {
                let sum: usize = (1..=count).map(|index| share(total, Shard { index, count })).sum();
                assert_eq!(sum, total, "{total} in {count}");
            }
        }
        assert_eq!(share(10, Shard { index: 1, count: 4 }), 3);
        assert_eq!(share(10, Shard { index: 4, count: 4 }), 2);
    }
}
