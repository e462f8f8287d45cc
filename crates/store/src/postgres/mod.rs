//! The PostgreSQL store, for a base that one machine's SQLite file should not hold alone,
//! or several processes sharing one queue (`custio worker`). The same domains and units
//! of work as [`SqliteStore`](crate::SqliteStore), on a pool of connections: chunks are
//! read and written set-based (arrays bound as parameters, `unnest`), never row by row.
//!
//! A URL names the server and, optionally, a schema of its own:
//! `postgres://user@host:5432/db?schema=shop_7` keeps everything in `shop_7` (created when
//! missing), so one database can hold many merchants, or many test runs, side by side.

mod accounts;
mod batches;
mod catalog;
mod customers;
mod jobs;
mod migrations;
mod schema;
mod unit;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;

use chrono::{Local, SubsecRound};
use custio_model::DateTime;
use postgres::NoTls;
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;

use crate::{
    AccountStore, AuditEntry, AuditStore, BatchStore, CatalogStore, CustomerStore, JobStore,
    MigrationStore, Result, RowCounts, Store, StoreError, Unit,
};

/// Connections a store keeps open at most: the writers of a few imports and the readers
/// of the panel.
const POOL_SIZE: u32 = 8;

/// An import of at least this many rows, and at least half the base, rebuilds the list's
/// indexes after writing instead of updating them row by row.
const BULK_ROWS: u64 = 50_000;

/// The memory PostgreSQL sorts a rebuilt index in.
const SORT_MEMORY: &str = "128MB";

/// A pooled connection.
type Conn = PooledConnection<PostgresConnectionManager<NoTls>>;

/// The PostgreSQL implementation of [`Store`].
pub struct PostgresStore {
    /// Always `Some` until the store is dropped.
    pool: Option<Pool<PostgresConnectionManager<NoTls>>>,
    /// Row counts this process tallied, by batch, with the rows version they hold for.
    tallies: Mutex<HashMap<i64, (i64, RowCounts)>>,
    /// The advisory lock that units of work on this schema take in turn.
    writer_lock: i64,
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => StoreError::Backend(format!("{} ({})", db.message(), db.code().code())),
            None => match std::error::Error::source(&e) {
                Some(source) => StoreError::Backend(format!("{e}: {source}")),
                None => StoreError::Backend(e.to_string()),
            },
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Backend(format!("no database connection: {e}"))
    }
}

/// Splits custio's own `schema` parameter off a URL; the rest is libpq's.
fn split_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.strip_prefix("schema=") {
            Some(name) => {
                schema = Some(name.to_string());
                false
            }
            None => !pair.is_empty(),
        })
        .collect();
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    (url, schema)
}

/// The key of the advisory lock that units of work on a schema take: a stable hash of its
/// name (FNV-1a), so every process of one merchant agrees on it.
fn writer_lock(schema: &str) -> i64 {
    let hash = schema
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    hash as i64
}

/// A database URL as messages and logs show it: without its password.
pub fn shown(url: &str) -> String {
    let (address, query) = match url.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (url, None),
    };
    let mut shown = match (address.find("://"), address.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &address[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &address[..scheme + 3], &address[at..])
        }
        _ => address.to_string(),
    };
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.starts_with("password="))
            .collect();
        if !kept.is_empty() {
            shown.push('?');
            shown.push_str(&kept.join("&"));
        }
    }
    shown
}

impl PostgresStore {
    /// Connects to the server a `postgres://` URL names and migrates its schema.
    pub fn open(url: &str) -> Result<Self> {
        let open_error = |detail: String| StoreError::Open {
            path: shown(url),
            detail,
        };
        let (libpq, schema) = split_schema(url);
        let mut config =
            postgres::Config::from_str(&libpq).map_err(|e| open_error(e.to_string()))?;
        config.application_name("custio");
        if let Some(name) = &schema {
            if name.is_empty() || name.len() > 63 {
                return Err(open_error(format!(
                    "'{name}' is not a schema name (1 to 63 characters)"
                )));
            }
            config.options(&format!("-c search_path={}", schema::quoted(name)));
        }
        let mut first = config
            .connect(NoTls)
            .map_err(|e| open_error(e.to_string()))?;
        schema::migrate(&mut first, schema.as_deref())?;
        drop(first);
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| open_error(e.to_string()))?;
        Ok(Self {
            pool: Some(pool),
            tallies: Mutex::default(),
            writer_lock: writer_lock(schema.as_deref().unwrap_or("public")),
        })
    }

    /// A connection from the pool.
    fn conn(&self) -> Result<Conn> {
        Ok(self
            .pool
            .as_ref()
            .expect("a live store has its pool")
            .get()?)
    }
}

impl Drop for PostgresStore {
    /// Closes the connections on a thread of their own: the `postgres` client closes a
    /// connection by running a small runtime of its own, which panics on a thread that an
    /// async runtime drives (where a server may drop its last reference to the store).
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

fn lock<T>(value: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    value
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The time now, as precise as a `timestamp` keeps it (microseconds), so that a time
/// written reads back equal.
fn now() -> DateTime {
    Local::now().naive_local().trunc_subsecs(6)
}

fn corrupt<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("store documents serialise")
}

fn from_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    value: serde_json::Value,
) -> Result<T> {
    serde_json::from_value(value).map_err(corrupt(what))
}

impl Store for PostgresStore {
    fn customers(&self) -> &dyn CustomerStore {
        self
    }

    fn batches(&self) -> &dyn BatchStore {
        self
    }

    fn jobs(&self) -> &dyn JobStore {
        self
    }

    fn accounts(&self) -> &dyn AccountStore {
        self
    }

    fn catalog(&self) -> &dyn CatalogStore {
        self
    }

    fn audit(&self) -> &dyn AuditStore {
        self
    }

    fn migrations(&self) -> &dyn MigrationStore {
        self
    }

    /// What the schema's own invariants find broken: PostgreSQL checks its pages itself,
    /// so this looks for what custio relies on beyond its constraints.
    fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut conn = self.conn()?;
        let mut problems = Vec::new();
        let row = conn.query_one(
            "SELECT COUNT(*) FROM customers WHERE id > (SELECT last_value FROM customers_id_seq)",
            &[],
        )?;
        let ahead: i64 = row.try_get(0)?;
        if ahead > 0 {
            problems.push(format!(
                "{ahead} customers have ids the sequence has not given"
            ));
        }
        Ok(problems)
    }

    /// An import of at least [`BULK_ROWS`] rows, and at least half the base, sets the
    /// list's indexes aside and builds them again in [`finish_bulk`](Store::finish_bulk)
    /// (the list pages by scanning meanwhile, never wrongly).
    fn begin_bulk(&self, rows: u64) -> Result<()> {
        let mut conn = self.conn()?;
        let base: i64 = conn
            .query_one("SELECT COUNT(*) FROM customers", &[])?
            .try_get(0)?;
        if rows >= BULK_ROWS && rows >= base as u64 / 2 {
            conn.batch_execute(schema::DROP_LIST_INDEXES)?;
        }
        Ok(())
    }

    fn finish_bulk(&self) -> Result<()> {
        let mut conn = self.conn()?;
        conn.batch_execute(&format!(
            "SET maintenance_work_mem = '{SORT_MEMORY}'; {} ANALYZE customers; RESET maintenance_work_mem;",
            schema::LIST_INDEXES
        ))?;
        Ok(())
    }

    /// Every statement is a round trip to the server: chunks are ten times SQLite's.
    fn chunk_rows(&self) -> usize {
        5000
    }

    /// Units of work take turns, as SQLite's one writer does: a chunk pairs its rows with
    /// the customers that the units before it committed, so two imports of the same new
    /// customers update rather than collide. Reads (the panel, a check's planning) go on
    /// meanwhile.
    fn unit_of_work(&self, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()> {
        self.unit(true, work)
    }

    /// A check's chunk stages rows of its own batch only: it does not wait for the
    /// imports' turns (its pairing reads what they committed), so the workers that share a
    /// big check stage side by side.
    fn staging_unit(&self, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()> {
        self.unit(false, work)
    }
}

impl PostgresStore {
    /// Runs `work` in a transaction, taking the writers' turn first when `turn`.
    fn unit(&self, turn: bool, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        if turn {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.writer_lock])?;
        }
        let mut unit = unit::PostgresUnit::new(&mut tx);
        work(&mut unit)?;
        if unit.is_chunk() {
            // A chunk of an import need not wait for the disk: the job's end, committed
            // after it synchronously, flushes it too, and a crash before that resumes the
            // job from the rows still pending (each chunk is whole or not there at all).
            // An edit by hand is committed to the disk before it is answered.
            tx.batch_execute("SET LOCAL synchronous_commit = off")?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl AuditStore for PostgresStore {
    fn record(&self, entry: &AuditEntry) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[&entry.at, &entry.actor, &entry.action, &entry.detail],
        )?;
        Ok(())
    }

    fn entries(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let rows = self.conn()?.query(
            "SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1",
            &[&(limit as i64)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    detail: r.try_get(3)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_parameter_is_custios_and_the_password_is_never_shown() {
        assert_eq!(
            split_schema("postgres://u@h/db?schema=shop_7&sslmode=disable"),
            (
                "postgres://u@h/db?sslmode=disable".into(),
                Some("shop_7".into())
            )
        );
        assert_eq!(
            split_schema("postgres://u@h/db?schema=a"),
            ("postgres://u@h/db".into(), Some("a".into()))
        );
        assert_eq!(split_schema("postgres://u@h/db").1, None);
        assert_eq!(
            shown("postgres://ola:s3cret@db.example/custio"),
            "postgres://ola@db.example/custio"
        );
        assert_eq!(
            shown("postgres://ola@db.example/custio?password=s3cret&schema=shop_7"),
            "postgres://ola@db.example/custio?schema=shop_7"
        );
        assert_eq!(shown("sqlite://custio.db"), "sqlite://custio.db");
    }
}
