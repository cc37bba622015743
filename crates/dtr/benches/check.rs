//! Front-end throughput on a generated world of 10 MB (`dtr_gen::generate`),
//! side by side in one run:
//!
//! - `pest_bare`: pest parsing the text with the grammar of `crates/dtr/grammar/dtr.pest`
//!   (the same file, derived here), nothing else;
//! - `check_end_to_end`: what `dtr check FILE` does before printing: read the
//!   file, parse, build the AST, resolve, lint, render the diagnostics;
//! - `serde_json`: `serde_json` parsing the same world written as JSON,
//!   which is the checked program (`check::Program`, every declaration
//!   with its resolved references and spans) serialised with `serde_json`,
//!   read back as a `serde_json::Value`;
//! - `check_1000_lines`: `check::check_source` of a generated 1,000-line
//!   file, as the generator writes it (`check_source`: one declaration a
//!   line, 88 KB) and in the canonical layout of `dtr fmt`
//!   (`check_source_canonical`: one field a line, as users' files are, 25 KB).
//!
//! Criterion reports each; then the ratios the targets are stated in are
//! measured once more by interleaving the three (medians of 7 rounds), so
//! that load from other processes falls on all of them alike.
//! `cargo bench --bench check`; figures are recorded in docs/performance.md.

use criterion::{Criterion, Throughput};
use dtr::diagnostic::render;
use dtr_gen::generate::{Shape, world};
use pest::Parser;
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/dtr.pest"]
struct Bare;

const TEN_MB: usize = 10_000_000;

/// The smallest generated world (seed 1), laid out by `layout` (`identity`:
/// the generator's own, one declaration a line), with at least `bytes`
/// bytes or `lines` lines, found by growing the number of actors.
fn world_of(bytes: usize, lines: usize, layout: fn(String) -> String) -> String {
    let mut actors = 3;
    loop {
        let text = layout(world(Shape::world(actors, 1)));
        if text.len() >= bytes && text.lines().count() >= lines {
            return text;
        }
        // Size grows about linearly with the number of actors.
        let by_bytes = bytes as f64 / text.len() as f64;
        let by_lines = lines as f64 / text.lines().count() as f64;
        actors = ((actors as f64 * by_bytes.max(by_lines)).ceil() as usize).max(actors + 1);
    }
}

/// The world as JSON: the checked program, serialised.
fn as_json(text: &str) -> String {
    let checked = dtr::check::check_source("world.dtr", text);
    assert!(!checked.has_errors(), "generated worlds check clean");
    serde_json::to_string(&checked.program).expect("a program serialises")
}

fn pest_bare(text: &str) -> usize {
    Bare::parse(Rule::file, text).map(|pairs| pairs.len()).unwrap_or(0)
}

/// `dtr check FILE` up to printing: read, check, render.
fn check_end_to_end(path: &Path) -> usize {
    let checked = dtr::check::check_path(path).expect("the world file is readable");
    render::human(&checked.diagnostics, &checked.sources, false).len()
}

fn serde_json_parse(json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(json).expect("valid JSON").is_object()
}

/// The canonical layout `dtr fmt` writes.
fn canonical(text: String) -> String {
    dtr::fmt::format(&text).expect("generated worlds parse")
}

fn benches(c: &mut Criterion, path: &Path, text: &str, json: &str, small: &str, small_canonical: &str) {
    let mut big = c.benchmark_group("world_10mb");
    big.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    big.throughput(Throughput::Bytes(text.len() as u64));
    big.bench_function("pest_bare", |b| b.iter(|| pest_bare(text)));
    big.bench_function("check_end_to_end", |b| b.iter(|| check_end_to_end(path)));
    big.throughput(Throughput::Bytes(json.len() as u64));
    big.bench_function("serde_json", |b| b.iter(|| serde_json_parse(json)));
    big.finish();
    let mut lines = c.benchmark_group("check_1000_lines");
    lines.throughput(Throughput::Bytes(small.len() as u64));
    lines.bench_function("check_source", |b| b.iter(|| dtr::check::check_source("small.dtr", small).diagnostics.len()));
    lines.throughput(Throughput::Bytes(small_canonical.len() as u64));
    lines.bench_function("check_source_canonical", |b| {
        b.iter(|| dtr::check::check_source("small.dtr", small_canonical).diagnostics.len())
    });
    lines.finish();
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// The targets' ratios, from interleaved runs.
fn ratios(path: &Path, text: &str, json: &str) {
    let (mut pest, mut check, mut serde) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        pest.push(time(|| assert!(pest_bare(text) > 0)));
        check.push(time(|| assert!(check_end_to_end(path) > 0)));
        serde.push(time(|| assert!(serde_json_parse(json))));
    }
    let (pest, check, serde) = (median(pest), median(check), median(serde));
    let mb = |bytes: usize, secs: f64| bytes as f64 / secs / 1e6;
    println!("interleaved medians of 7 rounds, {} bytes of DTR, {} bytes of JSON:", text.len(), json.len());
    println!("  pest_bare        {:8.1} ms  {:6.1} MB/s", pest * 1e3, mb(text.len(), pest));
    println!("  check_end_to_end {:8.1} ms  {:6.1} MB/s", check * 1e3, mb(text.len(), check));
    println!("  serde_json       {:8.1} ms  {:6.1} MB/s", serde * 1e3, mb(json.len(), serde));
    println!("  check throughput / pest throughput: {:.0}% (target >= 70%)", 100.0 * pest / check);
    println!("  check time / serde_json time: {:.2}x (target <= 5x)", check / serde);
}

fn main() {
    let text = world_of(TEN_MB, 0, std::convert::identity);
    let small = world_of(0, 1000, std::convert::identity);
    let small_canonical = world_of(0, 1000, canonical);
    let json = as_json(&text);
    println!(
        "10 MB world: {} bytes, {} lines; 1,000-line worlds: {} lines ({} bytes), {} lines in the canonical layout ({} bytes)",
        text.len(),
        text.lines().count(),
        small.lines().count(),
        small.len(),
        small_canonical.lines().count(),
        small_canonical.len()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("world.dtr");
    std::fs::write(&path, &text).expect("write the world");
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &path, &text, &json, &small, &small_canonical);
    c.final_summary();
    ratios(&path, &text, &json);
}
