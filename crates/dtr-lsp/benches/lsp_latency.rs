//! Diagnostics latency of `dtr lsp` for a 5,000-line file: the time from
//! sending a `didChange` (one character typed or deleted, incremental) to receiving the
//! `publishDiagnostics` for that version, through the same in-memory
//! transport as crates/dtr-cli/tests/lsp.rs. Prints the median and the 90th percentile.
//!
//! `cargo bench --bench lsp_latency` (release build). The budget is a 20 ms median.

#[path = "../../dtr-cli/tests/lsp/client.rs"]
#[allow(dead_code)] // the tests use more of the client than the bench
mod client;

use serde_json::json;
use std::time::{Duration, Instant};

/// A scenario file of exactly `lines` lines: actors, alliances, commitments,
/// threats, scenarios and expectations, as a large real file would have.
pub fn generate(lines: usize) -> String {
    let mut out = String::from("settings { year: 2026, samples: 2000 }\n");
    for r in 0..10 {
        out.push_str(&format!("region r{r} \"Region {r}\"\n"));
    }
    let mut i = 0;
    while out.lines().count() + 40 < lines {
        for k in 0..10 {
            let a = i * 10 + k;
            out.push_str(&format!(
                "/// Actor {a}.\nactor A{a} \"Actor {a}\" {{\n  region: r{}\n  capability {{ land: {}, air: {}, sea: {} }}\n}}\n",
                a % 10,
                a % 17 + 1,
                a % 5 + 1,
                a % 3
            ));
        }
        let m: Vec<String> = (0..10).map(|k| format!("A{}", i * 10 + k)).collect();
        out.push_str(&format!(
            "alliance L{i} {{\n  members: [{}]\n  obligation mutual{i} defend {{\n    when: attack on member within [r{}, r{}]\n    response: regional_war\n    credibility: 80%\n  }}\n}}\n",
            m.join(", "),
            i % 10,
            (i + 1) % 10
        ));
        out.push_str(&format!(
            "commitment c{i}: A{} defends A{} {{\n  domains: [land, air]\n  credibility: 60%\n}}\n",
            i * 10,
            i * 10 + 5
        ));
        out.push_str(&format!("threat A{} -> [A{}, A{}]\n", i * 10 + 9, i * 10 + 1, i * 10 + 2));
        out.push_str(&format!(
            "scenario s{i} {{\n  A{} attacks A{} in land at limited_war\n}}\n",
            i * 10 + 9,
            i * 10 + 1
        ));
        out.push_str(&format!("expect s{i}: A{} joins\n\n", i * 10 + 2));
        i += 1;
    }
    while out.lines().count() < lines {
        out.push_str("// padding\n");
    }
    out
}

/// The median of 21 runs of `f`, in milliseconds.
fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[10].as_secs_f64() * 1000.0
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let text = generate(5000);
    // The share of the library, without the server around it.
    let check = median_ms(|| assert!(!dtr::check::check_source("big.dtr", &text).has_errors()));
    let parse = median_ms(|| drop(dtr::syntax::parse(dtr::source::FileId(0), &text)));
    println!("check_source alone: median {check:.1} ms, of which syntax::parse {parse:.1} ms");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let uri = format!("file://{}", dir.path().join("big.dtr").display());
        let mut c = client::Client::start().await;
        c.open(&uri, &text).await;
        let first = c.diagnostics(&uri, Some(1)).await;
        assert!(first.iter().all(|d| d["severity"] != 1), "the generated file has errors: {first:?}");
        // Type a digit into the first actor's capability and delete it
        // again: every edit moves the rest of the file by one byte.
        let (line, col) = client::find(&text, "land: ", 0, 6);
        let at = json!({ "line": line, "character": col });
        let typed = json!({ "start": at, "end": { "line": line, "character": col + 1 } });
        let mut times: Vec<Duration> = Vec::new();
        for version in 2..=102i64 {
            let change = if version % 2 == 0 {
                json!([{ "range": { "start": at, "end": at }, "text": "9" }])
            } else {
                json!([{ "range": typed, "text": "" }])
            };
            let start = Instant::now();
            c.change(&uri, version, change).await;
            c.diagnostics(&uri, Some(version)).await;
            times.push(start.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "lsp diagnostics latency, 5,000-line file, {} edits: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(times[times.len() - 1])
        );
    });
}
