//! The audit log: who did what. The use cases that change accounts, shops and customers
//! (and exports with password hashes) write it with the actor the adapter names
//! (`web:ola`, `api:ola:token3`, `cli:root`); admins read it.

use chrono::Local;
use custio_store::{AuditEntry, StoreError};

use crate::{Engine, EngineError};

impl Engine {
    /// The newest `limit` entries of the audit log, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, EngineError> {
        Ok(self.store().audit().entries(limit)?)
    }

    /// Writes one entry. `detail` is short phrases joined by `, ` (`user 'ola'`,
    /// `shop 2 'Sklep B'`), which the panel translates phrase by phrase.
    pub(crate) fn record(
        &self,
        actor: &str,
        action: &str,
        detail: String,
    ) -> Result<(), StoreError> {
        self.store().audit().record(&AuditEntry {
            at: Local::now().naive_local(),
            actor: actor.to_string(),
            action: action.to_string(),
            detail,
        })
    }
}
