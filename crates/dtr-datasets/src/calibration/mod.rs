//! The importer's reliability model (docs/backtest.md): the probability
//! that a member honours a defence or offence provision of an alliance, as
//! a logistic function of named features of the member and the alliance
//! that the catalogue knows on its day. `dtr calibrate` fits it on wars;
//! `dtr import atop` writes its values as each provision's credibility.

mod logistic;
pub mod majors;

use super::backtest::metrics;
use super::wars::Era;
use super::{nmc, regions};
use serde::{Deserialize, Serialize};

/// The version of the calibration file's layout.
pub const VERSION: u32 = 1;

/// The calibration fitted on data/Inter-StateWarData_v4.0-train.csv
/// (`dtr calibrate`, docs/backtest.md), the importer's default.
pub const SHIPPED: &str = include_str!("../../calibration/atop-cow-v1.json");

/// A feature of one member's promise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// 1 when the alliance has two members.
    Bilateral,
    /// ln(number of members).
    LogMembers,
    /// 1 from 1914 to 1945.
    #[serde(rename = "era_1914")]
    Era1914,
    /// 1 from 1946.
    #[serde(rename = "era_1946")]
    Era1946,
    /// 1 when the member is a COW major power that year ([`majors`]).
    MajorPower,
    /// 1 when some other member is a major power (a great-power patron).
    MajorPartner,
    /// 1 when the state's capital is within [`NEAR_KM`] of the attacked
    /// state's (entry model only: a treaty's credibility cannot depend on
    /// which member is attacked).
    Near,
    /// ln(CINC) of the member (COW NMC, the year before; at least
    /// ln([`nmc::FLOOR`])).
    LogCinc,
    /// ln(CINC of the member / CINC of the state it would defend): for an
    /// alliance, of its strongest other member; for entry without a treaty,
    /// of the attacked state.
    LogCincRatio,
    /// 1 when the state is in the COW region of every state it would
    /// defend: for an alliance, of every other member; for entry, of the
    /// attacked state.
    SameRegion,
    /// 1 when ATOP limits the defence to a location (`defcoloc`; the
    /// catalogue cannot say where, docs/import.md): a limited promise
    /// covers fewer wars.
    LocationLimited,
}

/// Capitals this close (km, `data/capdist.csv`) make neighbours.
pub const NEAR_KM: u32 = 1000;

impl Feature {
    /// The treaty model's candidates, in the order forward selection tries them.
    pub const TREATY: [Feature; 6] = [
        Feature::Era1914,
        Feature::Era1946,
        Feature::Bilateral,
        Feature::LogMembers,
        Feature::MajorPower,
        Feature::MajorPartner,
    ];

    /// The entry model's candidates.
    pub const ENTRY: [Feature; 4] = [Feature::Near, Feature::MajorPower, Feature::Era1914, Feature::Era1946];

    /// Candidates tried only on request (`dtr calibrate --candidates`):
    /// measured out of fold and not kept, since each lowered the pairs'
    /// figures although the cases' selection took some (docs/backtest.md).
    /// Each is tried in both models (`location_limited` is always 0 in the
    /// entry model, so it is never chosen there).
    pub const OPT_IN: [Feature; 4] =
        [Feature::LogCinc, Feature::LogCincRatio, Feature::SameRegion, Feature::LocationLimited];

    /// The feature of that name, as a calibration file writes it.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::TREATY.iter().chain(&Feature::ENTRY).chain(&Feature::OPT_IN).copied().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Feature::Bilateral => "bilateral",
            Feature::LogMembers => "log_members",
            Feature::Era1914 => "era_1914",
            Feature::Era1946 => "era_1946",
            Feature::MajorPower => "major_power",
            Feature::MajorPartner => "major_partner",
            Feature::Near => "near",
            Feature::LogCinc => "log_cinc",
            Feature::LogCincRatio => "log_cinc_ratio",
            Feature::SameRegion => "same_region",
            Feature::LocationLimited => "location_limited",
        }
    }

    fn value(self, c: &Context) -> f64 {
        let yes = |b: bool| f64::from(u8::from(b));
        match self {
            Feature::Bilateral => yes(c.members == 2),
            Feature::LogMembers => (c.members.max(1) as f64).ln(),
            Feature::Era1914 => yes(Era::of(c.year) == Era::WorldWars),
            Feature::Era1946 => yes(Era::of(c.year) == Era::After1945),
            Feature::MajorPower => yes(c.major),
            Feature::MajorPartner => yes(c.major_partner),
            Feature::Near => yes(c.near),
            Feature::LogCinc => c.log_cinc,
            Feature::LogCincRatio => c.log_cinc_ratio,
            Feature::SameRegion => yes(c.same_region),
            Feature::LocationLimited => yes(c.location_limited),
        }
    }
}

/// What the model knows of one member's promise.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Context {
    pub year: i32,
    pub members: usize,
    pub major: bool,
    pub major_partner: bool,
    /// Its capital is within [`NEAR_KM`] of the attacked state's.
    pub near: bool,
    /// [`Feature::LogCinc`].
    pub log_cinc: f64,
    /// [`Feature::LogCincRatio`].
    pub log_cinc_ratio: f64,
    /// [`Feature::SameRegion`].
    pub same_region: bool,
    /// [`Feature::LocationLimited`].
    pub location_limited: bool,
}

/// ln(CINC) of a state, the year before `year` (the catalogue's day lies
/// in `year`, and that year's figures may already count the war).
fn log_cinc(ccode: u32, year: i32) -> f64 {
    nmc::log_cinc(ccode, year - 1)
}

impl Context {
    /// Member `ccode` of an alliance of `members` (COW codes) in `year`.
    pub fn of(ccode: u32, members: &[u32], year: i32) -> Context {
        let others = || members.iter().copied().filter(move |&m| m != ccode);
        let own = log_cinc(ccode, year);
        let strongest = others().map(|m| log_cinc(m, year)).fold(f64::NEG_INFINITY, f64::max);
        Context {
            year,
            members: members.len(),
            major: majors::is_major(ccode, year),
            major_partner: others().any(|m| majors::is_major(m, year)),
            near: false,
            log_cinc: own,
            log_cinc_ratio: if strongest.is_finite() { own - strongest } else { 0.0 },
            same_region: others().all(|m| regions::same(ccode, m)),
            location_limited: false,
        }
    }

    /// [`Context::of`] a defence owed, with its location limit.
    pub fn of_tie(tie: &super::atop::Tie, year: i32) -> Context {
        Context { location_limited: tie.location_limited, ..Context::of(tie.ally, &tie.members, year) }
    }

    /// State `ccode` owing `opener` no defence in `year`, which may fight
    /// beside it (the beside model: `near` and the ratios read the opener).
    pub fn beside(ccode: u32, opener: u32, year: i32) -> Context {
        Context::untied(ccode, opener, year)
    }

    /// State `ccode` with no treaty toward `attacked` in `year`.
    pub fn untied(ccode: u32, attacked: u32, year: i32) -> Context {
        let own = log_cinc(ccode, year);
        Context {
            year,
            members: 1,
            major: majors::is_major(ccode, year),
            major_partner: false,
            near: neighbours(ccode, attacked),
            log_cinc: own,
            log_cinc_ratio: own - log_cinc(attacked, year),
            same_region: regions::same(ccode, attacked),
            location_limited: false,
        }
    }
}

/// Capitals within [`NEAR_KM`] of each other.
pub fn neighbours(a: u32, b: u32) -> bool {
    a != b && super::capdist::km(a, b).is_some_and(|km| km <= NEAR_KM)
}

/// A fitted model, as the calibration file holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub version: u32,
    pub about: String,
    /// The command that fitted it.
    pub fitted_by: String,
    pub features: Vec<Feature>,
    pub intercept: f64,
    /// One per feature, in order.
    pub coefficients: Vec<f64>,
    /// The decision threshold chosen on the training wars' pairs (best F1,
    /// [`metrics::best_threshold`]).
    pub threshold: f64,
    /// Forward selection: each step's feature and out-of-fold log loss.
    #[serde(default)]
    pub selection: Vec<Step>,
    /// Entry without a treaty (None: the importer generates no such commitment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<Entry>,
    /// The credibility of neutrality and nonaggression promises (None:
    /// the importer writes them at 100%, a veto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<Promise>,
    /// Entry beside the opener, without a treaty (None: the importer
    /// generates no such alliance). Same form as `entry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beside: Option<Entry>,
    /// A defence when the protected member started the war, so that the
    /// attack on it is provoked (language reference §5): the probability
    /// that an ally of a war's initiator fights on its side. Same form as
    /// `entry`, on the treaty model's candidates. None: the importer writes
    /// one defence at the treaty model's credibility, provoked or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provoked: Option<Entry>,
}

/// The weight of a neutrality or nonaggression promise against a defence
/// (language reference §5, rule 4), per era: the probability q that it is
/// kept, so that a defence honoured with p fires with p·(1 − q). Fitted
/// on the defence allies of a war's target that hold such a promise
/// toward its opener, by matching the joiners among them to the treaty
/// model's expectation: q = 1 − joined / Σ p, within [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    /// The eras with cases, in order; a promise of another era stays at 100%.
    pub eras: Vec<PromiseEra>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromiseEra {
    pub era: Era,
    pub credibility: f64,
    /// The cases it was fitted on, how many took part, and Σ p over them.
    pub cases: usize,
    pub joined: usize,
    pub expected: f64,
}

impl Promise {
    /// The weight from the treaty cases, given the treaty model; None
    /// without a case that holds a promise.
    pub fn fit(cases: &[Case], calibration: &Calibration) -> Option<Promise> {
        let eras: Vec<PromiseEra> = Era::ALL
            .iter()
            .filter_map(|&era| {
                let promised: Vec<&Case> =
                    cases.iter().filter(|c| c.promised && Era::of(c.context.year) == era).collect();
                let joined = promised.iter().filter(|c| c.joined).count();
                let expected: f64 = promised.iter().map(|c| calibration.credibility(&c.context)).sum();
                let credibility = if expected > 0.0 { (1.0 - joined as f64 / expected).clamp(0.0, 1.0) } else { 1.0 };
                (!promised.is_empty()).then_some(PromiseEra {
                    era,
                    credibility,
                    cases: promised.len(),
                    joined,
                    expected,
                })
            })
            .collect();
        (!eras.is_empty()).then_some(Promise { eras })
    }

    /// The probability that a promise made in force in `year` is kept
    /// (None: its era had no case, so it stays a veto).
    pub fn credibility(&self, year: i32) -> Option<f64> {
        self.eras.iter().find(|e| e.era == Era::of(year)).map(|e| e.credibility)
    }
}

/// The entry model: the probability that a major power or a neighbour
/// with no treaty toward an attacked state enters its war, which the
/// importer writes as generated unilateral `defends` commitments. The
/// beside model has the same form: the probability that a major power or
/// a neighbour of the opener with no defence toward it fights beside it
/// (generated `join` alliances).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub features: Vec<Feature>,
    pub intercept: f64,
    pub coefficients: Vec<f64>,
    pub selection: Vec<Step>,
}

impl Entry {
    pub fn credibility(&self, c: &Context) -> f64 {
        logistic::sigmoid(z(self.intercept, &self.features, &self.coefficients, c))
    }
}

fn z(intercept: f64, features: &[Feature], coefficients: &[f64], c: &Context) -> f64 {
    intercept + features.iter().zip(coefficients).map(|(f, b)| b * f.value(c)).sum::<f64>()
}

/// A state with no treaty is a candidate for a generated commitment when
/// it is a major power or a neighbour of the attacked state.
pub fn entry_candidate(c: &Context) -> bool {
    c.major || c.near
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// None for the intercept alone.
    pub feature: Option<Feature>,
    pub log_loss: f64,
    pub kept: bool,
}

impl Calibration {
    /// The shipped calibration.
    pub fn shipped() -> Calibration {
        Calibration::parse(SHIPPED).expect("the shipped calibration parses (tested)")
    }

    pub fn parse(text: &str) -> Result<Calibration, String> {
        let c: Calibration = serde_json::from_str(text).map_err(|e| format!("not a calibration file: {e}"))?;
        if c.version != VERSION {
            return Err(format!("calibration version {} is not {VERSION}, the one this dtr reads", c.version));
        }
        if c.coefficients.len() != c.features.len() {
            return Err(format!("{} coefficients for {} features", c.coefficients.len(), c.features.len()));
        }
        if !c.intercept.is_finite() || c.coefficients.iter().any(|b| !b.is_finite()) {
            return Err("a coefficient is not a finite number".into());
        }
        if let Some(p) = &c.promise
            && p.eras.iter().any(|e| !(0.0..=1.0).contains(&e.credibility))
        {
            return Err("promise: the credibility is not a probability".into());
        }
        for (name, e) in [("entry", &c.entry), ("beside", &c.beside), ("provoked", &c.provoked)] {
            let Some(e) = e else { continue };
            if e.coefficients.len() != e.features.len() {
                return Err(format!("{name}: {} coefficients for {} features", e.coefficients.len(), e.features.len()));
            }
            if !e.intercept.is_finite() || e.coefficients.iter().any(|b| !b.is_finite()) {
                return Err(format!("{name}: a coefficient is not a finite number"));
            }
        }
        Ok(c)
    }

    /// The probability that the member honours its promise.
    pub fn credibility(&self, c: &Context) -> f64 {
        logistic::sigmoid(z(self.intercept, &self.features, &self.coefficients, c))
    }
}

/// One training case: a member's promise to the target of a war, and
/// whether it took part.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Case {
    pub context: Context,
    pub joined: bool,
    /// Index of the case's war (cases of one war share a fold).
    pub war: usize,
    /// The state also holds a neutrality or nonaggression promise toward
    /// the war's opener ([`Promise`]).
    pub promised: bool,
}

fn row(features: &[Feature], c: &Context) -> Vec<f64> {
    std::iter::once(1.0).chain(features.iter().map(|f| f.value(c))).collect()
}

/// Fits the coefficients of `features` on `cases`.
pub fn fit(cases: &[&Case], features: &[Feature]) -> (f64, Vec<f64>) {
    let x: Vec<Vec<f64>> = cases.iter().map(|c| row(features, &c.context)).collect();
    let y: Vec<bool> = cases.iter().map(|c| c.joined).collect();
    let beta = logistic::fit(&x, &y);
    (beta[0], beta[1..].to_vec())
}

/// Which of `k` folds a war is in: wars dealt round-robin in file order.
pub fn fold(war: usize, k: usize) -> usize {
    war % k.max(1)
}

/// The mean log loss of `features` on cases of each fold, fitted on the others.
pub fn out_of_fold_log_loss(cases: &[Case], features: &[Feature], k: usize) -> f64 {
    if cases.is_empty() {
        return 0.0;
    }
    let mut total = 0.0;
    for f in 0..k {
        let train: Vec<&Case> = cases.iter().filter(|c| fold(c.war, k) != f).collect();
        let (b0, b) = fit(&train, features);
        for c in cases.iter().filter(|c| fold(c.war, k) == f) {
            let p = logistic::sigmoid(z(b0, features, &b, &c.context)).clamp(1e-6, 1.0 - 1e-6);
            total -= if c.joined { p.ln() } else { (1.0 - p).ln() };
        }
    }
    total / cases.len().max(1) as f64
}

/// Forward selection among `candidates`: from the intercept alone, add the candidate that
/// lowers the out-of-fold log loss most, while one does by at least
/// `MIN_GAIN`; every candidate's last try is recorded.
pub fn select(cases: &[Case], k: usize, candidates: &[Feature]) -> (Vec<Feature>, Vec<Step>) {
    const MIN_GAIN: f64 = 1e-3;
    let mut chosen: Vec<Feature> = Vec::new();
    let mut best = out_of_fold_log_loss(cases, &chosen, k);
    let mut steps = vec![Step { feature: None, log_loss: best, kept: true }];
    loop {
        let tried: Vec<(Feature, f64)> = candidates
            .iter()
            .filter(|f| !chosen.contains(f))
            .map(|&f| {
                let mut with = chosen.clone();
                with.push(f);
                (f, out_of_fold_log_loss(cases, &with, k))
            })
            .collect();
        let Some(&(f, loss)) = tried.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else { break };
        if loss > best - MIN_GAIN {
            steps.extend(tried.iter().map(|&(f, l)| Step { feature: Some(f), log_loss: l, kept: false }));
            break;
        }
        chosen.push(f);
        best = loss;
        steps.push(Step { feature: Some(f), log_loss: loss, kept: true });
    }
    (chosen, steps)
}

/// The training cases of the two models.
#[derive(Debug, Default)]
pub struct Cases {
    /// Defence allies of the target.
    pub treaty: Vec<Case>,
    /// Major powers and neighbours of the target with no defence toward it.
    pub untied: Vec<Case>,
    /// Major powers and neighbours of the initiator that owe it no
    /// defence; `joined` is "fought on the initiator's side".
    pub beside: Vec<Case>,
    /// States that owe the initiator a defence (and the target none);
    /// `joined` is "fought on the initiator's side".
    pub provoked: Vec<Case>,
    /// Joiners in no list.
    pub others: usize,
}

/// Forward selection and a fit of the entry model on `cases`.
fn entry_model(cases: &[Case], k: usize, candidates: &[Feature]) -> Option<Entry> {
    (!cases.is_empty()).then(|| {
        let (features, selection) = select(cases, k, candidates);
        let all: Vec<&Case> = cases.iter().collect();
        let (intercept, coefficients) = fit(&all, &features);
        Entry { features, intercept, coefficients, selection }
    })
}

/// Selects the features (each model's candidates, then `extra`) and fits
/// each model (treaty, entry, beside, provoked) on its cases (forward selection on
/// `k` folds of their wars) and the promise weight on the treaty model,
/// then chooses the decision threshold with the best F1 on `pairs`: the
/// predictions and outcomes of the training wars' pairs under the fitted
/// calibration (the backtest's analysis, [`metrics::best_threshold`]).
pub fn train(
    cases: &Cases,
    k: usize,
    extra: &[Feature],
    about: String,
    fitted_by: String,
    pairs: &dyn Fn(&Calibration) -> Vec<(f64, bool)>,
) -> Calibration {
    let with = |base: &[Feature]| -> Vec<Feature> {
        let mut all = base.to_vec();
        all.extend(extra.iter().filter(|f| !base.contains(f)));
        all
    };
    let (features, selection) = select(&cases.treaty, k, &with(&Feature::TREATY));
    let all: Vec<&Case> = cases.treaty.iter().collect();
    let (intercept, coefficients) = fit(&all, &features);
    let entry = entry_model(&cases.untied, k, &with(&Feature::ENTRY));
    let beside = entry_model(&cases.beside, k, &with(&Feature::ENTRY));
    let provoked = entry_model(&cases.provoked, k, &with(&Feature::TREATY));
    let mut calibration = Calibration {
        version: VERSION,
        about,
        fitted_by,
        features,
        intercept,
        coefficients,
        threshold: 0.5,
        selection,
        entry,
        promise: None,
        beside,
        provoked,
    };
    calibration.promise = Promise::fit(&cases.treaty, &calibration);
    calibration.threshold = metrics::best_threshold(&pairs(&calibration));
    calibration
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_calibration_parses_and_gives_probabilities() {
        let c = Calibration::shipped();
        let small = Context { year: 1870, members: 2, ..Context::default() };
        let p = c.credibility(&small);
        assert!(p > 0.0 && p < 1.0, "{p}");
    }

    #[test]
    fn a_file_of_another_version_or_shape_is_refused() {
        let text = SHIPPED.replacen("\"version\": 1", "\"version\": 9", 1);
        assert!(Calibration::parse(&text).unwrap_err().contains("version 9"));
        assert!(Calibration::parse("{}").unwrap_err().starts_with("not a calibration file"));
    }

    #[test]
    fn the_promise_weight_matches_the_joiners_to_the_treaty_models_expectation() {
        // The treaty model gives every case 1/2: ten promised allies (of
        // year 0, before 1914) are expected to bring 5 joiners and bring 2,
        // so a promise is kept at 1 − 2/5 = 60%; the others do not count.
        let c =
            Calibration { intercept: 0.0, features: Vec::new(), coefficients: Vec::new(), ..Calibration::shipped() };
        let case = |joined, promised| Case { context: Context::default(), joined, war: 0, promised };
        let mut cases: Vec<Case> = (0..10).map(|i| case(i < 2, true)).collect();
        cases.extend((0..10).map(|_| case(true, false)));
        let p = Promise::fit(&cases, &c).expect("promised cases");
        let [e] = &p.eras[..] else { panic!("one era: {p:?}") };
        assert_eq!((e.era, e.cases, e.joined), (Era::Before1914, 10, 2));
        assert!((e.expected - 5.0).abs() < 1e-12 && (e.credibility - 0.6).abs() < 1e-12, "{p:?}");
        assert_eq!((p.credibility(1866), p.credibility(1990)), (Some(e.credibility), None));
        // More joiners than expected: the promise weighs nothing (0%, not below).
        cases.iter_mut().for_each(|c| c.joined = true);
        assert_eq!(Promise::fit(&cases, &c).and_then(|p| p.credibility(1900)), Some(0.0));
        assert!(Promise::fit(&cases[10..], &c).is_none(), "no promised case, no weight");
        // `train` fits it beside the treaty model.
        let cases = Cases {
            treaty: cases.iter().enumerate().map(|(i, c)| Case { war: i, ..*c }).collect(),
            ..Cases::default()
        };
        let fitted =
            train(&cases, 2, &[], String::new(), String::new(), &|_| Vec::new()).promise.expect("promised cases");
        assert_eq!((fitted.eras.len(), fitted.eras[0].cases, fitted.eras[0].joined), (1, 10, 10));
        // A file without the section reads (the importer keeps 100%); one
        // whose weight is not a probability does not.
        assert!(Calibration::parse(SHIPPED).is_ok());
        let mut bad = c.clone();
        let era = PromiseEra { era: Era::After1945, credibility: 1.5, cases: 1, joined: 0, expected: 1.0 };
        bad.promise = Some(Promise { eras: vec![era] });
        let text = serde_json::to_string(&bad).expect("JSON");
        assert!(Calibration::parse(&text).unwrap_err().contains("promise"));
    }

    #[test]
    fn selection_keeps_a_feature_that_separates_and_drops_noise() {
        // In every war, bilateral pacts honoured 4 times in 5, large ones 1 in 5.
        let mut cases = Vec::new();
        for war in 0..20 {
            for i in 0..10 {
                let members = if i < 5 { 2 } else { 9 };
                let joined = if members == 2 { i != 0 } else { i == 5 };
                let context = Context { year: 1850, members, ..Context::default() };
                cases.push(Case { context, joined, war, promised: false });
            }
        }
        let (chosen, steps) = select(&cases, 5, &Feature::TREATY);
        assert_eq!(chosen.len(), 1, "bilateral and log_members carry the same split: one is enough");
        assert!(matches!(chosen[0], Feature::Bilateral | Feature::LogMembers), "{chosen:?}");
        assert!(!chosen.contains(&Feature::MajorPower), "constant features add nothing");
        assert!(steps[1].log_loss < steps[0].log_loss);
    }

    #[test]
    fn the_entry_model_is_fitted_on_untied_cases_and_reads_neighbours() {
        // Neighbours of the attacked state join 3 times in 10, far major powers 1 in 10.
        let mut untied = Vec::new();
        for war in 0..20 {
            for i in 0..20 {
                let near = i < 10;
                let joined = if near { i < 3 } else { i == 10 };
                let context = Context { year: 1850, members: 1, major: !near, near, ..Context::default() };
                untied.push(Case { context, joined, war, promised: false });
            }
        }
        let c = train(&Cases { untied, ..Cases::default() }, 5, &[], String::new(), String::new(), &|_| Vec::new());
        let entry = c.entry.expect("fitted");
        let at = |near: bool| {
            entry.credibility(&Context { year: 1850, members: 1, major: !near, near, ..Context::default() })
        };
        assert!((at(true) - 0.3).abs() < 0.03 && (at(false) - 0.1).abs() < 0.03, "{} {}", at(true), at(false));
        let empty = train(&Cases::default(), 5, &[], String::new(), String::new(), &|_| Vec::new());
        assert!(empty.entry.is_none() && empty.beside.is_none());
    }

    #[test]
    fn the_beside_model_is_fitted_on_its_own_cases() {
        // Neighbours of the opener fight beside it 2 times in 10; the
        // entry cases (none here) give no entry model.
        let mut beside = Vec::new();
        for war in 0..20 {
            for i in 0..10 {
                let context = Context { year: 1950, members: 1, near: true, ..Context::default() };
                beside.push(Case { context, joined: i < 2, war, promised: false });
            }
        }
        let c = train(&Cases { beside, ..Cases::default() }, 5, &[], String::new(), String::new(), &|_| Vec::new());
        assert!(c.entry.is_none());
        let p = c.beside.expect("fitted").credibility(&Context { year: 1950, near: true, ..Context::default() });
        assert!((p - 0.2).abs() < 0.02, "{p}");
        let text = serde_json::to_string(&Calibration { beside: None, ..c }).expect("JSON");
        assert!(!text.contains("beside"), "the section is optional: {text}");
    }

    #[test]
    fn the_provoked_model_is_fitted_on_the_initiators_allies() {
        // Allies of an initiator fight beside it 1 time in 10; the section
        // is optional, and a file without it reads (one defence is written).
        let mut provoked = Vec::new();
        for war in 0..20 {
            for i in 0..10 {
                let context = Context { year: 1950, members: 2, ..Context::default() };
                provoked.push(Case { context, joined: i == 0, war, promised: false });
            }
        }
        let c = train(&Cases { provoked, ..Cases::default() }, 5, &[], String::new(), String::new(), &|_| Vec::new());
        let model = c.provoked.as_ref().expect("fitted");
        let p = model.credibility(&Context { year: 1950, members: 2, ..Context::default() });
        assert!((p - 20.5 / 201.0).abs() < 1e-6, "Firth's rate (20 + ½) / (200 + 1): {p}");
        assert!(c.entry.is_none() && c.beside.is_none());
        let text = serde_json::to_string(&Calibration { provoked: None, ..c }).expect("JSON");
        assert!(!text.contains("provoked") && Calibration::parse(&text).is_ok_and(|c| c.provoked.is_none()));
    }

    #[test]
    fn opt_in_candidates_are_tried_only_on_request() {
        // Same-region states join 3 times in 10, the others 1 in 10.
        let mut untied = Vec::new();
        for war in 0..20 {
            for i in 0..20 {
                let same_region = i < 10;
                let joined = if same_region { i < 3 } else { i == 10 };
                let context = Context { year: 1850, members: 1, major: true, same_region, ..Context::default() };
                untied.push(Case { context, joined, war, promised: false });
            }
        }
        let cases = Cases { untied, ..Cases::default() };
        let tried = |c: &Calibration| -> Vec<Feature> {
            c.entry.iter().flat_map(|e| &e.selection).filter_map(|s| s.feature).collect()
        };
        let default = train(&cases, 5, &[], String::new(), String::new(), &|_| Vec::new());
        assert!(!tried(&default).contains(&Feature::SameRegion));
        let asked = train(&cases, 5, &[Feature::SameRegion], String::new(), String::new(), &|_| Vec::new());
        assert_eq!(asked.entry.expect("fitted").features, [Feature::SameRegion]);
        assert!(default.promise.is_none() && asked.promise.is_none(), "no promised case, no weight");
        assert_eq!(Feature::from_name("log_cinc"), Some(Feature::LogCinc));
        assert_eq!(Feature::from_name("cinc"), None);
    }

    #[test]
    fn capability_region_and_location_features_read_the_shipped_data() {
        // Britain and Portugal (ATOP's old alliance) in 1900: CINC of 1899.
        let ukg = Context::of(200, &[200, 235], 1900);
        assert_eq!(ukg.log_cinc, nmc::cinc(200, 1899).expect("in NMC").ln());
        assert!((ukg.log_cinc_ratio - (ukg.log_cinc - nmc::log_cinc(235, 1899))).abs() < 1e-12);
        assert!(ukg.log_cinc_ratio > 2.0, "Britain dwarfs Portugal: {}", ukg.log_cinc_ratio);
        assert!(ukg.same_region && !ukg.location_limited);
        let tie = crate::Tie { ally: 200, members: vec![200, 235], location_limited: true };
        assert!(Context::of_tie(&tie, 1900).location_limited);
        let far = Context::untied(200, 2, 1900);
        assert!(!far.same_region && !far.near);
        assert_eq!(Feature::LogCincRatio.value(&far), far.log_cinc - nmc::log_cinc(2, 1899));
    }

    #[test]
    fn neighbours_are_capitals_within_the_documented_distance() {
        assert!(neighbours(200, 220), "London-Paris");
        assert!(!neighbours(2, 200), "Washington-London");
        assert!(!neighbours(200, 200));
    }
}
