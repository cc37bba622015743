//! Analysis throughput on regional generated worlds (`dtr_gen::generate`) of
//! 50, 200 and 1,000 actors with 25 commitments per actor: all-honoured
//! cascades of scenario `s0` per second, and Monte Carlo cascade samples
//! per second (64 samples a run).
//!
//! `monte_carlo_target` is the case of the Monte Carlo target ("a cascade
//! of 50 commitments"): scenario `s0` of the 30-actor world of seed 7,
//! whose drawn cascades bring 52 expanded commitments to a firing decision
//! over 100,000 samples (the relevant set), with 4.9 entrants and 73
//! commitment considerations per sample on average; its exact tree is
//! beyond the exact method's bound, so `dtr analyze` samples it. It is
//! timed at the file's own `samples: 2000` and at the language's default
//! of 100,000.
//!
//! `exact_30` is the case of the exact target ("exact probabilities for 30
//! relevant commitments"): 30 defenders of one attacked actor, each
//! honoured with its own probability, evaluated as `dtr analyze` does
//! (with best paths). Their firings are independent, so the exact method
//! takes them out of the walk instead of enumerating 2^30 outcomes.
//!
//! `exact_30_parts` is the same target with commitments that answer each
//! other: 15 of the defenders, each with an ally whose alliance obligation
//! joins its war (30 relevant commitments, 3^15 outcomes). Each defender
//! and its ally form an independent part, enumerated on its own.
//! Run with `cargo bench --bench analysis`; figures are recorded in
//! docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dtr::analysis::probability::{Method, Request, evaluate};
use dtr::internals::{escalate, sample_n};
use dtr::model::{Model, compile};
use dtr::vocabulary::ScenarioId;
use dtr_gen::generate::{Shape, world};
use std::time::Duration;

fn model(actors: usize, seed: u64) -> Model {
    let checked = dtr::check::check_source("world.dtr", &world(Shape::world(actors, seed)));
    assert!(!checked.has_errors(), "generated worlds check clean");
    compile(&checked.program)
}

const S0: Request = Request { scenario: ScenarioId(0), stop_at: None, paths: false };

fn analysis(c: &mut Criterion) {
    let mut cascades = c.benchmark_group("all_honoured_cascade");
    cascades.sample_size(10).measurement_time(Duration::from_secs(5));
    let worlds: Vec<(usize, Model)> = [50, 200, 1000].into_iter().map(|n| (n, model(n, 1))).collect();
    for (n, m) in &worlds {
        cascades.throughput(Throughput::Elements(1));
        cascades.bench_with_input(BenchmarkId::from_parameter(n), m, |b, m| {
            b.iter(|| escalate(m, ScenarioId(0)).events.len())
        });
    }
    cascades.finish();

    let mut samples = c.benchmark_group("monte_carlo_samples");
    samples.sample_size(10).measurement_time(Duration::from_secs(5));
    for (n, m) in &worlds {
        let p = m.probabilities();
        samples.throughput(Throughput::Elements(64));
        samples.bench_with_input(BenchmarkId::from_parameter(n), m, |b, m| {
            b.iter(|| sample_n(m, &p, S0, 64).tally.weight)
        });
    }
    samples.finish();

    let target = model(30, 7);
    let p = target.probabilities();
    let relevant = sample_n(&target, &p, S0, 100_000).tally.relevant.len();
    assert_eq!(relevant, 52, "the target case has 52 relevant commitments");
    let mut samples = c.benchmark_group("monte_carlo_target");
    samples.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in [2_000, 100_000] {
        samples.throughput(Throughput::Elements(n));
        samples.bench_with_input(BenchmarkId::from_parameter(n), &target, |b, m| {
            b.iter(|| sample_n(m, &p, S0, n).tally.weight)
        });
    }
    samples.finish();

    let defenders: String = (0..30)
        .map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: {}% }}\n", 30 + 2 * i))
        .collect();
    let checked = dtr::check::check_source(
        "exact_30.dtr",
        &format!("actor RUS actor EST\n{defenders}scenario s {{ RUS attacks EST }}"),
    );
    let thirty = compile(&checked.program);
    let p = thirty.probabilities();
    let request = Request { paths: true, ..S0 };
    let method = evaluate(&thirty, &p, request).method;
    assert_eq!(method, Method::Exact { leaves: 1 << 30, relevant: 30 }, "30 relevant commitments, exact");
    let mut exact = c.benchmark_group("exact_30");
    exact.sample_size(10).measurement_time(Duration::from_secs(5));
    exact.bench_function("evaluate", |b| b.iter(|| evaluate(&thirty, &p, request).tally.weight));
    exact.finish();

    let allies: String = (0..15)
        .map(|i| {
            format!(
                "actor A{i}\nalliance X{i} {{ members: [A{i}, D{i}] obligation o join {{ credibility: {}% }} }}\n",
                40 + 3 * i
            )
        })
        .collect();
    let defenders: String = (0..15)
        .map(|i| format!("actor D{i}\ncommitment c{i}: D{i} defends EST {{ credibility: {}% }}\n", 30 + 2 * i))
        .collect();
    let source = format!("actor RUS actor EST\n{defenders}{allies}scenario s {{ RUS attacks EST }}");
    let checked = dtr::check::check_source("exact_30_parts.dtr", &source);
    let parts = compile(&checked.program);
    let p = parts.probabilities();
    let method = evaluate(&parts, &p, request).method;
    assert_eq!(
        method,
        Method::Exact { leaves: 3u64.pow(15), relevant: 30 },
        "30 relevant commitments in 15 parts, exact"
    );
    let mut exact = c.benchmark_group("exact_30_parts");
    exact.sample_size(10).measurement_time(Duration::from_secs(5));
    exact.bench_function("evaluate", |b| b.iter(|| evaluate(&parts, &p, request).tally.weight));
    exact.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
