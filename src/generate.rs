//! A reproducible generator of valid worlds for benchmarks, robustness and
//! property tests: regions nested in continents, actors with heavy-tailed
//! capabilities (a few nuclear powers), a few large alliances with every
//! obligation kind, many bilateral commitments whose conditions use every
//! form of the language, promises, threats and scenarios. The same shape
//! and seed always give the same text.

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
    pub seed: u64,
}

impl Shape {
    /// A world of `actors` actors with 25 commitments per actor, one large
    /// alliance per 50 actors (at least 2) and one scenario per 20 actors.
    pub fn world(actors: usize, seed: u64) -> Shape {
        let actors = actors.max(3);
        Shape { actors, commitments: actors * 25, alliances: (actors / 50).max(2), scenarios: (actors / 20).max(1), seed }
    }
}

const DOMAINS: [&str; 6] = ["land", "sea", "air", "cyber", "space", "nuclear"];
const RUNGS: [&str; 6] = ["crisis", "coercion", "limited_war", "regional_war", "general_war", "nuclear"];

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

impl Generator {
    fn continents(&self) -> usize {
        (self.shape.actors / 100).clamp(2, 8)
    }

    fn regions_count(&self) -> usize {
        (self.shape.actors / 10).clamp(4, 200)
    }

    fn actor(&mut self) -> String {
        format!("S{:04}", self.rng.random_range(0..self.shape.actors))
    }

    /// Two different actors.
    fn pair(&mut self) -> (String, String) {
        let a = self.rng.random_range(0..self.shape.actors);
        let mut b = self.rng.random_range(0..self.shape.actors - 1);
        if b >= a {
            b += 1;
        }
        (format!("S{a:04}"), format!("S{b:04}"))
    }

    fn percent(&mut self, low: u32, high: u32) -> String {
        format!("{}%", self.rng.random_range(low..=high))
    }

    fn header(&mut self) {
        let _ = writeln!(
            self.out,
            "// Generated world: {} actors, {} commitments, {} alliances, seed {}.\n\
             settings {{\n  year: 2026\n  samples: 2000\n  seed: {}\n}}\n",
            self.shape.actors, self.shape.commitments, self.shape.alliances, self.shape.seed, self.shape.seed
        );
    }

    fn regions(&mut self) {
        let regions = self.regions_count();
        let continents = self.continents();
        for r in 0..regions {
            let _ = writeln!(self.out, "region r{r} \"Region {r}\"");
        }
        for c in 0..continents {
            let members: Vec<String> = (0..regions).filter(|r| r % continents == c).map(|r| format!("r{r}")).collect();
            let _ = writeln!(self.out, "region k{c} \"Continent {c}\" {{ contains: [{}] }}", members.join(", "));
        }
        self.out.push('\n');
    }

    fn actors(&mut self) {
        let regions = self.regions_count();
        for a in 0..self.shape.actors {
            // Pareto-like sizes: a few great powers, many small states.
            let size = 100.0 / (1.0 + self.rng.random_range(0.0..1.0f64) * 60.0);
            let mut caps = Vec::new();
            for d in &DOMAINS[..5] {
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
            let region = self.rng.random_range(0..regions);
            let resolve = self.percent(40, 100);
            let _ = writeln!(
                self.out,
                "actor S{a:04} \"State {a}\" {{ region: r{region} capability {{ {} }} resolve: {resolve} }}",
                caps.join(", ")
            );
        }
        self.out.push('\n');
    }

    fn alliances(&mut self) {
        for i in 0..self.shape.alliances {
            let size = (self.shape.actors / 8).clamp(2, 60);
            let mut members: Vec<usize> = Vec::new();
            while members.len() < size {
                let m = self.rng.random_range(0..self.shape.actors);
                if !members.contains(&m) {
                    members.push(m);
                }
            }
            let names: Vec<String> = members.iter().map(|m| format!("S{m:04}")).collect();
            let continent = self.rng.random_range(0..self.continents());
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
                let _ = writeln!(self.out, "  obligation offence join {{ when: war with member and not threat_to member  credibility: {cred} }}");
            }
            if i % 3 == 2 {
                let _ = writeln!(self.out, "  obligation calm nonaggression");
            }
            self.out.push_str("}\n\n");
        }
    }

    /// An actor other than the two given.
    fn third(&mut self, a: &str, b: &str) -> String {
        loop {
            let other = self.actor();
            if other != a && other != b {
                return other;
            }
        }
    }

    fn condition(&mut self, actor: &str, target: &str) -> String {
        let other = self.third(actor, target);
        let domain = DOMAINS[self.rng.random_range(0..5)];
        let rung = RUNGS[self.rng.random_range(1..5)];
        let region = self.rng.random_range(0..self.regions_count());
        match self.rng.random_range(0..9) {
            0 => format!("attack on {target}"),
            1 => format!("unprovoked attack on {target} in [{domain}, land]"),
            2 => format!("attack on {target} by {other} at >= {rung}"),
            3 => format!("attack on [{target}, {other}] within [r{region}]"),
            4 => format!("war between {target} and {other}"),
            5 => format!("war with [{target}] or threat_to {target}"),
            6 => format!("attack on {target} and not attack by {actor}"),
            7 => format!("(attack on {target} at {rung}) or (war with {other} and attack in {domain})"),
            _ => format!("attack on {target} in {domain}"),
        }
    }

    fn commitments(&mut self) {
        for i in 0..self.shape.commitments {
            let (actor, target) = self.pair();
            let roll = self.rng.random_range(0..100);
            let cred = self.percent(10, 95);
            let line = if roll < 70 {
                let when = self.condition(&actor, &target);
                let response = RUNGS[self.rng.random_range(2..5)];
                format!("commitment c{i}: {actor} defends {target} {{ when: {when}  response: {response}  credibility: {cred} }}")
            } else if roll < 78 {
                let other = self.third(&actor, &target);
                format!("commitment c{i}: {actor} attacks {target} {{ when: war between {actor} and {other}  credibility: {cred} }}")
            } else if roll < 88 {
                format!("commitment c{i}: {actor} consults {target}")
            } else if roll < 94 {
                let since = self.rng.random_range(1990..2026);
                format!("commitment c{i}: {actor} nonaggression {target} {{ since: {since} }}")
            } else {
                format!("commitment c{i}: {actor} neutral {target}")
            };
            self.out.push_str(&line);
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    fn threats_and_scenarios(&mut self) {
        for _ in 0..self.shape.scenarios {
            let (a, t) = self.pair();
            let _ = writeln!(self.out, "threat {a} -> [{t}]");
        }
        for i in 0..self.shape.scenarios {
            let (a, t) = self.pair();
            let domain = DOMAINS[self.rng.random_range(0..4)];
            let _ = writeln!(self.out, "scenario s{i} {{ {a} attacks {t} in {domain} }}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Shape, world};

    #[test]
    fn worlds_are_reproducible_and_check_without_errors() {
        let shape = Shape::world(60, 3);
        let text = world(shape);
        assert_eq!(text, world(shape));
        assert_ne!(text, world(Shape { seed: 4, ..shape }));
        let checked = crate::check::check_source("world.dtr", &text);
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| &d.message).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let model = crate::model::compile(&checked.program);
        assert_eq!(model.actors.len(), 60);
        assert_eq!(model.scenarios.len(), 3);
        // Every kind of provision is there.
        use crate::model::Kind;
        for kind in [Kind::Defend, Kind::Join, Kind::Consult, Kind::Neutral, Kind::Nonaggression, Kind::Attacks] {
            assert!(model.commitments.iter().any(|c| c.kind == kind), "{kind:?}");
        }
    }
}
