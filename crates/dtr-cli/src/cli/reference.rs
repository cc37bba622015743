//! `dtr reference`: docs/cli.md, the reference of every command and
//! option, written from the clap definitions that parse the command line,
//! so that the page says what the binary does. A test
//! (tests/cli_reference.rs) fails when the page is not what this prints.

use super::{Cli, Outcome};
use clap::CommandFactory;
use std::fmt::Write;

pub fn run() -> Outcome {
    out!("{}", markdown());
    Outcome::Clean
}

fn markdown() -> String {
    let mut cli = Cli::command();
    cli.build();
    let mut page = String::from(
        "# Command line reference\n\n\
         Written by `dtr reference > docs/cli.md` from the definitions that parse the\n\
         command line; a test fails when this page and the binary disagree. README.md\n\
         says what each command is for, docs/config.md what `dtr.toml` sets.\n\n\
         Exit codes, for every command: 0 clean (warnings allowed), 1 problems found,\n\
         2 usage or I/O error.\n",
    );
    command(&mut page, &cli, "dtr");
    page
}

/// One command's section, then its subcommands'.
fn command(page: &mut String, cmd: &clap::Command, path: &str) {
    let _ = write!(page, "\n## `{path}`\n\n");
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        let _ = writeln!(page, "{about}\n");
    }
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ");
    let _ = writeln!(page, "```text\n{usage}\n```");
    // The global options and help are listed once, under `dtr`.
    let top = path == "dtr";
    let args: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter(|a| top || !(a.is_global_set() || ["help", "version"].contains(&a.get_id().as_str())))
        .collect();
    if !args.is_empty() {
        page.push_str("\n| argument | meaning |\n| --- | --- |\n");
        for arg in args {
            let cell = |s: String| s.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(page, "| {} | {} |", cell(name(arg)), cell(help(arg)));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        command(page, sub, &format!("{path} {}", sub.get_name()));
    }
}

fn name(arg: &clap::Arg) -> String {
    let value = arg.get_value_names().map(|v| v.join(" ")).unwrap_or_default();
    match (arg.get_short(), arg.get_long()) {
        (Some(s), Some(l)) if arg.get_action().takes_values() => format!("`-{s}`, `--{l} {value}`"),
        (Some(s), Some(l)) => format!("`-{s}`, `--{l}`"),
        (None, Some(l)) if arg.get_action().takes_values() => format!("`--{l} {value}`"),
        (None, Some(l)) => format!("`--{l}`"),
        (Some(s), None) => format!("`-{s}`"),
        (None, None) => format!("`{}`", if value.is_empty() { arg.get_id().as_str().to_uppercase() } else { value }),
    }
}

/// The help of an argument, with its possible values and its default.
fn help(arg: &clap::Arg) -> String {
    let mut text = arg.get_long_help().or(arg.get_help()).map(ToString::to_string).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    let values: Vec<String> =
        arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| format!("`{}`", v.get_name())).collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        let _ = write!(text, " One of {}.", values.join(", "));
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        let _ = write!(text, " Default: `{}`.", defaults.join(","));
    }
    text.trim().to_string()
}
