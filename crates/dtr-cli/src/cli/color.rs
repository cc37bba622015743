//! When `dtr` colours its output: `--color auto|always|never` (every
//! subcommand), and in `auto` the conventions of the environment: a
//! non-empty `NO_COLOR` turns colour off (no-color.org: an empty one does
//! not count), a non-empty `CLICOLOR_FORCE` other than `0` turns it on
//! where the output is not a terminal (a CI log that renders colour);
//! otherwise colour only on a terminal.

use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Choice {
    /// Colour on a terminal, as NO_COLOR and CLICOLOR_FORCE say.
    #[default]
    Auto,
    Always,
    Never,
}

static CHOICE: OnceLock<Choice> = OnceLock::new();

/// Takes the `--color` of the command line; called once, first.
pub fn set(choice: Choice) {
    let _ = CHOICE.set(choice);
}

/// Whether text written to `stream` is coloured.
pub fn enabled(stream: impl std::io::IsTerminal) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match CHOICE.get().copied().unwrap_or_default() {
        Choice::Always => true,
        Choice::Never => false,
        Choice::Auto if set("NO_COLOR") => false,
        Choice::Auto if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        Choice::Auto => stream.is_terminal(),
    }
}
