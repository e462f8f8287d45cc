//! Listings of batches and their rows beyond what review needs (the import log, the
//! panel's tabs).

use custio_model::FieldChange;
use custio_store::{Batch, RowAction, RowCounts, RowFilter, StagedRow};

use crate::{Engine, EngineError};

impl Engine {
    /// Every batch, newest first.
    pub fn batches(&self) -> Result<Vec<Batch>, EngineError> {
        Ok(self.store().batches().list()?)
    }

    /// Every batch, newest first, with its row counts: the import log.
    pub fn batches_with_counts(&self) -> Result<Vec<(Batch, RowCounts)>, EngineError> {
        self.batches()?
            .into_iter()
            .map(|b| {
                let counts = self.store().batches().counts(b.id)?;
                Ok((b, counts))
            })
            .collect()
    }

    /// How many rows of a batch are in each state.
    pub fn row_counts(&self, batch: i64) -> Result<RowCounts, EngineError> {
        self.batch(batch)?;
        Ok(self.store().batches().counts(batch)?)
    }

    /// A page of the batch's rows matching `filter` (any of several states, chosen lines),
    /// with lines above `after`. A row that creates a customer lists every field of its
    /// patch as what it changes.
    pub fn rows_where(
        &self,
        batch: i64,
        filter: &RowFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<StagedRow>, EngineError> {
        let found = self.batch(batch)?;
        let mut rows = self.store().batches().rows(batch, filter, after, limit)?;
        let parser = crate::check::batch_parser(&found).ok();
        for row in &mut rows {
            if let (Some(parser), true) = (&parser, row.record.is_empty() && row.patch.is_some()) {
                row.record = crate::check::record_of(parser, row);
            }
            if row.action == Some(RowAction::New)
                && let Some(patch) = &row.patch
            {
                row.changes = patch
                    .iter()
                    .map(|(field, _)| FieldChange {
                        field: field.clone(),
                        before: None,
                        after: patch.value(field).cloned(),
                    })
                    .collect();
            }
        }
        Ok(rows)
    }
}
