use custio_formats::FormatError;
use custio_store::StoreError;
use thiserror::Error;

/// Why a use case could not be carried out.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
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
}
