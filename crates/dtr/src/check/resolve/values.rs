//! Values of declarations: probabilities, whole numbers, years and
//! dates, validities, and fields given twice, each checked and reported
//! where it is written (E0007, E0009, E0016, E0017).

use super::Resolver;
use crate::check::program::{Period, Validity};
use crate::check::values::{MAX_YEAR, probability_problem};
use crate::diagnostic::messages::{self, BadNumber, Twice};
use crate::syntax::ast::{self, Field, Probability, TimePoint, TimeValue};

impl Resolver<'_> {
    pub(super) fn probability(&mut self, p: &Probability) -> f64 {
        let Some((message, help)) = probability_problem(p.value, p.percent, self.sources.slice(p.span)) else {
            return p.value;
        };
        self.push(messages::e0007(message, help, p.span));
        p.value.clamp(0.0, 1.0)
    }

    pub(super) fn integer(&mut self, n: &ast::Number, what: &str, min: f64, max: f64) -> Option<f64> {
        if n.value.is_nan() {
            return None; // an unreadable literal, already reported
        }
        if n.value.fract() == 0.0 && n.value >= min && n.value <= max {
            return Some(n.value);
        }
        self.push(messages::e0017(BadNumber::NotWhole { what, min, max }, n.span));
        None
    }

    /// The days a year or a date covers.
    pub(super) fn period(&mut self, t: &TimePoint) -> Option<Period> {
        match t.value {
            TimeValue::Day { year, month, day } => Some(Period::day(i64::from(year), month, day)),
            TimeValue::Year(y) => {
                let n = ast::Number { value: y, span: t.span };
                let max = MAX_YEAR as f64;
                let y = self.integer(&n, "a year", -max, max)? as i64;
                Some(Period::year(y))
            }
        }
    }

    /// `since`/`until` fields into a validity, with E0009 when reversed.
    pub(super) fn validity(&mut self, since: Option<&TimePoint>, until: Option<&TimePoint>) -> Validity {
        let s = since.and_then(|t| self.period(t).map(|p| (p.start, t.span)));
        let u = until.and_then(|t| self.period(t).map(|p| (p.end, t.span)));
        if let (Some((sd, ss)), Some((ud, us))) = (s, u)
            && sd > ud
        {
            self.push(messages::e0009(ss, us));
        }
        Validity::new(s, u)
    }

    /// Reports a field given twice in one block (blocks have a few fields:
    /// each is compared with those before it, without allocating).
    pub(super) fn once<T>(&mut self, fields: &[Field<T>], key: impl Fn(&T) -> &'static str) {
        for (i, f) in fields.iter().enumerate() {
            let k = key(&f.value);
            if k == "obligation" {
                continue;
            }
            if let Some(first) = fields[..i].iter().find(|g| key(&g.value) == k) {
                self.push(messages::e0016(Twice::Field { key: k, first: first.span }, f.span));
            }
        }
    }
}

/// A provision's validity within its alliance's: the later start, the
/// earlier end.
pub(super) fn intersect(outer: Validity, inner: Validity) -> Validity {
    Validity::new(
        match (outer.since(), inner.since()) {
            (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
            (a, b) => a.or(b),
        },
        match (outer.until(), inner.until()) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        },
    )
}
