//! Every directed opening attack of a model (`dtr sweep`): for each pair
//! A ≠ B the synthetic scenario `A attacks B` — every domain, unprovoked, at
//! the opening rung, as a scenario line without `in` or `at` (§3.8) — is run
//! through the same functions `dtr analyze` uses: the all-honoured cascade
//! ([`super::escalation::reach`], its events without the consultations and
//! conflicts a sweep does not report, stopped at its
//! [`super::cascade::horizon::Horizon`]), the probabilistic evaluation
//! ([`super::probability::evaluate`]) and the gap assessment of A against B
//! in each domain ([`super::gaps::assess`]).
//!
//! Results depend only on the model, the options and the pair: each attack's
//! Monte Carlo seed is derived from the model's seed and the pair, so the
//! thread count and the split into [`Shard`]s change nothing.

pub mod arguments;

use super::cascade::horizon::Entry;
use super::escalation;
use super::gaps::{self, Gap};
use super::probability::{self, Method, Probabilities, Request};
use crate::check::program::GapReason;
use crate::model::{self, Model};
use crate::vocabulary::{ActorId, DomainId, RungId, ScenarioId};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One directed opening attack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Attack {
    pub aggressor: ActorId,
    pub victim: ActorId,
}

impl Attack {
    /// The scenario line `AGGRESSOR attacks VICTIM` with every default: all
    /// domains, the opening rung, unprovoked.
    pub fn opening(self, model: &Model) -> model::Opening {
        model::Opening {
            aggressor: self.aggressor,
            victim: self.victim,
            domains: None,
            rung: model.settings.opening,
            provoked: false,
            span: Default::default(),
        }
    }
}

/// Every attack from an actor of `attackers` on a different actor of
/// `targets` (None: every actor), aggressor-major in actor order: the
/// canonical order that [`Shard`]s cut.
pub fn attacks(model: &Model, attackers: Option<&[ActorId]>, targets: Option<&[ActorId]>) -> Vec<Attack> {
    let all: Vec<ActorId> = (0..model.actors.len() as u32).map(ActorId).collect();
    let chosen = |given: Option<&[ActorId]>| -> Vec<ActorId> {
        let mut ids = given.map_or_else(|| all.clone(), <[ActorId]>::to_vec);
        ids.sort();
        ids.dedup();
        ids
    };
    let victims = chosen(targets);
    chosen(attackers)
        .into_iter()
        .flat_map(|aggressor| {
            victims.iter().filter(move |&&v| v != aggressor).map(move |&victim| Attack { aggressor, victim })
        })
        .collect()
}

/// Shard `index` of `count` (1-based: `1/4` … `4/4`) takes every attack
/// whose position in the canonical order is `index − 1` modulo `count`.
/// Dealing attacks round-robin spreads an expensive aggressor's attacks
/// over every shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text.split_once('/').ok_or("expected I/N, such as 2/8")?;
        let number = |s: &str, what: &str| {
            s.trim().parse::<u32>().map_err(|_| format!("the {what} `{}` is not a whole number", s.trim()))
        };
        let (index, count) = (number(i, "shard number")?, number(n, "shard count")?);
        if count == 0 {
            return Err("the shard count must be at least 1".to_string());
        }
        if index == 0 || index > count {
            return Err(format!("shards are numbered from 1 to {count}"));
        }
        Ok(Shard { index, count })
    }

    /// This shard's share of `attacks` (in canonical order).
    pub fn select(self, attacks: &[Attack]) -> Vec<Attack> {
        let (index, count) = (self.index as usize - 1, self.count as usize);
        attacks.iter().skip(index).step_by(count).copied().collect()
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What to evaluate for each attack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Run the probabilistic evaluation (otherwise only the all-honoured
    /// cascade and the gaps).
    pub probabilities: bool,
    /// Monte Carlo samples per attack when the exact method is too large.
    pub samples: u64,
}

/// The results for one attack.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackOutcome {
    pub attack: Attack,
    /// The Monte Carlo seed of this attack ([`attack_seed`]).
    pub seed: u64,
    /// Actors in the all-honoured cascade, the two opening parties included.
    pub entrants: usize,
    /// The highest rung of the all-honoured cascade.
    pub top_rung: Option<RungId>,
    /// The all-honoured cascade hit the event limit.
    pub capped: bool,
    pub probabilities: Option<Chances>,
    /// The domains in which the aggressor has capability and the victim a
    /// deterrence gap against it (§6), in domain order.
    pub gaps: Vec<DomainGap>,
}

/// The part of [`Probabilities`] a sweep keeps: per-actor probabilities
/// for every attack would dominate the output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chances {
    pub method: Method,
    pub expected_entrants: probability::Estimate,
    /// P(some event reaches the rung), lowest rung first.
    pub rungs: Vec<probability::Estimate>,
    pub capped: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DomainGap {
    pub domain: DomainId,
    pub ratio: f64,
    pub reason: Option<GapReason>,
}

/// The Monte Carlo seed of `attack`: a ChaCha8 word keyed by the model's
/// seed and the pair, so neighbouring pairs get unrelated streams. 53 bits,
/// so that JSON readers that hold numbers as doubles keep it exact.
pub fn attack_seed(seed: u64, attack: Attack) -> u64 {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..12].copy_from_slice(&attack.aggressor.0.to_le_bytes());
    key[12..16].copy_from_slice(&attack.victim.0.to_le_bytes());
    ChaCha8Rng::from_seed(key).next_u64() >> 11
}

/// Evaluates `attacks` in parallel, in their order; `done` is called once
/// per attack as it finishes (for a progress bar).
pub fn evaluate(model: &Model, attacks: &[Attack], options: Options, done: &(dyn Fn() + Sync)) -> Vec<AttackOutcome> {
    let p = model.probabilities();
    let entry = Entry::new(model);
    attacks
        .par_iter()
        .map_init(
            || Scratch::new(model, options),
            |scratch, &attack| {
                let outcome = scratch.evaluate(model, &p, &entry, attack, options);
                done();
                outcome
            },
        )
        .collect()
}

/// A copy of the model with one extra scenario that each attack rewrites:
/// the analysis functions read scenarios by id, and the seed and sample
/// count from the settings. One copy per rayon job, not per attack.
struct Scratch {
    model: Model,
    scenario: ScenarioId,
}

impl Scratch {
    fn new(model: &Model, options: Options) -> Scratch {
        let mut copy = model.clone();
        copy.settings.samples = options.samples.max(1);
        let scenario = ScenarioId(copy.scenarios.len() as u32);
        copy.scenarios.push(model::Scenario {
            name: "sweep".to_string(),
            label: None,
            openings: Vec::new(),
            span: Default::default(),
        });
        Scratch { model: copy, scenario }
    }

    fn evaluate(
        &mut self,
        original: &Model,
        p: &[f64],
        entry: &Entry,
        attack: Attack,
        options: Options,
    ) -> AttackOutcome {
        let seed = attack_seed(original.settings.seed, attack);
        self.model.settings.seed = seed;
        let opening = attack.opening(original);
        if let Some(s) = self.model.scenarios.get_mut(self.scenario.index()) {
            s.openings = vec![opening];
        }
        let model = &self.model;
        let cascade = escalation::reach(model, self.scenario, Some(entry));
        let probabilities = options.probabilities.then(|| {
            let e = probability::evaluate(model, p, Request { scenario: self.scenario, stop_at: None, paths: false });
            Chances::from(e.tally.probabilities(e.method))
        });
        AttackOutcome {
            attack,
            seed,
            entrants: cascade.entrants,
            top_rung: cascade.top_rung,
            capped: cascade.capped,
            probabilities,
            gaps: gaps::assessed_domains(original, attack.aggressor, None)
                .into_iter()
                .map(|d| gaps::assess(original, attack.aggressor, attack.victim, d))
                .filter(|g| g.gap)
                .map(DomainGap::from)
                .collect(),
        }
    }
}

impl From<Probabilities> for Chances {
    fn from(p: Probabilities) -> Chances {
        Chances {
            method: p.method,
            expected_entrants: p.expected_entrants,
            rungs: p.rungs.into_iter().map(|r| r.reached).collect(),
            capped: p.capped,
        }
    }
}

impl From<Gap> for DomainGap {
    fn from(g: Gap) -> DomainGap {
        DomainGap { domain: g.domain, ratio: g.ratio, reason: g.reason }
    }
}

#[cfg(test)]
mod tests {
    use super::{Attack, Options, Shard, attack_seed, attacks, evaluate};
    use crate::analysis::escalation::escalate;
    use crate::analysis::probability::{Method, Request, evaluate as probabilities};
    use crate::model::testing::{actor, model, scenario};

    const WORLD: &str = r#"
        settings { samples: 2000 seed: 5 }
        actor RUS { capability { land: 60 } }
        actor EST { capability { land: 2 } }
        actor USA { capability { land: 30 } }
        actor GBR { capability { land: 20 } resolve: 50% }
        commitment guard: USA defends EST { credibility: 80% response: regional_war }
        commitment ally: GBR defends EST { credibility: 60% }
        commitment back: GBR defends USA
        scenario narva { RUS attacks EST }
    "#;

    fn all(m: &crate::model::Model) -> Vec<Attack> {
        attacks(m, None, None)
    }

    #[test]
    fn every_ordered_pair_of_distinct_actors_once() {
        let m = model(WORLD);
        let a = all(&m);
        assert_eq!(a.len(), 4 * 3);
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a.iter().all(|x| x.aggressor != x.victim));
        let rus = [actor(&m, "RUS"), actor(&m, "RUS")];
        let targets = [actor(&m, "RUS"), actor(&m, "EST"), actor(&m, "USA")];
        let subset = attacks(&m, Some(&rus), Some(&targets));
        assert_eq!(subset.iter().map(|a| m.actor(a.victim).name.as_str()).collect::<Vec<_>>(), ["EST", "USA"]);
    }

    #[test]
    fn an_attack_is_evaluated_as_the_scenario_that_declares_it() {
        let m = model(WORLD);
        let narva = Attack { aggressor: actor(&m, "RUS"), victim: actor(&m, "EST") };
        let options = Options { probabilities: true, samples: 2000 };
        let [outcome] = evaluate(&m, &[narva], options, &|| ()).try_into().unwrap();
        let declared = escalate(&m, scenario(&m, "narva"));
        assert_eq!(outcome.entrants, declared.entrants.len());
        assert_eq!(outcome.top_rung, declared.top_rung);
        let e = probabilities(
            &m,
            &m.probabilities(),
            Request { scenario: scenario(&m, "narva"), stop_at: None, paths: false },
        );
        let expected = e.tally.probabilities(e.method);
        let chances = outcome.probabilities.unwrap();
        assert_eq!(chances.expected_entrants, expected.expected_entrants);
        assert_eq!(chances.rungs, expected.rungs.iter().map(|r| r.reached).collect::<Vec<_>>());
        assert!(matches!(chances.method, Method::Exact { .. }));
        // 2 + 24 + 6 against 60: a gap in land.
        assert_eq!(outcome.gaps.len(), 1);
        assert_eq!(outcome.seed, attack_seed(5, narva));
    }

    #[test]
    fn sampled_results_do_not_depend_on_threads_or_shards() {
        // 17 defenders of EST at 50% each, whose attacks on RUS W answers
        // (so none is independent): beyond the exact method's leaves.
        let defenders: String = (0..17)
            .map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: 50% }}\n"))
            .collect();
        let watch = "actor W actor X commitment watch: W attacks X { credibility: 50% when: attack on RUS }";
        let m = model(&format!("settings {{ seed: 9 }}\nactor RUS actor EST {watch}\n{defenders}"));
        let attackers = [actor(&m, "RUS"), actor(&m, "D0"), actor(&m, "D1")];
        let list = attacks(&m, Some(&attackers), Some(&[actor(&m, "EST")]));
        let options = Options { probabilities: true, samples: 64 };
        let run = |threads: usize, list: &[Attack]| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| evaluate(&m, list, options, &|| ()))
        };
        let one = run(1, &list);
        assert_eq!(one, run(2, &list));
        let chances = one[0].probabilities.as_ref().unwrap();
        assert!(matches!(chances.method, Method::MonteCarlo { samples: 64, .. }), "{:?}", chances.method);
        let mut sharded = Vec::new();
        for index in 1..=3 {
            sharded.extend(run(2, &Shard { index, count: 3 }.select(&list)));
        }
        sharded.sort_by_key(|o| o.attack);
        assert_eq!(sharded, one);
        // Different pairs draw from different seeds.
        assert_ne!(one[0].seed, one[1].seed);
    }

    #[test]
    fn shards_deal_attacks_round_robin_and_cover_them_once() {
        let m = model(WORLD);
        let a = all(&m);
        let shards: Vec<Vec<Attack>> = (1..=5).map(|index| Shard { index, count: 5 }.select(&a)).collect();
        assert_eq!(shards[0], [a[0], a[5], a[10]]);
        let mut union: Vec<Attack> = shards.concat();
        union.sort();
        assert_eq!(union, a);
    }

    #[test]
    fn shard_specs() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert_eq!(Shard::parse("1/1").map(|s| s.to_string()), Ok("1/1".to_string()));
        assert_eq!(Shard::parse("0/8"), Err("shards are numbered from 1 to 8".to_string()));
        assert_eq!(Shard::parse("9/8"), Err("shards are numbered from 1 to 8".to_string()));
        assert_eq!(Shard::parse("1/0"), Err("the shard count must be at least 1".to_string()));
        assert!(Shard::parse("2").is_err() && Shard::parse("a/2").is_err() && Shard::parse("-1/2").is_err());
    }
}
