//! The worker loop (claim, run, record), the signal that wakes and stops it, and the
//! recovery of jobs a stopped process left running.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use custio_store::{BatchStatus, Job, JobState, Lease};

use super::run::JobProgress;
use super::{DataDir, JobError, JobSpec, MAX_ATTEMPTS, WorkerCounters};
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

    /// Takes over the jobs whose worker stopped renewing its claim, then claims the
    /// oldest queued job, runs it (renewing the claim meanwhile) and records how it ended:
    /// `succeeded` with its [`JobOutput`](super::JobOutput), or `failed` with the reason
    /// (a payload that does not decode, a panic, the use case's error). Returns the job's
    /// id; `None` when the queue is empty.
    pub fn run_next_job(&self, files: &DataDir) -> Result<Option<i64>, EngineError> {
        for job in self.store().jobs().expired()? {
            if self.release(&job, "its worker")?.is_some() {
                WorkerCounters::count(&self.workers.lease_expiries);
            }
        }
        let lease = self.lease();
        let Some(job) = self.store().jobs().claim(&lease)? else {
            return Ok(None);
        };
        let progress = JobProgress::new(self.store(), job.id);
        let (id, attempt) = (job.id, job.attempts);
        let outcome = std::thread::scope(|scope| {
            let (done, finished) = channel::<()>();
            scope.spawn(move || {
                // Renews the claim three times a lease until the job ends.
                while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(self.job_lease / 3)
                {
                    match self.store().jobs().renew(id, attempt, &lease) {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!("job {id}: its claim was taken over");
                            break;
                        }
                        Err(e) => tracing::warn!("job {id}: the claim was not renewed: {e}"),
                    }
                }
            });
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let spec = JobSpec::of_job(&job)?;
                self.execute(Some(job.id), &spec, files, &progress)
            }))
            .unwrap_or_else(|panic| Err(JobError::Panicked(panic_text(panic.as_ref()))));
            drop(done);
            outcome
        });
        let (state, result, error) = match outcome {
            Ok(output) => {
                let result = serde_json::to_value(&output).expect("a job output serialises");
                (JobState::Succeeded, Some(result), None)
            }
            Err(e) => (JobState::Failed, None, Some(e.to_string())),
        };
        let recorded = self.store().jobs().finish(
            job.id,
            job.attempts,
            state,
            result.as_ref(),
            error.as_deref(),
        )?;
        WorkerCounters::count(&self.workers.ran);
        if !recorded {
            tracing::warn!(
                "job {}: attempt {} ended after another worker took the job over; its end is not recorded",
                job.id,
                job.attempts
            );
        }
        Ok(Some(job.id))
    }

    /// This process's claim on a job.
    fn lease(&self) -> Lease<'static> {
        Lease {
            worker: worker_id(),
            seconds: self.job_lease.as_secs().try_into().unwrap_or(u32::MAX),
        }
    }

    /// At startup, before any worker of this process runs: resumes each job whose worker
    /// is gone (a process of this machine that no longer exists, or a lease that passed)
    /// by queueing it again with a note, or, once started [`MAX_ATTEMPTS`] times, fails
    /// it with the reason; and marks failed the batches left `checking` when no live
    /// worker checks a file (their check job reads the file again into a new batch).
    /// Jobs that live workers of other processes run are left to them.
    pub fn recover_jobs(&self) -> Result<Vec<Recovered>, EngineError> {
        let store = self.store();
        let expired: Vec<i64> = store.jobs().expired()?.iter().map(|j| j.id).collect();
        let mut report = Vec::new();
        let mut live_checks = false;
        for job in store.jobs().running()? {
            let gone = expired.contains(&job.id)
                || job.worker.as_deref().is_none_or(is_gone_from_this_machine);
            if gone {
                report.extend(self.release(&job, "the server")?);
            } else if job.kind == "check" {
                live_checks = true;
            }
        }
        if !live_checks {
            for mut batch in store.batches().list()? {
                if batch.status == BatchStatus::Checking {
                    batch.status = BatchStatus::Failed;
                    batch.error = Some(
                        "the server stopped while this file was being checked; its check job reads the file again into a new batch".into(),
                    );
                    store.batches().update(&batch)?;
                }
            }
        }
        Ok(report)
    }

    /// Gives up the claim of a job whose worker (`who`: "the server", "its worker")
    /// stopped: queued again with a note, or failed after [`MAX_ATTEMPTS`] starts.
    /// `None` when another worker released or took it first.
    fn release(&self, job: &Job, who: &str) -> Result<Option<Recovered>, EngineError> {
        let jobs = self.store().jobs();
        let (released, outcome) = if job.attempts >= MAX_ATTEMPTS {
            let reason = format!(
                "{who} stopped while this job ran, {} times; it is not started again",
                job.attempts
            );
            let released =
                jobs.finish(job.id, job.attempts, JobState::Failed, None, Some(&reason))?;
            (released, RecoveredAs::Failed { reason })
        } else {
            let note = format!(
                "resumed: {who} stopped while attempt {} ran; {}",
                job.attempts,
                match job.kind.as_str() {
                    "commit" => "rows already imported stay imported, the rest continues",
                    "check" => "the saved upload is read again into a new batch",
                    _ => "the job starts again from the beginning",
                }
            );
            let released = jobs.requeue(job.id, job.attempts, &note)?;
            (released, RecoveredAs::Resumed { note })
        };
        if released {
            tracing::warn!("job {} ({}): {outcome:?}", job.id, job.kind);
        }
        Ok(released.then(|| Recovered {
            job: job.id,
            kind: job.kind.clone(),
            outcome,
        }))
    }
}

/// This process as a job worker: `host:pid`.
pub fn worker_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| format!("{}:{}", host_name(), std::process::id()))
}

/// The machine's name (the kernel's), or `localhost`.
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_string())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Whether `worker` (`host:pid`) was a process of this machine that no longer exists.
/// Another machine's worker is never known to be gone: its lease tells.
fn is_gone_from_this_machine(worker: &str) -> bool {
    let Some((host, pid)) = worker.rsplit_once(':') else {
        return false;
    };
    if host != host_name() || pid.parse::<u32>().is_err() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        !std::path::Path::new("/proc").join(pid).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
