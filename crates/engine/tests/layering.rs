//! The layering of DESIGN.md, checked: only the engine talks to the store. The web and
//! the CLI are adapters over the engine's use cases: neither depends on `custio-store`,
//! and no file of theirs names the store crate or reaches for `Engine::store()`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/engine sits two levels below the workspace")
        .to_path_buf()
}

/// The workspace's packages as `cargo metadata` sees them: name → dependency names.
fn dependencies() -> Vec<(String, Vec<String>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            (p["name"].as_str().unwrap().to_string(), deps)
        })
        .collect()
}

#[test]
fn the_web_and_the_cli_do_not_depend_on_the_store() {
    let packages = dependencies();
    for adapter in ["custio-web", "custio"] {
        let (_, deps) = packages
            .iter()
            .find(|(name, _)| name == adapter)
            .unwrap_or_else(|| panic!("{adapter} is a workspace package"));
        assert!(
            deps.iter().any(|d| d == "custio-engine"),
            "{adapter} is an adapter over the engine"
        );
        assert!(
            !deps.iter().any(|d| d == "custio-store"),
            "{adapter} depends on custio-store (normal, dev or build); call the engine instead"
        );
    }
    let (_, engine) = packages
        .iter()
        .find(|(name, _)| name == "custio-engine")
        .unwrap();
    assert!(engine.iter().any(|d| d == "custio-store"));
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_of_the_web_or_the_cli_reaches_the_store() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in [
        "crates/web/src",
        "crates/web/tests",
        "crates/cli/src",
        "crates/cli/tests",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "found {} files", files.len());
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for needle in [
                "custio_store",
                "custio-store",
                ".store()",
                "custio_engine::store",
            ] {
                if line.contains(needle) {
                    offences.push(format!(
                        "{}:{}: {}",
                        file.strip_prefix(&root).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "only the engine talks to the store:\n{}",
        offences.join("\n")
    );
}
