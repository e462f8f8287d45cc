//! Where jobs keep their files: uploads waiting to be checked (and checked again after a
//! mapping) and the files exports write.

use std::path::{Path, PathBuf};

use super::JobError;

/// The data directory: `uploads/` and `exports/` under one root.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data directory at `root` (nothing is created).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The data directory at `root`, with its `uploads/` and `exports/` created.
    pub fn create(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = Self::new(root);
        std::fs::create_dir_all(dir.uploads())?;
        std::fs::create_dir_all(dir.exports())?;
        Ok(dir)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where uploads are kept.
    pub fn uploads(&self) -> PathBuf {
        self.root.join("uploads")
    }

    /// Where export files are written.
    pub fn exports(&self) -> PathBuf {
        self.root.join("exports")
    }

    /// A fresh, unguessable name for an upload.
    pub fn new_upload_name() -> String {
        format!("up-{}", &crate::accounts::random_token()[..22])
    }

    /// The path of the upload `name`: a plain file name (no directories, not hidden).
    pub fn upload_path(&self, name: &str) -> Result<PathBuf, JobError> {
        Ok(self
            .uploads()
            .join(plain(name).ok_or(JobError::UploadName)?))
    }

    /// The path of the export file `name` (as an export job's result names it), if the
    /// name is a plain file name.
    pub fn export_path(&self, name: &str) -> Option<PathBuf> {
        plain(name).map(|n| self.exports().join(n))
    }

    /// The file an export job writes: `job-ID.csv` (`.xml` for IOF); a run outside the
    /// queue (no job id) gets a unique name.
    pub(crate) fn export_file_name(job: Option<i64>, dialect: &str) -> String {
        let ext = if dialect == "iof" { "xml" } else { "csv" };
        match job {
            Some(id) => format!("job-{id}.{ext}"),
            None => format!("run-{}.{ext}", uuid::Uuid::new_v4().simple()),
        }
    }
}

fn plain(name: &str) -> Option<&str> {
    (!name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')).then_some(name)
}
