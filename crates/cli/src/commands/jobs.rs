//! `custio worker`, job workers without the web server, and `custio jobs`, the queue as
//! the command line shows it. What a job does and how workers share the queue is the
//! engine's (`custio_engine::jobs`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use custio_engine::Engine;
use custio_engine::jobs::{DataDir, JobSignal, worker_id};
use custio_engine::records::Job;

use crate::Outcome;
use crate::args::{JobsCommand, WorkerArgs};

/// How long an idle worker waits before it looks at the queue again: other processes
/// queue the jobs, and nothing wakes this one.
const POLL: Duration = Duration::from_millis(500);

pub fn work(db: &str, args: WorkerArgs) -> anyhow::Result<Outcome> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let engine = Engine::open(db)
        .with_context(|| format!("opening the database {}", Engine::shown_url(db)))?
        .with_job_lease(Duration::from_secs(args.jobs.lease_seconds))
        .with_shared_checks_from(Some(args.jobs.share_checks_from_mb << 20))
        .with_private_sources(args.jobs.allow_private_sources);
    let engine = Arc::new(engine);
    let files = DataDir::create(&args.data_dir)
        .with_context(|| format!("opening the data directory {}", args.data_dir.display()))?;
    // No recovery at start: a worker may run on another machine than the processes
    // whose jobs it would judge; a job whose worker died is taken over when its lease
    // passes, by whichever worker looks first.
    outln!(
        "custio worker {} runs {} job(s) at a time; stop it with Ctrl-C or SIGTERM",
        worker_id(),
        args.concurrency
    );
    let metrics = match args.metrics {
        Some(addr) => {
            let listener = std::net::TcpListener::bind(addr)
                .with_context(|| format!("listening on {addr} for --metrics"))?;
            outln!(
                "metrics at http://{}/api/v1/metrics",
                listener.local_addr()?
            );
            Some(listener)
        }
        None => None,
    };
    std::io::Write::flush(&mut std::io::stdout())?;
    let signal = Arc::new(JobSignal::new());
    // Waits for Ctrl-C or SIGTERM (serving the metrics meanwhile), then stops the workers.
    let stopper = {
        let (signal, engine) = (signal.clone(), engine.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    match metrics {
                        Some(listener) => {
                            let served = custio_web::metrics::serve_worker_metrics(
                                engine,
                                listener,
                                super::serve::shutdown(),
                            );
                            if let Err(e) = served.await {
                                eprintln!("error: metrics: {e}");
                            }
                        }
                        None => super::serve::shutdown().await,
                    }
                });
            }
            signal.stop();
        })
    };
    let workers: Vec<_> = (0..args.concurrency)
        .map(|n| {
            let (engine, files, signal) = (engine.clone(), files.clone(), signal.clone());
            std::thread::Builder::new()
                .name(format!("custio-worker-{n}"))
                .spawn(move || engine.work(&files, &signal, POLL))
        })
        .collect::<Result<_, _>>()?;
    for worker in workers {
        let _ = worker.join();
    }
    let _ = stopper.join();
    outln!("custio worker {} stopped", worker_id());
    Ok(Outcome::Done)
}

pub fn run(engine: &Engine, cmd: JobsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        JobsCommand::List { limit, json } => {
            let jobs = engine.jobs(limit)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&jobs)?);
            } else {
                for job in &jobs {
                    outln!("{}", line(job));
                }
            }
        }
        JobsCommand::Show { id, json } => {
            let job = engine.job(id)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&job)?);
            } else {
                outln!("{}", line(&job));
                for (label, text) in [("note", &job.note), ("error", &job.error)] {
                    if let Some(text) = text {
                        outln!("  {label}: {text}");
                    }
                }
                if let Some(result) = &job.result {
                    outln!("  result: {result}");
                }
            }
        }
    }
    Ok(Outcome::Done)
}

/// One job on a line: id, kind, state, progress, attempts and worker.
fn line(job: &Job) -> String {
    let total = job.total.map(|t| format!("/{t}")).unwrap_or_default();
    let worker = job
        .worker
        .as_deref()
        .map(|w| format!(", worker {w}"))
        .unwrap_or_default();
    format!(
        "{:>6}  {:<7} {:<9} {}{total}  (attempt {}{worker})",
        job.id,
        job.kind,
        job.state.as_str(),
        job.done,
        job.attempts
    )
}

/// Prints a queued job: its id (the only line, for scripts) or as JSON.
pub fn print_queued(job: &Job, json: bool) -> anyhow::Result<()> {
    if json {
        outln!("{}", serde_json::to_string_pretty(job)?);
    } else {
        outln!("queued job {} ({})", job.id, job.kind);
    }
    Ok(())
}
