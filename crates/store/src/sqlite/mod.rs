//! The embedded SQLite store: one file in WAL mode. Customers are compact binary
//! documents (`custio_model::codec`) beside the plain columns that pairing, sorting and
//! filtering use, computed in Rust when a customer is written. One writer connection
//! takes every unit of work; readers serve the panel meanwhile.

mod accounts;
mod batches;
mod catalog;
mod customers;
mod jobs;
mod migrations;
mod schema;
mod unit;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::Local;
use custio_model::DateTime;
use rusqlite::Connection;

use crate::{
    AccountStore, AuditStore, BatchStore, CatalogStore, CustomerStore, JobStore, MigrationStore,
    Result, RowCounts, Store, StoreError, Unit,
};

/// How times are written in the tables that keep them as text.
const TIME: &str = "%Y-%m-%d %H:%M:%S";

/// An import of at least this many rows, and at least half the base, rebuilds the list's
/// indexes after writing instead of updating them row by row.
const BULK_ROWS: u64 = 50_000;

/// The writer's page cache (KiB): the indexes a bulk import touches stay in memory.
const WRITER_CACHE_KIB: u32 = 32_768;

/// The writer's page cache while it sorts rebuilt indexes (KiB).
const SORT_CACHE_KIB: u32 = 8_192;

/// Reader connections beside the writer, for the panel and the API.
const READERS: usize = 3;

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    writer: Mutex<Connection>,
    /// Empty for an in-memory database, whose connections would each see their own.
    readers: Vec<Mutex<Connection>>,
    /// Row counts this process tallied, by batch, with the rows version they hold for
    /// (read while the writer is too busy to keep them in the file).
    tallies: Mutex<HashMap<i64, (i64, RowCounts)>>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Backend(e.to_string()),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database file at `path`. The file is
    /// created readable by its owner only (0600), and an older one that others could read
    /// is made so ([`private_files`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        private_files(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let connect = || {
            Connection::open(path).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        };
        let writer = connect()?;
        setup(&writer, true)?;
        schema::migrate(&writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let conn = connect()?;
                setup(&conn, false)?;
                Ok(Mutex::new(conn))
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            writer: Mutex::new(writer),
            readers,
            tallies: Mutex::default(),
        })
    }

    /// A private in-memory database, for tests and examples.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        setup(&conn, true)?;
        schema::migrate(&conn)?;
        Ok(Self {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            tallies: Mutex::default(),
        })
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }

    /// A connection for reads: a free reader, else the first one (or the writer of an
    /// in-memory database).
    fn reader(&self) -> MutexGuard<'_, Connection> {
        for reader in &self.readers {
            if let Ok(conn) = reader.try_lock() {
                return conn;
            }
        }
        match self.readers.first() {
            Some(reader) => lock(reader),
            None => self.writer(),
        }
    }
}

/// Creates the database file at `path` with mode 0600 when it is missing, and takes the
/// group's and others' rights away from an existing one and from its `-wal` and `-shm`
/// files (an older custio created them 0644). SQLite creates the `-wal` and `-shm` files
/// with the mode of the database file, so they are private too. (On systems other than
/// Unix, the directory's rights apply.)
fn private_files(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if path.as_os_str().is_empty() || path == Path::new(":memory:") {
            return Ok(());
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        match created {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = Path::new(&name);
            // Best effort: a file of another owner that this process may still open keeps
            // its rights (changing them is its owner's choice).
            if let Ok(meta) = std::fs::metadata(file)
                && meta.permissions().mode() & 0o077 != 0
            {
                let mode = meta.permissions().mode() & 0o700;
                let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn lock<T>(conn: &Mutex<T>) -> MutexGuard<'_, T> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Connection settings. The writer gets a page cache large enough to keep the indexes a
/// bulk import touches in memory; readers a small one.
/// All SQLite's memory (page caches, sorters) of the process stays about this size: what
/// an import needs does not grow with the file.
const SQLITE_SOFT_HEAP_LIMIT: i64 = 64 << 20;

fn setup(conn: &Connection, writer: bool) -> Result<()> {
    // SAFETY: sqlite3_soft_heap_limit64 only sets a process-wide number in SQLite.
    unsafe {
        rusqlite::ffi::sqlite3_soft_heap_limit64(SQLITE_SOFT_HEAP_LIMIT);
    }
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // The writer checkpoints the WAL every 64 MiB rather than every 4 MiB: a page that
    // several chunks change is copied to the database once.
    let (cache_kib, checkpoint_pages) = if writer {
        (WRITER_CACHE_KIB, 16_384)
    } else {
        (8_192, 1_000)
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -{cache_kib}; PRAGMA temp_store = FILE;
         PRAGMA wal_autocheckpoint = {checkpoint_pages}; PRAGMA threads = 2;"
    ))?;
    rusqlite::vtab::array::load_module(conn)?;
    customers::register_functions(conn)?;
    Ok(())
}

fn now() -> String {
    Local::now().naive_local().format(TIME).to_string()
}

fn time(t: DateTime) -> String {
    t.format(TIME).to_string()
}

fn parse_time(s: &str) -> DateTime {
    DateTime::parse_from_str(s, TIME).unwrap_or_default()
}

fn corrupt<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("store documents serialise")
}

impl Store for SqliteStore {
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

    /// SQLite's `PRAGMA integrity_check` over the whole file (it needs the store's SQL
    /// functions for the expression index, which a bare `sqlite3` lacks).
    fn integrity_problems(&self) -> Result<Vec<String>> {
        let conn = self.writer();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(found.into_iter().filter(|line| line != "ok").collect())
    }

    fn begin_bulk(&self, rows: u64) -> Result<()> {
        let conn = self.writer();
        let base: i64 = conn.query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))?;
        if rows >= BULK_ROWS && rows >= base as u64 / 2 {
            conn.execute_batch(schema::DROP_LIST_INDEXES)?;
        }
        Ok(())
    }

    fn finish_bulk(&self) -> Result<()> {
        // Sorting the indexes takes as much memory as the page cache allows: a small one
        // while they are built keeps the peak of a bulk import what the import needed.
        let conn = self.writer();
        conn.execute_batch(&format!("PRAGMA cache_size = -{SORT_CACHE_KIB};"))?;
        let built = conn.execute_batch(schema::LIST_INDEXES);
        conn.execute_batch(&format!("PRAGMA cache_size = -{WRITER_CACHE_KIB};"))?;
        Ok(built?)
    }

    /// In-process calls cost little: chunks stay small, so the two threads of an import
    /// hand over often.
    fn chunk_rows(&self) -> usize {
        500
    }

    fn unit_of_work(&self, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        work(&mut unit::SqliteUnit::new(&tx))?;
        tx.commit()?;
        Ok(())
    }
}

impl AuditStore for SqliteStore {
    fn record(&self, entry: &crate::AuditEntry) -> Result<()> {
        self.writer().execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            (time(entry.at), &entry.actor, &entry.action, &entry.detail),
        )?;
        Ok(())
    }

    fn entries(&self, limit: usize) -> Result<Vec<crate::AuditEntry>> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(crate::AuditEntry {
                at: parse_time(&r.get::<_, String>(0)?),
                actor: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
