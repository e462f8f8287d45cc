//! The fuzz targets' seeds and every input a fuzzer found a crash with (`fuzz/seeds/`,
//! `fuzz/artifacts/`), replayed on every test run: a finding stays fixed without a fuzzer.

use std::path::{Path, PathBuf};

use custio_formats::fuzzing::{parse_as_every_field, read_with_every_dialect};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut found = Vec::new();
    for dir in ["seeds", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        found.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    found.sort();
    found
}

#[test]
fn every_reader_survives_the_corpus() {
    let files = inputs("readers");
    assert!(files.len() >= 10, "the seed corpus is there: {files:?}");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        read_with_every_dialect(&data);
        let _ = custio_formats::detect_prefix(&data);
    }
}

#[test]
fn every_value_parser_survives_the_corpus() {
    for file in inputs("values") {
        let data = std::fs::read(&file).unwrap();
        parse_as_every_field(&String::from_utf8_lossy(&data));
    }
}
