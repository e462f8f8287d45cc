//! What a job does, as data: [`JobSpec`]. It is kept in the store as the job's kind (the
//! serde tag) and payload (the variant's fields), and read back with a clear error when
//! the payload does not decode.

use custio_formats::{ExportKind, WriteOptions};
use custio_store::{CustomerQuery, Job, NewJob};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::JobError;
use crate::{Engine, EngineError, ImportOptions};

/// One job's work. Stored adjacently tagged: the kind column holds the tag (`check`,
/// `commit`, `export`), the payload column the variant's fields, so that the rows of jobs
/// queued before this type existed read back the same.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum JobSpec {
    /// Check an uploaded file into a new batch.
    Check {
        /// The upload's file name under `<data dir>/uploads/`.
        upload: String,
        /// The file's name as the user gave it.
        source: String,
        /// The format, or detection from the file's first bytes.
        dialect: DialectChoice,
        options: ImportOptions,
        /// The batch this check replaces (one that needed a mapping); it is marked failed
        /// with a pointer to the new one.
        #[serde(default)]
        replaces: Option<i64>,
    },
    /// Help check a big file: stage the chunks of its rows that no other worker took yet
    /// (see [`Engine::with_shared_checks_from`]).
    HelpCheck {
        /// The batch being checked.
        batch: i64,
        /// The upload it is checked from.
        upload: String,
    },
    /// Commit a checked batch's pending rows.
    Commit {
        batch: i64,
        /// Only these lines; `None`: every pending row.
        #[serde(default)]
        lines: Option<Vec<u64>>,
    },
    /// Export customers into a file under `<data dir>/exports/`.
    Export {
        request: ExportRequest,
        /// Who asked, for the audit log (an export with password hashes is audited).
        actor: String,
        /// The user whose file it is (with the admins, the only one who may download it);
        /// `None` for jobs queued before owners were kept: admins only.
        #[serde(default)]
        owner: Option<i64>,
    },
    /// Fetch a migration's customers from its source into its client file.
    Migrate { migration: i64 },
}

impl JobSpec {
    /// Every kind a worker runs.
    pub const KINDS: &'static [&'static str] =
        &["check", "help_check", "commit", "export", "migrate"];

    /// The kind, as the store's jobs table keeps it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Check { .. } => "check",
            Self::HelpCheck { .. } => "help_check",
            Self::Commit { .. } => "commit",
            Self::Export { .. } => "export",
            Self::Migrate { .. } => "migrate",
        }
    }

    /// The store's record of a new job with this spec.
    pub(crate) fn to_new_job(&self, created_by: &str) -> NewJob {
        let mut tagged = serde_json::to_value(self).expect("a job spec serialises");
        NewJob {
            kind: self.kind().to_string(),
            payload: tagged["payload"].take(),
            created_by: created_by.to_string(),
        }
    }

    /// The spec of a stored job: an unknown kind or a payload that does not decode is an
    /// error naming what is wrong, never a default.
    pub fn of_job(job: &Job) -> Result<JobSpec, JobError> {
        Self::decode(&job.kind, &job.payload)
    }

    /// The spec of a kind and payload as the store keeps them.
    pub fn decode(kind: &str, payload: &serde_json::Value) -> Result<JobSpec, JobError> {
        if !Self::KINDS.contains(&kind) {
            return Err(JobError::UnknownKind(kind.to_string()));
        }
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(JobError::Payload)
    }
}

/// The format of a file to check: a dialect id, or detection. Stored as the id or `auto`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum DialectChoice {
    /// Tell the format from the file's first bytes.
    #[default]
    Detect,
    /// This dialect (`idosell`, `csv`, ...).
    Named(String),
}

impl DialectChoice {
    /// The name that asks for detection.
    pub const DETECT: &'static str = "auto";

    /// A format as a form or query gives it: empty, absent or `auto` detect.
    pub fn parse(given: Option<&str>) -> Self {
        match given.map(str::trim) {
            None | Some("") | Some(Self::DETECT) => Self::Detect,
            Some(id) => Self::Named(id.to_string()),
        }
    }
}

impl From<String> for DialectChoice {
    fn from(s: String) -> Self {
        Self::parse(Some(&s))
    }
}

impl From<DialectChoice> for String {
    fn from(choice: DialectChoice) -> Self {
        match choice {
            DialectChoice::Detect => DialectChoice::DETECT.to_string(),
            DialectChoice::Named(id) => id,
        }
    }
}

/// What an export writes: the API's request body and an export job's payload.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExportRequest {
    /// The dialect (`idosell`, `shoptet`, `upgates`, `cloudcart`, `iof`).
    #[serde(default = "default_dialect")]
    #[schema(schema_with = crate::openapi::dialect)]
    pub dialect: String,
    /// `full`, `view` (the chosen columns) or `legacy` (IdoSell's old export).
    #[serde(default = "default_kind")]
    #[schema(schema_with = crate::openapi::export_kind)]
    pub kind: String,
    /// Columns of a `view` export.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Which customers: every filter that is set must hold; `ids` is a selection.
    #[serde(default, deserialize_with = "object")]
    pub query: CustomerQuery,
    /// Output encoding (`utf-8`, `utf-8-bom`, `windows-1250`, `windows-1251`).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::encoding)]
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

/// Reads a JSON object only (serde would take `[null, null]` as a struct's fields in order).
fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(d)?;
    if !value.is_object() {
        return Err(serde::de::Error::custom("expected a JSON object"));
    }
    T::deserialize(value).map_err(serde::de::Error::custom)
}

fn default_dialect() -> String {
    "idosell".into()
}
fn default_kind() -> String {
    "full".into()
}
fn yes() -> bool {
    true
}

impl Default for ExportRequest {
    fn default() -> Self {
        Self {
            dialect: default_dialect(),
            kind: default_kind(),
            columns: Vec::new(),
            query: CustomerQuery::default(),
            encoding: None,
            excel_safe: true,
            with_password_hashes: false,
            confirm_password_hashes: false,
        }
    }
}

/// Why an export request cannot be written as asked.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExportProblem {
    /// A `view` export without columns.
    #[error("a view export needs columns")]
    ViewWithoutColumns,
    /// A kind that is not `full`, `view` or `legacy`.
    #[error("'{0}' is not an export kind; use full, view or legacy")]
    UnknownKind(String),
    /// Password hashes asked for without the explicit confirmation.
    #[error(
        "an export with password hashes needs the explicit confirmation (confirm_password_hashes)"
    )]
    HashesNotConfirmed,
}

/// The writer options of an export request; checks it (dialect, kind, confirmation,
/// encoding) before it is queued, and again when it runs.
pub fn write_options(request: &ExportRequest) -> Result<WriteOptions, EngineError> {
    Engine::dialect(&request.dialect)?;
    let kind = match request.kind.as_str() {
        "full" => ExportKind::Full,
        "legacy" => ExportKind::Legacy,
        "view" if request.columns.is_empty() => {
            return Err(EngineError::InvalidExport(
                ExportProblem::ViewWithoutColumns,
            ));
        }
        "view" => ExportKind::View(request.columns.clone()),
        other => {
            return Err(EngineError::InvalidExport(ExportProblem::UnknownKind(
                other.to_string(),
            )));
        }
    };
    if request.with_password_hashes && !request.confirm_password_hashes {
        return Err(EngineError::InvalidExport(
            ExportProblem::HashesNotConfirmed,
        ));
    }
    let encoding = request
        .encoding
        .as_deref()
        .filter(|e| !e.is_empty())
        .map(str::parse)
        .transpose()?;
    Ok(WriteOptions {
        kind,
        encoding,
        excel_safe: request.excel_safe,
        with_password_hashes: request.with_password_hashes,
        ..WriteOptions::default()
    })
}
