//! Persisted jobs and the in-process workers that run them.
//!
//! Queue storage is the store's `jobs` table; processing is here, as Meilisearch keeps its
//! queue apart from its scheduler. A job is `queued`, then `running` (with progress
//! done/total and rows per second), then `succeeded` with a result or `failed` with the
//! reason. Input files are on disk before their job exists.
//!
//! At startup [`recover`] finds the jobs a stopped process left `running`: each is resumed
//! (queued again, with a note saying so) or, after [`MAX_ATTEMPTS`] starts, failed with the
//! reason. None is ever left `running`. Resuming is safe for every kind: a commit applies
//! only rows still pending (each chunk is atomic), a check reads its saved upload into a
//! fresh batch (the half-read batch is marked failed), an export rewrites its file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use custio_engine::formats::{ExportKind, WriteOptions};
use custio_engine::store::{BatchStatus, CustomerQuery, Job, JobState, NewJob, Store};
use custio_engine::{Engine, ImportOptions, Progress};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// How often a job may be started before a restart fails it instead of resuming it.
pub const MAX_ATTEMPTS: u32 = 3;

/// What a check job reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckPayload {
    /// The upload's file name under `<data dir>/uploads/`.
    pub upload: String,
    /// The file's name as the user gave it.
    pub source: String,
    pub dialect: String,
    #[serde(default)]
    pub options: ImportOptions,
    /// The batch this check replaces (one that needed a mapping).
    #[serde(default)]
    pub replaces: Option<i64>,
}

/// What a commit job commits.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CommitPayload {
    pub batch: i64,
    /// Only these lines; `None`: every pending row.
    #[serde(default)]
    pub lines: Option<Vec<u64>>,
}

/// What an export job writes.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ExportRequest {
    /// The dialect (`idosell`, `shoptet`, `upgates`, `cloudcart`, `iof`).
    #[serde(default = "default_dialect")]
    pub dialect: String,
    /// `full`, `view` (the chosen columns) or `legacy` (IdoSell's old export).
    #[serde(default = "default_kind")]
    pub kind: String,
    /// Columns of a `view` export; empty: the user's current view.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Which customers: every filter that is set must hold; `ids` is a selection.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub query: CustomerQuery,
    /// Output encoding (`utf-8`, `utf-8-bom`, `windows-1250`, `windows-1251`).
    #[serde(default)]
    pub encoding: Option<String>,
    /// Neutralise cells a spreadsheet would run as formulas (default on).
    #[serde(default = "yes")]
    pub excel_safe: bool,
    /// Include password hashes. Needs `confirm_password_hashes` too; audited.
    #[serde(default)]
    pub with_password_hashes: bool,
    /// The explicit confirmation that hashes may leave the system.
    #[serde(default)]
    pub confirm_password_hashes: bool,
}

/// The dialect name that asks the check job to detect the file's format.
pub const DETECT: &str = "auto";

fn default_dialect() -> String {
    "idosell".into()
}
fn default_kind() -> String {
    "full".into()
}
fn yes() -> bool {
    true
}

/// An export job's payload: the request and who asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportPayload {
    pub request: ExportRequest,
    pub actor: String,
}

/// Enqueues a job and wakes a worker.
pub async fn enqueue(
    state: &AppState,
    kind: &str,
    payload: serde_json::Value,
    created_by: String,
) -> Result<Job, ApiError> {
    let job = NewJob {
        kind: kind.to_string(),
        payload,
        created_by,
    };
    let job = state
        .blocking(move |engine| {
            let id = engine.store().create_job(&job)?;
            engine
                .store()
                .job(id)?
                .ok_or_else(|| ApiError::internal("a queued job is missing"))
        })
        .await?;
    state.wake.notify_one();
    Ok(job)
}

/// Resumes or fails the jobs a stopped process left running; returns what it did, one
/// line per job.
pub async fn recover(state: &AppState) -> Result<Vec<String>, ApiError> {
    state
        .blocking(|engine| {
            let store = engine.store();
            for mut batch in store.batches()? {
                if batch.status == BatchStatus::Checking {
                    batch.status = BatchStatus::Failed;
                    batch.error = Some(
                        "the server stopped while this file was being checked; its check job reads the file again into a new batch".into(),
                    );
                    store.update_batch(&batch)?;
                }
            }
            let mut report = Vec::new();
            for job in store.running_jobs()? {
                if job.attempts >= MAX_ATTEMPTS {
                    let reason = format!(
                        "the server stopped while this job ran, {} times; it is not started again",
                        job.attempts
                    );
                    store.finish_job(job.id, JobState::Failed, None, Some(&reason))?;
                    report.push(format!("job {} ({}) failed: {reason}", job.id, job.kind));
                } else {
                    let note = format!(
                        "resumed: the server stopped while attempt {} ran; {}",
                        job.attempts,
                        match job.kind.as_str() {
                            "commit" => "rows already imported stay imported, the rest continues",
                            "check" => "the saved upload is read again into a new batch",
                            _ => "the job starts again from the beginning",
                        }
                    );
                    store.requeue_job(job.id, &note)?;
                    report.push(format!("job {} ({}) {note}", job.id, job.kind));
                }
            }
            Ok(report)
        })
        .await
}

/// A worker: takes queued jobs one at a time and runs them on a blocking thread.
pub async fn worker(state: AppState) {
    loop {
        let claimed = state
            .blocking(|engine| Ok(engine.store().claim_job()?))
            .await;
        match claimed {
            Ok(Some(job)) => {
                let engine = state.engine.clone();
                let dir = state.data_dir.clone();
                let id = job.id;
                let outcome =
                    tokio::task::spawn_blocking(move || run_and_record(&engine, &dir, &job)).await;
                if let Err(e) = outcome {
                    let reason = format!("the job's thread failed: {e}");
                    let _ = state
                        .blocking(move |engine| {
                            Ok(engine.store().finish_job(
                                id,
                                JobState::Failed,
                                None,
                                Some(&reason),
                            )?)
                        })
                        .await;
                }
            }
            Ok(None) => {
                let _ = tokio::time::timeout(Duration::from_secs(2), state.wake.notified()).await;
            }
            Err(e) => {
                tracing::error!("job queue: {e}");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

fn run_and_record(engine: &Engine, dir: &Path, job: &Job) {
    let progress = JobProgress::new(engine.store(), job.id);
    let outcome = run(engine, dir, job, &progress);
    let store = engine.store();
    let recorded = match outcome {
        Ok(result) => store.finish_job(job.id, JobState::Succeeded, Some(&result), None),
        Err(reason) => store.finish_job(job.id, JobState::Failed, None, Some(&reason)),
    };
    if let Err(e) = recorded {
        tracing::error!("recording the end of job {}: {e}", job.id);
    }
}

/// The setting that names a batch's uploaded file (a mapping checks it again).
pub fn upload_key(batch: i64) -> String {
    format!("upload_of_batch:{batch}")
}

/// Where an upload is kept.
pub fn upload_path(dir: &Path, name: &str) -> PathBuf {
    dir.join("uploads").join(name)
}

/// Where an export job writes its file.
pub fn export_path(dir: &Path, job: i64, dialect: &str) -> PathBuf {
    let ext = if dialect == "iof" { "xml" } else { "csv" };
    dir.join("exports").join(format!("job-{job}.{ext}"))
}

/// Builds the writer options of an export request (also used to validate it early).
pub fn write_options(request: &ExportRequest) -> Result<WriteOptions, String> {
    Engine::dialect(&request.dialect).map_err(|e| e.to_string())?;
    let kind = match request.kind.as_str() {
        "full" => ExportKind::Full,
        "legacy" => ExportKind::Legacy,
        "view" if request.columns.is_empty() => {
            return Err("a view export needs columns".into());
        }
        "view" => ExportKind::View(request.columns.clone()),
        other => {
            return Err(format!(
                "'{other}' is not an export kind; use full, view or legacy"
            ));
        }
    };
    if request.with_password_hashes && !request.confirm_password_hashes {
        return Err(
            "an export with password hashes needs the explicit confirmation (confirm_password_hashes)"
                .into(),
        );
    }
    let encoding = request
        .encoding
        .as_deref()
        .filter(|e| !e.is_empty())
        .map(str::parse)
        .transpose()
        .map_err(|e: custio_engine::formats::FormatError| e.to_string())?;
    Ok(WriteOptions {
        kind,
        encoding,
        excel_safe: request.excel_safe,
        with_password_hashes: request.with_password_hashes,
        ..WriteOptions::default()
    })
}

fn run(
    engine: &Engine,
    dir: &Path,
    job: &Job,
    progress: &JobProgress,
) -> Result<serde_json::Value, String> {
    let bad_payload = |e: serde_json::Error| format!("the job's payload does not read: {e}");
    match job.kind.as_str() {
        "check" => {
            let p: CheckPayload =
                serde_json::from_value(job.payload.clone()).map_err(bad_payload)?;
            if p.upload.contains(['/', '\\']) || p.upload.starts_with('.') {
                return Err("the upload name is not valid".into());
            }
            let file = std::fs::File::open(upload_path(dir, &p.upload))
                .map_err(|e| format!("the uploaded file is gone: {e}"))?;
            let mut input: Box<dyn std::io::Read> = Box::new(std::io::BufReader::new(file));
            let mut dialect = p.dialect.clone();
            let mut options = p.options.clone();
            if dialect == DETECT {
                let (found, whole) = custio_engine::formats::detect(input)
                    .map_err(|e| format!("{e}; choose the format on the import page"))?;
                input = whole;
                dialect = found.dialect.id().to_string();
                options.has_header = options.has_header.or(found.has_header);
            }
            let report = engine
                .check(input, &p.source, &dialect, &options, progress)
                .map_err(|e| e.to_string())?;
            engine
                .store()
                .put_setting(&upload_key(report.batch), Some(&p.upload))
                .map_err(|e| e.to_string())?;
            if let Some(old) = p.replaces
                && let Ok(mut batch) = engine.batch(old)
            {
                batch.status = BatchStatus::Failed;
                batch.error = Some(format!(
                    "replaced by batch {} (checked again with the column mapping)",
                    report.batch
                ));
                engine
                    .store()
                    .update_batch(&batch)
                    .map_err(|e| e.to_string())?;
            }
            Ok(serde_json::json!({
                "batch": report.batch,
                "status": report.status,
                "counts": report.counts,
            }))
        }
        "commit" => {
            let p: CommitPayload =
                serde_json::from_value(job.payload.clone()).map_err(bad_payload)?;
            let counts = engine
                .commit(p.batch, p.lines, progress)
                .map_err(|e| e.to_string())?;
            Ok(serde_json::json!({ "batch": p.batch, "counts": counts }))
        }
        "export" => {
            let p: ExportPayload =
                serde_json::from_value(job.payload.clone()).map_err(bad_payload)?;
            let options = write_options(&p.request)?;
            let path = export_path(dir, job.id, &p.request.dialect);
            let partial = path.with_extension("partial");
            let file = std::fs::File::create(&partial)
                .map_err(|e| format!("cannot write the export file: {e}"))?;
            let written = engine
                .export(
                    &p.request.dialect,
                    options,
                    &p.request.query,
                    Box::new(std::io::BufWriter::new(file)),
                    &p.actor,
                    progress,
                )
                .map_err(|e| e.to_string())?;
            std::fs::rename(&partial, &path).map_err(|e| e.to_string())?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(serde_json::json!({
                "customers": written,
                "file": name,
                "download": format!("/api/v1/jobs/{}/download", job.id),
            }))
        }
        other => Err(format!("no worker runs jobs of kind '{other}'")),
    }
}

/// Stores a running job's progress, at most a few times a second.
struct JobProgress<'a> {
    store: &'a dyn Store,
    id: i64,
    started: Instant,
    inner: Mutex<(Option<u64>, Instant)>,
}

impl<'a> JobProgress<'a> {
    fn new(store: &'a dyn Store, id: i64) -> Self {
        Self {
            store,
            id,
            started: Instant::now(),
            inner: Mutex::new((None, Instant::now() - Duration::from_secs(1))),
        }
    }

    fn write(&self, done: u64, force: bool) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !force && inner.1.elapsed() < Duration::from_millis(250) {
            return;
        }
        inner.1 = Instant::now();
        let secs = self.started.elapsed().as_secs_f64();
        let rate = (secs > 0.0).then(|| done as f64 / secs);
        if let Err(e) = self.store.job_progress(self.id, done, inner.0, rate) {
            tracing::warn!("job {} progress: {e}", self.id);
        }
    }
}

impl Progress for JobProgress<'_> {
    fn start(&self, total: Option<u64>, _unit: &'static str) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).0 = total;
        self.write(0, true);
    }

    fn update(&self, done: u64) {
        self.write(done, false);
    }
}

/// A job as the API shows it.
pub fn job_json(job: &Job) -> serde_json::Value {
    let percent = job
        .total
        .filter(|t| *t > 0)
        .map(|t| ((job.done as f64 / t as f64) * 100.0).min(100.0).round());
    let mut v = serde_json::to_value(job).unwrap_or_default();
    v["percent"] = serde_json::json!(percent);
    v
}
