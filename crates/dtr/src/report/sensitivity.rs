//! Sensitivity reports: `dtr analyze --vary` (a result at every value of
//! one input: text, JSON, CSV) and `--tornado` (the inputs that move it
//! most: text, JSON), named like the main report.

use super::json::tidy;
use super::{VERSION, figure};
use crate::analysis::expectations::percent;
use crate::analysis::probability::{Estimate, Method};
use crate::analysis::sensitivity::{Input, Measure, SWING, Series, Tornado};
use crate::model::Model;
use crate::model::whatif::Target;
use serde::Serialize;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VaryReport {
    pub version: u32,
    pub file: String,
    /// `USA.resolve`.
    pub input: String,
    pub series: Vec<SeriesReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesReport {
    pub scenario: String,
    /// `P(reaching regional_war)` or `P(USA joins)`.
    pub result: String,
    pub points: Vec<PointReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointReport {
    pub value: f64,
    pub result: Estimate,
    pub method: Method,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TornadoReport {
    pub version: u32,
    pub file: String,
    /// How far each input is moved, down and up.
    pub swing: f64,
    pub scenarios: Vec<TornadoScenario>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TornadoScenario {
    pub scenario: String,
    pub result: String,
    pub base: Estimate,
    pub method: Method,
    pub bars: Vec<BarReport>,
    pub skipped: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BarReport {
    /// `USA.resolve` or `NATO.article5.credibility`, as `--set` writes it.
    pub input: String,
    pub value: f64,
    pub low: Estimate,
    pub high: Estimate,
    pub swing: f64,
}

fn result_name(model: &Model, measure: Measure, rung: Option<crate::vocabulary::RungId>) -> String {
    match (measure, rung) {
        (Measure::Joins(actor), _) => format!("P({} joins)", model.actor(actor).name),
        (Measure::TopRung, Some(rung)) => format!("P(reaching {})", model.rung_name(rung)),
        (Measure::TopRung, None) => "P(reaching the top rung): the scenario has no event".to_string(),
    }
}

pub fn vary(model: &Model, file: &str, target: &Target, measure: Measure, series: &[Series]) -> VaryReport {
    VaryReport {
        version: VERSION,
        file: file.to_string(),
        input: target.to_string(),
        series: series
            .iter()
            .map(|s| SeriesReport {
                scenario: model.scenarios[s.scenario.index()].name.clone(),
                result: result_name(model, measure, s.rung),
                points: s
                    .points
                    .iter()
                    .map(|p| PointReport { value: tidy(p.value), result: figure(p.result), method: p.method.clone() })
                    .collect(),
            })
            .collect(),
    }
}

pub fn tornado(model: &Model, file: &str, measure: Measure, tornadoes: &[Tornado]) -> TornadoReport {
    TornadoReport {
        version: VERSION,
        file: file.to_string(),
        swing: SWING,
        scenarios: tornadoes
            .iter()
            .map(|t| TornadoScenario {
                scenario: model.scenarios[t.scenario.index()].name.clone(),
                result: result_name(model, measure, t.rung),
                base: figure(t.base),
                method: t.method.clone(),
                bars: t
                    .bars
                    .iter()
                    .map(|b| BarReport {
                        input: match b.input {
                            Input::Resolve { actor } => format!("{}.resolve", model.actor(actor).name),
                            Input::Credibility { provision } => {
                                format!("{}.credibility", model.provision(provision).name)
                            }
                        },
                        value: tidy(b.value),
                        low: figure(b.low),
                        high: figure(b.high),
                        swing: tidy(b.swing),
                    })
                    .collect(),
                skipped: t.skipped,
            })
            .collect(),
    }
}

fn estimate(e: &Estimate) -> String {
    match e.interval {
        Some(i) => format!("{} [{}, {}]", percent(e.value), percent(i.low), percent(i.high)),
        None => percent(e.value),
    }
}

/// A value of the input: a percentage for a probability field.
fn value_text(value: f64, probability: bool) -> String {
    if probability { percent(value) } else { format!("{}", (value * 1e6).round() / 1e6) }
}

pub fn vary_text(report: &VaryReport, probability: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: results as {} varies", report.file, report.input);
    for s in &report.series {
        let _ = writeln!(out, "\nScenario {}", s.scenario);
        let rows = s.points.iter().map(|p| vec![value_text(p.value, probability), estimate(&p.result)]).collect();
        out.push_str(&super::text::table(&[&report.input, &s.result], &[0, 1], rows));
    }
    out
}

/// One row per scenario and value: `scenario,input,value,result,low,high`
/// (the interval is empty when exact). Names are identifiers, which need
/// no quoting.
pub fn vary_csv(report: &VaryReport) -> String {
    let mut out = String::from("scenario,input,value,result,p,low,high\n");
    for s in &report.series {
        for p in &s.points {
            let (low, high) =
                p.result.interval.map_or((String::new(), String::new()), |i| (i.low.to_string(), i.high.to_string()));
            let _ = writeln!(
                out,
                "{},{},{},{},{},{low},{high}",
                s.scenario, report.input, p.value, s.result, p.result.value
            );
        }
    }
    out
}

pub fn tornado_text(report: &TornadoReport) -> String {
    let mut out = String::new();
    let swing = percent(report.swing);
    let _ = writeln!(out, "{}: each input moved {swing} down and up (clamped to 0–100%)", report.file);
    for s in &report.scenarios {
        let _ = writeln!(out, "\nScenario {}: {} = {}", s.scenario, s.result, estimate(&s.base));
        if s.bars.is_empty() {
            let _ = writeln!(out, "  no input moves it");
        } else {
            let rows = s
                .bars
                .iter()
                .map(|b| {
                    vec![
                        b.input.clone(),
                        percent(b.value),
                        estimate(&b.low),
                        estimate(&b.high),
                        // A real but invisible swing (many defenders at 85%) is not 0%.
                        if b.swing < 0.0005 { "<0.05%".to_string() } else { percent(b.swing) },
                        "#".repeat((b.swing * 40.0).round() as usize),
                    ]
                })
                .collect();
            let header = ["input", "value", &format!("-{swing}"), &format!("+{swing}"), "swing", ""];
            out.push_str(&super::text::table(&header, &[1, 2, 3, 4], rows));
        }
        if s.skipped > 0 {
            let _ = writeln!(out, "  ({} further inputs that could matter were not evaluated)", s.skipped);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{BarReport, TornadoReport, TornadoScenario, tornado_text};
    use crate::analysis::probability::{Estimate, Method};

    /// Eleven defenders at 85% leave P(none fires) at 0.15^11: moving one
    /// credibility moves the result by about 1e-9, which is not 0%.
    #[test]
    fn a_tiny_swing_is_not_printed_as_zero() {
        let p = |value| Estimate { value, interval: None };
        let bar = BarReport {
            input: "NATO.article5.credibility".into(),
            value: 0.85,
            low: p(0.999_999_998),
            high: p(1.0),
            swing: 2e-9,
        };
        let report = TornadoReport {
            version: 4,
            file: "f.dtr".into(),
            swing: 0.1,
            scenarios: vec![TornadoScenario {
                scenario: "s".into(),
                result: "P(reaching regional_war)".into(),
                base: p(1.0),
                method: Method::Exact { leaves: 1, relevant: 1 },
                bars: vec![bar],
                skipped: 0,
            }],
        };
        let text = tornado_text(&report);
        assert!(text.contains("  NATO.article5.credibility    85%  100%  100%  <0.05%"), "{text}");
    }
}
