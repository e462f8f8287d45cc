//! Persistence of custio, split by domain: [`CustomerStore`] (the base and its list),
//! [`BatchStore`] (import batches and their buffer of rows), [`JobStore`] (the job queue),
//! [`AccountStore`] (panel users, sessions, API tokens), [`CatalogStore`] (shops, groups,
//! agreements, pricelists, mapping profiles, settings) and [`AuditStore`].
//!
//! The import pipeline writes through a [`Unit`] of work: one transaction in which a
//! chunk's reads (pairing a whole chunk with the stored customers at once) and writes
//! (customers with a version check, the journal, the buffer) happen together, so nothing
//! changes between the read and the write.
//!
//! The interfaces speak in domain types and never in SQL, so the embedded SQLite store
//! ([`SqliteStore`], the default) and a PostgreSQL store fit the same engine: every call
//! that touches many rows takes a slice (set-based reads and writes; `COPY` and
//! multi-row upserts on PostgreSQL). They are synchronous: the engine runs them on
//! blocking threads.
//!
//! ```
//! use custio_store::open;
//! let store = open("sqlite::memory:").unwrap();
//! assert_eq!(store.catalog().shops().unwrap()[0].id, 1);
//! ```

mod accounts;
mod audit;
mod batches;
mod catalog;
mod customers;
mod error;
mod jobs;
mod migrations;
mod postgres;
mod sqlite;
mod unit;

pub use accounts::{AccountStore, ApiToken, Role, Session, User};
pub use audit::{AuditEntry, AuditStore};
pub use batches::{
    Batch, BatchStatus, BatchStore, NewBatch, Plan, Repeated, RowAction, RowCounts, RowFilter,
    RowStatus, StagedRow,
};
pub use catalog::{AgreementKind, CatalogStore, MappingProfile, Shop};
pub use customers::{
    CustomerCursor, CustomerKey, CustomerPage, CustomerQuery, CustomerRow, CustomerSort,
    CustomerStore, Stored,
};
pub use error::{StoreError, TakenKey};
pub use jobs::{Job, JobDurations, JobState, JobStats, JobStore, Lease, NewJob};
pub use migrations::{Migration, MigrationStore, NewMigration};
pub use postgres::{PostgresStore, shown as shown_url};
pub use sqlite::SqliteStore;
pub use unit::{CustomerWrite, JournalEntry, JournalOp, Origin, Unit, WriteOutcome};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything custio keeps, by domain.
pub trait Store: Send + Sync {
    fn customers(&self) -> &dyn CustomerStore;
    fn batches(&self) -> &dyn BatchStore;
    fn jobs(&self) -> &dyn JobStore;
    fn accounts(&self) -> &dyn AccountStore;
    fn catalog(&self) -> &dyn CatalogStore;
    fn audit(&self) -> &dyn AuditStore;
    fn migrations(&self) -> &dyn MigrationStore;
    /// What the backend's own consistency check finds wrong with the stored data; empty
    /// when it is sound (after a crash, say).
    fn integrity_problems(&self) -> Result<Vec<String>>;
    /// Prepares for writing about `rows` customers in one import: a backend may set aside
    /// indexes that it rebuilds faster afterwards, in [`finish_bulk`](Store::finish_bulk)
    /// (the customer list pages slower meanwhile, never wrongly).
    fn begin_bulk(&self, rows: u64) -> Result<()>;
    /// Ends what [`begin_bulk`](Store::begin_bulk) began.
    fn finish_bulk(&self) -> Result<()>;
    /// How many rows of an import one unit of work takes: enough that the unit's fixed
    /// cost (its statements' round trips, its commit) is small beside its rows.
    fn chunk_rows(&self) -> usize;
    /// Runs `work` in one write transaction: all of it is committed, or (when `work` or
    /// the commit fails) none of it.
    fn unit_of_work(&self, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()>;
    /// A unit of work that writes nothing but a batch's buffer (a check's chunk): it reads
    /// customers and stages rows. A backend whose writers take turns over the customers
    /// need not make it wait for them.
    fn staging_unit(&self, work: &mut dyn FnMut(&mut dyn Unit) -> Result<()>) -> Result<()> {
        self.unit_of_work(work)
    }
}

/// Opens the store a URL names: `sqlite://PATH` (created if missing), `sqlite::memory:`,
/// a bare path, or `postgres://USER@HOST/DB[?schema=NAME]`. The schema is created and
/// migrated automatically.
pub fn open(url: &str) -> Result<Box<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(PostgresStore::open(url)?));
    }
    if url == "sqlite::memory:" {
        return Ok(Box::new(SqliteStore::open_in_memory()?));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(Box::new(SqliteStore::open(path)?));
    }
    if url.contains("://") {
        return Err(StoreError::UnsupportedUrl(url.to_string()));
    }
    Ok(Box::new(SqliteStore::open(url)?))
}
