//! The database a test runs on. By default a SQLite file in the test's own directory; when
//! the environment variable `CUSTIO_TEST_DB` names a PostgreSQL server
//! (`postgres://postgres@127.0.0.1/test`), a schema of its own on that server, so that
//! tests running in parallel never see each other's data. `scripts/test` runs the suite
//! once each way.
//!
//! Each call gives a new, empty database: a test that opens the same database twice keeps
//! the URL it got.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that names the PostgreSQL server tests run on.
pub const VAR: &str = "CUSTIO_TEST_DB";

/// The prefix of every schema the tests make (`scripts/test` drops them before a run).
pub const SCHEMA_PREFIX: &str = "custio_test_";

/// The PostgreSQL server tests run on, if one is named.
pub fn server() -> Option<String> {
    std::env::var(VAR).ok().filter(|url| !url.is_empty())
}

/// Whether the tests run on PostgreSQL.
pub fn is_postgres() -> bool {
    server().is_some()
}

/// A new database: `NAME` in `dir` on SQLite, a new schema on PostgreSQL.
pub fn url(dir: &Path, name: &str) -> String {
    match server() {
        Some(server) => schema_url(&server),
        None => format!("sqlite://{}", dir.join(name).display()),
    }
}

/// A new database that needs no directory: SQLite's in memory, or a new schema.
pub fn memory() -> String {
    match server() {
        Some(server) => schema_url(&server),
        None => "sqlite::memory:".to_string(),
    }
}

/// Every byte a store holds, to look for what must not be there (a plain password): the
/// SQLite file and its write-ahead log, or a data-only `pg_dump` of the schema.
pub fn stored_bytes(url: &str) -> Vec<u8> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(b);
            }
        }
        return bytes;
    }
    let (server, schema) = url.split_once("?schema=").expect("a URL of schema_url");
    let out = std::process::Command::new("pg_dump")
        .args(["--data-only", "--schema", schema, server])
        .output()
        .expect("pg_dump runs");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The server's URL with a schema no other test uses.
fn schema_url(server: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let schema = format!(
        "{SCHEMA_PREFIX}{}_{nanos}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let separator = if server.contains('?') { '&' } else { '?' };
    format!("{server}{separator}schema={schema}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_postgres_url_names_a_schema_of_its_own() {
        let a = schema_url("postgres://postgres@127.0.0.1/test");
        let b = schema_url("postgres://postgres@127.0.0.1/test?sslmode=disable");
        assert!(a.starts_with("postgres://postgres@127.0.0.1/test?schema=custio_test_"));
        assert!(b.contains("?sslmode=disable&schema=custio_test_"), "{b}");
        assert_ne!(a, schema_url("postgres://postgres@127.0.0.1/test"));
    }
}
