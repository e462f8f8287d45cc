//! custio's web service: one axum process with the server-rendered panel, the REST API
//! (`/api/v1`, OpenAPI document at `/api/v1/openapi.json`), accounts and the in-process
//! job workers.
//!
//! [`Server::bind`] opens the engine, has it recover jobs a previous process left running,
//! prints nothing itself and returns the bound address and, on a fresh store, the one-time
//! setup link; [`Server::run`] serves until the future is dropped or a signal arrives.
//!
//! The web is an adapter: every operation is a use case of `custio_engine::Engine`, called
//! on a blocking thread; this crate does HTTP (routing, cookies, CSRF, login throttling,
//! uploads streamed to disk, downloads streamed out), rendering and translation.
//!
//! Layers, as in zero2prod: [`state`] (what every handler shares), [`auth`] (cookies,
//! bearer tokens, CSRF, throttling), [`jobs`] (the worker threads), [`api`] and [`panel`]
//! (the two faces over the same engine calls), [`error`] (one table of error codes).

pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod panel;
pub mod responses;
pub mod state;
mod templates;
pub mod views;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use custio_engine::Engine;
use custio_engine::jobs::DataDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::AppState;

/// How to run the service.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on (`127.0.0.1:8080`; port 0 picks a free one).
    pub bind: SocketAddr,
    /// Database URL (`sqlite://custio.db`, `postgres://USER@HOST/DB[?schema=NAME]`).
    pub db: String,
    /// Where uploads and export files are kept.
    pub data_dir: PathBuf,
    /// Job workers in this process.
    pub workers: usize,
    /// The address people open, when it is not `http://<bind>` (behind a proxy).
    pub public_url: Option<String>,
    /// Days a committed batch keeps its buffer of rows, and uploads and export files are
    /// kept; 0 keeps them for ever.
    pub retention_days: u32,
    /// The largest upload taken, in bytes ([`DEFAULT_MAX_UPLOAD`]); a larger one is
    /// refused with 413 while it streams in, and not kept.
    pub max_upload: u64,
    /// The header a trusted reverse proxy puts the client's address in
    /// (`X-Forwarded-For`, `X-Real-IP`); `None` (the default): the socket's peer is the
    /// client and no such header is believed. Logins are throttled by this address.
    pub trusted_proxy_header: Option<String>,
    /// How long a worker's claim on a job holds without a renewal: a job whose worker
    /// died is taken over after this long.
    pub job_lease: std::time::Duration,
    /// From what size (bytes) a queued check is shared with the other idle workers
    /// (`None`: never).
    pub share_checks_from: Option<u64>,
    /// Whether migrations may call shops on private and loopback addresses.
    pub allow_private_sources: bool,
}

/// The default upload limit: 1 GiB.
pub const DEFAULT_MAX_UPLOAD: u64 = 1024 * 1024 * 1024;

/// The largest body of any other request (forms, JSON): uploads have their own limit.
const MAX_FORM_BODY: usize = 16 * 1024 * 1024;

impl Config {
    /// A configuration with the defaults of `custio serve`: two workers, 30 days'
    /// retention, uploads up to 1 GiB, no trusted proxy.
    pub fn new(bind: SocketAddr, db: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind,
            db: db.into(),
            data_dir: data_dir.into(),
            workers: 2,
            public_url: None,
            retention_days: 30,
            max_upload: DEFAULT_MAX_UPLOAD,
            trusted_proxy_header: None,
            job_lease: custio_engine::jobs::DEFAULT_LEASE,
            share_checks_from: Some(custio_engine::SHARE_CHECKS_FROM),
            allow_private_sources: false,
        }
    }
}

/// A bound, ready server.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: AppState,
    /// The address the server listens on.
    pub addr: SocketAddr,
    /// The base URL to open.
    pub url: String,
    /// On a store without users: the one-time link that creates the first admin.
    pub setup_link: Option<String>,
    /// What startup did with jobs a stopped server left running.
    pub recovered: Vec<String>,
    /// The job workers; they stop when the server does.
    workers: jobs::Workers,
}

impl Server {
    /// Opens the engine, recovers interrupted jobs, starts the workers and binds the
    /// listener.
    pub async fn bind(config: Config) -> anyhow::Result<Server> {
        let client_header = config
            .trusted_proxy_header
            .as_deref()
            .map(|h| {
                HeaderName::try_from(h.trim()).map_err(|_| {
                    anyhow::anyhow!("'{h}' is not an HTTP header name (--trusted-proxy-header)")
                })
            })
            .transpose()?;
        let files = DataDir::create(&config.data_dir)?;
        let (db, lease, share, private) = (
            config.db.clone(),
            config.job_lease,
            config.share_checks_from,
            config.allow_private_sources,
        );
        let engine = tokio::task::spawn_blocking(move || {
            Engine::open(&db).map(|engine| {
                engine
                    .with_job_lease(lease)
                    .with_shared_checks_from(share)
                    .with_private_sources(private)
            })
        })
        .await??;
        let engine = Arc::new(engine);
        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let secure_cookies = !addr.ip().is_loopback() || url.starts_with("https://");
        let mut state = AppState::new(engine, files, secure_cookies);
        state.max_upload = config.max_upload;
        state.client_header = client_header;
        let recovered = state
            .blocking(|engine| Ok(engine.recover_jobs()?))
            .await?
            .iter()
            .map(ToString::to_string)
            .collect();
        let setup_link = state
            .blocking(|engine| Ok(engine.setup_token()?))
            .await?
            .map(|token| format!("{url}/setup?token={token}"));
        let workers = jobs::spawn_workers(&state, config.workers);
        if config.retention_days > 0 {
            tokio::spawn(sweep_daily(state.clone(), config.retention_days));
        }
        Ok(Server {
            listener,
            state,
            addr,
            url,
            setup_link,
            recovered,
            workers,
        })
    }

    /// The shared state (tests enqueue and inspect through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // The workers stop when serving ends, or when this future is dropped.
        let _workers = self.workers;
        let app = router(self.state);
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        Ok(())
    }
}

/// Deletes what is older than the retention (the buffers of committed batches, uploads,
/// export files: `Engine::sweep`), at start and then once a day.
async fn sweep_daily(state: AppState, days: u32) {
    let retention = std::time::Duration::from_secs(u64::from(days) * 24 * 3600);
    loop {
        let before = std::time::SystemTime::now()
            .checked_sub(retention)
            .unwrap_or(std::time::UNIX_EPOCH);
        let files = state.files.clone();
        match state
            .blocking(move |engine| Ok(engine.sweep(&files, before)?))
            .await
        {
            Ok(swept) if !swept.buffers.is_empty() || swept.files > 0 => {
                tracing::info!(
                    "retention: purged the buffers of {} committed batch(es), deleted {} file(s) ({} bytes)",
                    swept.buffers.len(),
                    swept.files,
                    swept.bytes
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("retention sweep: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
    }
}

/// The whole application: panel, API, static files and the layers every response gets.
pub fn router(state: AppState) -> Router {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    Router::new()
        .merge(panel::routes())
        .nest("/api/v1", api::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        // Error pages come out in English wherever they are made; this shows them in the
        // reader's language.
        .layer(axum::middleware::from_fn(panel::localize_errors))
        // Forms and JSON bodies are read whole: they stay small. Uploads stream to disk
        // under their own limit (the panel's form has room for its other fields).
        .layer(DefaultBodyLimit::max(MAX_FORM_BODY))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}
