//! Properties of the analysis on random scenarios: the cascade terminates
//! within its bound, probabilities are probabilities, opening parties enter
//! for certain, and certain commitments reproduce the all-honoured cascade.

use crate::common;

use dtr::analysis::analyze;
use dtr::analysis::probability::{Method, Request};
use dtr::internals::{escalate, sample_n};
use dtr::model::compile;
use dtr::vocabulary::ScenarioId;
use proptest::prelude::*;

const KINDS: [&str; 5] = ["defends", "attacks", "consults", "neutral", "nonaggression"];
const RUNGS: [&str; 4] = ["coercion", "limited_war", "regional_war", "general_war"];

#[derive(Clone, Debug)]
struct Commitment {
    actor: usize,
    kind: usize,
    target: usize,
    credibility: u32,
    response: Option<usize>,
    when: Option<(usize, usize, usize)>,
}

#[derive(Clone, Debug)]
struct Scenario {
    actors: usize,
    resolves: Vec<u32>,
    commitments: Vec<Commitment>,
    /// Members (as a bitmask over actors) and obligation kind of an alliance.
    alliance: Option<(u32, usize, u32)>,
    openings: Vec<(usize, usize, Option<usize>, bool)>,
    certain: bool,
}

fn condition(n: usize, (template, a, b): (usize, usize, usize)) -> String {
    let (a, b) = (a % n, b % n);
    match template % 11 {
        7 => format!("attack on [A{a}] by [A{b}]"),
        8 => format!("attack by [A{b}] and war with [A{a}]"),
        9 => format!("threat_to [A{a}] or war between [A{a}] and [A{b}]"),
        0 => "attack".into(),
        1 => "unprovoked attack".into(),
        10 => "opening attack".into(),
        2 => format!("war with [A{a}]"),
        3 => format!("war between [A{a}] and [A{b}]"),
        4 => "attack at >= regional_war".into(),
        5 => format!("threat_to [A{a}]"),
        _ => format!("attack and not war with [A{b}]"),
    }
}

impl Scenario {
    fn text(&self) -> String {
        let n = self.actors;
        let percent = |p: u32| if self.certain { 100 } else { p };
        let mut t = String::from("threat A0 -> [A1]\n");
        for (i, r) in self.resolves.iter().enumerate() {
            t += &format!("actor A{i} {{ resolve: {}% capability {{ land: {} }} }}\n", percent(*r), 10 * (i + 1));
        }
        for (k, c) in self.commitments.iter().enumerate() {
            let (actor, target) = (c.actor % n, c.target % n);
            if actor == target {
                continue;
            }
            let kind = KINDS[c.kind % KINDS.len()];
            let mut body = format!("credibility: {}% ", percent(c.credibility));
            if let Some(r) = c.response {
                body += &format!("response: {} ", RUNGS[r % RUNGS.len()]);
            }
            // `attacks` needs a condition to ever fire.
            match (c.when, kind) {
                (Some(w), _) => body += &format!("when: {}", condition(n, w)),
                (None, "attacks") => body += "when: war with any",
                (None, _) => {}
            }
            t += &format!("commitment c{k}: A{actor} {kind} A{target} {{ {body} }}\n");
        }
        if let Some((mask, kind, credibility)) = self.alliance {
            let members: Vec<String> = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| format!("A{i}")).collect();
            if members.len() >= 2 {
                let kind = ["defend", "join", "consult", "neutral", "nonaggression"][kind % 5];
                t += &format!(
                    "alliance pact {{ members: [{}] obligation o {kind} {{ credibility: {}% }} }}\n",
                    members.join(", "),
                    percent(credibility)
                );
            }
        }
        t += "scenario s {\n";
        for &(a, v, rung, provoked) in &self.openings {
            let (a, v) = (a % n, if v % n == a % n { (a + 1) % n } else { v % n });
            let rung = rung.map(|r| format!(" at {}", RUNGS[r % RUNGS.len()])).unwrap_or_default();
            t += &format!("  A{a} attacks A{v}{rung}{}\n", if provoked { " provoked" } else { "" });
        }
        t + "}\n"
    }
}

fn scenarios() -> impl Strategy<Value = Scenario> {
    (2usize..6).prop_flat_map(|n| {
        // Mostly defences, so that cascades grow.
        let kind =
            prop_oneof![4 => Just(0usize), 2 => Just(1usize), 1 => Just(2usize), 1 => Just(3usize), 1 => Just(4usize)];
        let commitment = (
            0..n,
            kind,
            0..n,
            1u32..=100,
            proptest::option::of(0..4usize),
            proptest::option::of((0..11usize, 0..n, 0..n)),
        )
            .prop_map(|(actor, kind, target, credibility, response, when)| Commitment {
                actor,
                kind,
                target,
                credibility,
                response,
                when,
            });
        (
            proptest::collection::vec(1u32..=100, n),
            proptest::collection::vec(commitment, 0..14),
            proptest::option::of((
                0u32..(1 << n),
                prop_oneof![2 => Just(0usize), 2 => Just(1usize), 1 => 2..5usize],
                1u32..=100,
            )),
            proptest::collection::vec((0..n, 0..n, proptest::option::of(0..4usize), any::<bool>()), 1..3),
            any::<bool>(),
        )
            .prop_map(move |(resolves, commitments, alliance, openings, certain)| Scenario {
                actors: n,
                resolves,
                commitments,
                alliance,
                openings,
                certain,
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn analysis_properties(scenario in scenarios()) {
        let text = scenario.text();
        let checked = dtr::check::check_source("random.dtr", &text);
        let errors: Vec<&String> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
        let model = compile(&checked.program);
        let analysis = analyze(&model, None);
        let s = &analysis.scenarios[0];
        let n = model.actors.len();

        // No negative zero reaches the report.
        let report = serde_json::to_value(dtr::report::build(&model, &analysis, &checked.sources)).expect("json");
        let zeros = common::negative_zeros(&report);
        prop_assert!(zeros.is_empty(), "-0.0 at {zeros:?}\n{text}");

        // Terminates within its bound.
        prop_assert!(!s.escalation.capped);
        prop_assert!(s.escalation.events.len() <= model.scenarios[0].openings.len() + n * (n - 1));

        let p = &s.probabilities;
        for e in p.enters.iter().map(|a| a.enters).chain(p.rungs.iter().map(|r| r.reached)) {
            prop_assert!((0.0..=1.0).contains(&e.value), "{e:?}");
        }
        for pair in p.rungs.windows(2) {
            prop_assert!(pair[0].reached.value >= pair[1].reached.value - 1e-12);
        }
        let sum: f64 = p.enters.iter().map(|a| a.enters.value).sum();
        prop_assert!((sum - p.expected_entrants.value).abs() < 1e-9);

        for o in &model.scenarios[0].openings {
            prop_assert_eq!(p.enters(o.aggressor).unwrap().value, 1.0);
            prop_assert_eq!(p.enters(o.victim).unwrap().value, 1.0);
        }
        // Every probability is positive, so the all-honoured cascade has
        // positive weight and its entrants can enter.
        for &a in &s.escalation.entrants {
            prop_assert!(p.enters(a).unwrap().value > 0.0);
            prop_assert!(s.paths.iter().any(|path| path.actor == a));
        }
        // No path is above its entrant's P(joins) (exact or sampled).
        for path in &s.paths {
            let joins = p.enters(path.actor).unwrap().value;
            prop_assert!(path.probability <= joins + 1e-12, "{path:?} above P(joins) = {joins}\n{text}");
        }
        if scenario.certain {
            for a in &p.enters {
                let expected = if s.escalation.enters(a.actor) { 1.0 } else { 0.0 };
                prop_assert!((a.enters.value - expected).abs() < 1e-12, "{text}");
            }
        }
        // Monte Carlo agrees with the exact method. The band is 5.5 standard
        // errors (not the report's 95% interval) so that hundreds of
        // comparisons per run never fail by chance.
        if matches!(p.method, Method::Exact { .. }) {
            let request = Request { scenario: ScenarioId(0), stop_at: None, paths: false };
            let n = 1000;
            let sampled = sample_n(&model, &model.probabilities(), request, n);
            let sampled = sampled.tally.probabilities(sampled.method);
            let band = |x: f64| 5.5 * (x * (1.0 - x) / n as f64).sqrt() + 1.0 / n as f64;
            let pairs = p.enters.iter().map(|a| a.enters).zip(sampled.enters.iter().map(|a| a.enters));
            let rungs = p.rungs.iter().map(|r| r.reached).zip(sampled.rungs.iter().map(|r| r.reached));
            for (exact, mc) in pairs.chain(rungs) {
                prop_assert!((exact.value - mc.value).abs() <= band(exact.value), "{exact:?} vs {mc:?}\n{text}");
            }
        }
        // Indexing plans and consultations by actor (gated on the victim,
        // watched, woken, looked up by pair) changes nothing: the same cascade as when every one
        // is considered on every event.
        let mut unindexed = model.clone();
        let index = &mut unindexed.index;
        let mut roaming: Vec<_> = index.roaming.clone();
        for lists in [&mut index.waking, &mut index.watching, &mut index.by_victim] {
            roaming.extend(lists.iter().flatten().copied());
            lists.iter_mut().for_each(Vec::clear);
        }
        roaming.extend(index.crossing.iter().flatten().map(|&(_, id)| id));
        index.crossing.iter_mut().for_each(Vec::clear);
        index.watched.iter_mut().chain(&mut index.plans_by_victim).for_each(Vec::clear);
        roaming.sort_unstable();
        roaming.dedup();
        index.roaming = roaming;
        let reference = escalate(&unindexed, ScenarioId(0));
        prop_assert_eq!(&reference.events, &s.escalation.events, "{}", text);
        let json = |x: &(Vec<_>, Vec<_>)| serde_json::to_string(x).unwrap();
        let recorded = |e: &dtr::analysis::Escalation| (e.consultations.clone(), e.conflicts.clone());
        prop_assert_eq!(json(&recorded(&reference)), json(&recorded(&s.escalation)), "{}", text);

        let again = analyze(&model, None);
        prop_assert_eq!(serde_json::to_string(&analysis).unwrap(), serde_json::to_string(&again).unwrap());
    }
}
