//! The records the use cases take and return, re-exported from the store so that the
//! layers above the engine (web, CLI) name them without depending on the store: only the
//! engine talks to the store.

pub use custio_store::{
    AgreementKind, ApiToken, AuditEntry, Batch, BatchStatus, CustomerCursor, CustomerPage,
    CustomerQuery, CustomerSort, Job, JobDurations, JobState, JobStats, MappingProfile, Role,
    RowAction, RowCounts, RowFilter, RowStatus, Session, Shop, StagedRow, StoreError, TakenKey,
    User,
};
