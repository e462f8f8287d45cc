//! custio's use cases over a [`Store`]: the import pipeline (check, map, review, commit),
//! export, the jobs that run them and their workers ([`jobs`]), accounts ([`accounts`]),
//! shops and the other catalogs, customers ([`customers`]) and the audit log. The CLI, the
//! web panel and the REST API all drive this one [`Engine`] and never the store: the
//! records they name are re-exported in [`records`].
//!
//! ```
//! use custio_engine::{Engine, ImportOptions, NoProgress};
//!
//! let engine = Engine::open("sqlite::memory:").unwrap();
//! let file = "login;email;firstname;lastname;street;zipcode;city\njan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\n";
//! let report = engine.check(Box::new(file.as_bytes()), "example.csv", "idosell", &ImportOptions::default(), &NoProgress).unwrap();
//! assert_eq!(report.counts.new, 1);
//! let counts = engine.commit(report.batch, None, &NoProgress).unwrap();
//! assert_eq!(counts.imported, 1);
//! ```

pub mod accounts;
mod apply;
mod audit;
mod batches;
mod catalog;
mod check;
mod commit;
mod convert;
pub mod customers;
mod downloads;
mod error;
mod export;
pub mod jobs;
mod mapping;
pub mod migrations;
pub mod openapi;
mod options;
mod pipeline;
mod plan;
mod progress;
pub mod records;
mod repeats;
mod retention;
mod review;
mod rules;
pub mod sealing;
mod selection;
mod throttle;

use std::io::{Read, Write};

/// The layers below the engine that the layers above (web, CLI) use directly: the data
/// model and the formats (dialects, detection, writer options). The store is not among
/// them: only the engine talks to it; its record types are in [`records`].
pub use custio_formats as formats;
pub use custio_model as model;

use custio_formats::{Dialect, WriteOptions, dialect, tabular::RejectedWriter};
use custio_store::{
    Batch, CustomerQuery, MappingProfile, RowCounts, RowFilter, RowStatus, StagedRow, Store,
};

pub use accounts::{AccountError, Caller};
pub use check::CheckReport;
pub use convert::{ConvertOptions, ConvertReport, Dropped, LISTED, LOOKAHEAD, LeftOut, convert};
pub use error::{Denied, EngineError, Named};
pub use jobs::JobError;
pub use options::{ImportOptions, OnExisting};
pub use pipeline::Profile;
pub use progress::{NoProgress, Progress};
pub use retention::Swept;
pub use selection::parse_selection;
pub use throttle::{FIRST_DELAY, FREE_FAILURES, MAX_DELAY, login_delay};

/// The engine: every use case, over one store.
pub struct Engine {
    store: Box<dyn Store>,
    /// Failed logins per account and client address ([`Engine::log_in`]).
    logins: throttle::LoginThrottle,
    /// How long a worker's claim on a job holds without a renewal.
    job_lease: std::time::Duration,
    /// What this process's job workers did, for monitoring.
    workers: jobs::WorkerCounters,
    /// From what size (bytes) a queued check is shared with other workers.
    share_checks_from: Option<u64>,
    /// Whether migrations may call shops on private and loopback addresses.
    private_sources: bool,
}

/// A queued check of a file of this size or more is shared with idle workers by default.
pub const SHARE_CHECKS_FROM: u64 = 64 << 20;

impl Engine {
    pub fn new(store: Box<dyn Store>) -> Self {
        Self {
            store,
            logins: throttle::LoginThrottle::default(),
            job_lease: jobs::DEFAULT_LEASE,
            workers: jobs::WorkerCounters::default(),
            share_checks_from: Some(SHARE_CHECKS_FROM),
            private_sources: false,
        }
    }

    /// The engine with migrations allowed to call shops on private and loopback
    /// addresses (tests, a shop on the same network); refused by default.
    pub fn with_private_sources(mut self, allowed: bool) -> Self {
        self.private_sources = allowed;
        self
    }

    /// The engine with another size from which a queued check is shared (`None`: never).
    /// A shared check is cut into chunks of rows that every idle worker may take: the
    /// worker that runs the check asks one more to help once it has a chunk, each helper
    /// that gets a chunk asks one more, and each stages its own chunks, passing over the
    /// others' rows unparsed. The first waits for every chunk, then looks for repeated
    /// keys across all of them.
    pub fn with_shared_checks_from(mut self, bytes: Option<u64>) -> Self {
        self.share_checks_from = bytes;
        self
    }

    /// The engine with another job lease: a worker that stops renewing its claim loses
    /// its job to another worker after this long (at least a second).
    pub fn with_job_lease(mut self, lease: std::time::Duration) -> Self {
        self.job_lease = lease.max(std::time::Duration::from_secs(1));
        self
    }

    /// The engine over the store a URL names: `sqlite://PATH` (created if missing),
    /// `sqlite::memory:`, a bare path or `postgres://USER@HOST/DB[?schema=NAME]`; the
    /// schema is created and migrated.
    pub fn open(url: &str) -> Result<Self, EngineError> {
        Ok(Self::new(custio_store::open(url)?))
    }

    /// A database URL as messages may show it: without its password.
    pub fn shown_url(url: &str) -> String {
        custio_store::shown_url(url)
    }

    /// The store. Only the engine's use cases reach it: the adapters above call them.
    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// What the store's own consistency check finds wrong (after a crash, say); empty
    /// when the store is sound.
    pub fn store_problems(&self) -> Result<Vec<String>, EngineError> {
        Ok(self.store().integrity_problems()?)
    }

    /// The dialect with this id, or a clear error.
    pub fn dialect(id: &str) -> Result<&'static dyn Dialect, EngineError> {
        dialect(id).ok_or_else(|| EngineError::UnknownDialect(id.to_string()))
    }

    /// A batch, or a clear error.
    pub fn batch(&self, id: i64) -> Result<Batch, EngineError> {
        self.store
            .batches()
            .get(id)?
            .ok_or(EngineError::BatchNotFound(id))
    }

    /// Checks a file into a new batch: every row is staged with its plan; nothing is
    /// written to the customers.
    pub fn check(
        &self,
        input: Box<dyn Read + '_>,
        source: &str,
        dialect: &str,
        options: &ImportOptions,
        progress: &dyn Progress,
    ) -> Result<CheckReport, EngineError> {
        let dialect = Self::dialect(dialect)?;
        let mode = pipeline::Mode::Stage;
        let reading = check::Reading {
            dialect,
            options,
            mode,
            sharing: None,
        };
        check::read(self.store(), &reading, input, source, progress)
    }

    /// Imports a file in one pass: each chunk of rows is checked and committed at once,
    /// so the file streams straight to the customers (`import --commit`). Rows that do
    /// not pass stay in the batch's buffer with their reasons.
    pub fn import(
        &self,
        input: Box<dyn Read + '_>,
        source: &str,
        dialect: &str,
        options: &ImportOptions,
        progress: &dyn Progress,
    ) -> Result<CheckReport, EngineError> {
        let dialect = Self::dialect(dialect)?;
        let mode = pipeline::Mode::Commit;
        let reading = check::Reading {
            dialect,
            options,
            mode,
            sharing: None,
        };
        check::read(self.store(), &reading, input, source, progress)
    }

    /// The batch's state and row counts.
    pub fn report(&self, batch: i64) -> Result<CheckReport, EngineError> {
        check::report(self.store(), &self.batch(batch)?)
    }

    /// Deletes the buffer of a committed batch (it keeps its counts) and its uploaded file
    /// under `files`, then gives the space back. Returns whether there was a buffer to
    /// delete.
    pub fn purge_batch(&self, batch: i64, files: &jobs::DataDir) -> Result<bool, EngineError> {
        let found = self.batch(batch)?;
        if found.status != custio_store::BatchStatus::Committed {
            return Err(EngineError::NotAllowed(format!(
                "batch {batch} is {}; only a committed batch's buffer can be purged",
                found.status.as_str()
            )));
        }
        let purged = self.store.batches().purge(batch)?;
        self.delete_upload(batch, files)?;
        Ok(purged)
    }

    /// Purges the buffers of committed batches created before `before` (all of them
    /// without a time) and deletes their uploaded files under `files`, then compacts the
    /// store. Returns the purged batches.
    pub fn purge_committed(
        &self,
        before: Option<custio_model::DateTime>,
        files: &jobs::DataDir,
    ) -> Result<Vec<i64>, EngineError> {
        let batches = self.store.batches();
        let mut purged = Vec::new();
        for batch in batches.list()? {
            let due = before.is_none_or(|t| batch.created_at < t);
            if batch.status == custio_store::BatchStatus::Committed
                && batch.purged_at.is_none()
                && due
                && batches.purge(batch.id)?
            {
                self.delete_upload(batch.id, files)?;
                purged.push(batch.id);
            }
        }
        if !purged.is_empty() {
            batches.compact()?;
        }
        Ok(purged)
    }

    /// A page of the batch's rows.
    pub fn rows(
        &self,
        batch: i64,
        status: Option<RowStatus>,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>, EngineError> {
        let filter = RowFilter {
            statuses: status.into_iter().collect(),
            lines: None,
        };
        self.rows_where(batch, &filter, after, limit)
    }

    /// Sets a field (or a column of the file) on a staged row and re-validates it.
    pub fn edit_row(
        &self,
        batch: i64,
        line: u64,
        field: &str,
        value: &str,
    ) -> Result<StagedRow, EngineError> {
        let batch = self.batch(batch)?;
        review::edit_row(
            self.store(),
            Self::dialect(&batch.dialect)?,
            &batch,
            line,
            field,
            value,
        )
    }

    /// Skips the rows at `lines`.
    pub fn skip_rows(&self, batch: i64, lines: &[u64]) -> Result<u64, EngineError> {
        review::skip_rows(self.store(), &self.batch(batch)?, lines)
    }

    /// Commits the batch's pending rows (or only those at `lines`).
    pub fn commit(
        &self,
        batch: i64,
        lines: Option<Vec<u64>>,
        progress: &dyn Progress,
    ) -> Result<RowCounts, EngineError> {
        let mut batch = self.batch(batch)?;
        commit::commit(
            self.store(),
            Self::dialect(&batch.dialect)?,
            &mut batch,
            lines,
            progress,
        )
    }

    /// Writes the batch's invalid and failed rows in the file's own dialect and encoding,
    /// with the reasons in a last column, each issue rendered by `render` (in the reader's
    /// language). Returns how many rows were written.
    pub fn write_rejected(
        &self,
        batch: i64,
        out: Box<dyn Write + '_>,
        render: &dyn Fn(&custio_model::RowIssue) -> String,
    ) -> Result<u64, EngineError> {
        let batch = self.batch(batch)?;
        let dialect = Self::dialect(&batch.dialect)?;
        let encoding = batch.encoding.as_deref().unwrap_or("utf-8").parse()?;
        let parser = check::batch_parser(&batch)?;
        let mut writer = RejectedWriter::new(out, dialect.delimiter(), encoding, &batch.header)?;
        let filter = RowFilter {
            statuses: vec![RowStatus::Invalid, RowStatus::Failed],
            lines: None,
        };
        let mut after = None;
        loop {
            let page = self.store.batches().rows(batch.id, &filter, after, 1000)?;
            let Some(last) = page.last() else { break };
            after = Some(last.line);
            for row in page {
                let reason = row.issues.iter().map(render).collect::<Vec<_>>().join("; ");
                writer.write(
                    check::record_of(&parser, &row),
                    format!("line {}: {reason}", row.line),
                )?;
            }
        }
        Ok(writer.finish()?)
    }

    /// Exports the customers matching `query` in `dialect`. Exports with password hashes
    /// are written to the audit log under `actor`.
    pub fn export(
        &self,
        dialect: &str,
        options: WriteOptions,
        query: &CustomerQuery,
        out: Box<dyn Write + '_>,
        actor: &str,
        progress: &dyn Progress,
    ) -> Result<u64, EngineError> {
        export::export(
            self.store(),
            Self::dialect(dialect)?,
            options,
            query,
            out,
            actor,
            progress,
        )
    }

    /// The saved mapping profiles, by name.
    pub fn mapping_profiles(&self) -> Result<Vec<MappingProfile>, EngineError> {
        Ok(self.store.catalog().mapping_profiles()?)
    }

    /// One saved mapping profile, or a clear error.
    pub fn mapping_profile(&self, name: &str) -> Result<MappingProfile, EngineError> {
        self.store
            .catalog()
            .mapping_profile(name)?
            .ok_or_else(|| EngineError::MappingProfileNotFound(name.to_string()))
    }

    /// Saves a mapping profile (replacing one of the same name) after checking that its
    /// format exists and every target is a field, a column of that format, or `ignore`.
    pub fn save_mapping_profile(&self, profile: &MappingProfile) -> Result<(), EngineError> {
        mapping::validate(Self::dialect(&profile.dialect)?, profile)?;
        let mut profile = profile.clone();
        profile.dialect = Self::dialect(&profile.dialect)?.id().to_string();
        Ok(self.store.catalog().put_mapping_profile(&profile)?)
    }

    /// Deletes a mapping profile, or says that there is none of that name.
    pub fn delete_mapping_profile(&self, name: &str) -> Result<(), EngineError> {
        if self.store.catalog().delete_mapping_profile(name)? {
            Ok(())
        } else {
            Err(EngineError::MappingProfileNotFound(name.to_string()))
        }
    }

    /// The mappings an import of `dialect` uses with the saved `profile`: the profile's
    /// columns (ignored ones map to `ignore`) under the `explicit` ones, which win for the
    /// same column. The result goes into [`ImportOptions::mappings`], so the batch keeps
    /// what it was read with even if the profile changes later.
    pub fn mappings_with_profile(
        &self,
        dialect: &str,
        profile: &str,
        explicit: &[(String, String)],
    ) -> Result<Vec<(String, String)>, EngineError> {
        mapping::resolve(self.store(), Self::dialect(dialect)?, profile, explicit)
    }
}
