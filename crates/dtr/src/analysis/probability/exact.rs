//! The exact method: a depth-first walk of the decision tree, cloning the
//! cascade at each branch (see [`super`]). Parts of the tree
//! that cannot influence the rest nor be influenced by it (a firing and
//! the decisions that answer it: [`super::independent`]) are not branched
//! on: each is enumerated once and each leaf adds its marginals as an
//! independent variable, so the limits below apply to the tree of the
//! other decisions (and the work to both).
//!
//! Whether the tree fits the limits is a property of the tree alone (the
//! leaves and the work are sums over it, whatever the order of the walk),
//! so the walk may give up as soon as it is certain that the tree exceeds
//! them: the result is then the one a full walk would have reached.
//! [`decisive_defences`] gives that certainty without walking the tree.

use super::independent::{Independence, reads_war_state};
use super::part::Parts;
use super::{Evaluation, Marginals, Method, Request, Tally};
use crate::analysis::cascade::{Cascade, Deferral, EVENT_LIMIT, Mode, Progress};
use crate::analysis::paths::BestPaths;
use crate::model::{Kind, Model};

/// The most leaves the exact method explores before it gives way to Monte
/// Carlo: 16 independent undecided commitments.
pub const LEAF_LIMIT: u64 = 1 << 16;

/// The most commitment considerations (summed over every branch) the exact
/// method spends before it gives way to Monte Carlo: a few tenths of a
/// second. Large cascades reach it long before the leaf limit.
pub const WORK_LIMIT: u64 = 4_000_000;

#[derive(Clone, Copy, Debug)]
struct Limits {
    leaves: u64,
    work: u64,
}

const LIMITS: Limits = Limits { leaves: LEAF_LIMIT, work: WORK_LIMIT };

/// None when the tree has more than [`LEAF_LIMIT`] leaves or costs more
/// than [`WORK_LIMIT`] (independent decisions left out of it).
pub fn explore(model: &Model, p: &[f64], request: Request) -> Option<Evaluation> {
    explore_within(model, p, request, WORK_LIMIT).ok()
}

/// [`explore`] within `work` considerations (at most [`WORK_LIMIT`]); on
/// failure, the work spent before giving up.
pub fn explore_within(model: &Model, p: &[f64], request: Request, work: u64) -> Result<Evaluation, u64> {
    let limits = Limits { work: work.min(WORK_LIMIT), ..LIMITS };
    let decisive = decisive_defences(model);
    let independence = Independence::new(model, request.scenario);
    match walk(model, p, request, limits, decisive, independence.as_ref()) {
        Walk::Done(evaluation) => Ok(*evaluation),
        Walk::OverLimits(spent) => Err(spent),
        Walk::Entangled => match walk(model, p, request, limits, decisive, None) {
            Walk::Done(evaluation) => Ok(*evaluation),
            Walk::OverLimits(spent) => Err(spent),
            Walk::Entangled => Err(limits.work),
        },
    }
}

enum Walk {
    Done(Box<Evaluation>),
    /// Given up, after this much work (all of the work limit when that is
    /// what it could not stay within).
    OverLimits(u64),
    /// A deferred decision turned out not to be independent (it would fire
    /// again, or the cascade reached the event limit): walk without deferring.
    Entangled,
}

/// Whether, in `model`, the branching defences and alliance obligations
/// that one run decides on one event are decided in every branch below the
/// first of them, so that k of them prove at least 2^k leaves.
///
/// Why: docs/analysis.md, "Decisive defences".
fn decisive_defences(model: &Model) -> bool {
    model.index.promises.iter().all(Vec::is_empty)
        && model.commitments.iter().filter(|c| c.in_force && c.kind != Kind::Consult).all(|c| !reads_war_state(c))
}

/// The walk. With `decisive`, it also counts leaves that the subtrees
/// still pending are certain to have (see [`decisive_defences`]): a subtree
/// branching off a run after its first decision d₁ of a defence or alliance
/// on the run's current event makes every later such decision of the run
/// on that event, so each of them doubles the subtree's leaves; each of its
/// branches clones at least the events of its root. Decisions deferred
/// with `independence` do not branch, in the run or in any branch that
/// makes them: the test depends on the commitment and the event only.
fn walk(
    model: &Model,
    p: &[f64],
    request: Request,
    limits: Limits,
    decisive: bool,
    independence: Option<&Independence>,
) -> Walk {
    let mut tally = Tally::new(model);
    let mut paths = BestPaths::new(model.actors.len());
    // Leaves found, one for each subtree pending, and one for the run.
    let mut leaves: u64 = 1;
    // Leaves of the full tree: a leaf with parts of l₁, l₂, … outcomes
    // stands for l₁·l₂·… of them.
    let mut outcomes: u64 = 0;
    // Leaves the pending subtrees are certain to have beyond their one, and
    // the work of cloning at their branches.
    let (mut promised, mut promised_work): (u64, u64) = (0, 0);
    let mut work: u64 = 0;
    let mut parts = Parts::default();
    let root = Cascade::new(model, request.scenario, Mode::Drawn, request.stop_at);
    let mut pending = vec![Pending { cascade: root, weight: 1.0, certain: 1 }];
    while let Some(Pending { mut cascade, mut weight, certain }) = pending.pop() {
        promised = promised.saturating_sub(certain - 1);
        promised_work = promised_work.saturating_sub((certain - 1).saturating_mul(cascade.events.len() as u64));
        // The subtrees pending since this run's first defence or alliance
        // decided on its current event.
        let (mut event, mut group) = (None, Vec::new());
        while let Progress::Decide(id) = cascade.advance() {
            if cascade.is_deferred(id) {
                return Walk::Entangled;
            }
            tally.relevant.insert(id.index());
            let honour = p[id.index()];
            if honour <= 0.0 || honour >= 1.0 {
                cascade.decide(id, honour >= 1.0);
                continue;
            }
            if let Some(independence) = independence
                && let Some(k) = parts.find(independence, id, &cascade.events[cascade.head()], p, &mut work)
            {
                if !cascade.defer(id, k, &parts.list[k].commitments) {
                    return Walk::Entangled;
                }
                continue;
            }
            // Each branch adds one leaf to the tree.
            leaves += 1;
            // Cloning the state costs about one unit per event; a deep path
            // through a large cascade would otherwise hold many large clones.
            work += cascade.events.len() as u64;
            if decisive {
                if event != Some(cascade.head()) {
                    group.clear();
                }
                if matches!(model.commitment(id).kind, Kind::Defend | Kind::Join) {
                    event = Some(cascade.head());
                    for &k in &group {
                        let subtree: &mut Pending = &mut pending[k];
                        promised = promised.saturating_add(subtree.certain);
                        // A branch clones at least the events of the subtree's root.
                        let clones = subtree.certain.saturating_mul(subtree.cascade.events.len() as u64);
                        promised_work = promised_work.saturating_add(clones);
                        subtree.certain = subtree.certain.saturating_mul(2);
                    }
                }
                if event == Some(cascade.head()) {
                    group.push(pending.len());
                }
            }
            if leaves.saturating_add(promised) > limits.leaves {
                return Walk::OverLimits(work + cascade.work);
            }
            // Charged in full: the walk could not be paid for within it.
            if (work + cascade.work).saturating_add(promised_work) > limits.work {
                return Walk::OverLimits(limits.work);
            }
            let mut refused = cascade.clone();
            // The shared prefix is counted once, in the honoured branch.
            refused.work = 0;
            refused.decide(id, false);
            pending.push(Pending { cascade: refused, weight: weight * (1.0 - honour), certain: 1 });
            cascade.decide(id, true);
            weight *= honour;
        }
        work += cascade.work;
        if work > limits.work {
            return Walk::OverLimits(limits.work);
        }
        let deferred = &cascade.deferred;
        let part = |d: &Deferral| &parts.list[d.part];
        // With the parts' events the cascade could have been cut short.
        let events = deferred.iter().fold(cascade.events.len(), |n, d| n.saturating_add(part(d).events));
        if !deferred.is_empty() && (cascade.capped || events >= EVENT_LIMIT) {
            return Walk::Entangled;
        }
        tally.add(&cascade, weight);
        let marginals: Vec<&Marginals> = deferred.iter().map(|d| &part(d).marginals).collect();
        let war = &cascade.war;
        tally.add_independent(war.involved.len(), &war.victims, war.top, &marginals, weight);
        outcomes = outcomes.saturating_add(deferred.iter().fold(1u64, |n, d| n.saturating_mul(part(d).leaves)));
        if request.paths {
            paths.observe(&cascade.events, p, weight);
            for d in deferred {
                let part = part(d);
                for (actor, steps, chance) in &part.chains {
                    paths.observe_firings(&cascade.events, d.trigger, *actor, steps, p, weight * chance);
                }
                for (rung, steps, chance) in &part.rung_chains {
                    paths.observe_rung_firings(&cascade.events, d.trigger, *rung, steps, p, weight * chance);
                }
            }
        }
    }
    for part in &parts.list {
        for id in &part.relevant {
            tally.relevant.insert(id.index());
        }
    }
    let method = Method::Exact { leaves: outcomes, relevant: tally.relevant.len() };
    Walk::Done(Box::new(Evaluation { tally, method, paths }))
}

/// A subtree still to walk: the cascade at its root, the probability of
/// reaching it, and the leaves it is certain to have.
struct Pending<'m> {
    cascade: Cascade<'m>,
    weight: f64,
    certain: u64,
}

#[cfg(test)]
mod tests {
    use super::{Independence, LIMITS, Limits, Parts, Walk, decisive_defences, explore, walk};
    use crate::analysis::condition::{Scene, matches};
    use crate::analysis::event::{Event, War};
    use crate::analysis::paths::{Path, RungPath};
    use crate::analysis::probability::{Evaluation, Method, Probabilities, Request};
    use crate::model::Model;
    use crate::model::testing::{actor, model, rung, scenario};
    use crate::vocabulary::ExpandedId;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random world of defences, alliances and plans, with war-state
    /// conditions and promises only when `decisive` is wanted false.
    fn world(rng: &mut ChaCha8Rng, decisive: bool) -> String {
        let n = rng.random_range(4..9);
        let a = |rng: &mut ChaCha8Rng| format!("A{}", rng.random_range(0..n));
        let mut text: String = (0..n).map(|i| format!("actor A{i}\n")).collect();
        for k in 0..rng.random_range(2..14) {
            let (acting, other) = (a(rng), a(rng));
            let credibility = [30, 50, 100, 0][rng.random_range(0..4)];
            let when = match rng.random_range(0..if decisive { 4 } else { 8 }) {
                0 => String::new(),
                1 => format!("when: attack by {other}"),
                2 => format!("when: attack on {other} or not attack by {acting}"),
                3 => format!("when: unprovoked attack on {other}"),
                4 => format!("when: war with {other}"),
                5 => format!("when: attack and not war between {acting} and {other}"),
                6 => format!("when: opening attack or attack by {other}"),
                _ => format!("when: war between {acting} and {other}"),
            };
            let kind = match rng.random_range(0..if decisive { 2 } else { 4 }) {
                0 => "defends",
                1 => "attacks",
                2 => "nonaggression",
                _ => "neutral",
            };
            if acting != other && (kind == "defends" || !when.is_empty() || kind != "attacks") {
                text += &format!("commitment c{k}: {acting} {kind} {other} {{ credibility: {credibility}% {when} }}\n");
            }
        }
        for k in 0..rng.random_range(0..3) {
            let members: Vec<String> = (0..n).filter(|_| rng.random_bool(0.6)).map(|i| format!("A{i}")).collect();
            if members.len() >= 2 {
                let kind = ["defend", "join"][rng.random_range(0..2)];
                let credibility = [40, 70, 100][rng.random_range(0..3)];
                text += &format!(
                    "alliance X{k} {{ members: [{}] obligation o {kind} {{ credibility: {credibility}% }} }}\n",
                    members.join(", ")
                );
            }
        }
        let (x, y) = (a(rng), a(rng));
        let victim = if x == y {
            format!("A{}", (rng.random_range(1..n) + x[1..].parse::<usize>().unwrap_or(0)) % n)
        } else {
            y
        };
        text + &format!("scenario s {{ {x} attacks {victim} }}\n")
    }

    /// [`world`] with actors that each hold one defence (sometimes
    /// conditional, sometimes at a higher rung) or a two-member alliance:
    /// candidates for factoring, which the world's other commitments may
    /// or may not answer.
    fn leafy_world(rng: &mut ChaCha8Rng) -> String {
        let decisive = rng.random_bool(0.85);
        // A sparser world, so that some defences go unanswered.
        let dense = world(rng, decisive);
        let mut text: String = dense
            .lines()
            .filter(|l| l.starts_with("actor") || l.starts_with("scenario") || rng.random_bool(0.4))
            .map(|l| format!("{l}\n"))
            .collect();
        let n = text.lines().filter(|l| l.starts_with("actor A")).count();
        let victim = dense.rsplit(' ').nth(1).unwrap_or("A0").to_string();
        for k in 0..rng.random_range(1..7) {
            let protected = if rng.random_bool(0.6) { victim.clone() } else { format!("A{}", rng.random_range(0..n)) };
            let credibility = [20, 50, 90, 100][rng.random_range(0..4)];
            let response = ["", "response: regional_war", "response: general_war"][rng.random_range(0..3)];
            let when = match rng.random_range(0..5) {
                0 => format!("when: attack by A{}", rng.random_range(0..n)),
                1 => "when: unprovoked attack".to_string(),
                2 => "when: opening attack".to_string(),
                _ => String::new(),
            };
            text += &format!("actor L{k}\n");
            if rng.random_bool(0.8) {
                text += &format!(
                    "commitment l{k}: L{k} defends {protected} {{ credibility: {credibility}% {response} {when} }}\n"
                );
            } else {
                text += &format!(
                    "alliance Y{k} {{ members: [L{k}, {protected}] obligation o join {{ credibility: {credibility}% }} }}\n"
                );
            }
            if rng.random_bool(0.8) {
                text += &allies(rng, k, n);
            }
        }
        text
    }

    /// Allies of `L{k}` that join its wars: with it, a part of several
    /// commitments, or none when an ally is also bound elsewhere.
    fn allies(rng: &mut ChaCha8Rng, k: usize, n: usize) -> String {
        let credibility = |rng: &mut ChaCha8Rng| [30, 60, 100, 0][rng.random_range(0..4)];
        let when = [
            "",
            "when: attack on any by member",
            "when: unprovoked attack on any",
            "when: attack on any at >= regional_war",
        ][rng.random_range(0..4)];
        let mut members = format!("M{k}, L{k}");
        // Sometimes a third member: another defender's part, or an ally of the world.
        match rng.random_range(0..6) {
            0 if k > 0 => members += &format!(", L{}", rng.random_range(0..k)),
            1 => members += &format!(", A{}", rng.random_range(0..n)),
            _ => {}
        }
        let mut text = format!(
            "actor M{k}\nalliance Z{k} {{ members: [{members}] obligation o join {{ credibility: {}% {when} }} }}\n",
            credibility(rng)
        );
        if rng.random_bool(0.3) {
            // An ally of the ally.
            text += &format!(
                "actor N{k}\nalliance W{k} {{ members: [N{k}, M{k}] obligation o join {{ credibility: {}% }} }}\n",
                credibility(rng)
            );
        }
        if rng.random_bool(0.15) {
            text += &format!(
                "commitment m{k}: M{k} defends A{} {{ credibility: {}% }}\n",
                rng.random_range(0..n),
                credibility(rng)
            );
        }
        text
    }

    fn request(m: &Model, paths: bool) -> Request {
        Request { scenario: scenario(m, "s"), stop_at: None, paths }
    }

    fn outcome(m: &Model, limits: Limits, decisive: bool, factor: bool) -> Option<Option<Method>> {
        let independence = if factor { Independence::new(m, scenario(m, "s")) } else { None };
        match walk(m, &m.probabilities(), request(m, false), limits, decisive, independence.as_ref()) {
            Walk::Done(e) => Some(Some(e.method)),
            Walk::OverLimits(_) => Some(None),
            Walk::Entangled => None,
        }
    }

    /// Giving up early on what pending subtrees are certain to hold never
    /// changes the outcome of the walk: on random worlds, with small limits
    /// so that it often applies, the walk with it equals the full walk. With
    /// factoring, the full walk may instead find a deferred decision
    /// entangled (then the unfactored walk is run, checked here too).
    #[test]
    fn decisive_defences_only_give_up_where_the_full_walk_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut given_up, mut checked) = (0, 0);
        for i in 0..600 {
            let text = world(&mut rng, i % 3 != 0);
            let m = model(&text);
            for (leaves, work) in
                [(2, LIMITS.work), (4, LIMITS.work), (16, LIMITS.work), (LIMITS.leaves, 60), (LIMITS.leaves, 300)]
            {
                let limits = Limits { leaves, work };
                if decisive_defences(&m) {
                    let full = outcome(&m, limits, false, false);
                    assert_eq!(outcome(&m, limits, true, false), full, "{text}");
                    let (fast, full_factored) = (outcome(&m, limits, true, true), outcome(&m, limits, false, true));
                    assert!(fast == full_factored || (fast == Some(None) && full_factored.is_none()), "{text}");
                    checked += 1;
                    given_up += usize::from(full == Some(None));
                }
            }
        }
        assert!(checked > 900 && given_up > 200, "{checked} checked, {given_up} given up");
    }

    fn evaluation(m: &Model, factor: bool, limits: Limits) -> Option<Evaluation> {
        let independence = if factor { Independence::new(m, scenario(m, "s")) } else { None };
        match walk(m, &m.probabilities(), request(m, true), limits, true, independence.as_ref()) {
            Walk::Done(e) => Some(*e),
            Walk::OverLimits(_) | Walk::Entangled => None,
        }
    }

    /// The factored evaluation of `text`, checked to fit in one walked leaf
    /// where the full walk does not, and to equal the full walk's.
    fn factored_in_one_leaf(text: &str) -> (Model, Evaluation) {
        let m = model(text);
        let (fast, full) = (evaluation(&m, true, LIMITS).unwrap(), evaluation(&m, false, LIMITS).unwrap());
        let one = Limits { leaves: 1, ..LIMITS };
        assert!(evaluation(&m, true, one).is_some() && evaluation(&m, false, one).is_none());
        assert_same(&fast, &full, text);
        (m, fast)
    }

    fn assert_same(a: &Evaluation, b: &Evaluation, text: &str) {
        let (pa, pb): (Probabilities, Probabilities) =
            (a.tally.probabilities(a.method.clone()), b.tally.probabilities(b.method.clone()));
        assert_eq!(pa.method, pb.method, "{text}");
        let close = |x: f64, y: f64| (x - y).abs() < 1e-12;
        for (x, y) in pa.enters.iter().zip(&pb.enters) {
            assert!(close(x.enters.value, y.enters.value), "{x:?} vs {y:?}\n{text}");
        }
        for (x, y) in pa.rungs.iter().zip(&pb.rungs) {
            assert!(close(x.reached.value, y.reached.value), "{x:?} vs {y:?}\n{text}");
        }
        assert!(close(pa.expected_entrants.value, pb.expected_entrants.value), "{text}");
        assert!(close(a.tally.entrants_squared / a.tally.weight, b.tally.entrants_squared / b.tally.weight), "{text}");
        assert_eq!(a.tally.relevant, b.tally.relevant, "{text}");
        let (qa, qb): (Vec<Path>, Vec<Path>) =
            (a.paths.clone().into_paths(a.tally.weight), b.paths.clone().into_paths(b.tally.weight));
        // The same chains, with the same probabilities up to the order of the sums.
        let strip = |q: &[Path]| q.iter().map(|x| Path { probability: 0.0, ..x.clone() }).collect::<Vec<_>>();
        assert_eq!(strip(&qa), strip(&qb), "{text}");
        for (x, y) in qa.iter().zip(&qb) {
            assert!(close(x.probability, y.probability), "{x:?} vs {y:?}\n{text}");
        }
        // The same chains first reach each rung, with the same probabilities.
        let (ra, rb) =
            (a.paths.clone().take_rung_paths(a.tally.weight), b.paths.clone().take_rung_paths(b.tally.weight));
        let strip =
            |q: &[RungPath]| q.iter().map(|x| (x.rung, strip(std::slice::from_ref(&x.path)))).collect::<Vec<_>>();
        assert_eq!(strip(&ra), strip(&rb), "{text}");
        for (x, y) in ra.iter().zip(&rb) {
            assert!(close(x.path.probability, y.path.probability), "{x:?} vs {y:?}\n{text}");
        }
    }

    /// Whether some commitment that answers an opening event of `m` roots
    /// a part with members that reach a decision.
    fn has_part_of_several(m: &Model) -> bool {
        let Some(independence) = Independence::new(m, scenario(m, "s")) else { return false };
        let p = m.probabilities();
        let openings = &m.scenarios[scenario(m, "s").index()].openings;
        openings.iter().enumerate().any(|(i, o)| {
            let trigger = Event::opening(o, i);
            let mut war = War::default();
            war.add(&trigger);
            let scene = Scene { model: m, event: &trigger, war: &war };
            m.commitments.iter().enumerate().any(|(c, commitment)| {
                let mut parts = Parts::default();
                commitment.condition.as_deref().is_some_and(|condition| matches(condition, scene))
                    && parts
                        .find(&independence, ExpandedId(c as u32), &trigger, &p, &mut 0)
                        .is_some_and(|k| !parts.list[k].relevant.is_empty())
            })
        })
    }

    /// The factored walk gives the full walk's probabilities, outcome
    /// count, relevant commitments and best paths, on random worlds where
    /// both fit the limits, many of them with parts of several commitments.
    #[test]
    fn factoring_equals_the_full_walk_on_random_worlds() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        // Small trees keep the test fast in debug builds.
        let limits = Limits { leaves: 1 << 10, work: 100_000 };
        let (mut compared, mut factored, mut several) = (0, 0, 0);
        for _ in 0..400 {
            let text = leafy_world(&mut rng);
            let m = model(&text);
            let Some(full) = evaluation(&m, false, limits) else { continue };
            if let Some(fast) = evaluation(&m, true, limits) {
                assert_same(&fast, &full, &text);
                compared += 1;
                // The full walk's leaves are its outcomes; one fewer is
                // enough when some decision was deferred.
                if let Method::Exact { leaves, .. } = full.method {
                    factored += usize::from(
                        leaves > 1 && evaluation(&m, true, Limits { leaves: leaves - 1, ..limits }).is_some(),
                    );
                }
                several += usize::from(has_part_of_several(&m));
            }
            // What explore returns is the full walk's result either way.
            let explored = explore(&m, &m.probabilities(), request(&m, true)).expect("the full walk fits");
            assert_same(&explored, &full, &text);
        }
        assert!(
            compared > 250 && factored > 60 && several > 50,
            "{compared} compared, {factored} factored, {several} with parts of several"
        );
    }

    const GUARD: &str = "actor BLR\ncommitment guard: BLR defends RUS { credibility: 50% }\n";

    fn defenders(n: usize) -> String {
        (0..n)
            .map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: {}% }}\n", 20 + 2 * i))
            .collect()
    }

    #[test]
    fn seventeen_answered_defenders_of_the_victim_are_sampled_without_walking() {
        // BLR answers every defender's attack on RUS: nothing is independent.
        let m = model(&format!("actor RUS actor EST\n{GUARD}{}scenario s {{ RUS attacks EST }}", defenders(17)));
        assert!(decisive_defences(&m));
        assert!(explore(&m, &m.probabilities(), request(&m, false)).is_none());
        // Sixteen fit the unfactored walk: 2^16 leaves.
        let m = model(&format!("actor RUS actor EST\n{}scenario s {{ RUS attacks EST }}", defenders(16)));
        assert_eq!(outcome(&m, LIMITS, true, false), Some(Some(Method::Exact { leaves: 1 << 16, relevant: 16 })));
    }

    /// Ten independent defenders, two of them at a higher rung: the
    /// factored walk (one leaf) equals the full walk (1,024 leaves).
    #[test]
    fn ten_independent_defenders_are_factored_exactly() {
        let mut text = format!("actor RUS actor EST\n{}", defenders(8));
        text += "actor D8\ncommitment c8: D8 defends EST { credibility: 70% response: regional_war }\n";
        text += "actor D9\ncommitment c9: D9 defends EST { credibility: 10% response: general_war }\n";
        text += "scenario s { RUS attacks EST }";
        let (m, fast) = factored_in_one_leaf(&text);
        let p = fast.tally.probabilities(fast.method.clone());
        assert_eq!(p.method, Method::Exact { leaves: 1 << 10, relevant: 10 });
        let regional = p.reaches(rung(&m, "regional_war")).unwrap().value;
        assert!((regional - (1.0 - 0.3 * 0.9)).abs() < 1e-12, "{regional}");
        assert!((p.reaches(rung(&m, "general_war")).unwrap().value - 0.1).abs() < 1e-12);
        let d9 = fast.paths.into_paths(1.0).into_iter().find(|path| path.actor == actor(&m, "D9")).unwrap();
        assert_eq!((d9.probability, d9.steps.len()), (0.1, 1));
    }

    #[test]
    fn thirty_independent_defenders_are_exact() {
        let m = model(&format!("actor RUS actor EST\n{}scenario s {{ RUS attacks EST }}", defenders(30)));
        let e = explore(&m, &m.probabilities(), request(&m, true)).unwrap();
        let p = e.tally.probabilities(e.method.clone());
        assert_eq!(p.method, Method::Exact { leaves: 1 << 30, relevant: 30 });
        let expected: f64 = 2.0 + (0..30).map(|i| f64::from(20 + 2 * i) / 100.0).sum::<f64>();
        assert!((p.expected_entrants.value - expected).abs() < 1e-9 && p.expected_entrants.interval.is_none());
        for i in 0..30 {
            let enters = p.enters(actor(&m, &format!("D{i}"))).unwrap().value;
            assert!((enters - f64::from(20 + 2 * i) / 100.0).abs() < 1e-12, "D{i}: {enters}");
        }
        assert_eq!(e.paths.into_paths(1.0).len(), 32);
    }

    /// `n` defenders of EST, each with an ally that joins its wars.
    fn defenders_with_allies(n: usize) -> String {
        let allies: String = (0..n)
            .map(|i| {
                format!(
                    "actor A{i}\nalliance X{i} {{ members: [A{i}, D{i}] obligation o join {{ credibility: {}% }} }}\n",
                    40 + 3 * i
                )
            })
            .collect();
        format!("actor RUS actor EST\n{}{allies}scenario s {{ RUS attacks EST }}", defenders(n))
    }

    /// Ten parts of a defence and an ally's obligation (the defender's own
    /// obligation toward its ally is blocked: it is at war with RUS): the
    /// factored walk (one leaf) equals the full walk (3^10 leaves).
    #[test]
    fn ten_defenders_each_with_an_ally_that_joins_them_are_factored_exactly() {
        let text = defenders_with_allies(10);
        let (m, fast) = factored_in_one_leaf(&text);
        let p = fast.tally.probabilities(fast.method.clone());
        assert_eq!(p.method, Method::Exact { leaves: 3u64.pow(10), relevant: 20 });
        let defender = |i: u32| f64::from(20 + 2 * i) / 100.0;
        let ally = |i: u32| f64::from(40 + 3 * i) / 100.0;
        for i in 0..10 {
            let enters = p.enters(actor(&m, &format!("A{i}"))).unwrap().value;
            assert!((enters - defender(i) * ally(i)).abs() < 1e-12, "A{i}: {enters}");
        }
        let expected = 2.0 + (0..10).map(|i| defender(i) * (1.0 + ally(i))).sum::<f64>();
        assert!((p.expected_entrants.value - expected).abs() < 1e-12);
        let a9 = fast.paths.into_paths(1.0).into_iter().find(|path| path.actor == actor(&m, "A9")).unwrap();
        let labels: Vec<String> = a9.steps.iter().map(|step| m.commitment_label(step.commitment)).collect();
        assert_eq!((a9.probability, labels), (0.67 * 0.38, vec!["c9".to_string(), "X9.o[A9→D9]".to_string()]));
    }

    /// The exact target with parts: 15 defenders and 15 allies, 30 relevant
    /// commitments, 3^15 outcomes, in one walked leaf.
    #[test]
    fn thirty_commitments_in_fifteen_parts_are_exact_in_well_under_a_second() {
        let m = model(&defenders_with_allies(15));
        let start = std::time::Instant::now();
        let e = explore(&m, &m.probabilities(), request(&m, true)).unwrap();
        let elapsed = start.elapsed();
        let p = e.tally.probabilities(e.method.clone());
        assert_eq!(p.method, Method::Exact { leaves: 3u64.pow(15), relevant: 30 });
        assert!(elapsed.as_secs_f64() < 0.5, "{elapsed:?}");
        assert_eq!(e.paths.into_paths(1.0).len(), 32);
    }

    /// An ally that also defends the victim is drawn into the rest of the
    /// cascade: its defender's firing and its own are walked, the other
    /// defender's part is factored.
    #[test]
    fn a_part_whose_ally_defends_the_victim_too_is_walked() {
        let text = format!("{}\ncommitment a0: A0 defends EST {{ credibility: 50% }}", defenders_with_allies(2));
        let m = model(&text);
        let (fast, full) = (evaluation(&m, true, LIMITS).unwrap(), evaluation(&m, false, LIMITS).unwrap());
        assert_same(&fast, &full, &text);
        let Method::Exact { leaves, relevant } = fast.method else { panic!("{:?}", fast.method) };
        // D0 refusing, it may still join A0's war under their alliance.
        assert_eq!(relevant, 6);
        // D1's part has three outcomes; the rest is walked.
        let walked = leaves / 3;
        assert!(walked > 1 && leaves % 3 == 0, "{leaves}");
        assert!(evaluation(&m, true, Limits { leaves: walked, ..LIMITS }).is_some());
        assert!(evaluation(&m, true, Limits { leaves: walked - 1, ..LIMITS }).is_none());
    }

    /// A defence deferred on one attack that a second attack would fire
    /// again is not independent of itself: the walk starts again without
    /// deferring and gives the full walk's result.
    #[test]
    fn a_deferred_defence_that_would_fire_again_is_walked() {
        let text = "actor RUS actor BLR actor EST actor USA\n\
                    commitment u: USA defends EST { credibility: 60% }\n\
                    commitment b: BLR defends EST { credibility: 0% }\n\
                    scenario s { RUS attacks EST BLR attacks EST }";
        let m = model(text);
        assert!(outcome(&m, LIMITS, true, true).is_none());
        let explored = explore(&m, &m.probabilities(), request(&m, true)).unwrap();
        assert_same(&explored, &evaluation(&m, false, LIMITS).unwrap(), text);
        assert!(
            (explored.tally.probabilities(explored.method.clone()).enters(actor(&m, "USA")).unwrap().value - 0.6).abs()
                < 1e-12
        );
    }
}
