//! Persistence of custio behind one [`Store`] interface.
//!
//! The interface speaks in domain types (customers, batches and their staged rows, the
//! change journal, shops, the audit log) and never in SQL, so the embedded SQLite store
//! ([`SqliteStore`], the default) and a PostgreSQL store for several workers fit the same
//! engine. It is synchronous: the engine runs on blocking threads (the web layer hands it
//! work through `spawn_blocking`), which is what `rusqlite` wants and what a pooled
//! PostgreSQL client can serve as well.
//!
//! ```
//! use custio_store::{open, Store};
//! let store = open("sqlite::memory:").unwrap();
//! assert_eq!(store.shops().unwrap()[0].id, 1);
//! ```

mod error;
mod service;
mod sqlite;
mod types;

pub use error::{StoreError, TakenKey};
pub use service::{
    ApiToken, CustomerCursor, CustomerPage, CustomerSort, Job, JobState, NewJob, Role, Session,
    User,
};
pub use sqlite::SqliteStore;
pub use types::{
    AgreementKind, AuditEntry, Batch, BatchStatus, CommitOp, CustomerKey, CustomerQuery,
    JournalEntry, MappingProfile, NewBatch, RowAction, RowCounts, RowFilter, RowStatus, Shop,
    StagedRow,
};

use custio_model::{Customer, DateTime};

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything custio keeps. Implementations must make [`commit_chunk`](Store::commit_chunk)
/// and [`stage_rows`](Store::stage_rows) atomic: all of a chunk or none of it.
pub trait Store: Send + Sync {
    /// Every shop, by id.
    fn shops(&self) -> Result<Vec<Shop>>;
    /// Adds a shop or renames an existing one.
    fn put_shop(&self, shop: &Shop) -> Result<()>;
    /// Customer groups, by name.
    fn groups(&self) -> Result<Vec<String>>;

    /// The agreements (consents) the shop has, by name.
    fn agreements(&self) -> Result<Vec<AgreementKind>>;
    /// Adds an agreement or changes its validity.
    fn put_agreement(&self, agreement: &AgreementKind) -> Result<()>;
    /// Pricelist names, sorted.
    fn pricelists(&self) -> Result<Vec<String>>;
    fn put_pricelist(&self, name: &str) -> Result<()>;
    /// Saved mapping profiles, by name.
    fn mapping_profiles(&self) -> Result<Vec<MappingProfile>>;
    fn mapping_profile(&self, name: &str) -> Result<Option<MappingProfile>>;
    /// Saves a profile, replacing one of the same name.
    fn put_mapping_profile(&self, profile: &MappingProfile) -> Result<()>;
    /// Deletes a profile; returns whether it existed.
    fn delete_mapping_profile(&self, name: &str) -> Result<bool>;

    /// One customer by custio id.
    fn customer(&self, id: i64) -> Result<Option<Customer>>;
    /// The customer a pairing key points at.
    fn find_customer(&self, key: &CustomerKey) -> Result<Option<Customer>>;
    /// Up to `limit` customers matching `query` with ids above `after`, by id: keyset
    /// pages, so that exports stream whatever the size of the base.
    fn customers_page(
        &self,
        query: &CustomerQuery,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Customer>>;
    /// Every key of a custom field that some customer has, sorted: exports write a column
    /// per key.
    fn custom_field_keys(&self) -> Result<Vec<String>>;
    /// How many customers the store holds.
    fn count_customers(&self) -> Result<u64>;

    /// Opens a batch and returns its id.
    fn create_batch(&self, batch: &NewBatch) -> Result<i64>;
    fn batch(&self, id: i64) -> Result<Option<Batch>>;
    /// Every batch, newest first.
    fn batches(&self) -> Result<Vec<Batch>>;
    /// Saves a batch's status, header, unknown columns, options and error.
    fn update_batch(&self, batch: &Batch) -> Result<()>;
    /// Adds rows to a batch's buffer, atomically.
    fn stage_rows(&self, batch: i64, rows: &[StagedRow]) -> Result<()>;
    fn staged_row(&self, batch: i64, line: u64) -> Result<Option<StagedRow>>;
    /// Up to `limit` rows matching `filter` with lines above `after`, by line.
    fn staged_rows(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>>;
    /// Saves a row after an edit, a skip or a re-check.
    fn update_staged_row(&self, batch: i64, row: &StagedRow) -> Result<()>;
    /// The first line of the batch before `line` that carries the same key: in-file
    /// duplicates are found through the buffer, so memory does not grow with the file, and
    /// the first occurrence wins.
    fn find_staged(&self, batch: i64, key: &CustomerKey, line: u64) -> Result<Option<u64>>;
    fn row_counts(&self, batch: i64) -> Result<RowCounts>;

    /// Applies one chunk of a commit atomically: inserts and updates customers, journals
    /// every change, creates missing shops and groups, and records each row's outcome.
    /// Returns the ids of the inserted customers, in the order of their ops.
    fn commit_chunk(&self, batch: i64, ops: &[CommitOp]) -> Result<Vec<i64>>;
    /// A batch's journal, in order: what undo walks back.
    fn journal(&self, batch: i64) -> Result<Vec<JournalEntry>>;

    /// Records a sensitive action (an export with password hashes, ...).
    fn audit(&self, entry: &AuditEntry) -> Result<()>;
    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>>;

    // --- The customer list of the panel and the customers API -------------------------

    /// One page of the customer list: customers matching `query`, in `sort` order
    /// (descending when `desc`), starting after `after` (keyset pagination: the cost of a
    /// page does not grow with its depth). Returns the cursor of the next page.
    fn customer_list(
        &self,
        query: &CustomerQuery,
        sort: CustomerSort,
        desc: bool,
        after: Option<&CustomerCursor>,
        limit: usize,
    ) -> Result<CustomerPage>;
    /// Stores a new customer (outside any batch) and returns its id. A login, e-mail or
    /// guid that another customer has is a [`StoreError::Taken`].
    fn insert_customer(&self, customer: &Customer) -> Result<i64>;
    /// Replaces the stored customer with `customer.id`; returns whether it existed. The
    /// stored password hash is kept when `customer.password` is `None`.
    fn update_customer(&self, customer: &Customer) -> Result<bool>;
    /// Deletes a customer; returns whether it existed.
    fn delete_customer(&self, id: i64) -> Result<bool>;

    // --- Users, sessions, API tokens, settings -----------------------------------------

    /// Adds a user with an argon2 password hash; a taken name (case-insensitive) is a
    /// [`StoreError::Taken`]. Returns the new id.
    fn create_user(&self, username: &str, password_hash: &str, role: Role) -> Result<i64>;
    /// One user by id.
    fn user(&self, id: i64) -> Result<Option<User>>;
    /// One user by name (case-insensitive).
    fn user_by_name(&self, username: &str) -> Result<Option<User>>;
    /// Every user, by name.
    fn users(&self) -> Result<Vec<User>>;
    /// How many users exist (zero: the first start, which offers the setup link).
    fn count_users(&self) -> Result<u64>;
    /// Replaces a user's password hash and ends every session of that user. Returns
    /// whether the user exists.
    fn set_password(&self, user_id: i64, password_hash: &str) -> Result<bool>;
    /// Saves the customer-list columns a user chose (the "current view").
    fn set_view_columns(&self, user_id: i64, columns: &[String]) -> Result<()>;

    /// Stores a new session.
    fn create_session(&self, session: &Session) -> Result<()>;
    /// The session whose cookie hashes to `id_hash`, if it has not expired at `now`.
    fn session(&self, id_hash: &str, now: DateTime) -> Result<Option<Session>>;
    /// Ends a session (logout).
    fn delete_session(&self, id_hash: &str) -> Result<()>;
    /// Deletes the sessions that expired before `now`; returns how many.
    fn purge_sessions(&self, now: DateTime) -> Result<u64>;

    /// Stores an API token's hash under a name for a user; returns its id.
    fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str) -> Result<i64>;
    /// The token with this hash, marking it used.
    fn use_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    /// A user's tokens, newest first.
    fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    /// Revokes one of a user's tokens; returns whether it existed.
    fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool>;

    /// A service setting (such as the hash of the one-time setup token).
    fn setting(&self, key: &str) -> Result<Option<String>>;
    /// Sets a setting, or removes it with `None`.
    fn put_setting(&self, key: &str, value: Option<&str>) -> Result<()>;

    // --- Jobs ---------------------------------------------------------------------------

    /// Enqueues a job (state `queued`); returns its id.
    fn create_job(&self, job: &NewJob) -> Result<i64>;
    /// One job.
    fn job(&self, id: i64) -> Result<Option<Job>>;
    /// The newest `limit` jobs, newest first.
    fn jobs(&self, limit: usize) -> Result<Vec<Job>>;
    /// Atomically takes the oldest queued job: it becomes `running`, its attempts grow by
    /// one and its start time is set.
    fn claim_job(&self) -> Result<Option<Job>>;
    /// Records a running job's progress.
    fn job_progress(&self, id: i64, done: u64, total: Option<u64>, rate: Option<f64>)
    -> Result<()>;
    /// Ends a job: `succeeded` with its result, or `failed` with the reason.
    fn finish_job(
        &self,
        id: i64,
        state: JobState,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<()>;
    /// Puts a job back in the queue with a note saying why (a restart interrupted it).
    fn requeue_job(&self, id: i64, note: &str) -> Result<()>;
    /// The jobs in state `running`: at startup, those a stopped server left behind.
    fn running_jobs(&self) -> Result<Vec<Job>>;
}

/// Opens the store a URL names: `sqlite://PATH` (created if missing), `sqlite::memory:`,
/// or a bare path. The schema is created and migrated automatically.
pub fn open(url: &str) -> Result<Box<dyn Store>> {
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
