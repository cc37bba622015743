//! `dtr check`: diagnostics for each file and what it imports.

use super::fix::{self, FixArgs, Fixed};
use super::{Outcome, check_file, collect_files, use_color, verbosity};
use dtr::diagnostic::Diagnostic;
use dtr::diagnostic::{ci, render};
use std::collections::HashSet;
use std::path::PathBuf;

/// How `dtr check` prints diagnostics: one of the library's renderers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Short,
    Json,
    /// SARIF 2.1.0, for code scanning (docs/schema/sarif-schema-2.1.0.json).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the lines.
    Github,
}

/// The version of `check --format json`'s output (docs/schema/check.schema.json).
const JSON_VERSION: u32 = 1;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories searched for *.dtr, or patterns (default: the
    /// project's `include`, or the current directory); `-` reads standard
    /// input.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    stdin: super::stdin::StdinArgs,
    #[command(flatten)]
    fix: FixArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    deny_warnings: bool,
    /// Check again whenever a .dtr file or dtr.toml under the paths
    /// changes, until Ctrl-C.
    #[arg(long)]
    watch: bool,
}

pub fn run(mut args: Args) -> Outcome {
    if let Err(outcome) = super::stdin::setup(&args.paths, std::mem::take(&mut args.stdin)) {
        return outcome;
    }
    if args.fix.fix && args.paths.iter().any(|p| super::stdin::is(p)) {
        errln!("error: --fix rewrites files; standard input has none (`dtr check --fix FILE`)");
        return Outcome::Failed;
    }
    if args.watch {
        if args.paths.iter().any(|p| super::stdin::is(p)) {
            errln!("error: --watch needs files to watch; standard input has none");
            return Outcome::Failed;
        }
        return super::watch::run(&args.paths, || once(&args));
    }
    once(&args)
}

/// One check of every file.
fn once(args: &Args) -> Outcome {
    let files = match collect_files(&args.paths) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let mut would_change = 0;
    let color = use_color(std::io::stdout());
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut json_parts: Vec<serde_json::Value> = Vec::new();
    let mut sarif_results: Vec<serde_json::Value> = Vec::new();
    let mut seen = HashSet::new();
    let mut unreadable = 0;
    let mut human = String::new();
    for file in &files {
        let Ok(mut checked) = check_file(file) else {
            unreadable += 1;
            continue;
        };
        if args.fix.fix {
            match fix::file(file, checked, args.fix.dry_run) {
                Ok(Fixed::Checked(c)) => checked = *c,
                Ok(Fixed::WouldChange(changes)) => {
                    would_change += usize::from(changes);
                    continue;
                }
                Err(_) => {
                    unreadable += 1;
                    continue;
                }
            }
        }
        // A file imported by several roots is reported once.
        let fresh: Vec<Diagnostic> = checked
            .diagnostics
            .into_iter()
            .filter(|d| {
                let name = checked.sources.name(d.primary.span.file).to_string();
                seen.insert((name, d.primary.span.start, d.primary.span.end, d.code, d.message.clone()))
            })
            .collect();
        match args.format {
            Format::Json => {
                let text = render::json(&fresh, &checked.sources);
                if let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str(&text)
                    && let Some(serde_json::Value::Array(ds)) = o.remove("diagnostics")
                {
                    json_parts.extend(ds);
                }
            }
            Format::Sarif => sarif_results.extend(ci::sarif_results(&fresh, &checked.sources)),
            Format::Github => out!("{}", ci::github(&verbosity::shown(&fresh), &checked.sources)),
            Format::Short => {
                let shown = verbosity::shown(&fresh);
                out!("{}", render::render(&shown, &checked.sources, render::Format::Short, color));
            }
            Format::Human => {
                human.push_str(&render::human(&verbosity::shown(&fresh), &checked.sources, color));
            }
        }
        all.extend(fresh);
    }
    if args.fix.dry_run {
        noteln!("{would_change} of {} would be fixed", plural_files(files.len()).replace(" checked", ""));
        return if unreadable > 0 {
            Outcome::Failed
        } else if would_change > 0 {
            Outcome::Problems
        } else {
            Outcome::Clean
        };
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::json!({ "version": JSON_VERSION, "diagnostics": json_parts })),
        Format::Sarif => out!("{}", ci::sarif_log(sarif_results)),
        Format::Human => {
            out!("{human}");
            if verbosity::quiet() {
                return outcome(&all, unreadable, args.deny_warnings);
            }
            let summary = render::summary(&all);
            // A file that could not be read was not checked: the summary
            // must not count it among those with no problems.
            let unread = match unreadable {
                0 => String::new(),
                1 => "; 1 file could not be read".to_string(),
                n => format!("; {n} files could not be read"),
            };
            out!("{}: {}{unread}\n", plural_files(files.len() - unreadable), summary.trim_end());
        }
        Format::Short | Format::Github => {}
    }
    outcome(&all, unreadable, args.deny_warnings)
}

fn outcome(all: &[Diagnostic], unreadable: usize, deny_warnings: bool) -> Outcome {
    let errors = all.iter().any(Diagnostic::is_error);
    if unreadable > 0 {
        Outcome::Failed
    } else if errors || (deny_warnings && !all.is_empty()) {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

fn plural_files(n: usize) -> String {
    format!("{n} file{} checked", if n == 1 { "" } else { "s" })
}
