//! One constructor per diagnostic code: the message, labels and help of
//! every code are worded here and nowhere else. The stages find the facts
//! (names, spans, values, which situation) and pass them in; a code that
//! covers several situations takes an enum of them. Source text goes
//! through [`quote`] here. crates/dtr/codes/CODE.md explains each code at length.

use super::{Code, Diagnostic, escape, quote};
use crate::source::Span;
use crate::vocabulary::{DECLARATION_KEYWORDS, DeclarationKind};
use std::io;
use std::path::Path;

// ---------------------------------------------------------------- syntax and loading

/// What went wrong in the syntax (E0001).
pub enum Syntax<'a> {
    /// Something else was `found` where one of `wanted` (each already
    /// written as shown: "`,`", "a name") could go, within `context` ("in
    /// a list of names").
    Unexpected {
        wanted: &'a [String],
        context: Option<&'a str>,
        found: &'a str,
        hint: Option<Hint<'a>>,
    },
    UnterminatedString,
    UnterminatedComment,
}

/// The commonest slips behind an unexpected token.
pub enum Hint<'a> {
    /// A word that starts with a keyword that could go here (`outside`
    /// for `out`).
    RunOn { word: &'a str, keyword: &'a str },
    /// A number or date run into a word where a value was wanted
    /// (`3import`, `2024-02-30ctor`): the value and the word.
    LiteralRunOn { literal: &'a str, word: &'a str },
    /// A keyword where a name was wanted.
    KeywordAsName(&'a str),
    /// A character that does not show.
    Invisible,
    /// Something else where a declaration must start.
    Declaration,
    /// A list's items not separated by commas.
    ListSeparator,
    /// A misspelt field name, or a block not closed.
    UnclosedBlock,
}

pub fn e0001(syntax: Syntax<'_>, span: Span) -> Diagnostic {
    match syntax {
        Syntax::Unexpected { wanted, context, found, hint } => {
            let message = match (wanted, context) {
                ([], Some(ctx)) => format!("unexpected {found} {ctx}"),
                ([], None) => format!("unexpected {found}"),
                (w, Some(ctx)) => format!("expected {} {ctx}, found {found}", one_of(w)),
                (w, None) => format!("expected {}, found {found}", one_of(w)),
            };
            let d = Diagnostic::new(Code::E0001, message, span, "unexpected here");
            match hint {
                Some(Hint::RunOn { word, keyword }) => {
                    d.with_help(format!("keywords are whole words: `{}` is not `{keyword}`", quote(word)))
                }
                Some(Hint::LiteralRunOn { literal, word }) => d.with_help(format!(
                    "a value ends before a letter: `{}` runs into `{}`; put a space or a new line between them, or delete `{}`",
                    quote(literal),
                    quote(word),
                    quote(word)
                )),
                Some(Hint::KeywordAsName(word)) => {
                    d.with_help(format!("`{word}` is a keyword and cannot be used as a name"))
                }
                Some(Hint::Invisible) => d.with_help(
                    "delete this character, which does not show; inside a string, write it as a `\\u{…}` escape",
                ),
                Some(Hint::Declaration) => {
                    let keywords: Vec<String> = DECLARATION_KEYWORDS.iter().map(|k| format!("`{k}`")).collect();
                    d.with_help(format!("a declaration starts with {}", one_of(&keywords)))
                }
                Some(Hint::ListSeparator) => d.with_help("separate the items of a list with `,`"),
                Some(Hint::UnclosedBlock) => d.with_help("check for a misspelt field name or a missing `}`"),
                None => d,
            }
        }
        Syntax::UnterminatedString => {
            Diagnostic::new(Code::E0001, "unterminated string", span, "this string is not closed")
                .with_help("close it with `\"` before the end of the line (write a line break as `\\n`)")
        }
        Syntax::UnterminatedComment => {
            Diagnostic::new(Code::E0001, "unterminated block comment", span, "this comment is never closed")
                .with_help("close it with `*/` (block comments nest: each `/*` needs its own `*/`)")
        }
    }
}

/// `a`, `a or b`, `a, b or c` (up to six), else `one of a, b, …`.
fn one_of(items: &[String]) -> String {
    match items {
        [one] => one.clone(),
        [init @ .., last] if items.len() <= 6 => format!("{} or {last}", init.join(", ")),
        _ => format!("one of {}", items.join(", ")),
    }
}

/// E0005: `cycle` is the chain of files, `a.dtr → b.dtr → a.dtr`.
pub fn e0005(cycle: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0005, format!("import cycle: {cycle}"), span, "this import closes the cycle")
        .with_help("move the shared declarations into a file that both import, and import it from each")
}

/// E0006: the import `written`, looked for at `path`, could not be read.
pub fn e0006(written: &str, error: &io::Error, path: &Path, span: Span) -> Diagnostic {
    let reason = match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    };
    let looked_for = format!("looked for {}", escape(&path.display().to_string()));
    Diagnostic::new(Code::E0006, format!("cannot import `{}`: {reason}", quote(written)), span, looked_for)
        .with_help("import paths are relative to the file that imports them")
}

/// E0018: the escape sequence as `written`.
pub fn e0018(written: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0018, format!("invalid escape `{}` in a string", quote(written)), span, "not a valid escape")
        .with_help(
            "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}` with 1–6 hex digits of a Unicode scalar value",
        )
}

/// What nests too deeply (E0019), beyond `limit`.
pub enum TooDeep {
    Brackets,
    BlockComments,
    /// `count` `not`s in a row.
    Nots {
        count: usize,
    },
}

pub fn e0019(what: TooDeep, limit: usize, span: Span) -> Diagnostic {
    match what {
        TooDeep::Brackets | TooDeep::BlockComments => {
            let what = if matches!(what, TooDeep::BlockComments) { "block comments" } else { "brackets" };
            Diagnostic::new(Code::E0019, format!("{what} nest more than {limit} deep"), span, "too deep here")
                .with_help("this declaration is skipped; flatten the condition (`and`/`or` chains need no parentheses)")
        }
        TooDeep::Nots { count } => {
            Diagnostic::new(Code::E0019, format!("{count} `not`s in a row: more than {limit}"), span, "too deep here")
                .with_help("two `not`s cancel out: remove them in pairs")
        }
    }
}

/// E0020: at the first byte that is not UTF-8.
pub fn e0020(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0020, "file is not valid UTF-8", span, "invalid byte here")
        .with_help("save the file as UTF-8")
}

/// What is too large to check (E0021).
pub enum TooLarge {
    /// A file over the limit of `limit_mib` MiB.
    File { limit_mib: usize },
    /// A program that expands to `total` commitments, more than `limit`;
    /// the span is at the provision that makes the most, `largest` of
    /// them, an obligation of an alliance of `members` or a commitment.
    Expansion { total: u64, limit: u64, largest: u64, members: Option<usize> },
}

pub fn e0021(too_large: TooLarge, span: Span) -> Diagnostic {
    match too_large {
        TooLarge::File { limit_mib } => Diagnostic::new(
            Code::E0021,
            format!("file is larger than the {limit_mib} MiB limit"),
            span,
            "too large to check",
        )
        .with_help("split the file and import the parts"),
        TooLarge::Expansion { total, limit, largest, members } => {
            let label = match members {
                Some(n) => format!("{n} members, each bound toward every other: {} commitments", thousands(largest)),
                None => format!("{} commitments", thousands(largest)),
            };
            Diagnostic::new(
                Code::E0021,
                format!("this program expands to {} commitments, more than the {} the analysis holds", thousands(total), thousands(limit)),
                span,
                label,
            )
            .with_help("an obligation binds each of an alliance's n members toward every other, n(n − 1) commitments: split the alliance into the blocs that really defend each other, or declare its smaller members as one actor")
        }
    }
}

/// `8997000` → `8,997,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// E0080: an import that leaves `project` (as shown to the user): by its
/// spelling, or, `spelled_inside`, through a symbolic link.
pub fn e0080(written: &str, project: &str, spelled_inside: bool, span: Span) -> Diagnostic {
    let label = if spelled_inside {
        "a symbolic link to a file outside the project"
    } else {
        "outside the folder of the file being checked"
    };
    Diagnostic::new(Code::E0080, format!("import `{}` leaves the project directory", quote(written)), span, label).with_help(format!(
        "imports must stay inside `{project}` (the folder of the file being checked), symbolic links followed, so that a file cannot make DTR read any file on the machine; move the imported file into it"
    ))
}

// ---------------------------------------------------------------- names

/// What was not declared (E0002).
pub enum Unknown<'a> {
    /// A name that should be of one of `kinds` (the first is the one to
    /// declare), with the closest name of those kinds, if one is close.
    Name { name: &'a str, kinds: &'a [DeclarationKind], suggestion: Option<&'a str> },
    /// An actor written as another actor's label (`Russia` for `actor RUS
    /// "Russia"`).
    Label { name: &'a str, actor: &'a str, label: &'a str },
    /// A gap reason of `expect … gap …: REASON`, among `reasons`.
    GapReason { name: &'a str, reasons: &'a [&'a str], suggestion: Option<&'a str> },
}

pub fn e0002(unknown: Unknown<'_>, span: Span) -> Diagnostic {
    match unknown {
        Unknown::Name { name, kinds, suggestion } => {
            let all = kinds.iter().map(|k| k.word()).collect::<Vec<_>>().join(" or ");
            let d =
                Diagnostic::new(Code::E0002, format!("unknown {all} `{}`", quote(name)), span, "not declared anywhere");
            match suggestion {
                Some(s) => d.with_help(format!("did you mean `{}`?", quote(s))).with_fix(span, s),
                None => {
                    let what = kinds.first().map_or("", |k| k.word());
                    d.with_help(format!("declare it with `{what} {} …` or import the file that does", quote(name)))
                }
            }
        }
        Unknown::Label { name, actor, label } => {
            Diagnostic::new(Code::E0002, format!("unknown actor `{}`", quote(name)), span, "not declared anywhere")
                .with_help(format!(
                    "actor `{}` is labelled \"{}\": write its name, `{}`",
                    quote(actor),
                    quote(label),
                    quote(actor)
                ))
                .with_fix(span, actor)
        }
        Unknown::GapReason { name, reasons, suggestion } => {
            let d =
                Diagnostic::new(Code::E0002, format!("unknown gap reason `{}`", quote(name)), span, "not a gap reason");
            match suggestion {
                Some(s) => d.with_help(format!("did you mean `{}`?", quote(s))).with_fix(span, s),
                None => d.with_help(format!("the reasons are {}", reasons.join(", "))),
            }
        }
    }
}

/// E0003: `name` is `found` where one of `wanted` is needed; `defined` is
/// its declaration (none for a built-in).
pub fn e0003(
    name: &str,
    found: DeclarationKind,
    wanted: &[DeclarationKind],
    defined: Option<Span>,
    suggestion: Option<&str>,
    span: Span,
) -> Diagnostic {
    let wanted = wanted.iter().map(|k| k.article()).collect::<Vec<_>>().join(" or ");
    let mut d = Diagnostic::new(
        Code::E0003,
        format!("`{}` is {}, but {wanted} is needed here", quote(name), found.article()),
        span,
        format!("{}, not {wanted}", found.word()),
    );
    if let Some(s) = defined {
        d = d.with_label(s, format!("`{}` is defined here", quote(name)));
    }
    if let Some(s) = suggestion {
        d = d.with_help(format!("did you mean `{}`?", quote(s))).with_fix(span, s);
    }
    d
}

/// What is defined twice (E0004).
pub enum Duplicate<'a> {
    /// A global name, declared as `kind`, first declared as `first_kind`
    /// at `first` (none: a built-in).
    Name { name: &'a str, kind: DeclarationKind, first_kind: DeclarationKind, first: Option<Span> },
    /// A rung listed twice on the ladder.
    Rung { name: &'a str, first: Span },
    /// An obligation named twice in one alliance.
    Obligation { name: &'a str, alliance: &'a str, first: Span },
}

pub fn e0004(duplicate: Duplicate<'_>, span: Span) -> Diagnostic {
    match duplicate {
        Duplicate::Name { name, kind, first_kind, first } => {
            let d = Diagnostic::new(
                Code::E0004,
                format!("`{}` is defined more than once", quote(name)),
                span,
                format!("defined again here as {}", kind.article()),
            );
            match first {
                Some(s) => d
                    .with_label(s, format!("first defined here as {}", first_kind.article()))
                    .with_help("names are global across all imported files: rename one of them"),
                None => d.with_help(format!(
                    "`{}` is a built-in {}: use it without declaring it, or choose another name",
                    quote(name),
                    first_kind.word()
                )),
            }
        }
        Duplicate::Rung { name, first } => {
            Diagnostic::new(Code::E0004, format!("rung `{}` is on the ladder twice", quote(name)), span, "again here")
                .with_label(first, "first here")
                .with_help("each rung appears once, from lowest to highest")
        }
        Duplicate::Obligation { name, alliance, first } => Diagnostic::new(
            Code::E0004,
            format!("obligation `{}` is defined twice in `{}`", quote(name), quote(alliance)),
            span,
            "defined again here",
        )
        .with_label(first, "first defined here")
        .with_help("rename one of them"),
    }
}

/// E0012: `name` is not on `ladder`.
pub fn e0012(name: &str, ladder: &[&str], suggestion: Option<&str>, span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0012,
        format!("`{}` is not a rung of the escalation ladder", quote(name)),
        span,
        "not on the ladder",
    );
    match suggestion {
        Some(s) => {
            d.with_help(format!("did you mean `{}`? The ladder is: {}", quote(s), ladder.join(", "))).with_fix(span, s)
        }
        None => d.with_help(format!("the ladder is: {} (set it with `settings {{ ladder: […] }}`)", ladder.join(", "))),
    }
}

/// W0008: `name` listed again in one list of actors.
pub fn w0008(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::W0008, format!("`{}` is listed twice", quote(name)), span, "listed again")
        .with_help("remove the second mention")
}

// ---------------------------------------------------------------- values

/// E0007: a probability out of range, in the words of
/// `check::values::probability_problem`, which the command line's what-ifs
/// (`--set NAME.credibility=…`) share.
pub fn e0007(message: String, help: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0007, message, span, "out of range").with_help(help)
}

/// E0008: a negative capability in `domain`.
pub fn e0008(domain: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0008, format!("capability `{}` is negative", quote(domain)), span, "below zero")
        .with_help("capabilities are non-negative; write 0 for none")
}

/// E0009: the `since` at `since` is after the `until` at `until`.
pub fn e0009(since: Span, until: Span) -> Diagnostic {
    Diagnostic::new(Code::E0009, "`since` is after `until`", since, "starts here")
        .with_label(until, "but ends here, earlier")
        .with_help("swap the dates, or fix the one that is wrong")
}

/// What is given twice in one block (E0016); `first` is the first one.
pub enum Twice<'a> {
    /// A field, by its key.
    Field { key: &'a str, first: Span },
    /// A capability, by its domain.
    Capability { domain: &'a str, first: Span },
    /// The analysis period, by `year` and by `date`.
    Period { first: Span },
}

pub fn e0016(twice: Twice<'_>, span: Span) -> Diagnostic {
    match twice {
        Twice::Field { key, first } => {
            Diagnostic::new(Code::E0016, format!("`{key}` is given twice"), span, "given again here")
                .with_label(first, "first given here")
                .with_help("keep one of them")
        }
        Twice::Capability { domain, first } => Diagnostic::new(
            Code::E0016,
            format!("capability in `{}` is given twice", quote(domain)),
            span,
            "given again here",
        )
        .with_label(first, "first given here")
        .with_help("keep one of them"),
        Twice::Period { first } => {
            Diagnostic::new(Code::E0016, "`year` and `date` both set the analysis period", span, "set again here")
                .with_label(first, "first set here")
                .with_help("keep one: `date` for one day, `year` for a whole year")
        }
    }
}

/// A number, year or date that cannot be used (E0017).
pub enum BadNumber<'a> {
    /// A literal too large to represent, as `written`; a probability's
    /// help says which range it wants.
    OutOfRange { written: &'a str, probability: bool },
    /// A date, as `written`, that is no day of the calendar.
    NotADate { written: &'a str },
    /// `what` (`a year`, `` `samples` ``) must be whole, from `min` to `max`.
    NotWhole { what: &'a str, min: f64, max: f64 },
    /// `deterrence_ratio` must be positive.
    DeterrenceRatio,
}

pub fn e0017(bad: BadNumber<'_>, span: Span) -> Diagnostic {
    match bad {
        BadNumber::OutOfRange { written, probability } => {
            let help = if probability { "write a percentage between 0% and 100%" } else { "write a finite number" };
            Diagnostic::new(
                Code::E0017,
                format!("number `{}` is out of range", quote(written)),
                span,
                "too large to represent",
            )
            .with_help(help)
        }
        BadNumber::NotADate { written } => {
            Diagnostic::new(Code::E0017, format!("`{}` is not a date", quote(written)), span, "no such day")
                .with_help("dates are ISO `YYYY-MM-DD` days of the Gregorian calendar")
        }
        BadNumber::NotWhole { what, min, max } => Diagnostic::new(
            Code::E0017,
            format!("{what} must be a whole number from {min} to {max}"),
            span,
            "not allowed here",
        )
        .with_help(format!("write {what} as a whole number between {min} and {max}")),
        BadNumber::DeterrenceRatio => {
            Diagnostic::new(Code::E0017, "`deterrence_ratio` must be greater than 0", span, "not positive")
                .with_help("1.0 means: deterred when defence at least matches the aggressor")
        }
    }
}

/// E0081: a capability in `domain` above `limit`.
pub fn e0081(domain: &str, limit: f64, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0081, format!("capability `{}` is larger than {limit:e}", quote(domain)), span, "too large")
        .with_help("rescale the file's capabilities (an index of 0 to 100, or COW CINC × 1000)")
}

// ---------------------------------------------------------------- declarations

/// E0010: `member` in a commitment's condition.
pub fn e0010(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0010,
        "`member` is only meaningful inside an alliance",
        span,
        "outside an alliance obligation",
    )
    .with_help("in a commitment, name the actor; an `attack` without `on` is an attack on the commitment's target")
}

/// E0011: `alliance` with `members` members (fewer than two).
pub fn e0011(alliance: &str, members: usize, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0011,
        format!("alliance `{}` has {members} member{}", quote(alliance), if members == 1 { "" } else { "s" }),
        span,
        "an alliance needs at least two members",
    )
    .with_help("add the other members, or write a `commitment` for a one-sided promise")
}

/// E0013: `actors` (names) bound to respond at `nuclear` without a
/// nuclear capability.
pub fn e0013(actors: &[&str], span: Span) -> Diagnostic {
    let names: Vec<String> = actors.iter().map(|a| format!("`{}`", quote(a))).collect();
    Diagnostic::new(
        Code::E0013,
        format!("{} cannot respond at `nuclear`: no nuclear capability", names.join(", ")),
        span,
        "requires a nuclear response",
    )
    .with_help("give the actor a `nuclear` capability, or choose a lower `response` rung")
}

/// E0014: `region` lies within itself.
pub fn e0014(region: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0014,
        format!("region `{}` contains itself", quote(region)),
        span,
        "part of a containment cycle",
    )
    .with_help("containment must be acyclic: remove one `contains` entry of the cycle")
}

/// E0015: a `settings` block after the `first`.
pub fn e0015(first: Span, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0015, "more than one `settings` block", span, "another `settings` block")
        .with_label(first, "the first one is here")
        .with_help("merge them: a compilation has at most one `settings` block")
}

/// E0022: `ladder: []`.
pub fn e0022(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0022, "the escalation ladder is empty", span, "no rungs")
        .with_help("list the rungs from lowest to highest, e.g. `[crisis, limited_war, general_war]`")
}

/// Where an actor was named that cannot act (W0009).
pub enum Acting {
    Alliance,
    Commitment,
}

/// W0009: `actor`, in an `except`, does not act under the provision.
pub fn w0009(actor: &str, acting: Acting, span: Span) -> Diagnostic {
    let who = match acting {
        Acting::Alliance => "a member of this alliance",
        Acting::Commitment => "the actor of this commitment",
    };
    Diagnostic::new(Code::W0009, format!("`{}` is not {who}", quote(actor)), span, "does not act here")
        .with_help("`except` sets the credibility of an actor that acts under this obligation")
}

/// What is wrong with a `// dtr: allow(…)` comment (W0010).
pub enum Allow<'a> {
    /// `code` is not a diagnostic code; `suggestion` is the warning code
    /// closest to it.
    Unknown { code: &'a str, suggestion: Option<&'a str> },
    /// `code` is an error, which no comment silences.
    Error { code: &'a str },
    /// The comment is below the last declaration.
    Nothing,
}

/// W0010: a suppression comment that silences nothing.
pub fn w0010(what: Allow, span: Span) -> Diagnostic {
    match what {
        Allow::Unknown { code, suggestion } => {
            let d = Diagnostic::new(
                Code::W0010,
                format!("`{}` is not a warning code", quote(code)),
                span,
                "no such warning",
            );
            match suggestion {
                Some(s) => d.with_help(format!("did you mean `{s}`?")).with_fix(span, s),
                None => d.with_help("warning codes are W followed by four digits; `dtr explain CODE` lists what each is"),
            }
        }
        Allow::Error { code } => Diagnostic::new(
            Code::W0010,
            format!("`{}` is an error, and errors cannot be allowed", quote(code)),
            span,
            "an error code",
        )
        .with_help("fix the error instead; only warnings (W codes) can be allowed"),
        Allow::Nothing => {
            Diagnostic::new(Code::W0010, "`dtr: allow` below the last declaration applies to nothing", span, "applies to nothing")
                .with_help("put it directly above the declaration it is for, or above the first one, followed by an empty line, for the whole file")
        }
    }
}

// ---------------------------------------------------------------- lints

/// W0001: a `kind` named `name`, declared in the root file, never used.
pub fn w0001(kind: DeclarationKind, name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::W0001,
        format!("{} `{}` is never used", kind.word(), quote(name)),
        span,
        "declared here, never referred to",
    )
    .with_help("refer to it from an alliance, commitment, threat or scenario, or remove it")
}

/// What names itself as its own target (W0002).
pub enum ToItself<'a> {
    /// Commitment `name` of `actor` to `actor`.
    Commitment { name: &'a str, actor: &'a str },
    /// A threat of `actor` against itself.
    Threat { actor: &'a str },
    /// An opening attack of `actor` on itself.
    Opening { actor: &'a str },
}

pub fn w0002(to_itself: ToItself<'_>, span: Span) -> Diagnostic {
    match to_itself {
        ToItself::Commitment { name, actor } => {
            let message = format!("`{}` is a commitment of `{}` to itself", quote(name), quote(actor));
            Diagnostic::new(Code::W0002, message, span, "actor and target are the same")
                .with_help("a commitment binds one actor towards another")
        }
        ToItself::Threat { actor } => Diagnostic::new(
            Code::W0002,
            format!("`{}` threatens itself", quote(actor)),
            span,
            "aggressor among the targets",
        )
        .with_help("remove the aggressor from the targets"),
        ToItself::Opening { actor } => Diagnostic::new(
            Code::W0002,
            format!("`{}` attacks itself", quote(actor)),
            span,
            "aggressor and victim are the same",
        )
        .with_help("an opening attack needs two different actors"),
    }
}

/// A provision as W0003 names it.
pub enum Provision<'a> {
    Alliance(&'a str),
    Obligation { alliance: &'a str, name: &'a str },
    Commitment(&'a str),
}

/// W0003: `provision` is not in force in the analysis period, which the
/// setting `key` (`year` or `date`) sets.
pub fn w0003(provision: Provision<'_>, key: &str, span: Span) -> Diagnostic {
    let what = match provision {
        Provision::Alliance(name) => format!("alliance `{}`", quote(name)),
        Provision::Obligation { alliance, name } => format!("obligation `{}.{}`", quote(alliance), quote(name)),
        Provision::Commitment(name) => format!("commitment `{}`", quote(name)),
    };
    Diagnostic::new(
        Code::W0003,
        format!("{what} is not in force in the analysis period"),
        span,
        "excludes the analysis period",
    )
    .with_help(format!(
        "it is left out of the analysis; change `settings {{ {key}: … }}` or the dates if that is not intended"
    ))
}

/// W0004: attack plan `name` has no `when`.
pub fn w0004(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::W0004, format!("attack plan `{}` has no `when`", quote(name)), span, "never fires")
        .with_help("add `{ when: … }` saying what sets the plan in motion")
}

/// W0005: `aggressor` threatens `target`, whose nonaggression promise is
/// at `promise`.
pub fn w0005(aggressor: &str, target: &str, promise: Span, span: Span) -> Diagnostic {
    let message = format!("`{}` threatens `{}`, its nonaggression partner", quote(aggressor), quote(target));
    Diagnostic::new(Code::W0005, message, span, "threat against a partner")
        .with_label(promise, "the nonaggression promise")
        .with_help("if the promise is expected to hold, the threat is moot; if not, say so in the promise's dates or credibility")
}

/// W0006: `actor` plans to attack `target` but promised it `kind`
/// (`neutral`, `nonaggression`) at `promise`.
pub fn w0006(actor: &str, target: &str, kind: &str, promise: Span, span: Span) -> Diagnostic {
    let message = format!("`{}` plans to attack `{}` but promised it {kind}", quote(actor), quote(target));
    Diagnostic::new(Code::W0006, message, span, "the attack plan")
        .with_label(promise, format!("the {kind} promise"))
        .with_help(
            "the plan is reported as a conflict whenever the promise applies; date one of them if they do not overlap",
        )
}

/// W0007: the condition of provision `name` can never match.
pub fn w0007(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::W0007, format!("the condition of `{}` can never match", quote(name)), span, "never fires")
        .with_help("its clauses contradict each other, or name no actor it protects")
}

/// W0011: the `defend` obligation `name` has members `aggressor` and
/// `victim`, and the first attacks the second at `attack` (an opening or a
/// threat).
pub fn w0011(name: &str, aggressor: &str, victim: &str, attack: Span, span: Span) -> Diagnostic {
    let message = format!(
        "`{}` can call members to both sides: `{}` and `{}` are both members",
        quote(name),
        quote(aggressor),
        quote(victim)
    );
    Diagnostic::new(Code::W0011, message, span, "defends any attacked member, provoked or not")
        .with_label(attack, format!("`{}` attacks `{}`", quote(aggressor), quote(victim)))
        .with_help(
            "a counter-attack on the aggressor calls the others to defend it too; a member already fighting it does not \
             fire (a side conflict, §5 rule 5). To defend only the victims of unprovoked attacks, write \
             `when: unprovoked attack on member`; to answer only the war's opening attacks, \
             `when: opening attack on member`",
        )
}

/// W0030: `left_out` diagnostics past the first `limit`, the first of them
/// at `span`.
pub fn w0030(left_out: usize, limit: usize, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::W0030,
        format!("{left_out} more diagnostics not shown: at most {limit} are reported"),
        span,
        "the first one not shown is here",
    )
    .with_help("fix the diagnostics shown and check again")
}

// ---------------------------------------------------------------- formatter and analysis

/// E0040: the formatter's output would not mean what the input meant.
pub fn e0040(span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0040, "the formatter would change this file's meaning", span, "formatting stops here")
        .with_help("this is a bug in `dtr fmt`; the file is left unchanged. Please report it with the file attached")
}

/// E0023: an `expect` line that does not hold; `computed` says what the
/// model computed.
pub fn e0023(computed: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0023, "expectation does not hold", span, format!("computed: {computed}"))
        .with_help("the model computed what the label says; fix the model, or the expectation if the model is right")
}

// ---------------------------------------------------------------- dtr sweep

/// E0090: `name` in `--attackers` or `--targets` is no actor of the model.
pub fn e0090(name: &str, suggestion: Option<&str>, span: Span) -> Diagnostic {
    let message = if name.is_empty() { "empty actor name".to_string() } else { format!("no actor named `{name}`") };
    let help = match suggestion {
        Some(c) => format!("did you mean `{c}`?"),
        None => "give actor names as declared (case-sensitive), separated by commas".to_string(),
    };
    Diagnostic::new(Code::E0090, message, span, "not an actor of the model").with_help(help)
}

/// E0091: `--shard` as `written`, and `why` it is not `I/N`.
pub fn e0091(written: &str, why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0091, format!("invalid --shard `{written}`: {why}"), span, "expected I/N")
        .with_help("--shard I/N runs shard I of N, numbered from 1: 1/4, 2/4, 3/4, 4/4")
}

/// E0092: two sweep outputs that `differ` (`were computed from different
/// models`, …), at `span` and at `other`.
pub fn e0092(differ: &str, other: Span, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0092, format!("these sweep outputs {differ}"), span, "this differs")
        .with_label(other, "from this")
        .with_help("merge the outputs of one `dtr sweep FILE --shard I/N` run per shard: the same file, options and N")
}

/// What is wrong with a sweep's set of shards (E0093).
pub enum Shards<'a> {
    /// Shard `shard` (`2/4`) given again; the first at `first`.
    Repeated { shard: &'a str, first: Span, count: u32 },
    /// Shard `shard` holds `holds` attacks of `total`, not its `share`.
    Incomplete { shard: &'a str, holds: usize, total: usize, share: usize },
    /// Shards missing from a sweep in `count` (the first few, and how
    /// many more).
    Missing { missing: &'a [String], count: u32 },
    /// The attack `attack` (`A → B`) in shard `shard`, though it was dealt
    /// to shard `dealt`.
    Misdealt { attack: &'a str, dealt: &'a str, shard: &'a str },
    /// The attack `attack` (`A → B`) in a second place.
    AttackTwice { attack: &'a str },
}

pub fn e0093(shards: Shards<'_>, span: Span) -> Diagnostic {
    match shards {
        Shards::Repeated { shard, first, count } => {
            Diagnostic::new(Code::E0093, format!("shard {shard} is given twice"), span, "again here")
                .with_label(first, "first here")
                .with_help(format!("give each shard's output once, 1/{count} to {count}/{count}"))
        }
        Shards::Incomplete { shard, holds, total, share } => Diagnostic::new(
            Code::E0093,
            format!("shard {shard} holds {holds} attacks; its share of {total} is {share}"),
            span,
            "incomplete or edited",
        )
        .with_help("write the shard's output again with `dtr sweep … --shard I/N --format json`"),
        Shards::Missing { missing, count } => {
            let (noun, verb) = if missing.len() == 1 { ("shard", "is") } else { ("shards", "are") };
            Diagnostic::new(
                Code::E0093,
                format!("{noun} {} {verb} missing", missing.join(", ")),
                span,
                format!("a sweep in {count} shards"),
            )
            .with_help(format!("give every shard's output, 1/{count} to {count}/{count}"))
        }
        Shards::Misdealt { attack, dealt, shard } => {
            misplaced(format!("attack {attack} belongs to shard {dealt}, not {shard}"), span)
        }
        Shards::AttackTwice { attack } => misplaced(format!("attack {attack} is given twice"), span),
    }
}

/// E0093 for an attack in a shard it was not dealt to, or in two.
fn misplaced(why: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0093, why, span, "edited")
        .with_help("attacks are dealt to the shards in turn; write the shard's output again with `dtr sweep … --shard I/N --format json`")
}

/// E0095: `dtr init` was asked to write a starter project into a folder
/// (`span`: the folder as given on its command line) that already holds
/// some of its `files`.
pub fn e0095(files: &[String], span: Span) -> Diagnostic {
    let list = files.iter().map(|f| format!("`{}`", quote(f))).collect::<Vec<_>>().join(", ");
    let what = if files.len() == 1 { "a file" } else { "files" };
    Diagnostic::new(
        Code::E0095,
        format!("`dtr init` would overwrite {list}"),
        span,
        format!("already holds {what} of the starter project"),
    )
    .with_help("nothing was written: give `dtr init` a new or empty folder, or move these files away first")
}

/// Why a file is not a sweep's output (E0094).
pub enum NotSweep<'a> {
    /// JSON that does not parse as a sweep: `what` (`not JSON`,
    /// `unexpected structure`) and the parser's `error`.
    Unreadable { what: &'a str, error: &'a str },
    /// Of another version than `reads` (`found`: none).
    Version { found: Option<u64>, reads: u32 },
    /// A shard numbered outside 1 to its count.
    NoSuchShard { index: u32, count: u32 },
    /// Contents a sweep cannot have written: `why`.
    Edited { why: &'a str },
    /// Results that do not match the output's `results_digest`.
    Resealed,
}

pub fn e0094(not_sweep: NotSweep<'_>, span: Span) -> Diagnostic {
    match not_sweep {
        NotSweep::Unreadable { what, error } => {
            Diagnostic::new(Code::E0094, format!("not the JSON output of `dtr sweep`: {what}"), span, error)
                .with_help("give the files written by `dtr sweep --format json --shard I/N`")
        }
        NotSweep::Version { found, reads } => {
            let found = found.map_or("no version".to_string(), |v| format!("version {v}"));
            Diagnostic::new(
                Code::E0094,
                format!("sweep output of {found}; this dtr reads version {reads}"),
                span,
                "unsupported version",
            )
            .with_help("run every shard and the merge with the same version of dtr")
        }
        NotSweep::NoSuchShard { index, count } => Diagnostic::new(
            Code::E0094,
            format!("not the JSON output of `dtr sweep`: there is no shard {index}/{count}"),
            span,
            "shards are numbered from 1 to their count",
        )
        .with_help("give the files written by `dtr sweep --format json --shard I/N`"),
        NotSweep::Edited { why } => {
            Diagnostic::new(Code::E0094, format!("edited sweep output: {why}"), span, "edited or damaged")
                .with_help(WRITE_AGAIN)
        }
        NotSweep::Resealed => Diagnostic::new(
            Code::E0094,
            "edited sweep output: its results were changed after it was written",
            span,
            "does not match the results",
        )
        .with_help(WRITE_AGAIN),
    }
}

const WRITE_AGAIN: &str = "write the shard's output again with `dtr sweep … --shard I/N --format json`";

#[cfg(test)]
mod tests {
    use super::{Code, thousands};
    use std::path::Path;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(4_000_000), "4,000,000");
        assert_eq!(thousands(8_997_000), "8,997,000");
    }

    /// Every code has its constructor here, and no other module of the
    /// library words a diagnostic (their tests aside).
    #[test]
    fn every_code_is_worded_here_and_only_here() {
        let here = include_str!("messages.rs");
        for code in Code::ALL {
            assert!(here.contains(&format!("Code::{code},")), "no constructor for {code}");
        }
        let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("source folder").filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("diagnostic/messages.rs") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                    assert!(
                        !code.contains("Diagnostic::new("),
                        "{} words a diagnostic itself: use diagnostic::messages",
                        path.display()
                    );
                }
            }
        }
    }
}
