//! What every handler shares.

use std::path::PathBuf;
use std::sync::Arc;

use custio_engine::Engine;
use tokio::sync::Notify;

use crate::auth::Throttle;
use crate::error::ApiError;

/// The application state: the engine (synchronous, called on blocking threads), where
/// files go, and the process-wide helpers.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub data_dir: PathBuf,
    /// Cookies get `Secure` unless the server listens on loopback over plain HTTP.
    pub secure_cookies: bool,
    pub throttle: Arc<Throttle>,
    /// Wakes the job workers when a job is queued.
    pub wake: Arc<Notify>,
    pub templates: Arc<minijinja::Environment<'static>>,
}

impl AppState {
    pub fn new(engine: Arc<Engine>, data_dir: PathBuf, secure_cookies: bool) -> Self {
        Self {
            engine,
            data_dir,
            secure_cookies,
            throttle: Arc::new(Throttle::default()),
            wake: Arc::new(Notify::new()),
            templates: Arc::new(crate::templates::environment()),
        }
    }

    /// Runs synchronous engine or store work on a blocking thread.
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
}
