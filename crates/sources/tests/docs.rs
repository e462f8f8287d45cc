//! The field tables of `docs/migrations.md` are generated from the connectors' mapping
//! tables, between the page's markers; this test fails when they are stale.
//! `CUSTIO_UPDATE_DOCS=1 cargo test -p custio-sources --test docs` rewrites them.

use std::path::PathBuf;

const START: &str = "<!-- fields: generated from crates/sources/src/*/mapping.rs -->\n";
const END: &str = "<!-- end of the generated fields -->";

#[test]
fn the_migration_field_tables_are_the_code_s_own() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/migrations.md");
    let page = std::fs::read_to_string(&path).expect("docs/migrations.md");
    let (before, rest) = page.split_once(START).expect("the start marker");
    let (_, after) = rest.split_once(END).expect("the end marker");
    let generated = format!(
        "{before}{START}{}{END}{after}",
        custio_sources::mapping::fields_markdown()
    );
    if std::env::var_os("CUSTIO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    assert!(
        page == generated,
        "stale {}: run CUSTIO_UPDATE_DOCS=1 cargo test -p custio-sources --test docs",
        path.display()
    );
}
