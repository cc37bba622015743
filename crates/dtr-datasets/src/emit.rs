//! Writes the catalogue as `.dtr` text: a header saying what was imported
//! and how, one actor per state, then the alliances in ATOP id order, each
//! followed by its members' own commitments. Every ATOP id and member-file
//! line appears in a comment; every approximation is named where it applies.

use super::atop::Coverage;
use super::calibration::{self, Calibration, Context, Entry};
use super::catalog::{Alliance, Catalog, Commitment};
use super::mapping::{Approx, Provision, Trigger};
use super::states::States;
use dtr::vocabulary::BUILTIN_DOMAINS;
use std::collections::HashSet;
use std::fmt::Write;

pub fn write(
    catalog: &Catalog,
    states: &States,
    command: &str,
    period: Coverage,
    calibration: Option<&Calibration>,
) -> String {
    let code = |c: u32| states.get(c).map_or_else(|| format!("COW{c}"), |s| s.code.clone());
    let mut out = String::new();
    header(&mut out, catalog, states, command, period);
    if let Some(c) = calibration {
        let _ = writeln!(
            out,
            "// Credibility of defence and offence provisions: calibration `{}` (docs/backtest.md).\n",
            comment_text(&c.about)
        );
    }
    domains(&mut out, catalog);
    out.push_str("// States: COW abbreviation as the code, COW country code in the comment.\n");
    for &c in &catalog.actors {
        let Some(s) = states.get(c) else { continue };
        let body = catalog.capabilities.by_ccode.get(&c).map_or(String::new(), |v| {
            let mut fields = Vec::new();
            if !v.capability.is_empty() {
                let entries: Vec<String> = v.capability.iter().map(|(d, x)| format!("{d}: {x}")).collect();
                fields.push(format!("capability {{ {} }}", entries.join(", ")));
            }
            if let Some(r) = &v.resolve {
                fields.push(format!("resolve: {r}"));
            }
            if fields.is_empty() { String::new() } else { format!(" {{ {} }}", fields.join(" ")) }
        });
        let _ = writeln!(out, "actor {} {}{body} // COW {c}", s.code, quote(&s.name));
    }
    for a in &catalog.alliances {
        out.push('\n');
        let year = period.range().map_or(a.span.start.year, |(start, _)| start.year);
        let credibility = |provision: Provision, actors: &[u32], approximations: &[Approx]| -> Option<String> {
            let c = calibration?;
            match provision {
                Provision::Defense | Provision::Offense => {
                    let limited = approximations.contains(&Approx::Location);
                    Some(credibility(c, &a.members, actors, limited, year, &code))
                }
                // A promise is kept with the calibration's weight (§5 rule 4).
                Provision::Neutrality | Provision::Nonaggression => {
                    c.promise.as_ref().and_then(|p| p.credibility(year)).map(percent)
                }
                Provision::Consultation => None,
            }
        };
        alliance(&mut out, a, states, &code, &credibility);
    }
    if let (Some(entry), Coverage::Day(day)) = (calibration.and_then(|c| c.entry.as_ref()), period) {
        untied(&mut out, catalog, entry, &defences(catalog), day.year, &code);
    }
    if let (Some(beside), Coverage::Day(day)) = (calibration.and_then(|c| c.beside.as_ref()), period) {
        alongside(&mut out, catalog, beside, &defences(catalog), day.year, &code);
    }
    out
}

/// The (acting, protected) pairs of every defence the catalogue's alliances hold.
fn defences(catalog: &Catalog) -> HashSet<(u32, u32)> {
    let mut treaty: HashSet<(u32, u32)> = HashSet::new();
    for a in &catalog.alliances {
        let shared = a.obligations.iter().any(|(p, _)| *p == Provision::Defense);
        for &m in &a.members {
            let own = a
                .commitments
                .iter()
                .any(|c| matches!(c, Commitment::Own { provision: Provision::Defense, actor, .. } if *actor == m));
            if shared || own {
                treaty.extend(a.members.iter().map(|&other| (m, other)));
            }
        }
    }
    treaty
}

/// Entry without a treaty: one generated `defends` commitment from each
/// major power and each neighbour (capitals within `NEAR_KM`) toward every
/// state it owes no defence by treaty, at the entry model's credibility.
/// It answers only the scenario's opening attack: the model is fitted on
/// single states, and an entrant's counter-attack calling in further
/// states would multiply it. Written for a single day only (major-power
/// status and membership are the day's).
fn untied(
    out: &mut String,
    catalog: &Catalog,
    entry: &Entry,
    treaty: &HashSet<(u32, u32)>,
    year: i32,
    code: &dyn Fn(u32) -> String,
) {
    let mut lines = Vec::new();
    for &target in &catalog.actors {
        for &state in catalog.actors.iter().filter(|&&s| s != target && !treaty.contains(&(s, target))) {
            let context = Context::untied(state, target, year);
            if calibration::entry_candidate(&context) {
                let (s, t) = (code(state), code(target));
                let p = percent(entry.credibility(&context));
                lines.push(format!(
                    "commitment entry_{s}_{t}: {s} defends {t} {{ when: opening attack credibility: {p} }}"
                ));
            }
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n// Entry without a treaty: generated by dtr import atop, not in ATOP. Each major power and each\n\
         // state whose capital is within {} km of another's (data/capdist.csv) defends it against\n\
         // the war's opening attack at the calibration's entry credibility (docs/import.md).",
        calibration::NEAR_KM
    );
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
}

/// Entry beside the opener without a treaty: for each major power and
/// neighbour S of a state O that S owes no defence, a generated alliance
/// whose `join` makes S fight beside O when O makes the scenario's opening
/// attack (never the other way round, and never on an entrant's attack),
/// at the beside model's credibility.
fn alongside(
    out: &mut String,
    catalog: &Catalog,
    beside: &Entry,
    treaty: &HashSet<(u32, u32)>,
    year: i32,
    code: &dyn Fn(u32) -> String,
) {
    let mut lines = Vec::new();
    for &opener in &catalog.actors {
        for &state in catalog.actors.iter().filter(|&&s| s != opener && !treaty.contains(&(s, opener))) {
            let context = Context::beside(state, opener, year);
            if calibration::entry_candidate(&context) {
                let (s, o) = (code(state), code(opener));
                let p = percent(beside.credibility(&context));
                lines.push(format!(
                    "alliance beside_{s}_{o} {{ members: [{s}, {o}] obligation beside join {{ \
                     when: opening attack on any by member credibility: 0% except {{ {s}: {p} }} }} }}"
                ));
            }
        }
    }
    if lines.is_empty() {
        return;
    }
    out.push_str(
        "\n// Entry beside the opener: generated by dtr import atop, not in ATOP. Each major power and each\n\
         // neighbour of a state it owes no defence joins that state's opening attack at the\n\
         // calibration's beside credibility (docs/import.md).\n",
    );
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
}

fn header(out: &mut String, catalog: &Catalog, states: &States, command: &str, period: Coverage) {
    let s = &catalog.summary;
    let when = match period {
        Coverage::All => "every alliance of ATOP 5.0 (1815-2018) with its dates".to_string(),
        Coverage::Year(y) => format!("the ATOP 5.0 alliances in force at some time in {y}"),
        Coverage::Day(d) => format!("the ATOP 5.0 alliances in force on {d}"),
    };
    let _ = writeln!(out, "// Catalogue: {when}.");
    if let Some((start, end)) = period.range()
        && (end.year > 2018 || start.year < 1815)
    {
        out.push_str("// Note: ATOP 5.0 covers 1815-01-01 to 2018-12-31; alliances in force on its last day are\n");
        out.push_str("// taken to continue, and none is known before its first.\n");
    }
    let _ = writeln!(out, "// Written by: {}", comment_text(command));
    out.push_str("// Data: ATOP 5.0 member-level file (Leeds et al. 2002; codebook v5.0, 2020) and\n");
    out.push_str("// the COW State System Membership list v2016. Mapping and approximations:\n");
    out.push_str("// docs/import.md.\n");
    if catalog.capabilities.source.is_empty() {
        out.push_str("// Capabilities are not in ATOP: none here (see --capabilities in docs/import.md).\n");
    } else {
        let _ = writeln!(out, "// Capabilities: from {}.", comment_text(&catalog.capabilities.source));
        if catalog.capabilities.nmc {
            out.push_str("// COW NMC: CINC x 1000 (per mille of the system) in land, sea and air (docs/import.md).\n");
        }
    }
    let _ = writeln!(
        out,
        "// {}, {} ({}, {}) from {}.",
        count(s.states, "state"),
        count(s.alliances, "alliance"),
        count(s.obligations, "obligation"),
        count(s.commitments, "commitment"),
        count(s.rows, "member row")
    );
    for (id, span) in &s.single_member_spans {
        let _ = writeln!(
            out,
            "// Left out: ATOP {id} {}, a single member (not an alliance then).",
            range(span.start, span.end)
        );
    }
    if !s.approximations.is_empty() {
        let counts: Vec<String> = s.approximations.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(out, "// Rows with approximations: {}.", counts.join(", "));
    }
    for r in &states.renamed {
        let _ = writeln!(out, "// Actor code: {}.", comment_text(r));
    }
    // A catalogue declares every state of its period, for scenarios to
    // pick from: those it names in no alliance are not mistakes (W0001).
    out.push_str("// dtr: allow(W0001) (every state of the period is declared, in an alliance or not)\n");
    out.push('\n');
}

fn domains(out: &mut String, catalog: &Catalog) {
    let caps = &catalog.capabilities;
    let mut any = false;
    for d in caps.domains.iter().filter(|d| !BUILTIN_DOMAINS.contains(&d.as_str())) {
        let _ = writeln!(out, "domain {d} {}", quote(&format!("{d} (from {})", caps.source)));
        any = true;
    }
    if any {
        out.push('\n');
    }
}

/// A provision's credibility for `actors` (the members who act under it):
/// the first one's value, with an `except` entry for each who differs.
fn credibility(
    c: &Calibration,
    members: &[u32],
    actors: &[u32],
    location_limited: bool,
    year: i32,
    code: &dyn Fn(u32) -> String,
) -> String {
    let value = |m: u32| percent(c.credibility(&Context { location_limited, ..Context::of(m, members, year) }));
    let Some(&first) = actors.first() else { return "100%".into() };
    let base = value(first);
    let except: Vec<String> =
        actors.iter().filter(|&&m| value(m) != base).map(|&m| format!("{}: {}", code(m), value(m))).collect();
    if except.is_empty() { base } else { format!("{base} except {{ {} }}", except.join(", ")) }
}

/// A probability as a percentage with one decimal (`12.5%`, `3%`).
fn percent(p: f64) -> String {
    let tenths = (p * 1000.0).round().clamp(0.0, 1000.0);
    if tenths % 10.0 == 0.0 { format!("{}%", tenths / 10.0) } else { format!("{:.1}%", tenths / 10.0) }
}

/// A provision's credibility for the acting members, given its approximations.
type CredibilityOf<'a> = dyn Fn(Provision, &[u32], &[Approx]) -> Option<String> + 'a;

fn alliance(
    out: &mut String,
    a: &Alliance,
    states: &States,
    code: &dyn Fn(u32) -> String,
    credibility: &CredibilityOf,
) {
    let name_of = |c: u32| states.get(c).map_or_else(|| format!("COW {c}"), |s| s.name.clone());
    let phase = if a.phase == 0 { String::new() } else { format!(" phase {}", a.phase) };
    let _ = writeln!(out, "/// ATOP {}{phase}: member-file lines {}.", a.atopid, lines(&a.lines));
    if a.alliance_span == a.span {
        let _ = writeln!(out, "/// In force {}.", range(a.span.start, a.span.end));
    } else {
        let _ = writeln!(
            out,
            "/// The alliance runs {}; these members {}.",
            range(a.alliance_span.start, a.alliance_span.end),
            range(a.span.start, a.span.end)
        );
    }
    for (c, approx) in &a.row_approximations {
        for x in approx {
            let _ = writeln!(out, "/// ~ {} ({}, {}): {}.", x.key(), x.column(None), code(*c), x.describe());
        }
    }
    let names: Vec<String> = a.members.iter().map(|&c| name_of(c)).collect();
    let label = match names.as_slice() {
        [first, second, rest @ ..] if rest.len() > 2 => {
            format!("ATOP {}: {first}, {second} and {} others", a.atopid, rest.len())
        }
        _ => format!("ATOP {}: {}", a.atopid, names.join(", ")),
    };
    let _ = writeln!(out, "alliance {} {} {{", a.name, quote(&label));
    let members: Vec<String> = a.members.iter().map(|&c| code(c)).collect();
    let _ = writeln!(out, "  members: [{}]", members.join(", "));
    let _ = writeln!(out, "  since: {}", a.span.start);
    if let Some(end) = a.span.end {
        let _ = writeln!(out, "  until: {end}");
    }
    for (p, terms) in &a.obligations {
        let _ = writeln!(out, "  /// ATOP `{}`, owed by every member.", atop_column(*p));
        approximations(out, "  ", *p, &terms.approximations);
        let when = obligation_condition(*p, &terms.trigger, code);
        let _ = writeln!(
            out,
            "  obligation {} {}{}",
            p.name(),
            p.obligation_kind(),
            block(when, credibility(*p, &a.members, &terms.approximations))
        );
    }
    out.push_str("}\n");
    for c in &a.commitments {
        commitment(out, a, c, code, credibility);
    }
}

fn commitment(
    out: &mut String,
    a: &Alliance,
    c: &Commitment,
    code: &dyn Fn(u32) -> String,
    credibility: &CredibilityOf,
) {
    match c {
        Commitment::Own { provision, actor, terms } => {
            let _ = writeln!(
                out,
                "/// ATOP {}: {}'s own `{}` (the members' promises differ).",
                a.atopid,
                code(*actor),
                atop_column(*provision)
            );
            approximations(out, "", *provision, &terms.approximations);
            let kind = provision.commitment_kind().unwrap_or("defends");
            let when = commitment_condition(&terms.trigger, code);
            let _ = writeln!(
                out,
                "commitment {}_{}_{}: {} {kind} {}{}",
                a.name,
                provision.name(),
                code(*actor),
                code(*actor),
                a.name,
                block(when, credibility(*provision, &[*actor], &terms.approximations))
            );
        }
        Commitment::Plan { actor, adversary, terms } => {
            let _ = writeln!(
                out,
                "/// ATOP {}: {}'s own `offense` (the members' promises differ): it fights {} whenever a member does.",
                a.atopid,
                code(*actor),
                code(*adversary)
            );
            approximations(out, "", Provision::Offense, &terms.approximations);
            let _ = writeln!(
                out,
                "commitment {}_offense_{}_{}: {} attacks {}{}",
                a.name,
                code(*actor),
                code(*adversary),
                code(*actor),
                code(*adversary),
                block(
                    Some(format!("war between {} and {}", a.name, code(*adversary))),
                    credibility(Provision::Offense, &[*actor], &terms.approximations)
                )
            );
        }
        Commitment::Unwritten { provision, actor, approximation } => {
            let _ = writeln!(
                out,
                "// ATOP {}: {}'s own `{}` is not written ({}: {}).",
                a.atopid,
                code(*actor),
                atop_column(*provision),
                approximation.key(),
                approximation.describe()
            );
        }
    }
}

fn approximations(out: &mut String, indent: &str, p: Provision, list: &[Approx]) {
    for x in list {
        let _ = writeln!(out, "{indent}/// ~ {} ({}): {}.", x.key(), x.column(Some(p)), x.describe());
    }
}

fn block(when: Option<String>, credibility: Option<String>) -> String {
    let fields: Vec<String> = when
        .map(|w| format!("when: {w}"))
        .into_iter()
        .chain(credibility.map(|c| format!("credibility: {c}")))
        .collect();
    if fields.is_empty() { String::new() } else { format!(" {{ {} }}", fields.join(" ")) }
}

fn atop_column(p: Provision) -> &'static str {
    match p {
        Provision::Defense => "defense",
        Provision::Offense => "offense",
        Provision::Neutrality => "neutral",
        Provision::Nonaggression => "nonagg",
        Provision::Consultation => "consul",
    }
}

/// The condition of an obligation shared by every member (`member` is the
/// protected one); `None` keeps the kind's default.
fn obligation_condition(p: Provision, t: &Trigger, code: &dyn Fn(u32) -> String) -> Option<String> {
    match t {
        Trigger::Default => None,
        Trigger::Attack { .. } => attack(t, code),
        Trigger::War { with } if p == Provision::Offense => {
            let w = parties(with, code);
            Some(format!("attack by {w} or attack by member on {w}"))
        }
        Trigger::War { with } => Some(format!("war between member and {}", parties(with, code))),
    }
}

/// The condition of one member's commitment toward an alliance: `attack`
/// without `on` is an attack on each protected member.
fn commitment_condition(t: &Trigger, code: &dyn Fn(u32) -> String) -> Option<String> {
    match t {
        Trigger::Default => None,
        Trigger::Attack { .. } => attack(t, code),
        Trigger::War { with } => Some(format!("attack by {}", parties(with, code))),
    }
}

fn attack(t: &Trigger, code: &dyn Fn(u32) -> String) -> Option<String> {
    let Trigger::Attack { unprovoked, by } = t else { return None };
    let mut s = String::new();
    if *unprovoked {
        s.push_str("unprovoked ");
    }
    s.push_str("attack");
    if !by.is_empty() {
        let _ = write!(s, " by {}", parties(by, code));
    }
    Some(s)
}

fn parties(list: &[u32], code: &dyn Fn(u32) -> String) -> String {
    match list {
        [one] => code(*one),
        _ => format!("[{}]", list.iter().map(|&c| code(c)).collect::<Vec<_>>().join(", ")),
    }
}

fn range(start: super::day::Day, end: Option<super::day::Day>) -> String {
    match end {
        Some(e) => format!("from {start} to {e}"),
        None => format!("from {start} (still in force at the end of 2018)"),
    }
}

/// `3, 4, 5, 9` as `3-5, 9`.
fn lines(list: &[u64]) -> String {
    let mut sorted = list.to_vec();
    sorted.sort_unstable();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = sorted.get(i) {
        let mut end = start;
        while sorted.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(if end == start { start.to_string() } else { format!("{start}-{end}") });
        i += 1;
    }
    parts.join(", ")
}

/// A string literal: a name or path from the data or the command line, so
/// anything may be in it; what cannot stand in a literal, or would be
/// invisible there, is escaped.
fn quote(text: &str) -> String {
    let mut s = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(s, "\\u{{{:x}}}", u32::from(c));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text from the data or the command line (a path, a name) for a line
/// comment: a line break in it would end the comment and make the rest a
/// declaration, so line breaks and other control characters are written
/// as escapes (`\n`, `\u{2028}`).
fn comment_text(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c if hidden(c) => {
                let _ = write!(s, "\\u{{{:x}}}", u32::from(c));
            }
            c => s.push(c),
        }
    }
    s
}

/// Control characters and Unicode's line and paragraph separators.
fn hidden(c: char) -> bool {
    c.is_control() && c != '\t' || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `1 state`, `2 states`.
fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
