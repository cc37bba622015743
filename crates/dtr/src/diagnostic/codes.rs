//! The stable diagnostic codes. A code is never reused or renumbered; each has
//! a long explanation in `crates/dtr/codes/CODE.md`, shown by `dtr explain CODE`.

use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($code:ident => $title:literal,)*) => {
        /// A stable diagnostic code: `E…` for errors, `W…` for warnings.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($code,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// One line saying what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$code => $title,)* }
            }

            /// The long explanation, with an example that triggers it and the fix.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!("../../codes/", stringify!($code), ".md")),)*
                }
            }
        }
    };
}

codes! {
    E0001 => "syntax error",
    E0002 => "unknown name",
    E0003 => "wrong kind of name",
    E0004 => "duplicate definition",
    E0005 => "import cycle",
    E0006 => "import cannot be read",
    E0007 => "probability outside 0–100%",
    E0008 => "negative capability",
    E0009 => "`since` after `until`",
    E0010 => "`member` outside an alliance",
    E0011 => "alliance with fewer than two members",
    E0012 => "rung not on the ladder",
    E0013 => "nuclear response without nuclear capability",
    E0014 => "region containment cycle",
    E0015 => "more than one `settings` block",
    E0016 => "field given twice",
    E0017 => "invalid number, year or date",
    E0018 => "invalid string escape",
    E0019 => "nesting too deep",
    E0020 => "file is not UTF-8 text",
    E0021 => "input too large",
    E0022 => "invalid ladder",
    E0023 => "expectation does not hold",
    E0040 => "formatter bug: output would change the meaning",
    E0080 => "import leaves the project directory",
    E0081 => "capability too large",
    E0090 => "unknown actor in --attackers or --targets",
    E0091 => "invalid --shard",
    E0092 => "sweep outputs do not belong together",
    E0093 => "sweep shards missing, repeated or incomplete",
    E0094 => "not a sweep output",
    E0095 => "`dtr init` would overwrite a file",
    W0001 => "unused declaration",
    W0002 => "commitment to oneself",
    W0003 => "commitment not in force in the analysis year",
    W0004 => "`attacks` plan without `when`",
    W0005 => "threat against a nonaggression partner",
    W0006 => "bound both to attack and to stay neutral",
    W0007 => "condition can never match",
    W0008 => "actor listed twice",
    W0009 => "`except` names an actor that does not act here",
    W0010 => "`dtr: allow` names no warning, or applies to nothing",
    W0011 => "`defend` can call members to both sides",
    W0030 => "too many diagnostics",
}

/// Whether a diagnostic stops compilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('E') { Severity::Error } else { Severity::Warning }
    }

    /// Parses `E0002` (case-insensitive).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
