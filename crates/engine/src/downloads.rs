//! Downloads of personal data: who may download a file is decided by what it holds, and
//! every download is written to the audit log (who, which job or batch, which file).
//!
//! - An export job's file is its owner's and the admins'; a file with password hashes is
//!   the admins' only, whoever asked for it.
//! - A batch's rejected rows are every user's (any user sees a batch's rows in the
//!   panel), and their download is audited all the same.

use custio_store::{Batch, BatchStatus, Job};

use crate::jobs::{DataDir, ExportFile, JobSpec};
use crate::{Caller, Denied, Engine, EngineError};

impl Engine {
    /// Whether `caller` may download the file of export job `job` (when it has one): an
    /// admin may; another user only a file of its own without password hashes (an export
    /// whose payload does not read is the admins'). A job of another kind has no file to
    /// deny.
    pub fn export_access(job: &Job, caller: &Caller) -> Result<(), Denied> {
        if caller.admin || job.kind != "export" {
            return Ok(());
        }
        match JobSpec::of_job(job) {
            Ok(JobSpec::Export { request, .. }) if request.with_password_hashes => {
                Err(Denied::PasswordHashes)
            }
            Ok(JobSpec::Export { owner, .. }) if owner == Some(caller.user) => Ok(()),
            _ => Err(Denied::OthersFile { job: job.id }),
        }
    }

    /// The file of the succeeded export job `job`, for `caller` to download, if it may
    /// ([`Engine::export_access`]); the download is written to the audit log under the
    /// caller's actor (`export_downloaded`, or `export_with_password_hashes_downloaded`,
    /// with the job and the file's name).
    pub fn download_export(
        &self,
        job: i64,
        caller: &Caller,
        files: &DataDir,
    ) -> Result<ExportFile, EngineError> {
        let found = self.job(job)?;
        Self::export_access(&found, caller).map_err(EngineError::Denied)?;
        let file = self.export_file(job, files)?;
        let hashes = matches!(
            JobSpec::of_job(&found),
            Ok(JobSpec::Export { request, .. }) if request.with_password_hashes
        );
        let action = if hashes {
            "export_with_password_hashes_downloaded"
        } else {
            "export_downloaded"
        };
        self.record(
            &caller.actor,
            action,
            format!("job {job}, file {}", file.name),
        )?;
        Ok(file)
    }

    /// The batch whose rejected rows `caller` downloads (written by
    /// [`Engine::write_rejected`]); the download is written to the audit log
    /// (`rejected_downloaded`, with the batch).
    pub fn download_rejected(&self, batch: i64, caller: &Caller) -> Result<Batch, EngineError> {
        let found = self.batch(batch)?;
        // What could stop the file once it is sent is found out now, while the answer can
        // still be an error: a batch whose file was never read has no rows to give.
        if found.status == BatchStatus::Failed {
            return Err(EngineError::NotAllowed(format!(
                "batch {batch} could not be read, so no row of it was kept: {}",
                found.error.as_deref().unwrap_or("see its error")
            )));
        }
        crate::check::batch_parser(&found)?;
        self.record(
            &caller.actor,
            "rejected_downloaded",
            format!("batch {batch}"),
        )?;
        Ok(found)
    }
}
