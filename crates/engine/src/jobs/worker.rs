//! The worker loop (claim, run, record), the signal that wakes and stops it, and the
//! recovery of jobs a stopped process left running.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use custio_store::{BatchStatus, JobState};

use super::run::JobProgress;
use super::{DataDir, JobError, JobSpec, MAX_ATTEMPTS};
use crate::{Engine, EngineError};

/// Wakes idle workers when a job is queued, and tells them to stop. Each
/// [`notify`](JobSignal::notify) lets one wait end (also one that starts later), as
/// `tokio::sync::Notify` does; [`stop`](JobSignal::stop) ends every wait for good.
#[derive(Debug, Default)]
pub struct JobSignal {
    state: Mutex<SignalState>,
    ready: Condvar,
}

#[derive(Debug, Default)]
struct SignalState {
    permits: usize,
    stopped: bool,
}

impl JobSignal {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SignalState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A job was queued: wake one idle worker.
    pub fn notify(&self) {
        self.lock().permits += 1;
        self.ready.notify_one();
    }

    /// Stops every worker waiting on this signal (a job that runs finishes first).
    pub fn stop(&self) {
        self.lock().stopped = true;
        self.ready.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        self.lock().stopped
    }

    /// Waits until notified or `timeout` passed; `false` once stopped.
    pub fn wait(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            if state.stopped {
                return false;
            }
            if state.permits > 0 {
                state.permits -= 1;
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            state = self
                .ready
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// What [`Engine::recover_jobs`] did with one job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    pub job: i64,
    pub kind: String,
    pub outcome: RecoveredAs,
}

/// Whether a job left running was resumed or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecoveredAs {
    /// Queued again; the note (also on the job) says why and what happens.
    Resumed { note: String },
    /// Started [`MAX_ATTEMPTS`] times already: failed with the reason.
    Failed { reason: String },
}

impl fmt::Display for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            RecoveredAs::Resumed { note } => write!(f, "job {} ({}) {note}", self.job, self.kind),
            RecoveredAs::Failed { reason } => {
                write!(f, "job {} ({}) failed: {reason}", self.job, self.kind)
            }
        }
    }
}

impl Engine {
    /// A worker: claims queued jobs one at a time and runs them, until `signal` is
    /// stopped. With an empty queue it waits for the signal, at most `poll` (so that jobs
    /// another process queued are found too). Errors of the queue itself are logged and
    /// retried after `poll`. Blocks: run it on a thread of its own.
    pub fn work(&self, files: &DataDir, signal: &JobSignal, poll: Duration) {
        while !signal.is_stopped() {
            match self.run_next_job(files) {
                Ok(Some(_)) => {}
                Ok(None) => {
                    if !signal.wait(poll) {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!("job queue: {e}");
                    if !signal.wait(poll) {
                        break;
                    }
                }
            }
        }
    }

    /// Claims the oldest queued job, runs it and records how it ended: `succeeded` with
    /// its [`JobOutput`](super::JobOutput), or `failed` with the reason (a payload that
    /// does not decode, a panic, the use case's error). Returns the job's id; `None` when
    /// the queue is empty.
    pub fn run_next_job(&self, files: &DataDir) -> Result<Option<i64>, EngineError> {
        let Some(job) = self.store().jobs().claim()? else {
            return Ok(None);
        };
        let progress = JobProgress::new(self.store(), job.id);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let spec = JobSpec::of_job(&job)?;
            self.execute(Some(job.id), &spec, files, &progress)
        }))
        .unwrap_or_else(|panic| Err(JobError::Panicked(panic_text(panic.as_ref()))));
        match outcome {
            Ok(output) => {
                let result = serde_json::to_value(&output).expect("a job output serialises");
                self.store()
                    .jobs()
                    .finish(job.id, JobState::Succeeded, Some(&result), None)?;
            }
            Err(e) => {
                self.store()
                    .jobs()
                    .finish(job.id, JobState::Failed, None, Some(&e.to_string()))?;
            }
        }
        Ok(Some(job.id))
    }

    /// At startup, before any worker runs: marks batches a stopped process left
    /// `checking` failed (their check job reads the file again into a new batch), and
    /// resumes each job it left `running` (queued again with a note) or, once started
    /// [`MAX_ATTEMPTS`] times, fails it with the reason. None is left `running`.
    pub fn recover_jobs(&self) -> Result<Vec<Recovered>, EngineError> {
        let store = self.store();
        for mut batch in store.batches().list()? {
            if batch.status == BatchStatus::Checking {
                batch.status = BatchStatus::Failed;
                batch.error = Some(
                    "the server stopped while this file was being checked; its check job reads the file again into a new batch".into(),
                );
                store.batches().update(&batch)?;
            }
        }
        let mut report = Vec::new();
        for job in store.jobs().running()? {
            let outcome = if job.attempts >= MAX_ATTEMPTS {
                let reason = format!(
                    "the server stopped while this job ran, {} times; it is not started again",
                    job.attempts
                );
                store
                    .jobs()
                    .finish(job.id, JobState::Failed, None, Some(&reason))?;
                RecoveredAs::Failed { reason }
            } else {
                let note = format!(
                    "resumed: the server stopped while attempt {} ran; {}",
                    job.attempts,
                    match job.kind.as_str() {
                        "commit" => "rows already imported stay imported, the rest continues",
                        "check" => "the saved upload is read again into a new batch",
                        _ => "the job starts again from the beginning",
                    }
                );
                store.jobs().requeue(job.id, &note)?;
                RecoveredAs::Resumed { note }
            };
            report.push(Recovered {
                job: job.id,
                kind: job.kind,
                outcome,
            });
        }
        Ok(report)
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
