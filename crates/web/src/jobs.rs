//! The in-process job workers and the job as the API and the panel show it. What a job
//! does, how it is queued, run and recovered is the engine's (`custio_engine::jobs`); the
//! server only gives the workers threads and wakes them when it queues a job.

use std::time::Duration;

use crate::state::AppState;

/// How long an idle worker waits before it looks at the queue again (jobs queued by
/// another process are found this way).
pub const POLL: Duration = Duration::from_secs(2);

/// How far below the request threads the workers run (a nice value): a long import
/// takes the cores the requests leave, so the panel stays quick while it runs.
const WORKER_NICE: i32 = 10;

/// Starts `count` workers, each on a thread of its own that runs below the request
/// threads' priority. They run until the returned guard is dropped.
pub fn spawn_workers(state: &AppState, count: usize) -> Workers {
    let threads = (0..count.max(1))
        .filter_map(|n| {
            let engine = state.engine.clone();
            let files = state.files.clone();
            let signal = state.jobs.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("custio-worker-{n}"))
                .spawn(move || {
                    below_requests();
                    engine.work(&files, &signal, POLL)
                });
            spawned
                .map_err(|e| tracing::error!("could not start job worker {n}: {e}"))
                .ok()
        })
        .collect();
    Workers {
        state: state.clone(),
        threads,
    }
}

/// Lowers the calling thread's priority to [`WORKER_NICE`] (threads it starts, such as
/// an import's pipeline stages, inherit it).
fn below_requests() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority only reads its integer arguments; `0` is the calling thread
        // on Linux, where the nice value is a thread's own.
        let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, WORKER_NICE) } != 0;
        if failed {
            tracing::warn!(
                "job worker: could not lower its priority: {}",
                std::io::Error::last_os_error()
            );
        }
    }
}

/// Stops the workers when dropped, after the jobs that run have finished.
pub struct Workers {
    state: AppState,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.state.jobs.stop();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
