//! What-if overrides given on the command line without editing the file:
//! any number a file sets (`ACTOR.resolve=40%`,
//! `ACTOR.capability.land=10`, `PROVISION.credibility=0.6` — a
//! commitment's name or `ALLIANCE.obligation` — its credibility for one
//! member `PROVISION.credibility.ACTOR=…`, `PROVISION.interoperability=…`,
//! `settings.deterrence_ratio=…` and the other numeric settings), ranges
//! of one of them (`USA.resolve=0%..100%:10%`), and another analysis
//! period (`1914`, `1914-07-28`). Values are read with the checker's rules
//! and words ([`crate::check::values`]).

use super::Model;
use crate::check::program::Period;
use crate::check::suggest::closest;
use crate::check::values::{MAX_CAPABILITY, MAX_YEAR, probability_problem};
use crate::syntax::{self, NotADate};

/// One `NAME.FIELD=VALUE` override, parsed but not yet resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub target: Target,
    pub value: f64,
}

/// What an override sets: `NAME.FIELD`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// An actor, a provision, or `settings`.
    pub name: String,
    pub field: Field,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// An actor's resolve.
    Resolve,
    /// An actor's capability in the named domain.
    Capability(String),
    /// A provision's credibility for every acting actor.
    Credibility,
    /// A provision's credibility for the named acting actor (its `except`).
    CredibilityFor(String),
    Interoperability,
    DeterrenceRatio,
    CredibilityFloor,
    Samples,
    Seed,
}

/// The most values a range (`A..B:STEP`) may hold: each is a whole analysis.
pub const RANGE_LIMIT: usize = 101;

/// The largest `samples` and `seed` a file may set.
const MAX_SAMPLES: f64 = 100_000_000.0;
const MAX_SEED: f64 = 9_007_199_254_740_992.0;

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = &self.name;
        match &self.field {
            Field::Resolve => write!(f, "{name}.resolve"),
            Field::Capability(d) => write!(f, "{name}.capability.{d}"),
            Field::Credibility => write!(f, "{name}.credibility"),
            Field::CredibilityFor(a) => write!(f, "{name}.credibility.{a}"),
            Field::Interoperability => write!(f, "{name}.interoperability"),
            Field::DeterrenceRatio => write!(f, "{name}.deterrence_ratio"),
            Field::CredibilityFloor => write!(f, "{name}.credibility_floor"),
            Field::Samples => write!(f, "{name}.samples"),
            Field::Seed => write!(f, "{name}.seed"),
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> Result<Target, String> {
        let text = text.trim();
        let split = |key: &str| text.split_once(key).filter(|(n, rest)| !n.is_empty() && !rest.is_empty());
        if let Some((name, domain)) = split(".capability.") {
            return Ok(Target { name: name.to_string(), field: Field::Capability(domain.to_string()) });
        }
        if let Some((name, actor)) = split(".credibility.") {
            return Ok(Target { name: name.to_string(), field: Field::CredibilityFor(actor.to_string()) });
        }
        let (name, field) = text.rsplit_once('.').ok_or("expected NAME.FIELD before `=`")?;
        let field = match (name, field) {
            ("settings", "deterrence_ratio") => Field::DeterrenceRatio,
            ("settings", "credibility_floor") => Field::CredibilityFloor,
            ("settings", "samples") => Field::Samples,
            ("settings", "seed") => Field::Seed,
            ("settings", other) => {
                return Err(format!(
                    "unknown setting `{other}`: use deterrence_ratio, credibility_floor, samples or seed"
                ));
            }
            (_, "resolve") => Field::Resolve,
            (_, "credibility") => Field::Credibility,
            (_, "interoperability") => Field::Interoperability,
            (_, other) => {
                return Err(format!(
                    "unknown field `{other}`: use `resolve` or `capability.DOMAIN` (actors), `credibility`, \
                     `credibility.ACTOR` or `interoperability` (provisions), or `settings.FIELD`"
                ));
            }
        };
        Ok(Target { name: name.to_string(), field })
    }
}

impl Target {
    /// Whether the field is a probability (written `40%`), not a number.
    pub fn is_probability(&self) -> bool {
        matches!(
            self.field,
            Field::Resolve
                | Field::Credibility
                | Field::CredibilityFor(_)
                | Field::Interoperability
                | Field::CredibilityFloor
        )
    }

    /// A value of this field as written in a file, within the checker's ranges.
    pub fn value(&self, text: &str) -> Result<f64, String> {
        let text = text.trim();
        match self.field {
            Field::Resolve | Field::Credibility | Field::CredibilityFor(_) | Field::Interoperability => {
                probability(text)
            }
            Field::CredibilityFloor => probability(text),
            Field::Capability(_) => number(text).and_then(|v| {
                if v < 0.0 {
                    Err(format!("capability {text} is negative"))
                } else if v > MAX_CAPABILITY {
                    Err(format!("capability {text} is larger than {MAX_CAPABILITY:e}"))
                } else {
                    Ok(v)
                }
            }),
            Field::DeterrenceRatio => {
                number(text).and_then(|v| if v > 0.0 { Ok(v) } else { Err(format!("{text} is not above 0")) })
            }
            Field::Samples => integer(text, 1.0, MAX_SAMPLES),
            Field::Seed => integer(text, 0.0, MAX_SEED),
        }
    }

    /// `A..B:STEP`: A, A + STEP, … up to B (at most [`RANGE_LIMIT`] values).
    pub fn range(&self, text: &str) -> Result<Vec<f64>, String> {
        let form = || format!("`{text}` is not a range such as 0%..100%:10% (FROM..TO:STEP)");
        let (bounds, step) = text.rsplit_once(':').ok_or_else(form)?;
        let (from, to) = bounds.split_once("..").ok_or_else(form)?;
        let (from, to, step) = (self.value(from)?, self.value(to)?, self.value(step)?);
        if step <= 0.0 {
            return Err(format!("the step of `{text}` is not above 0"));
        }
        if to < from {
            return Err(format!("`{text}` ends before it starts"));
        }
        let count = ((to - from) / step + 1e-9).floor() + 1.0;
        if count > RANGE_LIMIT as f64 {
            return Err(format!("`{text}` holds {count} values; at most {RANGE_LIMIT} (each is a whole analysis)"));
        }
        Ok((0..count as usize).map(|i| (from + step * i as f64).min(to)).collect())
    }
}

impl std::str::FromStr for Override {
    type Err = String;

    fn from_str(text: &str) -> Result<Override, String> {
        let (target, value) = text.split_once('=').ok_or("expected NAME.FIELD=VALUE, e.g. USA.resolve=40%")?;
        let target: Target = target.parse()?;
        let value = target.value(value)?;
        Ok(Override { target, value })
    }
}

/// `--vary NAME.FIELD=FROM..TO:STEP`: a field and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub target: Target,
    pub values: Vec<f64>,
}

impl std::str::FromStr for Range {
    type Err = String;

    fn from_str(text: &str) -> Result<Range, String> {
        let (target, range) =
            text.split_once('=').ok_or("expected NAME.FIELD=FROM..TO:STEP, e.g. USA.resolve=0%..100%:10%")?;
        let target: Target = target.parse()?;
        let values = target.range(range.trim())?;
        Ok(Range { target, values })
    }
}

/// `40%` or `0.4`, written as in a file, within 0–100%: refused with the
/// checker's words (E0007), so `50` gets the hint to write `50%`.
fn probability(text: &str) -> Result<f64, String> {
    let not_probability = || format!("`{text}` is not a probability such as 40% or 0.4");
    let (value, percent) = syntax::probability(text).filter(|(v, _)| v.is_finite()).ok_or_else(not_probability)?;
    match probability_problem(value, percent, text) {
        Some((message, help)) => Err(format!("{message}: {help}")),
        None => Ok(value),
    }
}

/// A finite number as a file writes one (`10`, `2.5`, `1e6`).
fn number(text: &str) -> Result<f64, String> {
    let valid = text.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    text.parse::<f64>().ok().filter(|v| valid && v.is_finite()).ok_or_else(|| format!("`{text}` is not a number"))
}

fn integer(text: &str, low: f64, high: f64) -> Result<f64, String> {
    let v = number(text)?;
    if v.fract() != 0.0 || v < low || v > high {
        return Err(format!("`{text}` is not a whole number from {low} to {high}"));
    }
    Ok(v)
}

/// Applies an override to the model, or says which name is unknown.
pub fn apply(model: &mut Model, o: &Override) -> Result<(), String> {
    let Target { name, field } = &o.target;
    let actor = |model: &Model, name: &str| {
        model.actor_named(name).ok_or_else(|| unknown("actor", name, model.actors.iter().map(|a| a.name.as_str())))
    };
    let provision = |model: &Model| {
        model
            .provision_named(name)
            .ok_or_else(|| unknown("commitment or obligation", name, model.provisions.iter().map(|s| s.name.as_str())))
    };
    match field {
        Field::Resolve => {
            let a = actor(model, name)?;
            model.set_resolve(a, o.value);
        }
        Field::Capability(domain) => {
            let a = actor(model, name)?;
            let Some(d) = model.domains.iter().position(|n| n == domain) else {
                return Err(unknown("domain", domain, model.domains.iter().map(String::as_str)));
            };
            model.set_capability(a, crate::vocabulary::DomainId(d as u32), o.value);
        }
        Field::Credibility => {
            let s = provision(model)?;
            model.set_credibility(s, o.value);
        }
        Field::CredibilityFor(member) => {
            let s = provision(model)?;
            let a = actor(model, member)?;
            if !model.provision(s).expanded_ids().any(|id| model.commitment(id).acting == a) {
                return Err(format!("`{member}` does not act on `{name}`"));
            }
            model.set_credibility_for(s, a, o.value);
        }
        Field::Interoperability => {
            let s = provision(model)?;
            model.set_interoperability(s, o.value);
        }
        Field::DeterrenceRatio => {
            model.settings.deterrence_ratio = o.value;
        }
        Field::CredibilityFloor => {
            model.settings.credibility_floor = o.value;
        }
        Field::Samples => {
            model.settings.samples = o.value as u64;
        }
        Field::Seed => {
            model.settings.seed = o.value as u64;
        }
    }
    Ok(())
}

fn unknown<'a>(kind: &str, name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(name, candidates) {
        Some(c) => format!("no {kind} named `{name}`; did you mean `{c}`?"),
        None => format!("no {kind} named `{name}`"),
    }
}

/// `1914` (the whole year) or `1914-07-28` (one day), as `settings {
/// year: … }` and `date: …` take them: years from −9999 to 9999 (`-431`),
/// dates with four-digit years.
pub fn parse_period(text: &str) -> Result<Period, String> {
    match syntax::date(text) {
        Ok((y, m, d)) => return Ok(Period::day(i64::from(y), m, d)),
        Err(NotADate::NoSuchDay) => return Err(format!("`{text}` is not a calendar date")),
        Err(NotADate::Form) => {}
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{text}` is neither a year (1914, -431) nor a date (1914-07-28)"));
    }
    let year = text.parse::<i64>().ok().filter(|y| y.abs() <= MAX_YEAR);
    year.map(Period::year).ok_or_else(|| format!("`{text}` is outside the years -{MAX_YEAR} to {MAX_YEAR}"))
}

#[cfg(test)]
mod tests {
    use super::{Field, Override, Range, Target, apply, parse_period};
    use crate::check::program::Period;
    use crate::model::testing::{actor, model};

    #[test]
    fn overrides_parse_and_apply() {
        let o: Override = "NATO.article5.credibility=60%".parse().unwrap();
        assert_eq!(o.target, Target { name: "NATO.article5".into(), field: Field::Credibility });
        assert_eq!(o.value, 0.6);
        let o: Override = "USA.resolve = 0.25".parse().unwrap();
        assert_eq!((o.target.field, o.value), (Field::Resolve, 0.25));
        assert_eq!(
            "USA.resolve=140%".parse::<Override>().unwrap_err(),
            "140% is not between 0% and 100%: a probability is a percentage from 0% to 100%"
        );
        // The checker's hint (E0007) for a percentage without `%`.
        assert_eq!(
            "USA.resolve=50".parse::<Override>().unwrap_err(),
            "50 is not a probability: write `50%`, or a fraction from 0 to 1"
        );
        assert!("USA.mood=1".parse::<Override>().unwrap_err().contains("unknown field"));
        for junk in ["NaN%", "inf", "", "%", "0x1", ".5", "1e999"] {
            assert!(
                format!("USA.resolve={junk}").parse::<Override>().unwrap_err().contains("not a probability such as"),
                "{junk}"
            );
        }
        assert!("USA.resolve=-0".parse::<Override>().unwrap().value.is_sign_positive());
        assert!("USA=1".parse::<Override>().is_err());

        let mut m = model("actor USA actor EST actor RUS\ncommitment guard: USA defends EST { credibility: 80% }");
        apply(&mut m, &"USA.resolve=50%".parse().unwrap()).unwrap();
        assert_eq!(m.actor(actor(&m, "USA")).resolve, 0.5);
        assert!((m.commitments[0].p - 0.4).abs() < 1e-12);
        apply(&mut m, &"guard.credibility=100%".parse().unwrap()).unwrap();
        assert_eq!(m.commitments[0].p, 0.5);
        let err = apply(&mut m, &"gaurd.credibility=1".parse().unwrap()).unwrap_err();
        assert_eq!(err, "no commitment or obligation named `gaurd`; did you mean `guard`?");
    }

    #[test]
    fn any_number_a_file_sets_can_be_overridden() {
        let o: Override = "USA.capability.land=10".parse().unwrap();
        assert_eq!((o.target.field, o.value), (Field::Capability("land".into()), 10.0));
        let o: Override = "NATO.article5.credibility.HUN=40%".parse().unwrap();
        assert_eq!(o.target, Target { name: "NATO.article5".into(), field: Field::CredibilityFor("HUN".into()) });
        assert_eq!(o.target.to_string(), "NATO.article5.credibility.HUN");
        assert_eq!("settings.deterrence_ratio=1.5".parse::<Override>().unwrap().value, 1.5);
        assert_eq!("settings.deterrence_ratio=0".parse::<Override>().unwrap_err(), "0 is not above 0");
        assert_eq!("USA.capability.land=-2".parse::<Override>().unwrap_err(), "capability -2 is negative");
        assert_eq!("USA.capability.land=1e16".parse::<Override>().unwrap_err(), "capability 1e16 is larger than 1e15");
        assert_eq!("USA.capability.land=inf".parse::<Override>().unwrap_err(), "`inf` is not a number");
        assert!("settings.samples=2.5".parse::<Override>().unwrap_err().contains("not a whole number"));
        assert!("settings.mood=1".parse::<Override>().unwrap_err().contains("unknown setting `mood`"));

        let mut m = model(
            "actor USA { capability { land: 5 } } actor GBR actor EST\n\
             alliance A { members: [USA, GBR, EST] obligation o defend { credibility: 80% } }",
        );
        apply(&mut m, &"USA.capability.land=10".parse().unwrap()).unwrap();
        assert_eq!(m.capability(actor(&m, "USA"), crate::vocabulary::DomainId(0)), 10.0);
        apply(&mut m, &"A.o.credibility.GBR=20%".parse().unwrap()).unwrap();
        let p: Vec<f64> = m.commitments.iter().map(|c| c.p).collect();
        assert_eq!(p, [0.8, 0.8, 0.2, 0.2, 0.8, 0.8]);
        apply(&mut m, &"A.o.interoperability=50%".parse().unwrap()).unwrap();
        assert!(m.commitments.iter().all(|c| c.interoperability == 0.5));
        let err = apply(&mut m, &"A.o.credibility.RUS=20%".parse().unwrap()).unwrap_err();
        assert_eq!(err, "no actor named `RUS`");
    }

    #[test]
    fn ranges_hold_every_step_up_to_the_end() {
        let r: Range = "USA.resolve=0%..100%:25%".parse().unwrap();
        assert_eq!(r.values, [0.0, 0.25, 0.5, 0.75, 1.0]);
        let r: Range = "USA.capability.land=0..10:4".parse().unwrap();
        assert_eq!(r.values, [0.0, 4.0, 8.0]);
        // Steps that do not add up exactly still reach the end.
        let r: Range = "USA.resolve=0..1:0.1".parse().unwrap();
        assert_eq!(r.values.len(), 11);
        assert!("USA.resolve=1..0:0.1".parse::<Range>().unwrap_err().contains("ends before it starts"));
        assert!("USA.resolve=0..1:0".parse::<Range>().unwrap_err().contains("step"));
        assert!("USA.resolve=0..1".parse::<Range>().unwrap_err().contains("FROM..TO:STEP"));
    }

    #[test]
    fn periods_are_years_or_dates() {
        assert_eq!(parse_period("1914"), Ok(Period::year(1914)));
        assert_eq!(parse_period("1914-07-28"), Ok(Period::day(1914, 7, 28)));
        assert!(parse_period("1914-02-30").is_err());
        // The years `settings { year: … }` accepts.
        assert_eq!(parse_period("-431"), Ok(Period::year(-431)));
        assert_eq!(parse_period("0"), Ok(Period::year(0)));
        assert_eq!(parse_period("-9999"), Ok(Period::year(-9999)));
        assert!(parse_period("10000").unwrap_err().contains("outside the years -9999 to 9999"));
        for junk in ["19x4", "--5", "-", "", "+5", "1914-7-28", "-1914-07-28"] {
            assert!(parse_period(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn another_period_changes_what_is_in_force() {
        let mut m = model(
            "settings { year: 2000 }\nactor USA actor EST actor RUS\ncommitment later: USA defends EST { since: 2010 }",
        );
        assert!(!m.commitments[0].in_force && m.index.defend.iter().all(Vec::is_empty));
        m.set_period(Some(Period::year(2020)));
        assert!(m.commitments[0].in_force && m.provisions[0].in_force);
        assert_eq!(m.index.defend.iter().map(Vec::len).sum::<usize>(), 1);
    }
}
