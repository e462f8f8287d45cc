//! The in-process job workers and the job as the API and the panel show it. What a job
//! does, how it is queued, run and recovered is the engine's (`custio_engine::jobs`); the
//! server only gives the workers threads and wakes them when it queues a job.

use std::time::Duration;

use custio_engine::records::Job;
use custio_engine::{Caller, Engine};

use crate::state::AppState;

/// How long an idle worker waits before it looks at the queue again (jobs queued by
/// another process are found this way).
pub const POLL: Duration = Duration::from_secs(2);

/// Starts `count` workers, each on a blocking thread of its own. They run until the
/// returned guard is dropped.
pub fn spawn_workers(state: &AppState, count: usize) -> Workers {
    for _ in 0..count.max(1) {
        let engine = state.engine.clone();
        let files = state.files.clone();
        let signal = state.jobs.clone();
        tokio::task::spawn_blocking(move || engine.work(&files, &signal, POLL));
    }
    Workers(state.clone())
}

/// Stops the workers when dropped (a job that runs finishes first).
pub struct Workers(AppState);

impl Drop for Workers {
    fn drop(&mut self) {
        self.0.jobs.stop();
    }
}

/// A job as the API shows it: the stored job, its percentage, and where an export's
/// file is downloaded (when `caller` may download it).
pub fn job_json(job: &Job, caller: &Caller) -> serde_json::Value {
    let percent = job
        .total
        .filter(|t| *t > 0)
        .map(|t| ((job.done as f64 / t as f64) * 100.0).min(100.0).round());
    let mut v = serde_json::to_value(job).unwrap_or_default();
    v["percent"] = serde_json::json!(percent);
    if job.kind == "export"
        && Engine::export_access(job, caller).is_ok()
        && let Some(result) = v["result"].as_object_mut()
        && result.contains_key("file")
    {
        result.insert(
            "download".into(),
            serde_json::json!(format!("/api/v1/jobs/{}/download", job.id)),
        );
    }
    v
}
