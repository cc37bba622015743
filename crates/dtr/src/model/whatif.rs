//! What-if overrides given on the command line without editing the file:
//! `ACTOR.resolve=40%`, `PROVISION.credibility=0.6` (a commitment's name or
//! `ALLIANCE.obligation`), and another analysis period (`1914`,
//! `1914-07-28`).

use super::Model;
use crate::check::program::Period;
use crate::check::suggest::closest;
use crate::check::values::{MAX_YEAR, probability_problem};
use crate::syntax::{self, NotADate};

/// One `NAME.FIELD=VALUE` override, parsed but not yet resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub name: String,
    pub field: Field,
    /// A probability in [0, 1].
    pub value: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Resolve,
    Credibility,
}

impl std::str::FromStr for Override {
    type Err = String;

    fn from_str(text: &str) -> Result<Override, String> {
        let (target, value) = text.split_once('=').ok_or("expected NAME.FIELD=VALUE, e.g. USA.resolve=40%")?;
        let (name, field) = target.trim().rsplit_once('.').ok_or("expected NAME.FIELD before `=`")?;
        let field = match field {
            "resolve" => Field::Resolve,
            "credibility" => Field::Credibility,
            other => {
                return Err(format!("unknown field `{other}`: use `resolve` (actors) or `credibility` (provisions)"));
            }
        };
        Ok(Override { name: name.to_string(), field, value: probability(value.trim())? })
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

/// Applies an override to the model, or says which name is unknown.
pub fn apply(model: &mut Model, o: &Override) -> Result<(), String> {
    match o.field {
        Field::Resolve => {
            let Some(actor) = model.actor_named(&o.name) else {
                return Err(unknown("actor", &o.name, model.actors.iter().map(|a| a.name.as_str())));
            };
            model.set_resolve(actor, o.value);
        }
        Field::Credibility => {
            let Some(provision) = model.provision_named(&o.name) else {
                return Err(unknown(
                    "commitment or obligation",
                    &o.name,
                    model.provisions.iter().map(|s| s.name.as_str()),
                ));
            };
            model.set_credibility(provision, o.value);
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
    use super::{Field, Override, apply, parse_period};
    use crate::check::program::Period;
    use crate::model::testing::{actor, model};

    #[test]
    fn overrides_parse_and_apply() {
        let o: Override = "NATO.article5.credibility=60%".parse().unwrap();
        assert_eq!(o, Override { name: "NATO.article5".into(), field: Field::Credibility, value: 0.6 });
        let o: Override = "USA.resolve = 0.25".parse().unwrap();
        assert_eq!((o.field, o.value), (Field::Resolve, 0.25));
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
