//! The queue's figures in Prometheus' text format (`GET /api/v1/metrics` on the server,
//! `custio worker --metrics ADDR` on a worker): queue depth by kind and state, restarts,
//! expired leases, job run times, and what this process's workers did.

use std::fmt::Write;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use custio_engine::Engine;
use custio_engine::jobs::QueueMetrics;

/// The media type of Prometheus' text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A label value as the text format writes it.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Renders the figures.
pub fn render(metrics: &QueueMetrics) -> String {
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str, samples: &[(String, String)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let queue = &metrics.queue;
    family(
        "custio_jobs",
        "gauge",
        "Jobs by kind and state (queued: the queue's depth).",
        &queue
            .by_state
            .iter()
            .map(|(kind, state, n)| {
                (
                    format!("{{kind=\"{}\",state=\"{}\"}}", label(kind), state.as_str()),
                    n.to_string(),
                )
            })
            .collect::<Vec<_>>(),
    );
    family(
        "custio_job_restarts_total",
        "counter",
        "Starts beyond each job's first: jobs resumed after their worker stopped.",
        &[(String::new(), queue.restarts.to_string())],
    );
    family(
        "custio_job_leases_expired",
        "gauge",
        "Running jobs whose worker's lease has passed and that no worker took over yet.",
        &[(String::new(), queue.expired.to_string())],
    );
    let by_kind = |value: &dyn Fn(&custio_engine::records::JobDurations) -> String| {
        queue
            .durations
            .iter()
            .map(|d| (format!("{{kind=\"{}\"}}", label(&d.kind)), value(d)))
            .collect::<Vec<_>>()
    };
    family(
        "custio_job_duration_seconds_sum",
        "counter",
        "Run time of the finished jobs of each kind, in all.",
        &by_kind(&|d| d.seconds.to_string()),
    );
    family(
        "custio_job_duration_seconds_count",
        "counter",
        "Finished jobs of each kind.",
        &by_kind(&|d| d.count.to_string()),
    );
    family(
        "custio_job_duration_seconds_max",
        "gauge",
        "The longest run time of a finished job of each kind.",
        &by_kind(&|d| d.max_seconds.to_string()),
    );
    let worker = format!("{{worker=\"{}\"}}", label(metrics.worker));
    family(
        "custio_worker_jobs_run_total",
        "counter",
        "Jobs this process's workers ran to an end since it started.",
        &[(worker.clone(), metrics.ran.to_string())],
    );
    family(
        "custio_worker_lease_expiries_total",
        "counter",
        "Jobs whose worker's lease had passed that this process gave back to the queue.",
        &[(worker, metrics.lease_expiries.to_string())],
    );
    out
}

/// Serves `GET /api/v1/metrics` alone on `listener`, for a `custio worker` (which has no
/// panel or API): without a login, so bind it to an address only the monitoring reaches.
/// Runs until `shutdown` ends.
pub async fn serve_worker_metrics(
    engine: Arc<Engine>,
    listener: std::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new().route(
        "/api/v1/metrics",
        get(move || {
            let engine = engine.clone();
            async move {
                match tokio::task::spawn_blocking(move || engine.queue_metrics()).await {
                    Ok(Ok(figures)) => {
                        ([(header::CONTENT_TYPE, CONTENT_TYPE)], render(&figures)).into_response()
                    }
                    Ok(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
                    Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
                }
            }
        }),
    );
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
