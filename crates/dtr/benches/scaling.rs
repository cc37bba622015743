//! How cost grows with the size of the world: for regional generated
//! worlds (`dtr generate --actors N`, 25 commitments per actor) of N = 50,
//! 200, 1,000 and 5,000 actors, the time to check the file, the mean time
//! of the all-honoured cascade over a spread of directed opening attacks
//! (the work of `dtr sweep --no-probabilities`), and Monte Carlo samples of
//! scenario `s0`. Prints a table and draws docs/scaling.svg with plotters.
//!
//! `cargo bench --bench scaling` (50, 200, 1,000) or `cargo bench --bench scaling -- 5000`.

use dtr::analysis::probability::Request;
use dtr::analysis::sweep;
use dtr::internals::{escalate, sample_n};
use dtr::model::{self, Model, compile};
use dtr::vocabulary::ScenarioId;
use dtr_gen::generate::{Shape, world};
use plotters::prelude::*;
use std::time::{Duration, Instant};

/// Directed attacks timed per world, spread evenly over all n·(n−1): 400
/// for small worlds, fewer for large ones (whose wars are long).
fn attack_count(actors: usize) -> usize {
    (20_000 / actors.max(1)).clamp(8, 400)
}

/// Monte Carlo samples timed per world.
fn sample_count(actors: usize) -> u64 {
    (6_400 / actors.max(1) as u64).clamp(4, 64)
}

struct Row {
    actors: usize,
    bytes: usize,
    check: Duration,
    cascade: Duration,
    events: f64,
    sample: Duration,
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The model with its scenarios replaced by about `count` of the directed
/// attacks `dtr sweep` evaluates, spread evenly over them.
fn attacks(model: &Model, count: usize) -> Model {
    let all = sweep::attacks(model, None, None);
    let step = (all.len() / count).max(1);
    let mut m = model.clone();
    m.scenarios = all
        .into_iter()
        .step_by(step)
        .map(|attack| model::Scenario {
            name: format!("a{}_{}", attack.aggressor.index(), attack.victim.index()),
            label: None,
            openings: vec![attack.opening(model)],
            span: Default::default(),
        })
        .collect();
    m
}

fn measure(actors: usize) -> Row {
    let text = world(Shape::world(actors, 1));
    let start = Instant::now();
    let checked = dtr::check::check_source("world.dtr", &text);
    let check = start.elapsed();
    assert!(!checked.has_errors(), "generated worlds check clean");
    let model = compile(&checked.program);

    let swept = attacks(&model, attack_count(actors));
    let start = Instant::now();
    let events: usize = (0..swept.scenarios.len() as u32).map(|s| escalate(&swept, ScenarioId(s)).events.len()).sum();
    let cascade = start.elapsed() / swept.scenarios.len() as u32;
    let events = events as f64 / swept.scenarios.len() as f64;

    let p = model.probabilities();
    let samples = sample_count(actors);
    let start = Instant::now();
    sample_n(&model, &p, Request { scenario: ScenarioId(0), stop_at: None, paths: false }, samples);
    let sample = start.elapsed() / samples as u32;
    Row { actors, bytes: text.len(), check, cascade, events, sample }
}

fn plot(rows: &[Row], path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let low = rows.iter().flat_map(|r| [r.check, r.cascade, r.sample]).map(seconds).fold(f64::INFINITY, f64::min);
    let high = rows.iter().flat_map(|r| [r.check, r.cascade, r.sample]).map(seconds).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption("DTR: time against world size (regional worlds, 1 thread)", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d((30f64..8000f64).log_scale(), (low / 2.0..high * 2.0).log_scale())?;
    chart.configure_mesh().x_desc("actors").y_desc("seconds").draw()?;
    type Series = (&'static str, fn(&Row) -> Duration, RGBColor);
    let series: [Series; 3] = [
        ("check the file", |r| r.check, BLUE),
        ("one all-honoured cascade (mean)", |r| r.cascade, RED),
        ("one Monte Carlo sample", |r| r.sample, GREEN),
    ];
    for (label, value, colour) in series {
        let points: Vec<(f64, f64)> = rows.iter().map(|r| (r.actors as f64, seconds(value(r)))).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, colour.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()?;
    root.present()?;
    Ok(())
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    // 5,000 actors only when asked: its bloc-wide wars reach the event cap.
    let sizes = if sizes.is_empty() { vec![50, 200, 1000] } else { sizes };
    println!(
        "| actors | file | check | attacks timed | cascade (mean) | events per cascade | Monte Carlo samples timed | one sample |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut rows = Vec::new();
    for actors in sizes {
        let r = measure(actors);
        println!(
            "| {} | {:.1} MB | {:.3} s | {} | {:.3} ms | {:.0} | {} | {:.3} ms |",
            r.actors,
            r.bytes as f64 / 1e6,
            seconds(r.check),
            attack_count(r.actors),
            seconds(r.cascade) * 1e3,
            r.events,
            sample_count(r.actors),
            seconds(r.sample) * 1e3
        );
        rows.push(r);
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scaling.svg");
    match plot(&rows, path) {
        Ok(()) => println!("drew {path}"),
        Err(e) => eprintln!("could not draw {path}: {e}"),
    }
}
