//! The evaluable model: the checked program compiled to dense tables. Every
//! alliance obligation and commitment is expanded into one [`Expanded`]
//! commitment per (acting actor, protected actor); conditions are compiled
//! to [`Predicate`]s with `member` bound; the cascade reads only ids and
//! bitsets. Names and spans are kept beside the tables for reports.

mod compile;
mod gate;
mod idset;
mod predicate;
#[cfg(test)]
pub(crate) mod testing;
pub mod whatif;

pub use compile::compile;
pub use gate::Gate;
pub use idset::IdSet;
pub use predicate::{AttackPredicate, PartySet, Predicate};

use crate::check::program::{ExpectationDecl, Period, Threat, Validity};
use crate::source::Span;
use crate::vocabulary::{
    ActorId, AllianceId, CommitmentId, DomainId, DomainSetId, ExpandedId, ProvisionId, RegionId, RungId, ScenarioId,
};
use serde::Serialize;
use std::sync::Arc;

/// What an expanded commitment binds its acting actor to. Commitment kinds
/// map onto obligation kinds (`defends` → defend, `consults` → consult);
/// `attacks` exists only for commitments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Defend,
    Join,
    Consult,
    Neutral,
    Nonaggression,
    Attacks,
}

impl Kind {
    /// Whether a firing creates an attack event.
    pub fn attacks(self) -> bool {
        matches!(self, Kind::Defend | Kind::Join | Kind::Attacks)
    }

    /// A promise (`neutral`, `nonaggression`) never fires; it blocks firings.
    pub fn is_promise(self) -> bool {
        matches!(self, Kind::Neutral | Kind::Nonaggression)
    }

    /// The probability that a provision of this kind is honoured by an
    /// actor: its credibility for the actor times the actor's resolve. A
    /// promise is kept with its credibility alone: resolve is the will to
    /// fight, which a promise not to fight does not need.
    pub fn probability(self, credibility: f64, resolve: f64) -> f64 {
        if self.is_promise() { credibility } else { credibility * resolve }
    }

    /// `defend`/`defends` and `join`: the kinds that protect an actor (§6).
    pub fn protects(self) -> bool {
        matches!(self, Kind::Defend | Kind::Join)
    }
}

/// Where an expanded commitment comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Obligation { alliance: AllianceId, obligation: usize },
    Commitment { commitment: CommitmentId, alliance_target: bool },
}

/// One provision as declared: the unit that `--set NAME.credibility=…`
/// changes and that importance ranks.
#[derive(Clone, Debug, Serialize)]
pub struct Provision {
    /// `ALLIANCE.obligation` or the commitment's name.
    pub name: String,
    pub origin: Origin,
    pub kind: Kind,
    pub credibility: f64,
    /// Per acting actor credibility, replacing `credibility`.
    pub except: Vec<(ActorId, f64)>,
    pub interoperability: f64,
    pub validity: Validity,
    /// An obligation's alliance's own dates: its `validity` is its own
    /// intersected with them, so each bound comes from one or the other.
    pub alliance_validity: Option<Validity>,
    /// In force in the analysis period (always, without one).
    pub in_force: bool,
    /// Its expanded commitments: a contiguous run of ids.
    pub expanded: std::ops::Range<u32>,
    pub span: Span,
}

impl Provision {
    pub fn credibility_for(&self, actor: ActorId) -> f64 {
        self.except.iter().find(|(a, _)| *a == actor).map_or(self.credibility, |(_, c)| *c)
    }

    pub fn expanded_ids(&self) -> impl Iterator<Item = ExpandedId> + use<> {
        self.expanded.clone().map(ExpandedId)
    }
}

/// One (acting actor, protected actor) instance of a provision.
#[derive(Clone, Debug, Serialize)]
pub struct Expanded {
    #[serde(rename = "source")]
    pub provision: ProvisionId,
    pub kind: Kind,
    pub acting: ActorId,
    /// The protected member, or the commitment's target.
    pub protected: ActorId,
    /// Probability of being honoured: credibility for the acting actor ×
    /// its resolve; for a promise, of being kept: its credibility alone.
    pub p: f64,
    pub interoperability: f64,
    pub response: Option<RungId>,
    /// Domains the response covers; None means every domain.
    pub domains: Option<DomainSetId>,
    pub in_force: bool,
    /// None for a promise without `when` and for an `attacks` plan without
    /// `when` (which never fires). Shared by the commitments of a provision
    /// that protect the same actor: an obligation of an alliance of n
    /// members holds n conditions for its n(n − 1) commitments (a 208-byte
    /// predicate each with a bitset, copied per commitment, was most of a
    /// model's memory).
    pub condition: Option<Arc<Predicate>>,
}

/// An actor as the cascade and the gap analysis read it.
#[derive(Clone, Debug, Serialize)]
pub struct Actor {
    pub name: String,
    pub region: Option<RegionId>,
    /// Every region the actor lies in (empty without a region).
    pub within: IdSet,
    /// Indexed by `DomainId`; missing domains are 0.
    pub capability: Vec<f64>,
    pub resolve: f64,
    pub nuclear: bool,
    pub span: Span,
}

/// The settings the analysis reads (the ladder by name only).
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    pub period: Option<Period>,
    pub ladder: Vec<String>,
    pub nuclear_rung: Option<RungId>,
    pub deterrence_ratio: f64,
    pub credibility_floor: f64,
    pub samples: u64,
    pub seed: u64,
    pub opening: RungId,
    /// Capability counted against threats in another domain (§6).
    pub substitutions: Vec<crate::check::program::Substitution>,
}

/// A scenario: its opening attacks, with domains interned.
#[derive(Clone, Debug, Serialize)]
pub struct Scenario {
    pub name: String,
    pub label: Option<String>,
    pub openings: Vec<Opening>,
    pub span: Span,
}

/// One opening attack of a scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Opening {
    pub aggressor: ActorId,
    pub victim: ActorId,
    /// None means every domain.
    pub domains: Option<DomainSetId>,
    pub rung: RungId,
    pub provoked: bool,
    pub span: Span,
}

/// The cascade's lookup tables: which in-force commitments can react to an
/// event, by the actors it involves, each list in declaration order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Index {
    /// `defend` commitments by protected actor (they need it to be the victim).
    pub defend: Vec<Vec<ExpandedId>>,
    /// `join` commitments by protected actor (they need it to be involved).
    pub join: Vec<Vec<ExpandedId>>,
    /// The acting actors of `defend` and of `join`, by protected actor: an
    /// event whose other party is at war with all of them needs no look at
    /// either list.
    pub defend_actors: Vec<IdSet>,
    pub join_actors: Vec<IdSet>,
    /// The acting actor of every expanded commitment, by id: a compact copy
    /// that the cascade reads to drop candidates already at war with their
    /// target.
    pub acting: Vec<ActorId>,
    /// Each commitment's [`Gate`], by id: tested before the commitment and
    /// its predicate are read. Derived tables are left out of the model's
    /// JSON, and so of its digest.
    #[serde(skip)]
    pub gates: Vec<Gate>,
    /// The `defend` and `join` lists as (acting actor, id) pairs sorted by
    /// acting actor: once most acting actors are at war with an event's
    /// other party, the cascade visits the few that are not through these.
    #[serde(skip)]
    pub defend_by_acting: Vec<Vec<(ActorId, ExpandedId)>>,
    #[serde(skip)]
    pub join_by_acting: Vec<Vec<(ActorId, ExpandedId)>>,
    /// Plans and consultations whose condition holds only on events whose
    /// victim is one of some actors ([`Predicate::victims`]), by those
    /// actors: considered on those events only, like defences.
    pub by_victim: Vec<Vec<ExpandedId>>,
    /// The same without consultations, for cascades that skip them.
    #[serde(skip)]
    pub plans_by_victim: Vec<Vec<ExpandedId>>,
    /// Plans and consultations whose condition reads only the war state
    /// and cannot turn false ([`Predicate::monotone_war_state`]), by the
    /// actors it names: the cascade re-checks such a condition when an
    /// event involves one of them and lets the commitment roam once it
    /// holds.
    pub watching: Vec<Vec<ExpandedId>>,
    /// The cascade watches these: `watching` without the commitments of
    /// `crossing`, which it looks up by pair. (`watching` keeps them
    /// because the model's digest hashes this index.)
    #[serde(skip)]
    pub watched: Vec<Vec<ExpandedId>>,
    /// Other plans and consultations whose condition cannot hold before an
    /// event involves one of some actors ([`Predicate::waking_actors`]),
    /// by those actors: they roam once such an event exists.
    pub waking: Vec<Vec<ExpandedId>>,
    /// Plans and consultations whose condition may hold on any event: the
    /// cascade considers them on every event until they can no longer fire.
    pub roaming: Vec<ExpandedId>,
    /// Promises by acting actor.
    pub promises: Vec<Vec<ExpandedId>>,
    /// The same as (toward, id) sorted: a firing looks up only those toward
    /// its target, in declaration order.
    #[serde(skip)]
    pub promises_toward: Vec<Vec<(ActorId, ExpandedId)>>,
    /// The targets of each acting actor's promises, where the set is no
    /// larger than its list (empty when none is): most firings break no
    /// promise, and the set says so without searching a list that
    /// alliances of many members make long (every member promises every
    /// other).
    #[serde(skip)]
    pub promise_targets: Vec<Option<IdSet>>,
    /// By target, the actors whose promise toward it has no `when`, where
    /// the set is no larger than those promises (empty when none is): such
    /// a promise blocks every defence and join of theirs against the
    /// target, which is a party to the event and so at war, and a cascade
    /// that records no conflicts leaves them out of its candidates.
    #[serde(skip)]
    pub bound_toward: Vec<Option<IdSet>>,
    /// Plans and consultations whose condition is `war between X and Y`
    /// for two named actors, by each of them as (the other, id) sorted:
    /// only an event between the two makes it hold, so the cascade looks
    /// these up by the event's pair instead of watching them.
    #[serde(skip)]
    pub crossing: Vec<Vec<(ActorId, ExpandedId)>>,
    /// Every `defend` and `join`, in force or not, by protected actor: the
    /// protectors a gap assessment (§6) lists.
    #[serde(skip)]
    pub protecting: Vec<Vec<ExpandedId>>,
    /// The highest `response` of an in-force commitment that can attack:
    /// with the openings' rungs, the highest rung any event can have.
    #[serde(skip)]
    pub response_ceiling: Option<RungId>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub settings: Settings,
    pub domains: Vec<String>,
    /// The built-in `nuclear` domain.
    pub nuclear_domain: Option<DomainId>,
    pub regions: Vec<String>,
    pub actors: Vec<Actor>,
    /// Actors that a declared `threat` names as a target (`threat_to`).
    pub threatened: IdSet,
    #[serde(rename = "sources")]
    pub provisions: Vec<Provision>,
    pub commitments: Vec<Expanded>,
    /// Interned domain sets; the first `domains.len()` are the singletons.
    pub domain_sets: Vec<IdSet>,
    pub threats: Vec<Threat>,
    pub scenarios: Vec<Scenario>,
    pub expectations: Vec<ExpectationDecl>,
    pub index: Index,
}

impl Model {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }

    pub fn commitment(&self, id: ExpandedId) -> &Expanded {
        &self.commitments[id.index()]
    }

    pub fn provision(&self, id: ProvisionId) -> &Provision {
        &self.provisions[id.index()]
    }

    pub fn capability(&self, actor: ActorId, domain: DomainId) -> f64 {
        self.actor(actor).capability.get(domain.index()).copied().unwrap_or(0.0)
    }

    pub fn rung_name(&self, rung: RungId) -> &str {
        self.settings.ladder.get(rung.index()).map_or("?", String::as_str)
    }

    pub fn domain_set(&self, id: DomainSetId) -> &IdSet {
        &self.domain_sets[id.index()]
    }

    /// The singleton set `{domain}`.
    pub fn single_domain(&self, domain: DomainId) -> DomainSetId {
        DomainSetId(domain.0)
    }

    pub fn actor_named(&self, name: &str) -> Option<ActorId> {
        self.actors.iter().position(|a| a.name == name).map(|i| ActorId(i as u32))
    }

    pub fn scenario_named(&self, name: &str) -> Option<ScenarioId> {
        self.scenarios.iter().position(|s| s.name == name).map(|i| ScenarioId(i as u32))
    }

    /// A provision by the name `--set NAME.credibility=…` uses: a
    /// commitment's name or `ALLIANCE.obligation`.
    pub fn provision_named(&self, name: &str) -> Option<ProvisionId> {
        self.provisions.iter().position(|s| s.name == name).map(|i| ProvisionId(i as u32))
    }

    /// How reports name an expanded commitment: `NATO.article5[USA→EST]`, a
    /// commitment to one actor by its name (`umbrella`), one to an alliance
    /// as `guarantee[GBR→POL]`.
    pub fn commitment_label(&self, id: ExpandedId) -> String {
        let c = self.commitment(id);
        let provision = self.provision(c.provision);
        match provision.origin {
            Origin::Commitment { alliance_target: false, .. } => provision.name.clone(),
            _ => format!("{}[{}→{}]", provision.name, self.actor(c.acting).name, self.actor(c.protected).name),
        }
    }

    /// What-if: the actor's resolve (clamped to [0, 1]; NaN counts as 0),
    /// recomputing the probability of every commitment it must act on.
    pub fn set_resolve(&mut self, actor: ActorId, resolve: f64) {
        let Some(a) = self.actors.get_mut(actor.index()) else { return };
        a.resolve = probability(resolve);
        for id in 0..self.commitments.len() {
            if self.commitments[id].acting == actor {
                self.refresh_p(ExpandedId(id as u32));
            }
        }
    }

    /// What-if: a provision's credibility for every acting actor (its
    /// `except` entries are replaced too), clamped to [0, 1].
    pub fn set_credibility(&mut self, provision: ProvisionId, credibility: f64) {
        let Some(s) = self.provisions.get_mut(provision.index()) else { return };
        s.credibility = probability(credibility);
        s.except.clear();
        for id in s.expanded_ids().collect::<Vec<_>>() {
            self.refresh_p(id);
        }
    }

    /// What-if: an actor's capability in one domain (gaps read it).
    pub fn set_capability(&mut self, actor: ActorId, domain: DomainId, capability: f64) {
        let Some(a) = self.actors.get_mut(actor.index()) else { return };
        if a.capability.len() <= domain.index() {
            a.capability.resize(domain.index() + 1, 0.0);
        }
        a.capability[domain.index()] = if capability.is_finite() { capability.max(0.0) } else { 0.0 };
    }

    /// What-if: a provision's credibility for one acting actor (its
    /// `except` entry), clamped to [0, 1].
    pub fn set_credibility_for(&mut self, provision: ProvisionId, actor: ActorId, credibility: f64) {
        let Some(s) = self.provisions.get_mut(provision.index()) else { return };
        let value = probability(credibility);
        match s.except.iter_mut().find(|(a, _)| *a == actor) {
            Some(entry) => entry.1 = value,
            None => s.except.push((actor, value)),
        }
        for id in s.expanded_ids().collect::<Vec<_>>() {
            if self.commitments[id.index()].acting == actor {
                self.refresh_p(id);
            }
        }
    }

    /// What-if: a provision's credibility moved by `delta` for every acting
    /// actor, its `except` entries included, each clamped to [0, 1].
    pub fn shift_credibility(&mut self, provision: ProvisionId, delta: f64) {
        let Some(s) = self.provisions.get_mut(provision.index()) else { return };
        s.credibility = probability(s.credibility + delta);
        for entry in &mut s.except {
            entry.1 = probability(entry.1 + delta);
        }
        for id in s.expanded_ids().collect::<Vec<_>>() {
            self.refresh_p(id);
        }
    }

    /// What-if: a provision's interoperability (gaps read it), clamped to [0, 1].
    pub fn set_interoperability(&mut self, provision: ProvisionId, interoperability: f64) {
        let Some(s) = self.provisions.get_mut(provision.index()) else { return };
        s.interoperability = probability(interoperability);
        let value = s.interoperability;
        for id in s.expanded.clone() {
            self.commitments[id as usize].interoperability = value;
        }
    }

    /// What-if: another analysis period (None: every provision in force),
    /// recomputing which provisions are in force and the cascade's index.
    pub fn set_period(&mut self, period: Option<Period>) {
        self.settings.period = period;
        for s in &mut self.provisions {
            s.in_force = s.validity.in_force(period);
        }
        for c in &mut self.commitments {
            c.in_force = self.provisions.get(c.provision.index()).is_some_and(|s| s.in_force);
        }
        self.index = compile::index(&self.actors, &self.commitments, &self.threatened);
    }

    fn refresh_p(&mut self, id: ExpandedId) {
        let c = &self.commitments[id.index()];
        let credibility = self.provisions[c.provision.index()].credibility_for(c.acting);
        let p = c.kind.probability(credibility, self.actors[c.acting.index()].resolve);
        self.commitments[id.index()].p = p;
    }

    /// The honour probability of every expanded commitment, indexed by id.
    pub fn probabilities(&self) -> Vec<f64> {
        self.commitments.iter().map(|c| c.p).collect()
    }
}

fn probability(value: f64) -> f64 {
    if value.is_nan() { 0.0 } else { value.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests {
    use super::testing::{actor, model};
    use super::{Kind, Origin};
    use crate::vocabulary::ExpandedId;

    const TEXT: &str = r#"
        settings { year: 2026 }
        actor USA { resolve: 90% }
        actor GBR
        actor EST
        actor HUN { resolve: 50% }
        actor JPN
        alliance NATO {
          members: [USA, GBR, HUN]
          interoperability: 80%
          obligation article5 defend { credibility: 85% except { HUN: 40% } }
          obligation old defend { until: 2000 }
        }
        commitment umbrella: USA defends JPN { credibility: 60% interoperability: 70% }
        commitment guarantee: GBR defends NATO { credibility: 50% }
    "#;

    #[test]
    fn obligations_expand_acting_member_outer_protected_inner() {
        let m = model(TEXT);
        let pairs: Vec<String> = m.provisions[0]
            .expanded_ids()
            .map(|id| format!("{}→{}", m.actor(m.commitment(id).acting).name, m.actor(m.commitment(id).protected).name))
            .collect();
        assert_eq!(pairs, ["USA→GBR", "USA→HUN", "GBR→USA", "GBR→HUN", "HUN→USA", "HUN→GBR"]);
        assert_eq!(m.commitment_label(ExpandedId(0)), "NATO.article5[USA→GBR]");
        assert!(matches!(m.provisions[0].origin, Origin::Obligation { obligation: 0, .. }));
        assert_eq!(m.commitment(ExpandedId(0)).kind, Kind::Defend);
        assert_eq!(m.commitment(ExpandedId(0)).interoperability, 0.8);
    }

    #[test]
    fn probability_is_credibility_for_the_actor_times_resolve() {
        let m = model(TEXT);
        let p: Vec<f64> = m.provisions[0].expanded_ids().map(|id| m.commitment(id).p).collect();
        let expected = [0.85 * 0.9, 0.85 * 0.9, 0.85, 0.85, 0.4 * 0.5, 0.4 * 0.5];
        for (got, want) in p.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{p:?}");
        }
    }

    #[test]
    fn validity_is_applied_to_the_analysis_period() {
        let m = model(TEXT);
        assert!(m.provisions[0].in_force);
        assert!(!m.provisions[1].in_force);
        assert!(m.provisions[1].expanded_ids().all(|id| !m.commitment(id).in_force));
        assert!(m.index.defend.iter().flatten().all(|&id| m.commitment(id).in_force));
    }

    #[test]
    fn commitments_to_an_alliance_skip_their_own_actor() {
        let m = model(TEXT);
        let umbrella = m.provision_named("umbrella").unwrap();
        let guarantee = m.provision_named("guarantee").unwrap();
        let u = m.provision(umbrella).expanded.start;
        assert_eq!(m.commitment_label(ExpandedId(u)), "umbrella");
        assert_eq!(m.commitment(ExpandedId(u)).interoperability, 0.7);
        let labels: Vec<String> = m.provision(guarantee).expanded_ids().map(|id| m.commitment_label(id)).collect();
        assert_eq!(labels, ["guarantee[GBR→USA]", "guarantee[GBR→HUN]"]);
        assert_eq!(m.provision_named("NATO.article5").map(|s| s.0), Some(0));
        assert_eq!(m.provision_named("NATO"), None);
    }

    #[test]
    fn overrides_recompute_probabilities() {
        let mut m = model(TEXT);
        let usa = actor(&m, "USA");
        m.set_resolve(usa, 0.5);
        let umbrella = m.provision(m.provision_named("umbrella").unwrap()).expanded.start;
        assert!((m.commitment(ExpandedId(umbrella)).p - 0.3).abs() < 1e-12);
        assert!((m.commitment(ExpandedId(0)).p - 0.425).abs() < 1e-12);

        let article5 = m.provision_named("NATO.article5").unwrap();
        m.set_credibility(article5, 1.0);
        let p: Vec<f64> = m.provision(article5).expanded_ids().map(|id| m.commitment(id).p).collect();
        assert_eq!(p, [0.5, 0.5, 1.0, 1.0, 0.5, 0.5]);
        m.set_credibility(article5, 7.0);
        assert_eq!(m.provision(article5).credibility, 1.0);
        m.set_resolve(usa, f64::NAN);
        assert_eq!(m.commitment(ExpandedId(0)).p, 0.0);
    }

    #[test]
    fn the_model_serialises() {
        let m = model(TEXT);
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["commitments"][0]["kind"], "defend");
        assert_eq!(json["sources"][0]["name"], "NATO.article5");
    }
}
