//! The Python package (crates/dtr-py, docs/python.md): maturin builds its
//! wheel (one debug build, in a target folder of its own under this test's
//! temporary folder, so the `cargo test` running this one keeps its lock),
//! pip installs it into a virtualenv, and pytest runs crates/dtr-py/tests:
//! the functions against this `dtr` binary byte for byte, the Dask recipe
//! on a LocalCluster, and the code of docs/python.md. Without Python,
//! maturin, pytest, pandas or dask[distributed] it skips (fails under CI).

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The modules the build and the tests import (`.ci/install` installs them).
const NEEDED: &str = "import maturin, pytest, pandas, distributed";

fn run(command: &mut Command) -> Output {
    let out = command.output().unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The one wheel maturin wrote into `dir`.
fn wheel(dir: &Path) -> PathBuf {
    let wheels: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("maturin's output folder")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "one wheel in {}: {wheels:?}", dir.display());
    wheels.into_iter().next().expect("one wheel")
}

#[test]
fn the_wheel_passes_its_pytest_suite() {
    let has_tools = Command::new("python3").args(["-c", NEEDED]).output().is_ok_and(|o| o.status.success());
    if !has_tools {
        common::skip("python3 with maturin, pytest, pandas and dask[distributed] not installed");
        return;
    }
    let root = common::workspace();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python");
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        // The system's site-packages hold pytest, pandas and Dask.
        run(Command::new("python3").args(["-m", "venv", "--system-site-packages"]).arg(&venv));
    }
    let wheels = work.join("wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let started = Instant::now();
    run(Command::new("python3")
        .args(["-m", "maturin", "build", "--locked", "-m"])
        .arg(root.join("crates/dtr-py/Cargo.toml"))
        .arg("--interpreter")
        .arg(&python)
        .arg("--out")
        .arg(&wheels)
        .env("CARGO_TARGET_DIR", work.join("target")));
    eprintln!("python: the wheel built in {:.0?}", started.elapsed());
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "--disable-pip-version-check"])
        .arg(wheel(&wheels)));
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q", "-c"])
        .arg(root.join("crates/dtr-py/tests/pytest.ini"))
        .arg(root.join("crates/dtr-py/tests"))
        .current_dir(&root)
        .env("DTR_BIN", env!("CARGO_BIN_EXE_dtr"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run pytest");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pytest failed:\n{text}");
    // Every test ran: a skip would pass in silence.
    let summary = text.lines().rev().find(|l| l.contains(" passed")).unwrap_or_else(|| panic!("no summary:\n{text}"));
    assert!(!summary.contains("skipped") && !summary.contains("deselected"), "{summary}");
}
