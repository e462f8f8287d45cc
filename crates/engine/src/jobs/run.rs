//! The runner: what each kind of job does, with its progress stored as it goes.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use custio_store::{BatchStatus, RowCounts, Store};
use serde::Serialize;

use super::{DataDir, JobError, JobSpec, write_options};
use crate::{Engine, EngineError, Progress};

/// What a job produced; stored as the job's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum JobOutput {
    /// The batch a check opened, its state and row counts.
    Check {
        batch: i64,
        status: BatchStatus,
        counts: RowCounts,
    },
    /// The rows a helper of a shared check checked.
    Helped { batch: i64, rows: u64 },
    /// The committed batch's row counts.
    Commit { batch: i64, counts: RowCounts },
    /// How many customers an export wrote, and its file's name under `exports/`.
    Export { customers: u64, file: String },
    /// A migration's fetch: where it stands now.
    Migrate {
        migration: i64,
        status: crate::migrations::MigrationStatus,
        customers: u64,
    },
}

/// The setting that names a batch's uploaded file (a mapping checks it again).
pub(crate) fn upload_key(batch: i64) -> String {
    format!("upload_of_batch:{batch}")
}

impl Engine {
    /// Runs a job spec in the foreground, outside the queue (the CLI, with its progress
    /// bar): the same code a worker runs. An export's file gets a unique name under
    /// `exports/`.
    pub fn run_spec(
        &self,
        spec: &JobSpec,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<JobOutput, JobError> {
        self.execute(None, spec, files, progress)
    }

    /// Runs the spec of job `job` (`None`: a run outside the queue).
    pub(super) fn execute(
        &self,
        job: Option<i64>,
        spec: &JobSpec,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<JobOutput, JobError> {
        match spec {
            JobSpec::Check {
                upload,
                source,
                dialect,
                options,
                replaces,
            } => {
                let path = files.upload_path(upload)?;
                let file = File::open(&path).map_err(JobError::UploadGone)?;
                let mut input: Box<dyn Read> = Box::new(BufReader::new(file));
                let mut options = options.clone();
                let dialect = match dialect {
                    super::DialectChoice::Named(id) => id.clone(),
                    super::DialectChoice::Detect => {
                        let (found, whole) =
                            custio_formats::detect(input).map_err(JobError::Undetected)?;
                        input = whole;
                        options.has_header = options.has_header.or(found.has_header);
                        found.dialect.id().to_string()
                    }
                };
                let big = std::fs::metadata(&path).map_or(0, |m| m.len());
                let invite = |batch| self.invite_helper(batch, upload);
                let reopen = || -> Result<Box<dyn Read>, EngineError> {
                    let file = File::open(&path).map_err(|e| EngineError::Format(e.into()))?;
                    Ok(Box::new(BufReader::new(file)))
                };
                let sharing = crate::check::Sharing {
                    invite: &invite,
                    reopen: &reopen,
                    patience: 2 * self.job_lease,
                };
                // Only a queued job is shared (a run in the foreground has no helpers).
                let shared =
                    job.is_some() && self.share_checks_from.is_some_and(|from| big >= from);
                let reading = crate::check::Reading {
                    dialect: Self::dialect(&dialect)?,
                    options: &options,
                    mode: crate::pipeline::Mode::Stage,
                    sharing: shared.then_some(&sharing),
                };
                let report = crate::check::read(self.store(), &reading, input, source, progress)?;
                // The upload is read again only to apply a mapping; otherwise the buffer
                // holds what is needed, and the file (which may hold plain passwords) goes.
                let catalog = self.store().catalog();
                if report.status == BatchStatus::NeedsMapping {
                    catalog.put_setting(&upload_key(report.batch), Some(upload))
                } else {
                    crate::retention::remove(&files.upload_path(upload)?)?;
                    catalog.put_setting(&upload_key(report.batch), None)
                }
                .map_err(EngineError::from)?;
                if let Some(old) = replaces
                    && let Ok(mut batch) = self.batch(*old)
                {
                    if report.status != BatchStatus::NeedsMapping {
                        catalog
                            .put_setting(&upload_key(*old), None)
                            .map_err(EngineError::from)?;
                    }
                    batch.status = BatchStatus::Failed;
                    batch.error = Some(format!(
                        "replaced by batch {} (checked again with the column mapping)",
                        report.batch
                    ));
                    self.store()
                        .batches()
                        .update(&batch)
                        .map_err(EngineError::from)?;
                }
                Ok(JobOutput::Check {
                    batch: report.batch,
                    status: report.status,
                    counts: report.counts,
                })
            }
            JobSpec::HelpCheck { batch, upload } => Ok(JobOutput::Helped {
                batch: *batch,
                rows: self.help_check(*batch, upload, files, progress)?,
            }),
            JobSpec::Commit { batch, lines } => {
                let counts = self.commit(*batch, lines.clone(), progress)?;
                Ok(JobOutput::Commit {
                    batch: *batch,
                    counts,
                })
            }
            JobSpec::Migrate { migration } => {
                let view = self.run_migration(*migration, files, progress)?;
                Ok(JobOutput::Migrate {
                    migration: view.id,
                    status: view.status,
                    customers: view.customers,
                })
            }
            JobSpec::Export { request, actor, .. } => {
                let options = write_options(request)?;
                let name = DataDir::export_file_name(job, &request.dialect);
                let path = files.exports().join(&name);
                let partial = path.with_extension("partial");
                let file = super::files::private_file(&partial).map_err(JobError::ExportFile)?;
                let customers = self.export(
                    &request.dialect,
                    options,
                    &request.query,
                    Box::new(BufWriter::new(file)),
                    actor,
                    progress,
                )?;
                std::fs::rename(&partial, &path).map_err(JobError::ExportFile)?;
                Ok(JobOutput::Export {
                    customers,
                    file: name,
                })
            }
        }
    }

    /// A helper's part of the shared check of `batch`: nothing once the batch is no
    /// longer being checked (its lead finished, and may have removed the upload).
    fn help_check(
        &self,
        batch: i64,
        upload: &str,
        files: &DataDir,
        progress: &dyn Progress,
    ) -> Result<u64, JobError> {
        let checking = || -> Result<Option<custio_store::Batch>, EngineError> {
            let batch = self.batch(batch)?;
            Ok((batch.status == BatchStatus::Checking).then_some(batch))
        };
        let Some(open) = checking()? else {
            return Ok(0);
        };
        let file = match File::open(files.upload_path(upload)?) {
            Ok(file) => file,
            Err(_) if checking()?.is_none() => return Ok(0),
            Err(e) => return Err(JobError::UploadGone(e)),
        };
        let invite = || self.invite_helper(batch, upload);
        let input = Box::new(BufReader::new(file));
        Ok(crate::check::help(
            self.store(),
            &open,
            input,
            &invite,
            progress,
        )?)
    }

    /// Queues a job asking one more worker to help with the shared check of `batch`.
    fn invite_helper(&self, batch: i64, upload: &str) -> Result<(), EngineError> {
        let upload = upload.to_string();
        self.enqueue(&JobSpec::HelpCheck { batch, upload }, "custio")
            .map(drop)
    }
}

/// Stores a running job's progress, at most a few times a second, and always its last.
pub(super) struct JobProgress<'a> {
    store: &'a dyn Store,
    id: i64,
    started: Instant,
    state: Mutex<Reported>,
}

/// What a job's progress has said so far.
struct Reported {
    total: Option<u64>,
    done: u64,
    stored_at: Instant,
}

impl<'a> JobProgress<'a> {
    pub(super) fn new(store: &'a dyn Store, id: i64) -> Self {
        Self {
            store,
            id,
            started: Instant::now(),
            state: Mutex::new(Reported {
                total: None,
                done: 0,
                stored_at: Instant::now() - Duration::from_secs(1),
            }),
        }
    }

    fn write(&self, done: Option<u64>, force: bool) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(done) = done {
            state.done = done;
        }
        if !force && state.stored_at.elapsed() < Duration::from_millis(250) {
            return;
        }
        state.stored_at = Instant::now();
        let secs = self.started.elapsed().as_secs_f64();
        let rate = (secs > 0.0).then(|| state.done as f64 / secs);
        if let Err(e) = self
            .store
            .jobs()
            .progress(self.id, state.done, state.total, rate)
        {
            tracing::warn!("job {} progress: {e}", self.id);
        }
    }
}

impl Progress for JobProgress<'_> {
    fn start(&self, total: Option<u64>, _unit: &'static str) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).total = total;
        self.write(Some(0), true);
    }

    fn update(&self, done: u64) {
        self.write(Some(done), false);
    }

    fn finish(&self) {
        self.write(None, true);
    }
}
