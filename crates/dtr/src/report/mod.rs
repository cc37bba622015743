//! Reports: the analysis turned into one named, self-describing [`Report`]
//! (actor and commitment names, rung names, file positions instead of ids
//! and byte spans). JSON is this structure as serde writes it (schema in
//! docs/report.md); the text and DOT renderers read it and compute nothing.

pub mod dot;
pub mod sweep;
pub mod text;

use crate::analysis::Analysis;
use crate::analysis::cascade::{Conflict, Consultation};
use crate::analysis::escalation::entries;
use crate::analysis::event::{Cause, Event};
use crate::analysis::expectations::percent;
use crate::analysis::gaps::{Exclusion, Gap, Verdict};
use crate::analysis::paths::Path;
use crate::analysis::probability::{Estimate, Method};
use crate::analysis::{ScenarioAnalysis, condition::ClauseKind};
use crate::check::program::Period;
use crate::model::Model;
use crate::vocabulary::{DomainSetId, ExpandedId};
use crate::source::{SourceMap, Span};
use serde::Serialize;

/// The version of the JSON schema; bumped on any incompatible change.
pub const VERSION: u32 = 1;

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
    pub rungs: Vec<RungReport>,
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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventReport {
    pub step: u32,
    pub aggressor: String,
    pub victim: String,
    /// None means every domain.
    pub domains: Option<Vec<String>>,
    pub rung: String,
    pub provoked: bool,
    /// `opening` or the label of the commitment that fired.
    pub cause: String,
    /// Index (in `events`) of the event the commitment answered.
    pub trigger: Option<usize>,
    /// Effective probability of the commitment that fired (None for an opening).
    pub p: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorReport {
    pub actor: String,
    /// Where it enters when every commitment is honoured: None when it
    /// stays out of that cascade.
    pub entry: Option<Entry>,
    pub enters: Estimate,
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
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct RungReport {
    pub rung: String,
    pub reached: Estimate,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictReport {
    pub commitment: String,
    pub acting: String,
    pub target: String,
    pub promise: String,
    pub location: Location,
    pub promise_location: Location,
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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapReport {
    pub threat: Option<Location>,
    pub aggressor: String,
    pub target: String,
    pub domain: String,
    pub aggressor_capability: f64,
    pub own: f64,
    pub committed: f64,
    pub ratio: f64,
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

/// Names and positions for one analysis.
pub fn build(model: &Model, analysis: &Analysis, sources: &SourceMap) -> Report {
    let b = Builder { model, sources };
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
}

impl Builder<'_> {
    fn location(&self, span: Span) -> Location {
        let at = self.sources.line_col(span.file, span.start as usize);
        Location { file: self.sources.name(span.file).to_string(), line: at.line, column: at.column }
    }

    fn actor(&self, id: crate::vocabulary::ActorId) -> String {
        self.model.actor(id).name.clone()
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

    fn domains(&self, set: Option<DomainSetId>) -> Option<Vec<String>> {
        set.map(|s| self.model.domain_set(s).iter().map(|d| self.model.domains[d].clone()).collect())
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
        let probability = |actor| s.probabilities.enters(actor).unwrap_or(Estimate { value: 0.0, interval: None });
        let mut actors: Vec<ActorReport> = entries(events)
            .into_iter()
            .map(|(actor, i)| ActorReport {
                actor: self.actor(actor),
                entry: Some(Entry { step: events[i].step, rung: self.rung(events[i].rung), event: i }),
                enters: probability(actor),
                path: path_of(actor),
            })
            .collect();
        let mut others: Vec<ActorReport> = s
            .probabilities
            .enters
            .iter()
            .filter(|a| a.enters.value > 0.0 && !s.escalation.enters(a.actor))
            .map(|a| ActorReport { actor: self.actor(a.actor), entry: None, enters: a.enters, path: path_of(a.actor) })
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
                .map(|r| RungReport { rung: self.rung(r.rung), reached: r.reached })
                .collect(),
            expected_entrants: s.probabilities.expected_entrants,
            conflicts: s.escalation.conflicts.iter().map(|c| self.conflict(c)).collect(),
            consultations: s.escalation.consultations.iter().map(|c| self.consultation(c)).collect(),
            importance: s
                .importance
                .iter()
                .map(|i| ImportanceReport {
                    provision: m.provision(i.provision).name.clone(),
                    location: self.location(m.provision(i.provision).span),
                    without: i.without,
                    drop: i.drop,
                })
                .collect(),
            importance_skipped: s.importance_skipped,
            capped: s.escalation.capped || s.probabilities.capped,
        }
    }

    fn event(&self, e: &Event) -> EventReport {
        let (cause, trigger, p) = match e.cause {
            Cause::Opening { .. } => ("opening".to_string(), None, None),
            Cause::Firing { commitment, trigger } => {
                (self.label(commitment), Some(trigger), Some(self.model.commitment(commitment).p))
            }
        };
        EventReport {
            step: e.step,
            aggressor: self.actor(e.aggressor),
            victim: self.actor(e.victim),
            domains: self.domains(e.domains),
            rung: self.rung(e.rung),
            provoked: e.provoked,
            cause,
            trigger,
            p,
        }
    }

    fn path(&self, scenario: &str, path: &Path) -> PathReport {
        let steps: Vec<PathStepReport> = path
            .steps
            .iter()
            .map(|s| PathStepReport {
                commitment: self.label(s.commitment),
                acting: self.actor(s.acting),
                p: s.p,
                target: self.actor(s.target),
                rung: self.rung(s.rung),
            })
            .collect();
        let mut text = scenario.to_string();
        for s in &steps {
            text += &format!(" → {} ({}) → {} attacks {} at {}", s.commitment, percent(s.p), s.acting, s.target, s.rung);
        }
        PathReport { probability: path.probability, steps, text }
    }

    fn conflict(&self, c: &Conflict) -> ConflictReport {
        let m = self.model;
        ConflictReport {
            commitment: self.label(c.commitment),
            acting: self.actor(c.acting),
            target: self.actor(c.target),
            promise: self.label(c.promise),
            location: self.location(m.provision(m.commitment(c.commitment).provision).span),
            promise_location: self.location(m.provision(m.commitment(c.promise).provision).span),
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
            aggressor_capability: g.aggressor_capability,
            own: g.own,
            committed: g.committed,
            ratio: g.ratio,
            threshold: g.threshold,
            gap: g.gap,
            reason: g.reason.map(|r| r.as_str().to_string()),
            guarantors: g
                .guarantors
                .iter()
                .map(|x| GuaranteeReport {
                    guarantor: self.actor(x.guarantor),
                    commitment: self.label(x.commitment),
                    location: self.location(x.span),
                    p: x.p,
                    contribution: x.contribution,
                })
                .collect(),
            excluded: g
                .protectors
                .iter()
                .filter_map(|p| match &p.verdict {
                    Verdict::Fires { .. } => None,
                    Verdict::Excluded { exclusion } => {
                        let (why, clause) = self.exclusion(exclusion);
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

    /// An exclusion in words, with the span of the clause responsible.
    fn exclusion(&self, e: &Exclusion) -> (String, Option<Span>) {
        match e {
            Exclusion::NotInForce { since, until } => {
                let written = |s: &Option<Span>, key: &str| s.map(|s| format!("{key} {}", self.sources.slice(s)));
                let parts: Vec<String> = [written(since, "since"), written(until, "until")].into_iter().flatten().collect();
                let clause = since.or(*until);
                (format!("not in force in the analysis period ({})", parts.join(", ")), clause)
            }
            Exclusion::ActorIsAggressor => ("its acting actor is the aggressor".to_string(), None),
            Exclusion::DomainNotCovered => ("its `domains` do not cover this domain".to_string(), None),
            Exclusion::Condition { clauses } => {
                let written: Vec<String> =
                    clauses.iter().map(|c| format!("{} `{}`", clause_word(c.clause), self.sources.slice(c.span))).collect();
                (format!("condition does not match: {}", written.join(", ")), clauses.first().map(|c| c.span))
            }
            Exclusion::Promise { promise, span } => {
                (format!("its actor promised not to attack the aggressor ({})", self.label(*promise)), Some(*span))
            }
        }
    }
}

fn clause_word(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Unprovoked => "provocation clause",
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
    let day = |(y, m, d): (i64, i64, i64)| format!("{y:04}-{m:02}-{d:02}");
    if start.0 == end.0 && (start.1, start.2, end.1, end.2) == (1, 1, 12, 31) {
        format!("{}", start.0)
    } else if start == end {
        day(start)
    } else {
        format!("{} … {}", day(start), day(end))
    }
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
            for c in &mut s.conflicts {
                locations.push(&mut c.location);
                locations.push(&mut c.promise_location);
            }
            locations.extend(s.importance.iter_mut().map(|i| &mut i.location));
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
