//! Reports: the analysis turned into one named, self-describing [`Report`]
//! (actor and commitment names, rung names, file positions instead of ids
//! and byte spans), its figures at twelve decimal places as [`json`]
//! writes them. JSON is this structure as serde writes it (schema in
//! docs/report.md); the text, DOT and HTML renderers read it and compute
//! nothing, so each shows the figure the JSON holds.

pub mod dot;
pub mod graph;
pub mod html;
mod imported;
pub mod json;
pub mod mermaid;
pub mod sensitivity;
pub mod sweep;
pub mod text;

use crate::analysis::Analysis;
use crate::analysis::cascade::{Conflict, Consultation};
use crate::analysis::escalation::entries;
use crate::analysis::event::{Cause, Event};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::{Exclusion, Gap, Verdict};
use crate::analysis::paths::Path;
use crate::analysis::probability::{Estimate, Interval, Method};
use crate::analysis::side::{Side, Sides};
use crate::analysis::why::{Factors, Fate, Outcome, Why};
use crate::analysis::{ScenarioAnalysis, Stop, condition::ClauseKind};
use crate::check::program::{Day, Period};
use crate::model::{Kind, Model};
use crate::source::{SourceMap, Span};
use crate::vocabulary::{ActorId, DomainSetId, ExpandedId};
use json::tidy;
use serde::Serialize;
use std::sync::Arc;

/// The version of the JSON schema; bumped on any change (4: each
/// scenario's `budget_share`; 5: sides and conflicts' stops, P(attacks) and
/// P(attacked), honest path probabilities; 6: why and why not, sampled
/// importance's intervals; 7: each rung's `path` and `above_all_honoured`;
/// 8: conflicts' `promise_credibility` and `removed`).
pub const VERSION: u32 = 8;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    /// The root file as given.
    pub file: String,
    pub settings: SettingsReport,
    pub scenarios: Vec<ScenarioReport>,
    pub gaps: Vec<GapReport>,
    pub expectations: Vec<ExpectationReport>,
}

/// A place in a source file: 1-based line, column in characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SettingsReport {
    /// `2026` or `1914-07-28`; None when every provision is analysed as in force.
    pub period: Option<String>,
    pub ladder: Vec<String>,
    pub opening: String,
    pub deterrence_ratio: f64,
    pub credibility_floor: f64,
    pub samples: u64,
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioReport {
    pub name: String,
    pub label: Option<String>,
    pub location: Location,
    pub method: Method,
    /// Every event of the all-honoured cascade, in creation order.
    pub events: Vec<EventReport>,
    /// Every actor that enters in the all-honoured cascade (in order of
    /// entry), then every other actor with a positive probability of
    /// entering (most probable first).
    pub actors: Vec<ActorReport>,
    /// The highest rung of the all-honoured cascade.
    pub top_rung: Option<String>,
    pub rungs: Vec<LadderRungReport>,
    pub expected_entrants: Estimate,
    pub conflicts: Vec<ConflictReport>,
    pub consultations: Vec<ConsultationReport>,
    /// What most lowers P(reaching `top_rung`) when removed.
    pub importance: Vec<ImportanceReport>,
    /// Relevant provisions whose removal was not evaluated (beyond the
    /// candidate limit).
    pub importance_skipped: usize,
    /// Some cascade was cut at the event limit.
    pub capped: bool,
    /// This scenario's share of the run's work budget, when it cut the
    /// evaluation or the importance ranking short (null otherwise).
    pub budget_share: Option<u64>,
    /// Why each actor that holds a commitment (promises aside) enters or
    /// stays out, in actor order; None when the explanations exceed their
    /// work budget.
    pub why: Option<Vec<WhyReport>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhyReport {
    pub actor: String,
    /// How it enters the all-honoured cascade (`attacks EST at step 1`,
    /// `attacked by RUS at step 0`); None when it stays out.
    pub entry: Option<String>,
    pub enters: Estimate,
    /// Its most probable path, each step's probability in its factors.
    pub chain: Vec<FactorsReport>,
    /// Each commitment it acts on, promises aside, in declaration order.
    pub commitments: Vec<OutcomeReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactorsReport {
    pub commitment: String,
    pub p: f64,
    /// The provision's credibility for the acting actor.
    pub credibility: f64,
    /// `credibility` is the actor's `except` entry.
    pub except: bool,
    pub resolve: f64,
    /// `guard 76.5% = 90% credibility × 85% resolve`
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutcomeReport {
    pub commitment: String,
    pub provision: String,
    pub location: Location,
    pub fired: bool,
    /// The first rule that stopped it ([`Stop::name`]: `not_in_force`,
    /// `kind`, `own_attack`, `consulted`, `at_war`, `condition`,
    /// `promise`, `side`); None when it fired.
    pub rule: Option<String>,
    /// The event it answered, or on which the rule stopped it.
    pub event: Option<usize>,
    /// In words.
    pub why: String,
    /// The clause responsible (the date that excludes it, the promise).
    pub clause: Option<Location>,
    /// The side the acting actor and the target are both on (rule `side`).
    pub side: Option<Side>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventReport {
    pub step: u32,
    pub aggressor: String,
    pub victim: String,
    /// None means every domain.
    pub domains: Option<Arc<[String]>>,
    /// Its domains include `nuclear` (every domain does).
    pub nuclear: bool,
    /// Its domains are every domain but `nuclear`: a response without
    /// `domains` (§3.5 of the language reference).
    pub conventional: bool,
    pub rung: String,
    pub provoked: bool,
    /// `opening` or the label of the commitment that fired.
    pub cause: String,
    /// Index (in `events`) of the event the commitment answered.
    pub trigger: Option<usize>,
    /// Effective probability of the commitment that fired (None for an opening).
    pub p: Option<f64>,
    /// The provision the commitment that fired expands: a commitment's
    /// name or `ALLIANCE.obligation` (None for an opening).
    pub provision: Option<String>,
    /// Where that provision is declared (None for an opening).
    pub location: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorReport {
    pub actor: String,
    /// The COW country code of an actor `dtr import atop` declared (from
    /// the `// COW 255` it writes at the end of the declaration's line).
    pub cow: Option<u32>,
    /// With the opener or with the target: in the all-honoured cascade for
    /// its entrants, along its most probable path for the others; None
    /// when neither party of the attack that brings it in has a side.
    pub side: Option<Side>,
    /// Where it enters when every commitment is honoured: None when it
    /// stays out of that cascade.
    pub entry: Option<Entry>,
    /// P(joins): it attacks or is attacked.
    pub enters: Estimate,
    /// P(it attacks): it opens the war or enters by its own commitment.
    pub attacks: Estimate,
    /// P(it is attacked).
    pub attacked: Estimate,
    /// Its most probable chain of firings from an opening event.
    pub path: Option<PathReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub step: u32,
    pub rung: String,
    /// Index of its first event in `events`.
    pub event: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathReport {
    pub probability: f64,
    pub steps: Vec<PathStepReport>,
    /// `narva → NATO.article5[USA→EST] (76.5%) → USA attacks RUS at regional_war`
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathStepReport {
    pub commitment: String,
    pub acting: String,
    pub p: f64,
    pub target: String,
    pub rung: String,
    /// Where the commitment's provision is declared.
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct RungReport {
    pub rung: String,
    pub reached: Estimate,
}

/// A rung of a scenario's escalation ladder.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LadderRungReport {
    pub rung: String,
    pub reached: Estimate,
    /// The most probable chain of firings to this rung or higher, for a
    /// rung above the openings' that some cascade reaches (§5, "Paths to
    /// rungs"): its probability is that of the chain happening.
    pub path: Option<PathReport>,
    /// Reached with a positive probability, but above the top rung of the
    /// all-honoured cascade: only when some commitment is not honoured.
    pub above_all_honoured: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictReport {
    pub commitment: String,
    pub acting: String,
    pub target: String,
    /// `promise` (rule 4) or `side` (rule 5).
    pub rule: String,
    /// The promise that forbids the firing (rule 4).
    pub promise: Option<String>,
    /// Its credibility: the probability that it is kept (rule 4).
    pub promise_credibility: Option<f64>,
    /// The probability the stop takes from the firing: the commitment's
    /// probability, times (for promises) the probability that one of those
    /// applying is kept.
    pub removed: f64,
    pub location: Location,
    pub promise_location: Option<Location>,
    /// The side the acting actor and the target are both on (rule 5).
    pub side: Option<Side>,
    pub event: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsultationReport {
    pub commitment: String,
    /// The provision it expands: a commitment's name or `ALLIANCE.obligation`.
    pub provision: String,
    pub acting: String,
    pub with: String,
    pub event: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportanceReport {
    /// The provision: a commitment's name or `ALLIANCE.obligation`.
    pub provision: String,
    pub location: Location,
    pub without: f64,
    pub drop: f64,
    /// The 95% interval of `without` when the removals were sampled.
    pub interval: Option<crate::analysis::probability::Interval>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapReport {
    pub threat: Option<Location>,
    pub aggressor: String,
    pub target: String,
    pub domain: String,
    pub aggressor_capability: f64,
    pub own: f64,
    /// The domain whose capability `own` is: `domain`, or another through
    /// `settings.substitution`.
    pub own_domain: String,
    pub committed: f64,
    /// None when unbounded: `cap(A, d)` so small that the quotient exceeds
    /// the largest double (never a gap).
    pub ratio: Option<f64>,
    pub threshold: f64,
    pub gap: bool,
    /// `no_umbrella`, `uncovered`, `excluded`, `hollow` or `outmatched`.
    pub reason: Option<String>,
    /// Each guarantor's strongest commitment that would fire.
    pub guarantors: Vec<GuaranteeReport>,
    /// Commitments that protect the target but would not fire, and why.
    pub excluded: Vec<ExclusionReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GuaranteeReport {
    pub guarantor: String,
    pub commitment: String,
    pub location: Location,
    pub p: f64,
    pub contribution: f64,
    /// The domain whose capability counts: the gap's, or another through
    /// `settings.substitution`.
    pub domain: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExclusionReport {
    pub commitment: String,
    pub provision: String,
    pub acting: String,
    pub location: Location,
    /// In words: `not in force (until 1999)`, `condition: within [asia]`, …
    pub why: String,
    /// Where the excluding clause is written, when it is a clause.
    pub clause: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectationReport {
    pub location: Location,
    /// The expectation as written.
    pub text: String,
    pub passed: bool,
    pub computed: String,
}

/// One actor's explanations, scenario by scenario (`dtr analyze --why
/// ACTOR --format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhyOfReport {
    pub version: u32,
    pub file: String,
    pub actor: String,
    pub scenarios: Vec<ScenarioWhy>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioWhy {
    pub scenario: String,
    /// False when the explanations exceed their work budget.
    pub evaluated: bool,
    /// None when the actor acts on no commitment (promises aside).
    pub why: Option<WhyReport>,
}

impl Report {
    /// The explanations of `actor` in each scenario.
    pub fn why_of(&self, actor: &str) -> WhyOfReport {
        WhyOfReport {
            version: self.version,
            file: self.file.clone(),
            actor: actor.to_string(),
            scenarios: self
                .scenarios
                .iter()
                .map(|s| ScenarioWhy {
                    scenario: s.name.clone(),
                    evaluated: s.why.is_some(),
                    why: s.why.as_ref().and_then(|all| all.iter().find(|w| w.actor == actor)).cloned(),
                })
                .collect(),
        }
    }
}

/// Names and positions for one analysis.
pub fn build(model: &Model, analysis: &Analysis, sources: &SourceMap) -> Report {
    let domain_names =
        model.domain_sets.iter().map(|set| set.iter().map(|d| model.domains[d].clone()).collect()).collect();
    let b = Builder { model, sources, domain_names };
    Report {
        version: VERSION,
        file: sources.name(crate::source::FileId(0)).to_string(),
        settings: b.settings(),
        scenarios: analysis.scenarios.iter().map(|s| b.scenario(s)).collect(),
        gaps: analysis.gaps.iter().map(|g| b.gap(g)).collect(),
        expectations: analysis
            .expectations
            .iter()
            .map(|e| ExpectationReport {
                location: b.location(e.span),
                text: sources.slice(e.span).to_string(),
                passed: e.passed,
                computed: e.computed.clone(),
            })
            .collect(),
    }
}

struct Builder<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
    /// The names of each domain set, shared by every event in it: a
    /// million events would otherwise hold a million copies.
    domain_names: Vec<Arc<[String]>>,
}

impl Builder<'_> {
    fn location(&self, span: Span) -> Location {
        let at = self.sources.line_col(span.file, span.start as usize);
        Location { file: self.sources.name(span.file).to_string(), line: at.line, column: at.column }
    }

    fn actor(&self, id: crate::vocabulary::ActorId) -> String {
        self.model.actor(id).name.clone()
    }

    fn cow(&self, id: crate::vocabulary::ActorId) -> Option<u32> {
        let span = self.model.actor(id).span;
        imported::cow_code(self.sources.text(span.file).get(span.end as usize..)?)
    }

    fn rung(&self, id: crate::vocabulary::RungId) -> String {
        self.model.rung_name(id).to_string()
    }

    fn label(&self, id: ExpandedId) -> String {
        self.model.commitment_label(id)
    }

    fn provision(&self, id: ExpandedId) -> String {
        self.model.provision(self.model.commitment(id).provision).name.clone()
    }

    fn domains(&self, set: Option<DomainSetId>) -> Option<Arc<[String]>> {
        set.map(|s| self.domain_names[s.index()].clone())
    }

    fn settings(&self) -> SettingsReport {
        let s = &self.model.settings;
        SettingsReport {
            period: s.period.map(period_text),
            ladder: s.ladder.clone(),
            opening: self.rung(s.opening),
            deterrence_ratio: s.deterrence_ratio,
            credibility_floor: s.credibility_floor,
            samples: s.samples,
            seed: s.seed,
        }
    }

    fn scenario(&self, s: &ScenarioAnalysis) -> ScenarioReport {
        let m = self.model;
        let scenario = &m.scenarios[s.scenario.index()];
        let events = &s.escalation.events;
        let path_of = |actor| s.paths.iter().find(|p| p.actor == actor).map(|p| self.path(&scenario.name, p));
        let zero = Estimate { value: 0.0, interval: None };
        let estimates = |actor: ActorId| {
            s.probabilities
                .enters
                .get(actor.index())
                .map_or((zero, zero, zero), |a| (figure(a.enters), figure(a.attacks), figure(a.attacked)))
        };
        let sides = Sides::of_cascade(events, m.actors.len());
        let mut actors: Vec<ActorReport> = entries(events)
            .into_iter()
            .map(|(actor, i)| {
                let (enters, attacks, attacked) = estimates(actor);
                ActorReport {
                    actor: self.actor(actor),
                    cow: self.cow(actor),
                    side: sides.get(actor),
                    entry: Some(Entry { step: events[i].step, rung: self.rung(events[i].rung), event: i }),
                    enters,
                    attacks,
                    attacked,
                    path: path_of(actor),
                }
            })
            .collect();
        let side_by_path = |actor| {
            let path = s.paths.iter().find(|p| p.actor == actor)?;
            Sides::at_end_of(path, scenario.openings.get(path.opening)?, m.actors.len())
        };
        let mut others: Vec<ActorReport> = s
            .probabilities
            .enters
            .iter()
            .filter(|a| a.enters.value > 0.0 && !s.escalation.enters(a.actor))
            .map(|a| ActorReport {
                actor: self.actor(a.actor),
                cow: self.cow(a.actor),
                side: side_by_path(a.actor),
                entry: None,
                enters: figure(a.enters),
                attacks: figure(a.attacks),
                attacked: figure(a.attacked),
                path: path_of(a.actor),
            })
            .collect();
        others.sort_by(|a, b| b.enters.value.total_cmp(&a.enters.value));
        actors.extend(others);
        ScenarioReport {
            name: scenario.name.clone(),
            label: scenario.label.clone(),
            location: self.location(scenario.span),
            method: s.probabilities.method.clone(),
            events: events.iter().map(|e| self.event(e)).collect(),
            actors,
            top_rung: s.escalation.top_rung.map(|r| self.rung(r)),
            rungs: s
                .probabilities
                .rungs
                .iter()
                .map(|r| LadderRungReport {
                    rung: self.rung(r.rung),
                    reached: figure(r.reached),
                    path: s.rung_paths.iter().find(|p| p.rung == r.rung).map(|p| self.path(&scenario.name, &p.path)),
                    above_all_honoured: r.reached.value > 0.0 && s.escalation.top_rung < Some(r.rung),
                })
                .collect(),
            expected_entrants: figure(s.probabilities.expected_entrants),
            conflicts: s.escalation.conflicts.iter().map(|c| self.conflict(c)).collect(),
            consultations: s.escalation.consultations.iter().map(|c| self.consultation(c)).collect(),
            importance: s
                .importance
                .iter()
                .map(|i| ImportanceReport {
                    provision: m.provision(i.provision).name.clone(),
                    location: self.location(m.provision(i.provision).span),
                    without: tidy(i.without),
                    drop: tidy(i.drop),
                    interval: i.interval.map(interval),
                })
                .collect(),
            importance_skipped: s.importance_skipped,
            capped: s.escalation.capped || s.probabilities.capped,
            budget_share: s.budget_share,
            why: s.why.as_ref().map(|all| all.iter().map(|w| self.why(s, w)).collect()),
        }
    }

    fn why(&self, s: &ScenarioAnalysis, w: &Why) -> WhyReport {
        let events = &s.escalation.events;
        let entry = w.entry.map(|i| {
            let e = &events[i];
            if e.aggressor == w.actor {
                format!("attacks {} at step {}", self.actor(e.victim), e.step)
            } else {
                format!("attacked by {} at step {}", self.actor(e.aggressor), e.step)
            }
        });
        WhyReport {
            actor: self.actor(w.actor),
            entry,
            enters: s.probabilities.enters(w.actor).map_or(Estimate { value: 0.0, interval: None }, figure),
            chain: w.chain.iter().map(|f| self.factors(f)).collect(),
            commitments: w.commitments.iter().map(|o| self.outcome(events, o)).collect(),
        }
    }

    fn factors(&self, f: &Factors) -> FactorsReport {
        let except = if f.except { " (its `except`)" } else { "" };
        let (p, credibility, resolve) = (tidy(f.p), tidy(f.credibility), tidy(f.resolve));
        let text = format!(
            "{} {} = {} credibility{except} × {} resolve",
            self.label(f.commitment),
            percent(p),
            percent(credibility),
            percent(resolve)
        );
        FactorsReport { commitment: self.label(f.commitment), p, credibility, except: f.except, resolve, text }
    }

    fn outcome(&self, events: &[Event], o: &Outcome) -> OutcomeReport {
        let m = self.model;
        let c = m.commitment(o.commitment);
        let event_text = |i: usize| {
            events.get(i).map_or_else(String::new, |e| {
                format!("event {i}, {} attacks {}", self.actor(e.aggressor), self.actor(e.victim))
            })
        };
        let (rule, event, why, clause, side) = match o.fate {
            Fate::Fired { trigger } => (None, Some(trigger), format!("fired on {}", event_text(trigger)), None, None),
            Fate::Stopped { stop, event, target } => {
                let on = event.map(|i| format!(" ({})", event_text(i))).unwrap_or_default();
                let target = target.map(|t| self.actor(t)).unwrap_or_default();
                let (why, clause, side) = match stop {
                    Stop::NotInForce => {
                        let validity = m.provision(c.provision).validity;
                        let (why, clause) = self.not_in_force(o.commitment, validity.since(), validity.until());
                        (why, clause, None)
                    }
                    Stop::Kind => (
                        match c.kind {
                            Kind::Defend => "the actor it protects is never attacked".to_string(),
                            Kind::Join => "the actor it protects never fights".to_string(),
                            _ => "no event it can answer".to_string(),
                        },
                        None,
                        None,
                    ),
                    Stop::OwnAttack => (format!("it would answer its own actor's attack{on}"), None, None),
                    Stop::Consulted => ("already consulted".to_string(), None, None),
                    Stop::AtWar => match c.response.filter(|_| c.kind.attacks()) {
                        // Rule 3: it would have escalated above this rung.
                        Some(r) => {
                            (format!("already at war with {target} at {} or higher{on}", self.rung(r)), None, None)
                        }
                        None => (format!("already at war with {target}{on}"), None, None),
                    },
                    Stop::Fired => (format!("it has attacked {target} already{on}"), None, None),
                    Stop::Condition if c.condition.is_none() => {
                        ("it has no `when`, so it never fires".to_string(), None, None)
                    }
                    Stop::Condition => (format!("its condition does not match{on}"), None, None),
                    Stop::Promise { promise } => (
                        format!("{} forbids attacking {target}{on}", self.label(promise)),
                        Some(m.provision(m.commitment(promise).provision).span),
                        None,
                    ),
                    Stop::Side { side } => (
                        format!("it would attack {target}, but both are on the {} side{on}", side.name()),
                        None,
                        Some(side),
                    ),
                };
                (Some(stop.name().to_string()), event, why, clause, side)
            }
        };
        OutcomeReport {
            commitment: self.label(o.commitment),
            provision: self.provision(o.commitment),
            location: self.location(m.provision(c.provision).span),
            fired: rule.is_none(),
            rule,
            event,
            why,
            clause: clause.map(|s| self.location(s)),
            side,
        }
    }

    fn event(&self, e: &Event) -> EventReport {
        let (cause, trigger, p, provision, location) = match e.cause {
            Cause::Opening { .. } => ("opening".to_string(), None, None, None, None),
            Cause::Firing { commitment, trigger } => (
                self.label(commitment),
                Some(trigger),
                Some(tidy(self.model.commitment(commitment).p)),
                Some(self.provision(commitment)),
                Some(self.declared(commitment)),
            ),
        };
        let m = self.model;
        let nuclear = m.nuclear_domain.is_some_and(|n| e.domains.is_none_or(|s| m.domain_set(s).contains(n.index())));
        let conventional = m.nuclear_domain.is_some()
            && !nuclear
            && e.domains.is_some_and(|s| m.domain_set(s).len() + 1 == m.domains.len());
        EventReport {
            step: e.step,
            aggressor: self.actor(e.aggressor),
            victim: self.actor(e.victim),
            domains: self.domains(e.domains),
            nuclear,
            conventional,
            rung: self.rung(e.rung),
            provoked: e.provoked,
            cause,
            trigger,
            p,
            provision,
            location,
        }
    }

    /// Where the provision an expanded commitment comes from is declared.
    fn declared(&self, id: ExpandedId) -> Location {
        self.location(self.model.provision(self.model.commitment(id).provision).span)
    }

    fn path(&self, scenario: &str, path: &Path) -> PathReport {
        let steps: Vec<PathStepReport> = path
            .steps
            .iter()
            .map(|s| PathStepReport {
                commitment: self.label(s.commitment),
                acting: self.actor(s.acting),
                p: tidy(s.p),
                target: self.actor(s.target),
                rung: self.rung(s.rung),
                location: self.declared(s.commitment),
            })
            .collect();
        let mut text = scenario.to_string();
        for s in &steps {
            text +=
                &format!(" → {} ({}) → {} attacks {} at {}", s.commitment, percent(s.p), s.acting, s.target, s.rung);
        }
        PathReport { probability: tidy(path.probability), steps, text }
    }

    fn conflict(&self, c: &Conflict) -> ConflictReport {
        let (promise, side) = match c.stop {
            Stop::Promise { promise } => (Some(promise), None),
            Stop::Side { side } => (None, Some(side)),
            other => unreachable!("{other:?} is not a conflict"),
        };
        ConflictReport {
            commitment: self.label(c.commitment),
            acting: self.actor(c.acting),
            target: self.actor(c.target),
            rule: c.stop.name().to_string(),
            promise: promise.map(|p| self.label(p)),
            promise_credibility: promise.map(|p| tidy(self.model.commitment(p).p)),
            removed: tidy(self.model.commitment(c.commitment).p * c.holds),
            location: self.declared(c.commitment),
            promise_location: promise.map(|p| self.declared(p)),
            side,
            event: c.event,
        }
    }

    fn consultation(&self, c: &Consultation) -> ConsultationReport {
        ConsultationReport {
            commitment: self.label(c.commitment),
            provision: self.provision(c.commitment),
            acting: self.actor(c.acting),
            with: self.actor(c.with),
            event: c.event,
        }
    }

    fn gap(&self, g: &Gap) -> GapReport {
        let m = self.model;
        GapReport {
            threat: g.threat_span.map(|s| self.location(s)),
            aggressor: self.actor(g.aggressor),
            target: self.actor(g.target),
            domain: m.domains[g.domain.index()].clone(),
            aggressor_capability: tidy(g.aggressor_capability),
            own: tidy(g.own),
            own_domain: m.domains[g.own_via.index()].clone(),
            committed: tidy(g.committed),
            ratio: g.ratio.is_finite().then_some(tidy(g.ratio)),
            threshold: tidy(g.threshold),
            gap: g.gap,
            reason: g.reason.map(|r| r.as_str().to_string()),
            guarantors: g
                .guarantors
                .iter()
                .map(|x| GuaranteeReport {
                    guarantor: self.actor(x.guarantor),
                    commitment: self.label(x.commitment),
                    location: self.location(x.span),
                    p: tidy(x.p),
                    contribution: tidy(x.contribution),
                    domain: m.domains[x.via.index()].clone(),
                })
                .collect(),
            excluded: g
                .protectors
                .iter()
                .filter_map(|p| match &p.verdict {
                    Verdict::Fires { .. } => None,
                    Verdict::Excluded { exclusion } => {
                        let (why, clause) = self.exclusion(p.commitment, exclusion);
                        Some(ExclusionReport {
                            commitment: self.label(p.commitment),
                            provision: self.provision(p.commitment),
                            acting: self.actor(p.acting),
                            location: self.location(p.span),
                            why,
                            clause: clause.map(|s| self.location(s)),
                        })
                    }
                })
                .collect(),
        }
    }

    /// An exclusion of commitment `id` in words, with the span of the
    /// clause responsible.
    fn exclusion(&self, id: ExpandedId, e: &Exclusion) -> (String, Option<Span>) {
        match e {
            Exclusion::NotInForce { since, until } => self.not_in_force(id, *since, *until),
            Exclusion::ActorIsAggressor => ("its acting actor is the aggressor".to_string(), None),
            Exclusion::DomainNotCovered => ("its `domains` do not cover this domain".to_string(), None),
            Exclusion::Conventional => {
                ("its response is conventional: nuclear use needs `nuclear` in its `domains`".to_string(), None)
            }
            Exclusion::Condition { clauses } => {
                let written: Vec<String> = clauses
                    .iter()
                    .map(|c| format!("{} `{}`", clause_word(c.clause), self.sources.slice(c.span)))
                    .collect();
                (format!("condition does not match: {}", written.join(", ")), clauses.first().map(|c| c.span))
            }
            Exclusion::Promise { promise, span } => {
                (format!("its actor promised not to attack the aggressor ({})", self.label(*promise)), Some(*span))
            }
        }
    }

    /// Why dates exclude commitment `id`: the interval it is in force, each
    /// bound with the `since`/`until` that sets it and, for an obligation,
    /// whose it is (its validity is its own dates intersected with its
    /// alliance's); or that the two do not overlap at all. The clause is
    /// the bound that excludes the analysis period.
    fn not_in_force(
        &self,
        id: ExpandedId,
        since: Option<(Day, Span)>,
        until: Option<(Day, Span)>,
    ) -> (String, Option<Span>) {
        let source = self.model.provision(self.model.commitment(id).provision);
        let alliance = source.alliance_validity.map(|v| [v.since(), v.until()].map(|b| b.map(|(_, span)| span)));
        let written = |key: &str, span: Span| {
            let whose = match alliance {
                None => "",
                Some(bounds) if bounds.contains(&Some(span)) => "its alliance's ",
                Some(_) => "the obligation's ",
            };
            format!("{whose}`{key}: {}`", self.sources.slice(span))
        };
        if let (Some((first, s)), Some((last, u))) = (since, until)
            && first > last
        {
            let why = format!("never in force: {} is after {}", written("since", s), written("until", u));
            return (why, Some(s));
        }
        let from = since.map(|(day, span)| format!("from {} ({})", day_text(day), written("since", span)));
        let to = until.map(|(day, span)| format!("until {} ({})", day_text(day), written("until", span)));
        let interval: Vec<String> = [from, to].into_iter().flatten().collect();
        let period = self.model.settings.period;
        let clause = match (since, until) {
            (Some((first, span)), _) if period.is_some_and(|p| first > p.end) => Some(span),
            (_, Some((_, span))) => Some(span),
            (since, None) => since.map(|(_, span)| span),
        };
        (format!("not in force in the analysis period: in force {}", interval.join(" ")), clause)
    }
}

/// An estimate's figures as the JSON writes them.
pub(crate) fn figure(e: Estimate) -> Estimate {
    Estimate { value: tidy(e.value), interval: e.interval.map(interval) }
}

fn interval(i: Interval) -> Interval {
    Interval { low: tidy(i.low), high: tidy(i.high) }
}

fn clause_word(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Unprovoked => "provocation clause",
        ClauseKind::Opening => "opening clause",
        ClauseKind::On => "victim clause",
        ClauseKind::By => "adversary clause",
        ClauseKind::In => "domain clause",
        ClauseKind::Within => "region clause",
        ClauseKind::At => "rung clause",
        ClauseKind::WarBetween | ClauseKind::WarWith => "war clause",
        ClauseKind::ThreatTo => "threat clause",
        ClauseKind::Not => "negated clause",
    }
}

/// `2026` for a whole year, `1914-07-28` for a day, `A … B` otherwise.
pub(crate) fn period_text(p: Period) -> String {
    let (start, end) = (p.start.ymd(), p.end.ymd());
    if start.0 == end.0 && (start.1, start.2, end.1, end.2) == (1, 1, 12, 31) {
        format!("{}", start.0)
    } else if start == end {
        day_text(p.start)
    } else {
        format!("{} … {}", day_text(p.start), day_text(p.end))
    }
}

/// `1914-07-28`.
fn day_text(day: Day) -> String {
    let (y, m, d) = day.ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

impl Report {
    /// Writes every file name relative to `dir` (reports stored beside
    /// their file read the same wherever `dtr` runs from).
    pub fn relative_to(&mut self, dir: &std::path::Path) {
        let strip = |name: &mut String| {
            if let Ok(rest) = std::path::Path::new(name.as_str()).strip_prefix(dir) {
                *name = rest.to_string_lossy().into_owned();
            }
        };
        strip(&mut self.file);
        let mut locations: Vec<&mut Location> = Vec::new();
        for s in &mut self.scenarios {
            locations.push(&mut s.location);
            locations.extend(s.events.iter_mut().filter_map(|e| e.location.as_mut()));
            for a in &mut s.actors {
                locations.extend(a.path.iter_mut().flat_map(|p| p.steps.iter_mut().map(|s| &mut s.location)));
            }
            for c in &mut s.conflicts {
                locations.push(&mut c.location);
                locations.extend(c.promise_location.as_mut());
            }
            locations.extend(s.importance.iter_mut().map(|i| &mut i.location));
            for o in s.why.iter_mut().flatten().flat_map(|w| w.commitments.iter_mut()) {
                locations.push(&mut o.location);
                locations.extend(o.clause.as_mut());
            }
        }
        for g in &mut self.gaps {
            locations.extend(g.threat.as_mut());
            locations.extend(g.guarantors.iter_mut().map(|x| &mut x.location));
            for x in &mut g.excluded {
                locations.push(&mut x.location);
                locations.extend(x.clause.as_mut());
            }
        }
        locations.extend(self.expectations.iter_mut().map(|e| &mut e.location));
        for l in locations {
            strip(&mut l.file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{GapReport, build};
    use crate::{analysis, check, model};

    /// Every location a snapshot shows is relative to the file's folder,
    /// the why-not of each commitment's too (a snapshot written from
    /// elsewhere named it `deep/project/world.dtr`).
    #[test]
    fn relative_to_reaches_every_location() {
        let text = "actor A\nactor B\nactor C\ncommitment g: C defends B { when: attack on B at >= general_war }\n\
                    scenario s { A attacks B }\n";
        let checked = check::check_source("deep/project/w.dtr", text);
        let model = model::compile(&checked.program);
        let mut report = build(&model, &analysis::analyze(&model, None), &checked.sources);
        report.relative_to(std::path::Path::new("deep/project"));
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("\"file\":\"w.dtr\"") && !json.contains("deep/project"), "{json}");
        assert!(report.scenarios[0].why.as_ref().is_some_and(|w| !w.is_empty()), "{json}");
    }

    fn gaps(text: &str) -> Vec<GapReport> {
        let checked = check::check_source("test.dtr", text);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let model = model::compile(&checked.program);
        build(&model, &analysis::analyze(&model, None), &checked.sources).gaps
    }

    const WORLD: &str = "actor RUS { capability { land: 10 } }\nactor EST\nactor USA { capability { land: 10 } }\nthreat RUS -> [EST]\n";

    fn why(gap: &GapReport) -> Vec<(&str, usize)> {
        gap.excluded.iter().map(|x| (x.why.as_str(), x.clause.as_ref().map_or(0, |c| c.line))).collect()
    }

    /// An obligation's dates are intersected with its alliance's: each
    /// bound says whose it is, and bounds that cross say so instead of
    /// reading as an impossible interval ("since 2021, until 1985").
    #[test]
    fn dates_that_exclude_say_the_interval_and_whose_each_bound_is() {
        let crossed = gaps(&format!(
            "settings {{ year: 2026 }}\n{WORLD}alliance pact {{\n  members: [EST, USA]\n  since: 1950\n  until: 1985\n  obligation o defend {{ since: 2021 }}\n}}\n"
        ));
        assert_eq!(
            why(&crossed[0]),
            [("never in force: the obligation's `since: 2021` is after its alliance's `until: 1985`", 10)]
        );

        let later = gaps(&format!(
            "settings {{ year: 2000 }}\n{WORLD}alliance pact {{\n  members: [EST, USA]\n  until: 2030\n  obligation o defend {{ since: 2021 }}\n}}\ncommitment c: USA defends EST {{ until: 1999 }}\n"
        ));
        assert_eq!(
            why(&later[0]),
            [
                (
                    "not in force in the analysis period: in force from 2021-01-01 (the obligation's `since: 2021`) until 2030-12-31 (its alliance's `until: 2030`)",
                    9
                ),
                ("not in force in the analysis period: in force until 1999-12-31 (`until: 1999`)", 11),
            ]
        );
    }

    #[test]
    fn imported_actors_have_their_cow_code() {
        let checked = check::check_source(
            "test.dtr",
            "actor GMY \"Germany\" { capability { land: 1 } } // COW 255\nactor X // COW x\nscenario s { GMY attacks X }\n",
        );
        let model = model::compile(&checked.program);
        let report = build(&model, &analysis::analyze(&model, None), &checked.sources);
        let codes: Vec<(&str, Option<u32>)> =
            report.scenarios[0].actors.iter().map(|a| (a.actor.as_str(), a.cow)).collect();
        assert_eq!(codes, [("GMY", Some(255)), ("X", None)]);
    }

    /// A gap without guarantors commits +0 (an empty float sum is −0), and
    /// a ratio too large for a double is `None` (JSON `null`), printed
    /// `unbounded`.
    #[test]
    fn no_negative_zero_and_an_unbounded_ratio_is_none() {
        let g = gaps(WORLD);
        assert!(g[0].committed.is_sign_positive() && g[0].gap);
        let json = serde_json::to_string(&g[0]).unwrap();
        assert!(json.contains("\"committed\":0.0,"), "{json}");
        let tiny = gaps(
            "actor RUS { capability { land: 1e-320 } }\nactor EST { capability { land: 1e10 } }\nthreat RUS -> [EST]\n",
        );
        assert_eq!((tiny[0].ratio, tiny[0].gap), (None, false));
    }
}
