//! The HTML reports in a real browser: Debian's chromium, headless, driven
//! by playwright-core (crates/dtr-cli/tests/browser/check.js) opens the page of every
//! example and of a sweep from `file://`, and renders every example's
//! Mermaid output with Mermaid, and reports what it shows; this test
//! compares that with the report's JSON: no console error and no
//! request beyond the file, one node per entrant (in the column of its
//! step, none overlapping), one edge per event in its rung's colour, the
//! legend, the tables' numbers and the paths to the rungs, the chain of
//! commitments on hover and on click, the gap matrix, the heat map; every
//! Mermaid diagram drawn, with every node and link written. Screenshots of each page, each
//! graph and the heat map are written to target/tmp/browser-screenshots
//! for review (docs/report.md shows two of them). Needs node, chromium and
//! `npm ci` in crates/dtr-cli/tests/browser (installed by .ci/install); skipped without.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use dtr::analysis::expectations::percent;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The workspace's root: the examples are there, and `dtr` runs there.
fn root() -> PathBuf {
    common::workspace()
}

/// The browser side of the test: check.js and its node_modules.
fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Node, chromium and playwright-core, or a skip saying which is missing.
fn browser() -> Option<PathBuf> {
    let node = Command::new("node").arg("--version").stdin(Stdio::null()).output().is_ok_and(|o| o.status.success());
    let chromium = Path::new(CHROMIUM).is_file();
    let package = browser_dir().join("node_modules/playwright-core/package.json").is_file();
    let missing: Vec<&str> = [(node, "node"), (chromium, CHROMIUM), (package, "tests/browser/node_modules (npm ci)")]
        .into_iter()
        .filter(|(there, _)| !there)
        .map(|(_, what)| what)
        .collect();
    if !missing.is_empty() {
        common::skip(&format!("{} not installed", missing.join(", ")));
        return None;
    }
    Some(PathBuf::from(CHROMIUM))
}

/// Runs `dtr ARGS` in the repository root and returns standard output.
fn dtr(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dtr"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run dtr");
    assert!(out.status.success(), "dtr {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

struct Page {
    name: String,
    kind: &'static str,
    report: Value,
}

#[test]
fn every_example_and_a_sweep_in_chromium() {
    let Some(chromium) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let mut examples: Vec<PathBuf> = Vec::new();
    let mut folders = vec![root().join("examples")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "dtr") {
                examples.push(path);
            }
        }
    }
    examples.sort();
    let mut pages = Vec::new();
    for example in &examples {
        let file = example.strip_prefix(root()).unwrap().to_str().unwrap();
        let name = file.trim_start_matches("examples/").trim_end_matches(".dtr").replace('/', "-");
        std::fs::write(dir.path().join(format!("{name}.html")), dtr(&["analyze", file, "--format", "html"])).unwrap();
        let report: Value = serde_json::from_str(&dtr(&["analyze", file, "--format", "json"])).unwrap();
        std::fs::write(dir.path().join(format!("{name}-md.html")), dtr(&["analyze", file, "--format", "mermaid"]))
            .unwrap();
        pages.push(Page { name: name.clone(), kind: "analyze", report: report.clone() });
        pages.push(Page { name: format!("{name}-md"), kind: "mermaid", report });
    }
    std::fs::write(dir.path().join("korea-sweep.html"), dtr(&["sweep", "examples/korea.dtr", "--format", "html"]))
        .unwrap();
    let sweep = serde_json::from_str(&dtr(&["sweep", "examples/korea.dtr", "--format", "json"])).unwrap();
    pages.push(Page { name: "korea-sweep".into(), kind: "sweep", report: sweep });

    let manifest = serde_json::json!({
        "chromium": chromium,
        "profile": dir.path().join("profile"),
        "pages": pages.iter().map(|p| serde_json::json!({
            "name": p.name,
            "kind": p.kind,
            "html": dir.path().join(format!("{}.html", p.name)),
            "shots": shots,
        })).collect::<Vec<_>>(),
    });
    let manifest_path = dir.path().join("manifest.json");
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let out = Command::new("node")
        .arg(browser_dir().join("check.js"))
        .arg(&manifest_path)
        .current_dir(browser_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run node");
    assert!(out.status.success(), "check.js failed: {}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("check.js prints JSON");
    assert_eq!(results.len(), pages.len());
    for (page, seen) in pages.iter().zip(&results) {
        assert_eq!(seen["errors"], serde_json::json!([]), "{}: console or page errors", page.name);
        assert_eq!(seen["requests"], serde_json::json!([]), "{}: the page asked the network", page.name);
        match page.kind {
            "mermaid" => check_mermaid(&page.name, &dir.path().join(format!("{}.html", page.name)), &page.report, seen),
            "sweep" => check_sweep(&page.report, seen),
            _ => check_analysis(&page.name, &page.report, seen),
        }
        if page.kind != "mermaid" {
            assert_ne!(
                seen["dark"], seen["print"],
                "{}: the dark scheme changes the background, print keeps it light",
                page.name
            );
        }
    }
    eprintln!("screenshots: {}", shots.display());
}

fn estimate(e: &Value) -> String {
    let p = |v: &Value| percent(v.as_f64().unwrap());
    match &e["interval"] {
        Value::Null => p(&e["value"]),
        i => format!("{} [{}, {}]", p(&e["value"]), p(&i["low"]), p(&i["high"])),
    }
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|t| t.as_str().unwrap_or_default().to_string()).collect()
}

fn check_analysis(name: &str, report: &Value, seen: &Value) {
    let ladder = texts(&report["settings"]["ladder"]);
    let scenarios = report["scenarios"].as_array().unwrap();
    let shown = seen["scenarios"].as_array().unwrap();
    assert_eq!(shown.len(), scenarios.len(), "{name}: one section per scenario");
    for (s, v) in scenarios.iter().zip(shown) {
        let at = format!("{name}/{}", s["name"].as_str().unwrap());
        assert_eq!(v["name"], s["name"]);
        // One node per entrant of the all-honoured cascade.
        let entrants: Vec<&Value> = s["actors"].as_array().unwrap().iter().filter(|a| !a["entry"].is_null()).collect();
        let nodes = v["nodes"].as_array().unwrap();
        let names: Vec<&str> = nodes.iter().map(|n| n["actor"].as_str().unwrap()).collect();
        let expected: Vec<&str> = entrants.iter().map(|a| a["actor"].as_str().unwrap()).collect();
        assert_eq!(names, expected, "{at}: nodes");
        for (n, a) in nodes.iter().zip(&entrants) {
            assert_eq!(
                n["text"].as_str().unwrap(),
                format!("{}{}", a["actor"].as_str().unwrap(), estimate(&a["enters"])),
                "{at}: node text"
            );
        }
        // Time runs left to right; nodes do not overlap.
        let step = |i: usize| entrants[i]["entry"]["step"].as_u64().unwrap();
        let f = |n: &Value, k: &str| n[k].as_f64().unwrap();
        for i in 0..nodes.len() {
            for j in 0..nodes.len() {
                let (a, b) = (&nodes[i], &nodes[j]);
                if step(i) < step(j) {
                    assert!(
                        f(a, "x") + f(a, "width") < f(b, "x"),
                        "{at}: {} (step {}) not left of {} (step {})",
                        names[i],
                        step(i),
                        names[j],
                        step(j)
                    );
                }
                if i < j {
                    let apart = f(a, "x") + f(a, "width") <= f(b, "x")
                        || f(b, "x") + f(b, "width") <= f(a, "x")
                        || f(a, "y") + f(a, "height") <= f(b, "y")
                        || f(b, "y") + f(b, "height") <= f(a, "y");
                    assert!(apart, "{at}: {} and {} overlap", names[i], names[j]);
                }
            }
        }
        // One edge per event, in its rung's colour (all rungs distinct).
        let events = s["events"].as_array().unwrap();
        let edges = v["edges"].as_array().unwrap();
        assert_eq!(edges.len(), events.len(), "{at}: edges");
        for (e, edge) in events.iter().zip(edges) {
            let rung = ladder.iter().position(|r| r == e["rung"].as_str().unwrap()).unwrap();
            assert_eq!(edge["rung"], format!("rung-{rung}"), "{at}");
        }
        let colours: std::collections::BTreeMap<&str, &str> =
            edges.iter().map(|e| (e["rung"].as_str().unwrap(), e["stroke"].as_str().unwrap())).collect();
        let distinct: std::collections::BTreeSet<&&str> = colours.values().collect();
        assert_eq!(distinct.len(), colours.len(), "{at}: rungs share a colour: {colours:?}");
        // The legend names every rung.
        let legend = texts(&v["legend"]);
        for r in &ladder {
            assert!(legend.contains(r), "{at}: legend {legend:?} lacks {r}");
        }
        // The tables hold the report's numbers.
        for a in s["actors"].as_array().unwrap() {
            let row = texts(&v["enters"][a["actor"].as_str().unwrap()]);
            let side = a["side"].as_str().unwrap_or("–");
            let probabilities = [estimate(&a["enters"]), estimate(&a["attacks"]), estimate(&a["attacked"])];
            assert_eq!(row[1], side, "{at}: side of {}", a["actor"]);
            assert_eq!(row[4..], probabilities, "{at}: P(joins), P(attacks), P(attacked) of {}", a["actor"]);
        }
        for r in s["rungs"].as_array().unwrap() {
            let row = texts(&v["rungs"][r["rung"].as_str().unwrap()]);
            assert_eq!(row[1], estimate(&r["reached"]), "{at}: P(reached) of {}", r["rung"]);
            // The most probable path to the rung: its chance, then each firing.
            let path = &row[2];
            match r["path"].as_object() {
                None => assert_eq!(path, "–", "{at}: no path to {}", r["rung"]),
                Some(p) => {
                    assert!(path.starts_with(&percent(p["probability"].as_f64().unwrap())), "{at}: {path}");
                    for t in p["steps"].as_array().unwrap() {
                        let firing = format!(
                            "{} {} → {} attacks {} at {}",
                            t["commitment"].as_str().unwrap(),
                            percent(t["p"].as_f64().unwrap()),
                            t["acting"].as_str().unwrap(),
                            t["target"].as_str().unwrap(),
                            t["rung"].as_str().unwrap()
                        );
                        assert!(path.contains(&firing), "{at}: the path to {} lacks {firing}: {path}", r["rung"]);
                    }
                }
            }
        }
        // Hover and click on the last edge: its chain back to the opening,
        // with each commitment's credibility and declaration.
        if let Some(last) = events.last() {
            let tooltip = v["tooltip"].as_str().unwrap_or_else(|| panic!("{at}: no tooltip"));
            assert_eq!(v["details"].as_str(), Some(tooltip), "{at}: the click pins what the hover shows");
            let mut k = Some(events.len() - 1);
            while let Some(i) = k {
                let e = &events[i];
                assert!(
                    tooltip.contains(&format!(
                        "{} attacks {}",
                        e["aggressor"].as_str().unwrap(),
                        e["victim"].as_str().unwrap()
                    )),
                    "{at}: {tooltip}"
                );
                if let Some(p) = e["p"].as_f64() {
                    let declared = format!("{}:{}", e["location"]["file"].as_str().unwrap(), e["location"]["line"]);
                    for part in [e["cause"].as_str().unwrap(), &percent(p), &declared] {
                        assert!(tooltip.contains(part), "{at}: tooltip lacks {part}: {tooltip}");
                    }
                }
                k = e["trigger"].as_u64().map(|t| t as usize);
            }
            assert!(last["trigger"].is_null() || tooltip.contains("Chain of commitments"), "{at}: {tooltip}");
        }
        if let Some(a) = entrants.last() {
            let tip = v["nodeTooltip"].as_str().unwrap();
            assert!(
                tip.contains(&format!("{}: P(joins) {}", a["actor"].as_str().unwrap(), estimate(&a["enters"]))),
                "{at}: {tip}"
            );
        }
    }
    // The gap matrix: a cell per assessment, its ratio, its reason, the
    // guarantors counted on hover.
    let cells = seen["gaps"].as_array().unwrap();
    for g in report["gaps"].as_array().unwrap() {
        let cell = cells
            .iter()
            .find(|c| c["aggressor"] == g["aggressor"] && c["target"] == g["target"] && c["domain"] == g["domain"])
            .unwrap_or_else(|| panic!("{name}: no cell for {g}"));
        assert_eq!(cell["text"].as_str().unwrap(), format!("{:.2}", g["ratio"].as_f64().unwrap()), "{name}");
        let class = match (g["gap"].as_bool().unwrap(), g["reason"].as_str()) {
            (true, Some(r)) => r,
            _ => "deterred",
        };
        assert!(texts(&cell["classes"]).iter().any(|c| c == class), "{name}: {cell}");
        for x in g["guarantors"].as_array().unwrap() {
            assert!(cell["title"].as_str().unwrap().contains(x["commitment"].as_str().unwrap()), "{name}: {cell}");
        }
    }
    assert_eq!(cells.len(), report["gaps"].as_array().unwrap().len(), "{name}: one cell per assessment");
    let expectations = report["expectations"].as_array().unwrap();
    let rows = seen["expectations"].as_array().unwrap();
    assert_eq!(rows.len(), expectations.len(), "{name}");
    for (e, row) in expectations.iter().zip(rows) {
        assert_eq!(row["class"], if e["passed"].as_bool().unwrap() { "pass" } else { "fail" }, "{name}");
        let written = e["text"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(row["text"].as_str().unwrap().contains(&written), "{name}: {row}");
    }
}

fn check_sweep(report: &Value, seen: &Value) {
    let attacks = report["attacks"].as_array().unwrap();
    let cells = seen["cells"].as_array().unwrap();
    // Korea's 6 actors: every attack has its cell, darker for more entrants.
    assert_eq!(cells.len(), attacks.len());
    for a in attacks {
        let value = a["expected_entrants"]["value"].as_f64().unwrap();
        let attack =
            format!("#{} {} → {}: ", a["rank"], a["aggressor"].as_str().unwrap(), a["victim"].as_str().unwrap());
        let cell = cells
            .iter()
            .find(|c| c["title"].as_str().unwrap().starts_with(&attack))
            .unwrap_or_else(|| panic!("no cell {attack}"));
        assert!(cell["title"].as_str().unwrap().contains(&format!("{value:.2} expected entrants")), "{cell}");
    }
    let opacity = |c: &Value| c["opacity"].as_f64().unwrap();
    let first = cells.iter().find(|c| c["title"].as_str().unwrap().starts_with("#1 ")).unwrap();
    let last =
        cells.iter().find(|c| c["title"].as_str().unwrap().starts_with(&format!("#{} ", attacks.len()))).unwrap();
    assert!(
        cells.iter().all(|c| opacity(c) <= opacity(first) && opacity(c) >= opacity(last)),
        "rank 1 darkest, the last lightest"
    );
    assert!(opacity(first) > opacity(last));
    assert_eq!(seen["legend"], 2);
    let ranking = seen["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), attacks.len());
    for (a, row) in attacks.iter().zip(ranking) {
        let row = texts(row);
        assert_eq!(row[0], a["rank"].to_string());
        assert_eq!(row[1], format!("{} → {}", a["aggressor"].as_str().unwrap(), a["victim"].as_str().unwrap()));
        assert_eq!(row[2], format!("{:.2}", a["expected_entrants"]["value"].as_f64().unwrap()));
    }
    let exposed = seen["exposed"].as_array().unwrap();
    assert_eq!(exposed.len(), report["exposed"].as_array().unwrap().len());
    for (t, row) in report["exposed"].as_array().unwrap().iter().zip(exposed) {
        assert_eq!(texts(row)[0], t["target"].as_str().unwrap());
        assert_eq!(texts(row)[1], t["aggressors"].as_array().unwrap().len().to_string());
    }
}

/// Each scenario's diagram drawn, with as many nodes (its entrants and
/// hubs, the legend's rungs and the boxes of the paths to the rungs) and
/// links as the Markdown writes.
fn check_mermaid(name: &str, markdown: &Path, report: &Value, seen: &Value) {
    let markdown = std::fs::read_to_string(markdown).unwrap();
    let blocks: Vec<&str> = markdown.split("```mermaid\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    let diagrams = seen["diagrams"].as_array().unwrap();
    let scenarios = report["scenarios"].as_array().unwrap();
    assert_eq!((blocks.len(), diagrams.len()), (scenarios.len(), scenarios.len()), "{name}: one diagram per scenario");
    let ladder = report["settings"]["ladder"].as_array().unwrap().len();
    for ((block, drawn), s) in blocks.iter().zip(diagrams).zip(scenarios) {
        assert!(drawn["error"].is_null(), "{name}/{}: Mermaid says {}", s["name"], drawn["error"]);
        // The diagram's lines, after its front matter (`---` … `---`).
        let lines: Vec<&str> = block.lines().map(str::trim).skip_while(|l| !l.starts_with("flowchart ")).collect();
        let starts = |l: &&str, p: &str| l.strip_prefix(p).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let actors = lines.iter().filter(|l| starts(l, "n") && l.contains("[\"")).count();
        let hubs = lines.iter().filter(|l| starts(l, "n") && l.contains("{{")).count();
        // The note of the paths to the rungs: one box per rung with a path.
        let paths = lines.iter().filter(|l| starts(l, "p") && l.contains("[\"")).count();
        let rungs = s["rungs"].as_array().unwrap().iter().filter(|r| !r["path"].is_null()).count();
        assert_eq!(paths, rungs, "{name}/{}: one box per path to a rung", s["name"]);
        let links = lines.iter().filter(|l| l.contains("-->") || l.contains("==>") || l.contains("---")).count();
        let entrants = s["actors"].as_array().unwrap().iter().filter(|a| !a["entry"].is_null()).count();
        assert_eq!(actors, entrants, "{name}/{}: one node per entrant", s["name"]);
        assert_eq!(drawn["nodes"], actors + hubs + ladder + paths, "{name}/{}", s["name"]);
        assert_eq!(drawn["links"], links, "{name}/{}", s["name"]);
        assert!(links >= s["events"].as_array().unwrap().len().min(1), "{name}/{}", s["name"]);
    }
}
