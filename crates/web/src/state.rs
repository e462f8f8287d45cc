//! What every handler shares.

use std::sync::Arc;

use axum::http::HeaderName;
use custio_engine::jobs::{DataDir, JobSignal};
use custio_engine::records::Job;
use custio_engine::{Engine, EngineError};

use crate::error::ApiError;

/// The application state: the engine (synchronous, called on blocking threads), where
/// files go, and the process-wide helpers.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    /// Uploads and export files.
    pub files: DataDir,
    /// Cookies get `Secure` unless the server listens on loopback over plain HTTP.
    pub secure_cookies: bool,
    /// Wakes the job workers when a job is queued (and stops them with the server).
    pub jobs: Arc<JobSignal>,
    pub templates: Arc<minijinja::Environment<'static>>,
    /// The largest upload taken, in bytes.
    pub max_upload: u64,
    /// The header a trusted reverse proxy puts the client's address in
    /// (`X-Forwarded-For`); `None`: the socket's peer is the client, and no header is
    /// believed.
    pub client_header: Option<HeaderName>,
}

impl AppState {
    /// The state of a server with the default limits: uploads up to
    /// [`crate::DEFAULT_MAX_UPLOAD`], no trusted proxy.
    pub fn new(engine: Arc<Engine>, files: DataDir, secure_cookies: bool) -> Self {
        Self {
            engine,
            files,
            secure_cookies,
            jobs: Arc::new(JobSignal::new()),
            templates: Arc::new(crate::templates::environment()),
            max_upload: crate::DEFAULT_MAX_UPLOAD,
            client_header: None,
        }
    }

    /// Runs synchronous engine work on a blocking thread.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || work(&engine))
            .await
            .map_err(|e| ApiError::internal(format!("a worker thread failed: {e}")))?
    }

    /// Runs an engine use case that queues a job, then wakes a worker for it.
    pub async fn queue<F>(&self, start: F) -> Result<Job, ApiError>
    where
        F: FnOnce(&Engine) -> Result<Job, EngineError> + Send + 'static,
    {
        let job = self.blocking(move |engine| Ok(start(engine)?)).await?;
        self.jobs.notify();
        Ok(job)
    }
}
