//! The Slurm recipe of docs/scale.md (contrib/slurm/): each array task's
//! script, the merge script and submit.sh, run by bash as Slurm would run
//! them (a stand-in `sbatch` runs every task of an array and then the job
//! that depends on it), give exactly the JSON of one `dtr sweep` run.

use std::path::{Path, PathBuf};
use std::process::Command;

const DTR: &str = env!("CARGO_BIN_EXE_dtr");

/// The repository's root: contrib/ and examples/ are there. Without `..`
/// in it: the sweep's output names the model by the path it was given.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("the workspace").to_path_buf()
}

fn slurm(script: &str) -> PathBuf {
    root().join("contrib/slurm").join(script)
}

fn one_run(model: &Path) -> Vec<u8> {
    let out = Command::new(DTR).args(["sweep", "--format", "json"]).arg(model).output().expect("run dtr");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn bash(script: &Path, env: &[(&str, &Path)], extra: &[(&str, &str)]) {
    let mut command = Command::new("bash");
    command.arg(script).env("DTR_BIN", DTR);
    for (key, value) in env {
        command.env(key, value);
    }
    for (key, value) in extra {
        command.env(key, value);
    }
    let out = command.output().expect("run bash");
    assert!(out.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn array_tasks_and_merge_give_one_runs_output() {
    let model = root().join("examples/korea.dtr");
    let dir = tempfile::tempdir().expect("temp dir");
    let shards = dir.path().join("shards");
    for i in 1..=3 {
        let i = i.to_string();
        bash(
            &slurm("sweep-shard.sbatch"),
            &[("DTR_MODEL", &model), ("DTR_SHARDS", &shards)],
            &[("SLURM_ARRAY_TASK_ID", &i), ("SLURM_ARRAY_TASK_COUNT", "3")],
        );
    }
    let names: Vec<_> = std::fs::read_dir(&shards).expect("shards").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names.len(), 3, "one file per task, no .part left: {names:?}");
    let output = dir.path().join("sweep.json");
    bash(&slurm("merge.sbatch"), &[("DTR_SHARDS", &shards), ("DTR_OUTPUT", &output)], &[]);
    assert_eq!(std::fs::read(&output).expect("merged"), one_run(&model));
}

/// A stand-in for Slurm's `sbatch`: `--array=1-N` runs the script N times
/// with the array variables set, `--dependency` runs it at once (the array
/// has finished by then); `--parsable` prints a job id.
const SBATCH: &str = r#"#!/usr/bin/env bash
set -euo pipefail
array= script=
for arg in "$@"; do
  case "$arg" in
    --array=*) array=${arg#--array=} ;;
    --*) ;;
    *) script=$arg ;;
  esac
done
echo "$*" >> "$SBATCH_LOG"
if [ -n "$array" ]; then
  n=${array#1-}
  for i in $(seq 1 "$n"); do
    SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$n bash "$script" >&2
  done
else
  bash "$script" >&2
fi
echo "$RANDOM"
"#;

#[test]
fn submit_queues_the_array_and_a_dependent_merge() {
    let model = root().join("examples/korea.dtr");
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let sbatch = bin.join("sbatch");
    std::fs::write(&sbatch, SBATCH).expect("write sbatch");
    std::fs::set_permissions(&sbatch, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod sbatch");
    let log = dir.path().join("sbatch.log");
    let output = dir.path().join("out/sweep.json");
    std::fs::create_dir(dir.path().join("out")).expect("out");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg(slurm("submit.sh"))
        .arg(&model)
        .arg("4")
        .arg(&output)
        .env("PATH", path)
        .env("DTR_BIN", DTR)
        .env("SBATCH_LOG", &log)
        .output()
        .expect("run submit.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("array job "), "{}", String::from_utf8_lossy(&out.stdout));
    let calls = std::fs::read_to_string(&log).expect("sbatch log");
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].contains("--array=1-4") && calls[0].ends_with("sweep-shard.sbatch"), "{calls:?}");
    assert!(calls[1].contains("--dependency=afterok:") && calls[1].ends_with("merge.sbatch"), "{calls:?}");
    assert_eq!(std::fs::read(&output).expect("merged"), one_run(&model));
}

#[test]
fn submit_without_arguments_says_how_to_use_it() {
    let out = Command::new("bash").arg(slurm("submit.sh")).output().expect("run submit.sh");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: contrib/slurm/submit.sh MODEL.dtr SHARDS OUTPUT"));
}
