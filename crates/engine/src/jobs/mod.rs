//! Persisted jobs: what they are ([`JobSpec`]), how they are queued (the `start_*` use
//! cases and [`Engine::enqueue`]), and how a worker runs them ([`Engine::work`],
//! [`Engine::run_next_job`], [`Engine::recover_jobs`]).
//!
//! Queue storage is the store's jobs table; processing is here, as Meilisearch keeps its
//! queue apart from its scheduler. A job is `queued`, then `running` (with progress
//! done/total and rows per second), then `succeeded` with a result or `failed` with the
//! reason. Input files are on disk under the [`DataDir`] before their job exists (upload
//! first, then enqueue).
//!
//! Whoever runs workers decides where: the web server runs a few on blocking threads and
//! wakes them through a [`JobSignal`] when it queues a job; a `custio worker` process can
//! run the same loop with only its polling interval; the CLI runs a spec in the foreground
//! with [`Engine::run_spec`].
//!
//! Workers of several processes (`custio serve`, `custio worker`, on one machine or many
//! with PostgreSQL) share the queue. A worker (`host:pid`) claims a job with a lease that
//! it renews while the job runs; a job whose lease passed lost its worker, and the next
//! worker that looks resumes it (queued again, with a note saying so) or, after
//! [`MAX_ATTEMPTS`] starts, fails it with the reason. Each claim is an attempt, and only
//! the attempt that holds a job may renew, end or give it back, so a job never runs twice
//! at once. At startup [`Engine::recover_jobs`] does the same at once for the jobs of this
//! machine's processes that no longer exist (a restarted server resumes its own). Resuming is safe for every
//! kind: a commit applies only rows still pending (each chunk is atomic), a check reads its
//! saved upload into a fresh batch (the half-read batch is marked failed), an export
//! rewrites its file.

mod files;
mod metrics;
mod run;
mod spec;
mod start;
mod worker;

#[cfg(test)]
mod tests;

pub use files::DataDir;
pub(crate) use files::private_file;
pub use metrics::QueueMetrics;
pub(crate) use metrics::WorkerCounters;
pub use run::JobOutput;
pub(crate) use run::upload_key;
pub use spec::{DialectChoice, ExportProblem, ExportRequest, JobSpec, write_options};
pub use start::{CheckRequest, ExportFile};
pub use worker::{JobSignal, Recovered, RecoveredAs, worker_id};

use custio_formats::FormatError;
use custio_store::Job;
use thiserror::Error;

use crate::{Engine, EngineError};

/// How often a job may be started before a restart fails it instead of resuming it.
pub const MAX_ATTEMPTS: u32 = 3;

/// How long a worker's claim on a job holds unless it renews it (it renews it three
/// times as often while the job runs).
pub const DEFAULT_LEASE: std::time::Duration = std::time::Duration::from_secs(30);

/// Why a job failed. Its text is what the job's `error` says.
#[derive(Debug, Error)]
pub enum JobError {
    /// The job's kind is not one this engine runs.
    #[error("no worker runs jobs of kind '{0}'")]
    UnknownKind(String),
    /// The job's payload does not decode into its kind's spec (never read as defaults).
    #[error("the job's payload does not read: {0}")]
    Payload(serde_json::Error),
    /// An upload name that is not a plain file name under the uploads directory.
    #[error("the upload name is not valid")]
    UploadName,
    /// The uploaded file cannot be opened.
    #[error("the uploaded file is gone: {0}")]
    UploadGone(std::io::Error),
    /// The file's format could not be told from its first bytes.
    #[error("{0}; choose the format on the import page")]
    Undetected(FormatError),
    /// The export file cannot be written or moved into place.
    #[error("cannot write the export file: {0}")]
    ExportFile(std::io::Error),
    /// The job's thread panicked (a bug).
    #[error("the job's thread failed: {0}")]
    Panicked(String),
    /// The use case the job runs failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl Engine {
    /// Queues a job (state `queued`) that `created_by` asked for; returns it. Wake a
    /// worker afterwards (the web's [`JobSignal::notify`]).
    pub fn enqueue(&self, spec: &JobSpec, created_by: &str) -> Result<Job, EngineError> {
        let id = self.store().jobs().create(&spec.to_new_job(created_by))?;
        self.job(id)
    }

    /// One job, or a clear error.
    pub fn job(&self, id: i64) -> Result<Job, EngineError> {
        self.store()
            .jobs()
            .get(id)?
            .ok_or(EngineError::JobNotFound(id))
    }

    /// The newest `limit` jobs, newest first.
    pub fn jobs(&self, limit: usize) -> Result<Vec<Job>, EngineError> {
        Ok(self.store().jobs().list(limit)?)
    }
}
