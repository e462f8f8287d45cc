//! The retention of what an import or export leaves behind: the buffers of committed
//! batches, the uploaded files, the export files and what a stopped job left half
//! written. [`Engine::sweep`] deletes what is older than the retention (the server runs
//! it daily with `serve --retention-days`); purging a batch ([`Engine::purge_batch`])
//! deletes its uploaded file at once.
//!
//! A file that a queued or running job still reads or writes is kept whatever its age.

use std::collections::HashSet;
use std::path::Path;
use std::time::SystemTime;

use chrono::Local;
use serde::Serialize;

use crate::jobs::{DataDir, JobSpec};
use crate::{Engine, EngineError};

/// What a sweep deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Swept {
    /// The committed batches whose buffers were purged.
    pub buffers: Vec<i64>,
    /// How many files were deleted (uploads, exports, leftovers).
    pub files: u64,
    /// Their size in bytes.
    pub bytes: u64,
}

impl Engine {
    /// Deletes what is older than `before`: the buffers of committed batches created
    /// before it ([`Engine::purge_committed`]) and every file under the data directory's
    /// `uploads/` and `exports/` last written before it, except those of queued and
    /// running jobs. A batch whose uploaded file is gone forgets it (a mapping then says
    /// so at once).
    pub fn sweep(&self, files: &DataDir, before: SystemTime) -> Result<Swept, EngineError> {
        let cutoff = chrono::DateTime::<Local>::from(before).naive_local();
        let buffers = self.purge_committed(Some(cutoff), files)?;
        let in_use = self.files_in_use()?;
        let mut swept = Swept {
            buffers,
            ..Swept::default()
        };
        for dir in [files.uploads(), files.exports()] {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(EngineError::Files(e)),
            };
            for entry in entries {
                let entry = entry.map_err(EngineError::Files)?;
                let name = entry.file_name().to_string_lossy().into_owned();
                // `symlink_metadata`: a link is never followed out of the directory.
                let Ok(meta) = entry.path().symlink_metadata() else {
                    continue;
                };
                let old = meta.modified().is_ok_and(|t| t < before);
                if meta.is_dir() || !old || in_use.contains(&name) {
                    continue;
                }
                if remove(&entry.path())? {
                    swept.files += 1;
                    swept.bytes += meta.len();
                }
            }
        }
        self.forget_missing_uploads(files)?;
        Ok(swept)
    }

    /// Deletes the uploaded file of `batch` (unless a queued or running job reads it) and
    /// forgets it. Returns whether a file was deleted.
    pub(crate) fn delete_upload(&self, batch: i64, files: &DataDir) -> Result<bool, EngineError> {
        let key = crate::jobs::upload_key(batch);
        let catalog = self.store().catalog();
        let Some(name) = catalog.setting(&key)? else {
            return Ok(false);
        };
        if self.files_in_use()?.contains(&name) {
            return Ok(false);
        }
        let removed = match files.upload_path(&name) {
            Ok(path) => remove(&path)?,
            Err(_) => false,
        };
        catalog.put_setting(&key, None)?;
        Ok(removed)
    }

    /// The names of the files under `uploads/` and `exports/` that queued and running
    /// jobs read or write.
    fn files_in_use(&self) -> Result<HashSet<String>, EngineError> {
        let mut names = HashSet::new();
        for job in self.store().jobs().unfinished()? {
            match JobSpec::of_job(&job) {
                Ok(JobSpec::Check { upload, .. }) => {
                    names.insert(upload);
                }
                Ok(JobSpec::Export { request, .. }) => {
                    let name = DataDir::export_file_name(Some(job.id), &request.dialect);
                    let partial = Path::new(&name).with_extension("partial");
                    names.insert(partial.to_string_lossy().into_owned());
                    names.insert(name);
                }
                _ => {}
            }
        }
        Ok(names)
    }

    /// Forgets the uploaded files of batches that are no longer on disk.
    fn forget_missing_uploads(&self, files: &DataDir) -> Result<(), EngineError> {
        let catalog = self.store().catalog();
        for batch in self.store().batches().list()? {
            let key = crate::jobs::upload_key(batch.id);
            if let Some(name) = catalog.setting(&key)?
                && !files.upload_path(&name).is_ok_and(|p| p.exists())
            {
                catalog.put_setting(&key, None)?;
            }
        }
        Ok(())
    }
}

/// Deletes a file; `false` when it was gone already.
pub(crate) fn remove(path: &Path) -> Result<bool, EngineError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(EngineError::Files(e)),
    }
}
