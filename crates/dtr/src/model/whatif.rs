//! What-if overrides given on the command line without editing the file:
//! `ACTOR.resolve=40%`, `PROVISION.credibility=0.6` (a commitment's name or
//! `ALLIANCE.obligation`), and another analysis period (`1914`,
//! `1914-07-28`).

use super::Model;
use crate::check::program::Period;
use crate::check::suggest::closest;
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
            other => return Err(format!("unknown field `{other}`: use `resolve` (actors) or `credibility` (provisions)")),
        };
        Ok(Override { name: name.to_string(), field, value: probability(value.trim())? })
    }
}

/// `40%` or `0.4`, written as in a file, within 0–100%.
fn probability(text: &str) -> Result<f64, String> {
    let not_probability = || format!("`{text}` is not a probability such as 40% or 0.4");
    let value = syntax::probability(text).map(|(v, _)| v).filter(|v| v.is_finite()).ok_or_else(not_probability)?;
    if (0.0..=1.0).contains(&value) { Ok(value) } else { Err(format!("`{text}` is outside 0–100%")) }
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
                return Err(unknown("commitment or obligation", &o.name, model.provisions.iter().map(|s| s.name.as_str())));
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

/// `1914` (the whole year) or `1914-07-28` (one day), years 1–9999.
pub fn parse_period(text: &str) -> Result<Period, String> {
    match syntax::date(text) {
        Ok((y, m, d)) => return Ok(Period::day(i64::from(y), m, d)),
        Err(NotADate::NoSuchDay) => return Err(format!("`{text}` is not a calendar date")),
        Err(NotADate::Form) => {}
    }
    let year = text.parse::<u32>().ok().filter(|_| text.chars().all(|c| c.is_ascii_digit()));
    year.filter(|y| (1..=9999).contains(y))
        .map(|y| Period::year(i64::from(y)))
        .ok_or_else(|| format!("`{text}` is neither a year (1914) nor a date (1914-07-28)"))
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
        assert!("USA.resolve=140%".parse::<Override>().unwrap_err().contains("outside"));
        assert!("USA.mood=1".parse::<Override>().unwrap_err().contains("unknown field"));
        assert!("USA.resolve=NaN%".parse::<Override>().unwrap_err().contains("not a probability"));
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
        assert!(parse_period("-5").is_err());
        assert!(parse_period("19x4").is_err());
    }

    #[test]
    fn another_period_changes_what_is_in_force() {
        let mut m = model("settings { year: 2000 }\nactor USA actor EST actor RUS\ncommitment later: USA defends EST { since: 2010 }");
        assert!(!m.commitments[0].in_force && m.index.defend.iter().all(Vec::is_empty));
        m.set_period(Some(Period::year(2020)));
        assert!(m.commitments[0].in_force && m.provisions[0].in_force);
        assert_eq!(m.index.defend.iter().map(Vec::len).sum::<usize>(), 1);
    }
}
