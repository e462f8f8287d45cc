/// Receives progress of long work; the CLI draws a bar, the job runner stores it.
pub trait Progress: Sync {
    /// Sets the expected amount of work, in `unit`s (`rows`, `bytes`).
    fn start(&self, _total: Option<u64>, _unit: &'static str) {}
    /// Reports the work done so far.
    fn update(&self, _done: u64) {}
    fn finish(&self) {}
}

/// Progress that nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {}
