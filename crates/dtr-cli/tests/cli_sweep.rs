//! `dtr sweep` as users run it: each format on an example, subsets, bad
//! names and shard specs, and shards merged back into one run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace").to_path_buf()
}

/// Runs `dtr` from the repository root (file names in outputs stay relative).
fn dtr(args: &[&str]) -> Output {
    dtr_with(args, &[])
}

fn dtr_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dtr"));
    command.args(args).current_dir(root()).env("NO_COLOR", "1").env_remove("CI");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run dtr")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The stdout of a run that must succeed.
fn ok(args: &[&str]) -> String {
    let o = dtr(args);
    assert_eq!(o.status.code(), Some(0), "dtr {args:?}: {}", stderr(&o));
    stdout(&o)
}

const KOREA: &str = "examples/korea.dtr";

#[test]
fn text_ranks_every_attack_and_lists_exposed_targets() {
    let text = ok(&["sweep", KOREA, "--top", "0"]);
    // 6 actors: 30 directed attacks, ranked 1 to 30.
    assert!(text.starts_with("examples/korea.dtr: 30 directed attacks at limited_war"), "{text}");
    assert!(text.contains("\n    30  ") && !text.contains("more (--top 0"), "{text}");
    insta::assert_snapshot!("korea_text", text);
}

#[test]
fn text_lists_the_top_attacks_by_default() {
    let text = ok(&["sweep", KOREA]);
    assert!(text.contains("… 10 more (--top 0 lists every attack)"), "{text}");
}

#[test]
fn csv_has_one_row_per_attack() {
    let csv = ok(&["sweep", KOREA, "--format", "csv"]);
    assert_eq!(csv.lines().count(), 31);
    insta::assert_snapshot!("korea_csv", csv);
}

#[test]
fn json_of_a_subset() {
    let json = ok(&["sweep", KOREA, "--attackers", "PRK", "--targets", "ROK,USA,JPN", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["total"], 3);
    assert_eq!(value["selection"]["targets"], serde_json::json!(["ROK", "USA", "JPN"]));
    let pairs: Vec<String> = value["attacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{}>{}", a["aggressor"].as_str().unwrap(), a["victim"].as_str().unwrap()))
        .collect();
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(sorted, ["PRK>JPN", "PRK>ROK", "PRK>USA"]);
    // The digest changes with the model's internal layout, not with what
    // this test shows.
    let digest = value["model_digest"].as_str().unwrap();
    assert!(digest.starts_with("sha256:") && digest.len() == 7 + 64, "{digest}");
    // The results digest covers the model digest.
    let results = value["results_digest"].as_str().unwrap();
    assert!(results.starts_with("sha256:") && results.len() == 7 + 64 && results != digest, "{results}");
    insta::assert_snapshot!(
        "korea_subset_json",
        json.replace(digest, "sha256:[digest]").replace(results, "sha256:[results digest]")
    );
}

#[test]
fn the_attack_of_a_declared_scenario_matches_dtr_analyze() {
    // korea's `preventive_strike` is `USA attacks PRK in air` at the
    // opening rung, and no commitment answering it reads the domain: the
    // same cascade as the sweep's attack in every domain.
    let sweep: serde_json::Value =
        serde_json::from_str(&ok(&["sweep", KOREA, "--attackers", "USA", "--targets", "PRK", "--format", "json"]))
            .unwrap();
    let analysis: serde_json::Value =
        serde_json::from_str(&ok(&["analyze", KOREA, "--scenario", "preventive_strike", "--format", "json"])).unwrap();
    let (attack, scenario) = (&sweep["attacks"][0], &analysis["scenarios"][0]);
    assert_eq!(attack["expected_entrants"], scenario["expected_entrants"]);
    // The sweep reports each rung's P(reached); analyze adds its path.
    let reached = |rungs: &serde_json::Value| -> Vec<(serde_json::Value, serde_json::Value)> {
        rungs.as_array().unwrap().iter().map(|r| (r["rung"].clone(), r["reached"].clone())).collect()
    };
    assert_eq!(reached(&attack["rungs"]), reached(&scenario["rungs"]));
    assert_eq!(attack["top_rung"], scenario["top_rung"]);
}

#[test]
fn without_probabilities_attacks_are_ranked_by_the_all_honoured_cascade() {
    let json = ok(&["sweep", KOREA, "--no-probabilities", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["settings"]["probabilities"], false);
    let attacks = value["attacks"].as_array().unwrap();
    assert!(attacks.iter().all(|a| a["method"].is_null() && a["rungs"].as_array().unwrap().is_empty()));
    let entrants: Vec<u64> = attacks.iter().map(|a| a["entrants"].as_u64().unwrap()).collect();
    assert!(entrants.windows(2).all(|w| w[0] >= w[1]), "{entrants:?}");
    let text = ok(&["sweep", KOREA, "--no-probabilities"]);
    assert!(text.contains("probabilities: not evaluated (--no-probabilities)"), "{text}");
}

#[test]
fn unknown_actor_names_are_usage_errors_with_a_suggestion() {
    let o = dtr(&["sweep", KOREA, "--attackers", "PRK,ROKK", "--targets", "Japan"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("E0090") && err.contains("no actor named `ROKK`") && err.contains("did you mean `ROK`?"),
        "{err}"
    );
    assert!(err.contains("no actor named `Japan`") && err.contains("--attackers PRK,ROKK --targets Japan"), "{err}");
    assert!(stdout(&o).is_empty());
}

/// The whole refusal, pinned: every wrong option at once, each labelled in
/// the one line of options (the builder is the library's,
/// `dtr::analysis::sweep::arguments`, shared with the Python package).
#[test]
fn wrong_options_are_shown_in_the_command_line() {
    let o = dtr(&["sweep", KOREA, "--attackers", "PRK,ROKK", "--targets", "Japan", "--shard", "5/4"]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("wrong_options", stderr(&o));
}

#[test]
fn bad_shard_specs_are_usage_errors() {
    for (spec, why) in [
        ("0/4", "shards are numbered from 1 to 4"),
        ("5/4", "shards are numbered from 1 to 4"),
        ("1/0", "the shard count must be at least 1"),
        ("2", "expected I/N"),
        ("a/4", "the shard number `a` is not a whole number"),
    ] {
        let o = dtr(&["sweep", KOREA, "--shard", spec]);
        assert_eq!(o.status.code(), Some(2), "{spec}");
        let err = stderr(&o);
        assert!(err.contains("E0091") && err.contains(why), "{spec}: {err}");
    }
}

#[test]
fn a_file_with_errors_is_not_swept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.dtr");
    std::fs::write(&file, "actor A\nactor B\ncommitment c: A defends ZZZ\n").unwrap();
    let o = dtr(&["sweep", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0002"));
}

/// Writes the JSON of `args` to `dir/name`.
fn write(dir: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let o = dtr_with(args, env);
    assert_eq!(o.status.code(), Some(0), "dtr {args:?}: {}", stderr(&o));
    let path = dir.join(name);
    std::fs::write(&path, &o.stdout).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn merged_shards_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let whole = ok(&["sweep", KOREA, "--format", "json"]);
    let shards: Vec<String> = (1..=3)
        .map(|i| {
            // Shards on one thread, the whole run on the default pool.
            let shard = format!("{i}/3");
            write(
                dir.path(),
                &format!("{i}.json"),
                &["sweep", KOREA, "--format", "json", "--shard", &shard],
                &[("RAYON_NUM_THREADS", "1")],
            )
        })
        .collect();
    let shard: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&shards[1]).unwrap()).unwrap();
    assert_eq!((shard["shard"]["index"].as_u64(), shard["shard"]["count"].as_u64()), (Some(2), Some(3)));
    assert_eq!(shard["attacks"].as_array().unwrap().len(), 10);
    // Any order of the files.
    let merged = ok(&["sweep", "--format", "json", "--merge", &shards[2], &shards[0], &shards[1]]);
    assert_eq!(merged, whole);
    let text = ok(&["sweep", "--top", "0", "--merge", &shards[0], &shards[1], &shards[2]]);
    assert_eq!(text, ok(&["sweep", KOREA, "--top", "0"]));
}

#[test]
fn merging_refuses_outputs_of_different_sweeps() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = ["sweep", KOREA, "--format", "json", "--shard"];
    let one = write(d, "1.json", &[&base[..], &["1/2"]].concat(), &[]);
    let two = write(d, "2.json", &[&base[..], &["2/2"]].concat(), &[]);
    let fewer = write(d, "2s.json", &[&base[..], &["2/2", "--samples", "10"]].concat(), &[]);
    let three = write(d, "3.json", &[&base[..], &["2/3"]].concat(), &[]);
    let subset = write(d, "sub.json", &[&base[..], &["2/2", "--attackers", "PRK"]].concat(), &[]);
    let other = write(d, "other.json", &["sweep", "examples/taiwan.dtr", "--format", "json", "--shard", "2/2"], &[]);
    let analysis = write(d, "analysis.json", &["analyze", KOREA, "--format", "json"], &[]);
    let many = write(d, "many.json", &[&base[..], &["1/1000"]].concat(), &[]);
    let garbage = d.join("garbage.json");
    std::fs::write(&garbage, "{\"version\": 1,\n  \"file\": oops }").unwrap();
    let garbage = garbage.to_string_lossy().into_owned();
    let cases: [(&[&str], &str, &str); 8] = [
        (&[&one, &other], "E0092", "these sweep outputs were computed from different models"),
        (&[&one, &fewer], "E0092", "were run with different settings"),
        (&[&one, &subset], "E0092", "sweep different attacks"),
        (&[&one, &three], "E0092", "cut into different numbers of shards"),
        (&[&one, &two, &two], "E0093", "shard 2/2 is given twice"),
        (&[&two], "E0093", "shard 1/2 is missing"),
        (&[&many], "E0093", "shards 2/1000, 3/1000, 4/1000, 5/1000, 6/1000, 7/1000, 8/1000, 9/1000, and 991 more"),
        (&[&one, &analysis, &garbage], "E0094", "not the JSON output of `dtr sweep`"),
    ];
    for (files, code, message) in cases {
        let o = dtr(&[&["sweep", "--merge"][..], files].concat());
        assert_eq!(o.status.code(), Some(2), "{files:?}");
        let err = stderr(&o);
        assert!(err.contains(code) && err.contains(message), "{files:?}: {err}");
        assert!(stdout(&o).is_empty());
    }
    // The diagnostic shows the field that differs, in the file.
    let err = stderr(&dtr(&["sweep", "--merge", &one, &fewer]));
    assert!(err.contains("\"samples\": 10") && err.contains("this differs"), "{err}");
}

#[test]
fn an_edited_shard_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "1.json", &["sweep", KOREA, "--format", "json", "--shard", "1/2"], &[]);
    let two = write(dir.path(), "2.json", &["sweep", KOREA, "--format", "json", "--shard", "2/2"], &[]);
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&two).unwrap()).unwrap();
    value["attacks"].as_array_mut().unwrap().pop();
    std::fs::write(&two, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let o = dtr(&["sweep", "--merge", &one, &two]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard 2/2 holds 14 attacks; its share of 30 is 15"), "{}", stderr(&o));
}

/// Issue 22: a shard edited by hand merged with exit code 0, since the
/// digest covered the model and not the results. Each edit below is now
/// refused, with exit code 2 and nothing on standard output.
#[test]
fn shards_with_edited_results_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "1.json", &["sweep", KOREA, "--format", "json", "--shard", "1/2"], &[]);
    let two = write(dir.path(), "2.json", &["sweep", KOREA, "--format", "json", "--shard", "2/2"], &[]);
    let read =
        |path: &str| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap() };
    type Edit = fn(&mut serde_json::Value, &mut serde_json::Value);
    let cases: [(&str, Edit, &str, &str); 7] = [
        ("entrants", |_, b| b["attacks"][0]["entrants"] = 999.into(), "E0094", "999 entrants, outside 2 to 6"),
        (
            "probability",
            |_, b| b["attacks"][0]["rungs"][0]["reached"]["value"] = 7.5.into(),
            "E0094",
            "a probability of 7.5 for `crisis`",
        ),
        (
            "actor",
            |_, b| b["attacks"][0]["aggressor"] = "ATLANTIS".into(),
            "E0094",
            "`ATLANTIS` is not an actor of the sweep",
        ),
        (
            "rung",
            |_, b| b["attacks"][0]["top_rung"] = "apocalypse".into(),
            "E0094",
            "its top rung `apocalypse` is not on the ladder",
        ),
        (
            "indices",
            |a, b| std::mem::swap(&mut a["shard"]["index"], &mut b["shard"]["index"]),
            "E0093",
            "belongs to shard 1/2, not 2/2",
        ),
        ("moved", |a, b| std::mem::swap(&mut a["attacks"][0], &mut b["attacks"][0]), "E0093", "belongs to shard"),
        (
            "value",
            |_, b| b["attacks"][0]["expected_entrants"]["value"] = 2.5.into(),
            "E0094",
            "its results were changed after it was written",
        ),
    ];
    for (name, edit, code, message) in cases {
        let (mut a, mut b) = (read(&one), read(&two));
        edit(&mut a, &mut b);
        let (x, y) = (dir.path().join(format!("{name}-1.json")), dir.path().join(format!("{name}-2.json")));
        std::fs::write(&x, serde_json::to_string_pretty(&a).unwrap()).unwrap();
        std::fs::write(&y, serde_json::to_string_pretty(&b).unwrap()).unwrap();
        let o = dtr(&["sweep", "--merge", &x.to_string_lossy(), &y.to_string_lossy()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o).replace("\n  │ ", " ");
        assert!(err.contains(code) && err.contains(message), "{name}: {err}");
        assert!(stdout(&o).is_empty(), "{name}");
    }
    // Unedited, written again by serde_json: the same values, accepted.
    let (a, b) = (read(&one), read(&two));
    std::fs::write(&one, serde_json::to_string_pretty(&a).unwrap()).unwrap();
    std::fs::write(&two, serde_json::to_string_pretty(&b).unwrap()).unwrap();
    assert_eq!(dtr(&["sweep", "--merge", &one, &two]).status.code(), Some(0));
}
