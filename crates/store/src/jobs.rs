//! The job queue: persisted jobs with their state and progress.

use custio_model::DateTime;
use serde::{Deserialize, Serialize};

use crate::Result;

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Running, Self::Succeeded, Self::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// What enqueues a job.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// `check`, `commit`, `export`, ...
    pub kind: String,
    /// What the job works on, as its runner reads it.
    pub payload: serde_json::Value,
    /// Who asked for it (a user name).
    pub created_by: String,
}

/// A persisted job.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// What the job produced (a batch id, row counts, a file).
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Units of work done so far.
    pub done: u64,
    /// Units of work expected, when known.
    pub total: Option<u64>,
    /// Units per second over the run so far.
    pub rate: Option<f64>,
    /// Why the job failed.
    pub error: Option<String>,
    /// What happened to the job besides its work (resumed after a restart, ...).
    pub note: Option<String>,
    /// How many times a worker started it.
    pub attempts: u32,
    pub created_by: String,
    #[schema(value_type = String, example = "2024-03-01T12:30:00")]
    pub created_at: DateTime,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub started_at: Option<DateTime>,
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:00")]
    pub finished_at: Option<DateTime>,
    /// The worker that claimed it last (`host:pid`).
    pub worker: Option<String>,
    /// Until when that worker's claim holds unless it renews it; past it, another worker
    /// takes the job over.
    #[schema(value_type = Option<String>, example = "2024-03-01T12:30:30")]
    pub lease_until: Option<DateTime>,
}

/// A worker's claim on a job: who holds it, and for how long it holds without a renewal.
#[derive(Clone, Copy, Debug)]
pub struct Lease<'a> {
    /// The worker (`host:pid`).
    pub worker: &'a str,
    /// How long the claim holds, by the store's clock.
    pub seconds: u32,
}

/// The job queue.
pub trait JobStore {
    /// Enqueues a job (state `queued`); returns its id.
    fn create(&self, job: &NewJob) -> Result<i64>;
    fn get(&self, id: i64) -> Result<Option<Job>>;
    /// The newest `limit` jobs, newest first.
    fn list(&self, limit: usize) -> Result<Vec<Job>>;
    /// Atomically takes the oldest queued job for a worker: it becomes `running`, its
    /// attempts grow by one, its start time is set and the lease runs from now. Two
    /// workers never take the same job.
    fn claim(&self, lease: &Lease) -> Result<Option<Job>>;
    /// Extends the lease of the job's `attempt` (the claim that numbered it); `false` when
    /// that claim no longer holds the job (it was taken over or ended).
    fn renew(&self, id: i64, attempt: u32, lease: &Lease) -> Result<bool>;
    /// The running jobs whose lease has passed, by the store's clock: their worker died
    /// or lost the store.
    fn expired(&self) -> Result<Vec<Job>>;
    /// Records a running job's progress.
    fn progress(&self, id: i64, done: u64, total: Option<u64>, rate: Option<f64>) -> Result<()>;
    /// Ends the running job's `attempt`: `succeeded` with its result, or `failed` with the
    /// reason; `false` (and nothing written) when that attempt no longer holds the job.
    fn finish(
        &self,
        id: i64,
        attempt: u32,
        state: JobState,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> Result<bool>;
    /// Puts the running job's `attempt` back in the queue with a note saying why (its
    /// worker stopped); `false` when that attempt no longer holds the job.
    fn requeue(&self, id: i64, attempt: u32, note: &str) -> Result<bool>;
    /// The jobs in state `running`: at startup, those a stopped server left behind.
    fn running(&self) -> Result<Vec<Job>>;
    /// The jobs still `queued` or `running`, oldest first: the files they read or write
    /// are in use.
    fn unfinished(&self) -> Result<Vec<Job>>;
    /// What the queue's monitoring reads: jobs by kind and state, restarts, expired
    /// leases and run times.
    fn stats(&self) -> Result<JobStats>;
}

/// The queue in figures, for monitoring.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobStats {
    /// How many jobs of each kind are in each state.
    pub by_state: Vec<(String, JobState, u64)>,
    /// Starts beyond each job's first: jobs resumed after their worker stopped.
    pub restarts: u64,
    /// Running jobs whose lease has passed and that no worker took over yet.
    pub expired: u64,
    /// Finished jobs of each kind: how many, and their run times (seconds) in all and at
    /// most.
    pub durations: Vec<JobDurations>,
}

/// The run times of the finished jobs of one kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobDurations {
    pub kind: String,
    pub count: u64,
    pub seconds: f64,
    pub max_seconds: f64,
}
