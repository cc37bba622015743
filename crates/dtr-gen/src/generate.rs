//! A reproducible generator of valid worlds for benchmarks, robustness and
//! property tests. The same shape and seed always give the same text.
//!
//! Two profiles. [`Profile::Regional`] (the default) is shaped like the
//! ATOP catalogues: actors in regions of about ten, regions in continents,
//! one great power per 40 actors; most bilateral ties bind neighbours, a
//! few bind a great power; a few large continental alliances; and defence
//! conditions in ATOP's proportions (about half unconditional, a quarter
//! against a named adversary, a sixth limited to a location, the rest
//! against unprovoked attack only, plus every other condition form).
//! [`Profile::Dense`] ties uniformly random pairs: its cascades percolate
//! until nearly every pair is at war — the worst case, for stress tests.

use dtr::vocabulary::{BUILTIN_DOMAINS, DEFAULT_LADDER};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub actors: usize,
    /// Bilateral commitments (alliances come on top).
    pub commitments: usize,
    pub alliances: usize,
    pub scenarios: usize,
    pub profile: Profile,
    pub seed: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Regional,
    Dense,
}

impl Shape {
    /// A regional world of `actors` actors with 25 commitments per actor,
    /// one large alliance per 50 actors (at least 2) and one scenario per 20
    /// actors.
    pub fn world(actors: usize, seed: u64) -> Shape {
        let actors = actors.max(3);
        Shape {
            actors,
            commitments: actors * 25,
            alliances: (actors / 50).max(2),
            scenarios: (actors / 20).max(1),
            profile: Profile::Regional,
            seed,
        }
    }
}

/// One great power per this many actors.
const GREAT_POWER_EVERY: usize = 40;

/// The source text of a world of the given shape.
pub fn world(shape: Shape) -> String {
    let mut g = Generator { rng: ChaCha8Rng::seed_from_u64(shape.seed), out: String::new(), shape };
    g.header();
    g.regions();
    g.actors();
    g.alliances();
    g.commitments();
    g.threats_and_scenarios();
    g.out
}

struct Generator {
    rng: ChaCha8Rng,
    out: String,
    shape: Shape,
}

fn name(actor: usize) -> String {
    format!("S{actor:04}")
}

impl Generator {
    fn continents(&self) -> usize {
        (self.shape.actors / 100).clamp(2, 8)
    }

    fn regions_count(&self) -> usize {
        (self.shape.actors / 10).clamp(4, 1000)
    }

    fn regional(&self) -> bool {
        self.shape.profile == Profile::Regional
    }

    /// Regional worlds place actors in contiguous blocks; dense ones at random.
    fn region_of(&mut self, actor: usize) -> usize {
        if self.regional() { self.block_region(actor) } else { self.rng.random_range(0..self.regions_count()) }
    }

    /// The region of `actor` when actors fill regions in order.
    fn block_region(&self, actor: usize) -> usize {
        actor * self.regions_count() / self.shape.actors
    }

    fn continent_of(&self, region: usize) -> usize {
        if self.regional() { region * self.continents() / self.regions_count() } else { region % self.continents() }
    }

    /// The actors of a range of regions, as an index range.
    fn actors_of_regions(&self, regions: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let (n, r) = (self.shape.actors, self.regions_count());
        // The inverse of `region_of`: the first actor a with a·r/n ≥ region.
        let first = |region: usize| (region * n).div_ceil(r);
        first(regions.start)..first(regions.end)
    }

    fn regions_of_continent(&self, continent: usize) -> std::ops::Range<usize> {
        let (r, c) = (self.regions_count(), self.continents());
        (continent * r).div_ceil(c)..((continent + 1) * r).div_ceil(c)
    }

    fn is_great_power(&self, actor: usize) -> bool {
        self.regional() && actor.is_multiple_of(GREAT_POWER_EVERY)
    }

    fn any_actor(&mut self) -> usize {
        self.rng.random_range(0..self.shape.actors)
    }

    /// An actor of `range` other than those in `not`, if there is one.
    fn pick(&mut self, range: std::ops::Range<usize>, not: &[usize]) -> Option<usize> {
        if range.clone().all(|a| not.contains(&a)) {
            return None;
        }
        // `not` holds at most two actors, so a draw is rarely rejected.
        loop {
            let a = self.rng.random_range(range.clone());
            if !not.contains(&a) {
                return Some(a);
            }
        }
    }

    /// The bloc of an actor in a regional world: each region is split
    /// between two camps (great powers alternate between them).
    fn bloc_of(actor: usize) -> usize {
        (actor + actor / GREAT_POWER_EVERY) % 2
    }

    fn home(&self, actor: usize) -> std::ops::Range<usize> {
        let region = self.block_region(actor);
        self.actors_of_regions(region..region + 1)
    }

    /// A neighbour in the same bloc (an ally) or in the other (a rival),
    /// falling back to any other actor in a region too small for one.
    fn neighbour(&mut self, actor: usize, same_bloc: bool) -> usize {
        let home = self.home(actor);
        let wanted = Self::bloc_of(actor) == 0 && same_bloc || Self::bloc_of(actor) == 1 && !same_bloc;
        let candidates: Vec<usize> = home.filter(|&a| a != actor && (Self::bloc_of(a) == 0) == wanted).collect();
        if candidates.is_empty() {
            return self.other_than(&[actor]);
        }
        candidates[self.rng.random_range(0..candidates.len())]
    }

    /// A great power of `actor`'s bloc, if it is not one itself.
    fn patron(&mut self, actor: usize) -> Option<usize> {
        let bloc = Self::bloc_of(actor);
        let powers: Vec<usize> = (0..self.shape.actors)
            .step_by(GREAT_POWER_EVERY)
            .filter(|&gp| gp != actor && Self::bloc_of(gp) == bloc)
            .collect();
        (!powers.is_empty()).then(|| powers[self.rng.random_range(0..powers.len())])
    }

    /// An actor of the same continent.
    fn continental(&mut self, actor: usize) -> usize {
        let region = self.block_region(actor);
        let regions = self.regions_of_continent(self.continent_of(region));
        let range = self.actors_of_regions(regions);
        self.pick(range, &[actor]).unwrap_or_else(|| self.other_than(&[actor]))
    }

    fn other_than(&mut self, not: &[usize]) -> usize {
        self.pick(0..self.shape.actors, not).unwrap_or(0)
    }

    fn percent(&mut self, low: u32, high: u32) -> String {
        format!("{}%", self.rng.random_range(low..=high))
    }

    fn header(&mut self) {
        let _ = writeln!(
            self.out,
            "// Generated world ({:?}): {} actors, {} commitments, {} alliances, seed {}.\n\
             settings {{\n  year: 2026\n  samples: 2000\n  seed: {}\n}}\n",
            self.shape.profile,
            self.shape.actors,
            self.shape.commitments,
            self.shape.alliances,
            self.shape.seed,
            self.shape.seed
        );
    }

    fn regions(&mut self) {
        let regions = self.regions_count();
        let continents = self.continents();
        for r in 0..regions {
            let _ = writeln!(self.out, "region r{r} \"Region {r}\"");
        }
        for c in 0..continents {
            let members: Vec<String> =
                (0..regions).filter(|&r| self.continent_of(r) == c).map(|r| format!("r{r}")).collect();
            let _ = writeln!(self.out, "region k{c} \"Continent {c}\" {{ contains: [{}] }}", members.join(", "));
        }
        self.out.push('\n');
    }

    fn actors(&mut self) {
        for a in 0..self.shape.actors {
            // Pareto-like sizes: a few great powers, many small states.
            let size = if self.is_great_power(a) {
                self.rng.random_range(60.0..100.0f64)
            } else {
                100.0 / (1.0 + self.rng.random_range(0.0..1.0f64) * 60.0)
            };
            let mut caps = Vec::new();
            for d in &BUILTIN_DOMAINS[..5] {
                let c = (size * self.rng.random_range(0.2..1.0)).round();
                if c > 0.0 {
                    caps.push(format!("{d}: {c}"));
                }
            }
            if caps.is_empty() {
                caps.push("land: 1".to_string());
            }
            if size > 40.0 && self.rng.random_bool(0.5) {
                caps.push(format!("nuclear: {}", (size * self.rng.random_range(0.5..1.0)).round()));
            }
            let region = self.region_of(a);
            let resolve = self.percent(40, 100);
            let _ = writeln!(
                self.out,
                "actor {} \"State {a}\" {{ region: r{region} capability {{ {} }} resolve: {resolve} }}",
                name(a),
                caps.join(", ")
            );
        }
        self.out.push('\n');
    }

    /// Members of a large alliance: in a regional world, one bloc of a
    /// continent under a great power of that bloc.
    fn members(&mut self, continent: usize, bloc: usize, size: usize) -> Vec<usize> {
        let mut members: Vec<usize> = Vec::new();
        let pool: Vec<usize> = if self.regional() {
            let regions = self.regions_of_continent(continent);
            let pool: Vec<usize> = self.actors_of_regions(regions).filter(|&a| Self::bloc_of(a) == bloc).collect();
            if let Some(&first) = pool.first()
                && let Some(gp) = self.patron(first).or(Some(first))
            {
                members.push(gp);
            }
            pool
        } else {
            (0..self.shape.actors).collect()
        };
        let distinct = pool.len() + members.iter().filter(|m| !pool.contains(m)).count();
        let size = size.min(distinct);
        while members.len() < size && !pool.is_empty() {
            let m = pool[self.rng.random_range(0..pool.len())];
            if !members.contains(&m) {
                members.push(m);
            }
        }
        members
    }

    fn alliances(&mut self) {
        for i in 0..self.shape.alliances {
            let size = (self.shape.actors / 8).clamp(2, 60);
            let continent = self.rng.random_range(0..self.continents());
            let members = self.members(continent, i % 2, size);
            // A bloc of a tiny world may have a single state: no alliance.
            if members.len() < 2 {
                continue;
            }
            let names: Vec<String> = members.iter().map(|&m| name(m)).collect();
            let since = self.rng.random_range(1949..2020);
            let interop = self.percent(50, 100);
            let cred = self.percent(50, 95);
            let _ = writeln!(
                self.out,
                "alliance pact{i} \"Pact {i}\" {{\n  members: [{}]\n  since: {since}\n  interoperability: {interop}\n  \
                 obligation defence defend {{ when: attack on member within [k{continent}] at >= limited_war  response: regional_war  credibility: {cred} }}\n  \
                 obligation talks consult\n",
                names.join(", ")
            );
            if i % 2 == 1 {
                let cred = self.percent(20, 60);
                let _ = writeln!(
                    self.out,
                    "  obligation offence join {{ when: war with member and not threat_to member  credibility: {cred} }}"
                );
            }
            if i % 3 == 2 {
                let _ = writeln!(self.out, "  obligation calm nonaggression");
            }
            self.out.push_str("}\n\n");
        }
    }

    /// A defence condition of the given form; `rival` is a likely
    /// adversary of `target`.
    fn condition(&mut self, form: usize, actor: usize, target: usize, rival: usize) -> String {
        let domain = BUILTIN_DOMAINS[self.rng.random_range(0..5)];
        let rung = DEFAULT_LADDER[self.rng.random_range(1..5)];
        let region = self.block_region(actor);
        let (target, rival, actor) = (name(target), name(rival), name(actor));
        match form {
            0 => format!("attack on {target}"),
            1 => format!("unprovoked attack on {target} in [{domain}, land]"),
            2 => format!("attack on {target} by {rival} at >= {rung}"),
            3 => format!("attack on [{target}, {rival}] within [r{region}]"),
            4 => format!("war between {target} and {rival}"),
            5 => format!("war with [{target}] or threat_to {target}"),
            6 => format!("attack on {target} and not attack by {actor}"),
            7 => format!("(attack on {target} at {rung}) or (war with {rival} and attack in {domain})"),
            _ => format!("attack on {target} in {domain}"),
        }
    }

    fn commitments(&mut self) {
        for i in 0..self.shape.commitments {
            let line = if self.regional() { self.regional_commitment(i) } else { self.dense_commitment(i) };
            self.out.push_str(&line);
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    /// Ties between uniformly random pairs, every condition form alike.
    fn dense_commitment(&mut self, i: usize) -> String {
        let a = self.any_actor();
        let t = self.other_than(&[a]);
        let roll = self.rng.random_range(0..100);
        let cred = self.percent(10, 95);
        let (actor, target) = (name(a), name(t));
        if roll < 70 {
            let form = self.rng.random_range(0..9);
            let rival = self.other_than(&[a, t]);
            let when = self.condition(form, a, t, rival);
            let response = DEFAULT_LADDER[self.rng.random_range(2..5)];
            format!(
                "commitment c{i}: {actor} defends {target} {{ when: {when}  response: {response}  credibility: {cred} }}"
            )
        } else if roll < 78 {
            let other = name(self.other_than(&[a, t]));
            format!(
                "commitment c{i}: {actor} attacks {target} {{ when: war between {actor} and {other}  credibility: {cred} }}"
            )
        } else if roll < 88 {
            format!("commitment c{i}: {actor} consults {target}")
        } else if roll < 94 {
            let since = self.rng.random_range(1990..2026);
            format!("commitment c{i}: {actor} nonaggression {target} {{ since: {since} }}")
        } else {
            format!("commitment c{i}: {actor} neutral {target}")
        }
    }

    /// Ties shaped like the ATOP catalogues: defence within a bloc of
    /// neighbours or with a great power of the bloc, in ATOP's shares of
    /// defence conditions; great-power umbrellas cover unprovoked attacks
    /// or a named adversary; promises and consultations across blocs;
    /// attack plans against rivals.
    fn regional_commitment(&mut self, i: usize) -> String {
        let a = self.any_actor();
        let roll = self.rng.random_range(0..100);
        let cred = self.percent(10, 95);
        let response = DEFAULT_LADDER[self.rng.random_range(2..5)];
        if roll < 45 {
            let umbrella = self.rng.random_range(0..100) < 15;
            let (a, t) = match self.patron(a) {
                Some(gp) if umbrella && self.rng.random_bool(0.5) => (gp, a),
                Some(gp) if umbrella => (a, gp),
                _ => (a, self.neighbour(a, true)),
            };
            let rival = self.neighbour(t, false);
            let form = match (umbrella, self.rng.random_range(0..100)) {
                (true, 0..60) => 1,
                (true, _) => 2,
                (false, 0..45) => [0, 8, 2][self.rng.random_range(0..3)],
                (false, 45..70) => 2,
                (false, 70..86) => 3,
                (false, 86..94) => 1,
                (false, _) => self.rng.random_range(4..8),
            };
            let when = self.condition(form, a, t, rival);
            return format!(
                "commitment c{i}: {} defends {} {{ when: {when}  response: {response}  credibility: {cred} }}",
                name(a),
                name(t)
            );
        }
        let actor = name(a);
        if roll < 53 {
            let target = name(self.neighbour(a, false));
            let other = name(self.neighbour(a, false));
            format!(
                "commitment c{i}: {actor} attacks {target} {{ when: war between {actor} and {other}  credibility: {cred} }}"
            )
        } else if roll < 70 {
            let t = self.continental(a);
            if self.rng.random_bool(0.5) {
                format!("commitment c{i}: {actor} consults {} {{ when: threat_to {} }}", name(t), name(t))
            } else {
                format!("commitment c{i}: {actor} consults {}", name(t))
            }
        } else if roll < 87 {
            let ally = self.rng.random_bool(0.3);
            let target = name(self.neighbour(a, ally));
            let since = self.rng.random_range(1990..2026);
            format!("commitment c{i}: {actor} nonaggression {target} {{ since: {since} }}")
        } else {
            let target = name(self.continental(a));
            format!("commitment c{i}: {actor} neutral {target}")
        }
    }

    /// An opening pair: rival neighbours in a regional world.
    fn adversaries(&mut self) -> (usize, usize) {
        let a = self.any_actor();
        let t = if self.regional() { self.neighbour(a, false) } else { self.other_than(&[a]) };
        (a, t)
    }

    fn threats_and_scenarios(&mut self) {
        for _ in 0..self.shape.scenarios {
            let (a, t) = self.adversaries();
            let _ = writeln!(self.out, "threat {} -> [{}]", name(a), name(t));
        }
        for i in 0..self.shape.scenarios {
            let (a, t) = self.adversaries();
            let domain = BUILTIN_DOMAINS[self.rng.random_range(0..4)];
            let _ = writeln!(self.out, "scenario s{i} {{ {} attacks {} in {domain} }}", name(a), name(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Profile, Shape, world};

    #[test]
    fn worlds_are_reproducible_and_check_without_errors() {
        for profile in [Profile::Regional, Profile::Dense] {
            reproducible_and_clean(Shape { profile, ..Shape::world(60, 3) });
        }
    }

    #[test]
    fn small_worlds_are_generated_too() {
        for actors in 0..12 {
            for profile in [Profile::Regional, Profile::Dense] {
                let text = world(Shape { profile, ..Shape::world(actors, 1) });
                let checked = dtr::check::check_source("world.dtr", &text);
                let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
                assert!(errors.is_empty(), "{actors} actors, {profile:?}: {errors:?}");
            }
        }
    }

    fn reproducible_and_clean(shape: Shape) {
        let text = world(shape);
        assert_eq!(text, world(shape));
        assert_ne!(text, world(Shape { seed: 4, ..shape }));
        let checked = dtr::check::check_source("world.dtr", &text);
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let model = dtr::model::compile(&checked.program);
        assert_eq!(model.actors.len(), 60);
        assert_eq!(model.scenarios.len(), 3);
        // Every kind of provision is there.
        use dtr::model::Kind;
        for kind in [Kind::Defend, Kind::Join, Kind::Consult, Kind::Neutral, Kind::Nonaggression, Kind::Attacks] {
            assert!(model.commitments.iter().any(|c| c.kind == kind), "{kind:?}");
        }
    }
}
