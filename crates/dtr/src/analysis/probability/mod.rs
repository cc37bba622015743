//! Probabilistic evaluation (§5): each expanded commitment is honoured
//! independently with its probability `p`; one that is not honoured never
//! fires.
//!
//! Exact method: the cascade is run as a decision tree. The first time a
//! commitment is about to fire (rules 1–4 pass) the run branches on honoured
//! (p) / not honoured (1 − p), and that draw holds for the rest of the
//! branch; leaves are weighted by the product of their draws. A commitment
//! that never fires in the all-honoured cascade but would once others fail
//! is thereby covered. Commitments with p = 0 or 1 do not branch.
//! Consultations never change who enters or how high the cascade climbs, so
//! they are not drawn. Firings independent of all others are combined in
//! closed form instead of branched on ([`independent`]). The tree is
//! explored only up to [`exact::LEAF_LIMIT`] leaves.
//!
//! Monte Carlo method (beyond that limit): `settings.samples` independent
//! cascades (at least one), each commitment's draw a SplitMix64 output that
//! depends only on the seed, the sample's index and the commitment's id, so
//! results are the same whatever the number of threads. Proportions come with a 95% Wilson
//! score interval; the expected number of entrants with a 95% normal
//! approximation interval (mean ± 1.96 standard errors).

pub(crate) mod exact;
mod independent;
pub(crate) mod monte_carlo;
mod part;
mod sample_tree;

use super::cascade::Cascade;
use crate::model::{IdSet, Model};
use crate::vocabulary::{ActorId, RungId, ScenarioId};
use serde::{Deserialize, Serialize};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    Exact {
        leaves: u64,
        /// Expanded commitments that reach a firing decision in some branch.
        relevant: usize,
    },
    MonteCarlo {
        /// Samples drawn: `requested` unless the work budget ran out.
        samples: u64,
        requested: u64,
        seed: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// A probability or expectation; `interval` is the 95% confidence interval
/// of a Monte Carlo estimate (None when exact).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub interval: Option<Interval>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorEstimate {
    pub actor: ActorId,
    /// P(joins): it attacks or is attacked.
    pub enters: Estimate,
    /// P(it is the aggressor of some event): an opening aggressor, or it
    /// enters by its own commitment.
    pub attacks: Estimate,
    /// P(it is the victim of some event).
    pub attacked: Estimate,
}

/// An entrant of a finished cascade as the tally stores it: its actor id
/// shifted left by two, bit 0 set when it attacked, bit 1 when attacked.
pub fn entrant(actor: usize, attacks: bool, attacked: bool) -> usize {
    actor << 2 | usize::from(attacks) | usize::from(attacked) << 1
}

/// The entrants of a cascade's war ([`entrant`]).
pub fn entrants(war: &super::event::War) -> impl Iterator<Item = usize> + '_ {
    war.involved.iter().map(|a| entrant(a, war.aggressors.contains(a), war.victims.contains(a)))
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RungEstimate {
    pub rung: RungId,
    pub reached: Estimate,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Probabilities {
    pub method: Method,
    /// P(enters the war) for every actor, in actor order.
    pub enters: Vec<ActorEstimate>,
    /// P(some event reaches the rung) for every rung, lowest first.
    pub rungs: Vec<RungEstimate>,
    /// Σ over actors of P(enters); opening parties count.
    pub expected_entrants: Estimate,
    /// Some cascade hit the event limit.
    pub capped: bool,
}

impl Probabilities {
    pub fn enters(&self, actor: ActorId) -> Option<Estimate> {
        self.enters.get(actor.index()).map(|a| a.enters)
    }

    pub fn reaches(&self, rung: RungId) -> Option<Estimate> {
        self.rungs.get(rung.index()).map(|r| r.reached)
    }
}

/// Weighted outcomes of finished cascades. Monte Carlo weights are 1, so
/// its sums are integers, exact in f64 and independent of merge order.
#[derive(Clone, Debug)]
pub struct Tally {
    pub weight: f64,
    pub enters: Vec<f64>,
    pub attacks: Vec<f64>,
    pub attacked: Vec<f64>,
    pub rungs: Vec<f64>,
    pub entrants: f64,
    pub entrants_squared: f64,
    pub capped: bool,
    /// Commitments that reached a firing decision.
    pub relevant: IdSet,
    /// Commitment considerations spent (see [`monte_carlo::WORK_LIMIT`]).
    pub work: u64,
}

impl Tally {
    pub fn new(model: &Model) -> Tally {
        Tally {
            weight: 0.0,
            enters: vec![0.0; model.actors.len()],
            attacks: vec![0.0; model.actors.len()],
            attacked: vec![0.0; model.actors.len()],
            rungs: vec![0.0; model.settings.ladder.len()],
            entrants: 0.0,
            entrants_squared: 0.0,
            capped: false,
            relevant: IdSet::new(),
            work: 0,
        }
    }

    pub fn add(&mut self, cascade: &Cascade, weight: f64) {
        let war = &cascade.war;
        self.add_outcome(entrants(war), war.top, cascade.capped, cascade.work, weight);
    }

    /// [`Tally::add`] for a finished cascade known by its entrants (as
    /// [`entrant`] codes them), top rung, cap and work.
    pub fn add_outcome(
        &mut self,
        involved: impl Iterator<Item = usize>,
        top: Option<RungId>,
        capped: bool,
        work: u64,
        weight: f64,
    ) {
        self.weight += weight;
        let mut count = 0u32;
        for code in involved {
            count += 1;
            let actor = code >> 2;
            let roles =
                [(&mut self.enters, true), (&mut self.attacks, code & 1 != 0), (&mut self.attacked, code & 2 != 0)];
            for (sums, takes) in roles {
                if let Some(w) = sums.get_mut(actor).filter(|_| takes) {
                    *w += weight;
                }
            }
        }
        if let Some(top) = top {
            for w in self.rungs.iter_mut().take(top.index() + 1) {
                *w += weight;
            }
        }
        let count = f64::from(count);
        self.entrants += weight * count;
        self.entrants_squared += weight * count * count;
        self.capped |= capped;
        self.work += work;
    }

    /// Adds, to a leaf just added with `involved` entrants and top rung
    /// `top`, parts of the tree independent of it and of each other (see
    /// [`independent`]), each known by its [`Marginals`]. The rung
    /// reached is the largest of the leaf's and the parts', so P(≥ r) = 1 −
    /// Π over parts of (1 − P_part(≥ r)) above the leaf's top; the entrants
    /// are the leaf's n plus a sum S of independent counts, so E[S] and
    /// Var(S) add over parts and E[(n + S)²] = n² + 2n·E[S] + Var(S) + E[S]².
    /// A part's target is attacked unless the leaf's `victims` hold it
    /// already or no part on it strikes.
    pub fn add_independent(
        &mut self,
        involved: usize,
        victims: &IdSet,
        top: Option<RungId>,
        parts: &[&Marginals],
        weight: f64,
    ) {
        if parts.is_empty() {
            return;
        }
        let mut spared: Vec<(ActorId, f64)> = Vec::new();
        for part in parts.iter().filter(|m| !victims.contains(m.target.index())) {
            match spared.iter_mut().find(|(t, _)| *t == part.target) {
                Some((_, q)) => *q *= 1.0 - part.strikes,
                None => spared.push((part.target, 1.0 - part.strikes)),
            }
        }
        for (target, q) in spared {
            if let Some(w) = self.attacked.get_mut(target.index()) {
                *w += weight * (1.0 - q);
            }
        }
        // A part's actors enter by attacking its target, and nothing in it
        // attacks them.
        for part in parts {
            for &(actor, p) in &part.enters {
                for sums in [&mut self.enters, &mut self.attacks] {
                    if let Some(w) = sums.get_mut(actor.index()) {
                        *w += weight * p;
                    }
                }
            }
        }
        let above_top = top.map_or(0, |t| t.index() + 1);
        for (rung, w) in self.rungs.iter_mut().enumerate().skip(above_top) {
            let below: f64 = parts.iter().filter_map(|m| m.reaches.get(rung)).map(|p| 1.0 - p).product();
            *w += weight * (1.0 - below);
        }
        let n = involved as f64;
        let mean: f64 = parts.iter().map(|m| m.mean).sum();
        let variance: f64 = parts.iter().map(|m| m.variance).sum();
        self.entrants += weight * mean;
        self.entrants_squared += weight * (2.0 * n * mean + variance + mean * mean);
    }

    pub fn merge(&mut self, other: &Tally) {
        self.weight += other.weight;
        add_into(&mut self.enters, &other.enters);
        add_into(&mut self.attacks, &other.attacks);
        add_into(&mut self.attacked, &other.attacked);
        add_into(&mut self.rungs, &other.rungs);
        self.entrants += other.entrants;
        self.entrants_squared += other.entrants_squared;
        self.capped |= other.capped;
        self.relevant.union_with(&other.relevant);
        self.work += other.work;
    }

    /// The results. Exact weights are probabilities summing to 1 up to
    /// rounding; dividing by their actual sum keeps an actor present in
    /// every leaf at exactly 1. Sampled weights are counts.
    pub fn probabilities(&self, method: Method) -> Probabilities {
        let sampled = matches!(method, Method::MonteCarlo { .. });
        let n = if self.weight > 0.0 { self.weight } else { 1.0 };
        let estimate = |w: f64| Estimate { value: w / n, interval: sampled.then(|| wilson(w, n)) };
        let mean = self.entrants / n;
        let expected_entrants = Estimate {
            value: mean,
            interval: sampled.then(|| {
                let variance =
                    if n > 1.0 { ((self.entrants_squared - n * mean * mean) / (n - 1.0)).max(0.0) } else { 0.0 };
                let half = Z95 * (variance / n).sqrt();
                Interval { low: mean - half, high: mean + half }
            }),
        };
        Probabilities {
            method,
            enters: (0..self.enters.len())
                .map(|i| ActorEstimate {
                    actor: ActorId(i as u32),
                    enters: estimate(self.enters[i]),
                    attacks: estimate(self.attacks[i]),
                    attacked: estimate(self.attacked[i]),
                })
                .collect(),
            rungs: self
                .rungs
                .iter()
                .enumerate()
                .map(|(i, &w)| RungEstimate { rung: RungId(i as u32), reached: estimate(w) })
                .collect(),
            expected_entrants,
            capped: self.capped,
        }
    }
}

/// What a part of the exact tree independent of the rest of its leaf
/// contributes ([`Tally::add_independent`]), from its own enumeration.
#[derive(Clone, Debug)]
pub struct Marginals {
    /// P(enters) of each actor the part may bring in (none of them enters
    /// otherwise).
    pub enters: Vec<(ActorId, f64)>,
    /// P(some event of the part is at rung r or above), from the lowest
    /// rung; rungs beyond the list are never reached.
    pub reaches: Vec<f64>,
    /// Mean and variance of the number of actors the part brings in.
    pub mean: f64,
    pub variance: f64,
    /// The actor every event of the part attacks, and P(the part has an
    /// event): its root is honoured.
    pub target: ActorId,
    pub strikes: f64,
}

fn add_into(into: &mut [f64], from: &[f64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// Wilson score interval for `k` successes out of `n`.
fn wilson(k: f64, n: f64) -> Interval {
    let p = k / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At the edges the bound is exactly 0 or 1; rounding would miss it.
    let low = if k <= 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if k >= n { 1.0 } else { (centre + half).min(1.0) };
    Interval { low, high }
}

/// What one evaluation asks for beyond the tally.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub scenario: ScenarioId,
    /// Stop each cascade once this rung is reached (only its probability is
    /// then meaningful).
    pub stop_at: Option<RungId>,
    /// Collect the most probable entry paths.
    pub paths: bool,
}

pub struct Evaluation {
    pub tally: Tally,
    pub method: Method,
    pub paths: super::paths::BestPaths,
}

/// Exact when the tree fits in the leaf limit, Monte Carlo otherwise.
pub fn evaluate(model: &Model, p: &[f64], request: Request) -> Evaluation {
    exact::explore(model, p, request).unwrap_or_else(|| monte_carlo::sample(model, p, request))
}

/// [`evaluate`] within `work` considerations, both methods together, and
/// whether that budget cut it short where the methods' own limits would
/// not have: the exact walk gave up at it, or sampling stopped at it.
pub fn evaluate_within(model: &Model, p: &[f64], request: Request, work: u64) -> (Evaluation, bool) {
    // The exact walk may take half: when it gives up, sampling has the rest.
    let exact_limit = (work / 2).min(exact::WORK_LIMIT);
    match exact::explore_within(model, p, request, exact_limit) {
        Ok(evaluation) => (evaluation, false),
        Err(spent) => {
            let left = work.saturating_sub(spent);
            let evaluation = monte_carlo::sample_within(model, p, request, model.settings.samples.max(1), left);
            let stopped =
                matches!(evaluation.method, Method::MonteCarlo { samples, requested, .. } if samples < requested);
            let cut = (exact_limit < exact::WORK_LIMIT && spent >= exact_limit)
                || (stopped && left < monte_carlo::WORK_LIMIT);
            (evaluation, cut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::monte_carlo;
    use super::{Method, Probabilities, Request, evaluate, wilson};
    use crate::analysis::paths::Path;
    use crate::model::Model;
    use crate::model::testing::{actor, model, rung, scenario};

    fn probabilities(m: &Model, name: &str) -> Probabilities {
        let request = Request { scenario: scenario(m, name), stop_at: None, paths: false };
        let e = evaluate(m, &m.probabilities(), request);
        e.tally.probabilities(e.method)
    }

    fn enters(m: &Model, p: &Probabilities, name: &str) -> f64 {
        p.enters(actor(m, name)).unwrap().value
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    const TWO_DEFENDERS: &str = r#"
        actor RUS actor EST actor USA actor GBR
        commitment a: USA defends EST { credibility: 80% response: regional_war }
        commitment b: GBR defends EST { credibility: 50% }
        scenario s { RUS attacks EST }
    "#;

    #[test]
    fn two_independent_defenders() {
        let m = model(TWO_DEFENDERS);
        let p = probabilities(&m, "s");
        assert_eq!(p.method, Method::Exact { leaves: 4, relevant: 2 });
        assert!(close(enters(&m, &p, "USA"), 0.8) && close(enters(&m, &p, "GBR"), 0.5));
        assert_eq!((enters(&m, &p, "RUS"), enters(&m, &p, "EST")), (1.0, 1.0));
        assert!(close(p.reaches(rung(&m, "regional_war")).unwrap().value, 0.8));
        assert_eq!(p.reaches(rung(&m, "limited_war")).unwrap().value, 1.0);
        assert_eq!(p.reaches(rung(&m, "general_war")).unwrap().value, 0.0);
        assert!(close(p.expected_entrants.value, 3.3));
        assert!(p.expected_entrants.interval.is_none() && !p.capped);
    }

    #[test]
    fn a_commitment_that_never_fires_when_all_honour_still_counts() {
        let m = model(
            r#"
            actor RUS actor EST actor USA
            commitment first: USA defends EST { credibility: 50% response: regional_war }
            commitment second: USA defends EST { credibility: 60% }
            scenario s { RUS attacks EST }
            "#,
        );
        let p = probabilities(&m, "s");
        // `second` fires only when `first` is not honoured: after it, the
        // war is at regional_war, above second's rung (§5 rule 3).
        assert_eq!(p.method, Method::Exact { leaves: 3, relevant: 2 });
        assert!(close(enters(&m, &p, "USA"), 1.0 - 0.5 * 0.4));
        assert!(close(p.reaches(rung(&m, "regional_war")).unwrap().value, 0.5));
    }

    #[test]
    fn chained_commitments_multiply_and_resolve_scales_credibility() {
        let m = model(
            r#"
            actor RUS actor EST actor USA actor GBR { resolve: 50% }
            commitment a: USA defends EST { credibility: 80% }
            alliance pact { members: [USA, GBR] obligation together join }
            scenario s { RUS attacks EST }
            "#,
        );
        let p = probabilities(&m, "s");
        assert!(close(enters(&m, &p, "GBR"), 0.8 * 0.5));
        assert!(close(p.expected_entrants.value, 2.0 + 0.8 + 0.4));
    }

    /// Promises of issue 17: EGY's defence (80% × its 50% resolve) and
    /// SAU's (50%) break promises toward IRQ, kept at 40%, and at 30% and
    /// 50%; the resolve does not weaken EGY's promise.
    const PROMISES: &str = r#"
        settings { samples: 20000 seed: 3 }
        actor IRQ actor KWT actor EGY { resolve: 50% } actor SAU
        commitment guard: EGY defends KWT { credibility: 80% }
        commitment guard2: SAU defends KWT { credibility: 50% }
        commitment pact: EGY nonaggression IRQ { credibility: 40% }
        commitment calm: SAU neutral IRQ { credibility: 30% }
        commitment calm2: SAU nonaggression IRQ { credibility: 50% }
        scenario s { IRQ attacks KWT }
    "#;

    #[test]
    fn a_firing_happens_with_p_times_the_chance_every_promise_it_breaks_is_broken() {
        let m = model(PROMISES);
        let p = probabilities(&m, "s");
        assert!(matches!(p.method, Method::Exact { .. }));
        assert!(close(enters(&m, &p, "EGY"), 0.8 * 0.5 * (1.0 - 0.4)));
        assert!(close(enters(&m, &p, "SAU"), 0.5 * (1.0 - 0.3) * (1.0 - 0.5)));
    }

    #[test]
    fn a_promise_is_kept_or_broken_once_per_cascade() {
        // Both defences are certain: EGY enters exactly when its one
        // promise is broken (50%), not once per defence (75%).
        let m = model(
            r#"
            actor IRQ actor KWT actor SAU actor EGY
            commitment k: EGY defends KWT
            commitment s: EGY defends SAU
            commitment pact: EGY nonaggression IRQ { credibility: 50% }
            scenario two { IRQ attacks KWT IRQ attacks SAU }
            "#,
        );
        let p = probabilities(&m, "two");
        assert!(close(enters(&m, &p, "EGY"), 0.5));
        // Two leaves: kept, and broken (the defences, certain, branch not).
        assert!(matches!(p.method, Method::Exact { leaves: 2, .. }), "{:?}", p.method);
    }

    #[test]
    fn a_promise_at_100_percent_is_still_a_veto_and_costs_no_branch() {
        let m = model(
            r#"
            actor IRQ actor KWT actor EGY { resolve: 50% }
            commitment guard: EGY defends KWT { credibility: 80% }
            commitment pact: EGY nonaggression IRQ
            scenario s { IRQ attacks KWT }
            "#,
        );
        let p = probabilities(&m, "s");
        assert_eq!(enters(&m, &p, "EGY"), 0.0);
        assert_eq!(p.method, Method::Exact { leaves: 1, relevant: 0 });
    }

    #[test]
    fn monte_carlo_agrees_with_the_exact_method_on_promises() {
        let m = model(PROMISES);
        let exact = probabilities(&m, "s");
        let request = Request { scenario: scenario(&m, "s"), stop_at: None, paths: false };
        let sampled = monte_carlo::sample(&m, &m.probabilities(), request);
        let sampled = sampled.tally.probabilities(sampled.method);
        for (e, s) in exact.enters.iter().zip(&sampled.enters) {
            let i = s.enters.interval.unwrap();
            assert!(i.low <= e.enters.value && e.enters.value <= i.high, "{e:?} vs {s:?}");
        }
        // Neither method is trivially right: both promises weigh.
        assert!(sampled.enters.iter().filter(|a| a.enters.value > 0.1 && a.enters.value < 0.3).count() == 2);
    }

    const SAMPLED: &str = r#"
        settings { samples: 20000 seed: 11 }
        actor RUS actor EST actor USA actor GBR actor FRA { resolve: 50% }
        commitment a: USA defends EST { credibility: 80% response: regional_war }
        commitment b: GBR defends EST { credibility: 50% }
        alliance pact { members: [USA, FRA] obligation together join { credibility: 70% } }
        scenario s { RUS attacks EST }
    "#;

    #[test]
    fn monte_carlo_agrees_with_the_exact_method_within_its_interval() {
        let m = model(SAMPLED);
        let request = Request { scenario: scenario(&m, "s"), stop_at: None, paths: false };
        let exact = probabilities(&m, "s");
        assert!(matches!(exact.method, Method::Exact { .. }));
        let sampled = monte_carlo::sample(&m, &m.probabilities(), request);
        let sampled = sampled.tally.probabilities(sampled.method);
        assert_eq!(sampled.method, Method::MonteCarlo { samples: 20000, requested: 20000, seed: 11 });
        for (e, s) in exact.enters.iter().zip(&sampled.enters) {
            let i = s.enters.interval.unwrap();
            assert!(i.low <= e.enters.value && e.enters.value <= i.high, "{e:?} vs {s:?}");
        }
        for (e, s) in exact.rungs.iter().zip(&sampled.rungs) {
            let i = s.reached.interval.unwrap();
            assert!(i.low <= e.reached.value && e.reached.value <= i.high, "{e:?} vs {s:?}");
        }
        let i = sampled.expected_entrants.interval.unwrap();
        assert!(i.low <= exact.expected_entrants.value && exact.expected_entrants.value <= i.high);
        assert!(close(enters(&m, &exact, "FRA"), 0.8 * 0.35));
    }

    #[test]
    fn monte_carlo_is_the_same_on_one_and_two_threads() {
        let m = model(SAMPLED);
        let request = Request { scenario: scenario(&m, "s"), stop_at: None, paths: true };
        let run = |threads: usize| -> (Probabilities, Vec<Path>) {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let e = monte_carlo::sample(&m, &m.probabilities(), request);
                (e.tally.probabilities(e.method), e.paths.into_paths(e.tally.weight))
            })
        };
        let (one, two) = (run(1), run(2));
        assert_eq!(one, two);
        assert!(one.0.enters.iter().any(|a| a.enters.value > 0.0 && a.enters.value < 1.0));
    }

    #[test]
    fn a_tree_beyond_the_leaf_limit_is_sampled() {
        let defenders: String = (0..17)
            .map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: 50% }}\n"))
            .collect();
        // BLR answers each defender's attack, so none is independent.
        let guard = "actor BLR commitment guard: BLR defends RUS { credibility: 50% }";
        let m = model(&format!(
            "settings {{ samples: 4000 seed: 3 }}\nactor RUS actor EST {guard}\n{defenders}scenario s {{ RUS attacks EST }}"
        ));
        let p = probabilities(&m, "s");
        assert_eq!(p.method, Method::MonteCarlo { samples: 4000, requested: 4000, seed: 3 });
        for i in 0..17 {
            let e = p.enters(actor(&m, &format!("D{i}"))).unwrap();
            let interval = e.interval.unwrap();
            assert!((e.value - 0.5).abs() < 0.05 && interval.low < e.value && e.value < interval.high, "{e:?}");
        }
        assert_eq!(p.enters(actor(&m, "RUS")).unwrap().value, 1.0);
    }

    #[test]
    fn wilson_interval_contains_the_estimate_and_stays_in_bounds() {
        let i = wilson(50.0, 100.0);
        assert!((i.low - 0.4038).abs() < 1e-3 && (i.high - 0.5962).abs() < 1e-3, "{i:?}");
        let zero = wilson(0.0, 10.0);
        assert_eq!(zero.low, 0.0);
        assert_eq!(wilson(10.0, 10.0).high, 1.0);
        assert!((zero.high - 0.2775).abs() < 1e-3, "{zero:?}");
    }
}
