//! What a release ships, checked without building it (docs/install.md):
//! each crate's `cargo package` list, the crates' metadata and the one
//! repository URL, and cargo-dist's plan of the archives and installers.
//! The release build itself (`dist build`, minutes of LTO) is
//! .ci/release-check, a step of .ci/run, which unpacks the archive, runs its
//! binary and packages the VS Code extension with it.

#[path = "../../dtr/tests/integration/common.rs"]
mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const REPOSITORY: &str = "https://github.com/dtr-lang/dtr";
const CRATES: [&str; 4] = ["dtr", "dtr-gen", "dtr-lsp", "dtr-cli"];

fn cargo(args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo).args(args).current_dir(common::workspace()).output().expect("run cargo");
    assert!(out.status.success(), "cargo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Each crate's package holds its sources, README and licence texts, and
/// for the library its grammar and the pages of `dtr explain`, for the
/// command line the starter files of `dtr init`; no tests,
/// benches, fixtures or editor files.
#[test]
fn packages_list_a_clean_set() {
    let codes = std::fs::read_dir(common::workspace().join("crates/dtr/codes")).expect("crates/dtr/codes").count();
    for krate in CRATES {
        let out = cargo(&["package", "-p", krate, "--allow-dirty", "--no-verify", "--list", "--offline"]);
        let listed = String::from_utf8(out.stdout).expect("UTF-8 list");
        let files: Vec<&str> = listed.lines().collect();
        let fixed = [".cargo_vcs_info.json", "Cargo.lock", "Cargo.toml", "Cargo.toml.orig", "README.md"];
        for file in &files {
            let allowed = fixed.contains(file)
                || file.starts_with("LICENSE-")
                || (file.starts_with("src/") && file.ends_with(".rs"))
                || (krate == "dtr"
                    && (*file == "grammar/dtr.pest" || (file.starts_with("codes/") && file.ends_with(".md"))))
                || (krate == "dtr-cli" && file.starts_with("src/cli/init/"));
            assert!(allowed, "{krate} ships {file}");
        }
        for needed in ["Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(files.contains(&needed), "{krate} lacks {needed}: {files:?}");
        }
        let root = if krate == "dtr-cli" { "src/main.rs" } else { "src/lib.rs" };
        assert!(files.contains(&root), "{krate} lacks {root}");
        if krate == "dtr" {
            assert!(files.contains(&"grammar/dtr.pest"));
            assert_eq!(
                files.iter().filter(|f| f.starts_with("codes/")).count(),
                codes,
                "every page of crates/dtr/codes"
            );
        }
    }
}

/// crates.io's fields, on every crate, with the one repository URL.
#[test]
fn crates_have_publishable_metadata() {
    let out = cargo(&["metadata", "--no-deps", "--format-version", "1", "--offline"]);
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    for krate in CRATES {
        let package = metadata["packages"].as_array().unwrap().iter().find(|p| p["name"] == krate).expect(krate);
        assert_eq!(package["repository"], REPOSITORY, "{krate}");
        assert_eq!(package["license"], "MIT OR Apache-2.0", "{krate}");
        assert!(package["description"].as_str().is_some_and(|d| !d.is_empty()), "{krate}: description");
        assert!(package["readme"].as_str().is_some_and(|r| Path::new(r).is_file()), "{krate}: readme");
        for list in ["keywords", "categories"] {
            let n = package[list].as_array().map_or(0, Vec::len);
            assert!((1..=5).contains(&n), "{krate}: {n} {list} (crates.io takes 1 to 5)");
        }
        // Every path dependency on another crate of the workspace has a
        // version, as crates.io requires.
        for dep in package["dependencies"].as_array().unwrap() {
            if dep["path"].is_string() && dep["kind"].is_null() {
                assert_ne!(dep["req"], "*", "{krate} → {}: no version", dep["name"]);
            }
        }
    }
}

/// The editor packages name the same repository as the crates.
#[test]
fn one_repository_url_everywhere() {
    let root = common::workspace();
    for file in [
        "editors/vscode/package.json",
        "editors/tree-sitter-dtr/Cargo.toml",
        "editors/tree-sitter-dtr/package.json",
        "editors/tree-sitter-dtr/pyproject.toml",
        "editors/tree-sitter-dtr/tree-sitter.json",
        "editors/zed/extension.toml",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let urls: Vec<&str> = text.match_indices("https://github.com/").map(|(i, _)| &text[i..]).collect();
        assert!(!urls.is_empty(), "{file} names no repository");
        for url in urls {
            let end = url.find(['"', '\'', ' ', '\n', '#', '?']).unwrap_or(url.len());
            let url = url[..end].trim_end_matches(".git").trim_end_matches('/');
            assert!(url == REPOSITORY || url.starts_with(&format!("{REPOSITORY}/")), "{file}: {url}");
        }
    }
}

/// cargo-dist's plan (offline, no build): `dtr` archives for Linux, macOS
/// and Windows, with the shell and PowerShell installers. Without cargo-dist
/// (`dist`) it skips, saying so, and fails under CI, where .ci/install
/// installs it.
#[test]
fn dist_plans_archives_and_installers() {
    let Some(dist) = ["dist", "cargo-dist"].into_iter().find(|d| Command::new(d).arg("--version").output().is_ok())
    else {
        common::skip("cargo-dist (dist) not installed");
        return;
    };
    let out = Command::new(dist)
        .args(["plan", "--output-format=json", "--no-local-paths"])
        .current_dir(common::workspace())
        .output()
        .expect("run dist plan");
    assert!(out.status.success(), "dist plan: {}", String::from_utf8_lossy(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
    let artifacts: Vec<&str> = plan["artifacts"].as_object().expect("artifacts").keys().map(String::as_str).collect();
    for expected in [
        "dtr-cli-x86_64-unknown-linux-gnu.tar.xz",
        "dtr-cli-aarch64-unknown-linux-gnu.tar.xz",
        "dtr-cli-x86_64-apple-darwin.tar.xz",
        "dtr-cli-aarch64-apple-darwin.tar.xz",
        "dtr-cli-x86_64-pc-windows-msvc.zip",
        "dtr-cli-installer.sh",
        "dtr-cli-installer.ps1",
    ] {
        assert!(artifacts.contains(&expected), "{expected} not planned: {artifacts:?}");
    }
    let release = &plan["releases"][0];
    assert_eq!(release["app_name"], "dtr-cli");
    assert_eq!(release["app_version"], env!("CARGO_PKG_VERSION"));
}
