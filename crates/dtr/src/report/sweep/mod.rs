//! The sweep report: every evaluated attack with names instead of ids,
//! ranked, and the most exposed targets. JSON is this structure as serde
//! writes it (schema in docs/report.md, "Sweep"); shard outputs are read
//! back to be merged ([`merge`]), and the text and CSV renderers only read
//! it. Ranks and exposures are computed here from the attacks alone, so a
//! merge recomputes them exactly as one run does.

#[cfg(feature = "csv")]
pub mod csv;
pub mod merge;
pub mod text;
mod validate;

pub use merge::merge;

use super::{RungReport, figure, period_text};
use crate::analysis::probability::{Estimate, Method};
use crate::analysis::sweep::{AttackOutcome, Options, Shard};
use crate::model::Model;
use crate::report::json::tidy;
use crate::vocabulary::ActorId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The version of the sweep JSON schema; bumped on any incompatible change
/// (2: `results_digest` and `actors`, so that a merge can refuse edited
/// shards).
pub const VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    pub version: u32,
    /// The root file as given.
    pub file: String,
    /// `sha256:…` of the compiled model: shards of different models (or of
    /// a file edited between runs) are not merged.
    pub model_digest: String,
    /// `sha256:…` of this output as JSON with this field empty: a merge
    /// refuses a shard whose results were edited.
    pub results_digest: String,
    pub settings: SweepSettings,
    pub selection: Selection,
    /// Every actor of the model, in declaration order: the order in which
    /// attacks are dealt to shards, and the names a shard may use.
    pub actors: Vec<String>,
    /// None for a whole sweep (and for the merge of all its shards).
    pub shard: Option<Shard>,
    /// Attacks in the whole sweep, every shard together.
    pub total: usize,
    /// The attacks of this output, ranked (rank 1 first).
    pub attacks: Vec<AttackReport>,
    /// Targets with a deterrence gap against some aggressor of `attacks`,
    /// most exposed first.
    pub exposed: Vec<ExposureReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSettings {
    /// `2026` or `1914-07-28`; None when every provision is in force.
    pub period: Option<String>,
    pub ladder: Vec<String>,
    /// The rung of every opening attack.
    pub opening: String,
    pub deterrence_ratio: f64,
    /// The model's seed, from which each attack's seed is derived.
    pub seed: u64,
    /// Whether probabilities were evaluated (`--no-probabilities`: not).
    pub probabilities: bool,
    /// Monte Carlo samples per attack (when the exact method is too large).
    pub samples: u64,
}

/// The actors given with `--attackers` and `--targets` (None: every actor).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    pub attackers: Option<Vec<String>>,
    pub targets: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttackReport {
    pub rank: usize,
    pub aggressor: String,
    pub victim: String,
    /// The Monte Carlo seed of this attack: `settings { seed: … }` with
    /// this value reproduces it as a scenario in `dtr analyze`.
    pub seed: u64,
    /// Actors in the all-honoured cascade, the two opening parties included.
    pub entrants: usize,
    /// The highest rung of the all-honoured cascade.
    pub top_rung: Option<String>,
    /// None without probabilities.
    pub method: Option<Method>,
    pub expected_entrants: Option<Estimate>,
    /// P(reaching) every rung of the ladder, lowest first (empty without
    /// probabilities).
    pub rungs: Vec<RungReport>,
    /// A cascade was cut at the event limit.
    pub capped: bool,
    /// The domains where the victim has a deterrence gap against the aggressor.
    pub gaps: Vec<AttackGap>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttackGap {
    pub domain: String,
    pub ratio: f64,
    /// `no_umbrella`, `uncovered`, `excluded`, `hollow` or `outmatched`.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExposureReport {
    pub target: String,
    /// The lowest ratio over `aggressors`.
    pub lowest_ratio: f64,
    /// Aggressors it has a gap against, lowest ratio first.
    pub aggressors: Vec<Exposure>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    pub aggressor: String,
    pub domains: Vec<String>,
    pub lowest_ratio: f64,
}

/// What the command line asked for, beside the outcomes.
pub struct Request<'a> {
    pub file: String,
    pub attackers: Option<&'a [ActorId]>,
    pub targets: Option<&'a [ActorId]>,
    pub shard: Option<Shard>,
    pub total: usize,
    pub options: Options,
}

/// Names, ranks and exposures for the outcomes of one run.
pub fn build(model: &Model, outcomes: &[AttackOutcome], request: Request) -> SweepReport {
    let actor = |id: ActorId| model.actor(id).name.clone();
    let rung = |id: crate::vocabulary::RungId| model.rung_name(id).to_string();
    let names = |ids: Option<&[ActorId]>| ids.map(|ids| ids.iter().map(|&a| actor(a)).collect());
    // Figures as the JSON writes them, so a shard read back ranks, merges
    // and prints exactly as the run that wrote it.
    let attacks = outcomes
        .iter()
        .map(|o| AttackReport {
            rank: 0,
            aggressor: actor(o.attack.aggressor),
            victim: actor(o.attack.victim),
            seed: o.seed,
            entrants: o.entrants,
            top_rung: o.top_rung.map(rung),
            method: o.probabilities.as_ref().map(|p| p.method.clone()),
            expected_entrants: o.probabilities.as_ref().map(|p| figure(p.expected_entrants)),
            rungs: o.probabilities.as_ref().map_or_else(Vec::new, |p| {
                model
                    .settings
                    .ladder
                    .iter()
                    .zip(&p.rungs)
                    .map(|(r, &reached)| RungReport { rung: r.clone(), reached: figure(reached) })
                    .collect()
            }),
            capped: o.capped || o.probabilities.as_ref().is_some_and(|p| p.capped),
            gaps: o
                .gaps
                .iter()
                .map(|g| AttackGap {
                    domain: model.domains.get(g.domain.index()).cloned().unwrap_or_default(),
                    ratio: tidy(g.ratio),
                    reason: g.reason.map(|r| r.as_str().to_string()),
                })
                .collect(),
        })
        .collect();
    let s = &model.settings;
    let mut report = SweepReport {
        version: VERSION,
        file: request.file,
        model_digest: digest(model),
        results_digest: String::new(),
        settings: SweepSettings {
            period: s.period.map(period_text),
            ladder: s.ladder.clone(),
            opening: rung(s.opening),
            deterrence_ratio: s.deterrence_ratio,
            seed: s.seed,
            probabilities: request.options.probabilities,
            samples: request.options.samples,
        },
        selection: Selection { attackers: names(request.attackers), targets: names(request.targets) },
        actors: model.actors.iter().map(|a| a.name.clone()).collect(),
        shard: request.shard,
        total: request.total,
        attacks,
        exposed: Vec::new(),
    };
    report.rank();
    report.seal();
    report
}

/// `sha256:` and the hex digest of the model as JSON (names, numbers,
/// conditions and positions: any edit that can change a result changes it).
pub fn digest(model: &Model) -> String {
    json_digest(model)
}

/// `sha256:` and the hex digest of `value` as compact JSON, hashed as it is
/// written (numbers as [`crate::report::json`] rounds them, so a shard read
/// back hashes the same).
fn json_digest<T: Serialize>(value: &T) -> String {
    struct Hasher(Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = Hasher(Sha256::new());
    // Writing to a hasher cannot fail, and the model has no map with
    // non-string keys; an error would only shorten the hashed text.
    let _ = crate::report::json::to_writer(&mut hasher, value);
    let hex: String = hasher.0.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl SweepReport {
    /// Sets `results_digest` for the output as it stands.
    pub fn seal(&mut self) {
        self.results_digest = String::new();
        self.results_digest = json_digest(self);
    }

    /// Whether `results_digest` is that of the output as it stands.
    fn sealed(&mut self) -> bool {
        let claimed = std::mem::take(&mut self.results_digest);
        let sealed = json_digest(self) == claimed;
        self.results_digest = claimed;
        sealed
    }

    /// Sorts the attacks (most expected entrants first — all-honoured
    /// entrants without probabilities — then highest top rung, then names),
    /// numbers them, and recomputes the exposed targets.
    pub fn rank(&mut self) {
        let ladder = &self.settings.ladder;
        let height = |a: &AttackReport| a.top_rung.as_ref().and_then(|r| ladder.iter().position(|l| l == r));
        let score = |a: &AttackReport| a.expected_entrants.map_or(a.entrants as f64, |e| e.value);
        self.attacks.sort_by(|a, b| {
            score(b)
                .total_cmp(&score(a))
                .then_with(|| height(b).cmp(&height(a)))
                .then_with(|| (&a.aggressor, &a.victim).cmp(&(&b.aggressor, &b.victim)))
        });
        for (i, a) in self.attacks.iter_mut().enumerate() {
            a.rank = i + 1;
        }
        self.exposed = exposed(&self.attacks);
    }
}

/// Targets with a gap against some aggressor: most aggressors first, then
/// lowest ratio, then name.
fn exposed(attacks: &[AttackReport]) -> Vec<ExposureReport> {
    let mut targets: Vec<ExposureReport> = Vec::new();
    for a in attacks.iter().filter(|a| !a.gaps.is_empty()) {
        let exposure = Exposure {
            aggressor: a.aggressor.clone(),
            domains: a.gaps.iter().map(|g| g.domain.clone()).collect(),
            lowest_ratio: a.gaps.iter().map(|g| g.ratio).fold(f64::INFINITY, f64::min),
        };
        match targets.iter_mut().find(|t| t.target == a.victim) {
            Some(t) => t.aggressors.push(exposure),
            None => {
                targets.push(ExposureReport { target: a.victim.clone(), lowest_ratio: 0.0, aggressors: vec![exposure] })
            }
        }
    }
    let by_ratio = |a: f64, b: f64| a.total_cmp(&b);
    for t in &mut targets {
        t.aggressors
            .sort_by(|a, b| by_ratio(a.lowest_ratio, b.lowest_ratio).then_with(|| a.aggressor.cmp(&b.aggressor)));
        t.lowest_ratio = t.aggressors.first().map_or(f64::INFINITY, |e| e.lowest_ratio);
    }
    targets.sort_by(|a, b| {
        b.aggressors
            .len()
            .cmp(&a.aggressors.len())
            .then_with(|| by_ratio(a.lowest_ratio, b.lowest_ratio))
            .then_with(|| a.target.cmp(&b.target))
    });
    targets
}
