//! `docs/formats/<dialect>.md` is generated from the dialect tables; this test fails when a
//! page is stale. `CUSTIO_UPDATE_DOCS=1 cargo test -p custio-formats --test docs` rewrites them.

use std::path::PathBuf;

use custio_formats::{dialects, docs};

#[test]
fn every_dialect_page_is_generated_from_its_table() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats");
    let update = std::env::var_os("CUSTIO_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for dialect in dialects() {
        let path = dir.join(format!("{}.md", dialect.id()));
        let generated = docs::markdown(*dialect);
        if update {
            std::fs::write(&path, &generated).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != generated {
            stale.push(path.display().to_string());
        }
        for column in dialect.columns() {
            assert!(
                !column.meaning.is_empty(),
                "{}: a column of {} has no meaning text",
                dialect.id(),
                column.name()
            );
        }
    }
    assert!(
        stale.is_empty(),
        "stale docs {stale:?}: run CUSTIO_UPDATE_DOCS=1 cargo test -p custio-formats --test docs"
    );
}

#[test]
fn the_conversion_matrix_page_is_generated_from_the_tables() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats.md");
    let generated = docs::matrix_markdown();
    if std::env::var_os("CUSTIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == generated,
        "stale {}: run CUSTIO_UPDATE_DOCS=1 cargo test -p custio-formats --test docs",
        path.display()
    );
}
