//! JSON as dtr writes it: serde's form of a value, every number rounded to
//! twelve decimal places. Probabilities are sums of products, and the
//! arithmetic leaves a 76.5% at 0.7649999999999973; no figure dtr reports
//! means anything past the twelfth place, so it is written 0.765. Streamed
//! like serde_json's own writers: a report need not be held twice. The
//! report and the sweep also hold their figures so rounded ([`tidy`]), so
//! their text and HTML show the figure the JSON holds.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use std::io;

/// `value` at twelve decimal places (the nearest `f64` to that decimal);
/// never a negative zero.
pub fn tidy(value: f64) -> f64 {
    if !value.is_finite() {
        return value;
    }
    format!("{value:.12}").parse::<f64>().map_or(value, |rounded| rounded + 0.0)
}

/// Writes `value` indented, as `serde_json::to_writer_pretty` does.
pub fn to_writer_pretty<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    value.serialize(&mut pretty_serializer(writer)).map_err(io::Error::from)
}

/// `value` indented, as `serde_json::to_string_pretty` gives it.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut out = Vec::new();
    to_writer_pretty(&mut out, value)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// Writes `value` on one line, as `serde_json::to_writer` does.
pub fn to_writer<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut json = serde_json::Serializer::with_formatter(writer, Tidy(CompactFormatter));
    value.serialize(&mut json).map_err(io::Error::from)
}

/// `value` on one line, as `serde_json::to_string` gives it.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut out = Vec::new();
    to_writer(&mut out, value)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// A serializer that builds the indented form: [`to_writer_pretty`] for
/// a caller that serializes piece by piece (a streamed array).
pub fn pretty_serializer<W: io::Write>(writer: W) -> serde_json::Serializer<W, impl Formatter> {
    serde_json::Serializer::with_formatter(writer, Tidy(PrettyFormatter::new()))
}

/// A formatter that rounds each `f64` and leaves the layout to `F`.
struct Tidy<F>(F);

impl<F: Formatter> Formatter for Tidy<F> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        self.0.write_f64(writer, tidy(value))
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_left_by_the_arithmetic_are_written_as_the_figure_they_stand_for() {
        assert_eq!(to_string(&[0.7649999999999973, 0.1 + 0.2, 0.5850000000000001]).unwrap(), "[0.765,0.3,0.585]");
        assert_eq!(to_string(&0.037000000000000005).unwrap(), "0.037");
    }

    #[test]
    fn figures_keep_twelve_places_and_large_ones_every_digit() {
        assert_eq!(to_string(&[1.0 / 3.0, 2e-12, 4e-13]).unwrap(), "[0.333333333333,2e-12,0.0]");
        assert_eq!(to_string(&[1234567.891, 1e20, 1990.0]).unwrap(), "[1234567.891,1e+20,1990.0]");
    }

    #[test]
    fn noise_around_zero_is_a_plain_zero_and_non_finite_stays_null() {
        assert_eq!(to_string(&[-1e-16, -0.0, f64::NAN]).unwrap(), "[0.0,0.0,null]");
    }

    #[test]
    fn the_indented_form_is_serde_jsons() {
        let value = serde_json::json!({ "a": [1, 2.5], "b": { "c": null } });
        assert_eq!(to_string_pretty(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap());
    }
}
