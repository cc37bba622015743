//! Every directed opening attack of a generated world, all-honoured: the
//! workload of `dtr sweep` without probabilities. Prints the distribution of
//! cascade sizes once, then times the whole sweep.

use dtr::check::program::{ActorId, ScenarioId};
use dtr::generate::{Profile, Shape, world};
use dtr::model::{Model, ModelOpening, ModelScenario, compile};
use rayon::prelude::*;
use std::time::Instant;

fn model(arg: &str, profile: Profile) -> Model {
    let text = match arg.parse::<usize>() {
        Ok(actors) => world(Shape { profile, ..Shape::world(actors, 1) }),
        Err(_) => std::fs::read_to_string(arg).expect("a readable file"),
    };
    let checked = dtr::check::check_source("world.dtr", &text);
    assert!(!checked.has_errors(), "generated worlds check clean");
    let mut model = compile(&checked.program);
    let span = model.scenarios.first().map(|s| s.span).unwrap_or_default();
    let n = model.actors.len() as u32;
    let opening = model.settings.opening;
    model.scenarios = (0..n)
        .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
        .map(|(a, b)| ModelScenario {
            name: format!("a{a}_{b}"),
            label: None,
            openings: vec![ModelOpening { aggressor: ActorId(a), victim: ActorId(b), domains: None, rung: opening, provoked: false, span }],
            span,
        })
        .collect();
    model
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or("200".into());
    let m = model(&arg, Profile::Regional);
    let start = Instant::now();
    let mut sizes: Vec<(usize, usize)> = (0..m.scenarios.len() as u32)
        .into_par_iter()
        .map(|s| {
            let mut c = dtr::analysis::cascade::Cascade::new(&m, ScenarioId(s), dtr::analysis::cascade::Mode::AllHonoured, None);
            c.advance();
            (c.events.len(), c.work as usize)
        })
        .collect();
    let elapsed = start.elapsed();
    sizes.sort_unstable();
    let q = |f: f64| sizes[((sizes.len() - 1) as f64 * f) as usize];
    println!("roaming {} waking {} defend {} join {}", m.index.roaming.len(), m.index.waking.iter().map(Vec::len).sum::<usize>(), m.index.defend.iter().map(Vec::len).sum::<usize>(), m.index.join.iter().map(Vec::len).sum::<usize>());
    println!(
        "{} cascades in {:.3} s; events/entrants median {:?}, p90 {:?}, p99 {:?}, max {:?}; commitments {}",
        sizes.len(),
        elapsed.as_secs_f64(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0),
        m.commitments.len()
    );
}
