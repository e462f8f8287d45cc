//! The use cases that queue work: import an uploaded file, map a batch's unknown columns
//! and check it again, commit a batch, export customers; and the file an export left.

use std::path::PathBuf;

use custio_formats::{TextEncoding, UnknownColumn};
use custio_store::{BatchStatus, Job, JobState, MappingProfile};

use super::run::upload_key;
use super::{DataDir, DialectChoice, ExportRequest, JobSpec, write_options};
use crate::{Caller, Denied, Engine, EngineError, ImportOptions, mapping};

/// An import of a file already saved under `<data dir>/uploads/` (upload first, then
/// enqueue).
#[derive(Clone, Debug, Default)]
pub struct CheckRequest {
    /// The upload's file name under `uploads/`.
    pub upload: String,
    /// The file's name as the user gave it (`upload` when not given).
    pub source: Option<String>,
    /// The format, or detection (a saved `profile` then names the format).
    pub dialect: DialectChoice,
    /// How to read the file; `mappings` are explicit ones, which win over the profile's.
    pub options: ImportOptions,
    /// A saved mapping profile to apply; it must be for the file's format.
    pub profile: Option<String>,
}

/// A finished export's file: where it is and the name to download it as.
#[derive(Clone, Debug)]
pub struct ExportFile {
    pub path: PathBuf,
    /// `custio-export-ID.csv` (`.xml`, `.xlsx`: the format's extension).
    pub name: String,
    /// The media type to serve it as (`text/csv`, `application/xml`, ...).
    pub media_type: &'static str,
}

impl Engine {
    /// Checks an import's format, encoding and mapping profile (resolved as
    /// [`Engine::mappings_with_profile`] does: the profile must be for the file's format)
    /// and queues the check of the uploaded file under `actor`.
    pub fn start_check(&self, request: CheckRequest, actor: &str) -> Result<Job, EngineError> {
        let CheckRequest {
            upload,
            source,
            mut dialect,
            mut options,
            profile,
        } = request;
        if let Some(encoding) = options.encoding.as_deref() {
            encoding.parse::<TextEncoding>()?;
        }
        let profile = profile
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        if let (DialectChoice::Detect, Some(name)) = (&dialect, &profile) {
            // A saved profile names its format, which then needs no detection.
            dialect = DialectChoice::Named(self.mapping_profile(name)?.dialect);
        }
        if let DialectChoice::Named(id) = &dialect {
            Self::dialect(id)?;
            if let Some(name) = &profile {
                options.mappings = self.mappings_with_profile(id, name, &options.mappings)?;
            }
        }
        let source = source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "upload".into());
        let spec = JobSpec::Check {
            upload,
            source,
            dialect,
            options,
            replaces: None,
        };
        self.enqueue(&spec, actor)
    }

    /// Maps the unknown columns of a batch in `needs_mapping` (each to a field, a column
    /// of the batch's format, or `ignore`) and queues the check of its file again; the new
    /// batch replaces this one. With `save_as`, the mapping is saved as a profile first,
    /// validated as [`Engine::save_mapping_profile`] does.
    pub fn start_mapping(
        &self,
        batch: i64,
        mappings: Vec<(String, String)>,
        save_as: Option<&str>,
        actor: &str,
    ) -> Result<Job, EngineError> {
        let id = batch;
        let batch = self.batch(id)?;
        if batch.status != BatchStatus::NeedsMapping {
            return Err(EngineError::NotAllowed(format!(
                "batch {id} does not need a mapping"
            )));
        }
        let upload = self
            .store()
            .catalog()
            .setting(&upload_key(id))?
            .ok_or(EngineError::UploadGone(id))?;
        let unknown: Vec<UnknownColumn> =
            serde_json::from_value(batch.unknown_columns.clone()).unwrap_or_default();
        if let Some(missing) = unknown
            .iter()
            .find(|u| !mappings.iter().any(|(h, _)| *h == u.header))
        {
            return Err(EngineError::UnmappedColumn {
                column: missing.header.clone(),
                unknown,
            });
        }
        let mut options = crate::ImportOptions::of_batch(&batch)?;
        options.mappings.extend(mappings);
        let is_ignore = |t: &str| t.trim().eq_ignore_ascii_case("ignore");
        let save_as = save_as.map(str::trim).filter(|n| !n.is_empty());
        let profile = MappingProfile {
            name: save_as.unwrap_or("mapping").to_string(),
            dialect: batch.dialect.clone(),
            columns: options
                .mappings
                .iter()
                .filter(|(_, t)| !is_ignore(t))
                .cloned()
                .collect(),
            ignored: options
                .mappings
                .iter()
                .filter(|(_, t)| is_ignore(t))
                .map(|(h, _)| h.clone())
                .collect(),
        };
        match save_as {
            Some(_) => self.save_mapping_profile(&profile)?,
            None => mapping::validate(Self::dialect(&batch.dialect)?, &profile)?,
        }
        let spec = JobSpec::Check {
            upload,
            source: batch.source,
            dialect: DialectChoice::Named(batch.dialect),
            options,
            replaces: Some(id),
        };
        self.enqueue(&spec, actor)
    }

    /// Queues the commit of a checked batch's pending rows (or only those at `lines`).
    pub fn start_commit(
        &self,
        batch: i64,
        lines: Option<Vec<u64>>,
        actor: &str,
    ) -> Result<Job, EngineError> {
        let status = self.batch(batch)?.status;
        if !matches!(status, BatchStatus::Checked | BatchStatus::Committed) {
            return Err(EngineError::NotAllowed(format!(
                "batch {batch} is {}; only a checked batch can be imported",
                status.as_str()
            )));
        }
        self.enqueue(&JobSpec::Commit { batch, lines }, actor)
    }

    /// Checks an export request ([`write_options`]) and queues it for `caller`, whose file
    /// it will be ([`Engine::download_export`]). Only an admin may export password hashes;
    /// such an export is written to the audit log under the caller's actor.
    pub fn start_export(
        &self,
        request: ExportRequest,
        caller: &Caller,
    ) -> Result<Job, EngineError> {
        write_options(&request)?;
        crate::customers::check_query(&request.query)?;
        if request.with_password_hashes && !caller.admin {
            return Err(EngineError::Denied(Denied::PasswordHashes));
        }
        let spec = JobSpec::Export {
            request,
            actor: caller.actor.clone(),
            owner: Some(caller.user),
        };
        self.enqueue(&spec, &caller.actor)
    }

    /// The file a succeeded export job wrote, whoever asks: the adapters download it
    /// through [`Engine::download_export`], which checks who may.
    pub(crate) fn export_file(&self, job: i64, files: &DataDir) -> Result<ExportFile, EngineError> {
        let found = self.job(job)?;
        let file = found
            .result
            .as_ref()
            .and_then(|r| r.get("file"))
            .and_then(|f| f.as_str())
            .filter(|_| found.kind == "export" && found.state == JobState::Succeeded)
            .and_then(|f| Some((f, files.export_path(f)?)));
        let Some((file, path)) = file else {
            return Err(EngineError::NotAllowed(format!(
                "job {job} has no file to download (yet)"
            )));
        };
        let ext = file.rsplit_once('.').map_or("csv", |(_, ext)| ext);
        let media_type = custio_formats::dialects()
            .iter()
            .find(|d| d.extension() == ext)
            .map_or("application/octet-stream", |d| d.media_type());
        Ok(ExportFile {
            path,
            name: format!("custio-export-{job}.{ext}"),
            media_type,
        })
    }
}
