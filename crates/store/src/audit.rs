//! The audit log: who did what sensitive thing, when.

use custio_model::DateTime;
use serde::Serialize;

use crate::Result;

/// One line of the audit log.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    #[schema(value_type = String, example = "2024-03-01T12:30:00")]
    pub at: DateTime,
    /// Who did it (`cli:$USER`, a panel user).
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// The audit log.
pub trait AuditStore {
    /// Records a sensitive action (an export with password hashes, ...).
    fn record(&self, entry: &AuditEntry) -> Result<()>;
    /// The newest `limit` entries, newest first.
    fn entries(&self, limit: usize) -> Result<Vec<AuditEntry>>;
}
