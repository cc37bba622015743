//! The keys of `dtr.toml` (docs/config.md lists them): read from TOML's
//! spanned tables by hand rather than through serde, so that each unknown
//! key or wrong value is reported where it is written, with the closest
//! known key as a "did you mean", as the language's own names are.

use crate::check::program::Period;
use crate::check::suggest;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::whatif::parse_period;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// What the project does with a warning (`[lints]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning (the default).
    Warn,
    /// Reported as an error: the check fails.
    Deny,
}

const LEVELS: &[&str] = &["allow", "warn", "deny"];

/// The settings of a project file. Paths are as written, relative to the
/// file's folder ([`super::Project`] makes them absolute).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// `[files] include`: what `dtr check`, `test` and `fmt` work on when no
    /// path is given (default: the project's folder).
    pub include: Vec<PathBuf>,
    /// `[files] exclude`: gitignore-style patterns that directory walks in
    /// the project leave out.
    pub exclude: Vec<String>,
    /// `[lints]`: a level per warning code.
    pub lints: Vec<(Code, Level)>,
    /// `[analyze] year`: the default of `dtr analyze --year`.
    pub year: Option<Period>,
    /// `[analyze] scenario`: the default of `dtr analyze --scenario`.
    pub scenarios: Vec<String>,
    /// `[import]`: the default data files of `dtr import atop`.
    pub import: ImportPaths,
}

/// The published data `dtr import atop` reads (`[import]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPaths {
    pub members: Option<PathBuf>,
    pub alliances: Option<PathBuf>,
    pub states: Option<PathBuf>,
}

/// A mistake in the project file, at a byte range of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

impl Config {
    /// Reads a project file's text; every mistake in it is reported, not
    /// only the first.
    pub fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        let doc = DeTable::parse(text).map_err(|e| {
            vec![ConfigError { message: e.message().to_string(), span: e.span().unwrap_or(0..0), help: None }]
        })?;
        let mut config = Config::default();
        let mut errors = Vec::new();
        let mut read = Reader { errors: &mut errors };
        for (key, value) in doc.get_ref().iter() {
            let section = key.get_ref().as_ref();
            let Some(table) = read.table(section, value) else { continue };
            match section {
                "files" => read.files(table, &mut config),
                "lints" => read.lints(table, &mut config),
                "analyze" => read.analyze(table, &mut config),
                "import" => read.import(table, &mut config),
                _ => read.unknown(key, &["files", "lints", "analyze", "import"], "section"),
            }
        }
        // The tables are sorted by key: the mistakes are put back in the order of the file.
        errors.sort_by_key(|e| e.span.start);
        if errors.is_empty() { Ok(config) } else { Err(errors) }
    }

    /// The level the project gives `code`; None when it says nothing.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.lints.iter().find(|(c, _)| *c == code).map(|&(_, level)| level)
    }

    /// `diagnostics` with the lint levels applied: allowed warnings left
    /// out, denied ones made errors.
    pub fn apply_lints(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if self.lints.is_empty() {
            return diagnostics;
        }
        diagnostics
            .into_iter()
            .filter_map(|d| match self.level(d.code) {
                Some(Level::Allow) => None,
                Some(Level::Deny) => Some(d.deny()),
                Some(Level::Warn) | None => Some(d),
            })
            .collect()
    }
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

/// Reads values, collecting what is wrong with them.
struct Reader<'e> {
    errors: &'e mut Vec<ConfigError>,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: String, help: Option<String>) {
        self.errors.push(ConfigError { message, span, help });
    }

    fn unknown(&mut self, key: &Key, known: &[&str], what: &str) {
        let name = key.get_ref().as_ref();
        let help =
            suggest::closest(name, known.iter().copied()).map(|s| format!("did you mean `{s}`?")).or_else(|| {
                Some(format!(
                    "the known keys are {}",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ))
            });
        self.error(key.span(), format!("unknown {what} `{name}`"), help);
    }

    fn table<'v, 'i>(&mut self, name: &str, value: &'v Value<'i>) -> Option<&'v DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            let found = value.get_ref().type_str();
            self.error(value.span(), format!("`{name}` must be a table ([{name}]), not {found}"), None);
        }
        table
    }

    fn string<'v>(&mut self, name: &str, value: &'v Value) -> Option<&'v str> {
        let s = value.get_ref().as_str();
        if s.is_none() {
            let found = value.get_ref().type_str();
            self.error(value.span(), format!("`{name}` must be a string, not {found}"), None);
        }
        s
    }

    /// An array of strings; a lone string is an array of one.
    fn strings(&mut self, name: &str, value: &Value) -> Vec<String> {
        if let Some(s) = value.get_ref().as_str() {
            return vec![s.to_string()];
        }
        let Some(items) = value.get_ref().as_array() else {
            let found = value.get_ref().type_str();
            self.error(value.span(), format!("`{name}` must be an array of strings, not {found}"), None);
            return Vec::new();
        };
        items.iter().filter_map(|item| self.string(name, item).map(str::to_string)).collect()
    }

    fn files(&mut self, table: &DeTable, config: &mut Config) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "include" => config.include = self.strings("include", value).into_iter().map(PathBuf::from).collect(),
                "exclude" => config.exclude = self.strings("exclude", value),
                _ => self.unknown(key, &["include", "exclude"], "key in [files]"),
            }
        }
    }

    fn lints(&mut self, table: &DeTable, config: &mut Config) {
        let warnings: Vec<&str> =
            Code::ALL.iter().filter(|c| c.severity() == Severity::Warning).map(|c| c.as_str()).collect();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let code = match Code::parse(name) {
                Some(code) if code.severity() == Severity::Warning => code,
                Some(_) => {
                    let help = Some("only warnings (W codes) have a level; an error always fails the check".into());
                    self.error(key.span(), format!("`{name}` is an error, not a warning"), help);
                    continue;
                }
                None => {
                    self.unknown(key, &warnings, "warning code");
                    continue;
                }
            };
            let Some(level) = self.string(name, value) else { continue };
            let level = match level {
                "allow" => Level::Allow,
                "warn" => Level::Warn,
                "deny" => Level::Deny,
                other => {
                    let help = suggest::closest(other, LEVELS.iter().copied()).map_or_else(
                        || "a level is `allow`, `warn` or `deny`".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    self.error(value.span(), format!("unknown level `{other}`"), Some(help));
                    continue;
                }
            };
            config.lints.retain(|(c, _)| *c != code);
            config.lints.push((code, level));
        }
    }

    fn analyze(&mut self, table: &DeTable, config: &mut Config) {
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "year" => {
                    // `year = 1914` or `year = "1914-07-28"`, as --year takes them.
                    let text = match value.get_ref() {
                        DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().to_string()),
                        DeValue::String(s) => Some(s.to_string()),
                        other => {
                            let message = format!(
                                "`year` must be a year (1914) or a date (\"1914-07-28\"), not {}",
                                other.type_str()
                            );
                            self.error(value.span(), message, None);
                            None
                        }
                    };
                    if let Some(text) = text {
                        match parse_period(&text) {
                            Ok(period) => config.year = Some(period),
                            Err(e) => self.error(value.span(), e, None),
                        }
                    }
                }
                "scenario" => config.scenarios = self.strings("scenario", value),
                _ => self.unknown(key, &["year", "scenario"], "key in [analyze]"),
            }
        }
    }

    fn import(&mut self, table: &DeTable, config: &mut Config) {
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let slot = match name {
                "members" => &mut config.import.members,
                "alliances" => &mut config.import.alliances,
                "states" => &mut config.import.states,
                _ => {
                    self.unknown(key, &["members", "alliances", "states"], "key in [import]");
                    continue;
                }
            };
            if let Some(path) = self.string(name, value) {
                *slot = Some(PathBuf::from(path));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, Option<String>, &str)> {
        Config::parse(text).unwrap_err().into_iter().map(|e| (e.message, e.help, &text[e.span])).collect()
    }

    #[test]
    fn reads_every_key() {
        let config = Config::parse(
            "[files]\ninclude = [\"examples\"]\nexclude = \"fixtures/\"\n[lints]\nW0001 = \"allow\"\nw0003 = \"deny\"\n\
             [analyze]\nyear = 1914\nscenario = [\"july\"]\n[import]\nstates = \"data/states2016.csv\"\n",
        )
        .expect("valid");
        assert_eq!(config.include, [PathBuf::from("examples")]);
        assert_eq!(config.exclude, ["fixtures/"]);
        assert_eq!(config.lints, [(Code::W0001, Level::Allow), (Code::W0003, Level::Deny)]);
        assert_eq!(config.year, Some(Period::year(1914)));
        assert_eq!(config.scenarios, ["july"]);
        assert_eq!(config.import.states, Some(PathBuf::from("data/states2016.csv")));
        assert_eq!(Config::parse("[analyze]\nyear = \"1914-07-28\"").unwrap().year, Some(Period::day(1914, 7, 28)));
    }

    #[test]
    fn unknown_keys_are_errors_with_the_closest_known_one() {
        assert_eq!(
            errors("[lint]\nW0001 = \"allow\"\n[files]\nexclud = []\n"),
            [
                ("unknown section `lint`".into(), Some("did you mean `lints`?".into()), "lint"),
                ("unknown key in [files] `exclud`".into(), Some("did you mean `exclude`?".into()), "exclud"),
            ]
        );
    }

    #[test]
    fn wrong_values_are_errors_where_written() {
        let found =
            errors("[lints]\nW001 = \"allow\"\nE0002 = \"allow\"\nW0003 = \"dney\"\n[analyze]\nyear = 1914.5\n");
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].1.as_deref(), Some("did you mean `W0001`?"));
        assert_eq!(found[1].0, "`E0002` is an error, not a warning");
        assert_eq!((found[2].1.as_deref(), found[2].2), (Some("did you mean `deny`?"), "\"dney\""));
        assert!(found[3].0.starts_with("`year` must be a year"), "{found:?}");
        assert_eq!(errors("[files")[0].2, "");
    }

    #[test]
    fn levels_allow_and_deny() {
        let config = Config::parse("[lints]\nW0001 = \"allow\"\nW0008 = \"deny\"\n").unwrap();
        let checked =
            crate::check::check_source("t.dtr", "actor A\nactor B\nalliance X { members: [A, B, B] }\nactor C\n");
        let codes: Vec<_> = checked.diagnostics.iter().map(|d| (d.code, d.severity())).collect();
        assert_eq!(codes, [(Code::W0008, Severity::Warning), (Code::W0001, Severity::Warning)]);
        let applied: Vec<_> = config.apply_lints(checked.diagnostics).iter().map(|d| (d.code, d.severity())).collect();
        assert_eq!(applied, [(Code::W0008, Severity::Error)]);
    }
}
