//! Outputs held to their JSON Schemas (docs/schema/): `check --format
//! json`, `analyze --format json`, `sweep --format json` and `analyze
//! --emit model` to ours (over every example), `check --format sarif` to
//! the official SARIF 2.1.0 schema; and the GitHub annotations' form.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dtr(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtr")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run dtr")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(workspace().join("docs/schema").join(name)).expect("schema");
    jsonschema::validator_for(&serde_json::from_str(&text).expect("schema is JSON")).expect("schema compiles")
}

/// The output of `dtr check --format FORMAT` over every check fixture
/// (every code, fixes, labels in other files), as JSON.
fn check_fixtures(format: &str) -> serde_json::Value {
    let out = dtr(&workspace().join("crates/dtr/tests/fixtures"), &["check", "--format", format, "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn assert_valid(validator: &jsonschema::Validator, output: &serde_json::Value) {
    // The message of an error quotes the value it is about: cut to the start.
    let errors: Vec<String> = validator
        .iter_errors(output)
        .take(5)
        .map(|e| format!("{} at {}", e.to_string().chars().take(300).collect::<String>(), e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn check_json_is_valid_against_its_schema_and_carries_a_version() {
    let output = check_fixtures("json");
    assert_eq!(output["version"], 1);
    assert!(output["diagnostics"].as_array().unwrap().len() > 100);
    let validator = schema("check.schema.json");
    assert_valid(&validator, &output);
    // The schema can fail: an unknown field, a column of 0.
    let mut wrong = output.clone();
    wrong["diagnostics"][0]["column"] = 0.into();
    assert!(!validator.is_valid(&wrong));
    let mut wrong = output;
    wrong["diagnostics"][0]["extra"] = true.into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let output = check_fixtures("sarif");
    let validator = schema("sarif-schema-2.1.0.json");
    assert_valid(&validator, &output);
    let results = output["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["fixes"].is_array()) && results.iter().any(|r| r["relatedLocations"].is_array()));
    let rules = output["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    let mut wrong = output;
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn github_annotations_name_the_file_the_place_and_the_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dtr"), "actor EST\nthreat ETS -> EST\n").unwrap();
    let out = dtr(dir.path(), &["check", "--format", "github", "a.dtr"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "::error file=a.dtr,line=2,col=8,endLine=2,endColumn=11,title=E0002 unknown name::unknown actor `ETS` (help: did \
         you mean `EST`?)\n"
    );
}

#[test]
fn the_emitted_model_carries_a_version() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.dtr"), "actor A\nactor B\nthreat A -> B\n").unwrap();
    let out = dtr(dir.path(), &["analyze", "m.dtr", "--emit", "model"]);
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(model["version"], 3);
    assert!(model["settings"].is_object());
}

/// Every `.dtr` file under examples/, as paths relative to the workspace.
fn examples() -> Vec<PathBuf> {
    fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, into);
            } else if path.extension().is_some_and(|e| e == "dtr") {
                into.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&workspace().join("examples"), &mut files);
    let files: Vec<PathBuf> = files.iter().map(|f| f.strip_prefix(workspace()).unwrap().to_path_buf()).collect();
    assert!(files.len() >= 10, "{files:?}");
    files
}

/// The JSON standard output of a run that succeeds.
fn json_of(args: &[&str]) -> serde_json::Value {
    let out = dtr(&workspace(), args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Every number of `json` is written at twelve decimal places at most
/// (docs/report.md): no `0.7649999999999973` left by the arithmetic.
fn at_twelve_places(json: &serde_json::Value, what: &str) {
    fn walk(v: &serde_json::Value, noisy: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => noisy.extend(n.as_f64().filter(|x| format!("{x:.12}").parse() != Ok(*x))),
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, noisy)),
            serde_json::Value::Object(members) => members.values().for_each(|m| walk(m, noisy)),
            _ => {}
        }
    }
    let mut noisy = Vec::new();
    walk(json, &mut noisy);
    assert!(noisy.is_empty(), "{what}: {noisy:?}");
}

#[test]
fn analyze_json_of_every_example_is_valid_against_its_schema() {
    let validator = schema("analyze.schema.json");
    let mut scenarios = 0;
    for file in examples() {
        let report = json_of(&["analyze", "--format", "json", file.to_str().unwrap()]);
        assert_valid(&validator, &report);
        at_twelve_places(&report, &file.display().to_string());
        scenarios += report["scenarios"].as_array().unwrap().len();
    }
    assert!(scenarios > 10, "{scenarios}");
    // Several files: an array of reports, held to the same schema.
    let reports = json_of(&["analyze", "--format", "json", "examples/baltic.dtr", "examples/korea.dtr"]);
    assert_eq!(reports.as_array().map(Vec::len), Some(2));
    assert_valid(&validator, &reports);
    // The schema can fail: a field it does not know, a probability above 1.
    let mut wrong = reports[0].clone();
    wrong["scenarios"][0]["actors"][0]["extra"] = true.into();
    assert!(!validator.is_valid(&wrong));
    let mut wrong = reports[0].clone();
    wrong["scenarios"][0]["importance"][0]["without"] = 1.5.into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn the_model_of_every_example_is_valid_against_its_schema() {
    let validator = schema("model.schema.json");
    for file in examples() {
        assert_valid(&validator, &json_of(&["analyze", "--emit", "model", file.to_str().unwrap()]));
    }
    let mut wrong = json_of(&["analyze", "--emit", "model", "examples/baltic.dtr"]);
    wrong["commitments"][0]["kind"] = "guarantee".into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn sweep_json_of_every_example_is_valid_against_its_schema() {
    let validator = schema("sweep.schema.json");
    // Every attack of every example without probabilities (a whole sweep
    // with them takes minutes in a debug build), and with them for some.
    for file in examples() {
        let sweep = json_of(&["sweep", "--format", "json", "--no-probabilities", file.to_str().unwrap()]);
        assert_valid(&validator, &sweep);
    }
    let sweep = json_of(&["sweep", "--format", "json", "--attackers", "RUS", "--shard", "1/2", "examples/baltic.dtr"]);
    assert!(sweep["attacks"][0]["method"].is_object() && sweep["shard"]["count"] == 2);
    at_twelve_places(&sweep, "the baltic sweep");
    assert_valid(&validator, &sweep);
    let mut wrong = sweep;
    wrong["model_digest"] = "md5:0".into();
    assert!(!validator.is_valid(&wrong));
}
