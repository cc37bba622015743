//! `dtr --version` names the commit and its date when built from a Git
//! checkout: `dtr 0.1.0 (1a2b3c4d5e6f 2026-12-07)`. From a tarball (no
//! `.git`, or no `git`), the version alone: the build never needs Git.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // Only this crate's own repository: a tarball unpacked inside another
    // Git checkout must not borrow that checkout's commit.
    let inside = git(&["-C", &manifest, "rev-parse", "--show-toplevel"]).is_some_and(|top| {
        std::path::Path::new(&manifest).join("../..").canonicalize().ok() == std::fs::canonicalize(&top).ok()
    });
    let commit = inside.then(|| git(&["-C", &manifest, "log", "-1", "--format=%h %cs", "--abbrev=12"])).flatten();
    let suffix = commit.map(|c| format!(" ({c})")).unwrap_or_default();
    println!("cargo:rustc-env=DTR_VERSION_SUFFIX={suffix}");
    // Built again when a commit is made or checked out.
    if let Some(dir) = inside.then(|| git(&["-C", &manifest, "rev-parse", "--absolute-git-dir"])).flatten() {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/logs/HEAD");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
