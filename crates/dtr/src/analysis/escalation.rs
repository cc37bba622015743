//! The all-honoured cascade of a scenario (§5): every expanded commitment
//! that reaches a firing fires.

use super::cascade::horizon::Entry;
use super::cascade::{Cascade, Conflict, Consultation, Mode, Progress};
use super::event::Event;
use crate::model::Model;
use crate::vocabulary::{ActorId, RungId, ScenarioId};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Escalation {
    /// Every event in creation order (which is also queue order).
    pub events: Vec<Event>,
    pub consultations: Vec<Consultation>,
    pub conflicts: Vec<Conflict>,
    /// Actors that are aggressor or victim of some event, in the order they
    /// entered (an event's aggressor before its victim).
    pub entrants: Vec<ActorId>,
    /// The highest rung of any event; None only for a scenario without events.
    pub top_rung: Option<RungId>,
    /// The cascade hit [`super::cascade::EVENT_LIMIT`] and was cut short.
    pub capped: bool,
}

impl Escalation {
    pub fn enters(&self, actor: ActorId) -> bool {
        self.entrants.contains(&actor)
    }
}

pub fn escalate(model: &Model, scenario: ScenarioId) -> Escalation {
    let mut cascade = Cascade::new(model, scenario, Mode::AllHonoured, None);
    while let Progress::Decide(id) = cascade.advance() {
        cascade.decide(id, true);
    }
    Escalation {
        entrants: entrants(&cascade.events),
        top_rung: cascade.war.top,
        capped: cascade.capped,
        events: cascade.events,
        consultations: cascade.consultations,
        conflicts: cascade.conflicts,
    }
}

/// What `dtr sweep` keeps of an all-honoured cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    /// Actors that are aggressor or victim of some event.
    pub entrants: usize,
    pub top_rung: Option<RungId>,
    pub capped: bool,
}

/// The all-honoured cascade's [`Reach`]: the cascade of [`escalate`]
/// without its consultations and conflicts, which create no event. With
/// the model's [`Entry`] tables it stops at the
/// [`Horizon`](super::cascade::horizon::Horizon): the same
/// reach, from fewer events.
pub fn reach(model: &Model, scenario: ScenarioId, entry: Option<&Entry>) -> Reach {
    let mut cascade = Cascade::new(model, scenario, Mode::Events, None);
    let openings = model.scenarios.get(scenario.index()).map_or(&[][..], |s| &s.openings[..]);
    if let Some(horizon) = entry.and_then(|e| e.horizon(openings)) {
        cascade.stop_at_horizon(horizon);
    }
    while let Progress::Decide(id) = cascade.advance() {
        cascade.decide(id, true);
    }
    Reach { entrants: cascade.war.involved.len(), top_rung: cascade.war.top, capped: cascade.capped }
}

/// Each actor once, with the index of the first event involving it, in
/// order of entry.
pub fn entries(events: &[Event]) -> Vec<(ActorId, usize)> {
    let mut seen = crate::model::IdSet::new();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for actor in [e.aggressor, e.victim] {
            if !seen.contains(actor.index()) {
                seen.insert(actor.index());
                out.push((actor, i));
            }
        }
    }
    out
}

fn entrants(events: &[Event]) -> Vec<ActorId> {
    entries(events).into_iter().map(|(actor, _)| actor).collect()
}

#[cfg(test)]
mod tests {
    use super::{Escalation, escalate};
    use crate::analysis::Stop;
    use crate::analysis::side::Side;
    use crate::model::Model;
    use crate::model::testing::{actor, commitment, model, scenario};

    const ACTORS: &str = r#"
        region europe
        region asia
        actor RUS { region: europe }
        actor BLR { region: europe }
        actor EST { region: europe }
        actor LVA { region: europe }
        actor USA
        actor GBR
        actor FRA
        actor GER
        actor BEL
        actor CHN { region: asia }
        actor IRQ actor KWT actor SAU actor EGY actor AUT actor SRB
    "#;

    fn run(declarations: &str, name: &str) -> (Model, Escalation) {
        let m = model(&format!("{ACTORS}\n{declarations}"));
        let e = escalate(&m, scenario(&m, name));
        (m, e)
    }

    /// `AGGRESSOR>VICTIM@rung` per event, `!` when provoked, `/step`.
    fn events(m: &Model, e: &Escalation) -> Vec<String> {
        e.events
            .iter()
            .map(|ev| {
                let provoked = if ev.provoked { "!" } else { "" };
                let (a, v) = (&m.actor(ev.aggressor).name, &m.actor(ev.victim).name);
                format!("{a}>{v}@{}{provoked}/{}", m.rung_name(ev.rung), ev.step)
            })
            .collect()
    }

    fn names(m: &Model, actors: &[crate::vocabulary::ActorId]) -> Vec<String> {
        actors.iter().map(|a| m.actor(*a).name.clone()).collect()
    }

    #[test]
    fn defenders_attack_the_aggressor_at_the_higher_of_trigger_and_response() {
        let (m, e) = run(
            r#"
            commitment high: USA defends EST { response: regional_war }
            commitment low: GBR defends EST { response: coercion }
            scenario s { RUS attacks EST }
            "#,
            "s",
        );
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@regional_war!/1", "GBR>RUS@limited_war!/1"]);
        assert_eq!(names(&m, &e.entrants), ["RUS", "EST", "USA", "GBR"]);
        assert_eq!(e.top_rung.map(|r| m.rung_name(r)), Some("regional_war"));
        assert!(!e.capped);
    }

    #[test]
    fn rule_1_only_provisions_in_force_fire() {
        let declarations = r#"
            commitment later: USA defends EST { since: 2001 }
            commitment over: GBR defends EST { until: 1999 }
            commitment current: FRA defends EST { since: 1990 until: 2010 }
            scenario s { RUS attacks EST }
        "#;
        let (m, e) = run(&format!("settings {{ year: 2000 }}\n{declarations}"), "s");
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "FRA>RUS@limited_war!/1"]);
        // Without an analysis year every provision is in force.
        let (m, e) = run(declarations, "s");
        assert_eq!(names(&m, &e.entrants), ["RUS", "EST", "USA", "GBR", "FRA"]);
    }

    #[test]
    fn rule_2_each_clause_of_an_attack_condition_must_hold() {
        let (m, e) = run(
            r#"
            commitment by_other: USA defends EST { when: attack by [CHN] }
            commitment other_domain: GBR defends EST { when: attack in [cyber] }
            commitment in_domain: FRA defends EST { when: attack in [land, sea] }
            commitment elsewhere: GER defends EST { when: attack within [asia] }
            commitment exact_rung: BEL defends EST { when: attack at regional_war }
            commitment from_rung: LVA defends EST { when: attack at >= coercion }
            commitment no_provocation: BLR defends EST { when: unprovoked attack }
            commitment first_strike: AUT defends EST { when: opening attack }
            scenario s { RUS attacks EST in land }
            scenario p { RUS attacks EST in land provoked }
            "#,
            "s",
        );
        assert_eq!(names(&m, &e.entrants), ["RUS", "EST", "FRA", "LVA", "BLR", "AUT"]);
        let e = escalate(&m, scenario(&m, "p"));
        assert_eq!(names(&m, &e.entrants), ["RUS", "EST", "FRA", "LVA", "AUT"]);
    }

    #[test]
    fn rule_3_the_aggressor_only_follows_its_own_attack_with_a_plan() {
        let (m, e) = run(
            r#"
            commitment plan: RUS attacks LVA { when: war with RUS }
            commitment talk: RUS consults EST { when: war with RUS }
            scenario s { RUS attacks EST }
            "#,
            "s",
        );
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "RUS>LVA@limited_war/1"]);
        assert!(e.consultations.is_empty());
    }

    /// §5 rule 3: an actor at war with the target attacks it again only
    /// above every rung their war has reached (`second` escalates; `third`,
    /// at the trigger's rung, does not).
    #[test]
    fn rule_3_an_actor_already_at_war_with_the_target_fires_only_to_escalate() {
        let (m, e) = run(
            r#"
            commitment first: USA defends EST { response: limited_war }
            commitment second: USA defends EST { response: regional_war }
            commitment third: USA defends LVA
            scenario s { RUS attacks EST  RUS attacks LVA }
            "#,
            "s",
        );
        assert_eq!(
            events(&m, &e),
            ["RUS>EST@limited_war/0", "RUS>LVA@limited_war/0", "USA>RUS@limited_war!/1", "USA>RUS@regional_war!/1"]
        );
    }

    /// §5 rule 3: a commitment fires at most once per response target,
    /// even when a later event would let it escalate; the enemy's plan
    /// answers the war at a higher rung once.
    #[test]
    fn rule_3_a_commitment_escalates_against_an_enemy_once() {
        let (m, e) = run(
            r#"
            commitment guard: USA defends EST
            commitment nuke: RUS attacks USA { when: attack on RUS by [USA] response: general_war }
            scenario s { RUS attacks EST  RUS attacks EST at regional_war }
            "#,
            "s",
        );
        assert_eq!(
            events(&m, &e),
            ["RUS>EST@limited_war/0", "RUS>EST@regional_war/0", "USA>RUS@limited_war!/1", "RUS>USA@general_war!/2"]
        );
        let guard = e.events.iter().filter(|ev| ev.aggressor == crate::model::testing::actor(&m, "USA"));
        assert_eq!(guard.count(), 1, "guard does not answer the second opening: it fired at RUS already");
    }

    #[test]
    fn a_plan_woken_while_its_event_is_processed_fires_on_it_if_declared_later() {
        let later = r#"
            commitment guard: USA defends EST
            commitment plan: GBR attacks BLR { when: war between USA and RUS }
            scenario s { RUS attacks EST }
        "#;
        let (m, e) = run(later, "s");
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1", "GBR>BLR@limited_war/1"]);
        let earlier = r#"
            commitment plan: GBR attacks BLR { when: war between USA and RUS }
            commitment guard: USA defends EST
            scenario s { RUS attacks EST }
        "#;
        let (m, e) = run(earlier, "s");
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1", "GBR>BLR@limited_war/2"]);
        assert!(m.index.roaming.is_empty(), "the plan is indexed by USA and RUS");
    }

    /// §5 rule 3: the consulted party is the consultation's response
    /// target, so an actor at war with it (a queued event counts) does not
    /// consult it; before the war it does.
    #[test]
    fn rule_3_an_actor_at_war_with_the_consulted_party_does_not_consult() {
        let after = r#"
            commitment guard: USA defends EST
            commitment talk: USA consults RUS { when: war with EST }
            scenario s { RUS attacks EST }
        "#;
        let (_, e) = run(after, "s");
        assert_eq!(e.events.len(), 2);
        assert!(e.consultations.is_empty(), "USA attacked RUS on the event before consulting it");
        let before = r#"
            commitment talk: USA consults RUS { when: war with EST }
            commitment guard: USA defends EST
            scenario s { RUS attacks EST }
        "#;
        let (m, e) = run(before, "s");
        let consulted: Vec<(&str, &str)> =
            e.consultations.iter().map(|c| (m.actor(c.acting).name.as_str(), m.actor(c.with).name.as_str())).collect();
        assert_eq!(consulted, [("USA", "RUS")]);
    }

    #[test]
    fn consultations_are_recorded_once_without_events() {
        let (m, e) = run(
            r#"
            commitment talk: USA consults EST { when: war with EST }
            scenario s { RUS attacks EST  BLR attacks EST }
            "#,
            "s",
        );
        assert_eq!(e.events.len(), 2);
        assert_eq!(e.consultations.len(), 1);
        let c = &e.consultations[0];
        assert_eq!((m.actor(c.acting).name.as_str(), m.actor(c.with).name.as_str(), c.event), ("USA", "EST", 0));
    }

    #[test]
    fn rule_4_nonaggression_always_conflicts() {
        let (m, e) = run(
            r#"
            commitment guard: USA defends EST
            commitment pact: USA nonaggression RUS
            scenario s { RUS attacks EST }
            "#,
            "s",
        );
        assert_eq!(e.events.len(), 1);
        assert_eq!(e.conflicts.len(), 1);
        let c = &e.conflicts[0];
        assert_eq!(m.commitment_label(c.commitment), "guard");
        assert_eq!(c.stop, Stop::Promise { promise: commitment(&m, "pact") });
        assert_eq!((c.acting, c.target, c.event), (actor(&m, "USA"), actor(&m, "RUS"), 0));
    }

    #[test]
    fn rule_4_neutrality_conflicts_only_with_a_target_at_war() {
        let declarations = r#"
            commitment schlieffen: GER attacks BEL { when: war between GER and FRA }
            commitment neutrality: GER neutral BEL
            scenario west { FRA attacks GER }
            scenario both { FRA attacks GER  LVA attacks BEL }
        "#;
        let (m, e) = run(declarations, "west");
        assert_eq!(events(&m, &e), ["FRA>GER@limited_war/0", "GER>BEL@limited_war/1"]);
        assert!(e.conflicts.is_empty());
        let e = escalate(&m, scenario(&m, "both"));
        assert_eq!(e.events.len(), 2);
        assert_eq!(e.conflicts[0].stop, Stop::Promise { promise: commitment(&m, "neutrality") });
    }

    #[test]
    fn rule_4_a_promise_with_when_applies_only_while_it_matches() {
        let (m, e) = run(
            r#"
            commitment guard: USA defends EST
            commitment pact: USA nonaggression RUS { when: war with [CHN] }
            scenario s { RUS attacks EST }
            scenario c { RUS attacks EST  CHN attacks LVA }
            "#,
            "s",
        );
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1"]);
        let e = escalate(&m, scenario(&m, "c"));
        assert_eq!(e.events.len(), 2);
        assert_eq!(e.conflicts.len(), 1);
    }

    /// The Gulf case of issue 16: Egypt defends Kuwait against Iraq, then
    /// Saudi Arabia too; the league's `defend` of Iraq against Saudi
    /// Arabia's counter-attack would put Egypt and Kuwait on the side they
    /// fight. Russia's counter-attack on Austria-Hungary (July 1914) brings
    /// Germany in: it is on no side yet.
    #[test]
    fn rule_5_no_actor_fights_its_own_side() {
        let (m, e) = run(
            r#"
            alliance league { members: [IRQ, KWT, SAU, EGY] obligation article2 defend }
            scenario kuwait { IRQ attacks KWT }
            "#,
            "kuwait",
        );
        assert_eq!(events(&m, &e), ["IRQ>KWT@limited_war/0", "SAU>IRQ@limited_war!/1", "EGY>IRQ@limited_war!/1"]);
        let stopped: Vec<(String, &str, &str, Stop)> = e
            .conflicts
            .iter()
            .map(|c| (m.commitment_label(c.commitment), &*m.actor(c.acting).name, &*m.actor(c.target).name, c.stop))
            .collect();
        let side = Stop::Side { side: Side::Target };
        assert_eq!(
            stopped,
            [
                ("league.article2[KWT→IRQ]".to_string(), "KWT", "SAU", side),
                ("league.article2[EGY→IRQ]".to_string(), "EGY", "SAU", side),
                ("league.article2[KWT→IRQ]".to_string(), "KWT", "EGY", side),
                ("league.article2[SAU→IRQ]".to_string(), "SAU", "EGY", side),
            ]
        );
        let (m, e) = run(
            r#"
            commitment serbia: RUS defends SRB
            commitment blank_cheque: GER defends AUT
            scenario july { AUT attacks SRB }
            "#,
            "july",
        );
        assert_eq!(events(&m, &e), ["AUT>SRB@limited_war/0", "RUS>AUT@limited_war!/1", "GER>RUS@limited_war!/2"]);
        assert!(e.conflicts.is_empty());
    }

    #[test]
    fn rule_5_stops_a_plan_against_its_own_side_for_good() {
        let (m, e) = run(
            r#"
            commitment guard: USA defends EST
            commitment turn: USA attacks LVA { when: war with RUS }
            scenario s { RUS attacks EST  BLR attacks LVA }
            "#,
            "s",
        );
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "BLR>LVA@limited_war/0", "USA>RUS@limited_war!/1"]);
        assert_eq!(e.conflicts.len(), 1, "recorded once: {:?}", e.conflicts);
        assert_eq!(e.conflicts[0].stop, Stop::Side { side: Side::Target });
    }

    #[test]
    fn join_attacks_the_other_party_of_a_members_war() {
        let declarations = r#"
            alliance central { members: [GER, BLR] obligation pact join }
            scenario offence { BLR attacks LVA }
            scenario defence { RUS attacks BLR }
        "#;
        let (m, e) = run(declarations, "offence");
        assert_eq!(events(&m, &e), ["BLR>LVA@limited_war/0", "GER>LVA@limited_war/1"]);
        let e = escalate(&m, scenario(&m, "defence"));
        assert_eq!(events(&m, &e), ["RUS>BLR@limited_war/0", "GER>RUS@limited_war!/1"]);
    }

    #[test]
    fn provoked_attacks_do_not_trigger_unprovoked_clauses() {
        let declarations = r#"
            commitment guard: USA defends EST
            commitment csto: BLR defends RUS { when: unprovoked attack }
            scenario narva { RUS attacks EST }
            scenario strike { USA attacks RUS }
        "#;
        let (m, e) = run(declarations, "narva");
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1"]);
        let e = escalate(&m, scenario(&m, "strike"));
        assert_eq!(events(&m, &e), ["USA>RUS@limited_war/0", "BLR>USA@limited_war!/1"]);
    }

    #[test]
    fn only_a_scenarios_own_attacks_trigger_opening_clauses() {
        // BLR defends RUS against an opening attack, not against the USA's
        // counter-attack for EST: an entrant's attack calls no one in.
        let declarations = r#"
            commitment guard: USA defends EST
            commitment ally: BLR defends RUS { when: opening attack }
            scenario narva { RUS attacks EST }
            scenario strike { USA attacks RUS }
        "#;
        let (m, e) = run(declarations, "narva");
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1"]);
        let e = escalate(&m, scenario(&m, "strike"));
        assert_eq!(events(&m, &e), ["USA>RUS@limited_war/0", "BLR>USA@limited_war!/1"]);
    }

    #[test]
    fn the_queue_is_first_in_first_out() {
        let (m, e) = run(
            r#"
            commitment a: USA defends EST
            commitment b: GBR defends LVA
            commitment c: FRA defends USA
            commitment d: GER defends GBR
            scenario s { RUS attacks EST  BLR attacks LVA }
            "#,
            "s",
        );
        // Nothing defends RUS or BLR, so the chain stops after step 1; FRA and
        // GER protect the defenders, who are aggressors here, not victims.
        assert_eq!(
            events(&m, &e),
            ["RUS>EST@limited_war/0", "BLR>LVA@limited_war/0", "USA>RUS@limited_war!/1", "GBR>BLR@limited_war!/1"]
        );
        let (m, e) = run(
            r#"
            commitment a: USA defends EST
            commitment b: BLR defends RUS
            commitment c: GBR defends USA
            scenario s { RUS attacks EST }
            "#,
            "s",
        );
        assert_eq!(
            events(&m, &e),
            ["RUS>EST@limited_war/0", "USA>RUS@limited_war!/1", "BLR>USA@limited_war!/2", "GBR>BLR@limited_war!/3"]
        );
    }

    #[test]
    fn war_between_war_with_and_threat_to_read_the_state() {
        let (m, e) = run(
            r#"
            threat RUS -> [LVA]
            commitment listen: USA consults LVA
            commitment ignore: GBR consults BEL
            commitment watch: FRA consults CHN { when: threat_to [EST] }
            commitment opportunism: GER attacks BLR { when: war between [EST, LVA] and RUS }
            scenario s { RUS attacks EST }
            "#,
            "s",
        );
        let consulted: Vec<String> = e.consultations.iter().map(|c| m.commitment_label(c.commitment)).collect();
        assert_eq!(consulted, ["listen", "watch"]);
        assert_eq!(events(&m, &e), ["RUS>EST@limited_war/0", "GER>BLR@limited_war/1"]);
    }
}
