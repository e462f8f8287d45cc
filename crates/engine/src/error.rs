use custio_formats::{FormatError, UnknownColumn};
use custio_model::ValueError;
use custio_store::StoreError;
use thiserror::Error;

use crate::jobs::ExportProblem;

/// Why a use case could not be carried out.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The store failed (or refused a taken key).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written in its format.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A dialect id nobody knows.
    #[error("unknown format '{0}'; run `custio formats` to list the formats")]
    UnknownDialect(String),
    /// A batch number that does not exist.
    #[error("there is no batch {0}; run `custio batches list`")]
    BatchNotFound(i64),
    /// A line that is not a row of the batch.
    #[error(
        "batch {batch} has no row on line {line}; run `custio batches show {batch}` to see its rows"
    )]
    RowNotFound { batch: i64, line: u64 },
    /// An action that the row's or batch's state does not allow.
    #[error("{0}")]
    NotAllowed(String),
    /// A row selection such as `3,7-9` that does not parse.
    #[error("'{0}' is not a row selection; write line numbers and ranges such as 3,7-9")]
    InvalidSelection(String),
    /// A customer filter whose value the list cannot take (a kind, consent or day that is
    /// none).
    #[error("'{value}' is not a {filter}; use {allowed}")]
    InvalidFilter {
        filter: &'static str,
        value: String,
        allowed: &'static str,
    },
    /// A field name or value typed in review that is not valid.
    #[error("{0}")]
    InvalidEdit(String),
    /// A mapping profile name that is not saved.
    #[error("there is no mapping profile '{0}'; run `custio mappings list`")]
    MappingProfileNotFound(String),
    /// A mapping that cannot be used (an unknown target, a profile of another format).
    #[error("{0}")]
    InvalidMapping(String),
    /// The thread that writes an import's chunks stopped without an error (a bug).
    #[error(
        "the import's writing thread stopped unexpectedly; nothing after its last chunk was written"
    )]
    WriterStopped,
    /// The options a batch was checked with do not read any more.
    #[error(
        "the options of batch {batch} cannot be read ({detail}); nothing was changed: check the file again"
    )]
    BatchOptions { batch: i64, detail: String },
    /// A customer id that does not exist.
    #[error("there is no customer {0}")]
    CustomerNotFound(i64),
    /// A job id that does not exist.
    #[error("there is no job {0}")]
    JobNotFound(i64),
    /// A shop id of 0: shop ids start at 1.
    #[error("a shop id is a number above 0")]
    ShopIdZero,
    /// A shop, agreement or pricelist without a name.
    #[error("{0} needs a name")]
    NameMissing(Named),
    /// A shop language that is not an ISO 639 code or an English language name.
    #[error("{0}")]
    InvalidLanguage(ValueError),
    /// An export request that cannot be written as asked.
    #[error("{0}")]
    InvalidExport(ExportProblem),
    /// A mapping that leaves one of the batch's unknown columns unmapped.
    #[error("the column '{column}' needs a mapping (a field, or 'ignore')")]
    UnmappedColumn {
        column: String,
        /// Every unknown column of the batch, with its suggestions.
        unknown: Vec<UnknownColumn>,
    },
    /// The uploaded file a batch was read from is no longer kept (a mapping reads it again).
    #[error("the batch's uploaded file is gone")]
    UploadGone(i64),
    /// The caller may not see what was asked for.
    #[error("{0}")]
    Denied(Denied),
    /// A file of the data directory (an upload, an export) could not be read or deleted.
    #[error("a file of the data directory: {0}")]
    Files(std::io::Error),
    /// A shop's API could not be read (the reason says what the user can do).
    #[error(transparent)]
    Source(#[from] custio_sources::SourceError),
    /// The key that seals source credentials is missing, unreadable or another.
    #[error("source credentials: {0}")]
    SealingKey(String),
    /// A migration id that does not exist.
    #[error("there is no migration {0}; run `custio migrate list`")]
    MigrationNotFound(i64),
}

/// Why a [`EngineError::Denied`] caller may not have what it asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Password hashes leave the system for admins only (exported or downloaded).
    PasswordHashes,
    /// A job's file is its owner's and the admins'; the caller is neither.
    OthersFile { job: i64 },
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PasswordHashes => f.write_str("only an admin may export password hashes"),
            Self::OthersFile { job } => write!(
                f,
                "the file of job {job} is another user's; only its owner or an admin may download it"
            ),
        }
    }
}

/// What a [`EngineError::NameMissing`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    Shop,
    Agreement,
    Pricelist,
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Shop => "a shop",
            Self::Agreement => "an agreement",
            Self::Pricelist => "a pricelist",
        })
    }
}
