//! Deterrence gaps (§6). For each threat `A -> T` and each of its domains
//! `d` with `cap(A, d) > 0` (a threat without domains: every domain where A
//! has capability), the hypothetical event `A attacks T in [d]`, unprovoked,
//! at the opening rung, is the whole state. A commitment *protects* T when
//! it is a `defend`/`defends` or `join` with T as protected actor; it
//! *would fire* when it is in force, its acting actor is not A, `d` is among
//! its response domains, its condition matches the event, and no promise of
//! its actor toward A applies (rule 4 in that one-event state). Each
//! guarantor counts once, by its strongest such commitment.

use super::cascade::applying_promises;
use super::condition::{FailedClause, Scene, failing_clauses, matches};
use super::event::{Cause, Event, War};
use crate::check::program::{Day, GapReason};
use crate::model::Model;
use crate::source::Span;
use crate::vocabulary::{ActorId, DomainId, ExpandedId};
use serde::Serialize;

/// One (threat, target, domain) assessment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// Index of the threat in the model; None for an assessment made only
    /// to check an expectation that no threat declares.
    pub threat: Option<usize>,
    pub threat_span: Option<Span>,
    pub aggressor: ActorId,
    pub target: ActorId,
    pub domain: DomainId,
    /// `cap(A, d)`.
    pub aggressor_capability: f64,
    /// `cap(T, d)`, read through the substitution table ([`countered`]).
    pub own: f64,
    /// The domain whose capability `own` is.
    pub own_via: DomainId,
    pub committed: f64,
    /// `(own + committed) / cap(A, d)`; infinite when the quotient exceeds
    /// the largest double (a vanishingly small `cap(A, d)`), see [`ratio_text`].
    pub ratio: f64,
    /// `settings.deterrence_ratio`.
    pub threshold: f64,
    pub gap: bool,
    /// Why, when there is a gap.
    pub reason: Option<GapReason>,
    /// Each guarantor's strongest commitment that would fire, in order of
    /// the first commitment of each.
    pub guarantors: Vec<Guarantee>,
    /// Every commitment that protects the target, in declaration order,
    /// with whether it would fire and, if not, what excludes it.
    pub protectors: Vec<Protector>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Guarantee {
    pub guarantor: ActorId,
    pub commitment: ExpandedId,
    pub span: Span,
    /// Effective credibility: credibility × resolve.
    pub p: f64,
    /// `cap(G, d) × p × interoperability`, `cap` read through the
    /// substitution table ([`countered`]).
    pub contribution: f64,
    /// The domain whose capability counts (`d` without a substitution).
    pub via: DomainId,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Protector {
    pub commitment: ExpandedId,
    pub acting: ActorId,
    pub span: Span,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Fires { p: f64, contribution: f64, via: DomainId },
    Excluded { exclusion: Exclusion },
}

/// The first reason, in this order, that a protecting commitment would not
/// fire on the hypothetical attack.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exclusion {
    /// Not in force in the analysis period: its first and last day with
    /// the `since`/`until` that set them (for an obligation, its own dates
    /// intersected with its alliance's, so each may come from either, and
    /// `since` may fall after `until`: never in force).
    NotInForce { since: Option<(Day, Span)>, until: Option<(Day, Span)> },
    /// Its acting actor is the aggressor itself.
    ActorIsAggressor,
    /// Its `domains` do not include the domain.
    DomainNotCovered,
    /// The domain is `nuclear` and its response is conventional (every
    /// domain but `nuclear`: what a provision without `domains` covers).
    Conventional,
    /// The condition does not match: the clauses that fail.
    Condition { clauses: Vec<FailedClause> },
    /// Its actor promised (`neutral`/`nonaggression`) not to attack the aggressor.
    Promise { promise: ExpandedId, span: Span },
}

/// Every threat's assessments, in threat, target and domain order.
pub fn gaps(model: &Model) -> Vec<Gap> {
    let mut out = Vec::new();
    for (i, threat) in model.threats.iter().enumerate() {
        for &target in &threat.targets {
            for domain in assessed_domains(model, threat.aggressor, threat.domains.as_deref()) {
                let mut gap = assess(model, threat.aggressor, target, domain);
                gap.threat = Some(i);
                gap.threat_span = Some(threat.span);
                out.push(gap);
            }
        }
    }
    out
}

/// The domains assessed for an aggressor: those given (every domain when
/// None) where its capability is positive.
pub fn assessed_domains(model: &Model, aggressor: ActorId, domains: Option<&[DomainId]>) -> Vec<DomainId> {
    let all: Vec<DomainId> = match domains {
        Some(ds) => ds.to_vec(),
        None => (0..model.domains.len() as u32).map(DomainId).collect(),
    };
    all.into_iter().filter(|&d| model.capability(aggressor, d) > 0.0).collect()
}

/// One assessment, not tied to a threat declaration. `cap(A, d)` should be
/// positive ([`assessed_domains`]); if it is not, there is no gap.
pub fn assess(model: &Model, aggressor: ActorId, target: ActorId, domain: DomainId) -> Gap {
    let event = Event {
        aggressor,
        victim: target,
        domains: Some(model.single_domain(domain)),
        rung: model.settings.opening,
        provoked: false,
        step: 0,
        cause: Cause::Opening { opening: 0 },
    };
    let mut war = War::default();
    war.add(&event);
    let events = [event];

    let protecting = model.index.protecting.get(target.index()).map_or(&[][..], |l| l);
    let protectors: Vec<Protector> = protecting
        .iter()
        .map(|&id| {
            let c = model.commitment(id);
            let verdict = match exclusion(model, id, &events, &war, domain) {
                Some(exclusion) => Verdict::Excluded { exclusion },
                None => {
                    let (capability, via) = countered(model, c.acting, domain, c.domains);
                    // Each promise it would break holds with its credibility (§5, rule 4).
                    let p = applying_promises(model, &events, &war, c.acting, aggressor)
                        .fold(c.p, |p, promise| p * (1.0 - model.commitment(promise).p));
                    Verdict::Fires { p, contribution: capability * p * c.interoperability, via }
                }
            };
            Protector { commitment: id, acting: c.acting, span: model.provision(c.provision).span, verdict }
        })
        .collect();

    let mut guarantors: Vec<Guarantee> = Vec::new();
    for protector in &protectors {
        let Verdict::Fires { p, contribution, via } = protector.verdict else { continue };
        let candidate = Guarantee {
            guarantor: protector.acting,
            commitment: protector.commitment,
            span: protector.span,
            p,
            contribution,
            via,
        };
        match guarantors.iter_mut().find(|g| g.guarantor == protector.acting) {
            Some(g) if contribution > g.contribution => *g = candidate,
            Some(_) => {}
            None => guarantors.push(candidate),
        }
    }

    let aggressor_capability = model.capability(aggressor, domain);
    let (own, own_via) = countered(model, target, domain, None);
    // Folded from +0: `Sum` for floats starts at −0, which an assessment
    // without guarantors (most of them) would report as `-0`.
    let committed = guarantors.iter().fold(0.0, |sum, g| sum + g.contribution);
    let threshold = model.settings.deterrence_ratio;
    let ratio = if aggressor_capability > 0.0 { (own + committed) / aggressor_capability } else { f64::INFINITY };
    let gap = ratio < threshold;
    let reason = gap.then(|| reason(model, target, domain, &protectors, &guarantors));
    Gap {
        threat: None,
        threat_span: None,
        aggressor,
        target,
        domain,
        aggressor_capability,
        own,
        own_via,
        committed,
        ratio,
        threshold,
        gap,
        reason,
        guarantors,
        protectors,
    }
}

/// `actor`'s capability against a threat in `domain` (§6): its own in
/// `domain`, or, when larger, `factor × cap(actor, from)` for an entry
/// `from -> domain` of `settings.substitution` whose `from` the response
/// may use (`covers`: a commitment's `domains`, None for every domain);
/// with the domain counted. Without a table, `cap(actor, domain)`.
pub fn countered(
    model: &Model,
    actor: ActorId,
    domain: DomainId,
    covers: Option<crate::vocabulary::DomainSetId>,
) -> (f64, DomainId) {
    let mut best = (model.capability(actor, domain), domain);
    for s in model.settings.substitutions.iter().filter(|s| s.to == domain) {
        if covers.is_some_and(|set| !model.domain_set(set).contains(s.from.index())) {
            continue;
        }
        let capability = s.factor * model.capability(actor, s.from);
        if capability > best.0 {
            best = (capability, s.from);
        }
    }
    best
}

/// A ratio for reports: two decimals, or `unbounded` when the quotient is
/// too large to represent (JSON writes `null` then). An unbounded ratio is
/// never a gap.
pub fn ratio_text(ratio: f64) -> String {
    if ratio.is_finite() { format!("{ratio:.2}") } else { "unbounded".to_string() }
}

fn exclusion(model: &Model, id: ExpandedId, events: &[Event], war: &War, domain: DomainId) -> Option<Exclusion> {
    let c = model.commitment(id);
    let event = events.first()?; // the opening: a cascade is never empty
    if !c.in_force {
        let validity = model.provision(c.provision).validity;
        return Some(Exclusion::NotInForce { since: validity.since(), until: validity.until() });
    }
    if c.acting == event.aggressor {
        return Some(Exclusion::ActorIsAggressor);
    }
    // A response in a domain that substitutes for this one covers it too.
    let covers = |set: &crate::model::IdSet| {
        set.contains(domain.index())
            || model.settings.substitutions.iter().any(|s| s.to == domain && set.contains(s.from.index()))
    };
    if let Some(set) = c.domains.map(|set| model.domain_set(set))
        && !covers(set)
    {
        let conventional = Some(domain) == model.nuclear_domain && set.len() + 1 == model.domains.len();
        return Some(if conventional { Exclusion::Conventional } else { Exclusion::DomainNotCovered });
    }
    let scene = Scene { model, event, war };
    match c.condition.as_deref() {
        None => return Some(Exclusion::Condition { clauses: Vec::new() }),
        Some(condition) if !matches(condition, scene) => {
            return Some(Exclusion::Condition { clauses: failing_clauses(condition, scene) });
        }
        Some(_) => {}
    }
    // A promise at 100% excludes it; one below weighs on its probability.
    applying_promises(model, events, war, c.acting, event.aggressor)
        .find(|&promise| model.commitment(promise).p >= 1.0)
        .map(|promise| Exclusion::Promise { promise, span: model.provision(model.commitment(promise).provision).span })
}

fn reason(
    model: &Model,
    target: ActorId,
    domain: DomainId,
    protectors: &[Protector],
    guarantors: &[Guarantee],
) -> GapReason {
    let nuclear = model.nuclear_domain == Some(domain);
    if nuclear && !model.actor(target).nuclear && !guarantors.iter().any(|g| model.actor(g.guarantor).nuclear) {
        GapReason::NoUmbrella
    } else if protectors.is_empty() {
        GapReason::Uncovered
    } else if guarantors.is_empty() {
        GapReason::Excluded
    } else if protectors.iter().all(|p| match p.verdict {
        Verdict::Fires { p, .. } => p < model.settings.credibility_floor,
        Verdict::Excluded { .. } => true,
    }) {
        GapReason::Hollow
    } else {
        GapReason::Outmatched
    }
}

#[cfg(test)]
mod tests {
    use super::{Exclusion, Gap, Verdict, gaps};
    use crate::check::program::GapReason;
    use crate::model::Model;
    use crate::model::testing::{actor, model};
    use crate::vocabulary::DomainId;

    const BASE: &str = r#"
        settings { year: 2026 credibility_floor: 50% }
        region europe
        region asia
        actor RUS { region: europe capability { land: 100, air: 10, cyber: 50, nuclear: 100 } }
        actor EST { region: europe capability { land: 10 } }
        actor USA { capability { land: 50, nuclear: 100 } }
        actor GBR { capability { land: 50 } }
        actor FRA { capability { land: 50 } }
        actor DEU { capability { land: 50 } }
        actor CHN { region: asia }
    "#;

    fn assess(declarations: &str) -> (Model, String, Vec<Gap>) {
        let text = format!("{BASE}\n{declarations}");
        let m = model(&text);
        let g = gaps(&m);
        (m, text, g)
    }

    fn domain_names(m: &Model, g: &[Gap]) -> Vec<String> {
        g.iter().map(|g| m.domains[g.domain.index()].clone()).collect()
    }

    #[test]
    fn uncovered_when_nothing_protects_the_target() {
        let (m, text, g) = assess("threat RUS -> [EST] { domains: [land] }");
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!((g.own, g.committed, g.aggressor_capability, g.ratio), (10.0, 0.0, 100.0, 0.1));
        assert!(g.gap && g.reason == Some(GapReason::Uncovered) && g.protectors.is_empty());
        // No guarantor: +0, which reports print as `0` (an empty float sum is −0).
        assert!(g.committed.is_sign_positive());
        assert_eq!(&text[g.threat_span.unwrap().range()], "threat RUS -> [EST] { domains: [land] }");
        assert_eq!((g.threat, g.aggressor, g.target), (Some(0), actor(&m, "RUS"), actor(&m, "EST")));
    }

    #[test]
    fn default_domains_are_those_where_the_aggressor_has_capability() {
        let (m, _, g) = assess("threat RUS -> [EST]\nthreat RUS -> [EST] { domains: [sea, land] }");
        assert_eq!(domain_names(&m, &g), ["land", "air", "cyber", "nuclear", "land"]);
    }

    #[test]
    fn no_umbrella_comes_first_for_a_nuclear_attack() {
        let (_, _, g) = assess("threat RUS -> [EST] { domains: [nuclear] }");
        assert_eq!(g[0].reason, Some(GapReason::NoUmbrella));
        let (_, _, g) = assess(
            "threat RUS -> [EST] { domains: [nuclear] }
            commitment umbrella: USA defends EST { domains: [nuclear] credibility: 30% }",
        );
        // A nuclear guarantor that would fire: an umbrella, if a hollow one.
        assert_eq!((g[0].committed, g[0].reason), (30.0, Some(GapReason::Hollow)));
    }

    /// Issue 16: a defence without `domains` is conventional, so it holds
    /// no umbrella, and the report says why it does not count.
    #[test]
    fn a_defence_without_domains_is_no_umbrella() {
        let (_, _, g) = assess(
            "threat RUS -> [EST] { domains: [nuclear] }
            commitment guard: USA defends EST { credibility: 30% }
            commitment umbrella: USA defends EST { credibility: 30% response: nuclear }",
        );
        assert_eq!((g[0].committed, g[0].reason), (30.0, Some(GapReason::Hollow)));
        assert!(matches!(&g[0].protectors[0].verdict, Verdict::Excluded { exclusion: Exclusion::Conventional }));
        let (_, _, g) = assess(
            "threat RUS -> [EST] { domains: [nuclear] }\ncommitment guard: USA defends EST { credibility: 30% }",
        );
        assert_eq!((g[0].committed, g[0].reason), (0.0, Some(GapReason::NoUmbrella)));
    }

    #[test]
    fn a_promise_below_100_percent_weighs_on_the_defence_instead_of_excluding_it() {
        // DEU's defence (80%) breaks promises kept at 50% and 20%: it counts
        // at 80% × 50% × 80% = 32%, below the floor, so the gap is hollow.
        let (_, _, g) = assess(
            r#"
            threat RUS -> [EST] { domains: [land] }
            commitment promised: DEU defends EST { credibility: 80% }
            commitment pact: DEU nonaggression RUS { credibility: 50% }
            commitment calm: DEU neutral RUS { credibility: 20% }
            "#,
        );
        let g = &g[0];
        let Verdict::Fires { p, contribution, .. } = g.protectors[0].verdict else { panic!("{g:?}") };
        assert!((p - 0.32).abs() < 1e-12 && (contribution - 50.0 * 0.32).abs() < 1e-9, "{p} {contribution}");
        assert_eq!(g.reason, Some(GapReason::Hollow));
    }

    #[test]
    fn excluded_names_each_commitment_and_the_clause_that_excludes_it() {
        let (m, text, g) = assess(
            r#"
            threat RUS -> [EST] { domains: [land] }
            commitment later: USA defends EST { since: 2030 }
            commitment at_sea: GBR defends EST { domains: [sea] }
            commitment china_only: FRA defends EST { when: attack by [CHN] }
            commitment promised: DEU defends EST
            commitment pact: DEU nonaggression RUS
            commitment aggressor: RUS defends EST
            commitment far: FRA defends EST { when: attack within [asia] or attack at nuclear }
            commitment unless: GBR defends EST { when: not war with [RUS] }
            commitment both: USA defends EST { when: attack and war with [CHN] }
            "#,
        );
        let g = &g[0];
        assert!(g.gap && g.reason == Some(GapReason::Excluded) && g.guarantors.is_empty());
        let slice = |s: crate::source::Span| &text[s.range()];
        let why: Vec<String> = g
            .protectors
            .iter()
            .map(|p| {
                let Verdict::Excluded { exclusion } = &p.verdict else { panic!("{p:?} fires") };
                let what = match exclusion {
                    Exclusion::NotInForce { since, until } => {
                        format!("since {} until {:?}", slice(since.unwrap().1), until.map(|u| slice(u.1)))
                    }
                    Exclusion::ActorIsAggressor => "aggressor".into(),
                    Exclusion::DomainNotCovered => "domain".into(),
                    Exclusion::Conventional => "conventional".into(),
                    Exclusion::Condition { clauses } => clauses
                        .iter()
                        .map(|c| format!("{:?} `{}`", c.clause, slice(c.span)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Exclusion::Promise { promise, span } => {
                        format!("{} `{}`", m.commitment_label(*promise), slice(*span))
                    }
                };
                format!("{}: {what}", m.commitment_label(p.commitment))
            })
            .collect();
        assert_eq!(
            why,
            [
                "later: since 2030 until None",
                "at_sea: domain",
                "china_only: By `by [CHN]`",
                "promised: pact `pact`",
                "aggressor: aggressor",
                "far: Within `within [asia]`, At `at nuclear`",
                "unless: Not `war with [RUS]`",
                "both: WarWith `war with [CHN]`",
            ]
        );
    }

    #[test]
    fn hollow_when_every_firing_commitment_is_below_the_floor() {
        let (_, _, g) =
            assess("threat RUS -> [EST] { domains: [land] }\ncommitment g: USA defends EST { credibility: 40% }");
        let g = &g[0];
        assert_eq!((g.committed, g.ratio, g.reason), (20.0, 0.3, Some(GapReason::Hollow)));
        assert_eq!(g.guarantors.len(), 1);
    }

    #[test]
    fn outmatched_when_credible_but_too_weak() {
        let (_, _, g) = assess(
            r#"
            threat RUS -> [EST] { domains: [land] }
            commitment g: USA defends EST { credibility: 80% interoperability: 50% }
            alliance local { members: [EST, GBR] obligation j join { credibility: 40% } }
            "#,
        );
        let g = &g[0];
        // USA 50 × 0.8 × 0.5 = 20, GBR 50 × 0.4 = 20 (a join protects too).
        assert_eq!((g.committed, g.ratio, g.reason), (40.0, 0.5, Some(GapReason::Outmatched)));
    }

    /// With `nuclear -> chemical 50%`, half of a nuclear arsenal counts
    /// against a chemical threat, for a guarantor whose `domains` cover
    /// nuclear (an umbrella with `domains: [nuclear]` then answers a
    /// chemical attack) and for the target; without the table, none does.
    #[test]
    fn substitution_counts_capability_against_a_threat_in_another_domain() {
        let world = r#"
            domain chemical
            actor IRQ { capability { chemical: 10 } }
            actor SAU { capability { land: 8 } }
            actor USA { capability { land: 90, nuclear: 100 } }
            actor GBR { capability { nuclear: 40 } }
            commitment shield: USA defends SAU { credibility: 80% }
            commitment umbrella: GBR defends SAU { domains: [nuclear] }
            commitment land_only: USA defends SAU { domains: [land] }
            threat IRQ -> SAU
        "#;
        let off = model(world);
        let g = &gaps(&off)[0];
        assert_eq!((g.committed, g.gap, g.reason), (0.0, true, Some(GapReason::Outmatched)));
        assert_eq!(g.protectors.iter().filter(|p| matches!(p.verdict, Verdict::Fires { .. })).count(), 1);
        let on =
            model(&format!("settings {{ substitution: [nuclear -> chemical 50%, land -> chemical 25%] }}\n{world}"));
        let g = &gaps(&on)[0];
        let (nuclear, land) =
            (on.nuclear_domain.unwrap(), DomainId(on.domains.iter().position(|d| d == "land").unwrap() as u32));
        // USA: `shield` has no `domains`, so nuclear is not among them
        // (§3.5): 25% × 90 land × 80% = 18; `land_only` counts 25% × 90 ×
        // 100% = 22.5, its strongest. GBR's umbrella: 50% × 40 nuclear.
        let counted: Vec<(f64, DomainId)> = g.guarantors.iter().map(|x| (x.contribution, x.via)).collect();
        assert_eq!(counted, [(22.5, land), (20.0, nuclear)]);
        // SAU's own: 25% of its land capability.
        assert_eq!((g.own, on.domains[g.own_via.index()].as_str()), (2.0, "land"));
        assert_eq!((g.ratio, g.gap), (4.45, false));
    }

    #[test]
    fn each_guarantor_counts_once_by_its_strongest_commitment() {
        let (m, _, g) = assess(
            r#"
            threat RUS -> [EST] { domains: [land] }
            commitment weak: USA defends EST { credibility: 50% }
            commitment strong: USA defends EST { credibility: 90% }
            commitment other: GBR defends EST { credibility: 60% }
            "#,
        );
        let g = &g[0];
        let strongest: Vec<(String, f64)> =
            g.guarantors.iter().map(|x| (m.commitment_label(x.commitment), x.contribution)).collect();
        assert_eq!(strongest, [("strong".to_string(), 45.0), ("other".to_string(), 30.0)]);
        assert_eq!((g.committed, g.gap), (75.0, true));
        assert_eq!(g.protectors.iter().filter(|p| matches!(p.verdict, Verdict::Fires { .. })).count(), 3);
    }

    #[test]
    fn no_gap_when_the_ratio_reaches_the_threshold() {
        let (_, _, g) = assess(
            "threat RUS -> [EST] { domains: [land] }\ncommitment g: USA defends EST\ncommitment h: GBR defends EST { credibility: 80% }",
        );
        let g = &g[0];
        assert_eq!((g.ratio, g.gap, g.reason), (1.0, false, None));
    }
}
