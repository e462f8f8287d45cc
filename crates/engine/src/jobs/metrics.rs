//! The queue in figures for monitoring: the store's view (jobs by kind and state,
//! restarts, expired leases, run times) and this process's own (its worker id, the jobs it
//! ran and took over).

use std::sync::atomic::{AtomicU64, Ordering};

use custio_store::JobStats;

use super::worker_id;
use crate::{Engine, EngineError};

/// What this process's workers did since it started.
#[derive(Debug, Default)]
pub(crate) struct WorkerCounters {
    /// Jobs its workers ran to an end.
    pub(crate) ran: AtomicU64,
    /// Jobs whose lease had passed that it gave back to the queue (or failed).
    pub(crate) lease_expiries: AtomicU64,
}

impl WorkerCounters {
    pub(crate) fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The queue's figures, as `GET /api/v1/metrics` shows them.
#[derive(Clone, Debug)]
pub struct QueueMetrics {
    /// The whole queue, as the store keeps it (shared by every process).
    pub queue: JobStats,
    /// This process as a worker (`host:pid`).
    pub worker: &'static str,
    /// Jobs this process's workers ran to an end.
    pub ran: u64,
    /// Jobs whose lease had passed that this process gave back to the queue (or failed).
    pub lease_expiries: u64,
}

impl Engine {
    /// The queue's figures and this process's.
    pub fn queue_metrics(&self) -> Result<QueueMetrics, EngineError> {
        Ok(QueueMetrics {
            queue: self.store().jobs().stats()?,
            worker: worker_id(),
            ran: self.workers.ran.load(Ordering::Relaxed),
            lease_expiries: self.workers.lease_expiries.load(Ordering::Relaxed),
        })
    }
}
