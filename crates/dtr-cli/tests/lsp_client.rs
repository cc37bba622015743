//! A real LSP client: pytest-lsp (tests/lsp_client/) drives the built `dtr
//! lsp` through open, edit, diagnostics, hover, definition, completion,
//! rename and formatting, runs the code lenses' commands, and reads the
//! semantic tokens, inlay hints and document highlights.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use std::process::Command;

#[test]
fn pytest_lsp_drives_the_server() {
    let has_pytest_lsp =
        Command::new("python3").args(["-c", "import pytest_lsp"]).output().is_ok_and(|o| o.status.success());
    if !has_pytest_lsp {
        common::skip("pytest-lsp not installed");
        return;
    }
    let out = Command::new("python3")
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/lsp_client"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DTR_BIN", env!("CARGO_BIN_EXE_dtr"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run pytest");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pytest-lsp failed:\n{text}");
    assert!(text.contains("3 passed"), "{text}");
}
