//! Analysis throughput on regional generated worlds (`dtr::generate`) of
//! 50, 200 and 1,000 actors with 25 commitments per actor: all-honoured
//! cascades of scenario `s0` per second, and Monte Carlo cascade samples
//! per second (64 samples a run).
//! Run with `cargo bench --bench analysis`; figures are recorded in
//! docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dtr::analysis::escalation::escalate;
use dtr::analysis::monte_carlo::sample_n;
use dtr::analysis::probability::Request;
use dtr::check::program::ScenarioId;
use dtr::generate::{Shape, world};
use dtr::model::{Model, compile};
use std::time::Duration;

fn model(actors: usize) -> Model {
    let checked = dtr::check::check_source("world.dtr", &world(Shape::world(actors, 1)));
    assert!(!checked.has_errors(), "generated worlds check clean");
    compile(&checked.program)
}

fn analysis(c: &mut Criterion) {
    let mut cascades = c.benchmark_group("all_honoured_cascade");
    cascades.sample_size(10).measurement_time(Duration::from_secs(5));
    let worlds: Vec<(usize, Model)> = [50, 200, 1000].into_iter().map(|n| (n, model(n))).collect();
    for (n, m) in &worlds {
        cascades.throughput(Throughput::Elements(1));
        cascades.bench_with_input(BenchmarkId::from_parameter(n), m, |b, m| b.iter(|| escalate(m, ScenarioId(0)).events.len()));
    }
    cascades.finish();

    let mut samples = c.benchmark_group("monte_carlo_samples");
    samples.sample_size(10).measurement_time(Duration::from_secs(5));
    for (n, m) in &worlds {
        let p = m.probabilities();
        let request = Request { scenario: ScenarioId(0), stop_at: None, paths: false };
        samples.throughput(Throughput::Elements(64));
        samples.bench_with_input(BenchmarkId::from_parameter(n), m, |b, m| b.iter(|| sample_n(m, &p, request, 64).tally.weight));
    }
    samples.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
