//! Where jobs keep their files: uploads waiting to be checked (and checked again after a
//! mapping) and the files exports write. They hold personal data (and exports may hold
//! password hashes): the directories are created 0700 and the files 0600, whatever the
//! process's umask.

use std::fs::File;
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

    /// The data directory at `root`, with its `uploads/` and `exports/` created. Every
    /// directory it creates is 0700; `uploads/` and `exports/` are made so if an older
    /// custio left them open to others (the root, which may be any directory a user
    /// names, keeps its rights when it exists).
    pub fn create(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = Self::new(root);
        for sub in [dir.uploads(), dir.exports(), dir.migrations()] {
            private_dir(&sub)?;
        }
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

    /// Where migrations write the client files they fetch.
    pub fn migrations(&self) -> PathBuf {
        self.root.join("migrations")
    }

    /// A fresh, unguessable name for an upload.
    pub fn new_upload_name() -> String {
        format!("up-{}", &crate::accounts::random_token()[..22])
    }

    /// A new upload: its fresh name and the file, created 0600 under `uploads/`.
    pub fn create_upload(&self) -> std::io::Result<(String, File)> {
        let name = Self::new_upload_name();
        let file = private_file(&self.uploads().join(&name))?;
        Ok((name, file))
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
        let ext = custio_formats::dialect(dialect).map_or("csv", |d| d.extension());
        match job {
            Some(id) => format!("job-{id}.{ext}"),
            None => format!("run-{}.{ext}", uuid::Uuid::new_v4().simple()),
        }
    }
}

/// Creates (or truncates) the file at `path`, readable and writable by its owner only.
pub(crate) fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // A file that existed already keeps its mode through `open`.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Creates the directory at `path` (and its missing parents) 0700, or takes the group's
/// and others' rights away from it when it exists.
fn private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)?;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)
}

fn plain(name: &str) -> Option<&str> {
    (!name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')).then_some(name)
}
