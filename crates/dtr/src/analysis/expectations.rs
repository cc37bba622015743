//! Checking `expect` declarations against the analysis.
//!
//! - `joins` / `stays out` and `reaches` / `not reaches` read the
//!   all-honoured cascade; the text also shows the probability.
//! - `P(…) op value` reads the probabilistic evaluation (the point estimate
//!   for Monte Carlo); values within 1e-9 count as equal, so `>= 76.5%`
//!   holds for a computed 0.7649999….
//! - `gap` / `no gap` read the gap analysis of a threat declaring `A -> T`;
//!   without one, `A -> T` is assessed for the expectation alone. Without a
//!   domain, `gap` means a gap in some assessed domain and `no gap` a gap in
//!   none. `gap … : reason` passes only for a gap with that reason.

use super::ScenarioAnalysis;
use super::gaps::{Gap, assess, assessed_domains};
use crate::check::program::{Expectation, ProbabilityEvent};
use crate::diagnostic::{Diagnostic, messages};
use crate::model::Model;
use crate::source::Span;
use crate::syntax::ast::Comparison;
use crate::vocabulary::{ActorId, DomainId, RungId};
use serde::Serialize;

/// Probabilities closer than this compare as equal.
const TOLERANCE: f64 = 1e-9;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectationResult {
    pub span: Span,
    pub passed: bool,
    /// What the model computed, in the expectation's words.
    pub computed: String,
}

/// Every expectation whose scenario was analysed (gap expectations always),
/// in declaration order.
pub fn check(model: &Model, scenarios: &[ScenarioAnalysis], gaps: &[Gap]) -> Vec<ExpectationResult> {
    let scenario = |id: crate::vocabulary::ScenarioId| scenarios.iter().find(|s| s.scenario == id);
    model
        .expectations
        .iter()
        .filter_map(|decl| {
            let (passed, computed) = match &decl.expectation {
                Expectation::Gap { aggressor, target, domain, reason } => {
                    let found = assessments(model, gaps, *aggressor, *target, *domain);
                    let passed = found.iter().any(|g| g.gap && reason.is_none_or(|r| g.reason == Some(r)));
                    (passed, describe_gaps(model, *aggressor, *target, *domain, &found))
                }
                Expectation::NoGap { aggressor, target, domain } => {
                    let found = assessments(model, gaps, *aggressor, *target, *domain);
                    (found.iter().all(|g| !g.gap), describe_gaps(model, *aggressor, *target, *domain, &found))
                }
                Expectation::Joins { scenario: s, actor } => {
                    let s = scenario(*s)?;
                    (s.escalation.enters(*actor), describe_entry(model, s, *actor))
                }
                Expectation::StaysOut { scenario: s, actor } => {
                    let s = scenario(*s)?;
                    (!s.escalation.enters(*actor), describe_entry(model, s, *actor))
                }
                Expectation::Attacks { scenario: s, actor } => {
                    let s = scenario(*s)?;
                    let attacks = s.escalation.events.iter().any(|e| e.aggressor == *actor);
                    let verb = if attacks { "attacks" } else { "attacks no one" };
                    let p = s.probabilities.enters.get(actor.index()).map_or(0.0, |a| a.attacks.value);
                    (attacks, format!("{} {verb} (P(attacks) = {})", model.actor(*actor).name, percent(p)))
                }
                Expectation::Reaches { scenario: s, rung } => {
                    let s = scenario(*s)?;
                    (reaches(s, *rung), describe_rung(model, s, *rung))
                }
                Expectation::NotReaches { scenario: s, rung } => {
                    let s = scenario(*s)?;
                    (!reaches(s, *rung), describe_rung(model, s, *rung))
                }
                Expectation::Probability { scenario: s, event, comparison, value } => {
                    let s = scenario(*s)?;
                    let (p, text) = probability(model, s, *event);
                    (holds(*comparison, p, *value), text)
                }
            };
            Some(ExpectationResult { span: decl.span, passed, computed })
        })
        .collect()
}

/// Each failing expectation as an E0023 diagnostic at its line, with what
/// the model computed instead.
pub fn failures(results: &[ExpectationResult]) -> Vec<Diagnostic> {
    results.iter().filter(|r| !r.passed).map(|r| messages::e0023(&r.computed, r.span)).collect()
}

fn reaches(s: &ScenarioAnalysis, rung: RungId) -> bool {
    s.escalation.top_rung.is_some_and(|top| top >= rung)
}

fn holds(comparison: Comparison, left: f64, right: f64) -> bool {
    match comparison {
        Comparison::Less => left < right - TOLERANCE,
        Comparison::LessEqual => left <= right + TOLERANCE,
        Comparison::Greater => left > right + TOLERANCE,
        Comparison::GreaterEqual => left >= right - TOLERANCE,
    }
}

/// The reported assessments of `A -> T` (in `domain` if given), or fresh
/// ones when no threat declares it.
fn assessments(model: &Model, gaps: &[Gap], a: ActorId, t: ActorId, domain: Option<DomainId>) -> Vec<Gap> {
    let reported: Vec<Gap> = gaps
        .iter()
        .filter(|g| g.aggressor == a && g.target == t && domain.is_none_or(|d| g.domain == d))
        .cloned()
        .collect();
    if !reported.is_empty() {
        return reported;
    }
    let domains = domain.map(|d| vec![d]);
    assessed_domains(model, a, domains.as_deref()).into_iter().map(|d| assess(model, a, t, d)).collect()
}

fn describe_gaps(model: &Model, a: ActorId, t: ActorId, domain: Option<DomainId>, found: &[Gap]) -> String {
    let pair = format!("{} -> {}", model.actor(a).name, model.actor(t).name);
    if found.is_empty() {
        let where_ = domain.map_or(String::from("any domain"), |d| domain_name(model, d).to_string());
        return format!("no gap {pair}: {} has no capability in {where_}", model.actor(a).name);
    }
    let each: Vec<String> = found
        .iter()
        .map(|g| {
            let ratio = format!("ratio {} vs {:.2}", super::gaps::ratio_text(g.ratio), g.threshold);
            match g.reason {
                Some(reason) if g.gap => {
                    format!("gap {pair} in {}: {} ({ratio})", domain_name(model, g.domain), reason.as_str())
                }
                _ => format!("no gap {pair} in {} ({ratio})", domain_name(model, g.domain)),
            }
        })
        .collect();
    each.join("; ")
}

fn describe_entry(model: &Model, s: &ScenarioAnalysis, actor: ActorId) -> String {
    let verb = if s.escalation.enters(actor) { "joins" } else { "stays out" };
    let p = s.probabilities.enters(actor).map_or(0.0, |e| e.value);
    format!("{} {verb} (P(joins) = {})", model.actor(actor).name, percent(p))
}

fn describe_rung(model: &Model, s: &ScenarioAnalysis, rung: RungId) -> String {
    let top = s.escalation.top_rung.map_or("no event", |r| model.rung_name(r));
    let verb = if reaches(s, rung) { "reaches" } else { "stops at" };
    let p = s.probabilities.reaches(rung).map_or(0.0, |e| e.value);
    format!("{verb} {top} (P(reaches {}) = {})", model.rung_name(rung), percent(p))
}

fn probability(model: &Model, s: &ScenarioAnalysis, event: ProbabilityEvent) -> (f64, String) {
    let (estimate, what) = match event {
        ProbabilityEvent::Joins(a) => (s.probabilities.enters(a), format!("{} joins", model.actor(a).name)),
        ProbabilityEvent::Attacks(a) => {
            (s.probabilities.enters.get(a.index()).map(|e| e.attacks), format!("{} attacks", model.actor(a).name))
        }
        ProbabilityEvent::StaysOut(a) => (
            s.probabilities.enters(a).map(|e| super::probability::Estimate {
                value: 1.0 - e.value,
                interval: e.interval.map(|i| super::probability::Interval { low: 1.0 - i.high, high: 1.0 - i.low }),
            }),
            format!("{} stays out", model.actor(a).name),
        ),
        ProbabilityEvent::Reaches(r) => (s.probabilities.reaches(r), format!("reaches {}", model.rung_name(r))),
    };
    let value = estimate.map_or(0.0, |e| e.value);
    let interval = estimate
        .and_then(|e| e.interval)
        .map(|i| format!(" (95% CI {}–{}, Monte Carlo)", percent(i.low), percent(i.high)))
        .unwrap_or_default();
    (value, format!("P({what}) = {}{interval}", percent(value)))
}

fn domain_name(model: &Model, d: DomainId) -> &str {
    model.domains.get(d.index()).map_or("?", String::as_str)
}

/// `0.425` → `42.5%`, `0.85` → `85%`.
pub fn percent(p: f64) -> String {
    let tenths = (p * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 { format!("{tenths:.0}%") } else { format!("{tenths:.1}%") }
}

#[cfg(test)]
mod tests {
    use super::percent;
    use crate::analysis::analyze;
    use crate::model::testing::{model, scenario};

    const TEXT: &str = r#"
        actor RUS { capability { land: 100, cyber: 40 } }
        actor EST { capability { land: 10 } }
        actor USA { capability { land: 80 } }
        actor ITA
        commitment guard: USA defends EST { credibility: 85% response: regional_war domains: [land] }
        threat RUS -> [EST] { domains: [land] }
        scenario narva { RUS attacks EST }
        scenario other { USA attacks ITA }
        expect narva: USA joins
        expect narva: ITA joins
        expect narva: ITA stays out
        expect narva: reaches regional_war
        expect narva: not reaches regional_war
        expect narva: P(USA joins) >= 85%
        expect narva: P(USA joins) > 85%
        expect narva: P(USA stays out) < 20%
        expect narva: P(reaches regional_war) <= 85%
        expect gap RUS -> EST in land: outmatched
        expect gap RUS -> EST in land: hollow
        expect no gap RUS -> EST
        expect gap RUS -> EST in cyber
        expect no gap RUS -> USA
        expect other: USA joins
    "#;

    #[test]
    fn every_kind_of_expectation_is_checked_with_what_was_computed() {
        let m = model(TEXT);
        let results = analyze(&m, Some(&[scenario(&m, "narva")])).expectations;
        let got: Vec<(bool, &str)> = results.iter().map(|r| (r.passed, r.computed.as_str())).collect();
        assert_eq!(
            got,
            [
                (true, "USA joins (P(joins) = 85%)"),
                (false, "ITA stays out (P(joins) = 0%)"),
                (true, "ITA stays out (P(joins) = 0%)"),
                (true, "reaches regional_war (P(reaches regional_war) = 85%)"),
                (false, "reaches regional_war (P(reaches regional_war) = 85%)"),
                (true, "P(USA joins) = 85%"),
                (false, "P(USA joins) = 85%"),
                (true, "P(USA stays out) = 15%"),
                (true, "P(reaches regional_war) = 85%"),
                (true, "gap RUS -> EST in land: outmatched (ratio 0.78 vs 1.00)"),
                (false, "gap RUS -> EST in land: outmatched (ratio 0.78 vs 1.00)"),
                (false, "gap RUS -> EST in land: outmatched (ratio 0.78 vs 1.00)"),
                (true, "gap RUS -> EST in cyber: excluded (ratio 0.00 vs 1.00)"),
                (
                    false,
                    "gap RUS -> USA in land: uncovered (ratio 0.80 vs 1.00); \
                     gap RUS -> USA in cyber: uncovered (ratio 0.00 vs 1.00)"
                ),
            ]
        );
        // Only the analysed scenario's expectations (and gaps) are checked.
        assert_eq!(results.len(), m.expectations.len() - 1);
        assert_eq!(results[0].span, m.expectations[0].span);
    }

    #[test]
    fn percentages_drop_a_zero_tenth() {
        let shown: Vec<String> = [0.85, 0.425, 1.0, 0.0004, 0.7649999999999999].into_iter().map(percent).collect();
        assert_eq!(shown, ["85%", "42.5%", "100%", "0%", "76.5%"]);
    }
}
